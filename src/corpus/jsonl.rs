//! JSON Lines: one article per line.
//!
//! Each non-blank line is an object with a required string `text` and
//! optional `title`, `url`, `date` (normalised, see [`super::date`]) and `id`. The document id is
//! `<path>#<line>` (1-based physical line number); the `id` field is accepted
//! but not used as the document id, which must stay stable and unique.

use serde_json::Value;

use super::Document;
use super::boilerplate::find_boilerplate;
use super::date::{DateSource, DocDate, date_in_text, normalize_date};
use super::title::derive_title_opt;

/// The text of the `record`-th document [`parse_jsonl`] gives for `text`,
/// without the rest of its work (titles, boilerplate).
pub(crate) fn record_text(text: &str, record: usize) -> Option<String> {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter_map(|l| parse_line(l).ok())
        .nth(record)
        .map(|r| r.text)
}

/// Parses `text` (the whole decoded file). Bad lines become warnings
/// (`line N: reason`) and are skipped.
pub(crate) fn parse_jsonl(path: &str, text: &str, warnings: &mut Vec<String>) -> Vec<Document> {
    let mut docs = Vec::new();
    for (idx, raw) in text.split('\n').enumerate() {
        let line_no = idx + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(rec) => {
                let id = format!("{path}#{line_no}");
                let title = rec
                    .title
                    .filter(|t| t.chars().any(char::is_alphanumeric))
                    .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                    .or_else(|| derive_title_opt(&rec.text))
                    .unwrap_or_else(|| id.clone());
                let boilerplate = find_boilerplate(&rec.text);
                let date = match rec.date.as_deref().and_then(normalize_date) {
                    Some(d) => Some(DocDate::new(d, DateSource::Metadata)),
                    None => date_in_text(&rec.text).map(|d| DocDate::new(d, DateSource::Text)),
                };
                docs.push(Document {
                    id,
                    path: path.to_string(),
                    title,
                    text: rec.text.into(),
                    boilerplate,
                    url: rec.url,
                    date,
                });
            }
            Err(reason) => warnings.push(format!("line {line_no}: {reason}")),
        }
    }
    docs
}

struct Record {
    text: String,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
}

fn parse_line(line: &str) -> Result<Record, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(mut map) = value else {
        return Err("not a JSON object".to_string());
    };
    let text = match map.remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err("\"text\" is not a string".to_string()),
        None => return Err("no \"text\" field".to_string()),
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.trim().is_empty() {
        return Err("empty \"text\"".to_string());
    }
    Ok(Record {
        text,
        title: scalar(map.remove("title")),
        url: scalar(map.remove("url")),
        date: scalar(map.remove("date")),
    })
}

/// A string field, or a number written as text; anything else is ignored.
fn scalar(v: Option<Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_and_bad_lines() {
        let text = concat!(
            "{\"text\": \"First story body.\", \"title\": \"First\", \"url\": \"https://x.test/1\", \"date\": \"2023-01-02\"}\n",
            "\n",
            "{not json}\n",
            "{\"title\": \"no text\"}\r\n",
            "{\"text\": 42}\n",
            "[1, 2]\n",
            "{\"text\": \"Headline Without Title Field\\n\\nBody.\"}\r\n",
            "{\"text\": \"   \"}\n",
        );
        let mut w = Vec::new();
        let docs = parse_jsonl("dir/a.jsonl", text, &mut w);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "dir/a.jsonl#1");
        assert_eq!(docs[0].path, "dir/a.jsonl");
        assert_eq!(docs[0].title, "First");
        assert_eq!(docs[0].url.as_deref(), Some("https://x.test/1"));
        assert_eq!(
            docs[0].date,
            Some(DocDate::new("2023-01-02".into(), DateSource::Metadata))
        );
        assert_eq!(docs[0].text, "First story body.");
        assert_eq!(docs[1].id, "dir/a.jsonl#7");
        assert_eq!(docs[1].title, "Headline Without Title Field");
        assert_eq!(w.len(), 5, "{w:?}");
        assert!(w[0].starts_with("line 3: invalid JSON"), "{w:?}");
        assert_eq!(w[1], "line 4: no \"text\" field");
        assert_eq!(w[2], "line 5: \"text\" is not a string");
        assert_eq!(w[3], "line 6: not a JSON object");
        assert_eq!(w[4], "line 8: empty \"text\"");
    }
}
