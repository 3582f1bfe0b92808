//! The article pane: stepping through its mentions, and through the
//! mentions of one entity across documents.

use super::action::Action;
use super::app::{App, Pane};
use super::keymap::Context;
use super::layout;
use super::nav::{cursor_visible, push_jump, reveal_cursor, sync_xref_to_cursor, visible_bytes};
use super::nav::{open_doc, set_xref_entity};
use crate::entity::Mention;
use crate::text;
use ratatui::layout::Rect;

/// The keymap context of the article.
pub const CONTEXT: Context = Context::Article;

/// The status line's key hints in the article.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::NextMention, "next"),
    (Action::Visual, "select"),
    (Action::ToggleXref, "links"),
    (Action::JumpBack, "back"),
    (Action::Quit, "quit"),
];

/// The hints with a suggested link under the cursor.
pub const SUGGESTION_HINTS: &[(Action, &str)] = &[
    (Action::AcceptLink, "accept"),
    (Action::RejectLink, "reject"),
    (Action::Link, "link"),
    (Action::Help, "help"),
];

pub(crate) fn step_mention(app: &mut App, forward: bool) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let Some(doc) = app.article.doc else { return };
    let mentions = index.doc_mentions(doc);
    if mentions.is_empty() {
        app.set_message("No mentions in this document");
        return;
    }
    let visible = visible_bytes(app);
    let from_cursor = cursor_visible(app) == Some(true);
    let next = match (forward, from_cursor, app.article.cursor) {
        (true, true, Some(c)) => (c + 1 < mentions.len()).then_some(c + 1),
        (false, true, Some(c)) => c.checked_sub(1),
        (true, _, _) => {
            let i = mentions.partition_point(|m| (m.start as usize) < visible.start);
            (i < mentions.len()).then_some(i)
        }
        (false, _, _) => mentions
            .partition_point(|m| (m.start as usize) < visible.end)
            .checked_sub(1),
    };
    let target = match next {
        Some(i) => i,
        None if forward => {
            app.set_message("Wrapped to the first mention");
            0
        }
        None => {
            let last = mentions.len() - 1;
            app.set_message("Wrapped to the last mention");
            last
        }
    };
    app.article.cursor = Some(target);
    reveal_cursor(app);
    sync_xref_to_cursor(app);
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
pub(crate) fn go_to_mention(app: &mut App, m: Mention) {
    if app.article.doc != Some(m.doc) {
        push_jump(app);
    }
    open_doc(app, m.doc, Some(m.start as usize));
}

/// A click in the article's pane `r`: puts the mention cursor on the
/// mention clicked.
pub fn click(app: &mut App, r: Rect, x: u16, y: u16) -> Option<Action> {
    app.focus = Pane::Article;
    let t = layout::article_text(r);
    let (Some(index), Some(doc)) = (app.index.as_ref(), app.article.doc) else {
        return None;
    };
    let line = app.article.scroll + usize::from(y.saturating_sub(t.y));
    let range = app.article.lines.get(line).cloned()?;
    let byte = text::byte_at_column(
        &index.doc(doc).text,
        range,
        usize::from(x.saturating_sub(t.x)),
    );
    if let Some(i) = index
        .doc_mentions(doc)
        .iter()
        .position(|m| m.range().contains(&byte))
    {
        app.article.cursor = Some(i);
        sync_xref_to_cursor(app);
    }
    None
}
