//! When a set of running copies should all be done: `wait`'s progress line.

use super::stats::Groups;
use crate::domain::job::CopyJob;
use crate::domain::query::human_duration;
use chrono::{DateTime, FixedOffset, Utc};

/// What the history says of the copies still running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    /// When the last of those with an estimate should be done.
    pub by: DateTime<Utc>,
    /// Running copies with an estimate, and all running copies.
    pub known: usize,
    pub running: usize,
    /// Running past their group's 90th percentile.
    pub slow: usize,
}

/// None when no running copy has an estimate (fewer than three measured
/// copies of its kind, or it outran them all).
pub fn expected<'a>(
    jobs: impl IntoIterator<Item = &'a CopyJob>,
    groups: &Groups,
    now: DateTime<Utc>,
) -> Option<Expected> {
    let (mut by, mut known, mut running, mut slow) = (None, 0, 0, 0);
    for job in jobs.into_iter().filter(|j| !j.status.is_final()) {
        running += 1;
        let Some(eta) = groups.eta(job, now) else {
            continue;
        };
        slow += usize::from(eta.slow);
        if let Some(left) = eta.left {
            known += 1;
            by = by.max(Some(now + left.max(chrono::TimeDelta::zero())));
        }
    }
    Some(Expected {
        by: by?,
        known,
        running,
        slow,
    })
}

impl Expected {
    /// "expected by ~14:32 (~6m)", "… for 2 of 3", "…, 1 slow".
    pub fn text(&self, now: DateTime<Utc>, tz: &FixedOffset) -> String {
        let local = self.by.with_timezone(tz);
        let when = if local.date_naive() == now.with_timezone(tz).date_naive() {
            local.format("%H:%M").to_string()
        } else {
            local.format("%Y-%m-%d %H:%M").to_string()
        };
        let mut text = format!("expected by ~{when} (~{})", human_duration(self.by - now));
        if self.known < self.running {
            text.push_str(&format!(" for {} of {}", self.known, self.running));
        }
        if self.slow > 0 {
            text.push_str(&format!(", {} slow", self.slow));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::job::Status;
    use crate::history::Group;
    use crate::history::stats::{Sample, Took};

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000 + secs, 0).expect("valid")
    }

    fn job(id: u32, base: &str, created: i64, status: Status) -> CopyJob {
        CopyJob {
            job_arn: format!("arn:aws:bedrock:eu-central-1:123456789012:model-copy-job/{id:012}"),
            status,
            created: t(created),
            target_model_arn: format!(
                "arn:aws:bedrock:eu-central-1:123456789012:custom-model/{base}/{id:012}"
            ),
            target_model_name: None,
            source_account_id: "123456789012".into(),
            source_model_arn: "arn:aws:bedrock:us-east-1:123456789012:custom-model/x/y".into(),
            source_model_name: None,
            kms_key_arn: None,
            tags: vec![],
            failure_message: None,
        }
    }

    fn groups() -> Groups {
        let group = Group::of(&job(0, "amazon.nova-lite-v1:0:300k", 0, Status::Completed));
        Groups::from_samples([10, 12, 14, 20, 30].map(|m| Sample {
            group: group.clone(),
            took: Took::new(t(0), t(m * 60 - 5), t(m * 60 + 5)).unwrap(),
            ended_by: t(100_000),
        }))
    }

    #[test]
    fn the_last_running_copy_with_an_estimate_says_when() {
        let now = t(10 * 3600);
        let utc = FixedOffset::east_opt(0).unwrap();
        // Two of nova-lite, started 2 and 15 minutes ago: 12m and 10m left.
        let jobs = [
            job(
                1,
                "amazon.nova-lite-v1:0:300k",
                10 * 3600 - 120,
                Status::InProgress,
            ),
            job(
                2,
                "amazon.nova-lite-v1:0:300k",
                10 * 3600 - 900,
                Status::InProgress,
            ),
            job(3, "amazon.nova-lite-v1:0:300k", 0, Status::Completed),
        ];
        let e = expected(&jobs, &groups(), now).unwrap();
        assert_eq!((e.known, e.running, e.slow), (2, 2, 0));
        assert_eq!(e.by, now + chrono::TimeDelta::minutes(12));
        assert_eq!(e.text(now, &utc), "expected by ~01:18 (~12m)");
        // One of a model never measured, one past every copy: said.
        let more = [
            jobs[0].clone(),
            job(
                4,
                "meta.llama3-1-8b-instruct-v1:0:128k",
                10 * 3600 - 60,
                Status::InProgress,
            ),
            job(
                5,
                "amazon.nova-lite-v1:0:300k",
                10 * 3600 - 40 * 60,
                Status::InProgress,
            ),
        ];
        let e = expected(&more, &groups(), now).unwrap();
        assert_eq!((e.known, e.running, e.slow), (1, 3, 1));
        assert_eq!(
            e.text(now, &utc),
            "expected by ~01:18 (~12m) for 1 of 3, 1 slow"
        );
        // Nothing to go on: nothing said.
        assert_eq!(expected(&more[1..2], &groups(), now), None);
        assert_eq!(expected(&jobs, &Groups::default(), now), None);
    }
}
