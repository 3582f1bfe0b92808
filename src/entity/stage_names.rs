//! Stage: names that no alias explains.
//!
//! Per document, in parallel:
//! - [`candidates`] (called by the match stage, while the words are at
//!   hand) groups the capitalised words that no match covers; it depends on
//!   the text and the document's matches;
//! - [`runs`] trims those groups into name runs; it depends on the
//!   candidates and on the corpus-wide [`WordSets`];
//! - [`people`] tells who is a person and links a surname used alone to
//!   the person named before it; it depends on the text, the matches, the
//!   runs and the entities' kinds and names.
//!
//! Then one corpus-wide step, [`resolve_names`], links spelling variants of
//! known names and makes entities of the names left, most frequent first
//! (so that ids do not depend on document order within a frequency).

use super::discover::{
    is_calendar_word, is_connector, is_demonym, is_function_word, is_generic_noun, is_role_word,
};
use super::matcher::Found;
use super::normalize::{is_grapheme_boundary, is_word_char, key, key_into, with_lowercase};
use super::stage_learn::{LEARNED_CONFIDENCE, guess_kind};
use super::tokens::Token;
use super::tokens::{WordSets, contains_lowercased};
use super::unique_id;
use super::variants::{Earlier, Hits, PERSON_CONFIDENCE, RankedNames, SurnameIndex, VariantIndex};
use super::{Entity, EntityId, Kind, Source};
use crate::corpus::Document;
use rayon::prelude::*;
use rustc_hash::{FxBuildHasher, FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::BuildHasher;
use std::ops::Range;

/// Confidence of a name that nothing else explains.
const NAME_CONFIDENCE: u8 = 60;

/// A word of a name candidate: twelve bytes (every document's candidates
/// are held until the corpus's words are known).
#[derive(Debug, Clone, Copy)]
pub struct CandidateWord {
    tok: CandidateToken,
}

impl CandidateWord {
    /// Only spaces follow a title or role ("spokesman Ned Price").
    fn after_role(&self) -> bool {
        self.tok.flags & AFTER_ROLE != 0
    }
}

/// What the name stage reads of a candidate's [`Token`]: its span and four
/// of its flags, in a quarter of the room.
#[derive(Debug, Clone, Copy)]
struct CandidateToken {
    start: u32,
    end: u32,
    flags: u8,
}

const CAP: u8 = 1;
const SENTENCE_START: u8 = 2;
const NAME_BLOCK: u8 = 4;
const HEADING: u8 = 8;
const AFTER_ROLE: u8 = 16;

impl CandidateToken {
    fn of(t: &Token, after_role: bool) -> Self {
        let flag = |on: bool, f: u8| if on { f } else { 0 };
        CandidateToken {
            start: t.start as u32,
            end: t.end as u32,
            flags: flag(t.cap, CAP)
                | flag(t.sentence_start, SENTENCE_START)
                | flag(t.name_block, NAME_BLOCK)
                | flag(t.heading, HEADING)
                | flag(after_role, AFTER_ROLE),
        }
    }

    fn cap(&self) -> bool {
        self.flags & CAP != 0
    }

    fn sentence_start(&self) -> bool {
        self.flags & SENTENCE_START != 0
    }

    fn name_block(&self) -> bool {
        self.flags & NAME_BLOCK != 0
    }

    fn heading(&self) -> bool {
        self.flags & HEADING != 0
    }

    fn start(&self) -> usize {
        self.start as usize
    }

    fn end(&self) -> usize {
        self.end as usize
    }
}

/// The capitalised words of one document that no match covers, in groups
/// of consecutive words that may form one name.
#[derive(Debug, Clone, Default)]
pub struct RunCandidates {
    words: Vec<CandidateWord>,
    /// Where each group ends in `words`.
    ends: Vec<u32>,
}

impl RunCandidates {
    fn groups(&self) -> impl Iterator<Item = &[CandidateWord]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let end = end as usize;
            let g = &self.words[start..end];
            start = end;
            g
        })
    }
}

/// Groups the capitalised words of `toks` (one piece of `text`) that no
/// match of `found` covers, splitting at titles, roles, dates, line breaks
/// and sentence starts. Appends to `out`.
pub(crate) fn candidates(text: &str, toks: &[Token], found: &[Found], out: &mut RunCandidates) {
    let mut fi = 0;
    let mut covered = |t: &Token| {
        while fi < found.len() && found[fi].end <= t.start {
            fi += 1;
        }
        fi < found.len() && found[fi].start < t.end
    };
    // Where the current group starts in `out.words`.
    let mut current = out.words.len();
    let close = |out: &mut RunCandidates, current: &mut usize| {
        if out.words.len() > *current {
            out.ends.push(out.words.len() as u32);
        }
        *current = out.words.len();
    };
    for (i, &t) in toks.iter().enumerate() {
        let w = &text[t.start..t.end];
        let cover = covered(&t);
        let empty = out.words.len() == current;
        // "Secretary of State", "Chief of Army Staff": what follows a
        // title's "of" belongs to the title.
        let title_of = i >= 2
            && t.cap
            && t.joined
            && matches!(&text[toks[i - 1].start..toks[i - 1].end], "of")
            && is_role_word(&text[toks[i - 2].start..toks[i - 2].end]);
        let name_word = !cover
            && t.cap
            && !title_of
            && !is_role_word(w)
            && !is_calendar_word(w)
            && (empty || !is_function_word(w));
        let joiner = !cover
            && !t.cap
            && is_connector(w)
            && !matches!(
                w,
                "and" | "the" | "in" | "on" | "at" | "to" | "a" | "an" | "&"
            );
        let continues = !empty && t.joined && !t.sentence_start && (name_word || joiner);
        if !continues {
            close(out, &mut current);
        }
        if name_word || (joiner && out.words.len() > current) {
            let after_role = i > 0
                && ((t.joined && is_role_word(&text[toks[i - 1].start..toks[i - 1].end]))
                    || byline_before(text, toks, i));
            out.words.push(CandidateWord {
                tok: CandidateToken::of(&t, after_role),
            });
        }
    }
    close(out, &mut current);
}

/// Does a byline or credit label come just before `toks[i]` ("By", "Reported
/// by", "Author", "photo credit:"), so that the name there is a person's?
/// Only spaces, line breaks, a colon, a dash, a bullet or a bar may come
/// between.
fn byline_before(text: &str, toks: &[Token], i: usize) -> bool {
    let Some(&prev) = i.checked_sub(1).and_then(|j| toks.get(j)) else {
        return false;
    };
    let w = &text[prev.start..prev.end];
    // Nearly every word before a name is none of the labels: its length
    // and first letter say so at once.
    if !(matches!(w.len(), 2 | 6 | 7 | 12)
        && matches!(w.as_bytes()[0] | 0x20, b'a' | b'b' | b'c' | b'p' | b'w'))
    {
        return false;
    }
    let gap = &text[prev.end..toks[i].start];
    if !gap
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '•' | '|'))
    {
        return false;
    }
    if w.eq_ignore_ascii_case("by") {
        // "By Aamir Khan" opening a line, or "Reported by Aamir Khan".
        return prev.segment_start
            || i.checked_sub(2).is_some_and(|j| {
                let v = &text[toks[j].start..toks[j].end];
                toks[j].end + 1 >= prev.start && is_byline_verb(v)
            });
    }
    with_lowercase(w, |w| {
        matches!(
            w,
            "author" | "authors" | "byline" | "credit" | "credits" | "photographer" | "writer"
        )
    })
}

/// Verbs and nouns that "by" follows in a byline: "Reported by", "Photo by".
fn is_byline_verb(w: &str) -> bool {
    with_lowercase(w, |w| {
        matches!(
            w,
            "reported"
                | "written"
                | "posted"
                | "edited"
                | "compiled"
                | "published"
                | "filed"
                | "produced"
                | "photographed"
                | "photo"
                | "photos"
                | "story"
                | "text"
                | "words"
        )
    })
}

/// A run of capitalised words that nothing matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Run {
    pub start: u32,
    pub end: u32,
    pub words: u32,
    /// Preceded by a title or role ("spokesman Ned Price").
    pub after_role: bool,
    /// Possibly an ordinary word: it may refer to a person named in full, but
    /// does not become a name of its own.
    pub weak: bool,
    /// Words of a title-case heading: weak, and one of several overlapping
    /// runs tried there ("Imran Khan" in "Imran Khan Visits Kabul").
    pub heading: bool,
    /// An inverted name ("Khan, Aamir"): the run of its given names, which
    /// follows the run of its surname (see [`Run::parts`]).
    given: Option<std::num::NonZeroU32>,
    /// Its normalised key, in [`DocRuns::keys`].
    key: Range<u32>,
}

impl Run {
    /// For an inverted name ("Khan, Aamir"), the runs of its surname and
    /// given names. Its key is a comma and the key of the name in order
    /// (",aamir khan"), so that it links only where [`resolve_names`] says
    /// that person is known.
    pub fn parts(&self) -> Option<(u32, u32)> {
        self.given.map(|y| (y.get() - 1, y.get()))
    }

    /// Its byte range in the document's text.
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The name runs of one document, with their keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocRuns {
    pub runs: Vec<Run>,
    /// Every run's key, one after another.
    keys: String,
}

impl DocRuns {
    /// Do these runs and `people` belong together, every index and key
    /// range within bounds? (What a digest read back must show before it
    /// is used.)
    pub fn fits(&self, people: &DocPeople) -> bool {
        let n = self.runs.len();
        let key_fits = |k: &Range<u32>| {
            k.start <= k.end
                && self.keys.is_char_boundary(k.start as usize)
                && self.keys.is_char_boundary(k.end as usize)
                && (k.end as usize) <= self.keys.len()
        };
        // An inverted name's key is a comma and the name's key.
        let inverted_fits = |r: &Run| {
            r.parts().is_none_or(|(x, y)| {
                x < y
                    && (y as usize) < n
                    && self.keys[r.key.start as usize..r.key.end as usize].starts_with(',')
            })
        };
        self.runs
            .iter()
            .all(|r| key_fits(&r.key) && r.start <= r.end && inverted_fits(r))
            && people.consumed.len() == n
            && people.persons.iter().all(|&i| i < n)
            && people
                .refs
                .iter()
                .all(|&(i, t, _, _)| i < n && !matches!(t, PersonTarget::Run(j) if j >= n))
    }

    /// The normalised key of `self.runs[i]`.
    pub fn key(&self, i: usize) -> &str {
        let k = &self.runs[i].key;
        &self.keys[k.start as usize..k.end as usize]
    }
}

/// The most words of a name tried inside a heading.
const MAX_HEADING_NAME_WORDS: usize = 5;

/// Trims the groups of `cands` into name runs: connectors at the ends, and
/// a common word opening a sentence, go. A heading's groups give every
/// name they may hold, all weak; and a surname, a comma and given names
/// ("Khan, Aamir") give an inverted name besides.
pub fn runs(text: &str, cands: &RunCandidates, words: &WordSets) -> DocRuns {
    let common = |w: &str| is_function_word(w) || contains_lowercased(&words.lowercase, w);
    let mut out = DocRuns::default();
    let mut scratch = String::new();
    for group in cands.groups() {
        // A block alone on its line names someone ("• Zubair Hotak")
        // unless its words are ordinary ones: then it is a heading
        // ("Related Stories", "Top Picks").
        let ordinary_block = || {
            group[0].tok.name_block()
                && !group[0].after_role()
                && group.iter().enumerate().any(|(i, c)| {
                    let w = &text[c.tok.start()..c.tok.end()];
                    c.tok.cap()
                        && !(i == 0 && is_function_word(w))
                        && (common(w) || is_generic_noun(w))
                })
        };
        if group[0].tok.heading() || ordinary_block() {
            heading_runs(text, group, &mut out, &mut scratch);
            continue;
        }
        let mut s = 0;
        while let Some(f) = group.get(s).map(|c| c.tok) {
            let w = &text[f.start()..f.end()];
            let before_connector = group.get(s + 1).is_some_and(|n| !n.tok.cap());
            if !f.cap()
                || (f.sentence_start()
                    && (common(w) || (before_connector && !words.mid_sentence.contains(w))))
                || w == "The"
            {
                s += 1;
            } else {
                break;
            }
        }
        let mut e = group.len();
        while e > s && !group[e - 1].tok.cap() {
            e -= 1;
        }
        if s >= e {
            continue;
        }
        let (first, last, n) = (group[s], group[e - 1].tok, e - s);
        let w = &text[first.tok.start()..last.end()];
        if (n == 1 && (is_demonym(w) || is_function_word(w) || w.chars().count() < 2))
            || w.chars().all(|c| !c.is_alphabetic())
            || !whole(text, first.tok.start(), last.end())
        {
            continue;
        }
        // An ordinary word, or one seen only opening sentences: it may still
        // be a short reference to a person, but never a name of its own.
        // "Jaish-e-Fursan-e-Muhammad" or "ISPR" is never an ordinary word.
        let shouted_word = !w.chars().any(char::is_lowercase) && common(w);
        let name_shaped = w.chars().skip(1).any(char::is_uppercase) && !shouted_word;
        let weak = n == 1
            && !name_shaped
            && (common(w)
                || is_generic_noun(w)
                || ((first.tok.sentence_start() || first.tok.name_block())
                    && !words.mid_sentence.contains(w)));
        let from = out.keys.len();
        key_into(w, &mut scratch, &mut out.keys);
        out.runs.push(Run {
            start: first.tok.start,
            end: last.end,
            words: n as u32,
            after_role: first.after_role(),
            weak,
            heading: false,
            given: None,
            key: from as u32..out.keys.len() as u32,
        });
    }
    inverted_runs(text, &mut out);
    out
}

/// Is `start..end` of `text` whole graphemes, ending where a word ends? A
/// run never starts after a prepended mark nor ends before a joiner, and
/// never ends where a glued word runs on ("Al-topics|Operation").
fn whole(text: &str, start: usize, end: usize) -> bool {
    is_grapheme_boundary(text, start)
        && is_grapheme_boundary(text, end)
        && text[end..].chars().next().is_none_or(|c| !is_word_char(c))
}

/// The runs of a heading's group: every stretch of up to
/// [`MAX_HEADING_NAME_WORDS`] words that starts and ends with a capitalised
/// word that is not a function word. All are weak: in a heading a capital
/// is no evidence of a name, so each links only where the name is known
/// from running text, and the longest known one wins.
fn heading_runs(text: &str, group: &[CandidateWord], out: &mut DocRuns, scratch: &mut String) {
    let word = |c: &CandidateWord| &text[c.tok.start()..c.tok.end()];
    for s in 0..group.len() {
        let first = group[s];
        if !first.tok.cap() || is_function_word(word(&first)) {
            continue;
        }
        for e in s + 1..=(s + MAX_HEADING_NAME_WORDS).min(group.len()) {
            let last = group[e - 1];
            if !last.tok.cap() || is_function_word(word(&last)) {
                continue;
            }
            let (start, end) = (first.tok.start(), last.tok.end());
            let w = &text[start..end];
            if (e - s == 1 && (is_demonym(w) || w.chars().count() < 2))
                || w.chars().all(|c| !c.is_alphabetic())
                || !whole(text, start, end)
            {
                continue;
            }
            let from = out.keys.len();
            key_into(w, scratch, &mut out.keys);
            out.runs.push(Run {
                start: start as u32,
                end: end as u32,
                words: (e - s) as u32,
                after_role: first.after_role(),
                weak: true,
                heading: true,
                given: None,
                key: from as u32..out.keys.len() as u32,
            });
        }
    }
}

/// Adds an inverted name for each surname run followed by a comma, a space
/// and a run of one or two given names ("Khan, Aamir" in a byline or a
/// citation), outside headings.
fn inverted_runs(text: &str, out: &mut DocRuns) {
    for i in 1..out.runs.len() {
        let (x, y) = (&out.runs[i - 1], &out.runs[i]);
        if x.heading
            || y.heading
            || x.given.is_some()
            || x.words != 1
            || !(1..=2).contains(&y.words)
            || y.start < x.end
            || &text[x.end as usize..y.start as usize] != ", "
        {
            continue;
        }
        let (start, end, words) = (x.start, y.end, x.words + y.words);
        let (kx, ky) = (x.key.clone(), y.key.clone());
        let from = out.keys.len();
        out.keys.push(',');
        out.keys
            .extend_from_within(ky.start as usize..ky.end as usize);
        out.keys.push(' ');
        out.keys
            .extend_from_within(kx.start as usize..kx.end as usize);
        out.runs.push(Run {
            start,
            end,
            words,
            after_role: false,
            weak: true,
            heading: false,
            given: u32::try_from(i).ok().and_then(std::num::NonZeroU32::new),
            key: from as u32..out.keys.len() as u32,
        });
    }
}

/// Whom a short reference to a person points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PersonTarget {
    Entity(EntityId),
    /// The name run of this index in the same document.
    Run(usize),
}

/// The people of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocPeople {
    /// (run, target, source, confidence): single words that refer to a
    /// person named in full.
    pub refs: Vec<(usize, PersonTarget, Source, u8)>,
    /// Per run: taken by a reference, so not a name of its own.
    pub consumed: Vec<bool>,
    /// The runs that name a person.
    pub persons: Vec<usize>,
}

/// Who is a person in one document: the knowledge base says so, or a two-
/// or three-word name whose last word is used alone in the same document,
/// or that follows a title. A surname used alone goes to the person named
/// before it.
pub fn people(text: &str, found: &[Found], runs: &DocRuns, entities: &[Entity]) -> DocPeople {
    // Surname -> (where the full name appears, target). The surname is the
    // last word of the text and of the entity's own name ("Mullah
    // Hibatullah" is Hibatullah Akhundzada).
    let mut surnames: Vec<(&str, usize, PersonTarget)> = Vec::new();
    for f in found {
        let entity = &entities[f.target.entity as usize];
        if entity.kind != Kind::Person {
            continue;
        }
        let matched = &text[f.start..f.end];
        let mut lasts: Vec<&str> = Vec::new();
        if matched.contains(' ') {
            lasts.extend(matched.split([' ', '\u{A0}']).next_back());
        }
        if entity.name.contains(' ') {
            lasts.extend(entity.name.split(' ').next_back());
        }
        for last in lasts {
            if last.chars().count() >= 3 && last.chars().next().is_some_and(char::is_uppercase) {
                surnames.push((last, f.end, PersonTarget::Entity(f.target.entity)));
            }
        }
    }
    // Heading runs overlap and say nothing by their capitals, unless a
    // byline label comes before them ("photo credit: Sana Mirza");
    // inverted names are judged corpus-wide.
    let plain = |r: &&Run| !r.heading && r.given.is_none();
    let evidence = |r: &&Run| plain(r) || (r.heading && r.after_role);
    let singles: HashSet<&str> = runs
        .runs
        .iter()
        .filter(plain)
        .filter(|r| r.words == 1)
        .map(|r| &text[r.span()])
        .collect();
    let mut persons = Vec::new();
    for (i, r) in runs.runs.iter().enumerate() {
        let name = &text[r.span()];
        if evidence(&r) && (2..=3).contains(&r.words) && looks_like_person(name) {
            let last = name.split(' ').next_back().unwrap_or("");
            if r.after_role || singles.contains(last) {
                persons.push(i);
                surnames.push((last, r.end as usize, PersonTarget::Run(i)));
            }
        }
    }
    let index = SurnameIndex::new(&surnames);
    let mut refs = Vec::new();
    let mut consumed = vec![false; runs.runs.len()];
    for (i, r) in runs.runs.iter().enumerate() {
        if r.words != 1 {
            continue;
        }
        if let Some((t, s, c)) = index.resolve(&text[r.span()], r.start as usize) {
            refs.push((i, t, s, c));
            consumed[i] = true;
        }
    }
    DocPeople {
        refs,
        consumed,
        persons,
    }
}

/// How each name key is linked: (entity, source, confidence).
/// The keys are the name runs' own, each kept once, so that the runs can
/// be let go, a window of documents at a time, as their mentions are made.
pub type Resolved = HashMap<Box<str>, (EntityId, Source, u8)>;

/// Links the names left across the corpus: a "Pak-" prefix of a known
/// name, a spelled-out abbreviation, a spelling variant of a known name, or
/// else a new entity (a person when some document says so). Names are
/// taken most frequent first. New entities are appended to `entities`,
/// their ids to `ids`.
#[allow(clippy::too_many_arguments)]
pub fn resolve_names<'a>(
    docs: &[Document],
    runs: &'a [DocRuns],
    people: &[DocPeople],
    entities: &mut Vec<Entity>,
    ids: &mut HashSet<String>,
    kb_keys: &HashMap<String, EntityId>,
    derived: &HashMap<String, EntityId>,
    kb_len: usize,
) -> Resolved {
    let person_runs: HashSet<&str> = runs
        .par_iter()
        .zip(people)
        .fold(HashSet::default, |mut set: HashSet<&str>, (dr, p)| {
            set.extend(p.persons.iter().map(|&i| dr.key(i)));
            set
        })
        .reduce(HashSet::default, |mut a, b| {
            a.extend(b);
            a
        });

    // key -> (count, first run as (document, run)).
    let mut freq: HashMap<&str, (usize, (usize, usize))> = HashMap::default();
    for (d, (dr, p)) in runs.iter().zip(people).enumerate() {
        for (i, r) in dr.runs.iter().enumerate() {
            if p.consumed[i] || r.weak {
                continue;
            }
            freq.entry(dr.key(i)).or_insert((0, (d, i))).0 += 1;
        }
    }
    // Inverted names ("Khan, Aamir") of people known by name: their parts
    // are not names of their own.
    let mut inverted: Vec<(&'a str, Option<EntityId>)> = Vec::new();
    for (d, (dr, p)) in runs.iter().zip(people).enumerate() {
        // Inverted names are rare: a text is read only for one.
        if dr.runs.iter().all(|r| r.given.is_none()) {
            continue;
        }
        let text = docs[d].text.fetch();
        let part = |j: usize| text.get(dr.runs[j].span()).unwrap_or("");
        let mut given: Vec<&str> = Vec::new();
        for (i, r) in dr.runs.iter().enumerate() {
            let Some((x, y)) = r.parts().map(|(x, y)| (x as usize, y as usize)) else {
                continue;
            };
            let k = dr.key(i);
            let normal = &k[1..];
            let kb = kb_keys
                .get(normal)
                .copied()
                .filter(|&e| entities[e as usize].kind == Kind::Person);
            let known = kb.is_some()
                || (freq.contains_key(normal) && {
                    given.clear();
                    given.extend(part(y).split([' ', '\u{A0}']));
                    given.push(part(x));
                    person_runs.contains(normal) || looks_like_person_words(&given)
                });
            if !known {
                continue;
            }
            inverted.push((k, kb));
            for j in [x, y] {
                if p.consumed[j] || dr.runs[j].weak {
                    continue;
                }
                if let std::collections::hash_map::Entry::Occupied(mut o) = freq.entry(dr.key(j)) {
                    o.get_mut().0 -= 1;
                    if o.get().0 == 0 {
                        o.remove();
                    }
                }
            }
        }
    }
    let mut order: Vec<(&str, usize, (usize, usize))> = freq
        .into_iter()
        .map(|(k, (n, first))| (k, n, first))
        .collect();
    // Keys are distinct, so the order is total.
    order.par_sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // Variants of known names, then new names, most frequent first.
    let mut variants = VariantIndex::with_capacity(kb_keys.len());
    for (k, &e) in kb_keys {
        variants.add(k, e);
    }
    // Forms derived from the names ("Pakistani Taliban") come after the
    // names themselves, in a fixed order.
    let mut derived: Vec<(&String, &EntityId)> = derived.iter().collect();
    derived.sort_unstable();
    for &(k, &e) in &derived {
        variants.add(k, e);
    }
    let mut known: HashMap<String, EntityId> = kb_keys.clone();
    for (k, &e) in derived {
        known.entry(k.clone()).or_insert(e);
    }
    for (i, e) in entities.iter().enumerate().skip(kb_len) {
        for a in std::iter::once(&e.name).chain(&e.aliases) {
            let k = key(a);
            variants.add(&k, i as EntityId);
            known.entry(k).or_insert(i as EntityId);
        }
    }
    // Every name's variants among the known names and among the names
    // ranked before it, found in parallel; which of those earlier names
    // become names of their own is decided below, in rank order.
    let keys: Vec<&str> = order.iter().map(|o| o.0).collect();
    let ranked = RankedNames::new(&keys);
    let lookups: Vec<(Hits, Earlier)> = (0..keys.len())
        .into_par_iter()
        .map(|rank| (variants.hits(keys[rank]), ranked.earlier(rank)))
        .collect();
    drop((ranked, variants));
    // Names written glued ("PakArmy") or apart ("Pak Army"): the known
    // names first, in a fixed order, then each name as it is linked.
    // Keyed by the hash of the name without its spaces, holding the name
    // itself (borrowed, so a large corpus copies no name) to check a hit:
    // where two names share a hash, the first keeps it.
    let mut glued: HashMap<u64, (&str, EntityId, usize)> = HashMap::default();
    let mut known_sorted: Vec<(&String, &EntityId)> = known.iter().collect();
    known_sorted.sort_unstable();
    let mut glued_probe = String::new();
    for (k, &e) in known_sorted {
        if let Some(g) = glued_key(k, &mut glued_probe) {
            glued
                .entry(FxBuildHasher.hash_one(g))
                .or_insert((k.as_str(), e, k.split(' ').count()));
        }
    }
    let glued_get = |glued: &HashMap<u64, (&str, EntityId, usize)>, g: &str| {
        glued
            .get(&FxBuildHasher.hash_one(g))
            .filter(|(name, _, _)| name.chars().filter(|c| *c != ' ').eq(g.chars()))
            .map(|&(_, e, n)| (e, n))
    };
    // New entities are named, and given ids, once all are known: their
    // names are read a document at a time (see `name_new`).
    let first_new = entities.len();
    let mut unnamed: Vec<(usize, usize)> = Vec::new();
    let mut entity_of: Vec<Option<EntityId>> = vec![None; keys.len()];
    let mut resolved: HashMap<&'a str, (EntityId, Source, u8)> = HashMap::default();
    let mut name_entity: HashMap<&str, EntityId> = HashMap::default();
    let mut probe = String::new();
    for (rank, ((k, _, first), (hits, earlier))) in order.into_iter().zip(&lookups).enumerate() {
        // "Pak-ISI" is the ISI.
        let prefixed = k
            .strip_prefix("pak ")
            .and_then(|rest| name_entity.get(rest).or_else(|| kb_keys.get(rest)).copied());
        if let Some(e) = prefixed {
            resolved.insert(k, (e, Source::Rule, LEARNED_CONFIDENCE));
            continue;
        }
        // "ISIS-Khorasan" spelled out from a known "ISIS-K".
        if let Some((head, last)) = k.rsplit_once(' ')
            && last.chars().count() >= 4
            && let Some(initial) = last.chars().next()
        {
            probe.clear();
            probe.push_str(head);
            probe.push(' ');
            probe.push(initial);
            if let Some(&e) = known.get(probe.as_str()) {
                resolved.insert(k, (e, Source::Variant, 70));
                continue;
            }
        }
        let words = k.split(' ').count();
        if let Some((e, n)) = glued_key(k, &mut glued_probe).and_then(|g| glued_get(&glued, g))
            && n != words
        {
            resolved.insert(k, (e, Source::Variant, GLUED_CONFIDENCE));
            continue;
        }
        // A variant is a suggestion: it is not added to the entity's
        // aliases until a person accepts it.
        let target = match earlier.first(hits, &entity_of) {
            Some((e, conf)) => (e, Source::Variant, conf),
            None => {
                let kind = if person_runs.contains(k) {
                    Kind::Person
                } else {
                    Kind::Other
                };
                unnamed.push(first);
                entities.push(Entity {
                    id: String::new(),
                    name: String::new(),
                    kind,
                    aliases: Vec::new(),
                    description: None,
                    external: Default::default(),
                    facts: Default::default(),
                });
                let e = (entities.len() - 1) as EntityId;
                name_entity.insert(k, e);
                entity_of[rank] = Some(e);
                (e, Source::Name, NAME_CONFIDENCE)
            }
        };
        if let Some(g) = glued_key(k, &mut glued_probe) {
            glued
                .entry(FxBuildHasher.hash_one(g))
                .or_insert((k, target.0, words));
        }
        resolved.insert(k, target);
    }
    name_new(docs, runs, &unnamed, &mut entities[first_new..], ids);
    for (k, kb) in inverted {
        let normal = &k[1..];
        if let Some(e) = kb.or_else(|| resolved.get(normal).map(|t| t.0)) {
            resolved.insert(k, (e, Source::Person, PERSON_CONFIDENCE));
        }
    }
    resolved.into_iter().map(|(k, v)| (k.into(), v)).collect()
}

/// Names each of `new` (new entities, in the order they were made) by the
/// text of its name's first run, `first[i]` as (document, run), and gives
/// it a unique id made from that name (added to `ids`), in order. Each
/// document is read once.
fn name_new(
    docs: &[Document],
    runs: &[DocRuns],
    first: &[(usize, usize)],
    new: &mut [Entity],
    ids: &mut HashSet<String>,
) {
    let mut wanted: Vec<(usize, usize, usize)> = first
        .iter()
        .enumerate()
        .map(|(e, &(d, i))| (d, i, e))
        .collect();
    wanted.sort_unstable();
    // On this thread: read on every core, the texts left more memory
    // behind in the workers' arenas (about 100 MB at 100,000 articles) than
    // the reads took time.
    for same_doc in wanted.chunk_by(|a, b| a.0 == b.0) {
        let d = same_doc[0].0;
        let text = docs[d].text.fetch();
        for &(_, i, e) in same_doc {
            if let Some(entity) = new.get_mut(e) {
                entity.name = text.get(runs[d].runs[i].span()).unwrap_or("").to_string();
            }
        }
    }
    for entity in new {
        let id = unique_id(&entity.name, |c| ids.contains(c));
        ids.insert(id.clone());
        entity.id = id;
    }
}

/// The confidence of a name written glued that is known apart, or the
/// other way round.
const GLUED_CONFIDENCE: u8 = 80;

/// A name's key without its spaces, written in `buf`, when it has enough
/// letters to tell one name ("pakarmy" for "Pak Army" and "PakArmy").
fn glued_key<'b>(k: &str, buf: &'b mut String) -> Option<&'b str> {
    if k.len() < 6 || !k.chars().all(|c| c.is_alphanumeric() || c == ' ') {
        return None;
    }
    buf.clear();
    buf.extend(k.chars().filter(|c| *c != ' '));
    (buf.chars().filter(|c| c.is_alphabetic()).count() >= 6).then_some(buf.as_str())
}

/// Does a run of two or three words read like a personal name?
fn looks_like_person(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    looks_like_person_words(&words)
}

/// [`looks_like_person`] of a name's words.
fn looks_like_person_words(words: &[&str]) -> bool {
    words.iter().all(|w| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase)
            && cs.clone().any(char::is_lowercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
            && !matches!(guess_kind(w), Kind::Group | Kind::Event | Kind::Place)
    }) && !words.first().is_some_and(|w| is_demonym(w))
        && !matches!(
            words.last().map(|w| w.to_lowercase()).as_deref(),
            Some(
                "party"
                    | "league"
                    | "army"
                    | "council"
                    | "committee"
                    | "ministry"
                    | "department"
                    | "agency"
                    | "university"
                    | "forum"
                    | "centre"
                    | "center"
                    | "institute"
                    | "organization"
                    | "organisation"
                    | "times"
                    | "post"
                    | "news"
                    | "line"
                    | "group"
                    | "house"
                    | "office"
                    | "assembly"
                    | "court"
                    | "bank"
                    | "fund"
                    | "gate"
                    | "airport"
                    | "mosque"
                    | "school"
                    | "hotel"
                    | "road"
                    | "street"
                    | "bridge"
                    | "river"
                    | "valley"
            )
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::tokens::tokens_in;

    #[test]
    fn candidates_and_runs_are_held_small_and_keep_their_flags() {
        assert_eq!(std::mem::size_of::<CandidateWord>(), 12);
        assert!(std::mem::size_of::<Run>() <= 28);
        let text = "PESHAWAR: Police said spokesman Ned Price met Khan, Aamir.\n• Zubair Hotak\n";
        let toks = tokens_in(text, 0..text.len());
        let mut cands = RunCandidates::default();
        candidates(text, &toks, &[], &mut cands);
        let word = |c: &CandidateWord| &text[c.tok.start()..c.tok.end()];
        for c in &cands.words {
            let t = toks.iter().find(|t| t.start == c.tok.start()).unwrap();
            assert_eq!(
                (
                    c.tok.cap(),
                    c.tok.sentence_start(),
                    c.tok.name_block(),
                    c.tok.heading()
                ),
                (t.cap, t.sentence_start, t.name_block, t.heading),
                "{}",
                word(c)
            );
        }
        let ned = cands.words.iter().find(|c| word(c) == "Ned").unwrap();
        assert!(ned.after_role());
        let police = cands.words.iter().find(|c| word(c) == "Police").unwrap();
        assert!(!police.after_role());
        let zubair = cands.words.iter().find(|c| word(c) == "Zubair").unwrap();
        assert!(zubair.tok.name_block());

        let runs = runs(text, &cands, &WordSets::default());
        let inverted: Vec<(&str, &str)> = runs
            .runs
            .iter()
            .filter_map(|r| {
                let (x, y) = r.parts()?;
                Some((
                    &text[runs.runs[x as usize].span()],
                    &text[runs.runs[y as usize].span()],
                ))
            })
            .collect();
        assert_eq!(inverted, vec![("Khan", "Aamir")]);

        // What a digest read back must show before it is used.
        let people = people(text, &[], &runs, &[]);
        assert!(runs.fits(&people));
        let mut short = people.clone();
        short.consumed.pop();
        assert!(!runs.fits(&short), "a flag per run");
        let at = runs.runs.iter().position(|r| r.given.is_some()).unwrap();
        let mut bare = runs.clone();
        bare.runs[at].key.start += 1;
        assert!(
            !bare.fits(&people),
            "an inverted name's key starts with a comma"
        );
        let mut past = runs.clone();
        past.runs[at].key.end = past.keys.len() as u32 + 1;
        assert!(!past.fits(&people), "a key within the keys");
        let mut dangling = people.clone();
        dangling
            .refs
            .push((0, PersonTarget::Run(runs.runs.len()), Source::Person, 90));
        assert!(!runs.fits(&dangling), "a reference to a run there is");
    }
}
