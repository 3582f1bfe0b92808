//! Paragraphs and sentences of a text, as byte ranges, for counting what
//! is said together.
//!
//! Sentences are split by rule rather than by Unicode's default sentence
//! boundaries (UAX #29, as `unicode-segmentation` gives them): those end a
//! sentence after every "Mr." or "Gen." followed by a capital, and news
//! text is full of titles before names ("Gen. Asim Munir", "Mr. Khan"),
//! which would part a name's sentence from the name. Here a full stop
//! ends a sentence only when white space follows and the next word does
//! not start with a lower-case letter, and the word before it is not a
//! known abbreviation
//! (see [`ABBREVIATIONS`]), a single letter (an initial) or dotted ("U.S.",
//! "e.g."). A paragraph break always ends one. One pass, linear in the
//! text.

use std::ops::Range;

/// Words that a full stop follows without ending a sentence: titles,
/// ranks, and the months' short forms.
pub const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "prof", "jr", "sr", "vs",
    "etc", "no", "inc", "ltd", "co", "corp", "gov", "sen", "rep", "maj", "adm", "cpl", "pvt",
    "rev", "hon", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov",
    "dec", "brig", "cdr", "insp", "supt", "sheikh", "mln", "bn", "approx", "dept", "govt",
];

/// The paragraphs of `text`: blocks parted by blank lines (lines of white
/// space only), each trimmed of white space at both ends; blank text makes
/// none.
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut end = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim();
        if content.is_empty() {
            if let Some(s) = start.take() {
                out.push(s..end);
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            start.get_or_insert(at + lead);
            end = at + line.trim_end().len();
        }
        at += line.len();
    }
    if let Some(s) = start {
        out.push(s..end);
    }
    out
}

/// The sentences of `text`, within its paragraphs (see the module's
/// documentation for the rules), trimmed; together they cover every
/// non-blank byte.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for p in paragraphs(text) {
        sentences_in(text, p, &mut out);
    }
    out
}

/// The units a level counts in: sentences or paragraphs.
pub fn units(text: &str, sentences_too: bool) -> Vec<Range<usize>> {
    if sentences_too {
        sentences(text)
    } else {
        paragraphs(text)
    }
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '«'];

fn sentences_in(text: &str, para: Range<usize>, out: &mut Vec<Range<usize>>) {
    let p = &text[para.clone()];
    let b = p.as_bytes();
    let base = para.start;
    let mut start = 0;
    let mut i = 0;
    // Only the bytes that may start a terminal mark are looked at: `.`,
    // `!`, `?` and the lead bytes of `…`, `。`, `؟` and `۔` (lead bytes
    // are always character boundaries).
    while let Some(off) = b[i..]
        .iter()
        .position(|&x| matches!(x, b'.' | b'!' | b'?' | 0xE2 | 0xE3 | 0xD8 | 0xDB))
    {
        let at = i + off;
        let Some(c) = p[at..].chars().next() else {
            break;
        };
        i = at + c.len_utf8();
        if !matches!(c, '.' | '!' | '?' | '…' | '。' | '؟' | '۔') {
            continue;
        }
        // The whole run of terminal marks and closing quotes.
        let mut end = i;
        for d in p[end..].chars() {
            if matches!(d, '.' | '!' | '?' | '…') || CLOSERS.contains(&d) {
                end += d.len_utf8();
            } else {
                break;
            }
        }
        i = end;
        let rest = &p[end..];
        let after = rest.trim_start();
        if after.len() == rest.len() || after.is_empty() {
            // No space after ("3.5", "x.com"), or the paragraph's end.
            continue;
        }
        let next = after.chars().next();
        // Only a lower-case word goes on with the sentence.
        let starts_sentence = next.is_some_and(|n| !n.is_lowercase());
        let break_line = rest[..rest.len() - after.len()].contains('\n');
        if !(starts_sentence || break_line) {
            continue;
        }
        if c == '.' && !break_line {
            // The word before the stop: white space follows the stop, so
            // no other word is looked back over twice.
            let word_start = p[..at]
                .char_indices()
                .rev()
                .find(|(_, w)| w.is_whitespace())
                .map_or(0, |(w, ch)| w + ch.len_utf8());
            if not_an_end(&p[word_start..at]) {
                continue;
            }
        }
        out.push(base + start..base + end);
        start = end + (rest.len() - after.len());
    }
    if start < p.len() {
        let s = &p[start..];
        let trimmed = s.trim_end();
        if !trimmed.is_empty() {
            out.push(base + start..base + start + trimmed.len());
        }
    }
}

/// True when a full stop after `word` does not end a sentence: an
/// abbreviation, an initial or a dotted abbreviation.
fn not_an_end(word: &str) -> bool {
    let w = word.trim_start_matches(OPENERS);
    if w.contains('.') {
        // "U.S", "e.g": dotted.
        return true;
    }
    let mut letters = w.chars();
    if letters.next().is_some_and(char::is_alphabetic) && letters.next().is_none() {
        return true;
    }
    ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(w))
}

/// The index in `units` (sorted, disjoint ranges) of the unit holding byte
/// `at`, searching forward from `from`; `None` when `at` falls between
/// units. Walking mentions in order with it is linear.
pub fn unit_at(units: &[Range<usize>], from: usize, at: usize) -> (usize, Option<usize>) {
    let mut k = from;
    while k < units.len() && units[k].end <= at {
        k += 1;
    }
    let hit = units.get(k).filter(|u| u.start <= at).map(|_| k);
    (k, hit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn paragraphs_are_blank_line_blocks() {
        let text = "  Title  \n\nOne line\nand its wrap.\n \t\nLast.";
        let p: Vec<&str> = paragraphs(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(p, ["Title", "One line\nand its wrap.", "Last."]);
        assert!(paragraphs(" \n\n ").is_empty());
    }

    #[test]
    fn titles_initials_and_dotted_abbreviations_do_not_end_sentences() {
        assert_eq!(
            said("Gen. Asim Munir met Mr. Khan in the U.S. capital. The TTP said no."),
            [
                "Gen. Asim Munir met Mr. Khan in the U.S. capital.",
                "The TTP said no."
            ]
        );
        assert_eq!(
            said("J. K. Rowling wrote it. It sold 3.5 million! Why? “Because.” Then (more)."),
            [
                "J. K. Rowling wrote it.",
                "It sold 3.5 million!",
                "Why?",
                "“Because.”",
                "Then (more)."
            ]
        );
        // A lower-case word after a stop continues the sentence.
        assert_eq!(said("See fig. three here."), ["See fig. three here."]);
        // A paragraph break always ends one.
        assert_eq!(said("Headline\n\nBody text"), ["Headline", "Body text"]);
        assert_eq!(
            said("Ends with Mr.\nNext line."),
            ["Ends with Mr.", "Next line."]
        );
    }

    #[test]
    fn sentences_are_trimmed_and_in_order() {
        let text = "  One. Two.  \n\n  Three  ";
        let s = sentences(text);
        for w in s.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        assert_eq!(said(text), ["One.", "Two.", "Three"]);
    }

    #[test]
    fn unit_lookup_walks_forward() {
        let units = vec![0..5, 7..10, 12..20];
        assert_eq!(unit_at(&units, 0, 3), (0, Some(0)));
        assert_eq!(unit_at(&units, 0, 6), (1, None));
        assert_eq!(unit_at(&units, 1, 8), (1, Some(1)));
        assert_eq!(unit_at(&units, 1, 19), (2, Some(2)));
        assert_eq!(unit_at(&units, 2, 25), (3, None));
    }

    #[test]
    fn long_inputs_stay_linear() {
        let text = "Mr. ".repeat(100_000) + &"a. B ".repeat(100_000);
        let t = std::time::Instant::now();
        let s = sentences(&text);
        assert!(!s.is_empty());
        assert!(t.elapsed().as_secs() < 2);
    }
}
