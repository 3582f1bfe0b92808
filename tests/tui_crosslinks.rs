//! The cross-link panel's analyst features, driven through `update` and
//! drawn into a `TestBackend`: every name of an entity, co-occurrence by
//! sentence, paragraph or document with a kind filter and the shared
//! sentences of a pair, the mentions per month, and the export.

mod tui_fixture;

use dossier::entity::Kind;
use dossier::index::cooc::Level;
use dossier::tui::action::Action;
use dossier::tui::app::{App, Effect, Overlay, Pane, XrefItem};
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_fixture::*;

fn dark() -> Theme {
    Theme::load(Some("dark"), ColorDepth::TrueColor).expect("dark theme")
}

fn draw(app: &App) -> Terminal<TestBackend> {
    draw_with(app, &dark())
}

fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    let buf = t.backend().buffer();
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

fn screen(t: &Terminal<TestBackend>) -> String {
    (0..t.backend().buffer().area.height)
        .map(|y| row_text(t, y))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first cell of `word` on screen: (x, y).
fn find(t: &Terminal<TestBackend>, word: &str) -> Option<(u16, u16)> {
    let buf = t.backend().buffer();
    for y in 0..buf.area.height {
        let row = row_text(t, y);
        if let Some(i) = row.find(word) {
            // Cells, not bytes: count the characters before.
            let x = row[..i].chars().count() as u16;
            return Some((x, y));
        }
    }
    None
}

/// The ISKP in the panel, focused (the tour: the fourth article, its
/// third mention).
fn on_iskp(w: u16, h: u16) -> App {
    let mut app = app(w, h);
    press(&mut app, "jjj<Enter>nnx");
    assert_eq!(app.xref.entity, Some(ISKP));
    assert_eq!(app.focus, Pane::Xref);
    app
}

// ---------------------------------------------------------------------------
// 1. Every name, visible.

#[test]
fn names_lists_every_spelling_with_counts_documents_and_source() {
    let mut app = on_iskp(80, 24);
    press(&mut app, "a");
    assert_eq!(app.overlay, Some(Overlay::Names));
    let rows: Vec<(&str, u32, u32, bool)> = app
        .names
        .rows
        .iter()
        .map(|r| (r.form.as_str(), r.count, r.docs, r.from_kb))
        .collect();
    // Four spellings occur; the name no article uses is not listed; the
    // variant found only in the text is marked apart.
    assert_eq!(
        rows,
        [
            ("ISIS-K", 4, 2, false),
            ("IS-K", 2, 1, true),
            ("ISKP", 2, 1, true),
            ("Islamic State – Khorasan Province", 1, 1, true),
            ("Islamic State-Khorasan Province", 1, 1, true),
        ]
    );
    // Enter reads the first use of the selected spelling.
    press(&mut app, "j<Enter>");
    assert_eq!(app.overlay, None);
    assert_eq!(app.article.doc, Some(2));
    assert_eq!(cursor_text(&app).as_deref(), Some("IS-K"));
    assert_eq!(app.focus, Pane::Article);
    // Esc closes it.
    press(&mut app, "xa<Esc>");
    assert_eq!(app.overlay, None);
}

#[test]
fn names_mark_knowledge_base_names_in_the_entitys_colour() {
    let mut app = on_iskp(160, 48);
    press(&mut app, "a");
    let theme = dark();
    let t = draw(&app);
    let text = screen(&t);
    assert!(
        text.contains("Islamic State – Khorasan Province · docs 3"),
        "{text}"
    );
    let buf = t.backend().buffer();
    // The rows: "text" muted for ISIS-K, "KB" in the group colour for ISKP.
    let (x, y) = find(&t, "ISIS-K · docs").expect("ISIS-K listed");
    let row = row_text(&t, y);
    assert!(row.contains("text") && row.contains("docs 1, 5"), "{row}");
    let text_x = row.find("text").map(|i| row[..i].chars().count() as u16);
    let text_x = text_x.expect("a source");
    assert_eq!(buf[(text_x, y)].fg, theme.muted.fg.expect("muted fg"));
    assert_eq!(
        buf[(x, y)].fg,
        theme.entity(Kind::Group).fg.expect("group fg")
    );
    let (_, y) = find(&t, "ISKP · docs").expect("ISKP listed");
    let row = row_text(&t, y);
    let kb_x = row.find("KB").map(|i| row[..i].chars().count() as u16);
    let kb_x = kb_x.expect("KB");
    assert_eq!(
        buf[(kb_x, y)].fg,
        theme.entity(Kind::Group).fg.expect("group fg")
    );
    // The hint line names the view's keys from the keymap.
    let status = row_text(&t, 47);
    assert!(
        status.contains("first use") && status.contains("close"),
        "{status}"
    );
}

#[test]
fn snapshot_80x24_names() {
    let mut app = on_iskp(80, 24);
    press(&mut app, "a");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_names() {
    let mut app = on_iskp(160, 48);
    press(&mut app, "a");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn the_entity_browser_shows_how_the_corpus_writes_each_entity() {
    let mut app = app(80, 24);
    press(&mut app, "e");
    let text = screen(&draw(&app));
    // "United States" is in no article: the spelling used stands for it.
    assert!(!text.contains("United States"), "{text}");
    assert_eq!(
        app.labels.get(&US).map(|l| l.to_line()).as_deref(),
        Some("US")
    );
    // The group's name is used (its dash folded): it leads, with its most
    // used spelling beside; the aliases are not piled after it.
    assert!(
        text.contains("Islamic State Khorasan Province (ISIS-K)"),
        "{text}"
    );
    assert!(!text.contains("ISKP, IS-K"), "{text}");
    assert_eq!(
        app.labels.get(&ISKP).map(|l| l.to_line()).as_deref(),
        Some("Islamic State Khorasan Province (ISIS-K)"),
        "labelled once, kept"
    );
}

// ---------------------------------------------------------------------------
// 2. Co-occurrence that means something.

fn cooc_names(app: &App) -> Vec<(String, u32)> {
    let index = app.index.as_ref().expect("index");
    app.xref
        .cooc
        .rows
        .iter()
        .map(|r| (index.entity(r.entity).name.clone(), r.joint))
        .collect()
}

#[test]
fn co_occurrence_is_counted_off_the_ui_thread_by_sentence() {
    let mut app = app(160, 48);
    press_only(&mut app, "jjj<Enter>nn");
    // Asked for, not counted: the panel says so.
    assert!(app.xref.cooc.pending);
    assert!(
        app.effects.iter().any(|e| matches!(
            e,
            Effect::CountCooc {
                entity: ISKP,
                level: Level::Sentence,
                ..
            }
        )),
        "{:?}",
        app.effects
    );
    let text = screen(&draw(&app));
    assert!(
        text.contains("Co-occurring by sentence, all kinds: counting…"),
        "{text}"
    );
    // The worker's answer for an older request is dropped.
    let index = app.index.clone().expect("index");
    let stale = dossier::tui::cooc::count(&index, 0, ISKP, Level::Sentence);
    update(&mut app, stale);
    assert!(app.xref.cooc.pending);
    settle_searches(&mut app);
    assert!(!app.xref.cooc.pending);
    // In the fourth article, the ISKP shares its sentences with Pakistan
    // and the US (the headline) and the Abbey Gate bombing.
    let rows = cooc_names(&app);
    assert!(
        rows.contains(&("Abbey Gate bombing".to_string(), 1)),
        "{rows:?}"
    );
    assert!(!rows.iter().any(|(n, _)| n == "Antony Blinken"), "{rows:?}");
    let text = screen(&draw(&app));
    assert!(
        text.contains(&format!(
            "Co-occurring by sentence, all kinds ({})",
            rows.len()
        )),
        "{text}"
    );
}

#[test]
fn level_and_kind_keys_cycle_and_recount() {
    let mut app = on_iskp(160, 48);
    let by_sentence = cooc_names(&app);
    press(&mut app, "c");
    assert_eq!(app.xref.cooc.level, Level::Paragraph);
    assert!(!app.xref.cooc.pending, "counted again");
    press(&mut app, "c");
    assert_eq!(app.xref.cooc.level, Level::Document);
    let by_doc = cooc_names(&app);
    // By document, the Blinken of the third article's other paragraph
    // counts; by sentence it does not.
    assert!(
        by_doc.iter().any(|(n, _)| n == "Antony Blinken"),
        "{by_doc:?}"
    );
    assert!(by_doc.len() > by_sentence.len());
    press(&mut app, "c");
    assert_eq!(app.xref.cooc.level, Level::Sentence);
    assert_eq!(cooc_names(&app), by_sentence);
    // C: one kind at a time, ranked from the counts at hand.
    press(&mut app, "C");
    assert_eq!(app.xref.cooc.kind, Some(Kind::Group));
    let index = app.index.as_ref().expect("index");
    assert!(
        app.xref
            .cooc
            .rows
            .iter()
            .all(|r| index.entity(r.entity).kind == Kind::Group)
    );
    press(&mut app, "CCCC");
    assert_eq!(app.xref.cooc.kind, Some(Kind::Place));
    let index = app.index.as_ref().expect("index");
    assert!(!app.xref.cooc.rows.is_empty());
    assert!(
        app.xref
            .cooc
            .rows
            .iter()
            .all(|r| index.entity(r.entity).kind == Kind::Place)
    );
    press(&mut app, "CC");
    assert_eq!(app.xref.cooc.kind, None);
    update(&mut app, Action::ClearMessage);
    let t = draw(&app);
    let status = row_text(&t, 47);
    for hint in ["a names", "c by", "C kind", "E export", "<C-e> csv"] {
        assert!(status.contains(hint), "{hint}: {status}");
    }
}

#[test]
fn rows_are_ranked_by_log_likelihood_with_counts_shown() {
    let app = on_iskp(160, 48);
    let rows = &app.xref.cooc.rows;
    assert!(rows.windows(2).all(|w| w[0].llr >= w[1].llr), "{rows:?}");
    let t = draw(&app);
    let first = &rows[0];
    let index = app.index.as_ref().expect("index");
    let name = index.label(first.entity).primary;
    let counts = format!("{:>3}× {:>6.1}", first.joint, first.llr);
    let text = screen(&t);
    assert!(
        text.lines()
            .any(|l| l.contains(&counts) && l.contains(&name)),
        "{name} {counts}: {text}"
    );
}

#[test]
fn enter_on_a_co_occurring_entity_lists_the_shared_sentences() {
    let mut app = on_iskp(160, 48);
    let abbey = app
        .xref
        .cooc
        .rows
        .iter()
        .position(|r| r.entity == ABBEY_GATE)
        .expect("Abbey Gate co-occurs");
    press(&mut app, "}");
    for _ in 0..abbey {
        press(&mut app, "j");
    }
    assert_eq!(app.xref.selected_item(), Some(XrefItem::Cooc(abbey)));
    press(&mut app, "<Enter>");
    assert_eq!(app.overlay, Some(Overlay::Shared));
    assert_eq!(app.shared.pair, Some((ISKP, ABBEY_GATE)));
    assert_eq!(app.shared.units.len(), 1);
    let index = app.index.as_ref().expect("index");
    let u = &app.shared.units[0];
    assert_eq!(
        &index.doc(u.doc).text[u.range.clone()],
        "The Abbey Gate bomber of ISKP was extradited in a Counterterror move."
    );
    let t = draw(&app);
    let text = screen(&t);
    assert!(
        text.contains("Islamic State Khorasan Province and Abbey Gate · 1 sentences"),
        "{text}"
    );
    // Both entities in their colours.
    let theme = dark();
    let buf = t.backend().buffer();
    let (x, y) = find(&t, "Abbey Gate bomber").expect("the sentence");
    assert_eq!(
        buf[(x, y)].fg,
        theme.entity(Kind::Event).fg.expect("event fg")
    );
    // Enter reads it, the cursor on the other entity's mention.
    press(&mut app, "<Enter>");
    assert_eq!(app.overlay, None);
    assert_eq!(app.article.doc, Some(3));
    assert_eq!(cursor_text(&app).as_deref(), Some("Abbey Gate"));
}

#[test]
fn snapshot_80x24_shared_sentences() {
    let mut app = on_iskp(80, 24);
    press(&mut app, "}<Enter>");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_shared_sentences() {
    let mut app = on_iskp(160, 48);
    press(&mut app, "}<Enter>");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_co_occurring_by_paragraph() {
    let mut app = on_iskp(80, 24);
    press(&mut app, "c}");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_co_occurring_places() {
    let mut app = on_iskp(160, 48);
    press(&mut app, "CCCCC");
    insta::assert_snapshot!(draw(&app).backend());
}

// ---------------------------------------------------------------------------
// 3. The timeline, in the panel.

#[test]
fn the_panel_shows_mentions_per_month() {
    let mut app = dated_app(160, 48);
    press(&mut app, "jjj<Enter>nnx");
    assert_eq!(app.xref.entity, Some(ISKP));
    let months: Vec<(&str, u32)> = app
        .xref
        .timeline
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.mentions))
        .collect();
    assert_eq!(
        months,
        [
            ("2024-01", 2),
            ("2024-02", 0),
            ("2024-03", 5),
            ("2024-04", 0),
            ("2024-05", 0),
            ("2024-06", 3)
        ]
    );
    let t = draw(&app);
    // 2, 0, 5, 0, 0, 3 mentions: eighths of the peak, rounded up; no
    // room for the months' names beside it in a 50-column panel.
    let (x, y) = find(&t, "docs · ▄ █  ▅").expect("a sparkline");
    let theme = dark();
    let buf = t.backend().buffer();
    assert_eq!(
        buf[(x + 7, y)].fg,
        theme.entity(Kind::Group).fg.expect("group fg")
    );
    // With room, the first and last months stand beside it.
    let wide = dossier::tui::view::sparkline(&app.xref.timeline, 40);
    assert_eq!(wide.as_deref(), Some("2024-01 ▄ █  ▅ 2024-06"));
    // Undated, there is none.
    let plain = on_iskp(160, 48);
    assert!(!screen(&draw(&plain)).contains("▄"));
}

#[test]
fn a_sparkline_shares_cells_when_months_outnumber_them() {
    use dossier::index::timeline::{MonthRow, Timeline};
    use dossier::tui::view::sparkline;
    let t = Timeline {
        months: (1..=12)
            .map(|m| MonthRow {
                month: format!("2024-{m:02}"),
                mentions: m,
                docs: 1,
                file_time_docs: 0,
            })
            .collect(),
        undated_mentions: 0,
        undated_docs: 0,
    };
    assert_eq!(sparkline(&t, 4).as_deref(), Some("▂▄▆█"));
    assert_eq!(
        sparkline(&t, 40).as_deref(),
        Some("2024-01 ▁▂▂▃▄▄▅▆▆▇██ 2024-12")
    );
    assert_eq!(sparkline(&Timeline::default(), 40), None);
}

#[test]
fn snapshot_80x24_timeline() {
    // Zoomed: a narrow panel has no room for it beside the counts.
    let mut app = dated_app(80, 24);
    press(&mut app, "jjj<Enter>nnxz");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_timeline() {
    let mut app = dated_app(160, 48);
    press(&mut app, "jjj<Enter>nnx");
    insta::assert_snapshot!(draw(&app).backend());
}

// ---------------------------------------------------------------------------
// 4. Take the view away.

#[test]
fn export_keys_ask_for_the_panels_view_and_the_status_says_where() {
    let mut app = on_iskp(80, 24);
    press(&mut app, "c");
    press(&mut app, "E");
    assert!(app.effects.contains(&Effect::Export {
        entity: ISKP,
        level: Level::Paragraph,
        kind: None,
        csv: false,
    }));
    app.effects.clear();
    press(&mut app, "C<C-e>");
    assert!(app.effects.contains(&Effect::Export {
        entity: ISKP,
        level: Level::Paragraph,
        kind: Some(Kind::Group),
        csv: true,
    }));
    update(&mut app, Action::Exported(Ok("out/islamic.md".into())));
    let status = row_text(&draw(&app), 23);
    assert!(status.contains("Wrote out/islamic.md"), "{status}");
    update(
        &mut app,
        Action::Exported(Err("export failed: disk full".into())),
    );
    let t = draw(&app);
    assert!(row_text(&t, 23).contains("export failed: disk full"));
}

#[test]
fn export_writes_the_concordance_and_the_co_occurrence_table() {
    use dossier::tui::export::{ExportRequest, write};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let index = index();
    let req = ExportRequest {
        entity: ISKP,
        level: Level::Sentence,
        kind: None,
        csv: false,
        dir: dir.path().to_path_buf(),
    };
    let said = write(&index, &req).expect("written");
    let path = dir.path().join("islamic-state-khorasan-province.md");
    assert!(
        said.ends_with("islamic-state-khorasan-province.md"),
        "{said}"
    );
    let md = std::fs::read_to_string(&path).expect("the file");
    assert!(
        md.starts_with("# Islamic State Khorasan Province\n"),
        "{md}"
    );
    assert!(md.contains("10 mentions in 4 documents"), "{md}");
    assert!(md.contains("ISIS-K (4, text)"), "{md}");
    assert!(
        md.contains("## Co-occurring, by sentence (all kinds)"),
        "{md}"
    );
    assert!(md.contains("| Abbey Gate | event | 1 |"), "{md}");
    assert!(
        md.contains("### Pakistan and US Unite Against ISKP"),
        "{md}"
    );
    assert!(md.contains("**ISKP**"), "{md}");
    // The escape in the fourth article never reaches the file raw.
    assert!(!md.contains('\u{1b}'));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // CSV: the concordance and the table, a link at the target replaced,
    // not followed.
    #[cfg(unix)]
    {
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").expect("victim");
        std::os::unix::fs::symlink(
            &victim,
            dir.path().join("islamic-state-khorasan-province.csv"),
        )
        .expect("link");
    }
    let said = write(&index, &ExportRequest { csv: true, ..req }).expect("csv");
    assert!(
        said.contains(".csv and ") && said.ends_with(".cooc.csv"),
        "{said}"
    );
    let csv = std::fs::read_to_string(dir.path().join("islamic-state-khorasan-province.csv"))
        .expect("csv");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "entity,name,kind,doc,title,date,start,end,before,text,after"
    );
    assert_eq!(lines.len(), 1 + 10, "one row per mention");
    assert!(lines.iter().any(|l| l.contains(",ISKP,")), "{csv}");
    #[cfg(unix)]
    assert_eq!(
        std::fs::read_to_string(dir.path().join("victim")).expect("victim"),
        "keep"
    );
    let table =
        std::fs::read_to_string(dir.path().join("islamic-state-khorasan-province.cooc.csv"))
            .expect("table");
    assert!(
        table.starts_with("entity,name,kind,level,joint,"),
        "{table}"
    );
    assert!(
        table.contains("abbey-gate-bombing,Abbey Gate,event,sentence,1,"),
        "{table}"
    );
}

#[test]
fn csv_fields_are_quoted_and_never_formulas() {
    use dossier::tui::export::{csv_field, md};
    assert_eq!(csv_field("a,b"), "\"a,b\"");
    assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    assert_eq!(csv_field("x\u{1b}[31m"), "x␛[31m");
    assert_eq!(md("a *b* | c"), "a \\*b\\* \\| c");
}

// ---------------------------------------------------------------------------
// 5. The status line names the panel's entity (see also tui_render's
// `the_status_line_names_the_panels_entity`).

#[test]
fn the_status_line_names_the_panels_entity_after_a_co_occurring_one() {
    let mut app = on_iskp(120, 30);
    press(&mut app, "}<Enter>o");
    let e = app.xref.entity.expect("an entity");
    assert_ne!(e, ISKP);
    let name = app.index.as_ref().expect("index").entity(e).name.clone();
    let status = row_text(&draw(&app), 29);
    assert!(status.contains(&format!("links: {name}")), "{status}");
}
