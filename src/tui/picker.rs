//! The fuzzy entity picker: names and aliases of every entity, best first
//! (scored in [`crate::index::query`]). What is picked is the router's to
//! carry out ([`Outcome::Picked`]). A mode (see [`super::mode`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Field, Outcome, click_row, keep_in_view, step};
use super::subject::Subject;
use crate::index::Index;
use crate::index::query::PickRow;
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};
use ratatui::layout::Rect;

/// The picker takes typed keys: its keys are the text field's.
pub const CONTEXT: Context = Context::Input;

/// The status line's key hints in the picker: none, its query line says
/// how to use it.
pub const HINTS: &[(Action, &str)] = &[];

/// What the picker chooses an entity for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickFor {
    /// Link this span (and, after confirmation, every occurrence of its text).
    Link(Subject),
    /// Merge the entity with this id into the one picked.
    Merge { from: String },
}

/// The fuzzy entity picker: names and aliases of every entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub purpose: PickFor,
    pub query: String,
    /// Best first.
    pub rows: Vec<PickRow>,
    pub selected: usize,
    pub offset: usize,
}

impl Picker {
    /// A picker for `purpose`, its rows not yet computed ([`Picker::refilter`]).
    pub fn new(purpose: PickFor) -> Picker {
        Picker {
            purpose,
            query: String::new(),
            rows: Vec::new(),
            selected: 0,
            offset: 0,
        }
    }

    /// Recomputes the rows after the query changed; the `merged` entities
    /// (and the one being merged) are not offered.
    pub fn refilter(&mut self, index: &Index, merged: &[String]) {
        let mut hidden = merged.to_vec();
        if let PickFor::Merge { from } = &self.purpose {
            hidden.push(from.clone());
        }
        self.rows = pick_rows(index, &self.query, &hidden);
        self.selected = 0;
        self.offset = 0;
    }

    /// The picker's actions: moving (while typing too), Enter (the entity
    /// picked, for the router to carry out) and Esc (closing it).
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.rows.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open | Action::InputAccept => match self.rows.get(self.selected) {
                Some(row) => Outcome::Picked(row.entity),
                None => Outcome::Input(Field::Picker).and(Outcome::OverlayMessage(
                    "No entity matches; Esc cancels".into(),
                )),
            },
            Action::Back | Action::InputCancel => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    /// Keeps the selection in view among `rows` visible rows.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, rows, self.rows.len());
    }

    /// The row at a screen position inside the overlay `inner` (the query
    /// line and a heading come first).
    pub fn hit(&self, inner: Rect, x: u16, y: u16) -> Option<usize> {
        let _ = x;
        let row = usize::from(y.checked_sub(inner.y)?);
        let i = self.offset + row.checked_sub(2)?;
        (i < self.rows.len()).then_some(i)
    }

    /// A click inside the overlay: selects the row; a second click on it
    /// picks it.
    pub fn click(&mut self, inner: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        if click_row(self.hit(inner, x, y), &mut self.selected) {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
