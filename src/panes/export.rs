//! `e`: where to write the view (filters and local search applied, in
//! display order): CSV, or JSON for a `.json` path. A file already there
//! is found by the write itself and asked about: `y` replaces it.

use crate::app::line::edit;
use crate::app::msg::Effect;
use crate::app::state::{Focus, Outcome, Pane, State};
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

    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::close(),
            KeyCode::Enter => {
                let path = PathBuf::from(self.input.value().trim());
                if path.as_os_str().is_empty() {
                    return Outcome::stay();
                }
                let jobs = state
                    .view
                    .iter()
                    .filter_map(|&slot| state.row(slot).map(|r| r.job.clone()))
                    .collect();
                exporting(path, jobs, false)
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
            " export to: ",
            &self.input,
            "   ⏎ write (.json: JSON, else CSV) · Esc cancel",
        );
    }
}

/// The pane closes and the jobs are written to `path`.
fn exporting(path: PathBuf, jobs: Vec<CopyJob>, overwrite: bool) -> Outcome {
    Outcome::close()
        .said(format!("Exporting to {}…", path.display()))
        .doing(vec![Effect::Export {
            path,
            jobs,
            overwrite,
        }])
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

    fn key(&mut self, key: KeyEvent, _state: &State) -> Outcome {
        let path = self.path.clone();
        if key.code == KeyCode::Char('y') {
            exporting(path, std::mem::take(&mut self.jobs), true)
        } else {
            Outcome::close().said(format!("Not exported: {} kept as it was", path.display()))
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
