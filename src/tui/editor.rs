//! Writing a note in the user's own editor (`Ctrl-e` in the note prompt).
//!
//! The text goes to a private temporary file (mode 0600), `$VISUAL` or
//! `$EDITOR` (or `vi`) runs on it in the foreground with the terminal handed
//! over (see [`super::terminal::Term::lend`]), and what it saved comes back
//! as the note. Only [`edit`] does I/O; the event loop calls it, never
//! `update`.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`. Empty values
/// count as unset. It may carry arguments (`code --wait`), as in git.
pub fn editor_command(visual: Option<&str>, editor: Option<&str>) -> String {
    [visual, editor]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or("vi")
        .to_string()
}

/// Tidies what an editor saved for a note: Windows line ends become `\n`,
/// white space at the ends of lines and at either end of the note goes, and
/// control characters are made visible (tabs become spaces). Line breaks
/// inside the note stay. Empty means there is no note.
pub fn clean_note(saved: &str) -> String {
    let lines: Vec<String> = saved
        .lines()
        .map(|l| crate::text::sanitize(l).trim_end().to_string())
        .collect();
    lines.join("\n").trim().to_string()
}

/// The editor's program name, for messages: `vi` for `/usr/bin/vi -n`.
fn short_name(command: &str) -> &str {
    let program = command.split_whitespace().next().unwrap_or(command);
    program.rsplit('/').next().unwrap_or(program)
}

/// A temporary file that only its owner can read, removed when dropped.
struct TempNote {
    path: PathBuf,
}

impl TempNote {
    /// Creates a new file (never an existing one) in `dir` with `text`.
    fn create(dir: &Path, text: &str) -> io::Result<TempNote> {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut last_err = None;
        for _ in 0..100 {
            let n = SEQ.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!(
                "dossier-note-{}-{nanos:08x}-{n}.txt",
                std::process::id()
            ));
            let mut opts = OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            match opts.open(&path) {
                Ok(mut f) => {
                    let note = TempNote { path };
                    write_all(&mut f, text)?;
                    return Ok(note);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last_err.unwrap_or_else(|| io::Error::other("no free temporary name")))
    }
}

fn write_all(f: &mut File, text: &str) -> io::Result<()> {
    f.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        f.write_all(b"\n")?;
    }
    f.flush()
}

impl Drop for TempNote {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Runs `command` (an editor, as [`editor_command`] gives it) on a private
/// temporary file holding `text`, with the terminal inherited, and returns
/// what was saved, tidied by [`clean_note`]. An editor that fails or leaves
/// the file empty is an error that says so. Blocks until the editor exits;
/// the caller hands the terminal over first.
pub fn edit(command: &str, text: &str) -> Result<String, String> {
    let file = TempNote::create(&std::env::temp_dir(), text)
        .map_err(|e| format!("cannot make a temporary file: {e}"))?;
    // The command may carry arguments, so the shell splits it; the file is
    // an argument of its own, never part of the shell code.
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$@\""))
        .arg(command)
        .arg(&file.path)
        .status()
        .map_err(|e| format!("cannot run the editor `{command}`: {e}"))?;
    if !status.success() {
        let why = match status.code() {
            Some(127) => "exited with status 127 (not found?)".to_string(),
            Some(c) => format!("exited with status {c}"),
            None => "was ended by a signal".to_string(),
        };
        return Err(format!("{} {why}", short_name(command)));
    }
    let saved =
        std::fs::read(&file.path).map_err(|e| format!("cannot read what the editor saved: {e}"))?;
    let note = clean_note(&String::from_utf8_lossy(&saved));
    if note.is_empty() {
        return Err("the note is empty".to_string());
    }
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_is_visual_then_editor_then_vi() {
        assert_eq!(short_name("/usr/bin/vim -n"), "vim");
        assert_eq!(short_name("nano"), "nano");
        assert_eq!(editor_command(Some("nano"), Some("ed")), "nano");
        assert_eq!(
            editor_command(Some("  "), Some("code --wait")),
            "code --wait"
        );
        assert_eq!(editor_command(None, Some("")), "vi");
        assert_eq!(editor_command(None, None), "vi");
    }

    #[test]
    fn a_saved_note_is_tidied_but_keeps_its_lines() {
        assert_eq!(
            clean_note("\r\n\nFirst line.  \r\n\n  Second\tline.\n\n\n"),
            "First line.\n\n  Second line."
        );
        assert_eq!(clean_note("bell \u{7} here"), "bell ␇ here");
        assert_eq!(clean_note(" \n\t\n"), "");
    }

    #[cfg(unix)]
    #[test]
    fn the_temporary_file_is_private_and_goes_away() {
        use std::os::unix::fs::PermissionsExt;
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let path = {
            let Ok(note) = TempNote::create(dir.path(), "draft") else {
                panic!("create")
            };
            let Ok(meta) = std::fs::metadata(&note.path) else {
                panic!("metadata")
            };
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
            assert_eq!(
                std::fs::read_to_string(&note.path).ok().as_deref(),
                Some("draft\n")
            );
            note.path.clone()
        };
        assert!(!path.exists());
    }

    #[cfg(unix)]
    #[test]
    fn an_editor_that_fails_or_saves_nothing_is_an_error() {
        // `sh -c` runs these as the editor, with the file as `$1`.
        assert_eq!(
            edit("printf ' Long note\\nline two \\n' >", "old"),
            Ok("Long note\nline two".to_string())
        );
        // The prefilled text is what the editor sees.
        assert_eq!(
            edit(
                "f() { tr a-z A-Z < \"$1\" > \"$1.up\" && mv \"$1.up\" \"$1\"; }; f",
                "draft"
            ),
            Ok("DRAFT".to_string())
        );
        assert_eq!(
            edit("false", "x"),
            Err("false exited with status 1".to_string())
        );
        assert_eq!(edit(": >", "x"), Err("the note is empty".to_string()));
    }
}
