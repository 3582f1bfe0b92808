//! The shape of the code: no module imports one that imports it back,
//! however long the way round. Read from the sources: every `crate::`,
//! `super::` and `self::` path outside tests names a module it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`tui::update`) → file.
fn modules(root: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = p.strip_prefix(root).expect("under src").with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.last().is_some_and(|l| l == "mod") {
                parts.pop();
            }
            if parts == ["lib"] || parts == ["main"] {
                parts.clear();
            }
            out.insert(parts.join("::"), p);
        }
    }
    out
}

/// The module a path starting at `cur` names: the longest prefix that is one.
fn resolve(mods: &BTreeMap<String, PathBuf>, cur: &[&str], path: &[&str]) -> Option<String> {
    let (mut base, rest): (Vec<&str>, &[&str]) = match path.first() {
        Some(&"crate") => (Vec::new(), &path[1..]),
        Some(&"self") => (cur.to_vec(), &path[1..]),
        Some(&"super") => {
            let ups = path.iter().take_while(|s| **s == "super").count();
            (cur[..cur.len().saturating_sub(ups)].to_vec(), &path[ups..])
        }
        _ => return None,
    };
    base.extend_from_slice(rest);
    (1..=base.len())
        .rev()
        .map(|k| base[..k].join("::"))
        .find(|m| mods.contains_key(m))
}

/// Every module each module uses (its own children and ancestors aside).
fn graph(root: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules(root);
    let mut g = BTreeMap::new();
    for (m, file) in &mods {
        let text = std::fs::read_to_string(file).expect("source");
        // Tests may reach anywhere.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let cur: Vec<&str> = if m.is_empty() {
            Vec::new()
        } else {
            m.split("::").collect()
        };
        let mut deps = BTreeSet::new();
        let mut add = |path: Vec<&str>| {
            if let Some(r) = resolve(&mods, &cur, &path)
                && r != *m
                && !r.is_empty()
                && !r.starts_with(&format!("{m}::"))
                && !m.starts_with(&format!("{r}::"))
            {
                deps.insert(r);
            }
        };
        let bytes = code.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let start = i;
            let word = |s: &str| bytes[start..].starts_with(s.as_bytes());
            let at_word = start == 0
                || !(bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_');
            if at_word && (word("crate::") || word("super::") || word("self::")) {
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric()
                        || bytes[end] == b'_'
                        || bytes[end] == b':')
                {
                    end += 1;
                }
                let path: Vec<&str> = code[start..end]
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .collect();
                // `use super::{a, b::c}`: each item is a path of its own.
                if code[end..].starts_with('{') {
                    let close = code[end..].find('}').map_or(code.len(), |c| end + c);
                    for item in code[end + 1..close].split(',') {
                        let item = item.trim().split(' ').next().unwrap_or_default();
                        if item.is_empty() || item == "self" {
                            add(path.clone());
                            continue;
                        }
                        let mut p = path.clone();
                        p.extend(item.split("::"));
                        add(p);
                    }
                } else {
                    add(path);
                }
                i = end.max(start + 1);
            } else {
                i += 1;
            }
        }
        g.insert(m.clone(), deps);
    }
    g
}

/// A cycle through `from`, if any (depth-first).
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        m: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut c = path[i..].to_vec();
            c.push(m.to_string());
            return Some(c);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(g, d, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys()
        .find_map(|m| visit(g, m, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    // The reading is real: the reader's router uses its modes and helpers.
    let update = g.get("tui::update").expect("tui::update");
    assert!(
        update.contains("tui::decisions") && update.contains("tui::nav"),
        "{update:?}"
    );
    assert!(
        g.get("tui::nav")
            .is_some_and(|d| !d.contains("tui::update"))
    );
    if let Some(c) = cycle(&g) {
        panic!("an import cycle: {}", c.join(" → "));
    }
}

#[test]
fn a_cycle_is_found() {
    let mut g = BTreeMap::new();
    let set = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    g.insert("a".to_string(), set(&["b"]));
    g.insert("b".to_string(), set(&["c"]));
    g.insert("c".to_string(), set(&["a"]));
    assert_eq!(
        cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    g.insert("c".to_string(), set(&[]));
    assert_eq!(cycle(&g), None);
}
