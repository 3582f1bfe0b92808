//! Full-text search: started from its prompt, run on a thread of its own
//! (the event loop runs it), its hits arriving in batches while the
//! results are on screen, and stopped when they leave it. A mode (see
//! [`super::mode`]).

use super::action::Action;
pub use super::answer::{Hit, SEARCH_LIMIT, SearchBatch};
use super::keymap::Context;
use super::mode::{Ctx, Effect, Outcome, Overlay, Pane, keep_in_view, step};
use ratatui::layout::Rect;

/// The keymap context of the search results.
pub const CONTEXT: Context = Context::Results;

/// The status line's key hints over the search results.
pub const HINTS: &[(Action, &str)] = &[(Action::Open, "open"), (Action::Back, "close")];

/// The full-text search's state: the query and its results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// What is being typed.
    pub query: String,
    /// The query the hits are for.
    pub ran: String,
    pub hits: Vec<Hit>,
    /// True when the hits stop at [`SEARCH_LIMIT`] (or the search was
    /// stopped before the end).
    pub truncated: bool,
    pub selected: usize,
    pub offset: usize,
    /// Counts the searches started: hits for an older one are dropped.
    pub generation: u64,
    /// The search for `ran` is still running in the background.
    pub searching: bool,
    /// The prompt opened on the last query, selected: typing replaces it,
    /// Enter searches it again (as in less).
    pub preselected: bool,
}

impl Search {
    /// The results' actions: moving, opening a hit (at its place, marked),
    /// closing.
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        if let Some(s) = step(action, self.selected, self.hits.len(), cx.page) {
            self.selected = s;
            return Outcome::Consumed;
        }
        match action {
            Action::Open => match self.hits.get(self.selected) {
                Some(&hit) => Outcome::All(vec![
                    Outcome::Close,
                    Outcome::OpenDoc {
                        doc: hit.doc,
                        at: Some(hit.start),
                        jump: true,
                    },
                    Outcome::Highlight(hit.start..hit.end),
                    Outcome::Focus(Pane::Article),
                ]),
                None => Outcome::Consumed,
            },
            Action::Back => Outcome::Close,
            _ => Outcome::Ignored,
        }
    }

    /// Starts a full-text search of every document for the query typed.
    /// The search runs in the background (see
    /// [`crate::tui::worker::search`]); the results overlay says
    /// "searching…" until its hits arrive as [`Action::Searched`].
    pub fn run(&mut self) -> Outcome {
        let q = self.query.trim().to_string();
        if q.is_empty() {
            return Outcome::Consumed;
        }
        self.generation += 1;
        self.searching = true;
        self.truncated = false;
        self.hits.clear();
        self.ran = q.clone();
        self.selected = 0;
        self.offset = 0;
        Outcome::All(vec![
            Outcome::Show(Overlay::Results),
            Outcome::Effect(Effect::Search {
                generation: self.generation,
                query: q,
            }),
        ])
    }

    /// Hits of a background search. Hits for any search but the running
    /// one (an older query, or one stopped) are dropped. With no hits at
    /// all, the results close (when `shown`) and the status line says so.
    pub fn searched(&mut self, batch: SearchBatch, shown: bool) -> Outcome {
        if !self.searching || batch.generation != self.generation {
            return Outcome::Consumed;
        }
        let room = SEARCH_LIMIT.saturating_sub(self.hits.len());
        self.hits.extend(batch.hits.into_iter().take(room));
        if !batch.done {
            return Outcome::Consumed;
        }
        self.searching = false;
        self.truncated = batch.truncated;
        if !self.hits.is_empty() {
            return Outcome::Consumed;
        }
        let no = Outcome::Message(format!("No matches for \"{}\"", self.ran));
        if shown {
            Outcome::All(vec![Outcome::Close, no])
        } else {
            no
        }
    }

    /// Stops the running search: its results are no longer shown.
    pub fn stop(&mut self) -> Outcome {
        if !self.searching {
            return Outcome::Consumed;
        }
        self.searching = false;
        // What was found so far is not all there is.
        self.truncated = true;
        Outcome::Effect(Effect::StopSearch)
    }

    /// A typed character replaces a preselected query; true when it did.
    pub fn replace_preselected(&mut self) -> bool {
        if std::mem::take(&mut self.preselected) {
            self.query.clear();
            return true;
        }
        false
    }

    /// Keeps the selection in view among `rows` visible rows.
    pub fn keep_in_view(&mut self, rows: usize) {
        self.selected = self.selected.min(self.hits.len().saturating_sub(1));
        self.offset = keep_in_view(self.offset, self.selected, rows + 1, self.hits.len());
    }

    /// The hit at a screen position inside the overlay `inner` (a heading
    /// comes first).
    pub fn hit(&self, inner: Rect, x: u16, y: u16) -> Option<usize> {
        let _ = x;
        let row = usize::from(y.checked_sub(inner.y)?);
        let i = self.offset + row.checked_sub(1)?;
        (i < self.hits.len()).then_some(i)
    }

    /// A click inside the overlay: selects the hit; a second click on it
    /// opens it.
    pub fn click(&mut self, inner: Rect, x: u16, y: u16, cx: &Ctx) -> Outcome {
        let Some(i) = self.hit(inner, x, y) else {
            return Outcome::Consumed;
        };
        let again = self.selected == i;
        self.selected = i;
        if again {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
