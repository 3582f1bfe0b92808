//! The journal view: where the annotations are kept, whether they can be
//! saved, warnings from opening it, the decisions that cannot be applied
//! and the annotations that cannot be placed in their documents (never
//! dropped: listed here), the latest decisions in force, and the notes.

use super::{pane_block, title_line};
use crate::annotate::NoteTarget;
use crate::text::{self, plural};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::worker::READ_ONLY;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub struct JournalView<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// The lines of the journal view.
pub fn journal_lines<'a>(app: &App, theme: &Theme, width: usize) -> Vec<Vec<Span<'a>>> {
    let j = &app.journal;
    let mut out: Vec<Vec<Span<'a>>> = Vec::new();
    let path = j
        .path
        .as_ref()
        .map_or("(none)".to_string(), |p| p.display().to_string());
    out.push(vec![Span::styled("File ", theme.heading), Span::raw(path)]);
    let state = if j.read_only {
        match &j.trouble {
            Some(t) => (format!("read-only: {t}"), theme.error),
            None => (READ_ONLY.to_string(), theme.error),
        }
    } else if j.pending > 0 {
        let why = j
            .save_error
            .as_ref()
            .map(|e| format!(" ({})", text::sanitize(e)))
            .unwrap_or_default();
        (
            format!(
                "{} NOT SAVED yet{why}: retried before the next decision",
                plural(j.pending, "decision", "decisions")
            ),
            theme.error,
        )
    } else {
        ("every decision is on disk".to_string(), theme.message)
    };
    // A long reason (a path and an OS error) goes on over more lines.
    let pieces = text::wrap(&state.0, width.saturating_sub(6).max(10));
    for (i, r) in pieces.into_iter().enumerate() {
        let head = if i == 0 { "State " } else { "      " };
        out.push(vec![
            Span::styled(head, theme.heading),
            Span::styled(state.0[r].trim_end().to_string(), state.1),
        ]);
    }
    // Decisions not on disk yet are in force too: they are applied.
    let in_force = j.decisions + j.pending;
    let unsaved = if j.pending > 0 {
        format!(" ({} not saved yet)", j.pending)
    } else {
        String::new()
    };
    out.push(vec![Span::raw(format!(
        "{} in force{unsaved} · u undoes, Ctrl-r redoes",
        plural(in_force, "decision", "decisions")
    ))]);
    if !j.warnings.is_empty() {
        out.push(Vec::new());
        out.push(vec![Span::styled(
            format!("Warnings ({})", j.warnings.len()),
            theme.heading,
        )]);
        for w in &j.warnings {
            let w = text::sanitize(w).into_owned();
            for r in text::wrap(&w, width.saturating_sub(2).max(10)) {
                out.push(vec![Span::styled(format!("  {}", &w[r]), theme.error)]);
            }
        }
    }
    if !j.not_applied.is_empty() {
        out.push(Vec::new());
        out.push(vec![Span::styled(
            format!("Not applied ({})", j.not_applied.len()),
            theme.heading,
        )]);
        for (what, why) in &j.not_applied {
            out.push(vec![Span::raw(format!("  {}", text::sanitize(what)))]);
            let why = text::sanitize(why).into_owned();
            for r in text::wrap(&why, width.saturating_sub(4).max(10)) {
                out.push(vec![Span::styled(format!("    {}", &why[r]), theme.error)]);
            }
        }
    }
    out.push(Vec::new());
    out.push(vec![Span::styled(
        format!("Cannot be placed ({})", j.unplaced.len()),
        theme.heading,
    )]);
    if j.unplaced.is_empty() {
        out.push(vec![Span::styled(
            "  Every span annotation is in its document.",
            theme.muted,
        )]);
    }
    for a in &j.unplaced {
        out.push(vec![
            Span::raw(format!("  “{}”", text::sanitize(&a.exact))),
            Span::styled(
                format!(" in {} (was at {}..{})", a.doc, a.start, a.end),
                theme.muted,
            ),
        ]);
        out.push(vec![Span::styled(
            format!(
                "    …{}[{}]{}…",
                text::sanitize(&a.prefix),
                text::sanitize(&a.exact),
                text::sanitize(&a.suffix)
            ),
            theme.muted,
        )]);
    }
    out.push(Vec::new());
    out.push(vec![Span::styled(
        format!("Decisions in force ({}), newest first", j.decisions),
        theme.heading,
    )]);
    if j.recent.is_empty() {
        out.push(vec![Span::styled("  None yet.", theme.muted)]);
    }
    for (seq, what) in &j.recent {
        out.push(vec![
            Span::styled(format!("  {seq:>5}  "), theme.muted),
            Span::raw(text::sanitize(what).into_owned()),
        ]);
    }
    if j.decisions > j.recent.len() {
        out.push(vec![Span::styled(
            format!(
                "  … and {} earlier (`dossier annotations` lists them all)",
                j.decisions - j.recent.len()
            ),
            theme.muted,
        )]);
    }
    out.push(Vec::new());
    out.push(vec![Span::styled(
        format!("Notes ({})", j.notes.len()),
        theme.heading,
    )]);
    for (target, note) in &j.notes {
        let on = match target {
            NoteTarget::Mention { anchor } => format!("“{}” in {}", anchor.exact, anchor.doc),
            NoteTarget::Entity { id } => format!("entity {id}"),
            NoteTarget::Document { doc } => format!("document {doc}"),
        };
        out.push(vec![
            Span::styled(format!("  {}: ", text::sanitize(&on)), theme.muted),
            Span::raw(text::sanitize(note).into_owned()),
        ]);
    }
    out
}

impl Widget for &JournalView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let block = pane_block(
            title_line("Journal (q or Esc closes)", area.width, theme.title),
            true,
            theme,
        );
        let inner = block.inner(area);
        block.render(area, buf);
        let lines = journal_lines(self.app, theme, usize::from(inner.width.saturating_sub(1)));
        super::render_scrolled(buf, area, inner, &lines, self.app.journal_overlay.scroll);
    }
}
