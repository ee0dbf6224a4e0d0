use super::*;
use chrono::FixedOffset;

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).expect("valid").to_utc()
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn job(id: &str, region: &str, status: Status, created: &str) -> CopyJob {
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"),
        status,
        created: t(created),
        target_model_arn: String::new(),
        target_model_name: None,
        source_account_id: "111122223333".into(),
        source_model_arn: "arn:aws:bedrock:us-east-1:111122223333:custom-model/a.b/cccccccccccc"
            .into(),
        source_model_name: None,
        kms_key_arn: None,
        tags: Vec::new(),
        failure_message: None,
    }
}

fn utc() -> FixedOffset {
    FixedOffset::east_opt(0).expect("valid")
}

fn tokyo() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("valid")
}

fn jobs() -> Vec<CopyJob> {
    vec![
        job("a1", "us-east-1", Status::Completed, "2025-06-01T01:00:00Z"),
        job("a2", "us-east-1", Status::Failed, "2025-06-01T10:00:00Z"),
        job(
            "a3",
            "eu-central-1",
            Status::Completed,
            "2025-06-01T23:30:00Z",
        ),
        job(
            "a4",
            "eu-central-1",
            Status::InProgress,
            "2025-06-03T12:00:00Z",
        ),
        job(
            "a5",
            "us-west-2",
            Status::Unknown("Paused".into()),
            "2025-06-03T13:00:00Z",
        ),
    ]
}

fn per_day(s: &Stats) -> Vec<(NaiveDate, u32)> {
    s.days.iter().map(|d| (d.date, d.counts.total())).collect()
}

#[test]
fn copies_a_day_by_status_with_the_empty_days_between() {
    let s = Stats::build(&jobs(), &utc(), Window::default());
    assert_eq!(
        per_day(&s),
        [
            (date("2025-06-01"), 3),
            (date("2025-06-02"), 0),
            (date("2025-06-03"), 2)
        ]
    );
    let first = s.days[0].counts;
    assert_eq!(
        (first.completed, first.failed, first.in_progress),
        (2, 1, 0)
    );
    assert_eq!(first.failed_share(), Some(1.0 / 3.0));
    assert_eq!(s.days[1].counts.failed_share(), None, "nothing finished");
    // Running copies have not failed yet: not in the share.
    assert_eq!(s.days[2].counts.failed_share(), None);
    assert_eq!(s.days[2].counts.other, 1);
    assert_eq!(s.total.total(), 5);
    assert_eq!(s.total.failed_share(), Some(1.0 / 3.0));
}

/// A day is the user's: 23:30 UTC is the next morning in Tokyo. Both zones
/// are given, so the machine's own zone plays no part.
#[test]
fn days_are_the_time_zones() {
    let s = Stats::build(&jobs(), &tokyo(), Window::default());
    assert_eq!(
        per_day(&s),
        [
            (date("2025-06-01"), 2),
            (date("2025-06-02"), 1),
            (date("2025-06-03"), 2)
        ]
    );
    let west = FixedOffset::west_opt(2 * 3600).expect("valid");
    let s = Stats::build(&jobs(), &west, Window::default());
    assert_eq!(
        s.days[0].date,
        date("2025-05-31"),
        "01:00 UTC is the evening before"
    );
}

#[test]
fn the_window_gives_the_days_even_without_copies() {
    let window = Window {
        from: Some(t("2025-05-30T12:00:00Z")),
        to: Some(t("2025-06-05T00:00:00Z")),
    };
    let s = Stats::build(&jobs(), &utc(), window);
    assert_eq!(s.days.first().map(|d| d.date), Some(date("2025-05-30")));
    assert_eq!(s.days.last().map(|d| d.date), Some(date("2025-06-05")));
    assert_eq!(s.days.len(), 7);
    assert_eq!(s.days.iter().map(|d| d.counts.total()).sum::<u32>(), 5);
    // Nothing at all: the window's days, empty.
    let s = Stats::build(&[], &utc(), window);
    assert_eq!(s.days.len(), 7);
    assert_eq!(s.total, Counts::default());
    assert!(Stats::build(&[], &utc(), Window::default()).days.is_empty());
}

#[test]
fn copies_by_destination_region_most_first() {
    let s = Stats::build(&jobs(), &utc(), Window::default());
    let regions: Vec<(&str, u32)> = s
        .regions
        .iter()
        .map(|r| (r.region.as_str(), r.counts.total()))
        .collect();
    assert_eq!(
        regions,
        [("eu-central-1", 2), ("us-east-1", 2), ("us-west-2", 1)]
    );
}

#[test]
fn a_job_given_twice_counts_once() {
    let jobs = jobs();
    let twice: Vec<&CopyJob> = jobs.iter().chain(&jobs).collect();
    assert_eq!(
        Stats::build(twice, &utc(), Window::default()),
        Stats::build(&jobs, &utc(), Window::default())
    );
}

/// Kept current from the engine's events, the numbers are those of a
/// fresh read of the same jobs.
#[test]
fn applying_events_equals_building_afresh() {
    let mut jobs = jobs();
    let mut s = Stats::build(&jobs[..3], &tokyo(), Window::default());
    // Two arrivals, one of them days before the rest…
    let early = job(
        "a0",
        "ap-south-1",
        Status::Completed,
        "2025-05-20T00:00:00Z",
    );
    for j in [&jobs[3], &jobs[4], &early] {
        s.apply(j, None, &tokyo());
    }
    jobs.push(early);
    // …and a copy in flight that finishes.
    jobs[3].status = Status::Failed;
    s.apply(&jobs[3], Some(&Status::InProgress), &tokyo());
    assert_eq!(s, Stats::build(&jobs, &tokyo(), Window::default()));
    assert_eq!(s.days.first().map(|d| d.date), Some(date("2025-05-20")));
}
