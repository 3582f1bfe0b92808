//! The cross-reference index: the questions the panes and the headless
//! commands ask of an analysed corpus.

pub mod cache;
mod forms;

pub use forms::Forms;

use crate::corpus::{Corpus, Document};
use crate::entity::{Analysis, DocId, Entity, EntityId, Mention};
use std::collections::HashMap;
use std::sync::Arc;

/// A keyword-in-context line: the mention and some text either side of it,
/// on one line (line breaks and tabs become spaces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KwicLine {
    pub before: String,
    pub hit: String,
    pub after: String,
}

impl KwicLine {
    /// The whole line as plain text.
    pub fn to_plain(&self) -> String {
        format!("{}{}{}", self.before, self.hit, self.after)
    }
}

/// How often an entity is mentioned, overall or in one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntityCount {
    pub entity: EntityId,
    pub count: u32,
}

/// Per-entity totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntityStats {
    pub mentions: u32,
    pub docs: u32,
}

/// What is known of the mentions' forms before an index is built.
enum Known<'a> {
    Nothing,
    Forms(Forms),
    Before(&'a [Mention], &'a Forms),
}

/// An analysed corpus with lookups by document and by entity.
#[derive(Debug, Clone)]
pub struct Index {
    corpus: Arc<Corpus>,
    analysis: Analysis,
    /// `analysis.mentions[doc_ranges[d]]` are document d's mentions.
    doc_ranges: Vec<std::ops::Range<usize>>,
    /// Indices into `analysis.mentions`, per entity, in (doc, start) order.
    by_entity: Vec<Vec<u32>>,
    stats: Vec<EntityStats>,
    by_id: HashMap<String, EntityId>,
    doc_by_id: HashMap<String, DocId>,
    /// The text of each mention.
    forms: Forms,
}

impl Index {
    /// Builds the index. The corpus may be shared (`Arc<Corpus>`), so that
    /// re-indexing after an annotation does not copy the texts.
    pub fn new(corpus: impl Into<Arc<Corpus>>, analysis: Analysis) -> Self {
        Index::build(corpus.into(), analysis, Known::Nothing)
    }

    /// Builds the index with the mentions' forms known already (read from
    /// the cache); they are computed again if they do not fit.
    pub fn with_forms(corpus: impl Into<Arc<Corpus>>, analysis: Analysis, forms: Forms) -> Self {
        Index::build(corpus.into(), analysis, Known::Forms(forms))
    }

    /// Builds the index of a changed analysis of the same corpus, given
    /// the mentions (sorted) and forms of an earlier one: only the
    /// documents whose mention spans differ are read.
    pub fn reusing(
        corpus: impl Into<Arc<Corpus>>,
        analysis: Analysis,
        before: &[Mention],
        before_forms: &Forms,
    ) -> Self {
        Index::build(corpus.into(), analysis, Known::Before(before, before_forms))
    }

    fn build(corpus: Arc<Corpus>, mut analysis: Analysis, known: Known) -> Self {
        let sorted = analysis
            .mentions
            .is_sorted_by_key(|m| (m.doc, m.start, m.end));
        if !sorted {
            analysis.mentions.sort_by_key(|m| (m.doc, m.start, m.end));
        }
        let forms = match known {
            Known::Forms(f) if sorted && f.len() == analysis.mentions.len() => f,
            Known::Before(mentions, forms) => {
                Forms::reusing(&corpus, &analysis.mentions, Some((mentions, forms)))
            }
            _ => Forms::of(&corpus, &analysis.mentions),
        };
        let n_docs = corpus.docs.len();
        let n_entities = analysis.entities.len();
        let mut doc_ranges = vec![0..0; n_docs];
        let mut by_entity: Vec<Vec<u32>> = vec![Vec::new(); n_entities];
        let mut stats = vec![EntityStats::default(); n_entities];
        let mut last_doc_of: Vec<Option<DocId>> = vec![None; n_entities];
        let mut i = 0;
        while i < analysis.mentions.len() {
            let doc = analysis.mentions[i].doc;
            let start = i;
            while i < analysis.mentions.len() && analysis.mentions[i].doc == doc {
                let m = analysis.mentions[i];
                let e = m.entity as usize;
                if e < n_entities {
                    by_entity[e].push(i as u32);
                    stats[e].mentions += 1;
                    if last_doc_of[e] != Some(doc) {
                        stats[e].docs += 1;
                        last_doc_of[e] = Some(doc);
                    }
                }
                i += 1;
            }
            if (doc as usize) < n_docs {
                doc_ranges[doc as usize] = start..i;
            }
        }
        let by_id = analysis
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i as EntityId))
            .collect();
        let doc_by_id = corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i as DocId))
            .collect();
        Index {
            corpus,
            forms,
            doc_by_id,
            analysis,
            doc_ranges,
            by_entity,
            stats,
            by_id,
        }
    }

    /// The mentions' forms, in the order of [`Index::mentions`].
    pub fn forms(&self) -> &Forms {
        &self.forms
    }

    /// The text of mention `i` (of [`Index::mentions`]), without reading its
    /// document.
    pub fn form(&self, i: usize) -> &str {
        self.forms.get(i)
    }

    /// The indices (into [`Index::mentions`]) of an entity's mentions.
    pub fn entity_mention_indices(&self, e: EntityId) -> &[u32] {
        self.by_entity.get(e as usize).map_or(&[], Vec::as_slice)
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    /// The corpus, shared.
    pub fn shared_corpus(&self) -> Arc<Corpus> {
        Arc::clone(&self.corpus)
    }

    pub fn docs(&self) -> &[Document] {
        &self.corpus.docs
    }

    pub fn doc(&self, doc: DocId) -> &Document {
        &self.corpus.docs[doc as usize]
    }

    pub fn entities(&self) -> &[Entity] {
        &self.analysis.entities
    }

    pub fn entity(&self, e: EntityId) -> &Entity {
        &self.analysis.entities[e as usize]
    }

    /// The document with this id, if any.
    pub fn doc_by_id(&self, id: &str) -> Option<DocId> {
        self.doc_by_id.get(id).copied()
    }

    /// The entity with this id, if any.
    pub fn entity_by_id(&self, id: &str) -> Option<EntityId> {
        self.by_id.get(id).copied()
    }

    /// All mentions, sorted by (doc, start).
    pub fn mentions(&self) -> &[Mention] {
        &self.analysis.mentions
    }

    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// A document's mentions, sorted by start.
    pub fn doc_mentions(&self, doc: DocId) -> &[Mention] {
        match self.doc_ranges.get(doc as usize) {
            Some(r) => &self.analysis.mentions[r.clone()],
            None => &[],
        }
    }

    /// The mention covering byte `offset` of a document, if any.
    pub fn mention_at(&self, doc: DocId, offset: usize) -> Option<&Mention> {
        self.doc_mentions(doc)
            .iter()
            .find(|m| m.range().contains(&offset))
    }

    pub fn stats(&self, e: EntityId) -> EntityStats {
        self.stats.get(e as usize).copied().unwrap_or_default()
    }

    /// An entity's mentions in (doc, start) order.
    pub fn entity_mentions(&self, e: EntityId) -> impl Iterator<Item = &Mention> + '_ {
        self.by_entity
            .get(e as usize)
            .into_iter()
            .flatten()
            .map(|&i| &self.analysis.mentions[i as usize])
    }

    /// An entity's mentions grouped by document, in document order.
    pub fn entity_mentions_by_doc(&self, e: EntityId) -> Vec<(DocId, Vec<Mention>)> {
        let mut out: Vec<(DocId, Vec<Mention>)> = Vec::new();
        for m in self.entity_mentions(e) {
            match out.last_mut() {
                Some((d, list)) if *d == m.doc => list.push(*m),
                _ => out.push((m.doc, vec![*m])),
            }
        }
        out
    }

    /// How many mentions of an entity each document holds, in document
    /// order (what [`Index::entity_mentions_by_doc`] gives, without copying
    /// the mentions).
    pub fn entity_doc_counts(&self, e: EntityId) -> Vec<(DocId, u32)> {
        let mut out: Vec<(DocId, u32)> = Vec::new();
        for m in self.entity_mentions(e) {
            match out.last_mut() {
                Some((d, n)) if *d == m.doc => *n += 1,
                _ => out.push((m.doc, 1)),
            }
        }
        out
    }

    /// The surface forms of an entity seen in the corpus, most frequent first.
    pub fn aliases_seen(&self, e: EntityId) -> Vec<(String, u32)> {
        // Counted by form id; no text is read.
        let mut counts: rustc_hash::FxHashMap<u32, u32> = rustc_hash::FxHashMap::default();
        for &i in self.entity_mention_indices(e) {
            if let Some(&f) = self.forms.ids().get(i as usize) {
                *counts.entry(f).or_default() += 1;
            }
        }
        let mut out: Vec<(String, u32)> = counts
            .into_iter()
            .map(|(f, n)| (self.forms.names()[f as usize].to_string(), n))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The entities of a document, by kind and then by count (most first).
    pub fn doc_entities(&self, doc: DocId) -> Vec<EntityCount> {
        let mut counts: HashMap<EntityId, u32> = HashMap::new();
        for m in self.doc_mentions(doc) {
            *counts.entry(m.entity).or_default() += 1;
        }
        let mut out: Vec<EntityCount> = counts
            .into_iter()
            .map(|(entity, count)| EntityCount { entity, count })
            .collect();
        out.sort_by(|a, b| {
            self.entity(a.entity)
                .kind
                .cmp(&self.entity(b.entity).kind)
                .then(b.count.cmp(&a.count))
                .then(a.entity.cmp(&b.entity))
        });
        out
    }

    /// Entities that share documents with `e`, with the number of shared
    /// documents, most first.
    pub fn cooccurring(&self, e: EntityId) -> Vec<EntityCount> {
        // Counts by entity, and the last document each was counted in, so
        // that each document counts once: one pass over the mentions of
        // the documents that name `e`, with no sorting and no hashing.
        let n = self.entities().len();
        let mut counts = vec![0u32; n];
        let mut last_doc = vec![u32::MAX; n];
        for (doc, _) in self.entity_doc_counts(e) {
            for m in self.doc_mentions(doc) {
                let i = m.entity as usize;
                if i < n && last_doc[i] != doc && m.entity != e {
                    last_doc[i] = doc;
                    counts[i] += 1;
                }
            }
        }
        let mut out: Vec<EntityCount> = counts
            .into_iter()
            .enumerate()
            .filter(|&(_, count)| count > 0)
            .map(|(entity, count)| EntityCount {
                entity: entity as EntityId,
                count,
            })
            .collect();
        out.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(
                    self.stats(b.entity)
                        .mentions
                        .cmp(&self.stats(a.entity).mentions),
                )
                .then(a.entity.cmp(&b.entity))
        });
        out
    }

    /// A keyword-in-context line for a mention, with up to `context` characters
    /// either side, cut at word boundaries where possible.
    pub fn kwic(&self, m: &Mention, context: usize) -> KwicLine {
        kwic(&self.doc(m.doc).text, m.range(), context)
    }
}

fn flatten(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// Keyword in context for `range` of `text`.
pub fn kwic(text: &str, range: std::ops::Range<usize>, context: usize) -> KwicLine {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let before_full = &text[..start];
    let after_full = &text[end..];
    let mut before: Vec<char> = before_full.chars().rev().take(context + 1).collect();
    let cut_before = before.len() > context;
    before.truncate(context);
    before.reverse();
    let mut before: String = before.into_iter().collect();
    if cut_before {
        if let Some(sp) = before.find(char::is_whitespace) {
            before = before[sp..].trim_start().to_string();
        }
        before.insert(0, '…');
    }
    let after_chars: Vec<char> = after_full.chars().take(context + 1).collect();
    let cut_after = after_chars.len() > context;
    let mut after: String = after_chars.into_iter().take(context).collect();
    if cut_after {
        if let Some(sp) = after.rfind(char::is_whitespace) {
            after.truncate(sp);
        }
        after.push('…');
    }
    KwicLine {
        before: flatten(&before).trim_start().to_string(),
        hit: flatten(&text[start..end]),
        after: flatten(&after).trim_end().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_cuts_at_words_and_flattens_lines() {
        let text = "one two three\nfour ISKP five six seven";
        let k = kwic(text, 19..23, 10);
        assert_eq!(k.hit, "ISKP");
        assert_eq!(k.before, "…four ");
        assert_eq!(k.after, " five six…");
    }

    #[test]
    fn kwic_at_edges_has_no_ellipsis() {
        let k = kwic("ISKP attacks", 0..4, 40);
        assert_eq!(k.before, "");
        assert_eq!(k.after, " attacks");
    }
}
