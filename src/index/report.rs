//! What the analyst commands print (`dossier cooc`, `dossier timeline`):
//! a table for a person, or JSON Lines with `--json`. Every string that
//! came from a file goes through the sanitiser ([`sanitize`],
//! [`to_json`]).

use super::Index;
use super::cooc::{self, Level};
use super::timeline::timeline;
use crate::entity::{EntityId, Kind};
use crate::text::safe::to_json;
use crate::text::{sanitize, truncate};
use serde_json::json;
use std::io::{self, Write};

/// A float for JSON: three decimals, enough to rank and read.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Prints the entities named with `e` at `level` (of kind `kind` when
/// given), `limit` rows at most, best first (see [`cooc::cooccurrence`]).
pub fn write_cooc(
    index: &Index,
    e: EntityId,
    level: Level,
    kind: Option<Kind>,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let counts = cooc::count(index, e, level);
    let rows = cooc::rank(index, e, &counts, kind);
    let me = index.entity(e);
    if !json {
        let (with_e, units) = (counts.with_e, counts.units);
        writeln!(
            out,
            "{} ({}): named in {with_e} of {units} {}s counted (boilerplate left out); ranked by log-likelihood",
            sanitize(&index.label(e).to_line()),
            sanitize(&me.id),
            level.as_str()
        )?;
        writeln!(
            out,
            "{:<34} {:<6} {:>6} {:>7} {:>9} {:>6}  NAME AS WRITTEN",
            "ID", "KIND", "JOINT", "OTHER", "LLR", "PMI"
        )?;
    }
    for r in rows.iter().take(limit) {
        let other = index.entity(r.entity);
        // How the corpus writes it, never a name no article uses.
        let label = index.label(r.entity).to_line();
        if json {
            let line = json!({
                "entity": other.id, "name": other.name, "label": label,
                "kind": other.kind.as_str(),
                "level": level.as_str(), "joint": r.joint, "count_e": r.count_e,
                "count_other": r.count_other, "units": r.units,
                "llr": round3(r.llr), "pmi": round3(r.pmi),
            });
            writeln!(out, "{}", to_json(&line))?;
        } else {
            writeln!(
                out,
                "{:<34} {:<6} {:>6} {:>7} {:>9.1} {:>6.2}  {}",
                truncate(&other.id, 34),
                other.kind.as_str(),
                r.joint,
                r.count_other,
                r.llr,
                r.pmi,
                truncate(&label, 60)
            )?;
        }
    }
    Ok(())
}

/// Width of the timeline table's longest bar, in cells.
const BAR_WIDTH: u32 = 40;

/// Prints entity `e`'s mentions per month (see [`timeline`]).
pub fn write_timeline(
    index: &Index,
    e: EntityId,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let t = timeline(index, e);
    let me = index.entity(e);
    if !json {
        writeln!(out, "{} ({})", sanitize(&me.name), sanitize(&me.id))?;
        writeln!(out, "{:<8} {:>8} {:>5}", "MONTH", "MENTIONS", "DOCS")?;
    }
    let peak = t.peak().max(1);
    for m in &t.months {
        if json {
            let line = json!({
                "entity": me.id, "month": m.month, "mentions": m.mentions,
                "docs": m.docs, "file_time_docs": m.file_time_docs,
            });
            writeln!(out, "{}", to_json(&line))?;
        } else {
            let bar = "█".repeat((m.mentions * BAR_WIDTH).div_ceil(peak) as usize);
            let flag = if m.file_time_docs > 0 {
                format!("  ({} dated by file time)", m.file_time_docs)
            } else {
                String::new()
            };
            writeln!(
                out,
                "{:<8} {:>8} {:>5}  {bar}{flag}",
                m.month, m.mentions, m.docs
            )?;
        }
    }
    if t.undated_docs > 0 {
        if json {
            let line = json!({
                "entity": me.id, "month": null, "mentions": t.undated_mentions,
                "docs": t.undated_docs, "file_time_docs": 0,
            });
            writeln!(out, "{}", to_json(&line))?;
        } else {
            writeln!(
                out,
                "{:<8} {:>8} {:>5}",
                "undated", t.undated_mentions, t.undated_docs
            )?;
        }
    }
    Ok(())
}
