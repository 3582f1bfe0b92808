//! Hostile files where dossier expects its own, run as a process (and, for
//! the reader's theme and config files, through the library): a device or
//! a FIFO given as the journal, a knowledge base, a theme or the config
//! file fails at once with a message naming it, instead of filling memory
//! or blocking; a symlink planted at the default journal is refused rather
//! than followed, as is a journal directory that others can write; and an
//! empty HOME is no place for a journal rather than the current directory.
//!
//! A regression must fail, not hang or take the machine's memory: every
//! process runs under a timeout, and this test binary (with its children)
//! under a limit on its address space.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// Caps the address space of this test process and the processes it
/// starts, so that reading `/dev/zero` without bound ends in an allocation
/// failure rather than in the machine's memory.
fn limit_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let limit = libc::rlimit {
            rlim_cur: 4 << 30,
            rlim_max: libc::RLIM_INFINITY,
        };
        // SAFETY: a valid rlimit for this process; the hard limit stays.
        unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    });
}

/// Runs `f` on a thread; fails if it takes longer than [`WAIT`] (a FIFO
/// with no writer would block forever).
fn soon<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    limit_memory();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(WAIT)
        .unwrap_or_else(|_| panic!("{what} did not finish in {WAIT:?}: blocked on a FIFO?"))
}

/// Runs `dossier ARGS` in `home` (its HOME, data and config directory, and
/// its current directory); kills it and fails if it does not finish in time.
fn dossier_in(home: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    limit_memory();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args)
        .current_dir(home)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"));
    for (k, v) in env {
        match *v {
            "<unset>" => cmd.env_remove(k),
            v => cmd.env(k, v),
        };
    }
    common::output_within(cmd, WAIT, &format!("dossier {args:?} (blocked on a FIFO?)"))
}

/// Asserts that `out` failed with a message on standard error that holds
/// each of `parts`.
fn failed_saying(out: &Output, parts: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "succeeded; stderr: {err}");
    for part in parts {
        assert!(err.contains(part), "{part:?} not in: {err}");
    }
    err
}

fn mkfifo(path: &Path) -> PathBuf {
    let c = std::ffi::CString::new(path.to_str().expect("utf-8 path")).expect("no NUL");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    path.to_path_buf()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The default journal of the bundled seeds for a data directory.
fn default_journal(data: &Path) -> PathBuf {
    dossier::annotate::journal::default_path_from("bundled-seeds", Some(data.as_os_str()), None)
        .expect("a default journal path")
}

#[test]
fn a_device_or_a_fifo_as_the_journal_fails_at_once() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = dossier_in(
        home.path(),
        &[],
        &["annotations", "--annotations", "/dev/zero"],
    );
    failed_saying(
        &out,
        &["/dev/zero: not a regular file (a character device)"],
    );
    let fifo = mkfifo(&home.path().join("j.jsonl"));
    for args in [
        &["annotations", "--annotations", s(&fifo)][..],
        // Opening it for writing too.
        &["annotations", "--compact", "--annotations", s(&fifo)][..],
        &["docs", "--annotations", s(&fifo)][..],
    ] {
        let out = dossier_in(home.path(), &[], args);
        failed_saying(
            &out,
            &[&format!("{}: not a regular file (a FIFO)", s(&fifo))],
        );
    }
    // No lock was made beside it.
    assert!(!home.path().join("j.lock").exists());
}

#[test]
fn a_device_or_a_fifo_as_a_knowledge_base_fails_at_once() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = dossier_in(home.path(), &[], &["docs", "--kb", "/dev/zero"]);
    failed_saying(
        &out,
        &["/dev/zero: cannot read the knowledge base: not a regular file (a character device)"],
    );
    let fifo = mkfifo(&home.path().join("kb.toml"));
    let out = dossier_in(home.path(), &[], &["docs", "--kb", s(&fifo)]);
    failed_saying(
        &out,
        &[&format!(
            "{}: cannot read the knowledge base: not a regular file (a FIFO)",
            s(&fifo)
        )],
    );
}

#[test]
fn a_device_or_a_fifo_as_the_theme_or_config_fails_at_once() {
    use dossier::tui::config;
    use dossier::tui::theme::{ColorDepth, Theme};
    let home = tempfile::tempdir().expect("tempdir");
    let fifo = mkfifo(&home.path().join("theme.toml"));
    for (path, kind) in [
        (PathBuf::from("/dev/zero"), "a character device"),
        (fifo, "a FIFO"),
    ] {
        let p = path.clone();
        let theme = soon("loading the theme", move || {
            Theme::load(p.to_str(), ColorDepth::TrueColor)
                .err()
                .map(|e| format!("{:#}", anyhow::Error::from(e)))
        });
        let want = format!(
            "{}: cannot read the theme file: not a regular file ({kind})",
            path.display()
        );
        assert_eq!(theme.as_deref(), Some(want.as_str()));
        let p = path.clone();
        let config = soon("loading the config", move || {
            config::load_from(&p)
                .err()
                .map(|e| format!("{:#}", anyhow::Error::from(e)))
        });
        let want = format!(
            "{}: cannot read the config file: not a regular file ({kind})",
            path.display()
        );
        assert_eq!(config.as_deref(), Some(want.as_str()));
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_planted_at_the_default_journal_is_refused_not_followed() {
    let home = tempfile::tempdir().expect("tempdir");
    let journal = default_journal(&home.path().join("data"));
    dossier::files::private_dir(journal.parent().expect("a directory")).expect("journal dir");
    let victim = home.path().join("victim");
    std::fs::write(&victim, "precious").expect("victim");
    std::os::unix::fs::symlink(&victim, &journal).expect("symlink");
    let lock = journal.with_extension("lock");
    let made = home.path().join("made");
    std::os::unix::fs::symlink(&made, &lock).expect("symlink");
    // Opening it for writing, and reading it.
    for args in [&["annotations", "--compact"][..], &["annotations"][..]] {
        let out = dossier_in(home.path(), &[], args);
        failed_saying(
            &out,
            &[
                &format!("{}: the annotation journal is a symbolic link", s(&journal)),
                "--annotations PATH",
            ],
        );
    }
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "precious"
    );
    // The lock's link is refused too, and not followed.
    std::fs::remove_file(&journal).expect("unlink");
    let out = dossier_in(home.path(), &[], &["annotations", "--compact"]);
    failed_saying(
        &out,
        &[&format!(
            "{}: the annotation journal's lock file is a symbolic link",
            s(&lock)
        )],
    );
    assert!(!made.exists(), "the lock's link was followed");
}

#[cfg(unix)]
#[test]
fn a_journal_directory_others_can_write_or_own_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().expect("tempdir");
    let journal = default_journal(&home.path().join("data"));
    let dir = journal.parent().expect("a directory").to_path_buf();
    dossier::files::private_dir(&dir).expect("journal dir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let out = dossier_in(home.path(), &[], &["annotations", "--compact"]);
    failed_saying(
        &out,
        &[
            &format!(
                "{}: the annotation journal's directory can be written by its group and by everyone (mode 0777)",
                s(&dir)
            ),
            "--annotations PATH",
        ],
    );
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0);
    // The way out: a journal elsewhere.
    let mine = home.path().join("mine.jsonl");
    let out = dossier_in(
        home.path(),
        &[],
        &["annotations", "--compact", "--annotations", s(&mine)],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(mine.is_file());

    // A private directory of another user (only root can make one).
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    if dossier::files::current_uid() != Some(0)
        || std::os::unix::fs::chown(&dir, Some(4242), None).is_err()
    {
        eprintln!("note: cannot give a directory to another user here; that case is skipped");
        return;
    }
    let out = dossier_in(home.path(), &[], &["annotations", "--compact"]);
    failed_saying(
        &out,
        &[&format!(
            "{}: the annotation journal's directory belongs to user 4242, not to you (user 0)",
            s(&dir)
        )],
    );
    assert_eq!(std::fs::read_dir(&dir).expect("dir").count(), 0);
}

#[test]
fn an_empty_home_is_no_place_for_the_journal() {
    let home = tempfile::tempdir().expect("tempdir");
    for env in [
        [("HOME", ""), ("XDG_DATA_HOME", "<unset>")],
        [("HOME", "home"), ("XDG_DATA_HOME", "data")],
    ] {
        let out = dossier_in(home.path(), &env, &["annotations", "--compact"]);
        failed_saying(
            &out,
            &["no place for the annotation journal", "--annotations"],
        );
    }
    // Nothing was made in the current directory.
    assert_eq!(std::fs::read_dir(home.path()).expect("dir").count(), 0);
}
