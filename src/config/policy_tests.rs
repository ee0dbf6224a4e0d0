use super::*;
use crate::config::parse;
use chrono::TimeZone;

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

/// A policy file's text read as `--policy` reads it.
fn read(text: &str) -> Result<PolicyRead, ConfigError> {
    let dir = std::env::temp_dir().join(format!(
        "copyjobs-policy-unit-{}-{}",
        std::process::id(),
        crate::domain::matrix::fingerprint(text)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("policy.toml");
    std::fs::write(&path, text).unwrap();
    let r = Loaded::defaults().policy(Some(&path));
    let _ = std::fs::remove_dir_all(&dir);
    r
}

const SMALLEST: &str = "[[replicate]]\nbase_model = \"amazon.nova-*\"\nregions = [\"us-east-1\", \"us-west-2\", \"eu-central-1\"]\n";

#[test]
fn the_smallest_policy_works_as_written() {
    let p = read(SMALLEST).unwrap();
    assert_eq!(p.policy.rules.len(), 1);
    let rule = &p.policy.rules[0];
    assert_eq!(rule.regions, ["us-east-1", "us-west-2", "eu-central-1"]);
    assert_eq!(rule.base_model.as_ref().unwrap().as_str(), "amazon.nova-*");
    assert!(rule.name.is_none() && rule.copy_name.is_none() && rule.tags.is_empty());
    // Nova Canvas is a Nova model whose copies go to three regions only
    // (the guide's table): us-west-2 and eu-central-1 are warned of, at
    // their place in the list.
    assert_eq!(p.warnings.len(), 2, "{:#?}", p.warnings);
    assert!(p.warnings[0].contains(":3:25: warning: amazon.nova-canvas-v1 (picked by base_model = \"amazon.nova-*\") cannot be copied to us-west-2: its copies go to ap-northeast-2, eu-west-1, us-east-1 only"), "{}", p.warnings[0]);
    assert!(
        p.warnings[1].contains(":3:38: warning: amazon.nova-canvas-v1"),
        "{}",
        p.warnings[1]
    );
    // The same tables in the config file.
    let l = parse(
        std::path::Path::new("/home/me/config.toml"),
        SMALLEST,
        now(),
    )
    .unwrap();
    let from_config = l.policy(None).unwrap();
    assert_eq!(from_config.policy.rules[0].regions, rule.regions);
    assert_eq!(from_config.policy.rules[0].at, "/home/me/config.toml:3");
}

#[test]
fn every_key_is_read() {
    let p = read(
        "[[replicate]]\nname = \"fraud-*\"\nbase_model = \"amazon.nova-lite-v1:0\"\nsource_account = \"1111*\"\nsource_region = \"us-west-2\"\nregions = [\"eu-central-1\"]\ncopy_name = \"{name}-{region}\"\nkms_key = { \"eu-central-1\" = \"alias/models-eu\" }\ntags = { team = \"fraud\", \"cost centre\" = \"ml 42\" }\n",
    )
    .unwrap();
    let r = &p.policy.rules[0];
    assert_eq!(
        r.base_model.as_ref().unwrap().as_str(),
        "amazon.nova-lite-v1"
    );
    assert_eq!(r.source_region.as_deref(), Some("us-west-2"));
    assert_eq!(r.kms_keys["eu-central-1"], "alias/models-eu");
    assert_eq!(r.tags.len(), 2);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn mistakes_are_told_at_their_line_and_column() {
    let cases: &[(&str, (usize, usize), &str)] = &[
        (
            "[[replicate]]\nbase_modle = \"amazon.nova-*\"\nregions = [\"us-east-1\"]\n",
            (2, 1),
            "unknown key `base_modle`: did you mean `base_model`?",
        ),
        (
            "[[replicate]]\nbase_model = \"amazon.nova-*\"\nregions = [\"us-east-1\",\n  \"eu-centrl-1\"]\n",
            (4, 3),
            "[[replicate]] regions: eu-centrl-1 is not one of Bedrock's regions: did you mean eu-central-1?",
        ),
        (
            "[[replicate]]\nname = \"fraud-[a\"\nregions = [\"us-east-1\"]\n",
            (2, 8),
            "[[replicate]] name: `fraud-[a`: a `[` opens a set of characters that no `]` closes",
        ),
        (
            "[[replicate]]\nregions = [\"us-east-1\", \"us-east-1\"]\n",
            (2, 25),
            "[[replicate]] regions: us-east-1 is listed twice",
        ),
        (
            "[[replicate]]\nregions = [\"us-east-1\"]\ncopy_name = \"{nam}-x\"\n",
            (3, 13),
            "[[replicate]] copy_name: `{nam}-x`: {nam} is not a placeholder",
        ),
        (
            "[[replicate]]\nregions = [\"us-east-1\"]\nkms_key = { \"eu-west-1\" = \"alias/k\" }\n",
            (3, 27),
            "[[replicate]] kms_key: eu-west-1 is not one of the rule's regions (us-east-1)",
        ),
        (
            "[[replicate]]\nregions = \"us-east-1\"\n",
            (2, 11),
            "`regions` must be a list of region names",
        ),
        (
            "[[replicate]]\nsource_account = \"acme\"\nregions = [\"us-east-1\"]\n",
            (2, 18),
            "`acme` is not an account",
        ),
    ];
    for (text, (line, column), message) in cases {
        let e = read(text).map(|_| ()).unwrap_err();
        assert_eq!((e.line, e.column), (Some(*line), Some(*column)), "{e}");
        assert!(e.message.contains(message), "{e}");
        // The config file says the same, at the same place.
        let e = parse(std::path::Path::new("/c.toml"), text, now())
            .map(|_| ())
            .unwrap_err();
        assert_eq!((e.line, e.column), (Some(*line), Some(*column)), "{e}");
    }
    let e = read("# nothing\n").map(|_| ()).unwrap_err();
    assert!(e.message.contains("the policy has no rule"), "{e}");
    let e = Loaded::defaults().policy(None).unwrap_err();
    assert!(e.message.contains("--policy PATH"), "{e}");
}
