//! Markdown markup in display text: the marks of a heading, a quote, bold
//! and emphasis, inline code and a link's target, found as byte ranges so
//! that a title or a keyword-in-context line can be shown without them
//! while every other byte keeps its place.
//!
//! It is a reader's approximation of Markdown, not a parser: a mark counts
//! only when it is closed on the same line (emphasis, code) or is well
//! formed (`[text](target)`), so prose with a stray `*` or `snake_case`
//! names is left alone. One pass, linear in the text.

use std::ops::Range;

/// The byte ranges of Markdown markup in `s`, sorted and disjoint:
/// line-start heading marks (`## `) and quote marks (`> `), the delimiters
/// of `**bold**`, `__bold__`, `*em*`, `_em_` and `` `code` ``, and in a
/// link `[text](target)` (or an image `![text](target)`) everything but the
/// text.
pub fn markup_ranges(s: &str) -> Vec<Range<usize>> {
    markup_ranges_from(s, true)
}

/// [`markup_ranges`] of a piece of a text: `starts_line` says whether the
/// piece starts a line (a `#` or `>` mark counts only there).
pub fn markup_ranges_from(s: &str, starts_line: bool) -> Vec<Range<usize>> {
    let b = s.as_bytes();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut line_start = starts_line;
    // The open delimiter of each kind on this line, if any.
    let mut open: [Option<Range<usize>>; 5] = Default::default();
    // `[` positions on this line not yet closed.
    let mut brackets: Vec<usize> = Vec::new();
    // No `)` before this position on the current line (a failed search
    // is not repeated).
    let mut no_paren_until = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line_start = true;
            open = Default::default();
            brackets.clear();
            i += 1;
            continue;
        }
        if line_start {
            line_start = false;
            let j = i + b[i..]
                .iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count();
            if let Some(end) = line_marks(b, j) {
                out.push(j..end);
                if b[j] == b'#'
                    && let Some(closing) = closing_hashes(b, end)
                {
                    out.push(closing);
                }
                i = end;
                continue;
            }
        }
        match c {
            b'*' | b'_' | b'`' => {
                let run = b[i..].iter().take_while(|&&x| x == c).count();
                let (kind, len) = match (c, run) {
                    (b'`', _) => (4, 1),
                    (_, 2..) => (if c == b'*' { 0 } else { 2 }, 2),
                    _ => (if c == b'*' { 1 } else { 3 }, 1),
                };
                if run > 2 && c != b'`' {
                    // `***` and longer: rules or odd emphasis, left alone.
                    i += run;
                    continue;
                }
                let here = i..i + len;
                let before = s[..i].chars().next_back();
                let after = s[i + len..].chars().next();
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
                // Underscores inside a word (snake_case) are never marks.
                let intraword = c == b'_' && word(before) && word(after);
                match open[kind].take() {
                    Some(o) if !space(before) && !intraword => {
                        // Marks opened inside the pair belong to no pair now.
                        for other in open.iter_mut() {
                            if other.as_ref().is_some_and(|x| x.start > o.start) {
                                *other = None;
                            }
                        }
                        out.push(o);
                        out.push(here);
                    }
                    previous => {
                        open[kind] = if !space(after) && !intraword {
                            Some(here)
                        } else {
                            previous
                        };
                    }
                }
                i += len;
            }
            b'[' => {
                brackets.push(i);
                i += 1;
            }
            b']' if b.get(i + 1) == Some(&b'(') && !brackets.is_empty() => {
                let close = if i + 2 < no_paren_until {
                    None
                } else {
                    let rest = &b[i + 2..];
                    match rest.iter().position(|&x| x == b')' || x == b'\n') {
                        Some(p) if rest[p] == b')' => Some(i + 2 + p),
                        Some(p) => {
                            no_paren_until = i + 2 + p;
                            None
                        }
                        None => {
                            no_paren_until = b.len();
                            None
                        }
                    }
                };
                match (close, brackets.pop()) {
                    (Some(close), Some(open_at)) => {
                        let start = if open_at > 0 && b[open_at - 1] == b'!' {
                            open_at - 1
                        } else {
                            open_at
                        };
                        // Marks inside the text stay; those after it go.
                        out.push(start..open_at + 1);
                        out.push(i..close + 1);
                        brackets.clear();
                        i = close + 1;
                    }
                    _ => i += 1,
                }
            }
            // Plain text up to the next byte that may be markup: most of
            // the text, skipped at once.
            _ => {
                i += 1;
                i += b[i..]
                    .iter()
                    .position(|&x| matches!(x, b'\n' | b'*' | b'_' | b'`' | b'[' | b']'))
                    .unwrap_or(b.len() - i);
            }
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The end of a line's heading or quote marks starting at `at` (after its
/// indentation): `#` to `######` and a space, or `>`s each with an optional
/// space.
fn line_marks(b: &[u8], at: usize) -> Option<usize> {
    let hashes = b[at..].iter().take_while(|&&c| c == b'#').count();
    if (1..=6).contains(&hashes) && matches!(b.get(at + hashes), Some(b' ' | b'\t')) {
        return Some(at + hashes + 1);
    }
    let mut j = at;
    while b.get(j) == Some(&b'>') {
        j += 1;
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
    }
    (j > at).then_some(j)
}

/// The closing marks of a heading whose text starts at `from`: a run of
/// `#` after a space at the end of the line (`## Title ##`).
fn closing_hashes(b: &[u8], from: usize) -> Option<Range<usize>> {
    let end = from
        + b[from..]
            .iter()
            .position(|&c| c == b'\n')
            .unwrap_or(b.len() - from);
    let trimmed = from
        + b[from..end]
            .iter()
            .rposition(|c| !c.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
    let hashes = b[from..trimmed]
        .iter()
        .rev()
        .take_while(|&&c| c == b'#')
        .count();
    let start = trimmed - hashes;
    (hashes > 0 && start > from && matches!(b[start - 1], b' ' | b'\t'))
        .then_some(start - 1..trimmed)
}

/// `s` without its Markdown markup (see [`markup_ranges`]).
pub fn strip_markup(s: &str) -> String {
    without(s, 0..s.len(), &markup_ranges(s))
}

/// `s[range]` without the bytes of `marks` (sorted, disjoint ranges of
/// `s`, such as [`markup_ranges`] gives).
pub fn without(s: &str, range: Range<usize>, marks: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(range.len());
    let mut at = range.start;
    let first = marks.partition_point(|m| m.end <= range.start);
    for m in &marks[first..] {
        if m.start >= range.end {
            break;
        }
        if m.start > at {
            out.push_str(&s[at..m.start]);
        }
        at = at.max(m.end);
    }
    if at < range.end {
        out.push_str(&s[at..range.end]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_quotes_and_emphasis_go() {
        assert_eq!(
            strip_markup("## The TTP's **new** chief"),
            "The TTP's new chief"
        );
        assert_eq!(strip_markup("> quoted *word* here"), "quoted word here");
        assert_eq!(strip_markup(">> nested"), "nested");
        assert_eq!(strip_markup("__bold__ and _em_"), "bold and em");
        assert_eq!(strip_markup("run `dossier` now"), "run dossier now");
        // A heading mark needs its space; a hash tag is text.
        assert_eq!(strip_markup("#hashtag"), "#hashtag");
        assert_eq!(strip_markup("###### six"), "six");
        assert_eq!(strip_markup("## Closed ##\nnext"), "Closed\nnext");
        assert_eq!(strip_markup("# C# #"), "C#");
    }

    #[test]
    fn links_keep_their_text() {
        assert_eq!(
            strip_markup("Read [the report](https://x.test/a_b_c) today"),
            "Read the report today"
        );
        assert_eq!(
            strip_markup("![a photo](p.png) and [**bold** link](u)"),
            "a photo and bold link"
        );
        // Not a link: no target, or the target unclosed.
        assert_eq!(strip_markup("[1] footnote"), "[1] footnote");
        assert_eq!(strip_markup("[a](b and c"), "[a](b and c");
    }

    #[test]
    fn prose_is_left_alone() {
        for s in [
            "snake_case_name and my_var",
            "5 * 3 * 2",
            "a lone * star",
            "an _unclosed emphasis",
            "**",
            "***",
            "--- rule",
            "price is 2*3",
            "x ** y",
        ] {
            assert_eq!(strip_markup(s), s, "{s}");
        }
        // Emphasis does not run over a line break.
        assert_eq!(strip_markup("*one\ntwo*"), "*one\ntwo*");
    }

    #[test]
    fn ranges_are_sorted_disjoint_and_on_boundaries() {
        let s = "# Pakistan’s **ISKP** — [é *x*](u) `c` _y_\n> **z**";
        let r = markup_ranges(s);
        for w in r.windows(2) {
            assert!(w[0].end <= w[1].start, "{r:?}");
        }
        for x in &r {
            assert!(s.is_char_boundary(x.start) && s.is_char_boundary(x.end));
        }
        assert_eq!(strip_markup(s), "Pakistan’s ISKP — é x c y\nz");
    }

    #[test]
    fn many_unclosed_links_stay_linear() {
        let s = "[a](".repeat(20_000);
        let t = std::time::Instant::now();
        assert_eq!(strip_markup(&s), s);
        let s = "*a ".repeat(50_000);
        assert_eq!(strip_markup(&s).len(), s.len());
        assert!(t.elapsed().as_secs() < 2);
    }
}
