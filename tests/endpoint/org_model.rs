//! `--org-size`'s operations against botocore's service models for `sts`,
//! `organizations` and `sso` (see `shapes`), read off the wire: every
//! success and every refusal the endpoint sends for them. STS answers XML
//! (the query protocol), turned into the model's values shape by shape
//! before the same checks as the JSON services'.

use crate::common::*;
use crate::shapes::{Answer, Model, model_of};
use copyjobs::emulator::{EmulatorOptions, Server};
use serde_json::{Map, Value, json};

fn org_options() -> EmulatorOptions {
    EmulatorOptions {
        org_size: 12,
        regions: vec!["us-east-1".into()],
        ..options(10)
    }
}

fn scope(service: &str, akid: &str) -> String {
    format!(
        "Authorization: AWS4-HMAC-SHA256 Credential={akid}/20250601/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature={}\r\nx-amz-date: 20250601T120000Z\r\n",
        "0".repeat(64)
    )
}

fn post(headers: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// An XML element: its name, children and text.
#[derive(Debug)]
struct Node {
    name: String,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The XML the endpoint writes (elements, text, an `xmlns` attribute; no
/// comments or CDATA), or why it is not that.
fn parse_xml(text: &str) -> Result<Node, String> {
    fn element(s: &str, at: &mut usize) -> Result<Node, String> {
        let rest = &s[*at..];
        let open_end = rest.find('>').ok_or("unclosed tag")?;
        let tag = rest.get(1..open_end).ok_or("no tag")?;
        let name = tag
            .split_whitespace()
            .next()
            .ok_or("empty tag")?
            .to_string();
        *at += open_end + 1;
        let mut node = Node {
            name,
            children: Vec::new(),
            text: String::new(),
        };
        loop {
            let rest = &s[*at..];
            let lt = rest.find('<').ok_or("unterminated element")?;
            node.text.push_str(&unescape(&rest[..lt]));
            *at += lt;
            if s[*at..].starts_with("</") {
                let end = s[*at..].find('>').ok_or("unclosed end tag")?;
                let closing = &s[*at + 2..*at + end];
                if closing != node.name {
                    return Err(format!("<{}> closed by </{closing}>", node.name));
                }
                *at += end + 1;
                if !node.children.is_empty() {
                    node.text = node.text.trim().to_string();
                }
                return Ok(node);
            }
            node.children.push(element(s, at)?);
        }
    }
    let start = text.find('<').ok_or("no element")?;
    let mut at = start;
    element(text, &mut at)
}

/// An XML element as the JSON value of `shape` (query protocol: lists of
/// `<member>`, timestamps in ISO 8601, numbers as text), so that
/// [`Model::check`] can judge it. A timestamp that is not ISO 8601 becomes a
/// string, which the check refuses.
fn as_value(model: &Model, shape: &str, node: &Node) -> Value {
    let s = model.shape(shape);
    match s["type"].as_str().unwrap_or("") {
        "structure" => {
            let mut out = Map::new();
            for c in &node.children {
                let target = s["members"][c.name.as_str()]["shape"].as_str();
                let v = match target {
                    Some(t) => as_value(model, t, c),
                    None => Value::String(c.text.clone()),
                };
                out.insert(c.name.clone(), v);
            }
            Value::Object(out)
        }
        "list" => {
            let member = s["member"]["shape"].as_str().unwrap_or_default();
            Value::Array(
                node.children
                    .iter()
                    .map(|c| as_value(model, member, c))
                    .collect(),
            )
        }
        "integer" | "long" => node
            .text
            .parse::<i64>()
            .map_or_else(|_| json!(node.text), |n| json!(n)),
        "timestamp" => chrono::DateTime::parse_from_rfc3339(&node.text)
            .map_or_else(|_| json!(node.text), |t| json!(t.timestamp())),
        _ => Value::String(node.text.clone()),
    }
}

/// AWS's common errors (the "Common Errors" page of the STS API reference):
/// codes any query-protocol call may get, which the model does not list.
const STS_COMMON: &[&str] = &[
    "AccessDenied",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "MissingAction",
    "ValidationError",
];

/// What a run has checked and found.
#[derive(Default)]
struct Run {
    problems: Vec<String>,
    answers: std::collections::BTreeSet<(String, Answer)>,
}

impl Run {
    /// An STS call: the XML checked against the model; the parsed answer.
    async fn sts(&mut self, s: &Server, model: &Model, op: &str, akid: &str, form: &str) -> Node {
        let (status, head, text) = raw(
            s,
            &post(
                &scope("sts", akid),
                "application/x-www-form-urlencoded",
                &format!("Action={op}&Version=2011-06-15{form}"),
            ),
        )
        .await;
        let at = format!("{op} {status}");
        if !header(&head, "content-type").is_some_and(|c| c.starts_with("text/xml")) {
            self.problems.push(format!("{at}: not text/xml"));
        }
        let root = match parse_xml(&text) {
            Ok(r) => r,
            Err(e) => {
                self.problems
                    .push(format!("{at}: not XML ({e}): {text:.200}"));
                return Node {
                    name: String::new(),
                    children: Vec::new(),
                    text: String::new(),
                };
            }
        };
        let o = model.operation(op);
        if status == 200 {
            let wrapper = o["output"]["resultWrapper"].as_str().unwrap_or_default();
            let shape = o["output"]["shape"].as_str().unwrap_or_default();
            if root.name != format!("{op}Response") {
                self.problems.push(format!("{at}: root <{}>", root.name));
            }
            if root
                .child("ResponseMetadata")
                .and_then(|m| m.child("RequestId"))
                .is_none()
            {
                self.problems.push(format!("{at}: no RequestId"));
            }
            match root.child(wrapper) {
                Some(result) => {
                    let v = as_value(model, shape, result);
                    model.check(shape, &v, op, &mut self.problems);
                }
                None => self.problems.push(format!("{at}: no <{wrapper}>")),
            }
            self.answers.insert((op.into(), Answer::Success));
            return root;
        }
        let error = root.child("Error");
        let code = error
            .and_then(|e| e.child("Code"))
            .map_or(String::new(), |c| c.text.clone());
        if root.name != "ErrorResponse"
            || error.and_then(|e| e.child("Type")).map(|t| t.text.as_str()) != Some("Sender")
            || error.and_then(|e| e.child("Message")).is_none()
            || root.child("RequestId").is_none()
        {
            self.problems
                .push(format!("{at}: not an STS ErrorResponse: {text:.300}"));
        }
        // The model's errors by their wire code (`error.code`).
        let modelled = o["errors"].as_array().into_iter().flatten().find_map(|e| {
            let name = e["shape"].as_str()?;
            let shape = model.shape(name);
            (shape["error"]["code"] == code.as_str()).then(|| (name.to_string(), shape))
        });
        let answer = match modelled {
            Some((name, shape)) => {
                let want = shape["error"]["httpStatusCode"].as_u64().unwrap_or(400);
                if u64::from(status) != want {
                    self.problems
                        .push(format!("{at}: {code} is HTTP {want} in the model"));
                }
                Answer::Modelled {
                    name,
                    declared: true,
                }
            }
            None if STS_COMMON.contains(&code.as_str()) => Answer::Unmodelled(code),
            None => {
                self.problems.push(format!(
                    "{at}: {code} is neither the model's nor a common error"
                ));
                Answer::Unmodelled(code)
            }
        };
        self.answers.insert((op.into(), answer));
        root
    }

    /// A JSON call (Organizations, the portal): checked by the model.
    async fn json(&mut self, s: &Server, model: &Model, op: &str, request: &[u8]) -> Value {
        let (status, head, text) = raw(s, request).await;
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
            self.problems
                .push(format!("{op}: not JSON ({e}): {text:.200}"));
            Value::Null
        });
        let error_type = header(&head, "x-amzn-ErrorType");
        let answer = model.check_response(
            op,
            status,
            error_type.as_deref(),
            &value,
            &mut self.problems,
        );
        if let Answer::Modelled {
            declared: false,
            name,
        }
        | Answer::Unmodelled(name) = &answer
        {
            self.problems.push(format!(
                "{op} {status}: {name} is not among the operation's errors"
            ));
        }
        self.answers.insert((op.into(), answer));
        value
    }

    fn finish(self, want: &[(&str, Answer)]) {
        assert!(self.problems.is_empty(), "{:#?}", self.problems);
        for (op, a) in want {
            assert!(
                self.answers.contains(&(op.to_string(), a.clone())),
                "{op} never answered {a:?}: {:?}",
                self.answers
            );
        }
    }
}

fn modelled(name: &str) -> Answer {
    Answer::Modelled {
        name: name.into(),
        declared: true,
    }
}

#[tokio::test]
async fn sts_answers_fit_botocores_sts_model() {
    let Some(model) = model_of("sts") else { return };
    let s = start(org_options()).await;
    let org = s.emulator.org.clone().unwrap();
    let mut run = Run::default();
    run.sts(&s, model, "GetCallerIdentity", "AKIDTEST", "")
        .await;
    let (active, suspended) = (&org.members[0].id, &org.members[9].id);
    let root = run
        .sts(
            &s,
            model,
            "AssumeRole",
            "AKIDTEST",
            &format!("&RoleArn=arn%3Aaws%3Aiam%3A%3A{active}%3Arole%2FReader&RoleSessionName=s1&DurationSeconds=900"),
        )
        .await;
    // The issued key's own GetCallerIdentity, and a refusal when expired.
    let akid = root
        .child("AssumeRoleResult")
        .and_then(|r| r.child("Credentials"))
        .and_then(|c| c.child("AccessKeyId"))
        .map(|k| k.text.clone())
        .unwrap_or_default();
    let issued = s.emulator.identities.issued(&akid).expect("issued");
    let signed_by_it = |op: &str| {
        post(
            &format!(
                "{}x-amz-security-token: {}\r\n",
                scope("sts", &akid),
                issued.session_token
            ),
            "application/x-www-form-urlencoded",
            &format!("Action={op}&Version=2011-06-15"),
        )
    };
    // Signed with a zero signature: refused as the signature it is, which
    // the model does not list but every service answers.
    let (status, _, text) = raw(&s, &signed_by_it("GetCallerIdentity")).await;
    assert_eq!(status, 403, "{text}");
    for form in [
        format!("&RoleArn=arn%3Aaws%3Aiam%3A%3A{suspended}%3Arole%2FReader&RoleSessionName=s1"),
        "&RoleArn=arn%3Aaws%3Aiam%3A%3A999999999999%3Arole%2FReader&RoleSessionName=s1".into(),
        "&RoleSessionName=s1".into(),
        "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FR&RoleSessionName=x".into(),
        "&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FR&RoleSessionName=ss&DurationSeconds=5".into(),
    ] {
        run.sts(&s, model, "AssumeRole", "AKIDTEST", &form).await;
    }
    s.emulator.set_credentials_expired(true);
    run.sts(
        &s,
        model,
        "AssumeRole",
        "AKIDTEST",
        "&RoleArn=x&RoleSessionName=s1",
    )
    .await;
    s.shutdown().await;
    run.finish(&[
        ("GetCallerIdentity", Answer::Success),
        ("AssumeRole", Answer::Success),
        ("AssumeRole", Answer::Unmodelled("AccessDenied".into())),
        ("AssumeRole", Answer::Unmodelled("ValidationError".into())),
        ("AssumeRole", modelled("ExpiredTokenException")),
    ]);
    // Every member of the outputs was seen.
    for shape in [
        "Credentials",
        "AssumedRoleUser",
        "GetCallerIdentityResponse",
    ] {
        for m in model.members(shape) {
            assert!(
                model.seen().contains(&(shape.to_string(), m.clone())),
                "{shape}.{m} never written"
            );
        }
    }
}

fn organizations_request(akid: &str, token: &str, body: &str) -> Vec<u8> {
    post(
        &format!(
            "{}X-Amz-Target: AWSOrganizationsV20161128.ListAccounts\r\n{}",
            scope("organizations", akid),
            if token.is_empty() {
                String::new()
            } else {
                format!("x-amz-security-token: {token}\r\n")
            }
        ),
        "application/x-amz-json-1.1",
        body,
    )
}

#[tokio::test]
async fn organizations_answers_fit_botocores_organizations_model() {
    let Some(model) = model_of("organizations") else {
        return;
    };
    let s = start(org_options()).await;
    let mut run = Run::default();
    let op = "ListAccounts";
    let mut token: Option<String> = None;
    let mut accounts = 0;
    for _ in 0..10 {
        let body = match &token {
            Some(t) => json!({"MaxResults": 5, "NextToken": t}),
            None => json!({"MaxResults": 5}),
        };
        let v = run
            .json(
                &s,
                model,
                op,
                &organizations_request("AKIDTEST", "", &body.to_string()),
            )
            .await;
        accounts += v["Accounts"].as_array().map_or(0, Vec::len);
        token = v["NextToken"].as_str().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(accounts, 13);
    for body in [r#"{"MaxResults": 21}"#, r#"{"NextToken": "bogus"}"#] {
        run.json(&s, model, op, &organizations_request("AKIDTEST", "", body))
            .await;
    }
    // A member account's credentials.
    let member = &s.emulator.org.as_ref().unwrap().members[0].id;
    let (akid, issued) = s
        .emulator
        .identities
        .issue(1, member, "Reader", "s", i64::MAX);
    let (status, _, _) = raw(
        &s,
        &organizations_request(&akid, &issued.session_token, "{}"),
    )
    .await;
    // The signature is zeros: refused before the account is looked at.
    assert_eq!(status, 403);
    s.shutdown().await;
    let alone = start(options(10)).await;
    run.json(
        &alone,
        model,
        op,
        &organizations_request("AKIDTEST", "", "{}"),
    )
    .await;
    alone.shutdown().await;
    run.finish(&[
        (op, Answer::Success),
        (op, modelled("InvalidInputException")),
        (op, modelled("AWSOrganizationsNotInUseException")),
    ]);
    for m in model.members("Account") {
        if m == "Paths" {
            continue; // Optional; the endpoint does not place accounts in OUs.
        }
        assert!(
            model.seen().contains(&("Account".to_string(), m.clone())),
            "Account.{m} never written"
        );
    }
}

fn portal(path: &str, token: Option<&str>) -> Vec<u8> {
    let auth = token.map_or(String::new(), |t| {
        format!("x-amz-sso_bearer_token: {t}\r\n")
    });
    get_request(path, &auth)
}

#[tokio::test]
async fn portal_answers_fit_botocores_sso_model() {
    let Some(model) = model_of("sso") else { return };
    let s = start(EmulatorOptions {
        sso_token: vec!["tok".into()],
        ..org_options()
    })
    .await;
    let id = s.emulator.org.as_ref().unwrap().members[0].id.clone();
    let mut run = Run::default();
    let mut next: Option<String> = None;
    let mut accounts = 0;
    for _ in 0..10 {
        let path = match &next {
            Some(t) => format!(
                "/assignment/accounts?max_result=5&next_token={}",
                percent_encoding::utf8_percent_encode(t, percent_encoding::NON_ALPHANUMERIC)
            ),
            None => "/assignment/accounts?max_result=5".into(),
        };
        let v = run
            .json(&s, model, "ListAccounts", &portal(&path, Some("tok")))
            .await;
        accounts += v["accountList"].as_array().map_or(0, Vec::len);
        next = v["nextToken"].as_str().map(str::to_string);
        if next.is_none() {
            break;
        }
    }
    // The management account and the 11 ACTIVE members (one in ten is
    // suspended).
    assert_eq!(accounts, 12);
    let roles = format!("/assignment/roles?account_id={id}");
    run.json(&s, model, "ListAccountRoles", &portal(&roles, Some("tok")))
        .await;
    let creds = format!("/federation/credentials?account_id={id}&role_name=ReadOnlyAccess");
    run.json(
        &s,
        model,
        "GetRoleCredentials",
        &portal(&creds, Some("tok")),
    )
    .await;
    let missing = format!("/federation/credentials?account_id={id}&role_name=Nope");
    run.json(
        &s,
        model,
        "GetRoleCredentials",
        &portal(&missing, Some("tok")),
    )
    .await;
    run.json(
        &s,
        model,
        "GetRoleCredentials",
        &portal("/federation/credentials?account_id=1", Some("tok")),
    )
    .await;
    run.json(
        &s,
        model,
        "ListAccounts",
        &portal("/assignment/accounts?max_result=0", Some("tok")),
    )
    .await;
    run.json(
        &s,
        model,
        "ListAccounts",
        &portal("/assignment/accounts", None),
    )
    .await;
    s.emulator.clock.advance(8 * 3_600_000);
    run.json(&s, model, "ListAccountRoles", &portal(&roles, Some("tok")))
        .await;
    s.shutdown().await;
    run.finish(&[
        ("ListAccounts", Answer::Success),
        ("ListAccountRoles", Answer::Success),
        ("GetRoleCredentials", Answer::Success),
        ("GetRoleCredentials", modelled("ResourceNotFoundException")),
        ("GetRoleCredentials", modelled("InvalidRequestException")),
        ("ListAccounts", modelled("InvalidRequestException")),
        ("ListAccounts", modelled("UnauthorizedException")),
        ("ListAccountRoles", modelled("UnauthorizedException")),
    ]);
    for shape in ["AccountInfo", "RoleInfo", "RoleCredentials"] {
        for m in model.members(shape) {
            assert!(
                model.seen().contains(&(shape.to_string(), m.clone())),
                "{shape}.{m} never written"
            );
        }
    }
}
