//! Co-occurrence that means something: which entities are named *with* an
//! entity, counted by sentence, by paragraph or by document, boilerplate
//! (author bios, "Related News" blocks, sign-ups) left out, and ranked by
//! how much more often they meet than chance would have them meet.
//!
//! # The counts
//!
//! Each level counts *units*: sentences, paragraphs or documents (see
//! [`crate::text::segment`]). A mention inside a boilerplate range of its
//! document is not counted, nor is a unit that starts in one.
//!
//! - At the **document** level the units are the corpus's documents, and
//!   an entity's count is the number of documents naming it, taken from
//!   the index as it is (so a document naming it only in boilerplate
//!   counts there; the joint count never does). No text is read.
//! - At the **sentence** and **paragraph** levels the units are those of
//!   the documents that name the entity: the question is which entities
//!   those articles put in the same sentence as it, rather than elsewhere
//!   in the same articles. Only those documents are read, each once, on
//!   every core, and the work is linear in their bytes.
//!
//! # The score
//!
//! Rows are ranked by Dunning's log-likelihood ratio (G², "Accurate
//! methods for the statistics of surprise and coincidence", 1993) on the
//! 2×2 table of units with and without either entity, signed so that a
//! pair meeting less often than chance ranks below every pair meeting more
//! often. It is chosen over pointwise mutual information (also given, as
//! [`CoocRow::pmi`]) because PMI rewards rare pairs without limit: a name
//! seen once, in a sentence with the entity, gets the highest PMI of all,
//! while G² weighs the strength of the association by the evidence for it,
//! and so discounts both the ubiquitous ("Pakistan" in every sentence) and
//! the one-off.

use super::Index;
use crate::entity::{DocId, EntityId, Kind, Mention};
use crate::text::segment;
use std::borrow::Cow;
use std::ops::Range;

/// What counts as being named together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Sentence,
    Paragraph,
    Document,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Sentence => "sentence",
            Level::Paragraph => "paragraph",
            Level::Document => "document",
        }
    }

    /// The level a word names (`sentence`, `paragraph`, `document`, or
    /// their first letters).
    pub fn parse(s: &str) -> Option<Level> {
        match s.to_ascii_lowercase().as_str() {
            "sentence" | "sentences" | "s" => Some(Level::Sentence),
            "paragraph" | "paragraphs" | "p" => Some(Level::Paragraph),
            "document" | "documents" | "doc" | "d" => Some(Level::Document),
            _ => None,
        }
    }
}

/// One entity named with another.
#[derive(Debug, Clone, PartialEq)]
pub struct CoocRow {
    pub entity: EntityId,
    /// Units naming both.
    pub joint: u32,
    /// Units naming the entity asked about.
    pub count_e: u32,
    /// Units naming this one.
    pub count_other: u32,
    /// Units in all (see the module's documentation for which).
    pub units: u32,
    /// Signed log-likelihood ratio (G²): the ranking score.
    pub llr: f64,
    /// Pointwise mutual information, log2(joint · units / (count_e ·
    /// count_other)).
    pub pmi: f64,
}

/// Co-occurrence counts of one entity at one level, before ranking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub units: u32,
    pub with_e: u32,
    /// Per entity: units naming it (at the sentence and paragraph levels,
    /// within the entity's documents).
    pub other: Vec<u32>,
    /// Per entity: units naming it and the entity.
    pub joint: Vec<u32>,
}

/// From how many documents the counting is shared between threads.
const PARALLEL_DOCS: usize = 64;

/// The entities named with `e` at `level`, of kind `kind` when given,
/// best first (see the module's documentation for the counts and the
/// score). Boilerplate is left out.
pub fn cooccurrence(index: &Index, e: EntityId, level: Level, kind: Option<Kind>) -> Vec<CoocRow> {
    let counts = count(index, e, level);
    rank(index, e, &counts, kind)
}

/// Ranks the counts of [`count`].
pub fn rank(index: &Index, e: EntityId, counts: &Counts, kind: Option<Kind>) -> Vec<CoocRow> {
    let n = f64::from(counts.units);
    let mut rows: Vec<CoocRow> = counts
        .joint
        .iter()
        .enumerate()
        .filter(|&(o, &j)| j > 0 && o as EntityId != e)
        .filter(|&(o, _)| kind.is_none_or(|k| index.entity(o as EntityId).kind == k))
        .map(|(o, &joint)| {
            let other = counts.other[o].max(joint);
            let (a, b, c) = (f64::from(joint), f64::from(counts.with_e), f64::from(other));
            CoocRow {
                entity: o as EntityId,
                joint,
                count_e: counts.with_e,
                count_other: other,
                units: counts.units,
                llr: signed_llr(a, b, c, n),
                pmi: (a * n / (b * c)).log2(),
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        y.llr
            .total_cmp(&x.llr)
            .then(y.joint.cmp(&x.joint))
            .then(x.entity.cmp(&y.entity))
    });
    rows
}

/// G² of the 2×2 table with `joint` units naming both, `with_e` naming
/// the first, `with_o` the second, out of `n`; negative when the two meet
/// less often than chance.
fn signed_llr(joint: f64, with_e: f64, with_o: f64, n: f64) -> f64 {
    let k = [
        joint,
        with_e - joint,
        with_o - joint,
        n - with_e - with_o + joint,
    ];
    let rows = [with_e, n - with_e];
    let cols = [with_o, n - with_o];
    let mut g = 0.0;
    for (i, &obs) in k.iter().enumerate() {
        let expected = rows[i / 2] * cols[i % 2] / n;
        if obs > 0.0 && expected > 0.0 {
            g += obs * (obs / expected).ln();
        }
    }
    let g = (2.0 * g).max(0.0);
    if joint * n >= with_e * with_o { g } else { -g }
}

/// The co-occurrence counts of entity `e` at `level`.
pub fn count(index: &Index, e: EntityId, level: Level) -> Counts {
    let n = index.entities().len();
    let docs = docs_of(index, e);
    match level {
        Level::Document => {
            let mut c = Counts {
                units: index.docs().len() as u32,
                with_e: 0,
                other: (0..n as EntityId).map(|o| index.stats(o).docs).collect(),
                joint: vec![0; n],
            };
            let mut last = vec![DocId::MAX; n];
            for d in docs {
                let mentions = counted(index, d);
                if !mentions.iter().any(|m| m.entity == e) {
                    continue;
                }
                c.with_e += 1;
                for m in mentions {
                    let o = m.entity as usize;
                    if o < n && last[o] != d {
                        last[o] = d;
                        c.joint[o] += 1;
                    }
                }
            }
            c
        }
        Level::Sentence | Level::Paragraph => {
            let sentences = level == Level::Sentence;
            let fresh = || Counts {
                units: 0,
                with_e: 0,
                other: vec![0; n],
                joint: vec![0; n],
            };
            let mut scratch = Scratch::new(n);
            if docs.len() < PARALLEL_DOCS {
                let mut c = fresh();
                for d in docs {
                    count_doc(index, e, d, sentences, &mut c, &mut scratch);
                }
                c
            } else {
                use rayon::prelude::*;
                // A few pieces per thread: each has counts for every entity.
                let piece = docs.len() / (4 * rayon::current_num_threads()).max(1);
                docs.par_iter()
                    .with_min_len(piece.max(1))
                    .fold(
                        || (fresh(), Scratch::new(n)),
                        |(mut c, mut s), &d| {
                            count_doc(index, e, d, sentences, &mut c, &mut s);
                            (c, s)
                        },
                    )
                    .map(|(c, _)| c)
                    .reduce(fresh, |mut a, b| {
                        a.units += b.units;
                        a.with_e += b.with_e;
                        a.other.iter_mut().zip(b.other).for_each(|(x, y)| *x += y);
                        a.joint.iter_mut().zip(b.joint).for_each(|(x, y)| *x += y);
                        a
                    })
            }
        }
    }
}

/// The documents naming `e`, in order.
fn docs_of(index: &Index, e: EntityId) -> Vec<DocId> {
    let places = index.entity_places(e);
    index.decode_docs_of(places);
    let mut docs: Vec<DocId> = places.iter().map(|p| p.0).collect();
    docs.dedup();
    docs
}

/// Document `d`'s mentions outside its boilerplate.
fn counted(index: &Index, d: DocId) -> Vec<Mention> {
    let boilerplate = &index.doc(d).boilerplate;
    let mut k = 0;
    index
        .doc_mentions(d)
        .iter()
        .filter(|m| {
            let at = m.start as usize;
            while k < boilerplate.len() && boilerplate[k].end <= at {
                k += 1;
            }
            boilerplate.get(k).is_none_or(|b| b.start > at)
        })
        .copied()
        .collect()
}

/// Per-thread marks: the last unit each entity was counted in.
struct Scratch {
    last_unit: Vec<u64>,
    unit: u64,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            last_unit: vec![u64::MAX; n],
            unit: 0,
        }
    }
}

/// The text of document `d`, read for this pass only when not in memory.
fn text_of(index: &Index, d: DocId) -> Cow<'_, str> {
    index.doc(d).text.fetch()
}

/// The units of document `d` that count (those not starting in its
/// boilerplate).
fn units_of(index: &Index, d: DocId, text: &str, sentences: bool) -> Vec<Range<usize>> {
    let boilerplate = &index.doc(d).boilerplate;
    let mut k = 0;
    segment::units(text, sentences)
        .into_iter()
        .filter(|u| {
            while k < boilerplate.len() && boilerplate[k].end <= u.start {
                k += 1;
            }
            boilerplate.get(k).is_none_or(|b| b.start > u.start)
        })
        .collect()
}

/// Adds document `d`'s units to `c`.
fn count_doc(
    index: &Index,
    e: EntityId,
    d: DocId,
    sentences: bool,
    c: &mut Counts,
    s: &mut Scratch,
) {
    let mentions = counted(index, d);
    if !mentions.iter().any(|m| m.entity == e) {
        return;
    }
    let text = text_of(index, d);
    let units = units_of(index, d, &text, sentences);
    c.units += units.len() as u32;
    let n = c.other.len();
    let mut k = 0;
    let mut i = 0;
    while i < mentions.len() {
        let (next, hit) = segment::unit_at(&units, k, mentions[i].start as usize);
        k = next;
        let Some(u) = hit else {
            i += 1;
            continue;
        };
        // The mentions in unit `u`.
        let end = units[u].end;
        let j = i + mentions[i..]
            .iter()
            .take_while(|m| (m.start as usize) < end)
            .count();
        let in_unit = &mentions[i..j];
        s.unit += 1;
        let has_e = in_unit.iter().any(|m| m.entity == e);
        c.with_e += u32::from(has_e);
        for m in in_unit {
            let o = m.entity as usize;
            if o < n && s.last_unit[o] != s.unit {
                s.last_unit[o] = s.unit;
                c.other[o] += 1;
                c.joint[o] += u32::from(has_e);
            }
        }
        i = j;
        k = u + 1;
    }
}

/// A unit (sentence or paragraph) that names two entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedUnit {
    pub doc: DocId,
    /// The unit's byte range in the document's text.
    pub range: Range<usize>,
    /// The mentions of either entity in it, in order.
    pub mentions: Vec<Mention>,
}

/// The sentences (or paragraphs) naming both `a` and `b`, outside
/// boilerplate, in corpus order, `limit` at most. Only the documents
/// naming both are read, until `limit` are found.
pub fn shared_units(
    index: &Index,
    a: EntityId,
    b: EntityId,
    level: Level,
    limit: usize,
) -> Vec<SharedUnit> {
    let (da, db) = (docs_of(index, a), docs_of(index, b));
    // Documents naming both: a merge of two sorted lists.
    let mut both = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < da.len() && j < db.len() {
        match da[i].cmp(&db[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both.push(da[i]);
                i += 1;
                j += 1;
            }
        }
    }
    let mut out = Vec::new();
    for d in both {
        if out.len() >= limit {
            break;
        }
        let mentions: Vec<Mention> = counted(index, d)
            .into_iter()
            .filter(|m| m.entity == a || m.entity == b)
            .collect();
        if level == Level::Document {
            if mentions.iter().any(|m| m.entity == a) && mentions.iter().any(|m| m.entity == b) {
                out.push(SharedUnit {
                    doc: d,
                    range: 0..index.doc(d).text.len(),
                    mentions,
                });
            }
            continue;
        }
        let text = text_of(index, d);
        let units = units_of(index, d, &text, level == Level::Sentence);
        let mut k = 0;
        let mut i = 0;
        while i < mentions.len() && out.len() < limit {
            let (next, hit) = segment::unit_at(&units, k, mentions[i].start as usize);
            k = next;
            let Some(u) = hit else {
                i += 1;
                continue;
            };
            let end = units[u].end;
            let j = i + mentions[i..]
                .iter()
                .take_while(|m| (m.start as usize) < end)
                .count();
            let in_unit = &mentions[i..j];
            if in_unit.iter().any(|m| m.entity == a) && in_unit.iter().any(|m| m.entity == b) {
                out.push(SharedUnit {
                    doc: d,
                    range: units[u].clone(),
                    mentions: in_unit.to_vec(),
                });
            }
            i = j;
            k = u + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::{Engine, KnowledgeBase};

    const KB: &str = r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP"]

[[entity]]
id = "bannu"
name = "Bannu"
kind = "place"

[[entity]]
id = "kabul"
name = "Kabul"
kind = "place"

[[entity]]
id = "norwich"
name = "Norwich University"
kind = "org"

[[entity]]
id = "army"
name = "Pakistan Army"
kind = "org"
"#;

    fn index(files: &[(&str, &str)]) -> Index {
        let mut kb = KnowledgeBase::new();
        if let Err(e) = kb.add_toml(std::path::Path::new("kb.toml"), KB) {
            panic!("{e:?}");
        }
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
        let corpus = load_embedded("t", &files);
        let analysis = Engine::new(kb).analyse(&corpus);
        Index::new(corpus, analysis)
    }

    fn id(index: &Index, id: &str) -> EntityId {
        index
            .entity_by_id(id)
            .unwrap_or_else(|| panic!("no entity {id}"))
    }

    fn corpus() -> Index {
        index(&[
            (
                "a.txt",
                "Attack\n\nThe TTP struck in Bannu on Monday. Officials in Kabul were silent.\n\n\
                 The Pakistan Army answered.\n\nAuthor\n\nThe writer studied at Norwich \
                 University and writes on the TTP.",
            ),
            (
                "b.txt",
                "Talks\n\nThe TTP and Bannu elders met. Kabul hosted them.",
            ),
            ("c.txt", "Other\n\nKabul and the Pakistan Army again."),
        ])
    }

    #[test]
    fn a_shared_sentence_ranks_above_a_shared_document() {
        let idx = corpus();
        let (ttp, bannu, kabul) = (id(&idx, "ttp"), id(&idx, "bannu"), id(&idx, "kabul"));
        let rows = cooccurrence(&idx, ttp, Level::Sentence, None);
        let at = |e| rows.iter().position(|r| r.entity == e);
        let b = at(bannu).unwrap_or(usize::MAX);
        assert_eq!(rows[b].joint, 2, "{rows:?}");
        // Kabul shares documents with the TTP, never a sentence.
        assert_eq!(at(kabul), None, "{rows:?}");
        let doc_rows = cooccurrence(&idx, ttp, Level::Document, None);
        let k = doc_rows.iter().find(|r| r.entity == kabul);
        assert_eq!(k.map(|r| r.joint), Some(2), "{doc_rows:?}");
        // Units: sentences of the two TTP documents outside boilerplate.
        assert_eq!(rows[b].count_e, 2);
        assert!(rows[b].llr > 0.0 && rows[b].pmi > 0.0);
    }

    #[test]
    fn an_entity_only_in_an_author_bio_is_not_counted() {
        let idx = corpus();
        let (ttp, norwich) = (id(&idx, "ttp"), id(&idx, "norwich"));
        assert!(idx.stats(norwich).mentions > 0, "the bio names it");
        for level in [Level::Sentence, Level::Paragraph, Level::Document] {
            let rows = cooccurrence(&idx, ttp, level, None);
            assert!(
                rows.iter().all(|r| r.entity != norwich),
                "{level:?}: {rows:?}"
            );
        }
    }

    #[test]
    fn paragraphs_and_kinds() {
        let idx = corpus();
        let (ttp, kabul, army) = (id(&idx, "ttp"), id(&idx, "kabul"), id(&idx, "army"));
        let rows = cooccurrence(&idx, ttp, Level::Paragraph, None);
        // Kabul is in a paragraph with the TTP in both documents; the army
        // in a paragraph of its own.
        assert_eq!(
            rows.iter().find(|r| r.entity == kabul).map(|r| r.joint),
            Some(2)
        );
        assert!(rows.iter().all(|r| r.entity != army));
        let places = cooccurrence(&idx, ttp, Level::Paragraph, Some(Kind::Place));
        assert!(!places.is_empty());
        assert!(
            places
                .iter()
                .all(|r| idx.entity(r.entity).kind == Kind::Place)
        );
    }

    #[test]
    fn shared_sentences_of_a_pair() {
        let idx = corpus();
        let (ttp, bannu, kabul) = (id(&idx, "ttp"), id(&idx, "bannu"), id(&idx, "kabul"));
        let shared = shared_units(&idx, ttp, bannu, Level::Sentence, 10);
        let texts: Vec<&str> = shared
            .iter()
            .map(|s| &idx.doc(s.doc).text[s.range.clone()])
            .collect();
        assert_eq!(
            texts,
            [
                "The TTP struck in Bannu on Monday.",
                "The TTP and Bannu elders met."
            ]
        );
        assert!(shared.iter().all(|s| s.mentions.len() == 2));
        assert_eq!(shared_units(&idx, ttp, bannu, Level::Sentence, 1).len(), 1);
        assert!(shared_units(&idx, ttp, kabul, Level::Sentence, 10).is_empty());
        assert_eq!(shared_units(&idx, ttp, kabul, Level::Document, 10).len(), 2);
    }

    #[test]
    fn llr_is_signed_and_zero_for_independence() {
        // Independent: joint = with_e · with_o / n.
        assert!(signed_llr(5.0, 10.0, 50.0, 100.0).abs() < 1e-9);
        assert!(signed_llr(9.0, 10.0, 10.0, 100.0) > 0.0);
        assert!(signed_llr(1.0, 50.0, 50.0, 100.0) < 0.0);
        // More evidence of the same strength scores higher.
        assert!(signed_llr(20.0, 40.0, 40.0, 400.0) > signed_llr(2.0, 4.0, 4.0, 40.0));
    }

    #[test]
    fn counted_in_parallel_as_in_one_thread() {
        // Enough documents to share between threads.
        let files: Vec<(String, String)> = (0..(PARALLEL_DOCS * 3))
            .map(|i| {
                let body = if i % 3 == 0 {
                    "The TTP struck in Bannu. Kabul was quiet."
                } else {
                    "The TTP met in Kabul. Bannu was quiet. The Pakistan Army and Bannu."
                };
                (format!("d{i:04}.txt"), format!("Title\n\n{body}"))
            })
            .collect();
        let refs: Vec<(&str, &str)> = files
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let idx = index(&refs);
        let ttp = id(&idx, "ttp");
        let c = count(&idx, ttp, Level::Sentence);
        let mut one = Counts {
            units: 0,
            with_e: 0,
            other: vec![0; idx.entities().len()],
            joint: vec![0; idx.entities().len()],
        };
        let mut s = Scratch::new(idx.entities().len());
        for d in docs_of(&idx, ttp) {
            count_doc(&idx, ttp, d, true, &mut one, &mut s);
        }
        assert_eq!(c, one);
        // A title and two sentences, or a title and three.
        assert_eq!(c.units, (PARALLEL_DOCS * 3 + PARALLEL_DOCS * 2 * 4) as u32);
        assert_eq!(c.joint[id(&idx, "bannu") as usize], PARALLEL_DOCS as u32);
        assert_eq!(
            c.joint[id(&idx, "kabul") as usize],
            (PARALLEL_DOCS * 2) as u32
        );
    }
}
