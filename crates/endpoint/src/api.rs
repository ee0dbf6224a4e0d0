//! The four operations, from raw request parts to JSON, with the service's
//! validation and errors. No HTTP here: [`super::server`] does the wire.

use super::cursor::{Cursor, CursorError};
use super::emulator::Emulator;
use super::model::{ShortId, Status, Tag};
use super::options::TimeBounds;
use super::store::{CreateError, ListQuery, NewJob, summary};
use copyjobs_contract::copy_regions::{Guide, base_model, is_home};
use copyjobs_contract::{self as c, Violations};
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::json;

/// An error as the service sends it: HTTP status, `__type`, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    /// `resourceName` of TooManyTagsException.
    pub resource_name: Option<String>,
}

impl ApiError {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            resource_name: None,
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(400, "ValidationException", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "ResourceNotFoundException", message)
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(403, "AccessDeniedException", message)
    }

    pub fn body(&self) -> Vec<u8> {
        let mut v = json!({"__type": self.code, "message": self.message});
        if let Some(r) = &self.resource_name {
            v["resourceName"] = json!(r);
        }
        v.to_string().into_bytes()
    }
}

impl From<Violations> for ApiError {
    fn from(v: Violations) -> Self {
        ApiError::validation(v.to_string())
    }
}

/// A successful answer: status and JSON body.
pub type Reply = Result<(u16, Vec<u8>), ApiError>;

/// Query pairs, percent-decoded. `+` stays a plus: AWS clients encode spaces
/// as `%20`, and a literal `+` in a timestamp offset must survive.
pub fn query_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
            (dec(k), dec(v))
        })
        .collect()
}

/// Parses an RFC 3339 timestamp to nanoseconds since the epoch.
pub fn parse_timestamp(s: &str) -> Option<i128> {
    let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    Some(i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos()))
}

/// Nanoseconds to microseconds, rounded down or up.
fn micros(ns: i128, up: bool) -> i64 {
    let us = if up {
        ns.div_euclid(1000) + i128::from(ns.rem_euclid(1000) != 0)
    } else {
        ns.div_euclid(1000)
    };
    i64::try_from(us).unwrap_or(if us < 0 { i64::MIN } else { i64::MAX })
}

/// `creationTimeAfter` as the strict bound the store compares stored
/// microseconds with: exact at the request's full precision (the SDK sends up
/// to six fractional digits, RFC 3339 allows nine), whatever `bounds` says.
pub fn after_bound(ns: i128, bounds: TimeBounds) -> i64 {
    match bounds {
        // t*1000 > ns  <=>  t > floor(ns/1000)
        TimeBounds::Exclusive => micros(ns, false),
        // t*1000 >= ns  <=>  t > ceil(ns/1000) - 1
        TimeBounds::Inclusive => micros(ns, true).saturating_sub(1),
    }
}

/// `creationTimeBefore` as a strict bound in microseconds (see [`after_bound`]).
pub fn before_bound(ns: i128, bounds: TimeBounds) -> i64 {
    match bounds {
        // t*1000 < ns  <=>  t < ceil(ns/1000)
        TimeBounds::Exclusive => micros(ns, true),
        // t*1000 <= ns  <=>  t < floor(ns/1000) + 1
        TimeBounds::Inclusive => micros(ns, false).saturating_add(1),
    }
}

/// Validates a ListModelCopyJobs query string into a query and its token.
pub fn parse_list(
    raw_query: &str,
    bounds: TimeBounds,
) -> Result<(ListQuery, Option<String>), Violations> {
    let mut q = ListQuery::default();
    // A value that fails its check is recorded in `v` and the request
    // refused, so what it sets below never matters.
    let paging = Paging::parse(raw_query, bounds, |v, key, value| match key {
        "statusEquals" => {
            q.status = v
                .one_of("statusEquals", &value, c::STATUSES)
                .then(|| Status::parse(&value))
                .flatten();
        }
        "sourceAccountEquals" => {
            let ok = v.pattern("sourceAccountEquals", &value, c::ACCOUNT_ID);
            q.source_account = ok.then_some(value);
        }
        "sourceModelArnEquals" => {
            let ok = v.string("sourceModelArnEquals", &value, 20, 1011, c::MODEL_ARN);
            q.source_arn = ok.then_some(value);
        }
        "outputModelNameContains" => {
            let member = "targetModelNameContains";
            let ok = v.string(member, &value, 1, 63, c::CUSTOM_MODEL_NAME);
            q.name_contains = ok.then_some(value);
        }
        // The service ignores parameters it does not know.
        _ => {}
    })?;
    q.after_us = paging.after_us;
    q.before_us = paging.before_us;
    q.max_results = paging.max_results;
    q.ascending = paging.ascending;
    Ok((q, paging.token))
}

/// The members every listing takes alike: the time bounds (strict, in
/// microseconds, see [`after_bound`]), the page, the order, the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub after_us: Option<i64>,
    pub before_us: Option<i64>,
    pub max_results: usize,
    pub ascending: bool,
    pub token: Option<String>,
}

impl Paging {
    /// Validates a listing's query string: these members here, every
    /// other one handed to `other` (with the violations to add to); every
    /// violation found, or the paging asked for (100 a page by default).
    pub fn parse(
        raw: &str,
        bounds: TimeBounds,
        mut other: impl FnMut(&mut Violations, &str, String),
    ) -> Result<Paging, Violations> {
        let mut v = Violations::default();
        let mut p = Paging {
            after_us: None,
            before_us: None,
            max_results: 100,
            ascending: false,
            token: None,
        };
        for (key, value) in query_pairs(raw) {
            if !p.take(&mut v, &key, &value, bounds) {
                other(&mut v, &key, value);
            }
        }
        v.into_result().map(|()| p)
    }

    /// Takes `key` if it is one of these members: true when it was (its
    /// value checked into `v`; a refused one is never used).
    fn take(&mut self, v: &mut Violations, key: &str, value: &str, bounds: TimeBounds) -> bool {
        match key {
            "creationTimeAfter" | "creationTimeBefore" => match parse_timestamp(value) {
                Some(ns) if key == "creationTimeAfter" => {
                    self.after_us = Some(after_bound(ns, bounds))
                }
                Some(ns) => self.before_us = Some(before_bound(ns, bounds)),
                None => v.push(
                    key,
                    value,
                    "Member must be a timestamp in ISO 8601 format, e.g. 2024-01-01T00:00:00Z",
                ),
            },
            "maxResults" => match value.parse::<i64>() {
                Ok(n) => {
                    v.range("maxResults", n, c::MAX_RESULTS);
                    self.max_results = n.clamp(c::MAX_RESULTS.0, c::MAX_RESULTS.1) as usize;
                }
                Err(_) => v.push("maxResults", value, "Member must be an integer"),
            },
            "nextToken" => {
                let ok = v.string("nextToken", value, 1, 2048, c::PAGINATION_TOKEN);
                self.token = ok.then(|| value.to_string());
            }
            "sortBy" => {
                v.one_of("sortBy", value, c::SORT_BY);
            }
            "sortOrder" => {
                v.one_of("sortOrder", value, c::SORT_ORDERS);
                self.ascending = value == "Ascending";
            }
            _ => return false,
        }
        true
    }
}

/// A listing's `nextToken` as the cursor it stands for: refused (the
/// service's ValidationException) when garbled, of another query, or older
/// than `--token-ttl`.
pub fn cursor_of(
    emu: &Emulator,
    token: Option<String>,
    ascending: bool,
    fingerprint: u64,
    now_ms: i64,
) -> Result<Option<Cursor>, ApiError> {
    let ttl = emu.options.token_ttl_ms();
    token
        .map(|t| {
            emu.codec
                .decode(&t, ascending, fingerprint)
                .and_then(|c| {
                    if c.expired(now_ms, ttl) {
                        Err(CursorError::Expired)
                    } else {
                        Ok(c)
                    }
                })
                .map_err(|e| ApiError::validation(e.message()))
        })
        .transpose()
}

pub fn list(emu: &Emulator, region: &str, raw_query: &str) -> Reply {
    list_in(emu, &emu.account, region, raw_query)
}

/// ListModelCopyJobs of `account`'s data set (a member's, under `--org-size`).
pub fn list_in(emu: &Emulator, account: &str, region: &str, raw_query: &str) -> Reply {
    let (q, token) = parse_list(raw_query, emu.options.time_bounds)?;
    let q = super::thin::narrowed(&emu.options, q);
    if emu.options.list_order == super::options::ListOrder::Arn {
        let body = super::thin::list_by_arn(emu, account, region, &q, token)
            .map_err(|_| ApiError::validation("Invalid pagination token."))?;
        return Ok((200, body.to_string().into_bytes()));
    }
    let fingerprint = q.fingerprint(region);
    let now = emu.clock.now_ms();
    let cursor = cursor_of(emu, token, q.ascending, fingerprint, now)?;
    let view = emu.list_view(now);
    let store = emu.store_in(account, region);
    let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
    s.catch_up(now);
    // Written under the lock: borrowing the jobs beats copying a thousand
    // of them out, and a page takes about a millisecond.
    let page = s.page(&q, cursor.as_ref(), &view);
    let next_token = page.next.map(|r| {
        emu.codec.encode(&Cursor {
            ascending: q.ascending,
            created_us: r.created_us,
            id: r.id,
            tie_salt: r.tie_salt,
            fingerprint,
            issued_ms: now,
        })
    });
    let body = ListBody {
        model_copy_job_summaries: page
            .jobs
            .iter()
            .map(|j| summary(&s.profile, j, now))
            .collect(),
        next_token,
    };
    let mut out = Vec::with_capacity(1024 * body.model_copy_job_summaries.len() + 64);
    serde_json::to_writer(&mut out, &body)
        .map_err(|e| ApiError::new(500, "InternalServerException", e.to_string()))?;
    Ok((200, out))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ListBody<'a> {
    model_copy_job_summaries: Vec<super::store::Summary<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// `arn:…:REGION:ACCOUNT:model-copy-job/ID` -> its parts, once the pattern holds.
fn split_job_arn<'a>(emu: &Emulator, arn: &'a str) -> Option<(&'a str, &'a str, ShortId)> {
    let mut parts = arn.split(':');
    let region = parts.nth(3)?;
    let account = parts.next()?;
    let id = parts.next()?.strip_prefix("model-copy-job/")?;
    Some((region, account, super::thin::job_id(&emu.options, id)?))
}

pub fn get(emu: &Emulator, region: &str, raw_segment: &str) -> Reply {
    get_in(emu, &emu.account, region, raw_segment)
}

/// GetModelCopyJob in `account`'s data set.
pub fn get_in(emu: &Emulator, account: &str, region: &str, raw_segment: &str) -> Reply {
    let arn = percent_decode_str(raw_segment)
        .decode_utf8_lossy()
        .into_owned();
    let mut v = Violations::default();
    if super::thin::checks_arn_pattern(&emu.options) {
        v.string("jobArn", &arn, 0, 1011, c::JOB_ARN);
    }
    v.into_result()?;
    let now = emu.clock.now_ms();
    let store = emu.store_in(account, region);
    let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
    s.catch_up(now);
    let found = split_job_arn(emu, &arn)
        .filter(|(r, a, _)| *r == region && *a == s.profile.account)
        .and_then(|(_, _, id)| s.get(&id));
    match found {
        Some(job) => Ok((
            200,
            serde_json::to_vec(&summary(&s.profile, job, now)).unwrap_or_default(),
        )),
        None => Err(ApiError::not_found(format!(
            "The model copy job {arn} could not be found. Check the job ARN and the Region, then try again."
        ))),
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    source_model_arn: Option<String>,
    target_model_name: Option<String>,
    model_kms_key_id: Option<String>,
    target_model_tags: Option<Vec<Object<TagBody>>>,
    client_request_token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TagBody {
    key: Option<String>,
    value: Option<String>,
}

/// A structure as restJson1 writes it: a JSON object, and only that. A
/// derived `Deserialize` also takes an array of the fields in order, which
/// the service refuses as a body of the wrong shape.
#[derive(Debug)]
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Fields<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Fields(std::marker::PhantomData))
            .map(Object)
    }
}

fn parse_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body)
        .map(|Object(t)| t)
        .map_err(|e| {
            let mut err =
                ApiError::validation(format!("Unable to parse the request body as JSON: {e}"));
            err.code = "SerializationException";
            err
        })
}

fn required<'a>(v: &mut Violations, member: &str, value: Option<&'a String>) -> Option<&'a String> {
    if value.is_none() {
        v.push(member, "null", "Member must not be null");
    }
    value
}

pub fn create(emu: &Emulator, region: &str, body: &[u8]) -> Reply {
    create_in(emu, &emu.account, &emu.caller_arn(), region, body)
}

/// CreateModelCopyJob in `account`'s data set, by `caller` (as a refusal
/// names it).
pub fn create_in(emu: &Emulator, account: &str, caller: &str, region: &str, body: &[u8]) -> Reply {
    let b: CreateBody = parse_body(body)?;
    let mut v = Violations::default();
    if let Some(s) = required(&mut v, "sourceModelArn", b.source_model_arn.as_ref()) {
        v.string("sourceModelArn", s, 20, 1011, c::MODEL_ARN);
    }
    if let Some(s) = required(&mut v, "targetModelName", b.target_model_name.as_ref()) {
        v.string("targetModelName", s, 1, 63, c::CUSTOM_MODEL_NAME);
    }
    if let Some(s) = &b.model_kms_key_id {
        v.string("modelKmsKeyId", s, 1, 2048, c::KMS_KEY_ID);
    }
    if let Some(s) = &b.client_request_token {
        v.string("clientRequestToken", s, 1, 256, c::IDEMPOTENCY_TOKEN);
    }
    let listed = b.target_model_tags.as_ref().map_or(0, Vec::len);
    if listed > c::MAX_TAGS {
        v.push(
            "targetModelTags",
            format!("[{listed} tags]"),
            format!(
                "Member must have length less than or equal to {}",
                c::MAX_TAGS
            ),
        );
    }
    let mut tags = Vec::new();
    for (i, Object(t)) in b.target_model_tags.iter().flatten().enumerate() {
        let key_member = format!("targetModelTags.{}.member.key", i + 1);
        let value_member = format!("targetModelTags.{}.member.value", i + 1);
        if let Some(k) = required(&mut v, &key_member, t.key.as_ref()) {
            v.string(&key_member, k, 1, 128, c::TAG_TEXT);
        }
        if let Some(val) = required(&mut v, &value_member, t.value.as_ref()) {
            v.string(&value_member, val, 0, 256, c::TAG_TEXT);
        }
        tags.push(Tag {
            key: t.key.clone().unwrap_or_default().into(),
            value: t.value.clone().unwrap_or_default().into(),
        });
    }
    v.into_result()?;
    let target_name = b.target_model_name.unwrap_or_default();
    let source_arn = b.source_model_arn.unwrap_or_default();
    own_region(&source_arn, region)?;
    if tags.len() > TAGS_PER_RESOURCE {
        let mut e = ApiError::new(
            400,
            "TooManyTagsException",
            format!(
                "The request has {} tags; a model can have at most {TAGS_PER_RESOURCE}. Remove some tags and try again.",
                tags.len(),
            ),
        );
        let model = copied_model_arn(region, account, &source_arn, &target_name);
        e.resource_name = Some(model);
        return Err(e);
    }
    // Before the model is looked up, as IAM decides: a caller refused a
    // model learns nothing of whether it exists.
    let source_account = source_arn.split(':').nth(4).unwrap_or("");
    if emu.options.denies_source_account(source_account) {
        return Err(ApiError::access_denied(format!(
            "User: {} is not authorized to perform: bedrock:CreateModelCopyJob on resource: {source_arn} because no resource-based policy allows the bedrock:CreateModelCopyJob action",
            caller
        )));
    }
    let now = emu.clock.now_ms();
    let store = emu.store_in(account, region);
    // Found before this region's store is locked: the search locks others.
    let source = super::sources::find(emu, &source_arn, now);
    if source.is_some() {
        unsupported_region(&source_arn, region)?;
    }
    let mut s = store.lock().unwrap_or_else(|e| e.into_inner());
    s.catch_up(now);
    let kms_key = b
        .model_kms_key_id
        .map(|k| kms_key_arn(&k, region, &s.profile.account, &s.profile.kms_keys));
    let new = NewJob {
        source_arn: source_arn.clone(),
        target_name,
        kms_key,
        tags,
        client_token: b.client_request_token,
    };
    match s.create(new, source, now) {
        Ok(id) => Ok((
            201,
            json!({"jobArn": s.profile.job_arn(&id)})
                .to_string()
                .into_bytes(),
        )),
        Err(CreateError::SourceNotFound) => Err(ApiError::not_found(format!(
            "The source model {source_arn} could not be found, or it is not shared with this account."
        ))),
        Err(CreateError::TokenReused) => Err(ApiError::validation(
            "The clientRequestToken was already used for a request with different parameters. Use a new token for a new request.",
        )),
    }
}

/// Refuses a copy into the region the model is in: the API copies a model
/// to another region. A question of the request alone, so answered before
/// the model is looked up. The service's wording is not documented: this
/// one says what a user needs (README, "What the client assumes").
fn own_region(source_arn: &str, region: &str) -> Result<(), ApiError> {
    if !is_home(source_arn, region) {
        return Ok(());
    }
    Err(ApiError::validation(format!(
        "The model {source_arn} is in {region} already: a model copy job copies a model to another Region. Send the request to the Region to copy it to."
    )))
}

/// Refuses a copy into a region the user guide's table does not support for
/// the model's base model, as the service does. A base model the table does
/// not know, or a model that names none (imported), may go anywhere. The
/// service's wording is not documented: this one says what a user needs.
fn unsupported_region(source_arn: &str, region: &str) -> Result<(), ApiError> {
    if Guide::shipped().allows(source_arn, region) {
        return Ok(());
    }
    let base = base_model(source_arn).unwrap_or(source_arn);
    Err(ApiError::validation(format!(
        "The model {source_arn} can't be copied to {region}: copies of models based on {base} aren't supported in this Region. See Supported Regions and models for model copy in the Amazon Bedrock User Guide."
    )))
}

/// Tags a resource may carry, as the service documents for
/// TooManyTagsException; the TagList shape itself allows 200 in a request.
pub const TAGS_PER_RESOURCE: usize = 50;

/// The custom model a copy of `source_arn` named `target_name` would make:
/// the resource TooManyTagsException names (its `resourceName` is a
/// TaggableResourcesArn, not a bare name). The id is drawn from the request,
/// since no model was made.
fn copied_model_arn(region: &str, account: &str, source_arn: &str, target_name: &str) -> String {
    let base = match source_arn.split_once(":custom-model/") {
        Some((_, rest)) => rest.rsplit_once('/').map_or("imported", |(base, _)| base),
        None => source_arn
            .split_once(":foundation-model/")
            .map_or("imported", |(_, id)| id),
    };
    let id = ShortId::from_u64(super::dataset::fnv(
        format!("{source_arn}|{target_name}").as_bytes(),
    ));
    format!(
        "arn:aws:bedrock:{region}:{account}:custom-model/{base}/{}",
        id.as_str()
    )
}

/// The key ARN a job shows for the key id, alias or ARN it was created with.
fn kms_key_arn(id: &str, region: &str, account: &str, keys: &[String]) -> String {
    if id.contains(":key/") {
        return id.to_string();
    }
    if let Some(alias) = id.rsplit_once("alias/").map(|(_, a)| a) {
        let i = super::dataset::fnv(alias.as_bytes()) as usize % keys.len().max(1);
        return keys.get(i).cloned().unwrap_or_default();
    }
    format!("arn:aws:kms:{region}:{account}:key/{id}")
}

#[derive(Debug, Deserialize)]
struct TagsBody {
    #[serde(rename = "resourceARN")]
    resource_arn: Option<String>,
}

pub fn list_tags(emu: &Emulator, region: &str, body: &[u8]) -> Reply {
    list_tags_in(emu, &emu.account, region, body)
}

/// ListTagsForResource in `account`'s data set.
pub fn list_tags_in(emu: &Emulator, account: &str, region: &str, body: &[u8]) -> Reply {
    let b: TagsBody = parse_body(body)?;
    let mut v = Violations::default();
    let arn = required(&mut v, "resourceARN", b.resource_arn.as_ref())
        .cloned()
        .unwrap_or_default();
    if b.resource_arn.is_some() {
        v.string("resourceARN", &arn, 20, 1011, c::TAGGABLE_ARN);
    }
    v.into_result()?;
    let store = emu.store_in(account, region);
    let s = store.lock().unwrap_or_else(|e| e.into_inner());
    match s.copied_model(&arn) {
        Some(job) => {
            let tags = s.profile.extras(job).tags;
            Ok((200, json!({"tags": tags}).to_string().into_bytes()))
        }
        None => Err(ApiError::not_found(format!(
            "The resource {arn} could not be found."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_decoded_and_bounds_made_exact() {
        let (q, t) = parse_list(
            "creationTimeAfter=2024-01-01T00%3A00%3A00.0005Z&creationTimeBefore=2024-01-02T00%3A00%3A00Z&maxResults=7&sortOrder=Ascending&nextToken=abc",
            TimeBounds::Exclusive,
        )
        .unwrap();
        assert_eq!(q.after_us, Some(1_704_067_200_000_500));
        assert_eq!(q.before_us, Some(1_704_153_600_000_000));
        assert_eq!(q.max_results, 7);
        assert!(q.ascending);
        assert_eq!(t.as_deref(), Some("abc"));
    }

    #[test]
    fn bounds_are_exact_at_any_precision_either_way() {
        // A job at t (microseconds) against a bound of `ns`: the strict
        // microsecond bounds must say what comparing at full precision says.
        let times = [-2_000_i64, -1_000, -1, 0, 1, 999, 1_000, 1_001, 123_456];
        let bounds = [
            -2_000_001_i128,
            -1_000_000,
            -1,
            0,
            1,
            999,
            1_000,
            1_000_999,
            123_456_000,
            123_456_789,
        ];
        for ns in bounds {
            for t in times {
                let at = i128::from(t) * 1000;
                let ex = TimeBounds::Exclusive;
                let inc = TimeBounds::Inclusive;
                assert_eq!(t > after_bound(ns, ex), at > ns, "after {ns} ex, t {t}");
                assert_eq!(t > after_bound(ns, inc), at >= ns, "after {ns} inc, t {t}");
                assert_eq!(t < before_bound(ns, ex), at < ns, "before {ns} ex, t {t}");
                assert_eq!(
                    t < before_bound(ns, inc),
                    at <= ns,
                    "before {ns} inc, t {t}"
                );
            }
        }
    }

    #[test]
    fn every_violation_is_reported() {
        let err = parse_list(
            "maxResults=0&statusEquals=Done&sourceAccountEquals=12",
            TimeBounds::Exclusive,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("3 validation errors detected: "), "{msg}");
        assert!(msg.contains("Value '12' at 'sourceAccountEquals' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}"));
    }

    #[test]
    fn kms_ids_become_key_arns() {
        let keys = vec!["arn:aws:kms:us-east-1:111122223333:key/k".to_string()];
        assert_eq!(kms_key_arn("alias/mine", "us-east-1", "1", &keys), keys[0]);
        assert_eq!(
            kms_key_arn(
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                "us-east-1",
                "111122223333",
                &keys
            ),
            "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        );
    }
}
