//! `/`: the local search's box on the status line. The table follows as it
//! is typed (name, ARNs, tags, failure message); Enter keeps it, Esc clears
//! it.

use crate::app::change::Change;
use crate::app::line::edit;
use crate::app::state::{Focus, Outcome, Pane, State};
use crate::ui::statusbar::prompt;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use tui_input::Input;

#[derive(Debug, Clone)]
pub struct Search {
    pub input: Input,
}

/// The box on the search applied now.
pub fn open(state: &State) -> Box<dyn Pane> {
    Box::new(Search {
        input: Input::new(state.search.clone()),
    })
}

impl Pane for Search {
    fn focus(&self) -> Focus {
        Focus::Search
    }

    fn key(&mut self, key: KeyEvent, _state: &State) -> Outcome {
        match key.code {
            KeyCode::Enter => Outcome::close().with(Change::MaybeNextPage),
            KeyCode::Esc => Outcome::close().with(Change::ClearSearch),
            _ if edit(&mut self.input, key) => {
                Outcome::stay().with(Change::Search(self.input.value().to_string()))
            }
            _ => Outcome::stay(),
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        prompt(
            frame,
            area,
            " / ",
            &self.input,
            "   ⏎ keep · Esc clear  (searches loaded rows only)",
        );
    }
}
