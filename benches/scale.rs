//! The scale benchmark: what the reader costs as a corpus grows, measured
//! the same way every time, so that each later change can be compared.
//!
//! ```text
//! cargo bench --bench scale -- CORPUS_DIR [--sizes 1000,10000,100000]
//!     [--limit-seconds S[,S…]] [--json FILE]
//! ```
//!
//! CORPUS_DIR is a corpus made by `make-corpus.sh` (the directory holding
//! `corpus/`, or `corpus/` itself). For each size N the first N files in
//! sorted path order are taken (hard-linked into a temporary directory, or
//! copied when hard links fail; the whole corpus is used in place), and one
//! row of one markdown table is printed. Without CORPUS_DIR it prints its
//! usage and exits: it measures, it asserts nothing.
//!
//! Each row, in this order of work:
//! - the bare-scan limit: `limit.sh ALIASES DIR` (next to the corpus
//!   generator), with ALIASES the default knowledge base's names and
//!   aliases, run in the same session; `--limit-seconds` gives the figures
//!   instead (one per size) and skips the scan;
//! - in process: the load (`load::load_corpus`), a bare match of the
//!   default knowledge base over every text (one thread), the engine's
//!   stages (from its progress callback) and `Index::new`;
//! - opening the entity with the most mentions in the cross-link panel,
//!   and one frame of each pane (and of the whole screen) at 80x24 and
//!   200x60 into a `TestBackend`;
//! - one decision through `Workspace::decide`, with an empty journal and
//!   with one of 10,000 decisions;
//! - the peak RSS of `dossier docs DIR` (its VmHWM, read while it runs);
//! - the reader in a pseudo-terminal: time to its first frame, and to the
//!   first document title in its list.

use dossier::annotate::journal::{Action as JournalAction, Entry};
use dossier::annotate::{Anchor, Journal, Op, Workspace};
use dossier::corpus::Corpus;
use dossier::entity::matcher::{MatcherBuilder, Target};
use dossier::entity::{Analysis, Engine, EntityId, KnowledgeBase, Progress, Source};
use dossier::index::Index;
use dossier::load::{self, OpenOptions};
use dossier::tui::action::Action;
use dossier::tui::app::{App, Pane};
use dossier::tui::keymap::Keymap;
use dossier::tui::layout;
use dossier::tui::theme::{ColorDepth, Theme};
use dossier::tui::update;
use dossier::tui::view::{self, ArticleView, DocListView, Screen, XrefView};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo bench --bench scale -- CORPUS_DIR [--sizes N,N,...] [--limit-seconds S,S,...] [--json FILE]

  CORPUS_DIR        a corpus made by make-corpus.sh (the directory holding corpus/, or corpus/ itself)
  --sizes           numbers of files to take, in sorted path order (default 1000,10000,100000;
                    sizes above the corpus are left out)
  --limit-seconds   the bare-scan limit for each size, instead of running limit.sh
  --json FILE       also write each row as a line of JSON to FILE

The limit script is ../shared/bench/limit.sh beside this project, or $DOSSIER_LIMIT_SH.

Prints the machine, the date, the command and one markdown table, a row per size.
Takes minutes at 100,000 files; run it at `nice -n 10` on a shared machine.";

const LEGEND: &str = "\
- MB are 10^6 bytes of the files; throughputs are those bytes over the time.
- full index: load + Engine::analyse_with_progress + Index::new with the word signatures, in process. Stages come from the
  engine's progress reports (KB = the knowledge base's matcher, before \"learning\"; wrap-up = after
  \"done\" until analyse returns); \"matching\" is first reported after a batch, whose time is
  estimated from the rest.
- limit: limit.sh (bare aho-corasick DFA scan, all cores, median of 3) with the default KB's names and aliases.
- peak RSS: `dossier docs DIR` (its VmHWM, polled every 5 ms) on a hard-linked copy of the files, with
  no cache yet; × corpus = over the corpus bytes.
- cached restart: the same command again. One file changed: then a paragraph naming a new person
  is added to one file (a new file in the copy, the original untouched) and the command run again:
  only that file is analysed again, from the cache and the engine's digest beside it.
- first frame / first titles: the reader in an 80x24 pseudo-terminal, from spawn.
- open top entity: the cross-link panel's calls (update::set_xref_entity) + KWIC for 60 rows.
- frame: median of 9 renders into a TestBackend buffer, each pane focused, and the whole screen.
- decision: Workspace::decide (RejectSpan), with an empty journal and with 10,000 decisions in it;
  then, on the 10,000-line journal: undo (Workspace::undo), a link of the top entity's surface form
  in one document to another entity (LinkSpan), a tag of that surface form in every document as a
  new entity (LinkText), a tag of a rare name (an entity named 5 to 50 times; the word signatures
  say which documents to read), and the copy of the index handed to the screen after a decision (Index::clone).";

/// Decisions written to the journal before the second decision is timed.
const JOURNAL_LINES: usize = 10_000;
/// Rows of the cross-link panel whose keyword-in-context lines are timed.
const KWIC_ROWS: usize = 60;
/// How long the reader may take to show its titles.
const READER_TIMEOUT: Duration = Duration::from_secs(900);
/// Frames drawn per pane and size; the median is reported.
const FRAMES: usize = 9;

struct Args {
    corpus: PathBuf,
    sizes: Vec<usize>,
    limits: Option<Vec<f64>>,
    json: Option<PathBuf>,
    command: String,
}

fn parse_args() -> Result<Option<Args>, String> {
    // `cargo bench` passes `--bench` to every bench program.
    let raw: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let command = format!("cargo bench --bench scale -- {}", raw.join(" "));
    let mut corpus = None;
    let mut sizes = vec![1_000, 10_000, 100_000];
    let mut limits = None;
    let mut json = None;
    let mut it = raw.into_iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "-h" | "--help" => return Ok(None),
            "--sizes" => {
                sizes = list(&value("--sizes")?)?;
            }
            "--limit-seconds" => limits = Some(list(&value("--limit-seconds")?)?),
            "--json" => json = Some(PathBuf::from(value("--json")?)),
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            _ if corpus.is_none() => corpus = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    let Some(corpus) = corpus else {
        return Ok(None);
    };
    if limits.as_ref().is_some_and(|l| l.len() != sizes.len()) {
        return Err("--limit-seconds needs one figure per size".into());
    }
    Ok(Some(Args {
        corpus,
        sizes,
        limits,
        json,
        command,
    }))
}

fn list<T: std::str::FromStr>(s: &str) -> Result<Vec<T>, String> {
    s.split(',')
        .map(|x| x.trim().parse().map_err(|_| format!("bad number {x:?}")))
        .collect()
}

fn main() {
    let args = match parse_args() {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return;
        }
        Err(e) => {
            eprintln!("scale: {e}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("scale: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Result<(), String> {
    let root = if args.corpus.join("corpus").is_dir() {
        args.corpus.join("corpus")
    } else {
        args.corpus.clone()
    };
    let all = files_in(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    if all.is_empty() {
        return Err(format!("{}: no files", root.display()));
    }
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let aliases = work.path().join("aliases.txt");
    write_aliases(&aliases).map_err(|e| e.to_string())?;
    let mut json_out = match &args.json {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| format!("{}: {e}", p.display()))?),
        None => None,
    };

    println!("## dossier scale benchmark\n");
    println!("- machine: {}", machine());
    println!("- date: {}", date());
    println!("- command: `{}`", args.command);
    println!("- corpus: {} ({} files)", root.display(), all.len());
    println!("{LEGEND}\n");
    println!(
        "| files | MB | load MB/s | KB match MB/s (1 thread) | full index s | stages s: load / KB / learn / match / names / wrap-up / Index::new + words | limit s | index / limit | peak RSS MB (× corpus) | first frame s | first titles s | open top entity ms | frame ms 80x24: list / article / xref / screen | frame ms 200x60: list / article / xref / screen | cached restart (`dossier docs`) | one file changed (`dossier docs`) | decision ms: empty / 10k journal / undo / link / tag of the top name / tag of a rare name / copy |"
    );
    println!("|{}", "---|".repeat(17));

    for (i, &n) in args.sizes.iter().enumerate() {
        if n > all.len() {
            eprintln!(
                "scale: {n} files asked for, the corpus has {}; size left out",
                all.len()
            );
            continue;
        }
        let limit = args.limits.as_ref().map(|l| l[i]);
        let row = measure(&root, &all, n, &aliases, limit, work.path())?;
        println!("{}", markdown(&row));
        if let Some(f) = json_out.as_mut() {
            writeln!(f, "{row}").map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// One size.

fn measure(
    root: &Path,
    all: &[(PathBuf, u64)],
    n: usize,
    aliases: &Path,
    given_limit: Option<f64>,
    work: &Path,
) -> Result<Value, String> {
    let chosen = &all[..n];
    let bytes: u64 = chosen.iter().map(|(_, b)| b).sum();
    // Always a linked copy, the whole corpus too: a file of it is changed
    // below, and the corpus given must not be.
    let subset_dir = work.join(format!("n{n}"));
    eprintln!("[{n}] linking the first {n} files…");
    make_subset(root, chosen, &subset_dir).map_err(|e| e.to_string())?;
    let dir = subset_dir.clone();
    let mut row = json!({
        "files": n,
        "bytes": bytes,
        "mb": bytes as f64 / 1e6,
    });

    // The bare-scan limit (first: it also warms the page cache).
    match given_limit {
        Some(s) => {
            row["limit_s"] = json!(s);
            row["limit_note"] = json!("given");
        }
        None => {
            eprintln!("[{n}] limit.sh…");
            match run_limit(aliases, &dir) {
                Ok(s) => row["limit_s"] = json!(s),
                Err(e) => row["limit_note"] = json!(e),
            }
        }
    }

    // Load, bare KB match, the engine and the index, in process.
    eprintln!("[{n}] load and index…");
    let opts = OpenOptions {
        path: Some(dir.clone()),
        ..OpenOptions::default()
    };
    let kb = load::knowledge_base(&opts).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let corpus = load::load_corpus(&opts).map_err(|e| e.to_string())?;
    let load_s = t.elapsed().as_secs_f64();
    row["docs"] = json!(corpus.docs.len());
    row["load_s"] = json!(load_s);
    row["load_mbps"] = json!(bytes as f64 / 1e6 / load_s);
    let match_s = kb_match(&corpus);
    row["kb_match_s"] = json!(match_s);
    row["kb_match_mbps"] = json!(bytes as f64 / 1e6 / match_s);

    let mut marks: Vec<(&'static str, Instant, usize, usize)> = Vec::new();
    let analyse_start = Instant::now();
    let t = analyse_start;
    let analysis = Engine::new(kb).analyse_with_progress(&corpus, &mut |p: Progress| {
        if marks.last().is_none_or(|m| m.0 != p.stage) {
            marks.push((p.stage, Instant::now(), p.done, p.total));
        }
    });
    let analyse_s = t.elapsed().as_secs_f64();
    let base = analysis.clone();
    let t = Instant::now();
    // The word signatures are part of indexing (as in `dossier`'s own
    // open): counted with `Index::new`.
    corpus.words.set(dossier::index::words::build(&corpus));
    let index = Index::new(corpus, analysis);
    let index_new_s = t.elapsed().as_secs_f64();
    let stages = stage_times(analyse_start, &marks, analyse_s, load_s, index_new_s);
    row["stages_s"] = stages;
    let full = load_s + analyse_s + index_new_s;
    row["index_s"] = json!(full);
    row["mentions"] = json!(index.mention_count());
    row["entities"] = json!(index.entities().len());
    if let Some(l) = row["limit_s"].as_f64() {
        row["index_over_limit"] = json!(full / l);
    }

    // The cross-link panel on the most mentioned entity, and the frames.
    eprintln!("[{n}] panel, frames and decisions…");
    let top = (0..index.entities().len() as EntityId)
        .max_by_key(|&e| (index.stats(e).mentions, std::cmp::Reverse(e)))
        .unwrap_or(0);
    let mut app = App::new(dir.display().to_string(), 80, 24);
    let t = Instant::now();
    update::index_ready(&mut app, Ok(index));
    row["index_ready_ms"] = json!(ms(t));
    row["top_entity"] = json!(open_top_entity(&mut app, top));
    row["frames_ms"] = json!({
        "80x24": frames(&mut app, 80, 24),
        "200x60": frames(&mut app, 200, 60),
    });

    // Decisions.
    let corpus = app
        .index
        .as_ref()
        .map(|i| i.shared_corpus())
        .ok_or("no index")?;
    drop(app);
    row["decision_ms"] = match decisions(&corpus, &base, top, work) {
        Ok(v) => v,
        Err(e) => json!({ "note": e }),
    };
    drop((corpus, base));

    // The real binary: peak memory, then the reader in a terminal.
    eprintln!("[{n}] dossier docs (peak RSS)…");
    match peak_rss(&dir, work) {
        Ok((kb, secs)) => {
            row["peak_rss_mb"] = json!(kb as f64 * 1024.0 / 1e6);
            row["rss_over_corpus"] = json!(kb as f64 * 1024.0 / bytes as f64);
            row["docs_cmd_s"] = json!(secs);
        }
        Err(e) => row["peak_rss_note"] = json!(e),
    }
    eprintln!("[{n}] the reader in a pseudo-terminal…");
    match reader_times(&dir, work) {
        Ok(v) => row["reader"] = v,
        Err(e) => row["reader"] = json!({ "note": e }),
    }
    // The same command again: the index cache written by the first run.
    eprintln!("[{n}] dossier docs again (cached restart)…");
    row["cached_restart"] = match peak_rss(&dir, work) {
        Ok((kb, secs)) => json!({ "s": secs, "peak_rss_mb": kb as f64 * 1024.0 / 1e6 }),
        Err(e) => json!({ "note": e }),
    };
    // One file changed (a new person named in it): only it is analysed
    // again, from the cache and its digest.
    eprintln!("[{n}] one file changed, dossier docs again…");
    row["changed_restart"] = match change_one(&dir, &chosen[n / 2].0) {
        Ok(()) => match peak_rss(&dir, work) {
            Ok((kb, secs)) => json!({ "s": secs, "peak_rss_mb": kb as f64 * 1024.0 / 1e6 }),
            Err(e) => json!({ "note": e }),
        },
        Err(e) => json!({ "note": e.to_string() }),
    };

    let _ = std::fs::remove_dir_all(&subset_dir);
    Ok(row)
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

/// Every file under `root` (relative path, size), in sorted path order.
fn files_in(root: &Path) -> std::io::Result<Vec<(PathBuf, u64)>> {
    fn walk(root: &Path, rel: &Path, out: &mut Vec<(PathBuf, u64)>) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(rel))?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let meta = std::fs::metadata(e.path())?;
            let p = rel.join(e.file_name());
            if meta.is_dir() {
                walk(root, &p, out)?;
            } else if meta.is_file() {
                out.push((p, meta.len()));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, Path::new(""), &mut out)?;
    Ok(out)
}

/// `dest` with the chosen files hard-linked (or copied) at the same paths.
fn make_subset(root: &Path, chosen: &[(PathBuf, u64)], dest: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_dir_all(dest);
    std::fs::create_dir_all(dest)?;
    for (rel, _) in chosen {
        let to = dest.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let from = root.join(rel);
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to)?;
        }
    }
    Ok(())
}

/// Adds a paragraph naming a new person to the file `rel` of the linked
/// copy `dir`, as a new file in its place (the original is not touched).
fn change_one(dir: &Path, rel: &Path) -> std::io::Result<()> {
    let path = dir.join(rel);
    let mut text = std::fs::read(&path)?;
    text.extend_from_slice(
        b"\n\nThe analyst Zarina Quddusi told reporters the talks had stalled. Quddusi added that more was coming.\n",
    );
    std::fs::remove_file(&path)?;
    std::fs::write(&path, text)
}

/// The default knowledge base's names and aliases, one per line.
fn write_aliases(path: &Path) -> std::io::Result<()> {
    let kb = KnowledgeBase::default_kb();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = String::new();
    for e in kb.entities() {
        for a in std::iter::once(&e.name).chain(&e.aliases) {
            if !a.trim().is_empty() && !a.contains('\n') && seen.insert(a.as_str()) {
                out.push_str(a);
                out.push('\n');
            }
        }
    }
    std::fs::write(path, out)
}

/// Runs `limit.sh` (next to the corpus generator, beside this project):
/// the median seconds of a bare scan.
fn run_limit(aliases: &Path, dir: &Path) -> Result<f64, String> {
    let script = std::env::var_os("DOSSIER_LIMIT_SH")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/limit.sh"));
    if !script.is_file() {
        return Err(format!(
            "n/a (limit.sh not found at {}; set DOSSIER_LIMIT_SH)",
            script.display()
        ));
    }
    let out = Command::new("bash")
        .arg(&script)
        .arg(aliases)
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("n/a (cannot run limit.sh: {e})"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or("").trim();
    let figure = if last.starts_with('.') {
        format!("0{last}")
    } else {
        last.to_string()
    };
    match figure.parse::<f64>() {
        Ok(s) if out.status.success() => Ok(s),
        _ => {
            let err = String::from_utf8_lossy(&out.stderr);
            let why = err.lines().last().unwrap_or("no figure").trim().to_string();
            Err(format!("n/a (limit.sh failed: {why})"))
        }
    }
}

/// Seconds to match the default knowledge base over every text, on one
/// thread, as `benches/throughput.rs` does.
fn kb_match(corpus: &Corpus) -> f64 {
    let kb = KnowledgeBase::default_kb();
    let mut b = MatcherBuilder::new();
    for (i, e) in kb.entities().iter().enumerate() {
        for a in std::iter::once(&e.name).chain(&e.aliases) {
            b.add(a, Target::for_alias(a, i as u32, Source::Kb, 100));
        }
    }
    let matcher = b.build();
    let t = Instant::now();
    let mut found = 0usize;
    for d in &corpus.docs {
        found += matcher.find_all(&d.text.fetch()).len();
    }
    std::hint::black_box(found);
    t.elapsed().as_secs_f64()
}

/// The engine's stages from its progress reports. "matching" is first
/// reported after its first batch; that batch's time is estimated from the
/// rate of the rest and moved from "learning" to "matching".
fn stage_times(
    start: Instant,
    marks: &[(&'static str, Instant, usize, usize)],
    analyse_s: f64,
    load_s: f64,
    index_new_s: f64,
) -> Value {
    let at = |stage: &str| marks.iter().find(|m| m.0 == stage);
    let mut out = json!({ "loading": load_s, "index_new": index_new_s });
    let (Some(learn), Some(names), Some(done)) = (at("learning"), at("names"), at("done")) else {
        out["note"] = json!("stages not reported");
        out["analysis"] = json!(analyse_s);
        return out;
    };
    let match_start = match at("matching") {
        Some(&(_, t1, done1, total)) if total > done1 && done1 > 0 => {
            let rest = names.1.duration_since(t1).as_secs_f64();
            let first = rest * done1 as f64 / (total - done1) as f64;
            t1.checked_sub(Duration::from_secs_f64(first))
                .unwrap_or(t1)
                .max(learn.1)
        }
        Some(m) => m.1,
        None => names.1,
    };
    out["learning"] = json!(match_start.duration_since(learn.1).as_secs_f64());
    out["matching"] = json!(names.1.duration_since(match_start).as_secs_f64());
    out["names"] = json!(done.1.duration_since(names.1).as_secs_f64());
    // Before "learning": the knowledge base's matcher; after "done": the
    // return, with the engine's working data dropped.
    out["kb"] = json!(learn.1.duration_since(start).as_secs_f64());
    out["wrap_up"] = json!((analyse_s - done.1.duration_since(start).as_secs_f64()).max(0.0));
    out
}

// ---------------------------------------------------------------------------
// The cross-link panel and the frames.

fn open_top_entity(app: &mut App, top: EntityId) -> Value {
    let Some(index) = app.index.as_ref() else {
        return json!({ "note": "no index" });
    };
    let ent = index.entity(top);
    let stats = index.stats(top);
    let mut v = json!({
        "id": ent.id,
        "mentions": stats.mentions,
        "docs": stats.docs,
    });
    let t = Instant::now();
    std::hint::black_box(index.stats(top));
    v["stats_ms"] = json!(ms(t));
    let t = Instant::now();
    std::hint::black_box(index.entity_mentions(top).count());
    v["entity_mentions_ms"] = json!(ms(t));
    let t = Instant::now();
    std::hint::black_box(index.entity_mentions_by_doc(top));
    v["mentions_by_doc_ms"] = json!(ms(t));
    let t = Instant::now();
    std::hint::black_box(index.aliases_seen(top));
    v["aliases_seen_ms"] = json!(ms(t));
    let t = Instant::now();
    std::hint::black_box(dossier::index::cooc::cooccurrence(
        index,
        top,
        dossier::index::cooc::Level::Document,
        None,
    ));
    v["cooccurring_ms"] = json!(ms(t));
    let t = Instant::now();
    let lines: Vec<_> = index
        .entity_mentions(top)
        .take(KWIC_ROWS)
        .map(|m| index.kwic(m, 60))
        .collect();
    std::hint::black_box(lines);
    let kwic_ms = ms(t);
    v["kwic_screen_ms"] = json!(kwic_ms);
    let first = index.entity_mentions(top).next().copied();

    // What the reader does: open a document where it is mentioned, then
    // put the panel on it (all of the calls above but KWIC, which the
    // panel's view makes as it draws).
    if let Some(m) = first {
        update::open_doc(app, m.doc, Some(m.start as usize));
    }
    let t = Instant::now();
    update::set_xref_entity(app, top);
    let panel_ms = ms(t);
    v["set_xref_entity_ms"] = json!(panel_ms);
    v["total_ms"] = json!(panel_ms + kwic_ms);
    v
}

/// Median milliseconds to draw each pane, focused, and the whole screen.
fn frames(app: &mut App, w: u16, h: u16) -> Value {
    let theme = match Theme::load(Some("dark"), ColorDepth::TrueColor) {
        Ok(t) => t,
        Err(e) => return json!({ "note": e.to_string() }),
    };
    let keymap = Keymap::default();
    update::update(app, Action::Resize(w, h));
    let focus = app.focus;
    let mut out = json!({});
    for (name, pane) in [
        ("list", Pane::List),
        ("article", Pane::Article),
        ("xref", Pane::Xref),
    ] {
        app.focus = pane;
        let Some(rect) = layout::app_panes(app).rect(pane) else {
            out[name] = json!(null);
            continue;
        };
        let app: &App = app;
        out[name] = json!(median(|| {
            let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
            let t = Instant::now();
            match pane {
                Pane::List => DocListView {
                    app,
                    theme: &theme,
                    keymap: &keymap,
                }
                .render(rect, &mut buf),
                Pane::Article => ArticleView { app, theme: &theme }.render(rect, &mut buf),
                Pane::Xref => XrefView { app, theme: &theme }.render(rect, &mut buf),
            }
            let e = ms(t);
            std::hint::black_box(buf);
            e
        }));
    }
    app.focus = if w >= 160 { focus } else { Pane::Article };
    let app: &App = app;
    out["screen"] = json!(median(|| {
        let Ok(mut terminal) = Terminal::new(TestBackend::new(w, h));
        let t = Instant::now();
        let drawn = terminal.draw(|f| {
            view::draw(
                f,
                &Screen {
                    app,
                    theme: &theme,
                    keymap: &keymap,
                },
            )
        });
        let e = ms(t);
        if drawn.is_err() { f64::NAN } else { e }
    }));
    out
}

fn median(mut f: impl FnMut() -> f64) -> f64 {
    let mut xs: Vec<f64> = (0..FRAMES).map(|_| f()).collect();
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

// ---------------------------------------------------------------------------
// Decisions.

/// One decision (rejecting one mention of `top`) with an empty journal,
/// then with a journal of [`JOURNAL_LINES`] decisions.
fn decisions(
    corpus: &Arc<Corpus>,
    base: &Analysis,
    top: EntityId,
    work: &Path,
) -> Result<Value, String> {
    let err = |e: dossier::annotate::JournalError| e.with_causes();
    let dir = work.join("journal");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("annotations.jsonl");
    let reject = |m: &dossier::entity::Mention| {
        let doc = &corpus.docs[m.doc as usize];
        Op::RejectSpan {
            anchor: Anchor::new(&doc.id, &doc.text, m.range()),
        }
    };
    let target = base
        .mentions
        .iter()
        .find(|m| m.entity == top)
        .or(base.mentions.first())
        .ok_or("no mentions")?;
    let op = reject(target);

    let mut v = json!({});
    let t = Instant::now();
    let mut ws = Workspace::new(
        Arc::clone(corpus),
        base.clone(),
        Journal::open(&path, "bench").map_err(err)?,
    );
    v["open_empty_ms"] = json!(ms(t));
    let t = Instant::now();
    ws.decide(op.clone()).map_err(err)?;
    v["empty"] = json!(ms(t));
    drop(ws);

    // A journal of JOURNAL_LINES rejections of other mentions, written in
    // the journal's format after its header.
    std::fs::remove_file(&path).map_err(|e| e.to_string())?;
    drop(Journal::open(&path, "bench").map_err(err)?);
    let mut lines = String::new();
    let others = base.mentions.iter().filter(|m| *m != target);
    for (i, m) in others.cycle().take(JOURNAL_LINES).enumerate() {
        let entry = Entry {
            seq: i as u64 + 1,
            at: 0,
            by: "bench".to_string(),
            action: JournalAction::Op(reject(m)),
        };
        let line = serde_json::to_string(&entry).map_err(|e| e.to_string())?;
        let _ = writeln!(lines, "{line}");
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(lines.as_bytes()))
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    let journal = Journal::open(&path, "bench").map_err(err)?;
    let entries = journal.entries().len();
    let mut ws = Workspace::new(Arc::clone(corpus), base.clone(), journal);
    v["open_10k_ms"] = json!(ms(t));
    v["journal_entries"] = json!(entries);
    let t = Instant::now();
    ws.decide(op).map_err(err)?;
    v["journal_10k"] = json!(ms(t));
    let t = Instant::now();
    ws.undo().map_err(err)?;
    v["undo_10k"] = json!(ms(t));

    // A link: the target mention's span to another entity.
    let doc = &corpus.docs[target.doc as usize];
    let other = base
        .entities
        .iter()
        .enumerate()
        .find(|(i, _)| *i as EntityId != top)
        .map(|(_, e)| e.id.clone())
        .ok_or("one entity only")?;
    let t = Instant::now();
    ws.decide(Op::LinkSpan {
        anchor: Anchor::new(&doc.id, &doc.text, target.range()),
        entity: other,
        new: None,
    })
    .map_err(err)?;
    v["link_10k"] = json!(ms(t));
    // A tag: every occurrence of the target's text, as a new entity.
    let text = doc.text[target.range()].to_string();
    let t = Instant::now();
    ws.decide(Op::LinkText {
        text: text.clone(),
        entity: "bench-tag".into(),
        new: Some(dossier::annotate::NewEntity {
            id: "bench-tag".into(),
            name: text,
            kind: dossier::entity::Kind::Other,
        }),
    })
    .map_err(err)?;
    v["tag_10k"] = json!(ms(t));
    // A tag of a rare name: the text of an entity named 5 to 50 times,
    // which the word signatures narrow to the few documents that may
    // hold it (the tag above, of the most frequent name, reads nearly
    // every document whatever is done).
    let mut counts = vec![0u32; base.entities.len()];
    for m in &base.mentions {
        counts[m.entity as usize] += 1;
    }
    if let Some(m) = base
        .mentions
        .iter()
        .find(|m| (5..=50).contains(&counts[m.entity as usize]))
    {
        let text = corpus.docs[m.doc as usize].text.fetch()[m.range()].to_string();
        let t = Instant::now();
        ws.decide(Op::LinkText {
            text: text.clone(),
            entity: "bench-tag-rare".into(),
            new: Some(dossier::annotate::NewEntity {
                id: "bench-tag-rare".into(),
                name: text.clone(),
                kind: dossier::entity::Kind::Other,
            }),
        })
        .map_err(err)?;
        v["tag_rare_10k"] = json!(ms(t));
        v["tag_rare_text"] = json!(text);
        v["tag_rare_docs_read"] = json!(dossier::index::words::docs_to_search(corpus, &text).len());
    }
    // What the reader's workspace thread sends to the screen.
    let t = Instant::now();
    let copy = ws.index().clone();
    v["index_copy"] = json!(ms(t));
    drop(copy);
    Ok(v)
}

// ---------------------------------------------------------------------------
// The real binary.

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dossier"))
}

/// The peak RSS (KiB) and the wall time of `dossier docs DIR`.
fn peak_rss(dir: &Path, work: &Path) -> Result<(i64, f64), String> {
    let home = work.join("home");
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let child = Command::new(binary())
        .arg("docs")
        .arg(dir)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run dossier: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // The child's own high-water mark (VmHWM), read until it exits. Not
    // wait4's ru_maxrss: Linux carries a forked child's maximum across
    // exec, so that would count this (large) process's memory at the fork.
    let status_path = format!("/proc/{pid}/status");
    let mut peak_kb: i64 = 0;
    let mut status: libc::c_int = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path)
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<i64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        // SAFETY: `pid` is our own child, not yet reaped; the pointer is valid.
        let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
        if r == pid {
            break;
        }
        if r < 0 {
            return Err(format!("waitpid: {}", std::io::Error::last_os_error()));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let secs = t.elapsed().as_secs_f64();
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("dossier docs failed (status {status})"));
    }
    Ok((peak_kb, secs))
}

/// The reader in an 80x24 pseudo-terminal: seconds to its first frame and
/// to the first title in its document list; then `q`.
fn reader_times(dir: &Path, work: &Path) -> Result<Value, String> {
    let (rows, cols) = (24u16, 80u16);
    let home = work.join("reader-home");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .map_err(|e| format!("openpty: {e}"))?;
    let mut cmd = CommandBuilder::new(binary());
    cmd.arg(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", &home);
    cmd.env("XDG_CONFIG_HOME", &home);
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env_remove("NO_COLOR");
    let t0 = Instant::now();
    let mut child = pair
        .slave
        .spawn_command(cmd)
        .map_err(|e| format!("spawn: {e}"))?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().map_err(|e| e.to_string())?;
    let mut writer = pair.master.take_writer().map_err(|e| e.to_string())?;
    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                return;
            }
            if let Ok(mut parser) = p.lock() {
                parser.process(&buf[..n]);
            }
        }
    });
    let screen = || {
        parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    };
    let mut first_frame = None;
    let mut titles = None;
    let mut note = None;
    while titles.is_none() {
        let s = screen();
        if first_frame.is_none() && s.chars().any(|c| !c.is_whitespace()) {
            first_frame = Some(t0.elapsed().as_secs_f64());
        }
        if let Some(row) = list_title(&s) {
            titles = Some((t0.elapsed().as_secs_f64(), row));
        }
        if let Ok(Some(status)) = child.try_wait() {
            note = Some(format!("the reader exited early ({status:?})"));
            break;
        }
        if t0.elapsed() > READER_TIMEOUT {
            note = Some("timed out waiting for titles".to_string());
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let _ = writer.write_all(b"q").and_then(|_| writer.flush());
    let quit = Instant::now();
    let mut exited = false;
    while quit.elapsed() < Duration::from_secs(20) {
        if let Ok(Some(_)) = child.try_wait() {
            exited = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
        note.get_or_insert_with(|| "did not exit on q; killed".to_string());
    }
    Ok(json!({
        "first_frame_s": first_frame,
        "first_titles_s": titles.as_ref().map(|t| t.0),
        "first_title_row": titles.map(|t| t.1),
        "quit_s": exited.then(|| quit.elapsed().as_secs_f64()),
        "note": note,
    }))
}

/// The first row of the document list that shows a title: text other than
/// the '…' it shows before the documents are read (they are listed while
/// the engine still runs).
fn list_title(screen: &str) -> Option<String> {
    let lines: Vec<&str> = screen.lines().collect();
    if lines.len() < 3 || !lines[0].contains("Documents") {
        return None;
    }
    lines[1..lines.len() - 2].iter().find_map(|l| {
        let inner: String = l
            .chars()
            .skip_while(|&c| c == '│')
            .take_while(|&c| c != '│')
            .collect();
        let inner = inner.trim();
        (inner.chars().any(|c| c != '…')).then(|| inner.to_string())
    })
}

// ---------------------------------------------------------------------------
// The report.

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or("? GB".to_string(), |kb| {
            format!("{:.1} GB", kb / 1024.0 / 1024.0)
        });
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    format!("{cores} cores available, {mem} memory, {cpu}")
}

/// The date and time, UTC.
fn date() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

fn f(v: &Value, digits: usize) -> String {
    match v.as_f64() {
        Some(x) if x.is_finite() => format!("{x:.digits$}"),
        _ => "–".to_string(),
    }
}

fn markdown(r: &Value) -> String {
    // A timed run of the binary: its time and peak memory, or why not.
    let run = |v: &Value| match (v["s"].as_f64(), v["peak_rss_mb"].as_f64()) {
        (Some(s), Some(mb)) => format!("{s:.2} s, {mb:.0} MB"),
        _ => v["note"].as_str().unwrap_or("n/a").to_string(),
    };
    let s = &r["stages_s"];
    let stages = format!(
        "{} / {} / {} / {} / {} / {} / {}",
        f(&s["loading"], 2),
        f(&s["kb"], 2),
        f(&s["learning"], 2),
        f(&s["matching"], 2),
        f(&s["names"], 2),
        f(&s["wrap_up"], 2),
        f(&s["index_new"], 2)
    );
    let (limit, ratio) = match r["limit_s"].as_f64() {
        Some(_) => (
            f(&r["limit_s"], 2),
            format!("{}×", f(&r["index_over_limit"], 1)),
        ),
        None => (
            r["limit_note"].as_str().unwrap_or("n/a").to_string(),
            "n/a".to_string(),
        ),
    };
    let rss = match r["peak_rss_mb"].as_f64() {
        Some(_) => format!(
            "{} ({}×)",
            f(&r["peak_rss_mb"], 0),
            f(&r["rss_over_corpus"], 1)
        ),
        None => format!(
            "n/a ({})",
            r["peak_rss_note"].as_str().unwrap_or("not measured")
        ),
    };
    let reader = &r["reader"];
    let mut titles = f(&reader["first_titles_s"], 2);
    if let Some(note) = reader["note"].as_str() {
        titles = format!("{titles} ({note})");
    }
    let top = &r["top_entity"];
    let open = format!(
        "{} ({}, {} mentions: panel {} + KWIC {})",
        f(&top["total_ms"], 1),
        top["id"].as_str().unwrap_or("?"),
        top["mentions"],
        f(&top["set_xref_entity_ms"], 1),
        f(&top["kwic_screen_ms"], 1)
    );
    let frame = |size: &str| {
        let fr = &r["frames_ms"][size];
        format!(
            "{} / {} / {} / {}",
            f(&fr["list"], 2),
            f(&fr["article"], 2),
            f(&fr["xref"], 2),
            f(&fr["screen"], 2)
        )
    };
    let d = &r["decision_ms"];
    let decision = match d["note"].as_str() {
        Some(n) => format!("n/a ({n})"),
        None => format!(
            "{} / {} / {} / {} / {} / {} ({}, {} docs read) / {}",
            f(&d["empty"], 1),
            f(&d["journal_10k"], 1),
            f(&d["undo_10k"], 1),
            f(&d["link_10k"], 1),
            f(&d["tag_10k"], 1),
            f(&d["tag_rare_10k"], 1),
            d["tag_rare_text"].as_str().unwrap_or("-"),
            d["tag_rare_docs_read"],
            f(&d["index_copy"], 1)
        ),
    };
    let cells = [
        r["files"].to_string(),
        f(&r["mb"], 1),
        f(&r["load_mbps"], 1),
        f(&r["kb_match_mbps"], 1),
        f(&r["index_s"], 2),
        stages,
        limit,
        ratio,
        rss,
        f(&reader["first_frame_s"], 3),
        titles,
        open,
        frame("80x24"),
        frame("200x60"),
        run(&r["cached_restart"]),
        run(&r["changed_restart"]),
        decision,
    ];
    format!("| {} |", cells.join(" | "))
}
