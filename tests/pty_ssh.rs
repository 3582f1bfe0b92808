//! The reader over a real SSH link: runs `tests/ssh/run.sh` (see
//! `tests/ssh/README.md`), which starts a private sshd on 127.0.0.1 with
//! keys made for the run, opens the reader through `ssh -tt` inside tmux,
//! prints the bytes each action sends over the link, and checks that
//! killing the ssh client ends the remote reader within a second with its
//! journal intact (and, where strace can watch it, by the hangup's SIGHUP
//! or an exit rather than a crash).
//!
//! Ignored by default: it needs openssh-server and tmux, which CI does not
//! have. Run it with `cargo test --test pty_ssh -- --ignored --nocapture`;
//! without sshd it says so and passes.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The script's exit status for "a tool it needs is missing".
const SKIPPED: i32 = 77;

/// `name` at `/usr/sbin/NAME`, `/usr/bin/NAME`, or on PATH.
fn find(name: &str) -> Option<PathBuf> {
    let system = ["/usr/sbin", "/usr/bin"].map(PathBuf::from);
    let path = env::var_os("PATH").unwrap_or_default();
    system
        .into_iter()
        .chain(env::split_paths(&path))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

#[test]
#[ignore = "needs openssh-server and tmux; run with --ignored"]
fn reader_over_real_ssh() {
    let Some(sshd) = find("sshd") else {
        eprintln!("skipped: sshd not found at /usr/sbin/sshd or on PATH (install openssh-server)");
        return;
    };
    for tool in ["ssh", "tmux"] {
        if find(tool).is_none() {
            eprintln!("skipped: {tool} not found on PATH");
            return;
        }
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ssh/run.sh");
    let status = Command::new("bash")
        .arg(&script)
        // The binary this test run built, not whatever target/release holds.
        .env("DOSSIER", env!("CARGO_BIN_EXE_dossier"))
        .env("SSHD", &sshd)
        .status()
        .expect("run tests/ssh/run.sh");
    if status.code() == Some(SKIPPED) {
        eprintln!("skipped: tests/ssh/run.sh says a tool is missing (above)");
        return;
    }
    assert!(status.success(), "tests/ssh/run.sh failed: {status}");
}
