//! The real binary in a pseudo-terminal: a search, its hits marked in the
//! article, and `]` / `[` moving to the next and previous hit across
//! documents, as the status line says.

mod common;

use common::*;

#[test]
fn search_then_step_to_the_next_hit_across_documents() {
    let mut s = Session::start(80, 24, &[]);
    wait_ready(&s);
    s.send("/pakistan\r");
    // The search has run to its end: the title counts every hit.
    s.wait_for("every hit listed", |sc| {
        let t = sc.contents();
        t.contains("Search \"pakistan\":") && !t.contains("searching")
    });
    let screen = s.screen();
    let total: usize = screen
        .split("Search \"pakistan\": ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count of hits: {screen}"));
    assert!(total > 2, "{screen}");
    // Enter opens the first hit.
    s.send("\r");
    s.wait_status("ARTICLE");
    s.send("]");
    s.wait_status(&format!("/pakistan: hit 2 of {total}"));
    s.send("]");
    s.wait_status(&format!("/pakistan: hit 3 of {total}"));
    s.send("[");
    s.wait_status(&format!("/pakistan: hit 2 of {total}"));
    // Past the last hit, round to the first.
    s.send("[[");
    s.wait_status("wrapped to the last");
    s.wait_status(&format!("/pakistan: hit {total} of {total}"));
    s.send("q");
    s.wait_exit();
}
