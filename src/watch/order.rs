//! Where a job sits in the table: by creation time, ties broken by ARN, in
//! the direction the user chose. Every source is read in this order, so one
//! comparison serves the k-way merge, the binary searches and the frontiers.

use crate::domain::job::CopyJob;
use crate::domain::query::Sort;
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// A job's place. Within one region the ARN differs only in the job id, so
/// this is the service's own `(creation time, id)` order; across regions and
/// accounts it is still a total order, which the merge needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub created: DateTime<Utc>,
    pub arn: String,
}

impl Key {
    pub fn of(job: &CopyJob) -> Key {
        Key {
            created: job.created,
            arn: job.job_arn.clone(),
        }
    }

    /// The place after every job created before `t` and before every job
    /// created at `t`, in display order: how far a listing whose last job
    /// was created at `t` has certainly been read. The service may order
    /// jobs of one instant any way it likes (and differently on each call),
    /// so a job of that instant it has not listed yet may still come.
    pub fn edge(t: DateTime<Utc>, sort: Sort) -> Key {
        Key {
            created: t,
            arn: match sort {
                // Descending: (t, MAX) precedes every (t, arn).
                Sort::NewestFirst => char::MAX.to_string(),
                Sort::OldestFirst => String::new(),
            },
        }
    }
}

/// `a` against `b` in display order: `Less` when `a` is shown first.
pub fn display_cmp(sort: Sort, a: (DateTime<Utc>, &str), b: (DateTime<Utc>, &str)) -> Ordering {
    match sort {
        Sort::NewestFirst => b.cmp(&a),
        Sort::OldestFirst => a.cmp(&b),
    }
}

pub fn job_pos(job: &CopyJob) -> (DateTime<Utc>, &str) {
    (job.created, job.job_arn.as_str())
}

pub fn key_pos(key: &Key) -> (DateTime<Utc>, &str) {
    (key.created, key.arn.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edge_comes_before_every_job_of_its_instant() {
        let t = DateTime::from_timestamp(100, 0).expect("valid");
        let later = DateTime::from_timestamp(101, 0).expect("valid");
        let earlier = DateTime::from_timestamp(99, 0).expect("valid");
        for sort in [Sort::NewestFirst, Sort::OldestFirst] {
            let edge = Key::edge(t, sort);
            let (before, after) = match sort {
                Sort::NewestFirst => (later, earlier),
                Sort::OldestFirst => (earlier, later),
            };
            for arn in ["arn:a", "arn:zzzz"] {
                assert!(
                    display_cmp(sort, (t, arn), key_pos(&edge)).is_gt(),
                    "{sort:?} {arn}"
                );
                assert!(display_cmp(sort, (before, arn), key_pos(&edge)).is_lt());
                assert!(display_cmp(sort, (after, arn), key_pos(&edge)).is_gt());
            }
        }
    }

    #[test]
    fn newest_first_puts_later_times_and_larger_arns_first() {
        let t = DateTime::from_timestamp(100, 0).expect("valid");
        let later = DateTime::from_timestamp(200, 0).expect("valid");
        assert_eq!(
            display_cmp(Sort::NewestFirst, (later, "a"), (t, "z")),
            Ordering::Less
        );
        assert_eq!(
            display_cmp(Sort::NewestFirst, (t, "b"), (t, "a")),
            Ordering::Less
        );
        assert_eq!(
            display_cmp(Sort::OldestFirst, (t, "a"), (t, "b")),
            Ordering::Less
        );
        assert_eq!(
            display_cmp(Sort::OldestFirst, (t, "a"), (t, "a")),
            Ordering::Equal
        );
    }
}
