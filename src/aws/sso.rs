//! Every account an IAM Identity Center session reaches with one role
//! (`--sso-role`): the portal's ListAccounts and ListAccountRoles with the
//! session's cached token (as `aws sso login` leaves it), and each
//! account's credentials from GetRoleCredentials.
//!
//! The portal is asked through the SDK's own client, configured from the
//! profile (so `--endpoint-url` and `AWS_ENDPOINT_URL` reach it as they
//! reach Bedrock), and the token through aws-config's `SsoTokenProvider`,
//! which reads the cache and refreshes the token as the CLI does.

use super::error::{ErrorKind, FetchError};
use crate::domain::account::Account;
use aws_config::SdkConfig;
use aws_config::sso::SsoTokenProvider;
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::token::ProvideToken;
use aws_credential_types::provider::{self, ProvideCredentials, future};
use aws_sdk_bedrock::config::{Region, SharedCredentialsProvider};
use aws_sdk_sso::error::ProvideErrorMetadata;
use aws_types::os_shim_internal::{Env, Fs};
use futures::StreamExt;
use std::time::{Duration, UNIX_EPOCH};

/// Accounts whose roles are asked at once: the portal throttles callers
/// that ask for hundreds together.
const ROLE_LOOKUPS_AT_ONCE: usize = 8;

/// An `[sso-session]` as a profile names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSession {
    pub name: String,
    pub start_url: String,
    pub region: String,
}

/// The SSO session of `profile` (None: the selected one), from the config
/// files as aws-config reads them; what is missing is said with what to
/// write.
pub async fn session_of(profile: Option<&str>) -> Result<SsoSession, String> {
    session_in(&Fs::real(), &Env::real(), profile).await
}

async fn session_in(fs: &Fs, env: &Env, profile: Option<&str>) -> Result<SsoSession, String> {
    let set = aws_config::profile::load(fs, env, &Default::default(), None)
        .await
        .map_err(|e| format!("cannot read the AWS config files: {e}"))?;
    let name = profile
        .unwrap_or_else(|| set.selected_profile())
        .to_string();
    let Some(p) = set.get_profile(&name) else {
        return Err(format!("no profile '{name}' in the AWS config files"));
    };
    let Some(session) = p.get("sso_session") else {
        return Err(format!(
            "profile '{name}' has no sso_session: --sso-role reads the accounts of an \
             [sso-session] (run `aws configure sso` to make one)"
        ));
    };
    let Some(s) = set.sso_session(session) else {
        return Err(format!(
            "profile '{name}' names sso_session '{session}', which the config files do not have"
        ));
    };
    let field = |key: &str| {
        s.get(key).map(str::to_string).ok_or_else(|| {
            format!("[sso-session {session}] has no {key} (run `aws configure sso-session`)")
        })
    };
    Ok(SsoSession {
        name: session.to_string(),
        start_url: field("sso_start_url")?,
        region: field("sso_region")?,
    })
}

/// The session's token, read from the cache and refreshed when it can be.
async fn token_provider(base: &SdkConfig, session: &SsoSession) -> SsoTokenProvider {
    SsoTokenProvider::builder()
        .configure(base)
        .start_url(&session.start_url)
        .session_name(&session.name)
        .region(Region::new(session.region.clone()))
        .build()
        .await
}

/// The portal's client, in the session's region.
fn portal(base: &SdkConfig, session: &SsoSession) -> aws_sdk_sso::Client {
    let conf = aws_sdk_sso::config::Builder::from(base)
        .region(Region::new(session.region.clone()))
        .build();
    aws_sdk_sso::Client::from_conf(conf)
}

/// Every account the session reaches with `role`, with its name, sorted
/// by id.
pub async fn accounts(
    base: &SdkConfig,
    profile: Option<&str>,
    role: &str,
) -> Result<Vec<Account>, FetchError> {
    let session = session_of(profile)
        .await
        .map_err(|m| FetchError::new(ErrorKind::Other, m, None))?;
    let token = token_provider(base, &session)
        .await
        .provide_token()
        .await
        .map_err(|e| expired_session(profile, &e.to_string()))?;
    let token = token.token().to_string();
    let client = portal(base, &session);
    let mut all = Vec::new();
    let mut pages = client
        .list_accounts()
        .access_token(&token)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| portal_error(profile, e))?;
        for a in page.account_list() {
            if let Some(id) = a.account_id() {
                all.push(Account {
                    id: id.to_string(),
                    name: a.account_name().map(str::to_string),
                });
            }
        }
    }
    let with_role: Vec<Result<Option<Account>, FetchError>> = futures::stream::iter(all)
        .map(|account| {
            let (client, token) = (&client, &token);
            async move {
                let mut roles = client
                    .list_account_roles()
                    .access_token(token)
                    .account_id(&account.id)
                    .into_paginator()
                    .items()
                    .send();
                while let Some(r) = roles.next().await {
                    let r = r.map_err(|e| portal_error(profile, e))?;
                    if r.role_name() == Some(role) {
                        return Ok(Some(account));
                    }
                }
                Ok(None)
            }
        })
        .buffer_unordered(ROLE_LOOKUPS_AT_ONCE)
        .collect()
        .await;
    let mut out = Vec::new();
    for r in with_role {
        if let Some(a) = r? {
            out.push(a);
        }
    }
    out.sort();
    Ok(out)
}

/// The portal refused: an expired or unknown token reads as the one
/// message that fixes it.
fn portal_error<E>(
    profile: Option<&str>,
    e: aws_sdk_sso::error::SdkError<E, aws_sdk_bedrock::config::http::HttpResponse>,
) -> FetchError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if e.code() == Some("UnauthorizedException") {
        return expired_session(
            profile,
            e.message().unwrap_or("the session's token is not valid"),
        );
    }
    FetchError::from_sdk(e).for_profile(profile)
}

fn expired_session(profile: Option<&str>, cause: &str) -> FetchError {
    let login = match profile {
        Some(p) => format!("aws sso login --profile {p}"),
        None => "aws sso login".to_string(),
    };
    FetchError {
        expired: true,
        ..FetchError::new(
            ErrorKind::Credentials,
            format!("the IAM Identity Center session has expired or is not signed in ({cause})"),
            Some(&format!("run `{login}`")),
        )
    }
}

/// Credentials of `role` in `account` through `profile`'s SSO session.
pub async fn role_credentials(
    base: &SdkConfig,
    profile: Option<&str>,
    account: &str,
    role: &str,
) -> SharedCredentialsProvider {
    let provider = match session_of(profile).await {
        Ok(session) => SsoRole::Ready {
            token: token_provider(base, &session).await,
            portal: portal(base, &session),
            account: account.to_string(),
            role: role.to_string(),
        },
        Err(why) => SsoRole::Unusable(why),
    };
    SharedCredentialsProvider::new(provider)
}

/// GetRoleCredentials as a credentials provider (the configuration's cache
/// keeps its answer until shortly before it expires).
#[derive(Debug)]
enum SsoRole {
    Ready {
        token: SsoTokenProvider,
        portal: aws_sdk_sso::Client,
        account: String,
        role: String,
    },
    /// The profile has no usable session: every request says why.
    Unusable(String),
}

impl SsoRole {
    async fn credentials(&self) -> provider::Result {
        let (token, portal, account, role) = match self {
            SsoRole::Ready {
                token,
                portal,
                account,
                role,
            } => (token, portal, account, role),
            SsoRole::Unusable(why) => return Err(CredentialsError::not_loaded(why.clone())),
        };
        let token = token
            .provide_token()
            .await
            .map_err(CredentialsError::not_loaded)?;
        let out = portal
            .get_role_credentials()
            .access_token(token.token())
            .account_id(account)
            .role_name(role)
            .send()
            .await
            .map_err(CredentialsError::provider_error)?;
        let c = out
            .role_credentials()
            .ok_or_else(|| CredentialsError::unhandled("GetRoleCredentials answered none"))?;
        let (Some(key), Some(secret)) = (c.access_key_id(), c.secret_access_key()) else {
            return Err(CredentialsError::unhandled(
                "GetRoleCredentials answered no keys",
            ));
        };
        let expires =
            UNIX_EPOCH + Duration::from_millis(u64::try_from(c.expiration()).unwrap_or(0));
        Ok(Credentials::new(
            key,
            secret,
            c.session_token().map(str::to_string),
            Some(expires),
            "copyjobs-sso-role",
        ))
    }
}

impl ProvideCredentials for SsoRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn session(config: &str, profile: Option<&str>) -> Result<SsoSession, String> {
        let fs = Fs::from_slice(&[("/home/.aws/config", config)]);
        let env = Env::from_slice(&[("HOME", "/home")]);
        session_in(&fs, &env, profile).await
    }

    #[tokio::test]
    async fn a_profiles_sso_session_is_read_from_the_config_files() {
        let config = "[profile org]\nsso_session = corp\n\n[sso-session corp]\n\
                      sso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n";
        assert_eq!(
            session(config, Some("org")).await.unwrap(),
            SsoSession {
                name: "corp".into(),
                start_url: "https://corp.awsapps.com/start".into(),
                region: "eu-west-1".into(),
            }
        );
    }

    #[tokio::test]
    async fn a_profile_without_a_session_says_what_to_do() {
        let e = session("[profile keys]\nregion = us-east-1\n", Some("keys"))
            .await
            .unwrap_err();
        assert!(e.contains("aws configure sso"), "{e}");
        let e = session("[profile org]\nsso_session = gone\n", Some("org"))
            .await
            .unwrap_err();
        assert!(e.contains("'gone'"), "{e}");
        let e = session("[profile a]\n", Some("nobody")).await.unwrap_err();
        assert!(e.contains("no profile 'nobody'"), "{e}");
    }
}
