//! Watch lines and job details.

use super::*;
use crate::domain::job::{CopyJob, Status};
use crate::output::table::table_row;
use crate::output::test_jobs::*;
use chrono::TimeDelta;

#[test]
fn watch_lines_keep_their_columns_whatever_the_names() {
    let names = [
        "short".to_string(),
        "x".repeat(63),
        "模型复制任务".repeat(5),
        "esc\u{1b}[31mred\u{7}".to_string(),
    ];
    let lines: Vec<String> = names
        .iter()
        .map(|n| {
            let job = CopyJob {
                target_model_name: Some(n.clone()),
                ..full()
            };
            watch_text(&job, Some(&Status::InProgress), now(), None)
        })
        .collect();
    let arn_at: Vec<usize> = lines
        .iter()
        .map(|l| width_of(&l[..l.find("arn:aws:bedrock").unwrap()]))
        .collect();
    assert!(
        arn_at.iter().all(|c| *c == arn_at[0]),
        "{arn_at:?}\n{lines:#?}"
    );
    assert!(
        lines[1].contains('…'),
        "a long name is cut visibly: {}",
        lines[1]
    );
    assert!(
        lines.iter().all(|l| !l.chars().any(char::is_control)),
        "{lines:#?}"
    );
    assert!(
        lines[0].starts_with("2025-06-01T12:00:00Z  short "),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("InProgress -> Failed"), "{}", lines[0]);
}

#[test]
fn a_job_from_the_future_says_so() {
    let j = CopyJob {
        created: now() + TimeDelta::minutes(5),
        ..bare()
    };
    assert!(table_row(&j, 160, now(), &utc()).contains("in 5m"));
    assert!(job_details(&j, now(), &utc()).contains("(in 5m)"));
}

#[test]
fn details_show_every_field_whole() {
    let d = job_details(&full(), now(), &plus_one());
    assert_eq!(
        d,
        format!(
            "Job ARN:         {JOB_ARN}
Status:          ✘ Failed
Failure:         Access \"denied\"
                 retry
Created:         2025-06-01 11:30:00 +01:00 (1h 30m ago)
Target name:     fraud-copy
Target ARN:      {TARGET_ARN}
KMS key:         {KMS}
Source name:     fraud-src
Source ARN:      {SOURCE_ARN}
Source account:  444455556666
Tags:            team = fraud, risk
                 env = prod
"
        )
    );
    let d = job_details(&bare(), now(), &utc());
    for want in [
        "Status:          ◐ InProgress\n",
        "Created:         2025-06-01 10:30:00 +00:00 (1h 30m ago)\n",
        "Target name:     —\n",
        "KMS key:         — (AWS owned key)\n",
        "Source name:     —\n",
        "Tags:            none\n",
    ] {
        assert!(d.contains(want), "{want}: {d}");
    }
    assert!(!d.contains("Failure:"));
}

#[test]
fn details_show_long_messages_whole_and_escapes_harmless() {
    let message = "word ".repeat(400);
    let j = CopyJob {
        failure_message: Some(format!("{message}\r\nsecond \u{1b}[31mline")),
        tags: vec![tag("empty", "")],
        status: Status::Unknown("Odd\u{7}".into()),
        ..bare()
    };
    let d = job_details(&j, now(), &utc());
    assert!(d.contains(&format!("Failure:         {}\n", message.trim_end())));
    assert!(
        d.contains("\n                 second \\u{1b}[31mline\n"),
        "{d}"
    );
    assert!(d.contains("Tags:            empty = \"\"\n"));
    assert!(d.contains("Status:          ? Odd\\u{7}\n"));
    assert!(!d.contains(['\u{1b}', '\u{7}', '\r']));
}
