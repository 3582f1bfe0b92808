//! The `dossier` binary: argument parsing and dispatch to the reader or to a
//! headless command. Everything else lives in the library.

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use dossier::index::Index;
use dossier::load::{self, OpenOptions};
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
            eprintln!("dossier: {e:#}");
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
    })
}

fn open(path: Option<PathBuf>, kb: &KbArgs) -> Result<Index> {
    let opts = open_options(path, kb)?;
    let index = load::open_index(&opts, &mut |_| {})
        .with_context(|| format!("cannot open {}", load::display_name(&opts)))?;
    let corpus = index.corpus();
    for w in &corpus.warnings {
        eprintln!("dossier: warning: {}: {}", w.path.display(), w.message);
    }
    if let Some(summary) = corpus.skipped_summary() {
        eprintln!("dossier: {summary}");
        for s in &corpus.skipped {
            eprintln!("dossier:   {}: {}", s.path.display(), s.reason);
        }
    }
    if corpus.docs.is_empty() {
        bail!(
            "{}: no readable documents (.txt, .md, .html, .jsonl)",
            load::display_name(&opts)
        );
    }
    Ok(index)
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
            let index = open(args.path, &cli.kb)?;
            docs(&index, args.json, &mut out)?
        }
        Command::Entities(args) => {
            let index = open(args.path, &cli.kb)?;
            entities(&index, args.json, &mut out)?
        }
        Command::Mentions { corpus, entity } => {
            let index = open(corpus.path, &cli.kb)?;
            let filter = match entity {
                Some(id) => Some(index.entity_by_id(&id).with_context(|| {
                    format!("no entity with id {id:?} (see `dossier entities`)")
                })?),
                None => None,
            };
            mentions(&index, filter, corpus.json, &mut out)?
        }
    }
    out.flush()?;
    Ok(())
}

/// Truncates to `width` characters with an ellipsis.
fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn docs(index: &Index, json: bool, out: &mut impl Write) -> Result<()> {
    if !json {
        writeln!(out, "{:<28} {:>7} {:>8}  TITLE", "ID", "BYTES", "MENTIONS")?;
    }
    for (d, doc) in index.docs().iter().enumerate() {
        let n = index.doc_mentions(d as u32).len();
        if json {
            let line =
                json!({"id": doc.id, "title": doc.title, "bytes": doc.text.len(), "mentions": n});
            writeln!(out, "{line}")?;
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
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{:<34} {:<6} {:>8} {:>4}  {} [{}]",
                clip(&ent.id, 34),
                ent.kind.as_str(),
                stats.mentions,
                stats.docs,
                ent.name,
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
    let all: Box<dyn Iterator<Item = &dossier::entity::Mention>> = match filter {
        Some(e) => Box::new(index.entity_mentions(e)),
        None => Box::new(index.mentions().iter()),
    };
    for m in all {
        let doc = index.doc(m.doc);
        let ent = index.entity(m.entity);
        let text = &doc.text[m.range()];
        if json {
            let line = json!({
                "doc": doc.id, "start": m.start, "end": m.end, "text": text,
                "entity": ent.id, "name": ent.name, "kind": ent.kind.as_str(),
                "source": m.source.as_str(), "confidence": f64::from(m.confidence) / 100.0,
            });
            writeln!(out, "{line}")?;
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
