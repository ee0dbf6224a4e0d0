use super::*;
use crate::domain::copy_regions::CopyRegions;
use crate::domain::job::CopyJob;
use crate::domain::policy::{Glob, Rule};
use chrono::TimeZone;

const ACCOUNT: &str = "111122223333";
const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-central-1"];

fn model_arn(base: &str, region: &str, id: &str) -> String {
    format!("arn:aws:bedrock:{region}:{ACCOUNT}:custom-model/{base}:0/{id}")
}

/// A copy of `source` into `region`, `minute` minutes into the day.
fn job(source: &str, name: &str, region: &str, status: Status, minute: u32, id: &str) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:{ACCOUNT}:model-copy-job/{id}"),
        failure_message: (status == Status::Failed).then(|| "KMS key is disabled".to_string()),
        status,
        created: chrono::Utc
            .with_ymd_and_hms(2025, 6, 1, 0, minute, 0)
            .unwrap(),
        target_model_arn: format!("arn:aws:bedrock:{region}:{ACCOUNT}:custom-model/x/{id}"),
        target_model_name: Some(format!("{name}-copy")),
        source_account_id: ACCOUNT.into(),
        source_model_arn: source.into(),
        source_model_name: Some(name.into()),
        kms_key_arn: None,
        tags: Vec::new(),
    }
}

fn nova_rule() -> Rule {
    Rule {
        base_model: Some(Glob::parse("amazon.nova-*").unwrap()),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        ..Rule::default()
    }
}

fn matrix(jobs: &[CopyJob]) -> Matrix {
    let regions: Vec<String> = REGIONS.iter().map(|r| r.to_string()).collect();
    Matrix::build(&regions, jobs, CopyRegions::shipped())
}

/// (model name, region, action), as a hand-written table says them.
fn actions(p: &Plan) -> Vec<(String, String, Action)> {
    p.steps
        .iter()
        .map(|s| (s.model_name.clone(), s.region.clone(), s.action))
        .collect()
}

#[test]
fn each_region_a_rule_names_gets_the_action_its_cell_calls_for() {
    let lite = model_arn("amazon.nova-lite-v1", "us-west-2", "aaaaaaaaaaaa");
    let canvas = model_arn("amazon.nova-canvas-v1", "us-east-1", "bbbbbbbbbbbb");
    let titan = model_arn("amazon.titan-text-lite-v1", "us-east-1", "cccccccccccc");
    let jobs = [
        // lite: failed into us-east-1 after an older completed one, none
        // into eu-central-1; it lives in us-west-2.
        job(
            &lite,
            "fraud",
            "us-east-1",
            Status::Completed,
            1,
            "j00000000001",
        ),
        job(
            &lite,
            "fraud",
            "us-east-1",
            Status::Failed,
            2,
            "j00000000002",
        ),
        // canvas: running into us-west-2 (where the guide says it cannot
        // go: what is there wins), none into eu-central-1 (cannot).
        job(
            &canvas,
            "art",
            "us-west-2",
            Status::InProgress,
            3,
            "j00000000003",
        ),
        // titan: not a Nova model, no rule picks it.
        job(
            &titan,
            "text",
            "us-west-2",
            Status::Completed,
            4,
            "j00000000004",
        ),
    ];
    let p = plan(
        &matrix(&jobs),
        &Policy {
            rules: vec![nova_rule()],
        },
        &[],
    );
    let want = [
        ("art", "us-east-1", Action::Ok),
        ("art", "us-west-2", Action::InProgress),
        ("art", "eu-central-1", Action::Cannot),
        ("fraud", "us-east-1", Action::Retry),
        ("fraud", "us-west-2", Action::Ok),
        ("fraud", "eu-central-1", Action::Copy),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(m, r, a)| (m.to_string(), r.to_string(), *a))
        .collect();
    assert_eq!(actions(&p), want);
    assert!(p.drift());
    let retry = &p.steps[3];
    assert_eq!(retry.detail, "KMS key is disabled");
    let request = retry.request.as_ref().unwrap();
    assert_eq!(request.target_model_name, "fraud-copy");
    assert_eq!(
        request.salt, "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/j00000000002",
        "a retry's token names the failed job, so a re-run retries it once"
    );
    let copy = p.steps[5].request.as_ref().unwrap();
    assert_eq!(copy.salt, "");
    assert_eq!(copy.region, "eu-central-1");
    assert_eq!(
        p.steps[2].detail,
        "its base model's copies go to ap-northeast-2, eu-west-1, us-east-1 only"
    );
    assert!(
        p.steps
            .iter()
            .all(|s| s.action.creates() == s.request.is_some())
    );
}

/// A Nova Lite model of us-west-2, copied to us-east-1.
fn one_copy() -> Matrix {
    let lite = model_arn("amazon.nova-lite-v1", "us-west-2", "aaaaaaaaaaaa");
    matrix(&[job(
        &lite,
        "fraud",
        "us-east-1",
        Status::Completed,
        1,
        "j00000000001",
    )])
}

#[test]
fn a_region_not_read_is_planned_nowhere_and_named() {
    let m = one_copy();
    let mut rule = nova_rule();
    rule.regions.push("ap-south-1".into());
    let p = plan(
        &m,
        &Policy { rules: vec![rule] },
        &["eu-central-1".to_string()],
    );
    assert_eq!(p.unread, ["eu-central-1", "ap-south-1"]);
    assert_eq!(
        p.steps
            .iter()
            .map(|s| s.region.as_str())
            .collect::<Vec<_>>(),
        ["us-east-1", "us-west-2"]
    );
    assert!(!p.drift(), "ok everywhere it was read");
}

#[test]
fn the_first_rule_naming_a_region_says_how_its_copy_is_made() {
    let m = one_copy();
    let t = crate::domain::policy::Template::parse("{name}-{region}").unwrap();
    let first = Rule {
        name: Some(Glob::parse("fr*").unwrap()),
        regions: vec!["eu-central-1".into()],
        copy_name: Some(t),
        kms_keys: [("eu-central-1".to_string(), "alias/eu".to_string())].into(),
        ..Rule::default()
    };
    let p = plan(
        &m,
        &Policy {
            rules: vec![first, nova_rule()],
        },
        &[],
    );
    // The first rule's region first, then the second's.
    let regions: Vec<&str> = p.steps.iter().map(|s| s.region.as_str()).collect();
    assert_eq!(regions, ["eu-central-1", "us-east-1", "us-west-2"]);
    let r = p.steps[0].request.as_ref().unwrap();
    assert_eq!(r.target_model_name, "fraud-eu-central-1");
    assert_eq!(r.kms_key_id.as_deref(), Some("alias/eu"));
    // A rule picking by account, region of origin: this model is neither.
    let other = Rule {
        source_account: Some(Glob::parse("9999*").unwrap()),
        ..nova_rule()
    };
    assert!(
        plan(&m, &Policy { rules: vec![other] }, &[])
            .steps
            .is_empty()
    );
    let elsewhere = Rule {
        source_region: Some("eu-west-1".into()),
        ..nova_rule()
    };
    assert!(
        plan(
            &m,
            &Policy {
                rules: vec![elsewhere]
            },
            &[]
        )
        .steps
        .is_empty()
    );
}

#[test]
fn no_rule_picks_a_foundation_model() {
    let foundation = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0";
    let m = matrix(&[job(
        foundation,
        "",
        "us-east-1",
        Status::Completed,
        1,
        "j00000000001",
    )]);
    assert!(
        plan(
            &m,
            &Policy {
                rules: vec![nova_rule()]
            },
            &[]
        )
        .steps
        .is_empty()
    );
}

#[test]
fn a_listed_model_is_copied_once_active_and_not_while_being_made() {
    use crate::domain::custom_model::CustomModel;
    let listed = |id: &str, status: &str| CustomModel {
        model_arn: model_arn("amazon.nova-micro-v1", "us-west-2", id).into(),
        model_name: Some(format!("m-{id}").into()),
        owner_account_id: ACCOUNT.into(),
        base_model_arn: None,
        base_model_name: None,
        customization_type: Some("FINE_TUNING".into()),
        model_status: Some(status.into()),
        creation_time: None,
    };
    let mut m = matrix(&[]);
    let models = [
        listed("aaaaaaaaaaaa", "Active"),
        listed("bbbbbbbbbbbb", "Creating"),
    ];
    m.add_models(models.iter());
    let policy = Policy {
        rules: vec![nova_rule()],
    };
    let p = plan(&m, &policy, &[]);
    let said = |id: &str, region: &str| {
        p.steps
            .iter()
            .find(|s| s.source_model_arn.ends_with(id) && s.region == region)
            .map(|s| (s.action, s.detail.clone()))
            .unwrap()
    };
    assert_eq!(said("aaaaaaaaaaaa", "us-east-1").0, Action::Copy);
    assert_eq!(said("aaaaaaaaaaaa", "us-west-2").0, Action::Ok);
    let (action, detail) = said("bbbbbbbbbbbb", "eu-central-1");
    assert_eq!(action, Action::Cannot);
    assert!(detail.contains("Creating"), "{detail}");
    assert!(
        !p.steps
            .iter()
            .any(|s| s.request.is_some() && s.source_model_arn.ends_with("bbbbbbbbbbbb"))
    );
}
