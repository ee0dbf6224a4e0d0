//! What the dashboard starts with: the flags, the environment, the config
//! file and the remembered view, layered once (by `cli::layered`) into one
//! value the dashboard's state is made from.

use crate::watch::SourceSpec;
use crate::watch::notify::Notify;
use chrono::{Duration, FixedOffset};

#[derive(Debug, Clone)]
pub struct Settings {
    /// Rows per page, 1..=1000.
    pub page_size: usize,
    pub refresh_every: Duration,
    /// How far below the newest job a refresh reads again for jobs the
    /// service lists late (`[watch] visibility_lag`).
    pub visibility_lag: Duration,
    /// The user's time zone offset, for display and for typed times.
    pub tz: FixedOffset,
    /// "demo · http://…", for the header.
    pub context: String,
    /// Where the dashboard looks, besides each source's profile and region.
    pub target: crate::aws::Target,
    /// The endpoint the AWS CLI commands it writes name when the target's
    /// came from the environment (`crate::aws::endpoint_in_use`).
    pub cli_endpoint: Option<String>,
    /// The sources (profile × region) to show, in one table.
    pub sources: Vec<SourceSpec>,
    /// How a status change is announced besides the highlight and the log.
    pub notify: Notify,
    /// The keys of every table action (defaults, or the config file's).
    pub keys: crate::config::keys::KeyBindings,
    pub theme: crate::config::theme::Theme,
    /// Where copies of each base model may go (the shipped table, the
    /// config's `[copy_regions]` over it).
    pub copy_regions: crate::domain::copy_regions::CopyRegions,
    /// The table's columns, in order.
    pub columns: Vec<crate::domain::column::Column>,
    /// The Created column's format on wide terminals (strftime).
    pub date_format: String,
    /// The time filters as typed ("7d"), kept so a remembered view stays
    /// relative; the first filter's, from the flags, the view or the config.
    pub typed_times: (String, String),
    /// The column sort the session starts with (a remembered view's).
    pub column_sort: Option<(crate::domain::column::Column, bool)>,
    /// No request that changes anything: R (retry) is off.
    pub read_only: bool,
    /// A region not in copyjobs' list of Bedrock's is taken in S (the list
    /// is out of date): `--any-region`, `allow_unknown_regions`.
    pub allow_unknown_regions: bool,
    /// Mouse reporting: click, wheel, header sort (off with --no-mouse).
    pub mouse: bool,
    /// Where the session logs (and a crash says to look).
    pub log_path: Option<std::path::PathBuf>,
    /// The config's view stamp, recorded with the last view.
    pub config_stamp: String,
    /// The panes the session starts with (a remembered view's).
    pub detail_open: bool,
    pub show_log: bool,
    /// Named and last views, and where they are kept (None: not kept, as
    /// with --fresh's first run or no state directory).
    pub views: crate::config::views::Views,
    pub views_path: Option<std::path::PathBuf>,
    /// Jobs pinned in the last session (ARNs, top first), read back at start.
    pub pinned: Vec<String>,
    /// The replication policy (`--policy`, the config's `[[replicate]]`):
    /// M marks the cells it wants filled, P shows its plan.
    pub policy: Option<crate::domain::policy::Policy>,
}

impl Settings {
    /// The defaults of the command line: 100 rows a page, a refresh every
    /// 10 s, one source from the default chain.
    pub fn new(
        context: impl Into<String>,
        target: crate::aws::Target,
        tz: FixedOffset,
    ) -> Settings {
        Settings {
            page_size: 100,
            refresh_every: Duration::seconds(10),
            visibility_lag: crate::watch::engine::DEFAULT_LAG,
            tz,
            context: context.into(),
            sources: vec![SourceSpec {
                profile: target.profile.clone(),
                region: target.region.clone(),
                account: None,
            }],
            target,
            cli_endpoint: None,
            notify: Notify::default(),
            keys: Default::default(),
            theme: Default::default(),
            copy_regions: crate::domain::copy_regions::CopyRegions::shipped(),
            columns: crate::domain::column::Column::DEFAULT.to_vec(),
            date_format: "%Y-%m-%d %H:%M".into(),
            typed_times: Default::default(),
            column_sort: None,
            read_only: false,
            allow_unknown_regions: false,
            config_stamp: String::new(),
            log_path: None,
            mouse: true,
            detail_open: false,
            show_log: false,
            views: Default::default(),
            views_path: None,
            pinned: Vec::new(),
            policy: None,
        }
    }
}
