//! The document list: narrowing it to the documents that mention the
//! selected entities.

use super::action::Action;
use super::app::{App, Overlay};
use super::nav::refilter_list;

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
