//! Where things are written in a config file's text, for the problems found
//! after serde has read it (a filter checked with the flags' rules, a column
//! listed twice, a key bound twice, a value of the wrong type) and for
//! messages that point at a setting: a second, untyped reading of the same
//! text that keeps every key's and value's place.

use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub struct Spans<'a> {
    root: Option<DeTable<'a>>,
}

/// The entry named `key` of a table.
fn entry<'t, 'a>(table: &'t DeTable<'a>, key: &str) -> Option<&'t Spanned<DeValue<'a>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

impl<'a> Spans<'a> {
    /// A text that is not TOML has no places: every look-up finds nothing.
    pub fn parse(text: &'a str) -> Spans<'a> {
        Spans {
            root: DeTable::parse(text).ok().map(Spanned::into_inner),
        }
    }

    fn find(&self, path: &[&str]) -> Option<&Spanned<DeValue<'a>>> {
        let (last, tables) = path.split_last()?;
        let mut table = self.root.as_ref()?;
        for name in tables {
            match entry(table, name)?.get_ref() {
                DeValue::Table(t) => table = t,
                _ => return None,
            }
        }
        entry(table, last)
    }

    /// The bytes of the value at `path` (`["view", "refresh"]`).
    pub fn value(&self, path: &[&str]) -> Option<Range<usize>> {
        self.find(path).map(Spanned::span)
    }

    /// The bytes of each item of the array at `path`.
    pub fn items(&self, path: &[&str]) -> Vec<Range<usize>> {
        match self.find(path).map(Spanned::get_ref) {
            Some(DeValue::Array(items)) => items.iter().map(Spanned::span).collect(),
            _ => Vec::new(),
        }
    }

    /// The keys of the value written at byte `at`, outermost first: what a
    /// serde error at that place was about.
    pub fn path_at(&self, at: usize) -> Vec<String> {
        fn walk(table: &DeTable<'_>, at: usize, path: &mut Vec<String>) -> bool {
            for (k, v) in table.iter() {
                path.push(k.get_ref().to_string());
                let inside = v.span().contains(&at) || v.span().start == at;
                match v.get_ref() {
                    // A table's span may be its header alone: look inside
                    // whatever it says.
                    DeValue::Table(t) if walk(t, at, path) => return true,
                    // An array of tables (`[[replicate]]`): the keys inside
                    // the table that holds the place.
                    DeValue::Array(items)
                        if items.iter().any(|i| match i.get_ref() {
                            DeValue::Table(t) => walk(t, at, path),
                            _ => false,
                        }) =>
                    {
                        return true;
                    }
                    _ if inside => return true,
                    _ => {}
                }
                path.pop();
            }
            false
        }
        let mut path = Vec::new();
        if let Some(root) = &self.root {
            walk(root, at, &mut path);
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "[view]\nrefresh = 5\ncolumns = [\"name\",\n  \"status\"]\n[keys]\ndown = [\"n\", \"j\"]\n";

    #[test]
    fn values_items_and_paths_are_found_where_written() {
        let s = Spans::parse(TEXT);
        let at = |needle: &str| TEXT.find(needle).unwrap();
        assert_eq!(
            s.value(&["view", "refresh"]).map(|r| r.start),
            Some(at("5"))
        );
        let items = s.items(&["view", "columns"]);
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].start, at("\"status\""));
        assert_eq!(s.path_at(at("5")), ["view", "refresh"]);
        assert_eq!(s.path_at(at("\"status\"")), ["view", "columns"]);
        assert_eq!(s.path_at(at("\"j\"")), ["keys", "down"]);
        assert!(s.value(&["view", "theme"]).is_none());
        assert!(Spans::parse("[[").value(&["view"]).is_none());
    }
}
