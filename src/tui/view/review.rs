//! The review queue: the current suggestion (text, proposed entity, how
//! often, where, in context) and the ones after it.

use super::{pane_block, put_spans, title_line};
use crate::index;
use crate::text;
use crate::tui::answer::Count;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct ReviewView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &ReviewView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let (Some(r), Some(idx)) = (app.review.as_ref(), app.index.as_ref()) else {
            return;
        };
        let n = r.items.len();
        let title = format!(
            "Review suggestions {}/{n} · {} accepted · {} rejected · {} skipped",
            (r.pos + 1).min(n),
            r.accepted,
            r.rejected,
            r.skipped
        );
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        let w = inner.width;
        let mut y = inner.y;
        let bottom = inner.bottom();
        let mut line = |spans: &[Span], y: &mut u16| {
            if *y < bottom {
                put_spans(buf, inner.x + 1, *y, spans, w.saturating_sub(1));
                *y += 1;
            }
        };
        let keys = [
            Span::styled("a", theme.status_key),
            Span::raw(" accept · "),
            Span::styled("x", theme.status_key),
            Span::raw(" reject · "),
            Span::styled("Space", theme.status_key),
            Span::raw(" skip · "),
            Span::styled("Backspace", theme.status_key),
            Span::raw(" back"),
        ];
        let keys_back = [Span::styled(
            "Backspace steps back, skipped ones too, undoing an accept or reject.",
            theme.muted,
        )];
        let keys2 = [
            Span::styled("Enter", theme.status_key),
            Span::raw(" leave at this suggestion in its article · "),
            Span::styled("Esc", theme.status_key),
            Span::raw(" leave"),
        ];
        let Some(item) = r.current() else {
            line(
                &[Span::styled(
                    if n == 1 {
                        "The one suggestion is reviewed.".to_string()
                    } else {
                        format!("All {n} suggestions reviewed.")
                    },
                    theme.heading,
                )],
                &mut y,
            );
            line(&[], &mut y);
            line(&keys, &mut y);
            line(&keys2, &mut y);
            line(&keys_back, &mut y);
            return;
        };
        let ent = idx.entity_by_id(&item.entity).map(|e| idx.entity(e));
        let (name, kind) = match ent {
            Some(e) => (e.name.clone(), Some(e.kind)),
            None => (item.entity.clone(), None),
        };
        line(
            &[
                Span::styled(format!("“{}”", text::sanitize(&item.text)), theme.heading),
                Span::raw("  →  "),
                Span::styled(name, kind.map_or(Style::default(), |k| theme.entity(k))),
                Span::raw(format!(
                    " ({})",
                    kind.map_or("?", crate::entity::Kind::as_str)
                )),
            ],
            &mut y,
        );
        // What accepting does comes first: it links every occurrence of the
        // text, which can be many more than the mentions suggested now
        // (inside "Taliban-Haqqani", say).
        let accepts = match Count::of(app.count.as_ref(), &item.text) {
            Some((c, d)) => format!(
                " accept links {} in {}",
                if c == 1 {
                    "1 occurrence".to_string()
                } else {
                    format!("all {c} occurrences")
                },
                text::plural(d, "document", "documents")
            ),
            None => " accept links every occurrence of the text (counting…)".to_string(),
        };
        line(
            &[
                Span::styled("a", theme.status_key),
                Span::styled(accepts, theme.heading),
            ],
            &mut y,
        );
        line(
            &[Span::styled(
                format!(
                    "suggested now: {} · {}, a {}",
                    text::plural(item.count, "mention", "mentions"),
                    item.source,
                    if item.source == crate::entity::Source::Abbreviation {
                        "learned abbreviation"
                    } else {
                        "spelling variant"
                    },
                ),
                theme.muted,
            )],
            &mut y,
        );
        line(&[], &mut y);
        for m in &item.examples {
            let Some(doc) = idx.docs().get(m.doc as usize) else {
                continue;
            };
            let label = format!("{:>3} ", m.doc + 1);
            let avail = usize::from(w).saturating_sub(label.len() + 2);
            let k = index::kwic(&doc.text, m.range(), avail.max(10));
            let hit = text::truncate(&k.hit, avail);
            let left = avail.saturating_sub(text::width(&hit)) / 2;
            let before = text::truncate_left(&k.before, left);
            let after_w = avail.saturating_sub(text::width(&hit) + text::width(&before));
            line(
                &[
                    Span::styled(label, theme.muted),
                    Span::raw(before),
                    Span::styled(
                        hit,
                        theme.mention(kind.unwrap_or(crate::entity::Kind::Other), true),
                    ),
                    Span::raw(text::truncate(&k.after, after_w)),
                ],
                &mut y,
            );
        }
        if item.count > item.examples.len() {
            line(
                &[Span::styled(
                    format!("    … and {} more", item.count - item.examples.len()),
                    theme.muted,
                )],
                &mut y,
            );
        }
        line(&[], &mut y);
        line(&keys, &mut y);
        line(&keys2, &mut y);
        line(&keys_back, &mut y);
        line(&[], &mut y);
        if r.pos + 1 < n {
            line(&[Span::styled("Next", theme.heading)], &mut y);
        }
        for it in r.items.iter().skip(r.pos + 1) {
            if y >= bottom {
                break;
            }
            let name = crate::index::query::entity_name(idx, &it.entity);
            line(
                &[Span::raw(text::truncate(
                    &format!("  “{}” → {}  {}×", it.text, name, it.count),
                    usize::from(w).saturating_sub(2),
                ))],
                &mut y,
            );
        }
    }
}
