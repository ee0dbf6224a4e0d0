//! One region's jobs, kept sorted by `(creation time, job id)`.
//!
//! A page is a binary search to the cursor (or the time window's edge) and a
//! walk in sort order until the page is full, so serving a page costs the
//! page, not the data set. Filters other than time are checked on the walk.

use super::account::rng;
use super::cursor::Cursor;
use super::dataset::{FAILURE_RATE, Generator, RegionProfile, Timeline, arn_region, fnv, mix};
use super::durations::copy_ms;
use super::model::{Detail, Extras, Job, ShortId, SourceModel, Status};
use super::names::{NameIndex, Needle};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::collections::HashMap;
use std::sync::Arc;

/// A validated ListModelCopyJobs request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Jobs created strictly after this instant (microseconds, already
    /// rounded so that `created_us > after_us` is exact, whatever the
    /// request's digits and `--time-bounds`).
    pub after_us: Option<i64>,
    /// Jobs created strictly before this instant (microseconds).
    pub before_us: Option<i64>,
    pub status: Option<Status>,
    pub source_account: Option<String>,
    pub source_arn: Option<String>,
    /// Case-insensitive substring of the target model name.
    pub name_contains: Option<String>,
    pub ascending: bool,
    pub max_results: usize,
}

impl ListQuery {
    /// Identifies the query a token belongs to: every filter and the order,
    /// but not the page size, which a caller may change between pages.
    pub fn fingerprint(&self, region: &str) -> u64 {
        let text = format!(
            "{region}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            self.after_us,
            self.before_us,
            self.status,
            self.source_account,
            self.source_arn,
            self.name_contains.as_ref().map(|s| s.to_ascii_lowercase()),
            self.ascending
        );
        fnv(text.as_bytes())
    }
}

/// How one ListModelCopyJobs answer is given, beyond its filters: the
/// clock, and the service's open questions as the endpoint plays them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct View {
    pub now_ms: i64,
    /// `--list-lag` in microseconds; 0 lists every job at once.
    pub lag_us: i64,
    /// `--tie-order unstable`: the salt that orders the groups of tied jobs
    /// this answer starts. `None` orders ties by job id.
    pub shuffle: Option<u64>,
}

impl View {
    /// Every job listed at once, ties by id: the service as it was first played.
    pub fn at(now_ms: i64) -> View {
        View {
            now_ms,
            ..View::default()
        }
    }
}

/// Where the next page starts: the last row returned, and under a shuffled
/// tie order the salt that ordered its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resume {
    pub created_us: i64,
    pub id: ShortId,
    pub tie_salt: u64,
}

/// What a page walk found.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    pub jobs: Vec<&'a Job>,
    /// Set when another matching job exists past the last one returned.
    pub next: Option<Resume>,
}

/// The order of a job among those tied with it, under `salt`: a hash of
/// the id, so neither id order nor the same from one salt to the next.
fn tie_rank(salt: u64, id: ShortId) -> (u64, ShortId) {
    (mix(salt, fnv(&id.0)), id)
}

/// When a job is first listed under a lag of `lag_us`: a job made by
/// CreateModelCopyJob after the whole lag, one of the data set or an
/// arrival after a share of it drawn from its seed, so that a job can turn
/// up after others created later than it.
pub fn listed_from_us(job: &Job, lag_us: i64) -> i64 {
    let delay = match job.detail {
        Detail::Generated(seed) => {
            (i128::from(lag_us) * i128::from(mix(seed, 31) % 1001) / 1000) as i64
        }
        Detail::Created(_) => lag_us,
    };
    job.created_us.saturating_add(delay)
}

/// A new job, as CreateModelCopyJob asks for it (already validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub source_arn: String,
    pub target_name: String,
    pub kms_key: Option<String>,
    pub tags: Vec<super::model::Tag>,
    pub client_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateError {
    SourceNotFound,
    TokenReused,
}

/// A page of `want` from `found`, ties in walk (id) order.
fn by_id<'a>(found: impl Iterator<Item = &'a Job>, want: usize) -> Page<'a> {
    let mut jobs: Vec<&Job> = Vec::with_capacity(want.min(1000));
    let mut next = None;
    for job in found {
        if jobs.len() == want {
            // One more match exists: the page gets a token.
            next = jobs.last().map(|j| Resume {
                created_us: j.created_us,
                id: j.id,
                tie_salt: 0,
            });
            break;
        }
        jobs.push(job);
    }
    Page { jobs, next }
}

/// A page of `want` from `found`, each group of tied jobs in the order
/// `salt` gives it, but for the group `cursor` stopped in: that one keeps
/// the cursor's order, so the rows it has not given yet are exactly those
/// after it. Each answer draws its own order, and every job still comes
/// once.
fn shuffled_ties<'a>(
    found: impl Iterator<Item = &'a Job>,
    want: usize,
    salt: u64,
    cursor: Option<&Cursor>,
) -> Page<'a> {
    let mut found = found.peekable();
    let mut jobs: Vec<&Job> = Vec::with_capacity(want.min(1000));
    let mut group: Vec<&Job> = Vec::new();
    let mut last_salt = salt;
    while let Some(first) = found.next() {
        group.clear();
        group.push(first);
        while let Some(j) = found.next_if(|j| j.created_us == first.created_us) {
            group.push(j);
        }
        let resumed = cursor.filter(|c| c.created_us == first.created_us);
        let group_salt = resumed.map_or(salt, |c| c.tie_salt);
        group.sort_unstable_by_key(|j| tie_rank(group_salt, j.id));
        let skip = resumed.map_or(0, |c| {
            let done = tie_rank(c.tie_salt, c.id);
            group.partition_point(|j| tie_rank(c.tie_salt, j.id) <= done)
        });
        for job in &group[skip..] {
            if jobs.len() == want {
                let next = jobs.last().map(|j| Resume {
                    created_us: j.created_us,
                    id: j.id,
                    tie_salt: last_salt,
                });
                return Page { jobs, next };
            }
            jobs.push(job);
            last_salt = group_salt;
        }
    }
    Page { jobs, next: None }
}

pub struct Store {
    pub profile: Arc<RegionProfile>,
    jobs: Vec<Job>,
    /// The target names of `jobs`, in the same order, for name filters.
    names: NameIndex,
    generator: Generator,
    /// Arrivals materialised so far, on the grid of [`Timeline`]: arrival
    /// `k` is created at `anchor_ms + k * every`.
    arrivals: u64,
    arrival_every_ms: Option<i64>,
    anchor_ms: i64,
    idempotency: HashMap<String, Remembered>,
    /// `--idempotency-window` in milliseconds: a token this old is forgotten.
    /// `None` remembers tokens for ever.
    pub idempotency_window_ms: Option<i64>,
}

/// What a `clientRequestToken` stands for.
#[derive(Debug, Clone, Copy)]
struct Remembered {
    /// The request's parameters, to refuse the token for another request.
    fingerprint: u64,
    job: ShortId,
    /// When the job was created, for `--idempotency-window`.
    first_ms: i64,
}

impl Store {
    /// Generates `count` jobs aged relative to `now_ms`. `arrival_rate` is
    /// new jobs per virtual minute (0 for none); the newest initial jobs came
    /// at that rate too, so about as many are in flight at start as will be
    /// later. `speed` scales the lifecycle: copies take `1/speed` as long and
    /// arrivals come `speed` times as often.
    pub fn generate(
        mut profile: RegionProfile,
        count: usize,
        now_ms: i64,
        arrival_rate: f64,
        speed: f64,
    ) -> Store {
        let mut generator = Generator::default();
        generator.speed = speed;
        generator.ids.reserve(count);
        let timeline = Timeline::new(count as u64, now_ms, arrival_rate, speed);
        let mut jobs = generator.initial(&mut profile, &timeline);
        jobs.sort_unstable_by_key(Job::key);
        let names = NameIndex::from_names(jobs.iter().map(|j| &*j.target_name));
        Store {
            profile: Arc::new(profile),
            jobs,
            names,
            generator,
            arrivals: 0,
            arrival_every_ms: (arrival_rate > 0.0).then_some(timeline.every_ms),
            anchor_ms: timeline.anchor_ms,
            idempotency: HashMap::new(),
            idempotency_window_ms: None,
        }
    }

    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    fn insert(&mut self, job: Job) {
        let key = job.key();
        // New jobs are the newest: this is almost always a push at the end.
        let at = self.jobs.partition_point(|j| j.key() < key);
        self.names.insert(at, &job.target_name);
        self.jobs.insert(at, job);
    }

    /// Heap bytes of the name index: `(lowercased names, trigram lists)`.
    pub fn name_index_bytes(&self) -> (usize, usize) {
        self.names.heap_bytes()
    }

    /// Brings arrivals up to `now_ms`. Arrivals are a pure function of the
    /// clock, so the data set at a given virtual time is always the same.
    pub fn catch_up(&mut self, now_ms: i64) {
        let Some(every) = self.arrival_every_ms else {
            return;
        };
        let anchor = self.anchor_ms;
        let slot = |k: u64| anchor.saturating_add((k as i64).saturating_mul(every));
        while slot(self.arrivals + 1) <= now_ms {
            self.arrivals += 1;
            let at = slot(self.arrivals);
            let job = self.generator.arrival(&self.profile, self.arrivals, at);
            self.insert(job);
        }
    }

    /// Every filter but time (a binary search) and name (the name index).
    fn matches(&self, job: &Job, q: &ListQuery, now_ms: i64) -> bool {
        if q.status.is_some_and(|s| job.status_at(now_ms) != s) {
            return false;
        }
        if q.source_account.is_none() && q.source_arn.is_none() {
            return true;
        }
        let Some(src) = self.profile.sources.get(job.source as usize) else {
            return false;
        };
        q.source_account.as_ref().is_none_or(|a| *a == src.account)
            && q.source_arn.as_ref().is_none_or(|a| *a == src.arn)
    }

    /// One page of `q`, starting after `cursor`.
    pub fn page(&self, q: &ListQuery, cursor: Option<&Cursor>, view: &View) -> Page<'_> {
        let jobs = &self.jobs;
        let lo = q
            .after_us
            .map_or(0, |t| jobs.partition_point(|j| j.created_us <= t));
        let hi = q
            .before_us
            .map_or(jobs.len(), |t| jobs.partition_point(|j| j.created_us < t))
            .max(lo);
        // The stretch still to walk: after the cursor, inside the window.
        // Under a shuffled tie order the cursor's own tie group is walked
        // again, and cut by the cursor's salt below.
        let shuffled = view.shuffle.is_some();
        let (from, to) = match cursor {
            None => (lo, hi),
            Some(c) if q.ascending => {
                let at = if shuffled {
                    jobs.partition_point(|j| j.created_us < c.created_us)
                } else {
                    jobs.partition_point(|j| j.key() <= (c.created_us, c.id))
                };
                (at.clamp(lo, hi), hi)
            }
            Some(c) => {
                let at = if shuffled {
                    jobs.partition_point(|j| j.created_us <= c.created_us)
                } else {
                    jobs.partition_point(|j| j.key() < (c.created_us, c.id))
                };
                (lo, at.clamp(lo, hi))
            }
        };
        let needle = q.name_contains.as_deref().map(Needle::new);
        let walk: Box<dyn Iterator<Item = usize> + '_> = match (&needle, q.ascending) {
            (None, true) => Box::new(from..to),
            (None, false) => Box::new((from..to).rev()),
            (Some(n), true) => self.names.find(n, from, to),
            (Some(n), false) => self.names.rfind(n, from, to),
        };
        // Jobs created before `settled` are listed whatever their delay;
        // later ones only once their own delay has passed. The clock counts
        // whole milliseconds: its current one is over for this answer.
        let now_end_us = view.now_ms.saturating_mul(1000).saturating_add(999);
        let settled = now_end_us.saturating_sub(view.lag_us);
        let listed = |j: &Job| {
            view.lag_us <= 0
                || j.created_us <= settled
                || listed_from_us(j, view.lag_us) <= now_end_us
        };
        let found = walk
            .map(|i| &jobs[i])
            .filter(|j| listed(j) && self.matches(j, q, view.now_ms));
        let want = q.max_results.max(1);
        match view.shuffle {
            None => by_id(found, want),
            Some(salt) => shuffled_ties(found, want, salt, cursor),
        }
    }

    pub fn get(&self, id: &ShortId) -> Option<&Job> {
        let created = *self.generator.ids.get(id)?;
        let at = self.jobs.partition_point(|j| j.key() < (created, *id));
        self.jobs.get(at).filter(|j| j.id == *id)
    }

    /// The job that produced the custom model `target_id`. A scan: tags are
    /// read one model at a time, and an index would cost memory on every job.
    pub fn by_target(&self, target_id: &ShortId) -> Option<&Job> {
        self.jobs.iter().find(|j| j.target_id == *target_id)
    }

    /// The job whose target is the custom model `arn`, if this region's
    /// data has it (the model itself exists once that job has Completed).
    pub fn copied_model(&self, arn: &str) -> Option<&Job> {
        let id = arn
            .contains(":custom-model/")
            .then(|| arn.rsplit('/').next().and_then(ShortId::parse))
            .flatten()?;
        self.by_target(&id)
            .filter(|job| self.profile.target_arn(job) == arn)
    }

    /// The index of `model` in this region's source table, appended when it
    /// is another region's (see [`RegionProfile::sources`]). The profile is
    /// this store's alone, so `make_mut` copies nothing.
    fn source_index(&mut self, model: SourceModel) -> u32 {
        let at = match self.profile.sources.iter().position(|s| s.arn == model.arn) {
            Some(i) => i,
            None => {
                let profile = Arc::make_mut(&mut self.profile);
                profile.sources.push(model);
                profile.sources.len() - 1
            }
        };
        u32::try_from(at).unwrap_or(u32::MAX)
    }

    /// Makes the job CreateModelCopyJob asks for. `source` is the model the
    /// request names as [`super::sources::find`] found it in any region's
    /// data, `None` when no region has it. The token is checked first: a
    /// repeated request gets its job back, and a token reused for another
    /// request is refused whatever its source.
    pub fn create(
        &mut self,
        new: NewJob,
        source: Option<SourceModel>,
        now_ms: i64,
    ) -> Result<ShortId, CreateError> {
        let fingerprint = fnv(format!(
            "{:?}",
            (&new.source_arn, &new.target_name, &new.kms_key, &new.tags)
        )
        .as_bytes());
        let window = self.idempotency_window_ms;
        let remembered = new
            .client_token
            .as_ref()
            .and_then(|t| self.idempotency.get(t))
            .filter(|r| window.is_none_or(|w| now_ms.saturating_sub(r.first_ms) < w));
        if let Some(r) = remembered {
            return if r.fingerprint == fingerprint {
                Ok(r.job)
            } else {
                Err(CreateError::TokenReused)
            };
        }
        let source = self.source_index(source.ok_or(CreateError::SourceNotFound)?);
        let seed = mix(
            self.profile.seed ^ 0x00c0_ffee,
            fnv(format!("{now_ms}|{}|{}", new.target_name, self.len()).as_bytes()),
        );
        let created_us = self.profile.stamp(now_ms, seed);
        let id = self.generator.new_id(seed, created_us);
        let src = &self.profile.sources[source as usize];
        let copy = copy_ms(
            &src.base,
            arn_region(&src.arn),
            &self.profile.region,
            &mut rng(mix(seed, 3)),
        );
        let mut job = Job {
            id,
            created_us,
            ends_ms: now_ms + self.generator.scaled(copy),
            outcome: if ((mix(seed, 4) % 1000) as f64) < FAILURE_RATE * 1000.0 {
                Status::Failed
            } else {
                Status::Completed
            },
            source,
            target_id: ShortId::from_u64(mix(seed, 5)),
            target_name: new.target_name.into_boxed_str(),
            detail: Detail::Generated(0),
        };
        let failure_kind = self
            .profile
            .failure_kind_for_created(&job, new.kms_key.is_some());
        job.detail = Detail::Created(Box::new(Extras {
            kms_key_arn: new.kms_key,
            tags: new.tags,
            failure_kind,
        }));
        self.insert(job);
        if let Some(token) = new.client_token {
            let remembered = Remembered {
                fingerprint,
                job: id,
                first_ms: now_ms,
            };
            self.idempotency.insert(token, remembered);
        }
        Ok(id)
    }
}

/// A job as the service shows it at `now_ms`, serialised straight into the
/// response: ARNs and times are written through `Display`, not built as
/// strings first, since a page is a thousand of these.
pub struct Summary<'a> {
    profile: &'a RegionProfile,
    job: &'a Job,
    status: Status,
    extras: Extras,
}

pub fn summary<'a>(profile: &'a RegionProfile, job: &'a Job, now_ms: i64) -> Summary<'a> {
    Summary {
        profile,
        job,
        status: job.status_at(now_ms),
        extras: profile.extras(job),
    }
}

/// Serialises any `Display` as a JSON string without building it first.
struct Collect<T>(T);

impl<T: std::fmt::Display> Serialize for Collect<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for Summary<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (p, job) = (self.profile, self.job);
        let src = p.sources.get(job.source as usize);
        let mut st = s.serialize_struct("ModelCopyJobSummary", 11)?;
        let job_arn = format_args!(
            "arn:aws:bedrock:{}:{}:model-copy-job/{}",
            p.region,
            p.account,
            job.id.shown(p.ids)
        );
        st.serialize_field("jobArn", &Collect(job_arn))?;
        st.serialize_field("status", self.status.as_str())?;
        let created = super::model::CreationTime {
            us: job.created_us,
            precision: p.precision,
            style: p.time_style,
        };
        st.serialize_field("creationTime", &Collect(created))?;
        let base = src.map_or("imported", |s| s.base.as_str());
        let target = format_args!(
            "arn:aws:bedrock:{}:{}:custom-model/{}/{}",
            p.region,
            p.account,
            base,
            job.target_id.as_str()
        );
        st.serialize_field("targetModelArn", &Collect(target))?;
        st.serialize_field("targetModelName", &*job.target_name)?;
        st.serialize_field(
            "sourceAccountId",
            src.map_or(p.account.as_str(), |s| s.account.as_str()),
        )?;
        st.serialize_field("sourceModelArn", src.map_or("", |s| s.arn.as_str()))?;
        if let Some(k) = &self.extras.kms_key_arn {
            st.serialize_field("targetModelKmsKeyArn", k)?;
        }
        if !self.extras.tags.is_empty() {
            st.serialize_field("targetModelTags", &self.extras.tags)?;
        }
        if self.status == Status::Failed {
            st.serialize_field("failureMessage", &p.failure_message(job, &self.extras))?;
        }
        if let Some(name) = src.and_then(|s| s.name.as_deref()) {
            st.serialize_field("sourceModelName", name)?;
        }
        st.end()
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
