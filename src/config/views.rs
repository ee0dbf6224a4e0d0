//! Remembered views: the last filters, order and panes per set of sources,
//! and views saved by name, in one JSON file in the platform's state
//! directory. Times keep the words they were given ("7d" stays "the last
//! seven days", not the instant it meant yesterday).
//!
//! The file is replaced atomically (written beside it, then renamed), so a
//! crash mid-write leaves the previous file, never half of one.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a view holds: the filters as the flags take them, and the panes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedView {
    pub status: String,
    pub since: String,
    pub until: String,
    pub name: String,
    pub source_account: String,
    pub source_model_arn: String,
    /// "newest" or "oldest".
    pub sort: String,
    pub detail_open: bool,
    pub show_log: bool,
    /// The columns in their order; empty: the config's.
    pub columns: Vec<crate::domain::column::Column>,
    /// The loaded rows sorted by a column, if they were.
    pub sort_column: Option<crate::domain::column::Column>,
    pub sort_descending: bool,
    /// The config's view stamp when this was saved (`Loaded::view_stamp`).
    pub config: String,
    /// The pinned jobs' ARNs, top first: read back on the next start.
    pub pinned: Vec<String>,
}

impl SavedView {
    /// The view's filter as text: every field set, an empty one "none".
    pub fn filter_text(&self) -> crate::domain::filter_text::FilterText {
        crate::domain::filter_text::FilterText {
            status: Some(self.status.clone()),
            created_after: Some(self.since.clone()),
            created_before: Some(self.until.clone()),
            name: Some(self.name.clone()),
            source_account: Some(self.source_account.clone()),
            source_model_arn: Some(self.source_model_arn.clone()),
            sort: Some(self.sort.clone()),
        }
    }

    /// How a message names a field of a saved view: by its key in the
    /// views file ("the saved view's since"), the config file's `[filter]`
    /// keys, as a view is saved with the same names.
    pub fn field_name(field: crate::domain::query::Field) -> String {
        format!("the saved view's {}", super::FilterDefaults::key(field))
    }

    /// A view of `text`'s filter (and default panes).
    pub fn of_filter(text: &crate::domain::filter_text::FilterText) -> SavedView {
        let get = |v: &Option<String>| v.clone().unwrap_or_default();
        SavedView {
            status: text.status.clone().unwrap_or_else(|| "any".into()),
            since: get(&text.created_after),
            until: get(&text.created_before),
            name: get(&text.name),
            source_account: get(&text.source_account),
            source_model_arn: get(&text.source_model_arn),
            sort: text.sort.clone().unwrap_or_else(|| "newest".into()),
            ..SavedView::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Views {
    /// The last view of each set of sources, by [`sources_key`].
    pub last: BTreeMap<String, SavedView>,
    pub named: BTreeMap<String, SavedView>,
}

/// The set of sources a view belongs to, order aside: "ml/us-east-1 prod/…".
pub fn sources_key(sources: &[crate::watch::SourceSpec]) -> String {
    let mut parts: Vec<String> = sources.iter().map(ToString::to_string).collect();
    parts.sort();
    parts.dedup();
    parts.join(" ")
}

/// The key of a session's last view: the demo's data is not an account's,
/// so its views are kept apart from a real us-east-1's.
pub fn key_for(sources: &[crate::watch::SourceSpec], demo: bool) -> String {
    let key = sources_key(sources);
    if demo { format!("demo {key}") } else { key }
}

/// The jobs pinned when these sources were last shown. Pins are kept
/// whatever happened to the rest of that view (a changed config drops its
/// filters, not the jobs a person chose to watch).
pub fn pins_for(views: &Views, sources: &[crate::watch::SourceSpec], demo: bool) -> Vec<String> {
    views
        .last
        .get(&key_for(sources, demo))
        .map(|v| v.pinned.clone())
        .unwrap_or_default()
}

/// `$XDG_STATE_HOME/copyjobs/views.json` (or the data directory where the
/// platform has no state directory).
pub fn default_path() -> Option<PathBuf> {
    super::state_dir().map(|d| d.join("views.json"))
}

/// A view's name: something to type after `:view`.
pub fn check_name(name: &str) -> Result<&str, String> {
    let name = name.trim();
    let ok = !name.is_empty()
        && name.chars().count() <= 40
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(name)
    } else {
        Err(format!(
            "'{}' is not a view name: up to 40 letters, digits, '-', '_' or '.'",
            crate::domain::query::echo(name)
        ))
    }
}

impl Views {
    /// The views in `path`; none when it is missing. A file that cannot be
    /// read is an error, so a bad one is reported, not silently replaced.
    pub fn load(path: &Path) -> Result<Views, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| {
                format!(
                    "{}: not a views file ({e}); move it away or start with --fresh",
                    path.display()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Views::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    /// Writes `path` whole or not at all.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            super::private::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        super::private::write(&tmp, text)?;
        std::fs::rename(&tmp, path).inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::SourceSpec;

    fn spec(p: Option<&str>, r: &str) -> SourceSpec {
        SourceSpec {
            profile: p.map(str::to_string),
            region: Some(r.to_string()),
            account: None,
        }
    }

    #[test]
    fn the_sources_key_ignores_order() {
        let a = sources_key(&[spec(None, "us-west-2"), spec(Some("ml"), "us-east-1")]);
        let b = sources_key(&[spec(Some("ml"), "us-east-1"), spec(None, "us-west-2")]);
        assert_eq!(a, b);
        assert_eq!(a, "ml/us-east-1 us-west-2");
    }

    #[test]
    fn views_round_trip_through_the_file_and_a_bad_file_is_reported() {
        let dir = std::env::temp_dir().join(format!("copyjobs-views-{}", std::process::id()));
        let path = dir.join("state/views.json");
        assert_eq!(
            Views::load(&path).unwrap(),
            Views::default(),
            "missing: none"
        );
        let mut v = Views::default();
        v.last.insert(
            "us-east-1".into(),
            SavedView {
                status: "failed".into(),
                since: "7d".into(),
                detail_open: true,
                pinned: vec!["arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abc".into()],
                ..SavedView::default()
            },
        );
        v.named.insert(
            "kms".into(),
            SavedView {
                name: "nova".into(),
                ..SavedView::default()
            },
        );
        v.save(&path).unwrap();
        assert_eq!(Views::load(&path).unwrap(), v);
        assert_eq!(
            pins_for(&v, &[spec(None, "us-east-1")], false),
            ["arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abc"],
            "pins come back with the view"
        );
        assert!(
            pins_for(&v, &[spec(None, "us-east-1")], true).is_empty(),
            "not the demo's"
        );
        // A views file from before pins reads as none.
        let old = r#"{"last": {"us-east-1": {"status": "failed"}}}"#;
        let read: Views = serde_json::from_str(old).unwrap();
        assert!(read.last["us-east-1"].pinned.is_empty());
        // No temporary file is left beside it.
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["views.json"]);
        std::fs::write(&path, "{ half").unwrap();
        assert!(Views::load(&path).unwrap_err().contains("--fresh"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn view_names_are_checked() {
        assert_eq!(check_name(" kms-failures "), Ok("kms-failures"));
        assert!(check_name("two words").is_err());
        assert!(check_name("").is_err());
    }
}
