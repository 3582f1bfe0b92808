//! Properties of the analyst pieces for any text: the date finders, the
//! Markdown markup finder, the sentence splitter and keyword-in-context
//! lines never panic and keep to the text's boundaries.

use dossier::corpus::date::{date_in_text, html_date, normalize_date};
use dossier::index::kwic;
use dossier::text::natural_cmp;
use dossier::text::segment::{paragraphs, sentences};
use dossier::text::{markup_ranges, strip_markup};
use proptest::prelude::*;
use std::cmp::Ordering;

/// Text made of pieces that stress the finders: dates and half-dates,
/// Markdown marks, tags, abbreviations, multi-byte characters and breaks.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("March 3, 2023".to_string()),
        Just("2023-02-30".to_string()),
        Just("12 Feb 2024".to_string()),
        Just("Published: ".to_string()),
        Just("ISLAMABAD, ".to_string()),
        Just("<meta property=\"article:published_time\" content=\"".to_string()),
        Just("<time datetime=".to_string()),
        Just("\"datePublished\":".to_string()),
        Just("**".to_string()),
        Just("_".to_string()),
        Just("`".to_string()),
        Just("[".to_string()),
        Just("](".to_string()),
        Just(")".to_string()),
        Just("# ".to_string()),
        Just("> ".to_string()),
        Just("Mr. ".to_string()),
        Just("U.S. ".to_string()),
        Just("…".to_string()),
        Just("。".to_string()),
        Just("؟".to_string()),
        Just("e\u{301}".to_string()),
        Just("😀".to_string()),
        Just("\n\n".to_string()),
        Just("\n".to_string()),
        Just(". ".to_string()),
        "[a-zA-Z0-9 ]{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn dates_are_well_formed_or_absent(t in text()) {
        for d in [date_in_text(&t), html_date(&t), normalize_date(&t)].into_iter().flatten() {
            let parts: Vec<&str> = d.split('-').collect();
            prop_assert!(parts.len() == 2 || parts.len() == 3, "{d}");
            prop_assert!(parts.iter().all(|p| p.bytes().all(|c| c.is_ascii_digit())), "{d}");
            let month: u32 = parts[1].parse().unwrap_or(0);
            prop_assert!((1..=12).contains(&month), "{d}");
        }
    }

    #[test]
    fn markup_ranges_are_sorted_disjoint_and_on_boundaries(t in text()) {
        let r = markup_ranges(&t);
        for w in r.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
        for x in &r {
            prop_assert!(x.start < x.end && x.end <= t.len());
            prop_assert!(t.is_char_boundary(x.start) && t.is_char_boundary(x.end));
        }
        let removed: usize = r.iter().map(|x| x.len()).sum();
        prop_assert_eq!(strip_markup(&t).len(), t.len() - removed);
    }

    #[test]
    fn sentences_lie_in_paragraphs_in_order(t in text()) {
        let paras = paragraphs(&t);
        let sents = sentences(&t);
        for w in sents.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
        for s in &sents {
            prop_assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
            prop_assert!(!t[s.clone()].trim().is_empty());
            prop_assert!(paras.iter().any(|p| p.start <= s.start && s.end <= p.end));
        }
        // Every non-blank character is in some sentence.
        let covered: usize = sents.iter().map(|s| t[s.clone()].chars().filter(|c| !c.is_whitespace()).count()).sum();
        prop_assert_eq!(covered, t.chars().filter(|c| !c.is_whitespace()).count());
    }

    #[test]
    fn kwic_never_panics_and_keeps_a_plain_hit(t in text(), a in 0usize..400, len in 0usize..20, ctx in 0usize..60) {
        let mut start = a.min(t.len());
        while !t.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + len).min(t.len());
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        let k = kwic(&t, start..end, ctx);
        let hit = &t[start..end];
        // A hit inside markup (a link's target is markup, whatever it
        // holds) is dropped with it.
        let in_markup = markup_ranges(&t).iter().any(|r| r.start < end && start < r.end);
        if !in_markup && !hit.contains(['*', '_', '`', '[', ']', '(', ')', '#', '>', '!']) && !hit.contains(char::is_whitespace) {
            prop_assert_eq!(k.hit, hit);
        }
    }

    #[test]
    fn natural_order_is_a_total_order(a in "[a-c0-2 ]{0,6}", b in "[a-c0-2 ]{0,6}", c in "[a-c0-2 ]{0,6}") {
        prop_assert_eq!(natural_cmp(&a, &b), natural_cmp(&b, &a).reverse());
        prop_assert_eq!(natural_cmp(&a, &b) == Ordering::Equal, a == b);
        if natural_cmp(&a, &b).is_le() && natural_cmp(&b, &c).is_le() {
            prop_assert!(natural_cmp(&a, &c).is_le());
        }
    }
}
