//! The `e` export, OSC 52, and every format over any job.

use super::*;
use crate::domain::job::{CopyJob, Status};
use crate::output::aws_cli::shell_quote;
use crate::output::test_jobs::*;
use base64::Engine;
use chrono::{DateTime, FixedOffset};
use proptest::prelude::*;
use serde_json::Value;
use std::path::Path;

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
