//! Text from the service on the way to a terminal: `sanitize::clean`, and
//! the notifications that carry a job's name inside an escape sequence.

use crate::support::*;
use copyjobs::domain::job::{CopyJob, Status};
use copyjobs::output::sanitize::clean;
use copyjobs::watch::SourceId;
use copyjobs::watch::engine::Event;
use copyjobs::watch::notify::{Notify, summary, terminal_bytes};
use proptest::prelude::*;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

static ESCAPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\\u\{[0-9a-f]{1,6}\}").expect("a regex"));

fn event() -> impl Strategy<Value = Event> {
    (text(40), text(20), text(60), proptest::option::of(text(12))).prop_map(
        |(name, status, arn, from)| Event {
            job: CopyJob {
                job_arn: arn,
                status: Status::from_wire(&status),
                created: chrono::DateTime::UNIX_EPOCH,
                target_model_arn: String::new(),
                target_model_name: Some(name),
                source_account_id: "".into(),
                source_model_arn: "".into(),
                source_model_name: None,
                kms_key_arn: None,
                tags: vec![],
                failure_message: None,
            },
            source: SourceId(0),
            from: from.map(|f| Status::from_wire(&f)),
            pinned: false,
            last_seen: None,
        },
    )
}

proptest! {
    #![proptest_config(config(2048))]

    /// One printable line whatever came in, and cleaning twice is cleaning
    /// once.
    #[test]
    fn cleaned_text_is_one_printable_line(s in text(80)) {
        let once = clean(&s);
        prop_assert!(printable(&once), "{:?} -> {:?}", s, once);
        prop_assert_eq!(clean(&once), once.clone());
        if printable(&s) {
            prop_assert!(matches!(once, Cow::Borrowed(_)));
        }
    }

    /// Nothing but the unsafe characters is changed: with the escapes taken
    /// out again, what is left is the text without them.
    #[test]
    fn cleaning_keeps_the_visible_text(s in text(80)) {
        let s = s.replace('\\', "/");
        let shown = ESCAPE.replace_all(&clean(&s), "").into_owned();
        let visible: String = s
            .chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if printable(&c.to_string()) => Some(c),
                _ => None,
            })
            .collect();
        prop_assert_eq!(shown, visible);
    }

    /// A job's name, status and ARN can never end or add to the
    /// notification's escape sequences: the only ESC and BEL are their own.
    #[test]
    fn notifications_carry_only_clean_text(ev in event()) {
        let n = Notify { bell: true, desktop: true, on_change: None };
        let body = summary(&ev);
        prop_assert!(printable(&body), "{body:?}");
        let expected = format!(
            "\u{1b}]9;copyjobs: {body}\u{7}\u{1b}]777;notify;copyjobs;{}\u{7}\u{7}",
            body.replace(';', ",")
        );
        prop_assert_eq!(terminal_bytes(&ev, &n, false), expected.clone());
        let tmux = terminal_bytes(&ev, &n, true);
        prop_assert_eq!(tmux.matches('\u{1b}').count(), 4 + 4);
        prop_assert_eq!(tmux.matches('\u{7}').count(), 3);
    }
}

/// Found by `cleaned_text_is_one_printable_line`: the Arabic letter mark is a
/// bidi control like the left-to-right and right-to-left marks, and was
/// passed through.
#[test]
fn the_arabic_letter_mark_is_escaped_regression() {
    assert_eq!(clean("a\u{61c}b"), "a\\u{61c}b");
}
