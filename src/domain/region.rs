//! Region names: the shape AWS gives them, and the regions that offer Bedrock
//! model customization, for the source picker to offer.

/// Regions that offer Amazon Bedrock: what the pickers offer and names are
/// checked against (one list, kept in `copyjobs-contract`).
pub use super::constraints::regions::{BEDROCK_REGIONS, is_bedrock_region};

/// `name` (well formed) if it is one of Bedrock's regions; else why not,
/// with the nearest region when one is near enough to be a typo
/// (`eu-wset-1`: did you mean eu-west-1?). `allow_unknown` takes any name:
/// the list is out of date when a new region opens.
pub fn known(name: &str, allow_unknown: bool) -> Result<String, String> {
    let nearest = |name: &str| {
        BEDROCK_REGIONS
            .iter()
            .map(|r| (strsim::damerau_levenshtein(name, r), *r))
            .filter(|(d, _)| *d <= 3)
            .min()
            .map(|(_, r)| r)
    };
    let refused = |name: &str, near: &str| {
        format!(
            "{} is not one of Bedrock's regions: did you mean {near}?",
            super::query::echo(name)
        )
    };
    let name = match parse(name) {
        Ok(n) => n,
        // Misshapen, but one letter from a region: say which.
        Err(e) => return Err(nearest(name.trim()).map_or(e, |r| refused(name.trim(), r))),
    };
    if allow_unknown || is_bedrock_region(&name) {
        return Ok(name);
    }
    Err(match nearest(&name) {
        Some(r) => refused(&name, r),
        None => format!("{name} is not one of Bedrock's regions"),
    })
}

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

    #[test]
    fn a_region_not_in_the_list_is_refused_with_the_nearest() {
        let refused = |r| known(r, false).unwrap_err();
        assert_eq!(
            refused("eu-wset-1"),
            "eu-wset-1 is not one of Bedrock's regions: did you mean eu-west-1?"
        );
        assert_eq!(
            refused("us-east-9"),
            "us-east-9 is not one of Bedrock's regions: did you mean us-east-1?"
        );
        assert_eq!(
            refused("xx-nowhere-42"),
            "xx-nowhere-42 is not one of Bedrock's regions"
        );
        // Misshapen: the nearest region too, when there is one.
        assert_eq!(
            refused("us-east1"),
            "us-east1 is not one of Bedrock's regions: did you mean us-east-1?"
        );
        assert_eq!(refused("US"), "'US' is not a region name like us-east-1");
        assert_eq!(known(" eu-west-1 ", false).as_deref(), Ok("eu-west-1"));
        // The list out of date: any well-formed name.
        assert_eq!(known("eu-wset-1", true).as_deref(), Ok("eu-wset-1"));
        assert!(known("us-east1", true).is_err());
    }
}
