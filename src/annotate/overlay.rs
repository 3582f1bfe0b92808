//! The overlay: a person's decisions applied to an index one at a time, in
//! the order they were made.
//!
//! Each decision changes only what it is about: the documents where its
//! span or its surface form occurs, and the mentions of the entities it
//! names, with that part of the index ([`Index::replace_docs`]). It
//! records what it replaced, so that undo puts back exactly that and
//! nothing else. Replaying the journal from the engine's analysis is the
//! same steps taken from the start, so a restart reaches the same state.
//!
//! Mentions only ever name entities that have not been merged away: a
//! merge moves the mentions of the entity merged, and later decisions
//! about it are resolved to the entity it is now part of.

use super::anchor::Anchor;
use super::ops::{NewEntity, NoteTarget, Op, OverlayReport};
use crate::corpus::Corpus;
use crate::entity::Analysis;
use crate::entity::matcher::{MatcherBuilder, Target};
use crate::entity::normalize::key;
use crate::entity::{DocId, Entity, EntityId, Mention, Source};
use crate::index::Index;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// How many merges a chain may hold before resolving stops following it.
const MAX_HOPS: usize = 64;

/// The decisions applied to an index, oldest first, each with what it
/// changed.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// Entities merged away: entity → the entity it was merged into.
    merged_into: FxHashMap<EntityId, EntityId>,
    /// Per entity, the surface forms (keys) it is never: a merge into it
    /// brings none of them along.
    never: FxHashMap<EntityId, Vec<String>>,
    report: OverlayReport,
    applied: Vec<Change>,
}

/// What one decision changed, to put it back.
#[derive(Debug, Clone, Default)]
struct Change {
    /// The documents' mention lists it replaced.
    docs: Vec<(DocId, Arc<[Mention]>)>,
    /// Each entity it changed, as it was before (entities it created are
    /// not listed: they are taken away).
    entities: Vec<(EntityId, Entity)>,
    /// How many entities it created, at the end of the table.
    created: usize,
    /// For a batch, the changes of its decisions, in order (undone last
    /// first); the fields above are then empty.
    parts: Vec<Change>,
    merged_into: Vec<(EntityId, Option<EntityId>)>,
    never: Vec<(EntityId, Option<Vec<String>>)>,
    /// The report's lists' lengths before it.
    unplaced: usize,
    notes: usize,
    not_applied: usize,
    merged: Option<(String, Option<String>)>,
}

/// One decision being applied: the index, and working copies of the
/// documents it changes.
struct Step<'a> {
    index: &'a mut Index,
    change: Change,
    /// The first entity this step created, if any.
    first_created: EntityId,
    lists: FxHashMap<DocId, Vec<Mention>>,
}

impl Step<'_> {
    /// Document `d`'s mentions, to change.
    fn list(&mut self, d: DocId) -> &mut Vec<Mention> {
        let index = &*self.index;
        self.lists
            .entry(d)
            .or_insert_with(|| index.doc_mentions(d).to_vec())
    }

    /// The mentions of `d` as they stand in this step.
    fn current(&self, d: DocId) -> &[Mention] {
        match self.lists.get(&d) {
            Some(list) => list,
            None => self.index.doc_mentions(d),
        }
    }

    /// Entity `e`, to change; its old value is kept for undo.
    fn entity_mut(&mut self, e: EntityId) -> Option<&mut Entity> {
        if e < self.first_created && !self.change.entities.iter().any(|(x, _)| *x == e) {
            let old = self.index.entities().get(e as usize)?.clone();
            self.change.entities.push((e, old));
        }
        self.index.entity_mut(e)
    }

    /// The entity with this id, created from `new` when there is none.
    fn ensure(&mut self, id: &str, new: Option<&NewEntity>) -> Option<EntityId> {
        if let Some(e) = self.index.entity_by_id(id) {
            return Some(e);
        }
        let n = new?;
        // A hand-written line may name one id and create another: never
        // two entities with one id.
        if let Some(e) = self.index.entity_by_id(&n.id) {
            return Some(e);
        }
        self.change.created += 1;
        Some(self.index.push_entity(Entity {
            id: n.id.clone(),
            name: n.name.clone(),
            kind: n.kind,
            aliases: Vec::new(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        }))
    }

    /// Where an anchor sits now: its document and byte range.
    fn place(&self, anchor: &Anchor) -> Option<(DocId, std::ops::Range<usize>)> {
        let d = self.index.doc_by_id(&anchor.doc)?;
        let r = anchor.resolve(&self.index.doc(d).text)?;
        Some((d, r))
    }

    /// The surface form of a mention, as a key.
    /// The key of mention `m`, at position `i` of document `d`: its form
    /// when the index has it there, else its text (read, not kept).
    fn key_of(&self, d: DocId, i: u32, m: &Mention) -> String {
        let same = self
            .index
            .doc_mentions(d)
            .get(i as usize)
            .is_some_and(|x| x.range() == m.range());
        if same {
            return key(self.index.form(d, i as usize));
        }
        let text = self.index.doc(m.doc).text.fetch();
        key(text.get(m.range()).unwrap_or(""))
    }
}

fn add_alias(entity: &mut Entity, alias: &str) {
    if entity.name != alias && !entity.aliases.iter().any(|a| a == alias) {
        entity.aliases.push(alias.to_string());
    }
}

/// Puts `m` in its place in a sorted list, removing whatever overlaps it.
fn put(list: &mut Vec<Mention>, m: Mention) {
    list.retain(|o| o.end <= m.start || o.start >= m.end);
    let at = list.partition_point(|o| (o.start, o.end) <= (m.start, m.end));
    list.insert(at, m);
}

fn annotation(doc: DocId, r: std::ops::Range<usize>, entity: EntityId) -> Mention {
    Mention {
        doc,
        start: r.start as u32,
        end: r.end as u32,
        entity,
        source: Source::Annotation,
        confidence: 100,
    }
}

impl Overlay {
    /// What the decisions in force found: unplaced spans, notes, merges.
    pub fn report(&self) -> &OverlayReport {
        &self.report
    }

    /// How many decisions are applied.
    pub fn len(&self) -> usize {
        self.applied.len()
    }

    pub fn is_empty(&self) -> bool {
        self.applied.is_empty()
    }

    /// The entity `e` is part of now (itself unless merged away).
    fn resolve(&self, mut e: EntityId) -> EntityId {
        for _ in 0..MAX_HOPS {
            match self.merged_into.get(&e) {
                Some(&n) => e = n,
                None => break,
            }
        }
        e
    }

    fn set_merged_into(&mut self, change: &mut Change, e: EntityId, into: EntityId) {
        let old = self.merged_into.insert(e, into);
        change.merged_into.push((e, old));
    }

    /// Changes the surface forms `e` is never.
    fn edit_never(&mut self, change: &mut Change, e: EntityId, f: impl FnOnce(&mut Vec<String>)) {
        let old = self.never.get(&e).cloned();
        if !change.never.iter().any(|(x, _)| *x == e) {
            change.never.push((e, old.clone()));
        }
        let mut list = old.unwrap_or_default();
        f(&mut list);
        if list.is_empty() {
            self.never.remove(&e);
        } else {
            self.never.insert(e, list);
        }
    }

    /// Applies one decision after those already applied.
    pub fn apply(&mut self, op: &Op, index: &mut Index) {
        self.apply_unsettled(op, index);
        index.settle_all();
    }

    /// Applies decisions in order, settling the index once at the end: a
    /// replay of the journal.
    pub fn replay<'a>(&mut self, ops: impl IntoIterator<Item = &'a Op>, index: &mut Index) {
        for op in ops {
            self.apply_unsettled(op, index);
        }
        index.settle_all();
    }

    /// [`Overlay::apply`], leaving the index's lookups by entity to be
    /// settled ([`Index::settle_all`]).
    fn apply_unsettled(&mut self, op: &Op, index: &mut Index) {
        if let Op::Batch { ops } = op {
            let before = self.applied.len();
            let (unplaced, notes) = (self.report.unplaced.len(), self.report.notes.len());
            let not_applied = self.report.not_applied.len();
            for op in ops {
                self.apply_unsettled(op, index);
            }
            let parts = self.applied.split_off(before);
            self.applied.push(Change {
                parts,
                unplaced,
                notes,
                not_applied,
                ..Change::default()
            });
            return;
        }
        let first_created = index.entities().len() as EntityId;
        let mut step = Step {
            index,
            change: Change {
                unplaced: self.report.unplaced.len(),
                notes: self.report.notes.len(),
                not_applied: self.report.not_applied.len(),
                ..Change::default()
            },
            first_created,
            lists: FxHashMap::default(),
        };
        // A decision about an entity the knowledge bases in use do not have
        // is not applied, and said so (it stays in the journal).
        let missing: Vec<&str> = op
            .needs()
            .into_iter()
            .filter(|id| step.index.entity_by_id(id).is_none())
            .collect();
        if !missing.is_empty() {
            let why = format!(
                "no entity {} in the knowledge bases in use",
                missing
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            );
            self.report.not_applied.push((op.clone(), why));
            self.applied.push(step.change);
            return;
        }
        match op {
            Op::LinkText { text, entity, new } => self.link_text(&mut step, text, entity, new),
            Op::LinkSpan {
                anchor,
                entity,
                new,
            } => {
                if let Some(e) = step.ensure(entity, new.as_ref()) {
                    match step.place(anchor) {
                        Some((d, r)) => {
                            let e = self.resolve(e);
                            put(step.list(d), annotation(d, r, e));
                        }
                        None => self.report.unplaced.push(anchor.clone()),
                    }
                }
            }
            Op::RejectSpan { anchor } => match step.place(anchor) {
                Some((d, r)) => step
                    .list(d)
                    .retain(|o| o.end as usize <= r.start || o.start as usize >= r.end),
                None => self.report.unplaced.push(anchor.clone()),
            },
            Op::RejectText { text, entity } => self.reject_text(&mut step, text, entity),
            Op::Merge { from, into } => self.merge(&mut step, from, into),
            Op::SplitAlias { entity, alias, new } => self.split(&mut step, entity, alias, new),
            Op::Rename { entity, name } => {
                if let Some(e) = step.index.entity_by_id(entity)
                    && let Some(ent) = step.entity_mut(e)
                {
                    let old = std::mem::replace(&mut ent.name, name.clone());
                    add_alias(ent, &old);
                    ent.aliases.retain(|a| a != name);
                }
            }
            Op::SetKind { entity, kind } => {
                if let Some(e) = step.index.entity_by_id(entity)
                    && let Some(ent) = step.entity_mut(e)
                {
                    ent.kind = *kind;
                }
            }
            Op::Note { target, text } => {
                // A note on a span that can no longer be placed is listed
                // with the other unplaced annotations.
                if let NoteTarget::Mention { anchor } = target
                    && step.place(anchor).is_none()
                {
                    self.report.unplaced.push(anchor.clone());
                }
                self.report.notes.push((target.clone(), text.clone()));
            }
            Op::Batch { .. } => {}
        }
        let Step {
            index,
            mut change,
            lists,
            ..
        } = step;
        if !lists.is_empty() {
            change.docs = index.replace_docs_unsettled(
                lists
                    .into_iter()
                    .map(|(d, list)| (d, Arc::from(list)))
                    .collect(),
            );
        }
        self.applied.push(change);
    }

    /// Every occurrence of `text` in the corpus is `entity`.
    fn link_text(&mut self, step: &mut Step, text: &str, entity: &str, new: &Option<NewEntity>) {
        let Some(e) = step.ensure(entity, new.as_ref()) else {
            return;
        };
        if let Some(ent) = step.entity_mut(e) {
            add_alias(ent, text);
        }
        let k = key(text);
        if self.never.get(&e).is_some_and(|n| n.contains(&k)) {
            self.edit_never(&mut step.change, e, |n| n.retain(|x| *x != k));
        }
        let target = self.resolve(e);
        let mut builder = MatcherBuilder::new();
        builder.add(
            text,
            Target::for_alias(text, target, Source::Annotation, 100),
        );
        let matcher = builder.build();
        // Only the documents whose word signatures may hold every word of
        // the text are searched (all of them when the corpus has none), on
        // every core; each text read for this search only (a text not in
        // memory stays so).
        use rayon::prelude::*;
        let index = &*step.index;
        let hits: Vec<(DocId, Vec<_>)> = crate::index::words::docs_to_search(index.corpus(), text)
            .into_par_iter()
            .filter_map(|d| {
                let found = matcher.find_all(&index.doc(d).text.fetch());
                (!found.is_empty()).then_some((d, found))
            })
            .collect();
        for (d, found) in hits {
            let list = step.list(d);
            for f in found {
                put(list, annotation(d, f.start..f.end, f.target.entity));
            }
        }
    }

    /// `text` is never `entity`: its mentions with that text go.
    fn reject_text(&mut self, step: &mut Step, text: &str, entity: &str) {
        let Some(e) = step.index.entity_by_id(entity) else {
            return;
        };
        let k = key(text);
        let r = self.resolve(e);
        for x in [e, r] {
            if let Some(ent) = step.entity_mut(x) {
                ent.aliases.retain(|a| key(a) != k);
            }
        }
        if !self.never.get(&r).is_some_and(|n| n.contains(&k)) {
            let k = k.clone();
            self.edit_never(&mut step.change, r, |n| n.push(k));
        }
        step.index.settle(r);
        let mut docs: Vec<DocId> = Vec::new();
        for &(d, i) in step.index.entity_places(r) {
            if docs.last() != Some(&d)
                && let Some(m) = step.index.doc_mentions(d).get(i as usize)
                && step.key_of(d, i, m) == k
            {
                docs.push(d);
            }
        }
        for d in docs {
            let index = &*step.index;
            let doc = index.doc(d).text.fetch();
            step.lists
                .entry(d)
                .or_insert_with(|| index.doc_mentions(d).to_vec())
                .retain(|m| !(m.entity == r && key(doc.get(m.range()).unwrap_or("")) == k));
        }
    }

    /// `from` and `into` are one entity: `from`'s mentions move to the
    /// entity `into` is part of, except the surface forms it is never.
    fn merge(&mut self, step: &mut Step, from: &str, into: &str) {
        let (Some(f), Some(i)) = (step.index.entity_by_id(from), step.index.entity_by_id(into))
        else {
            return;
        };
        let target = self.resolve(i);
        if target == f {
            return;
        }
        self.set_merged_into(&mut step.change, f, target);
        let (name, aliases) = {
            let ent = step.index.entity(f);
            (ent.name.clone(), ent.aliases.clone())
        };
        if let Some(into_entity) = step.entity_mut(target) {
            add_alias(into_entity, &name);
            for a in &aliases {
                add_alias(into_entity, a);
            }
        }
        let target_id = step.index.entity(target).id.clone();
        let old = self.report.merged.insert(from.to_string(), target_id);
        step.change.merged = Some((from.to_string(), old));
        let never = self.never.get(&target).cloned().unwrap_or_default();
        step.index.settle(f);
        let places = step.index.entity_places(f).to_vec();
        // Positions are those of the index: relabel in place first, then
        // drop what the target is never, last position first.
        let mut dropped: Vec<(DocId, u32)> = Vec::new();
        for &(d, i) in &places {
            if !never.is_empty()
                && let Some(m) = step.index.doc_mentions(d).get(i as usize)
                && never.contains(&step.key_of(d, i, m))
            {
                dropped.push((d, i));
            }
            if let Some(m) = step.list(d).get_mut(i as usize) {
                m.entity = target;
            }
        }
        for &(d, i) in dropped.iter().rev() {
            let list = step.list(d);
            if (i as usize) < list.len() {
                list.remove(i as usize);
            }
        }
    }

    /// The surface form `alias` of `entity` is the entity `new`.
    fn split(&mut self, step: &mut Step, entity: &str, alias: &str, new: &NewEntity) {
        let Some(e) = step.index.entity_by_id(entity) else {
            return;
        };
        let Some(n) = step.ensure(&new.id, Some(new)) else {
            return;
        };
        let k = key(alias);
        if let Some(ent) = step.entity_mut(e) {
            ent.aliases.retain(|a| key(a) != k);
        }
        if let Some(ent) = step.entity_mut(n) {
            add_alias(ent, alias);
        }
        let (r, to) = (self.resolve(e), self.resolve(n));
        step.index.settle(r);
        let places: Vec<(DocId, u32)> = step
            .index
            .entity_places(r)
            .iter()
            .copied()
            .filter(|&(d, i)| {
                step.current(d)
                    .get(i as usize)
                    .is_some_and(|m| step.key_of(d, i, m) == k)
            })
            .collect();
        for (d, i) in places {
            if let Some(m) = step.list(d).get_mut(i as usize) {
                m.entity = to;
                m.source = Source::Annotation;
                m.confidence = 100;
            }
        }
    }

    /// Takes back the latest decision applied, exactly; false when there
    /// is none.
    pub fn undo(&mut self, index: &mut Index) -> bool {
        let undone = self.undo_unsettled(index);
        index.settle_all();
        undone
    }

    fn undo_unsettled(&mut self, index: &mut Index) -> bool {
        let Some(c) = self.applied.pop() else {
            return false;
        };
        self.revert(c, index);
        true
    }

    /// Puts back what one change replaced.
    fn revert(&mut self, c: Change, index: &mut Index) {
        for part in c.parts.into_iter().rev() {
            self.revert(part, index);
        }
        if !c.docs.is_empty() {
            index.replace_docs_unsettled(c.docs);
        }
        for (e, old) in c.entities.into_iter().rev() {
            if let Some(ent) = index.entity_mut(e) {
                *ent = old;
            }
        }
        for _ in 0..c.created {
            index.pop_entity();
        }
        for (e, old) in c.merged_into.into_iter().rev() {
            match old {
                Some(o) => self.merged_into.insert(e, o),
                None => self.merged_into.remove(&e),
            };
        }
        for (e, old) in c.never.into_iter().rev() {
            match old {
                Some(o) => self.never.insert(e, o),
                None => self.never.remove(&e),
            };
        }
        self.report.unplaced.truncate(c.unplaced);
        self.report.notes.truncate(c.notes);
        self.report.not_applied.truncate(c.not_applied);
        if let Some((from, old)) = c.merged {
            match old {
                Some(o) => self.report.merged.insert(from, o),
                None => self.report.merged.remove(&from),
            };
        }
    }

    /// Takes back every decision, leaving the index as the engine made it.
    pub fn undo_all(&mut self, index: &mut Index) {
        while self.undo_unsettled(index) {}
        index.settle_all();
    }
}
/// Replays decisions, in order, over an engine's analysis: the state a
/// restart reaches. [`Overlay`] takes the same steps one at
/// a time.
pub fn replay(
    corpus: std::sync::Arc<Corpus>,
    base: Analysis,
    ops: &[&Op],
) -> (crate::index::Index, Overlay) {
    let mut index = crate::index::Index::new(corpus, base);
    let mut overlay = Overlay::default();
    overlay.replay(ops.iter().copied(), &mut index);
    (index, overlay)
}

/// Applies the operations, in order, to an engine's analysis (a copy of
/// the corpus is indexed for it: for tests and tools; the reader keeps an
/// [`Overlay`]).
pub fn apply(ops: &[&Op], corpus: &Corpus, analysis: &mut Analysis) -> OverlayReport {
    let base = std::mem::take(analysis);
    let (index, overlay) = replay(std::sync::Arc::new(corpus.clone()), base, ops);
    *analysis = index.analysis();
    overlay.report().clone()
}
