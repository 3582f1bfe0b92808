//! The cross-reference index: the questions the panes and the headless
//! commands ask of an analysed corpus.
//!
//! The index is kept in pieces that clones share (each document's mentions,
//! each entity's mention list), so that a decision replaces only the pieces
//! it touches ([`Index::replace_docs`]) and a copy for the screen costs
//! little.

pub mod cache;
pub mod cooc;
mod forms;
mod lists;
pub mod names;
pub mod query;
pub mod report;
pub mod timeline;
pub mod words;

pub use forms::Forms;
pub use names::{EntityLabel, NameRow};

use crate::corpus::{Corpus, Document};
use crate::entity::{Analysis, DocId, Entity, EntityId, Mention};
use crate::text::natural_cmp;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

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

/// Where a mention sits: its document and its position in that document's
/// list.
type Place = (DocId, u32);

/// A document's mentions, sorted by (start, end), and the form (text) of
/// each: an index into `form_names`, then into `added_forms`.
#[derive(Debug, Clone, Default)]
struct DocList {
    mentions: Arc<[Mention]>,
    forms: Arc<[u32]>,
}

/// How a document id is found.
#[derive(Debug)]
enum DocIds {
    /// By binary search: the corpus's ids are unique and in natural order
    /// (as a corpus loaded from files always is).
    Sorted,
    Map(HashMap<String, DocId>),
}

impl DocIds {
    fn of(corpus: &Corpus) -> DocIds {
        if corpus
            .docs
            .windows(2)
            .all(|w| natural_cmp(&w[0].id, &w[1].id).is_lt())
        {
            DocIds::Sorted
        } else {
            DocIds::Map(
                corpus
                    .docs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| (d.id.clone(), i as DocId))
                    .collect(),
            )
        }
    }
}

/// From how many places a pass over an entity's documents decodes their
/// stored lists first, a window of the cache file at a time.
const DECODE_ALL: usize = 1_000;

/// An analysed corpus with lookups by document and by entity.
#[derive(Debug, Clone)]
pub struct Index {
    corpus: Arc<Corpus>,
    entities: Arc<Vec<Entity>>,
    /// The lists of an index made from the cache, decoded when first used
    /// (see [`lists`]).
    stored: Option<Arc<lists::Lists>>,
    /// Each document's mentions and their forms; `None` for the stored
    /// list.
    docs: Vec<Option<DocList>>,
    form_names: Arc<Vec<Box<str>>>,
    /// Forms first seen in a decision's mentions.
    added_forms: Vec<Box<str>>,
    /// Each entity's mentions, in (doc, start) order; `None` for the
    /// stored list.
    by_entity: Vec<Option<Arc<[Place]>>>,
    stats: Vec<EntityStats>,
    /// Entity ids as built (made when first needed, and always before the
    /// entities change), and those added since (a decision creating an
    /// entity adds to the small map only).
    by_id: Arc<OnceLock<HashMap<String, EntityId>>>,
    added_ids: HashMap<String, EntityId>,
    doc_by_id: Arc<DocIds>,
    /// How many mentions in all.
    total: usize,
    /// Entities whose lists are out of date: the documents replaced since,
    /// each with the entity's positions in it now.
    unsettled: FxHashMap<EntityId, BTreeMap<DocId, Vec<u32>>>,
    /// Each document's month, as [`timeline`] reads it: made when first
    /// asked for, shared by every copy (documents' dates never change
    /// with a decision).
    months: Arc<OnceLock<Vec<u32>>>,
}

impl Index {
    /// Builds the index. The corpus may be shared (`Arc<Corpus>`), so that
    /// re-indexing after an annotation does not copy the texts. Mentions of
    /// documents the corpus does not have are left out.
    pub fn new(corpus: impl Into<Arc<Corpus>>, analysis: Analysis) -> Self {
        Index::build(corpus.into(), analysis, None)
    }

    /// Builds the index with the forms of the analysis's mentions known
    /// already (from the cache, in the order of `analysis.mentions`); they
    /// are read again if they do not fit.
    pub fn with_forms(corpus: impl Into<Arc<Corpus>>, analysis: Analysis, forms: Forms) -> Self {
        Index::build(corpus.into(), analysis, Some(forms))
    }

    fn build(corpus: Arc<Corpus>, analysis: Analysis, forms: Option<Forms>) -> Self {
        let Analysis {
            entities,
            mut mentions,
        } = analysis;
        let sorted = mentions.is_sorted_by_key(|m| (m.doc, m.start, m.end));
        if !sorted {
            mentions.sort_by_key(|m| (m.doc, m.start, m.end));
        }
        let forms = match forms {
            Some(f) if sorted && f.len() == mentions.len() => f,
            _ => Forms::of(&corpus, &mentions),
        };
        let n_docs = corpus.docs.len();
        let n_entities = entities.len();
        let (form_names, mut of) = forms.into_parts();
        // Mentions of documents the corpus does not have are left out (they
        // sort last).
        let total = mentions.partition_point(|m| (m.doc as usize) < n_docs);
        mentions.truncate(total);
        of.truncate(total);
        let mut stats = vec![EntityStats::default(); n_entities];
        let mut last_doc_of: Vec<Option<DocId>> = vec![None; n_entities];
        for m in &mentions {
            let e = m.entity as usize;
            if e < n_entities {
                stats[e].mentions += 1;
                if last_doc_of[e] != Some(m.doc) {
                    stats[e].docs += 1;
                    last_doc_of[e] = Some(m.doc);
                }
            }
        }
        // Each document's list is cut off the end of the whole one, which
        // gives its memory back as it shrinks: the mentions are never held
        // twice.
        let mut docs: Vec<Option<DocList>> = (0..n_docs).map(|_| None).collect();
        let mut given_back = mentions.len();
        for d in (0..n_docs).rev() {
            let start = mentions.partition_point(|m| (m.doc as usize) < d);
            docs[d] = Some(DocList {
                mentions: Arc::from(&mentions[start..]),
                forms: Arc::from(of.get(start..).unwrap_or_default()),
            });
            mentions.truncate(start);
            of.truncate(start.min(of.len()));
            if given_back - start >= 1 << 16 {
                mentions.shrink_to_fit();
                of.shrink_to_fit();
                given_back = start;
            }
        }
        drop((mentions, of));
        // Each entity's places, in lists of the right size at once.
        let mut by_entity: Vec<Vec<Place>> = stats
            .iter()
            .map(|s| Vec::with_capacity(s.mentions as usize))
            .collect();
        for (d, list) in docs.iter().enumerate() {
            for (i, m) in list.iter().flat_map(|l| l.mentions.iter()).enumerate() {
                if let Some(places) = by_entity.get_mut(m.entity as usize) {
                    places.push((d as DocId, i as u32));
                }
            }
        }
        let doc_by_id = DocIds::of(&corpus);
        Index {
            corpus,
            entities: Arc::new(entities),
            stored: None,
            docs,
            form_names,
            added_forms: Vec::new(),
            by_entity: by_entity.into_iter().map(|p| Some(Arc::from(p))).collect(),
            stats,
            by_id: Arc::default(),
            added_ids: HashMap::new(),
            doc_by_id: Arc::new(doc_by_id),
            total,
            unsettled: FxHashMap::default(),
            months: Arc::default(),
        }
    }

    /// The index of a corpus from the cache's checked lists: no list is
    /// decoded until it is used.
    fn from_stored(
        corpus: Arc<Corpus>,
        entities: Vec<Entity>,
        form_names: Vec<Box<str>>,
        checked: lists::Checked,
    ) -> Self {
        let lists::Checked {
            lists,
            stats,
            total,
        } = checked;
        let doc_by_id = DocIds::of(&corpus);
        Index {
            docs: vec![None; lists.doc_count()],
            by_entity: vec![None; entities.len()],
            corpus,
            entities: Arc::new(entities),
            stored: Some(Arc::new(lists)),
            form_names: Arc::new(form_names),
            added_forms: Vec::new(),
            stats,
            by_id: Arc::default(),
            added_ids: HashMap::new(),
            doc_by_id: Arc::new(doc_by_id),
            total,
            unsettled: FxHashMap::default(),
            months: Arc::default(),
        }
    }

    /// Document `d`'s mentions and forms.
    fn doc_list(&self, d: DocId) -> Option<&DocList> {
        match self.docs.get(d as usize)? {
            Some(list) => Some(list),
            None => self
                .stored
                .as_ref()?
                .doc(d, &self.corpus.docs.get(d as usize)?.text),
        }
    }

    /// Decodes at once the stored lists of the documents of `places`
    /// (those of an entity), when they are many.
    fn decode_docs_of(&self, places: &[Place]) {
        if let Some(stored) = &self.stored
            && places.len() >= DECODE_ALL
        {
            let mut docs: Vec<DocId> = places
                .iter()
                .map(|p| p.0)
                .filter(|&d| matches!(self.docs.get(d as usize), Some(None)))
                .collect();
            docs.dedup();
            stored.decode_all(&docs, &self.corpus);
        }
    }

    /// The forms of document `d`'s mentions.
    /// `each(d, list)` for each document `d` of `docs` (sorted), in order.
    /// For many documents of an index read from the cache, the lists not
    /// decoded yet are decoded for this pass only, not kept (see
    /// [`lists::Lists::scan`]): a view of an entity named in nearly every
    /// document would otherwise keep every list in memory.
    fn scan_docs<T: Send>(
        &self,
        docs: &[DocId],
        each: impl Fn(DocId, &DocList) -> T + Sync,
    ) -> Vec<T> {
        match &self.stored {
            Some(stored) if docs.len() >= DECODE_ALL => {
                stored.scan(docs, &self.corpus, |d, list| {
                    match self.docs.get(d as usize) {
                        // A list a decision has replaced.
                        Some(Some(own)) => each(d, own),
                        _ => each(d, list),
                    }
                })
            }
            _ => docs
                .iter()
                .map(|&d| each(d, self.doc_list(d).unwrap_or(&DocList::default())))
                .collect(),
        }
    }

    /// How many of the cache's lists are decoded and kept.
    #[cfg(test)]
    pub(crate) fn decoded_lists(&self) -> usize {
        self.stored.as_ref().map_or(0, |s| s.decoded())
    }

    fn doc_forms(&self, d: DocId) -> &[u32] {
        self.doc_list(d).map_or(&[], |l| &l.forms)
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
        &self.entities
    }

    pub fn entity(&self, e: EntityId) -> &Entity {
        &self.entities[e as usize]
    }

    /// The document with this id, if any.
    pub fn doc_by_id(&self, id: &str) -> Option<DocId> {
        match &*self.doc_by_id {
            DocIds::Sorted => self
                .corpus
                .docs
                .binary_search_by(|d| natural_cmp(&d.id, id))
                .ok()
                .map(|i| i as DocId),
            DocIds::Map(map) => map.get(id).copied(),
        }
    }

    /// The ids of the entities as built.
    fn ids(&self) -> &HashMap<String, EntityId> {
        self.by_id.get_or_init(|| {
            self.entities
                .iter()
                .enumerate()
                .map(|(i, e)| (e.id.clone(), i as EntityId))
                .collect()
        })
    }

    /// The entity with this id, if any.
    pub fn entity_by_id(&self, id: &str) -> Option<EntityId> {
        self.added_ids
            .get(id)
            .or_else(|| self.ids().get(id))
            .copied()
    }

    /// All mentions, sorted by (doc, start).
    pub fn mentions(&self) -> impl Iterator<Item = &Mention> + '_ {
        (0..self.docs.len() as DocId).flat_map(|d| self.doc_mentions(d).iter())
    }

    /// How many mentions there are in all.
    pub fn mention_count(&self) -> usize {
        self.total
    }

    /// The entities and mentions, as a copy.
    pub fn analysis(&self) -> Analysis {
        Analysis {
            entities: self.entities.to_vec(),
            mentions: self.mentions().copied().collect(),
        }
    }

    /// A document's mentions, sorted by start.
    pub fn doc_mentions(&self, doc: DocId) -> &[Mention] {
        self.doc_list(doc).map_or(&[], |l| &l.mentions)
    }

    /// How many mentions a document has ([`Index::doc_mentions`]'s length,
    /// without decoding a stored list).
    pub fn doc_mention_count(&self, doc: DocId) -> usize {
        match (self.docs.get(doc as usize), &self.stored) {
            (Some(Some(list)), _) => list.mentions.len(),
            (Some(None), Some(stored)) => stored.mention_count(doc),
            _ => 0,
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
        self.entity_places(e)
            .iter()
            .filter_map(|&(d, i)| self.doc_mentions(d).get(i as usize))
    }

    /// Where an entity's mentions are: (document, position in
    /// [`Index::doc_mentions`]), in (doc, start) order.
    pub fn entity_places(&self, e: EntityId) -> &[(DocId, u32)] {
        self.places(e).map_or(&[], |p| p)
    }

    /// [`Index::entity_places`], shared (not copied).
    pub fn entity_places_shared(&self, e: EntityId) -> Arc<[(DocId, u32)]> {
        match self.places(e) {
            Some(places) => Arc::clone(places),
            None => Arc::from(Vec::new()),
        }
    }

    fn places(&self, e: EntityId) -> Option<&Arc<[Place]>> {
        match self.by_entity.get(e as usize)? {
            Some(places) => Some(places),
            None => self.stored.as_ref()?.places(e),
        }
    }

    /// Entity `e`, to change (the table is copied first when a clone of
    /// this index shares it).
    pub fn entity_mut(&mut self, e: EntityId) -> Option<&mut Entity> {
        self.ids();
        Arc::make_mut(&mut self.entities).get_mut(e as usize)
    }

    /// Adds an entity with no mentions yet; returns its number.
    pub fn push_entity(&mut self, entity: Entity) -> EntityId {
        let e = self.entities.len() as EntityId;
        self.added_ids.insert(entity.id.clone(), e);
        self.ids();
        Arc::make_mut(&mut self.entities).push(entity);
        self.by_entity.push(Some(Arc::from(Vec::new())));
        self.stats.push(EntityStats::default());
        e
    }

    /// Takes the last entity away again (its mentions must be gone).
    pub fn pop_entity(&mut self) -> Option<Entity> {
        self.ids();
        let entity = Arc::make_mut(&mut self.entities).pop()?;
        let e = self.entities.len() as EntityId;
        if self.added_ids.get(&entity.id) == Some(&e) {
            self.added_ids.remove(&entity.id);
        } else if self.ids().get(&entity.id) == Some(&e)
            && let Some(ids) = Arc::make_mut(&mut self.by_id).get_mut()
        {
            ids.remove(&entity.id);
        }
        self.by_entity.pop();
        self.stats.pop();
        self.unsettled.remove(&e);
        Some(entity)
    }

    /// Replaces the mentions of some documents (each list sorted by (start,
    /// end)) and brings the entities' mention lists and counts up to date,
    /// touching only the entities named in those documents before or after.
    /// Returns the lists replaced, in the same order. Documents out of range
    /// are ignored.
    pub fn replace_docs(
        &mut self,
        lists: Vec<(DocId, Arc<[Mention]>)>,
    ) -> Vec<(DocId, Arc<[Mention]>)> {
        let replaced = self.replace_docs_unsettled(lists);
        self.settle_all();
        replaced
    }

    /// [`Index::replace_docs`], leaving the entities' lists to
    /// [`Index::settle`]: until then, lookups by entity are out of date.
    /// A replay of many decisions settles once, at the end.
    pub fn replace_docs_unsettled(
        &mut self,
        lists: Vec<(DocId, Arc<[Mention]>)>,
    ) -> Vec<(DocId, Arc<[Mention]>)> {
        let n_entities = self.entities.len();
        let mut replaced = Vec::with_capacity(lists.len());
        for (d, list) in lists {
            let Some(old) = self.doc_list(d).map(|l| Arc::clone(&l.mentions)) else {
                continue;
            };
            let forms = self.forms_for(d, &list);
            let new = Arc::clone(&list);
            self.docs[d as usize] = Some(DocList {
                mentions: list,
                forms,
            });
            self.total = self.total - old.len() + new.len();
            // Every entity named before or after gets its places in the
            // document as it is now (none, when it is no longer named).
            for m in old.iter().chain(new.iter()) {
                if (m.entity as usize) < n_entities {
                    self.unsettled
                        .entry(m.entity)
                        .or_default()
                        .insert(d, Vec::new());
                }
            }
            for (i, m) in new.iter().enumerate() {
                if let Some(places) = self
                    .unsettled
                    .get_mut(&m.entity)
                    .and_then(|docs| docs.get_mut(&d))
                {
                    places.push(i as u32);
                }
            }
            replaced.push((d, old));
        }
        replaced
    }

    /// The forms of `list`, a new list of mentions of document `d`: those
    /// of the mentions it had with the same spans, and the text of the
    /// others (read once, when there are any).
    fn forms_for(&mut self, d: DocId, list: &[Mention]) -> Arc<[u32]> {
        let old = self.doc_mentions(d);
        let old_forms = self.doc_forms(d);
        let mut text: Option<std::borrow::Cow<'_, str>> = None;
        let mut out = Vec::with_capacity(list.len());
        let mut fresh: Vec<(usize, String)> = Vec::new();
        for (k, m) in list.iter().enumerate() {
            let i = old.partition_point(|o| (o.start, o.end) < (m.start, m.end));
            match old.get(i).zip(old_forms.get(i)) {
                Some((o, &f)) if (o.start, o.end) == (m.start, m.end) => out.push(f),
                _ => {
                    let t = text.get_or_insert_with(|| match self.corpus.docs.get(d as usize) {
                        Some(doc) => doc.text.fetch(),
                        None => std::borrow::Cow::Borrowed(""),
                    });
                    fresh.push((k, t.get(m.range()).unwrap_or("").to_string()));
                    out.push(0);
                }
            }
        }
        for (k, form) in fresh {
            out[k] = self.add_form(form);
        }
        Arc::from(out)
    }

    /// The id of a form first seen in a decision.
    fn add_form(&mut self, form: String) -> u32 {
        let base = self.form_names.len();
        let at = match self.added_forms.iter().position(|f| **f == *form) {
            Some(i) => i,
            None => {
                self.added_forms.push(form.into_boxed_str());
                self.added_forms.len() - 1
            }
        };
        (base + at) as u32
    }

    /// The text of form `f`.
    fn form_name(&self, f: u32) -> &str {
        let f = f as usize;
        match self.form_names.get(f) {
            Some(n) => n,
            None => self
                .added_forms
                .get(f - self.form_names.len())
                .map_or("", |n| n),
        }
    }

    /// The text of the `i`-th mention of document `d` (of
    /// [`Index::doc_mentions`]), without reading the document.
    pub fn form(&self, d: DocId, i: usize) -> &str {
        let f = self.doc_forms(d).get(i).copied().unwrap_or(u32::MAX);
        self.form_name(f)
    }

    /// Brings entity `e`'s mention list and counts up to date with the
    /// documents replaced since it was last settled.
    pub fn settle(&mut self, e: EntityId) {
        let Some(docs) = self.unsettled.remove(&e) else {
            return;
        };
        let Some(old) = self.places(e) else {
            return;
        };
        let added: usize = docs.values().map(Vec::len).sum();
        let mut out: Vec<Place> = Vec::with_capacity(old.len() + added);
        let mut i = 0;
        for (&d, places) in &docs {
            let j = i + old[i..].partition_point(|p| p.0 < d);
            out.extend_from_slice(&old[i..j]);
            i = j + old[j..].partition_point(|p| p.0 == d);
            out.extend(places.iter().map(|&p| (d, p)));
        }
        out.extend_from_slice(&old[i..]);
        let mut n_docs = 0u32;
        let mut last = None;
        for p in &out {
            n_docs += u32::from(last != Some(p.0));
            last = Some(p.0);
        }
        self.stats[e as usize] = EntityStats {
            mentions: out.len() as u32,
            docs: n_docs,
        };
        self.by_entity[e as usize] = Some(Arc::from(out));
    }

    /// Settles every entity (see [`Index::settle`]).
    pub fn settle_all(&mut self) {
        let mut dirty: Vec<EntityId> = self.unsettled.keys().copied().collect();
        dirty.sort_unstable();
        for e in dirty {
            self.settle(e);
        }
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
        for &(doc, _) in self.entity_places(e) {
            match out.last_mut() {
                Some((d, n)) if *d == doc => *n += 1,
                _ => out.push((doc, 1)),
            }
        }
        out
    }

    /// Each document's month as `year * 16 + month`, with bit 31 set when
    /// the date is only the file's time; 0 when the document has no date.
    /// Made once, on every core, when first asked for.
    pub fn doc_months(&self) -> &[u32] {
        self.months.get_or_init(|| {
            use rayon::prelude::*;
            self.corpus
                .docs
                .par_iter()
                .map(|d| d.date.as_ref().map_or(0, timeline::month_code))
                .collect()
        })
    }

    /// The surface forms of an entity seen in the corpus, most frequent first.
    pub fn aliases_seen(&self, e: EntityId) -> Vec<(String, u32)> {
        // Counted by form; no text is read. Runs of one form (an entity is
        // mostly written one way) are counted before they are looked up,
        // a slice of the places on each core.
        use rayon::prelude::*;
        if let Some(forms) = self.stored_forms(e) {
            return self.aka_of(forms.iter().copied());
        }
        self.decode_docs_of(self.entity_places(e));
        let count = |places: &[(DocId, u32)]| {
            let mut by_form: FxHashMap<u32, u32> = FxHashMap::default();
            let mut run: Option<(u32, u32)> = None;
            for &(d, i) in places {
                let Some(&f) = self.doc_forms(d).get(i as usize) else {
                    continue;
                };
                match &mut run {
                    Some((g, n)) if *g == f => *n += 1,
                    _ => {
                        if let Some((g, n)) = run.replace((f, 1)) {
                            *by_form.entry(g).or_default() += n;
                        }
                    }
                }
            }
            if let Some((g, n)) = run {
                *by_form.entry(g).or_default() += n;
            }
            by_form
        };
        let by_form = self.entity_places(e).par_chunks(1 << 16).map(count).reduce(
            FxHashMap::default,
            |mut a, b| {
                for (f, n) in b {
                    *a.entry(f).or_default() += n;
                }
                a
            },
        );
        self.aka_of(by_form)
    }

    /// Counts by form as [`Index::aliases_seen`] gives them: by text, most
    /// frequent first.
    /// Entity `e`'s forms with their counts as the cache counted them when
    /// it was written, while its mentions are still as it stored them.
    fn stored_forms(&self, e: EntityId) -> Option<&[(u32, u32)]> {
        let as_stored = self.by_entity.get(e as usize).is_some_and(Option::is_none)
            && !self.unsettled.contains_key(&e);
        self.stored
            .as_ref()
            .filter(|_| as_stored)
            .and_then(|s| s.entity_forms(e))
    }

    fn aka_of(&self, by_form: impl IntoIterator<Item = (u32, u32)>) -> Vec<(String, u32)> {
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        for (f, n) in by_form {
            *counts.entry(self.form_name(f)).or_default() += n;
        }
        let mut out: Vec<(String, u32)> = counts
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
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

    /// A keyword-in-context line for a mention, with up to `context` characters
    /// either side, cut at word boundaries where possible.
    pub fn kwic(&self, m: &Mention, context: usize) -> KwicLine {
        kwic(&self.doc(m.doc).text, m.range(), context)
    }
}

/// One line of context: white space becomes one space, and a paragraph
/// break (a blank line, as between a headline and its text) ` · `, so that
/// two paragraphs do not read as one sentence; also at either end, where
/// the context meets the mention.
fn flatten(s: &str) -> String {
    const BREAK: &str = " · ";
    let mut out = String::with_capacity(s.len());
    let mut newlines = 0;
    let mut space = false;
    for c in s.chars() {
        if c == '\n' {
            newlines += 1;
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if newlines >= 2 {
            out.push_str(BREAK);
        } else if space || newlines == 1 {
            out.push(' ');
        }
        newlines = 0;
        space = false;
        out.push(c);
    }
    if newlines >= 2 {
        out.push_str(BREAK);
    } else if space || newlines == 1 {
        out.push(' ');
    }
    out
}

/// Keyword in context for `range` of `text`, shown without Markdown
/// markup (`**`, `[text](url)`, heading marks: see
/// [`crate::text::markdown`]); the hit is the mention's own text, so its
/// place in the line stays right whatever is removed around it.
pub fn kwic(text: &str, range: std::ops::Range<usize>, context: usize) -> KwicLine {
    use crate::text::markdown::{markup_ranges_from, without};
    let start = floor_boundary(text, range.start.min(text.len()));
    let end = floor_boundary(text, range.end.clamp(start, text.len()));
    // A window a little wider than the context, so that the markup taken
    // out of it still leaves `context` characters either side.
    let reach = context * 2 + 16;
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(reach.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(reach)
        .map_or(text.len(), |(i, _)| end + i);
    let marks: Vec<std::ops::Range<usize>> =
        markup_ranges_from(&text[from..to], from == 0 || text[..from].ends_with('\n'))
            .into_iter()
            .map(|r| r.start + from..r.end + from)
            .collect();
    let before_full = without(text, from..start, &marks);
    let after_full = without(text, end..to, &marks);
    let mut before: Vec<char> = before_full.chars().rev().take(context + 1).collect();
    let cut_before = before.len() > context || from > 0;
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
    let cut_after = after_chars.len() > context || to < text.len();
    let mut after: String = after_chars.into_iter().take(context).collect();
    if cut_after {
        if let Some(sp) = after.rfind(char::is_whitespace) {
            after.truncate(sp);
        }
        after.push('…');
    }
    KwicLine {
        before: flatten(&before).trim_start().to_string(),
        hit: flatten(&without(text, start..end, &marks)),
        after: flatten(&after).trim_end().to_string(),
    }
}

/// The char boundary at or before `i`.
fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_documents_list_is_cut_from_the_whole_as_it_was_in_it() {
        // Many documents, some without mentions, enough mentions for the
        // whole list to give memory back several times, and mentions of a
        // document the corpus does not have, which are left out.
        let n_docs = 3_000usize;
        let texts: Vec<String> = (0..n_docs)
            .map(|d| format!("Doc {d:05} {}", "TTP ISI ".repeat(4)))
            .collect();
        let files: Vec<(String, Vec<u8>)> = texts
            .iter()
            .enumerate()
            .map(|(d, t)| (format!("d{d:05}.txt"), t.clone().into_bytes()))
            .collect();
        let files: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let corpus = crate::corpus::load_embedded("t", &files);
        let entity = |id: &str| Entity {
            id: id.into(),
            name: id.into(),
            kind: crate::entity::Kind::Group,
            aliases: Vec::new(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        };
        let mut mentions = Vec::new();
        for d in 0..=n_docs as u32 {
            if d % 7 == 3 {
                continue;
            }
            for i in 0..30 {
                mentions.push(Mention {
                    doc: d,
                    start: i,
                    end: i + 1,
                    entity: i % 2,
                    source: crate::entity::Source::Kb,
                    confidence: 100,
                });
            }
        }
        let analysis = Analysis {
            entities: vec![entity("a"), entity("b")],
            mentions: mentions.clone(),
        };
        let index = Index::new(corpus, analysis);
        let kept: Vec<&Mention> = mentions
            .iter()
            .filter(|m| (m.doc as usize) < n_docs)
            .collect();
        assert!(kept.len() > 1 << 16, "the whole list gives memory back");
        assert_eq!(index.mention_count(), kept.len());
        for d in 0..n_docs as u32 {
            let want: Vec<Mention> = kept.iter().filter(|m| m.doc == d).map(|m| **m).collect();
            assert_eq!(index.doc_mentions(d), want.as_slice(), "document {d}");
            for (i, m) in want.iter().enumerate() {
                let text = &index.corpus().docs[d as usize].text;
                assert_eq!(index.form(d, i), &text[m.range()]);
            }
        }
        for e in 0..2u32 {
            let want: Vec<&Mention> = kept.iter().copied().filter(|m| m.entity == e).collect();
            let got: Vec<&Mention> = index.entity_mentions(e).collect();
            assert_eq!(got, want, "entity {e}");
        }
    }

    #[test]
    fn a_paragraph_break_in_context_is_shown() {
        let text = "Pakistan and US Unite Against ISKP\n\nPakistan and US Collaborate";
        let k = kwic(text, 30..34, 40);
        assert_eq!(k.hit, "ISKP");
        assert_eq!(k.after, " · Pakistan and US Collaborate");
        let k = kwic(text, 36..44, 60);
        assert_eq!(k.before, "Pakistan and US Unite Against ISKP · ");
        // A single line break is a space, as in a hard-wrapped paragraph.
        let k = kwic("one\ntwo ISKP", 8..12, 20);
        assert_eq!(k.before, "one two ");
    }

    #[test]
    fn kwic_cuts_at_words_and_flattens_lines() {
        let text = "one two three\nfour ISKP five six seven";
        let k = kwic(text, 19..23, 10);
        assert_eq!(k.hit, "ISKP");
        assert_eq!(k.before, "…four ");
        assert_eq!(k.after, " five six…");
    }

    #[test]
    fn cooccurrence_split_between_threads_counts_each_document_once() {
        use crate::entity::{Kind, Source};
        // Enough mentions of entity 0 to be counted in parts.
        let n_docs = 2_500u32;
        let per_doc = 60u32;
        let corpus = Corpus {
            docs: (0..n_docs)
                .map(|d| Document {
                    id: format!("d{d:05}"),
                    path: format!("d{d:05}"),
                    title: String::new(),
                    text: "x".repeat((per_doc * 2) as usize).into(),
                    boilerplate: Vec::new(),
                    url: None,
                    date: None,
                })
                .collect(),
            ..Corpus::default()
        };
        let entities: Vec<Entity> = (0..40)
            .map(|i| Entity {
                id: format!("e{i}"),
                name: format!("E{i}"),
                kind: Kind::Other,
                aliases: Vec::new(),
                description: None,
                external: Default::default(),
                facts: Default::default(),
            })
            .collect();
        let mut mentions = Vec::new();
        for d in 0..n_docs {
            for k in 0..per_doc {
                // Entity 0 most of the time; others by a pattern.
                let entity = if k % 3 == 0 { (d * 7 + k) % 40 } else { 0 };
                mentions.push(Mention {
                    doc: d,
                    start: k * 2,
                    end: k * 2 + 1,
                    entity,
                    source: Source::Kb,
                    confidence: 100,
                });
            }
        }
        let index = Index::new(corpus, Analysis { entities, mentions });
        assert!(index.entity_places(0).len() > 100_000);
        // The co-occurrence by document, by entity (its ranking is cooc's).
        let mut got: Vec<EntityCount> = cooc::cooccurrence(&index, 0, cooc::Level::Document, None)
            .into_iter()
            .map(|r| EntityCount {
                entity: r.entity,
                count: r.joint,
            })
            .collect();
        got.sort_by_key(|c| c.entity);
        // Naively: the documents of each other entity that also name 0.
        let mut want: Vec<EntityCount> = (1..40)
            .map(|e| EntityCount {
                entity: e,
                count: (0..n_docs)
                    .filter(|&d| index.doc_mentions(d).iter().any(|m| m.entity == e))
                    .count() as u32,
            })
            .filter(|c| c.count > 0)
            .collect();
        want.sort_by_key(|c| c.entity);
        assert_eq!(got, want);
    }

    #[test]
    fn kwic_lines_show_no_markdown_and_keep_the_hit() {
        let text = "## Heading\n\nThe **TTP** and [the ISKP](https://x.test/a_b) met _today_.";
        let at = text.find("TTP").unwrap_or(0);
        let k = kwic(text, at..at + 3, 60);
        assert_eq!(k.hit, "TTP");
        assert_eq!(k.before, "Heading · The ");
        assert_eq!(k.after, " and the ISKP met today.");
        let at = text.find("ISKP").unwrap_or(0);
        let k = kwic(text, at..at + 4, 9);
        assert_eq!((k.before.as_str(), k.hit.as_str()), ("…and the ", "ISKP"));
        assert_eq!(k.after, " met…");
        // A window that starts mid-line does not take a `#` there for a
        // heading mark.
        let text = format!("{}# ISKP", "x ".repeat(100));
        let k = kwic(&text, 202..206, 4);
        assert_eq!(k.before, "…# ");
    }

    #[test]
    fn kwic_at_edges_has_no_ellipsis() {
        let k = kwic("ISKP attacks", 0..4, 40);
        assert_eq!(k.before, "");
        assert_eq!(k.after, " attacks");
    }
}
