//! The views: one widget per pane, each borrowing the state and
//! implementing `Widget for &T`. A view only reads.

mod article;
mod doc_list;
mod entities;
mod help;
mod journal;
mod names;
mod picker;
mod prompt;
mod results;
mod review;
mod shared;
mod status;
mod timeline;
mod xref;

pub use article::ArticleView;
pub use doc_list::DocListView;
pub use entities::EntitiesView;
pub use help::{HelpView, help_lines, help_lines_for};
pub use journal::JournalView;
pub use picker::PickerView;
pub use prompt::{PromptView, prompt_lines};
pub use results::ResultsView;
pub use review::ReviewView;
pub use status::StatusView;
pub use timeline::TimelineView;
pub use xref::{XrefView, sparkline};

use super::action::Action;
use super::app::{App, LoadState, Overlay, Pane};
use super::keymap::{Context, Keymap};
use super::layout;
use super::theme::{self, Theme};
use crate::entity::Kind;
use crate::text;
use ratatui::Frame;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

/// The whole screen.
pub struct Screen<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

impl Widget for &Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        buf.set_style(area, theme.base);
        if layout::too_small(area) {
            render_too_small(app, area, buf, theme, self.keymap);
            keep_text_visible(buf, theme);
            settle_wide_graphemes(buf);
            return;
        }
        let panes = layout::panes(area, app.focus, app.zoom);
        if let Some(r) = panes.list {
            DocListView {
                app,
                theme,
                keymap: self.keymap,
            }
            .render(r, buf);
        }
        if let Some(r) = panes.article {
            ArticleView { app, theme }.render(r, buf);
        }
        if let Some(r) = panes.xref {
            XrefView { app, theme }.render(r, buf);
        }
        if let Some(o) = app.overlay {
            let r = layout::overlay(panes.main);
            // Clear a column either side too, so that no stray letters of
            // the panes beneath stand against the overlay's border.
            let left = r.x.saturating_sub(1).max(panes.main.x);
            let right = r.right().saturating_add(1).min(panes.main.right());
            let cleared = Rect {
                x: left,
                width: right - left,
                ..r
            };
            clear_area(buf, cleared, theme.base);
            match o {
                Overlay::Help => HelpView {
                    app,
                    theme,
                    keymap: self.keymap,
                }
                .render(r, buf),
                Overlay::Entities => EntitiesView { app, theme }.render(r, buf),
                Overlay::Results => ResultsView { app, theme }.render(r, buf),
                Overlay::Picker => PickerView { app, theme }.render(r, buf),
                Overlay::Review => ReviewView { app, theme }.render(r, buf),
                Overlay::Journal => JournalView { app, theme }.render(r, buf),
                Overlay::Names => names::NamesView { app, theme }.render(r, buf),
                Overlay::Shared => shared::SharedView { app, theme }.render(r, buf),
                Overlay::Timeline => TimelineView { app, theme }.render(r, buf),
            }
        }
        if app.prompt.is_some() {
            PromptView {
                app,
                theme,
                keymap: self.keymap,
            }
            .render(panes.main, buf);
        }
        StatusView {
            app,
            theme,
            keymap: self.keymap,
        }
        .render(panes.status, buf);
        keep_text_visible(buf, theme);
        settle_wide_graphemes(buf);
    }
}

/// Clears `area` for an overlay, with `style`. A wide grapheme (a CJK
/// character, an emoji, a flag) that starts left of the area and reaches
/// into it is cleared too: half of it would stand on the overlay's edge.
pub(crate) fn clear_area(buf: &mut Buffer, area: Rect, style: Style) {
    let area = area.intersection(buf.area);
    Clear.render(area, buf);
    for y in area.top()..area.bottom() {
        for back in 1..=3u16 {
            let Some(x) = area.x.checked_sub(back) else {
                break;
            };
            if x < buf.area.x {
                break;
            }
            if let Some(cell) = buf.cell_mut((x, y))
                && text::symbol_width(cell.symbol()) > usize::from(back)
            {
                cell.set_symbol(" ");
            }
        }
    }
    buf.set_style(area, style);
}

/// No text goes out in its background's colour, or nearly. A span that
/// sets only a colour takes the background of what it is drawn on, and in
/// some themes that is its own colour or close to it: a kind's colour, or
/// the open-document marker, on a selected row (yellow or white on yellow
/// in `high-contrast`, blue on blue in `light` at 16 colours). A cell with
/// less than [`theme::MIN_CONTRAST`] is drawn in black or white instead,
/// whichever reads better there. The terminal's own colours (`Reset`) are
/// unknown, and left alone.
fn keep_text_visible(buf: &mut Buffer, theme: &Theme) {
    // Neighbouring cells mostly look alike: the last answer is kept.
    let mut last: Option<((Color, Color), Option<Color>)> = None;
    for cell in &mut buf.content {
        let key = (cell.fg, cell.bg);
        let ink = match last {
            Some((k, ink)) if k == key => ink,
            _ => {
                let ink = match (theme::approx_rgb(cell.fg), theme::approx_rgb(cell.bg)) {
                    (Some(fg), Some(bg)) if theme::contrast(fg, bg) < theme::MIN_CONTRAST => {
                        Some(theme.ink_on(cell.bg))
                    }
                    _ => None,
                };
                last = Some((key, ink));
                ink
            }
        };
        if let Some(ink) = ink {
            cell.fg = ink;
        }
    }
}

/// Makes every wide grapheme on screen safe to draw over in the next frame.
///
/// A wide grapheme's trailing cells are blank in the buffer, and ratatui
/// does not rewrite a blank cell that stays blank. But terminals do not
/// agree on what a wide grapheme leaves in them: tmux, for one, keeps the
/// two halves of a flag (🇯🇵 is two regional indicators) in two cells, so
/// that when the flag's first cell is drawn over, `🇵` stays behind. The
/// trailing cells are marked as not to be drawn (the grapheme covers them),
/// which also makes them differ from a blank in the next frame, so that
/// they are written then. A wide grapheme that something else was drawn
/// over (half of it under an overlay) is blanked instead.
pub(crate) fn settle_wide_graphemes(buf: &mut Buffer) {
    let area = buf.area;
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x < area.right() {
            let w = buf
                .cell((x, y))
                .map_or(1, |c| text::symbol_width(c.symbol()).max(1)) as u16;
            if w == 1 {
                x += 1;
                continue;
            }
            let end = x.saturating_add(w).min(area.right());
            let covered = (x + 1..end).all(|t| buf.cell((t, y)).is_some_and(|c| c.symbol() == " "));
            if covered && x + w <= area.right() {
                for t in x + 1..end {
                    if let Some(c) = buf.cell_mut((t, y)) {
                        c.set_diff_option(CellDiffOption::Skip);
                    }
                }
                x = end;
            } else {
                if let Some(c) = buf.cell_mut((x, y)) {
                    c.set_symbol(" ");
                }
                x += 1;
            }
        }
    }
}

/// Draws the screen into a frame.
pub fn draw(frame: &mut Frame, screen: &Screen) {
    frame.render_widget(screen, frame.area());
}

fn render_too_small(app: &App, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
    let lines = if let Some(super::app::Prompt::Quit { retrying }) = app.prompt {
        // The question on quitting must be seen to be answered.
        let (q, keys) = super::prompt::quit_question(&app.journal, retrying, keymap);
        let keys: Vec<String> = keys.iter().map(|(k, l)| format!("{k} {l}")).collect();
        let mut lines: Vec<String> = text::wrap(&q, usize::from(area.width).max(1))
            .into_iter()
            .map(|r| q[r].trim().to_string())
            .collect();
        lines.extend(keys);
        lines
    } else {
        too_small_lines(area.width, area.height, keymap)
    };
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, l) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.bottom() {
            break;
        }
        let w = text::width(l) as u16;
        let x = area.x + area.width.saturating_sub(w) / 2;
        let style = if i == 0 { theme.error } else { theme.base };
        buf.set_stringn(x, y, l, usize::from(area.width), style);
    }
}

/// What the screen says when it is too small for the panes: the longest
/// wording of each line that fits in `width` columns (a line with none that
/// fits is left out), so nothing is ever cut.
pub fn too_small_lines(width: u16, height: u16, keymap: &Keymap) -> Vec<String> {
    let (min_w, min_h) = (layout::MIN_WIDTH, layout::MIN_HEIGHT);
    let quit = keymap.key_for(&[Context::Global], &Action::Quit);
    let mut variants = vec![
        vec![
            format!("Terminal too small: {width}×{height}"),
            format!("Too small: {width}×{height}"),
            "Too small".to_string(),
        ],
        vec![
            format!("dossier needs at least {min_w}×{min_h}."),
            format!("Needs {min_w}×{min_h}."),
            format!("{min_w}×{min_h}"),
        ],
    ];
    variants.push(match quit {
        Some(q) => vec![
            format!("Enlarge it, or press {q} to quit."),
            format!("Enlarge, or {q} to quit."),
            format!("{q}: quit"),
        ],
        None => vec!["Enlarge it.".to_string()],
    });
    variants
        .into_iter()
        .filter_map(|v| v.into_iter().find(|l| text::width(l) <= usize::from(width)))
        .collect()
}

/// A pane's border with its title; the focused pane's border stands out.
pub(crate) fn pane_block<'a>(title: Line<'a>, focused: bool, theme: &Theme) -> Block<'a> {
    let border = if focused {
        theme.border_focus
    } else {
        theme.border
    };
    Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(title)
}

/// A title for a block, clipped to fit.
pub(crate) fn title_line<'a>(s: &str, width: u16, style: Style) -> Line<'a> {
    let max = usize::from(width.saturating_sub(4));
    Line::from(Span::styled(
        format!(" {} ", text::truncate(s, max.saturating_sub(2))),
        style,
    ))
}

/// The style of a selected row.
pub(crate) fn selection(theme: &Theme, focused: bool) -> Style {
    if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    }
}

/// Writes spans from (x, y), clipped at `max` cells; returns the column after.
/// Draws the visible part of a scrolled list of lines inside an overlay's
/// border (`inner` is the border's inside), with a "shown/total" marker on
/// the bottom border when it does not all fit. `scroll` is clamped.
pub(crate) fn render_scrolled(
    buf: &mut Buffer,
    area: Rect,
    inner: Rect,
    lines: &[Vec<Span>],
    scroll: usize,
) {
    let h = usize::from(inner.height);
    let scroll = scroll.min(lines.len().saturating_sub(h));
    for (row, spans) in lines.iter().skip(scroll).take(h).enumerate() {
        put_spans(
            buf,
            inner.x + 1,
            inner.y + row as u16,
            spans,
            inner.width.saturating_sub(1),
        );
    }
    if lines.len() > h {
        scroll_mark(buf, area, (scroll + h).min(lines.len()), lines.len());
    }
}

pub(crate) fn put_spans(buf: &mut Buffer, x: u16, y: u16, spans: &[Span], max: u16) -> u16 {
    let line = Line::from(spans.to_vec());
    let (end, _) = buf.set_line(x, y, &line, max);
    end
}

/// A one-letter tag for a kind, used in compact counts.
pub(crate) fn kind_letter(kind: Kind) -> char {
    match kind {
        Kind::Group => 'G',
        Kind::Event => 'E',
        Kind::Person => 'P',
        Kind::Org => 'O',
        Kind::Place => 'L',
        Kind::Other => 'X',
    }
}

/// What to show where content would be while the index is built.
pub(crate) fn loading_text(app: &App) -> String {
    match &app.load {
        LoadState::Loading(Some(p)) if p.total > 0 => {
            format!(
                "Indexing {}: {} {}/{}…",
                app.corpus_name, p.stage, p.done, p.total
            )
        }
        LoadState::Loading(Some(p)) => format!("Indexing {}: {}…", app.corpus_name, p.stage),
        LoadState::Loading(None) => format!("Indexing {}…", app.corpus_name),
        LoadState::Failed(e) => format!("Cannot open {}: {e}", app.corpus_name),
        LoadState::Ready => String::new(),
    }
}

/// Writes wrapped plain text into `area`, line by line.
pub(crate) fn put_paragraph(buf: &mut Buffer, area: Rect, s: &str, style: Style) {
    let lines = text::wrap(s, usize::from(area.width).max(1));
    for (i, r) in lines.iter().enumerate().take(usize::from(area.height)) {
        let line = text::sanitize(&s[r.clone()]);
        buf.set_stringn(
            area.x,
            area.y + i as u16,
            line.trim_end(),
            usize::from(area.width),
            style,
        );
    }
}

/// True when `pane` has the focus and no overlay or field is in front of it.
pub(crate) fn has_focus(app: &App, pane: Pane) -> bool {
    app.focus == pane && app.overlay.is_none()
}

pub use status::mode_name;

/// Marks how far a scrolling list is shown: ` 19/156 ` (the last row in
/// view, of all) on the bottom border of `area`, at the right.
pub fn scroll_mark(buf: &mut Buffer, area: Rect, last_in_view: usize, total: usize) {
    let more = format!(" {last_in_view}/{total} ");
    let width = more.chars().count() as u16;
    if area.width < width + 4 || area.height == 0 {
        return;
    }
    let x = area.right().saturating_sub(width + 2);
    buf.set_stringn(
        x,
        area.bottom().saturating_sub(1),
        &more,
        more.len(),
        Style::default(),
    );
}
