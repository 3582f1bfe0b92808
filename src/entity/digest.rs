//! What the corpus-wide stages read of each document, kept so that when a
//! few files change only they are analysed again (see
//! [`Engine::reanalyse`](super::Engine::reanalyse)).
//!
//! A digest holds, for one analysis:
//! - the fingerprint of what the corpus taught the engine (its learned
//!   aliases: [`Learned::fingerprint`](super::stage_learn::Learned));
//! - every document's definitions, name runs and people: what learning and
//!   naming read of a document;
//! - the corpus's word sets, and how every name was linked.
//!
//! It is written as the engine goes, a section at a time ([`DigestWriter`]),
//! never whole in memory while the engine runs, and read back whole
//! ([`Digest::from_bytes`]). The bytes are a magic line, [`FORMAT`], a tag
//! given by the caller (what the analysis was of), the sections in
//! [postcard], and a checksum of all of it: a digest that does not check,
//! or is of something else, is not used.

use super::stage_learn::DocDefinitions;
use super::stage_names::{DocPeople, DocRuns, Resolved};
use super::tokens::WordSets;
use super::{Entity, Source};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::io::Write;

/// The first bytes of a digest.
const MAGIC: &[u8; 15] = b"dossier-digest\n";

/// The digest's format: bump it when a section, or a struct in one,
/// changes.
pub const FORMAT: u32 = 1;

/// The digest's checksum: FNV-1a, a byte at a time, so that it is the same
/// however the bytes are cut as they are written.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// What the corpus-wide stages read of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocDigest {
    pub defs: DocDefinitions,
    pub runs: DocRuns,
    pub people: DocPeople,
}

impl DocDigest {
    /// Do its runs lie within a text of `len` bytes, and its references to
    /// people name one of the first `entities` entities?
    pub fn fits(&self, len: usize, entities: usize) -> bool {
        self.runs.runs.iter().all(|r| r.span().end <= len)
            && self.people.refs.iter().all(|&(_, t, _, _)| match t {
                super::stage_names::PersonTarget::Entity(e) => (e as usize) < entities,
                super::stage_names::PersonTarget::Run(_) => true,
            })
    }
}

/// How one name was linked: the id of its entity, the source and the
/// confidence.
pub type Linked = (Box<str>, Source, u8);

/// What the corpus-wide stages read of a whole corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Digest {
    /// Every document's id, text length and content hash, in order: what
    /// tells which documents of a corpus now are the same.
    pub ids: Vec<(Box<str>, u64, u64)>,
    /// [`Learned::fingerprint`](super::stage_learn::Learned).
    pub learned: u64,
    pub words: WordSets,
    /// How each name key was linked.
    pub resolved: FxHashMap<Box<str>, Linked>,
    /// Every document's, in order.
    pub docs: Vec<DocDigest>,
}

/// Writes a digest a section at a time, in the order the engine makes
/// them: [`docs`](Self::docs), [`learned`](Self::learned), [`defs`](Self::defs),
/// [`words`](Self::words), [`resolved`](Self::resolved), then
/// [`names`](Self::names) once per document. The first error is kept and
/// given by [`finish`](Self::finish); nothing is written after it.
pub struct DigestWriter<W: Write> {
    out: W,
    sum: Fnv,
    failed: Option<std::io::Error>,
    buf: Vec<u8>,
}

impl<W: Write> DigestWriter<W> {
    /// A digest of the analysis that `tag` names, written to `out`.
    pub fn new(out: W, tag: u64) -> Self {
        let mut w = DigestWriter {
            out,
            sum: Fnv::default(),
            failed: None,
            buf: Vec::new(),
        };
        w.raw(MAGIC);
        w.raw(&FORMAT.to_le_bytes());
        w.raw(&tag.to_le_bytes());
        w
    }

    fn raw(&mut self, bytes: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        self.sum.write(bytes);
        if let Err(e) = self.out.write_all(bytes) {
            self.failed = Some(e);
        }
    }

    fn put(&mut self, value: &impl Serialize) {
        if self.failed.is_some() {
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        match postcard::to_io(value, &mut buf) {
            Ok(_) => self.raw(&buf),
            Err(e) => self.failed = Some(std::io::Error::other(e.to_string())),
        }
        self.buf = buf;
    }

    /// Which documents the analysis is of.
    pub fn docs(&mut self, docs: &[crate::corpus::Document]) {
        let ids: Vec<(&str, u64, u64)> = docs
            .iter()
            .map(|d| (d.id.as_str(), d.text.len() as u64, d.text.content_hash()))
            .collect();
        self.put(&ids);
    }

    pub fn learned(&mut self, fingerprint: u64) {
        self.put(&fingerprint);
    }

    /// Every document's definitions, in order.
    pub fn defs(&mut self, defs: &[DocDefinitions]) {
        self.put(&defs);
    }

    pub fn words(&mut self, words: &WordSets) {
        self.put(words);
    }

    /// How each name was linked, a name at a time (postcard's sequence: its
    /// length, then each), so that no copy of them all is made.
    pub fn resolved(&mut self, resolved: &Resolved, entities: &[Entity]) {
        let linked = resolved.iter().filter_map(|(k, &(e, s, c))| {
            Some((&**k, entities.get(e as usize)?.id.as_str(), s, c))
        });
        self.put(&linked.clone().count());
        for one in linked {
            self.put(&one);
        }
    }

    /// The next document's name runs and people.
    pub fn names(&mut self, runs: &DocRuns, people: &DocPeople) {
        self.put(&(runs, people));
    }

    /// Ends the digest with its checksum: the writer, or the first error.
    pub fn finish(mut self) -> std::io::Result<W> {
        let sum = self.sum.finish();
        self.raw(&sum.to_le_bytes());
        match self.failed {
            Some(e) => Err(e),
            None => Ok(self.out),
        }
    }
}

impl Digest {
    /// The digest in `bytes` of the analysis that `tag` names, of `docs`
    /// documents; `None` when it is of something else, damaged or
    /// truncated.
    pub fn from_bytes(bytes: &[u8], tag: u64, docs: usize) -> Option<Digest> {
        let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        let mut h = Fnv::default();
        h.write(body);
        if h.finish() != u64::from_le_bytes(sum.try_into().ok()?) {
            return None;
        }
        let rest = body.strip_prefix(MAGIC.as_slice())?;
        let (format, rest) = rest.split_at_checked(4)?;
        let (written_for, mut rest) = rest.split_at_checked(8)?;
        if u32::from_le_bytes(format.try_into().ok()?) != FORMAT
            || u64::from_le_bytes(written_for.try_into().ok()?) != tag
        {
            return None;
        }
        fn take<'a, T: serde::Deserialize<'a>>(rest: &mut &'a [u8]) -> Option<T> {
            let (value, after) = postcard::take_from_bytes(rest).ok()?;
            *rest = after;
            Some(value)
        }
        let ids: Vec<(Box<str>, u64, u64)> = take(&mut rest)?;
        let learned: u64 = take(&mut rest)?;
        let defs: Vec<DocDefinitions> = take(&mut rest)?;
        let words: WordSets = take(&mut rest)?;
        // Written as a sequence of (name, id, source, confidence): the bytes
        // of a map of name to (id, source, confidence).
        let resolved: FxHashMap<Box<str>, Linked> = take(&mut rest)?;
        if defs.len() != docs || ids.len() != docs {
            return None;
        }
        let mut all = Vec::with_capacity(docs);
        for defs in defs {
            let (runs, people): (DocRuns, DocPeople) = take(&mut rest)?;
            if !runs.fits(&people) {
                return None;
            }
            all.push(DocDigest { defs, runs, people });
        }
        if !rest.is_empty() {
            return None;
        }
        Some(Digest {
            ids,
            learned,
            words,
            resolved,
            docs: all,
        })
    }
}
