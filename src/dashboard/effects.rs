//! The effects runner: turns `Effect`s into SDK calls and terminal writes on
//! tokio tasks and reports back as `Msg`s. Each source has its own client and
//! at most one request in flight; a newer request of a source aborts it.

use crate::app::msg::{Effect, Msg, Purpose};
use crate::aws::{self, Connection, ErrorKind, FetchError, Target};
use crate::domain::query::Filter;
use crate::watch::driver::{Driver, model_sources, read_all};
use crate::watch::notify::{self, Notify};
use crate::watch::{Engine, Event, Request, SourceId, SourceSpec, exec};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;
use tokio::sync::{OnceCell, mpsc};
use tokio::task::JoinHandle;

/// One source's client, made on its first request.
struct Lane {
    connection: Arc<OnceCell<Connection>>,
    in_flight: Option<JoinHandle<()>>,
}

pub struct Runner {
    /// What every source shares: the endpoint, demo credentials, retries.
    base: Target,
    /// Every source's client comes from here: one HTTPS client, one
    /// configuration (and credentials' cache) per identity.
    connector: Arc<crate::aws::connector::Connector>,
    /// The jobs this machine's creates were answered with, to tell a
    /// repeat from a new job; None without a state directory.
    pub created: Option<crate::config::created::CreatedJobs>,
    lanes: HashMap<SourceId, Lane>,
    /// The reads of the whole window, while they run.
    reads: HashMap<Purpose, JoinHandle<()>>,
    tx: mpsc::UnboundedSender<Msg>,
    clock: crate::app::Clock,
    /// The local history's writer, when it is kept.
    history: Option<crate::history::History>,
}

impl Runner {
    pub fn new(base: Target, tx: mpsc::UnboundedSender<Msg>, clock: crate::app::Clock) -> Runner {
        Runner {
            connector: Arc::new(crate::aws::connector::Connector::for_target(&base)),
            base,
            created: crate::config::created::CreatedJobs::open(),
            lanes: HashMap::new(),
            reads: HashMap::new(),
            tx,
            clock,
            history: None,
        }
    }

    /// Keeps what the dashboard sees in `history`; its problems come back as
    /// messages, said once each.
    pub fn keep_history(&mut self, mut options: crate::history::Options) {
        let tx = self.tx.clone();
        options.say = Some(std::sync::Arc::new(move |m: &str| {
            let _ = tx.send(Msg::HistoryProblem(m.to_string()));
        }));
        self.history = Some(crate::history::History::open(options));
    }

    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            match e {
                Effect::Record(observed) => {
                    if let Some(h) = &self.history {
                        h.record(*observed);
                    }
                }
                Effect::ReadDurations => self.read_durations(),
                Effect::ReadTook(arn) => self.read_took(arn),
                Effect::Copy(text) => {
                    // Straight to the terminal: OSC 52 works over SSH, and
                    // through tmux's passthrough.
                    let inside_tmux = std::env::var_os("TMUX").is_some();
                    write_terminal(&crate::output::export::osc52(&text, inside_tmux));
                }
                Effect::Export {
                    path,
                    jobs,
                    overwrite,
                } => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        let msg = match write_export(&path, &jobs, overwrite) {
                            Ok(full) => Msg::Exported(Ok((full, jobs.len()))),
                            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                                Msg::ExportExists { path, jobs }
                            }
                            Err(e) => Msg::Exported(Err(e.to_string())),
                        };
                        let _ = tx.send(msg);
                    });
                }
                Effect::Notify { event, how } => self.notify(event, &how),
                Effect::Forget(id) => {
                    if let Some(h) = self.lanes.remove(&id).and_then(|l| l.in_flight) {
                        h.abort();
                    }
                }
                Effect::Fetch { spec, request } => self.fetch(spec, request),
                Effect::SaveViews { path, views } => {
                    let tx = self.tx.clone();
                    tokio::task::spawn_blocking(move || {
                        if let Err(e) = views.save(&path) {
                            let _ = tx.send(Msg::ViewsNotSaved(format!("{}: {e}", path.display())));
                        }
                    });
                }
                Effect::Create {
                    request,
                    source,
                    origin,
                    profile,
                } => self.create(request, source, origin, profile),
                Effect::ReadWindow {
                    purpose,
                    generation,
                    filter,
                    specs,
                } => self.read_window(purpose, generation, filter, specs),
                Effect::RestorePins { spec, source, arns } => {
                    let (target, identity) = spec.reach(&self.base);
                    let (tx, connector) = (self.tx.clone(), self.connector.clone());
                    tokio::spawn(async move {
                        let conn = connector.connect(&target, &identity).await;
                        let mut results = Vec::with_capacity(arns.len());
                        for arn in arns {
                            let r = aws::get_job(&conn.client, &arn).await;
                            results.push((arn, r));
                        }
                        let _ = tx.send(crate::app::refresh::pins_answer(source, results));
                    });
                }
                Effect::LoadProfiles => {
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let names = aws::profiles::known_profiles().await;
                        let _ = tx.send(Msg::KnownProfiles(names));
                    });
                }
            }
        }
    }

    /// Sends a create in the request's region, then reads the new job back.
    /// Logged either way: every request that changes something is.
    fn create(
        &self,
        request: crate::domain::copy::CopyRequest,
        source: Option<SourceId>,
        origin: Option<String>,
        profile: Option<String>,
    ) {
        let target = Target {
            region: Some(request.region.clone()),
            profile: profile.or_else(|| self.base.profile.clone()),
            ..self.base.clone()
        };
        let (tx, created) = (self.tx.clone(), self.created.clone());
        tokio::spawn(async move {
            let conn = aws::connect(&target).await;
            tracing::info!(region = %request.region, source_model = %request.source_model_arn, name = %request.target_model_name, retry_of = origin.as_deref().unwrap_or("-"), "CreateModelCopyJob");
            let mut again = false;
            let result = match aws::create_job(&conn.client, &request).await {
                Ok(arn) => {
                    again = created.is_some_and(|c| {
                        c.record(&request.token(), &arn).ok()
                            == Some(crate::config::created::Seen::Again)
                    });
                    aws::get_job(&conn.client, &arn).await
                }
                Err(e) => Err(e),
            };
            match &result {
                Ok(job) if again => {
                    tracing::info!(job = %job.job_arn, "already created by an identical request")
                }
                Ok(job) => tracing::info!(job = %job.job_arn, "created"),
                Err(e) => tracing::warn!(error = %e, "create refused"),
            }
            if again && let Ok(job) = result {
                let region = request.region.clone();
                let _ = tx.send(Msg::CreatedAgain {
                    source,
                    origin,
                    region,
                    job,
                });
                return;
            }
            let _ = tx.send(Msg::Created {
                source,
                origin,
                region: request.region.clone(),
                result: result.map_err(|e| e.to_string()),
            });
        });
    }

    /// Reads every job of the window on its own engine and clients,
    /// reporting the count as pages arrive; a newer read of the same purpose
    /// aborts this one.
    fn read_window(
        &mut self,
        purpose: Purpose,
        generation: u64,
        filter: Filter,
        specs: Vec<SourceSpec>,
    ) {
        if let Some(h) = self.reads.remove(&purpose) {
            h.abort();
        }
        let (tx, base) = (self.tx.clone(), self.base.clone());
        let connector = self.connector.clone();
        let task = tokio::spawn(async move {
            let mut engine = Engine::new(filter, 1000, chrono::Duration::seconds(10), &specs);
            let result = match Driver::connect_with(&connector, &base, &mut engine).await {
                Ok(driver) => {
                    let progress = |read| {
                        let _ = tx.send(Msg::WindowProgress { generation, read });
                    };
                    // M's rows are the accounts' models too: read beside
                    // the jobs, under the same cap (not for F's failures).
                    let sources = model_sources(&engine);
                    let models = async {
                        match purpose {
                            Purpose::Overview => Some(driver.read_models(&sources).await),
                            Purpose::Failures => None,
                        }
                    };
                    let (read, models) =
                        tokio::join!(read_all(&mut engine, &driver, progress), models);
                    let mut refused: Vec<(String, String)> = read
                        .refused
                        .iter()
                        .map(|r| (r.label.clone(), r.error.to_string()))
                        .collect();
                    if let Some(models) = models {
                        refused.extend(
                            models
                                .refused_beside(&read.refused)
                                .into_iter()
                                .map(|r| (r.label, r.error.to_string())),
                        );
                        let models = models.models;
                        let _ = tx.send(Msg::WindowModels { generation, models });
                    }
                    if read.refused.len() == engine.sources().len() {
                        // Nothing was read: the refusals are the answer.
                        Err(match refused.as_slice() {
                            [(_, one)] => one.clone(),
                            all => all
                                .iter()
                                .map(|(label, e)| format!("{label}: {e}"))
                                .collect::<Vec<_>>()
                                .join("; "),
                        })
                    } else {
                        if !refused.is_empty() {
                            let _ = tx.send(Msg::WindowRefused {
                                generation,
                                refused,
                            });
                        }
                        Ok(read.jobs)
                    }
                }
                Err(e) => Err(e),
            };
            let _ = tx.send(Msg::WindowRead { generation, result });
        });
        self.reads.insert(purpose, task);
    }

    /// The durations of every group, read off the loop (SQLite on the
    /// blocking pool); a failed read is said as the history's problem.
    fn read_durations(&self) {
        let Some(h) = &self.history else { return };
        let (reader, tx) = (h.reader(), self.tx.clone());
        tokio::spawn(async move {
            let msg = match reader.groups_async(crate::history::Query::default()).await {
                Ok(groups) => Msg::Durations(groups),
                Err(e) => Msg::HistoryProblem(format!("history: cannot read it ({})", e.detail)),
            };
            let _ = tx.send(msg);
        });
    }

    fn read_took(&self, arn: String) {
        let Some(h) = &self.history else { return };
        let (reader, tx) = (h.reader(), self.tx.clone());
        tokio::spawn(async move {
            let took = reader
                .job_async(arn.clone())
                .await
                .ok()
                .flatten()
                .and_then(|k| k.took());
            let _ = tx.send(Msg::Took { arn, took });
        });
    }

    fn notify(&self, event: Event, how: &Notify) {
        let inside_tmux = std::env::var_os("TMUX").is_some();
        let bytes = notify::terminal_bytes(&event, how, inside_tmux);
        if !bytes.is_empty() {
            write_terminal(&bytes);
        }
        if let Some(argv) = how.on_change.clone() {
            let tx = self.tx.clone();
            tokio::spawn(async move {
                if let Err(e) = notify::run_hook(&argv, &event, notify::HOOK_TIMEOUT).await {
                    let _ = tx.send(Msg::HookFailed(e));
                }
            });
        }
    }

    fn fetch(&mut self, spec: SourceSpec, request: Request) {
        let id = request.source;
        let lane = self.lanes.entry(id).or_insert_with(|| Lane {
            connection: Arc::new(OnceCell::new()),
            in_flight: None,
        });
        if let Some(h) = lane.in_flight.take() {
            h.abort();
        }
        let (target, identity) = spec.reach(&self.base);
        let (cell, tx, clock) = (lane.connection.clone(), self.tx.clone(), self.clock.clone());
        let connector = self.connector.clone();
        lane.in_flight = Some(tokio::spawn(async move {
            let first = !cell.initialized();
            let conn = cell
                .get_or_init(|| connector.connect(&target, &identity))
                .await;
            if first {
                let _ = tx.send(Msg::Connected {
                    source: id,
                    region: conn.region.clone(),
                });
            }
            let result = if conn.region.is_empty() {
                Err(FetchError::new(
                    ErrorKind::Credentials,
                    "No AWS region is configured",
                    Some(
                        "pass --region or --regions, set AWS_REGION, or give the profile a region",
                    ),
                ))
            } else {
                exec::execute(&conn.client, request.call).await
            };
            match &result {
                Ok(_) => tracing::debug!(source = id.0, spec = %spec, "answered"),
                Err(e) => tracing::warn!(source = id.0, spec = %spec, error = %e, "request failed"),
            }
            let _ = tx.send(Msg::Loaded {
                source: id,
                generation: request.generation,
                result,
                at: clock(),
            });
        }));
    }
}

fn write_terminal(bytes: &str) {
    let mut out = std::io::stdout();
    let _ = out.write_all(bytes.as_bytes());
    let _ = out.flush();
}

/// Writes the export; without `overwrite` an existing file is an
/// `AlreadyExists` error (checked and created in one step, so nothing can
/// slip in between).
///
/// Gives the file's full path: a person who typed `jobs.csv` is told where
/// that is.
fn write_export(
    path: &std::path::Path,
    jobs: &[crate::domain::job::CopyJob],
    overwrite: bool,
) -> std::io::Result<std::path::PathBuf> {
    let format = crate::output::export::ExportFormat::from_path(path);
    let file = if overwrite {
        std::fs::File::create(path)?
    } else {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?
    };
    let mut out = std::io::BufWriter::new(file);
    let refs: Vec<&crate::domain::job::CopyJob> = jobs.iter().collect();
    crate::output::export::export_to(&mut out, &refs, format)?;
    out.flush()?;
    Ok(std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Settings, State};

    #[test]
    fn an_export_is_said_by_its_full_path() {
        let dir = std::env::temp_dir().join(format!("copyjobs-export-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        let typed = dir.join("sub").join("..").join("out.csv");
        let full = write_export(&typed, &[], true).unwrap();
        assert_eq!(full, std::fs::canonicalize(&dir).unwrap().join("out.csv"));
        assert!(full.is_absolute());
        std::fs::remove_dir_all(&dir).unwrap();
    }
    use crate::emulator::{Emulator, EmulatorOptions, Server};
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// F with one region refused: the groups of the other, and a line naming
    /// the refused one and the service's words, read through the real runner
    /// from the local endpoint and drawn as the dashboard draws it.
    #[tokio::test]
    async fn f_groups_the_readable_regions_and_names_the_refused_one() {
        let server = Server::start(
            Emulator::new(EmulatorOptions {
                jobs: 300,
                seed: 11,
                frozen: true,
                arrival_rate: 0.0,
                now: Some(1_748_779_200_000),
                deny_regions: vec!["eu-central-1".into()],
                ..EmulatorOptions::default()
            }),
            ([127, 0, 0, 1], 0).into(),
        )
        .await
        .unwrap();
        let target = Target {
            endpoint_url: Some(server.url()),
            demo: true,
            ..Target::default()
        };
        let tz = chrono::FixedOffset::east_opt(0).unwrap();
        let settings = Settings {
            sources: SourceSpec::product(&[], &["us-east-1".into(), "eu-central-1".into()]),
            ..Settings::new("test", target.clone(), tz)
        };
        let now = chrono::DateTime::from_timestamp_millis(1_748_779_200_000).unwrap();
        let mut state = State::new(settings, Filter::default(), now);
        let effects = crate::dashboard::update(
            &mut state,
            Msg::Key(KeyEvent::new(KeyCode::Char('F'), KeyModifiers::NONE)),
        );
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut runner = Runner::new(target, tx, Arc::new(move || now));
        runner.run(effects);
        loop {
            let msg = rx.recv().await.unwrap();
            let last = matches!(msg, Msg::WindowRead { .. });
            crate::dashboard::update(&mut state, msg);
            if last {
                break;
            }
        }
        let Some(pane) = state.pane_as::<crate::panes::failures::FailuresPane>() else {
            panic!("the pane is open")
        };
        assert_eq!(pane.error, None);
        assert_eq!(pane.refused.len(), 1);
        assert_eq!(pane.refused[0].0, "eu-central-1");
        assert!(pane.total() > 0, "us-east-1's failed jobs are grouped");
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal
            .draw(|f| {
                crate::ui::draw(f, &state);
            })
            .unwrap();
        let screen: String = terminal
            .backend()
            .buffer()
            .content()
            .chunks(120)
            .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
            .collect();
        assert!(screen.contains("1 source not read"), "{screen}");
        assert!(
            screen.contains("✘ eu-central-1 not read, so not counted: AccessDeniedException"),
            "{screen}"
        );
        assert!(screen.contains("explicit deny"), "{screen}");
        assert!(screen.contains("count share"), "the groups: {screen}");
        server.shutdown().await;
    }

    /// The same create twice, in two sessions sharing this machine's record:
    /// the second says so and logs no new job.
    #[tokio::test]
    async fn a_create_sent_again_is_not_a_new_job() {
        let server = Server::start(
            Emulator::new(EmulatorOptions {
                jobs: 50,
                seed: 11,
                frozen: true,
                arrival_rate: 0.0,
                now: Some(1_748_779_200_000),
                ..EmulatorOptions::default()
            }),
            ([127, 0, 0, 1], 0).into(),
        )
        .await
        .unwrap();
        let target = Target {
            endpoint_url: Some(server.url()),
            region: Some("us-east-1".into()),
            demo: true,
            ..Target::default()
        };
        let conn = aws::connect(&target).await;
        let listed = conn
            .client
            .list_model_copy_jobs()
            .max_results(1)
            .send()
            .await
            .unwrap();
        let source = listed.model_copy_job_summaries()[0]
            .source_model_arn()
            .to_string();
        let request = crate::domain::copy::CopyRequest {
            region: "us-east-1".into(),
            source_model_arn: source,
            target_model_name: "again-copy".into(),
            kms_key_id: None,
            tags: Vec::new(),
            salt: String::new(),
        };
        let record = std::env::temp_dir().join(format!("copyjobs-again-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&record);
        let now = chrono::DateTime::from_timestamp_millis(1_748_779_200_000).unwrap();
        let tz = chrono::FixedOffset::east_opt(0).unwrap();
        // Each session: a dashboard, one create, its answer applied.
        let session = |target: Target| {
            let record = record.clone();
            let request = request.clone();
            async move {
                let mut state = State::new(
                    Settings::new("test", target.clone(), tz),
                    Filter::default(),
                    now,
                );
                let (tx, mut rx) = mpsc::unbounded_channel();
                let mut runner = Runner::new(target, tx, Arc::new(move || now));
                runner.created = Some(crate::config::created::CreatedJobs::at(&record));
                runner.run(vec![Effect::Create {
                    request,
                    source: state.engine.sources().first().map(|s| s.id),
                    origin: None,
                    profile: None,
                }]);
                let msg = rx.recv().await.unwrap();
                crate::dashboard::update(&mut state, msg);
                state
            }
        };
        let first = session(target.clone()).await;
        assert_eq!(first.events.len(), 1, "the new job is logged");
        let arn = first.events[0].job_arn.clone();
        assert!(
            first
                .notice
                .as_ref()
                .unwrap()
                .text
                .starts_with("Copy sent: ")
        );
        let second = session(target.clone()).await;
        assert!(second.events.is_empty(), "nothing new is logged");
        assert_eq!(second.selected_arn(), Some(arn.clone()), "the job is shown");
        assert_eq!(
            second.notice.as_ref().unwrap().text,
            format!("Copy: already created by an identical request: {arn} (pinned, watched)")
        );
        std::fs::remove_dir_all(&record).unwrap();
        server.shutdown().await;
    }
}
