//! The sources a command reads: the profiles × regions the flags name, or
//! the accounts discovery finds (`--accounts`, `--org`, `--sso-role`) ×
//! the regions, each account read from the profile's credentials.

use crate::aws::Target;
use crate::aws::connector::Connector;
use crate::aws::discover;
use crate::cli::ConnectArgs;
use crate::watch::SourceSpec;

/// The sources, asking Organizations or Identity Center first when the
/// flags say so; what stops the listing is said as the service said it,
/// with what to do.
pub async fn sources(
    connect: &ConnectArgs,
    target: &Target,
    connector: &Connector,
) -> Result<Vec<SourceSpec>, NoSources> {
    let d = connect.discovery();
    if !d.is_on() {
        return Ok(connect.sources());
    }
    let profile = target.profile.as_deref();
    // Organizations and the portal are asked from the first region named
    // (their own endpoints; the profile's region when none is).
    let first = Target {
        region: connect
            .named_regions()
            .into_iter()
            .next()
            .or(target.region.clone()),
        ..target.clone()
    };
    let (found, also) = discover::discover_noting(connector, &first, profile, &d)
        .await
        .map_err(|e| {
            let how = if d.sso_role.is_some() {
                "cannot list the accounts of the Identity Center session"
            } else {
                "cannot list the organisation's accounts"
            };
            NoSources::failed(format!("{how}: {e}"))
        })?;
    for note in &also.notes {
        eprintln!("copyjobs: {}", crate::output::sanitize::clean(note));
    }
    if let Ok(mut known) = KNOWN.lock() {
        known.extend(
            also.named
                .iter()
                .filter(|a| a.name.is_some())
                .map(|a| (a.id.clone(), a.clone())),
        );
    }
    if found.is_empty() {
        return Err(if d.sso_role.is_some() {
            NoSources::failed(
                "the Identity Center session reaches no account with that role (--sso-role): \
                 `aws sso list-account-roles` shows the roles of an account"
                    .into(),
            )
        } else {
            // Nothing was read: the flags chose nothing (exit 2, not the
            // partial output's 1).
            NoSources {
                message: "no account is left to read: --accounts and --exclude-accounts leave \
                          none of the organisation's active accounts"
                    .into(),
                usage: true,
            }
        });
    }
    Ok(SourceSpec::accounts(
        profile,
        &found,
        &connect.named_regions(),
    ))
}

/// The labels (`name · id`) of every account the organisation listed,
/// suspended ones too, by id: a command discovers once, and what it prints
/// names an account it does not read (a failed copy's suspended source)
/// as the organisation does.
static KNOWN: std::sync::Mutex<
    std::collections::BTreeMap<String, crate::domain::account::Account>,
> = std::sync::Mutex::new(std::collections::BTreeMap::new());

/// The organisation's label of `id`, when discovery listed it.
pub fn known_label(id: &str) -> Option<String> {
    KNOWN.lock().ok()?.get(id).map(|a| a.label())
}

/// Every account discovery listed, suspended ones too.
pub fn known_accounts() -> Vec<crate::domain::account::Account> {
    KNOWN
        .lock()
        .map(|k| k.values().cloned().collect())
        .unwrap_or_default()
}

/// Why a command has no source to read: what to say, and whether the
/// flags chose nothing (a usage error, exit 2) or a service refused
/// (exit 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSources {
    pub message: String,
    pub usage: bool,
}

impl NoSources {
    fn failed(message: String) -> NoSources {
        NoSources {
            message,
            usage: false,
        }
    }
}

/// Which of `specs` holds the job `arn` names: a job ARN names its account
/// and region, so with accounts reached through a role the job is asked of
/// its own account's source, not the caller's. `Ok(None)`: no source
/// reaches another account (the profile's own is asked, as before); an
/// account the flags do not reach is an error naming it.
pub fn route(specs: &[SourceSpec], arn: &str) -> Result<Option<usize>, String> {
    use crate::domain::job::{arn_account, arn_region};
    if specs.iter().all(|s| s.account.is_none()) {
        return Ok(None);
    }
    let (account, region) = (arn_account(arn), arn_region(arn));
    let theirs = |s: &SourceSpec| s.account.as_ref().is_some_and(|r| r.account.id == account);
    if let Some(i) = specs
        .iter()
        .position(|s| theirs(s) && s.region.as_deref().is_none_or(|r| r == region))
    {
        return Ok(Some(i));
    }
    let mut read: Vec<&str> = specs
        .iter()
        .filter_map(|s| s.account.as_ref().map(|r| r.account.id.as_str()))
        .collect();
    read.sort_unstable();
    read.dedup();
    Err(format!(
        "{}: the job's account {} is not one of the {} account{} the flags reach \
         (--org, --accounts, --sso-role, --exclude-accounts): name it with --accounts, \
         or leave those flags out to ask the profile's own account",
        crate::output::sanitize::clean(arn),
        crate::output::sanitize::clean(account),
        read.len(),
        if read.len() == 1 { "" } else { "s" },
    ))
}

#[cfg(test)]
mod tests {
    use super::route;
    use crate::domain::account::Account;
    use crate::watch::SourceSpec;
    use crate::watch::source::Reach;

    fn spec(account: Option<&str>, region: &str) -> SourceSpec {
        SourceSpec {
            profile: None,
            region: Some(region.into()),
            account: account.map(|a| Reach {
                account: Account::of_id(a),
                role: "R".into(),
                sso: false,
            }),
        }
    }

    const JOB: &str = "arn:aws:bedrock:us-west-2:370273978243:model-copy-job/abcdefghijkl";

    #[test]
    fn a_job_arn_goes_to_its_own_accounts_source_in_its_region() {
        let specs = [
            spec(Some("111122223333"), "us-east-1"),
            spec(Some("111122223333"), "us-west-2"),
            spec(Some("370273978243"), "us-east-1"),
            spec(Some("370273978243"), "us-west-2"),
        ];
        assert_eq!(route(&specs, JOB), Ok(Some(3)));
        // The profile's own sources: the profile's account is asked.
        let own = [spec(None, "us-east-1"), spec(None, "us-west-2")];
        assert_eq!(route(&own, JOB), Ok(None));
        // An account the flags do not reach is named.
        let e = route(&specs[..2], JOB).unwrap_err();
        assert!(
            e.contains("account 370273978243 is not one of the 1 account "),
            "{e}"
        );
    }
}
