//! The document list: one two-line row per document (title, then entity
//! counts per kind), narrowed by a title filter and by entities.

use super::{
    has_focus, kind_letter, loading_text, pane_block, put_paragraph, put_spans, selection,
    title_line,
};
use crate::entity::Kind;
use crate::text;
use crate::tui::app::{App, Field, LoadState, Pane};
use crate::tui::layout::{self, LIST_ROW_HEIGHT};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct DocListView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &DocListView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let focused = has_focus(app, Pane::List);
        let total = app.index.as_ref().map_or(0, |i| i.docs().len());
        let title = if app.index.is_none() {
            "Documents".to_string()
        } else if app.list.is_filtered() {
            format!("Documents {}/{}", app.list.rows.len(), total)
        } else {
            format!("Documents {total}")
        };
        let block = pane_block(title_line(&title, area.width, theme.title), focused, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(index) = app.index.as_ref() else {
            let msg = match app.load {
                LoadState::Failed(_) => loading_text(app),
                _ => "…".to_string(),
            };
            put_paragraph(buf, inner, &msg, theme.muted);
            return;
        };
        let w = inner.width;
        let mut y = inner.y;
        let typing = app.input == Some(Field::ListFilter);
        if (!app.list.title_filter.is_empty() || typing) && y < inner.bottom() {
            let caret = if typing { "▏" } else { "" };
            let spans = [
                Span::styled("title: ", theme.muted),
                Span::styled(
                    format!("{}{caret}", text::sanitize(&app.list.title_filter)),
                    theme.filter,
                ),
            ];
            put_spans(buf, inner.x, y, &spans, w);
            y += 1;
        }
        if !app.list.entities.is_empty() && y < inner.bottom() {
            let mut spans = vec![Span::styled("with: ", theme.muted)];
            for (i, &e) in app.list.entities.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled(" + ", theme.muted));
                }
                let ent = index.entity(e);
                spans.push(Span::styled(
                    text::sanitize(&ent.name).into_owned(),
                    theme.entity(ent.kind),
                ));
            }
            put_spans(buf, inner.x, y, &spans, w);
        }
        let rows = layout::list_rows(app, area);
        if app.list.rows.is_empty() {
            let msg = if total == 0 {
                "No documents."
            } else {
                "No document matches. Esc or M clears the filters."
            };
            put_paragraph(buf, rows, msg, theme.muted);
            return;
        }
        let cap = usize::from(rows.height / LIST_ROW_HEIGHT);
        // Only the visible rows are drawn.
        for (slot, i) in (app.list.offset..app.list.rows.len()).take(cap).enumerate() {
            let d = app.list.rows[i];
            let y = rows.y + slot as u16 * LIST_ROW_HEIGHT;
            let row = Rect::new(rows.x, y, rows.width, LIST_ROW_HEIGHT);
            let selected = i == app.list.selected;
            if selected {
                buf.set_style(row, selection(theme, focused));
            }
            let open = app.article.doc == Some(d);
            let marker = if open { "▸ " } else { "  " };
            let title = text::truncate(&index.doc(d).title, usize::from(w.saturating_sub(2)));
            // Cells keep the selection's colours where a span sets none.
            let title_style = if open { theme.title } else { Style::default() };
            put_spans(
                buf,
                row.x,
                y,
                &[
                    Span::styled(marker, theme.border_focus),
                    Span::styled(title, title_style),
                ],
                w,
            );
            // Distinct entities per kind, then the number of mentions.
            let mut per_kind = [0u32; 6];
            for c in index.doc_entities(d) {
                let k = index.entity(c.entity).kind;
                if let Some(slot) = Kind::ALL.iter().position(|&x| x == k) {
                    per_kind[slot] += 1;
                }
            }
            let mut spans = vec![Span::raw("  ")];
            for (k, n) in Kind::ALL.iter().zip(per_kind) {
                if n > 0 {
                    spans.push(Span::styled(
                        format!("{}{n}", kind_letter(*k)),
                        theme.entity(*k),
                    ));
                    spans.push(Span::raw(" "));
                }
            }
            let mentions = index.doc_mentions(d).len();
            let used: usize = spans.iter().map(|s| s.width()).sum();
            let long = format!("· {mentions} mentions");
            let count = if used + long.len() <= usize::from(w) {
                long
            } else {
                format!("· {mentions}")
            };
            spans.push(Span::styled(count, theme.muted));
            if y + 1 < rows.bottom() {
                put_spans(buf, row.x, y + 1, &spans, w);
            }
        }
    }
}
