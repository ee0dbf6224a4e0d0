//! A config problem told as a compiler would: the file, the line and column,
//! what is wrong, and for a misspelt key the nearest valid one.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based; absent when the problem is the whole file (unreadable).
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The offending line of the file, for the snippet.
    pub source_line: Option<String>,
}

impl ConfigError {
    pub fn whole(file: &Path, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: file.to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            source_line: None,
        }
    }

    /// A problem at byte `at` of `text`.
    pub fn at(file: &Path, text: &str, at: usize, message: impl Into<String>) -> ConfigError {
        let at = at.min(text.len());
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        // A CR is part of the line's end, not a column of it.
        let column = before[line_start..].trim_end_matches('\r').chars().count() + 1;
        ConfigError {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            source_line: text.lines().nth(line - 1).map(str::to_string),
        }
    }

    /// From a TOML or serde error: its span, a hint for unknown keys and
    /// values, and for a value of the wrong type what its key takes, in
    /// words (`key` is the keys of the value the error is about).
    pub fn from_toml(file: &Path, text: &str, e: &toml::de::Error, key: &[String]) -> ConfigError {
        let message = wrong_type(e.message(), key).unwrap_or_else(|| explain(e.message()));
        match e.span() {
            Some(span) => ConfigError::at(file, text, span.start, message),
            None => ConfigError::whole(file, message),
        }
    }
}

/// What each setting takes, in words and with an example, for a value of
/// the wrong type: serde would say `expected i64`.
pub fn expected(key: &[&str]) -> Option<&'static str> {
    if key.first() == Some(&"replicate") {
        return super::policy::expected(key);
    }
    Some(match key {
        ["sources" | "org" | "view" | "filter" | "notify" | "watch" | "keys"] => {
            "a table: a line such as [view], then its settings"
        }
        ["copy_regions"] => {
            "a table: a line [copy_regions], then lines such as \"amazon.nova-lite-v1\" = [\"us-east-1\"]"
        }
        ["copy_regions", _] => {
            "a list of region names, like [\"us-east-1\", \"eu-west-1\"], after a base model in quotes, like \"amazon.nova-lite-v1\""
        }
        ["sources", "profiles"] => "a list of profile names, like [\"ml-prod\", \"ml-dev\"]",
        ["sources", "regions"] => "a list of region names, like [\"us-east-1\", \"eu-central-1\"]",
        ["org", "accounts" | "exclude_accounts"] => {
            "a list of 12-digit account ids as text, like [\"111122223333\"]"
        }
        ["org", "role_name" | "sso_role"] => "a role's name, like \"CopyJobsReader\"",
        ["view", "refresh"] => "a number of seconds, like 10",
        ["view", "page_size"] => "a number of jobs a request, like 100",
        ["view", "time_zone"] => "\"local\", \"utc\" or an offset, like \"+02:00\"",
        ["view", "date_format"] => "a strftime format, like \"%Y-%m-%d %H:%M\"",
        ["view", "theme"] => "a theme's name or file, like \"light\"",
        ["view", "columns"] => "a list of column names, like [\"status\", \"name\", \"age\"]",
        ["view", "mouse" | "read_only"]
        | ["notify", "bell" | "desktop"]
        | ["sources", "allow_unknown_regions"]
        | ["org", "enabled"] => "true or false",
        ["filter", "status"] => "a status, like \"failed\" (any, inprogress, completed or failed)",
        ["filter", "since" | "until"] => "a time, like \"7d\" or \"2025-06-01\"",
        ["filter", "name"] => "text a target model name contains, like \"fraud\"",
        ["filter", "source_account"] => "a 12-digit account as text, like \"123456789012\"",
        ["filter", "source_model_arn"] => {
            "a model ARN as text, like \"arn:aws:bedrock:us-west-2:123456789012:custom-model/…\""
        }
        ["filter", "sort"] => "\"newest\" or \"oldest\"",
        ["notify", "on_change"] => "a command, like \"notify-send copyjobs\"",
        ["watch", "visibility_lag"] => "a number of seconds, like 300",
        ["history"] => "true, false, or a table: a line [history], then keep_days = 180",
        ["history", "enabled"] => "true or false",
        ["history", "keep_days"] => "a number of days, like 180",
        ["keys", _] => "a key or a list of keys, like \"j\" or [\"down\", \"j\"]",
        _ => return None,
    })
}

/// serde says "invalid type: string \"ten\", expected i64": say what the key
/// takes instead, and what was found.
fn wrong_type(message: &str, key: &[String]) -> Option<String> {
    let found = message
        .trim()
        .strip_prefix("invalid type: ")?
        .split_once(", expected")?
        .0;
    let keys: Vec<&str> = key.iter().map(String::as_str).collect();
    let words = expected(&keys)?;
    Some(format!(
        "`{}` must be {words} (not {})",
        keys.last()?,
        crate::domain::query::echo(found)
    ))
}

/// serde says "unknown field `thme`, expected one of `a`, `b`": say which
/// one was probably meant.
fn explain(message: &str) -> String {
    let message = message.trim();
    let (what, rest) = if let Some(r) = message.strip_prefix("unknown field `") {
        ("key", r)
    } else if let Some(r) = message.strip_prefix("unknown variant `") {
        ("value", r)
    } else {
        return message.to_string();
    };
    let Some((given, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let valid: Vec<&str> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty())
        .collect();
    let nearest = valid
        .iter()
        .map(|v| (strsim::damerau_levenshtein(given, v), *v))
        .filter(|(d, v)| *d <= (v.len() / 2).max(2))
        .min();
    let list = valid
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match nearest {
        Some((_, v)) => format!("unknown {what} `{given}`: did you mean `{v}`? (valid: {list})"),
        None if valid.is_empty() => format!("unknown {what} `{given}`"),
        None => format!("unknown {what} `{given}` (valid: {list})"),
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(f, ": {}", self.message)?;
        if let (Some(l), Some(c), Some(src)) = (self.line, self.column, &self.source_line) {
            // The file's own line, shown, never obeyed.
            let src = crate::output::sanitize::clean(src);
            let gutter = l.to_string().len();
            write!(f, "\n {l} | {src}\n {:gutter$} | {:>c$}", "", "^", c = c)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_get_the_nearest_valid_one() {
        assert_eq!(
            explain("unknown field `thme`, expected one of `refresh`, `theme`, `columns`"),
            "unknown key `thme`: did you mean `theme`? (valid: `refresh`, `theme`, `columns`)"
        );
        assert_eq!(
            explain("unknown variant `nmae`, expected `name` or `status`"),
            "unknown value `nmae`: did you mean `name`? (valid: `name`, `status`)"
        );
        assert_eq!(
            explain("unknown field `zzzzzzzz`, expected `theme`"),
            "unknown key `zzzzzzzz` (valid: `theme`)"
        );
        assert_eq!(explain("invalid type"), "invalid type");
    }

    #[test]
    fn a_wrong_type_says_what_the_key_takes() {
        let key = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            wrong_type(
                "invalid type: string \"ten\", expected i64",
                &key(&["view", "refresh"])
            ),
            Some("`refresh` must be a number of seconds, like 10 (not string \"ten\")".into())
        );
        assert_eq!(
            wrong_type(
                "invalid type: integer `5`, expected a string",
                &key(&["sources", "regions"])
            ),
            Some(
                "`regions` must be a list of region names, like [\"us-east-1\", \"eu-central-1\"] (not integer `5`)"
                    .into()
            )
        );
        assert_eq!(
            wrong_type("invalid type: x, expected y", &key(&["nope"])),
            None
        );
        assert_eq!(wrong_type("unknown field `x`", &key(&["view"])), None);
    }

    #[test]
    fn positions_are_lines_and_columns_with_a_snippet() {
        let text = "[view]\nrefresh = 0\n";
        let e = ConfigError::at(
            Path::new("c.toml"),
            text,
            text.find('0').unwrap(),
            "too small",
        );
        assert_eq!((e.line, e.column), (Some(2), Some(11)));
        assert_eq!(
            e.to_string(),
            "c.toml:2:11: too small\n 2 | refresh = 0\n   |           ^"
        );
    }
}
