//! What flows into `update` and what comes out of it.

use crate::aws::FetchError;
use crate::watch::notify::Notify;
use crate::watch::{Event, Outcome, Request, SourceId, SourceSpec};
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

/// Everything that can happen to the dashboard. Time arrives in messages:
/// `update` never reads a clock. A few a second at most, so the size of
/// `Loaded` does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Msg {
    /// The first message: every source asks for its first page.
    Start(DateTime<Utc>),
    /// Time has passed; timers that are due fire (refresh, highlight expiry).
    Tick(DateTime<Utc>),
    Key(KeyEvent),
    /// The table's body height changed (the terminal was resized, a pane opened).
    Viewport(usize),
    /// A click on the table's row `view` index (the loop measured it).
    ClickRow(usize),
    /// The wheel: rows to move, down when positive.
    Scroll(i32),
    /// A click on a column's header: sort the loaded rows by it.
    SortBy(crate::domain::column::Column),
    /// A source's request finished. `generation` names the query it answers.
    Loaded {
        source: SourceId,
        generation: u64,
        result: Result<Outcome, FetchError>,
        at: DateTime<Utc>,
    },
    /// A source's client is configured: the region it signs for.
    Connected {
        source: SourceId,
        region: String,
    },
    /// An export found its file already there: ask before replacing it.
    ExportExists {
        path: std::path::PathBuf,
        jobs: Vec<crate::domain::job::CopyJob>,
    },
    /// An export finished: where, how many rows, or why not.
    Exported(Result<(std::path::PathBuf, usize), String>),
    /// The profiles of the AWS config files, for the source picker.
    KnownProfiles(Vec<String>),
    /// Writing the views file failed.
    ViewsNotSaved(String),
    /// A retry was sent: the new job, or the service's refusal.
    Created {
        source: Option<SourceId>,
        origin: Option<String>,
        region: String,
        result: Result<crate::domain::job::CopyJob, String>,
    },
    /// A create was answered with the job an identical request made before
    /// (its token was recorded with this job): nothing new to log.
    CreatedAgain {
        source: Option<SourceId>,
        origin: Option<String>,
        region: String,
        job: crate::domain::job::CopyJob,
    },
    /// Jobs read so far by a read of the whole window (`Effect::ReadWindow`).
    WindowProgress {
        generation: u64,
        read: usize,
    },
    /// Sources a read of the window could not read (label, the service's
    /// answer); the jobs that follow are of the others.
    WindowRefused {
        generation: u64,
        refused: Vec<(String, String)>,
    },
    /// The custom models of the sources a read of the window for `M`
    /// listed (ListCustomModels), sent before its jobs.
    WindowModels {
        generation: u64,
        models: Vec<crate::domain::custom_model::CustomModel>,
    },
    /// Every job of the window, or why not.
    WindowRead {
        generation: u64,
        result: Result<Vec<crate::domain::job::CopyJob>, String>,
    },
    /// Last session's pins of a source, read back (or why not).
    PinsRestored {
        source: SourceId,
        jobs: Vec<crate::domain::job::CopyJob>,
        missing: Vec<super::pins::Missing>,
    },
    /// What the local history measured, per group (read after the first
    /// frame, and again as copies finish).
    Durations(crate::history::Groups),
    /// How long a finished job took, as the history bounds it.
    Took {
        arn: String,
        took: Option<crate::history::Took>,
    },
    /// The history could not be read or written: said once, and the rest
    /// goes on.
    HistoryProblem(String),
    /// A notification hook failed; logged, never fatal.
    HookFailed(String),
    /// Reading the terminal failed; shown, and the loop goes on.
    InputError(String),
}

/// Work for the effects runner: all I/O happens there.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Run a source's request; a newer request of the same source replaces
    /// (aborts) the one in flight.
    Fetch { spec: SourceSpec, request: Request },
    /// A source was removed: abort whatever it has in flight.
    Forget(SourceId),
    /// Read the profile names of the AWS config files (for the picker).
    LoadProfiles,
    /// Put text on the clipboard through the terminal (OSC 52).
    Copy(String),
    /// Write jobs to a file (CSV, or JSON for a `.json` path); an existing
    /// file only with `overwrite`, after the user said so.
    Export {
        path: std::path::PathBuf,
        jobs: Vec<crate::domain::job::CopyJob>,
        overwrite: bool,
    },
    /// Send a CreateModelCopyJob (a retry of `origin`), then read the new
    /// job back to pin it.
    Create {
        request: crate::domain::copy::CopyRequest,
        /// The source the new job shows under, when its region is one.
        source: Option<SourceId>,
        /// The failed job a retry repeats; None for a copy.
        origin: Option<String>,
        /// The profile to send with (the model's source's); None for the
        /// session's.
        profile: Option<String>,
    },
    /// Read every job of `filter` from every source, all pages (the failure
    /// groups, the matrix); a newer read of the same `purpose` replaces one
    /// still going. `generation` tells its answers from an older read's.
    ReadWindow {
        purpose: Purpose,
        generation: u64,
        filter: crate::domain::query::Filter,
        specs: Vec<SourceSpec>,
    },
    /// Keep the named views (written whole, atomically).
    SaveViews {
        path: std::path::PathBuf,
        views: crate::config::views::Views,
    },
    /// Keep what one answer showed in the local history (off the draw path:
    /// the runner hands it to the history's writer thread).
    Record(Box<crate::history::Observed>),
    /// Read the history's durations per group.
    ReadDurations,
    /// Read how long this finished job took.
    ReadTook(String),
    /// Tell the user a job changed: bell, desktop notification, hook.
    Notify { event: Event, how: Notify },
    /// Read last session's pinned jobs back, one GetModelCopyJob each, with
    /// the source's profile and region.
    RestorePins {
        spec: SourceSpec,
        source: SourceId,
        arns: Vec<String>,
    },
}

/// What a read of the whole window is for: reads of one purpose replace
/// each other, reads of two run side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// `F`: the failed jobs.
    Failures,
    /// `M` and `T`: every job, for the matrix and the charts.
    Overview,
}

/// An answer to a read of the whole window, as the reader takes it.
pub enum WindowAnswer<'m> {
    /// Jobs read so far.
    Progress(usize),
    /// Sources that could not be read (label, the service's answer).
    Refused(&'m [(String, String)]),
    /// Every job, or why not.
    Read(&'m Result<Vec<crate::domain::job::CopyJob>, String>),
}

impl Msg {
    /// This message as an answer to the window read `generation`; None when
    /// it is not one (another read's answers are dropped by their reader).
    pub fn window_answer(&self, generation: u64) -> Option<WindowAnswer<'_>> {
        match self {
            Msg::WindowProgress {
                generation: g,
                read,
            } if *g == generation => Some(WindowAnswer::Progress(*read)),
            Msg::WindowRefused {
                generation: g,
                refused,
            } if *g == generation => Some(WindowAnswer::Refused(refused)),
            Msg::WindowRead {
                generation: g,
                result,
            } if *g == generation => Some(WindowAnswer::Read(result)),
            _ => None,
        }
    }
}
