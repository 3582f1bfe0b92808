//! Entities, the knowledge base, and the engine that finds their mentions.
//!
//! Links come from five places, applied in this order: the knowledge base
//! ([`kb`]) and the forms derived from its names (particles, word order,
//! branches), rules, abbreviation definitions and translations learned
//! from the text ([`discover`], [`stage_learn`]), the document's context
//! ([`stage_context`]), spelling-variant suggestions, and a person's
//! annotations (applied last, always winning).

pub mod digest;
pub mod discover;
pub mod engine;
mod forms;
pub mod kb;
pub mod matcher;
pub mod normalize;
pub mod stage_context;
pub mod stage_kb;
pub mod stage_learn;
pub mod stage_link;
pub mod stage_match;
pub mod stage_names;
mod tokens;
mod variants;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use engine::{Analysis, Engine, Progress};
pub use kb::{KbError, KnowledgeBase};

/// What sort of thing an entity is. Highlighting and filtering go by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Group,
    Event,
    Person,
    Org,
    Place,
    /// A proper name that nothing else explains.
    Other,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Group,
        Kind::Event,
        Kind::Person,
        Kind::Org,
        Kind::Place,
        Kind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Group => "group",
            Kind::Event => "event",
            Kind::Person => "person",
            Kind::Org => "org",
            Kind::Place => "place",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a mention's link came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// An alias in a knowledge base.
    Kb,
    /// An abbreviation defined in the text ("Long Form (ABBR)").
    Abbreviation,
    /// A short reference to a person named in full earlier in the document.
    Person,
    /// A suggested spelling variant of a known name; a person may accept or reject it.
    Variant,
    /// A pattern rule ("Operation X", a "Pak-" prefix, a trailing year).
    Rule,
    /// A capitalised name that nothing else explains.
    Name,
    /// A person's annotation.
    Annotation,
    /// Decided by the document's context: a name several entities share,
    /// a generic name of a country's body, an event named by description.
    Context,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Kb => "kb",
            Source::Abbreviation => "abbreviation",
            Source::Person => "person",
            Source::Variant => "variant",
            Source::Rule => "rule",
            Source::Name => "name",
            Source::Annotation => "annotation",
            Source::Context => "context",
        }
    }

    /// Suggestions are links a person has not confirmed.
    pub fn is_suggestion(self) -> bool {
        matches!(self, Source::Variant)
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index of a document in [`crate::corpus::Corpus::docs`].
pub type DocId = u32;
/// Index of an entity in [`Analysis::entities`].
pub type EntityId = u32;

/// A named thing: a group, an operation, a person, an organisation, a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable, human-readable id (`tehrik-i-taliban-pakistan`).
    pub id: String,
    /// Display name.
    pub name: String,
    pub kind: Kind,
    /// Other surface forms, not including `name`.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// External identifiers, e.g. `wikidata = "Q123"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external: BTreeMap<String, String>,
    /// What the knowledge base says of the entity beyond its names.
    #[serde(default, skip_serializing_if = "Facts::is_empty")]
    pub facts: Facts,
}

/// Fields a knowledge-base entry may carry beyond its names: where and when
/// an event happened and what it was, whose body an organisation is, which
/// partial names the article's context resolves to it, which of its aliases
/// it deliberately shares with another entity, and where the entry came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// An event's place, or an organisation's seat: a place entity's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// An event's date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// An event's type: `attack`, `bombing`, `operation`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// The country (a place entity's id) a body belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Partial or generic names ("Interior Ministry") that link to this
    /// entity only where the article's country is [`Facts::country`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generic: Vec<String>,
    /// Aliases this entity shares with another on purpose ("Haqqani"):
    /// context decides between them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ambiguous: Vec<String>,
    /// Where the entry came from (a reference work, a report).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Facts {
    pub fn is_empty(&self) -> bool {
        *self == Facts::default()
    }
}

/// One mention of an entity: a byte range of a document. Kept compact because
/// a large corpus has millions of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mention {
    pub doc: DocId,
    pub start: u32,
    pub end: u32,
    pub entity: EntityId,
    pub source: Source,
    /// Confidence in the link, in percent (100 for knowledge-base matches).
    pub confidence: u8,
}

impl Mention {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}
/// Feeds an entity's id, name, aliases and kind to `h`: what the index
/// cache's key and the engine's fingerprint of what it learned hash.
pub fn hash_entity(h: &mut impl std::hash::Hasher, e: &Entity) {
    for s in std::iter::once(&e.id)
        .chain(std::iter::once(&e.name))
        .chain(&e.aliases)
    {
        h.write(s.as_bytes());
        h.write_u8(0xff);
    }
    h.write(e.kind.as_str().as_bytes());
    h.write_u8(0xfe);
}

/// A readable entity id from a name ("Pak Army" → `pak-army`), made unique
/// with a numeric suffix while `taken` says the id is in use.
pub fn unique_id(name: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = String::new();
    for c in normalize::key(name).chars() {
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

/// Hands the memory freed so far back to the system. The engine's working
/// data is millions of small per-document parts made on every core, and
/// the texts were read on every core too: the C allocator keeps what they
/// leave in each thread's arena, where what is built next on another
/// thread cannot use it, so that without this each stage's data would
/// stack on top of the last's (a fifth of the peak on 100,000 articles).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointer and frees no live allocation: it
    // only returns the allocator's free pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}
