//! Annotation in the reader, driven through the real keymap and `update`:
//! visual-mode selection, the picker, the confirmation of corpus-wide
//! decisions, the review queue, and the whole loop through a real
//! workspace and journal. Plus what the screen shows: the selection's style
//! and the count of its text.

mod tui_fixture;

use dossier::annotate::{Journal, NewEntity, NoteTarget, Op, Workspace};
use dossier::entity::{Analysis, Kind, Mention, Source};
use dossier::index::Index;
use dossier::index::query::{count_occurrences, pick_rows, review_queue, score};
use dossier::tui::app::{App, Effect, Field, Overlay, Pane, Prompt, ReviewStep};
use dossier::tui::counts;
use dossier::tui::keymap::Keymap;
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::update;
use dossier::tui::view::help_lines;
use dossier::tui::worker::{self, Command};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use std::path::Path;
use std::sync::Arc;
use tui_fixture::*;

/// The selected text.
fn selected(app: &App) -> String {
    let (Some(v), Some(index)) = (app.visual, app.index.as_ref()) else {
        return String::new();
    };
    index.doc(v.doc).text[v.range()].to_string()
}

/// The decisions, undos and redos asked for (counts left out).
fn decisions(app: &App) -> Vec<Effect> {
    app.effects
        .iter()
        .filter(|e| !matches!(e, Effect::Count(_)))
        .cloned()
        .collect()
}

fn dark() -> Theme {
    Theme::load(Some("dark"), ColorDepth::TrueColor).expect("dark theme")
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            x += dossier::text::symbol_width(s).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

fn status_line(t: &Terminal<TestBackend>) -> String {
    screen_text(t)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

// ---------------------------------------------------------------------------
// Selecting a span.

#[test]
fn visual_mode_extends_by_word_and_character() {
    let mut app = app(80, 24);
    press(&mut app, "v");
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(selected(&app), "Pakistan", "starts at the cursor's word");
    press(&mut app, "ww");
    assert_eq!(selected(&app), "Pakistan has been");
    press(&mut app, "b");
    assert_eq!(selected(&app), "Pakistan has");
    press(&mut app, "bb");
    assert_eq!(
        selected(&app),
        "years Pakistan",
        "from one word, b grows to the left"
    );
    // `o`: the start moves now.
    press(&mut app, "ow");
    assert_eq!(selected(&app), "Pakistan");
    press(&mut app, "l");
    assert_eq!(selected(&app), "akistan");
    press(&mut app, "oh");
    assert_eq!(selected(&app), "akista");
    press(&mut app, "hhhhhhhh");
    assert_eq!(selected(&app), "a", "never empty");
    // Moving rather than extending.
    press(&mut app, "W");
    assert_eq!(selected(&app), "has");
    press(&mut app, "B");
    assert_eq!(selected(&app), "Pakistan");
    press(&mut app, "n");
    assert_eq!(selected(&app), "Pakistan");
    let second = app
        .index
        .as_ref()
        .expect("index")
        .doc(0)
        .text
        .rfind("Pakistan");
    assert_eq!(app.visual.map(|v| v.start), second, "the next mention");
    assert_eq!(app.article.cursor, Some(1), "the cursor follows");
    press(&mut app, "ee");
    assert_eq!(
        selected(&app),
        "Pakistan fights ISIS-K",
        "hyphens join words"
    );
    let line = app.article.line_of(app.visual.map_or(0, |v| v.start));
    press(&mut app, "j");
    let v = app.visual.expect("still selecting");
    assert!(app.article.line_of(v.start) > line, "a line down");
    assert!(
        !selected(&app).contains(' '),
        "one word: {}",
        selected(&app)
    );
    press(&mut app, "<Esc>");
    assert_eq!(app.visual, None);
    assert_eq!(app.focus, Pane::Article);
}

#[test]
fn s_selects_the_mention_or_the_name_in_one_key() {
    let mut app = app(80, 24);
    press(&mut app, "jjjj<Enter>");
    // The fifth document: "… by ISIS-K (Islamic State-Khorasan Province), …"
    press(&mut app, "n");
    assert_eq!(
        cursor_text(&app).as_deref(),
        Some("Islamic State-Khorasan Province")
    );
    press(&mut app, "s");
    assert_eq!(selected(&app), "Islamic State-Khorasan Province");
    // Visual mode from one word grows to the whole mention with `s`.
    press(&mut app, "<Esc>vs");
    assert_eq!(selected(&app), "Islamic State-Khorasan Province");
    // A name that is not a mention: "Operation Al-Mirsad" is one; "Taliban
    // launched Operation" is not a name, but "Following" alone is a word.
    press(&mut app, "<Esc>");
    let mut app = app_at_word(80, 24, 4, "launched");
    press(&mut app, "s");
    assert_eq!(
        selected(&app),
        "launched",
        "a lower-case word is its own name"
    );
}

/// A reader in visual mode on the first occurrence of `word` in `doc`.
fn app_at_word(w: u16, h: u16, doc: u32, word: &str) -> App {
    let mut app = app(w, h);
    update::open_doc(&mut app, doc, None);
    press(&mut app, "v");
    let at = app.index.as_ref().expect("index").doc(doc).text.find(word);
    let at = at.expect("word in the document");
    if let Some(v) = app.visual.as_mut() {
        v.start = at;
        v.end = at + word.len();
    }
    app
}

#[test]
fn the_count_of_the_same_text_is_shown_with_the_selection() {
    let mut app = app(80, 24);
    press(&mut app, "v");
    assert!(
        app.effects.contains(&Effect::Count("Pakistan".to_string())),
        "{:?}",
        app.effects
    );
    let t = draw_with(&app, &dark());
    assert!(status_line(&t).contains("counting…"), "{}", status_line(&t));
    counts::resolve_counts(&mut app);
    let index = app.index.as_ref().expect("index");
    assert_eq!(count_occurrences(index.corpus(), "Pakistan"), (5, 4));
    let t = draw_with(&app, &dark());
    let status = status_line(&t);
    assert!(status.starts_with(" VISUAL "), "{status}");
    assert!(
        status.contains("“Pakistan” 5× in the corpus (4 docs)"),
        "{status}"
    );
    // Part of a word cannot be linked everywhere; the status says so.
    press(&mut app, "h");
    counts::resolve_counts(&mut app);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains("“Pakista” not whole words"), "{status}");
}

#[test]
fn the_selection_is_styled_in_colour_and_without() {
    let mut app = app(80, 24);
    press(&mut app, "vw");
    assert_eq!(selected(&app), "Pakistan has");
    let area = dossier::tui::layout::app_panes(&app)
        .article
        .map(dossier::tui::layout::article_text)
        .expect("article");
    for (theme, mono) in [
        (dark(), false),
        (
            Theme::load(None, ColorDepth::Mono).expect("mono theme"),
            true,
        ),
    ] {
        let t = draw_with(&app, &theme);
        let buf = t.backend().buffer();
        // Find "Pakistan has" on screen.
        let mut found = None;
        for y in area.top()..area.bottom() {
            let line: String = (area.left()..area.right())
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            if let Some(i) = line.find("Pakistan has") {
                found = Some((area.left() + line[..i].chars().count() as u16, y));
                break;
            }
        }
        let (x, y) = found.expect("selection on screen");
        for dx in 0..12 {
            let cell = &buf[(x + dx, y)];
            let reset = |c: Option<Color>| c.unwrap_or(Color::Reset);
            assert_eq!(cell.fg, reset(theme.selection.fg), "{}", cell.symbol());
            assert_eq!(cell.bg, reset(theme.selection.bg), "{}", cell.symbol());
            if mono {
                assert!(
                    cell.style().add_modifier.contains(Modifier::REVERSED),
                    "NO_COLOR still shows the selection"
                );
            }
        }
        // The space after the selection is not selected.
        assert_ne!(buf[(x + 12, y)].style(), buf[(x, y)].style());
        // The gutter marks the selection's line.
        assert_eq!(buf[(area.left() - 1, y)].symbol(), "▌");
    }
}

// ---------------------------------------------------------------------------
// The picker.

#[test]
fn picker_scores_names_and_aliases() {
    assert_eq!(score("ttp", "TTP"), Some(10_000));
    let prefix = score("tehrik", "Tehrik-i-Taliban Pakistan").unwrap_or(0);
    assert_eq!(prefix / 1000, 8, "a prefix");
    assert_eq!(
        score("taliban", "Tehrik-i-Taliban Pakistan").map(|s| s / 1000),
        Some(6)
    );
    assert_eq!(
        score("alib", "Tehrik-i-Taliban Pakistan").map(|s| s / 1000),
        Some(4)
    );
    assert_eq!(
        score("pakistan tehrik", "Tehrik-i-Taliban Pakistan").map(|s| s / 1000),
        Some(3)
    );
    assert_eq!(
        score("isk", "Islamic State Khorasan").map(|s| s / 1000),
        Some(2),
        "a subsequence of word starts"
    );
    assert_eq!(
        score("ttp", "Islamic State Khorasan Province"),
        None,
        "scattered"
    );
    assert_eq!(score("xyz", "Kabul"), None);
    assert_eq!(score("KABUL", "kabul"), Some(10_000), "case is ignored");
    assert_eq!(score("", "anything"), Some(0));
}

#[test]
fn picker_filters_as_you_type_best_first() {
    let index = index();
    let rows = pick_rows(&index, "is-k", &[]);
    assert_eq!(rows.first().map(|r| r.entity), Some(ISKP));
    assert_eq!(rows[0].via.as_deref(), Some("IS-K"));
    let all = pick_rows(&index, "", &[]);
    assert_eq!(all.len(), index.entities().len());
    assert_eq!(all[0].entity, ISKP, "the most mentioned first");
    let hidden = pick_rows(&index, "", &["islamic-state-khorasan-province".to_string()]);
    assert!(hidden.iter().all(|r| r.entity != ISKP), "merged away");

    let mut app = app(80, 24);
    press(&mut app, "vL");
    assert_eq!(app.overlay, Some(Overlay::Picker));
    assert_eq!(app.input, Some(Field::Picker));
    press(&mut app, "kab");
    let p = app.picker.as_ref().expect("picker");
    assert_eq!(p.query, "kab");
    assert_eq!(p.rows.first().map(|r| r.entity), Some(KABUL));
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("Link “Pakistan” to…"), "{text}");
    assert!(text.contains("Kabul"), "{text}");
    press(&mut app, "<Esc>");
    assert_eq!(app.overlay, None);
    assert_eq!(app.input, None);
    assert!(
        app.visual.is_some(),
        "Esc in the picker keeps the selection"
    );
}

#[test]
fn the_picker_moves_while_typing_and_picks_the_row_chosen() {
    let mut app = app(80, 24);
    press(&mut app, "vL");
    let rows = app.picker.as_ref().expect("picker").rows.clone();
    assert!(rows.len() > 2, "{rows:?}");
    // ↓ and Ctrl-n move down while the query takes typed keys; ↑ back up.
    press(&mut app, "<Down><C-n>");
    assert_eq!(app.picker.as_ref().map(|p| p.selected), Some(2));
    assert_eq!(app.input, Some(Field::Picker));
    press(&mut app, "<Up>");
    assert_eq!(app.picker.as_ref().map(|p| p.selected), Some(1));
    // Enter picks that row: the question names its entity.
    press(&mut app, "<Enter>");
    assert!(app.picker.is_none());
    assert_eq!(app.overlay, None);
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation: {:?}", app.prompt)
    };
    let index = app.index.as_ref().expect("index");
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert!(q.contains(&index.entity(rows[1].entity).name), "{q}");
}

#[test]
fn a_click_selects_a_picker_row_and_a_second_click_picks_it() {
    let mut app = app(80, 24);
    app.mouse = true;
    press(&mut app, "vL");
    let rows = app.picker.as_ref().expect("picker").rows.clone();
    // The third row on screen: find its line by its name.
    let name = app
        .index
        .as_ref()
        .expect("index")
        .entity(rows[2].entity)
        .name
        .clone();
    let t = draw_with(&app, &dark());
    let buf = t.backend().buffer();
    let (x, y) = (0..buf.area.height)
        .find_map(|y| {
            let line: String = (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            line.find(name.as_str()).map(|_| (buf.area.width / 2, y))
        })
        .expect("the row is drawn");
    update::update(&mut app, dossier::tui::action::Action::Click(x, y));
    assert_eq!(app.picker.as_ref().map(|p| p.selected), Some(2));
    assert_eq!(app.overlay, Some(Overlay::Picker));
    update::update(&mut app, dossier::tui::action::Action::Click(x, y));
    assert!(app.picker.is_none());
    assert!(
        matches!(app.prompt, Some(Prompt::Confirm(_))),
        "{:?}",
        app.prompt
    );
    // A click outside the overlay closes it.
    let mut app = self::app(80, 24);
    press(&mut app, "vL");
    update::update(&mut app, dossier::tui::action::Action::Click(0, 0));
    assert_eq!(app.overlay, None);
    assert!(app.picker.is_none());
    assert_eq!(app.input, None);
}

// ---------------------------------------------------------------------------
// Decisions and their confirmation.

fn anchor_of(app: &App, doc: u32, start: usize, end: usize) -> dossier::annotate::Anchor {
    let d = app.index.as_ref().expect("index").doc(doc);
    dossier::annotate::Anchor::new(&d.id, &d.text, start..end)
}

#[test]
fn linking_asks_once_with_the_count_then_applies_everywhere_or_here() {
    let mut app = app(80, 24);
    press(&mut app, "vLkab<Enter>");
    counts::resolve_counts(&mut app);
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation: {:?}", app.prompt)
    };
    let (q, keys) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(q, "Link all 5 occurrences of “Pakistan” to Kabul?");
    assert_eq!(keys[0], ("Enter".to_string(), "all 5".to_string()));
    assert_eq!(keys[1], ("1".to_string(), "only this one".to_string()));
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("Link all 5 occurrences"), "{text}");
    assert!(status_line(&draw_with(&app, &dark())).starts_with(" CONFIRM "));
    // Other keys do nothing while the question is open; q does not quit.
    press(&mut app, "qjx");
    assert!(!app.quit);
    assert!(app.prompt.is_some());
    // Enter: one decision for every occurrence.
    press(&mut app, "<Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::LinkText {
            text: "Pakistan".into(),
            entity: "kabul".into(),
            new: None
        })]
    );
    assert_eq!(app.prompt, None);
    assert_eq!(app.visual, None);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("saving:"))
    );

    // `1`: this span only.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "vLkab<Enter>1");
    let start = app
        .index
        .as_ref()
        .expect("index")
        .doc(0)
        .text
        .find("Pakistan")
        .unwrap_or(0);
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::LinkSpan {
            anchor: anchor_of(&app, 0, start, start + 8),
            entity: "kabul".into(),
            new: None
        })]
    );
}

#[test]
fn escape_cancels_the_question_and_keeps_the_selection() {
    let mut app = app(80, 24);
    press(&mut app, "vLkab<Enter><Esc>");
    assert_eq!(app.prompt, None);
    assert_eq!(selected(&app), "Pakistan");
    assert!(decisions(&app).is_empty());
}

#[test]
fn tagging_asks_for_a_kind_and_makes_a_new_entity() {
    let mut app = app(80, 24);
    // "Pakistan" is an entity already: linking it is offered first, on
    // that entity.
    press(&mut app, "vt");
    assert_eq!(app.overlay, Some(Overlay::Picker));
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(
        text.contains("“Pakistan” is already Pakistan: Enter links it (Esc, t: a new entity)"),
        "{text}"
    );
    let picker = app.picker.as_ref().expect("picker");
    let index = app.index.as_ref().expect("index");
    assert_eq!(index.entity(picker.rows[0].entity).name, "Pakistan");
    // Esc, then t again: a new entity anyway.
    press(&mut app, "<Esc>");
    assert_eq!(selected(&app), "Pakistan");
    press(&mut app, "t");
    assert!(matches!(app.prompt, Some(Prompt::Kind(_))));
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(
        text.contains("Tag “Pakistan” as a new entity of kind:"),
        "{text}"
    );
    assert!(text.contains("g group · e event · p person · o org · l place · x other"));
    press(&mut app, "o");
    counts::resolve_counts(&mut app);
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(q, "Tag all 5 occurrences of “Pakistan” as a new org?");
    press(&mut app, "<Enter>");
    let new = NewEntity {
        id: "pakistan-2".into(),
        name: "Pakistan".into(),
        kind: Kind::Org,
    };
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::LinkText {
            text: "Pakistan".into(),
            entity: "pakistan-2".into(),
            new: Some(new)
        })]
    );
}

#[test]
fn part_of_a_word_is_linked_here_only() {
    let mut app = app(80, 24);
    press(&mut app, "vhLkab<Enter>");
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    assert_eq!(c.all, None);
    let (q, keys) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert!(q.contains("this span only"), "{q}");
    assert_eq!(keys[0], ("Enter".to_string(), "this one".to_string()));
    press(&mut app, "<Enter>");
    assert!(matches!(
        decisions(&app).as_slice(),
        [Effect::Decide(Op::LinkSpan { .. })]
    ));
}

#[test]
fn reject_accept_and_reject_everywhere_on_the_mention_under_the_cursor() {
    // d: this span, at once.
    let mut app = app(80, 24);
    press(&mut app, "<Enter>d");
    let start = app
        .index
        .as_ref()
        .expect("index")
        .doc(0)
        .text
        .find("Pakistan")
        .unwrap_or(0);
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::RejectSpan {
            anchor: anchor_of(&app, 0, start, start + 8)
        })]
    );
    // A on the suggested "ISIS-K": link every occurrence, after the count.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>nn");
    assert_eq!(cursor_text(&app).as_deref(), Some("ISIS-K"));
    let hints = status_line(&draw_with(&app, &dark()));
    assert!(
        hints.contains("A accept") && hints.contains("X reject"),
        "{hints}"
    );
    press(&mut app, "A");
    counts::resolve_counts(&mut app);
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(
        q,
        "Accept “ISIS-K” as Islamic State Khorasan Province for all 4 occurrences?"
    );
    press(&mut app, "<Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::LinkText {
            text: "ISIS-K".into(),
            entity: "islamic-state-khorasan-province".into(),
            new: None
        })]
    );
    // X: the text is never this entity; the count is of its links.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>nnX");
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(
        q,
        "“ISIS-K” is not Islamic State Khorasan Province: remove all 4 links of “ISIS-K”?"
    );
    press(&mut app, "<Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::RejectText {
            text: "ISIS-K".into(),
            entity: "islamic-state-khorasan-province".into(),
        })]
    );
}

#[test]
fn rename_kind_merge_split_and_note() {
    // R: a prompt with the current name.
    let mut app = app(80, 24);
    press(&mut app, "<Enter>R");
    assert_eq!(app.input, Some(Field::Prompt));
    press(
        &mut app,
        "<C-u>Islamic<Space>Republic<Space>of<Space>Pakistan<Enter>",
    );
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::Rename {
            entity: "pakistan".into(),
            name: "Islamic Republic of Pakistan".into()
        })]
    );
    // K: a kind.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>Kg");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::SetKind {
            entity: "pakistan".into(),
            kind: Kind::Group
        })]
    );
    // +: the picker, then a confirmation.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>+kabul<Enter>");
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(q, "Merge Pakistan (5 mentions) into Kabul (2 mentions)?");
    press(&mut app, "1");
    assert!(decisions(&app).is_empty(), "no single-span merge");
    press(&mut app, "<Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::Merge {
            from: "pakistan".into(),
            into: "kabul".into()
        })]
    );
    // S: split the alias "IS-K" off the group.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "jj<Enter>");
    while cursor_text(&app).as_deref() != Some("IS-K") {
        press(&mut app, "n");
    }
    press(&mut app, "S<Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::SplitAlias {
            entity: "islamic-state-khorasan-province".into(),
            alias: "IS-K".into(),
            new: NewEntity {
                id: "is-k".into(),
                name: "IS-K".into(),
                kind: Kind::Group
            }
        })]
    );
    // ;: a note on the mention; Tab moves it to the entity, then the document.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>;");
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("Note on this mention “Pakistan”:"), "{text}");
    press(&mut app, "check<Tab><Tab><Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::Note {
            target: NoteTarget::Document {
                doc: "000.txt".into()
            },
            text: "check".into()
        })]
    );
}

#[test]
fn ctrl_e_writes_the_note_in_the_editor() {
    use dossier::tui::action::Action;
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>;");
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("C-e editor"), "{text}");
    press(&mut app, "draft<C-e>");
    // The event loop runs the editor on what was typed.
    assert_eq!(decisions(&app), vec![Effect::EditNote("draft".into())]);
    app.effects.clear();
    // What the editor saved is the note, line breaks and all.
    update::update(
        &mut app,
        Action::Edited(Ok("\nA longer note.  \n\nWith a second line.\n".into())),
    );
    match decisions(&app).as_slice() {
        [
            Effect::Decide(Op::Note {
                target: NoteTarget::Mention { anchor },
                text,
            }),
        ] => {
            assert_eq!(anchor.exact, "Pakistan");
            assert_eq!(text, "A longer note.\n\nWith a second line.");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.prompt, None);
    assert_eq!(app.input, None);

    // An editor that fails, or a file left empty, cancels the note.
    for (result, why) in [
        (
            Err("vi exited with status 1".to_string()),
            "Note cancelled: vi exited with status 1",
        ),
        (Ok(" \n\n".to_string()), "Note cancelled: the note is empty"),
    ] {
        let mut app = tui_fixture::app(80, 24);
        press(&mut app, "<Enter>;x<C-e>");
        app.effects.clear();
        update::update(&mut app, Action::Edited(result));
        assert!(decisions(&app).is_empty());
        assert_eq!(app.prompt, None);
        assert_eq!(app.input, None);
        let m = app.message.clone().expect("a message");
        assert!(m.error, "{m:?}");
        assert_eq!(m.text, why);
    }

    // Elsewhere Ctrl-e opens nothing.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>R<C-e>");
    assert!(decisions(&app).is_empty());
    assert!(matches!(app.prompt, Some(Prompt::Text { .. })));
}

#[test]
fn w_asks_to_take_a_read_only_journal_over() {
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "W");
    assert!(decisions(&app).is_empty());
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("The journal is writable already")
    );
    app.journal.read_only = true;
    press(&mut app, "W");
    assert_eq!(decisions(&app), vec![Effect::TakeOver]);
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("Trying to take the journal over…")
    );
    // The workspace's answer puts the new index and journal state in place.
    let mut info = app.journal.clone();
    info.read_only = false;
    dossier::tui::update::applied(
        &mut app,
        worker::Applied {
            index: Some(index()),
            journal: info,
            message: worker::WRITABLE_NOW.into(),
            error: false,
        },
    );
    assert!(!app.journal.read_only);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains("journal is writable now"), "{status}");
    assert!(!status.contains("READ-ONLY"), "{status}");
}

#[test]
fn undo_redo_and_read_only() {
    let mut app = app(80, 24);
    press(&mut app, "u<C-r>");
    assert_eq!(decisions(&app), vec![Effect::Undo, Effect::Redo]);
    let mut app = tui_fixture::app(80, 24);
    app.journal.read_only = true;
    press(&mut app, "<Enter>dvLu");
    assert!(decisions(&app).is_empty());
    assert_eq!(app.overlay, None, "no picker when nothing can be saved");
    let m = app.message.clone().expect("a message");
    assert!(m.error && m.text.starts_with("read-only"), "{m:?}");
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains("READ-ONLY"), "{status}");
}

// ---------------------------------------------------------------------------
// The review queue.

/// The fixture with suggestions of two sources and three frequencies.
fn suggesting_index() -> Index {
    let base = index();
    let mut analysis: Analysis = base.analysis().clone();
    for m in analysis.mentions.iter_mut() {
        let text = &base.doc(m.doc).text[m.range()];
        m.source = match text {
            "ISIS-K" => Source::Variant,
            "IS-K" => Source::Abbreviation,
            "Blinken" => Source::Variant,
            _ => Source::Kb,
        };
    }
    Index::new(corpus(), analysis)
}

fn review_app() -> App {
    let mut app = App::new("fixture", 80, 24);
    update::index_ready(&mut app, Ok(suggesting_index()));
    app
}

#[test]
fn review_queue_is_most_frequent_first() {
    let q = review_queue(&suggesting_index());
    let got: Vec<(&str, &str, usize, Source)> = q
        .iter()
        .map(|i| (i.text.as_str(), i.entity.as_str(), i.count, i.source))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "ISIS-K",
                "islamic-state-khorasan-province",
                4,
                Source::Variant
            ),
            (
                "IS-K",
                "islamic-state-khorasan-province",
                2,
                Source::Abbreviation
            ),
            ("Blinken", "antony-blinken", 1, Source::Variant),
        ]
    );
    assert_eq!(q[0].examples.len(), 3, "a few examples for context");
}

#[test]
fn review_keys_accept_reject_skip_and_step_back() {
    let mut app = review_app();
    press(&mut app, "r");
    assert_eq!(app.overlay, Some(Overlay::Review));
    counts::resolve_counts(&mut app);
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(
        text.contains("“ISIS-K”  →  Islamic State Khorasan Province (group)"),
        "{text}"
    );
    assert!(text.contains("ISIS-K near Kabul"), "the context: {text}");
    assert!(text.contains("links all 4 occurrences"), "{text}");
    press(&mut app, "a");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::LinkText {
            text: "ISIS-K".into(),
            entity: "islamic-state-khorasan-province".into(),
            new: None
        })]
    );
    press(&mut app, "x");
    assert_eq!(
        decisions(&app)[1],
        Effect::Decide(Op::RejectText {
            text: "IS-K".into(),
            entity: "islamic-state-khorasan-province".into(),
        })
    );
    press(&mut app, "<Space>");
    let r = app.review.clone().expect("review");
    assert_eq!((r.pos, r.accepted, r.rejected, r.skipped), (3, 1, 1, 1));
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("All 3 suggestions reviewed"), "{text}");
    // Backspace: the skip is stepped back without an undo, the reject with one.
    press(&mut app, "<Backspace>");
    assert_eq!(app.review.as_ref().map(|r| r.pos), Some(2));
    assert_eq!(decisions(&app).len(), 2);
    press(&mut app, "<Backspace>");
    assert_eq!(app.review.as_ref().map(|r| r.pos), Some(1));
    assert_eq!(decisions(&app).last(), Some(&Effect::Undo));
    assert_eq!(
        app.review.as_ref().map(|r| r.history.clone()),
        Some(vec![(0, ReviewStep::Accepted)])
    );
    press(&mut app, "<Esc>");
    assert_eq!(app.overlay, None);
    assert!(app.review.is_none());
}

// ---------------------------------------------------------------------------
// Through a real workspace and journal.

fn workspace(journal: &Path) -> Workspace {
    let j = Journal::open(journal, "fixture").expect("journal");
    Workspace::new(Arc::new(corpus()), index().analysis().clone(), j)
}

/// Carries out the effects as the event loop and workspace thread do.
fn settle(app: &mut App, ws: &mut Workspace) {
    counts::resolve_counts(app);
    for e in std::mem::take(&mut app.effects) {
        let cmd = match e {
            Effect::Decide(op) => Command::Decide(op),
            Effect::Undo => Command::Undo,
            Effect::Redo => Command::Redo,
            Effect::TakeOver => Command::TakeOver,
            Effect::RetrySave => Command::Flush,
            Effect::Count(_)
            | Effect::Search { .. }
            | Effect::StopSearch
            | Effect::EditNote(_)
            | Effect::CountCooc { .. }
            | Effect::FindShared { .. }
            | Effect::Export { .. } => {
                continue;
            }
        };
        let a = worker::execute(ws, cmd, None);
        dossier::tui::update::applied(app, a);
        counts::resolve_counts(app);
    }
}

fn mentions_of(index: &Index, text: &str) -> Vec<Mention> {
    index
        .mentions()
        .filter(|m| &index.doc(m.doc).text[m.range()] == text)
        .copied()
        .collect()
}

#[test]
fn a_decision_applies_everywhere_keeps_the_place_and_undoes_as_one_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.jsonl");
    let mut ws = workspace(&path);
    let mut app = App::new("fixture", 80, 24);
    update::index_ready(&mut app, Ok(ws.index().clone()));
    dossier::tui::update::journal_ready(&mut app, worker::journal_info(&ws, None));
    press(&mut app, "jj<Enter>");
    while cursor_text(&app).as_deref() != Some("Blinken") {
        press(&mut app, "n");
    }
    let (doc, scroll) = (app.article.doc, app.article.scroll);
    // "Blinken" is now the United Nations, everywhere.
    press(&mut app, "sLunited<Space>nations<Enter><Enter>");
    settle(&mut app, &mut ws);
    let m = app.message.clone().expect("message");
    assert!(
        !m.error && m.text == "saved: linked every “Blinken” to United Nations",
        "{m:?}"
    );
    let index = app.index.as_ref().expect("index");
    let blinken = mentions_of(index, "Blinken");
    assert!(!blinken.is_empty());
    assert!(
        blinken
            .iter()
            .all(|m| m.entity == UN && m.source == Source::Annotation)
    );
    assert_eq!(
        (app.article.doc, app.article.scroll),
        (doc, scroll),
        "same place"
    );
    assert_eq!(cursor_text(&app).as_deref(), Some("Blinken"), "same cursor");
    assert_eq!(app.xref.entity, Some(UN), "the panel follows the cursor");
    assert_eq!(app.journal.decisions, 1);
    // One undo step takes it all back.
    press(&mut app, "u");
    settle(&mut app, &mut ws);
    let index = app.index.as_ref().expect("index");
    assert!(
        mentions_of(index, "Blinken")
            .iter()
            .all(|m| m.entity == BLINKEN)
    );
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("undone: "))
    );
    press(&mut app, "<C-r>");
    settle(&mut app, &mut ws);
    assert_eq!(app.journal.decisions, 1);
    // After a restart the decision is still there, and undo still works.
    drop(ws);
    let mut ws = workspace(&path);
    assert!(
        mentions_of(ws.index(), "Blinken")
            .iter()
            .all(|m| m.entity == UN && m.source == Source::Annotation)
    );
    let mut app = App::new("fixture", 80, 24);
    update::index_ready(&mut app, Ok(ws.index().clone()));
    dossier::tui::update::journal_ready(&mut app, worker::journal_info(&ws, None));
    press(&mut app, "u");
    settle(&mut app, &mut ws);
    let index = app.index.as_ref().expect("index");
    assert!(
        mentions_of(index, "Blinken")
            .iter()
            .all(|m| m.entity == BLINKEN)
    );
}

#[test]
fn unplaced_annotations_and_journal_warnings_are_said_at_start_and_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.jsonl");
    {
        let mut j = Journal::open(&path, "fixture").expect("journal");
        let anchor = dossier::annotate::Anchor {
            doc: "000.txt".into(),
            start: 3,
            end: 9,
            exact: "Vanished".into(),
            prefix: String::new(),
            suffix: String::new(),
        };
        j.append(Op::RejectSpan { anchor }).expect("append");
    }
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("{\"seq\":9,\"op\":\"ren");
    std::fs::write(&path, text).expect("write");
    let ws = workspace(&path);
    let mut app = App::new("fixture", 80, 24);
    update::index_ready(&mut app, Ok(ws.index().clone()));
    dossier::tui::update::journal_ready(&mut app, worker::journal_info(&ws, None));
    let m = app.message.clone().expect("message");
    assert!(m.error, "{m:?}");
    // Short enough for the status line; the file and line are in J.
    assert_eq!(
        m.text,
        "1 annotation cannot be placed; journal: 1 warning (J for details)"
    );
    // At 100 columns it is not cut.
    update::update(&mut app, dossier::tui::action::Action::Resize(100, 30));
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains(&m.text), "{status}");
    // Only a torn line: the status line says so in a few words.
    let mut info = worker::journal_info(&ws, None);
    info.unplaced.clear();
    let mut other = tui_fixture::app(100, 30);
    dossier::tui::update::journal_ready(&mut other, info);
    let status = status_line(&draw_with(&other, &dark()));
    assert!(
        status.contains("journal: 1 warning (J for details)"),
        "{status}"
    );
    assert!(!status.contains("unreadable"), "{status}");
    press(&mut app, "J");
    assert_eq!(app.overlay, Some(Overlay::Journal));
    let screen = screen_text(&draw_with(&app, &dark()));
    assert!(screen.contains("Cannot be placed (1)"), "{screen}");
    assert!(
        screen.contains("“Vanished” in 000.txt (was at 3..9)"),
        "{screen}"
    );
    assert!(screen.contains("Warnings (1)"), "{screen}");
    // The whole warning, with the line it was found on, is in the J view.
    assert!(
        screen.contains(":3: torn last line (an interrupted write) set aside in"),
        "{screen}"
    );
}

// ---------------------------------------------------------------------------
// Help and snapshots.

#[test]
fn help_lists_every_annotation_key() {
    let lines: Vec<String> = help_lines(&Keymap::default(), &dark())
        .into_iter()
        .map(|spans| spans.iter().map(|s| s.content.to_string()).collect())
        .collect();
    let text = lines.join("\n");
    for want in [
        "Annotate: select text",
        "Annotate: tag the selection as a new entity",
        "Annotate: link the selection to an entity",
        "Annotate: reject the mention",
        "Annotate: accept the suggested link",
        "Annotate: merge the entity",
        "Annotate: split",
        "Annotate: note",
        "Undo the last annotation",
        "Review the suggested links",
        "Selection (visual mode)",
        "Review queue",
        "Questions (confirm, choose a kind)",
        "Read-only: take the journal over once the other dossier has quit",
        "Note: write it in $VISUAL or $EDITOR",
    ] {
        assert!(text.contains(want), "help lacks {want:?}:\n{text}");
    }
}

#[test]
fn snapshot_80x24_visual_selection() {
    let mut app = app(80, 24);
    press(&mut app, "vw");
    counts::resolve_counts(&mut app);
    insta::assert_snapshot!(draw_with(&app, &dark()).backend());
}

#[test]
fn snapshot_80x24_confirm_link() {
    let mut app = app(80, 24);
    press(&mut app, "vLkab<Enter>");
    counts::resolve_counts(&mut app);
    insta::assert_snapshot!(draw_with(&app, &dark()).backend());
}

#[test]
fn snapshot_80x24_picker() {
    let mut app = app(80, 24);
    press(&mut app, "vLi");
    insta::assert_snapshot!(draw_with(&app, &dark()).backend());
}

#[test]
fn snapshot_80x24_review() {
    let mut app = review_app();
    press(&mut app, "r");
    counts::resolve_counts(&mut app);
    insta::assert_snapshot!(draw_with(&app, &dark()).backend());
}

#[test]
fn snapshot_120x40_review() {
    let mut app = review_app();
    update::update(&mut app, dossier::tui::action::Action::Resize(120, 40));
    press(&mut app, "r");
    counts::resolve_counts(&mut app);
    insta::assert_snapshot!(draw_with(&app, &dark()).backend());
}

// ---------------------------------------------------------------------------
// Review findings: quitting with unsaved decisions, counts, messages.

/// The workspace's answer with `pending` decisions not on disk.
fn answer(app: &mut App, pending: usize, message: &str, error: bool) {
    let mut journal = app.journal.clone();
    journal.pending = pending;
    journal.save_error = None;
    dossier::tui::update::applied(
        app,
        worker::Applied {
            index: None,
            journal,
            message: message.into(),
            error,
        },
    );
}

/// The screen's text with its lines joined by spaces (a question wraps).
fn flat(t: &Terminal<TestBackend>) -> String {
    screen_text(t)
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

const DISK_FULL: &str = "annotation journal /j.jsonl: No space left on device (os error 28)";

#[test]
fn quitting_with_unsaved_decisions_asks_first() {
    use dossier::tui::action::Action;
    // Nothing unsaved: q quits at once.
    let mut app = app(100, 30);
    press(&mut app, "q");
    assert!(app.quit);

    let mut app = tui_fixture::app(100, 30);
    app.journal.pending = 2;
    app.journal.save_error = Some(DISK_FULL.into());
    press(&mut app, "q");
    assert!(!app.quit, "it asks first");
    assert_eq!(app.prompt, Some(Prompt::Quit { retrying: false }));
    let t = draw_with(&app, &dark());
    let text = flat(&t);
    assert!(
        text.contains(&format!("2 decisions are not saved ({DISK_FULL}).")),
        "{text}"
    );
    assert!(
        text.contains("r retry · q quit anyway · Esc stay"),
        "{text}"
    );
    assert!(status_line(&t).starts_with(" QUIT "), "{}", status_line(&t));
    // Esc (or n) stays.
    press(&mut app, "<Esc>");
    assert_eq!(app.prompt, None);
    assert!(!app.quit);
    press(&mut app, "<C-c>");
    assert!(
        matches!(app.prompt, Some(Prompt::Quit { .. })),
        "Ctrl-c asks too"
    );
    press(&mut app, "n");
    assert_eq!(app.prompt, None);
    // Other keys do nothing while it asks.
    press(&mut app, "qjx");
    assert!(matches!(app.prompt, Some(Prompt::Quit { .. })));
    assert!(app.effects.is_empty());
    // r retries through the workspace, once.
    press(&mut app, "rr");
    assert_eq!(decisions(&app), vec![Effect::RetrySave]);
    assert_eq!(app.in_flight, 1);
    assert_eq!(app.prompt, Some(Prompt::Quit { retrying: true }));
    assert!(flat(&draw_with(&app, &dark())).contains("r retrying…"));
    app.effects.clear();
    // It still fails: the question stays, and r can try again.
    answer(
        &mut app,
        2,
        "still NOT SAVED (No space left on device)",
        true,
    );
    assert!(!app.quit);
    assert_eq!(app.prompt, Some(Prompt::Quit { retrying: false }));
    assert_eq!(
        app.journal.save_error.as_deref(),
        Some(DISK_FULL),
        "the reason is kept"
    );
    press(&mut app, "r");
    assert_eq!(decisions(&app), vec![Effect::RetrySave]);
    // This time it works: the reader quits.
    answer(&mut app, 0, "saved 2 decisions", false);
    assert!(app.quit);

    // q again in the question quits anyway.
    let mut app = tui_fixture::app(100, 30);
    app.journal.pending = 1;
    press(&mut app, "q");
    assert!(!app.quit);
    let text = flat(&draw_with(&app, &dark()));
    assert!(text.contains("1 decision is not saved ("), "{text}");
    press(&mut app, "q");
    assert!(app.quit);

    // A signal or a closed terminal cannot be asked.
    let mut app = tui_fixture::app(100, 30);
    app.journal.pending = 1;
    update::update(&mut app, Action::ForceQuit);
    assert!(app.quit);

    // On a screen too small for the panes, the question is still shown
    // and answered.
    let mut app = tui_fixture::app(30, 8);
    app.journal.pending = 3;
    press(&mut app, "q");
    assert!(!app.quit);
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("3 decisions are not"), "{text}");
    assert!(text.contains("q quit anyway"), "{text}");
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_retry_goes_to_the_workspace_and_unsaved_decisions_print_as_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = workspace(&dir.path().join("j.jsonl"));
    // Nothing pending: the retry says everything is on disk.
    let a = worker::execute(&mut ws, Command::Flush, None);
    assert!(!a.error);
    assert_eq!(a.message, "every decision is on disk");
    assert_eq!(worker::flush_at_exit(&mut ws), None);
    // What could not be saved is printed one decision per line, as JSON
    // the journal reads back.
    let ops = vec![
        Op::Rename {
            entity: "pakistan".into(),
            name: "Islamic Republic of Pakistan".into(),
        },
        Op::LinkText {
            text: "Blinken".into(),
            entity: "united-nations".into(),
            new: None,
        },
    ];
    let u = worker::Unsaved {
        ops: ops.clone(),
        reason: DISK_FULL.into(),
    };
    assert_eq!(
        u.heading(),
        format!(
            "dossier: 2 annotation decisions were NOT SAVED ({DISK_FULL}); here they are as JSON, one per line:"
        )
    );
    let back: Vec<Op> = u
        .json_lines()
        .iter()
        .map(|l| serde_json::from_str(l).expect("an op"))
        .collect();
    assert_eq!(back, ops);
    assert!(u.summary().starts_with("2 annotation decisions not saved"));
}

#[test]
fn the_journal_view_counts_unsaved_decisions_in_force_in_words() {
    let mut app = app(100, 30);
    app.journal.decisions = 1;
    app.journal.pending = 2;
    app.journal.save_error = Some(DISK_FULL.into());
    press(&mut app, "J");
    let text = flat(&draw_with(&app, &dark()));
    assert!(
        text.contains("3 decisions in force (2 not saved yet)"),
        "{text}"
    );
    assert!(text.contains("2 decisions NOT SAVED yet ("), "{text}");
    assert!(text.contains("No space left on device"), "{text}");
    // One of each: singular.
    let mut app = tui_fixture::app(100, 30);
    app.journal.decisions = 0;
    app.journal.pending = 1;
    press(&mut app, "J");
    let text = flat(&draw_with(&app, &dark()));
    assert!(
        text.contains("1 decision in force (1 not saved yet)"),
        "{text}"
    );
    assert!(text.contains("1 decision NOT SAVED yet"), "{text}");
    assert!(!text.contains("1 decisions"), "{text}");
    let mut app = tui_fixture::app(100, 30);
    app.journal.decisions = 1;
    press(&mut app, "J");
    let text = flat(&draw_with(&app, &dark()));
    assert!(text.contains("1 decision in force · u undoes"), "{text}");
}

#[test]
fn counts_elsewhere_are_singular_for_one() {
    // A search with one hit.
    let mut app = app(100, 30);
    press(&mut app, "/Blinken<Enter>");
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("Search \"Blinken\": 1 hit "), "{text}");
    // A title filter that leaves one document.
    let mut app = tui_fixture::app(100, 30);
    press(&mut app, "fsanctuaries<Enter>");
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("1 document matches")
    );
    // An entity in one document, in the cross-link panel and the filter.
    let mut app = tui_fixture::app(160, 48);
    update::open_doc(&mut app, 2, None);
    while cursor_text(&app).as_deref() != Some("Blinken") {
        press(&mut app, "n");
    }
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(text.contains("person · 1 mention in 1 doc"), "{text}");
    assert!(text.contains(" 1 doc "), "{text}");
    assert!(!text.contains(" 1 docs"), "{text}");
    press(&mut app, "m");
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("1 document mentions Antony Blinken")
    );
}

#[test]
fn a_one_letter_word_is_a_word_too_short_to_link_everywhere() {
    // "Following a string": W from "Following" selects "a".
    let mut app = app_at_word(100, 30, 4, "Following");
    press(&mut app, "W");
    assert_eq!(selected(&app), "a");
    counts::resolve_counts(&mut app);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(
        status.contains("“a” too short to link everywhere: this span only"),
        "{status}"
    );
    assert!(!status.contains("not whole words"), "{status}");
    // Linking it says why it is this span only.
    press(&mut app, "Lkab<Enter>");
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(
        q,
        "Link “a” to Kabul? (Too short to link everywhere: this span only.)"
    );
    // Part of a longer word is still "not whole words".
    let mut app = app_at_word(100, 30, 4, "Following");
    press(&mut app, "h");
    counts::resolve_counts(&mut app);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(
        status.contains("not whole words: this span only"),
        "{status}"
    );
}

#[test]
fn moving_replaces_a_message_with_the_position_at_once() {
    let mut app = app(80, 24);
    press(&mut app, "<Enter>");
    answer(&mut app, 0, "saved: rejected “Pakistan”", false);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains("saved: rejected"), "{status}");
    // n: where it went is shown at once.
    press(&mut app, "n");
    assert_eq!(app.message, None);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains(" M2/"), "{status}");
    // v right after a decision: the selection and its count.
    answer(&mut app, 0, "saved: rejected “Pakistan”", false);
    press(&mut app, "v");
    counts::resolve_counts(&mut app);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains("in the corpus"), "{status}");
    assert!(!status.contains("saved:"), "{status}");
    // A message the move itself makes is kept.
    let mut app = tui_fixture::app(80, 24);
    press(&mut app, "<Enter>N");
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("Wrapped to the last mention")
    );
    // At 100 columns the message goes where the hints are, beside the
    // position.
    let mut app = tui_fixture::app(100, 30);
    press(&mut app, "<Enter>");
    answer(&mut app, 0, "saved: rejected “Pakistan”", false);
    let status = status_line(&draw_with(&app, &dark()));
    assert!(status.contains(" M1/"), "{status}");
    assert!(
        status.trim_end().ends_with("saved: rejected “Pakistan”"),
        "{status}"
    );
}

#[test]
fn accept_and_reject_on_a_link_that_is_not_a_suggestion() {
    // "Pakistan" is linked by the knowledge base: nothing to accept.
    let mut app = app(80, 24);
    press(&mut app, "<Enter>");
    assert_eq!(cursor_text(&app).as_deref(), Some("Pakistan"));
    press(&mut app, "A");
    assert_eq!(app.prompt, None);
    assert!(decisions(&app).is_empty());
    let m = app.message.clone().expect("a message");
    assert_eq!(
        m.text,
        "not a suggestion: nothing to accept (“Pakistan” is linked by the knowledge base)"
    );
    // X still rejects it everywhere, and says plainly what that is.
    press(&mut app, "X");
    let Some(Prompt::Confirm(c)) = app.prompt.clone() else {
        panic!("a confirmation")
    };
    let (q, _) = dossier::tui::prompt::confirm_question(
        &c,
        app.index.as_ref(),
        app.count.as_ref(),
        &Keymap::default(),
    );
    assert_eq!(
        q,
        "“Pakistan” is linked by the knowledge base; reject it everywhere? (This removes all 5 links to Pakistan.)"
    );
    press(&mut app, "<Enter>");
    assert_eq!(
        decisions(&app),
        vec![Effect::Decide(Op::RejectText {
            text: "Pakistan".into(),
            entity: "pakistan".into(),
        })]
    );
}

#[test]
fn read_only_annotation_keys_say_so_every_time() {
    for key in [
        "t", "L", "d", "A", "X", "R", "K", "+", "S", ";", "u", "<C-r>",
    ] {
        // In the list (nothing selected) and on a mention in the article.
        for start in ["<Esc>", "<Enter>"] {
            let mut app = app(80, 24);
            app.journal.read_only = true;
            press(&mut app, start);
            app.message = None;
            press(&mut app, key);
            let m = app
                .message
                .clone()
                .unwrap_or_else(|| panic!("{key}: silent"));
            assert!(m.error, "{key}: {m:?}");
            assert_eq!(m.text, worker::READ_ONLY, "{key} after {start:?}");
            assert!(decisions(&app).is_empty(), "{key}");
            assert_eq!(app.prompt, None, "{key}");
            assert_eq!(app.overlay, None, "{key}");
            // Again: the count shows the key was heard.
            let seq = app.message_seq;
            press(&mut app, key);
            assert!(app.message_seq > seq, "{key}");
            assert_eq!(
                app.message.as_ref().map(|m| m.text.clone()),
                Some(format!("{} ×2", worker::READ_ONLY)),
                "{key}"
            );
            press(&mut app, key);
            assert_eq!(
                app.message.as_ref().map(|m| m.text.clone()),
                Some(format!("{} ×3", worker::READ_ONLY)),
                "{key}"
            );
        }
    }
}

#[test]
fn read_only_after_a_longer_startup_message_is_not_counted_as_a_repeat() {
    let mut app = app(80, 24);
    app.message = None;
    let mut info = app.journal.clone();
    info.read_only = true;
    info.warnings = vec!["j.jsonl:3: torn or unreadable line ignored".into()];
    dossier::tui::update::journal_ready(&mut app, info);
    let m = app.message.clone().expect("a message");
    assert_eq!(
        m.text,
        format!("{}; journal: 1 warning (J for details)", worker::READ_ONLY)
    );
    press(&mut app, "t");
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some(worker::READ_ONLY)
    );
}

/// One document where a suggested "Haqqani" occurs once on its own and
/// five times inside hyphenated words.
fn haqqani_app() -> App {
    use dossier::corpus::{Corpus, Document};
    use dossier::entity::Entity;
    let text = "Report\n\nThe Haqqani network: Taliban-Haqqani fighters, a Taliban-Haqqani \
        base, Taliban-Haqqani money, Taliban-Haqqani links and Taliban-Haqqani envoys.\n"
        .to_string();
    let start = text.find("The Haqqani").expect("text") + 4;
    let corpus = Corpus {
        root: "h".into(),
        docs: vec![Document {
            id: "h.txt".into(),
            path: "h.txt".into(),
            title: "Report".into(),
            text: text.into(),
            boilerplate: Vec::new(),
            url: None,
            date: None,
        }],
        skipped: Vec::new(),
        warnings: Vec::new(),
        words: Default::default(),
    };
    let entities = vec![Entity {
        id: "haqqani-network".into(),
        name: "Haqqani Network".into(),
        kind: Kind::Group,
        aliases: Vec::new(),
        description: None,
        external: Default::default(),
        facts: Default::default(),
    }];
    let mentions = vec![Mention {
        doc: 0,
        start: start as u32,
        end: (start + 7) as u32,
        entity: 0,
        source: Source::Variant,
        confidence: 80,
    }];
    let mut app = App::new("h", 80, 24);
    update::index_ready(
        &mut app,
        Ok(Index::new(corpus, Analysis { entities, mentions })),
    );
    app
}

#[test]
fn the_review_card_says_first_what_accepting_does() {
    let mut app = haqqani_app();
    press(&mut app, "r");
    let text = screen_text(&draw_with(&app, &dark()));
    assert!(
        text.contains("a accept links every occurrence of the text (counting…)"),
        "{text}"
    );
    counts::resolve_counts(&mut app);
    let index = app.index.as_ref().expect("index");
    assert_eq!(count_occurrences(index.corpus(), "Haqqani"), (6, 1));
    let text = screen_text(&draw_with(&app, &dark()));
    let lines: Vec<&str> = text.lines().collect();
    let at = |s: &str| {
        lines
            .iter()
            .position(|l| l.contains(s))
            .unwrap_or_else(|| panic!("{s:?} not on screen:\n{text}"))
    };
    // Right under the suggestion: accept links 6 occurrences in 1 document.
    let card = at("“Haqqani”  →  Haqqani Network (group)");
    assert_eq!(
        at("a accept links all 6 occurrences in 1 document"),
        card + 1,
        "{text}"
    );
    assert_eq!(at("suggested now: 1 mention"), card + 2, "{text}");
    assert!(!text.contains("1 mentions"), "{text}");
    // Backspace steps back over skipped suggestions too, and says so.
    assert!(
        text.contains("Backspace steps back, skipped ones too"),
        "{text}"
    );
    let help: Vec<String> = help_lines(&Keymap::default(), &dark())
        .into_iter()
        .map(|spans| spans.iter().map(|s| s.content.to_string()).collect())
        .collect();
    assert!(
        help.iter().any(
            |l| l.contains("<Backspace>") && l.contains("Step back to the previous suggestion")
        ),
        "{help:?}"
    );
    press(&mut app, "<Space>");
    assert_eq!(app.review.as_ref().map(|r| r.pos), Some(1));
    press(&mut app, "<Backspace>");
    assert_eq!(app.review.as_ref().map(|r| r.pos), Some(0));
    assert!(
        decisions(&app).is_empty(),
        "a skip is stepped back without an undo"
    );
}

/// `J` lists the decisions themselves, newest first, and those that could
/// not be applied, with why.
#[test]
fn the_journal_view_lists_the_decisions_and_those_not_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.jsonl");
    {
        let mut j = Journal::open(&path, "fixture").expect("journal");
        j.append(Op::Rename {
            entity: "no-such-entity".into(),
            name: "Nobody".into(),
        })
        .expect("append");
        j.append(Op::Note {
            target: dossier::annotate::NoteTarget::Document {
                doc: "000.txt".into(),
            },
            text: "check the date".into(),
        })
        .expect("append");
    }
    let ws = workspace(&path);
    let mut app = App::new("fixture", 100, 40);
    update::index_ready(&mut app, Ok(ws.index().clone()));
    dossier::tui::update::journal_ready(&mut app, worker::journal_info(&ws, None));
    press(&mut app, "J");
    assert_eq!(app.overlay, Some(Overlay::Journal));
    let screen = screen_text(&draw_with(&app, &dark()));
    assert!(screen.contains("Not applied (1)"), "{screen}");
    assert!(
        screen.contains("no entity `no-such-entity` in the knowledge bases in use"),
        "{screen}"
    );
    assert!(
        screen.contains("Decisions in force (2), newest first"),
        "{screen}"
    );
    let (second, first) = (
        screen.find("    2  ").expect("decision 2 listed"),
        screen.find("    1  ").expect("decision 1 listed"),
    );
    assert!(second < first, "newest first:\n{screen}");
}

/// The status line names a renamed entity by the name it had, not its id.
#[test]
fn a_rename_is_said_with_the_old_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = workspace(&dir.path().join("j.jsonl"));
    let e = ws.index().entity(0).clone();
    assert_ne!(
        e.id, e.name,
        "the fixture's entity has an id unlike its name"
    );
    let applied = worker::execute(
        &mut ws,
        Command::Decide(Op::Rename {
            entity: e.id.clone(),
            name: "A New Name".into(),
        }),
        None,
    );
    assert_eq!(
        applied.message,
        format!("saved: renamed {} to “A New Name”", e.name)
    );
}

/// What the review card says accepting links is what accepting links.
#[test]
fn accepting_links_as_many_as_the_card_says() {
    let app = haqqani_app();
    let index = app.index.clone().expect("index");
    let (said, _) = count_occurrences(index.corpus(), "Haqqani");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ws = Workspace::new(
        index.shared_corpus(),
        index.analysis(),
        Journal::open(&dir.path().join("j.jsonl"), "h").expect("journal"),
    );
    ws.decide(Op::LinkText {
        text: "Haqqani".into(),
        entity: "haqqani-network".into(),
        new: None,
    })
    .expect("accept");
    let linked = ws
        .index()
        .mentions()
        .filter(|m| m.entity == 0 && m.source == Source::Annotation)
        .count();
    assert_eq!(said, 6);
    assert_eq!(linked, said);
}

/// `A` accepts the suggestion and every later one of its kind as one
/// decision; Backspace takes it back and puts them in the queue again. Names
/// the engine found on its own are in the queue too.
#[test]
fn bulk_accept_takes_the_rest_of_a_kind_as_one_decision() {
    let base = index();
    let mut analysis: Analysis = base.analysis().clone();
    for m in analysis.mentions.iter_mut() {
        m.source = match &base.doc(m.doc).text[m.range()] {
            "ISIS-K" | "Blinken" => Source::Variant,
            "IS-K" => Source::Abbreviation,
            "Kabul" => Source::Name,
            _ => Source::Kb,
        };
    }
    let index = Index::new(corpus(), analysis);
    let sources: Vec<Source> = review_queue(&index).iter().map(|i| i.source).collect();
    assert!(sources.contains(&Source::Name), "{sources:?}");
    let mut app = App::new("fixture", 80, 24);
    update::index_ready(&mut app, Ok(index));
    press(&mut app, "r");
    let before = app.review.as_ref().expect("review").items.len();
    assert_eq!(
        app.review
            .as_ref()
            .and_then(|r| r.current())
            .map(|i| i.source),
        Some(Source::Variant)
    );
    press(&mut app, "A");
    let Some(Effect::Decide(Op::Batch { ops })) = decisions(&app).pop() else {
        panic!("one decision: {:?}", app.effects)
    };
    let texts: Vec<&str> = ops
        .iter()
        .map(|o| match o {
            Op::LinkText { text, .. } => text.as_str(),
            _ => "?",
        })
        .collect();
    assert_eq!(texts, ["ISIS-K", "Blinken"]);
    let r = app.review.as_ref().expect("review");
    assert_eq!(r.accepted, 2);
    assert_eq!(r.items.len(), before - 1, "Blinken left the queue");
    assert!(r.items[r.pos..].iter().all(|i| i.source != Source::Variant));
    app.effects.clear();
    press(&mut app, "<Backspace>");
    let r = app.review.as_ref().expect("review");
    assert_eq!((r.pos, r.accepted, r.items.len()), (0, 0, before));
    assert_eq!(decisions(&app), vec![Effect::Undo]);
}
