//! Loading a corpus from disk or from embedded files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::boilerplate::find_boilerplate;
use super::date::{DateSource, DocDate, date_in_text, date_of_unix, front_matter_date, html_date};
use super::html::extract_html;
use super::jsonl::{parse_jsonl, record_text};
use super::title::{derive_title_opt, visible_title};
use super::{Corpus, Document, Origin, Skipped, Spill, Text, Warning};
use crate::text::natural_cmp;
use serde::{Deserialize, Serialize};

/// Largest file that is read, unless the config file says otherwise (see
/// [`set_max_file_bytes`]).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

/// The cap in force: [`MAX_FILE_BYTES`], or the config file's
/// `max_file_size`. One value for the whole process, set before any corpus
/// is read, so that a text read again is read under the cap it was read
/// under.
static FILE_CAP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(MAX_FILE_BYTES);

/// The largest file that is read now.
pub fn max_file_bytes() -> u64 {
    FILE_CAP.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets the largest file that is read (the config file's `max_file_size`),
/// at least one byte.
pub fn set_max_file_bytes(bytes: u64) {
    FILE_CAP.store(bytes.max(1), std::sync::atomic::Ordering::Relaxed);
}

/// Why a corpus could not be loaded at all. Problems with single files are
/// not errors: they end up in [`Corpus::skipped`] and [`Corpus::warnings`].
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The path does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    /// The path exists but its metadata cannot be read (e.g. permissions).
    #[error("cannot access {}", path.display())]
    Access {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// The corpus directory cannot be listed.
    #[error("cannot read directory {}", path.display())]
    ReadDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// File formats, chosen by extension (case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Html,
    Jsonl,
}

fn extension(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    Some(ext.to_ascii_lowercase())
}

/// The format of a file that a directory walk reads, `None` for extensions
/// that are ignored.
fn known_format(path: &str) -> Option<Format> {
    match extension(path)?.as_str() {
        "txt" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }
}

/// Loads a corpus from `path`: a single file (any extension; unknown ones are
/// read as plain text) or a directory, read recursively.
///
/// In a directory, hidden entries (name starting with `.`) are skipped, only
/// `.txt`, `.md`, `.html`/`.htm`, `.jsonl`/`.ndjson` files are read (other
/// files are ignored silently), symlinks are followed, and no directory or
/// file is visited twice (loops terminate). Files are parsed on a few worker
/// threads; the result is deterministic.
///
/// For a directory, [`Corpus::root`] is the directory and document paths are
/// relative to it. For a single file, `root` is its parent directory and the
/// document path is the file name, so `root.join(path)` is always the file.
///
/// A directory without any document is not an error.
pub fn load_path(path: &Path) -> Result<Corpus, CorpusError> {
    load_path_reusing(path, &[]).map(|(corpus, _)| corpus)
}

/// Like [`load_path`], but a file whose [`FileRecord`] in `previous` has
/// the same path and [`Stamp`] is not read: its documents are made from the
/// record, with their texts left on disk until used (see [`Text`]).
pub fn load_path_reusing(
    path: &Path,
    previous: &[FileRecord],
) -> Result<(Corpus, Reuse), CorpusError> {
    load_path_listing(path, previous.to_vec(), &mut |_| {})
}

/// Files read before the first partial listing; each later batch is twice
/// the one before, so that the listings cost no more than one copy of the
/// corpus's metadata in all.
const FIRST_BATCH: usize = 512;

/// Like [`load_path_reusing`], and while the files are read, `listed` is
/// given the documents read so far, in order, with their texts left on
/// disk: a reader can list them, with titles, and open any of them before
/// the last file is read. It is not called when everything is read in one
/// batch.
pub fn load_path_listing(
    path: &Path,
    previous: Vec<FileRecord>,
    listed: &mut dyn FnMut(Corpus),
) -> Result<(Corpus, Reuse), CorpusError> {
    Ok(load_listing(list_path(path)?, previous, listed))
}

/// The files of a corpus: found and stat'ed, not read yet.
pub struct Listing {
    root: PathBuf,
    jobs: Vec<Job>,
    skipped: Vec<Skipped>,
    spill: Option<MakeSpill>,
}

/// Makes a scratch file for texts, given how many bytes of files are to be
/// read (see [`Listing::spill_with`]).
type MakeSpill = Box<dyn FnOnce(u64) -> Option<Arc<Spill>> + Send>;

impl Listing {
    /// The size of its files, in bytes.
    pub fn bytes(&self) -> u64 {
        self.jobs.iter().map(|j| j.size).sum()
    }

    /// Has each text written to a scratch file as soon as its file is
    /// parsed, so that the texts are never all in memory (see [`Spill`]):
    /// `make`, given how many bytes of files are to be read, gives the file
    /// when they call for one. It is not called when no file is read, as
    /// on a start from the cache.
    pub fn spill_with(&mut self, make: impl FnOnce(u64) -> Option<Arc<Spill>> + Send + 'static) {
        self.spill = Some(Box::new(make));
    }
}

/// Finds the files of the corpus at `path` (see [`load_path`]), for
/// [`load_listing`].
pub fn list_path(path: &Path) -> Result<Listing, CorpusError> {
    let meta = fs::metadata(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            CorpusError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            CorpusError::Access {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })?;

    let mut skipped = Vec::new();
    let (root, jobs) = if meta.is_dir() {
        let jobs = walk(path, &mut skipped)?;
        (path.to_path_buf(), jobs)
    } else {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned());
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let job = Job {
            rel: name,
            abs: path.to_path_buf(),
            size: meta.len(),
            stamp: Stamp::of(&meta),
        };
        (root, vec![job])
    };
    Ok(Listing {
        root,
        jobs,
        skipped,
        spill: None,
    })
}

/// [`load_path_listing`] for files already found.
pub fn load_listing(
    listing: Listing,
    previous: Vec<FileRecord>,
    listed: &mut dyn FnMut(Corpus),
) -> (Corpus, Reuse) {
    let Listing {
        root,
        jobs,
        skipped,
        spill,
    } = listing;
    // Each unchanged file's documents, made from its record (taken).
    let mut records: Vec<Option<FileRecord>> = (0..jobs.len()).map(|_| None).collect();
    let owners = same_files(&jobs, &previous);
    let mut job_of: Vec<Option<usize>> = vec![None; previous.len()];
    for (i, r) in owners.into_iter().enumerate() {
        if let Some(r) = r.filter(|&r| previous[r].stamp == jobs[i].stamp) {
            job_of[r] = Some(i);
        }
    }
    for (record, i) in previous.into_iter().zip(job_of) {
        if let Some(i) = i {
            records[i] = Some(record);
        }
    }
    let mut results: Vec<Option<ParseResult>> = {
        use rayon::prelude::*;
        records
            .into_par_iter()
            .zip(&jobs)
            .with_min_len(64)
            .map(|(record, job)| record.and_then(|r| r.restore(job)))
            .collect()
    };
    let missing: Vec<usize> = (0..jobs.len()).filter(|&i| results[i].is_none()).collect();
    let spill = spill
        .filter(|_| !missing.is_empty())
        .and_then(|make| make(missing.iter().map(|&i| jobs[i].size).sum()));
    let mut batch = FIRST_BATCH;
    let mut from = 0;
    while from < missing.len() {
        let part = &missing[from..(from + batch).min(missing.len())];
        let to_read: Vec<&Job> = part.iter().map(|&i| &jobs[i]).collect();
        for (i, r) in part.iter().zip(parse_jobs(&to_read, spill.as_ref())) {
            results[*i] = Some(r);
        }
        from += part.len();
        batch *= 2;
        if from < missing.len() {
            listed(partial(&root, &jobs, &results));
        }
    }
    let mut corpus = Corpus {
        root,
        skipped,
        ..Corpus::default()
    };
    let n_docs = results
        .iter()
        .map(|r| match r {
            Some(Ok((docs, _))) => docs.len(),
            _ => 0,
        })
        .sum();
    corpus.docs.reserve_exact(n_docs);
    let mut reuse = Reuse {
        files: Vec::with_capacity(jobs.len()),
        renamed: HashMap::new(),
        read: missing.len(),
    };
    for (job, result) in jobs.into_iter().zip(results) {
        let result = result.unwrap_or_else(|| Err("internal error while parsing".to_string()));
        let outcome = match &result {
            Ok((_, warnings)) => Ok(warnings.clone()),
            Err(reason) => Err(reason.clone()),
        };
        add_result(&mut corpus, &job.rel, result);
        reuse.files.push(FileOutcome {
            rel: job.rel,
            stamp: job.stamp,
            outcome,
        });
    }
    reuse.renamed = finish(&mut corpus);
    (corpus, reuse)
}

/// Builds a corpus from in-memory files (`(relative path, bytes)`), parsed
/// exactly like files on disk. [`Corpus::root`] is `name`.
pub fn load_embedded(name: &str, files: &[(&str, &[u8])]) -> Corpus {
    let mut corpus = Corpus {
        root: PathBuf::from(name),
        ..Corpus::default()
    };
    for (rel, bytes) in files {
        let rel = rel.replace('\\', "/");
        let result = parse_file(&rel, bytes);
        add_result(&mut corpus, &rel, result);
    }
    finish(&mut corpus);
    corpus
}

type ParseResult = Result<(Vec<Document>, Vec<String>), String>;

/// For each job, the record in `previous` of the same file, if any (the
/// last, should there be several). Both are usually sorted by path, and
/// are then matched in one pass.
fn same_files(jobs: &[Job], previous: &[FileRecord]) -> Vec<Option<usize>> {
    if !jobs.is_sorted_by(|a, b| a.rel < b.rel) {
        let by_path: std::collections::HashMap<&str, usize> = previous
            .iter()
            .enumerate()
            .map(|(i, r)| (r.rel.as_str(), i))
            .collect();
        return jobs
            .iter()
            .map(|j| by_path.get(j.rel.as_str()).copied())
            .collect();
    }
    let mut order: Vec<usize> = (0..previous.len()).collect();
    if !previous.is_sorted_by(|a, b| a.rel <= b.rel) {
        // Stable: records of the same path stay in file order.
        order.sort_by(|&a, &b| previous[a].rel.cmp(&previous[b].rel));
    }
    let mut k = 0;
    jobs.iter()
        .map(|job| {
            while order.get(k).is_some_and(|&r| previous[r].rel < job.rel) {
                k += 1;
            }
            let mut found = None;
            while let Some(&r) = order.get(k).filter(|&&r| previous[r].rel == job.rel) {
                found = Some(r);
                k += 1;
            }
            found
        })
        .collect()
}

/// The documents of the files read so far, their texts left on disk.
fn partial(root: &Path, jobs: &[Job], results: &[Option<ParseResult>]) -> Corpus {
    let mut corpus = Corpus {
        root: root.to_path_buf(),
        ..Corpus::default()
    };
    for (job, result) in jobs.iter().zip(results) {
        if let Some(Ok((docs, _))) = result {
            corpus.docs.extend(docs.iter().map(|d| Document {
                text: d.text.to_lazy().unwrap_or_else(|| d.text.clone()),
                ..d.without_text()
            }));
        } else if let Some(Err(reason)) = result {
            corpus.skipped.push(Skipped {
                path: PathBuf::from(&job.rel),
                reason: reason.clone(),
            });
        }
    }
    finish(&mut corpus);
    corpus
}

fn add_result(corpus: &mut Corpus, rel: &str, result: ParseResult) {
    match result {
        Ok((docs, warnings)) => {
            corpus.docs.extend(docs);
            corpus
                .warnings
                .extend(warnings.into_iter().map(|message| Warning {
                    path: PathBuf::from(rel),
                    message,
                }));
        }
        Err(reason) => corpus.skipped.push(Skipped {
            path: PathBuf::from(rel),
            reason,
        }),
    }
}

/// Sorts the corpus (in natural order of ids) and makes its ids unique; returns the ids changed,
/// each with the id its document was read with.
fn finish(corpus: &mut Corpus) -> HashMap<String, String> {
    // Natural order: `Copy 2` before `Copy 10`, a JSON Lines file's
    // records in line order (`#2` before `#10`).
    corpus.docs.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    // Sorted, equal ids are neighbours: usually there are none.
    let renamed = if corpus.docs.windows(2).any(|w| w[0].id == w[1].id) {
        unique_ids(&mut corpus.docs)
    } else {
        HashMap::new()
    };
    corpus.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    // Stable: keeps the line order of one file's warnings.
    corpus.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    renamed
}

/// Makes the ids of `docs` (sorted by id) unique: a JSON Lines record
/// `e.jsonl#1` and a file named `e.jsonl#1` both want the same one. The
/// first (in path order) keeps it; the next gets `~2`, and so on.
fn unique_ids(docs: &mut [Document]) -> HashMap<String, String> {
    let mut seen: HashSet<String> = HashSet::with_capacity(docs.len());
    let mut renamed = HashMap::new();
    for i in 0..docs.len() {
        if !seen.insert(docs[i].id.clone()) {
            let base = docs[i].id.clone();
            let id = (2..)
                .map(|n| format!("{base}~{n}"))
                .find(|id| !seen.contains(id) && docs.iter().all(|d| &d.id != id))
                .unwrap_or_else(|| base.clone());
            seen.insert(id.clone());
            docs[i].id = id.clone();
            renamed.insert(id, base);
        }
    }
    if !renamed.is_empty() {
        docs.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    }
    renamed
}

/// Parses one file's bytes. `rel_path` (`/`-separated, relative to the corpus
/// root) becomes the document path and id and picks the format by extension:
/// `.html`/`.htm` are reduced to their visible text, `.jsonl`/`.ndjson` give
/// one document per line, everything else is plain text (markdown kept raw).
///
/// Returns the documents and warnings, or the reason the file is skipped:
/// `binary file (NUL bytes)`, `empty file`, `too large (N MiB; limit 64 MiB)`.
/// Invalid UTF-8 is decoded with replacement characters and a warning; a
/// UTF-8 BOM is stripped; CRLF is kept.
pub fn parse_file(rel_path: &str, bytes: &[u8]) -> Result<(Vec<Document>, Vec<String>), String> {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings)?;
    let format = known_format(rel_path).unwrap_or(Format::Text);
    let file_name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let docs = match format {
        Format::Jsonl => {
            let docs = parse_jsonl(rel_path, &text, &mut warnings);
            if docs.is_empty() {
                let first = warnings
                    .first()
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                return Err(format!("no valid JSON Lines records{first}"));
            }
            docs
        }
        Format::Html => {
            let (body, title) = extract_html(&text);
            if body.trim().is_empty() {
                return Err("empty file".to_string());
            }
            let title = title
                .or_else(|| derive_title_opt(&body))
                .unwrap_or_else(|| file_name.to_string());
            let date = html_date(&text);
            vec![document(rel_path, title, body, date)]
        }
        Format::Text | Format::Markdown => {
            let title = derive_title_opt(&text).unwrap_or_else(|| file_name.to_string());
            let date = front_matter_date(&text);
            vec![document(rel_path, title, text, date)]
        }
    };
    let docs = docs
        .into_iter()
        .map(|d| Document {
            title: visible_title(&d.title),
            ..d
        })
        .collect();
    Ok((docs, warnings))
}

/// A document of a file, with the date its metadata gives (`meta_date`),
/// or else the one its text's opening gives.
fn document(rel_path: &str, title: String, text: String, meta_date: Option<String>) -> Document {
    let date = match meta_date {
        Some(d) => Some(DocDate::new(d, DateSource::Metadata)),
        None => date_in_text(&text).map(|d| DocDate::new(d, DateSource::Text)),
    };
    Document {
        id: rel_path.to_string(),
        path: rel_path.to_string(),
        title,
        boilerplate: find_boilerplate(&text),
        text: Text::new(text),
        url: None,
        date,
    }
}

/// A size as people write it: `67108864`, `64 MiB`, `64M`, `500 KiB`,
/// `1 GB` (K, M and G are powers of 1024, with or without `iB`/`B`).
/// `None` for anything else, or for zero.
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().ok()?;
    let unit = unit.trim().to_ascii_lowercase();
    let scale: u64 = match unit.trim_end_matches("ib").trim_end_matches('b') {
        "" => 1,
        "k" => 1024,
        "m" => MIB,
        "g" => 1024 * MIB,
        _ => return None,
    };
    n.checked_mul(scale).filter(|&b| b > 0)
}

/// A cap in the largest whole unit it is a multiple of: `64 MiB`,
/// `500 KiB`, `1000 bytes`.
fn size_text(bytes: u64) -> String {
    match bytes {
        b if b % (1024 * MIB) == 0 => format!("{} GiB", b / (1024 * MIB)),
        b if b % MIB == 0 => format!("{} MiB", b / MIB),
        b if b % 1024 == 0 => format!("{} KiB", b / 1024),
        b => format!("{b} bytes"),
    }
}

fn too_large(len: u64) -> String {
    format!(
        "too large ({} MiB; limit {})",
        len.div_ceil(MIB),
        size_text(max_file_bytes())
    )
}

/// Bytes to text: size limit, UTF-16 (with BOM), NUL check, UTF-8 BOM, lossy
/// UTF-8, emptiness.
fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> Result<String, String> {
    if bytes.len() as u64 > max_file_bytes() {
        return Err(too_large(bytes.len() as u64));
    }
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        decode_utf16(rest, u16::from_le_bytes, warnings)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        decode_utf16(rest, u16::from_be_bytes, warnings)
    } else {
        if bytes.contains(&0) {
            return Err("binary file (NUL bytes)".to_string());
        }
        let (body, offset) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
            Some(rest) => (rest, 3),
            None => (bytes, 0),
        };
        match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(e) => {
                warnings.push(format!(
                    "invalid UTF-8 at byte {}, decoded with replacement characters",
                    e.valid_up_to() + offset
                ));
                String::from_utf8_lossy(body).into_owned()
            }
        }
    };
    if text.contains('\0') {
        return Err("binary file (NUL bytes)".to_string());
    }
    if text.trim().is_empty() {
        return Err("empty file".to_string());
    }
    Ok(text)
}

fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, warnings: &mut Vec<String>) -> String {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        _ => 0xFFFD,
    });
    let mut bad = false;
    let s: String = char::decode_utf16(units)
        .map(|r| {
            r.unwrap_or_else(|_| {
                bad = true;
                char::REPLACEMENT_CHARACTER
            })
        })
        .collect();
    if bad || bytes.len() % 2 == 1 {
        warnings.push("invalid UTF-16, decoded with replacement characters".to_string());
    }
    s
}

// ---------------------------------------------------------------------------
// Directory walk

/// A file to read.
struct Job {
    rel: String,
    abs: PathBuf,
    size: u64,
    stamp: Stamp,
}

/// What a file looked like when it was read: its size, modification and
/// change times and inode. A file whose stamp is unchanged is taken to be
/// unchanged (as `make` and `git` do); its text is checked against its
/// content hash whenever it is read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    pub mtime: (i64, u32),
    pub ctime: (i64, u32),
    pub inode: u64,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                size: meta.len(),
                mtime: (meta.mtime(), meta.mtime_nsec() as u32),
                ctime: (meta.ctime(), meta.ctime_nsec() as u32),
                inode: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| (d.as_secs() as i64, d.subsec_nanos()));
            Stamp {
                size: meta.len(),
                mtime,
                ctime: (0, 0),
                inode: 0,
            }
        }
    }
}

/// A document as the index cache keeps it: everything but its text, which
/// is read again from its file when used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocMeta {
    pub id: String,
    pub title: String,
    pub len: u64,
    pub hash: u64,
    pub boilerplate: Vec<(u64, u64)>,
    pub url: Option<String>,
    pub date: Option<DocDate>,
}

/// One file's part of a corpus, as the index cache keeps it: its stamp and
/// what reading it gave (its documents and warnings, or why it was
/// skipped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub rel: String,
    pub stamp: Stamp,
    pub outcome: Result<(Vec<DocMeta>, Vec<String>), String>,
}

impl FileRecord {
    /// The file's documents again, their texts left on disk. `None` when
    /// the record does not describe a sane document (a damaged cache).
    fn restore(self, job: &Job) -> Option<ParseResult> {
        let (metas, warnings) = match self.outcome {
            Ok(ok) => ok,
            Err(reason) => return Some(Err(reason)),
        };
        let mut docs = Vec::with_capacity(metas.len());
        for (record, m) in metas.into_iter().enumerate() {
            let len = usize::try_from(m.len).ok()?;
            let boilerplate = m
                .boilerplate
                .iter()
                .map(|&(s, e)| {
                    let (s, e) = (usize::try_from(s).ok()?, usize::try_from(e).ok()?);
                    (s <= e && e <= len).then_some(s..e)
                })
                .collect::<Option<Vec<_>>>()?;
            docs.push(Document {
                id: m.id,
                path: job.rel.clone(),
                title: m.title,
                text: Text::lazy(
                    len,
                    m.hash,
                    Origin {
                        file: job.abs.clone(),
                        rel: job.rel.clone(),
                        record: record as u32,
                    },
                ),
                boilerplate,
                url: m.url,
                date: m.date,
            });
        }
        Some(Ok((docs, warnings)))
    }
}

/// What [`load_path_reusing`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Every file, in order.
    files: Vec<FileOutcome>,
    /// Ids made unique, each with the id its document was read with.
    renamed: HashMap<String, String>,
    /// How many files were read (the others were unchanged).
    pub read: usize,
}

/// A file and what reading it gave: its warnings (its documents are in the
/// corpus), or why it was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileOutcome {
    rel: String,
    stamp: Stamp,
    outcome: Result<Vec<String>, String>,
}

impl Reuse {
    /// Every file's record, to keep for next time, from `corpus`, the
    /// corpus loaded with it (records are not kept while it is loaded: a
    /// restart rarely needs them).
    pub fn records(&self, corpus: &Corpus) -> Vec<FileRecord> {
        // Each file's documents, in the order it gave them.
        let mut of_file: HashMap<&str, Vec<(u32, &Document)>> = HashMap::new();
        for d in &corpus.docs {
            if let Some(origin) = d.text.origin() {
                of_file
                    .entry(d.path.as_str())
                    .or_default()
                    .push((origin.record, d));
            }
        }
        self.files
            .iter()
            .map(|f| FileRecord {
                rel: f.rel.clone(),
                stamp: f.stamp,
                outcome: match &f.outcome {
                    Ok(warnings) => {
                        let mut docs = of_file.remove(f.rel.as_str()).unwrap_or_default();
                        docs.sort_by_key(|&(record, _)| record);
                        let metas = docs
                            .into_iter()
                            .map(|(_, d)| DocMeta {
                                id: self.renamed.get(&d.id).unwrap_or(&d.id).clone(),
                                title: d.title.clone(),
                                len: d.text.len() as u64,
                                hash: d.text.content_hash(),
                                boilerplate: d
                                    .boilerplate
                                    .iter()
                                    .map(|r| (r.start as u64, r.end as u64))
                                    .collect(),
                                url: d.url.clone(),
                                date: d.date.clone(),
                            })
                            .collect();
                        Ok((metas, warnings.clone()))
                    }
                    Err(reason) => Err(reason.clone()),
                },
            })
            .collect()
    }
}

/// Identity of a file or directory, to visit each once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

#[cfg(unix)]
fn key(_path: &Path, meta: &fs::Metadata) -> Option<Key> {
    use std::os::unix::fs::MetadataExt;
    Some(Key::Inode(meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn key(path: &Path, _meta: &fs::Metadata) -> Option<Key> {
    fs::canonicalize(path).ok().map(Key::Path)
}

/// A directory waiting to be listed.
struct PendingDir {
    abs: PathBuf,
    /// Relative prefix with a trailing `/` ("" for the root).
    prefix: String,
    key: Option<Key>,
}

/// A file found by the walk, before duplicates are removed.
struct Candidate {
    via_link: bool,
    key: Option<Key>,
    job: Job,
}

/// What a directory entry is to the walk.
enum Found {
    /// A directory to list; reached through a symlink?
    Dir(PendingDir, bool),
    File(Candidate),
    Skipped(Skipped),
    Nothing,
}

/// Looks at the entry `name` of the directory `prefix` (reached through a
/// symlink if `via_link`).
fn visit(prefix: &str, via_link: bool, name: &str, entry: &fs::DirEntry) -> Found {
    let rel = format!("{prefix}{name}");
    let path = entry.path();
    let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
    let meta = if is_link {
        fs::metadata(&path)
    } else {
        entry.metadata()
    };
    let meta = match meta {
        Ok(m) => m,
        Err(e) => {
            if is_link || known_format(&rel).is_some() {
                let what = if is_link { "broken symlink: " } else { "" };
                return Found::Skipped(Skipped {
                    path: PathBuf::from(&rel),
                    reason: format!("{what}{e}"),
                });
            }
            return Found::Nothing;
        }
    };
    let link = via_link || is_link;
    if meta.is_dir() {
        Found::Dir(
            PendingDir {
                key: key(&path, &meta),
                abs: path,
                prefix: format!("{rel}/"),
            },
            link,
        )
    } else if known_format(&rel).is_none() {
        Found::Nothing
    } else if !meta.is_file() {
        Found::Skipped(Skipped {
            path: PathBuf::from(&rel),
            reason: format!(
                "not a regular file ({})",
                crate::files::file_type_name(&meta.file_type())
            ),
        })
    } else {
        Found::File(Candidate {
            via_link: link,
            key: key(&path, &meta),
            job: Job {
                rel,
                abs: path,
                size: meta.len(),
                stamp: Stamp::of(&meta),
            },
        })
    }
}

/// Lists the files to read under `root`, each reached once, in a
/// deterministic order.
///
/// Directories reached without a symlink are listed first, then those reached
/// through one, so a file reachable both ways keeps its real path. Each
/// directory (by identity) is listed once, which ends symlink loops. A file
/// reached by several paths is read once, under its real path if it has one,
/// else under the smallest path.
fn walk(root: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<Job>, CorpusError> {
    let mut seen_dirs: HashSet<Key> = HashSet::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    let root_key = fs::metadata(root).ok().and_then(|m| key(root, &m));
    // Real directories, and directories reached through a symlink.
    let mut real: Vec<PendingDir> = vec![PendingDir {
        abs: root.to_path_buf(),
        prefix: String::new(),
        key: root_key,
    }];
    let mut linked: Vec<PendingDir> = Vec::new();
    loop {
        let (dir, via_link) = match real.pop() {
            Some(d) => (d, false),
            None => match linked.pop() {
                Some(d) => (d, true),
                None => break,
            },
        };
        if let Some(k) = &dir.key
            && !seen_dirs.insert(k.clone())
        {
            // A link back to one of its own ancestors is a loop, and said so;
            // a second link to a directory read elsewhere is not news.
            let target = fs::canonicalize(&dir.abs).ok();
            let parent = dir.abs.parent().and_then(|p| fs::canonicalize(p).ok());
            let looped = target
                .zip(parent)
                .is_some_and(|(target, parent)| parent.starts_with(target));
            if looped {
                skipped.push(Skipped {
                    path: PathBuf::from(dir.prefix.trim_end_matches('/')),
                    reason: "symlink loop: directory already read".to_string(),
                });
            }
            continue;
        }
        let read = match fs::read_dir(&dir.abs) {
            Ok(r) => r,
            Err(e) if dir.prefix.is_empty() => {
                return Err(CorpusError::ReadDir {
                    path: dir.abs,
                    source: e,
                });
            }
            Err(e) => {
                skipped.push(Skipped {
                    path: PathBuf::from(dir.prefix.trim_end_matches('/')),
                    reason: format!("cannot read directory: {e}"),
                });
                continue;
            }
        };
        let mut entries: BTreeMap<String, fs::DirEntry> = BTreeMap::new();
        for entry in read {
            match entry {
                Ok(e) => {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if !name.starts_with('.') {
                        entries.insert(name, e);
                    }
                }
                Err(e) => skipped.push(Skipped {
                    path: PathBuf::from(dir.prefix.trim_end_matches('/')),
                    reason: format!("cannot read directory entry: {e}"),
                }),
            }
        }
        // The entries' metadata on every core (a restart stats every file),
        // then taken in order.
        let found: Vec<Found> = {
            use rayon::prelude::*;
            let entries: Vec<(String, fs::DirEntry)> = entries.into_iter().collect();
            entries
                .into_par_iter()
                .with_min_len(16)
                .map(|(name, entry)| visit(&dir.prefix, via_link, &name, &entry))
                .collect()
        };
        let mut real_subdirs = Vec::new();
        let mut linked_subdirs = Vec::new();
        for f in found {
            match f {
                Found::Dir(pending, false) => real_subdirs.push(pending),
                Found::Dir(pending, true) => linked_subdirs.push(pending),
                Found::File(candidate) => candidates.push(candidate),
                Found::Skipped(s) => skipped.push(s),
                Found::Nothing => {}
            }
        }
        // Pop in sorted order.
        real.extend(real_subdirs.into_iter().rev());
        linked.extend(linked_subdirs.into_iter().rev());
    }
    candidates.sort_by(|a, b| (a.via_link, &a.job.rel).cmp(&(b.via_link, &b.job.rel)));
    let mut seen_files: HashSet<Key> = HashSet::new();
    let mut jobs: Vec<Job> = candidates
        .into_iter()
        .filter(|c| c.key.as_ref().is_none_or(|k| seen_files.insert(k.clone())))
        .map(|c| c.job)
        .collect();
    jobs.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(jobs)
}

fn read_and_parse(job: &Job) -> ParseResult {
    if job.size > max_file_bytes() {
        return Err(too_large(job.size));
    }
    // Only a regular file is read, and never past the cap: the walk saw a
    // file, but it may have been replaced since, and a path named on the
    // command line may be a FIFO or a device.
    let bytes = crate::files::read_regular(&job.abs, max_file_bytes()).map_err(|e| match e {
        crate::files::ReadError::TooLarge { size, .. } => too_large(size),
        e => e.to_string(),
    })?;
    let (docs, warnings) = parse_file(&job.rel, &bytes)?;
    let docs = docs
        .into_iter()
        .enumerate()
        .map(|(record, d)| Document {
            text: d.text.with_origin(Origin {
                file: job.abs.clone(),
                rel: job.rel.clone(),
                record: record as u32,
            }),
            // Failing all else, when the file was saved (flagged so).
            date: d.date.or_else(|| {
                Some(DocDate::new(
                    date_of_unix(job.stamp.mtime.0),
                    DateSource::FileTime,
                ))
            }),
            ..d
        })
        .collect();
    Ok((docs, warnings))
}

/// The text of the document that `origin` names, read and decoded again
/// as [`parse_file`] does, without its other work (titles, boilerplate):
/// a text read back costs little more than its file's read.
pub(crate) fn reread(origin: &Origin) -> Result<String, String> {
    let rel = &origin.rel;
    let bytes = crate::files::read_regular(&origin.file, max_file_bytes())
        .map_err(|e| format!("{rel}: {e}"))?;
    let text = decode(&bytes, &mut Vec::new()).map_err(|e| format!("{rel}: {e}"))?;
    let gone = || format!("{rel}: the document is no longer there");
    match known_format(rel).unwrap_or(Format::Text) {
        Format::Jsonl => record_text(&text, origin.record as usize).ok_or_else(gone),
        Format::Html if origin.record == 0 => Ok(extract_html(&text).0),
        Format::Text | Format::Markdown if origin.record == 0 => Ok(text),
        _ => Err(gone()),
    }
}

/// Parses all jobs on a few threads; results in job order.
fn parse_jobs(jobs: &[&Job], spill: Option<&Arc<Spill>>) -> Vec<ParseResult> {
    // A text is spilled by the thread that parsed it, at once: freed there,
    // its memory is what the next text is parsed into.
    let read_and_parse = |job: &Job| {
        let mut result = read_and_parse(job);
        if let (Some(spill), Ok((docs, _))) = (spill, &mut result) {
            for d in docs {
                // On an error the text stays in memory.
                let _ = d.text.spill(spill);
            }
        }
        result
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
        .min(jobs.len() / 8)
        .max(1);
    if threads == 1 {
        return jobs.iter().map(|j| read_and_parse(j)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<ParseResult>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        done.push((i, read_and_parse(job)));
                    }
                    done
                })
            })
            .collect();
        for h in handles {
            if let Ok(done) = h.join() {
                for (i, r) in done {
                    if let Some(slot) = slots.get_mut(i) {
                        *slot = Some(r);
                    }
                }
            }
        }
    });
    slots
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err("internal error while parsing".to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, bytes: &[u8]) {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        fs::write(&p, bytes).unwrap_or_else(|e| panic!("{e}"));
    }

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    fn one(rel: &str, bytes: &[u8]) -> (Document, Vec<String>) {
        match parse_file(rel, bytes) {
            Ok((mut docs, w)) if docs.len() == 1 => (docs.remove(0), w),
            other => panic!("expected one document, got {other:?}"),
        }
    }

    #[test]
    fn a_listing_that_spills_loads_the_same_texts_without_holding_them() {
        let d = tmp();
        write(d.path(), "a.txt", b"Alpha\n\nThe TTP said so.\n");
        write(
            d.path(),
            "b/c.html",
            b"<html><head><title>Beta</title></head><body><p>Gamma &amp; delta.</p></body></html>",
        );
        write(d.path(), "e.jsonl", b"{\"title\":\"One\",\"text\":\"First record.\"}\n{\"title\":\"Two\",\"text\":\"Second record.\"}\n");
        // Enough files to be read in several batches, on several threads.
        for i in 0..(2 * FIRST_BATCH) {
            write(
                d.path(),
                &format!("many/{i:04}.txt"),
                format!("Story {i}\n\nText {i}.\n").as_bytes(),
            );
        }
        let plain = load_path(d.path()).unwrap();
        let scratch = tmp();
        let spill = Arc::new(Spill::new_in(Some(scratch.path())).unwrap());
        let mut listing = list_path(d.path()).unwrap();
        assert!(listing.bytes() > 20 * FIRST_BATCH as u64);
        let given = Arc::clone(&spill);
        listing.spill_with(move |bytes| {
            assert!(bytes > 20 * FIRST_BATCH as u64, "the files to read");
            Some(given)
        });
        let (spilled, _) = load_listing(listing, Vec::new(), &mut |_| {});
        assert_eq!(spilled.docs.len(), plain.docs.len());
        assert_eq!(spilled.docs.len(), 3 + 1 + 2 * FIRST_BATCH);
        for (s, p) in spilled.docs.iter().zip(&plain.docs) {
            assert!(s.text.is_spilled(), "{} is held", s.id);
            assert_eq!(
                (&s.id, &s.title, s.text.len()),
                (&p.id, &p.title, p.text.len())
            );
            assert_eq!(*s.text.fetch(), *p.text.fetch(), "{}", s.id);
            assert_eq!(s.text.origin(), p.text.origin());
        }
    }

    #[test]
    fn invalid_utf8_is_lossy_with_warning() {
        let (doc, w) = one("a.txt", b"Good Title\n\nBad \xFF byte here.");
        assert_eq!(doc.text, "Good Title\n\nBad \u{FFFD} byte here.");
        assert_eq!(
            w,
            vec!["invalid UTF-8 at byte 16, decoded with replacement characters".to_string()]
        );
        assert_eq!(doc.title, "Good Title");
    }

    #[test]
    fn empty_and_whitespace_files_are_skipped() {
        assert_eq!(parse_file("a.txt", b""), Err("empty file".to_string()));
        assert_eq!(
            parse_file("a.txt", b" \r\n\t\n"),
            Err("empty file".to_string())
        );
        assert_eq!(
            parse_file("a.txt", b"\xEF\xBB\xBF  \n"),
            Err("empty file".to_string())
        );
        assert_eq!(
            parse_file("a.html", b"<html><script>x()</script></html>"),
            Err("empty file".to_string())
        );
    }

    #[test]
    fn binary_files_are_skipped() {
        assert_eq!(
            parse_file("a.txt", b"PK\x03\x04\x00\x00text"),
            Err("binary file (NUL bytes)".to_string())
        );
        let mut late = vec![b'a'; 20_000];
        late.push(0);
        assert_eq!(
            parse_file("a.md", &late),
            Err("binary file (NUL bytes)".to_string())
        );
    }

    #[test]
    fn sizes_parse_as_people_write_them() {
        assert_eq!(parse_size("67108864"), Some(MAX_FILE_BYTES));
        assert_eq!(parse_size("64 MiB"), Some(MAX_FILE_BYTES));
        assert_eq!(parse_size("64M"), Some(MAX_FILE_BYTES));
        assert_eq!(parse_size("64mb"), Some(MAX_FILE_BYTES));
        assert_eq!(parse_size(" 500 KiB "), Some(500 * 1024));
        assert_eq!(parse_size("1G"), Some(1024 * MIB));
        for bad in [
            "",
            "MiB",
            "0",
            "0 MiB",
            "-1",
            "1.5 MiB",
            "64 MiBs",
            "64 TB",
            "99999999999999999999",
        ] {
            assert_eq!(parse_size(bad), None, "{bad:?}");
        }
        assert_eq!(size_text(MAX_FILE_BYTES), "64 MiB");
        assert_eq!(size_text(500 * 1024), "500 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }

    #[test]
    fn too_large_reason() {
        assert_eq!(
            too_large(MAX_FILE_BYTES + 1),
            "too large (65 MiB; limit 64 MiB)"
        );
        assert_eq!(too_large(100 * MIB), "too large (100 MiB; limit 64 MiB)");
    }

    #[test]
    fn crlf_kept_and_title_right() {
        let raw = "Pakistan and US Unite Against ISKP\r\n\r\nBody text.\r\n\r\nRelated News\r\n\r\nA link\r\n";
        let (doc, w) = one("x/crlf.txt", raw.as_bytes());
        assert!(w.is_empty());
        assert_eq!(doc.text, raw);
        assert_eq!(doc.title, "Pakistan and US Unite Against ISKP");
        assert_eq!(doc.id, "x/crlf.txt");
        assert_eq!(doc.path, "x/crlf.txt");
        let Some(at) = raw.find("Related News") else {
            panic!()
        };
        assert_eq!(doc.boilerplate, vec![at..raw.trim_end().len()]);
    }

    #[test]
    fn bom_is_stripped() {
        let (doc, w) = one("b.md", "\u{feff}# Café Title\n\nText.".as_bytes());
        assert!(w.is_empty());
        assert_eq!(doc.text, "# Café Title\n\nText.");
        assert_eq!(doc.title, "Café Title");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Hi there\nBody.".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let (doc, _) = one("u.txt", &bytes);
        assert_eq!(doc.text, "Hi there\nBody.");
    }

    #[test]
    fn html_page() {
        let html = b"<html><head><title>Page &amp; Title</title><style>p{color:red}</style>\
<script>document.write('x')</script></head><body><h1>Heading</h1>\
<p>Caf&eacute; &ldquo;quoted&rdquo; &#8212; &#x1F600;</p></body></html>";
        let (doc, _) = one("site/page.HTM", html);
        assert_eq!(doc.title, "Page & Title");
        assert_eq!(doc.text, "Heading\n\nCafé “quoted” — 😀");
        assert!(!doc.text.contains("color"));
        assert!(!doc.text.contains("document"));
        // Without <title>, the title comes from the text.
        let (doc, _) = one(
            "p.html",
            b"<body><h2>Visible Headline</h2><p>Text.</p></body>",
        );
        assert_eq!(doc.title, "Visible Headline");
    }

    #[test]
    fn unknown_extension_is_plain_text() {
        let (doc, _) = one("notes.log", b"<b>Not Parsed</b>");
        assert_eq!(doc.text, "<b>Not Parsed</b>");
    }

    #[test]
    fn title_falls_back_to_file_name() {
        let (doc, _) = one("dir/---.txt", b"--- *** ---");
        assert_eq!(doc.title, "---.txt");
    }

    #[test]
    fn jsonl_bad_line_warns_and_rest_loads() {
        let body = b"{\"text\":\"One body.\",\"title\":\"One\"}\nnot json\n{\"text\":\"Two Headline\\n\\nMore.\"}\n";
        let (docs, w) = match parse_file("feed.NDJSON", body) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        };
        let ids: Vec<_> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, vec!["feed.NDJSON#1", "feed.NDJSON#3"]);
        assert_eq!(docs[1].title, "Two Headline");
        assert_eq!(w.len(), 1);
        assert!(w[0].starts_with("line 2: invalid JSON"), "{w:?}");
        let all_bad = parse_file("f.jsonl", b"nope\n");
        assert!(
            matches!(&all_bad, Err(r) if r.starts_with("no valid JSON Lines records (line 1:")),
            "{all_bad:?}"
        );
    }

    #[test]
    fn unchanged_files_are_not_read_again_and_their_texts_stay_on_disk() {
        let dir = tmp();
        let d = dir.path();
        write(d, "b.txt", b"Beta Title\n\nThe TTP said so.");
        write(
            d,
            "a/page.html",
            b"<title>Page</title><p>ISKP &amp; more</p>",
        );
        write(
            d,
            "feed.jsonl",
            b"{\"text\":\"t1\"}\n{bad\n{\"text\":\"t3\"}\n",
        );
        write(d, "empty.txt", b"");
        let (cold, first) = load_path_reusing(d, &[]).unwrap();
        assert_eq!(first.read, 4);
        assert!(cold.docs.iter().all(|x| x.text.is_held()));

        // Nothing changed: nothing is read, and the corpus is the same,
        // down to its warnings, skipped files and texts (read when used).
        let records = first.records(&cold);
        let rels: Vec<&str> = records.iter().map(|r| r.rel.as_str()).collect();
        assert_eq!(rels, ["a/page.html", "b.txt", "empty.txt", "feed.jsonl"]);
        assert!(matches!(&records[2].outcome, Err(reason) if reason == "empty file"));
        match &records[3].outcome {
            Ok((metas, warnings)) => {
                let ids: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
                assert_eq!(ids, ["feed.jsonl#1", "feed.jsonl#3"]);
                assert_eq!(warnings.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let (warm, again) = load_path_reusing(d, &records).unwrap();
        assert_eq!(again.read, 0);
        assert_eq!(again.records(&warm), records);
        assert!(warm.docs.iter().all(|x| !x.text.is_held()));
        assert_eq!(warm.docs, cold.docs);
        assert_eq!(warm.warnings, cold.warnings);
        assert_eq!(warm.skipped, cold.skipped);
        assert_eq!(&warm.docs[0].text[..6], "ISKP &");

        // A changed file is read again, and only it; so is a new one; a
        // removed one is gone from the records.
        write(d, "b.txt", b"Beta Title\n\nThe IMF said so.");
        write(d, "c.txt", b"Gamma\n\nNew.");
        fs::remove_file(d.join("feed.jsonl")).unwrap();
        let (changed, after) = load_path_reusing(d, &records).unwrap();
        assert_eq!(after.read, 2);
        assert_eq!(changed.docs, load_path(d).unwrap().docs);
        let (_, fresh) = load_path_reusing(d, &[]).unwrap();
        assert_eq!(after.records(&changed), fresh.records(&changed));
        let rels: Vec<String> = after.records(&changed).into_iter().map(|r| r.rel).collect();
        assert_eq!(rels, ["a/page.html", "b.txt", "c.txt", "empty.txt"]);

        // A damaged record (boilerplate past the text) is not trusted: the
        // file is read again.
        let mut damaged = after.records(&changed);
        if let Ok((metas, _)) = &mut damaged[1].outcome {
            metas[0].boilerplate = vec![(0, 1 << 40)];
        }
        let (_, reread) = load_path_reusing(d, &damaged).unwrap();
        assert_eq!(reread.read, 1);
    }

    #[test]
    fn a_text_read_back_is_the_text_parsed() {
        let dir = tmp();
        let d = dir.path();
        write(
            d,
            "a.txt",
            b"\xEF\xBB\xBFBOM Title\n\nThe TTP, r\xE9sum\xE9.\r\n",
        );
        write(d, "b.md", b"# Heading\n\nSome *markdown* ISKP.");
        write(
            d,
            "c.html",
            b"<title>T</title><p>A &amp; B</p><script>x</script><p>C</p>",
        );
        write(
            d,
            "d.jsonl",
            b"{\"text\":\"one\"}\n\n{bad\n{\"text\":\"two \\u00e9\"}\n{\"text\":\"three\"}\n",
        );
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "UTF-16 text\n\nwith ISKP".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        write(d, "e.txt", &utf16);
        let corpus = load_path(d).unwrap();
        assert_eq!(corpus.docs.len(), 7);
        for doc in &corpus.docs {
            let lazy = doc.text.to_lazy().expect("from a file");
            assert_eq!(&*lazy.fetch(), &*doc.text, "{}", doc.id);
            assert_eq!(lazy.trouble(), None, "{}", doc.id);
        }
    }

    #[test]
    fn documents_are_listed_as_the_files_are_read() {
        let dir = tmp();
        let d = dir.path();
        let n = FIRST_BATCH + FIRST_BATCH / 2;
        for i in 0..n {
            write(
                d,
                &format!("{i:04}.txt"),
                format!("Story {i}\n\nText.").as_bytes(),
            );
        }
        let mut seen = Vec::new();
        let (corpus, reuse) =
            load_path_listing(d, Vec::new(), &mut |part| seen.push(part)).unwrap();
        assert_eq!(reuse.read, n);
        // One listing after the first batch: its documents, in order, with
        // titles, their texts on disk and readable.
        assert_eq!(seen.len(), 1);
        let part = &seen[0];
        assert_eq!(part.docs.len(), FIRST_BATCH);
        assert_eq!(part.docs[..], corpus.docs[..FIRST_BATCH]);
        assert_eq!(part.docs[7].title, "Story 7");
        assert!(!part.docs[7].text.is_held());
        assert_eq!(&part.docs[7].text[..7], "Story 7");
        // Nothing to read, nothing listed early.
        let mut again = 0;
        load_path_listing(d, reuse.records(&corpus), &mut |_| again += 1).unwrap();
        assert_eq!(again, 0);
    }

    #[test]
    fn load_directory() {
        let dir = tmp();
        let d = dir.path();
        write(d, "b.txt", b"Beta Title\n\nBody.");
        write(d, "a/one.md", b"# Alpha\n\nBody.");
        write(d, "a/page.html", b"<title>Page</title><p>x</p>");
        write(
            d,
            "feed.jsonl",
            b"{\"text\":\"t1\"}\n{bad\n{\"text\":\"t3\"}\n",
        );
        write(d, "image.png", b"\x89PNG\x00\x00");
        write(d, "notes.rst", b"ignored");
        write(d, "empty.txt", b"");
        write(d, "bin.txt", b"a\x00b");
        write(d, "bin2.md", b"\x00");
        write(d, ".hidden.txt", b"Hidden");
        write(d, ".git/x.txt", b"Hidden dir");
        write(d, "sub/.cache/y.txt", b"Hidden nested dir");
        write(d, "latin1.txt", b"Caf\xe9 Story\n");
        let corpus = match load_path(d) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(corpus.root, d);
        let ids: Vec<_> = corpus.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(
            ids,
            vec![
                "a/one.md",
                "a/page.html",
                "b.txt",
                "feed.jsonl#1",
                "feed.jsonl#3",
                "latin1.txt"
            ]
        );
        assert_eq!(corpus.docs[0].title, "Alpha");
        assert_eq!(corpus.docs[1].title, "Page");
        let skipped: Vec<_> = corpus
            .skipped
            .iter()
            .map(|s| (s.path.to_string_lossy().into_owned(), s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            vec![
                ("bin.txt".to_string(), "binary file (NUL bytes)"),
                ("bin2.md".to_string(), "binary file (NUL bytes)"),
                ("empty.txt".to_string(), "empty file"),
            ]
        );
        assert_eq!(
            corpus.skipped_summary().as_deref(),
            Some("skipped 3 files: 2 binary file (NUL bytes), 1 empty file")
        );
        let warnings: Vec<_> = corpus
            .warnings
            .iter()
            .map(|w| format!("{}: {}", w.path.display(), w.message))
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("feed.jsonl: line 2: invalid JSON"));
        assert_eq!(
            warnings[1],
            "latin1.txt: invalid UTF-8 at byte 3, decoded with replacement characters"
        );
    }

    #[test]
    fn load_many_files_in_parallel_is_deterministic() {
        let dir = tmp();
        for i in 0..100 {
            write(
                dir.path(),
                &format!("d{}/f{i:03}.txt", i % 7),
                format!("Title {i}\n\nBody {i}.").as_bytes(),
            );
        }
        let a = load_path(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let b = load_path(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.docs.len(), 100);
        assert_eq!(a.docs, b.docs);
        assert!(
            a.docs
                .windows(2)
                .all(|w| natural_cmp(&w[0].id, &w[1].id).is_lt())
        );
    }

    #[test]
    fn documents_are_in_natural_order() {
        let dir = tmp();
        for name in ["Copy 100.txt", "Copy 10.txt", "Copy 2.txt", "Copy 1.txt"] {
            write(dir.path(), name, b"Title\n\nBody.");
        }
        let lines: String = (1..=11)
            .map(|i| format!("{{\"text\": \"Story {i}.\"}}\n"))
            .collect();
        write(dir.path(), "feed.jsonl", lines.as_bytes());
        let c = load_path(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = c.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            &ids[..4],
            ["Copy 1.txt", "Copy 2.txt", "Copy 10.txt", "Copy 100.txt"]
        );
        assert_eq!(&ids[4..7], ["feed.jsonl#1", "feed.jsonl#2", "feed.jsonl#3"]);
        assert_eq!(ids[14], "feed.jsonl#11");
    }

    #[test]
    fn load_single_file() {
        let dir = tmp();
        write(dir.path(), "story.weird", b"Plain Title\n\nBody.");
        let c = load_path(&dir.path().join("story.weird")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.docs.len(), 1);
        assert_eq!(c.docs[0].id, "story.weird");
        assert_eq!(c.docs[0].title, "Plain Title");
        assert_eq!(c.root.join(&c.docs[0].path), dir.path().join("story.weird"));
    }

    #[test]
    fn missing_path_is_an_error_and_empty_dir_is_not() {
        let dir = tmp();
        let missing = dir.path().join("nope");
        match load_path(&missing) {
            Err(CorpusError::NotFound { path }) => assert_eq!(path, missing),
            other => panic!("{other:?}"),
        }
        let c = load_path(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.docs.is_empty());
        assert!(c.skipped.is_empty());
        assert_eq!(c.skipped_summary(), None);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_terminate_without_duplicates() {
        use std::os::unix::fs::symlink;
        let dir = tmp();
        let d = dir.path();
        write(d, "a/story.txt", b"Story Title\n\nBody.");
        write(d, "b/other.txt", b"Other Title\n\nBody.");
        symlink(d, d.join("a/loop")).unwrap_or_else(|e| panic!("{e}"));
        symlink(d.join("a"), d.join("b/to_a")).unwrap_or_else(|e| panic!("{e}"));
        symlink(d.join("b/other.txt"), d.join("c.txt")).unwrap_or_else(|e| panic!("{e}"));
        symlink(d.join("missing.txt"), d.join("dangling.txt")).unwrap_or_else(|e| panic!("{e}"));
        // A link that sorts before the real directory it points to.
        symlink(d.join("z"), d.join("0first")).unwrap_or_else(|e| panic!("{e}"));
        write(d, "z/real.txt", b"Real Title\n\nBody.");
        symlink(d.join("z"), d.join("z/self")).unwrap_or_else(|e| panic!("{e}"));
        let c = load_path(d).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<_> = c.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, vec!["a/story.txt", "b/other.txt", "z/real.txt"]);
        let skipped: Vec<(String, &str)> = c
            .skipped
            .iter()
            .map(|s| (s.path.display().to_string(), s.reason.as_str()))
            .collect();
        assert_eq!(skipped.len(), 3, "{skipped:?}");
        assert!(skipped.contains(&("a/loop".into(), "symlink loop: directory already read")));
        assert!(skipped.contains(&("z/self".into(), "symlink loop: directory already read")));
        let dangling = c
            .skipped
            .iter()
            .find(|s| s.path == Path::new("dangling.txt"));
        assert!(dangling.is_some_and(|s| s.reason.starts_with("broken symlink")));
    }

    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_are_listed_not_read() {
        let dir = tmp();
        let d = dir.path();
        write(d, "ok.txt", b"Title\n\nBody.");
        let fifo = d.join("pipe.txt");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap_or_default()).unwrap_or_default();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        std::os::unix::fs::symlink("/dev/zero", d.join("zero.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        let c = load_path(d).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.docs.len(), 1);
        let reason = |name: &str| {
            c.skipped
                .iter()
                .find(|s| s.path == Path::new(name))
                .map(|s| s.reason.clone())
        };
        assert_eq!(
            reason("pipe.txt").as_deref(),
            Some("not a regular file (a FIFO)")
        );
        assert_eq!(
            reason("zero.txt").as_deref(),
            Some("not a regular file (a character device)")
        );
        // Named directly, a device is refused at once rather than read.
        let c = load_path(Path::new("/dev/zero")).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.docs.is_empty());
        assert!(
            c.skipped[0].reason.contains("not a regular file"),
            "{:?}",
            c.skipped
        );
        let c = load_path(&fifo).unwrap_or_else(|e| panic!("{e}"));
        assert!(c.skipped[0].reason.contains("FIFO"), "{:?}", c.skipped);
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_directory_outside_root_is_followed() {
        use std::os::unix::fs::symlink;
        let outside = tmp();
        write(outside.path(), "x.txt", b"Outside Title\n\nBody.");
        let dir = tmp();
        symlink(outside.path(), dir.path().join("linked")).unwrap_or_else(|e| panic!("{e}"));
        let c = load_path(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<_> = c.docs.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, vec!["linked/x.txt"]);
    }

    #[test]
    fn embedded_seeds() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| {
                let bytes = fs::read(e.path()).unwrap_or_else(|err| panic!("{err}"));
                (e.file_name().to_string_lossy().into_owned(), bytes)
            })
            .collect();
        files.sort();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let c = load_embedded("<bundled seeds>", &refs);
        assert_eq!(c.root, PathBuf::from("<bundled seeds>"));
        assert_eq!(c.docs.len(), 5);
        assert!(c.skipped.is_empty() && c.warnings.is_empty());
        let titles: Vec<_> = c.docs.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Kicking Terrorist Ass and Winning",
                "No country will be allowed to provide sanctuaries and facilitation…",
                "US backs Pakistan in confronting cross-border attacks from Afghanistan",
                "Pakistan and US Unite Against ISKP",
                "Following a string of deadly attacks in various parts…",
            ]
        );
        // Same result from disk, but for the files' times: the seeds have
        // no date of their own, and embedded files no time.
        let mut disk = load_path(&dir).unwrap_or_else(|e| panic!("{e}"));
        for d in &mut disk.docs {
            assert_eq!(
                d.date.as_ref().map(|x| x.source),
                Some(DateSource::FileTime)
            );
            d.date = None;
        }
        assert_eq!(disk.docs, c.docs);
        for d in &c.docs {
            for r in &d.boilerplate {
                assert!(d.text.is_char_boundary(r.start) && d.text.is_char_boundary(r.end));
            }
        }
    }

    /// Pseudo-random inputs built from tricky pieces never panic, and every
    /// boilerplate range is sorted, disjoint and on char boundaries.
    #[test]
    fn junk_never_panics() {
        const PIECES: &[&str] = &[
            "a",
            "Word ",
            "é",
            "“",
            "”",
            "…",
            "😀",
            " ",
            "\n",
            "\r\n",
            "\n\n",
            "{",
            "}",
            ":",
            ";",
            "#",
            ".",
            ",",
            "<",
            ">",
            "&",
            "&amp;",
            "&#x1F600;",
            "&#",
            "(",
            ")",
            "(credit:",
            "(photo credit: X)",
            "You might also like...",
            "Related News",
            "Author",
            "Stay in the Loop",
            "Sign up for our newsletter",
            "Read more:",
            "#a{b:c}",
            "p{x:y;}",
            "<p>",
            "</p>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<title>",
            "\"text\"",
            "{\"text\":\"x\"}",
            "Jane Doe is a journalist",
            "\u{feff}",
            "\t",
            "•",
            "---",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..400 {
            let len = (next() % 60) as usize;
            let mut s = String::new();
            for _ in 0..len {
                s.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            for ext in ["txt", "md", "html", "jsonl"] {
                let name = format!("f{round}.{ext}");
                if let Ok((docs, _)) = parse_file(&name, s.as_bytes()) {
                    for d in docs {
                        assert!(!d.title.is_empty());
                        for w in d.boilerplate.windows(2) {
                            assert!(w[0].end < w[1].start);
                        }
                        for r in &d.boilerplate {
                            assert!(r.start < r.end && r.end <= d.text.len());
                            assert!(d.text.is_char_boundary(r.start));
                            assert!(d.text.is_char_boundary(r.end));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn fixtures_directory_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
        let c = load_path(&dir).unwrap_or_else(|e| panic!("{e}"));
        let by_id = |id: &str| c.docs.iter().find(|d| d.id == id).cloned();
        let Some(page) = by_id("page.html") else {
            panic!("{:?}", c.docs.iter().map(|d| &d.id).collect::<Vec<_>>())
        };
        assert_eq!(
            page.title,
            "Pakistan &amp; the TTP — an HTML fixture".replace("&amp;", "&")
        );
        assert!(!page.text.contains("tracking"));
        assert!(!page.text.contains("font-family"));
        assert!(page.text.contains("Islamabad’s “red line” …"));
        let Some(crlf) = by_id("crlf.txt") else {
            panic!()
        };
        assert_eq!(crlf.title, "A CRLF Headline");
        assert!(crlf.text.contains("\r\n"));
        let Some(md) = by_id("notes/article.md") else {
            panic!()
        };
        assert_eq!(md.title, "Markdown Headline");
        assert!(md.text.starts_with("# Markdown Headline"));
        assert!(by_id("articles.jsonl#1").is_some());
        assert!(by_id("articles.jsonl#3").is_some());
        assert!(c.warnings.iter().any(|w| w.message.starts_with("line 2: ")));
        assert!(c.docs.iter().all(|d| !d.id.contains(".hidden")));
    }
}
