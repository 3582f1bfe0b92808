//! `update(&mut App, Action)`: every change to the reader's state goes
//! through here. No I/O, so it is tested without a terminal.

use super::action::Action;
use super::annotation;
use super::app::{App, Field, LoadState, Overlay, Pane, Prompt};
use super::article::{step_mention, step_same};
use super::keymap::Context;
use super::layout::{self};
use super::list::mark_entity;
use super::nav::{self, article_height, push_jump, refilter_browser, refilter_list, reveal};
use super::nav::{jump_back, jump_forward};
use super::search::{run_search, searched, stop_search};
use super::visual;
use super::xref::{open_xref_item, step_section};
use super::{article, list, mouse, picker, prompt, review, search, xref};
use crate::entity::DocId;
use crate::index::Index;
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
            app.help_scroll = 0;
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
            app.list.title_filter.clear();
            app.list.entities.clear();
            if app.input == Some(Field::ListFilter) {
                app.input = None;
            }
            refilter_list(app);
            app.set_message("Showing all documents");
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
            Some(Overlay::Entities) => app.input = Some(Field::EntityFilter),
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
        Action::Sort => {
            if app.overlay == Some(Overlay::Entities) {
                app.browser.sort = app.browser.sort.next();
                refilter_browser(app);
                let label = app.browser.sort.label();
                app.set_overlay_message(format!("Sorted by {label}"));
            }
        }
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
            app.journal_scroll = 0;
        }
        Action::TakeOver => annotation::take_over(app),
        Action::ChooseKind(k) => annotation::choose_kind(app, k),
        Action::Counted(t, n, d) => annotation::counted(app, &t, n, d),
        Action::Searched(batch) => searched(app, batch),
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
            if mouse::click(app, x, y).is_some() {
                open(app);
            }
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
        Some(Overlay::Help) => vec![Context::Help, Context::Global],
        Some(Overlay::Entities) => vec![Context::Entities, Context::Global],
        Some(Overlay::Results) => vec![search::CONTEXT, Context::Global],
        Some(Overlay::Review) => vec![review::CONTEXT, Context::Global],
        Some(Overlay::Journal) => vec![Context::Journal, Context::Global],
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
        stop_search(app);
    }
    annotation::sync_count(app);
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
// Documents and the cursor.

// ---------------------------------------------------------------------------
// The jump list.

// ---------------------------------------------------------------------------
// Lists.

fn move_selection(app: &mut App, action: &Action) {
    let panes = layout::app_panes(app);
    let overlay_rows = usize::from(
        layout::inner(layout::overlay(panes.main))
            .height
            .saturating_sub(2),
    )
    .max(1);
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
    match app.overlay {
        Some(Overlay::Help) => {
            app.help_scroll = step(app.help_scroll, usize::MAX / 2, overlay_rows);
            return;
        }
        Some(Overlay::Entities) => {
            let b = &mut app.browser;
            b.selected = step(b.selected, b.rows.len(), overlay_rows);
            return;
        }
        Some(Overlay::Results) => {
            let s = &mut app.search;
            s.selected = step(s.selected, s.hits.len(), overlay_rows);
            return;
        }
        Some(Overlay::Picker) => {
            if let Some(p) = app.picker.as_mut() {
                p.selected = step(p.selected, p.rows.len(), overlay_rows);
            }
            return;
        }
        Some(Overlay::Journal) => {
            app.journal_scroll = step(app.journal_scroll, usize::MAX / 2, overlay_rows);
            return;
        }
        Some(Overlay::Review) => return,
        None => {}
    }
    match app.focus {
        Pane::List => {
            let page = panes
                .list
                .map(|r| layout::list_capacity(app, r))
                .unwrap_or(1);
            let l = &mut app.list;
            l.selected = step(l.selected, l.rows.len(), page);
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
        Some(Overlay::Help) | Some(Overlay::Journal) => app.overlay = None,
        Some(Overlay::Review) => review::review_open(app),
        Some(Overlay::Picker) => annotation::pick(app),
        Some(Overlay::Entities) => {
            if let Some(&e) = app.browser.rows.get(app.browser.selected) {
                app.overlay = None;
                push_jump(app);
                set_xref_entity(app, e);
                app.focus = Pane::Xref;
            }
        }
        Some(Overlay::Results) => {
            if let Some(&hit) = app.search.hits.get(app.search.selected) {
                app.overlay = None;
                push_jump(app);
                open_doc(app, hit.doc, Some(hit.start));
                app.article.highlight = Some(hit.start..hit.end);
                reveal(app, hit.start);
                app.focus = Pane::Article;
            }
        }
        None => match app.focus {
            Pane::List => {
                if let Some(doc) = app.list.selected_doc() {
                    if app.article.doc != Some(doc) {
                        push_jump(app);
                        open_doc(app, doc, None);
                    }
                    app.focus = Pane::Article;
                }
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
        // The title filter first, then the entity filters (`m`).
        Pane::List => {
            if !app.list.title_filter.is_empty() {
                app.list.title_filter.clear();
                refilter_list(app);
            } else if !app.list.entities.is_empty() {
                app.list.entities.clear();
                refilter_list(app);
                app.set_message("Showing all documents");
            }
        }
        Pane::Article => app.article.highlight = None,
        Pane::Xref => app.focus = Pane::Article,
    }
}

// ---------------------------------------------------------------------------
// Filters and search.

/// A preselected search query goes as soon as anything is typed (or
/// deleted); returns true when it did.
fn replace_selection(app: &mut App) -> bool {
    if app.input == Some(Field::Search) && std::mem::take(&mut app.search.preselected) {
        app.search.query.clear();
        return true;
    }
    false
}

fn edit_field(app: &mut App, f: impl FnOnce(&mut String)) {
    match app.input {
        Some(Field::ListFilter) => {
            f(&mut app.list.title_filter);
            app.list.selected = 0;
            refilter_list(app);
        }
        Some(Field::EntityFilter) => {
            f(&mut app.browser.filter);
            app.browser.selected = 0;
            refilter_browser(app);
        }
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
        Some(Field::Search) => run_search(app),
        Some(Field::ListFilter) => {
            let n = app.list.rows.len();
            app.set_message(if n == 1 {
                "1 document matches".to_string()
            } else {
                format!("{n} documents match")
            });
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
        Some(Field::EntityFilter) => {
            app.browser.filter.clear();
            refilter_browser(app);
        }
        Some(Field::Picker) => picker::close_picker(app),
        Some(Field::Prompt) => app.prompt = None,
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// The mouse.
