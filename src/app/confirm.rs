//! The confirmation of a request that changes something (`R` retries a
//! failed copy): exactly what will be sent, and the AWS CLI command that
//! sends the same. The target name can be edited; Enter sends, Esc cancels.

use super::line::edit;
use crate::domain::copy::CopyRequest;
use crate::watch::SourceId;
use crossterm::event::{KeyCode, KeyEvent};
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
