//! The service model's constraints on copy-job parameters, in one place.
//!
//! The endpoint uses them to refuse bad requests the way Bedrock does, and the
//! dashboard and headless commands use the same checks before a request goes
//! out, so a user sees the same words whichever side catches the mistake.

pub mod copy_regions;
pub mod regions;

use regex::Regex;
use std::fmt;
use std::sync::LazyLock;

pub const ACCOUNT_ID: &str = "[0-9]{12}";
pub const MODEL_ARN: &str = "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:(([0-9]{12}:custom-model/((imported)|([a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})|(:foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}))";
pub const CUSTOM_MODEL_NAME: &str = "([0-9a-zA-Z][_-]?){1,63}";
pub const CUSTOM_MODEL_ARN: &str = "arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model/(imported|[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})/[a-z0-9]{12}";
/// ListImportedModels' `nameContains` (ImportedModelName).
pub const IMPORTED_MODEL_NAME: &str = "([0-9a-zA-Z][_-]?)+";
/// ListCustomModels' `foundationModelArnEquals` (FoundationModelArn).
pub const FOUNDATION_MODEL_ARN: &str = "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}::foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}";
pub const JOB_ARN: &str =
    "arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-copy-job/[a-z0-9]{12}";
pub const KMS_KEY_ARN: &str = "arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:key/[a-zA-Z0-9-]{36}";
pub const KMS_KEY_ID: &str = "(arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key/[a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)))|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)";
pub const TAG_TEXT: &str = r"[a-zA-Z0-9\s._:/=+@-]*";
pub const PAGINATION_TOKEN: &str = r"\S*";
pub const IDEMPOTENCY_TOKEN: &str = "[a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?";
pub const TAGGABLE_ARN: &str = r".*(^[a-zA-Z0-9][a-zA-Z0-9\-]*$)|(^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model/(imported)/[a-z0-9]{12}$)|(^arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:([0-9]{12}|)((:(fine-tuning-job|model-customization-job|custom-model)/[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}(/[a-z0-9]{12})$)|(:guardrail/[a-z0-9]+$)|(:automated-reasoning-policy/[a-zA-Z0-9]+(:[a-zA-Z0-9]+)?$)|(:(inference-profile|application-inference-profile)/[a-zA-Z0-9-:.]+$)|(:(provisioned-model|model-invocation-job|model-evaluation-job|evaluation-job|model-import-job|imported-model|async-invoke|provisioned-model-v2|provisioned-model-reservation|prompt-router|custom-model-deployment)/[a-z0-9]{12}$))).*";
pub const STATUSES: &[&str] = &["InProgress", "Completed", "Failed"];
pub const SORT_ORDERS: &[&str] = &["Ascending", "Descending"];
pub const SORT_BY: &[&str] = &["CreationTime"];

pub const MAX_RESULTS: (i64, i64) = (1, 1000);
pub const MAX_TAGS: usize = 200;

/// Whole-value match: the model's patterns are unanchored, the service
/// matches them against the whole value all the same.
pub fn matches(pattern: &'static str, value: &str) -> bool {
    static CACHE: LazyLock<std::sync::Mutex<Vec<(&'static str, Regex)>>> =
        LazyLock::new(|| std::sync::Mutex::new(Vec::new()));
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, re)) = cache
        .iter()
        .find(|(p, _)| std::ptr::eq(*p, pattern) || *p == pattern)
    {
        return re.is_match(value);
    }
    let re = Regex::new(&format!("^(?:{})$", ascii_spaces(pattern)))
        .expect("the model's patterns compile");
    let ok = re.is_match(value);
    cache.push((pattern, re));
    ok
}

/// The model's patterns are Java regexes, where `\s` is ASCII whitespace
/// (space, tab, line feed, vertical tab, form feed, carriage return); in
/// Rust's regex it is Unicode's. Spelled as the POSIX class, so that a tag
/// with an ideographic or no-break space is refused here as the service
/// refuses it.
fn ascii_spaces(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut in_class = 0usize;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match (c, in_class > 0) {
            ('\\', inside) => match chars.next() {
                Some('s') if inside => out.push_str("[:space:]"),
                Some('S') if inside => out.push_str("[:^space:]"),
                Some('s') => out.push_str("[[:space:]]"),
                Some('S') => out.push_str("[[:^space:]]"),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push('\\'),
            },
            ('[', _) => {
                in_class += 1;
                out.push(c);
            }
            (']', true) => {
                in_class -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// One broken constraint, worded as the service words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub member: String,
    pub value: String,
    pub constraint: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Value '{}' at '{}' failed to satisfy constraint: {}",
            self.value, self.member, self.constraint
        )
    }
}

/// Collects every violation of one request, as the service reports them all
/// at once (`2 validation errors detected: …; …`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, member: &str, value: impl Into<String>, constraint: impl Into<String>) {
        self.0.push(Violation {
            member: member.to_string(),
            value: value.into(),
            constraint: constraint.into(),
        });
    }

    /// Length, in characters as Smithy counts them (Unicode scalar values).
    pub fn length(&mut self, member: &str, value: &str, min: usize, max: usize) -> bool {
        let n = value.chars().count();
        if n < min {
            self.push(
                member,
                value,
                format!("Member must have length greater than or equal to {min}"),
            );
            false
        } else if n > max {
            self.push(
                member,
                value,
                format!("Member must have length less than or equal to {max}"),
            );
            false
        } else {
            true
        }
    }

    pub fn pattern(&mut self, member: &str, value: &str, pattern: &'static str) -> bool {
        if matches(pattern, value) {
            true
        } else {
            self.push(
                member,
                value,
                format!("Member must satisfy regular expression pattern: {pattern}"),
            );
            false
        }
    }

    /// Length first, then pattern: one message per member, the first broken.
    pub fn string(
        &mut self,
        member: &str,
        value: &str,
        min: usize,
        max: usize,
        pattern: &'static str,
    ) -> bool {
        self.length(member, value, min, max) && self.pattern(member, value, pattern)
    }

    pub fn one_of(&mut self, member: &str, value: &str, allowed: &[&str]) -> bool {
        if allowed.contains(&value) {
            true
        } else {
            self.push(
                member,
                value,
                format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            );
            false
        }
    }

    pub fn range(&mut self, member: &str, value: i64, (min, max): (i64, i64)) -> bool {
        if value < min {
            self.push(
                member,
                value.to_string(),
                format!("Member must have value greater than or equal to {min}"),
            );
            false
        } else if value > max {
            self.push(
                member,
                value.to_string(),
                format!("Member must have value less than or equal to {max}"),
            );
            false
        } else {
            true
        }
    }

    pub fn into_result(self) -> Result<(), Violations> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        let noun = if n == 1 { "error" } else { "errors" };
        write!(f, "{n} validation {noun} detected: ")?;
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_values_only() {
        assert!(matches(ACCOUNT_ID, "123456789012"));
        assert!(!matches(ACCOUNT_ID, "1234567890123"));
        assert!(!matches(ACCOUNT_ID, "x123456789012"));
        assert!(matches(CUSTOM_MODEL_NAME, "my-copied_model-1"));
        assert!(!matches(CUSTOM_MODEL_NAME, "bad--name"));
        assert!(!matches(CUSTOM_MODEL_NAME, "-lead"));
        assert!(matches(
            MODEL_ARN,
            "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/zyxwvutsrq98"
        ));
        assert!(matches(
            MODEL_ARN,
            "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0"
        ));
        assert!(!matches(
            MODEL_ARN,
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/x/abc"
        ));
    }

    #[test]
    fn whitespace_is_ascii_as_in_java() {
        assert!(matches(TAG_TEXT, "a b\tc\r\nd\u{b}e\u{c}f"));
        assert!(!matches(TAG_TEXT, "ml\u{3000}platform"));
        assert!(!matches(TAG_TEXT, "no\u{a0}break"));
        assert!(matches(PAGINATION_TOKEN, "abc\u{3000}def"));
        assert!(!matches(PAGINATION_TOKEN, "abc def"));
    }

    #[test]
    fn messages_read_like_the_service() {
        let mut v = Violations::default();
        v.range("maxResults", 0, MAX_RESULTS);
        assert_eq!(
            v.to_string(),
            "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        v.one_of("statusEquals", "Done", STATUSES);
        assert!(v.to_string().starts_with("2 validation errors detected: "));
        assert!(v.to_string().contains("; Value 'Done' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [InProgress, Completed, Failed]"));
    }
}
