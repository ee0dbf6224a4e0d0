//! What `failures`, `models` and `stats` share: every job of the filter
//! window read from every source (all pages, merged, each job once, a count
//! on a terminal's stderr as pages come in), a refused source named after
//! the output of the others.

use crate::cli::ConnectArgs;
use crate::cli::headless::{Refused, engine_for, io_exit, report_refused};
use crate::domain::job::CopyJob;
use crate::domain::query::Filter;
use crate::output::failures::thousands;
use crate::output::progress;
use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// What is said on a terminal's stderr while the window is read: "reading
/// us-east-1…" until the first answer (a slow endpoint may take seconds),
/// then "read 1,234 failed jobs…" as pages come in, rewritten in place;
/// never into a log or a pipe.
struct Progress {
    /// What is counted: "failed jobs", "jobs".
    noun: &'static str,
}

impl Progress {
    fn start(noun: &'static str, regions: &[String]) -> Progress {
        if !regions.is_empty() {
            progress::show(&format!("reading {}…", regions.join(", ")));
        }
        Progress { noun }
    }

    fn show(&self, count: usize) {
        progress::show(&format!("read {} {}…", thousands(count), self.noun));
    }
}

/// The jobs of a filter window, and the sources that could not be read.
pub(crate) struct Window {
    pub jobs: Vec<CopyJob>,
    /// The account's custom models, when asked for (`models`).
    pub models: Vec<crate::domain::custom_model::CustomModel>,
    pub refused: Vec<Refused>,
    /// How many sources were asked.
    pub sources: usize,
    /// The sources' regions, in their order, each once.
    pub regions: Vec<String>,
    /// The accounts an organisation names, by id: their labels
    /// (`ml-prod · 111122223333`), for what names an account.
    pub accounts: HashMap<String, String>,
    /// The regions of the sources refused, each once: what is known of
    /// them is not all there is.
    pub refused_regions: Vec<String>,
    /// The same accounts' names alone, by id (CSV's name cells).
    pub names: HashMap<String, String>,
}

/// The regions an engine's sources read, each once, in their order.
pub(crate) fn regions_of(engine: &crate::watch::Engine) -> Vec<String> {
    let mut regions: Vec<String> = Vec::new();
    for r in engine.sources().iter().filter_map(|s| s.region.clone()) {
        if !regions.contains(&r) {
            regions.push(r);
        }
    }
    regions
}

/// Reads every job `filter` selects from every source. When every source
/// refused, the refusals are the whole answer: `Err` with the exit code,
/// each said on stderr.
pub(crate) async fn read_window(
    connect: &ConnectArgs,
    filter: Filter,
    page_size: u16,
    noun: &'static str,
) -> Result<Window, ExitCode> {
    read(connect, filter, page_size, noun, false).await
}

/// [`read_window`], and every custom model of every source beside the
/// jobs (ListCustomModels, a request a source for each 1,000 models, under
/// the same cap on requests in flight). A source that refuses either read
/// is named after the output, once.
pub(crate) async fn read_window_and_models(
    connect: &ConnectArgs,
    filter: Filter,
    page_size: u16,
    noun: &'static str,
) -> Result<Window, ExitCode> {
    read(connect, filter, page_size, noun, true).await
}

async fn read(
    connect: &ConnectArgs,
    filter: Filter,
    page_size: u16,
    noun: &'static str,
    with_models: bool,
) -> Result<Window, ExitCode> {
    let (mut engine, driver) = engine_for(
        connect,
        filter,
        usize::from(page_size),
        Duration::from_secs(10),
    )
    .await?;
    let regions = regions_of(&engine);
    let progress = Progress::start(noun, &regions);
    let sources = crate::watch::driver::model_sources(&engine);
    let models = async {
        if with_models {
            driver.read_models(&sources).await
        } else {
            crate::watch::driver::ModelsRead::default()
        }
    };
    let (mut read, models) = tokio::join!(
        crate::watch::driver::read_all(&mut engine, &driver, |n| progress.show(n)),
        models
    );
    progress::clear();
    let sources = engine.sources().len();
    // Every account discovery listed (suspended ones too, which are not
    // read but ListAccounts names), then those the sources reach.
    let known: Vec<crate::domain::account::Account> = crate::cli::accounts::known_accounts()
        .into_iter()
        .chain(
            engine
                .sources()
                .iter()
                .filter_map(|s| s.spec.account.as_ref())
                .filter(|r| r.account.name.is_some())
                .map(|r| r.account.clone()),
        )
        .collect();
    let names = known
        .iter()
        .filter_map(|a| Some((a.id.clone(), a.name.clone()?)))
        .collect();
    let accounts: HashMap<String, String> =
        known.iter().map(|a| (a.id.clone(), a.label())).collect();
    if read.refused.len() == sources {
        return Err(report_refused(&read.refused, sources));
    }
    let mut refused_regions: Vec<String> = Vec::new();
    for r in &read.refused {
        if let Some(region) = engine.source(r.source).and_then(|s| s.region.clone())
            && !refused_regions.contains(&region)
        {
            refused_regions.push(region);
        }
    }
    let models_refused = models.refused_beside(&read.refused);
    read.refused.extend(models_refused);
    Ok(Window {
        refused_regions,
        jobs: read.jobs,
        models: models.models,
        refused: read.refused,
        sources,
        regions,
        accounts,
        names,
    })
}

impl Window {
    /// Writes what was made of the sources that answered, then names those
    /// that did not (exit 1: the output is partial).
    pub fn print(&self, text: &str) -> ExitCode {
        let mut out = std::io::stdout().lock();
        match io_exit(out.write_all(text.as_bytes()).and_then(|()| out.flush())) {
            code if code != ExitCode::SUCCESS || self.refused.is_empty() => code,
            _ => report_refused(&self.refused, self.sources),
        }
    }
}

/// A JSON value as the verbs print it: indented, a line feed last.
pub(crate) fn pretty(value: &serde_json::Value) -> Result<String, ExitCode> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| io_exit(Err(std::io::Error::other(e))))
}
