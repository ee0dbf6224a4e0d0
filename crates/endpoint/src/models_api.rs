//! ListCustomModels and ListImportedModels on the wire: each request's
//! query validated as the service validates it, the models of
//! [`super::models`] filtered, ordered and paged by a signed cursor.

use super::api::{ApiError, Paging, Reply, cursor_of};
use super::catalogue::{CustomModel, ImportedModel};
use super::cursor::Cursor;
use super::dataset::fnv;
use super::emulator::Emulator;
use super::model::ShortId;
use super::models::{custom_models, custom_summary, fixed, imported_summary};
use super::options::TimeBounds;
use copyjobs_contract::{self as c, Violations};
use serde_json::json;

/// A validated ListCustomModels / ListImportedModels request.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Query {
    name_contains: Option<String>,
    base_arn: Option<String>,
    foundation_arn: Option<String>,
    owned: Option<bool>,
    status: Option<String>,
}

impl Query {
    fn fingerprint(&self, p: &Paging, operation: &str, region: &str) -> u64 {
        let text = format!(
            "{operation}|{region}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            p.after_us,
            p.before_us,
            self.name_contains.as_ref().map(|s| s.to_ascii_lowercase()),
            self.base_arn,
            self.foundation_arn,
            self.owned,
            self.status,
            p.ascending
        );
        fnv(text.as_bytes())
    }

    fn keeps(&self, p: &Paging, created_us: i64, name: &str) -> bool {
        p.after_us.is_none_or(|a| created_us > a)
            && p.before_us.is_none_or(|b| created_us < b)
            && self
                .name_contains
                .as_ref()
                .is_none_or(|n| name.to_ascii_lowercase().contains(&n.to_ascii_lowercase()))
    }
}

/// The model statuses a filter may ask for.
const MODEL_STATUSES: &[&str] = &["Active", "Creating", "Failed"];

/// Validates the query of either operation (`custom`: ListCustomModels'
/// own members are taken too; ListImportedModels ignores them, as the
/// service ignores parameters it does not know).
fn parse(raw: &str, bounds: TimeBounds, custom: bool) -> Result<(Query, Paging), Violations> {
    let mut q = Query::default();
    let paging = Paging::parse(raw, bounds, |v, key, value| match key {
        "nameContains" => {
            let pattern = if custom {
                c::CUSTOM_MODEL_NAME
            } else {
                c::IMPORTED_MODEL_NAME
            };
            let ok = v.string("nameContains", &value, 1, 63, pattern);
            q.name_contains = ok.then_some(value);
        }
        "baseModelArnEquals" if custom => {
            let ok = v.string("baseModelArnEquals", &value, 20, 1011, c::MODEL_ARN);
            q.base_arn = ok.then_some(value);
        }
        "foundationModelArnEquals" if custom => {
            let ok = v.pattern("foundationModelArnEquals", &value, c::FOUNDATION_MODEL_ARN);
            q.foundation_arn = ok.then_some(value);
        }
        "isOwned" if custom => match value.as_str() {
            "true" => q.owned = Some(true),
            "false" => q.owned = Some(false),
            _ => v.push("isOwned", value, "Member must be a boolean"),
        },
        "modelStatus" if custom => {
            let ok = v.one_of("modelStatus", &value, MODEL_STATUSES);
            q.status = ok.then_some(value);
        }
        _ => {}
    })?;
    Ok((q, paging))
}

/// One page of `rows` (each with its creation time and id) after the
/// token's row, in the order asked, and the token of the next.
fn page<T>(
    emu: &Emulator,
    mut rows: Vec<(i64, ShortId, T)>,
    q: &Paging,
    fingerprint: u64,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let now = emu.clock.now_ms();
    let cursor = cursor_of(emu, q.token.clone(), q.ascending, fingerprint, now)?;
    rows.sort_unstable_by_key(|r| (r.0, r.1));
    if !q.ascending {
        rows.reverse();
    }
    let start = cursor.map_or(0, |c| {
        let at = (c.created_us, c.id);
        rows.partition_point(|r| {
            if q.ascending {
                (r.0, r.1) <= at
            } else {
                (r.0, r.1) >= at
            }
        })
    });
    let rest = rows.len().saturating_sub(start);
    let taken: Vec<(i64, ShortId, T)> = rows.into_iter().skip(start).take(q.max_results).collect();
    let next = (rest > q.max_results)
        .then(|| taken.last())
        .flatten()
        .map(|(created_us, id, _)| {
            emu.codec.encode(&Cursor {
                ascending: q.ascending,
                created_us: *created_us,
                id: *id,
                tie_salt: 0,
                fingerprint,
                issued_ms: now,
            })
        });
    Ok((taken.into_iter().map(|r| r.2).collect(), next))
}

/// `creationTime` as the data set writes it.
pub fn list_custom_in(emu: &Emulator, account: &str, region: &str, raw: &str) -> Reply {
    let (q, p) = parse(raw, emu.options.time_bounds, true)?;
    let now = emu.clock.now_ms();
    let foundation_of = |m: &CustomModel| m.base_arn.contains(":foundation-model/");
    let rows: Vec<(i64, ShortId, CustomModel)> = custom_models(emu, account, region, now)
        .into_iter()
        // Every model listed is the account's own: none is shared with it.
        .filter(|_| q.owned != Some(false))
        .filter(|m| q.keeps(&p, m.created_us, &m.name))
        .filter(|m| q.base_arn.as_ref().is_none_or(|b| *b == m.base_arn))
        .filter(|m| {
            q.foundation_arn
                .as_ref()
                .is_none_or(|f| foundation_of(m) && *f == m.base_arn)
        })
        .filter(|m| q.status.as_ref().is_none_or(|s| *s == m.status))
        .map(|m| (m.created_us, m.id, m))
        .collect();
    let fingerprint = q.fingerprint(&p, "ListCustomModels", region);
    let (models, next) = page(emu, rows, &p, fingerprint)?;
    let mut body = json!({
        "modelSummaries": models.iter().map(|m| custom_summary(emu, m)).collect::<Vec<_>>(),
    });
    if let Some(t) = next {
        body["nextToken"] = json!(t);
    }
    Ok((200, body.to_string().into_bytes()))
}

/// ListImportedModels in `account`'s data set of `region`.
pub fn list_imported_in(emu: &Emulator, account: &str, region: &str, raw: &str) -> Reply {
    let (q, p) = parse(raw, emu.options.time_bounds, false)?;
    let fixed = fixed(emu, account, region);
    let rows: Vec<(i64, ShortId, &ImportedModel)> = fixed
        .imported
        .iter()
        .filter(|m| q.keeps(&p, m.created_us, &m.name))
        .map(|m| (m.created_us, m.id, m))
        .collect();
    let fingerprint = q.fingerprint(&p, "ListImportedModels", region);
    let (models, next) = page(emu, rows, &p, fingerprint)?;
    let mut body = json!({
        "modelSummaries": models.iter().map(|m| imported_summary(emu, m)).collect::<Vec<_>>(),
    });
    if let Some(t) = next {
        body["nextToken"] = json!(t);
    }
    Ok((200, body.to_string().into_bytes()))
}
