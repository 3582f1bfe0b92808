//! The reader's state: plain data, changed only by
//! [`crate::tui::update::update`] and read by the views.

pub use super::browser::{Browser, SortBy};
pub use super::help::Help;
pub use super::journal::{JournalInfo, JournalOverlay, RECENT_DECISIONS};
pub use super::list::DocList;
pub use super::mode::{Effect, Field, Overlay, Pane};
pub use super::search::{Hit, SEARCH_LIMIT, Search, SearchBatch};
pub use super::timeline::Timeline;
use crate::annotate::{NoteTarget, Op};
use crate::entity::{DocId, EntityId, Kind, Mention, Progress, Source};
pub use crate::index::query::{PickRow, ReviewItem};
use crate::index::{EntityCount, Index};
use std::ops::Range;

/// How far the background indexing has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadState {
    Loading(Option<Progress>),
    Ready,
    Failed(String),
}

/// A line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
    /// The overlay the message is about: it goes when the overlay closes.
    pub overlay: Option<Overlay>,
}

/// The open article, wrapped to the pane, with the mention cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub doc: Option<DocId>,
    /// Index into the document's mentions ([`Index::doc_mentions`]).
    pub cursor: Option<usize>,
    /// The first screen line shown.
    pub scroll: usize,
    /// A search hit to mark.
    pub highlight: Option<Range<usize>>,
    /// Byte ranges of the screen lines, for `wrap_width`.
    pub lines: Vec<Range<usize>>,
    pub wrap_width: usize,
    /// The byte the top line was wrapped around the last time: kept while
    /// the reader does not scroll, so that resizes back and forth come back
    /// to the same top line.
    pub anchor: Option<usize>,
}

impl Article {
    /// The screen line that shows byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|r| r.start <= offset)
            .saturating_sub(1)
    }
}

/// One selectable row of the cross-link panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrefItem {
    /// `docs[i]`: the entity's mentions in one document.
    Doc(usize),
    /// `mentions[i]`: one mention, shown in context.
    Mention(usize),
    /// `cooc[i]`: an entity that shares documents with this one.
    Cooc(usize),
}

/// The cross-link panel for one entity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Xref {
    pub entity: Option<EntityId>,
    /// (document, number of mentions), in corpus order.
    pub docs: Vec<(DocId, u32)>,
    /// Every mention, in (document, start) order: their places in the
    /// index, shared with it (an entity named a million times is not
    /// copied).
    pub mentions: Places,
    pub cooc: Vec<EntityCount>,
    /// The co-occurring entities are not counted yet: the entity is named
    /// so often that they are counted only when the list comes near them.
    pub cooc_pending: bool,
    /// Surface forms seen, most frequent first.
    pub aliases: Vec<(String, u32)>,
    /// Index over docs, then mentions, then co-occurring entities.
    pub selected: usize,
    pub docs_offset: usize,
    pub list_offset: usize,
}

/// Mentions as places in an index: (document, position in its mentions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places(pub std::sync::Arc<[(DocId, u32)]>);

impl Places {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The `i`-th mention, as `index` has it.
    pub fn get(&self, i: usize, index: &Index) -> Option<Mention> {
        let &(d, k) = self.0.get(i)?;
        index.doc_mentions(d).get(k as usize).copied()
    }

    /// How many of the mentions come before `(doc, start)` (or at it, with
    /// `inclusive`).
    pub fn count_before(&self, index: &Index, doc: DocId, start: u32, inclusive: bool) -> usize {
        let key = |&(d, k): &(DocId, u32)| {
            let s = index.doc_mentions(d).get(k as usize).map_or(0, |m| m.start);
            (d, s)
        };
        if inclusive {
            self.0.partition_point(|p| key(p) <= (doc, start))
        } else {
            self.0.partition_point(|p| key(p) < (doc, start))
        }
    }
}

impl Xref {
    pub fn len(&self) -> usize {
        self.docs.len() + self.mentions.len() + self.cooc.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn item(&self, i: usize) -> Option<XrefItem> {
        let (d, m) = (self.docs.len(), self.mentions.len());
        if i < d {
            Some(XrefItem::Doc(i))
        } else if i < d + m {
            Some(XrefItem::Mention(i - d))
        } else if i < self.len() {
            Some(XrefItem::Cooc(i - d - m))
        } else {
            None
        }
    }

    pub fn selected_item(&self) -> Option<XrefItem> {
        self.item(self.selected)
    }

    /// The row of a mention, if it is one of this entity's.
    pub fn mention_row(&self, index: &Index, doc: DocId, start: u32) -> Option<usize> {
        let i = self.mentions.count_before(index, doc, start, false);
        let m = self.mentions.get(i, index)?;
        ((m.doc, m.start) == (doc, start)).then_some(self.docs.len() + i)
    }
}

/// A place the jump list can return to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub doc: DocId,
    /// The start of the mention under the cursor, or of the first line shown.
    pub offset: usize,
    pub scroll: usize,
    /// The entity in the cross-link panel.
    pub entity: Option<EntityId>,
}

/// vim's jump list: `Ctrl-o` goes back, `Ctrl-i` forward.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JumpList {
    pub entries: Vec<Location>,
    /// The entry we are at; `entries.len()` when newer than all of them.
    pub pos: usize,
}

/// A span of the open article selected for annotation (visual mode). Both
/// ends are byte offsets into the document's text, on grapheme boundaries;
/// the motions move the *active* end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visual {
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
    /// The start moves (after `o`) rather than the end.
    pub start_active: bool,
}

impl Visual {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// What a span decision is about: a span of a document, its text, and the
/// mention at exactly that span if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub doc: DocId,
    pub range: Range<usize>,
    /// The text as it stands in the document.
    pub exact: String,
    /// The text with white space folded, as it is named and linked.
    pub text: String,
    pub mention: Option<Mention>,
}

/// How often a text occurs in the corpus, as linking it everywhere would
/// find it. Counted off the UI thread; `result` is `None` until then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub text: String,
    /// (occurrences, documents).
    pub result: Option<(usize, usize)>,
}

/// What the picker chooses an entity for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickFor {
    /// Link this span (and, after confirmation, every occurrence of its text).
    Link(Subject),
    /// Merge the entity with this id into the one picked.
    Merge { from: String },
}

/// The fuzzy entity picker: names and aliases of every entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub purpose: PickFor,
    pub query: String,
    /// Best first.
    pub rows: Vec<PickRow>,
    pub selected: usize,
    pub offset: usize,
}

/// What a kind is chosen for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindFor {
    /// Tag the span as a new entity of that kind.
    Tag(Subject),
    /// Change the kind of the entity with this id.
    SetKind { entity: String },
}

/// What a line of text is typed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFor {
    Rename {
        entity: String,
    },
    /// A note; `Tab` cycles through the targets (label, target).
    Note {
        targets: Vec<(String, NoteTarget)>,
        which: usize,
    },
}

/// How many things a confirmation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmCount {
    /// The corpus-wide count of the subject's text ([`App::count`]).
    Corpus,
    Known(usize),
}

/// What is being confirmed, for the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmWhat {
    Link {
        text: String,
        entity: String,
    },
    Tag {
        text: String,
        kind: Kind,
    },
    Accept {
        text: String,
        entity: String,
    },
    Reject {
        text: String,
        entity: String,
        /// How the mention was linked: rejecting a suggestion reads
        /// differently from rejecting a link the knowledge base made.
        source: Source,
    },
    Merge {
        from: String,
        into: String,
    },
    Split {
        alias: String,
        entity: String,
        kind: Kind,
    },
}

/// A question with one key to confirm: Enter applies `all` (every
/// occurrence; one decision, one undo step), `1` applies `one` (this span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub what: ConfirmWhat,
    pub all: Option<Op>,
    pub one: Option<Op>,
    pub count: ConfirmCount,
    /// The text whose corpus-wide count is shown.
    pub text: String,
}

/// A question in the prompt box above the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Confirm(Box<Confirm>),
    Kind(KindFor),
    Text {
        purpose: TextFor,
        value: String,
    },
    /// Quitting with decisions that are not on disk ([`JournalInfo::pending`]):
    /// retry the write, quit anyway, or stay. `retrying` while the retry
    /// is on its way to the workspace.
    Quit {
        retrying: bool,
    },
}

/// What was done with a suggestion in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStep {
    Accepted,
    Rejected,
    Skipped,
}

/// The review queue: suggestions, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub items: Vec<ReviewItem>,
    pub pos: usize,
    /// The steps taken, so Backspace can go back.
    pub history: Vec<(usize, ReviewStep)>,
    pub accepted: usize,
    pub rejected: usize,
    pub skipped: usize,
    /// Bulk accepts: (the history's length after it, the later suggestions
    /// it took out of the queue, with their places), so that Backspace can
    /// put them back.
    pub bulk: Vec<(usize, Vec<(usize, ReviewItem)>)>,
}

impl Review {
    pub fn current(&self) -> Option<&ReviewItem> {
        self.items.get(self.pos)
    }
}

/// Everything the reader shows.
#[derive(Debug, Clone)]
pub struct App {
    /// `None` until background indexing finishes.
    pub index: Option<Index>,
    pub load: LoadState,
    /// What was opened, for titles and messages.
    pub corpus_name: String,
    pub width: u16,
    pub height: u16,
    pub focus: Pane,
    /// The focused pane has the whole screen (`z`).
    pub zoom: bool,
    pub overlay: Option<Overlay>,
    /// The text field taking typed characters, if any.
    pub input: Option<Field>,
    pub list: DocList,
    pub article: Article,
    pub xref: Xref,
    pub browser: Browser,
    pub search: Search,
    /// The timeline view's entity and months.
    pub timeline: Timeline,
    /// The text (as a key) that `t` last offered to link to the entity it
    /// already names: `t` again on it tags a new entity anyway.
    pub tag_offered: Option<String>,
    pub help: Help,
    pub jumps: JumpList,
    pub message: Option<Message>,
    /// Counts messages, so that the event loop can time each one out.
    pub message_seq: u64,
    /// The first key of an unfinished chord, shown in the status bar.
    pub pending_keys: String,
    pub mouse: bool,
    pub quit: bool,
    /// The event loop should suspend the process (Ctrl-Z).
    pub suspend: bool,
    /// The event loop should repaint every cell.
    pub redraw: bool,
    /// The selection of visual mode.
    pub visual: Option<Visual>,
    /// A question above the status line.
    pub prompt: Option<Prompt>,
    pub picker: Option<Picker>,
    pub review: Option<Review>,
    pub journal: JournalInfo,
    /// The journal view's place.
    pub journal_overlay: JournalOverlay,
    /// The corpus-wide count of the selected text.
    pub count: Option<Count>,
    /// Work for the event loop, taken after every update.
    pub effects: Vec<Effect>,
    /// Decisions, undos and redos sent and not yet answered.
    pub in_flight: usize,
}

impl App {
    pub fn new(corpus_name: impl Into<String>, width: u16, height: u16) -> App {
        App {
            index: None,
            load: LoadState::Loading(None),
            corpus_name: corpus_name.into(),
            width,
            height,
            focus: Pane::List,
            zoom: false,
            overlay: None,
            input: None,
            list: DocList::default(),
            article: Article::default(),
            xref: Xref::default(),
            browser: Browser::default(),
            search: Search::default(),
            timeline: Timeline::default(),
            tag_offered: None,
            help: Help::default(),
            jumps: JumpList::default(),
            message: None,
            message_seq: 0,
            pending_keys: String::new(),
            mouse: false,
            quit: false,
            suspend: false,
            redraw: false,
            visual: None,
            prompt: None,
            picker: None,
            review: None,
            journal: JournalInfo::default(),
            journal_overlay: JournalOverlay::default(),
            count: None,
            effects: Vec::new(),
            in_flight: 0,
        }
    }

    pub fn set_message(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
            overlay: None,
        });
        self.message_seq += 1;
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
            overlay: None,
        });
        self.message_seq += 1;
    }

    /// A message about what the open overlay shows (“Sorted by kind”): it
    /// is cleared as soon as that overlay closes.
    pub fn set_overlay_message(&mut self, text: impl Into<String>) {
        self.set_message(text);
        if let Some(m) = self.message.as_mut() {
            m.overlay = self.overlay;
        }
    }

    /// The mention under the article's cursor.
    pub fn cursor_mention(&self) -> Option<Mention> {
        let index = self.index.as_ref()?;
        let doc = self.article.doc?;
        index.doc_mentions(doc).get(self.article.cursor?).copied()
    }
}
