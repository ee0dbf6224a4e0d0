//! The regions a copy can go to, as CreateModelCopyJob enforces them, and
//! `GET /_emulator/ends`: when each job really ended.

use crate::common::*;
use aws_sdk_bedrock::error::ProvideErrorMetadata;
use aws_sdk_bedrock::types::ModelCopyJobStatus;
use copyjobs::domain::copy_regions::{CopyRegions, base_model};
use std::collections::BTreeMap;

const REGIONS: [&str; 3] = ["us-west-2", "eu-central-1", "us-east-1"];

fn regions(jobs: usize) -> copyjobs::emulator::EmulatorOptions {
    let mut o = options(jobs);
    o.regions = REGIONS.iter().map(|r| r.to_string()).collect();
    o
}

fn region_of(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}

/// `arn` with another id: a model that does not exist.
fn missing(arn: &str) -> String {
    let mut missing = arn.to_string();
    missing.replace_range(missing.len() - 12.., "zzzzzzzzzzzz");
    missing
}

/// How `client` refuses a copy of `source` named `name`.
async fn refusal(
    client: &aws_sdk_bedrock::Client,
    source: &str,
    name: &str,
) -> aws_sdk_bedrock::operation::create_model_copy_job::CreateModelCopyJobError {
    copy(client, source, name)
        .send()
        .await
        .unwrap_err()
        .into_service_error()
}

#[tokio::test]
async fn a_copy_into_a_region_its_base_model_cannot_go_to_is_refused() {
    let s = start(regions(300)).await;
    let table = CopyRegions::shipped();
    let west = list_all(
        client_with(&s, "us-west-2", "AKIDTEST", "secret", 1).list_model_copy_jobs(),
        1000,
    )
    .await;
    // A custom model the table keeps out of eu-central-1 (Llama, Claude
    // Haiku), and one of a base model the table does not know.
    let kept_out = west
        .iter()
        .map(|j| j.source_model_arn.as_str())
        .find(|arn| {
            arn.contains(":custom-model/")
                && table
                    .supported(base_model(arn).unwrap_or(""))
                    .is_some_and(|r| !r.iter().any(|r| r == "eu-central-1"))
        })
        .expect("a model eu-central-1 cannot take");
    let unknown = west
        .iter()
        .map(|j| j.source_model_arn.as_str())
        .find(|arn| {
            base_model(arn).is_some_and(|b| table.supported(b).is_none())
                && region_of(arn) != "eu-central-1"
        })
        .expect("a model of a base the table does not know");
    let central = client_with(&s, "eu-central-1", "AKIDTEST", "secret", 1);
    let before = list_all(central.list_model_copy_jobs(), 1000).await.len();
    let sent = s.emulator.requests_total();
    let err = copy(&central, kept_out, "not-here")
        .send()
        .await
        .unwrap_err();
    let raw = err.raw_response().map(|r| r.status().as_u16());
    let e = err.into_service_error();
    assert_eq!((raw, e.code()), (Some(400), Some("ValidationException")));
    let base = base_model(kept_out).unwrap();
    assert_eq!(
        e.message(),
        Some(
            format!(
                "The model {kept_out} can't be copied to eu-central-1: copies of models based on {base} aren't supported in this Region. See Supported Regions and models for model copy in the Amazon Bedrock User Guide."
            )
            .as_str()
        )
    );
    assert_eq!(
        s.emulator.requests_total(),
        sent + 1,
        "it reached the endpoint"
    );
    assert_eq!(
        list_all(central.list_model_copy_jobs(), 1000).await.len(),
        before,
        "and made nothing"
    );
    // The same model into a region its base model goes to: copied.
    let to = table
        .supported(base)
        .unwrap()
        .iter()
        .find(|r| *r != region_of(kept_out))
        .unwrap();
    let there = client_with(&s, to, "AKIDTEST", "secret", 1);
    let made = copy(&there, kept_out, "here").send().await.unwrap();
    assert!(
        made.job_arn.contains(&format!(":{to}:")),
        "{}",
        made.job_arn
    );
    // A base model the table does not know goes anywhere.
    let made = copy(&central, unknown, "anywhere").send().await.unwrap();
    assert!(made.job_arn.contains(":eu-central-1:"));
    // An unknown model is not found, whatever its base model: the model is
    // looked up first.
    let e = refusal(&central, &missing(kept_out), "missing").await;
    assert_eq!(e.code(), Some("ResourceNotFoundException"));
}

/// A copy into the model's own region (the region the request is signed
/// for): a ValidationException, before the model is looked up; nothing made.
#[tokio::test]
async fn a_copy_into_the_models_own_region_is_refused() {
    let s = start(regions(300)).await;
    let west = client_with(&s, "us-west-2", "AKIDTEST", "secret", 1);
    let jobs = list_all(west.list_model_copy_jobs(), 1000).await;
    // A model of us-east-1 that us-west-2 holds copies of.
    let model = jobs
        .iter()
        .map(|j| j.source_model_arn.as_str())
        .find(|arn| region_of(arn) == "us-east-1" && arn.contains(":custom-model/"))
        .expect("a us-east-1 model copied to us-west-2");
    let east = client_with(&s, "us-east-1", "AKIDTEST", "secret", 1);
    let before = list_all(east.list_model_copy_jobs(), 1000).await.len();
    let e = refusal(&east, model, "same-place").await;
    assert_eq!(e.code(), Some("ValidationException"));
    assert_eq!(
        e.message(),
        Some(
            format!(
                "The model {model} is in us-east-1 already: a model copy job copies a model to another Region. Send the request to the Region to copy it to."
            )
            .as_str()
        )
    );
    // Said of the request alone: a model that does not exist, too.
    let e = refusal(&east, &missing(model), "same-place").await;
    assert_eq!(e.code(), Some("ValidationException"));
    assert_eq!(
        list_all(east.list_model_copy_jobs(), 1000).await.len(),
        before,
        "nothing made"
    );
    // The same model into another region: copied.
    let made = copy(&west, model, "elsewhere").send().await.unwrap();
    assert!(made.job_arn.contains(":us-west-2:"), "{}", made.job_arn);
}

/// Every job of the data, in every region made: the copies go only where
/// the table lets them, from a region that is not their own.
#[tokio::test]
async fn the_data_holds_only_copies_the_service_could_have_made() {
    let s = start(regions(1500)).await;
    let table = CopyRegions::shipped();
    let mut models: BTreeMap<String, usize> = BTreeMap::new();
    for region in REGIONS {
        let c = client_with(&s, region, "AKIDTEST", "secret", 1);
        for j in list_all(c.list_model_copy_jobs(), 1000).await {
            let arn = &j.source_model_arn;
            assert_ne!(region_of(arn), region, "{arn}");
            let base = base_model(arn);
            assert_ne!(
                table.support(base, region),
                copyjobs::domain::copy_regions::Support::Unsupported,
                "{arn} into {region}"
            );
            *models.entry(arn.clone()).or_default() += 1;
        }
    }
    // The regions copy the same models: far fewer models than jobs.
    assert!(models.len() * 2 < 4500, "{} models", models.len());
}

async fn ends(s: &copyjobs::emulator::Server, query: &str) -> (String, BTreeMap<String, String>) {
    let (status, _, body) = raw(s, &get_request(&format!("/_emulator/ends{query}"), "")).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ends = v["ends"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    (v["now"].as_str().unwrap().to_string(), ends)
}

fn ms(rfc3339: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp_millis()
}

async fn advance(s: &copyjobs::emulator::Server, ms: i64) {
    let req = format!(
        "POST /_emulator/advance?seconds={} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        ms as f64 / 1000.0
    );
    let (status, _, body) = raw(s, req.as_bytes()).await;
    assert_eq!(status, 200, "{body}");
}

/// `GET /_emulator/ends` names each finished job's true end, and only
/// those: a running job reaches its status exactly there.
#[tokio::test]
async fn the_endpoint_says_when_each_job_really_ended() {
    let s = start(regions(200)).await;
    let east = client_with(&s, "us-east-1", "AKIDTEST", "secret", 1);
    let jobs = list_all(east.list_model_copy_jobs(), 1000).await;
    let (now, all) = ends(&s, "").await;
    let (_, only_east) = ends(&s, "?region=us-east-1").await;
    assert_eq!(ms(&now), s.emulator.clock.now_ms());
    assert!(only_east.keys().all(|a| a.contains(":us-east-1:")));
    assert!(all.len() > only_east.len());
    for j in &jobs {
        let created = j.creation_time.to_millis().unwrap();
        match (j.status.clone(), only_east.get(&j.job_arn)) {
            (ModelCopyJobStatus::InProgress, end) => assert_eq!(end, None),
            (_, Some(end)) => assert!(created < ms(end) && ms(end) <= ms(&now), "{end}"),
            (status, None) => panic!("{} is {status:?} and has no end", j.job_arn),
        }
    }
    // A running job: not ended a millisecond before its end, ended at it.
    let running: Vec<&str> = jobs
        .iter()
        .filter(|j| j.status == ModelCopyJobStatus::InProgress)
        .map(|j| j.job_arn.as_str())
        .collect();
    assert!(!running.is_empty());
    let start_ms = s.emulator.clock.now_ms();
    advance(&s, 4 * 3_600_000).await;
    let (_, later) = ends(&s, "?region=us-east-1").await;
    let first = running
        .iter()
        .map(|arn| (ms(&later[*arn]), *arn))
        .min()
        .unwrap();
    let fresh = start(regions(200)).await;
    advance(&fresh, first.0 - 1 - start_ms).await;
    let status = |c: aws_sdk_bedrock::Client, arn: String| async move {
        c.get_model_copy_job()
            .job_arn(arn)
            .send()
            .await
            .unwrap()
            .status
    };
    let c = client_with(&fresh, "us-east-1", "AKIDTEST", "secret", 1);
    assert_eq!(
        status(c.clone(), first.1.to_string()).await,
        ModelCopyJobStatus::InProgress
    );
    assert!(!ends(&fresh, "").await.1.contains_key(first.1));
    advance(&fresh, 1).await;
    assert_ne!(
        status(c, first.1.to_string()).await,
        ModelCopyJobStatus::InProgress
    );
    assert_eq!(ends(&fresh, "").await.1.get(first.1), Some(&later[first.1]));
}
