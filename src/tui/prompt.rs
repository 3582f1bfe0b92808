//! Questions and answers above the status line: confirming a decision for
//! every occurrence or this one, choosing a kind, typing a name or a note
//! (or writing it in an editor), and the question on quitting with
//! decisions not yet on disk.

use super::action::Action;
use super::annotation::{decide, entity_name, linked_by};
use super::answer::{Count, JournalInfo};
use super::app::{App, Confirm, ConfirmCount, ConfirmWhat, Effect, Field, Prompt, TextFor};
use super::keymap::{Context, Keymap};
use super::select;
use crate::annotate::Op;
use crate::index::Index;
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};
use crate::text::{self, plural};

/// The keymap context of a question.
pub const CONTEXT: Context = Context::Prompt;

/// Tab in the note prompt: the next target.
pub fn input_tab(app: &mut App) {
    let Some(Prompt::Text {
        purpose: TextFor::Note { targets, which },
        value,
    }) = app.prompt.as_mut()
    else {
        return;
    };
    let before = targets.get(*which).map(|(_, t)| t.clone());
    *which = (*which + 1) % targets.len().max(1);
    let after = targets.get(*which).map(|(_, t)| t.clone());
    // Show the note the new target has, unless something is being typed.
    let notes = &app.journal.notes;
    let note_of = |t: Option<_>| {
        t.and_then(|t| notes.iter().rev().find(|(x, _)| *x == t))
            .map(|(_, n)| n.clone())
    };
    if value.is_empty() || note_of(before).as_deref() == Some(value.as_str()) {
        *value = note_of(after).unwrap_or_default();
    }
}

/// Ctrl-e in the note prompt: asks the event loop to open the note, as
/// typed so far, in the user's editor.
pub fn input_editor(app: &mut App) {
    match &app.prompt {
        Some(Prompt::Text {
            purpose: TextFor::Note { .. },
            value,
        }) if app.input == Some(Field::Prompt) => {
            app.effects.push(Effect::EditNote(value.clone()));
        }
        _ => app.set_message("Ctrl-e opens the editor in the note prompt only (;)"),
    }
}

/// The editor is done: saves what it wrote as the note, or cancels the
/// note and says why.
pub fn edited(app: &mut App, result: Result<String, String>) {
    let Some(Prompt::Text {
        purpose: TextFor::Note { targets, which },
        ..
    }) = app.prompt.clone()
    else {
        return;
    };
    let note = result.map(|t| super::editor::clean_note(&t)).and_then(|t| {
        if t.is_empty() {
            Err("the note is empty".to_string())
        } else {
            Ok(t)
        }
    });
    let target = targets.get(which).map(|(_, t)| t.clone());
    match (note, target) {
        (Ok(text), Some(target)) => {
            app.input = None;
            decide(app, Op::Note { target, text });
        }
        (Err(why), _) => {
            app.prompt = None;
            app.input = None;
            app.set_error(format!("Note cancelled: {why}"));
        }
        (Ok(_), None) => {
            app.prompt = None;
            app.input = None;
        }
    }
}

/// Enter in a text prompt.
pub fn accept_text(app: &mut App) {
    let Some(Prompt::Text { purpose, value }) = app.prompt.clone() else {
        return;
    };
    let value = select::flatten(&text::sanitize(&value));
    match purpose {
        TextFor::Rename { entity } => {
            let now = app
                .index
                .as_ref()
                .map(|i| entity_name(i, &entity))
                .unwrap_or_default();
            if value.is_empty() || value == now {
                app.prompt = None;
                app.set_message("Name unchanged");
            } else {
                decide(
                    app,
                    Op::Rename {
                        entity,
                        name: value,
                    },
                );
            }
        }
        TextFor::Note { targets, which } => {
            let Some((_, target)) = targets.get(which).cloned() else {
                app.prompt = None;
                return;
            };
            if value.is_empty() {
                app.prompt = None;
                app.set_message("An empty note is not saved");
            } else {
                decide(
                    app,
                    Op::Note {
                        target,
                        text: value,
                    },
                );
            }
        }
    }
}

/// Enter (all) or `1` (one) in a confirmation.
pub fn answer(app: &mut App, all: bool) {
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        return;
    };
    let op = if all {
        c.all.or(c.one)
    } else {
        match c.one {
            Some(op) => Some(op),
            None => {
                app.set_message("This one applies to every occurrence only: Enter or Esc");
                return;
            }
        }
    };
    match op {
        Some(op) => decide(app, op),
        None => app.prompt = None,
    }
}

/// The question of a confirmation and its keys, as shown.
/// `count` is the corpus-wide count the reader has (for
/// [`ConfirmCount::Corpus`]); the keys are the keymap's.
pub fn confirm_question(
    c: &Confirm,
    index: Option<&Index>,
    count: Option<&Count>,
    keymap: &Keymap,
) -> (String, Vec<(String, String)>) {
    let name = |id: &str| {
        index
            .map(|i| entity_name(i, id))
            .unwrap_or_else(|| id.to_string())
    };
    let n = match c.count {
        ConfirmCount::Known(n) => Some(n),
        ConfirmCount::Corpus => Count::of(count, &c.text).map(|(n, _)| n),
    };
    let every = match n {
        Some(n) => format!("all {}", plural(n, "occurrence", "occurrences")),
        None => "every occurrence (counting…)".to_string(),
    };
    let only_here = c.all.is_none();
    let why = |text: &str| {
        if too_short_to_match(text) {
            "Too short to link everywhere"
        } else {
            "Not whole words"
        }
    };
    let q = match &c.what {
        ConfirmWhat::Link { text, entity } if only_here => {
            format!(
                "Link “{text}” to {}? ({}: this span only.)",
                name(entity),
                why(text)
            )
        }
        ConfirmWhat::Link { text, entity } => {
            format!("Link {every} of “{text}” to {}?", name(entity))
        }
        ConfirmWhat::Tag { text, kind } if only_here => {
            format!(
                "Tag “{text}” as a new {kind}? ({}: this span only.)",
                why(text)
            )
        }
        ConfirmWhat::Tag { text, kind } => {
            format!("Tag {every} of “{text}” as a new {kind}?")
        }
        ConfirmWhat::Accept { text, entity } if only_here => {
            format!("Accept “{text}” as {}, this span only?", name(entity))
        }
        ConfirmWhat::Accept { text, entity } => {
            format!("Accept “{text}” as {} for {every}?", name(entity))
        }
        ConfirmWhat::Reject {
            text,
            entity,
            source,
        } => {
            let links = match n {
                Some(n) => format!("all {}", plural(n, "link", "links")),
                None => "every link".to_string(),
            };
            if reviewable(*source) {
                format!(
                    "“{text}” is not {}: remove {links} of “{text}”?",
                    name(entity)
                )
            } else {
                // Not a suggestion: say plainly what is being undone.
                let links = match n {
                    Some(1) => "its 1 link".to_string(),
                    _ => links,
                };
                format!(
                    "“{text}” is {}; reject it everywhere? (This removes {links} to {}.)",
                    linked_by(*source),
                    name(entity)
                )
            }
        }
        ConfirmWhat::Merge { from, into } => {
            let count = |id: &str| {
                index
                    .and_then(|i| i.entity_by_id(id).map(|e| i.stats(e).mentions))
                    .unwrap_or(0) as usize
            };
            format!(
                "Merge {} ({}) into {} ({})?",
                name(from),
                plural(count(from), "mention", "mentions"),
                name(into),
                plural(count(into), "mention", "mentions"),
            )
        }
        ConfirmWhat::Split {
            alias,
            entity,
            kind,
        } => format!(
            "Split “{alias}” ({}) off {} as a new {kind}?",
            plural(n.unwrap_or(0), "mention", "mentions"),
            name(entity)
        ),
    };
    let mut hints: Vec<(Action, String)> = Vec::new();
    match (&c.all, &c.one) {
        (Some(_), Some(_)) => {
            let all = match n {
                Some(n) => format!("all {n}"),
                None => "all".to_string(),
            };
            hints.push((Action::ConfirmAll, all));
            hints.push((Action::ConfirmOne, "only this one".to_string()));
        }
        (Some(_), None) => hints.push((Action::ConfirmAll, "yes".to_string())),
        (None, _) => hints.push((Action::ConfirmAll, "this one".to_string())),
    }
    hints.push((Action::Back, "cancel".to_string()));
    (q, keys(keymap, CONTEXT, hints))
}

/// The question on quitting with unsaved decisions, and its keys.
/// `retrying` while a retry is on its way; the keys are the keymap's.
pub fn quit_question(
    j: &JournalInfo,
    retrying: bool,
    keymap: &Keymap,
) -> (String, Vec<(String, String)>) {
    let reason = j
        .save_error
        .as_deref()
        .unwrap_or("the journal cannot be written");
    let q = format!(
        "{} not saved ({reason}).",
        plural(j.pending, "decision is", "decisions are")
    );
    let hints = vec![
        (
            Action::RetrySave,
            if retrying { "retrying…" } else { "retry" }.to_string(),
        ),
        (Action::Quit, "quit anyway".to_string()),
        (Action::Back, "stay".to_string()),
    ];
    (q, keys(keymap, Context::Quit, hints))
}

/// The keys of a question's answers, as the keymap binds them in
/// `context` (an answer with no key is left out), beside their labels.
pub fn keys(
    keymap: &Keymap,
    context: Context,
    hints: Vec<(Action, String)>,
) -> Vec<(String, String)> {
    hints
        .into_iter()
        .filter_map(|(a, label)| keymap.label_for(&[context], &a).map(|k| (k, label)))
        .collect()
}

/// `q` (or Ctrl-c): quits, unless decisions are not on disk (a full
/// disk): then asks first. In that question, the same key quits anyway.
pub fn quit(app: &mut App) {
    if matches!(app.prompt, Some(Prompt::Quit { .. })) || app.journal.pending == 0 {
        app.quit = true;
        return;
    }
    app.prompt = Some(Prompt::Quit { retrying: false });
}

/// `r` in the question on quitting: writes the pending decisions again;
/// the answer quits when they are saved ([`applied`]).
pub fn retry_save(app: &mut App) {
    let Some(Prompt::Quit { retrying }) = app.prompt.as_mut() else {
        return;
    };
    if *retrying {
        return;
    }
    *retrying = true;
    app.effects.push(Effect::RetrySave);
    app.in_flight += 1;
    app.set_message("retrying the write…");
}

/// A question's actions: answering it for every occurrence or this one,
/// the note's target and editor, and the editor's result. True when it
/// took the action.
pub fn handle(app: &mut App, action: &Action) -> bool {
    match action {
        Action::ConfirmAll => answer(app, true),
        Action::ConfirmOne => answer(app, false),
        Action::InputTab => input_tab(app),
        Action::InputEditor => input_editor(app),
        Action::Edited(result) => edited(app, result.clone()),
        _ => return false,
    }
    true
}
