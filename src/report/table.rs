//! Tables for spreadsheets: CSV through the `csv` crate (RFC 4180 quoting),
//! every field made safe first.

use crate::text::sanitize;
use std::borrow::Cow;
use std::io::Write;

/// A CSV writer with a header row of `columns`.
pub fn csv_writer<W: Write>(out: W, columns: &[&str]) -> csv::Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(columns)?;
    Ok(w)
}

/// A text field as a spreadsheet should receive it: control characters
/// shown as symbols, line breaks as spaces (see [`sanitize`]), and a
/// field that a spreadsheet would take for a formula (starting with `=`,
/// `+`, `-` or `@`) prefixed with `'`, as OWASP advises against CSV
/// injection. Numbers are written as they are, not through here.
pub fn field(s: &str) -> Cow<'_, str> {
    let clean = sanitize(s);
    if clean.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{clean}"))
    } else {
        clean
    }
}

/// A CSV error as an I/O error, for writers that report `io::Result`.
pub fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_safe_for_terminals_and_spreadsheets() {
        assert_eq!(field("Pakistan"), "Pakistan");
        assert_eq!(field("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("a\u{1b}[2Jb\nc"), "a\u{241b}[2Jb c");
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        let mut w = csv_writer(Vec::new(), &["a", "b"]).unwrap();
        w.write_record(["x, y", "say \"hi\""]).unwrap();
        let bytes = w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,b\n\"x, y\",\"say \"\"hi\"\"\"\n"
        );
    }
}
