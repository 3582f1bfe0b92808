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
    fn from_names(names: &[Box<str>]) -> Interner {
        let ids = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Interner {
            names: names.to_vec(),
            ids,
        }
    }

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
        Forms::reusing(corpus, mentions, None)
    }

    /// Like [`Forms::of`], but a document whose mention spans are those it
    /// had in `before` (its mentions and their forms) takes its forms from
    /// there instead of reading its text.
    pub fn reusing(
        corpus: &Corpus,
        mentions: &[Mention],
        before: Option<(&[Mention], &Forms)>,
    ) -> Forms {
        // The same spans throughout (no decision changed any): the same
        // forms.
        if let Some((prev, prev_forms)) = before
            && prev.len() == mentions.len()
            && prev_forms.of.len() == prev.len()
            && prev
                .iter()
                .zip(mentions)
                .all(|(a, b)| (a.doc, a.start, a.end) == (b.doc, b.start, b.end))
        {
            return prev_forms.clone();
        }
        // Interned only when some text has to be read.
        let mut interner: Option<Interner> = None;
        let new_interner = || match before {
            Some((_, f)) => Interner::from_names(&f.names),
            None => Interner::default(),
        };
        let mut of = Vec::with_capacity(mentions.len());
        let mut prev_at = 0;
        for same_doc in mentions.chunk_by(|a, b| a.doc == b.doc) {
            let doc = same_doc[0].doc;
            if let Some((prev, prev_forms)) = before {
                // The previous mentions of this document, if any.
                let from = prev_at + prev[prev_at..].partition_point(|m| m.doc < doc);
                let to = from + prev[from..].partition_point(|m| m.doc == doc);
                prev_at = to;
                let same_spans = to - from == same_doc.len()
                    && prev[from..to]
                        .iter()
                        .zip(same_doc)
                        .all(|(a, b)| (a.start, a.end) == (b.start, b.end));
                if same_spans && prev_forms.of.len() >= to {
                    of.extend_from_slice(&prev_forms.of[from..to]);
                    continue;
                }
            }
            let text = match corpus.docs.get(doc as usize) {
                Some(d) => d.text.fetch(),
                None => std::borrow::Cow::Borrowed(""),
            };
            let interner = interner.get_or_insert_with(new_interner);
            for m in same_doc {
                of.push(interner.id(text.get(m.range()).unwrap_or("")));
            }
        }
        let names = match (interner, before) {
            (Some(i), _) => Arc::new(i.names),
            (None, Some((_, f))) => Arc::clone(&f.names),
            (None, None) => Arc::default(),
        };
        Forms { names, of }
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
    fn forms_are_interned_and_reused_where_spans_are_the_same() {
        let corpus = crate::load::bundled_corpus();
        let t0 = &corpus.docs[0].text;
        let t1 = &corpus.docs[1].text;
        let mentions = vec![m(0, 0, 3), m(0, 4, 8), m(1, 0, 3)];
        let forms = Forms::of(&corpus, &mentions);
        assert_eq!(forms.get(0), &t0[0..3]);
        assert_eq!(forms.get(1), &t0[4..8]);
        assert_eq!(forms.get(2), &t1[0..3]);
        assert!(forms.names().len() <= 3);

        // Document 1's spans change; document 0's are reused.
        let after = vec![m(0, 0, 3), m(0, 4, 8), m(1, 0, 5)];
        let again = Forms::reusing(&corpus, &after, Some((&mentions, &forms)));
        assert_eq!(again, Forms::of(&corpus, &after).remapped_like(&again));
        assert_eq!(again.get(2), &t1[0..5]);
    }

    impl Forms {
        /// The same forms, with `other`'s numbering where it has the name.
        fn remapped_like(&self, other: &Forms) -> Forms {
            let mut i = Interner::from_names(&other.names);
            Forms {
                of: (0..self.len()).map(|k| i.id(self.get(k))).collect(),
                names: Arc::new(i.names),
            }
        }
    }
}
