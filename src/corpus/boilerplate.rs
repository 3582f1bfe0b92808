//! Boilerplate detection: newsletter sign-ups, related-links and "latest
//! stories" tails, author bios, photo credits and stray CSS.
//!
//! Everything here only *marks* byte ranges; the text is never changed. All
//! ranges start and end on char boundaries (they are built from positions of
//! ASCII bytes, line boundaries and trimmed slices).

use std::ops::Range;

/// Headings that open a block which, near the end of a document, runs to the
/// end (over paragraphs of at most [`STRONG_PARA_WORDS`] words).
const STRONG_HEADINGS: &[&str] = &[
    "related news",
    "related posts",
    "related articles",
    "related stories",
    "related content",
    "related coverage",
    "related",
    "latest stories",
    "latest news",
    "latest posts",
    "latest articles",
    "you might also like",
    "you may also like",
    "you might like",
    "you may like",
    "more stories",
    "more news",
    "more articles",
    "more like this",
    "recommended",
    "recommended for you",
    "recommended stories",
    "recommended articles",
    "most read",
    "most popular",
    "popular posts",
    "trending",
    "trending now",
    "author",
    "authors",
    "about the author",
    "about the authors",
    "author bio",
    "see also",
];

/// Headings that only run over short, link-like paragraphs.
const WEAK_HEADINGS: &[&str] = &[
    "read more",
    "read next",
    "also read",
    "share this",
    "share this article",
    "share this story",
    "share this post",
    "share",
    "tags",
    "comments",
    "leave a reply",
    "leave a comment",
    "advertisement",
];

/// Phrases that, at the start of a line followed by an ellipsis, a colon or
/// glued text, are boilerplate on their own ("You might also like...“Quote").
const LEADING_PHRASES: &[&str] = &[
    "you might also like",
    "you may also like",
    "related news",
    "related articles",
    "related posts",
    "related stories",
    "latest stories",
    "read more",
    "read next",
    "also read",
    "more stories",
    "recommended",
    "see also",
];

/// Whole lines that are newsletter sign-up headings.
const SIGNUP_HEADINGS: &[&str] = &[
    "stay in the loop",
    "subscribe",
    "subscribe now",
    "subscribe today",
    "newsletter",
    "our newsletter",
    "sign up",
    "sign up now",
    "join our newsletter",
    "get our newsletter",
    "sign up for our newsletter",
    "subscribe to our newsletter",
];

/// Line starts that, with a newsletter word in the line, make a sign-up line.
const SIGNUP_PREFIXES: &[&str] = &[
    "signup for",
    "sign up for",
    "sign up to",
    "sign-up for",
    "subscribe to",
    "subscribe for",
    "join our",
    "get our",
    "get the latest",
    "get regular updates",
    "enter your email",
];
const SIGNUP_WORDS: &[&str] = &[
    "newsletter",
    "updates",
    "inbox",
    "email",
    "e-mail",
    "subscribe",
    "mailing list",
];

/// Whole lines of site furniture (nice-to-have list).
const FURNITURE_PREFIXES: &[&str] = &[
    "for more stories from",
    "follow us on",
    "click here to subscribe",
    "copyright ",
    "copyright:",
    "©",
    "(c) ",
    "all rights reserved",
];

/// Parenthesised photo credits.
const CREDIT_OPENERS: &[&str] = &[
    "(photo credit",
    "(credit:",
    "(image credit",
    "(photo:",
    "(photo by ",
    "(photos:",
    "(image:",
    "(picture:",
    "(courtesy",
    "(file photo",
    "(source: reuters",
    "(source: ap",
];

/// Verbs that follow the name at the start of an author bio.
const BIO_VERBS: &[&str] = &[
    "is a ",
    "is an ",
    "is the ",
    "is currently ",
    "is based ",
    "spent ",
    "has spent ",
    "has been ",
    "has worked ",
    "holds ",
    "writes ",
    "teaches ",
    "served ",
    "works ",
    "covers ",
    "reports ",
    "was a ",
    "was an ",
];

/// Vocabulary of author bios.
const BIO_WORDS: &[&str] = &[
    "researcher",
    "analyst",
    "journalist",
    "writer",
    "author",
    "editor",
    "correspondent",
    "columnist",
    "fellow",
    "professor",
    "lecturer",
    "expert",
    "activist",
    "chairman",
    "chairperson",
    "director",
    "reporter",
    "contributor",
    "commentator",
    "scholar",
    "graduate",
    "degree",
    "m.a.",
    "phd",
    "ph.d",
    "bachelor",
    "master's",
    "university",
    "podcast",
    "teaches",
    "writes",
    "career",
    "twitter",
    "follow him",
    "follow her",
    "member of",
    "years in",
    "advocating",
    "based in",
    "-based",
];

/// Sentence openers that are not names.
const NOT_NAMES: &[&str] = &[
    "The", "This", "That", "These", "Those", "It", "In", "On", "At", "A", "An", "But", "And", "If",
    "When", "While", "As", "Our", "We", "He", "She", "They", "His", "Her", "Their", "There",
    "Here", "What", "Who", "Why", "How", "Its", "For", "From", "After", "Before", "Since",
];

const STRONG_PARA_WORDS: usize = 120;
const WEAK_PARA_WORDS: usize = 25;
const BIO_MAX_WORDS: usize = 150;

/// Byte ranges of boilerplate in `text`: sorted, disjoint, on char
/// boundaries. See the module docs for what is recognised.
pub fn find_boilerplate(text: &str) -> Vec<Range<usize>> {
    let lines = split_lines(text);
    let content_end = text.trim_end().len();
    let css = css_runs(text);
    let mut out: Vec<Range<usize>> = css.clone();
    let linky = linky_tails(text, &lines, &css);
    // End of the last heading block: lines inside it are not looked at again.
    let mut covered_until = 0;

    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() || line.ts < covered_until {
            continue;
        }
        let content = &text[line.ts..line.te];
        // Only short lines can be headings; avoid lowercasing long prose.
        if content.len() <= 100 {
            let norm = normalize_heading(content);
            let near_end = line.ts.saturating_mul(10) >= content_end.saturating_mul(6);
            let strong = STRONG_HEADINGS.contains(&norm.as_str());
            if strong || WEAK_HEADINGS.contains(&norm.as_str()) {
                // Away from the end, a strong heading still opens a block
                // when everything after it is short, link-like paragraphs.
                let extend = near_end || (strong && linky[i]);
                let max_words = if strong {
                    STRONG_PARA_WORDS
                } else {
                    WEAK_PARA_WORDS
                };
                let block = heading_block(text, &lines, i, &css, extend, max_words);
                covered_until = block.end;
                out.push(block);
                continue;
            }
            if SIGNUP_HEADINGS.contains(&norm.as_str()) {
                out.push(line.ts..line.te);
                continue;
            }
        }
        if is_signup_line(content) || is_furniture_line(content) {
            out.push(line.ts..line.te);
            continue;
        }
        if let Some(r) = leading_phrase_range(content) {
            out.push(line.ts + r.start..line.ts + r.end);
        }
    }

    out.extend(author_bios(text, &lines, content_end));
    out.extend(photo_credits(text));
    merge(out)
}

/// The rest of `line` after a leading boilerplate phrase such as
/// "You might also like..." (the whole line when there is none; an empty
/// string when the line is nothing but a boilerplate heading).
pub(crate) fn strip_leading_phrase(line: &str) -> &str {
    let trimmed = line.trim();
    if trimmed.len() <= 100 {
        let norm = normalize_heading(trimmed);
        if STRONG_HEADINGS.contains(&norm.as_str())
            || WEAK_HEADINGS.contains(&norm.as_str())
            || SIGNUP_HEADINGS.contains(&norm.as_str())
        {
            return "";
        }
    }
    match phrase_prefix(trimmed) {
        Some(n) => &trimmed[n..],
        None => line,
    }
}

/// The rest of `line` after stray CSS rules at its start (the whole line when
/// it does not start with CSS).
pub(crate) fn strip_leading_css(line: &str) -> &str {
    let trimmed = line.trim_start();
    match css_runs(trimmed).first() {
        Some(r) if r.start == 0 => &trimmed[r.end..],
        _ => line,
    }
}

#[derive(Debug, Clone, Copy)]
struct Line {
    /// Start of the trimmed content.
    ts: usize,
    /// End of the trimmed content.
    te: usize,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.ts >= self.te
    }
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split('\n') {
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        let ts = start + lead;
        lines.push(Line {
            ts,
            te: ts + trimmed.len(),
        });
        start += piece.len() + 1;
    }
    lines
}

/// Lowercased heading text without markdown/bullet marks and trailing
/// punctuation: "## Related News:" → "related news".
fn normalize_heading(s: &str) -> String {
    let s = s
        .trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '#' | '*' | '_' | '•' | '-' | '>' | '|')
        })
        .trim_end_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ':' | '.' | '…' | '!' | '*' | '_' | '#' | '|' | '»' | '›' | '>'
                )
        });
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}

/// For each line: whether every paragraph after it (up to the line where
/// stray CSS starts, or the end) has at most [`WEAK_PARA_WORDS`] words, and
/// there is at least one. One backward pass.
fn linky_tails(text: &str, lines: &[Line], css: &[Range<usize>]) -> Vec<bool> {
    // Lines on which a CSS run starts.
    let mut css_line = vec![false; lines.len()];
    let mut next_css = 0;
    for (i, line) in lines.iter().enumerate() {
        let line_end = lines.get(i + 1).map_or(text.len(), |l| l.ts);
        while next_css < css.len() && css[next_css].start < line_end {
            if css[next_css].start >= line.ts {
                css_line[i] = true;
            }
            next_css += 1;
        }
    }
    let mut out = vec![false; lines.len()];
    let (mut open, mut ok, mut any) = (0usize, true, false);
    for i in (0..lines.len()).rev() {
        out[i] = any && ok && open <= WEAK_PARA_WORDS;
        let line = lines[i];
        if css_line[i] {
            (open, ok, any) = (0, true, false);
        } else if line.is_blank() {
            ok = ok && open <= WEAK_PARA_WORDS;
            open = 0;
        } else {
            // Only `open <= WEAK_PARA_WORDS` matters: words past the
            // first one too many are not counted.
            let room = (WEAK_PARA_WORDS + 1).saturating_sub(open);
            open += text[line.ts..line.te].split_whitespace().take(room).count();
            any = true;
        }
    }
    out
}

/// A heading line plus, when `extend`, the paragraphs that follow it
/// (stopping at stray CSS and at a paragraph longer than `max_words`).
fn heading_block(
    text: &str,
    lines: &[Line],
    i: usize,
    css: &[Range<usize>],
    extend: bool,
    max_words: usize,
) -> Range<usize> {
    let start = lines[i].ts;
    let mut end = lines[i].te;
    if !extend {
        return start..end;
    }
    let first_css = css.partition_point(|r| r.start < end);
    let css_stop = css.get(first_css).map_or(usize::MAX, |r| r.start);
    let mut j = i + 1;
    while j < lines.len() {
        if lines[j].is_blank() {
            j += 1;
            continue;
        }
        // A paragraph: lines j..k.
        let mut k = j;
        let mut words = 0;
        while k < lines.len() && !lines[k].is_blank() && words <= max_words {
            words += text[lines[k].ts..lines[k].te].split_whitespace().count();
            k += 1;
        }
        if words > max_words {
            break;
        }
        let p_start = lines[j].ts;
        let p_end = lines[k - 1].te;
        if p_start >= css_stop {
            break;
        }
        if css_stop < p_end {
            let before = text[p_start..css_stop].trim_end();
            if !before.is_empty() {
                end = p_start + before.len();
            }
            break;
        }
        end = p_end;
        j = k;
    }
    start..end
}

fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn is_signup_line(line: &str) -> bool {
    let l = line.trim_start_matches(|c: char| !c.is_alphanumeric());
    if !SIGNUP_PREFIXES.iter().any(|p| starts_with_ci(l, p)) {
        return false;
    }
    if l.split_whitespace().nth(40).is_some() {
        return false;
    }
    let lower = l.to_lowercase();
    SIGNUP_WORDS.iter().any(|w| lower.contains(w))
}

fn is_furniture_line(line: &str) -> bool {
    // At most 20 words: a long line is not read to its end.
    let short = line.split_whitespace().nth(20).is_none();
    short
        && (FURNITURE_PREFIXES.iter().any(|p| starts_with_ci(line, p))
            || line.to_lowercase().contains("all rights reserved"))
}

/// Length of a leading boilerplate phrase plus the ellipsis/colon after it,
/// when the phrase is followed by an ellipsis, a colon or glued text.
fn phrase_prefix(line: &str) -> Option<usize> {
    for p in LEADING_PHRASES {
        if !starts_with_ci(line, p) {
            continue;
        }
        let rest = &line[p.len()..];
        let after_dots = rest
            .strip_prefix("...")
            .or_else(|| rest.strip_prefix('…'))
            .unwrap_or(rest);
        let after = after_dots.strip_prefix(':').unwrap_or(after_dots);
        let consumed = rest.len() - after.len();
        if consumed > 0 {
            return Some(p.len() + consumed);
        }
        // Glued text ("Read moreHeadline"), but not a longer word
        // ("Recommended" vs "Recommendedly") or plain prose ("Read more about").
        let next = rest.chars().next();
        match next {
            Some(c) if c.is_alphabetic() && c.is_lowercase() => continue,
            Some(c) if c.is_whitespace() => continue,
            Some(c) if c.is_alphanumeric() || OPENING_QUOTE_CHARS.contains(&c) => {
                return Some(p.len());
            }
            _ => continue,
        }
    }
    None
}

const OPENING_QUOTE_CHARS: &[char] = &['“', '"', '‘', '\'', '«', '„'];

/// Range (relative to the line) of a leading phrase: the whole line when it is
/// a "Read more: <link title>" line, otherwise just the phrase.
fn leading_phrase_range(line: &str) -> Option<Range<usize>> {
    let n = phrase_prefix(line)?;
    let phrase = &line[..n];
    let rest = &line[n..];
    if phrase.trim_end().ends_with(':') && rest.split_whitespace().nth(20).is_none() {
        return Some(0..line.len());
    }
    let phrase_end = phrase.trim_end().len();
    Some(0..phrase_end)
}

/// Author bios in the last quarter: a paragraph that opens with a name and a
/// bio verb ("Faran Jeffery is a …", "Jason spent 23 years …") and uses bio
/// vocabulary.
fn author_bios(text: &str, lines: &[Line], content_end: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let min_start = content_end.saturating_mul(3) / 4;
    let mut j = 0;
    while j < lines.len() {
        if lines[j].is_blank() {
            j += 1;
            continue;
        }
        let mut k = j;
        while k < lines.len() && !lines[k].is_blank() {
            k += 1;
        }
        let (start, end) = (lines[j].ts, lines[k - 1].te);
        if start >= min_start && is_bio(&text[start..end]) {
            out.push(start..end);
        }
        j = k;
    }
    out
}

fn is_bio(para: &str) -> bool {
    let para = para.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '•' | '*' | '-'));
    if para.split_whitespace().nth(BIO_MAX_WORDS).is_some() {
        return false;
    }
    let mut names = 0;
    let mut rest = para;
    loop {
        let word_end = rest.find(' ').unwrap_or(rest.len());
        let word = &rest[..word_end];
        if names >= 5 || !is_name_word(word) || (names == 0 && NOT_NAMES.contains(&word)) {
            break;
        }
        names += 1;
        rest = rest[word_end..].trim_start_matches(' ');
    }
    if names == 0 || !BIO_VERBS.iter().any(|v| rest.starts_with(v)) {
        return false;
    }
    let lower = para.to_lowercase();
    let hits = BIO_WORDS.iter().filter(|w| lower.contains(*w)).count();
    if names >= 2 { hits >= 1 } else { hits >= 2 }
}

fn is_name_word(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    first.is_uppercase()
        && word.len() <= 30
        && chars.all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
}

/// Parenthesised photo credits: "(photo credit: Kena Betancur/Pool via
/// REUTERS)", "(credit: REUTERS/…)".
fn photo_credits(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'(') {
        let open = i + off;
        i = open + 1;
        let rest = &text[open..];
        if !CREDIT_OPENERS.iter().any(|p| starts_with_ci(rest, p)) {
            continue;
        }
        let window = &bytes[open..bytes.len().min(open + 300)];
        let close = window.iter().position(|&b| b == b')' || b == b'\n');
        if let Some(c) = close
            && window[c] == b')'
        {
            out.push(open..open + c + 1);
            i = open + c + 1;
        }
    }
    out
}

/// Sorts and merges overlapping or touching ranges; drops empty ones.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Stray CSS

/// HTML element names accepted as bare type selectors.
const TAGS: &[&str] = &[
    "html",
    "body",
    "div",
    "span",
    "p",
    "a",
    "img",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "section",
    "header",
    "footer",
    "nav",
    "article",
    "main",
    "aside",
    "button",
    "input",
    "form",
    "label",
    "iframe",
    "svg",
    "figure",
    "figcaption",
    "blockquote",
    "pre",
    "code",
    "strong",
    "em",
    "b",
    "i",
    "small",
    "hr",
    "br",
    "textarea",
    "select",
    "video",
    "audio",
    "canvas",
    "picture",
    "source",
];

/// Maximal runs of `selector { prop: value; … }` rules (separated only by
/// whitespace). Each range runs from the first selector char to the last `}`.
fn css_runs(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'{') {
        let brace = i + off;
        let Some(end) = rule_body_end(b, brace) else {
            i = brace + 1;
            continue;
        };
        let floor = runs.last().map_or(0, |r| r.end);
        let Some(start) = selector_start(b, brace, floor) else {
            i = brace + 1;
            continue;
        };
        match runs.last_mut() {
            Some(last) if b[last.end..start].iter().all(u8::is_ascii_whitespace) => {
                last.end = end;
            }
            _ => runs.push(start..end),
        }
        i = end;
    }
    runs
}

/// Parses `{ prop: value; … }` from the `{` at `brace`; returns the index
/// just past `}` when it holds at least one declaration.
fn rule_body_end(b: &[u8], brace: usize) -> Option<usize> {
    const MAX_BODY: usize = 4096;
    let limit = b.len().min(brace + MAX_BODY);
    let mut j = brace + 1;
    let mut decls = 0;
    loop {
        while j < limit && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j >= limit {
            return None;
        }
        if b[j] == b'}' {
            return (decls > 0).then_some(j + 1);
        }
        // property
        let p = j;
        while j < limit && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        if j == p || !b[p].is_ascii_alphabetic() && b[p] != b'-' {
            return None;
        }
        while j < limit && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if j >= limit || b[j] != b':' {
            return None;
        }
        j += 1;
        // value
        let v = j;
        while j < limit && !matches!(b[j], b';' | b'}' | b'{' | b'\n') {
            j += 1;
        }
        if j >= limit || b[j] == b'{' || b[j] == b'\n' {
            return None;
        }
        if b[v..j].iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        decls += 1;
        if b[j] == b';' {
            j += 1;
        }
    }
}

/// Walks back from `brace` over selector tokens; returns where the selector
/// starts, or `None` when there is no CSS-looking selector.
fn selector_start(b: &[u8], brace: usize, floor: usize) -> Option<usize> {
    let mut k = brace;
    let mut start = None;
    loop {
        while k > floor && matches!(b[k - 1], b' ' | b'\t' | b'\r' | b'\n') {
            k -= 1;
        }
        let end = k;
        while k > floor && b[k - 1].is_ascii_graphic() && !matches!(b[k - 1], b'{' | b'}' | b';') {
            k -= 1;
        }
        if k == end {
            break;
        }
        let token = &b[k..end];
        if valid_compound(token) {
            start = Some(k);
            continue;
        }
        // Prose glued to a selector ("spin.#pf-body"): use the longest valid
        // suffix that starts at '#' or '.'.
        let mut found = None;
        for (off, &c) in token.iter().enumerate().skip(1) {
            if (c == b'#' || c == b'.') && valid_compound(&token[off..]) {
                found = Some(k + off);
                break;
            }
        }
        if found.is_some() {
            start = found;
        }
        break;
    }
    start
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}

/// One compound selector (`div#id.cls:hover`, `#pf-body`, `>`, `h1,`).
fn valid_compound(tok: &[u8]) -> bool {
    let tok = tok.strip_suffix(b",").unwrap_or(tok);
    if tok.is_empty() {
        return false;
    }
    if matches!(tok, b">" | b"+" | b"~") {
        return true;
    }
    let mut i = 0;
    if tok[0] == b'*' {
        i = 1;
    } else if tok[0].is_ascii_lowercase() {
        while i < tok.len() && (tok[i].is_ascii_lowercase() || tok[i].is_ascii_digit()) {
            i += 1;
        }
        let Ok(name) = std::str::from_utf8(&tok[..i]) else {
            return false;
        };
        if !TAGS.contains(&name) {
            return false;
        }
    }
    while i < tok.len() {
        match tok[i] {
            b'#' | b'.' => {
                i += 1;
                let s = i;
                while i < tok.len() && is_ident_byte(tok[i]) {
                    i += 1;
                }
                if i == s || tok[s].is_ascii_digit() {
                    return false;
                }
            }
            b':' => {
                i += 1;
                if i < tok.len() && tok[i] == b':' {
                    i += 1;
                }
                let s = i;
                while i < tok.len() && is_ident_byte(tok[i]) {
                    i += 1;
                }
                if i == s {
                    return false;
                }
                if i < tok.len() && tok[i] == b'(' {
                    match tok[i..].iter().position(|&c| c == b')') {
                        Some(p) => i += p + 1,
                        None => return false,
                    }
                }
            }
            b'[' => match tok[i..].iter().position(|&c| c == b']') {
                Some(p) => i += p + 1,
                None => return false,
            },
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(prefix: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            panic!("cannot read {}", dir.display());
        };
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with(prefix) {
                match std::fs::read_to_string(e.path()) {
                    Ok(s) => return s,
                    Err(err) => panic!("{err}"),
                }
            }
        }
        panic!("no seed {prefix}");
    }

    fn covered(ranges: &[Range<usize>], text: &str, needle: &str) -> bool {
        let Some(at) = text.find(needle) else {
            panic!("needle not in text: {needle}");
        };
        let span = at..at + needle.len();
        ranges
            .iter()
            .any(|r| r.start <= span.start && span.end <= r.end)
    }

    fn touched(ranges: &[Range<usize>], text: &str, needle: &str) -> bool {
        let Some(at) = text.find(needle) else {
            panic!("needle not in text: {needle}");
        };
        let span = at..at + needle.len();
        ranges
            .iter()
            .any(|r| r.start < span.end && span.start < r.end)
    }

    fn assert_well_formed(text: &str, ranges: &[Range<usize>]) {
        for w in ranges.windows(2) {
            assert!(w[0].end < w[1].start, "not sorted/disjoint: {ranges:?}");
        }
        for r in ranges {
            assert!(r.start < r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
    }

    #[test]
    fn seed_000_tail_is_boilerplate_but_not_the_article() {
        let text = seed("000_");
        let r = find_boilerplate(&text);
        assert_well_formed(&text, &r);
        assert!(covered(&r, &text, "Stay in the Loop"));
        assert!(covered(
            &r,
            &text,
            "Signup for the CommandEleven newsletter"
        ));
        assert!(covered(&r, &text, "Latest stories"));
        assert!(covered(&r, &text, "You might also like..."));
        assert!(covered(
            &r,
            &text,
            "Faran Jeffery is a Pakistani researcher, analyst and expert"
        ));
        assert!(covered(
            &r,
            &text,
            "Bachelors in Israel Studies from American University."
        ));
        assert!(!touched(
            &r,
            &text,
            "Pakistan is kicking terrorist ass, and winning."
        ));
        assert!(!touched(&r, &text, "When will US start doing more?"));
        assert!(!touched(&r, &text, "Kicking Terrorist Ass and Winning"));
        // The tail runs to the end of the document.
        assert_eq!(r.last().map(|x| x.end), Some(text.trim_end().len()));
    }

    #[test]
    fn seed_001_related_news_and_bio() {
        let text = seed("001_");
        let r = find_boilerplate(&text);
        assert_well_formed(&text, &r);
        assert!(covered(&r, &text, "Related News"));
        assert!(covered(&r, &text, "Jason spent 23 years in USG service"));
        assert!(covered(
            &r,
            &text,
            "aids conflict resolution in Afghanistan."
        ));
        assert!(!touched(
            &r,
            &text,
            "this time on the side of their long-time frenemy."
        ));
        assert!(!touched(&r, &text, "No country will be allowed"));
    }

    #[test]
    fn seed_002_credits_and_furniture() {
        let text = seed("002_");
        let r = find_boilerplate(&text);
        assert_well_formed(&text, &r);
        assert!(covered(
            &r,
            &text,
            "(photo credit: Kena Betancur/Pool via REUTERS)"
        ));
        assert!(covered(&r, &text, "(credit: REUTERS/Gibran Peshimam)"));
        assert!(covered(
            &r,
            &text,
            "For more stories from The Media Line go to"
        ));
        // The caption itself is not a credit.
        assert!(!touched(
            &r,
            &text,
            "US Secretary of State Antony Blinken meets"
        ));
        // Quoted experts near the end are not author bios.
        assert!(!touched(
            &r,
            &text,
            "Kamal Alam, a nonresident senior fellow"
        ));
        assert!(!touched(
            &r,
            &text,
            "Salman Javed, an Islamabad-based political analyst"
        ));
        assert!(!touched(
            &r,
            &text,
            "US Secretary of State Antony Blinken meets"
        ));
    }

    #[test]
    fn seed_003_css_is_exact_and_author_block() {
        let text = seed("003_");
        let r = find_boilerplate(&text);
        assert_well_formed(&text, &r);
        let Some(css_start) = text.find("#pf-body #pf-header-img") else {
            panic!("seed 003 has no CSS");
        };
        let css_end = text
            .find("#pf-src{display:none;}")
            .map(|i| i + "#pf-src{display:none;}".len());
        let Some(css_end) = css_end else {
            panic!("seed 003 has no #pf-src rule");
        };
        assert!(r.contains(&(css_start..css_end)), "{r:?}");
        assert!(covered(&r, &text, "Author"));
        assert!(covered(
            &r,
            &text,
            "Raja Najabat Hussain is a UK-based Kashmiri activist"
        ));
        assert!(!touched(&r, &text, "approaches to counter terrorism."));
        assert!(!touched(&r, &text, "Pakistan and US Unite Against ISKP"));
    }

    #[test]
    fn seed_004_has_no_boilerplate() {
        let text = seed("004_");
        assert!(find_boilerplate(&text).is_empty());
    }

    #[test]
    fn css_followed_by_prose_on_the_same_line() {
        let css = "#pf-body #pf-header-img{max-height:100%;} #pf-body #pf-title { margin-bottom: 2rem; color: white; text-align: center;}#pf-src{display:none;}";
        let text = format!(
            "Intro paragraph here.\n\nthe spin.{css}Following a string of attacks, the Taliban acted."
        );
        let r = find_boilerplate(&text);
        let Some(start) = text.find("#pf-body") else {
            panic!()
        };
        assert_eq!(r, vec![start..start + css.len()]);
        assert!(!touched(&r, &text, "Following a string"));
        assert!(!touched(&r, &text, "the spin."));
    }

    #[test]
    fn css_needs_declarations_and_selectors() {
        assert!(find_boilerplate("The set {x: 1} is small.").is_empty());
        assert!(find_boilerplate("A JSON blob {\"a\": 1} here.").is_empty());
        assert!(find_boilerplate("Curly {braces} alone.").is_empty());
        let r = find_boilerplate("body{margin:0} p.lead, h1 > a:hover{color:red}\nText.");
        assert_eq!(r, vec![0..46]);
    }

    #[test]
    fn you_might_also_like_before_a_quote_marks_only_the_phrase() {
        let text = "You might also like...“No country will be allowed to provide sanctuaries.” – PM\n\nBody text of the article goes on here.";
        let r = find_boilerplate(text);
        assert_eq!(r, vec![0.."You might also like...".len()]);
    }

    #[test]
    fn read_more_link_line_is_whole_line() {
        let text = "First paragraph of the article.\n\nRead more: Pakistan and US unite\n\nSecond paragraph of the article, which is long enough to matter here and there.";
        let r = find_boilerplate(text);
        assert!(covered(&r, text, "Read more: Pakistan and US unite"));
        assert!(!touched(&r, text, "Second paragraph"));
        assert!(!touched(&r, text, "First paragraph"));
        // Prose that merely starts with the words is left alone.
        assert!(find_boilerplate("Read more about it in the report.").is_empty());
    }

    #[test]
    fn heading_mid_document_marks_only_the_line() {
        let body = "Body sentence number one goes here. ".repeat(20);
        let text = format!("{body}\n\nRelated articles\n\n{body}\n\n{body}");
        let r = find_boilerplate(&text);
        assert!(covered(&r, &text, "Related articles"));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].end - r[0].start, "Related articles".len());
    }

    #[test]
    fn strong_heading_before_a_link_list_runs_to_the_end() {
        let text = "# Title\n\nSome *markdown* text with a [link](https://example.test) and more words.\n\nAnother paragraph of the article body that is long enough to count.\n\n## Related articles\n\n- [One](https://example.test/1)\n- [Two](https://example.test/2)\n";
        let r = find_boilerplate(text);
        let Some(at) = text.find("## Related") else {
            panic!()
        };
        assert_eq!(r, vec![at..text.trim_end().len()]);
    }

    #[test]
    fn crlf_text() {
        let text = "Headline\r\n\r\nBody of the story here.\r\n\r\nStay in the Loop\r\n\r\nSign up for our newsletter today.\r\n\r\nRelated News\r\n\r\nSome link\r\n";
        let r = find_boilerplate(text);
        assert_well_formed(text, &r);
        assert!(covered(&r, text, "Stay in the Loop"));
        assert!(covered(&r, text, "Sign up for our newsletter today."));
        assert!(covered(&r, text, "Related News\r\n\r\nSome link"));
        assert!(!touched(&r, text, "Body of the story"));
        for x in &r {
            assert!(!text[x.clone()].ends_with('\r'));
        }
    }

    #[test]
    fn bio_needs_name_verb_and_vocabulary() {
        let filler = "The long article text continues with many words here. ".repeat(10);
        let bio = "Jane Doe is a journalist covering South Asia.";
        let text = format!("{filler}\n\n{bio}");
        assert!(covered(&find_boilerplate(&text), &text, bio));
        let not_bio = "Pakistan is a frontline state in the war.";
        let text = format!("{filler}\n\n{not_bio}");
        assert!(find_boilerplate(&text).is_empty());
        // Bios early in the document are not marked.
        let text = format!("{bio}\n\n{filler}");
        assert!(find_boilerplate(&text).is_empty());
    }

    #[test]
    fn multibyte_text_gives_char_boundaries() {
        let text = "Ünïcödé “headline”\n\n… ‘quoted’ — text (photo credit: Ünï/Réuters) more — text.\n\nYou might also like…«Citation»\n\nRelated News\n\nÉté à Paris";
        let r = find_boilerplate(text);
        assert_well_formed(text, &r);
        assert!(covered(&r, text, "(photo credit: Ünï/Réuters)"));
        assert!(covered(&r, text, "Related News\n\nÉté à Paris"));
    }

    #[test]
    fn merge_joins_overlaps() {
        assert_eq!(
            merge(vec![5..9, 0..3, 2..4, 9..10, 12..12]),
            vec![0..4, 5..10]
        );
    }

    #[test]
    fn copyright_footers_are_boilerplate() {
        let text = "Headline\n\nThe story itself is long enough to matter here.\n\n© 2024 Example News. All rights reserved.\n";
        let r = find_boilerplate(text);
        assert!(covered(&r, text, "All rights reserved"), "{r:?}");
        assert!(!covered(&r, text, "story itself"));
    }
}
