//! Questions and answers above the status line: confirming a decision for
//! every occurrence or this one, choosing a kind, typing a name or a note
//! (or writing it in an editor), and the question on quitting with
//! decisions not yet on disk. A mode (see [`super::mode`]): the router
//! hands it what it reads besides its own state ([`Asked`]).

use super::action::Action;
use super::answer::{Count, JournalInfo};
use super::keymap::{Context, Keymap};
use super::mode::{Ctx, Effect, Outcome};
use super::select;
use super::subject::{Subject, link_ops};
use crate::annotate::ops::fresh_id;
use crate::annotate::{NewEntity, NoteTarget, Op};
use crate::entity::{Kind, Source};
use crate::index::Index;
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};
use crate::index::query::{entity_name, linked_by};
use crate::text::{self, plural};

/// The keymap context of a question.
pub const CONTEXT: Context = Context::Prompt;

/// What a kind is chosen for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KindFor {
    /// Tag the span as a new entity of that kind.
    Tag(Subject),
    /// Change the kind of the entity with this id.
    SetKind { entity: String },
}

/// What a line of text is typed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFor {
    Rename {
        entity: String,
    },
    /// A note; `Tab` cycles through the targets (label, target).
    Note {
        targets: Vec<(String, NoteTarget)>,
        which: usize,
    },
}

/// How many things a confirmation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmCount {
    /// The corpus-wide count of the subject's text (the reader's [`Count`]).
    Corpus,
    Known(usize),
}

/// What is being confirmed, for the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmWhat {
    Link {
        text: String,
        entity: String,
    },
    Tag {
        text: String,
        kind: Kind,
    },
    Accept {
        text: String,
        entity: String,
    },
    Reject {
        text: String,
        entity: String,
        /// How the mention was linked: rejecting a suggestion reads
        /// differently from rejecting a link the knowledge base made.
        source: Source,
    },
    Merge {
        from: String,
        into: String,
    },
    Split {
        alias: String,
        entity: String,
        kind: Kind,
    },
}

/// A question with one key to confirm: Enter applies `all` (every
/// occurrence; one decision, one undo step), `1` applies `one` (this span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub what: ConfirmWhat,
    pub all: Option<Op>,
    pub one: Option<Op>,
    pub count: ConfirmCount,
    /// The text whose corpus-wide count is shown.
    pub text: String,
}

/// A question in the prompt box above the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Confirm(Box<Confirm>),
    Kind(KindFor),
    Text {
        purpose: TextFor,
        value: String,
    },
    /// Quitting with decisions that are not on disk ([`JournalInfo::pending`]):
    /// retry the write, quit anyway, or stay. `retrying` while the retry
    /// is on its way to the workspace.
    Quit {
        retrying: bool,
    },
}

/// What the prompt reads besides its own state.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    /// The notes written so far, oldest first.
    pub notes: &'a [(NoteTarget, String)],
    /// The answer's text field is taking typed keys.
    pub typing: bool,
}

/// A question's actions: answering it for every occurrence or this one,
/// the kind, the typed answer (Enter, Esc), the note's target and editor,
/// and the editor's result. Some are taken with no question open (`Tab`,
/// `Ctrl-e`), as before one is asked.
pub fn handle(prompt: &mut Option<Prompt>, action: &Action, cx: &Ctx, asked: &Asked) -> Outcome {
    let taken = |o: Outcome| if o.taken() { o } else { Outcome::Consumed };
    taken(match action {
        Action::ConfirmAll => answer(prompt, true),
        Action::ConfirmOne => answer(prompt, false),
        Action::ChooseKind(k) => choose_kind(prompt, *k, cx),
        Action::InputTab => input_tab(prompt, asked),
        Action::InputEditor => input_editor(prompt, asked),
        Action::Edited(result) => edited(prompt, result.clone()),
        Action::InputAccept if asked.typing => Outcome::EndInput.and(accept_text(prompt, cx)),
        Action::InputCancel if asked.typing => {
            *prompt = None;
            Outcome::EndInput
        }
        _ => return Outcome::Ignored,
    })
}

/// Tab in the note prompt: the next target.
fn input_tab(prompt: &mut Option<Prompt>, asked: &Asked) -> Outcome {
    let Some(Prompt::Text {
        purpose: TextFor::Note { targets, which },
        value,
    }) = prompt.as_mut()
    else {
        return Outcome::Consumed;
    };
    let before = targets.get(*which).map(|(_, t)| t.clone());
    *which = (*which + 1) % targets.len().max(1);
    let after = targets.get(*which).map(|(_, t)| t.clone());
    // Show the note the new target has, unless something is being typed.
    let notes = asked.notes;
    let note_of = |t: Option<_>| {
        t.and_then(|t| notes.iter().rev().find(|(x, _)| *x == t))
            .map(|(_, n)| n.clone())
    };
    if value.is_empty() || note_of(before).as_deref() == Some(value.as_str()) {
        *value = note_of(after).unwrap_or_default();
    }
    Outcome::Consumed
}

/// Ctrl-e in the note prompt: asks the event loop to open the note, as
/// typed so far, in the user's editor.
fn input_editor(prompt: &Option<Prompt>, asked: &Asked) -> Outcome {
    match prompt {
        Some(Prompt::Text {
            purpose: TextFor::Note { .. },
            value,
        }) if asked.typing => Outcome::Effect(Effect::EditNote(value.clone())),
        _ => Outcome::Message("Ctrl-e opens the editor in the note prompt only (;)".into()),
    }
}

/// The editor is done: saves what it wrote as the note, or cancels the
/// note and says why.
fn edited(prompt: &mut Option<Prompt>, result: Result<String, String>) -> Outcome {
    let Some(Prompt::Text {
        purpose: TextFor::Note { targets, which },
        ..
    }) = prompt.clone()
    else {
        return Outcome::Consumed;
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
            Outcome::EndInput.and(Outcome::Decide(Op::Note { target, text }))
        }
        (Err(why), _) => {
            *prompt = None;
            Outcome::EndInput.and(Outcome::Error(format!("Note cancelled: {why}")))
        }
        (Ok(_), None) => {
            *prompt = None;
            Outcome::EndInput
        }
    }
}

/// Enter in a text prompt.
fn accept_text(prompt: &mut Option<Prompt>, cx: &Ctx) -> Outcome {
    let Some(Prompt::Text { purpose, value }) = prompt.clone() else {
        return Outcome::Consumed;
    };
    let value = select::flatten(&text::sanitize(&value));
    match purpose {
        TextFor::Rename { entity } => {
            let now = cx
                .index
                .map(|i| entity_name(i, &entity))
                .unwrap_or_default();
            if value.is_empty() || value == now {
                *prompt = None;
                Outcome::Message("Name unchanged".into())
            } else {
                Outcome::Decide(Op::Rename {
                    entity,
                    name: value,
                })
            }
        }
        TextFor::Note { targets, which } => {
            let Some((_, target)) = targets.get(which).cloned() else {
                *prompt = None;
                return Outcome::Consumed;
            };
            if value.is_empty() {
                *prompt = None;
                Outcome::Message("An empty note is not saved".into())
            } else {
                Outcome::Decide(Op::Note {
                    target,
                    text: value,
                })
            }
        }
    }
}

/// Enter (all) or `1` (one) in a confirmation.
fn answer(prompt: &mut Option<Prompt>, all: bool) -> Outcome {
    let Some(Prompt::Confirm(c)) = prompt.clone() else {
        return Outcome::Consumed;
    };
    let op = if all {
        c.all.or(c.one)
    } else {
        match c.one {
            Some(op) => Some(op),
            None => {
                return Outcome::Message(
                    "This one applies to every occurrence only: Enter or Esc".into(),
                );
            }
        }
    };
    match op {
        Some(op) => Outcome::Decide(op),
        None => {
            *prompt = None;
            Outcome::Consumed
        }
    }
}

/// A kind was chosen: asks to confirm the new entity, or changes the
/// entity's kind.
fn choose_kind(prompt: &mut Option<Prompt>, kind: Kind, cx: &Ctx) -> Outcome {
    let Some(Prompt::Kind(purpose)) = prompt.clone() else {
        return Outcome::Consumed;
    };
    let Some(index) = cx.index else {
        return Outcome::Consumed;
    };
    match purpose {
        KindFor::Tag(s) => {
            let id = fresh_id(&s.text, |c| index.entity_by_id(c).is_some());
            let new = NewEntity {
                id: id.clone(),
                name: s.text.clone(),
                kind,
            };
            let (all, one) = link_ops(index, &s, &id, Some(new));
            *prompt = Some(Prompt::Confirm(Box::new(Confirm {
                what: ConfirmWhat::Tag {
                    text: s.text.clone(),
                    kind,
                },
                all,
                one,
                count: ConfirmCount::Corpus,
                text: s.text,
            })));
            Outcome::Consumed
        }
        KindFor::SetKind { entity } => {
            let now = index.entity_by_id(&entity).map(|e| index.entity(e).kind);
            if now == Some(kind) {
                *prompt = None;
                Outcome::Message(format!("It is already a {kind}"))
            } else {
                Outcome::Decide(Op::SetKind { entity, kind })
            }
        }
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
