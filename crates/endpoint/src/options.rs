//! The endpoint's knobs, shared by `copyjobs serve` and `copyjobs demo`.

#[cfg(feature = "cli")]
use clap::{Args, ValueEnum};

/// Whether `creationTimeAfter`/`creationTimeBefore` take in a job created
/// exactly at the bound: the API reference does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum TimeBounds {
    /// Strictly after / strictly before.
    #[default]
    Exclusive,
    /// At or after / at or before.
    Inclusive,
}

/// How precise `creationTime` is, on the wire and in the store: the API
/// reference says "timestamp" and no more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum TimePrecision {
    /// Whole seconds (`…:56Z`): jobs of the same second tie.
    S,
    /// Milliseconds (`…:56.789Z`).
    #[default]
    Ms,
    /// Microseconds (`…:56.789123Z`): digits a millisecond bound cannot express.
    Us,
}

impl TimePrecision {
    /// Microseconds in one step of this precision.
    pub fn step_us(self) -> i64 {
        match self {
            TimePrecision::S => 1_000_000,
            TimePrecision::Ms => 1_000,
            TimePrecision::Us => 1,
        }
    }

    /// `us` cut down to this precision (towards the past, as a clock ticks).
    pub fn truncate(self, us: i64) -> i64 {
        us - us.rem_euclid(self.step_us())
    }

    /// Fractional digits written on the wire (none when they are all zero).
    pub fn digits(self) -> usize {
        match self {
            TimePrecision::S => 0,
            TimePrecision::Ms => 3,
            TimePrecision::Us => 6,
        }
    }
}

/// The order of jobs created at the same instant: the API reference sorts by
/// creation time and says nothing of ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum TieOrder {
    /// By job id, the same on every call.
    #[default]
    Stable,
    /// Drawn anew for each answer (from the seed and a request counter, so a
    /// run replays); a `nextToken` still resumes where its page ended.
    Unstable,
}

/// The order ListModelCopyJobs lists in. The API promises creation time in
/// the order asked; some emulators list by job ARN whatever is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum ListOrder {
    /// By creation time, in the order asked, as documented.
    #[default]
    Created,
    /// By job ARN, ascending, whatever sortBy and sortOrder say.
    Arn,
}

/// A ListModelCopyJobs filter a thin service may not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum Ignored {
    /// creationTimeAfter and creationTimeBefore.
    Time,
    /// statusEquals.
    Status,
    /// outputModelNameContains.
    Name,
    /// sourceAccountEquals.
    Account,
    /// sourceModelArnEquals.
    Source,
}

/// The job id at the end of a job ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum JobIds {
    /// 12 lowercase letters or digits, as botocore's pattern has it.
    #[default]
    Short,
    /// A 36-character UUID, as some emulators give.
    Uuid,
}

/// How `creationTime` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "cli", derive(ValueEnum))]
pub enum TimeStyle {
    /// `2024-05-01T12:00:00.123Z`: UTC, the digits of `--time-precision`.
    #[default]
    Z,
    /// `2024-05-01T12:00:00.123000000+00:00`: nine digits and an offset.
    NanosOffset,
}

#[derive(Debug, Clone)]
#[cfg_attr(feature = "cli", derive(Args))]
pub struct EmulatorOptions {
    /// Jobs generated in each region's data set.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 2000, value_name = "N"))]
    pub jobs: usize,
    /// Seed of the data set and of fault injection: the same seed gives the same jobs.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 42, value_name = "S"))]
    pub seed: u64,
    /// Stop the lifecycle clock: statuses and arrivals stay put (for exact tests).
    #[cfg_attr(feature = "cli", arg(long))]
    pub frozen: bool,
    /// How much faster than life the lifecycle runs: at 60, a copy of half an
    /// hour takes 30 s and arrivals come 60 times as often.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 1.0, value_name = "X", value_parser = positive_f64))]
    pub speed: f64,
    /// New jobs per (virtual) minute in each region; 0 for none.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 1.0, value_name = "R", value_parser = non_negative_f64))]
    pub arrival_rate: f64,
    /// Regions that have jobs (comma-separated). Unset: every region has its own
    /// data set, made on first use; set: other regions are empty.
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', value_name = "REGION,…", value_parser = region))]
    pub regions: Vec<String>,
    /// Mix in the text real data can hold, each only where the service
    /// model allows it: CJK, emoji, right-to-left, zero-width and control
    /// characters and 2,048 characters in failure messages; tabs, line
    /// breaks, 128-character keys, 256-character and empty values in tags
    /// (which are ASCII); 63-character names.
    #[cfg_attr(feature = "cli", arg(long))]
    pub odd_data: bool,
    /// Regions the caller may not use (comma-separated): every request signed
    /// for one of them is refused with AccessDeniedException, as an SCP that
    /// limits regions would, so a client's handling of it can be tried.
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', value_name = "REGION,…", value_parser = region))]
    pub deny_regions: Vec<String>,
    /// Accounts whose models the caller may not read (comma-separated 12-digit
    /// ids): CreateModelCopyJob from one of their models is refused with
    /// AccessDeniedException, as when the owner shares nothing with the
    /// caller, so a client's handling of a cross-account refusal can be tried.
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', value_name = "ACCOUNT,…", value_parser = account))]
    pub deny_source_accounts: Vec<String>,
    /// Verify SigV4 signatures against this key pair instead of accepting any
    /// well-formed signature.
    #[cfg_attr(feature = "cli", arg(long, value_name = "AKID:SECRET", value_parser = credentials))]
    pub credentials: Option<(String, String)>,
    /// Share of requests answered 429 ThrottlingException (0..1).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability))]
    pub throttle_rate: f64,
    /// Share of requests answered 500 InternalServerException (0..1).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability))]
    pub error_rate: f64,
    /// Added latency per request: fixed (`200`) or a range (`50..500`), in milliseconds.
    #[cfg_attr(feature = "cli", arg(long, value_name = "MS|MIN..MAX", value_parser = latency))]
    pub latency: Option<(u64, u64)>,
    /// Share of responses whose connection is closed mid-body (0..1).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability))]
    pub drop_rate: f64,
    /// Start the clock at this instant (RFC 3339) instead of now, for exact tests.
    #[cfg_attr(feature = "cli", arg(long, value_name = "RFC3339", value_parser = instant))]
    pub now: Option<i64>,
    /// Whether creationTimeAfter/creationTimeBefore include a job created
    /// exactly at the bound (the API reference does not say).
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = TimeBounds::Exclusive, help_heading = "The service's open questions"))]
    pub time_bounds: TimeBounds,
    /// Precision of creationTime on the wire and in the data: `s` (several
    /// jobs share a second), `ms`, or `us` (digits a millisecond bound cannot
    /// express). The same jobs whatever it is.
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = TimePrecision::Ms, help_heading = "The service's open questions"))]
    pub time_precision: TimePrecision,
    /// Order of jobs with the same creationTime: `stable` (by job id) or
    /// `unstable` (drawn anew for each answer; nextTokens stay valid).
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = TieOrder::Stable, help_heading = "The service's open questions"))]
    pub tie_order: TieOrder,
    /// Eventual consistency: a new job is listed only this long after its
    /// creationTime (a created job exactly this long, an arrival between 0
    /// and this long, drawn from the seed, so a job can be listed below jobs
    /// already seen). GetModelCopyJob finds it at once.
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 0.0, value_name = "SECONDS", value_parser = non_negative_f64, help_heading = "The service's open questions"))]
    pub list_lag: f64,
    /// A nextToken this old is refused with ValidationException as expired
    /// (0 refuses every token). Unset: tokens never expire.
    #[cfg_attr(feature = "cli", arg(long, value_name = "SECONDS", value_parser = non_negative_f64, help_heading = "The service's open questions"))]
    pub token_ttl: Option<f64>,
    /// A clientRequestToken reused this long after its first create starts a
    /// new job. Unset: remembered for ever.
    #[cfg_attr(feature = "cli", arg(long, value_name = "SECONDS", value_parser = non_negative_f64, help_heading = "The service's open questions"))]
    pub idempotency_window: Option<f64>,
    /// List by creation time in the order asked (`created`, as documented)
    /// or by job ARN whatever sortBy/sortOrder say (`arn`).
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = ListOrder::Created, help_heading = "A service that breaks the API's promises"))]
    pub list_order: ListOrder,
    /// ListModelCopyJobs filters to ignore (comma-separated): time, status,
    /// name, account, source.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_enum,
            value_delimiter = ',',
            value_name = "FILTER,…",
            help_heading = "A service that breaks the API's promises"
        )
    )]
    pub ignore_filters: Vec<Ignored>,
    /// Job ids of 12 characters (`short`, botocore's pattern) or UUIDs (`uuid`).
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = JobIds::Short, help_heading = "A service that breaks the API's promises"))]
    pub job_ids: JobIds,
    /// creationTime as `…56.789Z` (`z`) or `…56.789000000+00:00` (`nanos-offset`).
    #[cfg_attr(feature = "cli", arg(long, value_enum, default_value_t = TimeStyle::Z, help_heading = "A service that breaks the API's promises"))]
    pub time_style: TimeStyle,
    /// Play an organisation: the caller's account is the management account
    /// of N member accounts, each with its own name, id and data set, reached
    /// through STS AssumeRole, Organizations ListAccounts and the IAM Identity
    /// Center portal on this same port. 0: one account, as before.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            default_value_t = 0,
            value_name = "N",
            help_heading = "An organisation"
        )
    )]
    pub org_size: usize,
    /// Every Kth member account is SUSPENDED (its roles cannot be assumed);
    /// 0 for none.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            default_value_t = 10,
            value_name = "K",
            help_heading = "An organisation"
        )
    )]
    pub org_suspended_every: usize,
    /// Member accounts whose role may not be assumed (comma-separated 12-digit
    /// ids, as ListAccounts gives them): AssumeRole is refused with
    /// AccessDenied and Identity Center lists no role there, as when the
    /// role is missing.
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', value_name = "ACCOUNT,…", value_parser = account, help_heading = "An organisation"))]
    pub org_deny_role: Vec<String>,
    /// Regions a service control policy denies in one account
    /// (comma-separated ACCOUNT:REGION): Bedrock calls signed by that
    /// account's credentials for that region get AccessDeniedException.
    #[cfg_attr(feature = "cli", arg(long, value_delimiter = ',', value_name = "ACCOUNT:REGION,…", value_parser = account_region, help_heading = "An organisation"))]
    pub org_deny_regions: Vec<(String, String)>,
    /// The role names the organisation's accounts have (comma-separated).
    /// Unset: AssumeRole accepts any name, and Identity Center lists
    /// AdministratorAccess and ReadOnlyAccess.
    #[cfg_attr(
        feature = "cli",
        arg(
            long,
            value_delimiter = ',',
            value_name = "ROLE,…",
            help_heading = "An organisation"
        )
    )]
    pub org_roles: Vec<String>,
    /// How long credentials from AssumeRole and GetRoleCredentials last, in
    /// seconds of the endpoint's clock (a shorter DurationSeconds shortens them).
    #[cfg_attr(feature = "cli", arg(long, default_value_t = 3600, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..), help_heading = "An organisation"))]
    pub credential_lifetime: u64,
    /// An IAM Identity Center access token the portal accepts for 8 hours of
    /// the endpoint's clock, reaching every ACTIVE account with every role
    /// (repeatable; `POST /_emulator/sso-token` registers more).
    #[cfg_attr(
        feature = "cli",
        arg(long, value_name = "TOKEN", help_heading = "An organisation")
    )]
    pub sso_token: Vec<String>,
    /// All four at once, as a thin emulator answers: listed by job ARN, every
    /// filter ignored, UUID job ids, times with nanoseconds and an offset.
    #[cfg_attr(
        feature = "cli",
        arg(long, help_heading = "A service that breaks the API's promises")
    )]
    pub thin: bool,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        EmulatorOptions {
            jobs: 2000,
            seed: 42,
            frozen: false,
            speed: 1.0,
            arrival_rate: 1.0,
            regions: Vec::new(),
            deny_regions: Vec::new(),
            deny_source_accounts: Vec::new(),
            odd_data: false,
            credentials: None,
            throttle_rate: 0.0,
            error_rate: 0.0,
            latency: None,
            drop_rate: 0.0,
            now: None,
            time_bounds: TimeBounds::Exclusive,
            time_precision: TimePrecision::Ms,
            tie_order: TieOrder::Stable,
            list_lag: 0.0,
            token_ttl: None,
            idempotency_window: None,
            list_order: ListOrder::Created,
            ignore_filters: Vec::new(),
            job_ids: JobIds::Short,
            time_style: TimeStyle::Z,
            thin: false,
            org_size: 0,
            org_suspended_every: 10,
            org_deny_role: Vec::new(),
            org_deny_regions: Vec::new(),
            org_roles: Vec::new(),
            credential_lifetime: 3600,
            sso_token: Vec::new(),
        }
    }
}

impl EmulatorOptions {
    /// `--thin` spelt out: the options it stands for set, itself cleared.
    pub fn resolved(mut self) -> Self {
        if std::mem::take(&mut self.thin) {
            self.list_order = ListOrder::Arn;
            self.ignore_filters = vec![
                Ignored::Time,
                Ignored::Status,
                Ignored::Name,
                Ignored::Account,
                Ignored::Source,
            ];
            self.job_ids = JobIds::Uuid;
            self.time_style = TimeStyle::NanosOffset;
        }
        self
    }

    pub fn ignores(&self, filter: Ignored) -> bool {
        self.ignore_filters.contains(&filter)
    }

    pub fn denies(&self, region: &str) -> bool {
        self.deny_regions.iter().any(|r| r == region)
    }

    /// Whether models of `account` are out of the caller's reach. Foundation
    /// models have no account in their ARN (`""`): never denied.
    pub fn denies_source_account(&self, account: &str) -> bool {
        self.deny_source_accounts.iter().any(|a| a == account)
    }

    /// `--list-lag` in microseconds.
    pub fn list_lag_us(&self) -> i64 {
        seconds_to(self.list_lag, 1e6)
    }

    /// `--token-ttl` in milliseconds.
    pub fn token_ttl_ms(&self) -> Option<i64> {
        self.token_ttl.map(|s| seconds_to(s, 1e3))
    }

    /// `--idempotency-window` in milliseconds.
    pub fn idempotency_window_ms(&self) -> Option<i64> {
        self.idempotency_window.map(|s| seconds_to(s, 1e3))
    }
}

/// Seconds in units of `per_second`; float casts saturate, so a huge value
/// means "for ever" rather than wrapping round.
fn seconds_to(seconds: f64, per_second: f64) -> i64 {
    (seconds * per_second).round() as i64
}

#[cfg(feature = "cli")]
fn positive_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("'{s}' is not a positive number")),
    }
}

#[cfg(feature = "cli")]
fn non_negative_f64(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v >= 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("'{s}' is not a number of 0 or more")),
    }
}

#[cfg(feature = "cli")]
fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "'{s}' is not a probability between 0 and 1 (e.g. 0.05 for 5%)"
        )),
    }
}

#[cfg(feature = "cli")]
fn region(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 20
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("'{s}' is not a region name like us-east-1"))
    }
}

#[cfg(feature = "cli")]
fn account(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err(format!("'{s}' is not a 12-digit AWS account id"))
    }
}

#[cfg(feature = "cli")]
fn account_region(s: &str) -> Result<(String, String), String> {
    let (a, r) = s
        .split_once(':')
        .ok_or_else(|| format!("'{s}' is not ACCOUNT:REGION like 111122223333:eu-west-1"))?;
    Ok((account(a)?, region(r)?))
}

#[cfg(feature = "cli")]
fn credentials(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((a, k)) if !a.is_empty() && !k.is_empty() => Ok((a.to_string(), k.to_string())),
        _ => Err("expected ACCESS_KEY_ID:SECRET_ACCESS_KEY".to_string()),
    }
}

#[cfg(feature = "cli")]
fn latency(s: &str) -> Result<(u64, u64), String> {
    let parse = |v: &str| {
        v.trim()
            .parse::<u64>()
            .map_err(|_| format!("'{s}' is not MS or MIN..MAX in milliseconds"))
    };
    match s.split_once("..") {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if a <= b {
                Ok((a, b))
            } else {
                Err(format!("'{s}': MIN must not exceed MAX"))
            }
        }
        None => parse(s).map(|v| (v, v)),
    }
}

#[cfg(feature = "cli")]
fn instant(s: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .map_err(|e| format!("'{s}' is not an RFC 3339 time like 2025-06-01T12:00:00Z ({e})"))
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::*;

    #[test]
    fn option_values_are_checked() {
        assert_eq!(latency("200"), Ok((200, 200)));
        assert_eq!(latency("50..500"), Ok((50, 500)));
        assert!(latency("500..50").is_err());
        assert!(probability("1.5").is_err());
        assert_eq!(
            credentials("AK:SE:CRET"),
            Ok(("AK".into(), "SE:CRET".into()))
        );
        assert!(credentials("nocolon").is_err());
        assert!(region("US-EAST-1").is_err());
        assert_eq!(account("123456789012"), Ok("123456789012".into()));
        assert!(account("12345678901").is_err());
        assert!(account("12345678901a").is_err());
        assert_eq!(instant("2025-06-01T12:00:00Z"), Ok(1_748_779_200_000));
        assert_eq!(
            account_region("123456789012:eu-west-1"),
            Ok(("123456789012".into(), "eu-west-1".into()))
        );
        assert!(account_region("123456789012").is_err());
        assert!(account_region("1234:eu-west-1").is_err());
    }
}
