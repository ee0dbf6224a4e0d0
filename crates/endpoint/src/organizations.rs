//! AWS Organizations on the endpoint's port: `ListAccounts`, in JSON 1.1
//! (`X-Amz-Target: AWSOrganizationsV20161128.ListAccounts`), paginated by
//! `NextToken`/`MaxResults`, as botocore's `organizations` model has it. A
//! request is Organizations' when its credential scope names
//! `organizations`. Only the management account may list: a member gets
//! AccessDeniedException, an account in no organisation (no `--org-size`)
//! AWSOrganizationsNotInUseException.

use super::emulator::Emulator;
use super::exchange::{Body, Seen, Signed, respond_as};
use super::org::{self, MANAGEMENT_NAME};
use http::{HeaderMap, Response};
use serde_json::{Value, json};

const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
/// The model's MaxResults range is 1..20; a request without one gets 20.
const MAX_RESULTS: i64 = 20;

/// The errors ListAccounts has shapes for in the model.
const MODELLED: &[&str] = &[
    "AccessDeniedException",
    "AWSOrganizationsNotInUseException",
    "InvalidInputException",
];

struct OrgError(&'static str, String, Option<&'static str>);

pub(crate) fn answer(
    emu: &Emulator,
    who: &Signed,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
    seen: &mut Seen,
) -> Response<Body> {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let op: &'static str = match target.strip_prefix(TARGET_PREFIX) {
        Some("ListAccounts") => "organizations:ListAccounts",
        _ => "organizations:-",
    };
    seen.operation = Some(op);
    emu.count(&who.region, op);
    let result = if emu.credentials_expired() || who.expired(emu) {
        Err(OrgError(
            "ExpiredTokenException",
            "The security token included in the request is expired".into(),
            None,
        ))
    } else if op == "organizations:-" {
        Err(OrgError(
            "UnknownOperationException",
            format!(
                "The local endpoint does not implement {target:?}: it serves {TARGET_PREFIX}ListAccounts."
            ),
            None,
        ))
    } else {
        list_accounts(emu, who, body)
    };
    match result {
        Ok(v) => respond_as(
            CONTENT_TYPE,
            200,
            v.to_string().into_bytes(),
            request_id,
            None,
        ),
        Err(OrgError(code, message, reason)) => {
            // The model's errors spell it `Message`; AWS's common ones `message`.
            let field = if MODELLED.contains(&code) {
                "Message"
            } else {
                "message"
            };
            let mut v = json!({"__type": code, field: message});
            if let Some(r) = reason {
                v["Reason"] = json!(r);
            }
            respond_as(
                CONTENT_TYPE,
                400,
                v.to_string().into_bytes(),
                request_id,
                Some(code),
            )
        }
    }
}

fn invalid(message: impl Into<String>, reason: &'static str) -> OrgError {
    OrgError("InvalidInputException", message.into(), Some(reason))
}

fn list_accounts(emu: &Emulator, who: &Signed, body: &[u8]) -> Result<Value, OrgError> {
    let Some(org) = emu.org.as_ref() else {
        return Err(OrgError(
            "AWSOrganizationsNotInUseException",
            "Your account is not a member of an organization.".into(),
            None,
        ));
    };
    if who.account(emu) != org.management {
        return Err(OrgError(
            "AccessDeniedException",
            format!(
                "You don't have permissions to access this resource: {} is not the management account of the organization.",
                who.principal(emu)
            ),
            None,
        ));
    }
    let text = String::from_utf8_lossy(body);
    let request: Value = if text.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(&text).map_err(|e| {
            OrgError(
                "SerializationException",
                format!("The request body is not JSON: {e}"),
                None,
            )
        })?
    };
    let max = match &request["MaxResults"] {
        Value::Null => MAX_RESULTS,
        v => match v.as_i64() {
            Some(n) if (1..=MAX_RESULTS).contains(&n) => n,
            _ => {
                return Err(invalid(
                    format!("MaxResults must be between 1 and {MAX_RESULTS}."),
                    "MAX_VALUE_EXCEEDED",
                ));
            }
        },
    } as usize;
    let from = match &request["NextToken"] {
        Value::Null => 0,
        v => v
            .as_str()
            .and_then(org::page_offset)
            .ok_or_else(|| invalid("The NextToken is not valid.", "INVALID_NEXT_TOKEN"))?,
    };
    let now_s = emu.clock.now_ms() as f64 / 1000.0;
    let management = json!({
        "Id": org.management,
        "Arn": org.arn(&org.management),
        "Email": format!("aws+{MANAGEMENT_NAME}@example.com"),
        "Name": MANAGEMENT_NAME,
        "Status": "ACTIVE",
        "State": "ACTIVE",
        "JoinedMethod": "INVITED",
        "JoinedTimestamp": (now_s - 6.0 * 365.0 * 86_400.0).floor(),
    });
    let members = org.members.iter().map(|m| {
        json!({
            "Id": m.id,
            "Arn": org.arn(&m.id),
            "Email": m.email(),
            "Name": m.name,
            "Status": m.status.as_str(),
            "State": m.status.as_str(),
            "JoinedMethod": "CREATED",
            "JoinedTimestamp": (now_s - m.joined_ago_s as f64).floor(),
        })
    });
    let all: Vec<Value> = std::iter::once(management).chain(members).collect();
    let page: Vec<Value> = all.iter().skip(from).take(max).cloned().collect();
    let mut out = json!({"Accounts": page});
    if from + max < all.len() {
        out["NextToken"] = json!(org::page_token(from + max));
    }
    Ok(out)
}
