//! Flags over the environment over the config file over the defaults: the
//! config fills only what the command line and the environment left out,
//! and the dashboard's settings come out of the result.

use crate::app::Settings;
use crate::aws::Target;
use crate::cli::filter_args::FilterArgs;
use crate::cli::{ConnectArgs, NotifyArgs, ViewArgs};
use crate::config::{self, Loaded};
use crate::domain::query::Filter;
use crate::watch::SourceSpec;
use chrono::{DateTime, Utc};

/// The default filters under the filter flags.
pub fn fill_filters(args: &mut FilterArgs, loaded: &Loaded) {
    // Checked when the file was read, so this cannot fail; a flag typed
    // wrong is still reported by the flags' own check.
    let _ = loaded.config.filter.fill(args);
}

fn env_set(names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| std::env::var_os(n).is_some_and(|v| !v.is_empty()))
}

/// The config's profiles and regions, unless a flag or the AWS default
/// chain's environment names them.
pub fn fill_sources(connect: &mut ConnectArgs, loaded: &Loaded) {
    let s = &loaded.config.sources;
    if connect.profile.is_none()
        && connect.profiles.is_empty()
        && !env_set(&["AWS_PROFILE"])
        && !s.profiles.is_empty()
    {
        connect.profiles = s.profiles.clone();
    }
    if connect.region.is_none()
        && connect.regions.is_empty()
        && !env_set(&["AWS_REGION", "AWS_DEFAULT_REGION"])
        && !s.regions.is_empty()
    {
        connect.regions = s.regions.clone();
    }
}

/// Notifications: a flag turns one on; the config may have it on already.
pub fn fill_notify(args: &mut NotifyArgs, loaded: &Loaded) -> Result<(), String> {
    let n = &loaded.config.notify;
    args.bell |= n.bell;
    args.notify |= n.desktop;
    let hook = n.on_change.as_ref().map_or("", |h| h.get_ref().trim());
    if args.on_change.is_none() && !hook.is_empty() {
        let argv = crate::watch::notify::parse_hook(hook)
            .map_err(|e| format!("[notify] on_change: {e}"))?;
        args.on_change = Some(crate::cli::Hook(argv));
    }
    Ok(())
}

/// The dashboard's settings and first filter from the flags and the config.
pub fn settings(
    view: &mut ViewArgs,
    loaded: &Loaded,
    target: Target,
    sources: Vec<SourceSpec>,
    now: DateTime<Utc>,
) -> Result<(Settings, Filter), String> {
    fill_filters(&mut view.filters, loaded);
    fill_notify(&mut view.notify, loaded)?;
    let v = &loaded.config.view;
    let tz = v.time_zone.offset();
    let filter = view.filters.resolve(now, &tz)?;
    let mut theme = match &view.theme {
        Some(name) => {
            let dir = loaded
                .path
                .as_deref()
                .and_then(std::path::Path::parent)
                .map(std::path::Path::to_path_buf)
                .or_else(config::config_dir);
            config::theme::resolve(name, dir.as_deref()).map_err(|e| match e {
                config::theme::ThemeError::Config(m) => format!("--theme: {m}"),
                config::theme::ThemeError::File(e) => e.to_string(),
            })?
        }
        None => loaded.theme,
    };
    if no_color() {
        theme = theme.without_color();
    }
    let context = target.describe();
    let settings = Settings {
        page_size: usize::from(view.page_size.unwrap_or(v.page_size)),
        refresh_every: chrono::Duration::seconds(i64::from(view.refresh.unwrap_or(v.refresh))),
        sources,
        notify: view.notify.notify(),
        keys: loaded.keys.clone(),
        theme,
        columns: v.columns.clone(),
        date_format: v.date_format.clone(),
        ..Settings::new(context, target, tz)
    };
    Ok((settings, filter))
}

/// NO_COLOR set to anything but the empty string (no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
