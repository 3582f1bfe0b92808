//! `update(&mut App, Action)`: every change to the reader's state goes
//! through here. No I/O, so it is tested without a terminal.

use super::action::Action;
use super::annotation;
use super::app::Overlay as O;
use super::app::{App, Field, LoadState, Overlay, Pane, Prompt};
use super::article::{step_mention, step_same};
use super::keymap::Context;
use super::layout::{self};
use super::mode::{Ctx, Outcome};
use super::nav::{self, article_height, push_jump, refilter_browser, refilter_list, reveal};
use super::nav::{jump_back, jump_forward};
use super::visual;
use super::xref::{open_xref_item, step_section};
use super::{article, browser, help, journal, list, mouse, picker, prompt, review, search, xref};
use super::{hits, timeline};
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
        Action::Quit => prompt::quit(app),
        Action::ForceQuit => app.quit = true,
        Action::RetrySave => prompt::retry_save(app),
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
            if let Some(index) = a.take() {
                index_listed(app, index);
            }
        }
        Action::Indexed(a) => {
            if let Some(result) = a.take() {
                index_ready(app, result);
            }
        }
        Action::JournalReady(a) => {
            if let Some(info) = a.take() {
                annotation::journal_ready(app, info);
            }
        }
        Action::Applied(a) => {
            if let Some(answer) = a.take() {
                annotation::applied(app, answer);
            }
        }
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
        _ if visual::handle(app, &action)
            || review::handle(app, &action)
            || prompt::handle(app, &action) => {}
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
        Action::NextMention => step_mention(app, true),
        Action::PrevMention => step_mention(app, false),
        Action::NextSame => step_same(app, true),
        Action::PrevSame => step_same(app, false),
        Action::NextSection => step_section(app, true),
        Action::PrevSection => step_section(app, false),
        // The browser's and the list's own (see above).
        Action::Sort => {}
        Action::NextHit => step_hit(app, Direction::Next),
        Action::PrevHit => step_hit(app, Direction::Previous),
        Action::Timeline => open_timeline(app),
        Action::Tag => annotation::tag(app),
        Action::Link => annotation::link(app),
        Action::RejectMention => annotation::reject_mention(app),
        Action::AcceptLink => annotation::accept_link(app),
        Action::RejectLink => annotation::reject_link(app),
        Action::Rename => annotation::rename(app),
        Action::SetKind => annotation::set_kind(app),
        Action::Merge => annotation::merge(app),
        Action::Split => annotation::split(app),
        Action::Note => annotation::note(app),
        Action::Undo => annotation::undo(app, false),
        Action::Redo => annotation::undo(app, true),
        Action::Journal => {
            app.input = None;
            app.visual = None;
            app.overlay = Some(Overlay::Journal);
            app.journal_overlay = Default::default();
        }
        Action::TakeOver => annotation::take_over(app),
        Action::ChooseKind(k) => annotation::choose_kind(app, k),
        Action::Counted(t, n, d) => annotation::counted(app, &t, n, d),
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
        | Action::Review
        | Action::ReviewAccept
        | Action::ReviewAcceptAll
        | Action::ReviewReject
        | Action::ReviewSkip
        | Action::ReviewBack
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
    picker::fix_picker_offset(app, rows);
    // A search runs only while its results are on screen.
    if app.overlay != Some(Overlay::Results) {
        let o = app.search.stop();
        apply(app, o);
    }
    annotation::sync_count(app);
    // The last search's hits in the open article, for marking.
    app.search.found.sync(app.index.as_ref(), app.article.doc);
}

pub use super::nav::{COOC_AT_ONCE, set_xref_entity};

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
    let cx = Ctx::new(app.index.as_ref(), overlay_page(app));
    let o = match app.overlay {
        Some(Overlay::Help) => app.help.handle(action, &cx),
        Some(Overlay::Journal) => app.journal_overlay.handle(action, &cx),
        Some(Overlay::Entities) => app.browser.handle(action, &cx),
        Some(Overlay::Results) => app.search.handle(action, &cx),
        Some(Overlay::Timeline) => app.timeline.handle(action, &cx),
        Some(Overlay::Picker | Overlay::Review) | None => Outcome::Ignored,
    };
    let taken = o.taken();
    apply(app, o);
    taken
}

/// Hands an action to the focused pane; true when the pane took it.
fn focused_pane(app: &mut App, action: &Action) -> bool {
    let cx = Ctx::new(app.index.as_ref(), pane_page(app, app.focus));
    let o = match app.focus {
        Pane::List => app.list.handle(action, &cx),
        Pane::Article | Pane::Xref => Outcome::Ignored,
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

/// Carries out what a mode handed back.
pub(crate) fn apply(app: &mut App, outcome: Outcome) {
    match outcome {
        Outcome::Ignored | Outcome::Consumed => {}
        Outcome::Message(m) => app.set_message(m),
        Outcome::Error(m) => app.set_error(m),
        Outcome::OverlayMessage(m) => app.set_overlay_message(m),
        Outcome::Effect(e) => app.effects.push(e),
        Outcome::Close => app.overlay = None,
        Outcome::Show(o) => app.overlay = Some(o),
        Outcome::Input(f) => app.input = Some(f),
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
        Outcome::SyncXref => nav::sync_xref_to_cursor(app),
        Outcome::ListMonth { entity, month } => {
            app.input = None;
            let o = app.list.show_month(entity, month, app.index.as_ref());
            app.focus = Pane::List;
            // Out of a zoomed article, so that the list shows.
            app.zoom = false;
            apply(app, o);
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

fn move_selection(app: &mut App, action: &Action) {
    let panes = layout::app_panes(app);
    let step = |sel: usize, len: usize, page: usize| -> usize {
        let last = len.saturating_sub(1);
        match action {
            Action::Down => (sel + 1).min(last),
            Action::Up => sel.saturating_sub(1),
            Action::PageDown => (sel + page.max(1)).min(last),
            Action::PageUp => sel.saturating_sub(page.max(1)),
            Action::Top => 0,
            Action::Bottom => last,
            _ => sel,
        }
    };
    if app.overlay.is_some() {
        open_overlay(app, action);
        return;
    }
    match app.focus {
        Pane::List => {
            focused_pane(app, action);
        }
        Pane::Article => {
            let h = article_height(app);
            let a = &mut app.article;
            let max = a.lines.len().saturating_sub(h);
            a.scroll = match action {
                Action::Down => (a.scroll + 1).min(max.max(a.scroll)),
                Action::Up => a.scroll.saturating_sub(1),
                Action::PageDown => (a.scroll + h.saturating_sub(2).max(1)).min(max.max(a.scroll)),
                Action::PageUp => a.scroll.saturating_sub(h.saturating_sub(2).max(1)),
                Action::Top => 0,
                Action::Bottom => max,
                _ => a.scroll,
            };
        }
        Pane::Xref => {
            let page = panes
                .xref
                .map(|r| usize::from(layout::xref_areas(r, app.xref.docs.len()).list.height))
                .unwrap_or(1);
            let x = &mut app.xref;
            x.selected = step(x.selected, x.len(), page);
        }
    }
}

fn open(app: &mut App) {
    match app.overlay {
        Some(
            Overlay::Help
            | Overlay::Journal
            | Overlay::Entities
            | Overlay::Results
            | Overlay::Timeline,
        ) => {
            open_overlay(app, &Action::Open);
        }
        Some(Overlay::Review) => review::review_open(app),
        Some(Overlay::Picker) => annotation::pick(app),
        None => match app.focus {
            Pane::List => {
                focused_pane(app, &Action::Open);
            }
            Pane::Article => {
                if app.xref.entity.is_some() {
                    app.focus = Pane::Xref;
                } else {
                    app.set_message("No mention under the cursor (n: next mention)");
                }
            }
            Pane::Xref => open_xref_item(app),
        },
    }
}

fn back(app: &mut App) {
    if app.prompt.take().is_some() {
        if app.input == Some(Field::Prompt) {
            app.input = None;
        }
        return;
    }
    if app.overlay == Some(Overlay::Picker) {
        picker::close_picker(app);
        return;
    }
    if let Some(o) = app.overlay.take() {
        if o == Overlay::Review
            && let Some(r) = app.review.take()
        {
            let (a, x, s) = (r.accepted, r.rejected, r.skipped);
            if a + x + s > 0 {
                app.set_message(format!("Review: {a} accepted, {x} rejected, {s} skipped"));
            }
        }
        return;
    }
    if app.visual.take().is_some() {
        return;
    }
    match app.focus {
        Pane::List => {
            focused_pane(app, &Action::Back);
        }
        Pane::Article => {
            app.article.highlight = None;
            app.search.found.shown = false;
        }
        Pane::Xref => app.focus = Pane::Article,
    }
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
            picker::refilter_picker(app);
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
        Some(Field::Picker) => annotation::pick(app),
        Some(Field::Prompt) => prompt::accept_text(app),
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
        Some(Field::Picker) => picker::close_picker(app),
        Some(Field::Prompt) => app.prompt = None,
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// The mouse.
