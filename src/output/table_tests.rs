//! `list -o table`: widths, cuts, the order columns give way in.

use super::*;
use crate::domain::job::{CopyJob, Status};
use crate::output::test_jobs::*;

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
        // Columns stand two cells apart; a header may hold one space.
        table_header(w)
            .split("  ")
            .map(str::trim)
            .filter(|l| !l.is_empty())
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
        ["STATUS", "NAME", "CREATED", "AGE", "SOURCE", "SRC ACCOUNT"]
    );
    assert_eq!(
        labels(112),
        [
            "STATUS",
            "NAME",
            "CREATED",
            "AGE",
            "SOURCE",
            "SRC ACCOUNT",
            "TAGS"
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
    for label in ["NAME", "CREATED", "AGE", "SOURCE", "SRC ACCOUNT", "TAGS"] {
        let col = header.find(label).unwrap();
        let cells_before = width_of(&header[..col]);
        let mut used = 0;
        let row_prefix: String = row
            .chars()
            .take_while(|c| {
                used += width_of(c.encode_utf8(&mut [0; 4]));
                used <= cells_before
            })
            .collect();
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
    assert_eq!(fit("模型", 3), "模…");
}

/// REGION was 14 cells (`ap-southeast-2`, Bedrock's longest) whatever
/// the sources: `us-east-1` padded with 5 blanks, then the gap. Sized
/// by the regions read, it is as wide as the longest of them.
#[test]
fn region_is_as_wide_as_the_regions_read() {
    let cols = [Column::Status, Column::Name, Column::Region];
    assert_eq!(super::column_width(&cols, 80, Column::Region, &[]), 14);
    let most = [(Column::Region, "us-east-1".len())];
    assert_eq!(super::column_width(&cols, 80, Column::Region, &most), 9);
    let header = super::table_header_sized(&cols, 80, &most);
    assert!(header.ends_with("  REGION"), "{header}");
}
