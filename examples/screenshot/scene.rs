//! The README's screenshot: the dashboard at 120×36 on two regions of the
//! built-in endpoint's data, the detail pane open on a failed copy.
//!
//! Shared by `examples/screenshot` (which writes the picture) and
//! `tests/screenshot.rs` (which checks the committed one is current), so
//! both draw the very same frame. Nothing depends on today or the local
//! zone: the endpoint's clock is frozen at [`NOW`], its data comes from a
//! fixed seed, and times show in UTC.
//!
//! The frame comes about as in the app: `update` asks for each source's
//! first page, the endpoint answers in-process (no sockets, no SDK: the
//! same handler and JSON `copyjobs serve` sends), the keys select the job,
//! and `ui::draw` draws twice with the table's height fed back between.

use chrono::{DateTime, FixedOffset, Utc};
use copyjobs::app::msg::{Effect, Msg};
use copyjobs::app::{Settings, State};
use copyjobs::aws::{Page, Target};
use copyjobs::dashboard::update;
use copyjobs::domain::job::{CopyJob, Status, Tag};
use copyjobs::domain::query::Filter;
use copyjobs::emulator::{Emulator, EmulatorOptions, api};
use copyjobs::watch::{Call, Outcome, SourceSpec};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

/// Where the picture lives, whatever directory cargo runs in.
pub const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/screenshot.svg");

/// A Tuesday afternoon, in both regions' working hours.
const NOW: &str = "2026-03-10T15:40:00Z";
const REGIONS: [&str; 2] = ["us-east-1", "us-west-2"];
const SEED: u64 = 42;
const SIZE: (u16, u16) = (120, 36);
/// The window's title: the command that shows this.
const TITLE: &str = "copyjobs demo --regions us-east-1,us-west-2";

/// The picture, as `assets/screenshot.svg` holds it.
pub fn svg() -> String {
    let mut state = state();
    let terminal = render(&mut state);
    copyjobs::output::svg::buffer_to_svg(terminal.backend().buffer(), TITLE)
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .expect("NOW is RFC 3339")
        .with_timezone(&Utc)
}

/// The dashboard of `copyjobs demo --regions …`, loaded, with the newest
/// failed job that has tags selected and its detail open.
fn state() -> State {
    let now = now();
    let regions: Vec<String> = REGIONS.map(String::from).to_vec();
    let emu = Emulator::new(EmulatorOptions {
        jobs: 500,
        seed: SEED,
        frozen: true,
        // A few copies in flight among finished ones, not a screenful of
        // them: the demo's default rate keeps some 30 a region running.
        arrival_rate: 0.1,
        regions: regions.clone(),
        now: Some(now.timestamp_millis()),
        ..Default::default()
    });
    let target = Target {
        endpoint_url: Some("http://127.0.0.1:4566".into()),
        demo: true,
        ..Target::default()
    };
    let utc = FixedOffset::east_opt(0).expect("UTC is an offset");
    let settings = Settings {
        sources: SourceSpec::product(&[], &regions),
        ..Settings::new(target.describe(), target, utc)
    };
    let mut state = State::new(settings, Filter::default(), now);
    let asked = update(&mut state, Msg::Start(now));
    answer(&emu, &mut state, asked);
    let Some(target) = (0..state.view.len()).find(|&i| {
        let job = &state.row(state.view[i]).expect("a shown row").job;
        job.status == Status::Failed && !job.tags.is_empty()
    }) else {
        panic!("the data set has a failed job with tags");
    };
    for _ in 0..target {
        key(&mut state, KeyCode::Down);
    }
    key(&mut state, KeyCode::Enter);
    state
}

fn key(state: &mut State, code: KeyCode) {
    update(state, Msg::Key(KeyEvent::from(code)));
}

/// Does what the effects runner would: each source connects to its region,
/// then gets the first page it asked for from the endpoint.
fn answer(emu: &Emulator, state: &mut State, effects: Vec<Effect>) {
    let at = state.now;
    for effect in effects {
        let Effect::Fetch { spec, request } = effect else {
            continue;
        };
        let region = spec.region.expect("each source names its region");
        update(
            state,
            Msg::Connected {
                source: request.source,
                region: region.clone(),
            },
        );
        let Call::First {
            filter,
            page_size,
            inflight: None,
            probe: None,
        } = request.call
        else {
            panic!("the scene answers a plain first page only: {request:?}");
        };
        assert_eq!(filter, Filter::default(), "no filter in the scene");
        let (_, body) = api::list(emu, &region, &format!("maxResults={page_size}"))
            .unwrap_or_else(|e| panic!("the endpoint lists {region}: {e:?}"));
        let more = update(
            state,
            Msg::Loaded {
                source: request.source,
                generation: request.generation,
                result: Ok(Outcome::First {
                    page: page(&body),
                    inflight: Vec::new(),
                    newest: None,
                }),
                at,
            },
        );
        answer(emu, state, more);
    }
}

/// A ListModelCopyJobs body as the SDK would hand it over.
fn page(body: &[u8]) -> Page {
    let v: Value = serde_json::from_slice(body).expect("the endpoint answers JSON");
    Page {
        jobs: v["modelCopyJobSummaries"]
            .as_array()
            .expect("a list of summaries")
            .iter()
            .map(job)
            .collect(),
        next_token: v["nextToken"].as_str().map(String::from),
        ..Page::default()
    }
}

/// One summary in the API's JSON (the shape of `output::export::job_json`)
/// as a job: the SDK's conversion needs its own types, which only its
/// HTTP client builds.
fn job(v: &Value) -> CopyJob {
    let text = |k: &str| v[k].as_str().map(String::from);
    let required = |k: &str| text(k).unwrap_or_else(|| panic!("a summary has {k}: {v}"));
    CopyJob {
        job_arn: required("jobArn"),
        status: Status::from_wire(&required("status")),
        created: DateTime::parse_from_rfc3339(&required("creationTime"))
            .expect("creationTime is RFC 3339")
            .with_timezone(&Utc),
        target_model_arn: required("targetModelArn"),
        target_model_name: text("targetModelName"),
        source_account_id: required("sourceAccountId").into(),
        source_model_arn: required("sourceModelArn").into(),
        source_model_name: text("sourceModelName").map(Into::into),
        kms_key_arn: text("targetModelKmsKeyArn"),
        tags: match v.get("targetModelTags") {
            Some(t) => {
                serde_json::from_value::<Vec<Tag>>(t.clone()).expect("tags are {key, value}")
            }
            None => Vec::new(),
        },
        failure_message: text("failureMessage"),
    }
}

/// Draw, tell `update` the table's height, draw again: as the loop does.
fn render(state: &mut State) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("a test terminal");
    let mut height = 0;
    terminal
        .draw(|f| height = copyjobs::ui::draw(f, state))
        .expect("drawn");
    update(state, Msg::Viewport(height));
    terminal
        .draw(|f| height = copyjobs::ui::draw(f, state))
        .expect("drawn");
    terminal
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summaries read back are the jobs the export writes: the JSON
    /// field names agree with the API's.
    #[test]
    fn a_job_survives_the_apis_json() {
        let emu = Emulator::new(EmulatorOptions {
            jobs: 50,
            seed: SEED,
            frozen: true,
            regions: vec!["us-east-1".into()],
            now: Some(now().timestamp_millis()),
            ..Default::default()
        });
        let (_, body) = api::list(&emu, "us-east-1", "maxResults=50").expect("a page");
        let jobs = page(&body).jobs;
        assert_eq!(jobs.len(), 50);
        let raw: Value = serde_json::from_slice(&body).expect("JSON");
        for (job, summary) in jobs
            .iter()
            .zip(raw["modelCopyJobSummaries"].as_array().unwrap())
        {
            assert_eq!(&copyjobs::output::export::job_json(job), summary);
        }
        assert!(
            jobs.iter()
                .any(|j| !j.tags.is_empty() && j.kms_key_arn.is_some())
        );
    }
}
