//! `R`: what a retry will send, before it is sent. The pane shows the
//! failure being retried, the request (its target name editable) and the
//! AWS CLI command that does the same; Enter sends, Esc cancels.

use crate::app::line::edit;
use crate::app::msg::Effect;
use crate::app::state::{Outcome, Pane, State};
use crate::app::table::{notice, refused_read_only};
use crate::domain::copy::CopyRequest;
use crate::output::sanitize::clean;
use crate::ui::detail::labelled;
use crate::ui::theme;
use crate::watch::SourceId;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct ConfirmPane {
    pub request: CopyRequest,
    /// The source the new job will show under.
    pub source: SourceId,
    /// The failed job this retries.
    pub origin: String,
    pub name: Input,
    pub error: Option<String>,
    /// Why the copy failed: what a person checks before sending it again.
    pub failure: Option<String>,
    /// Lines the pane is scrolled by (PgUp/PgDn), when it is taller than
    /// the terminal.
    pub scroll: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Stay,
    Cancel,
    Send(CopyRequest),
}

impl ConfirmPane {
    pub fn new(request: CopyRequest, source: SourceId, origin: String) -> ConfirmPane {
        let name = Input::new(request.target_model_name.clone());
        ConfirmPane {
            request,
            source,
            origin,
            name,
            error: None,
            failure: None,
            scroll: 0,
        }
    }

    /// The request as it stands, with the name as typed.
    pub fn current(&self) -> CopyRequest {
        CopyRequest {
            target_model_name: self.name.value().trim().to_string(),
            ..self.request.clone()
        }
    }

    pub fn key(&mut self, key: KeyEvent) -> Answer {
        match key.code {
            KeyCode::Esc => Answer::Cancel,
            KeyCode::PageDown => {
                self.scroll = self.scroll.saturating_add(5);
                Answer::Stay
            }
            KeyCode::PageUp => {
                self.scroll = self.scroll.saturating_sub(5);
                Answer::Stay
            }
            KeyCode::Enter => match self.current().check() {
                Ok(()) => Answer::Send(self.current()),
                Err(e) => {
                    self.error = Some(e.join("; "));
                    Answer::Stay
                }
            },
            _ => {
                if edit(&mut self.name, key) {
                    self.error = None;
                }
                Answer::Stay
            }
        }
    }
}

/// `R`: the selected failed job's request again, shown before it is sent.
pub fn open(state: &mut State) -> Option<Box<dyn Pane>> {
    if refused_read_only(state) {
        return None;
    }
    let Some(row) = state.selected_row().cloned() else {
        notice(state, "No job selected");
        return None;
    };
    let job = &row.job;
    if job.status != crate::domain::job::Status::Failed {
        notice(state, "Only a failed copy can be retried");
        return None;
    }
    let request = crate::domain::copy::CopyRequest::retry_of(job);
    let mut pane = ConfirmPane::new(request, row.source, job.job_arn.clone());
    pane.failure = job.failure_message.clone();
    Some(Box::new(pane))
}

impl Pane for ConfirmPane {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        match ConfirmPane::key(self, key) {
            Answer::Stay => Outcome::stay(),
            Answer::Cancel => Outcome::close().said("Nothing sent"),
            Answer::Send(request) => {
                let said = format!("Sending the retry to {}…", request.region);
                let profile = state.cli_target(Some(self.source)).profile;
                Outcome::close().said(said).doing(vec![Effect::Create {
                    request,
                    source: Some(self.source),
                    origin: Some(self.origin.clone()),
                    profile: profile.map(str::to_string),
                }])
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(frame, area, self, state.cli_target(Some(self.source)));
    }
}

// Drawing.

/// The labels' column, one cell of margin included.
const LABEL: usize = 14;

/// The failure's lines at most, when the terminal is short: the rest of it
/// is in the detail pane.
const FAILURE_LINES: usize = 4;

/// `at`: where the request goes, for the AWS CLI command to say it.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    pane: &ConfirmPane,
    at: crate::output::export::CliTarget<'_>,
) {
    let width = area.width.min(100);
    let inner_w = usize::from(width.saturating_sub(2));
    let req = pane.current();
    let (rest, name_at) = request_lines(pane, &req, at, inner_w);
    // On a short terminal the failure gives way (down to a few lines; the
    // detail pane has all of it) before what is sent does.
    let room = usize::from(area.height).saturating_sub(3 + rest.len());
    let mut lines = vec![Line::from(Span::styled(
        format!(" CreateModelCopyJob in {}", clean(&req.region)),
        theme::title(),
    ))];
    lines.extend(failure_lines(pane, inner_w, room));
    let name_row = lines.len() + name_at;
    lines.extend(rest);
    let r = crate::ui::centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, r);
    let sheet = Sheet {
        lines,
        scroll: pane.scroll,
    };
    let (scroll, _) = sheet.scrolled(r.height);
    let inner = Block::bordered().inner(r);
    frame.render_widget(sheet, r);
    // The cursor in the name, which is what can be typed.
    let x = inner.x + LABEL as u16 + pane.name.visual_cursor() as u16;
    if let Some(y) = (name_row as u16).checked_sub(scroll)
        && y < inner.height
        && x < inner.right()
    {
        frame.set_cursor_position(Position::new(x, inner.y + y));
    }
}

/// What is sent, field by field, and the AWS CLI command that sends the
/// same; with the line the name is on among them.
fn request_lines(
    pane: &ConfirmPane,
    req: &CopyRequest,
    at: crate::output::export::CliTarget<'_>,
    inner_w: usize,
) -> (Vec<Line<'static>>, usize) {
    let field = |label: &str, value: &str| {
        labelled(
            &format!(" {label}"),
            LABEL,
            theme::label(),
            value,
            Style::new(),
            inner_w,
        )
    };
    let tags = if req.tags.is_empty() {
        "none".to_string()
    } else {
        req.tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut rest = field("Source model", &req.source_model_arn);
    let name_at = rest.len();
    rest.extend(field("Target name", &req.target_model_name));
    rest.extend(field(
        "KMS key",
        req.kms_key_id.as_deref().unwrap_or("— (AWS owned key)"),
    ));
    rest.extend(field("Tags", &tags));
    // The failed job by its id: its region is the title's, and the ARN
    // would take two lines on a narrow terminal.
    let id = pane.origin.rsplit('/').next().unwrap_or(&pane.origin);
    rest.extend(field("Retry of", &format!("job {id} (failed)")));
    rest.push(Line::from(""));
    rest.push(Line::from(Span::styled(
        " The same with the AWS CLI:",
        theme::dim(),
    )));
    rest.extend(labelled(
        " ",
        1,
        Style::new(),
        &crate::output::export::create_command(req, at),
        Style::new(),
        inner_w,
    ));
    if let Some(e) = &pane.error {
        rest.push(Line::from(""));
        rest.extend(labelled(
            " ✘",
            3,
            theme::error(),
            e,
            theme::error(),
            inner_w,
        ));
    }
    (rest, name_at)
}

/// Why the copy failed, in `room` lines at most (and never fewer than a
/// few): the rest is in the detail pane.
fn failure_lines(pane: &ConfirmPane, inner_w: usize, room: usize) -> Vec<Line<'static>> {
    let mut failure = pane.failure.as_deref().map_or_else(Vec::new, |f| {
        labelled(
            " Failure",
            LABEL,
            theme::error(),
            f,
            theme::error(),
            inner_w,
        )
    });
    let keep = room.max(FAILURE_LINES);
    if failure.len() > keep {
        failure.truncate(keep - 1);
        failure.push(Line::from(Span::styled(
            format!("{}… (the rest in the detail pane)", " ".repeat(LABEL)),
            theme::dim(),
        )));
    }
    failure
}

/// The pane's box: its lines, scrolled when they are more than it holds,
/// the keys (and how far it is scrolled) on its border.
struct Sheet {
    lines: Vec<Line<'static>>,
    scroll: u16,
}

impl Sheet {
    /// The lines scrolled by, and the most they can be, in a box `height`
    /// tall.
    fn scrolled(&self, height: u16) -> (u16, u16) {
        let inner_h = height.saturating_sub(2);
        let most = (self.lines.len() as u16).saturating_sub(inner_h);
        (self.scroll.min(most), most)
    }
}

impl Widget for Sheet {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (scroll, most) = self.scrolled(area.height);
        let keys = if most > 0 {
            format!(
                " Enter sends · type to change the name · PgUp/PgDn scroll {scroll}/{most} · Esc cancels "
            )
        } else {
            " Enter sends · type to change the name · Esc cancels ".to_string()
        };
        let block = Block::bordered()
            .title(Span::styled(" retry this copy? ", theme::title()))
            .title_bottom(Span::styled(keys, theme::dim()));
        Paragraph::new(self.lines)
            .scroll((scroll, 0))
            .block(block)
            .render(area, buf);
    }
}
