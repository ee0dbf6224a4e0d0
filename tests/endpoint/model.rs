//! The endpoint's responses against botocore's service model (see
//! `shapes`): thousands of jobs in several regions, plain and `--odd-data`,
//! both orders, every filter, every open-question option, and every error
//! the endpoint sends, read off the wire.

use crate::common::*;
use crate::shapes::{Answer, Model, model};
use copyjobs::emulator::{EmulatorOptions, Server, TieOrder, TimeBounds, TimePrecision};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn signed(region: &str) -> String {
    format!(
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDTEST/20250601/{region}/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\nx-amz-date: 20250601T120000Z\r\n",
        "0".repeat(64)
    )
}

fn request(method: &str, path: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, NON_ALPHANUMERIC).to_string()
}

/// What a run has checked and found.
struct Run {
    model: &'static Model,
    problems: Vec<String>,
    answers: BTreeSet<(String, Answer)>,
    responses: usize,
    jobs: usize,
}

impl Run {
    fn new(model: &'static Model) -> Run {
        Run {
            model,
            problems: Vec::new(),
            answers: BTreeSet::new(),
            responses: 0,
            jobs: 0,
        }
    }

    /// One request, its response checked; the status and body.
    async fn call(
        &mut self,
        s: &Server,
        operation: &str,
        headers: &str,
        method: &str,
        path: &str,
        body: &str,
    ) -> (u16, Value) {
        let (status, head, text) = raw(s, &request(method, path, headers, body)).await;
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
            self.problems
                .push(format!("{operation} {path}: not JSON ({e}): {text:.200}"));
            Value::Null
        });
        let error_type = header(&head, "x-amzn-ErrorType");
        let answer = self.model.check_response(
            operation,
            status,
            error_type.as_deref(),
            &value,
            &mut self.problems,
        );
        if let Some(jobs) = value["modelCopyJobSummaries"].as_array() {
            self.jobs += jobs.len();
        }
        self.answers.insert((operation.to_string(), answer));
        self.responses += 1;
        (status, value)
    }

    async fn list(&mut self, s: &Server, region: &str, query: &str) -> (u16, Value) {
        let path = format!("/model-copy-jobs?{query}");
        self.call(s, "ListModelCopyJobs", &signed(region), "GET", &path, "")
            .await
    }

    /// Every page of a listing (at most `pages`), following `nextToken`.
    async fn list_all(
        &mut self,
        s: &Server,
        region: &str,
        query: &str,
        pages: usize,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..pages {
            let q = match &token {
                Some(t) => format!("{query}&nextToken={}", encode(t)),
                None => query.to_string(),
            };
            let (status, v) = self.list(s, region, &q).await;
            assert_eq!(status, 200, "{q}: {v}");
            out.extend(
                v["modelCopyJobSummaries"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default(),
            );
            token = v["nextToken"].as_str().map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        out
    }

    async fn get(&mut self, s: &Server, region: &str, arn: &str) -> (u16, Value) {
        let path = format!("/model-copy-jobs/{}", encode(arn));
        self.call(s, "GetModelCopyJob", &signed(region), "GET", &path, "")
            .await
    }

    async fn create(&mut self, s: &Server, region: &str, body: Value) -> (u16, Value) {
        let body = body.to_string();
        self.call(
            s,
            "CreateModelCopyJob",
            &signed(region),
            "POST",
            "/model-copy-jobs",
            &body,
        )
        .await
    }

    async fn tags(&mut self, s: &Server, region: &str, arn: &str) -> (u16, Value) {
        let body = json!({ "resourceARN": arn }).to_string();
        self.call(
            s,
            "ListTagsForResource",
            &signed(region),
            "POST",
            "/listTagsForResource",
            &body,
        )
        .await
    }

    /// Every operation, filter and error on one region's data.
    async fn exercise(&mut self, s: &Server, region: &str) {
        let all = self.list_all(s, region, "maxResults=1000", 100).await;
        let asc = self
            .list_all(
                s,
                region,
                "maxResults=1000&sortOrder=Ascending&sortBy=CreationTime",
                100,
            )
            .await;
        assert_eq!(all.len(), asc.len(), "{region}");
        assert!(all.len() > 100, "{region}");
        for status in ["InProgress", "Completed", "Failed"] {
            self.list_all(
                s,
                region,
                &format!("maxResults=250&statusEquals={status}"),
                4,
            )
            .await;
        }
        let job = |i: usize| &all[i % all.len()];
        let name = job(7)["targetModelName"]
            .as_str()
            .unwrap_or("copy")
            .to_string();
        let stem: String = name.split('-').take(2).collect::<Vec<_>>().join("-");
        let (newer, older) = (
            job(50)["creationTime"].clone(),
            job(500)["creationTime"].clone(),
        );
        let filters = [
            format!("outputModelNameContains={}", encode(&stem)),
            format!(
                "creationTimeAfter={}&creationTimeBefore={}&sortOrder=Ascending",
                encode(older.as_str().unwrap_or_default()),
                encode(newer.as_str().unwrap_or_default())
            ),
            format!(
                "sourceAccountEquals={}",
                job(3)["sourceAccountId"].as_str().unwrap_or_default()
            ),
            format!(
                "sourceModelArnEquals={}&statusEquals=Completed",
                encode(job(11)["sourceModelArn"].as_str().unwrap_or_default())
            ),
        ];
        for f in filters {
            self.list_all(s, region, &format!("maxResults=100&{f}"), 5)
                .await;
        }
        self.list_all(s, region, "maxResults=7", 3).await;
        for j in all.iter().step_by(20) {
            let (status, _) = self
                .get(s, region, j["jobArn"].as_str().unwrap_or_default())
                .await;
            assert_eq!(status, 200);
        }
        let done: Vec<&Value> = all.iter().filter(|j| j["status"] == "Completed").collect();
        for j in done.iter().step_by(40) {
            let (status, _) = self
                .tags(s, region, j["targetModelArn"].as_str().unwrap_or_default())
                .await;
            assert_eq!(status, 200);
        }
        // Creates: plain, with the oddest tags the model allows, with 50.
        let source = job(5)["sourceModelArn"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let tag = |k: String, v: &str| json!({"key": k, "value": v});
        let odd_tags = vec![
            tag("notes".into(), "tab\there\r\nline\u{b}\u{c}"),
            tag("empty".into(), ""),
            tag("k".repeat(128), &"v".repeat(256)),
        ];
        let fifty: Vec<Value> = (0..50).map(|i| tag(format!("k{i}"), "v")).collect();
        let made = [
            json!({"sourceModelArn": source, "targetModelName": "validated-copy"}),
            json!({"sourceModelArn": source, "targetModelName": "validated-odd", "targetModelTags": odd_tags,
                   "modelKmsKeyId": "alias/copies", "clientRequestToken": "validated-1"}),
            json!({"sourceModelArn": source, "targetModelName": "validated-fifty", "targetModelTags": fifty}),
        ];
        for body in made {
            let (status, v) = self.create(s, region, body).await;
            assert_eq!(status, 201, "{v}");
            let arn = v["jobArn"].as_str().unwrap_or_default().to_string();
            assert_eq!(self.get(s, region, &arn).await.0, 200);
        }
        // Every refusal of every operation.
        let many = |n: usize| -> Vec<Value> { (0..n).map(|i| tag(format!("k{i}"), "v")).collect() };
        let refusals = [
            (
                json!({"sourceModelArn": source, "targetModelName": "too-many", "targetModelTags": many(51)}),
                400,
            ),
            (
                json!({"sourceModelArn": source, "targetModelName": "too-many", "targetModelTags": many(201)}),
                400,
            ),
            (
                json!({"sourceModelArn": source, "targetModelName": "bad name!"}),
                400,
            ),
            // Java's \s is ASCII: an ideographic or no-break space is no tag text.
            (
                json!({"sourceModelArn": source, "targetModelName": "wide-space", "targetModelTags": [tag("team".into(), "ml\u{3000}platform")]}),
                400,
            ),
            (
                json!({"sourceModelArn": source, "targetModelName": "nbsp", "targetModelTags": [tag("team\u{a0}name".into(), "x")]}),
                400,
            ),
            (
                json!({"sourceModelArn": source, "targetModelName": "validated-copy", "clientRequestToken": "validated-1"}),
                400,
            ),
            (
                json!({"sourceModelArn": format!("{}zzzzzzzzzzzz", &source[..source.len() - 12]), "targetModelName": "x"}),
                404,
            ),
        ];
        for (body, want) in refusals {
            let (status, v) = self.create(s, region, body).await;
            if status != want && !(want == 404 && source.contains("foundation-model")) {
                let problem = format!("CreateModelCopyJob answered {status}, not {want}: {v}");
                self.problems.push(problem);
            }
        }
        let (status, _) = self
            .call(
                s,
                "CreateModelCopyJob",
                &signed(region),
                "POST",
                "/model-copy-jobs",
                "[1, 2]",
            )
            .await;
        assert_eq!(status, 400);
        for q in [
            "maxResults=0",
            "statusEquals=Done&sourceAccountEquals=1",
            "nextToken=garbage",
        ] {
            assert_eq!(self.list(s, region, q).await.0, 400);
        }
        let known = job(0)["jobArn"].as_str().unwrap_or_default();
        let unknown = format!("{}zzzzzzzzzzzz", &known[..known.len() - 12]);
        assert_eq!(self.get(s, region, &unknown).await.0, 404);
        assert_eq!(self.get(s, region, "not-an-arn").await.0, 400);
        let model = job(0)["targetModelArn"].as_str().unwrap_or_default();
        let missing = format!("{}zzzzzzzzzzzz", &model[..model.len() - 12]);
        assert_eq!(self.tags(s, region, &missing).await.0, 404);
        assert_eq!(self.tags(s, region, "short").await.0, 400);
        // A body over the endpoint's limit.
        let big = json!({"sourceModelArn": "a".repeat(1 << 20), "targetModelName": "x"});
        assert_eq!(self.create(s, region, big).await.0, 413);
        // Unsigned, and signed for an operation the endpoint has not.
        let (status, _) = self
            .call(s, "ListModelCopyJobs", "", "GET", "/model-copy-jobs", "")
            .await;
        assert_eq!(status, 403);
        let (status, _) = self
            .call(
                s,
                "ListModelCopyJobs",
                &signed(region),
                "GET",
                "/foundation-models",
                "",
            )
            .await;
        assert_eq!(status, 404);
    }
}

/// Data sets and ways of answering, each checked whole.
fn configurations() -> Vec<(EmulatorOptions, Vec<&'static str>)> {
    let regions = |r: &[&'static str]| r.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let plain = vec!["us-east-1", "ap-southeast-2"];
    let odd = vec!["us-west-2", "eu-west-1"];
    let seconds = vec!["ap-northeast-1"];
    vec![
        (
            EmulatorOptions {
                regions: regions(&plain),
                arrival_rate: 1.0,
                ..options(1500)
            },
            plain,
        ),
        (
            EmulatorOptions {
                regions: regions(&odd),
                odd_data: true,
                time_precision: TimePrecision::Us,
                time_bounds: TimeBounds::Inclusive,
                tie_order: TieOrder::Unstable,
                list_lag: 120.0,
                token_ttl: Some(3600.0),
                idempotency_window: Some(60.0),
                ..options(1500)
            },
            odd,
        ),
        (
            EmulatorOptions {
                regions: regions(&seconds),
                odd_data: true,
                time_precision: TimePrecision::S,
                tie_order: TieOrder::Unstable,
                seed: 7,
                ..options(1500)
            },
            seconds,
        ),
    ]
}

#[tokio::test]
async fn every_response_fits_botocores_service_model() {
    let Some(model) = model() else { return };
    let mut run = Run::new(model);
    for (options, regions) in configurations() {
        let s = start(options).await;
        for region in regions {
            run.exercise(&s, region).await;
        }
        s.shutdown().await;
    }
    // The errors a healthy endpoint does not send on its own.
    let faults = [
        EmulatorOptions {
            throttle_rate: 1.0,
            ..options(10)
        },
        EmulatorOptions {
            error_rate: 1.0,
            ..options(10)
        },
        EmulatorOptions {
            deny_regions: vec!["us-east-1".into()],
            ..options(10)
        },
        EmulatorOptions {
            token_ttl: Some(0.0),
            ..options(10)
        },
    ];
    for o in faults {
        let s = start(o).await;
        let (status, first) = run.list(&s, "us-east-1", "maxResults=3").await;
        if let Some(t) = first["nextToken"].as_str() {
            let q = format!("maxResults=3&nextToken={}", encode(t));
            assert_eq!(
                run.list(&s, "us-east-1", &q).await.0,
                400,
                "an expired token"
            );
        } else {
            assert_ne!(status, 200);
        }
        let arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0";
        run.create(
            &s,
            "us-east-1",
            json!({"sourceModelArn": arn, "targetModelName": "x"}),
        )
        .await;
        s.shutdown().await;
    }
    let s = start(options(10)).await;
    let (status, _, _) = raw(
        &s,
        &request("POST", "/_emulator/credentials?state=expired", "", ""),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(run.list(&s, "us-east-1", "").await.0, 403);
    s.shutdown().await;

    let shown: Vec<&String> = run.problems.iter().take(30).collect();
    assert!(
        run.problems.is_empty(),
        "{} problems in {} responses, the first:\n{}",
        run.problems.len(),
        run.responses,
        shown
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(run.jobs > 15_000, "{} jobs checked", run.jobs);
    // Every member of every response shape was met, so each was checked.
    let seen = model.seen();
    for op in [
        "ListModelCopyJobs",
        "GetModelCopyJob",
        "CreateModelCopyJob",
        "ListTagsForResource",
    ] {
        let output = model.output(op);
        for shape in [output.as_str(), "ModelCopyJobSummary", "Tag"] {
            for member in model.members(shape) {
                assert!(
                    seen.contains(&(shape.to_string(), member.clone())),
                    "{shape}.{member} never met"
                );
            }
        }
    }
    assert!(seen.contains(&("TooManyTagsException".into(), "resourceName".into())));
    let errors: BTreeSet<&str> = run
        .answers
        .iter()
        .filter_map(|(_, a)| match a {
            Answer::Modelled { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let modelled = [
        "AccessDeniedException",
        "InternalServerException",
        "ResourceNotFoundException",
        "ThrottlingException",
        "TooManyTagsException",
        "ValidationException",
    ];
    assert_eq!(
        errors,
        modelled.into_iter().collect(),
        "each error shape met"
    );
    // Where the endpoint goes beyond the model, it is only where the real
    // service does (see the README): errors every operation can answer, and
    // AWS's common errors, which the model does not describe.
    let beyond: BTreeSet<String> = run
        .answers
        .iter()
        .filter_map(|(op, a)| match a {
            Answer::Modelled {
                name,
                declared: false,
            } => Some(format!("{op}: {name}")),
            Answer::Unmodelled(name) => Some(format!("(common) {name}")),
            _ => None,
        })
        .collect();
    let expected: BTreeSet<String> = [
        "CreateModelCopyJob: ThrottlingException",
        "CreateModelCopyJob: ValidationException",
        "(common) ExpiredTokenException",
        "(common) RequestEntityTooLargeException",
        "(common) SerializationException",
        "(common) UnknownOperationException",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(beyond, expected);
}

/// The checker finds what it is there to find: each broken rule in a
/// response is reported, so a clean run means something.
#[test]
fn the_checker_reports_each_kind_of_divergence() {
    let Some(model) = model() else { return };
    let good = json!({
        "jobArn": "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/a1b2c3d4e5f6",
        "status": "Failed",
        "creationTime": "2024-05-01T12:00:00.123456Z",
        "targetModelArn": "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12",
        "targetModelName": "my-copied-model",
        "sourceAccountId": "123456789012",
        "sourceModelArn": "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/zyxwvutsrq98",
        "targetModelTags": [{"key": "team", "value": "ml\tplatform"}],
        "failureMessage": "复制失败 🚫 \u{1b}[31m",
    });
    let check = |v: &Value| {
        let mut problems = Vec::new();
        model.check("ModelCopyJobSummary", v, "job", &mut problems);
        problems
    };
    assert_eq!(check(&good), Vec::<String>::new());
    let broken = [
        (
            "targetModelTags",
            json!([{"key": "team", "value": "機械学習チーム"}]),
        ),
        ("targetModelTags", json!([{"key": "", "value": "x"}])),
        ("targetModelTags", json!([{"key": "team"}])),
        ("status", json!("Stopped")),
        ("creationTime", json!(1_714_564_800)),
        ("sourceAccountId", json!("12345")),
        ("failureMessage", json!("x".repeat(2049))),
        ("targetModelName", json!("bad--name")),
        ("surprise", json!("a member the model does not have")),
        ("sourceModelName", Value::Null),
    ];
    for (member, value) in broken {
        let mut v = good.clone();
        v[member] = value.clone();
        assert!(!check(&v).is_empty(), "{member} = {value} passed");
    }
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("sourceModelArn");
    assert!(
        check(&missing)
            .iter()
            .any(|p| p.contains("required member sourceModelArn"))
    );
    let mut problems = Vec::new();
    let answer = model.check_response(
        "CreateModelCopyJob",
        400,
        Some("TooManyTagsException"),
        &json!({"__type": "TooManyTagsException", "message": "51 tags", "resourceName": "many-tags"}),
        &mut problems,
    );
    assert_eq!(
        answer,
        Answer::Modelled {
            name: "TooManyTagsException".into(),
            declared: true
        }
    );
    assert!(
        problems.iter().any(|p| p.contains("resourceName")),
        "{problems:?}"
    );
    let mut problems = Vec::new();
    model.check_response(
        "ListModelCopyJobs",
        400,
        Some("ThrottlingException"),
        &json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
        &mut problems,
    );
    assert!(
        problems.iter().any(|p| p.contains("HTTP 429")),
        "{problems:?}"
    );
}
