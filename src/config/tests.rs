//! The config file: the shipped default is the built-in default, and every
//! kind of mistake is told with its line and what to write instead.

use super::*;
use crate::config::theme::Theme;
use chrono::TimeZone as _;
use ratatui::style::{Color, Modifier};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap()
}

fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
    parse(Path::new("config.toml"), text, now())
}

fn err(text: &str) -> ConfigError {
    match parse_str(text) {
        Ok(_) => panic!("should be refused:\n{text}"),
        Err(e) => e,
    }
}

/// What a config amounts to: the filter it starts with, and the rest.
fn filter_of(l: &Loaded) -> crate::domain::query::Filter {
    l.default_filter().0.resolve(now(), &utc()).unwrap()
}

#[test]
fn the_documented_default_is_the_built_in_default() {
    let shipped = parse_str(DEFAULT_TOML).expect("assets/config.toml parses");
    let builtin = Loaded::defaults();
    assert_eq!(shipped.config.sources, builtin.config.sources);
    assert_eq!(shipped.config.view, builtin.config.view);
    assert_eq!(shipped.copy_regions(), builtin.copy_regions());
    assert_eq!(filter_of(&shipped), filter_of(&builtin));
    assert_eq!(filter_of(&builtin), crate::domain::query::Filter::default());
    assert_eq!(shipped.keys, builtin.keys);
    assert_eq!(shipped.theme, builtin.theme);
    let n = &shipped.config.notify;
    assert!(!n.bell && !n.desktop);
    assert_eq!(n.on_change.as_ref().map(|h| h.get_ref().as_str()), Some(""));
    // Every action is in the documented [keys], so none is undocumented.
    assert_eq!(shipped.config.keys.len(), keys::Action::ALL.len());
}

#[test]
fn values_given_are_taken() {
    let l = parse_str(
        r#"
[sources]
regions = ["us-east-1", "eu-west-1"]
profiles = ["ml"]
[view]
refresh = 30
theme = "light"
time_zone = "+02:00"
columns = ["status", "name", "job_arn", "kms_key"]
[filter]
status = "failed"
since = "7d"
sort = "oldest"
[keys]
refresh = ["ctrl-r", "f5"]
"#,
    )
    .unwrap();
    assert_eq!(l.config.sources.regions, ["us-east-1", "eu-west-1"]);
    assert_eq!(l.config.view.refresh, 30);
    assert_eq!(l.theme, Theme::builtin("light").unwrap());
    assert_eq!(
        l.config.view.time_zone,
        TimeZone::Fixed(FixedOffset::east_opt(7200).unwrap())
    );
    assert_eq!(l.config.view.columns.len(), 4);
    let f = filter_of(&l);
    assert_eq!(f.status, Some(crate::domain::job::Status::Failed));
    assert_eq!(f.created_after, Some(now() - chrono::Duration::days(7)));
    assert_eq!(f.sort, crate::domain::query::Sort::OldestFirst);
    assert_eq!(l.keys.keys_of(keys::Action::Refresh), "Ctrl-r F5");
}

#[test]
fn a_misspelt_key_is_told_with_its_line_and_the_nearest_key() {
    let e = err("[view]\nrefresh = 5\nthme = \"light\"\n");
    assert_eq!((e.line, e.column), (Some(3), Some(1)), "{e}");
    assert!(
        e.message
            .starts_with("unknown key `thme`: did you mean `theme`?"),
        "{e}"
    );
    let e = err("[veiw]\n");
    assert!(e.message.contains("did you mean `view`?"), "{e}");
    assert_eq!(e.line, Some(1));
}

#[test]
fn a_wrong_type_or_a_bad_value_is_told_where_it_is() {
    let e = err("[view]\nrefresh = \"ten\"\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert_eq!(
        e.message,
        "`refresh` must be a number of seconds, like 10 (not string \"ten\")"
    );
    let e = err("[watch]\nvisibility_lag = \"5m\"\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert_eq!(
        e.message,
        "`visibility_lag` must be a number of seconds, like 300 (not string \"5m\")"
    );
    let e = err("[watch]\nvisibility_lag = -1\n");
    assert!(
        e.message.contains("visibility_lag is seconds from 0"),
        "{e}"
    );
    let e = err("[view]\npage_size = 5000\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.contains("page_size is from 1 to 1000"), "{e}");
    let e = err("[view]\ncolumns = [\"status\", \"nmae\"]\n");
    assert!(e.message.contains("did you mean `name`?"), "{e}");
    let e = err("[view]\ntime_zone = \"Mars/Olympus\"\n");
    assert!(e.message.contains("not a time zone"), "{e}");
    let e = err("[view]\ndate_format = \"%Q\"\n");
    assert!(e.message.contains("not a strftime date format"), "{e}");
    let e = err("[sources]\nregions = [\"us-east\"]\n");
    assert!(e.message.contains("not a region name"), "{e}");
}

#[test]
fn a_bad_default_filter_is_told_in_the_files_words() {
    let e = err("[filter]\nstatus = \"failed\"\nsince = \"last tuesday\"\n");
    assert_eq!((e.line, e.column), (Some(3), Some(9)), "{e}");
    assert!(e.message.starts_with("filter.since: "), "{e}");
    let e = err("[filter]\nsort = \"sideways\"\n");
    assert!(e.message.contains("not an order"), "{e}");
    let e = err("[filter]\nstatus = \"done\"\n");
    assert!(e.message.starts_with("filter.status: "), "{e}");
}

#[test]
fn bad_and_conflicting_keys_are_refused() {
    let e = err("[keys]\nrefresh = \"ctrl-\"\n");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.contains("is not a key"), "{e}");
    let e = err("[keys]\nrefersh = \"r\"\n");
    assert!(e.message.contains("did you mean `refresh`?"), "{e}");
    // Told at the binding, not at [keys]: the key itself in a list.
    let e = err("[keys]\nrefresh = \"r\"\ndown = [\"j\", \"n\"]\n");
    assert!(e.message.contains("`n` is bound to both"), "{e}");
    assert_eq!((e.line, e.column), (Some(3), Some(14)), "{e}");
    // Both bound in the file: at the one that left its default, wherever
    // it is written.
    let e = err("[keys]\nquit = \"j\"\ndown = [\"down\", \"j\"]\n");
    assert!(e.message.contains("`j` is bound to both"), "{e}");
    assert_eq!(e.line, Some(2), "{e}");
    let e = err("[keys]\ndown = [\"down\", \"j\"]\nquit = \"j\"\n");
    assert_eq!(e.line, Some(3), "{e}");
}

#[test]
fn the_two_times_must_be_in_order_told_in_the_files_words() {
    let e = err("[view]\ntime_zone = \"utc\"\n[filter]\nsince = \"1d\"\nuntil = \"7d\"\n");
    assert_eq!((e.line, e.column), (Some(4), Some(9)), "{e}");
    assert_eq!(
        e.message,
        "filter.since: '1d' (2025-05-31 12:00 +00:00) must be earlier than filter.until '7d' (2025-05-25 12:00 +00:00)"
    );
    assert!(!e.message.contains("--"), "no flag the user never passed");
    assert!(parse_str("[filter]\nsince = \"7d\"\nuntil = \"1d\"\n").is_ok());
}

#[test]
fn the_table_needs_columns_each_once() {
    let e = err("[view]\ncolumns = []\n");
    assert_eq!((e.line, e.column), (Some(2), Some(11)), "{e}");
    assert!(e.message.starts_with("`columns` is empty"), "{e}");
    let e = err("[view]\ncolumns = [\n  \"name\",\n  \"status\",\n  \"name\",\n]\n");
    assert_eq!((e.line, e.column), (Some(5), Some(3)), "{e}");
    assert_eq!(
        e.message,
        "`columns` lists \"name\" twice: each column shows once"
    );
}

/// Every setting of the documented config, given a value of another type,
/// is refused with what it takes in words and an example, at its line.
#[test]
fn a_value_of_the_wrong_type_says_what_the_key_takes() {
    let mut table = String::new();
    let mut checked = 0;
    for (i, line) in DEFAULT_TOML.lines().enumerate() {
        if line.starts_with('[') {
            table = line.trim_matches(['[', ']']).to_string();
            continue;
        }
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        if line.starts_with('#') {
            continue;
        }
        // A number where text or a list is due; text where a number or a
        // switch is due.
        let other = if value.starts_with('"') || value.starts_with('[') {
            "3"
        } else {
            "\"3\""
        };
        let mut lines: Vec<&str> = DEFAULT_TOML.lines().collect();
        let edited = format!("{key} = {other}");
        lines[i] = &edited;
        let e = err(&(lines.join("\n") + "\n"));
        assert_eq!(e.line, Some(i + 1), "[{table}] {key}: {e}");
        let words = error::expected(&[table.as_str(), key]).expect("every key has its words");
        if table == "keys" {
            // A key's own deserializer says it the same way.
            assert!(e.message.contains("a key (\"j\") or a list of keys"), "{e}");
        } else {
            assert_eq!(
                e.message,
                format!(
                    "`{key}` must be {words} (not {})",
                    if other == "3" {
                        "integer `3`"
                    } else {
                        "string \"3\""
                    }
                ),
                "[{table}] {key}"
            );
        }
        checked += 1;
    }
    assert!(checked > 50, "every setting: {checked}");
}

#[test]
fn a_bad_hook_is_refused() {
    let e = err("[notify]\non_change = \"notify-send 'unclosed\"\n");
    assert_eq!(e.line, Some(2), "{e}");
}

#[test]
fn themes_come_from_files_beside_the_config() {
    let dir = std::env::temp_dir().join(format!("copyjobs-theme-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("themes")).unwrap();
    std::fs::write(
        dir.join("themes/mine.toml"),
        "base = \"light\"\n[styles]\nfailed = { fg = \"#ff0000\", bold = true }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("themes/bad.toml"),
        "[styles]\nfailed = { fg = \"reddish\" }\n",
    )
    .unwrap();
    let config = dir.join("config.toml");
    let read = |text: &str| parse(&config, text, now());
    let t = read("[view]\ntheme = \"mine\"\n").unwrap().theme;
    assert_eq!(t.failed.fg, Some(Color::Rgb(255, 0, 0)));
    assert!(t.failed.add_modifier.contains(Modifier::BOLD));
    assert_eq!(
        t.completed,
        Theme::builtin("light").unwrap().completed,
        "the rest from its base"
    );
    let e = read("[view]\ntheme = \"bad\"\n").unwrap_err();
    assert!(e.file.ends_with("themes/bad.toml"), "{e}");
    assert_eq!(e.line, Some(2), "{e}");
    assert!(e.message.contains("`reddish` is not a colour"), "{e}");
    let e = read("[view]\ntheme = \"solarized\"\n").unwrap_err();
    assert!(e.message.contains("neither a shipped theme"), "{e}");
    assert_eq!(e.line, Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_file_is_the_defaults_unless_it_was_named() {
    let missing = std::env::temp_dir().join("copyjobs-no-such-config.toml");
    let default_place = Location {
        path: missing.clone(),
        from: "the platform's config directory",
        explicit: false,
    };
    assert!(load(Some(&default_place), now()).unwrap().path.is_none());
    let named = Location {
        explicit: true,
        from: "--config",
        ..default_place
    };
    let e = load(Some(&named), now()).unwrap_err();
    assert!(
        e.message
            .contains("cannot read the config file (named by --config)"),
        "{e}"
    );
}

#[test]
fn the_view_stamp_changes_only_with_the_default_view() {
    let a = parse_str("[filter]\nstatus = \"failed\"\n").unwrap();
    let same = parse_str("[view]\nrefresh = 30\n[filter]\nstatus = \"failed\"\n").unwrap();
    let b = parse_str("[filter]\nstatus = \"completed\"\n").unwrap();
    let c = parse_str("[view]\ncolumns = [\"status\"]\n[filter]\nstatus = \"failed\"\n").unwrap();
    assert_eq!(
        a.view_stamp(),
        same.view_stamp(),
        "the refresh is not the view"
    );
    assert_ne!(a.view_stamp(), b.view_stamp());
    assert_ne!(a.view_stamp(), c.view_stamp());
}

#[test]
fn history_is_a_switch_or_a_table() {
    let shipped = parse_str(DEFAULT_TOML).unwrap().config.history;
    assert_eq!(shipped, Loaded::defaults().config.history);
    assert!(shipped.enabled);
    assert_eq!(shipped.keep_days, 180);
    let off = parse_str("history = false\n").unwrap().config.history;
    assert!(!off.enabled);
    assert_eq!(off.keep_days, 180);
    let kept = parse_str("[history]\nkeep_days = 30\n")
        .unwrap()
        .config
        .history;
    assert!(kept.enabled);
    assert_eq!(kept.keep_days, 30);
    let dotted = parse_str("history.enabled = false\n")
        .unwrap()
        .config
        .history;
    assert!(!dotted.enabled);
    let e = err("[history]\nkeep_days = 0\n");
    assert_eq!(e.line, Some(2));
    assert!(
        e.message
            .contains("keep_days is days from 1 to 3650, not 0"),
        "{e}"
    );
    let e = err("[history]\nkep_days = 3\n");
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("did you mean `keep_days`"), "{e}");
    let e = err("history = \"no\"\n");
    assert_eq!(e.line, Some(1));
    assert!(
        e.message
            .contains("`history` must be true, false, or a table"),
        "{e}"
    );
}

/// A well-formed region not among Bedrock's is a typo: told at its line
/// with the nearest region, in [sources] and [copy_regions] alike, unless
/// `allow_unknown_regions` says the list is out of date.
#[test]
fn a_region_not_among_bedrocks_is_refused_unless_the_list_is_out_of_date() {
    let sources = "[sources]\nregions = [\"us-east-1\",\n  \"eu-wset-1\"]\n";
    let e = err(sources);
    assert_eq!((e.line, e.column), (Some(3), Some(3)), "{e}");
    assert_eq!(
        e.message,
        "[sources] regions: eu-wset-1 is not one of Bedrock's regions: did you mean eu-west-1? (allow_unknown_regions = true in [sources] takes a region newer than copyjobs' list)"
    );
    let rows = "[copy_regions]\n\"amazon.nova-lite-v1\" = [\"us-east-9\"]\n";
    let e = err(rows);
    assert_eq!((e.line, e.column), (Some(2), Some(26)), "{e}");
    assert_eq!(
        e.message,
        "[copy_regions] \"amazon.nova-lite-v1\": us-east-9 is not one of Bedrock's regions: did you mean us-east-1? (allow_unknown_regions = true in [sources] takes a region newer than copyjobs' list)"
    );
    let allowed = "[sources]\nallow_unknown_regions = true\n";
    let l = parse_str(&format!("{allowed}{}{rows}", &sources[10..])).unwrap();
    assert_eq!(l.config.sources.regions, ["us-east-1", "eu-wset-1"]);
    assert_eq!(
        l.copy_regions().supported("amazon.nova-lite-v1"),
        Some(&["us-east-9".to_string()][..])
    );
}

/// `[org]` takes the discovery flags' values and is refused by their rules,
/// in its own keys' words.
#[test]
fn the_org_table_names_the_accounts_to_discover() {
    let l = parse_str(
        "[org]\nenabled = true\nrole_name = \"CopyJobsReader\"\nexclude_accounts = [\"111122223333\"]\n",
    )
    .unwrap();
    let d = l.config.org.discovery();
    assert!(d.org && d.is_on());
    assert_eq!(d.role_name.as_deref(), Some("CopyJobsReader"));
    assert_eq!(d.exclude, ["111122223333"]);
    let e = err("[org]\nenabled = true\n");
    assert_eq!(e.line, Some(1), "{e}");
    assert!(
        e.message.contains("role_name = \"CopyJobsReader\"") && !e.message.contains("--"),
        "{e}"
    );
    let e = err("[org]\naccounts = [\"12\"]\nrole_name = \"R\"\n");
    assert!(e.message.contains("12 digits"), "{e}");
    let e = err("[org]\nenabled = 1\n");
    assert!(e.message.contains("true or false"), "{e}");
}
