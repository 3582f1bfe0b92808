//! The annotation journal: an append-only JSON Lines file for each user and
//! corpus.
//!
//! - The first line is a header with the format version.
//! - Every decision is one line, written and `fsync`ed before
//!   [`Journal::append`] returns, so the screen only says "saved" for what is
//!   on disk.
//! - Files are created with mode 0600 in directories with mode 0700. A
//!   journal is never written where another user could plant a file or a
//!   link: the directory that holds it must be ours, not a symbolic link,
//!   and not writable by group or others; the journal and its lock must not
//!   be symbolic links (and are opened with `O_NOFOLLOW` as well).
//! - Only regular files are read, and no line longer than [`MAX_LINE`] is
//!   ever held in memory.
//! - An advisory lock on a `.lock` file beside the journal keeps a second
//!   instance of the same user from interleaving: it opens read-only.
//! - A torn last line (a crash mid-write) is set aside in a `.torn-…` file
//!   with a warning; everything before it is kept.
//! - Any other line that cannot be read is set aside alone, in a `.bad-…`
//!   file of its own, with a warning naming that file and the line; every
//!   decision before and after it stays in force. Set-aside files are never
//!   overwritten.
//! - A decision of a kind this build does not know (written by a newer one)
//!   is kept in the journal, reported, and not applied.
//! - Compaction writes a temporary file, fsyncs it and renames it over.
//!
//! Undo and redo are lines too (`{"undo": seq}`), so they survive restarts.

use super::ops::Op;
use crate::files::{self, ReadError};
use serde::{Deserialize, Serialize};
use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The journal format this build writes.
pub const FORMAT_VERSION: u32 = 1;

/// The longest line (with its newline) read from a journal: a longer one is
/// a bad line, and is never buffered whole.
pub const MAX_LINE: u64 = 16 << 20;
// The warnings say so in words.
const _: () = assert!(MAX_LINE == 16 << 20);

/// The longest batch, as a journal line, that
/// [`super::ops::batches`] should make: well under the longest line.
pub const BATCH_BYTES: usize = (MAX_LINE / 4) as usize;

#[derive(Debug, Error)]
pub enum JournalError {
    #[error("annotation journal {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: journal format {found} is newer than this dossier understands ({FORMAT_VERSION})"
    )]
    Version { path: PathBuf, found: u32 },
    #[error("{path}:{line}: {reason}")]
    Corrupt {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    /// Another user could have planted the file or a link to another one:
    /// the journal is not used at all.
    #[error(
        "{path}: {why}; refusing to use it for annotations (pass --annotations PATH to keep them elsewhere)"
    )]
    Unsafe { path: PathBuf, why: String },
    #[error("the journal is open read-only (another dossier holds {0})")]
    ReadOnly(PathBuf),
    #[error("nothing to {0}")]
    Nothing(&'static str),
}

impl JournalError {
    /// The message with its causes ("annotation journal PATH: No space left
    /// on device (os error 28)"), each said once.
    pub fn with_causes(&self) -> String {
        let mut s = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            let c = cause.to_string();
            if !s.contains(&c) {
                s.push_str(": ");
                s.push_str(&c);
            }
            source = cause.source();
        }
        s
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    dossier_journal: u32,
    #[serde(default)]
    corpus: String,
}

/// One line of the journal after the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    /// Seconds since the Unix epoch.
    #[serde(default)]
    pub at: u64,
    /// Who made it (`--annotator`, by default the login name); empty in
    /// lines written before annotators were recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    #[serde(flatten)]
    pub action: Action,
}

/// What a journal line records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Action {
    Undo {
        undo: u64,
    },
    Redo {
        redo: u64,
    },
    Op(Op),
    /// A decision this build cannot read (a newer kind): kept as written,
    /// never applied.
    Unknown(serde_json::Map<String, serde_json::Value>),
}

/// An open journal.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    /// None when read-only.
    file: Option<File>,
    _lock: Option<File>,
    entries: Vec<Entry>,
    next_seq: u64,
    /// Problems found while opening (a torn last line), for the user.
    pub warnings: Vec<String>,
    /// The corpus its header names ("" when it names none).
    made_for: String,
    /// Who the decisions written now are by.
    annotator: String,
    /// Lines that could not be read: (line number, byte range, what is
    /// wrong), in order.
    bad: Vec<(usize, std::ops::Range<u64>, &'static str)>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub use crate::files::{private_dir, sync_dir};

fn not_regular(meta: &std::fs::Metadata) -> std::io::Error {
    ReadError::NotRegular(files::file_type_name(&meta.file_type())).into()
}

fn symlink_refused(path: &Path, what: &str) -> JournalError {
    JournalError::Unsafe {
        path: path.to_path_buf(),
        why: format!("{what} is a symbolic link"),
    }
}

const JOURNAL: &str = "the annotation journal";
const LOCK: &str = "the annotation journal's lock file";
const DIRECTORY: &str = "the annotation journal's directory";

/// The directory that holds the journal at `path`.
fn journal_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses a symbolic link at `path` (`what`, for the message), and
/// anything there but a regular file. Nothing there is fine.
fn check_file(path: &Path, what: &str) -> Result<(), JournalError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(symlink_refused(path, what)),
        Ok(m) if !m.is_file() => Err(io(path)(not_regular(&m))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Refuses a journal directory where another user could put a file or a
/// link: a symbolic link, one owned by someone else, or one writable by
/// its group or by others.
fn check_dir(dir: &Path) -> Result<(), JournalError> {
    let Some(why) = files::untrusted_dir(dir, DIRECTORY).map_err(io(dir))? else {
        return Ok(());
    };
    let path = if dir == Path::new(".") {
        std::env::current_dir().unwrap_or_else(|_| dir.to_path_buf())
    } else {
        dir.to_path_buf()
    };
    Err(JournalError::Unsafe { path, why })
}

/// Opens a file of the journal (`what`, for messages) with mode 0600 when
/// it is created, never through a symbolic link, and only if it is a
/// regular file.
fn private_open(path: &Path, opts: &mut OpenOptions, what: &str) -> Result<File, JournalError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
        // O_NONBLOCK: a FIFO planted here must not block the open.
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = opts.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return symlink_refused(path, what);
        }
        io(path)(e)
    })?;
    let meta = file.metadata().map_err(io(path))?;
    if !meta.is_file() {
        return Err(io(path)(not_regular(&meta)));
    }
    Ok(file)
}

/// Sequence numbers stay below 2^53, the largest integer every JSON
/// reader keeps exactly, so that `seq + 1` can never overflow.
const MAX_SEQ: u64 = 1 << 53;

impl Journal {
    /// Opens (or creates) the journal at `path`, taking the lock. When another
    /// process holds the lock, the journal opens read-only.
    ///
    /// Refuses (with [`JournalError::Unsafe`]) a journal or lock that is a
    /// symbolic link, and a directory that is one, belongs to another user,
    /// or can be written by group or others (see the module's notes).
    pub fn open(path: &Path, corpus: &str) -> Result<Journal, JournalError> {
        let dir = journal_dir(path);
        let dir = dir.as_path();
        let lock_path = path.with_extension("lock");
        check_file(path, JOURNAL)?;
        private_dir(dir).map_err(io(dir))?;
        check_dir(dir)?;
        check_file(&lock_path, LOCK)?;
        let lock = private_open(
            &lock_path,
            OpenOptions::new().create(true).truncate(false).write(true),
            LOCK,
        )?;
        let writable = lock.try_lock().is_ok();
        let mut journal = Journal {
            path: path.to_path_buf(),
            file: None,
            _lock: writable.then_some(lock),
            entries: Vec::new(),
            next_seq: 1,
            warnings: Vec::new(),
            made_for: String::new(),
            annotator: crate::files::login_name(),
            bad: Vec::new(),
        };
        let len = journal.load()?;
        if writable {
            let file = private_open(
                path,
                OpenOptions::new().create(true).read(true).write(true),
                JOURNAL,
            )?;
            journal.file = Some(file);
        }
        journal.set_aside_bad_lines(len)?;
        journal.check_corpus(corpus);
        if let Some(file) = journal.file.as_mut() {
            let good_len = file.metadata().map_err(io(path))?.len();
            if good_len == 0 {
                let header = serde_json::to_string(&Header {
                    dossier_journal: FORMAT_VERSION,
                    corpus: corpus.to_string(),
                })
                .unwrap_or_default();
                file.set_len(0).map_err(io(path))?;
                file.seek(SeekFrom::Start(0)).map_err(io(path))?;
                file.write_all(format!("{header}\n").as_bytes())
                    .map_err(io(path))?;
                file.sync_all().map_err(io(path))?;
                sync_dir(dir);
            }
            file.seek(SeekFrom::End(0)).map_err(io(path))?;
        }
        Ok(journal)
    }

    /// Reads a journal without locking or creating anything (for headless
    /// commands). A missing file is an empty journal. Like [`Journal::open`]
    /// it refuses a symbolic link at `path` (a journal is never one), but
    /// not a shared directory: reading cannot harm another file.
    pub fn read(path: &Path) -> Result<Journal, JournalError> {
        let mut journal = Journal {
            path: path.to_path_buf(),
            file: None,
            _lock: None,
            entries: Vec::new(),
            next_seq: 1,
            warnings: Vec::new(),
            made_for: String::new(),
            annotator: crate::files::login_name(),
            bad: Vec::new(),
        };
        let len = journal.load()?;
        journal.set_aside_bad_lines(len)?;
        Ok(journal)
    }

    /// Reads the entries. Lines that cannot be read are noted in
    /// `self.bad` (by line number and byte range) and skipped; the rest are
    /// read on. Returns the journal's length.
    fn load(&mut self) -> Result<u64, JournalError> {
        check_file(&self.path, JOURNAL)?;
        let file = match files::open_regular(&self.path) {
            Ok(f) => f,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(io(&self.path)(e.into())),
        };
        let mut reader = BufReader::new(file);
        let mut at: u64 = 0;
        let mut line = Vec::new();
        let mut n = 0;
        loop {
            line.clear();
            let mut read = (&mut reader)
                .take(MAX_LINE + 1)
                .read_until(b'\n', &mut line)
                .map_err(io(&self.path))? as u64;
            if read == 0 {
                break;
            }
            n += 1;
            let start = at;
            if read > MAX_LINE && !line.ends_with(b"\n") {
                // Too long to hold: skip to its end without buffering it.
                if n == 1 {
                    return Err(JournalError::Corrupt {
                        path: self.path.clone(),
                        line: 1,
                        reason: format!(
                            "not a dossier journal (a line longer than {} MiB)",
                            MAX_LINE >> 20
                        ),
                    });
                }
                read += skip_line(&mut reader).map_err(io(&self.path))?;
                at += read;
                self.bad.push((n, start..at, "a line longer than 16 MiB"));
                continue;
            }
            at += read;
            let complete = line.ends_with(b"\n");
            let parsed = std::str::from_utf8(&line).ok().map(str::trim);
            if n == 1 {
                match parsed.and_then(|l| serde_json::from_str::<Header>(l).ok()) {
                    Some(h) if h.dossier_journal > FORMAT_VERSION => {
                        return Err(JournalError::Version {
                            path: self.path.clone(),
                            found: h.dossier_journal,
                        });
                    }
                    Some(h) if complete => {
                        self.made_for = h.corpus;
                        continue;
                    }
                    _ if !complete => {
                        self.warnings.push(format!(
                            "{}: the header line is torn; starting afresh",
                            self.path.display()
                        ));
                        self.bad.push((n, start..at, "torn header line"));
                        break;
                    }
                    _ => {
                        return Err(JournalError::Corrupt {
                            path: self.path.clone(),
                            line: 1,
                            reason: "not a dossier journal (no header line)".into(),
                        });
                    }
                }
            }
            match parsed.map(serde_json::from_str::<Entry>) {
                // A sequence number past any a journal reaches (and past
                // what JSON tools read exactly) is no entry of ours.
                Some(Ok(entry)) if complete && entry.seq < MAX_SEQ => {
                    if let Action::Unknown(fields) = &entry.action {
                        let kind = fields
                            .get("op")
                            .and_then(|v| v.as_str())
                            .map(|k| format!(" ({k})"))
                            .unwrap_or_default();
                        self.warnings.push(format!(
                            "{}:{n}: a decision this dossier cannot read{}; kept in the journal, not applied",
                            self.path.display(),
                            crate::text::sanitize(&kind)
                        ));
                    }
                    self.next_seq = self.next_seq.max(entry.seq + 1);
                    self.entries.push(entry);
                }
                _ => self.bad.push((n, start..at, "unreadable line")),
            }
        }
        Ok(at)
    }

    /// Sets the lines that could not be read aside, each in a file of its
    /// own beside the journal, and takes them out of it (a new file,
    /// renamed over it); warns with each one's line number and new place.
    /// Read-only, it only warns.
    fn set_aside_bad_lines(&mut self, len: u64) -> Result<(), JournalError> {
        if self.bad.is_empty() {
            return Ok(());
        }
        let bad = std::mem::take(&mut self.bad);
        let Some(file) = self.file.as_mut() else {
            for (n, _, what) in &bad {
                self.warnings.push(format!(
                    "{}:{n}: {what} ignored; the decisions before and after it are in force",
                    self.path.display()
                ));
            }
            return Ok(());
        };
        let dir = journal_dir(&self.path);
        for (n, range, what) in &bad {
            let torn = range.end == len;
            let tail = torn && !ends_with_newline(file, range).map_err(io(&self.path))?;
            let kind = if tail { "torn" } else { "bad" };
            let aside = set_aside(file, &self.path, kind, range.clone())?;
            self.warnings.push(if tail {
                format!(
                    "{}:{n}: torn last line (an interrupted write) set aside in {}; the {} entries before it are kept",
                    self.path.display(),
                    aside.display(),
                    self.entries.len()
                )
            } else {
                format!(
                    "{}:{n}: {what} set aside in {}; the decisions before and after it are in force",
                    self.path.display(),
                    aside.display()
                )
            });
        }
        // The journal without them: the good bytes, in order, to a new file
        // renamed over the old one.
        let tmp = self.path.with_extension("mend.tmp");
        let mut out = private_open(
            &tmp,
            OpenOptions::new().create(true).write(true).truncate(true),
            JOURNAL,
        )?;
        let mut from = 0;
        for range in bad.iter().map(|b| &b.1).chain(std::iter::once(&(len..len))) {
            file.seek(SeekFrom::Start(from)).map_err(io(&self.path))?;
            std::io::copy(&mut (&mut *file).take(range.start - from), &mut out)
                .map_err(io(&tmp))?;
            from = range.end;
        }
        out.sync_all().map_err(io(&tmp))?;
        std::fs::rename(&tmp, &self.path).map_err(io(&self.path))?;
        sync_dir(&dir);
        let reopened = private_open(
            &self.path,
            OpenOptions::new().read(true).write(true),
            JOURNAL,
        )?;
        self.file = Some(reopened);
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Who the decisions written from now on are by.
    pub fn set_annotator(&mut self, name: &str) {
        self.annotator = name.to_string();
    }

    /// Who the decisions written now are by.
    pub fn annotator(&self) -> &str {
        &self.annotator
    }

    /// The decisions in force, in order, with who made each ("" when the
    /// line does not say).
    pub fn effective_by(&self) -> Vec<(&Op, &str)> {
        let by: std::collections::HashMap<u64, &str> = self
            .entries
            .iter()
            .filter(|e| matches!(e.action, Action::Op(_)))
            .map(|e| (e.seq, e.by.as_str()))
            .collect();
        self.effective()
            .into_iter()
            .map(|(seq, op)| (op, by.get(&seq).copied().unwrap_or("")))
            .collect()
    }

    /// Who made the decisions in force, each once, in order of appearance.
    pub fn annotators(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.entries {
            if !e.by.is_empty() && !out.contains(&e.by.as_str()) {
                out.push(&e.by);
            }
        }
        out
    }

    /// Warns when the header names another corpus than `corpus` (its key:
    /// the canonical path, or `bundled-seeds`): its decisions were made on
    /// other documents, and may not fit these.
    pub fn check_corpus(&mut self, corpus: &str) {
        if !self.made_for.is_empty() && self.made_for != corpus {
            let w = format!(
                "{}: this journal was made for another corpus ({}); its decisions may not fit this one ({})",
                self.path.display(),
                self.made_for,
                corpus
            );
            if !self.warnings.contains(&w) {
                self.warnings.push(w);
            }
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.file.is_none()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    fn write(&mut self, action: Action) -> Result<u64, JournalError> {
        let Some(file) = self.file.as_mut() else {
            return Err(JournalError::ReadOnly(self.path.with_extension("lock")));
        };
        let entry = Entry {
            seq: self.next_seq,
            at: now(),
            by: self.annotator.clone(),
            action,
        };
        let mut line = serde_json::to_string(&entry).map_err(|e| JournalError::Corrupt {
            path: self.path.clone(),
            line: 0,
            reason: e.to_string(),
        })?;
        line.push('\n');
        let before = file.seek(SeekFrom::End(0)).map_err(io(&self.path))?;
        let result = file
            .write_all(line.as_bytes())
            .and_then(|_| file.sync_data());
        if let Err(e) = result {
            // A full disk must not leave half a line behind.
            let _ = file.set_len(before);
            let _ = file.sync_data();
            return Err(io(&self.path)(e));
        }
        self.next_seq += 1;
        let seq = entry.seq;
        self.entries.push(entry);
        Ok(seq)
    }

    /// Appends a decision; returns once it is on disk.
    pub fn append(&mut self, op: Op) -> Result<u64, JournalError> {
        self.write(Action::Op(op))
    }

    /// The decisions in force, in order, with their sequence numbers.
    pub fn effective(&self) -> Vec<(u64, &Op)> {
        let (done, _) = self.stacks();
        // One pass over the entries, not one search for each decision.
        let mut ops: std::collections::HashMap<u64, &Op> = std::collections::HashMap::new();
        for e in &self.entries {
            if let Action::Op(op) = &e.action {
                ops.entry(e.seq).or_insert(op);
            }
        }
        done.into_iter()
            .filter_map(|seq| ops.get(&seq).map(|op| (seq, *op)))
            .collect()
    }

    fn op(&self, seq: u64) -> Option<&Op> {
        self.entries.iter().find_map(|e| match &e.action {
            Action::Op(op) if e.seq == seq => Some(op),
            _ => None,
        })
    }

    /// (done, undone) stacks of operation sequence numbers.
    fn stacks(&self) -> (Vec<u64>, Vec<u64>) {
        let mut done: Vec<u64> = Vec::new();
        let mut undone: Vec<u64> = Vec::new();
        for e in &self.entries {
            match &e.action {
                Action::Op(_) => {
                    done.push(e.seq);
                    undone.clear();
                }
                Action::Undo { undo } => {
                    if let Some(p) = done.iter().rposition(|s| s == undo) {
                        done.remove(p);
                        undone.push(*undo);
                    }
                }
                Action::Redo { redo } => {
                    if let Some(p) = undone.iter().rposition(|s| s == redo) {
                        undone.remove(p);
                        done.push(*redo);
                    }
                }
                Action::Unknown(_) => {}
            }
        }
        (done, undone)
    }

    /// Undoes the latest decision in force; returns it.
    pub fn undo(&mut self) -> Result<Op, JournalError> {
        let (done, _) = self.stacks();
        let seq = *done.last().ok_or(JournalError::Nothing("undo"))?;
        let op = self.op(seq).cloned().ok_or(JournalError::Nothing("undo"))?;
        self.write(Action::Undo { undo: seq })?;
        Ok(op)
    }

    /// Redoes the latest undone decision; returns it.
    pub fn redo(&mut self) -> Result<Op, JournalError> {
        let (_, undone) = self.stacks();
        let seq = *undone.last().ok_or(JournalError::Nothing("redo"))?;
        let op = self.op(seq).cloned().ok_or(JournalError::Nothing("redo"))?;
        self.write(Action::Redo { redo: seq })?;
        Ok(op)
    }

    /// Rewrites the journal with only the decisions in force (dropping undone
    /// ones and the undo lines): temporary file, fsync, rename, fsync dir.
    pub fn compact(&mut self, corpus: &str) -> Result<(), JournalError> {
        if self.file.is_none() {
            return Err(JournalError::ReadOnly(self.path.with_extension("lock")));
        }
        let keep: Vec<Entry> = {
            let (done, _) = self.stacks();
            self.entries
                .iter()
                .filter(|e| match e.action {
                    Action::Op(_) => done.contains(&e.seq),
                    // Not ours to drop: a newer dossier may read it.
                    Action::Unknown(_) => true,
                    Action::Undo { .. } | Action::Redo { .. } => false,
                })
                .cloned()
                .collect()
        };
        let tmp = self.path.with_extension("compact.tmp");
        let mut f = private_open(
            &tmp,
            OpenOptions::new().create(true).write(true).truncate(true),
            JOURNAL,
        )?;
        let header = serde_json::to_string(&Header {
            dossier_journal: FORMAT_VERSION,
            corpus: corpus.to_string(),
        })
        .unwrap_or_default();
        let mut text = format!("{header}\n");
        for e in &keep {
            text.push_str(&serde_json::to_string(e).unwrap_or_default());
            text.push('\n');
        }
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(io(&tmp))?;
        std::fs::rename(&tmp, &self.path).map_err(io(&self.path))?;
        if let Some(dir) = self.path.parent() {
            sync_dir(dir);
        }
        let mut file = private_open(
            &self.path,
            OpenOptions::new().read(true).write(true),
            JOURNAL,
        )?;
        file.seek(SeekFrom::End(0)).map_err(io(&self.path))?;
        self.file = Some(file);
        self.entries = keep;
        Ok(())
    }
}

/// Reads to the end of the current line, keeping nothing; returns the bytes
/// passed over.
fn skip_line(reader: &mut impl BufRead) -> std::io::Result<u64> {
    let mut skipped = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(skipped);
        }
        match buf.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(skipped + i as u64 + 1);
            }
            None => {
                let n = buf.len();
                reader.consume(n);
                skipped += n as u64;
            }
        }
    }
}

/// Does the byte range end with a line break?
fn ends_with_newline(file: &mut File, range: &std::ops::Range<u64>) -> std::io::Result<bool> {
    if range.is_empty() {
        return Ok(false);
    }
    file.seek(SeekFrom::Start(range.end - 1))?;
    let mut b = [0u8; 1];
    file.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

/// Copies `range` of the journal to a new file beside it,
/// `<journal>.<kind>-<seconds>` (or `…-<seconds>-<k>` when that name is
/// taken): never over an earlier one, never through a link.
fn set_aside(
    file: &mut File,
    path: &Path,
    kind: &str,
    range: std::ops::Range<u64>,
) -> Result<PathBuf, JournalError> {
    let stamp = now();
    for k in 0..1000u32 {
        let ext = if k == 0 {
            format!("{kind}-{stamp}")
        } else {
            format!("{kind}-{stamp}-{k}")
        };
        let aside = path.with_extension(ext);
        match private_open(
            &aside,
            OpenOptions::new().write(true).create_new(true),
            JOURNAL,
        ) {
            Ok(mut f) => {
                file.seek(SeekFrom::Start(range.start)).map_err(io(path))?;
                std::io::copy(&mut (&mut *file).take(range.end - range.start), &mut f)
                    .and_then(|_| f.sync_all())
                    .map_err(io(&aside))?;
                return Ok(aside);
            }
            Err(JournalError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::AlreadyExists =>
            {
                continue;
            }
            // A link planted at the name, or a name taken by something
            // else: try the next name.
            Err(JournalError::Unsafe { .. }) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(JournalError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "no free name to set an unreadable line aside",
        ),
    })
}

/// Where the journal of a corpus lives by default:
/// `$XDG_DATA_HOME/dossier/journals/<name>-<hash>.jsonl` (or
/// `~/.local/share/...`), keyed by the corpus's canonical path.
pub fn default_path(corpus_key: &str) -> Option<PathBuf> {
    default_path_from(
        corpus_key,
        std::env::var_os("XDG_DATA_HOME").as_deref(),
        std::env::var_os("HOME").as_deref(),
    )
}

/// [`default_path`] from the values of `XDG_DATA_HOME` and `HOME`. Only an
/// absolute path counts: a relative `XDG_DATA_HOME` is invalid and ignored
/// (as the XDG base directory specification says), and an empty or
/// relative `HOME` is no place at all, rather than the current directory.
pub fn default_path_from(
    corpus_key: &str,
    xdg_data_home: Option<&OsStr>,
    home: Option<&OsStr>,
) -> Option<PathBuf> {
    fn absolute(v: Option<&OsStr>) -> Option<&Path> {
        v.map(Path::new).filter(|p| p.is_absolute())
    }
    let base = match absolute(xdg_data_home) {
        Some(x) => x.to_path_buf(),
        None => absolute(home)?.join(".local/share"),
    };
    let name = crate::files::readable_stem(corpus_key);
    // FNV-1a: stable across builds and platforms, unlike std's hasher.
    let hash = corpus_key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    Some(
        base.join("dossier")
            .join("journals")
            .join(format!("{name}-{hash:016x}.jsonl")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::Kind;

    fn op(n: u32) -> Op {
        Op::SetKind {
            entity: format!("e{n}"),
            kind: Kind::Org,
        }
    }

    #[test]
    fn appends_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&p, "c").unwrap();
            j.append(op(1)).unwrap();
            j.append(op(2)).unwrap();
        }
        let j = Journal::open(&p, "c").unwrap();
        let ops: Vec<&Op> = j.effective().into_iter().map(|(_, o)| o).collect();
        assert_eq!(ops, vec![&op(1), &op(2)]);
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_everything_before_it_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&p, "c").unwrap();
            for n in 0..5 {
                j.append(op(n)).unwrap();
            }
        }
        let full = std::fs::read(&p).unwrap();
        std::fs::write(&p, &full[..full.len() - 7]).unwrap(); // cut mid-line
        let mut j = Journal::open(&p, "c").unwrap();
        assert_eq!(j.effective().len(), 4);
        assert_eq!(j.warnings.len(), 1, "{:?}", j.warnings);
        // Appending after recovery gives a clean file.
        j.append(op(9)).unwrap();
        drop(j);
        let j = Journal::open(&p, "c").unwrap();
        assert!(j.warnings.is_empty(), "{:?}", j.warnings);
        assert_eq!(j.effective().len(), 5);
        let aside = std::fs::read_dir(dir.path()).unwrap().filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("torn")
        });
        assert_eq!(aside.count(), 1);
    }

    /// The journal's lines.
    fn lines(p: &Path) -> Vec<String> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Files set aside beside the journal, by kind ("bad", "torn").
    fn set_aside(dir: &Path, kind: &str) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| x.to_string_lossy().starts_with(&format!("{kind}-")))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn a_bad_line_in_the_middle_is_set_aside_alone_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&p, "c").unwrap();
            for n in 0..10 {
                j.append(op(n)).unwrap();
            }
        }
        // Garbage after line 4 (the header is line 1), and again later.
        let mut ls = lines(&p);
        ls.insert(4, "{\"seq\": 4, garbage".to_string());
        ls.insert(9, "\u{1b}]52;c;bad\u{7}".to_string());
        std::fs::write(&p, ls.join("\n") + "\n").unwrap();

        // Read-only: every valid decision is in force; the file is as it was.
        let r = Journal::read(&p).unwrap();
        assert_eq!(r.effective().len(), 10);
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
        assert!(r.warnings[0].contains("j.jsonl:5: unreadable line ignored"));
        assert_eq!(lines(&p).len(), 13);

        // Opened for writing: each bad line goes to a file of its own (two
        // in one second get two names), the journal keeps the rest.
        let mut j = Journal::open(&p, "c").unwrap();
        let ops: Vec<Op> = j.effective().into_iter().map(|(_, o)| o.clone()).collect();
        assert_eq!(ops, (0..10).map(op).collect::<Vec<_>>());
        let aside = set_aside(dir.path(), "bad");
        assert_eq!(aside.len(), 2, "{aside:?}");
        assert_eq!(
            std::fs::read_to_string(&aside[0]).unwrap()
                + &std::fs::read_to_string(&aside[1]).unwrap(),
            "{\"seq\": 4, garbage\n\u{1b}]52;c;bad\u{7}\n"
        );
        assert_eq!(j.warnings.len(), 2, "{:?}", j.warnings);
        for (w, (line, file)) in j.warnings.iter().zip([(5, &aside[0]), (10, &aside[1])]) {
            assert!(
                w.contains(&format!("j.jsonl:{line}: unreadable line set aside in")),
                "{w}"
            );
            assert!(w.contains(&file.display().to_string()), "{w}");
        }
        assert_eq!(lines(&p).len(), 11);
        // Numbering goes on after the highest: no collision.
        assert_eq!(j.append(op(10)).unwrap(), 11);
        drop(j);
        let j = Journal::open(&p, "c").unwrap();
        assert!(j.warnings.is_empty(), "{:?}", j.warnings);
        assert_eq!(j.effective().len(), 11);
        assert_eq!(set_aside(dir.path(), "bad").len(), 2);
    }

    #[test]
    fn a_decision_of_an_unknown_kind_is_kept_reported_and_not_applied() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&p, "c").unwrap();
            j.append(op(1)).unwrap();
        }
        let newer = r#"{"seq":2,"at":5,"op":"frobnicate","span":[1,2]}"#;
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        writeln!(f, "{newer}").unwrap();
        drop(f);
        let mut j = Journal::open(&p, "c").unwrap();
        j.append(op(3)).unwrap();
        assert_eq!(j.effective().len(), 2);
        assert_eq!(j.warnings.len(), 1, "{:?}", j.warnings);
        assert!(j.warnings[0].contains(":3: a decision this dossier cannot read (frobnicate)"));
        assert!(set_aside(dir.path(), "bad").is_empty());
        // Undo passes it by; compaction keeps it.
        assert_eq!(j.undo().unwrap(), op(3));
        assert_eq!(j.undo().unwrap(), op(1));
        j.compact("c").unwrap();
        let kept = lines(&p);
        assert_eq!(kept.len(), 2, "{kept:?}");
        let back: serde_json::Value = serde_json::from_str(&kept[1]).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(newer).unwrap()
        );
    }

    #[test]
    fn undo_and_redo_are_journalled() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        {
            let mut j = Journal::open(&p, "c").unwrap();
            j.append(op(1)).unwrap();
            j.append(op(2)).unwrap();
            assert_eq!(j.undo().unwrap(), op(2));
            assert_eq!(j.effective().len(), 1);
        }
        let mut j = Journal::open(&p, "c").unwrap();
        assert_eq!(j.effective().len(), 1);
        assert_eq!(j.redo().unwrap(), op(2));
        assert_eq!(j.effective().len(), 2);
        assert!(matches!(j.redo(), Err(JournalError::Nothing("redo"))));
        j.undo().unwrap();
        j.append(op(3)).unwrap(); // a new decision drops the redo branch
        assert!(j.redo().is_err());
        let ops: Vec<&Op> = j.effective().into_iter().map(|(_, o)| o).collect();
        assert_eq!(ops, vec![&op(1), &op(3)]);
    }

    #[test]
    fn a_second_instance_opens_read_only_and_cannot_interleave() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        let mut first = Journal::open(&p, "c").unwrap();
        first.append(op(1)).unwrap();
        let mut second = Journal::open(&p, "c").unwrap();
        assert!(second.is_read_only());
        assert_eq!(second.effective().len(), 1);
        assert!(matches!(
            second.append(op(2)),
            Err(JournalError::ReadOnly(_))
        ));
        first.append(op(3)).unwrap();
        drop(first);
        let j = Journal::open(&p, "c").unwrap();
        assert!(!j.is_read_only());
        assert_eq!(j.effective().len(), 2);
    }

    #[test]
    fn compaction_keeps_what_is_in_force() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        let mut j = Journal::open(&p, "c").unwrap();
        j.append(op(1)).unwrap();
        j.append(op(2)).unwrap();
        j.undo().unwrap();
        j.compact("c").unwrap();
        j.append(op(3)).unwrap();
        drop(j);
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        let j = Journal::open(&p, "c").unwrap();
        let ops: Vec<&Op> = j.effective().into_iter().map(|(_, o)| o).collect();
        assert_eq!(ops, vec![&op(1), &op(3)]);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/j.jsonl");
        Journal::open(&p, "c").unwrap().append(op(1)).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&p), 0o600);
        assert_eq!(mode(p.parent().unwrap()), 0o700);
    }

    #[test]
    fn a_newer_format_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        std::fs::write(&p, "{\"dossier_journal\": 99}\n").unwrap();
        assert!(matches!(
            Journal::open(&p, "c"),
            Err(JournalError::Version { found: 99, .. })
        ));
    }

    #[test]
    fn default_path_is_stable_and_keyed_by_corpus() {
        let a = default_path("/data/news").unwrap();
        assert_eq!(a, default_path("/data/news").unwrap());
        assert_ne!(a, default_path("/other/news").unwrap());
        assert!(a.to_string_lossy().contains("dossier/journals/news-"));
    }

    #[test]
    fn default_path_ignores_relative_and_empty_places() {
        let os = |s: &'static str| Some(OsStr::new(s));
        let under = |p: Option<PathBuf>, base: &str| {
            p.is_some_and(|p| {
                p.starts_with(base) && p.to_string_lossy().contains("dossier/journals/")
            })
        };
        let key = "/data/news";
        assert!(under(
            default_path_from(key, os("/x/data"), os("/home/u")),
            "/x/data"
        ));
        // A relative XDG_DATA_HOME is invalid and ignored; so is an empty one.
        assert!(under(
            default_path_from(key, os("rel/data"), os("/home/u")),
            "/home/u/.local/share"
        ));
        assert!(under(
            default_path_from(key, os(""), os("/home/u")),
            "/home/u/.local/share"
        ));
        assert!(under(
            default_path_from(key, None, os("/home/u")),
            "/home/u/.local/share"
        ));
        // An empty or relative HOME is no place (not the current directory).
        assert_eq!(default_path_from(key, None, os("")), None);
        assert_eq!(default_path_from(key, os("data"), os("home")), None);
        assert_eq!(default_path_from(key, os("."), None), None);
        assert_eq!(default_path_from(key, None, None), None);
    }

    fn refused_for(e: JournalError, path: &Path, why: &str) {
        let msg = e.to_string();
        assert!(matches!(e, JournalError::Unsafe { .. }), "{msg}");
        assert!(msg.starts_with(&format!("{}: ", path.display())), "{msg}");
        assert!(msg.contains(why), "{msg}");
        assert!(msg.contains("--annotations PATH"), "{msg}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_journal_or_lock_is_refused_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        // A link at the journal: opening it must not truncate the victim,
        // and reading refuses it too.
        let p = dir.path().join("j.jsonl");
        std::os::unix::fs::symlink(&victim, &p).unwrap();
        refused_for(
            Journal::open(&p, "c").unwrap_err(),
            &p,
            "journal is a symbolic link",
        );
        refused_for(Journal::read(&p).unwrap_err(), &p, "a symbolic link");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        // A link at the lock: it must not create the file it points to.
        let q = dir.path().join("k.jsonl");
        let made = dir.path().join("made");
        std::os::unix::fs::symlink(&made, dir.path().join("k.lock")).unwrap();
        refused_for(
            Journal::open(&q, "c").unwrap_err(),
            &dir.path().join("k.lock"),
            "lock file is a symbolic link",
        );
        assert!(!made.exists());
        assert!(!q.exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_directory_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        private_dir(&real).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        refused_for(
            Journal::open(&link.join("j.jsonl"), "c").unwrap_err(),
            &link,
            "directory is a symbolic link",
        );
        assert_eq!(std::fs::read_dir(&real).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_others_can_write_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for (mode, who) in [
            (0o777, "by its group and by everyone (mode 0777)"),
            (0o1733, "by everyone (mode 1733)"),
            (0o770, "by its group (mode 0770)"),
        ] {
            let shared = dir.path().join(format!("{mode:o}"));
            std::fs::create_dir(&shared).unwrap();
            std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(mode)).unwrap();
            let p = shared.join("j.jsonl");
            refused_for(Journal::open(&p, "c").unwrap_err(), &shared, who);
            assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0, "{mode:o}");
        }
        // Reading is no danger: a journal in a shared directory can be read.
        let mine = dir.path().join("mine");
        Journal::open(&mine.join("j.jsonl"), "c")
            .unwrap()
            .append(op(1))
            .unwrap();
        std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(
            Journal::read(&mine.join("j.jsonl"))
                .unwrap()
                .entries()
                .len(),
            1
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_directory_of_another_user_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let theirs = dir.path().join("theirs");
        private_dir(&theirs).unwrap();
        let other = match crate::files::current_uid() {
            Some(0) => 4242,
            _ => {
                eprintln!("note: not root, cannot give a directory away; skipped");
                return;
            }
        };
        if std::os::unix::fs::chown(&theirs, Some(other), None).is_err() {
            eprintln!("note: chown failed; skipped");
            return;
        }
        refused_for(
            Journal::open(&theirs.join("j.jsonl"), "c").unwrap_err(),
            &theirs,
            "belongs to user 4242, not to you (user 0)",
        );
        assert_eq!(std::fs::read_dir(&theirs).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_torn_tail_is_never_set_aside_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        Journal::open(&p, "c").unwrap().append(op(1)).unwrap();
        let mut text = std::fs::read(&p).unwrap();
        text.extend_from_slice(b"{\"seq\": 2, \"torn");
        std::fs::write(&p, &text).unwrap();
        // Links at every name the torn tail could be given in the next
        // seconds, to a victim.
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let start = now();
        for t in start..start + 5 {
            std::os::unix::fs::symlink(&victim, p.with_extension(format!("torn-{t}"))).unwrap();
        }
        let j = Journal::open(&p, "c").unwrap();
        assert_eq!(j.entries().len(), 1);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[test]
    fn an_overlong_line_is_a_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        Journal::open(&p, "c").unwrap().append(op(1)).unwrap();
        // A well-formed entry, but longer than any line is allowed to be.
        let long = Entry {
            seq: 2,
            at: 0,
            by: String::new(),
            action: Action::Op(Op::SetKind {
                entity: "e".repeat(MAX_LINE as usize),
                kind: crate::entity::Kind::Org,
            }),
        };
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        writeln!(f, "{}", serde_json::to_string(&long).unwrap()).unwrap();
        drop(f);
        let j = Journal::read(&p).unwrap();
        assert_eq!(j.entries().len(), 1);
        assert_eq!(j.warnings.len(), 1, "{:?}", j.warnings);
        assert!(
            j.warnings[0].contains(":3: a line longer than 16 MiB"),
            "{:?}",
            j.warnings
        );
        // As the first line, it is not a journal at all.
        let q = dir.path().join("k.jsonl");
        std::fs::write(&q, vec![b'x'; MAX_LINE as usize + 1]).unwrap();
        let e = Journal::read(&q).unwrap_err().to_string();
        assert!(
            e.contains("k.jsonl:1: not a dossier journal (a line longer"),
            "{e}"
        );
    }

    /// Runs `f` on a thread; fails if it takes more than a few seconds (a
    /// FIFO with no writer would block forever).
    fn soon<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("blocked (on a FIFO?)")
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_device_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("j.jsonl");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let f = fifo.clone();
        let e = soon(move || Journal::read(&f).unwrap_err().with_causes());
        assert!(e.contains("j.jsonl: not a regular file (a FIFO)"), "{e}");
        let f = fifo.clone();
        let e = soon(move || Journal::open(&f, "c").unwrap_err().with_causes());
        assert!(e.contains("j.jsonl: not a regular file (a FIFO)"), "{e}");
        // Nothing was created beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let e = soon(|| {
            Journal::read(Path::new("/dev/null"))
                .unwrap_err()
                .with_causes()
        });
        assert!(
            e.contains("/dev/null: not a regular file (a character device)"),
            "{e}"
        );
    }
}
