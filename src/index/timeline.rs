//! An entity over time: its mentions per month, by the dates of the
//! documents that hold them (see [`crate::corpus::date`]).

use super::Index;
use crate::corpus::{DateSource, DocDate};
use crate::entity::EntityId;

/// One month of an entity's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Mentions in documents of that month.
    pub mentions: u32,
    /// Documents of that month that mention the entity.
    pub docs: u32,
    /// How many of those documents are dated only by their file's time
    /// (see [`DateSource::FileTime`]): a month made of them says when
    /// files were saved, not when articles appeared.
    pub file_time_docs: u32,
}

/// An entity's mentions per month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Every month from the first with a mention to the last, months
    /// without one included (with zeros), oldest first.
    pub months: Vec<MonthRow>,
    /// Mentions and documents with no month to put them in (no date).
    pub undated_mentions: u32,
    pub undated_docs: u32,
}

impl Timeline {
    /// The month with the most mentions' count (a bar chart's full scale).
    pub fn peak(&self) -> u32 {
        self.months.iter().map(|m| m.mentions).max().unwrap_or(0)
    }
}

/// Entity `e`'s mentions per month. Counted from the index and the
/// documents' dates: no text is read. Linear in the entity's mentions and
/// the months spanned.
pub fn timeline(index: &Index, e: EntityId) -> Timeline {
    timeline_of(index, &index.entity_doc_counts(e))
}

/// The same, from the entity's (document, mentions) counts when the caller
/// has them already (the cross-link panel does): linear in its documents.
pub fn timeline_of(index: &Index, doc_counts: &[(crate::entity::DocId, u32)]) -> Timeline {
    let mut out = Timeline::default();
    let months = index.doc_months();
    // (month code, mentions, file-time) per dated document.
    let mut per_doc: Vec<(u32, u32, bool)> = Vec::with_capacity(doc_counts.len());
    for &(d, n) in doc_counts {
        match months.get(d as usize).copied().unwrap_or(0) {
            0 => {
                out.undated_mentions += n;
                out.undated_docs += 1;
            }
            code => per_doc.push((code & !FILE_TIME, n, code & FILE_TIME != 0)),
        }
    }
    per_doc.sort_unstable_by_key(|p| p.0);
    let (Some(first), Some(last)) = (per_doc.first(), per_doc.last()) else {
        return out;
    };
    let (mut at, end) = ((first.0 / 16, first.0 % 16), (last.0 / 16, last.0 % 16));
    let mut rows = per_doc.chunk_by(|a, b| a.0 == b.0).peekable();
    while at <= end {
        let code = at.0 * 16 + at.1;
        let mut row = MonthRow {
            month: format!("{:04}-{:02}", at.0, at.1),
            mentions: 0,
            docs: 0,
            file_time_docs: 0,
        };
        if let Some(same) = rows.next_if(|same| same[0].0 == code) {
            for &(_, n, file_time) in same {
                row.mentions += n;
                row.docs += 1;
                row.file_time_docs += u32::from(file_time);
            }
        }
        out.months.push(row);
        at = if at.1 == 12 {
            (at.0 + 1, 1)
        } else {
            (at.0, at.1 + 1)
        };
    }
    out
}

/// The bit of a month code that says the date is only the file's time.
const FILE_TIME: u32 = 1 << 31;

/// A document's month as [`Index::doc_months`] keeps it: `year * 16 +
/// month`, bit 31 set for a file time; 0 for no usable date.
pub fn month_code(date: &DocDate) -> u32 {
    match month_of(date).and_then(|(m, source)| Some((parse_month(m)?, source))) {
        Some(((y, m), source)) if y < (1 << 20) => {
            let flag = if source == DateSource::FileTime {
                FILE_TIME
            } else {
                0
            };
            (y * 16 + m) | flag
        }
        _ => 0,
    }
}

/// The month of a date, when it has one (`YYYY-MM…`).
fn month_of(date: &DocDate) -> Option<(&str, DateSource)> {
    let m = date.value.get(..7)?;
    parse_month(m).map(|_| (m, date.source))
}

fn parse_month(m: &str) -> Option<(u32, u32)> {
    let (y, mo) = m.split_once('-')?;
    let (y, mo) = (y.parse().ok()?, mo.parse().ok()?);
    (y > 0 && (1..=12).contains(&mo)).then_some((y, mo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, Document};
    use crate::entity::{Analysis, DocId, Entity, Kind, Mention, Source};

    fn doc(id: &str, date: Option<(&str, DateSource)>) -> Document {
        Document {
            id: id.into(),
            path: id.into(),
            title: id.into(),
            text: "x".repeat(40).into(),
            boilerplate: Vec::new(),
            url: None,
            date: date.map(|(v, s)| DocDate::new(v.into(), s)),
        }
    }

    fn mention(doc: DocId, start: u32) -> Mention {
        Mention {
            doc,
            start,
            end: start + 1,
            entity: 0,
            source: Source::Kb,
            confidence: 100,
        }
    }

    fn index(docs: Vec<Document>, mentions: Vec<Mention>) -> Index {
        let entity = Entity {
            id: "e".into(),
            name: "E".into(),
            kind: Kind::Group,
            aliases: Vec::new(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        };
        Index::new(
            Corpus {
                docs,
                ..Corpus::default()
            },
            Analysis {
                entities: vec![entity],
                mentions,
            },
        )
    }

    #[test]
    fn months_between_are_filled_and_undated_set_apart() {
        let idx = index(
            vec![
                doc("a", Some(("2023-11-05", DateSource::Metadata))),
                doc("b", Some(("2024-02", DateSource::Text))),
                doc("c", None),
                doc("d", Some(("2023-11-20", DateSource::FileTime))),
                doc("e", Some(("2024-02-01", DateSource::Metadata))),
            ],
            vec![
                mention(0, 0),
                mention(0, 2),
                mention(1, 0),
                mention(2, 0),
                mention(3, 0),
                mention(4, 0),
                mention(4, 3),
                mention(4, 5),
            ],
        );
        let t = timeline(&idx, 0);
        let rows: Vec<(&str, u32, u32, u32)> = t
            .months
            .iter()
            .map(|m| (m.month.as_str(), m.mentions, m.docs, m.file_time_docs))
            .collect();
        assert_eq!(
            rows,
            [
                ("2023-11", 3, 2, 1),
                ("2023-12", 0, 0, 0),
                ("2024-01", 0, 0, 0),
                ("2024-02", 4, 2, 0),
            ]
        );
        assert_eq!((t.undated_mentions, t.undated_docs), (1, 1));
        assert_eq!(t.peak(), 4);
        // An entity never mentioned has no months.
        assert_eq!(timeline(&idx, 7), Timeline::default());
    }
}
