//! The one line a verb redraws in place on a terminal's stderr ("reading
//! us-east-1…", "3 of 30 finished…"), and every other stderr note said
//! beside it. A note written after the line would be glued onto it
//! (`…Completedcopyjobs: retrying in 0.5 s`), so [`note`] clears the line,
//! writes the note on a line of its own, and draws the line again below it.
//! Only for a person at a terminal: without one, [`show`] writes nothing and
//! notes are plain lines.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

/// The line on screen now, if any.
static LINE: Mutex<Option<String>> = Mutex::new(None);

/// Erases the current line of a terminal.
const ERASE: &str = "\r\x1b[2K";

fn line() -> std::sync::MutexGuard<'static, Option<String>> {
    LINE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether a line is drawn at all: only on a terminal.
pub fn on() -> bool {
    std::io::stderr().is_terminal()
}

/// Draws `text` in place of the line, cut to the terminal's width (a
/// wrapped line could not be redrawn in place).
pub fn show(text: &str) {
    if !on() {
        return;
    }
    let width = crossterm::terminal::size().map_or(100, |(w, _)| usize::from(w));
    let text: String = text.chars().take(width.saturating_sub(1)).collect();
    let mut err = std::io::stderr().lock();
    // Writes to stderr never panic here: a closed terminal is not a crash.
    let _ = write!(err, "{ERASE}{text}");
    let _ = err.flush();
    *line() = Some(text);
}

/// Says `text` on a line of its own, the progress line (if any) kept
/// below it.
pub fn note(text: &str) {
    let shown = line().clone();
    let mut err = std::io::stderr().lock();
    match shown {
        Some(l) => {
            let _ = write!(err, "{ERASE}{text}\n{l}");
        }
        None => {
            let _ = writeln!(err, "{text}");
        }
    }
    let _ = err.flush();
}

/// Erases the line: what follows replaces it (a final summary).
pub fn clear() {
    if line().take().is_some() {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{ERASE}");
        let _ = err.flush();
    }
}

/// Leaves the line as it is, the last state a person saw, and ends it
/// (Ctrl-C): the shell's prompt starts on the next line.
pub fn keep() {
    if line().take().is_some() {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err);
        let _ = err.flush();
    }
}
