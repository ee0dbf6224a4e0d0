use super::*;
use crate::domain::copy_regions::CopyRegions;
use crate::domain::job::CopyJob;

const NOVA: &str =
    "arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-lite-v1:0:300k/novanova0001";
const HAIKU: &str = "arn:aws:bedrock:us-west-2:111122223333:custom-model/anthropic.claude-3-haiku-20240307-v1:0:200k/haikuhaiku01";
const COHERE: &str = "arn:aws:bedrock:us-east-1:444455556666:custom-model/cohere.command-light-text-v14:7:4k/coherecohere";

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_748_779_200, 0).expect("valid")
}

fn job(id: &str, region: &str, source: &str, status: Status, ago_mins: i64) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"),
        status: status.clone(),
        created: now() - chrono::Duration::minutes(ago_mins),
        target_model_arn: format!(
            "arn:aws:bedrock:{region}:111122223333:custom-model/amazon.nova-lite-v1:0:300k/{id}"
        ),
        target_model_name: None,
        source_account_id: source.split(':').nth(4).unwrap_or("").into(),
        source_model_arn: source.into(),
        source_model_name: source
            .contains("nova")
            .then(|| "fraud-sft-nova-lite".into()),
        kms_key_arn: None,
        tags: Vec::new(),
        failure_message: (status == Status::Failed).then(|| {
            "Bedrock could not use the KMS key arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab: AccessDeniedException when calling kms:CreateGrant. Grant the Bedrock service kms:CreateGrant."
                .to_string()
        }),
    }
}

fn matrix() -> Matrix {
    let regions: Vec<String> = ["us-east-1", "us-west-2", "eu-central-1"]
        .iter()
        .map(|r| r.to_string())
        .collect();
    let jobs = vec![
        job(
            "aaaaaaaaaaa1",
            "us-west-2",
            NOVA,
            Status::Completed,
            3 * 1440 + 60,
        ),
        job("aaaaaaaaaaa2", "us-west-2", NOVA, Status::Failed, 1440),
        job("aaaaaaaaaaa3", "us-west-2", NOVA, Status::Completed, 90),
        job("aaaaaaaaaaa4", "eu-central-1", NOVA, Status::InProgress, 12),
        job("aaaaaaaaaaa5", "us-east-1", HAIKU, Status::Failed, 30),
        job("aaaaaaaaaaa6", "eu-central-1", COHERE, Status::Completed, 5),
    ];
    Matrix::build(&regions, &jobs, CopyRegions::shipped())
}

#[test]
fn the_table_draws_the_matrix_with_its_symbols() {
    let text = table(&matrix(), 140, now());
    let want = "\
3 source models, 6 copy jobs into 3 regions

MODEL                                     ACCOUNT       HOME       BASE MODEL                us-east-1             us-west-2    eu-central-1
anthropic.claude-3-haiku-20240307-v1:0:…  111122223333  us-west-2  anthropic.claude-3-haik…  ✘ Bedrock could not…  ● origin     ⊘
cohere.command-light-text-v14:7:4k/cohe…  444455556666  us-east-1  cohere.command-light-te…  ● origin              ·            ✔ 5m
fraud-sft-nova-lite                       111122223333  us-east-1  amazon.nova-lite-v1       ● origin              ✔ ×3 1h 30m  ◐ 12m

HOME: the region the model lives in · ✔ completed, started … ago · ◐ running for … · ✘ failed: its cause · ×N copies in all, the newest
shown · ● the model's own region · · no copy · ⊘ copies of its base model cannot go there
Not in the table of regions a copy can go to (the Bedrock user guide's, as of 2026-11-30), so never marked ⊘: cohere.command-light-text-v14.
[copy_regions] in the config names their regions.
";
    assert_eq!(text, want);
    for w in [30, 60, 80, 100, 140, 220] {
        for l in table(&matrix(), w, now()).lines() {
            assert!(display_width(l) <= w, "{w}: {l}");
        }
    }
    // Narrow: the account goes first, then the base model, then the home
    // region; the symbols stay.
    let header = |w: usize| {
        table(&matrix(), w, now())
            .lines()
            .nth(2)
            .unwrap_or("")
            .to_string()
    };
    // At their least: MODEL 40 (of its 56), ACCOUNT 12, HOME 9 (us-west-2,
    // whole), BASE MODEL 14, the regions 12, 11 (its longest cell) and 12,
    // two cells between columns: 122 with the account, 108 without, 92
    // without the base model; then the name gives way to 28 (80 cells)
    // before the home goes.
    assert!(header(122).contains("ACCOUNT"), "{}", header(122));
    let narrow = header(121);
    assert!(
        !narrow.contains("ACCOUNT") && narrow.contains("BASE MODEL"),
        "{narrow}"
    );
    assert!(header(108).contains("BASE MODEL"), "{}", header(108));
    let narrower = header(107);
    assert!(
        !narrower.contains("BASE MODEL") && narrower.contains("HOME"),
        "{narrower}"
    );
    assert!(header(80).contains("HOME"), "{}", header(80));
    assert!(!header(79).contains("HOME"), "{}", header(79));
    let narrower = table(&matrix(), 50, now());
    assert!(
        narrower.contains('⊘') && narrower.contains('◐'),
        "{narrower}"
    );
    assert_eq!(
        table(&Matrix::new(&[], CopyRegions::shipped()), 80, now()),
        "no copy jobs\n"
    );
}

#[test]
fn columns_take_what_they_hold_and_wide_terminals_cut_nothing() {
    // The longest texts of `matrix()`, counted by hand: the haiku model's
    // id (56 cells), its base model (36), the KMS cause in us-east-1:
    // at 300 columns nothing is cut.
    let wide = table(&matrix(), 300, now());
    let rows: Vec<&str> = wide.lines().skip(2).take(4).collect();
    // Names and base models whole; the cause as short_cause makes it.
    let cause = short_cause(Some(
        "Bedrock could not use the KMS key arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab: AccessDeniedException when calling kms:CreateGrant. Grant the Bedrock service kms:CreateGrant.",
    ));
    assert!(
        rows[1].starts_with(&format!(
            "anthropic.claude-3-haiku-20240307-v1:0:200k/haikuhaiku01  111122223333  us-west-2  anthropic.claude-3-haiku-20240307-v1  ✘ {cause}  ● origin"
        )),
        "{}",
        rows[1]
    );
    // A region column is as wide as its longest cell: us-west-2 holds
    // "✔ ×3 1h 30m" (11 cells), so its header is followed by two spaces
    // after 11 cells, not by a fixed 20.
    assert!(rows[0].contains("us-west-2    eu-central-1"), "{}", rows[0]);
    // HOME is never cut: whole, or left out.
    for w in [60, 80, 100, 120, 140, 200] {
        let t = table(&matrix(), w, now());
        assert!(!t.contains("us-wes…") && !t.contains("us-eas…"), "{w}: {t}");
    }
}

#[test]
fn json_has_a_region_only_where_a_copy_exists() {
    let v = json(&matrix());
    let models = v.as_array().unwrap();
    assert_eq!(models.len(), 3);
    let nova = &models[2];
    let keys: Vec<&String> = nova.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "sourceModelArn",
            "sourceModelName",
            "sourceAccountId",
            "sourceRegion",
            "baseModel",
            "modelStatus",
            "customizationType",
            "creationTime",
            "regions"
        ]
    );
    // Known from copy jobs alone: what only the model's listing says is
    // null.
    for key in ["modelStatus", "customizationType", "creationTime"] {
        assert_eq!(nova[key], Value::Null, "{key}");
    }
    assert_eq!(nova["sourceModelName"], "fraud-sft-nova-lite");
    assert_eq!(nova["sourceRegion"], "us-east-1");
    assert_eq!(nova["baseModel"], "amazon.nova-lite-v1");
    let regions = nova["regions"].as_object().unwrap();
    assert_eq!(
        regions.keys().collect::<Vec<_>>(),
        ["us-west-2", "eu-central-1"]
    );
    let west = &regions["us-west-2"];
    assert_eq!(west["status"], "Completed");
    assert_eq!(west["copies"], 3);
    assert_eq!(
        west["jobArn"],
        "arn:aws:bedrock:us-west-2:111122223333:model-copy-job/aaaaaaaaaaa3"
    );
    assert_eq!(west["creationTime"], "2025-06-01T10:30:00Z");
    assert!(
        west["targetModelArn"]
            .as_str()
            .unwrap()
            .ends_with("/aaaaaaaaaaa3")
    );
    // No name from the service: null, not made up.
    assert_eq!(models[0]["sourceModelName"], Value::Null);
}

#[test]
fn csv_has_a_row_per_model_and_region() {
    let mut out = Vec::new();
    write_csv(&mut out, &matrix()).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    assert_eq!(reader.headers().unwrap(), CSV_HEADER.to_vec());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 9);
    let haiku_eu = &rows[2];
    assert_eq!(&haiku_eu[5], "eu-central-1");
    assert_eq!(
        (&haiku_eu[6], &haiku_eu[7], &haiku_eu[8]),
        ("false", "no", "")
    );
    assert_eq!(&haiku_eu[12], "0");
    let haiku_home = &rows[1];
    assert_eq!((&haiku_home[5], &haiku_home[6]), ("us-west-2", "true"));
    let cohere_eu = &rows[5];
    assert_eq!((&cohere_eu[7], &cohere_eu[8]), ("unknown", "Completed"));
}

/// At 80 columns an organisation's matrix keeps its ACCOUNT column (14
/// cells, its names cut where they differ) before the home region: one
/// model name in two accounts read alike without it (the demo's
/// `analytics-classifier-nova-pro-v1` twice).
#[test]
fn at_80_columns_an_organisations_matrix_keeps_whose_each_model_is() {
    let regions: Vec<String> = ["us-east-1", "us-west-2"].map(String::from).to_vec();
    let recsys = "arn:aws:bedrock:us-east-1:111111111111:custom-model/amazon.nova-pro-v1:0:300k/aaaaaaaaaaaa";
    let risk = "arn:aws:bedrock:us-east-1:222222222222:custom-model/amazon.nova-pro-v1:0:300k/bbbbbbbbbbbb";
    let mut a = job("cccccccccc01", "us-west-2", recsys, Status::Completed, 60);
    let mut b = job("cccccccccc02", "us-west-2", risk, Status::Completed, 60);
    a.source_model_name = Some("analytics-classifier-nova-pro-v1".into());
    b.source_model_name = Some("analytics-classifier-nova-pro-v1".into());
    let mut m = Matrix::build(&regions, &[a, b], CopyRegions::shipped());
    m.name_accounts([
        (
            "111111111111".to_string(),
            "team-recsys-sandbox".to_string(),
        ),
        ("222222222222".to_string(), "team-risk-sandbox".to_string()),
    ]);
    let text = table(&m, 80, now());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[2].contains("ACCOUNT"), "{text}");
    assert!(
        lines[3].contains("team-re…andbox") && lines[4].contains("team-ri…andbox"),
        "{text}"
    );
    assert_ne!(lines[3], lines[4]);
    for l in &lines {
        assert!(display_width(l) <= 80, "{l}");
    }
}

/// A foundation model copied from two regions is two rows of one name
/// and account (`(AWS)`): at 80 columns they read alike
/// (`amazon.nova-lite-v1:0 (foun…` twice) once the home region gave
/// way, so it stays for them.
#[test]
fn rows_alike_but_for_their_home_keep_the_home_column() {
    let regions: Vec<String> = ["us-east-1", "us-west-2", "eu-central-1"]
        .map(String::from)
        .to_vec();
    let east = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";
    let west = "arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-lite-v1:0";
    let jobs = vec![
        job("dddddddddd01", "eu-central-1", east, Status::Completed, 60),
        job("dddddddddd02", "eu-central-1", west, Status::Completed, 60),
    ];
    let m = Matrix::build(&regions, &jobs, CopyRegions::shipped());
    let text = table(&m, 80, now());
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[2].contains("HOME"), "{text}");
    assert_ne!(lines[3], lines[4], "{text}");
    assert!(
        lines[3].contains("us-east-1") && lines[4].contains("us-west-2"),
        "{text}"
    );
    for w in [40, 50, 60, 70, 80] {
        for l in table(&m, w, now()).lines() {
            assert!(display_width(l) <= w, "{w}: {l}");
        }
    }
}
