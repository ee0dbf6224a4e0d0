//! The filter panes' text while the user edits: nothing here is applied
//! until it reads as a filter, so a half-typed time never reaches the
//! service. It is read through [`FilterText`], as the flags, the config file
//! and views are, and its problems are said in the panes' words.

use super::filter_text::{FilterText, Problem};
use super::job::Status;
use super::query::{Field, Filter, Sort, echo, relative_words, step_status, time_value};
use chrono::{DateTime, FixedOffset, Utc};

/// The panes' text, a field each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilterDraft {
    pub status: Option<Status>,
    pub created_after: String,
    pub created_before: String,
    pub name: String,
    pub source_account: String,
    pub source_model_arn: String,
    pub sort: Sort,
}

/// Local time in the draft's zone, to the nanosecond when there is one, so
/// that `parse_time` in the same zone reads back the very same instant.
const DRAFT_TIME: &str = "%Y-%m-%d %H:%M:%S%.f";

const STATUS_CHOICES: &str = "Any, InProgress, Completed or Failed";
const ORDER_ERROR: &str = "Created after must be earlier than created before";

impl FilterDraft {
    /// Opens the panes on what is applied now; times are written in `tz`,
    /// the zone the same panes will read them back in.
    pub fn from_filter(f: &Filter, tz: &FixedOffset) -> FilterDraft {
        let time = |t: Option<DateTime<Utc>>| {
            t.map(|t| t.with_timezone(tz).format(DRAFT_TIME).to_string())
                .unwrap_or_default()
        };
        FilterDraft {
            status: f.status.clone(),
            created_after: time(f.created_after),
            created_before: time(f.created_before),
            name: f.name_contains.clone().unwrap_or_default(),
            source_account: f.source_account.clone().unwrap_or_default(),
            source_model_arn: f.source_model_arn.clone().unwrap_or_default(),
            sort: f.sort,
        }
    }

    pub fn text(&self, field: Field) -> String {
        match field {
            Field::Status => self
                .status
                .as_ref()
                .map_or("Any", Status::as_str)
                .to_string(),
            Field::Sort => self.sort.label().to_string(),
            Field::CreatedAfter => self.created_after.clone(),
            Field::CreatedBefore => self.created_before.clone(),
            Field::Name => self.name.clone(),
            Field::SourceAccount => self.source_account.clone(),
            Field::SourceModelArn => self.source_model_arn.clone(),
        }
    }

    /// `None` for the fields that have a fixed set of values: those cycle
    /// rather than being typed, so they can never hold a typo.
    pub fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        match field {
            Field::Status | Field::Sort => None,
            Field::CreatedAfter => Some(&mut self.created_after),
            Field::CreatedBefore => Some(&mut self.created_before),
            Field::Name => Some(&mut self.name),
            Field::SourceAccount => Some(&mut self.source_account),
            Field::SourceModelArn => Some(&mut self.source_model_arn),
        }
    }

    pub fn cycle(&mut self, field: Field, forward: bool) {
        match field {
            Field::Status => self.status = step_status(&self.status, forward),
            Field::Sort => self.sort = self.sort.toggled(),
            _ => {}
        }
    }

    /// The panes' text as the flags, the config and views write a filter:
    /// the one text every layer reads through [`FilterText::resolve`].
    pub fn to_text(&self) -> FilterText {
        let text = |t: &String| Some(t.clone());
        FilterText {
            status: Some(
                self.status
                    .as_ref()
                    .map_or("any", Status::as_str)
                    .to_string(),
            ),
            created_after: text(&self.created_after),
            created_before: text(&self.created_before),
            name: text(&self.name),
            source_account: text(&self.source_account),
            source_model_arn: text(&self.source_model_arn),
            sort: Some(
                match self.sort {
                    Sort::NewestFirst => "newest",
                    Sort::OldestFirst => "oldest",
                }
                .to_string(),
            ),
        }
    }

    /// Every problem, in the panes' words: the field's label, then what is
    /// wrong; the two times out of order said on "Created after".
    fn problems(
        &self,
        now: DateTime<Utc>,
        tz: &FixedOffset,
    ) -> Result<Filter, Vec<(Field, String)>> {
        // A status the service does not filter by cannot come from the
        // panes (they cycle through the known ones), but a view could hold
        // one: said in the panes' words, the rest read as usual.
        let status = check_status(&self.status);
        let mut text = self.to_text();
        if status.is_err() {
            text.status = None;
        }
        let read = text.resolve(now, tz);
        let mut problems: Vec<(Field, String)> = status
            .err()
            .map(|e| (Field::Status, e))
            .into_iter()
            .collect();
        match read {
            Ok(filter) if problems.is_empty() => return Ok(filter),
            Ok(_) => {}
            Err(found) => problems.extend(found.iter().map(|p| match p {
                Problem::Field(field, what) => (*field, format!("{}: {what}", field.label())),
                Problem::Order { .. } => (Field::CreatedAfter, ORDER_ERROR.to_string()),
            })),
        }
        Err(problems)
    }

    /// Why this field cannot be applied, worded for the user, or None when
    /// fine. Empty text means no filter, which is always fine. The ordering of
    /// the two times is reported on "Created after", so the panes show it
    /// while the user types, not only on apply.
    pub fn field_error(
        &self,
        field: Field,
        now: DateTime<Utc>,
        tz: &FixedOffset,
    ) -> Option<String> {
        self.problems(now, tz)
            .err()?
            .into_iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e)
    }

    /// For time fields with valid non-empty text: the absolute instant it
    /// means, rendered in tz like "2025-06-01 10:00:00 +02:00 (2 hours ago)",
    /// because "2h" or "yesterday" is easy to type and easy to misjudge.
    pub fn preview(&self, field: Field, now: DateTime<Utc>, tz: &FixedOffset) -> Option<String> {
        let text = match field {
            Field::CreatedAfter => &self.created_after,
            Field::CreatedBefore => &self.created_before,
            _ => return None,
        };
        let t = check_time(field, text, now, tz).ok().flatten()?;
        Some(format!(
            "{} ({})",
            t.with_timezone(tz).format("%Y-%m-%d %H:%M:%S %:z"),
            relative_words(t, now)
        ))
    }

    /// All fields valid (and after < before when both set) -> the Filter;
    /// else every problem at once, so the user fixes them in one pass.
    pub fn validate(
        &self,
        now: DateTime<Utc>,
        tz: &FixedOffset,
    ) -> Result<Filter, Vec<(Field, String)>> {
        self.problems(now, tz)
    }
}

fn check_status(status: &Option<Status>) -> Result<Option<Status>, String> {
    match status {
        Some(Status::Unknown(s)) => Err(format!(
            "{}: '{}' is not a status the service filters by: use {STATUS_CHOICES}",
            Field::Status.label(),
            echo(s)
        )),
        other => Ok(other.clone()),
    }
}

fn check_time(
    field: Field,
    text: &str,
    now: DateTime<Utc>,
    tz: &FixedOffset,
) -> Result<Option<DateTime<Utc>>, String> {
    labelled(field, time_value(text, now, tz))
}

/// A pane's message: the field's label, then what is wrong with it.
fn labelled<T>(field: Field, r: Result<T, String>) -> Result<T, String> {
    r.map_err(|e| format!("{}: {e}", field.label()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::query::fixtures::*;
    use proptest::prelude::*;

    #[test]
    fn draft_cycles_status_and_sort_only() {
        let mut d = FilterDraft::default();
        assert_eq!(d.text(Field::Status), "Any");
        let forward: Vec<String> = (0..4)
            .map(|_| {
                d.cycle(Field::Status, true);
                d.text(Field::Status)
            })
            .collect();
        assert_eq!(forward, ["InProgress", "Completed", "Failed", "Any"]);
        let backward: Vec<String> = (0..4)
            .map(|_| {
                d.cycle(Field::Status, false);
                d.text(Field::Status)
            })
            .collect();
        assert_eq!(backward, ["Failed", "Completed", "InProgress", "Any"]);
        assert_eq!(d.text(Field::Sort), "newest first");
        d.cycle(Field::Sort, false);
        assert_eq!(d.text(Field::Sort), "oldest first");
        d.cycle(Field::Sort, true);
        assert_eq!(d.sort, Sort::NewestFirst);
        let before = d.clone();
        for f in [
            Field::CreatedAfter,
            Field::CreatedBefore,
            Field::Name,
            Field::SourceAccount,
            Field::SourceModelArn,
        ] {
            d.cycle(f, true);
        }
        assert_eq!(d, before);
    }

    #[test]
    fn text_and_text_mut_reach_the_typed_fields() {
        let mut d = FilterDraft::default();
        assert!(d.text_mut(Field::Status).is_none());
        assert!(d.text_mut(Field::Sort).is_none());
        for (i, f) in Field::ALL.into_iter().enumerate() {
            if let Some(t) = d.text_mut(f) {
                t.push_str(&format!("v{i}"));
                assert_eq!(d.text(f), format!("v{i}"));
            }
        }
        assert_eq!(d.name, "v3");
        assert_eq!(d.source_model_arn, "v5");
        let labels: Vec<&str> = Field::ALL.iter().map(|f| f.label()).collect();
        assert_eq!(
            labels,
            [
                "Status",
                "Created after",
                "Created before",
                "Name contains",
                "Source account",
                "Source model ARN",
                "Sort"
            ]
        );
    }

    #[test]
    fn draft_round_trips_through_validate() {
        for tz in [utc(), india(), pacific()] {
            let f = full_filter();
            let d = FilterDraft::from_filter(&f, &tz);
            assert_eq!(d.validate(now(), &tz), Ok(f));
            let empty = FilterDraft::from_filter(&Filter::default(), &tz);
            assert_eq!(empty, FilterDraft::default());
            assert_eq!(empty.validate(now(), &tz), Ok(Filter::default()));
        }
        let d = FilterDraft::from_filter(&full_filter(), &india());
        assert_eq!(d.created_after, "2025-06-01 17:30:00");
        assert_eq!(d.created_before, "2025-06-02 05:30:00.123456789");
    }

    #[test]
    fn typed_text_is_trimmed_and_blank_means_no_filter() {
        let d = FilterDraft {
            created_after: "   ".into(),
            created_before: " \t".into(),
            name: "  fraud ".into(),
            source_account: " 123456789012 ".into(),
            source_model_arn: format!(" {FOUNDATION_ARN}\n"),
            ..FilterDraft::default()
        };
        let f = d.validate(now(), &utc()).expect("valid");
        assert_eq!(f.created_after, None);
        assert_eq!(f.created_before, None);
        assert_eq!(f.name_contains.as_deref(), Some("fraud"));
        assert_eq!(f.source_account.as_deref(), Some("123456789012"));
        assert_eq!(f.source_model_arn.as_deref(), Some(FOUNDATION_ARN));
        let blank = FilterDraft {
            name: "  ".into(),
            source_account: " ".into(),
            ..FilterDraft::default()
        };
        assert_eq!(blank.validate(now(), &utc()), Ok(Filter::default()));
    }

    #[test]
    fn every_field_error_is_worded_for_the_pane() {
        let tz = utc();
        let err = |d: FilterDraft, f: Field| d.field_error(f, now(), &tz);

        let d = FilterDraft {
            status: Some(Status::Unknown("Paused".into())),
            ..FilterDraft::default()
        };
        assert_eq!(
            err(d, Field::Status).as_deref(),
            Some(
                "Status: 'Paused' is not a status the service filters by: use Any, InProgress, Completed or Failed"
            )
        );

        let d = FilterDraft {
            created_after: "soon".into(),
            ..FilterDraft::default()
        };
        assert_eq!(
            err(d, Field::CreatedAfter).as_deref(),
            Some(
                "Created after: 'soon' is not a time: use 2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d (ago), today or yesterday"
            )
        );
        let d = FilterDraft {
            created_before: "later".into(),
            ..FilterDraft::default()
        };
        assert!(
            err(d, Field::CreatedBefore)
                .is_some_and(|e| e.starts_with("Created before: 'later' is not a time"))
        );

        let name_msg = "Name contains: up to 63 letters, digits, '-' or '_', no two '-'/'_' in a row (pattern ([0-9a-zA-Z][_-]?){1,63})";
        for bad in [
            "bad--name",
            "-lead",
            "has space",
            "dot.ted",
            &"a".repeat(64),
            "ünï",
        ] {
            let d = FilterDraft {
                name: bad.into(),
                ..FilterDraft::default()
            };
            assert_eq!(err(d, Field::Name).as_deref(), Some(name_msg), "{bad}");
        }
        for good in ["fraud", "a", "my-copied_model-1", "trail_", &"a".repeat(63)] {
            let d = FilterDraft {
                name: good.into(),
                ..FilterDraft::default()
            };
            assert_eq!(err(d, Field::Name), None, "{good}");
        }

        for bad in [
            "12345678901",
            "1234567890123",
            "12345678901a",
            "１２３４５６７８９０１２",
        ] {
            let d = FilterDraft {
                source_account: bad.into(),
                ..FilterDraft::default()
            };
            assert_eq!(
                err(d, Field::SourceAccount).as_deref(),
                Some("Source account: 12 digits"),
                "{bad}"
            );
        }

        let d = FilterDraft {
            created_after: "2025-06-02".into(),
            created_before: "2025-06-01".into(),
            ..FilterDraft::default()
        };
        assert_eq!(
            err(d.clone(), Field::CreatedAfter).as_deref(),
            Some("Created after must be earlier than created before")
        );
        assert_eq!(err(d, Field::CreatedBefore), None);
        let same = FilterDraft {
            created_after: "today".into(),
            created_before: "today".into(),
            ..FilterDraft::default()
        };
        assert!(err(same, Field::CreatedAfter).is_some());
        assert_eq!(err(FilterDraft::default(), Field::Sort), None);
    }

    #[test]
    fn a_source_model_arn_error_is_worded_for_the_pane() {
        let tz = utc();
        let err = |d: FilterDraft, f: Field| d.field_error(f, now(), &tz);
        let arn_msg = "Source model ARN: expected arn:aws:bedrock:REGION:ACCOUNT:custom-model/… or arn:aws:bedrock:REGION::foundation-model/… (ModelArn, 20–1011 characters)";
        let too_long = format!(
            "arn:aws:bedrock:us-east-1::foundation-model/amazon.{}",
            "a".repeat(1000)
        );
        for bad in [
            "arn:aws:bedrock",
            "arn:aws:bedrock:us-east-1:123456789012:custom-model/x/abc",
            "arn:aws:bedrock:us-east-1:123456789012:model-copy-job/a1b2c3d4e5f6",
            "amazon.nova-lite-v1:0",
            too_long.as_str(),
        ] {
            let d = FilterDraft {
                source_model_arn: bad.into(),
                ..FilterDraft::default()
            };
            assert_eq!(
                err(d, Field::SourceModelArn).as_deref(),
                Some(arn_msg),
                "{bad}"
            );
        }
        for good in [
            CUSTOM_ARN,
            FOUNDATION_ARN,
            "arn:aws:bedrock:eu-central-1:123456789012:custom-model/imported/zyxwvutsrq98",
        ] {
            let d = FilterDraft {
                source_model_arn: good.into(),
                ..FilterDraft::default()
            };
            assert_eq!(err(d, Field::SourceModelArn), None, "{good}");
        }
    }

    #[test]
    fn validate_reports_every_problem() {
        let d = FilterDraft {
            status: Some(Status::Unknown("Paused".into())),
            created_after: "nope".into(),
            created_before: "2025-06-01".into(),
            name: "a b".into(),
            source_account: "1".into(),
            source_model_arn: "arn".into(),
            sort: Sort::OldestFirst,
        };
        let errs = d.validate(now(), &utc()).expect_err("all bad");
        let fields: Vec<Field> = errs.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                Field::Status,
                Field::CreatedAfter,
                Field::Name,
                Field::SourceAccount,
                Field::SourceModelArn
            ]
        );
        for (f, msg) in &errs {
            assert_eq!(d.field_error(*f, now(), &utc()).as_ref(), Some(msg));
        }
        let d = FilterDraft {
            created_after: "1h".into(),
            created_before: "2h".into(),
            ..FilterDraft::default()
        };
        assert_eq!(
            d.validate(now(), &utc()),
            Err(vec![(
                Field::CreatedAfter,
                "Created after must be earlier than created before".to_string()
            )])
        );
    }

    #[test]
    fn a_future_created_after_is_allowed() {
        let d = FilterDraft {
            created_after: "2030-01-01".into(),
            ..FilterDraft::default()
        };
        let f = d.validate(now(), &utc()).expect("future is fine");
        assert_eq!(f.created_after, Some(at(2030, 1, 1, 0, 0, 0)));
        assert_eq!(d.field_error(Field::CreatedAfter, now(), &utc()), None);
    }

    #[test]
    fn previews_show_the_instant_in_the_zone() {
        let d = FilterDraft {
            created_after: "2h".into(),
            created_before: "2025-06-16 10:00".into(),
            name: "x".into(),
            ..FilterDraft::default()
        };
        let tz = FixedOffset::east_opt(2 * 3600).expect("valid offset");
        assert_eq!(
            d.preview(Field::CreatedAfter, now(), &tz).as_deref(),
            Some("2025-06-15 21:00:00 +02:00 (2 hours ago)")
        );
        assert_eq!(
            d.preview(Field::CreatedBefore, now(), &tz).as_deref(),
            Some("2025-06-16 10:00:00 +02:00 (in 11 hours)")
        );
        assert_eq!(
            d.preview(Field::CreatedAfter, now(), &india()).as_deref(),
            Some("2025-06-16 00:30:00 +05:30 (2 hours ago)")
        );
        assert_eq!(
            d.preview(Field::CreatedAfter, now(), &pacific()).as_deref(),
            Some("2025-06-15 11:00:00 -08:00 (2 hours ago)")
        );
        assert_eq!(d.preview(Field::Name, now(), &tz), None);
        let bad = FilterDraft {
            created_after: "nope".into(),
            ..FilterDraft::default()
        };
        assert_eq!(bad.preview(Field::CreatedAfter, now(), &tz), None);
        assert_eq!(
            FilterDraft::default().preview(Field::CreatedBefore, now(), &tz),
            None
        );
        let now_d = FilterDraft {
            created_after: "now".into(),
            created_before: "1d".into(),
            ..FilterDraft::default()
        };
        assert!(
            now_d
                .preview(Field::CreatedAfter, now(), &utc())
                .is_some_and(|p| p.ends_with("(now)"))
        );
        assert!(
            now_d
                .preview(Field::CreatedBefore, now(), &utc())
                .is_some_and(|p| p.ends_with("(1 day ago)"))
        );
    }

    fn time_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("today".to_string()),
            Just("yesterday".to_string()),
            "[0-9]{1,3} ?[smhdw]( ago)?",
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9])?",
            ".{0,12}",
        ]
    }

    fn any_draft() -> impl Strategy<Value = FilterDraft> {
        (
            prop_oneof![
                Just(None),
                Just(Some(Status::InProgress)),
                Just(Some(Status::Failed)),
                ".{0,8}".prop_map(|s| Some(Status::Unknown(s))),
            ],
            time_text(),
            time_text(),
            prop_oneof!["[a-zA-Z0-9_ -]{0,70}", ".{0,10}"],
            prop_oneof!["[0-9]{11,13}", " ?[0-9]{12} ?", ".{0,5}"],
            prop_oneof![
                Just(CUSTOM_ARN.to_string()),
                Just(String::new()),
                "arn:aws:bedrock:.{0,30}"
            ],
            any::<bool>(),
        )
            .prop_map(
                |(status, after, before, name, account, arn, oldest)| FilterDraft {
                    status,
                    created_after: after,
                    created_before: before,
                    name,
                    source_account: account,
                    source_model_arn: arn,
                    sort: if oldest {
                        Sort::OldestFirst
                    } else {
                        Sort::NewestFirst
                    },
                },
            )
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
        fn validate_agrees_with_field_errors(d in any_draft(), now in any_now(), tz in any_offset()) {
            let errors: Vec<(Field, String)> = Field::ALL
                .into_iter()
                .filter_map(|f| d.field_error(f, now, &tz).map(|e| (f, e)))
                .collect();
            match d.validate(now, &tz) {
                Ok(f) => {
                    prop_assert!(errors.is_empty(), "{errors:?}");
                    prop_assert!(!matches!(f.status, Some(Status::Unknown(_))));
                }
                Err(e) => {
                    prop_assert!(!e.is_empty());
                    prop_assert!(!errors.is_empty());
                }
            }
        }

        #[test]
        fn draft_round_trip_keeps_the_instant(
            secs in -62_000_000_000i64..250_000_000_000,
            nanos in 0u32..1_000_000_000,
            tz in any_offset(),
        ) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap_or(DateTime::UNIX_EPOCH);
            let f = Filter { created_after: Some(t), ..Filter::default() };
            let d = FilterDraft::from_filter(&f, &tz);
            prop_assert_eq!(d.validate(now(), &tz), Ok(f));
        }
    }
}
