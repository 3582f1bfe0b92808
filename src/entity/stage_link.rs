//! Stage: linking and assembly. Every document's matches, resolved name
//! runs and references to people become its mentions, sorted and without
//! overlaps; the documents are done in parallel and joined in order.
//!
//! [`doc_mentions`] is per document: it depends on the document's matches,
//! runs and people, and on the corpus-wide [`Resolved`] names.

use super::discover::is_connector;
use super::matcher::{Found, KeptFound};
use super::normalize::is_dash_or_space;
use super::stage_names::{DocPeople, DocRuns, PersonTarget, Resolved};
use super::{DocId, EntityId, Mention, Source};
use crate::corpus::Document;
use rayon::prelude::*;

/// Documents assembled at once: their mentions are made in parallel, then
/// joined to the whole list, so that only this many documents' mentions
/// are ever held twice.
pub(crate) const WINDOW: usize = 2048;

/// How many windows' matches are freed before their memory is handed back
/// to the system.
const TRIM_EVERY: usize = 8;

/// What is given each document's runs and people as they are let go.
pub type Keep<'a> = dyn FnMut(&DocRuns, &DocPeople) + 'a;

/// The mentions of every document, in document order. `found`, `runs` and
/// `people` have one entry per document; each document's are let go once
/// its mentions are made, and given to `keep` first, in order, if it is
/// given.
pub fn assemble(
    docs: &[Document],
    found: Vec<Vec<KeptFound>>,
    runs: Vec<DocRuns>,
    people: Vec<DocPeople>,
    resolved: &Resolved,
    mut keep: Option<&mut Keep>,
) -> Vec<Mention> {
    let parts = found.into_iter().zip(runs).zip(people);
    let (all, _) = by_window(
        parts,
        |d, ((found, runs), people)| {
            let text = docs.get(d).map(|doc| doc.text.fetch());
            let text = text.as_deref().unwrap_or("");
            let m = mentions_of(d as DocId, text, found, runs, people, resolved);
            (m, ())
        },
        |((_, runs), people)| {
            if let Some(keep) = keep.as_mut() {
                keep(&runs, &people);
            }
        },
    );
    all
}

/// Every document's mentions, in document order, a window of documents at
/// a time: `make(d, part)` gives document `d`'s mentions (and something
/// more of it) from its part of `parts`, on every core; then each part is
/// given to `done`, in order, and let go. Only a window's mentions are
/// ever held twice, and only a window's parts after they are used.
pub(crate) fn by_window<P: Sync, T: Send>(
    mut parts: impl Iterator<Item = P>,
    make: impl Fn(usize, &P) -> (Vec<Mention>, T) + Sync,
    mut done: impl FnMut(P),
) -> (Vec<Mention>, Vec<T>) {
    let (mut all, mut more) = (Vec::new(), Vec::new());
    loop {
        let first = more.len();
        let window: Vec<P> = parts.by_ref().take(WINDOW).collect();
        if window.is_empty() {
            break;
        }
        let per_doc: Vec<(Vec<Mention>, T)> = window
            .par_iter()
            .enumerate()
            .map(|(i, part)| make(first + i, part))
            .collect();
        window.into_iter().for_each(&mut done);
        all.reserve(per_doc.iter().map(|(m, _)| m.len()).sum());
        for (m, t) in per_doc {
            all.extend(m);
            more.push(t);
        }
        // What the parts held is what the list grows into (handing it back
        // takes time: not after every window).
        if (more.len() / WINDOW).is_multiple_of(TRIM_EVERY) {
            super::release_freed_memory();
        }
    }
    all.shrink_to_fit();
    (all, more)
}

/// The mentions of document `doc`, whose text is `text`, from its matches,
/// runs and people: what [`assemble`] makes of each document.
pub fn mentions_of(
    doc: DocId,
    text: &str,
    found: &[KeptFound],
    runs: &DocRuns,
    people: &DocPeople,
    resolved: &Resolved,
) -> Vec<Mention> {
    let found: Vec<Found> = found.iter().map(Found::from).collect();
    let mut m = doc_mentions(doc, &found, runs, people, resolved);
    drop(found);
    initials_of_names(text, &mut m);
    m
}

/// The mentions of one document, sorted by start (the longer first where
/// two start together) with overlaps dropped: a match first, then a name,
/// then a reference to a person.
pub fn doc_mentions(
    doc: DocId,
    found: &[Found],
    runs: &DocRuns,
    people: &DocPeople,
    resolved: &Resolved,
) -> Vec<Mention> {
    let mut mentions: Vec<Mention> = Vec::with_capacity(found.len() + runs.runs.len());
    for m in found {
        mentions.push(Mention {
            doc,
            start: m.start as u32,
            end: m.end as u32,
            entity: m.target.entity,
            source: m.target.source,
            confidence: m.target.confidence,
        });
    }
    for (i, r) in runs.runs.iter().enumerate() {
        if people.consumed[i] {
            continue;
        }
        if let Some(&(entity, source, confidence)) = resolved.get(runs.key(i)) {
            mentions.push(run_mention(doc, r, entity, source, confidence));
        }
    }
    for &(i, target, source, confidence) in &people.refs {
        let r = &runs.runs[i];
        let entity = match target {
            PersonTarget::Entity(e) => Some(e),
            PersonTarget::Run(j) => resolved.get(runs.key(j)).map(|t| t.0),
        };
        if let Some(entity) = entity {
            mentions.push(run_mention(doc, r, entity, source, confidence));
        }
    }
    // A stable sort: where two mentions have the same span, the one pushed
    // first (a match, then a name, then a person) stays.
    mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut end = 0;
    mentions.retain(|m| {
        let keep = m.start >= end;
        if keep {
            end = m.end;
        }
        keep
    });
    mentions
}

/// The confidence of an acronym linked to the name it spells, named in
/// the same document.
const INITIALS_CONFIDENCE: u8 = 85;

/// No entity: two names of a document spell the same initials.
const TWO_NAMES: EntityId = EntityId::MAX;

/// The most distinct unexplained acronyms of a document that are matched
/// against its names.
const MAX_ACRONYMS: usize = 32;

/// The most letters of an acronym matched against names.
const MAX_ACRONYM_LETTERS: usize = 6;

/// The initials of the words of `name` in lower case, small connecting
/// words left out or not, in `out`; `None` when there are more than
/// [`MAX_ACRONYM_LETTERS`]. Allocates nothing.
fn initials(
    name: &str,
    skip_connectors: bool,
    out: &mut [char; MAX_ACRONYM_LETTERS],
) -> Option<usize> {
    let mut n = 0;
    for w in name.split(is_dash_or_space) {
        if w.is_empty() || skip_connectors && is_connector(w) {
            continue;
        }
        let Some(c) = w.chars().next() else { continue };
        for l in c.to_lowercase() {
            *out.get_mut(n)? = l;
            n += 1;
        }
    }
    Some(n)
}

/// An acronym that nothing explains ("KP") in a document that names one
/// entity whose initials it spells ("Khyber Pakhtunkhwa") is that entity;
/// where two entities of the document spell them, neither.
pub fn initials_of_names(text: &str, mentions: &mut [Mention]) {
    let acronym = |m: &Mention| {
        m.source == Source::Name
            && m.end - m.start <= 24
            && text.get(m.range()).is_some_and(|t| {
                let letters = t.chars().filter(|c| c.is_alphabetic()).count();
                (2..=6).contains(&letters) && t.chars().all(|c| c.is_uppercase())
            })
    };
    // (acronym's letters in lower case, the one entity that spells it so far).
    let mut acronyms: Vec<(Vec<char>, Option<EntityId>)> = Vec::new();
    for m in mentions.iter().filter(|m| acronym(m)) {
        let lower: Vec<char> = text[m.range()]
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        if !acronyms.iter().any(|(a, _)| *a == lower) && acronyms.len() < MAX_ACRONYMS {
            acronyms.push((lower, None));
        }
    }
    if acronyms.is_empty() {
        return;
    }
    let (mut all, mut content) = (['\0'; MAX_ACRONYM_LETTERS], ['\0'; MAX_ACRONYM_LETTERS]);
    for m in mentions.iter() {
        let Some(t) = text.get(m.range()) else {
            continue;
        };
        // Only a name whose first letter starts some acronym.
        let first = t
            .chars()
            .next()
            .into_iter()
            .flat_map(char::to_lowercase)
            .next();
        if !acronyms.iter().any(|(l, _)| l.first() == first.as_ref())
            || !t.contains(is_dash_or_space)
        {
            continue;
        }
        let a = initials(t, false, &mut all).map(|n| &all[..n]);
        let c = initials(t, true, &mut content).map(|n| &content[..n]);
        for (letters, spelled) in &mut acronyms {
            if a.is_some_and(|a| a == &letters[..]) || c.is_some_and(|c| c == &letters[..]) {
                *spelled = match *spelled {
                    None => Some(m.entity),
                    Some(e) if e == m.entity => Some(e),
                    Some(_) => Some(TWO_NAMES),
                };
            }
        }
    }
    for m in mentions.iter_mut() {
        if !acronym(m) {
            continue;
        }
        let lower: Vec<char> = text[m.range()]
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        if let Some((_, Some(e))) = acronyms.iter().find(|(a, _)| *a == lower)
            && *e != TWO_NAMES
            && *e != m.entity
        {
            m.entity = *e;
            m.source = Source::Context;
            m.confidence = INITIALS_CONFIDENCE;
        }
    }
}

/// The mention a name run becomes.
fn run_mention(
    doc: DocId,
    r: &super::stage_names::Run,
    entity: super::EntityId,
    source: super::Source,
    confidence: u8,
) -> Mention {
    Mention {
        doc,
        start: r.start,
        end: r.end,
        entity,
        source,
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::matcher::Target;
    use rustc_hash::FxHashMap as HashMap;

    fn found(start: usize, end: usize, entity: u32) -> Found {
        Found {
            start,
            end,
            target: Target::for_alias("Name", entity, Source::Kb, 100).into(),
        }
    }

    #[test]
    fn a_document_has_sorted_mentions_without_overlaps_and_matches_win_ties() {
        let matches = [found(0, 5, 1), found(10, 20, 2)];
        let resolved: Resolved = HashMap::default();
        let m = doc_mentions(
            3,
            &matches,
            &DocRuns::default(),
            &DocPeople::default(),
            &resolved,
        );
        let spans: Vec<(u32, u32, u32)> = m.iter().map(|m| (m.start, m.end, m.entity)).collect();
        assert_eq!(spans, vec![(0, 5, 1), (10, 20, 2)]);
        assert!(m.iter().all(|m| m.doc == 3));
    }

    #[test]
    fn documents_are_joined_in_order() {
        let a = [found(4, 8, 1)];
        let b = [found(0, 2, 2)];
        let runs = vec![DocRuns::default(), DocRuns::default()];
        let people = vec![DocPeople::default(), DocPeople::default()];
        let m = assemble(
            &[],
            vec![
                a.iter().map(KeptFound::from).collect(),
                b.iter().map(KeptFound::from).collect(),
            ],
            runs,
            people,
            &HashMap::default(),
            None,
        );
        let docs: Vec<(u32, u32)> = m.iter().map(|m| (m.doc, m.start)).collect();
        assert_eq!(docs, vec![(0, 4), (1, 0)]);
    }
}
