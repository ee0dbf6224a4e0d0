//! botocore's service model for `bedrock` as an oracle neither side here
//! wrote: loads it, and checks a response against the shapes the way the
//! model states them (required members, JSON types, enums, lengths, ranges,
//! patterns as whole-value Java regexes, timestamps) and finds members the
//! model does not declare.
//!
//! Where the model comes from: `COPYJOBS_BOTOCORE_MODEL` (a `service-2.json`
//! or `.json.gz`, as `.ci/run` exports it), else the botocore that `python3`
//! imports. With neither, the tests that need it print one line and pass,
//! unless `COPYJOBS_REQUIRE_BOTOCORE=1` (CI), where they fail.

use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

/// The services whose models the tests read: name (as `.ci/run` names the
/// extracted file, `NAME-service-2.json`), directory in botocore's data,
/// and the model's `serviceId`.
const SERVICES: &[(&str, &str, &str)] = &[
    ("bedrock", "data/bedrock/2023-04-20", "Bedrock"),
    ("sts", "data/sts/2011-06-15", "STS"),
    (
        "organizations",
        "data/organizations/2016-11-28",
        "Organizations",
    ),
    ("sso", "data/sso/2019-06-10", "SSO"),
];

pub struct Model {
    json: Value,
    /// Compiled patterns, by the address of their text in `json` (which
    /// never moves): hashing a long ARN pattern for every value would cost
    /// more than matching it.
    regexes: Mutex<HashMap<usize, Regex>>,
    /// Shape -> members met at least once: what a run covered.
    seen: Mutex<BTreeMap<String, BTreeSet<String>>>,
}

/// The model, or `None` when there is none to read and none is required.
pub fn model() -> Option<&'static Model> {
    model_of("bedrock")
}

/// The model of one of [`SERVICES`]: bedrock's at `COPYJOBS_BOTOCORE_MODEL`,
/// the others beside it (`sts-service-2.json`…, as `.ci/run` writes them),
/// else in the botocore `python3` imports.
pub fn model_of(service: &str) -> Option<&'static Model> {
    static MODELS: OnceLock<Vec<OnceLock<Option<Model>>>> = OnceLock::new();
    let i = SERVICES
        .iter()
        .position(|s| s.0 == service)
        .unwrap_or_else(|| panic!("no service {service} in SERVICES"));
    let slots = MODELS.get_or_init(|| SERVICES.iter().map(|_| OnceLock::new()).collect());
    slots[i].get_or_init(|| load(SERVICES[i])).as_ref()
}

fn load((service, dir, id): (&str, &str, &str)) -> Option<Model> {
    let required = std::env::var("COPYJOBS_REQUIRE_BOTOCORE").is_ok_and(|v| v == "1");
    let bedrock = std::env::var_os("COPYJOBS_BOTOCORE_MODEL").map(PathBuf::from);
    let given = match service {
        "bedrock" => bedrock,
        _ => bedrock.and_then(|b| Some(b.parent()?.join(format!("{service}-service-2.json")))),
    };
    let path = given.clone().or_else(|| installed_model(dir));
    let text = match path.as_deref().map(read) {
        Some(Ok(text)) => text,
        Some(Err(e)) if given.is_some() || required => panic!("{e}"),
        _ if required => panic!(
            "COPYJOBS_REQUIRE_BOTOCORE=1 but no botocore model: set COPYJOBS_BOTOCORE_MODEL to bedrock's {dir}/service-2.json(.gz) (the others beside it as SERVICE-service-2.json), or install botocore for python3 (.ci/run does both)"
        ),
        _ => {
            // Straight to the stream: the test harness captures eprintln!
            // of a passing test, and this line is for whoever runs them.
            let _ = writeln!(
                std::io::stderr(),
                "skipped: botocore's {service} model was not found (pip install botocore, or set COPYJOBS_BOTOCORE_MODEL=…/data/bedrock/2023-04-20/service-2.json); bash .ci/run runs these tests"
            );
            return None;
        }
    };
    let json: Value = serde_json::from_str(&text).expect("the service model is JSON");
    assert_eq!(json["metadata"]["serviceId"], id, "not {service}'s model");
    Some(Model {
        json,
        regexes: Mutex::new(HashMap::new()),
        seen: Mutex::new(BTreeMap::new()),
    })
}

/// The model file of the botocore `python3` imports, if any.
fn installed_model(model_dir: &str) -> Option<PathBuf> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import botocore, os; print(os.path.dirname(botocore.__file__))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join(model_dir);
    ["service-2.json", "service-2.json.gz"]
        .into_iter()
        .map(|f| dir.join(f))
        .find(|p| p.exists())
}

/// The model's text; botocore ships it gzipped nowadays, read through
/// Python's own gzip (no decompressor in this crate's dependencies).
fn read(path: &Path) -> Result<String, String> {
    let fail = |e: String| format!("cannot read the botocore model {}: {e}", path.display());
    if path.extension().is_some_and(|e| e == "gz") {
        let out = Command::new("python3")
            .args([
                "-c",
                "import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())",
            ])
            .arg(path)
            .output()
            .map_err(|e| fail(e.to_string()))?;
        if !out.status.success() {
            return Err(fail(String::from_utf8_lossy(&out.stderr).into_owned()));
        }
        String::from_utf8(out.stdout).map_err(|e| fail(e.to_string()))
    } else {
        std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))
    }
}

/// A Java regex (the model's dialect) as a Rust one, matched against the
/// whole value as the service matches it. Java's `\s`, `\d` and `\w` are
/// ASCII unless asked otherwise; Rust's are Unicode, so they are spelled out.
pub fn java_regex(pattern: &str) -> String {
    const SPACE: &str = r"\t\n\x0B\x0C\r ";
    const NOT_SPACE: &str = r"\x00-\x08\x0E-\x1F!-\x{10FFFF}";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut depth = 0usize;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let (inside, outside): (&str, String) = match e {
                    's' => (SPACE, format!("[{SPACE}]")),
                    'S' => (NOT_SPACE, format!("[{NOT_SPACE}]")),
                    'd' => ("0-9", "[0-9]".into()),
                    'D' => (r"\x00-/:-\x{10FFFF}", "[^0-9]".into()),
                    'w' => ("a-zA-Z0-9_", "[a-zA-Z0-9_]".into()),
                    _ => {
                        out.push('\\');
                        out.push(e);
                        continue;
                    }
                };
                out.push_str(if depth > 0 { inside } else { &outside });
            }
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' if depth > 0 => {
                depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    format!("^(?:{out})$")
}

/// What a response turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Answer {
    Success,
    /// An error shape of the model; `declared` when the operation lists it.
    Modelled {
        name: String,
        declared: bool,
    },
    /// An error the model has no shape for (AWS's common errors).
    Unmodelled(String),
}

impl Model {
    pub fn shape(&self, name: &str) -> &Value {
        &self.json["shapes"][name]
    }

    pub fn operation(&self, name: &str) -> &Value {
        let op = &self.json["operations"][name];
        assert!(op.is_object(), "no operation {name} in the model");
        op
    }

    /// `(shape, member)` pairs met so far.
    pub fn seen(&self) -> BTreeSet<(String, String)> {
        let seen = self.seen.lock().unwrap();
        seen.iter()
            .flat_map(|(shape, members)| members.iter().map(move |m| (shape.clone(), m.clone())))
            .collect()
    }

    fn saw(&self, shape: &str, member: &str) {
        let mut seen = self.seen.lock().unwrap();
        if !seen.get(shape).is_some_and(|m| m.contains(member)) {
            seen.entry(shape.to_string())
                .or_default()
                .insert(member.to_string());
        }
    }

    /// Every member of `shape`, for coverage.
    pub fn members(&self, shape: &str) -> Vec<String> {
        self.shape(shape)["members"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The output shape of `operation`.
    pub fn output(&self, operation: &str) -> String {
        self.operation(operation)["output"]["shape"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// `pattern` is text of the model (its address is the cache key).
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        let key = pattern.as_ptr() as usize;
        let mut cache = self.regexes.lock().unwrap();
        if let Some(re) = cache.get(&key) {
            return Ok(re.is_match(value));
        }
        let re = Regex::new(&java_regex(pattern))
            .map_err(|e| format!("pattern {pattern} does not translate: {e}"))?;
        let ok = re.is_match(value);
        cache.insert(key, re);
        Ok(ok)
    }

    /// A response of `operation`: its status, `x-amzn-ErrorType` and body,
    /// checked against the operation's output or the error's shape.
    pub fn check_response(
        &self,
        operation: &str,
        status: u16,
        error_type: Option<&str>,
        body: &Value,
        problems: &mut Vec<String>,
    ) -> Answer {
        let op = self.operation(operation);
        let at = format!("{operation} {status}");
        let Some(code) = error_type else {
            let want = op["http"]["responseCode"].as_u64().unwrap_or(200);
            if u64::from(status) != want {
                problems.push(format!("{at}: success must be {want}"));
            }
            let output = op["output"]["shape"].as_str().unwrap_or_default();
            self.check(output, body, operation, problems);
            return Answer::Success;
        };
        // The SDK reads the code from the header, up to a ':'.
        let name = code.split(':').next().unwrap_or(code).to_string();
        if body["__type"] != name.as_str() {
            problems.push(format!(
                "{at}: __type {} but x-amzn-ErrorType {name}",
                body["__type"]
            ));
        }
        let shape = self.shape(&name);
        if shape["exception"] != true {
            // Not in the model: the common shape of every AWS JSON error.
            let fields: BTreeSet<&str> = body
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if !body["message"].is_string()
                || !fields.iter().all(|f| ["__type", "message"].contains(f))
            {
                problems.push(format!("{at}: {name} is not {{__type, message}}: {body}"));
            }
            return Answer::Unmodelled(name);
        }
        let want = shape["error"]["httpStatusCode"].as_u64().unwrap_or(400);
        if u64::from(status) != want {
            problems.push(format!("{at}: {name} is HTTP {want} in the model"));
        }
        let mut members = body.clone();
        if let Some(o) = members.as_object_mut() {
            o.remove("__type");
        }
        self.check(&name, &members, &name, problems);
        let declared = op["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["shape"] == name.as_str()));
        Answer::Modelled { name, declared }
    }

    /// `value` against shape `name`, every problem found pushed.
    pub fn check(&self, name: &str, value: &Value, path: &str, problems: &mut Vec<String>) {
        let shape = self.shape(name);
        let kind = shape["type"].as_str().unwrap_or("");
        let mut fail = |what: String| problems.push(format!("{path}: {what} ({name})"));
        if value.is_null() {
            fail("null where the model has a value".into());
            return;
        }
        let (min, max) = (shape["min"].as_f64(), shape["max"].as_f64());
        let bounded = |n: f64| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m);
        match kind {
            "structure" => {
                let Some(obj) = value.as_object() else {
                    fail(format!("not an object: {value}"));
                    return;
                };
                for r in shape["required"].as_array().into_iter().flatten() {
                    let r = r.as_str().unwrap_or_default();
                    if !obj.contains_key(r) {
                        fail(format!("required member {r} missing"));
                    }
                }
                for (k, v) in obj {
                    let member = &shape["members"][k.as_str()];
                    let Some(target) = member["shape"].as_str() else {
                        problems.push(format!("{path}.{k}: not a member of {name}"));
                        continue;
                    };
                    if let Some(location) = member["location"].as_str() {
                        problems.push(format!(
                            "{path}.{k}: belongs in the {location}, not the body"
                        ));
                        continue;
                    }
                    self.saw(name, k);
                    self.check(target, v, &format!("{path}.{k}"), problems);
                }
            }
            "list" => {
                let Some(items) = value.as_array() else {
                    fail(format!("not a list: {value}"));
                    return;
                };
                if !bounded(items.len() as f64) {
                    fail(format!("{} items, outside {min:?}..={max:?}", items.len()));
                }
                let member = shape["member"]["shape"].as_str().unwrap_or_default();
                for (i, item) in items.iter().enumerate() {
                    self.check(member, item, &format!("{path}[{i}]"), problems);
                }
            }
            "map" => {
                let Some(entries) = value.as_object() else {
                    fail(format!("not a map: {value}"));
                    return;
                };
                if !bounded(entries.len() as f64) {
                    fail(format!(
                        "{} entries, outside {min:?}..={max:?}",
                        entries.len()
                    ));
                }
                let (k, v) = (
                    shape["key"]["shape"].as_str().unwrap_or_default(),
                    shape["value"]["shape"].as_str().unwrap_or_default(),
                );
                for (key, val) in entries {
                    self.check(
                        k,
                        &Value::String(key.clone()),
                        &format!("{path} key"),
                        problems,
                    );
                    self.check(v, val, &format!("{path}.{key}"), problems);
                }
            }
            "string" => {
                let Some(s) = value.as_str() else {
                    fail(format!("not a string: {value}"));
                    return;
                };
                // Smithy counts a string's length in characters.
                let n = s.chars().count();
                if !bounded(n as f64) {
                    fail(format!("length {n} outside {min:?}..={max:?}: {s:?}"));
                }
                if let Some(values) = shape["enum"].as_array()
                    && !values.iter().any(|e| e == s)
                {
                    fail(format!("{s:?} is not one of {}", shape["enum"]));
                }
                if let Some(p) = shape["pattern"].as_str() {
                    match self.matches(p, s) {
                        Ok(true) => {}
                        Ok(false) => fail(format!("{s:?} does not match {p}")),
                        Err(e) => fail(e),
                    }
                }
            }
            "integer" | "long" => match value.as_i64() {
                Some(n) if bounded(n as f64) => {}
                _ => fail(format!("not an integer in {min:?}..={max:?}: {value}")),
            },
            "float" | "double" => match value.as_f64() {
                Some(n) if bounded(n) => {}
                _ => fail(format!("not a number in {min:?}..={max:?}: {value}")),
            },
            "boolean" => {
                if !value.is_boolean() {
                    fail(format!("not a boolean: {value}"));
                }
            }
            "timestamp" => {
                // restJson1 writes epoch seconds unless the shape says otherwise.
                let iso = shape["timestampFormat"] == "iso8601";
                let ok = match value {
                    Value::String(s) if iso => chrono::DateTime::parse_from_rfc3339(s).is_ok(),
                    Value::Number(_) => !iso,
                    _ => false,
                };
                if !ok {
                    fail(format!("not a timestamp as the model writes it: {value}"));
                }
            }
            "blob" => {
                if !value.is_string() {
                    fail(format!("not base64 text: {value}"));
                }
            }
            other => fail(format!(
                "a shape of type {other:?}, which this checker does not know"
            )),
        }
    }
}

#[test]
fn java_patterns_become_whole_value_rust_patterns() {
    let m = |p: &str, v: &str| Regex::new(&java_regex(p)).unwrap().is_match(v);
    // \s is ASCII whitespace in Java: a tab is, an ideographic space is not.
    assert!(m(r"[a-zA-Z0-9\s._:/=+@-]*", "a b\tc\r\nd\u{b}e\u{c}f"));
    assert!(!m(r"[a-zA-Z0-9\s._:/=+@-]*", "a\u{3000}b"));
    assert!(!m(r"[a-zA-Z0-9\s._:/=+@-]*", "機械学習"));
    assert!(m(r"\S*", "abc\u{3000}"));
    assert!(!m(r"\S*", "a b"));
    assert!(m(r"[\s\S]*", "any\tthing\u{3000} at all"));
    assert!(m("[0-9]{12}", "123456789012") && !m("[0-9]{12}", "1234567890123"));
    // Anchors inside alternatives, as TaggableResourcesArn has them.
    assert!(m(".*(^[a-z]+$)|(^x[0-9]$).*", "abc"));
    assert!(!m(".*(^[a-z]+$)|(^x[0-9]$).*", "ab1"));
}
