//! The journal view: warnings, unplaced annotations, notes and the latest
//! decisions; and what the reader knows of the journal ([`JournalInfo`]).
//! A mode (see [`super::mode`]).

use super::action::Action;
pub use super::answer::{JournalInfo, RECENT_DECISIONS};
use super::keymap::Context;
use super::mode::{Ctx, Outcome, step};

/// The keymap context of the journal view.
pub const CONTEXT: Context = Context::Journal;

/// The status line's key hints over the journal view.
pub const HINTS: &[(Action, &str)] = &[(Action::Back, "close")];

/// The journal view's state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JournalOverlay {
    /// The first line shown.
    pub scroll: usize,
}

impl JournalOverlay {
    /// Scrolling, and closing (Enter or Esc).
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.scroll, usize::MAX / 2, cx.page) {
            self.scroll = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open | Action::Back => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }
}
