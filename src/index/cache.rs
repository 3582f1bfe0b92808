//! The on-disk index cache: the engine's analysis of a corpus, kept under
//! `$XDG_CACHE_HOME/dossier/` (or `~/.cache/dossier/`) so that opening an
//! unchanged corpus again does not run the engine again.
//!
//! - **Keyed** by the engine's version and its source's fingerprint, a
//!   fingerprint of the knowledge base in use (every entity, every alias),
//!   and a fingerprint of the corpus:
//!   every document's path, size and content hash, in order. Any change to
//!   any of them is a miss, and the analysis is computed and stored again:
//!   when only documents changed, from this one ([`Cached::stored`]) and
//!   the engine's digest beside it ([`digest_path`]), matching and naming
//!   only the changed documents (see
//!   [`Engine::reanalyse`](crate::entity::Engine::reanalyse)).
//! - **Never trusted.** A file starts with a magic line and a format version,
//!   then a checksum of its payload. A file that is truncated, corrupt,
//!   written by another version or for another corpus is ignored (and
//!   replaced); one whose mentions do not fit the corpus is ignored too.
//! - **Private.** The directory is 0700 and refused when another user could
//!   write to it; files are 0600, written by temporary file and rename, never
//!   through a link.
//! - **Format.** The magic line, the format version, the checksum, then
//!   the mention lists (see [`super::lists`]: each document's mentions and
//!   each entity's places, encoded, decoded only when first used) and a
//!   head in [postcard], a compact, fast serde binary format with no schema
//!   to keep beside the structs: the key, the file records, the entities,
//!   the forms, and where each list lies. The structs here and the lists'
//!   encoding are the format; any change to them bumps [`FORMAT`].
//! - **Read lazily.** A restart reads the file whole, decodes the head,
//!   checks every list once against the corpus (in parallel) and keeps the
//!   lists encoded: the index decodes a document's mentions, or an
//!   entity's places, when they are first asked for.

use super::Forms;
use crate::corpus::{Corpus, FileRecord};
use crate::entity::{Analysis, DocId, Entity, Kind, KnowledgeBase, Mention};
use crate::files;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// The first bytes of every cache file.
const MAGIC: &[u8; 14] = b"dossier-cache\n";

/// The version of the file format. Bump it whenever the structs below
/// change; a changed engine is told apart by its source's fingerprint
/// (`DOSSIER_ENGINE_HASH`, made by build.rs).
pub const FORMAT: u32 = 10;

/// What an analysis was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    /// The crate version, [`FORMAT`] and a fingerprint of the engine's
    /// source made at build time, so that a changed engine never reads an
    /// older one's results.
    pub engine: String,
    pub kb: u64,
    pub corpus: u64,
    pub docs: u32,
}

impl Key {
    /// The key of analysing `corpus` with `kb`.
    pub fn new(corpus: &Corpus, kb: &KnowledgeBase) -> Key {
        let mut h = rustc_hash::FxHasher::default();
        for e in kb.entities() {
            crate::entity::hash_entity(&mut h, e);
        }
        let kb = h.finish();
        let mut h = rustc_hash::FxHasher::default();
        for d in &corpus.docs {
            h.write(d.id.as_bytes());
            h.write_u8(0xff);
            h.write_usize(d.text.len());
            h.write_u64(d.text.content_hash());
        }
        Key {
            engine: engine(),
            kb,
            corpus: h.finish(),
            docs: corpus.docs.len() as u32,
        }
    }
}

impl Key {
    /// A fingerprint of the whole key: what a digest of the analysis is
    /// tagged with.
    pub fn tag(&self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        h.write(self.engine.as_bytes());
        h.write_u64(self.kb);
        h.write_u64(self.corpus);
        h.write_u32(self.docs);
        h.finish()
    }

    /// Was `other` made by this engine with this knowledge base, whatever
    /// the corpus?
    pub fn same_engine_and_kb(&self, other: &Key) -> bool {
        self.engine == other.engine && self.kb == other.kb
    }
}

/// This build's engine: the crate version, [`FORMAT`] and the fingerprint
/// of the engine's source.
fn engine() -> String {
    format!(
        "{}/{FORMAT}/{}",
        env!("CARGO_PKG_VERSION"),
        env!("DOSSIER_ENGINE_HASH")
    )
}

/// An entity as stored (postcard is not self-describing, so no field is
/// ever skipped).
#[derive(Serialize, Deserialize)]
struct StoredEntity {
    id: String,
    name: String,
    kind: Kind,
    aliases: Vec<String>,
    description: Option<String>,
    external: Vec<(String, String)>,
    facts: StoredFacts,
}

impl From<&crate::entity::Facts> for StoredFacts {
    fn from(f: &crate::entity::Facts) -> Self {
        let f = f.clone();
        StoredFacts {
            place: f.place,
            date: f.date,
            event_type: f.event_type,
            country: f.country,
            generic: f.generic,
            ambiguous: f.ambiguous,
            source: f.source,
        }
    }
}

/// [`crate::entity::Facts`] as stored: every field, none skipped.
#[derive(Serialize, Deserialize)]
struct StoredFacts {
    place: Option<String>,
    date: Option<String>,
    event_type: Option<String>,
    country: Option<String>,
    generic: Vec<String>,
    ambiguous: Vec<String>,
    source: Option<String>,
}

impl From<StoredEntity> for Entity {
    fn from(e: StoredEntity) -> Entity {
        Entity {
            id: e.id,
            name: e.name,
            kind: e.kind,
            aliases: e.aliases,
            description: e.description,
            external: e.external.into_iter().collect(),
            facts: crate::entity::Facts {
                place: e.facts.place,
                date: e.facts.date,
                event_type: e.facts.event_type,
                country: e.facts.country,
                generic: e.facts.generic,
                ambiguous: e.facts.ambiguous,
                source: e.facts.source,
            },
        }
    }
}

/// A sequence read into a vector of its length at once, each element read
/// as an `S` and made a `T`. (Serde's vectors grow by doubling past a
/// cautious first allocation: the entities of a 100k corpus took twice
/// their room.) The length is the file's word, checked by its checksum; it
/// is trusted with a million elements at most before the vector grows.
struct Seq<T, S = T>(Vec<T>, std::marker::PhantomData<fn() -> S>);

impl<'de, T: From<S>, S: Deserialize<'de>> Deserialize<'de> for Seq<T, S> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor<T, S>(std::marker::PhantomData<fn() -> (T, S)>);
        impl<'de, T: From<S>, S: Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T, S> {
            type Value = Seq<T, S>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(x) = seq.next_element::<S>()? {
                    out.push(T::from(x));
                }
                Ok(Seq(out, std::marker::PhantomData))
            }
        }
        d.deserialize_seq(Visitor(std::marker::PhantomData))
    }
}

/// An entity as written: the same shape as [`StoredEntity`], borrowed.
#[derive(Serialize)]
struct EntityRef<'a> {
    id: &'a str,
    name: &'a str,
    kind: Kind,
    aliases: &'a [String],
    description: &'a Option<String>,
    external: Vec<(&'a String, &'a String)>,
    facts: StoredFacts,
}

/// A cache file's head: everything but the lists.
#[derive(Deserialize)]
struct Head {
    key: Key,
    files: Seq<FileRecord>,
    entities: Seq<Entity, StoredEntity>,
    form_names: Seq<Box<str>, String>,
    /// Each document's mention count, and the bytes of its mentions in the
    /// lists.
    docs: Seq<(u32, u64)>,
    /// The bytes of each entity's places in the lists.
    places: Seq<u64>,
    /// Each entity's mention and document counts.
    stats: Seq<(u32, u32)>,
    /// Each entity's forms with their counts (by form), how many each.
    aka_len: Seq<u32>,
    aka: Seq<(u32, u32)>,
}

/// The same, as written.
#[derive(Serialize)]
struct HeadRef<'a> {
    key: &'a Key,
    files: &'a [FileRecord],
    entities: Vec<EntityRef<'a>>,
    form_names: &'a [Box<str>],
    docs: &'a [(u32, u64)],
    places: &'a [u64],
    stats: &'a [(u32, u32)],
    aka_len: &'a [u32],
    aka: &'a [(u32, u32)],
}

/// The bytes after [`MAGIC`]: the format, then the head's length and
/// checksum and the lists' length and checksum.
const PREFIX: usize = 4 + 4 * 8;

/// A cache file whose head is read and checked (the lists are read when
/// the analysis is matched with a corpus).
pub struct Cached {
    head: Head,
    /// The file, open: what a later write puts in its place is not read.
    file: std::fs::File,
    lists_at: u64,
    lists_len: u64,
    lists_sum: u64,
}

/// A cache file's analysis, checked against a corpus: ready to be indexed.
pub struct Ready {
    entities: Vec<Entity>,
    form_names: Vec<Box<str>>,
    checked: super::lists::Checked,
}

impl Ready {
    /// The index of the corpus the analysis was checked against (see
    /// [`Cached::check`]): no mention is decoded until it is used.
    pub fn index(self, corpus: std::sync::Arc<Corpus>) -> super::Index {
        super::Index::from_stored(corpus, self.entities, self.form_names, self.checked)
    }
}

/// Where the cache of the corpus identified by `corpus_key` lives, if there
/// is a place for it: `$XDG_CACHE_HOME/dossier/` or `~/.cache/dossier/`
/// (relative values are ignored, as the XDG spec says).
pub fn default_path(corpus_key: &str) -> Option<PathBuf> {
    default_path_from(
        corpus_key,
        std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from),
        std::env::var_os("HOME").map(PathBuf::from),
    )
}

/// [`default_path`] with the environment given.
pub fn default_path_from(
    corpus_key: &str,
    xdg_cache_home: Option<PathBuf>,
    home: Option<PathBuf>,
) -> Option<PathBuf> {
    let base = xdg_cache_home
        .filter(|p| p.is_absolute())
        .or_else(|| home.filter(|h| h.is_absolute()).map(|h| h.join(".cache")))?;
    let mut h = rustc_hash::FxHasher::default();
    h.write(corpus_key.as_bytes());
    let name = crate::files::readable_stem(corpus_key);
    Some(
        base.join("dossier")
            .join(format!("{name}-{:016x}.index", h.finish())),
    )
}

/// Why a cache file was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// There is none yet.
    Absent,
    /// It was made from other inputs (a changed file, another KB, another
    /// version).
    Stale,
    /// It is not a cache file of this version, or it is damaged.
    Invalid(String),
    /// It could not be read.
    Unreadable(String),
}

/// Reads the cache file at `path`: a file of this version and this engine,
/// undamaged. Its file records can be used to load the corpus
/// ([`Cached::files`]); its analysis only for the same key
/// ([`Cached::check`]).
pub fn read(path: &Path) -> Result<Cached, Miss> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| Miss::Unreadable(e.to_string());
    let mut file = match files::open_regular(path) {
        Ok(f) => f,
        Err(files::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Miss::Absent);
        }
        Err(e) => return Err(Miss::Unreadable(e.to_string())),
    };
    let size = file.metadata().map_err(unreadable)?.len();
    // Reads exactly `n` bytes (no more than the file has) at the current
    // position; fewer means the file is truncated.
    let mut take = |n: u64| -> Result<Vec<u8>, Miss> {
        let mut out = Vec::with_capacity(usize::try_from(n.min(size)).unwrap_or(0));
        (&mut file)
            .take(n)
            .read_to_end(&mut out)
            .map_err(unreadable)?;
        match out.len() as u64 == n {
            true => Ok(out),
            false => Err(Miss::Invalid("truncated".to_string())),
        }
    };
    let invalid = |why: &str| Miss::Invalid(why.to_string());
    let start = take((MAGIC.len() + PREFIX) as u64);
    let start = match &start {
        Ok(bytes) => bytes.as_slice(),
        Err(_) if size < MAGIC.len() as u64 => &[],
        Err(e) => return Err(e.clone()),
    };
    let prefix = start
        .strip_prefix(MAGIC.as_slice())
        .ok_or_else(|| invalid("not a dossier cache file"))?;
    let word = |at: usize| u64::from_le_bytes(prefix[at..at + 8].try_into().unwrap_or_default());
    let format = u32::from_le_bytes(prefix[..4].try_into().unwrap_or_default());
    if format != FORMAT {
        return Err(Miss::Invalid(format!(
            "written by another version (format {format})"
        )));
    }
    let (head_len, head_sum, lists_len, lists_sum) = (word(4), word(12), word(20), word(28));
    let body = size.saturating_sub(start.len() as u64);
    if head_len.checked_add(lists_len).is_none_or(|n| n > body) {
        return Err(invalid("truncated"));
    }
    let head = take(head_len)?;
    if checksum(&[&prefix[4..12], &prefix[20..], &head]) != head_sum {
        return Err(invalid("damaged: its checksum does not match"));
    }
    let head: Head = postcard::from_bytes(&head).map_err(|e| Miss::Invalid(e.to_string()))?;
    if head.key.engine != engine() {
        // Another build: its file records may not be what this one reads.
        return Err(Miss::Stale);
    }
    Ok(Cached {
        head,
        file,
        lists_at: start.len() as u64 + head_len,
        lists_len,
        lists_sum,
    })
}

impl Cached {
    /// What each file was when it was read, for
    /// [`crate::corpus::load_path_listing`].
    pub fn files(&self) -> &[FileRecord] {
        &self.head.files.0
    }

    /// Was the analysis computed for `key`?
    pub fn is_for(&self, key: &Key) -> bool {
        self.head.key == *key
    }

    /// The same, taken out (they are not needed to check or index the
    /// analysis).
    pub fn take_files(&mut self) -> Vec<FileRecord> {
        std::mem::take(&mut self.head.files.0)
    }

    /// The key the analysis was computed for.
    pub fn key(&self) -> &Key {
        &self.head.key
    }

    /// The analysis, if it was computed for `key` and fits `corpus`: every
    /// mention within its document's text and of a known entity and form,
    /// every entity's list of places exactly its mentions.
    pub fn check(self, key: &Key, corpus: &Corpus) -> Result<Ready, Miss> {
        if self.head.key != *key {
            return Err(Miss::Stale);
        }
        self.checked(corpus.docs.len())
    }

    /// The analysis as stored, for a corpus some of whose files changed
    /// since: checked as [`Cached::check`] checks it, but for the corpus it
    /// was computed for (its documents are told apart by the engine's
    /// digest: see [`crate::entity::Engine::reanalyse`]).
    pub fn stored(self) -> Result<Stored, Miss> {
        let docs = self.head.key.docs as usize;
        let Ready {
            entities,
            form_names,
            checked,
        } = self.checked(docs)?;
        Ok(Stored {
            entities,
            form_names,
            lists: checked.lists,
        })
    }

    /// The analysis, checked against a corpus of `n` documents.
    fn checked(self, n: usize) -> Result<Ready, Miss> {
        let Cached {
            head,
            file,
            lists_at,
            lists_len,
            lists_sum,
        } = self;
        let invalid = |why: &str| Miss::Invalid(why.to_string());
        let (docs, places) = (&head.docs.0, &head.places.0);
        if places.len() != head.entities.0.len() {
            return Err(invalid("its places do not fit its entities"));
        }
        // The lists are read only now, a window at a time, and kept in the
        // file: the index reads each list when it is first used.
        let bytes = super::lists::Bytes::file(file, lists_at);
        let lists = super::lists::Lists::new(bytes, lists_len, docs, places)
            .ok_or_else(|| invalid("its lists do not fit their sizes"))?;
        if head.stats.0.len() != places.len() {
            return Err(invalid("its places do not fit its entities"));
        }
        let stats = head
            .stats
            .0
            .iter()
            .map(|&(mentions, docs)| super::EntityStats { mentions, docs })
            .collect();
        let aka = super::lists::Aka::new(head.aka_len.0, head.aka.0)
            .ok_or_else(|| invalid("its forms do not fit its entities"))?;
        let checked = lists
            .check(n, head.form_names.0.len(), lists_sum, stats, aka)
            .map_err(|refused| match refused {
                super::lists::Refused::Invalid(why) => Miss::Invalid(why),
                super::lists::Refused::Unreadable(e) => Miss::Unreadable(e.to_string()),
            })?;
        Ok(Ready {
            entities: head.entities.0,
            form_names: head.form_names.0,
            checked,
        })
    }
}

/// An analysis as a cache file stored it, for an earlier state of the
/// corpus (see [`Cached::stored`]).
pub struct Stored {
    entities: Vec<Entity>,
    form_names: Vec<Box<str>>,
    lists: super::lists::Lists,
}

impl Stored {
    /// Its entities' ids, by their place.
    pub fn entity_ids(&self) -> Vec<Box<str>> {
        self.entities.iter().map(|e| e.id.as_str().into()).collect()
    }

    /// The mentions and forms of its document `d`, whose text `text` is
    /// now too; `None` when they cannot be read.
    pub fn doc(&self, d: DocId, text: &crate::corpus::Text) -> Option<(Vec<Mention>, Vec<u32>)> {
        self.lists.read_once(d, text)
    }

    /// The name of form `f`.
    pub fn form(&self, f: u32) -> Option<&str> {
        self.form_names.get(f as usize).map(|f| &**f)
    }
}

/// Where the engine's digest of the analysis cached at `cache` is kept
/// (see [`crate::entity::digest`]): what lets a change to a few files be
/// analysed alone.
pub fn digest_path(cache: &Path) -> PathBuf {
    let mut name = cache.file_name().unwrap_or_default().to_os_string();
    name.push(".digest");
    cache.with_file_name(name)
}

/// Writes the analysis of a corpus to `path` for `key`, with the records
/// of its files and the forms of its mentions (in the order of
/// `analysis.mentions`): 0600, by temporary file and rename, in a private
/// directory. Fails when the directory is one that another user could
/// write to.
pub fn store(
    path: &Path,
    key: &Key,
    files: &[FileRecord],
    analysis: &Analysis,
    forms: &Forms,
) -> std::io::Result<()> {
    use std::io::{Seek, Write};
    ready(path)?;
    let disjoint = analysis
        .mentions
        .windows(2)
        .all(|w| (w[0].doc, w[0].end) <= (w[1].doc, w[1].start) || w[0].doc < w[1].doc)
        && analysis.mentions.iter().all(|m| m.start <= m.end);
    if !disjoint {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the mentions are not sorted and disjoint",
        ));
    }
    let ids = forms.ids();
    if ids.len() != analysis.mentions.len()
        || ids.iter().any(|&f| f as usize >= forms.names().len())
    {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the forms do not fit the mentions",
        ));
    }
    // The lists go to a private scratch file beside the cache as they are
    // made, and are copied in after the head that describes them: they are
    // the largest part, and are never all in memory.
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut scratch = std::io::BufWriter::with_capacity(1 << 16, files::scratch_file(Some(dir))?);
    let super::lists::Sent {
        len: lists_len,
        sum: lists_sum,
        docs,
        places,
        stats,
    } = super::lists::encode_into(
        &analysis.mentions,
        |k| ids.get(k).copied().unwrap_or(u32::MAX),
        key.docs as usize,
        analysis.entities.len(),
        &mut |bytes: &[u8]| scratch.write_all(bytes),
    )?;
    let mut lists = scratch.into_inner().map_err(|e| e.into_error())?;
    lists.seek(std::io::SeekFrom::Start(0))?;
    let stats: Vec<(u32, u32)> = stats.iter().map(|s| (s.mentions, s.docs)).collect();
    let (aka_len, aka) = entity_forms(&analysis.mentions, ids, places.len());
    let head = HeadRef {
        key,
        files,
        entities: analysis
            .entities
            .iter()
            .map(|e| EntityRef {
                id: &e.id,
                name: &e.name,
                kind: e.kind,
                aliases: &e.aliases,
                description: &e.description,
                external: e.external.iter().collect(),
                facts: StoredFacts::from(&e.facts),
            })
            .collect(),
        form_names: forms.names(),
        docs: &docs,
        places: &places,
        stats: &stats,
        aka_len: &aka_len,
        aka: &aka,
    };
    let head = postcard::to_stdvec(&head)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
    let head_len = (head.len() as u64).to_le_bytes();
    let lists_fields = [lists_len.to_le_bytes(), lists_sum.to_le_bytes()].concat();
    let head_sum = checksum(&[&head_len, &lists_fields, &head]).to_le_bytes();
    files::write_private_with(path, |w| {
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT.to_le_bytes())?;
        w.write_all(&head_len)?;
        w.write_all(&head_sum)?;
        w.write_all(&lists_fields)?;
        w.write_all(&head)?;
        let copied = std::io::copy(&mut lists, w)?;
        if copied != lists_len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the lists' scratch file came back short",
            ));
        }
        Ok(())
    })
}

/// Each of `n` entities' forms (`forms[i]` is mention `i`'s) with their
/// counts, sorted by form: how many each entity has, and all of them.
fn entity_forms(
    mentions: &[crate::entity::Mention],
    forms: &[u32],
    n: usize,
) -> (Vec<u32>, Vec<(u32, u32)>) {
    let mut counts: rustc_hash::FxHashMap<(u32, u32), u32> = Default::default();
    for (m, &f) in mentions.iter().zip(forms) {
        if (m.entity as usize) < n {
            *counts.entry((m.entity, f)).or_default() += 1;
        }
    }
    let mut pairs: Vec<((u32, u32), u32)> = counts.into_iter().collect();
    pairs.sort_unstable();
    let mut len = vec![0u32; n];
    for ((e, _), _) in &pairs {
        len[*e as usize] += 1;
    }
    (len, pairs.into_iter().map(|((_, f), c)| (f, c)).collect())
}

/// Makes the directory of `path` (0700) and checks that only its owner can
/// write to it, so that [`store`] can be expected to succeed.
pub fn ready(path: &Path) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    files::private_dir(dir)?;
    match files::untrusted_dir(dir, "the cache directory")? {
        Some(why) => Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            why,
        )),
        None => Ok(()),
    }
}

/// The head's checksum: FxHash of the lengths and checksum it is read
/// with and of its bytes, lengths included. (The lists have their own, made
/// as they are read: see [`super::lists::checksum`].)
fn checksum(parts: &[&[u8]]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for bytes in parts {
        h.write_usize(bytes.len());
        h.write(bytes);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::Engine;

    fn corpus(text: &str) -> Corpus {
        load_embedded("t", &[("a.txt", text.as_bytes())])
    }

    /// The index of `c` read back from the cache file at `path` for `key`.
    fn load(path: &Path, key: &Key, c: &Corpus) -> Result<super::super::Index, Miss> {
        Ok(read(path)?
            .check(key, c)?
            .index(std::sync::Arc::new(c.clone())))
    }

    /// Every mention's form, in order.
    fn forms_of(index: &super::super::Index) -> Vec<String> {
        (0..index.docs().len() as u32)
            .flat_map(|d| (0..index.doc_mentions(d).len()).map(move |i| (d, i)))
            .map(|(d, i)| index.form(d, i).to_string())
            .collect()
    }

    #[test]
    fn round_trip_and_lists_that_do_not_fit_are_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.index");
        let c = corpus("Report\n\nThe TTP met ISKP in Kabul.\n");
        let kb = KnowledgeBase::default_kb();
        let key = Key::new(&c, &kb);
        let analysis = Engine::new(kb.clone()).analyse(&c);
        assert!(!analysis.mentions.is_empty());
        let forms = Forms::of(&c, &analysis.mentions);
        let load = |key: &Key, c: &Corpus| load(&path, key, c);
        store(&path, &key, &[], &analysis, &forms).unwrap();
        let back = load(&key, &c).unwrap();
        assert_eq!(back.analysis().mentions, analysis.mentions);
        assert_eq!(back.analysis().entities, analysis.entities);
        let want: Vec<&str> = (0..forms.len()).map(|i| forms.get(i)).collect();
        assert_eq!(forms_of(&back), want);
        assert!((0..forms.len()).any(|i| forms.get(i) == "TTP"));
        // A file whose checksum holds but whose mentions lie outside the
        // texts (what only a faulty writer could make) is opened, but that
        // document's list reads as empty: no mention past its text.
        let mut bad = analysis.clone();
        let last = bad.mentions.last_mut().unwrap();
        last.end = 10_000;
        let last_doc = last.doc;
        store(&path, &key, &[], &bad, &forms).unwrap();
        let opened = load(&key, &c).unwrap();
        assert!(opened.doc_mentions(last_doc).is_empty());
        // Forms that do not fit the mentions are never written.
        assert!(store(&path, &key, &[], &analysis, &Forms::default()).is_err());
        // Overlapping mentions are never written (their steps could not
        // be stored).
        let mut overlapping = analysis.clone();
        if let Some(m) = overlapping.mentions.get(1).copied() {
            overlapping.mentions[1].start = overlapping.mentions[0].start.min(m.start);
            assert!(store(&path, &key, &[], &overlapping, &forms).is_err());
        }
        // Another corpus or another KB: stale.
        let other = corpus("Report\n\nThe TTP met ISKP in Herat.\n");
        store(&path, &key, &[], &analysis, &forms).unwrap();
        assert_eq!(
            load(&Key::new(&other, &kb), &other).unwrap_err(),
            Miss::Stale
        );
        assert_eq!(
            load(&Key::new(&c, &KnowledgeBase::new()), &c).unwrap_err(),
            Miss::Stale
        );
        assert_eq!(read(&dir.path().join("none")).err().unwrap(), Miss::Absent);
    }

    #[test]
    fn the_spellings_of_an_entity_named_everywhere_are_counted_without_keeping_every_list() {
        use super::super::Index;
        // Enough documents naming Pakistan, in three spellings, for the
        // names view to read the lists in one pass.
        let texts: Vec<String> = (0..1_200)
            .map(|i| {
                let name = ["Pakistan", "PAKISTAN", "Islamic Republic of Pakistan"][i % 3];
                format!("Report {i}\n\nOfficials in {name} said so on day {i}.\n")
            })
            .collect();
        let named: Vec<(String, &[u8])> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("r{i:04}.txt"), t.as_bytes()))
            .collect();
        let files: Vec<(&str, &[u8])> = named.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        let c = crate::corpus::load_embedded("t", &files);
        let kb = KnowledgeBase::default_kb();
        let key = Key::new(&c, &kb);
        let analysis = Engine::new(kb).analyse(&c);
        let forms = Forms::of(&c, &analysis.mentions);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.index");
        store(&path, &key, &[], &analysis, &forms).unwrap();
        let built = Index::with_forms(c.clone(), analysis, forms);
        let back = load(&path, &key, &c).unwrap();
        let e = built.entity_by_id("pakistan").unwrap();
        assert!(built.stats(e).docs >= 1_200, "{:?}", built.stats(e));
        let names = back.names(e);
        assert_eq!(names, built.names(e));
        assert!(names.len() >= 3, "{names:?}");
        assert_eq!(back.decoded_lists(), 0, "no list is kept for the view");
        // A list decoded before, and one a decision replaced, are read as
        // they are.
        let _ = back.doc_mentions(5);
        assert_eq!(back.decoded_lists(), 1);
        let (mut back, mut built) = (back, built);
        for index in [&mut back, &mut built] {
            index.replace_docs(vec![(7, std::sync::Arc::from(Vec::new()))]);
        }
        assert_eq!(back.names(e), built.names(e));
    }

    #[test]
    fn the_index_read_back_answers_as_the_one_built() {
        use super::super::Index;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.index");
        let c = crate::load::bundled_corpus();
        let kb = KnowledgeBase::default_kb();
        let key = Key::new(&c, &kb);
        let analysis = Engine::new(kb).analyse(&c);
        let forms = Forms::of(&c, &analysis.mentions);
        store(&path, &key, &[], &analysis, &forms).unwrap();
        let built = Index::with_forms(c.clone(), analysis, forms);
        let back = load(&path, &key, &c).unwrap();
        let docs = c.docs.len() as u32;
        assert!(docs >= 5 && built.mention_count() > 100);
        assert_eq!(back.mention_count(), built.mention_count());
        assert_eq!(back.entities(), built.entities());
        for d in 0..docs + 1 {
            assert_eq!(back.doc_mention_count(d), built.doc_mentions(d).len());
            assert_eq!(back.doc_mentions(d), built.doc_mentions(d));
            assert_eq!(back.doc_entities(d), built.doc_entities(d));
        }
        assert_eq!(forms_of(&back), forms_of(&built));
        for e in 0..built.entities().len() as u32 + 1 {
            assert_eq!(back.stats(e), built.stats(e));
            assert_eq!(back.entity_places(e), built.entity_places(e));
            assert_eq!(back.aliases_seen(e), built.aliases_seen(e));
            if (e as usize) < built.entities().len() {
                // From the cache's counts, and from the lists.
                assert_eq!(back.label(e), built.label(e));
            }
            let by_doc = |i: &super::super::Index| {
                super::super::cooc::cooccurrence(i, e, super::super::cooc::Level::Document, None)
            };
            assert_eq!(by_doc(&back), by_doc(&built));
        }
        for doc in &c.docs {
            assert_eq!(back.doc_by_id(&doc.id), built.doc_by_id(&doc.id));
        }
        assert_eq!(back.doc_by_id("no such document"), None);
        // After a document changes, an entity's spellings are counted
        // again, not taken from the cache's counts.
        let (mut back, mut built) = (back, built);
        let e = built.doc_mentions(0)[0].entity;
        let before: u32 = built.aliases_seen(e).iter().map(|a| a.1).sum();
        for index in [&mut back, &mut built] {
            index.replace_docs(vec![(0, std::sync::Arc::from(Vec::new()))]);
        }
        let after: u32 = back.aliases_seen(e).iter().map(|a| a.1).sum();
        assert!(after < before);
        assert_eq!(back.aliases_seen(e), built.aliases_seen(e));
        assert_eq!(back.label(e), built.label(e));
    }

    #[test]
    fn the_place_ignores_relative_directories() {
        let p = |x: Option<&str>, h: Option<&str>| {
            default_path_from("/data/news", x.map(PathBuf::from), h.map(PathBuf::from))
        };
        let a = p(Some("/c"), Some("/home/u")).unwrap();
        assert!(a.starts_with("/c/dossier") && a.to_string_lossy().contains("news-"));
        assert!(
            p(Some("rel"), Some("/home/u"))
                .unwrap()
                .starts_with("/home/u/.cache/dossier")
        );
        assert_eq!(p(Some("rel"), Some("")), None);
        assert_eq!(p(None, Some("relhome")), None);
        assert_ne!(
            default_path_from("/data/other", Some("/c".into()), None),
            Some(a)
        );
    }
}
