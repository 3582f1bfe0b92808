//! Properties that must hold for any text, not only the seeds.

use dossier::annotate::Anchor;
use dossier::annotate::export::{to_bytes, to_chars};
use dossier::corpus::load_embedded;
use dossier::entity::matcher::{MatcherBuilder, Target};
use dossier::entity::normalize::{glued_at, is_word_char, normalize};
use dossier::entity::{Engine, KnowledgeBase, Source};
use proptest::prelude::*;

/// Text made of pieces that stress the matcher: names, acronyms, dashes,
/// quotes, combining marks, CJK, emoji, controls and line breaks.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("TTP".to_string()),
        Just("ISIS-K".to_string()),
        Just("ISKP".to_string()),
        Just("Islamic State – Khorasan Province".to_string()),
        Just("al-Qaida".to_string()),
        Just("Pakistan’s".to_string()),
        Just("Ned Price".to_string()),
        Just("Price said".to_string()),
        Just(" (RS) ".to_string()),
        Just("e\u{301}".to_string()),
        Just("東京".to_string()),
        Just("😀".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\r\n".to_string()),
        Just(". ".to_string()),
        "[a-zA-Z ]{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn matcher() -> dossier::entity::matcher::Matcher {
    let mut b = MatcherBuilder::new();
    for (i, a) in [
        "TTP",
        "ISIS-K",
        "ISKP",
        "IS-K",
        "Islamic State Khorasan Province",
        "al-Qaeda",
        "al-Qaida",
        "Pakistan",
        "RS",
        "KP",
        "Ned Price",
    ]
    .iter()
    .enumerate()
    {
        b.add(a, Target::for_alias(a, i as u32, Source::Kb, 100));
    }
    b.build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn matches_are_ordered_disjoint_whole_words(t in text()) {
        let found = matcher().find_all(&t);
        let mut last = 0;
        for f in &found {
            prop_assert!(f.start >= last && f.start < f.end);
            prop_assert!(t.is_char_boundary(f.start) && t.is_char_boundary(f.end));
            // Whole words; a name may start where scraping ran it into
            // the word before at a lower-to-upper case change ("saidTTP").
            prop_assert!(
                t[..f.start].chars().next_back().is_none_or(|c| !is_word_char(c))
                    || glued_at(&t, f.start)
            );
            prop_assert!(t[f.end..].chars().next().is_none_or(|c| !is_word_char(c)));
            last = f.end;
        }
    }

    #[test]
    fn the_normalised_map_is_monotonic_and_ends_at_the_text(t in text()) {
        let n = normalize(&t);
        prop_assert_eq!(n.map.len(), n.text.len() + 1);
        prop_assert!(n.map.windows(2).all(|w| w[0] <= w[1]));
        prop_assert_eq!(*n.map.last().unwrap() as usize, t.len());
    }

    #[test]
    fn the_engine_never_panics_and_keeps_offsets_true(a in text(), b in text()) {
        let files: Vec<(&str, &[u8])> = vec![("a.txt", a.as_bytes()), ("b.txt", b.as_bytes())];
        let corpus = load_embedded("p", &files);
        let analysis = Engine::new(KnowledgeBase::new()).analyse(&corpus);
        for m in &analysis.mentions {
            let text = &corpus.docs[m.doc as usize].text;
            prop_assert!(text.is_char_boundary(m.start as usize) && text.is_char_boundary(m.end as usize));
            prop_assert!(m.start < m.end);
        }
        prop_assert!(analysis.mentions.windows(2).all(|w| (w[0].doc, w[0].end) <= (w[1].doc, w[1].start)));
    }

    #[test]
    fn code_point_offsets_round_trip(t in text(), cut in 0usize..200) {
        let mut at = cut.min(t.len());
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        prop_assert_eq!(to_bytes(&t, to_chars(&t, at)), Some(at));
    }

    #[test]
    fn an_anchor_survives_text_inserted_before_it(t in text(), prefix in text()) {
        if let Some(f) = matcher().find_all(&t).first() {
            let anchor = Anchor::new("d", &t, f.start..f.end);
            let edited = format!("{prefix}\n{t}");
            let r = anchor.resolve(&edited).expect("the quote is still there");
            prop_assert_eq!(&edited[r], &t[f.start..f.end]);
        }
    }
}
