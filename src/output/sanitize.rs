//! Text from the service is shown, never obeyed: control characters and
//! escape sequences would otherwise move the cursor, recolour or retitle the
//! user's terminal. They are shown escaped instead.

use std::borrow::Cow;

fn is_unsafe(c: char) -> bool {
    c.is_control()
        // Bidirectional overrides, isolates and marks (Unicode's Bidi_Control,
        // the Arabic letter mark included) can make text read differently than it is.
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// One line of display text: newlines and tabs become spaces, other control
/// characters become a visible `\u{…}` escape.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Text that may keep its lines (a CSV field, quoted): newlines, carriage
/// returns and tabs stay, every other control character and bidirectional
/// override is escaped as [`clean`] escapes it.
pub fn clean_lines(s: &str) -> Cow<'_, str> {
    let keep = |c: char| matches!(c, '\n' | '\r' | '\t');
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_untouched_and_borrowed() {
        assert!(matches!(clean("fraud-sft-v2 ✔"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_cannot_reach_the_terminal() {
        let evil = "name\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}txt\nnext";
        let c = clean(evil);
        assert!(!c.chars().any(is_unsafe), "{c}");
        assert!(c.contains("\\u{1b}]0;pwned\\u{7}"));
        assert!(c.contains("\\u{202e}txt next"));
    }
}
