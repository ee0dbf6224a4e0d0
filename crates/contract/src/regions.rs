//! The regions that offer Amazon Bedrock: the one list both sides keep.
//!
//! The client offers them (the source picker, the copy pane, completions)
//! and refuses a name not among them as a likely typo, unless told the list
//! is out of date (`--any-region`, `allow_unknown_regions`); the copy-regions
//! table is checked against it. The SDK publishes no region list of its
//! own, so this one is kept by hand from the Bedrock endpoints page
//! ("Amazon Bedrock endpoints and quotas", the control plane's table,
//! docs.aws.amazon.com/general/latest/gr/bedrock.html, read 2026-12-07).

/// By geography, each once.
pub const BEDROCK_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "mx-central-1",
    "sa-east-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "af-south-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "us-gov-east-1",
    "us-gov-west-1",
];

/// Whether `name` is one of [`BEDROCK_REGIONS`].
pub fn is_bedrock_region(name: &str) -> bool {
    BEDROCK_REGIONS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_region_once_and_shaped_as_aws_names_them() {
        let mut sorted = BEDROCK_REGIONS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), BEDROCK_REGIONS.len());
        assert!(
            BEDROCK_REGIONS
                .iter()
                .all(|r| crate::copy_regions::region_like(r))
        );
        assert!(is_bedrock_region("eu-west-1"));
        assert!(!is_bedrock_region("eu-wset-1"));
    }
}
