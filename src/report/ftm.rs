//! The corpus as FollowTheMoney entities, one JSON object a line, as the
//! `ftm` tool and Aleph ingest them (`ftm store write`, `alephclient
//! write-entities`).
//!
//! Written against the FollowTheMoney 4 schema (checked with the Python
//! `followthemoney` 4.11): groups and organisations are `Organization`s,
//! people `Person`s, places `Address`es (FtM has no place schema; the name
//! is the address's `full` form) and events `Event`s. Each document is a
//! `Document` with its text, and each (document, entity) pair a `Mention`
//! that ties the document to the entity it `resolved` to, with the names
//! seen. Entities of kind `other` (names the engine found but could not
//! type) have no schema here: they are listed in their documents'
//! `namesMentioned` instead.
//!
//! Ids are stable across runs and machines: the SHA-1, in hex, of the
//! compact JSON array `["dossier", "entity", ENTITY_ID]`,
//! `["dossier", "document", DOC_ID]` or
//! `["dossier", "mention", DOC_ID, ENTITY_ID]` (as Python's
//! `json.dumps(parts, separators=(",", ":"), ensure_ascii=False)` writes
//! it), so that the same entity has the same id in every export.

use crate::entity::{Entity, EntityId, Kind};
use crate::index::Index;
use crate::text::safe::to_json;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The FollowTheMoney version this export follows.
pub const FTM_VERSION: &str = "4";

/// The FtM schema of an entity kind; `None` for `other`.
pub fn schema_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Group | Kind::Org => Some("Organization"),
        Kind::Person => Some("Person"),
        Kind::Place => Some("Address"),
        Kind::Event => Some("Event"),
        Kind::Other => None,
    }
}

/// The SHA-1 (hex) of `parts` as a compact JSON array.
fn make_id(parts: &[&str]) -> String {
    let key = serde_json::to_string(parts).unwrap_or_default();
    sha1_smol::Sha1::from(key.as_bytes()).digest().to_string()
}

/// The FtM id of an entity of the knowledge base.
pub fn entity_id(id: &str) -> String {
    make_id(&["dossier", "entity", id])
}

/// The FtM id of a document.
pub fn document_id(doc: &str) -> String {
    make_id(&["dossier", "document", doc])
}

/// The FtM id of the mentions of entity `entity` in document `doc`.
pub fn mention_id(doc: &str, entity: &str) -> String {
    make_id(&["dossier", "mention", doc, entity])
}

/// Properties, each a list of distinct values in the order first given
/// (empty values left out).
#[derive(Default)]
struct Props(Map<String, Value>);

/// A name as FtM keeps it: each run of white space one space (a name
/// broken across two lines of an article is one name).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Props {
    /// Adds a value of one line (white space folded, see [`one_line`]).
    fn add(&mut self, name: &str, value: &str) {
        self.add_text(name, &one_line(value));
    }

    /// Adds a value as it is (a document's text), trimmed.
    fn add_text(&mut self, name: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let list = self
            .0
            .entry(name.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list
            && !items.iter().any(|v| v.as_str() == Some(value))
        {
            items.push(Value::String(value.to_string()));
        }
    }

    fn line(self, id: &str, schema: &str, out: &mut dyn Write) -> io::Result<()> {
        let e = json!({"id": id, "schema": schema, "properties": Value::Object(self.0)});
        writeln!(out, "{}", to_json(&e))
    }
}

/// A date FtM reads: the `YYYY`, `YYYY-MM` or `YYYY-MM-DD` a value starts
/// with, if it starts with one.
fn iso_date(s: &str) -> Option<&str> {
    let b = s.trim().as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !digits(0..4) {
        return None;
    }
    let mut end = 4;
    if b.get(4) == Some(&b'-') && digits(5..7) {
        end = 7;
        if b.get(7) == Some(&b'-') && digits(8..10) {
            end = 10;
        }
    }
    if b.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    s.trim().get(..end)
}

fn web_address(s: &str) -> Option<&str> {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://")).then_some(s)
}

fn write_entity(index: &Index, e: EntityId, out: &mut dyn Write) -> io::Result<bool> {
    let ent: &Entity = index.entity(e);
    let Some(schema) = schema_of(ent.kind) else {
        return Ok(false);
    };
    let mut p = Props::default();
    if ent.kind == Kind::Place {
        p.add("full", &ent.name);
    }
    p.add("name", &ent.name);
    let seen = index.aliases_seen(e);
    for alias in ent.aliases.iter().chain(seen.iter().map(|(a, _)| a)) {
        if one_line(alias) != one_line(&ent.name) {
            p.add("alias", alias);
        }
    }
    if let Some(d) = &ent.description {
        p.add("description", d);
    }
    if let Some(q) = ent.external.get("wikidata") {
        p.add("wikidataId", q);
    }
    if ent.kind == Kind::Event {
        if let Some(d) = ent.facts.date.as_deref().and_then(iso_date) {
            p.add("date", d);
        }
        if let Some(place) = ent.facts.place.as_deref() {
            let name = index
                .entity_by_id(place)
                .map_or(place, |pl| index.entity(pl).name.as_str());
            p.add("location", name);
        }
    }
    p.line(&entity_id(&ent.id), schema, out)?;
    Ok(true)
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    pub entities: usize,
    pub documents: usize,
    pub mentions: usize,
}

/// Writes the FtM entities of `index`: first every entity that is
/// mentioned (by id), then each document followed by its mentions (by
/// entity id). Each text is read once and not kept.
pub fn write(index: &Index, out: &mut dyn Write) -> io::Result<Written> {
    let mut written = Written::default();
    let mut order: Vec<EntityId> = (0..index.entities().len() as EntityId)
        .filter(|&e| index.stats(e).mentions > 0)
        .collect();
    order.sort_by(|&a, &b| index.entity(a).id.cmp(&index.entity(b).id));
    for &e in &order {
        if write_entity(index, e, out)? {
            written.entities += 1;
        }
    }
    for (d, doc) in index.docs().iter().enumerate() {
        let d = d as u32;
        // Each entity's forms in this document, by entity id.
        let mut forms: BTreeMap<&str, (EntityId, Vec<&str>)> = BTreeMap::new();
        for (i, m) in index.doc_mentions(d).iter().enumerate() {
            let ent = index.entity(m.entity);
            let entry = forms
                .entry(ent.id.as_str())
                .or_insert((m.entity, Vec::new()));
            let form = index.form(d, i);
            if !entry.1.contains(&form) {
                entry.1.push(form);
            }
        }
        let doc_ftm = document_id(&doc.id);
        let mut p = Props::default();
        p.add("fileName", &doc.path);
        p.add("title", &doc.title);
        if let Some(u) = doc.url.as_deref().and_then(web_address) {
            p.add("sourceUrl", u);
        }
        if let Some(date) = doc
            .date
            .as_ref()
            .and_then(|d| d.published())
            .and_then(iso_date)
        {
            p.add("publishedAt", date);
        }
        for (e, _) in forms.values() {
            let ent = index.entity(*e);
            let prop = match ent.kind {
                Kind::Person => "peopleMentioned",
                Kind::Group | Kind::Org => "companiesMentioned",
                Kind::Place => "locationMentioned",
                Kind::Event | Kind::Other => "namesMentioned",
            };
            p.add(prop, &ent.name);
        }
        p.add_text("bodyText", &doc.text.fetch());
        p.line(&doc_ftm, "Document", out)?;
        written.documents += 1;
        for (id, (e, names)) in &forms {
            let Some(schema) = schema_of(index.entity(*e).kind) else {
                continue;
            };
            let mut p = Props::default();
            p.add("document", &doc_ftm);
            p.add("resolved", &entity_id(id));
            for n in names {
                p.add("name", n);
            }
            p.add("detectedSchema", schema);
            p.line(&mention_id(&doc.id, id), "Mention", out)?;
            written.mentions += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_sha1_of_a_namespaced_key() {
        // sha1('["dossier","entity","ttp"]'), as Python's hashlib gives it.
        assert_eq!(entity_id("ttp").len(), 40);
        assert_eq!(
            entity_id("ttp"),
            sha1_smol::Sha1::from(r#"["dossier","entity","ttp"]"#)
                .digest()
                .to_string()
        );
        assert_ne!(document_id("ttp"), entity_id("ttp"));
        assert_ne!(mention_id("a", "bc"), mention_id("ab", "c"));
    }

    #[test]
    fn dates_and_addresses_are_only_what_ftm_reads() {
        assert_eq!(iso_date("2024-05-01T10:00:00Z"), Some("2024-05-01"));
        assert_eq!(iso_date("2024-05"), Some("2024-05"));
        assert_eq!(iso_date("1999"), Some("1999"));
        assert_eq!(iso_date("May 2024"), None);
        assert_eq!(iso_date("20240501"), None);
        assert_eq!(web_address("https://x.org/a"), Some("https://x.org/a"));
        assert_eq!(web_address("javascript:alert(1)"), None);
        assert_eq!(one_line(" Olaf\n  Scholz "), "Olaf Scholz");
    }
}
