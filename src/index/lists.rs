//! The mention lists as the index cache stores them: every document's
//! mentions (each with its form) and every entity's places, encoded. They
//! stay in the cache file; each list is read and decoded the first time it
//! is asked for, and kept.
//!
//! A restart on an unchanged corpus then costs one pass over the encoded
//! lists that checks their checksum, a window of the file at a time, not
//! the decoding and copying of every mention: `dossier docs` decodes none,
//! the reader the documents and entities it shows.
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
//! places) a property of the encoding itself. [`Lists::check`] checks the
//! checksum and the counts before anything is used, and refuses a damaged
//! file; each list is checked as it is decoded, and one that does not fit
//! the corpus, its entities or its counts reads as empty.

use super::{DocList, EntityStats, Place};
use crate::corpus::{Corpus, Text};
use crate::entity::{DocId, EntityId, Mention, Source};
use std::sync::{Arc, OnceLock};

/// The encoded lists, and those decoded so far.
pub(super) struct Lists {
    bytes: Bytes,
    /// Where each document's mentions start in `bytes`, and (last) where
    /// the places start.
    doc_at: Vec<usize>,
    /// How many mentions each document has.
    doc_len: Vec<u32>,
    /// Where each entity's places start in `bytes`, and (last) the end.
    entity_at: Vec<usize>,
    /// How many places each entity has, and in how many documents, as the
    /// head stored them (what a decoded list must show; the index's own
    /// counts change with decisions).
    stored: Vec<EntityStats>,
    /// Each entity's forms with their counts, as the head stored them.
    aka: Aka,
    /// How many forms there are.
    forms: usize,
    docs: Vec<OnceLock<DocList>>,
    entities: Vec<OnceLock<Arc<[Place]>>>,
}

impl std::fmt::Debug for Lists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lists")
            .field("bytes", &self.entity_at.last())
            .field("docs", &self.docs.len())
            .field("entities", &self.entities.len())
            .finish()
    }
}

/// Where the encoded lists are.
pub(super) enum Bytes {
    /// In memory (for the tests).
    #[cfg(test)]
    Memory(Vec<u8>),
    /// In the cache file, from byte `at` on, read a list at a time (by
    /// positioned reads, so that threads share no cursor). The file is
    /// open: a cache written later, by rename, is not what is read.
    File {
        file: std::fs::File,
        at: u64,
        /// Where the file has no positioned reads, one read at a time.
        #[cfg(not(unix))]
        lock: std::sync::Mutex<()>,
    },
}

impl Bytes {
    /// The cache file's lists, from byte `at` of `file`.
    pub(super) fn file(file: std::fs::File, at: u64) -> Bytes {
        Bytes::File {
            file,
            at,
            #[cfg(not(unix))]
            lock: std::sync::Mutex::new(()),
        }
    }

    /// Bytes `range` of the lists: borrowed when in memory, otherwise read
    /// into `buf`.
    fn get<'a>(
        &'a self,
        range: std::ops::Range<usize>,
        buf: &'a mut Vec<u8>,
    ) -> std::io::Result<&'a [u8]> {
        match self {
            #[cfg(test)]
            Bytes::Memory(bytes) => bytes.get(range).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "past the lists")
            }),
            Bytes::File {
                file,
                at,
                #[cfg(not(unix))]
                lock,
            } => {
                buf.clear();
                buf.resize(range.len(), 0);
                let from = at + range.start as u64;
                #[cfg(unix)]
                std::os::unix::fs::FileExt::read_exact_at(file, buf, from)?;
                #[cfg(not(unix))]
                {
                    use std::io::{Read, Seek};
                    let _one = lock.lock().unwrap_or_else(|e| e.into_inner());
                    let mut f = file;
                    f.seek(std::io::SeekFrom::Start(from))?;
                    f.read_exact(buf)?;
                }
                Ok(buf)
            }
        }
    }
}

/// How many bytes of lists are checked at a time (the lists of a large
/// corpus are never all in memory).
const WINDOW: usize = 4 << 20;

/// The lists' checksum is made of blocks of this size.
const BLOCK: usize = 64 << 10;

/// The lists' checksum: FxHash of the FxHash of each [`BLOCK`] and of the
/// length, so that it can be made a window at a time.
#[derive(Default)]
struct BlockSum {
    sum: rustc_hash::FxHasher,
    block: Vec<u8>,
    len: u64,
}

impl BlockSum {
    fn feed(&mut self, mut bytes: &[u8]) {
        use std::hash::Hasher;
        self.len += bytes.len() as u64;
        while !bytes.is_empty() {
            let take = (BLOCK - self.block.len()).min(bytes.len());
            let (head, rest) = bytes.split_at(take);
            if self.block.is_empty() && take == BLOCK {
                self.sum.write_u64(block_hash(head));
            } else {
                self.block.extend_from_slice(head);
                if self.block.len() == BLOCK {
                    self.sum.write_u64(block_hash(&self.block));
                    self.block.clear();
                }
            }
            bytes = rest;
        }
    }

    /// Adds the hashes of consecutive blocks (all whole but perhaps the
    /// last, `len` bytes in all) made apart, as [`BlockSum::feed`] would
    /// have made them. Only at a block's boundary.
    fn add_blocks(&mut self, hashes: &[u64], len: usize) {
        use std::hash::Hasher;
        debug_assert!(self.block.is_empty());
        debug_assert!(self.len.is_multiple_of(BLOCK as u64));
        for &h in hashes {
            self.sum.write_u64(h);
        }
        self.len += len as u64;
    }

    fn finish(mut self) -> u64 {
        use std::hash::Hasher;
        if !self.block.is_empty() {
            self.sum.write_u64(block_hash(&self.block));
        }
        self.sum.write_u64(self.len);
        self.sum.finish()
    }
}

fn block_hash(block: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(block);
    h.finish()
}

/// The checksum of encoded lists (see [`BlockSum`]).
#[cfg(test)]
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    let mut sum = BlockSum::default();
    sum.feed(bytes);
    sum.finish()
}

/// Each entity's forms with how many of its mentions have each, sorted by
/// form, as the cache's head keeps them: what the panel's "aka" line shows,
/// without decoding every list of an entity named in every document.
#[derive(Debug, Default)]
pub(super) struct Aka {
    /// Where each entity's forms start in `forms`, and (last) the end.
    at: Vec<usize>,
    forms: Vec<(u32, u32)>,
}

impl Aka {
    /// From each entity's number of forms and all of them; `None` when
    /// they do not add up.
    pub(super) fn new(len: Vec<u32>, forms: Vec<(u32, u32)>) -> Option<Aka> {
        let mut at = Vec::with_capacity(len.len() + 1);
        let mut end = 0usize;
        for n in len {
            at.push(end);
            end = end.checked_add(n as usize)?;
        }
        at.push(end);
        (end == forms.len()).then_some(Aka { at, forms })
    }

    /// Whether there is a list for each entity, each of forms below
    /// `n_forms`, strictly increasing, whose counts add up to the entity's
    /// mentions.
    fn fits(&self, stats: &[EntityStats], n_forms: usize) -> bool {
        self.at.len() == stats.len() + 1
            && stats.iter().enumerate().all(|(e, s)| {
                let forms = &self.forms[self.at[e]..self.at[e + 1]];
                forms.windows(2).all(|w| w[0].0 < w[1].0)
                    && forms.iter().all(|&(f, _)| (f as usize) < n_forms)
                    && forms.iter().map(|&(_, n)| u64::from(n)).sum::<u64>()
                        == u64::from(s.mentions)
            })
    }

    /// Entity `e`'s forms and counts.
    fn of(&self, e: EntityId) -> Option<&[(u32, u32)]> {
        let e = e as usize;
        Some(&self.forms[*self.at.get(e)?..*self.at.get(e + 1)?])
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
        Source::Context => 7,
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
        7 => Source::Context,
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
#[inline(always)]
fn get(r: &mut &[u8]) -> Option<u32> {
    // Most are one byte.
    match r.split_first() {
        Some((&b, rest)) if b < 0x80 => {
            *r = rest;
            Some(u32::from(b))
        }
        _ => get_long(r),
    }
}

fn get_long(r: &mut &[u8]) -> Option<u32> {
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

#[inline]
fn byte(r: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = r.split_first()?;
    *r = rest;
    Some(b)
}

/// Decodes one mention of document `doc`, whose previous mention ended at
/// `at`; returns it with its form.
#[inline(always)]
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
#[inline]
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

/// What [`encode`] makes.
#[cfg(test)]
pub(super) struct Encoded {
    pub bytes: Vec<u8>,
    /// Each document's mention count and bytes.
    pub docs: Vec<(u32, u64)>,
    /// Each entity's bytes of places.
    pub places: Vec<u64>,
    pub stats: Vec<EntityStats>,
}

/// [`encode_into`] a buffer.
#[cfg(test)]
pub(super) fn encode(
    mentions: &[Mention],
    form: impl Fn(usize) -> u32,
    n_docs: usize,
    n_entities: usize,
) -> Encoded {
    let mut bytes = Vec::new();
    let sent = encode_into(mentions, form, n_docs, n_entities, &mut |b: &[u8]| {
        bytes.extend_from_slice(b);
        Ok(())
    });
    let Ok(sent) = sent else {
        unreachable!("a buffer takes every byte")
    };
    assert_eq!((sent.len, sent.sum), (bytes.len() as u64, checksum(&bytes)));
    Encoded {
        bytes,
        docs: sent.docs,
        places: sent.places,
        stats: sent.stats,
    }
}

/// What [`encode_into`] sent, and how it is laid out.
pub(super) struct Sent {
    /// How many bytes, and their checksum ([`checksum`]).
    pub len: u64,
    pub sum: u64,
    /// Each document's mention count and bytes.
    pub docs: Vec<(u32, u64)>,
    /// Each entity's bytes of places.
    pub places: Vec<u64>,
    pub stats: Vec<EntityStats>,
}

/// How many bytes of lists [`encode_into`] gathers before it sends them.
const SEND_EVERY: usize = 1 << 20;

/// Encodes the lists of `mentions` (sorted by (doc, start) and disjoint)
/// for a corpus of `n_docs` documents and `n_entities` entities, and hands
/// the bytes to `send` a megabyte or so at a time, so that they are never
/// all in memory. Says how many bytes were sent and their checksum, each
/// document's (mention count, bytes), each entity's bytes and each entity's
/// counts. `form(i)` is the form of the `i`-th mention.
pub(super) fn encode_into(
    mentions: &[Mention],
    form: impl Fn(usize) -> u32,
    n_docs: usize,
    n_entities: usize,
    send: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<Sent> {
    let mut sum = BlockSum::default();
    let mut sent = 0u64;
    let mut flush = |bytes: &[u8], sum: &mut BlockSum| -> std::io::Result<()> {
        sum.feed(bytes);
        sent += bytes.len() as u64;
        send(bytes)
    };
    let n_docs = n_docs.max(mentions.last().map_or(0, |m| m.doc as usize + 1));
    let n_entities = n_entities.max(
        mentions
            .iter()
            .map(|m| m.entity as usize + 1)
            .max()
            .unwrap_or(0),
    );
    let mut out = Vec::with_capacity(SEND_EVERY + (SEND_EVERY >> 4));
    let mut docs = vec![(0u32, 0u64); n_docs];
    let mut places: Vec<Vec<u8>> = vec![Vec::new(); n_entities];
    // Per entity: the last place's document and the position after it.
    let mut last: Vec<(DocId, u32)> = vec![(0, 0); n_entities];
    let mut stats = vec![EntityStats::default(); n_entities];
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
            stats[e].mentions += 1;
            if doc_step > 0 || places[e].is_empty() {
                stats[e].docs += 1;
            }
            put(&mut places[e], doc_step);
            put(&mut places[e], i as u32 - *next);
            *doc = d;
            *next = i as u32 + 1;
        }
        docs[d as usize] = (same_doc.len() as u32, (out.len() - before) as u64);
        if out.len() >= SEND_EVERY {
            flush(&out, &mut sum)?;
            out.clear();
        }
    }
    let entities = places.iter().map(|p| p.len() as u64).collect();
    for p in places {
        out.extend_from_slice(&p);
        if out.len() >= SEND_EVERY {
            flush(&out, &mut sum)?;
            out.clear();
        }
    }
    flush(&out, &mut sum)?;
    Ok(Sent {
        len: sent,
        sum: sum.finish(),
        docs,
        places: entities,
        stats,
    })
}

/// Why lists were refused.
#[derive(Debug)]
pub(super) enum Refused {
    /// They do not fit the corpus, or each other.
    Invalid(String),
    /// They could not be read.
    Unreadable(std::io::Error),
}

impl From<std::io::Error> for Refused {
    fn from(e: std::io::Error) -> Refused {
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof => Refused::Invalid("truncated".to_string()),
            _ => Refused::Unreadable(e),
        }
    }
}

impl Lists {
    /// The `len` bytes of lists in `bytes`, laid out as `docs` (each
    /// document's mention count and bytes) and `entities` (each entity's
    /// bytes) say. `None` when the sizes do not add up.
    pub(super) fn new(
        bytes: Bytes,
        len: u64,
        docs: &[(u32, u64)],
        entities: &[u64],
    ) -> Option<Lists> {
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
        let fits = match &bytes {
            #[cfg(test)]
            Bytes::Memory(b) => b.len() == end,
            Bytes::File { .. } => true,
        };
        if !fits || u64::try_from(end).ok()? != len {
            return None;
        }
        Some(Lists {
            bytes,
            doc_at,
            doc_len: docs.iter().map(|&(n, _)| n).collect(),
            entity_at,
            stored: Vec::new(),
            aka: Aka::default(),
            forms: 0,
            docs: (0..docs.len()).map(|_| OnceLock::new()).collect(),
            entities: (0..entities.len()).map(|_| OnceLock::new()).collect(),
        })
    }

    /// Reads document `d`'s mentions from `bytes`, giving each (with its
    /// form) to `each`, if they all decode and fit `text`, the entities and
    /// the forms. (Each list is checked so when it is decoded:
    /// a list read again later is checked again.)
    fn read_doc(
        &self,
        d: usize,
        bytes: &[u8],
        text: &Text,
        mut each: impl FnMut(Mention, u32),
    ) -> Option<()> {
        // A text not in memory is not read to check the boundaries: its
        // length and content hash are part of the key, and a text read
        // later that is not the one indexed is replaced by a notice of
        // the same length in ASCII (see `corpus::Text`).
        let held = text.is_held().then(|| text.as_str());
        let (mut r, mut at) = (bytes, 0u32);
        for _ in 0..self.doc_len[d] {
            let (m, form) = mention(&mut r, d as DocId, &mut at)?;
            let fits = m.start < m.end
                && (m.entity as usize) < self.entities.len()
                && (form as usize) < self.forms
                && held.is_none_or(|t| {
                    t.is_char_boundary(m.start as usize) && t.is_char_boundary(m.end as usize)
                });
            if !fits {
                return None;
            }
            each(m, form);
        }
        // Ends only grow: the last is within the text, or none is.
        (r.is_empty() && at as usize <= text.len()).then_some(())
    }

    /// Entity `e`'s places, if they decode and name existing mentions.
    /// `expect` of them, if the list is as stored.
    fn decode_places(&self, bytes: &[u8], expect: usize) -> Option<Vec<Place>> {
        let mut r = bytes;
        let (mut doc, mut next) = (0, 0);
        // Each place takes two bytes at least.
        let mut out = Vec::with_capacity(expect.min(bytes.len() / 2));
        while !r.is_empty() {
            let (d, i) = place(&mut r, &mut doc, &mut next)?;
            if i >= *self.doc_len.get(d as usize)? {
                return None;
            }
            out.push((d, i));
        }
        Some(out)
    }

    /// Checks the lists against `corpus` before anything is used: the
    /// lists' checksum is `sum` (hashed a window at a time, its blocks on
    /// every core), there is a list for each document, and `stats`, each
    /// entity's mention and document counts as the head stored them, add up
    /// to the documents' mention counts. With the cache's key (every file's
    /// stamp and content hash, the knowledge base and the engine) that
    /// makes these the lists written for this corpus; no mention is
    /// decoded. Each list is checked again when it is first decoded: a
    /// document's mentions must lie within its text and name a known
    /// entity and form, an entity's places must name existing mentions and
    /// be as many as `stats` says, or the list reads as empty.
    pub(super) fn check(
        mut self,
        docs: usize,
        forms: usize,
        sum: u64,
        stats: Vec<EntityStats>,
        aka: Aka,
    ) -> Result<Checked, Refused> {
        use rayon::prelude::*;
        let invalid = |why: &str| Refused::Invalid(why.to_string());
        if self.docs.len() != docs {
            return Err(invalid("its mentions do not fit the corpus"));
        }
        let end = self.entity_at.last().copied().unwrap_or(0);
        let mut blocks = BlockSum::default();
        let mut buf = Vec::new();
        let mut from = 0;
        while from < end {
            let to = (from + WINDOW).min(end);
            let bytes = self.bytes.get(from..to, &mut buf)?;
            // Windows are whole blocks (but the last), so each block's
            // hash can be made apart, then summed in order.
            let hashes: Vec<u64> = bytes.par_chunks(BLOCK).map(block_hash).collect();
            blocks.add_blocks(&hashes, bytes.len());
            from = to;
        }
        if blocks.finish() != sum {
            return Err(invalid("damaged: its checksum does not match"));
        }
        let total: usize = self.doc_len.iter().map(|&n| n as usize).sum();
        let counted: usize = stats.iter().map(|s| s.mentions as usize).sum();
        let sane = stats.len() == self.entities.len()
            && counted == total
            && stats.iter().all(|s| s.docs <= s.mentions);
        if !sane {
            return Err(invalid("its places do not fit its mentions"));
        }
        if !aka.fits(&stats, forms) {
            return Err(invalid("its forms do not fit its entities"));
        }
        self.aka = aka;
        self.forms = forms;
        self.stored = stats.clone();
        Ok(Checked {
            stats,
            total,
            lists: self,
        })
    }

    /// Entity `e`'s forms with how many of its mentions have each, as
    /// stored.
    pub(super) fn entity_forms(&self, e: EntityId) -> Option<&[(u32, u32)]> {
        self.aka.of(e)
    }

    /// How many documents there are.
    pub(super) fn doc_count(&self) -> usize {
        self.docs.len()
    }

    /// How many mentions document `d` has, without decoding them.
    pub(super) fn mention_count(&self, d: DocId) -> usize {
        self.doc_len.get(d as usize).map_or(0, |&n| n as usize)
    }

    /// Document `d`'s mentions and forms, decoded on first use; `text` is
    /// its text. (Empty if the list no longer reads as it was checked: the
    /// cache file changed in place under the index.)
    pub(super) fn doc(&self, d: DocId, text: &Text) -> Option<&DocList> {
        let cell = self.docs.get(d as usize)?;
        Some(cell.get_or_init(|| {
            let d = d as usize;
            let mut buf = Vec::new();
            let bytes = self.bytes.get(self.doc_at[d]..self.doc_at[d + 1], &mut buf);
            self.decode_doc(d, bytes.ok(), text)
        }))
    }

    /// Document `d`'s list from its `bytes` (none if they could not be
    /// read): empty if it does not read as it was checked.
    fn decode_doc(&self, d: usize, bytes: Option<&[u8]>, text: &Text) -> DocList {
        let n = self.doc_len[d] as usize;
        let (mut mentions, mut forms) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let read = bytes.and_then(|bytes| {
            self.read_doc(d, bytes, text, |m, f| {
                mentions.push(m);
                forms.push(f);
            })
        });
        if read.is_none() {
            mentions.clear();
            forms.clear();
        }
        DocList {
            mentions: Arc::from(mentions),
            forms: Arc::from(forms),
        }
    }

    /// Document `d`'s mentions and forms, read and decoded for this call
    /// only; `text` is its text. `None` when they cannot be read or do not
    /// read as they were checked.
    pub(super) fn read_once(&self, d: DocId, text: &Text) -> Option<(Vec<Mention>, Vec<u32>)> {
        let d = d as usize;
        let range = self.doc_at[d]..*self.doc_at.get(d + 1)?;
        let mut buf = Vec::new();
        let bytes = self.bytes.get(range, &mut buf).ok()?;
        let n = self.doc_len[d] as usize;
        let (mut mentions, mut forms) = (Vec::with_capacity(n), Vec::with_capacity(n));
        self.read_doc(d, bytes, text, |m, f| {
            mentions.push(m);
            forms.push(f);
        })?;
        Some((mentions, forms))
    }

    /// How many documents' lists are decoded and kept.
    #[cfg(test)]
    pub(super) fn decoded(&self) -> usize {
        self.docs.iter().filter(|c| c.get().is_some()).count()
    }

    /// `each(d, list)` for every document `d` of `docs` (sorted), in order,
    /// with its list decoded for this call only when it is not decoded
    /// already: a pass over the documents of an entity named nearly
    /// everywhere that leaves memory as it found it. Documents the lists
    /// do not have are passed over.
    pub(super) fn scan<T: Send>(
        &self,
        docs: &[DocId],
        corpus: &Corpus,
        each: impl Fn(DocId, &DocList) -> T + Sync,
    ) -> Vec<T> {
        let known: Vec<usize> = docs
            .iter()
            .map(|&d| d as usize)
            .filter(|&d| d < self.docs.len())
            .collect();
        self.by_window(&known, |d, bytes| match self.docs[d].get() {
            Some(list) => each(d as DocId, list),
            None => each(d as DocId, &self.decode_doc(d, bytes, &corpus.docs[d].text)),
        })
    }

    /// Decodes the lists of documents `docs` (sorted) not decoded yet, and
    /// keeps them: what a pass over the documents of an entity named nearly
    /// everywhere needs, without a read for each.
    pub(super) fn decode_all(&self, docs: &[DocId], corpus: &Corpus) {
        let todo: Vec<usize> = docs
            .iter()
            .map(|&d| d as usize)
            .filter(|&d| self.docs.get(d).is_some_and(|c| c.get().is_none()))
            .collect();
        self.by_window(&todo, |d, bytes| {
            let _ = self.docs[d].get_or_init(|| self.decode_doc(d, bytes, &corpus.docs[d].text));
        });
    }

    /// `each(d, bytes)` for each document `d` of `docs` (sorted, each one
    /// the lists have), in order, with the bytes of its list (`None` if
    /// they could not be read): a window of the file at a time, on every
    /// core.
    fn by_window<T: Send>(
        &self,
        docs: &[usize],
        each: impl Fn(usize, Option<&[u8]>) -> T + Sync,
    ) -> Vec<T> {
        use rayon::prelude::*;
        let mut out = Vec::with_capacity(docs.len());
        let mut buf = Vec::new();
        let mut rest = docs;
        while let Some(&first) = rest.first() {
            let from = self.doc_at[first];
            let n = rest
                .iter()
                .take_while(|&&d| self.doc_at[d + 1] - from <= WINDOW)
                .count()
                .max(1);
            let (window, after) = rest.split_at(n);
            rest = after;
            let to = self.doc_at[window[n - 1] + 1];
            let bytes = self.bytes.get(from..to, &mut buf).ok();
            let part: Vec<T> = window
                .par_iter()
                .with_min_len(64)
                .map(|&d| {
                    each(
                        d,
                        bytes.map(|b| &b[self.doc_at[d] - from..self.doc_at[d + 1] - from]),
                    )
                })
                .collect();
            out.extend(part);
        }
        out
    }

    /// Entity `e`'s places, decoded on first use. (Empty if the list no
    /// longer reads as it was checked.)
    pub(super) fn places(&self, e: EntityId) -> Option<&Arc<[Place]>> {
        let cell = self.entities.get(e as usize)?;
        Some(cell.get_or_init(|| {
            let e = e as usize;
            let mut buf = Vec::new();
            let places = self
                .bytes
                .get(self.entity_at[e]..self.entity_at[e + 1], &mut buf)
                .ok()
                .and_then(|bytes| {
                    let expect = self.stored.get(e).map_or(0, |s| s.mentions as usize);
                    self.decode_places(bytes, expect)
                })
                .filter(|p| {
                    let docs = p.chunk_by(|a, b| a.0 == b.0).count() as u32;
                    self.stored
                        .get(e)
                        .is_some_and(|s| s.mentions == p.len() as u32 && s.docs == docs)
                })
                .unwrap_or_default();
            Arc::from(places)
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
        for s in 0..=7 {
            assert_eq!(source_of(s).map(source_code), Some(s));
        }
        assert_eq!(source_of(8), None);
    }

    #[test]
    fn lists_are_decoded_as_encoded_damage_is_refused_and_lists_that_do_not_fit_read_as_empty() {
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
        let Encoded {
            bytes,
            docs,
            places,
            stats: encoded_stats,
        } = encode(&mentions, |k| k as u32 % 2, 2, 2);
        let lists = |bytes: &[u8], docs: &[(u32, u64)], places: &[u64]| {
            Lists::new(
                Bytes::Memory(bytes.to_vec()),
                bytes.len() as u64,
                docs,
                places,
            )
        };
        let sum = checksum(&bytes);
        let stats = |mentions, docs| EntityStats { mentions, docs };
        let counts = vec![stats(3, 2), stats(2, 2)];
        assert_eq!(encoded_stats, counts);
        // Entity 0: forms 0, 1, 0; entity 1: forms 1, 1.
        let aka = || Aka::new(vec![2, 1], vec![(0, 2), (1, 1), (1, 2)]).unwrap();
        let check = |bytes: &[u8], docs: &[(u32, u64)], places: &[u64], c: &Corpus, forms, st| {
            lists(bytes, docs, places).expect("sizes add up").check(
                c.docs.len(),
                forms,
                checksum(bytes),
                st,
                aka(),
            )
        };
        let ok = lists(&bytes, &docs, &places)
            .unwrap()
            .check(corpus.docs.len(), 2, sum, counts.clone(), aka())
            .unwrap();
        assert_eq!(ok.total, 5);
        assert_eq!(ok.lists.entity_forms(0), Some(&[(0, 2), (1, 1)][..]));
        assert_eq!(ok.lists.entity_forms(1), Some(&[(1, 2)][..]));
        assert_eq!(ok.stats, counts);
        assert_eq!(ok.lists.mention_count(1), 2);
        let text = |d: usize| &corpus.docs[d].text;
        // Decoded all at once, or one at a time: the same lists.
        let again = check(&bytes, &docs, &places, &corpus, 2, counts.clone()).unwrap();
        again.lists.decode_all(&[0, 1], &corpus);
        assert!(again.lists.docs.iter().all(|d| d.get().is_some()));
        for d in 0..2 {
            let (a, b) = (
                again.lists.doc(d, text(d as usize)),
                ok.lists.doc(d, text(d as usize)),
            );
            assert_eq!(a.map(|l| &l.mentions), b.map(|l| &l.mentions));
            assert_eq!(a.map(|l| &l.forms), b.map(|l| &l.forms));
        }
        let d0 = ok.lists.doc(0, text(0)).unwrap();
        assert_eq!(&d0.mentions[..], &mentions[..3]);
        assert_eq!(&d0.forms[..], &[0, 1, 0]);
        assert_eq!(
            &ok.lists.doc(1, text(1)).unwrap().mentions[..],
            &mentions[3..]
        );
        assert!(ok.lists.doc(2, text(1)).is_none());
        assert_eq!(&ok.lists.places(0).unwrap()[..], &[(0, 0), (0, 2), (1, 1)]);
        assert_eq!(&ok.lists.places(1).unwrap()[..], &[(0, 1), (1, 0)]);
        // Sizes that do not add up.
        assert!(lists(&bytes, &docs, &places[..1]).is_none());
        assert!(lists(&bytes[1..], &docs, &places).is_none());
        // Refused before anything is used: a checksum that does not match
        // (one byte changed), another number of documents, counts that do
        // not add up to the mentions.
        let mut damaged = bytes.clone();
        damaged[3] ^= 1;
        assert!(
            lists(&damaged, &docs, &places)
                .unwrap()
                .check(corpus.docs.len(), 2, sum, counts.clone(), aka())
                .is_err()
        );
        let one = crate::corpus::load_embedded("t", &[("a.txt", b"Alpha Beta Gamma Delta\n")]);
        assert!(check(&bytes, &docs, &places, &one, 2, counts.clone()).is_err());
        assert!(
            check(
                &bytes,
                &docs,
                &places,
                &corpus,
                2,
                vec![stats(3, 2), stats(1, 1)]
            )
            .is_err()
        );
        assert!(check(&bytes, &docs, &places, &corpus, 2, vec![stats(5, 2)]).is_err());
        // Forms whose counts do not add up to an entity's mentions, or
        // that are not forms.
        let refused_aka = |aka| {
            lists(&bytes, &docs, &places)
                .unwrap()
                .check(corpus.docs.len(), 2, sum, counts.clone(), aka)
                .is_err()
        };
        assert!(refused_aka(
            Aka::new(vec![2, 1], vec![(0, 2), (1, 1), (1, 1)]).unwrap()
        ));
        assert!(refused_aka(
            Aka::new(vec![2, 1], vec![(0, 2), (1, 1), (2, 2)]).unwrap()
        ));
        assert!(refused_aka(
            Aka::new(vec![2, 1], vec![(1, 1), (0, 2), (1, 2)]).unwrap()
        ));
        assert!(refused_aka(
            Aka::new(vec![3], vec![(0, 2), (1, 1), (1, 2)]).unwrap()
        ));
        assert!(Aka::new(vec![2, 2], vec![(0, 2), (1, 1), (1, 2)]).is_none());
        let mut miscounted = docs.clone();
        miscounted[0].0 = 2;
        assert!(check(&bytes, &miscounted, &places, &corpus, 2, counts.clone()).is_err());
        // Accepted, but a list that does not fit reads as empty when it
        // is decoded: a text too short for its mentions;
        // an entity's places swapped with another's (each a valid list,
        // but not as many as that entity's counts say).
        let empty_docs = |c: &Checked, corpus: &Corpus| {
            (0..2u32)
                .filter(|&d| {
                    c.lists
                        .doc(d, &corpus.docs[d as usize].text)
                        .is_some_and(|l| l.mentions.is_empty())
                })
                .count()
        };
        // Too few forms for the stored counts: refused up front.
        assert!(check(&bytes, &docs, &places, &corpus, 1, counts.clone()).is_err());
        let short = load("Alpha Beta\n", "Beta Alpha\n");
        let too_short = check(&bytes, &docs, &places, &short, 2, counts.clone()).unwrap();
        assert_eq!(empty_docs(&too_short, &short), 1);
        let at = docs.iter().map(|d| d.1 as usize).sum::<usize>();
        let split = at + places[0] as usize;
        let swapped = [&bytes[..at], &bytes[split..], &bytes[at..split]].concat();
        let swapped = check(&swapped, &docs, &[places[1], places[0]], &corpus, 2, counts).unwrap();
        assert!(swapped.lists.places(0).unwrap().is_empty());
        assert!(swapped.lists.places(1).unwrap().is_empty());
        assert_eq!(empty_docs(&swapped, &corpus), 0);
    }
}
