use super::fixtures::*;
use super::*;
use proptest::prelude::*;
fn parse(s: &str, tz: &FixedOffset) -> Result<DateTime<Utc>, String> {
    parse_time(s, now(), tz)
}

#[test]
fn sort_basics() {
    assert_eq!(Sort::default(), Sort::NewestFirst);
    assert_eq!(Sort::NewestFirst.toggled(), Sort::OldestFirst);
    assert_eq!(Sort::OldestFirst.toggled(), Sort::NewestFirst);
    assert_eq!(Sort::NewestFirst.label(), "newest first");
    assert_eq!(Sort::OldestFirst.label(), "oldest first");
    assert_eq!(Sort::NewestFirst.to_sdk().as_str(), "Descending");
    assert_eq!(Sort::OldestFirst.to_sdk().as_str(), "Ascending");
}

#[test]
fn rfc3339_forms() {
    for tz in [utc(), india(), pacific()] {
        assert_eq!(
            parse("2025-06-01T12:00:00Z", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
        assert_eq!(
            parse("2025-06-01t12:00:00z", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
        assert_eq!(
            parse("2025-06-01T14:00:00+02:00", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
        assert_eq!(
            parse("2025-06-01 04:00:00-08:00", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
        assert_eq!(
            parse("2025-06-01T12:00:00.250Z", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0) + TimeDelta::milliseconds(250))
        );
        // What the preview prints reads back too.
        assert_eq!(
            parse("2025-06-01 17:30:00 +05:30", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
        assert_eq!(
            parse("2025-06-01 17:30 +05:30", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
        assert_eq!(
            parse("  2025-06-01T12:00:00Z \t", &tz),
            Ok(at(2025, 6, 1, 12, 0, 0))
        );
    }
}

#[test]
fn dates_are_midnight_in_the_zone() {
    assert_eq!(parse("2025-06-01", &utc()), Ok(at(2025, 6, 1, 0, 0, 0)));
    assert_eq!(
        parse("2025-06-01", &india()),
        Ok(at(2025, 5, 31, 18, 30, 0))
    );
    assert_eq!(parse("2025-06-01", &pacific()), Ok(at(2025, 6, 1, 8, 0, 0)));
}

#[test]
fn local_date_times_are_in_the_zone() {
    for s in [
        "2025-06-01 14:30",
        "2025-06-01T14:30",
        "2025-06-01t14:30",
        "2025-06-01 14:30:00",
    ] {
        assert_eq!(parse(s, &utc()), Ok(at(2025, 6, 1, 14, 30, 0)), "{s}");
        assert_eq!(parse(s, &india()), Ok(at(2025, 6, 1, 9, 0, 0)), "{s}");
        assert_eq!(parse(s, &pacific()), Ok(at(2025, 6, 1, 22, 30, 0)), "{s}");
    }
    assert_eq!(
        parse("2025-06-01 14:30:15.5", &utc()),
        Ok(at(2025, 6, 1, 14, 30, 15) + TimeDelta::milliseconds(500))
    );
}

#[test]
fn relative_spans_count_back_from_now() {
    let tz = india();
    let cases = [
        ("90s", TimeDelta::seconds(90)),
        ("30m", TimeDelta::minutes(30)),
        ("2h", TimeDelta::hours(2)),
        ("7d", TimeDelta::days(7)),
        ("2w", TimeDelta::weeks(2)),
        ("2h ago", TimeDelta::hours(2)),
        ("2H AGO", TimeDelta::hours(2)),
        ("2 hours ago", TimeDelta::hours(2)),
        ("1 day", TimeDelta::days(1)),
        ("1h 30m", TimeDelta::minutes(90)),
        ("1h30m ago", TimeDelta::minutes(90)),
        ("0m", TimeDelta::zero()),
        (" 45 mins ", TimeDelta::minutes(45)),
    ];
    for (s, d) in cases {
        assert_eq!(parse(s, &tz), Ok(now() - d), "{s}");
    }
}

#[test]
fn words_for_now_today_and_yesterday() {
    assert_eq!(parse("now", &utc()), Ok(now()));
    assert_eq!(parse("NOW", &pacific()), Ok(now()));
    // 21:00 UTC on the 15th.
    assert_eq!(parse("today", &utc()), Ok(at(2025, 6, 15, 0, 0, 0)));
    assert_eq!(parse("yesterday", &utc()), Ok(at(2025, 6, 14, 0, 0, 0)));
    // 02:30 on the 16th in India: today began at 16th 00:00 IST.
    assert_eq!(parse("Today", &india()), Ok(at(2025, 6, 15, 18, 30, 0)));
    assert_eq!(parse("yesterday", &india()), Ok(at(2025, 6, 14, 18, 30, 0)));
    // 13:00 on the 15th in California.
    assert_eq!(parse("today", &pacific()), Ok(at(2025, 6, 15, 8, 0, 0)));
    assert_eq!(
        parse(" YESTERDAY ", &pacific()),
        Ok(at(2025, 6, 14, 8, 0, 0))
    );
}

#[test]
fn yesterday_across_a_month_boundary() {
    let now = at(2025, 3, 1, 3, 0, 0);
    assert_eq!(
        parse_time("yesterday", now, &utc()),
        Ok(at(2025, 2, 28, 0, 0, 0))
    );
    // Still 28 February in California.
    assert_eq!(
        parse_time("today", now, &pacific()),
        Ok(at(2025, 2, 28, 8, 0, 0))
    );
    assert_eq!(
        parse_time("yesterday", now, &pacific()),
        Ok(at(2025, 2, 27, 8, 0, 0))
    );
}

#[test]
fn rejections_say_what_is_accepted() {
    let msg = parse("x", &utc()).expect_err("not a time");
    assert_eq!(
        msg,
        "'x' is not a time: use 2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d (ago), today or yesterday"
    );
    for bad in [
        "",
        "ago",
        "2",
        "h",
        "2x",
        "2h ahead",
        "-2h",
        "2.5h",
        "2025-13-01",
        "2025-02-30",
        "2025-06-01 25:00",
        "2025/06/01",
        "tomorrow",
        "2025-06-01T12:00:00+99:00",
        "1m h",
    ] {
        assert!(parse(bad, &utc()).is_err(), "{bad:?} should be refused");
    }
    let long = "y".repeat(100);
    let msg = parse(&long, &utc()).expect_err("not a time");
    assert!(
        msg.starts_with(&format!("'{}…' is not a time", "y".repeat(40))),
        "{msg}"
    );
    let msg = parse("\u{1b}[31m", &utc()).expect_err("not a time");
    assert!(msg.starts_with("'?[31m'"), "{msg}");
}

#[test]
fn leap_seconds_become_the_next_second() {
    let next = at(2017, 1, 1, 0, 0, 0);
    for (s, tz) in [
        ("2016-12-31T23:59:60Z", utc()),
        ("2016-12-31T23:59:60.500Z", utc()),
        ("2016-12-31 23:59:60", utc()),
        ("2016-12-31 15:59:60", pacific()),
    ] {
        let t = parse(s, &tz).expect("a leap second is a time");
        assert!(t.timestamp_subsec_nanos() < 1_000_000_000, "{s}");
        assert_eq!(t.timestamp(), next.timestamp(), "{s}");
        let _ = crate::domain::job::to_sdk_time(t);
    }
}

#[test]
fn times_out_of_range_are_errors_not_panics() {
    let msg = parse("99999999999999999999d", &utc()).expect_err("too large");
    assert!(msg.contains("too far"), "{msg}");
    assert!(parse("9223372036854775807w", &utc()).is_err());
    assert!(parse("100000000d", &utc()).is_err());
    // The last and first days chrono can hold: fine where the zone
    // keeps the instant in range, an error (never a panic) where not.
    let last = NaiveDate::MAX.format("%Y-%m-%d").to_string();
    let first = NaiveDate::MIN.format("%Y-%m-%d").to_string();
    assert!(parse(&last, &india()).is_ok(), "{last}");
    assert!(parse(&format!("{last} 23:59"), &india()).is_ok());
    assert!(parse(&format!("{last} 23:59"), &pacific()).is_err());
    assert!(parse(&first, &pacific()).is_ok(), "{first}");
    assert!(parse(&first, &india()).is_err());
    let min = DateTime::<Utc>::MIN_UTC;
    assert!(parse_time("yesterday", min, &utc()).is_err());
    assert!(parse_time("today", min, &utc()).is_ok());
    assert!(parse_time("1s", min, &utc()).is_err());
}

#[test]
fn human_durations() {
    let cases = [
        (TimeDelta::seconds(-5), "0s"),
        (TimeDelta::zero(), "0s"),
        (TimeDelta::seconds(59), "59s"),
        (TimeDelta::seconds(60), "1m"),
        (TimeDelta::seconds(3 * 60 + 59), "3m"),
        (TimeDelta::hours(2), "2h"),
        (TimeDelta::minutes(125), "2h 5m"),
        (TimeDelta::days(1), "1d"),
        (TimeDelta::hours(99), "4d 3h"),
        (TimeDelta::days(400) + TimeDelta::minutes(59), "400d"),
    ];
    for (d, want) in cases {
        assert_eq!(human_duration(d), want, "{d:?}");
    }
}

#[test]
fn measured_durations_keep_their_seconds_under_an_hour() {
    let cases = [
        (TimeDelta::milliseconds(400), "0s"),
        (TimeDelta::seconds(59), "59s"),
        (TimeDelta::milliseconds(59_600), "1m"),
        (TimeDelta::seconds(88), "1m 28s"),
        (TimeDelta::seconds(119), "1m 59s"),
        (TimeDelta::seconds(3599), "59m 59s"),
        (TimeDelta::seconds(3600 + 29), "1h"),
        (TimeDelta::seconds(3600 + 31), "1h 1m"),
        (TimeDelta::seconds(2 * 3600 + 59 * 60 + 45), "3h"),
    ];
    for (d, want) in cases {
        assert_eq!(measured_duration(d), want, "{d:?}");
    }
}

#[test]
fn chips_are_short_and_in_the_zone() {
    assert!(Filter::default().chips(&utc()).is_empty());
    assert!(Filter::default().is_default());
    assert!(!full_filter().is_default());
    assert!(
        !Filter {
            sort: Sort::OldestFirst,
            ..Filter::default()
        }
        .is_default()
    );
    assert_eq!(
        full_filter().chips(&utc()),
        vec![
            "status=Failed",
            "after 2025-06-01 12:00",
            "before 2025-06-02 00:00",
            "name~fraud",
            "account=123456789012",
            "source=…/abc123def456",
            "oldest first",
        ]
    );
    let chips = full_filter().chips(&india());
    assert_eq!(chips[1], "after 2025-06-01 17:30");
    assert_eq!(chips[2], "before 2025-06-02 05:30");
    let chips = full_filter().chips(&pacific());
    assert_eq!(chips[1], "after 2025-06-01 04:00");
    let f = Filter {
        source_model_arn: Some(FOUNDATION_ARN.into()),
        ..Filter::default()
    };
    assert_eq!(f.chips(&utc()), vec!["source=…/amazon.nova-lite-v1:0"]);
}

#[test]
fn next_status_cycles_and_keeps_the_rest() {
    let mut f = Filter {
        status: None,
        ..full_filter()
    };
    let mut seen = vec![];
    for _ in 0..4 {
        f = f.next_status();
        seen.push(f.status.clone());
        assert_eq!(f.sort, Sort::OldestFirst);
        assert_eq!(f.name_contains.as_deref(), Some("fraud"));
    }
    assert_eq!(
        seen,
        vec![
            Some(Status::InProgress),
            Some(Status::Completed),
            Some(Status::Failed),
            None
        ]
    );
    let odd = Filter {
        status: Some(Status::Unknown("Paused".into())),
        ..Filter::default()
    };
    assert_eq!(odd.next_status().status, Some(Status::InProgress));
}

fn any_offset() -> impl Strategy<Value = FixedOffset> {
    (-86_399i32..86_400).prop_map(|s| FixedOffset::east_opt(s).unwrap_or_else(utc))
}

fn any_now() -> impl Strategy<Value = DateTime<Utc>> {
    (-62_000_000_000i64..250_000_000_000)
        .prop_map(|s| DateTime::from_timestamp(s, 0).unwrap_or(DateTime::UNIX_EPOCH))
}

proptest! {
    #[test]
    fn parse_time_never_panics(s in any::<String>(), now in any_now(), tz in any_offset()) {
        if let Ok(t) = parse_time(&s, now, &tz) {
            prop_assert!(t.timestamp_subsec_nanos() < 1_000_000_000);
        }
    }

    #[test]
    fn parse_time_never_panics_on_near_misses(
        s in "[0-9+-]{0,8}[-: tT]{0,2}[0-9]{0,6}[-: tTzZ+]{0,2}[0-9]{0,9}( ?[a-z]{0,5})?",
        tz in any_offset(),
    ) {
        let _ = parse_time(&s, DateTime::<Utc>::MAX_UTC, &tz);
        let _ = parse_time(&s, DateTime::<Utc>::MIN_UTC, &tz);
    }

}
