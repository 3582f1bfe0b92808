//! The names view: every spelling of the cross-link panel's entity that the
//! corpus uses, with its count and documents, the knowledge base's names
//! marked apart from those seen only in the text (see
//! [`crate::index::names`]). Aliases no article uses are not listed. A mode
//! (see [`super::mode`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, click_row, keep_in_view, step};
use crate::entity::EntityId;
use crate::index::{Index, NameRow};
use crate::text::flatten;
use ratatui::layout::Rect;

/// The keymap context of the names view.
pub const CONTEXT: Context = Context::Names;

/// The status line's key hints over the names view.
pub const HINTS: &[(Action, &str)] = &[(Action::Open, "first use"), (Action::Back, "close")];

/// Rows above the list: a legend and a heading.
pub const TOP_ROWS: u16 = 2;

/// The names view's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub entity: Option<EntityId>,
    /// Most frequent first.
    pub rows: Vec<NameRow>,
    pub selected: usize,
    pub offset: usize,
}

impl Names {
    /// The names of entity `e` (no document is read).
    pub fn of(index: &Index, e: EntityId) -> Names {
        Names {
            entity: Some(e),
            rows: index.names(e),
            selected: 0,
            offset: 0,
        }
    }

    /// Moving; Enter opens the first document written so, at the first
    /// mention written so; Esc closes.
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.rows.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open => match self.first_use(cx.index) {
                Some((doc, at)) => Outcome::All(vec![
                    Outcome::Close,
                    Outcome::OpenDoc {
                        doc,
                        at: Some(at),
                        jump: true,
                    },
                    Outcome::Focus(super::mode::Pane::Article),
                ]),
                None => Outcome::Consumed,
            },
            Action::Back => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    /// The first mention written as the selected spelling: (document, byte).
    pub fn first_use(&self, index: Option<&Index>) -> Option<(crate::entity::DocId, usize)> {
        let index = index?;
        let e = self.entity?;
        let row = self.rows.get(self.selected)?;
        let &doc = row.first_docs.first()?;
        let text = &index.doc(doc).text;
        index
            .doc_mentions(doc)
            .iter()
            .find(|m| m.entity == e && text.get(m.range()).is_some_and(|t| flatten(t) == row.form))
            .map(|m| (doc, m.start as usize))
    }

    /// Keeps the selection in view among `rows` visible rows.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, rows, self.rows.len());
    }

    /// The row at a screen position inside the overlay `inner`.
    pub fn hit(&self, inner: Rect, x: u16, y: u16) -> Option<usize> {
        let _ = x;
        let row = usize::from(y.checked_sub(inner.y + TOP_ROWS)?);
        let i = self.offset + row;
        (i < self.rows.len()).then_some(i)
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
