//! New rows and the person reading (the counting; `refresh` does the
//! following): with the selection on the first row the
//! table follows the head (new rows come in above and the selection stays
//! on top, as `tail -f` would); scrolled away, the selection stays where it
//! is and the header counts the new rows above the screen ("↑ 12 new", `g`
//! goes there). Each refresh that changed something says what.

use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct Arrivals {
    /// New rows above the screen the person has not seen yet, by ARN.
    pub unseen: HashSet<String>,
    /// How many of them there are, for the header.
    pub above: usize,
    /// Numbers the refreshes, so the answers of one (a source each) make
    /// one summary.
    pub round: u64,
    pub summary: Summary,
}

/// What one refresh changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub round: u64,
    pub new: usize,
    pub finished: usize,
    pub failed: usize,
    pub other: usize,
}

impl Summary {
    pub fn text(&self) -> String {
        let parts: Vec<String> = [
            (self.new, "+{} new"),
            (self.finished, "{} finished"),
            (self.failed, "{} failed"),
            (self.other, "{} changed"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, f)| f.replace("{}", &n.to_string()))
        .collect();
        format!("Refresh: {}", parts.join(", "))
    }
}
