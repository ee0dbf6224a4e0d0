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

/// `s` in at most `w` cells, its middle cut: "data-p…sandbox". Names
/// that share a start (an organisation's `data-platform-sandbox`,
/// `data-platform-staging`) differ at their end, which a cut end loses.
pub fn middle(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let room = w - 1;
    let head = take(s.chars(), room / 2);
    let used = head.iter().map(|c| char_width(*c)).sum::<usize>();
    let mut tail = take(s.chars().rev(), room - used);
    tail.reverse();
    head.into_iter()
        .chain(std::iter::once('…'))
        .chain(tail)
        .collect()
}

/// An account's label (`data-platform-sandbox · 250824832504`, or the id
/// alone) in at most `w` cells: whole where it fits; else its name alone,
/// whole, or cut in its middle. A person tells accounts apart by name, and
/// the id is in the job's detail: a cut id tells nothing, and a name cut
/// at its end loses what tells `…-sandbox` from `…-staging`.
pub fn account(label: &str, w: usize) -> String {
    if width(label) <= w {
        return label.to_string();
    }
    match label.rsplit_once(" · ") {
        Some((name, _)) => middle(name, w),
        None => end(label, w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_keeps_what_tells_it_apart() {
        let sandbox = "data-platform-sandbox · 250824832504";
        let staging = "data-platform-staging · 942480463331";
        assert_eq!(account(sandbox, 36), sandbox);
        // Too narrow for both: the name whole rather than the id cut.
        assert_eq!(account(sandbox, 30), "data-platform-sandbox");
        assert_eq!(account("ml-prod · 111122223333", 20), "ml-prod");
        // 80 columns' Account column: the names' ends, not their shared start.
        assert_eq!(account(sandbox, 14), "data-p…sandbox");
        assert_eq!(account(staging, 14), "data-p…staging");
        assert_eq!(width(&account(sandbox, 14)), 14);
        // An id alone, and wide characters, never past the width.
        assert_eq!(account("111122223333", 14), "111122223333");
        assert_eq!(middle("機械学習チーム", 7), "機…ーム");
        assert!(width(&account("機械学習チーム · 111122223333", 9)) <= 9);
    }

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
