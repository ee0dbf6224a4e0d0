//! The service's open questions as endpoint options, through the real SDK:
//! each changes how the endpoint answers, never which jobs a seed makes.

use crate::common::*;
use aws_sdk_bedrock::operation::list_model_copy_jobs::ListModelCopyJobsError;
use aws_sdk_bedrock::primitives::DateTime;
use aws_sdk_bedrock::types::{ModelCopyJobSummary, SortOrder};
use copyjobs::emulator::cursor::EXPIRED_TOKEN;
use copyjobs::emulator::{EmulatorOptions, TieOrder, TimeBounds, TimePrecision};
use std::collections::{HashMap, HashSet};

const PRECISIONS: [TimePrecision; 3] = [TimePrecision::S, TimePrecision::Ms, TimePrecision::Us];

fn micros(t: &DateTime) -> i64 {
    i64::try_from(t.as_nanos().div_euclid(1000)).unwrap()
}

/// Everything a summary says but its creation time.
fn but_time(j: &ModelCopyJobSummary) -> String {
    format!(
        "{:?}",
        (
            &j.job_arn,
            &j.status,
            &j.target_model_arn,
            &j.target_model_name,
            &j.source_account_id,
            &j.source_model_arn,
            &j.target_model_kms_key_arn,
            &j.target_model_tags,
            &j.failure_message,
            &j.source_model_name,
        )
    )
}

fn refusal(
    e: aws_sdk_bedrock::error::SdkError<
        ListModelCopyJobsError,
        aws_sdk_bedrock::config::http::HttpResponse,
    >,
) -> String {
    match e.into_service_error() {
        ListModelCopyJobsError::ValidationException(v) => {
            v.message().unwrap_or_default().to_string()
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn every_combination_of_the_options_has_the_same_jobs() {
    let reference = start(options(300)).await;
    let want = list_all(client(&reference).list_model_copy_jobs(), 1000).await;
    assert_eq!(want.len(), 300);
    let by_arn: HashMap<&str, &ModelCopyJobSummary> =
        want.iter().map(|j| (j.job_arn.as_str(), j)).collect();
    let now_us = micros(&want[0].creation_time).max(0) + 30_000_000;
    let mut combinations = 0;
    for time_bounds in [TimeBounds::Exclusive, TimeBounds::Inclusive] {
        for time_precision in PRECISIONS {
            for tie_order in [TieOrder::Stable, TieOrder::Unstable] {
                for list_lag in [0.0, 120.0] {
                    for token_ttl in [None, Some(0.0)] {
                        for idempotency_window in [None, Some(60.0)] {
                            let o = EmulatorOptions {
                                time_bounds,
                                time_precision,
                                tie_order,
                                list_lag,
                                token_ttl,
                                idempotency_window,
                                ..options(300)
                            };
                            let label = format!("{o:?}");
                            let s = start(o).await;
                            let c = client(&s);
                            // One page of up to 1000: no token, whatever the TTL.
                            let got = list_all(c.list_model_copy_jobs(), 1000).await;
                            let listed: HashSet<&str> =
                                got.iter().map(|j| j.job_arn.as_str()).collect();
                            for j in &got {
                                let w = by_arn[j.job_arn.as_str()];
                                assert_eq!(but_time(j), but_time(w), "{label}");
                                // The reference is in milliseconds: each precision
                                // shows that instant with more or fewer digits.
                                let (c_us, w_us) =
                                    (micros(&j.creation_time), micros(&w.creation_time));
                                assert_eq!(
                                    time_precision.truncate(w_us),
                                    TimePrecision::Ms.truncate(c_us),
                                    "{label}: {} {}",
                                    j.job_arn,
                                    j.creation_time
                                );
                            }
                            assert!(
                                got.windows(2)
                                    .all(|w| w[0].creation_time >= w[1].creation_time),
                                "{label}: newest first"
                            );
                            // Only a lag hides jobs, only the newest, and Get finds them.
                            for w in &want {
                                if listed.contains(w.job_arn.as_str()) {
                                    continue;
                                }
                                assert!(list_lag > 0.0, "{label}: {} missing", w.job_arn);
                                assert!(micros(&w.creation_time) > now_us - 150_000_000, "{label}");
                                let g = c.get_model_copy_job().job_arn(&w.job_arn).send().await;
                                assert_eq!(g.unwrap().job_arn, w.job_arn, "{label}");
                            }
                            s.shutdown().await;
                            combinations += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(combinations, 96);
}

#[tokio::test]
async fn a_job_created_exactly_at_a_bound_is_in_or_out_as_time_bounds_say() {
    for time_precision in PRECISIONS {
        for time_bounds in [TimeBounds::Exclusive, TimeBounds::Inclusive] {
            let label = format!("{time_precision:?} {time_bounds:?}");
            let s = start(EmulatorOptions {
                time_precision,
                time_bounds,
                ..options(400)
            })
            .await;
            let c = client(&s);
            let all = list_all(c.list_model_copy_jobs(), 1000).await;
            // A job alone at its instant, in the middle of the data.
            let j = all[100..]
                .windows(3)
                .find(|w| {
                    w[0].creation_time != w[1].creation_time
                        && w[1].creation_time != w[2].creation_time
                })
                .map(|w| w[1].clone())
                .unwrap();
            let t = j.creation_time;
            let ids = |page: Vec<ModelCopyJobSummary>| -> HashSet<String> {
                page.into_iter().map(|j| j.job_arn).collect()
            };
            let after = ids(list_all(c.list_model_copy_jobs().creation_time_after(t), 1000).await);
            let before =
                ids(list_all(c.list_model_copy_jobs().creation_time_before(t), 1000).await);
            let at_bound = time_bounds == TimeBounds::Inclusive;
            assert_eq!(after.contains(&j.job_arn), at_bound, "{label} after {t}");
            assert_eq!(before.contains(&j.job_arn), at_bound, "{label} before {t}");
            // Whatever the bounds, the rest are split by the instant.
            assert_eq!(
                after.len() + before.len(),
                all.len() - 1 + 2 * usize::from(at_bound),
                "{label}"
            );
            if time_precision == TimePrecision::Us {
                // The job's millisecond, which a millisecond client would
                // send: the job is after it (its microseconds), never at it.
                let ms = DateTime::from_millis(micros(&t).div_euclid(1000));
                let after_ms =
                    ids(list_all(c.list_model_copy_jobs().creation_time_after(ms), 1000).await);
                let before_ms =
                    ids(list_all(c.list_model_copy_jobs().creation_time_before(ms), 1000).await);
                assert!(micros(&t) % 1000 != 0, "{t}");
                assert!(
                    after_ms.contains(&j.job_arn) && !before_ms.contains(&j.job_arn),
                    "{label}"
                );
            }
            s.shutdown().await;
        }
    }
}

#[tokio::test]
async fn creation_times_carry_the_digits_of_the_precision_on_the_wire() {
    for (time_precision, digits) in [
        (TimePrecision::S, 0),
        (TimePrecision::Ms, 3),
        (TimePrecision::Us, 6),
    ] {
        let s = start(EmulatorOptions {
            time_precision,
            ..options(3000)
        })
        .await;
        let (status, _, body) =
            raw(&s, &get_request("/model-copy-jobs?maxResults=1000", SIGNED)).await;
        assert_eq!(status, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        let times: Vec<&str> = v["modelCopyJobSummaries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["creationTime"].as_str().unwrap())
            .collect();
        let fraction = |t: &str| t.split_once('.').map_or(0, |(_, f)| f.len() - 1);
        for t in &times {
            assert!(t.ends_with('Z') && t.len() >= 20, "{t}");
            let f = fraction(t);
            assert!(f == 0 || f == digits, "{time_precision:?}: {t}");
        }
        let with_fraction = times.iter().filter(|t| fraction(t) == digits).count();
        match time_precision {
            TimePrecision::S => assert_eq!(with_fraction, 1000),
            // The newest three hours sit on the arrivals' grid, whole
            // seconds: only microseconds of their own give them a fraction.
            TimePrecision::Ms => assert!(with_fraction > 750, "{with_fraction}"),
            TimePrecision::Us => assert!(with_fraction > 990, "{with_fraction}"),
        }
        // Under `s`, jobs started together share their second.
        let all = list_all(
            client(&s)
                .list_model_copy_jobs()
                .sort_order(SortOrder::Ascending),
            1000,
        )
        .await;
        let shared = all
            .windows(2)
            .filter(|w| w[0].creation_time == w[1].creation_time)
            .count();
        match time_precision {
            TimePrecision::S => assert!(shared > 200, "{shared}"),
            TimePrecision::Ms => assert!((10..200).contains(&shared), "{shared}"),
            TimePrecision::Us => assert!(shared < 5, "{shared}"),
        }
        s.shutdown().await;
    }
}

#[tokio::test]
async fn unstable_ties_change_from_call_to_call_and_paging_still_gives_each_job_once() {
    let stable = start(EmulatorOptions {
        time_precision: TimePrecision::S,
        ..options(3000)
    })
    .await;
    let unstable = start(EmulatorOptions {
        time_precision: TimePrecision::S,
        tie_order: TieOrder::Unstable,
        ..options(3000)
    })
    .await;
    let (cs, cu) = (client(&stable), client(&unstable));
    let want = list_all(cs.list_model_copy_jobs(), 1000).await;
    // The order of ties: job ids grouped by creation time, in answer order.
    let ties = |jobs: &[ModelCopyJobSummary]| -> Vec<Vec<String>> {
        jobs.chunk_by(|a, b| a.creation_time == b.creation_time)
            .filter(|g| g.len() > 1)
            .map(arns)
            .collect()
    };
    let stable_ties = ties(&want);
    assert!(stable_ties.len() > 100);
    assert_eq!(
        stable_ties,
        ties(&list_all(cs.list_model_copy_jobs(), 1000).await)
    );
    let mut orders = HashSet::new();
    for _ in 0..4 {
        let got = list_all(cu.list_model_copy_jobs(), 1000).await;
        assert_eq!(
            got.iter().map(|j| j.creation_time).collect::<Vec<_>>(),
            want.iter().map(|j| j.creation_time).collect::<Vec<_>>(),
            "newest first, only ties move"
        );
        let t = ties(&got);
        let differ = t.iter().zip(&stable_ties).filter(|(a, b)| a != b).count();
        assert!(
            differ > t.len() / 4,
            "not job-id order: {differ} of {}",
            t.len()
        );
        orders.insert(t);
    }
    assert_eq!(orders.len(), 4, "each answer draws its own order");
    // Pages that end inside a group of ties: every job once, both ways.
    for (order, size) in [(SortOrder::Descending, 7), (SortOrder::Ascending, 4)] {
        let got = arns(&list_all(cu.list_model_copy_jobs().sort_order(order.clone()), size).await);
        let unique: HashSet<&String> = got.iter().collect();
        assert_eq!(
            (got.len(), unique.len()),
            (3000, 3000),
            "{order:?} by {size}"
        );
    }
    stable.shutdown().await;
    unstable.shutdown().await;
}

#[tokio::test]
async fn a_job_is_listed_only_after_the_lag_and_can_appear_below_jobs_already_seen() {
    let s = start(EmulatorOptions {
        list_lag: 120.0,
        arrival_rate: 2.0,
        ..options(200)
    })
    .await;
    let c = client(&s);
    let source = list_all(c.list_model_copy_jobs(), 1000).await[150]
        .source_model_arn
        .clone();
    let made = c
        .create_model_copy_job()
        .source_model_arn(&source)
        .target_model_name("lagging-copy")
        .send()
        .await
        .unwrap()
        .job_arn;
    let listed = |jobs: Vec<ModelCopyJobSummary>| jobs.iter().any(|j| j.job_arn == made);
    let g = c.get_model_copy_job().job_arn(&made).send().await.unwrap();
    assert_eq!(g.job_arn, made, "Get finds it at once");
    assert!(!listed(list_all(c.list_model_copy_jobs(), 1000).await));
    s.emulator.clock.advance(119_000);
    assert!(!listed(list_all(c.list_model_copy_jobs(), 1000).await));
    s.emulator.clock.advance(1_000);
    assert!(
        listed(list_all(c.list_model_copy_jobs(), 1000).await),
        "listed at 120 s"
    );
    assert_eq!(
        c.get_model_copy_job()
            .job_arn(&made)
            .send()
            .await
            .unwrap()
            .creation_time,
        g.creation_time,
        "its creation time is when it was made"
    );
    // Arrivals come two a minute, each listed after its own share of the
    // lag: some turn up below jobs an earlier listing already showed.
    let mut seen: HashSet<String> = HashSet::new();
    let mut newest_seen = None;
    let mut below = 0;
    for _ in 0..120 {
        s.emulator.clock.advance(10_000);
        let now = list_all(c.list_model_copy_jobs(), 1000).await;
        for j in &now {
            if !seen.contains(&j.job_arn) && newest_seen.is_some_and(|n| j.creation_time < n) {
                below += 1;
            }
        }
        newest_seen = now.iter().map(|j| j.creation_time).max();
        seen.extend(arns(&now));
    }
    assert!(
        below >= 5,
        "{below} jobs appeared below the newest already seen"
    );
    // Every job older than the lag is listed.
    let listed_now: HashSet<String> = arns(&list_all(c.list_model_copy_jobs(), 1000).await)
        .into_iter()
        .collect();
    let settled_us = (s.emulator.clock.now_ms() - 120_000) * 1000;
    let store = s.emulator.store("us-east-1");
    let store = store.lock().unwrap();
    let old: Vec<String> = store
        .jobs()
        .iter()
        .filter(|j| j.created_us <= settled_us)
        .map(|j| store.profile.job_arn(&j.id))
        .collect();
    assert!(old.len() > 200, "{}", old.len());
    assert!(old.iter().all(|a| listed_now.contains(a)));
}

#[tokio::test]
async fn a_token_is_refused_once_its_ttl_has_passed() {
    let s = start(EmulatorOptions {
        token_ttl: Some(60.0),
        ..options(300)
    })
    .await;
    let c = client(&s);
    let first = c
        .list_model_copy_jobs()
        .max_results(10)
        .send()
        .await
        .unwrap();
    let token = first.next_token().unwrap().to_string();
    s.emulator.clock.advance(59_999);
    let second = c
        .list_model_copy_jobs()
        .max_results(10)
        .next_token(&token)
        .send()
        .await;
    assert_eq!(second.unwrap().model_copy_job_summaries().len(), 10);
    s.emulator.clock.advance(1);
    let msg = refusal(
        c.list_model_copy_jobs()
            .max_results(10)
            .next_token(&token)
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(msg, EXPIRED_TOKEN);
    // A fresh listing is fine, and its tokens are new.
    let fresh = list_all(c.list_model_copy_jobs(), 50).await;
    assert_eq!(fresh.len(), 300);
    s.shutdown().await;

    // 0: every token is refused, the first page of every query answered.
    let s = start(EmulatorOptions {
        token_ttl: Some(0.0),
        ..options(300)
    })
    .await;
    let c = client(&s);
    let first = c
        .list_model_copy_jobs()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(first.model_copy_job_summaries().len(), 10);
    let msg = refusal(
        c.list_model_copy_jobs()
            .max_results(10)
            .next_token(first.next_token().unwrap())
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(msg, EXPIRED_TOKEN);
    // Another first page is still answered.
    let again = c
        .list_model_copy_jobs()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.model_copy_job_summaries(),
        first.model_copy_job_summaries()
    );
    s.shutdown().await;
}

#[tokio::test]
async fn a_client_request_token_is_forgotten_after_the_idempotency_window() {
    let s = start(EmulatorOptions {
        idempotency_window: Some(60.0),
        ..options(100)
    })
    .await;
    let c = client(&s);
    let source = list_all(c.list_model_copy_jobs(), 1000).await[50]
        .source_model_arn
        .clone();
    let create = |name: &str| {
        c.create_model_copy_job()
            .source_model_arn(&source)
            .target_model_name(name)
            .client_request_token("tok-1")
    };
    let a = create("copy-a").send().await.unwrap().job_arn;
    s.emulator.clock.advance(59_999);
    assert_eq!(
        create("copy-a").send().await.unwrap().job_arn,
        a,
        "within the window"
    );
    let refused = create("copy-b").send().await.unwrap_err();
    assert_eq!(
        aws_sdk_bedrock::error::ProvideErrorMetadata::code(&refused),
        Some("ValidationException"),
        "another request with the token, within the window"
    );
    s.emulator.clock.advance(1);
    let b = create("copy-a").send().await.unwrap().job_arn;
    assert_ne!(b, a, "the window has passed: a new job");
    s.emulator.clock.advance(30_000);
    assert_eq!(
        create("copy-a").send().await.unwrap().job_arn,
        b,
        "the token now stands for the new job"
    );
    s.emulator.clock.advance(30_000);
    let other = create("copy-b").send().await.unwrap().job_arn;
    assert!(
        other != a && other != b,
        "forgotten: other parameters make a job too"
    );
    let names: Vec<String> = list_all(c.list_model_copy_jobs(), 1000)
        .await
        .into_iter()
        .filter_map(|j| j.target_model_name)
        .filter(|n| n.starts_with("copy-"))
        .collect();
    assert_eq!(names, ["copy-b", "copy-a", "copy-a"]);
}

#[test]
fn serve_help_documents_every_option_and_bad_values_are_refused() {
    let bin = env!("CARGO_BIN_EXE_copyjobs");
    let help = std::process::Command::new(bin)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--time-bounds <TIME_BOUNDS>",
        "exclusive",
        "inclusive",
        "--time-precision <TIME_PRECISION>",
        "--tie-order <TIE_ORDER>",
        "unstable",
        "--list-lag <SECONDS>",
        "--token-ttl <SECONDS>",
        "--idempotency-window <SECONDS>",
    ] {
        assert!(text.contains(flag), "{flag} in:\n{text}");
    }
    for bad in [
        ["--time-precision", "ns"],
        ["--tie-order", "random"],
        ["--list-lag", "=-1"],
        ["--token-ttl", "soon"],
    ] {
        let arg = if bad[1].starts_with('=') {
            vec![format!("{}{}", bad[0], bad[1])]
        } else {
            vec![bad[0].to_string(), bad[1].to_string()]
        };
        let out = std::process::Command::new(bin)
            .arg("serve")
            .args(&arg)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {err}");
        let value = bad[1].trim_start_matches('=');
        assert!(
            err.contains(value) && err.contains(bad[0]),
            "{bad:?}: {err}"
        );
    }
}
