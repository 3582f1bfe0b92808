//! Export and import against hostile or malformed inputs: texts that differ
//! from the corpus, offsets out of range, planted symlinks, colliding file
//! names, odd document ids, paths out of the export directory, FIFOs and
//! devices, and documents too big for quadratic work.

use dossier::annotate::export::{self, ExportError, Format, Offsets, Span, to_bytes, to_chars};
use dossier::corpus::{Corpus, load_embedded};
use dossier::entity::{Analysis, Engine, Entity, Kind, KnowledgeBase, Mention, Source};
use dossier::index::Index;
use proptest::prelude::*;
use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

const KB: &str = r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP"]

[[entity]]
id = "kabul"
name = "Kabul"
kind = "place"
"#;

fn analysed(corpus: Corpus) -> Index {
    let mut kb = KnowledgeBase::new();
    kb.add_toml(Path::new("kb.toml"), KB).unwrap();
    let analysis = Engine::new(kb).analyse(&corpus);
    Index::new(corpus, analysis)
}

/// Multi-byte text before the spans, so byte and code-point offsets differ.
fn index() -> Index {
    let files: Vec<(&str, &[u8])> = vec![
        (
            "emoji.txt",
            "Report 😀🇵🇰\n\n👍 The TTP met in Kabul. 🙂 The TTP lied.".as_bytes(),
        ),
        (
            "marks.txt",
            "Cafe\u{0301} news\n\nZoe\u{0308} wrote that Kabul and the TTP talked.".as_bytes(),
        ),
    ];
    analysed(load_embedded("fixtures", &files))
}

fn expected(index: &Index) -> Vec<Span> {
    let mut all: Vec<Span> = export::spans(index, &HashMap::new())
        .into_iter()
        .flatten()
        .collect();
    all.sort();
    all
}

fn parse_error(e: ExportError) -> (PathBuf, usize, String) {
    match e {
        ExportError::Parse { path, line, reason } => (path, line, reason),
        other => panic!("expected a line error, got {other:?}"),
    }
}

fn write_jsonl(path: &Path, lines: &[serde_json::Value]) {
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

/// The binary with its own data and cache directories.
fn dossier(args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .expect("run dossier")
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

// ---------------------------------------------------------------------------
// Export never writes through a planted link, and writes privately.

#[test]
fn export_replaces_planted_symlinks_and_writes_0600_files_in_a_0700_dir() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new/out");
    let victims = dir.path().join("victims");
    std::fs::create_dir(&victims).unwrap();
    let names = [
        "emoji.txt",
        "emoji.ann",
        "marks.ann",
        "annotation.conf",
        "documents.tsv",
        "doccano.jsonl",
        "spacy.jsonl",
        "conll.txt",
    ];
    // The first export creates the directory, 0700.
    export::export(&index, Format::Conll, &out, &HashMap::new()).unwrap();
    assert_eq!(mode(&out), 0o700);
    for name in names {
        let victim = victims.join(name);
        std::fs::write(&victim, "keep").unwrap();
        let _ = std::fs::remove_file(out.join(name));
        std::os::unix::fs::symlink(&victim, out.join(name)).unwrap();
    }
    // A dangling link must not create its target either.
    std::os::unix::fs::symlink(victims.join("created"), out.join("marks.txt")).unwrap();
    for format in [Format::Brat, Format::Doccano, Format::Spacy, Format::Conll] {
        let written = export::export(&index, format, &out, &HashMap::new()).unwrap();
        for path in written {
            let meta = std::fs::symlink_metadata(&path).unwrap();
            assert!(meta.file_type().is_file(), "{}", path.display());
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
    }
    for name in names {
        assert_eq!(
            std::fs::read_to_string(victims.join(name)).unwrap(),
            "keep",
            "{name}"
        );
        assert!(std::fs::symlink_metadata(out.join(name)).unwrap().is_file());
    }
    assert!(!victims.join("created").exists());
    // The brat export is still whole.
    let got = export::import(Format::Brat, &out, index.corpus()).unwrap();
    assert_eq!(got, expected(&index));
}

#[test]
fn the_binary_exports_through_no_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("a.txt"), "A headline\n\nThe TTP met.\n").unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("doccano.jsonl")).unwrap();
    let o = dossier(
        &[
            "export",
            corpus.to_str().unwrap(),
            "--format",
            "doccano",
            "--out",
            out.to_str().unwrap(),
            "--annotations",
            dir.path().join("j.jsonl").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
    assert_eq!(mode(&out.join("doccano.jsonl")), 0o600);
    assert!(
        std::fs::read_to_string(out.join("doccano.jsonl"))
            .unwrap()
            .contains("\"doc\":\"a.txt\"")
    );
}

// ---------------------------------------------------------------------------
// Offsets: the walking converter agrees with the naive functions, and a
// long line with many spans takes one pass.

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z ]{0,6}",
        Just("é".to_string()),
        Just("e\u{301}".to_string()),
        Just("東京".to_string()),
        Just("😀".to_string()),
        Just("🇵🇰".to_string()),
        Just("\n".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn offsets_agree_with_the_naive_conversions(
        t in text(),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        extra in prop::collection::vec(0usize..8, 0..10),
    ) {
        let boundaries: Vec<usize> = t
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(t.len()))
            .collect();
        let n = boundaries.len() - 1;
        // Bytes, in any order (ascending, then random).
        let mut offsets = Offsets::new(&t);
        for &b in &boundaries {
            prop_assert_eq!(offsets.chars(b), to_chars(&t, b));
        }
        for p in &picks {
            let b = boundaries[p.index(boundaries.len())];
            prop_assert_eq!(offsets.chars(b), to_chars(&t, b));
        }
        // Past the end counts as the end.
        prop_assert_eq!(offsets.chars(t.len() + 3), n);
        // Code points, in any order, some past the end.
        let mut offsets = Offsets::new(&t);
        let chars = picks
            .iter()
            .map(|p| p.index(n + 1))
            .chain(extra.iter().map(|e| n + e));
        for c in chars {
            prop_assert_eq!(offsets.byte(c), to_bytes(&t, c));
        }
    }
}

/// One 4 MB line with 200,000 mentions among multi-byte characters:
/// converting each offset from the start of the text takes many minutes.
#[test]
fn a_long_line_with_many_spans_exports_and_imports_in_one_pass() {
    const N: usize = 200_000;
    let unit = "Zorblax 😀東é ab ";
    let mut text = String::from("Headline\n\n");
    for _ in 0..N {
        text.push_str(unit);
    }
    text.push('\n');
    assert!(text.len() > 4_000_000);
    let corpus = load_embedded("big", &[("big.txt", text.as_bytes())]);
    let doc_text = corpus.docs[0].text.clone();
    let mentions: Vec<Mention> = doc_text
        .match_indices("Zorblax")
        .map(|(at, m)| Mention {
            doc: 0,
            start: at as u32,
            end: (at + m.len()) as u32,
            entity: 0,
            source: Source::Kb,
            confidence: 100,
        })
        .collect();
    assert_eq!(mentions.len(), N);
    let analysis = Analysis {
        entities: vec![Entity {
            id: "zorblax".into(),
            name: "Zorblax".into(),
            kind: Kind::Group,
            aliases: Vec::new(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        }],
        mentions,
    };
    let index = Index::new(corpus, analysis);
    let want = expected(&index);
    let dir = tempfile::tempdir().unwrap();
    for (format, path) in [
        (Format::Doccano, dir.path().join("doccano.jsonl")),
        (Format::Brat, dir.path().to_path_buf()),
    ] {
        export::export(&index, format, dir.path(), &HashMap::new()).unwrap();
        let got = export::import(format, &path, index.corpus()).unwrap();
        assert_eq!(got.len(), N);
        if format == Format::Brat {
            assert_eq!(got, want);
            // Nothing changed: nothing to decide.
            assert!(dossier::annotate::ops::spans_to_ops(&got, &index).is_empty());
        } else {
            assert!(
                got.iter()
                    .zip(&want)
                    .all(|(g, w)| (g.start, g.end) == (w.start, w.end))
            );
        }
    }
}

// ---------------------------------------------------------------------------
// JSONL import: texts that differ, offsets out of range.

#[test]
fn a_jsonl_line_whose_text_differs_from_its_document_is_refused() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(10_000);
    for (format, field) in [(Format::Doccano, "label"), (Format::Spacy, "entities")] {
        let path = dir.path().join("in.jsonl");
        write_jsonl(
            &path,
            &[
                serde_json::json!({"doc": "marks.txt", "text": index.docs()[1].text, field: []}),
                serde_json::json!({"doc": "emoji.txt", "text": long, field: [[9000, 9005, "PERSON"]]}),
            ],
        );
        let err = export::import(format, &path, index.corpus()).unwrap_err();
        let msg = err.to_string();
        let (_, line, reason) = parse_error(err);
        assert_eq!(line, 2, "{msg}");
        assert!(reason.contains("differs"), "{msg}");
        // Short, and no document text in it.
        assert!(msg.len() < 200, "{msg}");
        assert!(!msg.contains("xxxxxxxxxx"), "{msg}");

        // A shorter text whose offsets land inside a multi-byte character
        // of the real document.
        write_jsonl(
            &path,
            &[
                serde_json::json!({"doc": "emoji.txt", "text": "abcdefghij", field: [[8, 9, "PERSON"]]}),
            ],
        );
        let (_, line, reason) =
            parse_error(export::import(format, &path, index.corpus()).unwrap_err());
        assert_eq!((line, reason.contains("differs")), (1, true), "{reason}");
    }
}

#[test]
fn jsonl_offsets_out_of_range_or_reversed_are_line_errors() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    let text = &index.docs()[0].text;
    let n = text.chars().count() as u64;
    for (spans, want) in [
        (serde_json::json!([[5, 2, "GROUP"]]), "reversed"),
        (serde_json::json!([[3, 3, "GROUP"]]), "empty"),
        (serde_json::json!([[0, n + 1, "GROUP"]]), "past the end"),
        (serde_json::json!([[n + 5, n + 9, "GROUP"]]), "past the end"),
        (
            serde_json::json!([[-1, 2, "GROUP"]]),
            "expected [start, end",
        ),
        (serde_json::json!([[0, 2, "NOPE"]]), "unknown label"),
        (serde_json::json!("all"), "must be a list"),
    ] {
        write_jsonl(
            &path,
            &[
                serde_json::json!({"doc": "emoji.txt", "text": text, "label": [[0, 1, "GROUP"]]}),
                serde_json::json!({"doc": "emoji.txt", "text": text, "label": spans}),
            ],
        );
        let (_, line, reason) =
            parse_error(export::import(Format::Doccano, &path, index.corpus()).unwrap_err());
        assert_eq!(line, 2, "{reason}");
        assert!(reason.contains(want), "{want}: {reason}");
    }
    // The end of the text is a valid offset.
    write_jsonl(
        &path,
        &[serde_json::json!({"doc": "emoji.txt", "text": text, "label": [[n - 1, n, "GROUP"]]})],
    );
    let spans = export::import(Format::Doccano, &path, index.corpus()).unwrap();
    assert_eq!(spans[0].end, text.len());
}

#[test]
fn a_jsonl_line_may_name_its_document_without_its_text() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    let text = &index.docs()[0].text;
    let at = text.find("Kabul").unwrap();
    let c = text[..at].chars().count();
    write_jsonl(
        &path,
        &[serde_json::json!({"doc": "emoji.txt", "entities": [[c, c + 5, "PLACE"]]})],
    );
    let spans = export::import(Format::Spacy, &path, index.corpus()).unwrap();
    assert_eq!((spans[0].start, spans[0].end), (at, at + 5));
}

#[test]
fn importing_a_differing_text_fails_cleanly_and_records_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(
        corpus.join("a.txt"),
        "A headline\n\nThe 😀 TTP met in Kabul.\n",
    )
    .unwrap();
    let journal = dir.path().join("j.jsonl");
    let from = dir.path().join("in.jsonl");
    let secret = "SECRET-".repeat(2000);
    for (format, field) in [("doccano", "label"), ("spacy", "entities")] {
        write_jsonl(
            &from,
            &[
                serde_json::json!({"doc": "a.txt", "text": "A headline\n\nThe 😀 TTP met in Kabul.\n", field: [[18, 21, "GROUP"]]}),
                serde_json::json!({"doc": "a.txt", "text": secret, field: [[9000, 9005, "PERSON"], [3, 4, "PERSON"]]}),
            ],
        );
        let o = dossier(
            &[
                "import",
                from.to_str().unwrap(),
                corpus.to_str().unwrap(),
                "--format",
                format,
                "--annotations",
                journal.to_str().unwrap(),
            ],
            dir.path(),
        );
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("in.jsonl:2:"), "{err}");
        assert!(err.contains("differs"), "{err}");
        assert!(!err.contains("SECRET-SECRET"), "{err}");
        // Nothing of line 1 was recorded either.
        let recorded = std::fs::read_to_string(&journal).unwrap_or_default();
        assert!(!recorded.contains("\"op\""), "{recorded}");
    }
}

// ---------------------------------------------------------------------------
// brat integrity.

fn manifest_stems(dir: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dir.join("documents.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (s, d) = l.split_once('\t').unwrap();
            (s.to_string(), d.to_string())
        })
        .collect()
}

#[test]
fn brat_stems_never_collide() {
    let files: Vec<(&str, &[u8])> = vec![
        ("a.txt", b"One\n\nThe TTP met." as &[u8]),
        ("a.txt.txt", b"Two\n\nKabul, then the TTP."),
        ("a_2.txt", b"Three\n\nIn Kabul only."),
        ("A.txt", b"Four\n\nThe TTP in Kabul."),
        ("a_3.txt", b"Five\n\nKabul and Kabul."),
    ];
    let index = analysed(load_embedded("stems", &files));
    let dir = tempfile::tempdir().unwrap();
    let written = export::export(&index, Format::Brat, dir.path(), &HashMap::new()).unwrap();
    let stems = manifest_stems(dir.path());
    assert_eq!(stems.len(), 5);
    let mut lower: Vec<String> = stems.iter().map(|(s, _)| s.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), 5, "{stems:?}");
    // Every file written is distinct, and every .txt is its document's text.
    let mut names = written.clone();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), written.len());
    for (stem, id) in &stems {
        let d = index.doc_by_id(id).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(format!("{stem}.txt"))).unwrap(),
            index.doc(d).text
        );
    }
    let got = export::import(Format::Brat, dir.path(), index.corpus()).unwrap();
    assert_eq!(got, expected(&index));
}

#[test]
fn brat_manifest_escapes_tabs_newlines_and_backslashes_in_ids() {
    let files: Vec<(&str, &[u8])> = vec![
        ("plain.txt", b"One\n\nThe TTP met." as &[u8]),
        ("tab\there.txt", b"Two\n\nKabul, then the TTP."),
        ("new\nline.txt", b"Three\n\nIn Kabul only."),
        ("slash.txt", b"Four\n\nThe TTP in Kabul."),
    ];
    let mut corpus = load_embedded("ids", &files);
    // A backslash before an `n`, which must not come back as a newline.
    for d in &mut corpus.docs {
        if d.id == "slash.txt" {
            d.id = "back\\new\\\\t.txt".into();
        }
    }
    corpus.docs.sort_by(|a, b| a.id.cmp(&b.id));
    let index = analysed(corpus);
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Brat, dir.path(), &HashMap::new()).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("documents.tsv")).unwrap();
    assert_eq!(manifest.lines().count(), 5, "{manifest}");
    assert!(manifest.contains("\tnew\\nline.txt\n"), "{manifest}");
    assert!(manifest.contains("\ttab\\there.txt\n"), "{manifest}");
    assert!(
        manifest.contains("\tback\\\\new\\\\\\\\t.txt\n"),
        "{manifest}"
    );
    let got = export::import(Format::Brat, dir.path(), index.corpus()).unwrap();
    assert_eq!(got, expected(&index));
    assert!(got.iter().any(|s| s.doc == "new\nline.txt"));
}

/// A brat export of [`index`], with `emoji.txt`'s files at `emoji.*`.
fn brat_export() -> (Index, tempfile::TempDir) {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("brat")).unwrap();
    export::export(
        &index,
        Format::Brat,
        &dir.path().join("brat"),
        &HashMap::new(),
    )
    .unwrap();
    assert!(dir.path().join("brat/emoji.ann").is_file());
    (index, dir)
}

#[test]
fn brat_manifest_stems_outside_the_directory_are_refused() {
    let (index, dir) = brat_export();
    let brat = dir.path().join("brat");
    // A valid .ann outside the brat directory, which must not be read.
    std::fs::copy(brat.join("emoji.ann"), dir.path().join("outside.ann")).unwrap();
    std::fs::create_dir(brat.join("sub")).unwrap();
    std::fs::copy(brat.join("emoji.ann"), brat.join("sub/x.ann")).unwrap();
    let absolute = dir.path().join("outside");
    for stem in [
        "../outside",
        absolute.to_str().unwrap(),
        "sub/x",
        "..",
        ".",
        "",
    ] {
        std::fs::write(
            brat.join("documents.tsv"),
            format!("# file stem\tdossier document id\n{stem}\temoji.txt\n"),
        )
        .unwrap();
        let (path, line, reason) =
            parse_error(export::import(Format::Brat, &brat, index.corpus()).unwrap_err());
        assert_eq!(path, brat.join("documents.tsv"));
        assert_eq!(line, 2, "{stem}: {reason}");
        assert!(reason.contains("plain file name"), "{stem}: {reason}");
    }
}

/// Rewrites `emoji.ann` of an export with `edit`.
fn edit_ann(dir: &Path, edit: impl Fn(&str) -> String) -> PathBuf {
    let ann = dir.join("brat/emoji.ann");
    let text = std::fs::read_to_string(&ann).unwrap();
    std::fs::write(&ann, edit(&text)).unwrap();
    ann
}

fn import_error(index: &Index, dir: &Path) -> (PathBuf, usize, String) {
    parse_error(export::import(Format::Brat, &dir.join("brat"), index.corpus()).unwrap_err())
}

#[test]
fn brat_discontinuous_spans_with_text_between_are_refused() {
    let (index, dir) = brat_export();
    // "Report 😀🇵🇰": "Report" and "🇵🇰" with " 😀" between.
    let ann = edit_ann(dir.path(), |t| {
        format!("{t}T99\tPLACE 0 6;8 10\tReport 🇵🇰\n")
    });
    let (path, line, reason) = import_error(&index, dir.path());
    assert_eq!(path, ann);
    assert_eq!(line, std::fs::read_to_string(&ann).unwrap().lines().count());
    assert!(reason.contains("discontinuous"), "{reason}");
}

/// A document with mentions that cross one and two line breaks.
fn crossing_index() -> Index {
    let text = "Head\n\nThe Zorblax\nFront met the Blue\n\nRiver men.\n";
    let corpus = load_embedded("x", &[("x.txt", text.as_bytes())]);
    let t = corpus.docs[0].text.clone();
    let span = |s: &str| {
        let at = t.find(s).unwrap();
        (at as u32, (at + s.len()) as u32)
    };
    let entity = |id: &str, name: &str| Entity {
        id: id.into(),
        name: name.into(),
        kind: Kind::Group,
        aliases: Vec::new(),
        description: None,
        external: Default::default(),
        facts: Default::default(),
    };
    let mention = |(start, end): (u32, u32), e: u32| Mention {
        doc: 0,
        start,
        end,
        entity: e,
        source: Source::Kb,
        confidence: 100,
    };
    let analysis = Analysis {
        entities: vec![
            entity("zf", "Zorblax Front"),
            entity("brm", "Blue River men"),
        ],
        mentions: vec![
            mention(span("Zorblax\nFront"), 0),
            mention(span("Blue\n\nRiver men"), 1),
        ],
    };
    Index::new(corpus, analysis)
}

#[test]
fn brat_fragments_split_at_line_breaks_come_back_as_one_span() {
    let index = crossing_index();
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Brat, dir.path(), &HashMap::new()).unwrap();
    let ann = std::fs::read_to_string(dir.path().join("x.ann")).unwrap();
    assert!(
        ann.contains("\tGROUP 10 17;18 23\tZorblax Front\n"),
        "{ann}"
    );
    assert!(
        ann.contains("\tGROUP 32 36;38 47\tBlue  River men\n"),
        "{ann}"
    );
    let want = expected(&index);
    assert_eq!(want.len(), 2);
    assert_eq!(
        export::import(Format::Brat, dir.path(), index.corpus()).unwrap(),
        want
    );
    // brat itself joins the fragments' texts with one space.
    std::fs::write(
        dir.path().join("x.ann"),
        ann.replace("Blue  River men", "Blue River men"),
    )
    .unwrap();
    assert_eq!(
        export::import(Format::Brat, dir.path(), index.corpus()).unwrap(),
        want
    );
}

#[test]
fn brat_duplicate_t_ids_are_refused() {
    let (index, dir) = brat_export();
    let ann = edit_ann(dir.path(), |t| {
        let first = t.lines().find(|l| l.starts_with("T1\t")).unwrap();
        format!("{t}{first}\n")
    });
    let (path, line, reason) = import_error(&index, dir.path());
    assert_eq!(path, ann);
    assert_eq!(line, std::fs::read_to_string(&ann).unwrap().lines().count());
    assert!(
        reason.contains("twice") && reason.contains("line 1"),
        "{reason}"
    );
}

#[test]
fn brat_quotes_must_match_the_text_at_their_offsets() {
    let (index, dir) = brat_export();
    let ann = edit_ann(dir.path(), |t| {
        t.lines()
            .map(|l| {
                if l.starts_with("T2\t") {
                    let (head, _) = l.rsplit_once('\t').unwrap();
                    format!("{head}\tSomething else entirely\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect()
    });
    let line = std::fs::read_to_string(&ann)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("T2\t"))
        .unwrap()
        + 1;
    let (path, got, reason) = import_error(&index, dir.path());
    assert_eq!((path, got), (ann, line));
    assert!(reason.contains("quoted text"), "{reason}");
}

#[test]
fn brat_offsets_out_of_range_or_reversed_are_line_errors() {
    let (index, dir) = brat_export();
    let ann = dir.path().join("brat/emoji.ann");
    let original = std::fs::read_to_string(&ann).unwrap();
    for (t, want) in [
        ("T99\tGROUP 9 4\tx", "reversed"),
        ("T99\tGROUP 4 4\tx", "empty"),
        ("T99\tGROUP 0 99999\tx", "past the end"),
        ("T99\tGROUP 0 x\tx", "bad offsets"),
        ("T99\tGROUP 0 2;1 3\tx", "out of order"),
        ("T99\tGROUP 0 2", "quoted text"),
    ] {
        std::fs::write(&ann, format!("{original}{t}\n")).unwrap();
        let (path, line, reason) = import_error(&index, dir.path());
        assert_eq!(path, ann);
        assert_eq!(line, original.lines().count() + 1, "{t}: {reason}");
        assert!(reason.contains(want), "{t}: {reason}");
    }
}

#[test]
fn a_brat_txt_that_differs_from_the_corpus_is_refused() {
    let (index, dir) = brat_export();
    std::fs::write(dir.path().join("brat/emoji.txt"), "Something else").unwrap();
    let (path, line, reason) = import_error(&index, dir.path());
    assert_eq!(path, dir.path().join("brat/documents.tsv"));
    assert!(line >= 2);
    assert!(reason.contains("differs"), "{reason}");
}

/// Runs the import on another thread: a read that blocks fails the test
/// instead of hanging it.
fn import_within(format: Format, index: &Index, path: &Path) -> Result<Vec<Span>, String> {
    let (tx, rx) = mpsc::channel();
    let corpus = index.corpus().clone();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let r = export::import(format, &path, &corpus).map_err(|e| {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            msg
        });
        let _ = tx.send(r);
    });
    rx.recv_timeout(Duration::from_secs(20))
        .unwrap_or_else(|_| panic!("the import blocked"))
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn brat_fifos_and_devices_are_errors_not_hangs() {
    for name in ["documents.tsv", "emoji.ann", "emoji.txt"] {
        let (index, dir) = brat_export();
        let path = dir.path().join("brat").join(name);
        mkfifo(&path);
        let err = import_within(Format::Brat, &index, &dir.path().join("brat")).unwrap_err();
        assert!(err.contains("FIFO") && err.contains(name), "{name}: {err}");

        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        let err = import_within(Format::Brat, &index, &dir.path().join("brat")).unwrap_err();
        assert!(err.contains("character device"), "{name}: {err}");
    }
}

#[test]
fn a_jsonl_import_from_a_fifo_is_an_error() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.jsonl");
    mkfifo(&path);
    let err = import_within(Format::Doccano, &index, &path).unwrap_err();
    assert!(err.contains("FIFO"), "{err}");
}
