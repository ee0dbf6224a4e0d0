//! A search index over target model names: every name, lowercased, one
//! after another in sort order in a single buffer.
//!
//! `outputModelNameContains` is then one SIMD substring search over the
//! stretch of the buffer a page walks (`memchr`'s memmem), instead of a
//! check per job: a name that matches nothing costs a memory scan, not a
//! million small searches.

use memchr::memmem::{Finder, FinderRev};

/// Separates names: it cannot appear in one (CustomModelName is `[0-9a-zA-Z_-]`),
/// so no match spans two names.
const SEP: u8 = b'\n';

#[derive(Debug, Default, Clone)]
pub struct NameIndex {
    text: Vec<u8>,
    /// Where job `i`'s name starts in `text`.
    starts: Vec<u32>,
}

/// A lowercased needle, ready to search both ways.
pub struct Needle {
    fwd: Finder<'static>,
    rev: FinderRev<'static>,
}

impl Needle {
    pub fn new(needle: &str) -> Needle {
        let lower = needle.to_ascii_lowercase();
        Needle {
            fwd: Finder::new(lower.as_bytes()).into_owned(),
            rev: FinderRev::new(lower.as_bytes()).into_owned(),
        }
    }
}

impl NameIndex {
    pub fn from_names<'a>(names: impl Iterator<Item = &'a str>) -> NameIndex {
        let mut index = NameIndex::default();
        for n in names {
            index.push(n);
        }
        index
    }

    pub fn push(&mut self, name: &str) {
        self.starts
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.text
            .extend(name.bytes().map(|b| b.to_ascii_lowercase()));
        self.text.push(SEP);
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Byte range of jobs `from..to`.
    fn span(&self, from: usize, to: usize) -> (usize, usize) {
        let at = |i: usize| self.starts.get(i).map_or(self.text.len(), |s| *s as usize);
        (at(from), at(to.max(from)))
    }

    /// The job whose name holds byte `pos`.
    fn job_at(&self, pos: usize) -> usize {
        self.starts
            .partition_point(|s| *s as usize <= pos)
            .saturating_sub(1)
    }

    /// Jobs in `from..to` whose names contain the needle, in ascending order.
    pub fn find<'a>(
        &'a self,
        needle: &'a Needle,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let (a, b) = self.span(from, to);
        self.jobs_at(a, needle.fwd.find_iter(&self.text[a..b]))
    }

    /// The same, in descending order.
    pub fn rfind<'a>(
        &'a self,
        needle: &'a Needle,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        let (a, b) = self.span(from, to);
        self.jobs_at(a, needle.rev.rfind_iter(&self.text[a..b]))
    }

    /// Match positions (relative to `base`) to jobs, each job once even when
    /// its name holds the needle twice.
    fn jobs_at<'a>(
        &'a self,
        base: usize,
        positions: impl Iterator<Item = usize> + 'a,
    ) -> impl Iterator<Item = usize> + 'a {
        let mut last = None;
        positions
            .map(move |p| self.job_at(base + p))
            .filter(move |i| last.replace(*i) != Some(*i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_matching_name_once_in_either_direction() {
        let idx =
            NameIndex::from_names(["nova-nova-x", "Titan-Lite", "fraud-nova", "llama"].into_iter());
        let n = Needle::new("NOVA");
        assert_eq!(idx.find(&n, 0, 4).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(idx.rfind(&n, 0, 4).collect::<Vec<_>>(), vec![2, 0]);
        assert_eq!(idx.find(&n, 1, 4).collect::<Vec<_>>(), vec![2]);
        assert_eq!(idx.find(&n, 0, 2).collect::<Vec<_>>(), vec![0]);
        assert_eq!(
            idx.find(&Needle::new("titan"), 0, 4).collect::<Vec<_>>(),
            vec![1]
        );
        // No match across the end of one name and the start of the next.
        assert!(idx.find(&Needle::new("xtitan"), 0, 4).next().is_none());
        assert!(idx.find(&n, 3, 3).next().is_none());
    }
}
