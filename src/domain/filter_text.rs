//! A filter as a person wrote it: the text of each field, times kept as
//! typed (so `7d` stays "the last seven days"), and one [`FilterText::resolve`]
//! that gives the [`Filter`] or every problem, each tied to its field.
//!
//! The problems say what is wrong, never where it was written: the command
//! line names a field `--created-after`, the config file `filter.since` at
//! its line, each in its own words, so no layer rewrites another's text.

use super::job::Status;
use super::query::{self, Field, Filter, Sort, echo};
use chrono::{DateTime, FixedOffset, Utc};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterText {
    pub status: Option<String>,
    pub created_after: Option<String>,
    pub created_before: Option<String>,
    pub name: Option<String>,
    pub source_account: Option<String>,
    pub source_model_arn: Option<String>,
    pub sort: Option<String>,
}

/// One thing wrong with a [`FilterText`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A field's text cannot be read: what is wrong with it, without its name.
    Field(Field, String),
    /// Both times read, but the first is not earlier than the second.
    Order {
        after: DateTime<Utc>,
        before: DateTime<Utc>,
    },
}

impl Problem {
    /// The field a message about this problem is told at: the order of the
    /// two times at the first one, as the filter panes do.
    pub fn field(&self) -> Field {
        match self {
            Problem::Field(f, _) => *f,
            Problem::Order { .. } => Field::CreatedAfter,
        }
    }

    /// The problem in words, each field named by `name` (a flag, a config
    /// key) and times written in `tz`.
    pub fn describe(
        &self,
        text: &FilterText,
        tz: &FixedOffset,
        name: impl Fn(Field) -> String,
    ) -> String {
        match self {
            Problem::Field(field, what) => format!("{}: {what}", name(*field)),
            Problem::Order { after, before } => {
                let at = |field: Field, t: &DateTime<Utc>| {
                    format!(
                        "'{}' ({})",
                        echo(text.get(field).unwrap_or("").trim()),
                        t.with_timezone(tz).format("%Y-%m-%d %H:%M %:z")
                    )
                };
                format!(
                    "{}: {} must be earlier than {} {}",
                    name(Field::CreatedAfter),
                    at(Field::CreatedAfter, after),
                    name(Field::CreatedBefore),
                    at(Field::CreatedBefore, before)
                )
            }
        }
    }
}

/// `None` is "any". Separators and case are ignored because people write
/// statuses the way they read them ("in progress", "IN_PROGRESS").
pub fn parse_status(text: &str) -> Result<Option<Status>, String> {
    let key: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    match key.as_str() {
        "" | "any" | "all" => Ok(None),
        "inprogress" => Ok(Some(Status::InProgress)),
        "completed" => Ok(Some(Status::Completed)),
        "failed" => Ok(Some(Status::Failed)),
        _ => Err(format!(
            "'{}' is not a status: use any, inprogress, completed or failed",
            echo(text.trim())
        )),
    }
}

/// `newest` or `oldest` (and the service's words for them); blank is newest.
pub fn parse_sort(text: &str) -> Result<Sort, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "newest" | "desc" | "descending" => Ok(Sort::NewestFirst),
        "oldest" | "asc" | "ascending" => Ok(Sort::OldestFirst),
        _ => Err(format!(
            "'{}' is not an order: use newest or oldest",
            echo(text.trim())
        )),
    }
}

/// One field's value, or its problem kept aside.
fn keep<T>(problems: &mut Vec<Problem>, field: Field, r: Result<T, String>) -> Option<T> {
    r.map_err(|what| problems.push(Problem::Field(field, what)))
        .ok()
}

impl FilterText {
    /// What is applied, with its times as they were typed (`7d`), so it
    /// means the same thing the next time it is read.
    pub fn of(filter: &Filter, typed_times: &(String, String)) -> FilterText {
        FilterText {
            status: Some(
                filter
                    .status
                    .as_ref()
                    .map_or("any", Status::as_str)
                    .to_string(),
            ),
            created_after: Some(typed_times.0.clone()),
            created_before: Some(typed_times.1.clone()),
            name: Some(filter.name_contains.clone().unwrap_or_default()),
            source_account: Some(filter.source_account.clone().unwrap_or_default()),
            source_model_arn: Some(filter.source_model_arn.clone().unwrap_or_default()),
            sort: Some(
                match filter.sort {
                    Sort::NewestFirst => "newest",
                    Sort::OldestFirst => "oldest",
                }
                .to_string(),
            ),
        }
    }

    pub fn get_mut(&mut self, field: Field) -> &mut Option<String> {
        match field {
            Field::Status => &mut self.status,
            Field::CreatedAfter => &mut self.created_after,
            Field::CreatedBefore => &mut self.created_before,
            Field::Name => &mut self.name,
            Field::SourceAccount => &mut self.source_account,
            Field::SourceModelArn => &mut self.source_model_arn,
            Field::Sort => &mut self.sort,
        }
    }

    /// Each field this text leaves out takes `lower`'s; returns the fields
    /// that did (for naming them where they were written).
    pub fn fill_missing(&mut self, lower: &FilterText) -> Vec<Field> {
        let mut filled = Vec::new();
        for field in Field::ALL {
            let slot = self.get_mut(field);
            if slot.is_none()
                && let Some(v) = lower.get(field)
            {
                *slot = Some(v.to_string());
                filled.push(field);
            }
        }
        filled
    }

    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::Status => self.status.as_deref(),
            Field::CreatedAfter => self.created_after.as_deref(),
            Field::CreatedBefore => self.created_before.as_deref(),
            Field::Name => self.name.as_deref(),
            Field::SourceAccount => self.source_account.as_deref(),
            Field::SourceModelArn => self.source_model_arn.as_deref(),
            Field::Sort => self.sort.as_deref(),
        }
    }

    /// Every field read as the service would take it; blank text is no
    /// filter. All problems at once, in the panes' order of fields, so one
    /// pass fixes them all.
    pub fn resolve(&self, now: DateTime<Utc>, tz: &FixedOffset) -> Result<Filter, Vec<Problem>> {
        let mut problems = Vec::new();
        let p = &mut problems;
        let text = |field| self.get(field).unwrap_or("");
        let status = keep(p, Field::Status, parse_status(text(Field::Status)));
        let after = keep(
            p,
            Field::CreatedAfter,
            query::time_value(text(Field::CreatedAfter), now, tz),
        );
        let before = keep(
            p,
            Field::CreatedBefore,
            query::time_value(text(Field::CreatedBefore), now, tz),
        );
        let name = keep(p, Field::Name, query::name_value(text(Field::Name)));
        let account = keep(
            p,
            Field::SourceAccount,
            query::account_value(text(Field::SourceAccount)),
        );
        let arn = keep(
            p,
            Field::SourceModelArn,
            query::model_arn_value(text(Field::SourceModelArn)),
        );
        let sort = keep(p, Field::Sort, parse_sort(text(Field::Sort)));
        if let (Some(Some(after)), Some(Some(before))) = (after, before)
            && after >= before
        {
            problems.push(Problem::Order { after, before });
        }
        match (status, after, before, name, account, arn, sort) {
            (
                Some(status),
                Some(created_after),
                Some(created_before),
                Some(name_contains),
                Some(source_account),
                Some(source_model_arn),
                Some(sort),
            ) if problems.is_empty() => Ok(Filter {
                status,
                created_after,
                created_before,
                name_contains,
                source_account,
                source_model_arn,
                sort,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    #[test]
    fn every_problem_is_told_by_field_and_named_by_the_caller() {
        let text = FilterText {
            status: Some("done".into()),
            created_after: Some("soon".into()),
            name: Some("a b".into()),
            sort: Some("sideways".into()),
            ..FilterText::default()
        };
        let problems = text.resolve(now(), &utc()).unwrap_err();
        let said: Vec<String> = problems
            .iter()
            .map(|p| p.describe(&text, &utc(), |f| format!("<{}>", f.label())))
            .collect();
        assert_eq!(
            said,
            [
                "<Status>: 'done' is not a status: use any, inprogress, completed or failed",
                "<Created after>: 'soon' is not a time: use 2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d (ago), today or yesterday",
                "<Name contains>: up to 63 letters, digits, '-' or '_', no two '-'/'_' in a row (pattern ([0-9a-zA-Z][_-]?){1,63})",
                "<Sort>: 'sideways' is not an order: use newest or oldest",
            ]
        );
    }

    #[test]
    fn times_in_the_wrong_order_name_both_with_what_they_mean() {
        let text = FilterText {
            created_after: Some("1d".into()),
            created_before: Some(" 7d".into()),
            ..FilterText::default()
        };
        let problems = text.resolve(now(), &utc()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field(), Field::CreatedAfter);
        assert_eq!(
            problems[0].describe(&text, &utc(), |f| match f {
                Field::CreatedAfter => "since".into(),
                _ => "until".into(),
            }),
            "since: '1d' (2025-05-31 12:00 +00:00) must be earlier than until '7d' (2025-05-25 12:00 +00:00)"
        );
    }

    #[test]
    fn blank_text_is_no_filter_and_words_are_read_loosely() {
        let blank = FilterText {
            status: Some(" ".into()),
            name: Some(String::new()),
            ..FilterText::default()
        };
        assert!(blank.resolve(now(), &utc()).unwrap().is_default());
        let text = FilterText {
            status: Some("In Progress".into()),
            sort: Some("ASC".into()),
            ..FilterText::default()
        };
        let f = text.resolve(now(), &utc()).unwrap();
        assert_eq!(f.status, Some(Status::InProgress));
        assert_eq!(f.sort, Sort::OldestFirst);
    }
}
