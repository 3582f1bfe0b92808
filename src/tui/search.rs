//! Full-text search: started from its prompt, run on a thread of its own
//! (the event loop runs it), its hits arriving in batches while the
//! results are on screen, and stopped when they leave it.

use super::action::Action;
use super::app::{App, Effect, Overlay, SEARCH_LIMIT, SearchBatch};
use super::keymap::Context;

/// The keymap context of the search results.
pub const CONTEXT: Context = Context::Results;

/// The status line's key hints over the search results.
pub const HINTS: &[(Action, &str)] = &[(Action::Open, "open"), (Action::Back, "close")];

/// Starts a full-text search of every document. The search runs in the
/// background (see [`crate::tui::worker::search`]); the results overlay
/// says "searching…" until its hits arrive as [`crate::tui::action::Action::Searched`].
pub(crate) fn run_search(app: &mut App) {
    let q = app.search.query.trim().to_string();
    if q.is_empty() {
        return;
    }
    let s = &mut app.search;
    s.generation += 1;
    s.searching = true;
    s.truncated = false;
    s.hits.clear();
    s.ran = q.clone();
    s.selected = 0;
    s.offset = 0;
    let generation = s.generation;
    app.overlay = Some(Overlay::Results);
    app.effects.push(Effect::Search {
        generation,
        query: q,
    });
}

/// Hits of a background search. Hits for any search but the running one
/// (an older query, or one stopped) are dropped.
pub(crate) fn searched(app: &mut App, batch: SearchBatch) {
    let s = &mut app.search;
    if !s.searching || batch.generation != s.generation {
        return;
    }
    let room = SEARCH_LIMIT.saturating_sub(s.hits.len());
    s.hits.extend(batch.hits.into_iter().take(room));
    if !batch.done {
        return;
    }
    s.searching = false;
    s.truncated = batch.truncated;
    if s.hits.is_empty() {
        let q = s.ran.clone();
        if app.overlay == Some(Overlay::Results) {
            app.overlay = None;
        }
        app.set_message(format!("No matches for \"{q}\""));
    }
}

/// Stops the running search: its results are no longer shown.
pub(crate) fn stop_search(app: &mut App) {
    let s = &mut app.search;
    if s.searching {
        s.searching = false;
        // What was found so far is not all there is.
        s.truncated = true;
        app.effects.push(Effect::StopSearch);
    }
}
