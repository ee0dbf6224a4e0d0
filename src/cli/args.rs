//! Command-line definitions: one binary, several verbs, one set of filter flags.

use crate::cli::completions;
use crate::cli::filter_args::FilterArgs;
use crate::emulator::EmulatorOptions;
use clap::{Args, Parser, Subcommand};
use clap_complete::ArgValueCandidates;
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "copyjobs",
    version,
    about = "A terminal dashboard for Amazon Bedrock model copy jobs",
    long_about = "A terminal dashboard for Amazon Bedrock model copy jobs.\n\nWithout a command it opens the dashboard against your AWS account (the AWS CLI's default chain: environment, profiles, SSO). `copyjobs demo` tries it without an account.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// More log output on stderr for serve (-v debug, -vv trace). RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// The config file [default: COPYJOBS_CONFIG, then $XDG_CONFIG_HOME/copyjobs/config.toml]
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub view: ViewArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// Parses the process's arguments; `--config` and `-v` work before the
    /// verb as well as after it.
    pub fn parse_args() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let args = hoist_globals(std::env::args_os().collect());
        let mut command = Cli::command();
        let parsed = command
            .try_get_matches_from_mut(&args)
            .and_then(|m| Cli::from_arg_matches(&m));
        parsed.unwrap_or_else(|e| {
            let e = crate::cli::env_values::name_the_variable(e, &args, &command);
            // `plan` keeps 2 for "something to do": its usage errors are 1.
            if e.use_stderr() && verb_of(&args, &command).as_deref() == Some("plan") {
                let _ = e.print();
                std::process::exit(1);
            }
            e.exit()
        })
    }
}

/// The verb the arguments name: the first of them that is one.
fn verb_of(args: &[std::ffi::OsString], command: &clap::Command) -> Option<String> {
    args.iter().skip(1).find_map(|a| {
        let a = a.to_str()?;
        command
            .get_subcommands()
            .any(|c| c.get_name() == a)
            .then(|| a.to_string())
    })
}

/// The global flags written before the verb, moved just after it.
///
/// The dashboard's own flags may not be mixed with a verb
/// (`args_conflicts_with_subcommands`: `copyjobs --region X list` is
/// refused rather than silently ignored), and clap counts a global flag
/// before the verb as one of them. So `--config PATH`, `--config=PATH` and
/// `-v` found before the first verb are moved after it, where every verb
/// takes them. Anything else before a verb is left for clap to refuse.
pub fn hoist_globals(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let command = Cli::command();
    let verbs: Vec<String> = command
        .get_subcommands()
        .flat_map(|c| std::iter::once(c.get_name()).chain(c.get_all_aliases()))
        .map(str::to_string)
        .collect();
    let mut globals = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let word = args[i].to_string_lossy();
        let verbose = word == "--verbose"
            || (word.len() > 1 && word.starts_with('-') && word[1..].chars().all(|c| c == 'v'));
        if verbose || word.starts_with("--config=") {
            globals.push(args[i].clone());
            i += 1;
        } else if word == "--config" && i + 1 < args.len() {
            globals.extend([args[i].clone(), args[i + 1].clone()]);
            i += 2;
        } else if verbs.iter().any(|v| *v == word) && !globals.is_empty() {
            let mut out = vec![args[0].clone(), args[i].clone()];
            out.extend(globals);
            out.extend(args[i + 1..].iter().cloned());
            return out;
        } else {
            // Not a global flag: whatever comes next is clap's to judge.
            break;
        }
    }
    args
}

/// Where to look: as the AWS CLI resolves it.
#[derive(Debug, Clone, Default, Args)]
pub struct ConnectArgs {
    /// AWS profile (default: AWS_PROFILE, then "default").
    #[arg(long, value_name = "PROFILE", add = ArgValueCandidates::new(completions::profiles))]
    pub profile: Option<String>,
    /// Region (default: AWS_REGION, then the profile's).
    #[arg(long, value_name = "REGION", add = ArgValueCandidates::new(completions::regions))]
    pub region: Option<String>,
    /// Another endpoint, such as `copyjobs serve` (default: AWS_ENDPOINT_URL_BEDROCK, AWS_ENDPOINT_URL).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Several regions in one table (comma-separated); with --profiles, every pair.
    #[arg(long, value_delimiter = ',', value_name = "REGION,…", value_parser = crate::domain::region::parse, conflicts_with = "region", add = ArgValueCandidates::new(completions::regions))]
    pub regions: Vec<String>,
    /// Several profiles in one table (comma-separated); with --regions, every pair.
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "PROFILE,…",
        conflicts_with = "profile",
        add = ArgValueCandidates::new(completions::profiles)
    )]
    pub profiles: Vec<String>,
    /// Take a region not in copyjobs' list of Bedrock's regions (one newer
    /// than the list); else a name not in it is refused as a typo [config: sources.allow_unknown_regions]
    #[arg(long)]
    pub any_region: bool,
    /// Read these accounts (comma-separated ids), through --role-name in each;
    /// with --org or --sso-role, only these of theirs [config: org.accounts]
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "ID,…",
        conflicts_with = "profiles"
    )]
    pub accounts: Vec<String>,
    /// Leave these accounts out of --org or --sso-role [config: org.exclude_accounts]
    #[arg(long, value_delimiter = ',', value_name = "ID,…")]
    pub exclude_accounts: Vec<String>,
    /// Every active account of your AWS organisation (Organizations ListAccounts, from the
    /// management or a delegated administrator account), read through --role-name [config: org.enabled]
    #[arg(long, conflicts_with = "profiles")]
    pub org: bool,
    /// The role to assume in each account (arn:aws:iam::ID:role/ROLE), with your credentials
    /// (--profile, else the default chain) [config: org.role_name]
    #[arg(long, value_name = "ROLE")]
    pub role_name: Option<String>,
    /// Every account your IAM Identity Center session (--profile's sso_session) reaches with
    /// this role, with their names [config: org.sso_role]
    #[arg(long, value_name = "ROLE", conflicts_with = "profiles")]
    pub sso_role: Option<String>,
    /// Requests in flight at once, every source together: many sources are
    /// read a few at a time, not all at once [default: 16]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub max_in_flight: Option<u16>,
}

impl ConnectArgs {
    pub fn target(&self) -> crate::aws::Target {
        crate::aws::Target {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            max_in_flight: self.max_in_flight.map(usize::from),
            ..Default::default()
        }
    }

    /// The sources to read: every profile in every region.
    pub fn sources(&self) -> Vec<crate::watch::SourceSpec> {
        crate::watch::SourceSpec::product(&self.named_profiles(), &self.named_regions())
    }

    /// The accounts to discover, as the flags say (the config fills what
    /// they leave out: `cli::layered::fill_org`).
    pub fn discovery(&self) -> crate::aws::discover::Discovery {
        crate::aws::discover::Discovery {
            accounts: self.accounts.clone(),
            exclude: self.exclude_accounts.clone(),
            org: self.org,
            role_name: self.role_name.clone(),
            sso_role: self.sso_role.clone(),
        }
    }

    /// `--profiles`, else `--profile`; empty when neither is given.
    pub fn named_profiles(&self) -> Vec<String> {
        if self.profiles.is_empty() {
            self.profile.iter().cloned().collect()
        } else {
            self.profiles.clone()
        }
    }

    /// `--regions`, else `--region`; empty when neither is given.
    pub fn named_regions(&self) -> Vec<String> {
        if self.regions.is_empty() {
            self.region.iter().cloned().collect()
        } else {
            self.regions.clone()
        }
    }
}

/// What the dashboard shows and how it pages and refreshes.
#[derive(Debug, Clone, Args)]
pub struct ViewArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Seconds between live refreshes, 1 to 3600 (p pauses, + and - change it live) [default: 10]
    #[arg(long, value_name = "SECONDS", env = "COPYJOBS_REFRESH", value_parser = clap::value_parser!(u32).range(i64::from(crate::config::REFRESH_MIN)..=i64::from(crate::config::REFRESH_MAX)))]
    pub refresh: Option<u32>,
    /// Jobs per page request, 1 to 1000 [default: 100]
    #[arg(long, value_name = "N", env = "COPYJOBS_PAGE_SIZE", value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: Option<u16>,
    /// Open the view saved under NAME (:save NAME in the dashboard).
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// The replication policy M marks and P plans ([[replicate]] tables) [default: the config's]
    #[arg(long, value_name = "PATH")]
    pub policy: Option<std::path::PathBuf>,
    /// No mouse: clicks and the wheel go to the terminal (to select text) [config: view.mouse]
    #[arg(long)]
    pub no_mouse: bool,
    /// The dashboard's log file [default: $XDG_STATE_HOME/copyjobs/copyjobs.log]
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<std::path::PathBuf>,
    /// Send nothing that changes anything: R and C are off [config: view.read_only]
    #[arg(long)]
    pub read_only: bool,
    /// At exit, print frames drawn, requests by operation and peak memory (for a bug report).
    #[arg(long)]
    pub stats: bool,
    /// Start clean: not the last view of these sources (it is still saved on quit).
    #[arg(long)]
    pub fresh: bool,
    /// dark, light, high-contrast, or a theme file [default: dark]
    #[arg(long, value_name = "THEME", env = "COPYJOBS_THEME", add = ArgValueCandidates::new(completions::themes))]
    pub theme: Option<String>,
    #[command(flatten)]
    pub notify: NotifyArgs,
    #[command(flatten)]
    pub lag: LagArgs,
    #[command(flatten)]
    pub history: HistoryArgs,
}

/// How late the service may list a new job (`[watch] visibility_lag`).
#[derive(Debug, Clone, Default, Args)]
pub struct LagArgs {
    /// Seconds below the newest job each refresh reads again, for jobs the
    /// service lists late [default: 300, or the config's watch.visibility_lag]
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u32).range(0..=86_400))]
    pub visibility_lag: Option<u32>,
}

impl LagArgs {
    /// The flag, else the config's value.
    pub fn fill(&mut self, loaded: &crate::config::Loaded) {
        self.visibility_lag
            .get_or_insert(loaded.config.watch.visibility_lag);
    }

    pub fn lag(&self) -> chrono::Duration {
        self.visibility_lag
            .map_or(crate::watch::engine::DEFAULT_LAG, |s| {
                chrono::Duration::seconds(i64::from(s))
            })
    }
}

/// Whether what is seen is kept in the local history (`history` in the
/// config).
#[derive(Debug, Clone, Default, Args)]
pub struct HistoryArgs {
    /// Keep no history of what is seen (it gives `durations` and the ETAs) [config: history]
    #[arg(long)]
    pub no_history: bool,
    /// The config's `[history] keep_days`.
    #[arg(skip)]
    pub keep_days: Option<u32>,
}

impl HistoryArgs {
    /// The config's `history`: off there is off; the flag only turns off.
    pub fn fill(&mut self, loaded: &crate::config::Loaded) {
        let h = &loaded.config.history;
        self.no_history |= !h.enabled;
        self.keep_days.get_or_insert(h.keep_days);
    }

    /// Where and how to keep the history, unless turned off (or there is
    /// no state directory).
    pub fn options(&self, endpoint: Option<&str>) -> Option<crate::history::Options> {
        if self.no_history {
            return None;
        }
        let mut options = crate::history::Options::at(crate::history::default_path()?);
        options.keep_days = self.keep_days.unwrap_or(crate::history::DEFAULT_KEEP_DAYS);
        options.endpoint = endpoint.unwrap_or_default().to_string();
        Some(options)
    }

    /// The history's writer, unless turned off (or there is no state
    /// directory); each kind of problem is told through `say`, once.
    pub fn open(
        &self,
        endpoint: Option<&str>,
        say: crate::history::Say,
    ) -> Option<crate::history::History> {
        let mut options = self.options(endpoint)?;
        options.say = Some(say);
        Some(crate::history::History::open(options))
    }

    /// [`HistoryArgs::open`] for a headless verb: problems on stderr.
    pub fn open_headless(&self, endpoint: Option<&str>) -> Option<crate::history::History> {
        self.open(
            endpoint,
            std::sync::Arc::new(|m: &str| {
                eprintln!("copyjobs: {}", crate::output::sanitize::clean(m));
            }),
        )
    }
}

/// How a status change is announced (besides the highlight and the log).
#[derive(Debug, Clone, Default, Args)]
pub struct NotifyArgs {
    /// Ring the terminal bell when a job changes status.
    #[arg(long)]
    pub bell: bool,
    /// A desktop notification through the terminal (OSC 9 and OSC 777; passes through tmux).
    #[arg(long)]
    pub notify: bool,
    /// Run CMD (no shell; words split as a shell would) on each change, the job's JSON on
    /// stdin and COPYJOBS_STATUS, COPYJOBS_PREVIOUS_STATUS (empty for a new job),
    /// COPYJOBS_JOB_ARN and COPYJOBS_REGION in its environment. CMD must be on PATH (or a
    /// path to a program): checked at start.
    #[arg(long, value_name = "'CMD ARGS…'", value_parser = hook)]
    pub on_change: Option<Hook>,
}

impl NotifyArgs {
    pub fn notify(&self) -> crate::watch::notify::Notify {
        crate::watch::notify::Notify {
            bell: self.bell,
            desktop: self.notify,
            on_change: self.on_change.clone().map(|h| h.0),
        }
    }
}

/// The hook's words, split once when the flag is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook(pub Vec<String>);

/// The hook's words, its program found now rather than at the first change.
fn hook(s: &str) -> Result<Hook, String> {
    let words = crate::watch::notify::parse_hook(s)?;
    crate::config::program::find(&words[0]).map_err(|e| format!("--on-change: {e}"))?;
    Ok(Hook(words))
}

// Parsed once at start and matched once: the size of `demo`'s options costs
// nothing worth a box.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The config file: print the documented default, or where it is read from.
    Config {
        /// Print the documented default config (every key, with comments).
        #[arg(long, conflicts_with = "path")]
        print_default: bool,
        /// Print the path the config is read from, and whether it exists.
        #[arg(long)]
        path: bool,
        /// Read the config and report any problem, as the dashboard would.
        #[arg(long, conflicts_with_all = ["print_default", "path"])]
        check: bool,
    },
    /// Run the local Bedrock endpoint alone, for the AWS CLI, SDKs and scripts.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:4566")]
        addr: SocketAddr,
        #[command(flatten)]
        emulator: EmulatorOptions,
    },
    /// The dashboard against the local endpoint with demo data: no AWS account needed.
    Demo {
        #[command(flatten)]
        emulator: EmulatorOptions,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Print every job matching the filters (all pages), as a table, JSON, JSON lines or CSV.
    List(ListArgs),
    /// Print one job (GetModelCopyJob).
    Get(GetArgs),
    /// Print a line per status change and per new job, as they happen, until interrupted.
    Watch(WatchArgs),
    /// Wait until the selected jobs finish: exit 0 if all completed, 1 if any failed, 3 on timeout.
    ///
    /// Exit codes: 0 every job completed; 1 any failed (their failure messages
    /// on stderr); 2 a usage error; 3 timed out; 4 the service refused or could
    /// not be reached; 5 no job matches the filters (nothing was waited for);
    /// 130 interrupted by Ctrl-C (the last progress line is left on screen and
    /// what was seen is kept in the history).
    Wait(WaitArgs),
    /// Why copies fail, and how often: the failed jobs grouped by cause.
    ///
    /// Reads every Failed job the filters select (all pages, every source merged)
    /// and groups them by failure message, with the parts that vary from job to
    /// job (ARNs, account ids, request ids, KMS keys, regions, model names,
    /// numbers) folded into placeholders such as <arn> and <account>, so one
    /// cause is one group. Most common first, each with its share, first and
    /// newest occurrence, source accounts and newest jobs. --status other than
    /// failed is refused.
    Failures(FailuresArgs),
    /// How long copies take: per base model and region, from the local history.
    ///
    /// Every copy that copyjobs (the dashboard, watch, wait, copy --wait, retry
    /// --wait) saw end, its end known within one refresh: per base model and
    /// variant copied into one region, the count, the median and the 90th
    /// percentile of their durations, and when the newest ended. Reads
    /// $XDG_STATE_HOME/copyjobs/history.db only: nothing is sent. The completed
    /// copies, or with --status failed the failed ones; --region/--regions keep
    /// those regions, --profile/--profiles the jobs first seen through those
    /// profiles.
    Durations(DurationsArgs),
    /// Where each model is: a row per source model, a column per region, the newest copy in each cell.
    ///
    /// Reads every job the filters select from every source (all pages, merged),
    /// of every status as M does (--status is not applied: a cell is the newest
    /// copy, whatever its status),
    /// and shows, for each source model (its name, account, region and base
    /// model), the newest copy into each region of the sources read: ✔
    /// completed (started how long ago), ◐ running (for how long), ✘ failed (the
    /// cause, as `failures` groups it), · no copy, ⊘ a region copies of its base
    /// model cannot go to (the Bedrock user guide's table; [copy_regions] in the
    /// config changes it), ● the model's own region, ×N when there are N copies.
    /// json: an array of {sourceModelArn, sourceModelName, sourceAccountId,
    /// sourceRegion, baseModel, regions: {REGION: {status, jobArn, creationTime,
    /// targetModelArn, copies}}}, a region only where a copy exists. csv: a row
    /// per model and region.
    Models(ModelsArgs),
    /// The activity in numbers: copies a day by status, the failed share, copies by region.
    ///
    /// Over the jobs the filters select (all pages, every source merged): for
    /// each day of the window (in the config's time_zone) the copies started by
    /// status and the share of the finished ones that failed, then the copies
    /// by destination region. json: {timeZone, from, to, total, days: [{date,
    /// …}], regions: [{region, …}]}, each with copies, completed, failed,
    /// inProgress, other and failedShare (0 to 1, null when none finished).
    Stats(StatsArgs),
    /// Copy a model to more regions: one CreateModelCopyJob per region, at once, idempotent.
    Copy(CopyArgs),
    /// Retry failed copies: the same CreateModelCopyJob again, in the job's region.
    Retry(RetryArgs),
    /// What the replication policy wants and is missing: per model and region, copy, in progress, retry, cannot or ok.
    ///
    /// Reads the models and their copies as `models` does (the policy's
    /// regions are read besides the sources'), picks the models each
    /// [[replicate]] rule of the policy (--policy PATH, else the config's)
    /// picks, and says for each region the rule names: copy (no copy
    /// there), in progress (a copy running), retry (the newest copy failed:
    /// its cause), cannot (its base model cannot go there), ok. json: an
    /// array of {sourceModelArn, sourceModelName, sourceAccountId, region,
    /// action (copy, in-progress, retry, cannot, ok), detail, jobArn,
    /// targetModelName}. Exit codes: 0 done (with --detailed-exitcode: in
    /// sync, nothing for apply to do); 2 with --detailed-exitcode, something
    /// to copy or retry; 1 any error, usage errors included.
    Plan(PlanArgs),
    /// Create the copies the plan says are missing (copy and retry), idempotent.
    ///
    /// The plan's copy and retry steps, each one CreateModelCopyJob in its
    /// region with a clientRequestToken derived from the model, region, name,
    /// KMS key and tags (a retry's also from the failed job), so a run
    /// interrupted and run again creates each copy once. Asks on a terminal;
    /// without one, --yes is needed. Exit codes: 0 every create sent (with
    /// --wait: every copy completed); 1 any create refused (the others are
    /// still sent) or, with --wait, any copy failed; 2 a usage error or
    /// read-only; 3 --wait timed out.
    Apply(ApplyArgs),
    /// Print a shell's completion script: verbs, flags, values, and your AWS profiles and
    /// Bedrock's regions as you type (`source <(copyjobs completions bash)`).
    Completions {
        #[arg(value_enum)]
        shell: completions::Shell,
    },
    /// Print the man page (the program's, or a verb's), or write every page to a directory.
    Man {
        /// A verb's page (copyjobs-list) rather than the program's.
        #[arg(value_name = "VERB", add = ArgValueCandidates::new(completions::verbs))]
        verb: Option<String>,
        /// Write every page (copyjobs.1, copyjobs-list.1, …) here instead.
        #[arg(long, value_name = "DIR", conflicts_with = "verb")]
        dir: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailuresFormat {
    /// A block per cause, wrapped to the terminal
    Table,
    /// An array of {pattern, count, first, newest, sourceAccounts, jobArns, example}
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DurationsFormat {
    /// A row per group, newest first
    Table,
    /// An array of {baseModel, region, count, p50Seconds, p90Seconds, newest}
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct DurationsArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[arg(short, long, value_enum, default_value_t = DurationsFormat::Table)]
    pub output: DurationsFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelsFormat {
    /// The matrix, fitted to the terminal
    Table,
    /// An array of models, each with its regions' newest copies
    Json,
    /// A row per model and region
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StatsFormat {
    /// A line per day with a stacked bar, then a line per region
    Table,
    /// {timeZone, from, to, total, days, regions}
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GetFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WatchFormat {
    Text,
    Jsonl,
}

#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format; json is what `aws bedrock list-model-copy-jobs` prints, so jq filters written for the AWS CLI work.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub output: ListFormat,
    /// The table's columns, by the dashboard's names (comma-separated): status, name, region,
    /// profile, created, age, ran, source_model, source_account, tags, job_arn,
    /// target_model_arn, source_model_arn, kms_key
    /// [default: status,name,created,age,source_model,source_account,tags]
    #[arg(long, value_delimiter = ',', value_name = "COLUMN,…", value_parser = crate::domain::column::Column::parse, add = ArgValueCandidates::new(completions::columns))]
    pub columns: Option<Vec<crate::domain::column::Column>>,
    /// Stop after this many jobs.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Jobs per request, 1 to 1000 (the largest is fastest).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: u16,
    /// Creation-time windows read at once, all sources together (no --limit); 1 reads page after page.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=32))]
    pub concurrency: u8,
}

#[derive(Debug, Clone, Args)]
pub struct FailuresArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = FailuresFormat::Table)]
    pub output: FailuresFormat,
    /// Jobs per request, 1 to 1000 (the largest is fastest).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: u16,
}

#[derive(Debug, Clone, Args)]
pub struct ModelsArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ModelsFormat::Table)]
    pub output: ModelsFormat,
    /// Jobs per request, 1 to 1000 (the largest is fastest).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: u16,
}

#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = StatsFormat::Table)]
    pub output: StatsFormat,
    /// Jobs per request, 1 to 1000 (the largest is fastest).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: u16,
}

#[derive(Debug, Clone, Args)]
pub struct GetArgs {
    /// The job's ARN (arn:aws:bedrock:REGION:ACCOUNT:model-copy-job/ID).
    pub job_arn: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[arg(short, long, value_enum, default_value_t = GetFormat::Table)]
    pub output: GetFormat,
}

#[derive(Debug, Clone, Args)]
pub struct WatchArgs {
    /// Watch only these jobs (pinned); without any, the jobs matching the filters.
    #[arg(value_name = "JOB_ARN")]
    pub job_arns: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Seconds between polls.
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = seconds)]
    pub interval: f64,
    #[arg(short, long, value_enum, default_value_t = WatchFormat::Text)]
    pub output: WatchFormat,
    /// Print no line per change (problems still go to stderr): a watch left
    /// running to keep the history (hooks and notifications still run).
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub notify: NotifyArgs,
    #[command(flatten)]
    pub lag: LagArgs,
    #[command(flatten)]
    pub history: HistoryArgs,
}

#[derive(Debug, Clone, Args)]
pub struct WaitArgs {
    /// Jobs to wait for; without any, the jobs matching the filters.
    #[arg(value_name = "JOB_ARN")]
    pub job_arns: Vec<String>,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Give up after this long (90s, 30m, 2h, 1d): exit code 3.
    #[arg(long, value_name = "DURATION", value_parser = span)]
    pub timeout: Option<std::time::Duration>,
    /// Seconds between polls.
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = seconds)]
    pub interval: f64,
    #[command(flatten)]
    pub history: HistoryArgs,
}

fn seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("'{s}' is not a number of seconds above 0")),
    }
}

/// `90s`, `30m`, `2h`, `1d`, or plain seconds.
pub fn span(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("'{s}' is not a duration: use 90s, 30m, 2h or 1d"))?;
    let mult = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1.0,
        "m" | "min" | "mins" => 60.0,
        "h" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        _ => return Err(format!("'{s}' is not a duration: use 90s, 30m, 2h or 1d")),
    };
    std::time::Duration::try_from_secs_f64(n * mult)
        .map_err(|_| format!("'{s}' is not a duration: use 90s, 30m, 2h or 1d"))
}

/// What `copy` and `retry` share: who sends, how to wait, print and not send.
#[derive(Debug, Clone, Args)]
pub struct ActionArgs {
    /// The profile to send with (each request goes to its own region).
    #[arg(long, value_name = "PROFILE", add = ArgValueCandidates::new(completions::profiles))]
    pub profile: Option<String>,
    /// Another endpoint, such as `copyjobs serve`.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Print the requests as AWS CLI commands and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Take a --to region not in copyjobs' list of Bedrock's regions (one
    /// newer than the list) [config: sources.allow_unknown_regions]
    #[arg(long)]
    pub any_region: bool,
    /// Send nothing that changes anything: refused, unless --dry-run [config: view.read_only]
    #[arg(long)]
    pub read_only: bool,
    /// Watch the new jobs to the end: exit 0 all completed, 1 any failed, 3 on timeout.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up after this long (90s, 30m, 2h, 1d): exit code 3.
    #[arg(long, value_name = "DURATION", value_parser = span, requires = "wait")]
    pub timeout: Option<std::time::Duration>,
    /// With --wait: seconds between polls.
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = seconds)]
    pub interval: f64,
    #[arg(short, long, value_enum, default_value_t = ActionFormat::Table)]
    pub output: ActionFormat,
    #[command(flatten)]
    pub history: HistoryArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ActionFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct CopyArgs {
    /// The model to copy (arn:aws:bedrock:REGION:ACCOUNT:custom-model/…).
    #[arg(value_name = "SOURCE_MODEL_ARN")]
    pub source_model_arn: String,
    /// The regions to copy into (comma-separated).
    #[arg(long, required = true, value_delimiter = ',', value_name = "REGION,…", value_parser = crate::domain::region::parse, add = ArgValueCandidates::new(completions::regions))]
    pub to: Vec<String>,
    /// The copy's name [default: the source model's name and "-copy"].
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// A KMS key for one region's copy (repeatable): REGION=KEY_ARN.
    #[arg(long = "kms-key", value_name = "REGION=ARN", value_parser = region_value)]
    pub kms_keys: Vec<(String, String)>,
    /// A tag for the copies (repeatable): KEY=VALUE.
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = key_value)]
    pub tags: Vec<(String, String)>,
    #[command(flatten)]
    pub action: ActionArgs,
}

/// What `plan` and `apply` share: the policy, and where models are read.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// The policy file ([[replicate]] tables) [default: the config's [[replicate]] tables]
    #[arg(long, value_name = "PATH")]
    pub policy: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Jobs per request, 1 to 1000 (the largest is fastest).
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub page_size: u16,
}

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = PlanFormat::Table)]
    pub output: PlanFormat,
    /// Exit 0 when in sync, 2 when apply has something to do, 1 on any error (as Terraform's plan).
    #[arg(long)]
    pub detailed_exitcode: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Send without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Create at most N copies this run (the plan's first N); the rest wait for the next run.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max: Option<u32>,
    /// Send nothing that changes anything: refused, unless --dry-run [config: view.read_only]
    #[arg(long)]
    pub read_only: bool,
    /// Print the requests as AWS CLI commands and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Watch the new jobs to the end: exit 0 all completed, 1 any failed, 3 on timeout.
    #[arg(long)]
    pub wait: bool,
    /// With --wait: give up after this long (90s, 30m, 2h, 1d): exit code 3.
    #[arg(long, value_name = "DURATION", value_parser = span, requires = "wait")]
    pub timeout: Option<std::time::Duration>,
    /// With --wait: seconds between polls.
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = seconds)]
    pub interval: f64,
    #[arg(short, long, value_enum, default_value_t = ActionFormat::Table)]
    pub output: ActionFormat,
    #[command(flatten)]
    pub history: HistoryArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RetryArgs {
    /// The failed jobs to retry.
    #[arg(value_name = "JOB_ARN", required = true)]
    pub job_arns: Vec<String>,
    #[command(flatten)]
    pub action: ActionArgs,
}

fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("'{s}' is not KEY=VALUE")),
    }
}

fn region_value(s: &str) -> Result<(String, String), String> {
    let (r, v) = key_value(s).map_err(|_| format!("'{s}' is not REGION=KEY_ARN"))?;
    Ok((crate::domain::region::parse(&r)?, v))
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
