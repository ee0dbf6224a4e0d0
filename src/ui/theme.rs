//! Colours and emphasis in one place, from the state's theme. Every status
//! also has a symbol and a word, so nothing depends on colour alone:
//! NO_COLOR drops every colour and keeps the words, the symbols and the
//! emphasis.
//!
//! The styles are read through free functions (`theme::key()`), from the
//! theme `ui::draw` installs for the frame it draws out of the state: the
//! widgets need no theme argument and a frame can only use the state's.
//! Themes are read and checked in `config::theme`.

pub use crate::config::theme::Theme;
use crate::domain::job::Status;
use ratatui::style::Style;
use std::cell::Cell;

thread_local! {
    static CURRENT: Cell<Theme> = Cell::new(Theme::default());
}

/// Installs the theme the next widgets draw with (`ui::draw` does, from the
/// state, at the start of every frame).
pub fn install(theme: Theme) {
    CURRENT.with(|c| c.set(theme));
}

fn current() -> Theme {
    CURRENT.with(Cell::get)
}

pub fn status_style(s: &Status) -> Style {
    let t = current();
    match s {
        Status::InProgress => t.in_progress,
        Status::Completed => t.completed,
        Status::Failed => t.failed,
        Status::Unknown(_) => t.unknown,
    }
}

pub fn title() -> Style {
    current().title
}

pub fn dim() -> Style {
    current().dim
}

pub fn key() -> Style {
    current().key
}

pub fn error() -> Style {
    current().error
}

pub fn header_row() -> Style {
    current().header_row
}

pub fn selected() -> Style {
    current().selected
}

/// A row whose status just changed.
pub fn changed() -> Style {
    current().changed
}

pub fn chip() -> Style {
    current().chip
}

pub fn label() -> Style {
    current().label
}

/// Pinned jobs at the top: set apart from the listing below them.
pub fn pinned() -> Style {
    current().pinned
}
