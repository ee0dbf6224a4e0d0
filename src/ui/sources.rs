//! The source picker: profiles and regions side by side, checked boxes make
//! the table's sources.

use super::theme;
use crate::app::picker::{Choice, Column, SourcePicker};
use crate::output::sanitize::clean;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, ListState, Paragraph};

const DEFAULT_PROFILE: &str = "(default chain)";
const DEFAULT_REGION: &str = "(default region)";

pub fn draw(frame: &mut Frame, area: Rect, p: &SourcePicker) {
    let r = super::centered(area, 72, 22);
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
    let value = clean(p.input.value()).into_owned();
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(what, theme::label()),
            Span::raw(value),
        ])),
        prompt,
    );
    let x = prompt.x + what.chars().count() as u16 + p.input.visual_cursor() as u16;
    if x < prompt.right() {
        frame.set_cursor_position(Position::new(x, prompt.y));
    }
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
