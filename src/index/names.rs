//! How an entity is written in the corpus: every spelling with its count
//! and documents, and the label a list shows for it. Only spellings that
//! occur are given: a knowledge-base alias that no article uses is not a
//! name of the corpus, and a label never shows one.
//!
//! Counted from the forms index (each mention's text, interned when the
//! index is built), so no document is read: one pass over the entity's
//! mentions, however many there are.

use super::Index;
use crate::entity::normalize::key;
use crate::entity::{DocId, EntityId, Source};
use crate::text::flatten;
use rustc_hash::FxHashMap;

/// How many documents a [`NameRow`] lists by id (the first, in corpus
/// order); [`NameRow::docs`] counts them all.
pub const NAME_DOCS_LISTED: usize = 5;

/// One spelling of an entity and where it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRow {
    /// The spelling as written (runs of white space as one space).
    pub form: String,
    /// How many mentions are written so.
    pub count: u32,
    /// In how many documents.
    pub docs: u32,
    /// The first [`NAME_DOCS_LISTED`] of those documents, in corpus order.
    pub first_docs: Vec<DocId>,
    /// True when the knowledge base's matcher found the spelling (it is the
    /// entity's name or a knowledge-base alias, case, dashes and diacritics
    /// folded) at least once; false for a spelling seen only in the text
    /// (an abbreviation defined there, a variant, a short name, a rule's
    /// find, a person's link).
    pub from_kb: bool,
}

/// What a list shows for an entity: how the corpus writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityLabel {
    /// The entity's name when the corpus uses it, otherwise its most
    /// frequent spelling (the name, for an entity without mentions).
    pub primary: String,
    /// The most frequent spelling when it is not the primary one (the
    /// name comes first when it occurs, however rarely): "Tehrik-i-Taliban
    /// Pakistan" / "TTP". Always a spelling that occurs.
    pub secondary: Option<String>,
}

impl EntityLabel {
    /// The label on one line: `primary (secondary)`.
    pub fn to_line(&self) -> String {
        match &self.secondary {
            Some(s) => format!("{} ({s})", self.primary),
            None => self.primary.clone(),
        }
    }
}

/// A spelling's counts while they are made.
struct Tally {
    count: u32,
    docs: u32,
    last_doc: DocId,
    first_docs: Vec<DocId>,
    kb: bool,
}

impl Index {
    /// Every spelling of entity `e` that occurs, most frequent first (then
    /// alphabetically), with its counts, its first documents and whether
    /// the knowledge base knows it. Spellings that differ only in white
    /// space are one. No document is read.
    pub fn names(&self, e: EntityId) -> Vec<NameRow> {
        let places = self.entity_places(e);
        // Each place's form, and whether the knowledge base found it.
        let mut docs: Vec<DocId> = places.iter().map(|p| p.0).collect();
        docs.dedup();
        let found: Vec<Option<(u32, bool)>> = self
            .scan_docs(&docs, |d, list| {
                let from = places.partition_point(|p| p.0 < d);
                let to = places.partition_point(|p| p.0 <= d);
                places[from..to]
                    .iter()
                    .map(|&(_, i)| {
                        let f = *list.forms.get(i as usize)?;
                        let kb = list
                            .mentions
                            .get(i as usize)
                            .is_some_and(|m| m.source == Source::Kb);
                        Some((f, kb))
                    })
                    .collect::<Vec<_>>()
            })
            .into_iter()
            .flatten()
            .collect();
        // Form id → spelling group (forms that flatten alike share one).
        let mut group_of: FxHashMap<u32, usize> = FxHashMap::default();
        let mut group_by_text: FxHashMap<String, usize> = FxHashMap::default();
        let mut groups: Vec<(String, Tally)> = Vec::new();
        let mut last: Option<(u32, usize)> = None;
        for (&(d, _), &place) in places.iter().zip(&found) {
            let Some((f, kb)) = place else {
                continue;
            };
            // An entity is mostly written one way: the last form's group
            // is kept at hand.
            let g = match last {
                Some((lf, g)) if lf == f => g,
                _ => {
                    let g = *group_of.entry(f).or_insert_with(|| {
                        let text = flatten(self.form_name(f));
                        let next = groups.len();
                        let g = *group_by_text.entry(text.clone()).or_insert(next);
                        if g == next {
                            groups.push((
                                text,
                                Tally {
                                    count: 0,
                                    docs: 0,
                                    last_doc: DocId::MAX,
                                    first_docs: Vec::new(),
                                    kb: false,
                                },
                            ));
                        }
                        g
                    });
                    last = Some((f, g));
                    g
                }
            };
            let t = &mut groups[g].1;
            t.count += 1;
            t.kb |= kb;
            if t.last_doc != d {
                t.last_doc = d;
                t.docs += 1;
                if t.first_docs.len() < NAME_DOCS_LISTED {
                    t.first_docs.push(d);
                }
            }
        }
        let mut rows: Vec<NameRow> = groups
            .into_iter()
            .map(|(form, t)| NameRow {
                from_kb: t.kb,
                form,
                count: t.count,
                docs: t.docs,
                first_docs: t.first_docs,
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.form.cmp(&b.form)));
        rows
    }

    /// The label a list shows for entity `e` (see [`EntityLabel`]): only
    /// spellings the corpus uses, never a knowledge-base name no article
    /// writes. An entity whose mentions are as the cache stored them is
    /// labelled from the spellings the cache counted, without decoding a
    /// list: the panel labels every entity named beside the one it shows,
    /// and the most named ones are in nearly every document.
    pub fn label(&self, e: EntityId) -> EntityLabel {
        let name = &self.entity(e).name;
        let Some(forms) = self.stored_forms(e) else {
            return label_of(name, &self.names(e));
        };
        // Grouped and ordered as `names` groups and orders them.
        let mut groups: FxHashMap<String, u32> = FxHashMap::default();
        for &(f, n) in forms {
            *groups.entry(flatten(self.form_name(f))).or_default() += n;
        }
        let mut rows: Vec<(String, u32)> = groups.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        label_of_spellings(name, rows.iter().map(|(form, _)| form.as_str()))
    }

    /// Every entity's label, in entity order, counted on every core.
    pub fn labels(&self) -> Vec<EntityLabel> {
        use rayon::prelude::*;
        (0..self.entities().len() as EntityId)
            .into_par_iter()
            .map(|e| self.label(e))
            .collect()
    }
}

/// The label of an entity named `name` whose spellings are `rows` (most
/// frequent first).
pub fn label_of(name: &str, rows: &[NameRow]) -> EntityLabel {
    label_of_spellings(name, rows.iter().map(|r| r.form.as_str()))
}

/// [`label_of`] from the spellings alone, most frequent first.
fn label_of_spellings<'a>(
    name: &str,
    mut spellings: impl Iterator<Item = &'a str> + Clone,
) -> EntityLabel {
    let name_key = key(name);
    let name_seen = spellings.clone().any(|s| key(s) == name_key);
    match spellings.next() {
        None => EntityLabel {
            primary: name.to_string(),
            secondary: None,
        },
        Some(top) if name_seen => EntityLabel {
            primary: name.to_string(),
            secondary: (key(top) != name_key).then(|| top.to_string()),
        },
        Some(top) => EntityLabel {
            primary: top.to_string(),
            secondary: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::{Engine, KnowledgeBase};

    fn index(files: &[(&str, &str)], kb: &str) -> Index {
        let mut k = KnowledgeBase::new();
        if let Err(e) = k.add_toml(std::path::Path::new("kb.toml"), kb) {
            panic!("{e:?}");
        }
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
        let corpus = load_embedded("t", &files);
        let analysis = Engine::new(k).analyse(&corpus);
        Index::new(corpus, analysis)
    }

    const PAKISTAN: &str = "[[entity]]\nid = \"pakistan\"\nname = \"Islamic Republic of Pakistan\"\n\
        kind = \"place\"\naliases = [\"Pakistan\", \"Pakistani state\"]\n";

    fn entity(index: &Index, id: &str) -> EntityId {
        match index.entity_by_id(id) {
            Some(e) => e,
            None => panic!("no entity {id}"),
        }
    }

    #[test]
    fn every_spelling_that_occurs_with_counts_and_documents() {
        let idx = index(
            &[
                ("a.txt", "One\n\nPakistan and PAKISTAN met Pakistan."),
                ("b.txt", "Two\n\nPakistan again."),
                ("c.txt", "Three\n\nNothing here."),
            ],
            PAKISTAN,
        );
        let e = entity(&idx, "pakistan");
        let rows = idx.names(e);
        let forms: Vec<(&str, u32, u32)> = rows
            .iter()
            .map(|r| (r.form.as_str(), r.count, r.docs))
            .collect();
        assert_eq!(forms, [("Pakistan", 3, 2), ("PAKISTAN", 1, 1)]);
        assert_eq!(rows[0].first_docs, [0, 1]);
        // Both fold to a known alias; the name and the unused alias are
        // not listed.
        assert!(rows.iter().all(|r| r.from_kb));
        assert!(rows.iter().all(|r| !r.form.contains("Republic")));
        // The label never shows the name no article writes.
        let label = idx.label(e);
        assert_eq!(label.primary, "Pakistan");
        assert_eq!(label.secondary, None);
        assert_eq!(idx.labels()[e as usize], label);
    }

    #[test]
    fn spellings_seen_only_in_the_text_are_marked_apart() {
        let kb =
            "[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\nkind = \"group\"\n";
        let idx = index(
            &[(
                "a.txt",
                "One\n\nThe Tehrik-i-Taliban Pakistan (TTP) said the TTP and the TTP agreed.",
            )],
            kb,
        );
        let e = entity(&idx, "ttp");
        let rows = idx.names(e);
        let ttp = rows.iter().find(|r| r.form == "TTP");
        let full = rows.iter().find(|r| r.form == "Tehrik-i-Taliban Pakistan");
        match (ttp, full) {
            (Some(t), Some(f)) => {
                assert!(!t.from_kb && f.from_kb, "{rows:?}");
                assert!(t.count > f.count);
            }
            _ => panic!("{rows:?}"),
        }
        // The name occurs: it leads, with the most frequent spelling beside.
        let label = idx.label(e);
        assert_eq!(label.to_line(), "Tehrik-i-Taliban Pakistan (TTP)");
    }

    #[test]
    fn label_rules() {
        let row = |form: &str, count| NameRow {
            form: form.into(),
            count,
            docs: 1,
            first_docs: vec![0],
            from_kb: false,
        };
        assert_eq!(label_of("Name", &[]).to_line(), "Name");
        assert_eq!(label_of("Name", &[row("Other", 5)]).to_line(), "Other");
        assert_eq!(
            label_of("Name", &[row("Other", 5), row("name", 1)]).to_line(),
            "Name (Other)"
        );
        assert_eq!(label_of("Name", &[row("Name", 5)]).to_line(), "Name");
    }
}
