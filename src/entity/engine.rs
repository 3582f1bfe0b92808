//! The entity engine: knowledge-base matching, then what is learned from the
//! text, producing one [`Analysis`] of a corpus.
//!
//! The steps, each linear in the corpus:
//! 1. abbreviation definitions and "Operation X" rules are read from every
//!    document and clustered with the knowledge base's aliases;
//! 2. one matcher of all known aliases finds the mentions;
//! 3. capitalised names left over are split at titles and roles, short
//!    references to people named in full are linked to them, spelling
//!    variants of known names are suggested, and whatever is left becomes an
//!    entity of kind `other`, so that a name repeated across articles is linked.

use super::discover::{
    abbreviations, is_calendar_word, is_connector, is_demonym, is_function_word, is_generic_noun,
    is_role_word,
};
use super::matcher::{Found, MatcherBuilder, Target};
use super::normalize::{edit_distance, is_word_char, key, skeleton};
use super::{DocId, Entity, EntityId, Kind, KnowledgeBase, Mention, Source};
use crate::corpus::{Corpus, Document};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// The entities and mentions of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub entities: Vec<Entity>,
    /// Sorted by (doc, start); mentions never overlap within a document.
    pub mentions: Vec<Mention>,
}

/// How far an analysis has come, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// Finds and links the entities of a corpus.
#[derive(Debug, Clone)]
pub struct Engine {
    kb: KnowledgeBase,
}

/// A word of a text, as the name finder sees it.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    /// Starts with a capital (or is "al-Qaida"-like).
    cap: bool,
    /// First word of a sentence, heading or quotation.
    sentence_start: bool,
    /// Only spaces (no line break) separate it from the previous token.
    joined: bool,
}

/// A run of capitalised words that nothing matched.
#[derive(Debug, Clone)]
struct Run {
    doc: DocId,
    start: usize,
    end: usize,
    words: usize,
    /// Preceded by a title or role ("spokesman Ned Price").
    after_role: bool,
    /// Possibly an ordinary word: it may refer to a person named in full, but
    /// does not become a name of its own.
    weak: bool,
}

/// Where a learned mention points before its entity exists.
#[derive(Debug, Clone)]
enum RefTarget {
    Entity(EntityId),
    Name(String),
}

const LEARNED_CONFIDENCE: u8 = 95;
/// Documents per progress report.
const BATCH: usize = 256;

/// Maps `f` over `items` on all cores, keeping the order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
const PERSON_CONFIDENCE: u8 = 90;
const NAME_CONFIDENCE: u8 = 60;

/// Words are split a piece of text at a time (cut at paragraph or line
/// breaks), so the token list of a huge document is never whole in memory.
const TOKEN_PIECE: usize = 64 * 1024;

/// The tokens of `text[piece]`, with offsets into `text`.
fn tokens_in(text: &str, piece: std::ops::Range<usize>) -> Vec<Token> {
    let base = piece.start;
    let mut toks = tokens(&text[piece]);
    for t in &mut toks {
        t.start += base;
        t.end += base;
    }
    toks
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    // Positions are byte offsets; nothing is copied per character.
    let bytes = text.as_bytes();
    let ch = |at: usize| -> Option<char> {
        match *bytes.get(at)? {
            b if b < 0x80 => Some(char::from(b)),
            _ => text.get(at..).and_then(|t| t.chars().next()),
        }
    };
    let mut i = 0;
    let mut boundary = true; // sentence boundary seen since the last token
    let mut newline = true;
    while let Some(c) = ch(i) {
        let pos = i;
        if !is_word_char(c) {
            if matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | '…' | '•' | '|' | '“' | '"' | '(' | '['
            ) {
                boundary = true;
            }
            if c == '\n' {
                boundary = true;
                newline = true;
            }
            i += c.len_utf8();
            continue;
        }
        let mut start = pos;
        let mut j = i;
        // "non-NATO", "anti-ISIS": the name starts after the prefix.
        for prefix in ["non-", "anti-", "pro-", "ex-", "pre-", "post-", "neo-"] {
            if let Some(rest) = text[pos..].strip_prefix(prefix)
                && rest.chars().next().is_some_and(char::is_uppercase)
            {
                start = pos + prefix.len();
                j = i + prefix.len();
                break;
            }
        }
        loop {
            while let Some(c) = ch(j).filter(|&c| is_word_char(c)) {
                j += c.len_utf8();
            }
            // Internal hyphens and apostrophes join ("Rudd-ul-Fasaad").
            if let Some(c) = ch(j)
                && matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '’')
                && ch(j + c.len_utf8()).is_some_and(is_word_char)
            {
                j += c.len_utf8();
                continue;
            }
            break;
        }
        let mut end = j.min(text.len());
        let word = &text[start..end];
        for suffix in ["’s", "'s", "’", "'"] {
            if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
                end -= suffix.len();
                break;
            }
        }
        // "Islamabad-based", "Taliban-brokered": the name is the first part.
        let word = &text[start..end];
        if word.chars().next().is_some_and(char::is_uppercase)
            && let Some(h) = word.rfind('-')
            && word[h + 1..].chars().next().is_some_and(char::is_lowercase)
            && word[h + 1..].chars().count() >= 3
        {
            end = start + h;
        }
        let word = &text[start..end];
        let first = word.chars().next().unwrap_or(' ');
        let cap = first.is_uppercase()
            || word
                .split_once(['-', '\u{2010}', '\u{2011}'])
                .is_some_and(|(p, rest)| {
                    matches!(
                        p,
                        "al" | "el" | "ul" | "ud" | "ur" | "bin" | "ibn" | "as" | "ad"
                    ) && rest.chars().next().is_some_and(char::is_uppercase)
                });
        let gap = &text[out.last().map_or(0, |t: &Token| t.end)..start];
        let joined =
            !out.is_empty() && !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{A0}');
        out.push(Token {
            start,
            end,
            cap,
            sentence_start: boundary || newline,
            joined,
        });
        boundary = false;
        newline = false;
        i = j;
    }
    mark_headings(text, &mut out);
    out
}

/// In a title-case heading every word is capitalised, so capitals say nothing
/// there: its words count as opening a sentence.
fn mark_headings(text: &str, toks: &mut [Token]) {
    let mut line_start = 0;
    let mut ti = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let first = ti;
        while ti < toks.len() && toks[ti].start < line_end {
            ti += 1;
        }
        let words = &toks[first..ti];
        let trimmed = line.trim_end();
        // The cheap tests first: most lines are paragraphs, not headings.
        let heading_like = (2..=14).contains(&words.len())
            && !trimmed.ends_with(['.', '!', '?', ',', ';', ':', '"', '”']);
        let caps = || words.iter().filter(|t| t.cap).count();
        let content = || {
            words
                .iter()
                .filter(|t| t.cap || !is_function_word(&text[t.start..t.end]))
                .count()
        };
        if heading_like && caps() * 10 >= content() * 7 {
            for t in &mut toks[first..ti] {
                t.sentence_start = true;
            }
        }
        line_start = line_end;
    }
}

/// A readable entity id from a name ("Pak Army" → `pak-army`), made unique
/// with a numeric suffix while `taken` says the id is in use.
pub fn unique_id(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = String::new();
    for c in key(name).chars() {
        if c.is_alphanumeric() {
            base.push(c);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
    }
    while base.ends_with('-') {
        base.pop();
    }
    if base.is_empty() {
        base.push_str("entity");
    }
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// A kind for a name learned from an abbreviation or a rule, by its words.
fn guess_kind(name: &str) -> Kind {
    let lower = key(name);
    let has = |words: &[&str]| lower.split(' ').any(|w| words.contains(&w));
    if has(&[
        "taliban",
        "lashkar",
        "jaish",
        "tehreek",
        "tehrik",
        "mujahideen",
        "militia",
        "brigade",
        "front",
        "movement",
        "network",
        "liberation",
        "jihad",
        "jamaat",
        "sipah",
        "harkat",
    ]) || lower.contains("islamic state")
    {
        Kind::Group
    } else if has(&[
        "operation",
        "attack",
        "attacks",
        "bombing",
        "massacre",
        "war",
        "siege",
        "agreement",
        "accord",
        "hijacking",
        "assassination",
        "offensive",
        "uprising",
        "raid",
    ]) {
        Kind::Event
    } else if has(&[
        "province",
        "district",
        "area",
        "areas",
        "region",
        "valley",
        "territory",
        "territories",
        "city",
        "state",
        "pass",
        "line",
    ]) && !has(&["organization", "organisation", "committee", "council"])
    {
        Kind::Place
    } else {
        Kind::Org
    }
}

/// Union–find over cluster keys.
#[derive(Default)]
struct Clusters {
    parent: Vec<usize>,
    index: HashMap<String, usize>,
    keys: Vec<String>,
}

impl Clusters {
    fn id(&mut self, k: &str) -> usize {
        if let Some(&i) = self.index.get(k) {
            return i;
        }
        let i = self.parent.len();
        self.parent.push(i);
        self.index.insert(k.to_string(), i);
        self.keys.push(k.to_string());
        i
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }
    fn union(&mut self, a: &str, b: &str) {
        let (a, b) = (self.id(a), self.id(b));
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[rb.max(ra)] = ra.min(rb);
        }
    }
}

/// Builds name keys for spelling-variant lookups: one-deletion neighbourhoods
/// (typos) and transliteration skeletons.
#[derive(Default)]
struct VariantIndex {
    deletions: HashMap<String, Vec<(String, RefTarget)>>,
    skeletons: HashMap<String, Vec<(String, RefTarget)>>,
}

fn deletions(k: &str) -> Vec<String> {
    let chars: Vec<char> = k.chars().collect();
    let mut out = vec![k.to_string()];
    for i in 0..chars.len() {
        let mut s = String::with_capacity(k.len());
        s.extend(chars[..i].iter());
        s.extend(chars[i + 1..].iter());
        out.push(s);
    }
    out
}

/// Names longer than this (in bytes) are never looked up as spelling
/// variants: no real name is, and a name's one-deletion neighbourhood costs
/// its length squared.
const MAX_VARIANT_BYTES: usize = 96;

/// True when `k` is short enough, and has enough letters, to be indexed or
/// looked up as a spelling variant.
fn variant_candidate(k: &str) -> bool {
    k.len() <= MAX_VARIANT_BYTES && k.chars().filter(|c| c.is_alphabetic()).count() >= 5
}

fn digits(k: &str) -> String {
    k.chars().filter(char::is_ascii_digit).collect()
}

impl VariantIndex {
    fn add(&mut self, k: &str, target: RefTarget) {
        if !variant_candidate(k) {
            return;
        }
        for d in deletions(k) {
            self.deletions
                .entry(d)
                .or_default()
                .push((k.to_string(), target.clone()));
        }
        let sk = skeleton(k);
        if sk.chars().count() >= 4 {
            self.skeletons
                .entry(sk)
                .or_default()
                .push((k.to_string(), target));
        }
    }

    /// The best known name that `k` is a spelling variant of, with a confidence.
    fn lookup(&self, k: &str) -> Option<(RefTarget, u8)> {
        if !variant_candidate(k) {
            return None;
        }
        let words = k.split(' ').count();
        let compatible = |t: &str| {
            t != k
                && digits(t) == digits(k)
                && t.split(' ').count() == words
                && t.chars().next() == k.chars().next()
        };
        let mut best: Option<(usize, &RefTarget)> = None;
        for d in deletions(k) {
            for (t, target) in self.deletions.get(&d).into_iter().flatten() {
                if compatible(t) {
                    let dist = edit_distance(k, t, 1);
                    if dist <= 1 && best.is_none_or(|(b, _)| dist < b) {
                        best = Some((dist, target));
                    }
                }
            }
        }
        if let Some((_, target)) = best {
            return Some((target.clone(), 80));
        }
        let sk = skeleton(k);
        let max = (k.chars().count() / 4).max(2);
        for (t, target) in self.skeletons.get(&sk).into_iter().flatten() {
            if compatible(t) && edit_distance(k, t, max) <= max {
                return Some((target.clone(), 70));
            }
        }
        None
    }
}

/// The surnames of the people named in one document, for resolving a
/// surname used alone: the nearest person named before it wins ("Nawaz
/// Sharif and Shehbaz Sharif ... Sharif said" is Shehbaz), an exact surname
/// before a one-edit typo of one.
///
/// Each lookup costs the length of the word and a binary search, not the
/// number of people named, so a long document stays linear.
struct SurnameIndex<'a> {
    /// Surname -> (where its full name ends, its place in the list, target),
    /// sorted.
    exact: HashMap<&'a str, Vec<(usize, usize, &'a RefTarget)>>,
    /// Lower-cased surname -> the same, for typos.
    lower: HashMap<String, Vec<(usize, usize, &'a RefTarget)>>,
    /// One-deletion neighbourhood of each lower-cased surname.
    deletions: HashMap<String, Vec<String>>,
}

impl<'a> SurnameIndex<'a> {
    fn new(surnames: &'a [(String, usize, RefTarget)]) -> Self {
        let mut exact: HashMap<&str, Vec<(usize, usize, &RefTarget)>> = HashMap::default();
        let mut lower: HashMap<String, Vec<(usize, usize, &RefTarget)>> = HashMap::default();
        for (n, (surname, after, target)) in surnames.iter().enumerate() {
            exact
                .entry(surname.as_str())
                .or_default()
                .push((*after, n, target));
            lower
                .entry(surname.to_lowercase())
                .or_default()
                .push((*after, n, target));
        }
        let mut deletions: HashMap<String, Vec<String>> = HashMap::default();
        for (l, list) in lower.iter_mut() {
            list.sort_by_key(|&(after, n, _)| (after, n));
            if l.len() <= MAX_VARIANT_BYTES {
                for d in self::deletions(l) {
                    deletions.entry(d).or_default().push(l.clone());
                }
            }
        }
        for list in exact.values_mut() {
            list.sort_by_key(|&(after, n, _)| (after, n));
        }
        SurnameIndex {
            exact,
            lower,
            deletions,
        }
    }

    /// The last of `list` that ends at or before `at`: (after, place, target).
    fn last_before(
        list: &[(usize, usize, &'a RefTarget)],
        at: usize,
    ) -> Option<(usize, usize, &'a RefTarget)> {
        let n = list.partition_point(|&(after, _, _)| after <= at);
        n.checked_sub(1).map(|i| list[i])
    }

    /// The person that the single word `text` at `at` names, if any.
    fn resolve(&self, text: &str, at: usize) -> Option<(&'a RefTarget, Source, u8)> {
        if let Some(list) = self.exact.get(text)
            && let Some((_, _, target)) = Self::last_before(list, at)
        {
            return Some((target, Source::Person, PERSON_CONFIDENCE));
        }
        let lower = text.to_lowercase();
        if lower.chars().count() < 5 || lower.len() > MAX_VARIANT_BYTES {
            return None;
        }
        let first = lower.chars().next();
        let mut best: Option<(usize, usize, &RefTarget)> = None;
        let mut tried: HashSet<&str> = HashSet::default();
        for d in deletions(&lower) {
            for cand in self.deletions.get(&d).into_iter().flatten() {
                if !tried.insert(cand.as_str())
                    || cand.chars().next() != first
                    || edit_distance(&lower, cand, 1) != 1
                {
                    continue;
                }
                let Some(list) = self.lower.get(cand) else {
                    continue;
                };
                if let Some(hit) = Self::last_before(list, at)
                    && best.is_none_or(|b| (hit.0, hit.1) >= (b.0, b.1))
                {
                    best = Some(hit);
                }
            }
        }
        best.map(|(_, _, target)| (target, Source::Variant, 75))
    }
}

impl Engine {
    pub fn new(kb: KnowledgeBase) -> Self {
        Engine { kb }
    }

    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub fn analyse(&self, corpus: &Corpus) -> Analysis {
        self.analyse_with_progress(corpus, &mut |_| {})
    }

    pub fn analyse_with_progress(
        &self,
        corpus: &Corpus,
        progress: &mut dyn FnMut(Progress),
    ) -> Analysis {
        let docs = &corpus.docs;
        let total = docs.len();
        let mut entities: Vec<Entity> = self.kb.entities().to_vec();
        let mut ids: HashSet<String> = entities.iter().map(|e| e.id.clone()).collect();

        // The knowledge base's aliases.
        let mut kb_keys: HashMap<String, EntityId> = HashMap::default();
        let mut builder = MatcherBuilder::new();
        for (i, e) in entities.iter().enumerate() {
            for alias in std::iter::once(&e.name).chain(&e.aliases) {
                builder.add(
                    alias,
                    Target::for_alias(alias, i as EntityId, Source::Kb, 100),
                );
                kb_keys.entry(key(alias)).or_insert(i as EntityId);
            }
        }

        // 1. Definitions and rules, clustered with each other and the KB.
        progress(Progress {
            stage: "learning",
            done: 0,
            total,
        });
        let mut clusters = Clusters::default();
        let mut surface: BTreeMap<String, (String, Source)> = BTreeMap::new();
        let note =
            |k: &str, text: &str, source: Source, s: &mut BTreeMap<String, (String, Source)>| {
                s.entry(k.to_string())
                    .or_insert_with(|| (text.to_string(), source));
            };
        let learned = parallel_map(docs, |doc| {
            (abbreviations(&doc.text), operations(&doc.text))
        });
        for (doc, (defs, ops)) in docs.iter().zip(learned) {
            for def in defs {
                let (st, lt) = (&doc.text[def.short.clone()], &doc.text[def.long.clone()]);
                let (ks, kl) = (key(st), key(lt));
                note(&ks, st, Source::Abbreviation, &mut surface);
                note(&kl, lt, Source::Abbreviation, &mut surface);
                clusters.union(&ks, &kl);
            }
            for (name, bare) in ops {
                let (kn, kb) = (key(&doc.text[name.clone()]), key(&doc.text[bare.clone()]));
                note(&kn, &doc.text[name], Source::Rule, &mut surface);
                clusters.id(&kn);
                // The bare name ("Zarb-e-Azb") links only when distinctive.
                let bare_text = &doc.text[bare];
                let distinctive = bare_text.contains(['-', ' ']) || bare_text.chars().count() >= 7;
                let other_kind = kb_keys
                    .get(&kb)
                    .is_some_and(|&e| entities[e as usize].kind != Kind::Event);
                if distinctive && !other_kind {
                    note(&kb, bare_text, Source::Rule, &mut surface);
                    clusters.union(&kn, &kb);
                }
            }
        }
        // Learned names that are transliterations of each other are one
        // ("Operation Azm-e-Istehkam", "Operation Azm-i-Istehkam").
        let mut by_skeleton: HashMap<(String, usize, String), String> = HashMap::default();
        for k in clusters.keys.clone() {
            let sk = skeleton(&k);
            if sk.chars().count() < 6 {
                continue;
            }
            match by_skeleton.entry((sk, k.split(' ').count(), digits(&k))) {
                std::collections::hash_map::Entry::Occupied(o) => {
                    let other = o.get().clone();
                    let max = (k.chars().count() / 4).max(2);
                    if edit_distance(&k, &other, max) <= max {
                        clusters.union(&other, &k);
                    }
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(k);
                }
            }
        }
        let mut members: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for k in clusters.keys.clone() {
            let i = clusters.id(&k);
            let root = clusters.find(i);
            members.entry(root).or_default().push(k);
        }
        for keys in members.values() {
            let mut kb_hits: BTreeMap<EntityId, usize> = BTreeMap::new();
            for k in keys {
                if let Some(&e) = kb_keys.get(k) {
                    *kb_hits.entry(e).or_default() += 1;
                }
            }
            let owner = match kb_hits
                .iter()
                .max_by_key(|&(e, n)| (*n, std::cmp::Reverse(*e)))
            {
                Some((&e, _)) => e,
                None => {
                    // A new entity, named by its longest form.
                    let name = keys
                        .iter()
                        .filter_map(|k| surface.get(k))
                        .map(|(t, _)| t.as_str())
                        .max_by_key(|t| (t.chars().count(), std::cmp::Reverse(t.to_string())))
                        .unwrap_or("?")
                        .to_string();
                    let id = unique_id(&name, |c| ids.contains(c));
                    ids.insert(id.clone());
                    entities.push(Entity {
                        id,
                        kind: guess_kind(&name),
                        name,
                        aliases: Vec::new(),
                        description: None,
                        external: Default::default(),
                    });
                    (entities.len() - 1) as EntityId
                }
            };
            for k in keys {
                if kb_keys.contains_key(k) {
                    continue;
                }
                if let Some((text, source)) = surface.get(k) {
                    builder.add(
                        text,
                        Target::for_alias(text, owner, *source, LEARNED_CONFIDENCE),
                    );
                    let e = &mut entities[owner as usize];
                    if e.name != *text && !e.aliases.contains(text) {
                        e.aliases.push(text.clone());
                    }
                }
            }
        }
        let matcher = builder.build();

        // 2. Match every document, in parallel, and gather the corpus-wide
        // word facts. Words are split again in step 3 rather than kept: a
        // word list is larger than its text.
        let mut found: Vec<Vec<Found>> = Vec::with_capacity(total);
        let mut word_sets = WordSets::default();
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        for (batch_no, batch) in docs.chunks(BATCH).enumerate() {
            // One word set per thread's share of the batch, not per document:
            // most words repeat, and each new set allocates them again.
            let shares: Vec<&[Document]> = batch.chunks(batch.len().div_ceil(threads)).collect();
            for (fs, sets) in parallel_map(&shares, |share| {
                let mut sets = WordSets::default();
                let fs: Vec<Vec<Found>> = share
                    .iter()
                    .map(|doc| {
                        let mut f = matcher.find_all(&doc.text);
                        extend_by_rules(doc, &mut f, &entities);
                        for piece in crate::text::pieces(&doc.text, TOKEN_PIECE) {
                            sets.add(&doc.text, &tokens_in(&doc.text, piece));
                        }
                        f
                    })
                    .collect();
                (fs, sets)
            }) {
                found.extend(fs);
                word_sets.merge(sets);
            }
            progress(Progress {
                stage: "matching",
                done: (batch_no * BATCH + batch.len()).min(total),
                total,
            });
        }

        // 3. Leftover names.
        progress(Progress {
            stage: "names",
            done: 0,
            total,
        });
        let indexed: Vec<(usize, &Document)> = docs.iter().enumerate().collect();
        let runs: Vec<Run> = parallel_map(&indexed, |&(d, doc)| {
            let mut runs = Vec::new();
            for piece in crate::text::pieces(&doc.text, TOKEN_PIECE) {
                // The knowledge-base matches in this piece only.
                let f = &found[d];
                let from = f.partition_point(|m| m.end <= piece.start);
                let to = f.partition_point(|m| m.start < piece.end);
                let toks = tokens_in(&doc.text, piece);
                name_runs(
                    d as DocId,
                    doc,
                    &toks,
                    &f[from..to.max(from)],
                    &word_sets,
                    &mut runs,
                );
            }
            runs
        })
        .into_iter()
        .flatten()
        .collect();

        // Who is a person: the knowledge base says so, or a two- or
        // three-word name whose last word is used alone in the same document,
        // or that follows a title.
        let mut refs: Vec<(usize, RefTarget, Source, u8)> = Vec::new(); // (run index, target, ...)
        let mut person_runs: HashSet<String> = HashSet::default();
        let mut by_doc: Vec<Vec<usize>> = vec![Vec::new(); total];
        for (i, r) in runs.iter().enumerate() {
            by_doc[r.doc as usize].push(i);
        }
        let mut consumed = vec![false; runs.len()];
        for (d, doc) in docs.iter().enumerate() {
            // Surname -> (where the full name appears, target). The surname
            // is the last word of the text and of the entity's own name
            // ("Mullah Hibatullah" is Hibatullah Akhundzada).
            let mut surnames: Vec<(String, usize, RefTarget)> = Vec::new();
            for f in &found[d] {
                let entity = &entities[f.target.entity as usize];
                if entity.kind != Kind::Person {
                    continue;
                }
                let text = &doc.text[f.start..f.end];
                let mut lasts: Vec<&str> = Vec::new();
                if text.contains(' ') {
                    lasts.extend(text.split([' ', '\u{A0}']).next_back());
                }
                if entity.name.contains(' ') {
                    lasts.extend(entity.name.split(' ').next_back());
                }
                for last in lasts {
                    if last.chars().count() >= 3
                        && last.chars().next().is_some_and(char::is_uppercase)
                    {
                        surnames.push((
                            last.to_string(),
                            f.end,
                            RefTarget::Entity(f.target.entity),
                        ));
                    }
                }
            }
            let singles: HashSet<&str> = by_doc[d]
                .iter()
                .map(|&i| &runs[i])
                .filter(|r| r.words == 1)
                .map(|r| &doc.text[r.start..r.end])
                .collect();
            for &i in &by_doc[d] {
                let r = &runs[i];
                let text = &doc.text[r.start..r.end];
                if (2..=3).contains(&r.words) && looks_like_person(text) {
                    let last = text.split(' ').next_back().unwrap_or("");
                    if r.after_role || singles.contains(last) {
                        person_runs.insert(key(text));
                        surnames.push((last.to_string(), r.end, RefTarget::Name(key(text))));
                    }
                }
            }
            let index = SurnameIndex::new(&surnames);
            for &i in &by_doc[d] {
                let r = &runs[i];
                if r.words != 1 {
                    continue;
                }
                let text = &doc.text[r.start..r.end];
                if let Some((t, s, c)) = index.resolve(text, r.start) {
                    refs.push((i, t.clone(), s, c));
                    consumed[i] = true;
                }
            }
        }

        // Variants of known names, then new names, most frequent first.
        let mut variants = VariantIndex::default();
        for (k, &e) in &kb_keys {
            variants.add(k, RefTarget::Entity(e));
        }
        let mut known: HashMap<String, EntityId> = kb_keys.clone();
        for (i, e) in entities.iter().enumerate().skip(self.kb.len()) {
            for a in std::iter::once(&e.name).chain(&e.aliases) {
                variants.add(&key(a), RefTarget::Entity(i as EntityId));
                known.entry(key(a)).or_insert(i as EntityId);
            }
        }
        let mut freq: HashMap<String, (usize, usize)> = HashMap::default(); // key -> (count, first run)
        for (i, r) in runs.iter().enumerate() {
            if consumed[i] || r.weak {
                continue;
            }
            let k = key(&docs[r.doc as usize].text[r.start..r.end]);
            let entry = freq.entry(k).or_insert((0, i));
            entry.0 += 1;
        }
        let mut order: Vec<(&String, &(usize, usize))> = freq.iter().collect();
        order.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
        let mut resolved: HashMap<String, (EntityId, Source, u8)> = HashMap::default();
        let mut name_entity: HashMap<String, EntityId> = HashMap::default();
        for (k, &(_, first)) in order {
            let r = &runs[first];
            let text = docs[r.doc as usize].text[r.start..r.end].to_string();
            // "Pak-ISI" is the ISI.
            let prefixed = k
                .strip_prefix("pak ")
                .and_then(|rest| name_entity.get(rest).or_else(|| kb_keys.get(rest)).copied());
            if let Some(e) = prefixed {
                resolved.insert(k.clone(), (e, Source::Rule, LEARNED_CONFIDENCE));
                continue;
            }
            // "ISIS-Khorasan" spelled out from a known "ISIS-K".
            if let Some((head, last)) = k.rsplit_once(' ')
                && last.chars().count() >= 4
                && let Some(initial) = last.chars().next()
                && let Some(&e) = known.get(&format!("{head} {initial}"))
            {
                resolved.insert(k.clone(), (e, Source::Variant, 70));
                continue;
            }
            let target = match variants.lookup(k) {
                Some((RefTarget::Entity(e), conf)) => (e, Source::Variant, conf),
                Some((RefTarget::Name(other), conf)) => match name_entity.get(&other) {
                    Some(&e) => (e, Source::Variant, conf),
                    None => continue,
                },
                None => {
                    let kind = if person_runs.contains(k) {
                        Kind::Person
                    } else {
                        Kind::Other
                    };
                    let id = unique_id(&text, |c| ids.contains(c));
                    ids.insert(id.clone());
                    entities.push(Entity {
                        id,
                        name: text.clone(),
                        kind,
                        aliases: Vec::new(),
                        description: None,
                        external: Default::default(),
                    });
                    let e = (entities.len() - 1) as EntityId;
                    name_entity.insert(k.clone(), e);
                    variants.add(k, RefTarget::Name(k.clone()));
                    (e, Source::Name, NAME_CONFIDENCE)
                }
            };
            // A variant is a suggestion: it is not added to the entity's
            // aliases until a person accepts it.
            resolved.insert(k.clone(), target);
        }

        // 4. Assemble.
        let mut mentions: Vec<Mention> = Vec::new();
        for (d, f) in found.iter().enumerate() {
            for m in f {
                mentions.push(Mention {
                    doc: d as DocId,
                    start: m.start as u32,
                    end: m.end as u32,
                    entity: m.target.entity,
                    source: m.target.source,
                    confidence: m.target.confidence,
                });
            }
        }
        for (i, r) in runs.iter().enumerate() {
            if consumed[i] {
                continue;
            }
            let k = key(&docs[r.doc as usize].text[r.start..r.end]);
            if let Some(&(entity, source, confidence)) = resolved.get(&k) {
                mentions.push(Mention {
                    doc: r.doc,
                    start: r.start as u32,
                    end: r.end as u32,
                    entity,
                    source,
                    confidence,
                });
            }
        }
        for (i, target, source, confidence) in refs {
            let r = &runs[i];
            let entity = match target {
                RefTarget::Entity(e) => Some(e),
                RefTarget::Name(k) => resolved.get(&k).map(|t| t.0),
            };
            if let Some(entity) = entity {
                mentions.push(Mention {
                    doc: r.doc,
                    start: r.start as u32,
                    end: r.end as u32,
                    entity,
                    source,
                    confidence,
                });
            }
        }
        mentions.sort_by_key(|m| (m.doc, m.start, std::cmp::Reverse(m.end)));
        let mut last: Option<(DocId, u32)> = None;
        mentions.retain(|m| {
            let keep = last.is_none_or(|(d, end)| d != m.doc || m.start >= end);
            if keep {
                last = Some((m.doc, m.end));
            }
            keep
        });
        progress(Progress {
            stage: "done",
            done: total,
            total,
        });
        Analysis { entities, mentions }
    }
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

/// "Operation X" phrases: (whole name, bare X).
fn operations(text: &str) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    if !text.contains("Operation") {
        return Vec::new();
    }
    let mut out = Vec::new();
    for piece in crate::text::pieces(text, TOKEN_PIECE) {
        operations_in(text, &tokens_in(text, piece), &mut out);
    }
    out
}

/// [`operations`] over the tokens of one piece of `text`.
fn operations_in(
    text: &str,
    toks: &[Token],
    out: &mut Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
) {
    for (i, t) in toks.iter().enumerate() {
        if &text[t.start..t.end] != "Operation" {
            continue;
        }
        let mut j = i + 1;
        while j < toks.len()
            && j < i + 4
            && toks[j].cap
            && toks[j].joined
            && !is_function_word(&text[toks[j].start..toks[j].end])
        {
            j += 1;
        }
        if j > i + 1 {
            out.push((t.start..toks[j - 1].end, toks[i + 1].start..toks[j - 1].end));
        }
    }
}

/// Rules that widen a match: an organisation's "Pak-" prefix ("Pak-ISI"), and
/// an event's trailing year ("Kabul Airport incident of 2021").
fn extend_by_rules(doc: &Document, found: &mut [Found], entities: &[Entity]) {
    let text = &doc.text;
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
                let word: String = after
                    .chars()
                    .take_while(|c| c.is_alphabetic() || *c == '-')
                    .collect();
                let boundary = after[word.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !is_word_char(c));
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
                let y: String = year.chars().take_while(char::is_ascii_digit).collect();
                let after = year[y.len()..].chars().next();
                if y.len() == 4 && after.is_none_or(|c| !is_word_char(c)) {
                    f.end += 4 + y.len();
                    f.target.source = Source::Rule;
                }
            }
        }
    }
}

/// Splits the capitalised words that no match covers into name runs.
fn name_runs(
    doc_id: DocId,
    doc: &Document,
    toks: &[Token],
    found: &[Found],
    words: &WordSets,
    out: &mut Vec<Run>,
) {
    let text = &doc.text;
    let mut fi = 0;
    let mut covered = |t: &Token| {
        while fi < found.len() && found[fi].end <= t.start {
            fi += 1;
        }
        fi < found.len() && found[fi].start < t.end
    };
    let common = |w: &str| is_function_word(w) || contains_lowercased(&words.lowercase, w);
    // (index of the token in `toks`, the token or a part of it)
    let mut current: Vec<(usize, Token)> = Vec::new();
    let flush = |current: &mut Vec<(usize, Token)>, out: &mut Vec<Run>| {
        // Trim connectors at the ends, and a common word opening a sentence.
        while let Some(&(_, f)) = current.first() {
            let w = &text[f.start..f.end];
            let before_connector = current.get(1).is_some_and(|(_, n)| !n.cap);
            if !f.cap
                || (f.sentence_start
                    && (common(w) || (before_connector && !words.mid_sentence.contains(w))))
                || w == "The"
            {
                current.remove(0);
            } else {
                break;
            }
        }
        while current.last().is_some_and(|(_, l)| !l.cap) {
            current.pop();
        }
        let (Some(&(fi, first)), Some(&(_, last))) = (current.first(), current.last()) else {
            return;
        };
        let n = current.len();
        current.clear();
        let w = &text[first.start..last.end];
        if (n == 1 && (is_demonym(w) || is_function_word(w) || w.chars().count() < 2))
            || w.chars().all(|c| !c.is_alphabetic())
        {
            return;
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
                || (first.sentence_start && !words.mid_sentence.contains(w)));
        let after_role =
            fi > 0 && first.joined && is_role_word(&text[toks[fi - 1].start..toks[fi - 1].end]);
        out.push(Run {
            doc: doc_id,
            start: first.start,
            end: last.end,
            words: n,
            after_role,
            weak,
        });
    };
    for (i, &t) in toks.iter().enumerate() {
        let w = &text[t.start..t.end];
        let cover = covered(&t);
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
            && (current.is_empty() || !is_function_word(w));
        let joiner = !cover
            && !t.cap
            && is_connector(w)
            && !matches!(
                w,
                "and" | "the" | "in" | "on" | "at" | "to" | "a" | "an" | "&"
            );
        let continues =
            !current.is_empty() && t.joined && !t.sentence_start && (name_word || joiner);
        if !continues {
            flush(&mut current, out);
        }
        if name_word || (joiner && !current.is_empty()) {
            current.push((i, t));
        }
    }
    flush(&mut current, out);
}

/// Corpus-wide word facts that tell names from ordinary words.
#[derive(Default)]
struct WordSets {
    /// Words the corpus uses in lower case (so "Tensions" opening a heading
    /// is an ordinary word).
    lowercase: HashSet<String>,
    /// Capitalised words seen inside a sentence, not only opening one.
    mid_sentence: HashSet<String>,
}

/// `set.contains(w.to_lowercase())`, without allocating for a short ASCII
/// word (nearly every word).
fn contains_lowercased(set: &HashSet<String>, w: &str) -> bool {
    super::normalize::with_lowercase(w, |l| set.contains(l))
}

impl WordSets {
    /// Adds the words of one text.
    fn add(&mut self, text: &str, toks: &[Token]) {
        for t in toks {
            let w = &text[t.start..t.end];
            if !t.cap {
                if !self.lowercase.contains(w) {
                    self.lowercase.insert(w.to_lowercase());
                }
            } else if !t.sentence_start && !self.mid_sentence.contains(w) {
                self.mid_sentence.insert(w.to_string());
            }
        }
    }

    fn merge(&mut self, other: WordSets) {
        self.lowercase.extend(other.lowercase);
        self.mid_sentence.extend(other.mid_sentence);
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    /// (doc id, text, entity id, source) of every mention, for assertions.
    pub(crate) fn mention_table(c: &Corpus, a: &Analysis) -> Vec<(String, String, String, Source)> {
        a.mentions
            .iter()
            .map(|m| {
                let d = &c.docs[m.doc as usize];
                (
                    d.id.clone(),
                    d.text[m.range()].to_string(),
                    a.entities[m.entity as usize].id.clone(),
                    m.source,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use std::path::Path;

    fn analyse(kb_toml: &str, files: &[(&str, &str)]) -> (Corpus, Analysis) {
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
        let corpus = load_embedded("test", &files);
        let mut kb = KnowledgeBase::new();
        kb.add_toml(Path::new("t.toml"), kb_toml).unwrap();
        let a = Engine::new(kb).analyse(&corpus);
        (corpus, a)
    }

    use super::test_support::mention_table as table;

    fn entity_of(
        rows: &[(String, String, String, Source)],
        doc: &str,
        text: &str,
    ) -> Option<(String, Source)> {
        rows.iter()
            .find(|r| r.0 == doc && r.1 == text)
            .map(|r| (r.2.clone(), r.3))
    }

    #[test]
    fn abbreviations_link_across_the_corpus_without_a_kb() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Headline here\n\nThe Harkat Liberation Front (HLF) struck again. Officials blamed the HLF.",
                ),
                (
                    "b.txt",
                    "Another story\n\nThe HLF denied it. Analysts say HLF fighters regrouped.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let long = entity_of(&rows, "a.txt", "Harkat Liberation Front").unwrap();
        assert_eq!(entity_of(&rows, "a.txt", "HLF").unwrap().0, long.0);
        assert_eq!(
            entity_of(&rows, "b.txt", "HLF"),
            Some((long.0.clone(), Source::Abbreviation))
        );
        let e = a.entities.iter().find(|e| e.id == long.0).unwrap();
        assert_eq!(e.kind, Kind::Group);
    }

    #[test]
    fn abbreviation_attaches_to_a_kb_entity() {
        let kb =
            "[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\nkind = \"group\"\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title\n\nThe Tehrik-i-Taliban Pakistan (TTAP) said. Later TTAP said more.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "TTAP"),
            Some(("ttp".into(), Source::Abbreviation))
        );
    }

    #[test]
    fn short_references_link_to_the_person_named_in_full() {
        let kb = "[[entity]]\nid = \"ned-price\"\nname = \"Ned Price\"\nkind = \"person\"\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nState Department spokesman Ned Price spoke on Monday. “We are clear,” Price said.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Price"),
            Some(("ned-price".into(), Source::Person))
        );
    }

    #[test]
    fn people_are_found_and_short_references_linked_without_a_kb() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nThe analyst Faran Jeffery told reporters the talks failed. Jeffery added that more was coming. Jeffrey recommends patience.",
            )],
        );
        let rows = table(&c, &a);
        let full = entity_of(&rows, "a.txt", "Faran Jeffery").unwrap().0;
        assert_eq!(
            entity_of(&rows, "a.txt", "Jeffery"),
            Some((full.clone(), Source::Person))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Jeffrey"),
            Some((full.clone(), Source::Variant))
        );
        assert_eq!(
            a.entities.iter().find(|e| e.id == full).unwrap().kind,
            Kind::Person
        );
    }

    #[test]
    fn spelling_variants_are_suggested_links() {
        let kb = "[[entity]]\nid = \"ttp\"\nname = \"Pakistani Taliban\"\nkind = \"group\"\n\n[[entity]]\nid = \"rf\"\nname = \"Operation Radd-ul-Fasaad\"\nkind = \"event\"\naliases = [\"Radd-ul-Fasaad\"]\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nThe Pakistani-Talban, as some call them, attacked. The Rudd-ul-Fasaad campaign went on.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Pakistani-Talban"),
            Some(("ttp".into(), Source::Variant))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Rudd-ul-Fasaad"),
            Some(("rf".into(), Source::Variant))
        );
        let m = a
            .mentions
            .iter()
            .find(|m| m.source == Source::Variant)
            .unwrap();
        assert!(m.confidence < 100);
    }

    #[test]
    fn transliterations_of_unknown_names_link_to_each_other() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nLeaders of al-Qaida met in the hills. Later, al-Qaida fighters left.",
                ),
                (
                    "b.txt",
                    "Title line\n\nGroups such as Al-Qaeda use borders.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let q1 = entity_of(&rows, "a.txt", "al-Qaida").unwrap();
        let q2 = entity_of(&rows, "b.txt", "Al-Qaeda").unwrap();
        assert_eq!(q1.0, q2.0);
        assert_eq!(q2.1, Source::Variant);
    }

    #[test]
    fn unexplained_names_link_across_articles_but_ordinary_words_do_not() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Tensions rise\n\nTensions rose in Rajgal Valley on Monday. Clearly the army moved.",
                ),
                (
                    "b.txt",
                    "More news\n\nFighters fled Rajgal Valley after the tensions.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let r1 = entity_of(&rows, "a.txt", "Rajgal Valley").unwrap();
        assert_eq!(r1.1, Source::Name);
        assert_eq!(entity_of(&rows, "b.txt", "Rajgal Valley").unwrap().0, r1.0);
        assert!(entity_of(&rows, "a.txt", "Tensions").is_none());
        assert!(entity_of(&rows, "a.txt", "Monday").is_none());
        assert!(entity_of(&rows, "a.txt", "Clearly").is_none());
    }

    #[test]
    fn titles_and_roles_are_not_part_of_names() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nUS Secretary of State Antony Blinken met Pakistani Foreign Minister Shah Mahmood Qureshi in New York.",
            )],
        );
        let rows = table(&c, &a);
        assert!(
            entity_of(&rows, "a.txt", "Antony Blinken").is_some(),
            "{rows:?}"
        );
        assert!(
            entity_of(&rows, "a.txt", "Shah Mahmood Qureshi").is_some(),
            "{rows:?}"
        );
    }

    #[test]
    fn rules_widen_org_prefixes_and_event_years() {
        let kb = "[[entity]]\nid = \"isi\"\nname = \"Inter-Services Intelligence\"\nkind = \"org\"\naliases = [\"ISI\"]\n\n[[entity]]\nid = \"abbey\"\nname = \"Abbey Gate bombing\"\nkind = \"event\"\naliases = [\"Kabul Airport incident\"]\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nThe Pak-ISI strategy and the Kabul Airport incident of 2021 were discussed.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Pak-ISI"),
            Some(("isi".into(), Source::Rule))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Kabul Airport incident of 2021"),
            Some(("abbey".into(), Source::Rule))
        );
    }

    #[test]
    fn operation_rule_makes_an_event_and_links_the_bare_name() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nThe army launched Operation Zarb-e-Azb in June.",
                ),
                (
                    "b.txt",
                    "Title line\n\nSince Zarb-e-Azb the networks are weaker.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let op = entity_of(&rows, "a.txt", "Operation Zarb-e-Azb").unwrap();
        assert_eq!(entity_of(&rows, "b.txt", "Zarb-e-Azb").unwrap().0, op.0);
        assert_eq!(
            a.entities.iter().find(|e| e.id == op.0).unwrap().kind,
            Kind::Event
        );
    }

    #[test]
    fn hyphenated_ranks_and_generic_nouns_are_not_names() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Army launches operation\n\nThe Army chief met Maj-Gen Ahmed Sharif Chaudhry and the Corps Commander. Lt-Gen Omer Bokhari spoke. Chaudhry said more.",
            )],
        );
        let rows = table(&c, &a);
        for junk in ["Army", "Maj-Gen", "Corps", "Lt-Gen", "Commander"] {
            assert!(!rows.iter().any(|r| r.1.contains(junk)), "{junk}: {rows:?}");
        }
        let p = entity_of(&rows, "a.txt", "Ahmed Sharif Chaudhry")
            .unwrap()
            .0;
        assert!(
            entity_of(&rows, "a.txt", "Omer Bokhari").is_some(),
            "{rows:?}"
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Chaudhry"),
            Some((p, Source::Person))
        );
    }

    #[test]
    fn a_lower_case_role_marks_a_person() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nThe government spokesman Shahid Rind denied it.",
            )],
        );
        let rows = table(&c, &a);
        let id = entity_of(&rows, "a.txt", "Shahid Rind").unwrap().0;
        assert_eq!(
            a.entities.iter().find(|e| e.id == id).unwrap().kind,
            Kind::Person
        );
    }

    #[test]
    fn a_surname_goes_to_the_nearest_person_named_before_it() {
        let kb = "[[entity]]\nid = \"nawaz\"\nname = \"Nawaz Sharif\"\nkind = \"person\"\n\n[[entity]]\nid = \"shehbaz\"\nname = \"Shehbaz Sharif\"\nkind = \"person\"\n\n[[entity]]\nid = \"hiba\"\nname = \"Hibatullah Akhundzada\"\nkind = \"person\"\naliases = [\"Mullah Hibatullah\"]\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nNawaz Sharif and Shehbaz Sharif met; Sharif said no. Mullah Hibatullah Akhundzada agreed, and Akhundzada left.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Sharif"),
            Some(("shehbaz".into(), Source::Person))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Mullah Hibatullah Akhundzada").map(|r| r.0),
            Some("hiba".into())
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Akhundzada"),
            Some(("hiba".into(), Source::Person))
        );
    }

    #[test]
    fn mixed_case_abbreviations_and_transliterated_operations_are_learned() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nThe Lashkar-e-Jhangvi (LeJ) struck. Troops began Operation Azm-e-Istehkam.",
                ),
                (
                    "b.txt",
                    "Title line\n\nThe LeJ denied it. Operation Azm-i-Istehkam goes on.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let lej = entity_of(&rows, "a.txt", "Lashkar-e-Jhangvi").unwrap().0;
        assert_eq!(entity_of(&rows, "b.txt", "LeJ").unwrap().0, lej);
        let op = entity_of(&rows, "a.txt", "Operation Azm-e-Istehkam")
            .unwrap()
            .0;
        assert_eq!(
            entity_of(&rows, "b.txt", "Operation Azm-i-Istehkam")
                .unwrap()
                .0,
            op
        );
    }

    #[test]
    fn a_spelled_out_hyphenated_abbreviation_links_to_it() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nAttacks by ISIS-K (Islamic State-Khorasan Province) rose.",
                ),
                ("b.txt", "Title line\n\nThen ISIS-Khorasan fighters fled."),
            ],
        );
        let rows = table(&c, &a);
        let k = entity_of(&rows, "a.txt", "ISIS-K").unwrap().0;
        assert_eq!(
            entity_of(&rows, "b.txt", "ISIS-Khorasan"),
            Some((k, Source::Variant))
        );
    }

    #[test]
    fn mentions_are_sorted_disjoint_and_on_char_boundaries() {
        let files: Vec<(&str, &[u8])> = crate::load::bundled_files().to_vec();
        let corpus = load_embedded("seeds", &files);
        let a = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
        assert!(a.mentions.len() > 300);
        for w in a.mentions.windows(2) {
            assert!((w[0].doc, w[0].end) <= (w[1].doc, w[1].start), "{w:?}");
        }
        for m in &a.mentions {
            let t = &corpus.docs[m.doc as usize].text;
            assert!(t.is_char_boundary(m.start as usize) && t.is_char_boundary(m.end as usize));
        }
    }

    #[test]
    fn analysis_is_deterministic() {
        let corpus = crate::load::bundled_corpus();
        let e = Engine::new(KnowledgeBase::default_kb());
        let (a, b) = (e.analyse(&corpus), e.analyse(&corpus));
        assert_eq!(a.mentions, b.mentions);
        assert_eq!(a.entities, b.entities);
    }
}
