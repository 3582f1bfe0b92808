//! Searching like less (every hit marked in the article, `]` / `[` to the
//! next and previous hit across documents, `/=` for every spelling of an
//! entity), the timeline view, and the document list's sorts: driven
//! through `update` with the default keymap, and drawn in a `TestBackend`
//! (insta snapshots at 80x24 and 160x48).

mod tui_fixture;

use dossier::corpus::{DateSource, DocDate};
use dossier::entity::{Analysis, DocId};
use dossier::index::Index;
use dossier::index::timeline::timeline;
use dossier::tui::app::{App, Overlay, Pane};
use dossier::tui::list::DocSort;
use dossier::tui::search::Sought;
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;
use std::ops::Range;
use tui_fixture::*;

fn dark() -> Theme {
    Theme::load(Some("dark"), ColorDepth::TrueColor).expect("dark theme")
}

fn draw(app: &App) -> Terminal<TestBackend> {
    draw_with(app, &dark())
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

fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    screen_text(t)
        .lines()
        .nth(usize::from(y))
        .unwrap_or("")
        .to_string()
}

fn status(app: &App) -> String {
    row_text(&draw(app), app.height - 1)
}

/// Every place `needle` (ASCII) stands in the fixture's texts, ignoring
/// case, in corpus order: what a search must find, found another way.
fn occurrences(needle: &str) -> Vec<(DocId, Range<usize>)> {
    texts()
        .iter()
        .enumerate()
        .flat_map(|(d, (_, text))| {
            text.to_ascii_lowercase()
                .match_indices(&needle.to_ascii_lowercase())
                .map(|(i, m)| (d as DocId, i..i + m.len()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Where the article is: its document and the hit marked in it.
fn at(app: &App) -> (DocId, Range<usize>) {
    (
        app.article.doc.expect("a document open"),
        app.article.highlight.clone().expect("a hit marked"),
    )
}

fn message(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// The fixture with dates: two documents of 2023-11 (one dated only by
/// its file's time), two of 2024-02, one undated.
fn dated_index() -> Index {
    let dates = [
        Some(("2023-11-05", DateSource::Metadata)),
        Some(("2024-02", DateSource::Text)),
        Some(("2023-11-20", DateSource::FileTime)),
        Some(("2024-02-01", DateSource::Metadata)),
        None,
    ];
    let mut corpus = corpus();
    for (doc, date) in corpus.docs.iter_mut().zip(dates) {
        doc.date = date.map(|(v, s)| DocDate::new(v.to_string(), s));
    }
    index_of(corpus)
}

fn dated_app(w: u16, h: u16) -> App {
    let mut app = App::new("fixture", w, h);
    update::index_ready(&mut app, Ok(dated_index()));
    app
}

// ---------------------------------------------------------------------------
// Search.

#[test]
fn next_and_previous_hit_go_across_documents_and_come_round() {
    let mut app = app(80, 24);
    let want = occurrences("taliban");
    assert_eq!(want.len(), 3, "in three documents");
    press(&mut app, "/taliban<Enter>");
    assert_eq!(app.overlay, Some(Overlay::Results));
    press(&mut app, "<Enter>");
    assert_eq!(at(&app), want[0]);
    press(&mut app, "]");
    assert_eq!(at(&app), want[1]);
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(message(&app), "/taliban: hit 2 of 3");
    press(&mut app, "]");
    assert_eq!(at(&app), want[2]);
    // Past the last, round to the first.
    press(&mut app, "]");
    assert_eq!(at(&app), want[0]);
    assert!(
        message(&app).contains("wrapped to the first"),
        "{}",
        message(&app)
    );
    press(&mut app, "[");
    assert_eq!(at(&app), want[2]);
    assert!(
        message(&app).contains("wrapped to the last"),
        "{}",
        message(&app)
    );
    press(&mut app, "[[");
    assert_eq!(at(&app), want[0]);
    // Each move to another document is a jump: Ctrl-o goes back.
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(want[1].0));
}

#[test]
fn hits_in_one_document_are_stepped_through_before_the_next() {
    let mut app = app(80, 24);
    // "ISIS-K" twice in the first document, then in the fifth.
    let want = occurrences("isis-k");
    assert_eq!(
        want.iter().map(|(d, _)| *d).collect::<Vec<_>>(),
        [0, 0, 4, 4]
    );
    press(&mut app, "/isis-k<Enter><Esc>");
    assert_eq!(app.overlay, None);
    // From the top of the first document (no hit marked yet).
    assert_eq!(app.article.doc, Some(0));
    press(&mut app, "]");
    assert_eq!(at(&app), want[0]);
    press(&mut app, "]");
    assert_eq!(at(&app), want[1]);
    press(&mut app, "]");
    assert_eq!(at(&app), want[2]);
    // Every hit of the open article is marked, not only the current one.
    let marked: Vec<Range<usize>> = app.search.found.marked(4).to_vec();
    let in_doc: Vec<Range<usize>> = want
        .iter()
        .filter(|(d, _)| *d == 4)
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(marked, in_doc);
}

#[test]
fn a_search_stopped_early_still_steps_by_reading_the_documents() {
    let mut app = app(80, 24);
    // The search starts, and the results close before any hit arrives:
    // `]` cannot use the list, and finds the hits in the texts.
    press_only(&mut app, "/taliban<Enter><Esc>");
    assert!(app.search.all_hits().is_none());
    app.effects.clear();
    let want = occurrences("taliban");
    press(&mut app, "]");
    assert_eq!(at(&app), want[0]);
    press(&mut app, "]");
    assert_eq!(at(&app), want[1]);
    // Without the list there is no count, but the document is named.
    assert_eq!(message(&app), "/taliban: hit in document 2");
}

#[test]
fn without_a_search_the_keys_say_how_to_start_one() {
    let mut app = app(80, 24);
    press(&mut app, "]");
    assert!(
        message(&app).starts_with("No search yet"),
        "{}",
        message(&app)
    );
    assert_eq!(app.article.highlight, None);
    press(&mut app, "/zzzz<Enter>");
    press(&mut app, "]");
    assert_eq!(message(&app), "/zzzz: no hits");
}

#[test]
fn esc_unmarks_the_hits_and_the_next_step_marks_them_again() {
    let mut app = app(80, 24);
    press(&mut app, "/isis-k<Enter><Enter>");
    assert_eq!(app.search.found.marked(0).len(), 2);
    press(&mut app, "<Esc>");
    assert_eq!(app.article.highlight, None);
    assert!(app.search.found.marked(0).is_empty());
    press(&mut app, "]");
    assert_eq!(app.search.found.marked(0).len(), 2);
}

#[test]
fn an_entity_search_finds_every_spelling() {
    let mut app = app(80, 24);
    let index = index();
    let mentions: Vec<(DocId, Range<usize>)> = index
        .entity_mentions(ISKP)
        .map(|m| (m.doc, m.start as usize..m.end as usize))
        .collect();
    let spellings: std::collections::BTreeSet<&str> = index
        .entity_mentions(ISKP)
        .map(|m| &index.doc(m.doc).text[m.range()])
        .collect();
    assert!(spellings.len() >= 4, "{spellings:?}");
    // By an alias: `/iskp` alone would miss "IS-K" and "Islamic State …".
    press(&mut app, "/=iskp<Enter>");
    assert_eq!(app.search.found.sought, Some(Sought::Entity(ISKP)));
    assert_eq!(app.overlay, Some(Overlay::Results));
    let hits: Vec<(DocId, Range<usize>)> = app
        .search
        .hits
        .iter()
        .map(|h| (h.doc, h.start..h.end))
        .collect();
    assert_eq!(hits, mentions);
    // The status line says which entity it is.
    let line = status(&app);
    assert!(
        line.contains("/=Islamic State Khorasan Province (group)"),
        "{line}"
    );
    let t = draw(&app);
    assert!(
        row_text(&t, 0).contains("Entity Islamic State Khorasan Province (group)")
            || screen_text(&t).contains("Entity Islamic State Khorasan Province (group)"),
        "{}",
        screen_text(&t)
    );
    // Enter opens the first mention; `]` goes through every one in order.
    press(&mut app, "<Enter>");
    assert_eq!(at(&app), mentions[0]);
    for (i, want) in mentions.iter().enumerate().skip(1) {
        press(&mut app, "]");
        assert_eq!(&at(&app), want, "mention {}", i + 1);
        assert_eq!(
            message(&app),
            format!(
                "/=Islamic State Khorasan Province (group): mention {} of {}",
                i + 1,
                mentions.len()
            )
        );
    }
    // By a prefix of the name, and a name nobody has.
    press(&mut app, "/=islamic state<Enter>");
    assert_eq!(app.search.found.sought, Some(Sought::Entity(ISKP)));
    press(&mut app, "<Esc>/=nobody at all<Enter>");
    assert!(
        message(&app).starts_with("No entity named"),
        "{}",
        message(&app)
    );
    assert_eq!(
        app.search.found.sought,
        Some(Sought::Entity(ISKP)),
        "the last search stays"
    );
}

#[test]
fn the_hint_line_names_the_hit_keys_while_hits_are_marked() {
    let mut app = app(80, 24);
    press(&mut app, "<Enter>");
    assert!(!status(&app).contains("next hit"));
    press(&mut app, "/taliban<Enter><Enter>");
    let line = status(&app);
    assert!(line.contains("] next hit"), "{line}");
    let mut wide = app.clone();
    update::update(&mut wide, dossier::tui::action::Action::Resize(160, 48));
    let line = status(&wide);
    assert!(
        line.contains("] next hit") && line.contains("[ prev hit"),
        "{line}"
    );
    press(&mut app, "<Esc>");
    assert!(!status(&app).contains("next hit"));
    // On a suggested link ("ISIS-K" is a spelling variant), its keys come
    // first, then the hit keys.
    press(&mut app, "/isis-k<Enter><Enter>");
    assert!(
        app.cursor_mention()
            .is_some_and(|m| m.source.is_suggestion())
    );
    assert!(status(&app).contains("A accept"), "{}", status(&app));
    let mut wide = app.clone();
    update::update(&mut wide, dossier::tui::action::Action::Resize(160, 48));
    let line = status(&wide);
    let (Some(accept), Some(next)) = (line.find("A accept"), line.find("] next hit")) else {
        panic!("{line}");
    };
    assert!(accept < next, "{line}");
}

/// Every hit is drawn in the theme's `search_hit` style; the one stepped to
/// is bold and in reverse video besides (out of it where the hits are
/// reversed). Without colour, reverse video and underline mark them.
#[test]
fn every_hit_is_drawn_in_the_search_hit_style() {
    for (name, depth) in [
        ("dark", ColorDepth::TrueColor),
        ("light", ColorDepth::Ansi256),
        ("high-contrast", ColorDepth::Ansi16),
        ("dark", ColorDepth::Ansi8),
        ("mono", ColorDepth::Mono),
    ] {
        let theme = Theme::load(Some(name), depth).expect("theme");
        let mut app = app(80, 24);
        press(&mut app, "/isis-k<Enter><Enter>");
        let t = draw_with(&app, &theme);
        let buf = t.backend().buffer();
        // The two "ISIS-K" of the first article's text, on screen.
        let mut cells = Vec::new();
        for y in 0..buf.area.height {
            let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            let line = row.concat();
            for (i, _) in line.match_indices("ISIS-K") {
                let x = line[..i].chars().count() as u16;
                if x > 24 {
                    cells.push((x, y));
                }
            }
        }
        assert_eq!(cells.len(), 2, "{name} {depth:?}: {}", screen_text(&t));
        for (n, &(x, y)) in cells.iter().enumerate() {
            for dx in 0..6 {
                let cell = &buf[(x + dx, y)];
                if let Some(bg) = theme.search_hit.bg {
                    assert_eq!(cell.bg, bg, "{name} {depth:?} hit {n}");
                }
                let reversed = theme.search_hit.add_modifier.contains(Modifier::REVERSED);
                if n == 0 {
                    // The current hit.
                    assert!(cell.modifier.contains(Modifier::BOLD), "{name} {depth:?}");
                    assert_eq!(
                        cell.modifier.contains(Modifier::REVERSED),
                        !reversed,
                        "{name} {depth:?}"
                    );
                } else {
                    assert_eq!(
                        cell.modifier.contains(Modifier::REVERSED),
                        reversed,
                        "{name} {depth:?}"
                    );
                    if theme.search_hit.add_modifier.contains(Modifier::UNDERLINED) {
                        assert!(cell.modifier.contains(Modifier::UNDERLINED), "{name}");
                    }
                }
            }
        }
        if depth == ColorDepth::Mono {
            assert!(
                theme.search_hit.add_modifier.contains(Modifier::REVERSED),
                "without colour the hits are in reverse video"
            );
        }
        // The character after a hit is not marked.
        let after = &buf[(cells[1].0 + 6, cells[1].1)];
        match theme.search_hit.bg {
            Some(bg) => assert_ne!(after.bg, bg, "{name} {depth:?}"),
            None => assert!(!after.modifier.contains(Modifier::REVERSED), "{name}"),
        }
    }
}

#[test]
fn snapshot_80x24_search_hits_marked() {
    let mut app = app(80, 24);
    press(&mut app, "/isis-k<Enter><Enter>");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_search_hits_marked() {
    let mut app = app(160, 48);
    press(&mut app, "/=iskp<Enter><Enter>]]");
    insta::assert_snapshot!(draw(&app).backend());
}

// ---------------------------------------------------------------------------
// The timeline.

#[test]
fn the_timeline_counts_mentions_per_month_and_lists_a_months_documents() {
    let mut app = dated_app(80, 24);
    let index = dated_index();
    let months = timeline(&index, ISKP);
    // ISKP: 2023-11 (documents 1 and 3), 2023-12, 2024-01 (none), 2024-02
    // (document 4), and the fifth undated.
    assert_eq!(
        months
            .months
            .iter()
            .map(|m| m.month.as_str())
            .collect::<Vec<_>>(),
        ["2023-11", "2023-12", "2024-01", "2024-02"]
    );
    press(&mut app, "efIslamic<Enter>");
    assert_eq!(app.browser.rows.first(), Some(&ISKP));
    press(&mut app, "T");
    assert_eq!(app.overlay, Some(Overlay::Timeline));
    assert_eq!(app.timeline.entity, Some(ISKP));
    assert_eq!(app.timeline.months, months);
    // The busiest month is selected.
    let peak = months.peak();
    assert_eq!(
        app.timeline.selected_month().map(|m| m.mentions),
        Some(peak)
    );
    // An empty month lists nothing.
    press(&mut app, "gg");
    press(&mut app, "j<Enter>");
    assert_eq!(app.overlay, Some(Overlay::Timeline));
    assert_eq!(message(&app), "No document of 2023-12 mentions it");
    // Enter on 2023-11: the list shows its documents that name ISKP.
    press(&mut app, "k<Enter>");
    assert_eq!(app.overlay, None);
    assert_eq!(app.focus, Pane::List);
    let want: Vec<DocId> = index
        .entity_doc_counts(ISKP)
        .into_iter()
        .map(|(d, _)| d)
        .filter(|&d| {
            index
                .doc(d)
                .date
                .as_ref()
                .is_some_and(|x| x.month() == "2023-11")
        })
        .collect();
    assert_eq!(want, [0, 2]);
    assert_eq!(app.list.rows, want);
    assert_eq!(app.list.month.as_deref(), Some("2023-11"));
    assert_eq!(
        message(&app),
        "2 documents of 2023-11 mention Islamic State Khorasan Province (M shows all)"
    );
    // M shows every document again.
    press(&mut app, "M");
    assert_eq!(app.list.month, None);
    assert_eq!(app.list.rows.len(), 5);
}

#[test]
fn t_opens_the_timeline_of_the_mention_under_the_cursor() {
    let mut app = dated_app(80, 24);
    press(&mut app, "jjj<Enter>nn");
    assert_eq!(app.cursor_mention().map(|m| m.entity), Some(ISKP));
    press(&mut app, "T");
    assert_eq!(app.timeline.entity, Some(ISKP));
    let line = status(&app);
    assert!(line.contains("TIMELINE"), "{line}");
    assert!(
        line.contains("<Enter> list the month's documents"),
        "{line}"
    );
    press(&mut app, "T");
    assert_eq!(app.overlay, None, "T again closes it");
}

#[test]
fn snapshot_80x24_timeline() {
    let mut app = dated_app(80, 24);
    press(&mut app, "jjj<Enter>nnT");
    let t = draw(&app);
    // Each month's bar is in the entity's colour.
    let buf = t.backend().buffer();
    let theme = dark();
    let bars: Vec<_> = buf.content.iter().filter(|c| c.symbol() == "█").collect();
    assert!(!bars.is_empty());
    assert!(
        bars.iter()
            .all(|c| c.fg == theme.entity_group.fg.unwrap_or_default())
    );
    insta::assert_snapshot!(t.backend());
}

#[test]
fn snapshot_160x48_timeline() {
    let mut app = dated_app(160, 48);
    press(&mut app, "jjj<Enter>nnT");
    insta::assert_snapshot!(draw(&app).backend());
}

// ---------------------------------------------------------------------------
// The document list.

#[test]
fn s_in_the_list_sorts_by_id_date_and_mentions() {
    let mut app = dated_app(80, 24);
    let index = dated_index();
    assert_eq!(app.focus, Pane::List);
    assert_eq!(app.list.rows, [0, 1, 2, 3, 4]);
    press(&mut app, "s");
    assert_eq!(app.list.sort, DocSort::Date);
    let mut by_date: Vec<u32> = (0..index.docs().len() as u32).collect();
    by_date.sort_by(|&a, &b| {
        dossier::corpus::date::compare_dates(index.doc(a).date.as_ref(), index.doc(b).date.as_ref())
    });
    assert_eq!(app.list.rows, by_date);
    assert_eq!(app.list.rows, [0, 2, 1, 3, 4]);
    assert!(
        message(&app).starts_with("Sorted by date"),
        "{}",
        message(&app)
    );
    press(&mut app, "s");
    assert_eq!(app.list.sort, DocSort::Mentions);
    let counts: Vec<usize> = app
        .list
        .rows
        .iter()
        .map(|&d| index.doc_mentions(d).len())
        .collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted);
    // Ties keep the natural order of ids.
    for w in app.list.rows.windows(2) {
        if index.doc_mentions(w[0]).len() == index.doc_mentions(w[1]).len() {
            assert!(w[0] < w[1], "{:?}", app.list.rows);
        }
    }
    press(&mut app, "s");
    assert_eq!(app.list.sort, DocSort::Id);
    assert_eq!(app.list.rows, [0, 1, 2, 3, 4]);
    // The selection stays on its document through the sorts.
    press(&mut app, "jj");
    let doc = app.list.selected_doc();
    press(&mut app, "s");
    assert_eq!(app.list.selected_doc(), doc);
}

#[test]
fn sorted_by_date_each_row_shows_its_date_and_a_file_time_is_marked() {
    let mut app = dated_app(80, 24);
    press(&mut app, "s");
    let text = screen_text(&draw(&app));
    assert!(text.contains("Documents 5 (date)"), "{text}");
    assert!(text.contains("2023-11-05"), "{text}");
    assert!(
        text.contains("~2023-11-20"),
        "a file's time is marked: {text}"
    );
    assert!(!text.contains(" 2023-11-20"), "{text}");
    assert!(text.contains("no date"), "{text}");
}

#[test]
fn snapshot_80x24_list_by_date() {
    let mut app = dated_app(80, 24);
    press(&mut app, "s");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_list_by_date() {
    let mut app = dated_app(160, 48);
    press(&mut app, "s");
    insta::assert_snapshot!(draw(&app).backend());
}

/// The fixture, its second document naming entities of all six kinds,
/// over a hundred times.
fn busy_corpus() -> dossier::corpus::Corpus {
    let busy = "Pakistan US Taliban Kabul Blinken UN Abbey Gate Operation Al-Mirsad \
                Counterterror ISKP. "
        .repeat(12);
    let mut corpus = corpus();
    corpus.docs[1].text = format!("Busy\n\n{busy}").into();
    corpus
}

/// Every row's mention count is whole at 80 and at 120 columns, the busy
/// document's too (its kinds make way for it).
#[test]
fn the_mention_count_is_never_cut_off_at_80_or_120_columns() {
    let index = index_of(busy_corpus());
    assert!(index.doc_mentions(1).len() >= 100);
    let kinds: std::collections::BTreeSet<_> = index
        .doc_entities(1)
        .iter()
        .map(|c| index.entity(c.entity).kind)
        .collect();
    assert_eq!(kinds.len(), 6);
    for (w, h, list_w) in [(80, 24, 24), (120, 30, 26)] {
        let mut app = App::new("fixture", w, h);
        update::index_ready(&mut app, Ok(index_of(busy_corpus())));
        let text = screen_text(&draw(&app));
        for d in 0..5u32 {
            let n = index.doc_mentions(d).len();
            // A document's counts are on the line below its title.
            let row = text.lines().nth(2 + 2 * d as usize).unwrap_or("");
            let list_part: String = row.chars().take(list_w).collect();
            assert!(
                list_part.contains(&format!("· {n} ")) || list_part.contains(&format!("· {n}│")),
                "{w}x{h} doc {d}: {list_part}\n{text}"
            );
        }
    }
}

/// Documents are listed in natural order: `Copy 2` before `Copy 10`.
#[test]
fn documents_are_listed_in_natural_order() {
    let files: Vec<(&str, &[u8])> = vec![
        ("Copy 10.txt", b"Copy 10\n\nText." as &[u8]),
        ("Copy 1.txt", b"Copy 1\n\nText."),
        ("Copy 100.txt", b"Copy 100\n\nText."),
        ("Copy 2.txt", b"Copy 2\n\nText."),
    ];
    let corpus = dossier::corpus::load_embedded("copies", &files);
    let mut app = App::new("copies", 80, 24);
    update::index_ready(&mut app, Ok(Index::new(corpus, Analysis::default())));
    let index = app.index.as_ref().expect("indexed");
    let titles: Vec<&str> = app
        .list
        .rows
        .iter()
        .map(|&d| index.doc(d).title.as_str())
        .collect();
    assert_eq!(titles, ["Copy 1", "Copy 2", "Copy 10", "Copy 100"]);
    let text = screen_text(&draw(&app));
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s}: {text}"));
    assert!(at("Copy 2 ") < at("Copy 10 ") && at("Copy 10 ") < at("Copy 100"));
}

/// A Markdown title is shown without its markup, in the list and on the
/// article's border.
#[test]
fn a_markdown_title_shows_without_its_markup() {
    let files: Vec<(&str, &[u8])> = vec![(
        "story.md",
        b"# **Strikes** in _Kurram_\n\nThe text of the story." as &[u8],
    )];
    let corpus = dossier::corpus::load_embedded("md", &files);
    let mut app = App::new("md", 80, 24);
    update::index_ready(&mut app, Ok(Index::new(corpus, Analysis::default())));
    let t = draw(&app);
    // The article's border, and the list's first row (the text itself is
    // shown as it is).
    let top = row_text(&t, 0);
    let first_row: String = row_text(&t, 1).chars().take(24).collect();
    assert!(top.contains("1/1 Strikes in Kurram"), "{top}");
    assert!(first_row.contains("Strikes in Kurram"), "{first_row}");
    for row in [&top, &first_row] {
        assert!(
            !row.contains('#') && !row.contains("**") && !row.contains('_'),
            "{row}"
        );
    }
}
