//! The mouse (when it is on, with `--mouse`): a click focuses and selects
//! what it lands on in each pane, the wheel scrolls the pane under it.
use super::action::Action;
use super::app::{App, Overlay, Pane};
use super::layout::{self};
use super::mode::{Ctx, Outcome};

pub(crate) fn contains(r: ratatui::layout::Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.right() && y >= r.y && y < r.bottom()
}

/// A click: focuses and selects what it lands on. A second click on the
/// selected row opens it: that is the action returned, for the router.
pub(crate) fn click(app: &mut App, x: u16, y: u16) -> Outcome {
    let panes = layout::app_panes(app);
    if app.overlay.is_some() {
        let over = layout::inner(layout::overlay(panes.main));
        if !contains(over, x, y) {
            return Outcome::Close;
        }
        let cx = Ctx::new(app.index.as_ref(), 1);
        return match app.overlay {
            Some(Overlay::Entities) => app.browser.click(over, x, y, &cx),
            Some(Overlay::Results) => app.search.click(over, x, y, &cx),
            Some(Overlay::Picker) => match app.picker.as_mut() {
                Some(p) => p.click(over, x, y, &cx),
                None => Outcome::Consumed,
            },
            Some(Overlay::Names) => app.names.click(over, x, y, &cx),
            Some(Overlay::Shared) => app.shared.click(over, x, y, &cx),
            Some(Overlay::Timeline) => app.timeline.click(over, x, y, &cx),
            _ => Outcome::Consumed,
        };
    }
    // Each pane hit-tests its own clicks.
    for pane in [Pane::List, Pane::Article, Pane::Xref] {
        if let Some(r) = panes.rect(pane)
            && contains(r, x, y)
        {
            return match pane {
                Pane::List => {
                    app.focus = Pane::List;
                    let rows = layout::list_rows(app, r);
                    let cx = Ctx::new(app.index.as_ref(), 1);
                    app.list.click(rows, x, y, &cx)
                }
                Pane::Article => {
                    let cx = Ctx::new(app.index.as_ref(), 1);
                    app.article.click(layout::article_text(r), x, y, &cx)
                }
                Pane::Xref => {
                    let areas = layout::xref_areas(r, app.xref.docs.len());
                    let cx = Ctx::new(app.index.as_ref(), 1);
                    app.xref.click(areas.docs, areas.list, x, y, &cx)
                }
            };
        }
    }
    Outcome::Consumed
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
