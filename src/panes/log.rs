//! `l` (and Tab): the event log has the keys. j/k, PgUp/PgDn, g/G move in
//! it, Enter selects the entry's job in the table, Esc or Tab give the keys
//! back to the table, `l` closes the log. The log itself is drawn with the
//! table (`ui::log`); its cursor is the state's, kept while it is closed.

use crate::app::change::Change;
use crate::app::log::LogStep;
use crate::app::state::{Focus, Outcome, Pane, PaneKeys, State};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, Default)]
pub struct LogFocus;

/// Opens the log (if closed) and gives it the keys.
pub fn open(state: &mut State) -> Box<dyn Pane> {
    state.show_log = true;
    Box::new(LogFocus)
}

impl Pane for LogFocus {
    fn focus(&self) -> Focus {
        Focus::Log
    }

    fn key(&mut self, key: KeyEvent, state: &State) -> Outcome {
        // The cursor is the state's (the log is drawn with the table): moved
        // here, kept there.
        let mut cursor = state.log;
        let step = cursor.key(key, &state.settings.keys, &state.events);
        let moved = Change::LogCursor(cursor);
        match step {
            LogStep::Stay => Outcome::stay().with(moved),
            LogStep::Table => Outcome::close().with(moved),
            LogStep::Close => Outcome::close().with(moved).with(Change::ShowLog(false)),
            LogStep::Quit => Outcome::stay().with(moved).with(Change::Quit),
            LogStep::Show(arn) => Outcome::close().with(moved).with(Change::ShowJob(arn)),
            LogStep::Run(action) => Outcome::then(action).with(moved),
            LogStep::NotTaken => Outcome::not_taken(&key, "the event log").with(moved),
        }
    }

    fn help(&self, _state: &State) -> Option<PaneKeys> {
        Some(PaneKeys {
            title: "the event log",
            keys: vec![
                ("↑↓ j k", "an entry"),
                ("PgUp PgDn g G", "a screen, the newest, the oldest"),
                ("Enter", "select the entry's job in the table"),
                ("Esc Tab", "the keys back to the table, the log open"),
                ("l", "close the log"),
                ("other keys", "the table's: they give it the keys and act"),
            ],
        })
    }

    /// Nothing over the table: the log pane shows where its cursor is.
    fn draw(&self, _frame: &mut Frame, _area: Rect, _state: &State) {}
}
