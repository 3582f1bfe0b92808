//! The status line: mode, document, position and key hints; or a message,
//! indexing progress, or the search prompt.

use super::loading_text;
use crate::text;
use crate::tui::action::Action;
use crate::tui::app::{App, Field, LoadState, Overlay, Pane};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct StatusView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

/// The name of the current mode, shown at the left.
pub fn mode_name(app: &App) -> &'static str {
    match (app.input, app.overlay, &app.load) {
        (Some(Field::Search), _, _) => "SEARCH",
        (Some(_), _, _) => "FILTER",
        (_, Some(Overlay::Help), _) => "HELP",
        (_, Some(Overlay::Entities), _) => "ENTITIES",
        (_, Some(Overlay::Results), _) => "RESULTS",
        (_, _, LoadState::Loading(_)) => "LOADING",
        _ => match app.focus {
            Pane::List => "LIST",
            Pane::Article => "ARTICLE",
            Pane::Xref => "LINKS",
        },
    }
}

/// The contexts whose bindings apply now, most specific first.
pub fn contexts(app: &App) -> Vec<Context> {
    let first = match app.overlay {
        Some(Overlay::Help) => Context::Help,
        Some(Overlay::Entities) => Context::Entities,
        Some(Overlay::Results) => Context::Results,
        None => match app.focus {
            Pane::List => Context::List,
            Pane::Article => Context::Article,
            Pane::Xref => Context::Xref,
        },
    };
    vec![first, Context::Global]
}

impl StatusView<'_> {
    /// Key hints for the current mode, most useful first.
    fn hints(&self) -> Vec<(String, &'static str)> {
        let app = self.app;
        let ctx = contexts(app);
        let wanted: &[(Action, &'static str)] = match (app.overlay, app.focus) {
            (Some(Overlay::Help), _) => &[(Action::Back, "close")],
            (Some(Overlay::Entities), _) => &[
                (Action::Open, "open"),
                (Action::Filter, "filter"),
                (Action::Sort, "sort"),
                (Action::Back, "close"),
            ],
            (Some(Overlay::Results), _) => &[(Action::Open, "open"), (Action::Back, "close")],
            (None, Pane::List) => &[
                (Action::Help, "help"),
                (Action::Open, "open"),
                (Action::Filter, "filter"),
                (Action::Quit, "quit"),
            ],
            (None, Pane::Article) => &[
                (Action::Help, "help"),
                (Action::NextMention, "next"),
                (Action::ToggleXref, "links"),
                (Action::JumpBack, "back"),
                (Action::Quit, "quit"),
            ],
            (None, Pane::Xref) => &[
                (Action::Help, "help"),
                (Action::Open, "go"),
                (Action::JumpBack, "back"),
                (Action::ToggleXref, "article"),
            ],
        };
        wanted
            .iter()
            .filter_map(|(a, label)| self.keymap.key_for(&ctx, a).map(|k| (k, *label)))
            .collect()
    }

    fn position(&self) -> String {
        let app = self.app;
        let Some(index) = app.index.as_ref() else {
            return String::new();
        };
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
        if let Some(m) = app.cursor_mention()
            && let Some(e) = index.entities().get(m.entity as usize)
        {
            let form = text::truncate(index.doc(m.doc).text.get(m.range()).unwrap_or(""), 24);
            s.push_str(&format!(" {form} ({})", e.kind));
            if m.source.is_suggestion() {
                s.push_str(" suggested");
            }
        }
        s
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
        let rest = w.saturating_sub(x - area.x);
        if app.input == Some(Field::Search) {
            let prompt = format!(
                " /{}▏  Enter: search  Esc: cancel",
                text::sanitize(&app.search.query)
            );
            buf.set_stringn(
                x,
                area.y,
                text::truncate(&prompt, usize::from(rest)),
                usize::from(rest),
                theme.status,
            );
            return;
        }
        let (middle, style) = if let Some(m) = &app.message {
            (
                m.text.clone(),
                if m.error { theme.error } else { theme.message },
            )
        } else if app.index.is_none() {
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
            if middle_w.min(rest / 2) + hints_w + w + 1 > rest {
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
