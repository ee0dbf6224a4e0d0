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

pub mod error;
pub mod keys;
pub mod theme;
pub mod views;

use crate::cli::filter_args::FilterArgs;
use crate::domain::column::Column;
use crate::domain::query::echo;
use chrono::{DateTime, FixedOffset, Offset, Utc};
pub use error::ConfigError;
use keys::{Action, KeyBindings, Keys};
use serde::Deserialize;
use serde::de::{self, Deserializer};
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
    pub view: View,
    pub filter: FilterDefaults,
    pub notify: NotifyDefaults,
    pub keys: BTreeMap<Action, Keys>,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sources {
    pub profiles: Vec<String>,
    #[serde(deserialize_with = "regions")]
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct View {
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

impl Default for View {
    fn default() -> View {
        View {
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
/// the file: they are checked by the flags' own code, after parsing.
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

fn refresh<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    u32::try_from(n)
        .ok()
        .filter(|n| (1..=3600).contains(n))
        .ok_or_else(|| de::Error::custom(format!("refresh is seconds from 1 to 3600, not {n}")))
}

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
    pub theme: crate::ui::theme::Theme,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
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
            theme: crate::ui::theme::Theme::default(),
            path: None,
        }
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
/// flags' own rules, the theme it names and the key bindings.
pub fn parse(path: &Path, text: &str, now: DateTime<Utc>) -> Result<Loaded, ConfigError> {
    let config: Config =
        toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, &e))?;
    check_filters(path, text, &config, now)?;
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
    let keys = KeyBindings::new(&config.keys).map_err(|e| {
        let at = text.find("[keys]").unwrap_or(0);
        ConfigError::at(path, text, at, e)
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
    })
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

/// Each default filter through the flag's own check, so a bad one is told
/// with its line, in the flag's words.
fn check_filters(
    path: &Path,
    text: &str,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<(), ConfigError> {
    let f = &config.filter;
    let fields: [(&str, &Option<Spanned<String>>); 7] = [
        ("status", &f.status),
        ("since", &f.since),
        ("until", &f.until),
        ("name", &f.name),
        ("source_account", &f.source_account),
        ("source_model_arn", &f.source_model_arn),
        ("sort", &f.sort),
    ];
    let tz = config.view.time_zone.offset();
    for (key, value) in fields {
        let Some(v) = value else { continue };
        let mut one = FilterDefaults::default();
        match key {
            "status" => one.status = Some(v.clone()),
            "since" => one.since = Some(v.clone()),
            "until" => one.until = Some(v.clone()),
            "name" => one.name = Some(v.clone()),
            "source_account" => one.source_account = Some(v.clone()),
            "source_model_arn" => one.source_model_arn = Some(v.clone()),
            _ => one.sort = Some(v.clone()),
        }
        let mut args = FilterArgs::default();
        let checked = one
            .fill(&mut args)
            .and_then(|()| args.resolve(now, &tz).map(|_| ()));
        if let Err(e) = checked {
            let message = e.replace(
                &format!("--{}", key.replace('_', "-")),
                &format!("filter.{key}"),
            );
            let message = message
                .replace("--created-after", "filter.since")
                .replace("--created-before", "filter.until");
            return Err(ConfigError::at(path, text, v.span().start, message));
        }
    }
    Ok(())
}

impl FilterDefaults {
    /// Fills the flags the command line left out; an empty string is "none".
    pub fn fill(&self, args: &mut FilterArgs) -> Result<(), String> {
        let value = |v: &Option<Spanned<String>>| {
            v.as_ref()
                .map(|s| s.get_ref().trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let slots: [(&mut Option<String>, &Option<Spanned<String>>); 6] = [
            (&mut args.status, &self.status),
            (&mut args.created_after, &self.since),
            (&mut args.created_before, &self.until),
            (&mut args.name, &self.name),
            (&mut args.source_account, &self.source_account),
            (&mut args.source_model_arn, &self.source_model_arn),
        ];
        for (slot, v) in slots {
            if slot.is_none() {
                *slot = value(v);
            }
        }
        if args.sort.is_none()
            && let Some(s) = value(&self.sort)
        {
            let sort = <crate::cli::filter_args::SortArg as clap::ValueEnum>::from_str(&s, true)
                .map_err(|_| format!("--sort: `{s}` is not an order: use newest or oldest"))?;
            args.sort = Some(sort);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
