//! Themes: a struct of named styles, loaded from TOML. The built-in themes
//! (`themes/*.toml`) are embedded at build time; a user's theme file patches
//! one of them (`extends = "light"`, default `dark`).
//!
//! Colours fall back from truecolor to 256 to 16 colours depending on the
//! terminal (`COLORTERM`, `TERM`), and `NO_COLOR` selects the `mono` theme,
//! which tells entity kinds apart by bold, underline, reverse and italic.

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
    Ansi16,
    Ansi256,
    TrueColor,
}

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
    fg16: Option<String>,
    bg16: Option<String>,
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
    let colour = |full: &Option<String>, low: &Option<String>| -> Result<Option<Color>, String> {
        let chosen = match depth {
            ColorDepth::Mono => return Ok(None),
            ColorDepth::Ansi16 => low.as_ref().or(full.as_ref()),
            _ => full.as_ref().or(low.as_ref()),
        };
        let Some(s) = chosen else { return Ok(None) };
        let c = Color::from_str(s).map_err(|_| format!("unknown colour {s:?}"))?;
        Ok(Some(downgrade(c, depth)))
    };
    let mut style = Style::default();
    if let Some(c) = colour(&spec.fg, &spec.fg16)? {
        style = style.fg(c);
    }
    if let Some(c) = colour(&spec.bg, &spec.bg16)? {
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

/// The nearest of the 16 ANSI colours.
pub fn nearest_16(rgb: (u8, u8, u8)) -> Color {
    ANSI16
        .iter()
        .min_by_key(|(_, c)| dist(*c, rgb))
        .map(|(c, _)| *c)
        .unwrap_or(Color::Reset)
}

/// A colour the terminal can show at `depth`.
pub fn downgrade(c: Color, depth: ColorDepth) -> Color {
    match (c, depth) {
        (_, ColorDepth::Mono) => Color::Reset,
        (Color::Rgb(r, g, b), ColorDepth::Ansi256) => Color::Indexed(nearest_256((r, g, b))),
        (Color::Rgb(r, g, b), ColorDepth::Ansi16) => nearest_16((r, g, b)),
        (Color::Indexed(i), ColorDepth::Ansi16) => nearest_16(rgb_of_index(i)),
        (c, _) => c,
    }
}

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
            for depth in [
                ColorDepth::TrueColor,
                ColorDepth::Ansi256,
                ColorDepth::Ansi16,
                ColorDepth::Mono,
            ] {
                let t = parse(text, name, depth).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(t.name, *name);
            }
        }
    }

    #[test]
    fn kinds_differ_in_every_builtin() {
        for (name, _) in BUILTIN {
            let Some(t) = Theme::builtin(name) else {
                panic!("{name}")
            };
            for (i, a) in Kind::ALL.iter().enumerate() {
                for b in &Kind::ALL[i + 1..] {
                    assert_ne!(t.entity(*a), t.entity(*b), "{name}: {a} vs {b}");
                }
                assert_ne!(
                    t.mention(*a, true),
                    t.mention(*a, false),
                    "{name}: suggestion {a}"
                );
            }
        }
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
                .all(|c| !matches!(c, Color::Rgb(..) | Color::Indexed(_)))
        );
        // The explicit 16-colour choice is used.
        assert_eq!(t16.entity_group.fg, Some(Color::LightRed));
        let mono = Theme::load(Some("light"), ColorDepth::Mono).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(mono.name, "mono");
        assert!(all_colours(&mono).is_empty());
        assert_eq!(nearest_256((255, 0, 0)), 196);
        assert_eq!(nearest_256((128, 128, 128)), 244);
        assert_eq!(nearest_16((250, 10, 10)), Color::LightRed);
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
}
