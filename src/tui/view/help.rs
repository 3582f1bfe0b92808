//! The help overlay, generated from the live keymap so that it always
//! matches the keys.

use super::{pane_block, title_line};
use crate::entity::Kind;
use crate::text;
use crate::tui::app::App;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct HelpView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
}

/// Columns for the keys of a help row (descriptions start after them).
const KEY_W: usize = 24;

/// The lines of the help screen, one per binding however long.
pub fn help_lines<'a>(keymap: &Keymap, theme: &Theme) -> Vec<Vec<Span<'a>>> {
    help_lines_for(keymap, theme, usize::MAX)
}

/// The lines of the help screen for a text area `width` columns wide:
/// descriptions too long for the line go on below, under themselves.
pub fn help_lines_for<'a>(keymap: &Keymap, theme: &Theme, width: usize) -> Vec<Vec<Span<'a>>> {
    let mut out: Vec<Vec<Span<'a>>> = Vec::new();
    let mut legend = vec![Span::styled("Kinds: ", theme.heading)];
    for k in Kind::ALL {
        legend.push(Span::styled(
            format!("{} {}", super::kind_letter(k), k),
            theme.entity(k),
        ));
        legend.push(Span::raw("  "));
    }
    out.push(legend);
    out.push(vec![
        Span::raw("       "),
        Span::styled("suggested link", theme.mention(Kind::Group, true)),
        Span::raw("  "),
        Span::styled("boilerplate", theme.boilerplate),
        Span::raw("  "),
        Span::styled(
            "mention under the cursor",
            theme.entity_group.patch(theme.mention_cursor),
        ),
        Span::raw("  "),
        Span::styled("selection", theme.selection),
    ]);
    for (ctx, rows) in keymap.help() {
        out.push(Vec::new());
        out.push(vec![Span::styled(ctx.title().to_string(), theme.heading)]);
        for (keys, desc) in rows {
            entry(&mut out, &keys, &desc, theme, width);
        }
    }
    out.push(Vec::new());
    let note = "Keys can be changed in $XDG_CONFIG_HOME/dossier/config.toml (see README).";
    for piece in wrapped(note, width) {
        out.push(vec![Span::styled(piece, theme.muted)]);
    }
    out
}

/// `s` in lines of at most `width` columns, broken between words.
fn wrapped(s: &str, width: usize) -> Vec<String> {
    if text::width(s) <= width {
        return vec![s.to_string()];
    }
    text::wrap(s, width.max(1))
        .into_iter()
        .map(|r| s[r].trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// One binding: keys, then the description, wrapped under itself. Keys too
/// long for their column get a line of their own.
fn entry<'a>(out: &mut Vec<Vec<Span<'a>>>, keys: &str, desc: &str, theme: &Theme, width: usize) {
    // Narrow screens give the keys a smaller column.
    let key_w = KEY_W.min(width / 3).max(4);
    let indent = 2 + key_w;
    let desc_w = width.saturating_sub(indent).max(12);
    let pieces = wrapped(desc, desc_w);
    let pad = " ".repeat(indent);
    let mut pieces = pieces.into_iter();
    if text::width(keys) <= key_w {
        let first = pieces.next().unwrap_or_default();
        out.push(vec![
            Span::styled(format!("  {}", text::fit(keys, key_w)), theme.status_key),
            Span::raw(first),
        ]);
    } else {
        out.push(vec![Span::styled(format!("  {keys}"), theme.status_key)]);
    }
    for piece in pieces {
        out.push(vec![Span::raw(pad.clone()), Span::raw(piece)]);
    }
}

impl Widget for &HelpView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let block = pane_block(
            title_line("Help: keys (q or Esc closes)", area.width, theme.title),
            true,
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let lines = help_lines_for(
            self.keymap,
            theme,
            usize::from(inner.width.saturating_sub(1)),
        );
        super::render_scrolled(buf, area, inner, &lines, self.app.help.scroll);
    }
}
