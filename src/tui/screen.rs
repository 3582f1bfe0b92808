//! The reader's terminal output: a ratatui [`Backend`] that keeps a model
//! of what the terminal shows and writes, once per frame, the fewest bytes
//! that turn it into the new frame.
//!
//! ratatui draws each frame into its buffer; [`draw`] hands that whole
//! buffer to [`ScreenBackend::present`], which compares it with what the
//! terminal shows (ratatui's own diff is not used: it is made against
//! ratatui's idea of the screen, which a scroll changes):
//!
//! - **Scrolling by scrolling.** For each region the caller says may have
//!   scrolled ([`ScreenBackend::hint_scroll`]), it looks for the vertical
//!   shift that makes the most of the shown rows reusable. When the region
//!   spans the full width, it shifts them with a scroll region (DECSTBM,
//!   then line feeds or reverse indexes); when it does not and the
//!   terminal has left and right margins (DECSLRM, see
//!   [`ScreenBackend::set_margins`]), it sets those too. Then only the rows
//!   that came into view are drawn.
//! - **Only what changed**, with the shortest cursor move (relative when
//!   shorter, a carriage return and line feed to the next line), one SGR
//!   sequence per style change that says only what changed, a few
//!   unchanged cells rewritten instead of a move when that is shorter, and
//!   an erase to the end of the line (EL) instead of blanks.
//! - **Basic colours in their basic form**: indexed colours 0–15 are sent
//!   as SGR 30–37 and 90–97 (backgrounds 40–47 and 100–107), which every
//!   colour terminal reads and which are shorter than `38;5;N`.
//! - **Synchronized output**: a frame that changes anything leaves in one
//!   write, inside `CSI ? 2026 h` … `l`; a frame that changes nothing
//!   writes nothing at all.
//!
//! The writer is generic, so tests count the bytes and replay them into a
//! terminal emulator to check that the screen comes out right.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::{Color, Modifier};
use std::hash::{Hash, Hasher};
use std::io::{self, Write};

/// Synchronized output: the terminal holds the screen between these.
pub const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
pub const END_SYNC: &[u8] = b"\x1b[?2026l";

/// What the pen writes with: colours and modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    ul: Color,
    modifier: Modifier,
}

impl Pen {
    const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        ul: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            ul: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// The SGR parameters of each modifier, and the parameter that ends it.
const MODIFIERS: [(Modifier, u8, u8); 9] = [
    (Modifier::BOLD, 1, 22),
    (Modifier::DIM, 2, 22),
    (Modifier::ITALIC, 3, 23),
    (Modifier::UNDERLINED, 4, 24),
    (Modifier::SLOW_BLINK, 5, 25),
    (Modifier::RAPID_BLINK, 6, 25),
    (Modifier::REVERSED, 7, 27),
    (Modifier::HIDDEN, 8, 28),
    (Modifier::CROSSED_OUT, 9, 29),
];

/// Appends the SGR parameters of a colour: `base` is 30 for the
/// foreground, 40 for the background, and 50 for the underline (which has
/// only the extended form).
fn colour_params(out: &mut Vec<String>, c: Color, base: u8) {
    let basic = |i: u8| {
        if base == 50 {
            format!("58;5;{i}")
        } else if i < 8 {
            (base + i).to_string()
        } else {
            (base + 60 + i - 8).to_string()
        }
    };
    out.push(match c {
        Color::Reset => (base + 9).to_string(),
        Color::Black => basic(0),
        Color::Red => basic(1),
        Color::Green => basic(2),
        Color::Yellow => basic(3),
        Color::Blue => basic(4),
        Color::Magenta => basic(5),
        Color::Cyan => basic(6),
        Color::Gray => basic(7),
        Color::DarkGray => basic(8),
        Color::LightRed => basic(9),
        Color::LightGreen => basic(10),
        Color::LightYellow => basic(11),
        Color::LightBlue => basic(12),
        Color::LightMagenta => basic(13),
        Color::LightCyan => basic(14),
        Color::White => basic(15),
        Color::Indexed(i) if i < 16 => basic(i),
        Color::Indexed(i) => format!("{};5;{i}", base + 8),
        Color::Rgb(r, g, b) => format!("{};2;{r};{g};{b}", base + 8),
    });
}

/// The parameters that set `to` from the default pen.
fn full_params(to: Pen) -> Vec<String> {
    let mut p = vec!["0".to_string()];
    for (m, on, _) in MODIFIERS {
        if to.modifier.contains(m) {
            p.push(on.to_string());
        }
    }
    if to.fg != Color::Reset {
        colour_params(&mut p, to.fg, 30);
    }
    if to.bg != Color::Reset {
        colour_params(&mut p, to.bg, 40);
    }
    if to.ul != Color::Reset {
        colour_params(&mut p, to.ul, 50);
    }
    p
}

/// The parameters that change `from` into `to`, saying only what changed.
fn delta_params(from: Pen, to: Pen) -> Vec<String> {
    let mut p = Vec::new();
    let removed = from.modifier - to.modifier;
    let mut ended = Modifier::empty();
    for (m, _, off) in MODIFIERS {
        if removed.contains(m) && !ended.contains(m) {
            p.push(off.to_string());
            // One parameter ends both bold and dim, and both blinks.
            for (m2, _, off2) in MODIFIERS {
                if off2 == off {
                    ended |= m2;
                }
            }
        }
    }
    // What an ending parameter took away that `to` still has comes back.
    let wanted = (to.modifier - from.modifier) | (ended & to.modifier);
    for (m, on, _) in MODIFIERS {
        if wanted.contains(m) {
            p.push(on.to_string());
        }
    }
    if from.fg != to.fg {
        colour_params(&mut p, to.fg, 30);
    }
    if from.bg != to.bg {
        colour_params(&mut p, to.bg, 40);
    }
    if from.ul != to.ul {
        colour_params(&mut p, to.ul, 50);
    }
    p
}

/// The shortest SGR sequence from `from` to `to`; empty when they agree.
fn sgr(from: Pen, to: Pen) -> Vec<u8> {
    if from == to {
        return Vec::new();
    }
    let seq = |p: Vec<String>| format!("\x1b[{}m", p.join(";")).into_bytes();
    if to == Pen::DEFAULT {
        return b"\x1b[m".to_vec();
    }
    let delta = seq(delta_params(from, to));
    let full = seq(full_params(to));
    if full.len() < delta.len() {
        full
    } else {
        delta
    }
}

/// A cell the cursor moves over predictably: one column, and no emoji
/// sequence whose width terminals disagree on.
fn plain_width(symbol: &str) -> bool {
    symbol.len() == 1
        || (unicode_width::UnicodeWidthStr::width(symbol) == 1
            && !symbol.contains(['\u{FE0F}', '\u{200D}']))
}

/// A cell that an erase leaves as it is.
fn blank(cell: &Cell) -> bool {
    cell.symbol() == " " && Pen::of(cell) == Pen::DEFAULT
}

/// One frame's bytes, with where the cursor is and what the pen holds.
struct Writer {
    bytes: Vec<u8>,
    /// `None` when unknown (after a wide or ambiguous cell, or a write in
    /// the last column).
    cursor: Option<(u16, u16)>,
    pen: Pen,
    width: u16,
}

impl Writer {
    fn pen(&mut self, to: Pen) {
        let s = sgr(self.pen, to);
        self.bytes.extend_from_slice(&s);
        self.pen = to;
    }

    fn cup(x: u16, y: u16) -> Vec<u8> {
        match (x, y) {
            (0, 0) => b"\x1b[H".to_vec(),
            (0, y) => format!("\x1b[{}H", y + 1).into_bytes(),
            (x, y) => format!("\x1b[{};{}H", y + 1, x + 1).into_bytes(),
        }
    }

    fn horizontal(from: u16, to: u16) -> Vec<u8> {
        match to.cmp(&from) {
            std::cmp::Ordering::Equal => Vec::new(),
            std::cmp::Ordering::Greater if to - from == 1 => b"\x1b[C".to_vec(),
            std::cmp::Ordering::Greater => format!("\x1b[{}C", to - from).into_bytes(),
            std::cmp::Ordering::Less if to == 0 => b"\r".to_vec(),
            std::cmp::Ordering::Less => {
                let back = format!("\x1b[{}D", from - to).into_bytes();
                let cr = [&b"\r"[..], &Self::horizontal(0, to)].concat();
                if cr.len() < back.len() { cr } else { back }
            }
        }
    }

    /// Moves the cursor the shortest way.
    fn goto(&mut self, x: u16, y: u16) {
        let best = match self.cursor {
            Some(c) if c == (x, y) => return,
            Some((cx, cy)) if cy == y => {
                let rel = Self::horizontal(cx, x);
                let abs = Self::cup(x, y);
                if rel.len() <= abs.len() { rel } else { abs }
            }
            Some((cx, cy)) if y > cy => {
                let down = y - cy;
                let mut rel = if x == 0 || down <= 2 {
                    let mut v = b"\r".to_vec();
                    v.extend(std::iter::repeat_n(b'\n', down as usize));
                    v.extend(Self::horizontal(0, x));
                    v
                } else {
                    let mut v = format!("\x1b[{down}B").into_bytes();
                    v.extend(Self::horizontal(cx, x));
                    v
                };
                let abs = Self::cup(x, y);
                if abs.len() < rel.len() {
                    rel = abs;
                }
                rel
            }
            _ => Self::cup(x, y),
        };
        self.bytes.extend_from_slice(&best);
        self.cursor = Some((x, y));
    }

    fn put(&mut self, x: u16, y: u16, cell: &Cell) {
        self.goto(x, y);
        self.pen(Pen::of(cell));
        let symbol = cell.symbol();
        self.bytes.extend_from_slice(symbol.as_bytes());
        self.cursor = if plain_width(symbol) && x + 1 < self.width {
            Some((x + 1, y))
        } else {
            None
        };
    }

    /// The bytes of writing `cells` (same row, from the cursor on) compared
    /// with a cursor move over them.
    fn fill_cost(&self, cells: &[Cell]) -> Option<usize> {
        let mut pen = self.pen;
        let mut n = 0;
        for c in cells {
            if !plain_width(c.symbol()) || c.symbol().len() > 3 {
                return None;
            }
            n += sgr(pen, Pen::of(c)).len() + c.symbol().len();
            pen = Pen::of(c);
        }
        Some(n)
    }
}

fn cell_width(symbol: &str) -> u16 {
    unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16
}

/// ratatui's diff from `shown` to `model`, plus the columns of each wide
/// character that a new character overwrites only in part: terminals
/// differ in what they leave there (some, a blank in the new pen), so
/// they are drawn again.
fn with_wide_tails<'a>(shown: &Buffer, model: &'a Buffer) -> Vec<(u16, u16, &'a Cell)> {
    let mut diff = shown.diff(model);
    let width = model.area.width;
    let mut tails = Vec::new();
    for &(x, y, cell) in &diff {
        let end = (x + cell_width(cell.symbol())).min(width);
        // The end of the last shown character this one overwrites.
        let covered = (x..end)
            .map(|s| s + cell_width(shown[(s, y)].symbol()))
            .max()
            .unwrap_or(end)
            .min(width);
        let mut k = end;
        while k < covered {
            let c = &model[(k, y)];
            tails.push((k, y, c));
            k += cell_width(c.symbol());
        }
    }
    if !tails.is_empty() {
        diff.extend(tails);
        diff.sort_by_key(|&(x, y, _)| (y, x));
        diff.dedup_by_key(|&mut (x, y, _)| (x, y));
    }
    diff
}

/// A row's hash over some columns.
fn row_hash(buf: &Buffer, y: u16, cols: (u16, u16)) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for x in cols.0..cols.1 {
        buf[(x, y)].hash(&mut h);
    }
    h.finish()
}

/// The cells worth drawing in a row (not blank).
fn row_weight(buf: &Buffer, y: u16, cols: (u16, u16)) -> usize {
    (cols.0..cols.1).filter(|&x| !blank(&buf[(x, y)])).count()
}

/// A scroll to make before drawing: the rows `top..bottom` over the columns
/// `left..right` move up by `by` (down when negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scroll {
    top: u16,
    bottom: u16,
    left: u16,
    right: u16,
    by: i32,
}

/// The best scroll of `region`, if one saves more than it costs.
fn best_scroll(shown: &Buffer, model: &Buffer, region: Rect, full_width: bool) -> Option<Scroll> {
    let cols = if full_width {
        (0, shown.area.width)
    } else {
        (region.x, region.right())
    };
    let (top, bottom) = (region.y, region.bottom());
    let h = bottom.saturating_sub(top) as usize;
    if h < 2 {
        return None;
    }
    let hs: Vec<u64> = (top..bottom).map(|y| row_hash(shown, y, cols)).collect();
    let hm: Vec<u64> = (top..bottom).map(|y| row_hash(model, y, cols)).collect();
    let wm: Vec<usize> = (top..bottom).map(|y| row_weight(model, y, cols)).collect();
    let base: usize = (0..h).filter(|&r| hm[r] == hs[r]).map(|r| wm[r]).sum();
    let mut best: Option<(usize, i32)> = None;
    for n in 1..h {
        let up: usize = (0..h - n)
            .filter(|&r| hm[r] == hs[r + n])
            .map(|r| wm[r])
            .sum();
        let down: usize = (n..h).filter(|&r| hm[r] == hs[r - n]).map(|r| wm[r]).sum();
        for (score, by) in [(up, n as i32), (down, -(n as i32))] {
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, by));
            }
        }
    }
    let (score, by) = best?;
    // A scroll costs about twenty bytes and a byte per line.
    let cost = 24 + by.unsigned_abs() as usize * 2;
    (score > base + cost).then_some(Scroll {
        top,
        bottom,
        left: cols.0,
        right: cols.1,
        by,
    })
}

/// Moves `shown` as the terminal moves the screen for `s`: the rows that
/// leave are gone, the rows that come in are blank.
fn shift(shown: &mut Buffer, s: Scroll) {
    let n = s.by.unsigned_abs() as u16;
    let rows: Vec<u16> = if s.by > 0 {
        (s.top..s.bottom).collect()
    } else {
        (s.top..s.bottom).rev().collect()
    };
    for y in rows {
        let from = if s.by > 0 {
            y.checked_add(n).filter(|&f| f < s.bottom)
        } else {
            y.checked_sub(n).filter(|&f| f >= s.top)
        };
        for x in s.left..s.right {
            shown[(x, y)] = match from {
                Some(f) => shown[(x, f)].clone(),
                None => Cell::EMPTY,
            };
        }
    }
}

/// The terminal output layer. See the module documentation.
pub struct ScreenBackend<W: Write> {
    out: W,
    /// The frame as ratatui last drew it.
    model: Buffer,
    /// What the terminal shows.
    shown: Buffer,
    /// The terminal's size, when known better than by asking it (tests).
    fixed_size: Option<Size>,
    cursor_visible: Option<bool>,
    want_cursor_visible: bool,
    want_cursor: Position,
    /// Where the terminal's cursor is, as far as we know.
    cursor: Option<(u16, u16)>,
    /// Regions that may have scrolled since the last frame.
    hints: Vec<Rect>,
    /// The terminal has left and right margins (DECSLRM).
    margins: bool,
}

impl<W: Write> ScreenBackend<W> {
    pub fn new(out: W) -> ScreenBackend<W> {
        ScreenBackend {
            out,
            model: Buffer::empty(Rect::default()),
            shown: Buffer::empty(Rect::default()),
            fixed_size: None,
            cursor_visible: None,
            want_cursor_visible: false,
            want_cursor: Position::ORIGIN,
            cursor: None,
            hints: Vec::new(),
            margins: false,
        }
    }

    /// A backend of a set size that never asks the terminal (for tests).
    pub fn with_size(out: W, width: u16, height: u16) -> ScreenBackend<W> {
        let mut b = ScreenBackend::new(out);
        b.fixed_size = Some(Size::new(width, height));
        b
    }

    pub fn writer(&self) -> &W {
        &self.out
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Says that the terminal has left and right margins (DECSLRM), so
    /// that a pane narrower than the screen can scroll too.
    pub fn set_margins(&mut self, on: bool) {
        self.margins = on;
    }

    /// Says that the contents of `area` may have moved up or down since
    /// the last frame. Good for the next frame only.
    pub fn hint_scroll(&mut self, area: Rect) {
        self.hints.push(area);
    }

    /// Forgets what the terminal of size `area` shows (part of it was
    /// erased): the next frame draws everything.
    fn forget(&mut self, area: Rect) {
        self.shown = Buffer::filled(area, unknown_cell());
        self.cursor = None;
        self.cursor_visible = None;
    }

    /// The scrolls that this frame should start with.
    fn scrolls(&mut self) -> Vec<Scroll> {
        let hints = std::mem::take(&mut self.hints);
        let area = self.shown.area;
        let mut out = Vec::new();
        for hint in hints {
            let r = hint.intersection(area);
            if r.is_empty() {
                continue;
            }
            // Full rows move only when nothing else shares them.
            let full = best_scroll(&self.shown, &self.model, r, true);
            let s = full.or_else(|| {
                (self.margins && r.width < area.width)
                    .then(|| best_scroll(&self.shown, &self.model, r, false))
                    .flatten()
            });
            if let Some(s) = s {
                shift(&mut self.shown, s);
                out.push(s);
            }
        }
        out
    }

    fn scroll_bytes(s: Scroll, full_width: bool, bytes: &mut Vec<u8>) {
        let n = s.by.unsigned_abs() as usize;
        if !full_width {
            bytes
                .extend_from_slice(format!("\x1b[?69h\x1b[{};{}s", s.left + 1, s.right).as_bytes());
        }
        bytes.extend_from_slice(format!("\x1b[{};{}r", s.top + 1, s.bottom).as_bytes());
        if s.by > 0 {
            // Line feeds at the bottom margin scroll the region up.
            bytes.extend_from_slice(&Writer::cup(s.left, s.bottom - 1));
            bytes.extend(std::iter::repeat_n(b'\n', n));
        } else {
            // Reverse indexes at the top margin scroll it down.
            bytes.extend_from_slice(&Writer::cup(s.left, s.top));
            for _ in 0..n {
                bytes.extend_from_slice(b"\x1bM");
            }
        }
        if !full_width {
            bytes.extend_from_slice(b"\x1b[s\x1b[?69l");
        }
        bytes.extend_from_slice(b"\x1b[r");
    }

    /// The bytes that turn what is shown into the frame.
    fn frame_bytes(&mut self) -> Vec<u8> {
        let width = self.shown.area.width;
        let mut w = Writer {
            bytes: Vec::new(),
            cursor: self.cursor,
            pen: Pen::DEFAULT,
            width,
        };
        for s in self.scrolls() {
            let full = s.left == 0 && s.right == width;
            Self::scroll_bytes(s, full, &mut w.bytes);
            // Setting the margins homes the cursor.
            w.cursor = Some((0, 0));
        }
        let diff = with_wide_tails(&self.shown, &self.model);
        let mut i = 0;
        while i < diff.len() {
            let y = diff[i].1;
            let mut end = i;
            while end < diff.len() && diff[end].1 == y {
                end += 1;
            }
            Self::row(&mut w, &self.model, &diff[i..end]);
            i = end;
        }
        // The cursor last, then the pen back to the default, so that a
        // scroll or an erase in the next frame clears with it.
        if self.want_cursor_visible {
            w.goto(self.want_cursor.x, self.want_cursor.y);
        }
        w.pen(Pen::DEFAULT);
        if self.cursor_visible != Some(self.want_cursor_visible) {
            w.bytes.extend_from_slice(if self.want_cursor_visible {
                b"\x1b[?25h"
            } else {
                b"\x1b[?25l"
            });
            self.cursor_visible = Some(self.want_cursor_visible);
        }
        self.cursor = w.cursor;
        self.shown.clone_from(&self.model);
        w.bytes
    }

    /// Draws the changed cells of one row.
    fn row(w: &mut Writer, model: &Buffer, cells: &[(u16, u16, &Cell)]) {
        let y = cells[0].1;
        let width = model.area.width;
        // From this column on the row is blank: one erase clears it.
        let mut blank_from = width;
        while blank_from > 0 && blank(&model[(blank_from - 1, y)]) {
            blank_from -= 1;
        }
        let erasable = cells.iter().filter(|c| c.0 >= blank_from).count();
        let erase = erasable > 3;
        for &(x, _, cell) in cells {
            if erase && x >= blank_from {
                break;
            }
            // A few unchanged cells cost less to rewrite than to skip.
            if let Some((cx, cy)) = w.cursor
                && cy == y
                && x > cx
                && x - cx <= 4
            {
                let gap: Vec<Cell> = (cx..x).map(|gx| model[(gx, y)].clone()).collect();
                let skip = Writer::horizontal(cx, x).len();
                if let Some(fill) = w.fill_cost(&gap)
                    && fill <= skip
                {
                    for (gx, c) in (cx..x).zip(&gap) {
                        w.put(gx, y, c);
                    }
                }
            }
            w.put(x, y, cell);
        }
        if erase && let Some(&(x, _, _)) = cells.iter().find(|c| c.0 >= blank_from) {
            w.goto(x, y);
            w.pen(Pen::DEFAULT);
            w.bytes.extend_from_slice(b"\x1b[K");
        }
    }
}

/// A cell that matches nothing the views draw (they never draw a
/// noncharacter), so that it is always redrawn.
fn unknown_cell() -> Cell {
    let mut c = Cell::EMPTY;
    c.set_symbol("\u{FFFF}");
    c
}

impl<W: Write> Backend for ScreenBackend<W> {
    type Error = io::Error;

    /// Ignores ratatui's diff: [`ScreenBackend::present`] gets the whole
    /// frame.
    fn draw<'a, I>(&mut self, _content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.want_cursor_visible = false;
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.want_cursor_visible = true;
        Ok(())
    }

    /// Never asks the terminal: the input thread would swallow its answer.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.want_cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.want_cursor = position.into();
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let size = Backend::size(self)?;
        let area = Rect::new(0, 0, size.width, size.height);
        match clear_type {
            ClearType::All => {
                let bytes = b"\x1b[m\x1b[H\x1b[2J";
                self.out.write_all(bytes)?;
                self.shown = Buffer::empty(area);
                self.cursor = Some((0, 0));
                self.cursor_visible = None;
            }
            other => {
                let bytes: &[u8] = match other {
                    ClearType::AfterCursor => b"\x1b[J",
                    ClearType::BeforeCursor => b"\x1b[1J",
                    ClearType::CurrentLine => b"\x1b[2K",
                    ClearType::UntilNewLine => b"\x1b[K",
                    ClearType::All => b"",
                };
                self.out.write_all(bytes)?;
                self.forget(area);
            }
        }
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        match self.fixed_size {
            Some(s) => Ok(s),
            None => {
                let (w, h) = ratatui::crossterm::terminal::size()?;
                Ok(Size::new(w, h))
            }
        }
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = Backend::size(self)?;
        Ok(WindowSize {
            columns_rows: size,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// Draws a frame with `render` and writes what changed.
pub fn draw<W: Write>(
    terminal: &mut ratatui::Terminal<ScreenBackend<W>>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<()> {
    let frame = terminal.draw(render)?.buffer.clone();
    terminal.backend_mut().present(frame)
}

impl<W: Write> ScreenBackend<W> {
    /// Writes what turns the screen into `frame`, in one write.
    pub fn present(&mut self, frame: Buffer) -> io::Result<()> {
        let area = frame.area;
        self.model = frame;
        if self.shown.area != area {
            self.shown = Buffer::filled(area, unknown_cell());
        }
        let bytes = self.frame_bytes();
        if bytes.is_empty() {
            return self.out.flush();
        }
        let mut frame = Vec::with_capacity(bytes.len() + 16);
        frame.extend_from_slice(BEGIN_SYNC);
        frame.extend_from_slice(&bytes);
        frame.extend_from_slice(END_SYNC);
        self.out.write_all(&frame)?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::Style;

    fn vt_colour(c: Color) -> vt100::Color {
        let named = [
            Color::Black,
            Color::Red,
            Color::Green,
            Color::Yellow,
            Color::Blue,
            Color::Magenta,
            Color::Cyan,
            Color::Gray,
            Color::DarkGray,
            Color::LightRed,
            Color::LightGreen,
            Color::LightYellow,
            Color::LightBlue,
            Color::LightMagenta,
            Color::LightCyan,
            Color::White,
        ];
        match c {
            Color::Reset => vt100::Color::Default,
            Color::Indexed(i) => vt100::Color::Idx(i),
            Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
            c => vt100::Color::Idx(named.iter().position(|&n| n == c).unwrap_or(0) as u8),
        }
    }

    /// A backend, the frame ratatui last drew, and a terminal emulator fed
    /// with everything the backend wrote.
    struct Rig {
        backend: ScreenBackend<Vec<u8>>,
        prev: Buffer,
        vt: vt100::Parser,
    }

    impl Rig {
        fn new(w: u16, h: u16) -> Rig {
            let mut backend = ScreenBackend::with_size(Vec::new(), w, h);
            // As ratatui does on its first frame.
            Backend::clear(&mut backend).unwrap_or_else(|e| panic!("{e}"));
            let mut vt = vt100::Parser::new(h, w, 0);
            vt.process(backend.writer());
            backend.writer_mut().clear();
            Rig {
                backend,
                prev: Buffer::empty(Rect::new(0, 0, w, h)),
                vt,
            }
        }

        /// Draws `next` as ratatui would and returns the bytes written,
        /// after checking that the emulated screen shows `next`.
        fn frame(&mut self, next: &Buffer, hints: &[Rect]) -> usize {
            for &h in hints {
                self.backend.hint_scroll(h);
            }
            self.backend
                .present(next.clone())
                .unwrap_or_else(|e| panic!("{e}"));
            let bytes = std::mem::take(self.backend.writer_mut());
            self.vt.process(&bytes);
            self.prev = next.clone();
            self.check(next);
            bytes.len()
        }

        fn check(&self, buf: &Buffer) {
            let screen = self.vt.screen();
            for y in 0..buf.area.height {
                let mut x = 0;
                while x < buf.area.width {
                    let want = &buf[(x, y)];
                    let got = screen
                        .cell(y, x)
                        .unwrap_or_else(|| panic!("no cell {x},{y}"));
                    let text = if got.contents().is_empty() {
                        " ".to_string()
                    } else {
                        got.contents().to_string()
                    };
                    assert_eq!(text, want.symbol(), "text at {x},{y}");
                    assert_eq!(got.bgcolor(), vt_colour(want.bg), "bg at {x},{y}");
                    let m = want.modifier;
                    // A blank shows no foreground, bold or italics.
                    if want.symbol() != " " {
                        assert_eq!(got.fgcolor(), vt_colour(want.fg), "fg at {x},{y}");
                        // Bold and dim are one setting (intensity) to many
                        // terminals, the emulator among them.
                        if !m.contains(Modifier::DIM) {
                            assert_eq!(got.bold(), m.contains(Modifier::BOLD), "bold at {x},{y}");
                        }
                        assert_eq!(got.italic(), m.contains(Modifier::ITALIC), "italic {x},{y}");
                    }
                    assert_eq!(
                        got.underline(),
                        m.contains(Modifier::UNDERLINED),
                        "underline at {x},{y}"
                    );
                    assert_eq!(
                        got.inverse(),
                        m.contains(Modifier::REVERSED),
                        "inverse at {x},{y}"
                    );
                    x += unicode_width::UnicodeWidthStr::width(want.symbol()).max(1) as u16;
                }
            }
        }
    }

    fn styles() -> [Style; 6] {
        [
            Style::default(),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::default()
                .fg(Color::Indexed(39))
                .bg(Color::Indexed(236)),
            Style::default()
                .fg(Color::Rgb(200, 180, 20))
                .add_modifier(Modifier::UNDERLINED | Modifier::ITALIC),
            Style::default().add_modifier(Modifier::REVERSED),
            Style::default()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::DIM),
        ]
    }

    /// A bordered pane of text lines, as the reader draws its article.
    fn page(w: u16, h: u16, lines: &[(String, usize)], top: usize) -> Buffer {
        let mut b = Buffer::empty(Rect::new(0, 0, w, h));
        for y in 0..h - 1 {
            b.set_string(0, y, "│", Style::default().fg(Color::DarkGray));
            b.set_string(w - 1, y, "│", Style::default().fg(Color::DarkGray));
            if let Some((text, style)) = lines.get(top + y as usize) {
                b.set_stringn(2, y, text, usize::from(w - 4), styles()[*style]);
            }
        }
        b.set_string(
            0,
            h - 1,
            format!("line {top}"),
            Style::default().fg(Color::Yellow),
        );
        b
    }

    fn prose(n: usize) -> Vec<(String, usize)> {
        let words = [
            "the", "border", "Pakistan", "ISKP", "attack", "talks", "日本", "—",
        ];
        (0..n)
            .map(|i| {
                let text: Vec<&str> = (0..(i * 7) % 23 + 3)
                    .map(|j| words[(i + j * 3) % 8])
                    .collect();
                (text.join(" "), i % 6)
            })
            .collect()
    }

    #[test]
    fn a_frame_that_changes_nothing_writes_nothing() {
        let mut rig = Rig::new(80, 24);
        let lines = prose(100);
        let first = page(80, 24, &lines, 0);
        assert!(rig.frame(&first, &[]) > 0);
        assert_eq!(rig.frame(&first, &[Rect::new(0, 0, 80, 23)]), 0);
    }

    #[test]
    fn a_frame_is_one_synchronized_update() {
        let mut rig = Rig::new(40, 10);
        let mut b = Buffer::empty(Rect::new(0, 0, 40, 10));
        b.set_string(3, 3, "hello", Style::default().fg(Color::Green));
        rig.backend.present(b).expect("present");
        let out = rig.backend.writer();
        assert!(out.starts_with(BEGIN_SYNC) && out.ends_with(END_SYNC));
        // Basic colours in their basic form, and the pen back to default.
        let text = String::from_utf8_lossy(out);
        assert!(text.contains("\x1b[32mhello\x1b[m"), "{text:?}");
    }

    #[test]
    fn a_full_width_scroll_scrolls_and_draws_only_the_new_line() {
        let (w, h) = (200, 60);
        let mut rig = Rig::new(w, h);
        let lines = prose(300);
        let region = Rect::new(0, 0, w, h - 1);
        rig.frame(&page(w, h, &lines, 0), &[region]);
        let down = rig.frame(&page(w, h, &lines, 1), &[region]);
        assert!(down < 500, "one line down wrote {down} bytes");
        let up = rig.frame(&page(w, h, &lines, 0), &[region]);
        assert!(up < 500, "one line up wrote {up} bytes");
        let three = rig.frame(&page(w, h, &lines, 3), &[region]);
        assert!(three < 1200, "three lines down wrote {three} bytes");
        // Without the hint, the same change is drawn in full.
        let plain = rig.frame(&page(w, h, &lines, 4), &[]);
        assert!(plain > 2000, "{plain}");
    }

    #[test]
    fn a_pane_that_does_not_span_the_width_scrolls_only_with_margins() {
        let (w, h) = (120, 30);
        let lines = prose(200);
        // Another pane beside the scrolling one that keeps still.
        let framed = |top: usize| {
            let mut b = Buffer::empty(Rect::new(0, 0, w, h));
            let inner = page(80, h, &lines, top);
            for y in 0..h {
                for x in 0..80 {
                    b[(x + 40, y)] = inner[(x, y)].clone();
                }
                b.set_string(0, y, format!("list row {y}"), Style::default());
            }
            b
        };
        let pane = Rect::new(40, 0, 80, h - 1);
        let mut plain = Rig::new(w, h);
        plain.frame(&framed(0), &[pane]);
        let without = plain.frame(&framed(1), &[pane]);
        let mut margins = Rig::new(w, h);
        margins.backend.set_margins(true);
        margins.frame(&framed(0), &[pane]);
        margins.backend.hint_scroll(pane);
        margins.backend.present(framed(1)).expect("present");
        let out = String::from_utf8_lossy(margins.backend.writer()).to_string();
        assert!(
            out.contains("\x1b[?69h\x1b[41;120s\x1b[1;29r"),
            "margins and region set: {out:?}"
        );
        assert!(out.contains("\x1b[s\x1b[?69l\x1b[r"), "and reset: {out:?}");
        assert!(out.len() * 3 < without, "{} vs {without}", out.len());
    }

    #[test]
    fn sgr_says_only_what_changed() {
        let red_bold = Pen {
            fg: Color::Red,
            modifier: Modifier::BOLD,
            ..Pen::DEFAULT
        };
        let red = Pen {
            fg: Color::Red,
            ..Pen::DEFAULT
        };
        let s = |v: Vec<u8>| String::from_utf8(v).unwrap_or_default();
        assert_eq!(s(sgr(Pen::DEFAULT, red_bold)), "\x1b[1;31m");
        assert_eq!(s(sgr(red_bold, red)), "\x1b[22m");
        assert_eq!(s(sgr(red, Pen::DEFAULT)), "\x1b[m");
        let dim_bold = Pen {
            modifier: Modifier::BOLD | Modifier::DIM,
            ..red
        };
        // 22 ends both; bold comes back.
        assert_eq!(s(sgr(dim_bold, red_bold)), "\x1b[22;1m");
        let idx = Pen {
            fg: Color::Indexed(12),
            bg: Color::Indexed(200),
            ..Pen::DEFAULT
        };
        assert_eq!(s(sgr(Pen::DEFAULT, idx)), "\x1b[94;48;5;200m");
        let rgb = Pen {
            fg: Color::Rgb(1, 2, 3),
            ..Pen::DEFAULT
        };
        assert_eq!(s(sgr(Pen::DEFAULT, rgb)), "\x1b[38;2;1;2;3m");
    }

    #[test]
    fn a_shorter_line_is_erased_not_overwritten_with_blanks() {
        let mut rig = Rig::new(100, 5);
        let mut long = Buffer::empty(Rect::new(0, 0, 100, 5));
        long.set_string(0, 2, "x".repeat(90), Style::default());
        rig.frame(&long, &[]);
        let mut short = Buffer::empty(Rect::new(0, 0, 100, 5));
        short.set_string(0, 2, "x".repeat(10), Style::default());
        let n = rig.frame(&short, &[]);
        assert!(n < 30, "{n} bytes");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the frames, the terminal ends up showing the last one.
        #[test]
        fn the_terminal_shows_every_frame(
            tops in proptest::collection::vec(0usize..40, 1..12),
            edits in proptest::collection::vec((0u16..60, 0u16..20, 0usize..6, "[a-z日 ]{0,12}"), 0..30),
        ) {
            // (Left and right margins are not tested here: the emulator
            // has none.)
            let (w, h) = (60, 20);
            let lines = prose(80);
            let mut rig = Rig::new(w, h);
            for (i, top) in tops.iter().enumerate() {
                let mut b = page(w, h, &lines, *top);
                for (x, y, style, text) in edits.iter().skip(i).step_by(3) {
                    b.set_stringn(*x, *y, text, usize::from(w - *x), styles()[*style]);
                }
                rig.frame(&b, &[Rect::new(1, 0, w - 2, h - 1), Rect::new(0, 0, w, h - 1)]);
            }
        }
    }
}
