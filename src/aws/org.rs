//! The organisation's accounts from AWS Organizations (`--org`): the
//! caller is its management account or a delegated administrator.

use super::error::FetchError;
use crate::domain::account::Account;
use aws_config::SdkConfig;
use aws_sdk_organizations::types::{AccountState, AccountStatus};

/// Every active account of the organisation, with its name, sorted by id.
/// Suspended and closing accounts are left out: their roles cannot be
/// assumed, and a source that can only fail is noise.
pub async fn active_accounts(base: &SdkConfig) -> Result<Vec<Account>, FetchError> {
    Ok(all_accounts(base)
        .await?
        .into_iter()
        .filter_map(|(a, active)| active.then_some(a))
        .collect())
}

/// Every account of the organisation, suspended ones too (whose names are
/// still worth keeping, and whose ids are still the organisation's), each
/// with whether it is active, sorted by id.
pub async fn all_accounts(base: &SdkConfig) -> Result<Vec<(Account, bool)>, FetchError> {
    // Organizations is a global service, answered in us-east-1 (the SDK
    // resolves its endpoint from any region of the partition).
    let mut conf = aws_sdk_organizations::config::Builder::from(base);
    if base.region().is_none() {
        conf = conf.region(aws_sdk_organizations::config::Region::new("us-east-1"));
    }
    let client = aws_sdk_organizations::Client::from_conf(conf.build());
    let mut pages = client.list_accounts().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(FetchError::from_sdk)?;
        for a in page.accounts() {
            let active = match (a.state(), a.status()) {
                (Some(state), _) => *state == AccountState::Active,
                (None, Some(status)) => *status == AccountStatus::Active,
                (None, None) => true,
            };
            if let Some(id) = a.id() {
                let account = Account {
                    id: id.to_string(),
                    name: a.name().map(str::to_string),
                };
                out.push((account, active));
            }
        }
    }
    out.sort();
    Ok(out)
}
