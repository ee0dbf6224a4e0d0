//! A search index over target model names, for `outputModelNameContains`
//! (an ASCII-case-insensitive substring of the target model name).
//!
//! Each trigram of the lowercased names has a posting list: the positions,
//! in the store's sort order, of the jobs whose names hold it. A page walks
//! the needle's lists from its cursor on and checks each candidate with a
//! real substring search, so a needle that matches nothing (usually it has a
//! trigram no name has) costs a few lookups, not a search through every name.
//!
//! The names are also kept lowercased one after another in a single buffer,
//! where candidates are checked. A needle under three bytes is looked up
//! through every trigram that may hold it, unless those lists are dense: then
//! it matches so often that one SIMD substring search (`memchr`'s memmem) over
//! the stretch of names a page walks ends sooner.
//!
//! Positions shift when a job is inserted before others (one created in the
//! same millisecond as the newest, placed by its id): every list moves its
//! later positions up by one, which is cheap as such inserts land near the end.

use super::postings::{Postings, Seeker};
use memchr::memmem::{Finder, FinderRev};
use std::collections::BinaryHeap;

/// Separates names: it cannot appear in one (CustomModelName is `[0-9a-zA-Z_-]`),
/// so no match spans two names.
const SEP: u8 = b'\n';

/// Byte classes a trigram is made of: the 38 bytes a name may hold, plus one
/// for any other byte. Merging the others keeps the trigram table small; it
/// only adds candidates, and the check drops them.
const CLASSES: u32 = 39;
const TRIGRAMS: usize = (CLASSES * CLASSES * CLASSES) as usize;
const NO_LIST: u32 = u32::MAX;

/// Besides the needle's shortest list, a list is walked only if it is at
/// most this many times longer: moving along a longer one decodes most of
/// it, to drop few candidates, while checking a candidate's name is one
/// short substring search.
const WORTH_WALKING: usize = 4;

/// A list holding more than one job in this many is dense: walking it beside
/// the shortest drops too few candidates to pay, and a needle under three
/// bytes whose lists are that full matches so often that the buffer scan
/// fills a page sooner than the lists.
const DENSE: usize = 8;

fn class(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'a'..=b'z' => 10 + u32::from(b - b'a'),
        b'_' => 36,
        b'-' => 37,
        _ => 38,
    }
}

fn trigram(a: u32, b: u32, c: u32) -> u32 {
    (a * CLASSES + b) * CLASSES + c
}

/// The trigrams of a lowercased name, in order, repeats included.
fn trigrams(lower: &[u8]) -> impl Iterator<Item = u32> + '_ {
    lower
        .windows(3)
        .map(|w| trigram(class(w[0]), class(w[1]), class(w[2])))
}

/// Every trigram that may hold a needle of one or two bytes, in any place.
fn trigrams_around(lower: &[u8]) -> Vec<u32> {
    let any = 0..CLASSES;
    let mut out: Vec<u32> = match *lower {
        [a] => {
            let a = class(a);
            any.clone()
                .flat_map(|x| any.clone().map(move |y| (x, y)))
                .flat_map(|(x, y)| [trigram(a, x, y), trigram(x, a, y), trigram(x, y, a)])
                .collect()
        }
        [a, b] => {
            let (a, b) = (class(a), class(b));
            any.flat_map(|x| [trigram(a, b, x), trigram(x, a, b)])
                .collect()
        }
        _ => Vec::new(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

#[derive(Debug, Default, Clone)]
pub struct NameIndex {
    text: Vec<u8>,
    /// Where job `i`'s name starts in `text`.
    starts: Vec<u32>,
    /// Trigram → its list in `lists`, or [`NO_LIST`]. Empty until the first
    /// name, so a region without jobs costs nothing.
    table: Vec<u32>,
    lists: Vec<Postings>,
    /// Names under three bytes: they have no trigram, but may hold a short
    /// needle.
    short: Postings,
    /// How many names hold a byte of each class: a one-byte needle's
    /// trigrams are too many to add up at each request.
    holding: Vec<u32>,
    /// The name being inserted, lowercased: reused, as a build inserts a
    /// million.
    scratch: Vec<u8>,
}

/// A lowercased needle, ready to search both ways.
pub struct Needle {
    lower: Box<[u8]>,
    fwd: Finder<'static>,
    rev: FinderRev<'static>,
}

impl Needle {
    pub fn new(needle: &str) -> Needle {
        let lower = needle.to_ascii_lowercase();
        Needle {
            fwd: Finder::new(lower.as_bytes()).into_owned(),
            rev: FinderRev::new(lower.as_bytes()).into_owned(),
            lower: lower.into_bytes().into_boxed_slice(),
        }
    }
}

impl NameIndex {
    pub fn from_names<'a>(names: impl Iterator<Item = &'a str>) -> NameIndex {
        let mut index = NameIndex::default();
        for n in names {
            index.push(n);
        }
        // Built once and then mostly read: growth's spare room would be a
        // third of the index.
        index.text.shrink_to_fit();
        index.starts.shrink_to_fit();
        for list in &mut index.lists {
            list.shrink_to_fit();
        }
        index
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Heap bytes held: `(lowercased names, trigram lists)`.
    pub fn heap_bytes(&self) -> (usize, usize) {
        let names = self.text.capacity() + self.starts.capacity() * 4;
        let lists = self.table.capacity() * 4
            + self.lists.capacity() * size_of::<Postings>()
            + self.lists.iter().map(Postings::heap_bytes).sum::<usize>()
            + self.short.heap_bytes();
        (names, lists)
    }

    pub fn push(&mut self, name: &str) {
        self.insert(self.len(), name);
    }

    /// Adds a name at position `at` in sort order; the names from `at` on
    /// move one place later.
    pub fn insert(&mut self, at: usize, name: &str) {
        assert!(at <= self.len(), "insert at {at} past {}", self.len());
        let pos = u32::try_from(at).expect("fewer than 2^32 jobs");
        let mut lower = std::mem::take(&mut self.scratch);
        lower.clear();
        lower.extend(name.bytes().map(|b| b.to_ascii_lowercase()));
        let start = self.starts.get(at).map_or(self.text.len(), |&s| s as usize);
        let start32 = u32::try_from(start).expect("names under 4 GiB");
        if at == self.len() {
            self.text.extend_from_slice(&lower);
            self.text.push(SEP);
            self.starts.push(start32);
        } else {
            let grown = lower.len() as u32 + 1;
            self.text
                .splice(start..start, lower.iter().copied().chain([SEP]));
            self.starts.insert(at, start32);
            for s in &mut self.starts[at + 1..] {
                *s += grown;
            }
            for list in &mut self.lists {
                list.shift_from(pos);
            }
            self.short.shift_from(pos);
        }
        let classes = lower.iter().fold(0u64, |m, &b| m | 1 << class(b));
        self.holding.resize(CLASSES as usize, 0);
        for (c, n) in self.holding.iter_mut().enumerate() {
            *n += (classes >> c & 1) as u32;
        }
        if lower.len() < 3 {
            self.short.insert(pos);
        } else if self.table.is_empty() {
            self.table = vec![NO_LIST; TRIGRAMS];
        }
        // A trigram the name holds twice is added once: the list ignores
        // the repeat.
        for g in trigrams(&lower) {
            let slot = &mut self.table[g as usize];
            if *slot == NO_LIST {
                *slot = self.lists.len() as u32;
                self.lists.push(Postings::default());
            }
            self.lists[*slot as usize].insert(pos);
        }
        self.scratch = lower;
    }

    fn list(&self, trigram: u32) -> Option<&Postings> {
        let slot = *self.table.get(trigram as usize)?;
        (slot != NO_LIST).then(|| &self.lists[slot as usize])
    }

    /// Job `i`'s lowercased name.
    fn name(&self, i: usize) -> &[u8] {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&s| s as usize);
        &self.text[start..end - 1]
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
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        self.search(needle, from, to, true)
    }

    /// The same, in descending order.
    pub fn rfind<'a>(
        &'a self,
        needle: &'a Needle,
        from: usize,
        to: usize,
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        self.search(needle, from, to, false)
    }

    fn search<'a>(
        &'a self,
        needle: &'a Needle,
        from: usize,
        to: usize,
        ascending: bool,
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        match self.plan(needle, true) {
            Plan::Scan => {}
            plan => return Box::new(Walk::new(self, needle, plan, from, to, ascending)),
        }
        let (a, b) = self.span(from, to);
        let text = &self.text[a..b];
        if ascending {
            Box::new(self.jobs_at(a, needle.fwd.find_iter(text)))
        } else {
            Box::new(self.jobs_at(a, needle.rev.rfind_iter(text)))
        }
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

    /// How to look `needle` up. `may_scan` false keeps a short needle on its
    /// lists even when they are dense (for tests of the lookup).
    fn plan(&self, needle: &Needle, may_scan: bool) -> Plan<'_> {
        let lower = &needle.lower;
        if lower.len() >= 3 {
            let mut grams: Vec<u32> = trigrams(lower).collect();
            grams.sort_unstable();
            grams.dedup();
            let mut lists = Vec::with_capacity(grams.len());
            for g in grams {
                match self.list(g) {
                    Some(list) => lists.push(list),
                    // A trigram no name holds: nothing matches.
                    None => return Plan::All(Lookup::NOTHING),
                }
            }
            // The shortest list leads; the others are walked only when they
            // are worth it, and otherwise left to the check.
            lists.sort_by_key(|l| l.len());
            let lead = lists.first().map_or(0, |l| l.len());
            let worth = |l: &Postings| {
                l.len() <= lead.saturating_mul(WORTH_WALKING)
                    && l.len().saturating_mul(DENSE) <= self.len()
            };
            let others = lists.split_off(lists.len().min(1));
            lists.extend(others.into_iter().filter(|l| worth(l)));
            // One trigram of bytes a name may hold is the needle itself.
            let exact = lower.len() == 3 && named_classes(lower);
            return Plan::All(Lookup { lists, exact });
        }
        let dense = |held: usize| may_scan && held.saturating_mul(DENSE) > self.len();
        match **lower {
            [] => return Plan::Scan,
            [b] => {
                // Counted per name: cheaper than the lists, and exact.
                let held = self
                    .holding
                    .get(class(b) as usize)
                    .map_or(0, |&n| n as usize);
                if held == 0 {
                    return Plan::All(Lookup::NOTHING);
                } else if dense(held) {
                    return Plan::Scan;
                }
            }
            _ => {}
        }
        let lists: Vec<&Postings> = trigrams_around(lower)
            .into_iter()
            .filter_map(|g| self.list(g))
            .collect();
        if dense(lists.iter().map(|l| l.len()).sum::<usize>() + self.short.len()) {
            return Plan::Scan;
        }
        // A trigram that holds bytes a name may hold holds them exactly.
        let exact = named_classes(lower);
        Plan::Any(Lookup { lists, exact }, &self.short)
    }
}

/// Whether every byte is one a name may hold, each a class of its own.
fn named_classes(lower: &[u8]) -> bool {
    lower.iter().all(|&b| class(b) < CLASSES - 1)
}

/// How a needle is looked up.
enum Plan<'a> {
    /// Its candidates are on every one of these lists (none: no candidate).
    All(Lookup<'a>),
    /// Its candidates are on any of these lists, or among the names too
    /// short for a trigram (the second list).
    Any(Lookup<'a>, &'a Postings),
    /// Search the names buffer.
    Scan,
}

struct Lookup<'a> {
    lists: Vec<&'a Postings>,
    /// A candidate the lists give is a match: no need to check its name.
    exact: bool,
}

impl Lookup<'_> {
    const NOTHING: Lookup<'static> = Lookup {
        lists: Vec::new(),
        exact: true,
    };
}

/// One page's walk over the needle's lists, one way through `lo..hi`, each
/// candidate checked against the real needle unless the lists are exact.
struct Walk<'a> {
    index: &'a NameIndex,
    needle: &'a Needle,
    seekers: Vec<Seeker<'a>>,
    exact: bool,
    /// For [`Plan::Any`]: the seeker over the short names, whose candidates
    /// are always checked.
    short: Option<usize>,
    /// For [`Plan::Any`]: the seekers by their next position, the nearest
    /// on top (see [`Walk::rank`]), so a step moves only the seekers that
    /// stood on the position it takes.
    heads: Option<BinaryHeap<(u32, usize)>>,
    /// The range still to walk.
    lo: u32,
    hi: u32,
    ascending: bool,
}

impl<'a> Walk<'a> {
    fn new(
        index: &'a NameIndex,
        needle: &'a Needle,
        plan: Plan<'a>,
        from: usize,
        to: usize,
        ascending: bool,
    ) -> Walk<'a> {
        let to = to.min(index.len());
        let (mut lookup, short) = match plan {
            Plan::All(lookup) => (lookup, None),
            Plan::Any(lookup, short) => (lookup, Some(short)),
            Plan::Scan => (Lookup::NOTHING, None),
        };
        let any = short.is_some();
        let short = short.map(|short| {
            lookup.lists.push(short);
            lookup.lists.len() - 1
        });
        let mut walk = Walk {
            index,
            needle,
            seekers: lookup.lists.into_iter().map(Postings::seeker).collect(),
            exact: lookup.exact,
            short,
            heads: None,
            lo: from.min(to) as u32,
            hi: to as u32,
            ascending,
        };
        if walk.seekers.is_empty() {
            walk.hi = walk.lo;
        }
        if any {
            let range = (walk.lo, walk.hi);
            let heads = walk.seekers.iter_mut().enumerate().filter_map(|(i, s)| {
                walk_seek(s, &range, ascending).map(|v| (Walk::rank(v, ascending), i))
            });
            walk.heads = Some(heads.collect());
        }
        walk
    }

    /// A max-heap key that puts the position the walk reaches first on top.
    fn rank(pos: u32, ascending: bool) -> u32 {
        if ascending { !pos } else { pos }
    }

    /// The next position on every list, from the walk's open end.
    fn next_on_all(&mut self) -> Option<u32> {
        let (lo, hi) = (self.lo, self.hi);
        if lo >= hi {
            return None;
        }
        let mut x = if self.ascending { lo } else { hi - 1 };
        let (mut agree, mut k, m) = (0, 0, self.seekers.len());
        // Each list in turn moves to `x` or past it; a list that moves past
        // it sets a new `x`. Once all in a row stand on `x`, they share it.
        while agree < m {
            let v = walk_seek(&mut self.seekers[k], &(x, x + 1), self.ascending)
                .filter(|&v| lo <= v && v < hi)?;
            if v == x {
                agree += 1;
            } else {
                x = v;
                agree = 1;
            }
            k = (k + 1) % m;
        }
        Some(x)
    }

    /// The next position on any list, from the walk's open end, and whether
    /// it is a match without a check.
    fn next_on_any(&mut self) -> Option<(u32, bool)> {
        let up = self.ascending;
        let heads = self.heads.as_mut()?;
        let &(top, _) = heads.peek()?;
        let x = Walk::rank(top, up);
        if x < self.lo || x >= self.hi {
            return None;
        }
        let mut sure = false;
        // Every seeker on `x` moves past it.
        while let Some(&(rank, i)) = heads.peek()
            && rank == top
        {
            heads.pop();
            sure |= self.exact && Some(i) != self.short;
            let past = if up { (x + 1, x + 2) } else { (x, x) };
            if let Some(v) = walk_seek(&mut self.seekers[i], &past, up) {
                heads.push((Walk::rank(v, up), i));
            }
        }
        Some((x, sure))
    }
}

/// Moves a seeker to the first position at or above `lo` (walking up) or the
/// last below `hi` (walking down).
fn walk_seek(s: &mut Seeker<'_>, &(lo, hi): &(u32, u32), up: bool) -> Option<u32> {
    if up {
        s.seek_ge(lo)
    } else {
        hi.checked_sub(1).and_then(|x| s.seek_le(x))
    }
}

impl Iterator for Walk<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        loop {
            let next = if self.heads.is_some() {
                self.next_on_any()
            } else {
                self.next_on_all().map(|x| (x, self.exact))
            };
            let Some((x, sure)) = next else {
                self.hi = self.lo;
                return None;
            };
            if self.ascending {
                self.lo = x + 1;
            } else {
                self.hi = x;
            }
            let i = x as usize;
            if sure || self.needle.fwd.find(self.index.name(i)).is_some() {
                return Some(i);
            }
        }
    }
}

#[cfg(test)]
#[path = "names_tests.rs"]
mod tests;
