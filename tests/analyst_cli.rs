//! The analyst commands (`dossier cooc`, `dossier timeline`), run as a
//! process on small corpora written for each test.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const KB: &str = r#"
[[entity]]
id = "ttp"
name = "Tehrik-i-Taliban Pakistan"
kind = "group"
aliases = ["TTP"]

[[entity]]
id = "bannu"
name = "Bannu"
kind = "place"

[[entity]]
id = "kabul"
name = "Kabul"
kind = "place"

[[entity]]
id = "norwich"
name = "Norwich University"
kind = "org"

[[entity]]
id = "lashkar"
name = "Lashkar-e-Jhangvi"
kind = "group"
"#;

/// Runs the binary on `dir` with the test knowledge base only, with its
/// own empty data and cache directories.
fn dossier(dir: &Path, args: &[&str]) -> Output {
    let data = tempfile::tempdir().expect("temp dir");
    let kb = dir.join("test-kb.toml");
    std::fs::write(&kb, KB).expect("write kb");
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .arg("--no-default-kb")
        .arg("--kb")
        .arg(&kb)
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
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write fixture");
}

/// Three articles: the TTP and Bannu share sentences; Kabul only shares
/// the TTP's documents; Norwich University is named only in an author bio.
fn cooc_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    write(
        p,
        "a.txt",
        "Attack in the north\n\nThe TTP struck in Bannu on Monday. Officials said little.\n\n\
         Kabul denied any role.\n\nAuthor\n\nThe writer holds a degree from Norwich University \
         and writes on the TTP.\n",
    );
    write(
        p,
        "b.txt",
        "Talks\n\nThe TTP and Bannu elders met at last. No one spoke.\n\nLater, Kabul hosted a \
         meeting of its own.\n",
    );
    write(
        p,
        "c.txt",
        "Elsewhere\n\nKabul and Bannu traded words. The Lashkar-e-Jhangvi was quiet.\n",
    );
    dir
}

fn ids(rows: &[Value]) -> Vec<&str> {
    rows.iter().filter_map(|r| r["entity"].as_str()).collect()
}

#[test]
fn cooc_ranks_a_shared_sentence_above_a_shared_document() {
    let dir = cooc_corpus();
    let p = dir.path().to_str().expect("path");
    // Named by its alias, in any case.
    let rows = json_lines(&dossier(dir.path(), &["cooc", "ttp", p, "--json"]));
    assert_eq!(ids(&rows), ["bannu"], "{rows:?}");
    let bannu = &rows[0];
    assert_eq!(bannu["level"], "sentence");
    assert_eq!(bannu["joint"], 2);
    assert_eq!(bannu["count_e"], 2);
    assert!(bannu["llr"].as_f64().unwrap_or(0.0) > 0.0);
    // By document, Kabul comes in (two shared documents), below Bannu.
    let rows = json_lines(&dossier(
        dir.path(),
        &["cooc", "TTP", p, "--json", "--level", "document"],
    ));
    assert_eq!(ids(&rows), ["bannu", "kabul"], "{rows:?}");
    assert_eq!(rows[1]["joint"], 2);
    // Everything of the pair is a number, each row names its kind.
    for r in &rows {
        assert!(r["pmi"].is_f64() && r["units"].as_u64() == Some(3));
        assert_eq!(r["kind"], "place");
    }
}

#[test]
fn cooc_leaves_out_an_author_bio() {
    let dir = cooc_corpus();
    let p = dir.path().to_str().expect("path");
    // The bio does name Norwich University…
    let mentions = json_lines(&dossier(
        dir.path(),
        &["mentions", p, "--json", "--entity", "norwich"],
    ));
    assert_eq!(mentions.len(), 1);
    // …but nothing counts it as named with the TTP, at any level.
    for level in ["sentence", "paragraph", "document"] {
        let rows = json_lines(&dossier(
            dir.path(),
            &["cooc", "ttp", p, "--json", "--level", level],
        ));
        assert!(!ids(&rows).contains(&"norwich"), "{level}: {rows:?}");
    }
}

#[test]
fn cooc_filters_by_kind_and_limits() {
    let dir = cooc_corpus();
    let p = dir.path().to_str().expect("path");
    let rows = json_lines(&dossier(
        dir.path(),
        &[
            "cooc", "bannu", p, "--json", "--level", "document", "--kind", "group",
        ],
    ));
    assert_eq!(ids(&rows), ["ttp", "lashkar"], "{rows:?}");
    let rows = json_lines(&dossier(
        dir.path(),
        &[
            "cooc", "bannu", p, "--json", "--level", "document", "--limit", "1",
        ],
    ));
    assert_eq!(rows.len(), 1);
    // The table says what was counted, and names the entity as the
    // corpus writes it (never by its full name, which no article uses).
    let out = dossier(dir.path(), &["cooc", "ttp", p, "--level", "paragraph"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("TTP (ttp): named in 2 of 6 paragraphs"),
        "{text}"
    );
    assert!(
        text.lines().nth(1).is_some_and(|l| l.starts_with("ID")),
        "{text}"
    );
    assert!(text.contains("bannu"), "{text}");
    // Rows show how the corpus writes an entity.
    let rows = json_lines(&dossier(
        dir.path(),
        &[
            "cooc", "bannu", p, "--json", "--level", "document", "--kind", "group",
        ],
    ));
    assert_eq!(rows[0]["name"], "Tehrik-i-Taliban Pakistan");
    assert_eq!(rows[0]["label"], "TTP");
}

#[test]
fn unknown_entities_and_bad_levels_are_errors() {
    let dir = cooc_corpus();
    let p = dir.path().to_str().expect("path");
    let out = dossier(dir.path(), &["cooc", "nobody\u{1b}[31m", p]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no entity"), "{err}");
    assert!(!err.contains('\u{1b}'), "the name is sanitised: {err:?}");
    let out = dossier(dir.path(), &["cooc", "ttp", p, "--level", "word"]);
    assert!(!out.status.success());
    let out = dossier(dir.path(), &["timeline", "nobody", p]);
    assert!(!out.status.success());
}

#[test]
fn timeline_takes_dates_from_every_source() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path();
    // Metadata: a JSON Lines date and an HTML page's publication time.
    write(
        p,
        "feed.jsonl",
        "{\"text\": \"The TTP claimed it.\", \"date\": \"2021-01-15T08:00:00Z\"}\n",
    );
    write(
        p,
        "page.html",
        "<html><head><meta property=\"article:published_time\" content=\"2021-03-02\">\
         <title>Page</title></head><body><p>The TTP again, and the TTP.</p></body></html>",
    );
    // A dateline in the text.
    write(
        p,
        "wire.txt",
        "Wire story\n\nPESHAWAR, May 4, 2021: The TTP said nothing.\n",
    );
    // Nothing but the file's time.
    write(p, "plain.txt", "Plain\n\nThe TTP, undated.\n");
    let file = std::fs::File::options()
        .write(true)
        .open(p.join("plain.txt"))
        .expect("open");
    // 2021-08-10 12:00 UTC.
    let when = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_628_596_800);
    file.set_modified(when).expect("set mtime");
    drop(file);
    let rows = json_lines(&dossier(
        p,
        &["timeline", "ttp", p.to_str().expect("path"), "--json"],
    ));
    let months: Vec<(&str, u64, u64, u64)> = rows
        .iter()
        .map(|r| {
            (
                r["month"].as_str().unwrap_or("?"),
                r["mentions"].as_u64().unwrap_or(0),
                r["docs"].as_u64().unwrap_or(0),
                r["file_time_docs"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        months,
        [
            ("2021-01", 1, 1, 0),
            ("2021-02", 0, 0, 0),
            ("2021-03", 2, 1, 0),
            ("2021-04", 0, 0, 0),
            ("2021-05", 1, 1, 0),
            ("2021-06", 0, 0, 0),
            ("2021-07", 0, 0, 0),
            ("2021-08", 1, 1, 1),
        ]
    );
    assert!(rows.iter().all(|r| r["entity"] == "ttp"));
    // Each document's date and where it was found.
    let docs = json_lines(&dossier(p, &["docs", p.to_str().expect("path"), "--json"]));
    let dates: Vec<(&str, &str, &str)> = docs
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap_or("?"),
                d["date"].as_str().unwrap_or("?"),
                d["date_source"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    assert_eq!(
        dates,
        [
            ("feed.jsonl#1", "2021-01-15", "metadata"),
            ("page.html", "2021-03-02", "metadata"),
            ("plain.txt", "2021-08-10", "file-time"),
            ("wire.txt", "2021-05-04", "text"),
        ]
    );
    // The table draws a bar per month and flags the file's time.
    let out = dossier(p, &["timeline", "TTP", p.to_str().expect("path")]);
    let text = String::from_utf8_lossy(&out.stdout);
    let march = text
        .lines()
        .find(|l| l.starts_with("2021-03"))
        .unwrap_or("");
    assert!(march.ends_with(&"█".repeat(40)), "{text}");
    let august = text
        .lines()
        .find(|l| l.starts_with("2021-08"))
        .unwrap_or("");
    assert!(august.contains("(1 dated by file time)"), "{text}");
}
