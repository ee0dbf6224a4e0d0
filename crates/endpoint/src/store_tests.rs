use super::*;
use crate::model::{JobSummary, Tag};
use copyjobs_contract::{self as constraints, matches};

const NOW: i64 = 1_760_000_000_000;

/// A job's creation time in whole milliseconds.
fn ms(j: &Job) -> i64 {
    j.created_us.div_euclid(1000)
}

fn store(n: usize) -> Store {
    Store::generate(RegionProfile::new(7, "us-east-1"), n, NOW, 0.0, 1.0)
}

#[test]
fn generated_jobs_fit_every_pattern_of_the_model() {
    let counts = fits_the_model(&store(3000));
    // A realistic mix: mostly completed, some failed, a handful running.
    assert!(counts["Completed"] > 2300, "{counts:?}");
    assert!(counts["Failed"] > 300, "{counts:?}");
    assert!((10..100).contains(&counts["InProgress"]), "{counts:?}");
}

/// `--odd-data` puts odd text only where the model allows it: a real
/// account could hold every one of these jobs.
#[test]
fn odd_data_fits_every_pattern_of_the_model_too() {
    let mut profile = RegionProfile::new(7, "us-east-1");
    profile.odd = true;
    let s = Store::generate(profile, 3000, NOW, 0.0, 1.0);
    fits_the_model(&s);
    let tags: Vec<Tag> = s
        .jobs()
        .iter()
        .flat_map(|j| s.profile.extras(j).tags)
        .collect();
    // Still odd where it may be: control whitespace and the longest keys and values.
    assert!(tags.iter().any(|t| t.value.contains('\t')));
    assert!(tags.iter().any(|t| t.value.contains("\r\n")));
    assert!(tags.iter().any(|t| t.key.chars().count() == 128));
    assert!(tags.iter().any(|t| t.value.chars().count() == 256));
    assert!(tags.iter().any(|t| t.value.is_empty()));
}

/// Checks every job's summary against the model's constraints; the
/// statuses counted.
fn fits_the_model(s: &Store) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for job in s.jobs() {
        let json = serde_json::to_string(&summary(&s.profile, job, NOW)).unwrap();
        let sum: JobSummary = serde_json::from_str(&json).unwrap();
        *counts.entry(sum.status.clone()).or_insert(0) += 1;
        assert!(
            matches(constraints::JOB_ARN, &sum.job_arn),
            "{}",
            sum.job_arn
        );
        assert!(
            matches(constraints::CUSTOM_MODEL_ARN, &sum.target_model_arn),
            "{}",
            sum.target_model_arn
        );
        assert!(
            matches(constraints::MODEL_ARN, &sum.source_model_arn),
            "{}",
            sum.source_model_arn
        );
        assert!(matches(constraints::ACCOUNT_ID, &sum.source_account_id));
        let name = sum.target_model_name.as_deref().unwrap_or_default();
        assert!(
            name.len() <= 63 && matches(constraints::CUSTOM_MODEL_NAME, name),
            "{name}"
        );
        if let Some(k) = &sum.target_model_kms_key_arn {
            assert!(matches(constraints::KMS_KEY_ARN, k));
        }
        let tags = sum.target_model_tags.unwrap_or_default();
        assert!(tags.len() <= 10);
        for t in &tags {
            assert!(
                !t.key.is_empty()
                    && t.key.chars().count() <= 128
                    && matches(constraints::TAG_TEXT, &t.key),
                "{}",
                t.key
            );
            assert!(
                t.value.chars().count() <= 256 && matches(constraints::TAG_TEXT, &t.value),
                "{}",
                t.value
            );
        }
        assert_eq!(sum.failure_message.is_some(), sum.status == "Failed");
        if let Some(m) = &sum.failure_message {
            assert!(m.chars().count() <= 2048 && m.len() > 40);
        }
    }
    counts
}

#[test]
fn every_precision_has_the_same_jobs_and_only_their_ties_differ() {
    use crate::TimePrecision;
    let at = |precision| {
        let mut p = RegionProfile::new(7, "us-east-1");
        p.precision = precision;
        Store::generate(p, 3000, NOW, 1.0, 1.0)
    };
    let (s, ms, us) = (
        at(TimePrecision::S),
        at(TimePrecision::Ms),
        at(TimePrecision::Us),
    );
    let by_id = |st: &Store| -> HashMap<ShortId, Job> {
        st.jobs().iter().map(|j| (j.id, j.clone())).collect()
    };
    let (in_s, in_ms) = (by_id(&s), by_id(&ms));
    assert_eq!((s.len(), ms.len()), (us.len(), us.len()));
    for j in us.jobs() {
        for (coarse, precision) in [
            (&in_s[&j.id], TimePrecision::S),
            (&in_ms[&j.id], TimePrecision::Ms),
        ] {
            let same_but_time = Job {
                created_us: j.created_us,
                ..coarse.clone()
            };
            assert_eq!(&same_but_time, j, "the same job at every precision");
            assert_eq!(coarse.created_us, precision.truncate(j.created_us));
        }
    }
    // Batches started together: jobs sharing a second, a few a
    // millisecond, and microseconds telling nearly all apart.
    let tied = |st: &Store| {
        st.jobs()
            .windows(2)
            .filter(|w| w[0].created_us == w[1].created_us)
            .count()
    };
    assert!(tied(&s) > 200, "{}", tied(&s));
    assert!((20..tied(&s) / 2).contains(&tied(&ms)), "{}", tied(&ms));
    assert!(tied(&us) < 5, "{}", tied(&us));
    let sub_ms = us
        .jobs()
        .iter()
        .filter(|j| j.created_us % 1000 != 0)
        .count();
    assert!(sub_ms > 2900, "{sub_ms}");
}

#[test]
fn same_seed_same_data() {
    let (a, b) = (store(500), store(500));
    assert_eq!(a.jobs(), b.jobs());
    let c = Store::generate(RegionProfile::new(8, "us-east-1"), 500, NOW, 0.0, 1.0);
    assert_ne!(a.jobs(), c.jobs());
}

#[test]
fn jobs_finish_as_the_clock_moves() {
    let s = store(1000);
    let running = |t| {
        s.jobs()
            .iter()
            .filter(|j| j.status_at(t) == Status::InProgress)
            .count()
    };
    assert!(running(NOW) > 0);
    assert_eq!(running(NOW + 24 * 3_600_000), 0);
}

#[test]
fn arrivals_follow_the_rate() {
    let mut s = Store::generate(RegionProfile::new(7, "us-east-1"), 10, NOW, 2.0, 1.0);
    s.catch_up(NOW + 60_000 * 5);
    assert_eq!(s.len(), 20);
    // On the history's grid: half a step (15 s) before each minute mark.
    let newest = s.jobs().last().unwrap();
    assert_eq!(ms(newest), NOW + 5 * 60_000 - 15_000);
    assert_eq!(newest.status_at(ms(newest)), Status::InProgress);
}

fn in_flight(s: &Store, now: i64) -> Vec<&Job> {
    s.jobs()
        .iter()
        .filter(|j| j.status_at(now) == Status::InProgress)
        .collect()
}

#[test]
fn a_handful_in_flight_whatever_the_size() {
    for (n, rate, speed) in [(2_000, 0.0, 1.0), (2_000, 1.0, 60.0), (100_000, 1.0, 1.0)] {
        let s = Store::generate(RegionProfile::new(7, "us-east-1"), n, NOW, rate, speed);
        let running = in_flight(&s, NOW);
        assert!(
            (10..=99).contains(&running.len()),
            "{n} jobs at rate {rate}, speed {speed}: {} in flight",
            running.len()
        );
        for j in &running {
            assert!(ms(j) <= NOW && NOW < j.ends_ms, "{j:?}");
        }
        assert!(s.jobs().iter().all(|j| ms(j) <= NOW));
    }
}

#[test]
fn the_recent_history_runs_on_into_the_arrivals() {
    let mut s = Store::generate(RegionProfile::new(7, "us-east-1"), 2_000, NOW, 1.0, 1.0);
    s.catch_up(NOW + 30 * 60_000);
    let newest: Vec<i64> = s.jobs()[s.len() - 150..].iter().map(ms).collect();
    assert!(
        newest.windows(2).all(|w| w[1] - w[0] == 60_000),
        "one a minute, before and after start"
    );
    assert!((10..=99).contains(&in_flight(&s, NOW + 30 * 60_000).len()));
}

#[test]
fn history_spans_months_with_a_weekly_rhythm_and_a_realistic_mix() {
    let s = store(20_000);
    let oldest = ms(&s.jobs()[0]);
    assert!(NOW - oldest > 170 * 86_400_000, "about six months back");
    let offset = s.profile.utc_offset_ms;
    // (weekday, hour) in the region's local time, Monday = 0.
    let local = |j: &Job| {
        let h = (ms(j) + offset).div_euclid(3_600_000);
        ((h.div_euclid(24) + 3).rem_euclid(7), h.rem_euclid(24))
    };
    let share = |keep: &dyn Fn((i64, i64)) -> bool| {
        s.jobs().iter().filter(|j| keep(local(j))).count() as f64 / s.len() as f64
    };
    // Uniform times would put 29 % on weekends and 24 % in office hours.
    let weekend = share(&|(d, _)| d >= 5);
    let office = share(&|(d, h)| d < 5 && (9..17).contains(&h));
    assert!(weekend < 0.15, "weekend share {weekend}");
    assert!(office > 0.45, "office-hours share {office}");
    let failed = s
        .jobs()
        .iter()
        .filter(|j| j.status_at(NOW) == Status::Failed)
        .count();
    let share_failed = failed as f64 / s.len() as f64;
    assert!(
        (0.12..0.18).contains(&share_failed),
        "failed share {share_failed}"
    );
}

#[test]
fn get_finds_every_job() {
    let s = store(200);
    for job in s.jobs() {
        assert_eq!(s.get(&job.id), Some(job));
    }
    assert_eq!(s.get(&ShortId::from_u64(12345)), None);
}

#[test]
fn create_is_idempotent_on_the_token() {
    let mut s = store(10);
    let src = s.profile.sources[0].clone();
    let new = NewJob {
        source_arn: src.arn.clone(),
        target_name: "x-copy".into(),
        kms_key: None,
        tags: vec![],
        client_token: Some("t1".into()),
    };
    let a = s.create(new.clone(), Some(src.clone()), NOW).unwrap();
    let b = s.create(new.clone(), Some(src.clone()), NOW + 1).unwrap();
    assert_eq!(a, b);
    assert_eq!(s.len(), 11);
    let other = NewJob {
        target_name: "y-copy".into(),
        ..new.clone()
    };
    assert_eq!(
        s.create(other, Some(src), NOW),
        Err(CreateError::TokenReused)
    );
    // The token is checked before the source: a repeat finds its job.
    assert_eq!(s.create(new.clone(), None, NOW), Ok(a));
    let fresh = NewJob {
        client_token: Some("t2".into()),
        ..new
    };
    assert_eq!(s.create(fresh, None, NOW), Err(CreateError::SourceNotFound));
}

#[test]
fn a_foreign_source_joins_the_table_and_arrivals_ignore_it() {
    let profile = || RegionProfile::new(7, "eu-central-1");
    let mut plain = Store::generate(profile(), 50, NOW, 1.0, 1.0);
    let mut s = Store::generate(profile(), 50, NOW, 1.0, 1.0);
    let foreign = Store::generate(RegionProfile::new(7, "us-west-2"), 50, NOW, 1.0, 1.0)
        .profile
        .sources
        .clone()
        .into_iter()
        .find(|m| m.name.is_some() && !s.profile.sources.contains(m))
        .unwrap();
    let new = |name: &str| NewJob {
        source_arn: foreign.arn.clone(),
        target_name: name.into(),
        kms_key: None,
        tags: vec![],
        client_token: None,
    };
    let a = s.create(new("a"), Some(foreign.clone()), NOW).unwrap();
    let b = s.create(new("b"), Some(foreign.clone()), NOW).unwrap();
    let own = s.profile.generated_sources;
    assert_eq!(s.profile.sources.len(), own + 1, "appended once");
    for id in [a, b] {
        let job = s.get(&id).unwrap();
        assert_eq!(job.source as usize, own);
        let sum: JobSummary =
            serde_json::from_str(&serde_json::to_string(&summary(&s.profile, job, NOW)).unwrap())
                .unwrap();
        assert_eq!(sum.source_model_arn, foreign.arn);
        assert_eq!(sum.source_account_id, foreign.account);
        assert_eq!(sum.source_model_name, foreign.name);
        assert!(sum.target_model_arn.starts_with(&format!(
            "arn:aws:bedrock:eu-central-1:{}:custom-model/{}/",
            s.profile.account, foreign.base
        )));
    }
    let q = ListQuery {
        source_arn: Some(foreign.arn.clone()),
        source_account: Some(foreign.account.clone()),
        max_results: 100,
        ..ListQuery::default()
    };
    let found: Vec<ShortId> = s
        .page(&q, None, &View::at(NOW))
        .jobs
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(found, vec![b, a]);
    // Arrivals never draw the foreign source: the same as without it.
    let later = NOW + 3 * 3_600_000;
    plain.catch_up(later);
    s.catch_up(later);
    let arrived =
        |st: &Store| -> Vec<Job> { st.jobs().iter().filter(|j| ms(j) > NOW).cloned().collect() };
    assert_eq!(arrived(&s), arrived(&plain));
    assert!(arrived(&s).len() > 100);
}
