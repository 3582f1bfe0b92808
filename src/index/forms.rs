//! The surface forms of the mentions: each mention's text, interned once, so
//! that "how is this entity written?" and every headless listing of
//! mentions are answered without reading a document's text again. A corpus
//! whose texts stay on disk (see [`crate::corpus::Text`]) needs this: the
//! entity with the most mentions appears in nearly every document.

use crate::corpus::Corpus;
use crate::entity::Mention;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Every distinct surface form, and the form of each mention (in the order
/// of the mentions they were made for).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forms {
    /// Shared between the indexes of one session: a decision adds a few
    /// forms at most.
    names: Arc<Vec<Box<str>>>,
    of: Vec<u32>,
}

/// Interns forms as they come.
#[derive(Default)]
struct Interner {
    names: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
}

impl Interner {
    fn id(&mut self, form: &str) -> u32 {
        if let Some(&id) = self.ids.get(form) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(form.into());
        self.ids.insert(form.into(), id);
        id
    }
}

impl Forms {
    /// The forms of `mentions` (sorted by document), reading each document
    /// with mentions once, without keeping a text that is not in memory.
    pub fn of(corpus: &Corpus, mentions: &[Mention]) -> Forms {
        Forms::of_known(corpus, mentions, |_| None)
    }

    /// [`Forms::of`], taking a document's forms from `known` where it has
    /// them (as many as the document's mentions) instead of its text.
    pub fn of_known<'k>(
        corpus: &Corpus,
        mentions: &[Mention],
        mut known: impl FnMut(crate::entity::DocId) -> Option<Vec<&'k str>>,
    ) -> Forms {
        let mut interner = Interner::default();
        let mut of = Vec::with_capacity(mentions.len());
        for same_doc in mentions.chunk_by(|a, b| a.doc == b.doc) {
            if let Some(forms) = known(same_doc[0].doc).filter(|f| f.len() == same_doc.len()) {
                of.extend(forms.into_iter().map(|f| interner.id(f)));
                continue;
            }
            let text = match corpus.docs.get(same_doc[0].doc as usize) {
                Some(d) => d.text.fetch(),
                None => std::borrow::Cow::Borrowed(""),
            };
            for m in same_doc {
                of.push(interner.id(text.get(m.range()).unwrap_or("")));
            }
        }
        Forms {
            names: Arc::new(interner.names),
            of,
        }
    }

    /// The names, shared, and each mention's form.
    pub(super) fn into_parts(self) -> (Arc<Vec<Box<str>>>, Vec<u32>) {
        (self.names, self.of)
    }

    /// Forms as stored: the names, and each mention's form. `None` when they
    /// do not fit `mentions` (a damaged cache).
    pub fn from_parts(names: Vec<String>, of: Vec<u32>, mentions: usize) -> Option<Forms> {
        if of.len() != mentions || of.iter().any(|&f| f as usize >= names.len()) {
            return None;
        }
        Some(Forms {
            names: Arc::new(names.into_iter().map(String::into_boxed_str).collect()),
            of,
        })
    }

    pub fn names(&self) -> &[Box<str>] {
        &self.names
    }

    /// Each mention's form, an index into [`Forms::names`].
    pub fn ids(&self) -> &[u32] {
        &self.of
    }

    /// The text of mention `i`.
    pub fn get(&self, i: usize) -> &str {
        self.of
            .get(i)
            .and_then(|&f| self.names.get(f as usize))
            .map_or("", |s| s)
    }

    pub fn len(&self) -> usize {
        self.of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.of.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::Source;

    fn m(doc: u32, start: u32, end: u32) -> Mention {
        Mention {
            doc,
            start,
            end,
            entity: 0,
            source: Source::Kb,
            confidence: 100,
        }
    }

    #[test]
    fn forms_are_the_mentions_texts_interned() {
        let corpus = crate::load::bundled_corpus();
        let t0 = &corpus.docs[0].text;
        let t1 = &corpus.docs[1].text;
        let mentions = vec![m(0, 0, 3), m(0, 4, 8), m(1, 0, 3), m(1, 0, 3)];
        let forms = Forms::of(&corpus, &mentions);
        assert_eq!(forms.get(0), &t0[0..3]);
        assert_eq!(forms.get(1), &t0[4..8]);
        assert_eq!(forms.get(2), &t1[0..3]);
        assert_eq!(forms.ids()[2], forms.ids()[3]);
        assert_eq!(forms.get(99), "");
        let names = forms.names().len();
        assert!(names <= 3, "{names}");
        assert_eq!(
            Forms::from_parts(
                forms.names().iter().map(|n| n.to_string()).collect(),
                forms.ids().to_vec(),
                4
            ),
            Some(forms.clone())
        );
        assert_eq!(Forms::from_parts(vec![], vec![0], 1), None);
    }
}
