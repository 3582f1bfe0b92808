//! The headless commands, run as a process.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with its own empty data directory, so that no journal
/// of the person running the tests changes what the commands print.
fn dossier(args: &[&str]) -> Output {
    let data = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("XDG_DATA_HOME", data.path())
        .env("XDG_CACHE_HOME", data.path().join("cache"))
        .output()
        .expect("run dossier")
}

fn json_lines(out: &Output) -> Vec<Value> {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn seeds() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
}

#[test]
fn docs_lists_the_bundled_seeds() {
    let rows = json_lines(&dossier(&["docs", "--json"]));
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0]["id"], "000_d85bfbec747d7f53.txt");
    assert_eq!(rows[0]["title"], "Kicking Terrorist Ass and Winning");
    assert_eq!(rows[3]["title"], "Pakistan and US Unite Against ISKP");
    for r in &rows {
        assert!(r["bytes"].as_u64().unwrap() > 1000);
        assert!(r["mentions"].as_u64().unwrap() > 10);
    }
}

#[test]
fn docs_table_has_a_header_and_a_row_per_document() {
    let out = dossier(&["docs"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ID"));
    assert_eq!(lines.len(), 6);
    assert!(lines[1].contains("Kicking Terrorist Ass"));
}

#[test]
fn entities_link_every_surface_form_of_iskp() {
    let rows = json_lines(&dossier(&["entities", "--json"]));
    let iskp = rows
        .iter()
        .find(|r| r["aliases"].as_array().unwrap().iter().any(|a| a == "ISKP"))
        .expect("an entity with alias ISKP");
    let aliases: Vec<&str> = iskp["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for form in [
        "ISIS-K",
        "IS-K",
        "Islamic State Khorasan Province",
        "Islamic State – Khorasan Province",
    ] {
        assert!(aliases.contains(&form), "{form} missing from {aliases:?}");
    }
    assert_eq!(iskp["kind"], "group");
    assert_eq!(iskp["documents"], 4);
}

#[test]
fn mentions_carry_true_byte_offsets_and_sources() {
    let rows = json_lines(&dossier(&["mentions", "--json"]));
    assert!(rows.len() > 300);
    for r in &rows {
        let doc = r["doc"].as_str().unwrap();
        let bytes = std::fs::read(seeds().join(doc)).unwrap();
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&bytes[s..e]).unwrap(),
            r["text"].as_str().unwrap()
        );
        for key in ["entity", "name", "kind", "source"] {
            assert!(r[key].is_string(), "{key} missing in {r}");
        }
    }
    let sources: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert!(
        sources.contains("kb") && sources.contains("variant") && sources.contains("person"),
        "{sources:?}"
    );
}

#[test]
fn mentions_of_one_entity_span_documents() {
    let rows = json_lines(&dossier(&[
        "mentions",
        "--json",
        "--entity",
        "tehrik-i-taliban-pakistan",
    ]));
    assert!(
        rows.iter()
            .all(|r| r["entity"] == "tehrik-i-taliban-pakistan")
    );
    let texts: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
    for form in [
        "TTP",
        "Tehreek-e-Taliban Pakistan",
        "Tehrik-i-Taliban Pakistan",
        "Pakistani-Talban",
    ] {
        assert!(texts.contains(form), "{form} missing from {texts:?}");
    }
}

#[test]
fn learning_from_the_text_alone_still_links() {
    let rows = json_lines(&dossier(&["mentions", "--json", "--no-default-kb"]));
    let id_of = |doc: &str, text: &str| {
        rows.iter()
            .find(|r| r["doc"].as_str().unwrap().starts_with(doc) && r["text"] == text)
            .map(|r| r["entity"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no mention {text} in {doc}"))
    };
    assert_eq!(id_of("003", "ISKP"), id_of("002", "IS-K"));
    assert_eq!(
        id_of("004", "ISIS-K"),
        id_of("003", "Islamic State Khorasan Province")
    );
    assert_eq!(
        id_of("001", "TTP"),
        id_of("002", "Tehrik-i-Taliban Pakistan")
    );
    assert_eq!(id_of("002", "al-Qaida"), id_of("003", "Al-Qaeda"));
}

#[test]
fn a_path_that_does_not_exist_is_a_one_line_error() {
    let out = dossier(&["docs", "/nonexistent/corpus"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/corpus"), "{err}");
}

#[test]
fn an_unknown_entity_is_an_error() {
    let out = dossier(&["mentions", "--entity", "no-such-thing"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-thing"));
}

#[test]
fn a_bad_kb_file_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("bad.toml");
    std::fs::write(
        &kb,
        "[[entity]]\nid = \"x\"\nname = \"X\"\nkind = \"tribe\"\n",
    )
    .unwrap();
    let out = dossier(&["docs", "--kb", kb.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml:4"), "{err}");
    assert!(err.contains("tribe"), "{err}");
}

#[test]
fn user_kb_and_corpus_kb_add_entities() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "A headline\n\nThe Zorblax Brigade met the Quux Council in Karachi.\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("dossier.toml"),
        "[[entity]]\nid = \"zorblax\"\nname = \"Zorblax Brigade\"\nkind = \"group\"\n",
    )
    .unwrap();
    let user = dir.path().join("user.kb");
    std::fs::write(
        &user,
        "[[entity]]\nid = \"quux\"\nname = \"Quux Council\"\nkind = \"org\"\n",
    )
    .unwrap();
    let rows = json_lines(&dossier(&[
        "mentions",
        "--json",
        dir.path().to_str().unwrap(),
        "--kb",
        user.to_str().unwrap(),
    ]));
    let find = |t: &str| {
        rows.iter()
            .find(|r| r["text"] == t)
            .unwrap_or_else(|| panic!("{t}: {rows:?}"))
    };
    assert_eq!(find("Zorblax Brigade")["entity"], "zorblax");
    assert_eq!(find("Quux Council")["kind"], "org");
    assert_eq!(find("Karachi")["source"], "kb");
}

#[test]
fn an_empty_directory_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dossier(&["entities", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no readable documents"));
}

#[test]
fn skipped_files_are_reported_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("good.txt"),
        "A headline\n\nPeshawar is a city.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"\x00\x01\x02binary").unwrap();
    let out = dossier(&["docs", "--json", dir.path().to_str().unwrap()]);
    assert_eq!(json_lines(&out).len(), 1);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("skipped"), "{err}");
    assert!(err.contains("bin.txt"), "{err}");
}

#[test]
fn export_writes_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    for (format, file) in [
        ("brat", "documents.tsv"),
        ("doccano", "doccano.jsonl"),
        ("spacy", "spacy.jsonl"),
        ("conll", "conll.txt"),
    ] {
        let out = dir.path().join(format);
        let o = dossier(&[
            "export",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
            "--annotations",
            journal.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(out.join(file).is_file(), "{format}");
    }
    assert!(dir.path().join("brat/000_d85bfbec747d7f53.ann").is_file());
}

#[test]
fn import_records_decisions_that_mentions_then_show() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    let j = journal.to_str().unwrap();
    let brat = dir.path().join("brat");
    assert!(
        dossier(&[
            "export",
            "--format",
            "brat",
            "--out",
            brat.to_str().unwrap(),
            "--annotations",
            j
        ])
        .status
        .success()
    );
    // Turn the first "Rajgal Valley" (a place) into an event, by hand in the .ann file.
    let ann_path = brat.join("000_d85bfbec747d7f53.ann");
    let ann = std::fs::read_to_string(&ann_path).unwrap();
    let edited = ann.replacen("PLACE", "EVENT", 1);
    let t = ann
        .lines()
        .find(|l| l.contains("\tPLACE "))
        .unwrap()
        .split('\t')
        .next()
        .unwrap();
    let edited = edited
        .lines()
        .map(|l| {
            if l.contains(&format!(" {t} dossier:")) {
                format!("N999\tReference {t} dossier:imported-event\tX")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&ann_path, edited).unwrap();
    let o = dossier(&[
        "import",
        brat.to_str().unwrap(),
        "--format",
        "brat",
        "--annotations",
        j,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("imported 1 annotation into"));
    let rows = json_lines(&dossier(&[
        "mentions",
        "--json",
        "--entity",
        "imported-event",
        "--annotations",
        j,
    ]));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["source"], "annotation");
    assert_eq!(rows[0]["kind"], "event");
    let listed = dossier(&["annotations", "--annotations", j]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("as a new event"), "{listed}");
}

#[test]
fn kb_export_writes_toml_that_loads_again_with_accepted_links_only() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    let j = journal.to_str().unwrap();
    let load = |name: &str| {
        let out = dir.path().join(name);
        let o = dossier(&[
            "kb",
            "export",
            "--out",
            out.to_str().unwrap(),
            "--annotations",
            j,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).starts_with("wrote "));
        let mut kb = dossier::entity::KnowledgeBase::new();
        kb.add_file(&out).unwrap();
        kb
    };
    let has = |kb: &dossier::entity::KnowledgeBase, alias: &str| {
        kb.get("tehrik-i-taliban-pakistan")
            .unwrap()
            .aliases
            .iter()
            .any(|a| a == alias)
    };
    // A suggested spelling variant is not an alias until a person accepts it.
    let before = load("before.toml");
    assert!(before.len() >= 150);
    assert!(!has(&before, "Pakistani-Talban"));
    {
        let mut journal = dossier::annotate::Journal::open(&journal, "bundled-seeds").unwrap();
        journal
            .append(dossier::annotate::Op::LinkText {
                text: "Pakistani-Talban".into(),
                entity: "tehrik-i-taliban-pakistan".into(),
                new: None,
            })
            .unwrap();
    }
    let after = load("after.toml");
    assert!(has(&after, "Pakistani-Talban"));
    // And it works as a knowledge base on its own.
    let out = dir.path().join("after.toml");
    let empty = dir.path().join("none.jsonl");
    let rows = json_lines(&dossier(&[
        "mentions",
        "--json",
        "--no-default-kb",
        "--kb",
        out.to_str().unwrap(),
        "--annotations",
        empty.to_str().unwrap(),
    ]));
    assert!(
        rows.iter()
            .any(|r| r["text"] == "ISKP" && r["source"] == "kb")
    );
    assert!(rows.iter().any(|r| r["text"] == "Pakistani-Talban"
        && r["entity"] == "tehrik-i-taliban-pakistan"
        && r["source"] == "kb"));
}

#[test]
fn decisions_that_cannot_be_applied_or_another_corpus_are_said() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.jsonl");
    std::fs::write(
        &journal,
        concat!(
            "{\"dossier_journal\":1,\"corpus\":\"bundled-seeds\"}\n",
            "{\"seq\":1,\"at\":0,\"op\":\"rename\",\"entity\":\"tehrik-i-taliban-pakistan\",\"name\":\"The TTP\"}\n",
        ),
    )
    .unwrap();
    let j = journal.to_str().unwrap();
    let text = |o: &Output| {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    // With the default knowledge base: in force and applied.
    let (out, err) = text(&dossier(&["annotations", "--annotations", j]));
    assert!(!out.contains("not applied"), "{out}");
    assert!(err.is_empty(), "{err}");
    // Without it: listed as not applied, with why.
    let (out, _) = text(&dossier(&[
        "annotations",
        "--no-default-kb",
        "--annotations",
        j,
    ]));
    assert!(
        out.contains("not applied: ")
            && out.contains("no entity `tehrik-i-taliban-pakistan` in the knowledge bases in use"),
        "{out}"
    );
    let rows = json_lines(&dossier(&[
        "annotations",
        "--json",
        "--no-default-kb",
        "--annotations",
        j,
    ]));
    assert_eq!(rows[0]["applied"], false);
    // On another corpus: said.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("a.txt"), "Title\n\nThe TTP said so.\n").unwrap();
    let (_, err) = text(&dossier(&[
        "annotations",
        other.to_str().unwrap(),
        "--annotations",
        j,
    ]));
    assert!(
        err.contains("this journal was made for another corpus (bundled-seeds)"),
        "{err}"
    );
}

/// Each decision records who made it; two annotators' journals are
/// compared span by span.
#[test]
fn annotators_are_recorded_and_their_agreement_measured() {
    let dir = tempfile::tempdir().unwrap();
    let (j1, j2) = (dir.path().join("j1.jsonl"), dir.path().join("j2.jsonl"));
    // Two annotators re-kind names the engine found: the journal lines
    // themselves, as the reader would write them.
    for (j, who, lines) in [
        (
            &j1,
            "ann1",
            ["brekh\",\"kind\":\"place", "twitter\",\"kind\":\"org"],
        ),
        (
            &j2,
            "ann2",
            ["brekh\",\"kind\":\"place", "damocles\",\"kind\":\"person"],
        ),
    ] {
        let mut text = "{\"dossier_journal\":1,\"corpus\":\"bundled-seeds\"}\n".to_string();
        for (i, l) in lines.iter().enumerate() {
            text.push_str(&format!(
                "{{\"seq\":{},\"at\":0,\"by\":\"{who}\",\"op\":\"set_kind\",\"entity\":\"{l}\"}}\n",
                i + 1
            ));
        }
        std::fs::write(j, text).unwrap();
    }
    let o = dossier(&[
        "annotations",
        "--agreement",
        j1.to_str().unwrap(),
        j2.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("(2 decisions, ann1)") && out.contains("(2 decisions, ann2)"),
        "{out}"
    );
    assert!(
        out.contains("3 spans decided by either; 1 labelled alike"),
        "{out}"
    );
    // By chance: 1/3·1/3 (place) + 1/3·1/3 (other) = 2/9; kappa 1/7.
    assert!(
        out.contains("by chance 0.222, Cohen's kappa 0.143"),
        "{out}"
    );
    assert!(
        out.contains("F1 of 2 against 1 (span and kind) 0.333"),
        "{out}"
    );

    // A decision made now records its annotator.
    let j3 = dir.path().join("j3.jsonl");
    let brat = dir.path().join("brat");
    let o = dossier(&[
        "export",
        "--format",
        "brat",
        "--out",
        brat.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let ann = brat.join("000_d85bfbec747d7f53.ann");
    let text = std::fs::read_to_string(&ann).unwrap();
    let t = text
        .lines()
        .find(|l| l.ends_with("\tBrekh") && l.contains("\tOTHER "))
        .and_then(|l| l.split('\t').next())
        .unwrap()
        .to_string();
    std::fs::write(
        &ann,
        text.replace(&format!("{t}\tOTHER"), &format!("{t}\tPLACE")),
    )
    .unwrap();
    let o = dossier(&[
        "import",
        brat.to_str().unwrap(),
        "--format",
        "brat",
        "--annotations",
        j3.to_str().unwrap(),
        "--annotator",
        "Ayesha K.",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let journal = std::fs::read_to_string(&j3).unwrap();
    assert!(
        journal
            .lines()
            .nth(1)
            .unwrap()
            .contains("\"by\":\"Ayesha K.\""),
        "{journal}"
    );
}
