//! What the engine asks of the network and what comes back. The engine only
//! builds these (pure); `exec` runs them against a client.

use super::order::Key;
use super::pager::Edge;
use super::source::SourceId;
use crate::aws::Page;
use crate::domain::job::CopyJob;
use crate::domain::query::Filter;

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub source: SourceId,
    /// The source's query this answers; a newer one drops it.
    pub generation: u64,
    pub call: Call,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// The first page of the view, with what the page alone cannot tell: the
    /// in-flight jobs the filter hides, and the newest job of all (where "new"
    /// starts), each only when needed.
    First {
        filter: Filter,
        page_size: usize,
        inflight: Option<Filter>,
        probe: Option<Filter>,
    },
    /// The page after the frontier: by the service's token, or from the
    /// last instant read when the service refuses tokens (`by_bounds`, or
    /// once this one is refused).
    Next {
        filter: Filter,
        page_size: usize,
        token: String,
        by_bounds: bool,
        edge: Option<Edge>,
    },
    /// The incremental refresh: jobs newer than the watermark (`head`), the
    /// tracked jobs still running (`inflight`, one listing), then one Get for
    /// each tracked job that listing no longer shows (`tracked`), and for
    /// `extra` jobs outside any listing (pinned ones).
    Refresh {
        head: Option<Filter>,
        inflight: Option<Filter>,
        tracked: Vec<String>,
        extra: Vec<String>,
    },
    /// The whole listing, for a reader that reads to the end (`list`, the
    /// window reads): creation-time windows read in parallel (`windows`),
    /// answered in parts, in the listing's order, as the windows finish.
    Windows { filter: Filter, page_size: usize },
    /// Every custom model of the source's account and region
    /// (ListCustomModels, every page at `page_size`), for the replication
    /// matrix. Not the engine's: a reader of the window asks it beside the
    /// jobs' [`Call::Windows`], under the same gate (see
    /// `driver::read_models`).
    Models { page_size: usize },
    /// `r`: re-read from the top until the old frontier is passed.
    Reread {
        filter: Filter,
        min_rows: usize,
        until: Option<Key>,
    },
}

/// One per answer; never stored in bulk.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    First {
        page: Page,
        inflight: Vec<CopyJob>,
        newest: Option<CopyJob>,
    },
    Next(Page),
    /// The next page, read by creation time because the service refused the
    /// token: the source pages that way from now on.
    NextByBounds(Page),
    /// The service broke the order or the bounds on the way: the source's
    /// whole listing, read by token and sorted here, replaces its rows.
    Whole(Page),
    /// Every job the refresh saw (a job seen twice keeps its final status),
    /// and the tracked ARNs the service no longer knows.
    Refresh {
        seen: Vec<CopyJob>,
        gone: Vec<String>,
        /// The newest creation time the head listing (all statuses) showed:
        /// only a listing that sees every status may move the watermark.
        head_newest: Option<chrono::DateTime<chrono::Utc>>,
        /// What the service broke of the listings' promises.
        unkept: crate::domain::promises::Unkept,
        /// Gets that failed: what the others answered is kept, and these
        /// are asked again after the source's backoff.
        unanswered: Option<Unanswered>,
    },
    Reread(Page),
    /// The answer to [`Call::Models`]: every model, in the service's order.
    Models(Vec<crate::domain::custom_model::CustomModel>),
    /// A part of a [`Call::Windows`] answer, in the listing's order: with
    /// it, every job on this side of `past` has come (newer than it, newest
    /// first; older, oldest first); `None`, every job of the listing, and
    /// the call is answered. An error ends the call too.
    Part {
        page: Page,
        past: Option<chrono::DateTime<chrono::Utc>>,
    },
}

/// The Gets of a refresh that failed while others answered: the first
/// error (the source's error until they answer) and the ARNs still to ask.
#[derive(Debug, Clone, PartialEq)]
pub struct Unanswered {
    pub error: crate::aws::FetchError,
    pub arns: Vec<String>,
}
