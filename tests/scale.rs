//! Item 4 of issue 25 (scale): an organisation's 300 sources (50 members ×
//! 6 regions) listed under 30 % throttling lose nothing, through the built
//! binary's `list --org` and the real SDK clients (STS, Organizations,
//! Bedrock), against a clean listing of the same data set.

mod support;

use copyjobs::emulator::{EmulatorOptions, Server};
use std::collections::BTreeSet;
use support::cli::{finish, isolated, jsonl_arns};

const REGIONS: &str = "us-east-1,us-west-2,eu-central-1,eu-west-1,ap-northeast-1,ap-southeast-2";

/// 50 members (every 10th suspended) × 6 regions, 4 jobs each, nothing
/// moving; `throttle` of the requests answered 429.
async fn org(throttle: f64) -> Server {
    support::start(EmulatorOptions {
        org_size: 50,
        jobs: 4,
        seed: 25,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(1_748_779_200_000),
        regions: REGIONS.split(',').map(String::from).collect(),
        throttle_rate: throttle,
        ..EmulatorOptions::default()
    })
    .await
}

async fn list(server: &Server) -> (i32, Vec<String>, String) {
    let url = server.url();
    let mut command = isolated(&[
        "list",
        "--org",
        "--role-name",
        "CopyJobsReader",
        "--regions",
        REGIONS,
        "--endpoint-url",
        &url,
        "-o",
        "jsonl",
    ]);
    // Where STS and Organizations are asked.
    command.env("AWS_REGION", "us-east-1");
    let (code, out, err) = finish(command).await;
    (code, jsonl_arns(&out), err)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_sources_under_thirty_percent_throttling_lose_nothing() {
    let clean = org(0.0).await;
    let (code, expected, err) = list(&clean).await;
    assert_eq!(code, 0, "{err}");
    // By hand: the 45 active members and the management account, 6 regions
    // of 4 jobs each.
    assert_eq!(expected.len(), 46 * 6 * 4);
    let throttled = org(0.3).await;
    let (code, got, err) = list(&throttled).await;
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("refused"), "{err}");
    // Throttling happened, and every job is there once.
    let refused = throttled
        .emulator
        .status_counts()
        .get(&429)
        .copied()
        .unwrap_or(0);
    assert!(refused > 50, "{refused} throttled");
    let once: BTreeSet<&String> = got.iter().collect();
    assert_eq!(once.len(), got.len(), "a job listed twice");
    assert_eq!(once, expected.iter().collect::<BTreeSet<_>>());
}
