//! The event log, newest first: when, where (the account too, across an
//! organisation's), what changed, which job (name
//! and id) and why it failed. With the focus, the entry under the cursor is
//! marked and its whole failure text is shown under it, wrapped.

use super::theme;
use crate::app::State;
use crate::app::log::{LogLine, SourceNote};
use crate::app::state::Focus;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// "◐ → ✘ Failed", "new ◐ InProgress", "✘ not answering".
fn change(line: &LogLine) -> Vec<Span<'static>> {
    match (line.source, &line.from) {
        (Some(SourceNote::Failed), _) => vec![Span::styled("✘ not answering", theme::error())],
        (Some(SourceNote::Back), _) => vec![Span::styled("✔ answers again", theme::dim())],
        (Some(SourceNote::Unkept), _) => {
            vec![Span::styled("! breaks the API's promises", theme::error())]
        }
        (None, Some(from)) => vec![
            Span::styled(from.symbol(), theme::status_style(from)),
            Span::raw(" → "),
            Span::styled(
                format!("{} {}", line.to.symbol(), clean(line.to.as_str())),
                theme::status_style(&line.to),
            ),
        ],
        (None, None) => vec![
            Span::styled("new ", theme::dim()),
            Span::styled(
                format!("{} {}", line.to.symbol(), clean(line.to.as_str())),
                theme::status_style(&line.to),
            ),
        ],
    }
}

/// Pads `spans` to `w` cells.
fn padded(mut spans: Vec<Span<'static>>, w: usize) -> Vec<Span<'static>> {
    let used: usize = spans.iter().map(Span::width).sum();
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    spans
}

/// The account an entry is of, across an organisation's accounts: a
/// source's, or a job's by its ARN's id, labelled as the Account column
/// labels it (`ml-prod · 111122223333`).
fn account(line: &LogLine, state: &State) -> String {
    if let Some(a) = &line.account {
        return clean(a).into_owned();
    }
    match line.job_arn.split(':').nth(4) {
        Some(id) if !id.is_empty() => clean(&state.account_label(id)).into_owned(),
        _ => String::new(),
    }
}

/// One entry on one line of `width` cells; `account_w` (0: one account),
/// `region_w` and `name_w` align the accounts, regions and names.
fn entry(
    line: &LogLine,
    state: &State,
    width: usize,
    (account_w, region_w, name_w): (usize, usize, usize),
    cursor: bool,
) -> Line<'static> {
    let mut spans = vec![Span::styled(
        super::local(line.at, &state.settings.tz, "%H:%M:%S  "),
        theme::dim(),
    )];
    if account_w > 0 {
        let text =
            super::cut::account_among(&account(line, state), &state.account_labels(), account_w);
        let pad = account_w.saturating_sub(super::cut::width(&text));
        spans.push(Span::raw(format!("{text}{}  ", " ".repeat(pad))));
    }
    spans.push(Span::raw(format!("{:<region_w$}  ", clean(&line.region))));
    spans.extend(padded(change(line), 17));
    let name = clean(shown_name(line));
    let pad = name_w.saturating_sub(super::cut::width(&name));
    spans.push(Span::raw(format!("{name}{}", " ".repeat(pad))));
    if line.source.is_none() {
        spans.push(Span::styled(
            format!(" {}", clean(line.job_id())),
            theme::dim(),
        ));
    }
    if let Some(f) = &line.failure {
        spans.push(Span::styled(format!("  {}", clean(f)), theme::error()));
    }
    // Cut to the width, span by span, so the styles stay where they were.
    let mut left = width;
    let spans = spans
        .into_iter()
        .map_while(|sp| {
            if left == 0 {
                return None;
            }
            let w = sp.width();
            let out = if w <= left {
                sp
            } else {
                Span::styled(super::cut::end(&sp.content, left), sp.style)
            };
            left = left.saturating_sub(w);
            Some(out)
        })
        .collect::<Vec<_>>();
    let l = Line::from(spans);
    if cursor {
        l.style(theme::selected())
    } else {
        l
    }
}

/// The entry's name as shown: a source's label repeats its region unless
/// a profile is in it, and an account's source its account and region.
fn shown_name(line: &LogLine) -> &str {
    if line.source.is_some() && (line.name == line.region || line.account.is_some()) {
        ""
    } else {
        &line.name
    }
}

/// The cursor entry's whole failure text, wrapped under it.
fn expanded(line: &LogLine, width: usize) -> Vec<Line<'static>> {
    let Some(text) = &line.failure else {
        return Vec::new();
    };
    let indent = 10;
    let opts = textwrap::Options::new(width.saturating_sub(indent).max(10))
        .break_words(true)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(&clean(text), opts)
        .into_iter()
        .map(|part| {
            Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(part.into_owned(), theme::error()),
            ])
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let focused = state.focus() == Focus::Log;
    let log = &state.events;
    let hint = if focused {
        " j/k move · Enter shows the job · Esc the table · l closes "
    } else {
        " l or Tab: move in it "
    };
    let block = Block::bordered()
        .border_style(if focused { theme::key() } else { theme::dim() })
        .title(Span::styled(
            format!(" event log ({}) ", log.len()),
            theme::title(),
        ))
        .title_bottom(Span::styled(hint, theme::dim()));
    let inner = block.inner(area);
    let (width, height) = (inner.width as usize, inner.height as usize);
    if log.is_empty() {
        let text = Line::from(Span::styled(
            "Nothing seen yet: jobs that appear or change, and sources that stop answering, are listed here.",
            theme::dim(),
        ));
        frame.render_widget(
            Paragraph::new(text)
                .wrap(ratatui::widgets::Wrap { trim: false })
                .block(block),
            area,
        );
        return;
    }
    // Newest first; the cursor's entry (with its failure unfolded) kept on
    // screen.
    let at = state.log.at(log.len()).unwrap_or(0);
    let cursor_row = log.len() - 1 - at;
    let extra = if focused {
        expanded(&log[at], width).len()
    } else {
        0
    };
    let start = if focused {
        cursor_row.saturating_sub(height.saturating_sub(1 + extra))
    } else {
        0
    };
    let shown: Vec<&LogLine> = log.iter().rev().skip(start).take(height).collect();
    let region_w = shown
        .iter()
        .map(|l| super::cut::width(&l.region))
        .max()
        .unwrap_or(0)
        .min(14);
    let name_w = shown
        .iter()
        .map(|l| super::cut::width(shown_name(l)))
        .max()
        .unwrap_or(0)
        .min(64);
    // Across accounts, which one a job's entry is of: as wide as the
    // labels on screen, at most a quarter of the line.
    let account_w = if state.multi_account() {
        shown
            .iter()
            .map(|l| super::cut::width(&account(l, state)))
            .max()
            .unwrap_or(0)
            .min(width / 4)
    } else {
        0
    };
    let mut lines = Vec::with_capacity(height);
    for (k, line) in shown.into_iter().enumerate() {
        let is_cursor = focused && start + k == cursor_row;
        lines.push(entry(
            line,
            state,
            width,
            (account_w, region_w, name_w),
            is_cursor,
        ));
        if is_cursor {
            lines.extend(expanded(line, width));
        }
        if lines.len() >= height {
            break;
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
