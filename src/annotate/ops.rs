//! A person's decisions, and the overlay that applies them to an analysis.
//!
//! Operations name entities by their stable string ids and spans by
//! [`Anchor`]s, so a journal written today still applies when the corpus or
//! the knowledge base has changed. Decisions about a surface form ("link
//! every *Pakistani-Talban* to the TTP") apply to every occurrence in the
//! corpus; decisions about a span apply to that span alone. The overlay runs
//! after the engine and always wins.

use super::anchor::Anchor;
use crate::entity::normalize::key;
use crate::entity::{EntityId, Kind, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// An entity a person creates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntity {
    pub id: String,
    pub name: String,
    pub kind: Kind,
}

/// What a note is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum NoteTarget {
    Mention { anchor: Anchor },
    Entity { id: String },
    Document { doc: String },
}

/// One decision. Each is one line of the journal and one step of undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Every occurrence of `text` in the corpus is `entity` (created first
    /// when `new` is given). Also how a suggestion is accepted.
    LinkText {
        text: String,
        entity: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<NewEntity>,
    },
    /// This one span is `entity`.
    LinkSpan {
        anchor: Anchor,
        entity: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        new: Option<NewEntity>,
    },
    /// This span is not a mention of anything (a false positive).
    RejectSpan {
        anchor: Anchor,
    },
    /// `text` is never `entity` (a rejected suggestion).
    RejectText {
        text: String,
        entity: String,
    },
    /// `from` and `into` are one entity; `from`'s mentions go to `into`.
    Merge {
        from: String,
        into: String,
    },
    /// The surface form `alias` of `entity` is a different entity.
    SplitAlias {
        entity: String,
        alias: String,
        new: NewEntity,
    },
    Rename {
        entity: String,
        name: String,
    },
    SetKind {
        entity: String,
        kind: Kind,
    },
    Note {
        target: NoteTarget,
        text: String,
    },
    /// Several decisions taken as one (an import): one line of the journal
    /// and one step of undo. Never nested.
    Batch {
        ops: Vec<Op>,
    },
}

impl Op {
    /// The decisions this one is made of, in order: itself, or a batch's.
    pub fn flat(&self) -> Box<dyn Iterator<Item = &Op> + '_> {
        match self {
            Op::Batch { ops } => Box::new(ops.iter().flat_map(Op::flat)),
            op => Box::new(std::iter::once(op)),
        }
    }

    /// The ids of the entities this decision touches.
    pub fn entities(&self) -> Vec<&str> {
        match self {
            Op::Batch { ops } => ops.iter().flat_map(Op::entities).collect(),
            Op::LinkText { entity, .. } | Op::LinkSpan { entity, .. } => vec![entity.as_str()],
            Op::RejectSpan { .. } => Vec::new(),
            Op::RejectText { entity, .. }
            | Op::Rename { entity, .. }
            | Op::SetKind { entity, .. } => {
                vec![entity.as_str()]
            }
            Op::Merge { from, into } => vec![from.as_str(), into.as_str()],
            Op::SplitAlias { entity, new, .. } => vec![entity.as_str(), new.id.as_str()],
            Op::Note { target, .. } => match target {
                NoteTarget::Entity { id } => vec![id.as_str()],
                _ => Vec::new(),
            },
        }
    }

    /// A short description for the status line and the undo message, with
    /// entities named by id.
    pub fn describe(&self) -> String {
        self.describe_with(&|_| None)
    }

    /// [`Op::describe`], naming entities as `index` knows them.
    pub fn describe_in(&self, index: &crate::index::Index) -> String {
        self.describe_with(&|id| index.entity_by_id(id).map(|e| index.entity(e).name.clone()))
    }

    /// [`Op::describe`], naming entities by `name(id)` where it knows them
    /// ("linked every “TTP” to Tehrik-i-Taliban Pakistan").
    pub fn describe_with(&self, name: &dyn Fn(&str) -> Option<String>) -> String {
        let n = |id: &str| name(id).unwrap_or_else(|| id.to_string());
        match self {
            Op::LinkText { text, entity, new } => match new {
                Some(new) => format!("tagged every “{text}” as a new {} “{}”", new.kind, new.name),
                None => format!("linked every “{text}” to {}", n(entity)),
            },
            Op::LinkSpan {
                anchor,
                entity,
                new,
            } => match new {
                Some(new) => format!(
                    "tagged “{}” as a new {} “{}”",
                    anchor.exact, new.kind, new.name
                ),
                None => format!("linked “{}” to {}", anchor.exact, n(entity)),
            },
            Op::RejectSpan { anchor } => format!("rejected “{}”", anchor.exact),
            Op::RejectText { text, entity } => format!("“{text}” is not {}", n(entity)),
            Op::Merge { from, into } => format!("merged {} into {}", n(from), n(into)),
            Op::SplitAlias { alias, new, .. } => format!("split “{alias}” off as “{}”", new.name),
            Op::Rename { entity, name } => {
                // By its name before (the status line's message is made
                // before the decision applies); by its id once the new name
                // is the one known.
                let was = n(entity);
                if was == *name {
                    format!("renamed {entity} to “{name}”")
                } else {
                    format!("renamed {was} to “{name}”")
                }
            }
            Op::SetKind { entity, kind } => format!("{}: kind is now {kind}", n(entity)),
            Op::Batch { ops } => match ops.as_slice() {
                [one] => one.describe_with(name),
                ops => format!("{} decisions at once", ops.len()),
            },
            Op::Note { target, .. } => match target {
                NoteTarget::Mention { anchor } => format!("note on “{}”", anchor.exact),
                NoteTarget::Entity { id } => format!("note on {}", n(id)),
                NoteTarget::Document { doc } => format!("note on {doc}"),
            },
        }
    }
}

/// What applying the overlay found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverlayReport {
    /// Span decisions whose quote is no longer in its document (or whose
    /// document is gone): listed for the user, never dropped.
    pub unplaced: Vec<Anchor>,
    /// Notes, by target, in the order they were made.
    pub notes: Vec<(NoteTarget, String)>,
    /// Entities merged away: id → the id they now belong to.
    pub merged: BTreeMap<String, String>,
    /// Decisions in force that could not be applied, with why: they name
    /// an entity that the knowledge bases in use do not have (for example
    /// with `--no-default-kb`). Kept in the journal, never dropped.
    pub not_applied: Vec<(Op, String)>,
}

impl Op {
    /// The entity ids this decision needs to exist (those it does not
    /// create itself).
    pub fn needs(&self) -> Vec<&str> {
        match self {
            Op::LinkText { entity, new, .. } | Op::LinkSpan { entity, new, .. } => {
                if new.is_some() {
                    Vec::new()
                } else {
                    vec![entity.as_str()]
                }
            }
            Op::RejectText { entity, .. }
            | Op::SplitAlias { entity, .. }
            | Op::Rename { entity, .. }
            | Op::SetKind { entity, .. } => vec![entity.as_str()],
            Op::Merge { from, into } => vec![from.as_str(), into.as_str()],
            Op::Note {
                target: NoteTarget::Entity { id },
                ..
            } => vec![id.as_str()],
            // Each part is checked as it is applied.
            Op::RejectSpan { .. } | Op::Note { .. } | Op::Batch { .. } => Vec::new(),
        }
    }
}

pub use crate::entity::engine::unique_id as fresh_id;

/// Decisions from imported spans, in this order:
///
/// - an entity all of whose mentions are spans naming one other entity is
///   merged into it;
/// - an entity changes kind only when every one of its mentions is a span
///   with the new label (one decision); otherwise a span's label describes
///   that span alone, and a span whose label is not its entity's kind is
///   linked to an entity of that text and kind (created if there is none);
/// - an entity is renamed when its spans name it by one new name;
/// - a span a person accepted that is still a suggestion accepts the
///   suggestion (every occurrence, as in the reader), and one that the
///   engine found is confirmed;
/// - spans that are not mentions of the entity they name (or, for formats
///   without ids, of whichever entity is there) are linked to it (created
///   if new), else to an entity with that text and kind, else to a new
///   entity named by the text;
/// - a rejected span naming an entity rejects that text for the entity
///   (a rejected suggestion); one naming none rejects the span;
/// - notes ("entity: …" on a span of an entity is a note on the entity).
///
/// A span that the index already has as it says decides nothing.
pub fn spans_to_ops(spans: &[super::export::Span], index: &crate::index::Index) -> Vec<Op> {
    /// One span placed in the index.
    struct Item<'a> {
        span: &'a super::export::Span,
        anchor: Anchor,
        /// The current mention at exactly this span: its entity, its source.
        current: Option<(EntityId, Source)>,
    }
    let mut items: Vec<Item> = Vec::new();
    let mut seen: std::collections::HashSet<(&str, usize, usize, bool)> = Default::default();
    let mut text_of: Option<(crate::entity::DocId, std::sync::Arc<str>)> = None;
    for s in spans {
        let Some(d) = index.doc_by_id(&s.doc) else {
            continue;
        };
        if !seen.insert((s.doc.as_str(), s.start, s.end, s.rejected)) {
            continue;
        }
        let doc = index.doc(d);
        if text_of.as_ref().is_none_or(|(at, _)| *at != d) {
            // Read for this document's spans only.
            text_of = Some((d, std::sync::Arc::from(&*doc.text.fetch())));
        }
        let Some((_, text)) = &text_of else { continue };
        // Import checks every span against the corpus; never panic on one
        // that slipped through.
        if text.get(s.start..s.end).is_none_or(str::is_empty) {
            continue;
        }
        // A document's mentions are sorted by (start, end).
        let mentions = index.doc_mentions(d);
        let at =
            mentions.partition_point(|m| (m.start as usize, m.end as usize) < (s.start, s.end));
        let current = mentions
            .get(at)
            .filter(|m| m.start as usize == s.start && m.end as usize == s.end)
            .map(|m| (m.entity, m.source));
        // A rejected span that no mention overlaps has nothing to reject.
        if s.rejected
            && !mentions[mentions.partition_point(|m| (m.end as usize) <= s.start)..]
                .iter()
                .take_while(|m| (m.start as usize) < s.end)
                .any(|m| match &s.entity {
                    Some(id) => index.entity(m.entity).id == *id,
                    None => true,
                })
        {
            continue;
        }
        items.push(Item {
            span: s,
            anchor: Anchor::new(&doc.id, text, s.start..s.end),
            current,
        });
    }
    let text = |it: &Item| it.anchor.exact.clone();
    let (rejected, kept): (Vec<&Item>, Vec<&Item>) = items.iter().partition(|it| it.span.rejected);
    // The entity each kept span names: its own id, else the one there now.
    let wanted = |it: &Item| -> Option<String> {
        it.span
            .entity
            .clone()
            .or_else(|| it.current.map(|(e, _)| index.entity(e).id.clone()))
    };

    // Merges: every mention of F is a span naming one other known entity.
    let mut covered: HashMap<EntityId, usize> = HashMap::new();
    let mut names_for: HashMap<EntityId, Vec<String>> = HashMap::new();
    for it in &kept {
        if let Some((e, _)) = it.current {
            *covered.entry(e).or_default() += 1;
            names_for
                .entry(e)
                .or_default()
                .push(wanted(it).unwrap_or_default());
        }
    }
    let mut merged_into: HashMap<EntityId, EntityId> = HashMap::new();
    let mut out = Vec::new();
    let mut merges: Vec<(EntityId, EntityId)> = names_for
        .iter()
        .filter_map(|(&f, ids)| {
            let first = ids.first()?;
            let into = index.entity_by_id(first)?;
            let all = ids.iter().all(|i| i == first)
                && into != f
                && covered.get(&f) == Some(&(index.stats(f).mentions as usize));
            all.then_some((f, into))
        })
        .collect();
    merges.sort_unstable();
    for (f, into) in merges {
        merged_into.insert(f, into);
        out.push(Op::Merge {
            from: index.entity(f).id.clone(),
            into: index.entity(into).id.clone(),
        });
    }
    let now = |e: EntityId| merged_into.get(&e).copied().unwrap_or(e);

    // Kinds and names, per entity the spans name.
    let mut labels: BTreeMap<EntityId, Vec<Kind>> = BTreeMap::new();
    let mut renames: BTreeMap<EntityId, Vec<&str>> = BTreeMap::new();
    let mut now_covered: HashMap<EntityId, usize> = HashMap::new();
    for it in &kept {
        if let Some((e, _)) = it.current {
            *now_covered.entry(now(e)).or_default() += 1;
        }
        let Some(e) = wanted(it).and_then(|id| index.entity_by_id(&id)) else {
            continue;
        };
        labels.entry(e).or_default().push(it.span.kind);
        if let Some(n) = it
            .span
            .name
            .as_deref()
            .filter(|n| *n != index.entity(e).name)
            && !renames.get(&e).is_some_and(|r| r.contains(&n))
        {
            renames.entry(e).or_default().push(n);
        }
    }
    let mut kind_of: HashMap<EntityId, Kind> = HashMap::new();
    for (&e, ls) in &labels {
        let entity = index.entity(e);
        let mentions: usize = index.stats(e).mentions as usize
            + merged_into
                .iter()
                .filter(|(_, i)| **i == e)
                .map(|(f, _)| index.stats(*f).mentions as usize)
                .sum::<usize>();
        let kind = ls[0];
        if kind != entity.kind
            && ls.iter().all(|k| *k == kind)
            && now_covered.get(&e) == Some(&mentions)
        {
            kind_of.insert(e, kind);
            out.push(Op::SetKind {
                entity: entity.id.clone(),
                kind,
            });
        }
    }
    for (e, names) in renames {
        if let [name] = names.as_slice() {
            out.push(Op::Rename {
                entity: index.entity(e).id.clone(),
                name: name.to_string(),
            });
        }
    }
    let kind = |e: EntityId| kind_of.get(&e).copied().unwrap_or(index.entity(e).kind);

    // Links.
    let mut accepted: Vec<Op> = Vec::new();
    let mut accepted_keys: std::collections::HashSet<(String, String)> = Default::default();
    let mut links: Vec<Op> = Vec::new();
    let mut created: HashMap<(String, Kind), String> = HashMap::new();
    let mut created_ids: std::collections::HashSet<String> = Default::default();
    // Built on first need: (key of a name or alias, kind) → the first entity.
    let mut by_name: Option<HashMap<(String, Kind), String>> = None;
    for it in &kept {
        let s = it.span;
        let text = text(it);
        let current = it.current.map(|(e, src)| (now(e), src));
        let known = wanted(it)
            .and_then(|id| index.entity_by_id(&id))
            .filter(|&e| kind(e) == s.kind);
        let (entity, new) = match known {
            Some(e) if current.is_some_and(|(c, _)| c == e) => {
                let Some((_, source)) = current else { continue };
                if !s.accepted || source == Source::Annotation {
                    continue;
                }
                let id = index.entity(e).id.clone();
                if source == Source::Variant {
                    if accepted_keys.insert((key(&text), id.clone())) {
                        accepted.push(Op::LinkText {
                            text,
                            entity: id,
                            new: None,
                        });
                    }
                    continue;
                }
                (id, None)
            }
            Some(e) => (index.entity(e).id.clone(), None),
            None => {
                let named_new = s
                    .entity
                    .clone()
                    .filter(|id| !id.is_empty() && index.entity_by_id(id).is_none());
                match named_new {
                    Some(id) if created_ids.contains(&id) => (id, None),
                    Some(id) => {
                        created_ids.insert(id.clone());
                        let new = NewEntity {
                            id: id.clone(),
                            name: s.name.clone().unwrap_or_else(|| text.clone()),
                            kind: s.kind,
                        };
                        (id, Some(new))
                    }
                    None => {
                        let k = (key(&text), s.kind);
                        let found = by_name
                            .get_or_insert_with(|| names_by_key(index))
                            .get(&k)
                            .cloned();
                        match found.or_else(|| created.get(&k).cloned()) {
                            Some(id) => {
                                let e = index.entity_by_id(&id).map(now);
                                if e.is_some() && current.map(|(c, _)| Some(c)) == Some(e) {
                                    continue;
                                }
                                (id, None)
                            }
                            None => {
                                let id = fresh_id(&text, |c| {
                                    index.entity_by_id(c).is_some() || created_ids.contains(c)
                                });
                                created.insert(k, id.clone());
                                created_ids.insert(id.clone());
                                let new = NewEntity {
                                    id: id.clone(),
                                    name: text.clone(),
                                    kind: s.kind,
                                };
                                (id, Some(new))
                            }
                        }
                    }
                }
            }
        };
        links.push(Op::LinkSpan {
            anchor: it.anchor.clone(),
            entity,
            new,
        });
    }
    out.extend(accepted);
    out.extend(links);

    // Rejections.
    let mut rejected_texts: Vec<(String, String)> = Vec::new();
    for it in rejected {
        match &it.span.entity {
            Some(id) if index.entity_by_id(id).is_some() => {
                let text = text(it);
                if !rejected_texts
                    .iter()
                    .any(|(t, e)| e == id && key(t) == key(&text))
                {
                    rejected_texts.push((text.clone(), id.clone()));
                    out.push(Op::RejectText {
                        text,
                        entity: id.clone(),
                    });
                }
            }
            _ => out.push(Op::RejectSpan {
                anchor: it.anchor.clone(),
            }),
        }
    }

    // Notes.
    let mut entity_notes: Vec<(String, String)> = Vec::new();
    for it in &kept {
        let Some(note) = &it.span.note else { continue };
        let on_entity = note
            .strip_prefix("entity: ")
            .filter(|n| !n.contains(" | "))
            .zip(wanted(it));
        match on_entity {
            Some((n, id)) => {
                if !entity_notes.iter().any(|(i, t)| *i == id && t == n) {
                    entity_notes.push((id.clone(), n.to_string()));
                    out.push(Op::Note {
                        target: NoteTarget::Entity { id },
                        text: n.to_string(),
                    });
                }
            }
            None => out.push(Op::Note {
                target: NoteTarget::Mention {
                    anchor: it.anchor.clone(),
                },
                text: note.clone(),
            }),
        }
    }
    out
}

/// Decisions as few batches as fit in journal lines of at most `max_bytes`
/// ([`super::journal::BATCH_BYTES`] in the journal)
/// each (one, unless there are very many), so that an import is one step
/// of undo. A single decision stays as it is.
pub fn batches(ops: Vec<Op>, max_bytes: usize) -> Vec<Op> {
    let mut out = Vec::new();
    let mut batch: Vec<Op> = Vec::new();
    let mut size = 0;
    for op in ops {
        let n = serde_json::to_string(&op).map_or(0, |s| s.len()) + 1;
        if !batch.is_empty() && size + n > max_bytes {
            out.push(std::mem::take(&mut batch));
            size = 0;
        }
        size += n;
        batch.push(op);
    }
    if !batch.is_empty() {
        out.push(batch);
    }
    out.into_iter()
        .map(|mut b| {
            if b.len() == 1 {
                b.remove(0)
            } else {
                Op::Batch { ops: b }
            }
        })
        .collect()
}

/// Every entity by the key of its name and of each alias, with its kind;
/// where several share both, the first.
fn names_by_key(index: &crate::index::Index) -> HashMap<(String, Kind), String> {
    let mut out = HashMap::new();
    for e in index.entities() {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            out.entry((key(name), e.kind))
                .or_insert_with(|| e.id.clone());
        }
    }
    out
}

/// The merged knowledge base: every knowledge-base entity, every entity
/// learned or touched by a decision (`annotated` ids), and names seen in two
/// documents or more, each with the aliases seen in the corpus. Suggested
/// links a person has not accepted are not aliases. Entities merged away
/// (`merged`, from [`OverlayReport::merged`]) are left out: their names are
/// aliases of the entity they were merged into.
pub fn merged_kb(
    index: &crate::index::Index,
    merged: &BTreeMap<String, String>,
    annotated: &std::collections::HashSet<String>,
) -> crate::entity::KnowledgeBase {
    let mut kb = crate::entity::KnowledgeBase::new();
    let mut sources: HashMap<EntityId, Vec<Source>> = HashMap::new();
    for m in index.mentions() {
        sources.entry(m.entity).or_default().push(m.source);
    }
    for (i, e) in index.entities().iter().enumerate() {
        let i = i as EntityId;
        // A name nothing else explains earns its place by recurring.
        let only_names = sources
            .get(&i)
            .is_some_and(|s| s.iter().all(|s| *s == Source::Name));
        let wanted = annotated.contains(&e.id) || !only_names || index.stats(i).docs >= 2;
        if !wanted || merged.contains_key(&e.id) {
            continue;
        }
        let mut entity = e.clone();
        let mut seen: Vec<&str> = Vec::new();
        for &(d, k) in index.entity_places(i) {
            let Some(m) = index.doc_mentions(d).get(k as usize) else {
                continue;
            };
            if m.source == Source::Variant {
                continue;
            }
            // Its form: no text is read.
            let text = index.form(d, k as usize);
            if !seen.contains(&text) {
                seen.push(text);
            }
        }
        for alias in seen {
            if alias != entity.name && !entity.aliases.iter().any(|a| a == alias) {
                entity.aliases.push(alias.to_string());
            }
        }
        kb.insert(entity);
    }
    kb
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::overlay::apply;
    use crate::corpus::{Corpus, load_embedded};
    use crate::entity::Analysis;
    use crate::entity::{Engine, KnowledgeBase};
    use std::path::Path;

    const KB: &str = r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP", "Pakistani Taliban"]

[[entity]]
id = "isi"
name = "Inter-Services Intelligence"
kind = "org"
aliases = ["ISI"]

[[entity]]
id = "army"
name = "Pakistan Army"
kind = "org"
aliases = ["Pak Army"]
"#;

    fn setup() -> (Corpus, Analysis) {
        let files: Vec<(&str, &[u8])> = vec![
            ("a.txt", "Title one\n\nThe TTP or Pakistani-Talban attacked. The ISI and the Pak Army replied.".as_bytes()),
            ("b.txt", "Title two\n\nAgain the Pakistani-Talban struck; the TTP denied it.".as_bytes()),
        ];
        let corpus = load_embedded("t", &files);
        let mut kb = KnowledgeBase::new();
        kb.add_toml(Path::new("kb.toml"), KB).unwrap();
        let analysis = Engine::new(kb).analyse(&corpus);
        (corpus, analysis)
    }

    use crate::entity::engine::test_support::mention_table as rows;

    #[test]
    fn linking_a_text_links_every_occurrence() {
        let (c, mut a) = setup();
        let op = Op::LinkText {
            text: "Pakistani-Talban".into(),
            entity: "ttp".into(),
            new: None,
        };
        apply(&[&op], &c, &mut a);
        let r = rows(&c, &a);
        let hits: Vec<_> = r.iter().filter(|r| r.1 == "Pakistani-Talban").collect();
        assert_eq!(hits.len(), 2);
        assert!(
            hits.iter()
                .all(|h| h.2 == "ttp" && h.3 == Source::Annotation),
            "{hits:?}"
        );
    }

    #[test]
    fn tagging_creates_an_entity() {
        let (c, mut a) = setup();
        let op = Op::LinkText {
            text: "Title".into(),
            entity: "title-co".into(),
            new: Some(NewEntity {
                id: "title-co".into(),
                name: "Title Co".into(),
                kind: Kind::Org,
            }),
        };
        apply(&[&op], &c, &mut a);
        let r = rows(&c, &a);
        assert_eq!(r.iter().filter(|r| r.2 == "title-co").count(), 2);
        assert!(
            a.entities
                .iter()
                .any(|e| e.id == "title-co" && e.kind == Kind::Org)
        );
    }

    #[test]
    fn rejecting_a_span_removes_only_that_mention() {
        let (c, mut a) = setup();
        let doc = &c.docs[0];
        let at = doc.text.find("TTP").unwrap();
        let op = Op::RejectSpan {
            anchor: Anchor::new(&doc.id, &doc.text, at..at + 3),
        };
        apply(&[&op], &c, &mut a);
        let r = rows(&c, &a);
        assert!(!r.iter().any(|r| r.0 == "a.txt" && r.1 == "TTP"));
        assert!(r.iter().any(|r| r.0 == "b.txt" && r.1 == "TTP"));
    }

    #[test]
    fn rejecting_a_suggestion_removes_it_everywhere() {
        let (c, mut a) = setup();
        assert!(
            rows(&c, &a)
                .iter()
                .any(|r| r.1 == "Pakistani-Talban" && r.3 == Source::Variant)
        );
        let op = Op::RejectText {
            text: "Pakistani-Talban".into(),
            entity: "ttp".into(),
        };
        apply(&[&op], &c, &mut a);
        assert!(
            !rows(&c, &a)
                .iter()
                .any(|r| r.1 == "Pakistani-Talban" && r.2 == "ttp")
        );
    }

    #[test]
    fn merge_split_rename_and_kind() {
        let (c, mut a) = setup();
        let ops = [
            Op::Merge {
                from: "army".into(),
                into: "isi".into(),
            },
            Op::SplitAlias {
                entity: "isi".into(),
                alias: "Pak Army".into(),
                new: NewEntity {
                    id: "pak-army".into(),
                    name: "Pak Army".into(),
                    kind: Kind::Org,
                },
            },
            Op::Rename {
                entity: "isi".into(),
                name: "ISI (Pakistan)".into(),
            },
            Op::SetKind {
                entity: "ttp".into(),
                kind: Kind::Org,
            },
        ];
        let refs: Vec<&Op> = ops.iter().collect();
        let report = apply(&refs, &c, &mut a);
        assert_eq!(report.merged.get("army").map(String::as_str), Some("isi"));
        let r = rows(&c, &a);
        assert_eq!(r.iter().find(|r| r.1 == "Pak Army").unwrap().2, "pak-army");
        let isi = a.entities.iter().find(|e| e.id == "isi").unwrap();
        assert_eq!(isi.name, "ISI (Pakistan)");
        assert!(
            isi.aliases
                .contains(&"Inter-Services Intelligence".to_string())
        );
        assert_eq!(
            a.entities.iter().find(|e| e.id == "ttp").unwrap().kind,
            Kind::Org
        );
    }

    #[test]
    fn a_split_after_a_link_moves_the_linked_mentions() {
        // Decisions apply in the order they were made: the split sees the
        // mentions the link made.
        let (c, mut a) = setup();
        let ops = [
            Op::LinkText {
                text: "Pakistani-Talban".into(),
                entity: "ttp".into(),
                new: None,
            },
            Op::SplitAlias {
                entity: "ttp".into(),
                alias: "Pakistani-Talban".into(),
                new: NewEntity {
                    id: "talban".into(),
                    name: "Pakistani-Talban".into(),
                    kind: Kind::Group,
                },
            },
        ];
        let refs: Vec<&Op> = ops.iter().collect();
        apply(&refs, &c, &mut a);
        let r = rows(&c, &a);
        let hits: Vec<_> = r.iter().filter(|r| r.1 == "Pakistani-Talban").collect();
        assert_eq!(hits.len(), 2, "{r:?}");
        assert!(hits.iter().all(|h| h.2 == "talban"), "{hits:?}");
    }

    #[test]
    fn merging_a_split_entity_back_undoes_the_split() {
        let (c, mut a) = setup();
        let ops = [
            Op::SplitAlias {
                entity: "army".into(),
                alias: "Pak Army".into(),
                new: NewEntity {
                    id: "pak-army".into(),
                    name: "Pak Army".into(),
                    kind: Kind::Org,
                },
            },
            Op::Merge {
                from: "pak-army".into(),
                into: "army".into(),
            },
        ];
        let refs: Vec<&Op> = ops.iter().collect();
        apply(&refs, &c, &mut a);
        assert_eq!(
            rows(&c, &a).iter().find(|r| r.1 == "Pak Army").unwrap().2,
            "army"
        );
    }

    #[test]
    fn a_rejected_text_is_no_longer_an_alias() {
        let (c, mut a) = setup();
        let ops = [
            Op::LinkText {
                text: "Pakistani-Talban".into(),
                entity: "ttp".into(),
                new: None,
            },
            Op::RejectText {
                text: "Pakistani-Talban".into(),
                entity: "ttp".into(),
            },
        ];
        let refs: Vec<&Op> = ops.iter().collect();
        apply(&refs, &c, &mut a);
        let ttp = a.entities.iter().find(|e| e.id == "ttp").unwrap();
        assert!(
            !ttp.aliases.iter().any(|x| x == "Pakistani-Talban"),
            "{:?}",
            ttp.aliases
        );
        assert!(
            !rows(&c, &a)
                .iter()
                .any(|r| r.1 == "Pakistani-Talban" && r.2 == "ttp")
        );
    }

    #[test]
    fn a_span_whose_text_is_gone_is_reported_unplaced() {
        let (c, mut a) = setup();
        let anchor = Anchor {
            doc: "a.txt".into(),
            start: 5,
            end: 10,
            exact: "Nowhere".into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        let op = Op::LinkSpan {
            anchor: anchor.clone(),
            entity: "ttp".into(),
            new: None,
        };
        let report = apply(&[&op], &c, &mut a);
        assert_eq!(report.unplaced, vec![anchor]);
    }

    #[test]
    fn fresh_ids_do_not_collide() {
        assert_eq!(fresh_id("Pak Army", |_| false), "pak-army");
        assert_eq!(fresh_id("Pak Army", |c| c == "pak-army"), "pak-army-2");
    }
}
