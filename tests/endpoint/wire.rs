//! The wire itself: status codes, headers, auth refusals, faults, limits.

use crate::common::*;
use aws_sdk_bedrock::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_bedrock::operation::list_model_copy_jobs::ListModelCopyJobsError;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

#[tokio::test]
async fn requests_without_a_well_formed_authorization_are_access_denied() {
    let s = start(options(10)).await;
    for headers in [
        "",
        "Authorization: Basic dXNlcjpwYXNz\r\n",
        "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250601/us-east-1/bedrock, SignedHeaders=host, Signature=00\r\n",
        "Authorization: Bearer \r\n",
    ] {
        let (status, head, body) = raw(&s, &get_request("/model-copy-jobs", headers)).await;
        assert_eq!(status, 403, "{headers}: {body}");
        assert!(
            head.to_lowercase()
                .contains("x-amzn-errortype: accessdeniedexception"),
            "{head}"
        );
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["__type"], "AccessDeniedException");
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    // A well-formed header is enough when no credentials are configured.
    let (status, head, body) = raw(&s, &get_request("/model-copy-jobs?maxResults=2", SIGNED)).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        head.to_lowercase()
            .contains("content-type: application/json")
    );
    assert!(head.to_lowercase().contains("x-amzn-requestid: "));
    let (status, _, _) = raw(
        &s,
        &get_request(
            "/model-copy-jobs?maxResults=2",
            "Authorization: Bearer token123\r\n",
        ),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn with_credentials_the_signature_is_verified() {
    let mut o = options(30);
    o.credentials = Some(("AKIDGOOD".into(), "good-secret".into()));
    let s = start(o).await;
    let good = client_with(&s, "us-east-1", "AKIDGOOD", "good-secret", 1);
    let all = list_all(
        good.list_model_copy_jobs().target_model_name_contains("v1"),
        7,
    )
    .await;
    assert!(!all.is_empty());
    // Percent-encoded ARNs in the path and a JSON body verify too.
    good.get_model_copy_job()
        .job_arn(&all[0].job_arn)
        .send()
        .await
        .unwrap();
    good.list_tags_for_resource()
        .resource_arn(&all[0].target_model_arn)
        .send()
        .await
        .unwrap();

    let wrong_secret = client_with(&s, "us-east-1", "AKIDGOOD", "bad-secret", 1)
        .list_model_copy_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(wrong_secret.code(), Some("InvalidSignatureException"));
    assert!(wrong_secret.message().unwrap().contains("signature"));
    let wrong_key = client_with(&s, "us-east-1", "AKIDBAD", "good-secret", 1)
        .list_model_copy_jobs()
        .send()
        .await
        .unwrap_err();
    assert_eq!(wrong_key.code(), Some("UnrecognizedClientException"));
    let (status, _, _) = raw(&s, &get_request("/model-copy-jobs", SIGNED)).await;
    assert_eq!(status, 403, "a forged signature is refused");
}

#[tokio::test]
async fn throttling_and_server_errors_reach_the_client_typed() {
    let mut o = options(10);
    o.throttle_rate = 1.0;
    let s = start(o).await;
    match client(&s)
        .list_model_copy_jobs()
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        ListModelCopyJobsError::ThrottlingException(e) => {
            assert_eq!(e.message(), Some("Rate exceeded"))
        }
        other => panic!("expected ThrottlingException, got {other:?}"),
    }
    let mut o = options(10);
    o.error_rate = 1.0;
    let s = start(o).await;
    match client(&s)
        .list_model_copy_jobs()
        .send()
        .await
        .unwrap_err()
        .into_service_error()
    {
        ListModelCopyJobsError::InternalServerException(_) => {}
        other => panic!("expected InternalServerException, got {other:?}"),
    }
}

#[tokio::test]
async fn the_default_retry_rides_through_occasional_throttling() {
    let mut o = options(10);
    o.throttle_rate = 0.3;
    let s = start(o).await;
    let c = client_with(&s, "us-east-1", "a", "b", 10);
    for _ in 0..5 {
        c.list_model_copy_jobs()
            .send()
            .await
            .expect("retried until it went through");
    }
}

#[tokio::test]
async fn dropped_connections_and_latency_are_observed() {
    let mut o = options(300);
    o.drop_rate = 1.0;
    let s = start(o).await;
    let err = client(&s)
        .list_model_copy_jobs()
        .max_results(300)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            SdkError::ResponseError(_) | SdkError::DispatchFailure(_)
        ),
        "{err:?}"
    );
    let mut o = options(10);
    o.latency = Some((150, 150));
    let s = start(o).await;
    let t = Instant::now();
    client(&s).list_model_copy_jobs().send().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn unknown_operations_and_bad_timestamps_get_json_errors() {
    let s = start(options(10)).await;
    let (status, head, body) = raw(&s, &get_request("/foundation-models", SIGNED)).await;
    assert_eq!(status, 404);
    assert!(
        head.to_lowercase()
            .contains("x-amzn-errortype: unknownoperationexception")
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["message"]
            .as_str()
            .unwrap()
            .contains("ListModelCopyJobs")
    );
    let (status, _, body) = raw(
        &s,
        &get_request("/model-copy-jobs?creationTimeAfter=yesterday", SIGNED),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body.contains("Value 'yesterday' at 'creationTimeAfter' failed to satisfy constraint"),
        "{body}"
    );
    let (status, _, body) = raw(&s, &get_request("/model-copy-jobs?maxResults=ten", SIGNED)).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn bodies_over_a_mebibyte_are_refused() {
    let s = start(options(10)).await;
    let big = format!("{{\"sourceModelArn\":\"{}\"}}", "a".repeat(1 << 20));
    let req = format!(
        "POST /model-copy-jobs HTTP/1.1\r\nHost: localhost\r\n{SIGNED}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{big}",
        big.len()
    );
    let (status, head, body) = raw(&s, req.as_bytes()).await;
    assert_eq!(status, 413, "{body}");
    // Not ValidationException, which the service model answers with 400.
    assert!(
        head.contains("x-amzn-errortype: RequestEntityTooLargeException"),
        "{head}"
    );
}

#[tokio::test]
async fn a_stalled_client_does_not_stall_others() {
    let s = start(options(10)).await;
    // Half a request, never finished: its connection waits alone.
    let mut stalled = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    stalled
        .write_all(b"POST /model-copy-jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        .await
        .unwrap();
    let c = client(&s);
    for _ in 0..3 {
        tokio::time::timeout(Duration::from_secs(30), c.list_model_copy_jobs().send())
            .await
            .expect("answered beside the stalled connection")
            .unwrap();
    }
    drop(stalled);
}
