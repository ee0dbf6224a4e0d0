//! The output formats' tests, against hand-written bytes and the AWS
//! CLI's documented forms.

use super::*;
use crate::domain::job::{Status, Tag};
use crate::domain::query::{Filter, Sort};
use crate::output::table::cut;
use base64::Engine;
use chrono::{DateTime, FixedOffset, Utc};
use chrono::{TimeDelta, TimeZone};
use proptest::prelude::*;
use serde_json::Value;
use std::borrow::Cow;
use std::path::Path;
use textwrap::core::display_width;

const JOB_ARN: &str = "arn:aws:bedrock:us-east-1:111122223333:model-copy-job/abcdefghij12";
const TARGET_ARN: &str =
    "arn:aws:bedrock:us-east-1:111122223333:custom-model/imported/abcdefghij12";
const SOURCE_ARN: &str =
    "arn:aws:bedrock:us-west-2:444455556666:custom-model/imported/zyxwvutsrq98";
const KMS: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid time")
}

fn now() -> DateTime<Utc> {
    at(2025, 6, 1, 12, 0, 0)
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("valid offset")
}

fn plus_one() -> FixedOffset {
    FixedOffset::east_opt(3600).expect("valid offset")
}

fn tag(k: &str, v: &str) -> Tag {
    Tag {
        key: k.into(),
        value: v.into(),
    }
}

/// Every optional member set.
fn full() -> CopyJob {
    CopyJob {
        job_arn: JOB_ARN.into(),
        status: Status::Failed,
        created: now() - TimeDelta::minutes(90),
        target_model_arn: TARGET_ARN.into(),
        target_model_name: Some("fraud-copy".into()),
        source_account_id: "444455556666".into(),
        source_model_arn: SOURCE_ARN.into(),
        source_model_name: Some("fraud-src".into()),
        kms_key_arn: Some(KMS.into()),
        tags: vec![tag("team", "fraud, risk"), tag("env", "prod")],
        failure_message: Some("Access \"denied\"\nretry".into()),
    }
}

/// No optional member set.
fn bare() -> CopyJob {
    CopyJob {
        status: Status::InProgress,
        target_model_name: None,
        source_model_name: None,
        kms_key_arn: None,
        tags: vec![],
        failure_message: None,
        ..full()
    }
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn json_keys_are_the_api_names_in_the_api_order() {
    let v = job_json(&full());
    assert_eq!(
        keys(&v),
        [
            "jobArn",
            "status",
            "creationTime",
            "targetModelArn",
            "targetModelName",
            "sourceAccountId",
            "sourceModelArn",
            "targetModelKmsKeyArn",
            "targetModelTags",
            "failureMessage",
            "sourceModelName"
        ]
    );
    assert_eq!(
        v,
        serde_json::json!({
            "jobArn": JOB_ARN,
            "status": "Failed",
            "creationTime": "2025-06-01T10:30:00Z",
            "targetModelArn": TARGET_ARN,
            "targetModelName": "fraud-copy",
            "sourceAccountId": "444455556666",
            "sourceModelArn": SOURCE_ARN,
            "targetModelKmsKeyArn": KMS,
            "targetModelTags": [
                {"key": "team", "value": "fraud, risk"},
                {"key": "env", "value": "prod"}
            ],
            "failureMessage": "Access \"denied\"\nretry",
            "sourceModelName": "fraud-src"
        })
    );
    let tag_keys: Vec<&str> = keys(&v["targetModelTags"][0]);
    assert_eq!(tag_keys, ["key", "value"]);
}

#[test]
fn json_leaves_out_what_is_absent_and_empty_tags() {
    let v = job_json(&bare());
    assert_eq!(
        keys(&v),
        [
            "jobArn",
            "status",
            "creationTime",
            "targetModelArn",
            "sourceAccountId",
            "sourceModelArn"
        ]
    );
    assert_eq!(v["status"], "InProgress");
    let unknown = CopyJob {
        status: Status::Unknown("Paused".into()),
        ..bare()
    };
    assert_eq!(job_json(&unknown)["status"], "Paused");
}

#[test]
fn creation_time_has_fractions_only_when_not_zero() {
    let cases = [
        (TimeDelta::zero(), "2025-06-01T12:00:00Z"),
        (TimeDelta::milliseconds(123), "2025-06-01T12:00:00.123Z"),
        (
            TimeDelta::microseconds(123_456),
            "2025-06-01T12:00:00.123456Z",
        ),
        (TimeDelta::nanoseconds(1), "2025-06-01T12:00:00.000000001Z"),
    ];
    for (extra, want) in cases {
        let j = CopyJob {
            created: now() + extra,
            ..bare()
        };
        assert_eq!(job_json(&j)["creationTime"], want);
    }
}

fn list_bytes(jobs: &[CopyJob]) -> Vec<u8> {
    let mut buf = Vec::new();
    write_json_list(&mut buf, jobs).unwrap();
    buf
}

fn listing(jobs: &[CopyJob]) -> Value {
    serde_json::json!({ LIST_KEY: jobs.iter().map(job_json).collect::<Vec<_>>() })
}

#[test]
fn json_is_the_aws_clis_listing_byte_for_byte() {
    let jobs = vec![full(), bare(), full()];
    let buf = list_bytes(&jobs);
    let text = String::from_utf8(buf.clone()).unwrap();
    assert_eq!(text, cli_json(&listing(&jobs)));
    let back: Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(back, listing(&jobs));
    // What `aws bedrock list-model-copy-jobs` (Python's json.dumps,
    // indent=4, ensure_ascii=False) prints for one bare job.
    let one = String::from_utf8(list_bytes(&[bare()])).unwrap();
    assert_eq!(
        one,
        format!(
            "{{\n    \"modelCopyJobSummaries\": [\n        {{\n            \"jobArn\": \"{JOB_ARN}\",\n            \"status\": \"InProgress\",\n            \"creationTime\": \"2025-06-01T10:30:00Z\",\n            \"targetModelArn\": \"{TARGET_ARN}\",\n            \"sourceAccountId\": \"444455556666\",\n            \"sourceModelArn\": \"{SOURCE_ARN}\"\n        }}\n    ]\n}}\n"
        )
    );
    assert_eq!(
        list_bytes(&[]),
        b"{\n    \"modelCopyJobSummaries\": []\n}\n"
    );
    // Python escapes controls as \u00xx in lowercase hex and leaves the
    // rest of Unicode as it is; so does this.
    let odd = CopyJob {
        failure_message: Some("\u{1b}[31mrot\u{7f} 模型 \u{200d}\t\"".into()),
        ..bare()
    };
    let text = String::from_utf8(list_bytes(&[odd])).unwrap();
    assert!(
        text.contains("\"failureMessage\": \"\\u001b[31mrot\u{7f} 模型 \u{200d}\\t\\\"\""),
        "{text}"
    );
}

#[test]
fn the_streamed_listing_equals_the_whole_one() {
    let jobs = vec![full(), bare(), full()];
    let mut w = JobListWriter::new(Vec::new());
    assert!(w.get_mut().is_empty(), "nothing before the first job");
    for j in &jobs {
        w.push(j).unwrap();
        // Complete objects so far: the page is out before the next request.
        assert!(w.get_mut().ends_with(b"}"));
    }
    let streamed = w.finish().unwrap();
    assert_eq!(streamed, list_bytes(&jobs));
    let empty = JobListWriter::new(Vec::new()).finish().unwrap();
    assert_eq!(empty, list_bytes(&[]));
}

#[test]
fn jsonl_is_one_compact_object_a_line() {
    let mut buf = Vec::new();
    for j in [full(), bare()] {
        write_jsonl(&mut buf, &j).unwrap();
    }
    let text = String::from_utf8(buf).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "the newline in the message stays escaped");
    assert!(lines[0].starts_with("{\"jobArn\":\""), "{}", lines[0]);
    assert!(lines[0].contains(r#""failureMessage":"Access \"denied\"\nretry""#));
    let back: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(back, [job_json(&full()), job_json(&bare())]);
}

#[test]
fn csv_quotes_only_what_needs_it() {
    let cases = [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"", "\"\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""),
        (" lead", "\" lead\""),
        ("trail ", "\"trail \""),
        ("in side", "in side"),
        ("tab\tin", "tab\tin"),
        ("ünï ✔", "ünï ✔"),
    ];
    for (raw, want) in cases {
        assert_eq!(csv_field(raw), want, "{raw:?}");
    }
    assert!(matches!(csv_field("plain"), Cow::Borrowed(_)));
}

#[test]
fn csv_header_and_rows() {
    let mut buf = Vec::new();
    write_csv_header(&mut buf).unwrap();
    assert_eq!(
        String::from_utf8(buf.clone()).unwrap(),
        "jobArn,status,creationTime,targetModelName,targetModelArn,sourceAccountId,sourceModelArn,sourceModelName,targetModelKmsKeyArn,tags,failureMessage\r\n"
    );
    let mut row = Vec::new();
    write_csv_row(&mut row, &full()).unwrap();
    assert_eq!(
        String::from_utf8(row.clone()).unwrap(),
        format!(
            "{JOB_ARN},Failed,2025-06-01T10:30:00Z,fraud-copy,{TARGET_ARN},444455556666,{SOURCE_ARN},fraud-src,{KMS},\"team=fraud, risk;env=prod\",\"Access \"\"denied\"\"\nretry\"\r\n"
        )
    );
    let mut empty = Vec::new();
    write_csv_row(&mut empty, &bare()).unwrap();
    assert_eq!(
        String::from_utf8(empty.clone()).unwrap(),
        format!(
            "{JOB_ARN},InProgress,2025-06-01T10:30:00Z,,{TARGET_ARN},444455556666,{SOURCE_ARN},,,,\r\n"
        )
    );

    // A strict RFC 4180 reader gets the fields back unchanged.
    buf.extend(&row);
    buf.extend(&empty);
    let mut reader = csv::ReaderBuilder::new().from_reader(buf.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][9], "team=fraud, risk;env=prod");
    assert_eq!(&rows[0][10], "Access \"denied\"\nretry");
    assert_eq!(&rows[1][3], "");
    assert!(rows.iter().all(|r| r.len() == CSV_HEADER.len()));
}

#[test]
fn csv_tags_are_written_as_they_are() {
    let j = CopyJob {
        tags: vec![tag("a=b", "c=d"), tag("empty", ""), tag(" sp", "x ")],
        ..bare()
    };
    let mut buf = Vec::new();
    write_csv_row(&mut buf, &j).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(text.contains(",\"a=b=c=d;empty=; sp=x \",\r\n"), "{text}");
}

fn width_of(s: &str) -> usize {
    display_width(s)
}

fn long_names() -> Vec<CopyJob> {
    let names = [
        "ä-very-long-name-".repeat(10),
        "模型复制任务".repeat(12),
        "👩‍🔬🧪".repeat(20),
        "e\u{301}".repeat(80),
        "x".repeat(63),
        "a".to_string(),
    ];
    let mut jobs: Vec<CopyJob> = names
        .into_iter()
        .map(|n| CopyJob {
            target_model_name: Some(n),
            source_model_name: Some("源模型".repeat(30).into()),
            ..full()
        })
        .collect();
    jobs.push(CopyJob {
        status: Status::Unknown("\u{1b}[2JSomeVeryLongFutureStatus\u{202e}".into()),
        target_model_name: Some("evil\u{1b}]0;title\u{7}\nname".into()),
        source_account_id: "\u{9b}31m".into(),
        ..bare()
    });
    jobs.push(bare());
    jobs
}

#[test]
fn tables_never_exceed_the_width() {
    for w in 0..=200 {
        let header = table_header(w);
        assert!(width_of(&header) <= w, "{w}: {header}");
        for j in long_names() {
            for tz in [utc(), plus_one()] {
                let row = table_row(&j, w, now(), &tz);
                assert!(width_of(&row) <= w, "{w}: {row}");
                assert!(
                    !row.contains(['\u{1b}', '\u{9b}', '\u{7}', '\n']),
                    "{row:?}"
                );
                assert_eq!(row, row.trim_end());
            }
        }
    }
    assert_eq!(table_header(0), "");
    assert_eq!(table_row(&full(), 0, now(), &utc()), "");
}

#[test]
fn tiny_tables_keep_status_and_name() {
    for w in 5..34 {
        let row = table_row(&full(), w, now(), &utc());
        assert!(row.starts_with("✘  f"), "{w}: {row}");
        let header = table_header(w);
        assert!(header.starts_with("S  N"), "{w}: {header}");
    }
    assert_eq!(table_row(&full(), 10, now(), &utc()), "✘  fraud-…");
    assert_eq!(table_row(&full(), 13, now(), &utc()), "✘  fraud-copy");
    assert_eq!(table_header(10), "S  NAME");
    assert_eq!(
        table_row(&full(), 34, now(), &utc()),
        "✘ Failed      fraud-copy"
    );
    assert_eq!(table_header(34), "STATUS        NAME");
}

#[test]
fn columns_give_way_from_the_least_useful() {
    let labels = |w: usize| -> Vec<String> {
        table_header(w)
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    // The dashboard's order (`layout`): tags, account, source, created,
    // then age give way. Each column at its least (status 12, name 32,
    // created 16, age 8, source 16, account 12, tags 4) and two cells
    // between columns: status and name need 46, age 10 more, created
    // 18, source 18, account 14, tags 6.
    assert_eq!(labels(55), ["STATUS", "NAME"]);
    assert_eq!(labels(56), ["STATUS", "NAME", "AGE"]);
    assert_eq!(labels(73), ["STATUS", "NAME", "AGE"]);
    assert_eq!(labels(74), ["STATUS", "NAME", "CREATED", "AGE"]);
    assert_eq!(labels(80), ["STATUS", "NAME", "CREATED", "AGE"]);
    assert_eq!(labels(92), ["STATUS", "NAME", "CREATED", "AGE", "SOURCE"]);
    assert_eq!(
        labels(106),
        ["STATUS", "NAME", "CREATED", "AGE", "SOURCE", "ACCOUNT"]
    );
    assert_eq!(
        labels(112),
        [
            "STATUS", "NAME", "CREATED", "AGE", "SOURCE", "ACCOUNT", "TAGS"
        ]
    );
    assert_eq!(labels(111).len(), 6);
}

#[test]
fn a_wide_row_shows_every_column_aligned_with_the_header() {
    let header = table_header(160);
    let row = table_row(&full(), 160, now(), &plus_one());
    assert_eq!(
        row,
        format!(
            "{:<12}  {:<63}  {:<16}  {:<8}  {:<33}  {:<12}  2",
            "✘ Failed", "fraud-copy", "2025-06-01 11:30", "1h 30m", "fraud-src", "444455556666"
        )
    );
    for label in ["NAME", "CREATED", "AGE", "SOURCE", "ACCOUNT", "TAGS"] {
        let col = header.find(label).unwrap();
        let cells_before = width_of(&header[..col]);
        let (row_prefix, _) = cut(&row, cells_before);
        assert_eq!(width_of(&row_prefix), cells_before);
        assert!(row_prefix.ends_with("  "), "{label}: {row_prefix:?}");
    }
    // Unknown statuses show; cut ones say so.
    let odd = CopyJob {
        status: Status::Unknown("Paused".into()),
        ..bare()
    };
    assert!(table_row(&odd, 160, now(), &utc()).starts_with("? Paused  "));
    let long = CopyJob {
        status: Status::Unknown("WaitingForApproval".into()),
        ..bare()
    };
    assert!(table_row(&long, 160, now(), &utc()).starts_with("? WaitingFo…  "));
}

#[test]
fn wide_characters_are_cut_by_cells() {
    assert_eq!(fit("模型复制", 8), "模型复制");
    assert_eq!(fit("模型复制", 7), "模型复…");
    assert_eq!(fit("模型复制", 6), "模型… ");
    assert_eq!(fit("abc", 5), "abc  ");
    assert_eq!(fit("abc", 1), "…");
    assert_eq!(fit("abc", 0), "");
    let (cut_text, used) = cut("模型", 3);
    assert_eq!((cut_text.as_str(), used), ("模", 2));
}

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
            watch_text(&job, Some(&Status::InProgress), now())
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

fn region(r: &str) -> CliTarget<'_> {
    CliTarget {
        region: Some(r),
        ..CliTarget::default()
    }
}

#[test]
fn cli_command_for_the_default_filter() {
    assert_eq!(
        aws_cli_command(&Filter::default(), CliTarget::default()),
        "aws bedrock list-model-copy-jobs"
    );
    assert_eq!(
        aws_cli_command(&Filter::default(), region("us-east-1")),
        "aws bedrock list-model-copy-jobs --region us-east-1"
    );
}

#[test]
fn cli_command_matches_the_documented_example() {
    let f = Filter {
        status: Some(Status::Failed),
        created_after: Some(at(2025, 6, 1, 10, 0, 0)),
        name_contains: Some("fraud".into()),
        sort: Sort::OldestFirst,
        ..Filter::default()
    };
    assert_eq!(
        aws_cli_command(&f, region("us-east-1")),
        "aws bedrock list-model-copy-jobs --region us-east-1 --status-equals Failed --creation-time-after 2025-06-01T10:00:00Z --target-model-name-contains fraud --sort-order Ascending"
    );
}

#[test]
fn cli_command_for_a_full_filter_quotes_for_the_shell() {
    let f = Filter {
        status: Some(Status::Completed),
        created_after: Some(at(2025, 6, 1, 12, 0, 0)),
        created_before: Some(at(2025, 6, 2, 0, 0, 0) + TimeDelta::milliseconds(250)),
        name_contains: Some("it's a name".into()),
        source_account: Some("444455556666".into()),
        source_model_arn: Some(SOURCE_ARN.into()),
        sort: Sort::NewestFirst,
    };
    assert_eq!(
        aws_cli_command(
            &f,
            CliTarget {
                region: Some("eu-west-1"),
                profile: Some("ml team"),
                endpoint_url: Some("http://127.0.0.1:4566/")
            }
        ),
        format!(
            "aws bedrock list-model-copy-jobs --region eu-west-1 --profile 'ml team' --endpoint-url http://127.0.0.1:4566/ --status-equals Completed --creation-time-after 2025-06-01T12:00:00Z --creation-time-before 2025-06-02T00:00:00.250Z --target-model-name-contains 'it'\\''s a name' --source-account-equals 444455556666 --source-model-arn-equals {SOURCE_ARN}"
        )
    );
}

#[test]
fn shell_quoting() {
    let cases = [
        ("plain", "plain"),
        ("a_b@c%d+e=f:g,h.i/j-k", "a_b@c%d+e=f:g,h.i/j-k"),
        ("", "''"),
        ("a b", "'a b'"),
        ("it's", "'it'\\''s'"),
        ("'", "''\\'''"),
        ("$HOME", "'$HOME'"),
        ("a;rm -rf /", "'a;rm -rf /'"),
        ("`x`", "'`x`'"),
        ("back\\slash", "'back\\slash'"),
        ("two\nlines", "'two\nlines'"),
        ("ünï", "'ünï'"),
        ("*", "'*'"),
        ("~", "'~'"),
    ];
    for (raw, want) in cases {
        assert_eq!(shell_quote(raw), want, "{raw:?}");
    }
    assert!(matches!(shell_quote("plain"), Cow::Borrowed(_)));
}

fn decode(b64: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("valid base64")
}

#[test]
fn osc52_plain() {
    let text = "arn:aws:bedrock:x ✔ модель\n";
    let plain = osc52(text, false);
    let b64 = plain
        .strip_prefix("\u{1b}]52;c;")
        .and_then(|s| s.strip_suffix('\u{7}'))
        .expect("ESC ] 52 ; c ; … BEL");
    assert_eq!(decode(b64), text.as_bytes());
    assert_eq!(plain.matches('\u{1b}').count(), 1);
    assert_eq!(osc52("", false), "\u{1b}]52;c;\u{7}");
}

#[test]
fn osc52_inside_tmux_is_also_wrapped_for_passthrough() {
    let text = "aws bedrock list-model-copy-jobs --region 'x'";
    let plain = osc52(text, false);
    let tmux = osc52(text, true);
    let wrapped = tmux
        .strip_prefix(plain.as_str())
        .expect("the plain sequence first, for set-clipboard on");
    let inner = wrapped
        .strip_prefix("\u{1b}Ptmux;")
        .and_then(|s| s.strip_suffix("\u{1b}\\"))
        .expect("ESC P tmux; … ESC \\");
    assert_eq!(inner, plain.replace('\u{1b}', "\u{1b}\u{1b}"));
    let b64 = inner
        .strip_prefix("\u{1b}\u{1b}]52;c;")
        .and_then(|s| s.strip_suffix('\u{7}'))
        .expect("the doubled sequence");
    assert_eq!(decode(b64), text.as_bytes());
}

#[test]
fn export_format_follows_the_extension() {
    let cases = [
        ("jobs.json", ExportFormat::Json),
        ("/tmp/dir/Jobs.JSON", ExportFormat::Json),
        ("jobs.Json", ExportFormat::Json),
        ("jobs.csv", ExportFormat::Csv),
        ("jobs", ExportFormat::Csv),
        ("jobs.json.gz", ExportFormat::Csv),
        ("dir.json/jobs.txt", ExportFormat::Csv),
        ("jobs.jsonl", ExportFormat::Csv),
        ("", ExportFormat::Csv),
    ];
    for (p, want) in cases {
        assert_eq!(ExportFormat::from_path(Path::new(p)), want, "{p}");
    }
}

#[test]
fn export_writes_what_list_writes() {
    let jobs = [full(), bare()];
    let refs: Vec<&CopyJob> = jobs.iter().collect();
    let mut json = Vec::new();
    export_to(&mut json, &refs, ExportFormat::Json).unwrap();
    assert_eq!(json, list_bytes(&jobs));
    let mut csv = Vec::new();
    export_to(&mut csv, &refs, ExportFormat::Csv).unwrap();
    let mut want = Vec::new();
    write_csv_header(&mut want).unwrap();
    for j in &jobs {
        write_csv_row(&mut want, j).unwrap();
    }
    assert_eq!(csv, want);
    let mut none = Vec::new();
    export_to(&mut none, &[], ExportFormat::Json).unwrap();
    assert_eq!(none, list_bytes(&[]));
}

/// A sink that fails after `left` bytes, as a full disk or closed pipe does.
struct Failing {
    left: usize,
}

impl Write for Failing {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"));
        }
        let n = buf.len().min(self.left);
        self.left -= n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_errors_are_returned_not_swallowed() {
    let jobs = [full(), bare()];
    let refs: Vec<&CopyJob> = jobs.iter().collect();
    for left in [0, 1, 10, 500] {
        let mut out = Failing { left };
        assert!(write_json_list(&mut out, &jobs).is_err());
        let mut out = Failing { left };
        assert!(export_to(&mut out, &refs, ExportFormat::Csv).is_err());
        let mut out = Failing { left };
        assert!(write_jsonl(&mut out, &jobs[0]).is_err());
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![".{0,80}", "[a-z0-9-]{0,70}", any::<String>()]
}

fn any_job() -> impl Strategy<Value = CopyJob> {
    (
        any_text(),
        prop::option::of(any_text()),
        prop::option::of(any_text()),
        prop::option::of(any_text()),
        prop::collection::vec((any_text(), any_text()), 0..4),
        any_text(),
        -300_000_000_000i64..300_000_000_000,
        0u32..2_000_000_000,
    )
        .prop_map(
            |(status, name, source_name, failure, tags, account, secs, nanos)| CopyJob {
                status: Status::from_wire(&status),
                created: DateTime::from_timestamp(secs, nanos).unwrap_or(DateTime::UNIX_EPOCH),
                target_model_name: name,
                source_model_name: source_name.map(Into::into),
                failure_message: failure,
                tags: tags.into_iter().map(|(k, v)| tag(&k, &v)).collect(),
                source_account_id: account.as_str().into(),
                source_model_arn: account.into(),
                ..full()
            },
        )
}

proptest! {
    #[test]
    fn any_job_formats_without_panicking(
        job in any_job(),
        width in 0usize..400,
        offset in -86_399i32..86_400,
        now_secs in -300_000_000_000i64..300_000_000_000,
    ) {
        let tz = FixedOffset::east_opt(offset).unwrap_or_else(utc);
        let now = DateTime::from_timestamp(now_secs, 0).unwrap_or(DateTime::UNIX_EPOCH);
        let row = table_row(&job, width, now, &tz);
        prop_assert!(width_of(&row) <= width, "{}: {:?}", width, row);
        prop_assert!(!row.chars().any(char::is_control), "{:?}", row);
        let details = job_details(&job, now, &tz);
        prop_assert!(!details.chars().any(|c| c.is_control() && c != '\n'));

        let mut json = Vec::new();
        write_json_list(&mut json, std::slice::from_ref(&job)).unwrap();
        let back: Value = serde_json::from_slice(&json).unwrap();
        prop_assert_eq!(&back[LIST_KEY][0], &job_json(&job));

        let mut csv_bytes = Vec::new();
        write_csv_header(&mut csv_bytes).unwrap();
        write_csv_row(&mut csv_bytes, &job).unwrap();
        let mut reader = csv::ReaderBuilder::new().from_reader(csv_bytes.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        prop_assert_eq!(rows.len(), 1);
        // Sanitized as the table is, lines kept: an escape sequence
        // shows as text and runs nowhere.
        let clean = |s: Option<&str>| crate::output::sanitize::clean_lines(s.unwrap_or("")).into_owned();
        prop_assert_eq!(&rows[0][10], clean(job.failure_message.as_deref()));
        prop_assert_eq!(&rows[0][3], clean(job.target_model_name.as_deref()));
        let escapes = rows[0].iter().any(|f| f.contains('\x1b'));
        prop_assert!(!escapes);
    }

    #[test]
    fn shell_quoting_survives_a_posix_reading(s in any::<String>()) {
        // Undo sh's single-quote rules by hand: what comes back is what went in.
        let q = shell_quote(&s);
        let mut out = String::new();
        let mut quoted = false;
        let mut chars = q.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('\'', _) => quoted = !quoted,
                ('\\', false) => out.extend(chars.next()),
                (c, _) => out.push(c),
            }
        }
        prop_assert!(!quoted);
        prop_assert_eq!(out, s);
    }

    #[test]
    fn osc52_round_trips_any_text(s in any::<String>(), tmux in any::<bool>()) {
        let seq = osc52(&s, tmux);
        let b64 = seq
            .strip_prefix("\u{1b}]52;c;")
            .and_then(|r| r.split('\u{7}').next())
            .unwrap_or("");
        prop_assert_eq!(decode(b64), s.as_bytes());
    }
}
