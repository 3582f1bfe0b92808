//! The last search as the article shows it: every hit in the open document
//! marked, and `]` / `[` moving to the next or previous hit, on to the next
//! (or previous) document that has one and round from the other end, as
//! `n` and `N` do in less (`n` is the next mention here). A search is for a
//! text (`/isis-k`, ignoring case) or for an entity (`/=ttp`), whose hits
//! are its mentions, whatever their spelling.
//!
//! Part of the search mode ([`super::search`]): it reads the reader only
//! through what it is handed, and changes it by the [`Outcome`] it returns.

use super::action::Action;
use super::answer::Hit;
use super::mode::{Outcome, Pane};
use crate::entity::{DocId, EntityId};
use crate::index::Index;
use crate::index::query::{self, Direction};
use crate::text;
use std::ops::Range;

/// The hit keys' hints, put after the article's first ones while a
/// search's hits are marked (and after the keys for a suggested link).
pub const HINTS: &[(Action, &str)] =
    &[(Action::NextHit, "next hit"), (Action::PrevHit, "prev hit")];

/// The article's key hints while a search's hits are marked: as without
/// them (see [`super::article::HINTS`]), less help, with the hit keys
/// after the mention and selection keys.
pub const ARTICLE_HINTS: &[(Action, &str)] = &[
    (Action::NextMention, "next"),
    (Action::Visual, "select"),
    (Action::NextHit, "next hit"),
    (Action::PrevHit, "prev hit"),
    (Action::ToggleXref, "links"),
    (Action::Back, "unmark"),
    (Action::JumpBack, "back"),
    (Action::Quit, "quit"),
];

/// What the last search looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sought {
    /// A text, ignoring case.
    Text(String),
    /// Every mention of an entity, whatever its spelling.
    Entity(EntityId),
}

/// The last search, and its hits in the open document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub sought: Option<Sought>,
    /// The hits are marked in the article (Esc there hides them; the next
    /// step shows them again).
    pub shown: bool,
    /// The document `ranges` were found in, with its text's length (a new
    /// index may number the documents differently).
    pub doc: Option<(DocId, usize)>,
    /// The hits in `doc`, in order.
    pub ranges: Vec<Range<usize>>,
}

/// Where the reader is when it asks for the next or previous hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Here {
    pub doc: DocId,
    /// The hit marked in the article, if any: the step starts from it.
    pub current: Option<Range<usize>>,
    /// The first byte on screen: with no hit marked, the step starts there.
    pub top: usize,
}

impl Found {
    /// A new search: its hits are found in the open document at the next
    /// [`Found::sync`], and shown.
    pub fn set(&mut self, sought: Sought) {
        self.sought = Some(sought);
        self.shown = true;
        self.doc = None;
        self.ranges.clear();
    }

    /// The hits of the open document `doc`. A text's are found once per
    /// document (linear in its length); an entity's are its mentions there,
    /// taken from the index every time, since annotating changes them.
    pub fn sync(&mut self, index: Option<&Index>, doc: Option<DocId>) {
        let (Some(index), Some(doc), Some(sought)) = (index, doc, self.sought.as_ref()) else {
            self.doc = None;
            self.ranges.clear();
            return;
        };
        let Some(document) = index.docs().get(doc as usize) else {
            self.doc = None;
            self.ranges.clear();
            return;
        };
        let key = (doc, document.text.len());
        match sought {
            Sought::Entity(e) => {
                self.ranges = index
                    .doc_mentions(doc)
                    .iter()
                    .filter(|m| m.entity == *e)
                    .map(|m| m.range())
                    .collect();
            }
            Sought::Text(q) => {
                if self.doc == Some(key) {
                    return;
                }
                // The open document's text is in memory: the article shows it.
                self.ranges = query::text_hits(document.text.as_str(), q);
            }
        }
        self.doc = Some(key);
    }

    /// The hits to mark in document `doc`: none when hidden or not found
    /// for it yet.
    pub fn marked(&self, doc: DocId) -> &[Range<usize>] {
        match self.doc {
            Some((d, _)) if self.shown && d == doc => &self.ranges,
            _ => &[],
        }
    }

    /// How the status line names the search: `/isis-k`, or
    /// `/=Radd-ul-Fasaad (event)`.
    pub fn label(&self, index: &Index) -> String {
        match &self.sought {
            Some(Sought::Text(q)) => format!("/{}", text::sanitize(q)),
            Some(Sought::Entity(e)) => match index.entities().get(*e as usize) {
                Some(ent) => format!("/={} ({})", text::sanitize(&ent.name), ent.kind),
                None => "/=?".to_string(),
            },
            None => String::new(),
        }
    }

    /// The next (or previous) hit from `here`: in the open document, else
    /// in the documents after (or before) it, round from the other end.
    /// `listed` is every hit of the text search, in corpus order, when the
    /// results hold them all: the step is then a binary search; without
    /// them the documents are searched one by one until a hit is found.
    /// The hit is opened, marked and named on the status line with its
    /// place among all the hits when that is known.
    pub fn step(
        &mut self,
        index: &Index,
        here: &Here,
        direction: Direction,
        listed: Option<&[Hit]>,
    ) -> Outcome {
        let Some(sought) = self.sought.clone() else {
            return Outcome::Message(
                "No search yet: / searches the text, /= an entity (every spelling)".into(),
            );
        };
        self.shown = true;
        let forward = direction == Direction::Next;
        let in_doc = if self.doc.map(|(d, _)| d) == Some(here.doc) {
            let r = &self.ranges;
            match (&here.current, forward) {
                (Some(c), true) => r.iter().find(|h| h.start > c.start),
                (Some(c), false) => r.iter().rev().find(|h| h.start < c.start),
                (None, true) => r.iter().find(|h| h.start >= here.top),
                (None, false) => r.iter().rev().find(|h| h.start < here.top),
            }
            .cloned()
        } else {
            None
        };
        let target = match in_doc {
            Some(r) => Some((here.doc, r)),
            None => match &sought {
                Sought::Entity(e) => entity_step(index, *e, here.doc, forward),
                Sought::Text(q) => match listed {
                    Some(hits) => listed_step(hits, here.doc, forward),
                    // Past the end (or before the start) of this document:
                    // the documents after (before) it, then round to it.
                    None => {
                        let at = if forward { usize::MAX } else { 0 };
                        query::next_hit(index.corpus(), q, here.doc, at, direction)
                    }
                },
            },
        };
        let label = self.label(index);
        let Some((doc, range)) = target else {
            return Outcome::Message(format!("{label}: no hits"));
        };
        // Where the hit stands among them all, when that is known.
        let place = match (&sought, listed) {
            (Sought::Entity(e), _) => {
                let places = index.entity_places_shared(*e);
                let start = range.start as u32;
                let before = places.partition_point(|&(d, k)| {
                    let s = index.doc_mentions(d).get(k as usize).map_or(0, |m| m.start);
                    (d, s) < (doc, start)
                });
                Some((before + 1, places.len()))
            }
            (Sought::Text(_), Some(hits)) => {
                let before = hits.partition_point(|h| (h.doc, h.start) < (doc, range.start));
                Some((before + 1, hits.len()))
            }
            (Sought::Text(_), None) => None,
        };
        let here_at = here.current.as_ref().map_or(here.top, |c| c.start);
        // Back at (or before) where it started: it came round. A hit at the
        // top of the screen is ahead when none is marked.
        let (at, from) = ((doc, range.start), (here.doc, here_at));
        let wrapped = if forward {
            at < from || (at == from && here.current.is_some())
        } else {
            at >= from
        };
        let what = match &sought {
            Sought::Entity(_) => "mention",
            Sought::Text(_) => "hit",
        };
        let mut message = match place {
            Some((i, n)) => format!("{label}: {what} {i} of {n}"),
            None => format!("{label}: {what} in document {}", doc + 1),
        };
        if wrapped {
            message.push_str(if forward {
                " (wrapped to the first)"
            } else {
                " (wrapped to the last)"
            });
        }
        Outcome::All(vec![
            Outcome::OpenDoc {
                doc,
                at: Some(range.start),
                jump: doc != here.doc,
            },
            Outcome::Highlight(range),
            Outcome::Focus(Pane::Article),
            Outcome::Message(message),
        ])
    }
}

/// The first hit of the next document with one (or the last of the
/// previous), from every hit in corpus order, coming round at the ends.
fn listed_step(hits: &[Hit], doc: DocId, forward: bool) -> Option<(DocId, Range<usize>)> {
    let hit = if forward {
        let i = hits.partition_point(|h| h.doc <= doc);
        hits.get(i).or_else(|| hits.first())
    } else {
        let i = hits.partition_point(|h| h.doc < doc);
        i.checked_sub(1)
            .and_then(|i| hits.get(i))
            .or_else(|| hits.last())
    }?;
    Some((hit.doc, hit.start..hit.end))
}

/// The entity's first mention in the next document that names it (or its
/// last in the previous), coming round at the ends.
fn entity_step(
    index: &Index,
    e: EntityId,
    doc: DocId,
    forward: bool,
) -> Option<(DocId, Range<usize>)> {
    let docs = index.entity_doc_counts(e);
    let d = if forward {
        let i = docs.partition_point(|&(d, _)| d <= doc);
        docs.get(i).or_else(|| docs.first())
    } else {
        let i = docs.partition_point(|&(d, _)| d < doc);
        i.checked_sub(1)
            .and_then(|i| docs.get(i))
            .or_else(|| docs.last())
    }?
    .0;
    let mut mine = index.doc_mentions(d).iter().filter(|m| m.entity == e);
    let m = if forward {
        mine.next()
    } else {
        mine.next_back()
    }?;
    Some((d, m.range()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(doc: DocId, start: usize) -> Hit {
        Hit {
            doc,
            start,
            end: start + 2,
        }
    }

    #[test]
    fn listed_hits_step_by_document_and_come_round() {
        let hits = [hit(1, 5), hit(1, 9), hit(4, 0), hit(6, 3)];
        assert_eq!(listed_step(&hits, 1, true), Some((4, 0..2)));
        assert_eq!(listed_step(&hits, 2, true), Some((4, 0..2)));
        assert_eq!(listed_step(&hits, 6, true), Some((1, 5..7)));
        assert_eq!(listed_step(&hits, 4, false), Some((1, 9..11)));
        assert_eq!(listed_step(&hits, 1, false), Some((6, 3..5)));
        assert_eq!(listed_step(&hits, 0, false), Some((6, 3..5)));
        assert_eq!(listed_step(&[], 0, true), None);
    }
}
