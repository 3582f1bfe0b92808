//! Times the analyst queries for the most mentioned entity of a corpus:
//! its names, label, timeline, co-occurrence at each level and shared
//! sentences, and an entity search.
//!
//! `cargo run --release --example analyst_timing -- CORPUS` (the index
//! cache is used as the reader uses it).

use dossier::index::cooc::{self, Level};
use dossier::index::{query, timeline};
use dossier::load::{OpenOptions, open_read_only};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args_os()
        .nth(1)
        .ok_or("usage: analyst_timing CORPUS")?;
    let t = Instant::now();
    let opts = OpenOptions {
        path: Some(path.into()),
        cache: true,
        ..OpenOptions::default()
    };
    let ws = open_read_only(&opts, &mut |_| {})?;
    let index = ws.index();
    println!(
        "opened {} documents, {} mentions in {:.2} s",
        index.docs().len(),
        index.mention_count(),
        t.elapsed().as_secs_f64()
    );
    let top = (0..index.entities().len() as u32)
        .max_by_key(|&e| index.stats(e).mentions)
        .ok_or("no entities")?;
    let s = index.stats(top);
    println!(
        "top entity {} ({} mentions in {} documents)",
        index.entity(top).id,
        s.mentions,
        s.docs
    );
    // Wall time, and the process's processor time (all threads): on a
    // busy machine the second says what the work costs.
    let time = |what: &str, f: &mut dyn FnMut() -> String| {
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let said = f();
        println!(
            "{what:<24} {:>7.3} s wall {:>7.3} s cpu  {said}",
            t.elapsed().as_secs_f64(),
            cpu_seconds() - cpu
        );
    };
    // What the cross-link panel asks when it opens the entity (the first
    // time after a cached start, its lists are read from the cache).
    time("panel: places by doc", &mut || {
        format!("{} documents", index.entity_doc_counts(top).len())
    });
    time("panel: aka", &mut || {
        format!("{} spellings", index.aliases_seen(top).len())
    });
    time("names", &mut || {
        format!("{} spellings", index.names(top).len())
    });
    time("label", &mut || index.label(top).to_line());
    time("timeline", &mut || {
        format!("{} months", timeline::timeline(index, top).months.len())
    });
    time("entity search", &mut || {
        let hits = query::entity_search(index, &format!("={}", index.entity(top).id));
        format!("{} hits", hits.map_or(0, |h| h.hits.len()))
    });
    let mut best = None;
    for level in [Level::Document, Level::Paragraph, Level::Sentence] {
        time(&format!("cooc {}", level.as_str()), &mut || {
            let rows = cooc::cooccurrence(index, top, level, None);
            best = rows.first().map(|r| r.entity);
            format!("{} rows", rows.len())
        });
    }
    if let Some(other) = best {
        time("shared sentences (20)", &mut || {
            let n = cooc::shared_units(index, top, other, Level::Sentence, 20).len();
            format!("{n} with {}", index.entity(other).id)
        });
    }
    time("labels (every entity)", &mut || {
        format!("{} labels", index.labels().len())
    });
    std::mem::forget(ws);
    Ok(())
}

/// User and system time of this process so far, in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}
