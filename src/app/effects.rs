//! The effects runner: turns `Effect`s into SDK calls on tokio tasks and
//! reports back as `Msg`s. At most one fetch runs; a newer query aborts it.

use super::msg::{Effect, FetchKind, Msg};
use crate::aws::{self, Connection, ErrorKind, FetchError, Page, Target};
use crate::domain::query::{Filter, Sort};
use chrono::{DateTime, Utc};
use std::io::Write;
use std::sync::Arc;
use tokio::sync::{OnceCell, mpsc};
use tokio::task::JoinHandle;

pub struct Runner {
    target: Arc<Target>,
    connection: Arc<OnceCell<Connection>>,
    tx: mpsc::UnboundedSender<Msg>,
    in_flight: Option<JoinHandle<()>>,
    clock: super::Clock,
}

impl Runner {
    pub fn new(target: Target, tx: mpsc::UnboundedSender<Msg>, clock: super::Clock) -> Runner {
        Runner {
            target: Arc::new(target),
            connection: Arc::new(OnceCell::new()),
            tx,
            in_flight: None,
            clock,
        }
    }

    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Copy(text) => {
                    // Straight to the terminal: OSC 52 works over SSH, and
                    // through tmux's passthrough.
                    let inside_tmux = std::env::var_os("TMUX").is_some();
                    let mut out = std::io::stdout();
                    let _ =
                        out.write_all(crate::output::export::osc52(&text, inside_tmux).as_bytes());
                    let _ = out.flush();
                }
                Effect::Export { path, jobs } => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let result = write_export(&path, &jobs)
                            .map(|()| (path, jobs.len()))
                            .map_err(|e| e.to_string());
                        let _ = tx.send(Msg::Exported(result));
                    });
                }
                Effect::CancelFetches => {
                    if let Some(h) = self.in_flight.take() {
                        h.abort();
                    }
                }
                Effect::Fetch {
                    generation,
                    kind,
                    filter,
                    page_size,
                    token,
                    min_rows,
                    until,
                } => {
                    if let Some(h) = self.in_flight.take() {
                        h.abort();
                    }
                    let (target, cell, tx) = (
                        self.target.clone(),
                        self.connection.clone(),
                        self.tx.clone(),
                    );
                    let clock = self.clock.clone();
                    self.in_flight = Some(tokio::spawn(async move {
                        let first = !cell.initialized();
                        let conn = cell.get_or_init(|| aws::connect(&target)).await;
                        if first {
                            let _ = tx.send(Msg::Connected {
                                region: conn.region.clone(),
                            });
                        }
                        let result = if conn.region.is_empty() {
                            Err(FetchError::new(
                                ErrorKind::Credentials,
                                "No AWS region is configured",
                                Some("pass --region, set AWS_REGION, or give the profile a region"),
                            ))
                        } else {
                            match kind {
                                FetchKind::Refresh => {
                                    reread(conn, &filter, page_size, min_rows, until).await
                                }
                                FetchKind::First | FetchKind::Next => {
                                    aws::list_page(&conn.client, &filter, page_size, token).await
                                }
                            }
                        };
                        let _ = tx.send(Msg::Loaded {
                            generation,
                            kind,
                            result,
                            at: clock(),
                        });
                    }));
                }
            }
        }
    }
}

fn write_export(
    path: &std::path::Path,
    jobs: &[crate::domain::job::CopyJob],
) -> std::io::Result<()> {
    let format = crate::output::export::ExportFormat::from_path(path);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let refs: Vec<&crate::domain::job::CopyJob> = jobs.iter().collect();
    crate::output::export::export_to(&mut out, &refs, format)?;
    out.flush()
}

/// Whether `key` sorts at or after `until` in the query's order.
fn reached(sort: Sort, key: (DateTime<Utc>, &str), until: &(DateTime<Utc>, String)) -> bool {
    let until = (until.0, until.1.as_str());
    match sort {
        Sort::NewestFirst => key <= until,
        Sort::OldestFirst => key >= until,
    }
}

/// Page sizes for reading the last stretch of a refresh: new jobs pushed the
/// old end a little further down, and small pages keep the re-read from
/// loading much more than was there (each extra page would otherwise add a
/// full page of rows on every refresh).
const TAIL_PAGES: [usize; 4] = [10, 50, 250, 1000];

/// Re-reads from the top until the old loaded range is covered.
async fn reread(
    conn: &Connection,
    filter: &Filter,
    page_size: usize,
    min_rows: usize,
    until: Option<(DateTime<Utc>, String)>,
) -> Result<Page, FetchError> {
    let mut all = Page::default();
    let mut token = None;
    let mut tail = TAIL_PAGES.iter().copied();
    loop {
        let size = if all.jobs.len() < min_rows {
            page_size.min(min_rows - all.jobs.len()).max(1)
        } else {
            tail.next().unwrap_or(1000)
        };
        let page = aws::list_page(&conn.client, filter, size, token).await?;
        all.jobs.extend(page.jobs);
        all.next_token = page.next_token.clone();
        let covered = all.jobs.len() >= min_rows
            && until.as_ref().is_none_or(|u| {
                all.jobs
                    .last()
                    .is_some_and(|j| reached(filter.sort, (j.created, &j.job_arn), u))
            });
        match page.next_token {
            Some(t) if !covered => token = Some(t),
            _ => return Ok(all),
        }
    }
}
