//! `?`: every key, in one overlay, as bound now: rebinding a key in the
//! config file changes what this shows.

use crate::app::state::{Outcome, Pane, PaneKeys, State};
use crate::config::keys::{Action, KeyBindings};
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// The overlay, scrolled by this many lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Help {
    pub scroll: u16,
}

pub fn open() -> Box<dyn Pane> {
    Box::new(Help::default())
}

impl Pane for Help {
    fn key(&mut self, key: KeyEvent, _state: &State) -> Outcome {
        // No further than the overlay has lines.
        let most = (Action::ALL.len() + 2) as u16;
        match key.code {
            KeyCode::End | KeyCode::Char('G') => self.scroll = most,
            KeyCode::Home | KeyCode::Char('g') => self.scroll = 0,
            KeyCode::Down | KeyCode::Char('j') | KeyCode::PageDown => {
                let step = if key.code == KeyCode::PageDown { 10 } else { 1 };
                self.scroll = self.scroll.saturating_add(step).min(most);
            }
            KeyCode::Up | KeyCode::Char('k') | KeyCode::PageUp => {
                self.scroll =
                    self.scroll
                        .saturating_sub(if key.code == KeyCode::PageUp { 10 } else { 1 });
            }
            _ => return Outcome::close(),
        }
        Outcome::stay()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(
            frame,
            area,
            &state.settings.keys,
            self.scroll,
            state.settings.read_only,
            !state.accounts.is_empty(),
        );
    }
}

// Drawing.

/// Keys that are not table actions: the same in every binding.
const FIXED: &[(&str, &str)] = &[
    ("Esc", "close a pane, clear the search, cancel"),
    ("Ctrl-C", "quit, always"),
];

/// What S and `/` do across an organisation's accounts, where the
/// profiles' words would mislead: S lists the accounts, `/` finds them.
fn across_accounts(action: Action) -> Option<&'static str> {
    match action {
        Action::Search => {
            Some("search the loaded rows (name, ARNs, tags, failure, account by name or id)")
        }
        Action::Sources => Some("sources: check accounts and regions, type to narrow the accounts"),
        _ => None,
    }
}

fn lines(keys: &KeyBindings, read_only: bool, accounts: bool) -> Vec<Line<'static>> {
    let width = 14;
    let note = read_only.then(|| {
        Line::from(Span::styled(
            " read-only session: R and C send nothing (--read-only)",
            theme::error(),
        ))
    });
    note.into_iter()
        .chain(
            Action::ALL
                .iter()
                .map(|(action, what, _)| {
                    let what = across_accounts(*action)
                        .filter(|_| accounts)
                        .unwrap_or(what);
                    (keys.keys_of(*action), what)
                })
                .chain(FIXED.iter().map(|(k, w)| ((*k).to_string(), *w)))
                .map(|(k, what)| {
                    Line::from(vec![
                        Span::styled(format!(" {k:<width$} "), theme::key()),
                        Span::raw(what),
                    ])
                }),
        )
        .collect()
}

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    keys: &KeyBindings,
    scroll: u16,
    read_only: bool,
    accounts: bool,
) {
    let all = lines(keys, read_only, accounts);
    // Two columns when one would not fit the height and the width allows.
    let two = all.len() as u16 + 2 > area.height && area.width >= 150;
    let (width, rows) = if two {
        (150, all.len().div_ceil(2) as u16)
    } else {
        (80, all.len() as u16)
    };
    let r = crate::ui::centered(area, width, rows + 2);
    let overflow = rows + 2 > r.height;
    let block = Block::bordered()
        .title(Span::styled(" keys ", theme::title()))
        .title_bottom(Span::styled(
            if overflow {
                " ↓ ↑ scroll · any other key closes "
            } else {
                " any key closes "
            },
            theme::dim(),
        ));
    frame.render_widget(Clear, r);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    if two {
        let half = all.len().div_ceil(2);
        let (left, right) = all.split_at(half);
        let [a, b] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner);
        frame.render_widget(Paragraph::new(left.to_vec()), a);
        frame.render_widget(Paragraph::new(right.to_vec()), b);
    } else {
        // Scrolled no further than the last line needs.
        let max = (all.len() as u16).saturating_sub(inner.height);
        frame.render_widget(Paragraph::new(all).scroll((scroll.min(max), 0)), inner);
    }
}

/// `?` over a pane: that pane's keys, opened over it (drawn over it); any
/// key closes it, and the pane under it has the keys again, as it was.
#[derive(Debug, Clone)]
pub struct PaneHelp {
    keys: PaneKeys,
}

pub fn over(keys: PaneKeys) -> Box<dyn Pane> {
    Box::new(PaneHelp { keys })
}

impl Pane for PaneHelp {
    fn key(&mut self, _key: KeyEvent, _state: &State) -> Outcome {
        Outcome::close()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        let width = self
            .keys
            .keys
            .iter()
            .map(|(k, _)| crate::ui::cut::width(k))
            .max()
            .unwrap_or(0);
        let mut lines: Vec<Line> = self
            .keys
            .keys
            .iter()
            .map(|(k, what)| {
                Line::from(vec![
                    Span::styled(format!(" {k:<width$}  "), theme::key()),
                    Span::raw(*what),
                ])
            })
            .collect();
        lines.push(Line::from(Span::styled(
            " the table's keys: ? in the table",
            theme::dim(),
        )));
        let text_width = lines.iter().map(Line::width).max().unwrap_or(0) as u16;
        let r = crate::ui::centered(area, text_width + 3, lines.len() as u16 + 2);
        let block = Block::bordered()
            .title(Span::styled(
                format!(" keys in {} ", self.keys.title),
                theme::title(),
            ))
            .title_bottom(Span::styled(" any key returns ", theme::dim()));
        frame.render_widget(Clear, r);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        frame.render_widget(
            Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(accounts: bool) -> String {
        lines(&KeyBindings::default(), false, accounts)
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    /// Across an organisation's accounts S lists accounts, not profiles,
    /// and `/` finds them: help says so (README's S and `/` rows).
    #[test]
    fn across_accounts_help_says_what_s_and_search_do_with_accounts() {
        let org = text(true);
        assert!(org.contains("check accounts and regions"), "{org}");
        assert!(org.contains("account by name or id"), "{org}");
        assert!(!org.contains("check profiles"), "{org}");
        let one = text(false);
        assert!(one.contains("check profiles and regions"), "{one}");
        assert!(!one.contains("account by name"), "{one}");
    }
}
