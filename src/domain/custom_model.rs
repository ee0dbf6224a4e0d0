//! An account's custom model as ListCustomModels describes it: what the
//! replication matrix needs to make a row of a model no job has copied yet
//! (its name, base model, status, customization, creation time).
//!
//! ListImportedModels is not read: the models it lists are
//! `imported-model/…` ARNs, which the copy API's ModelArn cannot name, so
//! none can be copied; a model imported as a custom model
//! (`custom-model/imported/…`, customization IMPORTED) is a custom model
//! and comes with the others.

use super::job::{arn_region, from_sdk_time, intern};
use aws_sdk_bedrock::types::CustomModelSummary;
use chrono::{DateTime, Utc};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomModel {
    pub model_arn: Arc<str>,
    pub model_name: Option<Arc<str>>,
    /// The account that owns it: the service's `ownerAccountId`, else the
    /// ARN's account.
    pub owner_account_id: Arc<str>,
    pub base_model_arn: Option<Arc<str>>,
    pub base_model_name: Option<Arc<str>>,
    /// As the service spells it (`FINE_TUNING`, `IMPORTED`, or one this
    /// build does not know).
    pub customization_type: Option<Arc<str>>,
    /// `Active`, `Creating`, `Failed`, or one this build does not know.
    pub model_status: Option<Arc<str>>,
    pub creation_time: Option<DateTime<Utc>>,
}

impl CustomModel {
    /// Where the model lives: its ARN's region.
    pub fn region(&self) -> &str {
        arn_region(&self.model_arn)
    }
}

fn text(s: &str) -> Option<Arc<str>> {
    (!s.is_empty()).then(|| intern(s))
}

impl From<&CustomModelSummary> for CustomModel {
    fn from(m: &CustomModelSummary) -> Self {
        let arn = m.model_arn();
        let owner = m
            .owner_account_id()
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| arn.split(':').nth(4).unwrap_or(""));
        CustomModel {
            model_arn: Arc::from(arn),
            model_name: (!m.model_name().is_empty()).then(|| Arc::from(m.model_name())),
            owner_account_id: intern(owner),
            base_model_arn: text(m.base_model_arn()),
            base_model_name: text(m.base_model_name()),
            customization_type: m.customization_type().and_then(|c| text(c.as_str())),
            model_status: m.model_status().and_then(|s| text(s.as_str())),
            creation_time: Some(from_sdk_time(m.creation_time())),
        }
    }
}

impl CustomModel {
    /// Whether the model belongs in the matrix of `filter`'s window, read
    /// as its jobs are: the source-model and account filters name it or
    /// its owner, the time bounds its creation, the name filter its name
    /// (without regard to case). The status filter is of copies, not
    /// models.
    pub fn within(&self, filter: &super::query::Filter) -> bool {
        filter
            .source_model_arn
            .as_ref()
            .is_none_or(|a| **a == *self.model_arn)
            && filter
                .source_account
                .as_ref()
                .is_none_or(|a| **a == *self.owner_account_id)
            && self.creation_time.is_none_or(|t| filter.within_bounds(t))
            && filter.name_contains.as_ref().is_none_or(|n| {
                self.model_name
                    .as_deref()
                    .is_some_and(|m| m.to_lowercase().contains(&n.to_lowercase()))
            })
    }
}
