//! The user guide's table of copy regions, written out by hand: the oracle
//! of what the product's shipped table (`CopyRegions`) says, never read
//! from it.

/// The user guide's table of copy regions ("Supported Regions and models for
/// model copy", read 2026-11-30), written out here: the oracle of the `supported` column, not
/// `CopyRegions`, which reads the asset the product ships.
pub const GUIDE: &[(&str, &[&str])] = &[
    (
        "amazon.nova-canvas-v1",
        &["ap-northeast-2", "eu-west-1", "us-east-1"],
    ),
    (
        "amazon.nova-lite-v1",
        &[
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-3",
            "us-east-1",
            "us-east-2",
            "us-gov-west-1",
            "us-west-2",
        ],
    ),
    (
        "amazon.nova-micro-v1",
        &[
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-3",
            "us-east-1",
            "us-east-2",
            "us-gov-west-1",
            "us-west-2",
        ],
    ),
    (
        "amazon.nova-pro-v1",
        &[
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-south-1",
            "ap-southeast-1",
            "ap-southeast-2",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-3",
            "us-east-1",
            "us-east-2",
            "us-gov-west-1",
            "us-west-2",
        ],
    ),
    (
        "amazon.titan-embed-image-v1",
        &[
            "ap-south-1",
            "ap-southeast-2",
            "ca-central-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "sa-east-1",
            "us-east-1",
            "us-west-2",
        ],
    ),
    (
        "anthropic.claude-3-haiku-20240307-v1",
        &[
            "ap-south-1",
            "ap-southeast-2",
            "eu-west-1",
            "eu-west-2",
            "us-east-1",
            "us-west-2",
        ],
    ),
    (
        "meta.llama3-1-405b-instruct-v1",
        &["us-east-1", "us-east-2", "us-west-2"],
    ),
    (
        "meta.llama3-1-70b-instruct-v1",
        &["us-east-1", "us-east-2", "us-west-2"],
    ),
    (
        "meta.llama3-1-8b-instruct-v1",
        &["us-east-1", "us-east-2", "us-west-2"],
    ),
    (
        "meta.llama3-2-11b-instruct-v1",
        &["us-east-1", "us-east-2", "us-west-2"],
    ),
    (
        "meta.llama3-2-1b-instruct-v1",
        &[
            "eu-central-1",
            "eu-west-1",
            "eu-west-3",
            "us-east-1",
            "us-east-2",
            "us-west-2",
        ],
    ),
    (
        "meta.llama3-2-3b-instruct-v1",
        &["us-east-1", "us-east-2", "us-west-2"],
    ),
    (
        "meta.llama3-2-90b-instruct-v1",
        &["us-east-1", "us-east-2", "us-west-2"],
    ),
];

/// The regions the guide lets `base` be copied to; None for a base it does
/// not list.
pub fn guide(base: &str) -> Option<&'static [&'static str]> {
    GUIDE.iter().find(|(b, _)| *b == base).map(|(_, r)| *r)
}

/// Every custom model `account` lists in `regions`, as the endpoint's own
/// record has them (`/_emulator/models`, the service's JSON).
pub fn account_models(
    server: &copyjobs::emulator::Server,
    account: &str,
    regions: &[&str],
) -> Vec<serde_json::Value> {
    regions
        .iter()
        .flat_map(|r| {
            copyjobs::emulator::models::models_json(&server.emulator, account, r)["customModels"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect()
}
