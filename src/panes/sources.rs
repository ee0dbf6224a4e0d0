//! `S`: the sources the table shows. Profiles (from the AWS config files)
//! and regions (Bedrock's, or a typed name) are checked with Space; Enter
//! applies without a restart, Esc cancels. When the sources are an
//! organisation's accounts, the accounts take the profiles' place: typing
//! narrows them (by name or id), Space checks one in every checked region,
//! and each says how its sources fare (failing: why).

use crate::app::change::Change;
use crate::app::line::edit;
use crate::app::msg::{Effect, Msg};
use crate::app::state::{Outcome, Pane, State};
use crate::config::keys::KeyBindings;
use crate::domain::region::{self, BEDROCK_REGIONS};
use crate::output::sanitize::clean;
use crate::ui::theme;
use crate::watch::source::Reach;
use crate::watch::{Source, SourceSpec};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph};
use tui_input::Input;

/// One line of a column: a profile or a region (`None`: the default chain's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub name: Option<String>,
    pub on: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The profiles, or the accounts when there are any.
    Profiles,
    Regions,
}

/// An account of the organisation: the profile it is reached from, how,
/// and how its sources fared when the picker opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChoice {
    pub profile: Option<String>,
    pub reach: Reach,
    pub on: bool,
    /// Its failing sources' regions, and the first one's why.
    pub failing: Option<(Vec<String>, String)>,
    /// Its sources, when it has any.
    pub sources: usize,
}

impl AccountChoice {
    /// "✔ 3 regions", "✘ eu-central-1: why" (the regions failing), "✘ why"
    /// (every region), "not shown".
    pub fn state(&self) -> String {
        match (&self.failing, self.sources) {
            (Some((regions, why)), n) if regions.len() == n => format!("✘ {why}"),
            (Some((regions, why)), _) => format!("✘ {}: {why}", regions.join(", ")),
            (None, 0) => "not shown".to_string(),
            (None, n) => format!("✔ {n} region{}", plural(n)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourcePicker {
    pub profiles: Vec<Choice>,
    pub regions: Vec<Choice>,
    /// The organisation's accounts, in the profiles' column; empty when the
    /// sources are profiles.
    pub accounts: Vec<AccountChoice>,
    pub column: Column,
    /// The cursor in each column: profiles, regions.
    pub cursor: [usize; 2],
    /// A name being typed, added to the focused column by Enter.
    pub input: Input,
    pub error: Option<String>,
    /// The profiles of the AWS config files, once read: a typed profile must
    /// be one of them.
    pub known_profiles: Option<Vec<String>>,
    /// A typed region not in copyjobs' list is taken (the list is out of
    /// date); else it is refused as a typo, with the nearest region.
    pub any_region: bool,
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    Stay,
    Cancel,
    /// The sources to show, in the picker's order (profiles, then regions).
    Apply(Vec<SourceSpec>),
}

/// A source as the picker sees it: its region resolved when the spec left it
/// to the default chain, so "us-east-1" checked is the source already there.
pub fn effective(s: &Source) -> SourceSpec {
    s.effective_spec()
}

fn push_unique(list: &mut Vec<Choice>, name: Option<String>, on: bool) {
    match list.iter_mut().find(|c| c.name == name) {
        Some(c) => c.on |= on,
        None => list.push(Choice { name, on }),
    }
}

impl SourcePicker {
    /// The picker over today's sources: theirs checked, the Bedrock regions
    /// offered unchecked. Profiles from the config files arrive later
    /// ([`SourcePicker::add_known_profiles`]).
    pub fn open(sources: &[Source]) -> SourcePicker {
        let mut profiles = vec![Choice {
            name: None,
            on: false,
        }];
        let mut regions = Vec::new();
        for s in sources.iter().map(effective) {
            push_unique(&mut profiles, s.profile, true);
            push_unique(&mut regions, s.region, true);
        }
        for r in BEDROCK_REGIONS {
            push_unique(&mut regions, Some((*r).to_string()), false);
        }
        SourcePicker {
            profiles,
            regions,
            accounts: Vec::new(),
            column: Column::Regions,
            cursor: [0, 0],
            input: Input::default(),
            error: None,
            known_profiles: None,
            any_region: false,
        }
    }

    /// The picker over today's sources and every account the session knows
    /// (`known`, with the profile each is reached from): the accounts shown
    /// now checked, with how their sources fare. The profiles' sources that
    /// are no account's are kept as they are.
    pub fn open_accounts(sources: &[Source], known: &[(Option<String>, Reach)]) -> SourcePicker {
        let mut p = SourcePicker::open(sources);
        if known.is_empty() {
            return p;
        }
        p.profiles = vec![Choice {
            name: None,
            on: false,
        }];
        for s in sources.iter().filter(|s| s.spec.account.is_none()) {
            push_unique(&mut p.profiles, s.effective_spec().profile, true);
        }
        p.profiles.retain(|c| c.on);
        p.column = Column::Profiles;
        p.accounts = known
            .iter()
            .map(|(profile, reach)| {
                let mine: Vec<&Source> = sources
                    .iter()
                    .filter(|s| {
                        s.spec
                            .account
                            .as_ref()
                            .is_some_and(|r| r.account.id == reach.account.id)
                    })
                    .collect();
                let bad: Vec<&Source> =
                    mine.iter().copied().filter(|s| s.error.is_some()).collect();
                let failing = bad.first().and_then(|s| s.error.as_ref()).map(|e| {
                    let regions = bad.iter().filter_map(|s| s.region.clone()).collect();
                    (regions, e.error.to_string())
                });
                AccountChoice {
                    profile: profile.clone(),
                    reach: reach.clone(),
                    on: !mine.is_empty(),
                    failing,
                    sources: mine.len(),
                }
            })
            .collect();
        p
    }

    /// Whether the left column holds accounts.
    pub fn by_account(&self) -> bool {
        !self.accounts.is_empty()
    }

    /// The accounts the typed text names (by name or id), as indices.
    pub fn shown_accounts(&self) -> Vec<usize> {
        let text = self.input.value().trim();
        (0..self.accounts.len())
            .filter(|&i| text.is_empty() || self.accounts[i].reach.account.matches(text))
            .collect()
    }

    /// The profiles the config files name, offered unchecked.
    pub fn add_known_profiles(&mut self, names: Vec<String>) {
        for n in &names {
            push_unique(&mut self.profiles, Some(n.clone()), false);
        }
        self.known_profiles = Some(names);
    }

    /// Lines in the focused column (the accounts shown, when they are).
    fn len(&self) -> usize {
        match self.column {
            Column::Profiles if self.by_account() => self.shown_accounts().len(),
            _ => self.list().len(),
        }
    }

    fn list(&self) -> &Vec<Choice> {
        match self.column {
            Column::Profiles => &self.profiles,
            Column::Regions => &self.regions,
        }
    }

    fn list_mut(&mut self) -> &mut Vec<Choice> {
        match self.column {
            Column::Profiles => &mut self.profiles,
            Column::Regions => &mut self.regions,
        }
    }

    fn col(&self) -> usize {
        match self.column {
            Column::Profiles => 0,
            Column::Regions => 1,
        }
    }

    pub fn cursor_of(&self, column: Column) -> usize {
        match column {
            Column::Profiles => self.cursor[0],
            Column::Regions => self.cursor[1],
        }
    }

    fn move_to(&mut self, i: usize) {
        let last = self.len().saturating_sub(1);
        let c = self.col();
        self.cursor[c] = i.min(last);
    }

    /// What the checked boxes make: every checked profile in every checked
    /// region.
    pub fn chosen(&self) -> Result<Vec<SourceSpec>, String> {
        let on = |l: &[Choice]| -> Vec<Option<String>> {
            l.iter().filter(|c| c.on).map(|c| c.name.clone()).collect()
        };
        let (profiles, regions) = (on(&self.profiles), on(&self.regions));
        let accounts: Vec<&AccountChoice> = self.accounts.iter().filter(|a| a.on).collect();
        if self.by_account() {
            if (accounts.is_empty() && profiles.is_empty()) || regions.is_empty() {
                return Err("Check at least one account and one region (Space checks)".into());
            }
        } else if profiles.is_empty() || regions.is_empty() {
            return Err("Check at least one profile and one region (Space checks)".into());
        }
        let mut out: Vec<SourceSpec> = profiles
            .iter()
            .flat_map(|p| {
                regions.iter().map(move |r| SourceSpec {
                    profile: p.clone(),
                    region: r.clone(),
                    account: None,
                })
            })
            .collect();
        for a in accounts {
            out.extend(regions.iter().map(|r| SourceSpec {
                profile: a.profile.clone(),
                region: r.clone(),
                account: Some(a.reach.clone()),
            }));
        }
        Ok(out)
    }

    /// Adds the typed name to the focused column, checked, if it is one.
    fn add_typed(&mut self) {
        let text = self.input.value().trim().to_string();
        let name = match self.column {
            Column::Regions => region::known(&text, self.any_region),
            Column::Profiles => self.check_profile(&text),
        };
        match name {
            Ok(name) => {
                push_unique(self.list_mut(), Some(name.clone()), true);
                let at = self
                    .list()
                    .iter()
                    .position(|c| c.name.as_deref() == Some(&name));
                self.move_to(at.unwrap_or(0));
                self.input = Input::default();
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn check_profile(&self, name: &str) -> Result<String, String> {
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("'{name}' is not a profile name"));
        }
        match &self.known_profiles {
            Some(known) if !known.iter().any(|k| k == name) => Err(format!(
                "No profile '{name}' in the AWS config files (~/.aws/config, ~/.aws/credentials)"
            )),
            _ => Ok(name.to_string()),
        }
    }

    /// `keys`: the table's bindings, so j/k (as bound) move while no name
    /// is being typed.
    pub fn key(&mut self, key: KeyEvent, keys: &KeyBindings) -> Picked {
        let typing = !self.input.value().is_empty();
        // In the accounts, what is typed narrows them: Enter still applies.
        let filtering = self.column == Column::Profiles && self.by_account();
        if !typing
            && let Some(to) =
                crate::app::motion::moved(keys, &key, self.cursor[self.col()], self.len())
        {
            self.move_to(to);
            return Picked::Stay;
        }
        match key.code {
            KeyCode::Esc if typing => {
                // The cursor stays on its account as the text that narrowed
                // the list is cleared, not on the account at its position.
                let at = filtering
                    .then(|| self.shown_accounts().get(self.cursor[0]).copied())
                    .flatten();
                self.input = Input::default();
                self.error = None;
                match at.and_then(|a| self.shown_accounts().iter().position(|&i| i == a)) {
                    Some(i) => self.move_to(i),
                    None => self.move_to(self.cursor[self.col()]),
                }
            }
            KeyCode::Esc => return Picked::Cancel,
            KeyCode::Enter if typing && !filtering => self.add_typed(),
            KeyCode::Enter => match self.chosen() {
                Ok(specs) => return Picked::Apply(specs),
                Err(e) => self.error = Some(e),
            },
            KeyCode::Tab | KeyCode::BackTab => self.switch(),
            KeyCode::Left | KeyCode::Right if !typing => self.switch(),
            KeyCode::Up => self.move_to(self.cursor[self.col()].saturating_sub(1)),
            KeyCode::Down => self.move_to(self.cursor[self.col()] + 1),
            KeyCode::PageUp => self.move_to(self.cursor[self.col()].saturating_sub(10)),
            KeyCode::PageDown => self.move_to(self.cursor[self.col()] + 10),
            KeyCode::Char(' ') => {
                let i = self.cursor[self.col()];
                if filtering {
                    if let Some(&at) = self.shown_accounts().get(i) {
                        self.accounts[at].on = !self.accounts[at].on;
                    }
                } else if let Some(c) = self.list_mut().get_mut(i) {
                    c.on = !c.on;
                }
                self.error = None;
            }
            _ => {
                if edit(&mut self.input, key) {
                    self.error = None;
                    if filtering {
                        // The cursor on the first account the text names.
                        self.cursor[0] = 0;
                    }
                }
            }
        }
        Picked::Stay
    }

    /// The account under the cursor, when the accounts are focused.
    pub fn account_at_cursor(&self) -> Option<&AccountChoice> {
        let at = *self.shown_accounts().get(self.cursor[0])?;
        self.accounts.get(at)
    }

    fn switch(&mut self) {
        self.column = match self.column {
            Column::Profiles => Column::Regions,
            Column::Regions => Column::Profiles,
        };
        self.input = Input::default();
        self.error = None;
    }
}

/// `S`: the picker on the sources shown now; the profiles of the AWS
/// config files are read meanwhile.
pub fn open(state: &State) -> (Box<dyn Pane>, Vec<Effect>) {
    (
        Box::new(SourcePicker {
            any_region: state.settings.allow_unknown_regions,
            ..SourcePicker::open_accounts(state.engine.sources(), &state.accounts)
        }),
        vec![Effect::LoadProfiles],
    )
}

impl Pane for SourcePicker {
    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        match SourcePicker::key(self, key, &state.settings.keys) {
            Picked::Stay => Outcome::stay(),
            Picked::Cancel => Outcome::close(),
            Picked::Apply(specs) => Outcome::close().with(Change::Sources(specs)),
        }
    }

    fn receive(&mut self, msg: &Msg, _state: &State) -> Vec<Effect> {
        if let Msg::KnownProfiles(names) = msg
            && !self.by_account()
        {
            self.add_known_profiles(names.clone());
        }
        Vec::new()
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        draw(frame, area, self);
    }
}

// Drawing.

const DEFAULT_PROFILE: &str = "(default chain)";
const DEFAULT_REGION: &str = "(default region)";

pub fn draw(frame: &mut Frame, area: Rect, p: &SourcePicker) {
    if p.by_account() {
        return draw_accounts(frame, area, p);
    }
    let r = crate::ui::centered(area, 72, 22);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(" sources ", theme::title()))
        .title_bottom(Span::styled(
            " j/k move · Space check · Tab column · Enter apply · Esc cancel ",
            theme::dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [lists, sum, prompt] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(lists);
    column(
        frame,
        left,
        p,
        Column::Profiles,
        "Profiles",
        DEFAULT_PROFILE,
    );
    column(frame, right, p, Column::Regions, "Regions", DEFAULT_REGION);

    let summary = match p.chosen() {
        Ok(specs) => Line::from(Span::styled(
            format!(
                " {} source{} ({} profile{} × {} region{})",
                specs.len(),
                plural(specs.len()),
                on(&p.profiles),
                plural(on(&p.profiles)),
                on(&p.regions),
                plural(on(&p.regions)),
            ),
            theme::dim(),
        )),
        Err(e) => Line::from(Span::styled(format!(" {e}"), theme::error())),
    };
    let line = match &p.error {
        Some(e) => Line::from(Span::styled(format!(" ✘ {}", clean(e)), theme::error())),
        None => summary,
    };
    frame.render_widget(Paragraph::new(line), sum);

    let what = match p.column {
        Column::Profiles => " Add profile: ",
        Column::Regions => " Add region: ",
    };
    prompt_line(frame, prompt, p, what, "");
}

/// The typed text after `what`, the cursor in it, and `after` it.
fn prompt_line(frame: &mut Frame, area: Rect, p: &SourcePicker, what: &str, after: &str) {
    let value = clean(p.input.value()).into_owned();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(what.to_string(), theme::label()),
            Span::raw(value),
            Span::styled(after.to_string(), theme::dim()),
        ])),
        area,
    );
    let x = area.x + what.chars().count() as u16 + p.input.visual_cursor() as u16;
    if x < area.right() {
        frame.set_cursor_position(Position::new(x, area.y));
    }
}

/// The organisation's picker: the accounts (narrowed by what is typed),
/// each with how its sources fare, beside the regions; under them the
/// account at the cursor's state in full, and what Enter makes.
fn draw_accounts(frame: &mut Frame, area: Rect, p: &SourcePicker) {
    let r = crate::ui::centered(area, 110, 26);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .title(Span::styled(
            " sources: accounts × regions ",
            theme::title(),
        ))
        .title_bottom(Span::styled(
            " type to find · ↑↓ move · Space check · Tab column · Enter apply · Esc cancel ",
            theme::dim(),
        ));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    // The account at the cursor, its state whole (the list cuts it):
    // wrapped, as many lines as it takes, the list keeping three.
    let most = usize::from(inner.height.saturating_sub(6)).max(1);
    let at = p.account_at_cursor().map_or_else(Vec::new, |a| {
        let style = if a.failing.is_some() {
            theme::error()
        } else {
            theme::dim()
        };
        let text = format!("{}: {}", clean(&a.reach.account.label()), clean(&a.state()));
        let opts = textwrap::Options::new(usize::from(inner.width).saturating_sub(2).max(10))
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        textwrap::wrap(&text, opts)
            .into_iter()
            .take(most)
            .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
            .collect()
    });
    let tall = u16::try_from(at.len().max(1)).unwrap_or(1);
    let [lists, state, sum, prompt] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(tall),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(74), Constraint::Percentage(26)])
            .spacing(2)
            .areas(lists);
    let shown = p.shown_accounts();
    let focused = p.column == Column::Profiles;
    // What the mark and the name leave of the line for the state.
    let room = usize::from(left.width).saturating_sub(4 + 39);
    let items: Vec<ListItem> = shown
        .iter()
        .map(|&i| {
            let a = &p.accounts[i];
            let mark = if a.on { "[x] " } else { "[ ] " };
            let label = clean(&a.reach.account.label()).into_owned();
            let style = if a.failing.is_some() {
                theme::error()
            } else {
                theme::dim()
            };
            ListItem::new(Line::from(vec![
                Span::raw(mark),
                Span::raw(format!("{label:<38} ")),
                Span::styled(crate::ui::cut::end(&clean(&a.state()), room), style),
            ]))
        })
        .collect();
    let title = format!(
        "{}Accounts ({} of {}) ",
        if focused { "▸ " } else { "  " },
        shown.len(),
        p.accounts.len()
    );
    let list = List::new(items)
        .block(Block::new().title(Span::styled(
            title,
            if focused {
                theme::key()
            } else {
                theme::label()
            },
        )))
        .highlight_style(if focused {
            theme::selected()
        } else {
            theme::dim()
        });
    let mut st = ListState::default().with_selected((!shown.is_empty()).then_some(p.cursor[0]));
    frame.render_stateful_widget(list, left, &mut st);
    column(frame, right, p, Column::Regions, "Regions", DEFAULT_REGION);

    frame.render_widget(Paragraph::new(at), state);
    let accounts = p.accounts.iter().filter(|a| a.on).count();
    let summary = match (&p.error, p.chosen()) {
        (Some(e), _) => Line::from(Span::styled(format!(" ✘ {}", clean(e)), theme::error())),
        (None, Ok(specs)) => Line::from(Span::styled(
            format!(
                " {} source{} ({} account{} × {} region{})",
                specs.len(),
                plural(specs.len()),
                accounts,
                plural(accounts),
                on(&p.regions),
                plural(on(&p.regions)),
            ),
            theme::dim(),
        )),
        (None, Err(e)) => Line::from(Span::styled(format!(" {e}"), theme::error())),
    };
    frame.render_widget(Paragraph::new(summary), sum);
    let (what, after) = match p.column {
        Column::Profiles if p.input.value().is_empty() => {
            (" Find account: ", " (a part of its name or id)")
        }
        Column::Profiles => (" Find account: ", ""),
        Column::Regions => (" Add region: ", ""),
    };
    prompt_line(frame, prompt, p, what, after);
}

fn column(
    frame: &mut Frame,
    area: Rect,
    p: &SourcePicker,
    which: Column,
    title: &str,
    default: &str,
) {
    let focused = p.column == which;
    let list: &[Choice] = match which {
        Column::Profiles => &p.profiles,
        Column::Regions => &p.regions,
    };
    let items: Vec<ListItem> = list
        .iter()
        .map(|c| {
            let mark = if c.on { "[x] " } else { "[ ] " };
            let name = c
                .name
                .as_deref()
                .map_or_else(|| default.to_string(), |n| clean(n).into_owned());
            ListItem::new(Line::from(vec![Span::raw(mark), Span::raw(name)]))
        })
        .collect();
    let title_style = if focused {
        theme::key()
    } else {
        theme::label()
    };
    // The column the keys act on says so in words, not only in colour.
    let title = if focused {
        format!("▸ {title} ")
    } else {
        format!("  {title} ")
    };
    let list_widget = List::new(items)
        .block(Block::new().title(Span::styled(title, title_style)))
        .highlight_style(if focused {
            theme::selected()
        } else {
            theme::dim()
        });
    let mut st = ListState::default().with_selected(Some(p.cursor_of(which)));
    frame.render_stateful_widget(list_widget, area, &mut st);
}

fn on(list: &[Choice]) -> usize {
    list.iter().filter(|c| c.on).count()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::watch::SourceId;
    use crossterm::event::KeyModifiers;

    fn press(p: &mut SourcePicker, code: KeyCode) -> Picked {
        p.key(
            KeyEvent::new(code, KeyModifiers::NONE),
            &KeyBindings::default(),
        )
    }

    fn typed(p: &mut SourcePicker, s: &str) {
        for c in s.chars() {
            press(p, KeyCode::Char(c));
        }
    }

    /// `prod` narrows the accounts, the cursor moves to team-risk-prod,
    /// Esc clears the text: the cursor stays on team-risk-prod, not on
    /// whichever account now sits at its position.
    #[test]
    fn esc_after_narrowing_keeps_the_cursor_on_its_account() {
        let names = [
            "data-platform-sandbox",
            "ml-prod",
            "security-dev",
            "team-risk-prod",
            "team-voice-dev",
        ];
        let known: Vec<(Option<String>, Reach)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let account = crate::domain::account::Account {
                    id: format!("{}", 111_111_111_111u64 * (i as u64 + 1)),
                    name: Some((*n).to_string()),
                };
                let reach = Reach {
                    account,
                    role: "CopyJobsReader".into(),
                    sso: false,
                };
                (None, reach)
            })
            .collect();
        let mut p = SourcePicker::open_accounts(&[], &known);
        typed(&mut p, "prod");
        assert_eq!(p.shown_accounts().len(), 2);
        press(&mut p, KeyCode::Down);
        let at = |p: &SourcePicker| {
            p.account_at_cursor()
                .and_then(|a| a.reach.account.name.clone())
        };
        assert_eq!(at(&p).as_deref(), Some("team-risk-prod"));
        press(&mut p, KeyCode::Esc);
        assert_eq!(p.input.value(), "");
        assert_eq!(p.shown_accounts().len(), 5);
        assert_eq!(at(&p).as_deref(), Some("team-risk-prod"));
    }

    fn source(id: u32, profile: Option<&str>, spec_region: Option<&str>, resolved: &str) -> Source {
        let mut s = Source::new(
            SourceId(id),
            SourceSpec {
                profile: profile.map(str::to_string),
                region: spec_region.map(str::to_string),
                account: None,
            },
            1,
        );
        s.region = Some(resolved.to_string());
        s
    }

    fn spec(profile: Option<&str>, region: &str) -> SourceSpec {
        SourceSpec {
            profile: profile.map(str::to_string),
            region: Some(region.to_string()),
            account: None,
        }
    }

    #[test]
    fn opens_on_todays_sources_with_the_default_region_resolved() {
        let p = SourcePicker::open(&[source(0, None, None, "eu-west-1")]);
        assert_eq!(p.chosen(), Ok(vec![spec(None, "eu-west-1")]));
        assert!(
            p.regions
                .iter()
                .any(|c| c.name.as_deref() == Some("us-west-2") && !c.on)
        );
    }

    #[test]
    fn checking_a_region_and_a_profile_makes_their_product() {
        let mut p = SourcePicker::open(&[source(0, None, Some("us-east-1"), "us-east-1")]);
        p.add_known_profiles(vec!["ml".into()]);
        // Regions column: us-east-1 first, then the offered ones; check us-west-2.
        let at = p
            .regions
            .iter()
            .position(|c| c.name.as_deref() == Some("us-west-2"));
        for _ in 0..at.unwrap() {
            press(&mut p, KeyCode::Down);
        }
        press(&mut p, KeyCode::Char(' '));
        press(&mut p, KeyCode::Tab);
        press(&mut p, KeyCode::End);
        press(&mut p, KeyCode::Char(' '));
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            Picked::Apply(vec![
                spec(None, "us-east-1"),
                spec(None, "us-west-2"),
                spec(Some("ml"), "us-east-1"),
                spec(Some("ml"), "us-west-2"),
            ])
        );
    }

    #[test]
    fn a_typed_region_is_checked_if_well_formed() {
        let mut p = SourcePicker::open(&[source(0, None, Some("us-east-1"), "us-east-1")]);
        typed(&mut p, "mars-north");
        assert_eq!(press(&mut p, KeyCode::Enter), Picked::Stay);
        assert_eq!(
            p.error.as_deref(),
            Some("'mars-north' is not a region name like us-east-1")
        );
        assert_eq!(
            p.chosen(),
            Ok(vec![spec(None, "us-east-1")]),
            "nothing else changed"
        );
        press(&mut p, KeyCode::Esc);
        assert!(p.input.value().is_empty() && p.error.is_none());
        // Well formed, but not one of Bedrock's: a typo, refused.
        typed(&mut p, "eu-wset-1");
        press(&mut p, KeyCode::Enter);
        assert_eq!(
            p.error.as_deref(),
            Some("eu-wset-1 is not one of Bedrock's regions: did you mean eu-west-1?")
        );
        assert!(
            !p.regions
                .iter()
                .any(|c| c.name.as_deref() == Some("eu-wset-1"))
        );
        press(&mut p, KeyCode::Esc);
        typed(&mut p, "ap-southeast-7");
        press(&mut p, KeyCode::Enter);
        assert_eq!(
            press(&mut p, KeyCode::Enter),
            Picked::Apply(vec![spec(None, "us-east-1"), spec(None, "ap-southeast-7")])
        );
        // The list out of date (--any-region): a new region is taken.
        let mut p = SourcePicker {
            any_region: true,
            ..SourcePicker::open(&[source(0, None, Some("us-east-1"), "us-east-1")])
        };
        typed(&mut p, "eu-wset-1");
        press(&mut p, KeyCode::Enter);
        assert_eq!(p.error, None);
        assert_eq!(
            p.chosen(),
            Ok(vec![spec(None, "us-east-1"), spec(None, "eu-wset-1")])
        );
    }

    #[test]
    fn a_typed_profile_must_be_in_the_config_files() {
        let mut p = SourcePicker::open(&[source(0, None, Some("us-east-1"), "us-east-1")]);
        p.add_known_profiles(vec!["prod".into()]);
        press(&mut p, KeyCode::Tab);
        typed(&mut p, "prdo");
        press(&mut p, KeyCode::Enter);
        assert!(p.error.as_deref().unwrap().starts_with("No profile 'prdo'"));
        press(&mut p, KeyCode::Esc);
        typed(&mut p, "prod");
        press(&mut p, KeyCode::Enter);
        assert!(p.error.is_none());
        assert_eq!(
            p.chosen(),
            Ok(vec![
                spec(None, "us-east-1"),
                spec(Some("prod"), "us-east-1")
            ])
        );
    }

    #[test]
    fn j_and_k_move_as_in_the_table_until_a_name_is_typed() {
        let mut p = SourcePicker::open(&[source(0, None, Some("us-east-1"), "us-east-1")]);
        assert_eq!(p.column, Column::Regions, "opens on the regions");
        press(&mut p, KeyCode::Char('j'));
        press(&mut p, KeyCode::Char('j'));
        press(&mut p, KeyCode::Char('k'));
        assert_eq!(p.cursor_of(Column::Regions), 1);
        assert!(p.input.value().is_empty(), "j and k were not typed");
        press(&mut p, KeyCode::Char('G'));
        assert_eq!(p.cursor_of(Column::Regions), p.regions.len() - 1);
        press(&mut p, KeyCode::Char('g'));
        assert_eq!(p.cursor_of(Column::Regions), 0);
        // Once typing, they are letters.
        typed(&mut p, "ap-j");
        assert_eq!(p.input.value(), "ap-j");
        assert_eq!(p.cursor_of(Column::Regions), 0);
    }

    #[test]
    fn nothing_checked_is_refused_and_esc_cancels() {
        let mut p = SourcePicker::open(&[source(0, None, Some("us-east-1"), "us-east-1")]);
        press(&mut p, KeyCode::Char(' '));
        assert_eq!(press(&mut p, KeyCode::Enter), Picked::Stay);
        assert!(
            p.error
                .as_deref()
                .unwrap()
                .starts_with("Check at least one")
        );
        assert_eq!(press(&mut p, KeyCode::Esc), Picked::Cancel);
    }
}
