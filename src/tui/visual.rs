//! Visual mode: a selection in the article, started on the word under the
//! cursor or the whole mention, moved and extended by word, character and
//! line, and kept counted across the corpus while it changes. A mode (see
//! [`super::mode`]); the router hands it what it reads of the article
//! ([`Around`]).

use super::action::Action;
use super::keymap::Context;
use super::mode::{Ctx, Outcome, Pane};
use super::select;
use crate::entity::{DocId, Mention};
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};
use crate::text;
use std::ops::Range;

/// The keymap context of visual mode.
pub const CONTEXT: Context = Context::Visual;

/// The status line's key hints while text is selected.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Tag, "tag"),
    (Action::Link, "link"),
    (Action::RejectMention, "reject"),
    (Action::Back, "cancel"),
];

/// A span of the open article selected for annotation (visual mode). Both
/// ends are byte offsets into the document's text, on grapheme boundaries;
/// the motions move the *active* end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visual {
    pub doc: DocId,
    pub start: usize,
    pub end: usize,
    /// The start moves (after `o`) rather than the end.
    pub start_active: bool,
}

impl Visual {
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// What visual mode reads of the open article and the cross-link panel.
#[derive(Debug, Clone, Copy)]
pub struct Around<'a> {
    /// The open document.
    pub doc: Option<DocId>,
    /// The mention under the article's cursor.
    pub cursor: Option<Mention>,
    /// The first byte on screen.
    pub top: usize,
    /// The byte ranges of the article's screen lines.
    pub lines: &'a [Range<usize>],
    pub focus: Pane,
    /// The mention selected in the cross-link panel, when it has the focus.
    pub panel_mention: Option<Mention>,
}

fn doc_text<'a>(cx: &Ctx<'a>, doc: DocId) -> Option<&'a str> {
    cx.index?.docs().get(doc as usize).map(|d| d.text.as_str())
}

/// Selects `r`, in the article.
fn select(sel: &mut Option<Visual>, doc: DocId, r: Range<usize>) -> Outcome {
    *sel = Some(Visual {
        doc,
        start: r.start,
        end: r.end,
        start_active: false,
    });
    Outcome::Focus(Pane::Article).and(Outcome::Reveal(r.start))
}

/// The actions that are visual mode's: starting it, and moving or
/// extending the selection (`sel`, `None` outside visual mode).
pub fn handle(sel: &mut Option<Visual>, action: &Action, cx: &Ctx, at: &Around) -> Outcome {
    let taken = |o: Outcome| if o.taken() { o } else { Outcome::Consumed };
    taken(match action {
        Action::NextMention if sel.is_some() => other_mention(sel, cx, at, true),
        Action::PrevMention if sel.is_some() => other_mention(sel, cx, at, false),
        Action::Visual => Outcome::Close.and(start(sel, cx, at)),
        Action::SelectName => select_name(sel, cx, at),
        Action::ExtendWord => move_end(sel, cx, Motion::WordOn),
        Action::ExtendWordLeft => move_end(sel, cx, Motion::WordBack),
        Action::ExtendChar => move_end(sel, cx, Motion::CharOn),
        Action::ShrinkChar => move_end(sel, cx, Motion::CharBack),
        Action::SwapEnds => {
            if let Some(v) = sel.as_mut() {
                v.start_active = !v.start_active;
            }
            Outcome::Consumed
        }
        Action::NextWord => other_word(sel, cx, true),
        Action::PrevWord => other_word(sel, cx, false),
        Action::LineDown => other_line(sel, cx, at, true),
        Action::LineUp => other_line(sel, cx, at, false),
        _ => return Outcome::Ignored,
    })
}

/// `v`: selects the word at the cursor's mention (or the first word on
/// screen); `v` again leaves visual mode.
fn start(sel: &mut Option<Visual>, cx: &Ctx, at: &Around) -> Outcome {
    if sel.take().is_some() {
        return Outcome::Consumed;
    }
    let Some(doc) = at.doc else {
        return Outcome::Message("Open a document first (Enter in the list)".into());
    };
    let from = match at.cursor {
        Some(m) if m.doc == doc => m.start as usize,
        _ => at.top,
    };
    let Some(text) = doc_text(cx, doc) else {
        return Outcome::Consumed;
    };
    match select::word_at_or_near(text, from) {
        Some(w) => select(sel, doc, w),
        None => Outcome::Message("No words in this document".into()),
    }
}

/// `s`: selects the mention under the cursor (or in visual mode grows the
/// selection to the mention or name around its start). In the cross-link
/// panel, it opens the panel's mention first.
fn select_name(sel: &mut Option<Visual>, cx: &Ctx, at: &Around) -> Outcome {
    let Some(index) = cx.index else {
        return Outcome::Consumed;
    };
    match *sel {
        Some(v) => {
            let Some(text) = doc_text(cx, v.doc) else {
                return Outcome::Consumed;
            };
            let mention = index
                .mention_at(v.doc, v.start)
                .map(Mention::range)
                .filter(|r| r.start <= v.start && r.end >= v.end && *r != v.range());
            let name = select::name_at(text, v.start)
                .filter(|r| r.start <= v.start && r.end >= v.end && *r != v.range());
            match mention.or(name) {
                Some(r) => select(sel, v.doc, r),
                None => Outcome::Consumed,
            }
        }
        None => {
            if at.focus == Pane::Xref
                && let Some(m) = at.panel_mention
            {
                // Open it, then select the mention under the cursor there.
                return Outcome::All(vec![
                    Outcome::OpenDoc {
                        doc: m.doc,
                        at: Some(m.start as usize),
                        jump: true,
                    },
                    Outcome::Focus(Pane::Article),
                    Outcome::Then(Action::SelectName),
                ]);
            }
            let Some(doc) = at.doc else {
                return Outcome::Message("Open a document first (Enter in the list)".into());
            };
            if let Some(m) = at.cursor {
                return select(sel, doc, m.range());
            }
            let Some(text) = doc_text(cx, doc) else {
                return Outcome::Consumed;
            };
            match select::word_at_or_near(text, at.top)
                .and_then(|w| select::name_at(text, w.start).or(Some(w)))
            {
                Some(r) => select(sel, doc, r),
                None => Outcome::Consumed,
            }
        }
    }
}

/// A motion of the moving end of the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    WordOn,
    WordBack,
    CharOn,
    CharBack,
}

/// The selection after `motion`, or `None` when it cannot move.
pub fn moved(text: &str, v: Visual, motion: Motion) -> Option<Visual> {
    let mut v = v;
    // The start of the word before `at` (or of the one `at` is inside).
    let word_start_before = |at: usize| -> Option<usize> {
        match select::word_containing(text, at) {
            Some(w) if w.start < at => Some(w.start),
            _ => select::prev_word(text, at).map(|w| w.start),
        }
    };
    match (motion, v.start_active) {
        (Motion::WordOn, false) => {
            v.end = match select::word_containing(text, v.end) {
                Some(w) if w.start < v.end => w.end,
                _ => select::next_word(text, v.end)?.end,
            };
        }
        (Motion::WordOn, true) => {
            let s = select::next_word(text, select::next_grapheme(text, v.start))?.start;
            if s >= v.end {
                return None;
            }
            v.start = s;
        }
        (Motion::WordBack, false) => {
            let before = select::prev_grapheme(text, v.end);
            match select::prev_word(text, before) {
                Some(w) if w.end > v.start => v.end = w.end,
                // From a single word, grow to the left instead.
                _ => v.start = word_start_before(v.start)?,
            }
        }
        (Motion::WordBack, true) => v.start = word_start_before(v.start)?,
        (Motion::CharOn, false) => {
            if v.end >= text.len() {
                return None;
            }
            v.end = select::next_grapheme(text, v.end);
        }
        (Motion::CharOn, true) => {
            let s = select::next_grapheme(text, v.start);
            if s >= v.end {
                return None;
            }
            v.start = s;
        }
        (Motion::CharBack, false) => {
            let e = select::prev_grapheme(text, v.end);
            if e <= v.start {
                return None;
            }
            v.end = e;
        }
        (Motion::CharBack, true) => {
            if v.start == 0 {
                return None;
            }
            v.start = select::prev_grapheme(text, v.start);
        }
    }
    Some(v)
}

fn move_end(sel: &mut Option<Visual>, cx: &Ctx, motion: Motion) -> Outcome {
    let Some(v) = *sel else {
        return Outcome::Consumed;
    };
    let Some(text) = doc_text(cx, v.doc) else {
        return Outcome::Consumed;
    };
    match moved(text, v, motion) {
        Some(n) => {
            *sel = Some(n);
            Outcome::Reveal(if n.start_active { n.start } else { n.end })
        }
        None => Outcome::Consumed,
    }
}

/// `W` / `B`: selects the next or previous word instead.
fn other_word(sel: &mut Option<Visual>, cx: &Ctx, forward: bool) -> Outcome {
    let Some(v) = *sel else {
        return Outcome::Consumed;
    };
    let Some(text) = doc_text(cx, v.doc) else {
        return Outcome::Consumed;
    };
    let w = if forward {
        select::next_word(text, v.end)
    } else {
        select::prev_word(text, v.start)
    };
    match w {
        Some(w) => select(sel, v.doc, w),
        None => Outcome::Consumed,
    }
}

/// `j` / `k`: selects the word at the same column on the next line (or the
/// nearest line with a word) below or above.
fn other_line(sel: &mut Option<Visual>, cx: &Ctx, at: &Around, down: bool) -> Outcome {
    let Some(v) = *sel else {
        return Outcome::Consumed;
    };
    let Some(text) = doc_text(cx, v.doc) else {
        return Outcome::Consumed;
    };
    let lines = at.lines;
    if lines.is_empty() {
        return Outcome::Consumed;
    }
    let here = lines
        .partition_point(|r| r.start <= v.start)
        .saturating_sub(1);
    let col = lines
        .get(here)
        .and_then(|r| {
            text::layout_line(text, r.clone())
                .find(|(b, _, _)| *b >= v.start)
                .map(|(_, _, c)| c)
        })
        .unwrap_or(0);
    let mut li = here;
    for _ in 0..200 {
        li = if down {
            if li + 1 >= lines.len() {
                return Outcome::Consumed;
            }
            li + 1
        } else {
            match li.checked_sub(1) {
                Some(l) => l,
                None => return Outcome::Consumed,
            }
        };
        let r = lines[li].clone();
        if r.is_empty() {
            continue;
        }
        let b = text::byte_at_column(text, r.clone(), col);
        let within = |w: &Range<usize>| w.start >= r.start && w.start < r.end;
        let w = select::word_containing(text, b)
            .or_else(|| select::next_word(text, b).filter(within))
            .or_else(|| select::prev_word(text, b).filter(within));
        if let Some(w) = w {
            return select(sel, v.doc, w);
        }
    }
    Outcome::Consumed
}

/// `n` / `N` in visual mode: selects the next or previous mention.
fn other_mention(sel: &mut Option<Visual>, cx: &Ctx, at: &Around, forward: bool) -> Outcome {
    let Some(v) = *sel else {
        return Outcome::Consumed;
    };
    let Some(index) = cx.index else {
        return Outcome::Consumed;
    };
    let ms = index.doc_mentions(v.doc);
    let i = if forward {
        let i = ms.partition_point(|m| (m.start as usize) < v.end);
        if i < ms.len() { Some(i) } else { None }
    } else {
        ms.partition_point(|m| (m.end as usize) <= v.start)
            .checked_sub(1)
    };
    let Some(i) = i else {
        return Outcome::Message(
            if forward {
                "No more mentions below"
            } else {
                "No more mentions above"
            }
            .into(),
        );
    };
    let m = ms[i];
    let cursor = if at.doc == Some(v.doc) {
        Outcome::Cursor(i)
    } else {
        Outcome::Consumed
    };
    cursor
        .and(select(sel, v.doc, m.range()))
        .and(Outcome::SyncXref)
}
