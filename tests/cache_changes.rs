//! A corpus opened through the index cache after some of its files changed:
//! only the changed files are analysed again (the engine's digest beside
//! the cache says what the corpus-wide stages read of the others), and the
//! result is exactly what a start without the cache gives.
//!
//! One test in its own process: it points `XDG_CACHE_HOME` at a temporary
//! directory before anything reads it.

use dossier::entity::Progress;
use dossier::index::Index;
use dossier::load::{OpenOptions, open_base};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Every mention of the index with its surface form, and every entity.
fn contents(index: &Index) -> (Vec<(dossier::entity::Mention, String)>, Vec<String>) {
    let mut mentions = Vec::new();
    for d in 0..index.docs().len() as u32 {
        for (i, m) in index.doc_mentions(d).iter().enumerate() {
            mentions.push((*m, index.form(d, i).to_string()));
        }
    }
    let entities = index
        .entities()
        .iter()
        .map(|e| format!("{} {} {:?} {:?}", e.id, e.name, e.kind, e.aliases))
        .collect();
    (mentions, entities)
}

/// Opens `corpus` with the cache (or without), with the progress reports.
fn open(corpus: &Path, cache: bool) -> (Index, Vec<Progress>) {
    let opts = OpenOptions {
        path: Some(corpus.to_path_buf()),
        cache,
        ..OpenOptions::default()
    };
    let mut seen = Vec::new();
    let index = open_base(&opts, &mut |p| seen.push(p)).unwrap();
    (index, seen)
}

/// How many documents were analysed again, if the earlier analysis was
/// used.
fn again(seen: &[Progress]) -> Option<(usize, usize)> {
    seen.iter()
        .find(|p| p.stage == "re-analysing")
        .map(|p| (p.done, p.total))
}

/// Opens `corpus` through the cache, checks that it gives what a start
/// without the cache gives (`what` says when), and says how many documents
/// were analysed again, if the earlier analysis was used.
fn warm_as_cold(corpus: &Path, what: &str) -> Option<(usize, usize)> {
    let (warm, seen) = open(corpus, true);
    let (cold, _) = open(corpus, false);
    assert_eq!(contents(&warm), contents(&cold), "{what}");
    again(&seen)
}

fn digest_of(cache_home: &Path) -> PathBuf {
    let dir = cache_home.join("dossier");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "digest"))
        .expect("a digest beside the cache")
}

#[test]
fn changed_added_and_removed_files_are_analysed_alone_and_give_what_a_cold_start_gives() {
    let home = tempfile::tempdir().unwrap();
    let cache_home = home.path().join("cache");
    // SAFETY: the only test of this process, before any thread is started.
    unsafe {
        std::env::set_var("XDG_CACHE_HOME", &cache_home);
        std::env::set_var("XDG_DATA_HOME", home.path().join("data"));
    }
    let corpus = home.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev/corpus");
    for e in std::fs::read_dir(fixtures).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, corpus.join(p.file_name().unwrap())).unwrap();
    }
    let n = std::fs::read_dir(&corpus).unwrap().count();
    let (first, seen) = open(&corpus, true);
    assert_eq!(again(&seen), None, "nothing cached yet: analysed whole");
    let digest = digest_of(&cache_home);
    assert_eq!(
        std::fs::metadata(&digest).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(contents(&first).0.len() > 500);
    // The word signatures were kept beside the cache and let go: they are
    // read back when first asked for, as after a restart.
    let slot = &first.corpus().words;
    assert_eq!(format!("{slot:?}"), "WordSlot(not yet)");
    assert_eq!(slot.get().map(|s| s.len()), Some(n));
    // With no cache to keep them in, they are held.
    let (uncached, _) = open(&corpus, false);
    assert_eq!(
        format!("{:?}", uncached.corpus().words),
        format!("WordSlot({n} documents)")
    );

    let file = |name: &str| corpus.join(name);
    let append = |name: &str, more: &str| {
        let mut t = std::fs::read_to_string(file(name)).unwrap();
        t.push_str(more);
        std::fs::write(file(name), t).unwrap();
    };
    // (what, the change, documents there will be, most analysed again)
    type Change<'a> = (&'a str, Box<dyn Fn() + 'a>, usize, usize);
    let changes: Vec<Change> = vec![
        (
            "a new person named in one file",
            Box::new(|| {
                append(
                    "03_toi_kp_attacks.txt",
                    "\n\nThe analyst Zarina Quddusi told reporters the talks had stalled. Quddusi added more.\n",
                )
            }),
            n,
            1,
        ),
        (
            "a file added",
            Box::new(|| {
                std::fs::write(
                    file("zz_new.txt"),
                    "Talks stall\n\nThe TTP said on Monday that Zarina Quddusi was wrong. Police in Bannu disagreed.\n",
                )
                .unwrap()
            }),
            n + 1,
            3,
        ),
        (
            "a file removed",
            Box::new(|| std::fs::remove_file(file("zz_new.txt")).unwrap()),
            n,
            3,
        ),
        (
            "a file changed back",
            Box::new(|| {
                std::fs::copy(
                    Path::new(fixtures).join("03_toi_kp_attacks.txt"),
                    file("03_toi_kp_attacks.txt"),
                )
                .unwrap();
            }),
            n,
            3,
        ),
    ];
    for (what, change, docs, most) in changes {
        change();
        let again = warm_as_cold(&corpus, what);
        let (done, total) = again.unwrap_or_else(|| panic!("{what}: analysed whole"));
        assert_eq!(total, docs, "{what}");
        assert!(done <= most, "{what}: {done} of {total} analysed again");
    }

    // A new definition teaches the engine something: the corpus is
    // analysed whole, and still right.
    append(
        "01_dawn_dikhan_police.txt",
        "\n\nThe Harkat Liberation Front (HLF) claimed it. The HLF said more.\n",
    );
    let what = "a new definition: analysed whole";
    assert_eq!(warm_as_cold(&corpus, what), None, "{what}");

    // A damaged digest is not trusted: analysed whole, and written again.
    let mut bytes = std::fs::read(&digest).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&digest, &bytes).unwrap();
    append(
        "02_devdiscourse_bannu_police.txt",
        "\n\nPolice said little.\n",
    );
    let what = "a damaged digest: analysed whole";
    assert_eq!(warm_as_cold(&corpus, what), None, "{what}");
    assert_ne!(std::fs::read(&digest).unwrap(), bytes, "written again");
    // And the next change is analysed alone again.
    append(
        "02_devdiscourse_bannu_police.txt",
        "\n\nOfficials said less.\n",
    );
    let again = warm_as_cold(&corpus, "the next change");
    assert!(again.is_some_and(|(done, _)| done <= 3));
}
