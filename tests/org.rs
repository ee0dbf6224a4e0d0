//! The whole organisation through the real SDKs: accounts found by
//! Organizations, a list, or an Identity Center session, each read through
//! its role, against the endpoint playing an organisation. What copyjobs
//! prints is compared, job by job, with each account's data set as the
//! endpoint holds it (`Emulator::jobs_json_in`), never with the client's
//! own reading.

mod support;

use chrono::Duration;
use copyjobs::aws::connector::Connector;
use copyjobs::aws::discover::{Discovery, discover};
use copyjobs::domain::query::Filter;
use copyjobs::emulator::org::Status;
use copyjobs::emulator::{EmulatorOptions, Server};
use copyjobs::watch::driver::{Driver, read_all};
use copyjobs::watch::{Engine, SourceSpec};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};
use support::cli::{finish, isolated};

const NOW_MS: i64 = 1_748_779_200_000;
const ROLE: &str = "CopyJobsReader";
const REGIONS: [&str; 2] = ["us-east-1", "us-west-2"];

fn org(size: usize, more: impl FnOnce(&mut EmulatorOptions)) -> EmulatorOptions {
    let mut o = EmulatorOptions {
        jobs: 12,
        seed: 7,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(NOW_MS),
        regions: REGIONS.iter().map(|r| r.to_string()).collect(),
        org_size: size,
        ..EmulatorOptions::default()
    };
    more(&mut o);
    o
}

/// The accounts the organisation holds, as the endpoint knows them: the
/// management account, then every member with its name and status.
fn accounts(server: &Server) -> Vec<(String, String, bool)> {
    let org = server.emulator.org.as_ref().expect("an organisation");
    let mut out = vec![(org.management.clone(), "org-management".to_string(), true)];
    out.extend(
        org.members
            .iter()
            .map(|m| (m.id.clone(), m.name.clone(), m.status == Status::Active)),
    );
    out
}

/// The organisation's name of each account, by id, as the endpoint holds it.
fn names(server: &Server) -> std::collections::BTreeMap<String, String> {
    accounts(server)
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect()
}

/// Every job ARN of `account` in `regions`, from the endpoint's record.
fn held(server: &Server, account: &str, regions: &[&str]) -> BTreeSet<String> {
    regions
        .iter()
        .flat_map(|r| {
            server.emulator.jobs_json_in(account, r)["jobs"]
                .as_array()
                .expect("the dump lists jobs")
                .iter()
                .map(|j| j["jobArn"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn listed_arns(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).expect("one JSON document");
    v["modelCopyJobSummaries"]
        .as_array()
        .expect("summaries")
        .iter()
        .map(|j| j["jobArn"].as_str().unwrap().to_string())
        .collect()
}

fn list_args<'a>(server_url: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "list",
        "--regions",
        "us-east-1,us-west-2",
        "--endpoint-url",
        server_url,
    ];
    a.extend_from_slice(more);
    a
}

#[tokio::test(flavor = "multi_thread")]
async fn list_org_prints_every_active_accounts_jobs_once_and_no_suspended_ones() {
    let server = support::start(org(6, |o| o.org_suspended_every = 3)).await;
    let url = server.url();
    let (code, out, err) = finish(isolated(&list_args(
        &url,
        &["--org", "--role-name", ROLE, "-o", "json"],
    )))
    .await;
    assert_eq!(code, 0, "{err}");
    let got = listed_arns(&out);
    let mut want = BTreeSet::new();
    let all = accounts(&server);
    assert!(all.iter().any(|(_, _, active)| !active), "some suspended");
    for (id, _, active) in &all {
        let theirs = held(&server, id, &REGIONS);
        assert!(!theirs.is_empty(), "{id} holds jobs");
        if *active {
            want.extend(theirs);
        } else {
            assert!(
                got.iter().all(|a| !theirs.contains(a)),
                "a suspended account's jobs are not listed"
            );
        }
    }
    assert_eq!(got.len(), want.len(), "each job once");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
    // Suspended accounts are never asked for a role.
    let counts = server.emulator.account_counts();
    for (id, _, active) in &all {
        let assumed: u64 = counts
            .iter()
            .filter(|((a, _, op), _)| a == id && op == "sts:AssumeRole")
            .map(|(_, n)| n)
            .sum();
        assert_eq!(assumed > 0, *active, "{id}: {counts:?}");
    }

    // The table names each job's account by the organisation's name.
    let (code, table, err) = finish(isolated(&list_args(
        &url,
        &[
            "--org",
            "--role-name",
            ROLE,
            "-o",
            "table",
            "--columns",
            "status,name,account",
        ],
    )))
    .await;
    assert_eq!(code, 0, "{err}");
    let header = table.lines().next().unwrap();
    assert!(header.contains("ACCOUNT"), "{header}");
    // REGION as wide as the longest region read and the two-cell gap, not
    // 14 cells (`ap-southeast-2`) whatever was read.
    let longest = REGIONS.iter().map(|r| r.len()).max().unwrap();
    let (region, account) = (header.find("REGION"), header.find("ACCOUNT"));
    assert_eq!(
        account.zip(region).map(|(a, r)| a - r),
        Some(longest + 2),
        "{header}"
    );
    for (id, name, active) in &all {
        let label = format!("{name} · {id}");
        assert_eq!(table.contains(&label), *active, "{label} in\n{table}");
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_whose_role_is_refused_is_one_line_a_region_and_the_others_are_listed() {
    let probe = support::start(org(4, |o| o.org_suspended_every = 0)).await;
    let denied = accounts(&probe)[2].0.clone();
    probe.shutdown().await;
    let server = support::start(org(4, |o| {
        o.org_suspended_every = 0;
        o.org_deny_role = vec![denied.clone()];
    }))
    .await;
    let url = server.url();
    let (code, out, err) = finish(isolated(&list_args(
        &url,
        &["--org", "--role-name", ROLE, "-o", "json"],
    )))
    .await;
    assert_eq!(
        code, 1,
        "some sources refused: the output is partial\n{err}"
    );
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one line a refused source: {err}");
    for (line, region) in lines.iter().zip(["us-east-1", "us-west-2"]) {
        assert!(
            line.contains(region) && line.contains("AccessDenied"),
            "{line}"
        );
    }
    let mut want = BTreeSet::new();
    for (id, _, _) in accounts(&server) {
        if id != denied {
            want.extend(held(&server, &id, &REGIONS));
        }
    }
    let got = listed_arns(&out);
    assert_eq!(got.len(), want.len(), "each job once");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn accounts_named_by_hand_are_the_only_ones_read() {
    let server = support::start(org(5, |o| o.org_suspended_every = 0)).await;
    let all = accounts(&server);
    let (a, b) = (all[1].0.clone(), all[4].0.clone());
    let url = server.url();
    let pair = format!("{a},{b}");
    let (code, out, err) = finish(isolated(&list_args(
        &url,
        &["--accounts", &pair, "--role-name", ROLE, "-o", "json"],
    )))
    .await;
    assert_eq!(code, 0, "{err}");
    let mut want = held(&server, &a, &REGIONS);
    want.extend(held(&server, &b, &REGIONS));
    assert_eq!(listed_arns(&out).into_iter().collect::<BTreeSet<_>>(), want);
    // Organizations was not asked: the list is the caller's.
    let asked: u64 = server
        .emulator
        .request_counts()
        .iter()
        .filter(|((_, op), _)| op.starts_with("organizations:"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(asked, 0);
    server.shutdown().await;
}

/// A home with an SSO profile and its session's cached token, as
/// `aws sso login` leaves them.
fn sso_home(name: &str, token: &str) -> std::path::PathBuf {
    let home = std::env::temp_dir().join(format!("copyjobs-org-{name}-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws/sso/cache")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        "[profile org]\nsso_session = corp\nregion = us-east-1\n\n\
         [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
    // The cache is named by the SHA-1 of the session's name, as the AWS
    // CLI names it (`printf corp | sha1sum`).
    std::fs::write(
        home.join(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"),
        format!(
            r#"{{"accessToken":"{token}","expiresAt":"2099-01-01T00:00:00Z","region":"us-east-1","startUrl":"https://corp.awsapps.com/start"}}"#
        ),
    )
    .unwrap();
    home
}

fn in_home(home: &Path, args: &[&str]) -> tokio::process::Command {
    let mut c = isolated(args);
    c.env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn an_identity_center_session_reads_every_account_it_reaches_and_an_expired_one_says_log_in()
{
    let server = support::start(org(4, |o| {
        o.org_suspended_every = 4;
        o.sso_token = vec!["tok-valid".into()];
    }))
    .await;
    let url = server.url();
    let home = sso_home("sso", "tok-valid");
    let args = list_args(
        &url,
        &[
            "--profile",
            "org",
            "--sso-role",
            "ReadOnlyAccess",
            "-o",
            "json",
        ],
    );
    let (code, out, err) = finish(in_home(&home, &args)).await;
    assert_eq!(code, 0, "{err}");
    let mut want = BTreeSet::new();
    for (id, _, active) in accounts(&server) {
        if active {
            want.extend(held(&server, &id, &REGIONS));
        }
    }
    let got = listed_arns(&out);
    assert_eq!(got.len(), want.len(), "each job once");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), want);

    // A token the portal no longer takes: one message, the login to run.
    let stale = sso_home("stale", "tok-unknown");
    let (code, out, err) = finish(in_home(&stale, &args)).await;
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("aws sso login --profile org"), "{err}");
    for h in [home, stale] {
        std::fs::remove_dir_all(h).ok();
    }
    server.shutdown().await;
}

/// The clock the SDK judges expiry by: the endpoint's frozen start, moved
/// with it.
#[derive(Debug, Clone)]
struct Moved(Arc<AtomicI64>);

impl aws_smithy_async::time::TimeSource for Moved {
    fn now(&self) -> SystemTime {
        UNIX_EPOCH + StdDuration::from_millis((NOW_MS + self.0.load(Ordering::SeqCst)) as u64)
    }
}

/// The organisation's accounts as `--org --role-name` finds them.
async fn org_accounts(
    connector: &Connector,
    target: &copyjobs::aws::Target,
) -> Vec<(
    copyjobs::domain::account::Account,
    copyjobs::aws::identity::Identity,
)> {
    discover(
        connector,
        target,
        None,
        &Discovery {
            org: true,
            role_name: Some(ROLE.into()),
            ..Discovery::default()
        },
    )
    .await
    .expect("the organisation's accounts")
}

#[tokio::test(flavor = "multi_thread")]
async fn assumed_credentials_that_expire_are_renewed_once_an_account_without_an_error() {
    let server = support::start(org(3, |o| {
        o.org_suspended_every = 0;
        o.regions = vec!["us-east-1".into(), "us-west-2".into()];
    }))
    .await;
    let moved = Arc::new(AtomicI64::new(0));
    let connector = Connector::new().with_time_source(Moved(moved.clone()));
    let target = support::demo_target_in(&server, "us-east-1");
    let found = org_accounts(&connector, &target).await;
    assert_eq!(found.len(), 4, "the management account and three members");
    let specs = SourceSpec::accounts(None, &found, &["us-east-1".into(), "us-west-2".into()]);
    let assumed = |server: &Server| {
        let mut by: std::collections::BTreeMap<String, u64> = Default::default();
        for ((account, _, op), n) in server.emulator.account_counts() {
            if op == "sts:AssumeRole" {
                *by.entry(account).or_default() += n;
            }
        }
        by
    };
    for round in 1..=2u64 {
        let mut engine = Engine::new(Filter::default(), 100, Duration::seconds(10), &specs);
        let driver = Driver::connect_with(&connector, &target, &mut engine)
            .await
            .unwrap();
        let read = read_all(&mut engine, &driver, |_| {}).await;
        assert!(read.refused.is_empty(), "round {round}: no error");
        let mut want = BTreeSet::new();
        for (a, _) in &found {
            want.extend(held(&server, &a.id, &REGIONS));
        }
        let got: BTreeSet<String> = read.jobs.iter().map(|j| j.job_arn.clone()).collect();
        assert_eq!(got, want, "round {round}");
        // Two regions of an account share its credentials: one AssumeRole
        // an account a lifetime.
        let by = assumed(&server);
        assert_eq!(by.len(), found.len(), "{by:?}");
        assert!(by.values().all(|n| *n == round), "round {round}: {by:?}");
        // An hour and a minute later, on both clocks.
        let hour = 3_660_000;
        server.emulator.clock.advance(hour);
        moved.fetch_add(hour, Ordering::SeqCst);
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_assume_role_profile_reads_its_members_jobs_as_the_aws_cli_would() {
    let server = support::start(org(3, |o| o.org_suspended_every = 0)).await;
    let member = accounts(&server)[2].0.clone();
    let home = std::env::temp_dir().join(format!("copyjobs-org-role-{}", std::process::id()));
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/config"),
        format!(
            "[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n\n\
             [profile member]\nrole_arn = arn:aws:iam::{member}:role/{ROLE}\nsource_profile = base\n"
        ),
    )
    .unwrap();
    let url = server.url();
    let args = list_args(&url, &["--profile", "member", "-o", "json"]);
    let (code, out, err) = finish(in_home(&home, &args)).await;
    assert_eq!(code, 0, "{err}");
    let got = listed_arns(&out);
    assert_eq!(
        got.len(),
        held(&server, &member, &REGIONS).len(),
        "each job once"
    );
    assert_eq!(
        got.into_iter().collect::<BTreeSet<_>>(),
        held(&server, &member, &REGIONS)
    );
    // The endpoint from the environment instead: aws-config's own profile
    // chain assumes the role, in the region the command names (the
    // profile has none).
    let mut c = in_home(
        &home,
        &[
            "list",
            "--profile",
            "member",
            "--region",
            "us-east-1",
            "-o",
            "json",
        ],
    );
    c.env("AWS_ENDPOINT_URL", &url);
    let (code, out, err) = finish(c).await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        listed_arns(&out).into_iter().collect::<BTreeSet<_>>(),
        held(&server, &member, &["us-east-1"])
    );
    std::fs::remove_dir_all(&home).ok();
    server.shutdown().await;
}

/// CSV's columns are the command's, not the organisation's: one account
/// read through its role has the same header as two, so a script reading
/// `account,region,jobArn,…` keeps working when an account is left out.
#[tokio::test(flavor = "multi_thread")]
async fn csv_has_an_account_cell_however_many_accounts_are_read() {
    let server = support::start(org(5, |o| o.org_suspended_every = 0)).await;
    let all = accounts(&server);
    let (a, b) = (all[1].0.clone(), all[4].0.clone());
    let url = server.url();
    let pair = format!("{a},{b}");
    // README: "CSV an `account` cell first", then the region of several.
    let header = "account,account_name,region,jobArn,status,creationTime,targetModelName,targetModelArn,\
                  sourceAccountId,sourceModelArn,sourceModelName,targetModelKmsKeyArn,tags,\
                  failureMessage";
    for (ids, want) in [(&a, vec![&a]), (&pair, vec![&a, &b])] {
        let (code, out, err) = finish(isolated(&list_args(
            &url,
            &["--accounts", ids, "--role-name", ROLE, "-o", "csv"],
        )))
        .await;
        assert_eq!(code, 0, "{err}");
        let mut lines = out.lines();
        assert_eq!(lines.next(), Some(header), "--accounts {ids}");
        let mut rows = 0;
        for line in lines {
            let account = line.split(',').next().unwrap();
            assert!(
                want.iter().any(|id| account == id.as_str()),
                "{account} is one of {want:?}, the bare id"
            );
            // No name is known under --accounts: an empty cell.
            assert_eq!(line.split(',').nth(1), Some(""), "{line}");
            rows += 1;
        }
        let held: usize = want
            .iter()
            .map(|id| held(&server, id, &REGIONS).len())
            .sum();
        assert_eq!(rows, held, "a row a job of --accounts {ids}");
    }
    server.shutdown().await;
}

/// `failures` names the source accounts the organisation names, as the
/// Account column does (`name · id`); JSON keeps the ids.
#[tokio::test(flavor = "multi_thread")]
async fn failures_names_the_organisations_source_accounts() {
    let server = support::start(org(4, |o| {
        o.org_suspended_every = 0;
        o.jobs = 60;
    }))
    .await;
    let url = server.url();
    let args = |format: &'static str| {
        let mut a = list_args(&url, &["--org", "--role-name", ROLE, "-o", format]);
        a[0] = "failures";
        a
    };
    let (code, json, err) = finish(isolated(&args("json"))).await;
    assert_eq!(code, 0, "{err}");
    let groups: Value = serde_json::from_str(&json).expect("one JSON document");
    let listed: BTreeSet<String> = groups
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["sourceAccounts"].as_array().unwrap().clone())
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let (code, table, err) = finish(isolated(&args("table"))).await;
    assert_eq!(code, 0, "{err}");
    // As read, however the lines wrap.
    let words = table.split_whitespace().collect::<Vec<_>>().join(" ");
    let named: Vec<(String, String)> = accounts(&server)
        .into_iter()
        .filter(|(id, _, _)| listed.contains(id))
        .map(|(id, name, _)| (id, name))
        .collect();
    assert!(
        !named.is_empty(),
        "some source account is a member: {listed:?}"
    );
    for (id, name) in named {
        assert!(words.contains(&format!("{name} · {id}")), "{id}: {table}");
    }
    server.shutdown().await;
}

/// A whole read of every account (M's, F's, `stats`') counts the jobs as
/// they come: the first answer's, though the merge shows no row until
/// every source is read past it. Across 36 sources the count said 0 for
/// tens of seconds, then jumped.
#[tokio::test(flavor = "multi_thread")]
async fn a_whole_read_counts_the_jobs_of_each_answer_as_it_comes() {
    let server = support::start(org(3, |o| {
        o.org_suspended_every = 0;
        o.jobs = 300;
    }))
    .await;
    let connector = Connector::new();
    let target = support::demo_target_in(&server, "us-east-1");
    let found = org_accounts(&connector, &target).await;
    let specs = SourceSpec::accounts(None, &found, &["us-east-1".into(), "us-west-2".into()]);
    let mut engine = Engine::new(Filter::default(), 100, Duration::seconds(10), &specs);
    let driver = Driver::connect_with(&connector, &target, &mut engine)
        .await
        .unwrap();
    let mut counts = Vec::new();
    let read = read_all(&mut engine, &driver, |n| counts.push(n)).await;
    assert!(read.refused.is_empty(), "{:?}", read.refused);
    let total: usize = found
        .iter()
        .map(|(a, _)| held(&server, &a.id, &REGIONS).len())
        .sum();
    assert_eq!(read.jobs.len(), total);
    // The first answer is one source's first page (at most 100 jobs of
    // its 300: those of the page's last instant are left to its windows),
    // the 7 others not read yet.
    assert!(counts.len() > specs.len(), "a count an answer: {counts:?}");
    assert!((1..=100).contains(&counts[0]), "{counts:?}");
    assert!(counts.windows(2).all(|w| w[0] <= w[1]), "{counts:?}");
    assert_eq!(counts.last(), Some(&total), "{counts:?}");
    server.shutdown().await;
}

/// A live service keeps creating jobs while an organisation is read for
/// minutes: a job created after a first page was read is news, not a job
/// the page left out. Said as a broken `sortOrder`, it made `list --org`
/// of 50 accounts read every source whole and warn on a faithful endpoint.
#[tokio::test(flavor = "multi_thread")]
async fn a_job_created_after_a_first_page_does_not_break_the_order() {
    use copyjobs::watch::pager;
    let server = support::start(org(0, |o| {
        o.jobs = 30;
        o.regions = vec!["us-east-1".into()];
    }))
    .await;
    let client = copyjobs::aws::connect(&support::demo_target_in(&server, "us-east-1"))
        .await
        .client;
    let filter = Filter::default();
    let page = pager::list_page(&client, &filter, 10, None).await.unwrap();
    assert_eq!(page.jobs.len(), 10);
    assert!(page.next_token.is_some());
    // A job arrives a second later, as on a live endpoint.
    server.emulator.clock.advance(1_000);
    let source = server.emulator.jobs_json("us-east-1")["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["sourceModelArn"].as_str().unwrap().to_string())
        .find(|a| a.contains(":custom-model/"))
        .expect("a custom model to copy");
    let made = client
        .create_model_copy_job()
        .source_model_arn(source)
        .target_model_name("arrived-during-the-read")
        .send()
        .await
        .unwrap()
        .job_arn;
    // The endpoint's record: the new job is newer than the whole page.
    let held = server.emulator.jobs_json("us-east-1");
    let created = |arn: &str| {
        held["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["jobArn"] == arn)
            .map(|j| j["creationTime"].as_str().unwrap().to_string())
            .unwrap()
    };
    let newest_on_page = page.jobs.iter().map(|j| created(&j.job_arn)).max().unwrap();
    assert!(
        created(&made) > newest_on_page,
        "{made} came after the page"
    );
    let unkept = pager::check_head(&client, &filter, &page.jobs)
        .await
        .unwrap();
    assert!(!unkept.any(), "{unkept:?}");
    // The check still fails a page that leaves out a job in its stretch.
    let mut holed = page.jobs.clone();
    holed.remove(4);
    let unkept = pager::check_head(&client, &filter, &holed).await.unwrap();
    assert!(unkept.order, "a job left out of the page's stretch");
    server.shutdown().await;
}

/// A job ARN names its account: with `--org` or `--accounts`, `get`,
/// `wait` and `watch` ask that account (through the role), not the
/// caller's; an account the flags do not reach is named, exit 2.
#[tokio::test(flavor = "multi_thread")]
async fn get_and_wait_by_arn_ask_the_account_the_arn_names() {
    let server = support::start(org(3, |o| {
        o.org_suspended_every = 0;
        o.jobs = 40;
    }))
    .await;
    let url = server.url();
    let all = accounts(&server);
    let (member, other) = (all[2].0.clone(), all[1].0.clone());
    let record = server.emulator.jobs_json_in(&member, "us-west-2");
    let job = record["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["status"] == "Completed")
        .unwrap_or_else(|| panic!("a completed job: {record}"))
        .clone();
    let arn = job["jobArn"].as_str().unwrap();
    let ep = |verb: &'static str, more: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = vec![
            verb.into(),
            arn.into(),
            "--endpoint-url".into(),
            url.clone(),
        ];
        a.extend(more.iter().map(|m| m.to_string()));
        a
    };
    let run = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        isolated(&refs)
    };
    for how in [
        vec!["--org", "--role-name", ROLE],
        vec!["--accounts", member.as_str(), "--role-name", ROLE],
    ] {
        let mut args = ep("get", &["-o", "json"]);
        args.extend(how.iter().map(|h| h.to_string()));
        let (code, out, err) = finish(run(args)).await;
        assert_eq!(code, 0, "get {how:?}: {err}");
        let got: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(got["jobArn"], job["jobArn"]);
        assert_eq!(got["targetModelName"], job["targetModelName"]);
        let mut args = ep("wait", &["--timeout", "30s"]);
        args.extend(how.iter().map(|h| h.to_string()));
        let (code, _, err) = finish(run(args)).await;
        assert_eq!(code, 0, "wait {how:?}: {err}");
        assert!(err.contains("1 finished, 0 failed"), "{err}");
    }
    for verb in ["get", "wait"] {
        let args = ep(verb, &["--accounts", other.as_str(), "--role-name", ROLE]);
        let (code, out, err) = finish(run(args)).await;
        assert_eq!(code, 2, "{verb}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(&format!("account {member} is not one of the 1 account")),
            "{verb}: {err}"
        );
    }
    server.shutdown().await;
}

/// Under `--org`, CSV's `account` is the bare id (scripts join on it) and
/// `account_name` the organisation's name of it.
#[tokio::test(flavor = "multi_thread")]
async fn csv_under_org_has_the_bare_id_and_the_organisations_name() {
    let server = support::start(org(3, |o| o.org_suspended_every = 0)).await;
    let url = server.url();
    let names = names(&server);
    let (code, out, err) = finish(isolated(&list_args(
        &url,
        &["--org", "--role-name", ROLE, "-o", "csv"],
    )))
    .await;
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("account,account_name,region,jobArn,")
    );
    let mut rows = 0;
    for line in lines {
        let cells: Vec<&str> = line.splitn(4, ',').collect();
        let arn_account = cells[3].split(':').nth(4).unwrap();
        assert_eq!(cells[0], arn_account, "{line}");
        assert_eq!(
            Some(cells[1]),
            names.get(cells[0]).map(String::as_str),
            "{line}"
        );
        rows += 1;
    }
    let held: usize = names
        .keys()
        .map(|id| held(&server, id, &REGIONS).len())
        .sum();
    assert_eq!(rows, held);
    server.shutdown().await;
}

/// Flags that choose no account read nothing: a usage error (exit 2), not
/// the partial output's 1. An id the organisation does not hold is named
/// on stderr, the rest read as asked.
#[tokio::test(flavor = "multi_thread")]
async fn ids_the_organisation_does_not_hold_are_named_and_none_left_is_exit_2() {
    let server = support::start(org(3, |o| o.org_suspended_every = 0)).await;
    let url = server.url();
    let stranger = "999999999999";
    assert!(accounts(&server).iter().all(|(id, _, _)| id != stranger));
    let (code, out, err) = finish(isolated(&list_args(
        &url,
        &[
            "--org",
            "--role-name",
            ROLE,
            "--accounts",
            stranger,
            "-o",
            "json",
        ],
    )))
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no account is left to read"), "{err}");
    assert!(err.contains(&format!("--accounts {stranger}")), "{err}");
    let (code, out, err) = finish(isolated(&list_args(
        &url,
        &[
            "--org",
            "--role-name",
            ROLE,
            "--exclude-accounts",
            stranger,
            "-o",
            "json",
        ],
    )))
    .await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "--exclude-accounts {stranger}: the organisation holds no such account"
        )),
        "{err}"
    );
    let mut want = BTreeSet::new();
    for (id, _, _) in accounts(&server) {
        want.extend(held(&server, &id, &REGIONS));
    }
    assert_eq!(listed_arns(&out).into_iter().collect::<BTreeSet<_>>(), want);
    server.shutdown().await;
}

/// `watch` across accounts says whose job changed (`name · id`, the ARN
/// holding the id alone); `wait` with nothing to wait for says how many
/// accounts it looked in.
#[tokio::test(flavor = "multi_thread")]
async fn watch_lines_name_the_account_and_wait_counts_the_accounts() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let server = support::start(org(3, |o| {
        o.org_suspended_every = 0;
        o.jobs = 40;
    }))
    .await;
    let url = server.url();
    let names = names(&server);
    let mut args = list_args(&url, &["--org", "--role-name", ROLE, "--interval", "0.1"]);
    args[0] = "watch";
    let mut child = isolated(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = tokio::time::timeout(StdDuration::from_secs(30), err.next_line())
        .await
        .expect("watching")
        .unwrap()
        .unwrap();
    assert!(first.contains("watching"), "{first}");
    server.emulator.clock.advance(3 * 3_600_000);
    let mut out = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = tokio::time::timeout(StdDuration::from_secs(30), out.next_line())
        .await
        .expect("a change printed")
        .unwrap()
        .unwrap();
    child.kill().await.unwrap();
    let arn = line
        .split_whitespace()
        .find(|w| w.starts_with("arn:aws:bedrock:"))
        .unwrap();
    let id = arn.split(':').nth(4).unwrap();
    let label = format!("{} · {id}", names[id]);
    assert!(line.contains(&label), "{label} in {line}");

    let mut args = list_args(
        &url,
        &[
            "--org",
            "--role-name",
            ROLE,
            "--status",
            "failed",
            "--since",
            "1m",
        ],
    );
    args[0] = "wait";
    let (code, _, err) = finish(isolated(&args)).await;
    assert_eq!(code, 5, "{err}");
    let want = format!("in {} accounts, us-east-1, us-west-2", names.len());
    assert!(err.contains(&want), "{want} in {err}");
    server.shutdown().await;
}

/// ListAccounts names suspended accounts too: a failed copy from one is
/// named (`name · id`) though the account itself is not read.
#[tokio::test(flavor = "multi_thread")]
async fn failures_name_a_suspended_source_account() {
    let server = support::start(org(6, |o| {
        o.org_suspended_every = 2;
        o.jobs = 80;
    }))
    .await;
    let url = server.url();
    let all = accounts(&server);
    let suspended: Vec<(String, String)> = all
        .iter()
        .filter(|(_, _, active)| !active)
        .map(|(id, name, _)| (id.clone(), name.clone()))
        .collect();
    let mut sources = BTreeSet::new();
    for (id, _, active) in &all {
        if !active {
            continue;
        }
        for r in REGIONS {
            for j in server.emulator.jobs_json_in(id, r)["jobs"]
                .as_array()
                .unwrap()
            {
                if j["status"] == "Failed" {
                    sources.insert(j["sourceAccountId"].as_str().unwrap().to_string());
                }
            }
        }
    }
    let named: Vec<&(String, String)> = suspended
        .iter()
        .filter(|(id, _)| sources.contains(id))
        .collect();
    assert!(
        !named.is_empty(),
        "a failed copy from a suspended account: {sources:?}"
    );
    let mut args = list_args(&url, &["--org", "--role-name", ROLE, "-o", "table"]);
    args[0] = "failures";
    let (code, table, err) = finish(isolated(&args)).await;
    assert_eq!(code, 0, "{err}");
    let words = table.split_whitespace().collect::<Vec<_>>().join(" ");
    for (id, name) in named {
        assert!(words.contains(&format!("{name} · {id}")), "{id}: {table}");
    }
    server.shutdown().await;
}

/// `models` names the organisation's accounts: the table `name · id`,
/// CSV the id in `sourceAccountId` and the name in `sourceAccountName`.
#[tokio::test(flavor = "multi_thread")]
async fn models_names_the_organisations_accounts() {
    let server = support::start(org(3, |o| o.org_suspended_every = 0)).await;
    let url = server.url();
    let names = names(&server);
    let args = |format: &'static str| {
        let mut a = list_args(&url, &["--org", "--role-name", ROLE, "-o", format]);
        a[0] = "models";
        a
    };
    let (code, csv, err) = finish(isolated(&args("csv"))).await;
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id_at, name_at) = (at("sourceAccountId"), at("sourceAccountName"));
    let mut named = 0;
    for row in reader.records().map(Result::unwrap) {
        let want = names.get(&row[id_at]).map_or("", String::as_str);
        assert_eq!(&row[name_at], want, "{row:?}");
        named += usize::from(!want.is_empty());
    }
    assert!(named > 0, "some model is the organisation's");
    let (code, table, err) = finish(isolated(&args("table"))).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        names
            .iter()
            .any(|(id, name)| table.contains(&format!("{name} · {id}"))),
        "{table}"
    );
    server.shutdown().await;
}
