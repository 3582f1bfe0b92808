//! The corpus-wide count of the text selected (in visual mode, the
//! review queue's suggestion, or a confirmation's text): asked for when it
//! changes, counted off the UI thread, and looked up by the views.

use super::app::{App, ConfirmCount, Count, Effect, Overlay, Prompt};
use super::select;
use crate::index::query::count_occurrences;

/// The text whose corpus-wide count should be on screen, if any.
pub(crate) fn counted_text(app: &App) -> Option<String> {
    match &app.prompt {
        Some(Prompt::Confirm(c)) if c.count == ConfirmCount::Corpus => Some(c.text.clone()),
        Some(_) => None,
        None if app.overlay == Some(Overlay::Review) => {
            app.review.as_ref()?.current().map(|i| i.text.clone())
        }
        None => {
            let v = app.visual?;
            let index = app.index.as_ref()?;
            let t = index.docs().get(v.doc as usize)?.text.get(v.range())?;
            Some(select::flatten(t))
        }
    }
}

/// Asks for the count of the selected text when it changed.
pub fn sync_count(app: &mut App) {
    let Some(t) = counted_text(app) else { return };
    if t.is_empty() || app.count.as_ref().is_some_and(|c| c.text == t) {
        return;
    }
    app.count = Some(Count {
        text: t.clone(),
        result: None,
    });
    app.effects.push(Effect::Count(t));
}

/// A count arrived.
pub fn counted(app: &mut App, text: &str, n: usize, docs: usize) {
    if let Some(c) = app.count.as_mut()
        && c.text == text
    {
        c.result = Some((n, docs));
    }
}

/// Answers every pending count at once, on this thread (for tests and
/// small corpora).
pub fn resolve_counts(app: &mut App) {
    let effects = std::mem::take(&mut app.effects);
    let mut keep = Vec::new();
    for e in effects {
        match e {
            Effect::Count(t) => {
                if let Some(index) = app.index.as_ref() {
                    let (n, d) = count_occurrences(index.corpus(), &t);
                    counted(app, &t, n, d);
                }
            }
            other => keep.push(other),
        }
    }
    app.effects = keep;
}

/// The count of `text`, if known.
pub fn count_of(app: &App, text: &str) -> Option<(usize, usize)> {
    Count::of(app.count.as_ref(), text)
}
