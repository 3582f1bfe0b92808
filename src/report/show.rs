//! One document printed with its entities marked: coloured by kind for a
//! terminal or a pager, as inline markup (`[TTP]{group:tehrik-i-taliban-pakistan}`)
//! for grep and diff, or as the text alone.

use crate::entity::{DocId, Kind};
use crate::index::Index;
use crate::text::{sanitize, sanitize_lines};
use crate::tui::theme::{self, Theme};
use std::io::{self, Write};
use std::ops::Range;

/// How mentions are marked in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Markup {
    /// Not at all (colour, if any, still marks them).
    #[default]
    None,
    /// `[text]{kind:entity-id}` around each mention. Brackets and braces
    /// in the text itself are left as they are.
    Brackets,
}

/// The escape sequences that colour a printed document, taken from a theme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Palette {
    /// Each kind's style, in [`Kind::ALL`] order; then with the
    /// suggestion patch over it.
    kinds: [String; 6],
    suggested: [String; 6],
    boilerplate: String,
    title: String,
    muted: String,
}

impl Palette {
    /// The styles of `theme` (loaded at the terminal's depth) as SGR.
    pub fn from_theme(theme: &Theme) -> Palette {
        let of = |suggestion: bool| Kind::ALL.map(|k| theme::sgr(theme.mention(k, suggestion)));
        Palette {
            kinds: of(false),
            suggested: of(true),
            boilerplate: theme::sgr(theme.boilerplate),
            title: theme::sgr(theme.title),
            muted: theme::sgr(theme.muted),
        }
    }

    /// The style of a kind, as SGR (empty for none).
    pub fn style_of(&self, kind: Kind) -> &str {
        self.kind(kind, false)
    }

    fn kind(&self, kind: Kind, suggestion: bool) -> &str {
        let i = Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
        if suggestion {
            &self.suggested[i]
        } else {
            &self.kinds[i]
        }
    }
}

/// What [`write_document`] prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct ShowOptions<'a> {
    pub markup: Markup,
    /// Colour, or none.
    pub palette: Option<&'a Palette>,
    /// A header before the text: the title, then the id, date, address
    /// and number of mentions.
    pub header: bool,
}

/// Writes `s` (sanitised) in `style`: the style is ended before each line
/// break and taken up again after it, so that every line stands alone in
/// a pager.
fn styled(out: &mut dyn Write, s: &str, style: &str) -> io::Result<()> {
    let s = s.replace("\r\n", "\n");
    let s = sanitize_lines(&s);
    if style.is_empty() {
        return out.write_all(s.as_bytes());
    }
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n")?;
        }
        if !line.is_empty() {
            write!(out, "{style}{line}{}", theme::SGR_RESET)?;
        }
    }
    Ok(())
}

/// Writes `range` of the text, boilerplate dimmed when there is colour.
fn plain_run(
    out: &mut dyn Write,
    text: &str,
    range: Range<usize>,
    boilerplate: &[Range<usize>],
    palette: Option<&Palette>,
) -> io::Result<()> {
    let Some(p) = palette.filter(|p| !p.boilerplate.is_empty()) else {
        return styled(out, &text[range], "");
    };
    let mut at = range.start;
    // Boilerplate ranges are sorted and disjoint: those that overlap the
    // run, in order.
    let first = boilerplate.partition_point(|b| b.end <= range.start);
    for b in &boilerplate[first..] {
        if b.start >= range.end {
            break;
        }
        let (s, e) = (b.start.max(at), b.end.min(range.end));
        if s > at {
            styled(out, &text[at..s], "")?;
        }
        styled(out, &text[s..e], &p.boilerplate)?;
        at = e;
    }
    if at < range.end {
        styled(out, &text[at..range.end], "")?;
    }
    Ok(())
}

/// Prints document `doc` of `index` (its text read once, not kept).
pub fn write_document(
    index: &Index,
    doc: DocId,
    opts: &ShowOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let d = index.doc(doc);
    let text = d.text.fetch();
    let text: &str = &text;
    let mentions = index.doc_mentions(doc);
    if opts.header {
        let (title, muted) = opts
            .palette
            .map_or(("", ""), |p| (p.title.as_str(), p.muted.as_str()));
        styled(out, &sanitize(&d.title), title)?;
        out.write_all(b"\n")?;
        let mut about = vec![sanitize(&d.id).into_owned()];
        about.extend(
            d.date
                .as_ref()
                .and_then(|d| d.published())
                .map(|s| sanitize(s).into_owned()),
        );
        about.extend(d.url.as_deref().map(|s| sanitize(s).into_owned()));
        about.push(crate::text::plural(mentions.len(), "mention", "mentions"));
        styled(out, &about.join(" · "), muted)?;
        out.write_all(b"\n\n")?;
    }
    let mut at = 0;
    for m in mentions {
        let r = m.range();
        // Mentions are sorted and do not overlap; one that would is left
        // unmarked rather than printed twice.
        if r.start < at || r.end > text.len() || !text.is_char_boundary(r.start) {
            continue;
        }
        if !text.is_char_boundary(r.end) {
            continue;
        }
        plain_run(out, text, at..r.start, &d.boilerplate, opts.palette)?;
        let ent = index.entity(m.entity);
        let style = opts
            .palette
            .map_or("", |p| p.kind(ent.kind, m.source.is_suggestion()));
        match opts.markup {
            Markup::None => styled(out, &text[r.clone()], style)?,
            Markup::Brackets => {
                out.write_all(b"[")?;
                styled(out, &text[r.clone()], style)?;
                write!(out, "]{{{}:{}}}", ent.kind.as_str(), sanitize(&ent.id))?;
            }
        }
        at = r.end;
    }
    plain_run(out, text, at..text.len(), &d.boilerplate, opts.palette)?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{Corpus, Document};
    use crate::entity::{Analysis, Entity, Mention, Source};
    use crate::tui::theme::ColorDepth;

    fn index(text: &str, boilerplate: Vec<Range<usize>>) -> Index {
        let corpus = Corpus {
            docs: vec![Document {
                id: "a.txt".into(),
                path: "a.txt".into(),
                title: "Headline".into(),
                text: text.to_string().into(),
                boilerplate,
                url: None,
                date: Some(crate::corpus::date::DocDate::new(
                    "2024-05-01".into(),
                    crate::corpus::date::DateSource::Metadata,
                )),
            }],
            ..Corpus::default()
        };
        let entity = |id: &str, kind| Entity {
            id: id.into(),
            name: id.into(),
            kind,
            aliases: Vec::new(),
            description: None,
            external: Default::default(),
            facts: Default::default(),
        };
        let mention = |start, end, entity, source| Mention {
            doc: 0,
            start,
            end,
            entity,
            source,
            confidence: 100,
        };
        Index::new(
            corpus,
            Analysis {
                entities: vec![entity("ttp", Kind::Group), entity("swat", Kind::Place)],
                mentions: vec![
                    mention(0, 3, 0, Source::Kb),
                    mention(12, 16, 1, Source::Variant),
                ],
            },
        )
    }

    fn show(ix: &Index, opts: &ShowOptions) -> String {
        let mut out = Vec::new();
        write_document(ix, 0, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn brackets_mark_every_mention_and_plain_is_the_text() {
        let ix = index("TTP fled to Swat.\x1b]0;x\x07\n", Vec::new());
        let plain = show(&ix, &ShowOptions::default());
        assert_eq!(plain, "TTP fled to Swat.\u{241b}]0;x\u{2407}\n");
        let marked = show(
            &ix,
            &ShowOptions {
                markup: Markup::Brackets,
                header: true,
                ..Default::default()
            },
        );
        assert_eq!(
            marked,
            "Headline\na.txt · 2024-05-01 · 2 mentions\n\n[TTP]{group:ttp} fled to [Swat]{place:swat}.\u{241b}]0;x\u{2407}\n"
        );
    }

    #[test]
    fn colour_comes_from_the_theme_and_ends_at_each_line() {
        let ix = index(
            "TTP fled to Swat.\nFooter\nline",
            std::iter::once(18..29).collect(),
        );
        let theme = Theme::load(Some("dark"), ColorDepth::Ansi16).unwrap();
        let p = Palette::from_theme(&theme);
        let out = show(
            &ix,
            &ShowOptions {
                palette: Some(&p),
                ..Default::default()
            },
        );
        let group = theme::sgr(theme.entity_group);
        let place = theme::sgr(theme.mention(Kind::Place, true));
        let dim = theme::sgr(theme.boilerplate);
        let r = theme::SGR_RESET;
        assert_eq!(
            out,
            format!("{group}TTP{r} fled to {place}Swat{r}.\n{dim}Footer{r}\n{dim}line{r}\n")
        );
    }
}
