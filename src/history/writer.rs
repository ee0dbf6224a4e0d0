//! The writer: a thread of its own that takes observations from a channel
//! and writes them in batches, one transaction each, every `batch` rows or
//! `linger` after the first one waiting, whichever comes first. Whoever
//! records (the dashboard's effects runner, a headless verb) only puts a
//! value on a channel: a slow, locked or failing file never holds them up.
//!
//! A problem is said once per kind, and the rest goes on: a locked file
//! keeps the batch for the next try, a full disk or a read-only directory
//! drops it, a damaged file is moved aside and a new one started.

use super::observe::Observed;
use super::store::{self, Kind, Problem};
use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::Connection;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender};
use std::time::{Duration, Instant};

/// Who is told of a problem: the dashboard's status bar and log, a verb's
/// stderr.
pub type Say = std::sync::Arc<dyn Fn(&str) + Send + Sync>;

pub enum Msg {
    Record(Observed),
    /// Write what waits now, then answer.
    Flush(SyncSender<()>),
}

/// Batches kept while the file is locked, at most: past that the oldest go.
const MAX_KEPT: usize = 100_000;

/// How often a writer that could not open the file tries again, and how
/// often a long-running one drops what is older than `keep_days`.
const REOPEN_EVERY: Duration = Duration::from_secs(60);
const PRUNE_EVERY: Duration = Duration::from_secs(6 * 3600);

pub struct Writer {
    pub path: PathBuf,
    pub endpoint: String,
    pub keep_days: u32,
    pub batch: usize,
    pub linger: Duration,
    pub say: Option<Say>,
    pub max_pages: Option<i64>,
    conn: Option<Connection>,
    tried_open: Option<Instant>,
    pruned: Option<Instant>,
    pending: Vec<Observed>,
    rows: usize,
    said: HashSet<Kind>,
}

impl Writer {
    pub fn new(path: PathBuf, endpoint: String, keep_days: u32, say: Option<Say>) -> Writer {
        Writer {
            path,
            endpoint,
            keep_days,
            batch: 1000,
            linger: Duration::from_millis(500),
            say,
            max_pages: None,
            conn: None,
            tried_open: None,
            pruned: None,
            pending: Vec::new(),
            rows: 0,
            said: HashSet::new(),
        }
    }

    /// Runs until every sender is gone, then writes what waits.
    pub fn run(mut self, rx: Receiver<Msg>) {
        self.connect();
        let mut due: Option<Instant> = None;
        loop {
            let msg = match due {
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            match msg {
                Ok(Msg::Record(o)) => {
                    self.rows += o.len();
                    self.pending.push(o);
                    due.get_or_insert_with(|| Instant::now() + self.linger);
                    if self.rows >= self.batch {
                        self.flush();
                        due = None;
                    }
                }
                Ok(Msg::Flush(done)) => {
                    self.flush();
                    due = None;
                    let _ = done.send(());
                }
                Err(RecvTimeoutError::Timeout) => {
                    self.flush();
                    due = None;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.flush();
                    return;
                }
            }
            // A batch kept for a locked file is tried again later.
            if !self.pending.is_empty() && due.is_none() {
                due = Some(Instant::now() + self.linger);
            }
        }
    }

    fn say(&mut self, kind: Kind, message: String) {
        tracing::warn!(%message, "history");
        if self.said.insert(kind)
            && let Some(say) = &self.say
        {
            say(&message);
        }
    }

    fn problem(&mut self, p: Problem, doing: &str) {
        let path = self.path.display().to_string();
        let message = match p.kind {
            Kind::Locked => format!(
                "history: {path} is locked by another process; kept to write later ({})",
                p.detail
            ),
            Kind::Full => format!(
                "history: the disk is full; what is seen is not kept until there is room ({path}: {})",
                p.detail
            ),
            Kind::ReadOnly => format!(
                "history: {path} cannot be written ({}); the history is not kept",
                p.detail
            ),
            Kind::Corrupt | Kind::Other => {
                format!("history: cannot {doing} {path}: {}", p.detail)
            }
        };
        self.say(p.kind, message);
    }

    /// Opens the file, moving a damaged one aside; at most once a minute.
    fn connect(&mut self) {
        if self.conn.is_some() || self.tried_open.is_some_and(|t| t.elapsed() < REOPEN_EVERY) {
            return;
        }
        self.tried_open = Some(Instant::now());
        match store::open(&self.path) {
            Ok(c) => self.conn = Some(c),
            Err(p) if p.kind == Kind::Corrupt => self.start_anew(p),
            Err(p) => self.problem(p, "open"),
        }
        if let (Some(conn), Some(pages)) = (&self.conn, self.max_pages) {
            let _ = conn.pragma_update(None, "max_page_count", pages);
        }
        self.prune_if_due();
    }

    /// The file is damaged: aside with it, and a new one. Another writer
    /// may have done so already, so the file at the path is looked at once
    /// more first.
    fn start_anew(&mut self, found: Problem) {
        self.conn = None;
        match store::open(&self.path) {
            Ok(c) => {
                self.conn = Some(c);
                return;
            }
            Err(p) if p.kind != Kind::Corrupt => return self.problem(p, "open"),
            Err(_) => {}
        }
        let aside = match store::move_aside(&self.path, Utc::now()) {
            Ok(a) => a,
            Err(p) => return self.problem(p, "move aside the damaged"),
        };
        let message = format!(
            "history: {} was damaged ({}): moved aside to {}, a new one started",
            self.path.display(),
            found.detail,
            aside.display()
        );
        self.say(Kind::Corrupt, message);
        match store::open(&self.path) {
            Ok(c) => self.conn = Some(c),
            Err(p) => self.problem(p, "start a new"),
        }
    }

    fn prune_if_due(&mut self) {
        if self.pruned.is_some_and(|t| t.elapsed() < PRUNE_EVERY) {
            return;
        }
        let Some(conn) = &self.conn else { return };
        self.pruned = Some(Instant::now());
        let cutoff: DateTime<Utc> = Utc::now() - TimeDelta::days(i64::from(self.keep_days));
        if let Err(p) = store::prune(conn, cutoff) {
            self.problem(p, "prune");
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.connect();
        let Some(conn) = self.conn.as_mut() else {
            // No file to write to (said when opening): these are lost.
            self.drop_pending();
            return;
        };
        match store::write(conn, &self.pending, &self.endpoint) {
            Ok(()) => self.drop_pending(),
            Err(p) if p.kind == Kind::Locked => {
                self.problem(p, "write");
                // Kept, within bounds: the oldest go first.
                while self.rows > MAX_KEPT && !self.pending.is_empty() {
                    let o = self.pending.remove(0);
                    self.rows -= o.len();
                }
            }
            Err(p) if p.kind == Kind::Corrupt => {
                self.start_anew(p);
                if let Some(conn) = self.conn.as_mut()
                    && let Err(p) = store::write(conn, &self.pending, &self.endpoint)
                {
                    self.problem(p, "write");
                }
                self.drop_pending();
            }
            Err(p) => {
                self.problem(p, "write");
                self.drop_pending();
            }
        }
        self.prune_if_due();
    }

    fn drop_pending(&mut self) {
        self.pending.clear();
        self.rows = 0;
    }
}
