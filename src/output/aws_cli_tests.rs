//! Shell quoting and the AWS CLI command lines.

use super::*;
use crate::domain::job::Status;
use crate::domain::query::{Filter, Sort};
use crate::output::test_jobs::*;
use chrono::TimeDelta;
use std::borrow::Cow;

fn region(r: &str) -> CliTarget<'_> {
    CliTarget {
        region: Some(r),
        ..CliTarget::default()
    }
}

#[test]
fn cli_command_for_the_default_filter() {
    assert_eq!(
        aws_cli_command(&Filter::default(), CliTarget::default()),
        "aws bedrock list-model-copy-jobs"
    );
    assert_eq!(
        aws_cli_command(&Filter::default(), region("us-east-1")),
        "aws bedrock list-model-copy-jobs --region us-east-1"
    );
}

#[test]
fn cli_command_matches_the_documented_example() {
    let f = Filter {
        status: Some(Status::Failed),
        created_after: Some(at(2025, 6, 1, 10, 0, 0)),
        name_contains: Some("fraud".into()),
        sort: Sort::OldestFirst,
        ..Filter::default()
    };
    assert_eq!(
        aws_cli_command(&f, region("us-east-1")),
        "aws bedrock list-model-copy-jobs --region us-east-1 --status-equals Failed --creation-time-after 2025-06-01T10:00:00Z --target-model-name-contains fraud --sort-order Ascending"
    );
}

#[test]
fn cli_command_for_a_full_filter_quotes_for_the_shell() {
    let f = Filter {
        status: Some(Status::Completed),
        created_after: Some(at(2025, 6, 1, 12, 0, 0)),
        created_before: Some(at(2025, 6, 2, 0, 0, 0) + TimeDelta::milliseconds(250)),
        name_contains: Some("it's a name".into()),
        source_account: Some("444455556666".into()),
        source_model_arn: Some(SOURCE_ARN.into()),
        sort: Sort::NewestFirst,
    };
    assert_eq!(
        aws_cli_command(
            &f,
            CliTarget {
                region: Some("eu-west-1"),
                profile: Some("ml team"),
                endpoint_url: Some("http://127.0.0.1:4566/"),
                role: None,
            }
        ),
        format!(
            "aws bedrock list-model-copy-jobs --region eu-west-1 --profile 'ml team' --endpoint-url http://127.0.0.1:4566/ --status-equals Completed --creation-time-after 2025-06-01T12:00:00Z --creation-time-before 2025-06-02T00:00:00.250Z --target-model-name-contains 'it'\\''s a name' --source-account-equals 444455556666 --source-model-arn-equals {SOURCE_ARN}"
        )
    );
}

#[test]
fn shell_quoting() {
    let cases = [
        ("plain", "plain"),
        ("a_b@c%d+e=f:g,h.i/j-k", "a_b@c%d+e=f:g,h.i/j-k"),
        ("", "''"),
        ("a b", "'a b'"),
        ("it's", "'it'\\''s'"),
        ("'", "''\\'''"),
        ("$HOME", "'$HOME'"),
        ("a;rm -rf /", "'a;rm -rf /'"),
        ("`x`", "'`x`'"),
        ("back\\slash", "'back\\slash'"),
        ("two\nlines", "'two\nlines'"),
        ("ünï", "'ünï'"),
        ("*", "'*'"),
        ("~", "'~'"),
    ];
    for (raw, want) in cases {
        assert_eq!(shell_quote(raw), want, "{raw:?}");
    }
    assert!(matches!(shell_quote("plain"), Cow::Borrowed(_)));
}

/// A member account's job: the command assumes the role first, the
/// profile's credentials only asking STS, so pasted it lists that account.
#[test]
fn a_command_for_an_account_reached_through_a_role_assumes_it() {
    let at = CliTarget {
        region: Some("us-west-2"),
        profile: Some("mgmt"),
        endpoint_url: None,
        role: Some(CliRole {
            account: "370273978243",
            role: "CopyJobsReader",
            sso: false,
        }),
    };
    assert_eq!(
        aws_cli_command(&Filter::default(), at),
        "env $(aws sts assume-role --role-arn arn:aws:iam::370273978243:role/CopyJobsReader \
         --role-session-name copyjobs --region us-west-2 --profile mgmt --query \
         'Credentials.[join(`\"=\"`,[`\"AWS_ACCESS_KEY_ID\"`,AccessKeyId]),\
         join(`\"=\"`,[`\"AWS_SECRET_ACCESS_KEY\"`,SecretAccessKey]),\
         join(`\"=\"`,[`\"AWS_SESSION_TOKEN\"`,SessionToken])]' --output text) \
         aws bedrock list-model-copy-jobs --region us-west-2"
    );
    let sso = CliTarget {
        role: Some(CliRole {
            sso: true,
            ..at.role.unwrap()
        }),
        ..at
    };
    let cmd = aws_cli_command(&Filter::default(), sso);
    let (comment, command) = cmd.split_once('\n').unwrap();
    assert!(
        comment.starts_with("# account 370273978243 through Identity Center role CopyJobsReader"),
        "{comment}"
    );
    assert_eq!(
        command,
        "aws bedrock list-model-copy-jobs --region us-west-2 --profile mgmt"
    );
}
