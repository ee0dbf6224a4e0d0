//! CSV: RFC 4180 quoting, CRLF, sanitized fields.

use super::*;
use crate::domain::job::CopyJob;
use crate::output::test_jobs::*;
use std::borrow::Cow;

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
