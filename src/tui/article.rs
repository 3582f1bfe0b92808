//! The article pane: the open document wrapped to its pane, its scrolling,
//! the mention cursor and stepping through the mentions, and what a click
//! lands on. A mode (see [`super::mode`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, Pane};
use crate::entity::{DocId, Mention};
use crate::index::Index;
use crate::text;
use ratatui::layout::Rect;
use std::ops::Range;

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

/// The open article, wrapped to the pane, with the mention cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub doc: Option<DocId>,
    /// Index into the document's mentions ([`Index::doc_mentions`]).
    pub cursor: Option<usize>,
    /// The first screen line shown.
    pub scroll: usize,
    /// A search hit to mark.
    pub highlight: Option<Range<usize>>,
    /// Byte ranges of the screen lines, for `wrap_width`.
    pub lines: Vec<Range<usize>>,
    pub wrap_width: usize,
    /// The byte the top line was wrapped around the last time: kept while
    /// the reader does not scroll, so that resizes back and forth come back
    /// to the same top line.
    pub anchor: Option<usize>,
}

impl Article {
    /// The screen line that shows byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|r| r.start <= offset)
            .saturating_sub(1)
    }

    /// The mention under the cursor.
    pub fn cursor_mention(&self, index: &Index) -> Option<Mention> {
        index.doc_mentions(self.doc?).get(self.cursor?).copied()
    }

    /// The first byte on screen.
    pub fn first_visible(&self) -> usize {
        self.lines.get(self.scroll).map_or(0, |r| r.start)
    }

    /// The byte range shown, `height` lines at a time.
    pub fn visible_bytes(&self, height: usize) -> Range<usize> {
        let first = self.lines.get(self.scroll).map(|r| r.start).unwrap_or(0);
        let last = self
            .lines
            .get(
                (self.scroll + height)
                    .min(self.lines.len())
                    .saturating_sub(1),
            )
            .map(|r| r.end)
            .unwrap_or(0);
        first..last.max(first)
    }

    /// True when the cursor's mention is on screen.
    pub fn cursor_visible(&self, index: &Index, height: usize) -> Option<bool> {
        let m = self.cursor_mention(index)?;
        let v = self.visible_bytes(height);
        Some(m.start as usize >= v.start && (m.start as usize) < v.end.max(v.start + 1))
    }

    /// Scrolls so that byte `offset` is on screen, about a third of the
    /// way down `height` lines.
    pub fn reveal(&mut self, offset: usize, height: usize) {
        let line = self.line_of(offset);
        if line < self.scroll || line >= self.scroll + height {
            self.scroll = line.saturating_sub(height / 3);
        }
    }

    /// The article's actions while it has the focus: scrolling, Enter
    /// (to the cross-link panel) and Esc (the search hit's mark goes).
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        let h = cx.page;
        let max = self.lines.len().saturating_sub(h);
        let page = h.saturating_sub(2).max(1);
        self.scroll = match action {
            Action::Down => (self.scroll + 1).min(max.max(self.scroll)),
            Action::Up => self.scroll.saturating_sub(1),
            Action::PageDown => (self.scroll + page).min(max.max(self.scroll)),
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            Action::Open => {
                return if cx.entity.is_some() {
                    Outcome::Focus(Pane::Xref)
                } else {
                    Outcome::Message("No mention under the cursor (n: next mention)".into())
                };
            }
            // Esc unmarks the search: the hit it stood on, and the others
            // (the next `]` marks them again).
            Action::Back => {
                self.highlight = None;
                return Outcome::HideHits;
            }
            _ => return Outcome::Ignored,
        };
        Outcome::Consumed
    }

    /// `n` / `N`: the cursor to the next or previous mention (from the
    /// first or last on screen when the cursor is off it), wrapping round.
    pub fn step_mention(&mut self, forward: bool, cx: &Ctx) -> Outcome {
        let Some(index) = cx.index else {
            return Outcome::Consumed;
        };
        let Some(doc) = self.doc else {
            return Outcome::Consumed;
        };
        let mentions = index.doc_mentions(doc);
        if mentions.is_empty() {
            return Outcome::Message("No mentions in this document".into());
        }
        let visible = self.visible_bytes(cx.page);
        let from_cursor = self.cursor_visible(index, cx.page) == Some(true);
        let next = match (forward, from_cursor, self.cursor) {
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
        let mut said = Outcome::Consumed;
        let target = match next {
            Some(i) => i,
            None if forward => {
                said = Outcome::Message("Wrapped to the first mention".into());
                0
            }
            None => {
                said = Outcome::Message("Wrapped to the last mention".into());
                mentions.len() - 1
            }
        };
        self.cursor = Some(target);
        if let Some(m) = self.cursor_mention(index) {
            self.reveal(m.start as usize, cx.page);
        }
        said.and(Outcome::SyncXref)
    }

    /// The mention at a screen position, given the rectangle the text is
    /// drawn in.
    pub fn hit(&self, text_area: Rect, x: u16, y: u16, index: &Index) -> Option<usize> {
        let doc = self.doc?;
        let line = self.scroll + usize::from(y.saturating_sub(text_area.y));
        let range = self.lines.get(line).cloned()?;
        let byte = text::byte_at_column(
            &index.doc(doc).text,
            range,
            usize::from(x.saturating_sub(text_area.x)),
        );
        index
            .doc_mentions(doc)
            .iter()
            .position(|m| m.range().contains(&byte))
    }

    /// A click in the article (its text drawn in `text_area`): focuses it
    /// and puts the mention cursor on the mention clicked.
    pub fn click(&mut self, text_area: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        let focus = Outcome::Focus(Pane::Article);
        let Some(i) = cx.index.and_then(|index| self.hit(text_area, x, y, index)) else {
            return focus;
        };
        self.cursor = Some(i);
        focus.and(Outcome::SyncXref)
    }
}
