//! Talking to Bedrock: building the client the way the AWS CLI would, the one
//! list-page call every verb shares, and errors turned into advice.

use crate::jobs::{CopyJob, to_sdk_time};
use crate::query::Filter;
use aws_sdk_bedrock::Client;
use aws_sdk_bedrock::config::http::HttpResponse;
use aws_sdk_bedrock::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_bedrock::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_bedrock::types::{ModelCopyJobStatus, SortJobsBy};
use std::fmt;

/// Where the dashboard looks, as the user asked for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Set by `copyjobs demo`: fixed credentials for the local endpoint only.
    pub demo: bool,
    /// Attempts per request, for scripts that would rather wait out
    /// throttling than fail; `AWS_MAX_ATTEMPTS` still wins when set.
    pub max_attempts: Option<u32>,
}

impl Target {
    /// One line for the header: "demo · us-east-1 · http://127.0.0.1:1234".
    pub fn describe(&self, region: &str) -> String {
        let mut parts = Vec::new();
        if self.demo {
            parts.push("demo".to_string());
        } else if let Some(p) = &self.profile {
            parts.push(format!("profile {p}"));
        }
        parts.push(region.to_string());
        if let Some(e) = &self.endpoint_url {
            parts.push(e.clone());
        }
        parts.join(" · ")
    }
}

/// The resolved connection: the client and the region it signs for.
#[derive(Debug, Clone)]
pub struct Connection {
    pub client: Client,
    pub region: String,
}

/// Builds the client through `aws-config`'s default chain (environment,
/// profiles, SSO, `AWS_ENDPOINT_URL`), as the AWS CLI does. Credentials are
/// resolved lazily, on the first request, so this returns quickly.
pub async fn connect(target: &Target) -> Connection {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(p) = &target.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &target.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &target.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    if target.demo {
        loader = loader.credentials_provider(Credentials::new(
            "DEMOKEY",
            "demo-secret",
            None,
            None,
            "copyjobs-demo",
        ));
    }
    if let Some(n) = target
        .max_attempts
        .filter(|_| std::env::var_os("AWS_MAX_ATTEMPTS").is_none())
    {
        let retry = aws_sdk_bedrock::config::retry::RetryConfig::standard()
            .with_max_attempts(n)
            .with_max_backoff(std::time::Duration::from_secs(20));
        loader = loader.retry_config(retry);
    }
    let config = loader.load().await;
    let region = config.region().map_or_else(String::new, |r| r.to_string());
    Connection {
        client: Client::new(&config),
        region,
    }
}

/// One page of jobs and the token of the next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub jobs: Vec<CopyJob>,
    pub next_token: Option<String>,
}

/// The one ListModelCopyJobs call: every verb pages through this.
pub async fn list_page(
    client: &Client,
    filter: &Filter,
    page_size: usize,
    token: Option<String>,
) -> Result<Page, FetchError> {
    let page_size = i32::try_from(page_size.clamp(1, 1000)).unwrap_or(100);
    let out = client
        .list_model_copy_jobs()
        .sort_by(SortJobsBy::CreationTime)
        .sort_order(filter.sort.to_sdk())
        .set_status_equals(
            filter
                .status
                .as_ref()
                .map(|s| ModelCopyJobStatus::from(s.as_str())),
        )
        .set_creation_time_after(filter.created_after.map(to_sdk_time))
        .set_creation_time_before(filter.created_before.map(to_sdk_time))
        .set_target_model_name_contains(filter.name_contains.clone())
        .set_source_account_equals(filter.source_account.clone())
        .set_source_model_arn_equals(filter.source_model_arn.clone())
        .max_results(page_size)
        .set_next_token(token)
        .send()
        .await
        .map_err(FetchError::from_sdk)?;
    Ok(Page {
        jobs: out
            .model_copy_job_summaries()
            .iter()
            .map(CopyJob::from)
            .collect(),
        next_token: out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

pub async fn get_job(client: &Client, arn: &str) -> Result<CopyJob, FetchError> {
    let out = client
        .get_model_copy_job()
        .job_arn(arn)
        .send()
        .await
        .map_err(FetchError::from_sdk)?;
    Ok(CopyJob::from(&out))
}

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
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub kind: ErrorKind,
    /// The error itself, with the service's code and message when it sent one.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
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
        }
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
                    "ExpiredTokenException"
                    | "ExpiredToken"
                    | "UnrecognizedClientException"
                    | "InvalidSignatureException" => {
                        FetchError::new(ErrorKind::Credentials, message, Some(CREDENTIALS_HINT))
                    }
                    "AccessDeniedException" => FetchError::new(
                        ErrorKind::Service,
                        message,
                        Some(
                            "the identity needs bedrock:ListModelCopyJobs (and GetModelCopyJob) in this region",
                        ),
                    ),
                    _ => FetchError::new(ErrorKind::Service, message, None),
                }
            }
            _ if looks_like_credentials(&detail) => FetchError::new(
                ErrorKind::Credentials,
                format!("No usable AWS credentials: {}", first_cause(&detail)),
                Some(CREDENTIALS_HINT),
            ),
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

fn looks_like_credentials(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    [
        "credential",
        "no providers in chain",
        "sso",
        "token has expired",
        "profile",
    ]
    .iter()
    .any(|k| d.contains(k))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_describe_themselves() {
        let t = Target {
            profile: Some("ml".into()),
            endpoint_url: Some("http://x".into()),
            ..Target::default()
        };
        assert_eq!(t.describe("us-west-2"), "profile ml · us-west-2 · http://x");
        assert_eq!(
            Target {
                demo: true,
                ..Target::default()
            }
            .describe("us-east-1"),
            "demo · us-east-1"
        );
    }

    #[test]
    fn credential_failures_are_recognised() {
        assert!(looks_like_credentials(
            "failed to construct request: no providers in chain provided credentials"
        ));
        assert!(!looks_like_credentials("connection refused"));
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
