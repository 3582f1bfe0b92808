//! Splitting a text into words, as the learning, matching and name stages
//! see them: byte offsets into the text, with the facts about capitals and
//! sentence starts that tell names from ordinary words.

use super::discover::is_function_word;
use super::normalize::is_word_char;
use rustc_hash::FxHashSet as HashSet;

/// A word of a text, as the name finder sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Starts with a capital (or is "al-Qaida"-like).
    pub(crate) cap: bool,
    /// First word of a sentence, heading or quotation.
    pub(crate) sentence_start: bool,
    /// Only spaces (no line break) separate it from the previous token.
    pub(crate) joined: bool,
    /// First word of a line, or of a bulleted or barred item ("•", "|"):
    /// where one block of a page starts.
    pub(crate) segment_start: bool,
    /// In a title-case heading, where capitals say nothing: its names
    /// are only those known from elsewhere.
    pub(crate) heading: bool,
    /// In a short block of capitalised words alone on its line or item
    /// ("• Zubair Hotak", "By Aamir Khan"): a name, as in bylines, lists
    /// and infoboxes, unless its words are ordinary ones ("Related
    /// Stories").
    pub(crate) name_block: bool,
}

/// Words are split a piece of text at a time (cut at paragraph or line
/// breaks), so the token list of a huge document is never whole in memory.
pub(crate) const TOKEN_PIECE: usize = 64 * 1024;

/// The tokens of `text[piece]`, with offsets into `text`.
pub(crate) fn tokens_in(text: &str, piece: std::ops::Range<usize>) -> Vec<Token> {
    let base = piece.start;
    let mut toks = tokens(&text[piece]);
    for t in &mut toks {
        t.start += base;
        t.end += base;
    }
    toks
}

fn tokens(text: &str) -> Vec<Token> {
    // About one word in seven bytes of prose.
    let mut out = Vec::with_capacity(text.len() / 7);
    // Positions are byte offsets; nothing is copied per character.
    let bytes = text.as_bytes();
    let ch = |at: usize| -> Option<char> {
        match *bytes.get(at)? {
            b if b < 0x80 => Some(char::from(b)),
            _ => text.get(at..).and_then(|t| t.chars().next()),
        }
    };
    let mut i = 0;
    let mut boundary = true; // sentence boundary seen since the last token
    let mut newline = true;
    // A line break, bullet or bar seen since the last token.
    let mut segment = true;
    while let Some(c) = ch(i) {
        let pos = i;
        if !is_word_char(c) {
            if matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | '…' | '•' | '|' | '“' | '"' | '(' | '['
            ) {
                boundary = true;
            }
            if matches!(c, '•' | '|' | '·') {
                segment = true;
            }
            if c == '\n' {
                boundary = true;
                newline = true;
                segment = true;
            }
            i += c.len_utf8();
            continue;
        }
        let mut start = pos;
        let mut j = i;
        // "non-NATO", "anti-ISIS": the name starts after the prefix (each
        // of which starts with one of these letters).
        let prefixes: &[&str] = if matches!(bytes[pos], b'n' | b'a' | b'p' | b'e') {
            &["non-", "anti-", "pro-", "ex-", "pre-", "post-", "neo-"]
        } else {
            &[]
        };
        for prefix in prefixes {
            if let Some(rest) = text[pos..].strip_prefix(prefix)
                && rest.chars().next().is_some_and(char::is_uppercase)
            {
                start = pos + prefix.len();
                j = i + prefix.len();
                break;
            }
        }
        // A word glued to the next by scraping ("topicsOperation") stays
        // one word: a mention there would cut it.
        loop {
            // ASCII letters and digits first, a byte at a time.
            while bytes.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            }
            while let Some(c) = ch(j).filter(|&c| is_word_char(c)) {
                j += c.len_utf8();
            }
            // Internal hyphens and apostrophes join ("Rudd-ul-Fasaad").
            if let Some(c) = ch(j)
                && matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\'' | '’')
                && ch(j + c.len_utf8()).is_some_and(is_word_char)
            {
                j += c.len_utf8();
                continue;
            }
            break;
        }
        let mut end = j.min(text.len());
        let word = &text[start..end];
        for suffix in ["’s", "'s", "’", "'"] {
            if word.len() > suffix.len() + 1 && word.ends_with(suffix) {
                end -= suffix.len();
                break;
            }
        }
        // "Islamabad-based", "Taliban-brokered": the name is the first part.
        let word = &text[start..end];
        if word.chars().next().is_some_and(char::is_uppercase)
            && let Some(h) = word.rfind('-')
            && word[h + 1..].chars().next().is_some_and(char::is_lowercase)
            && word[h + 1..].chars().count() >= 3
        {
            end = start + h;
        }
        let word = &text[start..end];
        let first = word.chars().next().unwrap_or(' ');
        let cap = first.is_uppercase()
            || matches!(
                word.as_bytes().first(),
                Some(b'a' | b'e' | b'u' | b'b' | b'i')
            ) && word
                .split_once(['-', '\u{2010}', '\u{2011}'])
                .is_some_and(|(p, rest)| {
                    matches!(
                        p,
                        "al" | "el" | "ul" | "ud" | "ur" | "bin" | "ibn" | "as" | "ad"
                    ) && rest.chars().next().is_some_and(char::is_uppercase)
                });
        let gap = &text[out.last().map_or(0, |t: &Token| t.end)..start];
        let joined =
            !out.is_empty() && !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{A0}');
        out.push(Token {
            start,
            end,
            cap,
            sentence_start: boundary || newline,
            joined,
            segment_start: segment,
            heading: false,
            name_block: false,
        });
        boundary = false;
        newline = false;
        segment = false;
        i = j;
    }
    mark_headings(text, &mut out);
    out
}

/// The most words a heading has: a headline with a site name run on to
/// it ("… Talks Resume In Doha the daily courier") still is one.
const MAX_HEADING_WORDS: usize = 24;

/// In a title-case heading every word is capitalised, so capitals say nothing
/// there: its words are marked [`Token::heading`]. Each block of a line (cut
/// at bullets, bars and glued boundaries) is judged on its own.
///
/// A short block that is all capitalised words with no function word
/// inside ("• Zubair Hotak", "By Aamir Khan", "Leader: Noor Wali
/// Mehsud") is a name, as in bylines, lists and infoboxes: not a heading.
fn mark_headings(text: &str, toks: &mut [Token]) {
    let mut a = 0;
    while a < toks.len() {
        let mut b = a + 1;
        while b < toks.len() && !toks[b].segment_start {
            b += 1;
        }
        match block(
            text,
            &toks[a..b],
            toks.get(b).map_or(text.len(), |t| t.start),
        ) {
            Block::Heading => toks[a..b].iter_mut().for_each(|t| t.heading = true),
            Block::Name => toks[a..b].iter_mut().for_each(|t| t.name_block = true),
            Block::Text => {}
        }
        a = b;
    }
}

/// What a block of a line is.
enum Block {
    Text,
    Heading,
    Name,
}

/// What the block `words` (whose text runs on to `rest_end`) is.
fn block(text: &str, words: &[Token], rest_end: usize) -> Block {
    // The cheap tests first: most blocks are paragraphs, not headings.
    let Some(last) = words.last() else {
        return Block::Text;
    };
    if !(2..=MAX_HEADING_WORDS).contains(&words.len()) {
        return Block::Text;
    }
    let tail = &text[last.end..rest_end.max(last.end)];
    let tail = tail
        .split(['\n', '•', '|', '·'])
        .next()
        .unwrap_or("")
        .trim_end();
    // A sentence ends so; a heading (even a question) does not.
    if tail.ends_with(['.', ',', ';', ':', '"', '”']) {
        return Block::Text;
    }
    let word = |t: &Token| &text[t.start..t.end];
    if words.len() <= 4
        && words.iter().all(|t| t.cap)
        && words[1..].iter().all(|t| !is_function_word(word(t)))
    {
        return Block::Name;
    }
    let caps = words.iter().filter(|t| t.cap).count();
    let content = words
        .iter()
        .filter(|t| t.cap || !is_function_word(word(t)))
        .count();
    if caps * 10 >= content * 7 {
        Block::Heading
    } else {
        Block::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text).iter().map(|t| &text[t.start..t.end]).collect()
    }

    /// The words of `text` marked `pick`.
    fn marked(text: &str, pick: fn(&Token) -> bool) -> Vec<&str> {
        tokens(text)
            .iter()
            .filter(|t| pick(t))
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn inner_capitals_of_real_words_stay_whole() {
        let text =
            "McDonald met the PakArmy on YouTube with an iPhone; alQaeda and DeLuca, al-Qaeda.";
        assert_eq!(
            words(text),
            vec![
                "McDonald", "met", "the", "PakArmy", "on", "YouTube", "with", "an", "iPhone",
                "alQaeda", "and", "DeLuca", "al-Qaeda"
            ]
        );
    }

    #[test]
    fn title_case_headings_are_marked_even_long_or_asking() {
        let text = "Rangers And Police Coordinate To Dismantle Extortion Ring In Sweeping Karachi Crackdown Across Six Districts the daily herald\n\nWho Funds The Militants?\n\nPolice in Karachi said on Monday that they had arrested six men.";
        let heading = marked(text, |t| t.heading);
        assert!(heading.contains(&"Coordinate") && heading.contains(&"herald"));
        assert!(heading.contains(&"Funds"));
        assert!(!heading.contains(&"Police") || !heading.contains(&"arrested"));
        assert!(!heading.contains(&"arrested"));
    }

    #[test]
    fn short_blocks_of_names_are_names_not_headings() {
        let text = "Author\n\n  • Nadia Qureshi\n\nBy Tariq Mengal\n\nLeader: Noor Wali Mehsud | Founded: 2007";
        assert!(
            marked(text, |t| t.heading).is_empty(),
            "{:?}",
            marked(text, |t| t.heading)
        );
        let names = marked(text, |t| t.name_block);
        for w in [
            "Nadia", "Qureshi", "By", "Tariq", "Mengal", "Noor", "Wali", "Mehsud",
        ] {
            assert!(names.contains(&w), "{w}: {names:?}");
        }
    }
}
/// Corpus-wide word facts that tell names from ordinary words.
#[derive(Default, Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WordSets {
    /// Words the corpus uses in lower case (so "Tensions" opening a heading
    /// is an ordinary word).
    pub(crate) lowercase: HashSet<String>,
    /// Capitalised words seen inside a sentence, not only opening one (nor
    /// in a title-case heading or a block of names, where every word is).
    pub(crate) mid_sentence: HashSet<String>,
}

/// `set.contains(w.to_lowercase())`, without allocating for a short ASCII
/// word (nearly every word).
pub(crate) fn contains_lowercased(set: &HashSet<String>, w: &str) -> bool {
    super::normalize::with_lowercase(w, |l| set.contains(l))
}

impl WordSets {
    /// Adds the words of one text.
    pub(crate) fn add(&mut self, text: &str, toks: &[Token]) {
        for t in toks {
            let w = &text[t.start..t.end];
            if !t.cap {
                if !self.lowercase.contains(w) {
                    self.lowercase.insert(w.to_lowercase());
                }
            } else if !(t.sentence_start
                || t.heading
                || t.name_block
                || self.mid_sentence.contains(w))
            {
                self.mid_sentence.insert(w.to_string());
            }
        }
    }

    /// The words whose standing differs between `self` and `other`: in
    /// one set and not in the other.
    pub fn changed(&self, other: &WordSets) -> WordSets {
        let differ = |a: &HashSet<String>, b: &HashSet<String>| -> HashSet<String> {
            a.symmetric_difference(b).cloned().collect()
        };
        WordSets {
            lowercase: differ(&self.lowercase, &other.lowercase),
            mid_sentence: differ(&self.mid_sentence, &other.mid_sentence),
        }
    }

    /// Are both sets empty?
    pub fn is_empty(&self) -> bool {
        self.lowercase.is_empty() && self.mid_sentence.is_empty()
    }

    /// Is `w`, or `w` in lower case, a word of these sets? (What tells
    /// whether the standing of a document's word is among the changed.)
    pub fn has_any(&self, w: &str) -> bool {
        self.mid_sentence.contains(w) || contains_lowercased(&self.lowercase, w)
    }

    /// Adds another share's words.
    pub fn merge(&mut self, other: WordSets) {
        // The larger set absorbs the smaller.
        let (mut a, b) = if self.lowercase.len() >= other.lowercase.len() {
            (std::mem::take(&mut self.lowercase), other.lowercase)
        } else {
            (other.lowercase, std::mem::take(&mut self.lowercase))
        };
        a.extend(b);
        self.lowercase = a;
        let (mut a, b) = if self.mid_sentence.len() >= other.mid_sentence.len() {
            (std::mem::take(&mut self.mid_sentence), other.mid_sentence)
        } else {
            (other.mid_sentence, std::mem::take(&mut self.mid_sentence))
        };
        a.extend(b);
        self.mid_sentence = a;
    }
}
