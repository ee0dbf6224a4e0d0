//! Region names: the shape AWS gives them, and the regions that offer Bedrock
//! model customization, for the source picker to offer.

/// Regions that offer Amazon Bedrock, for the source picker. The SDK does not
/// publish its partition's region list, so this is kept by hand; any other
/// well-formed name can still be typed.
pub const BEDROCK_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "us-gov-east-1",
    "us-gov-west-1",
];

/// A region name as AWS spells them (us-east-1, eu-central-2, us-gov-west-1):
/// lowercase words joined by dashes, at least three parts, a number last.
pub fn parse(s: &str) -> Result<String, String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    // At most 20: what an ARN's region part (and the endpoint) allows.
    let ok = (4..=20).contains(&s.len())
        && parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty())
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit());
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "'{}' is not a region name like us-east-1",
            super::query::echo(s)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_names_are_checked() {
        for good in ["us-east-1", "eu-central-2", "us-gov-west-1", " ap-south-1 "] {
            assert_eq!(parse(good).as_deref(), Ok(good.trim()));
        }
        for bad in [
            "",
            "us",
            "us-east",
            "US-EAST-1",
            "us-east-x",
            "us--1",
            "us-east-1-",
            "us_east_1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(BEDROCK_REGIONS.iter().all(|r| parse(r).is_ok()));
    }
}
