//! Small inputs that once took minutes or gigabytes: one enormous word, a
//! knowledge-base alias of 200,000 characters, a document of 20,000
//! parentheses, and one that names the same person 30,000 times. Every
//! engine stage must stay linear, so each finishes in seconds and well
//! within memory. A regression fails rather than hangs: the binary runs
//! under a limit on its address space and is killed after a timeout.

mod common;

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// Far more than the linear engine needs here (a debug build), far less
/// than the quadratic one did.
const WAIT: Duration = Duration::from_secs(90);

/// The address space each run may use.
const MEMORY: u64 = 2 << 30;

fn dossier(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CACHE_HOME", dir.join("cache"));
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: MEMORY,
                rlim_max: MEMORY,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    common::output_within(cmd, WAIT, &format!("dossier {args:?}"))
}

fn check(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_enormous_word_is_cheap() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir(&c).unwrap();
    // The full edit-distance matrix for this word against itself was 3 GB.
    let word = format!("A{}", "b".repeat(40_000));
    std::fs::write(
        c.join("w.txt"),
        format!("Title\n\nThe {word} met {word}x and Khan.\n"),
    )
    .unwrap();
    let out = check(&dossier(dir.path(), &["docs", c.to_str().unwrap()]), "word");
    assert!(out.contains("w.txt"), "{out}");
}

#[test]
fn an_enormous_knowledge_base_alias_is_cheap() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir(&c).unwrap();
    std::fs::write(
        c.join("a.txt"),
        "Title\n\nThe Zorblax Front met in Kabul.\n",
    )
    .unwrap();
    let kb = dir.path().join("kb.toml");
    std::fs::write(
        &kb,
        format!(
            "[[entity]]\nid = \"x\"\nname = \"Q{}\"\nkind = \"group\"\n",
            "z".repeat(200_000)
        ),
    )
    .unwrap();
    let out = dossier(
        dir.path(),
        &["docs", c.to_str().unwrap(), "--kb", kb.to_str().unwrap()],
    );
    check(&out, "alias");
}

#[test]
fn many_parentheses_and_a_much_named_person_stay_linear() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c");
    std::fs::create_dir(&c).unwrap();
    // Each "(" once copied all the text before it.
    let parens = "The Long Form Name (LFN) and then some words (".repeat(20_000);
    std::fs::write(c.join("parens.txt"), format!("Parens\n\n{parens}\n")).unwrap();
    // Each lone surname was once compared with every full name before it.
    let people = "Qasim Durrani spoke. Then Durrani left. ".repeat(30_000);
    std::fs::write(c.join("people.txt"), format!("People\n\n{people}\n")).unwrap();
    let out = check(
        &dossier(dir.path(), &["mentions", "--json", c.to_str().unwrap()]),
        "parens and people",
    );
    let durrani = out
        .lines()
        .filter(|l| l.contains("\"text\":\"Durrani\""))
        .count();
    assert_eq!(durrani, 30_000, "every lone surname links to the person");
}
