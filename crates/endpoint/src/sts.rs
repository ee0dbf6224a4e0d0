//! STS on the endpoint's port: `AssumeRole` and `GetCallerIdentity`, in the
//! query protocol (a form-encoded POST naming its `Action`, XML answers and
//! XML errors), as botocore's `sts` model has them. A request is STS when
//! its SigV4 credential scope names `sts`.
//!
//! AssumeRole into an account of the organisation (`--org-size`) issues
//! credentials that sign as that account until `--credential-lifetime`
//! runs out on the endpoint's clock.

use super::api::query_pairs;
use super::emulator::Emulator;
use super::exchange::{Body, Seen, Signed, respond_as};
use super::org;
use http::Response;

const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// An STS error: status, code (as the model's `error.code`), message.
struct StsError(u16, &'static str, String);

impl StsError {
    fn validation(message: impl Into<String>) -> Self {
        StsError(400, "ValidationError", message.into())
    }
}

/// XML text with `&`, `<`, `>` and quotes escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A form body's pairs: `+` is a space there, unlike in a query string.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    query_pairs(&String::from_utf8_lossy(body).replace('+', "%20"))
}

/// `2025-06-01T13:00:00Z`, as STS writes `Expiration`.
pub fn iso_seconds(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

pub(crate) fn answer(
    emu: &Emulator,
    who: &Signed,
    body: &[u8],
    request_id: &str,
    seen: &mut Seen,
) -> Response<Body> {
    let pairs = form_pairs(body);
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let action = get("Action").unwrap_or("");
    let op: &'static str = match action {
        "AssumeRole" => "sts:AssumeRole",
        "GetCallerIdentity" => "sts:GetCallerIdentity",
        _ => "sts:-",
    };
    seen.operation = Some(op);
    emu.count(&who.region, op);
    let result = if emu.credentials_expired() || who.expired(emu) {
        Err(StsError(
            400,
            "ExpiredTokenException",
            "The security token included in the request is expired".into(),
        ))
    } else {
        match action {
            "AssumeRole" => assume_role(emu, who, &get),
            "GetCallerIdentity" => Ok(caller_identity(emu, who)),
            "" => Err(StsError(400, "MissingAction", "Missing Action".into())),
            other => Err(StsError(
                400,
                "InvalidAction",
                format!(
                    "Could not find operation {} for version 2011-06-15 (the local endpoint serves AssumeRole and GetCallerIdentity)",
                    escape(other)
                ),
            )),
        }
    };
    match result {
        Ok((name, inner)) => {
            let xml = format!(
                "<{name}Response xmlns=\"{NAMESPACE}\">\n  <{name}Result>\n{inner}  </{name}Result>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</{name}Response>\n"
            );
            respond_as("text/xml", 200, xml.into_bytes(), request_id, None)
        }
        Err(StsError(status, code, message)) => {
            let kind = if status >= 500 { "Receiver" } else { "Sender" };
            let xml = format!(
                "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{code}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n",
                escape(&message)
            );
            respond_as("text/xml", status, xml.into_bytes(), request_id, None)
        }
    }
}

fn caller_identity(emu: &Emulator, who: &Signed) -> (&'static str, String) {
    let (user_id, account, arn) = match &who.issued {
        Some(i) => (
            format!("{}:{}", i.role_id(), i.session),
            i.account.clone(),
            i.arn(),
        ),
        None => (
            format!("AIDA{:016X}", super::seeds::mix(emu.options.seed, 0x1d)),
            emu.account.clone(),
            emu.caller_arn(),
        ),
    };
    (
        "GetCallerIdentity",
        format!(
            "    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{account}</Account>\n",
            escape(&arn),
            escape(&user_id)
        ),
    )
}

/// `arn:aws:iam::ACCOUNT:role/[PATH/]NAME` -> (account, name).
fn parse_role_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let ok = account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name.len() <= 64;
    ok.then_some((account, name))
}

fn session_name_ok(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=,.@-".contains(&b))
}

fn assume_role<'a>(
    emu: &Emulator,
    who: &Signed,
    get: &dyn Fn(&str) -> Option<&'a str>,
) -> Result<(&'static str, String), StsError> {
    let (Some(role_arn), Some(session)) = (get("RoleArn"), get("RoleSessionName")) else {
        let missing = if get("RoleArn").is_none() {
            "roleArn"
        } else {
            "roleSessionName"
        };
        return Err(StsError::validation(format!(
            "1 validation error detected: Value null at '{missing}' failed to satisfy constraint: Member must not be null"
        )));
    };
    if !session_name_ok(session) {
        return Err(StsError::validation(format!(
            "1 validation error detected: Value '{session}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*"
        )));
    }
    let duration = match get("DurationSeconds") {
        None => None,
        Some(d) => match d.parse::<u64>() {
            Ok(n) if (900..=43_200).contains(&n) => Some(n),
            _ => {
                return Err(StsError::validation(format!(
                    "1 validation error detected: Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200"
                )));
            }
        },
    };
    let Some((account, role)) = parse_role_arn(role_arn) else {
        return Err(StsError::validation(format!(
            "{role_arn} is invalid: a role ARN is arn:aws:iam::ACCOUNT:role/NAME"
        )));
    };
    if let Some(why) = org::refusal(emu.org.as_ref(), &emu.options, &emu.account, account, role) {
        return Err(StsError(
            403,
            "AccessDenied",
            format!(
                "User: {} is not authorized to perform: sts:AssumeRole on resource: {role_arn} ({why})",
                who.principal(emu)
            ),
        ));
    }
    let lifetime = emu.options.credential_lifetime;
    let seconds = duration.map_or(lifetime, |d| d.min(lifetime));
    let expires_ms = emu
        .clock
        .now_ms()
        .saturating_add(i64::try_from(seconds.saturating_mul(1000)).unwrap_or(i64::MAX));
    emu.count_in(account, &who.region, "sts:AssumeRole");
    let (akid, issued) = emu
        .identities
        .issue(emu.options.seed, account, role, session, expires_ms);
    Ok((
        "AssumeRole",
        format!(
            "    <AssumedRoleUser>\n      <AssumedRoleId>{}:{}</AssumedRoleId>\n      <Arn>{}</Arn>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>{akid}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>\n",
            issued.role_id(),
            escape(session),
            escape(&issued.arn()),
            issued.secret,
            issued.session_token,
            iso_seconds(expires_ms),
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_and_session_names_are_checked() {
        assert_eq!(
            parse_role_arn("arn:aws:iam::111122223333:role/Reader"),
            Some(("111122223333", "Reader"))
        );
        assert_eq!(
            parse_role_arn("arn:aws:iam::111122223333:role/team/x/Reader"),
            Some(("111122223333", "Reader"))
        );
        assert_eq!(parse_role_arn("arn:aws:iam::1111:role/Reader"), None);
        assert_eq!(parse_role_arn("arn:aws:iam::111122223333:user/x"), None);
        assert!(session_name_ok("copyjobs-1@x"));
        assert!(!session_name_ok("a"));
        assert!(!session_name_ok("has space"));
        assert_eq!(escape("a<b&'"), "a&lt;b&amp;&apos;");
        assert_eq!(iso_seconds(1_748_779_200_000), "2025-06-01T12:00:00Z");
    }
}
