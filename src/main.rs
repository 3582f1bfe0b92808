//! The `dossier` binary: argument parsing and dispatch to the reader or to a
//! headless command. Everything else lives in the library.

use anyhow::{Context, Result, bail};
use clap::{Args, CommandFactory, Parser, Subcommand};
use dossier::annotate::Workspace;
use dossier::annotate::export::{self, Format};
use dossier::index::{Index, report};
use dossier::load::{self, OpenOptions};
use dossier::report::concordance::{self, Concordance};
use dossier::report::show::{self, Palette, ShowOptions};
use dossier::report::{ftm, lookup, table};
use dossier::text::safe::to_json;
use dossier::text::{sanitize, sanitize_lines};
use dossier::tui::config::{self, ColorWhen, Config};
use dossier::tui::theme::{self, Theme};
use serde_json::json;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Examples and exit codes, after the options in `--help` and in the man
/// page.
const AFTER_HELP: &str = "\
Examples:
  dossier                                   read the bundled sample corpus
  dossier ~/news/                           read your own corpus
  dossier show 003 | less -R                one article, entities coloured (--color always in a pipe)
  dossier show 003 --markup brackets        [TTP]{group:tehrik-i-taliban-pakistan}, for grep and diff
  dossier xref TTP                          every mention of an entity, in context, by document
  dossier xref ISKP --format csv > iskp.csv
  dossier mentions --entity tehrik-i-taliban-pakistan --json
  dossier entities --format csv > entities.csv
  find ~/news -name '*.html' | dossier docs -
  find ~/news -name '*.html' -print0 | dossier -0 -
  dossier export --format ftm > corpus.ftm.json
  dossier completions bash > ~/.local/share/bash-completion/completions/dossier

Exit status:
  0  success (a closed pipe, as in `dossier mentions | head`, is one)
  1  an error: a path, file, entity or document that cannot be used, a bad
     configuration, theme or knowledge base (the message names the file and
     line), a failed write; the reader quit with decisions it could not save
  2  a usage error: an unknown command or option, a missing or bad argument";

/// A terminal reader that cross-links the named entities of a news corpus.
///
/// With no command, opens the reader on PATH (a file or a directory of .txt,
/// .md, .html and .jsonl files), or on the bundled seed corpus.
#[derive(Parser, Debug)]
#[command(name = "dossier", version, about, long_about = None, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Corpus to open in the reader (default: the bundled seeds); `-` reads
    /// a list of files on standard input.
    path: Option<PathBuf>,
    #[command(flatten)]
    kb: KbArgs,
    /// Theme: a built-in name (dark, light, high-contrast, mono) or a TOML
    /// file (the reader, and the colours of show and xref).
    #[arg(long, value_name = "NAME|FILE", global = true)]
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
    /// With `-` for PATH: the list of files on standard input is
    /// NUL-separated (`find -print0`), not one a line.
    #[arg(short = '0', long = "null", global = true)]
    null: bool,
    /// Knowledge-base files from the config file, read before `--kb`.
    #[arg(skip)]
    config_kb: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the documents: id, title, bytes, number of mentions.
    Docs(CorpusArgs),
    /// List the entities: id, name, kind, aliases seen, mentions, documents.
    Entities(CorpusArgs),
    /// Print one document with its entities marked: coloured by kind in a
    /// terminal, as `[text]{kind:id}` with --markup brackets, or the text
    /// alone with --plain.
    Show {
        /// A document id, or a unique prefix of an id or of a title.
        doc: String,
        /// Corpus file or directory (default: the bundled seeds; `-`: a
        /// list of files on standard input).
        path: Option<PathBuf>,
        /// Mark each mention inline: `brackets` writes `[TTP]{group:tehrik-i-taliban-pakistan}`.
        #[arg(long, value_enum, default_value_t = MarkupArg::None)]
        markup: MarkupArg,
        /// The text alone: no header, no colour, no marks.
        #[arg(long, conflicts_with = "markup")]
        plain: bool,
        /// Colour the entities by kind: auto (into a terminal, unless
        /// NO_COLOR is set), always, never.
        #[arg(long, value_enum, value_name = "WHEN")]
        color: Option<ColorWhen>,
    },
    /// An entity's concordance: every mention in context, grouped by
    /// document with titles and dates (the reader's cross-link panel,
    /// headless).
    Xref {
        /// An entity id, name or alias (`TTP`, `tehrik-i-taliban-pakistan`).
        entity: String,
        /// Corpus file or directory (default: the bundled seeds; `-`: a
        /// list of files on standard input).
        path: Option<PathBuf>,
        /// One JSON object a line, one line per mention (the same as
        /// --format json).
        #[arg(long)]
        json: bool,
        /// text (default), json, markdown (a report) or csv.
        #[arg(long, value_enum, conflicts_with = "json")]
        format: Option<XrefFormat>,
        /// Characters of context either side of each mention.
        #[arg(long, value_name = "CHARS", default_value_t = concordance::CONTEXT)]
        context: usize,
        /// Colour each mention by its kind: auto, always, never.
        #[arg(long, value_enum, value_name = "WHEN")]
        color: Option<ColorWhen>,
    },
    /// List every mention, one per line.
    Mentions {
        #[command(flatten)]
        corpus: CorpusArgs,
        /// Only the mentions of this entity id.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
    },
    /// Export every mention (engine and annotations) for annotation tools,
    /// or the corpus as FollowTheMoney entities for Aleph (ftm).
    Export {
        /// Corpus file or directory (default: the bundled seeds).
        path: Option<PathBuf>,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Directory to write into (created if missing). With ftm it may be
        /// left out: the entities go to standard output.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
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
    /// Print a completion script for a shell: `dossier completions bash >
    /// ~/.local/share/bash-completion/completions/dossier`, `completions
    /// zsh > ~/.zfunc/_dossier`, `completions fish >
    /// ~/.config/fish/completions/dossier.fish`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (`dossier man > dossier.1; man ./dossier.1`).
    Man,
    /// Check the config file and say where it is; --default prints a
    /// config with every setting and key at its default, commented out.
    Config {
        #[arg(long)]
        default: bool,
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
    /// Corpus file or directory (default: the bundled seeds; `-`: a list of
    /// files on standard input, one a line, or NUL-separated with -0).
    path: Option<PathBuf>,
    /// Print JSON Lines instead of a table (the same as --format json).
    #[arg(long)]
    json: bool,
    /// table (default), json (JSON Lines) or csv (with a header row).
    #[arg(long, value_enum, conflicts_with = "json")]
    format: Option<TableFormat>,
}

impl CorpusArgs {
    fn format(&self) -> TableFormat {
        match (self.json, self.format) {
            (true, _) => TableFormat::Json,
            (false, f) => f.unwrap_or(TableFormat::Table),
        }
    }
}

/// How the listing commands print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TableFormat {
    Table,
    Json,
    Csv,
}

/// How `xref` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum XrefFormat {
    Text,
    Json,
    Markdown,
    Csv,
}

/// How `show` marks mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MarkupArg {
    None,
    Brackets,
}

/// The formats `dossier export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Brat,
    Doccano,
    Spacy,
    Conll,
    Decisions,
    /// FollowTheMoney entities, one JSON object a line, for Aleph.
    Ftm,
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
            let broken = |io: &io::Error| io.kind() == io::ErrorKind::BrokenPipe;
            if e.chain().any(|c| {
                c.downcast_ref::<io::Error>().is_some_and(broken)
                    || c.downcast_ref::<csv::Error>()
                        .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)))
            }) {
                return ExitCode::SUCCESS;
            }
            say(&format!("{e:#}"));
            ExitCode::FAILURE
        }
    }
}

fn open_options(path: Option<PathBuf>, kb: &KbArgs) -> Result<OpenOptions> {
    // `-`: the files are listed on standard input.
    let (path, files) = match path {
        Some(p) if p.as_os_str() == "-" => {
            let list = dossier::pathlist::read_list(io::stdin().lock(), kb.null)
                .context("standard input")?;
            (None, Some(list))
        }
        other => (other, None),
    };
    if let Some(p) = &path
        && !p.exists()
    {
        bail!("{}: no such file or directory", p.display());
    }
    Ok(OpenOptions {
        path,
        kb_files: kb.config_kb.iter().chain(&kb.kb_files).cloned().collect(),
        no_default_kb: kb.no_default_kb,
        annotations: kb.annotations.clone(),
        cache: !kb.no_cache,
        annotator: kb.annotator.clone(),
        files,
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

fn run(mut cli: Cli) -> Result<()> {
    let stdout = io::stdout();
    // Commands that need no settings work whatever the config file says.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            let mut out = stdout.lock();
            clap_complete::generate(*shell, &mut Cli::command(), "dossier", &mut out);
            return Ok(out.flush()?);
        }
        Some(Command::Man) => {
            let mut out = stdout.lock();
            man_page(&mut out)?;
            return Ok(out.flush()?);
        }
        Some(Command::Config { default: true }) => {
            let mut out = stdout.lock();
            out.write_all(config::default_text().as_bytes())?;
            return Ok(out.flush()?);
        }
        _ => {}
    }
    // Every command checks the whole file, keys too, so that a mistake in
    // it is said at once, with its place, whatever the command.
    let config = config::load()?;
    config.keymap()?;
    cli.kb.config_kb = config.kb.clone();
    if let Some(cap) = config.max_file_size {
        dossier::corpus::set_max_file_bytes(cap);
    }
    let Some(command) = cli.command else {
        let reading_list = cli.path.as_deref().is_some_and(|p| p.as_os_str() == "-");
        let opts = open_options(cli.path, &cli.kb)?;
        if reading_list {
            keys_from_terminal()?;
        }
        if config.color == Some(ColorWhen::Never) {
            // SAFETY: no other thread runs yet. The reader takes its colour
            // depth from the environment, where NO_COLOR says "none".
            unsafe { std::env::set_var("NO_COLOR", "1") };
        }
        return dossier::tui::run(dossier::tui::ReaderOptions {
            open: opts,
            theme: cli.theme,
            mouse: cli.mouse,
        });
    };
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Docs(args) => {
            let format = args.format();
            let ws = open(args.path, &cli.kb)?;
            docs(ws.index(), format, &mut out)?;
            leave(ws);
        }
        Command::Entities(args) => {
            let format = args.format();
            let ws = open(args.path, &cli.kb)?;
            entities(ws.index(), format, &mut out)?;
            leave(ws);
        }
        Command::Show {
            doc,
            path,
            markup,
            plain,
            color,
        } => {
            let ws = open(path, &cli.kb)?;
            let palette = if plain {
                None
            } else {
                palette(color, &config, cli.theme.as_deref())?
            };
            show_document(ws.index(), &doc, markup, plain, palette.as_ref(), &mut out)?;
            leave(ws);
        }
        Command::Xref {
            entity,
            path,
            json,
            format,
            context,
            color,
        } => {
            let ws = open(path, &cli.kb)?;
            let format = format.unwrap_or(if json {
                XrefFormat::Json
            } else {
                XrefFormat::Text
            });
            let palette = match format {
                XrefFormat::Text => palette(color, &config, cli.theme.as_deref())?,
                _ => None,
            };
            xref(
                ws.index(),
                &entity,
                format,
                context,
                palette.as_ref(),
                &mut out,
            )?;
            leave(ws);
        }
        // Answered before the config file is read.
        Command::Completions { .. } | Command::Man => {}
        Command::Config { default: _ } => match &config.path {
            Some(p) => {
                config.keymap()?;
                let theme_ok = Theme::load(config.theme.as_deref(), theme::ColorDepth::TrueColor);
                theme_ok?;
                writeln!(out, "{}: ok", sanitize(&p.display().to_string()))?;
            }
            None => match config::config_path(|k| std::env::var(k).ok()) {
                Some(p) => writeln!(
                    out,
                    "no config file at {} (every setting has its default; see `dossier config --default`)",
                    sanitize(&p.display().to_string())
                )?,
                None => writeln!(
                    out,
                    "no place for a config file: set XDG_CONFIG_HOME or HOME"
                )?,
            },
        },
        Command::Mentions { corpus, entity } => {
            let format = corpus.format();
            let ws = open(corpus.path, &cli.kb)?;
            let index = ws.index();
            let filter = match entity {
                Some(id) => Some(index.entity_by_id(&id).with_context(|| {
                    format!("no entity with id {id:?} (see `dossier entities`)")
                })?),
                None => None,
            };
            mentions(index, filter, format, &mut out)?;
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
            let Some(format) = annotation_format(format) else {
                let ws = open(path, &cli.kb)?;
                export_ftm(ws.index(), dir, &mut out)?;
                leave(ws);
                out.flush()?;
                return Ok(());
            };
            let Some(dir) = dir else {
                Cli::command()
                    .error(
                        clap::error::ErrorKind::MissingRequiredArgument,
                        "--out DIR is needed for this format (only ftm writes to standard output)",
                    )
                    .exit();
            };
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

/// The entity a command line names (id, name or alias), as `xref` finds
/// it: a name several entities share is an error that lists them.
fn resolve(index: &Index, query: &str) -> Result<u32> {
    Ok(dossier::report::lookup::find_entity(index, query)?)
}

fn parse_level(s: &str) -> Result<dossier::index::cooc::Level, String> {
    dossier::index::cooc::Level::parse(s)
        .ok_or_else(|| "expected sentence, paragraph or document".to_string())
}

fn parse_kind(s: &str) -> Result<dossier::entity::Kind, String> {
    dossier::entity::Kind::parse(s)
        .ok_or_else(|| "expected group, event, person, org, place or other".to_string())
}

/// `dossier show`: the document `query` names, marked as asked.
fn show_document(
    index: &Index,
    query: &str,
    markup: MarkupArg,
    plain: bool,
    palette: Option<&Palette>,
    out: &mut impl Write,
) -> Result<()> {
    let d = lookup::find_document(index, query)?;
    let opts = ShowOptions {
        markup: match markup {
            MarkupArg::Brackets if !plain => show::Markup::Brackets,
            _ => show::Markup::None,
        },
        palette,
        header: !plain,
    };
    show::write_document(index, d, &opts, out)?;
    Ok(())
}

/// `dossier xref`: the concordance of the entity `query` names.
fn xref(
    index: &Index,
    query: &str,
    format: XrefFormat,
    context: usize,
    palette: Option<&Palette>,
    out: &mut impl Write,
) -> Result<()> {
    let e = lookup::find_entity(index, query)?;
    let c = Concordance::new(index, e, context);
    match format {
        XrefFormat::Text => c.write_text(out, palette)?,
        XrefFormat::Json => c.write_jsonl(out)?,
        XrefFormat::Markdown => c.write_markdown(out)?,
        XrefFormat::Csv => c.write_csv(out)?,
    }
    Ok(())
}

/// The man page, from the clap definition: the sections clap_mangen makes,
/// with the examples and exit codes of `--help` as EXAMPLES and EXIT
/// STATUS.
fn man_page(out: &mut dyn Write) -> io::Result<()> {
    let man = clap_mangen::Man::new(Cli::command());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    // Literal text for roff: backslashes and hyphens escaped, and no line
    // starting with a control character.
    let roff = |s: &str| {
        let s = s.replace('\\', "\\e").replace('-', "\\-");
        if s.starts_with(['.', '\'']) {
            format!("\\&{s}")
        } else {
            s
        }
    };
    let (examples, status) = AFTER_HELP
        .split_once("\n\nExit status:\n")
        .unwrap_or((AFTER_HELP, ""));
    writeln!(out, ".SH EXAMPLES\n.nf")?;
    for line in examples.lines().skip(1) {
        writeln!(out, "{}", roff(line.trim_start()))?;
    }
    writeln!(out, ".fi\n.SH \"EXIT STATUS\"")?;
    for line in status.lines() {
        match line.trim_start().split_once("  ") {
            Some((code, text)) if code.parse::<u8>().is_ok() => {
                writeln!(out, ".TP\n{code}\n{}", roff(text))?
            }
            _ => writeln!(out, "{}", roff(line.trim_start()))?,
        }
    }
    man.render_version_section(out)
}

/// The file `export --format ftm --out DIR` writes.
const FTM_FILE: &str = "entities.ftm.json";

/// The annotation format of an export, `None` for FollowTheMoney.
fn annotation_format(f: ExportFormat) -> Option<Format> {
    Some(match f {
        ExportFormat::Brat => Format::Brat,
        ExportFormat::Doccano => Format::Doccano,
        ExportFormat::Spacy => Format::Spacy,
        ExportFormat::Conll => Format::Conll,
        ExportFormat::Decisions => Format::Decisions,
        ExportFormat::Ftm => return None,
    })
}

/// `export --format ftm`: to standard output, or to [`FTM_FILE`] in `dir`
/// (written privately, never through a link).
fn export_ftm(index: &Index, dir: Option<PathBuf>, out: &mut impl Write) -> Result<()> {
    let Some(dir) = dir else {
        ftm::write(index, out)?;
        return Ok(());
    };
    let file = dir.join(FTM_FILE);
    let cannot = || format!("cannot export to {}", dir.display());
    dossier::files::private_dir(&dir).with_context(cannot)?;
    let mut written = ftm::Written::default();
    dossier::files::write_private_with(&file, |w| {
        written = ftm::write(index, w)?;
        Ok(())
    })
    .with_context(cannot)?;
    writeln!(
        out,
        "wrote {}, {} and {} to {}",
        plural(written.entities, "entity", "entities"),
        plural(written.documents, "document", "documents"),
        plural(written.mentions, "mention", "mentions"),
        sanitize(&file.display().to_string())
    )?;
    Ok(())
}

/// The colours of `show` and `xref`: `--color`, else the config's `color`,
/// else auto (a terminal, and `NO_COLOR` unset). `always` colours whatever
/// `NO_COLOR` says, at the depth `TERM` and `COLORTERM` give.
fn palette(
    when: Option<ColorWhen>,
    config: &Config,
    theme_arg: Option<&str>,
) -> Result<Option<Palette>> {
    let no_color = std::env::var("NO_COLOR").is_ok_and(|v| !v.is_empty());
    let on = match when.or(config.color).unwrap_or_default() {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => io::stdout().is_terminal() && !no_color,
    };
    if !on {
        return Ok(None);
    }
    let depth = theme::detect_depth(|k| (k != "NO_COLOR").then(|| std::env::var(k).ok()).flatten());
    let theme = Theme::load(theme_arg.or(config.theme.as_deref()), depth)?;
    Ok(Some(Palette::from_theme(&theme)))
}

/// After a list of files was read from standard input, the reader takes
/// its keys from the terminal: standard input becomes `/dev/tty`.
#[cfg(unix)]
fn keys_from_terminal() -> Result<()> {
    use std::os::fd::AsRawFd;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .context("the reader needs a terminal for its keys (/dev/tty)")?;
    // SAFETY: both descriptors are open; dup2 replaces descriptor 0.
    if unsafe { libc::dup2(tty.as_raw_fd(), 0) } < 0 {
        return Err(io::Error::last_os_error())
            .context("cannot read keys from the terminal (/dev/tty)");
    }
    Ok(())
}

#[cfg(not(unix))]
fn keys_from_terminal() -> Result<()> {
    bail!("the reader cannot take a list of files on standard input here")
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

fn docs(index: &Index, format: TableFormat, out: &mut impl Write) -> Result<()> {
    if format == TableFormat::Csv {
        let mut w = table::csv_writer(
            out,
            &[
                "id",
                "title",
                "bytes",
                "mentions",
                "date",
                "date_source",
                "url",
            ],
        )?;
        for (d, doc) in index.docs().iter().enumerate() {
            w.write_record([
                &*table::field(&doc.id),
                &*table::field(&doc.title),
                &doc.text.len().to_string(),
                &index.doc_mention_count(d as u32).to_string(),
                doc.date.as_ref().map_or("", |d| d.value.as_str()),
                doc.date.as_ref().map_or("", |d| d.source.as_str()),
                &*table::field(doc.url.as_deref().unwrap_or("")),
            ])?;
        }
        w.flush()?;
        return Ok(());
    }
    let json = format == TableFormat::Json;
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

fn entities(index: &Index, format: TableFormat, out: &mut impl Write) -> Result<()> {
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
    if format == TableFormat::Csv {
        let mut w = table::csv_writer(
            out,
            &["id", "name", "kind", "aliases", "mentions", "documents"],
        )?;
        for e in order {
            let ent = index.entity(e);
            let stats = index.stats(e);
            let seen: Vec<String> = index.aliases_seen(e).into_iter().map(|(a, _)| a).collect();
            w.write_record([
                &*table::field(&ent.id),
                &*table::field(&ent.name),
                ent.kind.as_str(),
                &*table::field(&seen.join("; ")),
                &stats.mentions.to_string(),
                &stats.docs.to_string(),
            ])?;
        }
        w.flush()?;
        return Ok(());
    }
    let json = format == TableFormat::Json;
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

/// Calls `f` with each mention (of `filter`, or all), its document, entity
/// and text, in (document, start) order. The mention's text is its form:
/// no document is read.
fn each_mention(
    index: &Index,
    filter: Option<u32>,
    mut f: impl FnMut(
        &dossier::corpus::Document,
        &dossier::entity::Mention,
        &dossier::entity::Entity,
        &str,
    ) -> Result<()>,
) -> Result<()> {
    // (document, position in its mentions).
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
        f(
            index.doc(m.doc),
            m,
            index.entity(m.entity),
            index.form(d, i),
        )?;
    }
    Ok(())
}

fn mentions(
    index: &Index,
    filter: Option<u32>,
    format: TableFormat,
    out: &mut impl Write,
) -> Result<()> {
    match format {
        TableFormat::Csv => {
            let mut w = table::csv_writer(
                out,
                &[
                    "doc",
                    "start",
                    "end",
                    "text",
                    "entity",
                    "name",
                    "kind",
                    "source",
                    "confidence",
                ],
            )?;
            each_mention(index, filter, |doc, m, ent, text| {
                w.write_record([
                    &*table::field(&doc.id),
                    &m.start.to_string(),
                    &m.end.to_string(),
                    &*table::field(text),
                    &*table::field(&ent.id),
                    &*table::field(&ent.name),
                    ent.kind.as_str(),
                    m.source.as_str(),
                    &(f64::from(m.confidence) / 100.0).to_string(),
                ])?;
                Ok(())
            })?;
            w.flush()?;
        }
        TableFormat::Json => each_mention(index, filter, |doc, m, ent, text| {
            let line = json!({
                "doc": doc.id, "start": m.start, "end": m.end, "text": text,
                "entity": ent.id, "name": ent.name, "kind": ent.kind.as_str(),
                "source": m.source.as_str(), "confidence": f64::from(m.confidence) / 100.0,
            });
            writeln!(out, "{}", to_json(&line))?;
            Ok(())
        })?,
        TableFormat::Table => {
            writeln!(
                out,
                "{:<28} {:>6} {:>6}  {:<30} {:<30} {:<6} SOURCE",
                "DOC", "START", "END", "TEXT", "ENTITY", "KIND"
            )?;
            each_mention(index, filter, |doc, m, ent, text| {
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
                Ok(())
            })?;
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
