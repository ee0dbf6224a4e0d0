//! The filter panes: every field of the query, checked as you type.

use super::theme;
use crate::app::State;
use crate::app::state::FilterPane;
use crate::domain::query::Field;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

const LABEL: usize = 19;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, pane: &FilterPane) {
    let (now, tz) = (state.now, state.settings.tz);
    let height = (Field::ALL.len() as u16 * 2 + 6).min(area.height);
    let r = super::centered(area, 96, height);
    let mut lines = Vec::new();
    let mut cursor = None;
    for field in &Field::ALL {
        let focused = *field == pane.focus;
        let marker = if focused { "▶ " } else { "  " };
        let label = Span::styled(
            format!("{marker}{:<w$}", field.label(), w = LABEL - 2),
            if focused {
                theme::key()
            } else {
                theme::label()
            },
        );
        let value = match field {
            Field::Status | Field::Sort => format!("◀ {} ▶", pane.draft.text(*field)),
            _ => pane.draft.text(*field),
        };
        let value_style = if focused {
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            label,
            Span::styled(clean(&value).into_owned(), value_style),
        ]));
        if focused && !matches!(field, Field::Status | Field::Sort) {
            cursor = Some((lines.len() as u16 - 1, pane.input.visual_cursor() as u16));
        }
        let error = pane.draft.field_error(*field, now, &tz);
        let note = match (&error, pane.draft.preview(*field, now, &tz)) {
            (Some(e), _) if focused || pane.tried => Some((format!("✘ {e}"), theme::error())),
            (None, Some(p)) => Some((format!("= {p}"), theme::dim())),
            _ => hint(*field, focused).map(|h| (h.to_string(), theme::dim())),
        };
        match note {
            // Long messages wrap under the value, never under the labels.
            Some((text, style)) => {
                let opts =
                    textwrap::Options::new(usize::from(r.width).saturating_sub(LABEL + 2).max(10))
                        .break_words(true)
                        .word_splitter(textwrap::WordSplitter::NoHyphenation);
                for part in textwrap::wrap(&clean(&text), opts) {
                    lines.push(Line::from(Span::styled(
                        format!("{:LABEL$}{part}", ""),
                        style,
                    )));
                }
            }
            None => lines.push(Line::from("")),
        }
    }
    let ok = pane.draft.validate(now, &tz).is_ok();
    lines.push(Line::from(vec![
        Span::styled(" Tab/Shift-Tab", theme::key()),
        Span::styled(" move  ", theme::dim()),
        Span::styled("←/→", theme::key()),
        Span::styled(" choose  ", theme::dim()),
        Span::styled("Enter", theme::key()),
        Span::styled(
            if ok {
                " apply  "
            } else {
                " apply (fix the fields in red first)  "
            },
            if ok { theme::dim() } else { theme::error() },
        ),
        Span::styled("Esc", theme::key()),
        Span::styled(" cancel", theme::dim()),
    ]));
    let block = Block::bordered().title(Span::styled(" filters ", theme::title()));
    let inner = block.inner(r);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        r,
    );
    if let Some((row, col)) = cursor {
        let x = (inner.x + LABEL as u16 + col).min(inner.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y + row));
    }
}

fn hint(field: Field, focused: bool) -> Option<&'static str> {
    if !focused {
        return None;
    }
    Some(match field {
        Field::Status | Field::Sort => "←/→ or Space to change",
        Field::CreatedAfter | Field::CreatedBefore => {
            "2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d, today, yesterday; empty: no limit"
        }
        Field::Name => "part of the target model name; empty: any",
        Field::SourceAccount => "12 digits; empty: any",
        Field::SourceModelArn => "the full source model ARN; empty: any",
    })
}
