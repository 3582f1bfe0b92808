//! The `dossier` binary: argument parsing and dispatch to the reader or to a
//! headless command. Everything else lives in the library.

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use dossier::annotate::Workspace;
use dossier::annotate::export::{self, Format};
use dossier::index::{Index, report};
use dossier::load::{self, OpenOptions};
use dossier::text::safe::to_json;
use dossier::text::{sanitize, sanitize_lines};
use serde_json::json;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// A terminal reader that cross-links the named entities of a news corpus.
///
/// With no command, opens the reader on PATH (a file or a directory of .txt,
/// .md, .html and .jsonl files), or on the bundled seed corpus.
#[derive(Parser, Debug)]
#[command(name = "dossier", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Corpus to open in the reader (default: the bundled seeds).
    path: Option<PathBuf>,
    #[command(flatten)]
    kb: KbArgs,
    /// Theme: a built-in name (dark, light, high-contrast, mono) or a TOML file.
    #[arg(long, value_name = "NAME|FILE")]
    theme: Option<String>,
    /// Enable mouse clicks and the wheel (off by default so that terminal text
    /// selection keeps working).
    #[arg(long)]
    mouse: bool,
}

#[derive(Args, Debug, Clone, Default)]
struct KbArgs {
    /// Add a knowledge-base TOML file (repeatable; later files win).
    #[arg(long = "kb", value_name = "FILE", global = true)]
    kb_files: Vec<PathBuf>,
    /// Leave out the embedded default knowledge base.
    #[arg(long, global = true)]
    no_default_kb: bool,
    /// The annotation journal (default: one per corpus under
    /// $XDG_DATA_HOME/dossier/journals/).
    #[arg(long, value_name = "FILE", global = true)]
    annotations: Option<PathBuf>,
    /// Neither read nor write the index cache ($XDG_CACHE_HOME/dossier/),
    /// which lets an unchanged corpus open without being analysed again.
    #[arg(long, global = true)]
    no_cache: bool,
    /// Who the annotations made now are by (recorded in the journal and
    /// carried by the exports; default: the login name).
    #[arg(long, value_name = "NAME", global = true)]
    annotator: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the documents: id, title, bytes, number of mentions.
    Docs(CorpusArgs),
    /// List the entities: id, name, kind, aliases seen, mentions, documents.
    Entities(CorpusArgs),
    /// List every mention, one per line.
    Mentions {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Only the mentions of this entity id.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
    },
    /// Export every mention (engine and annotations) for annotation tools.
    Export {
        /// Corpus file or directory (default: the bundled seeds).
        path: Option<PathBuf>,
        #[arg(long, value_enum)]
        format: Format,
        /// Directory to write into (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Import annotations from a brat directory or a doccano/spaCy JSONL file
    /// into the journal.
    Import {
        /// The export to read: a brat directory or a JSONL file (doccano,
        /// spaCy, decisions).
        from: PathBuf,
        /// Corpus file or directory (default: the bundled seeds).
        path: Option<PathBuf>,
        #[arg(long, value_enum)]
        format: ImportFormat,
    },
    /// The knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// The entities named with ENTITY, by sentence, paragraph or document,
    /// ranked by log-likelihood (boilerplate left out).
    Cooc {
        /// An entity id, name or alias.
        entity: String,
        #[command(flatten)]
        corpus: CorpusArgs,
        #[arg(long, value_parser = parse_level, default_value = "sentence")]
        level: dossier::index::cooc::Level,
        /// Only entities of this kind (group, event, person, org, place, other).
        #[arg(long, value_parser = parse_kind)]
        kind: Option<dossier::entity::Kind>,
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// ENTITY's mentions per month, by the documents' dates.
    Timeline {
        /// An entity id, name or alias.
        entity: String,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
    /// List the annotations in force, and any that could not be placed.
    Annotations {
        /// Corpus file or directory (default: the bundled seeds).
        path: Option<PathBuf>,
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
        /// Rewrite the journal with only the decisions in force.
        #[arg(long)]
        compact: bool,
        /// Span-level agreement (Cohen's kappa and F1) between two
        /// annotators' journals over this corpus.
        #[arg(long, num_args = 2, value_names = ["JOURNAL1", "JOURNAL2"], conflicts_with = "compact")]
        agreement: Option<Vec<PathBuf>>,
    },
}

/// The formats `dossier import` reads (CoNLL is written only: its tokens
/// do not say where they sit in the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ImportFormat {
    Brat,
    Doccano,
    Spacy,
    /// `dossier export --format decisions`, or the JSON lines the reader
    /// prints when it quits with decisions it could not save.
    Decisions,
}

#[derive(Subcommand, Debug)]
enum KbCommand {
    /// Write the merged knowledge base (default, learned and annotated) as
    /// TOML, for reuse on another corpus.
    Export {
        /// Corpus file or directory (default: the bundled seeds).
        path: Option<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
struct CorpusArgs {
    /// Corpus file or directory (default: the bundled seeds).
    path: Option<PathBuf>,
    /// Print JSON Lines instead of a table.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    // A panic message may quote a document: print it through the sanitiser.
    // (The reader installs its own hook on top, which restores the terminal
    // and then calls this one.)
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        say(&format!("internal error{at}: {msg}"));
    }));
    // A write past the file-size limit fails with EFBIG and is reported,
    // instead of the signal killing the process mid-import.
    dossier::tui::terminal::ignore_file_size_signal();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`dossier mentions | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            say(&format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

fn open_options(path: Option<PathBuf>, kb: &KbArgs) -> Result<OpenOptions> {
    if let Some(p) = &path
        && !p.exists()
    {
        bail!("{}: no such file or directory", p.display());
    }
    Ok(OpenOptions {
        path,
        kb_files: kb.kb_files.clone(),
        no_default_kb: kb.no_default_kb,
        annotations: kb.annotations.clone(),
        cache: !kb.no_cache,
        annotator: kb.annotator.clone(),
    })
}

/// Opens a corpus with its annotations, read-only, reporting what was
/// skipped and any warning on standard error.
fn open(path: Option<PathBuf>, kb: &KbArgs) -> Result<Workspace> {
    let opts = open_options(path, kb)?;
    let ws = load::open_read_only(&opts, &mut |_| {})?;
    report_loading(&ws, &opts)?;
    Ok(ws)
}

fn report_loading(ws: &Workspace, opts: &OpenOptions) -> Result<()> {
    let corpus = ws.index().corpus();
    for w in &corpus.warnings {
        say(&format!("warning: {}: {}", w.path.display(), w.message));
    }
    for w in &ws.journal().warnings {
        say(&format!("warning: {w}"));
    }
    if let Some(summary) = corpus.skipped_summary() {
        say(&summary);
        for s in &corpus.skipped {
            say(&format!("  {}: {}", s.path.display(), s.reason));
        }
    }
    if corpus.docs.is_empty() {
        bail!(
            "{}: no readable documents (.txt, .md, .html, .jsonl)",
            load::display_name(opts)
        );
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    let Some(command) = cli.command else {
        let opts = open_options(cli.path, &cli.kb)?;
        return dossier::tui::run(dossier::tui::ReaderOptions {
            open: opts,
            theme: cli.theme,
            mouse: cli.mouse,
        });
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Docs(args) => {
            let ws = open(args.path, &cli.kb)?;
            docs(ws.index(), args.json, &mut out)?;
            leave(ws);
        }
        Command::Entities(args) => {
            let ws = open(args.path, &cli.kb)?;
            entities(ws.index(), args.json, &mut out)?;
            leave(ws);
        }
        Command::Mentions { corpus, entity } => {
            let ws = open(corpus.path, &cli.kb)?;
            let index = ws.index();
            let filter = match entity {
                Some(id) => Some(index.entity_by_id(&id).with_context(|| {
                    format!("no entity with id {id:?} (see `dossier entities`)")
                })?),
                None => None,
            };
            mentions(index, filter, corpus.json, &mut out)?;
            leave(ws);
        }
        Command::Cooc {
            entity,
            corpus,
            level,
            kind,
            limit,
        } => {
            let ws = open(corpus.path, &cli.kb)?;
            let e = resolve(ws.index(), &entity)?;
            report::write_cooc(ws.index(), e, level, kind, limit, corpus.json, &mut out)?;
            leave(ws);
        }
        Command::Timeline { entity, corpus } => {
            let ws = open(corpus.path, &cli.kb)?;
            let e = resolve(ws.index(), &entity)?;
            report::write_timeline(ws.index(), e, corpus.json, &mut out)?;
            leave(ws);
        }
        Command::Export {
            path,
            format,
            out: dir,
        } => {
            let ws = open(path, &cli.kb)?;
            let files = export::export_decided(ws.index(), format, &dir, &ws.decided())
                .with_context(|| format!("cannot export to {}", dir.display()))?;
            writeln!(
                out,
                "wrote {} to {}",
                plural(files.len(), "file", "files"),
                sanitize(&dir.display().to_string())
            )?;
        }
        Command::Import { from, path, format } => {
            let opts = open_options(path, &cli.kb)?;
            let mut ws = load::open_workspace(&opts, &mut |_| {})?;
            report_loading(&ws, &opts)?;
            if ws.read_only() {
                bail!("another dossier is annotating this corpus; try again when it has quit");
            }
            let cannot = || format!("cannot import {}", from.display());
            let span_format = match format {
                ImportFormat::Brat => Some(Format::Brat),
                ImportFormat::Doccano => Some(Format::Doccano),
                ImportFormat::Spacy => Some(Format::Spacy),
                ImportFormat::Decisions => None,
            };
            let (ops, n) = match span_format {
                Some(f) => {
                    let spans =
                        export::import(f, &from, ws.index().corpus()).with_context(cannot)?;
                    let ops = dossier::annotate::ops::spans_to_ops(&spans, ws.index());
                    let n = ops.len();
                    // One step of undo for the whole import.
                    let ops = dossier::annotate::ops::batches(
                        ops,
                        dossier::annotate::journal::BATCH_BYTES,
                    );
                    (ops.into_iter().map(|op| (op, None)).collect::<Vec<_>>(), n)
                }
                // Each decision as it was made, by whom it was made: one
                // step of undo each.
                None => {
                    let ops = export::import_decisions(&from).with_context(cannot)?;
                    let n = ops.len();
                    (ops, n)
                }
            };
            let me = ws.journal().annotator().to_string();
            for (op, by) in ops {
                ws.set_annotator(by.as_deref().unwrap_or(&me));
                if let dossier::annotate::Saved::Pending(e) = ws.decide(op)? {
                    bail!("could not save the journal: {e}");
                }
            }
            ws.set_annotator(&me);
            writeln!(
                out,
                "imported {} into {}",
                plural(n, "annotation", "annotations"),
                sanitize(&ws.journal().path().display().to_string())
            )?;
        }
        Command::Kb {
            command: KbCommand::Export { path, out: file },
        } => {
            let ws = open(path, &cli.kb)?;
            let annotated: std::collections::HashSet<String> = ws
                .journal()
                .effective()
                .iter()
                .flat_map(|(_, op)| op.entities())
                .map(str::to_string)
                .collect();
            let kb = dossier::annotate::ops::merged_kb(ws.index(), &ws.report().merged, &annotated);
            let toml = kb.to_toml();
            match file {
                Some(f) => {
                    dossier::files::write_private(&f, toml.as_bytes())
                        .with_context(|| format!("cannot write {}", f.display()))?;
                    writeln!(
                        out,
                        "wrote {} to {}",
                        plural(kb.len(), "entity", "entities"),
                        sanitize(&f.display().to_string())
                    )?;
                }
                None => out.write_all(toml.as_bytes())?,
            }
        }
        Command::Annotations {
            path,
            json,
            compact: _,
            agreement: Some(journals),
        } => {
            let opts = open_options(path, &cli.kb)?;
            agreement(&opts, &journals, json, &mut out)?;
        }
        Command::Annotations {
            path,
            json,
            compact,
            agreement: None,
        } => {
            let opts = open_options(path, &cli.kb)?;
            let journal_path = load::journal_path(&opts)?;
            if compact {
                let mut j =
                    dossier::annotate::Journal::open(&journal_path, &load::corpus_key(&opts))?;
                if j.is_read_only() {
                    bail!("another dossier is annotating this corpus; try again when it has quit");
                }
                j.compact(&load::corpus_key(&opts))?;
            }
            let ws = load::open_read_only(&opts, &mut |_| {})?;
            annotations(&ws, &journal_path, json, &mut out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The entity a command line names (id, name or alias).
fn resolve(index: &Index, query: &str) -> Result<u32> {
    dossier::index::query::resolve_entity(index, query).with_context(|| {
        format!(
            "no entity {:?} (see `dossier entities`)",
            sanitize(query).into_owned()
        )
    })
}

fn parse_level(s: &str) -> Result<dossier::index::cooc::Level, String> {
    dossier::index::cooc::Level::parse(s)
        .ok_or_else(|| "expected sentence, paragraph or document".to_string())
}

fn parse_kind(s: &str) -> Result<dossier::entity::Kind, String> {
    dossier::entity::Kind::parse(s)
        .ok_or_else(|| "expected group, event, person, org, place or other".to_string())
}

/// Done with a read-only workspace: the process ends right after, and the
/// system takes its memory back whole rather than an allocation at a time
/// (a large corpus has a few hundred thousand).
fn leave(ws: Workspace) {
    std::mem::forget(ws);
}

/// Prints one line on standard error, through the sanitiser: messages echo
/// file names and file contents.
fn say(msg: &str) {
    // Never `eprintln!`: with the terminal gone (a dropped SSH link) it
    // panics, and in the panic hook that aborts the process.
    let _ = writeln!(std::io::stderr(), "dossier: {}", sanitize_lines(msg));
}

/// Cuts to `width` terminal cells with an ellipsis, showing any control
/// character as a symbol (the reader's own truncation).
fn clip(s: &str, width: usize) -> String {
    dossier::text::truncate(s, width)
}

fn docs(index: &Index, json: bool, out: &mut impl Write) -> Result<()> {
    if !json {
        writeln!(out, "{:<28} {:>7} {:>8}  TITLE", "ID", "BYTES", "MENTIONS")?;
    }
    for (d, doc) in index.docs().iter().enumerate() {
        let n = index.doc_mention_count(d as u32);
        if json {
            let (date, date_source) = doc
                .date
                .as_ref()
                .map_or((None, None), |d| (Some(&d.value), Some(d.source.as_str())));
            let line = json!({"id": doc.id, "title": doc.title, "bytes": doc.text.len(), "mentions": n,
                "date": date, "date_source": date_source});
            writeln!(out, "{}", to_json(&line))?;
        } else {
            writeln!(
                out,
                "{:<28} {:>7} {:>8}  {}",
                clip(&doc.id, 28),
                doc.text.len(),
                n,
                clip(&doc.title, 60)
            )?;
        }
    }
    Ok(())
}

fn entities(index: &Index, json: bool, out: &mut impl Write) -> Result<()> {
    let mut order: Vec<u32> = (0..index.entities().len() as u32)
        .filter(|&e| index.stats(e).mentions > 0)
        .collect();
    order.sort_by(|&a, &b| {
        index
            .stats(b)
            .mentions
            .cmp(&index.stats(a).mentions)
            .then_with(|| index.entity(a).id.cmp(&index.entity(b).id))
    });
    if !json {
        writeln!(
            out,
            "{:<34} {:<6} {:>8} {:>4}  NAME / ALIASES SEEN",
            "ID", "KIND", "MENTIONS", "DOCS"
        )?;
    }
    for e in order {
        let ent = index.entity(e);
        let stats = index.stats(e);
        let seen: Vec<String> = index.aliases_seen(e).into_iter().map(|(a, _)| a).collect();
        if json {
            let line = json!({
                "id": ent.id, "name": ent.name, "kind": ent.kind.as_str(),
                "aliases": seen, "mentions": stats.mentions, "documents": stats.docs,
            });
            writeln!(out, "{}", to_json(&line))?;
        } else {
            writeln!(
                out,
                "{:<34} {:<6} {:>8} {:>4}  {} [{}]",
                clip(&ent.id, 34),
                ent.kind.as_str(),
                stats.mentions,
                stats.docs,
                sanitize(&ent.name),
                clip(&seen.join(", "), 80)
            )?;
        }
    }
    Ok(())
}

fn mentions(index: &Index, filter: Option<u32>, json: bool, out: &mut impl Write) -> Result<()> {
    if !json {
        writeln!(
            out,
            "{:<28} {:>6} {:>6}  {:<30} {:<30} {:<6} SOURCE",
            "DOC", "START", "END", "TEXT", "ENTITY", "KIND"
        )?;
    }
    // (document, position in its mentions): the mention's text is its form,
    // and no document is read.
    let all: Box<dyn Iterator<Item = (u32, usize)>> = match filter {
        Some(e) => Box::new(index.entity_places(e).iter().map(|&(d, i)| (d, i as usize))),
        None => Box::new(
            (0..index.docs().len() as u32)
                .flat_map(|d| (0..index.doc_mentions(d).len()).map(move |i| (d, i))),
        ),
    };
    for (d, i) in all {
        let Some(m) = index.doc_mentions(d).get(i) else {
            continue;
        };
        let doc = index.doc(m.doc);
        let ent = index.entity(m.entity);
        let text = index.form(d, i);
        if json {
            let line = json!({
                "doc": doc.id, "start": m.start, "end": m.end, "text": text,
                "entity": ent.id, "name": ent.name, "kind": ent.kind.as_str(),
                "source": m.source.as_str(), "confidence": f64::from(m.confidence) / 100.0,
            });
            writeln!(out, "{}", to_json(&line))?;
        } else {
            writeln!(
                out,
                "{:<28} {:>6} {:>6}  {:<30} {:<30} {:<6} {}",
                clip(&doc.id, 28),
                m.start,
                m.end,
                clip(text, 30),
                clip(&ent.id, 30),
                ent.kind.as_str(),
                m.source.as_str()
            )?;
        }
    }
    Ok(())
}

fn annotations(
    ws: &dossier::annotate::Workspace,
    path: &std::path::Path,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    for w in &ws.journal().warnings {
        say(&format!("warning: {w}"));
    }
    if !json {
        writeln!(out, "journal: {}", sanitize(&path.display().to_string()))?;
    }
    // Decisions in force, and those among them that could not be applied
    // (each is matched once, in order).
    let mut not_applied: Vec<&(dossier::annotate::Op, String)> =
        ws.report().not_applied.iter().collect();
    for (seq, op) in ws.journal().effective() {
        let why = not_applied
            .iter()
            .position(|(o, _)| o == op)
            .map(|i| not_applied.remove(i).1.clone());
        match (json, why) {
            (true, None) => writeln!(out, "{}", to_json(&json!({"seq": seq, "op": op})))?,
            (true, Some(why)) => writeln!(
                out,
                "{}",
                to_json(&json!({"seq": seq, "op": op, "applied": false, "why": why}))
            )?,
            (false, None) => writeln!(out, "{seq:>5}  {}", sanitize(&op.describe_in(ws.index())))?,
            (false, Some(why)) => writeln!(
                out,
                "{seq:>5}  not applied: {} ({})",
                sanitize(&op.describe_in(ws.index())),
                sanitize(&why)
            )?,
        }
    }
    for a in &ws.report().unplaced {
        if json {
            writeln!(out, "{}", to_json(&json!({"unplaced": a})))?;
        } else {
            writeln!(
                out,
                "unplaced: “{}” in {} (was at {}..{}): its text is no longer in the document",
                sanitize(&a.exact),
                sanitize(&a.doc),
                a.start,
                a.end
            )?;
        }
    }
    Ok(())
}

/// `annotations --agreement J1 J2`: how far two annotators agree.
fn agreement(
    opts: &OpenOptions,
    journals: &[PathBuf],
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let [j1, j2] = journals else {
        bail!("--agreement takes two journals");
    };
    for j in [j1, j2] {
        if !j.is_file() {
            bail!("{}: no such journal", sanitize(&j.display().to_string()));
        }
    }
    let base = load::open_base(opts, &mut |_| {})?;
    let open_with = |j: &PathBuf| -> Result<Workspace> {
        let o = OpenOptions {
            annotations: Some(j.clone()),
            ..opts.clone()
        };
        let ws = load::open_read_only(&o, &mut |_| {})?;
        for w in &ws.journal().warnings {
            say(&format!("warning: {w}"));
        }
        Ok(ws)
    };
    let (w1, w2) = (open_with(j1)?, open_with(j2)?);
    let a = dossier::annotate::agreement::agreement(&base, w1.index(), w2.index());
    let who = |w: &Workspace| w.journal().annotators().join(", ");
    if json {
        writeln!(
            out,
            "{}",
            to_json(&json!({
                "journals": [j1.display().to_string(), j2.display().to_string()],
                "annotators": [who(&w1), who(&w2)],
                "spans": a.units, "agreed": a.agreed,
                "observed": a.observed, "chance": a.chance, "kappa": a.kappa,
                "precision": a.precision, "recall": a.recall, "f1": a.f1,
            }))
        )?;
        return Ok(());
    }
    let name = |j: &PathBuf, w: &Workspace| {
        let by = who(w);
        let by = if by.is_empty() {
            "annotator not recorded".to_string()
        } else {
            by
        };
        format!(
            "{} ({}, {})",
            sanitize(&j.display().to_string()),
            plural(w.journal().effective().len(), "decision", "decisions"),
            sanitize(&by)
        )
    };
    writeln!(out, "1: {}", name(j1, &w1))?;
    writeln!(out, "2: {}", name(j2, &w2))?;
    if a.units == 0 {
        writeln!(out, "no span was decided by either journal")?;
        return Ok(());
    }
    writeln!(
        out,
        "{} decided by either; {} labelled alike (kind, or not a mention)",
        plural(a.units, "span", "spans"),
        a.agreed
    )?;
    let kappa = a
        .kappa
        .map_or("n/a (one label only)".to_string(), |k| format!("{k:.3}"));
    writeln!(
        out,
        "observed agreement {:.3}, by chance {:.3}, Cohen's kappa {kappa}",
        a.observed, a.chance
    )?;
    writeln!(
        out,
        "F1 of 2 against 1 (span and kind) {:.3}: precision {:.3}, recall {:.3}",
        a.f1, a.precision, a.recall
    )?;
    Ok(())
}

/// "1 file", "2 files".
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}
