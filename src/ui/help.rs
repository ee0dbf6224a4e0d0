//! Every key, in one overlay, as bound now: rebinding a key in the config
//! file changes what this shows.

use super::theme;
use crate::config::keys::{Action, KeyBindings};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// Keys that are not table actions: the same in every binding.
const FIXED: &[(&str, &str)] = &[
    ("Esc", "close a pane, clear the search, cancel"),
    ("Ctrl-C", "quit, always"),
];

fn lines(keys: &KeyBindings, read_only: bool) -> Vec<Line<'static>> {
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
                .map(|(action, what, _)| (keys.keys_of(*action), *what))
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

pub fn draw(frame: &mut Frame, area: Rect, keys: &KeyBindings, scroll: u16, read_only: bool) {
    let all = lines(keys, read_only);
    // Two columns when one would not fit the height and the width allows.
    let two = all.len() as u16 + 2 > area.height && area.width >= 150;
    let (width, rows) = if two {
        (150, all.len().div_ceil(2) as u16)
    } else {
        (80, all.len() as u16)
    };
    let r = super::centered(area, width, rows + 2);
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
