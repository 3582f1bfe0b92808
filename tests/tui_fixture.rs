//! A small hand-made corpus for the reader's tests, shaped like the seeds:
//! five articles, four of which name the same group in different ways. The
//! mentions are made here, so the tests do not depend on the entity engine.
//!
//! Used as a module by the other `tui_*` tests; on its own it has one test
//! that checks the fixture itself.
#![allow(dead_code)]

use dossier::corpus::{Corpus, Document};
use dossier::entity::{Analysis, Entity, Kind, Mention, Source};
use dossier::index::Index;
use dossier::tui::action::Action;
use dossier::tui::app::{App, Effect, SEARCH_LIMIT, SearchBatch};
use dossier::tui::keymap::{Key, Keymap, Router};
use dossier::tui::theme::Theme;
use dossier::tui::view::{self, Screen};
use dossier::tui::{update, worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const ISKP: u32 = 0;
pub const PAKISTAN: u32 = 1;
pub const US: u32 = 2;
pub const TALIBAN: u32 = 3;
pub const KABUL: u32 = 4;
pub const BLINKEN: u32 = 5;
pub const UN: u32 = 6;
pub const ABBEY_GATE: u32 = 7;
pub const AL_MIRSAD: u32 = 8;
pub const COUNTERTERROR: u32 = 9;

const FILLER: &str = "The border has been tense for months, and officials on both sides traded \
     accusations about militants crossing it at night, while traders waited for the crossings to open.";

pub const BOILERPLATE: &str = "Sign up for our newsletter today.";

/// The documents: (title, text).
pub fn texts() -> Vec<(&'static str, String)> {
    vec![
        (
            "Kicking Terrorist Ass and Winning",
            "Kicking Terrorist Ass and Winning\n\nFor years Pakistan has been told to do more. \
             Pakistan fights ISIS-K near Kabul while the Taliban watch ISIS-K grow.\n"
                .to_string(),
        ),
        (
            "No country will be allowed to provide sanctuaries",
            "No country will be allowed to provide sanctuaries\n\nPakistan reserves all rights \
             in that respect, said the Taliban envoy.\n"
                .to_string(),
        ),
        (
            "US backs Pakistan in confronting cross-border attacks",
            format!(
                "US backs Pakistan in confronting cross-border attacks\n\nBlinken met the UN \
                 envoy. Groups like IS-K [Islamic State – Khorasan Province] claimed the attack, \
                 and IS-K is growing.\n\n{FILLER}\n\n{FILLER}\n\n{FILLER}\n\n{BOILERPLATE}\n"
            ),
        ),
        (
            "Pakistan and US Unite Against ISKP",
            "Pakistan and US Unite Against ISKP\n\nThe Abbey Gate bomber of ISKP was extradited \
             in a Counterterror move. 日本語のテキスト, emoji 👍🏽, cafe\u{301}, and an escape \
             \u{1b}[31m that must not reach the terminal.\n"
                .to_string(),
        ),
        (
            "Following a string of deadly attacks",
            "Following a string of deadly attacks by ISIS-K (Islamic State-Khorasan Province), \
             the Taliban launched Operation Al-Mirsad against ISIS-K in Kabul.\n"
                .to_string(),
        ),
    ]
}

fn entity(id: &str, name: &str, kind: Kind, aliases: &[&str]) -> Entity {
    Entity {
        id: id.to_string(),
        name: name.to_string(),
        kind,
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        description: None,
        external: BTreeMap::new(),
        facts: Default::default(),
    }
}

pub fn entities() -> Vec<Entity> {
    vec![
        entity(
            "islamic-state-khorasan-province",
            "Islamic State Khorasan Province",
            Kind::Group,
            &[
                "ISKP",
                "IS-K",
                "ISIS-K",
                "Islamic State – Khorasan Province",
                "Islamic State-Khorasan Province",
            ],
        ),
        entity("pakistan", "Pakistan", Kind::Place, &[]),
        entity("united-states", "United States", Kind::Place, &["US"]),
        entity("taliban", "Taliban", Kind::Group, &[]),
        entity("kabul", "Kabul", Kind::Place, &[]),
        entity(
            "antony-blinken",
            "Antony Blinken",
            Kind::Person,
            &["Blinken"],
        ),
        entity("united-nations", "United Nations", Kind::Org, &["UN"]),
        entity(
            "abbey-gate-bombing",
            "Abbey Gate bombing",
            Kind::Event,
            &["Abbey Gate"],
        ),
        entity(
            "operation-al-mirsad",
            "Operation Al-Mirsad",
            Kind::Event,
            &[],
        ),
        entity("counterterror", "Counterterror", Kind::Other, &[]),
    ]
}

/// Surface forms to link: (text, entity, source). Longer forms first.
fn forms() -> Vec<(&'static str, u32, Source)> {
    vec![
        ("Islamic State – Khorasan Province", ISKP, Source::Kb),
        ("Islamic State-Khorasan Province", ISKP, Source::Kb),
        ("Operation Al-Mirsad", AL_MIRSAD, Source::Rule),
        ("Abbey Gate", ABBEY_GATE, Source::Kb),
        ("Counterterror", COUNTERTERROR, Source::Name),
        ("Pakistan", PAKISTAN, Source::Kb),
        ("Taliban", TALIBAN, Source::Kb),
        ("Blinken", BLINKEN, Source::Kb),
        ("ISIS-K", ISKP, Source::Variant),
        ("Kabul", KABUL, Source::Kb),
        ("ISKP", ISKP, Source::Kb),
        ("IS-K", ISKP, Source::Kb),
        ("US", US, Source::Kb),
        ("UN", UN, Source::Kb),
    ]
}

fn word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Every whole-word occurrence of the forms, longest first, never overlapping.
fn find_mentions(doc: u32, text: &str) -> Vec<Mention> {
    let mut taken = vec![false; text.len()];
    let mut out = Vec::new();
    for (form, entity, source) in forms() {
        for (start, _) in text.match_indices(form) {
            let end = start + form.len();
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            if word_char(before) || word_char(after) || taken[start..end].iter().any(|t| *t) {
                continue;
            }
            taken[start..end].iter_mut().for_each(|t| *t = true);
            out.push(Mention {
                doc,
                start: start as u32,
                end: end as u32,
                entity,
                source,
                confidence: 100,
            });
        }
    }
    out.sort_by_key(|m| (m.doc, m.start));
    out
}

pub fn corpus() -> Corpus {
    let docs = texts()
        .into_iter()
        .enumerate()
        .map(|(i, (title, text))| {
            let boilerplate = text
                .find(BOILERPLATE)
                .map(|s| std::iter::once(s..s + BOILERPLATE.len()).collect())
                .unwrap_or_default();
            Document {
                id: format!("{i:03}.txt"),
                path: format!("{i:03}.txt"),
                title: title.to_string(),
                text: text.into(),
                boilerplate,
                url: None,
                date: None,
            }
        })
        .collect();
    Corpus {
        root: PathBuf::from("fixture"),
        docs,
        skipped: Vec::new(),
        warnings: Vec::new(),
        words: Default::default(),
    }
}

pub fn index() -> Index {
    index_of(corpus())
}

/// An index of `corpus` with the fixture's entities, each linked wherever
/// one of its forms stands as whole words.
pub fn index_of(corpus: Corpus) -> Index {
    let mentions = corpus
        .docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| find_mentions(d as u32, &doc.text))
        .collect();
    Index::new(
        corpus,
        Analysis {
            entities: entities(),
            mentions,
        },
    )
}

/// A reader of `w`×`h` with the fixture indexed and the first document open.
pub fn app(w: u16, h: u16) -> App {
    let mut app = App::new("fixture", w, h);
    update::index_ready(&mut app, Ok(index()));
    app
}

/// Feeds keys, written as in the keymap (`"jjj<Enter>nn<C-o>"`), through
/// the default keymap and `update`, as the event loop does.
pub fn press(app: &mut App, keys: &str) {
    let keymap = Keymap::default();
    let mut router = Router::default();
    press_with(app, &keymap, &mut router, keys);
}

pub fn press_with(app: &mut App, keymap: &Keymap, router: &mut Router, keys: &str) {
    let keys = Key::parse_keys(keys).unwrap_or_else(|e| panic!("bad keys {keys:?}: {e}"));
    for k in keys {
        dossier::tui::handle_key(app, router, keymap, k);
        settle_searches(app);
    }
}

/// Like [`press`], but leaves every effect (searches too) in `app.effects`
/// for the test to look at.
pub fn press_only(app: &mut App, keys: &str) {
    let keymap = Keymap::default();
    let mut router = Router::default();
    let keys = Key::parse_keys(keys).unwrap_or_else(|e| panic!("bad keys {keys:?}: {e}"));
    for k in keys {
        dossier::tui::handle_key(app, &mut router, &keymap, k);
    }
}

/// Runs the searches `update` asked for to the end, as the event loop's
/// search thread does, and hands their hits back in one batch each; counts
/// co-occurrence and finds shared sentences as the workers do. Other
/// effects stay in `app.effects`.
pub fn settle_searches(app: &mut App) {
    let effects = std::mem::take(&mut app.effects);
    for e in effects {
        match e {
            Effect::Search { generation, query } => {
                let Some(index) = app.index.as_ref() else {
                    continue;
                };
                let mut hits = Vec::new();
                let truncated = worker::search(
                    index.corpus(),
                    &query,
                    SEARCH_LIMIT,
                    || false,
                    |h| hits.extend_from_slice(h),
                )
                .unwrap_or(false);
                update::update(
                    app,
                    Action::Searched(SearchBatch {
                        generation,
                        hits,
                        done: true,
                        truncated,
                    }),
                );
            }
            Effect::StopSearch => {}
            // Co-occurrence and shared sentences, counted as the worker does.
            Effect::CountCooc {
                generation,
                entity,
                level,
            } => {
                let Some(index) = app.index.as_ref() else {
                    continue;
                };
                let a = dossier::tui::cooc::count(index, generation, entity, level);
                update::update(app, a);
            }
            Effect::FindShared {
                generation,
                a,
                b,
                level,
            } => {
                let Some(index) = app.index.as_ref() else {
                    continue;
                };
                let found = dossier::tui::cooc::find_shared(index, generation, a, b, level);
                update::update(app, found);
            }
            other => app.effects.push(other),
        }
    }
}

/// The text under the article cursor.
pub fn cursor_text(app: &App) -> Option<String> {
    let m = app.cursor_mention()?;
    let index = app.index.as_ref()?;
    Some(index.doc(m.doc).text[m.range()].to_string())
}

#[test]
fn fixture_links_the_group_in_four_documents() {
    let index = index();
    let docs: Vec<u32> = index
        .entity_mentions_by_doc(ISKP)
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    assert_eq!(docs, vec![0, 2, 3, 4]);
    let seen: Vec<String> = index
        .aliases_seen(ISKP)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert!(seen.contains(&"ISKP".to_string()) && seen.contains(&"IS-K".to_string()));
    // The title of the fourth document: Pakistan, US, ISKP.
    let title: Vec<u32> = index
        .doc_mentions(3)
        .iter()
        .take(3)
        .map(|m| m.entity)
        .collect();
    assert_eq!(title, vec![PAKISTAN, US, ISKP]);
}

/// `app` drawn with `theme` and the default keymap into a `TestBackend`
/// of the app's size.
pub fn draw_with(app: &App, theme: &Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).expect("terminal");
    let keymap = Keymap::default();
    terminal
        .draw(|f| {
            view::draw(
                f,
                &Screen {
                    app,
                    theme,
                    keymap: &keymap,
                },
            )
        })
        .expect("draw");
    terminal
}

/// Like [`app`], with the documents dated (the second left undated):
/// January, March (two), June 2024.
pub fn dated_app(w: u16, h: u16) -> App {
    use dossier::corpus::{DateSource, DocDate};
    let mut corpus = corpus();
    let dates = [
        Some("2024-01-10"),
        None,
        Some("2024-03-02"),
        Some("2024-03-20"),
        Some("2024-06-01"),
    ];
    for (doc, date) in corpus.docs.iter_mut().zip(dates) {
        doc.date = date.map(|d| DocDate::new(d.into(), DateSource::Metadata));
    }
    let mentions = corpus
        .docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| find_mentions(d as u32, &doc.text))
        .collect();
    let index = Index::new(
        corpus,
        Analysis {
            entities: entities(),
            mentions,
        },
    );
    let mut app = App::new("fixture", w, h);
    update::index_ready(&mut app, Ok(index));
    app
}
