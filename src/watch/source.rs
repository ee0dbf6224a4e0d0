//! One source: a profile (or an account reached from it) in a region. Each keeps its own paging cursor,
//! generation, in-flight set, refresh schedule, backoff and error, so one
//! region refusing (access denied, throttled, expired SSO) stops nothing else.

use super::order::{Key, display_cmp, key_pos};
use crate::aws::FetchError;
use crate::domain::job::Status;
use crate::domain::query::Sort;
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
use std::fmt;

/// Never reused in a session, so an answer for a removed source cannot land
/// on a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

/// Where to look. `None` takes the AWS default chain's value, as the AWS CLI
/// does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceSpec {
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Another account, reached from the profile's credentials (found by
    /// `--accounts`, `--org` or `--sso-role`); None reads the profile's own.
    pub account: Option<Reach>,
}

/// An account and the role it is read with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reach {
    pub account: crate::domain::account::Account,
    pub role: String,
    /// Through the profile's Identity Center session, not STS.
    pub sso: bool,
}

impl SourceSpec {
    /// The product of the `--profiles` and `--regions` lists; an empty list
    /// stands for "the default".
    pub fn product(profiles: &[String], regions: &[String]) -> Vec<SourceSpec> {
        let profiles: Vec<Option<String>> = if profiles.is_empty() {
            vec![None]
        } else {
            profiles.iter().cloned().map(Some).collect()
        };
        let regions: Vec<Option<String>> = if regions.is_empty() {
            vec![None]
        } else {
            regions.iter().cloned().map(Some).collect()
        };
        let mut out = Vec::new();
        for p in &profiles {
            for r in &regions {
                let spec = SourceSpec {
                    profile: p.clone(),
                    region: r.clone(),
                    account: None,
                };
                if !out.contains(&spec) {
                    out.push(spec);
                }
            }
        }
        out
    }

    /// Every discovered account in every region (an empty list of regions:
    /// the profile's default), each read from `profile`'s credentials.
    pub fn accounts(
        profile: Option<&str>,
        found: &[(
            crate::domain::account::Account,
            crate::aws::identity::Identity,
        )],
        regions: &[String],
    ) -> Vec<SourceSpec> {
        let regions: Vec<Option<String>> = if regions.is_empty() {
            vec![None]
        } else {
            regions.iter().cloned().map(Some).collect()
        };
        let mut out = Vec::new();
        for (account, identity) in found {
            let (role, sso) = match identity {
                crate::aws::identity::Identity::Role { role, .. } => (role.clone(), false),
                crate::aws::identity::Identity::Sso { role, .. } => (role.clone(), true),
                crate::aws::identity::Identity::Profile(_) => continue,
            };
            for r in &regions {
                let spec = SourceSpec {
                    profile: profile.map(str::to_string),
                    region: r.clone(),
                    account: Some(Reach {
                        account: account.clone(),
                        role: role.clone(),
                        sso,
                    }),
                };
                if !out.contains(&spec) {
                    out.push(spec);
                }
            }
        }
        out
    }

    /// How a client reaches this source: `base` (the endpoint, demo
    /// credentials, retries; its profile and region where the spec names
    /// none) and whose credentials it reads with.
    pub fn reach(
        &self,
        base: &crate::aws::Target,
    ) -> (crate::aws::Target, crate::aws::identity::Identity) {
        let target = crate::aws::Target {
            profile: self.profile.clone().or_else(|| base.profile.clone()),
            region: self.region.clone().or_else(|| base.region.clone()),
            ..base.clone()
        };
        let spec = SourceSpec {
            profile: target.profile.clone(),
            ..self.clone()
        };
        (target, spec.identity())
    }

    /// Whose credentials this source reads with.
    pub fn identity(&self) -> crate::aws::identity::Identity {
        use crate::aws::identity::Identity;
        match &self.account {
            None => Identity::Profile(self.profile.clone()),
            Some(r) if r.sso => Identity::Sso {
                profile: self.profile.clone(),
                account: r.account.id.clone(),
                role: r.role.clone(),
            },
            Some(r) => Identity::Role {
                base: self.profile.clone(),
                account: r.account.id.clone(),
                role: r.role.clone(),
            },
        }
    }

    /// The account as the organisation names it (`ml-prod ·
    /// 111122223333`), for a source that reaches one.
    pub fn account_label(&self) -> Option<String> {
        self.account.as_ref().map(|r| r.account.label())
    }

    /// Who reads, as labels say it: the account's name (else id), else
    /// the profile.
    pub fn who(&self) -> Option<String> {
        match &self.account {
            Some(r) => Some(
                r.account
                    .name
                    .clone()
                    .unwrap_or_else(|| r.account.id.clone()),
            ),
            None => self.profile.clone(),
        }
    }
}

impl fmt::Display for SourceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let region = self.region.as_deref().unwrap_or("default region");
        match self.who() {
            Some(p) => write!(f, "{p}/{region}"),
            None => f.write_str(region),
        }
    }
}

/// The one request a source has out: a source asks one thing at a time, so
/// its answers arrive in the order it asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    First,
    Next,
    Refresh,
    Reread,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SourceError {
    pub error: FetchError,
    pub since: DateTime<Utc>,
    /// Consecutive failures, for the backoff.
    pub failures: u32,
}

/// The longest a failing source waits between tries.
pub const MAX_BACKOFF: Duration = Duration::minutes(5);

#[derive(Debug, Clone)]
pub struct Source {
    pub id: SourceId,
    pub spec: SourceSpec,
    /// The region the client signs for, once resolved.
    pub region: Option<String>,
    pub generation: u64,
    pub busy: Option<Busy>,
    /// What came due while busy, to run right after.
    pub pending: Option<Busy>,
    pub first_done: bool,
    pub next_token: Option<String>,
    /// The service refused a token: the listing goes on by creation time.
    pub by_bounds: bool,
    /// How far the view's listing has certainly been read: the edge of the
    /// last instant read (a job of that instant may still come).
    pub frontier: Option<Key>,
    /// The newest creation time seen from this source: where "new jobs" start.
    pub watermark: Option<DateTime<Utc>>,
    /// Jobs known to be in flight; tracked even when the view's filter
    /// hides them.
    pub tracked: BTreeMap<String, Tracked>,
    pub error: Option<SourceError>,
    pub next_refresh: Option<DateTime<Utc>>,
    pub last_ok: Option<DateTime<Utc>>,
    /// When the request out now (or the last one) was asked: what its
    /// answer shows running was running then, since the service looked
    /// after it was asked.
    pub asked: Option<DateTime<Utc>>,
    /// The promises this source's service was seen to break (said once:
    /// kept across queries).
    pub unkept: crate::domain::promises::Unkept,
}

/// A job in flight as this source last saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Tracked {
    pub created: DateTime<Utc>,
    pub status: Status,
    /// When the request that last showed it in `status` was asked (None: it
    /// came from outside the engine's requests, by ARN): the lower bound of
    /// when it left that status, so the history knows each end within one
    /// refresh.
    pub seen: Option<DateTime<Utc>>,
    /// When it was last handed to the history in `status`
    /// ([`super::Applied::seen`]): an unchanged running job is handed on at
    /// most every [`RESEEN`].
    pub reported: Option<DateTime<Utc>>,
}

/// How often the history is told again of a running job that has not
/// changed. Told at every refresh, 300 sources' running jobs were a hundred
/// rows a second written to say nothing new; a change still carries the
/// last request that saw the old status ([`super::Event::last_seen`]), so
/// the bounds of an end stay within one refresh.
pub const RESEEN: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

impl Tracked {
    pub fn of(job: &crate::domain::job::CopyJob, seen: Option<DateTime<Utc>>) -> Tracked {
        Tracked {
            created: job.created,
            status: job.status.clone(),
            seen,
            reported: None,
        }
    }
}

impl Source {
    pub fn new(id: SourceId, spec: SourceSpec, generation: u64) -> Source {
        Source {
            id,
            region: spec.region.clone(),
            spec,
            generation,
            busy: None,
            pending: None,
            first_done: false,
            next_token: None,
            by_bounds: false,
            frontier: None,
            watermark: None,
            tracked: BTreeMap::new(),
            error: None,
            next_refresh: None,
            last_ok: None,
            asked: None,
            unkept: Default::default(),
        }
    }

    /// Forgets the listing for a new query; the id and region stay.
    pub fn restart(&mut self, generation: u64) {
        *self = Source {
            region: self.region.clone(),
            unkept: self.unkept,
            ..Source::new(self.id, self.spec.clone(), generation)
        };
    }

    /// Every job of the listing has been read.
    pub fn exhausted(&self) -> bool {
        self.first_done && self.next_token.is_none()
    }

    /// Whether this source still has to be read before rows past its frontier
    /// can be shown. A failing source holds nothing back: the others go on.
    pub fn holds(&self) -> bool {
        !self.exhausted() && self.error.is_none()
    }

    /// Whether a person asking for more should get a page of this source:
    /// more exists, even while the source waits out a failure.
    pub fn pageable(&self) -> bool {
        self.first_done && self.next_token.is_some()
    }

    /// Whether a job at `key` lies where the listing has been read to, its
    /// last instant included: it belongs in the table now. Past that, it
    /// will come with paging. (The service may list the jobs of one instant
    /// in any order, so a job of the last instant read that a refresh finds
    /// may be one the next page will not bring.)
    pub fn covers(&self, sort: Sort, key: &Key) -> bool {
        if !self.first_done {
            return false;
        }
        if self.next_token.is_none() {
            return true;
        }
        self.frontier.as_ref().is_some_and(|f| match sort {
            Sort::NewestFirst => key.created >= f.created,
            Sort::OldestFirst => key.created <= f.created,
        })
    }

    /// Whether the listing has certainly been read past `key`: every job
    /// before it has been listed, so one it did not list is not there.
    pub fn read_past(&self, sort: Sort, key: &Key) -> bool {
        if !self.first_done {
            return false;
        }
        if self.next_token.is_none() {
            return true;
        }
        self.frontier
            .as_ref()
            .is_some_and(|f| display_cmp(sort, key_pos(key), key_pos(f)).is_lt())
    }

    /// The spec with its region resolved when it left it to the default
    /// chain: "us-east-1" checked in the picker is this source.
    pub fn effective_spec(&self) -> SourceSpec {
        SourceSpec {
            profile: self.spec.profile.clone(),
            region: self.spec.region.clone().or_else(|| self.region.clone()),
            account: self.spec.account.clone(),
        }
    }

    /// The label the header and the Region/Profile columns use.
    pub fn label(&self) -> String {
        match (&self.spec.who(), &self.region) {
            (Some(p), Some(r)) => format!("{p}/{r}"),
            (None, Some(r)) => r.clone(),
            _ => self.spec.to_string(),
        }
    }

    /// When a failing source tries again: full jitter over the refresh
    /// interval doubled per consecutive failure, at most five minutes (or
    /// the interval, if longer). The draw mixes the source's id and when it
    /// began failing, so sources failing together spread out while the
    /// engine stays a function of its inputs.
    pub fn backoff(&self, every: Duration, failures: u32, since: DateTime<Utc>) -> Duration {
        let seed = super::backoff::mix(u64::from(self.id.0), since.timestamp_millis() as u64);
        let base = every.to_std().unwrap_or_default();
        let cap = MAX_BACKOFF.max(every).to_std().unwrap_or_default();
        let wait =
            super::backoff::full_jitter(failures, base, cap, super::backoff::draw(seed, failures));
        // To the millisecond: the header counts seconds.
        Duration::try_milliseconds(wait.as_millis() as i64).unwrap_or(MAX_BACKOFF)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_product_of_profiles_and_regions() {
        let p = vec!["a".to_string(), "b".to_string()];
        let r = vec!["us-east-1".to_string(), "eu-west-1".to_string()];
        let all = SourceSpec::product(&p, &r);
        assert_eq!(all.len(), 4);
        assert_eq!(all[0].to_string(), "a/us-east-1");
        assert_eq!(all[3].to_string(), "b/eu-west-1");
        assert_eq!(SourceSpec::product(&[], &[]), vec![SourceSpec::default()]);
        let dup = vec!["us-east-1".to_string(), "us-east-1".to_string()];
        assert_eq!(SourceSpec::product(&[], &dup).len(), 1);
    }

    #[test]
    fn backoff_is_jittered_below_the_interval_doubled_up_to_five_minutes() {
        let every = Duration::seconds(10);
        let since = DateTime::<Utc>::from_timestamp(1_748_779_200, 0).unwrap();
        let source = |id| Source::new(SourceId(id), SourceSpec::default(), 0);
        // The ceiling per failure, by hand: 10 s doubled, capped at 5 min.
        for (failures, ceiling) in [(1, 10), (2, 20), (4, 80), (30, 300)] {
            for id in 0..20 {
                let wait = source(id).backoff(every, failures, since);
                assert!(wait >= Duration::zero(), "{wait}");
                assert!(wait <= Duration::seconds(ceiling), "{failures}: {wait}");
            }
        }
        // An interval above the cap is the ceiling, never raised by failing.
        let slow = Duration::minutes(10);
        assert!(source(1).backoff(slow, 3, since) <= Duration::minutes(10));
        // Sources failing together do not retry together; one source's
        // wait is the same each time it is asked.
        let waits: std::collections::BTreeSet<Duration> = (0..20)
            .map(|id| source(id).backoff(every, 4, since))
            .collect();
        assert!(waits.len() > 15, "{waits:?}");
        assert_eq!(
            source(3).backoff(every, 4, since),
            source(3).backoff(every, 4, since)
        );
    }
}
