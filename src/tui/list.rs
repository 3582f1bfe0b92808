//! The document list: every document, narrowed by a title filter and by
//! entities that must all be mentioned. A mode (see [`super::mode`]): it
//! owns its state, its actions, its keys and hints, and its clicks.

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, click_row, matches_words, step};
use crate::corpus::date::compare_dates;
use crate::entity::{DocId, EntityId};
use crate::index::Index;
use ratatui::layout::{Position, Rect};

/// The keymap context of the document list.
pub const CONTEXT: Context = Context::List;

/// The status line's key hints in the document list.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "open"),
    (Action::Filter, "filter"),
    (Action::Sort, "sort"),
    (Action::Quit, "quit"),
];

/// How the document list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocSort {
    /// By id, in natural order (`Copy 2` before `Copy 10`): the corpus's.
    #[default]
    Id,
    /// By date, oldest first; undated documents last.
    Date,
    /// Most mentions first.
    Mentions,
}

impl DocSort {
    pub fn next(self) -> DocSort {
        match self {
            DocSort::Id => DocSort::Date,
            DocSort::Date => DocSort::Mentions,
            DocSort::Mentions => DocSort::Id,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DocSort::Id => "id",
            DocSort::Date => "date",
            DocSort::Mentions => "mentions",
        }
    }
}

/// Screen lines per document row.
pub const ROW_HEIGHT: u16 = 2;

/// The document list's state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocList {
    pub title_filter: String,
    pub entities: Vec<EntityId>,
    /// Only documents of this month (`YYYY-MM`, from the timeline view).
    pub month: Option<String>,
    pub sort: DocSort,
    /// The documents shown, in the order of `sort`.
    pub rows: Vec<DocId>,
    pub selected: usize,
    pub offset: usize,
}

impl DocList {
    pub fn selected_doc(&self) -> Option<DocId> {
        self.rows.get(self.selected).copied()
    }

    pub fn is_filtered(&self) -> bool {
        !self.title_filter.is_empty() || !self.entities.is_empty() || self.month.is_some()
    }

    /// The list's actions while it has the focus: moving, opening the
    /// selected document, and Esc, which clears the title filter first,
    /// then the entity filters.
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.rows.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open => match self.selected_doc() {
                Some(doc) => Outcome::ReadDoc(doc),
                None => Outcome::Consumed,
            },
            Action::Back => {
                if !self.title_filter.is_empty() {
                    self.title_filter.clear();
                    self.refilter(cx.index);
                } else if !self.entities.is_empty() || self.month.is_some() {
                    self.entities.clear();
                    self.month = None;
                    self.refilter(cx.index);
                    return Outcome::Message("Showing all documents".into());
                }
                Outcome::Consumed
            }
            Action::Sort => {
                self.sort = self.sort.next();
                self.refilter(cx.index);
                Outcome::Message(match self.sort {
                    DocSort::Date => "Sorted by date (~: only the file's time)".into(),
                    other => format!("Sorted by {}", other.label()),
                })
            }
            _ => Outcome::Ignored,
        }
    }

    /// Shows only the documents of `month` that mention `e` (Enter in the
    /// timeline view), and says how many there are.
    pub fn show_month(&mut self, e: EntityId, month: String, index: Option<&Index>) -> Outcome {
        if !self.entities.contains(&e) {
            self.entities.push(e);
        }
        self.title_filter.clear();
        self.month = Some(month);
        self.selected = 0;
        self.refilter(index);
        let (Some(index), Some(month)) = (index, self.month.as_deref()) else {
            return Outcome::Consumed;
        };
        let n = self.rows.len();
        let docs = if n == 1 {
            "1 document".to_string()
        } else {
            format!("{n} documents")
        };
        let names: Vec<&str> = self
            .entities
            .iter()
            .map(|&e| index.entity(e).name.as_str())
            .collect();
        Outcome::Message(format!(
            "{docs} of {month} mention {} (M shows all)",
            names.join(" + ")
        ))
    }

    /// Drops every filter.
    pub fn clear_filters(&mut self, index: Option<&Index>) -> Outcome {
        self.title_filter.clear();
        self.entities.clear();
        self.month = None;
        self.refilter(index);
        Outcome::Message("Showing all documents".into())
    }

    /// The title filter was edited: the list starts again at the top.
    pub fn edit_filter(&mut self, index: Option<&Index>, edit: impl FnOnce(&mut String)) {
        edit(&mut self.title_filter);
        self.selected = 0;
        self.refilter(index);
    }

    /// Enter in the title filter: says how many documents match.
    pub fn filter_kept(&self) -> Outcome {
        let n = self.rows.len();
        Outcome::Message(if n == 1 {
            "1 document matches".to_string()
        } else {
            format!("{n} documents match")
        })
    }

    /// Adds an entity to the filter (the documents must mention it too),
    /// or takes it out, and says what the list shows now.
    pub fn toggle_entity(&mut self, e: EntityId, index: Option<&Index>) -> Outcome {
        if let Some(p) = self.entities.iter().position(|&x| x == e) {
            self.entities.remove(p);
        } else {
            self.entities.push(e);
        }
        self.refilter(index);
        let Some(index) = index else {
            return Outcome::Consumed;
        };
        let names: Vec<&str> = self
            .entities
            .iter()
            .map(|&e| index.entity(e).name.as_str())
            .collect();
        let n = self.rows.len();
        if names.is_empty() {
            return Outcome::Message("Entity filter cleared".into());
        }
        let docs = if n == 1 {
            "1 document mentions".to_string()
        } else {
            format!("{n} documents mention")
        };
        Outcome::Message(format!("{docs} {}", names.join(" + ")))
    }

    /// Recomputes the documents shown, keeping the selection on the same
    /// document where possible.
    pub fn refilter(&mut self, index: Option<&Index>) {
        let Some(index) = index else {
            return;
        };
        let keep = self.selected_doc();
        let mut allowed: Option<Vec<DocId>> = None;
        for &e in &self.entities {
            let docs: Vec<DocId> = index
                .entity_mentions_by_doc(e)
                .into_iter()
                .map(|(d, _)| d)
                .collect();
            allowed = Some(match allowed {
                None => docs,
                Some(prev) => prev
                    .into_iter()
                    .filter(|d| docs.binary_search(d).is_ok())
                    .collect(),
            });
        }
        let filter = &self.title_filter;
        let candidates: Vec<DocId> = match allowed {
            Some(a) => a,
            None => (0..index.docs().len() as DocId).collect(),
        };
        let month = self.month.as_deref();
        self.rows = candidates
            .into_iter()
            .filter(|&d| filter.is_empty() || matches_words(&index.doc(d).title, filter))
            .filter(|&d| {
                month.is_none_or(|m| index.doc(d).date.as_ref().map(|x| x.month()) == Some(m))
            })
            .collect();
        // The candidates are in corpus order, which is the natural order of
        // ids; the sorts are stable, so that order breaks their ties.
        match self.sort {
            DocSort::Id => {}
            DocSort::Date => self.rows.sort_by(|&a, &b| {
                compare_dates(index.doc(a).date.as_ref(), index.doc(b).date.as_ref())
            }),
            DocSort::Mentions => self
                .rows
                .sort_by_key(|&d| std::cmp::Reverse(index.doc_mentions(d).len())),
        }
        self.selected = keep
            .and_then(|k| self.rows.iter().position(|&d| d == k))
            .unwrap_or(0);
    }

    /// The row at a screen position, given the rectangle the rows are
    /// drawn in.
    pub fn hit(&self, rows: Rect, x: u16, y: u16) -> Option<usize> {
        if !rows.contains(Position::new(x, y)) {
            return None;
        }
        let i = self.offset + usize::from((y - rows.y) / ROW_HEIGHT);
        (i < self.rows.len()).then_some(i)
    }

    /// A click at a screen position (the rows drawn in `rows`): selects
    /// the row; a second click on it opens it.
    pub fn click(&mut self, rows: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        if click_row(self.hit(rows, x, y), &mut self.selected) {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
