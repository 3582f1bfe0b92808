//! The on-disk index cache: the engine's analysis of a corpus, kept under
//! `$XDG_CACHE_HOME/dossier/` (or `~/.cache/dossier/`) so that opening an
//! unchanged corpus again does not run the engine again.
//!
//! - **Keyed** by the engine's version and its source's fingerprint, a
//!   fingerprint of the knowledge base in use (every entity, every alias),
//!   and a fingerprint of the corpus:
//!   every document's path, size and content hash, in order. Any change to
//!   any of them is a miss, and the analysis is computed and stored again.
//! - **Never trusted.** A file starts with a magic line and a format version,
//!   then a checksum of its payload. A file that is truncated, corrupt,
//!   written by another version or for another corpus is ignored (and
//!   replaced); one whose mentions do not fit the corpus is ignored too.
//! - **Private.** The directory is 0700 and refused when another user could
//!   write to it; files are 0600, written by temporary file and rename, never
//!   through a link.
//! - **Format.** [postcard]: a compact, fast serde binary format with no
//!   schema to keep beside the structs. The structs here are the format; any
//!   change to them bumps [`FORMAT`].

use super::Forms;
use crate::corpus::{Corpus, FileRecord};
use crate::entity::{Analysis, Entity, Kind, KnowledgeBase, Mention, Source};
use crate::files;
use serde::{Deserialize, Serialize};
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// The first bytes of every cache file.
const MAGIC: &[u8; 14] = b"dossier-cache\n";

/// The version of the file format. Bump it whenever the structs below
/// change; a changed engine is told apart by its source's fingerprint
/// (`DOSSIER_ENGINE_HASH`, made by build.rs).
pub const FORMAT: u32 = 3;

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
            hash_entity(&mut h, e);
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

/// This build's engine: the crate version, [`FORMAT`] and the fingerprint
/// of the engine's source.
fn engine() -> String {
    format!(
        "{}/{FORMAT}/{}",
        env!("CARGO_PKG_VERSION"),
        env!("DOSSIER_ENGINE_HASH")
    )
}

fn hash_entity(h: &mut impl Hasher, e: &Entity) {
    for s in std::iter::once(&e.id)
        .chain(std::iter::once(&e.name))
        .chain(&e.aliases)
    {
        h.write(s.as_bytes());
        h.write_u8(0xff);
    }
    h.write(e.kind.as_str().as_bytes());
    h.write_u8(0xfe);
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
}

/// The mentions as read, decoded straight into `Mention`s. Each is stored
/// as the tuple `(doc step, start step, length, entity, source,
/// confidence)` of varints: the step from the previous mention's document,
/// and the start from the previous mention's end in the same document (or
/// from 0 in a new one). Mentions are sorted and disjoint, so the steps are
/// small and the file is about half the size of plain offsets.
struct StoredMentions(Vec<Mention>);

impl<'de> Deserialize<'de> for StoredMentions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq;
        impl<'de> serde::de::Visitor<'de> for Seq {
            type Value = StoredMentions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence of mentions")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StoredMentions, A::Error> {
                // The length is the file's word: it is not trusted with
                // more than a modest first allocation.
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                let (mut doc, mut at) = (0u32, 0u32);
                let overflow = || serde::de::Error::custom("a mention past the end of the corpus");
                while let Some((doc_step, start_step, len, entity, source, confidence)) =
                    seq.next_element::<(u32, u32, u32, u32, Source, u8)>()?
                {
                    if doc_step > 0 {
                        doc = doc.checked_add(doc_step).ok_or_else(overflow)?;
                        at = 0;
                    }
                    let start = at.checked_add(start_step).ok_or_else(overflow)?;
                    let end = start.checked_add(len).ok_or_else(overflow)?;
                    at = end;
                    out.push(Mention {
                        doc,
                        start,
                        end,
                        entity,
                        source,
                        confidence,
                    });
                }
                Ok(StoredMentions(out))
            }
        }
        d.deserialize_seq(Seq)
    }
}

/// The mentions as written: a sequence of [`StoredMention`]s, not copied.
struct MentionsRef<'a>(&'a [Mention]);

impl Serialize for MentionsRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // See `StoredMentions`. `store` writes only sorted, disjoint
        // mentions, so no step is negative.
        let (mut doc, mut at) = (0u32, 0u32);
        s.collect_seq(self.0.iter().map(|m| {
            let doc_step = m.doc.saturating_sub(doc);
            if doc_step > 0 {
                at = 0;
            }
            let start_step = m.start.saturating_sub(at);
            doc = m.doc;
            at = m.end;
            (
                doc_step,
                start_step,
                m.end.saturating_sub(m.start),
                m.entity,
                m.source,
                m.confidence,
            )
        }))
    }
}

/// A cache file's contents.
#[derive(Deserialize)]
struct Payload {
    key: Key,
    files: Vec<FileRecord>,
    entities: Vec<StoredEntity>,
    mentions: StoredMentions,
    form_names: Vec<String>,
    forms: Vec<u32>,
}

/// The same, as written.
#[derive(Serialize)]
struct PayloadRef<'a> {
    key: &'a Key,
    files: &'a [FileRecord],
    entities: Vec<EntityRef<'a>>,
    mentions: MentionsRef<'a>,
    form_names: &'a [Box<str>],
    forms: &'a [u32],
}

/// A cache file, read and checked, but not yet matched with a corpus.
pub struct Cached {
    payload: Payload,
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
/// ([`Cached::analysis`]).
pub fn read(path: &Path) -> Result<Cached, Miss> {
    let bytes = match files::read_regular(path, u64::MAX >> 1) {
        Ok(b) => b,
        Err(files::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Miss::Absent);
        }
        Err(e) => return Err(Miss::Unreadable(e.to_string())),
    };
    let invalid = |why: &str| Miss::Invalid(why.to_string());
    let rest = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or_else(|| invalid("not a dossier cache file"))?;
    let (head, payload) = rest
        .split_at_checked(12)
        .ok_or_else(|| invalid("truncated"))?;
    let format = u32::from_le_bytes(head[..4].try_into().unwrap_or_default());
    if format != FORMAT {
        return Err(Miss::Invalid(format!(
            "written by another version (format {format})"
        )));
    }
    let sum = u64::from_le_bytes(head[4..12].try_into().unwrap_or_default());
    if checksum(payload) != sum {
        return Err(invalid("damaged: its checksum does not match"));
    }
    let payload: Payload =
        postcard::from_bytes(payload).map_err(|e| Miss::Invalid(e.to_string()))?;
    if payload.key.engine != engine() {
        // Another build: its file records may not be what this one reads.
        return Err(Miss::Stale);
    }
    Ok(Cached { payload })
}

impl Cached {
    /// What each file was when it was read, for
    /// [`crate::corpus::load_path_reusing`].
    pub fn files(&self) -> &[FileRecord] {
        &self.payload.files
    }

    /// The analysis and the mentions' forms, if they were computed for
    /// `key`; they must fit `corpus`.
    pub fn analysis(self, key: &Key, corpus: &Corpus) -> Result<(Analysis, Forms), Miss> {
        let p = self.payload;
        if &p.key != key {
            return Err(Miss::Stale);
        }
        let invalid = |why: &str| Miss::Invalid(why.to_string());
        let entities: Vec<Entity> = p
            .entities
            .into_iter()
            .map(|e| Entity {
                id: e.id,
                name: e.name,
                kind: e.kind,
                aliases: e.aliases,
                description: e.description,
                external: e.external.into_iter().collect(),
            })
            .collect();
        let mentions = p.mentions.0;
        let mut last = (0u32, 0u32);
        for &Mention {
            doc,
            start,
            end,
            entity,
            ..
        } in &mentions
        {
            // Sorted, disjoint, within its document, on char boundaries, of a
            // known entity: or not used at all. A text not in memory is not
            // read to check the boundaries: its length and content hash are
            // part of the key, and a text read later that is not the one
            // indexed is replaced by a notice of the same length in ASCII
            // (see `corpus::Text`).
            let text = corpus.docs.get(doc as usize).map(|d| &d.text);
            let fits = text.is_some_and(|t| {
                start < end
                    && (end as usize) <= t.len()
                    && (!t.is_held()
                        || (t.is_char_boundary(start as usize) && t.is_char_boundary(end as usize)))
            }) && (entity as usize) < entities.len()
                && (doc, start) >= last;
            if !fits {
                return Err(invalid("its mentions do not fit the corpus"));
            }
            last = (doc, end);
        }
        let forms = Forms::from_parts(p.form_names, p.forms, mentions.len())
            .ok_or_else(|| invalid("its forms do not fit its mentions"))?;
        Ok((Analysis { entities, mentions }, forms))
    }
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
    let payload = PayloadRef {
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
            })
            .collect(),
        mentions: MentionsRef(&analysis.mentions),
        form_names: forms.names(),
        forms: forms.ids(),
    };
    let body = postcard::to_stdvec(&payload)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))?;
    files::write_private_with(path, |w| {
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT.to_le_bytes())?;
        w.write_all(&checksum(&body).to_le_bytes())?;
        w.write_all(&body)
    })
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

/// A checksum of the payload: FxHash of its bytes, length included.
fn checksum(bytes: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_usize(bytes.len());
    h.write(bytes);
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

    #[test]
    fn round_trip_and_mentions_that_do_not_fit_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.index");
        let c = corpus("Report\n\nThe TTP met ISKP in Kabul.\n");
        let kb = KnowledgeBase::default_kb();
        let key = Key::new(&c, &kb);
        let analysis = Engine::new(kb.clone()).analyse(&c);
        assert!(!analysis.mentions.is_empty());
        let forms = Forms::of(&c, &analysis.mentions);
        let load = |key: &Key, c: &Corpus| read(&path).and_then(|x| x.analysis(key, c));
        store(&path, &key, &[], &analysis, &forms).unwrap();
        let (back, back_forms) = load(&key, &c).unwrap();
        assert_eq!(back.mentions, analysis.mentions);
        assert_eq!(back.entities, analysis.entities);
        assert_eq!(back_forms, forms);
        assert!((0..forms.len()).any(|i| forms.get(i) == "TTP"));
        // A valid file whose mentions lie outside the texts is not used.
        let mut bad = analysis.clone();
        if let Some(m) = bad.mentions.last_mut() {
            m.end = 10_000;
        }
        store(&path, &key, &[], &bad, &forms).unwrap();
        assert!(matches!(load(&key, &c), Err(Miss::Invalid(_))));
        // Forms that do not fit the mentions are refused too.
        store(&path, &key, &[], &analysis, &Forms::default()).unwrap();
        assert!(matches!(load(&key, &c), Err(Miss::Invalid(_))));
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
