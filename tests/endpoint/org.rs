//! `--org-size`: the endpoint plays an organisation, through the real STS,
//! Organizations, Identity Center and Bedrock clients over loopback. What a
//! member's credentials list is compared, job by job, with that account's
//! data set read off `GET /_emulator/jobs?region=R&account=ID`.

use crate::common::*;
use aws_sdk_bedrock::config::{BehaviorVersion, Credentials, Region};
use copyjobs::emulator::{EmulatorOptions, Server};
use serde_json::Value;
use std::collections::BTreeSet;

const REGION: &str = "us-east-1";
/// The frozen clock's start (`NOW`), in seconds.
const NOW_S: i64 = 1_748_779_200;

fn org_options(size: usize) -> EmulatorOptions {
    EmulatorOptions {
        org_size: size,
        regions: vec![REGION.into(), "us-west-2".into()],
        ..options(40)
    }
}

fn creds(akid: &str, secret: &str, token: Option<String>) -> Credentials {
    Credentials::new(akid, secret, token, None, "tests")
}

fn sts(s: &Server, c: Credentials) -> aws_sdk_sts::Client {
    let conf = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(s.url())
        .credentials_provider(c)
        .build();
    aws_sdk_sts::Client::from_conf(conf)
}

fn organizations(s: &Server, c: Credentials) -> aws_sdk_organizations::Client {
    let conf = aws_sdk_organizations::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(s.url())
        .credentials_provider(c)
        .build();
    aws_sdk_organizations::Client::from_conf(conf)
}

fn sso(s: &Server) -> aws_sdk_sso::Client {
    let conf = aws_sdk_sso::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(s.url())
        .build();
    aws_sdk_sso::Client::from_conf(conf)
}

fn bedrock(s: &Server, region: &str, c: Credentials) -> aws_sdk_bedrock::Client {
    let conf = aws_sdk_bedrock::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .endpoint_url(s.url())
        .credentials_provider(c)
        .build();
    aws_sdk_bedrock::Client::from_conf(conf)
}

fn default_keys() -> Credentials {
    creds("AKIDTEST", "secret", None)
}

async fn control(s: &Server, method: &str, path: &str) -> Value {
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let (status, _, body) = raw(s, req.as_bytes()).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// Job ARNs of `account`'s data set in `region`, as the endpoint holds it.
async fn held(s: &Server, account: &str, region: &str) -> Vec<String> {
    let v = control(
        s,
        "GET",
        &format!("/_emulator/jobs?region={region}&account={account}"),
    )
    .await;
    let mut arns: Vec<String> = v["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["jobArn"].as_str().unwrap().to_string())
        .collect();
    arns.sort();
    arns
}

/// The members of `GET /_emulator/org`: (id, name, status).
async fn members(s: &Server) -> Vec<(String, String, String)> {
    let v = control(s, "GET", "/_emulator/org").await;
    v["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let f = |k: &str| m[k].as_str().unwrap().to_string();
            (f("id"), f("name"), f("status"))
        })
        .collect()
}

async fn assume(s: &Server, account: &str, role: &str) -> Credentials {
    let out = sts(s, default_keys())
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account}:role/{role}"))
        .role_session_name("copyjobs-test")
        .send()
        .await
        .expect("AssumeRole");
    let c = out.credentials().expect("credentials");
    creds(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
    )
}

async fn listed(s: &Server, region: &str, c: Credentials) -> Vec<String> {
    let jobs = list_all(bedrock(s, region, c).list_model_copy_jobs(), 100).await;
    let mut arns = arns(&jobs);
    arns.sort();
    arns
}

#[tokio::test]
async fn default_keys_are_the_management_account() {
    let s = start(org_options(5)).await;
    let who = sts(&s, default_keys())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    let org = control(&s, "GET", "/_emulator/org").await;
    let management = org["management"].as_str().unwrap();
    assert_eq!(who.account(), Some(management));
    assert_eq!(
        who.arn(),
        Some(format!("arn:aws:iam::{management}:user/demo").as_str())
    );
    // The management account's jobs are those of the endpoint without an
    // organisation: --org-size changes nothing of the caller's data.
    let plain = start(options(40)).await;
    assert_eq!(
        listed(&s, REGION, default_keys()).await,
        listed(&plain, REGION, default_keys()).await
    );
    s.shutdown().await;
    plain.shutdown().await;
}

#[tokio::test]
async fn an_assumed_role_signs_as_its_member_account_and_reads_its_data_set() {
    let s = start(org_options(12)).await;
    let org = members(&s).await;
    let (id, _, status) = &org[0];
    assert_eq!(status, "ACTIVE");
    let out = sts(&s, default_keys())
        .assume_role()
        .role_arn(format!("arn:aws:iam::{id}:role/CopyJobsReader"))
        .role_session_name("copyjobs-test")
        .send()
        .await
        .unwrap();
    let user = out.assumed_role_user().unwrap();
    assert_eq!(
        user.arn(),
        format!("arn:aws:sts::{id}:assumed-role/CopyJobsReader/copyjobs-test")
    );
    let c = out.credentials().unwrap();
    // The default lifetime: an hour of the endpoint's (frozen) clock.
    assert_eq!(c.expiration().secs(), NOW_S + 3600);
    let member = creds(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
    );
    let who = sts(&s, member.clone())
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(who.account(), Some(id.as_str()));

    let theirs = listed(&s, REGION, member.clone()).await;
    assert!(!theirs.is_empty());
    assert_eq!(theirs, held(&s, id, REGION).await);
    assert!(theirs.iter().all(|a| a.contains(&format!(":{id}:"))));
    let mine = listed(&s, REGION, default_keys()).await;
    assert!(theirs.iter().all(|a| !mine.contains(a)));

    // Some of the member's copies come from other accounts of the
    // organisation: models shared across accounts.
    let accounts: BTreeSet<String> = org.iter().map(|m| m.0.clone()).collect();
    let jobs = list_all(bedrock(&s, "us-west-2", member).list_model_copy_jobs(), 100).await;
    let shared = jobs
        .iter()
        .filter(|j| j.source_account_id() != id.as_str())
        .filter(|j| accounts.contains(j.source_account_id()))
        .count();
    assert!(shared > 0, "no copy of another member's model");
    s.shutdown().await;
}

fn code<E: aws_sdk_sts::error::ProvideErrorMetadata>(e: &E) -> String {
    e.code().unwrap_or_default().to_string()
}

#[tokio::test]
async fn suspended_members_denied_roles_and_roles_the_org_lacks_are_refused() {
    let probe = start(org_options(12)).await;
    let org = members(&probe).await;
    probe.shutdown().await;
    // Every 10th member is suspended (the default): the 10th of 12.
    let suspended: Vec<&str> = org
        .iter()
        .filter(|m| m.2 == "SUSPENDED")
        .map(|m| m.0.as_str())
        .collect();
    assert_eq!(suspended, vec![org[9].0.as_str()]);
    let denied = org[1].0.clone();
    let s = start(EmulatorOptions {
        org_deny_role: vec![denied.clone()],
        org_roles: vec!["CopyJobsReader".into()],
        ..org_options(12)
    })
    .await;
    let try_role = |account: String, role: &'static str| {
        let client = sts(&s, default_keys());
        async move {
            client
                .assume_role()
                .role_arn(format!("arn:aws:iam::{account}:role/{role}"))
                .role_session_name("copyjobs-test")
                .send()
                .await
        }
    };
    for (account, role) in [
        (org[9].0.clone(), "CopyJobsReader"),
        (denied, "CopyJobsReader"),
        (org[2].0.clone(), "Admin"),
        ("999999999999".to_string(), "CopyJobsReader"),
    ] {
        let e = try_role(account.clone(), role).await.expect_err("refused");
        let e = e.into_service_error();
        assert_eq!(code(&e), "AccessDenied", "{account} {role}: {e:?}");
    }
    assert!(try_role(org[2].0.clone(), "CopyJobsReader").await.is_ok());
    s.shutdown().await;
}

#[tokio::test]
async fn organizations_lists_every_account_page_by_page_for_the_management_account_only() {
    let s = start(org_options(12)).await;
    let client = organizations(&s, default_keys());
    let pages: Vec<_> = client
        .list_accounts()
        .into_paginator()
        .page_size(5)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    // 13 accounts (12 members and the management account) in pages of 5.
    assert_eq!(pages.len(), 3);
    let accounts: Vec<_> = pages.iter().flat_map(|p| p.accounts()).collect();
    assert_eq!(accounts.len(), 13);
    let org = members(&s).await;
    let mgmt = control(&s, "GET", "/_emulator/org").await["management"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(accounts[0].id(), Some(mgmt.as_str()));
    for (a, (id, name, status)) in accounts[1..].iter().zip(&org) {
        assert_eq!(a.id(), Some(id.as_str()));
        assert_eq!(a.name(), Some(name.as_str()));
        assert_eq!(a.status().map(|s| s.as_str()), Some(status.as_str()));
        assert_eq!(a.arn().map(|a| a.ends_with(&format!("/{id}"))), Some(true));
    }
    let names: BTreeSet<_> = accounts.iter().filter_map(|a| a.name()).collect();
    assert_eq!(names.len(), 13, "names are unique");
    let suspended = accounts
        .iter()
        .filter(|a| a.status().map(|s| s.as_str()) == Some("SUSPENDED"))
        .count();
    assert_eq!(suspended, 1);

    // A member's credentials may not list the organisation.
    let member = assume(&s, &org[0].0, "CopyJobsReader").await;
    let e = organizations(&s, member)
        .list_accounts()
        .send()
        .await
        .expect_err("a member")
        .into_service_error();
    assert!(e.is_access_denied_exception(), "{e:?}");
    s.shutdown().await;

    // Without --org-size the caller's account is in no organisation.
    let alone = start(options(10)).await;
    let e = organizations(&alone, default_keys())
        .list_accounts()
        .send()
        .await
        .expect_err("no organisation")
        .into_service_error();
    assert!(e.is_aws_organizations_not_in_use_exception(), "{e:?}");
    alone.shutdown().await;
}

#[tokio::test]
async fn identity_center_lists_accounts_and_roles_and_issues_credentials_until_the_token_expires() {
    let probe = start(org_options(12)).await;
    let org = members(&probe).await;
    probe.shutdown().await;
    let denied = org[3].0.clone();
    let s = start(EmulatorOptions {
        org_deny_role: vec![denied.clone()],
        ..org_options(12)
    })
    .await;
    control(&s, "POST", "/_emulator/sso-token?token=tok-1&seconds=600").await;
    let portal = sso(&s);
    let pages: Vec<_> = portal
        .list_accounts()
        .access_token("tok-1")
        .into_paginator()
        .page_size(4)
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    let accounts: Vec<_> = pages.iter().flat_map(|p| p.account_list()).collect();
    // The management account and the 11 ACTIVE members, in pages of 4.
    assert_eq!(pages.len(), 3);
    assert_eq!(accounts.len(), 12);
    let active: Vec<_> = org.iter().filter(|m| m.2 == "ACTIVE").collect();
    for (a, m) in accounts[1..].iter().zip(&active) {
        assert_eq!(a.account_id(), Some(m.0.as_str()));
        assert_eq!(a.account_name(), Some(m.1.as_str()));
    }
    let id = active[0].0.clone();
    let roles = portal
        .list_account_roles()
        .access_token("tok-1")
        .account_id(&id)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = roles
        .role_list()
        .iter()
        .filter_map(|r| r.role_name())
        .collect();
    assert_eq!(names, vec!["AdministratorAccess", "ReadOnlyAccess"]);
    let none = portal
        .list_account_roles()
        .access_token("tok-1")
        .account_id(&denied)
        .send()
        .await
        .unwrap();
    assert!(none.role_list().is_empty(), "the role is denied there");

    let out = portal
        .get_role_credentials()
        .access_token("tok-1")
        .account_id(&id)
        .role_name("ReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let rc = out.role_credentials().unwrap();
    assert_eq!(rc.expiration(), (NOW_S + 3600) * 1000);
    let member = creds(
        rc.access_key_id().unwrap(),
        rc.secret_access_key().unwrap(),
        rc.session_token().map(str::to_string),
    );
    assert_eq!(
        listed(&s, REGION, member).await,
        held(&s, &id, REGION).await
    );

    // An unknown token, then the registered one once it has expired.
    let e = portal
        .list_accounts()
        .access_token("nope")
        .send()
        .await
        .expect_err("unknown token")
        .into_service_error();
    assert!(e.is_unauthorized_exception(), "{e:?}");
    s.emulator.clock.advance(601_000);
    let e = portal
        .list_accounts()
        .access_token("tok-1")
        .send()
        .await
        .expect_err("expired token")
        .into_service_error();
    assert!(e.is_unauthorized_exception(), "{e:?}");
    s.shutdown().await;
}

#[tokio::test]
async fn assumed_credentials_expire_with_the_endpoint_clock() {
    let s = start(EmulatorOptions {
        credential_lifetime: 900,
        ..org_options(3)
    })
    .await;
    let id = members(&s).await[0].0.clone();
    let member = assume(&s, &id, "CopyJobsReader").await;
    assert_eq!(
        listed(&s, REGION, member.clone()).await,
        held(&s, &id, REGION).await
    );
    control(&s, "POST", "/_emulator/advance?seconds=899").await;
    assert!(
        bedrock(&s, REGION, member.clone())
            .list_model_copy_jobs()
            .send()
            .await
            .is_ok()
    );
    control(&s, "POST", "/_emulator/advance?seconds=1").await;
    let e = bedrock(&s, REGION, member)
        .list_model_copy_jobs()
        .send()
        .await
        .expect_err("expired");
    let e = e.into_service_error();
    assert_eq!(
        aws_sdk_bedrock::error::ProvideErrorMetadata::code(&e),
        Some("ExpiredTokenException"),
        "{e:?}"
    );
    // New credentials work again.
    let again = assume(&s, &id, "CopyJobsReader").await;
    assert!(!listed(&s, REGION, again).await.is_empty());
    s.shutdown().await;
}

#[tokio::test]
async fn a_region_denied_in_one_member_is_refused_there_only() {
    let probe = start(org_options(4)).await;
    let org = members(&probe).await;
    probe.shutdown().await;
    let (a, b) = (org[0].0.clone(), org[1].0.clone());
    let s = start(EmulatorOptions {
        org_deny_regions: vec![(a.clone(), "us-west-2".into())],
        ..org_options(4)
    })
    .await;
    let ca = assume(&s, &a, "CopyJobsReader").await;
    let e = bedrock(&s, "us-west-2", ca.clone())
        .list_model_copy_jobs()
        .send()
        .await
        .expect_err("denied")
        .into_service_error();
    assert!(e.is_access_denied_exception(), "{e:?}");
    assert!(!listed(&s, REGION, ca).await.is_empty());
    let cb = assume(&s, &b, "CopyJobsReader").await;
    assert_eq!(
        listed(&s, "us-west-2", cb).await,
        held(&s, &b, "us-west-2").await
    );
    s.shutdown().await;
}

/// aws-config's own assume-role provider, from a profile whose
/// `endpoint_url` is the endpoint's, as a user's `~/.aws/config` would say
/// it: the member's data set, through credentials the SDK assumed itself.
// `ProfileFiles` is deprecated for `aws_runtime`'s `EnvConfigFiles`, the
// same type under a crate this one does not depend on.
#[allow(deprecated)]
#[tokio::test]
async fn aws_configs_assume_role_profile_reaches_a_member() {
    use aws_config::profile::ProfileFileCredentialsProvider;
    use aws_config::profile::profile_file::{ProfileFileKind, ProfileFiles};
    let s = start(org_options(3)).await;
    let id = members(&s).await[1].0.clone();
    let dir = std::env::temp_dir().join(format!("copyjobs-org-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[profile base]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret\nregion = {REGION}\nendpoint_url = {url}\n\n[profile member]\nrole_arn = arn:aws:iam::{id}:role/CopyJobsReader\nsource_profile = base\nregion = {REGION}\nendpoint_url = {url}\n",
            url = s.url()
        ),
    )
    .unwrap();
    let provider = ProfileFileCredentialsProvider::builder()
        .profile_files(
            ProfileFiles::builder()
                .with_file(ProfileFileKind::Config, &config)
                .build(),
        )
        .profile_name("member")
        .configure(
            &aws_config::provider_config::ProviderConfig::default()
                .with_region(Some(Region::new(REGION))),
        )
        .build();
    let conf = aws_sdk_bedrock::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(s.url())
        .credentials_provider(provider)
        .build();
    let jobs = list_all(
        aws_sdk_bedrock::Client::from_conf(conf).list_model_copy_jobs(),
        100,
    )
    .await;
    let mut got = arns(&jobs);
    got.sort();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(got, held(&s, &id, REGION).await);
    let calls = s.emulator.request_counts();
    assert_eq!(
        calls.get(&(REGION.to_string(), "sts:AssumeRole".to_string())),
        Some(&1),
        "{calls:?}"
    );
    // By account: the one AssumeRole and the one page (40 jobs) were the
    // member's.
    let stats = control(&s, "GET", "/_emulator/stats").await;
    let theirs = &stats["accounts"][id.as_str()][REGION];
    assert_eq!(theirs["sts:AssumeRole"], 1, "{stats}");
    assert_eq!(theirs["ListModelCopyJobs"], 1, "{stats}");
    assert_eq!(stats["accounts"].as_object().map(|a| a.len()), Some(1));
    s.shutdown().await;
}

#[tokio::test]
async fn each_member_lists_its_own_models() {
    let s = start(org_options(4)).await;
    let org = members(&s).await;
    let active: Vec<&(String, String, String)> =
        org.iter().filter(|m| m.2 == "ACTIVE").take(2).collect();
    assert_eq!(active.len(), 2);
    let mut seen: Vec<BTreeSet<String>> = Vec::new();
    for (id, _, _) in active.iter().map(|m| (&m.0, &m.1, &m.2)) {
        let record = control(
            &s,
            "GET",
            &format!("/_emulator/models?region={REGION}&account={id}"),
        )
        .await;
        let want: BTreeSet<String> = record["customModels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["modelArn"].as_str().unwrap().to_string())
            .collect();
        assert!(!want.is_empty());
        let c = assume(&s, id, "CopyJobsReader").await;
        let out = bedrock(&s, REGION, c)
            .list_custom_models()
            .max_results(1000)
            .send()
            .await
            .expect("ListCustomModels as the member");
        let got: BTreeSet<String> = out
            .model_summaries()
            .iter()
            .map(|m| {
                assert_eq!(m.owner_account_id(), Some(id.as_str()));
                assert!(m.model_arn().contains(&format!(":{id}:")));
                m.model_arn().to_string()
            })
            .collect();
        assert_eq!(got, want, "{id}");
        seen.push(got);
    }
    assert!(seen[0].is_disjoint(&seen[1]), "each account its own models");
}
