//! Drives an [`Engine`] without a terminal, for the headless verbs and the
//! dashboard's window reads: one client per source, every source's request
//! run at once, each answer applied as it comes (a whole listing's, part by
//! part, as its windows finish) until no source has more to ask.

use super::call::{Call, Outcome, Request};
use super::engine::{Applied, Engine, Event};
use super::exec;
use super::retry::RetryPolicy;
use super::source::SourceId;
use super::windows::{self, Gate, Windowed};
use crate::aws::connector::Connector;
use crate::aws::{Connection, ErrorKind, FetchError, Target};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::stream::{BoxStream, SelectAll};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

/// Hears every answer as the engine applied it (the history records what
/// each one showed).
pub type Observer = std::sync::Arc<dyn Fn(&Engine, SourceId, &Applied) + Send + Sync>;

pub struct Driver {
    connections: HashMap<SourceId, Connection>,
    /// Retries of each request (the SDK's own are then off); None leaves
    /// retrying to the SDK and the engine's backoff.
    pub retry: Option<super::retry::RetryPolicy>,
    pub observer: Option<Observer>,
    /// Say on stderr what the service broke (the headless verbs); never
    /// under the dashboard, whose screen stderr would scroll.
    pub stderr: bool,
    /// The windows of whole listings ([`Call::Windows`]) read at once, all
    /// sources together: a cap, lowered for good by throttling.
    pub gate: Arc<Gate>,
}

/// One answer as it comes, with the request it answers.
type Answer = (SourceId, u64, Result<Outcome, FetchError>);

impl Driver {
    /// Makes each source's client, on a connector of its own.
    pub async fn connect(base: &Target, engine: &mut Engine) -> Result<Driver, String> {
        Driver::connect_with(&Connector::new(), base, engine).await
    }

    /// Makes each source's client from `connector` (one HTTPS client, one
    /// configuration per identity). A source without a region cannot be
    /// asked anything: that is a usage error, said before any request.
    pub async fn connect_with(
        connector: &Connector,
        base: &Target,
        engine: &mut Engine,
    ) -> Result<Driver, String> {
        let mut connections = HashMap::new();
        let specs: Vec<_> = engine
            .sources()
            .iter()
            .map(|s| (s.id, s.spec.clone()))
            .collect();
        for (id, spec) in specs {
            let (target, identity) = spec.reach(base);
            let conn = connector.connect(&target, &identity).await;
            if conn.region.is_empty() {
                return Err(
                    "no AWS region is configured: pass --region or --regions, set AWS_REGION, or give the profile a region"
                        .into(),
                );
            }
            engine.set_region(id, conn.region.clone());
            connections.insert(id, conn);
        }
        Ok(Driver {
            connections,
            retry: None,
            observer: None,
            stderr: false,
            gate: Arc::new(Gate::new(windows::DEFAULT_SLOTS)),
        })
    }

    pub fn client(&self, id: SourceId) -> Option<&aws_sdk_bedrock::Client> {
        self.connections.get(&id).map(|c| &c.client)
    }

    /// At most `slots` windows read at once, all sources together.
    pub fn set_concurrency(&mut self, slots: usize) {
        self.gate = Arc::new(Gate::new(slots));
    }

    /// How a whole read runs here: the driver's gate, its retries (one
    /// attempt a request without), its notes on stderr where it has one.
    fn windowed(&self) -> Windowed {
        Windowed {
            gate: self.gate.clone(),
            retry: self
                .retry
                .unwrap_or_else(|| RetryPolicy::standard().limited_to(Some(1))),
            note: if self.stderr {
                super::retry::stderr_note
            } else {
                |_| {}
            },
        }
    }

    /// The answers to `r` as they come: one, or a part per window read.
    fn answers(&self, r: Request) -> BoxStream<'_, Answer> {
        let (source, generation) = (r.source, r.generation);
        let Some(c) = self.connections.get(&source) else {
            let e = FetchError::new(ErrorKind::Other, "unknown source", None);
            return futures::stream::once(async move { (source, generation, Err(e)) }).boxed();
        };
        if let Call::Windows { filter, page_size } = r.call {
            // Retried request by request inside the read: a part handed on
            // is never asked again.
            let how = self.windowed();
            return exec::answer_in_parts(&c.client, filter, page_size, how)
                .map(move |result| (source, generation, result))
                .boxed();
        }
        let retry = self.retry;
        futures::stream::once(async move {
            let result = match retry {
                Some(policy) => {
                    let note = super::retry::stderr_note;
                    match policy
                        .run(|| exec::execute(&c.client, r.call.clone()), note)
                        .await
                    {
                        // Only the Gets that failed are asked again.
                        Ok(outcome) => Ok(exec::ask_again(&c.client, outcome, policy, note).await),
                        Err(e) => Err(e),
                    }
                }
                None => exec::execute(&c.client, r.call).await,
            };
            (source, generation, result)
        })
        .boxed()
    }

    /// Runs `requests` and whatever their answers lead to. With `fail_fast`
    /// the first error is returned (a listing must not go on without a
    /// region); otherwise errors stay in the engine, which backs off.
    pub async fn run(
        &self,
        engine: &mut Engine,
        requests: Vec<Request>,
        now: impl Fn() -> DateTime<Utc>,
        fail_fast: bool,
    ) -> Result<Vec<Event>, FetchError> {
        let mut events = Vec::new();
        self.run_each(engine, requests, now, fail_fast, |_, applied| {
            events.extend(applied.events);
            ControlFlow::<()>::Continue(())
        })
        .await?;
        Ok(events)
    }

    /// [`Driver::run`], each answer applied as it comes (every source's
    /// requests run at once; a whole listing answers a part per window) and
    /// handed to `each` with the engine, until `each` breaks: what is still
    /// out is then dropped where it stood.
    pub async fn run_each<B>(
        &self,
        engine: &mut Engine,
        requests: Vec<Request>,
        now: impl Fn() -> DateTime<Utc>,
        fail_fast: bool,
        mut each: impl FnMut(&mut Engine, Applied) -> ControlFlow<B>,
    ) -> Result<Option<B>, FetchError> {
        let mut out: SelectAll<BoxStream<'_, Answer>> = SelectAll::new();
        out.extend(requests.into_iter().map(|r| self.answers(r)));
        while let Some((source, generation, result)) = out.next().await {
            if fail_fast && let Err(e) = &result {
                return Err(e.clone());
            }
            let mut applied = engine.apply(source, generation, result, now());
            if let Some(observe) = &self.observer {
                observe(engine, source, &applied);
            }
            if self.stderr {
                let label = engine.source(source).map(|s| s.label());
                super::pager::say_on_stderr(label.as_deref(), applied.unkept);
            }
            out.extend(applied.requests.drain(..).map(|r| self.answers(r)));
            if let ControlFlow::Break(b) = each(engine, applied) {
                return Ok(Some(b));
            }
        }
        Ok(None)
    }
}

impl Driver {
    /// Every custom model of each of `sources` (id and label), all sources
    /// at once, each page under the driver's gate (the cap of the window
    /// reads, shared with the jobs' windows read beside it) and its retry
    /// policy. A source that refuses is reported in [`ModelsRead::refused`]
    /// as a listing reports it, the others' models kept.
    pub async fn read_models(&self, sources: &[(SourceId, String)]) -> ModelsRead {
        let how = &self.windowed();
        let reads = sources.iter().map(|(id, label)| async move {
            // At the largest page: the budget is a request a source for
            // each 1,000 models.
            let result = match self.connections.get(id) {
                Some(c) => exec::read_models(&c.client, super::pager::MAX_PAGE, how).await,
                None => Err(FetchError::new(ErrorKind::Other, "unknown source", None)),
            };
            (*id, label.clone(), result)
        });
        let mut read = ModelsRead::default();
        for (source, label, result) in futures::future::join_all(reads).await {
            match result {
                Ok(models) => read.models.extend(models),
                Err(error) => read.refused.push(Refused {
                    source,
                    label,
                    error,
                }),
            }
        }
        read
    }
}

/// The custom models of the sources that answered, and those that did not.
#[derive(Debug, Default)]
pub struct ModelsRead {
    pub models: Vec<crate::domain::custom_model::CustomModel>,
    pub refused: Vec<Refused>,
}

impl ModelsRead {
    /// The sources that refused their models but not their jobs (`jobs`:
    /// the jobs' refusals), each labelled as such: their jobs are read,
    /// so their cells stand, and what is missing is said apart.
    pub fn refused_beside(&self, jobs: &[Refused]) -> Vec<Refused> {
        self.refused
            .iter()
            .filter(|r| !jobs.iter().any(|j| j.source == r.source))
            .map(|r| Refused {
                label: format!("{} (its models)", r.label),
                ..r.clone()
            })
            .collect()
    }
}

/// The sources of `engine`, as [`Driver::read_models`] takes them.
pub fn model_sources(engine: &Engine) -> Vec<(SourceId, String)> {
    engine.sources().iter().map(|s| (s.id, s.label())).collect()
}

/// A source a listing could not read to its end, and the service's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub source: SourceId,
    /// As the header and the Region/Profile columns name it.
    pub label: String,
    pub error: FetchError,
}

/// What a listing read, and which sources it could not read.
#[derive(Debug)]
pub struct Listing<B> {
    /// What `each` broke with, if it did.
    pub stopped: Option<B>,
    /// In the order of the engine's sources; empty when every one was read.
    pub refused: Vec<Refused>,
}

impl<B> Listing<B> {
    /// The first refusal as the error, for a caller that cannot go on
    /// without every source.
    pub fn into_result(self) -> Result<Option<B>, FetchError> {
        match self.refused.into_iter().next() {
            Some(r) => Err(r.error),
            None => Ok(self.stopped),
        }
    }
}

/// The sources whose last answer was an error. A listing never retries a
/// source on its own (the retry policy already has), so that answer stands.
fn refused(engine: &Engine) -> Vec<Refused> {
    engine
        .sources()
        .iter()
        .filter_map(|s| {
            s.error.as_ref().map(|e| Refused {
                source: s.id,
                label: s.label(),
                error: e.error.clone(),
            })
        })
        .collect()
}

/// Reads the listing to its end, every source merged, calling `each` after
/// every answer from the first one that brought a source's first rows (even
/// when it brought no rows), until `each` breaks. A source the service
/// refuses is left behind and reported in [`Listing::refused`]; the others
/// are read to their end. The engine stops waiting for a refused source, so
/// it holds no row of the others back, and the rows it gave before its
/// refusal are already in their places. When every source is refused,
/// `each` is not called: there is nothing to show, and the refusals are the
/// whole answer. With [`Engine::windows`] each source is read whole, in
/// parallel windows answered as they finish; without, page after page, as
/// far as `each` wants.
pub async fn read_pages<B>(
    engine: &mut Engine,
    driver: &Driver,
    mut each: impl FnMut(&mut Engine) -> ControlFlow<B>,
) -> Listing<B> {
    let listing = |engine: &Engine, stopped| Listing {
        stopped,
        refused: refused(engine),
    };
    let mut requests = engine.start(Utc::now());
    loop {
        let answered = |engine: &mut Engine, _: Applied| {
            let something = engine
                .sources()
                .iter()
                .any(|s| s.first_done && s.error.is_none());
            if something {
                each(engine)
            } else {
                ControlFlow::Continue(())
            }
        };
        // Without fail-fast, errors cannot come back: they stay in the engine.
        if let Ok(Some(b)) = driver
            .run_each(engine, requests, Utc::now, false, answered)
            .await
        {
            return listing(engine, Some(b));
        }
        if engine.complete() || engine.sources().iter().all(|s| s.error.is_some()) {
            return listing(engine, None);
        }
        requests = engine.more(Utc::now());
        if requests.is_empty() {
            return listing(engine, None);
        }
    }
}

/// Every job a listing read whole, and the sources it could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadAll {
    pub jobs: Vec<crate::domain::job::CopyJob>,
    pub refused: Vec<Refused>,
}

/// Every job of the engine's listing, all pages, every source merged, each
/// job once (two profiles may see one account); `progress` hears the count
/// after each answer: the jobs read, those the merge still holds back
/// included (a row shows only once every source is read past it, so across
/// 36 sources the shown count stayed at 0 until the last source's first
/// part, tens of seconds in). A refused source is reported beside the jobs
/// of the others. For the failure groups, headless and in the dashboard.
pub async fn read_all(
    engine: &mut Engine,
    driver: &Driver,
    mut progress: impl FnMut(usize),
) -> ReadAll {
    // A listing never refreshes: no probe of the head, no in-flight set;
    // it is read whole, in windows.
    engine.follow_new = false;
    engine.windows = true;
    let mut seen = std::collections::HashSet::new();
    let mut jobs = Vec::new();
    let listing = read_pages(engine, driver, |engine| {
        for row in engine.drain_shown() {
            if seen.insert(row.job.job_arn.clone()) {
                jobs.push(row.job);
            }
        }
        progress(jobs.len() + engine.rows().len());
        ControlFlow::<()>::Continue(())
    })
    .await;
    ReadAll {
        jobs,
        refused: listing.refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(source: u32, label: &str) -> Refused {
        Refused {
            source: SourceId(source),
            label: label.into(),
            error: FetchError::new(ErrorKind::Service, "AccessDeniedException: no", None),
        }
    }

    #[test]
    fn a_source_refusing_only_its_models_is_said_apart_and_once() {
        let read = ModelsRead {
            models: Vec::new(),
            refused: vec![refused(1, "us-east-1"), refused(2, "us-west-2")],
        };
        // us-east-1 refused its jobs too: said once, as a listing says it.
        let jobs = [refused(1, "us-east-1")];
        let beside = read.refused_beside(&jobs);
        assert_eq!(beside.len(), 1);
        assert_eq!(beside[0].source, SourceId(2));
        // Not the source's own label: its jobs were read, its cells stand.
        assert_eq!(beside[0].label, "us-west-2 (its models)");
    }
}
