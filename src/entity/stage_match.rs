//! Stage: matching every document against the knowledge base's and the
//! learned aliases, in parallel.
//!
//! [`match_doc`] is per document. Its output, [`DocMatches`], depends on the
//! document's text, the matcher (the knowledge base and the learned
//! aliases) and the kinds and names of the entities (for the rules that
//! widen a match). While its words are at hand, it also adds them to the
//! corpus-wide [`WordSets`] and gathers the capitalised words that no alias
//! covers, so that a text is split into words once.

use super::matcher::{Found, KeptFound, Matcher};
use super::normalize::{is_grapheme_boundary, is_word_char};
use super::stage_context::{self, Context};
use super::stage_names::{RunCandidates, candidates};
pub use super::tokens::WordSets;
use super::tokens::{TOKEN_PIECE, tokens_in};
use super::{Entity, Kind, Source};
use crate::corpus::Document;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What the matcher finds in one document.
#[derive(Debug, Clone, Default)]
pub struct DocMatches {
    /// Sorted, disjoint matches, kept small.
    pub found: Vec<KeptFound>,
    /// The capitalised words no match covers, grouped for the name stage.
    pub candidates: RunCandidates,
}

/// Matches every document on all cores, counting them in `done`.
/// Returns the matches in document order and the corpus's word sets.
pub fn match_all(
    docs: &[Document],
    matcher: &Matcher,
    entities: &[Entity],
    context: &Context,
    done: &AtomicUsize,
) -> (Vec<DocMatches>, WordSets) {
    // One word set per worker's share, not per document: most words
    // repeat, and each new set allocates them again.
    let parts: Vec<(Vec<(usize, DocMatches)>, WordSets)> = docs
        .par_iter()
        .enumerate()
        .fold(
            || (Vec::new(), WordSets::default()),
            |(mut out, mut sets), (i, doc)| {
                out.push((
                    i,
                    match_doc(&doc.text.fetch(), matcher, entities, context, &mut sets),
                ));
                done.fetch_add(1, Ordering::Relaxed);
                (out, sets)
            },
        )
        .collect();
    let mut words = WordSets::default();
    let mut all: Vec<(usize, DocMatches)> = Vec::with_capacity(docs.len());
    for (part, sets) in parts {
        all.extend(part);
        words.merge(sets);
    }
    // Rayon keeps the shares in order; this only guards that promise.
    if !all.is_sorted_by_key(|(i, _)| *i) {
        all.sort_by_key(|(i, _)| *i);
    }
    (all.into_iter().map(|(_, m)| m).collect(), words)
}

/// The corpus's word sets, as [`match_all`] makes them, without matching:
/// every text is read and split into words.
pub fn word_sets(docs: &[Document]) -> WordSets {
    docs.par_iter()
        .fold(WordSets::default, |mut sets, doc| {
            let text = doc.text.fetch();
            for piece in crate::text::pieces(&text, TOKEN_PIECE) {
                sets.add(&text, &tokens_in(&text, piece));
            }
            sets
        })
        .reduce(WordSets::default, |mut a, b| {
            a.merge(b);
            a
        })
}

/// Which of `docs` have a word whose standing `changed` says has changed
/// (see [`WordSets::changed`]): a document without one splits its
/// capitalised words into names as it did. Only those `ask` names are read.
pub fn with_changed_words(docs: &[Document], ask: &[bool], changed: &WordSets) -> Vec<bool> {
    docs.par_iter()
        .zip(ask)
        .map(|(doc, &ask)| {
            ask && {
                let text = doc.text.fetch();
                crate::text::pieces(&text, TOKEN_PIECE).any(|piece| {
                    tokens_in(&text, piece)
                        .iter()
                        .any(|t| changed.has_any(&text[t.start..t.end]))
                })
            }
        })
        .collect()
}

/// Matches one document's text, lets its context decide the matches that
/// context decides, widens the matches by rule, adds its words
/// to `words` and gathers its name candidates.
pub fn match_doc(
    text: &str,
    matcher: &Matcher,
    entities: &[Entity],
    context: &Context,
    words: &mut WordSets,
) -> DocMatches {
    let mut found = matcher.find_all(text);
    stage_context::resolve(text, &mut found, context, entities);
    extend_by_rules(text, &mut found, entities);
    let mut cands = RunCandidates::default();
    for piece in crate::text::pieces(text, TOKEN_PIECE) {
        // The matches in this piece only.
        let from = found.partition_point(|m| m.end <= piece.start);
        let to = found.partition_point(|m| m.start < piece.end);
        let toks = tokens_in(text, piece);
        words.add(text, &toks);
        candidates(text, &toks, &found[from..to.max(from)], &mut cands);
    }
    DocMatches {
        found: found.iter().map(KeptFound::from).collect(),
        candidates: cands,
    }
}

/// Rules that widen a match: an organisation's "Pak-" prefix ("Pak-ISI"), and
/// an event's trailing year ("Kabul Airport incident of 2021").
fn extend_by_rules(text: &str, found: &mut [Found], entities: &[Entity]) {
    for i in 0..found.len() {
        let kind = entities[found[i].target.entity as usize].kind;
        let prev_end = if i > 0 { found[i - 1].end } else { 0 };
        let next_start = found.get(i + 1).map_or(text.len(), |f| f.start);
        let f = &mut found[i];
        if kind == Kind::Org {
            for prefix in ["Pak-", "Pak\u{2011}"] {
                if f.start >= prefix.len() + prev_end
                    && text[..f.start].ends_with(prefix)
                    && text[..f.start - prefix.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !is_word_char(c))
                    && is_grapheme_boundary(text, f.start - prefix.len())
                {
                    f.start -= prefix.len();
                    f.target.source = Source::Rule;
                }
            }
        }
        if kind == Kind::Person {
            // "Mullah Hibatullah" + " Akhundzada": the rest of the name.
            let name = &entities[f.target.entity as usize].name;
            let rest = &text[f.end..next_start];
            if let Some(after) = rest.strip_prefix(' ') {
                let len = after
                    .char_indices()
                    .find(|&(_, c)| !(c.is_alphabetic() || c == '-'))
                    .map_or(after.len(), |(i, _)| i);
                let word = &after[..len];
                let boundary = after[len..].chars().next().is_none_or(|c| !is_word_char(c))
                    && is_grapheme_boundary(text, f.end + 1 + len);
                let matched = &text[f.start..f.end];
                if !word.is_empty()
                    && boundary
                    && name.split(' ').any(|w| w == word)
                    && !matched.split(' ').any(|w| w == word)
                {
                    f.end += 1 + word.len();
                }
            }
        }
        if kind == Kind::Event {
            let rest = &text[f.end..next_start];
            if let Some(year) = rest.strip_prefix(" of ") {
                let y = year.bytes().take_while(u8::is_ascii_digit).count();
                let after = year[y..].chars().next();
                if y == 4
                    && after.is_none_or(|c| !is_word_char(c))
                    && is_grapheme_boundary(text, f.end + 4 + y)
                {
                    f.end += 4 + y;
                    f.target.source = Source::Rule;
                }
            }
        }
    }
}
