//! Everything the user can ask the reader to do. Keys become actions through
//! the keymap; mouse, resize and typing become actions in the event loop.
//! [`crate::tui::update::update`] is the only place that acts on them.

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
    /// Cycle the entity browser's sort order.
    Sort,

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
    /// Background indexing has come this far.
    Progress(crate::entity::Progress),
}

/// The actions a user may bind, with the names used in the config file.
pub const BINDABLE: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("search", Action::Search),
    ("entities", Action::Entities),
    ("toggle_xref", Action::ToggleXref),
    ("focus_left", Action::FocusLeft),
    ("focus_right", Action::FocusRight),
    ("jump_back", Action::JumpBack),
    ("jump_forward", Action::JumpForward),
    ("mark_entity", Action::MarkEntity),
    ("clear_filters", Action::ClearFilters),
    ("suspend", Action::Suspend),
    ("redraw", Action::Redraw),
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
}
