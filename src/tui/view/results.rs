//! Full-text search results: one keyword-in-context line per hit.

use super::{pane_block, put_spans, selection, title_line};
use crate::index;
use crate::text;
use crate::tui::app::App;
use crate::tui::search::Sought;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct ResultsView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &ResultsView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let s = &app.search;
        let more = if s.truncated { "+" } else { "" };
        let entity = match (&s.found.sought, app.index.as_ref()) {
            (Some(Sought::Entity(e)), Some(idx)) if s.ran.starts_with('=') => {
                idx.entities().get(*e as usize)
            }
            _ => None,
        };
        let title = if let Some(ent) = entity {
            let n = s.hits.len();
            format!(
                "Entity {} ({}), every spelling: {n}{more} {}",
                text::sanitize(&ent.name),
                ent.kind,
                if n == 1 && more.is_empty() {
                    "mention"
                } else {
                    "mentions"
                }
            )
        } else if s.searching {
            format!(
                "Search \"{}\": searching… {} so far",
                text::sanitize(&s.ran),
                text::plural(s.hits.len(), "hit", "hits")
            )
        } else {
            let n = s.hits.len();
            format!(
                "Search \"{}\": {n}{more} {}",
                text::sanitize(&s.ran),
                if n == 1 && more.is_empty() {
                    "hit"
                } else {
                    "hits"
                }
            )
        };
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(idx) = app.index.as_ref() else {
            return;
        };
        let w = inner.width;
        if inner.height < 2 {
            return;
        }
        let hint = if s.searching && s.hits.is_empty() {
            "searching… (Esc stops)"
        } else if s.searching {
            "searching… · Enter opens the hit in its article · Esc stops"
        } else {
            "Enter opens the hit in its article · Esc closes"
        };
        put_spans(buf, inner.x, inner.y, &[Span::styled(hint, theme.muted)], w);
        for (slot, i) in (s.offset..s.hits.len())
            .take(usize::from(inner.height - 1))
            .enumerate()
        {
            let hit = s.hits[i];
            let y = inner.y + 1 + slot as u16;
            if i == s.selected {
                buf.set_style(Rect::new(inner.x, y, w, 1), selection(theme, true));
            }
            let Some(doc) = idx.docs().get(hit.doc as usize) else {
                continue;
            };
            let label = format!("{:>3} ", hit.doc + 1);
            let title_w = (usize::from(w) / 4).clamp(8, 30);
            let title = text::fit(&doc.title, title_w);
            let avail = usize::from(w).saturating_sub(label.len() + title_w + 1);
            let k = index::kwic(&doc.text, hit.start..hit.end, avail.max(10));
            let hit_text = text::truncate(&k.hit, avail);
            let left_w = avail.saturating_sub(text::width(&hit_text)) / 3 + 2;
            let before = text::truncate_left(&k.before, left_w);
            let after_w = avail.saturating_sub(text::width(&hit_text) + text::width(&before));
            let spans = [
                Span::styled(label, theme.muted),
                Span::styled(title, theme.muted),
                Span::raw(" "),
                Span::raw(before),
                Span::styled(hit_text, Style::default().patch(theme.search_hit)),
                Span::raw(text::truncate(&k.after, after_w)),
            ];
            put_spans(buf, inner.x, y, &spans, w);
        }
    }
}
