//! Drives an [`Engine`] without a terminal, for the headless verbs: one
//! client per source, every source's request run at once, answers applied
//! in turn until no source has more to ask.

use super::call::Request;
use super::engine::{Engine, Event};
use super::exec;
use super::source::SourceId;
use crate::aws::{self, Connection, ErrorKind, FetchError, Target};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use std::collections::HashMap;
use std::ops::ControlFlow;

pub struct Driver {
    connections: HashMap<SourceId, Connection>,
    /// Retries of each request (the SDK's own are then off); None leaves
    /// retrying to the SDK and the engine's backoff.
    pub retry: Option<super::retry::RetryPolicy>,
}

impl Driver {
    /// Makes each source's client. A source without a region cannot be
    /// asked anything: that is a usage error, said before any request.
    pub async fn connect(base: &Target, engine: &mut Engine) -> Result<Driver, String> {
        let mut connections = HashMap::new();
        let specs: Vec<_> = engine
            .sources()
            .iter()
            .map(|s| (s.id, s.spec.clone()))
            .collect();
        for (id, spec) in specs {
            let target = Target {
                profile: spec.profile.clone().or_else(|| base.profile.clone()),
                region: spec.region.clone().or_else(|| base.region.clone()),
                ..base.clone()
            };
            let conn = aws::connect(&target).await;
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
        })
    }

    pub fn client(&self, id: SourceId) -> Option<&aws_sdk_bedrock::Client> {
        self.connections.get(&id).map(|c| &c.client)
    }

    /// Runs `requests` and whatever their answers lead to. With `fail_fast`
    /// the first error is returned (a listing must not go on without a
    /// region); otherwise errors stay in the engine, which backs off.
    pub async fn run(
        &self,
        engine: &mut Engine,
        mut requests: Vec<Request>,
        now: impl Fn() -> DateTime<Utc>,
        fail_fast: bool,
    ) -> Result<Vec<Event>, FetchError> {
        let mut events = Vec::new();
        while !requests.is_empty() {
            let answers: Vec<_> = futures::stream::iter(std::mem::take(&mut requests))
                .map(|r| async move {
                    let result = match (self.connections.get(&r.source), self.retry) {
                        (Some(c), Some(policy)) => {
                            policy
                                .run(
                                    || exec::execute(&c.client, r.call.clone()),
                                    super::retry::stderr_note,
                                )
                                .await
                        }
                        (Some(c), None) => exec::execute(&c.client, r.call).await,
                        (None, _) => Err(FetchError::new(ErrorKind::Other, "unknown source", None)),
                    };
                    (r.source, r.generation, result)
                })
                .buffer_unordered(self.connections.len().max(1))
                .collect()
                .await;
            for (source, generation, result) in answers {
                if fail_fast && let Err(e) = &result {
                    return Err(e.clone());
                }
                let applied = engine.apply(source, generation, result, now());
                events.extend(applied.events);
                requests.extend(applied.requests);
            }
        }
        Ok(events)
    }
}

/// Reads the listing to its end, every source merged, calling `each` after
/// every round of answers (the first included, even when it brought no
/// rows), until `each` breaks. Errors fail fast: a listing must not go on
/// without one of its sources.
pub async fn read_pages<B>(
    engine: &mut Engine,
    driver: &Driver,
    mut each: impl FnMut(&mut Engine) -> ControlFlow<B>,
) -> Result<Option<B>, FetchError> {
    let mut requests = engine.start(Utc::now());
    loop {
        driver.run(engine, requests, Utc::now, true).await?;
        if let ControlFlow::Break(b) = each(engine) {
            return Ok(Some(b));
        }
        if engine.complete() {
            return Ok(None);
        }
        requests = engine.more(Utc::now());
        if requests.is_empty() {
            return Ok(None);
        }
    }
}

/// Every job of the engine's listing, all pages, every source merged, each
/// job once (two profiles may see one account); `progress` hears the count
/// after each round. For the failure groups, headless and in the dashboard.
pub async fn read_all(
    engine: &mut Engine,
    driver: &Driver,
    mut progress: impl FnMut(usize),
) -> Result<Vec<crate::domain::job::CopyJob>, FetchError> {
    // A listing never refreshes: no probe of the head, no in-flight set.
    engine.follow_new = false;
    let mut seen = std::collections::HashSet::new();
    let mut jobs = Vec::new();
    read_pages(engine, driver, |engine| {
        for row in engine.drain_shown() {
            if seen.insert(row.job.job_arn.clone()) {
                jobs.push(row.job);
            }
        }
        progress(jobs.len());
        ControlFlow::<()>::Continue(())
    })
    .await?;
    Ok(jobs)
}
