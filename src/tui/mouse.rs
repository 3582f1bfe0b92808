//! The mouse (when it is on, with `--mouse`): a click focuses and selects
//! what it lands on in each pane, the wheel scrolls the pane under it.
use super::action::Action;
use super::app::{App, Overlay, Pane};
use super::layout::{self, LIST_ROW_HEIGHT};
use super::nav::sync_xref_to_cursor;
use super::picker;
use crate::text;

pub(crate) fn contains(r: ratatui::layout::Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.right() && y >= r.y && y < r.bottom()
}

/// A click: focuses and selects what it lands on. A second click on the
/// selected row opens it: that is the action returned, for the router.
pub(crate) fn click(app: &mut App, x: u16, y: u16) -> Option<Action> {
    let panes = layout::app_panes(app);
    if app.overlay.is_some() {
        let over = layout::inner(layout::overlay(panes.main));
        if !contains(over, x, y) {
            if app.overlay == Some(Overlay::Picker) {
                picker::close_picker(app);
            }
            app.overlay = None;
            return None;
        }
        let row = usize::from(y - over.y);
        match app.overlay {
            Some(Overlay::Entities) if row >= 2 => {
                let i = app.browser.offset + row - 2;
                if i < app.browser.rows.len() {
                    let again = app.browser.selected == i;
                    app.browser.selected = i;
                    if again {
                        return Some(Action::Open);
                    }
                }
            }
            Some(Overlay::Results) if row >= 1 => {
                let i = app.search.offset + row - 1;
                if i < app.search.hits.len() {
                    let again = app.search.selected == i;
                    app.search.selected = i;
                    if again {
                        return Some(Action::Open);
                    }
                }
            }
            _ => {}
        }
        return None;
    }
    if let Some(r) = panes.list
        && contains(r, x, y)
    {
        app.focus = Pane::List;
        let rows = layout::list_rows(app, r);
        if contains(rows, x, y) {
            let i = app.list.offset + usize::from((y - rows.y) / LIST_ROW_HEIGHT);
            if i < app.list.rows.len() {
                let again = app.list.selected == i;
                app.list.selected = i;
                if again {
                    return Some(Action::Open);
                }
            }
        }
        return None;
    }
    if let Some(r) = panes.article
        && contains(r, x, y)
    {
        app.focus = Pane::Article;
        let t = layout::article_text(r);
        let (Some(index), Some(doc)) = (app.index.as_ref(), app.article.doc) else {
            return None;
        };
        let line = app.article.scroll + usize::from(y.saturating_sub(t.y));
        let range = app.article.lines.get(line).cloned()?;
        let byte = text::byte_at_column(
            &index.doc(doc).text,
            range,
            usize::from(x.saturating_sub(t.x)),
        );
        if let Some(i) = index
            .doc_mentions(doc)
            .iter()
            .position(|m| m.range().contains(&byte))
        {
            app.article.cursor = Some(i);
            sync_xref_to_cursor(app);
        }
        return None;
    }
    if let Some(r) = panes.xref
        && contains(r, x, y)
    {
        app.focus = Pane::Xref;
        let areas = layout::xref_areas(r, app.xref.docs.len());
        let target = if contains(areas.docs, x, y) && y > areas.docs.y {
            let i = app.xref.docs_offset + usize::from(y - areas.docs.y - 1);
            (i < app.xref.docs.len()).then_some(i)
        } else if contains(areas.list, x, y) {
            let row = app.xref.list_offset + usize::from(y - areas.list.y);
            let n = app.xref.mentions.len();
            let d = app.xref.docs.len();
            if (1..=n).contains(&row) {
                Some(d + row - 1)
            } else if row >= n + 3 && row - n - 3 < app.xref.cooc.len() {
                Some(d + n + row - n - 3)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(i) = target {
            let again = app.xref.selected == i;
            app.xref.selected = i;
            if again {
                return Some(Action::Open);
            }
        }
    }
    None
}

/// The wheel: focuses the pane under it and says how to scroll it (three
/// steps of the returned action), for the router.
pub(crate) fn wheel(app: &mut App, x: u16, y: u16, down: bool) -> Action {
    let panes = layout::app_panes(app);
    let action = if down { Action::Down } else { Action::Up };
    if app.overlay.is_none() {
        for pane in [Pane::List, Pane::Article, Pane::Xref] {
            if panes.rect(pane).is_some_and(|r| contains(r, x, y)) {
                app.focus = pane;
            }
        }
    }
    action
}
