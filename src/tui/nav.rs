//! Shared helpers below the reader's modes: keeping a selection in view,
//! revealing a line of the article, wrapping it for its pane, opening a
//! document, the jump list, and refreshing the filtered lists. The modes
//! (`update`, `annotation`) call these; these call none of them.

use super::app::{App, Location, Pane, XrefItem};
use super::layout;
use crate::entity::{DocId, EntityId};
use crate::text;

/// Entities with at most this many mentions have their co-occurring
/// entities counted when the panel opens on them.
pub const COOC_AT_ONCE: usize = 20_000;

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
        // The list has come near the co-occurring entities: count them.
        let x = &app.xref;
        if x.cooc_pending
            && (x.list_offset + 2 * usize::from(r.height) >= x.mentions.len()
                || x.selected + 1 >= x.docs.len() + x.mentions.len())
            && let (Some(e), Some(index)) = (x.entity, app.index.as_ref())
        {
            let cooc = index.cooccurring(e);
            app.xref.cooc = cooc;
            app.xref.cooc_pending = false;
            fix_xref_offsets(app, r);
        }
    }
    let over = layout::inner(layout::overlay(panes.main));
    let rows = usize::from(over.height.saturating_sub(2)).max(1);
    app.browser.keep_in_view(rows);
    app.search.keep_in_view(rows);
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

/// The rows of the cross-link panel's scrolling list: a heading, the
/// mentions, a blank line, a heading, the co-occurring entities.
pub fn xref_list_row(app: &App, item: XrefItem) -> Option<usize> {
    match item {
        XrefItem::Doc(_) => None,
        XrefItem::Mention(i) => Some(1 + i),
        XrefItem::Cooc(i) => Some(app.xref.mentions.len() + 3 + i),
    }
}

/// Rows in the cross-link panel's scrolling list.
pub fn xref_list_len(app: &App) -> usize {
    app.xref.mentions.len() + 3 + app.xref.cooc.len()
}

pub(crate) fn fix_xref_offsets(app: &mut App, pane: ratatui::layout::Rect) {
    let areas = layout::xref_areas(pane, app.xref.docs.len());
    let x = &mut app.xref;
    x.selected = x.selected.min(x.len().saturating_sub(1));
    let doc_rows = usize::from(areas.docs.height.saturating_sub(1)).max(1);
    let list_rows = usize::from(areas.list.height).max(1);
    match x.selected_item() {
        Some(XrefItem::Doc(i)) => {
            x.docs_offset = keep_in_view(x.docs_offset, i, doc_rows, x.docs.len());
        }
        Some(item) => {
            if let Some(row) = xref_list_row(app, item) {
                let len = xref_list_len(app);
                let x = &mut app.xref;
                // The first row of a section brings its heading into view too.
                if matches!(item, XrefItem::Mention(0) | XrefItem::Cooc(0)) {
                    x.list_offset = keep_in_view(x.list_offset, row - 1, list_rows, len);
                }
                x.list_offset = keep_in_view(x.list_offset, row, list_rows, len);
            }
        }
        None => {}
    }
    let x = &mut app.xref;
    x.docs_offset = x.docs_offset.min(x.docs.len().saturating_sub(doc_rows));
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
    let a = &app.article;
    let h = article_height(app);
    let first = a.lines.get(a.scroll).map(|r| r.start).unwrap_or(0);
    let last = a
        .lines
        .get((a.scroll + h).min(a.lines.len()).saturating_sub(1))
        .map(|r| r.end)
        .unwrap_or(0);
    first..last.max(first)
}

pub(crate) fn cursor_visible(app: &App) -> Option<bool> {
    let m = app.cursor_mention()?;
    let v = visible_bytes(app);
    Some(m.start as usize >= v.start && (m.start as usize) < v.end.max(v.start + 1))
}

/// Scrolls so that byte `offset` is on screen, about a third of the way down.
pub(crate) fn reveal(app: &mut App, offset: usize) {
    let h = article_height(app);
    let line = app.article.line_of(offset);
    let a = &mut app.article;
    if line < a.scroll || line >= a.scroll + h {
        a.scroll = line.saturating_sub(h / 3);
    }
}

pub(crate) fn reveal_cursor(app: &mut App) {
    if let Some(m) = app.cursor_mention() {
        reveal(app, m.start as usize);
    }
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
    let Some(index) = app.index.as_ref() else {
        return;
    };
    if e as usize >= index.entities().len() {
        return;
    }
    let x = &mut app.xref;
    x.entity = Some(e);
    x.docs = index.entity_doc_counts(e);
    x.mentions = crate::tui::app::Places(index.entity_places_shared(e));
    // Counting co-occurrence reads every mention of every document that
    // names the entity: for one named everywhere, that waits until the list
    // comes near it (see `after`).
    x.cooc_pending = x.mentions.len() > COOC_AT_ONCE;
    x.cooc = if x.cooc_pending {
        Vec::new()
    } else {
        index.cooccurring(e)
    };
    x.aliases = index.aliases_seen(e);
    x.selected = if x.mentions.is_empty() {
        0
    } else {
        x.docs.len()
    };
    x.docs_offset = 0;
    x.list_offset = 0;
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
    let Some(here) = current_location(app) else {
        return;
    };
    let j = &mut app.jumps;
    j.entries.truncate(j.pos);
    if j.entries.last() != Some(&here) {
        j.entries.push(here);
    }
    // Keep the list bounded, as vim does.
    if j.entries.len() > 100 {
        j.entries.remove(0);
    }
    j.pos = j.entries.len();
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
    let j = &mut app.jumps;
    if j.pos >= j.entries.len() {
        j.pos = j.entries.len();
        match here {
            Some(h) if j.entries.last() != Some(&h) => j.entries.push(h),
            _ => {}
        }
        let newest = j.entries.len();
        // From "newer than every entry", step to the entry before where we are.
        if newest < 2 && j.entries.last() == here.as_ref() {
            app.set_message("Already at the oldest jump");
            return;
        }
        j.pos = newest - 1;
    }
    if j.pos == 0 {
        app.set_message("Already at the oldest jump");
        return;
    }
    j.pos -= 1;
    let loc = j.entries[j.pos];
    restore(app, loc);
}

pub(crate) fn jump_forward(app: &mut App) {
    let j = &mut app.jumps;
    if j.pos + 1 >= j.entries.len() {
        app.set_message("Already at the newest jump");
        return;
    }
    j.pos += 1;
    let loc = j.entries[j.pos];
    restore(app, loc);
}
