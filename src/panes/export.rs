//! `e`: where to write the view (filters and local search applied, in
//! display order): CSV, or JSON for a `.json` path. A file already there
//! is found by the write itself and asked about: `y` replaces it.

use crate::app::line::edit;
use crate::app::msg::Effect;
use crate::app::state::{Focus, Outcome, Pane, State};
use crate::app::table::notice;
use crate::domain::job::CopyJob;
use crate::output::sanitize::clean;
use crate::ui::statusbar::{prompt, question};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use std::path::PathBuf;
use tui_input::Input;

/// The prompt for the file's path.
#[derive(Debug, Clone)]
pub struct Export {
    pub input: Input,
}

/// The prompt, on a name of this moment: `copyjobs-20250601-120000.csv`.
pub fn open(state: &State) -> Box<dyn Pane> {
    let name = format!(
        "copyjobs-{}.csv",
        state
            .now
            .with_timezone(&state.settings.tz)
            .format("%Y%m%d-%H%M%S")
    );
    Box::new(Export {
        input: Input::new(name),
    })
}

impl Pane for Export {
    fn focus(&self) -> Focus {
        Focus::Prompt
    }

    fn key(&mut self, key: KeyEvent, state: &mut State) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close(Vec::new()),
            KeyCode::Enter => {
                let path = PathBuf::from(self.input.value().trim());
                if path.as_os_str().is_empty() {
                    return Outcome::Stay(Vec::new());
                }
                let jobs = state
                    .view
                    .iter()
                    .filter_map(|&slot| state.row(slot).map(|r| r.job.clone()))
                    .collect();
                notice(state, format!("Exporting to {}…", path.display()));
                Outcome::Close(vec![Effect::Export {
                    path,
                    jobs,
                    overwrite: false,
                }])
            }
            _ => {
                edit(&mut self.input, key);
                Outcome::Stay(Vec::new())
            }
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        prompt(
            frame,
            area,
            " export to: ",
            &self.input,
            "   ⏎ write (.json: JSON, else CSV) · Esc cancel",
        );
    }
}

/// The export's file exists: `y` replaces it, any other key keeps it.
#[derive(Debug, Clone)]
pub struct Overwrite {
    pub path: PathBuf,
    pub jobs: Vec<CopyJob>,
}

/// The question, when the runner found the file there (`Msg::ExportExists`).
pub fn ask(path: PathBuf, jobs: Vec<CopyJob>) -> Box<dyn Pane> {
    Box::new(Overwrite { path, jobs })
}

impl Pane for Overwrite {
    fn focus(&self) -> Focus {
        Focus::Prompt
    }

    fn key(&mut self, key: KeyEvent, state: &mut State) -> Outcome {
        let path = self.path.clone();
        if key.code == KeyCode::Char('y') {
            notice(state, format!("Exporting to {}…", path.display()));
            Outcome::Close(vec![Effect::Export {
                path,
                jobs: std::mem::take(&mut self.jobs),
                overwrite: true,
            }])
        } else {
            notice(
                state,
                format!("Not exported: {} kept as it was", path.display()),
            );
            Outcome::Close(Vec::new())
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, _state: &State) {
        question(
            frame,
            area,
            &format!(
                " {} exists: replace it? ",
                clean(&self.path.display().to_string())
            ),
            "y replaces · any other key keeps it",
        );
    }
}
