//! Quality of the embedded knowledge base: valid kinds and unique ids, no
//! name shared by two entities unless both mark it ambiguous, no alias that
//! is an ordinary English word, events with a known place, a date and a
//! valid type, bodies whose country is a place, provenance on every entry
//! outside the original file, and the breadth the corpus needs.

use dossier::entity::kb::{DEFAULT_KB, KnowledgeBase};
use dossier::entity::normalize::key;
use dossier::entity::{Entity, Kind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn kb() -> KnowledgeBase {
    KnowledgeBase::default_kb()
}

/// The types an event may have (the knowledge-base schema's list).
const EVENT_TYPES: &[&str] = &[
    "attack",
    "bombing",
    "suicide-bombing",
    "shooting",
    "massacre",
    "siege",
    "hijacking",
    "assassination",
    "kidnapping",
    "operation",
    "offensive",
    "airstrike",
    "drone-strike",
    "raid",
    "uprising",
    "battle",
    "war",
    "agreement",
    "election",
];

/// Events that are neither attacks nor operations and so carry no type.
const UNTYPED_EVENTS: &[(&str, &str)] = &[
    (
        "partition-of-india",
        "a division of territory, none of the types",
    ),
    ("moscow-format", "a series of talks, not one agreement"),
];

/// Ordinary English words that a name must not be, with the capitalised
/// forms the news also uses for them. A single word of fewer than seven
/// letters matches only with a capital, a longer one in any case: both
/// would link ordinary prose.
const COMMON_WORDS: &[&str] = &[
    "a",
    "about",
    "account",
    "act",
    "action",
    "address",
    "after",
    "again",
    "against",
    "age",
    "agency",
    "agent",
    "air",
    "all",
    "alliance",
    "also",
    "america",
    "and",
    "angel",
    "any",
    "apex",
    "area",
    "arm",
    "army",
    "art",
    "as",
    "at",
    "attack",
    "authority",
    "away",
    "back",
    "bad",
    "bank",
    "bar",
    "base",
    "battle",
    "bay",
    "be",
    "bear",
    "bed",
    "bell",
    "best",
    "big",
    "bill",
    "bird",
    "black",
    "blast",
    "block",
    "blue",
    "board",
    "body",
    "bomb",
    "book",
    "border",
    "box",
    "boy",
    "branch",
    "bread",
    "break",
    "bridge",
    "brigade",
    "brown",
    "bureau",
    "bush",
    "business",
    "but",
    "by",
    "cabinet",
    "call",
    "camp",
    "can",
    "capital",
    "car",
    "care",
    "case",
    "cell",
    "center",
    "centre",
    "chair",
    "change",
    "charge",
    "chief",
    "child",
    "church",
    "city",
    "civil",
    "clear",
    "close",
    "club",
    "coast",
    "cold",
    "come",
    "command",
    "commission",
    "committee",
    "common",
    "company",
    "congress",
    "control",
    "cook",
    "cool",
    "core",
    "corps",
    "council",
    "country",
    "court",
    "cover",
    "cross",
    "crown",
    "cup",
    "cut",
    "dam",
    "dark",
    "date",
    "dawn",
    "day",
    "dead",
    "deal",
    "defence",
    "defense",
    "delta",
    "desert",
    "diamond",
    "did",
    "division",
    "do",
    "dog",
    "door",
    "down",
    "draw",
    "dream",
    "drive",
    "drop",
    "east",
    "eagle",
    "economist",
    "edge",
    "elite",
    "embassy",
    "empire",
    "end",
    "energy",
    "even",
    "event",
    "express",
    "eye",
    "face",
    "fact",
    "fair",
    "faith",
    "fall",
    "family",
    "far",
    "farm",
    "fast",
    "father",
    "field",
    "fight",
    "file",
    "fire",
    "first",
    "fish",
    "flag",
    "fleet",
    "flight",
    "floor",
    "fly",
    "for",
    "force",
    "forces",
    "ford",
    "foreign",
    "forest",
    "fort",
    "forum",
    "foundation",
    "fox",
    "free",
    "freedom",
    "friend",
    "from",
    "front",
    "fund",
    "future",
    "game",
    "gate",
    "general",
    "get",
    "gift",
    "girl",
    "give",
    "glass",
    "global",
    "go",
    "gold",
    "good",
    "government",
    "grace",
    "grand",
    "great",
    "green",
    "ground",
    "group",
    "guard",
    "guardian",
    "guide",
    "gulf",
    "gun",
    "hall",
    "hand",
    "harbour",
    "hard",
    "have",
    "he",
    "head",
    "heart",
    "help",
    "her",
    "herald",
    "here",
    "high",
    "hill",
    "him",
    "his",
    "hold",
    "home",
    "hope",
    "horse",
    "host",
    "hot",
    "house",
    "hub",
    "hunter",
    "ice",
    "if",
    "in",
    "independent",
    "inside",
    "institute",
    "intelligence",
    "interior",
    "iron",
    "is",
    "island",
    "it",
    "job",
    "join",
    "joint",
    "judge",
    "jump",
    "just",
    "justice",
    "keep",
    "key",
    "kind",
    "king",
    "knight",
    "land",
    "last",
    "law",
    "lawfare",
    "lead",
    "league",
    "left",
    "liberty",
    "life",
    "light",
    "like",
    "line",
    "lion",
    "little",
    "live",
    "local",
    "long",
    "lord",
    "love",
    "low",
    "main",
    "major",
    "make",
    "man",
    "march",
    "mark",
    "market",
    "master",
    "may",
    "me",
    "media",
    "meet",
    "member",
    "mercy",
    "middle",
    "might",
    "mile",
    "military",
    "mill",
    "mind",
    "mine",
    "ministry",
    "mirror",
    "mission",
    "model",
    "money",
    "moon",
    "more",
    "morning",
    "mother",
    "mount",
    "move",
    "movement",
    "much",
    "must",
    "my",
    "name",
    "nation",
    "national",
    "nature",
    "navy",
    "near",
    "network",
    "new",
    "news",
    "next",
    "night",
    "no",
    "noble",
    "north",
    "not",
    "now",
    "oak",
    "observer",
    "ocean",
    "of",
    "off",
    "office",
    "oil",
    "old",
    "on",
    "one",
    "open",
    "operation",
    "or",
    "order",
    "other",
    "our",
    "out",
    "over",
    "pace",
    "page",
    "palace",
    "paper",
    "park",
    "part",
    "party",
    "pass",
    "patrol",
    "peace",
    "pearl",
    "pentagon",
    "people",
    "pilot",
    "pioneer",
    "place",
    "plain",
    "plan",
    "plant",
    "play",
    "point",
    "police",
    "policy",
    "poll",
    "pool",
    "port",
    "post",
    "power",
    "press",
    "price",
    "prime",
    "prince",
    "program",
    "programme",
    "project",
    "province",
    "public",
    "queen",
    "quest",
    "quick",
    "race",
    "radio",
    "rain",
    "range",
    "ranger",
    "rangers",
    "raw",
    "ray",
    "reach",
    "read",
    "real",
    "record",
    "red",
    "reform",
    "region",
    "relief",
    "report",
    "republic",
    "rescue",
    "resistance",
    "rest",
    "review",
    "ridge",
    "right",
    "ring",
    "rise",
    "river",
    "road",
    "rock",
    "rose",
    "round",
    "royal",
    "rule",
    "run",
    "safe",
    "said",
    "saint",
    "salt",
    "same",
    "save",
    "say",
    "school",
    "sea",
    "seal",
    "second",
    "secret",
    "security",
    "see",
    "senate",
    "service",
    "set",
    "shadow",
    "she",
    "shield",
    "ship",
    "shore",
    "short",
    "show",
    "side",
    "sign",
    "silver",
    "sky",
    "small",
    "smith",
    "snow",
    "so",
    "society",
    "soldier",
    "some",
    "son",
    "south",
    "space",
    "special",
    "spring",
    "squad",
    "square",
    "staff",
    "stage",
    "stand",
    "star",
    "state",
    "station",
    "steel",
    "step",
    "stone",
    "storm",
    "street",
    "strike",
    "strong",
    "sun",
    "support",
    "supreme",
    "swift",
    "sword",
    "table",
    "take",
    "tank",
    "task",
    "team",
    "temple",
    "test",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "they",
    "thing",
    "this",
    "thunder",
    "tiger",
    "tigers",
    "time",
    "times",
    "to",
    "today",
    "top",
    "tower",
    "town",
    "trade",
    "train",
    "tree",
    "tribune",
    "trust",
    "truth",
    "turkey",
    "turn",
    "under",
    "union",
    "unit",
    "unity",
    "up",
    "us",
    "valley",
    "victory",
    "view",
    "village",
    "voice",
    "wall",
    "war",
    "watch",
    "water",
    "way",
    "we",
    "welfare",
    "well",
    "west",
    "what",
    "when",
    "white",
    "who",
    "will",
    "wind",
    "wing",
    "winter",
    "with",
    "wolf",
    "wood",
    "word",
    "work",
    "world",
    "year",
    "yes",
    "you",
    "young",
    "youth",
    "zone",
];

/// Aliases that are English words and are kept on purpose.
const ALLOWED_WORDS: &[(&str, &str)] = &[
    (
        "Tank",
        "a district of Khyber Pakhtunkhwa; matched only with a capital",
    ),
    ("Turkey", "the country; matched only with a capital"),
    (
        "Dawn",
        "Pakistan's newspaper of record, cited constantly; matched only with a capital",
    ),
    (
        "Pentagon",
        "the US defence department, named so in every report",
    ),
    ("America", "the United States"),
    (
        "Bush",
        "kept only as part of longer names; listed to document the case",
    ),
];

fn is_acronym(alias: &str) -> bool {
    let letters: Vec<char> = alias.chars().filter(|c| c.is_alphabetic()).collect();
    !letters.is_empty() && letters.iter().all(|c| c.is_uppercase())
}

fn names(e: &Entity) -> impl Iterator<Item = &String> {
    std::iter::once(&e.name).chain(&e.aliases)
}

#[test]
fn ids_are_unique_and_kinds_valid() {
    let kb = kb();
    let mut seen = BTreeSet::new();
    for e in kb.entities() {
        assert!(seen.insert(e.id.as_str()), "{} defined twice", e.id);
        assert!(
            Kind::parse(e.kind.as_str()).is_some(),
            "{} has kind {:?}",
            e.id,
            e.kind
        );
        assert!(
            e.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id {:?} is not lower-case words and hyphens",
            e.id
        );
    }
}

#[test]
fn no_name_is_shared_unless_both_entities_mark_it_ambiguous() {
    let kb = kb();
    let mut owners: HashMap<String, BTreeSet<&str>> = HashMap::new();
    for e in kb.entities() {
        for n in names(e) {
            owners.entry(key(n)).or_default().insert(e.id.as_str());
        }
    }
    let ambiguous: HashMap<&str, BTreeSet<String>> = kb
        .entities()
        .iter()
        .map(|e| {
            (
                e.id.as_str(),
                e.facts.ambiguous.iter().map(|a| key(a)).collect(),
            )
        })
        .collect();
    let mut clashes = Vec::new();
    for (k, ids) in &owners {
        if ids.len() > 1 && !ids.iter().all(|id| ambiguous[id].contains(k)) {
            clashes.push(format!("{k:?}: {ids:?}"));
        }
    }
    clashes.sort();
    assert!(clashes.is_empty(), "shared names:\n{}", clashes.join("\n"));
    // And a name marked ambiguous is one the entity has, and shares.
    for e in kb.entities() {
        for a in &e.facts.ambiguous {
            let k = key(a);
            assert!(
                names(e).any(|n| key(n) == k),
                "{}: ambiguous {a:?} is none of its names",
                e.id
            );
            assert!(
                owners[&k].len() > 1,
                "{}: ambiguous {a:?} is not shared",
                e.id
            );
        }
    }
}

#[test]
fn no_name_is_an_ordinary_english_word() {
    let common: BTreeSet<&str> = COMMON_WORDS.iter().copied().collect();
    let allowed: BTreeSet<String> = ALLOWED_WORDS.iter().map(|(w, _)| key(w)).collect();
    let kb = kb();
    let mut bad = Vec::new();
    for e in kb.entities() {
        for n in names(e) {
            let k = key(n);
            if common.contains(k.as_str()) && !is_acronym(n) && !allowed.contains(&k) {
                bad.push(format!("{}: {n:?}", e.id));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "ordinary words as names:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_common_word_check_catches_a_word() {
    // The check above is only as good as its list: it must flag a plain word.
    let common: BTreeSet<&str> = COMMON_WORDS.iter().copied().collect();
    assert!(common.contains(key("Republic").as_str()));
    assert!(common.contains(key("Express").as_str()));
    assert!(!is_acronym("Republic") && is_acronym("RAW"));
}

fn valid_date(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let num = |s: &str, len: usize, lo: u32, hi: u32| {
        s.len() == len && s.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))
    };
    match parts.as_slice() {
        [y] => num(y, 4, 1800, 2100),
        [y, m] => num(y, 4, 1800, 2100) && num(m, 2, 1, 12),
        [y, m, d] => num(y, 4, 1800, 2100) && num(m, 2, 1, 12) && num(d, 2, 1, 31),
        _ => false,
    }
}

#[test]
fn every_event_has_a_known_place_a_date_and_a_type() {
    let kb = kb();
    let untyped: BTreeMap<&str, &str> = UNTYPED_EVENTS.iter().copied().collect();
    for e in kb.entities().iter().filter(|e| e.kind == Kind::Event) {
        let place = e
            .facts
            .place
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no place", e.id));
        let p = kb
            .get(place)
            .unwrap_or_else(|| panic!("{}: no entity {place}", e.id));
        assert_eq!(p.kind, Kind::Place, "{}: {place} is not a place", e.id);
        let date = e
            .facts
            .date
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no date", e.id));
        assert!(valid_date(date), "{}: bad date {date:?}", e.id);
        match e.facts.event_type.as_deref() {
            Some(t) => assert!(EVENT_TYPES.contains(&t), "{}: bad type {t:?}", e.id),
            None => assert!(untyped.contains_key(e.id.as_str()), "{} has no type", e.id),
        }
    }
    assert!(valid_date("2016-08-08") && valid_date("2016") && !valid_date("2016-13"));
}

#[test]
fn facts_point_at_places_and_only_where_they_belong() {
    let kb = kb();
    for e in kb.entities() {
        if let Some(c) = &e.facts.country {
            let p = kb
                .get(c)
                .unwrap_or_else(|| panic!("{}: no country {c}", e.id));
            assert_eq!(p.kind, Kind::Place, "{}: country {c} is not a place", e.id);
        }
        if e.kind != Kind::Event {
            assert!(
                e.facts.date.is_none() && e.facts.event_type.is_none(),
                "{}: date or type on a non-event",
                e.id
            );
        }
        if !e.facts.generic.is_empty() {
            assert!(
                e.facts.country.is_some(),
                "{}: generic names but no country",
                e.id
            );
        }
    }
}

#[test]
fn a_generic_name_is_no_other_entitys_name() {
    let kb = kb();
    let mut owner: HashMap<String, &str> = HashMap::new();
    for e in kb.entities() {
        for n in names(e) {
            owner.insert(key(n), e.id.as_str());
        }
    }
    for e in kb.entities() {
        for g in &e.facts.generic {
            if let Some(other) = owner.get(&key(g)) {
                assert_eq!(*other, e.id, "{}: generic {g:?} is a name of {other}", e.id);
            }
        }
    }
}

#[test]
fn entries_beyond_the_original_file_carry_provenance() {
    let original = DEFAULT_KB
        .split("\n# Places beyond default.toml")
        .next()
        .expect("the default file comes first");
    let mut first = KnowledgeBase::new();
    first
        .add_toml(std::path::Path::new("default.toml"), original)
        .expect("the original file parses alone");
    let kb = kb();
    for e in kb.entities().iter().filter(|e| first.get(&e.id).is_none()) {
        assert!(
            e.facts
                .source
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty()),
            "{} has no source",
            e.id
        );
    }
    assert!(kb.len() > first.len());
}

#[test]
fn the_knowledge_base_is_broad() {
    let kb = kb();
    let count = |k: Kind| kb.entities().iter().filter(|e| e.kind == k).count();
    assert!(count(Kind::Place) >= 750, "places: {}", count(Kind::Place));
    assert!(
        count(Kind::Person) >= 540,
        "people: {}",
        count(Kind::Person)
    );
    assert!(count(Kind::Org) >= 350, "orgs: {}", count(Kind::Org));
    assert!(count(Kind::Event) >= 250, "events: {}", count(Kind::Event));
    assert!(count(Kind::Group) >= 120, "groups: {}", count(Kind::Group));
    for id in [
        "aps-peshawar-attack",
        "peshawar-police-lines-mosque-bombing",
        "jaffar-express-hijacking",
        "operation-zarb-e-azb",
        "counter-terrorism-department-kp",
        "frontier-corps-balochistan",
        "peshawar-high-court",
        "ministry-of-interior-afghanistan",
        "the-diplomat",
        "south-asia-terrorism-portal",
        "upper-kohistan",
        "pul-e-charkhi",
        "darazinda",
        "makran-division",
        "muridke",
        "paf-base-nur-khan",
        "abdul-rehman-makki",
        "kamdesh",
    ] {
        assert!(kb.get(id).is_some(), "missing {id}");
    }
}
