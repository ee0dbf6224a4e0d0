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

#[cfg(test)]
mod tests {
    use super::*;

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
