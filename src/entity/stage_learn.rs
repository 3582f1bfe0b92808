//! Stage: learning from the corpus. Abbreviation definitions ("Harkat
//! Liberation Front (HLF)") and "Operation X" phrases are read from every
//! document, clustered with each other and with the knowledge base's
//! aliases (transliterations of one name are one), and the learned aliases
//! join the knowledge base's in one matcher.
//!
//! - [`definitions`] is per document: its output depends on the document's
//!   text only.
//! - [`learn`] is the corpus-wide reduce: it needs every document's
//!   definitions and the knowledge base's aliases.

use super::discover::{AbbrDef, abbreviations, is_function_word};
use super::matcher::{Matcher, Target, too_short};
use super::normalize::{digits, edit_distance, key, skeleton};
use super::stage_context::Context;
use super::stage_kb::{KbAliases, derived_forms, is_country_word};
use super::tokens::{TOKEN_PIECE, Token, tokens_in};
use super::unique_id;
use super::{Entity, EntityId, Kind, Source};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::ops::Range;

/// The confidence of a mention found by a learned alias.
pub(crate) const LEARNED_CONFIDENCE: u8 = 95;

/// What one document defines, as the texts it defines them by (so that
/// learning reads no document again).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocDefinitions {
    /// Abbreviations: (short form, long form).
    pub abbreviations: Vec<(Box<str>, Box<str>)>,
    /// "Operation X" phrases: (whole name, bare X).
    pub operations: Vec<(Box<str>, Box<str>)>,
    /// Names glossed with a translation ("Lashkar-e-Taiba (literally
    /// 'Army of the Pure')"): (name, translation).
    pub glosses: Vec<(Box<str>, Box<str>)>,
}

impl DocDefinitions {
    /// Does the document define nothing?
    pub fn is_empty(&self) -> bool {
        self.abbreviations.is_empty() && self.operations.is_empty() && self.glosses.is_empty()
    }
}

/// The definitions of one document's text.
pub fn definitions(text: &str) -> DocDefinitions {
    let of = |a: Range<usize>, b: Range<usize>| -> Option<(Box<str>, Box<str>)> {
        Some((text.get(a)?.into(), text.get(b)?.into()))
    };
    DocDefinitions {
        abbreviations: abbreviations(text)
            .into_iter()
            .filter_map(|d: AbbrDef| of(d.short, d.long))
            .collect(),
        operations: operations(text)
            .into_iter()
            .filter_map(|(a, b)| of(a, b))
            .collect(),
        glosses: glosses(text)
            .into_iter()
            .filter_map(|(a, b)| of(a, b))
            .collect(),
    }
}

/// The entities and the matcher once the corpus's definitions are learned.
pub struct Learned {
    /// The knowledge base's entities, then the learned ones.
    pub entities: Vec<Entity>,
    /// How many of `entities` come from the knowledge base.
    pub kb_len: usize,
    /// The knowledge base's normalised aliases, to their entity.
    pub kb_keys: HashMap<String, EntityId>,
    /// The keys of the forms derived from known and learned names, to their
    /// entity (see `stage_kb::derived_forms`).
    pub derived: HashMap<String, EntityId>,
    /// The ids in use.
    pub ids: HashSet<String>,
    /// What context decisions need of the knowledge base.
    pub context: Context,
    /// Every alias, the knowledge base's and the learned ones.
    pub matcher: Matcher,
    /// A fingerprint of what was learned: every learned alias and derived
    /// form with its entity, and every entity. Two corpora with the same
    /// knowledge base and the same fingerprint match every text alike.
    pub fingerprint: u64,
}

/// Clusters every document's definitions with each other and with the
/// knowledge base, makes entities of the clusters the knowledge base does
/// not know, and builds the matcher. `defs` are in document order.
pub fn learn(kb: KbAliases, defs: &[DocDefinitions]) -> Learned {
    let KbAliases {
        mut entities,
        keys: kb_keys,
        mut builder,
        mut derived,
        countries,
        context,
    } = kb;
    let kb_len = entities.len();
    let mut ids: HashSet<String> = entities.iter().map(|e| e.id.clone()).collect();
    // What is learned, as it is learned (see `Learned::fingerprint`).
    let mut fp = rustc_hash::FxHasher::default();
    let mut clusters = Clusters::default();
    let mut surface: BTreeMap<String, (String, Source)> = BTreeMap::new();
    let note = |k: &str, text: &str, source: Source, s: &mut BTreeMap<String, (String, Source)>| {
        s.entry(k.to_string())
            .or_insert_with(|| (text.to_string(), source));
    };
    for learned in defs {
        for (st, lt) in &learned.abbreviations {
            let (st, lt) = (&**st, &**lt);
            let (ks, kl) = (key(st), key(lt));
            note(&ks, st, Source::Abbreviation, &mut surface);
            note(&kl, lt, Source::Abbreviation, &mut surface);
            clusters.union(&ks, &kl);
        }
        for (name, gloss) in &learned.glosses {
            let (kn, kg) = (key(name), key(gloss));
            // A translation is no other entity's name.
            if kb_keys
                .get(&kg)
                .is_some_and(|&e| Some(&e) != kb_keys.get(&kn))
            {
                continue;
            }
            note(&kn, name, Source::Rule, &mut surface);
            note(&kg, gloss, Source::Rule, &mut surface);
            clusters.union(&kn, &kg);
        }
        for (name, bare) in &learned.operations {
            let (kn, kb) = (key(name), key(bare));
            note(&kn, name, Source::Rule, &mut surface);
            clusters.id(&kn);
            // The bare name ("Zarb-e-Azb") links only when distinctive.
            let bare_text: &str = bare;
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
                    facts: Default::default(),
                });
                (entities.len() - 1) as EntityId
            }
        };
        for k in keys {
            if kb_keys.contains_key(k) {
                continue;
            }
            if let Some((text, source)) = surface.get(k) {
                // A defined abbreviation spells its long form's initials:
                // "SIGAR" and "Sigar" are one name.
                let target = Target::for_alias(text, owner, *source, LEARNED_CONFIDENCE)
                    .with_acronym_cases(text, || *source == Source::Abbreviation);
                fp.write(text.as_bytes());
                fp.write_u32(owner);
                fp.write_u8(*source as u8);
                builder.add(text, target);
                let is_country = |w: &str| is_country_word(w, &countries);
                for form in derived_forms(text, entities[owner as usize].kind, &is_country) {
                    let k = key(&form);
                    if kb_keys.contains_key(&k) || derived.contains_key(&k) || too_short(&form) {
                        continue;
                    }
                    fp.write(form.as_bytes());
                    fp.write_u32(owner);
                    derived.insert(k, owner);
                    let target = Target::for_alias(&form, owner, Source::Rule, LEARNED_CONFIDENCE);
                    builder.add(&form, target);
                }
                let e = &mut entities[owner as usize];
                if e.name != *text && !e.aliases.contains(text) {
                    e.aliases.push(text.clone());
                }
            }
        }
    }
    for e in &entities {
        super::hash_entity(&mut fp, e);
    }
    Learned {
        fingerprint: fp.finish(),
        entities,
        kb_len,
        kb_keys,
        derived,
        ids,
        context,
        matcher: builder.build(),
    }
}

/// A kind for a name learned from an abbreviation or a rule, by its words.
pub(crate) fn guess_kind(name: &str) -> Kind {
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

/// "Operation X" phrases: (whole name, bare X).
///
/// Only the lines that contain "Operation" are split into words: a line
/// break ends a phrase, and a piece's words never cross its line breaks, so
/// the words of one line are the same as in the whole piece.
fn operations(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    const WORD: &str = "Operation";
    if !text.contains(WORD) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for piece in crate::text::pieces(text, TOKEN_PIECE) {
        let mut from = piece.start;
        while let Some(p) = text[from..piece.end].find(WORD) {
            let at = from + p;
            let line_start = text[from..at].rfind('\n').map_or(from, |i| from + i + 1);
            let line_end = text[at..piece.end].find('\n').map_or(piece.end, |i| at + i);
            operations_in(text, &tokens_in(text, line_start..line_end), &mut out);
            from = line_end;
        }
    }
    out
}

/// [`operations`] over the tokens of one line of `text`.
fn operations_in(text: &str, toks: &[Token], out: &mut Vec<(Range<usize>, Range<usize>)>) {
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

/// The words that announce a translation inside brackets or after a comma.
const GLOSS_CUES: [&str; 6] = [
    "meaning ",
    "literally ",
    "lit. ",
    "translated as ",
    "which means ",
    "or ",
];

/// The longest translation, in bytes.
const MAX_GLOSS_BYTES: usize = 80;

/// Where a gloss may start: every bracket, and every comma followed by a
/// cue word, found in one pass of an automaton (with its fast prefilter).
fn gloss_openings(text: &str) -> Vec<usize> {
    static OPENINGS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let automaton = OPENINGS.get_or_init(|| {
        let patterns: Vec<String> = std::iter::once("(".to_string())
            .chain(GLOSS_CUES.iter().map(|cue| format!(", {cue}")))
            .collect();
        aho_corasick::AhoCorasick::new(patterns).ok()
    });
    match automaton {
        Some(ac) => ac.find_iter(text).map(|m| m.start()).collect(),
        None => Vec::new(),
    }
}

/// Names glossed with a translation: "Name (literally 'Army of the Pure')",
/// "Name (meaning Army of the Pure)", "Name ('Army of the Pure')", "Name,
/// meaning 'Army of the Pure',". A bracket with neither a cue word nor
/// quotes ("Imran Khan (Pakistan Tehreek-e-Insaf)") is no translation.
fn glosses(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let mut out = Vec::new();
    for at in gloss_openings(text) {
        let open = &text[at..at + 1];
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        let mut body = rest;
        let mut cued = false;
        for cue in GLOSS_CUES {
            if let Some(b) = body.strip_prefix(cue) {
                body = b;
                cued = true;
                break;
            }
        }
        if open == "," && !cued {
            continue;
        }
        let Some(q) = body.chars().next() else {
            continue;
        };
        let quoted = matches!(q, '\'' | '"' | '‘' | '“');
        if !cued && !quoted {
            continue;
        }
        let inner_start = text.len() - body.len() + if quoted { q.len_utf8() } else { 0 };
        let limit = (inner_start + MAX_GLOSS_BYTES).min(text.len());
        let mut limit = limit;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let closers: &[char] = if quoted {
            &['\'', '"', '’', '”']
        } else if open == "(" {
            &[')']
        } else {
            &[',', '.', ';', ')']
        };
        let Some(len) = text[inner_start..limit].find(closers) else {
            continue;
        };
        let gloss = inner_start..inner_start + len;
        if !is_gloss(&text[gloss.clone()], quoted) {
            continue;
        }
        if let Some(name) = name_before(text, at) {
            out.push((name, gloss));
        }
    }
    out
}

/// Is `g` a translated name: two to six words, the first a capital (or
/// "the" and a capital), no digits, and in title case unless quoted?
fn is_gloss(g: &str, quoted: bool) -> bool {
    let words: Vec<&str> = g.split(' ').collect();
    if !(2..=6).contains(&words.len())
        || g.chars().any(|c| c.is_ascii_digit())
        || !g
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'))
    {
        return false;
    }
    let words = if words[0].eq_ignore_ascii_case("the") {
        &words[1..]
    } else {
        &words[..]
    };
    let cap = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
    words.first().is_some_and(cap)
        && (quoted || words.iter().all(|w| cap(w) || is_function_word(w)))
        && !words.iter().all(|w| w.chars().all(char::is_uppercase))
}

/// The name that ends just before byte `at` (a bracket or a comma): its
/// capitalised words and the particles between them, without a leading
/// "The".
fn name_before(text: &str, at: usize) -> Option<Range<usize>> {
    let head = text[..at].trim_end_matches(' ');
    let end = head.len();
    let mut start = end;
    for (words, w) in head.rsplit(' ').enumerate() {
        let word = w.trim_start_matches(['"', '“', '‘', '\'']);
        if word.len() != w.len() && word.is_empty() {
            break;
        }
        let particle = matches!(word, "e" | "i" | "al" | "ul" | "ud" | "ur" | "of");
        let cap = word.chars().next().is_some_and(char::is_uppercase)
            && word.chars().all(|c| c.is_alphabetic() || c == '-');
        if !(cap || particle) || words >= 6 {
            break;
        }
        start -= w.len();
        if word.len() != w.len() {
            // An opening quote: the name starts after it.
            start += w.len() - word.len();
            break;
        }
        if start == 0 {
            break;
        }
        start -= 1; // the space
    }
    let mut range = start..end;
    let name = text.get(range.clone())?.trim_start();
    range.start = end - name.len();
    // A leading article or particle is not part of the name.
    let name = &text[range.clone()];
    for lead in ["The ", "of ", "e ", "i "] {
        if let Some(rest) = name.strip_prefix(lead) {
            range.start += name.len() - rest.len();
        }
    }
    let name = &text[range.clone()];
    (name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .then_some(range)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// "Operation X" phrases over the words of every whole piece, as before
    /// only lines were split.
    fn operations_in_whole_pieces(text: &str) -> Vec<(Range<usize>, Range<usize>)> {
        let mut out = Vec::new();
        for piece in crate::text::pieces(text, TOKEN_PIECE) {
            operations_in(text, &tokens_in(text, piece), &mut out);
        }
        out
    }

    #[test]
    fn operations_split_only_their_lines_and_find_the_same_phrases() {
        let long_line =
            "Troops began Operation Zarb-e-Azb and then Operation Radd ul Fasaad. ".repeat(2_000); // ~140 KB with no line break: several pieces
        let texts = [
            "Title\n\nThe army launched Operation Zarb-e-Azb in June.\nOperation\nKhyber One ended.",
            "Operation Black Thunderstorm, Operation's end, non-Operation Rah-e-Nijat.\n\nCoOperation Talks and Operation the Big One",
            "Operation Azm-e-Istehkam\nOperation Azm-i-Istehkam goes on. Operation",
            long_line.as_str(),
        ];
        for text in texts {
            let got = operations(text);
            assert_eq!(got, operations_in_whole_pieces(text), "{text:.80}");
            assert!(!got.is_empty());
        }
        let got = operations(texts[0]);
        assert_eq!(&texts[0][got[0].0.clone()], "Operation Zarb-e-Azb");
        assert_eq!(&texts[0][got[0].1.clone()], "Zarb-e-Azb");
        // "Operation" ends its line: "Khyber One" on the next is not its name.
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn translations_in_brackets_or_after_a_cue_are_glosses() {
        let text = "The Lashkar-e-Taiba (literally \"Army of the Pure\") struck. Jaish-e-Mohammed, meaning \
                    Army of Muhammad, denied it. Imran Khan (Pakistan Tehreek-e-Insaf) spoke. Al-Badr (\"The Full \
                    Moon\") too. Karachi (Sindh) and Kabul (said to be calm) were quiet.";
        let got: Vec<(&str, &str)> = glosses(text)
            .into_iter()
            .map(|(n, g)| (&text[n], &text[g]))
            .collect();
        assert_eq!(
            got,
            [
                ("Lashkar-e-Taiba", "Army of the Pure"),
                ("Jaish-e-Mohammed", "Army of Muhammad"),
                ("Al-Badr", "The Full Moon"),
            ]
        );
    }

    #[test]
    fn definitions_of_a_text_depend_on_it_alone() {
        let d = definitions("The Harkat Liberation Front (HLF) struck in Operation Black Rain.");
        assert_eq!(d.abbreviations.len(), 1);
        assert_eq!(d.operations.len(), 1);
        assert_eq!(definitions("No names here."), DocDefinitions::default());
    }
}
