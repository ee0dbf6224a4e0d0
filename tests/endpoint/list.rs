//! ListModelCopyJobs: filters, orders, page sizes, pagination under change,
//! validation and token misuse.

use crate::common::*;
use aws_sdk_bedrock::primitives::DateTime;
use aws_sdk_bedrock::types::{ModelCopyJobStatus, ModelCopyJobSummary, SortJobsBy, SortOrder};
use std::collections::HashSet;

fn millis(t: &DateTime) -> i64 {
    t.to_millis().unwrap()
}

/// All jobs, oldest first, as the oracle every filter is checked against.
async fn everything(c: &aws_sdk_bedrock::Client) -> Vec<ModelCopyJobSummary> {
    list_all(
        c.list_model_copy_jobs().sort_order(SortOrder::Ascending),
        1000,
    )
    .await
}

#[tokio::test]
async fn default_order_is_newest_first_and_both_orders_are_total() {
    let s = start(options(1200)).await;
    let c = client(&s);
    let asc = everything(&c).await;
    assert_eq!(asc.len(), 1200);
    let keys: Vec<(i64, String)> = asc
        .iter()
        .map(|j| (millis(&j.creation_time), j.job_arn.clone()))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "ascending by creation time, ties by id"
    );
    let default = list_all(c.list_model_copy_jobs(), 1000).await;
    let desc = list_all(
        c.list_model_copy_jobs()
            .sort_by(SortJobsBy::CreationTime)
            .sort_order(SortOrder::Descending),
        1000,
    )
    .await;
    assert_eq!(arns(&default), arns(&desc));
    let mut reversed = arns(&asc);
    reversed.reverse();
    assert_eq!(arns(&desc), reversed);
    // maxResults defaults to 100.
    let first = c.list_model_copy_jobs().send().await.unwrap();
    assert_eq!(first.model_copy_job_summaries().len(), 100);
    assert!(first.next_token().is_some());
}

#[tokio::test]
async fn page_sizes_one_seven_and_a_thousand_yield_the_same_jobs_once() {
    let s = start(options(300)).await;
    let c = client(&s);
    let all = arns(&list_all(c.list_model_copy_jobs(), 1000).await);
    assert_eq!(all.len(), 300);
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 300);
    for size in [1, 7, 1000] {
        assert_eq!(
            arns(&list_all(c.list_model_copy_jobs(), size).await),
            all,
            "page size {size}"
        );
    }
    // The last page carries no token, even when it is exactly full.
    let last = c
        .list_model_copy_jobs()
        .max_results(300)
        .send()
        .await
        .unwrap();
    assert_eq!(last.model_copy_job_summaries().len(), 300);
    assert_eq!(last.next_token(), None);
}

#[tokio::test]
async fn every_filter_alone_matches_the_oracle() {
    let s = start(options(1500)).await;
    let c = client(&s);
    let all = everything(&c).await;
    let check =
        |name: &str, got: Vec<ModelCopyJobSummary>, keep: &dyn Fn(&ModelCopyJobSummary) -> bool| {
            let want: Vec<String> = all
                .iter()
                .filter(|j| keep(j))
                .map(|j| j.job_arn.clone())
                .collect();
            assert!(
                !want.is_empty() && want.len() < all.len(),
                "{name}: the filter must select some but not all"
            );
            assert_eq!(arns(&got), want, "{name}");
        };
    for status in [
        ModelCopyJobStatus::InProgress,
        ModelCopyJobStatus::Completed,
        ModelCopyJobStatus::Failed,
    ] {
        let got = list_all(
            c.list_model_copy_jobs()
                .sort_order(SortOrder::Ascending)
                .status_equals(status.clone()),
            250,
        )
        .await;
        check(status.as_str(), got, &|j| j.status == status);
    }
    let mid = all[all.len() / 2].creation_time;
    let got = list_all(
        c.list_model_copy_jobs()
            .sort_order(SortOrder::Ascending)
            .creation_time_after(mid),
        333,
    )
    .await;
    check("after", got, &|j| millis(&j.creation_time) > millis(&mid));
    let got = list_all(
        c.list_model_copy_jobs()
            .sort_order(SortOrder::Ascending)
            .creation_time_before(mid),
        333,
    )
    .await;
    check("before", got, &|j| millis(&j.creation_time) < millis(&mid));
    let account = all
        .iter()
        .map(|j| j.source_account_id.clone())
        .find(|a| *a != all[0].source_account_id)
        .unwrap();
    let got = list_all(
        c.list_model_copy_jobs()
            .sort_order(SortOrder::Ascending)
            .source_account_equals(&account),
        100,
    )
    .await;
    check("account", got, &|j| j.source_account_id == account);
    let arn = all[10].source_model_arn.clone();
    let got = list_all(
        c.list_model_copy_jobs()
            .sort_order(SortOrder::Ascending)
            .source_model_arn_equals(&arn),
        100,
    )
    .await;
    check("source arn", got, &|j| j.source_model_arn == arn);
    // Case-insensitive: the stem of one job's name, in capitals.
    let stem = all[3]
        .target_model_name()
        .unwrap()
        .split('-')
        .take(2)
        .collect::<Vec<_>>()
        .join("-");
    let got = list_all(
        c.list_model_copy_jobs()
            .sort_order(SortOrder::Ascending)
            .target_model_name_contains(stem.to_uppercase()),
        100,
    )
    .await;
    check("name", got, &|j| {
        j.target_model_name().unwrap_or_default().contains(&stem)
    });
}

#[tokio::test]
async fn combined_filters_in_both_orders() {
    let s = start(options(1500)).await;
    let c = client(&s);
    let all = everything(&c).await;
    let (lo, hi) = (all[100].creation_time, all[1400].creation_time);
    let keep = |j: &ModelCopyJobSummary| {
        j.status == ModelCopyJobStatus::Completed
            && millis(&j.creation_time) > millis(&lo)
            && millis(&j.creation_time) < millis(&hi)
            && j.target_model_name().unwrap_or_default().contains("use1")
    };
    let mut want: Vec<String> = all
        .iter()
        .filter(|j| keep(j))
        .map(|j| j.job_arn.clone())
        .collect();
    assert!(want.len() > 10);
    let q = || {
        c.list_model_copy_jobs()
            .status_equals(ModelCopyJobStatus::Completed)
            .creation_time_after(lo)
            .creation_time_before(hi)
            .target_model_name_contains("use1")
    };
    assert_eq!(
        arns(&list_all(q().sort_order(SortOrder::Ascending), 7).await),
        want
    );
    want.reverse();
    assert_eq!(arns(&list_all(q(), 7).await), want);
    // An empty window is an empty answer, not an error.
    let none = c
        .list_model_copy_jobs()
        .creation_time_after(hi)
        .creation_time_before(lo)
        .send()
        .await
        .unwrap();
    assert!(none.model_copy_job_summaries().is_empty() && none.next_token().is_none());
}

#[tokio::test]
async fn paging_while_jobs_are_created_and_finish_repeats_and_skips_nothing() {
    let mut o = options(400);
    o.arrival_rate = 2.0;
    let s = start(o).await;
    let c = client(&s);
    let source = everything(&c).await[0].source_model_arn.clone();
    for ascending in [false, true] {
        let order = if ascending {
            SortOrder::Ascending
        } else {
            SortOrder::Descending
        };
        let before = list_all(
            c.list_model_copy_jobs().sort_order(SortOrder::Ascending),
            1000,
        )
        .await;
        let running_before = before
            .iter()
            .filter(|j| j.status == ModelCopyJobStatus::InProgress)
            .count();
        let mut seen = Vec::new();
        let mut token = None;
        let mut created = Vec::new();
        loop {
            let page = c
                .list_model_copy_jobs()
                .sort_order(order.clone())
                .max_results(7)
                .set_next_token(token)
                .send()
                .await
                .unwrap();
            seen.extend(arns(page.model_copy_job_summaries()));
            token = page.next_token().map(str::to_string);
            if token.is_none() {
                break;
            }
            // Between pages: a job is created, the clock moves (jobs finish, new ones arrive).
            let made = c
                .create_model_copy_job()
                .source_model_arn(&source)
                .target_model_name(format!("mid-page-{}", created.len()))
                .send()
                .await
                .unwrap();
            created.push(made.job_arn);
            s.emulator.clock.advance(20_000);
        }
        let after = list_all(
            c.list_model_copy_jobs().sort_order(SortOrder::Ascending),
            1000,
        )
        .await;
        let running_after = after
            .iter()
            .filter(|j| j.status == ModelCopyJobStatus::InProgress)
            .count();
        assert!(
            running_after != running_before || after.len() > before.len(),
            "the data really changed while paging"
        );
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no job repeated");
        let mut expected = arns(&before);
        if ascending {
            // Jobs made during the walk are newer than the cursor: they show at the end.
            let before_set: HashSet<String> = expected.iter().cloned().collect();
            expected.extend(arns(&after).into_iter().filter(|a| !before_set.contains(a)));
        } else {
            expected.reverse();
        }
        assert_eq!(
            seen, expected,
            "every job exactly once, in order (ascending: {ascending})"
        );
        assert!(
            created
                .iter()
                .all(|a| after.iter().any(|j| &j.job_arn == a))
        );
    }
}

#[tokio::test]
async fn every_invalid_parameter_is_a_validation_exception_naming_it() {
    let s = start(options(50)).await;
    let c = client(&s);
    let cases: Vec<(_, &str)> = vec![
        (
            c.list_model_copy_jobs().max_results(0),
            "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            c.list_model_copy_jobs().max_results(1001),
            "Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
        ),
        (
            c.list_model_copy_jobs()
                .status_equals(ModelCopyJobStatus::from("Done")),
            "Value 'Done' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: [InProgress, Completed, Failed]",
        ),
        (
            c.list_model_copy_jobs().source_account_equals("12345"),
            "Value '12345' at 'sourceAccountEquals' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}",
        ),
        (
            c.list_model_copy_jobs()
                .source_model_arn_equals("arn:aws:bedrock"),
            "Value 'arn:aws:bedrock' at 'sourceModelArnEquals' failed to satisfy constraint: Member must have length greater than or equal to 20",
        ),
        (
            c.list_model_copy_jobs()
                .source_model_arn_equals("arn:aws:bedrock:us-east-1:123456789012:model/x"),
            "at 'sourceModelArnEquals' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[^:]+)?:bedrock:",
        ),
        (
            c.list_model_copy_jobs()
                .target_model_name_contains("bad--name"),
            "Value 'bad--name' at 'targetModelNameContains' failed to satisfy constraint: Member must satisfy regular expression pattern: ([0-9a-zA-Z][_-]?){1,63}",
        ),
        (
            c.list_model_copy_jobs()
                .target_model_name_contains("a".repeat(64)),
            "at 'targetModelNameContains' failed to satisfy constraint: Member must have length less than or equal to 63",
        ),
        (
            c.list_model_copy_jobs()
                .sort_order(SortOrder::from("Sideways")),
            "Value 'Sideways' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [Ascending, Descending]",
        ),
        (
            c.list_model_copy_jobs().sort_by(SortJobsBy::from("Name")),
            "Value 'Name' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [CreationTime]",
        ),
        (
            c.list_model_copy_jobs().next_token("x".repeat(2049)),
            "at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 2048",
        ),
    ];
    for (req, want) in cases {
        let msg = validation_message(req.send().await.unwrap_err());
        assert!(msg.starts_with("1 validation error detected: "), "{msg}");
        assert!(msg.contains(want), "{msg}\n  should contain: {want}");
    }
    let two = validation_message(
        c.list_model_copy_jobs()
            .max_results(0)
            .source_account_equals("x")
            .send()
            .await
            .unwrap_err(),
    );
    assert!(two.starts_with("2 validation errors detected: "), "{two}");
}

#[tokio::test]
async fn tokens_only_work_for_the_query_that_made_them() {
    let s = start(options(300)).await;
    let c = client(&s);
    let page = c
        .list_model_copy_jobs()
        .status_equals(ModelCopyJobStatus::Completed)
        .max_results(5)
        .send()
        .await
        .unwrap();
    let token = page.next_token().unwrap().to_string();
    // The same query with another page size is fine.
    c.list_model_copy_jobs()
        .status_equals(ModelCopyJobStatus::Completed)
        .max_results(50)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    let misuse = [
        c.list_model_copy_jobs()
            .status_equals(ModelCopyJobStatus::Failed)
            .next_token(&token),
        c.list_model_copy_jobs().next_token(&token),
        c.list_model_copy_jobs()
            .status_equals(ModelCopyJobStatus::Completed)
            .sort_order(SortOrder::Ascending)
            .next_token(&token),
    ];
    for req in misuse {
        let msg = validation_message(req.send().await.unwrap_err());
        assert!(msg.contains("belongs to a different query"), "{msg}");
    }
    let mut forged = token.clone().into_bytes();
    let i = forged.len() / 2;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    for bad in [forged.as_str(), "garbage", "eyJub3QiOiJhIHRva2VuIn0"] {
        let msg = validation_message(
            c.list_model_copy_jobs()
                .status_equals(ModelCopyJobStatus::Completed)
                .next_token(bad)
                .send()
                .await
                .unwrap_err(),
        );
        assert!(
            msg.contains("malformed or was not issued by this service"),
            "{msg}"
        );
    }
    assert_eq!(
        c.list_model_copy_jobs()
            .send()
            .await
            .unwrap()
            .model_copy_job_summaries()
            .len(),
        100,
        "nothing else changed"
    );
}
