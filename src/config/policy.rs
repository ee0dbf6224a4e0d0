//! The replication policy's text: `[[replicate]]` tables, in a file of
//! their own (`--policy PATH`) or in the config file, each checked as the
//! config is (a mistake told at its line and column, a misspelt key with
//! the nearest valid one), and a region a picked base model cannot go to
//! told as a warning that names where it can.
//!
//! ```toml
//! [[replicate]]
//! base_model = "amazon.nova-*"
//! regions = ["us-east-1", "us-west-2", "eu-central-1"]
//! ```

use super::{ConfigError, Loaded};
use crate::domain::constraints::{self, matches};
use crate::domain::copy_regions::CopyRegions;
use crate::domain::job::Tag;
use crate::domain::policy::{Glob, Policy, Rule, Template};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use toml::Spanned;

/// One `[[replicate]]` table as written, each value with its place.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    /// A glob over the model's name.
    pub name: Option<Spanned<String>>,
    /// A glob over the base model its ARN names.
    pub base_model: Option<Spanned<String>>,
    pub source_account: Option<Spanned<String>>,
    pub source_region: Option<Spanned<String>>,
    pub regions: Spanned<Vec<Spanned<String>>>,
    /// The copy's name, a template.
    pub copy_name: Option<Spanned<String>>,
    /// Region → KMS key.
    pub kms_key: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
    pub tags: Option<Spanned<BTreeMap<String, Spanned<String>>>>,
}

/// A policy file: nothing but rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    replicate: Vec<RuleText>,
}

/// What a key of `[[replicate]]` takes, for a value of the wrong type.
pub fn expected(key: &[&str]) -> Option<&'static str> {
    Some(match key {
        ["replicate"] => {
            "tables: a line [[replicate]] for each rule, then base_model = \"amazon.nova-*\" and regions = [\"us-east-1\"]"
        }
        ["replicate", "name" | "base_model" | "source_account"] => {
            "a pattern as text, like \"fraud-*\" (* any text, ? one character)"
        }
        ["replicate", "source_region"] => "a region as text, like \"us-east-1\"",
        ["replicate", "regions"] => {
            "a list of region names, like [\"us-east-1\", \"eu-central-1\"]"
        }
        ["replicate", "copy_name"] => "a name as text, like \"{name}-{region}\"",
        ["replicate", "kms_key"] => {
            "a table of region = key ARN, like { \"eu-central-1\" = \"arn:aws:kms:…\" }"
        }
        ["replicate", "kms_key", _] => "a KMS key ARN as text",
        ["replicate", "tags"] => "a table of key = value, like { team = \"fraud\" }",
        ["replicate", "tags", _] => "a tag's value as text",
        _ => return None,
    })
}

/// Every rule checked: globs, regions (each once, each one of Bedrock's
/// unless `any_region`), the template, the keys and tags.
pub fn rules(
    path: &Path,
    text: &str,
    written: &[RuleText],
    any_region: bool,
) -> Result<Vec<Rule>, ConfigError> {
    let err = |at: usize, message: String| ConfigError::at(path, text, at, message);
    let mut out = Vec::with_capacity(written.len());
    for w in written {
        let glob = |v: &Option<Spanned<String>>, key: &str| -> Result<Option<Glob>, ConfigError> {
            let Some(v) = v else { return Ok(None) };
            let mut pattern = v.get_ref().trim().to_string();
            // A base model is named up to its first `:`, as the table
            // names it (`amazon.nova-lite-v1:0` is `amazon.nova-lite-v1`).
            if key == "base_model"
                && let Some((head, _)) = pattern.split_once(':')
            {
                pattern = head.to_string();
            }
            Glob::parse(&pattern)
                .map(Some)
                .map_err(|e| err(v.span().start, format!("[[replicate]] {key}: {e}")))
        };
        let name = glob(&w.name, "name")?;
        let base = glob(&w.base_model, "base_model")?;
        let source_account = glob(&w.source_account, "source_account")?;
        if let (Some(g), Some(v)) = (&source_account, &w.source_account)
            && !v
                .get_ref()
                .chars()
                .all(|c| c.is_ascii_digit() || "*?[]!-".contains(c))
        {
            return Err(err(
                v.span().start,
                format!(
                    "[[replicate]] source_account: `{}` is not an account: 12 digits, or a pattern of them like \"1111*\"",
                    g.as_str()
                ),
            ));
        }
        let region = |v: &Spanned<String>, key: &str| {
            crate::domain::region::known(v.get_ref(), any_region).map_err(|e| {
                let hint = if crate::domain::region::parse(v.get_ref()).is_ok() {
                    format!(" ({})", super::UNKNOWN_REGION_HINT)
                } else {
                    String::new()
                };
                err(v.span().start, format!("[[replicate]] {key}: {e}{hint}"))
            })
        };
        let source_region = w
            .source_region
            .as_ref()
            .map(|v| region(v, "source_region"))
            .transpose()?;
        let mut regions: Vec<String> = Vec::new();
        for r in w.regions.get_ref() {
            let known = region(r, "regions")?;
            if regions.contains(&known) {
                return Err(err(
                    r.span().start,
                    format!("[[replicate]] regions: {known} is listed twice"),
                ));
            }
            regions.push(known);
        }
        if regions.is_empty() {
            return Err(err(
                w.regions.span().start,
                "[[replicate]] regions: name at least one region the models must be in".into(),
            ));
        }
        let copy_name = match &w.copy_name {
            None => None,
            Some(v) => Some(
                Template::parse(v.get_ref())
                    .map_err(|e| err(v.span().start, format!("[[replicate]] copy_name: {e}")))?,
            ),
        };
        let mut kms_keys = BTreeMap::new();
        if let Some(table) = &w.kms_key {
            for (r, key) in table.get_ref() {
                let known = crate::domain::region::known(r, any_region)
                    .map_err(|e| err(key.span().start, format!("[[replicate]] kms_key: {e}")))?;
                if !regions.contains(&known) {
                    return Err(err(
                        key.span().start,
                        format!(
                            "[[replicate]] kms_key: {known} is not one of the rule's regions ({})",
                            regions.join(", ")
                        ),
                    ));
                }
                if !matches(constraints::KMS_KEY_ID, key.get_ref()) {
                    return Err(err(
                        key.span().start,
                        format!(
                            "[[replicate]] kms_key: `{}` is not a KMS key (a key ARN, key id or alias/NAME)",
                            crate::domain::query::echo(key.get_ref())
                        ),
                    ));
                }
                kms_keys.insert(known, key.get_ref().clone());
            }
        }
        let mut tags = Vec::new();
        if let Some(table) = &w.tags {
            if table.get_ref().len() > crate::domain::copy::MAX_TAGS {
                return Err(err(
                    table.span().start,
                    format!(
                        "[[replicate]] tags: {} tags: a model can have at most {}",
                        table.get_ref().len(),
                        crate::domain::copy::MAX_TAGS
                    ),
                ));
            }
            for (k, v) in table.get_ref() {
                let bad_key = k.is_empty() || k.len() > 128 || !matches(constraints::TAG_TEXT, k);
                let bad_value =
                    v.get_ref().len() > 256 || !matches(constraints::TAG_TEXT, v.get_ref());
                if bad_key || bad_value {
                    let what = if bad_key { "key" } else { "value" };
                    return Err(err(
                        v.span().start,
                        format!(
                            "[[replicate]] tags: `{}` is not a tag {what} (letters, digits, spaces and . _ : / = + @ -)",
                            crate::domain::query::echo(if bad_key { k } else { v.get_ref() })
                        ),
                    ));
                }
                tags.push(Tag {
                    key: k.as_str().into(),
                    value: v.get_ref().as_str().into(),
                });
            }
        }
        let line = ConfigError::at(path, text, w.regions.span().start, "");
        out.push(Rule {
            name,
            base_model: base,
            source_account,
            source_region,
            regions,
            copy_name,
            kms_keys,
            tags,
            at: format!("{}:{}", path.display(), line.line.unwrap_or(1)),
        });
    }
    Ok(out)
}

/// The regions each rule names that a base model it picks cannot go to
/// (by `table`): a warning each, at the region, naming where it can.
pub fn warnings(
    path: &Path,
    text: &str,
    written: &[RuleText],
    rules: &[Rule],
    table: &CopyRegions,
) -> Vec<String> {
    let mut out = Vec::new();
    for (w, rule) in written.iter().zip(rules) {
        let Some(glob) = &rule.base_model else {
            continue;
        };
        for row in table.rows().filter(|row| glob.matches(&row.base_model)) {
            for (r, item) in rule.regions.iter().zip(w.regions.get_ref()) {
                if row.regions.contains(r) {
                    continue;
                }
                let goes = if row.regions.is_empty() {
                    "its copies go to no region".to_string()
                } else {
                    format!("its copies go to {} only", row.regions.join(", "))
                };
                let e = ConfigError::at(
                    path,
                    text,
                    item.span().start,
                    format!(
                        "warning: {} (picked by base_model = \"{}\") cannot be copied to {r}: {goes} ({}); plan says `cannot` there",
                        row.base_model,
                        glob.as_str(),
                        table.said_by(row)
                    ),
                );
                out.push(e.to_string());
            }
        }
    }
    out
}

/// Reads the rules of a policy file's text.
fn from_file(
    path: &Path,
    text: &str,
    any_region: bool,
) -> Result<(Vec<RuleText>, Vec<Rule>), ConfigError> {
    let spans = super::spans::Spans::parse(text);
    let file: PolicyFile = toml::from_str(text).map_err(|e| {
        let key = e.span().map(|s| spans.path_at(s.start)).unwrap_or_default();
        ConfigError::from_toml(path, text, &e, &key)
    })?;
    if file.replicate.is_empty() {
        return Err(ConfigError::whole(
            path,
            "the policy has no rule: write a [[replicate]] table with base_model (or name) and regions",
        ));
    }
    let rules = rules(path, text, &file.replicate, any_region)?;
    Ok((file.replicate, rules))
}

/// What `plan` and `apply` follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRead {
    pub policy: Policy,
    pub warnings: Vec<String>,
}

impl Loaded {
    /// The policy of `file` (`--policy`), else the config's
    /// `[[replicate]]` tables; an error when neither has a rule.
    pub fn policy(&self, file: Option<&Path>) -> Result<PolicyRead, ConfigError> {
        let any = self.config.sources.allow_unknown_regions;
        let table = self.copy_regions();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigError::whole(
                    path,
                    format!("cannot read the policy (named by --policy): {e}"),
                )
            })?;
            let (written, rules) = from_file(path, &text, any)?;
            let warnings = warnings(path, &text, &written, &rules, &table);
            return Ok(PolicyRead {
                policy: Policy { rules },
                warnings,
            });
        }
        let path = self.path.as_deref().unwrap_or(Path::new("config.toml"));
        if self.config.replicate.is_empty() {
            return Err(ConfigError::whole(
                path,
                "no policy: name a file with --policy PATH, or write [[replicate]] tables in the config",
            ));
        }
        let rules = rules(path, &self.text, &self.config.replicate, any)?;
        let warnings = warnings(path, &self.text, &self.config.replicate, &rules, &table);
        Ok(PolicyRead {
            policy: Policy { rules },
            warnings,
        })
    }
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
