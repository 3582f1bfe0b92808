//! The commands made for shells, pipes and other tools, run as processes:
//! show, xref, completions, the man page, corpora listed on standard
//! input, CSV tables, the FollowTheMoney export, the config file's errors
//! and the exit codes.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const TTP: &str = "tehrik-i-taliban-pakistan";

/// The binary with its own empty data, cache and config directories, and
/// with whatever stdin `input` gives (none: empty).
fn run_in(dir: Option<&Path>, args: &[&str], input: &[u8], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dossier"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("TERM", "xterm-256color")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let mut child = cmd.spawn().expect("run dossier");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input).expect("write stdin");
    drop(stdin);
    child.wait_with_output().expect("wait")
}

fn run(args: &[&str]) -> Output {
    run_in(None, args, b"", &[])
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8")
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn seeds() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn energy() -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/energy");
    (
        root.join("kb.toml").display().to_string(),
        root.join("articles").display().to_string(),
    )
}

// ---- show ----

#[test]
fn show_into_a_pipe_writes_no_escape_unless_asked() {
    // NO_COLOR is unset: the pipe alone turns colour off.
    let text = ok(&run(&["show", "003"]));
    assert!(!text.contains('\x1b'), "{text}");
    assert!(text.starts_with("Pakistan and US Unite Against ISKP\n003_5b508ec0a4167b81.txt · "));
    let never = ok(&run(&["show", "003", "--color", "never"]));
    assert_eq!(never, text);
    // Asked for: the kinds' colours from the theme, each ended.
    let coloured = ok(&run(&["show", "003", "--color", "always"]));
    assert!(coloured.contains("\x1b[0m"), "{coloured}");
    let group = "\x1b[1;38;5;210mISKP\x1b[0m";
    assert!(coloured.contains(group), "no {group:?} in {coloured}");
    // NO_COLOR does not stop --color always, and stops auto colour.
    let out = run_in(
        None,
        &["show", "003", "--color", "always"],
        b"",
        &[("NO_COLOR", "1")],
    );
    assert!(ok(&out).contains('\x1b'));
    // Without the escapes, the coloured text is the plain one.
    let mut stripped = String::new();
    let mut rest = coloured.as_str();
    while let Some(i) = rest.find('\x1b') {
        stripped.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find('m').expect("SGR ends with m");
        rest = &rest[end + 1..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, text);
}

#[test]
fn show_marks_mentions_in_brackets_and_plain_is_the_file() {
    let marked = ok(&run(&["show", "001_7227", "--markup", "brackets"]));
    assert!(
        marked.contains(&format!("[TTP]{{group:{TTP}}}")),
        "{marked}"
    );
    assert!(marked.contains("[Tehreek-e-Taliban Pakistan]{group:tehrik-i-taliban-pakistan}"));
    // As many marks as mentions.
    let mentions = json_lines(&ok(&run(&["mentions", "--json"])))
        .into_iter()
        .filter(|m| m["doc"] == "001_7227ac1b26ab0799.txt")
        .count();
    let marks = marked.matches("]{").count();
    assert_eq!(marks, mentions);
    let plain = ok(&run(&["show", "001_7227ac1b26ab0799.txt", "--plain"]));
    let file = std::fs::read_to_string(seeds().join("001_7227ac1b26ab0799.txt")).unwrap();
    assert_eq!(plain.trim_end(), file.trim_end());
}

#[test]
fn show_finds_a_document_by_title_and_refuses_an_ambiguous_one() {
    let text = ok(&run(&["show", "pakistan and us unite", "--plain"]));
    assert!(text.starts_with("Pakistan and US Unite Against ISKP"));
    let out = run(&["show", "00"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"00\" matches 5 documents"), "{err}");
    let out = run(&["show", "no such article"]);
    assert_eq!(out.status.code(), Some(1));
}

// ---- xref ----

#[test]
fn xref_lists_every_mention_that_mentions_entity_lists() {
    let mentions = json_lines(&ok(&run(&["mentions", "--entity", TTP, "--json"])));
    assert!(mentions.len() > 10);
    for query in ["TTP", TTP, "Tehrik-i-Taliban Pakistan", "pakistani taliban"] {
        let xref = json_lines(&ok(&run(&["xref", query, "--json"])));
        assert_eq!(xref.len(), mentions.len(), "{query}");
        for (x, m) in xref.iter().zip(&mentions) {
            for field in ["doc", "start", "end", "text", "entity"] {
                assert_eq!(x[field], m[field], "{query} {field}");
            }
            assert_eq!(x["entity"], TTP);
            assert!(x["title"].as_str().is_some_and(|t| !t.is_empty()));
        }
    }
    // CSV: one row per mention too.
    let (header, rows) = csv_rows(&ok(&run(&["xref", "TTP", "--format", "csv"])));
    assert_eq!(header[..4], ["entity", "name", "kind", "doc"]);
    assert_eq!(rows.len(), mentions.len());
}

#[test]
fn xref_text_and_markdown_group_by_document_with_titles() {
    let mentions = json_lines(&ok(&run(&["mentions", "--entity", TTP, "--json"])));
    let docs: BTreeSet<&str> = mentions.iter().filter_map(|m| m["doc"].as_str()).collect();
    let text = ok(&run(&["xref", "TTP"]));
    assert!(
        text.starts_with(&format!(
            "Tehrik-i-Taliban Pakistan  {TTP}\ngroup · {} mentions in {} documents\nseen as TTP (",
            mentions.len(),
            docs.len()
        )),
        "{text}"
    );
    for d in &docs {
        assert_eq!(text.matches(&format!("\n{d} · ")).count(), 1, "{d}");
    }
    // One line per mention (its offset, right-aligned), under its document.
    let hits = text.lines().filter(|l| l.starts_with(' ')).count();
    assert_eq!(hits, mentions.len(), "{text}");
    let md = ok(&run(&["xref", "TTP", "--format", "markdown"]));
    assert!(md.starts_with("# Tehrik-i-Taliban Pakistan\n"), "{md}");
    assert_eq!(md.matches("\n## ").count(), docs.len());
    assert_eq!(md.matches("\n- ").count(), mentions.len());
    assert!(md.contains("**TTP**"));
}

#[test]
fn xref_of_an_unknown_entity_fails_with_a_reason() {
    let out = run(&["xref", "Lashkar-e-Nothing"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no entity matches"));
}

// ---- shell integration ----

#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, mark) in [
        ("bash", "complete -F _dossier"),
        ("zsh", "#compdef dossier"),
        ("fish", "complete -c dossier"),
    ] {
        let script = ok(&run(&["completions", shell]));
        assert!(script.contains(mark), "{shell}");
        for sub in ["show", "xref", "mentions", "export", "completions"] {
            assert!(script.contains(sub), "{shell}: {sub}");
        }
    }
    // The bash script is valid bash.
    let script = ok(&run(&["completions", "bash"]));
    if let Ok(out) = Command::new("bash").args(["-n", "-c", &script]).output() {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(run(&["completions", "tcsh-ish"]).status.code(), Some(2));
}

#[test]
fn the_man_page_is_made_from_the_cli() {
    let man = ok(&run(&["man"]));
    assert!(man.contains(".TH dossier 1"), "{man}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH EXAMPLES",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(man.contains(section), "{section}");
    }
    assert!(man.contains("dossier\\-xref"), "subcommands listed");
    assert!(man.contains(".TP\n2\na usage error"), "{man}");
    // Where man(1) is installed, it renders without a warning.
    if let Ok(out) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().expect("stdin").write_all(man.as_bytes())?;
            c.wait_with_output()
        })
    {
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn help_shows_examples_and_exit_codes_and_usage_errors_exit_2() {
    let help = ok(&run(&["--help"]));
    assert!(help.contains("Examples:\n  dossier "), "{help}");
    assert!(help.contains("Exit status:\n  0  success"), "{help}");
    assert!(help.contains("  2  a usage error"), "{help}");
    assert_eq!(run(&["--no-such-option"]).status.code(), Some(2));
    assert_eq!(run(&["xref"]).status.code(), Some(2));
    assert_eq!(run(&["export", "--format", "brat"]).status.code(), Some(2));
    assert_eq!(
        run(&["mentions", "--entity", "nobody"]).status.code(),
        Some(1)
    );
}

// ---- corpora listed on standard input ----

#[test]
fn docs_reads_a_list_of_paths_on_stdin() {
    let names: Vec<String> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let whole = json_lines(&ok(&run(&[
        "docs",
        "--json",
        &seeds().display().to_string(),
    ])));
    let lines = names.join("\n") + "\n";
    let listed = json_lines(&ok(&run_in(
        Some(&seeds()),
        &["docs", "-", "--json"],
        lines.as_bytes(),
        &[],
    )));
    assert_eq!(listed, whole);
    // NUL-separated, as find -print0 writes, in any order: the same.
    let nul: Vec<u8> = names
        .iter()
        .rev()
        .flat_map(|n| n.bytes().chain([0]))
        .collect();
    let out = run_in(Some(&seeds()), &["docs", "-", "-0", "--json"], &nul, &[]);
    assert_eq!(json_lines(&ok(&out)), whole);
    // Two of them, by absolute path: ids relative to their directory.
    let two = format!(
        "{}\n{}\n",
        seeds().join("003_5b508ec0a4167b81.txt").display(),
        seeds().join("001_7227ac1b26ab0799.txt").display()
    );
    let rows = json_lines(&ok(&run_in(
        None,
        &["docs", "-", "--json"],
        two.as_bytes(),
        &[],
    )));
    let ids: Vec<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        ["001_7227ac1b26ab0799.txt", "003_5b508ec0a4167b81.txt"]
    );
}

#[test]
fn a_listed_path_that_cannot_be_read_is_skipped_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Alpha headline\n\nThe TTP met.\n").unwrap();
    std::fs::write(dir.path().join("bin.txt"), b"x\0y").unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let list = "a.txt\nmissing.txt\nbin.txt\nsub\n\x1b[2Jevil.txt\n";
    let out = run_in(Some(dir.path()), &["docs", "-"], list.as_bytes(), &[]);
    let text = ok(&out);
    assert!(text.contains("a.txt"), "{text}");
    assert_eq!(text.lines().count(), 2, "{text}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("skipped 4 files"), "{err}");
    for name in ["missing.txt", "bin.txt", "sub", "␛[2Jevil.txt"] {
        assert!(err.contains(&format!("  {name}: ")), "{name}: {err}");
    }
    assert!(!err.contains('\x1b'), "{err}");
    // Nothing listed: an error.
    let out = run_in(Some(dir.path()), &["docs", "-"], b"\n", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the list of paths is empty"));
}

// ---- CSV ----

#[test]
fn entities_and_mentions_as_csv_match_their_json() {
    let json = json_lines(&ok(&run(&["entities", "--json"])));
    let (header, rows) = csv_rows(&ok(&run(&["entities", "--format", "csv"])));
    assert_eq!(
        header,
        ["id", "name", "kind", "aliases", "mentions", "documents"]
    );
    assert_eq!(rows.len(), json.len());
    for (row, j) in rows.iter().zip(&json) {
        assert_eq!(row[0], j["id"].as_str().unwrap());
        assert_eq!(row[4], j["mentions"].to_string());
        let aliases: Vec<&str> = j["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(row[3], aliases.join("; "));
    }
    let json = json_lines(&ok(&run(&["mentions", "--json"])));
    let (header, rows) = csv_rows(&ok(&run(&["mentions", "--format", "csv"])));
    assert_eq!(header[..4], ["doc", "start", "end", "text"]);
    assert_eq!(rows.len(), json.len());
    for (row, j) in rows.iter().zip(&json) {
        assert_eq!(row[0], j["doc"].as_str().unwrap());
        assert_eq!(row[1], j["start"].to_string());
        assert_eq!(row[3], j["text"].as_str().unwrap());
        assert_eq!(row[4], j["entity"].as_str().unwrap());
    }
    // A comma in a field is quoted, not a new column.
    assert!(rows.iter().any(|r| r[5] == "Washington, D.C."));
}

// ---- FollowTheMoney ----

fn ftm_id(parts: &[&str]) -> String {
    sha1_smol::Sha1::from(serde_json::to_string(parts).unwrap())
        .digest()
        .to_string()
}

#[test]
fn ftm_export_is_followthemoney_entities_with_stable_ids() {
    let text = ok(&run(&["export", "--format", "ftm"]));
    assert_eq!(
        text,
        ok(&run(&["export", "--format", "ftm"])),
        "stable across runs"
    );
    let lines = json_lines(&text);
    let required: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("Organization", &["name"][..]),
        ("Person", &["name"][..]),
        ("Event", &["name"][..]),
        ("Address", &["full"][..]),
        ("Document", &["fileName"][..]),
        ("Mention", &["document", "name", "resolved"][..]),
    ]);
    let mut ids = BTreeSet::new();
    let mut by_schema: BTreeMap<String, usize> = BTreeMap::new();
    for e in &lines {
        let id = e["id"].as_str().expect("id");
        assert!(
            id.len() == 40 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{id}"
        );
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        let schema = e["schema"].as_str().expect("schema");
        let props = e["properties"].as_object().expect("properties");
        for p in required
            .get(schema)
            .unwrap_or_else(|| panic!("schema {schema}"))
            .iter()
        {
            assert!(
                props
                    .get(*p)
                    .and_then(Value::as_array)
                    .is_some_and(|v| !v.is_empty()),
                "{schema} without {p}: {e}"
            );
        }
        for values in props.values() {
            assert!(
                values
                    .as_array()
                    .is_some_and(|v| v.iter().all(Value::is_string)),
                "{e}"
            );
        }
        *by_schema.entry(schema.to_string()).or_default() += 1;
    }
    assert_eq!(by_schema["Document"], 5);
    // Every reference names an entity of the file.
    for e in lines.iter().filter(|e| e["schema"] == "Mention") {
        for p in ["document", "resolved"] {
            let r = e["properties"][p][0].as_str().unwrap();
            assert!(ids.contains(r), "{p} {r}");
        }
    }
    // The TTP: an Organization, with a Mention in each document that names
    // it, carrying the names seen there.
    let ttp = ftm_id(&["dossier", "entity", TTP]);
    let org = lines
        .iter()
        .find(|e| e["id"] == ttp.as_str())
        .expect("the TTP");
    assert_eq!(org["schema"], "Organization");
    assert_eq!(org["properties"]["wikidataId"][0], "Q1049495");
    let docs: BTreeSet<String> = json_lines(&ok(&run(&["mentions", "--entity", TTP, "--json"])))
        .iter()
        .map(|m| m["doc"].as_str().unwrap().to_string())
        .collect();
    for d in &docs {
        let id = ftm_id(&["dossier", "mention", d, TTP]);
        let m = lines
            .iter()
            .find(|e| e["id"] == id.as_str())
            .unwrap_or_else(|| panic!("mention in {d}"));
        assert_eq!(
            m["properties"]["document"][0],
            ftm_id(&["dossier", "document", d]).as_str()
        );
        assert_eq!(m["properties"]["resolved"][0], ttp.as_str());
    }
    let names: BTreeSet<&str> = lines
        .iter()
        .filter(|e| e["schema"] == "Mention" && e["properties"]["resolved"][0] == ttp.as_str())
        .flat_map(|e| {
            e["properties"]["name"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
        })
        .collect();
    assert!(
        names.contains("TTP") && names.contains("Tehreek-e-Taliban Pakistan"),
        "{names:?}"
    );
}

#[test]
fn ftm_export_to_a_directory_is_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("aleph");
    let out = run(&[
        "export",
        "--format",
        "ftm",
        "--out",
        &out_dir.display().to_string(),
    ]);
    let said = ok(&out);
    assert!(
        said.starts_with("wrote ") && said.contains("5 documents"),
        "{said}"
    );
    let file = out_dir.join("entities.ftm.json");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, ok(&run(&["export", "--format", "ftm"])));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

// ---- configuration ----

fn with_config(config: &str, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dossier")).unwrap();
    std::fs::write(dir.path().join("dossier/config.toml"), config).unwrap();
    let conf = dir.path().display().to_string();
    run_in(None, args, b"", &[("XDG_CONFIG_HOME", &conf)])
}

#[test]
fn config_errors_name_the_file_and_the_line() {
    for (config, line, says) in [
        (
            "mouse = true\n[keys.global]\nquit = \"j\"\n",
            3,
            "j is bound to both quit and down",
        ),
        (
            "\ntheme = \"nope\"\n",
            2,
            "unknown theme \"nope\": not a built-in theme",
        ),
        ("kb = [\"missing.toml\"]\n", 1, "no such file"),
        ("color = \"sometimes\"\n", 1, "unknown variant"),
        (
            "\n\nmax_file_size = \"lots\"\n",
            3,
            "max_file_size: expected a size",
        ),
        ("max_file_size = 0\n", 1, "max_file_size: expected a size"),
    ] {
        // The check, the reader (before it touches the terminal) and a
        // command that reads the config all say the same.
        for args in [&["config"][..], &[][..], &["docs"][..]] {
            let out = with_config(config, args);
            assert_eq!(out.status.code(), Some(1), "{config:?} {args:?}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.contains(&format!("config.toml:{line}: ")),
                "{config:?} {args:?}: {err}"
            );
            assert!(err.contains(says), "{err}");
        }
    }
    let out = with_config("theme = \"light\"\n", &["config"]);
    assert!(ok(&out).trim_end().ends_with("config.toml: ok"));
}

#[test]
fn the_default_config_is_valid_and_a_config_kb_applies() {
    let default = ok(&run(&["config", "--default"]));
    assert!(default.contains("# [keys.global]"));
    let out = with_config(&default, &["config"]);
    assert!(ok(&out).contains(": ok"));
    // kb in the config: the energy KB without --kb.
    let (kb, articles) = energy();
    let config = format!("kb = [{}]\n", serde_json::to_string(&kb).unwrap());
    let with = json_lines(&ok(&with_config(
        &config,
        &["entities", "--json", "--no-default-kb", &articles],
    )));
    let by_flag = json_lines(&ok(&run(&[
        "entities",
        "--json",
        "--no-default-kb",
        "--kb",
        &kb,
        &articles,
    ])));
    assert_eq!(with, by_flag);
    assert!(with.iter().any(|e| e["id"] == "totalenergies"));
}

#[test]
fn the_config_sets_the_largest_file_read() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    std::fs::write(corpus.join("small.txt"), "The TTP struck in Bannu.\n").unwrap();
    let big = format!(
        "Long report\n\n{}",
        "The TTP struck in Bannu again. ".repeat(100)
    );
    std::fs::write(corpus.join("big.txt"), &big).unwrap();
    let path = corpus.display().to_string();
    // By default both are read.
    let ids = |out: &Output| -> Vec<String> {
        json_lines(&ok(out))
            .iter()
            .map(|d| d["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        ids(&with_config("", &["docs", "--json", "--no-cache", &path])),
        ["big.txt", "small.txt"]
    );
    // With a cap of 1 KiB the big one is skipped, with its reason.
    let out = with_config(
        "max_file_size = \"1 KiB\"\n",
        &["docs", "--json", "--no-cache", &path],
    );
    assert_eq!(ids(&out), ["small.txt"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("big.txt") && err.contains("limit 1 KiB"),
        "{err}"
    );
    // A number of bytes works as well.
    let out = with_config(
        "max_file_size = 1024\n",
        &["docs", "--json", "--no-cache", &path],
    );
    assert_eq!(ids(&out), ["small.txt"]);
}

// ---- the example knowledge base ----

#[test]
fn the_energy_example_links_its_companies_across_articles() {
    let (kb, articles) = energy();
    let args = |cmd: &[&str]| {
        let mut a: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
        a.extend([
            "--no-default-kb".into(),
            "--kb".into(),
            kb.clone(),
            articles.clone(),
        ]);
        a
    };
    let a = args(&["docs", "--json"]);
    let docs = json_lines(&ok(&run(&a.iter().map(String::as_str).collect::<Vec<_>>())));
    assert_eq!(docs.len(), 3);
    let a = args(&["xref", "Total", "--json"]);
    let total = json_lines(&ok(&run(&a.iter().map(String::as_str).collect::<Vec<_>>())));
    let forms: BTreeSet<&str> = total.iter().filter_map(|m| m["text"].as_str()).collect();
    assert_eq!(forms, BTreeSet::from(["Total", "TotalEnergies"]));
    let a = args(&["xref", "uniper", "--json"]);
    let uniper = json_lines(&ok(&run(&a.iter().map(String::as_str).collect::<Vec<_>>())));
    let in_docs: BTreeSet<&str> = uniper.iter().filter_map(|m| m["doc"].as_str()).collect();
    assert_eq!(in_docs.len(), 2, "{uniper:?}");
    let a = args(&["mentions", "--entity", "uniper", "--json"]);
    let mentions = json_lines(&ok(&run(&a.iter().map(String::as_str).collect::<Vec<_>>())));
    assert_eq!(uniper.len(), mentions.len());
}

// ---- hostile text ----

#[test]
fn document_bytes_never_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Evil\x1b]0;title\x07 headline\n\nThe TTP met \x1b[2J=cmd\u{9b}31m in Swat.\n",
    )
    .unwrap();
    let path = dir.path().display().to_string();
    for args in [
        &["show", "a.txt", &path][..],
        &["show", "a.txt", "--markup", "brackets", &path],
        &["xref", "TTP", &path],
        &["xref", "TTP", "--format", "csv", &path],
        &["xref", "TTP", "--format", "markdown", &path],
        &["mentions", "--format", "csv", &path],
        &["entities", "--format", "csv", &path],
        &["docs", "--format", "csv", &path],
        &["export", "--format", "ftm", &path],
    ] {
        let text = ok(&run(args));
        assert!(
            !text.contains(['\x1b', '\x07', '\u{9b}']),
            "{args:?}: {text:?}"
        );
    }
    // With colour asked for, the only escapes are SGR ones.
    let text = ok(&run(&["show", "a.txt", "--color", "always", &path]));
    for (i, _) in text.match_indices('\x1b') {
        let rest = &text[i + 1..];
        let end = rest.find('m').expect("an SGR sequence");
        assert!(
            rest.starts_with('[')
                && rest[1..end]
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b';'),
            "{rest:?}"
        );
    }
}
