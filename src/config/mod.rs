//! The config file: what a user sets once instead of on every command line.
//!
//! Precedence, highest first: command-line flags, the environment
//! (`COPYJOBS_*`, and the AWS default chain's `AWS_PROFILE`/`AWS_REGION` for
//! the sources), this file, the built-in defaults. The documented default
//! is `assets/config.toml`, compiled in; a test proves it parses to
//! [`Config::default`], so the two cannot drift.
//!
//! A file is read whole or not at all: any problem is an error with its
//! line and column, and the dashboard does not start on half a config.

pub mod copy_regions;
pub mod created;
pub mod error;
pub mod history;
pub mod keys;
pub mod policy;
pub mod private;
pub mod program;
pub mod settings;
pub mod spans;
pub mod theme;
pub mod views;

use crate::domain::column::Column;
use crate::domain::filter_text::{FilterText, parse_sort};
use crate::domain::query::{Field, echo};
use chrono::{DateTime, FixedOffset, Offset, Utc};
pub use error::ConfigError;
use keys::{Action, KeyBindings, Keys};
use serde::Deserialize;
use serde::de::{self, Deserializer};
pub use settings::Settings;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The documented default config.
pub const DEFAULT_TOML: &str = include_str!("../../assets/config.toml");

/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "COPYJOBS_CONFIG";

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub sources: Sources,
    pub org: Org,
    pub view: ViewSettings,
    pub filter: FilterDefaults,
    pub notify: NotifyDefaults,
    pub watch: WatchDefaults,
    pub keys: BTreeMap<Action, Keys>,
    /// `history = false`, or `[history]` with `enabled` and `keep_days`.
    pub history: history::HistoryDefaults,
    /// Rows of the table of regions a copy can go to, by base model, over
    /// the shipped ones (see [`Loaded::copy_regions`]).
    pub copy_regions: BTreeMap<String, Vec<String>>,
    /// `[[replicate]]`: the replication policy's rules, when the config
    /// holds them (see [`policy`]).
    pub replicate: Vec<policy::RuleText>,
}

/// How the watching engine reads a source.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WatchDefaults {
    /// Seconds below the newest job each refresh reads again, for jobs the
    /// service lists late (eventual consistency).
    #[serde(deserialize_with = "visibility_lag")]
    pub visibility_lag: u32,
}

impl Default for WatchDefaults {
    fn default() -> WatchDefaults {
        WatchDefaults {
            visibility_lag: u32::try_from(crate::watch::engine::DEFAULT_LAG.num_seconds())
                .unwrap_or(300),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sources {
    pub profiles: Vec<String>,
    #[serde(deserialize_with = "regions")]
    pub regions: Vec<String>,
    /// copyjobs' list of Bedrock's regions is out of date: a region not in
    /// it is taken (here, in [copy_regions], in flags and in S) rather than
    /// refused as a typo.
    pub allow_unknown_regions: bool,
}

/// `[org]`: the accounts to read beside (or instead of) the profiles',
/// as the discovery flags name them; a flag overrides its key.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Org {
    /// `--org`.
    pub enabled: bool,
    pub accounts: Vec<String>,
    pub exclude_accounts: Vec<String>,
    pub role_name: Option<String>,
    pub sso_role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ViewSettings {
    #[serde(deserialize_with = "refresh")]
    pub refresh: u32,
    #[serde(deserialize_with = "page_size")]
    pub page_size: u16,
    pub time_zone: TimeZone,
    #[serde(deserialize_with = "date_format")]
    pub date_format: String,
    pub theme: String,
    pub columns: Vec<Column>,
    /// Click selects, the wheel scrolls, a header click sorts.
    pub mouse: bool,
    /// Nothing that changes anything can be sent (R is off).
    pub read_only: bool,
}

impl Default for ViewSettings {
    fn default() -> ViewSettings {
        ViewSettings {
            refresh: 10,
            page_size: 100,
            time_zone: TimeZone::Local,
            date_format: "%Y-%m-%d %H:%M".into(),
            theme: "dark".into(),
            columns: Column::DEFAULT.to_vec(),
            mouse: true,
            read_only: false,
        }
    }
}

/// Where times are shown and typed times are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZone {
    Local,
    Fixed(FixedOffset),
}

impl TimeZone {
    pub fn offset(self) -> FixedOffset {
        match self {
            TimeZone::Local => chrono::Local::now().offset().fix(),
            TimeZone::Fixed(o) => o,
        }
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        let s = String::deserialize(d)?;
        parse_time_zone(&s).map_err(de::Error::custom)
    }
}

/// "local", "utc" or "+02:00".
pub fn parse_time_zone(s: &str) -> Result<TimeZone, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "local" => Ok(TimeZone::Local),
        "utc" | "z" => Ok(TimeZone::Fixed(FixedOffset::east_opt(0).expect("zero"))),
        other => other
            .parse::<FixedOffset>()
            .map(TimeZone::Fixed)
            .map_err(|_| format!("`{}` is not a time zone: use \"local\", \"utc\" or an offset such as \"+02:00\"", echo(s))),
    }
}

/// The default filters, as the flags take them. Kept with their place in
/// the file: they are checked by the flags' own rules, after parsing, and a
/// problem is told at its line in the file's words.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FilterDefaults {
    pub status: Option<Spanned<String>>,
    pub since: Option<Spanned<String>>,
    pub until: Option<Spanned<String>>,
    pub name: Option<Spanned<String>>,
    pub source_account: Option<Spanned<String>>,
    pub source_model_arn: Option<Spanned<String>>,
    pub sort: Option<Spanned<String>>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyDefaults {
    pub bell: bool,
    pub desktop: bool,
    pub on_change: Option<Spanned<String>>,
}

/// The refresh interval's one range, in seconds: the config's `refresh`,
/// `--refresh`, `COPYJOBS_REFRESH` and the `+`/`-` keys all keep to it.
pub const REFRESH_MIN: u32 = 1;
pub const REFRESH_MAX: u32 = 3600;

fn refresh<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    u32::try_from(n)
        .ok()
        .filter(|n| (REFRESH_MIN..=REFRESH_MAX).contains(n))
        .ok_or_else(|| {
            de::Error::custom(format!(
                "refresh is seconds from {REFRESH_MIN} to {REFRESH_MAX}, not {n}"
            ))
        })
}

fn visibility_lag<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    u32::try_from(n)
        .ok()
        .filter(|n| *n <= MAX_LAG)
        .ok_or_else(|| {
            de::Error::custom(format!(
                "visibility_lag is seconds from 0 to {MAX_LAG}, not {n}"
            ))
        })
}

/// A day: a job the service lists later than that is not waited for.
pub const MAX_LAG: u32 = 86_400;

fn page_size<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    let n = i64::deserialize(d)?;
    u16::try_from(n)
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| {
            de::Error::custom(format!(
                "page_size is from 1 to 1000 (the service's maxResults), not {n}"
            ))
        })
}

/// A format the table can write every time with: chrono also reads some
/// specifiers it cannot write (`%#z` is for parsing only), and writing one
/// would panic mid-frame, so the format writes a sample time here first.
/// Whether a format writes does not depend on the time.
fn date_format<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use std::fmt::Write;
    let s = String::deserialize(d)?;
    let sample = DateTime::UNIX_EPOCH.fixed_offset();
    let bad = write!(String::new(), "{}", sample.format(&s)).is_err();
    if bad || s.trim().is_empty() {
        Err(de::Error::custom(format!(
            "`{s}` is not a strftime date format such as \"%Y-%m-%d %H:%M\""
        )))
    } else {
        Ok(s)
    }
}

fn regions<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Vec::<String>::deserialize(d)?
        .iter()
        .map(|r| crate::domain::region::parse(r).map_err(de::Error::custom))
        .collect()
}

/// Where the config file is read from, and why there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// `--config`, `COPYJOBS_CONFIG` or the platform's config directory.
    pub from: &'static str,
    /// Named explicitly: then it must exist.
    pub explicit: bool,
}

/// The platform's config directory (`$XDG_CONFIG_HOME/copyjobs` or
/// `~/.config/copyjobs`).
pub fn config_dir() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|b| b.config_dir().join("copyjobs"))
}

/// Where copyjobs keeps what it writes for itself (remembered views, its
/// log): `$XDG_STATE_HOME/copyjobs`, or the data directory on platforms
/// with no state directory.
pub fn state_dir() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let b = etcetera::choose_base_strategy().ok()?;
    Some(
        b.state_dir()
            .unwrap_or_else(|| b.data_dir())
            .join("copyjobs"),
    )
}

pub fn locate(flag: Option<&Path>) -> Option<Location> {
    if let Some(p) = flag {
        return Some(Location {
            path: p.to_path_buf(),
            from: "--config",
            explicit: true,
        });
    }
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some(Location {
            path: PathBuf::from(p),
            from: CONFIG_ENV,
            explicit: true,
        });
    }
    config_dir().map(|d| Location {
        path: d.join("config.toml"),
        from: "the platform's config directory",
        explicit: false,
    })
}

/// A config as read, with what it resolves to for the dashboard.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
    pub keys: KeyBindings,
    pub theme: crate::config::theme::Theme,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// The file's text (empty for the defaults), to point into it.
    pub text: String,
}

impl Loaded {
    /// A fingerprint of what the config says a view starts as (its default
    /// filters and columns). A remembered view records it: when the file
    /// has changed those since, the file wins, because editing it is a
    /// newer and more deliberate choice than how the last session ended.
    pub fn view_stamp(&self) -> String {
        let f = &self.config.filter;
        let text = |v: &Option<Spanned<String>>| {
            v.as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .unwrap_or_default()
        };
        let parts = [
            text(&f.status),
            text(&f.since),
            text(&f.until),
            text(&f.name),
            text(&f.source_account),
            text(&f.source_model_arn),
            text(&f.sort),
            format!("{:?}", self.config.view.columns),
        ];
        // FNV-1a: stable across builds, unlike std's hasher.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in parts.join("\u{1f}").bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    pub fn defaults() -> Loaded {
        Loaded {
            config: Config::default(),
            keys: KeyBindings::default(),
            theme: crate::config::theme::Theme::default(),
            path: None,
            text: String::new(),
        }
    }

    /// A problem with the setting at `key` (`["view", "read_only"]`), told
    /// at its line; at the file as a whole when the file does not set it.
    pub fn error_at(&self, key: &[&str], message: impl Into<String>) -> ConfigError {
        let path = self.path.as_deref().unwrap_or(Path::new("config.toml"));
        match spans::Spans::parse(&self.text).value(key) {
            Some(at) => ConfigError::at(path, &self.text, at.start, message),
            None => ConfigError::whole(path, message),
        }
    }

    /// The file and line a setting is written on: `/home/me/…/config.toml:3`.
    pub fn line_of(&self, key: &[&str]) -> Option<String> {
        let e = self.error_at(key, "");
        e.line.map(|line| format!("{}:{line}", e.file.display()))
    }

    /// Where a setting is written, as messages name it: `filter.since
    /// (/home/me/.config/copyjobs/config.toml:3)`.
    pub fn place(&self, key: &[&str]) -> String {
        match self.line_of(key) {
            Some(at) => format!("{} ({at})", key.join(".")),
            None => key.join("."),
        }
    }

    /// The config's hook, its program found on PATH: the dashboard and
    /// `watch` check it at start (and `config --check` with them), since
    /// `parse` reads the text alone and knows nothing of this machine.
    pub fn hook(&self) -> Result<Option<Vec<String>>, ConfigError> {
        let text = self
            .config
            .notify
            .on_change
            .as_ref()
            .map_or("", |h| h.get_ref().trim());
        if text.is_empty() {
            return Ok(None);
        }
        let at = |e: String| self.error_at(&["notify", "on_change"], format!("on_change: {e}"));
        let words = crate::watch::notify::parse_hook(text).map_err(at)?;
        program::find(&words[0]).map_err(at)?;
        Ok(Some(words))
    }

    /// The file's default filter as text, with each field it sets named
    /// as the file names it (`filter.since (PATH:LINE)`), for the layers
    /// above to put under what they were given. An empty value is "none".
    pub fn default_filter(&self) -> (FilterText, Vec<(Field, String)>) {
        let f = &self.config.filter;
        let mut text = FilterText::default();
        let mut named = Vec::new();
        for field in Field::ALL {
            let value = f
                .get(field)
                .as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .filter(|s| !s.is_empty());
            if let Some(v) = value {
                // A sort the file gets wrong is told by `check`; here it is
                // left to the default.
                if field == Field::Sort && parse_sort(&v).is_err() {
                    continue;
                }
                *text.get_mut(field) = Some(v);
                if field != Field::Sort {
                    named.push((field, self.place(&["filter", FilterDefaults::key(field)])));
                }
            }
        }
        (text, named)
    }
}

/// Reads the config at `loc`: a missing file at the default place is the
/// defaults; a missing named file, or any problem, is an error.
pub fn load(loc: Option<&Location>, now: DateTime<Utc>) -> Result<Loaded, ConfigError> {
    let Some(loc) = loc else {
        return Ok(Loaded::defaults());
    };
    let text = match std::fs::read_to_string(&loc.path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !loc.explicit => {
            return Ok(Loaded::defaults());
        }
        Err(e) => {
            return Err(ConfigError::whole(
                &loc.path,
                format!("cannot read the config file (named by {}): {e}", loc.from),
            ));
        }
    };
    parse(&loc.path, &text, now)
}

/// Parses and checks a config's text: every value, the filters by the
/// flags' rules, the columns, the theme it names and the key bindings:
/// whatever the dashboard would refuse at start is refused here, at its
/// line, so `config --check` says it first.
pub fn parse(path: &Path, text: &str, now: DateTime<Utc>) -> Result<Loaded, ConfigError> {
    let spans = spans::Spans::parse(text);
    let config: Config = toml::from_str(text).map_err(|e| {
        let key = e.span().map(|s| spans.path_at(s.start)).unwrap_or_default();
        ConfigError::from_toml(path, text, &e, &key)
    })?;
    check_filters(path, text, &config, now)?;
    check_columns(path, text, &spans, &config.view.columns)?;
    let any = config.sources.allow_unknown_regions;
    check_regions(path, text, &spans, &config.sources.regions, any)?;
    check_org(path, text, &spans, &config.org)?;
    copy_regions::check(path, text, &spans, &config.copy_regions, any)?;
    policy::rules(path, text, &config.replicate, any)?;
    if let Some(hook) = &config.notify.on_change
        && !hook.get_ref().trim().is_empty()
        && let Err(e) = crate::watch::notify::parse_hook(hook.get_ref())
    {
        return Err(ConfigError::at(
            path,
            text,
            hook.span().start,
            format!("on_change: {e}"),
        ));
    }
    let keys = KeyBindings::new(&config.keys).map_err(|conflicts| {
        let at = conflict_at(&spans, &config.keys, &conflicts)
            .or_else(|| text.find("[keys]"))
            .unwrap_or(0);
        ConfigError::at(path, text, at, keys::describe(&conflicts))
    })?;
    let theme = theme::resolve(&config.view.theme, path.parent()).map_err(|e| match e {
        theme::ThemeError::Config(msg) => ConfigError::at(path, text, theme_at(text), msg),
        theme::ThemeError::File(err) => err,
    })?;
    Ok(Loaded {
        config,
        keys,
        theme,
        path: Some(path.to_path_buf()),
        text: text.to_string(),
    })
}

/// What a config says when a region is not one of Bedrock's.
pub const UNKNOWN_REGION_HINT: &str =
    "allow_unknown_regions = true in [sources] takes a region newer than copyjobs' list";

/// `[sources] regions`: each one of Bedrock's, unless `any` (the list is
/// out of date), told at its item.
/// `[org]` by the discovery flags' own rules, said at the table's line
/// in its keys' words.
fn check_org(
    path: &Path,
    text: &str,
    spans: &spans::Spans<'_>,
    org: &Org,
) -> Result<(), ConfigError> {
    let d = org.discovery();
    d.check().map_err(|e| {
        let at = spans.value(&["org"]).map_or(0, |r| r.start);
        let words = e
            .replace(
                "--role-name CopyJobsReader",
                "role_name = \"CopyJobsReader\"",
            )
            .replace("--exclude-accounts", "exclude_accounts")
            .replace("--accounts", "accounts")
            .replace("--role-name", "role_name")
            .replace("--sso-role", "sso_role")
            .replace("--org", "enabled = true");
        ConfigError::at(path, text, at, format!("[org] {words}"))
    })
}

impl Org {
    pub fn discovery(&self) -> crate::aws::discover::Discovery {
        crate::aws::discover::Discovery {
            accounts: self.accounts.clone(),
            exclude: self.exclude_accounts.clone(),
            org: self.enabled,
            role_name: self.role_name.clone(),
            sso_role: self.sso_role.clone(),
        }
    }
}

fn check_regions(
    path: &Path,
    text: &str,
    spans: &spans::Spans<'_>,
    regions: &[String],
    any: bool,
) -> Result<(), ConfigError> {
    let key = ["sources", "regions"];
    let items = spans.items(&key);
    for (i, r) in regions.iter().enumerate() {
        if let Err(e) = crate::domain::region::known(r, any) {
            let at = items
                .get(i)
                .map(|r| r.start)
                .or_else(|| spans.value(&key).map(|r| r.start))
                .unwrap_or(0);
            let message = if crate::domain::region::parse(r).is_ok() {
                format!("[sources] regions: {e} ({UNKNOWN_REGION_HINT})")
            } else {
                format!("[sources] regions: {e}")
            };
            return Err(ConfigError::at(path, text, at, message));
        }
    }
    Ok(())
}

/// Where the first conflict was made: the binding that is not the action's
/// default (the one the user changed), else the later of the two; at the
/// key itself when the binding lists several.
fn conflict_at(
    spans: &spans::Spans<'_>,
    bound: &BTreeMap<Action, Keys>,
    conflicts: &[keys::Conflict],
) -> Option<usize> {
    let c = conflicts.first()?;
    let changed = |a: Action| {
        let defaults: Vec<keys::Key> = Action::ALL
            .iter()
            .find(|(x, _, _)| *x == a)
            .map(|(_, _, keys)| {
                keys.iter()
                    .filter_map(|k| keys::Key::parse(k).ok())
                    .collect()
            })
            .unwrap_or_default();
        bound.get(&a).is_some_and(|k| k.0 != defaults)
    };
    let place = |a: Action| spans.value(&["keys", &a.name()]).map(|r| r.start);
    let action = match (place(c.first), place(c.second)) {
        (Some(_), None) => c.first,
        (None, Some(_)) => c.second,
        (Some(a), Some(b)) => match (changed(c.first), changed(c.second)) {
            (true, false) => c.first,
            (false, true) => c.second,
            _ if a > b => c.first,
            _ => c.second,
        },
        (None, None) => return None,
    };
    let items = spans.items(&["keys", &action.name()]);
    let keys = bound
        .get(&action)
        .map(|k| k.0.as_slice())
        .unwrap_or_default();
    items
        .iter()
        .zip(keys)
        .find(|(_, k)| **k == c.key)
        .map(|(r, _)| r.start)
        .or_else(|| place(action))
}

/// A table needs a column, and shows each once.
fn check_columns(
    path: &Path,
    text: &str,
    spans: &spans::Spans<'_>,
    columns: &[Column],
) -> Result<(), ConfigError> {
    let at_value = || spans.value(&["view", "columns"]).map_or(0, |r| r.start);
    if columns.is_empty() {
        return Err(ConfigError::at(
            path,
            text,
            at_value(),
            "`columns` is empty: the table needs at least one column, like [\"status\", \"name\"]",
        ));
    }
    let items = spans.items(&["view", "columns"]);
    for (i, c) in columns.iter().enumerate() {
        if columns[..i].contains(c) {
            let at = items.get(i).map_or_else(at_value, |r| r.start);
            return Err(ConfigError::at(
                path,
                text,
                at,
                format!(
                    "`columns` lists {} twice: each column shows once",
                    items.get(i).map_or("a column", |r| text[r.clone()].trim())
                ),
            ));
        }
    }
    Ok(())
}

/// Where `view.theme` is written (its value), for an error about it: the
/// word "theme" may come sooner, in a comment.
fn theme_at(text: &str) -> usize {
    #[derive(Deserialize)]
    struct File {
        view: Option<ViewAt>,
    }
    #[derive(Deserialize)]
    struct ViewAt {
        theme: Option<Spanned<String>>,
    }
    toml::from_str::<File>(text)
        .ok()
        .and_then(|f| f.view?.theme)
        .map_or(0, |t| t.span().start)
}

/// The default filters by the flags' rules (every field, and the two times
/// together), a problem told at its line and named as the file names it.
fn check_filters(
    path: &Path,
    text: &str,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<(), ConfigError> {
    let f = &config.filter;
    let tz = config.view.time_zone.offset();
    let typed = f.text();
    let Err(problems) = typed.resolve(now, &tz) else {
        return Ok(());
    };
    let Some(problem) = problems.first() else {
        return Ok(());
    };
    let at = f
        .get(problem.field())
        .as_ref()
        .map_or(0, |v| v.span().start);
    let message = problem.describe(&typed, &tz, |field| {
        format!("filter.{}", FilterDefaults::key(field))
    });
    Err(ConfigError::at(path, text, at, message))
}

impl FilterDefaults {
    /// The file's key for a field.
    pub fn key(field: Field) -> &'static str {
        match field {
            Field::Status => "status",
            Field::CreatedAfter => "since",
            Field::CreatedBefore => "until",
            Field::Name => "name",
            Field::SourceAccount => "source_account",
            Field::SourceModelArn => "source_model_arn",
            Field::Sort => "sort",
        }
    }

    pub fn get(&self, field: Field) -> &Option<Spanned<String>> {
        match field {
            Field::Status => &self.status,
            Field::CreatedAfter => &self.since,
            Field::CreatedBefore => &self.until,
            Field::Name => &self.name,
            Field::SourceAccount => &self.source_account,
            Field::SourceModelArn => &self.source_model_arn,
            Field::Sort => &self.sort,
        }
    }

    /// The filter as the file writes it.
    pub fn text(&self) -> FilterText {
        let text = |field| self.get(field).as_ref().map(|s| s.get_ref().clone());
        FilterText {
            status: text(Field::Status),
            created_after: text(Field::CreatedAfter),
            created_before: text(Field::CreatedBefore),
            name: text(Field::Name),
            source_account: text(Field::SourceAccount),
            source_model_arn: text(Field::SourceModelArn),
            sort: text(Field::Sort),
        }
    }
}

#[cfg(test)]
mod tests;
