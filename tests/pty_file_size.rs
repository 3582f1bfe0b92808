//! The reader under a file-size limit (`ulimit -f`) with SIGXFSZ at its
//! default action, which kills a process that writes past the limit: the
//! reader ignores the signal, so the journal's write fails with EFBIG like
//! a full disk's, the reader says so and keeps running, and on quitting the
//! terminal is restored. (`tests/pty_unsaved.rs` ignores the signal in the
//! shell to test what follows.)

mod common;

use common::*;
use std::path::Path;

/// Runs the reader on the seeds with a 512-byte limit on the files it
/// writes and SIGXFSZ at its default action, then says how it exited.
fn start(journal: &Path) -> Session {
    // The shell and the reader inherit the signal's disposition: make sure
    // it is the default one, not an ignore inherited from whoever ran the
    // tests (a non-interactive shell cannot reset an ignored signal).
    // SAFETY: setting a disposition to SIG_DFL has no precondition; this
    // test process itself never writes past a file-size limit.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
    }
    let script = format!(
        "ulimit -S -f 1; \"$DOSSIER\" --annotations '{}'; echo \"exit status [$?]\"",
        journal.display()
    );
    Session::start_script(100, 30, &script)
}

#[test]
fn a_write_past_the_file_size_limit_is_not_saved_and_the_reader_survives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let mut s = start(&journal);
    wait_ready(&s);
    s.send("\r");
    s.wait_status(" ARTICLE ");
    // Reject mentions until a decision does not fit under the limit. Were
    // the reader killed by SIGXFSZ, the shell would say "exit status [153]".
    let mut not_saved = false;
    for _ in 0..10 {
        let before = s.status_line();
        s.send("d");
        s.wait_for("the journal's answer (or the reader's death)", |sc| {
            let text = sc.contents();
            let status = text.lines().last().unwrap_or_default().to_string();
            text.contains("exit status [")
                || status.contains("NOT SAVED")
                || (status.contains("saved: ") && !status.contains("saving") && status != before)
        });
        let screen = s.screen();
        assert!(
            !screen.contains("exit status ["),
            "the reader died:\n{screen}"
        );
        if s.status_line().contains("NOT SAVED") {
            not_saved = true;
            break;
        }
    }
    assert!(not_saved, "every decision was saved:\n{}", s.screen());
    s.wait_status("File too large");
    // Still running: quitting asks about the decision that is not saved;
    // quitting anyway exits with an error status, and the terminal is the
    // shell's again.
    s.send("q");
    s.wait_text("r retry · q quit anyway · Esc stay");
    s.send("q");
    s.wait_text("exit status [1]");
    s.wait_exit();
    s.assert_restored();
}
