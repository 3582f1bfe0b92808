//! The fuzzy entity picker: a query line, then entities whose name or an
//! alias fits it, best first, with kind and mention count. Only the visible
//! rows are drawn.

use super::{kind_letter, pane_block, put_spans, selection, title_line};
use crate::text;
use crate::tui::app::{App, PickFor};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct PickerView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &PickerView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let (Some(p), Some(index)) = (app.picker.as_ref(), app.index.as_ref()) else {
            return;
        };
        let title = match &p.purpose {
            PickFor::Link(s) => format!("Link “{}” to… ({})", s.text, p.rows.len()),
            PickFor::Merge { from } => format!(
                "Merge {} into… ({})",
                crate::index::query::entity_name(index, from),
                p.rows.len()
            ),
        };
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width;
        if inner.height < 3 {
            return;
        }
        let query = vec![
            Span::styled("› ", theme.muted),
            Span::styled(format!("{}▏", text::sanitize(&p.query)), theme.filter),
            Span::styled(
                "  type a name or alias · ↑↓ choose · Enter pick · Esc cancel",
                theme.muted,
            ),
        ];
        put_spans(buf, inner.x, inner.y, &query, w);
        let header = format!("{:<8}{:>8}  NAME (alias matched)", "KIND", "MENTIONS");
        put_spans(
            buf,
            inner.x,
            inner.y + 1,
            &[Span::styled(header, theme.heading)],
            w,
        );
        if p.rows.is_empty() {
            put_spans(
                buf,
                inner.x,
                inner.y + 2,
                &[Span::styled(
                    "No entity fits. Esc, then t tags the text as a new entity.",
                    theme.muted,
                )],
                w,
            );
            return;
        }
        let rows = usize::from(inner.height - 2);
        for (slot, i) in (p.offset..p.rows.len()).take(rows).enumerate() {
            let row = &p.rows[i];
            let Some(ent) = index.entities().get(row.entity as usize) else {
                continue;
            };
            let y = inner.y + 2 + slot as u16;
            if i == p.selected {
                buf.set_style(Rect::new(inner.x, y, w, 1), selection(theme, true));
            }
            let mut name = text::sanitize(&ent.name).into_owned();
            if let Some(v) = &row.via {
                name.push_str(&format!(" ({})", text::sanitize(v)));
            }
            let name_w = usize::from(w).saturating_sub(18);
            let spans = [
                Span::styled(
                    format!("{} {:<6}", kind_letter(ent.kind), ent.kind.as_str()),
                    theme.entity(ent.kind),
                ),
                Span::raw(format!("{:>8}  ", index.stats(row.entity).mentions)),
                Span::raw(text::truncate(&name, name_w)),
            ];
            put_spans(buf, inner.x, y, &spans, w);
        }
    }
}
