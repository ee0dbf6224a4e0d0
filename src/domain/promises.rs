//! What a reader relies on the service for, and whether a page kept it.
//!
//! ListModelCopyJobs promises an order (`sortBy=CreationTime` in the order
//! asked), time bounds and four filters. The parallel windows, paging by
//! creation time and the table's "read past" line all rest on them, and a
//! service that breaks one (some emulators list by job ARN and ignore every
//! filter) would make them drop jobs silently. So every page is checked
//! against what was asked; a broken filter costs nothing (copyjobs applies
//! every filter itself), a broken order or bound makes the readers fall back
//! to a whole read, sorted here.

use super::job::CopyJob;
use super::query::{Filter, Sort};
use chrono::{DateTime, Duration, Utc};

/// The promises a service did not keep, as a set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Unkept {
    /// A page out of the order asked, or a page that starts before the last.
    pub order: bool,
    /// A job outside `creationTimeAfter`/`creationTimeBefore`.
    pub bounds: bool,
    pub status: bool,
    pub name: bool,
    pub account: bool,
    pub source: bool,
}

impl Unkept {
    pub fn any(self) -> bool {
        self != Unkept::default()
    }

    /// Order or bounds: what the readers that page by time rely on.
    pub fn breaks_paging(self) -> bool {
        self.order || self.bounds
    }

    pub fn union(self, o: Unkept) -> Unkept {
        Unkept {
            order: self.order || o.order,
            bounds: self.bounds || o.bounds,
            status: self.status || o.status,
            name: self.name || o.name,
            account: self.account || o.account,
            source: self.source || o.source,
        }
    }

    /// What `self` has that `seen` has not: what is news to say.
    pub fn minus(self, seen: Unkept) -> Unkept {
        Unkept {
            order: self.order && !seen.order,
            bounds: self.bounds && !seen.bounds,
            status: self.status && !seen.status,
            name: self.name && !seen.name,
            account: self.account && !seen.account,
            source: self.source && !seen.source,
        }
    }

    /// The parameters ignored, as the API names them.
    pub fn names(self) -> Vec<&'static str> {
        [
            (self.order, "sortOrder"),
            (self.bounds, "creationTimeAfter/Before"),
            (self.status, "statusEquals"),
            (self.name, "outputModelNameContains"),
            (self.account, "sourceAccountEquals"),
            (self.source, "sourceModelArnEquals"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }

    /// One sentence for the status bar, the log and stderr, e.g. "the
    /// service ignored sortOrder and statusEquals: read whole, sorted and
    /// filtered here".
    pub fn sentence(self) -> String {
        let names = self.names();
        let list = match names.as_slice() {
            [] => return String::new(),
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let done = if self.breaks_paging() {
            "read whole, sorted and filtered here"
        } else {
            "filtered here"
        };
        format!("the service ignored {list}: {done}")
    }
}

/// How far a job may lie past a bound before the bound counts as ignored:
/// the SDK writes bounds to the microsecond, so a bound finer than that
/// reaches the service a little earlier.
fn slack() -> Duration {
    Duration::microseconds(1)
}

impl Filter {
    /// Whether `job` is one this filter selects: every filter, applied here
    /// as the service should have, with strict bounds. The name test ignores
    /// case, as the service's does, so nothing a service rightly returns is
    /// ever dropped.
    pub fn admits(&self, job: &CopyJob) -> bool {
        self.within_bounds(job.created) && !self.misses(job).any()
    }

    /// The filters other than time that `job` fails: what the service broke
    /// by listing it, and why copyjobs drops it.
    fn misses(&self, job: &CopyJob) -> Unkept {
        Unkept {
            status: self.status.as_ref().is_some_and(|s| *s != job.status),
            name: self.name_contains.as_ref().is_some_and(|n| {
                !job.target_model_name
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase().contains(&n.to_lowercase()))
            }),
            account: self
                .source_account
                .as_deref()
                .is_some_and(|a| *a != *job.source_account_id),
            source: self
                .source_model_arn
                .as_deref()
                .is_some_and(|a| *a != *job.source_model_arn),
            ..Unkept::default()
        }
    }
}

/// What a page of `filter`'s listing broke, `after` being the last instant
/// of the page before it (None for a first page).
pub fn check(filter: &Filter, after: Option<DateTime<Utc>>, jobs: &[CopyJob]) -> Unkept {
    let in_order = |a: DateTime<Utc>, b: DateTime<Utc>| match filter.sort {
        Sort::NewestFirst => a >= b,
        Sort::OldestFirst => a <= b,
    };
    let mut prev = after;
    let mut u = Unkept::default();
    for j in jobs {
        if prev.is_some_and(|p| !in_order(p, j.created)) {
            u.order = true;
        }
        prev = Some(j.created);
        let early = filter
            .created_after
            .is_some_and(|a| j.created < a - slack());
        let late = filter.created_before.is_some_and(|b| j.created > b);
        u.bounds |= early || late;
        u = u.union(filter.misses(j));
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::job::Status;
    use chrono::TimeZone;

    fn job(id: &str, secs: i64, status: Status, name: &str) -> CopyJob {
        CopyJob {
            job_arn: format!("arn:aws:bedrock:us-east-1:123456789012:model-copy-job/{id}"),
            status,
            created: Utc.timestamp_opt(secs, 0).unwrap(),
            target_model_arn: String::new(),
            target_model_name: Some(name.into()),
            source_account_id: "123456789012".into(),
            source_model_arn: "arn:src".into(),
            source_model_name: None,
            kms_key_arn: None,
            tags: Vec::new(),
            failure_message: None,
        }
    }

    #[test]
    fn a_page_in_the_order_asked_and_inside_its_filter_keeps_every_promise() {
        let f = Filter {
            status: Some(Status::Failed),
            name_contains: Some("Fraud".into()),
            created_after: Some(Utc.timestamp_opt(10, 0).unwrap()),
            ..Filter::default()
        };
        let page = [
            job("b", 30, Status::Failed, "fraud-a"),
            job("a", 30, Status::Failed, "x-FRAUD"),
            job("c", 20, Status::Failed, "fraud-b"),
        ];
        assert_eq!(
            check(&f, Some(Utc.timestamp_opt(31, 0).unwrap()), &page),
            Unkept::default()
        );
        assert!(page.iter().all(|j| f.admits(j)));
    }

    #[test]
    fn each_broken_promise_is_named() {
        let f = Filter {
            status: Some(Status::Failed),
            name_contains: Some("fraud".into()),
            created_after: Some(Utc.timestamp_opt(10, 0).unwrap()),
            source_account: Some("999999999999".into()),
            ..Filter::default()
        };
        let page = [
            job("a", 20, Status::Completed, "other"),
            job("b", 30, Status::Failed, "fraud"),
            job("c", 5, Status::Failed, "fraud"),
        ];
        let u = check(&f, None, &page);
        assert!(u.order && u.bounds && u.status && u.name && u.account && !u.source);
        assert!(
            !page.iter().any(|j| f.admits(j)),
            "the account matches none"
        );
        // A page that starts before the last one ended breaks the order too.
        let later = [job("d", 40, Status::Failed, "fraud")];
        let plain = Filter::default();
        assert!(check(&plain, Some(Utc.timestamp_opt(30, 0).unwrap()), &later).order);
        assert_eq!(
            Unkept {
                order: true,
                status: true,
                ..Unkept::default()
            }
            .sentence(),
            "the service ignored sortOrder and statusEquals: read whole, sorted and filtered here"
        );
    }
}
