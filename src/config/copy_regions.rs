//! `[copy_regions]`: the user's rows of the table of regions a copy can go
//! to (see [`crate::domain::copy_regions`]), each replacing the shipped row
//! of its base model or adding one:
//!
//! ```toml
//! [copy_regions]
//! "amazon.titan-text-express-v1" = ["us-east-1", "us-west-2", "eu-central-1"]
//! ```
//!
//! Checked with the rest of the file, each problem at its line.

use super::spans::Spans;
use super::{ConfigError, Loaded};
use crate::domain::copy_regions::{self, CopyRegions, RowOrigin, base_model};
use crate::domain::query::echo;
use std::collections::BTreeMap;
use std::path::Path;

const SECTION: &str = "copy_regions";

/// Every key a base model (once), every value a list of regions (each
/// once, each one of Bedrock's unless `any_region`).
pub fn check(
    path: &Path,
    text: &str,
    spans: &Spans<'_>,
    rows: &BTreeMap<String, Vec<String>>,
    any_region: bool,
) -> Result<(), ConfigError> {
    let mut bases: Vec<(&str, &str)> = Vec::new();
    for (key, regions) in rows {
        let value_at = spans.value(&[SECTION, key]).map_or(0, |r| r.start);
        let at = |at: usize, message: String| ConfigError::at(path, text, at, message);
        let Some(base) = base_model(key) else {
            return Err(at(
                value_at,
                format!(
                    "[copy_regions]: `{}` is not a base model: name it as a custom model's ARN does, like \"amazon.nova-lite-v1\"",
                    echo(key)
                ),
            ));
        };
        if let Some((_, other)) = bases.iter().find(|(b, _)| *b == base) {
            return Err(at(
                value_at,
                format!(
                    "[copy_regions] names the base model {base} twice (\"{other}\" and \"{}\"): keep one",
                    echo(key)
                ),
            ));
        }
        bases.push((base, key));
        let items = spans.items(&[SECTION, key]);
        for (i, region) in regions.iter().enumerate() {
            let item_at = items.get(i).map_or(value_at, |r| r.start);
            let earlier = &regions[..i];
            let problem = match crate::domain::region::known(region, any_region) {
                Err(e) if crate::domain::region::parse(region).is_ok() => {
                    Some(format!("{e} ({})", super::UNKNOWN_REGION_HINT))
                }
                Err(e) => Some(e),
                Ok(r) if earlier.iter().any(|e| e.trim() == r) => {
                    Some(format!("{r} is listed twice"))
                }
                Ok(_) => None,
            };
            if let Some(problem) = problem {
                return Err(at(item_at, format!("[copy_regions] \"{base}\": {problem}")));
            }
        }
    }
    Ok(())
}

impl Loaded {
    /// The table of regions a copy can go to: the shipped one, each row the
    /// file's `[copy_regions]` gives replacing (or adding) its base model's.
    /// A message about a row of the file names its line.
    pub fn copy_regions(&self) -> CopyRegions {
        let mut table = CopyRegions::shipped();
        for (key, regions) in &self.config.copy_regions {
            // `parse` refused anything else.
            let (Some(base), Ok(regions)) = (base_model(key), copy_regions::regions(regions))
            else {
                continue;
            };
            let at = self
                .line_of(&[SECTION, key])
                .unwrap_or_else(|| format!("{SECTION}.\"{key}\""));
            table.set(base, regions, RowOrigin::Config(at));
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{ConfigError, Loaded, parse};
    use chrono::TimeZone;
    use std::path::Path;

    fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
        let now = chrono::Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
        parse(Path::new("/home/me/config.toml"), text, now)
    }

    #[test]
    fn a_row_replaces_the_shipped_one_and_says_where_it_is_written() {
        let l = parse_str(
            "[view]\nrefresh = 5\n\n[copy_regions]\n\"amazon.nova-canvas-v1:0\" = [\"us-west-2\", \"eu-central-1\"]\n\"cohere.command-light-text-v14\" = []\n",
        )
        .unwrap();
        let t = l.copy_regions();
        assert_eq!(
            t.supported("amazon.nova-canvas-v1"),
            Some(&["eu-central-1".to_string(), "us-west-2".into()][..])
        );
        assert_eq!(t.supported("cohere.command-light-text-v14"), Some(&[][..]));
        let row = t.row("amazon.nova-canvas-v1").unwrap();
        assert_eq!(t.said_by(row), "[copy_regions] at /home/me/config.toml:5");
        // The others are the guide's.
        assert_eq!(t.supported("amazon.nova-lite-v1").map(<[_]>::len), Some(15));
        // None given: the shipped table.
        assert_eq!(
            Loaded::defaults().copy_regions(),
            crate::domain::copy_regions::CopyRegions::shipped()
        );
    }

    #[test]
    fn a_bad_row_is_told_at_its_line() {
        let cases = [
            (
                "[copy_regions]\n\"Nova Lite\" = [\"us-east-1\"]\n",
                (2, 15),
                "[copy_regions]: `Nova Lite` is not a base model: name it as a custom model's ARN does, like \"amazon.nova-lite-v1\"",
            ),
            (
                "[copy_regions]\n\"amazon.nova-lite-v1\" = [\"us-east-1\",\n  \"us-east\"]\n",
                (3, 3),
                "[copy_regions] \"amazon.nova-lite-v1\": us-east is not one of Bedrock's regions: did you mean us-east-1?",
            ),
            (
                "[copy_regions]\n\"amazon.nova-lite-v1\" = [\"us-east-1\", \"us-east-1\"]\n",
                (2, 39),
                "[copy_regions] \"amazon.nova-lite-v1\": us-east-1 is listed twice",
            ),
            (
                "[copy_regions]\n\"amazon.nova-lite-v1\" = [\"us-east-1\"]\n\"amazon.nova-lite-v1:0\" = []\n",
                (3, 27),
                "[copy_regions] names the base model amazon.nova-lite-v1 twice (\"amazon.nova-lite-v1\" and \"amazon.nova-lite-v1:0\"): keep one",
            ),
        ];
        for (text, (line, column), message) in cases {
            let e = parse_str(text).map(|_| ()).unwrap_err();
            assert_eq!((e.line, e.column), (Some(line), Some(column)), "{e}");
            assert_eq!(e.message, message);
        }
        // Unquoted, a dotted key is a table of tables: the type is told.
        let e = parse_str("[copy_regions]\namazon.nova-lite-v1 = [\"us-east-1\"]\n")
            .map(|_| ())
            .unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("a base model in quotes"), "{e}");
        let e = parse_str("copy_regions = 5\n").map(|_| ()).unwrap_err();
        assert!(e.message.contains("a line [copy_regions]"), "{e}");
    }
}
