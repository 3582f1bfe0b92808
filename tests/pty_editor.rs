//! The note editor in the real binary, in a pseudo-terminal: `Ctrl-e` in
//! the note prompt runs `$EDITOR` on the note with the terminal handed
//! over (the reader reads no keys meanwhile), saves what it wrote, and
//! takes the terminal back; an editor that fails cancels the note.

mod common;

use common::*;
use std::path::Path;

/// An "editor" that shows what it was given, fails when that starts with
/// "fail", and otherwise reads a line from the terminal and saves a note
/// made of it.
const EDITOR: &str = r#"#!/bin/sh
printf 'EDITING [%s]\n' "$(cat "$1")"
case "$(cat "$1")" in fail*) exit 3 ;; esac
IFS= read -r line
printf '\n%s\n\n  Second line.  \n' "$line" > "$1"
"#;

fn write_editor(dir: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("editor.sh");
    std::fs::write(&path, EDITOR).expect("write the editor");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    path.to_str().expect("utf-8 path").to_string()
}

/// The notes in force in the journal, as `dossier annotations --json` gives them.
fn notes(home: &Path, journal: &Path) -> Vec<String> {
    headless(home, journal, &["annotations", "--json"])
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["op"]["op"] == "note")
        .filter_map(|v| v["op"]["text"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn ctrl_e_writes_the_note_in_the_editor() {
    let dir = tempfile::tempdir().expect("tempdir");
    let editor = write_editor(dir.path());
    let journal = dir.path().join("journal.jsonl");
    let j = journal.to_str().expect("utf-8 path");
    let mut s = Session::start_with(
        80,
        24,
        &[("EDITOR", editor.as_str()), ("VISUAL", "")],
        &["--annotations", j],
    );
    wait_ready(&s);

    s.send(";");
    s.wait_text("Note on");
    s.wait_text("C-e editor");
    s.send("draft\x05");
    // The editor has the terminal, in its usual (cooked) mode.
    s.wait_text("EDITING [draft]");
    assert_eq!(s.cooked(), Some(true), "the editor runs in cooked mode");
    // What is typed now is the editor's, not the reader's.
    s.send("typed in the editor\r");
    s.wait_status("saved: note on");
    s.wait_text("Documents 5");
    assert_eq!(s.cooked(), Some(false), "raw mode again");
    assert_eq!(
        notes(dir.path(), &journal),
        vec!["typed in the editor\n\n  Second line."]
    );

    // The reader reads keys again.
    s.send("j");
    s.wait_status(" LIST ");

    // An editor that fails cancels the note, and says so.
    s.send(";");
    s.wait_text("Note on");
    // (It fails at once, so its output is seen only for a moment.)
    s.send("\x15fail\x05");
    s.wait_status("Note cancelled: editor.sh exited with status 3");
    assert!(!s.screen().contains("Note on"), "{}", s.screen());

    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
    assert_eq!(notes(dir.path(), &journal).len(), 1);
}
