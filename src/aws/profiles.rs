//! The profiles the AWS config files name, for the source picker. Read with
//! `aws-config`'s own parser, so the picker offers exactly the profiles
//! `--profile` would accept (`AWS_CONFIG_FILE` and
//! `AWS_SHARED_CREDENTIALS_FILE` honoured).

use aws_types::os_shim_internal::{Env, Fs};

/// Every profile in the config and credentials files, sorted; none when the
/// files are missing or unreadable (the picker then offers the default chain
/// and the profiles already in use).
pub async fn known_profiles() -> Vec<String> {
    profiles_in(&Fs::real(), &Env::real()).await
}

async fn profiles_in(fs: &Fs, env: &Env) -> Vec<String> {
    // The default file locations (`~/.aws/…` or the environment's).
    let set = aws_config::profile::load(fs, env, &Default::default(), None).await;
    let mut names: Vec<String> = set
        .map(|s| s.profiles().map(str::to_string).collect())
        .unwrap_or_default();
    names.sort();
    names.dedup();
    names
}

/// Where a profile's credentials come from: what to do when they stop
/// working depends on it (an SSO login, new keys, the source profile of a
/// role, a helper program that failed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An SSO session (`sso_session` or the older `sso_start_url`).
    Sso,
    /// A role assumed with another profile's credentials (`role_arn` and
    /// `source_profile`); `source` is that profile's kind.
    Role {
        source_profile: String,
        source: Box<Kind>,
    },
    /// A role assumed with the environment's or an instance's credentials
    /// (`credential_source`).
    RoleFrom(String),
    /// Temporary keys with a session token: they expire, and only new
    /// keys (not a login) renew them.
    SessionToken,
    /// Long-term keys.
    Keys,
    /// A `credential_process` helper.
    Process,
    /// The files do not say (no such profile, no files).
    Unknown,
}

/// What `profile` (None: the default chain, the environment's keys first)
/// holds, read with aws-config's own parser and the real environment.
pub async fn kind_of(profile: Option<&str>) -> Kind {
    kind_in(&Fs::real(), &Env::real(), profile).await
}

async fn kind_in(fs: &Fs, env: &Env, profile: Option<&str>) -> Kind {
    if profile.is_none() && env.get("AWS_ACCESS_KEY_ID").is_ok() {
        return if env.get("AWS_SESSION_TOKEN").is_ok() {
            Kind::SessionToken
        } else {
            Kind::Keys
        };
    }
    let Ok(set) = aws_config::profile::load(fs, env, &Default::default(), None).await else {
        return Kind::Unknown;
    };
    let name = profile
        .unwrap_or_else(|| set.selected_profile())
        .to_string();
    kind_at(&set, &name, 0)
}

/// A profile's kind; a role's source profile followed a few steps at most
/// (a loop in the files must not hang the advice).
fn kind_at(set: &aws_config::profile::ProfileSet, name: &str, depth: usize) -> Kind {
    let Some(p) = set.get_profile(name) else {
        return Kind::Unknown;
    };
    if p.get("role_arn").is_some() {
        if let Some(source) = p.get("source_profile") {
            let of_source = if depth < 4 && source != name {
                kind_at(set, source, depth + 1)
            } else {
                Kind::Unknown
            };
            return Kind::Role {
                source_profile: source.to_string(),
                source: Box::new(of_source),
            };
        }
        if let Some(source) = p.get("credential_source") {
            return Kind::RoleFrom(source.to_string());
        }
    }
    if p.get("sso_session").is_some() || p.get("sso_start_url").is_some() {
        Kind::Sso
    } else if p.get("credential_process").is_some() {
        Kind::Process
    } else if p.get("aws_session_token").is_some() {
        Kind::SessionToken
    } else if p.get("aws_access_key_id").is_some() {
        Kind::Keys
    } else {
        Kind::Unknown
    }
}

/// A profile that assumes a role with another profile's credentials, as
/// the config files write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleProfile {
    pub role_arn: String,
    pub source_profile: String,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
}

/// `profile`'s role, when it assumes one from a source profile.
pub async fn role_of(profile: &str) -> Option<RoleProfile> {
    role_in(&Fs::real(), &Env::real(), profile).await
}

async fn role_in(fs: &Fs, env: &Env, profile: &str) -> Option<RoleProfile> {
    let set = aws_config::profile::load(fs, env, &Default::default(), None)
        .await
        .ok()?;
    let p = set.get_profile(profile)?;
    let source = p.get("source_profile")?;
    // A profile that is its own source holds its own keys beside the role:
    // aws-config's chain knows that case.
    if source == profile {
        return None;
    }
    Some(RoleProfile {
        role_arn: p.get("role_arn")?.to_string(),
        source_profile: source.to_string(),
        external_id: p.get("external_id").map(str::to_string),
        session_name: p.get("role_session_name").map(str::to_string),
    })
}

/// The kinds found so far, by profile, for advice given where nothing can
/// be awaited (an error as the engine records it).
static KINDS: std::sync::Mutex<Vec<(Option<String>, Kind)>> = std::sync::Mutex::new(Vec::new());

/// Reads and keeps `profile`'s kind (at connect time).
pub async fn learn(profile: Option<&str>) {
    let kind = kind_of(profile).await;
    let mut kinds = KINDS.lock().unwrap_or_else(|e| e.into_inner());
    kinds.retain(|(p, _)| p.as_deref() != profile);
    kinds.push((profile.map(str::to_string), kind));
}

/// `profile`'s kind as [`learn`] found it.
pub fn known(profile: Option<&str>) -> Kind {
    let kinds = KINDS.lock().unwrap_or_else(|e| e.into_inner());
    kinds
        .iter()
        .find(|(p, _)| p.as_deref() == profile)
        .map_or(Kind::Unknown, |(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_kind_is_read_from_the_files_or_the_environment() {
        let fs = Fs::from_slice(&[
            (
                "/home/me/.aws/config",
                "[profile sso]\nsso_session = x\n[sso-session x]\nsso_region = us-east-1\n\
                 [profile old-sso]\nsso_start_url = https://x\n\
                 [profile admin]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = sso\n\
                 [profile ec2]\nrole_arn = arn:aws:iam::1:role/A\ncredential_source = Ec2InstanceMetadata\n\
                 [profile loop]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = loop\n\
                 [profile helper]\ncredential_process = /bin/false\n",
            ),
            (
                "/home/me/.aws/credentials",
                "[temp]\naws_access_key_id = ASIA\naws_secret_access_key = B\naws_session_token = T\n\
                 [default]\naws_access_key_id = AKIA\naws_secret_access_key = B\n",
            ),
        ]);
        let env = Env::from_slice(&[("HOME", "/home/me")]);
        let kind = |p| kind_in(&fs, &env, Some(p));
        assert_eq!(kind("sso").await, Kind::Sso);
        assert_eq!(kind("old-sso").await, Kind::Sso);
        assert_eq!(
            kind("admin").await,
            Kind::Role {
                source_profile: "sso".into(),
                source: Box::new(Kind::Sso)
            }
        );
        assert_eq!(
            kind("ec2").await,
            Kind::RoleFrom("Ec2InstanceMetadata".into())
        );
        assert!(matches!(kind("loop").await, Kind::Role { .. }));
        assert_eq!(kind("helper").await, Kind::Process);
        assert_eq!(kind("temp").await, Kind::SessionToken);
        assert_eq!(kind("nosuch").await, Kind::Unknown);
        // No profile: the environment's keys first, else the default profile.
        assert_eq!(kind_in(&fs, &env, None).await, Kind::Keys);
        let with_token = Env::from_slice(&[
            ("HOME", "/home/me"),
            ("AWS_ACCESS_KEY_ID", "ASIA"),
            ("AWS_SESSION_TOKEN", "T"),
        ]);
        assert_eq!(kind_in(&fs, &with_token, None).await, Kind::SessionToken);
        let picked = Env::from_slice(&[("HOME", "/home/me"), ("AWS_PROFILE", "helper")]);
        assert_eq!(kind_in(&fs, &picked, None).await, Kind::Process);
    }

    #[tokio::test]
    async fn profiles_come_from_both_files() {
        let fs = Fs::from_slice(&[
            (
                "/home/me/.aws/config",
                "[default]\nregion = us-east-1\n[profile ml-prod]\nsso_session = x\n[sso-session x]\nsso_region = us-east-1\n",
            ),
            (
                "/home/me/.aws/credentials",
                "[ci]\naws_access_key_id = A\naws_secret_access_key = B\n",
            ),
        ]);
        let env = Env::from_slice(&[("HOME", "/home/me")]);
        assert_eq!(profiles_in(&fs, &env).await, ["ci", "default", "ml-prod"]);
    }

    #[tokio::test]
    async fn no_files_no_profiles() {
        let env = Env::from_slice(&[("HOME", "/nowhere")]);
        assert!(profiles_in(&Fs::from_slice(&[]), &env).await.is_empty());
    }
}
