//! A document's text: held in memory, or read again from its file when it is
//! first used.
//!
//! The engine needs every text once; after that, a reader of 100,000 articles
//! needs only the few a person opens. An index built from the cache, or kept
//! after an analysis, therefore holds each text *lazily*: its length and
//! content hash, and where it came from. [`Text`] dereferences to `str`, so a
//! document is read as before; the first use of a lazy text parses its file
//! again and keeps the result. Bulk passes (search, export, every mention of
//! an entity) use [`Text::fetch`] instead, which reads without keeping.
//!
//! A file that changed or vanished since it was indexed cannot give the text
//! the offsets were computed on. It is never trusted: the text is replaced by
//! a notice of the same length in ASCII, so that every offset still falls on
//! a character boundary, and [`Text::trouble`] says what happened.

use std::borrow::Cow;
use std::hash::Hasher;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Where a lazy text comes from: the `record`-th document parsed from the
/// file `path` (relative to the corpus root, which picks the format), found
/// at `file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub file: PathBuf,
    pub rel: String,
    pub record: u32,
}

/// A document's text (see the module documentation).
pub struct Text {
    held: OnceLock<Box<str>>,
    len: usize,
    hash: u64,
    origin: Option<Arc<Origin>>,
    /// Where a copy of it was written while the corpus is indexed (see
    /// [`Spill`]): read from there, not parsed from its file again.
    spilled: Option<(Arc<Spill>, u64)>,
    trouble: OnceLock<String>,
}

/// A private scratch file that holds a large corpus's texts while it is
/// indexed, so that the engine keeps only one document's text at a time
/// per core in memory instead of all of them.
///
/// The file has no name (see [`crate::files::scratch_file`]: 0600, and
/// unlinked as it is created), and goes when the last text
/// that points into it is dropped. Reading a text back is a copy out of
/// the page cache, which the system may reclaim, unlike the process's own
/// memory.
#[derive(Debug)]
pub struct Spill {
    file: std::fs::File,
    /// Where the next text goes.
    end: std::sync::atomic::AtomicU64,
}

impl Spill {
    /// A new scratch file in `dir`, or in the system's temporary
    /// directory.
    pub fn new_in(dir: Option<&std::path::Path>) -> std::io::Result<Spill> {
        let file = crate::files::scratch_file(dir)?;
        Ok(Spill {
            file,
            end: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Writes `bytes` after the texts already there (from any thread) and
    /// says where they start.
    fn append(&self, bytes: &[u8]) -> std::io::Result<u64> {
        use std::os::unix::fs::FileExt;
        let at = self
            .end
            .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        self.file.write_all_at(bytes, at)?;
        Ok(at)
    }

    fn read_at(&self, at: u64, len: usize) -> std::io::Result<String> {
        use std::os::unix::fs::FileExt;
        let mut buf = vec![0u8; len];
        self.file.read_exact_at(&mut buf, at)?;
        String::from_utf8(buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// The content hash of a text: what tells an unchanged file from a changed
/// one, in the index cache and when a lazy text is read again.
pub fn content_hash(text: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.write_usize(text.len());
    h.finish()
}

impl Text {
    /// A text held in memory.
    pub fn new(text: String) -> Text {
        let hash = content_hash(&text);
        Text::held_with(text.into_boxed_str(), hash, None)
    }

    fn held_with(text: Box<str>, hash: u64, origin: Option<Arc<Origin>>) -> Text {
        let len = text.len();
        let held = OnceLock::new();
        let _ = held.set(text);
        Text {
            held,
            len,
            hash,
            origin,
            spilled: None,
            trouble: OnceLock::new(),
        }
    }

    /// A text of `len` bytes with content hash `hash`, read from `origin`
    /// when first used.
    pub fn lazy(len: usize, hash: u64, origin: Origin) -> Text {
        Text {
            held: OnceLock::new(),
            len,
            hash,
            origin: Some(Arc::new(origin)),
            spilled: None,
            trouble: OnceLock::new(),
        }
    }

    /// Writes the text to `spill` and lets it go from memory: from then on
    /// it is read back from there when used. A text not in memory is read
    /// from its file first; one already spilled stays where it is. On an
    /// error the text is left as it was.
    pub fn spill(&mut self, spill: &Arc<Spill>) -> std::io::Result<()> {
        if self.is_spilled() {
            return Ok(());
        }
        let text = self.fetch();
        if self.trouble().is_some() {
            // Its file changed: the notice is kept, with what happened.
            drop(text);
            self.hold();
            return Ok(());
        }
        let at = spill.append(text.as_bytes())?;
        drop(text);
        *self = Text {
            held: OnceLock::new(),
            len: self.len,
            hash: self.hash,
            origin: self.origin.clone(),
            spilled: Some((Arc::clone(spill), at)),
            trouble: OnceLock::new(),
        };
        Ok(())
    }

    /// Is it read from a [`Spill`] when used?
    pub fn is_spilled(&self) -> bool {
        self.spilled.is_some() && !self.is_held()
    }

    /// The same text, remembering where it came from.
    pub fn with_origin(mut self, origin: Origin) -> Text {
        self.origin = Some(Arc::new(origin));
        self
    }

    /// Its length in bytes, without reading it.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Its content hash ([`content_hash`](fn@content_hash)), without reading it.
    pub fn content_hash(&self) -> u64 {
        self.hash
    }

    /// Where it comes from, if it has a file to come back to.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_deref()
    }

    /// Is it in memory?
    pub fn is_held(&self) -> bool {
        self.held.get().is_some()
    }

    /// Why the text could not be read as it was indexed (the file changed
    /// or vanished), once a read has been tried.
    pub fn trouble(&self) -> Option<&str> {
        self.trouble.get().map(String::as_str)
    }

    /// A lazy copy: the same text, not held, read from its origin when used.
    /// `None` for a text that has no file to come back to (the bundled
    /// seeds, a test's text).
    pub fn to_lazy(&self) -> Option<Text> {
        Some(Text {
            held: OnceLock::new(),
            len: self.len,
            hash: self.hash,
            origin: Some(Arc::clone(self.origin.as_ref()?)),
            spilled: None,
            trouble: OnceLock::new(),
        })
    }

    /// The text, without keeping it: borrowed when it is held, otherwise
    /// read from its file for this use only.
    pub fn fetch(&self) -> Cow<'_, str> {
        match self.held.get() {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(self.read().into_string()),
        }
    }

    /// Bytes `range` of the text, without keeping it: only they are read
    /// from a spill. Empty when `range` is not on character boundaries
    /// within the text.
    pub fn fetch_range(&self, range: std::ops::Range<usize>) -> Cow<'_, str> {
        if let Some(t) = self.held.get() {
            return Cow::Borrowed(t.get(range).unwrap_or(""));
        }
        if let Some((spill, at)) = &self.spilled
            && range.start <= range.end
            && range.end <= self.len
            && let Ok(t) = spill.read_at(at + range.start as u64, range.len())
        {
            return Cow::Owned(t);
        }
        Cow::Owned(self.fetch().get(range).unwrap_or("").to_string())
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        match self.held.into_inner() {
            Some(t) => t.into_string(),
            None => {
                let t = Text {
                    held: OnceLock::new(),
                    ..self
                };
                t.read().into_string()
            }
        }
    }

    /// Reads the text now, if it is not in memory, and keeps it.
    pub fn hold(&mut self) {
        let _ = self.as_str();
    }

    /// The text as a `&str`, reading and keeping it on first use.
    pub fn as_str(&self) -> &str {
        self.held.get_or_init(|| self.read())
    }

    /// Reads the text from its spill or its origin; a notice of the same
    /// length when that is no longer the text that was indexed.
    fn read(&self) -> Box<str> {
        if let Some((spill, at)) = &self.spilled
            && let Ok(t) = spill.read_at(*at, self.len)
        {
            return t.into_boxed_str();
        }
        let result = match &self.origin {
            Some(origin) => super::load::reread(origin).and_then(|t| {
                if t.len() == self.len && content_hash(&t) == self.hash {
                    Ok(t)
                } else {
                    Err(format!(
                        "{} changed on disk after it was indexed; open the corpus again to re-index it",
                        origin.rel
                    ))
                }
            }),
            None => Err("the text is not available".to_string()),
        };
        match result {
            Ok(t) => t.into_boxed_str(),
            Err(why) => {
                let notice = format!("[{why}] ");
                let _ = self.trouble.set(why);
                notice_of_len(&notice, self.len).into_boxed_str()
            }
        }
    }
}

/// `notice` (ASCII) repeated and cut to exactly `len` bytes.
fn notice_of_len(notice: &str, len: usize) -> String {
    let ascii: String = notice
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_ascii_control() {
                c
            } else {
                '?'
            }
        })
        .collect();
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let take = (len - out.len()).min(ascii.len());
        out.push_str(&ascii[..take]);
    }
    out
}

impl Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::new(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::new(s.to_string())
    }
}

impl Clone for Text {
    fn clone(&self) -> Text {
        match self.held.get() {
            Some(t) => Text::held_with(t.clone(), self.hash, self.origin.clone()),
            None => Text {
                held: OnceLock::new(),
                len: self.len,
                hash: self.hash,
                origin: self.origin.clone(),
                spilled: self.spilled.clone(),
                trouble: OnceLock::new(),
            },
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.len == other.len && self.hash == other.hash && *self.fetch() == *other.fetch()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.len == other.len() && *self.fetch() == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        other == self
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        other == self
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        other == self
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.fetch())
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.held.get() {
            Some(t) => std::fmt::Debug::fmt(&**t, f),
            None => write!(f, "<{} bytes, not read>", self.len),
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_keeps_the_length_and_char_boundaries() {
        for len in [0, 1, 5, 40, 1000] {
            let n = notice_of_len("[gone – really] ", len);
            assert_eq!(n.len(), len);
            assert!(n.is_ascii());
        }
    }

    #[test]
    fn held_text_derefs_and_compares() {
        let t = Text::new("Pakistan".to_string());
        assert_eq!(&t[..3], "Pak");
        assert_eq!(t.len(), 8);
        assert!(t.is_held());
        assert_eq!(t, Text::from("Pakistan"));
        assert_ne!(t, Text::from("Pakistani"));
        assert!(t.to_lazy().is_none(), "no origin, nothing to come back to");
    }

    #[test]
    fn a_spilled_text_is_read_back_from_its_spill_without_being_kept() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Arc::new(Spill::new_in(Some(dir.path())).unwrap());
        // Nothing is left in the directory: the scratch file has no name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let words = "Ölçü – the TTP’s “spokesman” said.";
        let mut a = Text::new("First text, spilled first.".to_string());
        let mut b = Text::new(words.to_string());
        let hash = b.content_hash();
        a.spill(&spill).unwrap();
        b.spill(&spill).unwrap();
        assert!(a.is_spilled() && b.is_spilled());
        assert_eq!((b.len(), b.content_hash()), (words.len(), hash));
        assert_eq!(&*b.fetch(), words);
        assert_eq!(&*a.fetch(), "First text, spilled first.");
        let ttp = words.find("TTP").unwrap();
        assert_eq!(b.fetch_range(ttp..ttp + 3), "TTP");
        // Not on a character boundary: nothing, not a panic.
        assert_eq!(b.fetch_range(1..2), "");
        assert_eq!(b.fetch_range(3..200), "");
        assert!(b.is_spilled(), "fetch reads without keeping");
        // A clone reads from the same place; spilling again moves nothing.
        let c = b.clone();
        assert_eq!(c, words);
        b.spill(&spill).unwrap();
        assert_eq!(&*b.fetch(), words);
        // Deref keeps it, as for a text read from its file.
        assert_eq!(&b[..], words);
        assert!(b.is_held() && !b.is_spilled());
        // Without a file to come back to there is no lazy copy, spill or not.
        assert!(a.to_lazy().is_none());
        // Dropping every text that points into it closes the scratch file.
        drop((a, b, c));
        assert_eq!(Arc::strong_count(&spill), 1);
    }

    /// A file `a.txt` in `dir` holding [`TEXT`], and where it is.
    fn file_of_text(dir: &std::path::Path) -> (PathBuf, Origin) {
        let file = dir.join("a.txt");
        std::fs::write(&file, TEXT).unwrap();
        let origin = Origin {
            file: file.clone(),
            rel: "a.txt".into(),
            record: 0,
        };
        (file, origin)
    }

    const TEXT: &str = "Title\n\nThe TTP said so.\n";

    #[test]
    fn the_lazy_copy_of_a_spilled_text_reads_its_file_not_the_spill() {
        let dir = tempfile::tempdir().unwrap();
        let (file, origin) = file_of_text(dir.path());
        let spill = Arc::new(Spill::new_in(None).unwrap());
        let mut t = Text::new("Title\n\nThe TTP said so.\n".into()).with_origin(origin.clone());
        t.spill(&spill).unwrap();
        let lazy = t.to_lazy().unwrap();
        assert!(!lazy.is_spilled() && !lazy.is_held());
        assert_eq!(lazy.origin(), Some(&origin));
        drop(t);
        assert_eq!(
            Arc::strong_count(&spill),
            1,
            "the lazy copy reads the file, not the spill"
        );
        assert_eq!(lazy, "Title\n\nThe TTP said so.\n");

        // A text whose file changed before it was spilled keeps its notice
        // and says why, as a held one would.
        let stale = lazy.to_lazy().unwrap();
        std::fs::write(&file, "Title\n\nThe IMF said so.\n").unwrap();
        let mut stale = stale;
        stale.spill(&spill).unwrap();
        assert!(!stale.is_spilled());
        assert!(stale.trouble().unwrap().contains("changed on disk"));
        assert!(!stale.contains("IMF"));
    }

    #[test]
    fn lazy_text_reads_its_file_once_and_checks_it() {
        let dir = tempfile::tempdir().unwrap();
        let (file, origin) = file_of_text(dir.path());
        let held = Text::new("Title\n\nThe TTP said so.\n".into()).with_origin(origin);
        let lazy = held.to_lazy().unwrap();
        assert!(!lazy.is_held());
        assert_eq!(lazy.len(), held.len());
        // fetch() reads without keeping; deref keeps.
        assert_eq!(&*lazy.fetch(), &*held);
        assert!(!lazy.is_held());
        assert_eq!(&lazy[11..14], "TTP");
        assert!(lazy.is_held());
        assert_eq!(lazy.trouble(), None);

        // Changed on disk (same length even): a notice, never the new text.
        std::fs::write(&file, "Title\n\nThe IMF said so.\n").unwrap();
        let stale = held.to_lazy().unwrap();
        assert_eq!(stale.len(), held.len());
        assert!(!stale.contains("IMF"));
        assert!(stale.is_ascii());
        assert!(stale.trouble().unwrap().contains("changed on disk"));

        // Vanished.
        std::fs::remove_file(&file).unwrap();
        let gone = held.to_lazy().unwrap();
        assert_eq!(gone.as_str().len(), held.len());
        assert!(gone.trouble().is_some());
    }
}
