//! Moving in a list with the table's keys (j/k, PgUp/PgDn, g/G and the
//! arrows, as bound): the event log and the pickers move as the table does.

use crate::config::keys::{Action, KeyBindings};
use crossterm::event::KeyEvent;

/// Lines PgUp and PgDn move by in a pane.
pub const PAGE: usize = 10;

/// `at` moved by `key` in a list of `len` items, or None when `key` is no
/// move.
pub fn moved(keys: &KeyBindings, key: &KeyEvent, at: usize, len: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match keys.action(key)? {
        Action::Down => (at + 1).min(last),
        Action::Up => at.saturating_sub(1),
        Action::PageDown => (at + PAGE).min(last),
        Action::PageUp => at.saturating_sub(PAGE),
        Action::First => 0,
        Action::Last => last,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    #[test]
    fn the_tables_keys_move_in_a_list() {
        let k = KeyBindings::default();
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        assert_eq!(moved(&k, &key(KeyCode::Char('j')), 3, 5), Some(4));
        assert_eq!(moved(&k, &key(KeyCode::Char('j')), 4, 5), Some(4));
        assert_eq!(moved(&k, &key(KeyCode::Char('k')), 0, 5), Some(0));
        assert_eq!(moved(&k, &key(KeyCode::Down), 0, 5), Some(1));
        assert_eq!(moved(&k, &key(KeyCode::PageDown), 0, 50), Some(10));
        assert_eq!(moved(&k, &key(KeyCode::Char('G')), 0, 50), Some(49));
        assert_eq!(moved(&k, &key(KeyCode::Home), 7, 50), Some(0));
        assert_eq!(moved(&k, &key(KeyCode::Char('x')), 7, 50), None);
        assert_eq!(moved(&k, &key(KeyCode::Char('j')), 0, 0), Some(0));
    }
}
