//! The column picker (`v`): which columns the table shows and in what
//! order. Every column is listed, the shown ones first in their order.

use crate::app::change::Change;
use crate::app::state::{Outcome, Pane, State};
use crate::domain::column::Column;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnPicker {
    /// Every column, with whether it is shown; shown ones in display order.
    pub items: Vec<(Column, bool)>,
    pub cursor: usize,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Stay,
    Cancel,
    Apply(Vec<Column>),
}

impl ColumnPicker {
    pub fn open(shown: &[Column]) -> ColumnPicker {
        let mut items: Vec<(Column, bool)> = shown.iter().map(|c| (*c, true)).collect();
        items.extend(
            Column::ALL
                .iter()
                .filter(|c| !shown.contains(c))
                .map(|c| (*c, false)),
        );
        ColumnPicker {
            items,
            cursor: 0,
            error: None,
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Chosen {
        let last = self.items.len() - 1;
        let shift = key.modifiers.contains(KeyModifiers::SHIFT);
        self.error = None;
        match key.code {
            KeyCode::Esc => return Chosen::Cancel,
            KeyCode::Enter => {
                let shown: Vec<Column> = self
                    .items
                    .iter()
                    .filter(|(_, on)| *on)
                    .map(|(c, _)| *c)
                    .collect();
                if shown.is_empty() {
                    self.error = Some("Show at least one column (Space shows)".into());
                } else {
                    return Chosen::Apply(shown);
                }
            }
            // Moving a column: Shift with an arrow, or J / K.
            KeyCode::Up if shift => self.swap(false),
            KeyCode::Down if shift => self.swap(true),
            KeyCode::Char('K') => self.swap(false),
            KeyCode::Char('J') => self.swap(true),
            KeyCode::Up | KeyCode::Char('k') => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.cursor = (self.cursor + 1).min(last),
            KeyCode::Home | KeyCode::Char('g') => self.cursor = 0,
            KeyCode::End | KeyCode::Char('G') => self.cursor = last,
            KeyCode::Char(' ') => self.items[self.cursor].1 ^= true,
            _ => {}
        }
        Chosen::Stay
    }

    fn swap(&mut self, down: bool) {
        let i = self.cursor;
        let j = if down {
            (i + 1).min(self.items.len() - 1)
        } else {
            i.saturating_sub(1)
        };
        self.items.swap(i, j);
        self.cursor = j;
    }
}

/// `v`: the picker on the columns shown now.
pub fn open(state: &State) -> Box<dyn Pane> {
    Box::new(ColumnPicker::open(&state.settings.columns))
}

impl Pane for ColumnPicker {
    fn key(&mut self, key: KeyEvent, _state: &State) -> Outcome {
        match ColumnPicker::key(self, key) {
            Chosen::Stay => Outcome::stay(),
            Chosen::Cancel => Outcome::close(),
            Chosen::Apply(columns) => Outcome::close()
                .with(Change::Columns(columns))
                .said("Columns changed (kept for these sources; the config file sets the default)"),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        draw(frame, area, self);
    }
}

// Drawing.

pub fn draw(frame: &mut Frame, area: Rect, p: &ColumnPicker) {
    let r = crate::ui::centered(area, 56, p.items.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let bottom = match &p.error {
        Some(e) => Span::styled(format!(" ✘ {e} "), theme::error()),
        None => Span::styled(
            " Space show/hide · J/K move · Enter apply · Esc ",
            theme::dim(),
        ),
    };
    let items: Vec<ListItem> = p
        .items
        .iter()
        .map(|(c, on)| {
            ListItem::new(Line::from(vec![
                Span::raw(if *on { " [x] " } else { " [ ] " }),
                Span::raw(c.header()),
            ]))
        })
        .collect();
    let list = List::new(items)
        .block(
            Block::bordered()
                .title(Span::styled(" columns ", theme::title()))
                .title_bottom(bottom),
        )
        .highlight_style(theme::selected());
    let mut st = ListState::default().with_selected(Some(p.cursor));
    frame.render_stateful_widget(list, r, &mut st);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(p: &mut ColumnPicker, code: KeyCode) -> Chosen {
        p.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn show_hide_and_reorder() {
        let mut p = ColumnPicker::open(&[Column::Status, Column::Name, Column::Age]);
        assert_eq!(p.items.len(), Column::ALL.len());
        // Move Name above Status, hide Age, show the job ARN (listed after the shown ones).
        press(&mut p, KeyCode::Down);
        press(&mut p, KeyCode::Char('K'));
        press(&mut p, KeyCode::Down);
        press(&mut p, KeyCode::Down);
        press(&mut p, KeyCode::Char(' '));
        let arn = p
            .items
            .iter()
            .position(|(c, _)| *c == Column::JobArn)
            .unwrap();
        p.cursor = arn;
        press(&mut p, KeyCode::Char(' '));
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            Chosen::Apply(vec![Column::Name, Column::Status, Column::JobArn])
        );
    }

    #[test]
    fn no_column_at_all_is_refused() {
        let mut p = ColumnPicker::open(&[Column::Status]);
        press(&mut p, KeyCode::Char(' '));
        assert_eq!(press(&mut p, KeyCode::Enter), Chosen::Stay);
        assert!(p.error.is_some());
        assert_eq!(press(&mut p, KeyCode::Esc), Chosen::Cancel);
    }
}
