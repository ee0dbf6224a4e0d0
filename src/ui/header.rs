//! Two lines: where we look and what is loaded; the active filters as chips.
//! With several sources, each is named, and a failing one is marked ✘ so the
//! rows it cannot refresh are never mistaken for current ones.

use super::theme;
use crate::app::State;
use crate::app::state::Mode;
use crate::domain::job::Status;
use crate::output::sanitize::clean;
use crate::watch::Busy;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let [ip, done, failed, other] = state.counts;
    // The sources first: which regions these are matters more than the
    // endpoint's address when the line is cut.
    let mut context = vec![Span::styled(" copyjobs ", theme::title())];
    if state.settings.read_only {
        context.push(Span::styled("read-only ", theme::key()));
    }
    context.extend(sources(state));
    if !state.settings.context.is_empty() {
        context.push(Span::styled(" · ", theme::dim()));
        context.push(Span::raw(clean(&state.settings.context).into_owned()));
    }
    let mut first = Vec::new();
    for (n, status) in [
        (ip, Status::InProgress),
        (done, Status::Completed),
        (failed, Status::Failed),
    ] {
        first.push(Span::styled(
            format!("{} {n} ", status.symbol()),
            theme::status_style(&status),
        ));
    }
    if other > 0 {
        first.push(Span::styled(
            format!("? {other} "),
            theme::status_style(&Status::Unknown(String::new())),
        ));
    }
    first.push(Span::styled("│ ", theme::dim()));
    let more = if state.engine.has_more() {
        " · more available"
    } else {
        ""
    };
    first.push(Span::raw(format!(
        "{} loaded{more} ",
        state.engine.rows().len()
    )));

    let mut second = vec![Span::styled(" filters ", theme::dim())];
    let chips = state.filter().chips(&state.settings.tz);
    if chips.iter().all(|c| c == state.filter().sort.label()) {
        second.push(Span::styled(" none ", theme::dim()));
        second.push(Span::raw(" "));
    }
    for c in chips {
        second.push(Span::styled(format!(" {} ", clean(&c)), theme::chip()));
        second.push(Span::raw(" "));
    }
    if let Some((column, desc)) = state.column_sort {
        // Sorting a column sorts what is loaded, not the whole listing.
        let within = if state.engine.has_more() {
            format!(" within {} loaded", state.engine.rows().len())
        } else {
            String::new()
        };
        second.push(Span::styled(
            format!(
                " sorted by {} {}{within} ",
                column.header(),
                if desc { "▼" } else { "▲" }
            ),
            theme::key(),
        ));
        second.push(Span::styled("(o: service order) ", theme::dim()));
    }
    let typing = matches!(state.mode, Mode::Search(_));
    if !state.search.is_empty() || typing {
        second.push(Span::styled(
            format!(" local search: {} ", clean(&state.search)),
            theme::key(),
        ));
        second.push(Span::styled(
            format!(
                "({} of {} loaded)",
                state.view.len(),
                state.engine.rows().len()
            ),
            theme::dim(),
        ));
    }
    let refresh = Line::from(Span::styled(
        format!("{} ", refresh_label(state)),
        theme::dim(),
    ));
    let [top, bottom] = Layout::vertical([Constraint::Length(1); 2]).areas(area);
    let counts = Line::from(first);
    let [f1, r1] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(counts.width() as u16 + 2),
    ])
    .areas(top);
    let [f2, r2] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(refresh.width() as u16),
    ])
    .areas(bottom);
    frame.render_widget(Paragraph::new(Line::from(context)), f1);
    frame.render_widget(
        Paragraph::new(counts).alignment(ratatui::layout::Alignment::Right),
        r1,
    );
    frame.render_widget(Paragraph::new(Line::from(second)), f2);
    frame.render_widget(Paragraph::new(refresh), r2);
}

fn refresh_label(state: &State) -> String {
    let every = state.engine.every.num_seconds();
    if state.engine.paused {
        return format!("↻ paused ({every}s)");
    }
    let refreshing = state.engine.any_busy(Busy::Refresh) || state.engine.any_busy(Busy::Reread);
    match (refreshing, state.engine.next_refresh()) {
        (true, _) => format!("↻ {every}s · refreshing…"),
        (_, Some(_)) => format!("↻ {every}s · next in {}s", state.countdown().unwrap_or(0)),
        _ => format!("↻ {every}s"),
    }
}

/// "us-east-1 · us-west-2 · ✘ eu-central-1": every source, a failing one
/// marked, one still loading its first page dimmed.
fn sources(state: &State) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    for (i, s) in state.engine.sources().iter().enumerate() {
        let failing = s.error.is_some();
        if i > 0 {
            out.push(Span::styled(" · ", theme::dim()));
        }
        if failing {
            out.push(Span::styled(
                format!("✘ {}", clean(&s.label())),
                theme::error(),
            ));
        } else if !s.first_done {
            out.push(Span::styled(
                format!("{}…", clean(&s.label())),
                theme::dim(),
            ));
        } else {
            out.push(Span::raw(clean(&s.label()).into_owned()));
        }
    }
    out
}
