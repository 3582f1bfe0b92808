//! Decisions the journal cannot take, in the real binary: a file-size
//! limit (`ulimit -f`, with SIGXFSZ ignored) makes the journal's writes
//! fail as a full disk would (the tests run as root, for whom a read-only
//! directory is no obstacle). Quitting then asks first; `r` retries the
//! write and quits once it works; quitting anyway, or SIGTERM, prints the
//! unsaved decisions on standard error as JSON lines and exits non-zero.

mod common;

use common::*;
use std::path::Path;

/// Runs the reader on the seeds with a 512-byte limit on the files it
/// writes (the soft limit only, so that it can be raised again), then says
/// how it exited.
fn start(journal: &Path) -> Session {
    let script = format!(
        "ulimit -S -f 1; trap '' XFSZ; \"$DOSSIER\" --annotations '{}'; echo \"exit status [$?]\"",
        journal.display()
    );
    Session::start_script(100, 30, &script)
}

/// Opens the first article and rejects mentions (`d`) until a decision
/// cannot be written; returns how many were saved before.
fn reject_until_not_saved(s: &mut Session) -> usize {
    wait_ready(s);
    s.send("\r");
    s.wait_status(" ARTICLE ");
    let mut last = s.status_line();
    for saved in 0..10 {
        s.send("d");
        s.wait_for("the journal's answer", |sc| {
            let status = sc.contents().lines().last().unwrap_or_default().to_string();
            status.contains("NOT SAVED")
                || (status.contains("saved: ") && !status.contains("saving") && status != last)
        });
        last = s.status_line();
        if last.contains("NOT SAVED") {
            return saved;
        }
    }
    panic!("every decision was saved: {}", s.screen());
}

/// The reader's own pid (the script's shell is the session's child).
fn reader_pid(s: &Session) -> u32 {
    let shell = s.pid();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
        .expect("the shell's children");
    children
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .expect("the reader's pid")
}

fn journal_lines(journal: &Path) -> usize {
    std::fs::read_to_string(journal)
        .expect("journal")
        .lines()
        .count()
}

#[test]
fn quitting_with_unsaved_decisions_asks_and_quitting_anyway_prints_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let mut s = start(&journal);
    let saved = reject_until_not_saved(&mut s);
    s.wait_status("NOT SAVED 1");
    s.wait_status("File too large");

    // q asks first, saying how many and why.
    s.send("q");
    s.wait_text("1 decision is not saved (");
    s.wait_text("r retry · q quit anyway · Esc stay");
    let screen = s.screen();
    assert!(screen.contains("File too large"), "{screen}");
    s.wait_status(" QUIT ");
    // Esc stays.
    s.send("\x1b");
    s.wait_for("the question gone", |sc| !sc.contents().contains("Quit?"));
    s.wait_status(" ARTICLE ");
    // r retries: it still fails, and the question stays.
    s.send("q");
    s.wait_text("Quit?");
    s.send("r");
    s.wait_status("still NOT SAVED");
    assert!(s.screen().contains("Quit?"), "{}", s.screen());
    // q again quits anyway: the decision is on standard error, as JSON,
    // and the exit status says something went wrong.
    s.send("q");
    s.wait_text("exit status [1]");
    let screen = s.screen();
    assert!(
        screen.contains("1 annotation decision was NOT SAVED"),
        "{screen}"
    );
    assert!(screen.contains("{\"op\":\"reject_span\""), "{screen}");
    s.wait_exit();
    s.assert_restored();
    // The journal holds the header and the decisions that were saved.
    assert_eq!(journal_lines(&journal), 1 + saved);
}

#[test]
fn a_retry_that_works_saves_and_quits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let mut s = start(&journal);
    let saved = reject_until_not_saved(&mut s);
    s.send("q");
    s.wait_text("r retry · q quit anyway · Esc stay");
    // Room again ("the disk was cleaned up").
    let pid = reader_pid(&s);
    let ok = std::process::Command::new("prlimit")
        .args([&format!("--pid={pid}"), "--fsize=unlimited"])
        .status()
        .is_ok_and(|st| st.success());
    if !ok {
        eprintln!("prlimit cannot raise the limit here; skipping the rest");
        return;
    }
    s.send("r");
    s.wait_text("exit status [0]");
    let screen = s.screen();
    assert!(!screen.contains("NOT SAVED ("), "{screen}");
    s.wait_exit();
    s.assert_restored();
    assert_eq!(journal_lines(&journal), 1 + saved + 1, "the retry wrote it");
}

#[test]
fn sigterm_with_unsaved_decisions_tries_once_more_then_prints_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let mut s = start(&journal);
    let saved = reject_until_not_saved(&mut s);
    signal(reader_pid(&s), "TERM");
    // Killed by SIGTERM (128 + 15), after printing what was not saved.
    s.wait_text("exit status [143]");
    let screen = s.screen();
    assert!(
        screen.contains("1 annotation decision was NOT SAVED"),
        "{screen}"
    );
    assert!(screen.contains("{\"op\":\"reject_span\""), "{screen}");
    s.wait_exit();
    s.assert_restored();
    assert_eq!(journal_lines(&journal), 1 + saved);
}
