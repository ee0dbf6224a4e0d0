//! Shared test plumbing: the real endpoint on a free loopback port, and the
//! real `aws-sdk-bedrock` client pointed at it.
#![allow(dead_code)]

use aws_sdk_bedrock::config::retry::RetryConfig;
use aws_sdk_bedrock::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_bedrock::operation::list_model_copy_jobs::ListModelCopyJobsError;
use aws_sdk_bedrock::types::ModelCopyJobSummary;
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The frozen clock's start: tests never depend on today's date.
pub const NOW: &str = "2025-06-01T12:00:00Z";

pub fn options(jobs: usize) -> EmulatorOptions {
    EmulatorOptions {
        jobs,
        seed: 42,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(
            chrono::DateTime::parse_from_rfc3339(NOW)
                .unwrap()
                .timestamp_millis(),
        ),
        ..EmulatorOptions::default()
    }
}

pub async fn start(options: EmulatorOptions) -> Server {
    Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into())
        .await
        .expect("bind a free port")
}

pub fn client_with(
    server: &Server,
    region: &str,
    akid: &str,
    secret: &str,
    attempts: u32,
) -> aws_sdk_bedrock::Client {
    let conf = aws_sdk_bedrock::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new(akid, secret, None, None, "tests"))
        .retry_config(RetryConfig::standard().with_max_attempts(attempts))
        .build();
    aws_sdk_bedrock::Client::from_conf(conf)
}

pub fn client(server: &Server) -> aws_sdk_bedrock::Client {
    client_with(server, "us-east-1", "AKIDTEST", "secret", 1)
}

/// Every job of a query, through the SDK's own paginator.
pub async fn list_all(
    req: aws_sdk_bedrock::operation::list_model_copy_jobs::builders::ListModelCopyJobsFluentBuilder,
    page_size: i32,
) -> Vec<ModelCopyJobSummary> {
    let pages: Vec<_> = req
        .into_paginator()
        .page_size(page_size)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    pages
        .into_iter()
        .flat_map(|p| p.model_copy_job_summaries.unwrap_or_default())
        .collect()
}

/// The message of a ListModelCopyJobs refused with ValidationException.
pub fn validation_message(
    e: aws_sdk_bedrock::error::SdkError<
        ListModelCopyJobsError,
        aws_sdk_bedrock::config::http::HttpResponse,
    >,
) -> String {
    match e.into_service_error() {
        ListModelCopyJobsError::ValidationException(v) => {
            v.message().unwrap_or_default().to_string()
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

/// A copy of `source` named `name`, ready to send or to add to.
pub fn copy(
    c: &aws_sdk_bedrock::Client,
    source: &str,
    name: &str,
) -> aws_sdk_bedrock::operation::create_model_copy_job::builders::CreateModelCopyJobFluentBuilder {
    c.create_model_copy_job()
        .source_model_arn(source)
        .target_model_name(name)
}

pub fn arns(jobs: &[ModelCopyJobSummary]) -> Vec<String> {
    jobs.iter().map(|j| j.job_arn.clone()).collect()
}

/// A bare HTTP/1.1 exchange, for what the SDK will not send (no signature,
/// bad timestamps, huge bodies).
pub async fn raw(server: &Server, request: &[u8]) -> (u16, String, String) {
    let mut s = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    s.write_all(request).await.unwrap();
    let mut out = Vec::new();
    // A regression that never answers fails the test instead of hanging it.
    tokio::time::timeout(std::time::Duration::from_secs(30), s.read_to_end(&mut out))
        .await
        .expect("the endpoint answered (or closed) within 30 s")
        .ok();
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

/// The value of header `name` in a raw response head.
pub fn header(head: &str, name: &str) -> Option<String> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_string())
    })
}

pub const SIGNED: &str = "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20250601/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000\r\nx-amz-date: 20250601T120000Z\r\n";

pub fn get_request(path_and_query: &str, extra_headers: &str) -> Vec<u8> {
    format!("GET {path_and_query} HTTP/1.1\r\nHost: localhost\r\n{extra_headers}Connection: close\r\n\r\n").into_bytes()
}
