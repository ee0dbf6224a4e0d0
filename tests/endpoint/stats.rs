//! Request counting: `Emulator::request_counts` and `GET /_emulator/stats`.

use crate::common::*;
use aws_sdk_bedrock::config::retry::RetryConfig;
use std::collections::BTreeMap;
use std::time::Duration;

fn key(region: &str, op: &str) -> (String, String) {
    (region.to_string(), op.to_string())
}

#[tokio::test]
async fn api_requests_are_counted_by_region_and_operation() {
    let s = start(options(30)).await;
    let c = client(&s);
    assert_eq!(s.emulator.requests_total(), 0);
    // 30 jobs, 10 a page: three full pages, the last without a token.
    let jobs = list_all(c.list_model_copy_jobs(), 10).await;
    assert_eq!(jobs.len(), 30);
    c.get_model_copy_job()
        .job_arn(&jobs[0].job_arn)
        .send()
        .await
        .unwrap();
    let west = client_with(&s, "eu-west-1", "AKIDTEST", "secret", 1);
    west.list_model_copy_jobs().send().await.unwrap();
    let want = BTreeMap::from([
        (key("eu-west-1", "ListModelCopyJobs"), 1),
        (key("us-east-1", "GetModelCopyJob"), 1),
        (key("us-east-1", "ListModelCopyJobs"), 3),
    ]);
    assert_eq!(s.emulator.request_counts(), want);
    assert_eq!(s.emulator.requests_total(), 5);

    // Control requests count nothing, the stats request included.
    let (status, _, _) = raw(&s, &get_request("/_emulator/health", "")).await;
    assert_eq!(status, 200);
    let (status, head, body) = raw(&s, &get_request("/_emulator/stats", "")).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        head.to_lowercase()
            .contains("content-type: application/json")
    );
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "requests": {
                "eu-west-1": {"ListModelCopyJobs": 1},
                "us-east-1": {"GetModelCopyJob": 1, "ListModelCopyJobs": 3}
            },
            "total": 5
        })
    );
    assert_eq!(s.emulator.requests_total(), 5);
}

#[tokio::test]
async fn refused_requests_count_once_they_name_an_operation() {
    let mut o = options(10);
    o.throttle_rate = 1.0;
    let s = start(o).await;
    // Three attempts, all throttled: the client sent three requests.
    let conf = client(&s)
        .config()
        .to_builder()
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        )
        .build();
    let err = aws_sdk_bedrock::Client::from_conf(conf)
        .list_model_copy_jobs()
        .send()
        .await
        .unwrap_err();
    assert!(format!("{err:?}").contains("ThrottlingException"));
    // No signature: refused before its region is known, so not counted.
    let (status, _, _) = raw(&s, &get_request("/model-copy-jobs", "")).await;
    assert_eq!(status, 403);
    assert_eq!(
        s.emulator.request_counts(),
        BTreeMap::from([(key("us-east-1", "ListModelCopyJobs"), 3)])
    );
}
