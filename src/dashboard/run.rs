//! The event loop: one `select!` over the terminal, fetch results, the next
//! timer deadline and SIGTERM. It draws only when something changed; idle, it
//! sleeps until the next refresh.

use super::effects::Runner;
use super::update::update;
use crate::app::Clock;
use crate::app::msg::Msg;
use crate::app::{Settings, State};
use crate::aws::Target;
use crate::domain::query::Filter;
use crossterm::event::{Event, EventStream, MouseButton, MouseEvent, MouseEventKind};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

/// When the process started (set first thing in `main`) and how long after
/// it the first frame was on screen, for `--stats`.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
static FIRST_FRAME: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

/// Frames drawn in this process, for `--stats`.
pub static FRAMES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// What a user attaches to a report about speed: frames drawn, calls by
/// operation, the session's length and its peak memory (Linux's VmHWM).
pub fn stats_line(elapsed: std::time::Duration) -> String {
    use std::sync::atomic::Ordering::Relaxed;
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let first = FIRST_FRAME.get().map_or_else(String::new, |d| {
        format!(
            " (the first {:.1} ms after start)",
            d.as_secs_f64() * 1000.0
        )
    });
    format!(
        "copyjobs stats: {:.1} s, {} frames drawn{first}, requests: ListModelCopyJobs {}, GetModelCopyJob {}, CreateModelCopyJob {}, ListCustomModels {}, peak memory {peak}",
        elapsed.as_secs_f64(),
        FRAMES.load(Relaxed),
        crate::aws::calls::LISTS.load(Relaxed),
        crate::aws::calls::GETS.load(Relaxed),
        crate::aws::calls::CREATES.load(Relaxed),
        crate::aws::calls::MODEL_LISTS.load(Relaxed),
    )
}

/// Runs the dashboard until the user quits. The terminal is restored on
/// every way out: quit, SIGTERM, an error (here) and a panic (ratatui's hook).
pub async fn run(
    target: Target,
    settings: Settings,
    filter: Filter,
    clock: Clock,
    history: Option<crate::history::Options>,
) -> std::io::Result<()> {
    let mouse = settings.mouse;
    let mut terminal = ratatui::try_init()?;
    crash_hook(settings.log_path.clone(), mouse);
    if mouse {
        crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)?;
    }
    hang_up_watchdog();
    let result = event_loop(&mut terminal, target, settings, filter, clock, history).await;
    if mouse {
        release_mouse();
    }
    let restored = ratatui::try_restore();
    let gone = match &result {
        Ok(ended) => *ended == Ended::HungUp,
        Err(e) => terminal_gone(e),
    };
    if gone {
        // The terminal was closed (SIGHUP, or it stopped taking writes): an
        // end like `q`. Nothing can be restored on it, and ratatui's drop
        // would report the failure to show the cursor on a stderr that is
        // gone too, which panics.
        tracing::info!("the terminal was closed: the session ends as on q");
        std::mem::forget(terminal);
        return Ok(());
    }
    restored?;
    result.map(|_| ())
}

/// How the loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// q, Ctrl-C, SIGTERM, the end of input.
    Quit,
    /// SIGHUP: the terminal was closed under the dashboard.
    HungUp,
}

/// An error writing to the terminal that means it is no longer there (a
/// closed pty answers EIO).
fn terminal_gone(e: &std::io::Error) -> bool {
    const EIO: i32 = 5;
    const ENXIO: i32 = 6;
    matches!(e.raw_os_error(), Some(EIO | ENXIO)) || e.kind() == std::io::ErrorKind::BrokenPipe
}

/// A panic anywhere (the loop or any task) ends the session: the terminal
/// is handed back (mouse reporting off, raw mode off, the main screen), the
/// panic and its backtrace go to the log, and one short message says where
/// that log is. Exiting at once, rather than letting a task die quietly,
/// keeps a half-working dashboard from drawing over a restored terminal.
fn crash_hook(log: Option<std::path::PathBuf>, mouse: bool) {
    std::panic::set_hook(Box::new(move |info| {
        if mouse {
            release_mouse();
        }
        let _ = ratatui::try_restore();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string());
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        tracing::error!(
            "crashed: {what}{place}\n{}",
            std::backtrace::Backtrace::force_capture()
        );
        match &log {
            Some(p) => eprintln!(
                "copyjobs crashed: {what}{place}.\nThe terminal is restored; the log has the details: {}",
                p.display()
            ),
            None => eprintln!("copyjobs crashed: {what}{place}."),
        }
        std::process::exit(101);
    }));
}

fn release_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
}

/// A mouse event as a message: the wheel moves, a click selects a row or
/// sorts by a column. Measured against the frame `area` the table was drawn in.
fn mouse_msg(ev: MouseEvent, area: ratatui::layout::Rect, state: &State) -> Option<Msg> {
    match ev.kind {
        MouseEventKind::ScrollDown => Some(Msg::Scroll(3)),
        MouseEventKind::ScrollUp => Some(Msg::Scroll(-3)),
        MouseEventKind::Down(MouseButton::Left) => {
            match crate::ui::hit(area, state, ev.column, ev.row)? {
                crate::ui::Hit::Row(i) => Some(Msg::ClickRow(i)),
                crate::ui::Hit::Header(c) => Some(Msg::SortBy(c)),
            }
        }
        _ => None,
    }
}

/// SIGTERM and SIGHUP, heard from the moment this is called: the handlers
/// are installed here, before the first frame, not when the returned future
/// is first polled (a terminal closed right after the first frame would
/// otherwise kill the process unheard).
fn terminated() -> impl std::future::Future<Output = Ended> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let signals = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        );
        async move {
            match signals {
                (Ok(mut term), Ok(mut hup)) => {
                    tokio::select! {
                        _ = term.recv() => Ended::Quit,
                        _ = hup.recv() => Ended::HungUp,
                    }
                }
                _ => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    std::future::pending()
}

/// How long the loop has to end once the terminal is hung up before the
/// watchdog ends the process.
const HANG_UP_GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Ends the process if the loop has not ended `HANG_UP_GRACE` after a
/// SIGHUP or a SIGTERM. A pty closed under crossterm 0.29 can leave its reader looping
/// on a read that returns 0 (end of file) while it holds the input lock,
/// and a loop waiting on that never hears the signal: found as dashboards
/// spinning at a third of a core after their terminal closed, under load.
/// This runs on a thread and a runtime of its own (the dashboard's runtime
/// is the loop's one thread), so it hears the signal whatever the loop is
/// doing; nothing can be drawn or restored on a closed terminal.
fn hang_up_watchdog() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        // Started before the loop draws, so no signal comes unheard.
        let (ready, listening) = std::sync::mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("watchdog".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                runtime.block_on(async move {
                    // SIGTERM too: a loop stuck so is as deaf to it (a
                    // dashboard left spinning outlived `kill`).
                    let (Ok(mut hup), Ok(mut term)) = (
                        signal(SignalKind::hangup()),
                        signal(SignalKind::terminate()),
                    ) else {
                        return;
                    };
                    let _ = ready.send(());
                    let what = tokio::select! {
                        _ = hup.recv() => "the terminal was closed",
                        _ = term.recv() => "SIGTERM came",
                    };
                    tokio::time::sleep(HANG_UP_GRACE).await;
                    tracing::warn!(
                        "{what} and the dashboard had not ended {}s later: ended here",
                        HANG_UP_GRACE.as_secs()
                    );
                    tracing::info!(ok = true, watchdog = true, "dashboard ended");
                    std::process::exit(0);
                });
            });
        if thread.is_ok() {
            let _ = listening.recv();
        }
    }
}

/// The least time between two frames drawn for what the sources or the
/// clock changed: 300 sources answer some 30 times a second, and a frame
/// for each cost more than the answers (a key is drawn at once).
const FRAME_GAP: std::time::Duration = std::time::Duration::from_millis(250);

/// The least time between two frames drawn for what only moves with the
/// clock and the requests (`ui::Moving`): the countdown and the ages move
/// once a second, and the refresh label, which flickers between
/// "refreshing…" and "next in 0s" a few times a second when 300 sources
/// refresh in turn, is read once a second like them.
const CLOCK_GAP: std::time::Duration = std::time::Duration::from_secs(1);

async fn event_loop(
    terminal: &mut DefaultTerminal,
    target: Target,
    settings: Settings,
    filter: Filter,
    clock: Clock,
    history: Option<crate::history::Options>,
) -> std::io::Result<Ended> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runner = Runner::new(target, tx, clock.clone());
    let mut state = State::new(settings, filter, clock());
    if let Some(options) = history {
        runner.keep_history(options);
        state.history.on = true;
    }
    let mut events = EventStream::new();
    let term = terminated();
    tokio::pin!(term);

    let handle = |state: &mut State, runner: &mut Runner, msg: Msg| {
        let effects = update(state, msg);
        runner.run(effects);
    };
    handle(&mut state, &mut runner, Msg::Start(clock()));
    // The crash test's hook, read once: nothing to check on each turn. Only
    // in builds with debug assertions (the tests' profile): a release build,
    // what users run, has no way to be made to crash.
    let crash_after_first_frame =
        cfg!(debug_assertions) && std::env::var_os("COPYJOBS_CRASH_TEST").is_some();
    // `dirty`: draw now (a key, a resize). Else a frame is drawn when what
    // it shows changed: the state's revision (rows, news, failures, panes)
    // at most once a FRAME_GAP, what moves with the clock and the requests
    // (`ui::Moving`) at most once a CLOCK_GAP. An answer that changed
    // nothing draws nothing.
    let mut dirty = true;
    let mut shown: Option<(u64, crate::ui::Moving)> = None;
    let mut reuse = crate::ui::table::Reuse::default();
    let mut drawn = std::time::Instant::now();
    let mut ticked = std::time::Instant::now();
    let mut ended = Ended::Quit;
    loop {
        let now_shows = (state.revision, crate::ui::Moving::of(&state));
        let gap = |shown: &Option<(u64, crate::ui::Moving)>| match shown {
            Some(s) if *s == now_shows => None,
            Some((revision, _)) if *revision == now_shows.0 => Some(CLOCK_GAP),
            _ => Some(FRAME_GAP),
        };
        if dirty || gap(&shown).is_some_and(|g| drawn.elapsed() >= g) {
            let mut height = state.viewport;
            // Nothing but the clock and the requests moved since the last
            // frame: the table may be copied from it (`ui::table::Reuse`).
            let clock_only = !dirty && shown.as_ref().is_some_and(|s| s.0 == state.revision);
            if let Err(e) = terminal
                .draw(|f| height = crate::ui::draw_reusing(f, &state, Some(&mut reuse), clock_only))
            {
                if terminal_gone(&e) {
                    // Closed under us, the SIGHUP not yet heard.
                    ended = Ended::HungUp;
                    break;
                }
                return Err(e);
            }
            if FRAMES.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 0
                && let Some(t) = STARTED.get()
            {
                let _ = FIRST_FRAME.set(t.elapsed());
            }
            dirty = false;
            shown = Some(now_shows.clone());
            drawn = std::time::Instant::now();
            if height != state.viewport {
                handle(&mut state, &mut runner, Msg::Viewport(height));
                dirty = true;
                continue;
            }
        }
        if state.quit {
            break;
        }
        // For the crash test only: a panic with the dashboard on screen.
        if crash_after_first_frame {
            panic!("the crash test asked for it (COPYJOBS_CRASH_TEST)");
        }
        let frame = gap(&shown).map(|g| g.saturating_sub(drawn.elapsed()));
        // Timers are taken at most a batch gap apart (`Engine::batch_gap`):
        // 300 sources' refreshes each fall due at their own instant, 30 a
        // second, and taken one wake-up each, the wake-ups cost more than
        // the requests; in batches, the answers come back together too.
        // Idle with 276 sources, 250 ms batches took a quarter more CPU
        // than the default interval's 1 s.
        let timer = state.next_deadline().map(|t| {
            let due = (t - clock()).to_std().unwrap_or_default();
            due.max(state.engine.batch_gap().saturating_sub(ticked.elapsed()))
        });
        let sleep = timer.into_iter().chain(frame).min();
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(key))) => {
                    handle(&mut state, &mut runner, Msg::Tick(clock()));
                    handle(&mut state, &mut runner, Msg::Key(key));
                    dirty = true;
                }
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(Event::Mouse(m))) => {
                    let area = terminal.size().map(|s| ratatui::layout::Rect::new(0, 0, s.width, s.height));
                    if let Some(msg) = area.ok().and_then(|a| mouse_msg(m, a, &state)) {
                        handle(&mut state, &mut runner, msg);
                        dirty = true;
                    }
                }
                Some(Ok(_)) => {}
                // The terminal closed under us: reading it fails at once,
                // every time, and a frame that changes nothing writes
                // nothing, so only this can tell (two dashboards whose pty
                // closed before their SIGHUP was heard spun at half a core
                // each, deaf to SIGTERM, since the loop never waited).
                Some(Err(e)) if terminal_gone(&e) => {
                    ended = Ended::HungUp;
                    break;
                }
                Some(Err(e)) => {
                    handle(&mut state, &mut runner, Msg::InputError(e.to_string()));
                    dirty = true;
                }
                None => break,
            },
            Some(msg) = rx.recv() => handle(&mut state, &mut runner, msg),
            () = async { match sleep { Some(d) => tokio::time::sleep(d).await, None => std::future::pending().await } } => {
                if ticked.elapsed() >= state.engine.batch_gap() {
                    ticked = std::time::Instant::now();
                    handle(&mut state, &mut runner, Msg::Tick(clock()));
                }
            }
            how = &mut term => {
                ended = how;
                break;
            }
        }
        // Take everything already waiting before drawing once.
        while let Ok(msg) = rx.try_recv() {
            handle(&mut state, &mut runner, msg);
        }
    }
    // The history's last word on the jobs still running, however it ended.
    let sightings = crate::history::Observed::last_sightings(&state.engine);
    runner.run(
        sightings
            .into_iter()
            .map(|o| crate::app::msg::Effect::Record(Box::new(o)))
            .collect(),
    );
    remember(&state);
    Ok(ended)
}

/// Keeps this session's view as the last of its sources, for the next
/// start. Best effort: a failure to write must not turn a quit into an error.
fn remember(state: &State) {
    let Some(path) = &state.settings.views_path else {
        return;
    };
    let mut views = state.settings.views.clone();
    let key = crate::config::views::key_for(&state.settings.sources, state.settings.target.demo);
    views.last.insert(key, state.current_view());
    let _ = views.save(path);
}
