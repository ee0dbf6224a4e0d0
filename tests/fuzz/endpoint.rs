//! The endpoint's request parsing, in process: ListModelCopyJobs query
//! strings (and the nextToken in them), GetModelCopyJob's path segment,
//! and the JSON bodies of CreateModelCopyJob and ListTagsForResource.
//!
//! A refusal is the service's: 400 `ValidationException` for a value that
//! breaks a constraint, 400 `SerializationException` for a body that is not
//! JSON of the right shape, 404 for what is well-formed but not there;
//! never a 500.

use crate::support::*;
use chrono::{DateTime, SecondsFormat};
use copyjobs::domain::constraints::{self as c, matches};
use copyjobs::emulator::Emulator;
use copyjobs::emulator::api::{self, ApiError, Reply};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::sync::{Arc, LazyLock};

const REGION: &str = "us-east-1";

/// Read-only operations share one endpoint; `create` has its own, so the
/// jobs it adds never change what the others see.
static READ: LazyLock<Arc<Emulator>> = LazyLock::new(|| emulator(300));
static WRITE: LazyLock<Arc<Emulator>> = LazyLock::new(|| emulator(50));

/// The job, model and source ARNs the endpoint has, for near-valid values.
struct Known {
    job_arns: Vec<String>,
    target_arns: Vec<String>,
    source_arns: Vec<String>,
}

static KNOWN: LazyLock<Known> = LazyLock::new(|| {
    let (_, body) = api::list(&READ, REGION, "maxResults=1000").expect("a listing");
    let v: Value = serde_json::from_slice(&body).expect("JSON");
    let field = |name: &str| -> Vec<String> {
        v["modelCopyJobSummaries"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|j| j[name].as_str().map(str::to_string))
            .collect()
    };
    let store = WRITE.store(REGION);
    let profile = store.lock().expect("the store").profile.clone();
    Known {
        job_arns: field("jobArn"),
        target_arns: field("targetModelArn"),
        source_arns: profile.sources.iter().map(|s| s.arn.clone()).collect(),
    }
});

/// Any one of a list of `KNOWN`.
fn pick(list: fn(&Known) -> &Vec<String>) -> impl Strategy<Value = String> {
    any::<proptest::sample::Index>().prop_map(move |i| {
        let l = list(&KNOWN);
        l[i.index(l.len())].clone()
    })
}

/// The wire's error, as the SDK reads it: a JSON body naming the code.
fn check_error(e: &ApiError, allowed: &[(u16, &str)]) -> Result<(), TestCaseError> {
    prop_assert!(
        allowed.contains(&(e.status, e.code)),
        "{} {}: {}",
        e.status,
        e.code,
        e.message
    );
    prop_assert!(!e.message.is_empty());
    let body: Value =
        serde_json::from_slice(&e.body()).map_err(|x| TestCaseError::fail(x.to_string()))?;
    prop_assert_eq!(body["__type"].as_str(), Some(e.code));
    prop_assert_eq!(body["message"].as_str(), Some(e.message.as_str()));
    Ok(())
}

/// A success's JSON (which must come with `status`); `None` for a refusal.
fn json_of(r: &Reply, status: u16) -> Result<Option<Value>, TestCaseError> {
    match r {
        Ok((s, body)) => {
            prop_assert_eq!(*s, status);
            serde_json::from_slice(body)
                .map(Some)
                .map_err(|e| TestCaseError::fail(e.to_string()))
        }
        Err(_) => Ok(None),
    }
}

const VALIDATION: (u16, &str) = (400, "ValidationException");
const SERIALIZATION: (u16, &str) = (400, "SerializationException");
const NOT_FOUND: (u16, &str) = (404, "ResourceNotFoundException");
const TOO_MANY_TAGS: (u16, &str) = (400, "TooManyTagsException");

/// What a string member may hold and still deserialize: text, or nothing.
fn text_or_null(v: Option<&Value>) -> bool {
    matches!(v, None | Some(Value::Null | Value::String(_)))
}

const LIST_MEMBERS: [&str; 10] = [
    "creationTimeAfter",
    "creationTimeBefore",
    "statusEquals",
    "sourceAccountEquals",
    "sourceModelArnEquals",
    "targetModelNameContains",
    "maxResults",
    "nextToken",
    "sortBy",
    "sortOrder",
];

fn rfc3339() -> impl Strategy<Value = String> {
    (
        -62_135_000_000i64..253_402_000_000,
        0u32..1_000_000_000,
        any::<bool>(),
    )
        .prop_map(|(s, n, z)| {
            let t = DateTime::from_timestamp(s, n).unwrap_or(DateTime::UNIX_EPOCH);
            if z {
                t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
            } else {
                t.with_timezone(&chrono::FixedOffset::east_opt(-3600 * 7).unwrap_or_else(utc))
                    .to_rfc3339_opts(SecondsFormat::Millis, false)
            }
        })
}

/// A value every constraint of its query parameter accepts.
fn valid_value(key: &'static str) -> BoxedStrategy<String> {
    match key {
        "creationTimeAfter" | "creationTimeBefore" => rfc3339().boxed(),
        "statusEquals" => one_of(c::STATUSES).boxed(),
        "sourceAccountEquals" => "[0-9]{12}".boxed(),
        "sourceModelArnEquals" => pick(|k| &k.source_arns).boxed(),
        "outputModelNameContains" => "([0-9a-zA-Z][_-]?){1,30}".boxed(),
        "maxResults" => (1i64..=1000).prop_map(|n| n.to_string()).boxed(),
        "sortBy" => Just("CreationTime".to_string()).boxed(),
        _ => one_of(c::SORT_ORDERS).boxed(),
    }
}

const QUERY_KEYS: [&str; 8] = [
    "creationTimeAfter",
    "creationTimeBefore",
    "statusEquals",
    "sourceAccountEquals",
    "sourceModelArnEquals",
    "outputModelNameContains",
    "maxResults",
    "sortOrder",
];

fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, NON_ALPHANUMERIC),
                utf8_percent_encode(v, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn valid_query() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::sample::subsequence(QUERY_KEYS.to_vec(), 0..=QUERY_KEYS.len()).prop_flat_map(|keys| {
        keys.into_iter()
            .map(|k| valid_value(k).prop_map(move |v| (k.to_string(), v)))
            .collect::<Vec<_>>()
    })
}

/// A query with a few of its values edited, a known key misspelt, a value
/// out of range or not a number, a stray or duplicated pair: encoded as a
/// client would, or raw, with `%`, `&`, `=` and bytes that are not UTF-8.
fn odd_query() -> impl Strategy<Value = String> {
    let pair = prop_oneof![
        4 => proptest::sample::select(&QUERY_KEYS[..]).prop_flat_map(|k| {
            prop_oneof![near(valid_value(k)), text(20), Just(String::new())]
                .prop_map(move |v| (k.to_string(), v))
        }),
        1 => (near(one_of(&QUERY_KEYS)), text(10)),
        1 => ("maxResults", prop_oneof![
            any::<i64>().prop_map(|n| n.to_string()),
            one_of(&["99999999999999999999999", "+5", "1e3"]),
        ]).prop_map(|(k, v)| (k.to_string(), v)),
        1 => ("nextToken", prop_oneof![text(30), "[A-Za-z0-9_-]{60,64}", "[!-~]{2040,2060}"])
            .prop_map(|(k, v)| (k.to_string(), v)),
    ];
    prop_oneof![
        3 => (valid_query(), proptest::collection::vec(pair, 1..4)).prop_map(|(mut q, extra)| {
            q.extend(extra);
            encode(&q)
        }),
        1 => text(80),
        1 => proptest::collection::vec(
            prop_oneof![one_of(&["%", "%ff", "%c3%28", "&", "="]), "[a-zA-Z]{1,8}"],
            0..12,
        ).prop_map(|v| v.concat()),
    ]
}

/// A page of at most `max` jobs, with a token the service's own constraint
/// allows, or a 400.
fn check_list(reply: &Reply, max: usize) -> Result<(), TestCaseError> {
    match json_of(reply, 200)? {
        Some(v) => {
            let jobs = v["modelCopyJobSummaries"]
                .as_array()
                .map_or(usize::MAX, Vec::len);
            prop_assert!(jobs <= max, "{jobs} > {max}");
            if let Some(t) = v.get("nextToken") {
                let t = t.as_str().unwrap_or_default();
                prop_assert!(matches(c::PAGINATION_TOKEN, t) && !t.is_empty() && t.len() <= 2048);
            }
        }
        None => {
            if let Err(e) = reply {
                check_error(e, &[VALIDATION])?;
            }
        }
    }
    Ok(())
}

/// The page size asked for: the last `maxResults`, 100 when there is none.
fn max_results(q: &[(String, String)]) -> usize {
    q.iter()
        .rev()
        .find(|(k, _)| k == "maxResults")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(100)
}

/// One JSON value of any type, for a member that wants another.
fn wrong_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text(20).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(text(6), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A member's value: right (maybe edited), of another type, or absent.
fn member(valid: BoxedStrategy<String>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => valid.clone().prop_map(|s| Some(Value::String(s))),
        2 => near(valid).prop_map(|s| Some(Value::String(s))),
        1 => wrong_json().prop_map(Some),
        1 => Just(None),
    ]
}

fn tag_text() -> BoxedStrategy<String> {
    r"[a-zA-Z0-9 ._:/=+@-]{1,20}".boxed()
}

fn tags() -> impl Strategy<Value = Option<Value>> {
    let tag = (member(tag_text()), member(tag_text()))
        .prop_map(|(k, v)| {
            let mut o = serde_json::Map::new();
            o.extend(k.map(|k| ("key".to_string(), k)));
            o.extend(v.map(|v| ("value".to_string(), v)));
            Value::Object(o)
        })
        .boxed();
    prop_oneof![
        4 => proptest::collection::vec(tag.clone(), 0..4).prop_map(|t| Some(Value::Array(t))),
        1 => (195usize..206).prop_map(|n| Some(Value::Array(
            (0..n).map(|i| json!({"key": format!("k{i}"), "value": "v"})).collect()
        ))),
        1 => wrong_json().prop_map(Some),
        1 => Just(None),
    ]
}

fn create_body() -> impl Strategy<Value = Value> {
    (
        member(pick(|k| &k.source_arns).boxed()),
        member("([0-9a-zA-Z][_-]?){1,30}".boxed()),
        member(
            prop_oneof![
                Just("alias/team-key".to_string()),
                "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}"
            ]
            .boxed(),
        ),
        tags(),
        member("[a-zA-Z0-9][-a-zA-Z0-9]{0,30}[a-zA-Z0-9]".boxed()),
        proptest::option::of((text(8), wrong_json())),
    )
        .prop_map(|(source, name, kms, tags, token, extra)| {
            let mut o = serde_json::Map::new();
            for (k, v) in [
                ("sourceModelArn", source),
                ("targetModelName", name),
                ("modelKmsKeyId", kms),
                ("targetModelTags", tags),
                ("clientRequestToken", token),
            ] {
                o.extend(v.map(|v| (k.to_string(), v)));
            }
            o.extend(extra);
            Value::Object(o)
        })
}

/// Bytes that are not one well-formed JSON document of the right shape:
/// arbitrary bytes, nesting past any sane depth, numbers past f64, cut
/// documents, invalid UTF-8 inside a string, a document that is not an
/// object.
fn odd_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        (1usize..3000, any::<bool>()).prop_map(|(depth, arrays)| {
            let (open, close) = if arrays { ("[", "]") } else { ("{\"a\":", "}") };
            let inner = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            format!("{{\"targetModelTags\":{inner},\"resourceARN\":{inner}}}").into_bytes()
        }),
        Just(
            b"{\"targetModelName\": 1e999999, \"sourceModelArn\": 123456789012345678901234567890}"
                .to_vec()
        ),
        (create_body(), any::<proptest::sample::Index>()).prop_map(|(v, i)| {
            let b = v.to_string().into_bytes();
            b[..i.index(b.len())].to_vec()
        }),
        create_body().prop_map(|v| v
            .to_string()
            .replacen("\"", "\"\u{0}\u{1b}", 3)
            .into_bytes()),
        Just(b"{\"targetModelName\": \"a\xff\xfeb\", \"resourceARN\": \"\xc3\x28\"}".to_vec()),
        Just(b"{\"sourceModelArn\": \"\\ud800\"}".to_vec()),
        wrong_json().prop_map(|v| v.to_string().into_bytes()),
        Just(b"{\"targetModelName\":\"a\",\"targetModelName\":\"b\"}".to_vec()),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    /// Every value the model allows, in any combination: a page.
    #[test]
    fn valid_list_queries_are_answered(q in valid_query()) {
        let reply = api::list(&READ, REGION, &encode(&q));
        prop_assert!(reply.is_ok(), "{:?}: {:?}", q, reply.as_ref().err());
        check_list(&reply, max_results(&q))?;
    }

    /// Anything else: a page, or 400 naming the parameters that broke a
    /// constraint (parameters the service does not know are ignored).
    #[test]
    fn odd_list_queries_are_refused_as_validation(raw in odd_query()) {
        let pairs = api::query_pairs(&raw);
        if let Err(v) = api::parse_list(&raw, READ.options.time_bounds) {
            prop_assert!(!v.is_empty());
            for violation in &v.0 {
                prop_assert!(LIST_MEMBERS.contains(&violation.member.as_str()), "{}", violation);
            }
            let n = v.0.len();
            let noun = if n == 1 { "error" } else { "errors" };
            let expected = format!("{n} validation {noun} detected: ");
            prop_assert!(v.to_string().starts_with(&expected));
        }
        check_list(&api::list(&READ, REGION, &raw), max_results(&pairs))?;
    }

    /// A real token pages on; the same token with other filters, or edited,
    /// is a 400 that says which.
    #[test]
    fn next_tokens_continue_their_query_only(
        q in valid_query(),
        page in 1usize..40,
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let mut q: Vec<(String, String)> = q.into_iter().filter(|(k, _)| k != "maxResults").collect();
        q.push(("maxResults".into(), page.to_string()));
        let first = api::list(&READ, REGION, &encode(&q));
        let Some(v) = json_of(&first, 200)? else {
            return Err(TestCaseError::fail(format!("{q:?}: {first:?}")));
        };
        let Some(token) = v["nextToken"].as_str().map(str::to_string) else {
            return Ok(());
        };
        let with = |q: &[(String, String)], t: &str| {
            let mut q = q.to_vec();
            q.push(("nextToken".into(), t.into()));
            api::list(&READ, REGION, &encode(&q))
        };
        check_list(&with(&q, &token), page)?;
        prop_assert!(with(&q, &token).is_ok());

        let mut other = q.clone();
        let ascending = q.iter().rev().find(|(k, _)| k == "sortOrder").is_some_and(|(_, v)| v == "Ascending");
        other.push(("sortOrder".into(), if ascending { "Descending" } else { "Ascending" }.into()));
        let e = with(&other, &token).expect_err("another query");
        check_error(&e, &[VALIDATION])?;
        prop_assert!(e.message.contains("belongs to a different query"), "{}", e.message);

        let edited = apply(&token, &edits);
        if edited != token {
            let e = with(&q, &edited).expect_err("an edited token");
            check_error(&e, &[VALIDATION])?;
        }
    }

    /// A job's ARN, as a client sends it in the path, fetches that job; a
    /// segment that is not a job ARN is a 400, one that is but names no job
    /// here a 404.
    #[test]
    fn get_answers_by_the_arn_in_the_path(
        arn in prop_oneof![pick(|k| &k.job_arns), near(pick(|k| &k.job_arns)), text(40)],
        encoded in any::<bool>(),
    ) {
        let segment = if encoded {
            utf8_percent_encode(&arn, NON_ALPHANUMERIC).to_string()
        } else {
            arn.clone()
        };
        let decoded = percent_encoding::percent_decode_str(&segment).decode_utf8_lossy().into_owned();
        let reply = api::get(&READ, REGION, &segment);
        let well_formed = decoded.chars().count() <= 1011 && matches(c::JOB_ARN, &decoded);
        match (&reply, json_of(&reply, 200)?) {
            (_, Some(job)) => prop_assert_eq!(job["jobArn"].as_str(), Some(decoded.as_str())),
            (Err(e), None) if well_formed => {
                check_error(e, &[NOT_FOUND])?;
                prop_assert!(!KNOWN.job_arns.contains(&decoded), "{decoded} is listed");
            }
            (Err(e), None) => check_error(e, &[VALIDATION])?,
            (Ok(_), None) => unreachable!(),
        }
    }

    /// A body of the right shape is validated member by member (201, 400 or
    /// 404 for a source that is not there); one of the wrong shape is a 400
    /// SerializationException.
    #[test]
    fn create_bodies_are_parsed_then_validated(body in create_body()) {
        let reply = api::create(&WRITE, REGION, body.to_string().as_bytes());
        let shaped = ["sourceModelArn", "targetModelName", "modelKmsKeyId", "clientRequestToken"]
            .iter()
            .all(|k| text_or_null(body.get(*k)))
            && match body.get("targetModelTags") {
                None | Some(Value::Null) => true,
                Some(Value::Array(tags)) => tags.iter().all(|t| {
                    t.as_object().is_some_and(|o| {
                        ["key", "value"].iter().all(|k| text_or_null(o.get(*k)))
                    })
                }),
                Some(_) => false,
            };
        match (&reply, json_of(&reply, 201)?) {
            (_, Some(v)) => {
                prop_assert!(shaped);
                let arn = v["jobArn"].as_str().unwrap_or_default();
                prop_assert!(matches(c::JOB_ARN, arn), "{arn}");
                prop_assert!(api::get(&WRITE, REGION, arn).is_ok());
            }
            (Err(e), None) if shaped => check_error(e, &[VALIDATION, NOT_FOUND, TOO_MANY_TAGS])?,
            (Err(e), None) => check_error(e, &[SERIALIZATION])?,
            (Ok(_), None) => unreachable!(),
        }
    }

    #[test]
    fn odd_bodies_are_refused_not_failed(body in odd_body()) {
        for reply in [api::create(&WRITE, REGION, &body), api::list_tags(&READ, REGION, &body)] {
            match reply {
                Ok((status, _)) => {
                    prop_assert!(status == 200 || status == 201);
                    let json: Option<Value> = serde_json::from_slice(&body).ok();
                    prop_assert!(json.is_some_and(|v| v.is_object()));
                }
                Err(e) => check_error(&e, &[SERIALIZATION, VALIDATION, NOT_FOUND, TOO_MANY_TAGS])?,
            }
        }
    }

    /// A listed model's ARN gives its tags; anything else is refused or
    /// not found.
    #[test]
    fn list_tags_answers_by_resource_arn(
        arn in prop_oneof![pick(|k| &k.target_arns), near(pick(|k| &k.target_arns)), text(40)],
        wrong in proptest::option::of(wrong_json()),
    ) {
        let body = match &wrong {
            Some(w) => json!({"resourceARN": w}),
            None => json!({"resourceARN": arn}),
        };
        let reply = api::list_tags(&READ, REGION, body.to_string().as_bytes());
        let listed = wrong.is_none() && KNOWN.target_arns.contains(&arn);
        prop_assert_eq!(reply.is_ok(), listed, "{}: {:?}", arn, reply.as_ref().err());
        match (&reply, json_of(&reply, 200)?) {
            (_, Some(v)) => {
                prop_assert!(v["tags"].is_array());
            }
            (Err(e), None) if wrong.as_ref().is_some_and(|w| !text_or_null(Some(w))) => {
                check_error(e, &[SERIALIZATION])?;
            }
            (Err(e), None) => check_error(e, &[VALIDATION, NOT_FOUND])?,
            (Ok(_), None) => unreachable!(),
        }
    }
}

/// Found by `create_bodies_are_parsed_then_validated`: a derived
/// `Deserialize` also reads an array of a structure's fields in order, so
/// `[["team", "ml"]]` was taken for a tag, and an array of five for a whole
/// CreateModelCopyJob body.
#[test]
fn arrays_are_not_structures_regression() {
    let source = &KNOWN.source_arns[0];
    let good = json!({"sourceModelArn": source, "targetModelName": "regression-a"});
    assert!(api::create(&WRITE, REGION, good.to_string().as_bytes()).is_ok());
    for body in [
        json!({"sourceModelArn": source, "targetModelName": "regression-b", "targetModelTags": [["team", "ml"]]}),
        json!([source, "regression-c", null, null, null]),
    ] {
        let e = api::create(&WRITE, REGION, body.to_string().as_bytes()).expect_err("an array");
        assert_eq!(
            (e.status, e.code),
            (400, "SerializationException"),
            "{body}"
        );
    }
    let body = json!([KNOWN.target_arns[0]]).to_string();
    let e = api::list_tags(&READ, REGION, body.as_bytes()).expect_err("an array");
    assert_eq!((e.status, e.code), (400, "SerializationException"));
}
