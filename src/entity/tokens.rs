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
    while let Some(c) = ch(i) {
        let pos = i;
        if !is_word_char(c) {
            if matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | '…' | '•' | '|' | '“' | '"' | '(' | '['
            ) {
                boundary = true;
            }
            if c == '\n' {
                boundary = true;
                newline = true;
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
        });
        boundary = false;
        newline = false;
        i = j;
    }
    mark_headings(text, &mut out);
    out
}

/// In a title-case heading every word is capitalised, so capitals say nothing
/// there: its words count as opening a sentence.
fn mark_headings(text: &str, toks: &mut [Token]) {
    let mut line_start = 0;
    let mut ti = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let first = ti;
        while ti < toks.len() && toks[ti].start < line_end {
            ti += 1;
        }
        let words = &toks[first..ti];
        let trimmed = line.trim_end();
        // The cheap tests first: most lines are paragraphs, not headings.
        let heading_like = (2..=14).contains(&words.len())
            && !trimmed.ends_with(['.', '!', '?', ',', ';', ':', '"', '”']);
        let caps = || words.iter().filter(|t| t.cap).count();
        let content = || {
            words
                .iter()
                .filter(|t| t.cap || !is_function_word(&text[t.start..t.end]))
                .count()
        };
        if heading_like && caps() * 10 >= content() * 7 {
            for t in &mut toks[first..ti] {
                t.sentence_start = true;
            }
        }
        line_start = line_end;
    }
}
/// Corpus-wide word facts that tell names from ordinary words.
#[derive(Default)]
pub struct WordSets {
    /// Words the corpus uses in lower case (so "Tensions" opening a heading
    /// is an ordinary word).
    pub(crate) lowercase: HashSet<String>,
    /// Capitalised words seen inside a sentence, not only opening one.
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
            } else if !t.sentence_start && !self.mid_sentence.contains(w) {
                self.mid_sentence.insert(w.to_string());
            }
        }
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
