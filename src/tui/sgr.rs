//! Colours as a 16-colour terminal expects them.
//!
//! crossterm writes every indexed colour as `CSI 38;5;N m` (and `48;5;N`
//! for backgrounds), even the 16 basic ones. A terminal with 16 colours
//! (`TERM=screen`, `linux`, `xterm`) may not know the 256-colour form at
//! all, so on such a terminal the reader's output is rewritten: colours 0–7
//! become SGR 30–37 (40–47), colours 8–15 become 90–97 (100–107). Nothing
//! else in the output is touched.

use std::borrow::Cow;

/// `bytes` with every `38;5;N` / `48;5;N` (N < 16) in an SGR sequence
/// written as a basic colour.
pub fn basic_colours(bytes: &[u8]) -> Cow<'_, [u8]> {
    if !bytes.windows(3).any(|w| w == b";5;") {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            // A CSI sequence: parameters, then a final byte.
            let params_start = i + 2;
            let mut j = params_start;
            while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
                j += 1;
            }
            if bytes.get(j) == Some(&b'm') {
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(&rewrite(&bytes[params_start..j]));
                out.push(b'm');
                i = j + 1;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    Cow::Owned(out)
}

/// The parameters of one SGR sequence, rewritten.
fn rewrite(params: &[u8]) -> Vec<u8> {
    let parts: Vec<&[u8]> = params.split(|&b| b == b';').collect();
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut k = 0;
    while k < parts.len() {
        let n = |x: usize| -> Option<u32> { std::str::from_utf8(parts.get(x)?).ok()?.parse().ok() };
        // An extended colour takes the parameters after it: `5;N` or
        // `2;R;G;B`. Only a basic `5;N` is rewritten; the rest is copied
        // whole, so that a true colour's components are never read as
        // parameters of their own.
        let take = match (n(k), n(k + 1)) {
            (Some(38 | 48), Some(5)) => 3,
            (Some(38 | 48), Some(2)) => 5,
            _ => 1,
        };
        if take == 3
            && let (Some(which), Some(c)) = (n(k), n(k + 2))
            && c < 16
        {
            let base = match (which, c < 8) {
                (38, true) => 30,
                (38, false) => 90 - 8,
                (_, true) => 40,
                (_, false) => 100 - 8,
            };
            out.push((base + c).to_string());
            k += 3;
            continue;
        }
        let end = (k + take).min(parts.len());
        for p in &parts[k..end] {
            out.push(String::from_utf8_lossy(p).into_owned());
        }
        k = end;
    }
    out.join(";").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(b: &[u8]) -> String {
        String::from_utf8_lossy(&basic_colours(b)).into_owned()
    }

    #[test]
    fn indexed_basic_colours_become_sgr_30_to_37_and_90_to_97() {
        assert_eq!(s(b"\x1b[38;5;1m"), "\x1b[31m");
        assert_eq!(s(b"\x1b[38;5;9m"), "\x1b[91m");
        assert_eq!(s(b"\x1b[48;5;4m"), "\x1b[44m");
        assert_eq!(s(b"\x1b[48;5;15m"), "\x1b[107m");
        assert_eq!(s(b"\x1b[1;38;5;2;48;5;8m"), "\x1b[1;32;100m");
    }

    #[test]
    fn everything_else_is_left_alone() {
        // 256-colour indices, true colour, other sequences, text.
        assert_eq!(s(b"\x1b[38;5;196m"), "\x1b[38;5;196m");
        assert_eq!(s(b"\x1b[38;2;1;5;3m"), "\x1b[38;2;1;5;3m");
        assert_eq!(s(b"\x1b[48;2;38;5;1;38;5;3m"), "\x1b[48;2;38;5;1;33m");
        assert_eq!(s(b"\x1b[5;5Hx;5;1m"), "\x1b[5;5Hx;5;1m");
        assert_eq!(s(b"plain ;5; text"), "plain ;5; text");
        assert!(matches!(basic_colours(b"\x1b[0m"), Cow::Borrowed(_)));
    }
}
