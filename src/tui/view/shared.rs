//! The shared-sentences view: each sentence (or paragraph, or document)
//! naming both entities of a pair, with its document, both entities'
//! mentions in their colours.

use super::{pane_block, put_spans, selection, title_line};
use crate::text;
use crate::tui::app::App;
use crate::tui::cooc::SHARED_LIMIT;
use crate::tui::shared::TOP_ROWS;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct SharedView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &SharedView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let s = &app.shared;
        let Some(index) = app.index.as_ref() else {
            return;
        };
        let n = index.entities().len();
        let Some((a, b)) = s
            .pair
            .filter(|&(a, b)| (a as usize) < n && (b as usize) < n)
        else {
            return;
        };
        let unit = s.level.map_or("sentence", |l| l.as_str());
        let found = if s.pending {
            "counting…".to_string()
        } else {
            let more = if s.units.len() >= SHARED_LIMIT {
                "+"
            } else {
                ""
            };
            format!("{}{more} {unit}s", s.units.len())
        };
        let title = format!(
            "{} and {} · {found}",
            crate::tui::nav::label_or_name(app, a),
            crate::tui::nav::label_or_name(app, b)
        );
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width;
        if inner.height < TOP_ROWS + 1 {
            return;
        }
        let hint = if s.pending {
            format!("Finding the {unit}s that name both…")
        } else if s.units.is_empty() {
            format!("No {unit} names both (boilerplate left out).")
        } else {
            format!("Each {unit} naming both · Enter reads it in its article")
        };
        put_spans(buf, inner.x, inner.y, &[Span::styled(hint, theme.muted)], w);
        let rows = usize::from(inner.height - TOP_ROWS);
        for (slot, i) in (s.offset..s.units.len()).take(rows).enumerate() {
            let u = &s.units[i];
            let y = inner.y + TOP_ROWS + slot as u16;
            if i == s.selected {
                buf.set_style(Rect::new(inner.x, y, w, 1), selection(theme, true));
            }
            let Some(doc) = index.docs().get(u.doc as usize) else {
                continue;
            };
            let label = format!("{:>3} ", u.doc + 1);
            let title_w = (usize::from(w) / 5).clamp(8, 24);
            let mut spans = vec![
                Span::styled(label, theme.muted),
                Span::styled(text::fit(&doc.title, title_w), theme.muted),
                Span::raw(" "),
            ];
            // The unit's text, one line, each mention of the pair in its
            // entity's colour.
            let full = doc.text.fetch();
            let mut at = u.range.start.min(full.len());
            let end = u.range.end.min(full.len());
            for m in &u.mentions {
                let (ms, me) = (m.start as usize, m.end as usize);
                if ms < at || me > end {
                    continue;
                }
                if let Some(t) = full.get(at..ms) {
                    spans.push(Span::raw(one_line(t)));
                }
                let kind = index.entity(m.entity).kind;
                if let Some(t) = full.get(ms..me) {
                    spans.push(Span::styled(one_line(t), theme.entity(kind)));
                }
                at = me;
            }
            if let Some(t) = full.get(at..end) {
                spans.push(Span::raw(one_line(t)));
            }
            let spans: Vec<Span> = spans
                .into_iter()
                .map(|sp| {
                    let style: Style = sp.style;
                    Span::styled(text::sanitize(&sp.content).into_owned(), style)
                })
                .collect();
            put_spans(buf, inner.x, y, &spans, w);
        }
    }
}

/// Text on one line: each run of white space one space, the ends kept.
fn one_line(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}
