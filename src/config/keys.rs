//! Key bindings: every table action has a name, default keys, and the keys
//! the config file gives it. `update` asks for the action of a key, never
//! for the key itself, so a rebinding reaches every action.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// A table action. The serde names are the config file's `[keys]` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Quit,
    Down,
    Up,
    PageDown,
    PageUp,
    First,
    Last,
    Detail,
    DetailDown,
    DetailUp,
    Filters,
    CycleStatus,
    TimeFilter,
    NameFilter,
    ClearFilters,
    Order,
    SortColumn,
    SortReverse,
    Columns,
    Search,
    Refresh,
    Pause,
    Faster,
    Slower,
    Pin,
    Retry,
    CopyTo,
    Failures,
    Models,
    Plan,
    Activity,
    Sources,
    Log,
    CopyArn,
    CopyJson,
    CopyCommand,
    Export,
    Command,
    Help,
}

impl Action {
    /// In the help overlay's order, with its words there and the default keys.
    pub const ALL: &[(Action, &str, &[&str])] = &[
        (Action::Down, "move down", &["down", "j"]),
        (Action::Up, "move up", &["up", "k"]),
        (Action::PageDown, "a screen down", &["pgdn"]),
        (Action::PageUp, "a screen up", &["pgup"]),
        (Action::First, "first row", &["home", "g"]),
        (
            Action::Last,
            "last row (also loads the next page)",
            &["end", "G"],
        ),
        (Action::Detail, "open / close the detail pane", &["enter"]),
        (Action::DetailDown, "scroll the detail pane down", &["J"]),
        (Action::DetailUp, "scroll the detail pane up", &["K"]),
        (
            Action::Filters,
            "filter panes: Tab moves, Enter applies, Esc cancels",
            &["f"],
        ),
        (
            Action::CycleStatus,
            "cycle status: Any → InProgress → Completed → Failed",
            &["s"],
        ),
        (Action::TimeFilter, "filter panes on the time field", &["t"]),
        (Action::NameFilter, "filter panes on the name field", &["n"]),
        (Action::ClearFilters, "clear every filter", &["x"]),
        (
            Action::Order,
            "newest ↔ oldest first; after a column sort, back to that",
            &["o"],
        ),
        (
            Action::SortColumn,
            "sort the loaded rows by the next column (or click a header)",
            &[">"],
        ),
        (Action::SortReverse, "reverse the column sort", &["<"]),
        (Action::Columns, "choose and order the columns", &["v"]),
        (
            Action::Search,
            "search the loaded rows (name, ARNs, tags, failure)",
            &["/"],
        ),
        (
            Action::Refresh,
            "refresh now (re-reads what is loaded)",
            &["r"],
        ),
        (Action::Pause, "pause / resume live refresh", &["p"]),
        (Action::Faster, "refresh more often", &["+", "="]),
        (Action::Slower, "refresh less often", &["-"]),
        (
            Action::Pin,
            "pin / unpin: kept on top, watched whatever the filter",
            &["w"],
        ),
        (
            Action::Sources,
            "sources: check profiles and regions, type to add one",
            &["S"],
        ),
        (
            Action::Retry,
            "retry the selected failed copy (shows what it sends first)",
            &["R"],
        ),
        (
            Action::CopyTo,
            "copy the selected job's model to more regions",
            &["C"],
        ),
        (
            Action::Failures,
            "why copies fail: failed jobs grouped by cause",
            &["F"],
        ),
        (
            Action::Models,
            "where each model is: its copies by region (the matrix)",
            &["M"],
        ),
        (
            Action::Plan,
            "the policy's plan: what to copy where, and apply it",
            &["P"],
        ),
        (
            Action::Activity,
            "the activity in charts: copies a day, failures, regions",
            &["T"],
        ),
        (
            Action::Log,
            "event log: j/k move in it, Enter shows the job, l closes",
            &["l"],
        ),
        (
            Action::CopyArn,
            "copy the job's ARN (OSC 52 clipboard)",
            &["y"],
        ),
        (Action::CopyJson, "copy the job as JSON", &["Y"]),
        (
            Action::CopyCommand,
            "copy the equivalent `aws bedrock` command",
            &["c"],
        ),
        (
            Action::Export,
            "export the view (filters and search applied)",
            &["e"],
        ),
        (
            Action::Command,
            "command: :view NAME, :save NAME, :delete NAME",
            &[":"],
        ),
        (Action::Help, "this help", &["?"]),
        (Action::Quit, "quit (Ctrl-C always quits)", &["q"]),
    ];

    pub fn name(self) -> String {
        // The serde name, for messages: PageDown → page-down.
        let debug = format!("{self:?}");
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_uppercase() && i > 0 {
                out.push('-');
            }
            out.extend(c.to_lowercase());
        }
        out
    }
}

/// One key as the config file writes it and the terminal sends it. Shift is
/// part of the character (`G`, `?`), so only Ctrl and Alt are modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
}

/// `KeyCode` has no order; the subset bindings use does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(u8),
}

const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("shift-tab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
];

impl Key {
    /// The key of a terminal event, if bindings can name it.
    pub fn of(ev: &KeyEvent) -> Option<Key> {
        let code = match ev.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            other => KeyCodeOrd::Named(NAMED.iter().position(|(_, k)| *k == other)? as u8),
        };
        Some(Key {
            code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        })
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text;
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() && c != ' ' => KeyCodeOrd::Char(c),
            _ => {
                if let Some(n) = rest
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n))
                {
                    KeyCodeOrd::F(n)
                } else if let Some(i) = NAMED.iter().position(|(n, _)| *n == rest) {
                    KeyCodeOrd::Named(i as u8)
                } else {
                    return Err(format!(
                        "`{}` is not a key: use a character (j, G, ?), ctrl-X, alt-X, f1…f12 or one of {}",
                        crate::domain::query::echo(text),
                        NAMED.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            KeyCodeOrd::Named(i) => {
                let name = match NAMED[i as usize].0 {
                    "enter" => "Enter",
                    "esc" => "Esc",
                    "tab" => "Tab",
                    "shift-tab" => "Shift-Tab",
                    "space" => "Space",
                    "backspace" => "Backspace",
                    "delete" => "Delete",
                    "insert" => "Insert",
                    "up" => "↑",
                    "down" => "↓",
                    "left" => "←",
                    "right" => "→",
                    "pgup" => "PgUp",
                    "pgdn" => "PgDn",
                    "home" => "Home",
                    "end" => "End",
                    other => other,
                };
                f.write_str(name)
            }
        }
    }
}

/// The keys of one action in the config file: one key or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys(pub Vec<Key>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        let texts = match OneOrMany::deserialize(d).map_err(|_| {
            de::Error::custom("expected a key (\"j\") or a list of keys ([\"down\", \"j\"])")
        })? {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        texts
            .iter()
            .map(|t| Key::parse(t).map_err(de::Error::custom))
            .collect::<Result<Vec<_>, _>>()
            .map(Keys)
    }
}

/// The bindings in force: the defaults with the config file's on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBindings {
    by_key: BTreeMap<Key, Action>,
    by_action: BTreeMap<Action, Vec<Key>>,
}

impl Default for KeyBindings {
    fn default() -> KeyBindings {
        KeyBindings::new(&BTreeMap::new()).expect("the defaults do not conflict")
    }
}

/// One key bound to two actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: Key,
    pub first: Action,
    pub second: Action,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is bound to both {} and {}",
            self.key,
            self.first.name(),
            self.second.name()
        )
    }
}

/// Every conflict, as the config file's error says it.
pub fn describe(conflicts: &[Conflict]) -> String {
    format!(
        "conflicting key bindings: {} (bind one of each pair to another key in [keys])",
        conflicts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    )
}

impl KeyBindings {
    /// The defaults, each action the config names taking its keys instead.
    /// A key bound to two actions is a conflict naming both.
    pub fn new(overrides: &BTreeMap<Action, Keys>) -> Result<KeyBindings, Vec<Conflict>> {
        let mut by_action = BTreeMap::new();
        for (action, _, defaults) in Action::ALL {
            let keys = match overrides.get(action) {
                Some(k) => k.0.clone(),
                None => defaults
                    .iter()
                    .map(|d| Key::parse(d).expect("default keys parse"))
                    .collect(),
            };
            by_action.insert(*action, keys);
        }
        let mut by_key = BTreeMap::new();
        let mut conflicts = Vec::new();
        for (action, keys) in &by_action {
            for key in keys {
                if let Some(other) = by_key.insert(*key, *action)
                    && other != *action
                {
                    conflicts.push(Conflict {
                        key: *key,
                        first: other,
                        second: *action,
                    });
                }
            }
        }
        if conflicts.is_empty() {
            Ok(KeyBindings { by_key, by_action })
        } else {
            Err(conflicts)
        }
    }

    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::of(ev)?).copied()
    }

    /// The keys of an action as the help overlay shows them: "↓ j".
    pub fn keys_of(&self, action: Action) -> String {
        self.by_action
            .get(&action)
            .map(|keys| {
                keys.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn the_defaults_are_todays_keys() {
        let b = KeyBindings::default();
        let none = KeyModifiers::NONE;
        assert_eq!(b.action(&ev(KeyCode::Char('j'), none)), Some(Action::Down));
        assert_eq!(b.action(&ev(KeyCode::Down, none)), Some(Action::Down));
        // Shift is in the character: G arrives as 'G' with SHIFT set.
        assert_eq!(
            b.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Last)
        );
        assert_eq!(
            b.action(&ev(KeyCode::Char('j'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(b.keys_of(Action::Down), "↓ j");
        assert_eq!(b.keys_of(Action::Faster), "+ =");
    }

    #[test]
    fn rebinding_replaces_an_actions_keys() {
        let o = BTreeMap::from([(
            Action::Refresh,
            Keys(vec![
                Key::parse("ctrl-r").unwrap(),
                Key::parse("f5").unwrap(),
            ]),
        )]);
        let b = KeyBindings::new(&o).unwrap();
        assert_eq!(
            b.action(&ev(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Refresh)
        );
        assert_eq!(
            b.action(&ev(KeyCode::F(5), KeyModifiers::NONE)),
            Some(Action::Refresh)
        );
        assert_eq!(b.action(&ev(KeyCode::Char('r'), KeyModifiers::NONE)), None);
        assert_eq!(b.keys_of(Action::Refresh), "Ctrl-r F5");
    }

    #[test]
    fn a_key_bound_twice_is_refused_naming_both() {
        let o = BTreeMap::from([(Action::Down, Keys(vec![Key::parse("n").unwrap()]))]);
        let e = describe(&KeyBindings::new(&o).unwrap_err());
        assert!(e.contains("`n` is bound to both"), "{e}");
        assert!(e.contains("down") && e.contains("name-filter"), "{e}");
    }

    #[test]
    fn key_names_parse_and_bad_ones_say_what_works() {
        for good in [
            "j",
            "?",
            "G",
            "ctrl-c",
            "alt-x",
            "f12",
            "pgdn",
            "shift-tab",
            "space",
            "-",
        ] {
            assert!(Key::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "jj", "ctrl-", "f13", "PageDown", "ctrl-ctrl"] {
            let e = Key::parse(bad).unwrap_err();
            assert!(e.contains("is not a key"), "{bad}: {e}");
        }
        assert_eq!(Action::PageDown.name(), "page-down");
        assert_eq!(Action::CopyArn.name(), "copy-arn");
    }
}
