//! The status line: mode, document, position and key hints; or a message,
//! indexing progress, or the search prompt.

use super::loading_text;
use crate::index::query;
use crate::text;
use crate::tui;
use crate::tui::action::Action;
use crate::tui::answer::Count;
use crate::tui::app::{App, Field, LoadState, Message, Overlay, Pane, Prompt, TextFor};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct StatusView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

/// The name of the current mode, shown at the left.
pub fn mode_name(app: &App) -> &'static str {
    match &app.prompt {
        Some(Prompt::Confirm(_)) => return "CONFIRM",
        Some(Prompt::Kind(_)) => return "KIND",
        Some(Prompt::Text {
            purpose: TextFor::Rename { .. },
            ..
        }) => return "RENAME",
        Some(Prompt::Text { .. }) => return "NOTE",
        Some(Prompt::Quit { .. }) => return "QUIT",
        None => {}
    }
    match (app.input, app.overlay, &app.load) {
        (Some(Field::Search), _, _) => "SEARCH",
        (Some(Field::Picker), _, _) => "PICK",
        (Some(_), _, _) => "FILTER",
        (_, Some(Overlay::Help), _) => "HELP",
        (_, Some(Overlay::Entities), _) => "ENTITIES",
        (_, Some(Overlay::Results), _) => "RESULTS",
        (_, Some(Overlay::Picker), _) => "PICK",
        (_, Some(Overlay::Review), _) => "REVIEW",
        (_, Some(Overlay::Journal), _) => "JOURNAL",
        (_, Some(Overlay::Names), _) => "NAMES",
        (_, Some(Overlay::Shared), _) => "SHARED",
        (_, Some(Overlay::Timeline), _) => "TIMELINE",
        (_, _, LoadState::Loading(_)) => "LOADING",
        _ if app.visual.is_some() => "VISUAL",
        _ => match app.focus {
            Pane::List => "LIST",
            Pane::Article => "ARTICLE",
            Pane::Xref => "LINKS",
        },
    }
}

impl StatusView<'_> {
    /// Key hints for the current mode, most useful first.
    fn hints(&self) -> Vec<(String, &'static str)> {
        let app = self.app;
        // While typing, keys type: only the text field's own keys help.
        match app.input {
            Some(Field::ListFilter | Field::EntityFilter) => {
                let input = [Context::Input];
                return [
                    (Action::InputAccept, "keep"),
                    (Action::InputCancel, "clear"),
                ]
                .iter()
                .filter_map(|(a, label)| self.keymap.key_for(&input, a).map(|k| (k, *label)))
                .collect();
            }
            Some(_) => return Vec::new(),
            None => {}
        }
        let ctx = tui::update::contexts(app);
        let suggestion = app
            .cursor_mention()
            .is_some_and(|m| m.source.is_suggestion());
        // Each mode's hints are its own (labels; the keys come from the keymap).
        let wanted: &[(Action, &'static str)] = match (app.overlay, app.focus) {
            _ if app.prompt.is_some() => &[],
            (None, _) if app.visual.is_some() => tui::visual::HINTS,
            (Some(Overlay::Help), _) => tui::help::HINTS,
            (Some(Overlay::Journal), _) => tui::journal::HINTS,
            (Some(Overlay::Timeline), _) => tui::timeline::HINTS,
            (Some(Overlay::Review), _) => tui::review::HINTS,
            (Some(Overlay::Picker), _) => tui::picker::HINTS,
            (None, Pane::Article) if suggestion => tui::article::SUGGESTION_HINTS,
            (Some(Overlay::Entities), _) => tui::browser::HINTS,
            (Some(Overlay::Results), _) => tui::search::HINTS,
            (Some(Overlay::Names), _) => tui::names::HINTS,
            (Some(Overlay::Shared), _) => tui::shared::HINTS,
            (None, Pane::List) => tui::list::HINTS,
            (None, Pane::Article) => tui::article::HINTS,
            (None, Pane::Xref) => tui::xref::HINTS,
        };
        // While zoomed, how to give the other panes back comes first.
        let zoom = (app.zoom && app.overlay.is_none() && app.prompt.is_none())
            .then_some(&(Action::Zoom, "all panes"));
        // While a search's hits are marked in the article, the keys that
        // step through them are among its hints (after the keys for a
        // suggested link under the cursor, which is in front of the reader).
        let marked = app.overlay.is_none()
            && app.prompt.is_none()
            && app.visual.is_none()
            && app.focus == Pane::Article
            && app.search.found.shown
            && app.search.found.sought.is_some();
        type Hints = &'static [(Action, &'static str)];
        let (wanted, hits): (Hints, Hints) = match marked {
            true if wanted == tui::article::HINTS => (tui::hits::ARTICLE_HINTS, &[]),
            true => (wanted, tui::hits::HINTS),
            false => (wanted, &[]),
        };
        zoom.into_iter()
            .chain(wanted)
            .chain(hits)
            .filter_map(|(a, label)| self.keymap.key_for(&ctx, a).map(|k| (k, *label)))
            .collect()
    }

    /// The selection and how often its text occurs in the corpus.
    fn selection(&self) -> Option<String> {
        let app = self.app;
        let v = app.visual?;
        let index = app.index.as_ref()?;
        let t = index.docs().get(v.doc as usize)?.text.get(v.range())?;
        let t = crate::tui::select::flatten(t);
        let count = match Count::of(app.count.as_ref(), &t) {
            Some((0, _)) => format!("{}: this span only", query::span_only_reason(&t)),
            Some((n, d)) => format!("{n}× in the corpus ({})", text::plural(d, "doc", "docs")),
            None if query::too_short_to_match(&t) => {
                format!("{}: this span only", query::span_only_reason(&t))
            }
            None => "counting…".to_string(),
        };
        Some(format!("“{}” {count}", text::truncate(&t, 32)))
    }

    fn position(&self) -> String {
        let app = self.app;
        let Some(index) = app.index.as_ref() else {
            return String::new();
        };
        if let Some(s) = self.selection() {
            return s;
        }
        let Some(d) = app.article.doc else {
            return String::new();
        };
        let lines = app.article.lines.len().max(1);
        let line = (app.article.scroll + 1).min(lines);
        let n = index.doc_mentions(d).len();
        let mut s = format!("{}/{} L{line}/{lines}", d + 1, index.docs().len());
        if let Some(c) = app.article.cursor {
            s.push_str(&format!(" M{}/{n}", c + 1));
        }
        // The panel, when it has the focus, may show another entity than
        // the mention under the cursor: the status line names the panel's.
        if app.focus == Pane::Xref
            && let Some(x) = app.xref.entity
            && app.cursor_mention().is_none_or(|m| m.entity != x)
        {
            let e = index.entity(x);
            s.push_str(&format!(
                " · links: {} ({})",
                text::truncate(&e.name, 28),
                e.kind
            ));
            return s;
        }
        if let Some(m) = app.cursor_mention()
            && let Some(e) = index.entities().get(m.entity as usize)
        {
            let form = text::truncate(index.doc(m.doc).text.get(m.range()).unwrap_or(""), 24);
            s.push_str(&format!(" {form} ({})", e.kind));
            if m.source.is_suggestion() {
                s.push_str(" suggested");
            }
            let doc = &index.doc(m.doc).id;
            if app.journal.mention_notes.contains_key(&(
                doc.clone(),
                m.start as usize,
                m.end as usize,
            )) {
                s.push_str(" ✎note");
            }
        }
        s
    }
}

/// From this many columns on, a message is shown beside the position
/// rather than in its place.
pub const MESSAGE_BESIDE_POSITION: u16 = 100;

impl StatusView<'_> {
    /// The position from column `x`, and the message on the right in place
    /// of the hints; false (nothing drawn) when the message would not fit
    /// whole beside at least a quarter of the room for the position (its
    /// start: document, line, mention).
    fn render_beside(&self, x: u16, area: Rect, buf: &mut Buffer, m: &Message) -> bool {
        let theme = self.theme;
        let style = if m.error { theme.error } else { theme.message };
        let rest = area.right().saturating_sub(x);
        let position = format!(" {}", text::sanitize(&self.position()));
        let pending = &self.app.pending_keys;
        let message = if pending.is_empty() {
            format!("{} ", text::sanitize(&m.text))
        } else {
            format!("{pending}… {} ", text::sanitize(&m.text))
        };
        let (pos_w, msg_w) = (text::width(&position) as u16, text::width(&message) as u16);
        let gap = 2;
        let pos_room = pos_w.min(rest.saturating_sub(msg_w + gap));
        if pos_room < pos_w.min(rest / 4) {
            return false;
        }
        let shown = text::truncate(&position, usize::from(pos_room));
        buf.set_stringn(x, area.y, &shown, usize::from(pos_room), Style::default());
        buf.set_stringn(
            area.right().saturating_sub(msg_w),
            area.y,
            &message,
            usize::from(msg_w),
            style,
        );
        true
    }
}

impl Widget for &StatusView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        if area.height == 0 {
            return;
        }
        buf.set_style(area, theme.status);
        let w = area.width;
        let mode = format!(" {} ", mode_name(app));
        let mut x = area.x;
        buf.set_stringn(x, area.y, &mode, usize::from(w), theme.status_mode);
        x += mode.len() as u16;
        // Persistent warnings about the journal.
        let badge = if app.journal.read_only && app.index.is_some() {
            Some(" READ-ONLY ".to_string())
        } else if app.journal.pending > 0 {
            Some(format!(" NOT SAVED {} ", app.journal.pending))
        } else {
            None
        };
        if let Some(b) = badge
            && x + (b.len() as u16) < area.right()
        {
            buf.set_stringn(
                x,
                area.y,
                &b,
                b.len(),
                theme.error.add_modifier(Modifier::REVERSED),
            );
            x += b.len() as u16;
        }
        let rest = w.saturating_sub(x - area.x);
        if app.input == Some(Field::Search) {
            // A preselected query is shown selected (reversed): typing
            // replaces it.
            let query = text::sanitize(&app.search.query).into_owned();
            let spans = [
                (" /".to_string(), theme.status),
                (
                    query,
                    if app.search.preselected {
                        theme.status.add_modifier(Modifier::REVERSED)
                    } else {
                        theme.status
                    },
                ),
                ("▏  Enter: search  Esc: cancel".to_string(), theme.status),
            ];
            let mut left = usize::from(rest);
            let mut cx = x;
            for (s, style) in spans {
                if left == 0 {
                    break;
                }
                let s = text::truncate(&s, left);
                let (nx, _) = buf.set_stringn(cx, area.y, &s, left, style);
                left = left.saturating_sub(usize::from(nx - cx));
                cx = nx;
            }
            return;
        }
        // With room, a message goes where the hints are, so that the
        // position (where `n` went, the selection and its count) stays.
        if let Some(m) = &app.message
            && area.width >= MESSAGE_BESIDE_POSITION
            && app.index.is_some()
            && app.input.is_none()
            && self.render_beside(x, area, buf, m)
        {
            return;
        }
        let (middle, style) = if let Some(m) = &app.message {
            (
                m.text.clone(),
                if m.error { theme.error } else { theme.message },
            )
        } else if app.index.is_none() || matches!(app.load, LoadState::Loading(_)) {
            (loading_text(app), theme.status)
        } else {
            (self.position(), Style::default())
        };
        // Hints on the right: as many as fit beside the middle part.
        let middle = format!(" {}", text::sanitize(&middle));
        let middle_w = text::width(&middle) as u16;
        let mut hint_spans = Vec::new();
        let mut hints_w = 0u16;
        let pending = &app.pending_keys;
        if !pending.is_empty() {
            let p = format!("{pending}… ");
            hints_w += text::width(&p) as u16;
            hint_spans.push(Span::styled(p, theme.status_key));
        }
        for (k, label) in self.hints() {
            let label = format!(" {label}  ");
            let w = (text::width(&k) + text::width(&label)) as u16;
            // A message keeps its whole width; the position gives up half.
            let keep = if app.message.is_some() {
                middle_w
            } else {
                middle_w.min(rest / 2)
            };
            if keep + hints_w + w + 1 > rest {
                break;
            }
            hints_w += w;
            hint_spans.push(Span::styled(k, theme.status_key));
            hint_spans.push(Span::raw(label));
        }
        // Leave a space between the middle part and the hints.
        let middle_room = rest.saturating_sub(hints_w + u16::from(hints_w > 0));
        let shown = text::truncate(&middle, usize::from(middle_room));
        buf.set_stringn(x, area.y, &shown, usize::from(middle_room), style);
        if hints_w > 0 {
            buf.set_line(
                area.right() - hints_w,
                area.y,
                &Line::from(hint_spans),
                hints_w,
            );
        }
    }
}
