//! Themes: a struct of named styles, loaded from TOML. The built-in themes
//! (`themes/*.toml`) are embedded at build time; a user's theme file patches
//! one of them (`extends = "light"`, default `dark`).
//!
//! Colours fall back from truecolor to 256 to 16 to 8 colours depending on
//! the terminal (`COLORTERM`, `TERM`), and `NO_COLOR` selects the `mono`
//! theme, which tells entity kinds apart by bold, underline, reverse and
//! italic. At 16 and 8 colours every colour is an `Indexed` palette entry
//! (0–15, or 0–7), so that the terminal layer can write it as a basic SGR
//! colour (30–37, 90–97).

use super::config::{line_of, toml_problem};
use crate::entity::Kind;
use crate::files;
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use thiserror::Error;
use toml::Spanned;

/// The built-in themes: (name, TOML).
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// How many colours the terminal can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    /// No colour: `NO_COLOR` is set, or `TERM=dumb`.
    Mono,
    /// The 8 basic colours and no bright ones: a terminal whose terminfo
    /// entry has `colors#8` and that does not take SGR 90–97 either (see
    /// [`EIGHT_COLOUR_TERMS`]).
    Ansi8,
    /// The 8 basic colours and their 8 bright forms (SGR 90–97).
    Ansi16,
    Ansi256,
    TrueColor,
}

impl ColorDepth {
    /// Every depth, richest first.
    pub const ALL: [ColorDepth; 5] = [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
        ColorDepth::Ansi8,
        ColorDepth::Mono,
    ];
}

/// `TERM` values of terminals with 8 colours: the ANSI.SYS family of PC
/// consoles, the FreeBSD `syscons` console, the Sun console and the
/// generic 8-colour xterm entry. Their terminfo entries say `colors#8` and
/// their terminals know no bright colours (SGR 90–97). The entries of
/// `xterm`, `screen` and `linux` say `colors#8` too, but those terminals
/// take SGR 90–97, so they get 16 colours.
pub const EIGHT_COLOUR_TERMS: &[&str] = &[
    "ansi",
    "ansi.sys",
    "ansi.sysk",
    "pcansi",
    "cons25",
    "cons25l1",
    "cons25r",
    "cons25w",
    "sun-color",
    "xterm-color",
];

/// The colour depth the environment asks for.
pub fn detect_depth(var: impl Fn(&str) -> Option<String>) -> ColorDepth {
    if var("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return ColorDepth::Mono;
    }
    let colorterm = var("COLORTERM").unwrap_or_default().to_ascii_lowercase();
    if colorterm == "truecolor" || colorterm == "24bit" {
        return ColorDepth::TrueColor;
    }
    let term = var("TERM").unwrap_or_default().to_ascii_lowercase();
    if term == "dumb" {
        ColorDepth::Mono
    } else if term.contains("direct") || term.contains("truecolor") {
        ColorDepth::TrueColor
    } else if term.contains("256") {
        ColorDepth::Ansi256
    } else if EIGHT_COLOUR_TERMS.contains(&term.as_str()) {
        ColorDepth::Ansi8
    } else {
        ColorDepth::Ansi16
    }
}

/// A theme could not be loaded. Each message is one line naming the file
/// (and the line, where there is one); the cause of a read error is its
/// `source`, not part of the message, so that it is printed once.
#[derive(Debug, Error)]
pub enum ThemeError {
    #[error("unknown theme {name:?}: not a built-in theme ({known}) nor a file")]
    Unknown { name: String, known: String },
    #[error("{path}: cannot read the theme file")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        /// The file, or the built-in theme's name.
        origin: String,
        line: Option<usize>,
        message: String,
    },
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    /// The colours on a 16-colour terminal, when not the nearest of `fg`
    /// and `bg`.
    fg16: Option<String>,
    bg16: Option<String>,
    /// The colours on an 8-colour terminal, when not the normal form of
    /// `fg16` and `bg16` (or the nearest of `fg` and `bg`).
    fg8: Option<String>,
    bg8: Option<String>,
    bold: Option<bool>,
    dim: Option<bool>,
    italic: Option<bool>,
    underline: Option<bool>,
    reversed: Option<bool>,
    crossed_out: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    extends: Option<Spanned<String>>,
    #[serde(default)]
    styles: BTreeMap<Spanned<String>, StyleSpec>,
}

/// The reader's named styles. `suggestion`, `boilerplate`, `mention_cursor`,
/// `xref_current`, `xref_hit` and `search_hit` are patches laid over the
/// style beneath them; the rest (`selection` included) are complete styles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Theme {
    pub name: String,
    pub depth: Option<ColorDepth>,
    pub base: Style,
    pub muted: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub heading: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub status: Style,
    pub status_mode: Style,
    pub status_key: Style,
    pub message: Style,
    pub error: Style,
    pub entity_group: Style,
    pub entity_event: Style,
    pub entity_person: Style,
    pub entity_org: Style,
    pub entity_place: Style,
    pub entity_other: Style,
    pub suggestion: Style,
    pub boilerplate: Style,
    pub mention_cursor: Style,
    pub xref_current: Style,
    pub xref_hit: Style,
    pub search_hit: Style,
    pub filter: Style,
    /// The text selected for annotation (visual mode): a complete style,
    /// drawn instead of the entity styles beneath it.
    pub selection: Style,
}

/// The names of the styles a theme file may set.
pub const STYLE_NAMES: &[&str] = &[
    "base",
    "muted",
    "border",
    "border_focus",
    "title",
    "heading",
    "selected",
    "selected_unfocused",
    "status",
    "status_mode",
    "status_key",
    "message",
    "error",
    "entity_group",
    "entity_event",
    "entity_person",
    "entity_org",
    "entity_place",
    "entity_other",
    "suggestion",
    "boilerplate",
    "mention_cursor",
    "xref_current",
    "xref_hit",
    "search_hit",
    "filter",
    "selection",
];

impl Theme {
    fn slot(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "base" => &mut self.base,
            "muted" => &mut self.muted,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "title" => &mut self.title,
            "heading" => &mut self.heading,
            "selected" => &mut self.selected,
            "selected_unfocused" => &mut self.selected_unfocused,
            "status" => &mut self.status,
            "status_mode" => &mut self.status_mode,
            "status_key" => &mut self.status_key,
            "message" => &mut self.message,
            "error" => &mut self.error,
            "entity_group" => &mut self.entity_group,
            "entity_event" => &mut self.entity_event,
            "entity_person" => &mut self.entity_person,
            "entity_org" => &mut self.entity_org,
            "entity_place" => &mut self.entity_place,
            "entity_other" => &mut self.entity_other,
            "suggestion" => &mut self.suggestion,
            "boilerplate" => &mut self.boilerplate,
            "mention_cursor" => &mut self.mention_cursor,
            "xref_current" => &mut self.xref_current,
            "xref_hit" => &mut self.xref_hit,
            "search_hit" => &mut self.search_hit,
            "filter" => &mut self.filter,
            "selection" => &mut self.selection,
            _ => return None,
        })
    }

    /// The style of an entity kind.
    pub fn entity(&self, kind: Kind) -> Style {
        match kind {
            Kind::Group => self.entity_group,
            Kind::Event => self.entity_event,
            Kind::Person => self.entity_person,
            Kind::Org => self.entity_org,
            Kind::Place => self.entity_place,
            Kind::Other => self.entity_other,
        }
    }

    /// The style of a mention: its kind's style, marked when it is only a
    /// suggested link.
    pub fn mention(&self, kind: Kind, suggestion: bool) -> Style {
        let s = self.entity(kind);
        if suggestion {
            s.patch(self.suggestion)
        } else {
            s
        }
    }

    /// Black or white, whichever reads better on `bg`, as this theme's
    /// depth has them: for text that would be drawn with less than
    /// [`MIN_CONTRAST`] (a kind's colour on a selected row of that colour).
    pub fn ink_on(&self, bg: Color) -> Color {
        const BLACK: (u8, u8, u8) = (0, 0, 0);
        const WHITE: (u8, u8, u8) = (255, 255, 255);
        let paper = approx_rgb(bg).unwrap_or(BLACK);
        let ink = if contrast(paper, BLACK) >= contrast(paper, WHITE) {
            BLACK
        } else {
            WHITE
        };
        downgrade(
            Color::Rgb(ink.0, ink.1, ink.2),
            self.depth.unwrap_or(ColorDepth::TrueColor),
        )
    }

    /// A built-in theme at full colour.
    pub fn builtin(name: &str) -> Option<Theme> {
        let text = BUILTIN.iter().find(|(n, _)| *n == name)?.1;
        // The built-in themes are tested to parse.
        parse(text, name, ColorDepth::TrueColor).ok()
    }

    /// The theme to use: `choice` (a built-in name or a file; `dark` when
    /// `None`) at the terminal's colour depth. Without colour, always `mono`.
    pub fn load(choice: Option<&str>, depth: ColorDepth) -> Result<Theme, ThemeError> {
        if depth == ColorDepth::Mono {
            // Still report a bad choice, so that a typo is not hidden by NO_COLOR.
            if let Some(c) = choice {
                resolve_text(c)?;
            }
            return parse(builtin_text("mono"), "mono", depth);
        }
        let choice = choice.unwrap_or("dark");
        let (text, origin) = resolve_text(choice)?;
        parse(&text, &origin, depth)
    }
}

fn builtin_text(name: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or(BUILTIN[0].1)
}

fn known_names() -> String {
    BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The TOML of a built-in theme or a theme file, and a name for messages.
fn resolve_text(choice: &str) -> Result<(String, String), ThemeError> {
    if let Some((_, t)) = BUILTIN.iter().find(|(n, _)| *n == choice) {
        return Ok((t.to_string(), choice.to_string()));
    }
    let path = Path::new(choice);
    if path.is_file() || choice.contains('/') || choice.ends_with(".toml") {
        let text =
            files::read_regular_string(path, files::CONFIG_CAP).map_err(|e| ThemeError::Read {
                path: choice.to_string(),
                source: e.into(),
            })?;
        return Ok((text, choice.to_string()));
    }
    Err(ThemeError::Unknown {
        name: choice.to_string(),
        known: known_names(),
    })
}

/// Parses a theme's TOML. A theme that is not built in starts from the one
/// it `extends` (default `dark`) and patches only the styles it names.
pub fn parse(text: &str, origin: &str, depth: ColorDepth) -> Result<Theme, ThemeError> {
    let invalid = |offset: usize, message: String| ThemeError::Invalid {
        origin: origin.to_string(),
        line: Some(line_of(text, offset)),
        message,
    };
    let file: ThemeFile = toml::from_str(text).map_err(|e| {
        let (line, message) = toml_problem(text, &e);
        ThemeError::Invalid {
            origin: origin.to_string(),
            line,
            message,
        }
    })?;
    let is_builtin = BUILTIN.iter().any(|(n, t)| *n == origin && *t == text);
    let mut theme = if is_builtin {
        Theme::default()
    } else {
        let (parent, at) = file
            .extends
            .as_ref()
            .map_or(("dark", 0), |e| (e.get_ref().as_str(), e.span().start));
        if !BUILTIN.iter().any(|(n, _)| *n == parent) {
            return Err(invalid(
                at,
                format!(
                    "extends {parent:?}, which is not a built-in theme ({})",
                    known_names()
                ),
            ));
        }
        parse(builtin_text(parent), parent, depth)?
    };
    theme.name = file.name.clone().unwrap_or_else(|| origin.to_string());
    theme.depth = Some(depth);
    for (name, spec) in &file.styles {
        let at = name.span().start;
        let name = name.get_ref();
        let style = to_style(spec, depth).map_err(|m| invalid(at, format!("{name}: {m}")))?;
        let slot = theme.slot(name).ok_or_else(|| {
            invalid(
                at,
                format!("unknown style {name:?} (known: {})", STYLE_NAMES.join(", ")),
            )
        })?;
        *slot = if is_builtin { style } else { slot.patch(style) };
    }
    Ok(theme)
}

fn to_style(spec: &StyleSpec, depth: ColorDepth) -> Result<Style, String> {
    // Each depth's own choice first, then the nearest richer or poorer one.
    let colour = |full: &Option<String>,
                  c16: &Option<String>,
                  c8: &Option<String>|
     -> Result<Option<Color>, String> {
        let order = match depth {
            ColorDepth::Mono => return Ok(None),
            ColorDepth::Ansi8 => [c8, c16, full],
            ColorDepth::Ansi16 => [c16, full, c8],
            ColorDepth::Ansi256 | ColorDepth::TrueColor => [full, c16, c8],
        };
        let Some(s) = order.into_iter().find_map(Option::as_ref) else {
            return Ok(None);
        };
        let c = Color::from_str(s).map_err(|_| format!("unknown colour {s:?}"))?;
        Ok(Some(downgrade(c, depth)))
    };
    let mut style = Style::default();
    if let Some(c) = colour(&spec.fg, &spec.fg16, &spec.fg8)? {
        style = style.fg(c);
    }
    if let Some(c) = colour(&spec.bg, &spec.bg16, &spec.bg8)? {
        style = style.bg(c);
    }
    let flags = [
        (spec.bold, Modifier::BOLD),
        (spec.dim, Modifier::DIM),
        (spec.italic, Modifier::ITALIC),
        (spec.underline, Modifier::UNDERLINED),
        (spec.reversed, Modifier::REVERSED),
        (spec.crossed_out, Modifier::CROSSED_OUT),
    ];
    for (flag, m) in flags {
        match flag {
            Some(true) => style = style.add_modifier(m),
            Some(false) => style = style.remove_modifier(m),
            None => {}
        }
    }
    Ok(style)
}

const ANSI16: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs();
    let (r, g, bl) = (d(a.0, b.0), d(a.1, b.1), d(a.2, b.2));
    // Weighted for the eye's sensitivity.
    2 * r * r + 4 * g * g + 3 * bl * bl
}

fn rgb_of_index(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => ANSI16[i as usize].1,
        16..=231 => {
            let i = i - 16;
            (
                CUBE[(i / 36) as usize],
                CUBE[((i / 6) % 6) as usize],
                CUBE[(i % 6) as usize],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// The nearest xterm-256 colour.
pub fn nearest_256(rgb: (u8, u8, u8)) -> u8 {
    let near = |v: u8| {
        (0..6)
            .min_by_key(|&k| (i32::from(CUBE[k]) - i32::from(v)).unsigned_abs())
            .unwrap_or(0) as u8
    };
    let cube = 16 + 36 * near(rgb.0) + 6 * near(rgb.1) + near(rgb.2);
    let avg = ((u32::from(rgb.0) + u32::from(rgb.1) + u32::from(rgb.2)) / 3) as u8;
    let gray = 232 + (avg.saturating_sub(3) / 10).min(23);
    if dist(rgb_of_index(gray), rgb) < dist(rgb_of_index(cube), rgb) {
        gray
    } else {
        cube
    }
}

/// The palette index of one of the 16 basic colours, named or indexed.
fn basic_index(c: Color) -> Option<u8> {
    Some(match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) if i < 16 => i,
        _ => return None,
    })
}

/// A colour as xterm shows it by default; `None` for `Reset` (the
/// terminal's own colour).
pub fn approx_rgb(c: Color) -> Option<(u8, u8, u8)> {
    match (c, basic_index(c)) {
        (Color::Reset, _) => None,
        (_, Some(i)) => Some(ANSI16[usize::from(i)].1),
        (Color::Indexed(i), None) => Some(rgb_of_index(i)),
        (Color::Rgb(r, g, b), None) => Some((r, g, b)),
        (_, None) => None,
    }
}

/// The least contrast (a WCAG ratio, see [`contrast`]) text is drawn with.
/// Below it text is all but invisible: white on yellow, cyan on light
/// gray, a colour on itself. The reader draws such text in black or white
/// instead (see [`Theme::ink_on`]). Higher ratios are the theme's to choose.
pub const MIN_CONTRAST: f64 = 1.5;

/// The WCAG contrast ratio of two colours, from 1 (the same) to 21 (black
/// and white).
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The nearest of the 16 ANSI colours.
pub fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    (0..ANSI16.len())
        .min_by_key(|&i| dist(ANSI16[i].1, rgb))
        .map_or(Color::Reset, |i| Color::Indexed(i as u8))
}

/// The nearest of the 8 basic ANSI colours by hue. With so few, the
/// distance that [`nearest_16`] goes by would make most pale and pastel
/// colours gray, and so alike: here a colour with a hue keeps it (each
/// channel well above its dimmest counts), and only grays become black or
/// white (gray 7).
pub fn nearest_8(rgb: (u8, u8, u8)) -> Color {
    let (r, g, b) = rgb;
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    if max - min < 48 {
        let mean = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
        return Color::Indexed(if mean >= 0x60 { 7 } else { 0 });
    }
    // A channel counts when it is nearer the brightest than the dimmest,
    // and not dark itself; the brightest always counts.
    let mid = (u16::from(max) + u16::from(min)).div_ceil(2);
    let on = |c: u8| c == max || (u16::from(c) >= mid && c >= 0x60);
    Color::Indexed(u8::from(on(r)) | (u8::from(on(g)) << 1) | (u8::from(on(b)) << 2))
}

/// A colour the terminal can show at `depth`. At 16 colours it is one of
/// `Indexed(0..16)`, at 8 one of `Indexed(0..8)` (a bright colour becomes
/// its normal form: light red becomes red, dark gray black), or `Reset`.
pub fn downgrade(c: Color, depth: ColorDepth) -> Color {
    let basic = |count: u8| match (basic_index(c), approx_rgb(c)) {
        (Some(i), _) => Color::Indexed(i % count),
        (None, Some(rgb)) if count == 8 => nearest_8(rgb),
        (None, Some(rgb)) => nearest_16(rgb),
        (None, None) => Color::Reset,
    };
    match (c, depth) {
        (_, ColorDepth::Mono) => Color::Reset,
        (_, ColorDepth::Ansi8) => basic(8),
        (_, ColorDepth::Ansi16) => basic(16),
        (Color::Rgb(r, g, b), ColorDepth::Ansi256) => Color::Indexed(nearest_256((r, g, b))),
        (c, _) => c,
    }
}

/// The SGR escape sequence that draws `style` on the terminal's default
/// colours (empty when the style changes nothing): for text printed into a
/// pager or a pipe rather than drawn on the reader's screen. The 16 basic
/// colours go out in their basic form (30–37, 90–97; 40–47, 100–107), as
/// the reader's own terminal layer writes them; `Reset` is the terminal's
/// own colour.
pub fn sgr(style: Style) -> String {
    let mut codes: Vec<String> = Vec::new();
    let flags = [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::REVERSED, "7"),
        (Modifier::CROSSED_OUT, "9"),
    ];
    for (m, code) in flags {
        if style.add_modifier.contains(m) {
            codes.push(code.to_string());
        }
    }
    let colour = |c: Color, bg: bool| -> Option<String> {
        let (base, bright, extended) = if bg { (40, 100, 48) } else { (30, 90, 38) };
        Some(match (c, basic_index(c)) {
            (Color::Reset, _) => return None,
            (_, Some(i)) if i < 8 => (base + u16::from(i)).to_string(),
            (_, Some(i)) => (bright + u16::from(i - 8)).to_string(),
            (Color::Indexed(i), None) => format!("{extended};5;{i}"),
            (Color::Rgb(r, g, b), None) => format!("{extended};2;{r};{g};{b}"),
            (_, None) => return None,
        })
    };
    codes.extend(style.fg.and_then(|c| colour(c, false)));
    codes.extend(style.bg.and_then(|c| colour(c, true)));
    if codes.is_empty() {
        String::new()
    } else {
        format!("\x1b[{}m", codes.join(";"))
    }
}

/// Ends what [`sgr`] began: every attribute back to the default.
pub const SGR_RESET: &str = "\x1b[0m";

#[cfg(test)]
mod tests {
    use super::*;

    fn all_colours(t: &Theme) -> Vec<Color> {
        let mut t = t.clone();
        STYLE_NAMES
            .iter()
            .filter_map(|n| t.slot(n).map(|s| *s))
            .flat_map(|s| [s.fg, s.bg])
            .flatten()
            .collect()
    }

    #[test]
    fn builtins_parse_and_set_every_style() {
        for (name, text) in BUILTIN {
            let file: ThemeFile = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            for s in STYLE_NAMES {
                assert!(file.styles.contains_key(*s), "{name} lacks {s}");
            }
            for depth in ColorDepth::ALL {
                let t = parse(text, name, depth).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(t.name, *name);
            }
        }
    }

    #[test]
    fn kinds_differ_in_every_builtin_at_every_depth() {
        for (name, _) in BUILTIN {
            for depth in ColorDepth::ALL {
                let t = Theme::load(Some(name), depth).unwrap_or_else(|e| panic!("{name}: {e}"));
                for (i, a) in Kind::ALL.iter().enumerate() {
                    for b in &Kind::ALL[i + 1..] {
                        assert_ne!(
                            t.entity(*a),
                            t.entity(*b),
                            "{name} at {depth:?}: {a} vs {b}"
                        );
                    }
                    assert_ne!(
                        t.mention(*a, true),
                        t.mention(*a, false),
                        "{name} at {depth:?}: suggestion {a}"
                    );
                    // A mention stands out from the text around it.
                    assert_ne!(
                        t.base.patch(t.entity(*a)),
                        t.base,
                        "{name} at {depth:?}: {a} looks like plain text"
                    );
                }
            }
        }
    }

    /// The terminal's own colours, text and background, where a theme
    /// sets none: the built-in themes that leave them alone (`dark`,
    /// `mono`) are for dark terminals. xterm's gray on black.
    const TERMINAL_TEXT: (u8, u8, u8) = ANSI16[7].1;
    const TERMINAL_PAPER: (u8, u8, u8) = ANSI16[0].1;

    /// The styles that show by their background (or, without colour, a
    /// modifier).
    const HIGHLIGHTS: [&str; 5] = [
        "selected",
        "selected_unfocused",
        "status_mode",
        "search_hit",
        "selection",
    ];

    /// A colour as the terminal shows it: `Reset` is the terminal's own
    /// colour, `default`.
    fn shown(c: Option<Color>, default: (u8, u8, u8)) -> (u8, u8, u8) {
        c.and_then(approx_rgb).unwrap_or(default)
    }

    #[test]
    fn every_style_is_readable_at_every_depth() {
        let mut problems = Vec::new();
        for (name, _) in BUILTIN {
            for depth in ColorDepth::ALL {
                let mut t =
                    Theme::load(Some(name), depth).unwrap_or_else(|e| panic!("{name}: {e}"));
                let pane = shown(t.base.bg, TERMINAL_PAPER);
                let pane_text = shown(t.base.fg, TERMINAL_TEXT);
                for s in STYLE_NAMES {
                    let style = t.slot(s).map(|s| *s).unwrap_or_default();
                    // Its own colours, where it sets both.
                    if let (Some(fg), Some(bg)) = (style.fg, style.bg)
                        && approx_rgb(fg) == approx_rgb(bg)
                    {
                        problems.push(format!("{name} at {depth:?}: {s} is {fg:?} on {bg:?}"));
                    }
                    // Text in it, on the pane's background.
                    let (fg, bg) = (shown(style.fg, pane_text), shown(style.bg, pane));
                    if fg == bg {
                        problems.push(format!(
                            "{name} at {depth:?}: {s} is {fg:?} on the background {bg:?}"
                        ));
                    }
                    if HIGHLIGHTS.contains(s) && bg == pane && style.add_modifier.is_empty() {
                        problems.push(format!(
                            "{name} at {depth:?}: {s} does not show on the background {bg:?}"
                        ));
                    }
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    fn env_of(k: &'static str, v: &'static str) -> impl Fn(&str) -> Option<String> {
        move |n: &str| (n == k).then(|| v.to_string())
    }

    #[test]
    fn depth_detection() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            detect_depth(env(&[("NO_COLOR", "1"), ("COLORTERM", "truecolor")])),
            ColorDepth::Mono
        );
        assert_eq!(
            detect_depth(env(&[("NO_COLOR", ""), ("COLORTERM", "truecolor")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            detect_depth(env(&[("TERM", "xterm-256color")])),
            ColorDepth::Ansi256
        );
        assert_eq!(detect_depth(env(&[("TERM", "xterm")])), ColorDepth::Ansi16);
        assert_eq!(detect_depth(env(&[("TERM", "dumb")])), ColorDepth::Mono);
        for term in ["screen", "linux", "xterm", "rxvt", "vt220", ""] {
            assert_eq!(
                detect_depth(env_of("TERM", term)),
                ColorDepth::Ansi16,
                "{term}"
            );
        }
        for term in [
            "ansi",
            "xterm-color",
            "cons25",
            "sun-color",
            "pcansi",
            "ANSI.SYS",
        ] {
            assert_eq!(
                detect_depth(env_of("TERM", term)),
                ColorDepth::Ansi8,
                "{term}"
            );
        }
        // COLORTERM still wins.
        assert_eq!(
            detect_depth(env(&[("TERM", "xterm-color"), ("COLORTERM", "truecolor")])),
            ColorDepth::TrueColor
        );
        assert_eq!(
            detect_depth(env(&[("TERM", "tmux-256color"), ("COLORTERM", "24bit")])),
            ColorDepth::TrueColor
        );
    }

    #[test]
    fn colours_fall_back_by_depth() {
        let t256 = Theme::load(Some("dark"), ColorDepth::Ansi256).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            all_colours(&t256)
                .iter()
                .all(|c| !matches!(c, Color::Rgb(..)))
        );
        let t16 = Theme::load(Some("dark"), ColorDepth::Ansi16).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            all_colours(&t16)
                .iter()
                .all(|c| matches!(c, Color::Indexed(0..16) | Color::Reset))
        );
        // The explicit 16-colour choice is used: light red.
        assert_eq!(t16.entity_group.fg, Some(Color::Indexed(9)));
        let mono = Theme::load(Some("light"), ColorDepth::Mono).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mono.name, "mono");
        assert!(all_colours(&mono).is_empty());
        assert_eq!(nearest_256((255, 0, 0)), 196);
        assert_eq!(nearest_256((128, 128, 128)), 244);
        assert_eq!(nearest_16((250, 10, 10)), Color::Indexed(9));
        assert_eq!(nearest_8((250, 10, 10)), Color::Indexed(1));
        assert_eq!(nearest_8((255, 255, 255)), Color::Indexed(7));
    }

    #[test]
    fn eight_colours_are_the_basic_ones() {
        for (name, _) in BUILTIN {
            let t = Theme::load(Some(name), ColorDepth::Ansi8).unwrap_or_else(|e| panic!("{e}"));
            for c in all_colours(&t) {
                assert!(
                    matches!(c, Color::Indexed(0..8) | Color::Reset),
                    "{name}: {c:?}"
                );
            }
        }
        let d = |c| downgrade(c, ColorDepth::Ansi8);
        // A bright colour becomes its normal form, by name or by index.
        assert_eq!(d(Color::LightRed), Color::Indexed(1));
        assert_eq!(d(Color::Indexed(14)), Color::Indexed(6));
        assert_eq!(d(Color::White), Color::Indexed(7));
        assert_eq!(d(Color::DarkGray), Color::Indexed(0));
        assert_eq!(d(Color::Blue), Color::Indexed(4));
        assert_eq!(d(Color::Reset), Color::Reset);
        // Anything else: the nearest of the 8, never a bright one.
        assert_eq!(d(Color::Rgb(0xff, 0x87, 0x87)), Color::Indexed(1));
        assert_eq!(d(Color::Indexed(196)), Color::Indexed(1));
        assert_eq!(d(Color::Indexed(255)), Color::Indexed(7));
        assert_eq!(d(Color::Rgb(0x30, 0x30, 0x30)), Color::Indexed(0));
        // Pale colours keep their hue rather than all turning gray.
        for (rgb, want) in [
            ((0x87, 0xd7, 0xff), 6),
            ((0xd7, 0xaf, 0xff), 5),
            ((0x87, 0xd7, 0x87), 2),
            ((0xff, 0xaf, 0x5f), 3),
            ((0x5f, 0xaf, 0xd7), 6),
            ((0x00, 0x5f, 0x00), 2),
            ((0x26, 0x4f, 0x78), 4),
            ((0x8a, 0x8a, 0x8a), 7),
            ((0x58, 0x58, 0x58), 0),
        ] {
            assert_eq!(nearest_8(rgb), Color::Indexed(want), "{rgb:?}");
        }
        for i in 0..=255 {
            assert!(matches!(d(Color::Indexed(i)), Color::Indexed(0..8)), "{i}");
            assert!(
                matches!(
                    downgrade(Color::Indexed(i), ColorDepth::Ansi16),
                    Color::Indexed(0..16)
                ),
                "{i}"
            );
        }
        // The 16-colour names stay what they are at 16 colours.
        assert_eq!(
            downgrade(Color::LightRed, ColorDepth::Ansi16),
            Color::Indexed(9)
        );
        // A theme's `fg8` is used at 8 colours, its `fg16` only at 16.
        let t = |depth| {
            parse(
                "[styles]\nmuted = { fg = \"#808080\", fg16 = \"darkgray\", fg8 = \"cyan\" }\n",
                "mine.toml",
                depth,
            )
            .map(|t| t.muted.fg)
            .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(t(ColorDepth::Ansi8), Some(Color::Indexed(6)));
        assert_eq!(t(ColorDepth::Ansi16), Some(Color::Indexed(8)));
        assert_eq!(t(ColorDepth::TrueColor), Some(Color::Rgb(128, 128, 128)));
    }

    #[test]
    fn user_theme_patches_its_parent() {
        let t = parse(
            "extends = \"light\"\n[styles]\nentity_group = { fg = \"#00ff00\" }\n",
            "mine.toml",
            ColorDepth::TrueColor,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let light = Theme::builtin("light").unwrap_or_default();
        assert_eq!(t.entity_group.fg, Some(Color::Rgb(0, 255, 0)));
        // Bold comes from the parent.
        assert!(t.entity_group.add_modifier.contains(Modifier::BOLD));
        assert_eq!(t.entity_place, light.entity_place);
        let e = parse(
            "[styles]\nentity_grup = {}\n",
            "mine.toml",
            ColorDepth::TrueColor,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("unknown style \"entity_grup\""), "{e}");
        let e = Theme::load(Some("solarized"), ColorDepth::TrueColor)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("unknown theme \"solarized\"") && e.contains("high-contrast"),
            "{e}"
        );
    }

    #[test]
    fn theme_file_errors_are_one_line_with_the_line_number() {
        let err = |t: &str| {
            parse(t, "mine.toml", ColorDepth::TrueColor)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            err("[styles]\nbase = { fg = 3 }\n"),
            "mine.toml:2: invalid type: integer `3`, expected a string"
        );
        for (text, line) in [
            ("[styles\n", 1),
            ("name = \"x\"\n[styles]\nbase = { fg = \"nope\" }\n", 3),
            ("[styles]\n\nentity_grup = {}\n", 3),
            ("extends = \"solarized\"\n", 1),
            ("[styles]\nbase = { colour = \"red\" }\n", 2),
        ] {
            let e = err(text);
            assert!(
                e.starts_with(&format!("mine.toml:{line}: ")),
                "{text:?}: {e}"
            );
            assert!(!e.contains('\n') && !e.contains('|'), "{text:?}: {e}");
        }
    }

    #[test]
    fn an_unreadable_theme_file_names_its_cause_once() {
        let dir = std::env::temp_dir().join(format!("dossier-no-theme-{}", std::process::id()));
        let missing = dir.join("nonexistent.toml");
        let e = Theme::load(missing.to_str(), ColorDepth::TrueColor)
            .err()
            .map(anyhow::Error::from)
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(e.contains("cannot read the theme file"), "{e}");
        assert_eq!(e.matches("os error").count(), 1, "{e}");
    }

    #[test]
    fn the_config_knows_the_built_in_themes() {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, super::super::config::THEME_NAMES);
    }

    #[test]
    fn sgr_writes_basic_colours_in_their_basic_form() {
        let s = Style::default()
            .fg(Color::LightRed)
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        assert_eq!(sgr(s), "\x1b[1;4;91;44m");
        assert_eq!(
            sgr(Style::default().fg(Color::Indexed(208))),
            "\x1b[38;5;208m"
        );
        assert_eq!(
            sgr(Style::default().fg(Color::Rgb(1, 2, 3))),
            "\x1b[38;2;1;2;3m"
        );
        assert_eq!(sgr(Style::default().fg(Color::Reset)), "");
        // Every kind of every built-in theme says something at 16 colours.
        for (name, _) in BUILTIN {
            let t = Theme::load(Some(name), ColorDepth::Ansi16).unwrap_or_else(|e| panic!("{e}"));
            for kind in crate::entity::Kind::ALL {
                assert!(!sgr(t.entity(kind)).is_empty(), "{name} {kind:?}");
            }
        }
    }
}
