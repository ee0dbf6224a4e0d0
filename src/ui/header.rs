//! Two lines: where we look and what is loaded; the active filters as chips.

use super::theme;
use crate::app::State;
use crate::app::msg::FetchKind;
use crate::app::state::Mode;
use crate::domain::job::Status;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let [ip, done, failed, other] = state.counts;
    let context = vec![
        Span::styled(" copyjobs ", theme::title()),
        Span::raw(clean(&state.settings.context).into_owned()),
    ];
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
    let more = if state.next_token.is_some() {
        " · more available"
    } else {
        ""
    };
    first.push(Span::raw(format!("{} loaded{more} ", state.rows.len())));

    let mut second = vec![Span::styled(" filters ", theme::dim())];
    let chips = state.filter.chips(&state.settings.tz);
    if chips.iter().all(|c| c == state.filter.sort.label()) {
        second.push(Span::styled(" none ", theme::dim()));
        second.push(Span::raw(" "));
    }
    for c in chips {
        second.push(Span::styled(format!(" {} ", clean(&c)), theme::chip()));
        second.push(Span::raw(" "));
    }
    let typing = matches!(state.mode, Mode::Search(_));
    if !state.search.is_empty() || typing {
        second.push(Span::styled(
            format!(" local search: {} ", clean(&state.search)),
            theme::key(),
        ));
        second.push(Span::styled(
            format!("({} of {} loaded)", state.view.len(), state.rows.len()),
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
    let every = state.refresh.every.num_seconds();
    if state.refresh.paused {
        return format!("↻ paused ({every}s)");
    }
    match (state.in_flight, state.refresh.next_at) {
        (Some(FetchKind::Refresh), _) => format!("↻ {every}s · refreshing…"),
        (_, Some(_)) => format!("↻ {every}s · next in {}s", state.countdown().unwrap_or(0)),
        _ => format!("↻ {every}s"),
    }
}
