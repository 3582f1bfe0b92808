//! What a decision about a span is about ([`Subject`]), and the two ways
//! to link it: every occurrence of its text, or this span. Below the modes
//! that carry a subject (the picker, the prompt) and the decisions.

use super::select;
use crate::annotate::{Anchor, NewEntity, Op};
use crate::entity::{DocId, Mention};
use crate::index::Index;
use std::ops::Range;

/// What a span decision is about: a span of a document, its text, and the
/// mention at exactly that span if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub doc: DocId,
    pub range: Range<usize>,
    /// The text as it stands in the document.
    pub exact: String,
    /// The text with white space folded, as it is named and linked.
    pub text: String,
    pub mention: Option<Mention>,
}

/// True when linking the subject's text everywhere would link the subject
/// itself (it is whole words, long enough to match).
pub fn links_everywhere(index: &Index, s: &Subject) -> bool {
    let Some(doc) = index.docs().get(s.doc as usize) else {
        return false;
    };
    crate::index::query::links_span(&doc.text, &s.text, s.range.clone())
}

/// The subject at `range` of a document: its text as it stands and as
/// it is linked, and the mention at exactly that span.
pub fn subject_of(index: &Index, doc: DocId, range: Range<usize>) -> Subject {
    let exact = index
        .docs()
        .get(doc as usize)
        .and_then(|d| d.text.get(range.clone()))
        .unwrap_or("")
        .to_string();
    let mention = index
        .doc_mentions(doc)
        .iter()
        .find(|m| m.range() == range)
        .copied();
    Subject {
        doc,
        text: select::flatten(&exact),
        exact,
        range,
        mention,
    }
}

/// The two ways to link a subject to `entity` (created by `new` if given):
/// every occurrence of its text (when that can be matched), and this span.
pub fn link_ops(
    index: &Index,
    s: &Subject,
    entity: &str,
    new: Option<NewEntity>,
) -> (Option<Op>, Option<Op>) {
    let all = links_everywhere(index, s).then(|| Op::LinkText {
        text: s.text.clone(),
        entity: entity.to_string(),
        new: new.clone(),
    });
    let one = anchor_of(index, s).map(|anchor| Op::LinkSpan {
        anchor,
        entity: entity.to_string(),
        new,
    });
    (all, one)
}

pub fn anchor_of(index: &Index, s: &Subject) -> Option<Anchor> {
    let d = index.docs().get(s.doc as usize)?;
    d.text
        .get(s.range.clone())
        .map(|_| Anchor::new(&d.id, &d.text, s.range.clone()))
}
