//! The mention lists as the index cache stores them: every document's
//! mentions (each with its form) and every entity's places, encoded, each
//! list decoded the first time it is asked for and kept.
//!
//! A restart on an unchanged corpus then costs one checking pass over the
//! encoded lists, not the decoding and copying of every mention: `dossier
//! docs` decodes none, the reader the documents and entities it shows.
//!
//! Encoding, all numbers LEB128 varints unless said otherwise:
//!
//! - a document's mentions, in order: the start's step from the previous
//!   mention's end (from 0 for the first), the length, the entity, the
//!   source (one byte, with a flag for a confidence other than 100), the
//!   confidence when it is flagged (one byte) and the form;
//! - an entity's places (document, position in its list), in order: the
//!   document's step from the previous place's, then the position's step
//!   from the one after the previous place's in the same document (from 0
//!   in a new one).
//!
//! Steps make the order (sorted, disjoint mentions; strictly increasing
//! places) a property of the encoding itself. [`Lists::check`] decodes
//! everything once before anything is used: a list that does not fit the
//! corpus, or places that are not exactly the mentions, refuse the file.

use super::{DocList, EntityStats, Place};
use crate::corpus::Corpus;
use crate::entity::{DocId, EntityId, Mention, Source};
use std::sync::{Arc, OnceLock};

/// The encoded lists, and those decoded so far.
pub(super) struct Lists {
    /// The encoded lists.
    bytes: Vec<u8>,
    /// Where each document's mentions start in `bytes`, and (last) where
    /// the places start.
    doc_at: Vec<usize>,
    /// How many mentions each document has.
    doc_len: Vec<u32>,
    /// Where each entity's places start in `bytes`, and (last) the end.
    entity_at: Vec<usize>,
    docs: Vec<OnceLock<DocList>>,
    entities: Vec<OnceLock<Arc<[Place]>>>,
}

impl std::fmt::Debug for Lists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lists")
            .field("bytes", &self.bytes.len())
            .field("docs", &self.docs.len())
            .field("entities", &self.entities.len())
            .finish()
    }
}

/// The lists checked against a corpus, with what the check counted.
pub(super) struct Checked {
    pub lists: Lists,
    pub stats: Vec<EntityStats>,
    pub total: usize,
}

/// The flag of a source's code that says a confidence byte follows (it is
/// 100 otherwise, as for every knowledge-base match).
const OWN_CONFIDENCE: u8 = 0x80;

/// The one-byte code of a source.
fn source_code(s: Source) -> u8 {
    match s {
        Source::Kb => 0,
        Source::Abbreviation => 1,
        Source::Person => 2,
        Source::Variant => 3,
        Source::Rule => 4,
        Source::Name => 5,
        Source::Annotation => 6,
    }
}

fn source_of(code: u8) -> Option<Source> {
    Some(match code {
        0 => Source::Kb,
        1 => Source::Abbreviation,
        2 => Source::Person,
        3 => Source::Variant,
        4 => Source::Rule,
        5 => Source::Name,
        6 => Source::Annotation,
        _ => return None,
    })
}

fn put(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint of at most 32 bits.
fn get(r: &mut &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for shift in (0..35).step_by(7) {
        let (&b, rest) = r.split_first()?;
        *r = rest;
        let bits = u32::from(b & 0x7f);
        if shift == 28 && bits > 0x0f {
            return None;
        }
        v |= bits << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn byte(r: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = r.split_first()?;
    *r = rest;
    Some(b)
}

/// Decodes one mention of document `doc`, whose previous mention ended at
/// `at`; returns it with its form.
fn mention(r: &mut &[u8], doc: DocId, at: &mut u32) -> Option<(Mention, u32)> {
    let step = get(r)?;
    let len = get(r)?;
    let entity = get(r)?;
    let code = byte(r)?;
    let source = source_of(code & !OWN_CONFIDENCE)?;
    let confidence = match code & OWN_CONFIDENCE {
        0 => 100,
        _ => byte(r)?,
    };
    let form = get(r)?;
    let start = at.checked_add(step)?;
    let end = start.checked_add(len)?;
    *at = end;
    Some((
        Mention {
            doc,
            start,
            end,
            entity,
            source,
            confidence,
        },
        form,
    ))
}

/// Decodes one place, after the place `(doc, next - 1)` (or the start).
fn place(r: &mut &[u8], doc: &mut DocId, next: &mut u32) -> Option<Place> {
    let doc_step = get(r)?;
    let i_step = get(r)?;
    if doc_step > 0 {
        *doc = doc.checked_add(doc_step)?;
        *next = 0;
    }
    let i = next.checked_add(i_step)?;
    *next = i.checked_add(1)?;
    Some((*doc, i))
}

/// Encodes the lists of `mentions` (sorted by (doc, start) and disjoint)
/// for a corpus of `n_docs` documents and `n_entities` entities: the bytes,
/// each document's (mention count, bytes) and each entity's bytes.
/// `form(i)` is the form of the `i`-th mention.
pub(super) fn encode(
    mentions: &[Mention],
    form: impl Fn(usize) -> u32,
    n_docs: usize,
    n_entities: usize,
) -> (Vec<u8>, Vec<(u32, u64)>, Vec<u64>) {
    let n_docs = n_docs.max(mentions.last().map_or(0, |m| m.doc as usize + 1));
    let n_entities = n_entities.max(
        mentions
            .iter()
            .map(|m| m.entity as usize + 1)
            .max()
            .unwrap_or(0),
    );
    let mut out = Vec::with_capacity(mentions.len() * 8);
    let mut docs = vec![(0u32, 0u64); n_docs];
    let mut places: Vec<Vec<u8>> = vec![Vec::new(); n_entities];
    // Per entity: the last place's document and the position after it.
    let mut last: Vec<(DocId, u32)> = vec![(0, 0); n_entities];
    let mut k = 0;
    for same_doc in mentions.chunk_by(|a, b| a.doc == b.doc) {
        let d = same_doc[0].doc;
        let before = out.len();
        let mut at = 0u32;
        for (i, m) in same_doc.iter().enumerate() {
            put(&mut out, m.start.saturating_sub(at));
            put(&mut out, m.end.saturating_sub(m.start));
            put(&mut out, m.entity);
            if m.confidence == 100 {
                out.push(source_code(m.source));
            } else {
                out.push(source_code(m.source) | OWN_CONFIDENCE);
                out.push(m.confidence);
            }
            put(&mut out, form(k));
            at = m.end;
            k += 1;
            let e = m.entity as usize;
            let (doc, next) = &mut last[e];
            let doc_step = d - *doc;
            if doc_step > 0 {
                *next = 0;
            }
            put(&mut places[e], doc_step);
            put(&mut places[e], i as u32 - *next);
            *doc = d;
            *next = i as u32 + 1;
        }
        docs[d as usize] = (same_doc.len() as u32, (out.len() - before) as u64);
    }
    let entities = places.iter().map(|p| p.len() as u64).collect();
    for p in places {
        out.extend_from_slice(&p);
    }
    (out, docs, entities)
}

/// A mix of a mention's entity, document and position: the sums over the
/// mentions and over the places must agree.
fn mix(e: EntityId, d: DocId, i: u32) -> u64 {
    fn splitmix(mut z: u64) -> u64 {
        z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    splitmix(splitmix((u64::from(e) << 32) | u64::from(d)) ^ u64::from(i))
}

impl Lists {
    /// The lists in `bytes`, laid out as `docs` (each document's mention
    /// count and bytes) and `entities` (each entity's bytes) say. `None`
    /// when the sizes do not add up.
    pub(super) fn new(bytes: Vec<u8>, docs: &[(u32, u64)], entities: &[u64]) -> Option<Lists> {
        let mut doc_at = Vec::with_capacity(docs.len() + 1);
        let mut end = 0usize;
        for &(_, n) in docs {
            doc_at.push(end);
            end = end.checked_add(usize::try_from(n).ok()?)?;
        }
        doc_at.push(end);
        let mut entity_at = Vec::with_capacity(entities.len() + 1);
        for &n in entities {
            entity_at.push(end);
            end = end.checked_add(usize::try_from(n).ok()?)?;
        }
        entity_at.push(end);
        if end != bytes.len() {
            return None;
        }
        Some(Lists {
            bytes,
            doc_at,
            doc_len: docs.iter().map(|&(n, _)| n).collect(),
            entity_at,
            docs: (0..docs.len()).map(|_| OnceLock::new()).collect(),
            entities: (0..entities.len()).map(|_| OnceLock::new()).collect(),
        })
    }

    fn doc_bytes(&self, d: usize) -> &[u8] {
        &self.bytes[self.doc_at[d]..self.doc_at[d + 1]]
    }

    fn entity_bytes(&self, e: usize) -> &[u8] {
        &self.bytes[self.entity_at[e]..self.entity_at[e + 1]]
    }

    /// Checks every list against `corpus`, with `forms` forms: each
    /// document's mentions lie within its text (on character boundaries,
    /// when the text is in memory), name a known entity and form, and fill
    /// their bytes exactly; each entity's places name existing mentions,
    /// and the places are exactly the mentions. Counts each entity's
    /// mentions and documents on the way.
    pub(super) fn check(self, corpus: &Corpus, forms: usize) -> Result<Checked, String> {
        use rayon::prelude::*;
        let n_docs = self.docs.len();
        let n_entities = self.entities.len();
        if n_docs != corpus.docs.len() {
            return Err("its mentions do not fit the corpus".to_string());
        }
        // The mentions, a range of documents at a time: (count, sum of mixes).
        let doc_check = |d: usize| -> Option<(usize, u64)> {
            let text = &corpus.docs[d].text;
            let mut r = self.doc_bytes(d);
            let (mut at, mut sum) = (0u32, 0u64);
            let n = self.doc_len[d];
            for i in 0..n {
                let (m, form) = mention(&mut r, d as DocId, &mut at)?;
                let fits = m.start < m.end
                    && (m.end as usize) <= text.len()
                    && (!text.is_held()
                        || (text.is_char_boundary(m.start as usize)
                            && text.is_char_boundary(m.end as usize)))
                    && (m.entity as usize) < n_entities
                    && (form as usize) < forms;
                if !fits {
                    return None;
                }
                sum = sum.wrapping_add(mix(m.entity, d as DocId, i));
            }
            r.is_empty().then_some((n as usize, sum))
        };
        let add = |a: Option<(usize, u64)>, b: Option<(usize, u64)>| {
            let ((n, s), (m, t)) = (a?, b?);
            Some((n + m, s.wrapping_add(t)))
        };
        let mentions = (0..n_docs)
            .into_par_iter()
            .with_min_len(256)
            .map(doc_check)
            .reduce(|| Some((0, 0)), add)
            .ok_or_else(|| "its mentions do not fit the corpus".to_string())?;
        // The places, an entity at a time.
        let entity_check = |e: usize| -> Option<(EntityStats, u64)> {
            let mut r = self.entity_bytes(e);
            let (mut doc, mut next, mut sum) = (0, 0, 0u64);
            let mut stats = EntityStats::default();
            let mut last = None;
            while !r.is_empty() {
                let (d, i) = place(&mut r, &mut doc, &mut next)?;
                if d as usize >= n_docs || i >= self.doc_len[d as usize] {
                    return None;
                }
                stats.mentions = stats.mentions.checked_add(1)?;
                stats.docs += u32::from(last != Some(d));
                last = Some(d);
                sum = sum.wrapping_add(mix(e as EntityId, d, i));
            }
            Some((stats, sum))
        };
        let per_entity: Option<Vec<(EntityStats, u64)>> =
            (0..n_entities).into_par_iter().map(entity_check).collect();
        let per_entity =
            per_entity.ok_or_else(|| "its places do not fit its mentions".to_string())?;
        let places = per_entity.iter().fold((0usize, 0u64), |(n, s), (st, t)| {
            (n + st.mentions as usize, s.wrapping_add(*t))
        });
        if places != mentions {
            return Err("its places do not fit its mentions".to_string());
        }
        Ok(Checked {
            stats: per_entity.into_iter().map(|(s, _)| s).collect(),
            total: mentions.0,
            lists: self,
        })
    }

    /// How many documents there are.
    pub(super) fn doc_count(&self) -> usize {
        self.docs.len()
    }

    /// How many mentions document `d` has, without decoding them.
    pub(super) fn mention_count(&self, d: DocId) -> usize {
        self.doc_len.get(d as usize).map_or(0, |&n| n as usize)
    }

    /// Document `d`'s mentions and forms, decoded on first use.
    pub(super) fn doc(&self, d: DocId) -> Option<&DocList> {
        let cell = self.docs.get(d as usize)?;
        Some(cell.get_or_init(|| {
            let n = self.doc_len[d as usize] as usize;
            let mut r = self.doc_bytes(d as usize);
            let mut at = 0;
            let mut mentions = Vec::with_capacity(n);
            let mut forms = Vec::with_capacity(n);
            // Checked when the lists were read: this cannot stop early.
            while let Some((m, f)) = mention(&mut r, d, &mut at) {
                mentions.push(m);
                forms.push(f);
            }
            DocList {
                mentions: Arc::from(mentions),
                forms: Arc::from(forms),
            }
        }))
    }

    /// Entity `e`'s places, decoded on first use.
    pub(super) fn places(&self, e: EntityId) -> Option<&Arc<[Place]>> {
        let cell = self.entities.get(e as usize)?;
        Some(cell.get_or_init(|| {
            let mut r = self.entity_bytes(e as usize);
            let (mut doc, mut next) = (0, 0);
            let mut out = Vec::new();
            while let Some(p) = place(&mut r, &mut doc, &mut next) {
                out.push(p);
            }
            Arc::from(out)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_overlong_ones_are_refused() {
        for v in [0, 1, 127, 128, 300, 1 << 21, u32::MAX - 1, u32::MAX] {
            let mut out = Vec::new();
            put(&mut out, v);
            let mut r = out.as_slice();
            assert_eq!(get(&mut r), Some(v));
            assert!(r.is_empty());
        }
        // More than 32 bits, or a sixth byte.
        assert_eq!(get(&mut [0xff, 0xff, 0xff, 0xff, 0x1f].as_slice()), None);
        assert_eq!(
            get(&mut [0x80, 0x80, 0x80, 0x80, 0x80, 0x01].as_slice()),
            None
        );
        assert_eq!(get(&mut [0x80].as_slice()), None);
        for s in 0..=6 {
            assert_eq!(source_of(s).map(source_code), Some(s));
        }
        assert_eq!(source_of(7), None);
    }

    #[test]
    fn lists_are_decoded_as_encoded_and_those_that_do_not_fit_are_refused() {
        let load = |a: &str, b: &str| {
            crate::corpus::load_embedded("t", &[("a.txt", a.as_bytes()), ("b.txt", b.as_bytes())])
        };
        let corpus = load("Alpha Beta Gamma Delta\n", "Beta Alpha\n");
        let m = |doc, start, end, entity| Mention {
            doc,
            start,
            end,
            entity,
            source: if entity == 0 {
                Source::Kb
            } else {
                Source::Name
            },
            confidence: if entity == 0 { 100 } else { 90 },
        };
        let mentions = [
            m(0, 0, 5, 0),
            m(0, 6, 10, 1),
            m(0, 11, 16, 0),
            m(1, 0, 4, 1),
            m(1, 5, 10, 0),
        ];
        let (bytes, docs, places) = encode(&mentions, |k| k as u32 % 2, 2, 2);
        let lists = |bytes: &[u8], docs: &[(u32, u64)], places: &[u64]| {
            Lists::new(bytes.to_vec(), docs, places)
        };
        let ok = lists(&bytes, &docs, &places)
            .unwrap()
            .check(&corpus, 2)
            .unwrap();
        assert_eq!(ok.total, 5);
        let stats = |mentions, docs| EntityStats { mentions, docs };
        assert_eq!(ok.stats, [stats(3, 2), stats(2, 2)]);
        assert_eq!(ok.lists.mention_count(1), 2);
        let d0 = ok.lists.doc(0).unwrap();
        assert_eq!(&d0.mentions[..], &mentions[..3]);
        assert_eq!(&d0.forms[..], &[0, 1, 0]);
        assert_eq!(&ok.lists.doc(1).unwrap().mentions[..], &mentions[3..]);
        assert!(ok.lists.doc(2).is_none());
        assert_eq!(&ok.lists.places(0).unwrap()[..], &[(0, 0), (0, 2), (1, 1)]);
        assert_eq!(&ok.lists.places(1).unwrap()[..], &[(0, 1), (1, 0)]);
        // Sizes that do not add up.
        assert!(lists(&bytes, &docs, &places[..1]).is_none());
        assert!(lists(&bytes[1..], &docs, &places).is_none());
        let refused = |bytes: &[u8], docs: &[(u32, u64)], places: &[u64], c: &Corpus, forms| {
            lists(bytes, docs, places).is_some_and(|l| l.check(c, forms).is_err())
        };
        // Too few forms; a text too short for its mentions; another
        // number of documents.
        assert!(refused(&bytes, &docs, &places, &corpus, 1));
        assert!(refused(
            &bytes,
            &docs,
            &places,
            &load("Alpha Beta\n", "Beta Alpha\n"),
            2
        ));
        let one = crate::corpus::load_embedded("t", &[("a.txt", b"Alpha Beta Gamma Delta\n")]);
        assert!(refused(&bytes, &docs, &places, &one, 2));
        // A wrong mention count.
        let mut miscounted = docs.clone();
        miscounted[0].0 = 2;
        assert!(refused(&bytes, &miscounted, &places, &corpus, 2));
        // The entities' places swapped: each is a valid list, but not of
        // that entity's mentions.
        let at = docs.iter().map(|d| d.1 as usize).sum::<usize>();
        let split = at + places[0] as usize;
        let swapped = [&bytes[..at], &bytes[split..], &bytes[at..split]].concat();
        assert!(refused(
            &swapped,
            &docs,
            &[places[1], places[0]],
            &corpus,
            2
        ));
    }
}
