//! The orders a document list can take: by id, by title or by date, names
//! in natural order ("Copy 2" before "Copy 10").

use super::Index;
use crate::corpus::date::compare_dates;
use crate::entity::DocId;
use crate::text::natural_cmp;
use std::cmp::Ordering;

/// How a document list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DocOrder {
    /// By id (the corpus's own order).
    #[default]
    Id,
    /// By title, ignoring case, numbers by value.
    Title,
    /// By date, oldest first; undated documents last.
    Date,
    /// By date, newest first; undated documents last.
    DateNewest,
}

impl DocOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            DocOrder::Id => "id",
            DocOrder::Title => "title",
            DocOrder::Date => "date",
            DocOrder::DateNewest => "newest",
        }
    }

    /// The next order, for a key that cycles through them.
    pub fn next(self) -> DocOrder {
        match self {
            DocOrder::Id => DocOrder::Title,
            DocOrder::Title => DocOrder::Date,
            DocOrder::Date => DocOrder::DateNewest,
            DocOrder::DateNewest => DocOrder::Id,
        }
    }
}

/// The corpus's documents in `order`. Ties (equal titles or dates) keep
/// the order of ids. No text is read; O(n log n) in the documents.
pub fn doc_order(index: &Index, order: DocOrder) -> Vec<DocId> {
    let docs = index.docs();
    let mut out: Vec<DocId> = (0..docs.len() as DocId).collect();
    let by_id = |a: DocId, b: DocId| natural_cmp(&docs[a as usize].id, &docs[b as usize].id);
    match order {
        DocOrder::Id => {
            // Already so for a corpus loaded from files; sorted for any other.
            out.sort_by(|&a, &b| by_id(a, b));
        }
        DocOrder::Title => {
            // Each title folded once, not at every comparison.
            let keys: Vec<String> = docs.iter().map(|d| d.title.to_lowercase()).collect();
            out.sort_by(|&a, &b| {
                natural_cmp(&keys[a as usize], &keys[b as usize]).then_with(|| by_id(a, b))
            });
        }
        DocOrder::Date | DocOrder::DateNewest => {
            let newest = order == DocOrder::DateNewest;
            out.sort_by(|&a, &b| {
                let (x, y) = (&docs[a as usize].date, &docs[b as usize].date);
                let by_date = match (x, y) {
                    (Some(p), Some(q)) if newest => q.value.cmp(&p.value),
                    _ => compare_dates(x.as_ref(), y.as_ref()),
                };
                by_date.then_with(|| by_id(a, b))
            });
        }
    }
    out
}

/// Compares two names for a list (entity names, titles): ignoring case,
/// numbers by value, then exactly, so that the order is total.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    natural_cmp(&a.to_lowercase(), &b.to_lowercase()).then_with(|| natural_cmp(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, DateSource, DocDate, Document};
    use crate::entity::Analysis;

    fn doc(id: &str, title: &str, date: Option<&str>) -> Document {
        Document {
            id: id.into(),
            path: id.into(),
            title: title.into(),
            text: "text".to_string().into(),
            boilerplate: Vec::new(),
            url: None,
            date: date.map(|v| DocDate::new(v.into(), DateSource::Text)),
        }
    }

    fn index() -> Index {
        let docs = vec![
            doc("a", "copy 10", None),
            doc("b 10", "Copy 2", Some("2024-01-01")),
            doc("b 9", "Copy 100", Some("2024-01-01")),
            doc("c", "Copy 1", Some("2022-05")),
        ];
        Index::new(
            Corpus {
                docs,
                ..Corpus::default()
            },
            Analysis::default(),
        )
    }

    #[test]
    fn orders_of_a_document_list() {
        let idx = index();
        assert_eq!(doc_order(&idx, DocOrder::Id), [0, 2, 1, 3]);
        assert_eq!(doc_order(&idx, DocOrder::Title), [3, 1, 0, 2]);
        // Equal dates keep the order of ids; undated last either way.
        assert_eq!(doc_order(&idx, DocOrder::Date), [3, 2, 1, 0]);
        assert_eq!(doc_order(&idx, DocOrder::DateNewest), [2, 1, 3, 0]);
        let mut o = DocOrder::default();
        for _ in 0..4 {
            o = o.next();
        }
        assert_eq!(o, DocOrder::Id);
    }

    #[test]
    fn names_ignore_case_and_count_numbers() {
        let mut v = vec!["copy 10", "Copy 9", "alpha", "Beta", "Copy 9 "];
        v.sort_by(|a, b| compare_names(a, b));
        assert_eq!(v, ["alpha", "Beta", "Copy 9", "Copy 9 ", "copy 10"]);
        assert_eq!(compare_names("A", "a"), natural_cmp("A", "a"));
    }
}
