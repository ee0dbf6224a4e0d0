//! The AWS CLI's JSON, byte for byte, and JSON lines.

use super::*;
use crate::domain::job::{CopyJob, Status};
use crate::output::jsonl::write_jsonl;
use crate::output::test_jobs::*;
use chrono::TimeDelta;
use serde_json::Value;

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
