//! A corpus from a list of file paths, as `find … | dossier docs -` gives
//! it on standard input: one path a line, or NUL-separated (`-0`, for
//! `find -print0`).
//!
//! Each listed file is read as a directory's files are: only regular files,
//! at most [`corpus::max_file_bytes`] each, and one that cannot be read (missing,
//! a directory, a FIFO, binary, empty) is skipped with its reason instead of
//! stopping the others. Every file listed is read whatever its extension, as
//! a single FILE given on the command line is. Document ids are the paths
//! relative to the deepest directory that holds every listed file, so the
//! same files listed or found by a directory walk from there get the same
//! ids. The texts stay in memory (a corpus from a list is not cached).

use crate::corpus::date::{DateSource, DocDate, date_of_unix};
use crate::corpus::{self, Corpus, Skipped};
use crate::files;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// The longest list of paths read (64 MiB: a million paths of 60 bytes).
pub const MAX_LIST_BYTES: u64 = 64 * 1024 * 1024;

/// The list itself could not be read.
#[derive(Debug, Error)]
pub enum PathListError {
    #[error("the list of paths is longer than {} MiB", MAX_LIST_BYTES / (1024 * 1024))]
    TooLong,
    #[error("cannot read the list of paths")]
    Read(#[source] std::io::Error),
    #[error("the list of paths is empty")]
    Empty,
}

/// Reads a list of paths: one a line (`nul` false) or NUL-separated.
/// Empty entries are passed over.
pub fn read_list(input: impl Read, nul: bool) -> Result<Vec<PathBuf>, PathListError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_LIST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(PathListError::Read)?;
    if bytes.len() as u64 > MAX_LIST_BYTES {
        return Err(PathListError::TooLong);
    }
    let sep = if nul { b'\0' } else { b'\n' };
    let paths: Vec<PathBuf> = bytes
        .split(|&b| b == sep)
        .filter(|p| !p.is_empty())
        .map(path_from_bytes)
        .collect();
    if paths.is_empty() {
        return Err(PathListError::Empty);
    }
    Ok(paths)
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// `path` made absolute against the working directory, with `.` and `..`
/// taken away by name (links are not resolved: ids keep the path given).
fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in cwd.join(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The listed files, absolute and each once (in the order first listed),
/// and the deepest directory that holds them all.
fn resolve(paths: &[PathBuf]) -> (Vec<PathBuf>, PathBuf) {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
    let mut seen = std::collections::HashSet::new();
    let files: Vec<PathBuf> = paths
        .iter()
        .map(|p| absolute(p, &cwd))
        .filter(|p| seen.insert(p.clone()))
        .collect();
    let mut root: Option<PathBuf> = None;
    for f in &files {
        let dir = f.parent().unwrap_or(f);
        root = Some(match root {
            None => dir.to_path_buf(),
            Some(r) => r
                .components()
                .zip(dir.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    (files, root.unwrap_or(cwd))
}

/// The directory the ids of a list's documents are relative to.
pub fn root_of(paths: &[PathBuf]) -> PathBuf {
    resolve(paths).1
}

/// Reads the listed files (on every core) into one corpus rooted at
/// [`root_of`]`(paths)`.
pub fn load_files(paths: &[PathBuf]) -> Corpus {
    use rayon::prelude::*;
    let (files, root) = resolve(paths);
    let parts: Vec<Corpus> = files
        .par_iter()
        .map(|abs| {
            let rel = abs
                .strip_prefix(&root)
                .unwrap_or(abs)
                .to_string_lossy()
                .replace('\\', "/");
            match files::read_regular(abs, corpus::max_file_bytes()) {
                Ok(bytes) => {
                    let mut part = corpus::load_embedded("", &[(rel.as_str(), &bytes)]);
                    // Failing a date of its own, when the file was saved
                    // (flagged so), as for a directory's files.
                    let saved = std::fs::metadata(abs)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .map(|d| {
                            DocDate::new(date_of_unix(d.as_secs() as i64), DateSource::FileTime)
                        });
                    for d in &mut part.docs {
                        if d.date.is_none() {
                            d.date = saved.clone();
                        }
                    }
                    part
                }
                Err(e) => Corpus {
                    skipped: vec![Skipped {
                        path: PathBuf::from(rel),
                        reason: e.to_string(),
                    }],
                    ..Corpus::default()
                },
            }
        })
        .collect();
    let mut corpus = Corpus {
        root,
        ..Corpus::default()
    };
    for part in parts {
        corpus.docs.extend(part.docs);
        corpus.skipped.extend(part.skipped);
        corpus.warnings.extend(part.warnings);
    }
    // As a directory's documents are: in natural order of ids.
    corpus
        .docs
        .sort_by(|a, b| crate::text::natural_cmp(&a.id, &b.id));
    corpus.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    corpus.warnings.sort_by(|a, b| a.path.cmp(&b.path));
    corpus
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_or_nul_separated_and_capped() {
        let list = read_list(&b"a.txt\n\nb c.html\n"[..], false).unwrap();
        assert_eq!(list, [PathBuf::from("a.txt"), PathBuf::from("b c.html")]);
        let list = read_list(&b"a\nb.txt\0c.txt\0"[..], true).unwrap();
        assert_eq!(list, [PathBuf::from("a\nb.txt"), PathBuf::from("c.txt")]);
        assert!(matches!(
            read_list(&b"\n\n"[..], false),
            Err(PathListError::Empty)
        ));
        let long = std::io::repeat(b'a').take(MAX_LIST_BYTES + 10);
        assert!(matches!(
            read_list(long, false),
            Err(PathListError::TooLong)
        ));
    }

    #[test]
    fn ids_are_relative_to_the_deepest_common_directory() {
        let dir = tempfile::tempdir().unwrap();
        let news = dir.path().join("news");
        std::fs::create_dir_all(news.join("2024")).unwrap();
        std::fs::write(news.join("a.txt"), "Alpha headline\n\nText one.\n").unwrap();
        std::fs::write(news.join("2024/b.md"), "Beta headline\n\nText two.\n").unwrap();
        std::fs::write(news.join("empty.txt"), "").unwrap();
        let list = vec![
            news.join("2024/../2024/b.md"),
            news.join("a.txt"),
            news.join("a.txt"),
            news.join("missing.txt"),
            news.join("empty.txt"),
            news.join("2024"),
        ];
        assert_eq!(root_of(&list), news);
        let c = load_files(&list);
        let ids: Vec<&str> = c.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["2024/b.md", "a.txt"]);
        assert_eq!(c.root, news);
        let skipped: Vec<String> = c
            .skipped
            .iter()
            .map(|s| s.path.display().to_string())
            .collect();
        assert_eq!(skipped, ["2024", "empty.txt", "missing.txt"]);
        // The same ids as a directory walk from the common directory.
        let walked = corpus::load_path(&news).unwrap();
        let walked: Vec<&str> = walked.docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, walked);
    }
}
