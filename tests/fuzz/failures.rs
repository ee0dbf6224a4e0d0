//! Failure messages folded into patterns (`failures::normalise`): the
//! endpoint's own messages with a few characters changed, and anything.

use crate::support::*;
use copyjobs::domain::failures::normalise;
use copyjobs::emulator::api;
use proptest::prelude::*;
use std::sync::LazyLock;

/// The failure messages of the endpoint's failed jobs.
static MESSAGES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let (_, body) = api::list(
        &emulator(400),
        "us-east-1",
        "statusEquals=Failed&maxResults=1000",
    )
    .expect("a listing");
    let v: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    v["modelCopyJobSummaries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|j| j["failureMessage"].as_str().map(str::to_string))
        .collect()
});

fn message() -> impl Strategy<Value = String> {
    let real =
        any::<proptest::sample::Index>().prop_map(|i| MESSAGES[i.index(MESSAGES.len())].clone());
    prop_oneof![real.clone(), near(real), text(120)]
}

proptest! {
    #![proptest_config(config(512))]

    /// A pattern is one line of single spaces, and its own pattern.
    #[test]
    fn patterns_are_tidy_and_fixed_points(m in message()) {
        let p = normalise(&m);
        prop_assert_eq!(p.trim(), p.as_str());
        prop_assert!(!p.contains("  ") && !p.contains(['\n', '\r', '\t']), "{p:?}");
        prop_assert_eq!(normalise(&p), p.clone());
    }
}
