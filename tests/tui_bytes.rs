//! What the reader writes to the terminal, counted: the real views on the
//! bundled seeds, drawn through the terminal layer into a byte counter,
//! and replayed into a terminal emulator to check that the screen comes
//! out as the views drew it.
//!
//! These are the budgets of a slow SSH link at 200x60 (`less` writes about
//! 170 bytes for a one-line scroll and 7.5 KB for a page there).

use dossier::entity::{Engine, KnowledgeBase};
use dossier::index::Index;
use dossier::tui::app::{App, Pane};
use dossier::tui::keymap::{Key, Keymap, Router};
use dossier::tui::layout;
use dossier::tui::screen::{self, ScreenBackend};
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::update;
use dossier::tui::view::{self, Screen};
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::Cell;
use std::rc::Rc;

/// Counts what is written to it.
struct Counter(Rc<Cell<usize>>);

impl std::io::Write for Counter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + b.len());
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The reader on the bundled seeds, with its terminal and an emulator.
struct Rig {
    app: App,
    keymap: Keymap,
    router: Router,
    theme: Theme,
    term: Terminal<ScreenBackend<Vec<u8>>>,
    vt: vt100::Parser,
    /// ratatui's own backend, drawn alongside: what the reader wrote
    /// before it had a terminal layer of its own.
    stock: Terminal<CrosstermBackend<Counter>>,
    stock_count: Rc<Cell<usize>>,
    /// Bytes the stock backend wrote for the last frame.
    stock_bytes: usize,
}

impl Rig {
    fn new(w: u16, h: u16) -> Rig {
        let corpus = dossier::load::bundled_corpus();
        let analysis = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
        let mut app = App::new("seeds", w, h);
        update::index_ready(&mut app, Ok(Index::new(corpus, analysis)));
        let term = Terminal::new(ScreenBackend::with_size(Vec::new(), w, h)).expect("terminal");
        let count = Rc::new(Cell::new(0));
        let mut rig = Rig {
            app,
            keymap: Keymap::default(),
            router: Router::default(),
            theme: Theme::load(Some("dark"), ColorDepth::Ansi256).expect("theme"),
            term,
            vt: vt100::Parser::new(h, w, 0),
            stock: Terminal::with_options(
                CrosstermBackend::new(Counter(Rc::clone(&count))),
                TerminalOptions {
                    viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
                },
            )
            .expect("terminal"),
            stock_count: count,
            stock_bytes: 0,
        };
        rig.draw();
        rig
    }

    fn press(&mut self, keys: &str) {
        for k in Key::parse_keys(keys).expect("keys") {
            dossier::tui::handle_key(&mut self.app, &mut self.router, &self.keymap, k);
        }
    }

    /// Draws a frame as the event loop does; returns the bytes written,
    /// after checking the emulated screen against the views.
    fn draw(&mut self) -> usize {
        for area in layout::scroll_areas(&self.app) {
            self.term.backend_mut().hint_scroll(area);
        }
        let screen = Screen {
            app: &self.app,
            theme: &self.theme,
            keymap: &self.keymap,
        };
        screen::draw(&mut self.term, |f| view::draw(f, &screen)).expect("draw");
        self.stock_count.set(0);
        self.stock.draw(|f| view::draw(f, &screen)).expect("draw");
        self.stock_bytes = self.stock_count.get();
        let bytes = std::mem::take(self.term.backend_mut().writer_mut());
        self.vt.process(&bytes);
        self.check();
        bytes.len()
    }

    /// Keys, then a frame: the bytes that frame wrote.
    fn action(&mut self, keys: &str) -> usize {
        self.press(keys);
        self.draw()
    }

    /// The emulated screen's text is the views' text.
    fn check(&self) {
        let (w, h) = (self.app.width, self.app.height);
        let mut reference = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let screen = Screen {
            app: &self.app,
            theme: &self.theme,
            keymap: &self.keymap,
        };
        reference.draw(|f| view::draw(f, &screen)).expect("draw");
        let buf = reference.backend().buffer();
        for y in 0..h {
            let mut want = String::new();
            let mut x = 0;
            while x < w {
                let s = buf[(x, y)].symbol();
                want.push_str(s);
                x += dossier::text::symbol_width(s).max(1) as u16;
            }
            let got = self.vt.screen().contents_between(y, 0, y, w);
            assert_eq!(got.trim_end(), want.trim_end(), "row {y}");
        }
    }
}

#[test]
fn full_width_reading_over_a_slow_link() {
    let mut r = Rig::new(200, 60);
    // The longest seed, zoomed to the whole screen.
    r.press("jj<Enter>");
    r.draw();
    r.action("z");
    assert_eq!(r.app.focus, Pane::Article);
    assert!(r.app.zoom);
    let first = r.app.article.scroll;

    let line = r.action("j");
    let stock_line = r.stock_bytes;
    assert_eq!(r.app.article.scroll, first + 1, "one line down");
    assert!(line <= 1024, "a one-line scroll wrote {line} bytes");
    let back = r.action("k");
    assert!(back <= 1024, "a one-line scroll up wrote {back} bytes");

    let page = r.action("<PageDown>");
    let stock_page = r.stock_bytes;
    assert!(r.app.article.scroll > first + 20, "a page down");
    assert!(page <= 9 * 1024, "a page wrote {page} bytes");

    eprintln!(
        "200x60 zoomed, bytes (ratatui's own backend): one line {line} ({stock_line}), \
         page {page} ({stock_page})"
    );
    assert!(line * 5 < stock_line && page < stock_page);
    assert_eq!(r.draw(), 0, "a frame with nothing new writes nothing");
    assert_eq!(r.draw(), 0);
}

#[test]
fn moving_about_the_three_panes_draws_only_what_changed() {
    let mut r = Rig::new(200, 60);
    let mut stock = Vec::new();
    let mut act = |r: &mut Rig, keys: &str| {
        let n = r.action(keys);
        stock.push((keys.to_string(), r.stock_bytes, n));
        n
    };
    let full = act(&mut r, "jj<Enter>");
    let next = act(&mut r, "n");
    let focus = act(&mut r, "x");
    let back = act(&mut r, "x");
    let line = act(&mut r, "j");
    for (keys, before, now) in &stock {
        eprintln!("200x60 three panes, {keys}: {now} bytes (ratatui's own backend: {before})");
        assert!(now <= before, "{keys}: {now} > {before}");
    }
    // Each of these changes a small part of the screen: far less than a
    // whole one (which the first frames drew).
    for (what, n) in [("n", next), ("x", focus), ("x again", back), ("j", line)] {
        assert!(
            n * 2 < full,
            "{what} wrote {n} bytes, a whole screen {full}"
        );
    }
    assert_eq!(r.draw(), 0);
}

#[test]
fn the_zoomed_panel_and_list_scroll_too() {
    let mut r = Rig::new(100, 30);
    r.press("jj<Enter>x");
    r.draw();
    r.action("z");
    assert!(r.app.zoom && r.app.focus == Pane::Xref);
    for _ in 0..12 {
        r.action("j");
    }
    r.action("x");
    assert_eq!(r.app.focus, Pane::Article);
    r.action("z");
    assert!(!r.app.zoom);
}
