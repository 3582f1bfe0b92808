//! Export formats, import round trips, and re-anchoring after edits.

use dossier::annotate::export::{self, Format, Span};
use dossier::annotate::{Anchor, Journal, Op, Saved, Workspace};
use dossier::corpus::load_embedded;
use dossier::entity::{Engine, Kind, KnowledgeBase};
use dossier::index::Index;
use dossier::load::{self, OpenOptions};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

const KB: &str = r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP"]
external = { wikidata = "Q1" }

[[entity]]
id = "kabul"
name = "Kabul"
kind = "place"

[[entity]]
id = "ned-price"
name = "Ned Price"
kind = "person"
"#;

/// Texts with emoji, CJK and combining marks before the spans, so that byte,
/// UTF-16 and code-point offsets all differ.
fn index() -> Index {
    let files: Vec<(&str, &[u8])> = vec![
        (
            "emoji.txt",
            "Report 😀🇵🇰\n\n👍 The TTP met in Kabul. 🙂 Ned Price said the TTP lied.".as_bytes(),
        ),
        (
            "cjk/日本.txt",
            "見出し\n\n東京で報道: the TTP and Kabul again.".as_bytes(),
        ),
        (
            "marks.txt",
            "Cafe\u{0301} news\n\nZoe\u{0308} wrote that Kabul and the TTP talked.".as_bytes(),
        ),
    ];
    let corpus = load_embedded("fixtures", &files);
    let mut kb = KnowledgeBase::new();
    kb.add_toml(Path::new("kb.toml"), KB).unwrap();
    let analysis = Engine::new(kb).analyse(&corpus);
    Index::new(corpus, analysis)
}

fn expected(index: &Index) -> Vec<Span> {
    let mut all: Vec<Span> = export::spans(index, &HashMap::new())
        .into_iter()
        .flatten()
        .collect();
    all.sort();
    all
}

#[test]
fn brat_round_trip_keeps_offsets_kinds_and_ids() {
    let index = index();
    let want = expected(&index);
    assert!(want.len() >= 8, "{want:?}");
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Brat, dir.path(), &HashMap::new()).unwrap();
    let got = export::import(Format::Brat, dir.path(), index.corpus()).unwrap();
    assert_eq!(got, want);
}

#[test]
fn brat_files_have_t_n_and_note_lines_in_code_points() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    let doc = &index.docs()[0];
    let m = index.doc_mentions(0)[0];
    let mut notes = HashMap::new();
    notes.insert(
        (doc.id.clone(), m.start as usize, m.end as usize),
        "checked".to_string(),
    );
    export::export(&index, Format::Brat, dir.path(), &notes).unwrap();
    let manifest = std::fs::read_to_string(dir.path().join("documents.tsv")).unwrap();
    let stem = manifest
        .lines()
        .find(|l| l.ends_with(&format!("\t{}", doc.id)))
        .unwrap()
        .split('\t')
        .next()
        .unwrap();
    let ann = std::fs::read_to_string(dir.path().join(format!("{stem}.ann"))).unwrap();
    let txt = std::fs::read_to_string(dir.path().join(format!("{stem}.txt"))).unwrap();
    assert_eq!(txt, doc.text);
    let t1 = ann.lines().find(|l| l.starts_with("T1\t")).unwrap();
    let cols: Vec<&str> = t1.split('\t').collect();
    let offs: Vec<usize> = cols[1]
        .split(' ')
        .skip(1)
        .map(|n| n.parse().unwrap())
        .collect();
    let chars: Vec<char> = txt.chars().collect();
    assert_eq!(chars[offs[0]..offs[1]].iter().collect::<String>(), cols[2]);
    assert!(
        ann.lines()
            .any(|l| l.starts_with("N1\tReference T1 dossier:")),
        "{ann}"
    );
    assert!(ann.contains("Wikidata:Q1"), "{ann}");
    assert!(
        ann.lines().any(|l| l == "#1\tAnnotatorNotes T1\tchecked"),
        "{ann}"
    );
    assert!(
        std::fs::read_to_string(dir.path().join("annotation.conf"))
            .unwrap()
            .contains("[entities]\nGROUP")
    );
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// doccano's sequence-labelling JSONL: `{"text": ..., "label": [[start, end, "LABEL"], ...]}`;
/// spaCy's training tuples: `{"text": ..., "entities": [[start, end, "LABEL"], ...]}`; both in code points.
#[test]
fn doccano_and_spacy_have_their_documented_shapes() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    for (format, file, field) in [
        (Format::Doccano, "doccano.jsonl", "label"),
        (Format::Spacy, "spacy.jsonl", "entities"),
    ] {
        export::export(&index, format, dir.path(), &HashMap::new()).unwrap();
        let lines = jsonl(&dir.path().join(file));
        assert_eq!(lines.len(), index.docs().len());
        for (d, line) in lines.iter().enumerate() {
            let text = line["text"].as_str().unwrap();
            assert_eq!(text, index.docs()[d].text);
            let chars: Vec<char> = text.chars().collect();
            let spans = line[field].as_array().unwrap();
            assert_eq!(spans.len(), index.doc_mentions(d as u32).len());
            for (s, m) in spans.iter().zip(index.doc_mentions(d as u32)) {
                let a = s.as_array().unwrap();
                assert_eq!(a.len(), 3);
                let (st, en) = (
                    a[0].as_u64().unwrap() as usize,
                    a[1].as_u64().unwrap() as usize,
                );
                assert_eq!(
                    chars[st..en].iter().collect::<String>(),
                    &index.docs()[d].text[m.range()]
                );
                assert!(["GROUP", "PLACE", "PERSON"].contains(&a[2].as_str().unwrap()));
            }
        }
        let back = export::import(format, &dir.path().join(file), index.corpus()).unwrap();
        let want: Vec<(String, usize, usize, Kind)> = expected(&index)
            .into_iter()
            .map(|s| (s.doc, s.start, s.end, s.kind))
            .collect();
        let got: Vec<(String, usize, usize, Kind)> = back
            .into_iter()
            .map(|s| (s.doc, s.start, s.end, s.kind))
            .collect();
        assert_eq!(got, want);
    }
}

#[test]
fn conll_tags_tokens_with_bio_and_puts_entity_ids_in_their_own_file() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Conll, dir.path(), &HashMap::new()).unwrap();
    let text = std::fs::read_to_string(dir.path().join("conll.txt")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let i = lines.iter().position(|l| l.starts_with("Ned\t")).unwrap();
    assert_eq!(lines[i], "Ned\tB-PERSON");
    assert_eq!(lines[i + 1], "Price\tI-PERSON");
    assert!(lines.contains(&"TTP\tB-GROUP"));
    assert!(lines.contains(&"met\tO"));
    assert_eq!(lines.iter().filter(|l| **l == export::DOCSTART).count(), 3);
    let ids = std::fs::read_to_string(dir.path().join("conll.ids.txt")).unwrap();
    let ids: Vec<&str> = ids.lines().collect();
    assert_eq!(ids[i], "Ned\tned-price");
    assert_eq!(ids[i + 1], "Price\tned-price");
    assert!(ids.contains(&"TTP\tttp"));
    assert!(ids.contains(&"met\t_"));
}

#[test]
fn an_annotation_is_re_anchored_after_the_document_changes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    let file = corpus_dir.join("a.txt");
    std::fs::write(
        &file,
        "A headline\n\nThe Zorblax Front met. Later the Zorblax Front left.\n",
    )
    .unwrap();
    let opts = OpenOptions {
        path: Some(corpus_dir.clone()),
        annotations: Some(dir.path().join("journal.jsonl")),
        no_default_kb: true,
        ..Default::default()
    };
    {
        let mut ws = load::open_workspace(&opts, &mut |_| {}).unwrap();
        let doc = &ws.index().docs()[0];
        let at = doc.text.rfind("Zorblax Front").unwrap();
        let anchor = Anchor::new(&doc.id, &doc.text, at..at + "Zorblax Front".len());
        let op = Op::LinkSpan {
            anchor,
            entity: "zf".into(),
            new: Some(dossier::annotate::NewEntity {
                id: "zf".into(),
                name: "Zorblax Front".into(),
                kind: Kind::Group,
            }),
        };
        assert_eq!(ws.decide(op).unwrap(), Saved::Durable);
    }
    // Insert text (with multi-byte characters) before the annotated span.
    std::fs::write(&file, "A headline\n\nUpdate 😀 東京: new paragraph.\n\nThe Zorblax Front met. Later the Zorblax Front left.\n").unwrap();
    let ws = load::open_read_only(&opts, &mut |_| {}).unwrap();
    let index = ws.index();
    let doc = &index.docs()[0];
    let zf = index.entity_by_id("zf").unwrap();
    let ms: Vec<_> = index.entity_mentions(zf).collect();
    assert_eq!(ms.len(), 1);
    assert_eq!(&doc.text[ms[0].range()], "Zorblax Front");
    assert!(doc.text[..ms[0].start as usize].ends_with("Later the "));
    assert!(ws.report().unplaced.is_empty());

    // Delete the sentence: the annotation is listed as unplaced, not dropped.
    std::fs::write(&file, "A headline\n\nNothing about it now.\n").unwrap();
    let ws = load::open_read_only(&opts, &mut |_| {}).unwrap();
    assert_eq!(ws.report().unplaced.len(), 1);
    assert_eq!(ws.report().unplaced[0].exact, "Zorblax Front");
}

#[test]
fn imported_brat_annotations_land_in_the_journal() {
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    export::export(&index, Format::Brat, dir.path(), &HashMap::new()).unwrap();
    // A person edits the .ann: Kabul becomes an org with a new id.
    let manifest = std::fs::read_to_string(dir.path().join("documents.tsv")).unwrap();
    let stem = manifest
        .lines()
        .nth(1)
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let ann_path = dir.path().join(format!("{stem}.ann"));
    let ann = std::fs::read_to_string(&ann_path).unwrap();
    let t = ann
        .lines()
        .find(|l| l.ends_with("\tKabul"))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let edited: String = ann
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{t}\t")) {
                l.replacen("PLACE", "ORG", 1)
            } else if l.contains(&format!(" {t} dossier:kabul")) {
                l.replace("dossier:kabul", "dossier:kabul-office")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&ann_path, edited).unwrap();
    let spans = export::import(Format::Brat, dir.path(), index.corpus()).unwrap();
    let ops = dossier::annotate::ops::spans_to_ops(&spans, &index);
    assert_eq!(ops.len(), 1, "{ops:?}");
    let jdir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&jdir.path().join("j.jsonl"), "c").unwrap();
    for op in ops {
        journal.append(op).unwrap();
    }
    let corpus = Arc::new(index.corpus().clone());
    let ws = Workspace::new(corpus, index.analysis().clone(), journal);
    let e = ws.index().entity_by_id("kabul-office").unwrap();
    assert_eq!(ws.index().entity(e).kind, Kind::Org);
    assert_eq!(ws.index().stats(e).mentions, 1);
}

#[test]
fn re_importing_an_unchanged_export_decides_nothing() {
    // Formats without entity ids (doccano, spaCy) must not split entities:
    // a span that is already a mention stays that mention.
    let index = index();
    let dir = tempfile::tempdir().unwrap();
    for (format, path) in [
        (Format::Brat, dir.path().to_path_buf()),
        (Format::Doccano, dir.path().join("doccano.jsonl")),
        (Format::Spacy, dir.path().join("spacy.jsonl")),
    ] {
        export::export(&index, format, dir.path(), &HashMap::new()).unwrap();
        let spans = export::import(format, &path, index.corpus()).unwrap();
        assert!(!spans.is_empty());
        let ops = dossier::annotate::ops::spans_to_ops(&spans, &index);
        assert!(ops.is_empty(), "{format:?}: {ops:?}");
    }
}

#[test]
fn a_span_label_re_kinds_its_entity_only_when_every_span_of_it_says_so() {
    let index = index();
    for (meta, all) in [(true, false), (false, false), (true, true), (false, true)] {
        let dir = tempfile::tempdir().unwrap();
        export::export(&index, Format::Doccano, dir.path(), &HashMap::new()).unwrap();
        let path = dir.path().join("doccano.jsonl");
        // Kabul is in every document: relabel it in the first, or in all.
        let mut done = 0;
        let lines: Vec<String> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: Value = serde_json::from_str(l).unwrap();
                if !meta {
                    v.as_object_mut().unwrap().remove("dossier");
                }
                let chars: Vec<char> = v["text"].as_str().unwrap().chars().collect();
                for span in v["label"].as_array_mut().unwrap() {
                    let (a, z) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
                    let t: String = chars[a as usize..z as usize].iter().collect();
                    if t == "Kabul" && (all || done == 0) {
                        span[2] = Value::from("ORG");
                        done += 1;
                    }
                }
                v.to_string()
            })
            .collect();
        assert_eq!(done, if all { 3 } else { 1 });
        std::fs::write(&path, lines.join("\n")).unwrap();
        let spans = export::import(Format::Doccano, &path, index.corpus()).unwrap();
        let ops = dossier::annotate::ops::spans_to_ops(&spans, &index);
        if all {
            // Every span of the entity says so: one decision about it.
            assert_eq!(
                ops,
                vec![Op::SetKind {
                    entity: "kabul".into(),
                    kind: Kind::Org
                }],
                "metadata: {meta}"
            );
        } else {
            // One span's label describes that span: it becomes an ORG of
            // its own, and Kabul stays a place.
            assert_eq!(ops.len(), 1, "{ops:?}");
            let Op::LinkSpan { anchor, new, .. } = &ops[0] else {
                panic!("{ops:?}");
            };
            assert_eq!(anchor.exact, "Kabul");
            let new = new.as_ref().expect("a new entity");
            assert_eq!((new.name.as_str(), new.kind), ("Kabul", Kind::Org));
            assert_ne!(new.id, "kabul");
        }
    }
}

#[test]
fn entity_notes_are_exported_on_each_documents_first_mention() {
    let index = index();
    let jdir = tempfile::tempdir().unwrap();
    let mut journal = Journal::open(&jdir.path().join("j.jsonl"), "c").unwrap();
    journal
        .append(Op::Note {
            target: dossier::annotate::NoteTarget::Entity { id: "ttp".into() },
            text: "check sourcing".into(),
        })
        .unwrap();
    let ws = Workspace::new(
        Arc::new(index.corpus().clone()),
        index.analysis().clone(),
        journal,
    );
    let out = tempfile::tempdir().unwrap();
    export::export(ws.index(), Format::Brat, out.path(), &ws.mention_notes()).unwrap();
    let anns: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(anns.len(), 3);
    for ann in &anns {
        let note = ann
            .lines()
            .find(|l| l.contains("AnnotatorNotes"))
            .expect("a note in every document");
        assert!(note.ends_with("\tentity: check sourcing"), "{note}");
        let t = note.split('\t').nth(1).unwrap().split(' ').nth(1).unwrap();
        let tline = ann
            .lines()
            .find(|l| l.starts_with(&format!("{t}\t")))
            .unwrap();
        assert!(tline.ends_with("\tTTP"), "{tline}");
    }
}
