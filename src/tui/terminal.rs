//! The terminal: setup and restore, the panic hook, signals, and the one
//! event channel that input, resize, indexing progress and signals share.
//!
//! Everything turned on here is turned off again on normal exit, on panic,
//! on SIGTERM/SIGHUP/SIGINT/SIGQUIT, and around a suspend (Ctrl-Z or
//! SIGTSTP), so that a dropped SSH connection or a crash never leaves a
//! shell in raw mode on the alternate screen. SIGXFSZ is ignored, so that
//! a write past the file-size limit fails (EFBIG) as a full disk would,
//! instead of killing the reader with the terminal still taken.

use super::app::SearchBatch;
use super::worker::{self, Applied, Command, Opened, Unsaved};
use crate::entity::{Analysis, Progress};
use crate::index::Index;
use crate::load::OpenOptions;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::crossterm::{cursor, execute};
use ratatui::layout::Rect;
use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once, OnceLock, PoisonError};
use std::thread::{self, JoinHandle, ThreadId};
use std::time::{Duration, Instant};

/// Everything the event loop reacts to.
#[derive(Debug)]
pub enum Event {
    /// A key, mouse, paste or resize event from the terminal.
    Input(event::Event),
    /// The terminal can no longer be read (for example, SSH dropped).
    InputClosed,
    Progress(Progress),
    /// The documents are read; the engine is still at work. The index has
    /// no mentions yet.
    Listed(Box<Index>),
    /// The corpus is indexed and its journal open (or opening failed).
    Indexed(Box<Result<Opened, String>>),
    /// The workspace carried out a decision, undo or redo.
    Applied(Box<Applied>),
    /// A text occurs this many times in this many documents.
    Counted(String, usize, usize),
    /// Hits of a full-text search, as it finds them.
    Searched(SearchBatch),
    /// A worker's answer, as the action that carries it.
    Answered(Box<super::action::Action>),
    Signal(i32),
    /// A timer ran out (the event loop makes these when nothing else came).
    Tick,
}

use super::screen::ScreenBackend;
pub use super::screen::{BEGIN_SYNC, END_SYNC};

/// Mouse capture is on and must be turned off on restore.
static MOUSE_ON: AtomicBool = AtomicBool::new(false);
/// The terminal is set up (raw mode, alternate screen).
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The terminal is lent to another program (the note editor).
static LENT: AtomicBool = AtomicBool::new(false);
/// The thread that owns the terminal.
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();
static HOOK: Once = Once::new();

fn setup(mouse: bool) -> io::Result<()> {
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
        MOUSE_ON.store(true, Ordering::SeqCst);
    }
    Ok(())
}

/// Undoes [`setup`]. Safe to call more than once, and from the panic hook.
/// Errors are ignored: the terminal may already be gone.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    // A frame cut short (a crash, a signal) must not leave the terminal
    // holding the screen.
    let _ = out.write_all(END_SYNC);
    // Nor with a scroll region or margins set (a frame is written whole,
    // but a write can be cut short).
    let _ = out.write_all(b"\x1b[?69l\x1b[r");
    if MOUSE_ON.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal before a panic on the UI thread is reported.
/// Panics on other threads are reported by the UI instead (see
/// [`spawn_indexer`]), so they do not tear the screen down.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if UI_THREAD.get() == Some(&thread::current().id()) {
                restore();
                previous(info);
            }
        }));
    });
}

/// The terminal while the reader owns it. Dropping it restores the terminal.
pub struct Term {
    pub terminal: Terminal<ScreenBackend<Stdout>>,
    mouse: bool,
}

impl Term {
    /// Takes over the terminal: raw mode, alternate screen, bracketed
    /// paste, and mouse capture if asked for.
    pub fn enter(mouse: bool) -> io::Result<Term> {
        let _ = UI_THREAD.set(thread::current().id());
        install_panic_hook();
        if let Err(e) = setup(mouse) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(ScreenBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Term { terminal, mouse })
    }

    /// Draws a frame: the backend writes what changed, in one write inside
    /// a synchronized update (`CSI ? 2026 h` … `l`), so that a terminal
    /// that knows the mode shows the frame whole, never half drawn, however
    /// slow the link; one that does not ignores it. A frame that changes
    /// nothing writes nothing.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        super::screen::draw(&mut self.terminal, render)
    }

    /// Says that the contents of `area` may have moved up or down, so that
    /// the next frame may scroll them instead of drawing them again.
    pub fn hint_scroll(&mut self, area: Rect) {
        self.terminal.backend_mut().hint_scroll(area);
    }

    /// Hands the terminal back to the shell and stops the process, as
    /// Ctrl-Z would; on `fg`, takes the terminal again and repaints.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        let _ = signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP);
        self.resume()
    }

    /// Lends the terminal to another program: stops the input thread from
    /// reading it, hands it back to the shell's modes (as for Ctrl-Z), runs
    /// `f`, then takes it again, lets the input thread read again and
    /// forces a full repaint.
    pub fn lend<R>(&mut self, gate: &InputGate, f: impl FnOnce() -> R) -> io::Result<R> {
        let _ = Backend::flush(self.terminal.backend_mut());
        gate.pause();
        restore();
        LENT.store(true, Ordering::SeqCst);
        let result = f();
        LENT.store(false, Ordering::SeqCst);
        let resumed = self.resume();
        gate.resume();
        resumed.map(|()| result)
    }

    /// Sets the terminal up again (after `fg`) and forces a full repaint.
    pub fn resume(&mut self) -> io::Result<()> {
        if !ACTIVE.load(Ordering::SeqCst) {
            setup(self.mouse)?;
        }
        // `Terminal::clear` asks the terminal where the cursor is, and the
        // input thread would swallow the answer; `resize` clears without asking.
        let size = self.terminal.size()?;
        self.terminal
            .resize(Rect::new(0, 0, size.width, size.height))
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        // After a panic the hook has restored the terminal and printed the
        // message; writing anything now would draw over it.
        if ACTIVE.load(Ordering::SeqCst) {
            let _ = Backend::flush(self.terminal.backend_mut());
            restore();
        }
    }
}

/// Whether to ask the terminal for left and right margins: the config's
/// choice, else only where the environment names a terminal known to have
/// them. (Terminal multiplexers have none; a terminal that is asked and
/// never answers would hold up the reader's first keys.)
pub fn should_ask_margins(choice: Option<bool>, var: impl Fn(&str) -> Option<String>) -> bool {
    let term = var("TERM").unwrap_or_default();
    let multiplexed = var("TMUX").is_some()
        || var("STY").is_some()
        || term.starts_with("screen")
        || term.starts_with("tmux");
    match choice {
        Some(c) => c,
        None if multiplexed => false,
        None => {
            var("XTERM_VERSION").is_some()
                || matches!(
                    var("TERM_PROGRAM").as_deref(),
                    Some("iTerm.app" | "WezTerm")
                )
        }
    }
}

/// Asks the terminal whether it has left and right margins (DECSLRM, mode
/// 69, by DECRQM), before the input thread reads it. A primary device
/// attributes query (DA1), which every terminal answers, goes first on its
/// own, so that a terminal that answers nothing is given up on without
/// ever having been sent the DECRQM (whose late answer the input parser
/// could not read); then DECRQM and DA1 again, and the DA1 answer says
/// that the DECRQM answer, if any, has come. Bytes typed meanwhile are
/// dropped.
#[cfg(unix)]
pub fn ask_margins(wait: Duration) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: isatty only inspects the descriptor.
    let (fd, _file) = if unsafe { libc::isatty(0) } == 1 {
        (0, None)
    } else {
        match std::fs::File::open("/dev/tty") {
            Ok(f) => (f.as_raw_fd(), Some(f)),
            Err(_) => return false,
        }
    };
    let ask = |query: &[u8], wait: Duration| -> Option<Vec<u8>> {
        let mut out = io::stdout();
        out.write_all(query).and_then(|()| out.flush()).ok()?;
        let deadline = Instant::now() + wait;
        let mut got = Vec::new();
        while !has_device_attributes(&got) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let mut pfd = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            let ms = left.as_millis().clamp(1, 10_000) as libc::c_int;
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut pfd, 1, ms) } <= 0 {
                continue;
            }
            let mut buf = [0u8; 256];
            // SAFETY: reads into a buffer of that length.
            let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                return None;
            }
            got.extend_from_slice(&buf[..n as usize]);
        }
        Some(got)
    };
    let start = Instant::now();
    if ask(b"\x1b[c", wait).is_none() {
        return false;
    }
    let round_trip = start.elapsed();
    ask(b"\x1b[?69$p\x1b[c", (round_trip * 8).max(wait))
        .is_some_and(|answer| margins_answer(&answer))
}

#[cfg(not(unix))]
pub fn ask_margins(_wait: Duration) -> bool {
    false
}

/// The bytes hold a primary device attributes answer (`CSI ? … c`).
fn has_device_attributes(bytes: &[u8]) -> bool {
    bytes.windows(3).enumerate().any(|(i, w)| {
        w == b"\x1b[?"
            && bytes[i + 3..]
                .iter()
                .find(|b| !(b.is_ascii_digit() || **b == b';'))
                .is_some_and(|&b| b == b'c')
    })
}

/// The terminal said that mode 69 (left and right margins) is known:
/// `CSI ? 69 ; Ps $ y` with Ps 1 (set), 2 (reset) or 3 (always set).
fn margins_answer(bytes: &[u8]) -> bool {
    let key = b"\x1b[?69;";
    bytes
        .windows(key.len())
        .position(|w| w == key)
        .and_then(|i| bytes.get(i + key.len()..i + key.len() + 3))
        .is_some_and(|rest| matches!(rest, [b'1' | b'2' | b'3', b'$', b'y']))
}

/// True when the process was started in the background of its terminal
/// (`dossier &`): the first change to the terminal's modes would stop it
/// with SIGTTOU, and a stopped reader cannot even be ended with SIGTERM.
/// Compares the terminal's foreground process group with ours, as
/// `/proc/self/stat` gives them, when standard input is the controlling
/// terminal; where there is no `/proc` (not Linux), says false.
pub fn in_background() -> bool {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return false;
    };
    let Some(groups) = process_groups(&stat) else {
        return false;
    };
    // Only our controlling terminal's foreground group is known: make sure
    // standard input is that terminal.
    let stdin_dev = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self/fd/0").map(|m| m.rdev())
    };
    if stdin_dev.ok() != Some(groups.tty) {
        return false;
    }
    groups.foreground > 0 && groups.foreground != groups.own
}

/// What `/proc/self/stat` says about the process's terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ProcessGroups {
    /// Our process group.
    pub own: i64,
    /// The controlling terminal's device number (0: none).
    pub tty: u64,
    /// The terminal's foreground process group (-1: none).
    pub foreground: i64,
}

/// Reads fields 5, 7 and 8 (pgrp, tty_nr, tpgid) of a `/proc/PID/stat`
/// line. The command name (field 2) may hold spaces and parentheses, so
/// counting starts after its last `)`.
pub(crate) fn process_groups(stat: &str) -> Option<ProcessGroups> {
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // state ppid pgrp session tty_nr tpgid
    let groups = ProcessGroups {
        own: f.get(2)?.parse().ok()?,
        tty: f.get(4)?.parse::<i64>().ok()?.try_into().ok()?,
        foreground: f.get(5)?.parse().ok()?,
    };
    (groups.tty != 0).then_some(groups)
}

/// How long the input thread waits for input before it looks again at
/// whether it should pause, where it cannot sleep until woken (no pipe
/// could be made, or not on Unix).
const INPUT_POLL: Duration = Duration::from_millis(250);

/// How long [`InputGate::pause`] waits for the input thread to stop.
const PAUSE_WAIT: Duration = Duration::from_secs(1);

/// Lets the event loop stop the input thread from reading the terminal, so
/// that a program run in the foreground (the note editor) gets every key.
#[derive(Debug)]
pub struct InputGate {
    /// The event loop wants the input thread to stop reading.
    pause: AtomicBool,
    /// The input thread has stopped reading (its acknowledgement).
    paused: Mutex<bool>,
    changed: Condvar,
    /// A pipe that wakes the input thread from its sleep (a pause is asked
    /// for), so that it never needs to wake up on a timer.
    wake: Option<Wake>,
}

impl Default for InputGate {
    fn default() -> InputGate {
        InputGate {
            pause: AtomicBool::new(false),
            paused: Mutex::new(false),
            changed: Condvar::new(),
            wake: Wake::new(),
        }
    }
}

/// The two ends of a non-blocking pipe.
#[derive(Debug)]
struct Wake {
    read: std::os::fd::OwnedFd,
    write: std::os::fd::OwnedFd,
}

impl Wake {
    fn new() -> Option<Wake> {
        #[cfg(unix)]
        {
            use std::os::fd::FromRawFd;
            let mut fds = [0 as libc::c_int; 2];
            // SAFETY: `fds` has room for the two descriptors pipe2 writes.
            let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
            if r != 0 {
                return None;
            }
            // SAFETY: pipe2 succeeded, so both are open descriptors we own.
            Some(unsafe {
                Wake {
                    read: std::os::fd::OwnedFd::from_raw_fd(fds[0]),
                    write: std::os::fd::OwnedFd::from_raw_fd(fds[1]),
                }
            })
        }
        #[cfg(not(unix))]
        None
    }

    fn ring(&self) {
        use std::os::fd::AsRawFd;
        // SAFETY: writing one byte from a valid buffer to our own pipe; a
        // full pipe (EAGAIN) already wakes the reader.
        let _ = unsafe { libc::write(self.write.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
    }

    /// Empties the pipe.
    fn drain(fd: libc::c_int) {
        let mut buf = [0u8; 64];
        // SAFETY: reading into our own buffer from a non-blocking pipe.
        while unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
    }
}

impl InputGate {
    fn paused(&self) -> MutexGuard<'_, bool> {
        self.paused.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Asks the input thread to stop reading and waits until it says it
    /// has (at most [`PAUSE_WAIT`]: a thread that has ended never answers).
    /// Returns true when it answered.
    pub fn pause(&self) -> bool {
        self.pause.store(true, Ordering::SeqCst);
        if let Some(w) = &self.wake {
            w.ring();
        }
        let deadline = Instant::now() + PAUSE_WAIT;
        let mut paused = self.paused();
        while !*paused {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            paused = self
                .changed
                .wait_timeout(paused, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        true
    }

    /// Lets the input thread read again.
    pub fn resume(&self) {
        let _guard = self.paused();
        self.pause.store(false, Ordering::SeqCst);
        self.changed.notify_all();
    }

    /// On the input thread: when a pause is asked for, says so and sleeps
    /// until [`InputGate::resume`].
    fn hold(&self) {
        if !self.pause.load(Ordering::SeqCst) {
            return;
        }
        let mut paused = self.paused();
        *paused = true;
        self.changed.notify_all();
        while self.pause.load(Ordering::SeqCst) {
            paused = self
                .changed
                .wait(paused)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *paused = false;
    }
}

/// Reads terminal events on a thread of its own. Between events it sleeps
/// until the terminal has input, the window is resized, or `gate` asks it
/// to pause (through a pipe): an idle reader never wakes up. Where it cannot
/// sleep so, it looks every [`INPUT_POLL`].
pub fn spawn_input(tx: Sender<Event>, gate: Arc<InputGate>) -> io::Result<()> {
    thread::Builder::new().name("input".into()).spawn(move || {
        let sleeper = Sleeper::new(&gate);
        loop {
            gate.hold();
            // What crossterm has read already, or can read now.
            let ready = match event::poll(Duration::ZERO) {
                Ok(ready) => ready,
                Err(_) => {
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
            };
            if !ready {
                match &sleeper {
                    Some(s) => {
                        if s.sleep() == Woken::Closed {
                            let _ = tx.send(Event::InputClosed);
                            return;
                        }
                    }
                    None => {
                        if let Err(_) | Ok(false) = event::poll(INPUT_POLL) {
                            continue;
                        }
                    }
                }
                continue;
            }
            match event::read() {
                Ok(ev) => {
                    if tx.send(Event::Input(ev)).is_err() {
                        return;
                    }
                }
                Err(_) => {
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
            }
        }
    })?;
    Ok(())
}

/// Why the input thread woke.
#[derive(Debug, PartialEq, Eq)]
enum Woken {
    /// Input, a resize or a pause: look again.
    Again,
    /// The terminal is gone (the SSH connection dropped).
    Closed,
}

/// Sleeps the input thread on the terminal, a resize signal and the gate's
/// pipe at once (`poll(2)` with no timeout).
struct Sleeper {
    tty: std::os::fd::RawFd,
    /// Kept open while the thread reads from it (when not stdin).
    _tty_file: Option<std::fs::File>,
    wake: std::os::fd::RawFd,
    winch: Wake,
}

impl Sleeper {
    fn new(gate: &InputGate) -> Option<Sleeper> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            let wake = gate.wake.as_ref()?.read.as_raw_fd();
            // The terminal crossterm reads: stdin when it is one, else the
            // controlling terminal.
            // SAFETY: isatty only inspects the descriptor.
            let (tty, file) = if unsafe { libc::isatty(0) } == 1 {
                (0, None)
            } else {
                let f = std::fs::File::open("/dev/tty").ok()?;
                (f.as_raw_fd(), Some(f))
            };
            let winch = Wake::new()?;
            let write = winch.write.try_clone().ok()?;
            signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, write).ok()?;
            Some(Sleeper {
                tty,
                _tty_file: file,
                wake,
                winch,
            })
        }
        #[cfg(not(unix))]
        {
            let _ = gate;
            None
        }
    }

    fn sleep(&self) -> Woken {
        use std::os::fd::AsRawFd;
        let winch = self.winch.read.as_raw_fd();
        let mut fds = [
            libc::pollfd {
                fd: self.tty,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: self.wake,
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: winch,
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        // SAFETY: `fds` is a valid array of three pollfd structures.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        if n < 0 {
            // A signal arrived (EINTR): look again.
            return Woken::Again;
        }
        Wake::drain(self.wake);
        Wake::drain(winch);
        let gone = libc::POLLHUP | libc::POLLERR | libc::POLLNVAL;
        if fds[0].revents & gone != 0 {
            return Woken::Closed;
        }
        Woken::Again
    }
}

/// Ignores SIGXFSZ: a write past the file-size limit (`ulimit -f`) then
/// fails with EFBIG, and the journal's write error is handled like a full
/// disk's (the decision is kept and the reader says it is NOT SAVED),
/// instead of the signal's default action killing the reader on the
/// alternate screen in raw mode. Called before the reader's first write.
pub fn ignore_file_size_signal() {
    // SAFETY: setting a signal's disposition to SIG_IGN installs no
    // handler and has no other precondition.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Forwards SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP and SIGCONT.
///
/// While the terminal is lent to another program ([`Term::lend`]), the
/// keyboard's signals are that program's: SIGINT and SIGQUIT are dropped,
/// and SIGTSTP (an editor suspending its whole process group, as vim does)
/// stops the reader at once, as it would any program waiting for its
/// editor, so that the shell sees the job stopped; `fg` continues both.
pub fn spawn_signals(tx: Sender<Event>) -> io::Result<()> {
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                if LENT.load(Ordering::SeqCst) {
                    match sig {
                        SIGINT | SIGQUIT | SIGCONT => continue,
                        SIGTSTP => {
                            let _ = signal_hook::low_level::emulate_default_handler(sig);
                            continue;
                        }
                        _ => {}
                    }
                }
                if tx.send(Event::Signal(sig)).is_err() {
                    return;
                }
            }
        })?;
    Ok(())
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown error".into())
}

/// The workspace thread: it builds the index and opens the annotation
/// journal, reporting progress at most twenty times a second, then carries
/// out the commands it is sent, in order, answering each with
/// [`Event::Applied`]. When the command channel closes it makes a last
/// attempt to write anything unsaved; its result holds what could not be.
/// A panic in the engine becomes an error message.
pub fn spawn_workspace(
    opts: OpenOptions,
    tx: Sender<Event>,
) -> Option<(Sender<Command>, JoinHandle<Option<Unsaved>>)> {
    let (commands, inbox) = mpsc::channel::<Command>();
    let spawned = thread::Builder::new().name("workspace".into()).spawn({
        let tx = tx.clone();
        move || {
            let progress_tx = tx.clone();
            let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut last = Instant::now() - Duration::from_secs(1);
                worker::open(
                    &opts,
                    &mut |p: Progress| {
                        if last.elapsed() >= Duration::from_millis(50) || p.done == p.total {
                            last = Instant::now();
                            let _ = progress_tx.send(Event::Progress(p));
                        }
                    },
                    // The documents, to list and read while the engine runs.
                    &mut |corpus| {
                        let index = Index::new(Arc::clone(corpus), Analysis::default());
                        let _ = progress_tx.send(Event::Listed(Box::new(index)));
                    },
                )
            }));
            let (mut ws, mut trouble) = match opened {
                Ok(Ok(x)) => x,
                Ok(Err(e)) => {
                    let _ = tx.send(Event::Indexed(Box::new(Err(e))));
                    return None;
                }
                Err(panic) => {
                    let what = panic_text(panic.as_ref());
                    let _ = tx.send(Event::Indexed(Box::new(Err(format!(
                        "indexing failed: {what}"
                    )))));
                    return None;
                }
            };
            let _ = tx.send(Event::Indexed(Box::new(Ok(Opened {
                index: ws.index().clone(),
                journal: worker::journal_info(&ws, trouble.clone()),
            }))));
            while let Ok(cmd) = inbox.recv() {
                let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match cmd {
                    Command::TakeOver => worker::take_over_opened(&mut ws, &opts, &mut trouble),
                    cmd => worker::execute(&mut ws, cmd, trouble.as_deref()),
                }));
                let applied = match done {
                    Ok(a) => a,
                    Err(panic) => Applied {
                        index: None,
                        journal: worker::journal_info(&ws, trouble.clone()),
                        message: format!(
                            "NOT SAVED (internal error: {})",
                            panic_text(panic.as_ref())
                        ),
                        error: true,
                    },
                };
                // Keep going even when nobody listens: queued decisions are
                // still written.
                let _ = tx.send(Event::Applied(Box::new(applied)));
            }
            worker::flush_at_exit(&mut ws)
        }
    });
    match spawned {
        Ok(handle) => Some((commands, handle)),
        Err(e) => {
            let _ = tx.send(Event::Indexed(Box::new(Err(format!(
                "cannot start indexing: {e}"
            )))));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_are_used_only_where_the_terminal_says_so() {
        assert!(margins_answer(b"\x1b[?69;2$y\x1b[?64;1;2c"));
        assert!(margins_answer(b"junk\x1b[?69;1$y"));
        assert!(!margins_answer(b"\x1b[?69;0$y\x1b[?1;2c"));
        assert!(!margins_answer(b"\x1b[?1;2c"));
        assert!(has_device_attributes(b"x\x1b[?64;1;2;6c"));
        assert!(!has_device_attributes(b"\x1b[?69;2$y"));
        assert!(!has_device_attributes(b"\x1b[?64;1"));
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(should_ask_margins(
            None,
            env(&[("TERM", "xterm-256color"), ("XTERM_VERSION", "XTerm(390)")])
        ));
        assert!(!should_ask_margins(
            None,
            env(&[("TERM", "xterm-256color")])
        ));
        assert!(!should_ask_margins(
            None,
            env(&[("TERM", "tmux-256color"), ("XTERM_VERSION", "XTerm(390)")])
        ));
        assert!(!should_ask_margins(
            None,
            env(&[("TERM", "xterm"), ("TMUX", "/tmp/t,1,0")])
        ));
        assert!(should_ask_margins(Some(true), env(&[("TERM", "screen")])));
        assert!(!should_ask_margins(
            Some(false),
            env(&[("XTERM_VERSION", "XTerm(390)")])
        ));
    }

    #[test]
    fn reads_the_process_groups_from_proc_stat() {
        let stat = "4242 (dos (sier) x) T 4100 4242 4100 34817 4100 4194560 0 0";
        assert_eq!(
            process_groups(stat),
            Some(ProcessGroups {
                own: 4242,
                tty: 34817,
                foreground: 4100,
            })
        );
        // No controlling terminal.
        assert_eq!(process_groups("1 (init) S 0 1 1 0 -1 4194560"), None);
        assert_eq!(process_groups("garbage"), None);
        assert_eq!(process_groups("1 (x) S"), None);
    }
}
