//! vim's jump list: the places the reader jumped from, `Ctrl-o` back and
//! `Ctrl-i` forward. Plain data below the modes: it calls none of them.

use crate::entity::{DocId, EntityId};

/// A place the jump list can return to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub doc: DocId,
    /// The start of the mention under the cursor, or of the first line shown.
    pub offset: usize,
    pub scroll: usize,
    /// The entity in the cross-link panel.
    pub entity: Option<EntityId>,
}

/// vim's jump list: `Ctrl-o` goes back, `Ctrl-i` forward.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JumpList {
    pub entries: Vec<Location>,
    /// The entry we are at; `entries.len()` when newer than all of them.
    pub pos: usize,
}

/// How many places the list keeps, as vim does.
const MAX_JUMPS: usize = 100;

impl JumpList {
    /// Records `here` before a jump: what was ahead of it is dropped.
    pub fn push(&mut self, here: Location) {
        self.entries.truncate(self.pos);
        if self.entries.last() != Some(&here) {
            self.entries.push(here);
        }
        // Keep the list bounded, as vim does.
        if self.entries.len() > MAX_JUMPS {
            self.entries.remove(0);
        }
        self.pos = self.entries.len();
    }

    /// `Ctrl-o` from `here`: the place to go back to, or `None` when this
    /// is the oldest.
    pub fn back(&mut self, here: Option<Location>) -> Option<Location> {
        if self.pos >= self.entries.len() {
            self.pos = self.entries.len();
            match here {
                Some(h) if self.entries.last() != Some(&h) => self.entries.push(h),
                _ => {}
            }
            let newest = self.entries.len();
            // From "newer than every entry", step to the entry before where we are.
            if newest < 2 && self.entries.last() == here.as_ref() {
                return None;
            }
            self.pos = newest - 1;
        }
        if self.pos == 0 {
            return None;
        }
        self.pos -= 1;
        Some(self.entries[self.pos])
    }

    /// `Ctrl-i`: the place to go forward to, or `None` when this is the
    /// newest.
    pub fn forward(&mut self) -> Option<Location> {
        if self.pos + 1 >= self.entries.len() {
            return None;
        }
        self.pos += 1;
        Some(self.entries[self.pos])
    }
}
