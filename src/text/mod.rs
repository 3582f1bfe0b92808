//! Text layout helpers: graphemes, display width, wrapping that keeps byte
//! offsets, and sanitising of control characters.
//!
//! A document's text is never rewritten: every function here works on byte
//! ranges of the original text and decides, one grapheme at a time, what is
//! shown for it ([`glyph`]) and how wide that is. Control characters and
//! escape sequences are mapped to visible symbols so that a document can
//! never drive the terminal.

pub mod markdown;
pub mod natural;
pub mod safe;
pub mod segment;

pub use markdown::{markup_ranges, markup_ranges_from, strip_markup};
pub use natural::natural_cmp;
pub use safe::{control_symbol, sanitize, sanitize_lines};
use std::borrow::Cow;
use std::ops::Range;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Tab stops are this many columns apart.
pub const TAB_WIDTH: usize = 4;

/// How one grapheme is shown: the symbol to write and its width in cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph<'a> {
    pub symbol: Cow<'a, str>,
    /// Display width in terminal cells. Zero means "draw nothing".
    pub width: usize,
}

/// True for combining marks that need a base character to be seen.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05bd}'
        | '\u{0610}'..='\u{061a}'
        | '\u{064b}'..='\u{065f}'
        | '\u{0900}'..='\u{0903}'
        | '\u{093a}'..='\u{094f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{3099}'..='\u{309a}'
        | '\u{fe20}'..='\u{fe2f}')
}

/// The display width of a symbol that contains no control characters, as
/// terminals (and ratatui's buffer) count it.
pub fn symbol_width(s: &str) -> usize {
    if s.len() == 1 {
        return 1;
    }
    // Halfwidth (han)dakuten are "extending" but terminals give them a cell.
    s.width()
        + s.chars()
            .filter(|c| matches!(c, '\u{ff9e}' | '\u{ff9f}'))
            .count()
}

/// How grapheme `g` is shown when it starts at column `col` of a line.
///
/// Tabs expand to the next tab stop, control characters become visible
/// symbols, a combining mark with nothing to combine with is shown on a
/// dotted circle, and invisible format characters (zero-width space, bidi
/// controls) get width zero so that nothing is drawn for them.
pub fn glyph(g: &str, col: usize) -> Glyph<'_> {
    if g == "\t" {
        let w = TAB_WIDTH - col % TAB_WIDTH;
        return Glyph {
            symbol: Cow::Owned(" ".repeat(w)),
            width: w,
        };
    }
    // Bidi controls are not shown as symbols here: they have no width and
    // the article draws nothing for them (see `invisible_format_characters`).
    if g.chars().any(char::is_control) {
        let s: String = g.chars().map(|c| control_symbol(c).unwrap_or(c)).collect();
        let width = symbol_width(&s).max(1);
        return Glyph {
            symbol: Cow::Owned(s),
            width,
        };
    }
    let width = symbol_width(g);
    if width == 0 && g.chars().next().is_some_and(is_combining_mark) {
        return Glyph {
            symbol: Cow::Owned(format!("\u{25cc}{g}")),
            width: 1,
        };
    }
    Glyph {
        symbol: Cow::Borrowed(g),
        width,
    }
}

/// True for a grapheme that ends a paragraph.
fn is_newline(g: &str) -> bool {
    matches!(g, "\n" | "\r\n" | "\u{2028}" | "\u{2029}")
}

/// True for a grapheme after which a line may break.
fn is_break_space(g: &str) -> bool {
    matches!(
        g,
        " " | "\t" | "\u{3000}" | "\u{2002}" | "\u{2003}" | "\u{2009}"
    )
}

/// Cuts `text` into consecutive pieces of at most `max` bytes (a piece
/// holding one character longer than `max` excepted), each ending at a
/// paragraph break, a line break, a sentence's end or a space where there
/// is one. Stages that need working memory proportional to their input run
/// a piece at a time, so a single huge document costs no more than many
/// small ones.
pub fn pieces(text: &str, max: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let end = piece_end(text, at, max.max(1));
        let piece = at..end;
        at = end;
        Some(piece)
    })
}

/// Where a piece of `text` that starts at `at` and is at most `max` bytes
/// long should end: after a blank line in its second half, else after a
/// line break there, else after a sentence's end there, else after the last
/// space, else at a character boundary. Names cross none of the first three,
/// so only an endless run of words can cut one.
fn piece_end(text: &str, at: usize, max: usize) -> usize {
    if text.len() - at <= max {
        return text.len();
    }
    let mut limit = at + max;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[at..limit];
    let half = window.len() / 2;
    if let Some(i) = window.rfind("\n\n").filter(|&i| i >= half) {
        return at + i + 2;
    }
    if let Some(i) = window.rfind('\n').filter(|&i| i >= half) {
        return at + i + 1;
    }
    // One endless line: end a sentence, which no name crosses.
    if let Some(i) = window.rfind(". ").filter(|&i| i >= half) {
        return at + i + 2;
    }
    if let Some(i) = window.rfind(' ').filter(|&i| i > 0) {
        return at + i + 1;
    }
    limit.max(at + text[at..].chars().next().map_or(1, char::len_utf8))
}

/// A count with its noun, singular for one: `plural(1, "decision",
/// "decisions")` is "1 decision", `plural(2, …)` "2 decisions".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// True for a character shown as it is, one cell wide, that is a grapheme
/// of its own beside any other such one: printable ASCII, the Latin letters
/// and signs, and the common punctuation (dashes, quotes, bullets, the
/// ellipsis). Most titles are made of nothing else.
fn simple(c: char) -> bool {
    matches!(c,
        ' '..='~'
        | '\u{a0}'..='\u{ac}'
        | '\u{ae}'..='\u{24f}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205e}')
}

/// The width of a string of [`simple`] characters only (one cell each,
/// nothing to sanitise): `None` when it has another.
fn simple_width(s: &str) -> Option<usize> {
    if s.is_ascii() {
        return s
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b))
            .then_some(s.len());
    }
    let mut n = 0;
    for c in s.chars() {
        if !simple(c) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The display width of a one-line string, as [`sanitize`] would show it.
pub fn width(s: &str) -> usize {
    if let Some(n) = simple_width(s) {
        return n;
    }
    let s = sanitize(s);
    let mut col = 0;
    for g in s.graphemes(true) {
        col += glyph(g, col).width;
    }
    col
}

/// Cuts a one-line string to at most `max` cells, ending it with `…` when
/// something was cut. Never splits a grapheme or a wide character.
pub fn truncate(s: &str, max: usize) -> String {
    if let Some(n) = simple_width(s) {
        return match max {
            _ if n <= max => s.to_string(),
            0 => String::new(),
            _ => {
                let end = s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i);
                format!("{}…", &s[..end])
            }
        };
    }
    let s = sanitize(s);
    // One pass: what fits before the ellipsis, until it is clear whether
    // everything fits.
    let mut out = String::new();
    let (mut col, mut cut) = (0, false);
    for g in s.graphemes(true) {
        let gl = glyph(g, col);
        cut |= col + gl.width > max.saturating_sub(1);
        if !cut {
            out.push_str(&gl.symbol);
        }
        col += gl.width;
        if col > max {
            break;
        }
    }
    if col <= max {
        return s.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    out.push('…');
    out
}

/// Keeps the last `max` cells of a one-line string, starting it with `…`
/// when something was cut.
pub fn truncate_left(s: &str, max: usize) -> String {
    let s = sanitize(s);
    if width(&s) <= max {
        return s.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut col = 0;
    for g in s.graphemes(true).rev() {
        let w = glyph(g, 0).width;
        if col + w > max - 1 {
            break;
        }
        col += w;
        kept.push(g);
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}

/// Pads or truncates a one-line string to exactly `w` cells.
pub fn fit(s: &str, w: usize) -> String {
    let mut t = truncate(s, w);
    let tw = width(&t);
    t.extend(std::iter::repeat_n(' ', w.saturating_sub(tw)));
    t
}

/// The graphemes of `text[range]` laid out on one screen line starting at
/// column 0: `(byte offset, glyph, column)` for each.
pub fn layout_line(
    text: &str,
    range: Range<usize>,
) -> impl Iterator<Item = (usize, Glyph<'_>, usize)> {
    let start = range.start.min(text.len());
    let end = range.end.clamp(start, text.len());
    let slice = text.get(start..end).unwrap_or("");
    let mut col = 0;
    slice.grapheme_indices(true).map(move |(i, g)| {
        let gl = glyph(g, col);
        let at = col;
        col += gl.width;
        (start + i, gl, at)
    })
}

/// The byte offset shown at column `x` of the screen line `text[range]`
/// (the last grapheme when `x` is past the end).
pub fn byte_at_column(text: &str, range: Range<usize>, x: usize) -> usize {
    let mut last = range.start;
    for (i, gl, col) in layout_line(text, range.clone()) {
        if x < col + gl.width.max(1) {
            return i;
        }
        last = i;
    }
    last
}

/// Wraps `text` to lines of at most `width` cells and returns the byte range
/// of each screen line.
///
/// Paragraphs end at line breaks (which no range includes); an empty
/// paragraph is an empty line. Lines break after spaces where possible and
/// around wide (CJK) characters; a word longer than a line is split between
/// graphemes. Spaces at a break stay on the line they end, past the edge, so
/// ranges cover the whole text except the line breaks.
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut col = 0;
    // Width of the graphemes since the last break opportunity.
    let mut word_w = 0;
    let mut last_break: Option<usize> = None;
    for (i, g) in text.grapheme_indices(true) {
        if is_newline(g) {
            out.push(line_start..i);
            line_start = i + g.len();
            col = 0;
            word_w = 0;
            last_break = None;
            continue;
        }
        if is_break_space(g) {
            col += glyph(g, col).width;
            word_w = 0;
            last_break = Some(i + g.len());
            continue;
        }
        let w = glyph(g, col).width;
        let wide = w >= 2;
        if wide && col > 0 {
            // A break is allowed before a wide character.
            last_break = Some(i);
            word_w = 0;
        }
        if col + w > width && col > 0 {
            if let Some(b) = last_break.filter(|&b| b > line_start) {
                out.push(line_start..b);
                line_start = b;
                col = word_w;
            }
            if col + w > width && col > 0 {
                out.push(line_start..i);
                line_start = i;
                col = 0;
                word_w = 0;
            }
            last_break = None;
        }
        col += w;
        word_w += w;
        if wide {
            last_break = Some(i + g.len());
            word_w = 0;
        }
    }
    out.push(line_start..text.len());
    out
}

/// Finds every occurrence of `needle` in `hay`, ignoring case, and returns
/// their byte ranges in `hay` (non-overlapping, in order). Stops after `limit`.
pub fn find_all_ignore_case(hay: &str, needle: &str, limit: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if needle.is_empty() || limit == 0 {
        return out;
    }
    if needle.is_ascii() {
        let n = needle.as_bytes();
        let h = hay.as_bytes();
        let mut i = 0;
        while i + n.len() <= h.len() {
            if h[i..i + n.len()].eq_ignore_ascii_case(n) {
                out.push(i..i + n.len());
                if out.len() >= limit {
                    break;
                }
                i += n.len();
            } else {
                i += 1;
            }
        }
        return out;
    }
    // Fold both sides to lower case, remembering where each folded char came from.
    let folded_needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let mut folded: Vec<(char, usize, usize)> = Vec::with_capacity(hay.len());
    for (i, c) in hay.char_indices() {
        for l in c.to_lowercase() {
            folded.push((l, i, i + c.len_utf8()));
        }
    }
    let n = folded_needle.len();
    let mut i = 0;
    while i + n <= folded.len() {
        if folded[i..i + n]
            .iter()
            .zip(&folded_needle)
            .all(|((c, _, _), d)| c == d)
        {
            out.push(folded[i].1..folded[i + n - 1].2);
            if out.len() >= limit {
                break;
            }
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

/// Runs of white space (line breaks included) become one space, and the
/// ends are trimmed: the form a selection is named and linked by.
pub fn flatten(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, width: usize) -> Vec<&str> {
        wrap(text, width).into_iter().map(|r| &text[r]).collect()
    }

    fn line_width(text: &str, r: Range<usize>) -> usize {
        layout_line(text, r).map(|(_, g, _)| g.width).sum()
    }

    #[test]
    fn wraps_at_spaces_and_keeps_offsets() {
        let text = "Pakistan and US Unite Against ISKP";
        let got = lines(text, 16);
        assert_eq!(got, vec!["Pakistan and US ", "Unite Against ", "ISKP"]);
        // Ranges tile the text with no gaps.
        let ranges = wrap(text, 16);
        assert_eq!(ranges[0].start, 0);
        for w in ranges.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
    }

    #[test]
    fn paragraphs_and_empty_lines() {
        let text = "one\n\ntwo\r\nthree";
        assert_eq!(lines(text, 10), vec!["one", "", "two", "three"]);
    }

    #[test]
    fn long_words_split_between_graphemes() {
        assert_eq!(
            lines("ab verylongwordhere", 10),
            vec!["ab ", "verylongwo", "rdhere"]
        );
    }

    #[test]
    fn cjk_is_two_cells_and_breaks_anywhere() {
        let text = "日本語のテキストです";
        let ranges = wrap(text, 7);
        for r in &ranges {
            assert!(line_width(text, r.clone()) <= 7, "{:?}", &text[r.clone()]);
        }
        // 10 characters of width 2 at 3 per line.
        assert_eq!(ranges.len(), 4);
        assert_eq!(&text[ranges[0].clone()], "日本語");
        assert_eq!(width("日本語"), 6);
    }

    #[test]
    fn emoji_and_combining_marks_stay_whole() {
        // Family emoji (ZWJ sequence), a skin-tone modifier, and e + combining acute.
        let text = "a 👨\u{200d}👩\u{200d}👧 b 👍🏽 cafe\u{301} ok";
        for w in 3..12 {
            for r in wrap(text, w) {
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                let s = &text[r.clone()];
                // No line starts with a combining mark or a modifier.
                assert!(
                    !s.starts_with('\u{301}') && !s.starts_with('\u{1f3fd}'),
                    "{s:?}"
                );
                assert!(!s.starts_with('\u{200d}'), "{s:?}");
                assert!(
                    line_width(text, r.clone()) <= w || s.trim_end() != s,
                    "{s:?} at {w}"
                );
            }
        }
        assert_eq!(width("cafe\u{301}"), 4);
        assert_eq!(width("👍🏽"), 2);
    }

    #[test]
    fn lone_combining_mark_is_shown_on_a_dotted_circle() {
        let g = glyph("\u{301}", 0);
        assert_eq!(g.symbol, "\u{25cc}\u{301}");
        assert_eq!(g.width, 1);
    }

    #[test]
    fn control_characters_become_visible() {
        let text = "red \u{1b}[31mtext\u{7}\u{9b}2J\u{7f}";
        let shown: String = layout_line(text, 0..text.len())
            .map(|(_, g, _)| g.symbol.into_owned())
            .collect();
        assert_eq!(shown, "red ␛[31mtext␇�2J␡");
        assert!(!shown.chars().any(|c| c.is_control()));
        assert_eq!(sanitize("a\u{1b}b\nc\td"), "a␛b c d");
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn tabs_expand_to_tab_stops() {
        let text = "a\tb\tc";
        let cols: Vec<usize> = layout_line(text, 0..text.len())
            .map(|(_, _, c)| c)
            .collect();
        assert_eq!(cols, vec![0, 1, 4, 5, 8]);
    }

    #[test]
    fn invisible_format_characters_have_no_width() {
        assert_eq!(glyph("\u{200b}", 0).width, 0);
        assert_eq!(glyph("\u{202e}", 0).width, 0);
    }

    #[test]
    fn pieces_end_at_breaks_and_boundaries() {
        let t = "ab\n\ncd\nef gh";
        assert_eq!(piece_end(t, 0, 100), t.len());
        assert_eq!(piece_end(t, 0, 7), 7); // after the line break
        assert_eq!(piece_end("abcdef\n\nghij", 0, 10), 8); // after the blank line
        assert_eq!(piece_end("abcdef gh", 0, 8), 7); // after the space
        assert_eq!(piece_end("ab cd ef. gh ij kl", 0, 15), 10); // after the sentence
        assert_eq!(piece_end("ééééé", 0, 3), 2);
    }

    #[test]
    fn pieces_cover_the_text_in_order() {
        let text = "One para.\n\nTwo é lines\nand more words here ".repeat(50);
        for max in [1, 2, 3, 7, 64, 10_000] {
            let ps: Vec<_> = pieces(&text, max).collect();
            assert_eq!(ps.first().map(|p| p.start), Some(0));
            assert_eq!(ps.last().map(|p| p.end), Some(text.len()));
            for w in ps.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
            for p in &ps {
                assert!(text.is_char_boundary(p.start) && p.start < p.end);
                assert!(p.len() <= max.max(2), "{p:?} for {max}");
            }
        }
        assert_eq!(pieces("", 8).count(), 0);
    }

    #[test]
    fn truncate_takes_one_pass_and_cuts_as_before() {
        // What truncation was: the whole width first, then a second pass.
        fn two_passes(s: &str, max: usize) -> String {
            let s = sanitize(s);
            if width(&s) <= max {
                return s.into_owned();
            }
            if max == 0 {
                return String::new();
            }
            let mut out = String::new();
            let mut col = 0;
            for g in s.graphemes(true) {
                let gl = glyph(g, col);
                if col + gl.width > max - 1 {
                    break;
                }
                col += gl.width;
                out.push_str(&gl.symbol);
            }
            out.push('…');
            out
        }
        let samples = [
            "",
            "plain ASCII title",
            "Café “déjà vu” — naïve…",
            "Straße ‘quoted’ • – ‰ ‹x›",
            "mixed “simple” and 日本",
            "He said “no” — twice",
            "日本語テキスト and more",
            "tab\there\r\nand\u{1b}[31m escape",
            "\u{301}combining first, e\u{301} later",
            "zero\u{200b}width\u{200b}spaces",
            "👨‍👩‍👧 family 🇵🇰 flag",
        ];
        for s in samples {
            for max in 0..30 {
                assert_eq!(truncate(s, max), two_passes(s, max), "{s:?} {max}");
            }
        }
    }

    #[test]
    fn simple_characters_are_graphemes_of_their_own_one_cell_wide() {
        let all: Vec<char> = (0..=0x2060u32)
            .filter_map(char::from_u32)
            .filter(|&c| simple(c))
            .collect();
        assert!(all.len() > 590);
        for &c in &all {
            let one = c.to_string();
            assert_eq!(glyph(&one, 0).width, 1, "{c:?}");
            assert_eq!(glyph(&one, 0).symbol, one, "{c:?}");
            assert!(!safe::is_unsafe(c), "{c:?}");
        }
        // No two of them make one grapheme, in either order.
        for &a in &all {
            for &b in all.iter().step_by(7).chain([&' ', &'a', &'\u{2026}']) {
                let pair = format!("{a}{b}");
                assert_eq!(pair.graphemes(true).count(), 2, "{a:?}{b:?}");
                assert_eq!(pair.as_str().graphemes(true).rev().count(), 2, "{a:?}{b:?}");
            }
        }
        let s: String = all.iter().collect();
        assert_eq!(simple_width(&s), Some(all.len()));
        let slow: usize = s.graphemes(true).map(|g| glyph(g, 0).width).sum();
        assert_eq!(slow, all.len());
        assert_eq!(simple_width("a\u{301}"), None);
        assert_eq!(simple_width("a\tb"), None);
        assert_eq!(simple_width("soft\u{ad}hyphen"), None);
    }

    #[test]
    fn truncate_respects_width() {
        assert_eq!(truncate("Pakistan and US", 8), "Pakista…");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(truncate("short", 8), "short");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(truncate_left("against ISKP", 6), "… ISKP");
        assert_eq!(truncate_left("against ISKP", 5), "…ISKP");
        assert_eq!(truncate_left("ab", 6), "ab");
        assert_eq!(width(&fit("日本語", 5)), 5);
    }

    #[test]
    fn byte_at_column_maps_back() {
        let text = "日本 ISKP";
        assert_eq!(byte_at_column(text, 0..text.len(), 0), 0);
        assert_eq!(byte_at_column(text, 0..text.len(), 1), 0);
        assert_eq!(byte_at_column(text, 0..text.len(), 2), 3);
        assert_eq!(byte_at_column(text, 0..text.len(), 5), 7);
    }

    #[test]
    fn search_ignores_case() {
        let text = "ISKP and iskp and IsKp";
        assert_eq!(
            find_all_ignore_case(text, "iskp", 10),
            vec![0..4, 9..13, 18..22]
        );
        assert_eq!(find_all_ignore_case(text, "iskp", 2).len(), 2);
        let text = "Über ÜBER über";
        assert_eq!(
            find_all_ignore_case(text, "über", 10),
            vec![0..5, 6..11, 12..17]
        );
    }
}
