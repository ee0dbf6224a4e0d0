//! Flags over the environment over the config file over the defaults: the
//! config fills only what the command line and the environment left out,
//! and the dashboard's settings come out of the result.

use crate::aws::Target;
use crate::cli::filter_args::FilterArgs;
use crate::cli::{ConnectArgs, NotifyArgs, ViewArgs};
use crate::config::Settings;
use crate::config::{self, Loaded, views};
use crate::domain::query::{Field, Filter};
use crate::watch::SourceSpec;
use chrono::{DateTime, Utc};

/// The default filters under the filter flags (checked when the file was
/// read; a flag typed wrong is reported by the flags' own check).
pub fn fill_filters(args: &mut FilterArgs, loaded: &Loaded) {
    let (text, named) = loaded.default_filter();
    args.fill_from(&text, &named);
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
    fill_org(connect, loaded);
}

/// The config's `[org]`, key by key, where no discovery flag is given:
/// `--org` on the command line takes none of the file's accounts.
fn fill_org(connect: &mut ConnectArgs, loaded: &Loaded) {
    let o = &loaded.config.org;
    let flags = connect.org
        || connect.sso_role.is_some()
        || connect.role_name.is_some()
        || !connect.accounts.is_empty()
        || !connect.exclude_accounts.is_empty();
    // Named profiles are what the command line asked for instead.
    if flags || !connect.profiles.is_empty() {
        return;
    }
    connect.org = o.enabled;
    connect.accounts = o.accounts.clone();
    connect.exclude_accounts = o.exclude_accounts.clone();
    connect.role_name = o.role_name.clone();
    connect.sso_role = o.sso_role.clone();
}

/// The regions a flag names (`--region`, `--regions`, `copy --to`), each
/// one of Bedrock's, unless `--any-region` or the config's
/// `allow_unknown_regions` says copyjobs' list is out of date: a misspelt
/// region would otherwise read an empty table, or send a copy nowhere.
pub fn check_regions(
    flag: &str,
    regions: &[String],
    any: bool,
    loaded: &Loaded,
) -> Result<(), String> {
    let any = any || loaded.config.sources.allow_unknown_regions;
    for r in regions {
        crate::domain::region::known(r, any).map_err(|e| {
            // The way out is for a region newer than the list, not for a
            // name that is no region's shape.
            if crate::domain::region::parse(r).is_ok() {
                format!("{flag}: {e} (--any-region takes a region newer than copyjobs' list)")
            } else {
                format!("{flag}: {e}")
            }
        })?;
    }
    Ok(())
}

/// [`check_regions`] for the source flags, and the discovery flags'
/// combinations.
pub fn check_sources(connect: &ConnectArgs, loaded: &Loaded) -> Result<(), String> {
    connect.discovery().check()?;
    let flag = if connect.regions.is_empty() {
        "--region"
    } else {
        "--regions"
    };
    check_regions(flag, &connect.named_regions(), connect.any_region, loaded)
}

/// Notifications: a flag turns one on; the config may have it on already.
/// The config's hook must have its program on PATH, as the flag's must.
pub fn fill_notify(args: &mut NotifyArgs, loaded: &Loaded) -> Result<(), String> {
    let n = &loaded.config.notify;
    args.bell |= n.bell;
    args.notify |= n.desktop;
    if args.on_change.is_none()
        && let Some(argv) = loaded.hook().map_err(|e| e.to_string())?
    {
        args.on_change = Some(crate::cli::Hook(argv));
    }
    Ok(())
}

/// A view's filters under the flags: every field the flags left out takes
/// the view's, an empty one meaning "none", so the config's defaults do not
/// creep back into a view that cleared them.
pub fn fill_from_view(args: &mut FilterArgs, v: &views::SavedView) {
    let named: Vec<(Field, String)> = [Field::CreatedAfter, Field::CreatedBefore]
        .into_iter()
        .map(|field| (field, views::SavedView::field_name(field)))
        .collect();
    args.fill_from(&v.filter_text(), &named);
}

/// The views file and the view to start from: `--view NAME`, else the last
/// one of these sources unless `--fresh`.
fn starting_view(
    view: &ViewArgs,
    sources: &[SourceSpec],
    demo: bool,
    stamp: &str,
) -> Result<
    (
        views::Views,
        Option<std::path::PathBuf>,
        Option<views::SavedView>,
    ),
    String,
> {
    let path = views::default_path();
    let stored = match &path {
        Some(p) => views::Views::load(p)?,
        None => views::Views::default(),
    };
    let start = match &view.view {
        Some(name) => {
            let name = views::check_name(name).map_err(|e| format!("--view: {e}"))?;
            let found = stored.named.get(name).cloned().ok_or_else(|| {
                let known: Vec<&str> = stored.named.keys().map(String::as_str).collect();
                format!(
                    "--view: no view '{name}' (saved: {}); save one with :save NAME in the dashboard",
                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                )
            })?;
            Some(found)
        }
        None if view.fresh => None,
        // The last view, unless the config's defaults changed since.
        None => stored
            .last
            .get(&views::key_for(sources, demo))
            .filter(|v| v.config == stamp)
            .cloned(),
    };
    Ok((stored, path, start))
}

/// The dashboard's settings and first filter from the flags, the view it
/// starts from and the config.
pub fn settings(
    view: &mut ViewArgs,
    loaded: &Loaded,
    target: Target,
    sources: Vec<SourceSpec>,
    now: DateTime<Utc>,
) -> Result<(Settings, Filter), String> {
    let stamp = loaded.view_stamp();
    let (stored, views_path, start) = starting_view(view, &sources, target.demo, &stamp)?;
    if let Some(v) = &start {
        fill_from_view(&mut view.filters, v);
    }
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
    // A policy only where one is written: none is not an error here.
    let policy = if view.policy.is_some() || !loaded.config.replicate.is_empty() {
        let read = loaded
            .policy(view.policy.as_deref())
            .map_err(|e| e.to_string())?;
        Some(read.policy)
    } else {
        None
    };
    let context = target.describe();
    let pinned = if view.fresh {
        Vec::new()
    } else {
        views::pins_for(&stored, &sources, target.demo)
    };
    let settings = Settings {
        page_size: usize::from(view.page_size.unwrap_or(v.page_size)),
        refresh_every: chrono::Duration::seconds(i64::from(view.refresh.unwrap_or(v.refresh))),
        visibility_lag: chrono::Duration::seconds(i64::from(
            view.lag
                .visibility_lag
                .unwrap_or(loaded.config.watch.visibility_lag),
        )),
        sources,
        notify: view.notify.notify(),
        keys: loaded.keys.clone(),
        theme,
        copy_regions: loaded.copy_regions(),
        columns: match &start {
            Some(s) if !s.columns.is_empty() => s.columns.clone(),
            _ => v.columns.clone(),
        },
        column_sort: start
            .as_ref()
            .and_then(|s| s.sort_column.map(|c| (c, s.sort_descending))),
        mouse: v.mouse && !view.no_mouse,
        read_only: v.read_only || view.read_only,
        allow_unknown_regions: loaded.config.sources.allow_unknown_regions,
        config_stamp: stamp,
        date_format: v.date_format.clone(),
        typed_times: (
            view.filters.created_after.clone().unwrap_or_default(),
            view.filters.created_before.clone().unwrap_or_default(),
        ),
        detail_open: start.as_ref().is_some_and(|v| v.detail_open),
        show_log: start.as_ref().is_some_and(|v| v.show_log),
        views: stored,
        views_path,
        pinned,
        policy,
        cli_endpoint: crate::aws::endpoint_in_use(target.endpoint_url.as_deref()),
        ..Settings::new(context, target, tz)
    };
    Ok((settings, filter))
}

/// NO_COLOR set to anything but the empty string (no-color.org).
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}
