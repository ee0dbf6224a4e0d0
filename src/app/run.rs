//! The event loop: one `select!` over the terminal, fetch results, the next
//! timer deadline and SIGTERM. It draws only when something changed; idle, it
//! sleeps until the next refresh.

use super::Clock;
use super::effects::Runner;
use super::msg::Msg;
use super::state::{Settings, State};
use super::update::update;
use crate::aws::Target;
use crate::domain::query::Filter;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

/// Runs the dashboard until the user quits. The terminal is restored on
/// every way out: quit, SIGTERM, an error (here) and a panic (ratatui's hook).
pub async fn run(
    target: Target,
    settings: Settings,
    filter: Filter,
    clock: Clock,
) -> std::io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, target, settings, filter, clock).await;
    ratatui::try_restore()?;
    result
}

async fn terminated() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = hup.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    target: Target,
    settings: Settings,
    filter: Filter,
    clock: Clock,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runner = Runner::new(target, tx, clock.clone());
    let mut state = State::new(settings, filter, clock());
    let mut events = EventStream::new();
    let term = terminated();
    tokio::pin!(term);

    let handle = |state: &mut State, runner: &mut Runner, msg: Msg| {
        let effects = update(state, msg);
        runner.run(effects);
    };
    handle(&mut state, &mut runner, Msg::Start(clock()));
    let mut dirty = true;
    loop {
        if dirty {
            let mut height = state.viewport;
            terminal.draw(|f| height = crate::ui::draw(f, &state))?;
            dirty = false;
            if height != state.viewport {
                handle(&mut state, &mut runner, Msg::Viewport(height));
                dirty = true;
                continue;
            }
        }
        if state.quit {
            break;
        }
        let sleep = state
            .next_deadline()
            .map(|t| (t - clock()).to_std().unwrap_or_default());
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(key))) => {
                    handle(&mut state, &mut runner, Msg::Tick(clock()));
                    handle(&mut state, &mut runner, Msg::Key(key));
                    dirty = true;
                }
                Some(Ok(Event::Resize(..))) => dirty = true,
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    handle(&mut state, &mut runner, Msg::InputError(e.to_string()));
                    dirty = true;
                }
                None => break,
            },
            Some(msg) = rx.recv() => {
                handle(&mut state, &mut runner, msg);
                dirty = true;
            }
            () = async { match sleep { Some(d) => tokio::time::sleep(d).await, None => std::future::pending().await } } => {
                handle(&mut state, &mut runner, Msg::Tick(clock()));
                dirty = true;
            }
            () = &mut term => break,
        }
        // Take everything already waiting before drawing once.
        while let Ok(msg) = rx.try_recv() {
            handle(&mut state, &mut runner, msg);
        }
    }
    remember(&state);
    Ok(())
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
