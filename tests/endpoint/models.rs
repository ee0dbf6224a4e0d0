//! ListCustomModels and ListImportedModels: every answer against botocore's
//! service model (plain and `--odd-data`), each filter, order and page
//! through the real SDK against the endpoint's own record of its models
//! (`GET /_emulator/models`), and the service's validation errors.

use crate::common::*;
use crate::shapes::model;
use aws_sdk_bedrock::operation::list_custom_models::builders::ListCustomModelsFluentBuilder;
use aws_sdk_bedrock::primitives::DateTime as SdkTime;
use aws_sdk_bedrock::types::{ModelStatus, SortOrder};
use copyjobs::emulator::{EmulatorOptions, Server};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use std::collections::BTreeSet;

const REGIONS: [&str; 2] = ["us-east-1", "us-west-2"];

fn models_options(odd: bool) -> EmulatorOptions {
    EmulatorOptions {
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        odd_data: odd,
        ..options(600)
    }
}

fn signed(region: &str) -> String {
    SIGNED.replace("us-east-1", region)
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// The endpoint's record of the caller's models in `region`.
async fn record(s: &Server, region: &str) -> Value {
    let (status, _, body) = raw(
        s,
        &get_request(&format!("/_emulator/models?region={region}"), ""),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Every model a ListCustomModels lists, through the SDK's own paginator
/// at `page_size`, and the pages it took.
async fn model_pages(req: ListCustomModelsFluentBuilder, page_size: i32) -> (Vec<String>, usize) {
    let pages: Vec<_> = req
        .into_paginator()
        .page_size(page_size)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("pages");
    let n = pages.len();
    let arns = pages
        .into_iter()
        .flat_map(|p| p.model_summaries.unwrap_or_default())
        .map(|m| m.model_arn)
        .collect();
    (arns, n)
}

fn arns_of(v: &[Value]) -> Vec<String> {
    v.iter()
        .map(|m| m["modelArn"].as_str().unwrap().to_string())
        .collect()
}

async fn get(s: &Server, region: &str, path: &str) -> (u16, Option<String>, Value) {
    let (status, head, body) = raw(s, &get_request(path, &signed(region))).await;
    let v = serde_json::from_str(&body).unwrap_or(Value::Null);
    (status, header(&head, "x-amzn-ErrorType"), v)
}

#[tokio::test]
async fn every_models_answer_fits_botocores_service_model() {
    let Some(model) = model() else { return };
    let mut problems = Vec::new();
    let mut met = 0;
    for odd in [false, true] {
        let s = start(models_options(odd)).await;
        for region in REGIONS {
            let all = record(&s, region).await["customModels"].clone();
            let one = &all[3];
            let queries = [
                "maxResults=1000".to_string(),
                "maxResults=5&sortOrder=Ascending&sortBy=CreationTime".to_string(),
                "modelStatus=Creating".to_string(),
                format!(
                    "nameContains={}",
                    encode(&one["modelName"].as_str().unwrap()[..6])
                ),
                format!(
                    "baseModelArnEquals={}",
                    encode(one["baseModelArn"].as_str().unwrap())
                ),
                "isOwned=true&maxResults=3".to_string(),
                // Refusals: each the service's ValidationException.
                "maxResults=0".to_string(),
                "modelStatus=Done".to_string(),
                "nextToken=garbled".to_string(),
            ];
            for q in &queries {
                for (op, path) in [
                    ("ListCustomModels", "/custom-models"),
                    ("ListImportedModels", "/imported-models"),
                ] {
                    let (status, error, v) = get(&s, region, &format!("{path}?{q}")).await;
                    let mut found = Vec::new();
                    model.check_response(op, status, error.as_deref(), &v, &mut found);
                    // `--odd-data` gives a status and a customization the
                    // model does not know yet: a client must take them.
                    found.retain(|p| {
                        !(odd
                            && p.contains("is not one of")
                            && (p.contains("\"Archiving\"")
                                || p.contains("\"PROMPT_DISTILLATION\"")))
                    });
                    problems.extend(found.into_iter().map(|p| format!("{op}?{q}: {p}")));
                    met += v["modelSummaries"].as_array().map_or(0, Vec::len);
                }
            }
        }
        s.shutdown().await;
    }
    assert!(
        problems.is_empty(),
        "{}",
        problems[..problems.len().min(20)].join("\n")
    );
    assert!(met > 500, "{met} models checked");
    let seen = model.seen();
    for shape in ["CustomModelSummary", "ImportedModelSummary"] {
        for member in model.members(shape) {
            assert!(
                seen.contains(&(shape.to_string(), member.clone())),
                "{shape}.{member} never met"
            );
        }
    }
}

#[tokio::test]
async fn the_sdk_reads_every_model_in_either_order_page_by_page() {
    let s = start(models_options(false)).await;
    for region in REGIONS {
        let c = client_with(&s, region, "AKIDTEST", "secret", 1);
        let oracle = record(&s, region).await;
        let want = arns_of(oracle["customModels"].as_array().unwrap());
        assert!(want.len() > 200, "{region}: {}", want.len());
        let read = |order: SortOrder, size: i32| {
            model_pages(c.list_custom_models().sort_order(order), size)
        };
        // Newest first by default, as the record is; each once, every page.
        let (newest, pages) = read(SortOrder::Descending, 7).await;
        assert_eq!(newest, want, "{region}");
        assert_eq!(pages, want.len().div_ceil(7));
        let (oldest, _) = read(SortOrder::Ascending, 1000).await;
        let mut reversed = want.clone();
        reversed.reverse();
        assert_eq!(oldest, reversed);
        // The imported ones, likewise.
        let imported = arns_of(oracle["importedModels"].as_array().unwrap());
        let out = c.list_imported_models().send().await.unwrap();
        let got: BTreeSet<String> = out
            .model_summaries()
            .iter()
            .map(|m| m.model_arn().to_string())
            .collect();
        assert_eq!(got, imported.into_iter().collect());
    }
}

#[tokio::test]
async fn each_filter_selects_what_the_record_says() {
    let s = start(models_options(false)).await;
    let region = "us-east-1";
    let c = client(&s);
    let oracle = record(&s, region).await;
    let all: Vec<Value> = oracle["customModels"].as_array().unwrap().clone();
    let read = |req: ListCustomModelsFluentBuilder| async move { model_pages(req, 1000).await.0 };
    let pick = |f: &dyn Fn(&Value) -> bool| -> Vec<String> {
        arns_of(&all.iter().filter(|m| f(m)).cloned().collect::<Vec<_>>())
    };
    let text = |m: &Value, k: &str| m[k].as_str().unwrap_or_default().to_string();
    // Status: the newest never-copied model is still being made.
    let creating = pick(&|m| m["modelStatus"] == "Creating");
    assert!(!creating.is_empty());
    assert_eq!(
        read(c.list_custom_models().model_status(ModelStatus::Creating)).await,
        creating
    );
    // Name, without regard to case.
    let name = text(&all[10], "modelName");
    let part = name.split('-').next().unwrap().to_uppercase();
    let by_name = pick(&|m| {
        text(m, "modelName")
            .to_lowercase()
            .contains(&part.to_lowercase())
    });
    assert_eq!(
        read(c.list_custom_models().name_contains(&part)).await,
        by_name
    );
    // Base and foundation model.
    let base = text(&all[10], "baseModelArn");
    let by_base = pick(&|m| text(m, "baseModelArn") == base);
    assert!(by_base.len() > 1);
    assert_eq!(
        read(c.list_custom_models().base_model_arn_equals(&base)).await,
        by_base
    );
    assert_eq!(
        read(c.list_custom_models().foundation_model_arn_equals(&base)).await,
        by_base
    );
    // Every model listed is the account's own; none is shared with it.
    assert!(
        read(c.list_custom_models().is_owned(false))
            .await
            .is_empty()
    );
    assert_eq!(
        read(c.list_custom_models().is_owned(true)).await,
        pick(&|_| true)
    );
    // Time bounds, strict (the default `--time-bounds`).
    let t = |m: &Value| {
        chrono::DateTime::parse_from_rfc3339(m["creationTime"].as_str().unwrap()).unwrap()
    };
    let (newer, older) = (t(&all[20]), t(&all[120]));
    let within = pick(&|m| t(m) > older && t(m) < newer);
    let sdk = |d: chrono::DateTime<chrono::FixedOffset>| {
        SdkTime::from_secs_and_nanos(d.timestamp(), d.timestamp_subsec_nanos())
    };
    let got = read(
        c.list_custom_models()
            .creation_time_after(sdk(older))
            .creation_time_before(sdk(newer)),
    )
    .await;
    assert_eq!(got, within);
    assert_eq!(got.len(), 99);
}

#[tokio::test]
async fn bad_queries_are_refused_as_the_service_refuses_them() {
    let s = start(models_options(false)).await;
    let refused = |q: &'static str| {
        let s = &s;
        async move {
            let (status, error, v) = get(s, "us-east-1", &format!("/custom-models?{q}")).await;
            assert_eq!(status, 400, "{q}: {v}");
            assert_eq!(error.as_deref(), Some("ValidationException"), "{q}");
            v["message"].as_str().unwrap().to_string()
        }
    };
    assert_eq!(
        refused("maxResults=0").await,
        "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    assert!(
        refused("maxResults=1001")
            .await
            .contains("less than or equal to 1000")
    );
    assert!(
        refused("modelStatus=Done&sortOrder=Up")
            .await
            .starts_with("2 validation errors detected: ")
    );
    assert!(
        refused("nameContains=a%20b")
            .await
            .contains("'nameContains'")
    );
    assert!(
        refused("baseModelArnEquals=arn%3Ax")
            .await
            .contains("'baseModelArnEquals'")
    );
    assert!(
        refused("foundationModelArnEquals=arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Acustom-model%2Fa.b%2Fabcdefghijkl")
            .await
            .contains("'foundationModelArnEquals'")
    );
    assert!(refused("isOwned=maybe").await.contains("'isOwned'"));
    assert!(refused("nextToken=garbled").await.contains("nextToken"));
    // A token of another listing, or of the same one under other filters.
    let (_, _, jobs) = get(&s, "us-east-1", "/model-copy-jobs?maxResults=1").await;
    let token = encode(jobs["nextToken"].as_str().unwrap());
    let (status, _, _) = get(
        &s,
        "us-east-1",
        &format!("/custom-models?nextToken={token}"),
    )
    .await;
    assert_eq!(status, 400);
    let (_, _, first) = get(&s, "us-east-1", "/custom-models?maxResults=1").await;
    let token = encode(first["nextToken"].as_str().unwrap());
    let (status, _, _) = get(
        &s,
        "us-east-1",
        &format!("/custom-models?maxResults=1&sortOrder=Ascending&nextToken={token}"),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, _) = get(
        &s,
        "us-east-1",
        &format!("/imported-models?nextToken={token}"),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, next) = get(
        &s,
        "us-east-1",
        &format!("/custom-models?maxResults=1&nextToken={token}"),
    )
    .await;
    assert_eq!(status, 200, "{next}");
}

#[tokio::test]
async fn completed_copies_are_models_of_their_region_and_running_ones_are_not() {
    let s = start(models_options(false)).await;
    // Listing models draws nothing from the jobs' seeds: the jobs are the
    // same before and after.
    let before: Vec<Value> = REGIONS.iter().map(|r| s.emulator.jobs_json(r)).collect();
    for region in REGIONS {
        let c = client_with(&s, region, "AKIDTEST", "secret", 1);
        c.list_custom_models()
            .max_results(1000)
            .send()
            .await
            .unwrap();
    }
    let after: Vec<Value> = REGIONS.iter().map(|r| s.emulator.jobs_json(r)).collect();
    assert_eq!(before, after);
    for region in REGIONS {
        let listed: BTreeSet<String> =
            arns_of(record(&s, region).await["customModels"].as_array().unwrap())
                .into_iter()
                .collect();
        let jobs = s.emulator.jobs_json(region);
        let mut completed = 0;
        for j in jobs["jobs"].as_array().unwrap() {
            let target = j["targetModelArn"].as_str().unwrap();
            let done = j["status"] == "Completed";
            assert_eq!(listed.contains(target), done, "{target} {}", j["status"]);
            completed += usize::from(done);
        }
        assert!(completed > 100);
    }
}

#[tokio::test]
async fn a_model_no_job_copies_can_be_copied_once_it_is_active() {
    let s = start(models_options(false)).await;
    let oracle = record(&s, "us-east-1").await;
    let copied: BTreeSet<&str> = oracle["copied"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let jobs = s.emulator.jobs_json("us-east-1");
    let targets: BTreeSet<&str> = jobs["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|j| j["targetModelArn"].as_str())
        .collect();
    let uncopied: Vec<&Value> = oracle["customModels"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            let arn = m["modelArn"].as_str().unwrap();
            !copied.contains(arn) && !targets.contains(arn)
        })
        .collect();
    let active = uncopied
        .iter()
        .find(|m| m["modelStatus"] == "Active")
        .expect("an active model no job copies");
    let west = client_with(&s, "us-west-2", "AKIDTEST", "secret", 1);
    let arn = active["modelArn"].as_str().unwrap();
    let out = copy(&west, arn, "first-copy").send().await.expect("copied");
    let job = west
        .get_model_copy_job()
        .job_arn(out.job_arn())
        .send()
        .await
        .unwrap();
    assert_eq!(job.source_model_arn(), arn);
    assert_eq!(job.source_model_name(), active["modelName"].as_str());
    // One still being made is not there to copy yet.
    let creating = uncopied
        .iter()
        .find(|m| m["modelStatus"] == "Creating")
        .expect("a model being made");
    let err = copy(&west, creating["modelArn"].as_str().unwrap(), "too-soon")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.into_service_error().meta().code(),
        Some("ResourceNotFoundException")
    );
}
