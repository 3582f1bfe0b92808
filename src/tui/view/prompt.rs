//! The prompt box above the status line: a question with its keys (confirm
//! a decision, choose a kind) or a line being typed (a new name, a note).

use super::pane_block;
use crate::entity::Kind;
use crate::text;
use crate::tui::action::Action;
use crate::tui::app::{App, KindFor, Prompt, TextFor};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::prompt::CONTEXT as PROMPT;
use crate::tui::theme::Theme;
use crate::tui::{self};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct PromptView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    /// Where the answers' keys come from.
    pub keymap: &'a Keymap,
}

fn keys_line<'a>(keys: &[(String, String)], theme: &Theme) -> Line<'a> {
    let mut spans = Vec::new();
    for (i, (k, label)) in keys.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.muted));
        }
        spans.push(Span::styled(k.clone(), theme.status_key));
        spans.push(Span::raw(format!(" {label}")));
    }
    Line::from(spans)
}

fn wrapped<'a>(s: &str, width: usize, style: Style) -> Vec<Line<'a>> {
    let s = text::sanitize(s).into_owned();
    text::wrap(&s, width.max(1))
        .into_iter()
        .map(|r| Line::from(Span::styled(s[r].trim_end().to_string(), style)))
        .collect()
}

/// The title and lines of the prompt at `width` columns.
/// The keys are the keymap's, so that a rebinding shows here too.
pub fn prompt_lines<'a>(
    app: &App,
    theme: &Theme,
    keymap: &Keymap,
    width: usize,
) -> (String, Vec<Line<'a>>) {
    let Some(prompt) = &app.prompt else {
        return (String::new(), Vec::new());
    };
    let name = |id: &str| {
        app.index
            .as_ref()
            .map(|i| crate::index::query::entity_name(i, id))
            .unwrap_or_default()
    };
    match prompt {
        Prompt::Quit { .. } => {
            let retrying = matches!(prompt, Prompt::Quit { retrying: true });
            let (q, keys) = tui::prompt::quit_question(&app.journal, retrying, keymap);
            let mut lines = wrapped(&q, width, theme.error);
            let them = if app.journal.pending == 1 {
                "it to standard error as a line of JSON"
            } else {
                "them to standard error, one JSON line each,"
            };
            lines.extend(wrapped(
                &format!("Quitting anyway prints {them} and exits with status 1."),
                width,
                theme.muted,
            ));
            lines.push(keys_line(&keys, theme));
            ("Quit?".to_string(), lines)
        }
        Prompt::Confirm(c) => {
            let (q, keys) =
                tui::prompt::confirm_question(c, app.index.as_ref(), app.count.as_ref(), keymap);
            let mut lines = wrapped(&q, width, theme.title);
            lines.push(keys_line(&keys, theme));
            ("Confirm".to_string(), lines)
        }
        Prompt::Kind(purpose) => {
            let q = match purpose {
                KindFor::Tag(s) => format!(
                    "Tag “{}” as a new entity of kind:",
                    text::truncate(&s.text, 40)
                ),
                KindFor::SetKind { entity } => {
                    let now = app
                        .index
                        .as_ref()
                        .and_then(|i| i.entity_by_id(entity).map(|e| i.entity(e).kind));
                    match now {
                        Some(k) => format!("Kind of {} (now {k}):", name(entity)),
                        None => format!("Kind of {}:", name(entity)),
                    }
                }
            };
            let mut lines = wrapped(&q, width, theme.title);
            let mut spans = Vec::new();
            let kinds = Kind::ALL.into_iter().filter_map(|k| {
                let key = keymap.label_for(&[PROMPT], &Action::ChooseKind(k))?;
                Some((key, k))
            });
            for (i, (key, k)) in kinds.enumerate() {
                if i > 0 {
                    spans.push(Span::styled(" · ", theme.muted));
                }
                spans.push(Span::styled(key, theme.status_key));
                spans.push(Span::raw(" "));
                spans.push(Span::styled(k.as_str(), theme.entity(k)));
            }
            if let Some(esc) = keymap.label_for(&[PROMPT], &Action::Back) {
                spans.push(Span::styled(" · ", theme.muted));
                spans.push(Span::styled(esc, theme.status_key));
                spans.push(Span::raw(" cancel"));
            }
            lines.push(Line::from(spans));
            ("Kind".to_string(), lines)
        }
        Prompt::Text { purpose, value } => {
            let (title, q, keys) = match purpose {
                TextFor::Rename { entity } => (
                    "Rename",
                    format!("New name for {}:", name(entity)),
                    vec![
                        (Action::InputAccept, "save".to_string()),
                        (Action::InputClear, "clear".to_string()),
                        (Action::InputCancel, "cancel".to_string()),
                    ],
                ),
                TextFor::Note { targets, which } => {
                    let here = targets.get(*which).map(|(l, _)| l.as_str()).unwrap_or("");
                    let mut keys = vec![
                        (Action::InputAccept, "save".to_string()),
                        (Action::InputEditor, "editor".to_string()),
                    ];
                    if targets.len() > 1 {
                        let next = targets
                            .get((which + 1) % targets.len())
                            .map(|(l, _)| l.clone())
                            .unwrap_or_default();
                        keys.push((Action::InputTab, format!("on {next}")));
                    }
                    keys.push((Action::InputCancel, "cancel".to_string()));
                    ("Note", format!("Note on {here}:"), keys)
                }
            };
            let mut lines = wrapped(&q, width, theme.title);
            let shown = text::truncate_left(&format!("› {value}"), width.saturating_sub(1));
            lines.push(Line::from(vec![
                Span::styled(shown, theme.filter),
                Span::styled("▏", theme.filter),
            ]));
            let keys = tui::prompt::keys(keymap, Context::Input, keys);
            lines.push(keys_line(&keys, theme));
            (title.to_string(), lines)
        }
    }
}

impl Widget for &PromptView<'_> {
    fn render(self, main: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        let width = main.width.min(100);
        let inner_w = usize::from(width.saturating_sub(4));
        let (title, lines) = prompt_lines(app, theme, self.keymap, inner_w);
        if lines.is_empty() || main.height < 3 {
            return;
        }
        let h = (lines.len() as u16 + 2).min(main.height);
        let area = Rect {
            x: main.x + (main.width - width) / 2,
            y: main.bottom() - h,
            width,
            height: h,
        };
        super::clear_area(buf, area, theme.base);
        let block = pane_block(
            super::title_line(&title, area.width, theme.title),
            true,
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        for (i, line) in lines.iter().enumerate().take(usize::from(inner.height)) {
            buf.set_line(
                inner.x + 1,
                inner.y + i as u16,
                line,
                inner.width.saturating_sub(1),
            );
        }
    }
}
