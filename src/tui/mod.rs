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
pub mod answer;
pub mod app;
pub mod article;
pub mod browser;
pub mod config;
pub mod cooc;
pub mod counts;
pub mod decisions;
pub mod editor;
pub mod export;
pub mod help;
pub mod hits;
pub mod journal;
pub mod jumps;
pub mod keymap;
pub mod layout;
pub mod list;
pub mod mode;
pub mod mouse;
pub mod names;
pub mod nav;
pub mod on_answer;
pub mod picker;
pub mod prompt;
pub mod review;
pub mod screen;
pub mod search;
pub mod select;
pub mod shared;
pub mod subject;
pub mod terminal;
pub mod theme;
pub mod timeline;
pub mod update;
pub mod view;
pub mod visual;
pub mod worker;
pub mod xref;

use crate::index;
use crate::load::{self, OpenOptions};
use action::{Action, Answer};
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
    // The question on quitting with unsaved decisions takes its own keys
    // only, over a text field and on a screen too small for the panes.
    let asking_to_quit = matches!(app.prompt, Some(app::Prompt::Quit { .. }));
    let action = if asking_to_quit {
        router.clear();
        router.route(keymap, &[keymap::Context::Quit], key)
    } else if too_small {
        // Only quitting works, with the global key the screen names, even
        // over an overlay or while typing.
        router.route(keymap, &[keymap::Context::Global], key)
    } else if app.input.is_some() {
        // The field's own keys, then what a printable key types.
        router.clear();
        router
            .route(keymap, &[keymap::Context::Input], key)
            .or_else(|| keymap::typed(key))
    } else {
        router.route(keymap, &update::contexts(app), key)
    };
    let pending = router.pending();
    let pending_changed = pending != app.pending_keys;
    app.pending_keys = pending;
    let Some(action) = action else {
        return pending_changed;
    };
    if too_small && !asking_to_quit && action != Action::Quit {
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

/// How often a running search hands over the hits it has found.
const SEARCH_BATCH_TIME: Duration = Duration::from_millis(100);

/// The generations of the newest background count and search: a thread
/// whose generation is no longer the newest stops early.
#[derive(Debug, Default)]
struct Generations {
    count: Arc<AtomicU64>,
    search: Arc<AtomicU64>,
}

/// Searches on a thread of its own, sending hits at most every
/// [`SEARCH_BATCH_TIME`] and a last batch when done. It gives up as soon as
/// a newer search starts or the search is stopped.
/// Tells the reader the terminal's size when it may have changed unseen
/// (after Ctrl-Z and `fg`, or SIGCONT), so that the article is wrapped
/// again to the width it now has.
fn resized(term: &mut terminal::Term, app: &mut App) -> std::io::Result<()> {
    let size = term.terminal.size()?;
    if (size.width, size.height) != (app.width, app.height) {
        update::update(app, Action::Resize(size.width, size.height));
    }
    Ok(())
}

fn spawn_search(
    app: &App,
    generation: u64,
    query: String,
    tx: &mpsc::Sender<Event>,
    latest: &Arc<AtomicU64>,
) {
    latest.store(generation, Ordering::SeqCst);
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let corpus = index.shared_corpus();
    let latest = Arc::clone(latest);
    let tx = tx.clone();
    let _ = std::thread::Builder::new()
        .name("search".into())
        .spawn(move || {
            let stale = || latest.load(Ordering::SeqCst) != generation;
            let mut pending = Vec::new();
            let mut last = Instant::now();
            let send = |hits, done, truncated| {
                let _ = tx.send(Event::Searched(app::SearchBatch {
                    generation,
                    hits,
                    done,
                    truncated,
                }));
            };
            let result = worker::search(&corpus, &query, app::SEARCH_LIMIT, stale, |hits| {
                pending.extend_from_slice(hits);
                if last.elapsed() >= SEARCH_BATCH_TIME {
                    last = Instant::now();
                    send(std::mem::take(&mut pending), false, false);
                }
            });
            if let Some(truncated) = result {
                send(pending, true, truncated);
            }
        });
}

/// Runs `work` on the index on a thread of its own and hands its action
/// back to the event loop (co-occurrence counts, shared sentences, an
/// export: each reads documents, which must not hold up the screen).
fn answer_off_thread(
    app: &App,
    tx: &mpsc::Sender<Event>,
    name: &str,
    work: impl FnOnce(&index::Index) -> Action + Send + 'static,
) {
    let Some(index) = app.index.clone() else {
        return;
    };
    let tx = tx.clone();
    let _ = std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            let _ = tx.send(Event::Answered(Box::new(work(&index))));
        });
}

/// Hands the effects `update` asked for to the workspace thread (decisions,
/// undo, redo) and to counting and search threads. Only the newest count
/// and search run to the end; older ones stop early. Returns the text of a
/// note to write in the editor, which needs the terminal.
fn run_effects(
    app: &mut App,
    commands: Option<&mpsc::Sender<worker::Command>>,
    tx: &mpsc::Sender<Event>,
    generations: &Generations,
) -> Option<String> {
    let mut edit = None;
    let count_generation = &generations.count;
    for effect in std::mem::take(&mut app.effects) {
        let cmd = match effect {
            Effect::Search { generation, query } => {
                spawn_search(app, generation, query, tx, &generations.search);
                continue;
            }
            Effect::StopSearch => {
                // No search has generation 0.
                generations.search.store(0, Ordering::SeqCst);
                continue;
            }
            Effect::EditNote(text) => {
                edit = Some(text);
                continue;
            }
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
                            crate::index::query::count_occurrences_until(&corpus, &text, stale)
                        {
                            let _ = tx.send(Event::Counted(text, n, d));
                        }
                    });
                continue;
            }
            Effect::CountCooc {
                generation,
                entity,
                level,
            } => {
                answer_off_thread(app, tx, "cooc", move |index| {
                    cooc::count(index, generation, entity, level)
                });
                continue;
            }
            Effect::FindShared {
                generation,
                a,
                b,
                level,
            } => {
                answer_off_thread(app, tx, "shared", move |index| {
                    cooc::find_shared(index, generation, a, b, level)
                });
                continue;
            }
            Effect::Export {
                entity,
                level,
                kind,
                csv,
            } => {
                let dir = std::env::current_dir().unwrap_or_else(|_| ".".into());
                let req = export::ExportRequest {
                    entity,
                    level,
                    kind,
                    csv,
                    dir,
                };
                answer_off_thread(app, tx, "export", move |index| export::run(index, &req));
                continue;
            }
            Effect::Decide(op) => worker::Command::Decide(op),
            Effect::Undo => worker::Command::Undo,
            Effect::Redo => worker::Command::Redo,
            Effect::TakeOver => worker::Command::TakeOver,
            Effect::RetrySave => worker::Command::Flush,
        };
        let sent = commands.is_some_and(|c| c.send(cmd).is_ok());
        if !sent {
            update::update(app, Action::NotSent);
        }
    }
    edit
}

/// Runs the interactive reader until the user quits.
pub fn run(opts: ReaderOptions) -> anyhow::Result<()> {
    // Before any thread can write the journal (see the function).
    terminal::ignore_file_size_signal();
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
    // Before the input thread reads the terminal.
    if terminal::should_ask_margins(config.margins, |k| std::env::var(k).ok()) {
        let margins = terminal::ask_margins(Duration::from_millis(1000));
        term.terminal.backend_mut().set_margins(margins);
    }
    let input_gate = Arc::new(terminal::InputGate::default());
    terminal::spawn_input(tx.clone(), Arc::clone(&input_gate))?;
    let generations = Generations::default();
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
    // A note to write in the editor, asked for by the last event.
    let mut edit: Option<String> = None;

    loop {
        if dirty {
            // Any pane may have scrolled: the backend scrolls the terminal
            // where that writes less than drawing again.
            for area in layout::scroll_areas(&app) {
                term.hint_scroll(area);
            }
            term.draw(|f| {
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
                // Nobody can answer a question any more: quit; the
                // workspace makes a last attempt to write what is unsaved.
                Event::InputClosed => update::update(&mut app, Action::ForceQuit),
                Event::Progress(p) => {
                    update::update(&mut app, Action::Progress(p));
                    dirty = true;
                }
                // Workers' answers are actions too: every change of state
                // goes through `update`.
                Event::Listed(index) => {
                    update::update(&mut app, Action::Listed(Answer::new(*index)));
                    dirty = true;
                }
                Event::Indexed(result) => {
                    match *result {
                        Ok(o) => {
                            update::update(&mut app, Action::Indexed(Answer::new(Ok(o.index))));
                            update::update(&mut app, Action::JournalReady(Answer::new(o.journal)));
                            opened = true;
                        }
                        Err(e) => update::update(&mut app, Action::Indexed(Answer::new(Err(e)))),
                    }
                    dirty = true;
                }
                Event::Applied(a) => {
                    update::update(&mut app, Action::Applied(Answer::new(*a)));
                    dirty = true;
                }
                Event::Counted(text, n, d) => {
                    update::update(&mut app, Action::Counted(text, n, d));
                    dirty = true;
                }
                Event::Answered(action) => {
                    update::update(&mut app, *action);
                    dirty = true;
                }
                Event::Searched(batch) => {
                    update::update(&mut app, Action::Searched(batch));
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
                        update::update(&mut app, Action::ForceQuit);
                    }
                }
            }
            if !app.effects.is_empty() {
                edit = run_effects(&mut app, commands.as_ref(), &tx, &generations).or(edit);
            }
            // The editor takes over the terminal at once: keys typed after
            // Ctrl-e are the editor's.
            if app.quit || edit.is_some() {
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
            // The terminal may have been resized while stopped.
            resized(&mut term, &mut app)?;
            dirty = true;
        }
        if app.redraw {
            app.redraw = false;
            term.resume()?;
            resized(&mut term, &mut app)?;
            dirty = true;
        }
        if let Some(text) = edit.take() {
            let command = editor::editor_command(
                std::env::var("VISUAL").ok().as_deref(),
                std::env::var("EDITOR").ok().as_deref(),
            );
            let result = term.lend(&input_gate, || editor::edit(&command, &text))?;
            // The terminal may have changed size meanwhile.
            let size = term.terminal.size()?;
            update::update(&mut app, Action::Resize(size.width, size.height));
            update::update(&mut app, Action::Edited(result));
            if !app.effects.is_empty() {
                run_effects(&mut app, commands.as_ref(), &tx, &generations);
            }
            dirty = true;
        }
    }
    drop(term);
    // Closing the channel lets the workspace finish what is queued and make a
    // last attempt at anything unsaved.
    drop(commands);
    let unsaved = match workspace {
        Some(handle) if opened => handle.join().ok().flatten(),
        _ => None,
    };
    if let Some(u) = &unsaved {
        // Nothing is lost without a trace: each decision is one line of
        // JSON, as the journal records it. Standard error may be on the
        // full disk too: a failed write must not panic.
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", u.heading());
        for line in u.json_lines() {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }
    if let Some(sig) = exit_signal {
        // Exit the way the signal would have ended us, now that the
        // terminal is restored.
        let _ = signal_hook::low_level::emulate_default_handler(sig);
    }
    match unsaved {
        Some(u) => Err(anyhow::anyhow!("{}", u.summary())),
        None => Ok(()),
    }
}
