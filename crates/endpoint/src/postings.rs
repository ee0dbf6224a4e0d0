//! One trigram's posting list: the ascending positions of the jobs whose
//! names hold it.
//!
//! Most trigrams of real names recur in a large share of jobs (`-co`, `use`,
//! `pro`), so their lists are dense, with gaps of a few positions. As plain
//! `u32`s a million jobs' lists would cost over a hundred bytes a job, more
//! than the jobs themselves; as variable-length gaps they cost about one byte
//! a posting. The gaps are cut into blocks of at most [`BLOCK`] positions,
//! each block's first position kept whole, so a seek is a binary search over
//! the blocks plus the decoding of one, and an insert in the middle of the
//! list re-encodes one block instead of the whole list.

use std::ops::Range;

/// Positions per block: small enough that decoding one is a few dozen byte
/// reads, large enough that the per-block bookkeeping (8 bytes) is a small
/// share of the gaps.
pub const BLOCK: usize = 64;

#[derive(Debug, Default, Clone)]
pub struct Postings {
    /// The first position of each block.
    firsts: Vec<u32>,
    /// Where each block's gaps start in `gaps` (the last block's run to the
    /// end, so an append touches nothing but `gaps`).
    starts: Vec<u32>,
    /// Positions in the last block, so an append need not decode it to
    /// know whether it is full.
    tail: usize,
    /// Each block's positions after its first, as `gap - 1` in LEB128:
    /// positions are distinct, so a gap of 1 (the densest) is one zero byte.
    gaps: Vec<u8>,
    len: u32,
    last: u32,
}

fn put_gap(out: &mut Vec<u8>, gap: u32) {
    let mut g = gap - 1;
    while g >= 0x80 {
        out.push((g as u8) | 0x80);
        g >>= 7;
    }
    out.push(g as u8);
}

impl Postings {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Heap bytes held, counting spare capacity.
    pub fn heap_bytes(&self) -> usize {
        self.firsts.capacity() * 4 + self.starts.capacity() * 4 + self.gaps.capacity()
    }

    /// Adds `pos`, which must be at or above every position held.
    pub fn push(&mut self, pos: u32) {
        debug_assert!(self.is_empty() || pos >= self.last);
        if !self.is_empty() && pos == self.last {
            return;
        }
        if self.is_empty() || self.tail == BLOCK {
            self.firsts.push(pos);
            self.starts.push(self.gaps.len() as u32);
            self.tail = 1;
        } else {
            put_gap(&mut self.gaps, pos - self.last);
            self.tail += 1;
        }
        self.len += 1;
        self.last = pos;
    }

    /// Adds `pos` wherever it falls, unless it is held already (a name may
    /// hold a trigram twice).
    pub fn insert(&mut self, pos: u32) {
        if self.is_empty() || pos >= self.last {
            return self.push(pos);
        }
        let b = self.firsts.partition_point(|&f| f <= pos).saturating_sub(1);
        let mut block = self.decode(b);
        let at = block.partition_point(|&p| p < pos);
        if block.get(at) == Some(&pos) {
            return;
        }
        block.insert(at, pos);
        self.len += 1;
        if block.len() > BLOCK {
            let upper = block.split_off(block.len() / 2);
            self.replace(b, &block);
            // An empty block right after, then filled.
            let end = self.byte_range(b).end as u32;
            self.firsts.insert(b + 1, 0);
            self.starts.insert(b + 1, end);
            self.replace(b + 1, &upper);
        } else {
            self.replace(b, &block);
        }
    }

    /// Moves every position at or above `from` up by one: a job was inserted
    /// at `from`, so the jobs from there on sit one place later.
    pub fn shift_from(&mut self, from: u32) {
        if self.is_empty() || self.last < from {
            return;
        }
        self.last += 1;
        // Whole blocks at or above `from` keep their gaps.
        let b = self.firsts.partition_point(|&f| f < from);
        for f in &mut self.firsts[b..] {
            *f += 1;
        }
        // The block before may straddle `from`: one gap in it grows.
        if let Some(b) = b.checked_sub(1) {
            let mut block = self.decode(b);
            if block.last().is_some_and(|&p| p >= from) {
                for p in block.iter_mut().filter(|p| **p >= from) {
                    *p += 1;
                }
                self.replace(b, &block);
            }
        }
    }

    fn byte_range(&self, b: usize) -> Range<usize> {
        let end = self
            .starts
            .get(b + 1)
            .map_or(self.gaps.len(), |&s| s as usize);
        self.starts[b] as usize..end
    }

    /// Decodes block `b` into `out`, returning how many positions it holds.
    /// Dense lists are mostly one-byte gaps, so those skip the LEB128 loop.
    fn decode_into(&self, b: usize, out: &mut [u32; BLOCK]) -> usize {
        let bytes = &self.gaps[self.byte_range(b)];
        let mut pos = self.firsts[b];
        out[0] = pos;
        let (mut n, mut i) = (1, 0);
        while i < bytes.len() {
            let mut g = u32::from(bytes[i]);
            i += 1;
            if g >= 0x80 {
                g &= 0x7f;
                let mut shift = 7;
                loop {
                    let byte = bytes[i];
                    i += 1;
                    g |= u32::from(byte & 0x7f) << shift;
                    if byte < 0x80 {
                        break;
                    }
                    shift += 7;
                }
            }
            pos += g + 1;
            out[n] = pos;
            n += 1;
        }
        n
    }

    fn decode(&self, b: usize) -> Vec<u32> {
        let mut buf = [0; BLOCK];
        let n = self.decode_into(b, &mut buf);
        buf[..n].to_vec()
    }

    /// Trims spare capacity, for a list that is built and will mostly be read.
    pub fn shrink_to_fit(&mut self) {
        self.firsts.shrink_to_fit();
        self.starts.shrink_to_fit();
        self.gaps.shrink_to_fit();
    }

    /// Rewrites block `b` to hold `block` (ascending, 1..=BLOCK positions).
    fn replace(&mut self, b: usize, block: &[u32]) {
        let mut bytes = Vec::with_capacity(block.len() * 2);
        for w in block.windows(2) {
            put_gap(&mut bytes, w[1] - w[0]);
        }
        let range = self.byte_range(b);
        let grown = bytes.len() as i64 - range.len() as i64;
        self.gaps.splice(range, bytes);
        self.firsts[b] = block[0];
        if b + 1 == self.firsts.len() {
            self.tail = block.len();
        }
        for e in &mut self.starts[b + 1..] {
            *e = (i64::from(*e) + grown) as u32;
        }
    }

    pub fn seeker(&self) -> Seeker<'_> {
        Seeker {
            list: self,
            block: None,
            buf: [0; BLOCK],
            n: 0,
            i: 0,
        }
    }
}

/// A position in a [`Postings`] that moves one way only (up for
/// [`Seeker::seek_ge`], down for [`Seeker::seek_le`]), holding one decoded
/// block so consecutive seeks inside it cost a binary search of the block.
pub struct Seeker<'a> {
    list: &'a Postings,
    block: Option<usize>,
    buf: [u32; BLOCK],
    n: usize,
    i: usize,
}

impl Seeker<'_> {
    fn load(&mut self, b: usize) {
        self.n = self.list.decode_into(b, &mut self.buf);
        self.block = Some(b);
    }

    /// The first position at or above `x`, never before the last answer.
    pub fn seek_ge(&mut self, x: u32) -> Option<u32> {
        if self.block.is_some() && self.buf[self.n - 1] >= x {
            self.i += self.buf[self.i..self.n].partition_point(|&p| p < x);
            return Some(self.buf[self.i]);
        }
        let firsts = &self.list.firsts;
        // The last block starting at or below `x` holds it, or else the next.
        let mut b = firsts.partition_point(|&f| f <= x).saturating_sub(1);
        if let Some(current) = self.block {
            b = b.max(current + 1);
        }
        while b < firsts.len() {
            self.load(b);
            if self.buf[self.n - 1] >= x {
                self.i = self.buf[..self.n].partition_point(|&p| p < x);
                return Some(self.buf[self.i]);
            }
            b += 1;
        }
        None
    }

    /// The last position at or below `x`, never after the last answer.
    pub fn seek_le(&mut self, x: u32) -> Option<u32> {
        if self.block.is_some() && self.buf[0] <= x {
            self.i = self.buf[..=self.i].partition_point(|&p| p <= x) - 1;
            return Some(self.buf[self.i]);
        }
        // Blocks from here on start above `x`; the one before holds it.
        let b = self
            .list
            .firsts
            .partition_point(|&f| f <= x)
            .checked_sub(1)?;
        if self.block.is_some_and(|current| b >= current) {
            return None;
        }
        self.load(b);
        self.i = self.buf[..self.n].partition_point(|&p| p <= x) - 1;
        Some(self.buf[self.i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn all(p: &Postings) -> Vec<u32> {
        (0..p.firsts.len()).flat_map(|b| p.decode(b)).collect()
    }

    #[test]
    fn gaps_of_every_width_round_trip() {
        let mut p = Postings::default();
        let want: Vec<u32> = [0, 1, 2, 130, 131, 20_000, 3_000_000, u32::MAX - 1]
            .into_iter()
            .chain((0..200).map(|i| 3_000_001 + i * 3))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for &x in &want {
            p.push(x);
        }
        assert_eq!(all(&p), want);
        assert_eq!(p.len(), want.len());
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// Insert a job at this place (modulo one past the largest held).
        Insert(u32),
        /// Seek up or down from here, with a fresh seeker.
        Seek(u32, bool),
        /// Add a position held already (this one, modulo how many are held).
        Again(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            3 => (0u32..600).prop_map(Op::Insert),
            1 => ((0u32..700), any::<bool>()).prop_map(|(x, up)| Op::Seek(x, up)),
            1 => any::<usize>().prop_map(Op::Again),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
            rng_seed: proptest::test_runner::RngSeed::Fixed(10),
            ..ProptestConfig::default()
        })]

        /// Inserting a job shifts the later positions and adds its own, like
        /// `Vec::insert` on a list of positions; seeks agree with a scan.
        #[test]
        fn behaves_like_a_sorted_vec(
            start in proptest::collection::btree_set(0u32..400, 0..300),
            ops in proptest::collection::vec(op(), 0..80),
            seeks in proptest::collection::vec(0u32..700, 0..20),
        ) {
            let mut p = Postings::default();
            let mut model: Vec<u32> = start.into_iter().collect();
            for &x in &model {
                p.push(x);
            }
            for op in ops {
                match op {
                    Op::Insert(at) => {
                        let at = at % model.last().map_or(1, |l| l + 2);
                        for x in model.iter_mut().filter(|x| **x >= at) {
                            *x += 1;
                        }
                        let i = model.partition_point(|&x| x < at);
                        model.insert(i, at);
                        p.shift_from(at);
                        p.insert(at);
                    }
                    Op::Again(i) => {
                        if let Some(&x) = model.get(i % model.len().max(1)) {
                            p.insert(x);
                        }
                    }
                    Op::Seek(x, up) => {
                        let mut s = p.seeker();
                        let (got, want) = if up {
                            (s.seek_ge(x), model.iter().copied().find(|&m| m >= x))
                        } else {
                            (s.seek_le(x), model.iter().copied().rfind(|&m| m <= x))
                        };
                        prop_assert_eq!(got, want);
                    }
                }
                prop_assert_eq!(all(&p), model.clone());
                let sizes: Vec<usize> = (0..p.firsts.len()).map(|b| p.decode(b).len()).collect();
                prop_assert!(sizes.iter().all(|n| (1..=BLOCK).contains(n)), "{:?}", sizes);
                prop_assert_eq!(sizes.last().copied().unwrap_or(0), p.tail);
            }
            // One seeker, moved monotonically both ways, as a join moves it.
            let mut ups = seeks.clone();
            ups.sort_unstable();
            let mut s = p.seeker();
            for &x in &ups {
                prop_assert_eq!(s.seek_ge(x), model.iter().copied().find(|&m| m >= x));
            }
            let mut s = p.seeker();
            for &x in ups.iter().rev() {
                prop_assert_eq!(s.seek_le(x), model.iter().copied().rfind(|&m| m <= x));
            }
        }
    }
}
