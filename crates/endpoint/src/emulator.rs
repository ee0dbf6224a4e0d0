//! The endpoint's state: one store per region, the clock, faults, and the
//! counters and records the tests and `/_emulator/` read.

use super::clock::Clock;
use super::cursor::TokenCodec;
use super::dataset::{self, RegionProfile};
use super::faults::Faults;
use super::identity::{Identities, SsoToken};
use super::model;
use super::options::{EmulatorOptions, TieOrder};
use super::org::Org;
use super::store::{self, Store, View};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Requests by operation.
type Ops = BTreeMap<&'static str, u64>;

/// A data set, shared by the requests that read it.
type Shared = Arc<Mutex<Store>>;

/// How long an Identity Center token of `--sso-token` lasts: 8 hours, the
/// portal's default session.
pub const SSO_TOKEN_MS: i64 = 8 * 3_600_000;

/// The endpoint's state: one store per region, the clock, faults, counters.
pub struct Emulator {
    pub options: EmulatorOptions,
    pub clock: Clock,
    pub codec: TokenCodec,
    pub faults: Faults,
    /// The caller's account, the same in every region.
    pub account: String,
    /// `--org-size`: the organisation the caller's account manages.
    pub org: Option<Org>,
    /// Credentials issued by AssumeRole and GetRoleCredentials, and the
    /// Identity Center tokens registered.
    pub identities: Identities,
    /// Stores by (account, region).
    regions: Mutex<HashMap<(String, String), Shared>>,
    /// Every request, control ones included: it numbers the request ids.
    sequence: AtomicU64,
    /// API requests by region, then operation: what a client really sent,
    /// retries included, for tests and `GET /_emulator/stats`.
    counts: Mutex<BTreeMap<String, BTreeMap<&'static str, u64>>>,
    /// Under `--org-size`, the same by account first: how often a client
    /// calls each account (AssumeRole counted for the account assumed).
    account_counts: Mutex<BTreeMap<(String, String), Ops>>,
    /// Set by `POST /_emulator/credentials?state=expired`: every API
    /// request is refused with ExpiredTokenException until renewed.
    expired: std::sync::atomic::AtomicBool,
    /// ListModelCopyJobs answers so far: under `--tie-order unstable` each
    /// draws its order of ties from this and the seed, so a run replays.
    list_calls: AtomicU64,
    /// API answers by HTTP status, and responses cut off mid-body.
    answers: Mutex<Answers>,
    /// The custom and imported models of each data set that do not change
    /// (see [`super::models`]), made on first ask.
    pub catalogues: super::catalogue::Catalogues,
    /// The custom models the listed regions' data sets copy, read from
    /// them once (see [`super::models`]).
    pub copied: std::sync::OnceLock<super::catalogue::Copied>,
}

/// What the endpoint answered, for fault tests: statuses of the responses
/// sent whole, and the number cut off by `--drop-rate`.
#[derive(Debug, Default)]
struct Answers {
    statuses: BTreeMap<u16, u64>,
    dropped: u64,
}

impl Emulator {
    /// Builds the data sets of the listed regions up front, so the first
    /// request is as fast as any other.
    pub fn new(options: EmulatorOptions) -> Arc<Emulator> {
        let options = options.resolved();
        let start = options
            .now
            .unwrap_or_else(|| chrono::Utc::now().timestamp_millis());
        let key: [u8; 32] = Sha256::digest(format!("copyjobs-token-key|{}", options.seed)).into();
        let account = dataset::caller_account(options.seed);
        let emu = Arc::new(Emulator {
            clock: Clock::new(start, options.frozen),
            codec: TokenCodec::new(key),
            faults: Faults::new(&options),
            org: Org::new(&options, &account),
            identities: Identities::default(),
            account,
            regions: Mutex::new(HashMap::new()),
            sequence: AtomicU64::new(0),
            counts: Mutex::new(BTreeMap::new()),
            account_counts: Mutex::new(BTreeMap::new()),
            expired: std::sync::atomic::AtomicBool::new(false),
            list_calls: AtomicU64::new(0),
            answers: Mutex::new(Answers::default()),
            catalogues: Mutex::new(HashMap::new()),
            copied: std::sync::OnceLock::new(),
            options,
        });
        // A denied region's jobs can never be listed: no need to build them.
        for r in &emu.options.regions {
            if !emu.options.denies(r) {
                emu.store(r);
            }
        }
        emu.make_members_stores();
        for token in &emu.options.sso_token {
            let expires_ms = emu.clock.now_ms().saturating_add(SSO_TOKEN_MS);
            emu.identities.register_token(
                token,
                SsoToken {
                    expires_ms,
                    accounts: None,
                    roles: None,
                },
            );
        }
        emu
    }

    /// Under `--org-size` with `--regions`, the listed regions' data sets of
    /// every member whose credentials can reach them (not suspended, not
    /// denied the region), made up front as the caller's are, on a few
    /// threads: 50 members in 6 regions are 300 data sets.
    fn make_members_stores(&self) {
        let Some(org) = &self.org else { return };
        let wanted: Vec<(&str, &str)> = org
            .members
            .iter()
            .filter(|m| m.status == super::org::Status::Active)
            .flat_map(|m| {
                self.options
                    .regions
                    .iter()
                    .filter(|r| !self.denies_in(&m.id, r))
                    .map(move |r| (m.id.as_str(), r.as_str()))
            })
            .collect();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
        let per_thread = wanted.len().div_ceil(threads).max(1);
        std::thread::scope(|scope| {
            for chunk in wanted.chunks(per_thread) {
                scope.spawn(move || {
                    for (account, region) in chunk {
                        self.store_in(account, region);
                    }
                });
            }
        });
    }

    /// The caller's store of `region`, made on first use.
    pub fn store(&self, region: &str) -> Arc<Mutex<Store>> {
        self.store_in(&self.account, region)
    }

    /// The store of `account` (the caller's, or a member's of `--org-size`)
    /// in `region`, made on first use. An account the organisation does not
    /// have gets the caller's.
    pub fn store_in(&self, account: &str, region: &str) -> Arc<Mutex<Store>> {
        let member = self.org.as_ref().and_then(|o| o.member(account));
        let account = member.map_or(self.account.as_str(), |m| m.id.as_str());
        let key = (account.to_string(), region.to_string());
        {
            let regions = self.regions.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(s) = regions.get(&key) {
                return s.clone();
            }
        }
        // Made without the map locked, so that the data sets of an
        // organisation's accounts, first asked for together, are made in
        // parallel rather than one after another. Two requests racing for
        // the same one make the same data: the first inserted is kept.
        let listed =
            self.options.regions.is_empty() || self.options.regions.iter().any(|r| r == region);
        let (jobs, rate) = if listed {
            (self.options.jobs, self.options.arrival_rate)
        } else {
            (0, 0.0)
        };
        let mut profile = match member {
            Some(m) => RegionProfile::of(m.seed, region, m.id.clone(), Some(m.peers.clone())),
            None => RegionProfile::new(self.options.seed, region),
        };
        profile.odd = self.options.odd_data;
        profile.precision = self.options.time_precision;
        profile.ids = self.options.job_ids;
        profile.time_style = self.options.time_style;
        let mut store = Store::generate(
            profile,
            jobs,
            self.clock.start_ms(),
            rate,
            self.options.speed,
        );
        store.idempotency_window_ms = self.options.idempotency_window_ms();
        let mut regions = self.regions.lock().unwrap_or_else(|e| e.into_inner());
        regions
            .entry(key)
            .or_insert_with(|| Arc::new(Mutex::new(store)))
            .clone()
    }

    /// Every store made so far, for a search across regions. The list is
    /// copied out so that no store is locked while the map is.
    pub fn stores_made(&self) -> Vec<Arc<Mutex<Store>>> {
        let regions = self.regions.lock().unwrap_or_else(|e| e.into_inner());
        regions.values().cloned().collect()
    }

    /// How the ListModelCopyJobs answer being made now is given: the clock,
    /// `--list-lag`, and under `--tie-order unstable` this answer's own salt.
    pub fn list_view(&self, now_ms: i64) -> View {
        let shuffle = (self.options.tie_order == TieOrder::Unstable).then(|| {
            let n = self.list_calls.fetch_add(1, Ordering::Relaxed);
            dataset::mix(self.options.seed ^ 0x7135_0a1e, n)
        });
        View {
            now_ms,
            lag_us: self.options.list_lag_us(),
            shuffle,
        }
    }

    /// The caller as IAM names it in a refusal: every request is this user.
    pub fn caller_arn(&self) -> String {
        format!("arn:aws:iam::{}:user/demo", self.account)
    }

    /// Whether Bedrock calls of `account` in `region` are denied: by
    /// `--deny-regions` (every account), or by `--org-deny-regions`.
    pub fn denies_in(&self, account: &str, region: &str) -> bool {
        self.options.denies(region)
            || self
                .options
                .org_deny_regions
                .iter()
                .any(|(a, r)| a == account && r == region)
    }

    /// The region used when a request names none (Bearer tokens carry no scope).
    pub fn default_region(&self) -> &str {
        self.options
            .regions
            .first()
            .map_or("us-east-1", String::as_str)
    }

    /// A request id in the service's format, unique per request.
    pub fn request_id(&self) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        let h = dataset::mix(self.options.seed, n);
        let l = dataset::mix(h, n);
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xfff,
            0x8000 | (l >> 48 & 0x3fff),
            l & 0xffff_ffff_ffff
        )
    }

    pub fn credentials_expired(&self) -> bool {
        self.expired.load(Ordering::Relaxed)
    }

    pub fn set_credentials_expired(&self, expired: bool) {
        self.expired.store(expired, Ordering::Relaxed);
    }

    /// Counts one API request to `operation` in `region`.
    pub fn count(&self, region: &str, operation: &'static str) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let ops = match counts.get_mut(region) {
            Some(ops) => ops,
            None => counts.entry(region.to_string()).or_default(),
        };
        *ops.entry(operation).or_insert(0) += 1;
    }

    /// Counts one request of `account` to `operation` in `region`, under
    /// `--org-size` (without it every request is the caller's).
    pub fn count_in(&self, account: &str, region: &str, operation: &'static str) {
        if self.org.is_none() {
            return;
        }
        let mut counts = self
            .account_counts
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let key = (account.to_string(), region.to_string());
        *counts.entry(key).or_default().entry(operation).or_insert(0) += 1;
    }

    /// Under `--org-size`, requests so far by `(account, region, operation)`.
    pub fn account_counts(&self) -> BTreeMap<(String, String, String), u64> {
        let counts = self
            .account_counts
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .flat_map(|((account, region), ops)| {
                ops.iter()
                    .map(|(op, n)| ((account.clone(), region.clone(), (*op).to_string()), *n))
            })
            .collect()
    }

    /// API requests so far by `(region, operation)`. Control requests
    /// (`/_emulator/…`) are not counted, nor requests refused before their
    /// region and operation were known (no valid signature, unknown route).
    pub fn request_counts(&self) -> BTreeMap<(String, String), u64> {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .iter()
            .flat_map(|(region, ops)| {
                ops.iter()
                    .map(|(op, n)| ((region.clone(), (*op).to_string()), *n))
            })
            .collect()
    }

    /// The sum of [`Emulator::request_counts`].
    pub fn requests_total(&self) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.values().flat_map(BTreeMap::values).sum()
    }

    /// Counts one API answer: its status, or a response cut off mid-body.
    pub fn count_answer(&self, status: u16, dropped: bool) {
        let mut a = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        if dropped {
            a.dropped += 1;
        } else {
            *a.statuses.entry(status).or_insert(0) += 1;
        }
    }

    /// API answers sent whole so far, by HTTP status (`200`, `429`, `500`…):
    /// every request that is not an `/_emulator/` control, refused ones
    /// included, however early. A response cut off by `--drop-rate` is not
    /// here but in [`Emulator::dropped_count`].
    pub fn status_counts(&self) -> BTreeMap<u16, u64> {
        let a = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        a.statuses.clone()
    }

    /// Responses whose connection `--drop-rate` closed halfway through.
    pub fn dropped_count(&self) -> u64 {
        let a = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        a.dropped
    }

    /// When each job really ended (virtual milliseconds), by job ARN: the
    /// jobs of the data sets made so far (or of `region` alone) that are no
    /// longer InProgress by the clock. The API never says when a copy ended;
    /// tests that estimate it measure their error against this.
    pub fn true_ends(&self, region: Option<&str>) -> BTreeMap<String, i64> {
        let now = self.clock.now_ms();
        let mut ends = BTreeMap::new();
        for store in self.stores_made() {
            let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
            if region.is_some_and(|r| r != s.profile.region) {
                continue;
            }
            s.catch_up(now);
            for job in s.jobs().iter().filter(|j| j.ends_ms <= now) {
                ends.insert(s.profile.job_arn(&job.id), job.ends_ms);
            }
        }
        ends
    }

    /// The body of `GET /_emulator/ends[?region=R]`: `{"now": T, "ends":
    /// {JOB_ARN: T}}`, times as `creationTime` is written (RFC 3339 in UTC,
    /// to `--time-precision`).
    pub fn ends_json(&self, region: Option<&str>) -> serde_json::Value {
        let at = |ms: i64| {
            model::Rfc3339 {
                us: ms.saturating_mul(1000),
                precision: self.options.time_precision,
            }
            .to_string()
        };
        let now = self.clock.now_ms();
        let ends: serde_json::Map<String, serde_json::Value> = self
            .true_ends(region)
            .into_iter()
            .map(|(arn, ms)| (arn, at(ms).into()))
            .collect();
        serde_json::json!({"now": at(now), "ends": ends})
    }

    /// The body of `GET /_emulator/jobs?region=R`: `{"now": T, "jobs":
    /// [summary…]}`, every job of the region a listing could show now, each
    /// as ListModelCopyJobs writes it, whatever the options make the
    /// listing itself do with them. The oracle of the client's tests: what
    /// the service holds, read without the client's readers.
    pub fn jobs_json(&self, region: &str) -> serde_json::Value {
        self.jobs_json_in(&self.account, region)
    }

    /// [`Emulator::jobs_json`] of `account`'s data set
    /// (`GET /_emulator/jobs?region=R&account=ID`).
    pub fn jobs_json_in(&self, account: &str, region: &str) -> serde_json::Value {
        let now = self.clock.now_ms();
        let store = self.store_in(account, region);
        let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
        s.catch_up(now);
        let every = store::ListQuery {
            max_results: usize::MAX,
            ..store::ListQuery::default()
        };
        let view = View {
            now_ms: now,
            lag_us: self.options.list_lag_us(),
            shuffle: None,
        };
        let jobs: Vec<serde_json::Value> = s
            .page(&every, None, &view)
            .jobs
            .into_iter()
            .filter_map(|j| serde_json::to_value(store::summary(&s.profile, j, now)).ok())
            .collect();
        serde_json::json!({"now": model::format_time(now), "jobs": jobs})
    }

    /// The body of `GET /_emulator/stats`: `{"requests": {REGION:
    /// {OPERATION: N}}, "total": N, "statuses": {"200": N, "429": N},
    /// "dropped": N}`, and under `--org-size` `"accounts": {ID: {REGION:
    /// {OPERATION: N}}}` (see [`Emulator::count_in`]).
    pub fn stats_json(&self) -> serde_json::Value {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let total: u64 = counts.values().flat_map(BTreeMap::values).sum();
        let a = self.answers.lock().unwrap_or_else(|e| e.into_inner());
        let statuses: serde_json::Map<String, serde_json::Value> = a
            .statuses
            .iter()
            .map(|(s, n)| (s.to_string(), (*n).into()))
            .collect();
        let mut out = serde_json::json!({
            "requests": &*counts,
            "total": total,
            "statuses": statuses,
            "dropped": a.dropped,
        });
        if self.org.is_some() {
            let by_account = self
                .account_counts
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            let mut accounts = serde_json::Map::new();
            for ((account, region), ops) in by_account.iter() {
                let entry = accounts
                    .entry(account.clone())
                    .or_insert_with(|| serde_json::json!({}));
                entry[region.as_str()] = serde_json::json!(ops);
            }
            out["accounts"] = serde_json::Value::Object(accounts);
        }
        out
    }
}
