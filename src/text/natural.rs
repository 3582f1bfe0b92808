//! Natural order for names that carry numbers: "Copy 2" before "Copy 10",
//! `a.jsonl#9` before `a.jsonl#10`, as a person counts rather than as bytes
//! compare.

use std::cmp::Ordering;

/// Compares two names in natural order: runs of ASCII digits compare by
/// their value (leading zeros aside), everything else compares character
/// by character, as it is. Names that differ only in leading zeros
/// ("Copy 01", "Copy 1") and only then fall back to their bytes, so the
/// order is total and two names are equal only when they are the same
/// string. Linear in the shorter name.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let (ri, rj) = (digit_run(x, i), digit_run(y, j));
            let order = compare_numbers(&x[i..ri], &y[j..rj]);
            if order != Ordering::Equal {
                return order;
            }
            (i, j) = (ri, rj);
            continue;
        }
        // Byte by byte outside digits: UTF-8 keeps the order of code
        // points, and a digit is never part of a multi-byte character.
        match x[i].cmp(&y[j]) {
            Ordering::Equal => (i, j) = (i + 1, j + 1),
            order => return order,
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| x.cmp(y))
}

/// The end of the run of ASCII digits starting at `from`.
fn digit_run(s: &[u8], from: usize) -> usize {
    from + s[from..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Two runs of digits by value, of any length (no overflow).
fn compare_numbers(a: &[u8], b: &[u8]) -> Ordering {
    let strip = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn numbers_sort_by_value() {
        assert_eq!(
            sorted(&["Copy 100", "Copy 10", "Copy 2", "Copy 1"]),
            ["Copy 1", "Copy 2", "Copy 10", "Copy 100"]
        );
        assert_eq!(
            sorted(&["a.jsonl#10", "a.jsonl#9", "a.jsonl#1"]),
            ["a.jsonl#1", "a.jsonl#9", "a.jsonl#10"]
        );
        // Several numbers in one name, each by value.
        assert_eq!(
            sorted(&["v1.10", "v1.9", "v10.1", "v2.0"]),
            ["v1.9", "v1.10", "v2.0", "v10.1"]
        );
    }

    #[test]
    fn the_order_is_total() {
        // Leading zeros: equal in value, told apart by bytes, never equal.
        assert_ne!(natural_cmp("Copy 01", "Copy 1"), Ordering::Equal);
        assert_eq!(
            natural_cmp("Copy 01", "Copy 1"),
            natural_cmp("Copy 1", "Copy 01").reverse()
        );
        assert_eq!(natural_cmp("same", "same"), Ordering::Equal);
        // A prefix comes first; digits longer than any integer still work.
        assert_eq!(natural_cmp("Copy", "Copy 1"), Ordering::Less);
        assert_eq!(
            natural_cmp("n99999999999999999999999", "n100000000000000000000000"),
            Ordering::Less
        );
        // Text outside numbers keeps its plain order (case included).
        assert_eq!(natural_cmp("B", "a"), "B".cmp("a"));
        assert_eq!(natural_cmp("é1", "e1"), "é1".cmp("e1"));
    }

    #[test]
    fn names_without_numbers_keep_their_byte_order() {
        let names = ["b", "a", "ab", "Z", "ä", "a-b", "a_b"];
        let mut want: Vec<&str> = names.to_vec();
        want.sort();
        assert_eq!(sorted(&names), want);
    }
}
