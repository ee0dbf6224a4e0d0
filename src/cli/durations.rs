//! `copyjobs durations`: how long copies take, per base model and variant
//! copied into one region, from the local history. Nothing is sent: the
//! service never says when a copy ended, only what copyjobs saw does.

use crate::cli::headless::{filter, io_exit, tz, usage};
use crate::cli::{DurationsArgs, DurationsFormat};
use crate::domain::job::Status;
use crate::domain::query::{Sort, measured_duration};
use crate::history::{Durations, Group, Groups, Query, Reader};
use crate::output::sanitize::clean;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use std::io::Write;
use std::process::ExitCode;

pub async fn durations(args: DurationsArgs) -> ExitCode {
    let f = match filter(&args.filters) {
        Ok(f) => f,
        Err(code) => return code,
    };
    if f.status == Some(Status::InProgress) {
        return usage(
            "--status: a running copy has no duration yet; leave --status out (completed copies) or pass --status failed",
        );
    }
    let Some(path) = crate::history::default_path() else {
        return usage("no home directory, so no state directory and no history");
    };
    let c = &args.connect;
    let query = Query::from_filter(&f, c.named_regions(), c.named_profiles());
    let groups = match Reader::at(path.clone()).groups_async(query).await {
        Ok(g) => g,
        Err(p) => {
            eprintln!(
                "copyjobs: cannot read the history {}: {}",
                path.display(),
                clean(&p.detail)
            );
            return ExitCode::from(crate::cli::headless::EXIT_FAILED);
        }
    };
    if groups.is_empty() {
        eprintln!(
            "copyjobs: no copy measured yet in {} (copies are measured as the dashboard, watch and wait see them end)",
            path.display()
        );
    }
    let rows = ordered(&groups, f.sort);
    let text = match args.output {
        DurationsFormat::Table => table(&rows, &tz()),
        DurationsFormat::Json => match serde_json::to_string_pretty(&json(&rows)) {
            Ok(s) => s + "\n",
            Err(e) => return io_exit(Err(std::io::Error::other(e))),
        },
    };
    let mut out = std::io::stdout().lock();
    io_exit(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Newest first (or oldest with `--sort oldest`), then by model and region.
fn ordered(groups: &Groups, sort: Sort) -> Vec<(&Group, &Durations)> {
    let mut rows: Vec<(&Group, &Durations)> = groups.iter().collect();
    rows.sort_by(|a, b| {
        let by_time = match sort {
            Sort::NewestFirst => b.1.newest.cmp(&a.1.newest),
            Sort::OldestFirst => a.1.newest.cmp(&b.1.newest),
        };
        by_time.then_with(|| a.0.cmp(b.0))
    });
    rows
}

fn seconds(d: Option<chrono::TimeDelta>) -> i64 {
    d.map_or(0, |d| (d.num_milliseconds() as f64 / 1000.0).round() as i64)
}

fn utc(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn json(rows: &[(&Group, &Durations)]) -> serde_json::Value {
    rows.iter()
        .map(|(g, d)| {
            serde_json::json!({
                "baseModel": g.base(),
                "region": g.region,
                "count": d.count(),
                "p50Seconds": seconds(d.p50()),
                "p90Seconds": seconds(d.p90()),
                "newest": utc(d.newest),
            })
        })
        .collect()
}

fn table(rows: &[(&Group, &Durations)], tz: &FixedOffset) -> String {
    let mut lines: Vec<[String; 6]> = vec![[
        "MODEL".into(),
        "REGION".into(),
        "COPIES".into(),
        "MEDIAN".into(),
        "P90".into(),
        "NEWEST".into(),
    ]];
    for (g, d) in rows {
        // Rounded as the json's seconds are, not cut: a p90 of 88 s is "1m 28s".
        let dur = |x: Option<chrono::TimeDelta>| {
            x.map(|_| measured_duration(chrono::TimeDelta::seconds(seconds(x))))
                .unwrap_or_default()
        };
        lines.push([
            clean(&g.base()).into_owned(),
            clean(&g.region).into_owned(),
            d.count().to_string(),
            dur(d.p50()),
            dur(d.p90()),
            d.newest
                .map(|t| t.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
        ]);
    }
    let width = |i: usize| {
        lines
            .iter()
            .map(|l| textwrap::core::display_width(l[i].as_str()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..6).map(width).collect();
    let mut out = String::new();
    for l in &lines {
        let mut cells = Vec::new();
        for (i, cell) in l.iter().enumerate() {
            let pad = widths[i] - textwrap::core::display_width(cell.as_str());
            // Counts and durations align right, as numbers do.
            if (2..=4).contains(&i) {
                cells.push(format!("{}{cell}", " ".repeat(pad)));
            } else {
                cells.push(format!("{cell}{}", " ".repeat(pad)));
            }
        }
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{Sample, Took};

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_750_000_000 + secs, 0).expect("valid")
    }

    fn groups() -> Groups {
        let g = |base: &str, region: &str| Group {
            base_model: base.into(),
            variant: "0:300k".into(),
            region: region.into(),
        };
        let mut samples = Vec::new();
        for (k, m) in [10i64, 12, 14, 20, 30].iter().enumerate() {
            samples.push(Sample {
                group: g("amazon.nova-lite-v1", "eu-central-1"),
                took: Took::new(t(0), t(m * 60 - 5), t(m * 60 + 5)).unwrap(),
                ended_by: t(1000 + k as i64),
            });
        }
        samples.push(Sample {
            group: g("amazon.nova-pro-v1", "us-east-1"),
            took: Took::new(t(0), t(3595), t(3605)).unwrap(),
            ended_by: t(5000),
        });
        Groups::from_samples(samples)
    }

    #[test]
    fn json_has_the_documented_keys_newest_group_first() {
        let g = groups();
        let v = json(&ordered(&g, Sort::NewestFirst));
        assert_eq!(
            v,
            serde_json::json!([
                {"baseModel": "amazon.nova-pro-v1:0:300k", "region": "us-east-1", "count": 1,
                 "p50Seconds": 3600, "p90Seconds": 3600, "newest": "2025-06-15T16:30:00Z"},
                {"baseModel": "amazon.nova-lite-v1:0:300k", "region": "eu-central-1", "count": 5,
                 "p50Seconds": 840, "p90Seconds": 1560, "newest": "2025-06-15T15:23:24Z"},
            ])
        );
        let oldest = json(&ordered(&g, Sort::OldestFirst));
        assert_eq!(oldest[0]["region"], "eu-central-1");
    }

    /// The table of `groups`, newest first, times in UTC.
    fn utc_table(groups: &Groups) -> String {
        table(
            &ordered(groups, Sort::NewestFirst),
            &FixedOffset::east_opt(0).unwrap(),
        )
    }

    #[test]
    fn the_table_aligns_its_columns() {
        assert_eq!(
            utc_table(&groups()),
            "MODEL                       REGION        COPIES  MEDIAN  P90  NEWEST\n\
             amazon.nova-pro-v1:0:300k   us-east-1          1      1h   1h  2025-06-15 16:30\n\
             amazon.nova-lite-v1:0:300k  eu-central-1       5     14m  26m  2025-06-15 15:23\n"
        );
    }

    #[test]
    fn a_p90_under_an_hour_keeps_its_seconds() {
        // Two copies of 80 s and 89 s: the median 84.5 s rounds to 85 s (1m 25s),
        // the p90 (80 + 0.9 × 9 = 88.1 s) to 88 s, which read "1m" when cut.
        let g = Group {
            base_model: "amazon.nova-micro-v1".into(),
            variant: "0:128k".into(),
            region: "us-west-2".into(),
        };
        let samples: Vec<Sample> = [80i64, 89]
            .iter()
            .map(|s| Sample {
                group: g.clone(),
                took: Took::new(t(0), t(*s), t(*s)).unwrap(),
                ended_by: t(100),
            })
            .collect();
        assert_eq!(
            utc_table(&Groups::from_samples(samples)),
            "MODEL                        REGION     COPIES  MEDIAN     P90  NEWEST\n\
             amazon.nova-micro-v1:0:128k  us-west-2       2  1m 25s  1m 28s  2025-06-15 15:08\n"
        );
    }
}
