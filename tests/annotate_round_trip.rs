//! Decisions survive a round trip through each export: export, import into
//! a fresh journal, export again, and the files are the same. An import is
//! one step of undo.

mod common;

use dossier::annotate::export::{self, Format};
use dossier::annotate::journal::BATCH_BYTES;
use dossier::annotate::ops::{batches, spans_to_ops};
use dossier::annotate::{Anchor, Journal, NewEntity, NoteTarget, Op, Saved, Workspace};
use dossier::corpus::Corpus;
use dossier::entity::{Analysis, Kind, Source};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const KB: &str = r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP", "Pakistani Taliban"]

[[entity]]
id = "isi"
name = "Inter-Services Intelligence"
kind = "org"
aliases = ["ISI"]

[[entity]]
id = "army"
name = "Pakistan Army"
kind = "org"
aliases = ["Pak Army"]

[[entity]]
id = "faran-jeffery"
name = "Faran Jeffery"
kind = "person"
aliases = ["Jeffrey"]

[[entity]]
id = "pm"
name = "Prime Minister"
kind = "person"
aliases = ["PM"]

[[entity]]
id = "kabul"
name = "Kabul"
kind = "place"
"#;

fn corpus() -> (Arc<Corpus>, Analysis) {
    common::analysed(
        "fixtures",
        &[
            (
                "a.txt",
                "Title one 😀\r\n\r\nThe TTP or Pakistani-Talban attacked. The ISI and the Pak Army replied.\r\nFaran Jeffery spoke; Jeffrey said the PM left Kabul.\r\n",
            ),
            (
                "b.txt",
                "Title two\n\nAgain the Pakistani-Talban struck; the TTP denied it. Faran Jeffery wrote that Jeffrey and the PM met in Kabul, as Jeffrey said.",
            ),
        ],
        KB,
    )
}

fn workspace(dir: &Path) -> Workspace {
    let (corpus, analysis) = corpus();
    Workspace::new(
        corpus,
        analysis,
        Journal::open(&dir.join("j.jsonl"), "c").unwrap(),
    )
}

fn anchor(ws: &Workspace, doc: &str, text: &str) -> Anchor {
    let d = ws.index().doc_by_id(doc).unwrap();
    let t = &ws.index().doc(d).text;
    let at = t.find(text).unwrap();
    Anchor::new(doc, t, at..at + text.len())
}

/// Every kind of decision a person makes in the reader.
fn decide_everything(ws: &mut Workspace) {
    let kabul = anchor(ws, "a.txt", "Kabul");
    let ttp_b = anchor(ws, "b.txt", "TTP");
    assert!(
        ws.index().mentions().any(|m| m.source == Source::Variant),
        "the fixture has a suggestion to accept"
    );
    let ops = vec![
        Op::SplitAlias {
            entity: "faran-jeffery".into(),
            alias: "Jeffrey".into(),
            new: NewEntity {
                id: "jeffrey".into(),
                name: "Jeffrey".into(),
                kind: Kind::Person,
            },
        },
        Op::SetKind {
            entity: "jeffrey".into(),
            kind: Kind::Other,
        },
        // Accept the suggestion.
        Op::LinkText {
            text: "Pakistani-Talban".into(),
            entity: "ttp".into(),
            new: None,
        },
        Op::RejectText {
            text: "PM".into(),
            entity: "pm".into(),
        },
        Op::RejectSpan { anchor: kabul },
        Op::Rename {
            entity: "isi".into(),
            name: "ISI (Pakistan)".into(),
        },
        Op::Merge {
            from: "army".into(),
            into: "isi".into(),
        },
        Op::Note {
            target: NoteTarget::Mention { anchor: ttp_b },
            text: "check the date".into(),
        },
        Op::Note {
            target: NoteTarget::Entity { id: "isi".into() },
            text: "spy agency".into(),
        },
    ];
    for op in ops {
        assert_eq!(ws.decide(op).unwrap(), Saved::Durable);
    }
}

/// Every file under `dir`, by name.
fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn export(ws: &Workspace, format: Format, out: &Path) -> BTreeMap<String, String> {
    export::export_decided(ws.index(), format, out, &ws.decided()).unwrap();
    files(out)
}

/// Mentions as (doc, start, end, entity, kind, name, source).
fn state(ws: &Workspace) -> Vec<(u32, u32, u32, String, Kind, String, Source)> {
    let i = ws.index();
    i.mentions()
        .map(|m| {
            let e = i.entity(m.entity);
            (
                m.doc,
                m.start,
                m.end,
                e.id.clone(),
                e.kind,
                e.name.clone(),
                m.source,
            )
        })
        .collect()
}

#[test]
fn brat_and_doccano_round_trips_keep_every_decision() {
    for (format, file) in [
        (Format::Brat, None),
        (Format::Doccano, Some("doccano.jsonl")),
        (Format::Spacy, Some("spacy.jsonl")),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = workspace(&dir.path().join("first"));
        decide_everything(&mut ws);
        let first = export(&ws, format, &dir.path().join("out1"));

        let mut fresh = workspace(&dir.path().join("second"));
        let before = state(&fresh);
        let from = match file {
            Some(f) => dir.path().join("out1").join(f),
            None => dir.path().join("out1"),
        };
        let spans = export::import(format, &from, fresh.index().corpus()).unwrap();
        let ops = spans_to_ops(&spans, fresh.index());
        // One span's kind is not its entity's.
        assert!(
            !ops.iter()
                .any(|o| matches!(o, Op::SetKind { entity, .. } if entity == "faran-jeffery")),
            "{format:?}: {ops:?}"
        );
        let ops = batches(ops, BATCH_BYTES);
        assert_eq!(ops.len(), 1, "{format:?}: one decision");
        for op in ops {
            assert_eq!(fresh.decide(op).unwrap(), Saved::Durable);
        }
        let second = export(&fresh, format, &dir.path().join("out2"));
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>()
        );
        for (name, text) in &first {
            assert_eq!(text, &second[name], "{format:?}: {name} differs");
        }
        assert_eq!(state(&fresh), state(&ws), "{format:?}");
        // Faran Jeffery is still a person; "Jeffrey" is other.
        let i = fresh.index();
        let faran = i.entity_by_id("faran-jeffery").unwrap();
        assert_eq!(i.entity(faran).kind, Kind::Person);
        assert_eq!(
            i.entity(i.entity_by_id("jeffrey").unwrap()).kind,
            Kind::Other
        );
        // The rejected PM and Kabul stay rejected.
        let kabul_a = (0u32, anchor(&fresh, "a.txt", "Kabul"));
        assert!(
            !fresh
                .index()
                .doc_mentions(kabul_a.0)
                .iter()
                .any(|m| m.start as usize == kabul_a.1.start),
            "{format:?}"
        );
        // Undo takes the whole import back in one step.
        fresh.undo().unwrap();
        assert_eq!(state(&fresh), before, "{format:?}");
        assert!(fresh.report().notes.is_empty(), "{format:?}");
    }
}

#[test]
fn brat_marks_accepted_and_rejected_spans_with_attributes() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = workspace(&dir.path().join("j"));
    decide_everything(&mut ws);
    let out = export(&ws, Format::Brat, &dir.path().join("out"));
    let conf = &out["annotation.conf"];
    assert!(conf.contains("Accepted\tArg:<ENTITY>"), "{conf}");
    assert!(conf.contains("Rejected\tArg:<ENTITY>"), "{conf}");
    let ann: String = out
        .iter()
        .filter(|(n, _)| n.ends_with(".ann"))
        .map(|(_, t)| t.as_str())
        .collect();
    let t_of = |quote: &str, attr: &str| {
        ann.lines().any(|l| {
            l.starts_with('T')
                && l.ends_with(&format!("\t{quote}"))
                && ann.lines().any(|a| {
                    a.starts_with('A')
                        && a.ends_with(&format!("\t{attr} {}", l.split('\t').next().unwrap()))
                })
        })
    };
    assert!(t_of("Pakistani-Talban", "Accepted"), "{ann}");
    assert!(t_of("PM", "Rejected"), "{ann}");
    assert!(t_of("Kabul", "Rejected"), "{ann}");
    assert!(ann.contains("dossier:isi\tISI (Pakistan)"), "{ann}");
}

#[test]
fn the_decisions_export_is_lossless_and_reads_what_quitting_printed() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = workspace(&dir.path().join("first"));
    decide_everything(&mut ws);
    let first = export(&ws, Format::Decisions, &dir.path().join("out1"));
    // doccano and spaCy lines say who made the decisions, in their metadata.
    let me = dossier::files::login_name();
    let doccano = export(&ws, Format::Doccano, &dir.path().join("doccano"));
    let line: serde_json::Value =
        serde_json::from_str(doccano["doccano.jsonl"].lines().next().unwrap()).unwrap();
    assert_eq!(line["dossier"]["annotators"], serde_json::json!([me]));
    let mut fresh = workspace(&dir.path().join("second"));
    fresh.set_annotator("someone else");
    let ops = export::import_decisions(&dir.path().join("out1/decisions.jsonl")).unwrap();
    assert_eq!(ops.len(), 9);
    // Each decision says who made it, and is made again in that name.
    assert!(ops.iter().all(|(_, by)| by.as_deref() == Some(me.as_str())));
    for (op, by) in ops {
        fresh.set_annotator(by.as_deref().unwrap_or("?"));
        fresh.decide(op).unwrap();
    }
    assert_eq!(
        export(&fresh, Format::Decisions, &dir.path().join("out2")),
        first
    );
    assert_eq!(state(&fresh), state(&ws));

    // What the reader prints on standard error when it quits with decisions
    // it could not save: a heading, then one decision a line.
    let op = Op::RejectText {
        text: "TTP".into(),
        entity: "ttp".into(),
    };
    let printed = format!(
        "dossier: 1 annotation decision was NOT SAVED (File too large (os error 27)); here it is as a line of JSON:\n{}\n",
        serde_json::to_string(&op).unwrap()
    );
    let path = dir.path().join("unsaved.txt");
    std::fs::write(&path, printed).unwrap();
    assert_eq!(
        export::import_decisions(&path).unwrap(),
        vec![(op.clone(), None)]
    );
    // `dossier annotations --json` lines, too.
    std::fs::write(
        &path,
        format!(
            "{{\"seq\":4,\"op\":{}}}\n",
            serde_json::to_string(&op).unwrap()
        ),
    )
    .unwrap();
    assert_eq!(export::import_decisions(&path).unwrap(), vec![(op, None)]);
    // An undo line is no decision.
    std::fs::write(&path, "{\"seq\":5,\"at\":0,\"undo\":4}\n").unwrap();
    assert!(export::import_decisions(&path).is_err());
}
