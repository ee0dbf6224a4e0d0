//! `copyjobs failures` as text: a block per cause for a person, an array of
//! objects for a program.
//!
//! The JSON carries the service's text as it came (it is data); the table
//! passes every string from the service through [`clean`], since it goes
//! straight to a terminal.

use crate::domain::failures::Group;
use crate::output::export::api_time;
use crate::output::sanitize::clean;
use chrono::FixedOffset;
use serde_json::{Value, json};
use std::collections::HashMap;

/// ARNs a block lists: enough to open a few with `copyjobs get`, few enough
/// that a common cause does not push the others off the screen.
pub const ARNS_SHOWN: usize = 3;

const INDENT: &str = "    ";

/// `1234567` as `1,234,567`: counts read at a glance.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn jobs(n: usize) -> String {
    if n == 1 {
        "1 job".to_string()
    } else {
        format!("{} jobs", thousands(n))
    }
}

/// Text wrapped to `width` under the block's indent, words kept whole where
/// they fit (a pattern is read, not hyphenated).
fn wrapped(out: &mut String, text: &str, width: usize) {
    let opts = textwrap::Options::new(width.max(INDENT.len() + 20))
        .initial_indent(INDENT)
        .subsequent_indent(INDENT)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, opts) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

/// `-o table`: a summary line, then a block per group, most common first:
/// count and share, first and newest occurrence in `tz`, source accounts,
/// the pattern wrapped to `width`, and the newest jobs' ARNs. `names`
/// labels the accounts an organisation names (`ml-prod · 111122223333`,
/// as the Account column says them); the others are their ids.
pub fn table(
    groups: &[Group],
    width: usize,
    tz: &FixedOffset,
    names: &HashMap<String, String>,
) -> String {
    let total: usize = groups.iter().map(|g| g.count).sum();
    if total == 0 {
        return "no failed jobs\n".to_string();
    }
    let causes = if groups.len() == 1 { "cause" } else { "causes" };
    let mut out = format!(
        "{} failed, {} {causes}\n",
        jobs(total),
        thousands(groups.len())
    );
    let when = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(tz).format("%Y-%m-%d %H:%M");
    for g in groups {
        // Shares are rounded, so a block of one in a thousand still shows.
        let share = g.count as f64 * 100.0 / total as f64;
        out.push('\n');
        out.push_str(&format!(
            "{}  {share:.1}%  first {}  newest {}\n",
            jobs(g.count),
            when(g.first),
            when(g.newest)
        ));
        let label = if g.source_accounts.len() == 1 {
            "source account"
        } else {
            "source accounts"
        };
        wrapped(
            &mut out,
            &clean(&format!(
                "{label}: {}",
                g.source_accounts
                    .iter()
                    .map(|id| names.get(id).map_or(id.as_str(), String::as_str))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            width,
        );
        wrapped(&mut out, &clean(&g.pattern), width);
        for arn in g.job_arns.iter().take(ARNS_SHOWN) {
            // Whole, never wrapped: an ARN is copied, not read.
            out.push_str(&format!("{INDENT}{}\n", clean(arn)));
        }
        if g.job_arns.len() > ARNS_SHOWN {
            out.push_str(&format!(
                "{INDENT}…and {} more\n",
                thousands(g.job_arns.len() - ARNS_SHOWN)
            ));
        }
    }
    out
}

/// `-o json`: an array of `{pattern, count, first, newest, sourceAccounts,
/// jobArns, example}`, times as the rest of the JSON output writes them.
pub fn json(groups: &[Group]) -> Value {
    Value::Array(
        groups
            .iter()
            .map(|g| {
                json!({
                    "pattern": g.pattern,
                    "count": g.count,
                    "first": api_time(g.first),
                    "newest": api_time(g.newest),
                    "sourceAccounts": g.source_accounts,
                    "jobArns": g.job_arns,
                    "example": g.example,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn at(secs: i64, millis: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(1_748_779_200 + secs, millis * 1_000_000).expect("valid")
    }

    fn arn(i: usize) -> String {
        format!("arn:aws:bedrock:us-east-1:123456789012:model-copy-job/{i:012}")
    }

    fn groups() -> Vec<Group> {
        vec![
            Group {
                pattern: "Bedrock could not use the KMS key <arn>: AccessDeniedException when calling kms:CreateGrant. Grant the Bedrock service kms:CreateGrant in the key policy, then retry the copy.".into(),
                count: 5,
                first: at(0, 0),
                newest: at(3_600, 250),
                source_accounts: vec!["111111111111".into(), "222222222222".into()],
                job_arns: (0..5).map(arn).collect(),
                example: "Bedrock could not use the KMS key arn:aws:kms:…".into(),
            },
            Group {
                pattern: "evil \u{1b}[2J text".into(),
                count: 1,
                first: at(60, 0),
                newest: at(60, 0),
                source_accounts: vec!["333333333333".into()],
                job_arns: vec![arn(9)],
                example: "evil \u{1b}[2J text".into(),
            },
        ]
    }

    #[test]
    fn counts_read_at_a_glance() {
        let cases = [
            (0, "0"),
            (7, "7"),
            (999, "999"),
            (1000, "1,000"),
            (1234, "1,234"),
            (1_234_567, "1,234,567"),
        ];
        for (n, want) in cases {
            assert_eq!(thousands(n), want);
        }
    }

    #[test]
    fn a_block_per_group_wrapped_and_clean() {
        let tz = FixedOffset::east_opt(2 * 3600).expect("valid");
        let text = table(&groups(), 60, &tz, &HashMap::new());
        let want = "\
6 jobs failed, 2 causes

5 jobs  83.3%  first 2025-06-01 14:00  newest 2025-06-01 15:00
    source accounts: 111111111111, 222222222222
    Bedrock could not use the KMS key <arn>:
    AccessDeniedException when calling kms:CreateGrant.
    Grant the Bedrock service kms:CreateGrant in the key
    policy, then retry the copy.
    arn:aws:bedrock:us-east-1:123456789012:model-copy-job/000000000000
    arn:aws:bedrock:us-east-1:123456789012:model-copy-job/000000000001
    arn:aws:bedrock:us-east-1:123456789012:model-copy-job/000000000002
    …and 2 more

1 job  16.7%  first 2025-06-01 14:01  newest 2025-06-01 14:01
    source account: 333333333333
    evil \\u{1b}[2J text
    arn:aws:bedrock:us-east-1:123456789012:model-copy-job/000000000009
";
        assert_eq!(text, want);
        assert_eq!(table(&[], 80, &tz, &HashMap::new()), "no failed jobs\n");
    }

    #[test]
    fn an_organisations_accounts_are_named_the_others_are_ids() {
        let tz = FixedOffset::east_opt(0).expect("valid");
        let names = HashMap::from([(
            "222222222222".to_string(),
            "ml-prod · 222222222222".to_string(),
        )]);
        let text = table(&groups(), 80, &tz, &names);
        assert!(
            text.contains("    source accounts: 111111111111, ml-prod · 222222222222\n"),
            "{text}"
        );
    }

    #[test]
    fn json_uses_the_api_style_of_names_and_times() {
        let v = json(&groups());
        let first = &v[0];
        let keys: Vec<&String> = first.as_object().expect("object").keys().collect();
        assert_eq!(
            keys,
            [
                "pattern",
                "count",
                "first",
                "newest",
                "sourceAccounts",
                "jobArns",
                "example"
            ]
        );
        assert_eq!(first["count"], 5);
        assert_eq!(first["first"], "2025-06-01T12:00:00Z");
        assert_eq!(first["newest"], "2025-06-01T13:00:00.250Z");
        assert_eq!(first["jobArns"].as_array().map(Vec::len), Some(5));
        // Data, not display: the service's text as it came.
        assert_eq!(v[1]["example"], "evil \u{1b}[2J text");
    }
}
