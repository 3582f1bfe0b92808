//! An entity's concordance: every mention in its context, grouped by
//! document with the document's title and date. `dossier xref` prints it,
//! and the reader's cross-link panel exports the same, as Markdown or CSV.
//!
//! Documents are read one at a time, each once, and none is kept: an
//! entity named a million times costs one pass over the documents that name
//! it, and the memory of one document's lines.

use super::show::Palette;
use super::table;
use crate::entity::{DocId, Entity, EntityId, Source};
use crate::index::{EntityStats, Index, KwicLine, kwic};
use crate::text::safe::to_json;
use crate::text::{plural, sanitize};
use crate::tui::theme::SGR_RESET;
use serde_json::json;
use std::io::{self, Write};

/// How many characters of context either side of a mention, by default.
pub const CONTEXT: usize = 40;

/// One mention in its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Byte offsets into the document's text.
    pub start: u32,
    pub end: u32,
    /// The mention's text as written.
    pub text: String,
    pub source: Source,
    pub confidence: u8,
    pub kwic: KwicLine,
}

/// The mentions of the entity in one document, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocGroup {
    pub doc: DocId,
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub lines: Vec<Line>,
}

/// The concordance of one entity of an index.
#[derive(Debug, Clone, Copy)]
pub struct Concordance<'a> {
    index: &'a Index,
    entity: EntityId,
    context: usize,
}

impl<'a> Concordance<'a> {
    /// The concordance of `entity`, with `context` characters either side
    /// of each mention.
    pub fn new(index: &'a Index, entity: EntityId, context: usize) -> Self {
        Concordance {
            index,
            entity,
            context,
        }
    }

    pub fn entity(&self) -> &'a Entity {
        self.index.entity(self.entity)
    }

    /// How many mentions, in how many documents.
    pub fn stats(&self) -> EntityStats {
        self.index.stats(self.entity)
    }

    /// The forms the entity is written in, most frequent first.
    pub fn aliases_seen(&self) -> Vec<(String, u32)> {
        self.index.aliases_seen(self.entity)
    }

    /// Each document that mentions the entity, in document order, with its
    /// lines (each document's text is read once, and dropped after).
    pub fn groups(&self) -> impl Iterator<Item = DocGroup> + 'a {
        let index = self.index;
        let context = self.context;
        index
            .entity_places(self.entity)
            .chunk_by(|a, b| a.0 == b.0)
            .map(move |places| {
                let d = places[0].0;
                let doc = index.doc(d);
                let text = doc.text.fetch();
                let mentions = index.doc_mentions(d);
                let lines = places
                    .iter()
                    .filter_map(|&(_, i)| {
                        let m = mentions.get(i as usize)?;
                        Some(Line {
                            start: m.start,
                            end: m.end,
                            text: index.form(d, i as usize).to_string(),
                            source: m.source,
                            confidence: m.confidence,
                            kwic: kwic(&text, m.range(), context),
                        })
                    })
                    .collect();
                DocGroup {
                    doc: d,
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    date: doc
                        .date
                        .as_ref()
                        .and_then(|d| d.published())
                        .map(str::to_string),
                    url: doc.url.clone(),
                    lines,
                }
            })
    }

    /// "group · 12 mentions in 3 documents".
    fn summary(&self) -> String {
        let s = self.stats();
        format!(
            "{} · {} in {}",
            self.entity().kind.as_str(),
            plural(s.mentions as usize, "mention", "mentions"),
            plural(s.docs as usize, "document", "documents")
        )
    }

    fn seen_as(&self) -> String {
        self.aliases_seen()
            .iter()
            .map(|(a, n)| format!("{} ({n})", sanitize(a)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// For a terminal or a pager: a heading, then each document (id, date,
    /// title) and its mentions, one line each, their hits lined up. With a
    /// palette, each hit is in its kind's colour.
    pub fn write_text(&self, out: &mut dyn Write, palette: Option<&Palette>) -> io::Result<()> {
        let ent = self.entity();
        writeln!(out, "{}  {}", sanitize(&ent.name), sanitize(&ent.id))?;
        writeln!(out, "{}", self.summary())?;
        let seen = self.seen_as();
        if !seen.is_empty() {
            writeln!(out, "seen as {seen}")?;
        }
        let style = palette.map_or("", |p| p.style_of(ent.kind));
        let end = if style.is_empty() { "" } else { SGR_RESET };
        for g in self.groups() {
            writeln!(out)?;
            let mut head = vec![sanitize(&g.id).into_owned()];
            head.extend(g.date.as_deref().map(|d| sanitize(d).into_owned()));
            head.push(sanitize(&g.title).into_owned());
            head.push(plural(g.lines.len(), "mention", "mentions"));
            writeln!(out, "{}", head.join(" · "))?;
            for l in &g.lines {
                let before = sanitize(&l.kwic.before);
                let pad = self
                    .context
                    .saturating_add(1)
                    .saturating_sub(crate::text::width(&before));
                writeln!(
                    out,
                    "{:>8}  {:pad$}{before}{style}{}{end}{}",
                    l.start,
                    "",
                    sanitize(&l.kwic.hit),
                    sanitize(&l.kwic.after),
                )?;
            }
        }
        Ok(())
    }

    /// One JSON object a line, one line per mention: the entity, the
    /// document (id, title, date, url), the offsets, the text, and the
    /// context before and after.
    pub fn write_jsonl(&self, out: &mut dyn Write) -> io::Result<()> {
        let ent = self.entity();
        for g in self.groups() {
            for l in &g.lines {
                let line = json!({
                    "entity": ent.id, "name": ent.name, "kind": ent.kind.as_str(),
                    "doc": g.id, "title": g.title, "date": g.date, "url": g.url,
                    "start": l.start, "end": l.end, "text": l.text,
                    "source": l.source.as_str(),
                    "confidence": f64::from(l.confidence) / 100.0,
                    "before": l.kwic.before, "after": l.kwic.after,
                });
                writeln!(out, "{}", to_json(&line))?;
            }
        }
        Ok(())
    }

    /// A Markdown report: the entity, then a section per document (title,
    /// id, date, address) listing its mentions in context, the hit in bold.
    pub fn write_markdown(&self, out: &mut dyn Write) -> io::Result<()> {
        let ent = self.entity();
        writeln!(out, "# {}\n", md(&ent.name))?;
        writeln!(out, "`{}` · {}\n", code(&ent.id), self.summary())?;
        let seen = self.seen_as();
        if !seen.is_empty() {
            writeln!(out, "Seen as: {}\n", md(&seen))?;
        }
        for g in self.groups() {
            writeln!(out, "## {}\n", md(&g.title))?;
            let mut about = vec![format!("`{}`", code(&g.id))];
            about.extend(g.date.as_deref().map(md));
            about.extend(g.url.as_deref().map(|u| format!("<{}>", code(u))));
            about.push(plural(g.lines.len(), "mention", "mentions"));
            writeln!(out, "{}\n", about.join(" · "))?;
            for l in &g.lines {
                writeln!(
                    out,
                    "- {}**{}**{} ({}–{})",
                    md(&l.kwic.before),
                    md(&l.kwic.hit),
                    md(&l.kwic.after),
                    l.start,
                    l.end
                )?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    /// CSV, one row per mention, with a header row.
    pub fn write_csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = table::csv_writer(
            out,
            &[
                "entity", "name", "kind", "doc", "title", "date", "url", "start", "end", "text",
                "source", "before", "after",
            ],
        )
        .map_err(table::io_error)?;
        let ent = self.entity();
        let (id, name) = (table::field(&ent.id), table::field(&ent.name));
        for g in self.groups() {
            let (doc, title) = (table::field(&g.id), table::field(&g.title));
            let date = table::field(g.date.as_deref().unwrap_or(""));
            let url = table::field(g.url.as_deref().unwrap_or(""));
            for l in &g.lines {
                w.write_record([
                    &*id,
                    &*name,
                    ent.kind.as_str(),
                    &*doc,
                    &*title,
                    &*date,
                    &*url,
                    &l.start.to_string(),
                    &l.end.to_string(),
                    &*table::field(&l.text),
                    l.source.as_str(),
                    &*table::field(&l.kwic.before),
                    &*table::field(&l.kwic.after),
                ])
                .map_err(table::io_error)?;
            }
        }
        w.flush()
    }
}

/// Text for Markdown: sanitised, one line, and every character Markdown
/// would read as markup escaped with a backslash (the block markers `#`,
/// `+`, `-` and `>` only at the start, the only place they act there).
pub fn md(s: &str) -> String {
    let s = sanitize(s);
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        if "\\`*_[]<|~&".contains(c) || (i == 0 && "#+->".contains(c)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside a Markdown code span or autolink: sanitised, one line, with
/// backticks and angle brackets (which would end it) replaced.
fn code(s: &str) -> String {
    sanitize(s).replace('`', "'").replace(['<', '>'], "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, Document};
    use crate::entity::{Analysis, Kind, Mention};

    fn index() -> Index {
        let doc = |id: &str, title: &str, text: &str| Document {
            id: id.into(),
            path: id.into(),
            title: title.into(),
            text: text.to_string().into(),
            boilerplate: Vec::new(),
            url: None,
            date: Some(crate::corpus::date::DocDate::new(
                "2024-01-02".into(),
                crate::corpus::date::DateSource::Metadata,
            )),
        };
        let corpus = Corpus {
            docs: vec![
                doc("a.txt", "First *news*", "The TTP met. Then the TTP left."),
                doc("b.txt", "Second", "Nothing here."),
                doc("c.txt", "Third", "Tehrik-i-Taliban =spoke."),
            ],
            ..Corpus::default()
        };
        let m = |doc, start, end| Mention {
            doc,
            start,
            end,
            entity: 0,
            source: Source::Kb,
            confidence: 100,
        };
        let analysis = Analysis {
            entities: vec![Entity {
                id: "ttp".into(),
                name: "Tehrik-i-Taliban Pakistan".into(),
                kind: Kind::Group,
                aliases: vec!["TTP".into()],
                description: None,
                external: Default::default(),
                facts: Default::default(),
            }],
            mentions: vec![m(0, 4, 7), m(0, 22, 25), m(2, 0, 16)],
        };
        Index::new(corpus, analysis)
    }

    #[test]
    fn groups_by_document_with_every_mention() {
        let ix = index();
        let c = Concordance::new(&ix, 0, 10);
        let groups: Vec<DocGroup> = c.groups().collect();
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].id, "a.txt");
        assert_eq!(groups[0].lines.len(), 2);
        assert_eq!(groups[0].lines[1].kwic.before, "…Then the ");
        assert_eq!(groups[1].lines[0].text, "Tehrik-i-Taliban");
    }

    #[test]
    fn markdown_escapes_the_documents_own_markup() {
        let ix = index();
        let mut out = Vec::new();
        Concordance::new(&ix, 0, 10)
            .write_markdown(&mut out)
            .unwrap();
        let md = String::from_utf8(out).unwrap();
        assert!(md.starts_with("# Tehrik-i-Taliban Pakistan\n"), "{md}");
        assert!(md.contains("## First \\*news\\*\n"), "{md}");
        assert!(md.contains("`a.txt` · 2024-01-02 · 2 mentions"), "{md}");
        assert!(md.contains("- The **TTP** met.… (4–7)"), "{md}");
        assert!(
            md.contains("Seen as: TTP (2), Tehrik-i-Taliban (1)"),
            "{md}"
        );
        assert!(!md.contains("b.txt"), "{md}");
    }

    #[test]
    fn csv_has_a_row_per_mention_and_guards_formulas() {
        let ix = index();
        let mut out = Vec::new();
        Concordance::new(&ix, 0, 10).write_csv(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[2][3], "c.txt");
        assert_eq!(&rows[2][9], "Tehrik-i-Taliban");
        assert_eq!(&rows[2][12], " =spoke.");
    }
}
