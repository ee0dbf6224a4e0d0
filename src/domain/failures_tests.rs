use super::*;
use crate::emulator::dataset::{FailureKind, RegionProfile};
use crate::emulator::store::Store;
use proptest::prelude::*;
use std::collections::BTreeSet;

const KINDS: [FailureKind; 7] = [
    FailureKind::Kms,
    FailureKind::Quota,
    FailureKind::SourceMissing,
    FailureKind::CrossAccount,
    FailureKind::Internal,
    FailureKind::RegionDisabled,
    FailureKind::NameTaken,
];

/// Messages of one kind as the endpoint writes them, for jobs of several
/// data sets (seeds and regions): every account, region, key, model and
/// name they may embed varies. An account's models and peers are the same
/// whatever the data set's region (four peers, a few home regions), so the
/// seeds are what vary the accounts and the source regions.
fn emulator_messages(kind: FailureKind) -> Vec<String> {
    let mut out = Vec::new();
    for seed in [1, 5, 7, 42, 99, 1234, 2024, 31337] {
        for region in ["us-east-1", "eu-central-1", "ap-southeast-2"] {
            let profile = RegionProfile::new(seed, region);
            let store = Store::generate(profile, 60, 1_748_779_200_000, 0.0, 1.0);
            let p = &store.profile;
            for (i, job) in store.jobs().iter().enumerate() {
                let mut extras = p.extras(job);
                extras.failure_kind = kind as u8;
                // A KMS failure needs a key, as the data set only gives it one then.
                if extras.kms_key_arn.is_none() {
                    extras.kms_key_arn = Some(p.kms_keys[i % p.kms_keys.len()].clone());
                }
                out.push(p.failure_message(job, &extras));
            }
        }
    }
    out
}

#[test]
fn every_emulator_message_kind_is_one_pattern() {
    let mut all = BTreeSet::new();
    for kind in KINDS {
        let messages = emulator_messages(kind);
        let raw: BTreeSet<&String> = messages.iter().collect();
        assert!(
            raw.len() > 20,
            "{kind:?}: the messages vary ({})",
            raw.len()
        );
        let patterns: BTreeSet<String> = messages.iter().map(|m| normalise(m)).collect();
        assert_eq!(patterns.len(), 1, "{kind:?}: {patterns:#?}");
        all.extend(patterns);
    }
    assert_eq!(all.len(), KINDS.len(), "two kinds merged: {all:#?}");
}

#[test]
fn the_variable_parts_become_placeholders() {
    let cases = [
        (
            "Bedrock could not use the KMS key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab: AccessDeniedException when calling kms:CreateGrant.",
            "Bedrock could not use the KMS key <arn>: AccessDeniedException when calling kms:CreateGrant.",
        ),
        (
            "The source model arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0 was not found.",
            "The source model <arn> was not found.",
        ),
        (
            "ServiceQuotaExceededException: account 123456789012 has reached the limit of 1,000 custom models in eu-west-2.",
            "ServiceQuotaExceededException: account <account> has reached the limit of <n> custom models in <region>.",
        ),
        (
            "An internal error occurred (request id 0f8fad5b-d9cb-469f-a165-70867728950e).  Retry.",
            "An internal error occurred (request id <id>). Retry.",
        ),
        (
            "A custom model named fraud-sft-nova-lite-v3-use1-2 already exists in us-east-1.",
            "A custom model named <name> already exists in <region>.",
        ),
        (
            "Model with name 'my-model-7' already exists",
            "Model with name '<name>' already exists",
        ),
        (
            "Key mrk-1234abcd12ab34cd56ef1234567890ab (alias/team/ml-keys) is disabled",
            "Key <key> (alias/<name>) is disabled",
        ),
        (
            "Value '0' at 'maxResults' failed\tto\nsatisfy constraint: greater than or equal to 1",
            "Value '<n>' at 'maxResults' failed to satisfy constraint: greater than or equal to <n>",
        ),
    ];
    for (message, want) in cases {
        assert_eq!(normalise(message), want, "{message}");
    }
}

#[test]
fn different_causes_stay_apart() {
    let a = normalise(
        "The source model arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12 was not found.",
    );
    let b = normalise(
        "The source model arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12 is being deleted.",
    );
    let c = normalise("Access denied to the source model in account 111122223333.");
    let d = normalise("Access denied to the target model in account 111122223333.");
    let patterns: BTreeSet<&String> = [&a, &b, &c, &d].into_iter().collect();
    assert_eq!(patterns.len(), 4, "{patterns:#?}");
}

fn at(minutes: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_748_779_200 + minutes * 60, 0).expect("valid")
}

fn failed(id: &str, minutes: i64, account: &str, message: Option<&str>) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:us-east-1:123456789012:model-copy-job/{id}"),
        status: Status::Failed,
        created: at(minutes),
        target_model_arn:
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/zzzzzzzzzzzz".into(),
        target_model_name: None,
        source_account_id: account.into(),
        source_model_arn:
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/yyyyyyyyyyyy".into(),
        source_model_name: None,
        kms_key_arn: None,
        tags: vec![],
        failure_message: message.map(str::to_string),
    }
}

fn quota(account: &str, limit: u32) -> String {
    format!("account {account} has reached the limit of {limit} custom models in us-east-1.")
}

#[test]
fn groups_count_date_and_name_their_jobs() {
    let q1 = quota("111111111111", 100);
    let q2 = quota("222222222222", 500);
    let missing = "The source model arn:aws:bedrock:us-west-2:333333333333:custom-model/imported/abcdefghij12 was not found.";
    let mut done = failed("cccccccccccc", 50, "111111111111", None);
    done.status = Status::Completed;
    let jobs = vec![
        failed("aaaaaaaaaaaa", 10, "222222222222", Some(&q2)),
        failed("bbbbbbbbbbbb", 30, "111111111111", Some(&q1)),
        done,
        failed("dddddddddddd", 20, "333333333333", Some(missing)),
        failed("eeeeeeeeeeee", 5, "111111111111", Some(&q1)),
        failed("ffffffffffff", 40, "444444444444", None),
        failed("gggggggggggg", 45, "444444444444", Some("  \n ")),
        // Seen again through a second profile: counted once.
        failed("bbbbbbbbbbbb", 30, "111111111111", Some(&q1)),
    ];
    let groups = group(&jobs);
    let summary: Vec<(&str, usize)> = groups
        .iter()
        .map(|g| (g.pattern.as_str(), g.count))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "account <account> has reached the limit of <n> custom models in <region>.",
                3
            ),
            (NO_MESSAGE, 2),
            ("The source model <arn> was not found.", 1),
        ]
    );
    let q = &groups[0];
    assert_eq!((q.first, q.newest), (at(5), at(30)));
    assert_eq!(q.source_accounts, ["111111111111", "222222222222"]);
    assert_eq!(
        q.job_arns
            .iter()
            .map(|a| &a[a.len() - 12..])
            .collect::<Vec<_>>(),
        ["bbbbbbbbbbbb", "aaaaaaaaaaaa", "eeeeeeeeeeee"]
    );
    assert_eq!(q.example, q1, "the newest job's message");
    assert_eq!(groups[1].source_accounts, ["444444444444"]);
    assert_eq!((groups[1].first, groups[1].newest), (at(40), at(45)));
    assert!(group(&[]).is_empty());
}

#[test]
fn ties_go_to_the_most_recent_then_the_pattern() {
    let jobs = vec![
        failed("aaaaaaaaaaaa", 10, "111111111111", Some("b cause")),
        failed("bbbbbbbbbbbb", 10, "111111111111", Some("a cause")),
        failed("cccccccccccc", 20, "111111111111", Some("c cause")),
    ];
    let order: Vec<String> = group(&jobs).into_iter().map(|g| g.pattern).collect();
    assert_eq!(order, ["c cause", "a cause", "b cause"]);
    let mut reversed = jobs.clone();
    reversed.reverse();
    assert_eq!(
        group(&reversed),
        group(&jobs),
        "the input's order does not matter"
    );
}

/// Text built from the pieces the rules look for, glued in any order, so
/// the search reaches the edges between a placeholder and what follows.
fn message() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("arn:aws:bedrock:us-east-1:123456789012:model-copy-job/abcdefghij12".to_string()),
        Just("arn:aws:kms:eu-west-1:123456789012:key/".to_string()),
        Just("0f8fad5b-d9cb-469f-a165-70867728950e".to_string()),
        Just("mrk-1234abcd12ab34cd56ef1234567890ab".to_string()),
        Just("alias/".to_string()),
        Just("us-east-1".to_string()),
        Just("123456789012".to_string()),
        Just("named ".to_string()),
        Just("name ".to_string()),
        Just("<n>".to_string()),
        Just("<arn>".to_string()),
        "[0-9]{1,4}",
        "[ '\".,:/<>-]",
        "[a-z]{1,3}",
        "\\s{1,2}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

/// A cell's cause is the first sentence of the group's pattern: two jobs of
/// one cause read the same, and the advice that follows is left to `F`.
#[test]
fn a_short_cause_is_the_patterns_first_sentence() {
    let kms = "Bedrock could not use the KMS key arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab: AccessDeniedException when calling kms:CreateGrant. Grant the Bedrock service kms:CreateGrant in the key policy, then retry the copy.";
    assert_eq!(
        short_cause(Some(kms)),
        "Bedrock could not use the KMS key <arn>: AccessDeniedException when calling kms:CreateGrant"
    );
    let other_key = kms.replace("1234abcd", "9999ffff");
    assert_eq!(short_cause(Some(&other_key)), short_cause(Some(kms)));
    assert_eq!(
        short_cause(Some("The source model was not found.")),
        "The source model was not found"
    );
    assert_eq!(short_cause(None), NO_MESSAGE);
    assert_eq!(short_cause(Some("  ")), NO_MESSAGE);
}

proptest! {
    // A fixed seed: the same cases on every run (PROPTEST_CASES=5000 for a
    // longer search).
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
        rng_seed: std::env::var("PROPTEST_RNG_SEED").ok().and_then(|v| v.parse().ok()).map_or(proptest::test_runner::RngSeed::Fixed(7), proptest::test_runner::RngSeed::Fixed),
        ..ProptestConfig::default()
    })]

    /// A pattern is its own pattern: grouping patterns again changes nothing.
    #[test]
    fn normalise_is_idempotent(m in message()) {
        let once = normalise(&m);
        prop_assert_eq!(normalise(&once), once);
    }
}
