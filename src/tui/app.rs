//! The reader's state: plain data, changed only by
//! [`crate::tui::update::update`] and read by the views.

use crate::entity::{DocId, EntityId, Mention, Progress};
use crate::index::{EntityCount, Index};
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
}

/// A text field that is taking typed characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ListFilter,
    EntityFilter,
    Search,
}

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
}

/// The document list: every document, narrowed by a title filter and by
/// entities that must all be mentioned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocList {
    pub title_filter: String,
    pub entities: Vec<EntityId>,
    /// The documents shown, in corpus order.
    pub rows: Vec<DocId>,
    pub selected: usize,
    pub offset: usize,
}

impl DocList {
    pub fn selected_doc(&self) -> Option<DocId> {
        self.rows.get(self.selected).copied()
    }

    pub fn is_filtered(&self) -> bool {
        !self.title_filter.is_empty() || !self.entities.is_empty()
    }
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
    /// Every mention, in (document, start) order.
    pub mentions: Vec<Mention>,
    pub cooc: Vec<EntityCount>,
    /// Surface forms seen, most frequent first.
    pub aliases: Vec<(String, u32)>,
    /// Index over docs, then mentions, then co-occurring entities.
    pub selected: usize,
    pub docs_offset: usize,
    pub list_offset: usize,
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
    pub fn mention_row(&self, doc: DocId, start: u32) -> Option<usize> {
        self.mentions
            .binary_search_by_key(&(doc, start), |m| (m.doc, m.start))
            .ok()
            .map(|i| self.docs.len() + i)
    }
}

/// How the entity browser is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Mentions,
    Docs,
    Kind,
    Name,
}

impl SortBy {
    pub fn next(self) -> SortBy {
        match self {
            SortBy::Mentions => SortBy::Docs,
            SortBy::Docs => SortBy::Kind,
            SortBy::Kind => SortBy::Name,
            SortBy::Name => SortBy::Mentions,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortBy::Mentions => "mentions",
            SortBy::Docs => "documents",
            SortBy::Kind => "kind",
            SortBy::Name => "name",
        }
    }
}

/// The entity browser: every mentioned entity, sorted and filtered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Browser {
    pub filter: String,
    pub sort: SortBy,
    pub rows: Vec<EntityId>,
    pub selected: usize,
    pub offset: usize,
}

/// A full-text search hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
}

/// The full-text search and its results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// What is being typed.
    pub query: String,
    /// The query the hits are for.
    pub ran: String,
    pub hits: Vec<Hit>,
    /// True when the hits stop at [`SEARCH_LIMIT`].
    pub truncated: bool,
    pub selected: usize,
    pub offset: usize,
}

/// A full-text search stops after this many hits.
pub const SEARCH_LIMIT: usize = 10_000;

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
    pub overlay: Option<Overlay>,
    /// The text field taking typed characters, if any.
    pub input: Option<Field>,
    pub list: DocList,
    pub article: Article,
    pub xref: Xref,
    pub browser: Browser,
    pub search: Search,
    pub help_scroll: usize,
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
            overlay: None,
            input: None,
            list: DocList::default(),
            article: Article::default(),
            xref: Xref::default(),
            browser: Browser::default(),
            search: Search::default(),
            help_scroll: 0,
            jumps: JumpList::default(),
            message: None,
            message_seq: 0,
            pending_keys: String::new(),
            mouse: false,
            quit: false,
            suspend: false,
            redraw: false,
        }
    }

    pub fn set_message(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
        self.message_seq += 1;
    }

    pub fn set_error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
        self.message_seq += 1;
    }

    /// The mention under the article's cursor.
    pub fn cursor_mention(&self) -> Option<Mention> {
        let index = self.index.as_ref()?;
        let doc = self.article.doc?;
        index.doc_mentions(doc).get(self.article.cursor?).copied()
    }
}
