//! The workers' answers, as the router applies them: the journal opened,
//! and a decision, undo or redo carried out, with the new index swapped in
//! while the reader stays where it was.

use super::app::{App, JournalInfo, Overlay, Pane, Prompt, XrefItem};
use super::decisions::refilter_picker;
use super::nav::{refilter_browser, refilter_list, set_xref_entity, sync_xref_to_cursor};
use super::worker::{Applied, READ_ONLY};
use crate::entity::EntityId;
use crate::index::Index;
use crate::text::plural;

/// The journal was opened: says what needs saying (read-only, a torn line,
/// annotations that cannot be placed).
pub fn journal_ready(app: &mut App, info: JournalInfo) {
    let mut notes: Vec<String> = Vec::new();
    let mut error = false;
    if info.read_only {
        error = true;
        notes.push(match &info.trouble {
            Some(t) => format!("read-only: {t}"),
            None => READ_ONLY.to_string(),
        });
    }
    if !info.unplaced.is_empty() {
        error = true;
        notes.push(format!(
            "{} cannot be placed",
            plural(info.unplaced.len(), "annotation", "annotations")
        ));
    }
    if !info.warnings.is_empty() {
        // The whole text (file, line, what was kept) is in the J view; the
        // status line says what happened in words that fit.
        error = true;
        // (A torn or unreadable line set aside, or ignored when read-only;
        // a decision of a kind this build cannot read, kept.)
        notes.push(format!(
            "journal: {}",
            plural(info.warnings.len(), "warning", "warnings")
        ));
    }
    if (!info.unplaced.is_empty() || !info.warnings.is_empty())
        && let Some(last) = notes.last_mut()
    {
        last.push_str(" (J for details)");
    }
    app.journal = info;
    if notes.is_empty() {
        return;
    }
    if let Some(m) = &app.message {
        notes.insert(0, m.text.clone());
        error |= m.error;
    }
    let text = notes.join("; ");
    if error {
        app.set_error(text);
    } else {
        app.set_message(text);
    }
}

/// The workspace answered a decision, undo or redo.
pub fn applied(app: &mut App, a: Applied) {
    app.in_flight = app.in_flight.saturating_sub(1);
    let mut journal = a.journal;
    if journal.pending > 0 && journal.save_error.is_none() {
        // Why the writes fail is known from an earlier answer.
        journal.save_error = app.journal.save_error.take();
    }
    app.journal = journal;
    if let Some(index) = a.index {
        swap_index(app, index);
    }
    if a.error {
        app.set_error(a.message);
    } else {
        app.set_message(a.message);
    }
    // Waiting to quit: once everything is on disk, quit; a retry that
    // failed asks again.
    if let Some(Prompt::Quit { retrying }) = app.prompt.as_mut() {
        if app.journal.pending == 0 {
            app.quit = true;
        } else if app.in_flight == 0 {
            *retrying = false;
        }
    }
}

/// Puts a new index in place, keeping the reader where it was: the same
/// document, scroll and cursor position, the same entity in the cross-link
/// panel (by id), the same list filters.
pub fn swap_index(app: &mut App, index: Index) {
    let Some(old) = app.index.as_ref() else {
        app.index = Some(index);
        return;
    };
    let id = |e: EntityId| old.entities().get(e as usize).map(|x| x.id.clone());
    let cursor_at = app.cursor_mention().map(|m| m.start as usize);
    let xref_id = app.xref.entity.and_then(id);
    let xref_mention = match app.xref.selected_item() {
        Some(XrefItem::Mention(i)) => app.xref.mentions.get(i, old).map(|m| (m.doc, m.start)),
        _ => None,
    };
    let xref_selected = app.xref.selected;
    let list_ids: Vec<String> = app.list.entities.iter().filter_map(|&e| id(e)).collect();
    let jump_ids: Vec<Option<String>> = app
        .jumps
        .entries
        .iter()
        .map(|l| l.entity.and_then(id))
        .collect();
    app.index = Some(index);
    let Some(new) = app.index.as_ref() else {
        return;
    };
    app.list.entities = list_ids
        .iter()
        .filter_map(|i| new.entity_by_id(i))
        .collect();
    for (l, i) in app.jumps.entries.iter_mut().zip(jump_ids) {
        l.entity = i.and_then(|i| new.entity_by_id(&i));
    }
    if let Some(doc) = app.article.doc {
        let ms = new.doc_mentions(doc);
        app.article.cursor = match cursor_at {
            Some(b) => {
                let i = ms.partition_point(|m| (m.end as usize) <= b);
                (i < ms.len()).then_some(i).or(ms.len().checked_sub(1))
            }
            None => None,
        };
    }
    refilter_list(app);
    let keep = xref_id.and_then(|i| new_entity(app, &i));
    if app.focus != Pane::Xref && app.cursor_mention().is_some() {
        app.xref.entity = None;
        sync_xref_to_cursor(app);
    } else if let Some(e) = keep {
        set_xref_entity(app, e);
        let row = xref_mention.and_then(|(d, s)| {
            let index = app.index.as_ref()?;
            app.xref.mention_row(index, d, s)
        });
        app.xref.selected = row.unwrap_or(xref_selected.min(app.xref.len().saturating_sub(1)));
    } else {
        app.xref = Default::default();
        sync_xref_to_cursor(app);
    }
    if app.overlay == Some(Overlay::Entities) {
        refilter_browser(app);
    }
    if let Some(sel) = app.picker.as_ref().map(|p| p.selected) {
        refilter_picker(app);
        if let Some(p) = app.picker.as_mut() {
            p.selected = sel.min(p.rows.len().saturating_sub(1));
        }
    }
}

pub(crate) fn new_entity(app: &App, id: &str) -> Option<EntityId> {
    app.index.as_ref()?.entity_by_id(id)
}
