//! The document list: one two-line row per document (title, then entity
//! counts per kind), narrowed by a title filter and by entities.

use super::{
    has_focus, kind_letter, loading_text, pane_block, put_paragraph, put_spans, selection,
    title_line,
};
use crate::corpus::DateSource;
use crate::entity::Kind;
use crate::text;
use crate::tui::action::Action;
use crate::tui::app::{App, Field, LoadState, Pane};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::layout::{self, LIST_ROW_HEIGHT};
use crate::tui::list::DocSort;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct DocListView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    /// For the keys named in hints.
    pub keymap: &'a Keymap,
}

/// What to say when the filters leave no document, naming the keys that
/// work in the current mode: while the title filter is being typed, keys
/// type into it, so only Backspace and Esc help.
pub(crate) fn no_match_hint(app: &App, keymap: &Keymap) -> String {
    let title = !app.list.title_filter.is_empty();
    let entities = !app.list.entities.is_empty();
    let what = if title {
        "No document matches."
    } else {
        "No document mentions all of these entities."
    };
    if app.input == Some(Field::ListFilter) {
        return if title {
            format!("{what} Backspace edits the title filter; Esc clears it.")
        } else {
            format!("{what} Esc stops typing.")
        };
    }
    let ctx = [Context::List, Context::Global];
    let back = keymap.key_for(&ctx, &Action::Back);
    let clear = keymap.key_for(&ctx, &Action::ClearFilters);
    let hint = match (title, entities, back, clear) {
        (true, false, Some(b), Some(c)) => format!("{b} or {c} clears the filter."),
        (true, true, Some(b), Some(c)) => {
            format!("{b} clears the title filter, {c} every filter.")
        }
        (true, _, Some(b), None) => format!("{b} clears the title filter."),
        (_, _, _, Some(c)) => format!("{c} clears the filters."),
        _ => String::new(),
    };
    format!("{what} {hint}").trim_end().to_string()
}

impl Widget for &DocListView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let focused = has_focus(app, Pane::List);
        let total = app.index.as_ref().map_or(0, |i| i.docs().len());
        let mut title = if app.index.is_none() {
            "Documents".to_string()
        } else if app.list.is_filtered() {
            format!("Documents {}/{}", app.list.rows.len(), total)
        } else {
            format!("Documents {total}")
        };
        if app.list.sort != DocSort::Id {
            title.push_str(&format!(" ({})", app.list.sort.label()));
        }
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
        if (!app.list.entities.is_empty() || app.list.month.is_some()) && y < inner.bottom() {
            let mut spans = vec![Span::styled("with: ", theme.muted)];
            if let Some(m) = &app.list.month {
                spans.push(Span::styled(format!("{m}, "), theme.filter));
            }
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
                "No documents.".to_string()
            } else {
                no_match_hint(app, self.keymap)
            };
            put_paragraph(buf, rows, &msg, theme.muted);
            return;
        }
        let cap = usize::from(rows.height / LIST_ROW_HEIGHT);
        let row_style = selection(theme, focused);
        let n = app.list.rows.len();
        if n > cap {
            super::scroll_mark(buf, area, (app.list.offset + cap).min(n), n);
        }
        // Only the visible rows are drawn.
        for (slot, i) in (app.list.offset..app.list.rows.len()).take(cap).enumerate() {
            let d = app.list.rows[i];
            let y = rows.y + slot as u16 * LIST_ROW_HEIGHT;
            let height = LIST_ROW_HEIGHT.min(rows.bottom() - y);
            let row = Rect::new(rows.x, y, rows.width, height);
            let selected = i == app.list.selected;
            // The selected row: its colours, and a bar down its left edge
            // that shows without colour too. `▸` marks the open document.
            let bar = if selected {
                buf.set_style(row, row_style);
                Span::styled(SELECTED_BAR, row_style.add_modifier(Modifier::BOLD))
            } else {
                Span::raw(" ")
            };
            let open = app.article.doc == Some(d);
            let marker = if open { "▸ " } else { "  " };
            let title = text::truncate(
                &index.doc(d).title,
                usize::from(w.saturating_sub(ROW_INDENT)),
            );
            // Cells keep the selection's colours where a span sets none.
            let title_style = if open { theme.title } else { Style::default() };
            put_spans(
                buf,
                row.x,
                y,
                &[
                    bar.clone(),
                    Span::styled(marker, theme.border_focus),
                    Span::styled(title, title_style),
                ],
                w,
            );
            let mut spans = vec![bar, Span::raw("  ")];
            let mut room = usize::from(w.saturating_sub(ROW_INDENT));
            // Sorted by date, each row says its date (`~`: only the file's
            // time).
            if app.list.sort == DocSort::Date {
                let (date, style) = match &index.doc(d).date {
                    Some(x) if x.source == DateSource::FileTime => {
                        (format!("~{}", x.value), theme.muted)
                    }
                    Some(x) => (x.value.clone(), theme.title),
                    None => ("no date".to_string(), theme.muted),
                };
                let date = text::truncate(&text::sanitize(&date), room);
                room = room.saturating_sub(text::width(&date) + 1);
                spans.push(Span::styled(date, style));
                spans.push(Span::raw(" "));
            }
            if matches!(app.load, LoadState::Loading(_)) {
                // Listed while the engine runs: the counts are not known yet.
                spans.push(Span::styled("· …", theme.muted));
            } else {
                // Distinct entities per kind, then the number of mentions.
                let mut per_kind = [0u32; 6];
                for c in index.doc_entities(d) {
                    let k = index.entity(c.entity).kind;
                    if let Some(slot) = Kind::ALL.iter().position(|&x| x == k) {
                        per_kind[slot] += 1;
                    }
                }
                let mentions = index.doc_mentions(d).len();
                spans.extend(count_spans(&per_kind, mentions, room, theme));
            }
            if height > 1 {
                put_spans(buf, row.x, y + 1, &spans, w);
            }
        }
    }
}

/// Drawn down the left edge of the selected row.
const SELECTED_BAR: &str = "▌";

/// Columns before a row's title and counts: the selection bar, the
/// open-document marker and a space.
const ROW_INDENT: u16 = 3;

/// A row's second line: distinct entities per kind (`G7 E1 P13`), then the
/// number of mentions, in at most `room` columns. A number is never cut,
/// and the mention count is the last thing to go: when they do not all
/// fit, it shortens to `· 64`, then kinds are left out from the end of
/// [`Kind::ALL`] (other, place, org, …) behind a `…`; only when `· 64`
/// alone does not fit is it left out.
pub(crate) fn count_spans<'a>(
    per_kind: &[u32; 6],
    mentions: usize,
    room: usize,
    theme: &Theme,
) -> Vec<Span<'a>> {
    let kinds: Vec<(Kind, String)> = Kind::ALL
        .iter()
        .zip(per_kind)
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| (*k, format!("{}{n}", kind_letter(*k))))
        .collect();
    let long = format!("· {}", text::plural(mentions, "mention", "mentions"));
    let short = format!("· {mentions}");
    // Items, one space apart, if they fit.
    let fit = |items: Vec<(String, Style)>| -> Option<Vec<Span<'a>>> {
        let w: usize = items.iter().map(|(t, _)| text::width(t)).sum::<usize>()
            + items.len().saturating_sub(1);
        if w > room {
            return None;
        }
        let mut spans = Vec::new();
        for (n, (t, style)) in items.into_iter().enumerate() {
            if n > 0 {
                spans.push(Span::raw(" "));
            }
            spans.push(Span::styled(t, style));
        }
        Some(spans)
    };
    // The first `keep` kinds, a `…` when some are left out, then `tail`.
    let items = |keep: usize, tail: Option<&String>| {
        let mut items: Vec<(String, Style)> = kinds[..keep]
            .iter()
            .map(|(k, t)| (t.clone(), theme.entity(*k)))
            .collect();
        if keep < kinds.len() {
            items.push(("…".to_string(), theme.muted));
        }
        if let Some(t) = tail {
            items.push((t.clone(), theme.muted));
        }
        items
    };
    for keep in (0..=kinds.len()).rev() {
        for tail in [&long, &short] {
            if let Some(spans) = fit(items(keep, Some(tail))) {
                return spans;
            }
        }
    }
    // Not even `… · 64`: the count alone, else as many kinds as fit (a
    // lone `…` says nothing).
    if let Some(spans) = fit(vec![(short.clone(), theme.muted)]) {
        return spans;
    }
    for keep in (1..=kinds.len()).rev() {
        if let Some(spans) = fit(items(keep, None)) {
            return spans;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(per_kind: [u32; 6], mentions: usize, room: usize) -> String {
        let theme = Theme::default();
        count_spans(&per_kind, mentions, room, &theme)
            .iter()
            .map(|s| s.content.as_ref())
            .collect()
    }

    #[test]
    fn counts_drop_whole_items_and_never_cut_a_number() {
        let per_kind = [7, 1, 13, 14, 17, 12];
        assert_eq!(
            shown(per_kind, 64, 80),
            "G7 E1 P13 O14 L17 X12 · 64 mentions"
        );
        assert_eq!(shown(per_kind, 64, 26), "G7 E1 P13 O14 L17 X12 · 64");
        // The mention count stays; kinds go first, behind a `…`.
        assert_eq!(shown(per_kind, 64, 22), "G7 E1 P13 O14 … · 64");
        // At 80 columns a row has 19 columns for its counts.
        assert_eq!(shown(per_kind, 64, 19), "G7 E1 P13 … · 64");
        assert_eq!(shown(per_kind, 64, 8), "… · 64");
        assert_eq!(shown(per_kind, 64, 4), "· 64");
        assert_eq!(shown(per_kind, 64, 3), "");
        assert_eq!(shown(per_kind, 12345, 4), "G7 …");
        assert_eq!(shown([0; 6], 0, 19), "· 0 mentions");
        assert_eq!(shown([0, 0, 3, 0, 0, 0], 5, 19), "P3 · 5 mentions");
        // Whatever the room, every number shown is whole and it fits, and
        // the mention count is there whenever `· 1234` fits.
        for room in 0..40 {
            let s = shown(per_kind, 1234, room);
            assert!(text::width(&s) <= room, "{room}: {s}");
            assert_eq!(s.contains("· 1234"), room >= 6, "{room}: {s}");
            for word in s.split(' ') {
                let digits: String = word.chars().filter(char::is_ascii_digit).collect();
                if !digits.is_empty() {
                    let ok = ["7", "1", "13", "14", "17", "12", "1234"].contains(&digits.as_str());
                    assert!(ok, "{room}: {s}");
                }
            }
        }
    }
}
