//! The mouse (when it is on, with `--mouse`): a click focuses and selects
//! what it lands on in each pane, the wheel scrolls the pane under it.
use super::action::Action;
use super::app::{App, Overlay, Pane};
use super::layout::{self};
use super::picker;

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
    // Each pane hit-tests its own clicks.
    for pane in [Pane::List, Pane::Article, Pane::Xref] {
        if let Some(r) = panes.rect(pane)
            && contains(r, x, y)
        {
            return match pane {
                Pane::List => super::list::click(app, r, x, y),
                Pane::Article => super::article::click(app, r, x, y),
                Pane::Xref => super::xref::click(app, r, x, y),
            };
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
