//! The article: the document's text wrapped to the pane, entities
//! highlighted by kind, suggested links marked, boilerplate dimmed, and the
//! mention cursor. Control characters are shown as visible symbols.

use super::{has_focus, loading_text, pane_block, put_paragraph, title_line};
use crate::entity::Kind;
use crate::index::Index;
use crate::text;
use crate::tui::app::{App, Pane};
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;
use std::borrow::Cow;

pub struct ArticleView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// An entity's kind, or `Other` for an id the index does not know.
pub(crate) fn kind_of(index: &Index, e: u32) -> Kind {
    index
        .entities()
        .get(e as usize)
        .map_or(Kind::Other, |x| x.kind)
}

impl Widget for &ArticleView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let focused = has_focus(app, Pane::Article);
        let index = app.index.as_ref();
        let doc = app
            .article
            .doc
            .zip(index)
            .and_then(|(d, i)| i.docs().get(d as usize).map(|doc| (d, doc)));
        let title = match (doc, index) {
            (Some((d, doc)), Some(i)) => format!("{}/{} {}", d + 1, i.docs().len(), doc.title),
            _ => "Article".to_string(),
        };
        let block = pane_block(title_line(&title, area.width, theme.title), focused, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let (Some(index), Some((d, document))) = (index, doc) else {
            let msg = if app.index.is_none() {
                loading_text(app)
            } else {
                "Choose a document in the list and press Enter.".to_string()
            };
            put_paragraph(buf, inner, &msg, theme.muted);
            return;
        };
        let text_area = layout::article_text(area);
        let width = usize::from(text_area.width);
        if width == 0 || text_area.height == 0 {
            return;
        }
        let src = document.text.as_str();
        let lines: Cow<[std::ops::Range<usize>]> = if app.article.wrap_width == width {
            Cow::Borrowed(&app.article.lines)
        } else {
            Cow::Owned(text::wrap(src, width))
        };
        let mentions = index.doc_mentions(d);
        let cursor = app
            .article
            .cursor
            .and_then(|c| mentions.get(c).map(|m| (c, *m)));
        let boiler = &document.boilerplate;
        // Every hit of the last search in this document (the one stepped
        // to, `highlight`, stands out: see `current_hit`).
        let hits = app.search.found.marked(d);
        // In visual mode the selection replaces the mention cursor.
        let sel = app.visual.filter(|v| v.doc == d).map(|v| v.range());
        let cursor = if sel.is_some() { None } else { cursor };
        for row in 0..text_area.height {
            let li = app.article.scroll + usize::from(row);
            let Some(range) = lines.get(li).cloned() else {
                break;
            };
            let y = text_area.y + row;
            // The gutter marks the cursor's line and boilerplate.
            let gutter = if let Some(s) = &sel
                && s.start < range.end.max(range.start + 1)
                && s.end > range.start
            {
                Some(("▌", theme.border_focus))
            } else if let Some((_, m)) = cursor
                && (m.start as usize) < range.end.max(range.start + 1)
                && (m.end as usize) > range.start
            {
                Some(("▶", theme.border_focus))
            } else if boiler
                .iter()
                .any(|b| b.start <= range.start && range.start < b.end)
            {
                Some(("┆", theme.muted))
            } else {
                None
            };
            if let Some((g, style)) = gutter {
                buf.set_stringn(inner.x, y, g, 1, style);
            }
            let mut mi = mentions.partition_point(|m| (m.end as usize) <= range.start);
            let mut bi = boiler.partition_point(|b| b.end <= range.start);
            let mut hi = hits.partition_point(|h| h.end <= range.start);
            for (byte, glyph, col) in text::layout_line(src, range) {
                if glyph.width == 0 {
                    continue;
                }
                if col + glyph.width > width {
                    break;
                }
                while mi < mentions.len() && (mentions[mi].end as usize) <= byte {
                    mi += 1;
                }
                while bi < boiler.len() && boiler[bi].end <= byte {
                    bi += 1;
                }
                while hi < hits.len() && hits[hi].end <= byte {
                    hi += 1;
                }
                let mut style = Style::default();
                if boiler.get(bi).is_some_and(|b| b.contains(&byte)) {
                    style = style.patch(theme.boilerplate);
                }
                if let Some(m) = mentions.get(mi).filter(|m| m.range().contains(&byte)) {
                    style = style
                        .patch(theme.mention(kind_of(index, m.entity), m.source.is_suggestion()));
                    if cursor.is_some_and(|(c, _)| c == mi) {
                        style = style.patch(theme.mention_cursor);
                    }
                }
                if hits.get(hi).is_some_and(|h| h.contains(&byte)) {
                    style = style.patch(theme.search_hit);
                }
                if app
                    .article
                    .highlight
                    .as_ref()
                    .is_some_and(|h| h.contains(&byte))
                {
                    style = current_hit(style.patch(theme.search_hit), theme);
                }
                if sel.as_ref().is_some_and(|s| s.contains(&byte)) {
                    style = theme.selection;
                }
                let x = text_area.x + col as u16;
                buf.set_stringn(x, y, &glyph.symbol, glyph.width, style);
            }
        }
    }
}

/// The hit stepped to, among the others in `search_hit`: in reverse video
/// (out of it, where `search_hit` is itself reversed, as without colour),
/// and bold, so that it stands out in every theme.
fn current_hit(style: Style, theme: &Theme) -> Style {
    let style = style.add_modifier(Modifier::BOLD);
    if theme.search_hit.add_modifier.contains(Modifier::REVERSED) {
        style
            .remove_modifier(Modifier::REVERSED)
            .add_modifier(Modifier::UNDERLINED)
    } else {
        style.add_modifier(Modifier::REVERSED)
    }
}
