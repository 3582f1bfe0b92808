//! The document list: narrowing it to the documents that mention the
//! selected entities.

use super::action::Action;
use super::app::{App, Overlay, Pane};
use super::keymap::Context;
use super::layout::{self, LIST_ROW_HEIGHT};
use super::nav::refilter_list;
use ratatui::layout::{Position, Rect};

/// The keymap context of the document list.
pub const CONTEXT: Context = Context::List;

/// The status line's key hints in the document list.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "open"),
    (Action::Filter, "filter"),
    (Action::Quit, "quit"),
];

pub(crate) fn mark_entity(app: &mut App) {
    let e = match app.overlay {
        Some(Overlay::Entities) => app.browser.rows.get(app.browser.selected).copied(),
        _ => app.xref.entity,
    };
    let Some(e) = e else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    let l = &mut app.list;
    if let Some(p) = l.entities.iter().position(|&x| x == e) {
        l.entities.remove(p);
    } else {
        l.entities.push(e);
    }
    refilter_list(app);
    let Some(index) = app.index.as_ref() else {
        return;
    };
    let names: Vec<&str> = app
        .list
        .entities
        .iter()
        .map(|&e| index.entity(e).name.as_str())
        .collect();
    let n = app.list.rows.len();
    if names.is_empty() {
        app.set_message("Entity filter cleared");
    } else {
        let docs = if n == 1 {
            "1 document mentions".to_string()
        } else {
            format!("{n} documents mention")
        };
        app.set_message(format!("{docs} {}", names.join(" + ")));
    }
}

/// A click in the document list's pane `r`: selects the row; a second
/// click on it opens it (the action returned).
pub fn click(app: &mut App, r: Rect, x: u16, y: u16) -> Option<Action> {
    app.focus = Pane::List;
    let rows = layout::list_rows(app, r);
    if !rows.contains(Position::new(x, y)) {
        return None;
    }
    let i = app.list.offset + usize::from((y - rows.y) / LIST_ROW_HEIGHT);
    if i >= app.list.rows.len() {
        return None;
    }
    let again = app.list.selected == i;
    app.list.selected = i;
    again.then_some(Action::Open)
}
