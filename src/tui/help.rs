//! The help screen: every binding of the keymap, generated from it (see
//! [`super::view`]), scrolled. A mode (see [`super::mode`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, step};

/// The keymap context of the help screen.
pub const CONTEXT: Context = Context::Help;

/// The status line's key hints over the help screen.
pub const HINTS: &[(Action, &str)] = &[(Action::Back, "close")];

/// The help screen's state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Help {
    /// The first line shown.
    pub scroll: usize,
}

impl Help {
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
