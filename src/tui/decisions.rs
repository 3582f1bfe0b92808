//! The keys that decide: what they act on (the selection, the mention
//! under the cursor or selected in the cross-link panel, the entity), the
//! questions they ask (a kind, a name, a note, the picker, a
//! confirmation), and sending the decision. Router-level, like
//! [`super::update`]: they read and change the whole reader.
//!
//! Nothing here does I/O. A decision becomes an [`Effect`] that the event
//! loop hands to the workspace thread ([`super::worker`]); its answer comes
//! back through [`super::on_answer::applied`].

use super::app::{
    App, Confirm, ConfirmCount, ConfirmWhat, Effect, Field, KindFor, Overlay, Pane, PickFor,
    Prompt, Subject, TextFor, XrefItem,
};
use super::picker::Picker;
use super::subject::{anchor_of, link_ops, subject_of};
use super::worker::READ_ONLY;
use crate::annotate::ops::fresh_id;
use crate::annotate::{NewEntity, NoteTarget, Op};
use crate::entity::normalize::key;
use crate::entity::{EntityId, Mention};
use crate::index::query::{entity_id, linked_by, mentions_with_text, reviewable};
use crate::text;

// ---------------------------------------------------------------------------
// What a decision is about.

/// The mention a key acts on outside visual mode: the one selected in the
/// cross-link panel when it has the focus, else the one under the cursor.
pub(crate) fn target_mention(app: &App) -> Option<Mention> {
    if app.overlay.is_some() {
        return None;
    }
    match app.focus {
        Pane::Xref => match app.xref.selected_item() {
            Some(XrefItem::Mention(i)) => app
                .index
                .as_ref()
                .and_then(|index| app.xref.mentions.get(i, index)),
            _ => None,
        },
        Pane::Article => app.cursor_mention(),
        Pane::List => None,
    }
}

/// The span a key acts on: the selection, or the target mention.
pub fn subject(app: &App) -> Option<Subject> {
    let index = app.index.as_ref()?;
    if let Some(v) = app.visual {
        return Some(subject_of(index, v.doc, v.range()));
    }
    let m = target_mention(app)?;
    Some(subject_of(index, m.doc, m.range()))
}

/// The mention a key acts on: the selected mention, or the one under the
/// start of the selection.
pub(crate) fn subject_mention(app: &App) -> Option<Mention> {
    let index = app.index.as_ref()?;
    match app.visual {
        Some(v) => index
            .doc_mentions(v.doc)
            .iter()
            .find(|m| m.range() == v.range())
            .or_else(|| index.mention_at(v.doc, v.start))
            .copied(),
        None => target_mention(app),
    }
}

/// The entity a key acts on: the browser's selection, the cross-link
/// panel's entity when it has the focus, or the mention's.
pub(crate) fn target_entity(app: &App) -> Option<EntityId> {
    match app.overlay {
        Some(Overlay::Entities) => app.browser.rows.get(app.browser.selected).copied(),
        Some(_) => None,
        None => {
            if app.focus == Pane::Xref && app.visual.is_none() {
                return app.xref.entity;
            }
            subject_mention(app).map(|m| m.entity).or(app.xref.entity)
        }
    }
}

/// Says why nothing can be decided, and returns true, when the journal is
/// read-only. Said on every press: when the same words are already on
/// the status line, a count of the presses shows that the key was heard.
pub(crate) fn refuse_if_read_only(app: &mut App) -> bool {
    if !app.journal.read_only {
        return false;
    }
    let why = match &app.journal.trouble {
        Some(t) => format!("read-only: {t}"),
        None => READ_ONLY.to_string(),
    };
    // How many times it is on the status line already ("… ×3").
    let shown = app
        .message
        .as_ref()
        .filter(|m| m.error && m.overlay.is_none())
        .and_then(|m| m.text.strip_prefix(why.as_str()));
    let again = match shown {
        Some("") => Some(1),
        Some(rest) => rest
            .strip_prefix(" ×")
            .and_then(|n| n.parse::<usize>().ok()),
        None => None,
    };
    match again {
        Some(n) => app.set_error(format!("{why} ×{}", n + 1)),
        None => app.set_error(why),
    }
    true
}

const NO_SUBJECT: &str =
    "Nothing selected: v selects text, s the mention under the cursor (n: next mention)";

pub(crate) fn need_subject(app: &mut App) -> Option<Subject> {
    match subject(app) {
        Some(s) if s.text.chars().any(char::is_alphanumeric) => Some(s),
        Some(_) => {
            app.set_message("The selection has no letters or digits");
            None
        }
        None => {
            app.set_message(NO_SUBJECT);
            None
        }
    }
}

pub(crate) fn need_mention(app: &mut App) -> Option<(Subject, Mention)> {
    let Some(m) = subject_mention(app) else {
        app.set_message("No mention here (n: next mention)");
        return None;
    };
    let index = app.index.as_ref()?;
    Some((subject_of(index, m.doc, m.range()), m))
}

pub(crate) fn need_entity(app: &mut App) -> Option<(EntityId, String)> {
    let Some(e) = target_entity(app) else {
        app.set_message("No entity here: put the cursor on a mention (n), or choose one (e)");
        return None;
    };
    let index = app.index.as_ref()?;
    Some((e, entity_id(index, e)))
}

/// Sends a decision to the journal.
pub(crate) fn decide(app: &mut App, op: Op) {
    if refuse_if_read_only(app) {
        return;
    }
    app.set_message(format!(
        "saving: {}…",
        super::worker::describe(&op, app.index.as_ref())
    ));
    app.effects.push(Effect::Decide(op));
    app.in_flight += 1;
    app.visual = None;
    app.prompt = None;
}

// ---------------------------------------------------------------------------
// Decisions.

pub(crate) fn confirm(app: &mut App, c: Confirm) {
    app.prompt = Some(Prompt::Confirm(Box::new(c)));
}

/// `t`: asks for a kind, then tags the span as a new entity. A text that
/// is already an entity's name or alias is offered for linking first (the
/// picker opens on that entity); `t` again on it tags a new one anyway.
pub fn tag(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some(s) = need_subject(app) else {
        return;
    };
    let k = crate::entity::normalize::key(&s.text);
    let known = app.index.as_ref().and_then(|index| {
        index
            .entities()
            .iter()
            .find(|e| {
                !app.journal.merged.contains(&e.id)
                    && std::iter::once(&e.name)
                        .chain(&e.aliases)
                        .any(|a| crate::entity::normalize::key(a) == k)
            })
            .map(|e| e.name.clone())
    });
    match known {
        Some(name) if app.tag_offered.as_deref() != Some(k.as_str()) => {
            app.tag_offered = Some(k);
            let text = s.text.clone();
            open_picker(app, PickFor::Link(s));
            if let Some(p) = app.picker.as_mut() {
                p.query = text.clone();
            }
            refilter_picker(app);
            app.set_overlay_message(format!(
                "“{}” is already {}: Enter links it (Esc, t: a new entity)",
                crate::text::truncate(&text, 30),
                crate::text::truncate(&name, 30)
            ));
        }
        _ => {
            app.tag_offered = None;
            app.prompt = Some(Prompt::Kind(KindFor::Tag(s)));
        }
    }
}

/// `L`: opens the picker to link the span.
pub fn link(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    if let Some(s) = need_subject(app) {
        open_picker(app, PickFor::Link(s));
    }
}

/// `d`: the span is not a mention.
pub fn reject_mention(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some(s) = need_subject(app) else { return };
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let overlaps = index
        .doc_mentions(s.doc)
        .iter()
        .any(|m| (m.start as usize) < s.range.end && (m.end as usize) > s.range.start);
    if !overlaps {
        app.set_message(format!("Nothing to reject: “{}” is not a mention", s.text));
        return;
    }
    if let Some(anchor) = anchor_of(index, &s) {
        decide(app, Op::RejectSpan { anchor });
    }
}

/// `A`: accepts the mention's link for every occurrence of its text.
pub fn accept_link(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some((s, m)) = need_mention(app) else {
        return;
    };
    if !reviewable(m.source) {
        app.set_message(format!(
            "not a suggestion: nothing to accept (“{}” is {})",
            text::truncate(&s.text, 40),
            linked_by(m.source)
        ));
        return;
    }
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let id = entity_id(index, m.entity);
    let (all, one) = link_ops(index, &s, &id, None);
    confirm(
        app,
        Confirm {
            what: ConfirmWhat::Accept {
                text: s.text.clone(),
                entity: id,
            },
            all,
            one,
            count: ConfirmCount::Corpus,
            text: s.text,
        },
    );
}

/// `X`: the mention's text is never its entity.
pub fn reject_link(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some((s, m)) = need_mention(app) else {
        return;
    };
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let id = entity_id(index, m.entity);
    let n = mentions_with_text(index, m.entity, &s.text);
    let one = anchor_of(index, &s).map(|anchor| Op::RejectSpan { anchor });
    confirm(
        app,
        Confirm {
            what: ConfirmWhat::Reject {
                text: s.text.clone(),
                entity: id.clone(),
                source: m.source,
            },
            all: Some(Op::RejectText {
                text: s.text.clone(),
                entity: id,
            }),
            one,
            count: ConfirmCount::Known(n),
            text: s.text,
        },
    );
}

/// `R`: asks for a new name.
pub fn rename(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some((e, id)) = need_entity(app) else {
        return;
    };
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let value = index.entity(e).name.clone();
    app.prompt = Some(Prompt::Text {
        purpose: TextFor::Rename { entity: id },
        value,
    });
    app.input = Some(Field::Prompt);
}

/// `K`: asks for a kind.
pub fn set_kind(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    if let Some((_, id)) = need_entity(app) {
        app.prompt = Some(Prompt::Kind(KindFor::SetKind { entity: id }));
    }
}

/// `+`: opens the picker for the entity to merge into.
pub fn merge(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    if let Some((_, id)) = need_entity(app) {
        open_picker(app, PickFor::Merge { from: id });
    }
}

/// `S`: splits the mention's surface form off its entity.
pub fn split(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some((s, m)) = need_mention(app) else {
        return;
    };
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let ent = index.entity(m.entity);
    if key(&ent.name) == key(&s.text) {
        app.set_message(format!(
            "“{}” is the entity's own name: rename it (R) or link the mention elsewhere (L)",
            s.text
        ));
        return;
    }
    let new = NewEntity {
        id: fresh_id(&s.text, |c| index.entity_by_id(c).is_some()),
        name: s.text.clone(),
        kind: ent.kind,
    };
    let n = mentions_with_text(index, m.entity, &s.text);
    let what = ConfirmWhat::Split {
        alias: s.text.clone(),
        entity: ent.id.clone(),
        kind: ent.kind,
    };
    let all = Some(Op::SplitAlias {
        entity: ent.id.clone(),
        alias: s.text.clone(),
        new,
    });
    confirm(
        app,
        Confirm {
            what,
            all,
            one: None,
            count: ConfirmCount::Known(n),
            text: s.text,
        },
    );
}

pub(crate) fn latest_note(app: &App, target: &NoteTarget) -> Option<String> {
    app.journal
        .notes
        .iter()
        .rev()
        .find(|(t, _)| t == target)
        .map(|(_, n)| n.clone())
}

/// `;`: asks for a note on the mention (Tab: on the entity, the document).
pub fn note(app: &mut App) {
    if refuse_if_read_only(app) {
        return;
    }
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let mut targets = Vec::new();
    if let Some(s) = subject(app)
        && let Some(anchor) = anchor_of(index, &s)
    {
        targets.push((
            format!("this mention “{}”", text::truncate(&s.text, 30)),
            NoteTarget::Mention { anchor },
        ));
    }
    if let Some(e) = target_entity(app) {
        let ent = index.entity(e);
        targets.push((
            format!("the entity {}", text::truncate(&ent.name, 30)),
            NoteTarget::Entity { id: ent.id.clone() },
        ));
    }
    if let Some(d) = app.article.doc.and_then(|d| index.docs().get(d as usize)) {
        targets.push((
            format!("the document “{}”", text::truncate(&d.title, 30)),
            NoteTarget::Document { doc: d.id.clone() },
        ));
    }
    let Some((_, first)) = targets.first() else {
        app.set_message("Open a document first (Enter in the list)");
        return;
    };
    let value = latest_note(app, first).unwrap_or_default();
    app.prompt = Some(Prompt::Text {
        purpose: TextFor::Note { targets, which: 0 },
        value,
    });
    app.input = Some(Field::Prompt);
}

pub fn undo(app: &mut App, redo: bool) {
    if refuse_if_read_only(app) {
        return;
    }
    app.effects
        .push(if redo { Effect::Redo } else { Effect::Undo });
    app.in_flight += 1;
    app.set_message(if redo { "redoing…" } else { "undoing…" });
}

/// `W`: asks the workspace to take the read-only journal over, which
/// works once the instance holding it has quit.
pub fn take_over(app: &mut App) {
    if !app.journal.read_only {
        app.set_message("The journal is writable already");
        return;
    }
    app.effects.push(Effect::TakeOver);
    app.in_flight += 1;
    app.set_message("Trying to take the journal over…");
}

// ---------------------------------------------------------------------------
// The picker.

/// Opens the picker for `purpose`.
pub(crate) fn open_picker(app: &mut App, purpose: PickFor) {
    app.picker = Some(Picker::new(purpose));
    app.overlay = Some(Overlay::Picker);
    app.input = Some(Field::Picker);
    refilter_picker(app);
}

/// Recomputes the picker's rows after its query changed.
pub fn refilter_picker(app: &mut App) {
    if let (Some(index), Some(p)) = (app.index.as_ref(), app.picker.as_mut()) {
        p.refilter(index, &app.journal.merged);
    }
}

/// The picker (closed now) chose `entity` for `purpose`: asks to confirm
/// the link or the merge.
pub fn picked(app: &mut App, purpose: PickFor, entity: EntityId) {
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let id = entity_id(index, entity);
    match purpose {
        PickFor::Link(s) => {
            let (all, one) = link_ops(index, &s, &id, None);
            confirm(
                app,
                Confirm {
                    what: ConfirmWhat::Link {
                        text: s.text.clone(),
                        entity: id,
                    },
                    all,
                    one,
                    count: ConfirmCount::Corpus,
                    text: s.text,
                },
            );
        }
        PickFor::Merge { from } => {
            if from == id {
                app.set_error("An entity cannot be merged into itself");
                return;
            }
            let n = index
                .entity_by_id(&from)
                .map_or(0, |e| index.stats(e).mentions as usize);
            confirm(
                app,
                Confirm {
                    what: ConfirmWhat::Merge {
                        from: from.clone(),
                        into: id.clone(),
                    },
                    all: Some(Op::Merge { from, into: id }),
                    one: None,
                    count: ConfirmCount::Known(n),
                    text: String::new(),
                },
            );
        }
    }
}
