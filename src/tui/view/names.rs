//! The names view: every spelling of an entity the corpus uses, with its
//! count and documents; the knowledge base's names marked `KB` in the
//! entity's colour, spellings seen only in the text marked `text`, muted.

use super::{pane_block, put_spans, selection, title_line};
use crate::index::names::NAME_DOCS_LISTED;
use crate::text;
use crate::tui::app::App;
use crate::tui::names::TOP_ROWS;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct NamesView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &NamesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let n = &app.names;
        let Some(index) = app.index.as_ref() else {
            return;
        };
        let Some(e) = n.entity.filter(|&e| (e as usize) < index.entities().len()) else {
            return;
        };
        let ent = index.entity(e);
        let title = format!(
            "Names of {} · {}",
            crate::tui::nav::label_or_name(app, e),
            text::plural(n.rows.len(), "spelling", "spellings")
        );
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width;
        if inner.height < TOP_ROWS + 1 {
            return;
        }
        let kind_style = theme.entity(ent.kind);
        put_spans(
            buf,
            inner.x,
            inner.y,
            &[
                Span::styled("KB", kind_style),
                Span::styled(" the knowledge base's name or alias · ", theme.muted),
                Span::styled("text", theme.muted),
                Span::styled(" seen only in the text", theme.muted),
            ],
            w,
        );
        put_spans(
            buf,
            inner.x,
            inner.y + 1,
            &[Span::styled(
                format!(
                    "{:<5}{:>8}{:>6}  SPELLING · DOCUMENTS",
                    "FROM", "COUNT", "DOCS"
                ),
                theme.heading,
            )],
            w,
        );
        let rows = usize::from(inner.height - TOP_ROWS);
        for (slot, i) in (n.offset..n.rows.len()).take(rows).enumerate() {
            let r = &n.rows[i];
            let y = inner.y + TOP_ROWS + slot as u16;
            if i == n.selected {
                buf.set_style(Rect::new(inner.x, y, w, 1), selection(theme, true));
            }
            let (from, from_style) = if r.from_kb {
                ("KB", kind_style)
            } else {
                ("text", theme.muted)
            };
            let mut docs: Vec<String> = r.first_docs.iter().map(|d| (d + 1).to_string()).collect();
            if r.docs as usize > NAME_DOCS_LISTED {
                docs.push(format!("… ({} more)", r.docs as usize - r.first_docs.len()));
            }
            let form = text::sanitize(&r.form).into_owned();
            let docs = format!(" · docs {}", docs.join(", "));
            let spans = [
                Span::styled(format!("{from:<5}"), from_style),
                Span::styled(format!("{:>8}{:>6}  ", r.count, r.docs), Style::default()),
                Span::styled(form, kind_style),
                Span::styled(docs, theme.muted),
            ];
            put_spans(buf, inner.x, y, &spans, w);
        }
    }
}
