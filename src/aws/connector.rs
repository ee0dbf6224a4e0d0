//! Clients for many sources from few parts: one HTTPS client (one
//! connection pool, one set of TLS roots) for the whole process, and one
//! SDK configuration per identity (its credentials and their cache),
//! shared by that identity's regions.
//!
//! The SDK left to itself gives every client its own pool, TLS roots and
//! credentials cache: 250 sources (50 profiles × 5 regions) held 125 MB and
//! an account's role would be assumed once per region. Built here, an
//! organisation of 50 accounts × 6 regions is 50 configurations over one
//! pool, and each account's role is assumed once per credentials' lifetime.

use super::client::{Connection, Target};
use super::identity::Identity;
use aws_config::SdkConfig;
use aws_config::provider_config::ProviderConfig;
use aws_sdk_bedrock::Client;
use aws_sdk_bedrock::config::{
    BehaviorVersion, Credentials, IdentityCache, Region, SharedCredentialsProvider,
    SharedHttpClient,
};
use aws_smithy_async::time::{SharedTimeSource, TimeSource};
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder as HttpBuilder, ConnectorBuilder};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

/// An identity's configuration, loaded once by whichever source asks first.
type Loaded = Arc<OnceCell<SdkConfig>>;

/// Makes the clients of one process's sources.
pub struct Connector {
    http: SharedHttpClient,
    /// The clock credentials expire by and requests are signed at (None:
    /// the system's).
    time: Option<SharedTimeSource>,
    /// One configuration per identity and target (the target's region
    /// aside: regions share their identity's configuration), each made
    /// once: the map is locked only to find its cell, so identities load
    /// side by side (held across loading, 50 accounts took 4.6 s).
    configs: Mutex<HashMap<(Identity, Target), Loaded>>,
    /// The caller's own configuration per profile and target, which every
    /// account's role is assumed from: loaded once, not once an account.
    bases: Mutex<HashMap<(Option<String>, Target), Loaded>>,
}

impl std::fmt::Debug for Connector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connector").finish_non_exhaustive()
    }
}

impl Default for Connector {
    fn default() -> Self {
        Connector::new()
    }
}

impl Connector {
    pub fn new() -> Connector {
        Connector::with_max_in_flight(super::cap::DEFAULT_MAX_IN_FLIGHT)
    }

    /// The connector of `target`'s sources: its cap on requests in flight.
    pub fn for_target(target: &Target) -> Connector {
        Connector::with_max_in_flight(
            target
                .max_in_flight
                .unwrap_or(super::cap::DEFAULT_MAX_IN_FLIGHT),
        )
    }

    /// At most `cap` requests in flight, every client made here together.
    pub fn with_max_in_flight(cap: usize) -> Connector {
        Connector {
            http: super::cap::capped(shared_https_client(), cap),
            time: None,
            configs: Mutex::new(HashMap::new()),
            bases: Mutex::new(HashMap::new()),
        }
    }

    /// Another clock than the system's: a test moves it as it moves the
    /// endpoint's, so assumed credentials expire when the endpoint says.
    pub fn with_time_source(mut self, time: impl TimeSource + 'static) -> Connector {
        self.time = Some(SharedTimeSource::new(time));
        self
    }

    /// The client of `identity` in `target`'s region (else the identity's
    /// own, from its profile). Credentials are resolved lazily, on the
    /// first request, so this returns quickly; a second region of one
    /// identity costs a client, not a configuration.
    pub async fn connect(&self, target: &Target, identity: &Identity) -> Connection {
        let base = Target {
            region: None,
            ..target.clone()
        };
        let key = (identity.clone(), base.clone());
        let cell = self.configs.lock().await.entry(key).or_default().clone();
        let config = cell
            .get_or_init(|| self.load(&base, identity, target.region.as_deref()))
            .await
            .clone();
        let mut builder = aws_sdk_bedrock::config::Builder::from(&config);
        if let Some(r) = &target.region {
            builder = builder.region(Region::new(r.clone()));
        }
        let conf = builder.build();
        let region = conf.region().map_or_else(String::new, |r| r.to_string());
        Connection {
            client: Client::from_conf(conf),
            region,
        }
    }

    /// `region`: the first source's, where STS is asked when the profile
    /// names none.
    async fn load(&self, target: &Target, identity: &Identity, region: Option<&str>) -> SdkConfig {
        // Loaded in the first source's region: with one named, aws-config
        // does not look for one (its chain ends with the instance metadata
        // service, a wait off EC2); the others override it.
        let first = Target {
            region: region.map(str::to_string),
            ..target.clone()
        };
        let profile = identity.profile();
        let cell = self
            .bases
            .lock()
            .await
            .entry((profile.map(str::to_string), first.clone()))
            .or_default()
            .clone();
        let base = cell
            .get_or_init(|| self.base_config(&first, profile))
            .await
            .clone();
        let credentials = match identity {
            Identity::Profile(_) => return base,
            Identity::Role { account, role, .. } => {
                super::roles::assume(&base, account, role, region).await
            }
            Identity::Sso {
                profile,
                account,
                role,
            } => super::sso::role_credentials(&base, profile.as_deref(), account, role).await,
        };
        base.into_builder()
            .credentials_provider(credentials)
            .identity_cache(IdentityCache::lazy().build())
            .build()
    }

    /// A profile's configuration through `aws-config`'s default chain
    /// (environment, profiles, SSO, `AWS_ENDPOINT_URL`), as the AWS CLI
    /// reads it, over the shared HTTPS client.
    pub async fn base_config(&self, target: &Target, profile: Option<&str>) -> SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(self.http.clone())
            // The regions of one identity share its credentials' cache.
            .identity_cache(IdentityCache::lazy().build());
        if let Some(p) = profile {
            // A profile named on the command line is where the keys come
            // from, as in the AWS CLI: keys in the environment do not
            // override it (aws-config's default chain would read them
            // first). AWS_PROFILE alone keeps the default chain,
            // environment keys first, as botocore does.
            loader = loader
                .profile_name(p)
                .credentials_provider(self.profile_credentials(target, p).await);
        }
        if let Some(r) = &target.region {
            loader = loader.region(Region::new(r.clone()));
        }
        if let Some(t) = &self.time {
            loader = loader.time_source(t.clone());
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
        if let Some(n) = target.max_attempts {
            let retry = aws_sdk_bedrock::config::retry::RetryConfig::standard()
                .with_max_attempts(n)
                .with_max_backoff(std::time::Duration::from_secs(20));
            loader = loader.retry_config(retry);
        }
        let config = loader.load().await;
        if !target.demo {
            // For advice that fits these credentials if they stop working.
            super::profiles::learn(profile).await;
        }
        config
    }
}

/// One client through `aws-config`'s default chain (environment,
/// profiles, SSO, `AWS_ENDPOINT_URL`), as the AWS CLI does, on a connector
/// of its own: for a verb that makes one. Sources share a
/// [`Connector`] instead.
pub async fn connect(target: &Target) -> Connection {
    Connector::new()
        .connect(target, &Identity::Profile(target.profile.clone()))
        .await
}

impl Connector {
    /// A named profile's credentials. A role profile (`role_arn` and
    /// `source_profile`) is assumed here when an endpoint is named: the
    /// STS client inside aws-config's profile chain follows
    /// `AWS_ENDPOINT_URL` and the profile's `endpoint_url` but not
    /// `--endpoint-url`, and would take the source profile's keys to the
    /// real STS. Otherwise aws-config's chain, given the source's region
    /// (a role profile without one of its own cannot sign its AssumeRole).
    async fn profile_credentials(
        &self,
        target: &Target,
        profile: &str,
    ) -> SharedCredentialsProvider {
        if target.endpoint_url.is_some()
            && let Some(role) = super::profiles::role_of(profile).await
        {
            let base = Box::pin(self.base_config(target, Some(&role.source_profile))).await;
            let mut builder = aws_config::sts::AssumeRoleProvider::builder(role.role_arn)
                .session_name(role.session_name.as_deref().unwrap_or("copyjobs"))
                .configure(&base);
            if let Some(id) = role.external_id {
                builder = builder.external_id(id);
            }
            return SharedCredentialsProvider::new(builder.build().await);
        }
        let mut config = ProviderConfig::default().with_http_client(self.http.clone());
        if let Some(r) = &target.region {
            config = config.with_region(Some(Region::new(r.clone())));
        }
        SharedCredentialsProvider::new(
            aws_config::profile::ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .configure(&config)
                .build(),
        )
    }
}

/// The SDK's own default HTTPS client (rustls on aws-lc, the proxy from
/// the environment, as behaviour versions since 2025-08-07 have it), made
/// once so every client shares its pool and its TLS roots.
fn shared_https_client() -> SharedHttpClient {
    HttpBuilder::new().build_with_connector_fn(|settings, components| {
        let mut conn =
            ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        conn.set_connector_settings(settings.cloned());
        if let Some(c) = components {
            conn.set_sleep_impl(c.sleep_impl());
        }
        conn.set_proxy_config(Some(ProxyConfig::from_env()));
        conn.build()
    })
}
