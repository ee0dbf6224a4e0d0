//! Request counting: `Emulator::request_counts`, the answers by status
//! (`Emulator::status_counts`, `Emulator::dropped_count`) and
//! `GET /_emulator/stats`.

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
            "total": 5,
            "statuses": {"200": 5},
            "dropped": 0
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

#[tokio::test]
async fn answers_are_counted_by_status_and_cut_off_responses_apart() {
    let mut o = options(40);
    o.throttle_rate = 0.3;
    o.error_rate = 0.2;
    o.drop_rate = 0.2;
    let s = start(o).await;
    // One attempt a request: every answer the endpoint gives reaches the test.
    let c = client(&s);
    let sent = 200;
    let mut outcomes = BTreeMap::new();
    for _ in 0..sent {
        let outcome = match c.list_model_copy_jobs().send().await {
            Ok(_) => "ok",
            Err(e) => match e.raw_response().map(|r| r.status().as_u16()) {
                Some(429) => "throttled",
                Some(500) => "failed",
                _ => "cut off",
            },
        };
        *outcomes.entry(outcome).or_insert(0u64) += 1;
    }
    // Refused before its region is known: counted by status all the same.
    let (status, _, _) = raw(&s, &get_request("/model-copy-jobs", "")).await;
    assert_eq!(status, 403);
    let statuses = s.emulator.status_counts();
    let dropped = s.emulator.dropped_count();
    assert_eq!(statuses.get(&200), outcomes.get("ok"), "{outcomes:?}");
    assert_eq!(statuses.get(&429), outcomes.get("throttled"));
    assert_eq!(statuses.get(&500), outcomes.get("failed"));
    assert_eq!(Some(&dropped), outcomes.get("cut off"));
    assert_eq!(statuses.get(&403), Some(&1));
    assert!(
        statuses[&429] > 20 && statuses[&500] > 10 && dropped > 10,
        "{statuses:?} {dropped}"
    );
    assert_eq!(statuses.values().sum::<u64>() + dropped, sent + 1);
    // The request counts are unchanged by this: only signed requests.
    assert_eq!(s.emulator.requests_total(), sent);
    let (_, _, body) = raw(&s, &get_request("/_emulator/stats", "")).await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["statuses"]["429"], statuses[&429]);
    assert_eq!(v["statuses"]["403"], 1);
    assert_eq!(v["dropped"], dropped);
    assert_eq!(v["total"], sent);
}
