//! The exported files checked against the rules of the tools that read
//! them, without those tools: CoNLL-2003 columns and IOB2 tags as
//! `spacy convert --converter ner` reads them, and brat's reader, which
//! opens the `.txt` with universal newlines.

use dossier::annotate::export::{self, DOCSTART, Format};
use dossier::corpus::load_embedded;
use dossier::entity::{Engine, KnowledgeBase};
use dossier::index::Index;
use std::collections::HashMap;
use std::path::Path;

const KB: &str = r#"
[[entity]]
id = "pakistan"
name = "Pakistan"
kind = "place"

[[entity]]
id = "afghanistan"
name = "Afghanistan"
kind = "place"

[[entity]]
id = "state-department"
name = "State Department"
kind = "org"

[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP"]
"#;

/// Apostrophes, a missing space after a full stop, CRLF line ends, a
/// mention across a line break, and multi-byte text before the spans.
fn index() -> Index {
    let files: Vec<(&str, &[u8])> = vec![
        (
            "apostrophe.txt",
            "Pakistan’s army\n\nPakistan’s army met in Afghanistan.State Department officials said the TTP’s men left. Pakistan's TTP too."
                .as_bytes(),
        ),
        (
            "crlf.txt",
            "Headline 😀\r\n\r\nThe TTP met.\r\nLater Pakistan said\r\nthe State\r\nDepartment knew of the TTP.\rAfghanistan, too."
                .as_bytes(),
        ),
    ];
    let corpus = load_embedded("fixtures", &files);
    let mut kb = KnowledgeBase::new();
    kb.add_toml(Path::new("kb.toml"), KB).unwrap();
    let analysis = Engine::new(kb).analyse(&corpus);
    Index::new(corpus, analysis)
}

/// Checks a CoNLL file as CoNLL-2003 and spaCy's `ner` converter read it;
/// returns the documents' tokens with their tags.
fn check_conll(text: &str) -> Vec<Vec<(String, String)>> {
    let mut docs: Vec<Vec<(String, String)>> = Vec::new();
    let mut prev: Option<String> = None; // the tag before, within a sentence
    let mut prev_blank = true;
    for (n, line) in text.lines().enumerate() {
        let n = n + 1;
        if line == DOCSTART {
            assert!(
                prev_blank || n == 1,
                "line {n}: no blank line before a document"
            );
            docs.push(Vec::new());
            prev = None;
            prev_blank = false;
            continue;
        }
        if line.is_empty() {
            prev = None;
            prev_blank = true;
            continue;
        }
        prev_blank = false;
        // Columns as Python's str.split() sees them.
        let cols: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(cols.len(), 2, "line {n}: {line:?} is not token and tag");
        let tag = cols[cols.len() - 1];
        let ok = tag == "O"
            || match tag.split_once('-') {
                Some(("B", t)) => !t.is_empty(),
                Some(("I", t)) => prev.as_deref().is_some_and(|p| {
                    p.split_once('-')
                        .is_some_and(|(bi, pt)| (bi == "B" || bi == "I") && pt == t)
                }),
                _ => false,
            };
        assert!(ok, "line {n}: ill-formed IOB {tag:?} after {prev:?}");
        docs.last_mut()
            .unwrap_or_else(|| panic!("line {n}: a token before any {DOCSTART}"))
            .push((cols[0].to_string(), tag.to_string()));
        prev = Some(tag.to_string());
    }
    assert!(
        text.ends_with("\n\n") || text.is_empty(),
        "no blank line at the end"
    );
    docs
}

#[test]
fn conll_is_conll_2003_with_the_tag_last_and_spans_on_token_boundaries() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Conll, dir.path(), &HashMap::new()).unwrap();
    let conll = std::fs::read_to_string(dir.path().join("conll.txt")).unwrap();
    let docs = check_conll(&conll);
    assert_eq!(docs.len(), index.docs().len());
    for (d, tokens) in docs.iter().enumerate() {
        // Every mention is a run of B- then I- tokens whose text, joined,
        // is the mention's text less its white space.
        let mut runs: Vec<String> = Vec::new();
        for (tok, tag) in tokens {
            if tag.starts_with("B-") {
                runs.push(tok.clone());
            } else if tag.starts_with("I-") {
                runs.last_mut().unwrap().push_str(tok);
            }
        }
        let text = &index.docs()[d].text;
        let want: Vec<String> = index
            .doc_mentions(d as u32)
            .iter()
            .map(|m| text[m.range()].split_whitespace().collect())
            .collect();
        assert_eq!(runs, want, "document {d}");
    }
    let first = &docs[0];
    let at = |t: &str| first.iter().position(|(tok, _)| tok == t).unwrap();
    // "Pakistan’s": the name is the entity, the "’s" is not.
    let p = at("Pakistan");
    assert_eq!(first[p].1, "B-PLACE");
    assert_eq!(first[p + 1], ("’s".to_string(), "O".to_string()));
    // "Afghanistan.State Department": two entities, the full stop neither.
    let a = at("Afghanistan");
    let tags: Vec<&str> = first[a..a + 4].iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(tags, ["B-PLACE", "O", "B-ORG", "I-ORG"]);
    // The ids sit line for line in their own file.
    let ids = std::fs::read_to_string(dir.path().join("conll.ids.txt")).unwrap();
    assert_eq!(ids.lines().count(), conll.lines().count());
    for (c, i) in conll.lines().zip(ids.lines()) {
        if c == DOCSTART {
            assert!(i.starts_with("-DOCSTART-\t"), "{i}");
            continue;
        }
        let (tok, tag) = c.split_once('\t').unwrap_or((c, ""));
        let (itok, id) = i.split_once('\t').unwrap_or((i, ""));
        assert_eq!(tok, itok);
        assert_eq!(tag == "O", id == "_", "{c} / {i}");
    }
    assert!(
        ids.lines().any(|l| l == "Department\tstate-department"),
        "{ids}"
    );
}

/// Reads a text as Python's `open()` does by default (universal newlines).
fn universal_newlines(bytes: &str) -> String {
    bytes.replace("\r\n", "\n").replace('\r', "\n")
}

#[test]
fn every_brat_span_quotes_its_text_as_brat_reads_it_crlf_included() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Brat, dir.path(), &HashMap::new()).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("documents.tsv")).unwrap();
    let mut checked = 0;
    for line in manifest.lines().skip(1) {
        let stem = line.split('\t').next().unwrap();
        let txt = std::fs::read_to_string(dir.path().join(format!("{stem}.txt"))).unwrap();
        let chars: Vec<char> = universal_newlines(&txt).chars().collect();
        let ann = std::fs::read_to_string(dir.path().join(format!("{stem}.ann"))).unwrap();
        for l in ann.lines().filter(|l| l.starts_with('T')) {
            let cols: Vec<&str> = l.split('\t').collect();
            let (_, offsets) = cols[1].split_once(' ').unwrap();
            let pieces: Vec<String> = offsets
                .split(';')
                .map(|f| {
                    let (a, b) = f.split_once(' ').unwrap();
                    let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
                    chars[a..b].iter().collect()
                })
                .collect();
            assert_eq!(pieces.join(" "), cols[2], "{stem}: {l}");
            checked += 1;
        }
    }
    assert_eq!(
        checked,
        (0..index.docs().len() as u32)
            .map(|d| index.doc_mentions(d).len())
            .sum::<usize>()
    );
    // And the spans come back where they were in the CRLF document.
    let back = export::import(Format::Brat, dir.path(), index.corpus()).unwrap();
    let mut want: Vec<_> = export::spans(&index, &HashMap::new())
        .into_iter()
        .flatten()
        .map(|s| (s.doc, s.start, s.end))
        .collect();
    want.sort();
    let got: Vec<_> = back.into_iter().map(|s| (s.doc, s.start, s.end)).collect();
    assert_eq!(got, want);
    let crlf = index.doc_by_id("crlf.txt").unwrap();
    assert!(index.doc_mentions(crlf).len() >= 5);
}

#[test]
fn import_offers_only_the_formats_it_reads() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["import", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    // The possible values, listed after the option (one line or several).
    let at = help.find("--format <FORMAT>").unwrap();
    let mut lines = help[at..].lines();
    let first = lines.next().unwrap_or_default();
    let values: String = std::iter::once(first)
        .chain(lines.take_while(|l| !l.trim_start().starts_with("--")))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        values.contains("brat") && values.contains("doccano"),
        "{help}"
    );
    assert!(values.contains("decisions"), "{help}");
    assert!(!values.contains("conll"), "{values}");
}
