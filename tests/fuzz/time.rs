//! Times, spans and filters as people type them: `parse_time`, the filter
//! panes' `FilterDraft::validate`, the flags' `FilterArgs::resolve`, region
//! names and the config's time zones.

use crate::support::*;
use chrono::{DateTime, FixedOffset, NaiveTime, SecondsFormat, TimeDelta, Utc};
use copyjobs::cli::filter_args::{FilterArgs, SortArg, flag};
use copyjobs::config::{TimeZone, parse_time_zone};
use copyjobs::domain::filter_draft::FilterDraft;
use copyjobs::domain::job::Status;
use copyjobs::domain::query::{Field, Sort, echo, parse_time};
use copyjobs::domain::region::{self, BEDROCK_REGIONS};
use proptest::prelude::*;

const CUSTOM_ARN: &str = "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abc123def456";
const FOUNDATION_ARN: &str = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";

/// Instants every form can write: years 0001 to 9999 whatever the zone.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (-62_135_000_000i64..253_402_000_000, 0u32..1_000_000_000)
        .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap_or(DateTime::UNIX_EPOCH))
}

/// Each written form of a time, from a real instant.
fn valid_time(t: DateTime<Utc>, tz: FixedOffset, form: usize) -> String {
    let local = t.with_timezone(&tz);
    match form % 9 {
        0 => t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        1 => local.to_rfc3339_opts(SecondsFormat::Secs, false),
        2 => local.format("%Y-%m-%d %H:%M:%S%.f %:z").to_string(),
        3 => local.format("%Y-%m-%d %H:%M").to_string(),
        4 => local.format("%Y-%m-%dT%H:%M:%S").to_string(),
        5 => local.format("%Y-%m-%d").to_string(),
        6 => format!(
            "{}h {}m ago",
            t.timestamp().rem_euclid(100),
            t.timestamp_subsec_nanos() % 60
        ),
        7 => format!("{}d", t.timestamp().rem_euclid(1000)),
        _ => ["now", "today", "Yesterday", " TODAY "][form % 4].to_string(),
    }
}

fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => text(40),
        3 => near((instant(), any_offset(), 0usize..9).prop_map(|(t, tz, f)| valid_time(t, tz, f))),
        1 => "[0-9 ]{0,25}[smhdwk]{0,3}( ago)?",
    ]
}

/// A refusal names the text (quoted, short, printable) and why.
fn check_time_error(e: &str) -> Result<(), TestCaseError> {
    prop_assert!(e.starts_with('\''), "{e}");
    prop_assert!(
        e.contains("' is not a time: use ") || e.ends_with("' is too far from now to be a time"),
        "{e}"
    );
    prop_assert!(no_controls(e), "{e:?}");
    prop_assert!(e.chars().count() < 200, "{e}");
    Ok(())
}

fn any_now() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        4 => Just(now()),
        1 => Just(DateTime::<Utc>::MIN_UTC),
        1 => Just(DateTime::<Utc>::MAX_UTC),
    ]
}

fn status() -> impl Strategy<Value = Option<Status>> {
    prop_oneof![
        Just(None),
        Just(Some(Status::InProgress)),
        Just(Some(Status::Completed)),
        Just(Some(Status::Failed)),
        text(12).prop_map(|s| Some(Status::Unknown(s))),
    ]
}

fn field_text(valid: &'static [&'static str]) -> impl Strategy<Value = String> {
    let valid = one_of(valid);
    prop_oneof![Just(String::new()), valid.clone(), near(valid), text(30)]
}

/// Each typed field empty, valid, nearly valid or anything; any status,
/// unknown ones too.
fn draft() -> impl Strategy<Value = FilterDraft> {
    let texts = (
        time_text(),
        time_text(),
        field_text(&["fraud", "my-copied_model-1", "a", " nova "]),
        field_text(&["123456789012", " 210987654321 "]),
        field_text(&[CUSTOM_ARN, FOUNDATION_ARN]),
    );
    let sort = prop_oneof![Just(Sort::NewestFirst), Just(Sort::OldestFirst)];
    (status(), texts, sort).prop_map(|(status, (after, before, name, account, arn), sort)| {
        FilterDraft {
            status,
            created_after: after,
            created_before: before,
            name,
            source_account: account,
            source_model_arn: arn,
            sort,
        }
    })
}

const ORDER_ERROR: &str = "Created after must be earlier than created before";

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn parse_time_accepts_or_says_why(s in time_text(), now in any_now(), tz in any_offset()) {
        match parse_time(&s, now, &tz) {
            // The SDK's timestamp panics on a leap second's nanoseconds.
            Ok(t) => prop_assert!(t.timestamp_subsec_nanos() < 1_000_000_000),
            Err(e) => check_time_error(&e)?,
        }
    }

    /// What the filter panes, the chips' preview and RFC 3339 write reads
    /// back as the same instant, in the zone it was written in.
    #[test]
    fn written_times_read_back(t in instant(), tz in minute_offset()) {
        let local = t.with_timezone(&tz);
        for written in [
            t.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            local.to_rfc3339_opts(SecondsFormat::Nanos, false),
            local.format("%Y-%m-%d %H:%M:%S%.f %:z").to_string(),
            local.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
            local.format("%Y-%m-%dt%H:%M:%S%.f").to_string(),
        ] {
            prop_assert_eq!(parse_time(&written, now(), &tz), Ok(t), "{}", written);
        }
        let midnight = local.date_naive().and_time(NaiveTime::MIN).and_local_timezone(tz).single();
        let date = local.format("%Y-%m-%d").to_string();
        prop_assert_eq!(parse_time(&date, now(), &tz).ok(), midnight.map(|m| m.to_utc()));
    }

    /// "2h 30m ago" is now minus the sum of its terms, in any case and spacing.
    #[test]
    fn spans_are_sums_back_from_now(
        terms in proptest::collection::vec((0i64..100_000, 0usize..5, any::<bool>()), 1..4),
        ago in any::<bool>(),
        upper in any::<bool>(),
    ) {
        const UNITS: [(&str, &str, i64); 5] = [
            ("s", "seconds", 1),
            ("m", "min", 60),
            ("h", "hours", 3600),
            ("d", "day", 86_400),
            ("w", "wks", 604_800),
        ];
        let mut written = String::new();
        let mut secs = 0;
        for (n, u, long) in &terms {
            let (short, word, unit) = UNITS[*u];
            written.push_str(&format!("{n}{} ", if *long { word } else { short }));
            secs += n * unit;
        }
        if ago {
            written.push_str("ago");
        }
        if upper {
            written = written.to_uppercase();
        }
        prop_assert_eq!(parse_time(&written, now(), &utc()), Ok(now() - TimeDelta::seconds(secs)));
    }

    /// `validate` and the panes' per-field errors say the same, in the
    /// panes' words; what validates round-trips through the panes.
    #[test]
    fn filter_drafts_validate_or_say_why(d in draft(), tz in any_offset()) {
        match d.validate(now(), &tz) {
            Ok(f) => {
                prop_assert!(Field::ALL.iter().all(|&x| d.field_error(x, now(), &tz).is_none()));
                prop_assert!(!matches!(f.status, Some(Status::Unknown(_))));
                let again = FilterDraft::from_filter(&f, &tz).validate(now(), &tz);
                prop_assert_eq!(again, Ok(f));
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for (field, message) in &errors {
                    let ordered = *field == Field::CreatedAfter && message == ORDER_ERROR;
                    let labelled = message.starts_with(&format!("{}: ", field.label()));
                    prop_assert!(ordered || labelled, "{message}");
                    prop_assert!(no_controls(message), "{message:?}");
                }
                let by_field: Vec<(Field, String)> = Field::ALL
                    .into_iter()
                    .filter_map(|f| d.field_error(f, now(), &tz).map(|e| (f, e)))
                    .collect();
                let mut sorted = errors.clone();
                sorted.sort_by_key(|(f, _)| Field::ALL.iter().position(|x| x == f));
                prop_assert_eq!(sorted, by_field);
            }
        }
    }

    /// The flags give the panes' answers, each problem on its own line named
    /// by its flag.
    #[test]
    fn filter_flags_resolve_or_say_why(
        status in proptest::option::of(prop_oneof![
            near(one_of(&["any", "In-Progress", "IN_PROGRESS", "failed", "Completed"])),
            text(16),
        ]),
        d in draft(),
        sort in proptest::option::of(prop_oneof![Just(SortArg::Newest), Just(SortArg::Oldest)]),
    ) {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let args = FilterArgs {
            status,
            created_after: some(&d.created_after),
            created_before: some(&d.created_before),
            name: some(&d.name),
            source_account: some(&d.source_account),
            source_model_arn: some(&d.source_model_arn),
            sort,
            named: Vec::new(),
        };
        match args.resolve(now(), &utc()) {
            Ok(f) => {
                let draft = args.to_draft().map_err(TestCaseError::fail)?;
                prop_assert_eq!(draft.validate(now(), &utc()), Ok(f));
            }
            Err(message) => {
                prop_assert!(!message.is_empty());
                for line in message.lines() {
                    prop_assert!(
                        Field::ALL.iter().any(|&f| line.starts_with(&format!("{}: ", flag(f)))),
                        "{line}"
                    );
                }
                prop_assert!(no_controls(&message.replace('\n', " ")), "{message:?}");
            }
        }
    }

    #[test]
    fn region_names_are_checked(s in prop_oneof![
        text(30),
        near(one_of(BEDROCK_REGIONS)),
    ]) {
        match region::parse(&s) {
            Ok(r) => {
                prop_assert_eq!(r.as_str(), s.trim());
                prop_assert_eq!(region::parse(&r), Ok(r.clone()));
                let (rest, number) = r.rsplit_once('-').unwrap_or_default();
                prop_assert!(!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(rest.split('-').count() >= 2);
                let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
                prop_assert!(rest.split('-').all(word), "{r}");
            }
            Err(e) => {
                prop_assert_eq!(&e, &format!("'{}' is not a region name like us-east-1", echo(s.trim())));
                prop_assert!(no_controls(&e), "{e:?}");
            }
        }
    }

    #[test]
    fn time_zones_are_local_utc_or_an_offset(s in prop_oneof![
        text(12),
        near(one_of(&["local", "utc", "+02:00", "-08:00", "+05:30", "Z"])),
    ]) {
        match parse_time_zone(&s) {
            Ok(TimeZone::Local) => prop_assert_eq!(s.trim().to_ascii_lowercase(), "local"),
            Ok(TimeZone::Fixed(o)) => {
                let written = DateTime::UNIX_EPOCH.with_timezone(&o).format("%::z").to_string();
                prop_assert_eq!(parse_time_zone(&written), Ok(TimeZone::Fixed(o)));
            }
            Err(e) => {
                prop_assert!(e.contains("is not a time zone"), "{e}");
                prop_assert!(no_controls(&e), "{e:?}");
            }
        }
    }
}

/// Found by `region_names_are_checked`, `time_zones_are_local_utc_or_an_offset`
/// and `filter_flags_resolve_or_say_why`: a refusal quoted the input as it
/// was, newlines and escapes included, into a one-line pane or a terminal.
#[test]
fn refusals_quote_printably_regression() {
    let e = region::parse("0\n0").expect_err("not a region");
    assert_eq!(e, "'0?0' is not a region name like us-east-1");
    let e = parse_time_zone("\u{1b}[2J").expect_err("not a zone");
    assert!(e.starts_with("`?[2J` is not a time zone"), "{e}");
    let flags = FilterArgs {
        status: Some("done\u{1b}]0;x\u{7}".into()),
        ..FilterArgs::default()
    };
    assert_eq!(
        flags.resolve(now(), &utc()),
        Err(
            "--status: 'done?]0;x?' is not a status: use any, inprogress, completed or failed"
                .into()
        )
    );
}
