//! What every mode of the reader shares with the router, and nothing else:
//! where the focus is ([`Pane`], [`Overlay`], [`Field`]), the work a mode
//! may ask the event loop for ([`Effect`]), what a mode reads while it
//! handles an action ([`Ctx`]) and what it hands back ([`Outcome`]).
//!
//! A mode is a module that owns its state struct, a
//! `handle(&mut self, &Action, &Ctx) -> Outcome`, its keymap context, its
//! hint line and its hit-testing. It reads the rest of the reader only
//! through [`Ctx`], and changes it only by the [`Outcome`] it returns,
//! which the router ([`super::update`]) applies. So a mode imports neither
//! the app nor another mode.

use super::action::Action;
use crate::annotate::Op;
use crate::entity::{DocId, EntityId};
use crate::index::Index;
use std::ops::Range;

/// The three panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    List,
    Article,
    Xref,
}

/// A view drawn over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Entities,
    Results,
    /// The fuzzy entity picker.
    Picker,
    /// The review queue of suggested links.
    Review,
    /// The journal: warnings, unplaced annotations, notes.
    Journal,
    /// Every spelling of the cross-link panel's entity.
    Names,
    /// The sentences the panel's entity shares with a co-occurring one.
    Shared,
    /// An entity's mentions per month.
    Timeline,
}

/// A text field that is taking typed characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ListFilter,
    EntityFilter,
    Search,
    /// The picker's query.
    Picker,
    /// A one-line answer to a prompt (a new name, a note).
    Prompt,
}

/// Work that `update` asks the event loop to do: it does no I/O itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Record a decision in the journal and apply it.
    Decide(Op),
    Undo,
    Redo,
    /// Count a text's occurrences in the corpus (answered by
    /// `Action::Counted`).
    Count(String),
    /// Search the full text for `query` (answered by `Action::Searched`
    /// batches carrying the same generation). A newer search supersedes it.
    Search {
        generation: u64,
        query: String,
    },
    /// The running search's hits are no longer wanted: stop it.
    StopSearch,
    /// Write the note being typed in the user's editor, starting from this
    /// text (answered by `Action::Edited`).
    EditNote(String),
    /// Try again to open the read-only journal for writing.
    TakeOver,
    /// Try again to write the decisions that are not on disk yet.
    RetrySave,
    /// Count the entities named with `entity` at `level` (answered by
    /// `Action::CoocCounted` carrying the same generation).
    CountCooc {
        generation: u64,
        entity: EntityId,
        level: crate::index::cooc::Level,
    },
    /// Find the units `a` and `b` share at `level` (answered by
    /// `Action::SharedFound`).
    FindShared {
        generation: u64,
        a: EntityId,
        b: EntityId,
        level: crate::index::cooc::Level,
    },
    /// Write the cross-link view of `entity` to a file (answered by
    /// `Action::Exported`).
    Export {
        entity: EntityId,
        level: crate::index::cooc::Level,
        kind: Option<crate::entity::Kind>,
        csv: bool,
    },
}

/// What a mode reads while it handles an action: borrowed, never kept.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    /// `None` until the documents are read.
    pub index: Option<&'a Index>,
    /// How many rows (or lines) the mode shows at once: a page.
    pub page: usize,
    /// The entity in the cross-link panel, if any.
    pub entity: Option<EntityId>,
}

impl<'a> Ctx<'a> {
    pub fn new(index: Option<&'a Index>, page: usize) -> Ctx<'a> {
        Ctx {
            index,
            page: page.max(1),
            entity: None,
        }
    }

    /// The same, knowing the cross-link panel's entity.
    pub fn with_entity(self, entity: Option<EntityId>) -> Ctx<'a> {
        Ctx { entity, ..self }
    }
}

/// What a mode hands back to the router after an action. Anything that
/// changes more than the mode's own state is asked for here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not this mode's action: the router goes on to the global bindings.
    Ignored,
    /// Done, within the mode's own state.
    Consumed,
    /// Say this on the status line.
    Message(String),
    /// Say this on the status line, as an error.
    Error(String),
    /// Say this about the open overlay: it goes when the overlay closes.
    OverlayMessage(String),
    /// Work for the event loop.
    Effect(Effect),
    /// Record this decision in the journal (the router says why not when
    /// it is read-only).
    Decide(Op),
    /// Close the open overlay (a picker or review queue goes with it).
    Close,
    /// Open an overlay.
    Show(Overlay),
    /// Start typing in a text field.
    Input(Field),
    /// The text field is done: keys no longer type.
    EndInput,
    /// Move the focus to a pane.
    Focus(Pane),
    /// Open a document at a byte (else at the top), recording a jump
    /// first when `jump`.
    OpenDoc {
        doc: DocId,
        at: Option<usize>,
        jump: bool,
    },
    /// Show a document in the article unless it is the one shown (a jump
    /// when it is not), and focus the article.
    ReadDoc(DocId),
    /// Mark a range of the open article (a search hit).
    Highlight(Range<usize>),
    /// Scroll the article so that this byte is on screen.
    Reveal(usize),
    /// Put the article's cursor on this mention of the open document.
    Cursor(usize),
    /// Show an entity in the cross-link panel, recording a jump first when
    /// `jump`.
    ShowEntity { entity: EntityId, jump: bool },
    /// Put the cross-link panel on the entity under the article's cursor.
    SyncXref,
    /// Stop marking the last search's hits in the article.
    HideHits,
    /// Open the sentences (or paragraphs, or documents) two entities share.
    Shared {
        a: EntityId,
        b: EntityId,
        level: crate::index::cooc::Level,
    },
    /// The picker chose this entity: the router closes it and carries out
    /// what it was opened for.
    Picked(EntityId),
    /// Narrow the document list to the documents of a month (`YYYY-MM`)
    /// that mention an entity, and focus it.
    ListMonth { entity: EntityId, month: String },
    /// Then this action, through the router.
    Then(Action),
    /// Several of these, in order.
    All(Vec<Outcome>),
}

impl Outcome {
    /// True when the mode took the action.
    pub fn taken(&self) -> bool {
        *self != Outcome::Ignored
    }

    /// This outcome, then `next`.
    pub fn and(self, next: Outcome) -> Outcome {
        match (self, next) {
            (Outcome::Consumed | Outcome::Ignored, n) => n,
            (s, Outcome::Consumed | Outcome::Ignored) => s,
            (Outcome::All(mut v), n) => {
                v.push(n);
                Outcome::All(v)
            }
            (s, n) => Outcome::All(vec![s, n]),
        }
    }
}

/// The new selection of a list of `len` rows after a move, `page` rows at
/// a time; `None` when the action does not move a selection.
pub fn step(action: &Action, selected: usize, len: usize, page: usize) -> Option<usize> {
    let last = len.saturating_sub(1);
    Some(match action {
        Action::Down => (selected + 1).min(last),
        Action::Up => selected.saturating_sub(1),
        Action::PageDown => (selected + page.max(1)).min(last),
        Action::PageUp => selected.saturating_sub(page.max(1)),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

/// True when every word of `filter` occurs in `s`, ignoring case.
pub fn matches_words(s: &str, filter: &str) -> bool {
    let s = s.to_lowercase();
    filter
        .to_lowercase()
        .split_whitespace()
        .all(|w| s.contains(w))
}

/// An offset that shows `selected` among `visible` rows of `len`.
/// A click on row `hit` of a mode's list: selects it, and says whether it
/// was selected already (a second click on a row opens it, as Enter does).
pub fn click_row(hit: Option<usize>, selected: &mut usize) -> bool {
    let Some(i) = hit else {
        return false;
    };
    let again = *selected == i;
    *selected = i;
    again
}

pub fn keep_in_view(offset: usize, selected: usize, visible: usize, len: usize) -> usize {
    let visible = visible.max(1);
    let mut offset = offset.min(len.saturating_sub(visible));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + visible {
        offset = selected + 1 - visible;
    }
    offset
}
