//! Two lines: where we look and what is loaded; the active filters as chips.
//! With several sources, each is named, and a failing one is marked ✘ with
//! when it retries, so the rows it cannot refresh are never mistaken for
//! current ones. On a narrow terminal the line gives up words of the counts,
//! the endpoint, the healthy sources' names, then the title: never a failing
//! source. Past two failing (an organisation's accounts), they are counted
//! once, "✘ 4 of 36 sources": `S` and the log say which and why.

use super::theme;
use crate::app::State;
use crate::app::state::Focus;
use crate::domain::job::Status;
use crate::output::failures::thousands;
use crate::output::sanitize::clean;
use crate::watch::{Busy, Source};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let [top, bottom] = Layout::vertical([Constraint::Length(1); 2]).areas(area);
    let (left, right) = first_line(state, area.width);
    let (left, right) = (Line::from(left), Line::from(right));
    // The sources before the counts when even the barest line is too wide.
    let room = area.width.saturating_sub(left.width() as u16);
    let [f1, r1] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length((right.width() as u16).min(room)),
    ])
    .areas(top);
    frame.render_widget(Paragraph::new(left), f1);
    frame.render_widget(Paragraph::new(right), r1);

    let mut status = Vec::new();
    if state.arrivals.above > 0 {
        status.push(Span::styled(
            format!("↑ {} new", state.arrivals.above),
            theme::key(),
        ));
        status.push(Span::styled(" (g)  ", theme::dim()));
    }
    status.push(Span::styled(
        format!("{} ", refresh_label(state)),
        theme::dim(),
    ));
    let status = Line::from(status);
    let [f2, r2] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(status.width() as u16),
    ])
    .areas(bottom);
    // Too narrow for the account's id beside its name: the name alone,
    // rather than the region or the name cut.
    let mut spans = filters(state, true);
    if spans.iter().map(Span::width).sum::<usize>() > usize::from(f2.width) {
        spans = filters(state, false);
    }
    let filters = fit(spans, usize::from(f2.width));
    frame.render_widget(Paragraph::new(Line::from(filters)), f2);
    frame.render_widget(Paragraph::new(status), r2);
}

/// `spans` in `w` cells: when they are wider, the one that overflows is cut
/// with "…" and a cell is left before what follows on the line (the
/// refresh countdown), so the two never run together.
fn fit(spans: Vec<Span<'static>>, w: usize) -> Vec<Span<'static>> {
    if spans.iter().map(Span::width).sum::<usize>() <= w {
        return spans;
    }
    let room = w.saturating_sub(1);
    let mut used = 0;
    let mut out = Vec::new();
    for span in spans {
        let sw = span.width();
        if used + sw <= room {
            used += sw;
            out.push(span);
            continue;
        }
        let text = super::cut::end(&span.content, room - used);
        out.push(Span::styled(text, span.style));
        break;
    }
    out
}

/// A left half of the first line, None when it is wider than asked.
type Left = Option<Vec<Span<'static>>>;

/// The first line's two halves, the richest that fits `width`. A try that
/// names every source stops as soon as it is wider than the line: an
/// organisation's 300 names are not spelt out on every frame to be dropped.
fn first_line(state: &State, width: u16) -> (Vec<Span<'static>>, Vec<Span<'static>>) {
    let width = usize::from(width);
    let full_counts = counts(state, false);
    let short_counts = counts(state, true);
    let wide = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    // The left halves: (title, every source named, the endpoint).
    let lefts = [
        (true, true, true),
        (true, true, false),
        (true, false, false),
        (false, false, false),
    ];
    // From the richest to the barest; the last is used even if it does not fit.
    let tries = [
        (0, &full_counts),
        (0, &short_counts),
        (1, &full_counts),
        (1, &short_counts),
        (2, &short_counts),
        (3, &short_counts),
    ];
    let last = tries.len() - 1;
    // Each left half is built once, as far as the narrower counts leave room.
    let most = width.saturating_sub(wide(&full_counts).min(wide(&short_counts)));
    let mut built: [Option<Left>; 4] = Default::default();
    for (i, (k, r)) in tries.into_iter().enumerate() {
        let room = width.saturating_sub(wide(r));
        let l = built[k].get_or_insert_with(|| {
            let (title, named, endpoint) = lefts[k];
            let limit = if i == last { usize::MAX } else { most };
            context(state, title, named, endpoint, limit)
        });
        if let Some(l) = l
            && (i == last || wide(l) <= room)
        {
            return (l.clone(), r.clone());
        }
    }
    unreachable!("the last try is always taken")
}

/// "◐ 35 ✔ 60 ✘ 5 of 100 loaded · more available": the counts are of the
/// loaded rows, and say so. `short`: "of 100+ loaded".
fn counts(state: &State, short: bool) -> Vec<Span<'static>> {
    let [ip, done, failed, other] = state.counts;
    let mut out = Vec::new();
    for (n, status) in [
        (ip, Status::InProgress),
        (done, Status::Completed),
        (failed, Status::Failed),
    ] {
        out.push(Span::styled(
            format!("{} {} ", status.symbol(), thousands(n)),
            theme::status_style(&status),
        ));
    }
    if other > 0 {
        out.push(Span::styled(
            format!("? {} ", thousands(other)),
            theme::status_style(&Status::Unknown(String::new())),
        ));
    }
    let loaded = thousands(state.engine.rows().len());
    let more = state.engine.has_more();
    out.push(Span::raw(match (more, short) {
        (true, false) => format!("of {loaded} loaded · more available "),
        (true, true) => format!("of {loaded}+ loaded "),
        (false, _) => format!("of {loaded} loaded "),
    }));
    out
}

/// The title, the sources and the endpoint; `named`: every source by name
/// (else the healthy ones are counted), `endpoint`: the endpoint too. None
/// once it is wider than `limit`.
fn context(
    state: &State,
    title: bool,
    named: bool,
    endpoint: bool,
    limit: usize,
) -> Option<Vec<Span<'static>>> {
    let mut out = Vec::new();
    if title {
        out.push(Span::styled(" copyjobs ", theme::title()));
    } else {
        out.push(Span::raw(" "));
    }
    if state.settings.read_only {
        out.push(Span::styled("read-only ", theme::key()));
    }
    let used: usize = out.iter().map(Span::width).sum();
    out.extend(sources(state, named, limit.checked_sub(used)?)?);
    if endpoint && !state.settings.context.is_empty() {
        out.push(Span::styled(" · ", theme::dim()));
        out.push(Span::raw(clean(&state.settings.context).into_owned()));
    }
    out.push(Span::raw(" "));
    Some(out)
}

/// The filters as chips, the column sort and the local search.
fn filters(state: &State, with_id: bool) -> Vec<Span<'static>> {
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
    if state.region_only.is_some() || state.account_only.is_some() {
        // "only us-west-2 of ml-prod · 111122223333": the region and the
        // account's name before its id, which a narrow header cuts first.
        let label = state.account_only.as_deref().map(|a| {
            let label = state.account_label(a);
            match label.rsplit_once(" · ") {
                Some((name, _)) if !with_id => name.to_string(),
                _ => label,
            }
        });
        let place = match (state.region_only.as_deref(), label) {
            (Some(r), Some(a)) => format!("{r} of {a}"),
            (Some(r), None) => r.to_string(),
            (None, Some(a)) => a,
            (None, None) => String::new(),
        };
        let every = match (&state.account_only, &state.region_only) {
            (Some(_), Some(_)) => "every account and region",
            (Some(_), None) => "every account",
            _ => "every region",
        };
        second.push(Span::styled(
            format!(" only {} ", clean(&place)),
            theme::key(),
        ));
        second.push(Span::styled(
            format!(
                "({} of {} loaded; Esc: {every}) ",
                thousands(state.view.len()),
                thousands(state.engine.rows().len())
            ),
            theme::dim(),
        ));
    }
    let typing = state.focus() == Focus::Search;
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
    second
}

/// The header's words that move with the sources' requests and the clock:
/// the refresh label and, while failing sources are named, their retries.
pub fn moving(state: &State) -> String {
    let mut out = refresh_label(state);
    let all = state.engine.sources();
    if all.iter().filter(|s| s.error.is_some()).count() <= NAMED_FAILURES {
        for s in all.iter().filter(|s| s.error.is_some()) {
            out.push('|');
            out.push_str(&retry_label(state, s));
        }
    }
    out
}

/// Seconds until the last source's next refresh is due.
fn latest_countdown(state: &State) -> Option<i64> {
    let t = state
        .engine
        .sources()
        .iter()
        .filter_map(|s| s.next_refresh)
        .max()?;
    let ms = (t - state.now).num_milliseconds().max(0);
    Some((ms + 999) / 1000)
}

fn refresh_label(state: &State) -> String {
    // "10s", "5m", "1h": as the `+`/`-` notice and the README say it.
    let every = crate::domain::query::measured_duration(state.engine.every);
    if state.engine.paused {
        return format!("↻ paused ({every})");
    }
    let refreshing = state.engine.any_busy(Busy::Refresh) || state.engine.any_busy(Busy::Reread);
    match (refreshing, state.engine.next_refresh()) {
        (true, _) => format!("↻ {every} · refreshing…"),
        (_, Some(_)) => match latest_countdown(state) {
            // Sources that answered together refresh spread over the
            // interval (`watch::asks::phased`): the soonest is always a
            // second away while they come, so the label says when the
            // last is due too, not "next in 1s" for half the cycle.
            Some(last) if last > state.countdown().unwrap_or(0) + 1 => format!(
                "↻ {every} · next in {}–{last}s",
                state.countdown().unwrap_or(0)
            ),
            _ => format!("↻ {every} · next in {}s", state.countdown().unwrap_or(0)),
        },
        _ => format!("↻ {every}"),
    }
}

/// Failing sources named one by one up to this many; past it they are
/// counted ("✘ 3 of 36 sources") and `S` and the log say which and why.
pub const NAMED_FAILURES: usize = 2;

/// "us-east-1 · us-west-2 · ✘ eu-central-1 · retry in 40s": every source, a
/// failing one marked with when it tries again, one still loading its first
/// page dimmed. Not `named`: "3 sources · ✘ eu-central-1 · retry in 40s".
/// More than [`NAMED_FAILURES`] failing: "✘ 3 of 36 sources", once. None
/// as soon as it is wider than `limit`.
fn sources(state: &State, named: bool, limit: usize) -> Option<Vec<Span<'static>>> {
    let all = state.engine.sources();
    let healthy = all.iter().filter(|s| s.error.is_none()).count();
    let failing = all.len() - healthy;
    let counted = failing > NAMED_FAILURES;
    let mut out = Vec::new();
    let mut used = 0;
    // A span after a " · " when it is not the first; None past `limit`.
    let mut push = |out: &mut Vec<Span<'static>>, spans: Vec<Span<'static>>| {
        if !out.is_empty() {
            out.push(Span::styled(" · ", theme::dim()));
            used += 3;
        }
        used += spans.iter().map(Span::width).sum::<usize>();
        out.extend(spans);
        (used <= limit).then_some(())
    };
    // Every source counted, the failing ones too: "4 sources · ✘ ap-northeast-1"
    // (the failing one named after the count, not taken from it).
    if !named && healthy > 1 && !counted {
        push(&mut out, vec![Span::raw(format!("{} sources", all.len()))])?;
    }
    for s in all {
        if s.error.is_some() {
            if counted {
                continue;
            }
            let spans = vec![
                Span::styled(format!("✘ {}", clean(&s.label())), theme::error()),
                Span::styled(format!(" · {}", retry_label(state, s)), theme::error()),
            ];
            push(&mut out, spans)?;
        } else if named || healthy == 1 {
            let label = clean(&s.label()).into_owned();
            let span = if s.first_done {
                Span::raw(label)
            } else {
                Span::styled(format!("{label}…"), theme::dim())
            };
            push(&mut out, vec![span])?;
        }
    }
    if counted {
        let span = Span::styled(
            format!(
                "✘ {} of {} sources",
                thousands(failing),
                thousands(all.len())
            ),
            theme::error(),
        );
        push(&mut out, vec![span])?;
    }
    Some(out)
}

/// When a failing source tries again: "retry in 40s", "retrying…", or
/// "paused" while live refresh is.
fn retry_label(state: &State, s: &Source) -> String {
    if s.busy.is_some() {
        return "retrying…".into();
    }
    if state.engine.paused {
        return "paused (r retries)".into();
    }
    match s.next_refresh {
        Some(t) => {
            let ms = (t - state.now).num_milliseconds().max(0);
            format!("retry in {}", short_wait((ms + 999) / 1000))
        }
        None => "r retries".into(),
    }
}

/// "40s", "2m 30s", "5m".
fn short_wait(secs: i64) -> String {
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m {s}s"),
    }
}
