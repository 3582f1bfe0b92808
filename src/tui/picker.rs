//! The fuzzy entity picker: names and aliases of every entity, best first
//! (scored in [`crate::index::query`]). What is picked is the caller's to
//! use.

use super::app::{App, Field, Overlay, PickFor, Picker};
use super::nav::keep_in_view;
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};

pub(crate) fn open_picker(app: &mut App, purpose: PickFor) {
    app.picker = Some(Picker {
        purpose,
        query: String::new(),
        rows: Vec::new(),
        selected: 0,
        offset: 0,
    });
    app.overlay = Some(Overlay::Picker);
    app.input = Some(Field::Picker);
    refilter_picker(app);
}

/// Recomputes the picker's rows after its query changed.
pub fn refilter_picker(app: &mut App) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let mut hidden = app.journal.merged.clone();
    if let Some(PickFor::Merge { from }) = app.picker.as_ref().map(|p| &p.purpose) {
        hidden.push(from.clone());
    }
    if let Some(p) = app.picker.as_mut() {
        p.rows = pick_rows(index, &p.query, &hidden);
        p.selected = 0;
        p.offset = 0;
    }
}

pub fn close_picker(app: &mut App) {
    app.picker = None;
    if app.overlay == Some(Overlay::Picker) {
        app.overlay = None;
    }
    if app.input == Some(Field::Picker) {
        app.input = None;
    }
}

/// Keeps the picker's selection in view among `rows` visible rows.
pub fn fix_picker_offset(app: &mut App, rows: usize) {
    if let Some(p) = app.picker.as_mut() {
        p.selected = p.selected.min(p.rows.len().saturating_sub(1));
        p.offset = keep_in_view(p.offset, p.selected, rows, p.rows.len());
    }
}
