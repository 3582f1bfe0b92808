//! Every built-in theme at every colour depth, on the bundled seeds at
//! 80x24: the colours on screen are ones the terminal has, no text is drawn
//! in its own background's colour, and a snapshot per theme and depth lists
//! each style on screen with a sample of the text drawn in it, so that a
//! reviewer can read whether, say, group mentions show on an 8-colour
//! terminal.

mod tui_fixture;

use dossier::entity::{Engine, KnowledgeBase};
use dossier::index::Index;
use dossier::tui::app::App;
use dossier::tui::counts;
use dossier::tui::theme::{self, BUILTIN, ColorDepth, Theme};
use dossier::tui::update;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::OnceLock;
use tui_fixture::press;

const W: u16 = 80;
const H: u16 = 24;

/// The bundled seeds, indexed by the real engine (once: it is the slow part).
fn seeds_index() -> Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let corpus = std::sync::Arc::new(dossier::load::bundled_corpus());
            let analysis = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
            Index::new(corpus, analysis)
        })
        .clone()
}

/// The screens looked at: (name, the reader showing it). Between them they
/// show every style (see `the_screens_show_every_colour_of_a_theme`).
fn screens() -> Vec<(&'static str, App)> {
    let start = || {
        let mut app = App::new("<bundled seeds>", W, H);
        update::index_ready(&mut app, Ok(seeds_index()));
        app
    };
    let at = |keys: &str| {
        let mut app = start();
        press(&mut app, keys);
        app
    };
    let mut out = vec![
        ("list", start()),
        // The fourth article, the cursor on a mention.
        ("article", at("jjj<Enter>nn")),
        ("results", at("jjj<Enter>/Pakistan<Enter>")),
        // A hit opened from the results, highlighted in its article.
        ("search", at("/extradition<Enter><Enter>")),
        ("links", at("jjj<Enter>nnlj")),
        // Boilerplate near the top of the third article.
        ("boilerplate", at("jj<Enter>")),
        ("list filter", at("fpak")),
        ("entities", at("e")),
        ("help", at("?")),
    ];
    let mut visual = at("jjj<Enter>vw");
    counts::resolve_counts(&mut visual);
    out.push(("visual", visual));
    let mut message = at("jjj<Enter>");
    message.set_message("A message");
    out.push(("message", message));
    let mut error = at("jjj<Enter>");
    error.set_error("An error");
    out.push(("error", error));
    out
}

fn draw(app: &App, theme: &Theme) -> Buffer {
    tui_fixture::draw_with(app, theme)
        .backend()
        .buffer()
        .clone()
}

/// The terminal's own colours (text, background), where a theme sets
/// none: `dark` and `mono` leave them alone and are for dark terminals;
/// the other themes paint their own. xterm's gray on black.
const TERMINAL_TEXT: (u8, u8, u8) = (229, 229, 229);
const TERMINAL_PAPER: (u8, u8, u8) = (0, 0, 0);

/// What a cell looks like: (text colour, background), as xterm shows them.
fn seen(fg: Color, bg: Color, m: Modifier) -> ((u8, u8, u8), (u8, u8, u8)) {
    let fg = theme::approx_rgb(fg).unwrap_or(TERMINAL_TEXT);
    let bg = theme::approx_rgb(bg).unwrap_or(TERMINAL_PAPER);
    if m.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

fn colour_name(c: Color) -> String {
    const NAMES: [&str; 16] = [
        "black",
        "red",
        "green",
        "yellow",
        "blue",
        "magenta",
        "cyan",
        "gray",
        "darkgray",
        "lightred",
        "lightgreen",
        "lightyellow",
        "lightblue",
        "lightmagenta",
        "lightcyan",
        "white",
    ];
    match c {
        Color::Reset => "default".into(),
        Color::Indexed(i) if i < 16 => format!("{i}:{}", NAMES[usize::from(i)]),
        Color::Indexed(i) => format!("{i}"),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        other => format!("{other:?}"),
    }
}

fn modifier_names(m: Modifier) -> String {
    if m.is_empty() {
        return "-".into();
    }
    m.iter_names()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("+")
}

/// Whether `c` is a colour a terminal of `depth` has.
fn fits(c: Color, depth: ColorDepth) -> bool {
    match depth {
        ColorDepth::Mono => c == Color::Reset,
        ColorDepth::Ansi8 => matches!(c, Color::Reset | Color::Indexed(0..8)),
        ColorDepth::Ansi16 => matches!(c, Color::Reset | Color::Indexed(0..16)),
        ColorDepth::Ansi256 => !matches!(c, Color::Rgb(..)),
        ColorDepth::TrueColor => true,
    }
}

type Look = (Color, Color, Modifier);

/// Where a look is used: the screens, the number of cells, and a sample of
/// its text (the longest run of it with something other than spaces).
#[derive(Default)]
struct Use {
    first: (usize, u16, u16),
    screens: Vec<&'static str>,
    cells: usize,
    sample: String,
}

/// Runs of one look along each row of `buf`: (look, x, y, text).
fn runs(buf: &Buffer) -> Vec<(Look, u16, u16, String)> {
    let mut out: Vec<(Look, u16, u16, String)> = Vec::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let c = &buf[(x, y)];
            let look = (c.fg, c.bg, c.modifier);
            match out.last_mut() {
                Some((l, _, ry, text)) if *l == look && *ry == y => text.push_str(c.symbol()),
                _ => out.push((look, x, y, c.symbol().to_string())),
            }
            // A wide character hides the cell after it.
            x += dossier::text::symbol_width(c.symbol()).max(1) as u16;
        }
    }
    out
}

/// One theme at one depth: the table of its looks, and what is wrong on
/// screen (colours the terminal lacks, text in its background's colour).
fn survey(name: &str, depth: ColorDepth, screens: &[(&'static str, App)]) -> (String, Vec<String>) {
    let theme = Theme::load(Some(name), depth).expect("theme");
    let mut looks: BTreeMap<String, (Look, Use)> = BTreeMap::new();
    // What is wrong, one line per look: (problem, look) → an example.
    let mut problems: BTreeMap<String, String> = BTreeMap::new();
    for (s, (screen, app)) in screens.iter().enumerate() {
        let buf = draw(app, &theme);
        for (look @ (fg, bg, m), x, y, text) in runs(&buf) {
            let what = format!(
                "{name} at {depth:?}: {} on {} ({})",
                colour_name(fg),
                colour_name(bg),
                modifier_names(m)
            );
            let example = || format!("{text:?} at ({x}, {y}) on the {screen} screen");
            for c in [fg, bg] {
                if !fits(c, depth) {
                    problems
                        .entry(format!("{what}: {c:?} is not a colour at this depth"))
                        .or_insert_with(example);
                }
            }
            let (ink, paper) = seen(fg, bg, m);
            if !text.trim().is_empty() {
                if ink == paper {
                    problems
                        .entry(format!("{what}: text in its background's colour"))
                        .or_insert_with(example);
                } else if theme::contrast(ink, paper) < theme::MIN_CONTRAST {
                    problems
                        .entry(format!("{what}: text all but invisible"))
                        .or_insert_with(example);
                }
            }
            let key = format!("{fg:?} {bg:?} {m:?}");
            let (_, u) = looks.entry(key).or_insert_with(|| {
                (
                    look,
                    Use {
                        first: (s, y, x),
                        ..Use::default()
                    },
                )
            });
            if !u.screens.contains(screen) {
                u.screens.push(screen);
            }
            u.cells += text.chars().count();
            let shown = text.trim();
            if shown.chars().count() > u.sample.chars().count() {
                u.sample = shown.to_string();
            }
        }
    }
    let mut rows: Vec<(Look, Use)> = looks.into_values().collect();
    rows.sort_by_key(|(_, u)| u.first);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16} {:<16} {:<32} {:>5}  {:<40}  screens",
        "fg", "bg", "modifiers", "ratio", "sample"
    );
    for ((fg, bg, m), u) in rows {
        let (ink, paper) = seen(fg, bg, m);
        let mut sample: String = u.sample.chars().take(38).collect();
        if sample.is_empty() {
            sample = format!("({} blank cells)", u.cells);
        } else {
            sample = format!("{sample:?}");
        }
        let shown_screens = if u.screens.len() > 3 {
            format!(
                "{} and {} more",
                u.screens[..3].join(", "),
                u.screens.len() - 3
            )
        } else {
            u.screens.join(", ")
        };
        let _ = writeln!(
            out,
            "{:<16} {:<16} {:<32} {:>5.1}  {:<40}  {shown_screens}",
            colour_name(fg),
            colour_name(bg),
            modifier_names(m),
            theme::contrast(ink, paper),
            sample,
        );
    }
    let problems = problems
        .into_iter()
        .map(|(what, example)| format!("{what}, e.g. {example}"))
        .collect();
    (out, problems)
}

fn depth_name(depth: ColorDepth) -> &'static str {
    match depth {
        ColorDepth::TrueColor => "truecolor",
        ColorDepth::Ansi256 => "256",
        ColorDepth::Ansi16 => "16",
        ColorDepth::Ansi8 => "8",
        ColorDepth::Mono => "mono",
    }
}

/// One theme at every depth: checked at each, a snapshot of each.
fn theme_at_every_depth(name: &str) {
    let screens = screens();
    let (mono, _) = survey("mono", ColorDepth::Mono, &screens);
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    for depth in ColorDepth::ALL {
        let (looks, wrong) = survey(name, depth, &screens);
        problems.extend(wrong);
        // Without colour every theme is `mono`, and `mono` is the same at
        // every depth: one snapshot, of `mono` without colour, says it.
        if name == "mono" || depth == ColorDepth::Mono {
            assert_eq!(looks, mono, "{name} at {depth:?} is not mono");
            if name != "mono" || depth != ColorDepth::Mono {
                continue;
            }
        }
        snapshots.push((depth, looks));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (depth, looks) in snapshots {
        let text = format!(
            "The `{name}` theme at {depth:?}: each look on screen (`default` is the \
             terminal's own colour), its contrast ratio as xterm shows it (on a dark \
             terminal where the theme paints no background), the longest text drawn \
             in it, and the screens that use it.\n\n{looks}"
        );
        insta::assert_snapshot!(format!("{name}_{}", depth_name(depth)), text);
    }
}

#[test]
fn dark_at_every_depth() {
    theme_at_every_depth("dark");
}

#[test]
fn light_at_every_depth() {
    theme_at_every_depth("light");
}

#[test]
fn high_contrast_at_every_depth() {
    theme_at_every_depth("high-contrast");
}

#[test]
fn mono_at_every_depth() {
    theme_at_every_depth("mono");
}

#[test]
fn text_on_a_row_of_its_own_colour_is_drawn_in_black_or_white() {
    let app = screens().swap_remove(0).1;
    for (name, depth, ink) in [
        // The open document's marker is yellow, and so is the selection.
        ("high-contrast", ColorDepth::TrueColor, Color::Rgb(0, 0, 0)),
        ("high-contrast", ColorDepth::Ansi8, Color::Indexed(0)),
        // Blue on blue.
        ("light", ColorDepth::Ansi16, Color::Indexed(15)),
        ("light", ColorDepth::Ansi8, Color::Indexed(7)),
    ] {
        let theme = Theme::load(Some(name), depth).expect("theme");
        assert_eq!(theme.border_focus.fg, theme.selected.bg, "{name}");
        let buf = draw(&app, &theme);
        let marker = (0..W)
            .map(|x| &buf[(x, 1)])
            .find(|c| c.symbol() == "▸")
            .expect("the open document's marker");
        assert_eq!(Some(marker.bg), theme.selected.bg, "{name} at {depth:?}");
        assert_eq!(marker.fg, ink, "{name} at {depth:?}");
    }
}

/// The screens show every colour of the default theme: each style that has
/// one is in the snapshots.
#[test]
fn the_screens_show_every_colour_of_a_theme() {
    let t = Theme::load(Some("dark"), ColorDepth::TrueColor).expect("theme");
    let styles = [
        ("base", t.base),
        ("muted", t.muted),
        ("border", t.border),
        ("border_focus", t.border_focus),
        ("title", t.title),
        ("heading", t.heading),
        ("selected", t.selected),
        ("selected_unfocused", t.selected_unfocused),
        ("status", t.status),
        ("status_mode", t.status_mode),
        ("status_key", t.status_key),
        ("message", t.message),
        ("error", t.error),
        ("entity_group", t.entity_group),
        ("entity_event", t.entity_event),
        ("entity_person", t.entity_person),
        ("entity_org", t.entity_org),
        ("entity_place", t.entity_place),
        ("entity_other", t.entity_other),
        ("suggestion", t.suggestion),
        ("boilerplate", t.boilerplate),
        ("mention_cursor", t.mention_cursor),
        ("xref_current", t.xref_current),
        ("xref_hit", t.xref_hit),
        ("search_hit", t.search_hit),
        ("filter", t.filter),
        ("selection", t.selection),
    ];
    assert_eq!(styles.len(), theme::STYLE_NAMES.len());
    let mut seen = std::collections::BTreeSet::new();
    for (_, app) in screens() {
        let buf = draw(&app, &t);
        for c in buf.content() {
            seen.insert(format!("{:?}", c.fg));
            seen.insert(format!("{:?}", c.bg));
        }
    }
    for (name, style) in styles {
        for c in [style.fg, style.bg].into_iter().flatten() {
            assert!(
                seen.contains(&format!("{c:?}")),
                "{name}: {c:?} not on screen"
            );
        }
    }
}

#[test]
fn every_builtin_theme_is_checked() {
    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, ["dark", "light", "high-contrast", "mono"]);
}

/// Prints the screens (`cargo test --test tui_colours -- --ignored --nocapture`).
#[test]
#[ignore]
fn print_screens() {
    let theme = Theme::load(Some("dark"), ColorDepth::TrueColor).expect("theme");
    for (name, app) in screens() {
        let buf = draw(&app, &theme);
        println!("--- {name}");
        for y in 0..H {
            let mut line = String::new();
            let mut x = 0;
            while x < W {
                let s = buf[(x, y)].symbol();
                line.push_str(s);
                x += dossier::text::symbol_width(s).max(1) as u16;
            }
            println!("{line}");
        }
    }
}
