//! Themes: the styles of a theme, the files they are read from (a shipped
//! one, a file beside the config as `themes/NAME.toml`, or a path) and
//! their checks. A user theme may start from a shipped one (`base =
//! "light"`) and change only some styles. Drawing only reads a `Theme`
//! (`ui::theme`).

use super::ConfigError;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The themes shipped in `assets/themes/`, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub in_progress: Style,
    pub completed: Style,
    pub failed: Style,
    pub unknown: Style,
    pub title: Style,
    pub dim: Style,
    pub key: Style,
    pub error: Style,
    pub header_row: Style,
    pub selected: Style,
    pub changed: Style,
    pub chip: Style,
    pub label: Style,
    pub pinned: Style,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::builtin("dark").expect("the dark theme is built in and parses")
    }
}

/// A theme file: `[styles]`, and optionally the theme it changes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    #[serde(default)]
    pub base: Option<String>,
    #[serde(default)]
    pub styles: BTreeMap<StyleName, StyleSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StyleName {
    InProgress,
    Completed,
    Failed,
    Unknown,
    Title,
    Dim,
    Key,
    Error,
    HeaderRow,
    Selected,
    Changed,
    Chip,
    Label,
    Pinned,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<ColorSpec>,
    pub bg: Option<ColorSpec>,
    #[serde(default)]
    pub bold: bool,
    #[serde(default)]
    pub italic: bool,
    #[serde(default)]
    pub underlined: bool,
    #[serde(default)]
    pub reversed: bool,
    #[serde(default)]
    pub dim: bool,
}

/// A colour checked when the file is read, so a typo is reported with its
/// line instead of showing as the terminal's default colour.
#[derive(Debug, Clone, Copy)]
pub struct ColorSpec(pub Color);

impl<'de> Deserialize<'de> for ColorSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ColorSpec, D::Error> {
        let s = String::deserialize(d)?;
        Color::from_str(&s).map(ColorSpec).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{s}` is not a colour: use a name (red, lightblue, darkgray…), \"#rrggbb\" or a 256-colour index"
            ))
        })
    }
}

impl StyleSpec {
    fn style(&self) -> Style {
        let mut s = Style::new();
        if let Some(c) = self.fg {
            s = s.fg(c.0);
        }
        if let Some(c) = self.bg {
            s = s.bg(c.0);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
            (self.dim, Modifier::DIM),
        ] {
            if on {
                s = s.add_modifier(m);
            }
        }
        s
    }
}

impl Theme {
    /// A shipped theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let text = BUILTIN.iter().find(|(n, _)| *n == name)?.1;
        let file: ThemeFile = toml::from_str(text).ok()?;
        Some(Theme::blank().with(&file.styles))
    }

    /// Every style plain: what a theme file's styles are laid on.
    fn blank() -> Theme {
        let s = Style::new();
        Theme {
            in_progress: s,
            completed: s,
            failed: s,
            unknown: s,
            title: s,
            dim: s,
            key: s,
            error: s,
            header_row: s,
            selected: s,
            changed: s,
            chip: s,
            label: s,
            pinned: s,
        }
    }

    /// This theme with `styles` replacing the ones they name.
    pub fn with(mut self, styles: &BTreeMap<StyleName, StyleSpec>) -> Theme {
        for (name, spec) in styles {
            let slot = match name {
                StyleName::InProgress => &mut self.in_progress,
                StyleName::Completed => &mut self.completed,
                StyleName::Failed => &mut self.failed,
                StyleName::Unknown => &mut self.unknown,
                StyleName::Title => &mut self.title,
                StyleName::Dim => &mut self.dim,
                StyleName::Key => &mut self.key,
                StyleName::Error => &mut self.error,
                StyleName::HeaderRow => &mut self.header_row,
                StyleName::Selected => &mut self.selected,
                StyleName::Changed => &mut self.changed,
                StyleName::Chip => &mut self.chip,
                StyleName::Label => &mut self.label,
                StyleName::Pinned => &mut self.pinned,
            };
            *slot = spec.style();
        }
        self
    }

    /// NO_COLOR: no colour at all, emphasis kept; the selection and the
    /// changed rows, which colour alone set apart, are reversed and bold.
    pub fn without_color(self) -> Theme {
        let strip = |s: Style| Style {
            fg: None,
            bg: None,
            underline_color: None,
            ..s
        };
        Theme {
            in_progress: strip(self.in_progress),
            completed: strip(self.completed),
            failed: strip(self.failed),
            unknown: strip(self.unknown),
            title: strip(self.title),
            dim: strip(self.dim),
            key: strip(self.key),
            error: strip(self.error),
            header_row: strip(self.header_row),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            changed: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            chip: Style::new().add_modifier(Modifier::REVERSED),
            label: strip(self.label),
            pinned: strip(self.pinned),
        }
    }
}

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

#[cfg(test)]
mod styles_tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_and_sets_every_style() {
        for (name, text) in BUILTIN {
            let file: ThemeFile = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(file.styles.len(), 14, "{name} sets every style");
            assert!(file.base.is_none());
        }
        // Today's look is the dark theme's.
        let dark = Theme::default();
        assert_eq!(dark.in_progress, Style::new().fg(Color::Yellow));
        assert_eq!(dark.changed.bg, Some(Color::Rgb(60, 50, 0)));
    }

    #[test]
    fn no_color_keeps_emphasis_and_drops_colour() {
        let t = Theme::default().without_color();
        assert_eq!(t.failed.fg, None);
        assert!(t.error.add_modifier.contains(Modifier::BOLD));
        assert!(t.selected.add_modifier.contains(Modifier::REVERSED));
    }
}
