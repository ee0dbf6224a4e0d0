//! How long copies take, from what the history saw: a job's duration within
//! its bounds, each group's median and 90th percentile, and what they say
//! of a copy still running. Pure: every function here takes the samples and
//! the time it is asked at.

use super::group::Group;
use crate::domain::job::CopyJob;
use crate::domain::query::{human_duration, measured_duration};
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::BTreeMap;

/// A group needs this many measured copies before it says anything of a
/// running one: fewer would make a median of an anecdote.
pub const MIN_SAMPLES: usize = 3;

/// Bounds narrower than this always measure a copy (about one refresh
/// interval, even of a short copy in a sped-up demo).
const ALWAYS_PRECISE: TimeDelta = TimeDelta::minutes(5);

/// How long a copy took: its end lies in (created + low, created + high].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Took {
    pub low: TimeDelta,
    pub high: TimeDelta,
}

impl Took {
    /// From its creation time and the bounds of its end: last seen running
    /// at `after`, first seen ended by `by`. None when they contradict
    /// each other (a clock that jumped).
    pub fn new(created: DateTime<Utc>, after: DateTime<Utc>, by: DateTime<Utc>) -> Option<Took> {
        let low = (after - created).max(TimeDelta::zero());
        let high = by - created;
        (high >= low).then_some(Took { low, high })
    }

    /// The middle of the bounds: what percentiles are taken of.
    pub fn mid(&self) -> TimeDelta {
        self.low + (self.high - self.low) / 2
    }

    pub fn uncertainty(&self) -> TimeDelta {
        self.high - self.low
    }

    /// Narrow enough to count in a group's figures: within five minutes, or
    /// a quarter of the copy's length. An end seen only the next morning
    /// would drag the median anywhere.
    pub fn precise(&self) -> bool {
        let u = self.uncertainty();
        u <= ALWAYS_PRECISE || u * 4 <= self.mid()
    }

    /// "took 18m", or with its uncertainty when that is over a minute:
    /// "took 18–20m" (the bounds rounded outwards, so the truth is inside).
    pub fn text(&self) -> String {
        if self.uncertainty() <= TimeDelta::minutes(1) {
            // To the nearest minute (human_duration would cut 11m55s to 11m).
            let mid = self.mid().num_seconds();
            let near = if mid >= 60 { (mid + 30) / 60 * 60 } else { mid };
            return format!("took {}", human_duration(TimeDelta::seconds(near)));
        }
        // Over a minute apart, the upper bound is past a minute.
        let (lo, hi) = (self.low.num_seconds(), self.high.num_seconds());
        if hi < 3600 {
            let up = (hi + 59) / 60;
            format!("took {}–{up}m", lo / 60)
        } else {
            let up = TimeDelta::minutes((hi + 59) / 60);
            format!(
                "took {}–{}",
                human_duration(TimeDelta::minutes(lo / 60)),
                human_duration(up)
            )
        }
    }
}

/// One group's measured copies, shortest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Durations {
    /// Each copy's duration (the middle of its bounds), in seconds, sorted.
    seconds: Vec<f64>,
    /// When its newest measured copy ended (by).
    pub newest: Option<DateTime<Utc>>,
}

impl Durations {
    pub fn push(&mut self, took: Took, ended_by: DateTime<Utc>) {
        let s = took.mid().num_milliseconds() as f64 / 1000.0;
        let at = self.seconds.partition_point(|x| *x <= s);
        self.seconds.insert(at, s);
        self.newest = self.newest.max(Some(ended_by));
    }

    pub fn count(&self) -> usize {
        self.seconds.len()
    }

    /// The `q` quantile (0 to 1), interpolated between the two nearest
    /// copies; None without any.
    pub fn quantile(&self, q: f64) -> Option<TimeDelta> {
        quantile(&self.seconds, q).map(secs)
    }

    pub fn p50(&self) -> Option<TimeDelta> {
        self.quantile(0.5)
    }

    pub fn p90(&self) -> Option<TimeDelta> {
        self.quantile(0.9)
    }

    /// What the group says of a copy that has run `elapsed` (at least
    /// [`MIN_SAMPLES`] copies): the median of the copies that ran longer
    /// than that, less `elapsed`, so the estimate stays right as a copy
    /// outlives the short ones; slow past the 90th percentile; past every
    /// copy measured, slow with no estimate.
    pub fn eta(&self, elapsed: TimeDelta) -> Option<Eta> {
        if self.count() < MIN_SAMPLES {
            return None;
        }
        let e = elapsed.num_milliseconds() as f64 / 1000.0;
        let from = self.seconds.partition_point(|x| *x <= e);
        let slow = self.p90().is_some_and(|p| elapsed > p);
        let left = quantile(&self.seconds[from..], 0.5).map(|m| secs(m - e));
        Some(Eta { left, slow })
    }

    /// "median of 14 copies of nova-lite 300k into eu-central-1; 90 % within 24m".
    pub fn basis(&self, group: &Group) -> Option<String> {
        let (p50, p90) = (self.p50()?, self.p90()?);
        let n = self.count();
        Some(format!(
            "median {} of {n} {} of {} into {}; 90 % within {}",
            measured_duration(p50),
            if n == 1 { "copy" } else { "copies" },
            group.short(),
            if group.region.is_empty() {
                "an unknown region"
            } else {
                &group.region
            },
            measured_duration(p90),
        ))
    }
}

fn secs(s: f64) -> TimeDelta {
    TimeDelta::milliseconds((s * 1000.0).round() as i64)
}

/// Linear interpolation between the closest ranks of sorted values.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let pos = q.clamp(0.0, 1.0) * last as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    let next = sorted[(i + 1).min(last)];
    Some(sorted[i] + (next - sorted[i]) * frac)
}

/// What a group's copies say of a running one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eta {
    /// None: it has run longer than every copy measured.
    pub left: Option<TimeDelta>,
    /// Past the group's 90th percentile.
    pub slow: bool,
}

impl Eta {
    /// "~6m left", "slow · ~6m left", or "slow".
    pub fn text(&self) -> String {
        // Under a second left reads as due, not "~0s left".
        let left = self.left.map(|l| {
            if l < TimeDelta::seconds(1) {
                "due now".to_string()
            } else {
                format!("~{} left", human_duration(l))
            }
        });
        match (self.slow, left) {
            (false, Some(l)) => l,
            (true, Some(l)) => format!("slow · {l}"),
            (_, None) => "slow".to_string(),
        }
    }

    /// The Ran cell of a running copy: "12m · ~6m left".
    pub fn ran(&self, elapsed: TimeDelta) -> String {
        format!("{} · {}", human_duration(elapsed), self.text())
    }
}

/// Every group's measured copies.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Groups {
    groups: BTreeMap<Group, Durations>,
}

/// A measured copy: its group, its bounds and when it ended by.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub group: Group,
    pub took: Took,
    pub ended_by: DateTime<Utc>,
}

impl Groups {
    /// The copies precise enough to count ([`Took::precise`]), by group.
    pub fn from_samples(samples: impl IntoIterator<Item = Sample>) -> Groups {
        let mut groups: BTreeMap<Group, Durations> = BTreeMap::new();
        for s in samples.into_iter().filter(|s| s.took.precise()) {
            groups.entry(s.group).or_default().push(s.took, s.ended_by);
        }
        Groups { groups }
    }

    pub fn get(&self, group: &Group) -> Option<&Durations> {
        self.groups.get(group)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Group, &Durations)> {
        self.groups.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The estimate for a running copy at `now`; None for a job that is not
    /// running or whose group has too few measured copies.
    pub fn eta(&self, job: &CopyJob, now: DateTime<Utc>) -> Option<Eta> {
        if job.status.is_final() {
            return None;
        }
        self.get(&Group::of(job))?.eta(now - job.created)
    }

    /// What the estimate of `job` rests on, for the detail pane; None
    /// below [`MIN_SAMPLES`] copies.
    pub fn basis(&self, job: &CopyJob) -> Option<String> {
        let group = Group::of(job);
        let d = self.get(&group).filter(|d| d.count() >= MIN_SAMPLES)?;
        d.basis(&group)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000 + secs, 0).expect("valid")
    }

    fn group() -> Group {
        Group {
            base_model: "amazon.nova-lite-v1".into(),
            variant: "0:300k".into(),
            region: "eu-central-1".into(),
        }
    }

    fn minutes(m: &[i64]) -> Durations {
        let mut d = Durations::default();
        for (k, m) in m.iter().enumerate() {
            let took = Took::new(t(0), t(m * 60 - 5), t(m * 60 + 5)).unwrap();
            d.push(took, t(10_000 + k as i64));
        }
        d
    }

    #[test]
    fn a_duration_says_its_uncertainty_when_over_a_minute() {
        let took = |after: i64, by: i64| Took::new(t(0), t(after), t(by)).unwrap().text();
        assert_eq!(took(18 * 60 + 10, 18 * 60 + 40), "took 18m");
        assert_eq!(
            took(18 * 60, 19 * 60),
            "took 19m",
            "a minute exactly: its middle"
        );
        assert_eq!(
            took(11 * 60 + 50, 12 * 60 + 1),
            "took 12m",
            "to the nearest minute"
        );
        assert_eq!(took(20, 40), "took 30s");
        assert_eq!(took(18 * 60, 19 * 60 + 30), "took 18–20m");
        assert_eq!(took(18 * 60 + 59, 19 * 60 + 1), "took 19m");
        assert_eq!(took(10, 100), "took 0–2m");
        assert_eq!(took(58 * 60, 65 * 60), "took 58m–1h 5m");
        // Seen running before its creation (skew): from zero.
        assert_eq!(
            Took::new(t(100), t(50), t(160)).unwrap().low,
            TimeDelta::zero()
        );
        assert_eq!(Took::new(t(0), t(100), t(50)), None);
    }

    #[test]
    fn only_narrow_bounds_count() {
        let took = |after: i64, by: i64| Took::new(t(0), t(after), t(by)).unwrap();
        assert!(took(60, 70).precise());
        assert!(took(60, 60 + 300).precise(), "five minutes always");
        assert!(
            took(3600, 3600 + 900).precise(),
            "15m, under a quarter of 67m"
        );
        assert!(
            !took(3600, 3600 + 1200).precise(),
            "20m, over a quarter of 70m"
        );
        assert!(
            !took(1800, 1800 + 3600).precise(),
            "seen ended an hour later"
        );
        let samples = [took(1800, 1810), took(1800, 1800 + 3600)].map(|took| Sample {
            group: group(),
            took,
            ended_by: t(5000),
        });
        let groups = Groups::from_samples(samples);
        assert_eq!(groups.get(&group()).unwrap().count(), 1);
    }

    #[test]
    fn median_and_ninetieth_percentile() {
        let d = minutes(&[10, 20, 12, 30, 14]);
        assert_eq!(d.count(), 5);
        assert_eq!(d.p50(), Some(TimeDelta::minutes(14)));
        // 0.9 × 4 = 3.6: between 20m and 30m.
        assert_eq!(d.p90(), Some(TimeDelta::minutes(26)));
        assert_eq!(d.newest, Some(t(10_004)));
        assert_eq!(Durations::default().p50(), None);
        assert_eq!(minutes(&[7]).p90(), Some(TimeDelta::minutes(7)));
    }

    #[test]
    fn an_eta_needs_three_copies_and_follows_the_longer_ones() {
        assert_eq!(minutes(&[10, 20]).eta(TimeDelta::minutes(1)), None);
        let d = minutes(&[10, 12, 14, 20, 30]);
        // Fresh: the median, 14m, less the 2m it ran.
        let eta = d.eta(TimeDelta::minutes(2)).unwrap();
        assert_eq!(eta.left, Some(TimeDelta::minutes(12)));
        assert!(!eta.slow);
        assert_eq!(eta.text(), "~12m left");
        let due = Eta {
            left: Some(TimeDelta::milliseconds(400)),
            ..eta
        };
        assert_eq!(due.text(), "due now", "not ~0s left");
        assert_eq!(eta.ran(TimeDelta::minutes(2)), "2m · ~12m left");
        // Past 14m the short copies say nothing: the median of 20m and 30m.
        let eta = d.eta(TimeDelta::minutes(15)).unwrap();
        assert_eq!(eta.left, Some(TimeDelta::minutes(10)));
        // Past the 90th percentile (26m): slow.
        let eta = d.eta(TimeDelta::minutes(27)).unwrap();
        assert_eq!(eta.text(), "slow · ~3m left");
        // Past every copy: slow, nothing more to say.
        let eta = d.eta(TimeDelta::minutes(31)).unwrap();
        assert_eq!(
            eta,
            Eta {
                left: None,
                slow: true
            }
        );
        assert_eq!(eta.text(), "slow");
    }

    #[test]
    fn the_basis_names_the_group() {
        let d = minutes(&[10, 12, 14, 20, 30]);
        assert_eq!(
            d.basis(&group()).unwrap(),
            "median 14m of 5 copies of nova-lite 300k into eu-central-1; 90 % within 26m"
        );
        assert!(
            minutes(&[9])
                .basis(&group())
                .unwrap()
                .contains("of 1 copy of")
        );
    }
}
