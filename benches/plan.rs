//! The replication plan (`domain::plan`) over 2,000 models × 6 regions:
//! how long comparing the policy with the matrix takes once the read is
//! done. Run: `cargo bench --bench plan`. Budget: 200 ms.
//!
//! The matrix holds 2,000 source models of four base models (Nova Canvas
//! among them, whose copies go to three regions only) living in the six
//! regions, with one to five copies each of every status, and the policy
//! three rules: every Nova model everywhere, a name pattern with a name
//! template, KMS keys and tags, and an account's models in two regions.

use chrono::{DateTime, Duration};
use copyjobs::domain::copy_regions::CopyRegions;
use copyjobs::domain::job::{CopyJob, Status, Tag, intern};
use copyjobs::domain::matrix::Matrix;
use copyjobs::domain::plan::plan;
use copyjobs::domain::policy::{Glob, Policy, Rule, Template};
use criterion::{Criterion, criterion_group};

#[path = "support/budget.rs"]
mod budget;

const REGIONS: [&str; 6] = [
    "us-east-1",
    "us-west-2",
    "eu-central-1",
    "eu-west-1",
    "ap-northeast-1",
    "ap-south-1",
];
const BASES: [&str; 4] = [
    "amazon.nova-lite-v1:0:300k",
    "amazon.nova-canvas-v1:0",
    "meta.llama3-1-8b-instruct-v1:0:128k",
    "amazon.nova-pro-v1:0:300k",
];
const TEAMS: [&str; 6] = ["fraud", "search", "claims", "voice", "risk", "docs"];
const MODELS: usize = 2_000;

fn regions() -> Vec<String> {
    REGIONS.iter().map(|r| r.to_string()).collect()
}

/// Copy `c` of model `m`: into the region after its home, `c` over.
fn job(m: usize, c: usize) -> CopyJob {
    let t0 = DateTime::parse_from_rfc3339("2025-06-01T12:00:00Z")
        .unwrap()
        .to_utc();
    let home = REGIONS[m % 6];
    let region = REGIONS[(m + 1 + c) % 6];
    let base = BASES[m % BASES.len()];
    let team = TEAMS[m % TEAMS.len()];
    let account = ["111122223333", "444455556666", "777788889999"][m % 3];
    let id = format!("{:06}{:06}", m, c);
    let status = match (m + c) % 10 {
        0 => Status::InProgress,
        1 | 2 => Status::Failed,
        _ => Status::Completed,
    };
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:{account}:model-copy-job/{id}"),
        failure_message: (status == Status::Failed).then(|| {
            format!("ServiceQuotaExceededException: the limit of custom models in {region}")
        }),
        status,
        created: t0 - Duration::seconds((m * 7 + c) as i64),
        target_model_arn: format!("arn:aws:bedrock:{region}:{account}:custom-model/{base}/{id}"),
        target_model_name: Some(format!("{team}-sft-{m}-copy")),
        source_account_id: intern(account),
        source_model_arn: intern(&format!(
            "arn:aws:bedrock:{home}:{account}:custom-model/{base}/src{m:09}"
        )),
        source_model_name: Some(intern(&format!("{team}-sft-{m}"))),
        kms_key_arn: None,
        tags: Vec::new(),
    }
}

fn matrix() -> Matrix {
    let jobs: Vec<CopyJob> = (0..MODELS)
        .flat_map(|m| (0..=(m % 5)).map(move |c| job(m, c)))
        .collect();
    Matrix::build(&regions(), &jobs, CopyRegions::shipped())
}

fn policy() -> Policy {
    let everywhere = Rule {
        base_model: Some(Glob::parse("amazon.nova-*").unwrap()),
        regions: regions(),
        ..Rule::default()
    };
    let fraud = Rule {
        name: Some(Glob::parse("fraud-*").unwrap()),
        regions: vec![
            "eu-central-1".into(),
            "eu-west-1".into(),
            "us-east-1".into(),
        ],
        copy_name: Some(Template::parse("{name}-{region}").unwrap()),
        kms_keys: [("eu-central-1".to_string(), "alias/models-eu".to_string())].into(),
        tags: vec![Tag {
            key: "team".into(),
            value: "fraud".into(),
        }],
        ..Rule::default()
    };
    let account = Rule {
        source_account: Some(Glob::parse("4444*").unwrap()),
        regions: vec!["us-west-2".into(), "ap-south-1".into()],
        ..Rule::default()
    };
    Policy {
        rules: vec![everywhere, fraud, account],
    }
}

fn bench(c: &mut Criterion) {
    let (m, p) = (matrix(), policy());
    assert_eq!(m.rows().len(), MODELS);
    c.bench_function("plan, 2,000 models x 6 regions, 3 rules", |b| {
        b.iter(|| std::hint::black_box(plan(&m, &p, &[])));
    });
}

/// The promise of the module's head: the plan in under 200 ms.
fn budgets() {
    let (m, p) = (matrix(), policy());
    let steps = plan(&m, &p, &[]).steps.len();
    println!("{steps} steps");
    let mut budgets = budget::Budgets::default();
    let took = budget::median(5, || {
        std::hint::black_box(plan(&m, &p, &[]));
    });
    budgets.time(
        "plan, 2,000 models x 6 regions",
        took,
        std::time::Duration::from_millis(200),
    );
    budgets.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if budget::benchmarking() {
        budgets();
    }
}
