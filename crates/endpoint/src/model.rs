//! The emulator's record of a copy job, and its JSON form on the wire.
//!
//! A stored [`Job`] is kept small (the endpoint must hold a million of them):
//! everything a filter needs is stored, everything only a response needs is
//! derived on demand from the job's seed (see [`super::dataset`]).

use super::options::{JobIds, TimePrecision, TimeStyle};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The three statuses the service model knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    InProgress,
    Completed,
    Failed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::InProgress, Status::Completed, Status::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "InProgress",
            Status::Completed => "Completed",
            Status::Failed => "Failed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// Twelve characters of `[a-z0-9]`: the id of a job or of a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShortId(pub [u8; 12]);

impl ShortId {
    pub const ALPHABET: &'static [u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

    pub fn from_u64(mut v: u64) -> ShortId {
        let mut out = [b'a'; 12];
        for b in out.iter_mut().rev() {
            *b = Self::ALPHABET[(v % 36) as usize];
            v /= 36;
        }
        ShortId(out)
    }

    pub fn parse(s: &str) -> Option<ShortId> {
        let bytes: [u8; 12] = s.as_bytes().try_into().ok()?;
        bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            .then_some(ShortId(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII alphanumerics.
        std::str::from_utf8(&self.0).unwrap_or("????????????")
    }

    /// The id as a job ARN ends under `--job-ids`.
    pub fn shown(&self, ids: JobIds) -> ShownId {
        ShownId { id: *self, ids }
    }

    /// The id a job ARN's last part names under `--job-ids`.
    pub fn parse_shown(s: &str, ids: JobIds) -> Option<ShortId> {
        match ids {
            JobIds::Short => ShortId::parse(s),
            JobIds::Uuid => {
                let hex: String = s.chars().filter(|c| *c != '-').collect();
                if s.len() != 36 || hex.len() != 32 {
                    return None;
                }
                let bytes: Vec<u8> = (0..16)
                    .map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok())
                    .collect::<Option<_>>()?;
                let id = ShortId::parse(std::str::from_utf8(&bytes[4..]).ok()?)?;
                (bytes[..4] == uuid_salt(&id)).then_some(id)
            }
        }
    }
}

/// Four bytes of the id's hash: a UUID made of an id is not the id in hex
/// alone (it would read as one), and a forged one is rarely taken.
fn uuid_salt(id: &ShortId) -> [u8; 4] {
    let h = super::dataset::fnv(&id.0);
    [(h >> 24) as u8, (h >> 16) as u8, (h >> 8) as u8, h as u8]
}

/// A job id as the ARN shows it: the id itself, or a UUID that carries it
/// (so GetModelCopyJob finds the job again without a table).
#[derive(Debug, Clone, Copy)]
pub struct ShownId {
    id: ShortId,
    ids: JobIds,
}

impl std::fmt::Display for ShownId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ids {
            JobIds::Short => f.write_str(self.id.as_str()),
            JobIds::Uuid => {
                let mut hex = String::with_capacity(32);
                for b in uuid_salt(&self.id).iter().chain(self.id.0.iter()) {
                    hex.push_str(&format!("{b:02x}"));
                }
                write!(
                    f,
                    "{}-{}-{}-{}-{}",
                    &hex[..8],
                    &hex[8..12],
                    &hex[12..16],
                    &hex[16..20],
                    &hex[20..]
                )
            }
        }
    }
}

/// A tag. Generated tags mostly borrow static text: a response builds a
/// thousand jobs' tags at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    pub key: Cow<'static, str>,
    pub value: Cow<'static, str>,
}

/// Fields of a job that only responses need. Generated jobs rebuild these from
/// their seed; jobs made by CreateModelCopyJob store them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extras {
    pub kms_key_arn: Option<String>,
    pub tags: Vec<Tag>,
    /// Index into the failure-message templates, used only when the job fails.
    pub failure_kind: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    Generated(u64),
    Created(Box<Extras>),
}

/// One stored job. The sort key is `(created_us, id)`, which never changes,
/// so a pagination cursor stays valid while statuses move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub id: ShortId,
    /// Creation time in microseconds, already cut to `--time-precision`.
    pub created_us: i64,
    /// Virtual time at which the job leaves InProgress.
    pub ends_ms: i64,
    /// What it becomes then.
    pub outcome: Status,
    /// Index into the region's source-model table.
    pub source: u32,
    pub target_id: ShortId,
    pub target_name: Box<str>,
    pub detail: Detail,
}

impl Job {
    pub fn key(&self) -> (i64, ShortId) {
        (self.created_us, self.id)
    }

    /// The status is a pure function of the virtual clock: no background task
    /// has to walk a million jobs to move them along.
    pub fn status_at(&self, now_ms: i64) -> Status {
        if now_ms >= self.ends_ms {
            self.outcome
        } else {
            Status::InProgress
        }
    }
}

/// A model a job can copy from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceModel {
    pub arn: String,
    /// Absent for foundation models, whose ids do not fit CustomModelName.
    pub name: Option<String>,
    pub account: String,
    /// The `custom-model/<base>/` part the copy carries over (`imported` or
    /// `provider.model[:version…]`).
    pub base: String,
}

/// `ModelCopyJobSummary`, and the body of GetModelCopyJob, field for field:
/// what a client reads back (responses are written by `store::Summary`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    pub job_arn: String,
    pub status: String,
    pub creation_time: String,
    pub target_model_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_model_name: Option<String>,
    pub source_account_id: String,
    pub source_model_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_model_kms_key_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_model_tags: Option<Vec<Tag>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_model_name: Option<String>,
}

/// Timestamps as the service writes them: RFC 3339 in UTC, with as many
/// fractional digits as `--time-precision` has (3 for milliseconds, 6 for
/// microseconds), and none when they are all zero. A `Display`, so responses
/// write it straight into the JSON.
#[derive(Debug, Clone, Copy)]
pub struct Rfc3339 {
    pub us: i64,
    pub precision: TimePrecision,
}

/// `creationTime` as `--time-style` writes it.
pub struct CreationTime {
    pub us: i64,
    pub precision: TimePrecision,
    pub style: TimeStyle,
}

impl std::fmt::Display for CreationTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{TimeZone, Utc};
        match self.style {
            TimeStyle::Z => Rfc3339 {
                us: self.us,
                precision: self.precision,
            }
            .fmt(f),
            TimeStyle::NanosOffset => {
                let us = self.precision.truncate(self.us);
                let (secs, frac) = (us.div_euclid(1_000_000), us.rem_euclid(1_000_000));
                let t = Utc.timestamp_opt(secs, 0).single().unwrap_or_default();
                write!(f, "{}.{frac:06}000+00:00", t.format("%Y-%m-%dT%H:%M:%S"))
            }
        }
    }
}

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::{TimeZone, Utc};
        let us = self.precision.truncate(self.us);
        let (secs, frac) = (us.div_euclid(1_000_000), us.rem_euclid(1_000_000));
        let t = Utc.timestamp_opt(secs, 0).single().unwrap_or_default();
        write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S"))?;
        match self.precision.digits() {
            _ if frac == 0 => {}
            3 => write!(f, ".{:03}", frac / 1000)?,
            _ => write!(f, ".{frac:06}")?,
        }
        f.write_str("Z")
    }
}

/// A millisecond instant as the endpoint writes it by default.
pub fn format_time(ms: i64) -> String {
    Rfc3339 {
        us: ms.saturating_mul(1000),
        precision: TimePrecision::Ms,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_twelve_lowercase_alphanumerics() {
        for v in [0, 1, 35, 36, u64::MAX, 123_456_789] {
            let id = ShortId::from_u64(v);
            assert_eq!(ShortId::parse(id.as_str()), Some(id));
        }
        assert_eq!(ShortId::parse("ABCDEFGHIJKL"), None);
        assert_eq!(ShortId::parse("abc"), None);
    }

    #[test]
    fn times_drop_zero_fractions() {
        assert_eq!(format_time(1_714_564_800_000), "2024-05-01T12:00:00Z");
        assert_eq!(format_time(1_714_564_800_123), "2024-05-01T12:00:00.123Z");
    }

    #[test]
    fn times_carry_the_digits_of_their_precision() {
        let at = |us, precision| Rfc3339 { us, precision }.to_string();
        let us = 1_714_564_856_789_123;
        assert_eq!(at(us, TimePrecision::S), "2024-05-01T12:00:56Z");
        assert_eq!(at(us, TimePrecision::Ms), "2024-05-01T12:00:56.789Z");
        assert_eq!(at(us, TimePrecision::Us), "2024-05-01T12:00:56.789123Z");
        assert_eq!(
            at(1_714_564_856_000_100, TimePrecision::Us),
            "2024-05-01T12:00:56.000100Z"
        );
        assert_eq!(
            at(1_714_564_856_000_000, TimePrecision::Us),
            "2024-05-01T12:00:56Z"
        );
        // Before 1970 the fraction still counts forwards from the second.
        assert_eq!(at(-1, TimePrecision::Us), "1969-12-31T23:59:59.999999Z");
    }
}
