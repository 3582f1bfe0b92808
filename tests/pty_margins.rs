//! Left and right margins (DECSLRM), asked of the terminal: the real
//! binary in a pseudo-terminal whose other end answers the questions as
//! xterm does, or not at all.

mod common;

use common::*;
use std::time::{Duration, Instant};

/// Waits until the reader has written `what`.
fn wait_raw(s: &Session, what: &[u8]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if raw(s).windows(what.len()).any(|w| w == what) {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the reader never wrote {:?}", String::from_utf8_lossy(what));
}

fn raw(s: &Session) -> Vec<u8> {
    s.raw.lock().map(|r| r.clone()).unwrap_or_default()
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn a_terminal_with_margins_scrolls_the_middle_pane() {
    let mut s = Session::start(160, 48, &[("XTERM_VERSION", "XTerm(390)")]);
    // As xterm answers: device attributes, then the mode's state.
    wait_raw(&s, b"\x1b[c");
    s.send("\x1b[?64;1;2;6;9;15;18;21;22c");
    wait_raw(&s, b"\x1b[?69$p");
    s.send("\x1b[?69;2$y\x1b[?64;1;2;6;9;15;18;21;22c");
    wait_ready(&s);
    // The longest seed, in the middle of three panes.
    s.send("jj\r");
    s.wait_text("3/5 US backs Pakistan");
    s.wait_status("ARTICLE");
    std::thread::sleep(Duration::from_millis(300));
    let before = raw(&s).len();
    s.send("j");
    s.wait_status("L2/");
    std::thread::sleep(Duration::from_millis(300));
    let after = raw(&s);
    let frame = &after[before..];
    eprintln!(
        "one-line scroll of the middle pane with margins: {} bytes",
        frame.len()
    );
    assert_eq!(count(frame, b"\x1b[?69h"), 1, "margins set once");
    assert_eq!(count(frame, b"\x1b[?69l"), 1, "and unset");
    assert!(
        frame.len() < 1500,
        "a one-line scroll of the middle pane wrote {} bytes",
        frame.len()
    );
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_terminal_that_does_not_answer_is_not_asked_twice() {
    let mut s = Session::start(160, 48, &[("XTERM_VERSION", "XTerm(390)")]);
    wait_raw(&s, b"\x1b[c");
    // No answer: after the wait the reader starts without margins, never
    // having sent the question whose late answer it could not read.
    wait_ready(&s);
    s.send("jj\r");
    s.wait_text("3/5 US backs Pakistan");
    s.send("j");
    s.wait_status("L2/");
    s.send("q");
    assert!(s.wait_exit().success());
    let all = raw(&s);
    assert_eq!(count(&all, b"\x1b[?69$p"), 0);
    assert_eq!(count(&all, b"\x1b[?69h"), 0);
}

#[test]
fn inside_tmux_nothing_is_asked() {
    let mut s = Session::start(
        100,
        30,
        &[("TERM", "tmux-256color"), ("XTERM_VERSION", "XTerm(390)")],
    );
    wait_ready(&s);
    s.send("q");
    assert!(s.wait_exit().success());
    assert_eq!(count(&raw(&s), b"\x1b[c"), 0);
}
