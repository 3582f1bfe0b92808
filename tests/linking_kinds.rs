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
            "aliases = [\"ISKP\", \"IS-K\"]",
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

// Kind 1: names that context decides.

fn shared_names_kb() -> String {
    [
        entity("pakistan", "Pakistan", "place", ""),
        entity("afghanistan", "Afghanistan", "place", ""),
        entity("bannu", "Bannu", "place", "country = \"pakistan\""),
        entity("taliban", "Taliban", "group", ""),
        entity(
            "afghan-taliban",
            "Afghan Taliban",
            "group",
            "aliases = [\"Islamic Emirate\"]\ncountry = \"afghanistan\"\nambiguous = [\"Taliban\"]",
        ),
        entity(
            "ttp",
            "Tehrik-i-Taliban Pakistan",
            "group",
            "aliases = [\"TTP\"]\ncountry = \"pakistan\"\nambiguous = [\"Taliban\"]",
        ),
        entity(
            "haqqani-network",
            "Haqqani Network",
            "group",
            "aliases = [\"Haqqanis\"]\nambiguous = [\"Haqqani\"]",
        ),
        entity(
            "jalaluddin-haqqani",
            "Jalaluddin Haqqani",
            "person",
            "ambiguous = [\"Haqqani\"]",
        ),
    ]
    .concat()
}

#[test]
fn a_shared_name_goes_where_the_entities_around_it_point() {
    let (c, a) = analyse(
        &shared_names_kb(),
        &[
            (
                "ttp.txt",
                "Title line\n\nThe TTP struck a checkpoint in Bannu. The Taliban said more would follow.",
            ),
            (
                "iea.txt",
                "Title line\n\nOfficials of the Islamic Emirate met donors. The Taliban said the border would reopen.",
            ),
            (
                "bare.txt",
                "Title line\n\nThe Taliban were mentioned in passing.",
            ),
        ],
    );
    let r = rows(&c, &a);
    assert_eq!(
        link(&r, "ttp.txt", "Taliban"),
        Some(("ttp".into(), Source::Context)),
        "{r:?}"
    );
    assert_eq!(
        link(&r, "iea.txt", "Taliban"),
        Some(("afghan-taliban".into(), Source::Context))
    );
    // Context says nothing: the bare name keeps its own entity.
    assert_eq!(
        link(&r, "bare.txt", "Taliban"),
        Some(("taliban".into(), Source::Kb))
    );
}

#[test]
fn a_name_shared_by_a_person_and_a_group_is_decided_by_cue_words() {
    let (c, a) = analyse(
        &shared_names_kb(),
        &[
            (
                "person.txt",
                "Title line\n\nThe old commander was ill. Haqqani said he would not travel.",
            ),
            (
                "group.txt",
                "Title line\n\nThe Haqqanis claimed the raid. Officials blamed Haqqani fighters for the blast.",
            ),
            ("none.txt", "Title line\n\nA report on Haqqani appeared."),
        ],
    );
    let r = rows(&c, &a);
    assert_eq!(
        link(&r, "person.txt", "Haqqani"),
        Some(("jalaluddin-haqqani".into(), Source::Context)),
        "{r:?}"
    );
    assert_eq!(
        link(&r, "group.txt", "Haqqani"),
        Some(("haqqani-network".into(), Source::Context))
    );
    // No one owns the name plainly and nothing decides: no link to
    // either entity (a spelling suggestion at most).
    let none = link(&r, "none.txt", "Haqqani");
    assert!(
        none.as_ref()
            .is_none_or(|l| l.1.is_suggestion() || !l.0.contains("haqqani")),
        "{r:?}"
    );
}

// Kind 6: generic names of a country's bodies.

fn bodies_kb() -> String {
    [
        entity("pakistan", "Pakistan", "place", ""),
        entity("afghanistan", "Afghanistan", "place", ""),
        entity("quetta", "Quetta", "place", "country = \"pakistan\""),
        entity("kabul", "Kabul", "place", "country = \"afghanistan\""),
        entity(
            "moi-pk",
            "Ministry of Interior (Pakistan)",
            "org",
            "country = \"pakistan\"\ngeneric = [\"Interior Ministry\", \"Foreign Office\"]",
        ),
        entity(
            "moi-af",
            "Ministry of Interior Affairs (Afghanistan)",
            "org",
            "country = \"afghanistan\"\ngeneric = [\"Interior Ministry\"]",
        ),
    ]
    .concat()
}

#[test]
fn a_generic_name_is_the_body_of_the_articles_country() {
    let (c, a) = analyse(
        &bodies_kb(),
        &[
            (
                "pk.txt",
                "Title line\n\nPolice in Quetta and officials across Pakistan were alert. The Interior Ministry said so.",
            ),
            (
                "af.txt",
                "Title line\n\nIn Kabul, the Interior Ministry said the road to Kabul was open.",
            ),
            (
                "local.txt",
                "Title line\n\nIn Quetta, Pakistan, the Afghan Interior Ministry was blamed by Quetta traders.",
            ),
            (
                "foreign.txt",
                "Title line\n\nIn Quetta, the Indian Interior Ministry was quoted.",
            ),
            (
                "none.txt",
                "Title line\n\nThe Interior Ministry said nothing.",
            ),
            (
                "lower.txt",
                "Title line\n\nIn Quetta the interior ministry of a province met.",
            ),
            (
                "longer.txt",
                "Title line\n\nPolice in Quetta, Pakistan, met. The Interior Ministry Staff Union and the \
                 Balochistan Interior Ministry protested.",
            ),
        ],
    );
    let r = rows(&c, &a);
    assert_eq!(
        link(&r, "pk.txt", "Interior Ministry"),
        Some(("moi-pk".into(), Source::Context)),
        "{r:?}"
    );
    assert_eq!(
        link(&r, "af.txt", "Interior Ministry"),
        Some(("moi-af".into(), Source::Context))
    );
    assert_eq!(
        link(&r, "local.txt", "Interior Ministry"),
        Some(("moi-af".into(), Source::Context))
    );
    for doc in ["foreign.txt", "none.txt", "lower.txt", "longer.txt"] {
        assert!(
            !r.iter()
                .any(|x| x.0 == doc && (x.2 == "moi-pk" || x.2 == "moi-af")),
            "{doc}: {r:?}"
        );
    }
}

// Kind 2: events named by description.

fn events_kb() -> String {
    [
        entity("quetta", "Quetta", "place", ""),
        entity(
            "qhb",
            "Quetta Civil Hospital attack",
            "event",
            "place = \"quetta\"\ndate = \"2016-08-08\"\nevent_type = \"suicide-bombing\"",
        ),
        entity(
            "hazarganji",
            "Hazarganji market bombing",
            "event",
            "place = \"quetta\"\ndate = \"2019-04-12\"\nevent_type = \"bombing\"",
        ),
    ]
    .concat()
}

#[test]
fn an_event_named_by_place_year_and_type_links_to_the_one_that_fits() {
    let (c, a) = analyse(
        &events_kb(),
        &[(
            "a.txt",
            "Title line\n\nThe 2016 Quetta bombing killed dozens of lawyers. Survivors of the hospital attack in Quetta \
             spoke later. The 2019 Quetta bombings hit a market.\n\nThe Quetta blast was one of many. A 2012 Quetta attack \
             is unknown here.\n\nIn August 2016, twin suicide bombings at Quetta shook the city.",
        )],
    );
    let r = rows(&c, &a);
    assert_eq!(
        link(&r, "a.txt", "2016 Quetta bombing"),
        Some(("qhb".into(), Source::Context)),
        "{r:?}"
    );
    assert_eq!(
        link(&r, "a.txt", "hospital attack in Quetta"),
        Some(("qhb".into(), Source::Context))
    );
    assert_eq!(
        link(&r, "a.txt", "2019 Quetta bombings"),
        Some(("hazarganji".into(), Source::Context))
    );
    assert_eq!(
        link(&r, "a.txt", "twin suicide bombings at Quetta"),
        Some(("qhb".into(), Source::Context))
    );
    // Two events fit, or none: the place stays a place.
    for (text, _) in [("Quetta blast", ()), ("2012 Quetta attack", ())] {
        assert!(link(&r, "a.txt", text).is_none(), "{text}: {r:?}");
    }
    assert_eq!(
        r.iter()
            .filter(|x| x.1 == "Quetta" && x.2 == "quetta")
            .count(),
        2,
        "{r:?}"
    );
}

#[test]
fn a_bare_group_name_is_the_one_group_named_around_it_that_holds_it() {
    let kb = [
        entity("taliban", "Taliban", "group", ""),
        entity("afghan-taliban", "Afghan Taliban", "group", ""),
        entity(
            "ttp",
            "Tehrik-i-Taliban Pakistan",
            "group",
            "aliases = [\"TTP\"]",
        ),
        entity("is", "Islamic State", "group", ""),
        entity(
            "isk",
            "Islamic State Khorasan Province",
            "group",
            "aliases = [\"ISKP\"]",
        ),
    ]
    .concat();
    let (c, a) = analyse(
        &kb,
        &[
            (
                "one.txt",
                "Title line\n\nThe Afghan Taliban took Kabul in August. Later the Taliban named a cabinet.\n\n\
                 In another paragraph the Taliban met.",
            ),
            (
                "two.txt",
                "Title line\n\nThe Afghan Taliban and the Tehrik-i-Taliban Pakistan met.\n\nThe Taliban said nothing.\n\n\
                 Tehrik-i-Taliban Pakistan fighters crossed over. The Taliban of Swat joined them.\n\n\
                 In Kabul the Taliban and the Afghan Taliban are one; the Taliban and the TTP are two.",
            ),
            (
                "is.txt",
                "Title line\n\nIslamic State fighters were seen. Islamic State Khorasan Province claimed the blast. \
                 Islamic State fighters were seen. ISKP is an affiliate of Islamic State.",
            ),
        ],
    );
    let r = rows(&c, &a);
    let one: Vec<_> = r
        .iter()
        .filter(|x| x.0 == "one.txt" && x.1 == "Taliban")
        .map(|x| (x.2.as_str(), x.3))
        .collect();
    assert_eq!(
        one,
        [("afghan-taliban", Source::Context), ("taliban", Source::Kb)],
        "{r:?}"
    );
    // Two groups in the document: the paragraph decides, or nothing does.
    let two: Vec<_> = r
        .iter()
        .filter(|x| x.0 == "two.txt" && x.1 == "Taliban")
        .collect();
    assert_eq!(two.len(), 4, "{r:?}");
    assert_eq!((two[0].2.as_str(), two[0].3), ("taliban", Source::Kb));
    assert_eq!((two[1].2.as_str(), two[1].3), ("ttp", Source::Context));
    // A group named later in the same sentence is another group; one named
    // in both the paragraph and the document is not enough.
    assert_eq!((two[2].2.as_str(), two[2].3), ("taliban", Source::Kb));
    assert_eq!((two[3].2.as_str(), two[3].3), ("taliban", Source::Kb));
    let is: Vec<_> = r
        .iter()
        .filter(|x| x.0 == "is.txt" && x.1 == "Islamic State")
        .collect();
    assert_eq!(is.len(), 3, "{r:?}");
    // Before the branch is named, the bare name is the parent's.
    assert_eq!(is[0].2, "is");
    assert_eq!(is[1].2, "isk");
    // Named as the parent: its own entity.
    assert_eq!((is[2].2.as_str(), is[2].3), ("is", Source::Kb));
}

// Kind 3: near-miss spellings of known names.

#[test]
fn near_miss_spellings_of_long_names_are_suggestions_and_short_ones_are_not() {
    let kb = [
        entity("islamabad", "Islamabad", "place", ""),
        entity("rawalpindi", "Rawalpindi", "place", ""),
        entity("south-waziristan", "South Waziristan", "place", ""),
        entity("karak", "Karak", "place", ""),
        entity("quetta", "Quetta", "place", ""),
        entity("rahmanullah", "Rahmanullah Khan", "person", ""),
        entity("rahmatullah", "Rahmatullah Khan", "person", ""),
    ]
    .concat();
    let (c, a) = analyse(
        &kb,
        &[(
            "a.txt",
            "Title line\n\nTroops moved from Islamabd to Rawalpindy and on to South Waziristaan on Monday. \
             Elders from Karam met elders from Karak, and officials in Quettta spoke. The lawyer Rahmaullah Khan \
             was there.",
        )],
    );
    let r = rows(&c, &a);
    for (text, id) in [
        ("Islamabd", "islamabad"),
        ("Rawalpindy", "rawalpindi"),
        ("South Waziristaan", "south-waziristan"),
        ("Quettta", "quetta"),
    ] {
        let got = link(&r, "a.txt", text);
        assert_eq!(got, Some((id.into(), Source::Variant)), "{text}: {r:?}");
        assert!(Source::Variant.is_suggestion());
    }
    // One edit from a short name is another name; one edit from two names
    // is neither's.
    assert_ne!(
        link(&r, "a.txt", "Karam").map(|l| l.0),
        Some("karak".into()),
        "{r:?}"
    );
    let rahma = link(&r, "a.txt", "Rahmaullah Khan").map(|l| l.0);
    assert!(
        rahma.as_deref() != Some("rahmanullah") && rahma.as_deref() != Some("rahmatullah"),
        "{r:?}"
    );
}

#[test]
fn a_name_written_glued_or_apart_is_one_name() {
    let (c, a) = analyse(
        "",
        &[
            (
                "a.txt",
                "Title line\n\nOfficers of the Pak Army said the Pak Army would stay. The Pak Army left.",
            ),
            (
                "b.txt",
                "Title line\n\nA PakArmy post was hit near the Data Darbar.",
            ),
            (
                "c.txt",
                "Title line\n\nPilgrims at Datadarbar prayed. Pak Arms were seized.",
            ),
        ],
    );
    let r = rows(&c, &a);
    let army = link(&r, "a.txt", "Pak Army").unwrap().0;
    assert_eq!(
        link(&r, "b.txt", "PakArmy"),
        Some((army, Source::Variant)),
        "{r:?}"
    );
    let darbar = link(&r, "b.txt", "Data Darbar").unwrap().0;
    assert_eq!(
        link(&r, "c.txt", "Datadarbar"),
        Some((darbar, Source::Variant)),
        "{r:?}"
    );
}

#[test]
fn an_unexplained_acronym_is_the_one_name_of_its_document_it_spells() {
    let (c, a) = analyse(
        "",
        &[
            (
                "a.txt",
                "Title line\n\nViolence spread across KP province. Officials in Khyber Pakhtunkhwa said the Khyber \
                 Pakhtunkhwa police were ready.",
            ),
            (
                "b.txt",
                "Title line\n\nThe KP minister met the Karachi Press club and the Kohat Police chief.",
            ),
        ],
    );
    let r = rows(&c, &a);
    let kp = link(&r, "a.txt", "Khyber Pakhtunkhwa").unwrap().0;
    assert_eq!(
        link(&r, "a.txt", "KP"),
        Some((kp, Source::Context)),
        "{r:?}"
    );
    // Two names of the document spell it: neither.
    let b = link(&r, "b.txt", "KP").unwrap();
    assert_eq!(b.1, Source::Name, "{r:?}");
}

#[test]
fn a_translation_given_in_one_article_names_the_group_in_another() {
    for kb in [entity("let", "Lashkar-e-Taiba", "group", ""), String::new()] {
        let (c, a) = analyse(
            &kb,
            &[
                (
                    "a.txt",
                    "Title line\n\nThe Lashkar-e-Taiba (literally \"Army of the Pure\") was founded in 1987.",
                ),
                (
                    "b.txt",
                    "Title line\n\nAnalysts said the Army of the Pure had rebuilt its camps. Imran Khan (Pakistan \
                     Tehreek-e-Insaf) disagreed.",
                ),
            ],
        );
        let r = rows(&c, &a);
        let let_id = link(&r, "a.txt", "Lashkar-e-Taiba").unwrap().0;
        assert_eq!(
            link(&r, "b.txt", "Army of the Pure"),
            Some((let_id, Source::Rule)),
            "{r:?}"
        );
        // An affiliation in brackets is no translation.
        let imran = link(&r, "b.txt", "Imran Khan").map(|l| l.0);
        let party = link(&r, "b.txt", "Pakistan Tehreek-e-Insaf").map(|l| l.0);
        assert!(imran.is_none() || imran != party, "{r:?}");
    }
}

// The reader shows why context linked a mention.

#[test]
fn the_evidence_of_a_context_link_is_told_in_words() {
    let kb = [
        shared_names_kb(),
        bodies_kb()
            .replace(
                "[[entity]]\nid = \"pakistan\"\nname = \"Pakistan\"\nkind = \"place\"\n\n",
                "",
            )
            .replace(
                "[[entity]]\nid = \"afghanistan\"\nname = \"Afghanistan\"\nkind = \"place\"\n\n",
                "",
            ),
        events_kb().replace(
            "[[entity]]\nid = \"quetta\"\nname = \"Quetta\"\nkind = \"place\"\n\n",
            "",
        ),
    ]
    .concat();
    let mut base = KnowledgeBase::new();
    base.add_toml(Path::new("t.toml"), &kb).unwrap();
    let engine = Engine::new(base);
    let why = |text: &str, mention: &str| {
        let at = text.rfind(mention).unwrap();
        engine.context_evidence(text, at..at + mention.len())
    };
    let text = "Title line\n\nThe Haqqanis claimed the raid. Officials blamed Haqqani fighters.";
    let said = why(text, "Haqqani fighters").map(|_| ());
    assert_eq!(said, None, "not a mention");
    let said = why(text, "Haqqani").unwrap();
    assert!(
        said.contains("Haqqani Network nearby") && said.contains("“haqqanis”"),
        "{said}"
    );
    let text =
        "Title line\n\nPolice in Quetta, Pakistan, were alert. The Interior Ministry said so.";
    let said = why(text, "Interior Ministry").unwrap();
    assert_eq!(said, "the body of Pakistan, the article's country");
    let text = "Title line\n\nSurvivors of the hospital attack in Quetta spoke.";
    let said = why(text, "hospital attack in Quetta").unwrap();
    assert_eq!(said, "the event at Quetta in 2016, named by “hospital”");
    let text = "Title line\n\nThe Afghan Taliban took Kabul. Later the Taliban named a cabinet.";
    let at = text.rfind("Taliban").unwrap();
    assert_eq!(
        engine.context_evidence(text, at..at + 7).as_deref(),
        Some("decided by the article's context: Afghan Taliban nearby, “afghan”")
    );
    // Without a shared alias, the group named before it decides.
    let mut groups = KnowledgeBase::new();
    let plain = [
        entity("taliban", "Taliban", "group", ""),
        entity("afghan-taliban", "Afghan Taliban", "group", ""),
    ]
    .concat();
    groups.add_toml(Path::new("g.toml"), &plain).unwrap();
    assert_eq!(
        Engine::new(groups)
            .context_evidence(text, at..at + 7)
            .as_deref(),
        Some("Afghan Taliban was named earlier in the paragraph")
    );
    // A plain link has no context evidence.
    let at = text.find("Afghan Taliban").unwrap();
    assert_eq!(engine.context_evidence(text, at..at + 14), None);
}

// ---------------------------------------------------------------------------
// Names in the scripts of the region's own press.

#[test]
fn the_default_knowledge_base_knows_names_in_urdu_script() {
    let corpus = load_embedded(
        "test",
        &[(
            "urdu.txt",
            "پشاور: تحریک طالبان پاکستان نے حملے کی ذمہ داری قبول کی۔ افغانستان میں طالبان نے تردید کی۔\n"
                .as_bytes(),
        )],
    );
    let a = Engine::new(KnowledgeBase::default_kb()).analyse(&corpus);
    let r = rows(&corpus, &a);
    let id_of = |text: &str| {
        r.iter()
            .find(|row| row.1 == text)
            .map(|row| row.2.clone())
            .unwrap_or_else(|| panic!("{text} not linked: {r:?}"))
    };
    assert_eq!(id_of("پشاور"), "peshawar");
    // The longest name wins: the TTP, not the Taliban or Pakistan inside it.
    assert_eq!(id_of("تحریک طالبان پاکستان"), "tehrik-i-taliban-pakistan");
    assert_eq!(id_of("افغانستان"), "afghanistan");
    assert!(!r.iter().any(|row| row.1 == "پاکستان"), "{r:?}");
    // Every mention is whole words of the text.
    let text = &corpus.docs[0].text;
    for m in &a.mentions {
        let before = text[..m.start as usize].chars().next_back();
        let after = text[m.end as usize..].chars().next();
        assert!(before.is_none_or(|c| !c.is_alphanumeric()), "{m:?}");
        assert!(after.is_none_or(|c| !c.is_alphanumeric()), "{m:?}");
    }
}
