//! Where each model is, the regions a copy can go to, and the activity in
//! numbers: `models`, `copy` to a region the table refuses, and `stats`,
//! run as the built binary against the local endpoint and compared with
//! what a full listing of the same endpoint holds.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use copyjobs::domain::copy_regions::{CopyRegions, base_model};
use copyjobs::emulator::{Emulator, EmulatorOptions, Server};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

mod support;
use support::cli::{config_file, finish, isolated};

const REGIONS: &str = "us-east-1,us-west-2,eu-central-1";

async fn endpoint(deny: &[&str]) -> Server {
    let options = EmulatorOptions {
        jobs: 400,
        seed: 23,
        frozen: true,
        arrival_rate: 0.0,
        now: Some(1_748_779_200_000),
        regions: REGIONS.split(',').map(str::to_string).collect(),
        deny_regions: deny.iter().map(|r| r.to_string()).collect(),
        ..EmulatorOptions::default()
    };
    Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

/// The binary against `server`, with `config` as its config file if given,
/// its records its own.
async fn run(
    server: &Server,
    config: Option<&std::path::Path>,
    args: &[&str],
) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!(
        "copyjobs-matrix-{}-{}",
        std::process::id(),
        server.url().rsplit(':').next().unwrap_or("0")
    ));
    let mut c = isolated(args);
    c.args(["--endpoint-url", &server.url()])
        .env("XDG_STATE_HOME", dir)
        // The machine's zone must not matter: a zone far from UTC shows it.
        .env("TZ", "Pacific/Kiritimati");
    if let Some(path) = config {
        c.env("COPYJOBS_CONFIG", path);
    }
    finish(c).await
}

/// Every job of `regions` as the endpoint's own record has them (its
/// `/_emulator/jobs`, the service's JSON): the oracle, read without the
/// client's reader, which `models` itself uses.
async fn listing(server: &Server, regions: &str) -> Vec<Value> {
    regions
        .split(',')
        .flat_map(|r| {
            server.emulator.jobs_json(r)["jobs"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}

/// Every custom model the caller's account lists in `regions` (comma
/// separated): the oracle of the rows no job makes.
fn account_models(server: &Server, regions: &str) -> Vec<Value> {
    let regions: Vec<&str> = regions.split(',').collect();
    support::guide::account_models(server, &server.emulator.account, &regions)
}

/// The endpoint's clock frozen at the tests' instant, nothing arriving.
fn frozen() -> EmulatorOptions {
    EmulatorOptions {
        frozen: true,
        arrival_rate: 0.0,
        now: Some(1_748_779_200_000),
        ..EmulatorOptions::default()
    }
}

async fn endpoint_of(options: EmulatorOptions) -> Server {
    Server::start(Emulator::new(options), ([127, 0, 0, 1], 0).into())
        .await
        .unwrap()
}

/// `models -o json` of `regions`, which must succeed.
async fn models_json(server: &Server, regions: &str) -> Vec<Value> {
    let (code, out, err) = run(
        server,
        None,
        &["models", "-o", "json", "--regions", regions],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// The models of `listed` no job of `jobs` names, as source or target.
fn never_copied<'a>(jobs: &[Value], listed: &'a [Value]) -> Vec<&'a Value> {
    let named: BTreeSet<&str> = jobs
        .iter()
        .flat_map(|j| [text(j, "sourceModelArn"), text(j, "targetModelArn")])
        .collect();
    listed
        .iter()
        .filter(|m| !named.contains(text(m, "modelArn")))
        .collect()
}

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .to_utc()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn region_of(arn: &str) -> &str {
    arn.split(':').nth(3).unwrap()
}

/// A source model and a region.
type Key = (String, String);

/// Per cell: the newest job's ARN and status, and the count of jobs.
type Cells = BTreeMap<Key, (String, String, usize)>;

/// For each source model and region: the newest job (by creation time,
/// then ARN) and the count of jobs, read off the listing.
fn newest(jobs: &[Value]) -> Cells {
    let mut cells: BTreeMap<Key, (DateTime<Utc>, String, String, usize)> = BTreeMap::new();
    for j in jobs {
        let key = (
            text(j, "sourceModelArn").to_string(),
            region_of(text(j, "jobArn")).to_string(),
        );
        let at = time(&j["creationTime"]);
        let arn = text(j, "jobArn").to_string();
        let status = text(j, "status").to_string();
        let cell = cells
            .entry(key)
            .or_insert((at, arn.clone(), status.clone(), 0));
        if (at, &arn) > (cell.0, &cell.1) {
            (cell.0, cell.1, cell.2) = (at, arn, status);
        }
        cell.3 += 1;
    }
    cells
        .into_iter()
        .map(|(k, (_, arn, status, n))| (k, (arn, status, n)))
        .collect()
}

/// What `models -o json` says of each source model and region.
fn cells(models: &Value) -> Cells {
    let mut out = BTreeMap::new();
    for m in models.as_array().unwrap() {
        for (region, cell) in m["regions"].as_object().unwrap() {
            out.insert(
                (text(m, "sourceModelArn").to_string(), region.clone()),
                (
                    text(cell, "jobArn").to_string(),
                    text(cell, "status").to_string(),
                    cell["copies"].as_u64().unwrap() as usize,
                ),
            );
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn models_agrees_with_a_full_listing() {
    let server = endpoint(&[]).await;
    let jobs = listing(&server, REGIONS).await;
    assert!(jobs.len() >= 1200, "{}", jobs.len());
    let (code, out, err) = run(
        &server,
        None,
        &["models", "-o", "json", "--regions", REGIONS],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let models: Value = serde_json::from_str(&out).unwrap();
    // For every source model and region: the newest job's ARN and status,
    // and every copy counted; a region only where a copy exists.
    assert_eq!(cells(&models), newest(&jobs));
    // Each source model once, with what the listing says of it; and each
    // model the account lists that is no copy's target (those never
    // copied), with no region.
    let sources: BTreeSet<&str> = jobs.iter().map(|j| text(j, "sourceModelArn")).collect();
    let listed = account_models(&server, REGIONS);
    let targets: BTreeSet<&str> = jobs.iter().map(|j| text(j, "targetModelArn")).collect();
    let uncopied: BTreeSet<&str> = listed
        .iter()
        .map(|m| text(m, "modelArn"))
        .filter(|a| !targets.contains(a) && !sources.contains(a))
        .collect();
    assert!(!uncopied.is_empty());
    let rows = models.as_array().unwrap();
    let arns: BTreeSet<&str> = rows.iter().map(|m| text(m, "sourceModelArn")).collect();
    assert_eq!(arns, sources.union(&uncopied).copied().collect());
    assert_eq!(rows.len(), arns.len());
    for m in rows {
        let arn = text(m, "sourceModelArn");
        if uncopied.contains(arn) {
            assert_eq!(m["regions"], serde_json::json!({}), "{m}");
            continue;
        }
        let of_it: Vec<&Value> = jobs
            .iter()
            .filter(|j| text(j, "sourceModelArn") == arn)
            .collect();
        assert_eq!(text(m, "sourceRegion"), region_of(arn));
        assert_eq!(m["baseModel"].as_str(), base_model(arn));
        assert!(
            of_it
                .iter()
                .any(|j| j["sourceAccountId"] == m["sourceAccountId"])
        );
        let names: BTreeSet<&str> = of_it
            .iter()
            .filter_map(|j| j["sourceModelName"].as_str())
            .collect();
        match m["sourceModelName"].as_str() {
            Some(name) => assert!(names.contains(name), "{name} {names:?}"),
            None => assert!(names.is_empty()),
        }
    }
    // Ordered by name, as the table shows them.
    let keys: Vec<(String, &str)> = rows
        .iter()
        .map(|m| {
            let name = m["sourceModelName"].as_str().map_or_else(
                || {
                    let arn = text(m, "sourceModelArn");
                    let resource = arn.splitn(6, ':').nth(5).unwrap();
                    match resource.strip_prefix("foundation-model/") {
                        Some(id) => format!("{id} (foundation)"),
                        None => resource.trim_start_matches("custom-model/").to_string(),
                    }
                },
                str::to_string,
            );
            (name, text(m, "sourceModelArn"))
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "by name, then ARN");

    // The CSV: every model in every region, its cells the JSON's.
    let (code, out, err) = run(
        &server,
        None,
        &["models", "-o", "csv", "--regions", REGIONS],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len() * 3);
    let from_csv: Cells = records
        .iter()
        .filter(|r| !r[9].is_empty())
        .map(|r| {
            (
                (r[0].to_string(), r[5].to_string()),
                (r[9].to_string(), r[8].to_string(), r[12].parse().unwrap()),
            )
        })
        .collect();
    assert_eq!(from_csv, newest(&jobs));
    for r in &records {
        let base = r[0]
            .split_once("custom-model/")
            .or_else(|| r[0].split_once("foundation-model/"))
            .map(|(_, rest)| rest.split([':', '/']).next().unwrap_or(""));
        let want = match support::guide::GUIDE.iter().find(|(b, _)| Some(*b) == base) {
            Some((_, regions)) if regions.contains(&&r[5]) => "yes",
            Some(_) => "no",
            None => "unknown",
        };
        assert_eq!(&r[7], want, "{r:?}");
        assert_eq!(&r[6] == "true", region_of(&r[0]) == &r[5]);
    }

    // The table: a line per model under a header naming the regions, each
    // no wider than the output's 160 columns.
    let (code, out, err) = run(&server, None, &["models", "--regions", REGIONS]).await;
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[2].starts_with("MODEL") && lines[2].ends_with("eu-central-1"),
        "{out}"
    );
    assert_eq!(
        lines[3..].iter().take_while(|l| !l.is_empty()).count(),
        rows.len()
    );
    assert!(
        lines
            .iter()
            .all(|l| unicode_width::UnicodeWidthStr::width(*l) <= 160),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_region_is_named_and_the_others_are_shown() {
    let server = endpoint(&["eu-central-1"]).await;
    let (code, out, err) = run(
        &server,
        None,
        &["models", "-o", "json", "--regions", REGIONS],
    )
    .await;
    assert_eq!(code, 1, "partial: the others are shown\n{err}");
    assert!(
        err.contains(
            "copyjobs: eu-central-1 was not read (2 of 3 sources listed): AccessDeniedException"
        ),
        "{err}"
    );
    // What the two others hold, as if they alone were asked.
    let (code, alone, err2) = run(
        &server,
        None,
        &["models", "-o", "json", "--regions", "us-east-1,us-west-2"],
    )
    .await;
    assert_eq!(code, 0, "{err2}");
    assert_eq!(out, alone);
    assert!(!out.contains("\"eu-central-1\": {"));
    // Every source refused: the refusal alone, no matrix.
    let (code, out, err) = run(&server, None, &["models", "--region", "eu-central-1"]).await;
    assert_eq!((code, out.as_str()), (4, ""), "{err}");
}

/// A source model of the endpoint whose base model the table knows, and a
/// region of the endpoint's that copies of it cannot go to.
async fn model_with_an_unsupported_region(server: &Server) -> (String, String, Vec<String>) {
    let table = CopyRegions::shipped();
    let jobs = listing(server, REGIONS).await;
    for j in &jobs {
        let arn = text(j, "sourceModelArn");
        let Some(supported) = base_model(arn).and_then(|b| table.supported(b)) else {
            continue;
        };
        if let Some(region) = REGIONS
            .split(',')
            .find(|r| !supported.iter().any(|s| s == r))
        {
            return (arn.to_string(), region.to_string(), supported.to_vec());
        }
    }
    panic!("no source model of a base model with a region it cannot go to");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_to_an_unsupported_region_is_refused_before_anything_is_sent() {
    let server = endpoint(&[]).await;
    let (source, refused, supported) = model_with_an_unsupported_region(&server).await;
    let ok = supported
        .iter()
        .find(|r| REGIONS.contains(r.as_str()))
        .unwrap()
        .clone();
    let before = server.emulator.requests_total();
    let to = format!("{ok},{refused}");
    for extra in [&[][..], &["--dry-run"][..]] {
        let args = [&["copy", source.as_str(), "--to", to.as_str()][..], extra].concat();
        let (code, out, err) = run(&server, None, &args).await;
        assert_eq!(code, 2, "{out}{err}");
        assert!(out.is_empty(), "{out}");
        let base = base_model(&source).unwrap();
        assert!(
            err.starts_with(&format!(
                "copyjobs: {base} (the base model of {source}) cannot be copied to {refused}: its copies go to "
            )),
            "{err}"
        );
        for r in &supported {
            assert!(err.contains(r.as_str()), "{r} named: {err}");
        }
        assert!(
            err.contains("the Bedrock user guide's supported regions for model copy, as of"),
            "{err}"
        );
    }
    assert_eq!(server.emulator.requests_total(), before, "nothing was sent");

    // The config's row says the region is fine: the copy goes out, one
    // request a region (the name is given, so nothing is looked up).
    let base = base_model(&source).unwrap();
    let file = config_file(
        "matrix-allow",
        &format!("[copy_regions]\n\"{base}\" = [\"{ok}\", \"{refused}\"]\n"),
    );
    let (code, out, err) = run(
        &server,
        Some(&file),
        &[
            "copy",
            &source,
            "--to",
            &to,
            "--name",
            "matrix-test-copy",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(server.emulator.requests_total(), before + 2, "{out}{err}");
    // Whether the service then takes it is the service's say: the endpoint
    // knows the guide's table, so it copies into the supported region and
    // refuses the other (exit 4); both regions are reported.
    assert_eq!(code, 4, "{out}{err}");
    let reported: Vec<Value> = serde_json::from_str(&out).unwrap();
    let regions: Vec<&str> = reported.iter().map(|o| text(o, "region")).collect();
    assert_eq!(regions, [ok.as_str(), refused.as_str()]);
    assert!(reported[0]["jobArn"].is_string(), "{out}");
    let refusal = text(&reported[1], "error");
    assert!(
        refusal.contains(&format!("can't be copied to {refused}")),
        "{refusal}"
    );
    // And a row that leaves out a region refuses it, naming the file's line.
    let file = config_file(
        "matrix-deny",
        &format!("[view]\nrefresh = 10\n[copy_regions]\n\"{base}\" = [\"{refused}\"]\n"),
    );
    let (code, _, err) = run(
        &server,
        Some(&file),
        &["copy", &source, "--to", &ok, "--name", "x-copy"],
    )
    .await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "its copies go to {refused} only ([copy_regions] at {}:4)",
            file.display()
        )),
        "{err}"
    );
    assert_eq!(server.emulator.requests_total(), before + 2);
}

/// `copy --to` the model's own region: exit 2 before anything is sent,
/// `--dry-run` too, even beside a region it may go to; a model the table
/// does not know included (the rule is the API's, not the table's).
#[tokio::test(flavor = "multi_thread")]
async fn a_copy_into_the_models_own_region_is_refused_before_anything_is_sent() {
    let server = endpoint(&[]).await;
    let jobs = listing(&server, REGIONS).await;
    let source = jobs
        .iter()
        .map(|j| text(j, "sourceModelArn"))
        .find(|arn| region_of(arn) == "us-west-2")
        .expect("a model of us-west-2 copied elsewhere")
        .to_string();
    let before = server.emulator.requests_total();
    for to in ["us-west-2", "us-east-1,us-west-2"] {
        for extra in [&[][..], &["--dry-run"][..]] {
            let args = [
                &["copy", source.as_str(), "--to", to, "--name", "home-copy"][..],
                extra,
            ]
            .concat();
            let (code, out, err) = run(&server, None, &args).await;
            assert_eq!(code, 2, "{out}{err}");
            assert!(out.is_empty(), "{out}");
            assert_eq!(
                err.trim_end(),
                format!(
                    "copyjobs: {source} is in us-west-2 already: a copy goes to another region"
                )
            );
        }
    }
    assert_eq!(server.emulator.requests_total(), before, "nothing was sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_copy_of_a_base_model_the_table_does_not_know_goes_out_with_a_note() {
    let server = endpoint(&[]).await;
    let table = CopyRegions::shipped();
    let jobs = listing(&server, REGIONS).await;
    let source = jobs
        .iter()
        .map(|j| text(j, "sourceModelArn"))
        .find(|arn| base_model(arn).is_some_and(|b| table.supported(b).is_none()))
        .expect("a base model the table does not know")
        .to_string();
    let before = server.emulator.requests_total();
    let (code, out, err) = run(
        &server,
        None,
        &[
            "copy",
            &source,
            "--to",
            "eu-central-1",
            "--name",
            "unknown-base-copy",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("is not in the table of regions a copy can go to"),
        "{err}"
    );
    assert_eq!(server.emulator.requests_total(), before + 1);
}

/// Each job's day in `zone`, and what `stats -o json` says of the days.
fn days_of(jobs: &[Value], zone: FixedOffset) -> BTreeMap<NaiveDate, BTreeMap<String, u64>> {
    let mut out: BTreeMap<NaiveDate, BTreeMap<String, u64>> = BTreeMap::new();
    for j in jobs {
        let day = time(&j["creationTime"]).with_timezone(&zone).date_naive();
        *out.entry(day)
            .or_default()
            .entry(text(j, "status").to_string())
            .or_default() += 1;
    }
    out
}

fn stats_days(stats: &Value) -> BTreeMap<NaiveDate, BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for d in stats["days"].as_array().unwrap() {
        let mut by = BTreeMap::new();
        for (key, status) in [
            ("completed", "Completed"),
            ("failed", "Failed"),
            ("inProgress", "InProgress"),
        ] {
            let n = d[key].as_u64().unwrap();
            if n > 0 {
                by.insert(status.to_string(), n);
            }
        }
        if !by.is_empty() {
            out.insert(text(d, "date").parse().unwrap(), by);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn stats_counts_the_listings_jobs_by_day_in_the_configs_zone() {
    let server = endpoint(&[]).await;
    let jobs = listing(&server, REGIONS).await;
    let mut seen_days = Vec::new();
    for (zone, offset) in [("+09:00", 9 * 3600), ("-10:00", -10 * 3600)] {
        let file = config_file(
            &format!("matrix-zone{offset}"),
            &format!("[view]\ntime_zone = \"{zone}\"\n"),
        );
        // "Today" is the client's, on this machine's clock: bracketed by
        // the dates before and after the run, so a run across midnight
        // cannot fail it.
        let started = Utc::now();
        let (code, out, err) = run(
            &server,
            Some(&file),
            &["stats", "-o", "json", "--regions", REGIONS],
        )
        .await;
        assert_eq!(code, 0, "{err}");
        let stats: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(stats["timeZone"], zone);
        let zone = FixedOffset::east_opt(offset).unwrap();
        assert_eq!(stats_days(&stats), days_of(&jobs, zone));
        let total = &stats["total"];
        assert_eq!(total["copies"].as_u64(), Some(jobs.len() as u64));
        let failed = jobs.iter().filter(|j| j["status"] == "Failed").count() as f64;
        let completed = jobs.iter().filter(|j| j["status"] == "Completed").count() as f64;
        assert_eq!(
            total["failedShare"].as_f64(),
            Some(failed / (failed + completed))
        );
        // Every region's copies, most first.
        let regions: Vec<(String, u64)> = stats["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (text(r, "region").to_string(), r["copies"].as_u64().unwrap()))
            .collect();
        for (region, n) in &regions {
            let listed = jobs
                .iter()
                .filter(|j| region_of(text(j, "jobArn")) == region)
                .count();
            assert_eq!(*n, listed as u64, "{region}");
        }
        assert!(regions.windows(2).all(|w| w[0].1 >= w[1].1));
        // The days run on to today, with empty ones between.
        let days = stats["days"].as_array().unwrap();
        let dates: Vec<NaiveDate> = days
            .iter()
            .map(|d| text(d, "date").parse().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[1] == w[0].succ_opt().unwrap()));
        let last = *dates.last().unwrap();
        let (from, to) = (
            started.with_timezone(&zone).date_naive(),
            Utc::now().with_timezone(&zone).date_naive(),
        );
        assert!(
            from <= last && last <= to,
            "the last day {last} is today ({from}..={to})"
        );
        seen_days.push(stats_days(&stats));
    }
    assert_ne!(
        seen_days[0], seen_days[1],
        "the zone moves jobs between days"
    );

    // A window of dates, typed in the config's zone: exactly its days.
    let file = config_file("matrix-window", "[view]\ntime_zone = \"+09:00\"\n");
    let (code, out, err) = run(
        &server,
        Some(&file),
        &[
            "stats",
            "--regions",
            REGIONS,
            "--since",
            "2025-05-20",
            "--until",
            "2025-05-27",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("from 2025-05-20 to 2025-05-27 (8 days, in +09:00)"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("2025-05-20 ")), "{out}");
    assert!(!out.lines().any(|l| l.starts_with("2025-05-19 ")), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn models_under_a_status_filter_is_of_every_status_as_m_is() {
    let server = endpoint(&[]).await;
    let every = run(
        &server,
        None,
        &["models", "-o", "json", "--regions", REGIONS],
    )
    .await;
    assert_eq!(every.0, 0, "{}", every.2);
    let (code, out, err) = run(
        &server,
        None,
        &[
            "models",
            "-o",
            "json",
            "--regions",
            REGIONS,
            "--status",
            "failed",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out, every.1,
        "the same matrix: a cell is the newest copy of any status"
    );
    assert!(
        err.contains("models shows every status, as M does") && err.contains("Failed not applied"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn models_shows_the_models_never_copied_and_no_copy_as_its_own_row() {
    let server = endpoint(&[]).await;
    let jobs = listing(&server, REGIONS).await;
    let listed = account_models(&server, REGIONS);
    let rows = models_json(&server, REGIONS).await;
    let row = |arn: &str| rows.iter().find(|m| text(m, "sourceModelArn") == arn);
    // The models no job names, read off the endpoint's record: each a row
    // with no region, and what the listing says of it.
    let never = never_copied(&jobs, &listed);
    assert!(never.len() >= 3, "{}", never.len());
    for m in &never {
        let r = row(text(m, "modelArn")).unwrap_or_else(|| panic!("no row for {m}"));
        assert_eq!(r["regions"], serde_json::json!({}));
        assert_eq!(r["sourceModelName"], m["modelName"]);
        assert_eq!(r["sourceAccountId"], m["ownerAccountId"]);
        assert_eq!(r["modelStatus"], m["modelStatus"]);
        assert_eq!(r["customizationType"], m["customizationType"]);
        assert_eq!(time(&r["creationTime"]), time(&m["creationTime"]));
    }
    // A completed copy is a custom model of its region, listed: it is its
    // job's cell, never a row.
    let completed: Vec<&str> = jobs
        .iter()
        .filter(|j| text(j, "status") == "Completed")
        .map(|j| text(j, "targetModelArn"))
        .collect();
    let listed_arns: BTreeSet<&str> = listed.iter().map(|m| text(m, "modelArn")).collect();
    assert!(
        completed
            .iter()
            .filter(|a| listed_arns.contains(*a))
            .count()
            > 100
    );
    for arn in completed {
        assert!(row(arn).is_none(), "{arn} is a row of its own");
    }
    // A listed model a job copies is that job's row, with the listing's
    // facts (the account's own, living in a region read).
    let copied = listed
        .iter()
        .find(|m| jobs.iter().any(|j| j["sourceModelArn"] == m["modelArn"]))
        .expect("a listed model some job copies");
    let r = row(text(copied, "modelArn")).unwrap();
    assert!(!r["regions"].as_object().unwrap().is_empty());
    assert_eq!(r["modelStatus"], copied["modelStatus"]);
    // One listing of the models a region: they are fewer than 1,000 here.
    let counts = server.emulator.request_counts();
    for region in REGIONS.split(',') {
        let n = counts
            .get(&(region.to_string(), "ListCustomModels".to_string()))
            .copied();
        assert_eq!(n, Some(1), "{region}");
    }
    // The table says how many were never copied.
    let (code, out, err) = run(&server, None, &["models", "--regions", REGIONS]).await;
    assert_eq!(code, 0, "{err}");
    let rows_json_never = rows
        .iter()
        .filter(|m| m["regions"].as_object().unwrap().is_empty())
        .count();
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains(&format!("({rows_json_never} never copied)")),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_models_read_is_one_request_a_source_for_each_thousand_models() {
    let server = endpoint_of(EmulatorOptions {
        jobs: 2_600,
        seed: 5,
        regions: vec!["us-east-1".into(), "us-west-2".into()],
        ..frozen()
    })
    .await;
    let rows = models_json(&server, "us-east-1,us-west-2").await;
    let counts = server.emulator.request_counts();
    let mut paged = false;
    for region in ["us-east-1", "us-west-2"] {
        let models = account_models(&server, region).len();
        let asked = counts[&(region.to_string(), "ListCustomModels".to_string())];
        // At most one listing per page of 1,000 models, and every page read.
        assert_eq!(
            asked as usize,
            models.div_ceil(1000).max(1),
            "{region}: {models}"
        );
        paged |= models > 1000;
    }
    assert!(paged, "a region with more than 1,000 models");
    // Every page's models are in: each listed model is a row or a copy.
    let jobs = listing(&server, "us-east-1,us-west-2").await;
    let targets: BTreeSet<&str> = jobs.iter().map(|j| text(j, "targetModelArn")).collect();
    let arns: BTreeSet<&str> = rows.iter().map(|m| text(m, "sourceModelArn")).collect();
    for m in account_models(&server, "us-east-1,us-west-2") {
        let arn = text(&m, "modelArn");
        assert!(
            arns.contains(arn) != targets.contains(arn),
            "{arn}: a row, or a copy, and not both"
        );
    }
}

/// `M` in the dashboard, its window read as the dashboard's effects runner
/// reads it (the engine's windows and the models' listings, through the
/// real SDK), the answers handed to `update` as the runner hands them.
async fn dashboard_m(server: &Server) -> copyjobs::app::State {
    use copyjobs::app::msg::{Effect, Msg};
    use copyjobs::app::{Settings, State};
    use copyjobs::dashboard::update;
    use copyjobs::watch::driver::{Driver, model_sources, read_all};
    use copyjobs::watch::{Engine, SourceSpec};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let regions: Vec<String> = REGIONS.split(',').map(str::to_string).collect();
    let now = DateTime::from_timestamp_millis(1_748_779_200_000).unwrap();
    let target = support::demo_target(server);
    let settings = Settings {
        sources: SourceSpec::product(&[], &regions),
        ..Settings::new("test", target.clone(), FixedOffset::east_opt(0).unwrap())
    };
    let mut s = State::new(settings, copyjobs::domain::query::Filter::default(), now);
    update(&mut s, Msg::Start(now));
    let fx = update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('M'), KeyModifiers::NONE)),
    );
    let (generation, filter, specs) = fx
        .into_iter()
        .find_map(|e| match e {
            Effect::ReadWindow {
                generation,
                filter,
                specs,
                ..
            } => Some((generation, filter, specs)),
            _ => None,
        })
        .expect("M reads the window");
    let mut engine = Engine::new(filter, 1000, chrono::Duration::seconds(10), &specs);
    let driver = Driver::connect(&target, &mut engine).await.unwrap();
    let sources = model_sources(&engine);
    let (read, models) = tokio::join!(
        read_all(&mut engine, &driver, |_| {}),
        driver.read_models(&sources)
    );
    assert!(read.refused.is_empty() && models.refused.is_empty());
    update(
        &mut s,
        Msg::WindowModels {
            generation,
            models: models.models,
        },
    );
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(read.jobs),
        },
    );
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn m_has_a_row_for_a_model_never_copied_with_empty_cells() {
    let server = endpoint(&[]).await;
    let jobs = listing(&server, REGIONS).await;
    let listed = account_models(&server, REGIONS);
    let never = never_copied(&jobs, &listed);
    let sources: BTreeSet<&str> = jobs.iter().map(|j| text(j, "sourceModelArn")).collect();
    let mut s = dashboard_m(&server).await;
    let m = &s.overview.as_ref().unwrap().data.as_ref().unwrap().matrix;
    // Every job's source model and every model never copied, once each:
    // no copy's own model is a row.
    assert_eq!(m.rows().len(), sources.len() + never.len());
    assert_eq!(m.never_copied(), never.len());
    let target = never[0];
    let row = m
        .rows()
        .position(|r| *r.source_model_arn == *text(target, "modelArn"))
        .expect("a row for the model never copied");
    let model = m.row(row).unwrap();
    assert_eq!(model.copies().count(), 0);
    assert_eq!(model.model_status(), target["modelStatus"].as_str());
    // On screen: the title counts it, the row names it, its cells hold no
    // copy (its own region ●, the others ·).
    let name = text(target, "modelName").to_string();
    let home = region_of(text(target, "modelArn")).to_string();
    // Found by name (`/`), so it is on screen whatever its place.
    let press = |s: &mut copyjobs::app::State, c: char| {
        copyjobs::dashboard::update(
            s,
            copyjobs::app::msg::Msg::Key(crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            )),
        );
    };
    press(&mut s, '/');
    for c in name.chars() {
        press(&mut s, c);
    }
    let t = support::render(&mut s, 160, 40);
    let screen: Vec<String> = (0..40)
        .map(|y| {
            (0..160)
                .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                .collect()
        })
        .collect();
    let text_of = screen.join("\n");
    if std::env::var_os("SHOW_M").is_some() {
        eprintln!("{text_of}");
    }
    assert!(
        text_of.contains(&format!("source models · {} never copied ·", never.len())),
        "{text_of}"
    );
    let line = screen
        .iter()
        .find(|l| l.contains(&name) && !l.contains("find:") && !l.contains("→"))
        .unwrap_or_else(|| panic!("{name} on screen:\n{text_of}"));
    let cells: Vec<&str> = line
        .split_whitespace()
        .filter(|w| ["●", "·", "✔", "◐", "✘", "⊘"].contains(w))
        .collect();
    assert!(
        !cells.contains(&"✔") && !cells.contains(&"◐") && !cells.contains(&"✘"),
        "{line}"
    );
    assert_eq!(
        cells.contains(&"●"),
        REGIONS.split(',').any(|r| r == home),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn models_keeps_a_status_and_a_customization_the_sdk_does_not_know() {
    let server = endpoint_of(EmulatorOptions {
        jobs: 200,
        seed: 23,
        odd_data: true,
        regions: REGIONS.split(',').map(str::to_string).collect(),
        ..frozen()
    })
    .await;
    let listed = account_models(&server, REGIONS);
    let rows = models_json(&server, REGIONS).await;
    // Whatever the service says, as it says it: the values no release of
    // the SDK's enums has are kept, not dropped or renamed.
    let known_status = ["Active", "Creating", "Failed"];
    let odd: Vec<&Value> = listed
        .iter()
        .filter(|m| !known_status.contains(&text(m, "modelStatus")))
        .collect();
    assert!(!odd.is_empty());
    for m in odd {
        let row = rows
            .iter()
            .find(|r| r["sourceModelArn"] == m["modelArn"])
            .unwrap_or_else(|| panic!("no row for {m}"));
        assert_eq!(row["modelStatus"], m["modelStatus"]);
        assert_eq!(row["sourceModelName"], m["modelName"]);
    }
    let types: BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r["customizationType"].as_str())
        .collect();
    let listed_types: BTreeSet<&str> = listed
        .iter()
        .filter(|m| rows.iter().any(|r| r["sourceModelArn"] == m["modelArn"]))
        .map(|m| text(m, "customizationType"))
        .collect();
    assert_eq!(types, listed_types);
    assert!(types.contains("PROMPT_DISTILLATION"), "{types:?}");
}
