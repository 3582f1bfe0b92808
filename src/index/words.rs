//! Which documents may contain a text: the corpus's word signatures
//! ([`WordSignatures`]), made from the texts once and kept beside the index
//! cache, so that linking a text everywhere, or counting where it occurs,
//! reads only the documents that may have every word of it instead of the
//! whole corpus.
//!
//! The words are those the matcher sees ([`each_word_hash`]): a document
//! whose filter lacks one of a text's words cannot contain the text, so the
//! documents left out are certain, and the matcher then reads the few that
//! are left.

use crate::corpus::{Corpus, WordSignatures};
use crate::entity::DocId;
use crate::entity::normalize::{each_word_hash, key};
use crate::files;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// Documents signed per task: big enough to keep a core busy, small enough
/// to spread the work over both.
const CHUNK: usize = 256;

/// The signatures of every document of `corpus`, in order, made on every
/// core. A text not in memory is read for this only.
pub fn build(corpus: &Corpus) -> WordSignatures {
    build_from(corpus, &WordSignatures::default(), &[])
}

/// [`build`], copying the signature of each document that `same` says was
/// document `same[d]` of the corpus signed in `earlier` (its text the
/// same) instead of reading its text.
pub fn build_from(
    corpus: &Corpus,
    earlier: &WordSignatures,
    same: &[Option<DocId>],
) -> WordSignatures {
    use rayon::prelude::*;
    let parts: Vec<WordSignatures> = corpus
        .docs
        .par_chunks(CHUNK)
        .enumerate()
        .map(|(c, docs)| {
            let mut part = WordSignatures::default();
            let mut hashes = Vec::new();
            for (i, d) in docs.iter().enumerate() {
                let was = same.get(c * CHUNK + i).copied().flatten();
                if was.is_some_and(|o| part.push_copy(earlier, o as usize)) {
                    continue;
                }
                hashes.clear();
                each_word_hash(&d.text.fetch(), |h| hashes.push(h));
                part.push(&hashes);
            }
            part
        })
        .collect();
    let mut all = WordSignatures::default();
    for p in parts {
        all.extend(p);
    }
    all
}

/// The hashes of the words of `text` as a name (its [`key`]); empty when it
/// has none.
fn words_of(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    each_word_hash(&key(text), |h| out.push(h));
    out.sort_unstable();
    out.dedup();
    out
}

/// The documents that may contain `text` as the matcher finds it, in
/// order: every document when the corpus has no signatures (or not for
/// every document) or `text` has no word.
pub fn docs_to_search(corpus: &Corpus, text: &str) -> Vec<DocId> {
    let all = || (0..corpus.docs.len() as DocId).collect();
    let Some(sigs) = corpus.words.get() else {
        return all();
    };
    let words = words_of(text);
    if words.is_empty() || sigs.len() != corpus.docs.len() {
        return all();
    }
    (0..corpus.docs.len())
        .filter(|&d| sigs.may_contain_all(d, &words))
        .map(|d| d as DocId)
        .collect()
}

/// The first bytes of a signatures file.
const MAGIC: &[u8; 14] = b"dossier-words\n";
/// Its format; bump it when [`WordSignatures::to_bytes`] or the hashing of
/// words changes.
const FORMAT: u32 = 1;

/// Where the signatures of the corpus cached at `cache` are kept: beside
/// it.
pub fn path_beside(cache: &Path) -> PathBuf {
    let mut name = cache.file_name().unwrap_or_default().to_os_string();
    name.push(".words");
    cache.with_file_name(name)
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(bytes);
    h.write_usize(bytes.len());
    h.finish()
}

/// Writes `sigs` for the corpus whose cache key's fingerprint is `corpus`
/// (see [`super::cache::Key`]): 0600, by temporary file and rename, in the
/// cache's private directory.
pub fn store(path: &Path, corpus: u64, sigs: &WordSignatures) -> std::io::Result<()> {
    let body = sigs.to_bytes();
    files::write_private_with(path, |w| {
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT.to_le_bytes())?;
        w.write_all(&corpus.to_le_bytes())?;
        w.write_all(&checksum(&body).to_le_bytes())?;
        w.write_all(&body)
    })
}

/// Reads the signatures at `path` if they were written by this format for
/// the corpus fingerprinted `corpus`, for `docs` documents, and are
/// undamaged; `None` otherwise (the caller then searches every document).
pub fn read(path: &Path, corpus: u64, docs: usize) -> Option<WordSignatures> {
    let bytes = files::read_regular(path, 1 << 34).ok()?;
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let (format, rest) = rest.split_first_chunk::<4>()?;
    let (fingerprint, rest) = rest.split_first_chunk::<8>()?;
    let (sum, body) = rest.split_first_chunk::<8>()?;
    if u32::from_le_bytes(*format) != FORMAT
        || u64::from_le_bytes(*fingerprint) != corpus
        || u64::from_le_bytes(*sum) != checksum(body)
    {
        return None;
    }
    WordSignatures::from_bytes(body).filter(|s| s.len() == docs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::Source;
    use crate::entity::matcher::{MatcherBuilder, Target};

    fn corpus(texts: &[&str]) -> Corpus {
        let files: Vec<(String, Vec<u8>)> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("d{i:02}.txt"), t.as_bytes().to_vec()))
            .collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        load_embedded("test", &refs)
    }

    /// The documents the matcher finds `text` in, read one by one.
    fn found_in(c: &Corpus, text: &str) -> Vec<DocId> {
        let mut b = MatcherBuilder::new();
        b.add(text, Target::for_alias(text, 0, Source::Annotation, 100));
        let m = b.build();
        (0..c.docs.len() as DocId)
            .filter(|&d| !m.find_all(&c.docs[d as usize].text).is_empty())
            .collect()
    }

    #[test]
    fn only_documents_that_may_have_every_word_are_searched() {
        let texts = [
            "The Tehreek-e-Taliban Pakistan claimed it.",
            "Talks in Doha; nothing on Pakistan.",
            "ZARB-E-AZB began in North Waziristan.",
            "Operation Zarb e Azb, said the ISPR.",
            "Café Peshawar, Ça va. Émigrés returned.",
            "Nothing here at all.",
        ];
        let c = corpus(&texts);
        assert_eq!(docs_to_search(&c, "Zarb-e-Azb").len(), c.docs.len());
        c.words.set(build(&c));
        for text in [
            "Zarb-e-Azb",
            "Tehrik-e-Taliban Pakistan",
            "Pakistan",
            "cafe peshawar",
            "Emigres",
            "North Waziristan",
        ] {
            let searched = docs_to_search(&c, text);
            let found = found_in(&c, text);
            assert!(
                found.iter().all(|d| searched.contains(d)),
                "{text}: found in {found:?}, searched only {searched:?}"
            );
        }
        assert_eq!(docs_to_search(&c, "Zarb-e-Azb"), [2, 3]);
        assert_eq!(docs_to_search(&c, "Émigrés"), [4]);
        assert!(docs_to_search(&c, "Lashkar-e-Jhangvi").len() <= 1);
        // A text with no word at all: every document.
        assert_eq!(docs_to_search(&c, "--").len(), c.docs.len());
    }

    #[test]
    fn the_file_round_trips_and_is_refused_for_another_corpus_or_damage() {
        let dir = tempfile::tempdir().unwrap();
        let c = corpus(&["One text.", "Another text, longer than the first."]);
        let sigs = build(&c);
        let path = path_beside(&dir.path().join("abc.cache"));
        assert!(path.ends_with("abc.cache.words"));
        store(&path, 7, &sigs).unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(read(&path, 7, 2), Some(sigs.clone()));
        assert_eq!(read(&path, 8, 2), None, "another corpus");
        assert_eq!(read(&path, 7, 3), None, "another document count");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(read(&path, 7, 2), None, "damaged");
        assert_eq!(read(&dir.path().join("absent"), 7, 2), None);
    }
}
