//! `/`: the local search's box on the status line. The table follows as it
//! is typed (name, ARNs, tags, failure message); Enter keeps it, Esc clears
//! it.

use crate::app::line::edit;
use crate::app::state::{Focus, Outcome, Pane, State};
use crate::app::table::{clear_search, maybe_next_page};
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

    fn key(&mut self, key: KeyEvent, state: &mut State) -> Outcome {
        match key.code {
            KeyCode::Enter => Outcome::Close(maybe_next_page(state)),
            KeyCode::Esc => {
                clear_search(state);
                Outcome::Close(Vec::new())
            }
            _ => {
                if edit(&mut self.input, key) {
                    let arn = state.selected_arn();
                    state.search = self.input.value().to_string();
                    state.rebuild_view();
                    if !arn.is_some_and(|a| state.select_arn(&a)) {
                        state.selected = 0;
                        state.clamp_selection();
                    }
                }
                Outcome::Stay(Vec::new())
            }
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
