//! The regions a copy of a model can go to.
//!
//! Bedrock copies a custom model only into the regions that support its base
//! model, and refuses any other region. The user guide keeps that table
//! ("Supported Regions and models for model copy"); copyjobs ships it as
//! `assets/copy-regions.toml`, compiled in, with the page's address and the
//! day it was taken (read in `copyjobs_contract::copy_regions`, which the
//! local endpoint reads too), and the config's `[copy_regions]` replaces or
//! adds rows. `copy` refuses an unsupported region before sending anything, and
//! the replication matrix marks one ⊘.
//!
//! A base model is named as a custom model's ARN names it: the
//! `provider.model` part up to its first `:`, so
//! `custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12` and the table's
//! model ID `amazon.nova-lite-v1:0` are both `amazon.nova-lite-v1` (the
//! versions and context variants after the first `:` are variants of one
//! base model, which the guide lists once). A base model the table does not
//! know is supported everywhere: copyjobs says so, and the service decides.
//!
//! No I/O and nothing of the config here.

use super::constraints::copy_regions::Guide;
pub use super::constraints::copy_regions::{base_model, is_home};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Where a row comes from, for messages that say why a region is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOrigin {
    /// The user guide's table, as shipped.
    Guide,
    /// The config's `[copy_regions]`, at this place (`PATH:LINE`).
    Config(String),
}

/// One base model and the regions its copies can go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `amazon.nova-lite-v1`.
    pub base_model: String,
    /// As the guide names it (`Amazon Nova Lite`); none for a config row.
    pub name: Option<String>,
    /// Sorted, each once.
    pub regions: Vec<String>,
    pub origin: RowOrigin,
}

/// Whether a copy of a model can go to a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Supported,
    /// The table knows the base model, and not this region.
    Unsupported,
    /// The table does not know the base model (or the ARN names none, as an
    /// imported model's does not): treated as supported.
    Unknown,
}

/// The table: the guide's rows, with the config's over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRegions {
    rows: BTreeMap<String, Row>,
    /// The page the shipped rows were taken from.
    pub source: String,
    /// When they were taken (`2026-11-30`).
    pub taken: String,
}

static SHIPPED: LazyLock<CopyRegions> = LazyLock::new(|| {
    from_guide(Guide::shipped()).unwrap_or_else(|e| panic!("assets/copy-regions.toml: {e}"))
});

/// The guide's rows as copyjobs keeps them, each region checked as a config
/// row's are.
fn from_guide(guide: &Guide) -> Result<CopyRegions, String> {
    let mut rows = BTreeMap::new();
    for row in &guide.rows {
        rows.insert(
            row.base_model.clone(),
            Row {
                base_model: row.base_model.clone(),
                name: Some(row.name.clone()),
                regions: regions(&row.regions)?,
                origin: RowOrigin::Guide,
            },
        );
    }
    Ok(CopyRegions {
        rows,
        source: guide.source.clone(),
        taken: guide.taken.clone(),
    })
}

/// The regions, checked, sorted and each once; a region named twice is an
/// error (a config that says it twice probably meant another).
pub fn regions(list: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::with_capacity(list.len());
    for r in list {
        let r = super::region::parse(r)?;
        if out.contains(&r) {
            return Err(format!("{r} is listed twice"));
        }
        out.push(r);
    }
    out.sort();
    Ok(out)
}

/// Why a copy of `source_model_arn` cannot go to `home`, its own region:
/// the API copies a model to another region (the service refuses it too).
pub fn own_region(source_model_arn: &str, home: &str) -> String {
    format!("{source_model_arn} is in {home} already: a copy goes to another region")
}

impl CopyRegions {
    /// The user guide's table, as shipped.
    pub fn shipped() -> CopyRegions {
        SHIPPED.clone()
    }

    /// The regions copies of `base_model` can go to, sorted; None when the
    /// table does not know it (then every region is tried, and the service
    /// decides). `base_model` as [`base_model`] gives it; a model ID or ARN
    /// is reduced the same way first.
    pub fn supported(&self, base_model: &str) -> Option<&[String]> {
        self.row(base_model).map(|r| r.regions.as_slice())
    }

    /// The row of a base model (or of a model ID or ARN's base model).
    pub fn row(&self, model: &str) -> Option<&Row> {
        let base = self::base_model(model).unwrap_or(model);
        self.rows.get(base)
    }

    /// Every row, by base model.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.values()
    }

    /// Whether a copy of a model of `base_model` can go to `region`.
    pub fn support(&self, base_model: Option<&str>, region: &str) -> Support {
        match base_model.and_then(|b| self.supported(b)) {
            None => Support::Unknown,
            Some(regions) if regions.iter().any(|r| r == region) => Support::Supported,
            Some(_) => Support::Unsupported,
        }
    }

    /// Replaces (or adds) the row of `base_model`: the config's say.
    pub fn set(&mut self, base_model: &str, regions: Vec<String>, origin: RowOrigin) {
        let name = self.rows.get(base_model).and_then(|r| r.name.clone());
        self.rows.insert(
            base_model.to_string(),
            Row {
                base_model: base_model.to_string(),
                name,
                regions,
                origin,
            },
        );
    }

    /// Where a row's regions come from, in words for a message.
    pub fn said_by(&self, row: &Row) -> String {
        match &row.origin {
            RowOrigin::Guide => format!(
                "the Bedrock user guide's supported regions for model copy, as of {}",
                self.taken
            ),
            RowOrigin::Config(at) => format!("[copy_regions] at {at}"),
        }
    }

    /// Checks a copy of `source_model_arn` into `to` before anything is
    /// sent: the refusal names the regions that are supported; `Ok(Some)`
    /// is a note for a model the table cannot judge. A text that is not a
    /// model ARN is left to the request's own check.
    pub fn check_copy(
        &self,
        source_model_arn: &str,
        to: &[String],
    ) -> Result<Option<String>, String> {
        if !super::constraints::matches(super::constraints::MODEL_ARN, source_model_arn) {
            return Ok(None);
        }
        if let Some(home) = to.iter().find(|r| is_home(source_model_arn, r)) {
            return Err(own_region(source_model_arn, home));
        }
        let Some(base) = base_model(source_model_arn) else {
            return Ok(Some(format!(
                "{source_model_arn} names no base model (an imported model), so the regions it can be copied to are not checked: the service decides"
            )));
        };
        let Some(row) = self.row(base) else {
            return Ok(Some(format!(
                "{base} is not in the table of regions a copy can go to (the Bedrock user guide's, as of {}): every region asked is tried, and the service refuses those it does not support. [copy_regions] in the config can name its regions",
                self.taken
            )));
        };
        let refused: Vec<&str> = to
            .iter()
            .filter(|r| !row.regions.contains(r))
            .map(String::as_str)
            .collect();
        if refused.is_empty() {
            return Ok(None);
        }
        let goes = if row.regions.is_empty() {
            "its copies go to no region".to_string()
        } else {
            format!("its copies go to {} only", list(&row.regions))
        };
        Err(format!(
            "{base} (the base model of {source_model_arn}) cannot be copied to {}: {goes} ({})",
            list(&refused),
            self.said_by(row)
        ))
    }
}

/// `a`, `a and b`, `a, b and c`.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_reads_and_says_where_it_is_from() {
        let t = CopyRegions::shipped();
        assert!(t.source.starts_with("https://docs.aws.amazon.com/bedrock/"));
        assert_eq!(t.taken, "2026-11-30");
        assert_eq!(t.rows().count(), 13);
        // The guide's examples: Nova Lite to fifteen regions, Canvas to three.
        assert_eq!(t.supported("amazon.nova-lite-v1").map(<[_]>::len), Some(15));
        assert_eq!(
            t.supported("amazon.nova-canvas-v1"),
            Some(
                &[
                    "ap-northeast-2".to_string(),
                    "eu-west-1".into(),
                    "us-east-1".into()
                ][..]
            )
        );
        assert_eq!(
            t.row("amazon.nova-lite-v1").and_then(|r| r.name.as_deref()),
            Some("Amazon Nova Lite")
        );
        for row in t.rows() {
            assert!(!row.regions.is_empty(), "{}", row.base_model);
            assert!(row.regions.windows(2).all(|w| w[0] < w[1]), "sorted, once");
        }
        assert_eq!(t.supported("cohere.command-light-text-v14"), None);
    }

    /// The README shows the table and its date: they must be the shipped
    /// ones.
    #[test]
    fn the_readme_shows_the_shipped_table() {
        let readme = include_str!("../../README.md");
        let t = CopyRegions::shipped();
        assert!(readme.contains(&format!("as taken on\n**{}**", t.taken)));
        assert!(readme.contains(&t.source));
        for row in t.rows() {
            let line = format!(
                "| `{}` | {} | {} |",
                row.base_model,
                row.name.as_deref().unwrap_or(""),
                row.regions.join(", ")
            );
            assert!(readme.contains(&line), "README lacks {line}");
        }
    }

    #[test]
    fn a_model_arn_or_id_names_its_base_model() {
        let cases = [
            (
                "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12",
                Some("amazon.nova-lite-v1"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/meta.llama3-1-8b-instruct-v1:0:128k/abcdefghij12",
                Some("meta.llama3-1-8b-instruct-v1"),
            ),
            (
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0",
                Some("amazon.nova-lite-v1"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:custom-model/cohere.command-light-text-v14:7:4k/abcdefghij12",
                Some("cohere.command-light-text-v14"),
            ),
            (
                "amazon.titan-embed-image-v1",
                Some("amazon.titan-embed-image-v1"),
            ),
            (
                "anthropic.claude-3-haiku-20240307-v1:0",
                Some("anthropic.claude-3-haiku-20240307-v1"),
            ),
            (
                "arn:aws:bedrock:eu-central-1:123456789012:custom-model/imported/abcdefghij12",
                None,
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/abcdefghij12",
                None,
            ),
            ("nova", None),
            ("Amazon.Nova-Lite-v1", None),
            ("", None),
            ("arn:aws", None),
        ];
        for (model, want) in cases {
            assert_eq!(base_model(model), want, "{model}");
        }
        let t = CopyRegions::shipped();
        // A model ID or an ARN finds the row of its base model.
        assert!(t.row("amazon.nova-lite-v1:0").is_some());
        assert!(t.row("arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12").is_some());
    }

    #[test]
    fn support_of_a_region() {
        let t = CopyRegions::shipped();
        let haiku = Some("anthropic.claude-3-haiku-20240307-v1");
        assert_eq!(t.support(haiku, "us-west-2"), Support::Supported);
        assert_eq!(t.support(haiku, "eu-central-1"), Support::Unsupported);
        assert_eq!(
            t.support(Some("cohere.command-light-text-v14"), "eu-central-1"),
            Support::Unknown
        );
        assert_eq!(t.support(None, "eu-central-1"), Support::Unknown);
    }

    const NOVA_CANVAS: &str =
        "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.nova-canvas-v1:0/abcdefghij12";

    #[test]
    fn a_copy_to_an_unsupported_region_is_refused_naming_the_supported_ones() {
        let t = CopyRegions::shipped();
        let to = |rs: &[&str]| rs.iter().map(|r| r.to_string()).collect::<Vec<_>>();
        assert_eq!(
            t.check_copy(NOVA_CANVAS, &to(&["eu-west-1", "ap-northeast-2"])),
            Ok(None)
        );
        // Its own region: refused, whatever the table says of it.
        assert_eq!(
            t.check_copy(NOVA_CANVAS, &to(&["eu-west-1", "us-east-1"])),
            Err(format!(
                "{NOVA_CANVAS} is in us-east-1 already: a copy goes to another region"
            ))
        );
        let e = t
            .check_copy(
                NOVA_CANVAS,
                &to(&["eu-west-1", "eu-central-1", "ap-northeast-1"]),
            )
            .unwrap_err();
        assert_eq!(
            e,
            format!(
                "amazon.nova-canvas-v1 (the base model of {NOVA_CANVAS}) cannot be copied to eu-central-1 and ap-northeast-1: its copies go to ap-northeast-2, eu-west-1 and us-east-1 only (the Bedrock user guide's supported regions for model copy, as of 2026-11-30)"
            )
        );
        // A model the table does not know: tried, with a note.
        let cohere = "arn:aws:bedrock:us-east-1:123456789012:custom-model/cohere.command-light-text-v14:7:4k/abcdefghij12";
        let note = t
            .check_copy(cohere, &to(&["eu-central-1"]))
            .unwrap()
            .unwrap();
        assert!(
            note.starts_with("cohere.command-light-text-v14 is not in the table"),
            "{note}"
        );
        let imported = "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdefghij12";
        let note = t
            .check_copy(imported, &to(&["eu-central-1"]))
            .unwrap()
            .unwrap();
        assert!(note.contains("names no base model"), "{note}");
        // Not a model ARN: the request's own check says so, in its words.
        assert_eq!(t.check_copy("nonsense", &to(&["eu-central-1"])), Ok(None));
    }

    #[test]
    fn a_config_row_replaces_the_guides_and_is_named_in_the_refusal() {
        let mut t = CopyRegions::shipped();
        t.set(
            "amazon.nova-canvas-v1",
            regions(&["us-east-1".into(), "eu-central-1".into()]).unwrap(),
            RowOrigin::Config("/home/me/config.toml:4".into()),
        );
        assert_eq!(
            t.supported("amazon.nova-canvas-v1"),
            Some(&["eu-central-1".to_string(), "us-east-1".into()][..])
        );
        assert_eq!(
            t.row("amazon.nova-canvas-v1")
                .and_then(|r| r.name.as_deref()),
            Some("Amazon Nova Canvas"),
            "the guide's name stays"
        );
        let e = t
            .check_copy(NOVA_CANVAS, &["eu-west-1".into()])
            .unwrap_err();
        assert!(
            e.ends_with("its copies go to eu-central-1 and us-east-1 only ([copy_regions] at /home/me/config.toml:4)"),
            "{e}"
        );
        t.set(
            "amazon.nova-canvas-v1",
            Vec::new(),
            RowOrigin::Config("c:1".into()),
        );
        let e = t
            .check_copy(NOVA_CANVAS, &["eu-west-1".into()])
            .unwrap_err();
        assert!(e.contains("its copies go to no region"), "{e}");
    }

    #[test]
    fn regions_are_checked_and_sorted() {
        assert_eq!(
            regions(&["us-west-2".into(), "eu-west-1".into()]),
            Ok(vec!["eu-west-1".to_string(), "us-west-2".into()])
        );
        assert!(
            regions(&["us-west".into()])
                .unwrap_err()
                .contains("is not a region name")
        );
        assert_eq!(
            regions(&["us-west-2".into(), "us-west-2".into()]),
            Err("us-west-2 is listed twice".into())
        );
    }
}
