//! The one sanitiser: every string that came from a file (document text,
//! file names, knowledge-base names, annotation quotes, error messages that
//! echo input) passes through here before it reaches any output.
//!
//! - [`sanitize`] is for terminal text: tables, status lines, stderr. Control
//!   characters become visible symbols, as the reader shows them.
//! - [`to_json`] is for JSON: C0, DEL, C1 and bidi controls are written as
//!   `\uXXXX` escapes, so the JSON stays lossless and `cat`ing it is safe.
//! - [`toml_string`] is the same for TOML basic strings.
//!
//! What is unsafe: C0 controls (ESC starts every escape sequence), DEL, C1
//! controls (U+009B is an 8-bit CSI, U+009D an 8-bit OSC), and the bidi
//! embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), which
//! make a terminal show text in another order than it is stored.

use std::borrow::Cow;

/// True for the bidi embedding, override and isolate controls.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// True for a character that must never reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The visible stand-in for a control character, or `None` if `c` is not one.
///
/// C0 controls become their Control Pictures (`␀`…`␟`, so ESC is `␛`), DEL
/// becomes `␡`, and C1 controls (U+0080–U+009F, which include the 8-bit CSI)
/// and bidi controls become `�`.
pub fn control_symbol(c: char) -> Option<char> {
    match c {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}' => Some('\u{fffd}'),
        c if is_bidi_control(c) => Some('\u{fffd}'),
        _ => None,
    }
}

/// Makes a one-line label safe and flat: controls become visible symbols and
/// line breaks and tabs become spaces. Borrows when nothing changes.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => ' ',
                c => control_symbol(c).unwrap_or(c),
            })
            .collect(),
    )
}

/// Like [`sanitize`] for text of several lines (an error message with its
/// causes): keeps line breaks, shows every other control.
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' => '\n',
                '\t' | '\u{2028}' | '\u{2029}' => ' ',
                c => control_symbol(c).unwrap_or(c),
            })
            .collect(),
    )
}

/// A serde_json formatter that escapes every unsafe character, not only the
/// C0 controls that JSON requires.
struct SafeFormatter;

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

/// Serialises `value` as one line of JSON in which no unsafe character
/// appears raw.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter);
    if value.serialize(&mut ser).is_err() {
        // Only maps with non-string keys fail; none are written here.
        return "null".to_string();
    }
    // The formatter writes only valid UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// Writes `s` as a TOML basic string (in double quotes), escaping quotes,
/// backslashes and every unsafe character.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str =
        "a\u{1b}]52;c;cHduZWQK\u{7}b\u{1b}[2Jc\u{9b}31md\u{202e}e\u{2066}f\u{7f}g\u{9d}0;x\u{9c}";

    fn raw_unsafe(s: &str) -> Vec<char> {
        s.chars().filter(|&c| is_unsafe(c)).collect()
    }

    #[test]
    fn sanitize_leaves_nothing_unsafe() {
        let s = sanitize(HOSTILE);
        assert!(raw_unsafe(&s).is_empty(), "{s:?}");
        assert!(s.contains('␛') && s.contains('␇') && s.contains('�'));
        assert_eq!(sanitize("plain Peshawar"), "plain Peshawar");
        assert!(matches!(sanitize("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn sanitize_lines_keeps_line_breaks_only() {
        let s = sanitize_lines("one\u{1b}[2J\ntwo\r");
        assert_eq!(s, "one␛[2J\ntwo␍");
    }

    #[test]
    fn json_escapes_c0_c1_and_bidi_and_stays_lossless() {
        let j = to_json(&serde_json::json!({ "t": HOSTILE }));
        assert!(raw_unsafe(&j).is_empty(), "{j}");
        assert!(j.contains("\\u009b") && j.contains("\\u202e") && j.contains("\\u001b"));
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["t"], HOSTILE);
    }

    #[test]
    fn toml_strings_escape_and_round_trip() {
        let s = format!("{HOSTILE} \"quoted\" back\\slash\nline");
        let t = toml_string(&s);
        assert!(raw_unsafe(&t).is_empty(), "{t}");
        let v: toml::Value = toml::from_str(&format!("k = {t}")).unwrap();
        assert_eq!(v["k"].as_str(), Some(s.as_str()));
    }
}
