//! `:`: a command typed on the status line (`view NAME`, `save NAME`,
//! `delete NAME`: the named views); Enter runs it, Esc cancels.

use crate::app::change::Change;
use crate::app::line::edit;
use crate::app::state::{Focus, Outcome, Pane, State};
use crate::ui::statusbar::prompt;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use tui_input::Input;

#[derive(Debug, Clone, Default)]
pub struct Command {
    pub input: Input,
}

pub fn open() -> Box<dyn Pane> {
    Box::new(Command::default())
}

impl Pane for Command {
    fn focus(&self) -> Focus {
        Focus::Prompt
    }

    fn key(&mut self, key: KeyEvent, _state: &State) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::close(),
            KeyCode::Enter => {
                let line = self.input.value().trim().to_string();
                Outcome::close().with(Change::Command(line))
            }
            _ => {
                edit(&mut self.input, key);
                Outcome::stay()
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        prompt(
            frame,
            area,
            " :",
            &self.input,
            "   view NAME · save NAME · delete NAME · Esc cancel",
        );
    }
}
