//! Colours and symbols in one place. Every status also has a symbol and a
//! word, so nothing depends on colour alone.

use crate::domain::job::Status;
use ratatui::style::{Color, Modifier, Style};

pub fn status_style(s: &Status) -> Style {
    let c = match s {
        Status::InProgress => Color::Yellow,
        Status::Completed => Color::Green,
        Status::Failed => Color::Red,
        Status::Unknown(_) => Color::Magenta,
    };
    Style::new().fg(c)
}

pub fn title() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn header_row() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn selected() -> Style {
    Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

/// A row whose status just changed.
pub fn changed() -> Style {
    Style::new()
        .bg(Color::Rgb(60, 50, 0))
        .add_modifier(Modifier::BOLD)
}

pub fn chip() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}

pub fn label() -> Style {
    Style::new().fg(Color::Cyan)
}

/// Pinned jobs at the top: set apart from the listing below them.
pub fn pinned() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
