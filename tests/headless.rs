//! The headless verbs, run as the built binary against the local endpoint,
//! their output parsed back and compared with what the SDK lists.

use aws_sdk_bedrock::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_bedrock::types::{ModelCopyJobStatus, ModelCopyJobSummary, SortOrder};
use copyjobs::domain::failures::normalise;
use copyjobs::emulator::model::Status;
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

mod support;
use support::cli::{config_file, finish, isolated, jsonl_arns};

fn options(jobs: usize) -> EmulatorOptions {
    EmulatorOptions {
        jobs,
        seed: 11,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(1_748_779_200_000),
        ..EmulatorOptions::default()
    }
}

async fn start(jobs: usize) -> Server {
    Server::start(Emulator::new(options(jobs)), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

fn sdk(server: &Server) -> aws_sdk_bedrock::Client {
    sdk_in(server, "us-east-1")
}

fn sdk_in(server: &Server, region: &'static str) -> aws_sdk_bedrock::Client {
    let conf = aws_sdk_bedrock::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "tests"))
        .build();
    aws_sdk_bedrock::Client::from_conf(conf)
}

async fn all(
    req: aws_sdk_bedrock::operation::list_model_copy_jobs::builders::ListModelCopyJobsFluentBuilder,
) -> Vec<ModelCopyJobSummary> {
    req.into_paginator()
        .page_size(1000)
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap()
}

/// Every Failed job, newest first: a plain `statusEquals=Failed` listing.
async fn all_failed(client: &aws_sdk_bedrock::Client) -> Vec<ModelCopyJobSummary> {
    all(client
        .list_model_copy_jobs()
        .status_equals(ModelCopyJobStatus::Failed))
    .await
}

/// The binary in us-east-1, isolated from this machine's AWS configuration.
fn copyjobs(server: &Server, args: &[&str]) -> Command {
    let mut c = copyjobs_anywhere(server, args);
    c.args(["--region", "us-east-1"]);
    c
}

/// The binary with no region but what `args` name; its state directory
/// (where creates are recorded) is this endpoint's own.
fn copyjobs_anywhere(server: &Server, args: &[&str]) -> Command {
    let mut c = isolated(args);
    c.args(["--endpoint-url", &server.url()])
        .env("XDG_STATE_HOME", state_home(server));
    c
}

/// A state directory for each endpoint, so the tests, each with its own
/// endpoint, share no record of creates with each other or with the machine.
fn state_home(server: &Server) -> std::path::PathBuf {
    let port = server.url().rsplit(':').next().unwrap_or("0").to_string();
    std::env::temp_dir().join(format!("copyjobs-state-{}-{port}", std::process::id()))
}

async fn run(server: &Server, args: &[&str]) -> (i32, String, String) {
    finish(copyjobs(server, args)).await
}

/// As [`run`], with no region but what `args` name.
async fn run_anywhere(server: &Server, args: &[&str]) -> (i32, String, String) {
    finish(copyjobs_anywhere(server, args)).await
}

fn rfc3339(t: &aws_sdk_bedrock::primitives::DateTime) -> String {
    t.fmt(aws_sdk_bedrock::primitives::DateTimeFormat::DateTime)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_output_format_lists_what_the_sdk_lists() {
    let s = start(1500).await;
    let want = all(sdk(&s).list_model_copy_jobs()).await;
    assert_eq!(want.len(), 1500);

    let (code, out, err) = run(&s, &["list", "-o", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let got = summaries(&out);
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g["jobArn"], w.job_arn);
        assert_eq!(g["status"], w.status.as_str());
        // The same instant (the SDK trims trailing zeros of fractions, the service does not).
        let got_time =
            chrono::DateTime::parse_from_rfc3339(g["creationTime"].as_str().unwrap()).unwrap();
        let want_time = chrono::DateTime::parse_from_rfc3339(&rfc3339(&w.creation_time)).unwrap();
        assert_eq!(got_time, want_time);
        assert_eq!(g["targetModelArn"], w.target_model_arn);
        assert_eq!(g["sourceModelArn"], w.source_model_arn);
        assert_eq!(g["sourceAccountId"], w.source_account_id);
        assert_eq!(
            g.get("failureMessage").and_then(|m| m.as_str()),
            w.failure_message()
        );
        let tags: Vec<(String, String)> = g
            .get("targetModelTags")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
            .map(|t| {
                (
                    t["key"].as_str().unwrap().to_string(),
                    t["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let wtags: Vec<(String, String)> = w
            .target_model_tags()
            .iter()
            .map(|t| (t.key.clone(), t.value.clone()))
            .collect();
        assert_eq!(tags, wtags);
    }

    let (code, out, _) = run(&s, &["list", "-o", "jsonl"]).await;
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, got, "jsonl carries the same objects, one a line");

    let (code, out, _) = run(&s, &["list", "-o", "csv"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("\r\n"), "RFC 4180 line ends");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "jobArn");
    let tags_col = headers.iter().position(|h| h == "tags").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), want.len());
    for (r, w) in rows.iter().zip(&want) {
        assert_eq!(&r[0], w.job_arn);
        let tags: Vec<String> = w
            .target_model_tags()
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        assert_eq!(&r[tags_col], tags.join(";"));
    }

    let (code, out, _) = run(&s, &["list"]).await;
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().count(),
        1 + want.len(),
        "a header and a row per job"
    );
}

/// `jq '.modelCopyJobSummaries[]'`: the jobs of `list -o json` (or of
/// `aws bedrock list-model-copy-jobs`), refused unless they are there.
fn summaries(json: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(json).expect("one JSON document");
    let keys: Vec<&String> = v.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["modelCopyJobSummaries"], "the AWS CLI's one key");
    v["modelCopyJobSummaries"]
        .as_array()
        .expect("an array of jobs")
        .clone()
}

/// What `aws bedrock list-model-copy-jobs --output json` (AWS CLI 1.45.11,
/// botocore 1.43.11) printed for this listing of the endpoint, recorded with:
///
/// ```sh
/// copyjobs serve --addr 127.0.0.1:4599 --jobs 200 --seed 11 --frozen --arrival-rate 0 \
///     --now 2025-06-01T12:00:00Z --odd-data &
/// AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y aws bedrock list-model-copy-jobs \
///     --endpoint-url http://127.0.0.1:4599 --region us-east-1 --output json \
///     --creation-time-after 2025-06-01T10:10:00Z --creation-time-before 2025-06-01T10:45:00Z \
///     > tests/fixtures/aws-cli-list-model-copy-jobs.json
/// ```
const AWS_CLI_LISTING: &str = include_str!("fixtures/aws-cli-list-model-copy-jobs.json");

#[tokio::test(flavor = "multi_thread")]
async fn list_json_prints_what_the_aws_cli_prints() {
    let s = Server::start(
        Emulator::new(EmulatorOptions {
            odd_data: true,
            ..options(200)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let window = [
        "--since",
        "2025-06-01T10:10:00Z",
        "--until",
        "2025-06-01T10:45:00Z",
    ];
    let aws = summaries(AWS_CLI_LISTING);
    assert!(aws.len() > 30, "the recording holds a listing");
    assert!(
        aws.iter().any(|j| j["failureMessage"]
            .as_str()
            .is_some_and(|m| m.contains('\u{1b}'))),
        "and escapes to survive"
    );
    // Page by page (7 a request) or in one go: the same bytes as the AWS CLI.
    for page in ["7", "1000"] {
        let args = [&["list", "-o", "json", "--page-size", page][..], &window].concat();
        let (code, out, err) = run(&s, &args).await;
        assert_eq!(code, 0, "{err}");
        assert_eq!(out, AWS_CLI_LISTING, "--page-size {page}");
    }
    // jq '.modelCopyJobSummaries[]' on either gives the SDK's jobs, with
    // their keys in the order botocore prints them (the service model's).
    let (_, out, _) = run(&s, &[&["list", "-o", "json"][..], &window].concat()).await;
    let ours = summaries(&out);
    let sdk_jobs = all(sdk(&s)
        .list_model_copy_jobs()
        .creation_time_after(aws_sdk_bedrock::primitives::DateTime::from_secs(
            1_748_772_600,
        ))
        .creation_time_before(aws_sdk_bedrock::primitives::DateTime::from_secs(
            1_748_774_700,
        )))
    .await;
    let arns = |v: &[serde_json::Value]| -> Vec<String> {
        v.iter()
            .map(|j| j["jobArn"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(arns(&ours), arns(&aws));
    assert_eq!(
        arns(&ours),
        sdk_jobs
            .iter()
            .map(|j| j.job_arn.clone())
            .collect::<Vec<_>>()
    );
    let order = [
        "jobArn",
        "status",
        "creationTime",
        "targetModelArn",
        "targetModelName",
        "sourceAccountId",
        "sourceModelArn",
        "targetModelKmsKeyArn",
        "targetModelTags",
        "failureMessage",
        "sourceModelName",
    ];
    for j in &ours {
        let keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
        let want: Vec<&str> = order
            .iter()
            .copied()
            .filter(|k| j.get(*k).is_some())
            .collect();
        assert_eq!(keys, want);
    }
    // `jsonl` stays one job a line: the same objects.
    let (_, out, _) = run(&s, &[&["list", "-o", "jsonl"][..], &window].concat()).await;
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines, ours);
    // Nothing matches: still the AWS CLI's shape.
    let (code, out, _) = run(&s, &["list", "-o", "json", "--name", "nosuchmodelname"]).await;
    assert_eq!(code, 0);
    assert_eq!(out, "{\n    \"modelCopyJobSummaries\": []\n}\n");
}

#[tokio::test(flavor = "multi_thread")]
async fn list_columns_shows_the_job_arn_in_the_table() {
    let s = start(120).await;
    let want: Vec<String> = all(sdk(&s).list_model_copy_jobs())
        .await
        .iter()
        .map(|j| j.job_arn.clone())
        .collect();
    let (code, out, err) = run(&s, &["list", "--columns", "status,job_arn"]).await;
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(header, ["STATUS", "JOB ARN"]);
    let arns: Vec<String> = lines
        .map(|l| l.split_whitespace().last().unwrap().to_string())
        .collect();
    assert_eq!(arns, want, "every job's whole ARN, in order");
    // With two regions the Region column joins, as in the dashboard.
    let (code, out, _) = run_anywhere(
        &s,
        &[
            "list",
            "--regions",
            "us-east-1,us-west-2",
            "--columns",
            "name,job_arn",
        ],
    )
    .await;
    assert_eq!(code, 0);
    let header = out.lines().next().unwrap();
    assert!(
        header.starts_with("NAME") && header.contains("REGION") && header.contains("JOB ARN"),
        "{header}"
    );
    for (args, message) in [
        (
            vec!["list", "--columns", "stauts"],
            "`stauts` is not a column: did you mean `status`?",
        ),
        (
            vec!["list", "--columns", "job_arn", "-o", "json"],
            "--columns chooses the table's columns",
        ),
    ] {
        let (code, _, err) = run(&s, &args).await;
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn filters_order_and_limit_match_the_service() {
    let s = start(800).await;
    let want = all(sdk(&s)
        .list_model_copy_jobs()
        .status_equals(ModelCopyJobStatus::Failed)
        .sort_order(SortOrder::Ascending))
    .await;
    let (code, out, err) = run(
        &s,
        &[
            "list",
            "--status",
            "failed",
            "--sort",
            "oldest",
            "-o",
            "jsonl",
            "--page-size",
            "7",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let arns: Vec<String> = jsonl_arns(&out);
    assert_eq!(
        arns,
        want.iter().map(|j| j.job_arn.clone()).collect::<Vec<_>>()
    );
    let (code, out, _) = run(
        &s,
        &[
            "list", "--status", "failed", "--sort", "oldest", "-o", "jsonl", "--limit", "5",
        ],
    )
    .await;
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 5);
    assert!(out.lines().next().unwrap().contains(&want[0].job_arn));
}

/// ListModelCopyJobs requests the endpoint has answered so far.
fn list_requests(s: &Server) -> u64 {
    s.emulator.stats_json()["requests"]["us-east-1"]["ListModelCopyJobs"]
        .as_u64()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_limit_within_a_page_is_two_requests() {
    let s = start(800).await;
    let want = all(sdk(&s).list_model_copy_jobs()).await;
    // README: `list -o jsonl --limit 1` is two requests (as is any --limit
    // up to the page size, 1000 by default): the page, and the check that
    // the service left no job out above its last.
    for limit in [1usize, 150] {
        let before = list_requests(&s);
        let (code, out, err) =
            run(&s, &["list", "-o", "jsonl", "--limit", &limit.to_string()]).await;
        assert_eq!(code, 0, "{err}");
        assert_eq!(list_requests(&s) - before, 2, "--limit {limit}");
        assert_eq!(
            jsonl_arns(&out),
            want[..limit]
                .iter()
                .map(|j| j.job_arn.clone())
                .collect::<Vec<_>>(),
            "--limit {limit}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn get_prints_one_job_or_says_why_not() {
    let s = start(100).await;
    let job = all_failed(&sdk(&s)).await.remove(0);
    let (code, out, err) = run(&s, &["get", &job.job_arn, "-o", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["jobArn"], job.job_arn);
    assert_eq!(v["failureMessage"].as_str(), job.failure_message());
    let (code, out, _) = run(&s, &["get", &job.job_arn]).await;
    assert_eq!(code, 0);
    assert!(
        out.contains(&job.job_arn) && out.contains(job.failure_message().unwrap()),
        "{out}"
    );

    let unknown = format!("{}zzzzzzzzzzzz", &job.job_arn[..job.job_arn.len() - 12]);
    let (code, _, err) = run(&s, &["get", &unknown]).await;
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("ResourceNotFoundException"), "{err}");
    let (code, _, err) = run(&s, &["get", "not-an-arn"]).await;
    assert_eq!(code, 2);
    assert!(err.contains("is not a model copy job ARN"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_flags_are_refused_before_anything_is_sent() {
    let s = start(10).await;
    for (args, message) in [
        (
            vec!["list", "--status", "done"],
            "--status: 'done' is not a status",
        ),
        (vec!["list", "--since", "last tuesday"], "is not a time"),
        (vec!["list", "--name", "bad--name"], "--name:"),
        (vec!["list", "--source-account", "12"], "--source-account:"),
        (
            vec!["watch", "--since", "2h", "--until", "3h"],
            "--created-after: '2h' (",
        ),
        (vec!["wait", "--timeout", "5x"], "is not a duration"),
        (vec!["list", "--page-size", "0"], "--page-size"),
    ] {
        let (code, _, err) = run(&s, &args).await;
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_value_in_the_environment_names_the_variable() {
    let s = start(10).await;
    for (var, value, flag) in [
        ("COPYJOBS_REFRESH", "abc", "--refresh <SECONDS>"),
        ("COPYJOBS_PAGE_SIZE", "0", "--page-size <N>"),
    ] {
        let mut c = copyjobs(&s, &["list"]);
        c.env(var, value);
        let (code, _, err) = finish(c).await;
        assert_eq!(code, 2, "{var}: {err}");
        let want =
            format!("invalid value '{value}' in the environment variable {var} (it sets {flag})");
        assert!(err.contains(&want), "{var}: {err}");
    }
    // Typed, the flag is what is named.
    let (code, _, err) = finish(isolated(&["--refresh", "abc"])).await;
    assert_eq!(code, 2);
    assert!(err.contains("for '--refresh <SECONDS>'"), "{err}");
    assert_eq!(s.emulator.requests_total(), 0, "nothing was sent");
}

/// An InProgress job of the data set whose copy will end as `outcome`.
fn running_job(s: &Server, outcome: Status) -> String {
    let store = s.emulator.store("us-east-1");
    let store = store.lock().unwrap();
    let now = s.emulator.clock.now_ms();
    let job = store
        .jobs()
        .iter()
        .rev()
        .find(|j| j.status_at(now) == Status::InProgress && j.outcome == outcome)
        .expect("a running job");
    store.profile.job_arn(&job.id)
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_exits_zero_one_or_three() {
    let s = start(300).await;
    let ok = running_job(&s, Status::Completed);
    let bad = running_job(&s, Status::Failed);

    let (code, _, err) = run(&s, &["wait", &ok, "--timeout", "1s", "--interval", "0.2"]).await;
    assert_eq!(code, 3, "still running: a timeout. {err}");
    assert!(err.contains("timed out"), "{err}");

    let waiting = copyjobs(&s, &["wait", &ok, "--interval", "0.1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.emulator.clock.advance(3 * 3_600_000);
    let out = tokio::time::timeout(Duration::from_secs(30), waiting.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A new endpoint: the clock above has moved on.
    let s = start(300).await;
    let bad2 = running_job(&s, Status::Failed);
    assert_eq!(bad, bad2, "same seed, same data");
    let ok = running_job(&s, Status::Completed);
    let waiting = copyjobs(&s, &["wait", &ok, &bad, "--interval", "0.1"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    s.emulator.clock.advance(3 * 3_600_000);
    let out = tokio::time::timeout(Duration::from_secs(30), waiting.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&bad) && err.contains("✘"),
        "the failure is named: {err}"
    );
}

/// The rest of a child's stderr, held so that its writes still go somewhere.
type Stderr = tokio::io::Lines<BufReader<tokio::process::ChildStderr>>;

/// `copyjobs ARGS` (a watch) with its output piped, and the first line it
/// says on stderr (what it watches), once said.
async fn spawn_watch(s: &Server, args: &[&str]) -> (tokio::process::Child, String, Stderr) {
    let mut child = copyjobs(s, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), err.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    (child, first, err)
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_prints_transitions_as_the_clock_moves() {
    let s = start(300).await;
    let (mut child, first, _err) =
        spawn_watch(&s, &["watch", "--interval", "0.1", "-o", "jsonl"]).await;
    assert!(first.contains("watching 300 jobs"), "{first}");
    let running = running_job(&s, Status::Failed);
    s.emulator.clock.advance(3 * 3_600_000);
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let l = out.next_line().await.unwrap().unwrap();
            if l.contains(&running) {
                return l;
            }
        }
    })
    .await
    .expect("the transition was printed");
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (v["event"].as_str(), v["from"].as_str(), v["to"].as_str()),
        (Some("status"), Some("InProgress"), Some("Failed"))
    );
    assert!(v["failureMessage"].as_str().is_some_and(|m| !m.is_empty()));
    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_quiet_prints_nothing_and_still_sees_the_change() {
    let s = start(300).await;
    let seen = std::env::temp_dir().join(format!("copyjobs-quiet-{}", std::process::id()));
    let _ = std::fs::remove_file(&seen);
    let hook = format!("touch {}", seen.display());
    let (mut child, first, _err) = spawn_watch(
        &s,
        &[
            "watch",
            "--quiet",
            "--interval",
            "0.1",
            "--on-change",
            &hook,
        ],
    )
    .await;
    assert!(
        first.contains("quiet: changes go to the history only"),
        "{first}"
    );
    running_job(&s, Status::Failed);
    s.emulator.clock.advance(3 * 3_600_000);
    // The hook runs on a change: the change was seen.
    tokio::time::timeout(Duration::from_secs(30), async {
        while !seen.exists() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the change was seen");
    child.kill().await.unwrap();
    let mut out = String::new();
    use tokio::io::AsyncReadExt;
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .await
        .unwrap();
    assert_eq!(out, "", "nothing on stdout");
    let _ = std::fs::remove_file(&seen);
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_text_keeps_its_columns_with_long_and_odd_names() {
    let s = Server::start(
        Emulator::new(EmulatorOptions {
            odd_data: true,
            ..options(300)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let (mut child, first, _err) = spawn_watch(&s, &["watch", "--interval", "0.1"]).await;
    assert!(first.contains("watching"), "{first}");
    let in_flight = {
        let store = s.emulator.store("us-east-1");
        let store = store.lock().unwrap();
        let now = s.emulator.clock.now_ms();
        store
            .jobs()
            .iter()
            .filter(|j| j.status_at(now) == Status::InProgress)
            .count()
    };
    assert!(in_flight > 5, "{in_flight}");
    // Every running job finishes: a line each.
    s.emulator.clock.advance(3 * 3_600_000);
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut lines = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), async {
        while lines.len() < in_flight {
            lines.push(out.next_line().await.unwrap().unwrap());
        }
    })
    .await
    .expect("a line per finished job");
    child.kill().await.unwrap();
    let arn_at: Vec<usize> = lines
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(&l[..l.find("arn:aws:bedrock").unwrap()]))
        .collect();
    assert!(
        arn_at.iter().all(|c| *c == arn_at[0]),
        "the ARNs start in one column: {arn_at:?}\n{}",
        lines.join("\n")
    );
    assert!(lines.iter().all(|l| !l.chars().any(char::is_control)));
    assert!(
        lines.iter().any(|l| l.contains('…')),
        "the data set's 63-character names are cut visibly"
    );
}

/// `failures -o json`, parsed: (pattern, count, jobArns) a group.
fn parse_groups(out: &str) -> Vec<(String, usize, Vec<String>)> {
    let v: Vec<serde_json::Value> = serde_json::from_str(out).unwrap();
    v.iter()
        .map(|g| {
            let arns: Vec<String> = g["jobArns"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            (
                g["pattern"].as_str().unwrap().to_string(),
                usize::try_from(g["count"].as_u64().unwrap()).unwrap(),
                arns,
            )
        })
        .collect()
}

/// Job ARNs by the pattern of their failure message, as the domain folds it.
fn by_pattern(jobs: &[ModelCopyJobSummary]) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for j in jobs {
        let pattern = normalise(j.failure_message().unwrap_or_default());
        out.entry(pattern).or_default().insert(j.job_arn.clone());
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_groups_every_failed_job_by_cause() {
    let s = start(3000).await;
    let want = all_failed(&sdk(&s)).await;
    assert!(want.len() > 300, "{}", want.len());
    // Small pages: the groups come from every page, not the first.
    let (code, out, err) = run(&s, &["failures", "-o", "json", "--page-size", "97"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "no progress into a pipe: {err:?}");
    let groups = parse_groups(&out);
    assert_eq!(
        groups.iter().map(|g| g.1).sum::<usize>(),
        want.len(),
        "every failed job in one group"
    );
    let expected = by_pattern(&want);
    assert!(
        (5..=7).contains(&groups.len()),
        "one group per kind of failure: {:#?}",
        expected.keys()
    );
    for (pattern, count, arns) in &groups {
        assert_eq!(arns.len(), *count);
        let set: BTreeSet<String> = arns.iter().cloned().collect();
        assert_eq!(Some(&set), expected.get(pattern), "{pattern}");
    }
    let counts: Vec<usize> = groups.iter().map(|g| g.1).collect();
    assert!(
        counts.is_sorted_by(|a, b| a >= b),
        "most common first: {counts:?}"
    );
    let v: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    for g in &v {
        let example = g["example"].as_str().unwrap();
        assert_eq!(normalise(example), g["pattern"].as_str().unwrap());
        let newest = g["jobArns"][0].as_str().unwrap();
        let job = want.iter().find(|j| j.job_arn == newest).unwrap();
        assert_eq!(g["newest"].as_str().unwrap(), rfc3339(&job.creation_time));
        assert!(chrono::DateTime::parse_from_rfc3339(g["first"].as_str().unwrap()).is_ok());
    }

    let (code, out, err) = run(&s, &["failures"]).await;
    assert_eq!(code, 0, "{err}");
    let first = out.lines().next().unwrap();
    assert_eq!(
        first,
        format!(
            "{} jobs failed, {} causes",
            copyjobs::output::failures::thousands(want.len()),
            groups.len()
        )
    );
    for (_, count, arns) in &groups {
        assert!(out.contains(&arns[0]), "the newest job is named");
        if *count > 3 {
            assert!(out.contains(&format!("…and {} more", count - 3)), "{out}");
        }
    }
    assert!(out.lines().all(|l| l.chars().count() <= 160), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_merges_two_regions_by_cause() {
    let s = start(1500).await;
    let mut want = all_failed(&sdk_in(&s, "us-east-1")).await;
    let west = all_failed(&sdk_in(&s, "eu-central-1")).await;
    assert!(!want.is_empty() && !west.is_empty());
    want.extend(west);
    let (code, out, err) = finish(copyjobs_anywhere(
        &s,
        &[
            "failures",
            "-o",
            "json",
            "--regions",
            "us-east-1,eu-central-1",
        ],
    ))
    .await;
    assert_eq!(code, 0, "{err}");
    let groups = parse_groups(&out);
    assert_eq!(groups.iter().map(|g| g.1).sum::<usize>(), want.len());
    let expected = by_pattern(&want);
    assert_eq!(groups.len(), expected.len());
    for (pattern, _, arns) in &groups {
        let set: BTreeSet<String> = arns.iter().cloned().collect();
        assert_eq!(Some(&set), expected.get(pattern), "{pattern}");
    }
    let both = groups.iter().any(|(_, _, arns)| {
        arns.iter().any(|a| a.contains(":us-east-1:"))
            && arns.iter().any(|a| a.contains(":eu-central-1:"))
    });
    assert!(both, "a cause is one group whatever the region");
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_refuses_another_status_and_reports_the_service() {
    let s = start(50).await;
    for status in ["completed", "inprogress", "any"] {
        let (code, out, err) = run(&s, &["failures", "--status", status]).await;
        assert_eq!(code, 2, "{status}: {err}");
        assert!(out.is_empty());
        assert!(err.contains("failures reads failed jobs only"), "{err}");
    }
    let (code, _, err) = run(&s, &["failures", "--status", "done"]).await;
    assert_eq!(code, 2);
    assert!(err.contains("'done' is not a status"), "{err}");
    let (code, out, err) = run(&s, &["failures", "--status", "Failed", "-o", "json"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('['), "{out}");

    let denied = Server::start(
        Emulator::new(EmulatorOptions {
            deny_regions: vec!["us-east-1".into()],
            ..options(50)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let (code, out, err) = run(&denied, &["failures"]).await;
    assert_eq!(code, 4, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("AccessDenied"), "{err}");
    // The endpoint words it as an SCP's explicit deny: a grant cannot lift
    // that, so the advice is not to grant.
    assert!(
        err.contains("service control policy denies this here: no grant lifts it"),
        "{err}"
    );
    assert!(!err.contains("needs bedrock:ListModelCopyJobs"), "{err}");
}

/// Jobs of a `-o jsonl` listing, by ARN, in order.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_region_is_named_and_the_others_are_listed_in_order() {
    let s = Server::start(
        Emulator::new(EmulatorOptions {
            deny_regions: vec!["eu-central-1".into()],
            ..options(400)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let readable = ["--regions", "us-east-1,us-west-2"];
    // The refused region in the middle of three: the other two, merged in
    // order page by page (a small page makes the merge wait on each), as if
    // it had not been asked.
    let three = ["--regions", "us-east-1,eu-central-1,us-west-2"];
    let paged = ["-o", "jsonl", "--page-size", "37"];
    let (code, want, err) = finish(copyjobs_anywhere(
        &s,
        &[&["list"][..], &readable, &paged].concat(),
    ))
    .await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(jsonl_arns(&want).len(), 800);
    let (code, out, err) = finish(copyjobs_anywhere(
        &s,
        &[&["list"][..], &three, &paged].concat(),
    ))
    .await;
    assert_eq!(code, 1, "any source refused: exit 1, the output partial");
    assert_eq!(
        jsonl_arns(&out),
        jsonl_arns(&want),
        "the others, whole and in order"
    );
    assert!(
        err.contains(
            "copyjobs: eu-central-1 was not read (2 of 3 sources listed): AccessDeniedException"
        ),
        "{err}"
    );
    assert!(err.contains("explicit deny"), "the service's words: {err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // JSON stays one whole document; the table and CSV list the others too.
    let (code, out, _) = finish(copyjobs_anywhere(
        &s,
        &[&["list", "-o", "json"][..], &three].concat(),
    ))
    .await;
    assert_eq!(code, 1);
    assert_eq!(summaries(&out).len(), 800);
    for format in ["table", "csv"] {
        let (code, out, _) = finish(copyjobs_anywhere(
            &s,
            &[&["list", "-o", format][..], &three].concat(),
        ))
        .await;
        assert_eq!(code, 1);
        assert_eq!(
            out.lines().count(),
            801,
            "{format}: a header and the others' jobs"
        );
    }
    // Every source refused: the errors alone, as with one source.
    let (code, out, err) = finish(copyjobs_anywhere(
        &s,
        &["list", "--regions", "eu-central-1", "-o", "json"],
    ))
    .await;
    assert_eq!(code, 4);
    assert!(out.is_empty(), "{out}");
    assert!(err.starts_with("copyjobs: AccessDeniedException"), "{err}");

    // failures: the groups of the readable regions, the refused one named.
    let (code, want, _) = finish(copyjobs_anywhere(
        &s,
        &[&["failures", "-o", "json"][..], &readable].concat(),
    ))
    .await;
    assert_eq!(code, 0);
    let (code, out, err) = finish(copyjobs_anywhere(
        &s,
        &[&["failures", "-o", "json"][..], &three].concat(),
    ))
    .await;
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, want, "the same groups as without the refused region");
    assert!(err.contains("eu-central-1 was not read"), "{err}");
    let (code, out, err) = finish(copyjobs_anywhere(
        &s,
        &["failures", "--regions", "eu-central-1"],
    ))
    .await;
    assert_eq!(code, 4);
    assert!(out.is_empty() && err.contains("AccessDenied"), "{out}{err}");
}

/// Runs with `config` as the config file; `server` to talk to, if any.
async fn run_with_config(
    server: Option<&Server>,
    config: &std::path::Path,
    args: &[&str],
) -> (i32, String, String) {
    let mut c = match server {
        Some(s) => copyjobs(s, args),
        None => isolated(args),
    };
    let out = c.env("COPYJOBS_CONFIG", config).output().await.unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn statuses(jsonl: &str) -> Vec<String> {
    jsonl
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn the_configs_default_filter_applies_and_a_flag_overrides_it() {
    let server = start(300).await;
    let failed = all(sdk(&server)
        .list_model_copy_jobs()
        .status_equals(ModelCopyJobStatus::Failed))
    .await;
    let config = config_file("filter", "[filter]\nstatus = \"failed\"\n");
    let (code, out, err) = run_with_config(Some(&server), &config, &["list", "-o", "jsonl"]).await;
    assert_eq!(code, 0, "{err}");
    let got = statuses(&out);
    assert_eq!(got.len(), failed.len());
    assert!(got.iter().all(|s| s == "Failed"));
    // The flag wins over the file.
    let (code, out, err) = run_with_config(
        Some(&server),
        &config,
        &["list", "-o", "jsonl", "--status", "completed"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty() && statuses(&out).iter().all(|s| s == "Completed"));
}

#[tokio::test]
async fn a_typo_in_the_config_stops_everything_before_a_request() {
    let server = start(50).await;
    let config = config_file("typo", "[view]\nrefresh = 5\nthme = \"light\"\n");
    let (code, out, err) = run_with_config(Some(&server), &config, &["list"]).await;
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains(&format!(
            "{}:3:1: unknown key `thme`: did you mean `theme`?",
            config.display()
        )),
        "{err}"
    );
    assert_eq!(server.emulator.requests_total(), 0, "nothing was sent");
    // `config --check` says the same, and `config --path` where it looked.
    let (code, _, err) = run_with_config(None, &config, &["config", "--check"]).await;
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `theme`?"), "{err}");
    let (code, out, _) = run_with_config(None, &config, &["config", "--path"]).await;
    assert_eq!((code, out.trim()), (0, config.to_str().unwrap()));
}

/// `config --check` refuses what the dashboard refuses at start, with the
/// same words at the same line, and `--config` works before the verb too.
#[tokio::test]
async fn config_check_refuses_what_the_dashboard_refuses() {
    let cases = [
        (
            "order",
            "[filter]\nsince = \"1d\"\nuntil = \"7d\"\n",
            ":2:9: filter.since: '1d' (",
        ),
        (
            "empty-columns",
            "[view]\ncolumns = []\n",
            ":2:11: `columns` is empty",
        ),
        (
            "twice",
            "[view]\ncolumns = [\"name\", \"name\"]\n",
            ":2:20: `columns` lists \"name\" twice",
        ),
        (
            "type",
            "[view]\nrefresh = \"ten\"\n",
            ":2:11: `refresh` must be a number of seconds, like 10",
        ),
        (
            "bound-twice",
            "[keys]\nrefresh = \"r\"\ndown = [\"j\", \"n\"]\n",
            ":3:14: conflicting key bindings: `n` is bound to both down and name-filter",
        ),
        (
            "hook",
            "[notify]\non_change = \"copyjobs-no-such-program --now\"\n",
            ":2:13: on_change: `copyjobs-no-such-program` was not found on PATH",
        ),
    ];
    for (name, text, want) in cases {
        let config = config_file(name, text);
        let path = config.to_str().unwrap();
        let (code, out, check) = finish(isolated(&["--config", path, "config", "--check"])).await;
        assert_eq!(code, 2, "{name}: {out}{check}");
        assert!(
            check.starts_with(&format!("copyjobs: {path}{want}")),
            "{name}: {check}"
        );
        assert!(
            !check.contains("--created"),
            "{name}: no flag the user never passed"
        );
        // The dashboard's own start: the same message, before any terminal.
        let (code, _, start) = finish(isolated(&["--config", path])).await;
        assert_eq!(code, 2, "{name}: {start}");
        assert_eq!(start, check, "{name}");
    }
}

#[tokio::test]
async fn a_hook_whose_program_is_missing_is_refused_at_start() {
    let server = start(10).await;
    let (code, out, err) = run(
        &server,
        &["watch", "--on-change", "copyjobs-no-such-program --flag"],
    )
    .await;
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("--on-change: `copyjobs-no-such-program` was not found on PATH"),
        "{err}"
    );
    assert_eq!(server.emulator.requests_total(), 0, "nothing was sent");
    // A program that is there is taken: the watch starts.
    let mut watch = copyjobs(&server, &["watch", "--on-change", "true"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(watch.stderr.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), err.next_line())
        .await
        .expect("a first line")
        .unwrap()
        .unwrap_or_default();
    assert!(line.starts_with("copyjobs: watching "), "{line}");
    watch.start_kill().unwrap();
}

/// An AWS config file with three profiles, for the completions.
fn aws_config_file() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("copyjobs-aws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config");
    std::fs::write(
        &path,
        "[default]\nregion = us-east-1\n[profile ml-prod]\nregion = us-west-2\n[profile ml-dev]\n",
    )
    .unwrap();
    path
}

/// What bash completes for `line` (the cursor at its end), through the
/// script `copyjobs completions bash` prints, sourced in a real bash.
async fn bash_completes(line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let script = format!(
        "source <(\"$COPYJOBS\" completions bash)\n\
         COMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT={point}\nCOMP_TYPE=9\n\
         _clap_complete_copyjobs copyjobs '{current}' '{previous}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = words
            .iter()
            .map(|w| format!("'{w}'"))
            .collect::<Vec<_>>()
            .join(" "),
        cword = words.len() - 1,
        point = line.len(),
        current = words[words.len() - 1],
        previous = words[words.len().saturating_sub(2)],
    );
    let mut bash = Command::new("bash");
    bash.args(["--norc", "--noprofile", "-c", &script])
        .env("COPYJOBS", env!("CARGO_BIN_EXE_copyjobs"))
        .env("AWS_CONFIG_FILE", aws_config_file())
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
        .env_remove("COMPLETE")
        .kill_on_drop(true);
    let (code, out, err) = finish(bash).await;
    assert_eq!(code, 0, "{err}");
    let mut got: Vec<String> = out
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    got.sort();
    got
}

#[tokio::test]
async fn completions_offer_verbs_flags_profiles_and_regions() {
    assert_eq!(bash_completes("copyjobs li").await, ["list"]);
    assert!(
        bash_completes("copyjobs list --reg")
            .await
            .contains(&"--regions".to_string())
    );
    // The profiles of the AWS config file, as they are now.
    assert_eq!(
        bash_completes("copyjobs list --profile ml-").await,
        ["ml-dev", "ml-prod"]
    );
    assert_eq!(
        bash_completes("copyjobs --profile ").await,
        ["default", "ml-dev", "ml-prod"]
    );
    // Bedrock's regions, for --region(s) and copy --to.
    assert_eq!(
        bash_completes("copyjobs watch --region eu-central-").await,
        ["eu-central-1", "eu-central-2"]
    );
    assert!(
        bash_completes("copyjobs copy arn --to ap-south")
            .await
            .contains(&"ap-south-1".to_string())
    );
    // zsh's script asks the same way: the protocol it speaks, answered.
    let out = isolated(&["--", "copyjobs", "list", "--profile", "ml-p"])
        .env("COMPLETE", "zsh")
        .env("_CLAP_COMPLETE_INDEX", "3")
        .env("_CLAP_IFS", "\n")
        .env("AWS_CONFIG_FILE", aws_config_file())
        .output()
        .await
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ml-prod");
    let (code, zsh, _) = finish(isolated(&["completions", "zsh"])).await;
    assert_eq!(code, 0);
    assert!(zsh.starts_with("#compdef copyjobs"), "{zsh}");
    for shell in ["fish", "powershell"] {
        let (code, script, err) = finish(isolated(&["completions", shell])).await;
        assert_eq!(code, 0, "{err}");
        assert!(script.contains("copyjobs"), "{shell}: {script}");
    }
}

/// Every value a flag takes from a fixed set completes (the words its help
/// lists), and a comma-separated list offers only what it does not hold.
#[tokio::test]
async fn every_fixed_value_completes_and_a_list_offers_what_it_lacks() {
    let sorted = |v: Vec<&str>| {
        let mut v: Vec<String> = v.into_iter().map(str::to_string).collect();
        v.sort_unstable();
        v
    };
    // Written out from the help texts, not from the code that offers them.
    let cases: [(&str, Vec<&str>); 7] = [
        (
            "copyjobs list --status ",
            vec!["any", "inprogress", "completed", "failed"],
        ),
        ("copyjobs --theme ", vec!["dark", "light", "high-contrast"]),
        ("copyjobs list --sort ", vec!["newest", "oldest"]),
        ("copyjobs list -o ", vec!["table", "json", "jsonl", "csv"]),
        ("copyjobs failures --status f", vec!["failed"]),
        (
            "copyjobs list --profiles ml-dev,",
            vec!["ml-dev,default", "ml-dev,ml-prod"],
        ),
        (
            "copyjobs list --regions us-east-1,eu-central-2,eu-central",
            vec!["us-east-1,eu-central-2,eu-central-1"],
        ),
    ];
    for (line, want) in cases {
        assert_eq!(bash_completes(line).await, sorted(want), "{line}");
    }
    let columns = bash_completes("copyjobs list --columns status,name,").await;
    for c in ["region", "created", "job_arn", "kms_key"] {
        assert!(
            columns.contains(&format!("status,name,{c}")),
            "{c}: {columns:?}"
        );
    }
    assert!(
        !columns
            .iter()
            .any(|c| c.ends_with(",status") || c.ends_with(",name")),
        "{columns:?}"
    );
    // Every verb, for man.
    let verbs = bash_completes("copyjobs man ").await;
    for verb in [
        "config",
        "serve",
        "demo",
        "list",
        "get",
        "watch",
        "wait",
        "failures",
        "durations",
        "models",
        "stats",
        "copy",
        "retry",
        "completions",
        "man",
    ] {
        assert!(verbs.contains(&verb.to_string()), "{verb}: {verbs:?}");
    }
}

#[tokio::test]
async fn man_pages_are_written() {
    let (code, page, err) = finish(isolated(&["man"])).await;
    assert_eq!(code, 0, "{err}");
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "roff: {page}");
    assert!(page.contains(".TH copyjobs 1"), "{page}");
    let (code, page, _) = finish(isolated(&["man", "list"])).await;
    assert_eq!(code, 0);
    assert!(page.contains(".TH copyjobs-list 1"), "{page}");
    assert!(page.contains("columns"), "the verb's own flags");
    let dir = std::env::temp_dir().join(format!("copyjobs-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, out, err) = finish(isolated(&["man", "--dir", dir.to_str().unwrap()])).await;
    assert_eq!(code, 0, "{err}");
    for page in [
        "copyjobs.1",
        "copyjobs-list.1",
        "copyjobs-retry.1",
        "copyjobs-serve.1",
    ] {
        assert!(dir.join(page).is_file(), "{page}: {out}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
    let (code, _, err) = finish(isolated(&["man", "lsit"])).await;
    assert_eq!(code, 2);
    assert!(err.contains("no verb 'lsit'"), "{err}");
}

#[tokio::test]
async fn the_printed_default_config_is_the_documented_one_and_reads_back() {
    let out = isolated(&["config", "--print-default"])
        .output()
        .await
        .unwrap();
    let (code, out) = (out.status.code(), String::from_utf8(out.stdout).unwrap());
    assert_eq!(code, Some(0));
    assert_eq!(out, copyjobs::config::DEFAULT_TOML);
    let config = config_file("default", &out);
    let (code, out, err) = run_with_config(None, &config, &["config", "--check"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with(": ok\n"), "{out}");
}

#[tokio::test]
async fn a_refused_endpoint_is_reported_after_a_few_quick_tries() {
    // A port nothing listens on: bound, then let go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = isolated(&[
        "list",
        "--endpoint-url",
        &format!("http://127.0.0.1:{port}"),
        "--region",
        "us-east-1",
    ])
    .output()
    .await
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("Cannot reach the Bedrock endpoint: Connection refused"),
        "{err}"
    );
    assert!(
        !err.contains("retrying"),
        "no retry chatter into a pipe: {err}"
    );
}

#[tokio::test]
async fn the_dashboard_without_a_terminal_says_what_to_use() {
    let out = isolated(&["demo"]).output().await.unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("the dashboard needs a terminal"), "{err}");
    assert!(err.contains("`copyjobs list`"), "{err}");
}

#[tokio::test]
async fn odd_text_is_sanitized_in_table_and_csv_and_exact_in_json() {
    let server = Server::start(
        Emulator::new(EmulatorOptions {
            odd_data: true,
            ..options(600)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let sdk_jobs = all(sdk(&server).list_model_copy_jobs()).await;
    let odd = sdk_jobs
        .iter()
        .filter(|j| j.failure_message().is_some_and(|m| m.contains('\u{1b}')))
        .count();
    assert!(odd > 0, "the data set has escape sequences to survive");
    for format in ["table", "csv"] {
        let (code, out, err) = run(&server, &["list", "-o", format]).await;
        assert_eq!(code, 0, "{err}");
        assert!(
            !out.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
            "{format}: no control character reaches the terminal"
        );
        if format == "csv" {
            assert!(out.contains("\\u{1b}[31m"), "shown escaped");
        }
    }
    let (code, out, err) = run(&server, &["list", "-o", "jsonl"]).await;
    assert_eq!(code, 0, "{err}");
    let messages: Vec<Option<String>> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["failureMessage"].as_str().map(str::to_string)
        })
        .collect();
    let want: Vec<Option<String>> = sdk_jobs
        .iter()
        .map(|j| j.failure_message().map(str::to_string))
        .collect();
    assert_eq!(messages, want, "json keeps the text exactly");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parallel_listing_equals_the_sequential_one_under_faults() {
    // The same data twice: one endpoint throttles and fails now and then,
    // the other tells the truth.
    let faulty = Server::start(
        Emulator::new(EmulatorOptions {
            throttle_rate: 0.08,
            error_rate: 0.02,
            ..options(2000)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let truth = start(2000).await;
    let want: Vec<String> = all(sdk(&truth).list_model_copy_jobs())
        .await
        .iter()
        .map(|j| j.job_arn.clone())
        .collect();
    for order in ["newest", "oldest"] {
        let mut outputs = Vec::new();
        for concurrency in ["1", "4"] {
            let (code, out, err) = run(
                &faulty,
                &[
                    "list",
                    "-o",
                    "jsonl",
                    "--page-size",
                    "100",
                    "--sort",
                    order,
                    "--concurrency",
                    concurrency,
                ],
            )
            .await;
            assert_eq!(code, 0, "{err}");
            let arns: Vec<String> = out
                .lines()
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    v["jobArn"].as_str().unwrap().to_string()
                })
                .collect();
            outputs.push(arns);
        }
        let mut expected = want.clone();
        if order == "oldest" {
            expected.reverse();
        }
        assert_eq!(outputs[0], expected, "sequential, {order}");
        assert_eq!(
            outputs[1], expected,
            "parallel, {order}: none lost, none twice, in order"
        );
    }
    assert!(
        faulty.emulator.requests_total() > 4 * (2000 / 100),
        "faults were met and retried"
    );
}

/// Several sources listed whole: each read in parallel windows under one
/// `--concurrency` gate, the windows' parts merged by the engine as they
/// finish: the merged listing of the regions (taken from the SDK on an
/// endpoint without faults, sorted here), each job once, in order, the same
/// page after page.
#[tokio::test(flavor = "multi_thread")]
async fn several_sources_listed_in_windows_merge_in_order_under_faults() {
    let faulty = Server::start(
        Emulator::new(EmulatorOptions {
            throttle_rate: 0.08,
            error_rate: 0.02,
            ..options(600)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let truth = start(600).await;
    let mut want = Vec::new();
    for region in ["us-east-1", "us-west-2"] {
        for j in all(sdk_in(&truth, region).list_model_copy_jobs()).await {
            let t = j.creation_time;
            want.push(((t.secs(), t.subsec_nanos()), j.job_arn.clone()));
        }
    }
    // Newest first: creation time, then ARN, both descending.
    want.sort_by(|a, b| b.cmp(a));
    let want: Vec<String> = want.into_iter().map(|(_, arn)| arn).collect();
    assert_eq!(want.len(), 1200);
    for concurrency in ["1", "4"] {
        let (code, out, err) = run_anywhere(
            &faulty,
            &[
                "list",
                "--regions",
                "us-east-1,us-west-2",
                "-o",
                "jsonl",
                "--page-size",
                "50",
                "--concurrency",
                concurrency,
            ],
        )
        .await;
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            jsonl_arns(&out),
            want,
            "--concurrency {concurrency}: none lost, none twice, in order"
        );
    }
}

/// `copy`/`retry` against `server`: no --region (each request names its own).
async fn act(server: &Server, args: &[&str]) -> (i32, String, String) {
    finish(copyjobs_anywhere(server, args)).await
}

fn arns_of(json: &str) -> Vec<Option<String>> {
    let v: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    v.iter()
        .map(|o| o["jobArn"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn copy_makes_one_job_a_region_once_and_dry_run_sends_nothing() {
    let server = Server::start(
        Emulator::new(EmulatorOptions {
            deny_regions: vec!["ap-south-1".into()],
            ..options(200)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let west = all(sdk_in(&server, "us-west-2").list_model_copy_jobs()).await;
    // A model of neither region copied into (a copy goes to another region).
    let source = west
        .iter()
        .map(|j| j.source_model_arn.clone())
        .find(|arn| !arn.contains(":us-east-1:") && !arn.contains(":eu-central-1:"))
        .unwrap();
    let before = server.emulator.requests_total();
    let args = [
        "copy",
        source.as_str(),
        "--to",
        "us-east-1,eu-central-1",
        "--name",
        "fraud-sft-copy",
        "--tag",
        "team=fraud",
        "-o",
        "json",
    ];
    let (code, out, err) = act(&server, &[&args[..], &["--dry-run"]].concat()).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 2);
    // The commands ask the endpoint in use, as the dashboard's `c` does.
    assert!(
        out.starts_with(&format!(
            "aws bedrock create-model-copy-job --region us-east-1 --endpoint-url {} --source-model-arn ",
            server.url()
        )),
        "{out}"
    );
    assert_eq!(
        server.emulator.requests_total(),
        before,
        "--dry-run sent nothing"
    );

    let (code, out, err) = act(&server, &args).await;
    assert_eq!(code, 0, "{err}");
    let first = arns_of(&out);
    assert!(
        first[0]
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:bedrock:us-east-1:")
    );
    assert!(
        first[1]
            .as_deref()
            .unwrap()
            .starts_with("arn:aws:bedrock:eu-central-1:")
    );
    let job = sdk_in(&server, "eu-central-1")
        .get_model_copy_job()
        .job_arn(first[1].as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(job.source_model_arn(), source);
    assert_eq!(job.target_model_name(), Some("fraud-sft-copy"));
    assert_eq!(job.target_model_tags()[0].value(), "fraud");
    // The same command again creates nothing new, and says so.
    let (code, out, _) = act(&server, &args).await;
    assert_eq!(code, 0);
    assert_eq!(arns_of(&out), first, "idempotent");
    let again: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(again.iter().all(|o| o["alreadyCreated"] == true), "{out}");

    // A refused region beside one that works: both reported, exit 4.
    let (code, out, _) = act(
        &server,
        &[
            "copy",
            &source,
            "--to",
            "us-east-1,ap-south-1",
            "--name",
            "other-copy",
        ],
    )
    .await;
    assert_eq!(code, 4);
    assert!(
        out.contains("us-east-1        created  arn:aws:bedrock:us-east-1:"),
        "{out}"
    );
    assert!(
        out.contains("ap-south-1       refused  AccessDeniedException"),
        "{out}"
    );
    // Bad input is refused before anything is sent.
    let before = server.emulator.requests_total();
    let (code, _, err) = act(
        &server,
        &["copy", &source, "--to", "us-east-1", "--name", "bad--name"],
    )
    .await;
    assert_eq!(code, 2);
    assert!(err.contains("'bad--name' is not a model name"), "{err}");
    assert_eq!(server.emulator.requests_total(), before);
}

#[tokio::test]
async fn a_create_sent_again_says_so_and_a_forgotten_token_makes_a_new_job() {
    let server = start(200).await;
    let source = all(sdk(&server).list_model_copy_jobs()).await[0]
        .source_model_arn
        .clone();
    let args = [
        "copy",
        source.as_str(),
        "--to",
        "us-east-1",
        "--name",
        "twice-copy",
    ];
    let (code, out, err) = act(&server, &args).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("us-east-1        created  arn:"), "{out}");
    let arn = out.split_whitespace().nth(2).unwrap().to_string();
    let (code, out, err) = act(&server, &args).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("us-east-1        exists   {arn}  (already created by an identical request)\n")
    );
    // A retry run twice: the second is a repeat too.
    let failed = all_failed(&sdk(&server)).await;
    let (_, first, _) = act(&server, &["retry", &failed[0].job_arn]).await;
    assert!(first.contains(" created  "), "{first}");
    let (_, second, _) = act(&server, &["retry", &failed[0].job_arn]).await;
    assert!(
        second.contains("already created by an identical request"),
        "{second}"
    );

    // The record says the token made another job, which the service no
    // longer knows (its idempotency window passed): the job it makes now
    // is new, and is reported so.
    let request = copyjobs::domain::copy::CopyRequest {
        region: "us-east-1".into(),
        source_model_arn: source.to_string(),
        target_model_name: "later-copy".into(),
        kms_key_id: None,
        tags: Vec::new(),
        salt: String::new(),
    };
    let records = state_home(&server).join("copyjobs/created");
    std::fs::write(
        records.join(request.token()),
        "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/forgotten123\n",
    )
    .unwrap();
    let (code, out, err) = act(
        &server,
        &["copy", &source, "--to", "us-east-1", "--name", "later-copy"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("us-east-1        created  arn:"), "{out}");
    assert!(!out.contains("forgotten123"), "{out}");
    std::fs::remove_dir_all(state_home(&server)).unwrap();
}

#[tokio::test]
async fn a_copy_given_no_name_is_named_after_its_source_model() {
    let server = start(200).await;
    let west = all(sdk_in(&server, "us-west-2").list_model_copy_jobs()).await;
    // Models whose copies may go to the region asked: others are refused
    // before anything is sent (tests/matrix.rs).
    let table = copyjobs::domain::copy_regions::CopyRegions::shipped();
    let may_go = |arn: &str, region: &str| {
        let base = copyjobs::domain::copy_regions::base_model(arn);
        table.support(base, region) != copyjobs::domain::copy_regions::Support::Unsupported
    };
    // One that eu-central-1's data copies too (the regions copy the
    // account's models): a job there names it. Not one that lives there:
    // a copy leaves its region.
    let central = all(sdk_in(&server, "eu-central-1").list_model_copy_jobs()).await;
    let named = west
        .iter()
        .find(|j| {
            j.source_model_name().is_some_and(|n| n.len() < 40)
                && may_go(&j.source_model_arn, "eu-central-1")
                && !j.source_model_arn.contains(":eu-central-1:")
                && central
                    .iter()
                    .any(|c| c.source_model_arn == j.source_model_arn)
        })
        .expect("a job naming its source");
    let source = named.source_model_arn.clone();
    let want = format!("{}-copy", named.source_model_name().unwrap());
    let (code, out, err) = act(
        &server,
        &["copy", &source, "--to", "eu-central-1", "-o", "json"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let arn = arns_of(&out)[0].clone().unwrap();
    let job = sdk_in(&server, "eu-central-1")
        .get_model_copy_job()
        .job_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(job.target_model_name(), Some(want.as_str()));
    assert!(
        !want.contains(&source[source.len() - 12..]),
        "not the model's id"
    );

    // A model no job in the regions asked names: after its id, and the
    // same command again is the same request, though its first copy now
    // names the model.
    let unnamed = west
        .iter()
        .find(|j| {
            let region = j.source_model_arn.split(':').nth(3).unwrap_or("");
            j.source_model_name().is_some()
                && !["us-west-2", "ap-south-1"].contains(&region)
                && j.source_model_arn.contains(":custom-model/")
                && may_go(&j.source_model_arn, "ap-south-1")
        })
        .expect("a source from elsewhere")
        .source_model_arn
        .clone();
    let args = ["copy", unnamed.as_str(), "--to", "ap-south-1"];
    let (code, first, err) = act(&server, &args).await;
    assert_eq!(code, 0, "{first}{err}");
    assert!(err.contains("-copy after its id"), "{err}");
    let (code, second, err) = act(&server, &args).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        second.contains("already created by an identical request"),
        "{first}\n{second}"
    );
    let _ = std::fs::remove_dir_all(state_home(&server));
}

#[tokio::test]
async fn retry_sends_the_failed_copy_again_once() {
    let server = start(300).await;
    let failed = all_failed(&sdk(&server)).await;
    let job = &failed[0];
    let (code, out, err) = act(&server, &["retry", &job.job_arn, "-o", "json"]).await;
    assert_eq!(code, 0, "{err}");
    let new = arns_of(&out)[0].clone().unwrap();
    assert_ne!(new, job.job_arn);
    let again = sdk(&server)
        .get_model_copy_job()
        .job_arn(&new)
        .send()
        .await
        .unwrap();
    assert_eq!(again.source_model_arn(), job.source_model_arn);
    assert_eq!(again.target_model_name(), job.target_model_name.as_deref());
    let (_, out, _) = act(&server, &["retry", &job.job_arn, "-o", "json"]).await;
    assert_eq!(
        arns_of(&out)[0].as_deref(),
        Some(new.as_str()),
        "retrying twice makes one job"
    );
    // --dry-run prints the command with the endpoint it would send to.
    let (code, out, err) = act(&server, &["retry", &job.job_arn, "--dry-run"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(" --endpoint-url {} ", server.url())),
        "{out}"
    );
    let done = all(sdk(&server)
        .list_model_copy_jobs()
        .status_equals(ModelCopyJobStatus::Completed))
    .await;
    let (code, _, err) = act(&server, &["retry", &done[0].job_arn]).await;
    assert_eq!(code, 2);
    assert!(err.contains("only a failed copy can be retried"), "{err}");
}

#[tokio::test]
async fn read_only_refuses_copy_and_retry_and_says_where_it_came_from() {
    let server = start(300).await;
    let failed = all_failed(&sdk(&server)).await;
    let before = server.emulator.requests_total();
    let source = failed[0].source_model_arn.clone();
    let copy = [
        "copy",
        source.as_str(),
        "--to",
        "us-east-1",
        "--name",
        "ro-copy",
    ];
    let retry = ["retry", failed[0].job_arn.as_str()];
    for args in [&copy[..], &retry[..]] {
        let (code, out, err) = act(&server, &[args, &["--read-only"]].concat()).await;
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("read-only (--read-only)"), "{err}");
        assert!(out.is_empty(), "{out}");
    }
    let config = config_file("read-only", "[view]\nrefresh = 10\nread_only = true\n");
    for args in [&copy[..], &retry[..]] {
        let out = copyjobs_anywhere(&server, args)
            .env("COPYJOBS_CONFIG", &config)
            .output()
            .await
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!(
                "read-only (read_only = true at {}:3): ",
                config.display()
            )),
            "{err}"
        );
    }
    assert_eq!(
        server.emulator.requests_total(),
        before,
        "nothing was sent, not even a read"
    );
    // --dry-run changes nothing, so it still prints the requests.
    let (code, out, err) = act(
        &server,
        &[&copy[..], &["--read-only", "--dry-run"]].concat(),
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("aws bedrock create-model-copy-job"),
        "{out}"
    );
}

#[tokio::test]
async fn copy_wait_exits_as_wait_does() {
    // Frozen: the copy never ends, so --wait times out (3).
    let frozen = start(50).await;
    let source = all(sdk(&frozen).list_model_copy_jobs()).await[0]
        .source_model_arn
        .clone();
    let (code, _, err) = act(
        &frozen,
        &[
            "copy",
            &source,
            "--to",
            "us-east-1",
            "--wait",
            "--timeout",
            "2s",
            "--interval",
            "0.5",
        ],
    )
    .await;
    assert_eq!(code, 3, "{err}");
    // A fast clock: the copy ends within a poll or two, 0 if it completed, 1 if not.
    let fast = Server::start(
        Emulator::new(EmulatorOptions {
            frozen: false,
            speed: 100_000.0,
            ..options(50)
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let (code, out, err) = act(
        &fast,
        &[
            "copy",
            &source,
            "--to",
            "us-east-1",
            "--wait",
            "--interval",
            "0.2",
            "-o",
            "json",
        ],
    )
    .await;
    let arn = arns_of(
        out.split("\n]\n")
            .next()
            .map(|s| format!("{s}\n]"))
            .as_deref()
            .unwrap_or(&out),
    )[0]
    .clone()
    .unwrap();
    let job = sdk(&fast)
        .get_model_copy_job()
        .job_arn(&arn)
        .send()
        .await
        .unwrap();
    let want = if *job.status() == ModelCopyJobStatus::Completed {
        0
    } else {
        1
    };
    assert_eq!(code, want, "{out}{err}");
}

#[tokio::test]
async fn serve_v_writes_plain_text_into_a_pipe() {
    let mut serve = isolated(&[
        "serve",
        "-v",
        "--addr",
        "127.0.0.1:0",
        "--jobs",
        "5",
        "--frozen",
    ])
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut out = BufReader::new(serve.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), out.next_line())
        .await
        .expect("the endpoint said where it listens")
        .unwrap()
        .unwrap();
    let url = line.strip_prefix("listening on ").unwrap().to_string();
    // One request to log, then stop the endpoint and read what it wrote.
    let listed = isolated(&["list", "--endpoint-url", &url, "--region", "us-east-1"])
        .output()
        .await
        .unwrap();
    assert!(listed.status.success());
    serve.start_kill().unwrap();
    let mut err = String::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        tokio::io::AsyncReadExt::read_to_string(&mut serve.stderr.take().unwrap(), &mut err),
    )
    .await
    .expect("the endpoint's stderr closed")
    .unwrap();
    assert!(err.contains("operation=\"ListModelCopyJobs\""), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no colour codes in a pipe: {err:?}"
    );
}

/// A misspelt region is refused before anything is sent (it used to read
/// an empty table, exit 0), with the nearest of Bedrock's regions; the
/// same name is taken under `--any-region` (a region newer than the list).
#[tokio::test]
async fn a_region_not_among_bedrocks_is_refused_unless_any_region() {
    let server = start(50).await;
    let before = server.emulator.requests_total();
    let cases: [(&[&str], &str); 4] = [
        (
            &["list", "--region", "us-east1"],
            "copyjobs: --region: us-east1 is not one of Bedrock's regions: did you mean us-east-1?",
        ),
        (
            &["list", "--regions", "us-east-1,eu-wset-1"],
            "copyjobs: --regions: eu-wset-1 is not one of Bedrock's regions: did you mean eu-west-1?",
        ),
        (
            &["models", "--regions", "us-east-9"],
            "copyjobs: --regions: us-east-9 is not one of Bedrock's regions: did you mean us-east-1?",
        ),
        (
            &[
                "copy",
                "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12",
                "--to",
                "eu-wset-1",
                "--dry-run",
            ],
            "copyjobs: --to: eu-wset-1 is not one of Bedrock's regions: did you mean eu-west-1?",
        ),
    ];
    for (args, said) in cases {
        let (code, out, err) = run_anywhere(&server, args).await;
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        // The way out is offered for a name of a region's shape, which a
        // region newer than the list could have; `us-east1` has none.
        let hint = if args.contains(&"us-east1") {
            String::new()
        } else {
            " (--any-region takes a region newer than copyjobs' list)".to_string()
        };
        assert_eq!(err.trim_end(), format!("{said}{hint}"));
    }
    assert_eq!(server.emulator.requests_total(), before, "nothing was sent");
    // The list out of date: the region is read (the endpoint has none of
    // its jobs), and the dry run prints its command.
    let (code, _, err) =
        run_anywhere(&server, &["list", "--regions", "eu-wset-1", "--any-region"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(server.emulator.requests_total() > before);
    let (code, out, err) = run_anywhere(
        &server,
        &[
            "copy",
            "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12",
            "--to",
            "eu-wset-1",
            "--name",
            "new-region-copy",
            "--dry-run",
            "--any-region",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("aws bedrock create-model-copy-job --region eu-wset-1 "),
        "{out}"
    );
    // A name of no region's shape stays refused under --any-region, and the
    // refusal does not offer the flag the user already gave.
    let (code, _, err) =
        run_anywhere(&server, &["list", "--region", "us-east1", "--any-region"]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("did you mean us-east-1?"), "{err}");
    assert!(!err.contains("--any-region"), "{err}");
}

/// The endpoint the environment names (the SDK follows it unasked) is in
/// the dry run's commands too: pasted into a shell without it, they would
/// reach the real service.
#[tokio::test]
async fn a_dry_run_names_the_endpoint_the_environment_gives() {
    let server = start(50).await;
    let arn = "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12";
    let mut c = isolated(&[
        "copy",
        arn,
        "--to",
        "eu-west-1",
        "--name",
        "env-copy",
        "--dry-run",
    ]);
    c.env("AWS_ENDPOINT_URL", server.url())
        .env("XDG_STATE_HOME", state_home(&server));
    let (code, out, err) = finish(c).await;
    assert_eq!(code, 0, "{err}");
    let head = format!(
        "aws bedrock create-model-copy-job --region eu-west-1 --endpoint-url {} --source-model-arn {arn} ",
        server.url()
    );
    assert!(out.starts_with(&head), "{out}");
}
