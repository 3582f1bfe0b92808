//! Learning from the text itself: abbreviation definitions, capitalised names,
//! and the word lists that keep them honest.
//!
//! Abbreviations follow Schwartz & Hearst (2003), "A simple algorithm for
//! identifying abbreviation definitions in biomedical text", with the forms
//! "Long Form (ABBR)", "ABBR (Long Form)", "ABBR [Long Form]" and
//! "Long Form or ABBR". The alignment prefers abbreviation letters that start
//! words, so "Pakistan People's Party (PPP)" takes all three words rather than
//! Schwartz & Hearst's shortest match "People's Party".

use std::ops::Range;

/// An abbreviation defined in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbbrDef {
    pub short: Range<usize>,
    pub long: Range<usize>,
}

/// Small words that a long form may contain without a letter in its
/// abbreviation ("South Asian Association for Regional Cooperation").
pub fn is_connector(word: &str) -> bool {
    // No connector is longer than three letters (ASCII keeps its length in
    // lower case).
    if word.is_ascii() && word.len() > 3 {
        return false;
    }
    super::normalize::with_lowercase(word, is_connector_lower)
}

/// [`is_connector`] of a word already in lower case.
fn is_connector_lower(word: &str) -> bool {
    matches!(
        word,
        "of" | "the"
            | "and"
            | "for"
            | "in"
            | "on"
            | "at"
            | "to"
            | "e"
            | "i"
            | "ul"
            | "ud"
            | "al"
            | "el"
            | "ud-"
            | "de"
            | "da"
            | "wa"
            | "o"
            | "a"
            | "an"
            | "&"
            | "bin"
            | "ibn"
            | "ur"
            | "us"
            | "fi"
    )
}

/// Splits a long form into its words: spaces, hyphens and dashes separate.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| super::normalize::is_dash_or_space(c) || c == '/')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect()
}

fn letters(abbr: &str) -> Vec<char> {
    abbr.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Can the letters be spelled by the words, each content word giving its
/// initial and perhaps more of its letters in order, connectors giving their
/// initial or nothing? The first word must give the first letter. Returns the
/// largest number of letters that word initials supply, or `None`.
fn aligns(letters: &[char], words: &[Vec<char>], connector: &[bool]) -> Option<usize> {
    fn go(l: &[char], w: &[Vec<char>], c: &[bool], first: bool) -> Option<usize> {
        if w.is_empty() {
            return l.is_empty().then_some(0);
        }
        if l.is_empty() {
            return (c.iter().all(|&conn| conn) && !first).then_some(0);
        }
        let mut best: Option<usize> = None;
        if c[0] && !first {
            best = go(l, &w[1..], &c[1..], false);
        }
        let word = &w[0];
        if word.first() != Some(&l[0]) {
            return best;
        }
        // The initial, then any further letters of this word in order.
        let mut li = 1;
        let mut options = vec![1];
        for &ch in &word[1..] {
            if li < l.len() && l[li] == ch {
                li += 1;
                options.push(li);
            }
        }
        for k in options {
            if let Some(n) = go(&l[k..], &w[1..], &c[1..], false) {
                best = best.max(Some(n + 1));
            }
        }
        best
    }
    if words.len() > 12 || letters.len() > 12 {
        return None;
    }
    go(letters, words, connector, true)
}

/// Looser check for a long form given whole in brackets: first letters agree
/// and most content-word initials appear in order in the abbreviation.
fn loosely_aligns(letters: &[char], ws: &[&str]) -> bool {
    let content: Vec<char> = ws
        .iter()
        .filter(|w| !is_connector(w))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    if content.len() < 2 || letters.first() != content.first() {
        return false;
    }
    let mut li = 0;
    let mut hits = 0;
    for c in &content {
        if let Some(p) = letters[li..].iter().position(|l| l == c) {
            li += p + 1;
            hits += 1;
        }
    }
    hits * 10 >= content.len() * 6 && letters.len() <= content.len() * 2 + 2
}

/// An abbreviation: capitals ("TTP", "IS-K"), or mostly capitals with a
/// connecting small letter ("LeJ", "JeM").
fn is_short_form(s: &str) -> bool {
    let n = s.chars().count();
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let lower = s.chars().filter(|c| c.is_lowercase()).count();
    (2..=10).contains(&n)
        && upper >= 2
        && lower < upper
        && s.chars().next().is_some_and(char::is_uppercase)
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && !s.contains(char::is_whitespace)
}

fn starts_capitalised(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// Finds the long form that ends at byte `end` of `text` (exclusive) and
/// spells `abbr`, searching back at most a few words within the sentence.
/// No long form of an abbreviation is longer than this many bytes.
const MAX_LONG_FORM_BYTES: usize = 300;

fn long_form_before(text: &str, end: usize, abbr: &str) -> Option<Range<usize>> {
    let l = letters(abbr);
    if l.len() < 2 {
        return None;
    }
    let max_words = (l.len() + 5).min(l.len() * 2).max(3);
    // Word starts going backwards, stopping at sentence punctuation.
    let head = &text[..end];
    let trimmed_end = head.trim_end().len();
    let mut starts: Vec<usize> = Vec::new();
    // Walks back from the parenthesis only: never copies or rescans the text
    // before it, so a document with many parentheses stays linear.
    let mut back = head[..trimmed_end].char_indices().rev().peekable();
    while let Some((i, c)) = back.next() {
        if trimmed_end - i > MAX_LONG_FORM_BYTES
            || matches!(
                c,
                '.' | '!' | '?' | ';' | ':' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '\n' | ','
            )
        {
            break;
        }
        let before = back.peek().map(|&(_, p)| p);
        if !c.is_whitespace() && before.is_none_or(char::is_whitespace) {
            starts.push(i);
            if starts.len() >= max_words {
                break;
            }
        }
    }
    let mut best: Option<(usize, usize)> = None; // (initials, start)
    for &s in &starts {
        let cand = &text[s..trimmed_end];
        let ws = words(cand);
        if ws.len() < 2 && !cand.contains(['-', '–']) {
            continue;
        }
        if !ws.first().is_some_and(|w| starts_capitalised(w)) {
            continue;
        }
        let wl: Vec<Vec<char>> = ws
            .iter()
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let conn: Vec<bool> = ws.iter().map(|w| is_connector(w)).collect();
        if let Some(n) = aligns(&l, &wl, &conn)
            && best.is_none_or(|(b, _)| n > b)
        {
            best = Some((n, s));
        }
    }
    best.map(|(_, s)| s..trimmed_end)
}

/// The token (non-space run, trimmed of punctuation) ending at `end`.
fn token_before(text: &str, end: usize) -> Option<Range<usize>> {
    let head = text[..end].trim_end();
    // A token longer than a long form is no abbreviation: look no further.
    let start = match head
        .char_indices()
        .rev()
        .take(MAX_LONG_FORM_BYTES)
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '[' | '"' | '“' | '‘'))
    {
        Some((i, c)) => i + c.len_utf8(),
        None if head.chars().rev().nth(MAX_LONG_FORM_BYTES).is_none() => 0,
        None => return None,
    };
    let tok = &head[start..];
    let t = tok.trim_matches(|c: char| !c.is_alphanumeric());
    if t.is_empty() {
        return None;
    }
    let off = start + tok.find(t)?;
    Some(off..off + t.len())
}

/// Finds abbreviation definitions in a text.
pub fn abbreviations(text: &str) -> Vec<AbbrDef> {
    let mut out = Vec::new();
    for (open, c) in text.char_indices() {
        let close = match c {
            '(' => ')',
            '[' => ']',
            _ => continue,
        };
        let inner_start = open + 1;
        let Some(len) = text[inner_start..].find([close, '\n']) else {
            continue;
        };
        if !text[inner_start + len..].starts_with(close) || len > 200 {
            continue;
        }
        let inner = &text[inner_start..inner_start + len];
        let inner_trim = inner.trim();
        let inner_off = inner_start + inner.find(inner_trim).unwrap_or(0);
        if is_short_form(inner_trim) {
            // Long Form (ABBR)
            if let Some(long) = long_form_before(text, open, inner_trim) {
                out.push(AbbrDef {
                    short: inner_off..inner_off + inner_trim.len(),
                    long,
                });
            }
            continue;
        }
        // ABBR (Long Form, perhaps with more after a comma)
        let Some(short) = token_before(text, open) else {
            continue;
        };
        if short.end + 3 < open || !is_short_form(&text[short.clone()]) {
            continue;
        }
        let long_text = inner_trim.split([',', ';']).next().unwrap_or("").trim();
        let ws = words(long_text);
        if ws.len() < 2 || !starts_capitalised(long_text) {
            continue;
        }
        let l = letters(&text[short.clone()]);
        let wl: Vec<Vec<char>> = ws
            .iter()
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        let conn: Vec<bool> = ws.iter().map(|w| is_connector(w)).collect();
        if aligns(&l, &wl, &conn).is_some() || loosely_aligns(&l, &ws) {
            let ls = inner_off;
            out.push(AbbrDef {
                short,
                long: ls..ls + long_text.len(),
            });
        }
    }
    // Long Form or ABBR
    let mut from = 0;
    while let Some(p) = text[from..].find(" or ") {
        let at = from + p;
        from = at + 4;
        let rest = &text[at + 4..];
        let tok_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | ')' | '('))
            .unwrap_or(rest.len());
        let tok = &rest[..tok_len];
        if !is_short_form(tok) {
            continue;
        }
        if let Some(long) = long_form_before(text, at, tok) {
            let s = at + 4;
            out.push(AbbrDef {
                short: s..s + tok.len(),
                long,
            });
        }
    }
    out.sort_by_key(|d| (d.short.start, d.long.start));
    out
}

/// Words that introduce or qualify a name without being part of it: titles
/// and roles. A run of capitalised words is split at them.
pub fn is_role_word(word: &str) -> bool {
    // "Maj-Gen", "Lt-Gen": every part a title.
    if word.contains('-') {
        return word.split('-').all(|p| !p.is_empty() && is_role_word(p));
    }
    let w = word.trim_end_matches('.');
    // Lower-case roles count too ("government spokesman Shahid Rind").
    // Nearly every word is short ASCII: its title case needs no allocation.
    let mut buf = [0u8; 32];
    if w.is_ascii() {
        let Some(title) = buf.get_mut(..w.len()) else {
            // No title is this long, in any case.
            return false;
        };
        title.copy_from_slice(w.as_bytes());
        if let Some(first) = title.first_mut() {
            first.make_ascii_uppercase();
        }
        let title = std::str::from_utf8(title).unwrap_or_default();
        return is_title_word(title)
            || (w.bytes().all(|b| b.is_ascii_uppercase()) && is_title_word(w));
    }
    let mut title = String::with_capacity(w.len());
    let mut cs = w.chars();
    if let Some(first) = cs.next() {
        title.extend(first.to_uppercase());
        title.push_str(cs.as_str());
    }
    is_title_word(&title) || (w.chars().all(|c| c.is_uppercase()) && is_title_word(w))
}

/// Capitalised titles and roles.
fn is_title_word(word: &str) -> bool {
    matches!(
        word,
        "Mr" | "Mrs"
            | "Ms"
            | "Dr"
            | "Sir"
            | "Dame"
            | "Lord"
            | "President"
            | "Prime"
            | "Minister"
            | "Foreign"
            | "Interior"
            | "Defence"
            | "Defense"
            | "Finance"
            | "Information"
            | "Secretary"
            | "General"
            | "Gen"
            | "Lt"
            | "Lieutenant"
            | "Colonel"
            | "Col"
            | "Major"
            | "Maj"
            | "Brig"
            | "Brigadier"
            | "Captain"
            | "Capt"
            | "Commander"
            | "Chief"
            | "Chairman"
            | "Chairperson"
            | "Director"
            | "Deputy"
            | "Spokesman"
            | "Spokesperson"
            | "Spokeswoman"
            | "Ambassador"
            | "Senator"
            | "Sen"
            | "Rep"
            | "Governor"
            | "Gov"
            | "Mayor"
            | "King"
            | "Queen"
            | "Prince"
            | "Princess"
            | "Judge"
            | "Justice"
            | "Speaker"
            | "Envoy"
            | "Special"
            | "Representative"
            | "Admiral"
            | "Marshal"
            | "Sergeant"
            | "Sgt"
            | "Officer"
            | "Professor"
            | "Prof"
            | "Emir"
            | "Amir"
            | "Caliph"
            | "Premier"
            | "Chancellor"
            | "Vice"
            | "Former"
            | "Late"
            | "Acting"
            | "Supreme"
            | "Leader"
            | "Commissioner"
            | "Inspector"
            | "Superintendent"
            | "Senior"
            | "Head"
            | "COO"
            | "CEO"
            | "DG"
    )
}

/// Nouns that name a kind of institution or place rather than one: alone,
/// "Army" or "Corps" is not a name ("Army chief", "Corps Commander").
pub fn is_generic_noun(word: &str) -> bool {
    super::normalize::with_lowercase(word, is_generic_noun_lower)
}

/// [`is_generic_noun`] of a word already in lower case.
fn is_generic_noun_lower(word: &str) -> bool {
    matches!(
        word,
        "army"
            | "corps"
            | "police"
            | "government"
            | "ministry"
            | "court"
            | "parliament"
            | "assembly"
            | "senate"
            | "cabinet"
            | "navy"
            | "department"
            | "agency"
            | "committee"
            | "council"
            | "province"
            | "district"
            | "region"
            | "party"
            | "embassy"
            | "office"
            | "forces"
            | "force"
            | "military"
            | "administration"
            | "regime"
            | "border"
            | "valley"
            | "city"
            | "capital"
            | "security"
            | "intelligence"
            | "republic"
            | "union"
            | "front"
            | "group"
            | "network"
            | "movement"
            | "state"
            | "staff"
            | "commission"
            | "bureau"
            | "service"
            | "services"
            | "authority"
            | "airport"
            | "university"
            | "school"
            | "mosque"
            | "hospital"
            | "church"
            | "bank"
            | "headquarters"
            | "cantonment"
            | "operation"
            | "operations"
            | "attack"
            | "attacks"
            | "war"
            | "summit"
            | "talks"
    )
}

/// Month and weekday names, which are capitalised but never entities here.
pub fn is_calendar_word(word: &str) -> bool {
    matches!(
        word.trim_end_matches('.'),
        "January"
            | "February"
            | "March"
            | "April"
            | "May"
            | "June"
            | "July"
            | "August"
            | "September"
            | "October"
            | "November"
            | "December"
            | "Jan"
            | "Feb"
            | "Mar"
            | "Apr"
            | "Jun"
            | "Jul"
            | "Aug"
            | "Sep"
            | "Sept"
            | "Oct"
            | "Nov"
            | "Dec"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
    )
}

/// Nationality adjectives: not entities on their own.
pub fn is_demonym(word: &str) -> bool {
    matches!(
        word,
        "Pakistani"
            | "Pakistanis"
            | "Afghan"
            | "Afghans"
            | "Afghani"
            | "American"
            | "Americans"
            | "Indian"
            | "Indians"
            | "Chinese"
            | "Russian"
            | "Russians"
            | "Iranian"
            | "Iranians"
            | "British"
            | "Israeli"
            | "Israelis"
            | "Saudi"
            | "Turkish"
            | "Baloch"
            | "Baluch"
            | "Pashtun"
            | "Pashtuns"
            | "Punjabi"
            | "Sindhi"
            | "Kashmiri"
            | "Uzbek"
            | "Tajik"
            | "Hazara"
            | "Arab"
            | "Western"
            | "Muslim"
            | "Muslims"
            | "Islamic"
            | "Sunni"
            | "Shia"
            | "Soviet"
            | "European"
            | "Asian"
            | "Central"
            | "South"
            | "North"
            | "East"
            | "West"
            | "Eastern"
            | "Northern"
            | "Southern"
            | "Jihadi"
            | "Qatari"
            | "Emirati"
            | "Uyghur"
    )
}

/// Very common words that start sentences and headings. Together with the
/// words a corpus itself uses in lower case, they keep ordinary words from
/// becoming names.
pub fn is_function_word(word: &str) -> bool {
    // Every function word is short: a long word is not one.
    word.len() <= 12 && super::normalize::with_lowercase(word, is_function_word_lower)
}

/// [`is_function_word`] of a word already in lower case.
fn is_function_word_lower(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "and"
            | "or"
            | "but"
            | "if"
            | "in"
            | "on"
            | "at"
            | "of"
            | "for"
            | "to"
            | "from"
            | "by"
            | "with"
            | "as"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "it"
            | "its"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "here"
            | "he"
            | "she"
            | "they"
            | "we"
            | "you"
            | "i"
            | "his"
            | "her"
            | "their"
            | "our"
            | "my"
            | "your"
            | "what"
            | "who"
            | "when"
            | "where"
            | "why"
            | "how"
            | "which"
            | "while"
            | "after"
            | "before"
            | "since"
            | "during"
            | "however"
            | "meanwhile"
            | "although"
            | "though"
            | "also"
            | "so"
            | "yet"
            | "not"
            | "no"
            | "yes"
            | "all"
            | "some"
            | "many"
            | "most"
            | "more"
            | "such"
            | "other"
            | "one"
            | "two"
            | "three"
            | "new"
            | "now"
            | "then"
            | "thus"
            | "hence"
            | "finally"
            | "indeed"
            | "besides"
            | "regardless"
            | "perhaps"
            | "according"
            | "author"
            | "read"
            | "share"
            | "related"
            | "latest"
            | "follow"
            | "subscribe"
            | "signup"
            | "photo"
            | "credit"
            | "do"
            | "does"
            | "did"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "can"
            | "could"
            | "should"
            | "may"
            | "might"
            | "must"
            | "let"
            | "people"
            | "things"
            | "nonetheless"
            | "whereas"
            | "despite"
            | "among"
            | "between"
            | "against"
            | "about"
            | "under"
            | "over"
            | "into"
            | "through"
            | "each"
            | "every"
            | "both"
            | "either"
            | "neither"
            | "only"
            | "even"
            | "just"
            | "still"
            | "well"
            | "very"
            | "mr"
            | "mrs"
            | "ms"
            | "dr"
    )
}

/// Is `abbr` the initials of `name`: "NATO" or "Nato" of "North Atlantic
/// Treaty Organization", "ISIS" of "Islamic State of Iraq and Syria"? Small
/// connecting words may give their initial or not; case is ignored.
pub fn is_initialism(abbr: &str, name: &str) -> bool {
    let letters: Vec<char> = abbr
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<(char, bool)> = name
        .split(|c: char| super::normalize::is_dash_or_space(c) || c == '/')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .filter_map(|w| {
            let initial = w.chars().next()?.to_lowercase().next()?;
            Some((initial, is_connector(w)))
        })
        .collect();
    // Letters and words are few (a name of a dozen words at most): a plain
    // recursion over "take this word's initial or skip a connector".
    fn go(l: &[char], w: &[(char, bool)]) -> bool {
        match (l.first(), w.first()) {
            (_, None) => l.is_empty(),
            (None, Some(_)) => w.iter().all(|&(_, connector)| connector),
            (Some(&c), Some(&(initial, connector))) => {
                (c == initial && go(&l[1..], &w[1..])) || (connector && go(l, &w[1..]))
            }
        }
    }
    letters.len() >= 2 && words.len() >= 2 && words.len() <= 16 && go(&letters, &words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        abbreviations(text)
            .into_iter()
            .map(|d| (text[d.short].to_string(), text[d.long].to_string()))
            .collect()
    }

    #[test]
    fn long_form_then_abbreviation_in_parentheses() {
        assert_eq!(
            pairs("terror groups such as the Islamic State Khorasan Province (ISKP), that"),
            vec![("ISKP".into(), "Islamic State Khorasan Province".into())]
        );
        assert_eq!(
            pairs(
                "include the Pakistan People’s Party (PPP) and Pakistan Muslim League-Nawaz (PMLN)."
            ),
            vec![
                ("PPP".into(), "Pakistan People’s Party".into()),
                ("PMLN".into(), "Pakistan Muslim League-Nawaz".into())
            ]
        );
        assert_eq!(
            pairs("the South Asian Association for Regional Cooperation (SAARC) which"),
            vec![(
                "SAARC".into(),
                "South Asian Association for Regional Cooperation".into()
            )]
        );
    }

    #[test]
    fn abbreviation_then_long_form_in_brackets() {
        assert_eq!(
            pairs(
                "groups like IS-K [Islamic State – Khorasan Province, an affiliate of the Islamic State group], like the TTP [Tehrik-i-Taliban Pakistan], like"
            ),
            vec![
                ("IS-K".into(), "Islamic State – Khorasan Province".into()),
                ("TTP".into(), "Tehrik-i-Taliban Pakistan".into())
            ]
        );
        assert_eq!(
            pairs("carried out by ISIS-K (Islamic State-Khorasan Province), the"),
            vec![("ISIS-K".into(), "Islamic State-Khorasan Province".into())]
        );
    }

    #[test]
    fn long_form_or_abbreviation() {
        assert_eq!(
            pairs("The Tehreek-e-Taliban Pakistan or TTP for short-hand have"),
            vec![("TTP".into(), "Tehreek-e-Taliban Pakistan".into())]
        );
    }

    #[test]
    fn unrelated_brackets_are_not_definitions() {
        assert!(pairs("funded by CIA, Mossad, and RAW [American, Israeli, and Indian Intelligence agencies].").is_empty());
        assert!(pairs("the killing of leader [Ayman] al-Zawahiri").is_empty());
        assert!(pairs("killed 13 members (US Navy) of").is_empty());
        assert!(pairs("the fence (so they could freely move)").is_empty());
    }
}
