//! Whole-word, normalised matching of many aliases at once.
//!
//! All aliases are compiled into one trie (an anchored Aho–Corasick
//! automaton) over normalised text (see [`super::normalize`]), walked from
//! every place a word may start, so that every occurrence of an alias that
//! starts a word is found, and each walk is at most the longest alias
//! long. Occurrences that cut a word, or that miss the case an alias
//! demands, are dropped; and
//! of the rest the leftmost-longest are kept, without overlaps. Checking the
//! boundaries before choosing means "ISI" is never taken inside "ISIS", nor
//! "KP" inside "ISKP", while the longer name still wins where both fit.

use super::normalize::{is_acronym, is_grapheme_boundary, is_word_char, key, normalize};
use super::{EntityId, Source};
use aho_corasick::automaton::Automaton;
use aho_corasick::{Anchored, MatchKind, nfa};
use std::collections::HashMap;

/// What an alias links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub entity: EntityId,
    pub source: Source,
    pub confidence: u8,
    /// Match only where the text is in capitals (acronyms).
    pub capitals_only: bool,
    /// Match only where the text has at least one capital (proper names).
    pub needs_capital: bool,
    /// For short mixed-case aliases ("LeT", "JeM"): which letters must be
    /// capitals, so that "Let" at a sentence start is not Lashkar-e-Taiba.
    pub case_mask: Option<u16>,
    /// A short capitalised word ("Swat", "Dir"): not matched in capitals,
    /// where it is an acronym ("SWAT team"). Longer names still match in
    /// capitals, as in a "PESHAWAR:" dateline.
    pub short_word: bool,
    /// An acronym of four letters or more that is the initials of its
    /// entity's name: it matches in capitals and in title case alike
    /// ("NATO" and "Nato", "FATA" and "Fata"), and in no other case.
    pub acronym_cases: bool,
}

/// Bit i is set when letter i is a capital.
fn capitals_mask(s: &str) -> u16 {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .take(16)
        .enumerate()
        .fold(
            0,
            |m, (i, c)| if c.is_uppercase() { m | (1 << i) } else { m },
        )
}

/// "LeT", "JeM", "PoK": a capital after a lower-case letter in one short word.
fn is_mixed_case_acronym(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() <= 6
        && !s.contains(' ')
        && letters
            .windows(2)
            .any(|w| w[0].is_lowercase() && w[1].is_uppercase())
}

impl Target {
    pub fn for_alias(alias: &str, entity: EntityId, source: Source, confidence: u8) -> Self {
        Target {
            entity,
            source,
            confidence,
            capitals_only: is_acronym(alias),
            // Names match whatever their case, except short single words,
            // which in lower case are usually ordinary words ("tank",
            // "swat", "turkey"): those need a capital somewhere.
            needs_capital: alias.chars().any(char::is_uppercase)
                && !alias.contains([' ', '-', '\u{2010}', '\u{2011}', '\u{2013}'])
                && alias.chars().filter(|c| c.is_alphabetic()).count() < 7,
            case_mask: is_mixed_case_acronym(alias).then(|| capitals_mask(alias)),
            short_word: !alias.contains(' ')
                && alias.chars().filter(|c| c.is_alphabetic()).count() <= 4
                && alias.chars().next().is_some_and(char::is_uppercase)
                && alias.chars().skip(1).all(|c| !c.is_uppercase()),
            acronym_cases: false,
        }
    }

    /// This target, matching its acronym in capitals and in title case
    /// when `alias` is an acronym of [`MIN_ACRONYM_LETTERS`] or more letters
    /// written either way ("NATO", "Nato") and `initials_of` holds for it.
    /// A shorter acronym in title case is too often an ordinary word
    /// ("Raw", "Pop"), and so is a word that spells no name's initials
    /// ("Swat" is not the SWAT team).
    pub fn with_acronym_cases(mut self, alias: &str, initials_of: impl FnOnce() -> bool) -> Self {
        if acronym_shaped(alias) && initials_of() {
            self.acronym_cases = true;
        }
        self
    }

    fn accepts(&self, original: &str) -> bool {
        if self.acronym_cases {
            return all_capitals(original) || title_case(original);
        }
        if let Some(mask) = self.case_mask {
            capitals_mask(original) == mask
        } else if self.short_word
            && original
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        {
            false
        } else if self.capitals_only {
            !original.chars().any(char::is_lowercase)
        } else if self.needs_capital {
            original.chars().any(char::is_uppercase)
        } else {
            true
        }
    }
}

/// The fewest letters of an acronym that matches in title case too.
pub const MIN_ACRONYM_LETTERS: usize = 4;

/// One word of [`MIN_ACRONYM_LETTERS`] or more letters, in capitals
/// ("NATO") or in title case ("Nato").
pub fn acronym_shaped(s: &str) -> bool {
    s.chars().all(char::is_alphabetic)
        && s.chars().count() >= MIN_ACRONYM_LETTERS
        && (all_capitals(s) || title_case(s))
}

/// Every letter a capital.
fn all_capitals(s: &str) -> bool {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase)
}

/// A capital, then only lower-case letters.
fn title_case(s: &str) -> bool {
    let mut letters = s.chars().filter(|c| c.is_alphabetic());
    letters.next().is_some_and(char::is_uppercase) && letters.all(char::is_lowercase)
}

/// What a match links to, once found: the part of its alias's [`Target`]
/// that the stages after matching read. Every document's matches are held
/// until the corpus's names are known, so a match is kept small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub entity: EntityId,
    pub source: Source,
    pub confidence: u8,
}

impl From<Target> for Link {
    fn from(t: Target) -> Link {
        Link {
            entity: t.entity,
            source: t.source,
            confidence: t.confidence,
        }
    }
}

/// A match in a text: a byte range of the original and what it links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub target: Link,
}

/// A [`Found`] as it is kept between stages, where every document's
/// matches are held until the corpus's names are known: sixteen bytes
/// instead of twenty-four, its offsets `u32` as a mention's are (no text is
/// that long: files are refused long before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptFound {
    start: u32,
    end: u32,
    target: Link,
}

impl From<&Found> for KeptFound {
    fn from(f: &Found) -> KeptFound {
        let offset = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        KeptFound {
            start: offset(f.start),
            end: offset(f.end),
            target: f.target,
        }
    }
}

impl From<&KeptFound> for Found {
    fn from(k: &KeptFound) -> Found {
        Found {
            start: k.start as usize,
            end: k.end as usize,
            target: k.target,
        }
    }
}

/// A compiled set of aliases.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// A trie of the aliases, walked from where a word may start (see
    /// [`Matcher::find_in`]). A contiguous NFA, not a DFA: an anchored
    /// walk never follows a failure link, and the NFA is a thirtieth of
    /// the DFA's size, so the walks stay in the cache (the DFA of the
    /// default knowledge base and a corpus's learned aliases takes tens of
    /// megabytes, and each step of a walk was a cache miss).
    automaton: Option<nfa::contiguous::NFA>,
    /// Per pattern, its targets in priority order.
    targets: Vec<Vec<Target>>,
}

/// Collects aliases before compiling them.
#[derive(Debug, Default)]
pub struct MatcherBuilder {
    patterns: Vec<String>,
    targets: Vec<Vec<Target>>,
    by_key: HashMap<String, usize>,
}

/// True when the matcher never links `text`, whatever words it is: fewer
/// than two letters or digits once normalised.
pub fn too_short(text: &str) -> bool {
    key(text).chars().filter(|c| c.is_alphanumeric()).count() < 2
}

impl MatcherBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an alias. Earlier targets of the same normalised alias take
    /// priority; a target for the same entity is not added twice.
    pub fn add(&mut self, alias: &str, target: Target) {
        if too_short(alias) {
            return;
        }
        let k = key(alias);
        let i = *self.by_key.entry(k.clone()).or_insert_with(|| {
            self.patterns.push(k);
            self.targets.push(Vec::new());
            self.targets.len() - 1
        });
        let list = &mut self.targets[i];
        if !list.iter().any(|t| {
            t.entity == target.entity
                && t.capitals_only == target.capitals_only
                && t.case_mask == target.case_mask
                && t.acronym_cases == target.acronym_cases
        }) {
            list.push(target);
        }
    }

    /// Marks every target of `alias` with `source`: its matches are
    /// decided later (by context), not by this matcher.
    pub fn set_source(&mut self, alias: &str, source: Source) {
        if let Some(&i) = self.by_key.get(&key(alias)) {
            for t in &mut self.targets[i] {
                t.source = source;
            }
        }
    }

    pub fn build(self) -> Matcher {
        let automaton = if self.patterns.is_empty() {
            None
        } else {
            nfa::contiguous::Builder::new()
                .match_kind(MatchKind::Standard)
                .build(&self.patterns)
                .ok()
        };
        Matcher {
            automaton,
            targets: self.targets,
        }
    }
}

/// Does `start..end` stand as whole words: no word character on either
/// side, and no grapheme cut? A name glued to the word before it by
/// scraping ("topics|Operation") is not a mention there: a mention never
/// cuts a word, as the scorer and every export count words.
pub(crate) fn boundary_ok(text: &str, start: usize, end: usize) -> bool {
    let before_ok = text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !is_word_char(c));
    let after_ok = text[end..].chars().next().is_none_or(|c| !is_word_char(c));
    before_ok && after_ok && is_grapheme_boundary(text, start) && is_grapheme_boundary(text, end)
}

impl Matcher {
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Every leftmost-longest whole-word match in `text`, in order.
    ///
    /// A long text is matched a piece at a time, cut at paragraph or line
    /// breaks, so the normalised copy and its offset map stay small whatever
    /// the document's size.
    pub fn find_all(&self, text: &str) -> Vec<Found> {
        crate::text::pieces(text, MATCH_PIECE)
            .flat_map(|piece| self.find_in(text, piece))
            .collect()
    }

    /// [`Matcher::find_all`] on `text[range]`, with offsets into `text`.
    ///
    /// A match is kept only where no word character comes before it (see
    /// [`boundary_ok`]), so the automaton is run anchored from those
    /// positions of the normalised text alone, not over every byte: most
    /// bytes are inside words, and each walk from a word's start ends as
    /// soon as no alias begins so. The candidates are exactly those an
    /// overlapping search over the whole text keeps.
    fn find_in(&self, text: &str, range: std::ops::Range<usize>) -> Vec<Found> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let base = range.start;
        let norm = normalize(&text[range]);
        let Ok(start_state) = ac.start_state(Anchored::Yes) else {
            return Vec::new();
        };
        let hay = norm.text.as_bytes();
        // Each candidate with its normalised range, which orders the
        // candidates that share an original range as an overlapping
        // search reports them (by end, then by start).
        let mut cands: Vec<(Found, u32, u32)> = Vec::new();
        for (at, &b) in hay.iter().enumerate() {
            // Only a character's first byte starts an alias.
            if b & 0xC0 == 0x80 || !word_may_start(text, base + norm.map[at] as usize) {
                continue;
            }
            let mut sid = start_state;
            for (len, &b) in hay[at..].iter().enumerate() {
                sid = ac.next_state(Anchored::Yes, sid, b);
                if !ac.is_special(sid) {
                    continue;
                }
                if ac.is_dead(sid) {
                    break;
                }
                if !ac.is_match(sid) {
                    continue;
                }
                let end = at + len + 1;
                for i in 0..ac.match_len(sid) {
                    let pattern = ac.match_pattern(sid, i);
                    // A state also reports the aliases that end its path
                    // but start later: those are found from their own start.
                    if ac.pattern_len(pattern) != end - at {
                        continue;
                    }
                    let (start, stop) = norm.original(at, end);
                    let (start, stop) = (base + start, base + stop);
                    if start >= stop || !boundary_ok(text, start, stop) {
                        continue;
                    }
                    let original = &text[start..stop];
                    let Some(target) = self.targets[pattern.as_usize()]
                        .iter()
                        .copied()
                        .find(|t| t.accepts(original))
                    else {
                        continue;
                    };
                    let found = Found {
                        start,
                        end: stop,
                        target: target.into(),
                    };
                    cands.push((found, at as u32, end as u32));
                }
            }
        }
        cands.sort_unstable_by(|(a, a_at, a_end), (b, b_at, b_end)| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a_end.cmp(b_end))
                .then(a_at.cmp(b_at))
        });
        let mut out: Vec<Found> = Vec::with_capacity(cands.len());
        let mut covered = 0;
        for (c, _, _) in cands {
            if c.start >= covered {
                covered = c.end;
                out.push(c);
            }
        }
        out
    }
}

/// May a whole word start at `at` of `text`: is no word character before
/// it? The first half of [`boundary_ok`], with an ASCII fast path.
#[inline]
fn word_may_start(text: &str, at: usize) -> bool {
    match text.as_bytes()[..at].last() {
        None => true,
        Some(&b) if b.is_ascii() => !(b.is_ascii_alphanumeric() || b == b'_'),
        Some(_) => text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c)),
    }
}

/// The largest piece of text matched at once, in bytes.
const MATCH_PIECE: usize = 256 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_match_is_two_thirds_the_size_and_comes_back_the_same() {
        assert_eq!(std::mem::size_of::<KeptFound>(), 16);
        assert!(std::mem::size_of::<Found>() >= 24);
        let m = matcher(&[("Khyber Pakhtunkhwa", 1), ("TTP", 2)]);
        let text = "The TTP struck in Khyber Pakhtunkhwa again.";
        let found = m.find_all(text);
        assert_eq!(found.len(), 2);
        for f in &found {
            assert_eq!(Found::from(&KeptFound::from(f)), *f);
        }
    }

    #[test]
    fn long_texts_match_in_pieces_with_the_same_result() {
        let m = matcher(&[("Khyber Pakhtunkhwa", 1), ("TTP", 2)]);
        let para = "The TTP struck in Khyber Pakhtunkhwa again.\n\n";
        let text = para.repeat(20_000); // ~900 KB: several pieces
        let found = m.find_all(&text);
        assert_eq!(found.len(), 40_000);
        for (i, f) in found.iter().enumerate() {
            let want = if i % 2 == 0 {
                "TTP"
            } else {
                "Khyber Pakhtunkhwa"
            };
            assert_eq!(&text[f.start..f.end], want);
        }
        // One endless line with no break at all still matches everywhere.
        let line = "TTP ".repeat(100_000);
        assert_eq!(m.find_all(&line).len(), 100_000);
    }

    fn matcher(aliases: &[(&str, u32)]) -> Matcher {
        let mut b = MatcherBuilder::new();
        for &(a, e) in aliases {
            b.add(a, Target::for_alias(a, e, Source::Kb, 100));
        }
        b.build()
    }

    fn texts(m: &Matcher, text: &str) -> Vec<(String, u32)> {
        m.find_all(text)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.target.entity))
            .collect()
    }

    /// Matching as it was done by one overlapping search over the whole
    /// text, the reference for the anchored walks.
    fn overlapping_reference(aliases: &[(&str, u32)], text: &str) -> Vec<Found> {
        let mut b = MatcherBuilder::new();
        for &(a, e) in aliases {
            b.add(a, Target::for_alias(a, e, Source::Kb, 100));
        }
        if b.patterns.is_empty() {
            return Vec::new();
        }
        let ac = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&b.patterns)
            .unwrap();
        let norm = normalize(text);
        let mut cands: Vec<Found> = Vec::new();
        for m in ac.find_overlapping_iter(&norm.text) {
            let (start, end) = norm.original(m.start(), m.end());
            if start >= end || !boundary_ok(text, start, end) {
                continue;
            }
            let original = &text[start..end];
            if let Some(target) = b.targets[m.pattern().as_usize()]
                .iter()
                .copied()
                .find(|t| t.accepts(original))
            {
                cands.push(Found {
                    start,
                    end,
                    target: target.into(),
                });
            }
        }
        cands.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut out = Vec::new();
        let mut covered = 0;
        for c in cands {
            if c.start >= covered {
                covered = c.end;
                out.push(c);
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn anchored_walks_find_what_an_overlapping_search_finds(
            text in "(ISIS|ISI|IS-K|Isi|isi|Khyber|Pakhtunkhwa|KP|US|us|bus| |-|_|'s|’|\\.|é|e\u{301}|İ|\u{301}|\n){0,24}"
        ) {
            let aliases = [
                ("ISI", 1),
                ("ISIS", 2),
                ("IS-K", 3),
                ("Khyber", 4),
                ("Khyber Pakhtunkhwa", 5),
                ("KP", 6),
                ("US", 7),
                ("Bus Stop", 8),
                ("é", 9),
                ("İsi", 10),
                ("Pakhtunkhwa's", 11),
            ];
            let got = matcher(&aliases).find_all(&text);
            proptest::prop_assert_eq!(got, overlapping_reference(&aliases, &text));
        }
    }

    #[test]
    fn whole_words_only() {
        let m = matcher(&[("ISI", 1), ("RS", 2), ("KP", 3), ("IS-K", 4), ("ISIS-K", 5)]);
        assert_eq!(texts(&m, "ISIS fighters"), vec![]);
        assert_eq!(texts(&m, "credit: REUTERS/Gibran"), vec![]);
        assert_eq!(texts(&m, "against ISKP today"), vec![]);
        assert_eq!(texts(&m, "the ISIS-K group"), vec![("ISIS-K".into(), 5)]);
        assert_eq!(
            texts(&m, "ISI and RS in KP; IS-K too"),
            vec![
                ("ISI".into(), 1),
                ("RS".into(), 2),
                ("KP".into(), 3),
                ("IS-K".into(), 4)
            ]
        );
    }

    #[test]
    fn a_failed_long_candidate_does_not_hide_a_shorter_one() {
        let m = matcher(&[("Khyber", 1), ("Khyber Pakhtunkhwa", 2)]);
        assert_eq!(texts(&m, "Khyber Pakhtunkhwas"), vec![("Khyber".into(), 1)]);
        assert_eq!(
            texts(&m, "in Khyber Pakhtunkhwa."),
            vec![("Khyber Pakhtunkhwa".into(), 2)]
        );
    }

    #[test]
    fn case_dash_quote_and_diacritic_variants_match() {
        let m = matcher(&[
            ("Islamic State Khorasan Province", 1),
            ("Pakistan People's Party", 2),
            ("al-Qaeda", 3),
            ("Zarb-e-Azb", 4),
        ]);
        assert_eq!(texts(&m, "Islamic State – Khorasan Province")[0].1, 1);
        assert_eq!(texts(&m, "Islamic State-Khorasan Province")[0].1, 1);
        assert_eq!(texts(&m, "the Pakistan People’s Party (PPP)")[0].1, 2);
        assert_eq!(
            texts(&m, "AL-QAEDA and Al Qaeda"),
            vec![("AL-QAEDA".into(), 3), ("Al Qaeda".into(), 3)]
        );
        assert_eq!(texts(&m, "Zarb‑é‑Azb")[0].1, 4);
    }

    #[test]
    fn acronyms_match_in_capitals_only_and_names_need_a_capital() {
        let m = matcher(&[("US", 1), ("Tank", 2)]);
        assert_eq!(texts(&m, "let us go to the US"), vec![("US".into(), 1)]);
        assert_eq!(texts(&m, "a tank in Tank"), vec![("Tank".into(), 2)]);
    }

    #[test]
    fn short_mixed_case_aliases_match_their_exact_case() {
        let m = matcher(&[("LeT", 1), ("JeM", 2)]);
        assert_eq!(
            texts(&m, "Let us see. LeT and JeM struck; LET"),
            vec![("LeT".into(), 1), ("JeM".into(), 2)]
        );
    }

    #[test]
    fn short_names_do_not_match_acronyms_but_long_names_match_datelines() {
        let m = matcher(&[("Swat", 1), ("Peshawar", 2)]);
        assert_eq!(texts(&m, "A SWAT team in Swat"), vec![("Swat".into(), 1)]);
        assert_eq!(
            texts(&m, "PESHAWAR: police said"),
            vec![("PESHAWAR".into(), 2)]
        );
    }

    #[test]
    fn names_match_in_lower_case_unless_short_single_words() {
        let m = matcher(&[("Taliban", 1), ("Islamic State", 2), ("Turkey", 3)]);
        assert_eq!(
            texts(&m, "the taliban and islamic state ate turkey in TURKEY"),
            vec![
                ("taliban".into(), 1),
                ("islamic state".into(), 2),
                ("TURKEY".into(), 3)
            ]
        );
    }

    #[test]
    fn an_acronym_that_spells_its_name_matches_in_capitals_and_title_case() {
        let mut b = MatcherBuilder::new();
        let nato = |alias: &str| {
            Target::for_alias(alias, 1, Source::Kb, 100)
                .with_acronym_cases(alias, || is_initialism_of_north_atlantic(alias))
        };
        b.add("Nato", nato("Nato"));
        b.add(
            "SIGAR",
            Target::for_alias("SIGAR", 2, Source::Kb, 100).with_acronym_cases("SIGAR", || true),
        );
        // A short word that spells no name stays out of capitals.
        b.add(
            "Swat",
            Target::for_alias("Swat", 3, Source::Kb, 100).with_acronym_cases("Swat", || false),
        );
        // Three letters are too few: "Raw" is an ordinary word.
        b.add(
            "RAW",
            Target::for_alias("RAW", 4, Source::Kb, 100).with_acronym_cases("RAW", || true),
        );
        let m = b.build();
        assert_eq!(
            texts(&m, "NATO, Nato and nato; SIGAR and Sigar but not SiGaR"),
            vec![
                ("NATO".into(), 1),
                ("Nato".into(), 1),
                ("SIGAR".into(), 2),
                ("Sigar".into(), 2)
            ]
        );
        assert_eq!(
            texts(&m, "A SWAT team in Swat. Raw data from RAW."),
            vec![("Swat".into(), 3), ("RAW".into(), 4)]
        );
    }

    fn is_initialism_of_north_atlantic(alias: &str) -> bool {
        super::super::discover::is_initialism(alias, "North Atlantic Treaty Organization")
    }

    #[test]
    fn names_glued_to_another_word_never_match_inside_it() {
        let m = matcher(&[
            ("Operation Black Rain", 1),
            ("Army", 2),
            ("Nadia Qureshi", 3),
        ]);
        // Glued to the word before, a name would cut that word: no mention.
        assert_eq!(
            texts(
                &m,
                "Related topicsOperation Black Rain. Filed byNadia Qureshi"
            ),
            vec![]
        );
        assert_eq!(texts(&m, "PakArmy and the_Army"), vec![]);
        // A name ends where a word ends, even before a glued one.
        assert_eq!(texts(&m, "Nadia Qureshireported"), vec![]);
        assert_eq!(texts(&m, "the armyArmy"), vec![]);
    }

    #[test]
    fn matches_never_split_a_grapheme() {
        let m = matcher(&[("Tank", 1)]);
        assert_eq!(
            texts(&m, "Tank\u{200D}\u{1F642} \u{0600}Tank Tank\u{1F3FD}"),
            vec![]
        );
        assert_eq!(texts(&m, "Tank \u{1F642}"), vec![("Tank".into(), 1)]);
    }

    #[test]
    fn possessives_still_match_the_name() {
        let m = matcher(&[("Pakistan", 1)]);
        assert_eq!(
            texts(&m, "Pakistan’s security and Pakistan's army"),
            vec![("Pakistan".into(), 1), ("Pakistan".into(), 1)]
        );
    }
}
