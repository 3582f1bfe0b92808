//! Finding a document or an entity from what a person types on the command
//! line: an exact id, or a unique prefix, name or alias.

use crate::entity::{DocId, EntityId, normalize};
use crate::index::Index;
use crate::text::sanitize;
use thiserror::Error;

/// How many candidates an ambiguous query lists.
const LISTED: usize = 8;

/// A query that names nothing, or more than one thing.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum LookupError {
    #[error("no {what} matches {query:?} (see `dossier {command}`)")]
    NotFound {
        what: &'static str,
        command: &'static str,
        query: String,
    },
    #[error("{query:?} matches {count} {}: {}{}", plural(what), listed.join(", "), if *count > listed.len() { ", …" } else { "" })]
    Ambiguous {
        what: &'static str,
        query: String,
        count: usize,
        /// The first few, as `id (what tells it apart)`.
        listed: Vec<String>,
    },
}

fn plural(what: &str) -> &str {
    match what {
        "entity" => "entities",
        _ => "documents",
    }
}

fn one_of<T: Copy>(
    found: Vec<T>,
    query: &str,
    what: &'static str,
    label: impl Fn(T) -> String,
) -> Result<Option<T>, LookupError> {
    match found.len() {
        0 => Ok(None),
        1 => Ok(Some(found[0])),
        count => Err(LookupError::Ambiguous {
            what,
            query: sanitize(query).into_owned(),
            count,
            listed: found.iter().take(LISTED).map(|&x| label(x)).collect(),
        }),
    }
}

/// The document `query` names: its id; else the one document whose id, or
/// else whose title, starts with `query` (titles ignoring case).
pub fn find_document(index: &Index, query: &str) -> Result<DocId, LookupError> {
    if let Some(d) = index.doc_by_id(query) {
        return Ok(d);
    }
    let label = |d: DocId| {
        let doc = index.doc(d);
        format!(
            "{} ({})",
            sanitize(&doc.id),
            crate::text::truncate(&doc.title, 40)
        )
    };
    let docs = index.docs();
    let by_id: Vec<DocId> = (0..docs.len() as DocId)
        .filter(|&d| docs[d as usize].id.starts_with(query))
        .collect();
    if let Some(d) = one_of(by_id, query, "document", label)? {
        return Ok(d);
    }
    let folded = query.to_lowercase();
    let by_title: Vec<DocId> = (0..docs.len() as DocId)
        .filter(|&d| docs[d as usize].title.to_lowercase().starts_with(&folded))
        .collect();
    one_of(by_title, query, "document", label)?.ok_or_else(|| LookupError::NotFound {
        what: "document",
        command: "docs",
        query: sanitize(query).into_owned(),
    })
}

/// The entity `query` names: its id; else the one entity with that name,
/// else with that alias (in the knowledge base, or as seen in the corpus).
/// Names and aliases are compared as the matcher compares them (case,
/// dashes, quotes and diacritics folded). Where several entities share a
/// name, the ones with mentions are preferred; more than one is an error
/// that lists them.
pub fn find_entity(index: &Index, query: &str) -> Result<EntityId, LookupError> {
    if let Some(e) = index.entity_by_id(query) {
        return Ok(e);
    }
    let key = normalize::key(query);
    let entities = index.entities();
    let all = 0..entities.len() as EntityId;
    let label = |e: EntityId| {
        let ent = index.entity(e);
        format!(
            "{} ({}, {} mentions)",
            sanitize(&ent.id),
            ent.kind.as_str(),
            index.stats(e).mentions
        )
    };
    // Those with mentions first: a name the knowledge base shares between
    // a mentioned entity and an unmentioned one means the mentioned one.
    let pick = |found: Vec<EntityId>| -> Result<Option<EntityId>, LookupError> {
        let mentioned: Vec<EntityId> = found
            .iter()
            .copied()
            .filter(|&e| index.stats(e).mentions > 0)
            .collect();
        let found = if mentioned.is_empty() {
            found
        } else {
            mentioned
        };
        one_of(found, query, "entity", label)
    };
    if !key.is_empty() {
        let by_name: Vec<EntityId> = all
            .clone()
            .filter(|&e| normalize::key(&entities[e as usize].name) == key)
            .collect();
        if let Some(e) = pick(by_name)? {
            return Ok(e);
        }
        let by_alias: Vec<EntityId> = all
            .clone()
            .filter(|&e| {
                entities[e as usize]
                    .aliases
                    .iter()
                    .any(|a| normalize::key(a) == key)
            })
            .collect();
        if let Some(e) = pick(by_alias)? {
            return Ok(e);
        }
        // Forms seen in the corpus: only entities with mentions have any.
        let by_form: Vec<EntityId> = all
            .filter(|&e| index.stats(e).mentions > 0)
            .filter(|&e| {
                index
                    .aliases_seen(e)
                    .iter()
                    .any(|(a, _)| normalize::key(a) == key)
            })
            .collect();
        if let Some(e) = pick(by_form)? {
            return Ok(e);
        }
    }
    Err(LookupError::NotFound {
        what: "entity",
        command: "entities",
        query: sanitize(query).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, Document};
    use crate::entity::{Analysis, Entity, Kind, Mention, Source};

    fn doc(id: &str, title: &str, text: &str) -> Document {
        Document {
            id: id.into(),
            path: id.into(),
            title: title.into(),
            text: text.to_string().into(),
            boilerplate: Vec::new(),
            url: None,
            date: None,
        }
    }

    fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        Entity {
            id: id.into(),
            name: name.into(),
            kind: Kind::Group,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        }
    }

    fn index() -> Index {
        let corpus = Corpus {
            docs: vec![
                doc("a/one.txt", "Pipeline deal signed", "The TTP met."),
                doc("a/two.txt", "Pipeline halted", "Nothing."),
                doc("b/three.txt", "Grid news", "Nothing."),
            ],
            ..Corpus::default()
        };
        let analysis = Analysis {
            entities: vec![
                entity("ttp", "Tehrik-i-Taliban Pakistan", &["TTP"]),
                entity("other-ttp", "Tehrik-i-Taliban Punjab", &["TTP"]),
                entity("pipeline", "Pipeline", &[]),
            ],
            mentions: vec![Mention {
                doc: 0,
                start: 4,
                end: 7,
                entity: 0,
                source: Source::Kb,
                confidence: 100,
            }],
        };
        Index::new(corpus, analysis)
    }

    #[test]
    fn a_document_by_id_prefix_or_title() {
        let ix = index();
        assert_eq!(find_document(&ix, "a/two.txt"), Ok(1));
        assert_eq!(find_document(&ix, "b/"), Ok(2));
        assert_eq!(find_document(&ix, "grid"), Ok(2));
        assert_eq!(find_document(&ix, "pipeline h"), Ok(1));
        match find_document(&ix, "a/") {
            Err(LookupError::Ambiguous {
                count: 2, listed, ..
            }) => {
                assert!(listed[0].starts_with("a/one.txt"), "{listed:?}")
            }
            other => panic!("{other:?}"),
        }
        let e = find_document(&ix, "zzz").unwrap_err().to_string();
        assert!(e.contains("no document matches \"zzz\""), "{e}");
    }

    #[test]
    fn an_entity_by_id_name_or_alias() {
        let ix = index();
        assert_eq!(find_entity(&ix, "pipeline"), Ok(2));
        assert_eq!(find_entity(&ix, "tehrik i taliban punjab"), Ok(1));
        // Two entities have the alias; only one is mentioned.
        assert_eq!(find_entity(&ix, "TTP"), Ok(0));
        let e = find_entity(&ix, "Lashkar").unwrap_err().to_string();
        assert!(e.contains("no entity matches"), "{e}");
    }
}
