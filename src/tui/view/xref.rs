//! The cross-link panel: for the selected entity, its name, kind and the
//! aliases seen; a count per document; every mention in context with the
//! matched form emphasised; and the entities that co-occur with it.

use super::article::kind_of;
use super::{has_focus, kind_letter, pane_block, put_paragraph, put_spans, selection, title_line};
use crate::index::timeline::Timeline;
use crate::text;
use crate::tui::app::{App, Pane, XrefItem};
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct XrefView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &XrefView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let focused = has_focus(app, Pane::Xref);
        let block = pane_block(
            title_line("Cross-links", area.width, theme.title),
            focused,
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(index) = app.index.as_ref() else {
            put_paragraph(buf, inner, "…", theme.muted);
            return;
        };
        let x = &app.xref;
        let Some(ent) = x.entity.and_then(|e| index.entities().get(e as usize)) else {
            put_paragraph(
                buf,
                inner,
                "Put the cursor on a mention (n / N) to see where else its entity appears, or browse all entities (e).",
                theme.muted,
            );
            return;
        };
        let w = inner.width;
        let areas = layout::xref_areas(area, x.docs.len());
        let kind_style = theme.entity(ent.kind);
        let cursor = app.cursor_mention();

        // Header: name; kind and counts; aliases seen.
        let h = areas.header;
        if h.height > 0 {
            put_spans(
                buf,
                h.x,
                h.y,
                &[Span::styled(
                    text::sanitize(&ent.name).into_owned(),
                    kind_style,
                )],
                w,
            );
        }
        if h.height > 1 {
            let mut spans = vec![
                Span::styled(ent.kind.as_str(), kind_style),
                Span::styled(
                    format!(
                        " · {} in {}",
                        text::plural(x.mentions.len(), "mention", "mentions"),
                        text::plural(x.docs.len(), "doc", "docs")
                    ),
                    theme.muted,
                ),
            ];
            if let Some(m) =
                cursor.filter(|m| Some(m.entity) == x.entity && m.source.is_suggestion())
            {
                spans.push(Span::styled(
                    format!(" · suggested ({})", m.source),
                    theme.suggestion,
                ));
            }
            // The mentions per month, when the documents are dated.
            let used: usize = spans.iter().map(|s| text::width(&s.content)).sum();
            let room = usize::from(w).saturating_sub(used + 3);
            if let Some(line) = sparkline(&x.timeline, room) {
                spans.push(Span::styled(" · ", theme.muted));
                spans.push(Span::styled(line, kind_style));
            }
            put_spans(buf, h.x, h.y + 1, &spans, w);
        }
        if h.height > 2 {
            let aliases: Vec<String> = x
                .aliases
                .iter()
                .map(|(a, n)| format!("{a} ({n})"))
                .collect();
            let line = format!("aka {}", aliases.join(", "));
            put_spans(
                buf,
                h.x,
                h.y + 2,
                &[Span::styled(
                    text::truncate(&line, usize::from(w)),
                    theme.muted,
                )],
                w,
            );
        }

        // Documents with a count each.
        let d = areas.docs;
        if d.height > 0 {
            let heading = format!("Documents ({})", x.docs.len());
            put_spans(buf, d.x, d.y, &[Span::styled(heading, theme.heading)], w);
        }
        let sel = x.selected_item();
        for (slot, i) in (x.docs_offset..x.docs.len())
            .take(usize::from(d.height.saturating_sub(1)))
            .enumerate()
        {
            let (doc, count) = x.docs[i];
            let y = d.y + 1 + slot as u16;
            if sel == Some(XrefItem::Doc(i)) {
                buf.set_style(Rect::new(d.x, y, w, 1), selection(theme, focused));
            }
            let here = app.article.doc == Some(doc);
            let title = index
                .docs()
                .get(doc as usize)
                .map_or("", |t| t.title.as_str());
            // "▸ 4 Pakistan and US Unite Against…   10×"
            let num = format!("{:>2} ", doc + 1);
            let count = format!(" {count:>3}×");
            let title_w = usize::from(w).saturating_sub(1 + num.len() + count.len());
            let spans = [
                Span::styled(if here { "▸" } else { " " }, theme.border_focus),
                Span::styled(num, theme.muted),
                Span::styled(text::fit(title, title_w), Style::default()),
                Span::styled(count, kind_style),
            ];
            put_spans(buf, d.x, y, &spans, w);
        }

        // Mentions in context, then co-occurring entities; only visible rows.
        let l = areas.list;
        let n = x.mentions.len();
        let total = app.xref.list_len();
        // Where the list is, when it does not fit (its headings scroll
        // away with it).
        if total > usize::from(l.height) {
            let last = (x.list_offset + usize::from(l.height)).min(total);
            super::scroll_mark(buf, area, last, total);
        }
        for (slot, row) in (x.list_offset..total)
            .take(usize::from(l.height))
            .enumerate()
        {
            let y = l.y + slot as u16;
            if row == 0 {
                put_spans(
                    buf,
                    l.x,
                    y,
                    &[Span::styled(format!("Mentions ({n})"), theme.heading)],
                    w,
                );
            } else if row <= n {
                let i = row - 1;
                let Some(m) = x.mentions.get(i, index) else {
                    continue;
                };
                let selected = sel == Some(XrefItem::Mention(i));
                let current = cursor.is_some_and(|c| c.doc == m.doc && c.start == m.start);
                let row_rect = Rect::new(l.x, y, w, 1);
                if current {
                    buf.set_style(row_rect, theme.xref_current);
                }
                if selected {
                    buf.set_style(row_rect, selection(theme, focused));
                }
                let marker = if current { "▶" } else { " " };
                let num = format!("{:>2} ", m.doc + 1);
                let avail = usize::from(w).saturating_sub(1 + num.len());
                let k = index.kwic(&m, avail.max(10));
                let hit = text::truncate(&k.hit, avail);
                let hit_w = text::width(&hit);
                let left_w = avail
                    .saturating_sub(hit_w)
                    .min((avail.saturating_sub(hit_w)) / 3 + 4);
                let before = text::truncate_left(&k.before, left_w);
                let after_w = avail.saturating_sub(hit_w + text::width(&before));
                let after = text::truncate(&k.after, after_w);
                let hit_style = theme
                    .mention(kind_of(index, m.entity), m.source.is_suggestion())
                    .patch(theme.xref_hit);
                let spans = [
                    Span::styled(marker, theme.border_focus),
                    Span::styled(num, theme.muted),
                    Span::raw(before),
                    Span::styled(hit, hit_style),
                    Span::raw(after),
                ];
                put_spans(buf, l.x, y, &spans, w);
            } else if row == n + 1 {
                // A blank line between the sections.
            } else if row == n + 2 {
                let c = &x.cooc;
                let by = format!("by {}, {}", c.level.as_str(), c.kind_label());
                let heading = if c.pending || c.counts.is_none() {
                    format!("Co-occurring {by}: counting…")
                } else {
                    format!("Co-occurring {by} ({})", c.len())
                };
                put_spans(buf, l.x, y, &[Span::styled(heading, theme.heading)], w);
            } else {
                let i = row - n - 3;
                let Some(c) = x.cooc.get(i) else { continue };
                let Some(other) = index.entities().get(c.entity as usize) else {
                    continue;
                };
                if sel == Some(XrefItem::Cooc(i)) {
                    buf.set_style(Rect::new(l.x, y, w, 1), selection(theme, focused));
                }
                let tag = format!(" {} ", kind_letter(other.kind));
                // Units naming both, and the score they are ranked by.
                let count = format!(" {:>3}× {:>6.1}", c.joint, c.llr);
                let name_w = usize::from(w).saturating_sub(tag.len() + text::width(&count));
                let spans = [
                    Span::styled(tag, theme.muted),
                    Span::styled(
                        text::fit(&crate::tui::nav::label_or_name(app, c.entity), name_w),
                        theme.entity(other.kind),
                    ),
                    Span::styled(count, theme.muted),
                ];
                put_spans(buf, l.x, y, &spans, w);
            }
        }
    }
}

/// The bars of a sparkline, lowest first.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Mentions per month as a sparkline of at most `cells` cells, the first
/// and last month beside it when they fit: `2023-11 ▃▁▁█ 2024-02`. Months
/// share a cell when there are more of them than cells (their mentions
/// added). `None` without dated mentions or room for two bars.
pub fn sparkline(t: &Timeline, cells: usize) -> Option<String> {
    let months = &t.months;
    let (first, last) = (months.first()?, months.last()?);
    let with_dates = months.len() + 2 * (first.month.len() + 1);
    let (bars_w, dated) = if with_dates <= cells {
        (months.len(), true)
    } else {
        (months.len().min(cells), false)
    };
    if bars_w < 2.min(months.len()) || bars_w == 0 {
        return None;
    }
    // Cell k holds months [k·n/w, (k+1)·n/w).
    let n = months.len();
    let sums: Vec<u32> = (0..bars_w)
        .map(|k| {
            months[k * n / bars_w..(k + 1) * n / bars_w]
                .iter()
                .map(|m| m.mentions)
                .sum()
        })
        .collect();
    let peak = sums.iter().copied().max().unwrap_or(0).max(1);
    let bars: String = sums
        .iter()
        .map(|&v| {
            if v == 0 {
                ' '
            } else {
                BARS[((v as usize * BARS.len()).div_ceil(peak as usize) - 1).min(BARS.len() - 1)]
            }
        })
        .collect();
    Some(if dated {
        format!("{} {bars} {}", first.month, last.month)
    } else {
        bars
    })
}
