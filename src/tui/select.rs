//! Words and names in a document's text, for selecting a span from the
//! keyboard. Pure functions on `&str` and byte offsets; they look only at
//! the text near the offset they are given, never at the whole document.
//!
//! A *word* is a run of letters and digits, and words joined by a single
//! hyphen count as one ("Pakistani-Talban", "Tehrik-i-Taliban"). A *name* is
//! a run of capitalised words separated by single spaces, with the small
//! connecting words names use ("of", "al", "bin", …) inside it.

use std::ops::Range;
use unicode_segmentation::GraphemeCursor;

fn is_alnum(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// The word that contains the character at byte `at`, if that character is
/// part of a word.
pub fn word_containing(text: &str, at: usize) -> Option<Range<usize>> {
    let at = floor_char(text, at);
    let c = char_at(text, at)?;
    // A joining hyphen belongs to the word around it.
    let joining = is_joiner(c)
        && char_before(text, at).is_some_and(is_alnum)
        && char_at(text, at + c.len_utf8()).is_some_and(is_alnum);
    if !is_alnum(c) && !joining {
        return None;
    }
    let mut start = at;
    let mut end = at + c.len_utf8();
    // Backwards over letters and joining hyphens.
    loop {
        match char_before(text, start) {
            Some(p) if is_alnum(p) => start -= p.len_utf8(),
            Some(p)
                if is_joiner(p)
                    && char_before(text, start - p.len_utf8()).is_some_and(is_alnum)
                    && char_at(text, start).is_some_and(is_alnum) =>
            {
                start -= p.len_utf8()
            }
            _ => break,
        }
    }
    // Forwards likewise.
    loop {
        match char_at(text, end) {
            Some(n) if is_alnum(n) => end += n.len_utf8(),
            Some(n)
                if is_joiner(n)
                    && char_before(text, end).is_some_and(is_alnum)
                    && char_at(text, end + n.len_utf8()).is_some_and(is_alnum) =>
            {
                end += n.len_utf8()
            }
            _ => break,
        }
    }
    Some(start..end)
}

/// The first word that starts at or after byte `from`.
pub fn next_word(text: &str, from: usize) -> Option<Range<usize>> {
    let mut at = floor_char(text, from.min(text.len()));
    while at < text.len() {
        match word_containing(text, at) {
            Some(w) if w.start >= from => return Some(w),
            Some(w) => at = w.end,
            None => at += char_at(text, at).map_or(1, char::len_utf8),
        }
    }
    None
}

/// The last word that ends at or before byte `before`.
pub fn prev_word(text: &str, before: usize) -> Option<Range<usize>> {
    let mut at = floor_char(text, before.min(text.len()));
    while at > 0 {
        let p = char_before(text, at)?;
        let i = at - p.len_utf8();
        match word_containing(text, i) {
            Some(w) if w.end <= before => return Some(w),
            Some(w) => at = w.start,
            None => at = i,
        }
    }
    None
}

/// The word at byte `at`, or else the next word, or else the previous one.
pub fn word_at_or_near(text: &str, at: usize) -> Option<Range<usize>> {
    word_containing(text, at)
        .or_else(|| next_word(text, at))
        .or_else(|| prev_word(text, at))
}

/// The largest char boundary at or before `at`.
pub fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The grapheme boundary after `at` (or the end of the text).
pub fn next_grapheme(text: &str, at: usize) -> usize {
    let at = floor_char(text, at);
    let mut c = GraphemeCursor::new(at, text.len(), true);
    match c.next_boundary(text, 0) {
        Ok(Some(n)) => n,
        _ => text.len(),
    }
}

/// The grapheme boundary before `at` (or 0).
pub fn prev_grapheme(text: &str, at: usize) -> usize {
    let at = floor_char(text, at);
    let mut c = GraphemeCursor::new(at, text.len(), true);
    match c.prev_boundary(text, 0) {
        Ok(Some(p)) => p,
        _ => 0,
    }
}

/// Lower-case words that may sit inside a name ("Islamic State of Iraq",
/// "Osama bin Laden", "Abu Bakr al Baghdadi").
const CONNECTORS: &[&str] = &[
    "of", "al", "el", "bin", "ibn", "bint", "de", "da", "del", "van", "von", "ul", "ud", "e", "i",
];

/// Capitalised words that open sentences rather than names.
const OPENERS: &[&str] = &[
    "The", "A", "An", "In", "On", "At", "By", "For", "And", "But",
];

fn capitalised(text: &str, w: &Range<usize>) -> bool {
    text[w.clone()]
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

fn connector(text: &str, w: &Range<usize>) -> bool {
    CONNECTORS.contains(&&text[w.clone()])
}

/// True when exactly one space separates `a` (before) and `b` (after).
fn one_space_between(text: &str, a: &Range<usize>, b: &Range<usize>) -> bool {
    text.get(a.end..b.start) == Some(" ")
}

/// The name around the word at byte `at`: the run of capitalised words (with
/// connecting words inside) that contains it. A word that is not
/// capitalised is its own name. `None` when there is no word at `at`.
pub fn name_at(text: &str, at: usize) -> Option<Range<usize>> {
    let w = word_containing(text, at)?;
    if !capitalised(text, &w) {
        return Some(w);
    }
    let mut start = w.clone();
    // Leftwards: capitalised words, and connectors with a capitalised word before them.
    while let Some(p) = prev_word(text, start.start) {
        if !one_space_between(text, &p, &start) {
            break;
        }
        if capitalised(text, &p) && !OPENERS.contains(&&text[p.clone()]) {
            start = p;
        } else if connector(text, &p)
            && let Some(pp) = prev_word(text, p.start)
            && one_space_between(text, &pp, &p)
            && capitalised(text, &pp)
        {
            start = pp;
        } else {
            break;
        }
    }
    let mut end = w;
    while let Some(n) = next_word(text, end.end) {
        if !one_space_between(text, &end, &n) {
            break;
        }
        if capitalised(text, &n) {
            end = n;
        } else if connector(text, &n)
            && let Some(nn) = next_word(text, n.end)
            && one_space_between(text, &n, &nn)
            && capitalised(text, &nn)
        {
            end = nn;
        } else {
            break;
        }
    }
    Some(start.start..end.end)
}

pub use crate::text::flatten;

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "The TTP or Pakistani-Talban, as some say, fight the Islamic State of Iraq.";

    fn at(s: &str) -> usize {
        T.find(s).unwrap_or(usize::MAX)
    }

    fn s(r: Option<Range<usize>>) -> &'static str {
        r.map_or("", |r| &T[r])
    }

    #[test]
    fn words_join_hyphens() {
        assert_eq!(s(word_containing(T, at("Talban"))), "Pakistani-Talban");
        assert_eq!(s(word_containing(T, at("-Talban"))), "Pakistani-Talban");
        assert_eq!(word_containing(T, at(", as")), None);
        assert_eq!(s(next_word(T, at(", as"))), "as");
        assert_eq!(s(next_word(T, at("akistani"))), "as");
        assert_eq!(s(prev_word(T, at(", as"))), "Pakistani-Talban");
        assert_eq!(s(prev_word(T, at("Pakistani"))), "or");
        assert_eq!(prev_word(T, 2), None);
        assert_eq!(s(next_word(T, 0)), "The");
        assert_eq!(next_word(T, T.len()), None);
    }

    #[test]
    fn names_take_capitalised_runs_and_connectors() {
        assert_eq!(s(name_at(T, at("State"))), "Islamic State of Iraq");
        assert_eq!(s(name_at(T, at("TTP"))), "TTP");
        assert_eq!(s(name_at(T, at("Talban"))), "Pakistani-Talban");
        assert_eq!(s(name_at(T, at("some"))), "some");
        assert_eq!(name_at(T, at(", as")), None);
    }

    #[test]
    fn graphemes_step_over_combined_characters() {
        let t = "cafe\u{301} x";
        assert_eq!(next_grapheme(t, 3), 6);
        assert_eq!(prev_grapheme(t, 6), 3);
        assert_eq!(next_grapheme(t, t.len()), t.len());
        assert_eq!(prev_grapheme(t, 0), 0);
    }

    #[test]
    fn flatten_folds_white_space() {
        assert_eq!(flatten(" Pakistani\n Taliban "), "Pakistani Taliban");
    }
}
