//! Normalisation for matching: case, dashes, spaces, apostrophes, quotes and
//! diacritics are folded so that "Islamic State – Khorasan Province",
//! "Islamic State-Khorasan Province" and "islamic state khorasan province"
//! compare equal. A map leads every normalised byte back to the original text.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Normalised text with a map back to byte offsets of the original.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    /// `map[i]` is the original byte offset of normalised byte `i`; one extra
    /// entry holds the original length.
    pub map: Vec<u32>,
}

impl Normalized {
    /// The original byte range of the normalised range `start..end`.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.map[start] as usize, self.map[end] as usize)
    }
}

/// True for the characters that separate words the way a space does in a name.
pub fn is_dash_or_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '_'
        )
}

fn fold(c: char, out: &mut dyn FnMut(char)) {
    if is_dash_or_space(c) {
        out(' ');
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
        | '\u{02BB}' | '`' | '\u{00B4}' => out('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => out('"'),
        c if c.is_ascii() => out(c.to_ascii_lowercase()),
        c => decompose_canonical(c, |d| {
            if !is_combining_mark(d) {
                for l in d.to_lowercase() {
                    out(l);
                }
            }
        }),
    }
}

/// Normalises `text`, keeping the offset map.
///
/// The same folding as [`normalize_into`], into bytes: an ASCII byte is
/// folded by a table lookup and appended with no check of its length.
pub fn normalize(text: &str) -> Normalized {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut map: Vec<u32> = Vec::with_capacity(text.len() + 1);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            let n = ASCII_FOLD[usize::from(b)];
            if !(n == b' ' && out.last() == Some(&b' ')) {
                out.push(n);
                map.push(i as u32);
            }
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        fold(c, &mut |n| {
            if n == ' ' && out.last() == Some(&b' ') {
                return;
            }
            let mut buf = [0u8; 4];
            out.extend_from_slice(n.encode_utf8(&mut buf).as_bytes());
            map.extend(std::iter::repeat_n(i as u32, n.len_utf8()));
        });
        i += c.len_utf8();
    }
    map.push(text.len() as u32);
    // Only whole characters were appended: the bytes are UTF-8.
    let text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Normalized { text, map }
}

/// [`fold`] of each ASCII byte, as a byte.
const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'-' | b'_' => b' ',
            b'`' => b'\'',
            // `char::is_whitespace` in ASCII: tab to carriage return, space.
            b'\t'..=b'\r' | b' ' => b' ',
            x => x.to_ascii_lowercase(),
        };
        b += 1;
    }
    t
};

/// Appends the normalised `text` to `out`, which must be empty, calling
/// `mark(original offset, bytes)` for each piece pushed.
fn normalize_into(text: &str, out: &mut String, mut mark: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII fast path, a byte at a time: the same folding as `fold`.
        if b.is_ascii() {
            let n = match b {
                b'-' | b'_' => ' ',
                b'`' => '\'',
                // `char::is_whitespace` in ASCII: tab to carriage return, space.
                b'\t'..=b'\r' | b' ' => ' ',
                b => char::from(b.to_ascii_lowercase()),
            };
            if !(n == ' ' && out.as_bytes().last() == Some(&b' ')) {
                out.push(n);
                mark(i, 1);
            }
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        fold(c, &mut |n| {
            if n == ' ' && out.ends_with(' ') {
                return;
            }
            out.push(n);
            mark(i, n.len_utf8());
        });
        i += c.len_utf8();
    }
}

/// Calls `f` with a hash of each word of `text` as normalisation sees it:
/// the maximal runs of letters and digits of the folded text (case,
/// diacritics and quote styles folded). Every word of a name's [`key`] is
/// such a word of any text the matcher finds the name in, so a text that
/// lacks one of them cannot contain the name. No allocation; ASCII a byte
/// at a time.
pub fn each_word_hash(text: &str, mut f: impl FnMut(u64)) {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let mut h: u64 = 0;
    let mut len = 0usize;
    let mut push = |c: Option<char>, h: &mut u64, len: &mut usize| match c {
        Some(c) if c.is_alphanumeric() => {
            *h = (h.rotate_left(5) ^ c as u64).wrapping_mul(SEED);
            *len += 1;
        }
        _ => {
            if *len > 0 {
                f(finish_word_hash(*h, *len));
            }
            *h = 0;
            *len = 0;
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            // `push` of the folded byte, inline.
            if b.is_ascii_alphanumeric() {
                h = (h.rotate_left(5) ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(SEED);
                len += 1;
            } else if len > 0 {
                push(None, &mut h, &mut len);
            }
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        fold(c, &mut |n| push(Some(n), &mut h, &mut len));
        i += c.len_utf8();
    }
    push(None, &mut h, &mut len);
}

/// The last mix of a word's hash (splitmix64's finaliser), so that its
/// bits are well spread for a Bloom filter.
fn finish_word_hash(h: u64, len: usize) -> u64 {
    let mut z = h ^ (len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The normalised key of a name, trimmed, with a trailing possessive removed.
pub fn key(name: &str) -> String {
    let mut out = String::new();
    key_into(name, &mut String::new(), &mut out);
    out
}

/// Appends [`key`]`(name)` to `out`, normalising in `scratch`: no allocation
/// once the two buffers have grown.
pub fn key_into(name: &str, scratch: &mut String, out: &mut String) {
    scratch.clear();
    normalize_into(name, scratch, |_, _| {});
    let t = scratch.trim();
    let t = t.strip_suffix("'s").unwrap_or(t);
    out.push_str(t.trim());
}

/// Are two words the same once case, diacritics and apostrophes are
/// folded? Allocates nothing for ASCII words.
pub fn same_word(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    key(a) == key(b)
}

/// The ASCII digits of `k`, in order.
pub fn digits(k: &str) -> String {
    k.chars().filter(char::is_ascii_digit).collect()
}

/// `digits(a) == digits(b)`, without allocating.
pub fn same_digits(a: &str, b: &str) -> bool {
    a.bytes()
        .filter(u8::is_ascii_digit)
        .eq(b.bytes().filter(u8::is_ascii_digit))
}

/// Calls `f` with `word` in lower case, without allocating when `word` is
/// ASCII and at most 32 bytes long (nearly every word of a text).
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        // Already lower case (most words): nothing to copy.
        return f(word);
    }
    let mut buf = [0u8; 32];
    if word.is_ascii() && word.len() <= buf.len() {
        let lower = &mut buf[..word.len()];
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        // ASCII stays ASCII, so this is always valid UTF-8.
        return f(std::str::from_utf8(lower).unwrap_or_default());
    }
    f(&word.to_lowercase())
}

/// Is the character part of a word (for whole-word matching)? Letters,
/// digits, combining marks and the underscore ("Asim_Munir" is one word, as
/// the scorer and most word-boundary rules have it).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Is `at` a boundary between two extended grapheme clusters of `text`?
/// A mention that starts or ends inside one would split a letter from its
/// accent, or an emoji sequence. ASCII on both sides is always a boundary
/// (bar CR LF), and costs no table lookup.
#[inline]
pub fn is_grapheme_boundary(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    match (bytes.get(at.wrapping_sub(1)), bytes.get(at)) {
        (Some(&before), Some(&here)) if before.is_ascii() && here.is_ascii() => {
            !(before == b'\r' && here == b'\n')
        }
        _ => grapheme_boundary_slow(text, at),
    }
}

/// [`is_grapheme_boundary`] where a side is not ASCII, or is the text's end.
fn grapheme_boundary_slow(text: &str, at: usize) -> bool {
    if at == 0 || at >= text.len() {
        return at <= text.len();
    }
    if !text.is_char_boundary(at) {
        return false;
    }
    unicode_segmentation::GraphemeCursor::new(at, text.len(), true)
        .is_boundary(text, 0)
        .unwrap_or(false)
}

/// An acronym: at least two capitals and no lower-case letters ("TTP",
/// "IS-K", "U.S."). Acronyms match only in capitals.
pub fn is_acronym(s: &str) -> bool {
    s.chars().filter(|c| c.is_uppercase()).count() >= 2 && !s.chars().any(char::is_lowercase)
}

/// A transliteration skeleton: letters only, vowels dropped after the first
/// letter, doubled letters collapsed. "Tehreek-e-Taliban" and
/// "Tehrik-i-Taliban" share one; so do "al-Qaida" and "al-Qaeda".
pub fn skeleton(key: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut first = true;
    for c in key.chars().filter(|c| c.is_alphanumeric()) {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if first {
            out.push(c);
            first = false;
            last = c;
            continue;
        }
        if vowel {
            last = c;
            continue;
        }
        if c != last {
            out.push(c);
        }
        last = c;
    }
    out
}

/// Damerau–Levenshtein distance (optimal string alignment), capped: returns
/// `max + 1` as soon as the distance must exceed `max`.
///
/// Only the diagonal band of width `2 * max + 1` is computed, in three rows,
/// so the cost is O(len × max) in time and O(len) in memory, whatever the
/// lengths: a 40,000-character word costs no more than its length.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let big = max.saturating_add(1);
    // Cheap rejections before anything is allocated.
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > max {
        return big;
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    // Rows i-2, i-1 and i of the matrix; cells outside the band hold `big`.
    let mut prev2 = vec![big; m + 1];
    let mut prev: Vec<usize> = (0..=m).map(|j| j.min(big)).collect();
    let mut cur = vec![big; m + 1];
    for i in 1..=n {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(m);
        cur[0] = if i <= max { i } else { big };
        if lo > 1 {
            cur[lo - 1] = big;
        }
        let mut row_min = cur[0];
        for j in lo..=hi {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            let v = v.min(big);
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if hi < m {
            cur[hi + 1] = big;
        }
        if row_min > max {
            return big;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m].min(big)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::discover::is_initialism;

    #[test]
    fn dashes_spaces_and_case_fold_together() {
        let a = key("Islamic State – Khorasan Province");
        assert_eq!(a, "islamic state khorasan province");
        assert_eq!(key("Islamic State-Khorasan Province"), a);
        assert_eq!(key("Islamic  State\u{00A0}Khorasan—Province"), a);
    }

    #[test]
    fn apostrophes_diacritics_and_possessives_fold() {
        assert_eq!(
            key("Pakistan People’s Party"),
            key("Pakistan People's Party")
        );
        assert_eq!(key("Pakistan’s"), "pakistan");
        assert_eq!(key("Zarb-e-Azb"), key("Żarb-é-Azb"));
    }

    /// The normalisation through `fold` alone, character by character.
    fn folded(text: &str) -> (String, Vec<u32>) {
        let (mut out, mut map) = (String::new(), Vec::new());
        for (i, c) in text.char_indices() {
            fold(c, &mut |n| {
                if !(n == ' ' && out.ends_with(' ')) {
                    out.push(n);
                    map.extend(std::iter::repeat_n(i as u32, n.len_utf8()));
                }
            });
        }
        map.push(text.len() as u32);
        (out, map)
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_fast_path_folds_like_fold(text in "[ -~\t\n\r\x0b\x0cÉéİß’–\u{a0}]{0,40}") {
            let n = normalize(&text);
            proptest::prop_assert_eq!((n.text, n.map), folded(&text));
        }
    }

    /// The word hashes of `text`, from its folded form a character at a
    /// time.
    fn word_hashes_of_folded(text: &str) -> Vec<u64> {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let (mut out, mut h, mut len) = (Vec::new(), 0u64, 0usize);
        let mut chars: Vec<char> = Vec::new();
        for c in text.chars() {
            fold(c, &mut |n| chars.push(n));
        }
        for c in chars.into_iter().map(Some).chain([None]) {
            match c {
                Some(c) if c.is_alphanumeric() => {
                    h = (h.rotate_left(5) ^ c as u64).wrapping_mul(SEED);
                    len += 1;
                }
                _ => {
                    if len > 0 {
                        out.push(finish_word_hash(h, len));
                    }
                    (h, len) = (0, 0);
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn word_hashes_fold_like_fold(text in "[ -~\t\n\rÉéİß’–\u{a0}]{0,40}") {
            let mut got = Vec::new();
            each_word_hash(&text, |h| got.push(h));
            proptest::prop_assert_eq!(got, word_hashes_of_folded(&text));
        }
    }

    #[test]
    fn map_leads_back_to_original_bytes() {
        let t = "Islamic State – Khorasan";
        let n = normalize(t);
        let i = n.text.find("khorasan").unwrap();
        let (s, e) = n.original(i, i + "khorasan".len());
        assert_eq!(&t[s..e], "Khorasan");
    }

    #[test]
    fn skeletons_unite_transliterations() {
        assert_eq!(
            skeleton(&key("Tehreek-e-Taliban Pakistan")),
            skeleton(&key("Tehrik-i-Taliban Pakistan"))
        );
        assert_eq!(skeleton(&key("al-Qaida")), skeleton(&key("Al-Qaeda")));
        assert_eq!(
            skeleton(&key("Rudd-ul-Fasaad")),
            skeleton(&key("Radd-ul-Fasaad"))
        );
        assert_ne!(skeleton("kabul"), skeleton("karachi"));
    }

    /// The full-matrix distance, as the reference for the banded one.
    fn naive(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let w = b.len() + 1;
        let mut d = vec![0usize; (a.len() + 1) * w];
        for (j, cell) in d.iter_mut().enumerate().take(w) {
            *cell = j;
        }
        for i in 1..=a.len() {
            d[i * w] = i;
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                d[i * w + j] = v;
            }
        }
        d[a.len() * w + b.len()]
    }

    proptest::proptest! {
        #[test]
        fn banded_distance_agrees_with_the_full_matrix(
            a in "[abc ]{0,12}", b in "[abc ]{0,12}", max in 0usize..6
        ) {
            proptest::prop_assert_eq!(edit_distance(&a, &b, max), naive(&a, &b).min(max + 1));
        }
    }

    #[test]
    fn distance_of_huge_words_is_linear() {
        // The full matrix for these would be 1.6e9 cells (several GB).
        let a = format!("A{}", "b".repeat(40_000));
        let b = format!("A{}c", "b".repeat(39_999));
        assert_eq!(edit_distance(&a, &b, 2), 1);
        assert_eq!(edit_distance(&a, &"x".repeat(40_000), 2), 3);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(edit_distance("jeffery", "jeffrey", 2), 1);
        assert_eq!(edit_distance("pakistani talban", "pakistani taliban", 2), 1);
        assert_eq!(edit_distance("kabul", "karachi", 2), 3);
    }

    #[test]
    fn initialisms_spell_a_name_skipping_small_words() {
        assert!(is_initialism("NATO", "North Atlantic Treaty Organization"));
        assert!(is_initialism("Nato", "North Atlantic Treaty Organisation"));
        assert!(is_initialism("ISIS", "Islamic State of Iraq and Syria"));
        assert!(is_initialism("ISPR", "Inter-Services Public Relations"));
        assert!(is_initialism("PMLN", "Pakistan Muslim League (N)"));
        assert!(!is_initialism("Swat", "Swat District"));
        assert!(!is_initialism("Swat", "Swat"));
        assert!(!is_initialism("NATO", "Nato"));
    }

    #[test]
    fn grapheme_boundaries_keep_marks_and_joiners_with_their_base() {
        let t = "Tank\u{200D}\u{1F642} Kabul\u{301} \u{0600}Swat Quetta";
        let at = |s: &str| t.find(s).unwrap();
        assert!(is_grapheme_boundary(t, 0));
        assert!(is_grapheme_boundary(t, t.len()));
        // A joiner, an accent and a prepended mark all belong to a letter.
        assert!(!is_grapheme_boundary(t, at("\u{200D}")));
        assert!(!is_grapheme_boundary(t, at("\u{301}")));
        assert!(!is_grapheme_boundary(t, at("Swat")));
        assert!(is_grapheme_boundary(t, at("Quetta")));
        assert!(!is_grapheme_boundary("a\r\nb", 2));
        assert!(!is_grapheme_boundary("é", 1));
    }

    #[test]
    fn acronyms_are_capitals_only() {
        assert!(is_acronym("TTP"));
        assert!(is_acronym("IS-K"));
        assert!(!is_acronym("PakArmy"));
        assert!(!is_acronym("I"));
    }
}
