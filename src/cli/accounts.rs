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
) -> Result<Vec<SourceSpec>, String> {
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
    let found = discover::discover(connector, &first, profile, &d)
        .await
        .map_err(|e| {
            let how = if d.sso_role.is_some() {
                "cannot list the accounts of the Identity Center session"
            } else {
                "cannot list the organisation's accounts"
            };
            format!("{how}: {e}")
        })?;
    if found.is_empty() {
        return Err(if d.sso_role.is_some() {
            "the Identity Center session reaches no account with that role (--sso-role): \
             `aws sso list-account-roles` shows the roles of an account"
                .into()
        } else {
            "no account is left to read: --accounts and --exclude-accounts leave none of the \
             organisation's active accounts"
                .into()
        });
    }
    Ok(SourceSpec::accounts(
        profile,
        &found,
        &connect.named_regions(),
    ))
}
