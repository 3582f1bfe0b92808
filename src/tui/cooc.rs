//! The cross-link panel's co-occurrence section: the entities named with
//! the panel's entity, counted by sentence, paragraph or document (see
//! [`crate::index::cooc`]) and ranked by signed log-likelihood, with a
//! filter by kind.
//!
//! Counting reads the texts of every document naming the entity, so it is
//! done off the UI thread: the panel asks for it with
//! [`Effect::CountCooc`](super::mode::Effect::CountCooc), says "counting…",
//! and the answer comes back as an [`Action::CoocCounted`]. Ranking the
//! counts (and so changing the kind filter) needs no text and is done at
//! once.

use super::action::{Action, Answer};
pub use super::answer::CoocCounts;
use crate::entity::{EntityId, Kind};
use crate::index::Index;
use crate::index::cooc::{self, CoocRow, Counts, Level};
use std::sync::Arc;

/// The co-occurrence section's state.
#[derive(Debug, Clone, PartialEq)]
pub struct CoocPanel {
    /// What counts as named together.
    pub level: Level,
    /// Only entities of this kind, when set.
    pub kind: Option<Kind>,
    /// The entity and level the counts are for, or being counted for.
    pub asked: Option<(EntityId, Level)>,
    /// The counts, once they came.
    pub counts: Option<Arc<Counts>>,
    /// Ranked rows, best first.
    pub rows: Vec<CoocRow>,
    /// A count is on its way.
    pub pending: bool,
    /// Numbers the requests: an answer for an older one is dropped.
    pub generation: u64,
}

// The scores are finite floats, compared for the tests' sake only.
impl Eq for CoocPanel {}

impl Default for CoocPanel {
    fn default() -> Self {
        CoocPanel {
            level: Level::Sentence,
            kind: None,
            asked: None,
            counts: None,
            rows: Vec::new(),
            pending: false,
            generation: 0,
        }
    }
}

impl CoocPanel {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&CoocRow> {
        self.rows.get(i)
    }

    /// Forgets the counts: the panel shows another entity.
    pub fn reset(&mut self) {
        self.asked = None;
        self.counts = None;
        self.rows.clear();
        self.pending = false;
    }

    /// The request to make for entity `e`, when its counts at the current
    /// level are neither here nor on their way; marks it asked.
    pub fn request(&mut self, e: EntityId) -> Option<super::mode::Effect> {
        if self.asked == Some((e, self.level)) {
            return None;
        }
        self.asked = Some((e, self.level));
        self.counts = None;
        self.rows.clear();
        self.pending = true;
        self.generation += 1;
        Some(super::mode::Effect::CountCooc {
            generation: self.generation,
            entity: e,
            level: self.level,
        })
    }

    /// The next level (sentence, paragraph, document, sentence…): the
    /// counts are made again.
    pub fn cycle_level(&mut self) -> String {
        self.level = match self.level {
            Level::Sentence => Level::Paragraph,
            Level::Paragraph => Level::Document,
            Level::Document => Level::Sentence,
        };
        self.reset();
        format!("Co-occurrence by {}", self.level.as_str())
    }

    /// The next kind filter (every kind, then each kind in turn): the rows
    /// are ranked again from the counts at hand.
    pub fn cycle_kind(&mut self, index: Option<&Index>, e: Option<EntityId>) -> String {
        self.kind = match self.kind {
            None => Some(Kind::ALL[0]),
            Some(k) => Kind::ALL
                .iter()
                .position(|&x| x == k)
                .and_then(|i| Kind::ALL.get(i + 1).copied()),
        };
        if let (Some(index), Some(e), Some(c)) = (index, e, self.counts.as_ref()) {
            self.rows = cooc::rank(index, e, c, self.kind);
        }
        format!("Co-occurring: {}", self.kind_label())
    }

    /// "all kinds", or the kind shown.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            None => "all kinds",
            Some(k) => k.as_str(),
        }
    }

    /// A worker's counts arrived: kept and ranked if they are the ones
    /// asked for last (for `current`, the panel's entity).
    pub fn counted(&mut self, index: Option<&Index>, current: Option<EntityId>, a: CoocCounts) {
        let wanted = a.generation == self.generation
            && self.asked == Some((a.entity, a.level))
            && current == Some(a.entity);
        let Some(index) = index.filter(|_| wanted) else {
            return;
        };
        self.rows = cooc::rank(index, a.entity, &a.counts, self.kind);
        self.counts = Some(Arc::new(a.counts));
        self.pending = false;
    }
}

/// What the worker does for [`super::mode::Effect::CountCooc`]: counts,
/// and hands the counts back as an action.
pub fn count(index: &Index, generation: u64, entity: EntityId, level: Level) -> Action {
    Action::CoocCounted(Answer::new(CoocCounts {
        generation,
        entity,
        level,
        counts: cooc::count(index, entity, level),
    }))
}

/// At most this many shared sentences (or paragraphs, or documents) are
/// listed for a pair.
pub const SHARED_LIMIT: usize = 500;

/// What the worker does for [`super::mode::Effect::FindShared`].
pub fn find_shared(
    index: &Index,
    generation: u64,
    a: EntityId,
    b: EntityId,
    level: Level,
) -> Action {
    Action::SharedFound(Answer::new(super::answer::SharedFound {
        generation,
        units: cooc::shared_units(index, a, b, level, SHARED_LIMIT),
    }))
}
