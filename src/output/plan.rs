//! `copyjobs plan`'s output: a table for people (a line per model and
//! region, then the count of each action) and JSON for scripts (an array of
//! objects, each with at least `sourceModelArn`, `region` and `action`).

use super::cut;
use super::sanitize::clean;
use crate::domain::plan::{Action, Plan};
use serde_json::json;
use std::fmt::Write;

/// The actions in the order the summary counts them.
const ORDER: [Action; 5] = [
    Action::Copy,
    Action::Retry,
    Action::InProgress,
    Action::Cannot,
    Action::Ok,
];

/// The plan as a table `width` cells wide; every service text cleaned.
pub fn table(plan: &Plan, width: usize) -> String {
    let mut out = String::new();
    if plan.steps.is_empty() {
        out.push_str("no model the policy picks was read\n");
    } else {
        let names: Vec<String> = plan
            .steps
            .iter()
            .map(|s| clean(&s.model_name).into_owned())
            .collect();
        let name_w = names
            .iter()
            .map(|n| cut::width(n))
            .max()
            .unwrap_or(5)
            .clamp(5, 40);
        let region_w = plan
            .steps
            .iter()
            .map(|s| s.region.len())
            .max()
            .unwrap_or(6)
            .max(6);
        let (account_w, action_w) = (12, 11);
        let fixed = name_w + account_w + region_w + action_w + 8;
        let detail_w = width.saturating_sub(fixed).max(20);
        let _ = writeln!(
            out,
            "{:name_w$}  {:account_w$}  {:region_w$}  {:action_w$}  DETAIL",
            "MODEL", "ACCOUNT", "REGION", "ACTION"
        );
        for (s, name) in plan.steps.iter().zip(&names) {
            let name = cut::end(name, name_w);
            let pad = name_w - cut::width(&name).min(name_w);
            let _ = writeln!(
                out,
                "{name}{:pad$}  {:account_w$}  {:region_w$}  {:action_w$}  {}",
                "",
                clean(&s.source_account_id),
                s.region,
                s.action.words(),
                cut::end(&clean(&s.detail), detail_w)
            );
        }
    }
    let counts: Vec<String> = ORDER
        .iter()
        .map(|a| (a, plan.count(*a)))
        .filter(|(_, n)| *n > 0)
        .map(|(a, n)| format!("{n} {}", a.words()))
        .collect();
    if !counts.is_empty() {
        let _ = writeln!(out, "\n{}", counts.join(", "));
    }
    if !plan.unread.is_empty() {
        let _ = writeln!(
            out,
            "not planned: {} could not be read",
            plan.unread.join(", ")
        );
    }
    out
}

/// The plan as scripts read it: one object per model and region.
pub fn json(plan: &Plan) -> serde_json::Value {
    plan.steps
        .iter()
        .map(|s| {
            let mut o = json!({
                "sourceModelArn": s.source_model_arn.as_ref(),
                "sourceModelName": s.model_name,
                "sourceAccountId": s.source_account_id.as_ref(),
                "region": s.region,
                "action": s.action.as_str(),
                "detail": s.detail,
                "jobArn": s.job_arn,
            });
            if let Some(r) = &s.request {
                o["targetModelName"] = json!(r.target_model_name);
                o["clientRequestToken"] = json!(r.token());
            }
            o
        })
        .collect()
}
