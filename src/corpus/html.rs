//! Visible text of an HTML page.
//!
//! A small, forgiving tokenizer: it never fails. Scripts, styles, `<noscript>`,
//! templates, SVG, comments and the `<head>` are dropped (the `<title>` is
//! kept aside as the document title). Block elements become line breaks, a
//! blank line between paragraphs; runs of whitespace inside a paragraph
//! collapse to one space; character references are decoded.

use std::borrow::Cow;

/// Elements whose content is never shown.
const RAW_SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
    "select",
];

/// Elements that separate paragraphs (a blank line).
const PARA_BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
    "figure",
    "form",
    "hr",
    "address",
    "fieldset",
    "details",
    "summary",
    "center",
    "body",
    "html",
    "hgroup",
    "caption",
    "thead",
    "tbody",
    "tfoot",
];

/// Elements that start a new line.
const LINE_BLOCKS: &[&str] = &["li", "tr", "dt", "dd", "figcaption", "option", "legend"];

/// Elements that may appear in `<head>`; anything else ends it.
const HEAD_TAGS: &[&str] = &[
    "head", "meta", "link", "base", "title", "script", "style", "noscript",
];

/// The visible text of `html` and its `<title>` (whitespace-collapsed, `None`
/// when absent or blank).
pub fn extract_html(html: &str) -> (String, Option<String>) {
    let b = html.as_bytes();
    let mut out = Out::default();
    let mut title: Option<String> = None;
    let mut in_head = false;
    let mut pre_depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        let lt = match b[i..].iter().position(|&c| c == b'<') {
            Some(off) => i + off,
            None => b.len(),
        };
        if lt > i {
            let chunk = &html[i..lt];
            if in_head && !chunk.trim().is_empty() {
                in_head = false;
            }
            if !in_head {
                out.text(&decode_entities(chunk), pre_depth > 0);
            }
        }
        if lt >= b.len() {
            break;
        }
        let rest = &b[lt..];
        if rest.starts_with(b"<!--") {
            i = match find(b, lt + 4, b"-->") {
                Some(p) => p + 3,
                None => b.len(),
            };
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            let end = find(b, lt + 9, b"]]>").unwrap_or(b.len());
            if !in_head {
                out.text(&html[lt + 9..end], pre_depth > 0);
            }
            i = (end + 3).min(b.len());
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = match b[lt..].iter().position(|&c| c == b'>') {
                Some(p) => lt + p + 1,
                None => b.len(),
            };
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = lt + if closing { 2 } else { 1 };
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            // A literal '<' ("a < b") or "</ " junk.
            if !in_head {
                out.text("<", pre_depth > 0);
            }
            i = lt + 1;
            continue;
        }
        let mut name_end = name_start;
        while name_end < b.len()
            && (b[name_end].is_ascii_alphanumeric() || matches!(b[name_end], b'-' | b':'))
        {
            name_end += 1;
        }
        let name = html[name_start..name_end].to_ascii_lowercase();
        let tag_end = tag_end(b, name_end);
        i = tag_end;

        if closing {
            match name.as_str() {
                "head" => in_head = false,
                "pre" | "textarea" | "listing" => pre_depth = pre_depth.saturating_sub(1),
                _ => {}
            }
            block(&mut out, &name);
            continue;
        }

        if in_head && !HEAD_TAGS.contains(&name.as_str()) {
            in_head = false;
        }
        match name.as_str() {
            "head" => {
                in_head = true;
                continue;
            }
            "title" => {
                let (content, after) = raw_content(html, tag_end, "title");
                if title.is_none() {
                    let t = collapse(&decode_entities(content));
                    if !t.is_empty() {
                        title = Some(t);
                    }
                }
                i = after;
                continue;
            }
            "pre" | "textarea" | "listing" => pre_depth += 1,
            "br" => {
                out.line_break();
                continue;
            }
            "td" | "th" => {
                out.space();
                continue;
            }
            "img" => continue,
            n if RAW_SKIP.contains(&n) => {
                let self_closing = b[..tag_end].ends_with(b"/>");
                if !self_closing {
                    let (_, after) = raw_content(html, tag_end, n);
                    i = after;
                }
                continue;
            }
            _ => {}
        }
        block(&mut out, &name);
    }
    (out.finish(), title)
}

fn block(out: &mut Out, name: &str) {
    if PARA_BLOCKS.contains(&name) {
        out.want_break(2);
    } else if LINE_BLOCKS.contains(&name) {
        out.want_break(1);
    }
}

/// Index just past the `>` that ends a tag whose name ends at `from`,
/// honouring quoted attribute values. An unterminated quote falls back to the
/// first `>`.
fn tag_end(b: &[u8], from: usize) -> usize {
    let mut j = from;
    let mut quote: Option<u8> = None;
    while j < b.len() {
        let c = b[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return j + 1,
            None => {}
        }
        j += 1;
    }
    match b[from..].iter().position(|&c| c == b'>') {
        Some(p) => from + p + 1,
        None => b.len(),
    }
}

/// The raw content of a `name` element starting at `from`, and the index past
/// its closing tag (the end of the input when it is never closed).
fn raw_content<'a>(html: &'a str, from: usize, name: &str) -> (&'a str, usize) {
    let b = html.as_bytes();
    let mut j = from;
    while let Some(p) = find(b, j, b"</") {
        let n_start = p + 2;
        let n_end = n_start + name.len();
        if n_end <= b.len()
            && b[n_start..n_end].eq_ignore_ascii_case(name.as_bytes())
            && !b
                .get(n_end)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            return (&html[from..p], tag_end(b, n_end));
        }
        j = p + 2;
    }
    (&html[from..], b.len())
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= hay.len() || needle.is_empty() {
        return None;
    }
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text builder that collapses whitespace and places line breaks.
#[derive(Default)]
struct Out {
    s: String,
    pending_space: bool,
    pending_breaks: u8,
}

impl Out {
    fn want_break(&mut self, n: u8) {
        self.pending_breaks = self.pending_breaks.max(n);
        self.pending_space = false;
    }

    fn line_break(&mut self) {
        self.pending_breaks = (self.pending_breaks + 1).min(2);
        self.pending_space = false;
    }

    fn space(&mut self) {
        if self.pending_breaks == 0 && !self.s.is_empty() {
            self.pending_space = true;
        }
    }

    fn flush(&mut self) {
        if self.pending_breaks > 0 {
            if !self.s.is_empty() {
                for _ in 0..self.pending_breaks {
                    self.s.push('\n');
                }
            }
            self.pending_breaks = 0;
            self.pending_space = false;
        } else if self.pending_space {
            self.s.push(' ');
            self.pending_space = false;
        }
    }

    fn text(&mut self, t: &str, pre: bool) {
        for c in t.chars() {
            if pre {
                if c == '\n' || c == '\r' {
                    if c == '\n' {
                        self.flush();
                        self.s.push('\n');
                    }
                } else {
                    self.flush();
                    self.s.push(c);
                }
            } else if c.is_whitespace() {
                self.space();
            } else if c.is_control() {
                // Drop stray control characters from markup.
            } else {
                self.flush();
                self.s.push(c);
            }
        }
    }

    fn finish(self) -> String {
        let mut s = self.s;
        let end = s.trim_end().len();
        s.truncate(end);
        s
    }
}

/// Decodes HTML character references: the common named ones (see the table)
/// and numeric `&#123;` / `&#x1F600;`. Unknown or invalid references are left
/// as written. A semicolon is required.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match decode_one(after) {
            Some((c, used)) => {
                out.push(c);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decodes the reference after a `&`; returns the char and the bytes used
/// (including the `;`).
fn decode_one(after: &str) -> Option<(char, usize)> {
    let semi = after.bytes().take(34).position(|c| c == b';')?;
    let body = &after[..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            if hex.is_empty() || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()?
        } else {
            if num.is_empty() || !num.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            num.parse::<u32>().ok()?
        };
        numeric_char(code)?
    } else {
        if body.is_empty() || !body.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        named(body)?
    };
    Some((c, semi + 1))
}

fn numeric_char(code: u32) -> Option<char> {
    // Windows-1252 code points that pages write as &#146; etc.
    const CP1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match code {
        0 => None,
        0x80..=0x9f => CP1252.get((code - 0x80) as usize).copied(),
        _ => char::from_u32(code),
    }
}

fn named(name: &str) -> Option<char> {
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "shy" => '\u{ad}',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "hyphen" | "dash" => '‐',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "prime" => '′',
        "Prime" => '″',
        "hellip" | "mldr" => '…',
        "bull" | "bullet" => '•',
        "middot" => '·',
        "dagger" => '†',
        "Dagger" => '‡',
        "permil" => '‰',
        "copy" | "COPY" => '©',
        "reg" | "REG" => '®',
        "trade" | "TRADE" => '™',
        "deg" => '°',
        "plusmn" => '±',
        "times" => '×',
        "divide" => '÷',
        "para" => '¶',
        "sect" => '§',
        "cent" => '¢',
        "pound" => '£',
        "euro" => '€',
        "yen" => '¥',
        "curren" => '¤',
        "iexcl" => '¡',
        "iquest" => '¿',
        "ordf" => 'ª',
        "ordm" => 'º',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "micro" => 'µ',
        "acute" => '´',
        "uml" => '¨',
        "cedil" => '¸',
        "macr" => '¯',
        "circ" => 'ˆ',
        "tilde" => '˜',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "fnof" => 'ƒ',
        "Agrave" => 'À',
        "Aacute" => 'Á',
        "Acirc" => 'Â',
        "Atilde" => 'Ã',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "AElig" => 'Æ',
        "Ccedil" => 'Ç',
        "Egrave" => 'È',
        "Eacute" => 'É',
        "Ecirc" => 'Ê',
        "Euml" => 'Ë',
        "Igrave" => 'Ì',
        "Iacute" => 'Í',
        "Icirc" => 'Î',
        "Iuml" => 'Ï',
        "ETH" => 'Ð',
        "Ntilde" => 'Ñ',
        "Ograve" => 'Ò',
        "Oacute" => 'Ó',
        "Ocirc" => 'Ô',
        "Otilde" => 'Õ',
        "Ouml" => 'Ö',
        "Oslash" => 'Ø',
        "Ugrave" => 'Ù',
        "Uacute" => 'Ú',
        "Ucirc" => 'Û',
        "Uuml" => 'Ü',
        "Yacute" => 'Ý',
        "THORN" => 'Þ',
        "szlig" => 'ß',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "atilde" => 'ã',
        "auml" => 'ä',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "igrave" => 'ì',
        "iacute" => 'í',
        "icirc" => 'î',
        "iuml" => 'ï',
        "eth" => 'ð',
        "ntilde" => 'ñ',
        "ograve" => 'ò',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "otilde" => 'õ',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "ugrave" => 'ù',
        "uacute" => 'ú',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "yacute" => 'ý',
        "thorn" => 'þ',
        "yuml" => 'ÿ',
        "Yuml" => 'Ÿ',
        "OElig" => 'Œ',
        "oelig" => 'œ',
        "Scaron" => 'Š',
        "scaron" => 'š',
        "Zcaron" => 'Ž',
        "zcaron" => 'ž',
        "Ccaron" => 'Č',
        "ccaron" => 'č',
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "epsilon" => 'ε',
        "lambda" => 'λ',
        "mu" => 'μ',
        "pi" => 'π',
        "sigma" => 'σ',
        "omega" => 'ω',
        "Delta" => 'Δ',
        "Sigma" => 'Σ',
        "Omega" => 'Ω',
        "infin" => '∞',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "asymp" => '≈',
        "check" => '✓',
        "star" => '☆',
        "starf" => '★',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities(
                "Tom &amp; Jerry &lt;3 &quot;hi&quot; &rsquo;s &mdash; caf&eacute; &hellip;"
            ),
            "Tom & Jerry <3 \"hi\" ’s — café …"
        );
        assert_eq!(decode_entities("&#65;&#x42;&#X1F600;&#146;"), "AB😀’");
        assert_eq!(
            decode_entities("&bogus; &amp &#xZZ; &#0; & x"),
            "&bogus; &amp &#xZZ; &#0; & x"
        );
        assert_eq!(decode_entities("&#1114112;&#xD800;"), "&#1114112;&#xD800;");
        assert!(matches!(decode_entities("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn page() {
        let html = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>  Caf&eacute;   News &amp; Views </title>
<style>body { color: red; }</style>
<script>var x = "<p>not text</p>"; if (a < b) {}</script>
</head>
<body>
<!-- a comment <p>hidden</p> -->
<h1>Main   headline</h1>
<p>First   paragraph
with <b>bold</b> and <a href="x" title="a > b">a link</a>.</p>
<noscript><p>Enable JS</p></noscript>
<ul><li>One</li><li>Two &amp; three</li></ul>
<p>Line one<br>Line two</p>
<SCRIPT type="text/javascript">alert("x")</SCRIPT>
<div>a &lt; b and 3 < 4</div>
</body></html>"#;
        let (text, title) = extract_html(html);
        assert_eq!(title.as_deref(), Some("Café News & Views"));
        assert_eq!(
            text,
            "Main headline\n\nFirst paragraph with bold and a link.\n\nOne\nTwo & three\n\nLine one\nLine two\n\na < b and 3 < 4"
        );
    }

    #[test]
    fn pre_keeps_whitespace() {
        let (text, _) = extract_html("<p>x</p><pre>a  b\n  c</pre><p>y</p>");
        assert_eq!(text, "x\n\na  b\n  c\n\ny");
    }

    #[test]
    fn malformed_never_panics() {
        for s in [
            "<",
            "</",
            "<a",
            "<a href='",
            "<!--",
            "<script>",
            "<title>x",
            "&",
            "&#",
            "&#x;",
            "<p>é<",
            "<<<>>>",
            "<![CDATA[x",
            "<head>text without body",
            "<td>a<td>b",
            "<svg/>after",
            "</p>only close",
        ] {
            let _ = extract_html(s);
        }
        assert_eq!(
            extract_html("<head>text without body").0,
            "text without body"
        );
        assert_eq!(extract_html("<td>a<td>b").0, "a b");
        assert_eq!(extract_html("<svg/>after").0, "after");
        assert_eq!(extract_html("<title>x").1.as_deref(), Some("x"));
    }
}
