//! `history`: whether copyjobs keeps what it sees (`history = false` turns
//! it off) and for how long (`[history] keep_days`). One key takes both
//! shapes: the short switch for a person turning it off, the table for
//! the rest.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// Observations older than this many days are dropped (`history.keep_days`).
pub const DEFAULT_KEEP_DAYS: u32 = 180;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryDefaults {
    pub enabled: bool,
    /// Observations older than this many days are dropped.
    pub keep_days: u32,
}

impl Default for HistoryDefaults {
    fn default() -> HistoryDefaults {
        HistoryDefaults {
            enabled: true,
            keep_days: DEFAULT_KEEP_DAYS,
        }
    }
}

/// The table's shape, checked as every other table is (unknown keys told
/// with the nearest one).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct Table {
    enabled: bool,
    #[serde(deserialize_with = "keep_days")]
    keep_days: u32,
}

impl Default for Table {
    fn default() -> Table {
        let d = HistoryDefaults::default();
        Table {
            enabled: d.enabled,
            keep_days: d.keep_days,
        }
    }
}

/// Ten years: past that, a typo rather than a wish.
pub const MAX_KEEP_DAYS: u32 = 3650;

fn keep_days<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    u32::try_from(n)
        .ok()
        .filter(|n| (1..=MAX_KEEP_DAYS).contains(n))
        .ok_or_else(|| {
            de::Error::custom(format!(
                "keep_days is days from 1 to {MAX_KEEP_DAYS}, not {n}"
            ))
        })
}

impl<'de> Deserialize<'de> for HistoryDefaults {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HistoryDefaults, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = HistoryDefaults;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false, or a [history] table")
            }

            fn visit_bool<E: de::Error>(self, enabled: bool) -> Result<HistoryDefaults, E> {
                Ok(HistoryDefaults {
                    enabled,
                    ..HistoryDefaults::default()
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HistoryDefaults, A::Error> {
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(HistoryDefaults {
                    enabled: t.enabled,
                    keep_days: t.keep_days,
                })
            }
        }
        d.deserialize_any(Either)
    }
}
