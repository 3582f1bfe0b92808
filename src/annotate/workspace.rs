//! A corpus under annotation: the engine's analysis, the journal of a
//! person's decisions, and the index of both together.

use super::journal::{Journal, JournalError};
use super::ops::{self, NoteTarget, Op, OverlayReport};
use crate::corpus::Corpus;
use crate::entity::Analysis;
use crate::index::{Forms, Index};
use std::collections::HashMap;
use std::sync::Arc;

/// The engine's analysis plus the decisions in force.
#[derive(Debug)]
pub struct Workspace {
    base: Analysis,
    /// The forms of the base analysis's mentions, so that an index of the
    /// decisions in force reads only the documents they change.
    base_forms: Forms,
    journal: Journal,
    index: Index,
    report: OverlayReport,
    /// Decisions that could not be written yet (a full disk): applied on
    /// screen, retried before every later write, never claimed as saved.
    pending: Vec<Op>,
}

/// The result of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// On disk (fsynced).
    Durable,
    /// Applied, but not yet on disk; the error, with its cause, says why.
    Pending(String),
}

impl Workspace {
    pub fn new(corpus: Arc<Corpus>, base: Analysis, journal: Journal) -> Workspace {
        let forms = Forms::of(&corpus, &base.mentions);
        Workspace::with_forms(corpus, base, forms, journal)
    }

    /// Like [`Workspace::new`], with the forms of the base analysis's
    /// mentions known (see [`Forms`]).
    pub fn with_forms(
        corpus: Arc<Corpus>,
        base: Analysis,
        base_forms: Forms,
        journal: Journal,
    ) -> Workspace {
        let (index, report) = build(&corpus, &base, &base_forms, &journal, &[]);
        Workspace {
            base,
            base_forms,
            journal,
            index,
            report,
            pending: Vec::new(),
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn report(&self) -> &OverlayReport {
        &self.report
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn read_only(&self) -> bool {
        self.journal.is_read_only()
    }

    pub fn pending(&self) -> &[Op] {
        &self.pending
    }

    fn rebuild(&mut self) {
        let corpus = self.index.shared_corpus();
        let (index, report) = build(
            &corpus,
            &self.base,
            &self.base_forms,
            &self.journal,
            &self.pending,
        );
        self.index = index;
        self.report = report;
    }

    /// Puts a newly opened journal in place (taking over from a read-only
    /// one) and rebuilds the index from the engine's analysis, which does
    /// not change with the journal.
    pub fn replace_journal(&mut self, journal: Journal) {
        self.journal = journal;
        self.pending.clear();
        self.rebuild();
    }

    /// Writes any pending decisions; stops at the first failure.
    pub fn flush(&mut self) -> Result<(), JournalError> {
        while let Some(op) = self.pending.first().cloned() {
            self.journal.append(op)?;
            self.pending.remove(0);
        }
        Ok(())
    }

    /// Records a decision and applies it. A read-only journal refuses it; a
    /// write failure keeps it pending (and applied) to be retried.
    pub fn decide(&mut self, op: Op) -> Result<Saved, JournalError> {
        if self.journal.is_read_only() {
            return Err(JournalError::ReadOnly(
                self.journal.path().with_extension("lock"),
            ));
        }
        let saved = match self.flush().and_then(|_| self.journal.append(op.clone())) {
            Ok(_) => Saved::Durable,
            Err(e) => {
                self.pending.push(op);
                Saved::Pending(e.with_causes())
            }
        };
        self.rebuild();
        Ok(saved)
    }

    /// Undoes the latest decision (a pending one first).
    pub fn undo(&mut self) -> Result<Op, JournalError> {
        let op = match self.pending.pop() {
            Some(op) => op,
            None => self.journal.undo()?,
        };
        self.rebuild();
        Ok(op)
    }

    pub fn redo(&mut self) -> Result<Op, JournalError> {
        self.flush()?;
        let op = self.journal.redo()?;
        self.rebuild();
        Ok(op)
    }

    /// Notes for export, keyed by (doc id, start, end) where they are placed
    /// now: notes on mentions, and notes on entities on each document's
    /// first mention of the entity (prefixed "entity: "). Several notes on
    /// one span are joined with " | ". Document notes have no span.
    pub fn mention_notes(&self) -> HashMap<(String, usize, usize), String> {
        let mut out: HashMap<(String, usize, usize), String> = HashMap::new();
        let mut add = |k: (String, usize, usize), text: String| {
            out.entry(k)
                .and_modify(|t| {
                    t.push_str(" | ");
                    t.push_str(&text);
                })
                .or_insert(text);
        };
        for (target, text) in &self.report.notes {
            match target {
                NoteTarget::Mention { anchor } => {
                    if let Some(doc) = self.index.doc_by_id(&anchor.doc).map(|d| self.index.doc(d))
                        && let Some(r) = anchor.resolve(&doc.text)
                    {
                        add((doc.id.clone(), r.start, r.end), text.clone());
                    }
                }
                NoteTarget::Entity { id } => {
                    let Some(e) = self.index.entity_by_id(id) else {
                        continue;
                    };
                    for (d, ms) in self.index.entity_mentions_by_doc(e) {
                        if let Some(m) = ms.first() {
                            let doc = &self.index.doc(d).id;
                            add(
                                (doc.clone(), m.start as usize, m.end as usize),
                                format!("entity: {text}"),
                            );
                        }
                    }
                }
                NoteTarget::Document { .. } => {}
            }
        }
        out
    }
}

fn build(
    corpus: &Arc<Corpus>,
    base: &Analysis,
    base_forms: &Forms,
    journal: &Journal,
    pending: &[Op],
) -> (Index, OverlayReport) {
    let mut analysis = base.clone();
    let effective = journal.effective();
    let mut ops_in_force: Vec<&Op> = effective.into_iter().map(|(_, op)| op).collect();
    ops_in_force.extend(pending.iter());
    let report = ops::apply(&ops_in_force, corpus, &mut analysis);
    let index = Index::reusing(Arc::clone(corpus), analysis, &base.mentions, base_forms);
    (index, report)
}
