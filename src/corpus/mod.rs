//! Documents and the loaders that turn files into them.
//!
//! Every position in the program is a byte range into [`Document::text`], the
//! text exactly as loaded (after decoding). Nothing rewrites it: boilerplate is
//! marked as ranges, never cut out.

use std::ops::Range;
use std::path::PathBuf;

/// One article of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// Stable id: the path relative to the corpus root (with `/` separators),
    /// plus `#N` (1-based line number) for a line of a JSON Lines file.
    pub id: String,
    /// The path relative to the corpus root, `/`-separated.
    pub path: String,
    /// A headline, or the opening words of the first sentence.
    pub title: String,
    /// The text as loaded. All offsets point into it. It may be read from
    /// its file only when first used (see [`Text`]).
    pub text: Text,
    /// Byte ranges of boilerplate (sign-ups, bios, related-links blocks, stray
    /// CSS) that a reader dims. Sorted and disjoint.
    pub boilerplate: Vec<Range<usize>>,
    /// Optional metadata carried by some formats (JSON Lines).
    pub url: Option<String>,
    /// When the article was published, and where that was found (see
    /// [`date`]).
    pub date: Option<DocDate>,
}

impl Document {
    /// Its metadata, with an empty text.
    fn without_text(&self) -> Document {
        Document {
            id: self.id.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            text: Text::new(String::new()),
            boilerplate: self.boilerplate.clone(),
            url: self.url.clone(),
            date: self.date.clone(),
        }
    }
}

/// A file that was passed over, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// A problem that did not stop a file from loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: PathBuf,
    pub message: String,
}

/// The loaded corpus.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Where it was loaded from (`<bundled seeds>` for the embedded corpus).
    pub root: PathBuf,
    /// Documents in a deterministic order: by id, in natural order
    /// ([`crate::text::natural_cmp`]: `Copy 2` before `Copy 10`).
    pub docs: Vec<Document>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// The documents' word signatures, once made (see [`words`]): shared
    /// by every copy of the corpus, lazy or not.
    pub words: WordSlot,
}

/// Where a corpus keeps its [`WordSignatures`]: empty until they are made
/// or first asked for (then read by the loader given to
/// [`WordSlot::load_with`]), and set once for every copy that shares the
/// slot.
#[derive(Clone, Default)]
pub struct WordSlot(std::sync::Arc<WordSlotInner>);

/// Reads or makes the signatures when they are first asked for.
pub type WordLoader = Box<dyn FnOnce() -> Option<WordSignatures> + Send>;

#[derive(Default)]
struct WordSlotInner {
    words: std::sync::OnceLock<Option<WordSignatures>>,
    loader: std::sync::Mutex<Option<WordLoader>>,
}

impl std::fmt::Debug for WordSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.0.words.get() {
            Some(Some(w)) => format!("{} documents", w.len()),
            Some(None) => "unavailable".to_string(),
            None => "not yet".to_string(),
        };
        write!(f, "WordSlot({state})")
    }
}

impl WordSlot {
    /// The signatures: set, or read now by the loader (once; a caller that
    /// comes meanwhile waits for it). `None` when there are none.
    pub fn get(&self) -> Option<&WordSignatures> {
        if let Some(w) = self.0.words.get() {
            return w.as_ref();
        }
        let mut loader = self.0.loader.lock().ok()?;
        if self.0.words.get().is_none() {
            let load = loader.take()?;
            let _ = self.0.words.set(load());
        }
        drop(loader);
        self.0.words.get()?.as_ref()
    }

    /// Sets the signatures; `false` when they were set already.
    pub fn set(&self, words: WordSignatures) -> bool {
        self.0.words.set(Some(words)).is_ok()
    }

    /// Gives the slot a way to read or make the signatures when they are
    /// first asked for (and not before: a restart reads none of them).
    pub fn load_with(&self, loader: WordLoader) {
        if let Ok(mut slot) = self.0.loader.lock() {
            *slot = Some(loader);
        }
    }
}

mod boilerplate;
pub mod date;
mod html;
mod jsonl;
mod load;
mod text;
mod title;
pub mod words;

pub use words::WordSignatures;

pub use boilerplate::find_boilerplate;
pub use date::{DateSource, DocDate};
pub use html::{decode_entities, extract_html};
pub use load::{
    CorpusError, DocMeta, FileRecord, Listing, MAX_FILE_BYTES, Reuse, Stamp, list_path,
    load_embedded, load_listing, load_path, load_path_listing, load_path_reusing, max_file_bytes,
    parse_file, parse_size, set_max_file_bytes,
};
pub use text::{Origin, Spill, Text, content_hash};
pub use title::derive_title;

impl Corpus {
    /// Reads every text that is not in memory (in parallel), so that a
    /// pass over the whole corpus does not read them one at a time.
    pub fn hold_texts(&mut self) {
        use rayon::prelude::*;
        self.docs.par_iter_mut().for_each(|d| d.text.hold());
    }

    /// Moves every text into `spill` (see [`Spill`]), reading from its file
    /// first any text not in memory. On an error the texts not yet moved
    /// are held in memory instead, as [`Corpus::hold_texts`] does: nothing
    /// is lost, only the memory is not saved.
    pub fn spill_texts(&mut self, spill: &std::sync::Arc<Spill>) -> std::io::Result<()> {
        use rayon::prelude::*;
        let result = self
            .docs
            .par_iter_mut()
            .with_min_len(16)
            .map(|d| d.text.spill(spill))
            .find_any(Result::is_err)
            .unwrap_or(Ok(()));
        if result.is_err() {
            self.hold_texts();
        }
        result
    }

    /// The same corpus with every text left on disk, read again when used
    /// (see [`Text`]); `None` when some text has no file to come back to
    /// (the bundled seeds).
    pub fn lazy_copy(&self) -> Option<Corpus> {
        let docs = self
            .docs
            .iter()
            .map(|d| {
                Some(Document {
                    text: d.text.to_lazy()?,
                    ..d.without_text()
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Corpus {
            root: self.root.clone(),
            docs,
            skipped: self.skipped.clone(),
            warnings: self.warnings.clone(),
            words: self.words.clone(),
        })
    }

    /// One line summarising the skipped files, grouped by reason (most
    /// frequent first), e.g. `skipped 3 files: 2 binary file (NUL bytes), 1
    /// empty file`. `None` when nothing was skipped.
    pub fn skipped_summary(&self) -> Option<String> {
        if self.skipped.is_empty() {
            return None;
        }
        let mut counts: Vec<(String, usize)> = Vec::new();
        for s in &self.skipped {
            let key = reason_group(&s.reason);
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let n = self.skipped.len();
        let parts: Vec<String> = counts.iter().map(|(k, c)| format!("{c} {k}")).collect();
        Some(format!(
            "skipped {n} file{}: {}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        ))
    }
}

/// Groups reasons that differ only in details (sizes, io error text).
fn reason_group(reason: &str) -> String {
    if reason.starts_with("too large") {
        "too large (limit 64 MiB)".to_string()
    } else if reason.starts_with("no valid JSON Lines records") {
        "no valid JSON Lines records".to_string()
    } else if reason.starts_with("cannot read directory") {
        "unreadable directory".to_string()
    } else if reason.starts_with("broken symlink") {
        "broken symlink".to_string()
    } else {
        reason.to_string()
    }
}

#[cfg(test)]
mod summary_tests {
    use super::*;

    fn skip(path: &str, reason: &str) -> Skipped {
        Skipped {
            path: PathBuf::from(path),
            reason: reason.to_string(),
        }
    }

    #[test]
    fn summary_groups_reasons() {
        let mut c = Corpus::default();
        assert_eq!(c.skipped_summary(), None);
        c.skipped.push(skip("a", "empty file"));
        assert_eq!(
            c.skipped_summary().as_deref(),
            Some("skipped 1 file: 1 empty file")
        );
        c.skipped.push(skip("b", "binary file (NUL bytes)"));
        c.skipped.push(skip("c", "binary file (NUL bytes)"));
        c.skipped
            .push(skip("d", "too large (70 MiB; limit 64 MiB)"));
        c.skipped
            .push(skip("e", "too large (99 MiB; limit 64 MiB)"));
        c.skipped.push(skip("f", "Permission denied (os error 13)"));
        assert_eq!(
            c.skipped_summary().as_deref(),
            Some(
                "skipped 6 files: 2 binary file (NUL bytes), 2 too large (limit 64 MiB), \
                 1 Permission denied (os error 13), 1 empty file"
            )
        );
    }
}

#[cfg(test)]
mod word_slot_tests {
    use super::*;

    #[test]
    fn word_signatures_are_loaded_once_and_only_when_asked_for() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let calls = std::sync::Arc::new(AtomicUsize::new(0));
        let slot = WordSlot::default();
        assert!(slot.get().is_none(), "no signatures and no loader");
        let counted = std::sync::Arc::clone(&calls);
        slot.load_with(Box::new(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut w = WordSignatures::default();
            w.push(&[1, 2, 3]);
            Some(w)
        }));
        assert_eq!(calls.load(Ordering::SeqCst), 0, "not before it is asked");
        let copy = slot.clone();
        assert_eq!(copy.get().map(WordSignatures::len), Some(1));
        assert_eq!(slot.get().map(WordSignatures::len), Some(1));
        assert_eq!(calls.load(Ordering::SeqCst), 1, "once, for every copy");
        assert!(!slot.set(WordSignatures::default()), "set once");
    }
}
