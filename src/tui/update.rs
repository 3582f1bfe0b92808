//! `update(&mut App, Action)`: every change to the reader's state goes
//! through here. No I/O, so it is tested without a terminal.

use super::action::Action;
use super::app::Overlay as O;
use super::app::{App, Effect, Field, LoadState, Overlay, Pane, Prompt, Review};
use super::keymap::Context;
use super::layout::{self};
use super::mode::{Ctx, Outcome};
use super::nav::{self, article_height, push_jump, refilter_browser, refilter_list, reveal};
use super::nav::{jump_back, jump_forward, step_same};
use super::visual;
use super::{article, browser, help, journal, list, mouse, prompt, review, search, xref};
use super::{counts, decisions, on_answer};
use super::{hits, timeline};
use super::{names, shared};
use crate::entity::DocId;
use crate::index::Index;
use crate::index::query::Direction;
use crate::text;

/// The background indexing finished.
/// The documents are read but not yet analysed: list them and open the
/// first, so that reading can start while the engine runs. Nothing can be
/// decided until [`index_ready`] brings the real index and the journal.
///
/// It may come several times while the files are read, each time with more
/// documents: the reader stays on the document it shows, at the same line,
/// and the list's selection stays on the same document.
pub fn index_listed(app: &mut App, index: Index) {
    if !matches!(app.load, LoadState::Loading(_)) {
        return;
    }
    // Where the reader is, by document id (the numbers change as documents
    // are added).
    let place = app.index.as_ref().map(|old| {
        let id = |d: Option<DocId>| d.map(|d| old.doc(d).id.clone());
        (
            id(app.article.doc),
            app.article.lines.get(app.article.scroll).map(|r| r.start),
            id(app.list.selected_doc()),
        )
    });
    let empty = index.docs().is_empty();
    app.index = Some(index);
    app.journal.read_only = true;
    app.journal.trouble = Some(STILL_INDEXING.to_string());
    refilter_list(app);
    let find = |app: &App, id: &Option<String>| {
        let index = app.index.as_ref()?;
        index.doc_by_id(id.as_deref()?)
    };
    match place {
        Some((doc, top, selected)) => {
            if let Some(d) = find(app, &doc) {
                // The same document keeps its lines; another number is
                // wrapped anew.
                open_doc(app, d, top);
                if let Some(top) = top {
                    app.article.scroll = app.article.line_of(top);
                }
            }
            if let Some(d) = find(app, &selected)
                && let Some(pos) = app.list.rows.iter().position(|&r| r == d)
            {
                app.list.selected = pos;
            }
        }
        None if !empty => {
            open_doc(app, 0, None);
            app.list.selected = 0;
        }
        None => {}
    }
    after(app);
}

/// Why nothing can be decided while the documents are listed but not yet
/// analysed.
pub const STILL_INDEXING: &str = "still indexing; decisions can be made as soon as it is done";

pub fn index_ready(app: &mut App, result: Result<Index, String>) {
    match result {
        Ok(index) => {
            // Where the reader was while the engine ran, to keep it.
            let place = app.index.is_some().then_some((
                app.article.doc,
                app.article.scroll,
                app.list.selected,
            ));
            let mut notes = Vec::new();
            if let Some(s) = index.corpus().skipped_summary() {
                notes.push(s);
            }
            if !index.corpus().warnings.is_empty() {
                notes.push(format!(
                    "{} (see `dossier docs`)",
                    text::plural(index.corpus().warnings.len(), "warning", "warnings")
                ));
            }
            let empty = index.docs().is_empty();
            app.index = Some(index);
            app.load = LoadState::Ready;
            refilter_list(app);
            if empty {
                app.set_error(format!(
                    "{}: no readable documents (.txt, .md, .html, .jsonl)",
                    app.corpus_name
                ));
            } else {
                match place {
                    // Same documents, now with their mentions: stay where the
                    // reader is, the mention cursor at the top of the view.
                    Some((doc, scroll, selected)) => {
                        if let Some(doc) = doc {
                            let top = app.article.lines.get(scroll).map(|r| r.start);
                            open_doc(app, doc, top);
                            app.article.scroll = scroll;
                        }
                        app.list.selected = selected;
                    }
                    None => {
                        open_doc(app, 0, None);
                        app.list.selected = 0;
                    }
                }
                if !notes.is_empty() {
                    app.set_message(notes.join("; "));
                }
            }
        }
        Err(e) => {
            if app.journal.trouble.as_deref() == Some(STILL_INDEXING) {
                app.journal.trouble = Some(format!("indexing failed: {e}"));
            }
            app.set_error(format!("cannot open {}: {e}", app.corpus_name));
            app.load = LoadState::Failed(e);
        }
    }
    after(app);
}

/// True for the keys that move or select: the status line's position
/// (or the selection) is what the user wants to see after them, so a
/// message from before gives way at once.
fn moves(action: &Action) -> bool {
    matches!(
        action,
        Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
            | Action::FocusLeft
            | Action::FocusRight
            | Action::ToggleXref
            | Action::JumpBack
            | Action::JumpForward
            | Action::Open
            | Action::NextMention
            | Action::PrevMention
            | Action::NextSame
            | Action::PrevSame
            | Action::NextSection
            | Action::PrevSection
            | Action::NextHit
            | Action::PrevHit
            | Action::Visual
            | Action::SelectName
            | Action::ExtendWord
            | Action::ExtendWordLeft
            | Action::ExtendChar
            | Action::ShrinkChar
            | Action::SwapEnds
            | Action::NextWord
            | Action::PrevWord
            | Action::LineDown
            | Action::LineUp
            | Action::Click(..)
            | Action::Wheel(..)
    )
}

/// Applies one action.
pub fn update(app: &mut App, action: Action) {
    // A message yields to the position as soon as the user moves (a
    // message the move itself makes is set after this).
    if moves(&action) && app.prompt.is_none() && app.input.is_none() {
        app.message = None;
    }
    match action {
        Action::Quit => quit(app),
        Action::ForceQuit => app.quit = true,
        Action::RetrySave => retry_save(app),
        Action::Suspend => app.suspend = true,
        Action::Redraw => app.redraw = true,
        Action::Resize(w, h) => {
            app.width = w;
            app.height = h;
        }
        Action::ClearMessage => app.message = None,
        Action::Progress(p) => {
            if matches!(app.load, LoadState::Loading(_)) {
                app.load = LoadState::Loading(Some(p));
            }
        }
        Action::Help => {
            app.input = None;
            app.overlay = Some(Overlay::Help);
            app.help = Default::default();
        }
        // Workers' answers come whatever the reader is doing.
        Action::Listed(a) => {
            app.labels.clear();
            if let Some(index) = a.take() {
                index_listed(app, index);
            }
        }
        Action::Indexed(a) => {
            app.labels.clear();
            if let Some(result) = a.take() {
                index_ready(app, result);
            }
        }
        Action::JournalReady(a) => {
            if let Some(info) = a.take() {
                on_answer::journal_ready(app, info);
            }
        }
        Action::Applied(a) => {
            app.labels.clear();
            if let Some(answer) = a.take() {
                on_answer::applied(app, answer);
            }
        }
        Action::CoocCounted(a) => {
            if let Some(counts) = a.take() {
                let current = app.xref.entity;
                app.xref.cooc.counted(app.index.as_ref(), current, counts);
            }
        }
        Action::SharedFound(a) => {
            if let Some(found) = a.take() {
                app.shared.found(found);
            }
        }
        Action::Exported(Ok(to)) => app.set_message(format!("Wrote {to}")),
        Action::Exported(Err(why)) => app.set_error(why),
        Action::NotSent => {
            app.in_flight = app.in_flight.saturating_sub(1);
            app.set_error("NOT SAVED: the annotation journal is not open");
            // No answer will come: a retry before quitting failed.
            if let Some(Prompt::Quit { retrying }) = app.prompt.as_mut() {
                *retrying = false;
            }
        }
        _ if app.index.is_none() => {
            if matches!(action, Action::Back) {
                app.overlay = None;
            } else if app.overlay == Some(Overlay::Help) {
                move_selection(app, &action);
            } else if matches!(app.load, LoadState::Loading(_)) {
                app.set_message("Still indexing; the keys work as soon as it is done");
            }
        }
        // The modes take the actions that are theirs.
        _ if visual_mode(app, &action) || prompt_mode(app, &action) => {}
        // The open overlay takes the actions that are its own (a question
        // takes Esc before it).
        _ if app.overlay.is_some()
            && !(action == Action::Back && app.prompt.is_some())
            && open_overlay(app, &action) => {}
        // The focused pane takes the actions that are its own (a question
        // or a selection takes Esc before it).
        _ if app.overlay.is_none()
            && !(action == Action::Back && (app.prompt.is_some() || app.visual.is_some()))
            && focused_pane(app, &action) => {}
        Action::Search => {
            app.overlay = None;
            app.input = Some(Field::Search);
            app.search.preselected = !app.search.query.is_empty();
        }
        Action::Entities => {
            app.input = None;
            app.overlay = Some(Overlay::Entities);
            refilter_browser(app);
        }
        Action::ToggleXref => {
            app.overlay = None;
            app.focus = if app.focus == Pane::Xref {
                Pane::Article
            } else {
                Pane::Xref
            };
        }
        // The status line's first key hint says how to come back.
        Action::Zoom => app.zoom = !app.zoom,
        Action::FocusLeft => {
            if app.overlay.is_none() {
                app.focus = match app.focus {
                    Pane::Xref => Pane::Article,
                    _ => Pane::List,
                };
            }
        }
        Action::FocusRight => {
            if app.overlay.is_none() {
                app.focus = match app.focus {
                    Pane::List => Pane::Article,
                    _ => Pane::Xref,
                };
            }
        }
        Action::JumpBack => jump_back(app),
        Action::JumpForward => jump_forward(app),
        Action::MarkEntity => mark_entity(app),
        Action::ClearFilters => {
            if app.input == Some(Field::ListFilter) {
                app.input = None;
            }
            let o = app.list.clear_filters(app.index.as_ref());
            apply(app, o);
        }
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => move_selection(app, &action),
        Action::Open => open(app),
        Action::Back => back(app),
        Action::Filter => match app.overlay {
            Some(_) => {}
            None => {
                app.focus = Pane::List;
                app.input = Some(Field::ListFilter);
            }
        },
        Action::NextMention | Action::PrevMention => {
            let cx = Ctx::new(app.index.as_ref(), article_height(app));
            let o = app.article.step_mention(action == Action::NextMention, &cx);
            apply(app, o);
        }
        Action::NextSame => step_same(app, true),
        Action::PrevSame => step_same(app, false),
        Action::NextSection => app.xref.step_section(true),
        Action::PrevSection => app.xref.step_section(false),
        // The browser's own (see above).
        Action::Sort => {}
        // The cross-link panel's.
        Action::Names => show_names(app),
        Action::CoocLevel => {
            let m = app.xref.cooc.cycle_level();
            app.set_message(m);
        }
        Action::CoocKind => {
            let (index, e) = (app.index.as_ref(), app.xref.entity);
            let m = app.xref.cooc.cycle_kind(index, e);
            app.set_message(m);
        }
        Action::ExportMarkdown => export(app, false),
        Action::ExportCsv => export(app, true),
        // The shared-sentences view's (see above).
        Action::ShowOther => {}
        Action::NextHit => step_hit(app, Direction::Next),
        Action::PrevHit => step_hit(app, Direction::Previous),
        Action::Timeline => open_timeline(app),
        Action::Tag => decisions::tag(app),
        Action::Link => decisions::link(app),
        Action::RejectMention => decisions::reject_mention(app),
        Action::AcceptLink => decisions::accept_link(app),
        Action::RejectLink => decisions::reject_link(app),
        Action::Rename => decisions::rename(app),
        Action::SetKind => decisions::set_kind(app),
        Action::Merge => decisions::merge(app),
        Action::Split => decisions::split(app),
        Action::Note => decisions::note(app),
        Action::Undo => decisions::undo(app, false),
        Action::Redo => decisions::undo(app, true),
        Action::Journal => {
            app.input = None;
            app.visual = None;
            app.overlay = Some(Overlay::Journal);
            app.journal_overlay = Default::default();
        }
        Action::TakeOver => decisions::take_over(app),
        Action::Review => open_review(app),
        Action::Counted(t, n, d) => counts::counted(app, &t, n, d),
        Action::Searched(batch) => {
            let shown = app.overlay == Some(Overlay::Results);
            let o = app.search.searched(batch, shown);
            apply(app, o);
        }
        Action::InputChar(c) => {
            replace_selection(app);
            edit_field(app, |s| s.push(c));
        }
        Action::Paste(t) => {
            let line = t.lines().next().unwrap_or("").to_string();
            let clean = text::sanitize(&line).into_owned();
            replace_selection(app);
            edit_field(app, |s| s.push_str(&clean));
        }
        Action::InputBackspace => {
            if !replace_selection(app) {
                edit_field(app, |s| {
                    s.pop();
                });
            }
        }
        Action::InputClear => edit_field(app, String::clear),
        Action::InputAccept => accept_field(app),
        Action::InputCancel => cancel_field(app),
        Action::Click(x, y) => {
            let o = mouse::click(app, x, y);
            apply(app, o);
        }
        Action::Wheel(x, y, down) => {
            let step = mouse::wheel(app, x, y, down);
            for _ in 0..3 {
                move_selection(app, &step);
            }
        }
        // Taken by the modes above (or, with no index yet, by nothing).
        Action::Visual
        | Action::SelectName
        | Action::ExtendWord
        | Action::ExtendWordLeft
        | Action::ExtendChar
        | Action::ShrinkChar
        | Action::SwapEnds
        | Action::NextWord
        | Action::PrevWord
        | Action::LineDown
        | Action::LineUp
        | Action::ReviewAccept
        | Action::ReviewAcceptAll
        | Action::ReviewReject
        | Action::ReviewSkip
        | Action::ReviewBack
        | Action::ChooseKind(_)
        | Action::ConfirmAll
        | Action::ConfirmOne
        | Action::InputTab
        | Action::InputEditor
        | Action::Edited(_) => {}
    }
    after(app);
}

// ---------------------------------------------------------------------------
// Keeping the state consistent after each action.

/// The contexts whose bindings apply now, most specific first. A question
/// in the prompt box takes only its own keys.
pub fn contexts(app: &App) -> Vec<Context> {
    if matches!(app.prompt, Some(Prompt::Confirm(_) | Prompt::Kind(_))) {
        return vec![prompt::CONTEXT];
    }
    // Its keys are fixed (see `keymap::Context::Quit`).
    if matches!(app.prompt, Some(Prompt::Quit { .. })) {
        return Vec::new();
    }
    match app.overlay {
        Some(Overlay::Help) => vec![help::CONTEXT, Context::Global],
        Some(Overlay::Entities) => vec![browser::CONTEXT, Context::Global],
        Some(Overlay::Results) => vec![search::CONTEXT, Context::Global],
        Some(Overlay::Review) => vec![review::CONTEXT, Context::Global],
        Some(Overlay::Journal) => vec![journal::CONTEXT, Context::Global],
        Some(Overlay::Timeline) => vec![timeline::CONTEXT, Context::Global],
        Some(Overlay::Picker) => vec![Context::Global],
        Some(Overlay::Names) => vec![names::CONTEXT, Context::Global],
        Some(Overlay::Shared) => vec![shared::CONTEXT, Context::Global],
        None if app.visual.is_some() => vec![visual::CONTEXT, article::CONTEXT, Context::Global],
        None => {
            let first = match app.focus {
                Pane::List => list::CONTEXT,
                Pane::Article => article::CONTEXT,
                Pane::Xref => xref::CONTEXT,
            };
            vec![first, Context::Global]
        }
    }
}

/// After every action: the layout's consistency (see [`nav::settle`]),
/// then the modes' own: the picker's rows in view, a search running only
/// while its results show, and the selection's corpus-wide count.
pub(crate) fn after(app: &mut App) {
    nav::settle(app);
    let main = layout::app_panes(app).main;
    let over = layout::inner(layout::overlay(main));
    let rows = usize::from(over.height.saturating_sub(2)).max(1);
    if let Some(p) = app.picker.as_mut() {
        p.keep_in_view(rows);
    }
    // A search runs only while its results are on screen.
    if app.overlay != Some(Overlay::Results) {
        let o = app.search.stop();
        apply(app, o);
    }
    counts::sync_count(app);
    // The last search's hits in the open article, for marking.
    app.search.found.sync(app.index.as_ref(), app.article.doc);
}

pub use super::nav::set_xref_entity;

/// Opens a document (at a byte, else at the top), as the reader does.
pub fn open_doc(app: &mut App, doc: DocId, at: Option<usize>) {
    nav::open_doc(app, doc, at);
    after(app);
}

/// The workspace carried out a decision, undo or redo (as the event loop
/// hands it over: an [`Action::Applied`]).
pub fn applied(app: &mut App, a: super::worker::Applied) {
    update(app, Action::Applied(super::action::Answer::new(a)));
}

/// The journal opened, or failed to ([`Action::JournalReady`]).
pub fn journal_ready(app: &mut App, info: super::app::JournalInfo) {
    update(app, Action::JournalReady(super::action::Answer::new(info)));
}

// ---------------------------------------------------------------------------
// Routing to the modes, and applying what they hand back.

/// The rows (or lines) a pane shows at once.
fn pane_page(app: &App, pane: Pane) -> usize {
    let panes = layout::app_panes(app);
    match pane {
        Pane::List => panes
            .list
            .map(|r| layout::list_capacity(app, r))
            .unwrap_or(1),
        Pane::Article => article_height(app),
        Pane::Xref => panes
            .xref
            .map(|r| usize::from(layout::xref_areas(r, app.xref.docs.len()).list.height))
            .unwrap_or(1),
    }
}

/// Rows inside an overlay.
fn overlay_page(app: &App) -> usize {
    let main = layout::app_panes(app).main;
    usize::from(
        layout::inner(layout::overlay(main))
            .height
            .saturating_sub(2),
    )
    .max(1)
}

/// Hands an action to the open overlay's mode; true when it took it.
fn open_overlay(app: &mut App, action: &Action) -> bool {
    // Nothing is decided while the journal is read-only.
    if app.overlay == Some(Overlay::Review)
        && app.review.as_ref().is_some_and(|r| {
            Review::decides(action) && (r.current().is_some() || *action == Action::ReviewAcceptAll)
        })
        && decisions::refuse_if_read_only(app)
    {
        return true;
    }
    let cx = Ctx::new(app.index.as_ref(), overlay_page(app));
    let o = match app.overlay {
        Some(Overlay::Help) => app.help.handle(action, &cx),
        Some(Overlay::Journal) => app.journal_overlay.handle(action, &cx),
        Some(Overlay::Entities) => app.browser.handle(action, &cx),
        Some(Overlay::Results) => app.search.handle(action, &cx),
        Some(Overlay::Picker) => match app.picker.as_mut() {
            Some(p) => p.handle(action, &cx),
            None => Outcome::Ignored,
        },
        Some(Overlay::Review) => match app.review.as_mut() {
            Some(r) => r.handle(action, &cx),
            None => Outcome::Ignored,
        },
        Some(Overlay::Names) => app.names.handle(action, &cx),
        Some(Overlay::Shared) => app.shared.handle(action, &cx),
        Some(Overlay::Timeline) => app.timeline.handle(action, &cx),
        None => Outcome::Ignored,
    };
    let taken = o.taken();
    apply(app, o);
    taken
}

/// Hands an action to the prompt; true when it took it.
fn prompt_mode(app: &mut App, action: &Action) -> bool {
    let asked = prompt::Asked {
        notes: &app.journal.notes,
        typing: app.input == Some(Field::Prompt),
    };
    let cx = Ctx::new(app.index.as_ref(), 1);
    let o = prompt::handle(&mut app.prompt, action, &cx, &asked);
    let taken = o.taken();
    apply(app, o);
    taken
}

/// `q` (or Ctrl-c): quits, unless decisions are not on disk (a full
/// disk): then asks first. In that question, the same key quits anyway.
fn quit(app: &mut App) {
    if matches!(app.prompt, Some(Prompt::Quit { .. })) || app.journal.pending == 0 {
        app.quit = true;
        return;
    }
    app.prompt = Some(Prompt::Quit { retrying: false });
}

/// `r` in the question on quitting: writes the pending decisions again;
/// the answer quits when they are saved (see `on_answer::applied`).
fn retry_save(app: &mut App) {
    let Some(Prompt::Quit { retrying }) = app.prompt.as_mut() else {
        return;
    };
    if *retrying {
        return;
    }
    *retrying = true;
    app.effects.push(Effect::RetrySave);
    app.in_flight += 1;
    app.set_message("retrying the write…");
}

/// Hands an action to visual mode; true when it took it.
fn visual_mode(app: &mut App, action: &Action) -> bool {
    let page = article_height(app);
    let cursor = app.cursor_mention();
    let panel_mention = match app.focus {
        Pane::Xref => decisions::target_mention(app),
        _ => None,
    };
    let around = visual::Around {
        doc: app.article.doc,
        cursor,
        top: app.article.first_visible(),
        lines: &app.article.lines,
        focus: app.focus,
        panel_mention,
    };
    let cx = Ctx::new(app.index.as_ref(), page);
    let o = visual::handle(&mut app.visual, action, &cx, &around);
    let taken = o.taken();
    apply(app, o);
    taken
}

/// Hands an action to the focused pane; true when the pane took it.
fn focused_pane(app: &mut App, action: &Action) -> bool {
    let cx = Ctx::new(app.index.as_ref(), pane_page(app, app.focus)).with_entity(app.xref.entity);
    let o = match app.focus {
        Pane::List => app.list.handle(action, &cx),
        Pane::Article => app.article.handle(action, &cx),
        Pane::Xref => app.xref.handle(action, &cx),
    };
    let taken = o.taken();
    apply(app, o);
    taken
}

/// `m`: adds the selected entity (the browser's, else the cross-link
/// panel's) to the document list's filter, or takes it out.
fn mark_entity(app: &mut App) {
    let e = match app.overlay {
        Some(O::Entities) => app.browser.rows.get(app.browser.selected).copied(),
        _ => app.xref.entity,
    };
    let Some(e) = e else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    let o = app.list.toggle_entity(e, app.index.as_ref());
    apply(app, o);
}

/// `r`: opens the review queue.
fn open_review(app: &mut App) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let items = crate::index::query::review_queue(index);
    if items.is_empty() {
        app.set_message("No suggested links to review (spelling variants, abbreviations and names found in the text)");
        return;
    }
    app.visual = None;
    app.input = None;
    app.review = Some(Review::new(items));
    app.overlay = Some(Overlay::Review);
}

/// Closes the open overlay; the picker and the review queue go with theirs.
fn close_overlay(app: &mut App) {
    match app.overlay.take() {
        Some(Overlay::Picker) => {
            app.picker = None;
            if app.input == Some(Field::Picker) {
                app.input = None;
            }
        }
        Some(Overlay::Review) => app.review = None,
        _ => {}
    }
}

/// Carries out what a mode handed back.
pub(crate) fn apply(app: &mut App, outcome: Outcome) {
    match outcome {
        Outcome::Ignored | Outcome::Consumed => {}
        Outcome::Message(m) => app.set_message(m),
        Outcome::Error(m) => app.set_error(m),
        Outcome::OverlayMessage(m) => app.set_overlay_message(m),
        Outcome::Effect(e) => app.effects.push(e),
        Outcome::Decide(op) => decisions::decide(app, op),
        Outcome::Close => close_overlay(app),
        Outcome::Show(o) => app.overlay = Some(o),
        Outcome::Input(f) => app.input = Some(f),
        Outcome::EndInput => app.input = None,
        Outcome::Focus(p) => app.focus = p,
        Outcome::OpenDoc { doc, at, jump } => {
            if jump {
                push_jump(app);
            }
            open_doc(app, doc, at);
        }
        Outcome::ReadDoc(doc) => {
            if app.article.doc != Some(doc) {
                push_jump(app);
                open_doc(app, doc, None);
            }
            app.focus = Pane::Article;
        }
        Outcome::Highlight(r) => {
            let start = r.start;
            app.article.highlight = Some(r);
            reveal(app, start);
        }
        Outcome::ShowEntity { entity, jump } => {
            if jump {
                push_jump(app);
            }
            set_xref_entity(app, entity);
        }
        Outcome::Shared { a, b, level } => {
            let effect = app.shared.ask(a, b, level);
            app.effects.push(effect);
            app.overlay = Some(Overlay::Shared);
        }
        Outcome::SyncXref => nav::sync_xref_to_cursor(app),
        Outcome::HideHits => app.search.found.shown = false,
        Outcome::ListMonth { entity, month } => {
            app.input = None;
            let o = app.list.show_month(entity, month, app.index.as_ref());
            app.focus = Pane::List;
            // Out of a zoomed article, so that the list shows.
            app.zoom = false;
            apply(app, o);
        }
        Outcome::Reveal(b) => reveal(app, b),
        Outcome::Cursor(i) => app.article.cursor = Some(i),
        Outcome::Picked(entity) => {
            if let Some(p) = app.picker.take() {
                close_overlay(app);
                decisions::picked(app, p.purpose, entity);
            }
        }
        Outcome::Then(a) => update(app, a),
        Outcome::All(v) => {
            for o in v {
                apply(app, o);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Lists.

/// Moves the open overlay's selection, else the focused pane's.
fn move_selection(app: &mut App, action: &Action) {
    if app.overlay.is_some() {
        open_overlay(app, action);
    } else {
        focused_pane(app, action);
    }
}

fn open(app: &mut App) {
    match app.overlay {
        Some(_) => {
            open_overlay(app, &Action::Open);
        }
        None => {
            focused_pane(app, &Action::Open);
        }
    }
}

fn back(app: &mut App) {
    if app.prompt.take().is_some() {
        if app.input == Some(Field::Prompt) {
            app.input = None;
        }
        return;
    }
    if app.overlay.is_some() {
        close_overlay(app);
        return;
    }
    if app.visual.take().is_some() {
        return;
    }
    focused_pane(app, &Action::Back);
}

/// `]` / `[`: the next or previous hit of the last search, from the hit
/// marked in the article or else from the top of its screen (see
/// [`hits::Found::step`]). Over the search results it closes them first.
fn step_hit(app: &mut App, direction: Direction) {
    if !matches!(app.overlay, None | Some(Overlay::Results)) {
        return;
    }
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let Some(doc) = app.article.doc else {
        app.set_message("Open a document first (Enter in the list)");
        return;
    };
    let here = hits::Here {
        doc,
        current: app.article.highlight.clone(),
        top: nav::visible_bytes(app).start,
    };
    app.overlay = None;
    let o = app.search.step_hit(index, &here, direction);
    apply(app, o);
}

/// `T`: the timeline of the selected entity: the browser's, else the
/// cross-link panel's, else the mention's under the cursor.
fn open_timeline(app: &mut App) {
    let e = match app.overlay {
        Some(O::Entities) => app.browser.rows.get(app.browser.selected).copied(),
        Some(O::Timeline) => {
            app.overlay = None;
            return;
        }
        _ => app
            .xref
            .entity
            .or_else(|| app.cursor_mention().map(|m| m.entity)),
    };
    let (Some(e), Some(index)) = (e, app.index.as_ref()) else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    app.input = None;
    app.visual = None;
    app.timeline.show(index, e);
    app.overlay = Some(Overlay::Timeline);
}

// ---------------------------------------------------------------------------
// Filters and search.

/// A preselected search query goes as soon as anything is typed (or
/// deleted); returns true when it did.
fn replace_selection(app: &mut App) -> bool {
    app.input == Some(Field::Search) && app.search.replace_preselected()
}

fn edit_field(app: &mut App, f: impl FnOnce(&mut String)) {
    match app.input {
        Some(Field::ListFilter) => app.list.edit_filter(app.index.as_ref(), f),
        Some(Field::EntityFilter) => app.browser.edit_filter(app.index.as_ref(), f),
        Some(Field::Search) => f(&mut app.search.query),
        Some(Field::Picker) => {
            if let Some(p) = app.picker.as_mut() {
                f(&mut p.query);
            }
            decisions::refilter_picker(app);
        }
        Some(Field::Prompt) => {
            if let Some(Prompt::Text { value, .. }) = app.prompt.as_mut() {
                f(value);
            }
        }
        None => {}
    }
}

fn accept_field(app: &mut App) {
    match app.input.take() {
        Some(Field::Search) => {
            let o = app.search.run(app.index.as_ref());
            apply(app, o);
        }
        Some(Field::ListFilter) => {
            let o = app.list.filter_kept();
            apply(app, o);
        }
        Some(Field::Picker) => {
            let cx = Ctx::new(app.index.as_ref(), overlay_page(app));
            if let Some(p) = app.picker.as_mut() {
                let o = p.handle(&Action::Open, &cx);
                apply(app, o);
            }
        }
        _ => {}
    }
}

fn cancel_field(app: &mut App) {
    match app.input.take() {
        Some(Field::ListFilter) => {
            app.list.title_filter.clear();
            refilter_list(app);
        }
        Some(Field::EntityFilter) => app.browser.clear_filter(app.index.as_ref()),
        Some(Field::Picker) => {
            app.picker = None;
            if app.overlay == Some(Overlay::Picker) {
                app.overlay = None;
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// The mouse.

/// Opens the names view on the panel's entity.
pub(crate) fn show_names(app: &mut App) {
    let (Some(index), Some(e)) = (app.index.as_ref(), app.xref.entity) else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    app.names = super::names::Names::of(index, e);
    app.overlay = Some(Overlay::Names);
}

/// Asks for the panel's view to be written to a file (Markdown, or CSV).
pub(crate) fn export(app: &mut App, csv: bool) {
    let Some(entity) = app.xref.entity else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    let c = &app.xref.cooc;
    app.effects.push(Effect::Export {
        entity,
        level: c.level,
        kind: c.kind,
        csv,
    });
    app.set_message("Exporting…");
}
