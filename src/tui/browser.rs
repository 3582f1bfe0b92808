//! The entity browser: every mentioned entity, filtered by name, alias or
//! kind, and sorted. A mode (see [`super::mode`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Field, Outcome, Pane, click_row, keep_in_view, matches_words, step};
use crate::entity::EntityId;
use crate::index::Index;
use ratatui::layout::Rect;

/// The keymap context of the entity browser.
pub const CONTEXT: Context = Context::Entities;

/// The status line's key hints in the entity browser.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Open, "open"),
    (Action::Filter, "filter"),
    (Action::Sort, "sort"),
    (Action::Back, "close"),
];

/// How the entity browser is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Mentions,
    Docs,
    Kind,
    Name,
}

impl SortBy {
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Mentions => SortBy::Docs,
            SortBy::Docs => SortBy::Kind,
            SortBy::Kind => SortBy::Name,
            SortBy::Name => SortBy::Mentions,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Mentions => "mentions",
            SortBy::Docs => "documents",
            SortBy::Kind => "kind",
            SortBy::Name => "name",
        }
    }
}

/// The entity browser's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Browser {
    pub filter: String,
    pub sort: SortBy,
    pub rows: Vec<EntityId>,
    pub selected: usize,
    pub offset: usize,
}

impl Browser {
    /// The entity on the selected row.
    pub fn selected_entity(&self) -> Option<EntityId> {
        self.rows.get(self.selected).copied()
    }

    /// The browser's actions while it is open: moving, sorting, filtering,
    /// opening the selected entity in the cross-link panel, closing.
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.rows.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Sort => {
                self.sort = self.sort.next();
                self.refilter(cx.index);
                Outcome::OverlayMessage(format!("Sorted by {}", self.sort.label()))
            }
            Action::Filter => Outcome::Input(Field::EntityFilter),
            Action::Open => match self.selected_entity() {
                Some(entity) => Outcome::All(vec![
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

    /// The filter was edited: the list starts again at the top.
    pub fn edit_filter(&mut self, index: Option<&Index>, edit: impl FnOnce(&mut String)) {
        edit(&mut self.filter);
        self.selected = 0;
        self.refilter(index);
    }

    /// Esc in the filter: clears it.
    pub fn clear_filter(&mut self, index: Option<&Index>) {
        self.filter.clear();
        self.refilter(index);
    }

    /// Recomputes the rows: mentioned entities, filtered by name or alias
    /// and sorted, the selection kept on the same entity where possible.
    pub fn refilter(&mut self, index: Option<&Index>) {
        let Some(index) = index else {
            return;
        };
        let keep = self.selected_entity();
        let filter = &self.filter;
        let mut rows: Vec<EntityId> = (0..index.entities().len() as EntityId)
            .filter(|&e| index.stats(e).mentions > 0)
            .filter(|&e| {
                if filter.is_empty() {
                    return true;
                }
                let ent = index.entity(e);
                matches_words(&ent.name, filter)
                    || ent.aliases.iter().any(|a| matches_words(a, filter))
                    || matches_words(ent.kind.as_str(), filter)
            })
            .collect();
        let name = |e: EntityId| index.entity(e).name.to_lowercase();
        match self.sort {
            SortBy::Mentions => {
                rows.sort_by_key(|&e| (std::cmp::Reverse(index.stats(e).mentions), name(e)))
            }
            SortBy::Docs => rows.sort_by_key(|&e| {
                let s = index.stats(e);
                (
                    std::cmp::Reverse(s.docs),
                    std::cmp::Reverse(s.mentions),
                    name(e),
                )
            }),
            SortBy::Kind => rows.sort_by_key(|&e| {
                (
                    index.entity(e).kind,
                    std::cmp::Reverse(index.stats(e).mentions),
                    name(e),
                )
            }),
            SortBy::Name => rows.sort_by_key(|&e| name(e)),
        }
        self.rows = rows;
        self.selected = keep
            .and_then(|k| self.rows.iter().position(|&e| e == k))
            .unwrap_or(0);
    }

    /// Keeps the selection in view among `rows` visible rows.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, rows, self.rows.len());
    }

    /// The row at a screen position inside the overlay `inner` (a filter
    /// line and a heading come first).
    pub fn hit(&self, inner: Rect, x: u16, y: u16) -> Option<usize> {
        let _ = x;
        let row = usize::from(y.checked_sub(inner.y)?);
        let i = self.offset + row.checked_sub(2)?;
        (i < self.rows.len()).then_some(i)
    }

    /// A click inside the overlay: selects the row; a second click on it
    /// opens it.
    pub fn click(&mut self, inner: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        if click_row(self.hit(inner, x, y), &mut self.selected) {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
