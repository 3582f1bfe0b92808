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
use super::normalize::{key, key_into};
use super::stage_learn::{LEARNED_CONFIDENCE, guess_kind};
use super::tokens::Token;
use super::tokens::{WordSets, contains_lowercased};
use super::unique_id;
use super::variants::{Earlier, Hits, RankedNames, SurnameIndex, VariantIndex};
use super::{Entity, EntityId, Kind, Source};
use crate::corpus::Document;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

/// Confidence of a name that nothing else explains.
const NAME_CONFIDENCE: u8 = 60;

/// A word of a name candidate.
#[derive(Debug, Clone, Copy)]
pub struct CandidateWord {
    tok: Token,
    /// Only spaces follow a title or role ("spokesman Ned Price").
    after_role: bool,
}

/// The capitalised words of one document that no match covers, in groups
/// of consecutive words that may form one name.
#[derive(Debug, Clone, Default)]
pub struct RunCandidates {
    words: Vec<CandidateWord>,
    /// Where each group ends in `words`.
    ends: Vec<usize>,
}

impl RunCandidates {
    fn groups(&self) -> impl Iterator<Item = &[CandidateWord]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
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
            out.ends.push(out.words.len());
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
            let after_role =
                i > 0 && t.joined && is_role_word(&text[toks[i - 1].start..toks[i - 1].end]);
            out.words.push(CandidateWord { tok: t, after_role });
        }
    }
    close(out, &mut current);
}

/// A run of capitalised words that nothing matched.
#[derive(Debug, Clone)]
pub struct Run {
    pub start: usize,
    pub end: usize,
    pub words: usize,
    /// Preceded by a title or role ("spokesman Ned Price").
    pub after_role: bool,
    /// Possibly an ordinary word: it may refer to a person named in full, but
    /// does not become a name of its own.
    pub weak: bool,
    /// Its normalised key, in [`DocRuns::keys`].
    key: Range<usize>,
}

/// The name runs of one document, with their keys.
#[derive(Debug, Clone, Default)]
pub struct DocRuns {
    pub runs: Vec<Run>,
    /// Every run's key, one after another.
    keys: String,
}

impl DocRuns {
    /// The normalised key of `self.runs[i]`.
    pub fn key(&self, i: usize) -> &str {
        &self.keys[self.runs[i].key.clone()]
    }
}

/// Trims the groups of `cands` into name runs: connectors at the ends, and
/// a common word opening a sentence, go.
pub fn runs(text: &str, cands: &RunCandidates, words: &WordSets) -> DocRuns {
    let common = |w: &str| is_function_word(w) || contains_lowercased(&words.lowercase, w);
    let mut out = DocRuns::default();
    let mut scratch = String::new();
    for group in cands.groups() {
        let mut s = 0;
        while let Some(f) = group.get(s).map(|c| c.tok) {
            let w = &text[f.start..f.end];
            let before_connector = group.get(s + 1).is_some_and(|n| !n.tok.cap);
            if !f.cap
                || (f.sentence_start
                    && (common(w) || (before_connector && !words.mid_sentence.contains(w))))
                || w == "The"
            {
                s += 1;
            } else {
                break;
            }
        }
        let mut e = group.len();
        while e > s && !group[e - 1].tok.cap {
            e -= 1;
        }
        if s >= e {
            continue;
        }
        let (first, last, n) = (group[s], group[e - 1].tok, e - s);
        let w = &text[first.tok.start..last.end];
        if (n == 1 && (is_demonym(w) || is_function_word(w) || w.chars().count() < 2))
            || w.chars().all(|c| !c.is_alphabetic())
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
                || (first.tok.sentence_start && !words.mid_sentence.contains(w)));
        let from = out.keys.len();
        key_into(w, &mut scratch, &mut out.keys);
        out.runs.push(Run {
            start: first.tok.start,
            end: last.end,
            words: n,
            after_role: first.after_role,
            weak,
            key: from..out.keys.len(),
        });
    }
    out
}

/// Whom a short reference to a person points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonTarget {
    Entity(EntityId),
    /// The name run of this index in the same document.
    Run(usize),
}

/// The people of one document.
#[derive(Debug, Clone, Default)]
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
    let singles: HashSet<&str> = runs
        .runs
        .iter()
        .filter(|r| r.words == 1)
        .map(|r| &text[r.start..r.end])
        .collect();
    let mut persons = Vec::new();
    for (i, r) in runs.runs.iter().enumerate() {
        let name = &text[r.start..r.end];
        if (2..=3).contains(&r.words) && looks_like_person(name) {
            let last = name.split(' ').next_back().unwrap_or("");
            if r.after_role || singles.contains(last) {
                persons.push(i);
                surnames.push((last, r.end, PersonTarget::Run(i)));
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
        if let Some((t, s, c)) = index.resolve(&text[r.start..r.end], r.start) {
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
pub type Resolved<'a> = HashMap<&'a str, (EntityId, Source, u8)>;

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
    kb_len: usize,
) -> Resolved<'a> {
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
    let mut known: HashMap<String, EntityId> = kb_keys.clone();
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
    let mut entity_of: Vec<Option<EntityId>> = vec![None; keys.len()];
    let mut resolved: Resolved<'a> = HashMap::default();
    let mut name_entity: HashMap<&str, EntityId> = HashMap::default();
    let mut probe = String::new();
    for (rank, ((k, _, (d, i)), (hits, earlier))) in order.into_iter().zip(&lookups).enumerate() {
        let r = &runs[d].runs[i];
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
                let text: &str = &docs[d].text;
                let name = text[r.start..r.end].to_string();
                let id = unique_id(&name, |c| ids.contains(c));
                ids.insert(id.clone());
                entities.push(Entity {
                    id,
                    name,
                    kind,
                    aliases: Vec::new(),
                    description: None,
                    external: Default::default(),
                });
                let e = (entities.len() - 1) as EntityId;
                name_entity.insert(k, e);
                entity_of[rank] = Some(e);
                (e, Source::Name, NAME_CONFIDENCE)
            }
        };
        resolved.insert(k, target);
    }
    resolved
}

/// Does a run of two or three words read like a personal name?
fn looks_like_person(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
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
