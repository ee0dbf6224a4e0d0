//! The file: its schema, how it is opened (WAL, a busy timeout, checked),
//! one transaction a batch, pruning, and a damaged file moved aside. Every
//! failure is a [`Problem`] of a kind the writer says once.

use super::group::Group;
use super::observe::Observed;
use crate::domain::job::{CopyJob, Status};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a statement waits for another process's write to end (two
/// dashboards and a `watch` share one file) before the batch is kept for
/// the next try.
pub const BUSY: Duration = Duration::from_secs(5);

const VERSION: i64 = 1;

/// One row a job (`running_ms`/`ended_ms` are the tightest bounds of its
/// end that any process saw: the latest request that showed it running,
/// the earliest answer that showed it ended), one row an observed change
/// with its own bounds.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS jobs (
    arn TEXT PRIMARY KEY NOT NULL,
    region TEXT NOT NULL,
    account TEXT NOT NULL,
    source_account TEXT NOT NULL,
    source_model_arn TEXT NOT NULL,
    base_model TEXT NOT NULL,
    variant TEXT NOT NULL,
    target_name TEXT,
    created_ms INTEGER NOT NULL,
    seen_through TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    status TEXT NOT NULL,
    first_seen_ms INTEGER NOT NULL,
    last_seen_ms INTEGER NOT NULL,
    running_ms INTEGER,
    ended_ms INTEGER
);
CREATE INDEX IF NOT EXISTS jobs_last_seen ON jobs (last_seen_ms);
CREATE TABLE IF NOT EXISTS changes (
    arn TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    after_ms INTEGER,
    by_ms INTEGER NOT NULL,
    seen_through TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_arn ON changes (arn);
";

const UPSERT_JOB: &str = "
INSERT INTO jobs (arn, region, account, source_account, source_model_arn, base_model, variant,
                  target_name, created_ms, seen_through, endpoint, status, first_seen_ms,
                  last_seen_ms, running_ms, ended_ms)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15)
ON CONFLICT (arn) DO UPDATE SET
    status = CASE WHEN jobs.status IN ('Completed', 'Failed') THEN jobs.status ELSE excluded.status END,
    target_name = coalesce(excluded.target_name, jobs.target_name),
    first_seen_ms = min(jobs.first_seen_ms, excluded.first_seen_ms),
    last_seen_ms = max(jobs.last_seen_ms, excluded.last_seen_ms),
    running_ms = max(coalesce(jobs.running_ms, excluded.running_ms), coalesce(excluded.running_ms, jobs.running_ms)),
    ended_ms = min(coalesce(jobs.ended_ms, excluded.ended_ms), coalesce(excluded.ended_ms, jobs.ended_ms))
";

/// A change's `after` (the last request that saw the old status) is a
/// sighting of the job running: an unchanged running job is recorded only
/// once a minute (`watch::source::RESEEN`), so its row may hold an older one.
const SEEN_RUNNING: &str = "
UPDATE jobs SET running_ms = max(coalesce(running_ms, ?2), ?2) WHERE arn = ?1
";

const INSERT_CHANGE: &str = "
INSERT INTO changes (arn, from_status, to_status, after_ms, by_ms, seen_through)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
";

/// What went wrong, by what it means for the person: each kind is said once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Another process held the file past [`BUSY`].
    Locked,
    Full,
    /// The directory or the file cannot be written.
    ReadOnly,
    /// Not a database, or a damaged one.
    Corrupt,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: Kind,
    pub detail: String,
}

impl From<rusqlite::Error> for Problem {
    fn from(e: rusqlite::Error) -> Problem {
        let kind = match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Kind::Locked,
            Some(ErrorCode::DiskFull) => Kind::Full,
            Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                Kind::ReadOnly
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Kind::Corrupt,
            _ => Kind::Other,
        };
        Problem {
            kind,
            detail: e.to_string(),
        }
    }
}

impl From<std::io::Error> for Problem {
    fn from(e: std::io::Error) -> Problem {
        use std::io::ErrorKind as K;
        let kind = match e.kind() {
            K::PermissionDenied | K::ReadOnlyFilesystem => Kind::ReadOnly,
            K::StorageFull | K::QuotaExceeded => Kind::Full,
            _ => Kind::Other,
        };
        Problem {
            kind,
            detail: e.to_string(),
        }
    }
}

/// Opens (creating) the file for writing, in WAL mode so readers and
/// several writers share it, and checks it: a file that is not SQLite or
/// whose pages are damaged is a [`Kind::Corrupt`] problem here, not later.
pub fn open(path: &Path) -> Result<Connection, Problem> {
    if let Some(dir) = path.parent() {
        crate::config::private::create_dir_all(dir)?;
    }
    // Made 600 first: SQLite would create it under the umask, and its
    // -wal and -shm files take the database's mode.
    crate::config::private::touch(path)?;
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY)?;
    let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(Problem {
            kind: Kind::Corrupt,
            detail: check,
        });
    }
    conn.execute_batch(SCHEMA)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == 0 {
        conn.pragma_update(None, "user_version", VERSION)?;
    }
    Ok(conn)
}

/// Opens the file to read it; None when there is none yet.
pub fn open_read(path: &Path) -> Result<Option<Connection>, Problem> {
    if !path.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY)?;
    // A file some other version made without our tables reads as empty.
    let has_jobs: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(has_jobs.map(|_| conn))
}

/// Moves a damaged file (and its WAL) aside as `history.db.corrupt-<time>`,
/// so a new one can start and the old one can still be looked at.
pub fn move_aside(path: &Path, now: DateTime<Utc>) -> Result<PathBuf, Problem> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "history.db".into());
    let aside = path.with_file_name(format!(
        "{name}.corrupt-{}",
        now.format("%Y%m%dT%H%M%S%.3fZ")
    ));
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let from = path.with_file_name(format!("{name}{suffix}"));
        if from.exists() {
            let to = aside.with_file_name(format!(
                "{}{suffix}",
                aside.file_name().unwrap_or_default().to_string_lossy()
            ));
            // A WAL left beside a new file would be read into it.
            if std::fs::rename(&from, &to).is_err() {
                let _ = std::fs::remove_file(&from);
            }
        }
    }
    Ok(aside)
}

/// Milliseconds, rounded down: a lower bound stays one.
fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Milliseconds, rounded up: an upper bound stays one.
fn ms_up(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis() + i64::from(!t.timestamp_subsec_nanos().is_multiple_of(1_000_000))
}

/// The job ARN's account: `arn:aws:bedrock:REGION:ACCOUNT:model-copy-job/ID`.
fn arn_account(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

/// Writes a batch in one transaction: all of it or, on failure, none.
pub fn write(conn: &mut Connection, batch: &[Observed], endpoint: &str) -> Result<(), Problem> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut job_row = tx.prepare_cached(UPSERT_JOB)?;
        let mut change_row = tx.prepare_cached(INSERT_CHANGE)?;
        let mut seen_running = tx.prepare_cached(SEEN_RUNNING)?;
        for o in batch {
            for job in &o.jobs {
                upsert(&mut job_row, job, o, endpoint)?;
            }
            for c in &o.changes {
                if c.from == Status::InProgress
                    && let Some(after) = c.after
                {
                    seen_running.execute(params![c.arn, ms(after)])?;
                }
                change_row.execute(params![
                    c.arn,
                    c.from.as_str(),
                    c.to.as_str(),
                    c.after.map(ms),
                    ms_up(c.by),
                    o.seen_through,
                ])?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

fn upsert(
    stmt: &mut rusqlite::CachedStatement<'_>,
    job: &CopyJob,
    o: &Observed,
    endpoint: &str,
) -> Result<(), Problem> {
    let group = Group::of(job);
    let running = (job.status == Status::InProgress)
        .then_some(o.asked)
        .flatten()
        .map(ms);
    let ended = job.status.is_final().then(|| ms_up(o.at));
    stmt.execute(params![
        job.job_arn,
        group.region,
        arn_account(&job.job_arn),
        &*job.source_account_id,
        &*job.source_model_arn,
        group.base_model,
        group.variant,
        job.target_model_name,
        ms(job.created),
        o.seen_through,
        endpoint,
        job.status.as_str(),
        ms(o.at),
        running,
        ended,
    ])?;
    Ok(())
}

/// Drops what was last observed before `cutoff` (`history.keep_days`).
pub fn prune(conn: &Connection, cutoff: DateTime<Utc>) -> Result<usize, Problem> {
    let cutoff = ms(cutoff);
    let changes = conn.execute("DELETE FROM changes WHERE by_ms < ?1", [cutoff])?;
    let jobs = conn.execute("DELETE FROM jobs WHERE last_seen_ms < ?1", [cutoff])?;
    Ok(changes + jobs)
}
