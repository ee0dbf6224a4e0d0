//! The filter flags every verb shares.
//!
//! Flags are read as a [`FilterText`], the same text the config file and
//! remembered views give, and checked by the same rules as the dashboard's
//! filter panes; a problem is told with the flag's name (or, for a field
//! the config filled in, the config key's), never another layer's words.

use crate::domain::filter_draft::FilterDraft;
use crate::domain::filter_text::{FilterText, parse_status};
use crate::domain::query::{Field, Filter, Sort};
use chrono::{DateTime, FixedOffset, Utc};

#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// any, inprogress, completed or failed (case-insensitive; "in-progress" too)
    #[arg(long, value_name = "STATUS", add = clap_complete::ArgValueCandidates::new(crate::cli::candidates::statuses))]
    pub status: Option<String>,
    /// Only jobs created after TIME: 2025-06-01, "2025-06-01 14:30" (local),
    /// RFC 3339, 30m / 2h / 7d (ago), today or yesterday
    #[arg(long = "created-after", visible_alias = "since", value_name = "TIME")]
    pub created_after: Option<String>,
    /// Only jobs created before TIME (same forms as --created-after)
    #[arg(long = "created-before", visible_alias = "until", value_name = "TIME")]
    pub created_before: Option<String>,
    /// Only jobs whose target model name contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub name: Option<String>,
    /// Only jobs copying from this 12-digit account
    #[arg(long = "source-account", value_name = "ACCOUNT")]
    pub source_account: Option<String>,
    /// Only jobs copying this source model
    #[arg(long = "source-model-arn", value_name = "ARN")]
    pub source_model_arn: Option<String>,
    /// Order by creation time (default: newest first)
    #[arg(long, value_enum)]
    pub sort: Option<SortArg>,
    /// How messages name the fields filled in from elsewhere (the config
    /// file, a view) rather than typed as flags.
    #[arg(skip)]
    pub named: Vec<(Field, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SortArg {
    /// Newest first
    #[default]
    #[value(alias = "desc", alias = "descending")]
    Newest,
    /// Oldest first
    #[value(alias = "asc", alias = "ascending")]
    Oldest,
}

impl From<SortArg> for Sort {
    fn from(s: SortArg) -> Sort {
        match s {
            SortArg::Newest => Sort::NewestFirst,
            SortArg::Oldest => Sort::OldestFirst,
        }
    }
}

impl From<Sort> for SortArg {
    fn from(s: Sort) -> SortArg {
        match s {
            Sort::NewestFirst => SortArg::Newest,
            Sort::OldestFirst => SortArg::Oldest,
        }
    }
}

/// The flag that sets `field`, as its messages name it.
pub fn flag(field: Field) -> &'static str {
    match field {
        Field::Status => "--status",
        Field::CreatedAfter => "--created-after",
        Field::CreatedBefore => "--created-before",
        Field::Name => "--name",
        Field::SourceAccount => "--source-account",
        Field::SourceModelArn => "--source-model-arn",
        Field::Sort => "--sort",
    }
}

impl FilterArgs {
    /// The flags as text, as the config file and views write a filter.
    pub fn text(&self) -> FilterText {
        FilterText {
            status: self.status.clone(),
            created_after: self.created_after.clone(),
            created_before: self.created_before.clone(),
            name: self.name.clone(),
            source_account: self.source_account.clone(),
            source_model_arn: self.source_model_arn.clone(),
            sort: self.sort.map(|s| {
                match s {
                    SortArg::Newest => "newest",
                    SortArg::Oldest => "oldest",
                }
                .to_string()
            }),
        }
    }

    /// Each field the flags left out takes `text`'s (the config's default,
    /// a view's), and a message about it names it as `named` says.
    pub fn fill_from(&mut self, text: &FilterText, named: &[(Field, String)]) {
        let mut mine = self.text();
        let filled = mine.fill_missing(text);
        self.status = mine.status;
        self.created_after = mine.created_after;
        self.created_before = mine.created_before;
        self.name = mine.name;
        self.source_account = mine.source_account;
        self.source_model_arn = mine.source_model_arn;
        if self.sort.is_none() {
            self.sort = mine
                .sort
                .as_deref()
                .and_then(|s| crate::domain::filter_text::parse_sort(s).ok())
                .map(SortArg::from);
        }
        for field in filled {
            if let Some((_, n)) = named.iter().find(|(f, _)| *f == field)
                && !self.named.iter().any(|(f, _)| *f == field)
            {
                self.named.push((field, n.clone()));
            }
        }
    }

    /// How a message names `field`: its flag, unless it came from elsewhere.
    pub fn name_of(&self, field: Field) -> String {
        self.named
            .iter()
            .find(|(f, _)| *f == field)
            .map_or_else(|| flag(field).to_string(), |(_, n)| n.clone())
    }

    /// The flags as if typed into the panes. Only `--status` can fail here:
    /// the panes cycle through statuses, so there is no text to hold a typo.
    pub fn to_draft(&self) -> Result<FilterDraft, String> {
        let status = match &self.status {
            Some(s) => parse_status(s).map_err(|e| format!("{}: {e}", flag(Field::Status)))?,
            None => None,
        };
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        Ok(FilterDraft {
            status,
            created_after: text(&self.created_after),
            created_before: text(&self.created_before),
            name: text(&self.name),
            source_account: text(&self.source_account),
            source_model_arn: text(&self.source_model_arn),
            sort: self.sort.unwrap_or_default().into(),
        })
    }

    /// The same rules as the filter panes: every problem, one per line, each
    /// starting with the name of what set it (e.g. "--name: …"), so one run
    /// shows all there is to fix.
    pub fn resolve(&self, now: DateTime<Utc>, tz: &FixedOffset) -> Result<Filter, String> {
        let text = self.text();
        text.resolve(now, tz).map_err(|problems| {
            problems
                .iter()
                .map(|p| p.describe(&text, tz, |f| self.name_of(f)))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::job::Status;
    use chrono::TimeZone;
    use clap::Parser;

    #[derive(Debug, Parser)]
    #[command(name = "t")]
    struct Wrapper {
        #[command(flatten)]
        filter: FilterArgs,
    }

    fn args(argv: &[&str]) -> FilterArgs {
        let full = std::iter::once("t").chain(argv.iter().copied());
        match Wrapper::try_parse_from(full) {
            Ok(w) => w.filter,
            Err(e) => panic!("{argv:?} should parse: {e}"),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 15, 21, 0, 0)
            .single()
            .expect("valid time")
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).expect("valid offset")
    }

    #[test]
    fn aliases_and_values_parse() {
        let a = args(&["--since", "2h", "--status", "failed", "--sort", "oldest"]);
        assert_eq!(a.created_after.as_deref(), Some("2h"));
        assert_eq!(a.sort, Some(SortArg::Oldest));
        let f = a.resolve(now(), &utc()).expect("valid");
        assert_eq!(
            f,
            Filter {
                status: Some(Status::Failed),
                created_after: Some(now() - chrono::TimeDelta::hours(2)),
                sort: Sort::OldestFirst,
                ..Filter::default()
            }
        );
        let a = args(&["--until", "2025-06-01"]);
        assert_eq!(a.created_before.as_deref(), Some("2025-06-01"));
        let a = args(&["--created-after", "today", "--created-before", "now"]);
        assert_eq!(a.created_after.as_deref(), Some("today"));
        assert_eq!(a.created_before.as_deref(), Some("now"));
        assert_eq!(args(&["--sort", "desc"]).sort, Some(SortArg::Newest));
        assert_eq!(args(&["--sort", "asc"]).sort, Some(SortArg::Oldest));
    }

    #[test]
    fn no_flags_is_the_default_filter() {
        let a = args(&[]);
        assert_eq!(a.sort, None);
        assert!(a.resolve(now(), &utc()).expect("valid").is_default());
        assert!(
            FilterArgs::default()
                .resolve(now(), &utc())
                .expect("valid")
                .is_default()
        );
    }

    #[test]
    fn every_field_reaches_the_filter() {
        let arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0";
        let a = args(&[
            "--status",
            "In-Progress",
            "--created-after",
            "2025-06-01",
            "--created-before",
            "2025-06-02T00:00:00Z",
            "--name",
            "fraud",
            "--source-account",
            "123456789012",
            "--source-model-arn",
            arn,
        ]);
        let tz = FixedOffset::east_opt(5 * 3600 + 1800).expect("valid offset");
        let f = a.resolve(now(), &tz).expect("valid");
        assert_eq!(f.status, Some(Status::InProgress));
        assert_eq!(
            f.created_after,
            Utc.with_ymd_and_hms(2025, 5, 31, 18, 30, 0).single()
        );
        assert_eq!(
            f.created_before,
            Utc.with_ymd_and_hms(2025, 6, 2, 0, 0, 0).single()
        );
        assert_eq!(f.name_contains.as_deref(), Some("fraud"));
        assert_eq!(f.source_account.as_deref(), Some("123456789012"));
        assert_eq!(f.source_model_arn.as_deref(), Some(arn));
        assert_eq!(f.sort, Sort::NewestFirst);
    }

    #[test]
    fn status_spellings() {
        let cases = [
            ("any", None),
            ("ANY", None),
            ("inprogress", Some(Status::InProgress)),
            ("in-progress", Some(Status::InProgress)),
            ("IN_PROGRESS", Some(Status::InProgress)),
            ("InProgress", Some(Status::InProgress)),
            ("completed", Some(Status::Completed)),
            ("Failed", Some(Status::Failed)),
        ];
        for (text, want) in cases {
            let a = FilterArgs {
                status: Some(text.to_string()),
                ..FilterArgs::default()
            };
            assert_eq!(a.to_draft().map(|d| d.status), Ok(want), "{text}");
        }
        let a = FilterArgs {
            status: Some("done".into()),
            ..FilterArgs::default()
        };
        assert_eq!(
            a.to_draft(),
            Err(
                "--status: 'done' is not a status: use any, inprogress, completed or failed".into()
            )
        );
    }

    #[test]
    fn resolve_lists_every_problem_with_its_flag() {
        let a = args(&[
            "--status",
            "done",
            "--since",
            "soon",
            "--name",
            "a b",
            "--source-account",
            "12",
            "--source-model-arn",
            "arn",
        ]);
        let msg = a.resolve(now(), &utc()).expect_err("all bad");
        let lines: Vec<&str> = msg.lines().collect();
        assert_eq!(
            lines,
            [
                "--status: 'done' is not a status: use any, inprogress, completed or failed",
                "--created-after: 'soon' is not a time: use 2025-06-01, 2025-06-01 14:30, RFC 3339, 30m / 2h / 7d (ago), today or yesterday",
                "--name: up to 63 letters, digits, '-' or '_', no two '-'/'_' in a row (pattern ([0-9a-zA-Z][_-]?){1,63})",
                "--source-account: 12 digits",
                "--source-model-arn: expected arn:aws:bedrock:REGION:ACCOUNT:custom-model/… or arn:aws:bedrock:REGION::foundation-model/… (ModelArn, 20–1011 characters)",
            ]
        );
        let a = args(&["--since", "1h", "--until", "2h"]);
        assert_eq!(
            a.resolve(now(), &utc()),
            Err("--created-after: '1h' (2025-06-15 20:00 +00:00) must be earlier than --created-before '2h' (2025-06-15 19:00 +00:00)".into())
        );
        // A field the config filled in is named as the config names it.
        let a = FilterArgs {
            named: vec![(Field::CreatedAfter, "filter.since (config.toml:3)".into())],
            ..args(&["--since", "1h", "--until", "2h"])
        };
        assert_eq!(
            a.resolve(now(), &utc()),
            Err("filter.since (config.toml:3): '1h' (2025-06-15 20:00 +00:00) must be earlier than --created-before '2h' (2025-06-15 19:00 +00:00)".into())
        );
        let a = args(&["--until", "yesterday!"]);
        let msg = a.resolve(now(), &utc()).expect_err("bad time");
        assert!(
            msg.starts_with("--created-before: 'yesterday!' is not a time"),
            "{msg}"
        );
    }

    #[test]
    fn empty_values_mean_no_filter() {
        let a = args(&["--name", "", "--status", "", "--since", "  "]);
        assert!(a.resolve(now(), &utc()).expect("valid").is_default());
    }

    #[test]
    fn bad_sort_is_refused_by_clap() {
        let r = Wrapper::try_parse_from(["t", "--sort", "sideways"]);
        assert!(r.is_err());
    }

    #[test]
    fn help_lists_the_aliases() {
        use clap::CommandFactory;
        let help = Wrapper::command().render_help().to_string();
        for word in [
            "--created-after",
            "since",
            "--created-before",
            "until",
            "--source-model-arn",
        ] {
            assert!(help.contains(word), "{word} missing from:\n{help}");
        }
    }
}
