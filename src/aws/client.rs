//! Building the SDK client the way the AWS CLI would: profiles, SSO, regions
//! and `AWS_ENDPOINT_URL` all come from `aws-config`'s default chain.

use aws_sdk_bedrock::Client;

/// Where the dashboard looks, as the user asked for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Target {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Set by `copyjobs demo`: fixed credentials for the local endpoint only.
    pub demo: bool,
    /// The SDK's attempts per call. The headless verbs set 1 and retry on
    /// their own (`RetryPolicy`, which honours `AWS_MAX_ATTEMPTS`), so the
    /// two never multiply; None leaves it to aws-config (`AWS_MAX_ATTEMPTS`,
    /// the profile's `max_attempts`, else 3), as the dashboard does.
    pub max_attempts: Option<u32>,
    /// Requests in flight at once, every source together (`--max-in-flight`);
    /// None: [`super::cap::DEFAULT_MAX_IN_FLIGHT`].
    pub max_in_flight: Option<usize>,
}

impl Target {
    /// The header's first words: "demo · http://127.0.0.1:1234"; the sources
    /// (profile and region) follow it there.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.demo {
            parts.push("demo".to_string());
        }
        if let Some(e) = &self.endpoint_url {
            parts.push(e.clone());
        }
        parts.join(" · ")
    }
}

/// `AWS_MAX_ATTEMPTS` as the AWS CLI reads it: unset is None; anything but a
/// whole number of at least 1 is refused with what to write instead (where
/// aws-config itself would panic).
pub fn max_attempts_from_env() -> Result<Option<u32>, String> {
    match std::env::var("AWS_MAX_ATTEMPTS") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Ok(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(format!(
                "AWS_MAX_ATTEMPTS is '{}': it must be a whole number of attempts, 1 or more, like 3",
                crate::output::sanitize::clean(&v)
            )),
        },
        Err(std::env::VarError::NotUnicode(_)) => {
            Err("AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more, like 3".into())
        }
    }
}

/// The endpoint a command copyjobs prints must name: `--endpoint-url`,
/// else the environment's (`AWS_ENDPOINT_URL_BEDROCK`, then
/// `AWS_ENDPOINT_URL`), which the SDK follows without being told and a
/// shell the command is pasted into may not have.
pub fn endpoint_in_use(flag: Option<&str>) -> Option<String> {
    let env = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    flag.map(str::to_string)
        .or_else(|| env("AWS_ENDPOINT_URL_BEDROCK"))
        .or_else(|| env("AWS_ENDPOINT_URL"))
}

/// The resolved connection: the client and the region it signs for.
#[derive(Debug, Clone)]
pub struct Connection {
    pub client: Client,
    pub region: String,
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
        assert_eq!(t.describe(), "http://x");
        assert_eq!(
            Target {
                demo: true,
                ..Target::default()
            }
            .describe(),
            "demo"
        );
    }
}
