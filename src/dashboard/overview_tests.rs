//! `M` and `T`: the window read once for both, kept current by the live
//! refresh, and the ways out of the matrix (Enter, `C`, `y`).

use super::*;
use crate::app::msg::Purpose;
use crate::domain::stats::Counts;
use crate::watch::SourceSpec;

const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "ap-northeast-2", "us-west-2"];
/// A Nova Canvas model: its copies may go to ap-northeast-2, eu-west-1 and
/// us-east-1 only (the shipped table), so us-west-2 is ⊘.
const CANVAS: &str =
    "arn:aws:bedrock:us-east-1:111122223333:custom-model/amazon.nova-canvas-v1:0/abcdefghij12";

fn copy(i: usize, region: &str, status: Status) -> CopyJob {
    let id = format!("{i:012}");
    CopyJob {
        job_arn: format!("arn:aws:bedrock:{region}:111122223333:model-copy-job/{id}"),
        target_model_arn: format!("arn:aws:bedrock:{region}:111122223333:custom-model/x/{id}"),
        source_model_arn: CANVAS.into(),
        source_model_name: Some("brand-images-canvas".into()),
        ..job(i, status)
    }
}

/// Four sources, one a region, the first page of the first one loaded
/// with `first`, and the table filtered to failed jobs.
fn state_with(first: Vec<CopyJob>) -> State {
    let regions: Vec<String> = REGIONS.iter().map(|r| r.to_string()).collect();
    let settings = Settings {
        sources: SourceSpec::product(&[], &regions),
        ..Settings::new("test", Target::default(), FixedOffset::east_opt(0).unwrap())
    };
    let mut s = State::new(settings, Filter::default(), t0());
    update(&mut s, Msg::Start(t0()));
    update(&mut s, Msg::Viewport(10));
    first_pages(&mut s, &first);
    s
}

/// Every source's first page: the jobs of its region.
fn first_pages(s: &mut State, jobs: &[CopyJob]) {
    let sources: Vec<(SourceId, u64, Option<String>)> = s
        .engine
        .sources()
        .iter()
        .map(|src| (src.id, src.generation, src.spec.region.clone()))
        .collect();
    for (source, generation, region) in sources {
        let page = page(
            jobs.iter()
                .filter(|j| Some(j.region()) == region.as_deref())
                .cloned()
                .collect(),
            None,
        );
        let at = s.now;
        update(
            s,
            Msg::Loaded {
                source,
                generation,
                result: Ok(Outcome::First {
                    page,
                    inflight: Vec::new(),
                    newest: None,
                }),
                at,
            },
        );
    }
}

fn window_read(effects: &[Effect]) -> Option<(u64, Filter)> {
    effects.iter().find_map(|e| match e {
        Effect::ReadWindow {
            purpose: Purpose::Overview,
            generation,
            filter,
            ..
        } => Some((*generation, filter.clone())),
        _ => None,
    })
}

fn jobs_of_window() -> Vec<CopyJob> {
    vec![
        copy(1, "eu-west-1", Status::Completed),
        copy(2, "eu-west-1", Status::Failed),
        copy(3, "ap-northeast-2", Status::InProgress),
    ]
}

/// `M` opened and its read answered with `jobs`.
fn matrix_open(s: &mut State, jobs: Vec<CopyJob>) {
    let fx = update(s, ch('M'));
    let (generation, _) = window_read(&fx).expect("M reads the window");
    update(
        s,
        Msg::WindowRead {
            generation,
            result: Ok(jobs),
        },
    );
}

fn cell(s: &State, region: &str) -> Option<(Status, u32)> {
    let m = &s.overview.as_ref()?.data.as_ref()?.matrix;
    let column = m.regions().iter().position(|r| r == region)?;
    let c = m.row(0)?.cell(column)?;
    Some((c.status(), c.copies))
}

fn stats_total(s: &State) -> Counts {
    s.overview
        .as_ref()
        .unwrap()
        .data
        .as_ref()
        .unwrap()
        .stats
        .total
}

#[test]
fn m_reads_every_status_of_the_window_once_and_t_draws_from_the_same_jobs() {
    let mut s = state_with(Vec::new());
    crate::app::query::apply_filter(
        &mut s,
        Filter {
            status: Some(Status::Failed),
            ..Filter::default()
        },
    );
    let fx = update(&mut s, ch('M'));
    let (generation, filter) = window_read(&fx).expect("M reads the window");
    assert_eq!(
        filter.status, None,
        "every status: the newest copy may have completed"
    );
    update(
        &mut s,
        Msg::WindowProgress {
            generation,
            read: 2,
        },
    );
    assert_eq!(s.overview.as_ref().unwrap().read, 2);
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(jobs_of_window()),
        },
    );
    // The newest copy into eu-west-1 is job 1 (completed), of two.
    assert_eq!(cell(&s, "eu-west-1"), Some((Status::Completed, 2)));
    assert_eq!(cell(&s, "ap-northeast-2"), Some((Status::InProgress, 1)));
    assert_eq!(cell(&s, "us-west-2"), None);
    // T, after M, reads nothing: the same jobs.
    update(&mut s, key(KeyCode::Esc));
    let fx = update(&mut s, ch('T'));
    assert!(window_read(&fx).is_none(), "{fx:?}");
    assert!(
        s.pane_as::<crate::panes::activity::ActivityPane>()
            .is_some()
    );
    let total = stats_total(&s);
    assert_eq!(
        (total.completed, total.failed, total.in_progress),
        (1, 1, 1)
    );
    // M from T: the matrix again, still without a read.
    let fx = update(&mut s, ch('M'));
    assert!(window_read(&fx).is_none(), "{fx:?}");
    assert!(s.pane_as::<crate::panes::models::ModelsPane>().is_some());
    // r reads again.
    let fx = update(&mut s, ch('r'));
    assert!(window_read(&fx).is_some());
}

#[test]
fn a_copy_finishing_turns_its_cell_and_its_bar_without_a_read() {
    let running = copy(3, "us-east-1", Status::InProgress);
    let mut s = state_with(vec![running.clone()]);
    let mut all = jobs_of_window();
    all[2] = running.clone();
    matrix_open(&mut s, all);
    let mut done = running.clone();
    done.status = Status::Completed;
    let fx = load(&mut s, FetchKind::Refresh, page(vec![done], None));
    assert!(window_read(&fx).is_none());
    assert_eq!(cell(&s, "us-east-1"), Some((Status::Completed, 1)));
    let total = stats_total(&s);
    assert_eq!(
        (total.completed, total.failed, total.in_progress),
        (2, 1, 0),
        "moved, not counted twice"
    );
    // A new copy seen by the refresh is counted once, in its cell.
    let new = copy(0, "us-east-1", Status::InProgress);
    load(&mut s, FetchKind::Refresh, page(vec![new.clone()], None));
    load(&mut s, FetchKind::Refresh, page(vec![new], None));
    assert_eq!(cell(&s, "us-east-1"), Some((Status::InProgress, 2)));
    assert_eq!(stats_total(&s).total(), 4);
}

#[test]
fn a_change_seen_while_the_window_is_read_is_applied_once_it_is_in() {
    let running = copy(3, "us-east-1", Status::InProgress);
    let mut s = state_with(vec![running.clone()]);
    let fx = update(&mut s, ch('M'));
    let (generation, _) = window_read(&fx).unwrap();
    let mut done = running.clone();
    done.status = Status::Completed;
    load(&mut s, FetchKind::Refresh, page(vec![done], None));
    // The read began before the change: it still says running.
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(vec![running]),
        },
    );
    assert_eq!(cell(&s, "us-east-1"), Some((Status::Completed, 1)));
    assert_eq!(stats_total(&s).in_progress, 0);
}

#[test]
fn enter_on_a_cell_shows_that_models_jobs_in_that_region() {
    let mut s = state_with(jobs_of_window());
    matrix_open(&mut s, jobs_of_window());
    // eu-west-1 is the second column.
    update(&mut s, key(KeyCode::Right));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(s.panes.is_empty(), "back to the table");
    assert_eq!(s.filter().source_model_arn.as_deref(), Some(CANVAS));
    assert_eq!(s.region_only.as_deref(), Some("eu-west-1"));
    assert!(!fetches(&fx).is_empty(), "the table reads with the filter");
    // The rows shown are that region's only; Esc shows every region.
    first_pages(&mut s, &jobs_of_window());
    assert_eq!(s.view.len(), 2, "eu-west-1's two copies");
    assert!(
        s.view
            .iter()
            .all(|slot| s.row(*slot).unwrap().job.region() == "eu-west-1"),
        "only eu-west-1"
    );
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.region_only, None);
    // A cell without a copy says so and stays.
    let mut s = state_with(Vec::new());
    matrix_open(&mut s, jobs_of_window());
    for _ in 0..3 {
        update(&mut s, key(KeyCode::Right));
    }
    update(&mut s, key(KeyCode::Enter));
    assert!(s.pane_as::<crate::panes::models::ModelsPane>().is_some());
    assert!(s.notice.as_ref().unwrap().text.starts_with("No copy of"));
}

#[test]
fn c_in_the_matrix_checks_the_regions_still_missing_the_model() {
    let mut s = state_with(Vec::new());
    matrix_open(&mut s, jobs_of_window());
    update(&mut s, ch('C'));
    let Mode::CopyTo(p) = mode(&s) else {
        panic!("{:?}", mode(&s))
    };
    let checked: Vec<&str> = p
        .regions
        .iter()
        .filter(|r| r.1)
        .map(|r| r.0.as_str())
        .collect();
    // eu-west-1 has a completed copy, us-east-1 is its home, us-west-2
    // cannot take it: only ap-northeast-2 (running, not completed) is left.
    assert_eq!(checked, ["ap-northeast-2"]);
    assert_eq!(p.source_model_arn, CANVAS);
    assert_eq!(p.name.value(), "brand-images-canvas-copy", "after its name");
    // us-west-2 cannot be checked: Space says where it can go.
    let at = p.regions.iter().position(|r| r.0 == "us-west-2").unwrap();
    for _ in 0..at {
        update(&mut s, key(KeyCode::Down));
    }
    update(&mut s, key(KeyCode::Char(' ')));
    let Mode::CopyTo(p) = mode(&s) else { panic!() };
    assert!(!p.regions[at].1);
    let said = p.error.as_deref().unwrap();
    assert!(
        said.contains("cannot go to us-west-2")
            && said.contains("ap-northeast-2, eu-west-1, us-east-1"),
        "{said}"
    );
    // Read-only: C is refused in the matrix as in the table.
    let mut s = state_with(Vec::new());
    s.settings.read_only = true;
    matrix_open(&mut s, jobs_of_window());
    update(&mut s, ch('C'));
    assert!(s.pane_as::<crate::panes::models::ModelsPane>().is_some());
}

#[test]
fn the_matrix_finds_models_by_name_and_copies_an_arn() {
    let mut s = state_with(Vec::new());
    let mut other = job(9, Status::Completed);
    other.source_model_name = Some("fraud-detector".into());
    let mut all = jobs_of_window();
    all.push(other.clone());
    matrix_open(&mut s, all);
    update(&mut s, ch('/'));
    typed(&mut s, "FRAUD");
    update(&mut s, key(KeyCode::Enter));
    let fx = update(&mut s, ch('y'));
    assert_eq!(
        fx,
        vec![Effect::Copy(other.source_model_arn.to_string())],
        "y copies the one model found"
    );
    // Esc while typing clears the search; then Esc closes.
    update(&mut s, ch('/'));
    update(&mut s, key(KeyCode::Esc));
    let fx = update(&mut s, ch('y'));
    assert_eq!(fx, vec![Effect::Copy(CANVAS.to_string())]);
    update(&mut s, key(KeyCode::Esc));
    assert!(s.panes.is_empty());
}

#[test]
fn m_and_t_are_rebindable_and_their_keys_close_them() {
    use crate::config::keys::{Action, Key, KeyBindings, Keys};
    let mut s = state_with(Vec::new());
    let overrides = std::collections::BTreeMap::from([
        (Action::Models, Keys(vec![Key::parse("ctrl-g").unwrap()])),
        (Action::Activity, Keys(vec![Key::parse("ctrl-t").unwrap()])),
    ]);
    s.settings.keys = KeyBindings::new(&overrides).unwrap();
    let ctrl = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    update(&mut s, ch('M'));
    assert!(s.panes.is_empty(), "M no longer opens the matrix");
    let fx = update(&mut s, ctrl('g'));
    assert!(window_read(&fx).is_some());
    assert!(s.pane_as::<crate::panes::models::ModelsPane>().is_some());
    // The rebound key of the other pane switches to it, its own closes it.
    update(&mut s, ctrl('t'));
    assert!(
        s.pane_as::<crate::panes::activity::ActivityPane>()
            .is_some()
    );
    update(&mut s, ctrl('t'));
    assert!(s.panes.is_empty());
}

#[test]
fn a_region_not_read_is_not_offered_as_missing_and_esc_in_c_returns_to_the_matrix() {
    let mut s = state_with(Vec::new());
    let fx = update(&mut s, ch('M'));
    let (generation, _) = window_read(&fx).unwrap();
    update(
        &mut s,
        Msg::WindowRefused {
            generation,
            refused: vec![(
                "ap-northeast-2".into(),
                "AccessDeniedException: explicit deny".into(),
            )],
        },
    );
    // What the others hold: ap-northeast-2's running copy is not among them.
    let read: Vec<CopyJob> = jobs_of_window()
        .into_iter()
        .filter(|j| j.region() != "ap-northeast-2")
        .collect();
    update(
        &mut s,
        Msg::WindowRead {
            generation,
            result: Ok(read),
        },
    );
    update(&mut s, ch('C'));
    let Mode::CopyTo(p) = mode(&s) else { panic!() };
    let checked: Vec<&str> = p
        .regions
        .iter()
        .filter(|r| r.1)
        .map(|r| r.0.as_str())
        .collect();
    assert!(
        checked.is_empty(),
        "a region not read may hold a copy: {checked:?}"
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(
        s.pane_as::<crate::panes::models::ModelsPane>().is_some(),
        "back in the matrix"
    );
}

#[test]
fn question_mark_in_m_shows_m_s_keys_and_any_key_returns_to_m_as_it_was() {
    let mut s = state_with(Vec::new());
    matrix_open(&mut s, jobs_of_window());
    update(&mut s, key(KeyCode::Right));
    update(&mut s, ch('?'));
    let help = s
        .pane_as::<crate::panes::help::PaneHelp>()
        .expect("M's own keys, not the table's help");
    let out = format!("{help:?}");
    for k in ["\"←→ h l\"", "\"Enter\"", "\"C\"", "\"r\""] {
        assert!(out.contains(k), "{k} in {out}");
    }
    update(&mut s, key(KeyCode::Esc));
    let m = s
        .pane_as::<crate::panes::models::ModelsPane>()
        .expect("back in M, not the table");
    assert_eq!(m.column, 1, "the selected region kept");
    // In a read-only session C is not offered.
    s.settings.read_only = true;
    update(&mut s, ch('?'));
    let out = format!("{:?}", s.pane_as::<crate::panes::help::PaneHelp>().unwrap());
    assert!(!out.contains("\"C\""), "{out}");
}

#[test]
fn a_key_m_and_t_do_not_take_is_said_in_the_status_bar() {
    let mut s = state_with(Vec::new());
    matrix_open(&mut s, jobs_of_window());
    let said = |s: &State| s.notice.as_ref().map(|n| n.text.clone());
    update(&mut s, ch('S'));
    assert!(s.pane_as::<crate::panes::models::ModelsPane>().is_some());
    assert_eq!(
        said(&s).as_deref(),
        Some("S does nothing in the matrix: ? shows its keys, Esc closes it")
    );
    update(&mut s, ch('T'));
    update(&mut s, ch('f'));
    assert_eq!(
        said(&s).as_deref(),
        Some("f does nothing in the charts: ? shows its keys, Esc closes it")
    );
}

#[test]
fn c_opened_over_m_sends_or_cancels_back_to_m_as_it_was() {
    let mut s = state_with(Vec::new());
    matrix_open(&mut s, jobs_of_window());
    // M's own state: a region chosen and a name found.
    update(&mut s, key(KeyCode::Right));
    update(&mut s, key(KeyCode::Right));
    update(&mut s, ch('/'));
    typed(&mut s, "canvas");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('C'));
    assert!(matches!(mode(&s), Mode::CopyTo(_)), "{:?}", mode(&s));
    assert_eq!(s.panes.len(), 2, "C is over M");
    // Esc in C: M again, its region and its search kept.
    update(&mut s, key(KeyCode::Esc));
    let m = s
        .pane_as::<crate::panes::models::ModelsPane>()
        .expect("back in M");
    assert_eq!((m.row, m.column), (0, 2));
    assert_eq!(m.find.value(), "canvas");
    assert_eq!(s.notice.as_ref().unwrap().text, "Nothing sent");
    // Sending from C also gives the keys back to M.
    update(&mut s, ch('C'));
    let fx = update(&mut s, key(KeyCode::Enter));
    assert!(
        fx.iter().any(|e| matches!(e, Effect::Create { .. })),
        "{fx:?}"
    );
    assert!(s.pane_as::<crate::panes::models::ModelsPane>().is_some());
    // And Esc in M leaves for the table: nothing else was under it.
    update(&mut s, key(KeyCode::Esc));
    assert!(s.panes.is_empty());
}

/// M's and T's title with an organisation's refused sources: counted as
/// the header counts them (`✘ 5 of 92 sources`), where naming each ran
/// the title off the screen; one or two are still named.
#[test]
fn a_titles_refused_sources_are_counted_past_two() {
    use crate::app::overview::Overview;
    use crate::panes::models::not_read;
    let specs = vec![crate::watch::SourceSpec::default(); 92];
    let mut o = Overview::new(1, Filter::default(), specs);
    let refused = |n: usize| -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("ml-{i}/us-east-1"), "AccessDenied".into()))
            .collect()
    };
    o.refused = refused(2);
    assert_eq!(
        not_read(Some(&o)),
        " · ✘ ml-0/us-east-1, ml-1/us-east-1 not read"
    );
    o.refused = refused(5);
    assert_eq!(not_read(Some(&o)), " · ✘ 5 of 92 sources not read");
}
