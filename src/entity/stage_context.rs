//! Stage: decisions that a document's context makes, per document, on the
//! matches of the knowledge base (called by the match stage, before names
//! are sought in the words no match covers).
//!
//! - A name that several entities share ("Haqqani": a person or the
//!   network; a KB alias listed as `ambiguous`) goes to the entity that the
//!   words and entities around it point to, or else to the entity whose
//!   plain alias it is (the bare-name fallback).
//! - A generic name of a body ("Interior Ministry", "the Supreme Court")
//!   goes to the body of the country that the document, or the word before
//!   it ("Afghan Interior Ministry"), implies; when none is known the words
//!   are left to the name stage.
//! - An event named by description ("2016 Quetta hospital bombing", "the
//!   hospital attack in Quetta", "twin suicide bombings at Quetta") links
//!   to the one event of the knowledge base whose place, date and type fit.
//!
//! Every decision is marked [`Source::Context`]; [`explain`] tells the
//! evidence again for one mention. Each mention looks at a bounded window
//! around it, so a document costs time linear in its length.

use super::discover::{is_demonym, is_function_word, is_role_word};
use super::forms::demonyms;
use super::matcher::{Found, Link, boundary_ok};
use super::normalize::{is_word_char, key, key_into};
use super::{Entity, EntityId, Kind, Source};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::borrow::Cow;

/// How far either side of a mention its context reaches, in bytes (cut at
/// paragraph breaks).
const WINDOW: usize = 500;

/// The confidence of a name decided by the words around it.
const CONTEXT_CONFIDENCE: u8 = 85;
/// The confidence of a generic name resolved by the document's country.
const GENERIC_CONFIDENCE: u8 = 90;
/// The confidence of an event named by its place, year and type.
const EVENT_CONFIDENCE: u8 = 90;

/// What the knowledge base says that context decisions need: built once
/// from its entities.
#[derive(Debug, Default, Clone)]
pub struct Context {
    /// Per entity: the country it belongs to (a country is its own).
    country_of: Vec<Option<EntityId>>,
    /// Per entity: is it a group? (Compact, for a test on every match.)
    is_group: Vec<bool>,
    /// Normalised names that context decides, with their choices.
    choices: HashMap<String, Choices>,
    /// Per entity that is a choice somewhere: its cue words, in lower case.
    cues: HashMap<EntityId, Vec<String>>,
    /// A country's demonym ("afghan") -> the country.
    demonym_country: HashMap<String, EntityId>,
    /// A place -> the events there.
    events_at: HashMap<EntityId, Vec<EntityId>>,
    /// Per event of `events_at`: what it is.
    events: HashMap<EntityId, EventFacts>,
}

/// The entities a name may stand for.
#[derive(Debug, Default, Clone)]
struct Choices {
    /// The entity whose own name or alias it is: the link when context
    /// says nothing.
    fallback: Option<EntityId>,
    /// Every entity it may name, the fallback first.
    any: Vec<EntityId>,
    /// Bodies it names in their country ("Interior Ministry").
    generic: Vec<EntityId>,
}

#[derive(Debug, Default, Clone)]
struct EventFacts {
    year: Option<u16>,
    event_type: Option<String>,
    /// The words of its names, in lower case.
    words: HashSet<String>,
}

/// The lower-case words of `s`.
fn lower_words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The names and aliases of an entity.
fn names(e: &Entity) -> impl Iterator<Item = &String> {
    std::iter::once(&e.name).chain(&e.aliases)
}

impl Context {
    /// What `entities` (the knowledge base's) tell.
    pub fn new(entities: &[Entity]) -> Self {
        let by_id: HashMap<&str, EntityId> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i as EntityId))
            .collect();
        let mut ctx = Context {
            country_of: vec![None; entities.len()],
            is_group: entities.iter().map(|e| e.kind == Kind::Group).collect(),
            ..Default::default()
        };
        for (i, e) in entities.iter().enumerate() {
            if let Some(c) = e.facts.country.as_deref().and_then(|c| by_id.get(c)) {
                ctx.country_of[i] = Some(*c);
                ctx.country_of[*c as usize] = Some(*c);
                for name in names(&entities[*c as usize]) {
                    for d in demonyms(name) {
                        ctx.demonym_country.insert(d.to_lowercase(), *c);
                    }
                }
            }
        }
        // Places inside a country vote for it too.
        for (i, e) in entities.iter().enumerate() {
            if ctx.country_of[i].is_none()
                && e.kind == Kind::Place
                && let Some(c) = e.facts.place.as_deref().and_then(|p| by_id.get(p))
            {
                ctx.country_of[i] = ctx.country_of[*c as usize];
            }
        }
        // Who owns each name plainly, and who shares it on purpose.
        let mut owners: HashMap<String, Vec<EntityId>> = HashMap::default();
        for (i, e) in entities.iter().enumerate() {
            for n in names(e) {
                let list = owners.entry(key(n)).or_default();
                if !list.contains(&(i as EntityId)) {
                    list.push(i as EntityId);
                }
            }
        }
        for (i, e) in entities.iter().enumerate() {
            for a in &e.facts.ambiguous {
                let k = key(a);
                let c = ctx.choices.entry(k.clone()).or_default();
                if c.any.is_empty() {
                    c.any = owners.get(&k).cloned().unwrap_or_default();
                    c.fallback = c.any.first().copied();
                }
                if !c.any.contains(&(i as EntityId)) {
                    c.any.push(i as EntityId);
                }
            }
        }
        for (k, list) in &owners {
            if list.len() > 1 && !ctx.choices.contains_key(k) {
                ctx.choices.insert(
                    k.clone(),
                    Choices {
                        fallback: list.first().copied(),
                        any: list.clone(),
                        generic: Vec::new(),
                    },
                );
            }
        }
        for (i, e) in entities.iter().enumerate() {
            if ctx.country_of[i].is_none() {
                continue;
            }
            for g in &e.facts.generic {
                let k = key(g);
                let c = ctx.choices.entry(k.clone()).or_insert_with(|| Choices {
                    fallback: owners.get(&k).and_then(|l| l.first().copied()),
                    any: owners.get(&k).cloned().unwrap_or_default(),
                    generic: Vec::new(),
                });
                if !c.generic.contains(&(i as EntityId)) {
                    c.generic.push(i as EntityId);
                }
            }
        }
        // Cue words: the words of a choice's other names that the shared
        // name lacks ("network" for the Haqqani Network).
        let mut cue_of: Vec<(EntityId, HashSet<String>)> = Vec::new();
        for (k, c) in &ctx.choices {
            let shared: HashSet<&str> = k.split(' ').collect();
            for &e in &c.any {
                let mut cues: HashSet<String> = HashSet::default();
                for n in names(&entities[e as usize]) {
                    for w in lower_words(n) {
                        if w.chars().count() >= 4
                            && !shared.contains(w.as_str())
                            && !is_function_word(&w)
                        {
                            cues.insert(w);
                        }
                    }
                }
                cue_of.push((e, cues));
            }
        }
        for (e, cues) in cue_of {
            let list = ctx.cues.entry(e).or_default();
            for w in cues {
                if !list.contains(&w) {
                    list.push(w);
                }
            }
            list.sort();
        }
        // Events with a place.
        for (i, e) in entities.iter().enumerate() {
            if e.kind != Kind::Event {
                continue;
            }
            let Some(&p) = e.facts.place.as_deref().and_then(|p| by_id.get(p)) else {
                continue;
            };
            ctx.events_at.entry(p).or_default().push(i as EntityId);
            let year = e
                .facts
                .date
                .as_deref()
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse().ok());
            let words = names(e).flat_map(|n| lower_words(n)).collect();
            ctx.events.insert(
                i as EntityId,
                EventFacts {
                    year,
                    event_type: e.facts.event_type.clone(),
                    words,
                },
            );
        }
        ctx
    }

    /// Is `k` a name that context decides?
    pub fn decides(&self, k: &str) -> bool {
        self.choices.contains_key(k)
    }

    /// The bodies that a generic name `k` may be.
    pub fn generic_bodies(&self, k: &str) -> &[EntityId] {
        self.choices.get(k).map_or(&[], |c| &c.generic[..])
    }
}

/// Why a mention was linked as it was by context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    /// Words and entities around it point to the entity: what was seen.
    Cues(Vec<String>),
    /// The body of this country, implied by the document or the word before.
    Country { country: EntityId, local: bool },
    /// An event with these facts.
    Event {
        place: EntityId,
        year: Option<u16>,
        words: Vec<String>,
    },
    /// A group named earlier in the same paragraph by a name that holds
    /// this one.
    NamedBefore(EntityId),
}

impl Evidence {
    /// The evidence in words, for the reader.
    pub fn describe(&self, entities: &[Entity]) -> String {
        let name = |e: &EntityId| {
            entities
                .get(*e as usize)
                .map_or("?", |e| e.name.as_str())
                .to_string()
        };
        match self {
            Evidence::Cues(seen) => {
                format!("decided by the article's context: {}", seen.join(", "))
            }
            Evidence::Country { country, local } => format!(
                "the body of {}, {}",
                name(country),
                if *local {
                    "the country named just before it"
                } else {
                    "the article's country"
                }
            ),
            Evidence::Event { place, year, words } => {
                let mut s = format!("the event at {}", name(place));
                if let Some(y) = year {
                    s.push_str(&format!(" in {y}"));
                }
                if !words.is_empty() {
                    let quoted: Vec<String> = words.iter().map(|w| format!("“{w}”")).collect();
                    s.push_str(&format!(", named by {}", quoted.join(", ")));
                }
                s
            }
            Evidence::NamedBefore(e) => {
                format!("{} was named earlier in the paragraph", name(e))
            }
        }
    }
}

/// Context decisions of one document: `found` (sorted, disjoint) is
/// changed in place. Matches marked [`Source::Context`] are decided or, if
/// nothing decides them and no entity owns them plainly, dropped.
pub fn resolve(text: &str, found: &mut Vec<Found>, ctx: &Context, entities: &[Entity]) {
    if found.is_empty() {
        return;
    }
    // Most documents have no shared or generic name: nothing to decide.
    if found.iter().any(|f| f.target.source == Source::Context) {
        let decided = decide_names(text, found, ctx, entities);
        let mut out: Vec<Found> = Vec::with_capacity(found.len());
        for (f, d) in found.iter().zip(decided) {
            match d {
                Some((f2, _)) => out.push(f2),
                None if f.target.source == Source::Context => {}
                None => out.push(*f),
            }
        }
        *found = out;
    }
    if !ctx.events_at.is_empty() {
        events(text, found, ctx);
    }
    narrow_bare_groups(text, found, ctx, entities);
}

/// Words before a group's name that say it is the parent of another
/// ("an affiliate of Islamic State", "loyal to the Taliban").
fn is_parent_cue(w: &str) -> bool {
    matches!(
        w,
        "affiliate"
            | "affiliates"
            | "branch"
            | "branches"
            | "wing"
            | "offshoot"
            | "splinter"
            | "faction"
            | "factions"
            | "chapter"
            | "franchise"
            | "loyal"
            | "allegiance"
            | "parent"
            | "core"
            | "central"
            | "mother"
            | "global"
    )
}

/// A group's bare name ("Taliban", "Islamic State") after a paragraph has
/// named one group whose name holds it ("Afghan Taliban", "Tehrik-i-Taliban
/// Pakistan", "Islamic State Khorasan Province") is that group: the one
/// named earlier in its paragraph, in an earlier sentence. Where two such groups are named, or words around it
/// say it is a parent ("an affiliate of Islamic State"), the bare name
/// keeps its own entity.
fn narrow_bare_groups(text: &str, found: &mut [Found], ctx: &Context, entities: &[Entity]) {
    let group = |f: &Found| {
        let e = f.target.entity as usize;
        f.target.source != Source::Context
            && match ctx.is_group.get(e) {
                Some(&g) => g,
                None => entities.get(e).is_some_and(|e| e.kind == Kind::Group),
            }
    };
    // The words of a match, as written.
    let words = |f: &Found| {
        text[f.start..f.end]
            .split(super::normalize::is_dash_or_space)
            .filter(|w| !w.is_empty())
    };
    // The longer names of groups, in order of their ends.
    let longer: Vec<usize> = (0..found.len())
        .filter(|&i| group(&found[i]) && words(&found[i]).nth(1).is_some())
        .collect();
    if longer.is_empty() {
        return;
    }
    for i in 0..found.len() {
        let f = found[i];
        if f.target.source != Source::Kb || !group(&f) {
            continue;
        }
        let n = words(&f).count();
        if n > 3 {
            continue;
        }
        // Does the longer name `g` hold this one's words, in a row?
        let holds = |g: &Found| {
            let ws: Vec<&str> = words(g).collect();
            ws.len() > n
                && ws.windows(n).any(|w| {
                    w.iter()
                        .zip(words(&f))
                        .all(|(a, b)| super::normalize::same_word(a, b))
                })
        };
        // The names before it within the window's reach, in an earlier
        // sentence: one sentence that names "the Taliban" and "the TTP"
        // names two groups.
        let reach = f.start.saturating_sub(WINDOW);
        let from = longer.partition_point(|&j| found[j].end < reach);
        let to = longer.partition_point(|&j| found[j].end <= f.start);
        let mut candidates: Vec<(usize, EntityId)> = Vec::new();
        for &j in &longer[from..to.max(from)] {
            let g = &found[j];
            if g.target.entity == f.target.entity
                || !text.as_bytes()[g.end..f.start]
                    .iter()
                    .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
                || !holds(g)
            {
                continue;
            }
            // The latest name of each group.
            match candidates.iter_mut().find(|c| c.1 == g.target.entity) {
                Some(c) => c.0 = g.end,
                None => candidates.push((g.end, g.target.entity)),
            }
        }
        if candidates.is_empty() {
            continue;
        }
        // The paragraph alone decides: across paragraphs an article moves
        // from one group to another ("the TTP ... the Taliban regime in
        // Kabul").
        let (lo, _) = window(text, f.start, f.end);
        candidates.retain(|c| c.0 >= lo);
        let [(_, chosen)] = candidates[..] else {
            continue;
        };
        let prev_end = if i > 0 { found[i - 1].end } else { 0 };
        let next_start = found.get(i + 1).map_or(text.len(), |g| g.start);
        let before = words_before(text, prev_end, f.start, 3);
        let after = words_after(text, f.end, next_start, 2);
        let parent = before.iter().chain(&after).any(|w| is_parent_cue(&w.lower))
            || text[f.end..].starts_with("'s")
            || text[f.end..].starts_with("’s");
        if parent {
            continue;
        }
        let g = &mut found[i];
        g.target.entity = chosen;
        g.target.source = Source::Context;
        g.target.confidence = CONTEXT_CONFIDENCE;
    }
}

/// The decision for each match of `found`: the match as it should stand,
/// with its evidence; `None` for a match of a shared name that nothing
/// decides and no one owns.
fn decide_names(
    text: &str,
    found: &[Found],
    ctx: &Context,
    entities: &[Entity],
) -> Vec<Option<(Found, Option<Evidence>)>> {
    let mut doc_country: Option<Option<EntityId>> = None;
    let mut in_doc: Option<HashSet<EntityId>> = None;
    let mut out = Vec::with_capacity(found.len());
    // The key of each match, made in the same two buffers.
    let (mut k, mut scratch) = (String::new(), String::new());
    for (i, f) in found.iter().enumerate() {
        if f.target.source != Source::Context {
            out.push(Some((*f, None)));
            continue;
        }
        k.clear();
        key_into(&text[f.start..f.end], &mut scratch, &mut k);
        let Some(choices) = ctx.choices.get(k.as_str()) else {
            out.push(Some((*f, None)));
            continue;
        };
        let link = |entity: EntityId, confidence: u8, ev: Evidence| {
            let mut g = *f;
            g.target.entity = entity;
            g.target.source = Source::Context;
            g.target.confidence = confidence;
            Some((g, Some(ev)))
        };
        // "Supreme Court Bar Association": a generic name inside a longer
        // one is none.
        let inside_longer = || {
            let after = &text[f.end..];
            after
                .strip_prefix(' ')
                .and_then(|a| a.chars().next())
                .is_some_and(char::is_uppercase)
        };
        if !choices.generic.is_empty() && !inside_longer() {
            let local = local_country(text, found, i, ctx);
            let country = match local {
                Some(c) => c,
                None => *doc_country.get_or_insert_with(|| document_country(found, ctx)),
            };
            let body = country.and_then(|c| {
                let mut fits = choices
                    .generic
                    .iter()
                    .filter(|&&b| ctx.country_of[b as usize] == Some(c));
                let first = fits.next();
                first.filter(|_| fits.next().is_none())
            });
            if let (Some(b), Some(c)) = (body, country) {
                let ev = Evidence::Country {
                    country: c,
                    local: local.is_some(),
                };
                out.push(link(*b, GENERIC_CONFIDENCE, ev));
                continue;
            }
            // A foreign country's body, or a body of no known country.
            if local.is_some() || choices.any.is_empty() {
                out.push(None);
                continue;
            }
        }
        if !choices.generic.is_empty() && choices.any.is_empty() {
            // Inside a longer name: left to the name stage.
            out.push(None);
            continue;
        }
        if choices.any.len() >= 2 {
            let present = in_doc.get_or_insert_with(|| {
                found
                    .iter()
                    .filter(|f| f.target.source != Source::Context)
                    .map(|f| f.target.entity)
                    .collect()
            });
            if let Some((e, seen)) = by_cues(text, found, i, &choices.any, ctx, entities, present) {
                out.push(link(e, CONTEXT_CONFIDENCE, Evidence::Cues(seen)));
                continue;
            }
        }
        // The bare-name fallback.
        out.push(choices.fallback.map(|e| {
            let mut g = *f;
            g.target.entity = e;
            g.target.source = Source::Kb;
            g.target.confidence = 100;
            (g, None)
        }));
    }
    out
}

/// The country that the document's matches point to most: a country
/// counts for itself, a place or a body for its country. `None` on a tie.
fn document_country(found: &[Found], ctx: &Context) -> Option<EntityId> {
    let mut votes: HashMap<EntityId, usize> = HashMap::default();
    for f in found {
        if f.target.source == Source::Context {
            continue;
        }
        if let Some(Some(c)) = ctx.country_of.get(f.target.entity as usize) {
            *votes.entry(*c).or_default() += 1;
        }
    }
    let mut best: Option<(EntityId, usize)> = None;
    let mut tie = false;
    for (&c, &n) in &votes {
        match best {
            Some((b, m)) if n < m || (n == m && c > b) => {
                tie |= n == m;
            }
            Some((_, m)) => {
                tie = n == m;
                best = Some((c, n));
            }
            None => best = Some((c, n)),
        }
    }
    if tie { None } else { best.map(|b| b.0) }
}

/// The country named just before match `i` ("Pakistan's Interior
/// Ministry", "Afghan Interior Ministry"): `Some(None)` when a name that
/// is no known country stands there ("Ruritanian Interior Ministry").
fn local_country(text: &str, found: &[Found], i: usize, ctx: &Context) -> Option<Option<EntityId>> {
    let start = found[i].start;
    let before = text[..start].trim_end_matches([' ', '\u{A0}']);
    let before = before
        .strip_suffix("'s")
        .or_else(|| before.strip_suffix("’s"))
        .unwrap_or(before);
    if i > 0 && found[i - 1].end == before.len() && found[i - 1].end < start {
        let e = found[i - 1].target.entity;
        return Some(
            ctx.country_of
                .get(e as usize)
                .copied()
                .flatten()
                .filter(|&c| c == e),
        );
    }
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map(|(i, _)| i)?;
    let word = &before[word_start..];
    if before.len() == start || !word.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    if let Some(&c) = ctx.demonym_country.get(&word.to_lowercase()) {
        return Some(Some(c));
    }
    // "Lahore High Court", "Federal Interior Ministry": a capitalised word
    // on the same line before it makes another name, unless it opens a
    // sentence ("The").
    let sentence_start = before[..word_start]
        .trim_end_matches([' ', '\u{A0}'])
        .chars()
        .next_back()
        .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | ':' | '"' | '“'));
    let same_line = !text[word_start..start].contains('\n');
    (is_demonym(word) || (same_line && !sentence_start && !is_function_word(word))).then_some(None)
}

/// The byte range of the context window around `start..end`: at most
/// [`WINDOW`] bytes either side, within its paragraph.
fn window(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut lo = start.saturating_sub(WINDOW);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (end + WINDOW).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    // Paragraph breaks, found a byte at a time (a short stretch).
    let b = text.as_bytes();
    let lo = (lo + 1..start.max(lo + 1))
        .rev()
        .find(|&p| b[p] == b'\n' && b[p - 1] == b'\n')
        .map_or(lo, |p| p + 1);
    let hi = (end..hi.saturating_sub(1))
        .find(|&p| b[p] == b'\n' && b[p + 1] == b'\n')
        .unwrap_or(hi);
    (lo, hi)
}

/// Words after a person's name that say it is one.
fn is_speech_verb(w: &str) -> bool {
    matches!(
        w,
        "said" | "says" | "told" | "added" | "stated" | "wrote" | "claimed" | "who"
    )
}

/// The choice that the words and entities around match `i` point to, by a
/// clear margin, with what was seen.
fn by_cues(
    text: &str,
    found: &[Found],
    i: usize,
    any: &[EntityId],
    ctx: &Context,
    entities: &[Entity],
    present: &HashSet<EntityId>,
) -> Option<(EntityId, Vec<String>)> {
    let f = found[i];
    let (lo, hi) = window(text, f.start, f.end);
    let words: Vec<String> = lower_words(&text[lo..f.start])
        .chain(lower_words(&text[f.end..hi]))
        .collect();
    let prev = lower_words(&text[lo..f.start]).last();
    let next = lower_words(&text[f.end..hi]).next();
    // Matches near it.
    let from = found.partition_point(|g| g.end <= lo);
    let to = found.partition_point(|g| g.start < hi);
    let near: Vec<EntityId> = found[from..to]
        .iter()
        .enumerate()
        .filter(|&(j, g)| from + j != i && g.target.source != Source::Context)
        .map(|(_, g)| g.target.entity)
        .collect();
    let mut scores: Vec<(i32, EntityId, Vec<String>)> = Vec::new();
    for &c in any {
        let mut score = 0;
        let mut seen = Vec::new();
        let e = &entities[c as usize];
        if near.contains(&c) {
            score += 3;
            seen.push(format!("{} nearby", e.name));
        } else if present.contains(&c) {
            score += 1;
            seen.push(format!("{} in the document", e.name));
        }
        if let Some(country) = ctx.country_of[c as usize]
            && country != c
            && near.contains(&country)
        {
            score += 1;
            seen.push(format!("{} nearby", entities[country as usize].name));
        }
        if let Some(cues) = ctx.cues.get(&c) {
            let mut hits: Vec<&String> = cues.iter().filter(|w| words.contains(w)).collect();
            hits.dedup();
            for w in hits.into_iter().take(3) {
                score += 2;
                seen.push(format!("“{w}”"));
            }
        }
        let person_cue = prev.as_deref().is_some_and(is_role_word)
            || next.as_deref().is_some_and(is_speech_verb);
        let place_cue = prev
            .as_deref()
            .is_some_and(|w| matches!(w, "in" | "at" | "near" | "from" | "across"));
        if e.kind == Kind::Person && person_cue {
            score += 2;
            seen.push("a person's title or words".into());
        } else if e.kind == Kind::Place && place_cue {
            score += 1;
            seen.push(format!("“{}” before it", prev.as_deref().unwrap_or("")));
        }
        scores.push((score, c, seen));
    }
    scores.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let best = scores.first()?;
    let second = scores.get(1).map_or(0, |s| s.0);
    (best.0 >= 2 && best.0 >= second + 2).then(|| (best.1, best.2.clone()))
}

/// Words that name an event ("bombing", "attacks") and the event types
/// each fits.
fn event_word_types(w: &str) -> Option<&'static [&'static str]> {
    const ANY: &[&str] = &[];
    Some(match w {
        "attack" | "attacks" | "assault" | "incident" => ANY,
        "bombing" | "bombings" | "blast" | "blasts" | "explosion" | "explosions" => {
            &["bombing", "suicide-bombing", "attack"]
        }
        "shooting" | "shootings" | "gunfight" => &["shooting", "attack", "massacre"],
        "massacre" | "massacres" => &["massacre", "attack", "shooting"],
        "siege" => &["siege", "attack"],
        "hijacking" => &["hijacking"],
        "assassination" => &["assassination"],
        "kidnapping" | "abduction" => &["kidnapping"],
        "raid" | "raids" => &["raid", "operation"],
        "airstrike" | "airstrikes" | "strike" | "strikes" => &["airstrike", "drone-strike"],
        "offensive" => &["offensive", "operation"],
        _ => return None,
    })
}

/// Words that may describe any event ("twin suicide bombings").
fn is_modifier(w: &str) -> bool {
    matches!(
        w,
        "suicide"
            | "twin"
            | "double"
            | "triple"
            | "deadly"
            | "terrorist"
            | "terror"
            | "militant"
            | "bomb"
            | "car"
            | "truck"
            | "coordinated"
            | "recent"
            | "latest"
            | "major"
            | "massive"
            | "drone"
            | "gun"
            | "grenade"
    )
}

/// `word` in lower case, borrowed when it is in lower case ASCII already.
fn lowercase(word: &str) -> Cow<'_, str> {
    if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// A word of a text: its byte range and its lower-case form.
struct Word<'a> {
    start: usize,
    end: usize,
    /// The word in lower case: borrowed from the text when it is so
    /// already (most words), so that reading words around every place
    /// allocates little.
    lower: Cow<'a, str>,
}

/// Up to `n` words of `text[from..to]` going forward, stopping at any
/// character but a space or a hyphen between them.
fn words_after(text: &str, from: usize, to: usize, n: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut i = from;
    while out.len() < n {
        let rest = &text[i..to];
        let gap = rest.len() - rest.trim_start_matches([' ', '-']).len();
        if gap == 0 && i != from || gap > 2 {
            break;
        }
        let s = i + gap;
        let len = text[s..to]
            .char_indices()
            .find(|&(_, c)| !c.is_alphanumeric())
            .map_or(to - s, |(j, _)| j);
        if len == 0 {
            break;
        }
        out.push(Word {
            start: s,
            end: s + len,
            lower: lowercase(&text[s..s + len]),
        });
        i = s + len;
    }
    out
}

/// Up to `n` words of `text[from..to]` going backward, the same way.
fn words_before(text: &str, from: usize, to: usize, n: usize) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut i = to;
    while out.len() < n {
        let rest = &text[from..i];
        let gap = rest.len() - rest.trim_end_matches([' ', '-']).len();
        if gap == 0 && i != to || gap > 2 {
            break;
        }
        let e = i - gap;
        let s = text[from..e]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric())
            .last()
            .map_or(e, |(j, _)| from + j);
        if s == e {
            break;
        }
        out.push(Word {
            start: s,
            end: e,
            lower: lowercase(&text[s..e]),
        });
        i = s;
    }
    out
}

/// A year of four digits, 1900 to 2099.
fn year_of(w: &str) -> Option<u16> {
    (w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
        .then(|| w.parse().ok())
        .flatten()
}

/// Does `year` stand as a word in the sentence around `start..end`
/// (within the context window)?
fn year_in_sentence(text: &str, start: usize, end: usize, year: Option<u16>) -> bool {
    let Some(year) = year else { return false };
    let (lo, hi) = window(text, start, end);
    let lo = text[lo..start]
        .rfind(['.', '!', '?'])
        .map_or(lo, |p| lo + p + 1);
    let hi = text[end..hi].find(['.', '!', '?']).map_or(hi, |p| end + p);
    let y = year.to_string();
    lower_words(&text[lo..start])
        .chain(lower_words(&text[end..hi]))
        .any(|w| w == y)
}

/// Events named by description around the places of `found`, which is
/// changed in place: the event's match replaces the place's.
fn events(text: &str, found: &mut [Found], ctx: &Context) {
    let mut replace: Vec<(usize, Found)> = Vec::new();
    for (i, f) in found.iter().enumerate() {
        let Some(at_place) = ctx.events_at.get(&f.target.entity) else {
            continue;
        };
        let prev_end = if i > 0 { found[i - 1].end } else { 0 };
        let next_start = found.get(i + 1).map_or(text.len(), |g| g.start);
        if let Some(m) = event_phrase(text, f, prev_end, next_start, at_place, ctx) {
            replace.push((i, m));
        }
    }
    if replace.is_empty() {
        return;
    }
    for (i, m) in replace.into_iter().rev() {
        found[i] = m;
    }
}

/// "[year] Place [words] event-word" or "[year] [words] event-word in|at
/// Place": the match of the one event at the place that fits.
fn event_phrase(
    text: &str,
    place: &Found,
    prev_end: usize,
    next_start: usize,
    at_place: &[EntityId],
    ctx: &Context,
) -> Option<Found> {
    // After the place: up to three words, then the event word.
    let after = words_after(text, place.end, next_start, 4);
    // The six words before are needed only where an event word is near:
    // after the place, or second before it ("attack in Place"). Most
    // places have none, and their two words before are enough to tell.
    let before = if after.iter().any(|w| event_word_types(&w.lower).is_some()) {
        words_before(text, prev_end, place.start, 6)
    } else {
        let two = words_before(text, prev_end, place.start, 2);
        if two
            .get(1)
            .is_some_and(|w| event_word_types(&w.lower).is_some())
        {
            words_before(text, prev_end, place.start, 6)
        } else {
            two
        }
    };
    let mut span = None;
    if let Some(ev) = after
        .iter()
        .position(|w| event_word_types(&w.lower).is_some())
    {
        let described: Vec<&str> = after[..ev].iter().map(|w| w.lower.as_ref()).collect();
        let year = before
            .first()
            .and_then(|w| year_of(&w.lower).map(|y| (y, w.start)));
        let start = year.map_or(place.start, |(_, s)| s);
        span = Some((
            start,
            after[ev].end,
            &after[ev].lower,
            described,
            year.map(|y| y.0),
        ));
    } else if let Some(prep) = before.first()
        && matches!(prep.lower.as_ref(), "in" | "at" | "near" | "on")
        && let Some(ev) = before
            .iter()
            .skip(1)
            .position(|w| event_word_types(&w.lower).is_some())
            .map(|p| p + 1)
    {
        // Before "in": the event word, then up to three words and a year.
        if ev == 1 {
            let mut start = before[ev].start;
            let mut described = Vec::new();
            let mut year = None;
            for w in before.iter().skip(ev + 1).take(3) {
                if let Some(y) = year_of(&w.lower) {
                    year = Some(y);
                    start = w.start;
                    break;
                }
                if is_function_word(&w.lower) {
                    break;
                }
                described.push(w.lower.as_ref());
                start = w.start;
            }
            span = Some((start, place.end, &before[ev].lower, described, year));
        }
    }
    let (start, end, word, described, year) = span?;
    let types = event_word_types(word)?;
    let mut hits = 0;
    let fits: Vec<EntityId> = at_place
        .iter()
        .copied()
        .filter(|e| {
            let Some(facts) = ctx.events.get(e) else {
                return false;
            };
            let type_ok = match (&facts.event_type, types) {
                (_, []) => true,
                (Some(t), ts) => ts.contains(&t.as_str()),
                (None, _) => false,
            };
            let year_ok = year.is_none_or(|y| facts.year == Some(y));
            let words_ok = described
                .iter()
                .all(|w| is_modifier(w) || facts.words.contains(*w));
            type_ok && year_ok && words_ok
        })
        .collect();
    let mut fits = fits;
    if fits.len() > 1 && year.is_none() {
        // Its year in the same sentence tells them apart.
        fits.retain(|e| year_in_sentence(text, start, end, ctx.events.get(e).and_then(|f| f.year)));
    }
    let [e] = fits[..] else { return None };
    let facts = ctx.events.get(&e)?;
    hits += described
        .iter()
        .filter(|w| !is_modifier(w) && facts.words.contains(**w))
        .count();
    // A year or a word of its name tells it from other events there; so
    // does its year in the same sentence ("In 2016, twin suicide bombings
    // at Quetta ...").
    if year.is_none() && hits == 0 && !year_in_sentence(text, start, end, facts.year) {
        return None;
    }
    // Whole words, whole graphemes.
    if !boundary_ok(text, start, end) {
        return None;
    }
    Some(Found {
        start,
        end,
        target: Link {
            entity: e,
            source: Source::Context,
            confidence: EVENT_CONFIDENCE,
        },
    })
}

/// The context evidence for the mention `start..end` of `text`, as the
/// context stage would decide it over `found` (the document's matches
/// before decisions): `None` when context did not decide it.
pub fn explain(
    text: &str,
    found: &[Found],
    start: usize,
    end: usize,
    ctx: &Context,
    entities: &[Entity],
) -> Option<Evidence> {
    let i = found.iter().position(|f| f.start == start && f.end == end);
    if let Some(i) = i {
        let decided = decide_names(text, found, ctx, entities);
        if let Some(Some((_, Some(ev)))) = decided.get(i) {
            return Some(ev.clone());
        }
        let mut copy = found.to_vec();
        resolve(text, &mut copy, ctx, entities);
        if let Some(f) = copy.iter().find(|f| f.start == start && f.end == end)
            && f.target.source == Source::Context
            && f.target.confidence == CONTEXT_CONFIDENCE
        {
            return Some(Evidence::NamedBefore(f.target.entity));
        }
    }
    // An event: its place lies inside the span.
    let place = found.iter().find(|f| {
        f.start >= start && f.end <= end && ctx.events_at.contains_key(&f.target.entity)
    })?;
    let mut copy = found.to_vec();
    events(text, &mut copy, ctx);
    let m = copy.iter().find(|f| f.start == start && f.end == end)?;
    let facts = ctx.events.get(&m.target.entity)?;
    let said = lower_words(&text[start..end]).collect::<Vec<_>>();
    let place_words: Vec<String> = lower_words(&text[place.start..place.end]).collect();
    Some(Evidence::Event {
        place: place.target.entity,
        year: facts.year,
        words: said
            .into_iter()
            .filter(|w| {
                facts.words.contains(w)
                    && !is_modifier(w)
                    && !place_words.contains(w)
                    && event_word_types(w).is_none()
            })
            .collect(),
    })
}
