//! A role in another account, assumed with STS from a profile's
//! credentials (`--accounts`/`--org` with `--role-name`).

use aws_config::SdkConfig;
use aws_sdk_bedrock::config::{Region, SharedCredentialsProvider};

/// The role's session name in the account's CloudTrail: who read.
const SESSION_NAME: &str = "copyjobs";

/// Credentials of `role` in `account`, assumed with `base`'s through
/// aws-config's provider; STS is asked in `base`'s region, else `region`
/// (the source's). Nothing is asked until a request needs them, and the
/// configuration's cache keeps them until shortly before they expire.
pub async fn assume(
    base: &SdkConfig,
    account: &str,
    role: &str,
    region: Option<&str>,
) -> SharedCredentialsProvider {
    let sts_region = base
        .region()
        .map(|r| r.to_string())
        .or_else(|| region.map(str::to_string));
    let mut builder = aws_config::sts::AssumeRoleProvider::builder(role_arn(
        sts_region.as_deref(),
        account,
        role,
    ))
    .session_name(SESSION_NAME)
    .configure(base);
    if base.region().is_none()
        && let Some(r) = sts_region
    {
        builder = builder.region(Region::new(r));
    }
    SharedCredentialsProvider::new(builder.build().await)
}

pub use crate::domain::account::role_arn;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roles_arn_is_in_its_regions_partition() {
        assert_eq!(
            role_arn(Some("eu-west-1"), "111122223333", "CopyJobsReader"),
            "arn:aws:iam::111122223333:role/CopyJobsReader"
        );
        assert_eq!(
            role_arn(Some("cn-north-1"), "111122223333", "R"),
            "arn:aws-cn:iam::111122223333:role/R"
        );
        assert_eq!(
            role_arn(Some("us-gov-west-1"), "111122223333", "R"),
            "arn:aws-us-gov:iam::111122223333:role/R"
        );
        assert_eq!(role_arn(None, "1", "R"), "arn:aws:iam::1:role/R");
    }
}
