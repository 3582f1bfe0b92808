//! The real binary in a pseudo-terminal, read through a vt100 emulator:
//! the README's quick tour at 80x24, and terminal restoration on quit, on
//! SIGTERM and around a suspend.
//!
//! Every wait polls the emulated screen until the expected text appears
//! (with a generous timeout), so the tests do not depend on timing.

mod common;

use common::*;
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn quick_tour_at_80x24() {
    let mut s = Session::start(80, 24, &[]);
    wait_ready(&s);
    // Linux lets the master read the line discipline; check raw mode there.
    if cfg!(target_os = "linux") {
        assert_eq!(s.cooked(), Some(false), "raw mode while running");
    }
    {
        let p = s.parser.lock().expect("parser");
        assert!(p.screen().alternate_screen());
        assert!(p.screen().hide_cursor());
    }
    assert!(s.screen().contains("Kicking Terrorist"));

    // 1-4: open the fourth seed.
    s.send("jjj\r");
    s.wait_text("4/5 Pakistan and US Unite Against ISKP");
    // 5-6: step to ISKP in the headline.
    s.send("nn");
    s.wait_for("the cursor on ISKP", |sc| {
        sc.contents()
            .lines()
            .last()
            .is_some_and(|l| l.contains("ISKP (group)"))
    });
    // 7: the cross-link panel.
    s.send("l");
    s.wait_text("Cross-links");
    s.wait_text("Documents (4)");
    // At 80 columns the panel takes the list's narrow place, so that the
    // article stays put; `z` gives it the whole screen.
    assert!(
        s.screen().contains("4/5 Pakistan and US Unite"),
        "{}",
        s.screen()
    );
    s.send("z");
    s.wait_text("in 4 docs");
    let screen = s.screen();
    for title in [
        "Kicking Terrorist",
        "US backs Pakistan",
        "Pakistan and US Unite",
        "Following a string",
    ] {
        assert!(
            screen.contains(title),
            "{title} not in the panel:\n{screen}"
        );
    }
    assert!(screen.contains("Documents (4)"), "{screen}");
    s.send("z");
    s.wait_text("4/5 Pakistan and US Unite");
    // 8-9: the mention before is in the third seed; go there.
    s.send("k\r");
    s.wait_text("3/5 US backs Pakistan");
    assert!(s.status_line().contains("3/5"), "{}", s.status_line());
    // 10: and back with Ctrl-o.
    s.send("\x0f");
    s.wait_text("4/5 Pakistan and US Unite");
    s.wait_for("the cursor back on ISKP", |sc| {
        sc.contents()
            .lines()
            .last()
            .is_some_and(|l| l.contains("4/5") && l.contains("ISKP (group)"))
    });

    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut s = Session::start(80, 24, &[]);
    wait_ready(&s);
    signal(s.pid(), "TERM");
    let status = s.wait_exit();
    assert!(!status.success(), "killed by SIGTERM: {status:?}");
    s.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let mut s = Session::start(100, 30, &[("NO_COLOR", "1")]);
    wait_ready(&s);
    signal(s.pid(), "HUP");
    s.wait_exit();
    s.assert_restored();
}

#[test]
fn ctrl_z_suspends_and_resumes() {
    let mut s = Session::start(80, 24, &[]);
    wait_ready(&s);
    s.send("jjj\r");
    s.wait_text("4/5 Pakistan and US Unite");
    s.send("\x1a");
    // Suspended: the shell's screen and modes are back.
    s.wait_for("the normal screen", |sc| {
        !sc.alternate_screen() && !sc.hide_cursor()
    });
    let start = Instant::now();
    while s.cooked() == Some(false) && start.elapsed() < TIMEOUT {
        thread::sleep(Duration::from_millis(20));
    }
    assert_ne!(s.cooked(), Some(false), "raw mode while suspended");
    // `fg` sends SIGCONT: the reader takes the screen again and repaints.
    signal(s.pid(), "CONT");
    s.wait_for("the reader again", |sc| {
        sc.alternate_screen() && sc.contents().contains("4/5 Pakistan and US Unite")
    });
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// After Ctrl-Z, a resize while stopped, and `fg`, the article is wrapped
/// to the new width: `G` reaches its end.
#[test]
fn a_resize_while_stopped_is_seen_on_fg() {
    // A shell with job control, as in a terminal: while the reader is
    // stopped the shell has the terminal, so the resize signal goes to the
    // shell, and `fg` only continues the reader.
    let mut s = Session::start_script(
        100,
        30,
        "set -m; \"$DOSSIER\"; echo 'stopped [ok]'; read x; fg; echo \"exit [$?]\"",
    );
    s.wait_text("1/5");
    s.send("\r");
    s.wait_text("1/5 Kicking Terrorist Ass");
    s.send("\x1a");
    s.wait_text("stopped [ok]");
    s.resize(80, 24);
    s.send("\r");
    s.wait_for("the reader again", |sc| sc.alternate_screen());
    s.send("G");
    s.wait_for("the end of the article", |sc| {
        sc.contents().contains("You might also like")
    });
    s.send("q");
    s.wait_text("exit [0]");
}

/// Every frame is one synchronized update, so a slow link never shows a
/// half-drawn one.
#[test]
fn every_frame_is_a_synchronized_update() {
    let mut s = Session::start(80, 24, &[]);
    wait_ready(&s);
    s.send("jjj\r");
    s.wait_text("4/5 Pakistan and US Unite");
    // The frame's last bytes may still be on their way.
    let start = Instant::now();
    while s.synchronized() && start.elapsed() < TIMEOUT {
        thread::sleep(Duration::from_millis(20));
    }
    assert!(!s.synchronized(), "a frame left open");
    let (begun, ended) = s.sync_counts();
    assert!(begun >= 2, "frames drawn: {begun}");
    assert!(ended >= begun, "{begun} begun, {ended} ended");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn a_background_reader_says_so_and_exits() {
    if !cfg!(target_os = "linux") {
        // The check reads /proc.
        return;
    }
    // `set -m`: job control, so that `&` starts a background process group.
    let mut s = Session::start_script(
        80,
        24,
        "set -m; \"$DOSSIER\" & wait $!; echo \"exit status [$?]\"",
    );
    s.wait_text("exit status [1]");
    let screen = s.screen();
    assert!(
        screen.contains("dossier: the reader cannot run in the background"),
        "{screen}"
    );
    s.wait_exit();
    s.assert_restored();
}

/// Everything the reader wrote while opening the first article on a
/// terminal named `term`, then quitting.
fn output_opening_an_article(term: &str) -> String {
    let mut s = Session::start(80, 24, &[("TERM", term), ("COLORTERM", "")]);
    wait_ready(&s);
    s.send("\r");
    s.wait_text("1/5 Kicking Terrorist Ass");
    s.send("q");
    assert!(s.wait_exit().success());
    let raw = s.raw.lock().expect("raw").clone();
    String::from_utf8_lossy(&raw).into_owned()
}

/// On a 16-colour terminal the colours are basic SGR (30–37, 90–97), never
/// the 256-colour form a 16-colour terminal may not know.
#[test]
fn sixteen_colours_are_written_as_basic_sgr() {
    let text = output_opening_an_article("xterm");
    assert!(!text.contains("8;5;"), "256-colour form at 16 colours");
    assert!(
        ["\x1b[3", "\x1b[9", ";3", ";9"]
            .iter()
            .any(|p| text.contains(p)),
        "basic colours used"
    );
    // And at 256 colours the indexed form is what goes out.
    let mut s = Session::start(80, 24, &[("TERM", "xterm-256color"), ("COLORTERM", "")]);
    wait_ready(&s);
    s.send("q");
    assert!(s.wait_exit().success());
    let raw = s.raw.lock().expect("raw").clone();
    assert!(String::from_utf8_lossy(&raw).contains("8;5;"));
}

/// The colours of every SGR sequence in `text` that a terminal with the 8
/// basic colours lacks: the 256-colour and true-colour forms, and the
/// bright colours (90–97, 100–107).
fn colours_beyond_eight(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for seq in text.split("\x1b[").skip(1) {
        let end = seq
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(seq.len());
        if !seq[end..].starts_with('m') {
            continue;
        }
        let params: Vec<u32> = seq[..end]
            .split(';')
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        let mut i = 0;
        while i < params.len() {
            match params[i] {
                38 | 48 => {
                    out.insert(format!("\\e[{}m", &seq[..end]));
                    i += if params.get(i + 1) == Some(&2) { 5 } else { 3 };
                    continue;
                }
                90..=97 | 100..=107 => {
                    out.insert(format!("\\e[{}m", &seq[..end]));
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

/// On an 8-colour terminal (`TERM=xterm-color`, `ansi`, …) every colour is
/// a basic SGR colour, 30–37 or 40–47: no bright ones, no 256-colour form.
/// The themes only use `Indexed(0..8)` there (see `tests/tui_colours.rs`);
/// the terminal writer must write them as basic colours.
#[test]
fn eight_colours_are_written_as_basic_sgr() {
    let text = output_opening_an_article("xterm-color");
    let beyond = colours_beyond_eight(&text);
    assert!(beyond.is_empty(), "{beyond:?}");
    assert!(
        ["\x1b[3", "\x1b[4", ";3", ";4"]
            .iter()
            .any(|p| text.contains(p)),
        "basic colours used"
    );
}

/// Context switches of every thread of a process, from /proc.
fn context_switches(pid: u32) -> u64 {
    let mut total = 0;
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0;
    };
    for t in tasks.flatten() {
        let status = std::fs::read_to_string(t.path().join("status")).unwrap_or_default();
        for line in status.lines() {
            if line.starts_with("voluntary_ctxt_switches")
                || line.starts_with("nonvoluntary_ctxt_switches")
            {
                total += line
                    .split_whitespace()
                    .last()
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    total
}

/// An idle reader sleeps: no thread wakes up while nothing happens.
#[test]
fn an_idle_reader_never_wakes_up() {
    if !cfg!(target_os = "linux") {
        // The count reads /proc.
        return;
    }
    let mut s = Session::start(80, 24, &[]);
    wait_ready(&s);
    s.send("\r");
    s.wait_text("1/5 Kicking Terrorist Ass");
    // Let the last message time out and everything settle.
    thread::sleep(Duration::from_secs(4));
    let before = context_switches(s.pid());
    thread::sleep(Duration::from_secs(5));
    let woke = context_switches(s.pid()) - before;
    assert!(woke <= 2, "{woke} wake-ups in 5 s of idling");
    // And it still answers at once.
    s.send("j");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}
