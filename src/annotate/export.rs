//! Export to, and import from, the formats annotation tools read.
//!
//! | format | files | spans |
//! | --- | --- | --- |
//! | brat standoff | `<doc>.txt` + `<doc>.ann`, `annotation.conf`, `documents.tsv` | `T` lines, `N` Reference lines with the entity id, `#` AnnotatorNotes |
//! | doccano JSONL | `doccano.jsonl` | `{"text", "label": [[start, end, "LABEL"]]}` |
//! | spaCy JSONL | `spacy.jsonl` | `{"text", "entities": [[start, end, "LABEL"]]}` |
//! | CoNLL BIO | `conll.txt` + `conll.ids.txt` | `token TAB B-LABEL/I-LABEL/O` (the tag last, as CoNLL-2003 and `spacy convert` want); the ids file has `token TAB entity-id` line for line |
//!
//! These tools count offsets in Unicode code points; the conversion from the
//! byte offsets used everywhere else happens here and nowhere else. brat
//! reads its `.txt` with universal newlines, so the `.txt` is written with
//! "\n" line ends and its offsets count in that text.

use crate::corpus::Corpus;
use crate::entity::{EntityId, Kind, Mention, Source};
use crate::files::{self, ReadError};
use crate::index::Index;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use thiserror::Error;
use unicode_segmentation::UnicodeSegmentation;

/// The line that starts each document of a CoNLL file, as CoNLL-2003 and
/// `spacy convert --converter ner` write it.
pub const DOCSTART: &str = "-DOCSTART- -X- O O";

/// An export or import format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Brat,
    Doccano,
    Spacy,
    Conll,
    /// The decisions themselves, one JSON object a line, as the journal
    /// holds them: lossless.
    Decisions,
}

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("{path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}")]
    Read {
        path: PathBuf,
        #[source]
        source: ReadError,
    },
    #[error("{path}:{line}: {reason}")]
    Parse {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("import from {0:?} is not supported (brat, doccano, spacy and decisions are)")]
    Unsupported(Format),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads an import file: a regular file only (never a FIFO or a device),
/// capped at [`files::DATA_CAP`].
fn read_text(path: &Path) -> Result<String, ExportError> {
    files::read_regular_string(path, files::DATA_CAP).map_err(|source| ExportError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// At most a short piece of `s`, quoted and escaped, for error messages.
fn short(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{:?}…", &s[..at]),
        None => format!("{s:?}"),
    }
}

/// One annotated span, with byte offsets into its document's text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    /// The entity id, where the format carries one.
    pub entity: Option<String>,
    pub note: Option<String>,
    /// The entity's name, where the format carries one.
    pub name: Option<String>,
    /// A person made or accepted this span (its source is an annotation).
    pub accepted: bool,
    /// A person rejected this span: it is no mention of `entity` (of
    /// anything, without one).
    pub rejected: bool,
}

/// The label a kind gets in exported files.
pub fn label(kind: Kind) -> String {
    kind.as_str().to_uppercase()
}

fn kind_of_label(label: &str) -> Option<Kind> {
    Kind::parse(&label.to_lowercase())
}

/// Byte offset → code-point offset, counting from the start of the text.
/// For many offsets of one text use [`Offsets`], which does not rescan.
pub fn to_chars(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

/// Code-point offset → byte offset, if it falls inside the text, counting
/// from the start of the text. For many offsets use [`Offsets`].
pub fn to_bytes(text: &str, chars: usize) -> Option<usize> {
    if chars == 0 {
        return Some(0);
    }
    text.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .nth(chars)
}

/// Converts between the byte and code-point offsets of one text, walking
/// from the last offset converted rather than from the start: converting
/// offsets in ascending order costs one pass over the text in all. Going
/// back costs the distance gone back.
#[derive(Debug, Clone)]
pub struct Offsets<'a> {
    text: &'a str,
    /// A char boundary, and the number of code points before it.
    byte: usize,
    chars: usize,
}

impl<'a> Offsets<'a> {
    pub fn new(text: &'a str) -> Self {
        Offsets {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// Byte offset → code-point offset. An offset past the end counts as
    /// the end; one inside a character as that character's start.
    pub fn chars(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte >= self.byte {
            self.chars += self.text[self.byte..byte].chars().count();
        } else {
            self.chars -= self.text[byte..self.byte].chars().count();
        }
        self.byte = byte;
        self.chars
    }

    /// Code-point offset → byte offset, if it falls inside the text (the
    /// end of the text included).
    pub fn byte(&mut self, chars: usize) -> Option<usize> {
        if chars >= self.chars {
            let rest = &self.text[self.byte..];
            let ahead = rest
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(rest.len()))
                .nth(chars - self.chars)?;
            self.byte += ahead;
        } else {
            let back = self.chars - chars;
            // There are `self.chars` characters before `self.byte`.
            let (at, _) = self.text[..self.byte].char_indices().rev().nth(back - 1)?;
            self.byte = at;
        }
        self.chars = chars;
        Some(self.byte)
    }
}

/// Code-point offsets → byte offsets of `text`, in one pass over the text
/// whatever their order; `None` for an offset past the end.
fn bytes_of(text: &str, chars: &[usize]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    order.sort_unstable_by_key(|&i| chars[i]);
    let mut offsets = Offsets::new(text);
    let mut out = vec![None; chars.len()];
    for i in order {
        out[i] = offsets.byte(chars[i]);
    }
    out
}

/// A document's text as brat reads it. brat's reader opens the `.txt` with
/// universal newlines ("\r\n" and a lone "\r" read as "\n") and counts
/// its offsets in that text, so that is the text exported, and offsets are
/// converted between it and the document's own.
#[derive(Debug)]
struct BratText<'a> {
    text: std::borrow::Cow<'a, str>,
    /// The byte offset, in the document's text, of each "\r" dropped (the
    /// first of a "\r\n"), ascending.
    dropped: Vec<usize>,
}

impl<'a> BratText<'a> {
    fn new(text: &'a str) -> Self {
        if !text.contains('\r') {
            return BratText {
                text: std::borrow::Cow::Borrowed(text),
                dropped: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len());
        let mut dropped = Vec::new();
        let bytes = text.as_bytes();
        let mut from = 0;
        for (at, _) in text.match_indices('\r') {
            out.push_str(&text[from..at]);
            if bytes.get(at + 1) == Some(&b'\n') {
                dropped.push(at);
            } else {
                out.push('\n');
            }
            from = at + 1;
        }
        out.push_str(&text[from..]);
        BratText {
            text: std::borrow::Cow::Owned(out),
            dropped,
        }
    }

    /// The text as it is, offsets unchanged.
    fn unchanged(text: &'a str) -> Self {
        BratText {
            text: std::borrow::Cow::Borrowed(text),
            dropped: Vec::new(),
        }
    }

    /// A byte offset of the document's text → the same place in brat's.
    fn to_brat(&self, byte: usize) -> usize {
        byte - self.dropped.partition_point(|&p| p < byte)
    }

    /// A byte offset of brat's text → the same place in the document's.
    fn to_document(&self, byte: usize) -> usize {
        // The k-th dropped "\r" (from 0) stood just before brat's byte
        // `dropped[k] - k`, its "\n"; an offset there is before the "\r".
        let mut lo = 0;
        let mut hi = self.dropped.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.dropped[mid] - mid < byte {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        byte + lo
    }
}

/// Every mention of the index as spans, per document, with notes attached.
pub fn spans(
    index: &Index,
    mention_notes: &HashMap<(String, usize, usize), String>,
) -> Vec<Vec<Span>> {
    index
        .docs()
        .iter()
        .enumerate()
        .map(|(d, doc)| {
            index
                .doc_mentions(d as u32)
                .iter()
                .map(|m| {
                    let e = index.entity(m.entity);
                    Span {
                        doc: doc.id.clone(),
                        start: m.start as usize,
                        end: m.end as usize,
                        kind: e.kind,
                        entity: Some(e.id.clone()),
                        note: mention_notes
                            .get(&(doc.id.clone(), m.start as usize, m.end as usize))
                            .cloned(),
                        name: Some(e.name.clone()),
                        accepted: m.source == Source::Annotation,
                        rejected: false,
                    }
                })
                .collect()
        })
        .collect()
}

/// The longest stem, in bytes, before a suffix: file names stay well under
/// the usual 255-byte limit.
const STEM_MAX: usize = 150;

/// A file-name stem for a document id: letters, digits, `.`, `-` and `_`.
fn stem(id: &str) -> String {
    let mut s = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_end_matches(".txt")
        .to_string();
    if s.len() > STEM_MAX {
        let mut at = STEM_MAX;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    // Never empty, `.` or `..`.
    if s.chars().all(|c| c == '.') {
        s.insert(0, '_');
    }
    s
}

/// A stem per document id, no two alike (even to a file system that
/// ignores case): a stem taken already gets `_2`, `_3`, … until the name is
/// free.
fn unique_stems<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    // Where to resume counting for a base, so many alike stay linear.
    let mut next: HashMap<String, usize> = HashMap::new();
    ids.map(|id| {
        let base = stem(id);
        let mut s = base.clone();
        while !used.insert(s.to_lowercase()) {
            let n = next.entry(base.clone()).or_insert(1);
            *n += 1;
            s = format!("{base}_{n}");
        }
        s
    })
    .collect()
}

/// A document id for one line of `documents.tsv`: backslash, tab, newline
/// and carriage return are escaped as `\\`, `\t`, `\n`, `\r`, and any other
/// control or bidi character as `\u{HEX}`.
fn escape_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Any other control or bidi character, so that `cat` is safe.
            c if crate::text::safe::is_unsafe(c) => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`escape_id`]. Any other backslash stands for itself.
fn unescape_id(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                // \u{HEX}: the peeked 'u', then "{", the digits and "}".
                let tail: String = chars.clone().skip(1).take(10).collect();
                let parsed = tail
                    .strip_prefix('{')
                    .and_then(|t| t.split_once('}'))
                    .and_then(|(hex, _)| {
                        let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
                        Some((c, hex.len()))
                    });
                let Some((c, n)) = parsed else {
                    out.push('\\');
                    continue;
                };
                out.push(c);
                // The 'u' is taken below; here "{", the digits and "}".
                for _ in 0..n + 2 {
                    chars.next();
                }
            }
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

/// A manifest stem names a file in the brat directory itself: one plain
/// path component, no separator.
fn plain_stem(stem: &str) -> bool {
    !stem.contains(['/', '\\', '\0'])
        && matches!(
            Path::new(stem).components().collect::<Vec<_>>()[..],
            [Component::Normal(_)]
        )
}

/// Writes an export file: 0600, by a new file renamed into place, so a
/// link planted at `path` is replaced, never written through.
fn write_file(path: &Path, text: &str) -> Result<(), ExportError> {
    files::write_private(path, text.as_bytes()).map_err(io(path))
}

/// Like [`write_file`], for a file written a piece at a time by `fill`.
fn write_file_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ExportError> {
    files::write_private_with(path, fill).map_err(io(path))
}

/// Notes on mentions, by document id, then by (start, end).
type NotesByDoc<'a> = HashMap<&'a str, HashMap<(usize, usize), &'a str>>;

fn notes_by_doc(mention_notes: &HashMap<(String, usize, usize), String>) -> NotesByDoc<'_> {
    let mut by: NotesByDoc = HashMap::new();
    for ((doc, start, end), note) in mention_notes {
        by.entry(doc.as_str())
            .or_default()
            .insert((*start, *end), note.as_str());
    }
    by
}

/// What a person decided that the index's mentions do not show, for the
/// formats that can hold it (see [`crate::annotate::Workspace::decided`]).
#[derive(Debug, Clone, Default)]
pub struct Decided {
    /// Notes on mentions, by (document id, start, end) in bytes.
    pub notes: HashMap<(String, usize, usize), String>,
    /// Rejected spans (byte ranges that are no mention), by document id.
    pub rejected_spans: HashMap<String, Vec<(usize, usize)>>,
    /// Rejected suggestions: (text, entity id), the text is never that
    /// entity. Exported on each occurrence of the text.
    pub rejected_texts: Vec<(String, String)>,
    /// The decisions in force, in order ([`Format::Decisions`]).
    pub ops: Vec<crate::annotate::Op>,
    /// Who made each of `ops` ("" when the journal does not say).
    pub by: Vec<String>,
}

/// One rejection in a document: a byte range, and the entity it is not
/// (none for a span that is no mention of anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rejection {
    start: usize,
    end: usize,
    entity: Option<EntityId>,
}

/// Finds a document's rejections: its rejected spans, and each occurrence
/// of a rejected suggestion's text.
struct Rejections<'a> {
    spans: &'a HashMap<String, Vec<(usize, usize)>>,
    /// The rejected texts, each matched as the entity it is not.
    matcher: Option<crate::entity::matcher::Matcher>,
}

impl<'a> Rejections<'a> {
    fn new(index: &Index, decided: &'a Decided) -> Self {
        use crate::entity::matcher::{MatcherBuilder, Target};
        let mut builder = MatcherBuilder::new();
        for (text, id) in &decided.rejected_texts {
            if let Some(e) = index.entity_by_id(id)
                && !text.is_empty()
            {
                builder.add(text, Target::for_alias(text, e, Source::Annotation, 100));
            }
        }
        let matcher = builder.build();
        Rejections {
            spans: &decided.rejected_spans,
            matcher: (!matcher.is_empty()).then_some(matcher),
        }
    }

    /// The rejections in force in a document: a rejected span that a
    /// mention now overlaps, or a rejected suggestion that is a mention of
    /// that entity again, was decided otherwise later.
    fn of(&self, doc: &str, text: &str, mentions: &[Mention]) -> Vec<Rejection> {
        let mut out: Vec<Rejection> = self
            .spans
            .get(doc)
            .into_iter()
            .flatten()
            .filter(|&&(a, z)| a < z && text.get(a..z).is_some())
            .map(|&(start, end)| Rejection {
                start,
                end,
                entity: None,
            })
            .collect();
        if let Some(m) = &self.matcher {
            out.extend(m.find_all(text).into_iter().map(|f| Rejection {
                start: f.start,
                end: f.end,
                entity: Some(f.target.entity),
            }));
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|r| {
            let from = mentions.partition_point(|m| (m.end as usize) <= r.start);
            !mentions[from..]
                .iter()
                .take_while(|m| (m.start as usize) < r.end)
                .any(|m| match r.entity {
                    None => true,
                    Some(e) => m.entity == e && m.range() == (r.start..r.end),
                })
        });
        out
    }
}

/// Writes `index`'s mentions in `format` under `out` (created 0700 when
/// missing), with notes on mentions; returns the files written. See
/// [`export_decided`].
pub fn export(
    index: &Index,
    format: Format,
    out: &Path,
    mention_notes: &HashMap<(String, usize, usize), String>,
) -> Result<Vec<PathBuf>, ExportError> {
    let decided = Decided {
        notes: mention_notes.clone(),
        ..Decided::default()
    };
    export_decided(index, format, out, &decided)
}

/// Writes `index`'s mentions in `format` under `out` (created 0700 when
/// missing), with what a person decided that the mentions do not show
/// (notes, rejections, which spans a person made or accepted) where the
/// format can hold it; returns the files written.
///
/// Every file is written a document at a time, straight from the index:
/// nothing per mention is copied, so an export costs no more memory than
/// the index itself, however many mentions there are.
pub fn export_decided(
    index: &Index,
    format: Format,
    out: &Path,
    decided: &Decided,
) -> Result<Vec<PathBuf>, ExportError> {
    files::private_dir(out).map_err(io(out))?;
    let notes = notes_by_doc(&decided.notes);
    let rejections = Rejections::new(index, decided);
    let no_notes = HashMap::new();
    let notes_of = |id: &str| notes.get(id).unwrap_or(&no_notes);
    let mut written = Vec::new();
    match format {
        Format::Brat => {
            let mut manifest = String::from("# file stem\tdossier document id\n");
            let stems = unique_stems(index.docs().iter().map(|d| d.id.as_str()));
            for (d, (doc, s)) in index.docs().iter().zip(&stems).enumerate() {
                manifest.push_str(&format!("{s}\t{}\n", escape_id(&doc.id)));
                let txt = out.join(format!("{s}.txt"));
                // Read for this document only: an export of a lazily held
                // corpus does not keep every text.
                let text = doc.text.fetch();
                let brat = BratText::new(&text);
                write_file(&txt, &brat.text)?;
                let ann = out.join(format!("{s}.ann"));
                let mentions = index.doc_mentions(d as u32);
                let rejected = rejections.of(&doc.id, &text, mentions);
                write_file_with(&ann, |w| {
                    brat_ann(&brat, mentions, &rejected, index, notes_of(&doc.id), w)
                })?;
                written.push(txt);
                written.push(ann);
            }
            let conf = out.join("annotation.conf");
            let mut c = String::from("[entities]\n");
            for k in Kind::ALL {
                c.push_str(&label(k));
                c.push('\n');
            }
            c.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
            c.push_str(&format!(
                "{ACCEPTED}\tArg:<ENTITY>\n{REJECTED}\tArg:<ENTITY>\n"
            ));
            write_file(&conf, &c)?;
            let man = out.join("documents.tsv");
            write_file(&man, &manifest)?;
            written.push(conf);
            written.push(man);
        }
        Format::Doccano | Format::Spacy => {
            let (name, field) = if format == Format::Doccano {
                ("doccano.jsonl", "label")
            } else {
                ("spacy.jsonl", "entities")
            };
            let path = out.join(name);
            // Who made the decisions in force, each once.
            let mut annotators: Vec<&str> = Vec::new();
            for by in &decided.by {
                if !by.is_empty() && !annotators.contains(&by.as_str()) {
                    annotators.push(by);
                }
            }
            write_file_with(&path, |w| {
                for (d, doc) in index.docs().iter().enumerate() {
                    let line = Line {
                        field,
                        rejections: &rejections,
                        notes: notes_of(&doc.id),
                        annotators: &annotators,
                    };
                    jsonl_line(index, d, &line, w)?;
                    w.write_all(b"\n")?;
                }
                Ok(())
            })?;
            written.push(path);
        }
        Format::Decisions => {
            let path = out.join("decisions.jsonl");
            write_file_with(&path, |w| {
                for (i, op) in decided.ops.iter().enumerate() {
                    // Each decision with who made it, where that is known.
                    let mut line = serde_json::to_value(op).unwrap_or(Value::Null);
                    if let (Value::Object(map), Some(by)) =
                        (&mut line, decided.by.get(i).filter(|b| !b.is_empty()))
                    {
                        map.insert("by".to_string(), Value::String(by.clone()));
                    }
                    writeln!(w, "{}", crate::text::safe::to_json(&line))?;
                }
                Ok(())
            })?;
            written.push(path);
        }
        Format::Conll => {
            // Tags in one file, as CoNLL-2003 and `spacy convert` want them
            // (the tag last); the entity ids in another, line for line.
            for (name, column) in [
                ("conll.txt", ConllColumn::Tag),
                ("conll.ids.txt", ConllColumn::Entity),
            ] {
                let path = out.join(name);
                write_file_with(&path, |w| {
                    for (d, doc) in index.docs().iter().enumerate() {
                        match column {
                            ConllColumn::Tag => writeln!(w, "{DOCSTART}\n")?,
                            ConllColumn::Entity => {
                                writeln!(w, "-DOCSTART-\t{}\n", escape_id(&doc.id))?
                            }
                        }
                        let text = doc.text.fetch();
                        conll_doc(&text, index.doc_mentions(d as u32), index, column, w)?;
                    }
                    Ok(())
                })?;
                written.push(path);
            }
        }
    }
    Ok(written)
}

/// What every doccano or spaCy line is written with.
struct Line<'a> {
    field: &'a str,
    rejections: &'a Rejections<'a>,
    notes: &'a HashMap<(usize, usize), &'a str>,
    /// Who made the decisions in force (`"annotators"` in the metadata).
    annotators: &'a [&'a str],
}

/// One doccano or spaCy line: `{"doc", "dossier", "id", FIELD: [[start,
/// end, LABEL], …], "text"}`, keys in alphabetical order, with code-point
/// offsets. `"dossier"` is metadata (doccano keeps a line's other fields as
/// its metadata; spaCy reads only "text" and "entities"):
///
/// - `"ids"`: `[[start, end, entity id, entity name], …]` for each span;
/// - `"accepted"`: `[[start, end], …]`, the spans a person made or accepted;
/// - `"notes"`: `[[start, end, note], …]`;
/// - `"rejected"`: `[[start, end, LABEL, entity id or null], …]`, spans that
///   are no mention of that entity (of anything, with null): never in FIELD;
/// - `"annotators"`: who made the decisions in force (when any did).
fn jsonl_line(index: &Index, d: usize, line: &Line, w: &mut dyn Write) -> std::io::Result<()> {
    let Line {
        field,
        rejections,
        notes,
        annotators,
    } = *line;
    use crate::text::safe::to_json;
    use serde_json::json;
    let doc = index.doc(d as u32);
    let text = doc.text.fetch();
    let mut offsets = Offsets::new(&text);
    let mentions = index.doc_mentions(d as u32);
    let mut labels = Vec::with_capacity(mentions.len());
    let mut ids = Vec::with_capacity(mentions.len());
    let mut accepted = Vec::new();
    let mut noted = Vec::new();
    for m in mentions {
        let e = index.entity(m.entity);
        let (start, end) = (
            offsets.chars(m.start as usize),
            offsets.chars(m.end as usize),
        );
        labels.push(json!([start, end, label(e.kind)]));
        ids.push(json!([start, end, e.id, e.name]));
        if m.source == Source::Annotation {
            accepted.push(json!([start, end]));
        }
        if let Some(note) = notes.get(&(m.start as usize, m.end as usize)) {
            noted.push(json!([start, end, note]));
        }
    }
    let rejected: Vec<Value> = rejections
        .of(&doc.id, &text, mentions)
        .into_iter()
        .map(|r| {
            let e = r.entity.map(|e| index.entity(e));
            json!([
                offsets.chars(r.start),
                offsets.chars(r.end),
                label(e.map_or(Kind::Other, |e| e.kind)),
                e.map(|e| e.id.as_str())
            ])
        })
        .collect();
    let mut dossier =
        json!({"accepted": accepted, "ids": ids, "notes": noted, "rejected": rejected});
    if !annotators.is_empty()
        && let Value::Object(map) = &mut dossier
    {
        map.insert("annotators".to_string(), json!(annotators));
    }
    write!(
        w,
        "{{\"doc\":{},\"dossier\":{},",
        to_json(&doc.id),
        to_json(&dossier)
    )?;
    // Before "id" or after it, so that the keys stay in order.
    if field < "id" {
        write!(w, "\"{field}\":{},\"id\":{},", to_json(&labels), d + 1)?;
    } else {
        write!(w, "\"id\":{},\"{field}\":{},", d + 1, to_json(&labels))?;
    }
    write!(w, "\"text\":{}}}", to_json(&*text))
}

/// The brat attribute of a span a person made or accepted.
pub const ACCEPTED: &str = "Accepted";
/// The brat attribute of a span a person rejected: its `T` line says where,
/// its `N` line (if any) which entity it is not.
pub const REJECTED: &str = "Rejected";

fn brat_ann(
    brat: &BratText,
    mentions: &[Mention],
    rejected: &[Rejection],
    index: &Index,
    notes: &HashMap<(usize, usize), &str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut n_note = 0;
    let mut n_ref = 0;
    let mut n_attr = 0;
    let text: &str = &brat.text;
    let mut offsets = Offsets::new(text);
    let spans = mentions
        .iter()
        .map(|m| {
            (
                m.start,
                m.end,
                Some(m.entity),
                m.source == Source::Annotation,
                false,
            )
        })
        .chain(
            rejected
                .iter()
                .map(|r| (r.start as u32, r.end as u32, r.entity, false, true)),
        );
    for (i, (start, end, entity, accepted, is_rejected)) in spans.enumerate() {
        let t = i + 1;
        let note = (!is_rejected)
            .then(|| notes.get(&(start as usize, end as usize)))
            .flatten();
        let (start, end) = (brat.to_brat(start as usize), brat.to_brat(end as usize));
        let entity = entity.map(|e| index.entity(e));
        // A span that crosses a line break becomes fragments, as brat wants.
        let mut frags = Vec::new();
        let mut at = start;
        for piece in text[start..end].split('\n') {
            if !piece.is_empty() {
                frags.push(format!(
                    "{} {}",
                    offsets.chars(at),
                    offsets.chars(at + piece.len())
                ));
            }
            at += piece.len() + 1;
        }
        let quoted = text[start..end].replace('\n', " ");
        let kind = entity.map_or(Kind::Other, |e| e.kind);
        writeln!(out, "T{t}\t{} {}\t{quoted}", label(kind), frags.join(";"))?;
        if let Some(entity) = entity {
            let (id, name) = (&entity.id, entity.name.replace(['\n', '\t'], " "));
            n_ref += 1;
            writeln!(out, "N{n_ref}\tReference T{t} dossier:{id}\t{name}")?;
            if let Some(wd) = entity.external.get("wikidata") {
                n_ref += 1;
                writeln!(out, "N{n_ref}\tReference T{t} Wikidata:{wd}\t{name}")?;
            }
        }
        if let Some(note) = note {
            n_note += 1;
            writeln!(
                out,
                "#{n_note}\tAnnotatorNotes T{t}\t{}",
                note.replace(['\n', '\t'], " ")
            )?;
        }
        for (on, attr) in [(accepted, ACCEPTED), (is_rejected, REJECTED)] {
            if on {
                n_attr += 1;
                writeln!(out, "A{n_attr}\t{attr} T{t}")?;
            }
        }
    }
    Ok(())
}

/// Python's `str.split()` separates columns at these, so a CoNLL token
/// holds none of them: Unicode white space, and the separators
/// U+001C–U+001F that Python counts as white space too.
fn splits_columns(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// One CoNLL token: a byte range of the text, and whether a sentence (or a
/// line) ends before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    start: usize,
    end: usize,
    after_break: bool,
}

/// The tokens of a text for CoNLL: words (UAX #29), cut again at every
/// mention's start and end, so that every mention starts and ends on a
/// token boundary ("Pakistan" "’s", "Afghanistan" "." "State"), and at any
/// white space; white space is no token. Sentences (UAX #29) and lines end
/// before the token that follows them.
fn conll_tokens(text: &str, mentions: &[Mention]) -> Vec<Token> {
    let mut cuts: Vec<usize> = mentions
        .iter()
        .flat_map(|m| [m.start as usize, m.end as usize])
        .filter(|&b| text.is_char_boundary(b))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let sentences: Vec<usize> = text
        .split_sentence_bound_indices()
        .map(|(at, _)| at)
        .collect();
    let (mut ci, mut si) = (0, 0);
    let mut after_break = false;
    let mut out = Vec::new();
    for (at, word) in text.split_word_bound_indices() {
        while si < sentences.len() && sentences[si] <= at {
            after_break |= sentences[si] > 0;
            si += 1;
        }
        if word.contains(['\n', '\r']) {
            after_break = true;
            continue;
        }
        let end = at + word.len();
        while ci < cuts.len() && cuts[ci] <= at {
            ci += 1;
        }
        let mut pieces = Vec::new();
        let mut from = at;
        while ci < cuts.len() && cuts[ci] < end {
            pieces.push((from, cuts[ci]));
            from = cuts[ci];
            ci += 1;
        }
        pieces.push((from, end));
        for (a, z) in pieces {
            let piece = &text[a..z];
            let mut start = None;
            for (i, c) in piece
                .char_indices()
                .chain(std::iter::once((piece.len(), ' ')))
            {
                match (start, splits_columns(c)) {
                    (None, false) => start = Some(i),
                    (Some(s), true) => {
                        out.push(Token {
                            start: a + s,
                            end: a + i,
                            after_break,
                        });
                        after_break = false;
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

/// What the second column of a CoNLL file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ConllColumn {
    /// The IOB2 tag (`conll.txt`).
    Tag,
    /// The entity id, `_` outside mentions (`conll.ids.txt`).
    Entity,
}

/// One document as CoNLL lines: `token TAB tag` (or `token TAB entity-id`),
/// a blank line between sentences. A sentence never ends inside a mention,
/// so the IOB2 tags are well formed: `I-` only after `B-` or `I-` of the
/// same mention.
fn conll_doc(
    text: &str,
    mentions: &[Mention],
    index: &Index,
    column: ConllColumn,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut mi = 0;
    // The mention of the token before, if any.
    let mut last: Option<usize> = None;
    let mut any = false;
    for t in conll_tokens(text, mentions) {
        while mi < mentions.len() && mentions[mi].end as usize <= t.start {
            mi += 1;
        }
        let inside = mentions
            .get(mi)
            .filter(|m| m.start as usize <= t.start && t.end <= m.end as usize)
            .map(|_| mi);
        let continues = inside.is_some() && inside == last;
        if t.after_break && any && !continues {
            out.write_all(b"\n")?;
        }
        let tok = &text[t.start..t.end];
        let second = match (inside, column) {
            (Some(i), ConllColumn::Tag) => {
                let e = index.entity(mentions[i].entity);
                format!("{}-{}", if continues { "I" } else { "B" }, label(e.kind))
            }
            (Some(i), ConllColumn::Entity) => index.entity(mentions[i].entity).id.clone(),
            (None, ConllColumn::Tag) => "O".to_string(),
            (None, ConllColumn::Entity) => "_".to_string(),
        };
        writeln!(out, "{tok}\t{second}")?;
        last = inside;
        any = true;
    }
    if any {
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Reads spans back from an export. `path` is the export directory (brat)
/// or the JSONL file (doccano, spaCy). Offsets are turned back into bytes of
/// the corpus's texts. Anything that does not fit the corpus (an unknown
/// document, a text that differs from the document's, an offset out of
/// range, a quote that is not the text at its offsets) is an error naming
/// the file and line, and nothing is imported.
pub fn import(format: Format, path: &Path, corpus: &Corpus) -> Result<Vec<Span>, ExportError> {
    let texts: HashMap<&str, &str> = corpus
        .docs
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str()))
        .collect();
    match format {
        Format::Brat => import_brat(path, &texts),
        Format::Doccano => import_jsonl(path, corpus, &texts, "label"),
        Format::Spacy => import_jsonl(path, corpus, &texts, "entities"),
        Format::Conll | Format::Decisions => Err(ExportError::Unsupported(format)),
    }
}

/// Reads decisions back: `dossier export --format decisions`, the lines
/// the reader prints when it quits with decisions it could not save (their
/// heading line included), `dossier annotations --json`, or a journal's
/// decision lines. Undo and redo lines are refused: they are not decisions
/// (export the decisions in force instead). Blank lines are skipped.
/// Each decision comes with who made it, when its line says (`"by"`).
/// The error maker for line `n` (1-based) of `path`.
fn at_line(path: &Path, n: usize) -> impl Fn(String) -> ExportError + '_ {
    move |reason| ExportError::Parse {
        path: path.to_path_buf(),
        line: n,
        reason,
    }
}

/// Line `n` of the JSON Lines file `path`: a JSON object, or an error that
/// names the line.
fn object_line(
    path: &Path,
    n: usize,
    line: &str,
) -> Result<serde_json::Map<String, Value>, ExportError> {
    match serde_json::from_str(line) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(_) => Err(at_line(path, n)("expected a JSON object".into())),
        Err(e) => Err(at_line(path, n)(format!("not JSON: {e}"))),
    }
}

pub fn import_decisions(
    path: &Path,
) -> Result<Vec<(crate::annotate::Op, Option<String>)>, ExportError> {
    let content = read_text(path)?;
    let mut out = Vec::new();
    for (i, line) in content.lines().enumerate() {
        let line = line.trim();
        // The heading the reader prints before unsaved decisions.
        if line.is_empty() || line.starts_with("dossier: ") {
            continue;
        }
        let bad = at_line(path, i + 1);
        let obj = object_line(path, i + 1, line)?;
        if obj.contains_key("dossier_journal") {
            continue;
        }
        if obj.contains_key("undo") || obj.contains_key("redo") {
            return Err(bad(
                "an undo or redo line is no decision (export the decisions in force with `dossier export --format decisions`)".into(),
            ));
        }
        // `dossier annotations --json` nests the decision under "op".
        let op = match obj.get("op") {
            Some(inner @ Value::Object(_)) => inner.clone(),
            _ => Value::Object(obj.clone()),
        };
        let by = obj
            .get("by")
            .and_then(Value::as_str)
            .filter(|b| !b.is_empty())
            .map(str::to_string);
        let op: crate::annotate::Op =
            serde_json::from_value(op).map_err(|e| bad(format!("not a decision: {e}")))?;
        out.push((op, by));
    }
    Ok(out)
}

fn import_brat(dir: &Path, texts: &HashMap<&str, &str>) -> Result<Vec<Span>, ExportError> {
    let manifest_path = dir.join("documents.tsv");
    let manifest = read_text(&manifest_path)?;
    let mut out = Vec::new();
    let mut stems: HashMap<&str, usize> = HashMap::new();
    let mut docs: HashMap<String, usize> = HashMap::new();
    for (ln, line) in manifest.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let bad = at_line(&manifest_path, ln + 1);
        let Some((stem, escaped)) = line.split_once('\t') else {
            return Err(bad("expected stem TAB document id".into()));
        };
        if !plain_stem(stem) {
            return Err(bad(format!(
                "the stem {} is not a plain file name in the brat directory",
                short(stem)
            )));
        }
        let doc = unescape_id(escaped);
        let Some(&original) = texts.get(doc.as_str()) else {
            return Err(bad(format!("no document {} in the corpus", short(&doc))));
        };
        if let Some(first) = stems.insert(stem, ln + 1) {
            return Err(bad(format!(
                "the stem {} is listed twice (first on line {first})",
                short(stem)
            )));
        }
        if let Some(first) = docs.insert(doc.clone(), ln + 1) {
            return Err(bad(format!(
                "the document {} is listed twice (first on line {first})",
                short(&doc)
            )));
        }
        // The offsets count in the .txt: it must be the corpus's text, as
        // brat reads it.
        let mut brat = BratText::new(original);
        let txt_path = dir.join(format!("{stem}.txt"));
        match files::read_regular_string(&txt_path, files::DATA_CAP) {
            // An export from before brat's own newlines were followed holds
            // the document's text as it is, and its offsets count in that.
            Ok(txt) if txt == original => brat = BratText::unchanged(original),
            Ok(txt) if txt != *brat.text => {
                return Err(bad(format!(
                    "{} differs from the document {} in the corpus",
                    short(&format!("{stem}.txt")),
                    short(&doc)
                )));
            }
            Ok(_) => {}
            // Without a .txt, the quotes of the .ann are checked all the same.
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(ExportError::Read {
                    path: txt_path,
                    source,
                });
            }
        }
        let ann_path = dir.join(format!("{stem}.ann"));
        let ann = read_text(&ann_path)?;
        out.extend(
            parse_ann(&ann_path, &ann, &doc, &brat.text)?
                .into_iter()
                .map(|mut s| {
                    s.start = brat.to_document(s.start);
                    s.end = brat.to_document(s.end);
                    s
                }),
        );
    }
    out.sort();
    Ok(out)
}

/// A `T` line of a `.ann` file, its offsets still in code points.
struct TextBound<'a> {
    line: usize,
    kind: Kind,
    fragments: Vec<(usize, usize)>,
    quote: &'a str,
}

/// The spans of one `.ann` file, for the document `doc` whose text is `text`.
fn parse_ann(path: &Path, ann: &str, doc: &str, text: &str) -> Result<Vec<Span>, ExportError> {
    let bad = |line: usize, reason: String| ExportError::Parse {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut bounds: Vec<TextBound> = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    // (T id, entity id) and (T id, note), applied once every T is known.
    let mut refs: Vec<(&str, &str, Option<&str>)> = Vec::new();
    let mut notes: Vec<(&str, &str)> = Vec::new();
    let mut attributes: Vec<(&str, &str)> = Vec::new();
    for (i, l) in ann.lines().enumerate() {
        let line = i + 1;
        let cols: Vec<&str> = l.splitn(3, '\t').collect();
        match l.chars().next() {
            Some('T') => {
                let id = cols[0];
                let spec = cols
                    .get(1)
                    .ok_or_else(|| bad(line, "a T line needs a label and offsets".into()))?;
                let quote = cols
                    .get(2)
                    .ok_or_else(|| bad(line, "a T line needs the quoted text".into()))?;
                let (lab, offsets) = spec
                    .split_once(' ')
                    .ok_or_else(|| bad(line, "a T line needs offsets".into()))?;
                let kind = kind_of_label(lab)
                    .ok_or_else(|| bad(line, format!("unknown label {}", short(lab))))?;
                let mut fragments = Vec::new();
                for frag in offsets.split(';') {
                    let nums: Vec<usize> = frag
                        .split(' ')
                        .map(|n| n.parse::<usize>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| bad(line, format!("bad offsets {}", short(offsets))))?;
                    let [a, b] = nums[..] else {
                        return Err(bad(line, format!("bad offsets {}", short(offsets))));
                    };
                    if a >= b {
                        return Err(bad(line, format!("the span {a}–{b} is empty or reversed")));
                    }
                    if let Some(&(_, prev)) = fragments.last()
                        && prev > a
                    {
                        return Err(bad(line, "fragments overlap or are out of order".into()));
                    }
                    fragments.push((a, b));
                }
                if let Some(first) = by_id.insert(id, bounds.len()) {
                    return Err(bad(
                        line,
                        format!(
                            "{} is defined twice (first on line {})",
                            short(id),
                            bounds[first].line
                        ),
                    ));
                }
                bounds.push(TextBound {
                    line,
                    kind,
                    fragments,
                    quote,
                });
            }
            Some('N') => {
                let parts: Vec<&str> = cols.get(1).unwrap_or(&"").split(' ').collect();
                if let [_, t, reference] = parts.as_slice()
                    && let Some(id) = reference.strip_prefix("dossier:")
                {
                    refs.push((t, id, cols.get(2).copied()));
                }
            }
            Some('A') => {
                // A binary attribute: "A1 TAB Name T3".
                if let Some((name, t)) = cols.get(1).and_then(|c| c.split_once(' ')) {
                    attributes.push((name, t));
                }
            }
            Some('#') => {
                let target = cols.get(1).and_then(|s| s.split(' ').nth(1));
                if let (Some(t), Some(note)) = (target, cols.get(2)) {
                    notes.push((t, note));
                }
            }
            _ => {}
        }
    }

    // Every offset of the file, converted in one pass over the text.
    let chars: Vec<usize> = bounds
        .iter()
        .flat_map(|b| b.fragments.iter().flat_map(|&(a, b)| [a, b]))
        .collect();
    let bytes = bytes_of(text, &chars);
    let mut k = 0;
    let mut spans = Vec::with_capacity(bounds.len());
    for b in &bounds {
        let mut frags = Vec::with_capacity(b.fragments.len());
        for _ in &b.fragments {
            let (Some(start), Some(end)) = (bytes[k], bytes[k + 1]) else {
                return Err(bad(
                    b.line,
                    format!(
                        "{}–{} is past the end of the text ({} characters)",
                        chars[k],
                        chars[k + 1],
                        text.chars().count()
                    ),
                ));
            };
            frags.push((start, end));
            k += 2;
        }
        // Fragments of one span are split at line breaks (ours, and brat's
        // own): only white space may lie between them.
        for w in frags.windows(2) {
            if !text[w[0].1..w[1].0].chars().all(char::is_whitespace) {
                return Err(bad(
                    b.line,
                    "a discontinuous span (text between its fragments) cannot be imported".into(),
                ));
            }
        }
        let (start, end) = (frags[0].0, frags[frags.len() - 1].1);
        // Our export writes line breaks as spaces; brat joins fragments with one.
        let quote_ok = b.quote == text[start..end].replace('\n', " ")
            || (frags.len() > 1
                && b.quote
                    == frags
                        .iter()
                        .map(|&(a, z)| &text[a..z])
                        .collect::<Vec<_>>()
                        .join(" "));
        if !quote_ok {
            return Err(bad(
                b.line,
                format!(
                    "the quoted text {} is not the document's text at those offsets ({})",
                    short(b.quote),
                    short(&text[start..end])
                ),
            ));
        }
        spans.push(Span {
            doc: doc.to_string(),
            start,
            end,
            kind: b.kind,
            entity: None,
            note: None,
            name: None,
            accepted: false,
            rejected: false,
        });
    }
    for (t, id, name) in refs {
        if let Some(&i) = by_id.get(t) {
            spans[i].entity = Some(id.to_string());
            spans[i].name = name.map(str::to_string);
        }
    }
    for (name, t) in attributes {
        if let Some(&i) = by_id.get(t) {
            match name {
                ACCEPTED => spans[i].accepted = true,
                REJECTED => spans[i].rejected = true,
                _ => {}
            }
        }
    }
    for (t, note) in notes {
        if let Some(&i) = by_id.get(t) {
            spans[i].note = Some(note.to_string());
        }
    }
    Ok(spans)
}

/// A field that must be a string when present.
fn opt_str<'v>(
    v: &'v serde_json::Map<String, Value>,
    name: &str,
) -> Result<Option<&'v str>, String> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("\"{name}\" must be a string")),
    }
}

/// The `"dossier"` metadata of a doccano or spaCy line (see
/// [`jsonl_line`]), its offsets still in code points.
#[derive(Debug, Default)]
struct Metadata {
    ids: HashMap<(usize, usize), (String, String)>,
    accepted: HashSet<(usize, usize)>,
    notes: HashMap<(usize, usize), String>,
    rejected: Vec<(usize, usize, Kind, Option<String>)>,
}

impl Metadata {
    fn parse(v: Option<&Value>) -> Result<Metadata, String> {
        let mut meta = Metadata::default();
        let obj = match v {
            None | Some(Value::Null) => return Ok(meta),
            Some(Value::Object(o)) => o,
            Some(_) => return Err("expected an object".into()),
        };
        let list = |name: &str| -> Result<&[Value], String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(&[]),
                Some(Value::Array(a)) => Ok(a),
                Some(_) => Err(format!("\"{name}\" must be a list")),
            }
        };
        let range = |name: &str, n: usize, item: &Value| -> Result<(usize, usize), String> {
            match (
                item.get(0).and_then(Value::as_u64),
                item.get(1).and_then(Value::as_u64),
            ) {
                (Some(s), Some(e)) if s < e => Ok((s as usize, e as usize)),
                _ => Err(format!(
                    "\"{name}\" item {n}: expected [start, end, …] with start before end"
                )),
            }
        };
        let string = |name: &str, n: usize, item: &Value, i: usize| -> Result<String, String> {
            item.get(i)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("\"{name}\" item {n}: item {} must be a string", i + 1))
        };
        for (n, item) in list("ids")?.iter().enumerate() {
            let r = range("ids", n + 1, item)?;
            let id = string("ids", n + 1, item, 2)?;
            let name = string("ids", n + 1, item, 3)?;
            meta.ids.insert(r, (id, name));
        }
        for (n, item) in list("accepted")?.iter().enumerate() {
            meta.accepted.insert(range("accepted", n + 1, item)?);
        }
        for (n, item) in list("notes")?.iter().enumerate() {
            let r = range("notes", n + 1, item)?;
            meta.notes.insert(r, string("notes", n + 1, item, 2)?);
        }
        for (n, item) in list("rejected")?.iter().enumerate() {
            let (s, e) = range("rejected", n + 1, item)?;
            let lab = string("rejected", n + 1, item, 2)?;
            let kind = kind_of_label(&lab).ok_or_else(|| {
                format!("\"rejected\" item {}: unknown label {}", n + 1, short(&lab))
            })?;
            let entity = match item.get(3) {
                None | Some(Value::Null) => None,
                Some(Value::String(id)) => Some(id.clone()),
                Some(_) => {
                    return Err(format!(
                        "\"rejected\" item {}: the entity must be a string or null",
                        n + 1
                    ));
                }
            };
            meta.rejected.push((s, e, kind, entity));
        }
        Ok(meta)
    }
}

fn import_jsonl(
    path: &Path,
    corpus: &Corpus,
    texts: &HashMap<&str, &str>,
    field: &str,
) -> Result<Vec<Span>, ExportError> {
    let content = read_text(path)?;
    // Lines without a known "doc" find their document by its text.
    let mut by_text: HashMap<&str, &str> = HashMap::new();
    for d in &corpus.docs {
        by_text.entry(d.text.as_str()).or_insert(d.id.as_str());
    }
    let mut out = Vec::new();
    for (i, line) in content.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = at_line(path, i + 1);
        let obj = &object_line(path, i + 1, line)?;
        let text = opt_str(obj, "text").map_err(&bad)?;
        let named = opt_str(obj, "doc").map_err(&bad)?;
        let (doc, doc_text) = match (named, text) {
            (Some(d), _) if texts.contains_key(d) => {
                let doc_text = texts[d];
                // Offsets count in the line's text: it must be the document's.
                if text.is_some_and(|t| t != doc_text) {
                    return Err(bad(format!(
                        "\"text\" differs from the document {} in the corpus",
                        short(d)
                    )));
                }
                (d, doc_text)
            }
            (_, Some(t)) => match by_text.get(t) {
                Some(&d) => (d, t),
                None => {
                    return Err(bad(match named {
                        Some(d) => format!(
                            "no document {} in the corpus, and none has this text",
                            short(d)
                        ),
                        None => "no document in the corpus has this text".into(),
                    }));
                }
            },
            (Some(d), None) => {
                return Err(bad(format!("no document {} in the corpus", short(d))));
            }
            (None, None) => return Err(bad("a line needs \"doc\" or \"text\"".into())),
        };
        let labels: &[Value] = match obj.get(field) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(a)) => a,
            Some(_) => return Err(bad(format!("\"{field}\" must be a list of spans"))),
        };
        let mut parsed: Vec<(usize, usize, Kind)> = Vec::with_capacity(labels.len());
        for (j, l) in labels.iter().enumerate() {
            let n = j + 1;
            let (s, e, lab) = match (
                l.get(0).and_then(Value::as_u64),
                l.get(1).and_then(Value::as_u64),
                l.get(2).and_then(Value::as_str),
            ) {
                (Some(s), Some(e), Some(lab)) if l.as_array().is_some_and(|a| a.len() == 3) => {
                    (s as usize, e as usize, lab)
                }
                _ => {
                    return Err(bad(format!("span {n}: expected [start, end, \"LABEL\"]")));
                }
            };
            let kind = kind_of_label(lab)
                .ok_or_else(|| bad(format!("span {n}: unknown label {}", short(lab))))?;
            if s >= e {
                return Err(bad(format!("span {n}: {s}–{e} is empty or reversed")));
            }
            parsed.push((s, e, kind));
        }
        let meta =
            Metadata::parse(obj.get("dossier")).map_err(|e| bad(format!("\"dossier\": {e}")))?;
        let labelled = parsed.len();
        parsed.extend(meta.rejected.iter().map(|r| (r.0, r.1, r.2)));
        let chars: Vec<usize> = parsed.iter().flat_map(|&(s, e, _)| [s, e]).collect();
        let bytes = bytes_of(doc_text, &chars);
        for (j, &(s, e, kind)) in parsed.iter().enumerate() {
            let (Some(start), Some(end)) = (bytes[2 * j], bytes[2 * j + 1]) else {
                let which = if j < labelled {
                    format!("span {}", j + 1)
                } else {
                    format!("rejected span {}", j - labelled + 1)
                };
                return Err(bad(format!(
                    "{which}: {s}–{e} is past the end of the text ({} characters)",
                    doc_text.chars().count()
                )));
            };
            let (entity, name, rejected) = if j < labelled {
                match meta.ids.get(&(s, e)) {
                    Some((id, name)) => (Some(id.clone()), Some(name.clone()), false),
                    None => (None, None, false),
                }
            } else {
                (meta.rejected[j - labelled].3.clone(), None, true)
            };
            out.push(Span {
                doc: doc.to_string(),
                start,
                end,
                kind,
                entity,
                note: (!rejected)
                    .then(|| meta.notes.get(&(s, e)).cloned())
                    .flatten(),
                name,
                accepted: !rejected && meta.accepted.contains(&(s, e)),
                rejected,
            });
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn manifest_ids_escape_and_come_back(
            id in "[a\\\\u{}\t\n\r\u{1b}\u{9b}\u{202e}é]{0,12}"
        ) {
            let e = escape_id(&id);
            proptest::prop_assert!(!e.chars().any(crate::text::safe::is_unsafe), "{:?}", e);
            proptest::prop_assert_eq!(unescape_id(&e), id);
        }
    }
}
