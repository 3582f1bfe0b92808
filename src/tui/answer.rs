//! What the reader's workers hand back, carried by actions to the router:
//! a search's hits, the journal's state, the workspace's answer to a
//! decision, a text's count in the corpus. Below the modes and the actions, so that both can name them.

use crate::annotate::{Anchor, NoteTarget};
use crate::entity::DocId;
use crate::index::Index;
use std::collections::HashMap;
use std::path::PathBuf;

/// A full-text search hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
}

/// Hits of one search, handed over by the search thread as it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchBatch {
    /// The search these hits are for (`Search::generation`).
    pub generation: u64,
    pub hits: Vec<Hit>,
    /// The search is over: no more batches follow.
    pub done: bool,
    /// The search stopped at [`SEARCH_LIMIT`] hits.
    pub truncated: bool,
}

/// A full-text search stops after this many hits.
pub const SEARCH_LIMIT: usize = 10_000;

/// How many of the latest decisions the journal view lists (`dossier
/// annotations` lists them all).
pub const RECENT_DECISIONS: usize = 200;

/// The state of the annotation journal, as the last operation left it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JournalInfo {
    pub path: Option<PathBuf>,
    pub read_only: bool,
    /// Why the journal is read-only, when it is not another instance's lock.
    pub trouble: Option<String>,
    /// Problems found when it was opened (a torn last line).
    pub warnings: Vec<String>,
    /// Span decisions that cannot be placed in their documents.
    pub unplaced: Vec<Anchor>,
    pub notes: Vec<(NoteTarget, String)>,
    /// Ids of entities merged into others.
    pub merged: Vec<String>,
    /// Notes on mentions, by (document id, start, end).
    pub mention_notes: HashMap<(String, usize, usize), String>,
    /// Decisions in force.
    pub decisions: usize,
    /// The latest decisions in force (at most [`RECENT_DECISIONS`]),
    /// newest first: (sequence number, what it did).
    pub recent: Vec<(u64, String)>,
    /// Decisions in force that could not be applied: (what, why).
    pub not_applied: Vec<(String, String)>,
    /// Decisions applied but not yet on disk.
    pub pending: usize,
    /// Why the last write failed, while decisions are pending.
    pub save_error: Option<String>,
}

/// The workspace's answer to one command ([`super::worker::Command`]).
#[derive(Debug)]
pub struct Applied {
    /// The new index, when something changed.
    pub index: Option<Index>,
    pub journal: JournalInfo,
    pub message: String,
    pub error: bool,
}

/// How often a text occurs in the corpus, as linking it everywhere would
/// find it. Counted off the UI thread; `result` is `None` until then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub text: String,
    /// (occurrences, documents).
    pub result: Option<(usize, usize)>,
}

impl Count {
    /// The count of `text` (occurrences, documents), if this is its count
    /// and it has arrived.
    pub fn of(count: Option<&Count>, text: &str) -> Option<(usize, usize)> {
        count.filter(|c| c.text == text).and_then(|c| c.result)
    }
}

/// Co-occurrence counts of one entity, counted by a worker for the
/// cross-link panel ([`super::cooc`]).
#[derive(Debug)]
pub struct CoocCounts {
    /// The request these are for (`CoocPanel::generation`).
    pub generation: u64,
    pub entity: crate::entity::EntityId,
    pub level: crate::index::cooc::Level,
    pub counts: crate::index::cooc::Counts,
}

/// The units a pair shares, found by a worker for the shared-sentences
/// view ([`super::shared`]).
#[derive(Debug)]
pub struct SharedFound {
    /// The request these are for (`Shared::generation`).
    pub generation: u64,
    pub units: Vec<crate::index::cooc::SharedUnit>,
}
