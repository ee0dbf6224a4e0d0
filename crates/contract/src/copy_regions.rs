//! The regions a copy of a custom model can go to, as the Bedrock user
//! guide's table "Supported Regions and models for model copy" has them.
//!
//! One table for both sides: the client refuses a copy into a region the
//! table does not support before sending it, and the local endpoint refuses
//! it as the service does and only ever makes copies the service could have
//! made. It is `assets/copy-regions.toml`, compiled in; the client's config
//! can replace or add rows on top of it (`src/domain/copy_regions.rs`).
//!
//! A base model is named as a custom model's ARN names it: the
//! `provider.model` part up to its first `:`, so
//! `custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12` and the guide's
//! model ID `amazon.nova-lite-v1:0` are both `amazon.nova-lite-v1`. A base
//! model the table does not know is supported everywhere.

use serde::Deserialize;
use std::sync::LazyLock;

/// The shipped table, as compiled in.
pub const SHIPPED_TOML: &str = include_str!("../../../assets/copy-regions.toml");

/// One row of the guide's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuideRow {
    /// `amazon.nova-lite-v1`.
    pub base_model: String,
    /// As the guide names it: `Amazon Nova Lite`.
    pub name: String,
    /// Sorted, each once.
    pub regions: Vec<String>,
}

/// The guide's table, with where and when it was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    /// The page the rows were taken from.
    pub source: String,
    /// When they were taken (`2026-11-30`).
    pub taken: String,
    /// Sorted by base model, each base model once.
    pub rows: Vec<GuideRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    source: String,
    taken: String,
    model: Vec<FileRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRow {
    provider: String,
    name: String,
    id: String,
    regions: Vec<String>,
}

static SHIPPED: LazyLock<Guide> = LazyLock::new(|| {
    Guide::parse(SHIPPED_TOML).unwrap_or_else(|e| panic!("assets/copy-regions.toml: {e}"))
});

impl Guide {
    /// The table as shipped (a test checks that it reads).
    pub fn shipped() -> &'static Guide {
        &SHIPPED
    }

    /// Reads a table written as `assets/copy-regions.toml` is, each row
    /// checked: a model ID, region names, no region or base model twice.
    pub fn parse(text: &str) -> Result<Guide, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut rows: Vec<GuideRow> = Vec::with_capacity(file.model.len());
        for row in file.model {
            let base = base_model(&row.id)
                .ok_or_else(|| format!("`{}` is not a model ID", row.id))?
                .to_string();
            if rows.iter().any(|r| r.base_model == base) {
                return Err(format!("{base} has two rows"));
            }
            let mut regions = row.regions;
            if let Some(bad) = regions.iter().find(|r| !region_like(r)) {
                return Err(format!("{base}: '{bad}' is not a region name"));
            }
            if let Some(bad) = regions
                .iter()
                .find(|r| !crate::regions::is_bedrock_region(r))
            {
                return Err(format!("{base}: {bad} is not one of Bedrock's regions"));
            }
            regions.sort();
            if let Some(w) = regions.windows(2).find(|w| w[0] == w[1]) {
                return Err(format!("{base}: {} is listed twice", w[0]));
            }
            rows.push(GuideRow {
                base_model: base,
                name: format!("{} {}", row.provider, row.name),
                regions,
            });
        }
        rows.sort_by(|a, b| a.base_model.cmp(&b.base_model));
        Ok(Guide {
            source: file.source,
            taken: file.taken,
            rows,
        })
    }

    /// The row of a base model, or of a model ID's or ARN's base model.
    pub fn row(&self, model: &str) -> Option<&GuideRow> {
        let base = base_model(model).unwrap_or(model);
        self.rows
            .binary_search_by(|r| r.base_model.as_str().cmp(base))
            .ok()
            .map(|i| &self.rows[i])
    }

    /// Whether a copy of `model` (an ARN, a model ID or a base model) can go
    /// to `region`: true when the table does not know its base model, or
    /// when the model names none (an imported model).
    pub fn allows(&self, model: &str, region: &str) -> bool {
        base_model(model)
            .and_then(|b| self.row(b))
            .is_none_or(|row| row.regions.iter().any(|r| r == region))
    }
}

/// The region a model ARN names (`arn:aws:bedrock:REGION:…`): where the
/// model lives.
pub fn model_region(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(5, ':');
    (parts.next() == Some("arn"))
        .then(|| parts.nth(2))
        .flatten()
        .filter(|r| !r.is_empty() && parts.next().is_some())
}

/// Whether `region` is where `source_arn`'s model lives: a copy job copies
/// a model to another region, so a copy into its own region is refused on
/// both sides (the model the API would make is the one already there).
pub fn is_home(source_arn: &str, region: &str) -> bool {
    model_region(source_arn) == Some(region)
}

/// A region name's shape (`us-east-1`, `us-gov-west-1`): lowercase words and
/// a number, joined by dashes.
pub(crate) fn region_like(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let (last, words) = parts.split_last().unwrap_or((&"", &[]));
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// The base model a model ARN or model ID names: `amazon.nova-lite-v1` for
/// `arn:aws:bedrock:…:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12`,
/// `arn:aws:bedrock:…::foundation-model/amazon.nova-lite-v1:0` or
/// `amazon.nova-lite-v1:0`. None for an imported model (its ARN names no
/// base model) and for text that is not a model's name.
pub fn base_model(model: &str) -> Option<&str> {
    let id = if model.starts_with("arn:") {
        // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE, where the resource
        // holds ':' of its own.
        let resource = model.splitn(6, ':').nth(5)?;
        if let Some(rest) = resource.strip_prefix("custom-model/") {
            rest.rsplit_once('/')?.0
        } else {
            resource.strip_prefix("foundation-model/")?
        }
    } else {
        model
    };
    let base = id.split(':').next()?;
    let mut parts = base.split('.');
    let provider = parts.next()?;
    let word = |p: &str| {
        (1..=63).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let rest: Vec<&str> = parts.collect();
    let ok = word(provider) && (1..=3).contains(&rest.len()) && rest.iter().all(|p| word(p));
    ok.then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_reads_sorted_by_base_model() {
        let g = Guide::shipped();
        assert!(g.rows.windows(2).all(|w| w[0].base_model < w[1].base_model));
        let canvas = g.row("amazon.nova-canvas-v1:0").unwrap();
        assert_eq!(canvas.name, "Amazon Nova Canvas");
        assert_eq!(canvas.regions, ["ap-northeast-2", "eu-west-1", "us-east-1"]);
    }

    #[test]
    fn a_region_is_allowed_where_the_table_says_or_does_not_know() {
        let g = Guide::shipped();
        let haiku = "arn:aws:bedrock:us-west-2:123456789012:custom-model/anthropic.claude-3-haiku-20240307-v1:0:200k/abcdefghij12";
        assert!(g.allows(haiku, "us-east-1"));
        assert!(!g.allows(haiku, "eu-central-1"));
        assert!(!g.allows("anthropic.claude-3-haiku-20240307-v1", "eu-central-1"));
        let cohere = "arn:aws:bedrock:us-east-1:123456789012:custom-model/cohere.command-light-text-v14:7:4k/abcdefghij12";
        assert!(g.allows(cohere, "eu-central-1"));
        let imported = "arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdefghij12";
        assert!(g.allows(imported, "eu-central-1"));
    }

    #[test]
    fn a_models_home_is_the_region_its_arn_names() {
        let arn = "arn:aws:bedrock:us-west-2:123456789012:custom-model/imported/abcdefghij12";
        assert_eq!(model_region(arn), Some("us-west-2"));
        assert!(is_home(arn, "us-west-2"));
        assert!(!is_home(arn, "us-east-1"));
        let foundation = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0";
        assert!(is_home(foundation, "eu-west-1"));
        for not_an_arn in ["", "us-west-2", "arn:aws:bedrock", "arn:aws:bedrock::1:x"] {
            assert_eq!(model_region(not_an_arn), None, "{not_an_arn}");
        }
    }

    #[test]
    fn a_bad_table_is_refused() {
        const HEAD: &str = "source = \"x\"\ntaken = \"y\"\n";
        let model = |id: &str, regions: &str| {
            format!(
                "[[model]]\nprovider = \"A\"\nname = \"B\"\nid = \"{id}\"\nregions = [{regions}]\n"
            )
        };
        let row = |id: &str, regions: &str| format!("{HEAD}{}", model(id, regions));
        assert!(Guide::parse(&row("Nope", "")).is_err());
        assert!(Guide::parse(&row("a.b-v1:0", "\"us-west\"")).is_err());
        assert_eq!(
            Guide::parse(&row("a.b-v1:0", "\"us-wset-2\"")),
            Err("a.b-v1: us-wset-2 is not one of Bedrock's regions".into())
        );
        assert!(Guide::parse(&row("a.b-v1:0", "\"us-west-2\", \"us-west-2\"")).is_err());
        let two = format!("{HEAD}{}{}", model("a.b-v1:0", ""), model("a.b-v1:1", ""));
        assert_eq!(Guide::parse(&two), Err("a.b-v1 has two rows".into()));
        assert!(Guide::parse(&row("a.b-v1:0", "\"us-west-2\", \"eu-west-1\"")).is_ok());
    }
}
