//! Reading the history: the measured copies (for durations and ETAs) and
//! what is known of one job. Blocking calls for the headless verbs, and the
//! same on a blocking thread for the dashboard, which reads after its first
//! frame and never waits for it.

use super::group::Group;
use super::stats::{Groups, Sample, Took};
use super::store::{self, Problem};
use crate::domain::job::Status;
use crate::domain::query::Filter;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use std::path::PathBuf;

/// Which measured copies to read: the verbs' filters and sources.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Completed (the default: how long a copy takes) or Failed.
    pub status: Status,
    /// Empty: every region.
    pub regions: Vec<String>,
    /// The profiles a job was first seen through; empty: any.
    pub profiles: Vec<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    pub name_contains: Option<String>,
    pub source_account: Option<String>,
    pub source_model_arn: Option<String>,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            status: Status::Completed,
            regions: Vec::new(),
            profiles: Vec::new(),
            created_after: None,
            created_before: None,
            name_contains: None,
            source_account: None,
            source_model_arn: None,
        }
    }
}

impl Query {
    /// The filter's fields; its status only when Failed (a running job has
    /// no duration, and "any" means how long a copy takes: the completed).
    pub fn from_filter(f: &Filter, regions: Vec<String>, profiles: Vec<String>) -> Query {
        Query {
            status: match f.status {
                Some(Status::Failed) => Status::Failed,
                _ => Status::Completed,
            },
            regions,
            profiles,
            created_after: f.created_after,
            created_before: f.created_before,
            name_contains: f.name_contains.clone(),
            source_account: f.source_account.clone(),
            source_model_arn: f.source_model_arn.clone(),
        }
    }

    fn sql(&self) -> (String, Vec<Value>) {
        let mut sql = String::from(
            "SELECT base_model, variant, region, created_ms, running_ms, ended_ms FROM jobs \
             WHERE running_ms IS NOT NULL AND ended_ms IS NOT NULL AND status = ?",
        );
        let mut args = vec![Value::Text(self.status.as_str().to_string())];
        let mut any_of = |sql: &mut String, column: &str, values: &[String]| {
            if !values.is_empty() {
                let marks = vec!["?"; values.len()].join(", ");
                sql.push_str(&format!(" AND {column} IN ({marks})"));
                args.extend(values.iter().cloned().map(Value::Text));
            }
        };
        any_of(&mut sql, "region", &self.regions);
        any_of(&mut sql, "seen_through", &self.profiles);
        if let Some(a) = self.created_after {
            sql.push_str(" AND created_ms > ?");
            args.push(Value::Integer(a.timestamp_millis()));
        }
        if let Some(b) = self.created_before {
            sql.push_str(" AND created_ms < ?");
            args.push(Value::Integer(b.timestamp_millis()));
        }
        if let Some(n) = &self.name_contains {
            sql.push_str(" AND instr(lower(coalesce(target_name, '')), lower(?)) > 0");
            args.push(Value::Text(n.clone()));
        }
        if let Some(a) = &self.source_account {
            sql.push_str(" AND source_account = ?");
            args.push(Value::Text(a.clone()));
        }
        if let Some(m) = &self.source_model_arn {
            sql.push_str(" AND source_model_arn = ?");
            args.push(Value::Text(m.clone()));
        }
        (sql, args)
    }
}

/// What the history knows of one job.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub group: Group,
    pub status: Status,
    pub created: DateTime<Utc>,
    /// Its end lies in (running, ended]; without `running` it had ended
    /// before it was first seen.
    pub running: Option<DateTime<Utc>>,
    pub ended: Option<DateTime<Utc>>,
}

impl Known {
    /// Its duration, when both bounds are known.
    pub fn took(&self) -> Option<Took> {
        Took::new(self.created, self.running?, self.ended?)
    }
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

/// Reads one history file. Cheap to clone; each read opens the file anew
/// (read-only), so it sees what every writer has committed.
#[derive(Debug, Clone)]
pub struct Reader {
    path: PathBuf,
}

impl Reader {
    pub fn at(path: PathBuf) -> Reader {
        Reader { path }
    }

    /// Every measured copy the query selects; none without a file.
    pub fn samples(&self, q: &Query) -> Result<Vec<Sample>, Problem> {
        let Some(conn) = store::open_read(&self.path)? else {
            return Ok(Vec::new());
        };
        let (sql, args) = q.sql();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                Group {
                    base_model: r.get(0)?,
                    variant: r.get(1)?,
                    region: r.get(2)?,
                },
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, i64>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (group, created, running, ended) = row?;
            if let Some(took) = Took::new(time(created), time(running), time(ended)) {
                out.push(Sample {
                    group,
                    took,
                    ended_by: time(ended),
                });
            }
        }
        Ok(out)
    }

    /// The measured copies by group.
    pub fn groups(&self, q: &Query) -> Result<Groups, Problem> {
        self.samples(q).map(Groups::from_samples)
    }

    /// What is known of the job `arn`, if it was ever seen.
    pub fn job(&self, arn: &str) -> Result<Option<Known>, Problem> {
        let Some(conn) = store::open_read(&self.path)? else {
            return Ok(None);
        };
        let known = conn.query_row(
            "SELECT base_model, variant, region, status, created_ms, running_ms, ended_ms \
                 FROM jobs WHERE arn = ?1",
            [arn],
            |r| {
                Ok(Known {
                    group: Group {
                        base_model: r.get(0)?,
                        variant: r.get(1)?,
                        region: r.get(2)?,
                    },
                    status: Status::from_wire(&r.get::<_, String>(3)?),
                    created: time(r.get(4)?),
                    running: r.get::<_, Option<i64>>(5)?.map(time),
                    ended: r.get::<_, Option<i64>>(6)?.map(time),
                })
            },
        );
        match known {
            Ok(k) => Ok(Some(k)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// [`Reader::groups`] on a blocking thread: for the dashboard, which
    /// asks after its first frame and goes on drawing meanwhile.
    pub async fn groups_async(self, q: Query) -> Result<Groups, Problem> {
        tokio::task::spawn_blocking(move || self.groups(&q))
            .await
            .unwrap_or_else(|e| {
                Err(Problem {
                    kind: store::Kind::Other,
                    detail: e.to_string(),
                })
            })
    }

    /// [`Reader::job`] on a blocking thread (the detail pane's "took 18m").
    pub async fn job_async(self, arn: String) -> Result<Option<Known>, Problem> {
        tokio::task::spawn_blocking(move || self.job(&arn))
            .await
            .unwrap_or_else(|e| {
                Err(Problem {
                    kind: store::Kind::Other,
                    detail: e.to_string(),
                })
            })
    }
}
