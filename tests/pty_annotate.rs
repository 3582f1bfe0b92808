//! Annotation in the real binary, in a pseudo-terminal: a link made through
//! the picker, a tag and a rejection survive SIGKILL (everything the screen
//! acknowledged as saved is in the journal, and the headless commands show
//! it with source `annotation`); undo works after the restart; and a second
//! instance opens read-only and says so, and takes the journal over (`W`)
//! once the first has quit.

mod common;

use common::*;
use std::path::Path;

/// The kinds of the decisions in force (`link_text`, …).
fn ops_in_force(home: &Path, journal: &Path) -> Vec<String> {
    headless(home, journal, &["annotations", "--json"])
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["op"]["op"].as_str().map(str::to_string))
        .collect()
}

fn mentions_of(home: &Path, journal: &Path, entity: &str) -> Vec<serde_json::Value> {
    headless(home, journal, &["mentions", "--entity", entity, "--json"])
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn acknowledged_annotations_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let j = journal.to_str().expect("utf-8 path");
    let mut s = Session::start_with(80, 24, &[], &["--annotations", j]);
    wait_ready(&s);

    // 1. Link "Pakistani-Talban" (second seed) to the TTP through the picker.
    s.send("/Pakistani-Talban\r");
    s.wait_text("Search \"Pakistani-Talban\": 1 hit");
    s.send("\r");
    s.wait_text("2/5 No country will be allowed");
    // A suggested link: the hints offer to accept or reject it.
    s.wait_status("Pakistani-Talban (gro");
    s.wait_status("A accept");
    s.send("s");
    s.wait_status("VISUAL");
    s.wait_status("“Pakistani-Talban” 1× in the corpus (1 doc)");
    s.send("L");
    s.wait_text("Link “Pakistani-Talban” to…");
    s.send("tehrik");
    s.wait_for("the TTP as the first choice", |sc| {
        sc.contents()
            .lines()
            .nth(4)
            .is_some_and(|l| l.contains("Tehrik-i-Taliban Pakistan"))
    });
    s.send("\r");
    s.wait_text("Link all 1 occurrence of “Pakistani-Talban” to Tehrik-i-Taliban");
    s.send("\r");
    s.wait_status("saved: linked every “Pakistani-Talban” to Tehrik-i-Taliban Pakistan");

    // 2. Tag a word as a new entity, this span only.
    s.send("vWWW");
    s.wait_status("“refer”");
    s.send("t");
    s.wait_text("Tag “refer” as a new entity of kind:");
    s.send("x");
    s.wait_text("Tag all 1 occurrence of “refer” as a new other?");
    s.send("1");
    s.wait_status("saved: tagged “refer” as a new other “refer”");

    // 3. Reject the mention after "refer" (which is a mention now).
    s.send("n");
    s.wait_status("refer (other)");
    s.send("n");
    s.wait_for("the cursor on the next mention", |sc| {
        sc.contents()
            .lines()
            .last()
            .is_some_and(|l| l.contains(" ARTICLE ") && !l.contains("refer"))
    });
    s.send("d");
    s.wait_status("saved: rejected “");
    assert!(!s.status_line().contains("refer"), "{}", s.status_line());

    // The screen said saved three times: now kill it outright.
    signal(s.pid(), "KILL");
    let status = s.wait_exit();
    assert!(!status.success());

    assert_eq!(
        ops_in_force(dir.path(), &journal),
        vec!["link_text", "link_span", "reject_span"]
    );
    let ttp = mentions_of(dir.path(), &journal, "tehrik-i-taliban-pakistan");
    let talban: Vec<_> = ttp
        .iter()
        .filter(|m| m["text"] == "Pakistani-Talban")
        .collect();
    assert!(!talban.is_empty(), "{ttp:?}");
    for m in &talban {
        assert_eq!(m["source"], "annotation", "{m}");
        assert_eq!(m["doc"], "001_7227ac1b26ab0799.txt", "{m}");
    }
    let refer = mentions_of(dir.path(), &journal, "refer");
    assert_eq!(refer.len(), 1, "{refer:?}");
    assert_eq!(refer[0]["source"], "annotation");

    // Start again: the annotations are on screen, and undo reaches back
    // into the killed session.
    let mut s = Session::start_with(80, 24, &[], &["--annotations", j]);
    wait_ready(&s);
    s.send("/Pakistani-Talban\r");
    s.wait_text("Search \"Pakistani-Talban\": 1 hit");
    s.send("\r");
    s.wait_status("Pakistani-Talb");
    s.wait_status("v select");
    assert!(
        !s.status_line().contains("A accept"),
        "an annotation now, not a suggestion: {}",
        s.status_line()
    );
    s.send("u");
    s.wait_status("undone: rejected “");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
    assert_eq!(
        ops_in_force(dir.path(), &journal),
        vec!["link_text", "link_span"]
    );
}

#[test]
fn a_second_instance_opens_read_only_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let j = journal.to_str().expect("utf-8 path");
    let mut first = Session::start_with(80, 24, &[], &["--annotations", j]);
    wait_ready(&first);
    let mut second = Session::start_with(80, 24, &[], &["--annotations", j]);
    second.wait_text("Documents 5");
    second.wait_status("READ-ONLY");
    second.wait_status("read-only: another dossier holds the journal");
    // A decision is refused, clearly.
    second.send("\rd");
    second.wait_status("read-only: another dossier holds the journal");
    // The first one still annotates.
    first.send("\rd");
    first.wait_status("saved: rejected “Pakistan”");
    second.send("q");
    assert!(second.wait_exit().success());
    first.send("q");
    assert!(first.wait_exit().success());
    assert_eq!(ops_in_force(dir.path(), &journal), vec!["reject_span"]);
}

#[test]
fn a_read_only_reader_takes_the_journal_over_with_w() {
    let dir = tempfile::tempdir().expect("tempdir");
    let journal = dir.path().join("journal.jsonl");
    let j = journal.to_str().expect("utf-8 path");
    let mut first = Session::start_with(80, 24, &[], &["--annotations", j]);
    wait_ready(&first);
    let mut second = Session::start_with(80, 24, &[], &["--annotations", j]);
    second.wait_text("Documents 5");
    second.wait_status("READ-ONLY");
    second.wait_status("(W retries)");
    // Not while the first still holds it.
    second.send("W");
    second.wait_status("still read-only: another dossier holds the journal");
    first.send("\rd");
    first.wait_status("saved: rejected “Pakistan”");
    first.send("q");
    assert!(first.wait_exit().success());
    // Now the second takes over, with the first one's decision…
    second.send("W");
    second.wait_status("journal is writable now");
    assert!(
        !second.status_line().contains("READ-ONLY"),
        "{}",
        second.status_line()
    );
    // …which it can undo, in the journal.
    second.send("u");
    second.wait_status("undone: rejected “Pakistan”");
    second.send("q");
    assert!(second.wait_exit().success());
    second.assert_restored();
    assert!(ops_in_force(dir.path(), &journal).is_empty());
}
