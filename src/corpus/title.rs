//! Titles: a headline when the text starts with one, otherwise the opening
//! words of the first sentence.

use super::boilerplate;

/// Longest first line (in words) that still reads like a headline.
const HEADLINE_MAX_WORDS: usize = 15;
/// Longest first line (in chars) that still reads like a headline.
const HEADLINE_MAX_CHARS: usize = 120;
/// How many opening words make a title when there is no headline.
const OPENING_WORDS: usize = 10;
/// Hard cap on any title, in chars.
const TITLE_MAX_CHARS: usize = 120;

const OPENING_QUOTES: &[char] = &[
    '“', '"', '‘', '\'', '«', '„', '‚', '‹', '「', '『', '`', '(', '[',
];
const CLOSING_QUOTES: &[char] = &[
    '”', '"', '’', '\'', '»', '“', '›', '」', '』', '`', ')', ']',
];

/// Function words a cut title should not end on.
const STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or",
    "but", "as", "that", "which", "who", "is", "are", "was", "were", "be", "its", "their", "his",
    "her", "this", "these", "those", "into", "onto", "than", "then", "if", "so", "nor", "about",
];

/// Words ending in a period that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "prof", "jr", "sr", "vs",
    "etc", "no", "inc", "ltd", "co", "corp", "gov", "sen", "rep", "maj", "adm", "cpl", "pvt",
    "rev", "hon", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov",
    "dec",
];

/// A title safe to print anywhere: line breaks and tabs become spaces, and
/// other control characters (ESC above all) become visible symbols ("␛"),
/// so a document's bytes can never drive a terminal through its title.
pub fn visible_title(title: &str) -> String {
    title
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c => visible_char(c),
        })
        .collect()
}

/// A control character as its visible symbol (ESC as "␛"); others as they are.
fn visible_char(c: char) -> char {
    match c {
        '\u{0}'..='\u{1F}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
        '\u{7F}' => '\u{2421}',
        '\u{80}'..='\u{9F}' => '\u{FFFD}',
        c => c,
    }
}

/// The title of a text: the first non-blank line when it reads like a
/// headline (short, no sentence punctuation at the end, not opening with a
/// quote, not CSS or code), otherwise the opening words of the first sentence
/// (up to ten words, cut at a word boundary with `…` appended when cut).
///
/// Markdown markup (heading and quote marks, bold, emphasis, code marks,
/// link targets; see [`crate::text::markdown`]), YAML front matter (its `title:` wins) and a leading
/// boilerplate phrase such as "You might also like..." are skipped. Never
/// empty: a text without any words gives `"Untitled"` (the loaders use the
/// file name instead).
pub fn derive_title(text: &str) -> String {
    visible_title(&derive_title_opt(text).unwrap_or_else(|| "Untitled".to_string()))
}

/// [`derive_title`], but `None` when the text has no words at all.
pub(crate) fn derive_title_opt(text: &str) -> Option<String> {
    // Only the opening matters; control characters are made visible before
    // the title is chosen, so that they are shown rather than dropped.
    let mut end = text.len().min(16 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    // Nearly every text has no character that `visible_char` changes (C0
    // and C1 controls bar line breaks and tabs, DEL): it is used as it is.
    let needs_mapping = head
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t')) || b == 0x7F || b == 0xC2);
    let head: std::borrow::Cow<str> = if needs_mapping {
        head.chars()
            .map(|c| {
                if matches!(c, '\n' | '\r' | '\t') {
                    c
                } else {
                    visible_char(c)
                }
            })
            .collect::<String>()
            .into()
    } else {
        head.into()
    };
    // Punctuation alone (". A.") is no title. Markdown marks are not
    // part of it ("**Peace talks**", "[the report](url)").
    title_of(&crate::text::strip_markup(&head)).filter(|t| t.chars().any(char::is_alphanumeric))
}

fn title_of(text: &str) -> Option<String> {
    let (front_title, body) = front_matter(text);
    if let Some(t) = front_title {
        return Some(t);
    }
    let mut lines = body.split('\n').map(str::trim).peekable();
    while let Some(raw) = lines.next() {
        if !raw.chars().any(char::is_alphanumeric) {
            continue;
        }
        let line = strip_heading_marks(raw);
        let line = boilerplate::strip_leading_phrase(line).trim();
        let line = boilerplate::strip_leading_css(line).trim();
        if !line.chars().any(char::is_alphanumeric) || looks_like_code(line) {
            // A boilerplate phrase ("Related News"), stray CSS or code.
            continue;
        }
        if is_headline(line) {
            return Some(finish(line));
        }
        // Opening words of the first sentence: the rest of this paragraph.
        let mut words: Vec<&str> = Vec::with_capacity(OPENING_WORDS + 1);
        collect_words(line, &mut words);
        while words.len() <= OPENING_WORDS {
            match lines.peek() {
                Some(next) if !next.is_empty() => {
                    collect_words(next, &mut words);
                    lines.next();
                }
                _ => break,
            }
        }
        return Some(opening_words(&words));
    }
    None
}

fn collect_words<'a>(line: &'a str, words: &mut Vec<&'a str>) {
    for w in line.split_whitespace() {
        if words.len() > OPENING_WORDS {
            return;
        }
        words.push(w);
    }
}

/// `---` YAML front matter at the very start: returns its `title:` (if any,
/// non-empty) and the text after it.
fn front_matter(text: &str) -> (Option<String>, &str) {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return (None, text);
    }
    let mut pos = (first_end + 1).min(text.len());
    let mut title = None;
    for _ in 0..200 {
        if pos >= text.len() {
            break;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim();
        let next = (end + 1).min(text.len());
        if line == "---" || line == "..." {
            return (title, &text[next..]);
        }
        if let Some(v) = line.strip_prefix("title:") {
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            if v.chars().any(char::is_alphanumeric) {
                title = Some(finish(v));
            }
        }
        pos = next;
    }
    // No closing marker: not front matter after all.
    (None, text)
}

/// Strips markdown ATX heading marks (`## Title ##`) and bullet/emphasis
/// markers around a line.
fn strip_heading_marks(line: &str) -> &str {
    let mut s = line.trim();
    if s.starts_with('#') {
        let rest = s.trim_start_matches('#');
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            s = rest.trim();
            let closed = s.trim_end_matches('#');
            if closed.is_empty() || closed.ends_with(char::is_whitespace) {
                s = closed.trim_end();
            }
        }
    }
    let stripped = s.trim_matches(|c| c == '*' || c == '_').trim();
    if stripped.chars().any(char::is_alphanumeric) {
        stripped
    } else {
        s
    }
}

fn is_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    if words == 0 || words > HEADLINE_MAX_WORDS || line.chars().count() > HEADLINE_MAX_CHARS {
        return false;
    }
    if line.ends_with(['.', '!', '?', ':', ';', ',', '…']) {
        return false;
    }
    if line.starts_with(OPENING_QUOTES) {
        return false;
    }
    !looks_like_code(line)
}

/// CSS, markup or code rather than prose.
pub(crate) fn looks_like_code(line: &str) -> bool {
    line.contains('{')
        || line.contains('}')
        || line.starts_with('<')
        || line.contains("</")
        || line.contains("=>")
        || line.contains("();")
        || line.starts_with("//")
        || line.starts_with("/*")
}

fn opening_words(words: &[&str]) -> String {
    // Does the first sentence end within the first OPENING_WORDS words?
    let mut end = None;
    for (i, w) in words.iter().enumerate().take(OPENING_WORDS) {
        if ends_sentence(w) {
            end = Some(i + 1);
            break;
        }
    }
    match end {
        Some(n) => finish(&words[..n].join(" ")),
        None if words.len() <= OPENING_WORDS => finish(&words.join(" ")),
        None => {
            let mut n = OPENING_WORDS;
            while n > 3 && is_stopword(words[n - 1]) {
                n -= 1;
            }
            let cut = words[..n].join(" ");
            let cut = cut.trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '(' | '[')
            });
            let mut title = clean(cut);
            title.push('…');
            cap(title)
        }
    }
}

fn is_stopword(word: &str) -> bool {
    let w: String = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    STOPWORDS.contains(&w.as_str())
}

fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(CLOSING_QUOTES);
    if w.ends_with(['!', '?', '…']) {
        return true;
    }
    let Some(stem) = w.strip_suffix('.') else {
        return false;
    };
    if stem.ends_with('.') {
        // "..." ellipsis
        return true;
    }
    let stem = stem.trim_start_matches(OPENING_QUOTES);
    // "U.S." and single initials are not sentence ends.
    if stem.contains('.') || stem.chars().count() == 1 {
        return false;
    }
    !ABBREVIATIONS.contains(&stem.to_lowercase().as_str())
}

/// Final tidy-up of a headline or a whole short sentence.
fn finish(s: &str) -> String {
    let s = s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | ':'));
    let title = clean(s);
    cap(title)
}

/// Collapses whitespace, drops control characters and unbalanced quotes at
/// the ends.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().filter(|c| !c.is_control()));
    }
    let opens = out.starts_with(OPENING_QUOTES);
    let closes = out.ends_with(CLOSING_QUOTES);
    let mut t: &str = &out;
    if opens && !closes {
        t = t.trim_start_matches(OPENING_QUOTES);
    } else if closes && !opens {
        // keep a closing bracket/quote that matches something inside
        let last = t.chars().last();
        let inner_open = match last {
            Some(')') => t.contains('('),
            Some(']') => t.contains('['),
            Some('”') => t.contains('“'),
            Some('’') => t.contains('‘'),
            Some('"') => t.matches('"').count().is_multiple_of(2),
            _ => false,
        };
        if !inner_open {
            t = t.trim_end_matches(CLOSING_QUOTES);
        }
    } else if opens && closes {
        let inner = t
            .trim_start_matches(OPENING_QUOTES)
            .trim_end_matches(CLOSING_QUOTES);
        if !inner.contains(OPENING_QUOTES) && !inner.contains(CLOSING_QUOTES) {
            t = inner;
        }
    }
    t.trim()
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'))
        .to_string()
}

fn cap(title: String) -> String {
    if title.chars().count() <= TITLE_MAX_CHARS {
        return title;
    }
    let cut: String = title.chars().take(TITLE_MAX_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > TITLE_MAX_CHARS / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(prefix: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let entries = std::fs::read_dir(&dir).map(|d| d.flatten().collect::<Vec<_>>());
        let Ok(entries) = entries else {
            panic!("cannot read {}", dir.display());
        };
        let Some(entry) = entries
            .iter()
            .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        else {
            panic!("no seed {prefix}");
        };
        match std::fs::read_to_string(entry.path()) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn titles_show_control_characters_as_symbols() {
        let t = derive_title("\u{1b}[2J\u{1b}]0;pwned\u{7}Red text about ISKP\n\nBody.");
        assert!(!t.chars().any(char::is_control), "{t:?}");
        assert!(t.starts_with("␛[2J␛]0;pwned␇"), "{t:?}");
    }

    #[test]
    fn seed_headlines() {
        assert_eq!(
            derive_title(&seed("000_")),
            "Kicking Terrorist Ass and Winning"
        );
        assert_eq!(
            derive_title(&seed("002_")),
            "US backs Pakistan in confronting cross-border attacks from Afghanistan"
        );
        assert_eq!(
            derive_title(&seed("003_")),
            "Pakistan and US Unite Against ISKP"
        );
    }

    #[test]
    fn seeds_without_headline_use_opening_words() {
        assert_eq!(
            derive_title(&seed("001_")),
            "No country will be allowed to provide sanctuaries and facilitation…"
        );
        assert_eq!(
            derive_title(&seed("004_")),
            "Following a string of deadly attacks in various parts…"
        );
    }

    #[test]
    fn leading_you_might_also_like_is_skipped() {
        let text = "You might also like...“No country will be allowed to provide sanctuaries and facilitation to terrorists.” – PM\n\nBody.";
        assert_eq!(
            derive_title(text),
            "No country will be allowed to provide sanctuaries and facilitation…"
        );
    }

    #[test]
    fn crlf_headline() {
        assert_eq!(
            derive_title("Big News Today\r\n\r\nBody text.\r\n"),
            "Big News Today"
        );
        assert_eq!(
            derive_title("\r\n  \r\n# Heading Here\r\nx"),
            "Heading Here"
        );
    }

    #[test]
    fn markdown_markup_is_not_part_of_a_title() {
        assert_eq!(
            derive_title("# **TTP** claims the *Bannu* attack\n\nText"),
            "TTP claims the Bannu attack"
        );
        assert_eq!(
            derive_title(
                "> Read [the full report](https://x.test/r_1) on `ISKP` and more words here today.\n"
            ),
            "Read the full report on ISKP and more words here…"
        );
        assert_eq!(derive_title("my_var_name is kept\n"), "my_var_name is kept");
    }

    #[test]
    fn markdown_heading_and_front_matter() {
        assert_eq!(
            derive_title("## A Markdown Title ##\n\nText"),
            "A Markdown Title"
        );
        assert_eq!(
            derive_title("---\ntitle: \"From Front Matter\"\n---\n# Other\n"),
            "From Front Matter"
        );
        assert_eq!(
            derive_title("---\nauthor: x\n---\n# Other One\n"),
            "Other One"
        );
        assert_eq!(derive_title("#hashtag starts it\n"), "#hashtag starts it");
    }

    #[test]
    fn sentence_lines_are_not_headlines() {
        assert_eq!(derive_title("It rained today.\nMore."), "It rained today");
        assert_eq!(derive_title("Who won?\n"), "Who won?");
        assert_eq!(
            derive_title(
                "The U.S. Army said on Monday that the operation would continue for weeks."
            ),
            "The U.S. Army said on Monday that the operation would…"
        );
        assert_eq!(
            derive_title("Gen. Asim Munir spoke. Then more."),
            "Gen. Asim Munir spoke"
        );
    }

    #[test]
    fn css_first_line_is_not_a_headline() {
        let t = derive_title(
            "#pf-src{display:none;}\nReal words follow here in a sentence that is quite long indeed.",
        );
        assert_eq!(t, "Real words follow here in a sentence that is quite…");
        let t = derive_title("body{margin:0}Glued Headline Here\n\nText.");
        assert_eq!(t, "Glued Headline Here");
        assert_eq!(
            derive_title("<div class=\"x\">\nActual Title\n"),
            "Actual Title"
        );
    }

    #[test]
    fn never_empty() {
        assert_eq!(derive_title(""), "Untitled");
        assert_eq!(derive_title("  \n --- \n"), "Untitled");
        assert!(derive_title_opt("...").is_none());
    }

    #[test]
    fn long_words_are_capped() {
        let long = "x".repeat(500);
        let t = derive_title(&long);
        assert!(t.chars().count() <= TITLE_MAX_CHARS);
        assert!(t.ends_with('…'));
    }
}
