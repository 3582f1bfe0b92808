//! A document's date: when the article was published, as far as its file
//! tells, normalised to `YYYY-MM-DD` (or `YYYY-MM` when the day is not
//! given), with where it was found.
//!
//! Sources, best first: the format's metadata (a JSON Lines `date`, an HTML
//! page's `article:published_time` or other publication `<meta>`, a JSON-LD
//! `datePublished`, a `<time datetime>`); a dateline or byline near the top
//! of the text ("ISLAMABAD, March 3, 2023", "Published: 12 Feb 2024");
//! failing those, the file's modification time, flagged as such, since it
//! says when the file was saved rather than when the article appeared.
//! Relative dates ("Updated 3 hours ago") are never guessed from.
//!
//! Every search here is linear: the text is searched in its first
//! [`TEXT_DATE_BYTES`] only, the HTML in a few forward passes.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How far into a text a dateline or byline date is looked for.
pub const TEXT_DATE_BYTES: usize = 2048;

/// Where a document's date was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DateSource {
    /// The file's own metadata: a JSON Lines `date`, an HTML `<meta>`,
    /// JSON-LD or `<time>`.
    Metadata,
    /// A dateline or byline near the top of the text.
    Text,
    /// The file's modification time: when it was saved, not published.
    FileTime,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Metadata => "metadata",
            DateSource::Text => "text",
            DateSource::FileTime => "file-time",
        }
    }
}

/// A document's date and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocDate {
    /// `YYYY-MM-DD`, or `YYYY-MM` when the day is not known.
    pub value: String,
    pub source: DateSource,
}

impl DocDate {
    pub fn new(value: String, source: DateSource) -> DocDate {
        DocDate { value, source }
    }

    /// The date the document says it was published (from its metadata or
    /// its text); `None` for a file time, which says only when it was saved.
    pub fn published(&self) -> Option<&str> {
        (self.source != DateSource::FileTime).then_some(self.value.as_str())
    }

    /// `YYYY-MM`: the month the document falls in.
    pub fn month(&self) -> &str {
        self.value.get(..7).unwrap_or(&self.value)
    }
}

/// Orders documents by date, oldest first; documents without a date come
/// last. Equal dates are left to the caller's next key (the document
/// list keeps them in the order of ids).
pub fn compare_dates(a: Option<&DocDate>, b: Option<&DocDate>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.value.cmp(&b.value),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names (`March`, `mar`, `Sept.`), 1 to 12.
fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Years an article can be from.
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2100;

fn ymd(year: i64, month: u32, day: u32) -> Option<String> {
    (YEARS.contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month))
    .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

fn ym(year: i64, month: u32) -> Option<String> {
    (YEARS.contains(&year) && (1..=12).contains(&month)).then(|| format!("{year:04}-{month:02}"))
}

/// The calendar day (UTC) `secs` seconds after 1970-01-01, as
/// `YYYY-MM-DD` (the civil-from-days algorithm of H. Hinnant).
pub fn date_of_unix(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A date written in metadata, normalised: ISO 8601 (`2023-03-03`,
/// `2023-03-03T10:00:00Z`, `2023-03`), `2023/03/03`, `20230303`, Unix
/// seconds or milliseconds, or the written forms a dateline uses
/// (`March 3, 2023`, `3 Mar 2023`, `Fri, 03 Mar 2023 10:00:00 +0000`).
/// `None` for anything else (a relative date, a bare year).
pub fn normalize_date(s: &str) -> Option<String> {
    let s = s.trim();
    if let Some(d) = iso_at(s.as_bytes(), 0) {
        return Some(d);
    }
    if s.len() == 8 && s.bytes().all(|c| c.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
        return ymd(i64::from(n(0..4)?), n(4..6)?, n(6..8)?);
    }
    if (9..=13).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() >= 12 { n / 1000 } else { n };
        let d = date_of_unix(secs);
        return YEARS
            .contains(&d[..4].parse::<i64>().unwrap_or(0))
            .then_some(d);
    }
    written_date(s).map(|(d, _)| d)
}

/// An ISO-like date (`YYYY-MM-DD`, `YYYY/MM/DD` or `YYYY-MM`) starting at
/// byte `at`, not inside a longer number.
fn iso_at(b: &[u8], at: usize) -> Option<String> {
    let digits = |from: usize, max: usize| -> usize {
        b.get(from..).map_or(0, |r| {
            r.iter()
                .take(max + 1)
                .take_while(|c| c.is_ascii_digit())
                .count()
        })
    };
    if at > 0 && b[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    if digits(at, 4) != 4 {
        return None;
    }
    let sep = *b.get(at + 4)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        std::str::from_utf8(b.get(from..from + len)?)
            .ok()?
            .parse()
            .ok()
    };
    let year = i64::from(num(at, 4)?);
    let m_len = digits(at + 5, 2);
    if !(1..=2).contains(&m_len) {
        return None;
    }
    let month = num(at + 5, m_len)?;
    let after_month = at + 5 + m_len;
    if b.get(after_month) == Some(&sep) {
        let d_len = digits(after_month + 1, 2);
        if (1..=2).contains(&d_len) {
            let end = after_month + 1 + d_len;
            if b.get(end).is_some_and(u8::is_ascii_alphabetic) && b[end] != b'T' {
                return None;
            }
            return ymd(year, month, num(after_month + 1, d_len)?);
        }
        return None;
    }
    // `YYYY-MM` alone: not followed by more of a number.
    if sep == b'-' && m_len == 2 && !b.get(after_month).is_some_and(u8::is_ascii_alphanumeric) {
        return ym(year, month);
    }
    None
}

/// A word of a line: a run of letters, digits and dots, with its byte
/// range.
fn words(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), ' ')))
    {
        let part = c.is_alphanumeric() || c == '.';
        match (start, part) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, &line[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// A day of the month written as a word: `3`, `03`, `3rd`, `21st`.
fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    let digits = w.bytes().take_while(u8::is_ascii_digit).count();
    let (num, rest) = w.split_at(digits);
    if !(1..=2).contains(&digits) || !matches!(rest, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    num.parse().ok()
}

fn year_of(word: &str) -> Option<i64> {
    let w = word.trim_end_matches('.');
    (w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
}

/// The first written or ISO date in `line` and the byte where it starts:
/// `March 3, 2023`, `Mar. 3 2023`, `3 March 2023`, `3rd of March 2023`,
/// `2023-03-03`.
fn written_date(line: &str) -> Option<(String, usize)> {
    let w = words(line);
    let b = line.as_bytes();
    let mut iso_from = 0;
    for k in 0..w.len() {
        let (at, word) = w[k];
        // An ISO date begins at a four-digit word.
        if at >= iso_from
            && word.len() >= 4
            && word.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && let Some(d) = iso_at(b, at)
        {
            return Some((d, at));
        }
        iso_from = at;
        let get = |i: usize| w.get(i).map(|x| x.1);
        if let Some(month) = month_of(word) {
            // Month Day, Year
            if let (Some(day), Some(year)) =
                (get(k + 1).and_then(day_of), get(k + 2).and_then(year_of))
                && let Some(d) = ymd(year, month, day)
            {
                return Some((d, at));
            }
        }
        if let Some(day) = day_of(word) {
            // Day Month Year, Day of Month Year
            let skip = usize::from(get(k + 1).is_some_and(|x| x.eq_ignore_ascii_case("of")));
            if let (Some(month), Some(year)) = (
                get(k + 1 + skip).and_then(month_of),
                get(k + 2 + skip).and_then(year_of),
            ) && let Some(d) = ymd(year, month, day)
            {
                return Some((d, at));
            }
        }
    }
    None
}

/// Words that introduce a byline's date.
const DATE_MARKERS: &[&str] = &[
    "published",
    "posted",
    "updated",
    "last updated",
    "date",
    "dated",
    "first published",
];

/// A dateline or byline date near the top of `text` (its first
/// [`TEXT_DATE_BYTES`]): a date on a short line of its own or after a
/// marker ("Published: 12 Feb 2024", "By Staff | March 3, 2023"), or after
/// a place in a dateline ("ISLAMABAD, March 3, 2023: …"). A date in the
/// middle of a sentence is not the article's. A "published" date wins over
/// an "updated" one.
pub fn date_in_text(text: &str) -> Option<String> {
    let mut end = text.len().min(TEXT_DATE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut updated: Option<String> = None;
    for line in text[..end].lines() {
        let line = line.trim();
        let Some((date, at)) = written_date(line) else {
            continue;
        };
        let before = line[..at].trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '|' | '-' | '—' | '–' | '·' | ',')
        });
        let lower = before.to_lowercase();
        // "Published on March 3": the marker is the word before "on".
        let marker = lower.strip_suffix(" on").unwrap_or(&lower);
        let marked = DATE_MARKERS.iter().any(|m| marker.ends_with(m));
        let short = line.chars().count() <= 80;
        let dateline = !before.is_empty()
            && before.chars().count() <= 40
            && line[before.len()..].trim_start().starts_with(',')
            && before
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase);
        if !(marked || short || dateline || before.is_empty() && line.chars().count() <= 120) {
            continue;
        }
        if lower.contains("updated") || lower.contains("modified") {
            updated.get_or_insert(date);
            continue;
        }
        return Some(date);
    }
    updated
}

/// The `date:` (or `published:`) of YAML front matter at the very start
/// of a Markdown text.
pub fn front_matter_date(text: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    for line in lines.take(200) {
        let line = line.trim();
        if line == "---" || line == "..." {
            return None;
        }
        for key in ["date:", "published:", "pubdate:"] {
            if let Some(v) = line.strip_prefix(key) {
                let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
                if let Some(d) = normalize_date(v) {
                    return Some(d);
                }
            }
        }
    }
    None
}

/// `<meta>` names and properties that carry a publication date.
const META_NAMES: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "dc.date.issued",
    "dc.date",
    "date",
    "parsely-pub-date",
    "sailthru.date",
];

/// The publication date of an HTML page from its markup: a `<meta>` (see
/// [`META_NAMES`]; `article:published_time` first), a JSON-LD
/// `"datePublished"`, or the first `<time datetime>` (or `<time>` whose
/// text is a date).
pub fn html_date(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut best: Option<(usize, String)> = None;
    // Every <meta> tag, once.
    let mut from = 0;
    while let Some(p) = lower[from..].find("<meta") {
        let at = from + p;
        let end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
        let tag = &html[at..end];
        let tag_lower = &lower[at..end];
        let name = attr(tag, tag_lower, "property")
            .or_else(|| attr(tag, tag_lower, "name"))
            .or_else(|| attr(tag, tag_lower, "itemprop"));
        if let Some(rank) = name.and_then(|n| {
            let n = n.to_ascii_lowercase();
            META_NAMES.iter().position(|m| *m == n)
        }) && best.as_ref().is_none_or(|(r, _)| rank < *r)
            && let Some(d) = attr(tag, tag_lower, "content").and_then(normalize_date)
        {
            best = Some((rank, d));
        }
        from = end.max(at + 5);
    }
    if let Some((_, d)) = best {
        return Some(d);
    }
    // JSON-LD: "datePublished": "…"
    let mut from = 0;
    while let Some(p) = lower[from..].find("\"datepublished\"") {
        let at = from + p + "\"datepublished\"".len();
        let rest = html[at..].trim_start();
        if let Some(rest) = rest.strip_prefix(':')
            && let Some(rest) = rest.trim_start().strip_prefix('"')
            && let Some(q) = rest.find('"')
            && let Some(d) = normalize_date(&rest[..q])
        {
            return Some(d);
        }
        from = at;
    }
    // <time datetime="…">, or a <time> whose short text is a date.
    let mut from = 0;
    // The last `</time` found, and from where none is left: each byte is
    // searched once, however many tags are left open.
    let mut close: Option<usize> = None;
    let mut none_from = usize::MAX;
    while let Some(p) = lower[from..].find("<time") {
        let at = from + p;
        let end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
        let (tag, tag_lower) = (&html[at..end], &lower[at..end]);
        if let Some(d) = attr(tag, tag_lower, "datetime").and_then(normalize_date) {
            return Some(d);
        }
        let inner_end = match close {
            _ if end >= none_from => None,
            Some(c) if c >= end => Some(c),
            _ => match lower[end..].find("</time") {
                Some(e) => {
                    close = Some(end + e);
                    close
                }
                None => {
                    none_from = end;
                    None
                }
            },
        };
        if let Some(inner) = inner_end.and_then(|e| html.get(end + 1..e))
            && inner.len() <= 64
            && let Some(d) = normalize_date(inner)
        {
            return Some(d);
        }
        from = end.max(at + 5);
    }
    None
}

/// The value of attribute `name` in a tag (`tag_lower` is the tag in ASCII
/// lower case, byte for byte).
fn attr<'a>(tag: &'a str, tag_lower: &str, name: &str) -> Option<&'a str> {
    let b = tag_lower.as_bytes();
    let mut from = 0;
    while let Some(p) = tag_lower[from..].find(name) {
        let at = from + p;
        from = at + name.len();
        if at == 0 || !b[at - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = tag_lower[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let value_at = tag_lower.len() - rest.trim_start().len();
        let quote = b.get(value_at).copied();
        return match quote {
            Some(q @ (b'"' | b'\'')) => {
                let end = tag_lower[value_at + 1..].find(q as char)?;
                tag.get(value_at + 1..value_at + 1 + end)
            }
            _ => {
                let end = tag_lower[value_at..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '/')
                    .map_or(tag.len(), |e| value_at + e);
                tag.get(value_at..end)
            }
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_dates_are_normalised() {
        for (raw, want) in [
            ("2023-03-03", Some("2023-03-03")),
            ("2023-03-03T10:15:00+05:00", Some("2023-03-03")),
            ("2023/3/3", Some("2023-03-03")),
            ("2023-03", Some("2023-03")),
            ("20230303", Some("2023-03-03")),
            ("1677801600", Some("2023-03-03")),
            ("1677801600000", Some("2023-03-03")),
            ("March 3, 2023", Some("2023-03-03")),
            ("Fri, 03 Mar 2023 10:00:00 +0000", Some("2023-03-03")),
            ("3rd of March 2023", Some("2023-03-03")),
            ("Sept. 9, 2021", Some("2021-09-09")),
            ("2023-02-30", None),
            ("2023-13-01", None),
            ("yesterday", None),
            ("3 hours ago", None),
            ("2023", None),
            ("", None),
        ] {
            assert_eq!(normalize_date(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn unix_days() {
        assert_eq!(date_of_unix(0), "1970-01-01");
        assert_eq!(date_of_unix(951_782_400), "2000-02-29");
        assert_eq!(date_of_unix(1_709_164_800), "2024-02-29");
        assert_eq!(date_of_unix(-86_400), "1969-12-31");
    }

    #[test]
    fn datelines_and_bylines() {
        for (text, want) in [
            (
                "Title\n\nISLAMABAD, March 3, 2023: Militants attacked.",
                Some("2023-03-03"),
            ),
            (
                "Title\nPublished: 12 Feb 2024\n\nBody text.",
                Some("2023-02-12").map(|_| "2024-02-12"),
            ),
            (
                "Title\nBy Staff Reporter | 2023-01-02\n\nBody.",
                Some("2023-01-02"),
            ),
            ("Title\nUpdated 3 hours ago\n\nBody.", None),
            (
                "Title\nUpdated: March 5, 2023\nPublished: March 3, 2023\n\nBody.",
                Some("2023-03-03"),
            ),
            (
                "Title\nLast updated March 5, 2023\n\nBody.",
                Some("2023-03-05"),
            ),
            ("Title\n\nMarch 3, 2023\n\nBody.", Some("2023-03-03")),
            (
                "Title\nThis long byline line was posted on March 3, 2023 by the desk of the paper in town\n",
                Some("2023-03-03"),
            ),
        ] {
            assert_eq!(date_in_text(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn a_date_inside_a_sentence_is_not_the_articles() {
        let text = "Title\n\nThe security forces said that on March 3, 2023 militants attacked a \
                    checkpoint in the district, killing two soldiers and wounding several more.";
        assert_eq!(date_in_text(text), None);
        // Only the opening is searched.
        let late = format!("Title\n\n{}\nMarch 3, 2023\n", "word ".repeat(600));
        assert_eq!(date_in_text(&late), None);
    }

    #[test]
    fn front_matter() {
        let md = "---\ntitle: X\ndate: \"2022-04-05\"\n---\n# X\n";
        assert_eq!(front_matter_date(md).as_deref(), Some("2022-04-05"));
        assert_eq!(front_matter_date("# X\ndate: 2022-04-05\n"), None);
        assert_eq!(
            front_matter_date("---\ntitle: X\n---\ndate: 2022-04-05\n"),
            None
        );
    }

    #[test]
    fn html_metadata_in_order_of_trust() {
        let page = r#"<html><head>
            <meta name="date" content="2020-01-01">
            <meta content="2023-03-03T08:00:00Z" property="article:published_time"/>
            </head><body><time datetime="2019-05-05">5 May</time></body></html>"#;
        assert_eq!(html_date(page).as_deref(), Some("2023-03-03"));
        let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished" : "2022-11-30T01:00:00Z"}</script>"#;
        assert_eq!(html_date(ld).as_deref(), Some("2022-11-30"));
        let time = r#"<p>Posted <time datetime='2021-06-07'>June 7</time></p>"#;
        assert_eq!(html_date(time).as_deref(), Some("2021-06-07"));
        let time_text = "<p><time>June 7, 2021</time></p>";
        assert_eq!(html_date(time_text).as_deref(), Some("2021-06-07"));
        assert_eq!(html_date("<p>No date here</p><meta name=x>"), None);
        // Tags left open do not make it quadratic.
        let open = "<time>x ".repeat(200_000);
        let t = std::time::Instant::now();
        assert_eq!(html_date(&open), None);
        let meta = "<meta name=date content=".repeat(100_000);
        assert_eq!(html_date(&meta), None);
        assert!(t.elapsed().as_secs() < 2, "{:?}", t.elapsed());
        // Unquoted attributes, upper case.
        let bare = "<META PROPERTY=article:published_time CONTENT=2024-01-09>";
        assert_eq!(html_date(bare).as_deref(), Some("2024-01-09"));
    }

    #[test]
    fn order_by_date_puts_undated_last() {
        let d = |v: &str| DocDate::new(v.into(), DateSource::Text);
        let (a, b) = (d("2023-01-02"), d("2023-03"));
        assert_eq!(compare_dates(Some(&a), Some(&b)), Ordering::Less);
        assert_eq!(compare_dates(None, Some(&a)), Ordering::Greater);
        assert_eq!(b.month(), "2023-03");
        assert_eq!(a.month(), "2023-01");
    }
}
