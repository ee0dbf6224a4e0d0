//! `wait`, `watch` and `get` as a user combines them: two jobs of one region
//! while others keep arriving, a region refused among several, a job named
//! by an ARN of another region than the one configured. The built binary
//! against the local endpoint, counted at the endpoint.

use copyjobs::emulator::model::Status;
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

mod support;

const NOW_MS: i64 = 1_748_779_200_000;

/// A frozen endpoint on which jobs keep arriving as the clock is moved: an
/// account where other people copy too.
async fn busy_endpoint(regions: &[&str], deny: &[&str]) -> Server {
    Server::start(
        Emulator::new(EmulatorOptions {
            jobs: 300,
            seed: 11,
            frozen: true,
            arrival_rate: 1.0,
            now: Some(NOW_MS),
            regions: regions.iter().map(|r| r.to_string()).collect(),
            deny_regions: deny.iter().map(|r| r.to_string()).collect(),
            ..EmulatorOptions::default()
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap()
}

/// The binary, isolated from this machine's AWS and copyjobs configuration.
fn copyjobs(server: &Server, args: &[&str]) -> Command {
    let mut c = support::cli::isolated(args);
    c.args(["--endpoint-url", &server.url()])
        .env(
            "XDG_STATE_HOME",
            std::env::temp_dir().join("copyjobs-waiting-state"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

async fn finish(child: tokio::process::Child) -> (i32, String, String) {
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the command finished within a minute")
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The newest jobs of `region` running now, newest first.
fn running(s: &Server, region: &str, n: usize) -> Vec<String> {
    let store = s.emulator.store(region);
    let store = store.lock().unwrap();
    let now = s.emulator.clock.now_ms();
    let found: Vec<String> = store
        .jobs()
        .iter()
        .rev()
        .filter(|j| j.status_at(now) == Status::InProgress)
        .take(n)
        .map(|j| store.profile.job_arn(&j.id))
        .collect();
    assert_eq!(found.len(), n, "{n} running jobs in {region}");
    found
}

fn counts(s: &Server, operation: &str) -> u64 {
    s.emulator
        .request_counts()
        .iter()
        .filter(|((_, op), _)| op == operation)
        .map(|(_, n)| n)
        .sum()
}

/// Waits (without sleeping as synchronisation: it checks the endpoint's own
/// count) until the client has polled at least `n` times.
async fn until_listed(s: &Server, n: u64) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while counts(s, "ListModelCopyJobs") < n {
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the client polled");
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_on_two_running_jobs_of_one_region_returns_while_others_arrive() {
    let s = busy_endpoint(&["us-east-1"], &[]).await;
    let jobs = running(&s, "us-east-1", 2);
    let child = copyjobs(&s, &["wait", &jobs[0], &jobs[1], "--interval", "0.05"])
        .spawn()
        .unwrap();
    // Both are in flight while it polls...
    until_listed(&s, 2).await;
    // ...then three hours pass: both end, and others arrive and run.
    s.emulator.clock.advance(3 * 3_600_000);
    let (code, _, err) = finish(child).await;
    assert!(code == 0 || code == 1, "wait returned: {code} {err}");
    assert!(err.contains("2 finished"), "{err}");
    // One Get each to start, one each when they ended: no other job's.
    assert_eq!(
        counts(&s, "GetModelCopyJob"),
        4,
        "{:?}",
        s.emulator.request_counts()
    );
}

/// The jobs of `region` running at `at_ms`.
fn running_at(s: &Server, region: &str, at_ms: i64) -> Vec<String> {
    let store = s.emulator.store(region);
    let store = store.lock().unwrap();
    store
        .jobs()
        .iter()
        .filter(|j| j.created_us <= at_ms * 1000 && j.status_at(at_ms) == Status::InProgress)
        .map(|j| store.profile.job_arn(&j.id))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_on_a_filter_counts_one_set_and_waits_for_no_newcomer() {
    let s = busy_endpoint(&["us-east-1"], &[]).await;
    let at_start = running_at(&s, "us-east-1", NOW_MS);
    let child = copyjobs(
        &s,
        &[
            "wait",
            "--region",
            "us-east-1",
            "--status",
            "inprogress",
            "--interval",
            "0.05",
            "--timeout",
            "10s",
        ],
    )
    .spawn()
    .unwrap();
    // The set is what the first listing held (read whole before any poll):
    // once it is answered, the clock may move.
    tokio::time::timeout(Duration::from_secs(30), async {
        while s.emulator.status_counts().values().sum::<u64>() < 1 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the first listing answered");
    // Twenty minutes: some of the running jobs end, newcomers start. Any
    // poll from here on sees it; the timeout needs one within ten seconds
    // (it used to need six polls and a clock move within three).
    s.emulator.clock.advance(20 * 60_000);
    let later = NOW_MS + 20 * 60_000;
    let still: Vec<&String> = at_start
        .iter()
        .filter(|a| running_at(&s, "us-east-1", later).contains(a))
        .collect();
    assert!(
        !still.is_empty() && still.len() < at_start.len(),
        "the data has some ended and some not: {} of {}",
        still.len(),
        at_start.len()
    );
    let (code, _, err) = finish(child).await;
    assert_eq!(code, 3, "a timeout: {err}");
    let want = format!(
        "{} of {} jobs still in progress",
        still.len(),
        at_start.len()
    );
    assert!(err.contains(&want), "want '{want}' in: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn wait_and_watch_go_on_with_the_regions_that_answer() {
    let s = busy_endpoint(&["us-east-1", "eu-central-1"], &["eu-central-1"]).await;
    let running_east = running_at(&s, "us-east-1", NOW_MS);
    let child = copyjobs(
        &s,
        &[
            "wait",
            "--regions",
            "us-east-1,eu-central-1",
            "--status",
            "inprogress",
            "--interval",
            "0.05",
        ],
    )
    .spawn()
    .unwrap();
    until_listed(&s, 3).await;
    s.emulator.clock.advance(3 * 3_600_000);
    let (code, _, err) = finish(child).await;
    assert_eq!(code, 4, "a region was refused: {err}");
    assert!(
        err.contains("eu-central-1 refused: AccessDeniedException")
            && err.contains("explicit deny"),
        "which source and why: {err}"
    );
    assert!(
        err.contains(&format!("{} finished", running_east.len())),
        "the other region's jobs were waited for: {err}"
    );

    // watch: the refused region is said once, the other one's changes print.
    let s = busy_endpoint(&["us-east-1", "eu-central-1"], &["eu-central-1"]).await;
    let ending = running_at(&s, "us-east-1", NOW_MS);
    let mut child = copyjobs(
        &s,
        &[
            "watch",
            "--regions",
            "us-east-1,eu-central-1",
            "--interval",
            "0.05",
            "-o",
            "jsonl",
        ],
    )
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    until_listed(&s, 4).await;
    s.emulator.clock.advance(3 * 3_600_000);
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let line = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            let l = lines.next_line().await.unwrap().expect("a line");
            if ending.iter().any(|a| l.contains(a.as_str())) {
                return l;
            }
        }
    })
    .await
    .expect("a change of the answering region was printed");
    assert!(line.contains("\"to\":"), "{line}");
    child.start_kill().unwrap();
    let (_, _, err) = finish(child).await;
    assert_eq!(
        err.matches("eu-central-1 refused").count(),
        1,
        "said once: {err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn get_takes_the_region_from_the_arn() {
    let s = busy_endpoint(&["us-east-1"], &[]).await;
    let arn = running(&s, "us-east-1", 1).remove(0);
    // No region configured at all.
    let (code, out, err) =
        finish(copyjobs(&s, &["get", &arn, "-o", "json"]).spawn().unwrap()).await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&arn), "{out}");
    // Another region configured: the ARN's wins, as for wait and retry.
    let (code, out, err) = finish(
        copyjobs(&s, &["get", &arn, "--region", "us-west-2", "-o", "json"])
            .spawn()
            .unwrap(),
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&arn), "{out}");
}

/// The binary on a pseudo-terminal of 120×24 (stderr a terminal, as a
/// person runs it), and everything it writes there, raw.
fn on_terminal(
    s: &Server,
    args: &[&str],
    state: Option<&std::path::Path>,
) -> (
    Box<dyn portable_pty::Child + Send + Sync>,
    std::sync::Arc<std::sync::Mutex<String>>,
) {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    use std::io::Read;
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_copyjobs"));
    cmd.args(args);
    cmd.args(["--endpoint-url", &s.url()]);
    for (k, v) in [
        ("AWS_ACCESS_KEY_ID", "AKIDTEST"),
        ("AWS_SECRET_ACCESS_KEY", "secret"),
        ("AWS_CONFIG_FILE", "/nonexistent/config"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("XDG_CONFIG_HOME", "/nonexistent/xdg"),
        ("TZ", "UTC"),
    ] {
        cmd.env(k, v);
    }
    match state {
        Some(dir) => cmd.env("XDG_STATE_HOME", dir),
        None => cmd.env("XDG_STATE_HOME", "/nonexistent/state"),
    }
    let child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let screen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = screen.clone();
    // The master is moved into the reading thread: it lives as long as the
    // child writes.
    let master = pty.master;
    std::thread::spawn(move || {
        let _master = master;
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    (child, screen)
}

/// Waits until what the terminal shows satisfies `pred`.
async fn until_shown(screen: &std::sync::Mutex<String>, what: &str, pred: impl Fn(&str) -> bool) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while !pred(&screen.lock().unwrap()) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}: {:?}", screen.lock().unwrap()));
}

/// `wait` on a terminal says how far it is, in place on stderr.
#[tokio::test(flavor = "multi_thread")]
async fn wait_on_a_terminal_shows_its_progress() {
    let s = busy_endpoint(&["us-east-1"], &[]).await;
    let jobs = running(&s, "us-east-1", 3);
    let (mut child, screen) = on_terminal(
        &s,
        &["wait", &jobs[0], &jobs[1], &jobs[2], "--interval", "0.05"],
        None,
    );
    let seen = |what: &str| screen.lock().unwrap().contains(what);
    tokio::time::timeout(Duration::from_secs(30), async {
        while !seen("0 of 3 finished") {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("progress shown: {}", screen.lock().unwrap()));
    // One of the three ends first: the line says which.
    let first_end = {
        let store = s.emulator.store("us-east-1");
        let store = store.lock().unwrap();
        store
            .jobs()
            .iter()
            .filter(|j| jobs.contains(&store.profile.job_arn(&j.id)))
            .map(|j| j.ends_ms)
            .min()
            .unwrap()
    };
    s.emulator.clock.advance(first_end - NOW_MS);
    tokio::time::timeout(Duration::from_secs(30), async {
        while !seen("1 of 3 finished") || !seen("latest: ") {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("progress moved: {}", screen.lock().unwrap()));
    s.emulator.clock.advance(3 * 3_600_000);
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.exit_code() <= 1, "{}", screen.lock().unwrap());
}

/// `AWS_MAX_ATTEMPTS` is the attempts of a request in all, as in the AWS
/// CLI: counted at an endpoint that answers 500 to everything.
#[tokio::test(flavor = "multi_thread")]
async fn aws_max_attempts_is_the_count_the_endpoint_sees() {
    for (attempts, verb) in [("2", "list"), ("1", "list"), ("3", "get")] {
        let s = Server::start(
            Emulator::new(EmulatorOptions {
                jobs: 20,
                seed: 1,
                frozen: true,
                arrival_rate: 0.0,
                now: Some(NOW_MS),
                regions: vec!["us-east-1".into()],
                error_rate: 1.0,
                ..EmulatorOptions::default()
            }),
            ([127, 0, 0, 1], 0).into(),
        )
        .await
        .unwrap();
        let arn = "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/aaaaaaaaaaaa";
        let args: Vec<&str> = match verb {
            "list" => vec!["list", "--region", "us-east-1"],
            _ => vec!["get", arn],
        };
        let (code, _, err) = finish(
            copyjobs(&s, &args)
                .env("AWS_MAX_ATTEMPTS", attempts)
                .spawn()
                .unwrap(),
        )
        .await;
        assert_eq!(code, 4, "{err}");
        assert!(err.contains("InternalServerException"), "{err}");
        assert_eq!(
            s.emulator.requests_total().to_string(),
            attempts,
            "AWS_MAX_ATTEMPTS={attempts} {verb}: {:?}",
            s.emulator.request_counts()
        );
    }
    // A count aws-config would panic on is refused before anything is sent.
    let s = busy_endpoint(&["us-east-1"], &[]).await;
    let (code, _, err) = finish(
        copyjobs(&s, &["list", "--region", "us-east-1"])
            .env("AWS_MAX_ATTEMPTS", "0")
            .spawn()
            .unwrap(),
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("AWS_MAX_ATTEMPTS"), "{err}");
    assert_eq!(s.emulator.requests_total(), 0);
}

/// What `aws bedrock get-model-copy-job --output json` (AWS CLI 1.45.11,
/// botocore 1.43.11) printed for one job of this data, recorded with:
///
/// ```sh
/// copyjobs serve --addr 127.0.0.1:4599 --jobs 200 --seed 11 --frozen --arrival-rate 0 \
///     --now 2025-06-01T12:00:00Z --odd-data &
/// AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y aws bedrock get-model-copy-job \
///     --endpoint-url http://127.0.0.1:4599 --region us-east-1 --output json \
///     --job-arn arn:aws:bedrock:us-east-1:329753497513:model-copy-job/rxpr8ywopdys \
///     > tests/fixtures/aws-cli-get-model-copy-job.json
/// ```
const AWS_CLI_GET: &str = include_str!("fixtures/aws-cli-get-model-copy-job.json");

#[tokio::test(flavor = "multi_thread")]
async fn get_json_prints_what_the_aws_cli_prints() {
    let s = Server::start(
        Emulator::new(EmulatorOptions {
            jobs: 200,
            seed: 11,
            frozen: true,
            arrival_rate: 0.0,
            odd_data: true,
            now: Some(NOW_MS),
            ..EmulatorOptions::default()
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let arn = "arn:aws:bedrock:us-east-1:329753497513:model-copy-job/rxpr8ywopdys";
    let (code, out, err) = finish(copyjobs(&s, &["get", arn, "-o", "json"]).spawn().unwrap()).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, AWS_CLI_GET, "byte for byte");
}

/// A frozen endpoint of one region where no job arrives, with the faults
/// of `faults` (seeded, so a run replays the same draws).
async fn faulty_endpoint(faults: EmulatorOptions) -> Server {
    Server::start(
        Emulator::new(EmulatorOptions {
            jobs: 300,
            seed: 11,
            frozen: true,
            arrival_rate: 0.0,
            now: Some(NOW_MS),
            regions: vec!["us-east-1".into()],
            ..faults
        }),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap()
}

/// A fresh directory for one test's history.
fn state_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("copyjobs-waiting-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Requests the endpoint has received and not yet answered.
fn in_flight(s: &Server) -> u64 {
    let answered: u64 =
        s.emulator.status_counts().values().sum::<u64>() + s.emulator.dropped_count();
    s.emulator.requests_total().saturating_sub(answered)
}

/// Waits until a request received after `after` requests is in flight.
async fn until_in_flight(s: &Server, after: u64) {
    tokio::time::timeout(Duration::from_secs(30), async {
        while s.emulator.requests_total() <= after || in_flight(s) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("a request in flight");
}

fn interrupt(pid: u32) {
    let sent = std::process::Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// The ARNs the history file holds.
fn recorded(state: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(state.join("copyjobs/history.db")).unwrap();
    let mut stmt = conn.prepare("SELECT arn FROM jobs ORDER BY arn").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// One Ctrl-C, sent while a poll waits on a 4-second answer after several
/// polls, ends `wait` and `watch` within a second, exit 130, with every job
/// seen written to the history.
#[tokio::test(flavor = "multi_thread")]
async fn one_ctrl_c_during_a_slow_request_ends_wait_and_watch_within_a_second() {
    for verb in ["wait", "watch"] {
        let s = busy_endpoint(&["us-east-1"], &[]).await;
        let mut seen = running_at(&s, "us-east-1", NOW_MS);
        seen.sort();
        let state = state_dir(verb);
        let mut args = vec![verb, "--region", "us-east-1", "--interval", "0.05"];
        if verb == "wait" {
            args.extend(["--status", "inprogress"]);
        }
        let mut child = copyjobs(&s, &args)
            .env("XDG_STATE_HOME", &state)
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let said = tokio::spawn(async move {
            let mut text = String::new();
            let mut stderr = stderr;
            let _ = tokio::io::AsyncReadExt::read_to_string(&mut stderr, &mut text).await;
            text
        });
        // Several polls, then every answer takes four seconds.
        until_listed(&s, 6).await;
        s.emulator.faults.set_latency(Some((4000, 4000)));
        let sent = s.emulator.requests_total();
        until_in_flight(&s, sent).await;
        interrupt(child.id().unwrap());
        let status = tokio::time::timeout(Duration::from_secs(1), child.wait())
            .await
            .unwrap_or_else(|_| panic!("{verb} still running 1 s after Ctrl-C"))
            .unwrap();
        let said = tokio::time::timeout(Duration::from_secs(5), said)
            .await
            .expect("stderr closed")
            .unwrap();
        assert_eq!(status.code(), Some(130), "{verb}: {said}");
        assert!(!said.contains("panicked"), "{said}");
        // Every job running at the start was seen, and kept.
        let kept = recorded(&state);
        let missing: Vec<&String> = seen.iter().filter(|a| !kept.contains(a)).collect();
        assert!(
            missing.is_empty(),
            "{verb}: {} of {} running jobs not in the history: {missing:?}",
            missing.len(),
            seen.len()
        );
        let _ = std::fs::remove_dir_all(&state);
    }
}

/// 30 % of the answers cut off mid-body, 21 or so jobs in flight, then the
/// clock moved past their end: a poll keeps the Gets that answered and asks
/// only the others again, so `wait` ends within a few polls (it used to
/// throw every poll away and run for ever).
#[tokio::test(flavor = "multi_thread")]
async fn wait_under_dropped_answers_ends_within_a_few_polls_of_the_end() {
    let s = faulty_endpoint(EmulatorOptions {
        drop_rate: 0.3,
        ..EmulatorOptions::default()
    })
    .await;
    let running = running_at(&s, "us-east-1", NOW_MS);
    assert!(
        (15..=40).contains(&running.len()),
        "about 21 in flight: {}",
        running.len()
    );
    let child = copyjobs(
        &s,
        &[
            "wait",
            "--region",
            "us-east-1",
            "--status",
            "inprogress",
            "--interval",
            "0.1",
        ],
    )
    .spawn()
    .unwrap();
    // The set is read (the first listing, then a poll's), then all end.
    until_listed(&s, 3).await;
    let lists = counts(&s, "ListModelCopyJobs");
    let gets = counts(&s, "GetModelCopyJob");
    s.emulator.clock.advance(3 * 3_600_000);
    let (code, _, err) = finish(child).await;
    assert!(code == 0 || code == 1, "{code}: {err}");
    assert!(
        err.contains(&format!("{} finished", running.len())),
        "every job waited for: {err}"
    );
    // A poll is one in-flight listing (a cut-off one tried again, 3 times
    // at most) and a Get for each job it no longer lists: the expected
    // count is 21 / 0.7 = 30 Gets over about five polls. Bounded well
    // above that, and far below a run that starts over each poll.
    let polls = counts(&s, "ListModelCopyJobs") - lists;
    let asked = counts(&s, "GetModelCopyJob") - gets;
    eprintln!(
        "{} jobs ended: {polls} listings and {asked} Gets after the end, {} answers cut off in all",
        running.len(),
        s.emulator.dropped_count()
    );
    assert!(polls <= 3 * 12, "listings after the end: {polls}: {err}");
    assert!(
        asked <= 3 * running.len() as u64,
        "Gets after the end: {asked} for {} jobs",
        running.len()
    );
    s.shutdown().await;
}

/// `wait … && deploy` must not deploy when the filters match nothing.
#[tokio::test(flavor = "multi_thread")]
async fn wait_on_filters_matching_no_job_fails_with_its_own_code() {
    let s = busy_endpoint(&["us-east-1"], &[]).await;
    let (code, _, err) = finish(
        copyjobs(
            &s,
            &["wait", "--region", "us-east-1", "--name", "nosuchname"],
        )
        .spawn()
        .unwrap(),
    )
    .await;
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("no matching jobs"), "{err}");
    assert!(!err.contains("0 finished"), "{err}");
}

/// On a terminal: "reading us-east-1…" while the first answer is slow, a
/// retry note on a line of its own (never glued onto the progress line),
/// and after Ctrl-C the last progress line left on screen, ended.
#[tokio::test(flavor = "multi_thread")]
async fn wait_on_a_terminal_says_what_it_reads_notes_retries_apart_and_keeps_its_line() {
    let s = faulty_endpoint(EmulatorOptions {
        throttle_rate: 0.3,
        ..EmulatorOptions::default()
    })
    .await;
    s.emulator.faults.set_latency(Some((3000, 3000)));
    let (mut child, screen) = on_terminal(
        &s,
        &[
            "wait",
            "--region",
            "us-east-1",
            "--status",
            "inprogress",
            "--interval",
            "0.05",
        ],
        None,
    );
    until_shown(&screen, "what it reads", |t| {
        t.contains("copyjobs: reading us-east-1…")
    })
    .await;
    assert!(!screen.lock().unwrap().contains("finished"));
    s.emulator.faults.set_latency(None);
    // Throttled answers are retried, each wait said.
    until_shown(&screen, "a retry and progress", |t| {
        t.contains("retrying in") && t.contains(" finished")
    })
    .await;
    until_shown(&screen, "progress after a retry", |t| {
        t.rfind("retrying in")
            .is_some_and(|r| t[r..].contains(" finished"))
    })
    .await;
    let pid = child.process_id().unwrap();
    interrupt(pid);
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert_eq!(status.exit_code(), 130);
    let text = screen.lock().unwrap().clone();
    // Every note starts a line: the line before it is erased or ended.
    for (at, _) in text.match_indices("copyjobs: retrying in") {
        let before = &text[..at];
        assert!(
            before.ends_with("\x1b[2K") || before.ends_with('\n'),
            "a note glued onto a line: {:?}",
            &before[before.len().saturating_sub(80)..]
        );
    }
    // The last progress line stays and is ended.
    let last = text.rfind("copyjobs: ").unwrap();
    let tail = &text[last..];
    assert!(tail.contains(" finished"), "{tail:?}");
    assert!(!tail.contains("\x1b[2K"), "erased: {tail:?}");
    assert!(tail.ends_with('\n'), "ended: {tail:?}");
    s.shutdown().await;
}
