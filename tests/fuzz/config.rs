//! The config file (`config::parse`), theme files (`theme::from_text`), key
//! names (`Key::parse`) and the hook command (`parse_hook`).
//!
//! A config is read whole or refused with a `ConfigError` that points into
//! the text: a line that exists, a column on it, that line as the snippet.
//! Where the edit is known (a key renamed, a value of another type, a line
//! repeated), the error is on the line edited.

use crate::support::*;
use copyjobs::config::keys::{Action, Key};
use copyjobs::config::theme::from_text;
use copyjobs::config::{self, ConfigError, DEFAULT_TOML, views};
use copyjobs::domain::query::echo;
use copyjobs::watch::notify::parse_hook;
use proptest::prelude::*;
use proptest::sample::Index;
use std::path::Path;

/// A directory that does not exist: a theme named in a fuzzed config is
/// never found beside it.
const PATH: &str = "/nonexistent-copyjobs-fuzz/config.toml";

/// The documented default, in UTC so nothing depends on the machine's zone.
fn base() -> String {
    DEFAULT_TOML.replace("time_zone = \"local\"", "time_zone = \"utc\"")
}

fn parse(text: &str) -> Result<config::Loaded, ConfigError> {
    config::parse(Path::new(PATH), text, now())
}

/// The error points into `text`: a line of it (the one after a final
/// newline counts), a column on that line, and that line as the snippet.
fn points_into(e: &ConfigError, text: &str) -> Result<usize, TestCaseError> {
    prop_assert!(!e.message.is_empty());
    // Showing it must not panic either.
    let _ = e.to_string();
    prop_assert_eq!(e.file.as_path(), Path::new(PATH), "{}", e);
    let (Some(line), Some(column)) = (e.line, e.column) else {
        return Err(TestCaseError::fail(format!("no position: {e}")));
    };
    let lines: Vec<&str> = text.split('\n').collect();
    prop_assert!(
        (1..=lines.len()).contains(&line),
        "line {line} of {}: {e}",
        lines.len()
    );
    let this = lines[line - 1]
        .strip_suffix('\r')
        .unwrap_or(lines[line - 1]);
    prop_assert!(
        column >= 1 && column <= this.chars().count() + 1,
        "column {column}: {e}"
    );
    prop_assert_eq!(
        e.source_line.as_deref(),
        text.lines().nth(line - 1),
        "{}",
        e
    );
    Ok(line)
}

/// Lines of the base that set a value: `key = value`.
fn setting_lines() -> Vec<usize> {
    base()
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.starts_with('[') && l.contains(" = "))
        .map(|(i, _)| i)
        .collect()
}

/// The table a line of the base is in, and the keys it takes.
fn table_of(text: &str, line: usize) -> &'static [&'static str] {
    let header = text
        .lines()
        .take(line + 1)
        .filter(|l| l.starts_with('['))
        .last()
        .unwrap_or("");
    match header {
        "[sources]" => &["profiles", "regions"],
        "[view]" => &[
            "refresh",
            "page_size",
            "time_zone",
            "date_format",
            "theme",
            "columns",
            "mouse",
            "read_only",
        ],
        "[filter]" => &[
            "status",
            "since",
            "until",
            "name",
            "source_account",
            "source_model_arn",
            "sort",
        ],
        "[notify]" => &["bell", "desktop", "on_change"],
        "[watch]" => &["visibility_lag"],
        "[history]" => &["enabled", "keep_days"],
        _ => &[],
    }
}

/// What a key's value must be, by TOML type.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Float,
    Bool,
    Str,
    Array,
    Table,
    Date,
}

fn accepts(key: &str, kind: Kind, keys_table: bool) -> bool {
    match key {
        _ if keys_table => matches!(kind, Kind::Str | Kind::Array),
        "refresh" | "page_size" | "keep_days" | "visibility_lag" => kind == Kind::Int,
        "mouse" | "read_only" | "bell" | "desktop" | "enabled" => kind == Kind::Bool,
        "profiles" | "regions" | "columns" => kind == Kind::Array,
        _ => kind == Kind::Str,
    }
}

/// A well-formed TOML value and its type.
fn toml_value() -> impl Strategy<Value = (String, Kind)> {
    let string = text(12).prop_map(|s| toml::Value::String(s).to_string());
    prop_oneof![
        any::<i64>().prop_map(|n| (n.to_string(), Kind::Int)),
        (0i64..5000).prop_map(|n| (n.to_string(), Kind::Int)),
        Just(("99999999999999999999".to_string(), Kind::Int)),
        one_of(&["inf", "nan", "1.5e300", "-0.0"]).prop_map(|s| (s, Kind::Float)),
        any::<bool>().prop_map(|b| (b.to_string(), Kind::Bool)),
        string.clone().prop_map(|s| (s, Kind::Str)),
        // Strings some key takes, and some no key does.
        one_of(&[
            r#""+05:30""#,
            r#""%Y %#z""#,
            r#""%Y %Q""#,
            r#""7d""#,
            r#""light""#,
            r#""ctrl-q""#,
            r#""j""#,
            r#""failed""#,
            r#""notify-send 'x""#,
        ])
        .prop_map(|s| (s, Kind::Str)),
        proptest::collection::vec(string, 0..3)
            .prop_map(|v| (format!("[{}]", v.join(", ")), Kind::Array)),
        Just(("[\"us-east-1\", 5]".to_string(), Kind::Array)),
        Just(("[\"status\", \"nope\"]".to_string(), Kind::Array)),
        Just(("{ a = 1 }".to_string(), Kind::Table)),
        Just(("1979-05-27T07:32:00Z".to_string(), Kind::Date)),
    ]
}

#[derive(Debug, Clone)]
enum ConfigEdit {
    /// A setting's key renamed to one of `[A-Za-z0-9_-]+` the table does
    /// not have.
    RenameKey(Index, String),
    /// A setting's key renamed to anything.
    RenameAny(Index, String),
    /// A setting's value replaced by a well-formed value.
    Value(Index, String, Kind),
    /// A setting's value replaced by any text.
    RawValue(Index, String),
    /// A line (setting or header) written twice.
    Repeat(Index),
    DeleteLine(Index),
    Chars(Vec<Edit>),
}

fn config_edit() -> impl Strategy<Value = ConfigEdit> {
    prop_oneof![
        3 => (any::<Index>(), "[A-Za-z0-9_-]{1,14}").prop_map(|(i, k)| ConfigEdit::RenameKey(i, k)),
        1 => (any::<Index>(), text(10)).prop_map(|(i, k)| ConfigEdit::RenameAny(i, k)),
        4 => (any::<Index>(), toml_value()).prop_map(|(i, (v, k))| ConfigEdit::Value(i, v, k)),
        1 => (any::<Index>(), text(16)).prop_map(|(i, v)| ConfigEdit::RawValue(i, v)),
        1 => any::<Index>().prop_map(ConfigEdit::Repeat),
        1 => any::<Index>().prop_map(ConfigEdit::DeleteLine),
        2 => proptest::collection::vec(edit(), 1..4).prop_map(ConfigEdit::Chars),
    ]
}

/// What an edit decides: the line (1-based) any error must be on, and
/// whether there must be one.
#[derive(Debug, Default)]
struct Expect {
    line: Option<usize>,
    refused: bool,
}

/// The base with one edit, and what that edit decides.
fn edited(e: &ConfigEdit) -> (String, Expect) {
    let text = base();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let settings = setting_lines();
    let setting = |i: &Index| settings[i.index(settings.len())];
    let split = |l: &str| {
        let (k, v) = l.split_once(" = ").unwrap_or((l, ""));
        (k.to_string(), v.to_string())
    };
    let expect = match e {
        ConfigEdit::RenameKey(i, new) => {
            let at = setting(i);
            let (key, value) = split(&lines[at]);
            let in_keys = table_of(&text, at).is_empty();
            lines[at] = format!("{new} = {value}");
            // In [keys] an unknown action, elsewhere an unknown key.
            let known = if in_keys {
                is_action(new)
            } else {
                table_of(&text, at).contains(&new.as_str())
            };
            let unknown = !known && *new != key;
            Expect {
                line: unknown.then_some(at + 1),
                refused: unknown,
            }
        }
        ConfigEdit::RenameAny(i, new) => {
            let at = setting(i);
            let (_, value) = split(&lines[at]);
            lines[at] = format!("{} = {value}", new.replace(['\n', '\r'], " "));
            Expect::default()
        }
        ConfigEdit::Value(i, value, kind) => {
            let at = setting(i);
            let (key, _) = split(&lines[at]);
            lines[at] = format!("{key} = {value}");
            let in_keys = table_of(&text, at).is_empty();
            // Whatever is wrong with a value is told at its line.
            Expect {
                line: Some(at + 1),
                refused: !accepts(&key, *kind, in_keys),
            }
        }
        ConfigEdit::RawValue(i, value) => {
            let at = setting(i);
            let (key, _) = split(&lines[at]);
            lines[at] = format!("{key} = {}", value.replace(['\n', '\r'], " "));
            Expect::default()
        }
        ConfigEdit::Repeat(i) => {
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&k| lines[k].starts_with('[') || settings.contains(&k))
                .collect();
            let at = candidates[i.index(candidates.len())];
            lines.insert(at + 1, lines[at].clone());
            Expect {
                line: Some(at + 2),
                refused: true,
            }
        }
        ConfigEdit::DeleteLine(i) => {
            lines.remove(i.index(lines.len()));
            Expect::default()
        }
        ConfigEdit::Chars(edits) => return (apply(&text, edits), Expect::default()),
    };
    (lines.join("\n") + "\n", expect)
}

fn is_action(name: &str) -> bool {
    Action::ALL.iter().any(|(a, _, _)| a.name() == name)
}

const THEMES: [&str; 3] = [
    include_str!("../../assets/themes/dark.toml"),
    include_str!("../../assets/themes/light.toml"),
    include_str!("../../assets/themes/high-contrast.toml"),
];

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_config_text_is_read_or_refused_with_its_line(text in text(200)) {
        if let Err(e) = parse(&text) {
            points_into(&e, &text)?;
        }
    }

    #[test]
    fn an_edited_config_is_refused_at_the_edit(e in config_edit()) {
        let (text, expect) = edited(&e);
        match parse(&text) {
            Err(err) => {
                // A key bound twice too: told at the binding that was edited.
                let at = points_into(&err, &text)?;
                if let Some(line) = expect.line {
                    prop_assert_eq!(at, line, "{}\n{:?}", err, e);
                }
            }
            Ok(_) => prop_assert!(!expect.refused, "accepted: {:?}\n{}", e, text),
        }
    }

    /// Every date format the config takes can write a time.
    #[test]
    fn accepted_date_formats_write_times(
        format in prop_oneof![
            near(Just("%Y-%m-%d %H:%M".to_string())),
            proptest::collection::vec("%[-_0#:.]?[0-9]?[a-zA-Z%+.:]", 1..4).prop_map(|v| v.concat()),
        ],
        t in (-62_000_000_000i64..250_000_000_000)
            .prop_map(|s| chrono::DateTime::from_timestamp(s, 0).unwrap_or_default()),
        tz in any_offset(),
    ) {
        let value = toml::Value::String(format.clone());
        let text = format!("[view]\ntime_zone = \"utc\"\ndate_format = {value}\n");
        if parse(&text).is_ok() {
            let _ = copyjobs::ui::local(t, &tz, &format);
        }
    }

    #[test]
    fn theme_files_are_read_or_refused_with_their_line(text in prop_oneof![
        text(120),
        near(one_of(&THEMES)),
    ]) {
        if let Err(e) = from_text(Path::new(PATH), &text) {
            points_into(&e, &text)?;
        }
    }

    #[test]
    fn key_names_parse_or_say_what_works(s in prop_oneof![
        text(12),
        near(one_of(&["ctrl-r", "alt-x", "f5", "shift-tab", "pgdn", "G", "?", "ctrl-alt-space"])),
    ]) {
        match Key::parse(&s) {
            Ok(k) => {
                let shown = k.to_string();
                prop_assert!(!shown.is_empty());
            }
            Err(e) => {
                prop_assert!(e.starts_with(&format!("`{}` is not a key: use ", echo(&s))), "{e}");
                prop_assert!(no_controls(&e), "{e:?}");
            }
        }
    }

    /// Every spelling of a key the help names parses.
    #[test]
    fn key_grammar_is_accepted(
        mods in proptest::collection::vec(prop_oneof![Just("ctrl-"), Just("alt-")], 0..3),
        key in prop_oneof![
            any::<char>().prop_filter("printable", |c| !c.is_control() && *c != ' ').prop_map(String::from),
            (1u8..=12).prop_map(|n| format!("f{n}")),
            one_of(&[
                "enter", "esc", "tab", "shift-tab", "space", "backspace", "delete", "insert",
                "up", "down", "left", "right", "pgup", "pgdn", "home", "end",
            ]),
        ],
    ) {
        let text = format!("{}{key}", mods.concat());
        prop_assert!(Key::parse(&text).is_ok(), "{text}");
    }

    #[test]
    fn hooks_split_like_a_shell(s in prop_oneof![
        text(60),
        near(Just("notify-send 'copy done' \"$HOME\" a\\ b".to_string())),
    ]) {
        match parse_hook(&s) {
            Ok(words) => prop_assert!(!words.is_empty()),
            Err(e) => {
                prop_assert!(e.starts_with("--on-change: "), "{e}");
                prop_assert!(printable(&e), "{e:?}");
            }
        }
    }

    /// A saved view's name (`:save NAME`): up to 40 letters, digits, '-',
    /// '_' or '.', whatever the script.
    #[test]
    fn view_names_are_words(name in prop_oneof![
        "[-_.a-zA-Z0-9]{1,40}",
        "[-_.\\p{L}\\p{Nd}]{1,40}",
        near(Just("kms-failures".to_string())),
        text(50),
    ]) {
        let word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
        let trimmed = name.trim();
        let fits = (1..=40).contains(&trimmed.chars().count()) && trimmed.chars().all(word);
        match views::check_name(&name) {
            Ok(n) => {
                prop_assert_eq!(n, trimmed);
                prop_assert!(fits, "{n}");
            }
            Err(e) => {
                prop_assert!(!fits, "{trimmed}: {e}");
                prop_assert!(no_controls(&e), "{e:?}");
            }
        }
    }

    /// What `shell_words` quotes, the hook parser reads back word for word.
    #[test]
    fn quoted_hooks_read_back(words in proptest::collection::vec(text(12), 1..5)) {
        let line = shell_words::join(&words);
        prop_assert_eq!(parse_hook(&line), Ok(words));
    }
}

#[test]
fn the_base_config_is_valid() {
    let loaded = parse(&base()).expect("the base config");
    assert_eq!(loaded.config.view.time_zone, config::TimeZone::Fixed(utc()));
    assert!(setting_lines().len() > 40);
}

/// Found by `accepted_date_formats_write_times`: `%#z` is a specifier chrono
/// reads but cannot write, so the config took it and the table panicked
/// drawing its first row.
#[test]
fn a_date_format_that_cannot_write_is_refused_regression() {
    for format in ["%#z", "%Y-%m-%d %#z"] {
        let text = format!("[view]\ndate_format = \"{format}\"\n");
        let e = parse(&text)
            .err()
            .unwrap_or_else(|| panic!("{format} accepted"));
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("is not a strftime date format"), "{e}");
    }
    assert!(parse("[view]\ndate_format = \"%d.%m. %H:%M:%S%.3f %:z\"\n").is_ok());
}

/// Found by `an_edited_config_is_refused_at_the_edit`: an unknown theme was
/// told at the first "theme" in the file, a comment above the setting; a
/// theme file's unknown base, at the shipped themes' comment that shows
/// `base = "light"`.
#[test]
fn an_unknown_theme_is_told_at_its_own_line_regression() {
    let line_of = |text: &str, start: &str| {
        text.lines()
            .position(|l| l.starts_with(start))
            .map(|i| i + 1)
    };
    let text = base().replace("theme = \"dark\"", "theme = \"solarised\"");
    let e = parse(&text).expect_err("an unknown theme");
    assert_eq!(e.line, line_of(&text, "theme = "), "{e}");
    let theme = THEMES[0].replace("[styles]", "base = \"sepia\"\n[styles]");
    let e = from_text(Path::new(PATH), &theme).expect_err("an unknown base");
    assert_eq!(e.line, line_of(&theme, "base = "), "{e}");
}

/// Found by `any_config_text_is_read_or_refused_with_its_line`: with CRLF
/// line ends, an error at the end of a line was a column past it.
#[test]
fn a_crlf_line_ends_where_its_text_does_regression() {
    let e = parse("\"\r\n").expect_err("not TOML");
    assert_eq!((e.line, e.column), (Some(1), Some(2)), "{e}");
}

/// Found by `view_names_are_words`: the 40 were counted in bytes, so 21
/// letters of most scripts were too long; a refused name was quoted with
/// its control characters.
#[test]
fn view_names_count_letters_and_quote_printably_regression() {
    let forty = "ü".repeat(40);
    assert_eq!(views::check_name(&forty), Ok(forty.as_str()));
    assert!(views::check_name(&"ü".repeat(41)).is_err());
    assert_eq!(
        views::check_name("a\u{1b}[2Jb"),
        Err("'a?[2Jb' is not a view name: up to 40 letters, digits, '-', '_' or '.'".into())
    );
}
