//! What a replication policy wants and the account lacks: for each model a
//! rule picks and each region the rule names, one step — `copy` (no copy
//! there), `in progress`, `retry` (the newest copy there failed), `cannot`
//! (its base model cannot go there), `ok`. A pure function of the
//! replication matrix and the policy, shared by `copyjobs plan`, `apply`
//! and the dashboard, so all three say the same.
//!
//! A cell is the newest copy of a model into a region (see
//! [`super::matrix`]): an older completed copy under a newer failed one is
//! a `retry`, as M shows it `✘`.

use super::copy::CopyRequest;
use super::copy_regions::Support;
use super::job::Status;
use super::matrix::{Matrix, Model};
use super::policy::{Policy, Rule};
use std::sync::Arc;

/// How M marks a cell the policy wants filled and no copy is in.
pub const WANTED: &str = "○";

/// What is to be done for a model in a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// No copy there: apply creates one.
    Copy,
    /// A copy is running there.
    InProgress,
    /// The newest copy there failed: apply creates another.
    Retry,
    /// Its base model cannot be copied there.
    Cannot,
    /// A copy is there (or the model lives there).
    Ok,
}

impl Action {
    /// As `-o json` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Copy => "copy",
            Action::InProgress => "in-progress",
            Action::Retry => "retry",
            Action::Cannot => "cannot",
            Action::Ok => "ok",
        }
    }

    /// As the table says it.
    pub fn words(self) -> &'static str {
        match self {
            Action::InProgress => "in progress",
            other => other.as_str(),
        }
    }

    /// Whether `apply` creates a copy for it.
    pub fn creates(self) -> bool {
        matches!(self, Action::Copy | Action::Retry)
    }
}

/// One model in one region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub source_model_arn: Arc<str>,
    /// The model's name (its id when the service gave none).
    pub model_name: String,
    pub source_account_id: Arc<str>,
    pub region: String,
    pub action: Action,
    /// Why, in a few words: a failed copy's cause, where a base model can
    /// go, the copy that is there.
    pub detail: String,
    /// The newest copy there, if any.
    pub job_arn: Option<String>,
    /// What apply sends, for `copy` and `retry`.
    pub request: Option<CopyRequest>,
}

/// The steps, by model (the matrix's order) then region (the policy's),
/// and the regions the policy names that were not read (no step is made
/// there: nothing is known of them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
    pub unread: Vec<String>,
}

impl Plan {
    /// How many steps say `action`.
    pub fn count(&self, action: Action) -> usize {
        self.steps.iter().filter(|s| s.action == action).count()
    }

    /// Whether apply has something to do (a `copy` or a `retry`): what
    /// `--detailed-exitcode` calls drift. A running copy is on its way and
    /// a region a base model cannot go to is no work apply can do.
    pub fn drift(&self) -> bool {
        self.steps.iter().any(|s| s.action.creates())
    }
}

/// The plan of `policy` over `matrix`; `unread` are regions whose sources
/// could not be read (refused): nothing is planned there.
pub fn plan(matrix: &Matrix, policy: &Policy, unread: &[String]) -> Plan {
    let columns: Vec<(String, Option<usize>)> = policy
        .regions()
        .into_iter()
        .map(|r| {
            let column = if unread.contains(&r) {
                None
            } else {
                matrix.regions().iter().position(|c| *c == r)
            };
            (r, column)
        })
        .collect();
    let mut out = Plan {
        steps: Vec::new(),
        unread: columns
            .iter()
            .filter(|(_, c)| c.is_none())
            .map(|(r, _)| r.clone())
            .collect(),
    };
    // Which rules pick a model is asked once per model; the first rule
    // naming a region decides how its copy is made.
    let mut picking: Vec<&Rule> = Vec::with_capacity(policy.rules.len());
    for model in matrix.rows() {
        picking.clear();
        picking.extend(policy.rules.iter().filter(|r| r.picks(model)));
        if picking.is_empty() {
            continue;
        }
        let name = model.display_name();
        for (region, column) in &columns {
            let Some(column) = *column else { continue };
            let Some(rule) = picking.iter().find(|r| r.regions.contains(region)) else {
                continue;
            };
            out.steps
                .push(step(matrix, model, &name, rule, region, column));
        }
    }
    out
}

fn step(
    matrix: &Matrix,
    model: &Model,
    name: &str,
    rule: &Rule,
    region: &str,
    column: usize,
) -> Step {
    let slot = matrix.slot(model, column);
    let request = |salt: String| CopyRequest {
        region: region.to_string(),
        source_model_arn: model.source_model_arn.to_string(),
        target_model_name: rule.copy_name(model, region),
        kms_key_id: rule.kms_keys.get(region).cloned(),
        tags: rule.tags.clone(),
        salt,
    };
    let (action, detail, request) = match (slot.copy, slot.origin, slot.support) {
        (_, true, _) => (Action::Ok, "the model lives here".to_string(), None),
        (Some(cell), _, _) => match cell.status() {
            Status::Completed => (Action::Ok, cell.target_model_arn(), None),
            Status::Failed => (
                Action::Retry,
                cell.failure_message()
                    .unwrap_or("failed, without a message")
                    .to_string(),
                // The failed job in the token: a re-run retries it once.
                Some(request(cell.job_arn())),
            ),
            Status::InProgress => (Action::InProgress, cell.job_arn(), None),
            // A status this build does not know: something is there, and
            // creating another could double it.
            Status::Unknown(s) => (Action::InProgress, format!("status {s}"), None),
        },
        (None, false, Support::Unsupported) => {
            let goes = model
                .base_model()
                .and_then(|b| matrix.table().supported(b))
                .map_or_else(String::new, |r| r.join(", "));
            (
                Action::Cannot,
                if goes.is_empty() {
                    "its base model's copies go to no region".to_string()
                } else {
                    format!("its base model's copies go to {goes} only")
                },
                None,
            )
        }
        // The service copies an Active model only: one still being made
        // (or failed) is refused with ResourceNotFound, so asking would
        // only fail; the plan says when it can be copied.
        (None, false, _) if !model.copyable() => (
            Action::Cannot,
            format!(
                "the model is {}: it can be copied once Active",
                model.model_status().unwrap_or_default()
            ),
            None,
        ),
        (None, false, _) => (Action::Copy, String::new(), Some(request(String::new()))),
    };
    let detail = match (&request, action) {
        (Some(r), Action::Copy) => format!("as {}", r.target_model_name),
        _ => detail,
    };
    Step {
        source_model_arn: model.source_model_arn.clone(),
        model_name: name.to_string(),
        source_account_id: model.source_account_id.clone(),
        region: region.to_string(),
        action,
        detail,
        job_arn: slot.copy.map(super::matrix::Cell::job_arn),
        request,
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
