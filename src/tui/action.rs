//! Everything the user can ask the reader to do. Keys become actions through
//! the keymap; mouse, resize and typing become actions in the event loop.
//! [`crate::tui::update::update`] is the only place that acts on them.

use crate::entity::Kind;

/// One change the user asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    /// Start a full-text search.
    Search,
    /// Open the entity browser.
    Entities,
    /// Move focus to the cross-link panel, or back to the article.
    ToggleXref,
    /// Give the focused pane the whole screen, or give the others back.
    Zoom,
    FocusLeft,
    FocusRight,
    JumpBack,
    JumpForward,
    /// Add the selected entity to the document-list filter, or remove it.
    MarkEntity,
    /// Drop every document-list filter.
    ClearFilters,
    Suspend,
    Redraw,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    /// Enter: open what is selected.
    Open,
    /// Esc: close, clear or go back.
    Back,
    /// Start typing a filter for the focused list.
    Filter,
    NextMention,
    PrevMention,
    NextSame,
    PrevSame,
    NextSection,
    PrevSection,
    /// Cycle the sort order of the entity browser or the document list.
    Sort,
    /// Cross-links: every spelling of the entity, with counts and documents.
    Names,
    /// Cross-links: count co-occurrence by the next level (sentence,
    /// paragraph, document).
    CoocLevel,
    /// Cross-links: show co-occurring entities of the next kind only.
    CoocKind,
    /// Cross-links: write the view to `<entity-id>.md`.
    ExportMarkdown,
    /// Cross-links: write the view to `<entity-id>.csv` and
    /// `<entity-id>.cooc.csv`.
    ExportCsv,
    /// Shared sentences: show the other entity in the cross-link panel.
    ShowOther,
    /// The next hit of the last search, in the open article or the
    /// documents after it.
    NextHit,
    /// The previous hit of the last search, in the open article or the
    /// documents before it.
    PrevHit,
    /// The selected entity's mentions per month (the timeline view).
    Timeline,

    // Annotation.
    /// Visual mode: select text, starting at the word under the cursor.
    Visual,
    /// Select the mention, name or word under the cursor in one key.
    SelectName,
    /// Visual mode: the moving end goes one word on (right).
    ExtendWord,
    /// Visual mode: the moving end goes one word back (left).
    ExtendWordLeft,
    /// Visual mode: the moving end goes one character right.
    ExtendChar,
    /// Visual mode: the moving end goes one character left.
    ShrinkChar,
    /// Visual mode: the other end moves from now on.
    SwapEnds,
    /// Visual mode: select the next word instead.
    NextWord,
    /// Visual mode: select the previous word instead.
    PrevWord,
    /// Visual mode: select the word on the line below.
    LineDown,
    /// Visual mode: select the word on the line above.
    LineUp,
    /// Tag the selection as a new entity (a kind is asked for).
    Tag,
    /// Link the selection to an entity chosen in the picker.
    Link,
    /// This span is not a mention.
    RejectMention,
    /// Accept the suggested link of the mention, for every occurrence.
    AcceptLink,
    /// The mention's text is never its entity, anywhere.
    RejectLink,
    Rename,
    SetKind,
    /// Merge the entity into one chosen in the picker.
    Merge,
    /// Split the mention's alias off its entity as a new entity.
    Split,
    /// Attach a note to the mention, the entity or the document.
    Note,
    Undo,
    Redo,
    /// Open the review queue of suggested links.
    Review,
    /// Show the journal: warnings, unplaced annotations, notes.
    Journal,
    /// Read-only: take the journal over if the other instance has quit.
    TakeOver,
    /// Prompt: apply to every occurrence.
    ConfirmAll,
    /// Prompt: apply to this occurrence only.
    ConfirmOne,
    /// Prompt: this kind.
    ChooseKind(crate::entity::Kind),
    /// Review: accept the suggestion.
    ReviewAccept,
    /// Review: accept it and every later suggestion of its kind (source),
    /// as one decision.
    ReviewAcceptAll,
    /// Review: reject the suggestion.
    ReviewReject,
    /// Review: skip the suggestion.
    ReviewSkip,
    /// Review: undo the last decision and step back.
    ReviewBack,

    // Not bindable: produced by the event loop.
    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// A character typed into the active text field.
    InputChar(char),
    /// Text pasted into the active text field.
    Paste(String),
    InputBackspace,
    /// Clear the active text field.
    InputClear,
    /// Enter in a text field.
    InputAccept,
    /// Esc in a text field.
    InputCancel,
    /// A left click at (column, row), when the mouse is on.
    Click(u16, u16),
    /// The wheel at (column, row): `true` scrolls down.
    Wheel(u16, u16, bool),
    /// A status message timed out.
    ClearMessage,
    /// Tab in a text field (the note prompt cycles its target).
    InputTab,
    /// Ctrl-e in a text field: write the note in `$VISUAL` / `$EDITOR`.
    InputEditor,
    /// The editor is done: the note it saved, or why there is none.
    Edited(Result<String, String>),
    /// A text occurs this many times in this many documents.
    Counted(String, usize, usize),
    /// Background indexing has come this far.
    Progress(crate::entity::Progress),
    /// Hits of a full-text search running in the background.
    Searched(crate::tui::answer::SearchBatch),
    /// The documents are read (more may follow); the engine is at work.
    Listed(Answer<crate::index::Index>),
    /// The corpus is indexed, or indexing failed.
    Indexed(Answer<Result<crate::index::Index, String>>),
    /// The annotation journal is open (or could not be).
    JournalReady(Answer<crate::tui::answer::JournalInfo>),
    /// The workspace carried out a decision, undo or redo.
    Applied(Answer<crate::tui::answer::Applied>),
    /// A decision could not be handed to the workspace (no journal open).
    NotSent,
    /// Co-occurrence counts for the cross-link panel.
    CoocCounted(Answer<crate::tui::answer::CoocCounts>),
    /// The units a pair shares, for the shared-sentences view.
    SharedFound(Answer<crate::tui::answer::SharedFound>),
    /// An export was written (where), or not (why).
    Exported(Result<String, String>),
    /// In the question on quitting with unsaved decisions: write them
    /// again, and quit if that works (keys fixed, see
    /// [`crate::tui::keymap::Context::Quit`]).
    RetrySave,
    /// Quit without asking, even with unsaved decisions: a signal or a
    /// terminal gone (the workspace still makes a last attempt to write).
    ForceQuit,
}

/// A worker's answer carried by an action to [`crate::tui::update::update`]:
/// compared by identity (so that actions stay comparable), and taken once.
pub struct Answer<T>(std::sync::Arc<std::sync::Mutex<Option<T>>>);

impl<T> Clone for Answer<T> {
    fn clone(&self) -> Self {
        Answer(std::sync::Arc::clone(&self.0))
    }
}

impl<T> Answer<T> {
    pub fn new(value: T) -> Answer<T> {
        Answer(std::sync::Arc::new(std::sync::Mutex::new(Some(value))))
    }

    /// The value, the first time only.
    pub fn take(&self) -> Option<T> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    }
}

impl<T> PartialEq for Answer<T> {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> Eq for Answer<T> {}

impl<T> std::fmt::Debug for Answer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Answer(..)")
    }
}

/// The actions a user may bind, with the names used in the config file.
pub const BINDABLE: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("search", Action::Search),
    ("entities", Action::Entities),
    ("toggle_xref", Action::ToggleXref),
    ("zoom", Action::Zoom),
    ("focus_left", Action::FocusLeft),
    ("focus_right", Action::FocusRight),
    ("jump_back", Action::JumpBack),
    ("jump_forward", Action::JumpForward),
    ("mark_entity", Action::MarkEntity),
    ("clear_filters", Action::ClearFilters),
    ("suspend", Action::Suspend),
    ("redraw", Action::Redraw),
    ("input_accept", Action::InputAccept),
    ("input_cancel", Action::InputCancel),
    ("input_backspace", Action::InputBackspace),
    ("input_clear", Action::InputClear),
    ("input_tab", Action::InputTab),
    ("input_editor", Action::InputEditor),
    ("down", Action::Down),
    ("up", Action::Up),
    ("page_down", Action::PageDown),
    ("page_up", Action::PageUp),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("open", Action::Open),
    ("back", Action::Back),
    ("filter", Action::Filter),
    ("next_mention", Action::NextMention),
    ("prev_mention", Action::PrevMention),
    ("next_same", Action::NextSame),
    ("prev_same", Action::PrevSame),
    ("next_section", Action::NextSection),
    ("prev_section", Action::PrevSection),
    ("sort", Action::Sort),
    ("names", Action::Names),
    ("cooc_level", Action::CoocLevel),
    ("cooc_kind", Action::CoocKind),
    ("export_markdown", Action::ExportMarkdown),
    ("export_csv", Action::ExportCsv),
    ("show_other", Action::ShowOther),
    ("next_hit", Action::NextHit),
    ("prev_hit", Action::PrevHit),
    ("timeline", Action::Timeline),
    ("visual", Action::Visual),
    ("select", Action::SelectName),
    ("extend_word", Action::ExtendWord),
    ("extend_word_left", Action::ExtendWordLeft),
    ("extend_char", Action::ExtendChar),
    ("shrink_char", Action::ShrinkChar),
    ("swap_ends", Action::SwapEnds),
    ("next_word", Action::NextWord),
    ("prev_word", Action::PrevWord),
    ("line_down", Action::LineDown),
    ("line_up", Action::LineUp),
    ("tag", Action::Tag),
    ("link", Action::Link),
    ("reject_mention", Action::RejectMention),
    ("accept_link", Action::AcceptLink),
    ("reject_link", Action::RejectLink),
    ("rename", Action::Rename),
    ("set_kind", Action::SetKind),
    ("merge", Action::Merge),
    ("split", Action::Split),
    ("note", Action::Note),
    ("undo", Action::Undo),
    ("redo", Action::Redo),
    ("review", Action::Review),
    ("journal", Action::Journal),
    ("take_over", Action::TakeOver),
    ("confirm_all", Action::ConfirmAll),
    ("confirm_one", Action::ConfirmOne),
    ("kind_group", Action::ChooseKind(Kind::Group)),
    ("kind_event", Action::ChooseKind(Kind::Event)),
    ("kind_person", Action::ChooseKind(Kind::Person)),
    ("kind_org", Action::ChooseKind(Kind::Org)),
    ("kind_place", Action::ChooseKind(Kind::Place)),
    ("kind_other", Action::ChooseKind(Kind::Other)),
    ("review_accept", Action::ReviewAccept),
    ("review_accept_all", Action::ReviewAcceptAll),
    ("review_reject", Action::ReviewReject),
    ("review_skip", Action::ReviewSkip),
    ("review_back", Action::ReviewBack),
];

impl Action {
    /// The action a config file names, if any.
    pub fn from_name(name: &str) -> Option<Action> {
        BINDABLE
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| a.clone())
    }

    /// The config-file name of a bindable action.
    pub fn name(&self) -> Option<&'static str> {
        BINDABLE.iter().find(|(_, a)| a == self).map(|(n, _)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for (name, action) in BINDABLE {
            assert_eq!(Action::from_name(name).as_ref(), Some(action));
            assert_eq!(action.name(), Some(*name));
        }
        assert_eq!(Action::from_name("nope"), None);
    }

    #[test]
    fn an_answer_is_taken_once_and_equal_only_to_itself() {
        let a = Answer::new(7);
        let same = a.clone();
        assert_eq!(Action::NotSent, Action::NotSent);
        assert_eq!(a, same);
        assert_ne!(a, Answer::new(7));
        assert_eq!(same.take(), Some(7));
        assert_eq!(a.take(), None);
    }
}
