//! `C`: copy the selected job's model to more regions. Regions are checked
//! (those where a copy of it is loaded are marked), one may get a KMS key,
//! the name and tags are the job's; Enter sends one CreateModelCopyJob per
//! region at once.

use crate::app::line::edit;
use crate::app::msg::Effect;
use crate::app::state::{Outcome, Pane, State};
use crate::app::table::{notice, refused_read_only};
use crate::config::keys::KeyBindings;
use crate::domain::copy::CopyRequest;
use crate::domain::copy_regions::{CopyRegions, Support, base_model, is_home};
use crate::domain::job::{CopyJob, Tag, arn_region};
use crate::domain::region::BEDROCK_REGIONS;
use crate::output::sanitize::clean;
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Clear, List, ListItem, ListState, Paragraph, StatefulWidget, Widget,
};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Regions,
    Name,
    /// Typing the KMS key of the region under the cursor.
    Kms,
}

#[derive(Debug, Clone)]
pub struct CopyPane {
    pub source_model_arn: String,
    pub tags: Vec<Tag>,
    /// Every region, whether it is checked, and whether a copy of this model
    /// is already among the loaded rows there.
    pub regions: Vec<(String, bool, bool)>,
    /// By the regions' index: copies of this model's base model cannot go
    /// there (the copy-regions table), so it cannot be checked.
    pub unsupported: Vec<bool>,
    /// Said under the regions: where the table comes from, or that it does
    /// not know this base model (every region offered, the service decides).
    pub basis: String,
    pub cursor: usize,
    pub name: Input,
    /// A KMS key per region (by the regions' index), empty for none.
    pub kms: Vec<String>,
    /// The key being typed (Focus::Kms).
    pub kms_input: Input,
    pub focus: Focus,
    pub error: Option<String>,
    /// The profile the copies are sent with: the one the job was read
    /// through; None for the session's.
    pub profile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Stay,
    Cancel,
    Send(Vec<CopyRequest>),
}

impl CopyPane {
    /// For `job`'s source model; `loaded` says where copies of it are.
    pub fn open<'a>(
        job: &CopyJob,
        loaded: impl Iterator<Item = &'a CopyJob>,
        table: &CopyRegions,
    ) -> CopyPane {
        let have: Vec<String> = loaded
            .filter(|j| j.source_model_arn == job.source_model_arn)
            .map(|j| j.region().to_string())
            .collect();
        let name = job
            .target_model_name
            .clone()
            .unwrap_or_else(|| crate::domain::copy::default_name(&job.source_model_arn));
        CopyPane::of_model(&job.source_model_arn, name, job.tags.clone(), &have, table)
    }

    /// For a model: `have` are the regions a copy of it is known in.
    pub fn of_model(
        source_model_arn: &str,
        name: String,
        tags: Vec<Tag>,
        have: &[String],
        table: &CopyRegions,
    ) -> CopyPane {
        let base = base_model(source_model_arn);
        let support = |r: &str| table.support(base, r);
        let basis = match base.and_then(|b| table.row(b)) {
            Some(row) => format!(
                "⊘ copies of {} cannot go there ({})",
                row.name.as_deref().unwrap_or(&row.base_model),
                table.said_by(row)
            ),
            None => match base {
                Some(b) => format!(
                    "The table of copy regions does not know {b}: every region is offered, the service decides"
                ),
                None => "An imported model: every region is offered, the service decides".into(),
            },
        };
        // The regions a copy can go to first, those it cannot after them:
        // the list is long, and only the first can be checked.
        let mut order: Vec<&str> = BEDROCK_REGIONS.to_vec();
        order.sort_by_key(|r| support(r) == Support::Unsupported);
        CopyPane {
            source_model_arn: source_model_arn.to_string(),
            tags,
            regions: order
                .iter()
                .map(|r| ((*r).to_string(), false, have.iter().any(|h| h == r)))
                .collect(),
            unsupported: order
                .iter()
                .map(|r| support(r) == Support::Unsupported)
                .collect(),
            basis,
            cursor: 0,
            name: Input::new(name),
            kms: vec![String::new(); BEDROCK_REGIONS.len()],
            kms_input: Input::default(),
            focus: Focus::Regions,
            error: None,
            profile: None,
        }
    }

    /// Whether the region at `i` is the model's own: a copy job copies a
    /// model to another region, so it cannot be checked.
    fn is_home(&self, i: usize) -> bool {
        is_home(&self.source_model_arn, &self.regions[i].0)
    }

    /// Whether the region at `i` cannot be checked.
    fn closed(&self, i: usize) -> bool {
        self.unsupported[i] || self.is_home(i)
    }

    /// Checks `regions` (those copies may go to; the others are left).
    pub fn check(&mut self, regions: &[String]) {
        for i in 0..self.regions.len() {
            if !self.closed(i) && regions.contains(&self.regions[i].0) {
                self.regions[i].1 = true;
            }
        }
    }

    /// Why the region under the cursor cannot be checked, if it cannot.
    fn refused(&self) -> Option<String> {
        if self.is_home(self.cursor) {
            // The pane shows the model: its ARN would only wrap here.
            let home = &self.regions[self.cursor].0;
            return Some(format!(
                "The model lives in {home}: a copy goes to another region"
            ));
        }
        self.unsupported[self.cursor].then(|| {
            let (region, ..) = &self.regions[self.cursor];
            let mut can: Vec<&str> = self
                .regions
                .iter()
                .zip(&self.unsupported)
                .filter(|(_, no)| !**no)
                .map(|((r, ..), _)| r.as_str())
                .collect();
            can.sort_unstable();
            format!(
                "Copies of this model's base model cannot go to {region}; they can go to {}",
                can.join(", ")
            )
        })
    }

    /// The requests the checked regions make.
    pub fn requests(&self) -> Vec<CopyRequest> {
        self.regions
            .iter()
            .zip(&self.kms)
            .filter(|((_, on, _), _)| *on)
            .map(|((r, _, _), kms)| CopyRequest {
                region: r.clone(),
                source_model_arn: self.source_model_arn.clone(),
                target_model_name: self.name.value().trim().to_string(),
                kms_key_id: (!kms.trim().is_empty()).then(|| kms.trim().to_string()),
                tags: self.tags.clone(),
                salt: String::new(),
            })
            .collect()
    }

    /// `keys`: the table's bindings, so j/k (as bound) move in the regions.
    pub fn key(&mut self, key: KeyEvent, keys: &KeyBindings) -> Chosen {
        if self.focus == Focus::Regions
            && let Some(to) = crate::app::motion::moved(keys, &key, self.cursor, self.regions.len())
        {
            self.cursor = to;
            self.error = None;
            return Chosen::Stay;
        }
        match (key.code, self.focus) {
            // The key typed for a region: Enter keeps it, Esc drops the edit.
            (KeyCode::Char('K' | ' '), Focus::Regions) if self.closed(self.cursor) => {
                self.error = self.refused();
                return Chosen::Stay;
            }
            (KeyCode::Enter, Focus::Kms) => {
                self.kms[self.cursor] = self.kms_input.value().trim().to_string();
                self.regions[self.cursor].1 = true;
                self.focus = Focus::Regions;
            }
            (KeyCode::Esc, Focus::Kms) => self.focus = Focus::Regions,
            (_, Focus::Kms) => {
                edit(&mut self.kms_input, key);
            }
            // K, not k: k moves up, as in the table.
            (KeyCode::Char('K'), Focus::Regions) => {
                self.kms_input = Input::new(self.kms[self.cursor].clone());
                self.focus = Focus::Kms;
            }
            (KeyCode::Esc, _) => return Chosen::Cancel,
            (KeyCode::Tab | KeyCode::BackTab, f) => {
                self.focus = if f == Focus::Name {
                    Focus::Regions
                } else {
                    Focus::Name
                };
            }
            (KeyCode::Enter, _) => {
                let reqs = self.requests();
                if reqs.is_empty() {
                    self.error = Some("Check at least one region (Space checks)".into());
                    return Chosen::Stay;
                }
                if let Some(e) = reqs.iter().find_map(|r| r.check().err()) {
                    self.error = Some(e.join("; "));
                    return Chosen::Stay;
                }
                return Chosen::Send(reqs);
            }
            (KeyCode::Char(' '), Focus::Regions) => self.regions[self.cursor].1 ^= true,
            (_, Focus::Name) => {
                edit(&mut self.name, key);
            }
            _ => {}
        }
        self.error = None;
        Chosen::Stay
    }
}

/// `C`: the copy pane for the selected job's model.
pub fn open(state: &mut State) -> Option<Box<dyn Pane>> {
    if refused_read_only(state) {
        return None;
    }
    let Some((job, source)) = state.selected_row().map(|r| (r.job.clone(), r.source)) else {
        notice(state, "No job selected");
        return None;
    };
    let mut pane = CopyPane::open(
        &job,
        state.engine.rows().iter().map(|r| &r.job),
        &state.settings.copy_regions,
    );
    pane.profile = state.cli_target(Some(source)).profile.map(str::to_string);
    Some(Box::new(pane))
}

impl Pane for CopyPane {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        match CopyPane::key(self, key, &state.settings.keys) {
            Chosen::Stay => Outcome::stay(),
            // Back to the pane it was opened over (M), or the table.
            Chosen::Cancel => Outcome::close().said("Nothing sent"),
            Chosen::Send(requests) => {
                let said = format!("Sending {} copies…", requests.len());
                let effects = requests
                    .into_iter()
                    .map(|request| create(state, request, self.profile.clone()))
                    .collect();
                Outcome::close().said(said).doing(effects)
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        draw(frame, area, self);
    }
}

/// A copy to send, pinned under a source of its region if one is shown;
/// `profile` None sends with the session's.
pub(crate) fn create(state: &State, request: CopyRequest, profile: Option<String>) -> Effect {
    let source = state
        .engine
        .sources()
        .iter()
        .find(|s| s.region.as_deref() == Some(request.region.as_str()))
        .map(|s| s.id);
    Effect::Create {
        request,
        source,
        origin: None,
        profile,
    }
}

// Drawing.

pub fn draw(frame: &mut Frame, area: Rect, p: &CopyPane) {
    let r = crate::ui::centered(area, 90, 30);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(" copy to more regions ", theme::title()))
        .title_bottom(Span::styled(
            " j/k move · Space check · K KMS key · Tab name · Enter sends one copy a region · Esc ",
            theme::dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [head, body, foot] = Layout::vertical([
        Constraint::Length(5),
        Constraint::Min(3),
        Constraint::Length(3),
    ])
    .areas(inner);
    let fields = Fields(p);
    let name_row = fields.name_row(head.width);
    frame.render_widget(fields, head);
    if p.focus == Focus::Name {
        let x = head.x + 8 + p.name.visual_cursor() as u16;
        if x < head.right() && name_row < head.height {
            frame.set_cursor_position(Position::new(x, head.y + name_row));
        }
    }
    frame.render_widget(Regions(p), body);
    frame.render_widget(Foot(p), foot);
}

/// The model, the name the copies get (typed in) and their tags.
struct Fields<'a>(&'a CopyPane);

impl Fields<'_> {
    /// Each value wraps under its label, inside the border.
    fn lines(&self, width: u16) -> (Vec<Line<'static>>, u16) {
        let p = self.0;
        let tags = p
            .tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect::<Vec<_>>()
            .join(", ");
        let name_style = if p.focus == Focus::Name {
            theme::key()
        } else {
            theme::label()
        };
        let width = usize::from(width);
        let field = |label: &str, style, value: &str| {
            crate::ui::detail::labelled(label, 8, style, value, Style::new(), width)
        };
        let mut lines = field(" Model", theme::label(), &p.source_model_arn);
        let name_row = lines.len() as u16;
        lines.extend(field(" Name", name_style, p.name.value()));
        lines.extend(field(" Tags", theme::label(), &tags));
        (lines, name_row)
    }

    /// The line the name is on, for the cursor.
    fn name_row(&self, width: u16) -> u16 {
        self.lines(width).1
    }
}

impl Widget for Fields<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        Paragraph::new(self.lines(area.width).0).render(area, buf);
    }
}

/// Every region: a box to check, or why it cannot be (the model's own, a
/// region its base model cannot go to), with its KMS key.
struct Regions<'a>(&'a CopyPane);

impl Widget for Regions<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let p = self.0;
        let items: Vec<ListItem> = p
            .regions
            .iter()
            .zip(&p.kms)
            .enumerate()
            .map(|(i, ((region, on, has), kms))| region_item(p, i, region, *on, *has, kms))
            .collect();
        let mut st = ListState::default().with_selected(Some(p.cursor));
        StatefulWidget::render(
            List::new(items).highlight_style(if p.focus == Focus::Regions {
                theme::selected()
            } else {
                theme::dim()
            }),
            area,
            buf,
            &mut st,
        );
    }
}

fn region_item(
    p: &CopyPane,
    i: usize,
    region: &str,
    on: bool,
    has: bool,
    kms: &str,
) -> ListItem<'static> {
    if region == arn_region(&p.source_model_arn) {
        // Not a box: a copy goes to another region.
        return ListItem::new(Line::from(vec![
            Span::styled(" ●   ", theme::dim()),
            Span::styled(format!("{region:<16}"), theme::dim()),
            Span::styled("the model lives here", theme::dim()),
        ]));
    }
    if p.unsupported[i] {
        return ListItem::new(Line::from(vec![
            Span::styled(" ⊘   ", theme::dim()),
            Span::styled(format!("{region:<16}"), theme::dim()),
            Span::styled("not supported for this base model", theme::dim()),
        ]));
    }
    let key = if p.focus == Focus::Kms && i == p.cursor {
        format!("KMS key: {}▏", clean(p.kms_input.value()))
    } else if kms.is_empty() {
        String::new()
    } else {
        format!("KMS key {}", clean(kms))
    };
    ListItem::new(Line::from(vec![
        Span::raw(if on { " [x] " } else { " [ ] " }),
        Span::raw(format!("{region:<16}")),
        Span::styled(
            if has { "a copy is loaded here  " } else { "" },
            theme::dim(),
        ),
        Span::styled(key, theme::label()),
    ]))
}

/// What Enter sends and where the regions come from, or what is wrong.
struct Foot<'a>(&'a CopyPane);

impl Widget for Foot<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let p = self.0;
        let n = p.requests().len();
        // Wrapped lines keep their indent, under the text, not the border.
        let width = usize::from(area.width);
        let indented = |head: &str, text: &str, style| {
            crate::ui::detail::labelled(
                head,
                crate::ui::cut::width(head),
                style,
                text,
                style,
                width,
            )
        };
        // An error has the lines to itself: the regions it names must show.
        let lines = match &p.error {
            Some(e) => indented(" ✘ ", e, theme::error()),
            None => {
                let mut lines = indented(
                    " ",
                    &format!(
                        "{n} CreateModelCopyJob request{} (each in its region, at once)",
                        if n == 1 { "" } else { "s" }
                    ),
                    theme::dim(),
                );
                lines.extend(indented(" ", &p.basis, theme::dim()));
                lines
            }
        };
        Paragraph::new(lines).render(area, buf);
    }
}
