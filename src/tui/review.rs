//! The review queue: suggested links (spelling variants, abbreviations,
//! names found in the text), one surface form at a time, accepted or
//! rejected as decisions. A mode (see [`super::mode`]); it shows one
//! suggestion at a time, so a click has no row to land on.

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, Pane};
use crate::annotate::Op;
use crate::entity::Source;
use crate::index::query::ReviewItem;
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

/// What was done with a suggestion in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStep {
    Accepted,
    Rejected,
    Skipped,
}

/// The review queue: suggestions, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    pub items: Vec<ReviewItem>,
    pub pos: usize,
    /// The steps taken, so Backspace can go back.
    pub history: Vec<(usize, ReviewStep)>,
    pub accepted: usize,
    pub rejected: usize,
    pub skipped: usize,
    /// Bulk accepts: (the history's length after it, the later suggestions
    /// it took out of the queue, with their places), so that Backspace can
    /// put them back.
    pub bulk: Vec<(usize, Vec<(usize, ReviewItem)>)>,
}

impl Review {
    /// A review of these suggestions, from the first.
    pub fn new(items: Vec<ReviewItem>) -> Review {
        Review {
            items,
            ..Review::default()
        }
    }

    pub fn current(&self) -> Option<&ReviewItem> {
        self.items.get(self.pos)
    }

    /// The review's actions while it is open: answering the suggestion
    /// (as decisions for the router to send), stepping back, Enter (to the
    /// suggestion's first mention) and Esc (leaving, with a summary).
    pub fn handle(&mut self, action: &Action, cx: &Ctx) -> Outcome {
        let _ = cx;
        match action {
            Action::ReviewAccept => self.answer(ReviewStep::Accepted),
            Action::ReviewReject => self.answer(ReviewStep::Rejected),
            Action::ReviewSkip => self.answer(ReviewStep::Skipped),
            Action::ReviewAcceptAll => self.accept_all(),
            Action::ReviewBack => self.step_back(),
            Action::Open => match self.current().and_then(|i| i.examples.first().copied()) {
                Some(m) => Outcome::All(vec![
                    Outcome::Close,
                    Outcome::OpenDoc {
                        doc: m.doc,
                        at: Some(m.start as usize),
                        jump: true,
                    },
                    Outcome::Focus(Pane::Article),
                ]),
                None => Outcome::Consumed,
            },
            Action::Back => {
                let (a, x, s) = (self.accepted, self.rejected, self.skipped);
                let summary = if a + x + s > 0 {
                    Outcome::Message(format!("Review: {a} accepted, {x} rejected, {s} skipped"))
                } else {
                    Outcome::Consumed
                };
                Outcome::Close.and(summary)
            }
            _ => Outcome::Ignored,
        }
    }

    /// True for the actions that decide (refused while the journal is
    /// read-only).
    pub fn decides(action: &Action) -> bool {
        matches!(
            action,
            Action::ReviewAccept | Action::ReviewReject | Action::ReviewAcceptAll
        )
    }

    /// Accepts, rejects or skips the current suggestion and goes on.
    fn answer(&mut self, step: ReviewStep) -> Outcome {
        let Some(item) = self.current().cloned() else {
            return Outcome::Consumed;
        };
        let decided = match step {
            ReviewStep::Accepted => Outcome::Decide(Op::LinkText {
                text: item.text.clone(),
                entity: item.entity.clone(),
                new: None,
            }),
            ReviewStep::Rejected => Outcome::Decide(Op::RejectText {
                text: item.text.clone(),
                entity: item.entity.clone(),
            }),
            ReviewStep::Skipped => Outcome::Consumed,
        };
        self.history.push((self.pos, step));
        match step {
            ReviewStep::Accepted => self.accepted += 1,
            ReviewStep::Rejected => self.rejected += 1,
            ReviewStep::Skipped => self.skipped += 1,
        }
        self.pos += 1;
        if self.pos >= self.items.len() && step == ReviewStep::Skipped {
            let (a, x, s) = (self.accepted, self.rejected, self.skipped);
            return decided.and(Outcome::Message(format!(
                "Review done: {a} accepted, {x} rejected, {s} skipped"
            )));
        }
        decided
    }

    /// `A`: accepts the suggestion and every later one of the same kind
    /// (source), as one decision (one undo step); the queue goes on with
    /// the others.
    fn accept_all(&mut self) -> Outcome {
        let Some(item) = self.current().cloned() else {
            return Outcome::Consumed;
        };
        let later: Vec<usize> = (self.pos + 1..self.items.len())
            .filter(|&j| self.items[j].source == item.source)
            .collect();
        let mut removed: Vec<(usize, ReviewItem)> = Vec::with_capacity(later.len());
        for &j in later.iter().rev() {
            removed.push((j, self.items.remove(j)));
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
        self.history.push((self.pos, ReviewStep::Accepted));
        self.accepted += n;
        self.bulk.push((self.history.len(), removed));
        self.pos += 1;
        let what = match item.source {
            Source::Variant => "spelling variants",
            Source::Abbreviation => "abbreviations",
            Source::Name => "names",
            _ => "suggestions",
        };
        Outcome::Decide(Op::Batch { ops }).and(Outcome::OverlayMessage(if n == 1 {
            format!("Accepted the last of the {what} (Backspace undoes it)")
        } else {
            format!("Accepted {n} {what} as one decision (Backspace undoes it)")
        }))
    }

    /// Backspace: steps back to the last suggestion answered, undoing the
    /// decision if it was one.
    fn step_back(&mut self) -> Outcome {
        let Some((pos, step)) = self.history.pop() else {
            return Outcome::OverlayMessage("Already at the first suggestion".into());
        };
        self.pos = pos;
        // A bulk accept puts back the suggestions it took out of the queue.
        if self
            .bulk
            .last()
            .is_some_and(|(at, _)| *at == self.history.len() + 1)
            && let Some((_, removed)) = self.bulk.pop()
        {
            self.accepted = self.accepted.saturating_sub(removed.len());
            for (j, item) in removed {
                let j = j.min(self.items.len());
                self.items.insert(j, item);
            }
        }
        match step {
            ReviewStep::Accepted => self.accepted = self.accepted.saturating_sub(1),
            ReviewStep::Rejected => self.rejected = self.rejected.saturating_sub(1),
            ReviewStep::Skipped => self.skipped = self.skipped.saturating_sub(1),
        }
        if step == ReviewStep::Skipped {
            Outcome::Consumed
        } else {
            Outcome::Then(Action::Undo)
        }
    }
}
