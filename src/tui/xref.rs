//! The cross-link panel: its sections (documents, mentions, co-occurring
//! entities) and what Enter does on each row.

use super::action::Action;
use super::app::Overlay;
use super::app::{App, Pane, XrefItem};
use super::keymap::Context;
use super::layout;
use super::mode::Effect;
use super::names::Names;
use super::nav::open_doc;
use super::nav::push_jump;
use ratatui::layout::{Position, Rect};

/// The keymap context of the cross-link panel.
pub const CONTEXT: Context = Context::Xref;

/// The status line's key hints in the cross-link panel.
pub const HINTS: &[(Action, &str)] = &[
    (Action::Help, "help"),
    (Action::Open, "go"),
    (Action::JumpBack, "back"),
    (Action::ToggleXref, "article"),
    (Action::Names, "names"),
    (Action::CoocLevel, "by"),
    (Action::CoocKind, "kind"),
    (Action::ExportMarkdown, "export"),
    (Action::ExportCsv, "csv"),
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
            // The sentences the pair shares (the other entity's cross-links
            // are a key away there).
            let pair = app.xref.entity.zip(app.xref.cooc.get(i).map(|c| c.entity));
            if let Some((a, b)) = pair {
                let level = app.xref.cooc.level;
                let effect = app.shared.ask(a, b, level);
                app.effects.push(effect);
                app.overlay = Some(Overlay::Shared);
            }
        }
        None => {}
    }
}

/// A click in the cross-link panel's pane `r`: selects the document,
/// mention or co-occurring entity clicked; a second click goes to it (the
/// action returned).
pub fn click(app: &mut App, r: Rect, x: u16, y: u16) -> Option<Action> {
    app.focus = Pane::Xref;
    let areas = layout::xref_areas(r, app.xref.docs.len());
    let at = Position::new(x, y);
    let target = if areas.docs.contains(at) && y > areas.docs.y {
        let i = app.xref.docs_offset + usize::from(y - areas.docs.y - 1);
        (i < app.xref.docs.len()).then_some(i)
    } else if areas.list.contains(at) {
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
    }?;
    let again = app.xref.selected == target;
    app.xref.selected = target;
    again.then_some(Action::Open)
}

/// Opens the names view on the panel's entity.
pub(crate) fn show_names(app: &mut App) {
    let (Some(index), Some(e)) = (app.index.as_ref(), app.xref.entity) else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    app.names = Names::of(index, e);
    app.overlay = Some(Overlay::Names);
}

/// Asks for the panel's view to be written to a file (Markdown, or CSV).
pub(crate) fn export(app: &mut App, csv: bool) {
    let Some(entity) = app.xref.entity else {
        app.set_message("Select an entity first (n in the article, or e)");
        return;
    };
    let c = &app.xref.cooc;
    app.effects.push(Effect::Export {
        entity,
        level: c.level,
        kind: c.kind,
        csv,
    });
    app.set_message("Exporting…");
}
