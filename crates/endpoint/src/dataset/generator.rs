//! The generator: chains of copies along the account's models, the initial
//! data set, then arrivals one index at a time.

use super::failures::FAILURE_RATE;
use super::odd::long_name;
use super::profile::{RegionProfile, region_abbrev};
use super::timeline::{Timeline, batched, rhythmic_time, scale};
use super::{DAY, MINUTE, arn_region, mix};
use crate::account::{Account, BASES, Member, TEAMS, Walk, rng};
use crate::durations::{spread, typical_ms};
use crate::model::{Detail, Job, ShortId, Status};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// Copies in a chain: a model copied into a region again after a failure,
/// or re-copied later, rarely more than a handful of times.
const LONGEST_CHAIN: usize = 6;
/// The chance of another copy after a failed one, and after a completed one.
const AGAIN_AFTER_FAILURE: f64 = 0.6;
const AGAIN_AFTER_SUCCESS: f64 = 0.12;
/// The copies a chain holds on average: 1 / (1 - P(another)).
const MEAN_CHAIN: f64 =
    1.0 / (1.0 - (FAILURE_RATE * AGAIN_AFTER_FAILURE + (1.0 - FAILURE_RATE) * AGAIN_AFTER_SUCCESS));
/// About the share of the account's models that the busiest regions copy:
/// the walk goes as far as the busiest region needs to give each model it
/// copies one chain, so every region walks the same models (and a model
/// copied to several shows in each), and a quieter region copies its fewer
/// models more often.
const DENSEST: f64 = 0.45;
/// Bounds of the walk along the account's models: a small data set still
/// has a few dozen models, and a huge one at most this many (about 30,000
/// a region, copied more often each).
const SHORTEST_WALK: u64 = 200;
const LONGEST_WALK: u64 = 40_000;
/// A region copies at least this many models, however quiet.
const FEWEST_MODELS: usize = 8;
/// Arrivals copy the models made lately more often than the old ones.
const LATELY: i64 = 30 * DAY;

/// Builds jobs: the initial data set, then arrivals, one index at a time.
/// It also owns the id index, since it is what keeps ids unique.
#[derive(Debug)]
pub struct Generator {
    /// How much faster than life copies run (`--speed`).
    pub speed: f64,
    name_counts: HashMap<(u32, u8), u32>,
    /// Job id -> creation time (microseconds, as stored): enough to find a
    /// job in the sorted store.
    pub ids: HashMap<ShortId, i64>,
    /// The account's models this region copies, in the account's order.
    members: Vec<Member>,
    /// Those of `members` made lately, which new copies favour.
    lately: Vec<u32>,
    /// The typical copy of each of the data set's own sources into this
    /// region ([`typical_ms`]), worked out once for all its copies.
    typical: Vec<f64>,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            speed: 1.0,
            name_counts: HashMap::new(),
            ids: HashMap::new(),
            members: Vec::new(),
            lately: Vec::new(),
            typical: Vec::new(),
        }
    }
}

impl Generator {
    /// A lifecycle duration at `--speed`.
    pub fn scaled(&self, ms: i64) -> i64 {
        scale(ms, self.speed)
    }

    fn fresh_id(&mut self, r: &mut ChaCha8Rng, created_us: i64) -> ShortId {
        loop {
            let id = ShortId::from_u64(r.random());
            if let std::collections::hash_map::Entry::Vacant(e) = self.ids.entry(id) {
                e.insert(created_us);
                return id;
            }
        }
    }

    /// A new unique job id for a created job, drawn from `seed`.
    pub fn new_id(&mut self, seed: u64, created_us: i64) -> ShortId {
        self.fresh_id(&mut rng(seed), created_us)
    }

    fn target_name(&mut self, p: &RegionProfile, r: &mut ChaCha8Rng, source: u32) -> String {
        let src = &p.sources[source as usize];
        let flavour = r.random_range(0..3u8);
        let n = self.name_counts.entry((source, flavour)).or_insert(0);
        *n += 1;
        let stem = match &src.name {
            Some(name) => name.clone(),
            None => format!(
                "{}-{}",
                TEAMS[(source as usize) % TEAMS.len()],
                BASES
                    .iter()
                    .find(|b| b.arn == src.base)
                    .map_or("base", |b| b.short)
            ),
        };
        let tail = match flavour {
            0 => region_abbrev(&p.region),
            1 => "copy".to_string(),
            _ => format!("{}-prod", region_abbrev(&p.region)),
        };
        let name = if *n == 1 {
            format!("{stem}-{tail}")
        } else {
            format!("{stem}-{tail}-{n}")
        };
        name.chars()
            .take(63)
            .collect::<String>()
            .trim_end_matches(['-', '_'])
            .to_string()
    }

    /// The initial data set of `count` jobs, and the models they copy (into
    /// `p.sources`). The newest are on the arrivals' grid (see
    /// [`Timeline`]), copies of models made lately. The rest, the history,
    /// are chains of copies of the account's models that go to this region,
    /// one chain a model in the account's order (then round again when the
    /// region copies fewer models than that): its first copy within days of
    /// the model being made, and another after a failure (often) or a
    /// success (now and then), each once the one before has ended.
    pub fn initial(&mut self, p: &mut RegionProfile, t: &Timeline) -> Vec<Job> {
        let count = t.count;
        let recent = t.recent.min(count);
        let history = count - recent;
        self.walk(p, history);
        self.typical = p
            .sources
            .iter()
            .map(|s| typical_ms(&s.base, arn_region(&s.arn), &p.region))
            .collect();
        let mut jobs = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
        let used = self.history(p, t, recent, count, &mut jobs);
        if history > 0 {
            // Models no chain reached are not this data set's.
            let keep = used.max(FEWEST_MODELS).min(self.members.len());
            self.members.truncate(keep);
            let sources = self.members.iter().map(|m| m.source as usize + 1).max();
            p.sources.truncate(sources.unwrap_or(0));
        }
        p.generated_sources = p.sources.len();
        let lately_from = t.recent_from_ms - LATELY;
        self.lately = (0..self.members.len() as u32)
            .filter(|&i| born_ms(&self.members[i as usize], t) >= lately_from)
            .collect();
        for k in 0..recent {
            let seed = mix(p.seed, k);
            let mut r = rng(seed);
            let source = self.pick(&mut r);
            jobs.push(self.lifecycle(p, &mut r, seed, t.slot(-(k as i64)), source));
        }
        jobs
    }

    /// Walks the account's models as far as `history` jobs need (see
    /// [`DENSEST`]), keeping those copied to this region.
    fn walk(&mut self, p: &mut RegionProfile, history: u64) {
        let account = match &p.peers {
            Some(peers) => Account::member(p.account_seed, p.account.clone(), peers.clone()),
            None => Account::new(p.account_seed),
        };
        let region = p.region.clone();
        let mut walk = Walk::new(&account, &region);
        let models = history as f64 / (MEAN_CHAIN * DENSEST);
        let depth = (models.ceil() as u64).clamp(SHORTEST_WALK, LONGEST_WALK);
        while walk.depth() < depth || self.members.len() < FEWEST_MODELS {
            self.members.push(walk.next_member(&mut p.sources));
        }
    }

    /// The history's chains, jobs `from..count`; how many members they used.
    fn history(
        &mut self,
        p: &RegionProfile,
        t: &Timeline,
        from: u64,
        count: u64,
        jobs: &mut Vec<Job>,
    ) -> usize {
        let mut index = from;
        let mut prev_ms = None;
        let mut used = 0;
        let end = t.recent_from_ms;
        for round in 0u64.. {
            for m in 0..self.members.len() {
                if index >= count {
                    return used;
                }
                used = used.max(m + 1);
                let member = self.members[m];
                let mut c = rng(mix(p.seed ^ 0x00c4_a175, (round << 32) | m as u64));
                let born = born_ms(&member, t);
                // A model's first copies within days of it being made; a
                // later round's any time after.
                let until = if round == 0 { born + 3 * DAY } else { end };
                let own = rhythmic_time(&mut c, born, until.min(end), p.utc_offset_ms);
                let mut at = batched(mix(p.seed, index), own, prev_ms, end);
                for _ in 0..LONGEST_CHAIN {
                    if index >= count || at >= end {
                        break;
                    }
                    let seed = mix(p.seed, index);
                    let job = self.lifecycle(p, &mut rng(seed), seed, at, member.source);
                    let again = if job.outcome == Status::Failed {
                        AGAIN_AFTER_FAILURE
                    } else {
                        AGAIN_AFTER_SUCCESS
                    };
                    let from = job.ends_ms + 5 * MINUTE;
                    prev_ms = Some(at);
                    index += 1;
                    jobs.push(job);
                    if !c.random_bool(again) {
                        break;
                    }
                    at = rhythmic_time(&mut c, from, (from + 2 * DAY).min(end), p.utc_offset_ms);
                }
            }
        }
        used
    }

    /// The model a new copy is of: one made lately, more often than not.
    fn pick(&self, r: &mut ChaCha8Rng) -> u32 {
        let i = if !self.lately.is_empty() && r.random_bool(0.7) {
            self.lately[r.random_range(0..self.lately.len())] as usize
        } else {
            r.random_range(0..self.members.len().max(1))
        };
        self.members.get(i).map_or(0, |m| m.source)
    }

    /// The k-th job to arrive after start, at `created_ms`.
    pub fn arrival(&mut self, p: &RegionProfile, k: u64, created_ms: i64) -> Job {
        let seed = mix(p.seed ^ 0xa55a_a55a, k);
        let mut r = rng(seed);
        let source = self.pick(&mut r);
        self.lifecycle(p, &mut r, seed, created_ms, source)
    }

    /// A job copying `source`, created at `created_ms`: in flight for one
    /// copy (as long as the model and the way take, see
    /// [`crate::durations`]), then done. No job is in flight for any other
    /// reason, so the clock alone decides.
    fn lifecycle(
        &mut self,
        p: &RegionProfile,
        r: &mut ChaCha8Rng,
        seed: u64,
        created_ms: i64,
        source: u32,
    ) -> Job {
        let typical = self
            .typical
            .get(source as usize)
            .copied()
            .unwrap_or_else(|| {
                let src = p.sources.get(source as usize);
                let (base, from) =
                    src.map_or(("imported", ""), |s| (s.base.as_str(), arn_region(&s.arn)));
                typical_ms(base, from, &p.region)
            });
        let copy = spread(typical, r);
        let ends_ms = created_ms.saturating_add(self.scaled(copy));
        let outcome = if r.random_bool(FAILURE_RATE) {
            Status::Failed
        } else {
            Status::Completed
        };
        self.build(p, r, seed, created_ms, ends_ms, outcome, source)
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        &mut self,
        p: &RegionProfile,
        r: &mut ChaCha8Rng,
        seed: u64,
        created_ms: i64,
        ends_ms: i64,
        outcome: Status,
        source: u32,
    ) -> Job {
        let created_us = p.stamp(created_ms, seed);
        let id = self.fresh_id(r, created_us);
        let target_id = ShortId::from_u64(r.random());
        let mut target_name = self.target_name(p, r, source);
        if p.odd && mix(seed, 17).is_multiple_of(8) {
            // The longest name the service allows: 63 characters.
            target_name = long_name(&target_name);
        }
        let target_name = target_name.into_boxed_str();
        Job {
            id,
            created_us,
            ends_ms,
            outcome,
            source,
            target_id,
            target_name,
            detail: Detail::Generated(seed),
        }
    }
}

/// When a member model was made, in the history `t` spans.
fn born_ms(m: &Member, t: &Timeline) -> i64 {
    let span = (t.recent_from_ms - t.oldest_ms).max(1);
    t.oldest_ms + ((m.born * span as f64) as i64).min(span - 1)
}
