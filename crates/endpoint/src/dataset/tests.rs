use super::profile::region_abbrev;
use super::*;
use copyjobs_contract::{self as constraints, matches};

#[test]
fn profile_is_deterministic_and_fits_the_model() {
    let made = |region: &str| {
        let mut p = RegionProfile::new(42, region);
        let t = Timeline::new(500, 1_760_000_000_000, 1.0, 1.0);
        let jobs = Generator::default().initial(&mut p, &t);
        (p, jobs)
    };
    let (a, jobs) = made("us-east-1");
    let (b, again) = made("us-east-1");
    assert_eq!(a.sources, b.sources);
    assert_eq!(jobs, again);
    assert_eq!(a.account, b.account);
    assert_eq!(a.generated_sources, a.sources.len());
    // Every model copies: none the data set made is left unused.
    for i in 0..a.sources.len() {
        assert!(jobs.iter().any(|j| j.source as usize == i), "{i}");
    }
    // The caller's account does not depend on the region.
    assert_eq!(RegionProfile::new(42, "eu-west-1").account, a.account);
    assert!(
        a.sources
            .iter()
            .any(|s| s.arn.contains(":foundation-model/"))
    );
    assert!(
        a.sources
            .iter()
            .any(|s| s.arn.contains(":custom-model/imported/"))
    );
    assert!(a.sources.iter().any(|s| s.account != a.account));
    for s in &a.sources {
        assert!(matches(constraints::MODEL_ARN, &s.arn), "{}", s.arn);
        assert!(matches(constraints::ACCOUNT_ID, &s.account));
        if let Some(n) = &s.name {
            assert!(matches(constraints::CUSTOM_MODEL_NAME, n), "{n}");
        }
    }
    for k in &a.kms_keys {
        assert!(matches(constraints::KMS_KEY_ARN, k), "{k}");
    }
}

#[test]
fn region_abbreviations() {
    assert_eq!(region_abbrev("us-east-1"), "use1");
    assert_eq!(region_abbrev("ap-southeast-2"), "apse2");
    assert_eq!(region_abbrev("eu-central-1"), "euc1");
}
