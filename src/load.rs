//! Opening a corpus: loading its files, assembling the knowledge bases and
//! running the entity engine. Shared by the reader and the headless commands.

use crate::corpus::{self, Corpus, CorpusError};
use crate::entity::{Engine, KbError, KnowledgeBase, Progress};
use crate::index::Index;
use std::path::PathBuf;
use thiserror::Error;

mod seeds {
    include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
}

/// The name shown for the bundled corpus.
pub const BUNDLED: &str = "<bundled seeds>";

/// The name of a knowledge-base file that a corpus directory may carry.
pub const CORPUS_KB: &str = "dossier.toml";

/// What to open, and with which knowledge bases.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// A file or directory; `None` opens the bundled seeds.
    pub path: Option<PathBuf>,
    /// Extra knowledge-base files, applied after the default one.
    pub kb_files: Vec<PathBuf>,
    /// Leave out the embedded default knowledge base.
    pub no_default_kb: bool,
}

/// Opening a corpus failed.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error("knowledge base {0}")]
    Kb(#[from] KbError),
}

/// The bundled seed corpus.
pub fn bundled_corpus() -> Corpus {
    corpus::load_embedded(BUNDLED, seeds::SEEDS)
}

/// The bundled seed files: (file name, bytes).
pub fn bundled_files() -> &'static [(&'static str, &'static [u8])] {
    seeds::SEEDS
}

/// Loads the corpus named by `opts` (the bundled seeds when no path is given).
pub fn load_corpus(opts: &OpenOptions) -> Result<Corpus, OpenError> {
    Ok(match &opts.path {
        Some(p) => corpus::load_path(p)?,
        None => bundled_corpus(),
    })
}

/// The knowledge base for `opts`: the default one (unless turned off), then
/// the corpus's own `dossier.toml`, then each `--kb` file in order.
pub fn knowledge_base(opts: &OpenOptions) -> Result<KnowledgeBase, OpenError> {
    let mut kb = if opts.no_default_kb {
        KnowledgeBase::new()
    } else {
        KnowledgeBase::default_kb()
    };
    if let Some(dir) = opts.path.as_deref().filter(|p| p.is_dir()) {
        let own = dir.join(CORPUS_KB);
        if own.is_file() {
            kb.add_file(&own)?;
        }
    }
    for f in &opts.kb_files {
        kb.add_file(f)?;
    }
    Ok(kb)
}

/// Loads, analyses and indexes a corpus, reporting progress as it goes.
pub fn open_index(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Index, OpenError> {
    let kb = knowledge_base(opts)?;
    progress(Progress {
        stage: "loading",
        done: 0,
        total: 0,
    });
    let corpus = load_corpus(opts)?;
    let analysis = Engine::new(kb).analyse_with_progress(&corpus, progress);
    Ok(Index::new(corpus, analysis))
}

/// A short display name for what `opts` opens.
pub fn display_name(opts: &OpenOptions) -> String {
    match &opts.path {
        Some(p) => p.display().to_string(),
        None => BUNDLED.to_string(),
    }
}
