//! The IAM Identity Center portal on the endpoint's port: `ListAccounts`
//! (`GET /assignment/accounts`), `ListAccountRoles` (`GET
//! /assignment/roles`) and `GetRoleCredentials` (`GET
//! /federation/credentials`), REST JSON as botocore's `sso` model has them.
//! Unsigned: the access token in `x-amz-sso_bearer_token` says who calls.
//!
//! Tokens are those of `--sso-token` (every ACTIVE account, every role, for
//! 8 hours) and those `POST /_emulator/sso-token` registers; an unknown or
//! expired one is refused 401 UnauthorizedException, as after the session
//! `aws sso login` opened runs out.

use super::api::{ApiError, Reply, query_pairs};
use super::emulator::Emulator;
use super::identity::SsoToken;
use super::org::{self, DEFAULT_SSO_ROLES, MANAGEMENT_NAME, Status};
use http::{HeaderMap, Method};
use serde_json::json;

/// The portal's page size when `max_result` is not given.
const PAGE: usize = 20;

/// The operation a portal request is (as the counters name it), or `None`
/// when the request is not the portal's.
pub fn operation(method: &Method, path: &str) -> Option<&'static str> {
    if method != Method::GET {
        return None;
    }
    match path {
        "/assignment/accounts" => Some("sso:ListAccounts"),
        "/assignment/roles" => Some("sso:ListAccountRoles"),
        "/federation/credentials" => Some("sso:GetRoleCredentials"),
        _ => None,
    }
}

fn unauthorized() -> ApiError {
    ApiError::new(
        401,
        "UnauthorizedException",
        "Session token not found or invalid",
    )
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(400, "InvalidRequestException", message)
}

/// The accounts a token reaches, in the organisation's order, with names:
/// the ACTIVE ones (the caller's alone without `--org-size`).
fn reachable(emu: &Emulator, token: &SsoToken) -> Vec<(String, String, String)> {
    let all: Vec<(String, String, String)> = match &emu.org {
        None => vec![(
            emu.account.clone(),
            MANAGEMENT_NAME.to_string(),
            format!("aws+{MANAGEMENT_NAME}@example.com"),
        )],
        Some(o) => std::iter::once((
            o.management.clone(),
            MANAGEMENT_NAME.to_string(),
            format!("aws+{MANAGEMENT_NAME}@example.com"),
        ))
        .chain(
            o.members
                .iter()
                .filter(|m| m.status == Status::Active)
                .map(|m| (m.id.clone(), m.name.clone(), m.email())),
        )
        .collect(),
    };
    all.into_iter()
        .filter(|(id, _, _)| token.accounts.as_ref().is_none_or(|a| a.contains(id)))
        .collect()
}

/// The roles a token may take in `account` (none where the organisation
/// denies the role there).
fn roles(emu: &Emulator, token: &SsoToken, account: &str) -> Vec<String> {
    if emu.options.org_deny_role.iter().any(|a| a == account) {
        return Vec::new();
    }
    let offered: Vec<String> = if emu.options.org_roles.is_empty() {
        DEFAULT_SSO_ROLES.iter().map(|r| r.to_string()).collect()
    } else {
        emu.options.org_roles.clone()
    };
    offered
        .into_iter()
        .filter(|r| token.roles.as_ref().is_none_or(|t| t.contains(r)))
        .collect()
}

/// `(offset, page size)` of `next_token` and `max_result`.
fn paging(pairs: &[(String, String)]) -> Result<(usize, usize), ApiError> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let size = match get("max_result") {
        None => PAGE,
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => n,
            _ => return Err(invalid(format!("max_result {v} is not between 1 and 100"))),
        },
    };
    let from = match get("next_token") {
        None => 0,
        Some(t) => org::page_offset(t).ok_or_else(|| invalid("Invalid next_token"))?,
    };
    Ok((from, size))
}

fn paged<T: Clone>(items: &[T], from: usize, size: usize) -> (Vec<T>, Option<String>) {
    let page = items.iter().skip(from).take(size).cloned().collect();
    let next = (from + size < items.len()).then(|| org::page_token(from + size));
    (page, next)
}

pub(crate) fn answer(emu: &Emulator, op: &str, headers: &HeaderMap, query: &str) -> Reply {
    let token = headers
        .get("x-amz-sso_bearer_token")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| emu.identities.token(t))
        .filter(|t| emu.clock.now_ms() < t.expires_ms)
        .ok_or_else(unauthorized)?;
    let pairs = query_pairs(query);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let accounts = reachable(emu, &token);
    // An account the token does not reach is one the portal does not know.
    let account = |id: Option<&str>| -> Result<String, ApiError> {
        let id = id.ok_or_else(|| invalid("account_id is required"))?;
        accounts
            .iter()
            .find(|(a, _, _)| a == id)
            .map(|(a, _, _)| a.clone())
            .ok_or_else(|| ApiError::new(404, "ResourceNotFoundException", "No access"))
    };
    let body = match op {
        "sso:ListAccounts" => {
            let (from, size) = paging(&pairs)?;
            let (page, next) = paged(&accounts, from, size);
            let list: Vec<_> = page
                .iter()
                .map(|(id, name, email)| {
                    json!({"accountId": id, "accountName": name, "emailAddress": email})
                })
                .collect();
            with_next(json!({"accountList": list}), next)
        }
        "sso:ListAccountRoles" => {
            let id = account(get("account_id"))?;
            let (from, size) = paging(&pairs)?;
            let (page, next) = paged(&roles(emu, &token, &id), from, size);
            let list: Vec<_> = page
                .iter()
                .map(|r| json!({"roleName": r, "accountId": id}))
                .collect();
            with_next(json!({"roleList": list}), next)
        }
        _ => {
            let role = get("role_name").ok_or_else(|| invalid("role_name is required"))?;
            let id = account(get("account_id"))?;
            if !roles(emu, &token, &id).iter().any(|r| r == role) {
                return Err(ApiError::new(404, "ResourceNotFoundException", "No access"));
            }
            let lifetime_ms = i64::try_from(emu.options.credential_lifetime.saturating_mul(1000))
                .unwrap_or(i64::MAX);
            let expires_ms = emu.clock.now_ms().saturating_add(lifetime_ms);
            // Identity Center's roles are named after the permission set.
            let suffix = super::seeds::mix(super::seeds::fnv(role.as_bytes()), 5);
            let iam_role = format!("AWSReservedSSO_{role}_{suffix:016x}");
            emu.count_in(&id, emu.default_region(), "sso:GetRoleCredentials");
            let (akid, issued) = emu.identities.issue(
                emu.options.seed,
                &id,
                &iam_role,
                "copyjobs-user",
                expires_ms,
            );
            json!({"roleCredentials": {
                "accessKeyId": akid,
                "secretAccessKey": issued.secret,
                "sessionToken": issued.session_token,
                "expiration": expires_ms,
            }})
        }
    };
    Ok((200, body.to_string().into_bytes()))
}

fn with_next(mut v: serde_json::Value, next: Option<String>) -> serde_json::Value {
    if let Some(t) = next {
        v["nextToken"] = json!(t);
    }
    v
}
