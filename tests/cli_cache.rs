//! The on-disk index cache, through the binary: a second start on an
//! unchanged corpus reuses the analysis and prints exactly what a cold start
//! prints; any change to a file, the set of files or a knowledge base
//! rebuilds it; a damaged, truncated or foreign cache is ignored and
//! rebuilt, never trusted.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(
            corpus.join("a.txt"),
            "First report\n\nThe Zorblax Front (ZF) struck near Kabul. The TTP denied it.\n",
        )
        .unwrap();
        std::fs::write(
            corpus.join("b.txt"),
            "Second report\n\nThe ZF and the TTP met in Peshawar, said Qasim Durrani.\n",
        )
        .unwrap();
        Setup { dir }
    }

    fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("cache").join("dossier")
    }

    /// The one cache file (its word signatures and digest, beside it,
    /// aside).
    fn cache_file(&self) -> PathBuf {
        let files: Vec<PathBuf> = std::fs::read_dir(self.cache_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_none_or(|e| e != "words" && e != "digest"))
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        files[0].clone()
    }

    /// `dossier mentions --json CORPUS EXTRA…`: (stdout, stderr).
    fn mentions(&self, extra: &[&str]) -> (String, String) {
        let corpus = self.corpus();
        let mut args = vec!["mentions", "--json", corpus.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    /// `dossier ARGS…` with this setup's cache and data: (stdout, stderr).
    fn run(&self, args: &[&str]) -> (String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(args)
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// What a start without the cache prints.
    fn cold(&self, extra: &[&str]) -> String {
        let mut args = extra.to_vec();
        args.push("--no-cache");
        self.mentions(&args).0
    }
}

/// A change made to the corpus directory.
type Step = Box<dyn Fn(&Path)>;

/// The identity of a file: a rewrite (by rename) changes it.
fn ino(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().ino()
}

#[test]
fn a_warm_start_reuses_the_cache_and_prints_the_same() {
    let s = Setup::new();
    let (first, _) = s.mentions(&[]);
    let file = s.cache_file();
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(s.cache_dir()).unwrap().mode() & 0o777,
        0o700
    );
    // The word signatures lie beside it, as private.
    let words = dossier::index::words::path_beside(&file);
    assert_eq!(std::fs::metadata(&words).unwrap().mode() & 0o777, 0o600);
    let before = ino(&file);
    let words_before = ino(&words);
    let (second, err) = s.mentions(&[]);
    assert_eq!(second, first);
    assert_eq!(ino(&file), before, "a hit must not rewrite the cache");
    assert_eq!(ino(&words), words_before, "nor its signatures");
    assert!(err.is_empty(), "{err}");
    assert_eq!(first, s.cold(&[]));
    assert!(first.contains("\"text\":\"Zorblax Front\""), "{first}");
}

#[test]
fn a_changed_added_or_removed_file_rebuilds() {
    let s = Setup::new();
    s.mentions(&[]);
    let mut last = ino(&s.cache_file());
    let steps: Vec<Step> = vec![
        // Same size, other content.
        Box::new(|c| {
            let t = std::fs::read_to_string(c.join("a.txt")).unwrap();
            std::fs::write(c.join("a.txt"), t.replace("Kabul", "Herat")).unwrap();
        }),
        Box::new(|c| {
            std::fs::write(c.join("c.txt"), "Third\n\nThe Zorblax Front again.\n").unwrap();
        }),
        Box::new(|c| std::fs::remove_file(c.join("b.txt")).unwrap()),
    ];
    for step in steps {
        step(&s.corpus());
        let (warm, _) = s.mentions(&[]);
        assert_eq!(warm, s.cold(&[]));
        let now = ino(&s.cache_file());
        assert_ne!(now, last, "the cache was not rebuilt");
        last = now;
    }
}

#[test]
fn a_changed_knowledge_base_rebuilds() {
    let s = Setup::new();
    let kb = s.dir.path().join("kb.toml");
    std::fs::write(
        &kb,
        "[[entity]]\nid = \"zf\"\nname = \"Zorblax Front\"\nkind = \"group\"\n",
    )
    .unwrap();
    let kb_arg = kb.to_str().unwrap();
    let (with_kb, _) = s.mentions(&["--kb", kb_arg]);
    assert!(with_kb.contains("\"entity\":\"zf\""));
    std::fs::write(
        &kb,
        "[[entity]]\nid = \"zf\"\nname = \"Zorblax Front\"\nkind = \"group\"\naliases = [\"ZF\"]\n",
    )
    .unwrap();
    let (changed, _) = s.mentions(&["--kb", kb_arg]);
    assert_eq!(changed, s.cold(&["--kb", kb_arg]));
    assert_ne!(changed, with_kb);
    // And without the default knowledge base.
    let (no_default, _) = s.mentions(&["--no-default-kb"]);
    assert_eq!(no_default, s.cold(&["--no-default-kb"]));
}

#[test]
fn a_damaged_truncated_or_foreign_cache_is_ignored_and_rebuilt() {
    let s = Setup::new();
    let (good, _) = s.mentions(&[]);
    let file = s.cache_file();
    let original = std::fs::read(&file).unwrap();
    let mut flipped = original.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x55;
    let mut other_version = original.clone();
    other_version[14] = other_version[14].wrapping_add(1); // the format number
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("damaged", flipped),
        ("truncated", original[..original.len() / 2].to_vec()),
        ("another version", other_version),
        ("not a cache", b"hello".to_vec()),
        ("empty", Vec::new()),
    ];
    for (what, bytes) in cases {
        std::fs::write(&file, &bytes).unwrap();
        let (out, err) = s.mentions(&[]);
        assert_eq!(out, good, "{what}");
        assert!(
            err.contains("index cache ignored and rebuilt"),
            "{what}: {err}"
        );
        assert_eq!(
            std::fs::read(&file).unwrap(),
            original,
            "{what}: not rebuilt"
        );
    }
}

#[test]
fn a_cache_directory_others_can_write_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    std::fs::create_dir_all(s.cache_dir()).unwrap();
    std::fs::set_permissions(s.cache_dir(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let (out, err) = s.mentions(&[]);
    assert_eq!(out, s.cold(&[]));
    assert!(err.contains("index cache not written"), "{err}");
    assert!(err.contains("can be written by"), "{err}");
    assert_eq!(std::fs::read_dir(s.cache_dir()).unwrap().count(), 0);
}

/// A warm start keeps the texts on disk and reads each when it is used: an
/// export, which reads them all, writes exactly what a cold start writes;
/// and `docs` gives the same lengths without the texts.
#[test]
fn a_warm_start_reads_texts_when_used() {
    let s = Setup::new();
    s.mentions(&[]);
    let run = |args: &[&str]| s.run(args).0;
    let corpus = s.corpus();
    let corpus = corpus.to_str().unwrap();
    for format in ["brat", "doccano", "conll"] {
        let warm = s.dir.path().join(format!("warm-{format}"));
        let cold = s.dir.path().join(format!("cold-{format}"));
        run(&[
            "export",
            corpus,
            "--format",
            format,
            "--out",
            warm.to_str().unwrap(),
        ]);
        run(&[
            "export",
            corpus,
            "--format",
            format,
            "--no-cache",
            "--out",
            cold.to_str().unwrap(),
        ]);
        let mut names: Vec<_> = std::fs::read_dir(&cold)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert!(!names.is_empty());
        for n in names {
            let (w, c) = (
                std::fs::read(warm.join(&n)).unwrap(),
                std::fs::read(cold.join(&n)).unwrap(),
            );
            assert_eq!(w, c, "{format}: {n:?}");
        }
        assert!(
            std::fs::read_to_string(warm.join(match format {
                "brat" => "a.txt",
                "doccano" => "doccano.jsonl",
                _ => "conll.txt",
            }))
            .unwrap()
            .contains("Zorblax")
        );
    }
    assert_eq!(run(&["docs", corpus]), run(&["docs", corpus, "--no-cache"]));
}

#[test]
fn word_signatures_are_read_only_when_a_decision_needs_them_and_made_again_if_missing() {
    let s = Setup::new();
    s.mentions(&[]);
    let words = dossier::index::words::path_beside(&s.cache_file());
    assert!(words.exists());
    std::fs::remove_file(&words).unwrap();
    // A restart reads (and makes) none of them.
    s.mentions(&[]);
    assert!(!words.exists());
    // A decision about a text needs them: they are made and kept.
    let decisions = s.dir.path().join("decisions.jsonl");
    std::fs::write(
        &decisions,
        r#"{"op":"link_text","text":"Qasim Durrani","entity":"qasim-durrani","new":{"id":"qasim-durrani","name":"Qasim Durrani","kind":"person"}}"#,
    )
    .unwrap();
    let corpus = s.corpus();
    s.run(&[
        "import",
        decisions.to_str().unwrap(),
        corpus.to_str().unwrap(),
        "--format",
        "decisions",
    ]);
    assert!(words.exists());
    let (after, _) = s.mentions(&[]);
    assert!(after.contains("qasim-durrani"), "{after}");
}
