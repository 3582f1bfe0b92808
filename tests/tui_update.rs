//! `update()` driven through the real keymap: navigation, the cross-link
//! panel, filtering, the jump list, the entity browser and search.

mod tui_fixture;

use dossier::tui::action::Action;
use dossier::tui::app::{
    App, Effect, Field, Hit, LoadState, Overlay, Pane, SearchBatch, SortBy, XrefItem,
};
use dossier::tui::keymap::{Context, Key, KeyOverride, Keymap, Router};
use dossier::tui::update::update;
use tui_fixture::*;

fn list_titles(app: &App) -> Vec<String> {
    let index = app.index.as_ref().expect("indexed");
    app.list
        .rows
        .iter()
        .map(|&d| index.doc(d).title.clone())
        .collect()
}

#[test]
fn starts_on_the_list_with_the_first_document_open() {
    let app = app(80, 24);
    assert_eq!(app.load, LoadState::Ready);
    assert_eq!(app.focus, Pane::List);
    assert_eq!(app.article.doc, Some(0));
    assert_eq!(app.list.rows, vec![0, 1, 2, 3, 4]);
    assert_eq!(cursor_text(&app).as_deref(), Some("Pakistan"));
}

#[test]
fn the_quick_tour_in_ten_keys() {
    let mut app = app(80, 24);
    // Open the fourth document.
    press(&mut app, "jjj<Enter>");
    assert_eq!(app.article.doc, Some(3));
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(cursor_text(&app).as_deref(), Some("Pakistan"));
    // Step to ISKP in the headline.
    press(&mut app, "nn");
    assert_eq!(cursor_text(&app).as_deref(), Some("ISKP"));
    assert_eq!(app.xref.entity, Some(ISKP));
    let docs: Vec<u32> = app.xref.docs.iter().map(|(d, _)| *d).collect();
    assert_eq!(docs, vec![0, 2, 3, 4], "every article that names the group");
    // The panel's selection is the mention under the cursor.
    let Some(XrefItem::Mention(i)) = app.xref.selected_item() else {
        panic!("selection {:?}", app.xref.selected_item())
    };
    let m = app
        .xref
        .mentions
        .get(i, app.index.as_ref().expect("index"))
        .expect("the mention");
    assert_eq!((m.doc, m.start), (3, 30));
    // Focus the panel; at 80 columns it takes the list's place.
    press(&mut app, "l");
    assert_eq!(app.focus, Pane::Xref);
    // The mention before is the last one in the third document; go there.
    press(&mut app, "k<Enter>");
    assert_eq!(app.article.doc, Some(2));
    assert_eq!(cursor_text(&app).as_deref(), Some("IS-K"));
    // And back.
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(3));
    assert_eq!(cursor_text(&app).as_deref(), Some("ISKP"));
    // Forward again (Tab is Ctrl-i in most terminals).
    press(&mut app, "<Tab>");
    assert_eq!(app.article.doc, Some(2));
    assert_eq!(cursor_text(&app).as_deref(), Some("IS-K"));
}

#[test]
fn mention_steps_wrap_and_follow_the_view() {
    let mut app = app(80, 24);
    press(&mut app, "jjj<Enter>");
    let n = app.index.as_ref().map_or(0, |i| i.doc_mentions(3).len());
    press(&mut app, "N");
    assert_eq!(
        app.article.cursor,
        Some(n - 1),
        "N from the first mention wraps to the last"
    );
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("Wrapped"))
    );
    press(&mut app, "n");
    assert_eq!(
        app.article.cursor,
        Some(0),
        "n from the last wraps to the first"
    );
    // Arrow keys work like j/k.
    press(&mut app, "<Down><Down>");
    assert_eq!(app.list.selected, 3);
}

#[test]
fn star_follows_the_entity_across_documents() {
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nn");
    assert_eq!(cursor_text(&app).as_deref(), Some("ISKP"));
    press(&mut app, "*");
    assert_eq!(
        (app.article.doc, cursor_text(&app).as_deref()),
        (Some(3), Some("ISKP"))
    );
    assert_ne!(app.article.cursor, Some(2), "the second ISKP");
    press(&mut app, "*");
    assert_eq!(app.article.doc, Some(4), "on to the next document");
    assert_eq!(cursor_text(&app).as_deref(), Some("ISIS-K"));
    press(&mut app, "#");
    assert_eq!(app.article.doc, Some(3));
    // Moving to another document was a jump.
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(4));
}

#[test]
fn scrolling_moves_the_view_not_the_cursor() {
    let mut app = app(60, 12);
    press(&mut app, "jj<Enter>");
    assert_eq!(app.article.doc, Some(2));
    let cursor = app.article.cursor;
    press(&mut app, "jjj");
    assert_eq!(app.article.scroll, 3);
    assert_eq!(app.article.cursor, cursor);
    press(&mut app, "gg");
    assert_eq!(app.article.scroll, 0);
    press(&mut app, "G");
    assert!(app.article.scroll > 0);
    // With the cursor off screen, n picks the first mention in view.
    press(&mut app, "n");
    let first_visible = app.article.lines[app.article.scroll].start as u32;
    let m = app.cursor_mention().expect("cursor");
    assert!(m.start >= first_visible, "{} < {first_visible}", m.start);
}

#[test]
fn typing_narrows_the_list_by_title() {
    let mut app = app(80, 24);
    press(&mut app, "f");
    assert_eq!(app.input, Some(Field::ListFilter));
    press(&mut app, "unite");
    assert_eq!(
        list_titles(&app),
        vec!["Pakistan and US Unite Against ISKP"]
    );
    // Words match in any order, ignoring case; q is typed, not quit.
    press(&mut app, "<C-u>attacks<Space>pakistan");
    assert!(!app.quit);
    assert_eq!(
        list_titles(&app),
        vec!["US backs Pakistan in confronting cross-border attacks"]
    );
    press(&mut app, "<Enter>");
    assert_eq!(app.input, None);
    assert_eq!(app.list.rows, vec![2]);
    press(&mut app, "<Enter>");
    assert_eq!(app.article.doc, Some(2));
    press(&mut app, "h<Esc>");
    assert_eq!(
        app.list.rows.len(),
        5,
        "Esc in the list clears the title filter"
    );
    press(&mut app, "fzzz");
    assert!(app.list.rows.is_empty());
    press(&mut app, "<Esc>");
    assert_eq!(app.list.rows.len(), 5);
}

#[test]
fn narrow_the_list_to_documents_mentioning_entities() {
    let mut app = app(80, 24);
    press(&mut app, "jjj<Enter>nn");
    assert_eq!(app.xref.entity, Some(ISKP));
    press(&mut app, "m");
    assert_eq!(app.list.entities, vec![ISKP]);
    assert_eq!(app.list.rows, vec![0, 2, 3, 4]);
    // Add a second entity: both must be mentioned.
    update(&mut app, Action::Entities);
    press(&mut app, "ftaliban<Enter>");
    assert_eq!(app.browser.rows, vec![TALIBAN]);
    press(&mut app, "m");
    assert_eq!(app.list.entities, vec![ISKP, TALIBAN]);
    assert_eq!(app.list.rows, vec![0, 4]);
    press(&mut app, "m");
    assert_eq!(app.list.rows, vec![0, 2, 3, 4], "m again removes it");
    press(&mut app, "<Esc>M");
    assert!(app.list.entities.is_empty());
    assert_eq!(app.list.rows.len(), 5);
}

#[test]
fn entity_browser_sorts_filters_and_opens() {
    let mut app = app(80, 24);
    press(&mut app, "e");
    assert_eq!(app.overlay, Some(Overlay::Entities));
    assert_eq!(
        app.browser.rows.first(),
        Some(&ISKP),
        "most mentioned first"
    );
    press(&mut app, "s");
    assert_eq!(app.browser.sort, SortBy::Docs);
    press(&mut app, "s");
    assert_eq!(app.browser.sort, SortBy::Kind);
    let index = app.index.as_ref().expect("indexed");
    let kinds: Vec<_> = app
        .browser
        .rows
        .iter()
        .map(|&e| index.entity(e).kind)
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    press(&mut app, "s");
    assert_eq!(app.browser.sort, SortBy::Name);
    press(&mut app, "fblink");
    assert_eq!(app.browser.rows, vec![BLINKEN]);
    press(&mut app, "<Enter><Enter>");
    assert_eq!(app.overlay, None);
    assert_eq!(app.xref.entity, Some(BLINKEN));
    assert_eq!(app.focus, Pane::Xref);
    // Enter on its mention opens the article there.
    press(&mut app, "<Enter>");
    assert_eq!(app.article.doc, Some(2));
    assert_eq!(cursor_text(&app).as_deref(), Some("Blinken"));
}

#[test]
fn co_occurring_entity_becomes_the_selection_and_back() {
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nnx");
    assert_eq!(app.focus, Pane::Xref);
    press(&mut app, "}");
    assert!(matches!(app.xref.selected_item(), Some(XrefItem::Cooc(0))));
    let other = app.xref.cooc.rows[0].entity;
    // Enter shows the sentences the pair shares; o, the other's cross-links.
    press(&mut app, "<Enter>");
    assert_eq!(app.overlay, Some(dossier::tui::app::Overlay::Shared));
    press(&mut app, "o");
    assert_eq!(app.overlay, None);
    assert_eq!(app.xref.entity, Some(other));
    assert_eq!(app.article.doc, Some(3), "the article stays");
    press(&mut app, "<C-o>");
    assert_eq!(app.xref.entity, Some(ISKP));
    // { from mentions goes to the documents.
    press(&mut app, "{");
    assert!(matches!(app.xref.selected_item(), Some(XrefItem::Doc(0))));
    press(&mut app, "j<Enter>");
    assert_eq!(
        app.article.doc,
        Some(2),
        "a document row opens its first mention"
    );
    assert_eq!(cursor_text(&app).as_deref(), Some("IS-K"));
}

#[test]
fn jump_list_goes_back_and_forward_like_vim() {
    let mut app = app(80, 24);
    press(&mut app, "<C-o>");
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("oldest"))
    );
    press(&mut app, "j<Enter>");
    press(&mut app, "h");
    press(&mut app, "j<Enter>");
    press(&mut app, "h");
    press(&mut app, "j<Enter>");
    assert_eq!(app.article.doc, Some(3));
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(2));
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(1));
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(0));
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(0));
    press(&mut app, "<Tab><Tab>");
    assert_eq!(app.article.doc, Some(2));
    // A new jump drops the forward history.
    press(&mut app, "hG<Enter>");
    assert_eq!(app.article.doc, Some(4));
    press(&mut app, "<Tab>");
    assert_eq!(app.article.doc, Some(4));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("newest"))
    );
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(2));
}

#[test]
fn search_lists_hits_and_opens_one() {
    let mut app = app(80, 24);
    press(&mut app, "/");
    assert_eq!(app.input, Some(Field::Search));
    press(&mut app, "abbey<Space>gate<Enter>");
    assert_eq!(app.overlay, Some(Overlay::Results));
    assert_eq!(app.search.hits.len(), 1);
    let hit = app.search.hits[0];
    assert_eq!(hit.doc, 3);
    press(&mut app, "<Enter>");
    assert_eq!(app.overlay, None);
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(app.article.doc, Some(3));
    assert_eq!(app.article.highlight, Some(hit.start..hit.end));
    assert_eq!(cursor_text(&app).as_deref(), Some("Abbey Gate"));
    press(&mut app, "<C-o>");
    assert_eq!(app.article.doc, Some(0));

    // Case-insensitive, several hits across documents.
    press(&mut app, "/<C-u>pakistan<Enter>");
    let docs: Vec<u32> = app.search.hits.iter().map(|h| h.doc).collect();
    assert!(docs.len() >= 5 && docs.windows(2).all(|w| w[0] <= w[1]));
    press(&mut app, "jk<Esc>");
    assert_eq!(app.overlay, None);
    // No hits: a message, no overlay.
    press(&mut app, "/<C-u>no<Space>such<Space>words<Enter>");
    assert_eq!(app.overlay, None);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text.contains("No matches"))
    );
    // Esc cancels typing.
    press(&mut app, "/x<Esc>");
    assert_eq!(app.input, None);
}

/// A search as the search thread would answer it: these hits, in one batch.
fn batch(generation: u64, hits: Vec<Hit>, done: bool) -> Action {
    Action::Searched(SearchBatch {
        generation,
        hits,
        done,
        truncated: false,
    })
}

fn hit(doc: u32, start: usize, end: usize) -> Hit {
    Hit { doc, start, end }
}

#[test]
fn a_search_is_an_effect_and_its_hits_arrive_later() {
    let mut app = app(80, 24);
    press_only(&mut app, "/abbey<Space>gate<Enter>");
    // Nothing is searched on the UI thread: the results say so and wait.
    assert_eq!(
        app.effects,
        vec![Effect::Search {
            generation: 1,
            query: "abbey gate".into()
        }]
    );
    assert_eq!(app.overlay, Some(Overlay::Results));
    assert!(app.search.searching);
    assert!(app.search.hits.is_empty());
    assert_eq!(app.search.ran, "abbey gate");
    // Hits arrive in batches; the last one ends the search.
    update(&mut app, batch(1, vec![hit(3, 40, 50)], false));
    assert!(app.search.searching);
    assert_eq!(app.search.hits, vec![hit(3, 40, 50)]);
    update(&mut app, batch(1, vec![hit(4, 1, 11)], true));
    assert!(!app.search.searching);
    assert!(!app.search.truncated);
    assert_eq!(app.search.hits, vec![hit(3, 40, 50), hit(4, 1, 11)]);
    assert_eq!(app.overlay, Some(Overlay::Results));
    // Late batches of a finished search change nothing.
    update(&mut app, batch(1, vec![hit(0, 0, 1)], true));
    assert_eq!(app.search.hits.len(), 2);
}

#[test]
fn hits_of_an_older_search_are_dropped() {
    let mut app = app(80, 24);
    press_only(&mut app, "/pakistan<Enter>");
    // A new query while the first still runs.
    press_only(&mut app, "/<C-u>kabul<Enter>");
    let searches: Vec<&Effect> = app
        .effects
        .iter()
        .filter(|e| matches!(e, Effect::Search { .. }))
        .collect();
    assert_eq!(
        searches.last(),
        Some(&&Effect::Search {
            generation: 2,
            query: "kabul".into()
        })
    );
    // The first search is told to stop when its results go off screen.
    assert!(app.effects.contains(&Effect::StopSearch));
    assert_eq!(app.search.generation, 2);
    // The first search's hits, arriving late, are ignored…
    update(&mut app, batch(1, vec![hit(0, 5, 13)], true));
    assert!(app.search.searching);
    assert!(app.search.hits.is_empty());
    assert_eq!(app.search.ran, "kabul");
    // …and the second's are shown.
    update(&mut app, batch(2, vec![hit(0, 120, 125)], true));
    assert_eq!(app.search.hits, vec![hit(0, 120, 125)]);
    assert!(!app.search.searching);
}

#[test]
fn esc_stops_a_running_search_and_no_hits_say_so() {
    let mut app = app(80, 24);
    press_only(&mut app, "/pakistan<Enter>");
    app.effects.clear();
    press_only(&mut app, "<Esc>");
    assert_eq!(app.overlay, None);
    assert!(!app.search.searching);
    assert_eq!(app.effects, vec![Effect::StopSearch]);
    update(&mut app, batch(1, vec![hit(0, 5, 13)], true));
    assert!(app.search.hits.is_empty(), "a stopped search shows nothing");

    // A search that finds nothing closes its results with a message.
    press_only(&mut app, "/<C-u>zzz<Enter>");
    assert_eq!(app.overlay, Some(Overlay::Results));
    update(&mut app, batch(2, Vec::new(), true));
    assert_eq!(app.overlay, None);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text == "No matches for \"zzz\"")
    );
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut app = app(80, 24);
    press(&mut app, "?");
    assert_eq!(app.overlay, Some(Overlay::Help));
    press(&mut app, "jj");
    assert_eq!(app.help.scroll, 2);
    press(&mut app, "q");
    assert_eq!(app.overlay, None);
    assert!(!app.quit, "q closes the help first");
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn keys_wait_for_the_index() {
    let mut app = App::new("slow", 80, 24);
    press(&mut app, "jjj<Enter>nn/x");
    assert_eq!(app.article.doc, None);
    assert_eq!(app.input, None);
    press(&mut app, "?");
    assert_eq!(app.overlay, Some(Overlay::Help));
    press(&mut app, "<Esc>q");
    assert!(app.quit);
}

#[test]
fn a_failed_index_is_reported() {
    let mut app = App::new("missing", 80, 24);
    dossier::tui::update::index_ready(&mut app, Err("no such file".into()));
    assert!(matches!(app.load, LoadState::Failed(_)));
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.error && m.text.contains("no such file"))
    );
}

#[test]
fn narrow_screens_show_one_pane_and_keep_everything_reachable() {
    let mut app = app(60, 20);
    press(&mut app, "jjj<Enter>nn");
    press(&mut app, "x");
    assert_eq!(app.focus, Pane::Xref);
    press(&mut app, "k<Enter>");
    assert_eq!(app.article.doc, Some(2));
    press(&mut app, "x");
    assert_eq!(app.focus, Pane::Article);
    press(&mut app, "h");
    assert_eq!(app.focus, Pane::List);
}

#[test]
fn too_small_ignores_keys_but_quit() {
    let mut app = app(80, 24);
    update(&mut app, Action::Resize(30, 8));
    press(&mut app, "jj");
    assert_eq!(app.list.selected, 0);
    press(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn resize_rewraps_and_keeps_the_cursor_in_view() {
    let mut app = app(160, 48);
    press(&mut app, "jj<Enter>");
    press(&mut app, "*");
    let before = app.cursor_mention();
    for (w, h) in [(80, 24), (41, 12), (200, 60), (0, 0), (1, 1), (100, 30)] {
        update(&mut app, Action::Resize(w, h));
    }
    assert_eq!(app.cursor_mention(), before);
    // 100 columns: a 30-column list, then the article's borders and gutter.
    assert_eq!(app.article.wrap_width, 100 - 30 - 2 - 1);
}

#[test]
fn user_bindings_apply() {
    let keymap = Keymap::with_overrides(&[KeyOverride {
        context: Context::Global,
        action: Action::NextMention,
        keys: vec![Key::parse_seq("w").unwrap_or_default()],
    }])
    .expect("no conflict");
    let mut app = app(80, 24);
    let mut router = Router::default();
    press_with(&mut app, &keymap, &mut router, "jjj<Enter>ww");
    assert_eq!(cursor_text(&app).as_deref(), Some("ISKP"));
    press_with(&mut app, &keymap, &mut router, "n");
    assert_eq!(
        cursor_text(&app).as_deref(),
        Some("ISKP"),
        "n is no longer bound"
    );
}

#[test]
fn mouse_clicks_select_and_open_and_the_wheel_scrolls() {
    let mut app = app(80, 24);
    app.mouse = true;
    // The list's rows are two lines each, inside the border: row 3 is y=5.
    update(&mut app, Action::Click(5, 5));
    assert_eq!(app.list.selected, 2);
    assert_eq!(app.article.doc, Some(0), "one click selects");
    update(&mut app, Action::Click(5, 5));
    assert_eq!(app.article.doc, Some(2), "a second click opens");
    // Clicking a mention in the article puts the cursor on it.
    let index = app.index.clone().expect("indexed");
    let m = index.doc_mentions(2)[1];
    let line = app.article.line_of(m.start as usize);
    let col = index.doc(2).text[app.article.lines[line].start..m.start as usize]
        .chars()
        .count();
    let panes = dossier::tui::layout::app_panes(&app);
    let text = dossier::tui::layout::article_text(panes.article.expect("article"));
    let y = text.y + (line - app.article.scroll) as u16;
    update(&mut app, Action::Click(text.x + col as u16, y));
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(app.article.cursor, Some(1));
    update(&mut app, Action::Wheel(text.x, text.y, true));
    assert!(app.article.scroll > 0);
    assert_eq!(
        app.article.cursor,
        Some(1),
        "the wheel scrolls, the cursor stays"
    );
}

#[test]
fn pasting_into_a_filter_takes_one_clean_line() {
    let mut app = app(80, 24);
    press(&mut app, "f");
    update(
        &mut app,
        Action::Paste("Unite\u{1b}[2J\nsecond line".into()),
    );
    assert_eq!(app.list.title_filter, "Unite␛[2J");
    assert!(app.list.rows.is_empty());
    press(&mut app, "<C-u>");
    update(&mut app, Action::Paste("unite".into()));
    assert_eq!(app.list.rows, vec![3]);
}

#[test]
fn the_sort_message_goes_when_the_browser_closes() {
    let mut app = app(80, 24);
    press(&mut app, "ess");
    assert_eq!(app.browser.sort, SortBy::Kind);
    assert!(
        app.message
            .as_ref()
            .is_some_and(|m| m.text == "Sorted by kind")
    );
    press(&mut app, "q");
    assert_eq!(app.overlay, None);
    assert_eq!(app.message, None, "the message was about the browser");
    // Other messages stay when an overlay closes.
    press(&mut app, "e");
    app.set_message("3 documents mention ISKP");
    press(&mut app, "<Esc>");
    assert!(app.message.is_some());
}

#[test]
fn a_list_binding_replaces_the_global_default_in_the_list() {
    let keymap = Keymap::with_overrides(&[KeyOverride {
        context: Context::List,
        action: Action::Down,
        keys: vec![Key::parse_seq("z").unwrap_or_default()],
    }])
    .expect("no conflict");
    let mut app = app(80, 24);
    let mut router = Router::default();
    press_with(&mut app, &keymap, &mut router, "j");
    assert_eq!(app.list.selected, 0, "j no longer moves down in the list");
    press_with(&mut app, &keymap, &mut router, "<Down>");
    assert_eq!(app.list.selected, 0);
    press_with(&mut app, &keymap, &mut router, "zz");
    assert_eq!(app.list.selected, 2);
    // In the article, the global j still scrolls.
    press_with(&mut app, &keymap, &mut router, "<Enter>j");
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(app.article.scroll, 1);
}

#[test]
fn too_small_the_quit_key_quits_whatever_is_open() {
    for keys in ["?", "e", "f", "/"] {
        let mut app = app(80, 24);
        press(&mut app, keys);
        update(&mut app, Action::Resize(30, 8));
        press(&mut app, "j");
        assert!(!app.quit, "{keys}");
        press(&mut app, "q");
        assert!(app.quit, "q quits at 30x8 after {keys}");
    }
}

#[test]
fn documents_are_listed_and_read_while_the_engine_runs() {
    use dossier::entity::Analysis;
    use dossier::entity::{Engine, KnowledgeBase};
    use dossier::index::Index;
    // The seeds: long enough to scroll.
    let corpus = std::sync::Arc::new(dossier::load::bundled_corpus());
    let full = Index::new(
        corpus.clone(),
        Engine::new(KnowledgeBase::default_kb()).analyse(&corpus),
    );
    let listed = Index::new(corpus, Analysis::default());
    let mut app = App::new("seeds", 80, 24);
    dossier::tui::update::index_listed(&mut app, listed);
    // Listed and readable at once, still indexing.
    assert!(matches!(app.load, LoadState::Loading(_)));
    assert_eq!(app.list.rows, vec![0, 1, 2, 3, 4]);
    assert_eq!(app.article.doc, Some(0));
    press(&mut app, "jjj<Enter>");
    assert_eq!(app.article.doc, Some(3));
    assert_eq!(app.focus, Pane::Article);
    assert_eq!(
        cursor_text(&app),
        None,
        "no mentions before the engine is done"
    );
    press(&mut app, "jjjjjjjjjj");
    let scroll = app.article.scroll;
    assert_eq!(scroll, 10);
    // Nothing can be decided yet, and the reader says why.
    press(&mut app, "vd");
    let m = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(m.contains("still indexing"), "{m}");
    assert!(
        !app.effects.iter().any(|e| matches!(e, Effect::Decide(_))),
        "{:?}",
        app.effects
    );
    // Progress still shows while listed.
    update(
        &mut app,
        Action::Progress(dossier::entity::Progress {
            stage: "names",
            done: 3,
            total: 5,
        }),
    );
    assert!(matches!(app.load, LoadState::Loading(Some(p)) if p.stage == "names"));
    // The real index arrives: the reader stays where it is, now with
    // mentions, the cursor on the first one at or below the top of the view.
    dossier::tui::update::index_ready(&mut app, Ok(full));
    assert_eq!(app.load, LoadState::Ready);
    assert_eq!(app.article.doc, Some(3));
    assert_eq!(app.article.scroll, scroll);
    assert_eq!(app.list.selected, 3);
    let top = app.article.lines[scroll].start;
    let index = app.index.as_ref().unwrap();
    let cur = app.article.cursor.expect("a mention under the cursor");
    assert!(index.doc_mentions(3)[cur].end as usize > top);
}

#[test]
fn a_growing_listing_keeps_the_reader_on_its_document_and_line() {
    use dossier::corpus::Corpus;
    use dossier::entity::Analysis;
    use dossier::index::Index;
    let all = dossier::load::bundled_corpus();
    // The files read so far: the first two documents, then all five (with
    // one before them, so that every number moves).
    let part = |ids: &[usize]| {
        let c = Corpus {
            docs: ids.iter().map(|&i| all.docs[i].clone()).collect(),
            ..all.clone()
        };
        Index::new(c, Analysis::default())
    };
    let mut app = App::new("seeds", 80, 24);
    dossier::tui::update::index_listed(&mut app, part(&[1, 2]));
    assert_eq!(app.list.rows, vec![0, 1]);
    press(&mut app, "j<Enter>jjjjjj");
    assert_eq!(app.article.doc, Some(1));
    let top = app.article.lines[app.article.scroll].start;
    let id = all.docs[2].id.clone();

    dossier::tui::update::index_listed(&mut app, part(&[0, 1, 2, 3, 4]));
    assert!(matches!(app.load, LoadState::Loading(_)));
    assert_eq!(app.list.rows.len(), 5);
    let index = app.index.as_ref().unwrap();
    let doc = app.article.doc.expect("still reading");
    assert_eq!(index.doc(doc).id, id, "the same document, now number 2");
    assert_eq!(app.article.lines[app.article.scroll].start, top);
    assert_eq!(
        app.list.selected_doc().map(|d| index.doc(d).id.clone()),
        Some(id)
    );
}

/// The panel opens on an entity named everywhere without reading every
/// document's mentions: its mentions are shared with the index, and the
/// co-occurring entities are counted when the list comes near them.
#[test]
fn the_panel_counts_co_occurrence_when_the_list_comes_near_it() {
    use dossier::corpus::{Corpus, Document};
    use dossier::entity::{Analysis, Entity, Kind, Mention, Source};
    use dossier::index::Index;
    use dossier::tui::app::Effect;
    use dossier::tui::app::Pane;
    use dossier::tui::update::set_xref_entity;
    let (n_docs, per_doc) = (2_000u32, 20u32);
    let corpus = Corpus {
        docs: (0..n_docs)
            .map(|d| Document {
                id: format!("d{d:05}"),
                path: format!("d{d:05}"),
                title: format!("Document {d}"),
                text: "ab ".repeat(per_doc as usize).into(),
                boilerplate: Vec::new(),
                url: None,
                date: None,
            })
            .collect(),
        ..Corpus::default()
    };
    let entities: Vec<Entity> = (0..3)
        .map(|i| Entity {
            id: format!("e{i}"),
            name: format!("E{i}"),
            kind: Kind::Group,
            aliases: Vec::new(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        })
        .collect();
    let mentions: Vec<Mention> = (0..n_docs)
        .flat_map(|d| {
            (0..per_doc).map(move |k| Mention {
                doc: d,
                start: k * 3,
                end: k * 3 + 2,
                entity: if k == 0 { 1 + d % 2 } else { 0 },
                source: Source::Kb,
                confidence: 100,
            })
        })
        .collect();
    let index = Index::new(corpus, Analysis { entities, mentions });
    let want =
        dossier::index::cooc::cooccurrence(&index, 0, dossier::index::cooc::Level::Sentence, None);
    let mut app = App::new("big", 120, 40);
    dossier::tui::update::index_ready(&mut app, Ok(index));
    set_xref_entity(&mut app, 0);
    app.focus = Pane::Xref;
    app.effects.clear();
    update(&mut app, Action::Resize(120, 40));
    let asks = |app: &App| {
        app.effects
            .iter()
            .filter(|e| matches!(e, Effect::CountCooc { entity: 0, .. }))
            .count()
    };
    assert_eq!(asks(&app), 0, "not counted while the list is far from it");
    assert!(app.xref.cooc.is_empty() && !app.xref.cooc.pending);
    // The selection goes to the end of the mentions: now they are asked
    // for, once, off the UI thread.
    app.xref.selected = app.xref.docs.len() + app.xref.mentions.len() - 1;
    update(&mut app, Action::Resize(120, 40));
    update(&mut app, Action::Resize(120, 40));
    assert_eq!(asks(&app), 1);
    assert!(app.xref.cooc.pending);
    let Some(Effect::CountCooc {
        generation,
        entity,
        level,
    }) = app.effects.pop()
    else {
        panic!("no count asked for");
    };
    let answer = app
        .index
        .as_ref()
        .map(|i| dossier::tui::cooc::count(i, generation, entity, level))
        .expect("an index");
    update(&mut app, answer);
    assert!(!app.xref.cooc.pending);
    assert_eq!(app.xref.cooc.rows, want);
    assert_eq!(want.len(), 2);
}

/// A resize, and the cross-link panel opening and closing, keep the
/// article's top line, as less and vim do: they never send the reader back
/// to the mention cursor.
#[test]
fn the_top_line_stays_across_a_resize_and_a_panel_toggle() {
    // The bundled seeds: long enough to scroll far.
    let mut app = App::new("seeds", 80, 24);
    dossier::tui::update::index_ready(
        &mut app,
        Ok(dossier::index::Index::new(
            dossier::load::bundled_corpus(),
            dossier::entity::Engine::new(dossier::entity::KnowledgeBase::default_kb())
                .analyse(&dossier::load::bundled_corpus()),
        )),
    );
    press(&mut app, "<Enter>n");
    press(&mut app, &"j".repeat(40));
    let top = |app: &App| app.article.lines[app.article.scroll].start;
    let before = top(&app);
    assert!(app.article.scroll >= 40, "scrolled: {}", app.article.scroll);
    let keeps = |app: &App, what: &str| {
        let line = &app.article.lines[app.article.scroll];
        assert!(
            line.contains(&before) || line.start == before,
            "{what}: the top line moved from byte {before} to {:?}",
            line
        );
    };
    update(&mut app, Action::Resize(200, 60));
    keeps(&app, "200x60");
    update(&mut app, Action::Resize(80, 24));
    keeps(&app, "back to 80x24");
    press(&mut app, "x");
    keeps(&app, "panel opened");
    press(&mut app, "x");
    keeps(&app, "panel closed");
    update(&mut app, Action::Resize(100, 30));
    press(&mut app, "xx");
    keeps(&app, "x twice at 100 columns");
    // From 70 to 119 columns the panel opens where the list was: the
    // article stays in its pane, as wide as it was, and is not wrapped again.
    for w in [70, 80, 100, 119] {
        update(&mut app, Action::Resize(w, 30));
        let pane = dossier::tui::layout::app_panes(&app).article;
        let (width, lines, scroll) = (
            app.article.wrap_width,
            app.article.lines.clone(),
            app.article.scroll,
        );
        press(&mut app, "x");
        assert_eq!(app.focus, dossier::tui::app::Pane::Xref);
        assert_eq!(
            dossier::tui::layout::app_panes(&app).article,
            pane,
            "{w} columns"
        );
        assert_eq!(app.article.wrap_width, width, "{w} columns");
        assert_eq!(app.article.lines, lines, "{w} columns");
        assert_eq!(app.article.scroll, scroll, "{w} columns");
        press(&mut app, "x");
    }
    // Zooming and back keeps the top line too.
    press(&mut app, "z");
    keeps(&app, "zoomed");
    press(&mut app, "z");
    keeps(&app, "unzoomed");
}

/// Typing has its keys in the one keymap: a user may rebind them, and a
/// printable key with no binding types itself.
#[test]
fn typing_keys_come_from_the_keymap() {
    let keymap = Keymap::with_overrides(&[KeyOverride {
        context: Context::Input,
        action: Action::InputClear,
        keys: vec![Key::parse_seq("<C-w>").expect("key")],
    }])
    .expect("keymap");
    let mut router = Router::default();
    let mut app = app(120, 40);
    press_with(&mut app, &keymap, &mut router, "fkab");
    assert_eq!(
        app.list.title_filter, "kab",
        "f starts the filter; keys type"
    );
    press_with(&mut app, &keymap, &mut router, "<C-w>");
    assert_eq!(app.list.title_filter, "", "the rebound key clears it");
    press_with(&mut app, &keymap, &mut router, "x<C-u>");
    assert_eq!(app.list.title_filter, "x", "<C-u> no longer clears");
    press_with(&mut app, &keymap, &mut router, "<Esc>");
    assert!(app.input.is_none());
}

/// Esc in the list clears the title filter first, then the entity filters.
#[test]
fn esc_in_the_list_clears_the_entity_filters_too() {
    let mut app = app(120, 40);
    press(&mut app, "<Enter>nm");
    assert!(!app.list.entities.is_empty(), "m filtered by the entity");
    let narrowed = app.list.rows.len();
    press(&mut app, "hfKick<Enter>");
    assert_eq!(app.list.title_filter, "Kick");
    press(&mut app, "<Esc>");
    assert!(app.list.title_filter.is_empty());
    assert!(!app.list.entities.is_empty(), "one Esc, one filter");
    assert_eq!(app.list.rows.len(), narrowed);
    press(&mut app, "<Esc>");
    assert!(app.list.entities.is_empty());
    assert_eq!(app.list.rows.len(), 5, "every document again");
}
