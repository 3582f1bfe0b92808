//! A corpus under annotation: the index of the engine's analysis with the
//! decisions in force applied over it, and the journal of those decisions.
//!
//! A decision, an undo or a redo changes the index in place, touching only
//! what the decision is about ([`Overlay`]); the journal stays the source
//! of truth, and opening the workspace again replays it to the same state.

use super::journal::{Journal, JournalError};
use super::ops::{NoteTarget, Op, OverlayReport};
use super::overlay::Overlay;
use crate::corpus::Corpus;
use crate::entity::Analysis;
use crate::entity::normalize::key;
use crate::index::{Forms, Index};
use std::collections::HashMap;
use std::sync::Arc;

/// The engine's analysis plus the decisions in force.
#[derive(Debug)]
pub struct Workspace {
    journal: Journal,
    index: Index,
    /// The decisions in force (the journal's, then the pending ones), as
    /// applied to `index`.
    overlay: Overlay,
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
    /// Indexes the engine's analysis and replays the journal's decisions in
    /// force over it, in order.
    pub fn new(corpus: Arc<Corpus>, base: Analysis, journal: Journal) -> Workspace {
        Workspace::over(Index::new(corpus, base), journal)
    }

    /// Like [`Workspace::new`], with the forms of the analysis's mentions
    /// known (see [`Forms`]), so that no text is read.
    pub fn with_forms(
        corpus: Arc<Corpus>,
        base: Analysis,
        forms: Forms,
        journal: Journal,
    ) -> Workspace {
        Workspace::over(Index::with_forms(corpus, base, forms), journal)
    }

    /// Replays the journal's decisions in force over an index of the
    /// engine's analysis (one read from the cache, say).
    pub fn over(mut index: Index, journal: Journal) -> Workspace {
        let mut overlay = Overlay::default();
        overlay.replay(
            journal.effective().into_iter().map(|(_, op)| op),
            &mut index,
        );
        Workspace {
            journal,
            index,
            overlay,
            pending: Vec::new(),
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn report(&self) -> &OverlayReport {
        self.overlay.report()
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    /// Who the decisions made from now on are by.
    pub fn set_annotator(&mut self, name: &str) {
        self.journal.set_annotator(name);
    }

    pub fn read_only(&self) -> bool {
        self.journal.is_read_only()
    }

    pub fn pending(&self) -> &[Op] {
        &self.pending
    }

    /// Puts a newly opened journal in place (taking over from a read-only
    /// one): the decisions applied are taken back, to the engine's
    /// analysis, and the new journal's are applied.
    pub fn replace_journal(&mut self, journal: Journal) {
        self.overlay.undo_all(&mut self.index);
        self.journal = journal;
        self.pending.clear();
        self.overlay.replay(
            self.journal.effective().into_iter().map(|(_, op)| op),
            &mut self.index,
        );
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
                self.pending.push(op.clone());
                Saved::Pending(e.with_causes())
            }
        };
        self.overlay.apply(&op, &mut self.index);
        Ok(saved)
    }

    /// Undoes the latest decision (a pending one first).
    pub fn undo(&mut self) -> Result<Op, JournalError> {
        let op = match self.pending.pop() {
            Some(op) => op,
            None => self.journal.undo()?,
        };
        self.overlay.undo(&mut self.index);
        Ok(op)
    }

    pub fn redo(&mut self) -> Result<Op, JournalError> {
        self.flush()?;
        let op = self.journal.redo()?;
        self.overlay.apply(&op, &mut self.index);
        Ok(op)
    }

    /// What the decisions in force say that the mentions do not show, for
    /// export: notes on mentions, rejected spans where they are placed now,
    /// and rejected suggestions.
    pub fn decided(&self) -> super::export::Decided {
        let mut decided = super::export::Decided {
            notes: self.mention_notes(),
            ..Default::default()
        };
        // The decisions in force with who made each; pending ones are the
        // current annotator's.
        let me = self.journal.annotator();
        let ops: Vec<(&Op, &str)> = self
            .journal
            .effective_by()
            .into_iter()
            .chain(self.pending.iter().map(|op| (op, me)))
            .collect();
        decided.ops = ops.iter().map(|(op, _)| (*op).clone()).collect();
        decided.by = ops.iter().map(|(_, by)| by.to_string()).collect();
        for op in ops.iter().map(|(op, _)| *op).flat_map(Op::flat) {
            match op {
                Op::RejectSpan { anchor } => {
                    if let Some(doc) = self.index.doc_by_id(&anchor.doc).map(|d| self.index.doc(d))
                        && let Some(r) = anchor.resolve(&doc.text.fetch())
                    {
                        decided
                            .rejected_spans
                            .entry(doc.id.clone())
                            .or_default()
                            .push((r.start, r.end));
                    }
                }
                Op::RejectText { text, entity } => {
                    decided.rejected_texts.push((text.clone(), entity.clone()));
                }
                // A link undoes an earlier rejection of the same text.
                Op::LinkText { text, entity, .. } => decided
                    .rejected_texts
                    .retain(|(t, e)| !(e == entity && key(t) == key(text))),
                _ => {}
            }
        }
        decided
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
        for (target, text) in &self.report().notes {
            match target {
                NoteTarget::Mention { anchor } => {
                    if let Some(doc) = self.index.doc_by_id(&anchor.doc).map(|d| self.index.doc(d))
                        && let Some(r) = anchor.resolve(&doc.text.fetch())
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
