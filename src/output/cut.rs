//! Text cut to a width in terminal cells, with "…" where it was cut, so a
//! cut value never passes for the whole one. Names keep their start, ARNs
//! their end (the id that tells them apart).

use std::collections::HashMap;
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
    middle_at(s, w, w.saturating_sub(1) / 2)
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

/// Every label of `labels` (the accounts read) as [`account`] shows it
/// in `w` cells, cut so that they stay apart: `team-recsys-sandbox` and
/// `team-risk-sandbox` cut in the middle alike (`team-r…sandbox`) read
/// the same, so the cut moves along the names (one place for every name,
/// so the column reads evenly) to where they differ; a label no cut tells
/// apart at this width shows its account's id (12 digits), which does.
pub fn accounts(labels: &[String], w: usize) -> HashMap<String, String> {
    // An account read in several regions is one label.
    let mut labels = labels.to_vec();
    labels.sort_unstable();
    labels.dedup();
    let shown = |l: &str, head: usize| -> String {
        if width(l) <= w {
            return l.to_string();
        }
        match l.rsplit_once(" · ") {
            Some((name, _)) if width(name) <= w => name.to_string(),
            Some((name, _)) => middle_at(name, w, head),
            None => end(l, w),
        }
    };
    let all = |head: usize| -> Vec<String> { labels.iter().map(|l| shown(l, head)).collect() };
    let clashing = |cuts: &[String]| -> Vec<bool> {
        let mut count: HashMap<&str, usize> = HashMap::new();
        for c in cuts {
            *count.entry(c.as_str()).or_default() += 1;
        }
        cuts.iter().map(|c| count[c.as_str()] > 1).collect()
    };
    let room = w.saturating_sub(1);
    // Heads from the middle outwards: the middle cut where it does.
    let mut heads: Vec<usize> = (1..room.max(2)).collect();
    heads.sort_by_key(|h| (h.abs_diff(room / 2), *h));
    let mut best: Option<(usize, Vec<String>, Vec<bool>)> = None;
    for h in heads {
        let cuts = all(h);
        let clash = clashing(&cuts);
        let n = clash.iter().filter(|c| **c).count();
        if best.as_ref().is_none_or(|(m, _, _)| n < *m) {
            best = Some((n, cuts, clash));
        }
        if n == 0 {
            break;
        }
    }
    let Some((_, cuts, clash)) = best else {
        return HashMap::new();
    };
    labels
        .iter()
        .zip(cuts)
        .zip(clash)
        .map(|((l, cut), clash)| {
            let text = match l.rsplit_once(" · ") {
                Some((_, id)) if clash => end(id, w),
                _ => cut,
            };
            (l.clone(), text)
        })
        .collect()
}

/// One label as [`accounts`] shows it among `labels`.
pub fn account_among(label: &str, labels: &[String], w: usize) -> String {
    if width(label) <= w {
        return label.to_string();
    }
    let mut all = labels.to_vec();
    if !all.iter().any(|l| l == label) {
        all.push(label.to_string());
    }
    accounts(&all, w)
        .remove(label)
        .unwrap_or_else(|| account(label, w))
}

/// `s` cut in its middle with `head` cells before the "…" (or fewer, for
/// a wide character) and the rest of `w` after it.
fn middle_at(s: &str, w: usize, head: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let room = w - 1;
    let head = take(s.chars(), head.min(room));
    let used = head.iter().map(|c| char_width(*c)).sum::<usize>();
    let mut tail = take(s.chars().rev(), room - used);
    tail.reverse();
    head.into_iter()
        .chain(std::iter::once('…'))
        .chain(tail)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo organisation's names (`copyjobs demo --org-size 12`), whose
    /// middle cuts clash: `team-r…sandbox` twice, `team-s…staging` twice.
    #[test]
    fn a_cut_account_label_tells_every_account_read_apart() {
        let labels: Vec<String> = [
            "team-recsys-sandbox · 111111111111",
            "team-risk-sandbox · 222222222222",
            "team-search-staging · 333333333333",
            "team-support-staging · 444444444444",
            "team-support-prod · 555555555555",
            "data-platform-sandbox · 666666666666",
            "data-platform-staging · 777777777777",
            "security-dev · 888888888888",
        ]
        .map(String::from)
        .to_vec();
        let shown: Vec<String> = labels
            .iter()
            .map(|l| account_among(l, &labels, 14))
            .collect();
        let distinct: std::collections::HashSet<&String> = shown.iter().collect();
        assert_eq!(distinct.len(), labels.len(), "{shown:?}");
        assert!(shown.iter().all(|s| width(s) <= 14), "{shown:?}");
        assert_eq!(shown[0], "team-re…andbox");
        assert_eq!(shown[1], "team-ri…andbox");
        assert_eq!(shown[7], "security-dev", "whole where it fits");
        // Alone, the plain middle cut.
        assert_eq!(
            account_among(&labels[0], &labels[..1], 14),
            "team-r…sandbox"
        );
        // Names no cut at 6 cells tells apart: the id.
        let twins: Vec<String> = ["ab-x-cd · 111122223333", "ab-y-cd · 444455556666"]
            .map(String::from)
            .to_vec();
        assert_eq!(account_among(&twins[0], &twins, 5), "1111…");
        assert_eq!(account_among(&twins[0], &twins, 7), "ab-x-cd");
        let wide: Vec<String> = [
            "abcdefghijklm-x-nopqrstuvwxyz · 111122223333",
            "abcdefghijklm-y-nopqrstuvwxyz · 444455556666",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(account_among(&wide[1], &wide, 14), "444455556666");
    }

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
