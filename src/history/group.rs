//! Which copies take about as long as each other: the same base model and
//! variant copied into the same region. The API says neither how big a
//! model is nor how far along a copy is; the model's ARN names its base
//! (`amazon.nova-lite-v1`) and variant (`0:300k`), which is what its size
//! follows, and the job's ARN names the region copied into.

use crate::domain::job::CopyJob;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Group {
    /// `amazon.nova-lite-v1`, `imported`, or "" when no ARN names one.
    pub base_model: String,
    /// `0:300k`, or "" when the ARN has none.
    pub variant: String,
    pub region: String,
}

impl Group {
    /// The copy's group: its target model's base (the copy carries the
    /// source's over), else its source model's.
    pub fn of(job: &CopyJob) -> Group {
        let (base_model, variant) = base_and_variant(&job.target_model_arn)
            .or_else(|| base_and_variant(&job.source_model_arn))
            .unwrap_or_default();
        Group {
            base_model,
            variant,
            region: job.region().to_string(),
        }
    }

    /// The base as a model ARN writes it: `amazon.nova-lite-v1:0:300k`.
    pub fn base(&self) -> String {
        if self.variant.is_empty() {
            self.base_model.clone()
        } else {
            format!("{}:{}", self.base_model, self.variant)
        }
    }

    /// How a person says it: `nova-lite 300k` (no provider, no API
    /// version, the variant's size).
    pub fn short(&self) -> String {
        let model = self
            .base_model
            .split_once('.')
            .map_or(self.base_model.as_str(), |(_, m)| m);
        let model = match model.rsplit_once("-v") {
            Some((m, v))
                if !m.is_empty() && !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) =>
            {
                m
            }
            _ => model,
        };
        let model = if model.is_empty() {
            "unknown model"
        } else {
            model
        };
        match self.variant.rsplit(':').next() {
            Some(size) if !size.is_empty() && !size.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{model} {size}")
            }
            _ => model.to_string(),
        }
    }
}

/// The base model and variant a model ARN names:
/// `…:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12` gives
/// (`amazon.nova-lite-v1`, `0:300k`); `…:foundation-model/amazon.nova-lite-v1:0`
/// gives (`amazon.nova-lite-v1`, `0`); an imported model (`imported`, "").
pub fn base_and_variant(arn: &str) -> Option<(String, String)> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let base = if let Some(rest) = resource.strip_prefix("custom-model/") {
        // The model's own id follows the last '/'.
        rest.rsplit_once('/').map_or(rest, |(base, _)| base)
    } else {
        resource.strip_prefix("foundation-model/")?
    };
    if base.is_empty() {
        return None;
    }
    let (model, variant) = base.split_once(':').unwrap_or((base, ""));
    Some((model.to_string(), variant.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_arn_names_its_base_and_variant() {
        let b = |a: &str| base_and_variant(a);
        assert_eq!(
            b(
                "arn:aws:bedrock:eu-central-1:123456789012:custom-model/amazon.nova-lite-v1:0:300k/abcdefghij12"
            ),
            Some(("amazon.nova-lite-v1".into(), "0:300k".into()))
        );
        assert_eq!(
            b("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"),
            Some(("amazon.nova-lite-v1".into(), "0".into()))
        );
        assert_eq!(
            b("arn:aws:bedrock:us-east-1:123456789012:custom-model/imported/abcdefghij12"),
            Some(("imported".into(), String::new()))
        );
        assert_eq!(b("not an arn"), None);
        assert_eq!(
            b("arn:aws:bedrock:us-east-1:123456789012:model-copy-job/x"),
            None
        );
    }

    #[test]
    fn a_group_reads_as_people_say_it() {
        let g = |base: &str, variant: &str| Group {
            base_model: base.into(),
            variant: variant.into(),
            region: "eu-central-1".into(),
        };
        assert_eq!(g("amazon.nova-lite-v1", "0:300k").short(), "nova-lite 300k");
        assert_eq!(
            g("amazon.nova-lite-v1", "0:300k").base(),
            "amazon.nova-lite-v1:0:300k"
        );
        assert_eq!(
            g("anthropic.claude-3-haiku-20240307-v1", "0:200k").short(),
            "claude-3-haiku-20240307 200k"
        );
        assert_eq!(g("amazon.nova-lite-v1", "0").short(), "nova-lite");
        assert_eq!(g("imported", "").short(), "imported");
        assert_eq!(g("imported", "").base(), "imported");
        assert_eq!(g("", "").short(), "unknown model");
    }
}
