//! Shared by the pty tests: the real binary in a pseudo-terminal, read
//! through a vt100 emulator. Every wait polls the emulated screen until the
//! expected text appears (with a generous timeout), so the tests do not
//! depend on timing.
#![allow(dead_code)]

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Records what a program asked the terminal to do besides drawing: set
/// the title or icon name, copy to or paste from the clipboard, ring the
/// bell, resize the window. A document's bytes must never cause any of it.
#[derive(Debug, Default)]
pub struct Spy {
    pub events: Vec<String>,
}

impl vt100::Callbacks for Spy {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("bell".into());
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.events.push("visual bell".into());
    }
    fn resize(&mut self, _: &mut vt100::Screen, request: (u16, u16)) {
        self.events.push(format!("resize {request:?}"));
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.events
            .push(format!("icon name {:?}", String::from_utf8_lossy(name)));
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.events
            .push(format!("title {:?}", String::from_utf8_lossy(title)));
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.events
            .push(format!("clipboard {:?}", String::from_utf8_lossy(data)));
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8]) {
        self.events.push("clipboard read".into());
    }
}

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser<Spy>>>,
    /// Every byte the program wrote to the terminal.
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
    _config: tempfile::TempDir,
}

impl Session {
    pub fn start(cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        Session::start_with(cols, rows, env, &[])
    }

    /// Starts `dossier ARGS…` with its own empty config and data directories
    /// (unless `env` names others).
    pub fn start_with(cols: u16, rows: u16, env: &[(&str, &str)], args: &[&str]) -> Session {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(args);
        Session::spawn(cmd, cols, rows, env, "")
    }

    /// Like [`Session::start_with`], on a terminal whose screen already
    /// shows `before` (to check that it is still there afterwards).
    pub fn start_after(
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        args: &[&str],
        before: &str,
    ) -> Session {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dossier"));
        cmd.args(args);
        Session::spawn(cmd, cols, rows, env, before)
    }

    /// Runs a `sh` script in the pseudo-terminal, with `$DOSSIER` the
    /// binary and the same environment as [`Session::start_with`].
    pub fn start_script(cols: u16, rows: u16, script: &str) -> Session {
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", script]);
        cmd.env("DOSSIER", env!("CARGO_BIN_EXE_dossier"));
        Session::spawn(cmd, cols, rows, &[], "")
    }

    fn spawn(
        mut cmd: CommandBuilder,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
        before: &str,
    ) -> Session {
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
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", config.path());
        cmd.env("XDG_DATA_HOME", config.path().join("data"));
        cmd.env("XDG_CACHE_HOME", config.path().join("cache"));
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
        let mut parser = vt100::Parser::new_with_callbacks(rows, cols, 0, Spy::default());
        parser.process(before.as_bytes());
        let parser = Arc::new(Mutex::new(parser));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let p = Arc::clone(&parser);
        let r = Arc::clone(&raw);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if let Ok(mut parser) = p.lock() {
                            parser.process(&buf[..n]);
                        }
                        if let Ok(mut raw) = r.lock() {
                            raw.extend_from_slice(&buf[..n]);
                        }
                    }
                }
            }
        });
        Session {
            parser,
            raw,
            writer,
            master: pair.master,
            child,
            _config: config,
        }
    }

    /// Resizes the terminal (the pty and the emulated screen).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        if let Ok(mut p) = self.parser.lock() {
            p.screen_mut().set_size(rows, cols);
        }
    }

    pub fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    pub fn status_line(&self) -> String {
        self.screen().lines().last().unwrap_or_default().to_string()
    }

    /// Waits until the screen satisfies `ok`.
    pub fn wait_for(&self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) {
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

    pub fn wait_text(&self, text: &str) {
        self.wait_for(text, |s| s.contents().contains(text));
    }

    /// Waits until the status line (the last row) contains `text`.
    pub fn wait_status(&self, text: &str) {
        self.wait_for(&format!("{text:?} in the status line"), |s| {
            s.contents()
                .lines()
                .last()
                .is_some_and(|l| l.contains(text))
        });
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// The pty's line discipline: is the terminal in cooked (canonical, echo) mode?
    pub fn cooked(&self) -> Option<bool> {
        let t = self.master.get_termios()?;
        let flags = format!("{:?}", t.local_flags);
        Some(flags.contains("ICANON") && flags.contains("ECHO"))
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Checks that everything the reader turned on is off again.
    pub fn assert_restored(&self) {
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
        assert!(!self.synchronized(), "synchronized output left on");
    }

    /// Is a synchronized update (`CSI ? 2026 h`) open at the end of the
    /// output? Every frame must close it.
    pub fn synchronized(&self) -> bool {
        let raw = self.raw.lock().expect("raw");
        let find = |pat: &[u8]| raw.windows(pat.len()).rposition(|w| w == pat);
        match (find(b"\x1b[?2026h"), find(b"\x1b[?2026l")) {
            (Some(begin), Some(end)) => begin > end,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// How many synchronized updates began and ended in the output.
    pub fn sync_counts(&self) -> (usize, usize) {
        let raw = self.raw.lock().expect("raw");
        let count = |pat: &[u8]| raw.windows(pat.len()).filter(|w| *w == pat).count();
        (count(b"\x1b[?2026h"), count(b"\x1b[?2026l"))
    }
}

pub fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "kill -{sig} {pid}");
}

/// The reader is up and the index is built.
pub fn wait_ready(s: &Session) {
    s.wait_text("Documents 5");
    s.wait_for("the list mode", |sc| {
        sc.contents()
            .lines()
            .last()
            .is_some_and(|l| l.contains(" LIST "))
    });
}

/// Runs a headless command against a journal, with the same home as the
/// reader's sessions; returns its stdout.
pub fn headless(home: &Path, journal: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--annotations")
        .arg(journal)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .expect("run dossier");
    assert!(
        out.status.success(),
        "dossier {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `cmd` (stdout and stderr piped) and returns its output; kills it and
/// fails, naming `what`, if it does not finish within `wait`, so that a
/// regression shows as a failure rather than a hang.
pub fn output_within(mut cmd: Command, wait: Duration, what: &str) -> std::process::Output {
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().expect("run dossier");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(wait) {
        Ok(out) => out.expect("dossier's output"),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{what} did not finish in {wait:?}");
        }
    }
}

/// A corpus made of `files` (relative path, text), analysed with the
/// knowledge base `kb` (TOML) alone.
pub fn analysed(
    name: &str,
    files: &[(&str, &str)],
    kb: &str,
) -> (Arc<dossier::corpus::Corpus>, dossier::entity::Analysis) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
    let corpus = dossier::corpus::load_embedded(name, &files);
    let mut knowledge = dossier::entity::KnowledgeBase::new();
    knowledge
        .add_toml(Path::new("kb.toml"), kb)
        .expect("a knowledge base");
    let analysis = dossier::entity::Engine::new(knowledge).analyse(&corpus);
    (Arc::new(corpus), analysis)
}
