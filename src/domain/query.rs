//! What the user asks to see: the one filter type, how typed text becomes one,
//! and how times are read and written.
//!
//! The dashboard's filter panes, its header chips and the headless commands
//! all go through here, so a mistake is worded the same way wherever it is
//! made, and names the same constraint the service would have refused it by.

use crate::domain::constraints::{self, Violations};
use crate::domain::job::Status;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Newest first is what people open a job list for: what just happened.
    #[default]
    NewestFirst,
    OldestFirst,
}

impl Sort {
    pub fn toggled(self) -> Sort {
        match self {
            Sort::NewestFirst => Sort::OldestFirst,
            Sort::OldestFirst => Sort::NewestFirst,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::NewestFirst => "newest first",
            Sort::OldestFirst => "oldest first",
        }
    }

    /// The service sorts by creation time only, so the direction is all there is.
    pub fn to_sdk(self) -> aws_sdk_bedrock::types::SortOrder {
        match self {
            Sort::NewestFirst => aws_sdk_bedrock::types::SortOrder::Descending,
            Sort::OldestFirst => aws_sdk_bedrock::types::SortOrder::Ascending,
        }
    }
}

/// A validated filter: every value here is one the service accepts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Never `Status::Unknown`: the service only filters by the statuses it
    /// documents.
    pub status: Option<Status>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub name_contains: Option<String>,
    pub source_account: Option<String>,
    pub source_model_arn: Option<String>,
    pub sort: Sort,
}

impl Filter {
    pub fn is_default(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether a job created at `t` lies strictly between the bounds: what
    /// "created after" and "created before" mean here, whether or not the
    /// service includes a job created exactly at a bound.
    pub fn within_bounds(&self, t: DateTime<Utc>) -> bool {
        self.created_after.is_none_or(|a| t > a) && self.created_before.is_none_or(|b| t < b)
    }

    /// Short labels for the header, e.g. `["status=Failed", "after 2025-06-01
    /// 12:00", "name~fraud", "account=123456789012", "source=…/abc123def456",
    /// "oldest first"]`, times in `tz` to the minute: the header has room for
    /// a reminder, not the whole filter.
    pub fn chips(&self, tz: &FixedOffset) -> Vec<String> {
        let mut chips = Vec::new();
        if let Some(s) = &self.status {
            chips.push(format!("status={}", s.as_str()));
        }
        if let Some(t) = self.created_after {
            chips.push(format!(
                "after {}",
                t.with_timezone(tz).format("%Y-%m-%d %H:%M")
            ));
        }
        if let Some(t) = self.created_before {
            chips.push(format!(
                "before {}",
                t.with_timezone(tz).format("%Y-%m-%d %H:%M")
            ));
        }
        if let Some(n) = &self.name_contains {
            chips.push(format!("name~{n}"));
        }
        if let Some(a) = &self.source_account {
            chips.push(format!("account={a}"));
        }
        if let Some(arn) = &self.source_model_arn {
            // The model's id (or foundation model name) tells ARNs apart;
            // the prefix is the same for all of them.
            match arn.rsplit_once('/') {
                Some((_, last)) => chips.push(format!("source=…/{last}")),
                None => chips.push(format!("source={arn}")),
            }
        }
        if self.sort != Sort::NewestFirst {
            chips.push(self.sort.label().to_string());
        }
        chips
    }

    /// One key press steps through the statuses, so the commonest filter
    /// needs no pane at all.
    pub fn next_status(&self) -> Filter {
        Filter {
            status: step_status(&self.status, true),
            ..self.clone()
        }
    }
}

/// Any, then each known status, then Any again. A status outside the cycle
/// (an unknown one, which a filter should never hold) counts as Any.
pub(crate) fn step_status(current: &Option<Status>, forward: bool) -> Option<Status> {
    let cycle: [Option<Status>; 4] = [
        None,
        Some(Status::InProgress),
        Some(Status::Completed),
        Some(Status::Failed),
    ];
    let i = cycle.iter().position(|s| s == current).unwrap_or(0);
    let next = if forward { (i + 1) % 4 } else { (i + 3) % 4 };
    cycle[next].clone()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Status,
    CreatedAfter,
    CreatedBefore,
    Name,
    SourceAccount,
    SourceModelArn,
    Sort,
}

impl Field {
    /// In the order the panes show them.
    pub const ALL: [Field; 7] = [
        Field::Status,
        Field::CreatedAfter,
        Field::CreatedBefore,
        Field::Name,
        Field::SourceAccount,
        Field::SourceModelArn,
        Field::Sort,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::Status => "Status",
            Field::CreatedAfter => "Created after",
            Field::CreatedBefore => "Created before",
            Field::Name => "Name contains",
            Field::SourceAccount => "Source account",
            Field::SourceModelArn => "Source model ARN",
            Field::Sort => "Sort",
        }
    }
}

/// A typed time: blank is no bound. Errors say what is wrong, not where:
/// each layer names the field its own way.
pub(crate) fn time_value(
    text: &str,
    now: DateTime<Utc>,
    tz: &FixedOffset,
) -> Result<Option<DateTime<Utc>>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_time(text, now, tz).map(Some)
}

const NAME_RULE: &str = "up to 63 letters, digits, '-' or '_', no two '-'/'_' in a row";
const ACCOUNT_RULE: &str = "12 digits";
const ARN_RULE: &str =
    "arn:aws:bedrock:REGION:ACCOUNT:custom-model/… or arn:aws:bedrock:REGION::foundation-model/…";

/// A typed filter field: blank means no filter; otherwise `check` must pass
/// (it records into a `Violations`, with the wire member name, so a failed
/// check here is the same check the service would have failed) or `why` says
/// what is wrong.
fn check_text(
    text: &str,
    check: impl FnOnce(&mut Violations, &str) -> bool,
    why: impl FnOnce() -> String,
) -> Result<Option<String>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if check(&mut Violations::default(), text) {
        Ok(Some(text.to_string()))
    } else {
        Err(why())
    }
}

/// A typed "name contains": blank is no filter; the problem unlabelled.
pub(crate) fn name_value(text: &str) -> Result<Option<String>, String> {
    check_text(
        text,
        |v, t| {
            v.string(
                "outputModelNameContains",
                t,
                1,
                63,
                constraints::CUSTOM_MODEL_NAME,
            )
        },
        || format!("{NAME_RULE} (pattern {})", constraints::CUSTOM_MODEL_NAME),
    )
}

/// A typed source account: blank is no filter; the problem unlabelled.
pub(crate) fn account_value(text: &str) -> Result<Option<String>, String> {
    check_text(
        text,
        |v, t| v.pattern("sourceAccountEquals", t, constraints::ACCOUNT_ID),
        || ACCOUNT_RULE.to_string(),
    )
}

/// A typed source model ARN: blank is no filter; the problem unlabelled.
pub(crate) fn model_arn_value(text: &str) -> Result<Option<String>, String> {
    check_text(
        text,
        |v, t| v.string("sourceModelArnEquals", t, 20, 1011, constraints::MODEL_ARN),
        // The pattern itself is ~300 characters of regex: the shape says more.
        || format!("expected {ARN_RULE} (ModelArn, 20–1011 characters)"),
    )
}

/// How the user's text is quoted back: short and with no control characters,
/// as it lands in a one-line pane or a terminal. Every parser of typed text
/// quotes with it, so a refusal never carries a newline or an escape.
pub fn echo(s: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = s
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().count() > MAX {
        out.push('…');
    }
    out
}

/// Coarse on purpose: the exact instant is printed right beside it.
pub(crate) fn relative_words(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let d = now.signed_duration_since(t);
    let secs = d.num_seconds();
    let abs = secs.unsigned_abs();
    if abs == 0 {
        return "now".to_string();
    }
    let (n, unit) = if abs < 60 {
        (abs, "second")
    } else if abs < 3600 {
        (abs / 60, "minute")
    } else if abs < 86_400 {
        (abs / 3600, "hour")
    } else {
        (abs / 86_400, "day")
    };
    let plural = if n == 1 { "" } else { "s" };
    if secs > 0 {
        format!("{n} {unit}{plural} ago")
    } else {
        format!("in {n} {unit}{plural}")
    }
}

const TIME_FORMS: &str =
    "use 2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d (ago), today or yesterday";

/// Time input as people type it: RFC 3339 ("2025-06-01T12:00:00Z", with
/// offsets, fractional seconds), a date "2025-06-01" (midnight in tz),
/// "2025-06-01 14:30" / "2025-06-01T14:30" (in tz, optionally with seconds and
/// an offset), a span back from now ("90s", "30m", "2h", "7d", "2w", "1h 30m",
/// also "2h ago"), "now", "today" (midnight today in tz), "yesterday"
/// (midnight yesterday in tz). Case-insensitive, trimmed.
///
/// `now` and `tz` are parameters rather than read from the machine, so the
/// same text means the same instant in tests, panes and scripts alike.
pub fn parse_time(
    input: &str,
    now: DateTime<Utc>,
    tz: &FixedOffset,
) -> Result<DateTime<Utc>, String> {
    let t = parse_time_as_written(input, now, tz)?;
    without_leap_second(t).ok_or_else(|| too_far(input.trim()))
}

fn too_far(trimmed: &str) -> String {
    format!("'{}' is too far from now to be a time", echo(trimmed))
}

/// chrono reads "23:59:60" as a leap second, held as more than a billion
/// nanoseconds, which the SDK's timestamp panics on; the next second's
/// start is the same epoch time the wire would carry anyway.
fn without_leap_second(t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let nanos = t.timestamp_subsec_nanos();
    if nanos < 1_000_000_000 {
        return Some(t);
    }
    DateTime::from_timestamp(t.timestamp().checked_add(1)?, nanos - 1_000_000_000)
}

fn parse_time_as_written(
    input: &str,
    now: DateTime<Utc>,
    tz: &FixedOffset,
) -> Result<DateTime<Utc>, String> {
    let trimmed = input.trim();
    let lower = trimmed.to_lowercase();
    let upper = trimmed.to_uppercase();
    let not_a_time = || format!("'{}' is not a time: {TIME_FORMS}", echo(trimmed));
    let out_of_range = || too_far(trimmed);

    match lower.as_str() {
        "now" => return Ok(now),
        "today" => return midnight_days_back(now, tz, 0).ok_or_else(out_of_range),
        "yesterday" => return midnight_days_back(now, tz, 1).ok_or_else(out_of_range),
        _ => {}
    }
    if let Some(span) = parse_span(&lower) {
        return span
            .and_then(|d| now.checked_sub_signed(d))
            .ok_or_else(out_of_range);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&upper) {
        return Ok(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f %:z",
        "%Y-%m-%d %H:%M %:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(&upper, fmt) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(local) = NaiveDateTime::parse_from_str(&upper, fmt) {
            return local_to_utc(local, tz).ok_or_else(out_of_range);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(&upper, "%Y-%m-%d") {
        return local_to_utc(date.and_time(NaiveTime::MIN), tz).ok_or_else(out_of_range);
    }
    Err(not_a_time())
}

/// A fixed offset maps every local time to exactly one instant, unless the
/// result falls outside chrono's range.
fn local_to_utc(local: NaiveDateTime, tz: &FixedOffset) -> Option<DateTime<Utc>> {
    local
        .and_local_timezone(*tz)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

fn midnight_days_back(now: DateTime<Utc>, tz: &FixedOffset, days: u64) -> Option<DateTime<Utc>> {
    let today = now.with_timezone(tz).date_naive();
    let day = today.checked_sub_days(Days::new(days))?;
    local_to_utc(day.and_time(NaiveTime::MIN), tz)
}

/// A span back from now, as a sum of terms like "2h 30m", with an optional
/// trailing "ago". `None`: not a span at all; `Some(None)`: a span too large
/// to represent.
fn parse_span(lower: &str) -> Option<Option<TimeDelta>> {
    let body = lower.strip_suffix("ago").map_or(lower, str::trim_end);
    let mut rest = body.trim_start();
    let mut total = Some(TimeDelta::zero());
    let mut terms = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let (number, tail) = rest.split_at(digits);
        let tail = tail.trim_start();
        let letters = tail
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(letters);
        let unit_secs: i64 = match unit {
            "s" | "sec" | "secs" | "second" | "seconds" => 1,
            "m" | "min" | "mins" | "minute" | "minutes" => 60,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "wk" | "wks" | "week" | "weeks" => 7 * 86_400,
            _ => return None,
        };
        total = total.and_then(|t| {
            let n: i64 = number.parse().ok()?;
            let d = TimeDelta::try_seconds(n.checked_mul(unit_secs)?)?;
            t.checked_add(&d)
        });
        terms += 1;
        rest = tail.trim_start();
    }
    (terms > 0).then_some(total)
}

/// "3m", "2h 5m", "4d 3h": two units at most, so an age column stays narrow.
/// A negative span (a clock skewed against the service's) reads as "0s".
pub fn human_duration(d: TimeDelta) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    let pair = |big: i64, bu: &str, small: i64, su: &str| {
        if small == 0 {
            format!("{big}{bu}")
        } else {
            format!("{big}{bu} {small}{su}")
        }
    };
    if days > 0 {
        pair(days, "d", hours, "h")
    } else if hours > 0 {
        pair(hours, "h", mins, "m")
    } else if mins > 0 {
        format!("{mins}m")
    } else {
        format!("{secs}s")
    }
}

/// A measured duration, for a figure a person compares ("p90 1m 28s"):
/// to the second under an hour, to the nearest minute above it.
/// [`human_duration`] cuts (88 s reads "1m"), which suits an age, not this.
pub fn measured_duration(d: TimeDelta) -> String {
    let secs = (d.num_milliseconds().max(0) + 500) / 1000;
    if secs < 3600 {
        let (mins, rest) = (secs / 60, secs % 60);
        return match (mins, rest) {
            (0, s) => format!("{s}s"),
            (m, 0) => format!("{m}m"),
            (m, s) => format!("{m}m {s}s"),
        };
    }
    human_duration(TimeDelta::minutes((secs + 30) / 60))
}

/// What the tests of typed filters share: model ARNs, zones, a fixed now.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::{Filter, Sort};
    use crate::domain::job::Status;
    use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};

    pub const CUSTOM_ARN: &str = "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc123def456";
    pub const FOUNDATION_ARN: &str =
        "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";

    pub fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).expect("valid offset")
    }
    pub fn india() -> FixedOffset {
        FixedOffset::east_opt(5 * 3600 + 1800).expect("valid offset")
    }
    pub fn pacific() -> FixedOffset {
        FixedOffset::west_opt(8 * 3600).expect("valid offset")
    }
    pub fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("valid time")
    }
    /// 2025-06-15 21:00 UTC: already the 16th in India, still the 15th in
    /// California, so "today" differs by zone.
    pub fn now() -> DateTime<Utc> {
        at(2025, 6, 15, 21, 0, 0)
    }

    /// Every field set.
    pub fn full_filter() -> Filter {
        Filter {
            status: Some(Status::Failed),
            created_after: Some(at(2025, 6, 1, 12, 0, 0)),
            created_before: Some(at(2025, 6, 2, 0, 0, 0) + TimeDelta::nanoseconds(123_456_789)),
            name_contains: Some("fraud".into()),
            source_account: Some("123456789012".into()),
            source_model_arn: Some(CUSTOM_ARN.into()),
            sort: Sort::OldestFirst,
        }
    }
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
