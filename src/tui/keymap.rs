//! The keymap: a data table of bindings, each with a description, that the
//! help screen is generated from. Bindings belong to a [`Context`]; the
//! focused pane or open overlay is asked first, then [`Context::Global`].
//! A user's config file patches the table (see [`crate::tui::config`]).

use super::action::Action;
use crate::entity::Kind;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::fmt;

/// One key press, normalised so that `N` is `N` whether or not the terminal
/// also reports Shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    pub const fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    pub const fn ctrl(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// The key of a crossterm key event.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) => {
                // Shift is already in the character ('N', '?', '#').
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Parses a key sequence such as `j`, `gg`, `<C-o>`, `<S-Tab>` or
    /// `<PageDown>`. Spaces separate keys and are otherwise ignored; the
    /// space bar is `<Space>` and `<` is `<lt>`.
    pub fn parse_seq(s: &str) -> Result<Vec<Key>, String> {
        let out = Key::parse_keys(s)?;
        if out.len() > 2 {
            return Err(format!("key sequence {s:?} is longer than two keys"));
        }
        Ok(out)
    }

    /// Parses any number of keys in the notation of [`Key::parse_seq`],
    /// for scripted key presses (`"jjj<Enter>nn"`).
    pub fn parse_keys(s: &str) -> Result<Vec<Key>, String> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if c == ' ' {
                rest = &rest[1..];
                continue;
            }
            if c == '<'
                && let Some(end) = rest.find('>')
                && end > 1
            {
                out.push(Key::parse_named(&rest[1..end])?);
                rest = &rest[end + 1..];
                continue;
            }
            out.push(Key::char(c));
            rest = &rest[c.len_utf8()..];
        }
        if out.is_empty() {
            return Err(format!("empty key {s:?}"));
        }
        Ok(out)
    }

    fn parse_named(name: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = name;
        loop {
            let lower = rest.to_ascii_lowercase();
            if let Some(r) = lower.strip_prefix("c-") {
                mods |= KeyModifiers::CONTROL;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower
                .strip_prefix("a-")
                .or_else(|| lower.strip_prefix("m-"))
            {
                mods |= KeyModifiers::ALT;
                rest = &rest[rest.len() - r.len()..];
            } else if let Some(r) = lower.strip_prefix("s-") {
                mods |= KeyModifiers::SHIFT;
                rest = &rest[rest.len() - r.len()..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "cr" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "lt" => KeyCode::Char('<'),
            "gt" => KeyCode::Char('>'),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" | "bs" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            f if f.len() >= 2
                && f.starts_with('f')
                && let Ok(n) = f[1..].parse::<u8>()
                && (1..=24).contains(&n) =>
            {
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => {
                        if mods.contains(KeyModifiers::CONTROL) {
                            KeyCode::Char(c.to_ascii_lowercase())
                        } else if mods.contains(KeyModifiers::SHIFT) {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(c.to_ascii_uppercase())
                        } else {
                            KeyCode::Char(c)
                        }
                    }
                    _ => return Err(format!("unknown key <{name}>")),
                }
            }
        };
        if let KeyCode::Char(_) = code {
            mods.remove(KeyModifiers::SHIFT);
        }
        Ok(Key { code, mods })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = match self.code {
            KeyCode::Char(' ') => Some("Space".to_string()),
            KeyCode::Char('<') => Some("lt".to_string()),
            KeyCode::Char(c) => {
                if self.mods.is_empty() {
                    return write!(f, "{c}");
                }
                Some(c.to_string())
            }
            KeyCode::Enter => Some("Enter".into()),
            KeyCode::Esc => Some("Esc".into()),
            KeyCode::Tab => Some("Tab".into()),
            KeyCode::BackTab => Some("S-Tab".into()),
            KeyCode::Up => Some("Up".into()),
            KeyCode::Down => Some("Down".into()),
            KeyCode::Left => Some("Left".into()),
            KeyCode::Right => Some("Right".into()),
            KeyCode::PageUp => Some("PageUp".into()),
            KeyCode::PageDown => Some("PageDown".into()),
            KeyCode::Home => Some("Home".into()),
            KeyCode::End => Some("End".into()),
            KeyCode::Backspace => Some("Backspace".into()),
            KeyCode::Delete => Some("Delete".into()),
            KeyCode::Insert => Some("Insert".into()),
            KeyCode::F(n) => Some(format!("F{n}")),
            _ => None,
        };
        let mut prefix = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            prefix.push_str("C-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            prefix.push_str("A-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            prefix.push_str("S-");
        }
        match named {
            Some(n) => write!(f, "<{prefix}{n}>"),
            None => write!(f, "<{prefix}?>"),
        }
    }
}

/// Writes a key sequence in the notation [`Key::parse_seq`] reads.
pub fn seq_to_string(keys: &[Key]) -> String {
    keys.iter().map(Key::to_string).collect()
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Global,
    List,
    Article,
    Xref,
    Entities,
    Results,
    Help,
    /// The article with a selection (visual mode).
    Visual,
    /// A question above the status line: confirm, or choose a kind. Only
    /// its own keys apply.
    Prompt,
    Review,
    Journal,
    /// An entity's mentions per month.
    Timeline,
    /// Typing into a text field: a filter, the search, the picker's query,
    /// an answer. A printable key with no binding here types itself.
    Input,
    /// The question on quitting with decisions not on disk (a full disk).
    /// Its keys are not configurable: the question names them.
    Quit,
    /// Every spelling of the cross-link panel's entity.
    Names,
    /// The sentences a pair of entities shares.
    Shared,
}

impl Context {
    pub const ALL: [Context; 16] = [
        Context::Global,
        Context::List,
        Context::Article,
        Context::Xref,
        Context::Names,
        Context::Shared,
        Context::Entities,
        Context::Results,
        Context::Help,
        Context::Visual,
        Context::Prompt,
        Context::Review,
        Context::Journal,
        Context::Timeline,
        Context::Input,
        Context::Quit,
    ];

    /// The name used in the config file (`[keys.article]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Article => "article",
            Context::Xref => "xref",
            Context::Entities => "entities",
            Context::Results => "results",
            Context::Help => "help",
            Context::Visual => "visual",
            Context::Prompt => "prompt",
            Context::Review => "review",
            Context::Journal => "journal",
            Context::Timeline => "timeline",
            Context::Input => "input",
            Context::Quit => "quit",
            Context::Names => "names",
            Context::Shared => "shared",
        }
    }

    /// The heading used on the help screen.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "Document list",
            Context::Article => "Article",
            Context::Xref => "Cross-link panel",
            Context::Entities => "Entity browser",
            Context::Results => "Search results",
            Context::Help => "Help",
            Context::Visual => "Selection (visual mode)",
            Context::Prompt => "Questions (confirm, choose a kind)",
            Context::Review => "Review queue",
            Context::Journal => "Journal",
            Context::Timeline => "Timeline (an entity's mentions per month)",
            Context::Input => "Typing (filters, search, the picker, prompts)",
            Context::Quit => "Quitting with unsaved decisions (a full disk)",
            Context::Names => "Names of an entity",
            Context::Shared => "Shared sentences",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// A default binding: keys, where, what, and what it is for.
pub struct DefaultBinding {
    pub context: Context,
    pub keys: &'static [&'static str],
    pub action: Action,
    pub desc: &'static str,
}

const fn b(
    context: Context,
    keys: &'static [&'static str],
    action: Action,
    desc: &'static str,
) -> DefaultBinding {
    DefaultBinding {
        context,
        keys,
        action,
        desc,
    }
}

/// The default keymap. vim keys and arrow keys both work.
pub const DEFAULT_BINDINGS: &[DefaultBinding] = &[
    b(Context::Global, &["j", "<Down>"], Action::Down, "Move down"),
    b(Context::Global, &["k", "<Up>"], Action::Up, "Move up"),
    b(
        Context::Global,
        &["<C-d>", "<PageDown>"],
        Action::PageDown,
        "Page down",
    ),
    b(
        Context::Global,
        &["<C-u>", "<PageUp>"],
        Action::PageUp,
        "Page up",
    ),
    b(
        Context::Global,
        &["gg", "<Home>"],
        Action::Top,
        "Go to the top",
    ),
    b(
        Context::Global,
        &["G", "<End>"],
        Action::Bottom,
        "Go to the bottom",
    ),
    b(
        Context::Global,
        &["h", "<Left>"],
        Action::FocusLeft,
        "Focus the pane to the left",
    ),
    b(
        Context::Global,
        &["l", "<Right>"],
        Action::FocusRight,
        "Focus the pane to the right",
    ),
    b(
        Context::Global,
        &["<Enter>"],
        Action::Open,
        "Open the selection",
    ),
    b(
        Context::Global,
        &["<Esc>"],
        Action::Back,
        "Close, clear or go back",
    ),
    b(
        Context::Global,
        &["n"],
        Action::NextMention,
        "Article: next mention",
    ),
    b(
        Context::Global,
        &["N"],
        Action::PrevMention,
        "Article: previous mention",
    ),
    b(
        Context::Global,
        &["*"],
        Action::NextSame,
        "Article: next mention of the same entity",
    ),
    b(
        Context::Global,
        &["#"],
        Action::PrevSame,
        "Article: previous mention of the same entity",
    ),
    b(
        Context::Global,
        &["x"],
        Action::ToggleXref,
        "Cross-links: focus the panel (again: back)",
    ),
    b(Context::Global, &["<C-o>"], Action::JumpBack, "Jump back"),
    b(
        Context::Global,
        &["<C-i>", "<Tab>"],
        Action::JumpForward,
        "Jump forward (most terminals send Tab for Ctrl-i)",
    ),
    b(
        Context::Global,
        &["/"],
        Action::Search,
        "Search the full text of the corpus",
    ),
    b(
        Context::Global,
        &["]"],
        Action::NextHit,
        "Next hit of the last search (/), on to the next document with one",
    ),
    b(
        Context::Global,
        &["["],
        Action::PrevHit,
        "Previous hit of the last search, back to the previous document with one",
    ),
    b(
        Context::Global,
        &["e"],
        Action::Entities,
        "Browse all entities",
    ),
    b(
        Context::Global,
        &["T"],
        Action::Timeline,
        "Timeline: the selected entity's mentions per month",
    ),
    b(
        Context::Global,
        &["f"],
        Action::Filter,
        "Narrow the list by typing",
    ),
    b(
        Context::Global,
        &["m"],
        Action::MarkEntity,
        "Only list documents mentioning the selected entity (again: undo)",
    ),
    b(
        Context::Global,
        &["M"],
        Action::ClearFilters,
        "Clear the document-list filters",
    ),
    b(
        Context::Global,
        &["?", "<F1>"],
        Action::Help,
        "Show this help",
    ),
    b(
        Context::Global,
        &["z"],
        Action::Zoom,
        "Zoom the focused pane to the whole screen (again: back)",
    ),
    b(
        Context::Global,
        &["<C-l>"],
        Action::Redraw,
        "Redraw the screen",
    ),
    b(
        Context::Global,
        &["<C-z>"],
        Action::Suspend,
        "Suspend (resume with fg)",
    ),
    b(Context::Global, &["q", "<C-c>"], Action::Quit, "Quit"),
    b(
        Context::Global,
        &["v"],
        Action::Visual,
        "Annotate: select text, from the word under the cursor (visual mode)",
    ),
    b(
        Context::Global,
        &["s", "V"],
        Action::SelectName,
        "Annotate: select the mention or name under the cursor",
    ),
    b(
        Context::Global,
        &["t"],
        Action::Tag,
        "Annotate: tag the selection as a new entity (then a kind key)",
    ),
    b(
        Context::Global,
        &["L", "="],
        Action::Link,
        "Annotate: link the selection to an entity (fuzzy picker)",
    ),
    b(
        Context::Global,
        &["d"],
        Action::RejectMention,
        "Annotate: reject the mention (not a name; this span only)",
    ),
    b(
        Context::Global,
        &["A"],
        Action::AcceptLink,
        "Annotate: accept the suggested link, for every occurrence",
    ),
    b(
        Context::Global,
        &["X"],
        Action::RejectLink,
        "Annotate: reject the link of this text to this entity, everywhere",
    ),
    b(
        Context::Global,
        &["R"],
        Action::Rename,
        "Annotate: rename the entity",
    ),
    b(
        Context::Global,
        &["K"],
        Action::SetKind,
        "Annotate: change the entity's kind",
    ),
    b(
        Context::Global,
        &["+"],
        Action::Merge,
        "Annotate: merge the entity into another (picker)",
    ),
    b(
        Context::Global,
        &["S"],
        Action::Split,
        "Annotate: split the mention's alias off as a new entity",
    ),
    b(
        Context::Global,
        &[";"],
        Action::Note,
        "Annotate: note on the mention, entity or document (Tab switches)",
    ),
    b(
        Context::Global,
        &["u"],
        Action::Undo,
        "Undo the last annotation (also after a restart)",
    ),
    b(
        Context::Global,
        &["<C-r>"],
        Action::Redo,
        "Redo the last annotation undone",
    ),
    b(
        Context::Global,
        &["r"],
        Action::Review,
        "Review the suggested links, most frequent first",
    ),
    b(
        Context::Global,
        &["J"],
        Action::Journal,
        "The journal: warnings, unplaced annotations, notes",
    ),
    b(
        Context::Global,
        &["W"],
        Action::TakeOver,
        "Read-only: take the journal over once the other dossier has quit",
    ),
    b(
        Context::List,
        &["<Enter>"],
        Action::Open,
        "Open the selected document",
    ),
    b(
        Context::List,
        &["<Esc>"],
        Action::Back,
        "Clear the title filter",
    ),
    b(
        Context::List,
        &["s"],
        Action::Sort,
        "Sort by id (natural order), date or mentions",
    ),
    b(
        Context::Article,
        &["<Space>"],
        Action::PageDown,
        "Page down",
    ),
    b(
        Context::Article,
        &["<Enter>"],
        Action::Open,
        "Show the cross-links of the mention under the cursor",
    ),
    b(
        Context::Article,
        &["<Esc>"],
        Action::Back,
        "Clear the search highlight",
    ),
    b(
        Context::Xref,
        &["<Enter>"],
        Action::Open,
        "Go to the mention or document; or select the co-occurring entity",
    ),
    b(Context::Xref, &["}"], Action::NextSection, "Next section"),
    b(
        Context::Xref,
        &["{"],
        Action::PrevSection,
        "Previous section",
    ),
    b(
        Context::Xref,
        &["<Esc>"],
        Action::Back,
        "Back to the article",
    ),
    b(
        Context::Xref,
        &["a"],
        Action::Names,
        "Every name of the entity, with counts and documents",
    ),
    b(
        Context::Xref,
        &["c"],
        Action::CoocLevel,
        "Co-occurrence by sentence, paragraph or document",
    ),
    b(
        Context::Xref,
        &["C"],
        Action::CoocKind,
        "Co-occurring entities of one kind (again: the next kind)",
    ),
    b(
        Context::Xref,
        &["E"],
        Action::ExportMarkdown,
        "Export the view (concordance, co-occurrence) to <id>.md",
    ),
    b(
        Context::Xref,
        &["<C-e>"],
        Action::ExportCsv,
        "Export the view to <id>.csv and <id>.cooc.csv",
    ),
    b(
        Context::Names,
        &["<Enter>"],
        Action::Open,
        "Read the first use of the spelling",
    ),
    b(Context::Names, &["q", "<Esc>"], Action::Back, "Close"),
    b(
        Context::Shared,
        &["<Enter>"],
        Action::Open,
        "Read the sentence in its article",
    ),
    b(
        Context::Shared,
        &["o"],
        Action::ShowOther,
        "Cross-links of the other entity",
    ),
    b(Context::Shared, &["q", "<Esc>"], Action::Back, "Close"),
    b(
        Context::Entities,
        &["<Enter>"],
        Action::Open,
        "Show the entity's cross-links",
    ),
    b(
        Context::Entities,
        &["s"],
        Action::Sort,
        "Sort by mentions, documents, kind or name",
    ),
    b(
        Context::Entities,
        &["q", "<Esc>"],
        Action::Back,
        "Close the browser",
    ),
    b(
        Context::Results,
        &["<Enter>"],
        Action::Open,
        "Open the hit in its article",
    ),
    b(
        Context::Results,
        &["q", "<Esc>"],
        Action::Back,
        "Close the results",
    ),
    b(
        Context::Help,
        &["q", "<Esc>", "?"],
        Action::Back,
        "Close the help",
    ),
    b(
        Context::Visual,
        &["w", "e"],
        Action::ExtendWord,
        "Move the selection's end a word on",
    ),
    b(
        Context::Visual,
        &["b"],
        Action::ExtendWordLeft,
        "Move the selection's end a word back (from one word: grow it left)",
    ),
    b(
        Context::Visual,
        &["l", "<Right>"],
        Action::ExtendChar,
        "Move the selection's end a character right",
    ),
    b(
        Context::Visual,
        &["h", "<Left>"],
        Action::ShrinkChar,
        "Move the selection's end a character left",
    ),
    b(
        Context::Visual,
        &["o"],
        Action::SwapEnds,
        "Switch which end moves (start or end)",
    ),
    b(
        Context::Visual,
        &["W"],
        Action::NextWord,
        "Select the next word instead",
    ),
    b(
        Context::Visual,
        &["B"],
        Action::PrevWord,
        "Select the previous word instead",
    ),
    b(
        Context::Visual,
        &["j", "<Down>"],
        Action::LineDown,
        "Select the word on the line below",
    ),
    b(
        Context::Visual,
        &["k", "<Up>"],
        Action::LineUp,
        "Select the word on the line above",
    ),
    b(
        Context::Visual,
        &["n"],
        Action::NextMention,
        "Select the next mention",
    ),
    b(
        Context::Visual,
        &["N"],
        Action::PrevMention,
        "Select the previous mention",
    ),
    b(
        Context::Visual,
        &["s", "V"],
        Action::SelectName,
        "Grow the selection to the whole mention or name",
    ),
    b(
        Context::Visual,
        &["<Esc>"],
        Action::Back,
        "Leave visual mode",
    ),
    b(
        Context::Prompt,
        &["<Enter>", "y"],
        Action::ConfirmAll,
        "Yes: every occurrence (one decision, one undo step)",
    ),
    b(
        Context::Prompt,
        &["1"],
        Action::ConfirmOne,
        "Only this occurrence",
    ),
    b(
        Context::Prompt,
        &["g"],
        Action::ChooseKind(Kind::Group),
        "Kind: group",
    ),
    b(
        Context::Prompt,
        &["e"],
        Action::ChooseKind(Kind::Event),
        "Kind: event",
    ),
    b(
        Context::Prompt,
        &["p"],
        Action::ChooseKind(Kind::Person),
        "Kind: person",
    ),
    b(
        Context::Prompt,
        &["o"],
        Action::ChooseKind(Kind::Org),
        "Kind: organisation",
    ),
    b(
        Context::Prompt,
        &["l"],
        Action::ChooseKind(Kind::Place),
        "Kind: place",
    ),
    b(
        Context::Prompt,
        &["x"],
        Action::ChooseKind(Kind::Other),
        "Kind: other",
    ),
    b(
        Context::Prompt,
        &["<Esc>", "n", "<C-c>"],
        Action::Back,
        "Cancel",
    ),
    b(
        Context::Review,
        &["a"],
        Action::ReviewAccept,
        "Accept: link every occurrence of the text to the entity",
    ),
    b(
        Context::Review,
        &["A"],
        Action::ReviewAcceptAll,
        "Accept this and every later suggestion of its kind (variants, abbreviations or names), as one decision",
    ),
    b(
        Context::Review,
        &["x"],
        Action::ReviewReject,
        "Reject: the text is never this entity",
    ),
    b(Context::Review, &["<Space>"], Action::ReviewSkip, "Skip"),
    b(
        Context::Review,
        &["<Backspace>"],
        Action::ReviewBack,
        "Step back to the previous suggestion (undoing what was decided; a skipped one is just shown again)",
    ),
    b(
        Context::Review,
        &["<Enter>"],
        Action::Open,
        "Leave the review at this suggestion in its article",
    ),
    b(
        Context::Review,
        &["q", "<Esc>"],
        Action::Back,
        "Leave the review",
    ),
    b(
        Context::Journal,
        &["q", "<Esc>", "J"],
        Action::Back,
        "Close the journal",
    ),
    b(
        Context::Timeline,
        &["<Enter>"],
        Action::Open,
        "List the month's documents that mention the entity",
    ),
    b(
        Context::Timeline,
        &["q", "<Esc>", "T"],
        Action::Back,
        "Close the timeline",
    ),
    b(
        Context::Input,
        &["<Enter>"],
        Action::InputAccept,
        "Accept (in the picker: pick the entity)",
    ),
    b(
        Context::Input,
        &["<Esc>", "<C-c>"],
        Action::InputCancel,
        "Cancel",
    ),
    b(
        Context::Input,
        &["<Backspace>", "<C-h>"],
        Action::InputBackspace,
        "Delete a character",
    ),
    b(
        Context::Input,
        &["<C-u>"],
        Action::InputClear,
        "Clear the field",
    ),
    b(
        Context::Input,
        &["<Up>", "<C-p>"],
        Action::Up,
        "Move the selection up while typing",
    ),
    b(
        Context::Input,
        &["<Down>", "<C-n>"],
        Action::Down,
        "Move the selection down while typing",
    ),
    b(
        Context::Input,
        &["<PageUp>"],
        Action::PageUp,
        "Page up while typing",
    ),
    b(
        Context::Input,
        &["<PageDown>"],
        Action::PageDown,
        "Page down while typing",
    ),
    b(
        Context::Input,
        &["<Tab>"],
        Action::InputTab,
        "Note: attach it to the mention, entity or document",
    ),
    b(
        Context::Input,
        &["<C-e>"],
        Action::InputEditor,
        "Note: write it in $VISUAL or $EDITOR (several lines allowed)",
    ),
    b(
        Context::Quit,
        &["r"],
        Action::RetrySave,
        "Retry writing them; quit once they are saved",
    ),
    b(
        Context::Quit,
        &["q", "<C-c>"],
        Action::Quit,
        "Quit anyway: they are printed to standard error as JSON lines",
    ),
    b(Context::Quit, &["<Esc>", "n"], Action::Back, "Stay"),
];

/// What a key types into a text field when no binding of
/// [`Context::Input`] takes it: a printable character.
pub fn typed(key: Key) -> Option<Action> {
    let ctrl = key.mods.contains(KeyModifiers::CONTROL);
    let alt = key.mods.contains(KeyModifiers::ALT);
    match key.code {
        KeyCode::Char(c) if !ctrl && !alt && !c.is_control() => Some(Action::InputChar(c)),
        _ => None,
    }
}

/// One live binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
}

/// A user's change to the keymap: in `context`, `action` is bound to exactly
/// these key sequences (an empty list unbinds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub context: Context,
    pub action: Action,
    pub keys: Vec<Vec<Key>>,
}

/// The result of looking up the keys pressed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    /// A longer binding starts with these keys: wait for the next one.
    Pending,
    None,
}

/// Two actions that one key sequence would run in the same context (or one
/// sequence that starts another, so that the longer one can never be typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyConflict {
    pub context: Context,
    /// (keys, action) of the two bindings.
    pub first: (Vec<Key>, Action),
    pub second: (Vec<Key>, Action),
}

impl fmt::Display for KeyConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |a: &Action| a.name().unwrap_or("?");
        let (k1, a1) = (&self.first.0, &self.first.1);
        let (k2, a2) = (&self.second.0, &self.second.1);
        let ctx = self.context.name();
        if k1 == k2 {
            write!(
                f,
                "[keys.{ctx}]: {} is bound to both {} and {}; give one of them other keys",
                seq_to_string(k1),
                name(a1),
                name(a2)
            )
        } else {
            write!(
                f,
                "[keys.{ctx}]: {} ({}) hides {} ({}); give one of them other keys",
                seq_to_string(k1),
                name(a1),
                seq_to_string(k2),
                name(a2)
            )
        }
    }
}

/// The live keymap.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    /// (context, action) pairs a user rebound. While such a context applies,
    /// the action's bindings in the contexts after it (global, usually) do
    /// not, so that the user's keys replace the defaults there too.
    replaced: Vec<(Context, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = Vec::new();
        for d in DEFAULT_BINDINGS {
            for k in d.keys {
                // The default table is tested to parse.
                if let Ok(keys) = Key::parse_seq(k) {
                    bindings.push(Binding {
                        context: d.context,
                        keys,
                        action: d.action.clone(),
                        desc: d.desc.to_string(),
                    });
                }
            }
        }
        Keymap {
            bindings,
            replaced: Vec::new(),
        }
    }
}

impl Keymap {
    /// The default keymap patched by a user's overrides: in its context, an
    /// override's keys replace every key the action had there, including
    /// those it would get from [`Context::Global`]. A key sequence left bound
    /// to two actions in one context is an error.
    pub fn with_overrides(overrides: &[KeyOverride]) -> Result<Keymap, Box<KeyConflict>> {
        let mut map = Keymap::default();
        for o in overrides {
            let desc = DEFAULT_BINDINGS
                .iter()
                .find(|d| d.context == o.context && d.action == o.action)
                .or_else(|| DEFAULT_BINDINGS.iter().find(|d| d.action == o.action))
                .map(|d| d.desc.to_string())
                .unwrap_or_else(|| o.action.name().unwrap_or("").replace('_', " "));
            map.bindings
                .retain(|b| !(b.context == o.context && b.action == o.action));
            if !map.replaced.contains(&(o.context, o.action.clone())) {
                map.replaced.push((o.context, o.action.clone()));
            }
            for keys in &o.keys {
                let dup = map
                    .bindings
                    .iter()
                    .any(|b| b.context == o.context && b.action == o.action && &b.keys == keys);
                if !dup {
                    map.bindings.push(Binding {
                        context: o.context,
                        keys: keys.clone(),
                        action: o.action.clone(),
                        desc: desc.clone(),
                    });
                }
            }
        }
        map.check()?;
        Ok(map)
    }

    /// Finds a key sequence that runs two actions in one context, or one
    /// that starts a longer one bound to another action there.
    fn check(&self) -> Result<(), Box<KeyConflict>> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.context != b.context || a.action == b.action {
                    continue;
                }
                // The later binding (a user's, usually) is named first.
                let (short, long) = if b.keys.len() <= a.keys.len() {
                    (b, a)
                } else {
                    (a, b)
                };
                if long.keys.starts_with(&short.keys) {
                    return Err(Box::new(KeyConflict {
                        context: a.context,
                        first: (short.keys.clone(), short.action.clone()),
                        second: (long.keys.clone(), long.action.clone()),
                    }));
                }
            }
        }
        Ok(())
    }

    /// The bindings that apply in `contexts[i]`: those of that context,
    /// less any action a user rebound in a more specific context before it.
    fn live<'a>(&'a self, contexts: &'a [Context], i: usize) -> impl Iterator<Item = &'a Binding> {
        let ctx = contexts[i];
        let before = &contexts[..i];
        self.bindings.iter().filter(move |b| {
            b.context == ctx
                && !self
                    .replaced
                    .iter()
                    .any(|(c, a)| a == &b.action && before.contains(c))
        })
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Looks up the keys pressed so far in each context in turn.
    pub fn lookup(&self, contexts: &[Context], seq: &[Key]) -> Lookup {
        for i in 0..contexts.len() {
            let mut prefix = false;
            for b in self.live(contexts, i) {
                if b.keys == seq {
                    return Lookup::Action(b.action.clone());
                }
                if b.keys.len() > seq.len() && b.keys.starts_with(seq) {
                    prefix = true;
                }
            }
            if prefix {
                return Lookup::Pending;
            }
        }
        Lookup::None
    }

    /// The first key sequence bound to `action` in these contexts, for hints.
    pub fn key_for(&self, contexts: &[Context], action: &Action) -> Option<String> {
        (0..contexts.len()).find_map(|i| {
            self.live(contexts, i)
                .find(|b| &b.action == action)
                .map(|b| seq_to_string(&b.keys))
        })
    }

    /// The first key bound to `action` in these contexts as a question
    /// names it: a single named key without its angle brackets (`Enter`,
    /// `C-u`), anything else as the config writes it.
    pub fn label_for(&self, contexts: &[Context], action: &Action) -> Option<String> {
        let seq = self.key_for(contexts, action)?;
        Some(
            match seq
                .strip_prefix('<')
                .and_then(|s| s.strip_suffix('>'))
                .filter(|s| !s.contains(['<', '>']))
            {
                Some(name) => name.to_string(),
                None => seq,
            },
        )
    }

    /// The help screen's content: per context, each action's keys and description.
    pub fn help(&self) -> Vec<(Context, Vec<(String, String)>)> {
        let mut out = Vec::new();
        for ctx in Context::ALL {
            let mut rows: Vec<(String, String)> = Vec::new();
            let mut seen: Vec<(&Action, &str)> = Vec::new();
            for b in self.bindings.iter().filter(|b| b.context == ctx) {
                if seen.contains(&(&b.action, b.desc.as_str())) {
                    continue;
                }
                seen.push((&b.action, b.desc.as_str()));
                let keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|o| o.context == ctx && o.action == b.action && o.desc == b.desc)
                    .map(|o| seq_to_string(&o.keys))
                    .collect();
                rows.push((keys.join(" "), b.desc.clone()));
            }
            if ctx == Context::Input {
                rows.push(("any other".into(), "Types itself".into()));
            }
            if !rows.is_empty() {
                out.push((ctx, rows));
            }
        }
        out
    }
}

/// Turns key presses into actions, holding the first key of a chord.
#[derive(Debug, Default, Clone)]
pub struct Router {
    pending: Vec<Key>,
}

impl Router {
    /// The keys of an unfinished chord, for the status line.
    pub fn pending(&self) -> String {
        seq_to_string(&self.pending)
    }

    pub fn route(&mut self, keymap: &Keymap, contexts: &[Context], key: Key) -> Option<Action> {
        self.pending.push(key);
        match keymap.lookup(contexts, &self.pending) {
            Lookup::Action(a) => {
                self.pending.clear();
                Some(a)
            }
            Lookup::Pending => None,
            Lookup::None => {
                let retry = self.pending.len() > 1;
                self.pending.clear();
                if retry {
                    self.route(keymap, contexts, key)
                } else {
                    None
                }
            }
        }
    }

    pub fn clear(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEventKind;

    #[test]
    fn default_table_parses_and_describes_every_binding() {
        for d in DEFAULT_BINDINGS {
            assert!(!d.desc.is_empty());
            // The question on quitting keeps its keys (it names them).
            if d.context != Context::Quit {
                assert!(d.action.name().is_some(), "{:?} is not bindable", d.action);
            }
            for k in d.keys {
                let keys = Key::parse_seq(k).unwrap_or_else(|e| panic!("{k}: {e}"));
                assert_eq!(seq_to_string(&keys), *k, "round trip");
            }
        }
    }

    #[test]
    fn parses_key_notation() {
        assert_eq!(Key::parse_seq("<C-o>"), Ok(vec![Key::ctrl('o')]));
        assert_eq!(
            Key::parse_seq("gg"),
            Ok(vec![Key::char('g'), Key::char('g')])
        );
        assert_eq!(
            Key::parse_seq("g g"),
            Ok(vec![Key::char('g'), Key::char('g')])
        );
        assert_eq!(
            Key::parse_seq("<S-Tab>"),
            Ok(vec![Key::new(KeyCode::BackTab, KeyModifiers::NONE)])
        );
        assert_eq!(Key::parse_seq("<Space>"), Ok(vec![Key::char(' ')]));
        assert_eq!(
            Key::parse_seq("<F5>"),
            Ok(vec![Key::new(KeyCode::F(5), KeyModifiers::NONE)])
        );
        assert!(Key::parse_seq("<Bogus>").is_err());
        assert!(Key::parse_seq("").is_err());
        assert!(Key::parse_seq("abc").is_err());
    }

    #[test]
    fn shifted_letters_normalise() {
        let ev =
            KeyEvent::new_with_kind(KeyCode::Char('N'), KeyModifiers::SHIFT, KeyEventKind::Press);
        assert_eq!(Key::from_event(&ev), Key::char('N'));
        let ev = KeyEvent::new(
            KeyCode::Char('O'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT,
        );
        assert_eq!(Key::from_event(&ev), Key::ctrl('o'));
    }

    #[test]
    fn context_wins_over_global_and_chords_wait() {
        let map = Keymap::default();
        let mut r = Router::default();
        assert_eq!(
            r.route(&map, &[Context::Help, Context::Global], Key::char('q')),
            Some(Action::Back)
        );
        assert_eq!(
            r.route(&map, &[Context::List, Context::Global], Key::char('q')),
            Some(Action::Quit)
        );
        assert_eq!(
            r.route(&map, &[Context::List, Context::Global], Key::char('g')),
            None
        );
        assert_eq!(r.pending(), "g");
        assert_eq!(
            r.route(&map, &[Context::List, Context::Global], Key::char('g')),
            Some(Action::Top)
        );
        // A broken chord falls back to the second key alone.
        assert_eq!(
            r.route(&map, &[Context::List, Context::Global], Key::char('g')),
            None
        );
        assert_eq!(
            r.route(&map, &[Context::List, Context::Global], Key::char('j')),
            Some(Action::Down)
        );
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let map = Keymap::with_overrides(&[KeyOverride {
            context: Context::Global,
            action: Action::NextMention,
            keys: vec![vec![Key::char('w')], vec![Key::ctrl('n')]],
        }])
        .unwrap_or_else(|e| panic!("{e}"));
        let ctx = [Context::Article, Context::Global];
        assert_eq!(
            map.lookup(&ctx, &[Key::char('w')]),
            Lookup::Action(Action::NextMention)
        );
        assert_eq!(
            map.lookup(&ctx, &[Key::ctrl('n')]),
            Lookup::Action(Action::NextMention)
        );
        assert_eq!(map.lookup(&ctx, &[Key::char('n')]), Lookup::None);
        // The help is generated from the live table.
        let help = map.help();
        let global = &help
            .iter()
            .find(|(c, _)| *c == Context::Global)
            .map(|(_, r)| r.clone());
        assert!(global.as_ref().is_some_and(|rows| {
            rows.iter()
                .any(|(k, d)| k == "w <C-n>" && d == "Article: next mention")
        }));
    }

    #[test]
    fn a_context_override_replaces_the_global_keys_in_that_context() {
        let map = Keymap::with_overrides(&[KeyOverride {
            context: Context::List,
            action: Action::Down,
            keys: vec![vec![Key::char('Z')]],
        }])
        .unwrap_or_else(|e| panic!("{e}"));
        let list = [Context::List, Context::Global];
        assert_eq!(
            map.lookup(&list, &[Key::char('Z')]),
            Lookup::Action(Action::Down)
        );
        assert_eq!(map.lookup(&list, &[Key::char('j')]), Lookup::None);
        assert_eq!(
            map.lookup(&list, &[Key::new(KeyCode::Down, KeyModifiers::NONE)]),
            Lookup::None
        );
        assert_eq!(map.key_for(&list, &Action::Down).as_deref(), Some("Z"));
        // Other actions and other contexts keep their keys.
        assert_eq!(
            map.lookup(&list, &[Key::char('k')]),
            Lookup::Action(Action::Up)
        );
        let article = [Context::Article, Context::Global];
        assert_eq!(
            map.lookup(&article, &[Key::char('j')]),
            Lookup::Action(Action::Down)
        );
        assert_eq!(map.lookup(&article, &[Key::char('Z')]), Lookup::None);
        // An empty list unbinds the action in that context.
        let map = Keymap::with_overrides(&[KeyOverride {
            context: Context::List,
            action: Action::Down,
            keys: vec![],
        }])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(map.lookup(&list, &[Key::char('j')]), Lookup::None);
        assert_eq!(map.key_for(&list, &Action::Down), None);
    }

    #[test]
    fn a_key_bound_to_two_actions_in_one_context_is_an_error() {
        let quit_on = |keys: &str| {
            Keymap::with_overrides(&[KeyOverride {
                context: Context::Global,
                action: Action::Quit,
                keys: vec![Key::parse_seq(keys).unwrap_or_default()],
            }])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
        };
        assert_eq!(
            quit_on("j"),
            "[keys.global]: j is bound to both quit and down; give one of them other keys"
        );
        // A key that starts a chord hides the chord.
        let e = quit_on("g");
        assert!(e.contains("g (quit) hides gg (top)"), "{e}");
        // Moving the other action away resolves it.
        let map = Keymap::with_overrides(&[
            KeyOverride {
                context: Context::Global,
                action: Action::Quit,
                keys: vec![vec![Key::char('j')]],
            },
            KeyOverride {
                context: Context::Global,
                action: Action::Down,
                keys: vec![vec![Key::char('Z')]],
            },
        ]);
        assert!(map.is_ok());
        // A context's own key may shadow a global one: that is what contexts are for.
        let map = Keymap::with_overrides(&[KeyOverride {
            context: Context::List,
            action: Action::Quit,
            keys: vec![vec![Key::char('j')]],
        }]);
        assert!(map.is_ok());
    }

    #[test]
    fn the_default_keymap_has_no_conflicts() {
        assert_eq!(Keymap::default().check(), Ok(()));
    }
}
