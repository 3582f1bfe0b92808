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
pub mod app;
pub mod config;
pub mod keymap;
pub mod layout;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod view;

use crate::load::{self, OpenOptions};
use action::Action;
use app::App;
use keymap::{Key, Keymap, Router};
use ratatui::crossterm::event::{Event as CtEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;
use std::io::IsTerminal;
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
    let action = if app.input.is_some() {
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
    if layout::too_small(Rect::new(0, 0, app.width, app.height)) && action != Action::Quit {
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

/// Runs the interactive reader until the user quits.
pub fn run(opts: ReaderOptions) -> anyhow::Result<()> {
    // Everything that can be wrong with the settings is reported before the
    // terminal is touched.
    let config = config::load()?;
    let keymap = Keymap::with_overrides(&config.keys);
    let depth = theme::detect_depth(|k| std::env::var(k).ok());
    let theme = Theme::load(opts.theme.as_deref().or(config.theme.as_deref()), depth)?;
    let mouse = opts.mouse || config.mouse.unwrap_or(false);
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; for scripts, use `dossier docs`, `dossier entities` or `dossier mentions`"
        );
    }

    let (tx, rx) = mpsc::channel::<Event>();
    terminal::spawn_indexer(opts.open.clone(), tx.clone());
    terminal::spawn_signals(tx.clone())?;
    let mut term = Term::enter(mouse)?;
    terminal::spawn_input(tx.clone())?;
    drop(tx);

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
                    update::index_ready(&mut app, *result);
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
    if let Some(sig) = exit_signal {
        // Exit the way the signal would have ended us, now that the
        // terminal is restored.
        let _ = signal_hook::low_level::emulate_default_handler(sig);
    }
    Ok(())
}
