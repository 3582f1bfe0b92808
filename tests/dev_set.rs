//! The development set of real articles (tests/fixtures/dev): the fixture is
//! whole (every gold form is a whole word of its document, every document has
//! its source), and linking on it does not fall below the floor measured when
//! it was built. The scoring is that of the project's `score.py`: each gold
//! item (entity, document, form) takes the entity id that most mentions of
//! that exact text in that document carry; precision and recall are pairwise.

use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(set: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(set)
}

fn gold(set: &str) -> Value {
    let text = std::fs::read_to_string(fixture(set).join("gold.json")).expect("gold.json");
    serde_json::from_str(&text).expect("gold.json is JSON")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether `form` occurs in `text` with no word character glued to either end.
fn occurs_as_whole_word(text: &str, form: &str) -> bool {
    text.match_indices(form).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + form.len()..].chars().next();
        let first = form.chars().next();
        let last = form.chars().next_back();
        let cuts_left = before.is_some_and(is_word_char) && first.is_some_and(is_word_char);
        let cuts_right = after.is_some_and(is_word_char) && last.is_some_and(is_word_char);
        !cuts_left && !cuts_right
    })
}

/// (gold entity, document, form) for every gold item.
fn gold_items(gold: &Value) -> Vec<(String, String, String)> {
    let mut items = Vec::new();
    for e in gold["entities"].as_array().expect("entities") {
        let id = e["id"].as_str().expect("id");
        for (doc, forms) in e["mentions"].as_object().expect("mentions") {
            for form in forms.as_array().expect("forms") {
                let form = form.as_str().expect("form");
                items.push((id.to_string(), doc.clone(), form.to_string()));
            }
        }
    }
    items
}

#[test]
fn every_gold_form_is_a_whole_word_of_its_document() {
    for set in ["dev", "heldout"] {
        let corpus = fixture(set).join("corpus");
        let gold = gold(set);
        let items = gold_items(&gold);
        assert!(items.len() >= 50, "{set}: only {} gold items", items.len());
        for (id, doc, form) in items {
            let text = std::fs::read_to_string(corpus.join(&doc))
                .unwrap_or_else(|e| panic!("{set}/{doc}: {e}"));
            assert!(
                occurs_as_whole_word(&text, &form),
                "{set}/{doc}: {form:?} ({id}) is not a whole word of the text"
            );
        }
    }
}

#[test]
fn every_document_has_its_source_and_gold() {
    for (set, at_least) in [("dev", 20), ("heldout", 5)] {
        let dir = fixture(set);
        let sources = std::fs::read_to_string(dir.join("SOURCES")).expect("SOURCES");
        let listed: HashMap<&str, &str> = sources
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| {
                let mut cols = l.split('\t');
                Some((cols.next()?, cols.nth(1)?))
            })
            .collect();
        let gold = gold(set);
        let in_gold: Vec<&str> = gold["documents"]
            .as_object()
            .expect("documents")
            .values()
            .filter_map(Value::as_str)
            .collect();
        let mut files: Vec<String> = std::fs::read_dir(dir.join("corpus"))
            .expect("corpus dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert!(files.len() >= at_least, "{set}: {} documents", files.len());
        for f in &files {
            let url = listed
                .get(f.as_str())
                .unwrap_or_else(|| panic!("{set}: {f} not in SOURCES"));
            assert!(url.starts_with("http"), "{set}: {f} has no URL");
            assert!(in_gold.contains(&f.as_str()), "{set}: {f} has no gold");
        }
        assert_eq!(
            listed.len(),
            files.len(),
            "{set}: SOURCES lists a missing file"
        );
    }
}

/// Link scores of `dossier mentions --json` on a gold set.
struct Score {
    found: f64,
    precision: f64,
    recall: f64,
}

fn score(set: &str, extra: &[&str]) -> Score {
    let corpus = fixture(set).join("corpus");
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["mentions", "--json", "--no-cache"])
        .args(extra)
        .arg(&corpus)
        .output()
        .expect("run dossier");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // (doc, text) -> entity -> votes, in first-seen order for ties.
    let mut votes: HashMap<(String, String), Vec<(String, usize)>> = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let m: Value = serde_json::from_str(line).expect("a JSON line");
        let key = (
            m["doc"].as_str().unwrap_or_default().to_string(),
            m["text"].as_str().unwrap_or_default().to_string(),
        );
        let entity = m["entity"].as_str().unwrap_or_default().to_string();
        let tally = votes.entry(key).or_default();
        match tally.iter_mut().find(|(e, _)| *e == entity) {
            Some((_, n)) => *n += 1,
            None => tally.push((entity, 1)),
        }
    }
    let items: Vec<(String, Option<String>)> = gold_items(&gold(set))
        .into_iter()
        .map(|(id, doc, form)| {
            let pred = votes.get(&(doc, form)).and_then(|tally| {
                let best = tally.iter().map(|(_, n)| *n).max()?;
                tally
                    .iter()
                    .find(|(_, n)| *n == best)
                    .map(|(e, _)| e.clone())
            });
            (id, pred)
        })
        .collect();
    let (mut same, mut same_ok, mut predicted) = (0usize, 0usize, 0usize);
    for (i, x) in items.iter().enumerate() {
        for y in &items[i + 1..] {
            let linked = x.1.is_some() && x.1 == y.1;
            predicted += linked as usize;
            if x.0 == y.0 {
                same += 1;
                same_ok += linked as usize;
            }
        }
    }
    let found = items.iter().filter(|(_, p)| p.is_some()).count();
    Score {
        found: found as f64 / items.len() as f64,
        precision: same_ok as f64 / predicted.max(1) as f64,
        recall: same_ok as f64 / same.max(1) as f64,
    }
}

#[test]
fn linking_on_the_development_set_keeps_its_floor() {
    let with_kb = score("dev", &[]);
    let f1 = 2.0 * with_kb.precision * with_kb.recall / (with_kb.precision + with_kb.recall);
    assert!(with_kb.found >= 0.88, "found {:.3}", with_kb.found);
    assert!(
        with_kb.precision >= 0.99,
        "precision {:.3}",
        with_kb.precision
    );
    assert!(f1 >= 0.95, "F1 {f1:.3}");
    let without = score("dev", &["--no-default-kb"]);
    assert!(without.found >= 0.88, "no KB: found {:.3}", without.found);
    assert!(
        without.precision >= 0.98,
        "no KB: precision {:.3}",
        without.precision
    );
}
