//! Decisions applied one at a time (with undo and redo) reach the state a
//! restart reaches by replaying the journal from the engine's analysis.
//!
//! The number of random sequences comes from `DOSSIER_FUZZ_CASES` (a small
//! default keeps `cargo test` quick). For a longer run:
//!
//! ```text
//! DOSSIER_FUZZ_CASES=5000 nice -n 19 cargo test --release --test annotate_incremental
//! ```

mod common;

use dossier::annotate::{Anchor, Journal, NewEntity, NoteTarget, Op, OverlayReport, Workspace};
use dossier::corpus::Corpus;
use dossier::entity::{Analysis, Engine, Entity, Kind, KnowledgeBase, Source};
use dossier::index::Index;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Cases per property: `DOSSIER_FUZZ_CASES`, or `default`.
fn cases(default: u32) -> u32 {
    std::env::var("DOSSIER_FUZZ_CASES")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Every mention as (doc id, start, end, entity id, source, confidence).
type Row = (String, u32, u32, String, Source, u8);

/// What a decision may change: the mentions, the entities and the report.
#[derive(Debug, PartialEq)]
struct State {
    mentions: Vec<Row>,
    entities: Vec<Entity>,
    report: OverlayReport,
}

fn state(ws: &Workspace) -> State {
    let index = ws.index();
    State {
        mentions: index
            .mentions()
            .map(|m| {
                (
                    index.doc(m.doc).id.clone(),
                    m.start,
                    m.end,
                    index.entity(m.entity).id.clone(),
                    m.source,
                    m.confidence,
                )
            })
            .collect(),
        entities: index.entities().to_vec(),
        report: ws.report().clone(),
    }
}

/// The index's lookups by entity agree with an index built afresh from
/// its mentions.
fn assert_lookups_agree(index: &Index) {
    let fresh = Index::new(index.shared_corpus(), index.analysis());
    assert_eq!(index.mention_count(), fresh.mention_count());
    for e in 0..index.entities().len() as u32 {
        assert_eq!(index.stats(e), fresh.stats(e), "stats of entity {e}");
        assert_eq!(
            index.entity_places(e),
            fresh.entity_places(e),
            "places of entity {e}"
        );
        let id = &index.entity(e).id;
        assert_eq!(index.entity_by_id(id), Some(e), "{id}");
        // The forms kept through the decisions are the texts.
        assert_eq!(
            index.aliases_seen(e),
            fresh.aliases_seen(e),
            "forms of entity {e}"
        );
    }
    for d in 0..index.docs().len() as u32 {
        let text = &index.doc(d).text;
        for (i, m) in index.doc_mentions(d).iter().enumerate() {
            assert_eq!(index.form(d, i), &text[m.range()], "form of {d}:{i}");
        }
    }
}

/// The workspace as a restart sees it: the journal on disk replayed over
/// the engine's analysis.
fn restarted(corpus: &Arc<Corpus>, base: &Analysis, journal: &Path) -> Workspace {
    let journal = Journal::read(journal).expect("journal reads back");
    Workspace::new(Arc::clone(corpus), base.clone(), journal)
}

fn assert_same_as_restart(ws: &Workspace, corpus: &Arc<Corpus>, base: &Analysis, path: &Path) {
    let again = restarted(corpus, base, path);
    assert_eq!(state(ws), state(&again));
    assert_lookups_agree(ws.index());
}

// ---------------------------------------------------------------------------
// Every pair of decision kinds, in both orders.

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
"#;

fn small() -> (Arc<Corpus>, Analysis) {
    common::analysed(
        "t",
        &[
            (
                "a.txt",
                "Title one\n\nThe TTP or Pakistani-Talban attacked. The ISI and the Pak Army replied.",
            ),
            (
                "b.txt",
                "Title two\n\nAgain the Pakistani-Talban struck; the TTP denied it. Pak Army said so.",
            ),
        ],
        KB,
    )
}

fn anchor(corpus: &Corpus, doc: usize, quote: &str) -> Anchor {
    let d = &corpus.docs[doc];
    let at = d.text.find(quote).expect("quote in the document");
    Anchor::new(&d.id, &d.text, at..at + quote.len())
}

fn new_entity(id: &str, name: &str, kind: Kind) -> NewEntity {
    NewEntity {
        id: id.into(),
        name: name.into(),
        kind,
    }
}

/// One decision of each kind, all about the same few names so that they
/// act on each other.
fn one_of_each(corpus: &Corpus) -> Vec<Op> {
    vec![
        Op::LinkText {
            text: "Pakistani-Talban".into(),
            entity: "ttp".into(),
            new: None,
        },
        Op::LinkText {
            text: "Pak Army".into(),
            entity: "pak-army".into(),
            new: Some(new_entity("pak-army", "Pak Army", Kind::Org)),
        },
        Op::LinkSpan {
            anchor: anchor(corpus, 0, "TTP"),
            entity: "isi".into(),
            new: None,
        },
        Op::RejectSpan {
            anchor: anchor(corpus, 1, "TTP"),
        },
        Op::RejectText {
            text: "Pakistani-Talban".into(),
            entity: "ttp".into(),
        },
        Op::Merge {
            from: "army".into(),
            into: "ttp".into(),
        },
        Op::SplitAlias {
            entity: "ttp".into(),
            alias: "Pakistani-Talban".into(),
            new: new_entity("talban", "Pakistani-Talban", Kind::Group),
        },
        Op::Rename {
            entity: "ttp".into(),
            name: "TTP".into(),
        },
        Op::SetKind {
            entity: "army".into(),
            kind: Kind::Group,
        },
        Op::Note {
            target: NoteTarget::Entity { id: "ttp".into() },
            text: "see also".into(),
        },
    ]
}

#[test]
fn every_pair_of_decision_kinds_matches_a_replay_in_both_orders() {
    let (corpus, base) = small();
    let ops = one_of_each(&corpus);
    let dir = tempfile::tempdir().unwrap();
    let untouched = state(&Workspace::new(
        Arc::clone(&corpus),
        base.clone(),
        Journal::read(&dir.path().join("none.jsonl")).unwrap(),
    ));
    for (i, a) in ops.iter().enumerate() {
        for (j, b) in ops.iter().enumerate() {
            if i == j {
                continue;
            }
            let path = dir.path().join(format!("{i}-{j}.jsonl"));
            let mut ws = Workspace::new(
                Arc::clone(&corpus),
                base.clone(),
                Journal::open(&path, "t").unwrap(),
            );
            ws.decide(a.clone()).unwrap();
            assert_same_as_restart(&ws, &corpus, &base, &path);
            let after_a = state(&ws);
            ws.decide(b.clone()).unwrap();
            assert_same_as_restart(&ws, &corpus, &base, &path);
            let both = state(&ws);
            assert_eq!(ws.undo().unwrap(), *b);
            assert_eq!(state(&ws), after_a, "undo of {b:?} after {a:?}");
            assert_same_as_restart(&ws, &corpus, &base, &path);
            assert_eq!(ws.undo().unwrap(), *a);
            assert_eq!(state(&ws), untouched, "undo of {a:?}");
            assert_same_as_restart(&ws, &corpus, &base, &path);
            ws.redo().unwrap();
            ws.redo().unwrap();
            assert_eq!(state(&ws), both, "redo of {a:?} then {b:?}");
            assert_same_as_restart(&ws, &corpus, &base, &path);
        }
    }
}

#[test]
fn a_split_after_a_tag_moves_the_tagged_mentions() {
    let (corpus, base) = small();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let mut ws = Workspace::new(
        Arc::clone(&corpus),
        base.clone(),
        Journal::open(&path, "t").unwrap(),
    );
    ws.decide(Op::LinkText {
        text: "Pakistani-Talban".into(),
        entity: "ttp".into(),
        new: None,
    })
    .unwrap();
    ws.decide(Op::SplitAlias {
        entity: "ttp".into(),
        alias: "Pakistani-Talban".into(),
        new: new_entity("talban", "Pakistani-Talban", Kind::Group),
    })
    .unwrap();
    let rows = state(&ws).mentions;
    let talban: Vec<&Row> = rows.iter().filter(|r| r.3 == "talban").collect();
    assert_eq!(talban.len(), 2, "{rows:?}");
    assert_same_as_restart(&ws, &corpus, &base, &path);
}

// ---------------------------------------------------------------------------
// Random sequences on the seeds.

struct Seeds {
    corpus: Arc<Corpus>,
    base: Analysis,
    /// (doc, start, end) of every mention, and of some words that are not.
    spans: Vec<(usize, usize, usize)>,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let corpus = dossier::load::bundled_corpus();
        let base = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
        let mut spans: Vec<(usize, usize, usize)> = base
            .mentions
            .iter()
            .map(|m| (m.doc as usize, m.start as usize, m.end as usize))
            .collect();
        for (d, doc) in corpus.docs.iter().enumerate() {
            let text: &str = &doc.text;
            let mut at = 0;
            for (n, word) in text.split(' ').enumerate() {
                if n % 37 == 5 && !word.is_empty() {
                    spans.push((d, at, at + word.len()));
                }
                at += word.len() + 1;
            }
        }
        Seeds {
            corpus: Arc::new(corpus),
            base,
            spans,
        }
    })
}

/// One step of a random sequence: a decision, an undo or a redo, chosen
/// by `kind` from the seeds with `a`, `b` and `c`.
#[derive(Debug, Clone)]
struct Pick {
    kind: u8,
    a: usize,
    b: usize,
    c: usize,
}

enum Step {
    Decide(Op),
    Undo,
    Redo,
}

const CREATED: [&str; 3] = ["new-a", "new-b", "new-c"];

fn step(s: &Seeds, p: &Pick) -> Step {
    let span = |i: usize| s.spans[i % s.spans.len()];
    let anchor = |i: usize| {
        let (d, start, end) = span(i);
        let doc = &s.corpus.docs[d];
        Anchor::new(&doc.id, &doc.text, start..end)
    };
    let text = |i: usize| {
        let (d, start, end) = span(i);
        let t: &str = &s.corpus.docs[d].text;
        t[start..end].to_string()
    };
    // Mostly the entity of a mention; now and then one a decision creates.
    let entity = |i: usize| {
        if i.is_multiple_of(5) {
            CREATED[i / 5 % CREATED.len()].to_string()
        } else {
            let m = &s.base.mentions[i % s.base.mentions.len()];
            s.base.entities[m.entity as usize].id.clone()
        }
    };
    let created = |i: usize, name: String| NewEntity {
        id: CREATED[i % CREATED.len()].to_string(),
        name,
        kind: Kind::ALL[i % Kind::ALL.len()],
    };
    Step::Decide(match p.kind % 13 {
        0 => Op::LinkText {
            text: text(p.a),
            entity: entity(p.b),
            new: None,
        },
        1 => Op::LinkText {
            text: text(p.a),
            entity: CREATED[p.b % CREATED.len()].to_string(),
            new: Some(created(p.b, text(p.a))),
        },
        2 => Op::LinkSpan {
            anchor: anchor(p.a),
            entity: entity(p.b),
            new: p.c.is_multiple_of(2).then(|| created(p.b, text(p.a))),
        },
        3 => Op::RejectSpan {
            anchor: anchor(p.a),
        },
        4 => Op::RejectText {
            text: text(p.a),
            entity: entity(p.a),
        },
        5 => Op::Merge {
            from: entity(p.a),
            into: entity(p.b),
        },
        6 => Op::SplitAlias {
            entity: entity(p.a),
            alias: text(p.a),
            new: created(p.b, text(p.a)),
        },
        7 => Op::Rename {
            entity: entity(p.a),
            name: text(p.b),
        },
        8 => Op::SetKind {
            entity: entity(p.a),
            kind: Kind::ALL[p.b % Kind::ALL.len()],
        },
        9 => Op::Note {
            target: NoteTarget::Mention {
                anchor: anchor(p.a),
            },
            text: format!("note {}", p.b),
        },
        10 | 11 => return Step::Undo,
        _ => return Step::Redo,
    })
}

fn pick() -> impl Strategy<Value = Pick> {
    (any::<u8>(), any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(kind, a, b, c)| Pick {
        kind,
        a,
        b,
        c,
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(48),
        max_shrink_iters: 1024,
        // Next to the crate's other proptest files, replayed before new cases.
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/annotate_incremental.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// After every decision, undo and redo, the workspace equals a restart
    /// that replays the journal over the engine's analysis.
    #[test]
    fn incremental_decisions_equal_a_replay_after_every_step(
        picks in prop::collection::vec(pick(), 1..16)
    ) {
        let s = seeds();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut ws = Workspace::new(
            Arc::clone(&s.corpus),
            s.base.clone(),
            Journal::open(&path, "seeds").unwrap(),
        );
        for p in &picks {
            match step(s, p) {
                Step::Decide(op) => {
                    ws.decide(op).unwrap();
                }
                // Nothing to undo or redo is an answer, not a failure.
                Step::Undo => {
                    let _ = ws.undo();
                }
                Step::Redo => {
                    let _ = ws.redo();
                }
            }
            let again = restarted(&s.corpus, &s.base, &path);
            prop_assert_eq!(state(&ws), state(&again), "after {:?}", p);
            assert_lookups_agree(ws.index());
        }
    }
}

/// After a document is edited, a span decision attaches to its own quote
/// or to nothing: never to the same letters inside another word.
#[test]
fn span_decisions_on_an_edited_document_are_unplaced_not_misplaced() {
    let kb_text = r#"
[[entity]]
id = "pm"
name = "PM"
kind = "person"

[[entity]]
id = "pmln"
name = "PMLN"
kind = "org"

[[entity]]
id = "washington"
name = "Washington"
kind = "place"
"#;
    let analyse = |text: &str| common::analysed("t", &[("a.txt", text)], kb_text);
    let before = "Report\n\nThe PM met the press in Washington. Later, the PMLN said no.\n";
    let (corpus, base) = analyse(before);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.jsonl");
    {
        let mut ws = Workspace::new(
            corpus.clone(),
            base,
            Journal::open(&path, "t").expect("journal"),
        );
        let at = before.find("PM met").expect("PM");
        ws.decide(Op::RejectSpan {
            anchor: Anchor::new("a.txt", before, at..at + 2),
        })
        .expect("reject");
        let at = before.find("Washington").expect("Washington");
        ws.decide(Op::Note {
            target: NoteTarget::Mention {
                anchor: Anchor::new("a.txt", before, at..at + 10),
            },
            text: "the city".into(),
        })
        .expect("note");
    }
    // The document is edited: "PM" is spelled out, "Washington" becomes
    // "Washingtonian".
    let after = before
        .replace("The PM met", "The prime minister met")
        .replace("in Washington.", "in Washingtonian style.");
    let (corpus, base) = analyse(&after);
    let pmln_before = base
        .mentions
        .iter()
        .filter(|m| &after[m.start as usize..m.end as usize] == "PMLN")
        .count();
    assert_eq!(pmln_before, 1);
    let ws = Workspace::new(corpus, base, Journal::read(&path).expect("read"));
    let texts: Vec<&str> = ws
        .index()
        .doc_mentions(0)
        .iter()
        .map(|m| &after[m.range()])
        .collect();
    assert!(
        texts.contains(&"PMLN"),
        "the rejection took PMLN: {texts:?}"
    );
    let report = ws.report();
    let unplaced: Vec<&str> = report.unplaced.iter().map(|a| a.exact.as_str()).collect();
    assert_eq!(unplaced, ["PM", "Washington"]);
}

// ---------------------------------------------------------------------------
// Linking a text everywhere reads only the documents whose word signatures
// may hold it, and finds exactly what a search of every document finds.

#[test]
fn linking_a_text_everywhere_finds_the_same_with_word_signatures() {
    let plain = Arc::new(dossier::load::bundled_corpus());
    let signed = Arc::new(dossier::load::bundled_corpus());
    signed.words.set(dossier::index::words::build(&signed));
    let base = Engine::new(KnowledgeBase::default_kb()).analyse(&plain);
    let dir = tempfile::tempdir().expect("tempdir");
    // Names, ordinary words, hyphenated and possessive forms, a text in
    // no document, and one that spans a line break.
    let texts = [
        "Waziristan",
        "Pakistani-Talban",
        "Radd ul Fasaad",
        "security forces",
        "Pakistan's",
        "the",
        "Qatar Airways Flight",
        "Khorasan Province",
    ];
    for (i, text) in texts.iter().enumerate() {
        let op = Op::LinkText {
            text: text.to_string(),
            entity: format!("tag-{i}"),
            new: Some(new_entity(&format!("tag-{i}"), text, Kind::Other)),
        };
        let mut states = Vec::new();
        for (name, corpus) in [("plain", &plain), ("signed", &signed)] {
            let path = dir.path().join(format!("{name}-{i}.jsonl"));
            let journal = Journal::open(&path, "test").expect("journal");
            let mut ws = Workspace::new(Arc::clone(corpus), base.clone(), journal);
            ws.decide(op.clone()).expect("decide");
            states.push(state(&ws));
        }
        assert_eq!(states[0], states[1], "{text}");
        let searched = dossier::index::words::docs_to_search(&signed, text).len();
        assert!(searched <= signed.docs.len());
        if *text == "Qatar Airways Flight" {
            assert_eq!(searched, 0, "a text in no document reads none");
        }
    }
}
