//! Shared helpers below the reader's modes: keeping a selection in view,
//! revealing a line of the article, wrapping it for its pane, opening a
//! document, the jump list, and refreshing the filtered lists. The modes
//! (`update`, `decisions`, `on_answer`) call these; these call none of them.

use super::app::{App, Pane};
use super::jumps::Location;
use super::layout;
use crate::entity::{DocId, EntityId};
use crate::text;

/// Keeps the layout consistent after any change: the article wrapped for
/// its pane, every list's selection in view, the cross-link panel's
/// co-occurring entities counted once the list comes near them, a message
/// about an overlay gone with it, and a selection only in the open article.
pub fn settle(app: &mut App) {
    let panes = layout::app_panes(app);
    if let Some(r) = panes.article {
        let width = usize::from(layout::article_text(r).width).max(1);
        if width != app.article.wrap_width {
            rewrap(app, width);
        }
    }
    if let Some(r) = panes.list {
        let cap = layout::list_capacity(app, r);
        let l = &mut app.list;
        l.selected = l.selected.min(l.rows.len().saturating_sub(1));
        l.offset = keep_in_view(l.offset, l.selected, cap, l.rows.len());
    }
    if let Some(r) = panes.xref {
        fix_xref_offsets(app, r);
        // The list has come near the co-occurring entities: count them
        // (off the UI thread; the panel says "counting…" meanwhile).
        let x = &app.xref;
        if let Some(e) = x.entity
            && app.index.is_some()
            && (x.list_offset + 2 * usize::from(r.height) >= x.mentions.len()
                || x.selected + 1 >= x.docs.len() + x.mentions.len())
            && let Some(effect) = app.xref.cooc.request(e)
        {
            app.effects.push(effect);
            fix_xref_offsets(app, r);
        }
    }
    let over = layout::inner(layout::overlay(panes.main));
    let rows = usize::from(over.height.saturating_sub(2)).max(1);
    app.browser.keep_in_view(rows);
    app.search.keep_in_view(rows);
    let list_rows = usize::from(over.height.saturating_sub(2)).max(1);
    app.names.keep_in_view(list_rows);
    app.shared.keep_in_view(list_rows);
    label_browser_rows(app, rows);
    label_panel_entities(app);
    app.timeline.keep_in_view(rows);
    let max_scroll = app.article.lines.len().saturating_sub(1);
    app.article.scroll = app.article.scroll.min(max_scroll);
    // A message about an overlay goes with it.
    if let Some(m) = &app.message
        && m.overlay.is_some()
        && m.overlay != app.overlay
    {
        app.message = None;
    }
    // A selection lives in the open article only.
    if let Some(v) = app.visual
        && (app.article.doc != Some(v.doc) || app.focus != Pane::Article)
    {
        app.visual = None;
    }
}

pub use super::mode::keep_in_view;

/// Makes the labels the cross-link panel's co-occurring rows in view, the
/// names view and the shared-sentences view show, once each (a label
/// counts an entity's spellings: not a thing to do for every frame).
fn label_panel_entities(app: &mut App) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let x = &app.xref;
    let first = x.list_offset.saturating_sub(x.mentions.len() + 3);
    let shown = usize::from(app.height);
    let mut wanted: Vec<EntityId> = x
        .cooc
        .rows
        .iter()
        .skip(first)
        .take(shown)
        .map(|r| r.entity)
        .collect();
    wanted.extend(app.names.entity);
    if let Some((a, b)) = app.shared.pair {
        wanted.extend([a, b]);
    }
    let n = index.entities().len();
    for e in wanted.into_iter().filter(|&e| (e as usize) < n) {
        app.labels.entry(e).or_insert_with(|| index.label(e));
    }
}

/// The primary label made for entity `e` (see [`settle`]), else its name.
pub fn label_or_name(app: &App, e: EntityId) -> String {
    match app.labels.get(&e) {
        Some(l) => l.primary.clone(),
        None => app
            .index
            .as_ref()
            .and_then(|i| i.entities().get(e as usize))
            .map_or_else(String::new, |ent| ent.name.clone()),
    }
}

/// Makes the labels of the entity browser's rows in view (and a page
/// either side), once each: how the corpus writes each entity (see
/// [`crate::index::Index::label`]).
fn label_browser_rows(app: &mut App, rows: usize) {
    if app.overlay != Some(super::app::Overlay::Entities) {
        return;
    }
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let b = &app.browser;
    let from = b.offset.saturating_sub(rows);
    for &e in b.rows.iter().skip(from).take(rows * 3) {
        app.labels.entry(e).or_insert_with(|| index.label(e));
    }
}

pub(crate) fn fix_xref_offsets(app: &mut App, pane: ratatui::layout::Rect) {
    let areas = layout::xref_areas(pane, app.xref.docs.len());
    let doc_rows = usize::from(areas.docs.height.saturating_sub(1)).max(1);
    let list_rows = usize::from(areas.list.height).max(1);
    app.xref.keep_in_view(doc_rows, list_rows);
}

pub(crate) fn rewrap(app: &mut App, width: usize) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let Some(doc) = app.article.doc else { return };
    // The top line stays the top line, as in less and vim: a resize or a
    // pane opening never sends the reader back to the mention cursor. The
    // byte it was kept by is kept in turn while the reader does not scroll,
    // so that 80 → 200 → 80 columns comes back to the same line.
    let a = &app.article;
    let top = a.lines.get(a.scroll).map(|r| r.start);
    let anchor = match a.anchor {
        Some(b) if a.line_of(b) == a.scroll => Some(b),
        _ => top,
    };
    app.article.lines = text::wrap(&index.doc(doc).text, width);
    app.article.wrap_width = width;
    if let Some(a) = anchor {
        app.article.scroll = app.article.line_of(a);
    }
    app.article.anchor = anchor;
}

/// Columns of article text: the article pane's, or the whole screen's when
/// the article is hidden.
pub(crate) fn article_width(app: &App) -> usize {
    let panes = layout::app_panes(app);
    let r = panes.article.unwrap_or(panes.main);
    usize::from(layout::article_text(r).width).max(1)
}

/// Rows of article text on screen.
pub(crate) fn article_height(app: &App) -> usize {
    let panes = layout::app_panes(app);
    let r = panes.article.unwrap_or(panes.main);
    usize::from(layout::article_text(r).height).max(1)
}

/// The byte range shown in the article pane.
pub(crate) fn visible_bytes(app: &App) -> std::ops::Range<usize> {
    app.article.visible_bytes(article_height(app))
}

pub(crate) fn cursor_visible(app: &App) -> Option<bool> {
    let index = app.index.as_ref()?;
    app.article.cursor_visible(index, article_height(app))
}

/// Scrolls so that byte `offset` is on screen, about a third of the way down.
pub(crate) fn reveal(app: &mut App, offset: usize) {
    let h = article_height(app);
    app.article.reveal(offset, h);
}

pub(crate) fn reveal_cursor(app: &mut App) {
    if let Some(m) = app.cursor_mention() {
        reveal(app, m.start as usize);
    }
}

/// Goes to the next or previous mention of the panel's entity, across
/// documents; a move to another document is a jump.
pub(crate) fn step_same(app: &mut App, forward: bool) {
    let Some(e) = app.cursor_mention().map(|m| m.entity).or(app.xref.entity) else {
        app.set_message("No entity selected");
        return;
    };
    if app.xref.entity != Some(e) {
        set_xref_entity(app, e);
    }
    let ms = &app.xref.mentions;
    if ms.is_empty() {
        return;
    }
    let here = match (app.cursor_mention(), app.article.doc) {
        (Some(m), _) => (m.doc, m.start),
        (None, Some(d)) => (d, visible_bytes(app).start as u32),
        (None, None) => (0, 0),
    };
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let i = if forward {
        let i = ms.count_before(index, here.0, here.1, true);
        if i < ms.len() { i } else { 0 }
    } else {
        match ms.count_before(index, here.0, here.1, false).checked_sub(1) {
            Some(i) => i,
            None => ms.len() - 1,
        }
    };
    let Some(m) = ms.get(i, index) else {
        return;
    };
    go_to_mention(app, m);
}

/// Opens a mention's document with the cursor on it, recording a jump when
/// the document changes.
pub(crate) fn go_to_mention(app: &mut App, m: crate::entity::Mention) {
    if app.article.doc != Some(m.doc) {
        push_jump(app);
    }
    open_doc(app, m.doc, Some(m.start as usize));
}

/// Opens a document with the cursor on the mention at byte `at` (or the
/// first one after it), or on the first mention when `at` is `None`.
pub fn open_doc(app: &mut App, doc: DocId, at: Option<usize>) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    if doc as usize >= index.docs().len() {
        return;
    }
    let mentions = index.doc_mentions(doc);
    let cursor = match at {
        Some(b) => {
            let i = mentions.partition_point(|m| (m.end as usize) <= b);
            (i < mentions.len()).then_some(i)
        }
        None => (!mentions.is_empty()).then_some(0),
    };
    if app.article.doc != Some(doc) {
        let width = article_width(app);
        let Some(index) = app.index.as_ref() else {
            return;
        };
        app.article.doc = Some(doc);
        let article = &index.doc(doc).text;
        app.article.lines = text::wrap(article, width);
        app.article.wrap_width = width;
        app.article.scroll = 0;
        // A text read from disk that is no longer the one indexed.
        if let Some(why) = article.trouble().map(|w| text::sanitize(w).into_owned()) {
            app.set_error(why);
        }
    }
    app.article.cursor = cursor;
    app.article.highlight = None;
    if let Some(pos) = app.list.rows.iter().position(|&d| d == doc) {
        app.list.selected = pos;
    }
    settle(app);
    match at {
        Some(b) => reveal(app, b),
        None => app.article.scroll = 0,
    }
    sync_xref_to_cursor(app);
}

/// Puts the cross-link panel on the cursor's entity and selects the
/// cursor's mention.
pub(crate) fn sync_xref_to_cursor(app: &mut App) {
    let Some(m) = app.cursor_mention() else {
        return;
    };
    if app.xref.entity != Some(m.entity) {
        set_xref_entity(app, m.entity);
    }
    let row = app
        .index
        .as_ref()
        .and_then(|index| app.xref.mention_row(index, m.doc, m.start));
    if let Some(row) = row {
        app.xref.selected = row;
    }
}

/// Shows an entity in the cross-link panel.
pub fn set_xref_entity(app: &mut App, e: EntityId) {
    if let Some(index) = app.index.as_ref() {
        app.xref.show(index, e);
    }
}

pub(crate) fn current_location(app: &App) -> Option<Location> {
    let doc = app.article.doc?;
    let offset = match app.cursor_mention() {
        Some(m) => m.start as usize,
        None => app
            .article
            .lines
            .get(app.article.scroll)
            .map(|r| r.start)
            .unwrap_or(0),
    };
    Some(Location {
        doc,
        offset,
        scroll: app.article.scroll,
        entity: app.xref.entity,
    })
}

/// Records where we are before a jump.
pub fn push_jump(app: &mut App) {
    if let Some(here) = current_location(app) {
        app.jumps.push(here);
    }
}

pub(crate) fn restore(app: &mut App, loc: Location) {
    open_doc(app, loc.doc, Some(loc.offset));
    app.article.scroll = loc.scroll.min(app.article.lines.len().saturating_sub(1));
    if cursor_visible(app) == Some(false) {
        reveal_cursor(app);
    }
    if let Some(e) = loc.entity
        && app.xref.entity != Some(e)
    {
        set_xref_entity(app, e);
    }
}

/// Recomputes the documents the list shows, keeping the selection on the
/// same document where possible.
pub fn refilter_list(app: &mut App) {
    app.list.refilter(app.index.as_ref());
}

/// Recomputes the entity browser's rows.
pub fn refilter_browser(app: &mut App) {
    app.browser.refilter(app.index.as_ref());
}

pub(crate) fn jump_back(app: &mut App) {
    let here = current_location(app);
    match app.jumps.back(here) {
        Some(loc) => restore(app, loc),
        None => app.set_message("Already at the oldest jump"),
    }
}

pub(crate) fn jump_forward(app: &mut App) {
    match app.jumps.forward() {
        Some(loc) => restore(app, loc),
        None => app.set_message("Already at the newest jump"),
    }
}
