//! Text cut to a width in terminal cells, with "…" where it was cut, so a
//! cut value never passes for the whole one. Names keep their start, ARNs
//! their end (the id that tells them apart).

use textwrap::core::display_width;

pub fn width(s: &str) -> usize {
    display_width(s)
}

fn char_width(c: char) -> usize {
    display_width(c.encode_utf8(&mut [0; 4]))
}

/// The longest run of `chars` that fits `room` cells.
fn take(chars: impl Iterator<Item = char>, room: usize) -> Vec<char> {
    let mut used = 0;
    chars
        .take_while(|c| {
            used += char_width(*c);
            used <= room
        })
        .collect()
}

/// `s` in at most `w` cells, its end cut: "voice-chat-nova-mi…".
pub fn end(s: &str, w: usize) -> String {
    end_with(s, w, "")
}

/// As [`end`], with `more` after the "…" (where the rest can be read) when
/// there is room for it and a useful part of `s`.
pub fn end_with(s: &str, w: usize, more: &str) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let tail = if width(more) + 11 <= w {
        format!("…{more}")
    } else {
        "…".to_string()
    };
    let mut out: String = take(s.chars(), w - width(&tail)).into_iter().collect();
    out.push_str(&tail);
    out
}

/// `s` in at most `w` cells, its start cut: "…:model-copy-job/abc123def456".
pub fn start(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut kept = take(s.chars().rev(), w - 1);
    kept.reverse();
    std::iter::once('…').chain(kept).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_keep_the_side_that_tells_values_apart() {
        let arn = "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abc123def456";
        assert_eq!(start(arn, 20), "…py-job/abc123def456");
        assert_eq!(width(&start(arn, 20)), 20);
        assert_eq!(end("voice-chat-nova-micro-v11", 12), "voice-chat-…");
        assert_eq!(end("short", 12), "short");
        assert_eq!(end("abc", 0), "");
        // Wide characters never push past the width.
        assert_eq!(end("機械学習チーム", 5), "機械…");
        assert_eq!(start("機械学習チーム", 6), "…ーム");
        assert_eq!(
            end_with("a long message that cannot fit", 24, " (l)"),
            "a long message that… (l)"
        );
        assert_eq!(end_with("a long message", 8, " (l: more)"), "a long …");
    }
}
