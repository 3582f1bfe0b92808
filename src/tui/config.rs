//! The user's config file, `$XDG_CONFIG_HOME/dossier/config.toml` (or
//! `~/.config/dossier/config.toml`). Every field is optional; the file only
//! patches the defaults, and anything it does not understand is an error
//! with a clear message rather than a silent surprise.
//!
//! ```toml
//! theme = "light"          # or a path to a theme file
//! mouse = false
//! margins = true           # ask the terminal for left and right margins
//! color = "auto"           # show and xref: auto, always or never
//! kb = ["energy.toml"]     # knowledge bases for every corpus
//! max_file_size = "64 MiB" # the largest file read as a document
//!
//! [keys.global]            # global, list, article, xref, entities, results, help,
//!                          # visual, prompt, review, journal
//! next_mention = ["n", "<C-n>"]
//! quit = "q"
//! ```

use super::action::{Action, BINDABLE};
use super::keymap::{Context, DEFAULT_BINDINGS, Key, KeyOverride, Keymap};
use crate::files;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;
use toml::Spanned;

/// The settings a config file can hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from, if a file existed.
    pub path: Option<PathBuf>,
    pub theme: Option<String>,
    pub mouse: Option<bool>,
    /// Ask the terminal whether it has left and right margins (DECSLRM),
    /// so that a pane beside others scrolls by scrolling: `true` always
    /// asks, `false` never; unset asks only where the environment names a
    /// terminal known to have them (xterm, iTerm2, WezTerm).
    pub margins: Option<bool>,
    /// When `dossier show` and `dossier xref` colour their output (the
    /// command line's `--color` wins); `never` turns the reader's colour
    /// off too, as `NO_COLOR` does.
    pub color: Option<ColorWhen>,
    /// Knowledge-base files added for every corpus (after the default one,
    /// before the corpus's own `dossier.toml` and `--kb`), resolved against
    /// the config file's directory.
    pub kb: Vec<PathBuf>,
    /// The largest file read as a document (default 64 MiB).
    pub max_file_size: Option<u64>,
    pub keys: Vec<KeyOverride>,
    /// The line of each of `keys`, for messages.
    pub key_lines: Vec<usize>,
}

/// The names of the built-in themes (the theme module, which reads this
/// file's errors, checks that they are its own).
pub const THEME_NAMES: &[&str] = &["dark", "light", "high-contrast", "mono"];

/// When to colour what is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ColorWhen {
    /// When printing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always, into a pipe too (for `less -R`), whatever `NO_COLOR` says.
    Always,
    Never,
}

/// The config file could not be used. Each message is one line that names
/// the file (and the line, where there is one); the cause of a read error
/// is its `source`, not part of the message, so that it is printed once.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", place(path, *line))]
    Invalid {
        path: PathBuf,
        /// The line the problem is on, when it is on one.
        line: Option<usize>,
        message: String,
    },
}

/// `path:line`, or `path` alone.
fn place(path: &Path, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{}:{l}", path.display()),
        None => path.display().to_string(),
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].matches('\n').count() + 1
}

/// A TOML error as (line, one-line reason), without the parser's snippet.
pub(crate) fn toml_problem(text: &str, e: &toml::de::Error) -> (Option<usize>, String) {
    let line = e.span().map(|s| line_of(text, s.start));
    let reason = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    (line, reason)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<Spanned<String>>,
    mouse: Option<bool>,
    margins: Option<bool>,
    color: Option<ColorWhen>,
    kb: Option<Vec<Spanned<String>>>,
    max_file_size: Option<Spanned<SizeValue>>,
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<KeyList>>>,
}

/// A size: a number of bytes, or a string such as "64 MiB".
#[derive(Deserialize)]
#[serde(untagged)]
enum SizeValue {
    Bytes(i64),
    Text(String),
}

/// One key sequence or a list of them.
struct KeyList(Vec<String>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key such as \"j\", or a list of keys such as [\"j\", \"<Down>\"]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(KeyList(out))
            }
        }
        d.deserialize_any(KeysVisitor)
    }
}

/// Where the config file lives, from the environment: `$XDG_CONFIG_HOME`
/// when it is set to an absolute path, otherwise `$HOME/.config`.
pub fn config_path(var: impl Fn(&str) -> Option<String>) -> Option<PathBuf> {
    let base = match var("XDG_CONFIG_HOME").filter(|v| Path::new(v).is_absolute()) {
        Some(x) => PathBuf::from(x),
        None => PathBuf::from(var("HOME").filter(|h| !h.is_empty())?).join(".config"),
    };
    Some(base.join("dossier").join("config.toml"))
}

/// Reads the config file if there is one.
pub fn load() -> Result<Config, ConfigError> {
    match config_path(|k| std::env::var(k).ok()) {
        Some(path) => load_from(&path),
        None => Ok(Config::default()),
    }
}

/// Reads the config file at `path`, if there is one: a regular file of at
/// most [`files::CONFIG_CAP`] bytes (a FIFO or a device is refused at once).
pub fn load_from(path: &Path) -> Result<Config, ConfigError> {
    match files::read_regular_string(path, files::CONFIG_CAP) {
        Ok(text) => parse(&text, path),
        Err(files::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            Ok(Config::default())
        }
        Err(e) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source: e.into(),
        }),
    }
}

/// Parses a config file's text; `path` is for messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |offset: usize, message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        line: Some(line_of(text, offset)),
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let (line, message) = toml_problem(text, &e);
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        }
    })?;
    // A file name in the config is relative to the config's directory.
    let beside = |name: &str| -> PathBuf {
        let p = Path::new(name);
        match path.parent() {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    };
    let theme = match &raw.theme {
        None => None,
        Some(t) => {
            let name = t.get_ref();
            if THEME_NAMES.contains(&name.as_str()) {
                Some(name.clone())
            } else if beside(name).is_file() {
                Some(beside(name).display().to_string())
            } else if Path::new(name).is_file() {
                Some(name.clone())
            } else {
                return Err(invalid(
                    t.span().start,
                    format!(
                        "unknown theme {name:?}: not a built-in theme ({}) nor a file",
                        THEME_NAMES.join(", ")
                    ),
                ));
            }
        }
    };
    let mut kb = Vec::new();
    for f in raw.kb.iter().flatten() {
        let file = beside(f.get_ref());
        if !file.is_file() {
            return Err(invalid(
                f.span().start,
                format!("kb: {}: no such file", file.display()),
            ));
        }
        kb.push(file);
    }
    let max_file_size = match &raw.max_file_size {
        None => None,
        Some(v) => {
            let bytes = match v.get_ref() {
                SizeValue::Bytes(n) => u64::try_from(*n).ok().filter(|&n| n > 0),
                SizeValue::Text(t) => crate::corpus::parse_size(t),
            };
            Some(bytes.ok_or_else(|| {
                invalid(
                    v.span().start,
                    "max_file_size: expected a size such as 67108864, \"64 MiB\" or \"500 KiB\""
                        .to_string(),
                )
            })?)
        }
    };
    let mut keys = Vec::new();
    let mut key_lines = Vec::new();
    for (ctx_name, actions) in &raw.keys {
        let at = ctx_name.span().start;
        let ctx_name = ctx_name.get_ref();
        let context = Context::from_name(ctx_name).ok_or_else(|| {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            invalid(
                at,
                format!(
                    "[keys.{ctx_name}]: unknown context {ctx_name:?} (known: {})",
                    known.join(", ")
                ),
            )
        })?;
        if context == Context::Quit {
            return Err(invalid(
                at,
                "[keys.quit]: the keys of the question on quitting cannot be changed: the question names them".to_string(),
            ));
        }
        for (action_name, list) in actions {
            let at = action_name.span().start;
            let action_name = action_name.get_ref();
            let action = Action::from_name(action_name).ok_or_else(|| {
                let known: Vec<&str> = BINDABLE.iter().map(|(n, _)| *n).collect();
                invalid(
                    at,
                    format!(
                        "[keys.{ctx_name}]: unknown action {action_name:?} (known: {})",
                        known.join(", ")
                    ),
                )
            })?;
            let at = list.span().start;
            let mut seqs = Vec::new();
            for s in &list.get_ref().0 {
                let seq = Key::parse_seq(s)
                    .map_err(|e| invalid(at, format!("[keys.{ctx_name}] {action_name}: {e}")))?;
                seqs.push(seq);
            }
            keys.push(KeyOverride {
                context,
                action,
                keys: seqs,
            });
            key_lines.push(line_of(text, at));
        }
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        theme,
        mouse: raw.mouse,
        margins: raw.margins,
        color: raw.color,
        kb,
        max_file_size,
        keys,
        key_lines,
    })
}

impl Config {
    /// The default keymap patched by this file's `[keys.*]` tables. A key
    /// left bound to two actions in one context is an error naming both,
    /// at the line that binds it in this file.
    pub fn keymap(&self) -> Result<Keymap, ConfigError> {
        Keymap::with_overrides(&self.keys).map_err(|conflict| {
            let line_of_action = |action: &Action| {
                self.keys
                    .iter()
                    .zip(&self.key_lines)
                    .find(|(o, _)| o.context == conflict.context && &o.action == action)
                    .map(|(_, &line)| line)
            };
            ConfigError::Invalid {
                path: self
                    .path
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("config.toml")),
                line: line_of_action(&conflict.first.1)
                    .or_else(|| line_of_action(&conflict.second.1)),
                message: conflict.to_string(),
            }
        })
    }
}

/// A config file with every setting at its default, commented out, and
/// every key binding the reader has, by context: what `dossier config
/// --default` prints. Uncommented, it gives the default keymap.
pub fn default_text() -> String {
    use crate::text::safe::toml_string;
    let mut out = String::from(
        "# dossier's configuration: $XDG_CONFIG_HOME/dossier/config.toml (or
# ~/.config/dossier/config.toml). Every setting is optional: what is left
# out (or commented out, as everything is here) keeps its default.
# `dossier config` checks the file; an error names the file and the line.

# The theme: dark, light, high-contrast, mono, or a theme file (a path
# relative to this file's directory, or absolute).
# theme = \"dark\"

# Mouse clicks and the wheel in the reader (off, so that the terminal's own
# text selection works).
# mouse = false

# Ask the terminal for left and right margins (DECSLRM), so that a pane
# beside others scrolls by scrolling: true always, false never; unset asks
# where the environment names a terminal known to have them.
# margins = true

# Colour in `dossier show` and `dossier xref`: auto (into a terminal, unless
# NO_COLOR is set), always (into a pipe too, for less -R) or never (the
# reader then has no colour either, as with NO_COLOR). --color overrides it.
# color = \"auto\"

# Knowledge-base files added for every corpus, after the default one and
# before the corpus's own dossier.toml and --kb (paths relative to this
# file's directory), such as [\"energy.toml\"].
# kb = []

# The largest file read as a document: a number of bytes, or \"64 MiB\",
# \"500 KiB\", \"1 GiB\". A larger file is skipped with its reason.
# max_file_size = \"64 MiB\"

# Keys, by context. The keys given for an action replace all of its keys in
# that context (the global ones too, there); [] unbinds it. Notation: a
# character, <C-x>, <A-x>, <Enter>, <Esc>, <Tab>, <S-Tab>, <Space>, <Up>,
# <PageDown>, <Home>, <F1>, ...; two keys make a chord (gg). These are the
# defaults.
",
    );
    for context in Context::ALL {
        if context == Context::Quit {
            continue;
        }
        // Each action once, with all its keys in this context.
        let mut actions: Vec<(&'static str, Vec<&str>, &str)> = Vec::new();
        for b in DEFAULT_BINDINGS.iter().filter(|b| b.context == context) {
            let Some(name) = b.action.name() else {
                continue;
            };
            match actions.iter_mut().find(|(n, _, _)| *n == name) {
                Some((_, keys, _)) => keys.extend(b.keys.iter().copied()),
                None => actions.push((name, b.keys.to_vec(), b.desc)),
            }
        }
        if actions.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n# [keys.{}]  # {}\n",
            context.name(),
            context.title()
        ));
        for (name, keys, desc) in actions {
            let keys: Vec<String> = keys.iter().map(|k| toml_string(k)).collect();
            out.push_str(&format!("# {name} = [{}]  # {desc}\n", keys.join(", ")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("config.toml")
    }

    #[test]
    fn reads_theme_mouse_and_keys() {
        let c = parse(
            "theme = \"light\"\nmouse = true\nmargins = false\n[keys.article]\nnext_mention = [\"w\", \"<C-n>\"]\n[keys.global]\nquit = \"Q\"\n",
            p(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.mouse, Some(true));
        assert_eq!(c.margins, Some(false));
        assert_eq!(c.keys.len(), 2);
        assert!(c.keys.iter().any(|o| o.context == Context::Article
            && o.action == Action::NextMention
            && o.keys == vec![vec![Key::char('w')], vec![Key::ctrl('n')]]));
    }

    #[test]
    fn unknown_things_are_named_in_the_error() {
        let err = |t: &str| {
            parse(t, p())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        let e = err("[keys.article]\nnext_mentoin = \"w\"\n");
        assert!(
            e.contains("unknown action \"next_mentoin\"") && e.contains("next_mention"),
            "{e}"
        );
        let e = err("[keys.sidebar]\nquit = \"q\"\n");
        assert!(e.contains("unknown context \"sidebar\""), "{e}");
        let e = err("\n[keys.quit]\nquit = \"x\"\n");
        assert!(e.contains("cannot be changed"), "{e}");
        assert!(e.starts_with("config.toml:2: "), "{e}");
        let e = err("[keys.global]\nquit = \"<Hyper-q>\"\n");
        assert!(e.contains("unknown key <Hyper-q>"), "{e}");
        let e = err("colour = \"red\"\n");
        assert!(e.contains("unknown field") && e.contains("colour"), "{e}");
        assert!(e.starts_with("config.toml:1: "), "{e}");
    }

    #[test]
    fn syntax_and_type_errors_are_one_line_with_the_line_number() {
        let err = |t: &str| {
            parse(t, p())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            err("mouse = \"yes\"\n"),
            "config.toml:1: invalid type: string \"yes\", expected a boolean"
        );
        for (text, line) in [
            ("theme =\n", 1),
            ("mouse = true\ntheme = [\n", 2),
            ("[keys.global\n", 1),
            ("# keys\n[keys.global]\nquit = 3\n", 3),
            ("[keys.global]\n\nnext_mentoin = \"w\"\n", 3),
            ("[keys.global]\nquit = \"<Hyper-q>\"\n", 2),
        ] {
            let e = err(text);
            assert!(
                e.starts_with(&format!("config.toml:{line}: ")),
                "{text:?}: {e}"
            );
            assert!(!e.contains('\n') && !e.contains('|'), "{text:?}: {e}");
        }
        let e = err("[keys.global]\nquit = 3\n");
        assert!(e.contains("a key such as \"j\""), "{e}");
        let e = err("[keys.global]\nquit = [\"q\", 3]\n");
        assert!(e.starts_with("config.toml:2: "), "{e}");
    }

    #[test]
    fn a_read_error_names_its_cause_once() {
        let e = ConfigError::Read {
            path: PathBuf::from("/x/config.toml"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let shown = format!("{:#}", anyhow::Error::from(e));
        assert_eq!(shown.matches("permission denied").count(), 1, "{shown}");
        assert!(shown.starts_with("/x/config.toml: cannot read"), "{shown}");
    }

    #[test]
    fn a_key_bound_twice_is_reported_with_the_file() {
        let c = parse("[keys.global]\nquit = \"j\"\n", p()).unwrap_or_else(|e| panic!("{e}"));
        let e = c.keymap().err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            e,
            "config.toml:2: [keys.global]: j is bound to both quit and down; give one of them other keys"
        );
        let c = parse(
            "mouse = true\n\n[keys.list]\ndown = \"x\"\nup = \"x\"\n",
            p(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let e = c.keymap().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            e.starts_with("config.toml:5: [keys.list]: x is bound to both up and down"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_theme_or_missing_kb_names_the_file_and_line() {
        let err = |t: &str| {
            parse(t, p())
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        assert_eq!(
            err("mouse = true\ntheme = \"nope\"\n"),
            "config.toml:2: unknown theme \"nope\": not a built-in theme (dark, light, high-contrast, mono) nor a file"
        );
        let e = err("\nkb = [\n  \"no-such-kb.toml\",\n]\n");
        assert!(
            e.starts_with("config.toml:3: kb: no-such-kb.toml: no such file"),
            "{e}"
        );
        let e = err("color = \"sometimes\"\n");
        assert!(
            e.starts_with("config.toml:1: unknown variant `sometimes`"),
            "{e}"
        );
    }

    #[test]
    fn files_named_in_the_config_are_found_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("energy.toml"), "").unwrap();
        std::fs::write(dir.path().join("mine.toml"), "extends = \"light\"\n").unwrap();
        let c = parse(
            "theme = \"mine.toml\"\ncolor = \"never\"\nkb = [\"energy.toml\"]\n",
            &dir.path().join("config.toml"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.kb, [dir.path().join("energy.toml")]);
        assert_eq!(
            c.theme,
            Some(dir.path().join("mine.toml").display().to_string())
        );
        assert_eq!(c.color, Some(ColorWhen::Never));
    }

    #[test]
    fn the_default_config_uncommented_is_the_default_keymap() {
        let text = default_text();
        assert!(parse(&text, p()).is_ok_and(|c| c.keys.is_empty()));
        // Every setting and binding, uncommented: still valid, no conflict.
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.starts_with("[keys.") || rest.contains(" = ") => rest,
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let c = parse(&uncommented, p()).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
        assert_eq!(c.theme.as_deref(), Some("dark"));
        assert_eq!(c.color, Some(ColorWhen::Auto));
        assert!(c.keys.len() > 50, "{}", c.keys.len());
        for ctx in [
            "global", "list", "article", "xref", "visual", "review", "input",
        ] {
            assert!(uncommented.contains(&format!("\n[keys.{ctx}]")), "{ctx}");
        }
        let keymap = c.keymap().unwrap_or_else(|e| panic!("{e}"));
        let default = Keymap::default();
        for b in DEFAULT_BINDINGS {
            for k in b.keys {
                let seq = Key::parse_seq(k).unwrap_or_else(|e| panic!("{e}"));
                let contexts = [b.context, Context::Global];
                assert_eq!(
                    keymap.lookup(&contexts, &seq),
                    default.lookup(&contexts, &seq),
                    "{:?} {k}",
                    b.context
                );
            }
        }
    }

    #[test]
    fn path_follows_xdg_then_home() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            config_path(env(&[("XDG_CONFIG_HOME", "/x"), ("HOME", "/h")])),
            Some(PathBuf::from("/x/dossier/config.toml"))
        );
        assert_eq!(
            config_path(env(&[("XDG_CONFIG_HOME", "rel"), ("HOME", "/h")])),
            Some(PathBuf::from("/h/.config/dossier/config.toml"))
        );
        assert_eq!(config_path(env(&[])), None);
    }
}
