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
use dossier::tui::view::{self, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use tui_fixture::*;

fn dark() -> Theme {
    Theme::load(Some("dark"), ColorDepth::TrueColor).expect("dark theme")
}

fn draw_with(app: &App, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).expect("terminal");
    let keymap = Keymap::default();
    terminal
        .draw(|f| {
            view::draw(
                f,
                &Screen {
                    app,
                    theme,
                    keymap: &keymap,
                },
            )
        })
        .expect("draw");
    terminal
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
            assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(_)), "{c:?}");
        }
    }
}
