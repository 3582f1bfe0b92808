//! Where each pane goes for a terminal size. Shared by the views (to draw)
//! and by `update` (to scroll, wrap and hit-test), so the two always agree.
//!
//! - At 120 columns and more: list, article and cross-links side by side.
//! - From 70 to 119 columns: two panes. The cross-link panel takes the
//!   list's place while it has the focus (`x`, `l` or Enter in the article),
//!   so that the article neither moves nor wraps again.
//! - Below 70 columns, or zoomed (`z`): only the focused pane.
//! - Below [`MIN_WIDTH`]×[`MIN_HEIGHT`]: a message instead of the panes.

use super::app::{App, Pane};
use ratatui::layout::Rect;

pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this width, all three panes are shown.
pub const WIDE: u16 = 120;
/// From this width, two panes are shown.
pub const TWO_PANES: u16 = 70;

/// The rectangles of the visible panes (borders included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    pub list: Option<Rect>,
    pub article: Option<Rect>,
    pub xref: Option<Rect>,
    /// The bottom line.
    pub status: Rect,
    /// Everything above the status line.
    pub main: Rect,
}

impl Panes {
    pub fn rect(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::List => self.list,
            Pane::Article => self.article,
            Pane::Xref => self.xref,
        }
    }
}

/// True when the terminal is too small to draw the panes.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The layout for `area` with `focus` on one pane.
pub fn panes(area: Rect, focus: Pane, zoom: bool) -> Panes {
    let main = Rect {
        height: area.height.saturating_sub(1),
        ..area
    };
    let status = Rect {
        y: area.y + main.height,
        height: area.height.min(1),
        ..area
    };
    let mut p = Panes {
        status,
        main,
        ..Panes::default()
    };
    let w = area.width;
    let col = |x: u16, width: u16| Rect {
        x: main.x + x,
        width,
        ..main
    };
    if zoom {
        let r = Some(col(0, w));
        match focus {
            Pane::List => p.list = r,
            Pane::Article => p.article = r,
            Pane::Xref => p.xref = r,
        }
    } else if w >= WIDE {
        let list_w = (w * 22 / 100).clamp(26, 36);
        let xref_w = (w * 33 / 100).clamp(40, 64);
        let art_w = w - list_w - xref_w;
        p.list = Some(col(0, list_w));
        p.article = Some(col(list_w, art_w));
        p.xref = Some(col(list_w + art_w, xref_w));
    } else if w >= TWO_PANES {
        // The panel takes the list's place, so that the article stays
        // where it is, as wide as it was (`z` gives the panel the screen).
        let list_w = (w * 30 / 100).clamp(24, 32);
        let left = Some(col(0, list_w));
        if focus == Pane::Xref {
            p.xref = left;
        } else {
            p.list = left;
        }
        p.article = Some(col(list_w, w - list_w));
    } else {
        let r = Some(col(0, w));
        match focus {
            Pane::List => p.list = r,
            Pane::Article => p.article = r,
            Pane::Xref => p.xref = r,
        }
    }
    p
}

/// The layout for the app's current size and focus.
pub fn app_panes(app: &App) -> Panes {
    panes(Rect::new(0, 0, app.width, app.height), app.focus, app.zoom)
}

/// The areas that may scroll: the inside of each pane. The terminal layer
/// scrolls one of them where that writes less than drawing it again.
pub fn scroll_areas(app: &App) -> Vec<Rect> {
    let p = app_panes(app);
    [p.list, p.article, p.xref]
        .into_iter()
        .flatten()
        .map(inner)
        .collect()
}

/// The inside of a bordered block.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// The rectangle of an overlay (help, entity browser, search results).
pub fn overlay(main: Rect) -> Rect {
    let width = main
        .width
        .saturating_sub(4)
        .min(110)
        .max(main.width.min(30));
    let height = main.height.saturating_sub(2).max(main.height.min(8));
    Rect {
        x: main.x + (main.width - width) / 2,
        y: main.y + (main.height - height) / 2,
        width,
        height,
    }
}

/// Rows taken by the document list's filter lines above the rows.
pub fn list_header_lines(app: &App) -> u16 {
    let mut n = 0;
    if !app.list.title_filter.is_empty() || app.input == Some(super::app::Field::ListFilter) {
        n += 1;
    }
    if !app.list.entities.is_empty() {
        n += 1;
    }
    n
}

/// Each document takes two lines: its title and its entity counts.
pub const LIST_ROW_HEIGHT: u16 = super::list::ROW_HEIGHT;

/// The area of the document rows, inside the list pane's border.
pub fn list_rows(app: &App, pane: Rect) -> Rect {
    let inner = inner(pane);
    let skip = list_header_lines(app).min(inner.height);
    Rect {
        y: inner.y + skip,
        height: inner.height - skip,
        ..inner
    }
}

/// How many documents fit in the list.
pub fn list_capacity(app: &App, pane: Rect) -> usize {
    usize::from((list_rows(app, pane).height / LIST_ROW_HEIGHT).max(1))
}

/// The widest the article's lines get: wider lines are hard to read (a
/// zoomed article on a wide screen is set in a centred column).
pub const MEASURE: u16 = 100;

/// The article pane's text area: a one-column gutter on the left, at most
/// [`MEASURE`] columns, centred in what is left.
pub fn article_text(pane: Rect) -> Rect {
    let inner = inner(pane);
    let room = inner.width.saturating_sub(1);
    let width = room.min(MEASURE);
    Rect {
        x: inner.x + inner.width.min(1) + (room - width) / 2,
        width,
        ..inner
    }
}

/// The parts of the cross-link panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XrefAreas {
    /// Name, kind and counts, aliases.
    pub header: Rect,
    /// "Documents" heading and one row per document.
    pub docs: Rect,
    /// Mentions in context, then co-occurring entities.
    pub list: Rect,
}

/// Lines of the cross-link header.
pub const XREF_HEADER: u16 = 3;

/// Splits the panel so that the per-document counts stay in view above the
/// scrolling list of mentions.
pub fn xref_areas(pane: Rect, n_docs: usize) -> XrefAreas {
    let inner = inner(pane);
    let header_h = XREF_HEADER.min(inner.height);
    let rest = inner.height - header_h;
    // A heading plus the rows, at most two fifths of what is left.
    let docs_cap = (rest * 2 / 5).max(3);
    let docs_h = (n_docs as u16).saturating_add(1).min(docs_cap).min(rest);
    let list_h = rest - docs_h;
    XrefAreas {
        header: Rect {
            height: header_h,
            ..inner
        },
        docs: Rect {
            y: inner.y + header_h,
            height: docs_h,
            ..inner
        },
        list: Rect {
            y: inner.y + header_h + docs_h,
            height: list_h,
            ..inner
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_panes_when_wide() {
        let p = panes(Rect::new(0, 0, 160, 48), Pane::List, false);
        let (l, a, x) = (
            p.list.unwrap_or_default(),
            p.article.unwrap_or_default(),
            p.xref.unwrap_or_default(),
        );
        assert_eq!(l.width + a.width + x.width, 160);
        assert_eq!(p.status, Rect::new(0, 47, 160, 1));
        assert!(a.width >= 50);
    }

    #[test]
    fn side_panel_swaps_in_at_80_columns() {
        let p = panes(Rect::new(0, 0, 80, 24), Pane::Article, false);
        assert!(p.list.is_some() && p.article.is_some() && p.xref.is_none());
        let p = panes(Rect::new(0, 0, 80, 24), Pane::Xref, false);
        assert!(p.list.is_none() && p.article.is_some() && p.xref.is_some());
    }

    #[test]
    fn one_pane_when_narrow_and_nothing_overflows() {
        for w in 0..200 {
            for h in 0..60 {
                for f in [Pane::List, Pane::Article, Pane::Xref] {
                    let area = Rect::new(0, 0, w, h);
                    let p = panes(area, f, false);
                    for r in [p.list, p.article, p.xref, Some(p.status)]
                        .into_iter()
                        .flatten()
                    {
                        assert!(r.right() <= w && r.bottom() <= h, "{w}x{h} {r:?}");
                    }
                    let o = overlay(p.main);
                    assert!(o.right() <= w && o.bottom() <= h.max(1), "{w}x{h} {o:?}");
                    let xa = xref_areas(Rect::new(0, 0, w, h), 7);
                    assert!(xa.list.bottom() <= h.max(2), "{w}x{h} {xa:?}");
                }
            }
        }
        let p = panes(Rect::new(0, 0, 60, 20), Pane::Xref, false);
        assert_eq!(p.xref.map(|r| r.width), Some(60));
    }

    #[test]
    fn the_panel_opens_without_moving_the_article() {
        for w in TWO_PANES..WIDE {
            let area = Rect::new(0, 0, w, 30);
            let before = panes(area, Pane::Article, false).article;
            let after = panes(area, Pane::Xref, false);
            assert_eq!(after.article, before, "{w} columns");
            assert!(after.xref.is_some() && after.list.is_none(), "{w} columns");
        }
    }

    #[test]
    fn zoom_gives_the_focused_pane_the_whole_screen() {
        for (w, h) in [(80, 24), (100, 30), (200, 60)] {
            let area = Rect::new(0, 0, w, h);
            for f in [Pane::List, Pane::Article, Pane::Xref] {
                let p = panes(area, f, true);
                assert_eq!(p.rect(f), Some(p.main), "{w}x{h} {f:?}");
                let shown = [p.list, p.article, p.xref].iter().flatten().count();
                assert_eq!(shown, 1, "{w}x{h} {f:?}");
            }
        }
        // A zoomed article is set in a readable column, centred.
        let text = article_text(panes(Rect::new(0, 0, 200, 60), Pane::Article, true).main);
        assert_eq!(text.width, MEASURE);
        assert!(text.x > 40 && text.right() < 160, "{text:?}");
        // Narrower panes keep every column they have.
        let text = article_text(Rect::new(0, 0, 80, 24));
        assert_eq!((text.x, text.width), (2, 77));
    }
}
