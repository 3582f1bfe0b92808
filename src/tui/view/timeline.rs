//! The timeline view: one row per month, its mentions as a bar in the
//! entity's colour with the counts beside it, from the entity's first dated
//! mention to its last.

use super::{pane_block, put_spans, scroll_mark, selection, title_line};
use crate::text;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::timeline::HEADER_ROWS;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct TimelineView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// Eighths of a cell, for the end of a bar.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar of `value` out of `peak` in at most `width` cells, to an eighth of
/// a cell; a month with any mention gets at least an eighth.
pub(crate) fn bar(value: u32, peak: u32, width: usize) -> String {
    if value == 0 || peak == 0 || width == 0 {
        return String::new();
    }
    let eighths = (u64::from(value) * width as u64 * 8 / u64::from(peak)).max(1) as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    s
}

impl Widget for &TimelineView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let t = &app.timeline;
        let (Some(index), Some(e)) = (app.index.as_ref(), t.entity) else {
            return;
        };
        let Some(ent) = index.entities().get(e as usize) else {
            return;
        };
        let title = format!("Timeline: {} ({})", text::sanitize(&ent.name), ent.kind);
        let block = pane_block(title_line(&title, area.width, theme.title), true, theme);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < HEADER_ROWS + 1 || inner.width < 20 {
            return;
        }
        let w = inner.width;
        let months = &t.months.months;
        let stats = index.stats(e);
        let mut heading = format!(
            "{} in {}",
            text::plural(stats.mentions as usize, "mention", "mentions"),
            text::plural(stats.docs as usize, "document", "documents"),
        );
        if let (Some(first), Some(last)) = (months.first(), months.last()) {
            heading.push_str(&format!(", {} to {}", first.month, last.month));
        }
        if t.months.undated_docs > 0 {
            heading.push_str(&format!(
                "; {} undated",
                text::plural(t.months.undated_docs as usize, "document", "documents")
            ));
        }
        put_spans(
            buf,
            inner.x,
            inner.y,
            &[Span::styled(heading, theme.heading)],
            w,
        );
        let file_time = months.iter().any(|m| m.file_time_docs > 0);
        let hint = if months.is_empty() {
            "No mention is in a dated document.".to_string()
        } else if file_time {
            "Enter: the month's documents · (~n): n dated by file time".to_string()
        } else {
            "Enter lists the month's documents that mention it · Esc closes".to_string()
        };
        put_spans(
            buf,
            inner.x,
            inner.y + 1,
            &[Span::styled(hint, theme.muted)],
            w,
        );
        // The counts beside each bar, right-aligned to the widest.
        let label = |m: &crate::index::timeline::MonthRow| {
            if m.mentions == 0 {
                return "0".to_string();
            }
            let mut s = format!(
                "{} in {}",
                m.mentions,
                text::plural(m.docs as usize, "doc", "docs")
            );
            if m.file_time_docs > 0 {
                s.push_str(&format!(" (~{})", m.file_time_docs));
            }
            s
        };
        let labels: Vec<String> = months.iter().map(label).collect();
        let label_w = labels.iter().map(|l| text::width(l)).max().unwrap_or(0);
        // `YYYY-MM`, a space, the bar, a space, the counts.
        let bar_w = usize::from(w).saturating_sub(7 + 1 + 1 + label_w);
        let peak = t.months.peak();
        let rows = usize::from(inner.height - HEADER_ROWS);
        let kind_style = theme.entity(ent.kind);
        for (slot, i) in (t.offset..months.len()).take(rows).enumerate() {
            let m = &months[i];
            let y = inner.y + HEADER_ROWS + slot as u16;
            let selected = i == t.selected;
            if selected {
                buf.set_style(Rect::new(inner.x, y, w, 1), selection(theme, true));
            }
            let bar = bar(m.mentions, peak, bar_w);
            let pad = bar_w.saturating_sub(text::width(&bar));
            let count_style = if m.mentions == 0 {
                theme.muted
            } else {
                ratatui::style::Style::default()
            };
            let spans = [
                Span::styled(m.month.clone(), theme.muted),
                Span::raw(" "),
                Span::styled(bar, kind_style),
                Span::raw(" ".repeat(pad + 1)),
                Span::styled(
                    format!("{:>label_w$}", labels[i], label_w = label_w),
                    count_style,
                ),
            ];
            put_spans(buf, inner.x, y, &spans, w);
        }
        if months.len() > rows {
            scroll_mark(buf, area, (t.offset + rows).min(months.len()), months.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_peak_in_eighths() {
        assert_eq!(bar(4, 4, 10), "█".repeat(10));
        assert_eq!(bar(2, 4, 10), "█".repeat(5));
        assert_eq!(bar(1, 4, 10), "██▌");
        assert_eq!(bar(1, 1000, 10), "▏", "a mention shows");
        assert_eq!(bar(0, 4, 10), "");
        assert_eq!(bar(3, 4, 0), "");
    }
}
