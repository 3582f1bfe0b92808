//! The review queue: suggested links (spelling variants, abbreviations,
//! names found in the text), one surface form at a time, accepted or
//! rejected as decisions.

use super::action::Action;
use super::annotation::{decide, refuse_if_read_only, undo};
use super::app::{App, Overlay, Pane, Review, ReviewItem, ReviewStep};
use super::keymap::Context;
use super::nav::{open_doc, push_jump};
use crate::annotate::Op;
use crate::entity::Source;
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};

/// The keymap context of the review queue.
pub const CONTEXT: Context = Context::Review;

/// The status line's key hints in the review queue.
pub const HINTS: &[(Action, &str)] = &[
    (Action::ReviewAccept, "accept"),
    (Action::ReviewReject, "reject"),
    (Action::ReviewSkip, "skip"),
    (Action::ReviewBack, "back"),
    (Action::Back, "leave"),
];

/// `r`: opens the review queue.
pub fn open_review(app: &mut App) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let items = review_queue(index);
    if items.is_empty() {
        app.set_message("No suggested links to review (spelling variants, abbreviations and names found in the text)");
        return;
    }
    app.visual = None;
    app.input = None;
    app.review = Some(Review {
        items,
        ..Review::default()
    });
    app.overlay = Some(Overlay::Review);
}

pub(crate) fn review_step(app: &mut App, step: ReviewStep) {
    let Some(item) = app.review.as_ref().and_then(|r| r.current().cloned()) else {
        return;
    };
    match step {
        ReviewStep::Accepted | ReviewStep::Rejected => {
            if refuse_if_read_only(app) {
                return;
            }
            let op = if step == ReviewStep::Accepted {
                Op::LinkText {
                    text: item.text.clone(),
                    entity: item.entity.clone(),
                    new: None,
                }
            } else {
                Op::RejectText {
                    text: item.text.clone(),
                    entity: item.entity.clone(),
                }
            };
            decide(app, op);
        }
        ReviewStep::Skipped => {}
    }
    let Some(r) = app.review.as_mut() else { return };
    r.history.push((r.pos, step));
    match step {
        ReviewStep::Accepted => r.accepted += 1,
        ReviewStep::Rejected => r.rejected += 1,
        ReviewStep::Skipped => r.skipped += 1,
    }
    r.pos += 1;
    if r.pos >= r.items.len() {
        let (a, x, s) = (r.accepted, r.rejected, r.skipped);
        if step == ReviewStep::Skipped {
            app.set_message(format!(
                "Review done: {a} accepted, {x} rejected, {s} skipped"
            ));
        }
    }
}

pub fn review_accept(app: &mut App) {
    review_step(app, ReviewStep::Accepted);
}

/// `A` in the review: accepts the suggestion and every later one of the
/// same kind (source), as one decision (one undo step); the queue goes on
/// with the others.
pub fn review_accept_all(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some(r) = app.review.as_mut() else { return };
    let Some(item) = r.current().cloned() else {
        return;
    };
    let later: Vec<usize> = (r.pos + 1..r.items.len())
        .filter(|&j| r.items[j].source == item.source)
        .collect();
    let mut removed: Vec<(usize, ReviewItem)> = Vec::with_capacity(later.len());
    for &j in later.iter().rev() {
        removed.push((j, r.items.remove(j)));
    }
    removed.reverse();
    let ops: Vec<Op> = std::iter::once(&item)
        .chain(removed.iter().map(|(_, i)| i))
        .map(|i| Op::LinkText {
            text: i.text.clone(),
            entity: i.entity.clone(),
            new: None,
        })
        .collect();
    let n = ops.len();
    r.history.push((r.pos, ReviewStep::Accepted));
    r.accepted += n;
    r.bulk.push((r.history.len(), removed));
    r.pos += 1;
    let what = match item.source {
        Source::Variant => "spelling variants",
        Source::Abbreviation => "abbreviations",
        Source::Name => "names",
        _ => "suggestions",
    };
    decide(app, Op::Batch { ops });
    app.set_overlay_message(if n == 1 {
        format!("Accepted the last of the {what} (Backspace undoes it)")
    } else {
        format!("Accepted {n} {what} as one decision (Backspace undoes it)")
    });
}

pub fn review_reject(app: &mut App) {
    review_step(app, ReviewStep::Rejected);
}

pub fn review_skip(app: &mut App) {
    review_step(app, ReviewStep::Skipped);
}

/// Backspace: undoes the last decision (if it was one) and steps back to it.
pub fn review_back(app: &mut App) {
    let Some(r) = app.review.as_mut() else { return };
    let Some((pos, step)) = r.history.pop() else {
        app.set_overlay_message("Already at the first suggestion");
        return;
    };
    r.pos = pos;
    // A bulk accept puts back the suggestions it took out of the queue.
    if r.bulk
        .last()
        .is_some_and(|(at, _)| *at == r.history.len() + 1)
        && let Some((_, removed)) = r.bulk.pop()
    {
        r.accepted = r.accepted.saturating_sub(removed.len());
        for (j, item) in removed {
            let j = j.min(r.items.len());
            r.items.insert(j, item);
        }
    }
    match step {
        ReviewStep::Accepted => r.accepted = r.accepted.saturating_sub(1),
        ReviewStep::Rejected => r.rejected = r.rejected.saturating_sub(1),
        ReviewStep::Skipped => r.skipped = r.skipped.saturating_sub(1),
    }
    if step != ReviewStep::Skipped {
        undo(app, false);
    }
}

/// Enter in the review: leave it at the suggestion's first mention.
pub fn review_open(app: &mut App) {
    let Some(m) = app
        .review
        .as_ref()
        .and_then(|r| r.current())
        .and_then(|i| i.examples.first().copied())
    else {
        return;
    };
    app.overlay = None;
    push_jump(app);
    open_doc(app, m.doc, Some(m.start as usize));
    app.focus = Pane::Article;
}

/// The review queue's actions: opening it and answering each suggestion.
/// True when it took the action.
pub fn handle(app: &mut App, action: &Action) -> bool {
    match action {
        Action::Review => open_review(app),
        Action::ReviewAccept => review_accept(app),
        Action::ReviewAcceptAll => review_accept_all(app),
        Action::ReviewReject => review_reject(app),
        Action::ReviewSkip => review_skip(app),
        Action::ReviewBack => review_back(app),
        _ => return false,
    }
    true
}
