//! `copyjobs stats` as text: the numbers of [`Stats`] as a person reads
//! them (a stacked bar a day, drawn in shapes that read without colour) or
//! as a program does.

use crate::domain::stats::{Counts, Stats};
use crate::output::export::fit;
use crate::output::failures::thousands;
use crate::output::sanitize::clean;
use serde_json::{Value, json};

/// The bars' shapes, one per status, distinct without colour.
pub const COMPLETED: char = '█';
pub const FAILED: char = '▒';
pub const IN_PROGRESS: char = '░';
pub const OTHER: char = '?';

/// `12.5 %`, or `—` when nothing finished.
fn share(c: &Counts) -> String {
    c.failed_share()
        .map_or_else(|| "—".to_string(), |s| format!("{:.1} %", s * 100.0))
}

/// A stacked bar of `c` in `width` cells, full at `max` copies: each
/// status's cells rounded from the running total, so the parts add up to
/// the whole. A status a day holds never rounds away: its shape is what
/// says the day has running or failed copies at all (3 running among a
/// thousand finished were invisible), so it takes a cell from the day's
/// largest part, or is drawn one cell over where that part has no cell
/// to spare.
pub fn bar(c: &Counts, max: u32, width: usize) -> String {
    if max == 0 || width == 0 {
        return String::new();
    }
    let cells = |n: u32| (u64::from(n) * width as u64 + u64::from(max) / 2) / u64::from(max);
    let parts = [
        (c.completed, COMPLETED),
        (c.failed, FAILED),
        (c.in_progress, IN_PROGRESS),
        (c.other, OTHER),
    ];
    let (mut sum, mut drawn) = (0u32, 0u64);
    let mut widths = parts.map(|(n, _)| {
        sum += n;
        let upto = cells(sum);
        let w = upto - drawn;
        drawn = upto;
        w
    });
    for i in 0..parts.len() {
        if parts[i].0 > 0 && widths[i] == 0 {
            let largest = (0..parts.len()).max_by_key(|&j| widths[j]).unwrap_or(i);
            if widths[largest] > 1 {
                widths[largest] -= 1;
            }
            widths[i] = 1;
        }
    }
    parts
        .iter()
        .zip(widths)
        .flat_map(|(&(_, shape), w)| std::iter::repeat_n(shape, w as usize))
        .collect()
}

/// `-o table`: the totals, a line per day (copies, the failed share, the
/// stacked bar fitted to `width`) and a line per destination region. `zone`
/// names the time zone the days are in.
pub fn table(s: &Stats, zone: &str, width: usize) -> String {
    let t = &s.total;
    let mut out = match (s.days.first(), s.days.last()) {
        (Some(first), Some(last)) => format!(
            "{} copies from {} to {} ({} days, in {zone})\n",
            thousands(t.total() as usize),
            first.date,
            last.date,
            s.days.len()
        ),
        _ => return "no copy jobs\n".to_string(),
    };
    out.push_str(&format!(
        "{} completed, {} failed, {} in progress{}; failed: {} of those finished\n\n",
        thousands(t.completed as usize),
        thousands(t.failed as usize),
        thousands(t.in_progress as usize),
        if t.other > 0 {
            format!(", {} in another status", thousands(t.other as usize))
        } else {
            String::new()
        },
        share(t)
    ));
    out.push_str(&format!(
        "COPIES A DAY ({COMPLETED} completed {FAILED} failed {IN_PROGRESS} in progress)\n"
    ));
    let max = s.days.iter().map(|d| d.counts.total()).max().unwrap_or(0);
    // DATE, COPIES and FAILED take 10 + 2 + 7 + 2 + 7 + 2 cells.
    let room = width.saturating_sub(30).max(10);
    out.push_str("DAY          COPIES   FAILED\n");
    for d in &s.days {
        out.push_str(
            format!(
                "{}  {:>7}  {:>7}  {}",
                d.date,
                thousands(d.counts.total() as usize),
                share(&d.counts),
                bar(&d.counts, max, room)
            )
            .trim_end(),
        );
        out.push('\n');
    }
    out.push_str("\nCOPIES BY DESTINATION REGION\n");
    out.push_str("REGION            COPIES  COMPLETED   FAILED  IN PROGRESS  % FAILED\n");
    for r in &s.regions {
        let c = &r.counts;
        out.push_str(&format!(
            "{}  {:>6}  {:>9}  {:>7}  {:>11}  {:>8}\n",
            fit(&clean(&r.region), 16),
            thousands(c.total() as usize),
            thousands(c.completed as usize),
            thousands(c.failed as usize),
            thousands(c.in_progress as usize),
            share(c)
        ));
    }
    out
}

fn counts(c: &Counts) -> serde_json::Map<String, Value> {
    let v = json!({
        "copies": c.total(),
        "completed": c.completed,
        "failed": c.failed,
        "inProgress": c.in_progress,
        "other": c.other,
        "failedShare": c.failed_share(),
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("an object"),
    }
}

/// `-o json`: `{timeZone, from, to, total, days, regions}`. `timeZone` is
/// the days' zone (`local`, or an offset such as `+09:00`); `from` and `to`
/// are the first and last day (null with none); `total`, each of `days`
/// (with its `date`) and each of `regions` (with its `region`, most copies
/// first) hold `copies`, `completed`, `failed`, `inProgress`, `other` (a
/// status this build does not know) and `failedShare`, the failed share of
/// the finished copies from 0 to 1 (null when none finished).
pub fn json(s: &Stats, zone: &str) -> Value {
    let with = |key: &str, value: Value, c: &Counts| {
        let mut m = serde_json::Map::new();
        m.insert(key.to_string(), value);
        m.extend(counts(c));
        Value::Object(m)
    };
    json!({
        "timeZone": zone,
        "from": s.days.first().map(|d| d.date.to_string()),
        "to": s.days.last().map(|d| d.date.to_string()),
        "total": Value::Object(counts(&s.total)),
        "days": s.days.iter().map(|d| with("date", json!(d.date.to_string()), &d.counts)).collect::<Vec<_>>(),
        "regions": s.regions.iter().map(|r| with("region", json!(r.region), &r.counts)).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::job::{CopyJob, Status};
    use crate::domain::stats::Window;
    use chrono::{DateTime, FixedOffset};

    fn job(id: &str, region: &str, status: Status, created: &str) -> CopyJob {
        CopyJob {
            job_arn: format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"),
            status,
            created: DateTime::parse_from_rfc3339(created).unwrap().to_utc(),
            target_model_arn: String::new(),
            target_model_name: None,
            source_account_id: "111122223333".into(),
            source_model_arn: "x".into(),
            source_model_name: None,
            kms_key_arn: None,
            tags: Vec::new(),
            failure_message: None,
        }
    }

    fn stats() -> Stats {
        let mut jobs: Vec<CopyJob> = (0..8)
            .map(|i| {
                job(
                    &format!("c{i}"),
                    "us-east-1",
                    Status::Completed,
                    "2025-06-01T10:00:00Z",
                )
            })
            .collect();
        jobs.push(job(
            "f1",
            "us-west-2",
            Status::Failed,
            "2025-06-01T11:00:00Z",
        ));
        jobs.push(job(
            "f2",
            "us-west-2",
            Status::Failed,
            "2025-06-03T11:00:00Z",
        ));
        jobs.push(job(
            "r1",
            "us-west-2",
            Status::InProgress,
            "2025-06-03T12:00:00Z",
        ));
        Stats::build(&jobs, &FixedOffset::east_opt(0).unwrap(), Window::default())
    }

    #[test]
    fn bars_add_up_and_a_small_day_shows() {
        let c = Counts {
            completed: 8,
            failed: 1,
            in_progress: 0,
            other: 0,
        };
        assert_eq!(bar(&c, 9, 9), "████████▒");
        assert_eq!(bar(&c, 18, 9).chars().count(), 5);
        let one = Counts {
            in_progress: 1,
            ..Counts::default()
        };
        assert_eq!(bar(&one, 1000, 10), "░");
        assert_eq!(bar(&Counts::default(), 10, 10), "");
    }

    #[test]
    fn a_few_running_copies_among_many_finished_still_show() {
        // A day of 1,000 finished copies and 3 running, beside a busiest
        // day of 7,000 (an organisation's today), in 50 cells: 3/7000 of
        // 50 cells rounds to none.
        let c = Counts {
            completed: 1000,
            failed: 0,
            in_progress: 3,
            other: 0,
        };
        assert_eq!(
            bar(&c, 7000, 50),
            "██████░",
            "the running cell taken from the completed"
        );
        let failed_too = Counts { failed: 2, ..c };
        assert_eq!(bar(&failed_too, 7000, 50), "█████▒░");
        // One completed cell has none to spare: the bar is a cell over.
        let small = Counts {
            completed: 100,
            in_progress: 1,
            ..Counts::default()
        };
        assert_eq!(bar(&small, 7000, 50), "█░");
    }

    #[test]
    fn the_table_has_a_line_a_day_and_a_line_a_region() {
        let text = table(&stats(), "+00:00", 50);
        let want = "\
11 copies from 2025-06-01 to 2025-06-03 (3 days, in +00:00)
8 completed, 2 failed, 1 in progress; failed: 20.0 % of those finished

COPIES A DAY (█ completed ▒ failed ░ in progress)
DAY          COPIES   FAILED
2025-06-01        9   11.1 %  ██████████████████▒▒
2025-06-02        0        —
2025-06-03        2  100.0 %  ▒▒░░

COPIES BY DESTINATION REGION
REGION            COPIES  COMPLETED   FAILED  IN PROGRESS  % FAILED
us-east-1              8          8        0            0     0.0 %
us-west-2              3          0        2            1   100.0 %
";
        assert_eq!(text, want);
        assert_eq!(
            table(
                &Stats::build(&[], &FixedOffset::east_opt(0).unwrap(), Window::default()),
                "+00:00",
                80
            ),
            "no copy jobs\n"
        );
    }

    #[test]
    fn json_keys_are_documented_ones() {
        let v = json(&stats(), "+00:00");
        assert_eq!(v["timeZone"], "+00:00");
        assert_eq!(
            (v["from"].as_str(), v["to"].as_str()),
            (Some("2025-06-01"), Some("2025-06-03"))
        );
        assert_eq!(v["total"]["copies"], 11);
        assert_eq!(v["total"]["failedShare"], 0.2);
        let day = &v["days"][1];
        assert_eq!(day["date"], "2025-06-02");
        assert_eq!(day["failedShare"], Value::Null);
        let keys: Vec<&String> = v["regions"][0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "region",
                "copies",
                "completed",
                "failed",
                "inProgress",
                "other",
                "failedShare"
            ]
        );
    }
}
