//! One line: the error or confirmation of the moment, the last refresh, key hints.
//! While a pane asks something (the local search, export, `:`), the line is
//! the pane's: it draws its prompt with `prompt` or `question`.

use super::theme;
use crate::app::State;
use crate::app::state::Focus;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use tui_input::Input;

/// Key hints in display order, with the order they give way in (higher first).
const HINTS: &[(&str, &str, u8)] = &[
    ("f", "filter", 2),
    ("s", "status", 4),
    ("/", "search", 3),
    ("⏎", "detail", 5),
    ("l", "log", 6),
    ("?", "help", 0),
    ("q", "quit", 1),
];

/// The hints that fit `room`, dropping the least needed first; none at all
/// when not even one fits.
fn hints(room: u16) -> Vec<Span<'static>> {
    let width = |h: &(&str, &str, u8)| (h.0.chars().count() + h.1.len() + 3) as u16;
    let mut shown: Vec<&(&str, &str, u8)> = HINTS.iter().collect();
    while shown.iter().map(|h| width(h)).sum::<u16>() > room && !shown.is_empty() {
        let drop = shown
            .iter()
            .enumerate()
            .max_by_key(|(_, h)| h.2)
            .map_or(0, |(i, _)| i);
        shown.remove(drop);
    }
    shown
        .into_iter()
        .flat_map(|(k, what, _)| {
            [
                Span::styled(*k, theme::key()),
                Span::styled(format!(" {what}  "), theme::dim()),
            ]
        })
        .collect()
}

/// The status line of a frame of `area`: its last row.
fn line_of(area: Rect) -> Rect {
    Rect {
        y: area.bottom().saturating_sub(1),
        height: 1.min(area.height),
        ..area
    }
}

/// A prompt on the status line (search, export, `:`): its text being
/// typed, with the cursor in it, and what the keys do.
pub fn prompt(frame: &mut Frame, area: Rect, prefix: &str, input: &Input, help: &str) {
    let area = line_of(area);
    let line = Line::from(vec![
        Span::styled(prefix.to_string(), theme::key()),
        Span::raw(clean(input.value()).into_owned()),
        Span::styled(help.to_string(), theme::dim()),
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
    let x = area.x + prefix.len() as u16 + input.visual_cursor() as u16;
    frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
}

/// A question on the status line, and what the answers do.
pub fn question(frame: &mut Frame, area: Rect, text: &str, help: &str) {
    let area = line_of(area);
    let line = Line::from(vec![
        Span::styled(text.to_string(), theme::error()),
        Span::styled(help.to_string(), theme::dim()),
    ]);
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(line), area);
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    // A prompt or a question is the open pane's to draw.
    if matches!(state.focus(), Focus::Prompt | Focus::Search) {
        return;
    }
    let tz = &state.settings.tz;
    let failing = state.engine.sources().iter().find(|s| s.error.is_some());
    // What the person just did (or the last refresh did) comes before a
    // source's standing failure, which the header marks anyway.
    let (text, style, more) = if let Some(e) = &state.error {
        (format!(" ✘ {}", clean(&e.text)), theme::error(), "")
    } else if let Some(n) = &state.notice {
        let style = if n.is_error {
            theme::error()
        } else {
            theme::key()
        };
        (format!(" {}", clean(&n.text)), style, "")
    } else if let Some(source) = failing {
        let (text, more) = failing_text(state, source);
        // When it retries, if there is room: the header counts it down anyway.
        let retry = source
            .next_refresh
            .filter(|_| !state.engine.paused)
            .map(|t| format!(" · retry at {}", super::local(t, tz, "%H:%M:%S")))
            .filter(|r| super::cut::width(&text) + super::cut::width(r) <= usize::from(area.width))
            .unwrap_or_default();
        (format!("{text}{retry}"), theme::error(), more)
    } else {
        match state
            .engine
            .sources()
            .iter()
            .filter_map(|s| s.last_ok)
            .max()
        {
            Some(t) => (
                format!(" last refresh {}", super::local(t, tz, "%H:%M:%S")),
                theme::dim(),
                "",
            ),
            None => (" connecting…".to_string(), theme::dim(), ""),
        }
    };
    // The message wins the room; the hints take what it leaves, or none.
    let message_width = super::cut::width(&text) as u16;
    let hints = hints(area.width.saturating_sub(message_width + 1));
    let hints_width: u16 = hints.iter().map(|s| s.width() as u16).sum();
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(hints_width)]).areas(area);
    let message = Line::from(Span::styled(
        super::cut::end_with(&text, left.width as usize, more),
        style,
    ));
    frame.render_widget(Paragraph::new(message), left);
    frame.render_widget(Paragraph::new(Line::from(hints)), right);
}

/// What the status bar says of the failing sources, `first` among them,
/// and the hint after it. One failing: its name and message. Several with
/// one message (an Identity Center session or a profile's credentials that
/// ran out, shared by every account reached through it): the message once,
/// with how many sources it stops. Else the first, and how many more.
fn failing_text(state: &State, first: &crate::watch::Source) -> (String, &'static str) {
    let tz = &state.settings.tz;
    let sources = state.engine.sources();
    let failing: Vec<&crate::watch::Source> =
        sources.iter().filter(|s| s.error.is_some()).collect();
    let said = |s: &crate::watch::Source| {
        s.error
            .as_ref()
            .map(|e| {
                credentials_banner(s.spec.profile.as_deref(), s.last_ok, &e.error, tz)
                    .unwrap_or_else(|| e.error.to_string())
            })
            .unwrap_or_default()
    };
    let shared = shared_credentials(&failing).map(|(profile, e)| {
        // The oldest rows' age: what a person renewing them needs.
        let last_ok = failing.iter().map(|s| s.last_ok).min().flatten();
        credentials_banner(profile, last_ok, e, tz).unwrap_or_else(|| e.to_string())
    });
    match (failing.len(), shared) {
        (1, _) => {
            let who = if sources.len() > 1 {
                format!("{}: ", first.label())
            } else {
                String::new()
            };
            (
                format!(" ✘ {}", clean(&format!("{who}{}", said(first)))),
                " (l: the whole message)",
            )
        }
        (n, Some(text)) => (
            format!(" ✘ {n} sources: {}", clean(&text)),
            " (l: the whole message)",
        ),
        (n, None) => (
            format!(
                " ✘ {n} of {} sources fail: {}",
                sources.len(),
                clean(&format!("{}: {}", first.label(), said(first)))
            ),
            " (S, l: which and why)",
        ),
    }
}

/// The credentials every failing source lacks, when they all lack the same:
/// one profile's (each account reached through it), expired or missing
/// alike. None when any fails otherwise or through another profile.
fn shared_credentials<'a>(
    failing: &[&'a crate::watch::Source],
) -> Option<(Option<&'a str>, &'a crate::aws::FetchError)> {
    let first = failing.first()?;
    let e = &first.error.as_ref()?.error;
    let profile = first.spec.profile.as_deref();
    let same = failing.iter().all(|s| {
        s.error.as_ref().is_some_and(|f| {
            f.error.kind == crate::aws::ErrorKind::Credentials
                && !crate::aws::error::is_role_refused(&f.error)
                && f.error.expired == e.expired
                && s.spec.profile.as_deref() == profile
        })
    });
    same.then_some((profile, e))
}

/// Credentials that ran out mid-session: the rows stay, so say how old they
/// are and the one command that renews them. The source retries on its own
/// and this goes away with its first answer.
fn credentials_banner(
    profile: Option<&str>,
    last_ok: Option<chrono::DateTime<chrono::Utc>>,
    e: &crate::aws::FetchError,
    tz: &chrono::FixedOffset,
) -> Option<String> {
    if e.kind != crate::aws::ErrorKind::Credentials || crate::aws::error::is_role_refused(e) {
        return None;
    }
    let what = if e.expired {
        "credentials expired"
    } else {
        "no usable credentials"
    };
    // When the config files say what the credentials are, the error's own
    // advice fits them (an SSO login, new keys for a session token, a role's
    // source profile); else the short, likeliest one.
    let known = crate::aws::profiles::known(profile) != crate::aws::profiles::Kind::Unknown;
    let advice = match e.hint.as_ref().filter(|_| known) {
        Some(hint) => hint.clone(),
        None => {
            let login = match profile {
                Some(p) => format!("aws sso login --profile {p}"),
                None => "aws sso login".to_string(),
            };
            match last_ok {
                Some(_) => format!("run `{login}`"),
                None => format!("run `{login}` (or `aws configure`)"),
            }
        }
    };
    Some(match last_ok {
        Some(t) => format!(
            "stale since {} — {what}: {advice}",
            super::local(t, tz, "%H:%M")
        ),
        None => format!("{what}: {advice}"),
    })
}
