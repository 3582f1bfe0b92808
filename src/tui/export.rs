//! Taking the cross-link view away: the panel's entity written to a file an
//! analyst can paste into a report, as Markdown (`<entity-id>.md`) or CSV
//! (`<entity-id>.csv`, the concordance, and `<entity-id>.cooc.csv`, the
//! co-occurrence table). The concordance is every mention in its context,
//! grouped by document with the document's title and date; the
//! co-occurrence table is the panel's (its level and kind filter).
//!
//! Every string that came from a file is sanitised; Markdown markup in it is
//! escaped, and a CSV field a spreadsheet would take for a formula is
//! quoted as text. Files are written through [`crate::files::write_private`]
//! (a temporary file renamed into place, mode 0600, never through a link).
//! Each document's text is read once; nothing but the current document is
//! held.

use super::action::Action;
use crate::entity::{EntityId, Kind};
use crate::files;
use crate::index::Index;
use crate::index::cooc::{self, Level};
use crate::report::concordance::Concordance;
use crate::text::{plural, sanitize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Characters of context either side of a mention.
pub const CONTEXT: usize = 60;

/// Rows of the co-occurrence table written, at most.
pub const COOC_ROWS: usize = 100;

/// What to write, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub entity: EntityId,
    pub level: Level,
    pub kind: Option<Kind>,
    pub csv: bool,
    pub dir: PathBuf,
}

/// Writes the export and says where (or why not), as the action the
/// worker hands back.
pub fn run(index: &Index, req: &ExportRequest) -> Action {
    Action::Exported(write(index, req).map_err(|e| format!("export failed: {e}")))
}

/// Writes the export; returns the paths written, for the status line.
pub fn write(index: &Index, req: &ExportRequest) -> io::Result<String> {
    if req.entity as usize >= index.entities().len() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no such entity",
        ));
    }
    let stem = files::readable_stem(&index.entity(req.entity).id);
    let rows = cooc::cooccurrence(index, req.entity, req.level, req.kind);
    let rows = &rows[..rows.len().min(COOC_ROWS)];
    let mut written: Vec<PathBuf> = Vec::new();
    if req.csv {
        let path = req.dir.join(format!("{stem}.csv"));
        files::write_private_with(&path, |w| concordance_csv(index, req.entity, w))?;
        written.push(path);
        let path = req.dir.join(format!("{stem}.cooc.csv"));
        files::write_private_with(&path, |w| cooc_csv(index, req, rows, w))?;
        written.push(path);
    } else {
        let path = req.dir.join(format!("{stem}.md"));
        files::write_private_with(&path, |w| markdown(index, req, rows, w))?;
        written.push(path);
    }
    Ok(written
        .iter()
        .map(|p| sanitize(&p.display().to_string()).into_owned())
        .collect::<Vec<_>>()
        .join(" and "))
}

/// Text for Markdown: the report module's, which `dossier xref` writes with.
pub use crate::report::concordance::md;

/// A CSV field as the table writers make it ([`crate::report::table::field`]:
/// sanitised, a formula quoted as text), quoted (RFC 4180) when it holds a
/// comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    let v = crate::report::table::field(s);
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.into_owned()
    }
}

fn markdown(
    index: &Index,
    req: &ExportRequest,
    rows: &[cooc::CoocRow],
    out: &mut dyn Write,
) -> io::Result<()> {
    let e = req.entity;
    let ent = index.entity(e);
    let stats = index.stats(e);
    writeln!(out, "# {}\n", md(&index.label(e).primary))?;
    writeln!(
        out,
        "`{}` · {} · {} in {}\n",
        md(&ent.id),
        ent.kind.as_str(),
        plural(stats.mentions as usize, "mention", "mentions"),
        plural(stats.docs as usize, "document", "documents")
    )?;
    let names = index.names(e);
    if !names.is_empty() {
        let list: Vec<String> = names
            .iter()
            .map(|n| {
                let whose = if n.from_kb { "knowledge base" } else { "text" };
                format!("{} ({}, {whose})", md(&n.form), n.count)
            })
            .collect();
        writeln!(out, "Names: {}\n", list.join(", "))?;
    }
    writeln!(
        out,
        "## Co-occurring, by {} ({})\n",
        req.level.as_str(),
        req.kind.map_or("all kinds", Kind::as_str)
    )?;
    if rows.is_empty() {
        writeln!(out, "None.\n")?;
    } else {
        writeln!(
            out,
            "| entity | kind | {0}s with both | {0}s with it | log-likelihood | PMI |",
            req.level.as_str()
        )?;
        writeln!(out, "|---|---|---:|---:|---:|---:|")?;
        for r in rows {
            let o = index.entity(r.entity);
            writeln!(
                out,
                "| {} | {} | {} | {} | {:.1} | {:.2} |",
                md(&index.label(r.entity).primary),
                o.kind.as_str(),
                r.joint,
                r.count_other,
                r.llr,
                r.pmi
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Concordance\n")?;
    for g in Concordance::new(index, e, CONTEXT).groups() {
        writeln!(out, "### {}\n", md(&g.title))?;
        let mut about = vec![format!("`{}`", md(&g.id))];
        about.extend(g.date.as_deref().map(md));
        about.push(plural(g.lines.len(), "mention", "mentions"));
        writeln!(out, "{}\n", about.join(" · "))?;
        for l in &g.lines {
            let k = &l.kwic;
            writeln!(out, "- {}**{}**{}", md(&k.before), md(&k.hit), md(&k.after))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn concordance_csv(index: &Index, e: EntityId, out: &mut dyn Write) -> io::Result<()> {
    let ent = index.entity(e);
    writeln!(
        out,
        "entity,name,kind,doc,title,date,start,end,before,text,after"
    )?;
    let (id, name) = (csv_field(&ent.id), csv_field(&index.label(e).primary));
    for g in Concordance::new(index, e, CONTEXT).groups() {
        let (doc_id, title) = (csv_field(&g.id), csv_field(&g.title));
        let date = csv_field(g.date.as_deref().unwrap_or(""));
        for l in &g.lines {
            let k = &l.kwic;
            writeln!(
                out,
                "{id},{name},{},{doc_id},{title},{date},{},{},{},{},{}",
                ent.kind.as_str(),
                l.start,
                l.end,
                csv_field(&k.before),
                csv_field(&k.hit),
                csv_field(&k.after)
            )?;
        }
    }
    Ok(())
}

fn cooc_csv(
    index: &Index,
    req: &ExportRequest,
    rows: &[cooc::CoocRow],
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "entity,name,kind,level,joint,count_entity,count_other,units,llr,pmi"
    )?;
    for r in rows {
        let o = index.entity(r.entity);
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{:.3},{:.3}",
            csv_field(&o.id),
            csv_field(&index.label(r.entity).primary),
            o.kind.as_str(),
            req.level.as_str(),
            r.joint,
            r.count_e,
            r.count_other,
            r.units,
            r.llr,
            r.pmi
        )?;
    }
    Ok(())
}

/// Where exports go: the current directory.
pub fn export_dir() -> PathBuf {
    Path::new(".").to_path_buf()
}
