//! The entity engine: a pipeline of named stages, producing one
//! [`Analysis`] of a corpus. Each stage is a function with typed input and
//! output, in its own module:
//!
//! 1. [`stage_kb`](super::stage_kb): the knowledge base's aliases;
//! 2. [`stage_learn`](super::stage_learn): abbreviation definitions and
//!    "Operation X" rules, read per document and clustered corpus-wide with
//!    the knowledge base's aliases into one matcher;
//! 3. [`stage_match`](super::stage_match): every document matched, the
//!    matches that its context decides decided
//!    ([`stage_context`](super::stage_context): shared names, generic
//!    names of a country's bodies, events named by description, bare group
//!    names), its words counted and its uncovered capitalised words
//!    gathered;
//! 4. [`stage_names`](super::stage_names): name runs, people and short
//!    references to them per document, then spelling variants and new
//!    names corpus-wide;
//! 5. [`stage_link`](super::stage_link): each document's mentions, sorted
//!    and without overlaps, its unexplained acronyms linked to the names
//!    of the document they spell.
//!
//! Per-document work runs on every core (rayon); the corpus-wide reduces
//! are the learning of step 2, the word sets of step 3 and the naming of
//! step 4. Every step is linear in the corpus, and the result does not
//! depend on the number of threads.
//!
//! A stage reads a document's text with [`Text::fetch`] and keeps none:
//! a large corpus's texts wait in a scratch file while it is indexed (see
//! [`Spill`]), and a text is read back for each pass that needs it.
//!
//! [`Text::fetch`]: crate::corpus::Text::fetch
//! [`Spill`]: crate::corpus::Spill

use super::digest::{Digest, DigestWriter};
use super::matcher::{Found, KeptFound};
use super::stage_learn::DocDefinitions;
use super::stage_names::{DocPeople, DocRuns};
use super::{
    DocId, Entity, EntityId, KnowledgeBase, Mention, stage_kb, stage_learn, stage_link,
    stage_match, stage_names,
};
use crate::corpus::{Corpus, Document, WordSignatures};
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The entities and mentions of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub entities: Vec<Entity>,
    /// Sorted by (doc, start); mentions never overlap within a document.
    pub mentions: Vec<Mention>,
}

/// How far an analysis has come, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
}

/// Finds and links the entities of a corpus.
#[derive(Debug, Clone)]
pub struct Engine {
    kb: KnowledgeBase,
    /// The knowledge base's own matcher, entities and context, made when
    /// first asked why context linked a mention.
    explainer: std::sync::OnceLock<Explainer>,
}

/// What [`Engine::context_evidence`] needs.
#[derive(Debug, Clone)]
struct Explainer {
    matcher: super::matcher::Matcher,
    entities: Vec<Entity>,
    context: super::stage_context::Context,
}

pub use super::unique_id;

/// How often a long stage reports its progress.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);

/// Runs `work` (which counts what it has done in its argument) on another
/// thread while this one reports its progress as `stage`. On a thread of a
/// rayon pool it runs in place, in that pool, and reports only its start:
/// a worker that waited would take a thread from the work.
fn with_progress<R: Send>(
    stage: &'static str,
    total: usize,
    progress: &mut dyn FnMut(Progress),
    work: impl FnOnce(&AtomicUsize) -> R + Send,
) -> R {
    let done = AtomicUsize::new(0);
    progress(Progress {
        stage,
        done: 0,
        total,
    });
    if rayon::current_thread_index().is_some() {
        return work(&done);
    }
    let (finished, wait) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            // Owned here, so that a panic in `work` drops it too.
            let finished = finished;
            let r = work(&done);
            // The receiver only waits for this; it is never gone first.
            let _ = finished.send(());
            r
        });
        // Ends when the worker sends, or when it panics and so drops the
        // sender.
        while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
            wait.recv_timeout(PROGRESS_EVERY)
        {
            progress(Progress {
                stage,
                done: done.load(Ordering::Relaxed).min(total),
                total,
            });
        }
        worker
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

impl Engine {
    pub fn new(kb: KnowledgeBase) -> Self {
        Engine {
            kb,
            explainer: std::sync::OnceLock::new(),
        }
    }

    /// Why the document's context linked the mention `range` of `text` as
    /// it did ("decided by the article's context: Haqqanis nearby,
    /// “network”"), or `None` when context did not decide it. The text is
    /// the document's, as analysed; the answer is the reader's "why".
    pub fn context_evidence(&self, text: &str, range: std::ops::Range<usize>) -> Option<String> {
        let x = self.explainer.get_or_init(|| {
            let kb = stage_kb::kb_aliases(&self.kb);
            Explainer {
                matcher: kb.builder.build(),
                entities: kb.entities,
                context: kb.context,
            }
        });
        let found = x.matcher.find_all(text);
        super::stage_context::explain(
            text,
            &found,
            range.start,
            range.end,
            &x.context,
            &x.entities,
        )
        .map(|ev| ev.describe(&x.entities))
    }

    pub fn kb(&self) -> &KnowledgeBase {
        &self.kb
    }

    pub fn analyse(&self, corpus: &Corpus) -> Analysis {
        self.analyse_with_progress(corpus, &mut |_| {})
    }

    /// Runs the stages over `corpus`, reporting "learning", "matching",
    /// "names" and "done" as they start.
    pub fn analyse_with_progress(
        &self,
        corpus: &Corpus,
        progress: &mut dyn FnMut(Progress),
    ) -> Analysis {
        self.analyse_digested::<std::io::Sink>(corpus, progress, None)
    }

    /// [`Engine::analyse_with_progress`], writing the analysis's digest to
    /// `digest` as it goes, if given: what [`Engine::reanalyse`] needs to
    /// analyse the corpus again when a few of its files change.
    pub fn analyse_digested<W: std::io::Write>(
        &self,
        corpus: &Corpus,
        progress: &mut dyn FnMut(Progress),
        mut digest: Option<&mut DigestWriter<W>>,
    ) -> Analysis {
        let docs = &corpus.docs;
        let total = docs.len();
        let kb = stage_kb::kb_aliases(&self.kb);

        progress(Progress {
            stage: "learning",
            done: 0,
            total,
        });
        let defs: Vec<DocDefinitions> = docs
            .par_iter()
            .map(|doc| stage_learn::definitions(&doc.text.fetch()))
            .collect();
        let learned = stage_learn::learn(kb, &defs);
        if let Some(w) = digest.as_mut() {
            w.docs(docs);
            w.learned(learned.fingerprint);
            w.defs(&defs);
        }
        drop(defs);

        let (matches, words) = with_progress("matching", total, progress, |done| {
            stage_match::match_all(
                docs,
                &learned.matcher,
                &learned.entities,
                &learned.context,
                done,
            )
        });
        if let Some(w) = digest.as_mut() {
            w.words(&words);
        }
        let stage_learn::Learned {
            mut entities,
            kb_len,
            kb_keys,
            derived,
            mut ids,
            matcher,
            context,
            fingerprint: _,
        } = learned;
        // The matcher is large (an automaton of every alias, learned ones
        // included), and nothing after matching uses it.
        drop((matcher, context));

        progress(Progress {
            stage: "names",
            done: 0,
            total,
        });
        // Each document's name candidates are let go as soon as its runs
        // are made from them.
        let (found, candidates): (Vec<Vec<KeptFound>>, Vec<_>) =
            matches.into_iter().map(|m| (m.found, m.candidates)).unzip();
        // A text is read once for both: it may have to come from disk.
        let (runs, people): (Vec<DocRuns>, Vec<DocPeople>) = docs
            .par_iter()
            .zip(candidates)
            .zip(&found)
            .map(|((doc, c), f)| {
                let text = doc.text.fetch();
                let runs = stage_names::runs(&text, &c, &words);
                drop(c);
                let f: Vec<Found> = f.iter().map(Found::from).collect();
                let people = stage_names::people(&text, &f, &runs, &entities);
                (runs, people)
            })
            .unzip();
        drop(words);
        super::release_freed_memory();
        let resolved = stage_names::resolve_names(
            docs,
            &runs,
            &people,
            &mut entities,
            &mut ids,
            &kb_keys,
            &derived,
            kb_len,
        );
        let mut keep = digest.map(|w| {
            w.resolved(&resolved, &entities);
            move |r: &DocRuns, p: &DocPeople| w.names(r, p)
        });
        let mentions: Vec<Mention> = stage_link::assemble(
            docs,
            found,
            runs,
            people,
            &resolved,
            keep.as_mut()
                .map(|k| k as &mut dyn FnMut(&DocRuns, &DocPeople)),
        );
        progress(Progress {
            stage: "done",
            done: total,
            total,
        });
        drop(resolved);
        Analysis { entities, mentions }
    }
}

/// What an earlier analysis of a corpus leaves for [`Engine::reanalyse`].
pub struct Earlier<'a> {
    /// Its digest (see [`super::digest`]): a document of the corpus now
    /// with the id, length and content hash of one there is the same.
    pub digest: Digest,
    /// The ids of the earlier analysis's entities, by their place there.
    pub entity_ids: Vec<Box<str>>,
    /// The earlier mentions of the earlier document at the first place,
    /// which is the document at the second place now, with the earlier
    /// entities' places; `None` if they cannot be had.
    pub mentions: &'a (dyn Fn(DocId, DocId) -> Option<Vec<Mention>> + Sync),
    /// The earlier corpus's word signatures, if they can be had: a
    /// document whose signature lacks every word whose standing changed
    /// need not be read to know that it has none.
    pub signatures: Option<&'a WordSignatures>,
}

/// Why [`Engine::reanalyse`] could not reuse an earlier analysis: the
/// corpus has to be analysed whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whole {
    /// The earlier analysis does not fit the corpus.
    Unfit,
    /// What the changed files define changes what the corpus teaches the
    /// engine, so every document may match otherwise.
    Learned,
}

/// An analysis made by [`Engine::reanalyse`].
#[derive(Debug)]
pub struct Reanalysed {
    pub analysis: Analysis,
    /// For each document whose mentions are the earlier ones, its place in
    /// the earlier corpus; `None` for those made again.
    pub earlier: Vec<Option<DocId>>,
    /// For each document whose text is one of the earlier corpus, its place
    /// there.
    pub same: Vec<Option<DocId>>,
}

impl Engine {
    /// Analyses `corpus` again from an earlier analysis of it, `earlier`:
    /// the result is what [`Engine::analyse`] would give, but only these
    /// documents are matched and named again:
    /// - the new and changed ones (a document is the same when the digest
    ///   has its id, length and content hash);
    /// - those with a word whose standing as an ordinary word the change
    ///   turned (a word of a changed file that no other file has), which
    ///   the earlier word signatures narrow down before any is read;
    /// - those with a name whose link the change turned (a name that is
    ///   now more frequent than another, or a variant of a new one).
    ///
    /// The others keep their earlier mentions, their entities moved to
    /// their places now. The corpus-wide stages run again from every
    /// document's digest: learning (from the definitions kept), the word
    /// sets (every text is read and split into words: the one pass over the
    /// whole corpus) and naming. When the change alters what the corpus
    /// teaches (an abbreviation defined anew, or no longer), every document
    /// may match otherwise, and `Err(Whole::Learned)` says to analyse it
    /// whole. A digest of the new analysis goes to `digest` if given.
    ///
    /// Reports "learning", "reading words" (the word sets), "re-analysing" (how
    /// many documents are matched and named again, of all), "names" and
    /// "done".
    pub fn reanalyse<W: std::io::Write>(
        &self,
        corpus: &Corpus,
        earlier: Earlier<'_>,
        progress: &mut dyn FnMut(Progress),
        mut digest: Option<&mut DigestWriter<W>>,
    ) -> Result<Reanalysed, Whole> {
        let docs = &corpus.docs;
        let total = docs.len();
        let Earlier {
            digest: before,
            entity_ids,
            mentions: earlier_mentions,
            signatures,
        } = earlier;
        let same = same_docs(&before.ids, docs);
        // Each earlier document's digest, moved to its place now.
        let mut old: Vec<Option<super::digest::DocDigest>> =
            before.docs.into_iter().map(Some).collect();
        let mut kept: Vec<Option<super::digest::DocDigest>> = Vec::with_capacity(total);
        for s in &same {
            match s {
                // Two documents cannot be one earlier document.
                Some(o) => kept.push(Some(
                    old.get_mut(*o as usize)
                        .and_then(Option::take)
                        .ok_or(Whole::Unfit)?,
                )),
                None => kept.push(None),
            }
        }
        drop(old);
        progress(Progress {
            stage: "learning",
            done: 0,
            total,
        });
        let mut defs: Vec<DocDefinitions> = kept
            .iter_mut()
            .map(|k| {
                k.as_mut()
                    .map(|k| std::mem::take(&mut k.defs))
                    .unwrap_or_default()
            })
            .collect();
        defs.par_iter_mut()
            .zip(docs)
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .for_each(|((d, doc), _)| *d = stage_learn::definitions(&doc.text.fetch()));
        let stage_learn::Learned {
            mut entities,
            kb_len,
            kb_keys,
            derived,
            mut ids,
            matcher,
            context,
            fingerprint,
        } = stage_learn::learn(stage_kb::kb_aliases(&self.kb), &defs);
        if fingerprint != before.learned {
            return Err(Whole::Learned);
        }
        progress(Progress {
            stage: "reading words",
            done: 0,
            total,
        });
        let words = stage_match::word_sets(docs);
        // The documents matched and named again before naming: the new and
        // changed ones, those whose digest does not fit their text or the
        // entities (it is a file: it is checked, not trusted), and those
        // whose words may now split otherwise.
        let mut again: Vec<bool> = kept
            .iter()
            .zip(docs)
            .map(|(k, doc)| {
                k.as_ref()
                    .is_none_or(|k| !k.fits(doc.text.len(), entities.len()))
            })
            .collect();
        let changed = words.changed(&before.words);
        if !changed.is_empty() {
            let turned = with_changed_words(docs, &again, &same, &changed, signatures);
            for (a, t) in again.iter_mut().zip(turned) {
                *a |= t;
            }
        }
        progress(Progress {
            stage: "re-analysing",
            done: again.iter().filter(|&&a| a).count(),
            total,
        });
        // (matches, runs, people) of each document: made again, or the
        // digest's runs and people.
        let made: Vec<(Option<Vec<KeptFound>>, DocRuns, DocPeople)> = kept
            .into_par_iter()
            .zip(docs)
            .zip(&again)
            .map(|((k, doc), &a)| match k {
                Some(k) if !a => (None, k.runs, k.people),
                _ => {
                    let (text, m) = match_again(doc, &matcher, &entities, &context);
                    let runs = stage_names::runs(&text, &m.candidates, &words);
                    let f: Vec<Found> = m.found.iter().map(Found::from).collect();
                    let people = stage_names::people(&text, &f, &runs, &entities);
                    (Some(m.found), runs, people)
                }
            })
            .collect();
        let (mut found, mut runs, mut people) = (
            Vec::with_capacity(total),
            Vec::with_capacity(total),
            Vec::with_capacity(total),
        );
        for (f, r, p) in made {
            found.push(f);
            runs.push(r);
            people.push(p);
        }
        progress(Progress {
            stage: "names",
            done: 0,
            total,
        });
        let resolved = stage_names::resolve_names(
            docs,
            &runs,
            &people,
            &mut entities,
            &mut ids,
            &kb_keys,
            &derived,
            kb_len,
        );
        if let Some(w) = digest.as_mut() {
            w.docs(docs);
            w.learned(fingerprint);
            w.defs(&defs);
            w.words(&words);
            w.resolved(&resolved, &entities);
        }
        drop((defs, words));
        // A name whose link is not the earlier one: the documents that have
        // it are assembled again.
        let turned = |k: &str| -> bool {
            let now = resolved
                .get(k)
                .map(|&(e, s, c)| (entities[e as usize].id.as_str(), s, c));
            let then = before.resolved.get(k).map(|(e, s, c)| (&**e, *s, *c));
            now != then
        };
        // Each earlier entity's place now, by its id.
        let new_place: rustc_hash::FxHashMap<&str, EntityId> = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i as EntityId))
            .collect();
        let moved: Vec<Option<EntityId>> = entity_ids
            .iter()
            .map(|id| new_place.get(&**id).copied())
            .collect();
        // Each document's earlier mentions, their entities moved, unless it
        // was made again, one of its names links otherwise, or they cannot
        // be had.
        let reused = |d: usize, r: &DocRuns| -> Option<Vec<Mention>> {
            if (0..r.runs.len()).any(|i| turned(r.key(i))) {
                return None;
            }
            let mut m = earlier_mentions(same[d]?, d as DocId)?;
            for x in &mut m {
                x.doc = d as DocId;
                x.entity = (*moved.get(x.entity as usize)?)?;
            }
            Some(m)
        };
        let parts = runs.into_iter().zip(people).zip(found);
        let (mentions, from) = stage_link::by_window(
            parts,
            |d, ((r, p), found)| {
                if found.is_none()
                    && let Some(m) = reused(d, r)
                {
                    return (m, same[d]);
                }
                let doc = &docs[d];
                let (text, f) = match found {
                    Some(f) => (doc.text.fetch(), std::borrow::Cow::Borrowed(f)),
                    None => {
                        let (text, m) = match_again(doc, &matcher, &entities, &context);
                        (text, std::borrow::Cow::Owned(m.found))
                    }
                };
                let m = stage_link::mentions_of(d as DocId, &text, &f, r, p, &resolved);
                (m, None)
            },
            |((r, p), _)| {
                if let Some(w) = digest.as_mut() {
                    w.names(&r, &p);
                }
            },
        );
        progress(Progress {
            stage: "done",
            done: total,
            total,
        });
        Ok(Reanalysed {
            analysis: Analysis { entities, mentions },
            earlier: from,
            same,
        })
    }
}

/// For each of `docs`, its place among the earlier documents `ids` (id,
/// length and content hash) when its text is the same.
fn same_docs(ids: &[(Box<str>, u64, u64)], docs: &[Document]) -> Vec<Option<DocId>> {
    let place: rustc_hash::FxHashMap<(&str, u64, u64), DocId> = ids
        .iter()
        .enumerate()
        .map(|(i, (id, len, hash))| ((&**id, *len, *hash), i as DocId))
        .collect();
    docs.iter()
        .map(|d| {
            let k = (d.id.as_str(), d.text.len() as u64, d.text.content_hash());
            place.get(&k).copied()
        })
        .collect()
}

/// Which of `docs` not made `again` have a word whose standing `changed`
/// says has changed. Only those whose earlier signature (`same` says which
/// it is) may have one of the words are read; all are, without signatures.
/// A word that is not ASCII is looked for in every document: a text folds
/// it a character at a time for its signature, and that need not be its
/// lower case as the word lists keep it (a final sigma).
fn with_changed_words(
    docs: &[Document],
    again: &[bool],
    same: &[Option<DocId>],
    changed: &stage_match::WordSets,
    signatures: Option<&WordSignatures>,
) -> Vec<bool> {
    let hashes: Vec<Option<Vec<u64>>> = changed
        .lowercase
        .iter()
        .chain(&changed.mid_sentence)
        .map(|w| {
            w.is_ascii().then(|| {
                let mut h = Vec::new();
                super::normalize::each_word_hash(&super::normalize::key(w), |x| h.push(x));
                h
            })
        })
        .collect();
    let ask: Vec<bool> = again
        .par_iter()
        .zip(same)
        .map(|(&a, s)| {
            !a && match (signatures, s) {
                (Some(sigs), Some(o)) => hashes.iter().any(|h| {
                    h.as_ref()
                        .is_none_or(|h| sigs.may_contain_all(*o as usize, h))
                }),
                _ => true,
            }
        })
        .collect();
    stage_match::with_changed_words(docs, &ask, changed)
}

/// Matches one document's text again, as the match stage does (its words
/// are not wanted: the word lists are made apart).
fn match_again<'d>(
    doc: &'d Document,
    matcher: &super::matcher::Matcher,
    entities: &[Entity],
    context: &super::stage_context::Context,
) -> (std::borrow::Cow<'d, str>, stage_match::DocMatches) {
    let text = doc.text.fetch();
    let mut unused = stage_match::WordSets::default();
    let m = stage_match::match_doc(&text, matcher, entities, context, &mut unused);
    (text, m)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::entity::Source;

    /// (doc id, text, entity id, source) of every mention, for assertions.
    pub(crate) fn mention_table(c: &Corpus, a: &Analysis) -> Vec<(String, String, String, Source)> {
        a.mentions
            .iter()
            .map(|m| {
                let d = &c.docs[m.doc as usize];
                (
                    d.id.clone(),
                    d.text[m.range()].to_string(),
                    a.entities[m.entity as usize].id.clone(),
                    m.source,
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::{Kind, Source};
    use std::path::Path;

    fn analyse(kb_toml: &str, files: &[(&str, &str)]) -> (Corpus, Analysis) {
        let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
        let corpus = load_embedded("test", &files);
        let mut kb = KnowledgeBase::new();
        kb.add_toml(Path::new("t.toml"), kb_toml).unwrap();
        let a = Engine::new(kb).analyse(&corpus);
        (corpus, a)
    }

    use super::test_support::mention_table as table;

    #[test]
    fn a_stage_that_panics_panics_its_caller_instead_of_leaving_it_waiting() {
        let run = std::panic::catch_unwind(|| {
            with_progress("matching", 1, &mut |_| {}, |_| -> usize {
                panic!("a stage failed")
            })
        });
        assert!(run.is_err());
    }

    fn entity_of(
        rows: &[(String, String, String, Source)],
        doc: &str,
        text: &str,
    ) -> Option<(String, Source)> {
        rows.iter()
            .find(|r| r.0 == doc && r.1 == text)
            .map(|r| (r.2.clone(), r.3))
    }

    #[test]
    fn abbreviations_link_across_the_corpus_without_a_kb() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Headline here\n\nThe Harkat Liberation Front (HLF) struck again. Officials blamed the HLF.",
                ),
                (
                    "b.txt",
                    "Another story\n\nThe HLF denied it. Analysts say HLF fighters regrouped.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let long = entity_of(&rows, "a.txt", "Harkat Liberation Front").unwrap();
        assert_eq!(entity_of(&rows, "a.txt", "HLF").unwrap().0, long.0);
        assert_eq!(
            entity_of(&rows, "b.txt", "HLF"),
            Some((long.0.clone(), Source::Abbreviation))
        );
        let e = a.entities.iter().find(|e| e.id == long.0).unwrap();
        assert_eq!(e.kind, Kind::Group);
    }

    #[test]
    fn abbreviation_attaches_to_a_kb_entity() {
        let kb =
            "[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\nkind = \"group\"\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title\n\nThe Tehrik-i-Taliban Pakistan (TTAP) said. Later TTAP said more.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "TTAP"),
            Some(("ttp".into(), Source::Abbreviation))
        );
    }

    #[test]
    fn short_references_link_to_the_person_named_in_full() {
        let kb = "[[entity]]\nid = \"ned-price\"\nname = \"Ned Price\"\nkind = \"person\"\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nState Department spokesman Ned Price spoke on Monday. “We are clear,” Price said.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Price"),
            Some(("ned-price".into(), Source::Person))
        );
    }

    #[test]
    fn people_are_found_and_short_references_linked_without_a_kb() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nThe analyst Faran Jeffery told reporters the talks failed. Jeffery added that more was coming. Jeffrey recommends patience.",
            )],
        );
        let rows = table(&c, &a);
        let full = entity_of(&rows, "a.txt", "Faran Jeffery").unwrap().0;
        assert_eq!(
            entity_of(&rows, "a.txt", "Jeffery"),
            Some((full.clone(), Source::Person))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Jeffrey"),
            Some((full.clone(), Source::Variant))
        );
        assert_eq!(
            a.entities.iter().find(|e| e.id == full).unwrap().kind,
            Kind::Person
        );
    }

    #[test]
    fn spelling_variants_are_suggested_links() {
        let kb = "[[entity]]\nid = \"ttp\"\nname = \"Pakistani Taliban\"\nkind = \"group\"\n\n[[entity]]\nid = \"rf\"\nname = \"Operation Radd-ul-Fasaad\"\nkind = \"event\"\naliases = [\"Radd-ul-Fasaad\"]\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nThe Pakistani-Talban, as some call them, attacked. The Rudd-ul-Fasaad campaign went on.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Pakistani-Talban"),
            Some(("ttp".into(), Source::Variant))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Rudd-ul-Fasaad"),
            Some(("rf".into(), Source::Variant))
        );
        let m = a
            .mentions
            .iter()
            .find(|m| m.source == Source::Variant)
            .unwrap();
        assert!(m.confidence < 100);
    }

    #[test]
    fn transliterations_of_unknown_names_link_to_each_other() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nLeaders of al-Qaida met in the hills. Later, al-Qaida fighters left.",
                ),
                (
                    "b.txt",
                    "Title line\n\nGroups such as Al-Qaeda use borders.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let q1 = entity_of(&rows, "a.txt", "al-Qaida").unwrap();
        let q2 = entity_of(&rows, "b.txt", "Al-Qaeda").unwrap();
        assert_eq!(q1.0, q2.0);
        assert_eq!(q2.1, Source::Variant);
    }

    #[test]
    fn unexplained_names_link_across_articles_but_ordinary_words_do_not() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Tensions rise\n\nTensions rose in Rajgal Valley on Monday. Clearly the army moved.",
                ),
                (
                    "b.txt",
                    "More news\n\nFighters fled Rajgal Valley after the tensions.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let r1 = entity_of(&rows, "a.txt", "Rajgal Valley").unwrap();
        assert_eq!(r1.1, Source::Name);
        assert_eq!(entity_of(&rows, "b.txt", "Rajgal Valley").unwrap().0, r1.0);
        assert!(entity_of(&rows, "a.txt", "Tensions").is_none());
        assert!(entity_of(&rows, "a.txt", "Monday").is_none());
        assert!(entity_of(&rows, "a.txt", "Clearly").is_none());
    }

    #[test]
    fn titles_and_roles_are_not_part_of_names() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nUS Secretary of State Antony Blinken met Pakistani Foreign Minister Shah Mahmood Qureshi in New York.",
            )],
        );
        let rows = table(&c, &a);
        assert!(
            entity_of(&rows, "a.txt", "Antony Blinken").is_some(),
            "{rows:?}"
        );
        assert!(
            entity_of(&rows, "a.txt", "Shah Mahmood Qureshi").is_some(),
            "{rows:?}"
        );
    }

    #[test]
    fn rules_widen_org_prefixes_and_event_years() {
        let kb = "[[entity]]\nid = \"isi\"\nname = \"Inter-Services Intelligence\"\nkind = \"org\"\naliases = [\"ISI\"]\n\n[[entity]]\nid = \"abbey\"\nname = \"Abbey Gate bombing\"\nkind = \"event\"\naliases = [\"Kabul Airport incident\"]\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nThe Pak-ISI strategy and the Kabul Airport incident of 2021 were discussed.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Pak-ISI"),
            Some(("isi".into(), Source::Rule))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Kabul Airport incident of 2021"),
            Some(("abbey".into(), Source::Rule))
        );
    }

    #[test]
    fn operation_rule_makes_an_event_and_links_the_bare_name() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nThe army launched Operation Zarb-e-Azb in June.",
                ),
                (
                    "b.txt",
                    "Title line\n\nSince Zarb-e-Azb the networks are weaker.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let op = entity_of(&rows, "a.txt", "Operation Zarb-e-Azb").unwrap();
        assert_eq!(entity_of(&rows, "b.txt", "Zarb-e-Azb").unwrap().0, op.0);
        assert_eq!(
            a.entities.iter().find(|e| e.id == op.0).unwrap().kind,
            Kind::Event
        );
    }

    #[test]
    fn hyphenated_ranks_and_generic_nouns_are_not_names() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Army launches operation\n\nThe Army chief met Maj-Gen Ahmed Sharif Chaudhry and the Corps Commander. Lt-Gen Omer Bokhari spoke. Chaudhry said more.",
            )],
        );
        let rows = table(&c, &a);
        for junk in ["Army", "Maj-Gen", "Corps", "Lt-Gen", "Commander"] {
            assert!(!rows.iter().any(|r| r.1.contains(junk)), "{junk}: {rows:?}");
        }
        let p = entity_of(&rows, "a.txt", "Ahmed Sharif Chaudhry")
            .unwrap()
            .0;
        assert!(
            entity_of(&rows, "a.txt", "Omer Bokhari").is_some(),
            "{rows:?}"
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Chaudhry"),
            Some((p, Source::Person))
        );
    }

    #[test]
    fn a_lower_case_role_marks_a_person() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nThe government spokesman Shahid Rind denied it.",
            )],
        );
        let rows = table(&c, &a);
        let id = entity_of(&rows, "a.txt", "Shahid Rind").unwrap().0;
        assert_eq!(
            a.entities.iter().find(|e| e.id == id).unwrap().kind,
            Kind::Person
        );
    }

    #[test]
    fn a_surname_goes_to_the_nearest_person_named_before_it() {
        let kb = "[[entity]]\nid = \"nawaz\"\nname = \"Nawaz Sharif\"\nkind = \"person\"\n\n[[entity]]\nid = \"shehbaz\"\nname = \"Shehbaz Sharif\"\nkind = \"person\"\n\n[[entity]]\nid = \"hiba\"\nname = \"Hibatullah Akhundzada\"\nkind = \"person\"\naliases = [\"Mullah Hibatullah\"]\n";
        let (c, a) = analyse(
            kb,
            &[(
                "a.txt",
                "Title line\n\nNawaz Sharif and Shehbaz Sharif met; Sharif said no. Mullah Hibatullah Akhundzada agreed, and Akhundzada left.",
            )],
        );
        let rows = table(&c, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "Sharif"),
            Some(("shehbaz".into(), Source::Person))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Mullah Hibatullah Akhundzada").map(|r| r.0),
            Some("hiba".into())
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Akhundzada"),
            Some(("hiba".into(), Source::Person))
        );
    }

    #[test]
    fn mixed_case_abbreviations_and_transliterated_operations_are_learned() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nThe Lashkar-e-Jhangvi (LeJ) struck. Troops began Operation Azm-e-Istehkam.",
                ),
                (
                    "b.txt",
                    "Title line\n\nThe LeJ denied it. Operation Azm-i-Istehkam goes on.",
                ),
            ],
        );
        let rows = table(&c, &a);
        let lej = entity_of(&rows, "a.txt", "Lashkar-e-Jhangvi").unwrap().0;
        assert_eq!(entity_of(&rows, "b.txt", "LeJ").unwrap().0, lej);
        let op = entity_of(&rows, "a.txt", "Operation Azm-e-Istehkam")
            .unwrap()
            .0;
        assert_eq!(
            entity_of(&rows, "b.txt", "Operation Azm-i-Istehkam")
                .unwrap()
                .0,
            op
        );
    }

    #[test]
    fn a_spelled_out_hyphenated_abbreviation_links_to_it() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Title line\n\nAttacks by ISIS-K (Islamic State-Khorasan Province) rose.",
                ),
                ("b.txt", "Title line\n\nThen ISIS-Khorasan fighters fled."),
            ],
        );
        let rows = table(&c, &a);
        let k = entity_of(&rows, "a.txt", "ISIS-K").unwrap().0;
        assert_eq!(
            entity_of(&rows, "b.txt", "ISIS-Khorasan"),
            Some((k, Source::Variant))
        );
    }

    fn texts_of<'a>(rows: &'a [(String, String, String, Source)], doc: &str) -> Vec<&'a str> {
        rows.iter()
            .filter(|r| r.0 == doc)
            .map(|r| r.1.as_str())
            .collect()
    }

    #[test]
    fn title_case_headlines_make_no_names_of_their_words() {
        let (c, a) = analyse(
            "",
            &[
                (
                    "a.txt",
                    "Rangers And Police Coordinate To Dismantle Extortion Ring In Sweeping Crackdown the city desk\n\nRangers arrested six men in Orangi Town on Monday. Officials in Orangi Town said more raids would follow.\n\nWho Funds The Militants?\n\nDownload The HTML Version\n",
                ),
                (
                    "b.txt",
                    "Orangi Town Braces For More Raids\n\nShopkeepers in Orangi Town closed early.",
                ),
            ],
        );
        let rows = table(&c, &a);
        for junk in [
            "Coordinate",
            "Dismantle",
            "Extortion Ring",
            "Sweeping Crackdown",
            "Funds",
            "Militants",
            "HTML",
            "Braces",
            "More Raids",
            "Raids",
        ] {
            assert!(!rows.iter().any(|r| r.1.contains(junk)), "{junk}: {rows:?}");
        }
        // A name known from running text is found in a heading all the same.
        let town = entity_of(&rows, "a.txt", "Orangi Town").unwrap().0;
        let in_b: Vec<_> = rows
            .iter()
            .filter(|r| r.0 == "b.txt" && r.1 == "Orangi Town")
            .collect();
        assert_eq!(in_b.len(), 2, "{rows:?}");
        assert!(in_b.iter().all(|r| r.2 == town));
    }

    #[test]
    fn an_acronym_in_capitals_or_title_case_is_one_kb_entity() {
        let files: Vec<(&str, &[u8])> = vec![
            (
                "a.txt",
                b"Title line\n\nNATO troops left in 2021, and Nato officials said the SWAT team in Swat was ready.",
            ),
            ("b.txt", b"Title line\n\nThe alliance, NATO, met again."),
        ];
        let corpus = load_embedded("t", &files);
        let a = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
        let rows = table(&corpus, &a);
        assert_eq!(
            entity_of(&rows, "a.txt", "NATO"),
            Some(("nato".into(), Source::Kb))
        );
        assert_eq!(
            entity_of(&rows, "a.txt", "Nato"),
            Some(("nato".into(), Source::Kb))
        );
        assert_eq!(
            entity_of(&rows, "b.txt", "NATO"),
            Some(("nato".into(), Source::Kb))
        );
        assert!(!a.entities.iter().any(|e| e.id.starts_with("nato-")));
        // A short place name is still no acronym.
        assert_eq!(
            entity_of(&rows, "a.txt", "Swat").map(|r| r.0),
            Some("swat".into())
        );
        assert_ne!(
            entity_of(&rows, "a.txt", "SWAT").map(|r| r.0),
            Some("swat".into())
        );
    }

    #[test]
    fn the_town_of_tank_is_found_in_running_text_and_a_tank_is_not() {
        let files: Vec<(&str, &[u8])> = vec![(
            "a.txt",
            b"Attack on police post\n\nMilitants attacked a police post in Tank on Tuesday. A think tank in Islamabad condemned the attack on the town.",
        )];
        let corpus = load_embedded("t", &files);
        let a = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
        let rows = table(&corpus, &a);
        let tank = entity_of(&rows, "a.txt", "Tank").unwrap();
        assert_eq!(
            a.entities.iter().find(|e| e.id == tank.0).unwrap().kind,
            Kind::Place
        );
        assert!(entity_of(&rows, "a.txt", "tank").is_none());
    }

    #[test]
    fn names_glued_to_the_word_before_them_never_cut_it() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nTroops began Operation Black Rain in May, Nadia Qureshi wrote from the hills.\n\nRelated topicsOperation Black Rain\nFiled byNadia Qureshi\n\nRonald McDonald met the PakArmy chief on YouTube.",
            )],
        );
        let rows = table(&c, &a);
        let texts = texts_of(&rows, "a.txt");
        // Found in running text; where scraping glued them to the word
        // before, a mention would cut that word, so there is none.
        assert_eq!(
            texts
                .iter()
                .filter(|t| **t == "Operation Black Rain")
                .count(),
            1,
            "{rows:?}"
        );
        assert_eq!(texts.iter().filter(|t| **t == "Nadia Qureshi").count(), 1);
        let person = entity_of(&rows, "a.txt", "Nadia Qureshi").unwrap().0;
        assert_eq!(
            a.entities.iter().find(|e| e.id == person).unwrap().kind,
            Kind::Person
        );
        // Inner capitals of real words are never a boundary either.
        for cut in ["Donald", "Army", "Tube", "topics", "by"] {
            assert!(!texts.contains(&cut), "{cut}: {rows:?}");
        }
    }

    #[test]
    fn inverted_names_link_to_the_person_known_by_name() {
        let kb =
            "[[entity]]\nid = \"shireen-kakar\"\nname = \"Shireen Kakar\"\nkind = \"person\"\n";
        let (c, a) = analyse(
            kb,
            &[
                (
                    "a.txt",
                    "Title line\n\nThe analyst Tariq Mengal said the talks failed. Mengal added that more was coming.",
                ),
                (
                    "b.txt",
                    "Title line\n\nThe border stayed closed.\n\nSources\n\nMengal, Tariq (2019). Border politics. Karachi.\nKakar, Shireen. 2020. Notes from the frontier.\nQuetta, Mastung and Kalat were named.\n",
                ),
            ],
        );
        let rows = table(&c, &a);
        let tariq = entity_of(&rows, "a.txt", "Tariq Mengal").unwrap().0;
        assert_eq!(
            entity_of(&rows, "b.txt", "Mengal, Tariq"),
            Some((tariq, Source::Person))
        );
        assert_eq!(
            entity_of(&rows, "b.txt", "Kakar, Shireen"),
            Some(("shireen-kakar".into(), Source::Person))
        );
        // A list of places is no inverted name.
        assert!(entity_of(&rows, "b.txt", "Quetta, Mastung").is_none());
        // The parts of an inverted name are not names of their own.
        for part in ["Tariq", "Shireen"] {
            assert!(!a.entities.iter().any(|e| e.name == part), "{part}");
        }
    }

    #[test]
    fn names_in_bylines_bullets_and_infoboxes_are_found() {
        let (c, a) = analyse(
            "",
            &[(
                "a.txt",
                "Title line\n\nThe commander spoke at length.\n\nAuthor\n\n  • Zubair Hotak\n\nBy Samina Lodhi\n\nLeader: Qari Shakeel Durrani | Founded: 2009\n\nRelated Stories\n",
            )],
        );
        let rows = table(&c, &a);
        for name in ["Zubair Hotak", "Samina Lodhi", "Qari Shakeel Durrani"] {
            let id = entity_of(&rows, "a.txt", name)
                .unwrap_or_else(|| panic!("{name}: {rows:?}"))
                .0;
            if name != "Qari Shakeel Durrani" {
                assert_eq!(
                    a.entities.iter().find(|e| e.id == id).unwrap().kind,
                    Kind::Person
                );
            }
        }
        assert!(!rows.iter().any(|r| r.1.contains("Stories")), "{rows:?}");
    }

    /// Mentions stand on word and grapheme boundaries whatever the text.
    mod word_edges {
        use super::*;
        use proptest::prelude::*;

        /// Every mention of `a` starts and ends on a grapheme boundary and on a
        /// word boundary (as the scorer has it: no letter, digit, mark or
        /// underscore on the other side); only its start may instead be a
        /// glued boundary.
        fn check_boundaries(c: &Corpus, a: &Analysis) -> Result<(), String> {
            use unicode_segmentation::UnicodeSegmentation;
            let word = |c: char| {
                c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
            };
            for w in a.mentions.windows(2) {
                if (w[0].doc, w[0].end) > (w[1].doc, w[1].start) {
                    return Err(format!("overlap {w:?}"));
                }
            }
            for m in &a.mentions {
                let t: &str = &c.docs[m.doc as usize].text;
                let (s, e) = (m.start as usize, m.end as usize);
                if s >= e || e > t.len() || !t.is_char_boundary(s) || !t.is_char_boundary(e) {
                    return Err(format!("bad range {m:?}"));
                }
                let graphemes: Vec<usize> = t
                    .grapheme_indices(true)
                    .map(|(i, _)| i)
                    .chain(std::iter::once(t.len()))
                    .collect();
                if graphemes.binary_search(&s).is_err() || graphemes.binary_search(&e).is_err() {
                    return Err(format!("{:?} cuts a grapheme in {t:?}", &t[s..e]));
                }
                let before = t[..s].chars().next_back();
                let after = t[e..].chars().next();
                if before.is_some_and(word) || after.is_some_and(word) {
                    return Err(format!("{:?} cuts a word in {t:?}", &t[s..e]));
                }
            }
            Ok(())
        }

        /// Pieces of text that test the edges of words: names of the test
        /// knowledge base, glued words, inner capitals, hyphens, apostrophes,
        /// accents, joiners, emoji and prepended marks.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => proptest::sample::select(vec![
                    "Nato", "NATO", "nato", "Tank", "tank", "TANK", "Zarb-e-Azb", "Operation",
                    "Aamir", "Khan", "Khan,", "Operation Black Rain", "topicsOperation", "byAamir",
                    "McDonald", "PakArmy", "iPhone", "alQaeda", "LeT", "al-Qaeda", "Pak-ISI",
                    "Aamir Khan's", "ISIS-K", "non-NATO", "Islamabad-based", "Mullah", "of 2021",
                    "Peshawar school massacre", "The", "By", "Related", "News", "Ali_Khan",
                    "Kabul\u{301}", "Tank\u{200D}\u{1F642}", "\u{0600}Tank", "Tank\u{1F3FD}",
                    "\u{1F1F5}\u{1F1F0}", "Ça", "İstanbul", "straße", "\u{0915}\u{094D}\u{0937}",
                    "e\u{301}Nato", "x\u{200C}Tank", "Al-topicsOperation", "saidTank",
                    "Quetta", "2016 Quetta bombing", "hospital attack in Quetta", "twin bombings at",
                    "Interior Ministry", "Afghan", "Pakistan's", "Haqqani", "said", "Haqqanis",
                    "Lashkar-i-Taiba", "Lashkar Taiba", "Hizbul", "Daesh Khorasan", "ISIL-K",
                    "Pakistani Taliban", "Tehreek-e-Taliban Pakistan (TTP)", "2016",
                ]).prop_map(String::from),
                3 => proptest::sample::select(vec![
                    " ", " ", ", ", ". ", "\n", "\n\n", "• ", " | ", "-", "'", "’", "(", ")",
                    ": ", "?", "\u{A0}", "\u{200D}", "\u{301}", "_", "",
                ]).prop_map(String::from),
                2 => "[A-Za-z]{1,8}",
                1 => "\\PC{0,6}",
            ]
        }

        /// The knowledge base of the property tests: names whose edges the
        /// pieces probe.
        const KB: &str = "[[entity]]\nid = \"nato\"\nname = \"North Atlantic Treaty Organization\"\nkind = \"org\"\naliases = [\"Nato\"]\n\n[[entity]]\nid = \"tank\"\nname = \"Tank\"\nkind = \"place\"\n\n[[entity]]\nid = \"aamir\"\nname = \"Aamir Khan\"\nkind = \"person\"\n\n[[entity]]\nid = \"zea\"\nname = \"Operation Zarb-e-Azb\"\nkind = \"event\"\naliases = [\"Zarb-e-Azb\"]\n\n[[entity]]\nid = \"isi\"\nname = \"ISI\"\nkind = \"org\"\n\n[[entity]]\nid = \"let\"\nname = \"Lashkar-e-Taiba\"\nkind = \"group\"\naliases = [\"LeT\"]\n\n[[entity]]\nid = \"aps\"\nname = \"Army Public School attack\"\nkind = \"event\"\naliases = [\"Peshawar school massacre\"]\n\n[[entity]]\nid = \"mullah\"\nname = \"Mullah Omar Akhund\"\nkind = \"person\"\naliases = [\"Mullah\"]\n\n[[entity]]\nid = \"pakistan\"\nname = \"Pakistan\"\nkind = \"place\"\n\n[[entity]]\nid = \"afghanistan\"\nname = \"Afghanistan\"\nkind = \"place\"\n\n[[entity]]\nid = \"quetta\"\nname = \"Quetta\"\nkind = \"place\"\ncountry = \"pakistan\"\n\n[[entity]]\nid = \"qhb\"\nname = \"Quetta hospital bombing\"\nkind = \"event\"\nplace = \"quetta\"\ndate = \"2016-08-08\"\nevent_type = \"bombing\"\n\n[[entity]]\nid = \"moi\"\nname = \"Ministry of Interior\"\nkind = \"org\"\ncountry = \"pakistan\"\ngeneric = [\"Interior Ministry\"]\n\n[[entity]]\nid = \"hn\"\nname = \"Haqqani Network\"\nkind = \"group\"\naliases = [\"Haqqanis\"]\nambiguous = [\"Haqqani\"]\n\n[[entity]]\nid = \"jh\"\nname = \"Jalaluddin Haqqani\"\nkind = \"person\"\nambiguous = [\"Haqqani\"]\n\n[[entity]]\nid = \"is\"\nname = \"Islamic State\"\nkind = \"group\"\naliases = [\"ISIL\", \"Daesh\"]\n\n[[entity]]\nid = \"isk\"\nname = \"Islamic State Khorasan\"\nkind = \"group\"\n";

        /// One to three documents, each of pieces or of any characters.
        fn documents() -> impl Strategy<Value = Vec<String>> {
            proptest::collection::vec(
                prop_oneof![
                    4 => proptest::collection::vec(piece(), 0..40).prop_map(|p| p.concat()),
                    1 => any::<String>(),
                ],
                1..4,
            )
        }

        fn files(docs: &[String]) -> Vec<(String, &str)> {
            docs.iter()
                .enumerate()
                .map(|(i, d)| (format!("{i}.txt"), d.as_str()))
                .collect()
        }

        proptest::proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]
            #[test]
            fn no_mention_cuts_a_word_or_a_grapheme(docs in documents()) {
                let named = files(&docs);
                let files: Vec<(&str, &str)> = named.iter().map(|(n, t)| (n.as_str(), *t)).collect();
                let (c, a) = analyse(KB, &files);
                let checked = check_boundaries(&c, &a);
                prop_assert!(checked.is_ok(), "{:?}", checked);
            }
        }

        proptest::proptest! {
            #![proptest_config(ProptestConfig::with_cases(48))]
            #[test]
            fn no_mention_cuts_a_word_or_a_grapheme_with_the_default_kb(docs in documents()) {
                let named = files(&docs);
                let files: Vec<(&str, &[u8])> =
                    named.iter().map(|(n, t)| (n.as_str(), t.as_bytes())).collect();
                let c = load_embedded("t", &files);
                let a = Engine::new(KnowledgeBase::default_kb()).analyse(&c);
                let checked = check_boundaries(&c, &a);
                prop_assert!(checked.is_ok(), "{:?}", checked);
            }
        }
    }

    #[test]
    fn mentions_are_sorted_disjoint_and_on_char_boundaries() {
        let files: Vec<(&str, &[u8])> = crate::load::bundled_files().to_vec();
        let corpus = load_embedded("seeds", &files);
        let a = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
        assert!(a.mentions.len() > 300);
        for w in a.mentions.windows(2) {
            assert!((w[0].doc, w[0].end) <= (w[1].doc, w[1].start), "{w:?}");
        }
        for m in &a.mentions {
            let t = &corpus.docs[m.doc as usize].text;
            assert!(t.is_char_boundary(m.start as usize) && t.is_char_boundary(m.end as usize));
        }
    }

    #[test]
    fn one_thread_and_many_give_the_same_analysis() {
        let corpus = crate::load::bundled_corpus();
        let e = Engine::new(KnowledgeBase::default_kb());
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| e.analyse(&corpus));
        let many = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| e.analyse(&corpus));
        assert_eq!(one.mentions, many.mentions);
        assert_eq!(one.entities, many.entities);
        assert!(one.mentions.len() > 300);
    }

    #[test]
    fn texts_read_back_from_a_spill_give_the_same_analysis_and_are_not_kept() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev/corpus");
        let held = crate::corpus::load_path(Path::new(dir)).unwrap();
        let mut spilled = held.clone();
        let scratch = tempfile::tempdir().unwrap();
        let spill =
            std::sync::Arc::new(crate::corpus::Spill::new_in(Some(scratch.path())).unwrap());
        spilled.spill_texts(&spill).unwrap();
        assert!(spilled.docs.iter().all(|d| d.text.is_spilled()));
        let e = Engine::new(KnowledgeBase::default_kb());
        let (a, b) = (e.analyse(&held), e.analyse(&spilled));
        assert!(a.mentions.len() > 500, "{}", a.mentions.len());
        assert_eq!(a.mentions, b.mentions);
        assert_eq!(a.entities, b.entities);
        // Every stage read the texts back without keeping them.
        let kept: Vec<&str> = spilled
            .docs
            .iter()
            .filter(|d| !d.text.is_spilled())
            .map(|d| d.id.as_str())
            .collect();
        assert!(kept.is_empty(), "texts kept in memory: {kept:?}");
    }

    /// The dev corpus and the seeds, as (name, text).
    fn change_base() -> Vec<(String, String)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev/corpus");
        let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&p).unwrap())
            })
            .collect();
        files.sort();
        for (name, bytes) in crate::load::bundled_files() {
            files.push((name.to_string(), String::from_utf8(bytes.to_vec()).unwrap()));
        }
        files
    }

    fn corpus_of(files: &[(String, String)]) -> Corpus {
        let files: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_bytes()))
            .collect();
        crate::corpus::load_embedded("test", &files)
    }

    /// Analyses `before` whole with its digest, then `after` from it, and
    /// whole: the analysis from the earlier one and which documents were
    /// made again, and the whole one.
    fn again_and_whole(
        e: &Engine,
        before: &[(String, String)],
        after: &[(String, String)],
        signed: bool,
    ) -> (Result<Reanalysed, Whole>, Analysis) {
        let (old, new) = (corpus_of(before), corpus_of(after));
        let mut w = DigestWriter::new(Vec::new(), 7);
        let first = e.analyse_digested(&old, &mut |_| {}, Some(&mut w));
        let signatures = signed.then(|| crate::index::words::build(&old));
        let bytes = w.finish().unwrap();
        let digest = Digest::from_bytes(&bytes, 7, old.docs.len()).unwrap();
        let mentions = |o: DocId, _: DocId| {
            Some(
                first
                    .mentions
                    .iter()
                    .filter(|m| m.doc == o)
                    .copied()
                    .collect(),
            )
        };
        let earlier = Earlier {
            digest,
            entity_ids: first
                .entities
                .iter()
                .map(|e| e.id.as_str().into())
                .collect(),
            mentions: &mentions,
            signatures: signatures.as_ref(),
        };
        let mut w2 = DigestWriter::new(Vec::new(), 8);
        let again = e.reanalyse(&new, earlier, &mut |_| {}, Some(&mut w2));
        let whole = e.analyse(&new);
        if again.is_ok() {
            // The digest made from the earlier one is the one made whole.
            let mut w3 = DigestWriter::new(Vec::new(), 8);
            e.analyse_digested(&new, &mut |_| {}, Some(&mut w3));
            let n = new.docs.len();
            let read = |w: DigestWriter<Vec<u8>>| Digest::from_bytes(&w.finish().unwrap(), 8, n);
            let (a, b) = (read(w2), read(w3));
            assert!(a.is_some() && a == b, "the digests differ");
        }
        (again, whole)
    }

    #[test]
    fn a_changed_file_is_analysed_again_alone_and_the_result_is_the_whole_analysis() {
        let e = Engine::new(KnowledgeBase::default_kb());
        let before = change_base();
        let mut after = before.clone();
        // A new person, named in full and then by surname, in one file.
        after[3].1.push_str(
            "\n\nThe analyst Zarina Quddusi told reporters the talks had stalled. Quddusi added that the TTP was regrouping.\n",
        );
        let (again, whole) = again_and_whole(&e, &before, &after, true);
        let again = again.expect("no new definition: the earlier analysis is used");
        assert_eq!(again.analysis.mentions, whole.mentions);
        assert_eq!(again.analysis.entities, whole.entities);
        let corpus = corpus_of(&after);
        let fresh: Vec<&str> = (0..after.len())
            .filter(|&d| again.earlier[d].is_none())
            .map(|d| corpus.docs[d].id.as_str())
            .collect();
        assert_eq!(
            fresh,
            vec![after[3].0.as_str()],
            "only the changed file is made again"
        );
        let table = super::test_support::mention_table(&corpus, &again.analysis);
        assert!(
            table
                .iter()
                .any(|r| r.1 == "Quddusi" && r.3 == Source::Person)
        );
    }

    #[test]
    fn a_word_that_is_not_ascii_is_looked_for_in_every_document() {
        // "ΛΌΓΟΣ" folds to "λόγοσ" for its signature, while the word lists
        // keep "λόγος": a signature's "no" would be wrong for it.
        let e = Engine::new(KnowledgeBase::default_kb());
        let mut before = change_base();
        before.push((
            "zz_greek.txt".into(),
            "Officials said that ΛΌΓΟΣ met police in Kabul on Monday.\n".into(),
        ));
        let mut after = before.clone();
        after.push((
            "zz_lower.txt".into(),
            "Officials said the λόγος was heard in Kabul.\n".into(),
        ));
        for signed in [false, true] {
            let (again, whole) = again_and_whole(&e, &before, &after, signed);
            let again = again.expect("no definition changed");
            assert_eq!(again.analysis.mentions, whole.mentions, "signed: {signed}");
            assert_eq!(again.analysis.entities, whole.entities, "signed: {signed}");
        }
    }

    #[test]
    fn a_new_definition_asks_for_the_whole_analysis() {
        let e = Engine::new(KnowledgeBase::default_kb());
        let before = change_base();
        let mut after = before.clone();
        after[0]
            .1
            .push_str("\n\nThe Harkat Liberation Front (HLF) claimed it.\n");
        let (again, _) = again_and_whole(&e, &before, &after, true);
        assert_eq!(again.unwrap_err(), Whole::Learned);
    }

    #[test]
    fn a_damaged_digest_is_not_read() {
        let corpus = corpus_of(&change_base());
        let e = Engine::new(KnowledgeBase::default_kb());
        let mut w = DigestWriter::new(Vec::new(), 1);
        e.analyse_digested(&corpus, &mut |_| {}, Some(&mut w));
        let bytes = w.finish().unwrap();
        let n = corpus.docs.len();
        assert!(Digest::from_bytes(&bytes, 1, n).is_some());
        assert!(Digest::from_bytes(&bytes, 2, n).is_none(), "another tag");
        assert!(
            Digest::from_bytes(&bytes, 1, n + 1).is_none(),
            "another corpus"
        );
        assert!(Digest::from_bytes(&bytes[..bytes.len() - 1], 1, n).is_none());
        let mut bad = bytes.clone();
        bad[bytes.len() / 2] ^= 1;
        assert!(Digest::from_bytes(&bad, 1, n).is_none());
    }

    mod changes {
        use super::*;
        use proptest::prelude::*;

        /// What a change may add to a file: new people, new and old
        /// words, names that vary an old one, a definition.
        const LINES: &[&str] = &[
            "The analyst Zarina Quddusi said the talks had stalled. Quddusi added more.",
            "Officials in Peshawar described a zorblaxian pattern of attacks.",
            "Zorblaxian Networks denied it.",
            "The Tehreek-e-Taliban Pakistan said nothing.",
            "Spokesman Imran Qadeer Baloch met Faran Jeffery in Kabul.",
            "Jeffrey recommends patience.",
            "The Pakistani Taliban and the ISKP were blamed.",
            "Police said the Lakki Marwat Front was new.",
            "The Harkat Liberation Front (HLF) claimed it.",
            "meanwhile, police and officials met.",
        ];

        #[derive(Debug, Clone)]
        enum Edit {
            Append(usize, usize),
            Cut(usize),
            Remove(usize),
            Add(usize, usize),
        }

        fn edit() -> impl Strategy<Value = Edit> {
            prop_oneof![
                (0..40usize, 0..LINES.len()).prop_map(|(f, l)| Edit::Append(f, l)),
                (0..40usize).prop_map(Edit::Cut),
                (0..40usize).prop_map(Edit::Remove),
                (0..40usize, 0..LINES.len()).prop_map(|(f, l)| Edit::Add(f, l)),
            ]
        }

        fn apply(files: &mut Vec<(String, String)>, edits: &[Edit]) {
            for (n, e) in edits.iter().enumerate() {
                let len = files.len();
                match *e {
                    Edit::Append(f, l) => files[f % len].1.push_str(&format!("\n\n{}\n", LINES[l])),
                    Edit::Cut(f) => {
                        let t = &mut files[f % len].1;
                        let half = (0..=t.len() / 2)
                            .rev()
                            .find(|&i| t.is_char_boundary(i))
                            .unwrap_or(0);
                        let at = t[..half].rfind('\n').unwrap_or(0);
                        t.truncate(at);
                    }
                    Edit::Remove(f) if len > 2 => {
                        files.remove(f % len);
                    }
                    Edit::Remove(_) => {}
                    Edit::Add(f, l) => {
                        let text = format!("{}\n\n{}\n", files[f % len].1, LINES[l]);
                        files.push((format!("zz_added_{n}.txt"), text));
                    }
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

            /// Whatever files change, the analysis made from the earlier one
            /// is the whole analysis of the corpus now, or the engine says
            /// that only a whole one will do because what it learned changed.
            #[test]
            fn the_analysis_made_again_is_the_whole_one(
                edits in proptest::collection::vec(edit(), 1..4),
                signed in any::<bool>(),
            ) {
                let e = Engine::new(KnowledgeBase::default_kb());
                let before = change_base();
                let mut after = before.clone();
                apply(&mut after, &edits);
                let (again, whole) = again_and_whole(&e, &before, &after, signed);
                match again {
                    Ok(again) => {
                        prop_assert_eq!(&again.analysis.entities, &whole.entities);
                        prop_assert_eq!(&again.analysis.mentions, &whole.mentions);
                    }
                    Err(why) => prop_assert_eq!(why, Whole::Learned),
                }
            }
        }
    }

    #[test]
    fn analysis_is_deterministic() {
        let corpus = crate::load::bundled_corpus();
        let e = Engine::new(KnowledgeBase::default_kb());
        let (a, b) = (e.analyse(&corpus), e.analyse(&corpus));
        assert_eq!(a.mentions, b.mentions);
        assert_eq!(a.entities, b.entities);
    }
}
