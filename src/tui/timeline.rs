//! The timeline view: an entity's mentions per month, a bar and the counts
//! for each month from its first mention to its last (months without one
//! included), by the dates of the documents that hold them. Enter on a
//! month lists that month's documents that mention the entity. A mode
//! (see [`super::mode`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, click_row, keep_in_view, step};
use crate::entity::EntityId;
use crate::index::Index;
use crate::index::timeline::{self, MonthRow, Timeline as Months};
use ratatui::layout::Rect;

/// The keymap context of the timeline view.
pub const CONTEXT: Context = Context::Timeline;

/// The status line's key hints in the timeline view.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Open, "list the month's documents"),
    (Action::Back, "close"),
];

/// Rows above the months: the entity and its totals, then a hint.
pub const HEADER_ROWS: u16 = 2;

/// The timeline view's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    pub entity: Option<EntityId>,
    pub months: Months,
    pub selected: usize,
    pub offset: usize,
}

impl Timeline {
    /// Counts entity `e`'s mentions per month (no text is read) and selects
    /// its busiest month.
    pub fn show(&mut self, index: &Index, e: EntityId) {
        self.entity = Some(e);
        self.months = timeline::timeline(index, e);
        let peak = self.months.peak();
        self.selected = self
            .months
            .months
            .iter()
            .position(|m| m.mentions == peak)
            .unwrap_or(0);
        self.offset = 0;
    }

    /// The selected month.
    pub fn selected_month(&self) -> Option<&MonthRow> {
        self.months.months.get(self.selected)
    }

    /// The timeline's actions: moving between months, Enter to list the
    /// selected month's documents, Esc to close.
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.months.months.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open => match (self.entity, self.selected_month()) {
                (Some(entity), Some(m)) if m.docs > 0 => Outcome::All(vec![
                    Outcome::Close,
                    Outcome::ListMonth {
                        entity,
                        month: m.month.clone(),
                    },
                ]),
                (_, Some(m)) => {
                    Outcome::OverlayMessage(format!("No document of {} mentions it", m.month))
                }
                _ => Outcome::Consumed,
            },
            Action::Back => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    /// Keeps the selection in view among `rows` rows of months.
    pub fn keep_in_view(&mut self, rows: usize) {
        let len = self.months.months.len();
        self.selected = self.selected.min(len.saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, rows, len);
    }

    /// The month at a screen position inside the overlay `inner`.
    pub fn hit(&self, inner: Rect, x: u16, y: u16) -> Option<usize> {
        let _ = x;
        let row = y.checked_sub(inner.y + HEADER_ROWS)?;
        let i = self.offset + usize::from(row);
        (i < self.months.months.len()).then_some(i)
    }

    /// A click inside the overlay: selects the month; a second click on it
    /// lists its documents.
    pub fn click(&mut self, inner: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        if click_row(self.hit(inner, x, y), &mut self.selected) {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
