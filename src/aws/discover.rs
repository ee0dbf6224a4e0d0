//! Which accounts to read, found one of three ways: a list with a role to
//! assume in each (`--accounts --role-name`), the organisation's accounts
//! from AWS Organizations (`--org --role-name`), or every account an
//! Identity Center session reaches with a role (`--sso-role`). Each
//! account becomes an [`Identity`]; sources are identities × regions.

use super::client::Target;
use super::connector::Connector;
use super::error::FetchError;
use super::identity::Identity;
use crate::domain::account::{Account, is_account_id};

/// The discovery flags (and the config's `[org]` table), as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// `--accounts`: these accounts (with `--org` or `--sso-role`: only
    /// these of theirs).
    pub accounts: Vec<String>,
    /// `--exclude-accounts`: none of these.
    pub exclude: Vec<String>,
    /// `--org`: the organisation's active accounts.
    pub org: bool,
    /// `--role-name`: the role assumed in each account.
    pub role_name: Option<String>,
    /// `--sso-role`: the role each Identity Center account is read with.
    pub sso_role: Option<String>,
}

impl Discovery {
    /// Whether any account is to be discovered (else the profiles' own
    /// accounts are read, as before).
    pub fn is_on(&self) -> bool {
        self.org || self.sso_role.is_some() || !self.accounts.is_empty()
    }

    /// The flags' combinations, checked before anything is asked: each
    /// mistake said with what to write instead.
    pub fn check(&self) -> Result<(), String> {
        for id in self.accounts.iter().chain(&self.exclude) {
            if !is_account_id(id) {
                return Err(format!(
                    "'{}' is not an AWS account id: an account id is 12 digits, like 111122223333",
                    crate::output::sanitize::clean(id)
                ));
            }
        }
        match (&self.sso_role, &self.role_name, self.org) {
            (Some(_), Some(_), _) => Err(
                "--sso-role and --role-name are two ways to reach the accounts: give one \
                 (--sso-role through Identity Center, --role-name through STS)"
                    .into(),
            ),
            (Some(_), None, true) => Err(
                "--org lists the accounts with AWS Organizations and --sso-role with Identity \
                 Center: give one"
                    .into(),
            ),
            (None, None, true) => Err(
                "--org needs --role-name: the role to assume in each account, like \
                 --role-name CopyJobsReader"
                    .into(),
            ),
            (None, None, false) if !self.accounts.is_empty() => Err(
                "--accounts needs --role-name (the role to assume in each) or --sso-role \
                 (the Identity Center role)"
                    .into(),
            ),
            (None, Some(_), false) if self.accounts.is_empty() => Err(
                "--role-name needs the accounts to assume it in: --accounts ID,ID or --org".into(),
            ),
            _ if !self.exclude.is_empty() && !self.org && self.sso_role.is_none() => Err(
                "--exclude-accounts narrows --org or --sso-role; with --accounts, leave the \
                 account out of the list"
                    .into(),
            ),
            _ => Ok(()),
        }
    }

    /// Keeps the accounts `--accounts` names (when it narrows a listing)
    /// and not `--exclude-accounts`.
    fn narrow(&self, found: Vec<Account>) -> Vec<Account> {
        found
            .into_iter()
            .filter(|a| self.accounts.is_empty() || self.accounts.contains(&a.id))
            .filter(|a| !self.exclude.contains(&a.id))
            .collect()
    }
}

/// The accounts to read and whose credentials each is read with, from
/// `profile`'s credentials (None: the default chain).
pub async fn discover(
    connector: &Connector,
    target: &Target,
    profile: Option<&str>,
    d: &Discovery,
) -> Result<Vec<(Account, Identity)>, FetchError> {
    Ok(discover_noting(connector, target, profile, d).await?.0)
}

/// What [`discover_noting`] found besides the accounts to read.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// A note for each id `--accounts` or `--exclude-accounts` gives that
    /// the organisation does not hold (a typo would otherwise pass
    /// silently: an exclusion that excludes nothing).
    pub notes: Vec<String>,
    /// Every account the organisation listed, suspended ones too: their
    /// names, for what names an account that is not read (a suspended
    /// source account of a failed copy).
    pub named: Vec<Account>,
}

/// [`discover`], with what else it found.
pub async fn discover_noting(
    connector: &Connector,
    target: &Target,
    profile: Option<&str>,
    d: &Discovery,
) -> Result<(Vec<(Account, Identity)>, Found), FetchError> {
    let mut notes = Vec::new();
    let mut named = Vec::new();
    let owned = profile.map(str::to_string);
    if let Some(role) = &d.sso_role {
        let base = connector.base_config(target, profile).await;
        let found = super::sso::accounts(&base, profile, role).await?;
        let found = d
            .narrow(found)
            .into_iter()
            .map(|a| {
                let id = Identity::Sso {
                    profile: owned.clone(),
                    account: a.id.clone(),
                    role: role.clone(),
                };
                (a, id)
            })
            .collect();
        return Ok((found, Found { notes, named }));
    }
    let Some(role) = &d.role_name else {
        return Ok((Vec::new(), Found { notes, named }));
    };
    let found = if d.org {
        let base = connector.base_config(target, profile).await;
        let all = super::org::all_accounts(&base)
            .await
            .map_err(|e| e.for_profile(profile))?;
        let held = |id: &String| all.iter().any(|(a, _)| a.id == *id);
        for (flag, ids) in [
            ("--accounts", &d.accounts),
            ("--exclude-accounts", &d.exclude),
        ] {
            for id in ids.iter().filter(|id| !held(id)) {
                notes.push(format!(
                    "note: {flag} {id}: the organisation holds no such account"
                ));
            }
        }
        named = all.iter().map(|(a, _)| a.clone()).collect();
        d.narrow(
            all.into_iter()
                .filter_map(|(a, active)| active.then_some(a))
                .collect(),
        )
    } else {
        let mut ids = d.accounts.clone();
        ids.sort();
        ids.dedup();
        ids.into_iter().map(Account::of_id).collect()
    };
    let found = found
        .into_iter()
        .map(|a| {
            let id = Identity::Role {
                base: owned.clone(),
                account: a.id.clone(),
                role: role.clone(),
            };
            (a, id)
        })
        .collect();
    Ok((found, Found { notes, named }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(f: impl FnOnce(&mut Discovery)) -> Discovery {
        let mut d = Discovery::default();
        f(&mut d);
        d
    }

    #[test]
    fn each_way_to_find_accounts_takes_what_it_needs() {
        let ok = [
            d(|d| {
                d.accounts = vec!["111122223333".into()];
                d.role_name = Some("R".into());
            }),
            d(|d| {
                d.org = true;
                d.role_name = Some("R".into());
                d.exclude = vec!["111122223333".into()];
            }),
            d(|d| d.sso_role = Some("ReadOnly".into())),
            Discovery::default(),
        ];
        for d in ok {
            assert_eq!(d.check(), Ok(()), "{d:?}");
        }
        let refused = [
            (d(|d| d.org = true), "--org needs --role-name"),
            (
                d(|d| d.accounts = vec!["111122223333".into()]),
                "--accounts needs --role-name",
            ),
            (
                d(|d| d.role_name = Some("R".into())),
                "--role-name needs the accounts",
            ),
            (
                d(|d| {
                    d.sso_role = Some("A".into());
                    d.role_name = Some("B".into());
                }),
                "give one",
            ),
            (
                d(|d| {
                    d.accounts = vec!["12345".into()];
                    d.role_name = Some("R".into());
                }),
                "12 digits",
            ),
            (
                d(|d| {
                    d.accounts = vec!["111122223333".into()];
                    d.role_name = Some("R".into());
                    d.exclude = vec!["111122223333".into()];
                }),
                "narrows --org",
            ),
        ];
        for (d, says) in refused {
            let e = d.check().unwrap_err();
            assert!(e.contains(says), "{d:?}: {e}");
        }
    }

    #[test]
    fn accounts_narrow_a_listing_and_exclusions_leave_some_out() {
        let found = vec![
            Account::of_id("111111111111"),
            Account::of_id("222222222222"),
            Account::of_id("333333333333"),
        ];
        let only = d(|d| d.accounts = vec!["222222222222".into(), "333333333333".into()]);
        let but = d(|d| d.exclude = vec!["333333333333".into()]);
        let ids = |v: Vec<Account>| v.into_iter().map(|a| a.id).collect::<Vec<_>>();
        assert_eq!(
            ids(only.narrow(found.clone())),
            ["222222222222", "333333333333"]
        );
        assert_eq!(ids(but.narrow(found)), ["111111111111", "222222222222"]);
    }
}
