//! Whole screens from a `TestBackend` (insta snapshots at 80x24 and
//! 160x48), and buffer assertions on the styles the article uses.

mod tui_fixture;

use dossier::entity::Kind;
use dossier::tui::action::Action;
use dossier::tui::app::App;
use dossier::tui::keymap::{DEFAULT_BINDINGS, Keymap};
use dossier::tui::layout;
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::update::update;
use dossier::tui::view::{self};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
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
            // A wide character hides the cell after it.
            x += dossier::text::symbol_width(s).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// Where `word` starts in `area`, row by row.
fn find(buf: &Buffer, area: Rect, word: &str) -> Vec<(u16, u16)> {
    let mut out = Vec::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut xs = Vec::new();
        for x in area.left()..area.right() {
            let s = buf[(x, y)].symbol();
            for _ in s.chars() {
                xs.push(x);
            }
            line.push_str(s);
        }
        let chars: Vec<char> = line.chars().collect();
        let w: Vec<char> = word.chars().collect();
        for i in 0..chars.len().saturating_sub(w.len() - 1) {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + w.len());
            if chars[i..i + w.len()] == w[..]
                && !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(|c| c.is_alphanumeric())
            {
                out.push((xs[i], y));
            }
        }
    }
    out
}

fn article_area(app: &App) -> Rect {
    layout::app_panes(app)
        .article
        .map(layout::article_text)
        .expect("article shown")
}

// ---------------------------------------------------------------------------
// Snapshots.

#[test]
fn snapshot_80x24_start() {
    let app = app(80, 24);
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_tour_cross_links() {
    let mut app = app(80, 24);
    press(&mut app, "jjj<Enter>nnl");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_tour_jumped_to_the_third_article() {
    let mut app = app(80, 24);
    press(&mut app, "jjj<Enter>nnlk<Enter>");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_three_panes() {
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nn");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_160x48_filtered_list() {
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nnm");
    press(&mut app, "fpak");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_help() {
    let mut app = app(80, 24);
    press(&mut app, "?");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_entities() {
    let mut app = app(80, 24);
    press(&mut app, "e");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_search_results() {
    let mut app = app(80, 24);
    press(&mut app, "/is-k<Enter>");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn results_say_searching_until_the_hits_arrive() {
    let mut app = app(80, 24);
    press_only(&mut app, "/is-k<Enter>");
    let text = screen_text(&draw(&app));
    assert!(
        text.contains("Search \"is-k\": searching… 0 hits so far"),
        "{text}"
    );
    assert!(text.contains("searching… (Esc stops)"), "{text}");
    settle_searches(&mut app);
    let text = screen_text(&draw(&app));
    assert!(text.contains("Search \"is-k\": 6 hits"), "{text}");
    assert!(!text.contains("searching"), "{text}");
}

#[test]
fn snapshot_80x24_search_prompt() {
    let mut app = app(80, 24);
    press(&mut app, "/isk");
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_loading() {
    let mut app = App::new("<bundled seeds>", 80, 24);
    app.load = dossier::tui::app::LoadState::Loading(Some(dossier::entity::Progress {
        stage: "analysing",
        done: 2,
        total: 5,
    }));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_80x24_listed_while_indexing() {
    use dossier::entity::Analysis;
    use dossier::index::Index;
    let mut app = App::new("fixture", 80, 24);
    let listed = Index::new(index().shared_corpus(), Analysis::default());
    dossier::tui::update::index_listed(&mut app, listed);
    update(
        &mut app,
        Action::Progress(dossier::entity::Progress {
            stage: "matching",
            done: 2,
            total: 5,
        }),
    );
    let t = draw(&app);
    let text = screen_text(&t);
    // Titles and text at once; counts and highlights not yet.
    assert!(text.contains("· …"), "{text}");
    assert!(text.contains("Indexing fixture: matching 2/5"), "{text}");
    assert!(!text.contains("mentions"), "{text}");
    insta::assert_snapshot!(t.backend());
}

#[test]
fn snapshot_too_small() {
    let mut app = app(80, 24);
    update(&mut app, Action::Resize(36, 10));
    insta::assert_snapshot!(draw(&app).backend());
}

#[test]
fn snapshot_60x20_one_pane() {
    let mut app = app(60, 20);
    press(&mut app, "jjj<Enter>nnx");
    insta::assert_snapshot!(draw(&app).backend());
}

// ---------------------------------------------------------------------------
// What a person sees.

#[test]
fn cross_link_panel_shows_every_article_naming_the_group() {
    let mut app = app(80, 24);
    press(&mut app, "jjj<Enter>nnl");
    // At 80 columns the panel opens in the list's narrow place, beside the
    // article, which does not move: `z` gives the panel the whole screen.
    let narrow = screen_text(&draw(&app));
    assert!(narrow.contains("Documents (4)"), "{narrow}");
    assert!(narrow.contains("4/5 Pakistan and US Unite"), "{narrow}");
    press(&mut app, "z");
    let text = screen_text(&draw(&app));
    assert!(text.contains("Islamic State Khorasan Province"), "{text}");
    assert!(text.contains("group · "), "{text}");
    assert!(text.contains("Documents (4)"), "{text}");
    for title in [
        "Kicking Terrorist",
        "US backs Pakistan",
        "Pakistan and US Unite",
        "Following a string",
    ] {
        assert!(text.contains(title), "{title} missing:\n{text}");
    }
    assert!(text.contains("aka "), "{text}");
    assert!(text.contains(" LINKS "), "{text}");
}

#[test]
fn status_line_shows_mode_document_position_and_hints() {
    let mut app = app(80, 24);
    press(&mut app, "jjj<Enter>nn");
    let text = screen_text(&draw(&app));
    let status = text.lines().last().unwrap_or_default();
    assert!(status.contains(" ARTICLE "), "{status}");
    assert!(status.contains("4/5"), "{status}");
    assert!(status.contains("M3/"), "{status}");
    assert!(status.contains("ISKP (group)"), "{status}");
    assert!(status.contains("? help"), "{status}");
}

#[test]
fn help_is_generated_from_the_keymap() {
    let lines = view::help_lines(&Keymap::default(), &dark());
    let text: Vec<String> = lines
        .iter()
        .map(|spans| spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    let all = text.join("\n");
    for b in DEFAULT_BINDINGS {
        assert!(all.contains(b.desc), "help lacks {:?}", b.desc);
        for k in b.keys {
            assert!(all.contains(k), "help lacks key {k}");
        }
    }
}

#[test]
fn never_panics_at_any_size() {
    let mut base = app(80, 24);
    press(&mut base, "jjj<Enter>nn");
    let states: Vec<(&str, App)> = vec![
        ("article", base.clone()),
        ("xref", {
            let mut a = base.clone();
            press(&mut a, "x");
            a
        }),
        ("help", {
            let mut a = base.clone();
            press(&mut a, "?G");
            a
        }),
        ("entities", {
            let mut a = base.clone();
            press(&mut a, "eG");
            a
        }),
        ("results", {
            let mut a = base.clone();
            press(&mut a, "/pakistan<Enter>G");
            a
        }),
    ];
    for (name, state) in &states {
        for w in (0..=170).step_by(7).chain([39, 40, 69, 70, 119, 120]) {
            for h in (0..=50).step_by(5).chain([11, 12, 13]) {
                let mut a = state.clone();
                update(&mut a, Action::Resize(w, h));
                press(&mut a, "jk<C-d>G");
                let t = draw(&a);
                assert_eq!(
                    t.backend().buffer().area,
                    Rect::new(0, 0, w, h),
                    "{name} {w}x{h}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Styles.

/// (word, its document, its kind) for one confirmed mention of each kind.
const EACH_KIND: [(&str, u32, Kind); 6] = [
    ("ISKP", 3, Kind::Group),
    ("Abbey", 3, Kind::Event),
    ("Blinken", 2, Kind::Person),
    ("UN", 2, Kind::Org),
    ("US", 3, Kind::Place),
    ("Counterterror", 3, Kind::Other),
];

/// Renders `doc` at 160x48 and returns the buffer and the article's text area.
fn render_doc(doc: u32, theme: &Theme) -> (Buffer, Rect, App) {
    let mut app = app(160, 48);
    dossier::tui::update::open_doc(&mut app, doc, None);
    // Put the cursor on the last mention so the words checked are plain.
    let n = app.index.as_ref().map_or(0, |i| i.doc_mentions(doc).len());
    app.article.cursor = Some(n - 1);
    let t = draw_with(&app, theme);
    (t.backend().buffer().clone(), article_area(&app), app)
}

#[test]
fn entity_highlighting_uses_the_theme_style_for_each_kind() {
    for name in ["dark", "light", "high-contrast"] {
        let theme = Theme::load(Some(name), ColorDepth::TrueColor).expect("theme");
        for (word, doc, kind) in EACH_KIND {
            let (buf, area, _) = render_doc(doc, &theme);
            let at = find(&buf, area, word);
            let &(x, y) = at.first().unwrap_or_else(|| panic!("{word} not on screen"));
            let want = theme.entity(kind);
            for dx in 0..word.len() as u16 {
                let cell = &buf[(x + dx, y)];
                assert_eq!(Some(cell.fg), want.fg, "{name}: {word} ({kind}) fg");
                assert!(
                    cell.modifier.contains(want.add_modifier),
                    "{name}: {word} modifiers {:?}",
                    cell.modifier
                );
            }
            // The text next to it is not highlighted.
            let plain = &buf[(x.saturating_sub(2), y)];
            let cell = &buf[(x, y)];
            assert_ne!(
                (plain.fg, plain.modifier),
                (cell.fg, cell.modifier),
                "{name}: text before {word}"
            );
        }
    }
}

#[test]
fn no_color_tells_kinds_apart_without_colour() {
    let theme = Theme::load(Some("dark"), ColorDepth::Mono).expect("mono");
    let mut seen: Vec<(Kind, Modifier)> = Vec::new();
    for (word, doc, kind) in EACH_KIND {
        let (buf, area, _) = render_doc(doc, &theme);
        let &(x, y) = find(&buf, area, word)
            .first()
            .unwrap_or_else(|| panic!("{word}"));
        let cell = &buf[(x, y)];
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "{word}: no colour"
        );
        assert!(!cell.modifier.is_empty(), "{word} ({kind}) must be marked");
        seen.push((kind, cell.modifier));
    }
    for (i, (ka, ma)) in seen.iter().enumerate() {
        for (kb, mb) in &seen[i + 1..] {
            assert_ne!(ma, mb, "{ka} and {kb} look the same without colour");
        }
    }
    // Nothing on the whole screen has a colour.
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nn");
    let t = draw_with(&app, &theme);
    for cell in t.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
}

#[test]
fn suggested_links_look_different_from_confirmed_ones() {
    let theme = dark();
    // ISIS-K is a variant suggestion in the fixture; ISKP is confirmed.
    let (buf, area, _) = render_doc(4, &theme);
    let &(x, y) = find(&buf, area, "ISIS-K").first().expect("ISIS-K shown");
    let suggested = buf[(x, y)].clone();
    let (buf3, area3, _) = render_doc(3, &theme);
    let &(x3, y3) = find(&buf3, area3, "ISKP").first().expect("ISKP shown");
    let confirmed = buf3[(x3, y3)].clone();
    assert_eq!(suggested.fg, confirmed.fg, "same kind, same colour");
    assert_ne!(suggested.modifier, confirmed.modifier);
    assert!(
        suggested
            .modifier
            .contains(Modifier::UNDERLINED | Modifier::ITALIC)
    );
}

#[test]
fn boilerplate_is_dimmed() {
    let theme = dark();
    let (buf, area, _) = render_doc(2, &theme);
    let &(x, y) = find(&buf, area, "Sign").first().expect("boilerplate shown");
    let cell = &buf[(x, y)];
    assert!(cell.modifier.contains(Modifier::DIM));
    assert_eq!(Some(cell.fg), theme.boilerplate.fg);
    // The gutter marks it too.
    assert_eq!(buf[(area.x - 1, y)].symbol(), "┆");
    let &(x, y) = find(&buf, area, "border").first().expect("body text shown");
    assert!(!buf[(x, y)].modifier.contains(Modifier::DIM));
}

#[test]
fn the_cursor_mention_stands_out() {
    let theme = dark();
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nn");
    let t = draw(&app);
    let buf = t.backend().buffer();
    let area = article_area(&app);
    let at = find(buf, area, "ISKP");
    let &(x, y) = at.first().expect("ISKP");
    let cell = &buf[(x, y)];
    assert!(cell.modifier.contains(theme.mention_cursor.add_modifier));
    assert_eq!(
        buf[(area.x - 1, y)].symbol(),
        "▶",
        "gutter marks the cursor line"
    );
    // The second ISKP on screen is not under the cursor.
    let &(x2, y2) = at.get(1).expect("second ISKP");
    assert!(!buf[(x2, y2)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>");
    let t = draw(&app);
    let text = screen_text(&t);
    assert!(text.contains("␛[31m"), "{text}");
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    for cell in t.backend().buffer().content() {
        assert!(
            !cell.symbol().chars().any(char::is_control),
            "{:?}",
            cell.symbol()
        );
    }
    // Wide and combined characters are laid out by display width.
    assert!(text.contains("日本語のテキスト"), "{text}");
    assert!(text.contains("cafe\u{301}"), "{text}");
    assert!(text.contains("👍🏽"), "{text}");
}

#[test]
fn sixteen_colour_terminals_get_only_ansi_colours() {
    let theme = Theme::load(None, ColorDepth::Ansi16).expect("theme");
    let mut app = app(160, 48);
    press(&mut app, "jjj<Enter>nnx");
    let t = draw_with(&app, &theme);
    for cell in t.backend().buffer().content() {
        for c in [cell.fg, cell.bg] {
            assert!(matches!(c, Color::Reset | Color::Indexed(0..16)), "{c:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Fitting small screens.

/// The text of one row of the screen.
fn row_text(t: &Terminal<TestBackend>, y: u16) -> String {
    screen_text(t)
        .lines()
        .nth(usize::from(y))
        .unwrap_or("")
        .to_string()
}

#[test]
fn help_at_80x24_shows_every_description_whole() {
    let mut app = app(80, 24);
    press(&mut app, "?");
    // Page through the help, collecting what is inside the overlay.
    let mut seen = String::new();
    for _ in 0..20 {
        let t = draw(&app);
        let over = layout::inner(layout::overlay(layout::app_panes(&app).main));
        for y in over.top()..over.bottom() {
            let line: String = (over.left()..over.right())
                .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                .collect();
            assert!(!line.contains('…'), "cut at row {y}: {line}");
            seen.push_str(&line);
            seen.push(' ');
        }
        press(&mut app, "<C-d>");
    }
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let seen = words(&seen);
    for b in DEFAULT_BINDINGS {
        assert!(seen.contains(&words(b.desc)), "help lacks {:?}", b.desc);
    }
    assert!(seen.contains("Jump forward (most terminals send Tab for Ctrl-i)"));
    assert!(seen.contains("config.toml (see README)."), "{seen}");
}

#[test]
fn help_lines_fit_their_width_and_wrap_under_the_description() {
    let lines = view::help_lines_for(&Keymap::default(), &dark(), 73);
    let text: Vec<String> = lines
        .iter()
        .map(|spans| spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    for l in &text {
        assert!(dossier::text::width(l) <= 73, "{l:?}");
    }
    let i = text
        .iter()
        .position(|l| l.contains("Jump forward"))
        .expect("jump forward");
    assert!(text[i].starts_with("  <C-i> <Tab>"), "{:?}", text[i]);
    // The rest of the description goes on below, in the description column.
    let desc_col = text[i].find("Jump").expect("column");
    assert!(
        text[i + 1].starts_with(&" ".repeat(desc_col)) && text[i + 1].contains("Ctrl-i"),
        "{:?}",
        &text[i..i + 2]
    );
}

#[test]
fn the_too_small_message_always_fits() {
    let keymap = Keymap::default();
    for w in 0..layout::MIN_WIDTH {
        for h in 0..layout::MIN_HEIGHT + 2 {
            for l in view::too_small_lines(w, h, &keymap) {
                assert!(dossier::text::width(&l) <= usize::from(w), "{w}x{h}: {l}");
            }
        }
    }
    let mut app = app(80, 24);
    update(&mut app, Action::Resize(30, 8));
    let text = screen_text(&draw(&app));
    assert!(!text.contains('…'), "{text}");
    for want in [
        "Terminal too small: 30×8",
        "dossier needs at least 40×12.",
        "Enlarge, or q to quit.",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    // The key named is the one bound to quit.
    let keymap = Keymap::with_overrides(&[dossier::tui::keymap::KeyOverride {
        context: dossier::tui::keymap::Context::Global,
        action: Action::Quit,
        keys: vec![vec![dossier::tui::keymap::Key::char('Q')]],
    }])
    .expect("no conflict");
    assert!(
        view::too_small_lines(30, 8, &keymap)
            .iter()
            .any(|l| l == "Enlarge, or Q to quit."),
    );
}

#[test]
fn overlays_leave_no_stray_letters_beside_their_border() {
    for keys in ["?", "e", "/is-k<Enter>"] {
        for (w, h) in [(80, 24), (60, 20), (100, 30), (160, 48)] {
            let mut app = app(w, h);
            press(&mut app, "jjj<Enter>nn");
            press(&mut app, keys);
            let t = draw(&app);
            let panes = layout::app_panes(&app);
            let over = layout::overlay(panes.main);
            let buf = t.backend().buffer();
            for y in over.top()..over.bottom() {
                for x in [over.left().checked_sub(1), Some(over.right())]
                    .into_iter()
                    .flatten()
                    .filter(|&x| x < panes.main.right())
                {
                    assert_eq!(
                        buf[(x, y)].symbol(),
                        " ",
                        "{keys} at {w}x{h}: column {x} of row {y}: {}",
                        row_text(&t, y)
                    );
                }
            }
        }
    }
}

#[test]
fn the_no_match_hint_names_keys_that_work_in_the_mode() {
    let mut app = app(80, 24);
    press(&mut app, "fzzz");
    let text = screen_text(&draw(&app));
    assert!(
        text.contains("Backspace edits the") && text.contains("clears it."),
        "{text}"
    );
    assert!(!text.contains(" M "), "M would type an M:\n{text}");
    press(&mut app, "<Enter>");
    let text = screen_text(&draw(&app));
    assert!(text.contains("<Esc> or M clears the"), "{text}");
}

#[test]
fn the_selected_document_stands_out_in_every_theme() {
    for name in ["dark", "light", "high-contrast", "mono"] {
        let theme = Theme::load(Some(name), ColorDepth::TrueColor).expect("theme");
        for focus_article in [false, true] {
            let mut app = app(80, 24);
            press(&mut app, "jj");
            if focus_article {
                // The list keeps its selection while the article has the focus.
                press(&mut app, "l");
            }
            let t = draw_with(&app, &theme);
            let buf = t.backend().buffer();
            let rows = layout::list_rows(&app, layout::app_panes(&app).list.expect("list"));
            let row_y = |i: u16| rows.y + i * layout::LIST_ROW_HEIGHT;
            // The selection: a bold bar down the row's left edge.
            for y in [row_y(2), row_y(2) + 1] {
                let c = &buf[(rows.x, y)];
                assert_eq!(c.symbol(), "▌", "{name}");
                assert!(c.modifier.contains(Modifier::BOLD), "{name}");
            }
            // The open document keeps its own mark, and no bar.
            assert_eq!(buf[(rows.x, row_y(0))].symbol(), " ", "{name}");
            assert_eq!(buf[(rows.x + 1, row_y(0))].symbol(), "▸", "{name}");
            assert_eq!(buf[(rows.x + 1, row_y(2))].symbol(), " ", "{name}");
            // And the selected row's colours differ from the others'.
            let title = |i: u16| buf[(rows.x + 4, row_y(i))].style();
            assert_ne!(title(2), title(1), "{name}");
        }
    }
}

// ---------------------------------------------------------------------------
// The README agrees with the tables.

/// The text of a README section, from its heading to the next one.
fn readme_section(heading: &str) -> String {
    let readme = include_str!("../README.md");
    let start = readme
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README lacks {heading}"));
    let rest = &readme[start + heading.len() + 2..];
    let end = rest.find("\n##").unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn the_readme_lists_every_context_action_and_style() {
    let config = readme_section("### Configuration");
    for (name, _) in dossier::tui::action::BINDABLE {
        assert!(
            config.contains(&format!("`{name}`")),
            "Configuration lacks {name}"
        );
    }
    for ctx in dossier::tui::keymap::Context::ALL {
        assert!(
            config.contains(ctx.name()),
            "Configuration lacks {}",
            ctx.name()
        );
    }
    let themes = readme_section("### Themes and colour");
    for style in dossier::tui::theme::STYLE_NAMES {
        assert!(
            themes.contains(&format!("`{style}`")),
            "Themes lacks {style}"
        );
    }
}

#[test]
fn while_typing_a_filter_the_hints_are_the_fields_keys() {
    for keys in ["f", "ef"] {
        let mut app = app(80, 24);
        press(&mut app, keys);
        let t = draw(&app);
        let status = row_text(&t, 23);
        assert!(
            status.contains("<Enter> keep") && status.contains("<Esc> clear"),
            "{keys}: {status}"
        );
        for wrong in ["? help", "f filter", "s sort"] {
            assert!(!status.contains(wrong), "{keys}: {status}");
        }
    }
}

/// The search prompt opens on the last query, selected: typing replaces
/// it (as in less), Enter searches it again, Backspace clears it.
#[test]
fn the_search_prompt_preselects_the_last_query() {
    let mut app = app(80, 24);
    press(&mut app, "/is-k<Enter>");
    press(&mut app, "/");
    assert!(app.search.preselected);
    let t = draw(&app);
    let buf = t.backend().buffer();
    let y = buf.area.height - 1;
    let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
    let at = row.find("/is-k").expect("the last query shown") as u16 + 1;
    for x in at..at + 4 {
        assert!(
            buf[(x, y)]
                .modifier
                .contains(ratatui::style::Modifier::REVERSED),
            "the query is shown selected: {row}"
        );
    }
    press(&mut app, "ttp");
    assert_eq!(app.search.query, "ttp", "typing replaced it");
    press(&mut app, "<Enter>/<Backspace>");
    assert_eq!(app.search.query, "");
    press(&mut app, "<Esc>/");
    assert!(!app.search.preselected, "nothing to select");
    press(&mut app, "<Esc>");
    app.search.query = "isk".into();
    press(&mut app, "/<Enter>");
    assert_eq!(app.search.ran, "isk", "Enter searches it again");
}

/// A list that does not fit says how far it is shown, on its bottom border.
#[test]
fn a_list_that_scrolls_shows_its_position() {
    use dossier::corpus::{Corpus, Document};
    use dossier::entity::Analysis;
    use dossier::index::Index;
    let corpus = Corpus {
        docs: (0..50)
            .map(|i| Document {
                id: format!("d{i:02}"),
                path: format!("d{i:02}"),
                title: format!("Story number {i}"),
                text: format!("Story number {i}\n\nText.").into(),
                boilerplate: Vec::new(),
                url: None,
                date: None,
            })
            .collect(),
        ..Corpus::default()
    };
    let mut app = App::new("many", 80, 24);
    dossier::tui::update::index_ready(&mut app, Ok(Index::new(corpus, Analysis::default())));
    let bottom = |app: &App| {
        let t = draw(app);
        let buf = t.backend().buffer();
        let y = buf.area.height - 2;
        (0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    let first = bottom(&app);
    assert!(first.contains(" 10/50 "), "{first}");
    press(&mut app, "G");
    let last = bottom(&app);
    assert!(last.contains(" 50/50 "), "{last}");
}

/// With the panel on another entity than the mention under the cursor, the
/// status line names the panel's entity, not the cursor's.
#[test]
fn the_status_line_names_the_panels_entity() {
    let mut app = app(120, 30);
    press(&mut app, "<Enter>n");
    let cursor = app.cursor_mention().map(|m| m.entity);
    assert_eq!(cursor, Some(PAKISTAN));
    // Another entity from the browser: the panel shows it, with the focus.
    press(&mut app, "efKabul<Enter><Enter>");
    assert_eq!(app.xref.entity, Some(KABUL));
    assert_eq!(app.focus, dossier::tui::app::Pane::Xref);
    assert_eq!(app.cursor_mention().map(|m| m.entity), cursor);
    let status = row_text(&draw(&app), 29);
    assert!(status.contains("links: Kabul"), "{status}");
    assert!(!status.contains("Pakistan (place)"), "{status}");
}

/// Every mode's hint line takes its keys from the keymap: a key rebound in
/// a mode's context is the key its hint names.
#[test]
fn a_rebound_key_shows_in_each_modes_hints() {
    use dossier::tui::keymap::{Context, Key, KeyOverride};
    let cases: &[(&str, Context, Action, &str)] = &[
        ("", Context::List, Action::Filter, "filter"),
        ("jjj<Enter>", Context::Article, Action::NextMention, "next"),
        ("jjj<Enter>nx", Context::Xref, Action::Open, "go"),
        ("e", Context::Entities, Action::Sort, "sort"),
        ("/is-k<Enter>", Context::Results, Action::Open, "open"),
        ("?", Context::Help, Action::Back, "close"),
        ("J", Context::Journal, Action::Back, "close"),
        ("r", Context::Review, Action::ReviewSkip, "skip"),
        ("jjj<Enter>nv", Context::Visual, Action::Tag, "tag"),
        ("", Context::List, Action::Sort, "sort"),
        (
            "/is-k<Enter><Enter>",
            Context::Article,
            Action::NextHit,
            "next hit",
        ),
        (
            "jjj<Enter>nnT",
            Context::Timeline,
            Action::Open,
            "list the month's documents",
        ),
    ];
    let theme = dark();
    for (keys, context, action, label) in cases {
        let mut app = app(160, 48);
        if !keys.is_empty() {
            press(&mut app, keys);
        }
        let keymap = Keymap::with_overrides(&[KeyOverride {
            context: *context,
            action: action.clone(),
            keys: vec![Key::parse_seq("<F7>").expect("a key")],
        }])
        .expect("no conflict");
        let mut t = Terminal::new(TestBackend::new(app.width, app.height)).expect("terminal");
        t.draw(|f| {
            view::draw(
                f,
                &view::Screen {
                    app: &app,
                    theme: &theme,
                    keymap: &keymap,
                },
            )
        })
        .expect("draw");
        let status = row_text(&t, app.height - 1);
        assert!(
            status.contains(&format!("<F7> {label}")),
            "{context:?} after {keys:?}: {status}"
        );
        // And the default key no longer stands beside that label.
        let default = Keymap::default()
            .key_for(&[*context, Context::Global], action)
            .expect("bound by default");
        assert!(
            !status.contains(&format!("{default} {label}")),
            "{context:?}: {status}"
        );
    }
}

#[test]
fn a_rebound_key_shows_in_the_prompt_box() {
    use dossier::tui::keymap::{Context, Key, KeyOverride};
    // (keys that open the question, the rebound answer, its label)
    let cases: &[(&str, Context, Action, &str)] = &[
        ("vLkab<Enter>", Context::Prompt, Action::ConfirmAll, "all"),
        (
            "vLkab<Enter>",
            Context::Prompt,
            Action::ConfirmOne,
            "only this one",
        ),
        ("vLkab<Enter>", Context::Prompt, Action::Back, "cancel"),
        (
            "jjj<Enter>nK",
            Context::Prompt,
            Action::ChooseKind(Kind::Place),
            "place",
        ),
        ("jjj<Enter>nK", Context::Prompt, Action::Back, "cancel"),
        ("jjj<Enter>nR", Context::Input, Action::InputAccept, "save"),
        ("jjj<Enter>nR", Context::Input, Action::InputClear, "clear"),
        (
            "jjj<Enter>nR",
            Context::Input,
            Action::InputCancel,
            "cancel",
        ),
        (
            "jjj<Enter>n;",
            Context::Input,
            Action::InputEditor,
            "editor",
        ),
        (
            "jjj<Enter>n;",
            Context::Input,
            Action::InputTab,
            "on the entity",
        ),
    ];
    let theme = dark();
    for (keys, context, action, label) in cases {
        let mut app = app(160, 48);
        press(&mut app, keys);
        assert!(app.prompt.is_some(), "{keys:?} asks a question");
        let keymap = Keymap::with_overrides(&[KeyOverride {
            context: *context,
            action: action.clone(),
            keys: vec![Key::parse_seq("<F7>").expect("a key")],
        }])
        .expect("no conflict");
        let mut t = Terminal::new(TestBackend::new(app.width, app.height)).expect("terminal");
        t.draw(|f| {
            view::draw(
                f,
                &view::Screen {
                    app: &app,
                    theme: &theme,
                    keymap: &keymap,
                },
            )
        })
        .expect("draw");
        let text = screen_text(&t);
        assert!(
            text.contains(&format!("F7 {label}")),
            "{action:?} after {keys:?}: {text}"
        );
        // And the default key no longer stands beside that label.
        let default = Keymap::default()
            .label_for(&[*context], action)
            .expect("bound by default");
        assert!(
            !text.contains(&format!("{default} {label}")),
            "{action:?}: {text}"
        );
    }
}
