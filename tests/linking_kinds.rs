//! The kinds of link that a real corpus needs beyond a knowledge base's
//! exact names: other written forms of a known name, names that context
//! decides, events named by description, generic names of a country's
//! bodies, and near-miss spellings. Every text here was written for these
//! tests.

use dossier::corpus::{Corpus, load_embedded};
use dossier::entity::{Analysis, Engine, KnowledgeBase, Source};
use std::path::Path;

fn analyse(kb_toml: &str, files: &[(&str, &str)]) -> (Corpus, Analysis) {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    let corpus = load_embedded("test", &files);
    let mut kb = KnowledgeBase::new();
    kb.add_toml(Path::new("t.toml"), kb_toml).unwrap();
    let a = Engine::new(kb).analyse(&corpus);
    (corpus, a)
}

/// (document, text, entity id, source) of every mention.
fn rows(c: &Corpus, a: &Analysis) -> Vec<(String, String, String, Source)> {
    a.mentions
        .iter()
        .map(|m| {
            let d = &c.docs[m.doc as usize];
            (
                d.id.clone(),
                d.text[m.range()].to_string(),
                a.entities[m.entity as usize].id.clone(),
                m.source,
            )
        })
        .collect()
}

/// The entity and source of the first mention with this text in this document.
fn link(
    rows: &[(String, String, String, Source)],
    doc: &str,
    text: &str,
) -> Option<(String, Source)> {
    rows.iter()
        .find(|r| r.0 == doc && r.1 == text)
        .map(|r| (r.2.clone(), r.3))
}

fn entity(id: &str, name: &str, kind: &str, extra: &str) -> String {
    format!("[[entity]]\nid = \"{id}\"\nname = \"{name}\"\nkind = \"{kind}\"\n{extra}\n")
}

// Kind 5: word-order, translated and particle forms.

#[test]
fn particles_written_any_way_link_to_the_known_name() {
    let kb = [
        entity("let", "Lashkar-e-Taiba", "group", ""),
        entity("hm", "Hizb-ul-Mujahideen", "group", ""),
        entity("mazar", "Mazar-i-Sharif", "place", ""),
    ]
    .concat();
    let (c, a) = analyse(
        &kb,
        &[(
            "a.txt",
            "Title line\n\nPolice blamed Lashkar-i-Taiba for the raid; some reports named Lashkar Taiba. \
             Hizbul Mujahideen denied it, and a Hizb al-Mujahideen cell in Mazar-e-Sharif was broken up.",
        )],
    );
    let r = rows(&c, &a);
    for (text, id) in [
        ("Lashkar-i-Taiba", "let"),
        ("Lashkar Taiba", "let"),
        ("Hizbul Mujahideen", "hm"),
        ("Hizb al-Mujahideen", "hm"),
        ("Mazar-e-Sharif", "mazar"),
    ] {
        assert_eq!(
            link(&r, "a.txt", text),
            Some((id.into(), Source::Rule)),
            "{text}: {r:?}"
        );
    }
}

#[test]
fn organisations_are_found_in_either_word_order() {
    let kb = [
        entity(
            "flb",
            "Front for the Liberation of Baluchistan",
            "group",
            "",
        ),
        entity("imu", "Uzbekistan Islamic Movement", "group", ""),
        entity("bank", "Bank of Kabul", "org", ""),
    ]
    .concat();
    let (c, a) = analyse(
        &kb,
        &[(
            "a.txt",
            "Title line\n\nThe Baluchistan Liberation Front claimed the blast. The Islamic Movement of Uzbekistan \
             was quiet. A Kabul Bank branch was closed.",
        )],
    );
    let r = rows(&c, &a);
    assert_eq!(
        link(&r, "a.txt", "Baluchistan Liberation Front"),
        Some(("flb".into(), Source::Rule)),
        "{r:?}"
    );
    assert_eq!(
        link(&r, "a.txt", "Islamic Movement of Uzbekistan"),
        Some(("imu".into(), Source::Rule))
    );
    // A bank is not an organisation's head noun: its words keep their order.
    assert!(!r.iter().any(|x| x.2 == "bank"), "{r:?}");
}

#[test]
fn a_trailing_country_reads_as_a_demonym_without_any_knowledge_base() {
    let (c, a) = analyse(
        "",
        &[
            (
                "a.txt",
                "Title line\n\nThe Tehreek-e-Taliban Pakistan (TTP) claimed the attack in Bannu on Monday.",
            ),
            (
                "b.txt",
                "Title line\n\nOfficials said the Pakistani Taliban had regrouped, and the Pakistani-Talbann too.",
            ),
        ],
    );
    let r = rows(&c, &a);
    let ttp = link(&r, "a.txt", "TTP").unwrap().0;
    assert_eq!(
        link(&r, "a.txt", "Tehreek-e-Taliban Pakistan").unwrap().0,
        ttp
    );
    assert_eq!(
        link(&r, "b.txt", "Pakistani Taliban"),
        Some((ttp.clone(), Source::Rule)),
        "{r:?}"
    );
}

#[test]
fn a_branch_is_known_by_every_name_of_its_parent() {
    let kb = [
        entity(
            "is",
            "Islamic State",
            "group",
            "aliases = [\"ISIL\", \"Daesh\"]",
        ),
        entity(
            "isk",
            "Islamic State Khorasan Province",
            "group",
            "aliases = [\"ISKP\"]",
        ),
        entity("ispp", "Islamic State Pakistan Province", "group", ""),
    ]
    .concat();
    let (c, a) = analyse(
        &kb,
        &[(
            "a.txt",
            "Title line\n\nDaesh Khorasan and ISIL-K are one group; Daesh Pakistan Province is another. Daesh itself is older.",
        )],
    );
    let r = rows(&c, &a);
    assert_eq!(
        link(&r, "a.txt", "Daesh Khorasan"),
        Some(("isk".into(), Source::Rule)),
        "{r:?}"
    );
    assert_eq!(
        link(&r, "a.txt", "ISIL-K"),
        Some(("isk".into(), Source::Rule))
    );
    assert_eq!(
        link(&r, "a.txt", "Daesh Pakistan Province"),
        Some(("ispp".into(), Source::Rule))
    );
    assert_eq!(link(&r, "a.txt", "Daesh"), Some(("is".into(), Source::Kb)));
}
