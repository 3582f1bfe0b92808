//! Wide graphemes under overlays. A flag (🇯🇵, two regional indicators)
//! is one grapheme two cells wide in ratatui's buffer, but tmux keeps its
//! halves in two cells of their own: when an overlay draws over the flag's
//! first cell and not its second, `🇵` stays on the overlay. The frames are
//! drawn here as the event loop draws them, and their differences are
//! replayed on a model of such a terminal.

use dossier::corpus::{Corpus, Document};
use dossier::entity::Analysis;
use dossier::index::Index;
use dossier::text::symbol_width;
use dossier::tui::app::{App, Overlay};
use dossier::tui::keymap::{Key, Keymap, Router};
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::view::Screen;
use dossier::tui::{layout, update};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::path::PathBuf;

const FLAG: &str = "🇯🇵";

/// Documents whose lines (and titles) hold flags at every column parity,
/// so that some flag straddles each overlay edge.
fn flag_index() -> Index {
    let mut text = String::from("Flags\n\n");
    for i in 0..40 {
        text.push_str(&"x".repeat(i % 7));
        for _ in 0..60 {
            text.push_str(FLAG);
        }
        text.push_str("\n\n");
    }
    let doc = |i: usize, title: String| Document {
        id: format!("flags{i}.txt"),
        path: format!("flags{i}.txt"),
        title,
        text: text.clone().into(),
        boilerplate: Vec::new(),
        url: None,
        date: None,
    };
    let corpus = Corpus {
        root: PathBuf::from("flags"),
        docs: vec![
            doc(0, FLAG.repeat(30)),
            doc(1, format!("x{}", FLAG.repeat(30))),
        ],
        skipped: Vec::new(),
        warnings: Vec::new(),
        words: Default::default(),
    };
    Index::new(
        corpus,
        Analysis {
            entities: Vec::new(),
            mentions: Vec::new(),
        },
    )
}

fn press(app: &mut App, keys: &str) {
    let keymap = Keymap::default();
    let mut router = Router::default();
    for k in Key::parse_keys(keys).expect("keys") {
        dossier::tui::handle_key(app, &mut router, &keymap, k);
    }
}

/// The screen as the event loop draws it, into a fresh buffer.
fn frame(app: &App) -> Buffer {
    let theme = Theme::load(Some("dark"), ColorDepth::TrueColor).expect("theme");
    let keymap = Keymap::default();
    let area = Rect::new(0, 0, app.width, app.height);
    let mut buf = Buffer::empty(area);
    (&Screen {
        app,
        theme: &theme,
        keymap: &keymap,
    })
        .render(area, &mut buf);
    buf
}

fn is_regional_indicator(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// A terminal that, like tmux 3.3, puts each regional indicator of a flag
/// in a cell of its own (each one cell wide), and other wide graphemes in
/// one cell whose neighbour they cover.
struct Terminal {
    width: u16,
    cells: Vec<String>,
}

impl Terminal {
    fn new(width: u16, height: u16) -> Terminal {
        Terminal {
            width,
            cells: vec![" ".to_string(); usize::from(width) * usize::from(height)],
        }
    }

    fn put(&mut self, x: u16, y: u16, s: String) {
        if x < self.width {
            let i = usize::from(y) * usize::from(self.width) + usize::from(x);
            if let Some(c) = self.cells.get_mut(i) {
                *c = s;
            }
        }
    }

    /// Draws what ratatui would send: the cells that differ from `before`.
    fn draw(&mut self, before: &Buffer, after: &Buffer) {
        for (x, y, cell) in before.diff(after) {
            let sym = cell.symbol();
            let ris: Vec<char> = sym.chars().filter(|c| is_regional_indicator(*c)).collect();
            if ris.len() == 2 {
                self.put(x, y, ris[0].to_string());
                self.put(x + 1, y, ris[1].to_string());
            } else {
                self.put(x, y, sym.to_string());
                for k in 1..symbol_width(sym) as u16 {
                    self.put(x + k, y, String::new());
                }
            }
        }
    }

    fn row(&self, y: u16, from: u16, to: u16) -> String {
        (from..to)
            .map(|x| self.cells[usize::from(y) * usize::from(self.width) + usize::from(x)].clone())
            .collect()
    }
}

/// Draws `app` before and after `keys` on the model terminal; returns the
/// terminal, both frames and the overlay's area.
fn over_flags(w: u16, h: u16, keys: &str, overlay: Overlay) -> (Terminal, Buffer, Buffer, Rect) {
    let mut app = App::new("flags", w, h);
    update::index_ready(&mut app, Ok(flag_index()));
    press(&mut app, "<Enter>");
    let first = frame(&app);
    let mut term = Terminal::new(app.width, app.height);
    term.draw(&Buffer::empty(first.area), &first);
    // The flags are on screen, halves and all.
    let on_screen: String = (0..app.height).map(|y| term.row(y, 0, app.width)).collect();
    assert!(on_screen.contains("🇯"), "{on_screen}");
    press(&mut app, keys);
    assert_eq!(app.overlay, Some(overlay));
    let second = frame(&app);
    term.draw(&first, &second);
    let area = layout::overlay(layout::app_panes(&app).main);
    (term, first, second, area)
}

/// No half of a flag shows inside `area` (or in the column cleared either
/// side of it), on the model terminal; and in the buffer no wide grapheme
/// reaches into it from the left.
fn assert_clean(term: &Terminal, buf: &Buffer, area: Rect) {
    let left = area.x.saturating_sub(1);
    let right = area.right() + 1;
    for y in area.top()..area.bottom() {
        let row = term.row(y, left, right);
        assert!(
            !row.chars().any(is_regional_indicator),
            "row {y} shows half a flag: {row}"
        );
        for x in left.saturating_sub(2)..left {
            let w = symbol_width(buf[(x, y)].symbol()) as u16;
            assert!(
                x + w <= left,
                "row {y}: {:?} at {x} reaches into the overlay",
                buf[(x, y)].symbol()
            );
        }
    }
}

#[test]
fn the_help_overlay_leaves_no_half_flag_behind() {
    let (term, _, buf, area) = over_flags(100, 30, "?", Overlay::Help);
    assert_clean(&term, &buf, area);
}

#[test]
fn a_flag_straddling_the_overlay_edge_is_cleared_whole() {
    // At 140 columns the help's left edge is over the document list, whose
    // titles are flags at both column parities: one of them straddles it.
    let (term, first, buf, area) = over_flags(140, 40, "<Esc>h?", Overlay::Help);
    // The overlay clears a column either side of its border: a flag starts
    // just left of that column, its second half inside.
    let cleared = area.x - 1;
    assert!(
        (area.top()..area.bottom()).any(|y| first[(cleared - 1, y)].symbol() == FLAG),
        "no flag straddles the edge"
    );
    assert_clean(&term, &buf, area);
}

#[test]
fn the_picker_leaves_no_half_flag_behind() {
    // Select the first word and link it: the picker opens over the flags.
    let (term, _, buf, area) = over_flags(100, 30, "vL", Overlay::Picker);
    assert_clean(&term, &buf, area);
}

#[test]
fn closing_an_overlay_and_scrolling_leave_no_half_flag_behind() {
    let mut app = App::new("flags", 100, 30);
    update::index_ready(&mut app, Ok(flag_index()));
    press(&mut app, "<Enter>");
    let mut term = Terminal::new(app.width, app.height);
    let mut last = Buffer::empty(Rect::new(0, 0, app.width, app.height));
    // Scrolling shifts every flag by a column or so; closing the help
    // brings them back over its blank cells.
    for keys in ["?", "<Esc>", "j", "j", "j", "?", "<Esc>"] {
        press(&mut app, keys);
        let next = frame(&app);
        term.draw(&last, &next);
        last = next;
    }
    // The terminal shows what the last frame holds: flags where it has
    // them, nothing else.
    for y in 0..app.height {
        let mut x = 0;
        while x < app.width {
            let sym = last[(x, y)].symbol();
            let w = symbol_width(sym).max(1) as u16;
            if sym == FLAG {
                assert_eq!(term.row(y, x, x + 2), FLAG, "row {y} col {x}");
            } else {
                let shown = term.row(y, x, x + w);
                assert!(
                    !shown.chars().any(is_regional_indicator),
                    "row {y} col {x}: {shown:?} where the frame has {sym:?}"
                );
            }
            x += w;
        }
    }
}
