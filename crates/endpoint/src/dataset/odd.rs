//! `--odd-data`: the oddest text a real job can hold, field by field.

use super::mix;
use crate::model::{Extras, Tag};
use std::borrow::Cow;

/// What real text can hold, for `--odd-data`: each field gets only what the
/// service model allows in it (tags are ASCII, see [`odd_extras`]; names
/// `([0-9a-zA-Z][_-]?){1,63}`), while failure messages are free text up to
/// 2,048 characters and get the rest.
pub const ODD_MESSAGES: &[&str] = &[
    "复制失败：源模型不可用。モデルのコピーに失敗しました。소스 모델을 찾을 수 없습니다.",
    "Copy failed 🚫 for the 👩‍🔬 team 🇯🇵: naïve café (cafe\u{301}), 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✅",
    "فشل النسخ: المفتاح غير متاح — שגיאה בהעתקה: המפתח אינו זמין (KMS)",
    "Access\u{200b}Denied\u{200d} while\u{2060}copying\u{feff} the model",
    "Copy failed \u{1b}[31mRED\u{1b}[0m \u{7}bell \u{8}back\r\ncarriage \u{1b}]0;title\u{7} \u{9b}2J tab\there",
];

pub(super) fn odd_message(seed: u64) -> String {
    let i = (mix(seed, 19) % (ODD_MESSAGES.len() as u64 + 1)) as usize;
    match ODD_MESSAGES.get(i) {
        Some(m) => (*m).to_string(),
        // The longest message the service sends: 2048 characters.
        None => {
            let unit = "The model artifacts could not be copied because a dependency failed; ";
            let mut m = String::with_capacity(2048);
            while m.chars().count() + unit.len() <= 2040 {
                m.push_str(unit);
            }
            while m.chars().count() < 2047 {
                m.push('.');
            }
            m.push('!');
            m
        }
    }
}

/// The oddest tags a real job can carry. TagKey and TagValue are ASCII
/// (`[a-zA-Z0-9\s._:/=+@-]*`, where a Java `\s` is a space, tab, line
/// feed, vertical tab, form feed or carriage return): no CJK or accents,
/// but control characters a terminal must not obey, the longest key (128)
/// and value (256), every punctuation mark allowed, and an empty value;
/// failing with `failure_kind` (the odd message).
pub(super) fn odd_extras(failure_kind: u8) -> Extras {
    let tag = |k: &'static str, v: &'static str| Tag {
        key: Cow::Borrowed(k),
        value: Cow::Borrowed(v),
    };
    let longest = |unit: &str, n: usize| -> String { unit.chars().cycle().take(n).collect() };
    Extras {
        kms_key_arn: None,
        tags: vec![
            tag("team", "ml\tplatform\ttab separated"),
            tag(
                "notes",
                "line one\r\nline two\u{b}vertical tab\u{c}form feed",
            ),
            tag("owner", "first.last+copies@example.com"),
            tag("path", "s3://bucket/prefix/key=value:v1_-.@+"),
            tag("empty", ""),
            Tag {
                key: Cow::Owned(longest("cost-allocation/team:ml-platform/", 128)),
                value: Cow::Owned(longest("the longest value a tag can hold ", 256)),
            },
        ],
        failure_kind,
    }
}

/// `name` made 63 characters long within the name's alphabet.
pub(crate) fn long_name(name: &str) -> String {
    let mut n: String =
        format!("{name}-named-as-long-as-the-service-allows-sixty-three-characters")
            .chars()
            .take(63)
            .collect();
    if n.ends_with('-') {
        n.pop();
        n.push('x');
    }
    n
}
