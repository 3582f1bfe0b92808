//! Full-text search: started from its prompt, run on a thread of its own
//! (the event loop runs it), its hits arriving in batches while the
//! results are on screen, and stopped when they leave it. A mode (see
//! [`super::mode`]).

use super::action::Action;
pub use super::answer::{Hit, SEARCH_LIMIT, SearchBatch};
pub use super::hits::{Found, Here, Sought};
use super::keymap::Context;
use super::mode::{Ctx, Effect, Outcome, Overlay, Pane, click_row, keep_in_view, step};
use crate::index::Index;
use crate::index::query::{Direction, resolve_entity};
use crate::text;
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
    /// The last search as the article marks it, and `]` / `[` step through.
    pub found: Found,
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
    /// "searching…" until its hits arrive as [`Action::Searched`]. A query
    /// that starts with `=` is an entity search (see [`Search::run_entity`]).
    pub fn run(&mut self, index: Option<&Index>) -> Outcome {
        let q = self.query.trim().to_string();
        if q.is_empty() {
            return Outcome::Consumed;
        }
        if let Some(name) = q.strip_prefix('=') {
            return self.run_entity(&q, name, index);
        }
        self.found.set(Sought::Text(q.clone()));
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

    /// An entity search (`/=ttp`): the entity its id, name or an alias
    /// names (see [`resolve_entity`]), and its mentions as the hits, every
    /// spelling, taken from the index at once (no text is read). The
    /// status line says which entity it is.
    fn run_entity(&mut self, q: &str, name: &str, index: Option<&Index>) -> Outcome {
        let Some(index) = index else {
            return Outcome::Consumed;
        };
        let name = name.trim();
        if name.is_empty() {
            return Outcome::Message(
                "After = name an entity (id, name or alias): /=ttp finds every spelling".into(),
            );
        }
        let Some(e) = resolve_entity(index, name) else {
            return Outcome::Message(format!(
                "No entity named \"{}\" (/= takes an id, a name or an alias)",
                text::sanitize(name)
            ));
        };
        // A text search still running is superseded: its hits are dropped.
        let was_searching = std::mem::take(&mut self.searching);
        self.generation += 1;
        self.ran = q.to_string();
        self.selected = 0;
        self.offset = 0;
        self.hits = index
            .entity_mentions(e)
            .take(SEARCH_LIMIT)
            .map(|m| Hit {
                doc: m.doc,
                start: m.start as usize,
                end: m.end as usize,
            })
            .collect();
        let stats = index.stats(e);
        self.truncated = stats.mentions as usize > self.hits.len();
        self.found.set(Sought::Entity(e));
        let what = format!(
            "{}: every spelling, {} in {}",
            self.found.label(index),
            text::plural(stats.mentions as usize, "mention", "mentions"),
            text::plural(stats.docs as usize, "document", "documents"),
        );
        let stop = if was_searching {
            Outcome::Effect(Effect::StopSearch)
        } else {
            Outcome::Consumed
        };
        if self.hits.is_empty() {
            return stop.and(Outcome::Message(what));
        }
        stop.and(Outcome::All(vec![
            Outcome::Show(Overlay::Results),
            Outcome::OverlayMessage(what),
        ]))
    }

    /// Every hit of the last search, in corpus order, when the results
    /// hold them all (the search ran to its end, below the limit).
    pub fn all_hits(&self) -> Option<&[Hit]> {
        self.holds_all_hits().then_some(self.hits.as_slice())
    }

    fn holds_all_hits(&self) -> bool {
        let complete = !self.searching && !self.truncated && !self.ran.is_empty();
        let same = match &self.found.sought {
            Some(Sought::Text(q)) => *q == self.ran,
            Some(Sought::Entity(_)) => self.ran.starts_with('='),
            None => false,
        };
        complete && same
    }

    /// `]` / `[`: the next or previous hit of the last search, from `here`
    /// (see [`Found::step`]).
    pub fn step_hit(&mut self, index: &Index, here: &Here, direction: Direction) -> Outcome {
        let listed = self.holds_all_hits().then_some(self.hits.as_slice());
        self.found.step(index, here, direction, listed)
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
        if click_row(self.hit(inner, x, y), &mut self.selected) {
            self.handle(&Action::Open, cx)
        } else {
            Outcome::Consumed
        }
    }
}
