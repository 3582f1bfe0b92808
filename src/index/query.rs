//! Queries over the index that the reader and the headless commands share:
//! how often a text occurs (counted as linking it everywhere would find
//! it), the fuzzy scoring of entity names, and the queue of suggested
//! links to review.

use super::Index;
use crate::corpus::Corpus;
use crate::entity::matcher::{MatcherBuilder, Target};
use crate::entity::normalize::key;
use crate::entity::{DocId, EntityId, Mention, Source};
use crate::text::flatten;
use std::collections::{BTreeMap, HashMap};

/// One row of the entity picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickRow {
    pub entity: EntityId,
    /// The alias that matched, when it is not the name.
    pub via: Option<String>,
    pub score: i64,
}

/// One entry of the review queue: a suggested link of a surface form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewItem {
    /// The surface form, as most often written.
    pub text: String,
    /// The entity's id.
    pub entity: String,
    pub source: Source,
    /// How many mentions the suggestion makes.
    pub count: usize,
    /// A few of them, for context.
    pub examples: Vec<Mention>,
}

/// The id of entity `e` (empty when there is none).
pub fn entity_id(index: &Index, e: EntityId) -> String {
    index
        .entities()
        .get(e as usize)
        .map(|x| x.id.clone())
        .unwrap_or_default()
}

fn matcher_for(text: &str) -> crate::entity::matcher::Matcher {
    let mut b = MatcherBuilder::new();
    b.add(text, Target::for_alias(text, 0, Source::Annotation, 100));
    b.build()
}

/// True when linking `text` everywhere in `doc_text` would link exactly
/// the span `range` (the span is whole words, long enough to match).
pub fn links_span(doc_text: &str, text: &str, range: std::ops::Range<usize>) -> bool {
    matcher_for(text)
        .find_all(doc_text)
        .iter()
        .any(|f| f.start == range.start && f.end == range.end)
}

/// How many times `text` occurs in the corpus, and in how many documents,
/// counted the way linking it everywhere finds it (whole words; case,
/// dashes and diacritics folded; acronyms in capitals).
pub fn count_occurrences(corpus: &Corpus, text: &str) -> (usize, usize) {
    count_occurrences_until(corpus, text, || false).unwrap_or((0, 0))
}

/// [`count_occurrences`] that gives up (`None`) as soon as `stop` says so;
/// it is asked every few documents.
pub fn count_occurrences_until(
    corpus: &Corpus,
    text: &str,
    stop: impl Fn() -> bool,
) -> Option<(usize, usize)> {
    let m = matcher_for(text);
    if m.is_empty() {
        return Some((0, 0));
    }
    let mut n = 0;
    let mut docs = 0;
    // Only the documents that may hold every word of the text.
    for (i, d) in super::words::docs_to_search(corpus, text)
        .into_iter()
        .enumerate()
    {
        if i % 64 == 63 && stop() {
            return None;
        }
        // Read for this count only: a text not in memory stays so.
        let found = m.find_all(&corpus.docs[d as usize].text.fetch()).len();
        n += found;
        docs += usize::from(found > 0);
    }
    Some((n, docs))
}

/// Why a text can be linked at this span only: too short for the matcher
/// (a single letter or digit is a word, but never linked everywhere), or
/// not whole words.
pub fn span_only_reason(text: &str) -> &'static str {
    if too_short_to_match(text) {
        "too short to link everywhere"
    } else {
        "not whole words"
    }
}

/// True when the matcher never links `text` everywhere, whatever words it
/// is: fewer than two letters or digits.
pub fn too_short_to_match(text: &str) -> bool {
    crate::entity::matcher::too_short(text)
}

/// How well `query` fits `candidate`, ignoring case, dashes and
/// diacritics; `None` when it does not fit at all. The thousands give the
/// class of fit (exact 10, prefix 8, at a word start 6, inside 4, every
/// query word inside 3, a subsequence 2); the rest prefers shorter
/// candidates, earlier positions and fewer gaps.
pub fn score(query: &str, candidate: &str) -> Option<i64> {
    let q = key(query);
    if q.is_empty() {
        return Some(0);
    }
    let c = key(candidate);
    let fine = |penalty: usize| 999 - (penalty.min(999) as i64);
    let len = c.chars().count();
    if c == q {
        return Some(10_000);
    }
    if c.starts_with(&q) {
        return Some(8_000 + fine(len));
    }
    if let Some(pos) = c.find(&format!(" {q}")) {
        return Some(6_000 + fine(pos + len));
    }
    if let Some(pos) = c.find(&q) {
        return Some(4_000 + fine(pos + len));
    }
    let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
    if words.len() > 1 && words.iter().all(|w| c.contains(w)) {
        return Some(3_000 + fine(len));
    }
    // A subsequence: more word starts and fewer gaps score higher.
    let cs: Vec<char> = c.chars().collect();
    let mut ci = 0;
    let mut gaps = 0usize;
    let mut starts = 0usize;
    let mut last: Option<usize> = None;
    for qc in q.chars().filter(|c| *c != ' ') {
        let mut found = None;
        while ci < cs.len() {
            if cs[ci] == qc {
                found = Some(ci);
                ci += 1;
                break;
            }
            ci += 1;
        }
        let i = found?;
        if i == 0 || cs.get(i - 1) == Some(&' ') {
            starts += 1;
        }
        if let Some(l) = last
            && i > l + 1
        {
            gaps += 1;
        }
        last = Some(i);
    }
    // Scattered letters are noise unless half of them start words.
    if starts * 2 < q.chars().filter(|c| *c != ' ').count() {
        return None;
    }
    let bonus = 500 + 40 * starts as i64 - 10 * gaps as i64 - len as i64;
    Some(2_000 + bonus.clamp(0, 999))
}

/// The picker's rows for `query`: every entity whose name or an alias fits,
/// best first, then by mentions; entities merged away are left out.
pub fn pick_rows(index: &Index, query: &str, hidden: &[String]) -> Vec<PickRow> {
    let mut rows: Vec<PickRow> = Vec::new();
    for (i, e) in index.entities().iter().enumerate() {
        if hidden.contains(&e.id) {
            continue;
        }
        // An alias is shown only when it fits in a better class than the name.
        let mut best: Option<(i64, Option<String>)> = score(query, &e.name).map(|s| (s, None));
        for a in &e.aliases {
            if let Some(s) = score(query, a)
                && best.as_ref().is_none_or(|(b, _)| s / 1000 > *b / 1000)
            {
                best = Some((s, Some(a.clone())));
            }
        }
        if let Some((score, via)) = best {
            rows.push(PickRow {
                entity: i as EntityId,
                via,
                score,
            });
        }
    }
    // By class of fit, then by how often the entity is mentioned.
    rows.sort_by(|a, b| {
        (b.score / 1000)
            .cmp(&(a.score / 1000))
            .then_with(|| {
                index
                    .stats(b.entity)
                    .mentions
                    .cmp(&index.stats(a.entity).mentions)
            })
            .then_with(|| b.score.cmp(&a.score))
            .then_with(|| {
                index
                    .entity(a.entity)
                    .name
                    .cmp(&index.entity(b.entity).name)
            })
    });
    rows.truncate(5_000);
    rows
}

/// The suggested links (sources `variant` and `abbreviation`), grouped by
/// surface form and entity, most frequent first.
pub fn review_queue(index: &Index) -> Vec<ReviewItem> {
    struct Group {
        forms: BTreeMap<String, usize>,
        count: usize,
        examples: Vec<Mention>,
        source: Source,
    }
    let mut groups: HashMap<(String, EntityId), Group> = HashMap::new();
    // Each mention's text is its form: no document is read.
    let all = (0..index.docs().len() as DocId).flat_map(|d| {
        index
            .doc_mentions(d)
            .iter()
            .enumerate()
            .map(move |(i, m)| (index.form(d, i), m))
    });
    for (t, m) in all {
        if !reviewable(m.source) {
            continue;
        }
        let g = groups.entry((key(t), m.entity)).or_insert_with(|| Group {
            forms: BTreeMap::new(),
            count: 0,
            examples: Vec::new(),
            source: m.source,
        });
        *g.forms.entry(flatten(t)).or_default() += 1;
        g.count += 1;
        if g.examples.len() < 3 {
            g.examples.push(*m);
        }
    }
    let mut items: Vec<ReviewItem> = groups
        .into_iter()
        .map(|((_, e), g)| {
            let text = g
                .forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(t, _)| t.clone())
                .unwrap_or_default();
            ReviewItem {
                text,
                entity: entity_id(index, e),
                source: g.source,
                count: g.count,
                examples: g.examples,
            }
        })
        .collect();
    items.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.text.cmp(&b.text))
            .then_with(|| a.entity.cmp(&b.entity))
    });
    items
}

/// True for the links the review queue offers to accept or reject: the
/// engine only suggested them (spelling variants, abbreviations, and the
/// names it found on its own, which are the least sure).
pub fn reviewable(source: Source) -> bool {
    matches!(
        source,
        Source::Variant | Source::Abbreviation | Source::Name
    )
}

/// The entity a person names on a command line or after `=` in a search:
/// its id exactly; else its name or an alias, ignoring case, dashes and
/// diacritics (the most mentioned when several share it); else the
/// entity whose name or alias the query begins (see [`pick_rows`]).
pub fn resolve_entity(index: &Index, query: &str) -> Option<EntityId> {
    let q = query.trim();
    if q.is_empty() {
        return None;
    }
    if let Some(e) = index.entity_by_id(q) {
        return Some(e);
    }
    let k = key(q);
    let named = (0..index.entities().len() as EntityId)
        .filter(|&e| {
            let ent = index.entity(e);
            std::iter::once(&ent.name)
                .chain(&ent.aliases)
                .any(|n| key(n) == k)
        })
        .max_by(|&a, &b| {
            index
                .stats(a)
                .mentions
                .cmp(&index.stats(b).mentions)
                .then(b.cmp(&a))
        });
    named.or_else(|| {
        pick_rows(index, q, &[])
            .first()
            .filter(|r| r.score >= 8_000)
            .map(|r| r.entity)
    })
}

/// Every mention of an entity, whatever its spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityHits {
    pub entity: EntityId,
    /// Its mentions in (document, start) order.
    pub hits: Vec<Mention>,
}

/// An entity search (`/=ttp` in the reader): `query`, with or without its
/// leading `=`, names an entity (see [`resolve_entity`]), and the hits are
/// all its mentions, every spelling, in document order. No text is read.
pub fn entity_search(index: &Index, query: &str) -> Option<EntityHits> {
    let q = query.trim();
    let q = q.strip_prefix('=').unwrap_or(q);
    let entity = resolve_entity(index, q)?;
    Some(EntityHits {
        entity,
        hits: index.entity_mentions(entity).copied().collect(),
    })
}

/// Every hit of a plain search for `query` in one text, ignoring case, as
/// byte ranges in order: what an open article highlights.
pub fn text_hits(text: &str, query: &str) -> Vec<std::ops::Range<usize>> {
    crate::text::find_all_ignore_case(text, query, usize::MAX)
}

/// Which way to move between search hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Next,
    Previous,
}

/// The hit of `query` after (or before) byte `at` of document `doc`,
/// looking through the following (or preceding) documents and round from
/// the other end, as `n` and `N` do in `less`: the document and the hit's
/// range, or `None` when the corpus has no hit at all. Texts not in memory
/// are read for this search only, one at a time, until a hit is found.
pub fn next_hit(
    corpus: &Corpus,
    query: &str,
    doc: DocId,
    at: usize,
    direction: Direction,
) -> Option<(DocId, std::ops::Range<usize>)> {
    let n = corpus.docs.len();
    if n == 0 || query.is_empty() {
        return None;
    }
    let start = (doc as usize).min(n - 1);
    // The current document is looked at twice: past `at` first, and
    // before it when the search comes round again.
    for step in 0..=n {
        let d = match direction {
            Direction::Next => (start + step) % n,
            Direction::Previous => (start + n - step % n) % n,
        };
        let text = corpus.docs[d].text.fetch();
        let hits = text_hits(&text, query);
        let found = match (direction, step) {
            (Direction::Next, 0) => hits.into_iter().find(|h| h.start > at),
            (Direction::Previous, 0) => hits.into_iter().rev().find(|h| h.start < at),
            (Direction::Next, _) => hits.into_iter().next(),
            (Direction::Previous, _) => hits.into_iter().next_back(),
        };
        if let Some(h) = found {
            return Some((d as DocId, h));
        }
    }
    None
}

/// The mention of `hits` (in document order) after (or before) byte `at`
/// of document `doc`, coming round at the ends: `n` and `N` over an
/// entity search.
pub fn next_entity_hit(
    hits: &[Mention],
    doc: DocId,
    at: usize,
    direction: Direction,
) -> Option<&Mention> {
    let key = |m: &Mention| (m.doc, m.start as usize);
    match direction {
        Direction::Next => {
            let i = hits.partition_point(|m| key(m) <= (doc, at));
            hits.get(i).or_else(|| hits.first())
        }
        Direction::Previous => {
            let i = hits.partition_point(|m| key(m) < (doc, at));
            i.checked_sub(1)
                .and_then(|i| hits.get(i))
                .or_else(|| hits.last())
        }
    }
}

// ---------------------------------------------------------------------------
// Entities as the reader's questions name them.

/// The display name of an entity id.
pub fn entity_name(index: &Index, id: &str) -> String {
    index
        .entity_by_id(id)
        .map(|e| index.entity(e).name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// How a mention of this source came to be linked, for questions and
/// messages ("“ISKP” is linked by the knowledge base").
pub fn linked_by(source: Source) -> &'static str {
    match source {
        Source::Kb => "linked by the knowledge base",
        Source::Abbreviation => "an abbreviation defined in the text",
        Source::Person => "a short reference to a person named earlier",
        Source::Variant => "a suggested spelling variant",
        Source::Rule => "linked by a pattern rule",
        Source::Name => "a name the engine found",
        Source::Annotation => "linked by an annotation",
        Source::Context => "decided by the article's context",
    }
}

/// How many mentions of entity `e` have the text `text`.
pub fn mentions_with_text(index: &Index, e: EntityId, text: &str) -> usize {
    let k = key(text);
    index
        .entity_mentions(e)
        .filter(|m| {
            index
                .doc(m.doc)
                .text
                .get(m.range())
                .is_some_and(|t| key(t) == k)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::{Engine, KnowledgeBase};

    const KB: &str = "[[entity]]\nid = \"radd\"\nname = \"Radd-ul-Fasaad\"\nkind = \"event\"\n\
        aliases = [\"Rudd-ul-Fasaad\"]\n\n[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\n\
        kind = \"group\"\naliases = [\"TTP\"]\n";

    fn index() -> Index {
        let mut kb = KnowledgeBase::new();
        if let Err(e) = kb.add_toml(std::path::Path::new("kb.toml"), KB) {
            panic!("{e:?}");
        }
        let files: Vec<(&str, &[u8])> = vec![
            (
                "a.txt",
                b"One\n\nThe Radd-ul-Fasaad began. The TTP fled." as &[u8],
            ),
            ("b.txt", b"Two\n\nNothing to see."),
            (
                "c.txt",
                b"Three\n\nThe Rudd-ul-Fasaad push and the TTP, again the TTP.",
            ),
        ];
        let corpus = load_embedded("t", &files);
        let analysis = Engine::new(kb).analyse(&corpus);
        Index::new(corpus, analysis)
    }

    #[test]
    fn entities_resolve_by_id_name_alias_and_prefix() {
        let idx = index();
        let radd = idx.entity_by_id("radd");
        assert!(radd.is_some());
        assert_eq!(resolve_entity(&idx, "radd"), radd);
        assert_eq!(resolve_entity(&idx, "RUDD-UL-FASAAD"), radd);
        assert_eq!(resolve_entity(&idx, "radd ul fasaad"), radd);
        assert_eq!(resolve_entity(&idx, "Radd-u"), radd);
        assert_eq!(resolve_entity(&idx, "ttp"), idx.entity_by_id("ttp"));
        assert_eq!(resolve_entity(&idx, "zzz"), None);
        assert_eq!(resolve_entity(&idx, "  "), None);
    }

    #[test]
    fn an_entity_search_finds_every_spelling() {
        let idx = index();
        let Some(found) = entity_search(&idx, "=radd") else {
            panic!("no entity");
        };
        let forms: Vec<&str> = found
            .hits
            .iter()
            .map(|m| &idx.doc(m.doc).text[m.range()])
            .collect();
        assert_eq!(forms, ["Radd-ul-Fasaad", "Rudd-ul-Fasaad"]);
        assert!(entity_search(&idx, "=nothing").is_none());
    }

    #[test]
    fn plain_hits_and_moving_between_them() {
        let idx = index();
        let corpus = idx.corpus();
        let text = &corpus.docs[2].text;
        let hits = text_hits(text, "ttp");
        assert_eq!(hits.len(), 2);
        assert!(hits.iter().all(|h| &text[h.clone()] == "TTP"));
        let first_a = text_hits(&corpus.docs[0].text, "ttp")[0].clone();
        // Forward: the next document with a hit, skipping one without.
        let (d, h) = next_hit(corpus, "ttp", 0, first_a.start, Direction::Next).unwrap_or_default();
        assert_eq!((d, h), (2, hits[0].clone()));
        let (d, h) = next_hit(corpus, "ttp", 2, hits[0].start, Direction::Next).unwrap_or_default();
        assert_eq!((d, h), (2, hits[1].clone()));
        // Round from the end to the start, and back.
        let (d, h) = next_hit(corpus, "ttp", 2, hits[1].start, Direction::Next).unwrap_or_default();
        assert_eq!((d, h), (0, first_a.clone()));
        let (d, h) =
            next_hit(corpus, "ttp", 0, first_a.start, Direction::Previous).unwrap_or_default();
        assert_eq!((d, h), (2, hits[1].clone()));
        assert_eq!(next_hit(corpus, "absent", 0, 0, Direction::Next), None);
        // A single hit in the corpus is found again from itself.
        let (d, _) = next_hit(corpus, "nothing", 1, 9, Direction::Next).unwrap_or_default();
        assert_eq!(d, 1);
    }

    #[test]
    fn moving_between_entity_hits() {
        let idx = index();
        let Some(found) = entity_search(&idx, "=ttp") else {
            panic!("no entity");
        };
        let h = &found.hits;
        assert_eq!(h.len(), 3);
        let at = |m: &Mention| (m.doc, m.start as usize);
        let next = |m: &Mention, d| next_entity_hit(h, m.doc, m.start as usize, d).map(at);
        assert_eq!(next(&h[0], Direction::Next), Some(at(&h[1])));
        assert_eq!(next(&h[2], Direction::Next), Some(at(&h[0])));
        assert_eq!(next(&h[0], Direction::Previous), Some(at(&h[2])));
        assert_eq!(next(&h[2], Direction::Previous), Some(at(&h[1])));
        assert_eq!(next_entity_hit(&[], 0, 0, Direction::Next), None);
    }
}
