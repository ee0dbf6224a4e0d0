//! SDK errors turned into something a person can act on: what happened, in
//! the service's own words where it sent any, and what to do about it.

use super::profiles::Kind;
use aws_credential_types::provider::error::{CredentialsError, TokenError};
use aws_sdk_bedrock::config::http::HttpResponse;
use aws_sdk_bedrock::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::fmt;

/// What went wrong, in a form a person can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// No usable credentials, or they expired.
    Credentials,
    /// The endpoint could not be reached or the connection broke.
    Network,
    /// The service refused: the text is its own message.
    Service,
    Throttled,
    /// The job (or model) does not exist, or no longer does.
    NotFound,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub kind: ErrorKind,
    /// The error itself, with the service's code and message when it sent one.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Credentials that worked and ran out (an SSO session, a session
    /// token): renewing them is all it takes.
    pub expired: bool,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(h) = &self.hint {
            write!(f, " — {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FetchError {}

const CREDENTIALS_HINT: &str = "run `aws sso login --profile <profile>` or `aws configure`, pass --profile, or try `copyjobs demo`";

impl FetchError {
    pub fn new(kind: ErrorKind, message: impl Into<String>, hint: Option<&str>) -> Self {
        FetchError {
            kind,
            message: message.into(),
            hint: hint.map(str::to_string),
            expired: false,
        }
    }

    /// An account's role that STS will not let the caller assume: its
    /// account's alone, never the caller's credentials.
    pub fn role_refused(why: &str) -> FetchError {
        FetchError::new(
            ErrorKind::Credentials,
            format!("The role cannot be assumed: {why}"),
            Some(ROLE_HINT),
        )
    }

    /// Advice that fits the credentials, once the layer that knows which
    /// profile was used has the error: `aws sso login --profile dev` for an
    /// SSO profile, new keys for a session token, the source profile of a
    /// role, the helper's own words for a `credential_process`.
    pub fn for_profile(mut self, profile: Option<&str>) -> FetchError {
        if self.kind == ErrorKind::Credentials && self.hint.as_deref() == Some(CREDENTIALS_HINT) {
            let kind = super::profiles::known(profile);
            self.hint = Some(advice(&kind, profile, &self.message));
        }
        self
    }

    pub fn from_sdk<E>(err: SdkError<E, HttpResponse>) -> FetchError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let detail = DisplayErrorContext(&err).to_string();
        match &err {
            SdkError::ServiceError(service) => {
                let e = service.err();
                let code = e.code().unwrap_or("Error");
                let message = format!("{code}: {}", e.message().unwrap_or("(no message)"));
                match code {
                    "ThrottlingException" | "TooManyRequestsException" => FetchError::new(
                        ErrorKind::Throttled,
                        message,
                        Some("the service is throttling; copyjobs backs off and retries"),
                    ),
                    "ExpiredTokenException" | "ExpiredToken" => FetchError {
                        expired: true,
                        ..FetchError::new(ErrorKind::Credentials, message, Some(CREDENTIALS_HINT))
                    },
                    "UnrecognizedClientException" | "InvalidSignatureException" => {
                        FetchError::new(ErrorKind::Credentials, message, Some(CREDENTIALS_HINT))
                    }
                    "AccessDeniedException" => {
                        let hint = access_denied_hint(&message);
                        FetchError::new(ErrorKind::Service, message, Some(hint))
                    }
                    "ResourceNotFoundException" => {
                        FetchError::new(ErrorKind::NotFound, message, None)
                    }
                    _ => FetchError::new(ErrorKind::Service, message, None),
                }
            }
            _ if let Some(problem) = credentials_problem(&err) => {
                match role_refusal(&problem.cause) {
                    Some(why) => FetchError::new(
                        ErrorKind::Credentials,
                        format!("The role cannot be assumed: {why}"),
                        Some(ROLE_HINT),
                    ),
                    None => FetchError {
                        expired: problem.expired,
                        ..FetchError::new(
                            ErrorKind::Credentials,
                            format!("No usable AWS credentials: {}", problem.cause),
                            Some(CREDENTIALS_HINT),
                        )
                    },
                }
            }
            SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => FetchError::new(
                ErrorKind::Network,
                format!(
                    "Cannot reach the Bedrock endpoint: {}",
                    first_cause(&detail)
                ),
                Some("check the network, --region and --endpoint-url"),
            ),
            SdkError::ResponseError(_) => FetchError::new(
                ErrorKind::Network,
                format!(
                    "The response was cut off or unreadable: {}",
                    first_cause(&detail)
                ),
                None,
            ),
            _ => FetchError::new(ErrorKind::Other, detail, None),
        }
    }
}

/// What to do about credentials of `kind` that do not work; `message` is
/// the error (a `credential_process` helper's stderr is in it).
fn advice(kind: &Kind, profile: Option<&str>, message: &str) -> String {
    let of = |p: Option<&str>| p.map_or_else(String::new, |p| format!(" --profile {p}"));
    match kind {
        Kind::Sso => format!("run `aws sso login{}`", of(profile)),
        Kind::Role {
            source_profile,
            source,
        } => format!(
            "profile {} assumes its role with the credentials of profile {source_profile}: {}",
            profile.unwrap_or("default"),
            advice(source, Some(source_profile), message)
        ),
        Kind::RoleFrom(source) => format!(
            "profile {} assumes its role with the credentials of {source}: those did not work",
            profile.unwrap_or("default")
        ),
        Kind::SessionToken => match profile {
            Some(p) => format!(
                "the session token of profile {p} expired: put new keys and a new aws_session_token in profile {p} (a login does not renew them)"
            ),
            None => "the session token (AWS_SESSION_TOKEN) expired: set new AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (a login does not renew them)".to_string(),
        },
        Kind::Process => {
            let said = message
                .split_once("Stderr:")
                .and_then(|(_, rest)| rest.lines().map(str::trim).find(|l| !l.is_empty()))
                .map_or_else(|| "it gave no credentials".to_string(), |l| format!("it said: {l}"));
            format!(
                "the credential_process of profile {} failed, {said}",
                profile.unwrap_or("default")
            )
        }
        Kind::Keys => match profile {
            Some(p) => format!(
                "the keys of profile {p} were not accepted: run `aws configure --profile {p}` with valid keys"
            ),
            None => "the keys in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the default profile) were not accepted: set valid ones, or pass --profile".to_string(),
        },
        Kind::Unknown => match profile {
            Some(p) => format!("run `aws sso login --profile {p}` or `aws configure --profile {p}`"),
            None => "run `aws sso login` or `aws configure`, pass --profile, or try `copyjobs demo`"
                .to_string(),
        },
    }
}

const ROLE_HINT: &str = "this account is read through a role the caller may not assume (missing, its trust policy, or the account suspended); the other accounts go on";

/// STS refusing `AssumeRole` for an account (`--org`, `--accounts`): the
/// service's own words, without the SDK's debug dress and request id, so
/// one account's refusal reads the same at every retry. None for any other
/// failure of the credentials.
pub fn role_refusal(cause: &str) -> Option<String> {
    if !cause.contains("AssumeRole") {
        return None;
    }
    let field = |name: &str, ends: &[&str]| {
        let (_, rest) = cause.split_once(&format!("{name}: \""))?;
        ends.iter()
            .find_map(|end| rest.split_once(end))
            .map(|(v, _)| v.to_string())
    };
    let said = field("message", &["\", aws_request_id", "\" }"]);
    Some(match (field("code", &["\""]), said) {
        (Some(code), Some(m)) => format!("{code}: {m}"),
        (None, Some(m)) => m,
        _ => cause.to_string(),
    })
}

/// Whether `e` is an account's role refused (see [`role_refusal`]).
pub fn is_role_refused(e: &FetchError) -> bool {
    e.hint.as_deref() == Some(ROLE_HINT)
}

/// What the credential chain said when it could not give credentials.
struct CredentialsProblem {
    cause: String,
    expired: bool,
}

/// Finds the credential provider's own error in the SDK error's causes: the
/// request never left because no identity could be resolved. The SDK's
/// providers say why in their own types (`CredentialsError`, `TokenError`);
/// whether a provider's failure is an expiry is only in its words (the SSO
/// token provider's error type is private to aws-config), so that part reads
/// the innermost cause.
fn credentials_problem(err: &(dyn std::error::Error + 'static)) -> Option<CredentialsProblem> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = cur {
        let found = e.downcast_ref::<CredentialsError>().is_some()
            || e.downcast_ref::<TokenError>().is_some();
        if found {
            let mut innermost = e;
            while let Some(next) = innermost.source() {
                innermost = next;
            }
            let cause = innermost.to_string();
            let expired = cause.to_ascii_lowercase().contains("expired");
            return Some(CredentialsProblem { cause, expired });
        }
        cur = e.source();
    }
    None
}

/// The SDK's error text is "context: context: cause (DebugRepr(…))": keep
/// the cause, the part a person can act on.
fn first_cause(detail: &str) -> String {
    static DEBUG_TAIL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r" \([A-Z][A-Za-z]*\(").expect("a valid pattern")
    });
    let text = DEBUG_TAIL
        .find(detail)
        .map_or(detail, |m| &detail[..m.start()]);
    let cause = text.rsplit(": ").next().unwrap_or(text).trim();
    if cause.is_empty() {
        detail.to_string()
    } else {
        cause.to_string()
    }
}

/// What to do about an AccessDeniedException, from how the service words
/// it. A grant cannot lift an explicit deny, so for one the advice is not
/// to grant: an organisation's service control policy is its
/// administrators' to change (or the region is left out); another policy's
/// deny is whoever owns that policy's.
pub fn access_denied_hint(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("explicit deny in a service control policy") {
        "an AWS Organizations service control policy denies this here: no grant lifts it; ask the organisation's administrators, or leave this region out"
    } else if m.contains("explicit deny in a resource control policy") {
        "an AWS Organizations resource control policy denies this here: no grant lifts it; ask the organisation's administrators"
    } else if m.contains("explicit deny") {
        "a policy denies this explicitly: no grant lifts a deny; whoever owns that policy must change it"
    } else {
        "the identity needs bedrock:ListModelCopyJobs (and GetModelCopyJob) in this region"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn credential_failures_are_recognised_by_type() {
        let sdk: SdkError<std::io::Error, HttpResponse> =
            SdkError::construction_failure(CredentialsError::provider_error(
                std::io::Error::other("the SSO token has expired and cannot be refreshed"),
            ));
        let problem = credentials_problem(&sdk).expect("a credentials error");
        assert!(problem.expired);
        assert_eq!(
            problem.cause,
            "the SSO token has expired and cannot be refreshed"
        );
        let missing: SdkError<std::io::Error, HttpResponse> =
            SdkError::construction_failure(CredentialsError::not_loaded("no providers in chain"));
        let problem = credentials_problem(&missing).expect("a credentials error");
        assert!(!problem.expired);
        // The same words from anything but a credential provider are not one.
        let refused: SdkError<std::io::Error, HttpResponse> =
            SdkError::construction_failure(std::io::Error::other("credential profile sso expired"));
        assert!(credentials_problem(&refused).is_none());
        assert_eq!(
            first_cause("dispatch failure: io error: Connection refused (os error 111)"),
            "Connection refused (os error 111)"
        );
        let sdk = "dispatch failure: other: the credential provider was not enabled: no providers in chain provided credentials (DispatchFailure(DispatchFailure { source: ConnectorError { kind: Other(None) }, connection: Unknown } }))";
        assert_eq!(
            first_cause(sdk),
            "no providers in chain provided credentials"
        );
        let refused = "dispatch failure: io error: client error (Connect): tcp connect error: Connection refused (os error 111) (DispatchFailure(DispatchFailure { source: x }))";
        assert_eq!(first_cause(refused), "Connection refused (os error 111)");
    }
}
