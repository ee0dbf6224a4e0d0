//! The history's file as its writers and readers use it: what is recorded
//! reads back as durations, a damaged file is moved aside and a new one
//! started, a directory that cannot be written is said once and nothing
//! else stops, and old observations are dropped.

use super::*;
use crate::domain::job::{CopyJob, Status};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::atomic::{AtomicUsize, Ordering};

fn dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "copyjobs-history-{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Yesterday, to the second: pruning (at 180 days from the real clock)
/// keeps these whatever the date.
fn t(secs: i64) -> DateTime<Utc> {
    // One instant for the whole run: reading the clock at each call made
    // two calls a second boundary apart disagree (a wall-clock race).
    static BASE: std::sync::LazyLock<i64> =
        std::sync::LazyLock::new(|| Utc::now().timestamp() - 86_400);
    DateTime::from_timestamp(*BASE + secs, 0).expect("valid")
}

fn job(id: u32, created: DateTime<Utc>, status: Status) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:eu-central-1:111122223333:model-copy-job/{id:012}"),
        status,
        created,
        target_model_arn: format!(
            "arn:aws:bedrock:eu-central-1:111122223333:custom-model/amazon.nova-lite-v1:0:300k/{id:012}"
        ),
        target_model_name: Some(format!("fraud-copy-{id}")),
        source_account_id: "111122223333".into(),
        source_model_arn: "arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-lite-v1:0:300k/abcdefabcdef".into(),
        source_model_name: None,
        kms_key_arn: None,
        tags: vec![],
        failure_message: None,
    }
}

/// A sighting: asked at `asked`, answered a second later.
fn seen(jobs: Vec<CopyJob>, asked: DateTime<Utc>) -> Observed {
    Observed {
        seen_through: "ml".into(),
        asked: Some(asked),
        at: asked + TimeDelta::seconds(1),
        jobs,
        changes: Vec::new(),
    }
}

/// Problems said, in order.
fn listener() -> (Say, std::sync::Arc<Mutex<Vec<String>>>) {
    let heard = std::sync::Arc::new(Mutex::new(Vec::new()));
    let h = heard.clone();
    (
        std::sync::Arc::new(move |m: &str| h.lock().unwrap().push(m.to_string())),
        heard,
    )
}

/// How many copies the first group holds.
fn first_group_count(h: &History) -> usize {
    let groups = h.reader().groups(&Query::default()).unwrap();
    groups.iter().next().map_or(0, |(_, d)| d.count())
}

fn open(path: PathBuf, say: Option<Say>) -> History {
    let mut o = Options::at(path);
    o.say = say;
    History::open(o)
}

/// Three copies seen running then Completed, one seen only Completed.
fn record_three(h: &History) {
    for (id, minutes) in [(1u32, 10i64), (2, 12), (3, 20)] {
        let created = t(0);
        h.record(seen(vec![job(id, created, Status::InProgress)], t(60)));
        let last = t(minutes * 60 - 10);
        h.record(seen(vec![job(id, created, Status::InProgress)], last));
        let mut o = seen(vec![job(id, created, Status::Completed)], t(minutes * 60));
        o.changes.push(Change {
            arn: job(id, created, Status::Completed).job_arn,
            from: Status::InProgress,
            to: Status::Completed,
            after: Some(last),
            by: o.at,
        });
        h.record(o);
    }
    h.record(seen(vec![job(4, t(0), Status::Completed)], t(3000)));
}

#[test]
fn what_is_recorded_reads_back_as_durations() {
    let path = dir("readback").join(FILE);
    let h = open(path.clone(), None);
    record_three(&h);
    h.flush();
    let groups = h.reader().groups(&Query::default()).unwrap();
    let (group, d) = groups.iter().next().expect("one group");
    assert_eq!(group.short(), "nova-lite 300k");
    assert_eq!(group.region, "eu-central-1");
    assert_eq!(d.count(), 3, "the job first seen ended has no duration");
    // Each ended in (minutes·60 − 10, minutes·60 + 1]: the middle.
    assert_eq!(
        d.p50(),
        Some(TimeDelta::minutes(12) - TimeDelta::milliseconds(4500))
    );
    let known = h
        .reader()
        .job(&job(4, t(0), Status::Completed).job_arn)
        .unwrap()
        .unwrap();
    assert_eq!(known.running, None, "ended before first seen");
    assert_eq!(known.ended, Some(t(3001)));
    assert_eq!(known.took(), None);
    let known = h
        .reader()
        .job(&job(2, t(0), Status::Completed).job_arn)
        .unwrap()
        .unwrap();
    assert_eq!(known.took().unwrap().text(), "took 12m");
    // The filters apply: another region, or the failed copies, have none.
    let q = Query {
        regions: vec!["us-east-1".into()],
        ..Query::default()
    };
    assert!(h.reader().groups(&q).unwrap().is_empty());
    let q = Query {
        status: Status::Failed,
        ..Query::default()
    };
    assert!(h.reader().groups(&q).unwrap().is_empty());
    let q = Query {
        name_contains: Some("FRAUD-copy-3".into()),
        profiles: vec!["ml".into()],
        ..Query::default()
    };
    assert_eq!(
        h.reader()
            .groups(&q)
            .unwrap()
            .iter()
            .next()
            .unwrap()
            .1
            .count(),
        1
    );
    let changes: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM changes WHERE after_ms IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(changes, 3);
}

#[test]
fn several_writers_narrow_one_jobs_bounds() {
    let path = dir("narrow").join(FILE);
    let (a, b) = (open(path.clone(), None), open(path.clone(), None));
    let created = t(0);
    // A saw it running at 600 s, B at 630 s; B saw it ended by 661 s, A by 700 s.
    a.record(seen(vec![job(9, created, Status::InProgress)], t(600)));
    b.record(seen(vec![job(9, created, Status::InProgress)], t(630)));
    b.record(seen(vec![job(9, created, Status::Completed)], t(660)));
    a.record(seen(vec![job(9, created, Status::Completed)], t(699)));
    a.flush();
    b.flush();
    let known = a
        .reader()
        .job(&job(9, created, Status::Completed).job_arn)
        .unwrap()
        .unwrap();
    assert_eq!((known.running, known.ended), (Some(t(630)), Some(t(661))));
    assert_eq!(known.status, Status::Completed);
}

/// A running job unchanged is recorded once a minute: seen running at 600 s,
/// then (unrecorded) by the requests up to 650 s, and ended by 661 s. The
/// change's `after` carries that last sighting, so its end is still known
/// within the refresh: (650, 661], not (600, 661].
#[test]
fn a_changes_last_sighting_narrows_the_end_of_a_job_recorded_a_minute_before() {
    let h = open(dir("reseen").join(FILE), None);
    let created = t(0);
    h.record(seen(vec![job(7, created, Status::InProgress)], t(600)));
    let mut ended = seen(vec![job(7, created, Status::Completed)], t(660));
    ended.changes.push(Change {
        arn: job(7, created, Status::Completed).job_arn,
        from: Status::InProgress,
        to: Status::Completed,
        after: Some(t(650)),
        by: t(661),
    });
    h.record(ended);
    h.flush();
    let known = h
        .reader()
        .job(&job(7, created, Status::Completed).job_arn)
        .unwrap()
        .unwrap();
    assert_eq!((known.running, known.ended), (Some(t(650)), Some(t(661))));
    assert_eq!(known.took().unwrap().text(), "took 11m");
}

#[test]
fn a_damaged_file_is_moved_aside_and_a_new_one_started() {
    let d = dir("corrupt");
    let path = d.join(FILE);
    {
        let h = open(path.clone(), None);
        record_three(&h);
    }
    // Garbage over the header: not a database any more.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[..64].copy_from_slice(&[b'x'; 64]);
    std::fs::write(&path, &bytes).unwrap();
    let (say, heard) = listener();
    let h = open(path.clone(), Some(say));
    record_three(&h);
    h.flush();
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].contains("moved aside to"), "{heard:?}");
    let aside: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("history.db.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(d.join(&aside[0])).unwrap()[..64], [b'x'; 64]);
    // The new file holds what came after.
    assert_eq!(first_group_count(&h), 3);
}

#[test]
fn a_directory_that_cannot_be_written_is_said_once_and_nothing_stops() {
    // A file where the directory should be: nothing can be created there,
    // whoever runs the test (root ignores permission bits).
    let d = dir("readonly");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("state"), "not a directory").unwrap();
    let (say, heard) = listener();
    let h = open(d.join("state").join(FILE), Some(say));
    for _ in 0..3 {
        record_three(&h);
        h.flush();
    }
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 1, "said once: {heard:?}");
    assert!(heard[0].starts_with("history:"), "{heard:?}");
    // Reading finds nothing, and says why.
    assert!(h.reader().groups(&Query::default()).unwrap().is_empty());
}

#[test]
fn a_full_disk_is_said_once_and_the_batch_dropped() {
    let path = dir("full").join(FILE);
    {
        let h = open(path.clone(), None);
        record_three(&h);
    }
    // No more pages may be added: as a full disk would answer.
    let pages: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let (say, heard) = listener();
    let mut o = Options::at(path.clone());
    o.say = Some(say);
    o.max_pages = Some(pages);
    let h = History::open(o);
    for k in 0..3 {
        h.record(seen(
            (0..2000)
                .map(|i| job(100 + i + k * 2000, t(0), Status::Completed))
                .collect(),
            t(100),
        ));
        h.flush();
    }
    let heard = heard.lock().unwrap().clone();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(heard[0].contains("the disk is full"), "{heard:?}");
    // What was there is intact.
    assert_eq!(first_group_count(&h), 3);
}

#[test]
fn observations_older_than_keep_days_are_dropped() {
    let path = dir("prune").join(FILE);
    {
        let h = open(path.clone(), None);
        let old = Utc::now() - TimeDelta::days(40);
        h.record(seen(vec![job(1, old, Status::Completed)], old));
        h.record(seen(vec![job(2, t(0), Status::Completed)], t(10)));
    }
    let mut o = Options::at(path.clone());
    o.keep_days = 30;
    let h = History::open(o);
    h.flush();
    let reader = h.reader();
    assert_eq!(
        reader
            .job(&job(1, t(0), Status::Completed).job_arn)
            .unwrap(),
        None
    );
    assert!(
        reader
            .job(&job(2, t(0), Status::Completed).job_arn)
            .unwrap()
            .is_some()
    );
}
