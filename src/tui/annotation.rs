//! Annotation in the reader: the decisions a person makes about a span or
//! an entity (tag, link, reject, rename, merge, split, notes, undo), the
//! corpus-wide count of the selection, and keeping the screen in place
//! when a decision changes the index. The modes that lead to decisions sit
//! above it: [`super::visual`] (the selection), [`super::picker`] (choosing
//! an entity), [`super::review`] (the queue of suggestions).
//!
//! Like the rest of `update`, nothing here does I/O. A decision becomes an
//! [`Effect`] that the event loop hands to the workspace thread
//! ([`super::worker`]); its answer comes back through [`applied`].

use super::app::{
    App, Confirm, ConfirmCount, ConfirmWhat, Count, Effect, Field, JournalInfo, KindFor, Overlay,
    Pane, PickFor, Prompt, Subject, TextFor, XrefItem,
};
use super::nav::{refilter_browser, refilter_list, set_xref_entity, sync_xref_to_cursor};
use super::picker::{close_picker, open_picker, refilter_picker};
use super::select;
use super::worker::{Applied, READ_ONLY};
use crate::annotate::ops::fresh_id;
use crate::annotate::{Anchor, NewEntity, NoteTarget, Op};
use crate::entity::normalize::key;
use crate::entity::{DocId, EntityId, Kind, Mention, Source};
use crate::index::Index;
pub use crate::index::query::{
    count_occurrences, count_occurrences_until, pick_rows, review_queue, reviewable, score,
    span_only_reason, too_short_to_match,
};
use crate::text::{self, plural};
use std::ops::Range;

// ---------------------------------------------------------------------------
// Counting: what "every occurrence" means.

/// True when linking the subject's text everywhere would link the subject
/// itself (it is whole words, long enough to match).
pub fn links_everywhere(index: &Index, s: &Subject) -> bool {
    let Some(doc) = index.docs().get(s.doc as usize) else {
        return false;
    };
    crate::index::query::links_span(&doc.text, &s.text, s.range.clone())
}

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
    app.count
        .as_ref()
        .filter(|c| c.text == text)
        .and_then(|c| c.result)
}

// ---------------------------------------------------------------------------
// What a decision is about.

pub(crate) fn subject_of(index: &Index, doc: DocId, range: Range<usize>) -> Subject {
    let exact = index
        .docs()
        .get(doc as usize)
        .and_then(|d| d.text.get(range.clone()))
        .unwrap_or("")
        .to_string();
    let mention = index
        .doc_mentions(doc)
        .iter()
        .find(|m| m.range() == range)
        .copied();
    Subject {
        doc,
        text: select::flatten(&exact),
        exact,
        range,
        mention,
    }
}

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

/// The two ways to link a subject to `entity` (created by `new` if given):
/// every occurrence of its text (when that can be matched), and this span.
pub(crate) fn link_ops(
    index: &Index,
    s: &Subject,
    entity: &str,
    new: Option<NewEntity>,
) -> (Option<Op>, Option<Op>) {
    let all = links_everywhere(index, s).then(|| Op::LinkText {
        text: s.text.clone(),
        entity: entity.to_string(),
        new: new.clone(),
    });
    let one = anchor_of(index, s).map(|anchor| Op::LinkSpan {
        anchor,
        entity: entity.to_string(),
        new,
    });
    (all, one)
}

pub(crate) fn anchor_of(index: &Index, s: &Subject) -> Option<Anchor> {
    let d = index.docs().get(s.doc as usize)?;
    d.text
        .get(s.range.clone())
        .map(|_| Anchor::new(&d.id, &d.text, s.range.clone()))
}

pub(crate) fn entity_id(index: &Index, e: EntityId) -> String {
    index
        .entities()
        .get(e as usize)
        .map(|x| x.id.clone())
        .unwrap_or_default()
}

/// The display name of an entity id.
pub fn entity_name(index: &Index, id: &str) -> String {
    index
        .entity_by_id(id)
        .map(|e| index.entity(e).name.clone())
        .unwrap_or_else(|| id.to_string())
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
// Visual mode.

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

/// A kind was chosen in the prompt.
pub fn choose_kind(app: &mut App, kind: Kind) {
    let Some(Prompt::Kind(purpose)) = app.prompt.clone() else {
        return;
    };
    let Some(index) = app.index.as_ref() else {
        return;
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
            confirm(
                app,
                Confirm {
                    what: ConfirmWhat::Tag {
                        text: s.text.clone(),
                        kind,
                    },
                    all,
                    one,
                    count: ConfirmCount::Corpus,
                    text: s.text,
                },
            );
        }
        KindFor::SetKind { entity } => {
            let now = index.entity_by_id(&entity).map(|e| index.entity(e).kind);
            if now == Some(kind) {
                app.prompt = None;
                app.set_message(format!("It is already a {kind}"));
            } else {
                decide(app, Op::SetKind { entity, kind });
            }
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

/// How a mention of this source came to be linked, for questions and
/// messages ("“ISKP” is linked by the knowledge base").
pub fn linked_by(source: Source) -> &'static str {
    match source {
        Source::Kb => "linked by the knowledge base",
        Source::Abbreviation => "an abbreviation defined in the text",
        Source::Person => "a short reference to a person named earlier",
        Source::Variant => "a suggested spelling variant",
        Source::Rule => "linked by a pattern rule",
        Source::Name => "a name the engine found",
        Source::Annotation => "linked by an annotation",
        Source::Context => "decided by the article's context",
    }
}

/// How many mentions of entity `e` have the text `text`.
pub(crate) fn mentions_with_text(index: &Index, e: EntityId, text: &str) -> usize {
    let k = key(text);
    index
        .entity_mentions(e)
        .filter(|m| {
            index
                .doc(m.doc)
                .text
                .get(m.range())
                .is_some_and(|t| key(t) == k)
        })
        .count()
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

/// Enter in the picker: the selected entity.
pub fn pick(app: &mut App) {
    let Some(p) = app.picker.clone() else { return };
    let Some(row) = p.rows.get(p.selected).cloned() else {
        app.input = Some(Field::Picker);
        app.set_overlay_message("No entity matches; Esc cancels");
        return;
    };
    close_picker(app);
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let id = entity_id(index, row.entity);
    match p.purpose {
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

// ---------------------------------------------------------------------------
// The review queue.

// ---------------------------------------------------------------------------
// The journal's answers.

/// The journal was opened: says what needs saying (read-only, a torn line,
/// annotations that cannot be placed).
pub fn journal_ready(app: &mut App, info: JournalInfo) {
    let mut notes: Vec<String> = Vec::new();
    let mut error = false;
    if info.read_only {
        error = true;
        notes.push(match &info.trouble {
            Some(t) => format!("read-only: {t}"),
            None => READ_ONLY.to_string(),
        });
    }
    if !info.unplaced.is_empty() {
        error = true;
        notes.push(format!(
            "{} cannot be placed",
            plural(info.unplaced.len(), "annotation", "annotations")
        ));
    }
    if !info.warnings.is_empty() {
        // The whole text (file, line, what was kept) is in the J view; the
        // status line says what happened in words that fit.
        error = true;
        // (A torn or unreadable line set aside, or ignored when read-only;
        // a decision of a kind this build cannot read, kept.)
        notes.push(format!(
            "journal: {}",
            plural(info.warnings.len(), "warning", "warnings")
        ));
    }
    if (!info.unplaced.is_empty() || !info.warnings.is_empty())
        && let Some(last) = notes.last_mut()
    {
        last.push_str(" (J for details)");
    }
    app.journal = info;
    if notes.is_empty() {
        return;
    }
    if let Some(m) = &app.message {
        notes.insert(0, m.text.clone());
        error |= m.error;
    }
    let text = notes.join("; ");
    if error {
        app.set_error(text);
    } else {
        app.set_message(text);
    }
}

/// The workspace answered a decision, undo or redo.
pub fn applied(app: &mut App, a: Applied) {
    app.in_flight = app.in_flight.saturating_sub(1);
    let mut journal = a.journal;
    if journal.pending > 0 && journal.save_error.is_none() {
        // Why the writes fail is known from an earlier answer.
        journal.save_error = app.journal.save_error.take();
    }
    app.journal = journal;
    if let Some(index) = a.index {
        swap_index(app, index);
    }
    if a.error {
        app.set_error(a.message);
    } else {
        app.set_message(a.message);
    }
    // Waiting to quit: once everything is on disk, quit; a retry that
    // failed asks again.
    if let Some(Prompt::Quit { retrying }) = app.prompt.as_mut() {
        if app.journal.pending == 0 {
            app.quit = true;
        } else if app.in_flight == 0 {
            *retrying = false;
        }
    }
}

/// Puts a new index in place, keeping the reader where it was: the same
/// document, scroll and cursor position, the same entity in the cross-link
/// panel (by id), the same list filters.
pub fn swap_index(app: &mut App, index: Index) {
    let Some(old) = app.index.as_ref() else {
        app.index = Some(index);
        return;
    };
    let id = |e: EntityId| old.entities().get(e as usize).map(|x| x.id.clone());
    let cursor_at = app.cursor_mention().map(|m| m.start as usize);
    let xref_id = app.xref.entity.and_then(id);
    let xref_mention = match app.xref.selected_item() {
        Some(XrefItem::Mention(i)) => app.xref.mentions.get(i, old).map(|m| (m.doc, m.start)),
        _ => None,
    };
    let xref_selected = app.xref.selected;
    let list_ids: Vec<String> = app.list.entities.iter().filter_map(|&e| id(e)).collect();
    let jump_ids: Vec<Option<String>> = app
        .jumps
        .entries
        .iter()
        .map(|l| l.entity.and_then(id))
        .collect();
    app.index = Some(index);
    let Some(new) = app.index.as_ref() else {
        return;
    };
    app.list.entities = list_ids
        .iter()
        .filter_map(|i| new.entity_by_id(i))
        .collect();
    for (l, i) in app.jumps.entries.iter_mut().zip(jump_ids) {
        l.entity = i.and_then(|i| new.entity_by_id(&i));
    }
    if let Some(doc) = app.article.doc {
        let ms = new.doc_mentions(doc);
        app.article.cursor = match cursor_at {
            Some(b) => {
                let i = ms.partition_point(|m| (m.end as usize) <= b);
                (i < ms.len()).then_some(i).or(ms.len().checked_sub(1))
            }
            None => None,
        };
    }
    refilter_list(app);
    let keep = xref_id.and_then(|i| new_entity(app, &i));
    if app.focus != Pane::Xref && app.cursor_mention().is_some() {
        app.xref.entity = None;
        sync_xref_to_cursor(app);
    } else if let Some(e) = keep {
        set_xref_entity(app, e);
        let row = xref_mention.and_then(|(d, s)| {
            let index = app.index.as_ref()?;
            app.xref.mention_row(index, d, s)
        });
        app.xref.selected = row.unwrap_or(xref_selected.min(app.xref.len().saturating_sub(1)));
    } else {
        app.xref = Default::default();
        sync_xref_to_cursor(app);
    }
    if app.overlay == Some(Overlay::Entities) {
        refilter_browser(app);
    }
    if let Some(sel) = app.picker.as_ref().map(|p| p.selected) {
        refilter_picker(app);
        if let Some(p) = app.picker.as_mut() {
            p.selected = sel.min(p.rows.len().saturating_sub(1));
        }
    }
}

pub(crate) fn new_entity(app: &App, id: &str) -> Option<EntityId> {
    app.index.as_ref()?.entity_by_id(id)
}
