//! The user's config file, `$XDG_CONFIG_HOME/dossier/config.toml` (or
//! `~/.config/dossier/config.toml`). Every field is optional; the file only
//! patches the defaults, and anything it does not understand is an error
//! with a clear message rather than a silent surprise.
//!
//! ```toml
//! theme = "light"          # or a path to a theme file
//! mouse = false
//!
//! [keys.global]            # global, list, article, xref, entities, results, help,
//!                          # visual, prompt, review, journal
//! next_mention = ["n", "<Tab>"]
//! quit = "q"
//! ```

use super::action::{Action, BINDABLE};
use super::keymap::{Context, Key, KeyOverride};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The settings a config file can hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Where it was read from, if a file existed.
    pub path: Option<PathBuf>,
    pub theme: Option<String>,
    pub mouse: Option<bool>,
    pub keys: Vec<KeyOverride>,
}

/// The config file could not be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    theme: Option<String>,
    mouse: Option<bool>,
    #[serde(default)]
    keys: BTreeMap<String, BTreeMap<String, KeyList>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
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
    let Some(path) = config_path(|k| std::env::var(k).ok()) else {
        return Ok(Config::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
        Err(source) => Err(ConfigError::Read { path, source }),
    }
}

/// Parses a config file's text; `path` is for messages.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let raw: RawConfig =
        toml::from_str(text).map_err(|e| invalid(e.to_string().trim_end().to_string()))?;
    let mut keys = Vec::new();
    for (ctx_name, actions) in &raw.keys {
        let context = Context::from_name(ctx_name).ok_or_else(|| {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            invalid(format!(
                "[keys.{ctx_name}]: unknown context {ctx_name:?} (known: {})",
                known.join(", ")
            ))
        })?;
        for (action_name, list) in actions {
            let action = Action::from_name(action_name).ok_or_else(|| {
                let known: Vec<&str> = BINDABLE.iter().map(|(n, _)| *n).collect();
                invalid(format!(
                    "[keys.{ctx_name}]: unknown action {action_name:?} (known: {})",
                    known.join(", ")
                ))
            })?;
            let specs = match list {
                KeyList::One(s) => vec![s.clone()],
                KeyList::Many(v) => v.clone(),
            };
            let mut seqs = Vec::new();
            for s in specs {
                let seq = Key::parse_seq(&s)
                    .map_err(|e| invalid(format!("[keys.{ctx_name}] {action_name}: {e}")))?;
                seqs.push(seq);
            }
            keys.push(KeyOverride {
                context,
                action,
                keys: seqs,
            });
        }
    }
    Ok(Config {
        path: Some(path.to_path_buf()),
        theme: raw.theme,
        mouse: raw.mouse,
        keys,
    })
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
            "theme = \"light\"\nmouse = true\n[keys.article]\nnext_mention = [\"w\", \"<C-n>\"]\n[keys.global]\nquit = \"Q\"\n",
            p(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.theme.as_deref(), Some("light"));
        assert_eq!(c.mouse, Some(true));
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
        let e = err("[keys.global]\nquit = \"<Hyper-q>\"\n");
        assert!(e.contains("unknown key <Hyper-q>"), "{e}");
        let e = err("colour = \"red\"\n");
        assert!(e.contains("unknown field") && e.contains("colour"), "{e}");
        assert!(e.starts_with("config.toml: "), "{e}");
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
