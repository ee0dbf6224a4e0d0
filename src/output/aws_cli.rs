//! The AWS CLI command that does what the program did (lists with this
//! filter, creates this copy), quoted for a POSIX shell so it can be
//! pasted and run as it is.

use crate::domain::query::{Filter, Sort};
use crate::output::json::api_time;
use std::borrow::Cow;

/// POSIX `sh` quoting, only where needed so the usual ARNs and names stay
/// readable; single quotes because nothing is special inside them but the
/// quote itself, which is closed, escaped and reopened (`'\''`).
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let safe = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c));
    if safe {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("'{}'", s.replace('\'', "'\\''")))
    }
}

/// Where a printed AWS CLI command goes: the region, profile and endpoint
/// copyjobs itself used (or would use) for the same request. A command
/// without them would run against whatever the shell it is pasted into
/// points at: another account, or the real service instead of a local
/// endpoint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CliTarget<'a> {
    pub region: Option<&'a str>,
    pub profile: Option<&'a str>,
    pub endpoint_url: Option<&'a str>,
    /// Another account, reached through a role (`--org`, `--accounts`,
    /// `--sso-role`): the profile's own credentials would ask the wrong
    /// account.
    pub role: Option<CliRole<'a>>,
}

/// The account a command must reach and the role copyjobs reads it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CliRole<'a> {
    pub account: &'a str,
    pub role: &'a str,
    /// Through the profile's Identity Center session, not STS.
    pub sso: bool,
}

/// How the pasted command gets the role's credentials: STS's, put in the
/// command's environment by `env $(aws sts assume-role …)`, which the AWS
/// CLI takes over the profile (given to `assume-role` only, whose
/// credentials assume it). Identity Center's need the session's token,
/// which no one-line command reads from the cache: a comment line says
/// plainly which account and role to log in to.
fn through_role(role: CliRole<'_>, at: CliTarget<'_>) -> String {
    if role.sso {
        return format!(
            "# account {} through Identity Center role {}: run it with a profile for that \
             account and role (aws configure sso), as --profile\n",
            role.account, role.role
        );
    }
    let arn = crate::domain::account::role_arn(at.region, role.account, role.role);
    let query = "Credentials.[join(`\"=\"`,[`\"AWS_ACCESS_KEY_ID\"`,AccessKeyId]),\
                 join(`\"=\"`,[`\"AWS_SECRET_ACCESS_KEY\"`,SecretAccessKey]),\
                 join(`\"=\"`,[`\"AWS_SESSION_TOKEN\"`,SessionToken])]";
    let mut cmd = format!(
        "env $(aws sts assume-role --role-arn {} --role-session-name copyjobs",
        shell_quote(&arn)
    );
    for (flag, v) in [
        ("--region", at.region),
        ("--profile", at.profile),
        ("--endpoint-url", at.endpoint_url),
    ] {
        if let Some(v) = v {
            cmd.push_str(&format!(" {flag} {}", shell_quote(v)));
        }
    }
    cmd.push_str(&format!(" --query {} --output text) ", shell_quote(query)));
    cmd
}

/// A flag and its values (the AWS CLI's lists take several).
type CliArg<'a> = (&'static str, Vec<Cow<'a, str>>);

/// `aws bedrock OPERATION --region … --profile … --endpoint-url …` and then
/// `args`, each value quoted for the shell: the one place every command
/// copyjobs prints or copies is written, so none leaves out where it goes.
fn aws_bedrock(operation: &str, at: CliTarget<'_>, args: &[CliArg<'_>]) -> String {
    let mut cmd = at.role.map(|r| through_role(r, at)).unwrap_or_default();
    cmd.push_str(&format!("aws bedrock {operation}"));
    // The role's credentials, not the profile's, ask another account.
    let profile = at.profile.filter(|_| at.role.is_none_or(|r| r.sso));
    let place = [
        ("--region", at.region),
        ("--profile", profile),
        ("--endpoint-url", at.endpoint_url),
    ];
    let place: Vec<CliArg<'_>> = place
        .iter()
        .filter_map(|(flag, v)| v.map(|v| (*flag, vec![Cow::Borrowed(v)])))
        .collect();
    for (flag, values) in place.iter().chain(args) {
        cmd.push(' ');
        cmd.push_str(flag);
        for v in values {
            cmd.push(' ');
            cmd.push_str(&shell_quote(v));
        }
    }
    cmd
}

/// The AWS CLI command that sends `req` where copyjobs sends it: in its
/// region, with the profile and endpoint `at` names.
pub fn create_command(req: &crate::domain::copy::CopyRequest, at: CliTarget<'_>) -> String {
    let one = |flag, v: &str| (flag, vec![Cow::Owned(v.to_string())]);
    let mut args: Vec<CliArg<'_>> = vec![
        one("--source-model-arn", &req.source_model_arn),
        one("--target-model-name", &req.target_model_name),
    ];
    if let Some(k) = &req.kms_key_id {
        args.push(one("--model-kms-key-id", k));
    }
    if !req.tags.is_empty() {
        let tags = req.tags.iter();
        let tags = tags.map(|t| Cow::Owned(format!("key={},value={}", t.key, t.value)));
        args.push(("--target-model-tags", tags.collect()));
    }
    args.push(one("--client-request-token", &req.token()));
    let at = CliTarget {
        region: Some(&req.region),
        ..at
    };
    aws_bedrock("create-model-copy-job", at, &args)
}

/// The AWS CLI command that asks the service the same question, to paste
/// into a script or a bug report. Sorting newest first is the service's
/// default, so only the other order is spelled out.
pub fn aws_cli_command<'a>(filter: &'a Filter, at: CliTarget<'_>) -> String {
    let mut args: Vec<CliArg<'a>> = Vec::new();
    let mut arg = |flag, value: Option<Cow<'a, str>>| {
        if let Some(v) = value {
            args.push((flag, vec![v]));
        }
    };
    arg(
        "--status-equals",
        filter.status.as_ref().map(|s| Cow::Borrowed(s.as_str())),
    );
    arg(
        "--creation-time-after",
        filter.created_after.map(|t| Cow::Owned(api_time(t))),
    );
    arg(
        "--creation-time-before",
        filter.created_before.map(|t| Cow::Owned(api_time(t))),
    );
    arg(
        "--target-model-name-contains",
        filter.name_contains.as_deref().map(Cow::Borrowed),
    );
    arg(
        "--source-account-equals",
        filter.source_account.as_deref().map(Cow::Borrowed),
    );
    arg(
        "--source-model-arn-equals",
        filter.source_model_arn.as_deref().map(Cow::Borrowed),
    );
    if filter.sort == Sort::OldestFirst {
        arg("--sort-order", Some(Cow::Borrowed("Ascending")));
    }
    aws_bedrock("list-model-copy-jobs", at, &args)
}

#[cfg(test)]
#[path = "aws_cli_tests.rs"]
mod tests;
