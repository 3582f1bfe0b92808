//! The shared sentences of a pair: where the cross-link panel's entity and
//! a co-occurring one are named in the same sentence (or paragraph, or
//! document, at the panel's level), boilerplate left out. Found off the UI
//! thread ([`Effect::FindShared`](super::mode::Effect::FindShared)), since
//! it reads the documents naming both. A mode (see [`super::mode`]).

use super::action::Action;
pub use super::answer::SharedFound;
use super::keymap::Context;
use super::mode::{Ctx, Effect, Outcome, Pane, click_row, keep_in_view, step};
use crate::entity::EntityId;
use crate::index::cooc::{Level, SharedUnit};
use ratatui::layout::Rect;

/// The keymap context of the shared-sentences view.
pub const CONTEXT: Context = Context::Shared;

/// The status line's key hints over the shared-sentences view.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Open, "read"),
    (Action::ShowOther, "cross-links of the other"),
    (Action::Back, "close"),
];

/// Rows above the list: a heading.
pub const TOP_ROWS: u16 = 1;

/// The shared-sentences view's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shared {
    /// The panel's entity and the co-occurring one.
    pub pair: Option<(EntityId, EntityId)>,
    pub level: Option<Level>,
    /// In corpus order.
    pub units: Vec<SharedUnit>,
    /// The units are on their way.
    pub pending: bool,
    pub generation: u64,
    pub selected: usize,
    pub offset: usize,
}

impl Shared {
    /// Starts looking for the units `a` and `b` share at `level`: the
    /// request for the worker.
    pub fn ask(&mut self, a: EntityId, b: EntityId, level: Level) -> Effect {
        self.generation += 1;
        self.pair = Some((a, b));
        self.level = Some(level);
        self.units.clear();
        self.pending = true;
        self.selected = 0;
        self.offset = 0;
        Effect::FindShared {
            generation: self.generation,
            a,
            b,
            level,
        }
    }

    /// The worker's answer: kept if it is for the last request.
    pub fn found(&mut self, f: SharedFound) {
        if f.generation == self.generation && self.pending {
            self.units = f.units;
            self.pending = false;
        }
    }

    /// Moving; Enter reads the document at the unit (the cursor on the
    /// other entity's mention in it); the other entity's cross-links; Esc.
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.units.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open => {
                let Some(u) = self.units.get(self.selected) else {
                    return Outcome::Consumed;
                };
                let other = self.pair.map(|p| p.1);
                let at = u
                    .mentions
                    .iter()
                    .find(|m| Some(m.entity) == other)
                    .or(u.mentions.first())
                    .map_or(u.range.start, |m| m.start as usize);
                Outcome::All(vec![
                    Outcome::Close,
                    Outcome::OpenDoc {
                        doc: u.doc,
                        at: Some(at),
                        jump: true,
                    },
                    Outcome::Focus(Pane::Article),
                ])
            }
            Action::ShowOther => match self.pair {
                Some((_, entity)) => Outcome::All(vec![
                    Outcome::Close,
                    Outcome::ShowEntity { entity, jump: true },
                    Outcome::Focus(Pane::Xref),
                ]),
                None => Outcome::Consumed,
            },
            Action::Back => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    /// Keeps the selection in view among `rows` visible rows.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.selected = self.selected.min(self.units.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, rows, self.units.len());
    }

    /// The row at a screen position inside the overlay `inner`.
    pub fn hit(&self, inner: Rect, x: u16, y: u16) -> Option<usize> {
        let _ = x;
        let row = usize::from(y.checked_sub(inner.y + TOP_ROWS)?);
        let i = self.offset + row;
        (i < self.units.len()).then_some(i)
    }

    /// A click: selects the row; a second click opens it.
    pub fn click(&mut self, inner: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        if click_row(self.hit(inner, x, y), &mut self.selected) {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
