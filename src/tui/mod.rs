//! The interactive reader: three panes (documents, article, cross-links),
//! navigation from any mention to every other mention of its entity, a jump
//! list, full-text search, an entity browser, themes and a help screen
//! generated from the keymap.
//!
//! The shape follows the Elm architecture: [`app::App`] is plain state,
//! [`action::Action`] is everything that can happen to it, [`update::update`]
//! is the only function that changes it, and the [`view`] widgets only read
//! it. [`terminal`] owns the terminal and the event channel.

pub mod action;
pub mod annotation;
pub mod app;
pub mod config;
pub mod keymap;
pub mod layout;
pub mod select;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;
pub mod worker;

use crate::load::{self, OpenOptions};
use action::Action;
use app::{App, Effect};
use keymap::{Key, Keymap, Router};
use ratatui::crossterm::event::{Event as CtEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use terminal::{Event, Term};
use theme::Theme;

/// What the reader opens and how it looks.
#[derive(Debug, Clone, Default)]
pub struct ReaderOptions {
    pub open: OpenOptions,
    /// A built-in theme name or a theme file.
    pub theme: Option<String>,
    /// Mouse capture (off by default).
    pub mouse: bool,
}

/// How long a status message stays.
const MESSAGE_TIME: Duration = Duration::from_secs(4);

/// Routes one key press to an action and applies it. Returns true when the
/// screen may have changed.
pub fn handle_key(app: &mut App, router: &mut Router, keymap: &Keymap, key: Key) -> bool {
    let too_small = layout::too_small(Rect::new(0, 0, app.width, app.height));
    let action = if too_small {
        // Only quitting works, with the global key the screen names, even
        // over an overlay or while typing.
        router.route(keymap, &[keymap::Context::Global], key)
    } else if app.input.is_some() {
        router.clear();
        keymap::input_action(key)
    } else {
        router.route(keymap, &view::status_contexts(app), key)
    };
    let pending = router.pending();
    let pending_changed = pending != app.pending_keys;
    app.pending_keys = pending;
    let Some(action) = action else {
        return pending_changed;
    };
    if too_small && action != Action::Quit {
        return pending_changed;
    }
    update::update(app, action);
    true
}

/// Turns a terminal event into state changes. Returns true when the screen
/// may have changed.
pub fn handle_input(app: &mut App, router: &mut Router, keymap: &Keymap, ev: CtEvent) -> bool {
    match ev {
        CtEvent::Key(k) if k.kind == KeyEventKind::Press => {
            handle_key(app, router, keymap, Key::from_event(&k))
        }
        CtEvent::Resize(w, h) => {
            update::update(app, Action::Resize(w, h));
            true
        }
        CtEvent::Paste(s) if app.input.is_some() => {
            update::update(app, Action::Paste(s));
            true
        }
        CtEvent::Mouse(m) if app.mouse => {
            let action = match m.kind {
                MouseEventKind::Down(MouseButton::Left) => Action::Click(m.column, m.row),
                MouseEventKind::ScrollDown => Action::Wheel(m.column, m.row, true),
                MouseEventKind::ScrollUp => Action::Wheel(m.column, m.row, false),
                _ => return false,
            };
            update::update(app, action);
            true
        }
        _ => false,
    }
}

/// Hands the effects `update` asked for to the workspace thread (decisions,
/// undo, redo) and to counting threads. Only the newest count runs to the
/// end; older ones stop early.
fn run_effects(
    app: &mut App,
    commands: Option<&mpsc::Sender<worker::Command>>,
    tx: &mpsc::Sender<Event>,
    count_generation: &Arc<AtomicU64>,
) {
    for effect in std::mem::take(&mut app.effects) {
        let cmd = match effect {
            Effect::Count(text) => {
                let Some(index) = app.index.as_ref() else {
                    continue;
                };
                let corpus = index.shared_corpus();
                let generation = count_generation.fetch_add(1, Ordering::SeqCst) + 1;
                let latest = Arc::clone(count_generation);
                let tx = tx.clone();
                let _ = std::thread::Builder::new()
                    .name("count".into())
                    .spawn(move || {
                        let stale = || latest.load(Ordering::SeqCst) != generation;
                        if let Some((n, d)) =
                            annotation::count_occurrences_until(&corpus, &text, stale)
                        {
                            let _ = tx.send(Event::Counted(text, n, d));
                        }
                    });
                continue;
            }
            Effect::Decide(op) => worker::Command::Decide(op),
            Effect::Undo => worker::Command::Undo,
            Effect::Redo => worker::Command::Redo,
        };
        let sent = commands.is_some_and(|c| c.send(cmd).is_ok());
        if !sent {
            app.in_flight = app.in_flight.saturating_sub(1);
            app.set_error("NOT SAVED: the annotation journal is not open");
        }
    }
}

/// Runs the interactive reader until the user quits.
pub fn run(opts: ReaderOptions) -> anyhow::Result<()> {
    // Everything that can be wrong with the settings is reported before the
    // terminal is touched.
    let config = config::load()?;
    let keymap = config.keymap()?;
    let depth = theme::detect_depth(|k| std::env::var(k).ok());
    let theme = Theme::load(opts.theme.as_deref().or(config.theme.as_deref()), depth)?;
    let mouse = opts.mouse || config.mouse.unwrap_or(false);
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; for scripts, use `dossier docs`, `dossier entities` or `dossier mentions`"
        );
    }
    if terminal::in_background() {
        anyhow::bail!("the reader cannot run in the background: start it without `&`");
    }

    let (tx, rx) = mpsc::channel::<Event>();
    let (commands, workspace) = match terminal::spawn_workspace(opts.open.clone(), tx.clone()) {
        Some((c, h)) => (Some(c), Some(h)),
        None => (None, None),
    };
    terminal::spawn_signals(tx.clone())?;
    let mut term = Term::enter(mouse)?;
    terminal::spawn_input(tx.clone())?;
    let count_generation = Arc::new(AtomicU64::new(0));
    // The workspace has opened: on quit, wait for it to write what is queued.
    let mut opened = false;

    let size = term.terminal.size()?;
    let mut app = App::new(load::display_name(&opts.open), size.width, size.height);
    app.mouse = mouse;
    let mut router = Router::default();
    let mut dirty = true;
    // The only timer: a status message fades after a few seconds.
    let mut message_timer: Option<(u64, Instant)> = None;
    let mut exit_signal = None;

    loop {
        if dirty {
            term.terminal.draw(|f| {
                view::draw(
                    f,
                    &view::Screen {
                        app: &app,
                        theme: &theme,
                        keymap: &keymap,
                    },
                )
            })?;
            dirty = false;
        }
        if app.message.is_some() && message_timer.is_none_or(|(seq, _)| seq != app.message_seq) {
            message_timer = Some((app.message_seq, Instant::now() + MESSAGE_TIME));
        }
        // With no timer running, sleep until something happens.
        let first = match message_timer {
            Some((_, deadline)) => {
                match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(ev) => ev,
                    Err(mpsc::RecvTimeoutError::Timeout) => Event::Tick,
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                }
            }
            None => match rx.recv() {
                Ok(ev) => ev,
                Err(_) => break,
            },
        };
        // Handle everything already queued before drawing again.
        let mut next = Some(first);
        while let Some(ev) = next.take() {
            match ev {
                Event::Input(ev) => dirty |= handle_input(&mut app, &mut router, &keymap, ev),
                Event::InputClosed => update::update(&mut app, Action::Quit),
                Event::Progress(p) => {
                    update::update(&mut app, Action::Progress(p));
                    dirty = true;
                }
                Event::Indexed(result) => {
                    match *result {
                        Ok(o) => {
                            update::index_ready(&mut app, Ok(o.index));
                            annotation::journal_ready(&mut app, o.journal);
                            opened = true;
                        }
                        Err(e) => update::index_ready(&mut app, Err(e)),
                    }
                    dirty = true;
                }
                Event::Applied(a) => {
                    annotation::applied(&mut app, *a);
                    dirty = true;
                }
                Event::Counted(text, n, d) => {
                    update::update(&mut app, Action::Counted(text, n, d));
                    dirty = true;
                }
                Event::Tick => {
                    if let Some((seq, deadline)) = message_timer
                        && Instant::now() >= deadline
                    {
                        if seq == app.message_seq {
                            update::update(&mut app, Action::ClearMessage);
                            dirty = true;
                        }
                        message_timer = None;
                    }
                }
                Event::Signal(sig) => {
                    use signal_hook::consts::{SIGCONT, SIGTSTP};
                    if sig == SIGTSTP {
                        update::update(&mut app, Action::Suspend);
                    } else if sig == SIGCONT {
                        update::update(&mut app, Action::Redraw);
                    } else {
                        exit_signal = Some(sig);
                        update::update(&mut app, Action::Quit);
                    }
                }
            }
            if !app.effects.is_empty() {
                run_effects(&mut app, commands.as_ref(), &tx, &count_generation);
            }
            if app.quit {
                break;
            }
            next = rx.try_recv().ok();
        }
        if app.quit {
            break;
        }
        if app.suspend {
            app.suspend = false;
            term.suspend()?;
            dirty = true;
        }
        if app.redraw {
            app.redraw = false;
            term.resume()?;
            dirty = true;
        }
    }
    drop(term);
    // Closing the channel lets the workspace finish what is queued and make a
    // last attempt at anything unsaved.
    drop(commands);
    if opened
        && let Some(handle) = workspace
        && let Ok(Some(unsaved)) = handle.join()
    {
        eprintln!("dossier: {unsaved}");
    }
    if let Some(sig) = exit_signal {
        // Exit the way the signal would have ended us, now that the
        // terminal is restored.
        let _ = signal_hook::low_level::emulate_default_handler(sig);
    }
    Ok(())
}
