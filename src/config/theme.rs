//! Which theme the config names: a shipped one, a file beside the config
//! (`themes/NAME.toml`), or a path. A user theme may start from a shipped
//! one (`base = "light"`) and change only some styles.

use super::ConfigError;
use crate::ui::theme::{BUILTIN, Theme, ThemeFile};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum ThemeError {
    /// The config's `theme` value is wrong (said at its line).
    Config(String),
    /// The theme file itself is wrong (said at the theme file's line).
    File(ConfigError),
}

pub fn resolve(name: &str, config_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    if let Some(t) = Theme::builtin(name) {
        return Ok(t);
    }
    let path = theme_path(name, config_dir);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        ThemeError::Config(format!(
            "theme `{name}` is neither a shipped theme ({}) nor a readable file ({}: {e})",
            BUILTIN
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
            path.display()
        ))
    })?;
    from_text(&path, &text).map_err(ThemeError::File)
}

/// A path as written (absolute, or with a `/` or `.toml`), else
/// `themes/NAME.toml` beside the config file.
fn theme_path(name: &str, config_dir: Option<&Path>) -> PathBuf {
    let p = PathBuf::from(name);
    let bare = !name.contains('/') && !name.ends_with(".toml");
    let dir = config_dir.map(Path::to_path_buf).unwrap_or_default();
    if bare {
        dir.join("themes").join(format!("{name}.toml"))
    } else if p.is_absolute() {
        p
    } else {
        dir.join(p)
    }
}

/// A theme file's text: its base theme with its styles on top.
pub fn from_text(path: &Path, text: &str) -> Result<Theme, ConfigError> {
    let file: ThemeFile =
        toml::from_str(text).map_err(|e| ConfigError::from_toml(path, text, &e, &[]))?;
    let base = file.base.as_deref().unwrap_or("dark");
    let Some(theme) = Theme::builtin(base) else {
        let at = base_at(text);
        return Err(ConfigError::at(
            path,
            text,
            at,
            format!(
                "base `{base}` is not a shipped theme ({})",
                BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    Ok(theme.with(&file.styles))
}

/// Where `base` is written (its value), for an error about it: the shipped
/// themes mention `base = "light"` in a comment first.
fn base_at(text: &str) -> usize {
    #[derive(serde::Deserialize)]
    struct At {
        base: Option<toml::Spanned<String>>,
    }
    toml::from_str::<At>(text)
        .ok()
        .and_then(|a| a.base)
        .map_or(0, |b| b.span().start)
}
