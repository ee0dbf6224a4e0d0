//! The local history of what copyjobs saw, kept across sessions: every job
//! seen and every status change with the instants that bound it. The API
//! says when a copy was created and what state it is in, never when it
//! finished; a refresh that sees a job go from InProgress to Completed knows
//! its end within one refresh interval, and kept, those ends give how long
//! copies take and when a running one should be done.
//!
//! SQLite in the state directory (`history.db`), written by a thread of its
//! own in batches (see `writer`), read on a blocking thread (see `read`);
//! the durations and estimates are pure (see `stats`).

pub mod finish;
pub mod group;
pub mod observe;
pub mod read;
pub mod stats;
pub mod store;
mod writer;

pub use finish::{Expected, expected};
pub use group::Group;
pub use observe::{Change, Observed};
pub use read::{Known, Query, Reader};
pub use stats::{Durations, Eta, Groups, MIN_SAMPLES, Sample, Took};
pub use store::{Kind, Problem};
pub use writer::Say;

use crate::watch::Engine;
use crate::watch::driver::Driver;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use writer::{Msg, Writer};

/// The file's name in the state directory.
pub const FILE: &str = "history.db";

pub use crate::config::history::DEFAULT_KEEP_DAYS;

/// Answers waiting for the writer, at most: a writer that stalls (a file
/// locked for long) costs a bounded amount of memory, and the one that
/// records never waits.
const QUEUE: usize = 1024;

/// Where the history is kept: `$XDG_STATE_HOME/copyjobs/history.db`.
pub fn default_path() -> Option<PathBuf> {
    crate::config::state_dir().map(|d| d.join(FILE))
}

/// How a history is opened.
#[derive(Clone)]
pub struct Options {
    pub path: PathBuf,
    pub keep_days: u32,
    /// Where the jobs are read from (`--endpoint-url`; "" for AWS): kept
    /// with each job, so a demo's jobs can be told from a real account's.
    pub endpoint: String,
    /// Rows a batch, and how long the first one waits for more.
    pub batch: usize,
    pub linger: Duration,
    /// Told each kind of problem once.
    pub say: Option<Say>,
    /// The most pages the file may grow to: a full disk, for tests.
    pub max_pages: Option<i64>,
}

impl Options {
    pub fn at(path: PathBuf) -> Options {
        Options {
            path,
            keep_days: DEFAULT_KEEP_DAYS,
            endpoint: String::new(),
            batch: 1000,
            linger: Duration::from_millis(500),
            say: None,
            max_pages: None,
        }
    }
}

/// The writing end: cheap to clone, never blocks whoever records. When the
/// last clone is dropped, what waits is written and the writer ends.
#[derive(Clone)]
pub struct History {
    inner: Arc<Inner>,
}

struct Inner {
    tx: Mutex<Option<SyncSender<Msg>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    path: PathBuf,
    /// Answers dropped because the writer was behind: said once.
    dropped: std::sync::atomic::AtomicBool,
    say: Option<Say>,
}

impl History {
    /// Starts the writer; the file is opened (and checked, or moved aside)
    /// on the writer's thread, so this returns at once.
    pub fn open(options: Options) -> History {
        let (tx, rx) = std::sync::mpsc::sync_channel(QUEUE);
        let mut w = Writer::new(
            options.path.clone(),
            options.endpoint,
            options.keep_days,
            options.say.clone(),
        );
        w.batch = options.batch.max(1);
        w.linger = options.linger;
        w.max_pages = options.max_pages;
        let thread = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || w.run(rx))
            .ok();
        History {
            inner: Arc::new(Inner {
                tx: Mutex::new(Some(tx)),
                thread: Mutex::new(thread),
                path: options.path,
                dropped: std::sync::atomic::AtomicBool::new(false),
                say: options.say,
            }),
        }
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Hands one answer's observations to the writer; never waits.
    pub fn record(&self, observed: Observed) {
        let tx = self.inner.tx.lock().unwrap_or_else(|e| e.into_inner());
        let Some(tx) = tx.as_ref() else { return };
        if let Err(TrySendError::Full(_)) = tx.try_send(Msg::Record(observed))
            && !self
                .inner
                .dropped
                .swap(true, std::sync::atomic::Ordering::Relaxed)
            && let Some(say) = &self.inner.say
        {
            say("history: the writer is behind; some observations were not kept");
        }
    }

    /// Waits until everything recorded so far is written (or given up on).
    pub fn flush(&self) {
        let (done, wait) = std::sync::mpsc::sync_channel(1);
        let sent = {
            let tx = self.inner.tx.lock().unwrap_or_else(|e| e.into_inner());
            tx.as_ref()
                .is_some_and(|tx| tx.send(Msg::Flush(done)).is_ok())
        };
        if sent {
            let _ = wait.recv();
        }
    }

    /// A reader of the same file.
    pub fn reader(&self) -> Reader {
        Reader::at(self.inner.path.clone())
    }

    /// Records every answer `driver` runs through `engine` (the headless
    /// verbs): the engine reports what it saw, the driver hands it here.
    pub fn attach(&self, engine: &mut Engine, driver: &mut Driver) {
        engine.report_seen = true;
        let history = self.clone();
        driver.observer = Some(Arc::new(move |engine, source, applied| {
            if let Some(o) = Observed::of(engine, source, applied) {
                history.record(o);
            }
        }));
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel ends the writer once it has written the rest.
        drop(self.tx.lock().unwrap_or_else(|e| e.into_inner()).take());
        if let Some(t) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests;
