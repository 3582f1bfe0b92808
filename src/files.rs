//! Reading and writing files safely on a shared server.
//!
//! Every file the program reads because a user or a corpus named it goes
//! through [`read_regular`]: only regular files are read (a FIFO, a device or
//! `/dev/zero` is refused at once instead of blocking or filling memory), and
//! every read is capped. Every file the program writes goes through
//! [`write_private`]: it is written to a fresh temporary file in the same
//! directory (created with `O_EXCL`, so a planted symlink is never followed),
//! made durable, and renamed over the destination, with mode 0600.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;
use thiserror::Error;

/// A size limit for small configuration files (themes, key maps, config).
pub const CONFIG_CAP: u64 = 4 * 1024 * 1024;

/// A size limit for knowledge-base files and annotation imports.
pub const DATA_CAP: u64 = 256 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    #[error("too large ({} MiB; limit {} MiB)", .size.div_ceil(1 << 20), .cap >> 20)]
    TooLarge { size: u64, cap: u64 },
}

/// A read error as an I/O error whose message says what was wrong ("not a
/// regular file (a FIFO)"), for errors that carry an `io::Error` source.
impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> io::Error {
        match e {
            ReadError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// What kind of thing a non-regular file is, for messages.
pub fn file_type_name(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a directory"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// Opens `path` for reading if, and only if, it is a regular file (symlinks
/// to one are fine). Opening never blocks on a FIFO.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO with no writer would block the open itself.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(file_type_name(&meta.file_type())));
    }
    Ok(file)
}

/// Reads a regular file of at most `cap` bytes.
pub fn read_regular(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let size = file.metadata()?.len();
    if size > cap {
        return Err(ReadError::TooLarge { size, cap });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow while it is read: never read past the cap.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            cap,
        });
    }
    Ok(bytes)
}

/// Reads a regular UTF-8 text file of at most `cap` bytes.
pub fn read_regular_string(path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, cap)?;
    String::from_utf8(bytes)
        .map_err(|e| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, e.utf8_error())))
}

/// Creates a directory (and its parents) readable by its owner only.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// A scratch file in `dir` (the system's temporary directory when `None`),
/// created with mode 0600 and O_EXCL and unlinked at once: it has no name
/// left, and goes when it is closed. (An unnamed O_TMPFILE would be made
/// with the umask's mode, not 0600.)
pub fn scratch_file(dir: Option<&Path>) -> io::Result<File> {
    let mut b = tempfile::Builder::new();
    b.prefix(".dossier-scratch-");
    let named = match dir {
        Some(d) => b.tempfile_in(d)?,
        None => b.tempfile()?,
    };
    Ok(named.into_file())
}

/// Writes `bytes` to `path` atomically, with mode 0600, never following a
/// symlink at `path`: the data goes to a new temporary file beside it, is
/// synced, and is renamed over `path` (which replaces a link rather than
/// writing through it).
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_private_with(path, |w| w.write_all(bytes))
}

/// Like [`write_private`], for a file written a piece at a time by `fill`
/// (through a buffer), so that a large file is never whole in memory.
pub fn write_private_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    // Say plainly that the directory is missing, not the temporary name.
    std::fs::metadata(dir)?;
    // tempfile creates with O_CREAT|O_EXCL and mode 0600.
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    {
        let mut w = io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Makes a new or renamed file's directory entry durable; best effort on
/// systems that cannot open directories.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Why another user could put a file or a link in `dir` (`what`, for the
/// message: "the cache directory"), or `None` when only its owner can: a
/// symbolic link, a directory owned by someone else, or one writable by its
/// group or by others is not to be trusted.
#[cfg(unix)]
pub fn untrusted_dir(dir: &Path, what: &str) -> io::Result<Option<String>> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(dir)?;
    if meta.file_type().is_symlink() {
        return Ok(Some(format!("{what} is a symbolic link")));
    }
    if let Some(uid) = current_uid()
        && meta.uid() != uid
    {
        return Ok(Some(format!(
            "{what} belongs to user {}, not to you (user {uid})",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o7777;
    let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
        (true, true) => "its group and by everyone",
        (true, false) => "its group",
        (false, true) => "everyone",
        (false, false) => return Ok(None),
    };
    Ok(Some(format!(
        "{what} can be written by {who} (mode {mode:04o})"
    )))
}

#[cfg(not(unix))]
pub fn untrusted_dir(_dir: &Path, _what: &str) -> io::Result<Option<String>> {
    Ok(None)
}

/// A short, safe file-name part for what `key` names (a corpus's path):
/// its last component, with anything but letters, digits, `-` and `_` made
/// `_`, at most 40 characters.
pub fn readable_stem(key: &str) -> String {
    key.rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or("corpus")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect()
}

/// The effective user id, or `None` where there is no such thing.
#[cfg(unix)]
pub fn current_uid() -> Option<u32> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    Some(unsafe { libc::geteuid() })
}

#[cfg(not(unix))]
pub fn current_uid() -> Option<u32> {
    None
}

/// The user's login name, for the journal's record of who decided what:
/// `$USER`, else `$LOGNAME`, else the numeric user id. Control characters
/// are never part of it.
pub fn login_name() -> String {
    let name = ["USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
        .find(|n| !n.trim().is_empty());
    match name {
        Some(n) => n,
        None => current_uid().map_or_else(|| "unknown".to_string(), |u| format!("uid {u}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_file_is_private_and_has_no_name() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut f = scratch_file(Some(dir.path())).unwrap();
        assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        f.write_all(b"text").unwrap();
        let f = scratch_file(None).unwrap();
        assert_eq!(f.metadata().unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn refuses_devices_and_fifos_at_once() {
        let err = read_regular(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.to_string().contains("character device"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let err = read_regular(&fifo, 1024).unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        let err = read_regular(dir.path(), 1024).unwrap_err();
        assert!(
            err.to_string().contains("directory") || err.to_string().contains("Is a directory"),
            "{err}"
        );
    }

    #[test]
    fn caps_reads() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'a'; 2000]).unwrap();
        assert!(matches!(
            read_regular(&p, 1000),
            Err(ReadError::TooLarge { .. })
        ));
        assert_eq!(read_regular(&p, 2000).unwrap().len(), 2000);
    }

    #[test]
    fn writes_privately_and_replaces_a_planted_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let out = dir.path().join("out.jsonl");
        std::os::unix::fs::symlink(&victim, &out).unwrap();
        write_private(&out, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        let meta = std::fs::symlink_metadata(&out).unwrap();
        assert!(meta.is_file());
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
