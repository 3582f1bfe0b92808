//! The reader's state: plain data, changed only by
//! [`crate::tui::update::update`] and read by the views.

pub use super::answer::Count;
pub use super::article::Article;
pub use super::browser::{Browser, SortBy};
pub use super::cooc::CoocPanel;
pub use super::help::Help;
pub use super::journal::{JournalInfo, JournalOverlay, RECENT_DECISIONS};
pub use super::jumps::{JumpList, Location};
pub use super::list::DocList;
pub use super::mode::{Effect, Field, Overlay, Pane};
pub use super::names::Names;
pub use super::picker::{PickFor, Picker};
pub use super::prompt::{Confirm, ConfirmCount, ConfirmWhat, KindFor, Prompt, TextFor};
pub use super::review::{Review, ReviewStep};
pub use super::search::{Hit, SEARCH_LIMIT, Search, SearchBatch};
pub use super::shared::Shared;
pub use super::subject::Subject;
pub use super::timeline::Timeline;
pub use super::visual::Visual;
pub use super::xref::{Places, Xref, XrefItem};

use crate::entity::{Mention, Progress};
use crate::index::Index;
pub use crate::index::query::{PickRow, ReviewItem};

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
    /// Labels the entity browser shows (how the corpus writes each
    /// entity), made for the rows it has shown; cleared when the index
    /// changes.
    pub labels: std::collections::HashMap<crate::entity::EntityId, crate::index::EntityLabel>,
    /// The names view.
    pub names: Names,
    /// The shared-sentences view.
    pub shared: Shared,
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
            labels: Default::default(),
            names: Names::default(),
            shared: Shared::default(),
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
