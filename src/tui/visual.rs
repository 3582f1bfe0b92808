//! Visual mode: a selection in the article, started on the word under the
//! cursor or the whole mention, moved and extended by word, character and
//! line, and kept counted across the corpus while it changes.

use super::action::Action;
use super::annotation::target_mention;
use super::app::{App, Pane, Visual};
use super::keymap::Context;
use super::nav::{open_doc, push_jump, reveal, sync_xref_to_cursor};
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

pub(crate) fn doc_text(app: &App, doc: DocId) -> Option<&str> {
    app.index
        .as_ref()?
        .docs()
        .get(doc as usize)
        .map(|d| d.text.as_str())
}

pub(crate) fn set_visual(app: &mut App, doc: DocId, r: Range<usize>) {
    app.visual = Some(Visual {
        doc,
        start: r.start,
        end: r.end,
        start_active: false,
    });
    app.focus = Pane::Article;
    reveal(app, r.start);
}

/// The first byte on screen in the article.
pub(crate) fn first_visible(app: &App) -> usize {
    app.article
        .lines
        .get(app.article.scroll)
        .map_or(0, |r| r.start)
}

/// `v`: selects the word at the cursor's mention (or the first word on
/// screen); `v` again leaves visual mode.
pub fn start_visual(app: &mut App) {
    if app.visual.take().is_some() {
        return;
    }
    let Some(doc) = app.article.doc else {
        app.set_message("Open a document first (Enter in the list)");
        return;
    };
    let at = match app.cursor_mention() {
        Some(m) if m.doc == doc => m.start as usize,
        _ => first_visible(app),
    };
    let Some(text) = doc_text(app, doc) else {
        return;
    };
    let r = match select::word_at_or_near(text, at) {
        Some(w) => w,
        None => {
            app.set_message("No words in this document");
            return;
        }
    };
    set_visual(app, doc, r);
}

/// `s`: selects the mention under the cursor (or in visual mode grows the
/// selection to the mention or name around its start).
pub fn select_name(app: &mut App) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    match app.visual {
        Some(v) => {
            let Some(text) = doc_text(app, v.doc) else {
                return;
            };
            let mention = index
                .mention_at(v.doc, v.start)
                .map(Mention::range)
                .filter(|r| r.start <= v.start && r.end >= v.end && *r != v.range());
            let name = select::name_at(text, v.start)
                .filter(|r| r.start <= v.start && r.end >= v.end && *r != v.range());
            if let Some(r) = mention.or(name) {
                set_visual(app, v.doc, r);
            }
        }
        None => {
            if app.focus == Pane::Xref
                && let Some(m) = target_mention(app)
            {
                push_jump(app);
                open_doc(app, m.doc, Some(m.start as usize));
                set_visual(app, m.doc, m.range());
                return;
            }
            let Some(doc) = app.article.doc else {
                app.set_message("Open a document first (Enter in the list)");
                return;
            };
            if let Some(m) = app.cursor_mention() {
                set_visual(app, doc, m.range());
                return;
            }
            let at = first_visible(app);
            let Some(text) = doc_text(app, doc) else {
                return;
            };
            if let Some(r) = select::word_at_or_near(text, at)
                .and_then(|w| select::name_at(text, w.start).or(Some(w)))
            {
                set_visual(app, doc, r);
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

pub fn move_end(app: &mut App, motion: Motion) {
    let Some(v) = app.visual else { return };
    let Some(text) = doc_text(app, v.doc) else {
        return;
    };
    if let Some(n) = moved(text, v, motion) {
        app.visual = Some(n);
        reveal(app, if n.start_active { n.start } else { n.end });
    }
}

pub fn swap_ends(app: &mut App) {
    if let Some(v) = app.visual.as_mut() {
        v.start_active = !v.start_active;
    }
}

/// `W` / `B`: selects the next or previous word instead.
pub fn other_word(app: &mut App, forward: bool) {
    let Some(v) = app.visual else { return };
    let Some(text) = doc_text(app, v.doc) else {
        return;
    };
    let w = if forward {
        select::next_word(text, v.end)
    } else {
        select::prev_word(text, v.start)
    };
    if let Some(w) = w {
        set_visual(app, v.doc, w);
    }
}

/// `j` / `k`: selects the word at the same column on the next line (or the
/// nearest line with a word) below or above.
pub fn other_line(app: &mut App, down: bool) {
    let Some(v) = app.visual else { return };
    let Some(text) = doc_text(app, v.doc) else {
        return;
    };
    let lines = &app.article.lines;
    if lines.is_empty() {
        return;
    }
    let here = app.article.line_of(v.start);
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
                return;
            }
            li + 1
        } else {
            match li.checked_sub(1) {
                Some(l) => l,
                None => return,
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
            set_visual(app, v.doc, w);
            return;
        }
    }
}

/// `n` / `N` in visual mode: selects the next or previous mention.
pub fn other_mention(app: &mut App, forward: bool) {
    let Some(v) = app.visual else { return };
    let Some(index) = app.index.as_ref() else {
        return;
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
        app.set_message(if forward {
            "No more mentions below"
        } else {
            "No more mentions above"
        });
        return;
    };
    let m = ms[i];
    if app.article.doc == Some(v.doc) {
        app.article.cursor = Some(i);
    }
    set_visual(app, v.doc, m.range());
    sync_xref_to_cursor(app);
}

/// The actions that are visual mode's: starting it, and moving or
/// extending the selection. True when it took the action.
pub fn handle(app: &mut App, action: &Action) -> bool {
    match action {
        Action::NextMention if app.visual.is_some() => other_mention(app, true),
        Action::PrevMention if app.visual.is_some() => other_mention(app, false),
        Action::Visual => {
            app.overlay = None;
            start_visual(app);
        }
        Action::SelectName => select_name(app),
        Action::ExtendWord => move_end(app, Motion::WordOn),
        Action::ExtendWordLeft => move_end(app, Motion::WordBack),
        Action::ExtendChar => move_end(app, Motion::CharOn),
        Action::ShrinkChar => move_end(app, Motion::CharBack),
        Action::SwapEnds => swap_ends(app),
        Action::NextWord => other_word(app, true),
        Action::PrevWord => other_word(app, false),
        Action::LineDown => other_line(app, true),
        Action::LineUp => other_line(app, false),
        _ => return false,
    }
    true
}
