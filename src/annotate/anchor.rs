//! Anchors: where an annotation sits, robust to edits of the document.
//!
//! Like the W3C Web Annotation `TextQuoteSelector` (with a
//! `TextPositionSelector` hint), an anchor keeps the exact text, a little
//! context before and after it, and the byte offsets it had. When the
//! document has changed, the quote is found again as Hypothesis does:
//!
//! 1. at its old offsets, or anywhere, with its whole prefix and suffix
//!    (the nearest such occurrence to the old offsets);
//! 2. otherwise at an occurrence that stands as whole words (never "PM"
//!    inside "PMLN", nor "Washington" inside "Washingtonian") whose context
//!    agrees for at least a quarter of the context kept: the one that
//!    agrees most, then the nearest;
//! 3. otherwise nowhere: the annotation is unplaced, and listed as such,
//!    never attached to other text.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How many characters of context an anchor keeps on either side.
pub const CONTEXT_CHARS: usize = 32;

/// A quote of a document with its context and last known position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The document id.
    pub doc: String,
    /// Byte offsets the quote had when the anchor was made.
    pub start: usize,
    pub end: usize,
    /// The quoted text.
    pub exact: String,
    /// Up to [`CONTEXT_CHARS`] characters before and after.
    #[serde(default)]
    pub prefix: String,
    #[serde(default)]
    pub suffix: String,
}

impl Anchor {
    /// An anchor for `range` of a document's text.
    pub fn new(doc: &str, text: &str, range: Range<usize>) -> Anchor {
        let prefix: String = {
            let mut p: Vec<char> = text[..range.start]
                .chars()
                .rev()
                .take(CONTEXT_CHARS)
                .collect();
            p.reverse();
            p.into_iter().collect()
        };
        let suffix: String = text[range.end..].chars().take(CONTEXT_CHARS).collect();
        Anchor {
            doc: doc.to_string(),
            start: range.start,
            end: range.end,
            exact: text[range.clone()].to_string(),
            prefix,
            suffix,
        }
    }

    /// Finds the anchor in `text`: at its old offsets if the quote is still
    /// there, otherwise at the occurrence whose context fits best. `None`
    /// when the quote is gone.
    pub fn resolve(&self, text: &str) -> Option<Range<usize>> {
        if self.exact.is_empty() {
            return None;
        }
        let full = self.prefix.chars().count() + self.suffix.chars().count();
        if text.get(self.start..self.end) == Some(self.exact.as_str())
            && self.context_score(text, self.start) == full
        {
            return Some(self.start..self.end);
        }
        // At least a quarter of the context must agree (any, when none was
        // kept: the quote was the whole text).
        let threshold = full.div_ceil(4);
        let mut exact: Option<(usize, usize)> = None; // (distance, start)
        let mut best: Option<(usize, usize, usize)> = None; // (score, distance, start)
        for (at, _) in text.match_indices(&self.exact) {
            let score = self.context_score(text, at);
            let distance = at.abs_diff(self.start);
            if score == full {
                if exact.is_none_or(|(d, _)| distance < d) {
                    exact = Some((distance, at));
                }
                continue;
            }
            if score < threshold || !self.whole_words(text, at) {
                continue;
            }
            let better = match best {
                None => true,
                Some((s, d, _)) => score > s || (score == s && distance < d),
            };
            if better {
                best = Some((score, distance, at));
            }
        }
        exact
            .map(|(_, at)| at)
            .or(best.map(|(_, _, at)| at))
            .map(|at| at..at + self.exact.len())
    }

    /// Does the occurrence at `at` stand as whole words: not run on into a
    /// word before or after it (where the quote itself starts or ends with
    /// a word character)?
    fn whole_words(&self, text: &str, at: usize) -> bool {
        use crate::entity::normalize::is_word_char;
        let first = self.exact.chars().next().is_some_and(is_word_char);
        let last = self.exact.chars().next_back().is_some_and(is_word_char);
        let before = text[..at].chars().next_back().is_some_and(is_word_char);
        let after = text[at + self.exact.len()..]
            .chars()
            .next()
            .is_some_and(is_word_char);
        !((first && before) || (last && after))
    }

    /// How many characters of context agree around an occurrence at `at`.
    fn context_score(&self, text: &str, at: usize) -> usize {
        let before = &text[..at];
        let after = &text[at + self.exact.len()..];
        common_suffix(before, &self.prefix) + common_prefix(after, &self.suffix)
    }
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_in_place_when_unchanged() {
        let t = "The TTP said. The TTP left.";
        let a = Anchor::new("d", t, 18..21);
        assert_eq!(a.resolve(t), Some(18..21));
    }

    #[test]
    fn follows_the_quote_when_text_is_inserted_before_it() {
        let t = "The TTP said. Later the TTP left.";
        let a = Anchor::new("d", t, 24..27);
        let edited = format!("An update: 日本語 😀 é.\n{t}");
        let r = a.resolve(&edited).unwrap();
        assert_eq!(&edited[r.clone()], "TTP");
        assert!(edited[..r.start].ends_with("Later the "));
    }

    #[test]
    fn context_picks_the_right_occurrence() {
        let t = "x TTP one. y TTP two. z TTP three.";
        let a = Anchor::new("d", t, 13..16); // the "TTP two" occurrence
        let edited = t.replace("x TTP one. ", "");
        let r = a.resolve(&edited).unwrap();
        assert!(edited[r.end..].starts_with(" two"));
    }

    #[test]
    fn a_quote_inside_another_word_is_not_it() {
        // "PM" rejected, then the document edited to "prime minister": the
        // "PM" of "PMLN" is not it.
        let t = "The PM met the press. Later, the PMLN said no.";
        let a = Anchor::new("d", t, 4..6);
        let edited = t.replace("The PM met", "The prime minister met");
        assert_eq!(a.resolve(&edited), None);
        // "Washington" tagged, then edited to "Washingtonian".
        let t = "He flew to Washington on Monday.";
        let a = Anchor::new("d", t, 11..21);
        let edited = t.replace("Washington on", "Washingtonian on");
        assert_eq!(a.resolve(&edited), None);
    }

    #[test]
    fn the_whole_context_wins_anywhere_and_little_context_is_not_enough() {
        let t = "Intro. The TTP said no. Outro.";
        let a = Anchor::new("d", t, 11..14);
        // Moved far, context whole: found.
        let moved = format!("{}{t}", "New paragraph. ".repeat(20));
        let r = a.resolve(&moved).unwrap();
        assert_eq!(&moved[r.clone()], "TTP");
        assert!(moved[..r.start].ends_with("Intro. The "));
        // The sentence rewritten around it, another "TTP" elsewhere with
        // no context in common: not placed.
        let rewritten = "Completely different words here; elsewhere TTP appears.";
        assert_eq!(a.resolve(rewritten), None);
        // Some context kept (a quarter or more): placed, as whole words.
        let edited = "Intro. The TTP said yes, and left.";
        assert_eq!(a.resolve(edited), Some(11..14));
    }

    #[test]
    fn a_vanished_quote_is_unplaced() {
        let a = Anchor::new("d", "The TTP said.", 4..7);
        assert_eq!(a.resolve("Nothing here."), None);
    }
}
