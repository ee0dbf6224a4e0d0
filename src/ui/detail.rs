//! Every field of the selected job. ARNs and the failure message wrap; they
//! are never cut.

use super::theme;
use crate::app::State;
use crate::domain::job::Status;
use crate::domain::query::human_duration;
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

const LABEL: usize = 11;

/// A labelled value, wrapped to `width` with continuation lines indented
/// under the value. Long ARNs break anywhere; prose breaks between words.
fn wrapped(
    label: &str,
    label_style: Style,
    value: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    labelled(label, LABEL, label_style, value, style, width)
}

/// [`wrapped`] with a label column `label_w` cells wide.
pub fn labelled(
    label: &str,
    label_w: usize,
    label_style: Style,
    value: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let text = clean(value);
    let opts = textwrap::Options::new(width.saturating_sub(label_w).max(10))
        .break_words(true)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(&text, opts)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 {
                format!("{label:<label_w$}")
            } else {
                " ".repeat(label_w)
            };
            Line::from(vec![
                Span::styled(head, label_style),
                Span::styled(part.into_owned(), style),
            ])
        })
        .collect()
}

/// The detail of the selected job, wrapped to `width` columns.
pub fn lines(state: &State, width: usize) -> Vec<Line<'static>> {
    let field =
        |label: &str, value: String| wrapped(label, theme::label(), &value, Style::new(), width);
    let more = |value: String| wrapped("", theme::label(), &value, Style::new(), width);
    let Some(row) = state.selected_row() else {
        return vec![Line::from(Span::styled("No job selected.", theme::dim()))];
    };
    let job = &row.job;
    let tz = &state.settings.tz;
    let mut out = Vec::new();
    let mut status = vec![
        Span::styled(format!("{:<LABEL$}", "Status"), theme::label()),
        Span::styled(
            format!("{} {}", job.status.symbol(), clean(job.status.as_str())),
            theme::status_style(&job.status),
        ),
    ];
    if let Some(since) = row.since {
        status.push(Span::styled(
            format!(
                "  since {} (seen by copyjobs)",
                super::local(since, tz, "%H:%M:%S")
            ),
            theme::dim(),
        ));
    }
    out.push(Line::from(status));
    if let Some(msg) = &job.failure_message {
        out.extend(wrapped(
            "Failure",
            theme::error(),
            msg,
            theme::error(),
            width,
        ));
    }
    let age = human_duration(state.now - job.created);
    let ran = match (&job.status, row.since) {
        (Status::InProgress, _) => format!(" · running for {age}"),
        (s, Some(since)) if s.is_final() => {
            format!(" · took about {}", human_duration(since - job.created))
        }
        _ => String::new(),
    };
    out.extend(field(
        "Created",
        format!(
            "{} ({age} ago){ran}",
            super::local(job.created, tz, "%Y-%m-%d %H:%M:%S %:z")
        ),
    ));
    // What the local history says: when a running copy should end, and on
    // what; how long a finished one took.
    if job.status == Status::InProgress {
        if let Some(eta) = state.history.eta(job, state.now) {
            let basis = state
                .history
                .groups
                .as_ref()
                .and_then(|g| g.basis(job))
                .unwrap_or_default();
            out.extend(field("Expected", format!("{} ({basis})", eta.text())));
        }
    } else if let Some(Some(took)) = state.history.took.get(&job.job_arn) {
        out.extend(field(
            "Took",
            format!("{} (the local history)", took.text()),
        ));
    }
    out.extend(field("Job", job.job_arn.clone()));
    out.extend(field(
        "Target",
        job.target_model_name.clone().unwrap_or_else(|| "—".into()),
    ));
    out.extend(more(job.target_model_arn.clone()));
    out.extend(field(
        "KMS key",
        job.kms_key_arn
            .clone()
            .unwrap_or_else(|| "— (AWS owned key)".into()),
    ));
    out.extend(field(
        "Source",
        job.source_model_name
            .as_deref()
            .map_or_else(|| job.source_short(), str::to_string),
    ));
    out.extend(more(job.source_model_arn.to_string()));
    // The job's own account (its ARN's), then the source model's: they
    // differ for a copy across accounts, and across an organisation's
    // accounts each is named (`ml-prod · 111122223333`).
    out.extend(field(
        "Account",
        clean(&state.account_label(job.account())).into_owned(),
    ));
    out.extend(field(
        "Src acct",
        clean(&state.account_label(&job.source_account_id)).into_owned(),
    ));
    if job.tags.is_empty() {
        out.extend(field("Tags", "none".into()));
    } else {
        out.extend(field(
            &format!("Tags ({})", job.tags.len()),
            format!("{} = {}", job.tags[0].key, job.tags[0].value),
        ));
        for t in &job.tags[1..] {
            out.extend(more(format!("{} = {}", t.key, t.value)));
        }
    }
    out
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let title = state.selected_row().map_or_else(
        || " detail ".to_string(),
        |r| format!(" {} ", clean(r.job.display_name())),
    );
    let block = Block::bordered().title(Span::styled(title, theme::title()));
    let inner = block.inner(area);
    let lines = lines(state, inner.width as usize);
    // Scrolling stops where the last line reaches the bottom.
    let max = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = state.detail_scroll.min(max);
    let hint = if max > 0 {
        format!(" Enter/Esc closes · J/K scroll {scroll}/{max} ")
    } else {
        " Enter/Esc closes ".to_string()
    };
    let block = block.title_bottom(Span::styled(hint, theme::dim()));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block),
        area,
    );
}
