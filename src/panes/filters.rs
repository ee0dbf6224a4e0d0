//! The filter panes (`f`, `t`, `n`): every field of the query, checked as
//! you type. Enter applies only a filter that reads whole; Esc leaves the
//! query exactly as it was.

use crate::app::change::Change;
use crate::app::line::edit;
use crate::app::state::{Outcome, Pane, State};
use crate::domain::filter_draft::FilterDraft;
use crate::domain::query::Field;
use crate::output::sanitize::clean;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, StatefulWidget, Widget, Wrap};
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct FilterPane {
    pub draft: FilterDraft,
    pub focus: Field,
    /// The line editor of the focused text field.
    pub input: Input,
    /// Set after a refused Enter: the pane lists every problem.
    pub tried: bool,
}

/// The panes on what is applied now, the cursor on `focus`.
pub fn open(state: &State, focus: Field) -> Box<dyn Pane> {
    let draft = FilterDraft::from_filter(state.filter(), &state.settings.tz);
    let input = Input::new(draft.text(focus));
    Box::new(FilterPane {
        draft,
        focus,
        input,
        tried: false,
    })
}

impl FilterPane {
    fn step(&mut self, forward: bool) {
        let i = Field::ALL
            .iter()
            .position(|f| *f == self.focus)
            .unwrap_or(0);
        let n = Field::ALL.len();
        self.focus = Field::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
        self.input = Input::new(self.draft.text(self.focus));
    }
}

impl Pane for FilterPane {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        let (now, tz) = (state.now, state.settings.tz);
        match key.code {
            // The previous query stays exactly as it was.
            KeyCode::Esc => return Outcome::close(),
            KeyCode::Enter => match self.draft.validate(now, &tz) {
                Ok(filter) => {
                    let typed = Change::TypedTimes(
                        self.draft.created_after.trim().to_string(),
                        self.draft.created_before.trim().to_string(),
                    );
                    return Outcome::close().with(typed).with(Change::Filter(filter));
                }
                Err(_) => self.tried = true,
            },
            KeyCode::Tab | KeyCode::Down => self.step(true),
            KeyCode::BackTab | KeyCode::Up => self.step(false),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if matches!(self.focus, Field::Status | Field::Sort) =>
            {
                self.draft.cycle(self.focus, key.code != KeyCode::Left);
                self.input = Input::new(self.draft.text(self.focus));
            }
            _ => {
                if let Some(text) = self.draft.text_mut(self.focus)
                    && edit(&mut self.input, key)
                {
                    *text = self.input.value().to_string();
                }
            }
        }
        Outcome::stay()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, state: &State) {
        draw(frame, area, state, self);
    }
}

// Drawing.

const LABEL: usize = 19;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, pane: &FilterPane) {
    let height = (Field::ALL.len() as u16 * 2 + 6).min(area.height);
    let r = crate::ui::centered(area, 96, height);
    let form = Form {
        pane,
        now: state.now,
        tz: state.settings.tz,
    };
    let block = Block::bordered().title(Span::styled(" filters ", theme::title()));
    let inner = block.inner(r);
    frame.render_widget(Clear, r);
    let mut cursor = None;
    frame.render_stateful_widget(form, r, &mut cursor);
    if let Some((row, col)) = cursor {
        let x = (inner.x + LABEL as u16 + col).min(inner.right().saturating_sub(1));
        frame.set_cursor_position(Position::new(x, inner.y + row));
    }
}

/// The pane's box: every field with its value, what it reads as or what is
/// wrong with it (or a hint), and the keys. Its state is where the cursor
/// goes (line, column of the value), set as it draws.
struct Form<'a> {
    pane: &'a FilterPane,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono::FixedOffset,
}

impl StatefulWidget for Form<'_> {
    type State = Option<(u16, u16)>;

    fn render(self, area: Rect, buf: &mut Buffer, cursor: &mut Self::State) {
        let block = Block::bordered().title(Span::styled(" filters ", theme::title()));
        let (lines, at) = self.lines(area.width);
        *cursor = at;
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block)
            .render(area, buf);
    }
}

impl Form<'_> {
    /// The lines in a box `width` wide, and where the cursor is (line,
    /// column of the value) when a text field has the focus.
    fn lines(&self, width: u16) -> (Vec<Line<'static>>, Option<(u16, u16)>) {
        let mut lines = Vec::new();
        let mut cursor = None;
        for field in &Field::ALL {
            let focused = *field == self.pane.focus;
            lines.push(self.value(*field, focused));
            if focused && !matches!(field, Field::Status | Field::Sort) {
                cursor = Some((
                    lines.len() as u16 - 1,
                    self.pane.input.visual_cursor() as u16,
                ));
            }
            match self.note(*field, focused) {
                // Long messages wrap under the value, never under the labels.
                Some((text, style)) => {
                    let opts = textwrap::Options::new(
                        usize::from(width).saturating_sub(LABEL + 2).max(10),
                    )
                    .break_words(true)
                    .word_splitter(textwrap::WordSplitter::NoHyphenation);
                    for part in textwrap::wrap(&clean(&text), opts) {
                        lines.push(Line::from(Span::styled(
                            format!("{:LABEL$}{part}", ""),
                            style,
                        )));
                    }
                }
                None => lines.push(Line::from("")),
            }
        }
        lines.push(self.keys());
        (lines, cursor)
    }

    /// A field's label and value.
    fn value(&self, field: Field, focused: bool) -> Line<'static> {
        let marker = if focused { "▶ " } else { "  " };
        let label = Span::styled(
            format!("{marker}{:<w$}", field.label(), w = LABEL - 2),
            if focused {
                theme::key()
            } else {
                theme::label()
            },
        );
        let value = match field {
            Field::Status | Field::Sort => format!("◀ {} ▶", self.pane.draft.text(field)),
            _ => self.pane.draft.text(field),
        };
        let value_style = if focused {
            ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::UNDERLINED)
        } else {
            ratatui::style::Style::new()
        };
        Line::from(vec![
            label,
            Span::styled(clean(&value).into_owned(), value_style),
        ])
    }

    /// Under a field: what is wrong with it (focused, or after a refused
    /// Enter), what it reads as, or a hint.
    fn note(&self, field: Field, focused: bool) -> Option<(String, ratatui::style::Style)> {
        let (draft, now, tz) = (&self.pane.draft, self.now, &self.tz);
        let error = draft.field_error(field, now, tz);
        match (&error, draft.preview(field, now, tz)) {
            (Some(e), _) if focused || self.pane.tried => Some((format!("✘ {e}"), theme::error())),
            (None, Some(p)) => Some((format!("= {p}"), theme::dim())),
            _ => hint(field, focused).map(|h| (h.to_string(), theme::dim())),
        }
    }

    /// The keys, Enter's in red while the filter does not read whole.
    fn keys(&self) -> Line<'static> {
        let ok = self.pane.draft.validate(self.now, &self.tz).is_ok();
        Line::from(vec![
            Span::styled(" Tab/Shift-Tab", theme::key()),
            Span::styled(" move  ", theme::dim()),
            Span::styled("←/→", theme::key()),
            Span::styled(" choose  ", theme::dim()),
            Span::styled("Enter", theme::key()),
            Span::styled(
                if ok {
                    " apply  "
                } else {
                    " apply (fix the fields in red first)  "
                },
                if ok { theme::dim() } else { theme::error() },
            ),
            Span::styled("Esc", theme::key()),
            Span::styled(" cancel", theme::dim()),
        ])
    }
}

fn hint(field: Field, focused: bool) -> Option<&'static str> {
    if !focused {
        return None;
    }
    Some(match field {
        Field::Status | Field::Sort => "←/→ or Space to change",
        Field::CreatedAfter | Field::CreatedBefore => {
            "2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d, today, yesterday; empty: no limit"
        }
        Field::Name => "part of the target model name; empty: any",
        Field::SourceAccount => "12 digits; empty: any",
        Field::SourceModelArn => "the full source model ARN; empty: any",
    })
}
