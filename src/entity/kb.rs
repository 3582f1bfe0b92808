//! Knowledge bases: TOML files of entities and their aliases.
//!
//! ```toml
//! [[entity]]
//! id = "tehrik-i-taliban-pakistan"
//! name = "Tehrik-i-Taliban Pakistan"
//! kind = "group"                       # group, event, person, org, place, other
//! aliases = ["TTP", "Pakistani Taliban"]
//! description = "Umbrella of Pakistani militant groups, founded 2007."
//! external = { wikidata = "Q1049495" }
//! ```
//!
//! A default knowledge base is embedded in the binary; users add files with
//! `--kb FILE` and a corpus may carry its own `dossier.toml`. When two files
//! define the same id, the later file's aliases are added and its other fields
//! win, so a user's file can patch the default one.

use super::{Entity, Facts, Kind};
use crate::files;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use thiserror::Error;
use toml::Spanned;

/// The knowledge base that ships inside the binary.
pub const DEFAULT_KB: &str = concat!(
    include_str!("../../kb/default.toml"),
    "\n",
    include_str!("../../kb/places.toml"),
    "\n",
    include_str!("../../kb/groups.toml"),
    "\n",
    include_str!("../../kb/events.toml"),
    "\n",
    include_str!("../../kb/orgs.toml"),
    "\n",
    include_str!("../../kb/people.toml"),
);

/// A knowledge-base file could not be used.
#[derive(Debug, Error)]
pub enum KbError {
    #[error("{path}: cannot read the knowledge base")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Invalid {
        path: PathBuf,
        line: usize,
        reason: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KbFile {
    #[serde(default)]
    entity: Vec<Spanned<RawEntity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    id: String,
    name: String,
    kind: Spanned<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    external: BTreeMap<String, String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    event_type: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    generic: Vec<String>,
    #[serde(default)]
    ambiguous: Vec<String>,
    #[serde(default)]
    source: Option<String>,
}

/// A set of entities with unique ids, in the order they were first defined.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    entities: Vec<Entity>,
    by_id: HashMap<String, usize>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl KnowledgeBase {
    /// An empty knowledge base.
    pub fn new() -> Self {
        Self::default()
    }

    /// The embedded default knowledge base.
    pub fn default_kb() -> Self {
        let mut kb = Self::new();
        // The default file is tested to parse; an error here is a build defect.
        if let Err(e) = kb.add_toml(Path::new("<default kb>"), DEFAULT_KB) {
            panic!("the embedded knowledge base is invalid: {e}");
        }
        kb
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn len(&self) -> usize {
        self.entities.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_id.get(id).map(|&i| &self.entities[i])
    }

    /// Reads and adds a knowledge-base file: a regular file of at most
    /// [`files::DATA_CAP`] bytes (a FIFO or a device is refused at once).
    pub fn add_file(&mut self, path: &Path) -> Result<(), KbError> {
        let bytes = files::read_regular(path, files::DATA_CAP).map_err(|e| KbError::Read {
            path: path.to_path_buf(),
            source: e.into(),
        })?;
        let text = String::from_utf8(bytes).map_err(|e| KbError::Invalid {
            path: path.to_path_buf(),
            line: line_of(
                &String::from_utf8_lossy(e.as_bytes()),
                e.utf8_error().valid_up_to(),
            ),
            reason: "the file is not valid UTF-8".into(),
        })?;
        self.add_toml(path, &text)
    }

    /// Parses TOML text and adds its entities. On error nothing is added.
    pub fn add_toml(&mut self, path: &Path, text: &str) -> Result<(), KbError> {
        let invalid = |offset: usize, reason: String| KbError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, offset),
            reason,
        };
        let file: KbFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            invalid(offset, e.message().trim().to_string())
        })?;
        let mut parsed = Vec::with_capacity(file.entity.len());
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for spanned in &file.entity {
            let at = spanned.span().start;
            let raw = spanned.get_ref();
            let id = raw.id.trim();
            if id.is_empty() || id.chars().any(char::is_whitespace) {
                return Err(invalid(
                    at,
                    format!(
                        "entity id {:?} must be non-empty and contain no spaces",
                        raw.id
                    ),
                ));
            }
            if let Some(first) = seen.insert(id, at) {
                return Err(invalid(
                    at,
                    format!(
                        "entity id {id:?} is defined twice (first on line {})",
                        line_of(text, first)
                    ),
                ));
            }
            if raw.name.trim().is_empty() {
                return Err(invalid(at, format!("entity {id:?} has an empty name")));
            }
            let kind = Kind::parse(raw.kind.get_ref()).ok_or_else(|| {
                invalid(
                    raw.kind.span().start,
                    format!(
                        "entity {id:?} has unknown kind {:?} (expected group, event, person, org, place or other)",
                        raw.kind.get_ref()
                    ),
                )
            })?;
            if let Some(bad) = raw.aliases.iter().find(|a| a.trim().is_empty()) {
                return Err(invalid(
                    at,
                    format!("entity {id:?} has an empty alias {bad:?}"),
                ));
            }
            parsed.push(Entity {
                id: id.to_string(),
                name: raw.name.trim().to_string(),
                kind,
                aliases: raw.aliases.iter().map(|a| a.trim().to_string()).collect(),
                description: raw.description.clone(),
                external: raw.external.clone(),
                facts: Facts {
                    place: raw.place.clone(),
                    date: raw.date.clone(),
                    event_type: raw.event_type.clone(),
                    country: raw.country.clone(),
                    generic: raw.generic.iter().map(|a| a.trim().to_string()).collect(),
                    ambiguous: raw.ambiguous.iter().map(|a| a.trim().to_string()).collect(),
                    source: raw.source.clone(),
                },
            });
        }
        for entity in parsed {
            self.insert(entity);
        }
        Ok(())
    }

    /// Adds an entity, or merges it into the one with the same id: aliases
    /// are added, the other fields are replaced.
    pub fn insert(&mut self, entity: Entity) {
        match self.by_id.get(&entity.id) {
            Some(&i) => {
                let old = &mut self.entities[i];
                let mut aliases = std::mem::take(&mut old.aliases);
                if old.name != entity.name && !aliases.contains(&old.name) {
                    aliases.push(old.name.clone());
                }
                for a in entity.aliases {
                    if !aliases.contains(&a) {
                        aliases.push(a);
                    }
                }
                aliases.retain(|a| *a != entity.name);
                old.name = entity.name;
                old.kind = entity.kind;
                old.aliases = aliases;
                if entity.description.is_some() {
                    old.description = entity.description;
                }
                old.external.extend(entity.external);
                if !entity.facts.is_empty() {
                    old.facts = entity.facts;
                }
            }
            None => {
                self.by_id.insert(entity.id.clone(), self.entities.len());
                self.entities.push(entity);
            }
        }
    }

    /// Serialises the knowledge base as TOML that [`Self::add_toml`] reads back.
    pub fn to_toml(&self) -> String {
        use crate::text::safe::toml_string;
        // Written by hand rather than by `toml::to_string`, which may choose
        // literal strings: every string here is a basic string in which no
        // control or bidi character appears raw.
        let mut out = String::new();
        for e in &self.entities {
            out.push_str("[[entity]]\n");
            out.push_str(&format!("id = {}\n", toml_string(&e.id)));
            out.push_str(&format!("name = {}\n", toml_string(&e.name)));
            out.push_str(&format!("kind = {}\n", toml_string(e.kind.as_str())));
            let aliases: Vec<String> = e.aliases.iter().map(|a| toml_string(a)).collect();
            out.push_str(&format!("aliases = [{}]\n", aliases.join(", ")));
            if let Some(d) = &e.description {
                out.push_str(&format!("description = {}\n", toml_string(d)));
            }
            if !e.external.is_empty() {
                let pairs: Vec<String> = e
                    .external
                    .iter()
                    .map(|(k, v)| format!("{} = {}", toml_string(k), toml_string(v)))
                    .collect();
                out.push_str(&format!("external = {{ {} }}\n", pairs.join(", ")));
            }
            let f = &e.facts;
            for (key, value) in [
                ("place", &f.place),
                ("date", &f.date),
                ("event_type", &f.event_type),
                ("country", &f.country),
                ("source", &f.source),
            ] {
                if let Some(v) = value {
                    out.push_str(&format!("{key} = {}\n", toml_string(v)));
                }
            }
            for (key, list) in [("generic", &f.generic), ("ambiguous", &f.ambiguous)] {
                if !list.is_empty() {
                    let items: Vec<String> = list.iter().map(|a| toml_string(a)).collect();
                    out.push_str(&format!("{key} = [{}]\n", items.join(", ")));
                }
            }
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<KnowledgeBase, KbError> {
        let mut kb = KnowledgeBase::new();
        kb.add_toml(Path::new("test.toml"), text).map(|_| kb)
    }

    #[test]
    fn default_kb_parses_and_is_broad() {
        let kb = KnowledgeBase::default_kb();
        assert!(kb.len() >= 150, "default KB has only {} entities", kb.len());
        for kind in [
            Kind::Group,
            Kind::Event,
            Kind::Person,
            Kind::Org,
            Kind::Place,
        ] {
            assert!(
                kb.entities().iter().filter(|e| e.kind == kind).count() >= 10,
                "too few entities of kind {kind}"
            );
        }
    }

    #[test]
    fn parses_an_entity_with_all_fields() {
        let kb = parse(
            r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP"]
description = "d"
external = { wikidata = "Q1" }
"#,
        )
        .unwrap();
        let e = kb.get("ttp").unwrap();
        assert_eq!(e.kind, Kind::Group);
        assert_eq!(e.aliases, vec!["TTP"]);
        assert_eq!(e.external["wikidata"], "Q1");
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let err = parse("[[entity]]\nid = \"a\"\nname = \"A\nkind = \"group\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("test.toml:3:"), "{msg}");
    }

    #[test]
    fn unknown_kind_names_the_line_and_the_kind() {
        let err = parse("[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"tribe\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("test.toml:4:"), "{msg}");
        assert!(msg.contains("tribe"), "{msg}");
    }

    #[test]
    fn missing_field_and_unknown_field_are_errors() {
        let err = parse("[[entity]]\nid = \"a\"\nkind = \"group\"\n").unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
        let err = parse("[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"group\"\ncolour = 1\n")
            .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn duplicate_id_is_an_error_naming_both_lines() {
        let err = parse(
            "[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"group\"\n\n[[entity]]\nid = \"a\"\nname = \"B\"\nkind = \"group\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("test.toml:6:"), "{msg}");
        assert!(msg.contains("line 1"), "{msg}");
    }

    #[test]
    fn a_later_file_patches_an_entity_by_id() {
        let mut kb =
            parse("[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"group\"\naliases = [\"X\"]\n")
                .unwrap();
        kb.add_toml(
            Path::new("user.toml"),
            "[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"org\"\naliases = [\"Y\"]\n",
        )
        .unwrap();
        let e = kb.get("a").unwrap();
        assert_eq!(e.kind, Kind::Org);
        assert_eq!(e.aliases, vec!["X", "Y"]);
        assert_eq!(kb.len(), 1);
    }

    #[test]
    fn toml_round_trip() {
        let kb =
            parse("[[entity]]\nid = \"a\"\nname = \"A\"\nkind = \"place\"\naliases = [\"B\"]\n")
                .unwrap();
        let again = parse(&kb.to_toml()).unwrap();
        assert_eq!(again.entities(), kb.entities());
    }

    #[test]
    fn facts_are_read_and_round_trip() {
        let kb = parse(
            r#"
[[entity]]
id = "quetta-hospital-bombing"
name = "2016 Quetta hospital bombing"
kind = "event"
place = "quetta"
date = "2016-08-08"
event_type = "bombing"
source = "reference: list of terrorist incidents in Pakistan"

[[entity]]
id = "interior-ministry-pakistan"
name = "Ministry of Interior (Pakistan)"
kind = "org"
country = "pakistan"
generic = ["Interior Ministry", " Ministry of Interior "]
ambiguous = ["MoI"]
"#,
        )
        .unwrap();
        let event = kb.get("quetta-hospital-bombing").unwrap();
        assert_eq!(event.facts.place.as_deref(), Some("quetta"));
        assert_eq!(event.facts.date.as_deref(), Some("2016-08-08"));
        assert_eq!(event.facts.event_type.as_deref(), Some("bombing"));
        let body = kb.get("interior-ministry-pakistan").unwrap();
        assert_eq!(
            body.facts.generic,
            ["Interior Ministry", "Ministry of Interior"]
        );
        assert_eq!(body.facts.ambiguous, ["MoI"]);
        assert_eq!(parse(&kb.to_toml()).unwrap().entities(), kb.entities());
    }

    #[test]
    fn toml_export_escapes_controls_and_bidi_and_round_trips() {
        let hostile = "Evil\u{1b}]2;TITLE\u{7} \u{9b}2J \u{202e}gnp.exe 'q' \"d\" \\";
        let mut kb = KnowledgeBase::new();
        kb.entities.push(Entity {
            id: "evil".into(),
            name: hostile.into(),
            kind: Kind::Group,
            aliases: vec![hostile.into(), "plain".into()],
            description: Some(hostile.into()),
            external: BTreeMap::from([("wikidata".into(), hostile.into())]),
            facts: Default::default(),
        });
        let toml = kb.to_toml();
        assert!(
            !toml
                .chars()
                .any(|c| c != '\n' && crate::text::safe::is_unsafe(c)),
            "{toml}"
        );
        let again = parse(&toml).unwrap();
        assert_eq!(again.entities(), kb.entities());
    }
}
