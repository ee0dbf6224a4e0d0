//! The replication policy end to end: `plan` and `apply` run as the built
//! binary against the local endpoint (three regions, as `serve --regions
//! us-east-1,us-west-2,eu-central-1`), what they say compared with the
//! endpoint's own record of its jobs, and what they create counted there.

use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

mod support;
use support::cli::{finish, isolated};
use support::guide::{account_models, guide};

const REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-central-1"];

/// The issue's smallest policy, exactly as written there.
const NOVA: &str = r#"[[replicate]]
base_model = "amazon.nova-*"
regions = ["us-east-1", "us-west-2", "eu-central-1"]
"#;

fn options() -> EmulatorOptions {
    EmulatorOptions {
        jobs: 400,
        seed: 23,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(1_748_779_200_000),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        ..EmulatorOptions::default()
    }
}

async fn endpoint(options: EmulatorOptions) -> Server {
    Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

/// A directory of the test's own, named after `name` and the endpoint.
fn dir(server: &Server, name: &str) -> std::path::PathBuf {
    let port = server.url().rsplit(':').next().unwrap_or("0").to_string();
    let d = std::env::temp_dir().join(format!(
        "copyjobs-policy-{name}-{}-{port}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn policy_file(server: &Server, text: &str) -> std::path::PathBuf {
    let path = dir(server, "file").join("policy.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The binary against `server`, reading the three regions, its records in
/// `state`.
async fn run(server: &Server, state: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut c = isolated(args);
    c.args([
        "--endpoint-url",
        &server.url(),
        "--regions",
        "us-east-1,us-west-2,eu-central-1",
    ])
    .env("XDG_STATE_HOME", state);
    finish(c).await
}

/// As [`run`] under the smallest policy, its records in `state`'s
/// directory.
async fn with_nova(server: &Server, state: &str, args: &[&str]) -> (i32, String, String) {
    let policy = policy_file(server, NOVA);
    let args = [args, &["--policy", policy.to_str().unwrap()]].concat();
    run(server, &dir(server, state), &args).await
}

/// Every job of the three regions as the endpoint's own record has them
/// (`/_emulator/jobs`): the oracle, read without the client.
fn jobs(server: &Server) -> Vec<Value> {
    REGIONS
        .iter()
        .flat_map(|r| {
            server.emulator.jobs_json(r)["jobs"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}

fn region_of(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap_or("")
}

/// The base model a custom model's ARN names (`custom-model/BASE:…/ID`).
fn base_of(arn: &str) -> Option<&str> {
    let rest = arn.split(":custom-model/").nth(1)?;
    if rest.starts_with("imported/") {
        return None;
    }
    rest.split([':', '/']).next()
}

/// What the smallest policy must say for each (model, region) of the
/// models the jobs name, worked out from the jobs alone: the newest copy's
/// status, the model's own region, the guide's table.
fn expected(jobs: &[Value]) -> BTreeMap<(String, String), &'static str> {
    let mut newest: BTreeMap<(String, String), (&str, &str, &str)> = BTreeMap::new();
    for j in jobs {
        let source = j["sourceModelArn"].as_str().unwrap();
        let arn = j["jobArn"].as_str().unwrap();
        let key = (source.to_string(), region_of(arn).to_string());
        let this = (
            j["creationTime"].as_str().unwrap(),
            arn,
            j["status"].as_str().unwrap(),
        );
        let e = newest.entry(key).or_insert(this);
        // RFC 3339 in UTC with the same digits: text order is time order.
        if (this.0, this.1) > (e.0, e.1) {
            *e = this;
        }
    }
    let sources: BTreeSet<&str> = jobs
        .iter()
        .map(|j| j["sourceModelArn"].as_str().unwrap())
        .collect();
    let mut out = BTreeMap::new();
    for source in sources {
        let Some(base) = base_of(source) else {
            continue;
        };
        if !base.starts_with("amazon.nova-") {
            continue;
        }
        for region in REGIONS {
            let action = match newest.get(&(source.to_string(), region.to_string())) {
                _ if region_of(source) == region => "ok",
                Some((_, _, "Completed")) => "ok",
                Some((_, _, "Failed")) => "retry",
                Some(_) => "in-progress",
                None if guide(base).is_some_and(|g| !g.contains(&region)) => "cannot",
                None => "copy",
            };
            out.insert((source.to_string(), region.to_string()), action);
        }
    }
    out
}

/// [`expected`], and the models the account lists that no job names (a
/// job's own copy is its cell, not a model to plan): nowhere copied, so
/// `copy` wherever their base can go but their own region, and `cannot`
/// while the service would not copy them (not yet Active).
fn expected_all(server: &Server, unread: Option<&str>) -> BTreeMap<(String, String), &'static str> {
    let jobs: Vec<Value> = jobs(server)
        .into_iter()
        .filter(|j| Some(region_of(j["jobArn"].as_str().unwrap())) != unread)
        .collect();
    let mut want = expected(&jobs);
    let named: BTreeSet<&str> = jobs
        .iter()
        .flat_map(|j| [j["sourceModelArn"].as_str(), j["targetModelArn"].as_str()])
        .flatten()
        .collect();
    for m in account_models(server, &server.emulator.account, &REGIONS) {
        let arn = m["modelArn"].as_str().unwrap();
        if Some(region_of(arn)) == unread {
            continue;
        }
        let Some(base) = base_of(arn) else { continue };
        if named.contains(arn) || !base.starts_with("amazon.nova-") {
            continue;
        }
        for region in REGIONS.into_iter().filter(|r| Some(*r) != unread) {
            let action = if region_of(arn) == region {
                "ok"
            } else if guide(base).is_some_and(|g| !g.contains(&region))
                || m["modelStatus"] != "Active"
            {
                "cannot"
            } else {
                "copy"
            };
            want.insert((arn.to_string(), region.to_string()), action);
        }
    }
    want
}

/// `plan -o json`'s steps by (model, region).
fn steps(out: &str) -> BTreeMap<(String, String), String> {
    let v: Vec<Value> = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v.iter()
        .map(|s| {
            (
                (
                    s["sourceModelArn"].as_str().unwrap().to_string(),
                    s["region"].as_str().unwrap().to_string(),
                ),
                s["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Checks a plan against the oracle: the same steps, each with the same
/// action.
fn check_plan(plan: &BTreeMap<(String, String), String>, want: &BTreeMap<(String, String), &str>) {
    for (key, action) in want {
        assert_eq!(plan.get(key).map(String::as_str), Some(*action), "{key:?}");
    }
    for key in plan.keys() {
        assert!(want.contains_key(key), "{key:?} planned, not wanted");
    }
}

fn creates(server: &Server) -> u64 {
    server
        .emulator
        .request_counts()
        .iter()
        .filter(|((_, op), _)| op == "CreateModelCopyJob")
        .map(|(_, n)| n)
        .sum()
}

#[tokio::test]
async fn plan_then_apply_closes_every_gap_once() {
    let server = endpoint(options()).await;
    let state = dir(&server, "state");
    let policy = policy_file(&server, NOVA);
    let policy = policy.to_str().unwrap();
    let plan_json = [
        "plan",
        "--policy",
        policy,
        "-o",
        "json",
        "--detailed-exitcode",
    ];
    let before = jobs(&server);
    let want = expected_all(&server, None);
    let to_create: BTreeSet<(String, String)> = want
        .iter()
        .filter(|(_, a)| matches!(**a, "copy" | "retry"))
        .map(|(k, _)| k.clone())
        .collect();
    // The data set has Nova-based models in every state the plan tells.
    for action in ["copy", "retry", "in-progress", "ok"] {
        assert!(
            want.values().any(|a| *a == action),
            "no {action} in {want:?}"
        );
    }

    let (code, out, err) = run(&server, &state, &plan_json).await;
    assert_eq!(code, 2, "something to do: {err}");
    let plan = steps(&out);
    check_plan(&plan, &want);
    // The warning of the regions Nova Canvas cannot go to, at their place.
    assert!(
        err.contains("policy.toml:3:25: warning: amazon.nova-canvas-v1"),
        "{err}"
    );
    let planned: BTreeSet<(String, String)> = plan
        .iter()
        .filter(|(_, a)| matches!(a.as_str(), "copy" | "retry"))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(planned.is_superset(&to_create));

    // Frozen: the copies never end, so --wait gives up (3), as copy --wait.
    let (code, applied, err) = run(
        &server,
        &state,
        &[
            "apply",
            "--policy",
            policy,
            "--yes",
            "--wait",
            "--timeout",
            "1s",
            "--interval",
            "0.5",
        ],
    )
    .await;
    assert_eq!(code, 3, "{err}");
    assert_eq!(creates(&server), planned.len() as u64, "one create a step");
    let known: BTreeSet<String> = before
        .iter()
        .map(|j| j["jobArn"].as_str().unwrap().to_string())
        .collect();
    let after = jobs(&server);
    let made: BTreeSet<(String, String)> = after
        .iter()
        .filter(|j| !known.contains(j["jobArn"].as_str().unwrap()))
        .map(|j| {
            (
                j["sourceModelArn"].as_str().unwrap().to_string(),
                region_of(j["jobArn"].as_str().unwrap()).to_string(),
            )
        })
        .collect();
    assert_eq!(after.len() - before.len(), planned.len(), "each once");
    assert_eq!(made, planned, "exactly the missing copies");
    // Each line says which model's copy it made, and where.
    let said: BTreeSet<(String, String)> = applied
        .lines()
        .filter(|l| l.contains(" created "))
        .filter_map(|l| {
            let region = l.split_whitespace().next()?;
            let source = l.rsplit_once("(from ")?.1.strip_suffix(')')?;
            Some((source.to_string(), region.to_string()))
        })
        .collect();
    assert_eq!(said, planned, "{applied}");

    let (code, out, err) = run(&server, &state, &plan_json).await;
    assert_eq!(code, 0, "in sync: {err}");
    let again = steps(&out);
    for key in &planned {
        assert_eq!(again[key], "in-progress", "{key:?}");
    }

    let (code, _, err) = run(&server, &state, &["apply", "--policy", policy, "--yes"]).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("nothing to create"), "{err}");
    assert_eq!(creates(&server), planned.len() as u64, "nothing sent");
    assert_eq!(jobs(&server).len(), after.len());
    let _ = std::fs::remove_dir_all(dir(&server, "state"));
    let _ = std::fs::remove_dir_all(dir(&server, "file"));
}

#[tokio::test]
async fn a_rerun_after_a_crash_creates_each_copy_once() {
    // New jobs are listed a minute after they start, and the clock stands
    // still: a second run sees the same gaps, as one after a crash would.
    let server = endpoint(EmulatorOptions {
        list_lag: 60.0,
        ..options()
    })
    .await;
    let policy = policy_file(&server, NOVA);
    let policy = policy.to_str().unwrap();
    let before: BTreeSet<String> = jobs(&server)
        .iter()
        .map(|j| j["jobArn"].as_str().unwrap().to_string())
        .collect();
    let apply = [
        "apply", "--policy", policy, "--yes", "--max", "5", "-o", "json",
    ];
    let (code, first, err) = run(&server, &dir(&server, "first"), &apply).await;
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("creating 5 of the"), "{err}");
    // The local record is gone too (another machine, a lost disk): only
    // the tokens tell the service these are the same copies.
    let (code, second, err) = run(&server, &dir(&server, "second"), &apply).await;
    assert_eq!(code, 0, "{err}");
    let arns = |out: &str| -> BTreeSet<String> {
        let v: Vec<Value> = serde_json::from_str(out).unwrap();
        v.iter()
            .map(|o| o["jobArn"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(arns(&first).len(), 5);
    assert_eq!(arns(&first), arns(&second), "the same jobs, answered again");
    assert_eq!(creates(&server), 10, "both runs sent");
    // Past the lag every job is listed: the five, and none besides but
    // the data set's own newest, which the lag hid before.
    let start = server.emulator.jobs_json("us-east-1")["now"]
        .as_str()
        .unwrap()
        .to_string();
    server.emulator.clock.advance(120_000);
    let new: Vec<Value> = jobs(&server)
        .into_iter()
        .filter(|j| !before.contains(j["jobArn"].as_str().unwrap()))
        .collect();
    let made: BTreeSet<String> = new
        .iter()
        .filter(|j| j["creationTime"].as_str().unwrap() >= start.as_str())
        .map(|j| j["jobArn"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(made, arns(&first), "each copy made once");
    for name in ["first", "second", "file"] {
        let _ = std::fs::remove_dir_all(dir(&server, name));
    }
}

#[tokio::test]
async fn apply_asks_refuses_read_only_and_goes_on_past_a_refusal() {
    let server = endpoint(options()).await;
    let policy = policy_file(&server, NOVA);
    let policy = policy.to_str().unwrap();
    let state = dir(&server, "state");
    let total = server.emulator.requests_total();
    let (code, _, err) = run(
        &server,
        &state,
        &["apply", "--policy", policy, "--yes", "--read-only"],
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("read-only (--read-only)"), "{err}");
    assert_eq!(server.emulator.requests_total(), total, "not even a read");
    // No terminal to ask on, no --yes: nothing is sent.
    let (code, _, err) = run(&server, &state, &["apply", "--policy", policy]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--yes sends them"), "{err}");
    assert_eq!(creates(&server), 0);

    // The owner of some of the missing copies' models shares nothing: its
    // creates are refused, the others made, and the run exits 1.
    let want = expected_all(&server, None);
    let owner = |arn: &str| arn.split(':').nth(4).unwrap_or("").to_string();
    let mut by_owner: BTreeMap<String, usize> = BTreeMap::new();
    for ((source, _), a) in &want {
        if matches!(*a, "copy" | "retry") {
            *by_owner.entry(owner(source)).or_default() += 1;
        }
    }
    let wanted: usize = by_owner.values().sum();
    let (denied, refused) = by_owner
        .iter()
        .find(|(_, n)| **n < wanted)
        .map(|(a, n)| (a.clone(), *n))
        .unwrap();
    let server = endpoint(EmulatorOptions {
        deny_source_accounts: vec![denied.clone()],
        ..options()
    })
    .await;
    let policy = policy_file(&server, NOVA);
    let (code, out, err) = run(
        &server,
        &dir(&server, "state"),
        &["apply", "--policy", policy.to_str().unwrap(), "--yes"],
    )
    .await;
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.matches(" refused ").count(), refused, "{out}");
    assert_eq!(out.matches(" created ").count(), wanted - refused, "{out}");
    for name in ["state", "file"] {
        let _ = std::fs::remove_dir_all(dir(&server, name));
    }
}

#[tokio::test]
async fn plan_says_a_usage_error_with_1_never_2() {
    let server = endpoint(options()).await;
    let state = dir(&server, "state");
    let (code, _, err) = run(&server, &state, &["plan", "--bogus", "--detailed-exitcode"]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("--bogus"), "{err}");
    let bad = policy_file(
        &server,
        "[[replicate]]\nbase_model = \"amazon.nova-*\"\nregion = [\"us-east-1\"]\n",
    );
    let (code, _, err) = run(
        &server,
        &state,
        &[
            "plan",
            "--policy",
            bad.to_str().unwrap(),
            "--detailed-exitcode",
        ],
    )
    .await;
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("policy.toml:3:1: unknown key `region`: did you mean `regions`?"),
        "{err}"
    );
    // The line at fault on a line of its own, the caret under it.
    assert!(err.contains("\n 3 | region = [\"us-east-1\"]\n"), "{err}");
    // Without a policy anywhere.
    let (code, _, err) = run(&server, &state, &["plan", "--detailed-exitcode"]).await;
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("no policy"), "{err}");
    assert_eq!(server.emulator.requests_total(), 0, "nothing was read");
    for name in ["state", "file"] {
        let _ = std::fs::remove_dir_all(dir(&server, name));
    }
}

#[tokio::test]
async fn apply_wait_exits_as_wait_does() {
    // A fast clock: the copies end within a poll or two.
    let server = endpoint(EmulatorOptions {
        frozen: false,
        speed: 100_000.0,
        ..options()
    })
    .await;
    let (code, out, err) = with_nova(
        &server,
        "state",
        &[
            "apply",
            "--yes",
            "--max",
            "2",
            "--wait",
            "--interval",
            "0.2",
            "-o",
            "json",
        ],
    )
    .await;
    let report = out.split("\n]\n").next().unwrap().to_string() + "\n]";
    let made: Vec<Value> = serde_json::from_str(&report).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(made.len(), 2, "{out}");
    let statuses: Vec<String> = made
        .iter()
        .map(|o| {
            let arn = o["jobArn"].as_str().unwrap();
            let all = server.emulator.jobs_json(region_of(arn));
            let job = all["jobs"]
                .as_array()
                .unwrap()
                .iter()
                .find(|j| j["jobArn"] == arn)
                .cloned()
                .unwrap();
            job["status"].as_str().unwrap().to_string()
        })
        .collect();
    let want = if statuses.iter().all(|s| s == "Completed") {
        0
    } else {
        1
    };
    assert_eq!(code, want, "{statuses:?} {out}{err}");
    for name in ["state", "file"] {
        let _ = std::fs::remove_dir_all(dir(&server, name));
    }
}

/// The dashboard's M on the same endpoint: the cells the policy wants
/// marked and counted in its title before `apply`, none after.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn m_counts_the_missing_cells_before_apply_and_none_after() {
    let server = endpoint(options()).await;
    let state = dir(&server, "state");
    let policy = policy_file(&server, NOVA);
    let (code, out, err) = run(
        &server,
        &state,
        &["plan", "--policy", policy.to_str().unwrap(), "-o", "json"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let copies = steps(&out).values().filter(|a| *a == "copy").count();
    let known = expected_all(&server, None)
        .values()
        .filter(|a| **a == "copy")
        .count();
    assert!(known > 0 && copies == known, "{copies} {known}");
    let url = server.url();
    let (ui_state, file) = (dir(&server, "ui"), policy.clone());
    let session = tokio::task::spawn_blocking(move || {
        let mut session = support::pty::Session::start(
            &[
                "--endpoint-url",
                &url,
                "--regions",
                "us-east-1,us-west-2,eu-central-1",
                "--policy",
                file.to_str().unwrap(),
            ],
            (160, 48),
            &ui_state,
            &[
                ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
                ("AWS_SECRET_ACCESS_KEY", "secret"),
                ("AWS_CONFIG_FILE", "/nonexistent/config"),
                ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
            ],
        );
        session
            .screen
            .wait_for("the first page", |t| t.contains("loaded"));
        session.send("M");
        let wanted = format!("○ {copies} missing");
        session
            .screen
            .wait_for(&wanted, |t| t.contains(&wanted) && t.contains('○'));
        session
    })
    .await
    .unwrap();
    let (code, _, err) = run(
        &server,
        &state,
        &["apply", "--policy", policy.to_str().unwrap(), "--yes"],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    tokio::task::spawn_blocking(move || {
        let mut session = session;
        session.send("r");
        let screen = session
            .screen
            .wait_for("none missing, the frame whole (its legend last)", |t| {
                t.contains("○ 0 missing") && t.contains("(P its plan)")
            });
        // The title's mark and the legend's, no cell.
        assert_eq!(screen.matches('○').count(), 2, "{screen}");
        session.send("\u{1b}");
        session
            .screen
            .wait_for("the table again", |t| !t.contains("where each model is"));
        session.quit();
    })
    .await
    .unwrap();
    for name in ["state", "ui", "file"] {
        let _ = std::fs::remove_dir_all(dir(&server, name));
    }
}

#[tokio::test]
async fn a_region_refused_is_planned_nowhere_and_the_plan_exits_1() {
    let server = endpoint(EmulatorOptions {
        deny_regions: vec!["eu-central-1".into()],
        ..options()
    })
    .await;
    let (code, out, err) = with_nova(
        &server,
        "state",
        &["plan", "-o", "json", "--detailed-exitcode"],
    )
    .await;
    assert_eq!(code, 1, "partial, not drift: {err}");
    assert!(err.contains("eu-central-1"), "{err}");
    let plan = steps(&out);
    assert!(!plan.is_empty());
    assert!(plan.keys().all(|(_, r)| r != "eu-central-1"), "{out}");
    // The regions read are planned as the oracle says, from their jobs
    // and models.
    let want: BTreeMap<_, _> = expected_all(&server, Some("eu-central-1"))
        .into_iter()
        .filter(|((_, r), _)| r != "eu-central-1")
        .collect();
    check_plan(&plan, &want);
    for name in ["state", "file"] {
        let _ = std::fs::remove_dir_all(dir(&server, name));
    }
}
