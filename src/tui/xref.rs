//! The cross-link panel: one entity's documents, mentions and
//! co-occurring entities, its sections, what Enter does on each row, and
//! what a click lands on. A mode (see [`super::mode`]).

use super::action::Action;
use super::cooc::CoocPanel;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, Pane, click_row, keep_in_view, step};
use crate::entity::{DocId, EntityId, Mention};
use crate::index::Index;
use crate::index::timeline::Timeline;
use ratatui::layout::{Position, Rect};

/// The keymap context of the cross-link panel.
pub const CONTEXT: Context = Context::Xref;

/// The status line's key hints in the cross-link panel.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "go"),
    (Action::JumpBack, "back"),
    (Action::ToggleXref, "article"),
    (Action::Names, "names"),
    (Action::CoocLevel, "by"),
    (Action::CoocKind, "kind"),
    (Action::ExportMarkdown, "export"),
    (Action::ExportCsv, "csv"),
];

/// One selectable row of the cross-link panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrefItem {
    /// `docs[i]`: the entity's mentions in one document.
    Doc(usize),
    /// `mentions[i]`: one mention, shown in context.
    Mention(usize),
    /// `cooc.rows[i]`: an entity named with this one.
    Cooc(usize),
}

/// The cross-link panel for one entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Xref {
    pub entity: Option<EntityId>,
    /// (document, number of mentions), in corpus order.
    pub docs: Vec<(DocId, u32)>,
    /// Every mention, in (document, start) order: their places in the
    /// index, shared with it (an entity named a million times is not
    /// copied).
    pub mentions: Places,
    /// The entities named with it (counted off the UI thread, when the
    /// list comes near them).
    pub cooc: CoocPanel,
    /// Its mentions per month.
    pub timeline: Timeline,
    /// Surface forms seen, most frequent first.
    pub aliases: Vec<(String, u32)>,
    /// Index over docs, then mentions, then co-occurring entities.
    pub selected: usize,
    pub docs_offset: usize,
    pub list_offset: usize,
}

/// Mentions as places in an index: (document, position in its mentions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places(pub std::sync::Arc<[(DocId, u32)]>);

impl Places {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `i`-th mention, as `index` has it.
    pub fn get(&self, i: usize, index: &Index) -> Option<Mention> {
        let &(d, k) = self.0.get(i)?;
        index.doc_mentions(d).get(k as usize).copied()
    }

    /// How many of the mentions come before `(doc, start)` (or at it, with
    /// `inclusive`).
    pub fn count_before(&self, index: &Index, doc: DocId, start: u32, inclusive: bool) -> usize {
        let key = |&(d, k): &(DocId, u32)| {
            let s = index.doc_mentions(d).get(k as usize).map_or(0, |m| m.start);
            (d, s)
        };
        if inclusive {
            self.0.partition_point(|p| key(p) <= (doc, start))
        } else {
            self.0.partition_point(|p| key(p) < (doc, start))
        }
    }
}

impl Xref {
    pub fn len(&self) -> usize {
        self.docs.len() + self.mentions.len() + self.cooc.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn item(&self, i: usize) -> Option<XrefItem> {
        let (d, m) = (self.docs.len(), self.mentions.len());
        if i < d {
            Some(XrefItem::Doc(i))
        } else if i < d + m {
            Some(XrefItem::Mention(i - d))
        } else if i < self.len() {
            Some(XrefItem::Cooc(i - d - m))
        } else {
            None
        }
    }

    pub fn selected_item(&self) -> Option<XrefItem> {
        self.item(self.selected)
    }

    /// The row of a mention, if it is one of this entity's.
    pub fn mention_row(&self, index: &Index, doc: DocId, start: u32) -> Option<usize> {
        let i = self.mentions.count_before(index, doc, start, false);
        let m = self.mentions.get(i, index)?;
        ((m.doc, m.start) == (doc, start)).then_some(self.docs.len() + i)
    }

    /// Shows entity `e`, its first mention selected.
    pub fn show(&mut self, index: &Index, e: EntityId) {
        if e as usize >= index.entities().len() {
            return;
        }
        self.entity = Some(e);
        self.docs = index.entity_doc_counts(e);
        self.mentions = Places(index.entity_places_shared(e));
        // Co-occurrence is counted off the UI thread when the list comes
        // near it (see `nav::settle`); the level and kind filter stay.
        self.cooc.reset();
        self.timeline = crate::index::timeline::timeline_of(index, &self.docs);
        self.aliases = index.aliases_seen(e);
        self.selected = if self.mentions.is_empty() {
            0
        } else {
            self.docs.len()
        };
        self.docs_offset = 0;
        self.list_offset = 0;
    }

    /// The rows of the scrolling list: a heading, the mentions, a blank
    /// line, a heading, the co-occurring entities.
    pub fn list_row(&self, item: XrefItem) -> Option<usize> {
        match item {
            XrefItem::Doc(_) => None,
            XrefItem::Mention(i) => Some(1 + i),
            XrefItem::Cooc(i) => Some(self.mentions.len() + 3 + i),
        }
    }

    /// Rows in the scrolling list.
    pub fn list_len(&self) -> usize {
        self.mentions.len() + 3 + self.cooc.len()
    }

    /// Keeps the selection in view: `doc_rows` rows of documents (under
    /// their heading), `list_rows` of the scrolling list.
    pub fn keep_in_view(&mut self, doc_rows: usize, list_rows: usize) {
        self.selected = self.selected.min(self.len().saturating_sub(1));
        match self.selected_item() {
            Some(XrefItem::Doc(i)) => {
                self.docs_offset = keep_in_view(self.docs_offset, i, doc_rows, self.docs.len());
            }
            Some(item) => {
                if let Some(row) = self.list_row(item) {
                    let len = self.list_len();
                    // The first row of a section brings its heading into view too.
                    if matches!(item, XrefItem::Mention(0) | XrefItem::Cooc(0)) {
                        self.list_offset = keep_in_view(self.list_offset, row - 1, list_rows, len);
                    }
                    self.list_offset = keep_in_view(self.list_offset, row, list_rows, len);
                }
            }
            None => {}
        }
        self.docs_offset = self
            .docs_offset
            .min(self.docs.len().saturating_sub(doc_rows));
    }

    /// `}` / `{`: the first row of the next or previous section that has
    /// rows.
    pub fn step_section(&mut self, forward: bool) {
        let starts = [0, self.docs.len(), self.docs.len() + self.mentions.len()];
        let sizes = [self.docs.len(), self.mentions.len(), self.cooc.len()];
        let here = match self.selected_item() {
            Some(XrefItem::Doc(_)) => 0,
            Some(XrefItem::Mention(_)) => 1,
            Some(XrefItem::Cooc(_)) => 2,
            None => return,
        };
        let mut s = here;
        loop {
            s = if forward { (s + 1) % 3 } else { (s + 2) % 3 };
            if s == here {
                return;
            }
            if sizes[s] > 0 {
                self.selected = starts[s];
                return;
            }
        }
    }

    /// The mention a row stands for: a mention's own, or a document's
    /// first.
    fn row_mention(&self, item: XrefItem, index: &Index) -> Option<Mention> {
        match item {
            XrefItem::Doc(i) => {
                let &(doc, _) = self.docs.get(i)?;
                let first = self.mentions.count_before(index, doc, 0, false);
                self.mentions.get(first, index).filter(|m| m.doc == doc)
            }
            XrefItem::Mention(i) => self.mentions.get(i, index),
            XrefItem::Cooc(_) => None,
        }
    }

    /// The panel's actions while it has the focus: moving, the sections,
    /// Enter (to the mention, the document's first, or the co-occurring
    /// entity) and Esc (back to the article).
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::NextSection => self.step_section(true),
            Action::PrevSection => self.step_section(false),
            Action::Open => {
                return match self.selected_item() {
                    // The sentences the pair shares (the other entity's
                    // cross-links are a key away there).
                    Some(XrefItem::Cooc(i)) => match (self.entity, self.cooc.get(i)) {
                        (Some(a), Some(c)) => Outcome::Shared {
                            a,
                            b: c.entity,
                            level: self.cooc.level,
                        },
                        _ => Outcome::Consumed,
                    },
                    Some(item) => match cx.index.and_then(|index| self.row_mention(item, index)) {
                        Some(m) => Outcome::OpenDoc {
                            doc: m.doc,
                            at: Some(m.start as usize),
                            jump: true,
                        },
                        None => Outcome::Consumed,
                    },
                    None => Outcome::Consumed,
                };
            }
            Action::Back => return Outcome::Focus(Pane::Article),
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    /// The row at a screen position, given the panel's document rows
    /// (under a heading) and its scrolling list.
    pub fn hit(&self, docs: Rect, list: Rect, x: u16, y: u16) -> Option<usize> {
        let at = Position::new(x, y);
        if docs.contains(at) && y > docs.y {
            let i = self.docs_offset + usize::from(y - docs.y - 1);
            (i < self.docs.len()).then_some(i)
        } else if list.contains(at) {
            let row = self.list_offset + usize::from(y - list.y);
            let n = self.mentions.len();
            let d = self.docs.len();
            if (1..=n).contains(&row) {
                Some(d + row - 1)
            } else if row >= n + 3 && row - n - 3 < self.cooc.len() {
                Some(d + n + row - n - 3)
            } else {
                None
            }
        } else {
            None
        }
    }

    /// A click in the panel: focuses it and selects the document, mention
    /// or co-occurring entity clicked; a second click goes to it.
    pub fn click(&mut self, docs: Rect, list: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        let focus = Outcome::Focus(Pane::Xref);
        if click_row(self.hit(docs, list, x, y), &mut self.selected) {
            focus.and(self.handle(&Action::Open, cx))
        } else {
            focus
        }
    }
}
