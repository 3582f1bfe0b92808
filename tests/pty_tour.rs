//! The real binary in a pseudo-terminal, read through a vt100 emulator:
//! the README's quick tour at 80x24, and terminal restoration on quit, on
//! SIGTERM and around a suspend.
//!
//! Every wait polls the emulated screen until the expected text appears
//! (with a generous timeout), so the tests do not depend on timing.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    _config: tempfile::TempDir,
}

impl Session {
    fn start(cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let config = tempfile::tempdir().expect("tempdir");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", config.path());
        cmd.env("HOME", config.path());
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("COLORTERM");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn dossier");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let p = Arc::clone(&parser);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if let Ok(mut parser) = p.lock() {
                            parser.process(&buf[..n]);
                        }
                    }
                }
            }
        });
        Session {
            parser,
            writer,
            master: pair.master,
            child,
            _config: config,
        }
    }

    fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn status_line(&self) -> String {
        self.screen().lines().last().unwrap_or_default().to_string()
    }

    /// Waits until the screen satisfies `ok`.
    fn wait_for(&self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) {
        let start = Instant::now();
        loop {
            if let Ok(p) = self.parser.lock()
                && ok(p.screen())
            {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for {what}; the screen shows:\n{}",
                    self.screen()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contents().contains(text));
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// The pty's line discipline: is the terminal in cooked (canonical, echo) mode?
    fn cooked(&self) -> Option<bool> {
        let t = self.master.get_termios()?;
        let flags = format!("{:?}", t.local_flags);
        Some(flags.contains("ICANON") && flags.contains("ECHO"))
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader thread drain the last bytes.
                thread::sleep(Duration::from_millis(100));
                return status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("dossier did not exit; the screen shows:\n{}", self.screen());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Checks that everything the reader turned on is off again.
    fn assert_restored(&self) {
        let p = self.parser.lock().expect("parser");
        let s = p.screen();
        assert!(!s.alternate_screen(), "still on the alternate screen");
        assert!(!s.hide_cursor(), "cursor still hidden");
        assert!(!s.bracketed_paste(), "bracketed paste still on");
        assert_eq!(
            s.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse still captured"
        );
        drop(p);
        if let Some(cooked) = self.cooked() {
            assert!(cooked, "terminal left in raw mode");
        }
    }
}

fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "kill -{sig} {pid}");
}

/// The reader is up and the index is built.
fn wait_ready(s: &Session) {
    s.wait_text("Documents 5");
    s.wait_for("the list mode", |sc| {
        sc.contents()
            .lines()
            .last()
            .is_some_and(|l| l.contains(" LIST "))
    });
}

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
