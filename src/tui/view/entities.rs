//! The entity browser: every mentioned entity with its kind and counts,
//! sortable and filterable.

use super::{pane_block, put_spans, selection, title_line};
use crate::text;
use crate::tui::app::{App, Field};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct EntitiesView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &EntitiesView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let b = &app.browser;
        let title = format!("Entities {} · sorted by {}", b.rows.len(), b.sort.label());
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(index) = app.index.as_ref() else {
            return;
        };
        let w = inner.width;
        if inner.height < 3 {
            return;
        }
        let typing = app.input == Some(Field::EntityFilter);
        let top = if typing || !b.filter.is_empty() {
            vec![
                Span::styled("filter: ", theme.muted),
                Span::styled(
                    format!(
                        "{}{}",
                        text::sanitize(&b.filter),
                        if typing { "▏" } else { "" }
                    ),
                    theme.filter,
                ),
            ]
        } else {
            vec![Span::styled(
                "f filter · s sort · m narrow the document list · Enter cross-links",
                theme.muted,
            )]
        };
        put_spans(buf, inner.x, inner.y, &top, w);
        let header = format!(
            "{:<7}{:>8}{:>6}  NAME (most used spelling)",
            "KIND", "MENTIONS", "DOCS"
        );
        put_spans(
            buf,
            inner.x,
            inner.y + 1,
            &[Span::styled(header, theme.heading)],
            w,
        );
        if b.rows.is_empty() {
            put_spans(
                buf,
                inner.x,
                inner.y + 2,
                &[Span::styled("No entity matches.", theme.muted)],
                w,
            );
            return;
        }
        let rows = usize::from(inner.height - 2);
        for (slot, i) in (b.offset..b.rows.len()).take(rows).enumerate() {
            let e = b.rows[i];
            let Some(ent) = index.entities().get(e as usize) else {
                continue;
            };
            let y = inner.y + 2 + slot as u16;
            if i == b.selected {
                buf.set_style(Rect::new(inner.x, y, w, 1), selection(theme, true));
            }
            let stats = index.stats(e);
            let marked = app.list.entities.contains(&e);
            // How the corpus writes it, never a name no article uses.
            let label = match app.labels.get(&e) {
                Some(l) => l.to_line(),
                None => index.label(e).to_line(),
            };
            let name = text::sanitize(&label).into_owned();
            let name_w = usize::from(w).saturating_sub(23);
            let spans = [
                Span::styled(format!("{:<7}", ent.kind.as_str()), theme.entity(ent.kind)),
                Span::styled(
                    format!("{:>8}{:>6}", stats.mentions, stats.docs),
                    Style::default(),
                ),
                Span::styled(if marked { " ✓" } else { "  " }, theme.filter),
                Span::raw(" "),
                Span::styled(text::truncate(&name, name_w), Style::default()),
            ];
            put_spans(buf, inner.x, y, &spans, w);
        }
    }
}
