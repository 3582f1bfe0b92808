//! The cross-link panel: its sections (documents, mentions, co-occurring
//! entities) and what Enter does on each row.

use super::action::Action;
use super::app::{App, XrefItem};
use super::nav::push_jump;
use super::nav::{open_doc, set_xref_entity};

/// The status line's key hints in the cross-link panel.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "go"),
    (Action::JumpBack, "back"),
    (Action::ToggleXref, "article"),
];

pub(crate) fn step_section(app: &mut App, forward: bool) {
    let x = &mut app.xref;
    let starts = [0, x.docs.len(), x.docs.len() + x.mentions.len()];
    let sizes = [x.docs.len(), x.mentions.len(), x.cooc.len()];
    let here = match x.selected_item() {
        Some(XrefItem::Doc(_)) => 0,
        Some(XrefItem::Mention(_)) => 1,
        Some(XrefItem::Cooc(_)) => 2,
        None => return,
    };
    let mut s = here;
    loop {
        s = if forward { (s + 1) % 3 } else { (s + 2) % 3 };
        if s == here {
            return;
        }
        if sizes[s] > 0 {
            x.selected = starts[s];
            return;
        }
    }
}

pub(crate) fn open_xref_item(app: &mut App) {
    match app.xref.selected_item() {
        Some(XrefItem::Doc(i)) => {
            let Some(&(doc, _)) = app.xref.docs.get(i) else {
                return;
            };
            let first = app.index.as_ref().and_then(|index| {
                let i = app.xref.mentions.count_before(index, doc, 0, false);
                app.xref.mentions.get(i, index).filter(|m| m.doc == doc)
            });
            if let Some(m) = first {
                push_jump(app);
                open_doc(app, m.doc, Some(m.start as usize));
            }
        }
        Some(XrefItem::Mention(i)) => {
            if let Some(m) = app
                .index
                .as_ref()
                .and_then(|index| app.xref.mentions.get(i, index))
            {
                push_jump(app);
                open_doc(app, m.doc, Some(m.start as usize));
            }
        }
        Some(XrefItem::Cooc(i)) => {
            if let Some(c) = app.xref.cooc.get(i).copied() {
                push_jump(app);
                set_xref_entity(app, c.entity);
            }
        }
        None => {}
    }
}
