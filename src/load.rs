//! Opening a corpus: loading its files, assembling the knowledge bases and
//! running the entity engine. Shared by the reader and the headless commands.

use crate::annotate::{Journal, JournalError, Workspace};
use crate::corpus::{self, Corpus, CorpusError, WordSignatures};
use crate::entity::digest::{Digest, DigestWriter};
use crate::entity::engine::Earlier;
use crate::entity::{DocId, Engine, KbError, KnowledgeBase, Progress};
use crate::files;
use crate::index::{Forms, Index, cache, words};
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    /// The annotation journal; `None` means the default place for this
    /// corpus (see [`journal_path`]).
    pub annotations: Option<PathBuf>,
    /// Keep the engine's analysis in the on-disk cache and reuse it (see
    /// [`crate::index::cache`]); off unless asked for. The bundled seeds are
    /// never cached.
    pub cache: bool,
    /// Who the decisions made now are by; `None` means the login name.
    pub annotator: Option<String>,
    /// A list of files to read instead of `path` (given on standard input:
    /// see [`crate::pathlist`]). Never cached.
    pub files: Option<Vec<PathBuf>>,
}

/// Opening a corpus failed.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    #[error(transparent)]
    Kb(#[from] KbError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(
        "no place for the annotation journal: set XDG_DATA_HOME or HOME to an absolute path, or pass --annotations FILE"
    )]
    NoJournalPlace,
}

/// The bundled seed corpus.
pub fn bundled_corpus() -> Corpus {
    corpus::load_embedded(BUNDLED, seeds::SEEDS)
}

/// The bundled seed files: (file name, bytes).
pub fn bundled_files() -> &'static [(&'static str, &'static [u8])] {
    seeds::SEEDS
}

/// Loads the corpus named by `opts` (the bundled seeds when no path is
/// given) with its texts ready for the engine, as the reader does without
/// its cache: a large corpus's texts are in a scratch file, not in memory
/// (see [`Corpus::spill_texts`]), so read them with
/// [`Text::fetch`](corpus::Text::fetch).
pub fn load_corpus(opts: &OpenOptions) -> Result<Corpus, OpenError> {
    let mut corpus = if let Some(files) = &opts.files {
        crate::pathlist::load_files(files)
    } else {
        match &opts.path {
            Some(p) => {
                // Its texts are spilled as they are parsed, if it is large.
                let mut listing = corpus::list_path(p)?;
                listing.spill_with(|bytes| spill_for(bytes, None));
                let (corpus, _) = corpus::load_listing(listing, Vec::new(), &mut |_| {});
                return Ok(corpus);
            }
            None => bundled_corpus(),
        }
    };
    prepare_texts(&mut corpus, None, None);
    Ok(corpus)
}

/// The knowledge base for `opts`: the default one (unless turned off), then
/// the corpus's own `dossier.toml`, then each `--kb` file in order.
pub fn knowledge_base(opts: &OpenOptions) -> Result<KnowledgeBase, OpenError> {
    let mut kb = if opts.no_default_kb {
        KnowledgeBase::new()
    } else {
        KnowledgeBase::default_kb()
    };
    let root = opts.files.as_deref().map(crate::pathlist::root_of);
    if let Some(dir) = root
        .as_deref()
        .or(opts.path.as_deref())
        .filter(|p| p.is_dir())
    {
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

/// What identifies a corpus for its journal: its canonical path, or
/// `bundled-seeds`; for a list of files, `list:` and the canonical path of
/// the directory that holds them (every list under one directory shares a
/// journal, apart from the directory's own).
pub fn corpus_key(opts: &OpenOptions) -> String {
    if let Some(files) = &opts.files {
        let root = crate::pathlist::root_of(files);
        let root = std::fs::canonicalize(&root).unwrap_or(root);
        return format!("list:{}", root.display());
    }
    match &opts.path {
        Some(p) => std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.clone())
            .display()
            .to_string(),
        None => "bundled-seeds".to_string(),
    }
}

/// Where the annotation journal of `opts` lives: `--annotations`, or
/// `$XDG_DATA_HOME/dossier/journals/<corpus>-<hash>.jsonl`.
pub fn journal_path(opts: &OpenOptions) -> Result<PathBuf, OpenError> {
    match &opts.annotations {
        Some(p) => Ok(p.clone()),
        None => crate::annotate::journal::default_path(&corpus_key(opts))
            .ok_or(OpenError::NoJournalPlace),
    }
}

/// A corpus and its analysis: computed, with the forms of its mentions, or
/// read from the cache, indexed already.
enum Analysed {
    Computed {
        corpus: Arc<Corpus>,
        analysis: crate::entity::Analysis,
        forms: Forms,
    },
    Cached(Index),
}

impl Analysed {
    fn index(self) -> Index {
        match self {
            Analysed::Computed {
                corpus,
                analysis,
                forms,
            } => Index::with_forms(corpus, analysis, forms),
            Analysed::Cached(index) => index,
        }
    }

    fn workspace(self, journal: Journal) -> Workspace {
        Workspace::over(self.index(), journal)
    }
}

/// From how many bytes of text a corpus's texts are spilled while it is
/// indexed (see [`prepare_texts`]).
const SPILL_FROM: u64 = 64 << 20;

/// A scratch file for the texts of a corpus of `bytes` (see
/// [`prepare_texts`]): `None` for a small corpus, or when none can be made.
/// It goes in the cache's directory when there is one (`cache`), or else
/// in the system's temporary one.
fn spill_for(bytes: u64, cache: Option<&Path>) -> Option<Arc<corpus::Spill>> {
    if bytes < SPILL_FROM {
        return None;
    }
    let dir = cache
        .filter(|path| cache::ready(path).is_ok())
        .and_then(Path::parent);
    dir.and_then(|d| corpus::Spill::new_in(Some(d)).ok())
        .or_else(|| corpus::Spill::new_in(None).ok())
        .map(Arc::new)
}

/// Gets the texts ready for the engine, which reads each a few times. A
/// small corpus's are held in memory. A large one's are written to a
/// private scratch file, `spill` or a new one (see [`spill_for`]), and read
/// back a document at a time, so that the engine never holds them all:
/// they are most of the corpus's bytes. When no scratch file can be
/// written, they are held: that costs memory, nothing else.
fn prepare_texts(corpus: &mut Corpus, spill: Option<Arc<corpus::Spill>>, cache: Option<&Path>) {
    let bytes: u64 = corpus.docs.iter().map(|d| d.text.len() as u64).sum();
    match spill.or_else(|| spill_for(bytes, cache)) {
        // On an error the texts are held instead.
        Some(s) => drop(corpus.spill_texts(&s)),
        None => corpus.hold_texts(),
    }
    // What the texts held goes back to the system.
    crate::entity::release_freed_memory();
}

/// Loads and analyses the corpus of `opts`, through the index cache when
/// `opts.cache` asks for it. `listed` is given the corpus as soon as it is
/// loaded, before the engine runs or the index is built.
///
/// With the cache, a file whose stamp is unchanged is not read at all, and
/// an unchanged corpus is not analysed again. A corpus loaded from files
/// keeps its texts on disk once analysed: each is read again when used.
fn analyse(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
    listed: &mut dyn FnMut(&Arc<Corpus>),
) -> Result<Analysed, OpenError> {
    progress(Progress {
        stage: "loading",
        done: 0,
        total: 0,
    });
    if let Some(files) = &opts.files {
        let kb = knowledge_base(opts)?;
        let mut corpus = crate::pathlist::load_files(files);
        prepare_texts(&mut corpus, None, None);
        let corpus = Arc::new(corpus);
        listed(&corpus);
        let analysis = Engine::new(kb).analyse_with_progress(&corpus, progress);
        let forms = Forms::of(&corpus, &analysis.mentions);
        // Texts are read from their files from here on, as for a directory:
        // a scratch file of spilled texts goes now, not at the end.
        let corpus = corpus.lazy_copy().map_or(corpus, Arc::new);
        return Ok(Analysed::Computed {
            corpus,
            analysis,
            forms,
        });
    }
    let mut cache_path = opts
        .cache
        .then_some(opts.path.as_ref())
        .flatten()
        .and_then(|_| cache::default_path(&corpus_key(opts)));
    // The cache's head is read, and the knowledge base parsed, while the
    // files are listed and stat'ed.
    let (kb, read, listing) = std::thread::scope(|s| {
        let reading = s.spawn(|| cache_path.as_deref().map(cache::read));
        let parsing = s.spawn(|| knowledge_base(opts));
        let listing = opts.path.as_deref().map(corpus::list_path);
        let read = reading
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        let kb = parsing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (kb, read, listing)
    });
    let kb = kb?;
    let mut trouble: Option<(PathBuf, String)> = None;
    let mut cached = match read {
        Some(Ok(c)) => Some(c),
        Some(Err(cache::Miss::Invalid(why) | cache::Miss::Unreadable(why))) => {
            trouble = cache_path
                .clone()
                .map(|p| (p, format!("index cache ignored and rebuilt: {why}")));
            None
        }
        _ => None,
    };
    let previous = cached.as_mut().map(cache::Cached::take_files);
    // When many files are to be read, their texts go to a scratch file as
    // they are parsed; the engine's pass below uses the same one.
    let spill: Arc<std::sync::OnceLock<Arc<corpus::Spill>>> = Arc::default();
    let (mut corpus, reuse) = match listing {
        Some(listing) => {
            let mut listing = listing?;
            let (made, cache) = (Arc::clone(&spill), cache_path.clone());
            listing.spill_with(move |bytes| {
                let s = spill_for(bytes, cache.as_deref())?;
                Some(Arc::clone(made.get_or_init(|| s)))
            });
            corpus::load_listing(listing, previous.unwrap_or_default(), &mut |part| {
                listed(&Arc::new(part))
            })
        }
        None => (bundled_corpus(), corpus::Reuse::default()),
    };
    if let Some((path, message)) = trouble {
        warn(&mut corpus, &path, message);
    }
    let mut key = cache::Key::new(&corpus, &kb);
    let mut reuse = Some(reuse);
    // A cache of this engine and knowledge base for the corpus as it was:
    // what lets only the files that changed be analysed again.
    let mut earlier = None;
    let cached = match cached {
        Some(c) if !c.is_for(&key) => {
            earlier = Some(c).filter(|c| c.key().same_engine_and_kb(&key));
            None
        }
        c => c,
    };
    if let Some(c) = cached {
        // The files' records are needed again only if the lists turn out
        // damaged: they are freed now, on the side (or here, if no thread
        // can be had), before the lists are read.
        let records = reuse.take();
        let _ = std::thread::Builder::new().spawn(move || drop(records));
        match c.check(&key, &corpus) {
            Ok(ready) => {
                let corpus = Arc::new(corpus);
                if let Some(path) = &cache_path {
                    sign_when_asked(&corpus, path, key.corpus);
                }
                listed(&corpus);
                let total = corpus.docs.len();
                progress(Progress {
                    stage: "done",
                    done: total,
                    total,
                });
                return Ok(Analysed::Cached(ready.index(corpus)));
            }
            Err(miss) => {
                // The files are listed again for their records (the
                // unchanged ones from the cache's head, not read).
                if let (Some(dir), Some(path)) = (&opts.path, &cache_path) {
                    let previous =
                        cache::read(path).map_or_else(|_| Vec::new(), |mut c| c.take_files());
                    let (again, records) =
                        corpus::load_listing(corpus::list_path(dir)?, previous, &mut |_| {});
                    corpus = again;
                    reuse = Some(records);
                    key = cache::Key::new(&corpus, &kb);
                    if let cache::Miss::Invalid(why) | cache::Miss::Unreadable(why) = miss {
                        warn(
                            &mut corpus,
                            path,
                            format!("index cache ignored and rebuilt: {why}"),
                        );
                    }
                }
            }
        }
    }
    let reuse = reuse.unwrap_or_default();
    // Say now, while the corpus can still take a warning, if the analysis
    // cannot be kept.
    if let Some(path) = &cache_path
        && let Err(e) = cache::ready(path)
    {
        warn(&mut corpus, path, format!("index cache not written: {e}"));
        cache_path = None;
    }
    let engine = Engine::new(kb);
    // The engine's digest of the analysis goes to a scratch file beside the
    // cache as it is made, and beside the cache once the cache is written.
    let mut digest = digesting(cache_path.as_deref(), &key);
    let mut corpus = match (&cache_path, earlier) {
        (Some(path), Some(earlier)) => {
            let corpus = Arc::new(corpus);
            listed(&corpus);
            match again(&engine, &corpus, earlier, path, progress, digest.as_mut()) {
                Some((analysis, forms, signed)) => {
                    let made = (analysis, forms, Some(signed));
                    return keep(corpus, made, &engine, &key, &reuse, cache_path, digest);
                }
                // Analysed whole: the digest is written again from the start.
                None => {
                    digest = digesting(cache_path.as_deref(), &key);
                    Arc::try_unwrap(corpus).unwrap_or_else(|shared| (*shared).clone())
                }
            }
        }
        (_, _) => corpus,
    };
    // The engine reads every text: those of unchanged files are read now.
    prepare_texts(&mut corpus, spill.get().cloned(), cache_path.as_deref());
    let corpus = Arc::new(corpus);
    listed(&corpus);
    let analysis = engine.analyse_digested(&corpus, progress, digest.as_mut());
    crate::entity::release_freed_memory();
    let forms = Forms::of(&corpus, &analysis.mentions);
    let made = (analysis, forms, None);
    keep(corpus, made, &engine, &key, &reuse, cache_path, digest)
}

/// Adds a warning about `path` to `corpus`.
fn warn(corpus: &mut Corpus, path: &Path, message: String) {
    corpus.warnings.push(crate::corpus::Warning {
        path: path.to_path_buf(),
        message,
    });
}

/// A digest of an analysis, written to a scratch file as it is made.
type Digesting = DigestWriter<std::io::BufWriter<std::fs::File>>;

/// A digest for the analysis keyed `key`, to a scratch file beside the
/// cache at `cache`; none without a cache, or a scratch file.
fn digesting(cache: Option<&Path>, key: &cache::Key) -> Option<Digesting> {
    let file = files::scratch_file(cache?.parent()).ok()?;
    Some(DigestWriter::new(std::io::BufWriter::new(file), key.tag()))
}

/// The analysis of `corpus` made from the one `earlier` cached at `cache`
/// for the corpus as it was, analysing again only the files that changed
/// (see [`Engine::reanalyse`]), with its forms and word signatures; its
/// digest goes to `digest`. `None` when the earlier analysis or its digest
/// cannot be used, or the change needs the corpus analysed whole.
fn again(
    engine: &Engine,
    corpus: &Arc<Corpus>,
    earlier: cache::Cached,
    cache: &Path,
    progress: &mut dyn FnMut(Progress),
    digest: Option<&mut Digesting>,
) -> Option<(crate::entity::Analysis, Forms, WordSignatures)> {
    let (tag, docs) = (earlier.key().tag(), earlier.key().docs as usize);
    // Far more than a digest takes (about 700 bytes a document at 100,000
    // articles), and far less than a junk file could make it read.
    let cap = (docs as u64)
        .saturating_mul(16 << 10)
        .saturating_add(16 << 20);
    let bytes = files::read_regular(&cache::digest_path(cache), cap).ok()?;
    let before = Digest::from_bytes(&bytes, tag, docs)?;
    drop(bytes);
    let signed = words::read(&words::path_beside(cache), earlier.key().corpus, docs);
    let stored = earlier.stored().ok()?;
    // The forms of the mentions kept, read with them, for the forms below.
    let kept_forms: Vec<std::sync::OnceLock<Vec<u32>>> = corpus
        .docs
        .iter()
        .map(|_| std::sync::OnceLock::new())
        .collect();
    let mentions = |then: DocId, now: DocId| {
        let text = &corpus.docs.get(now as usize)?.text;
        let (m, forms) = stored.doc(then, text)?;
        let _ = kept_forms.get(now as usize)?.set(forms);
        Some(m)
    };
    let made = engine
        .reanalyse(
            corpus,
            Earlier {
                digest: before,
                entity_ids: stored.entity_ids(),
                mentions: &mentions,
                signatures: signed.as_ref(),
            },
            progress,
            digest,
        )
        .ok()?;
    // The signatures of the documents that are the same are the earlier
    // ones: only the others' texts are read for theirs.
    let sigs = match &signed {
        Some(earlier) => words::build_from(corpus, earlier, &made.same),
        None => words::build(corpus),
    };
    drop(signed);
    crate::entity::release_freed_memory();
    // A document made again may have had its earlier mentions read first.
    let mut kept_forms: Vec<Option<Vec<u32>>> = kept_forms
        .into_iter()
        .zip(&made.earlier)
        .map(|(f, then)| f.into_inner().filter(|_| then.is_some()))
        .collect();
    let forms = Forms::of_known(corpus, &made.analysis.mentions, |d| {
        let forms = kept_forms.get_mut(d as usize)?.take()?;
        forms.iter().map(|&f| stored.form(f)).collect()
    });
    Some((made.analysis, forms, sigs))
}

/// Keeps the analysis of `corpus` just made, with its forms and its word
/// signatures if they are made already: the signatures, the cache and the
/// digest (when there is a cache), then the index opened from the cache,
/// as a restart opens it.
fn keep(
    mut corpus: Arc<Corpus>,
    (analysis, forms, signed): (crate::entity::Analysis, Forms, Option<WordSignatures>),
    engine: &Engine,
    key: &cache::Key,
    reuse: &corpus::Reuse,
    cache_path: Option<PathBuf>,
    digest: Option<Digesting>,
) -> Result<Analysed, OpenError> {
    // The words of every text (made now, while a cold index has its texts
    // at hand, unless made already): what lets a decision about a text
    // search only the documents that may have it. Kept beside the cache, they are let go and read back when a decision
    // first needs them, as after a restart (51 MB at 100,000 articles); with
    // nowhere to keep them, they are held. Without them a decision
    // searches every document: nothing is lost.
    let sigs = signed.unwrap_or_else(|| words::build(&corpus));
    let beside = cache_path
        .as_deref()
        .filter(|path| words::store(&words::path_beside(path), key.corpus, &sigs).is_ok());
    match beside {
        Some(_) => drop(sigs),
        None => {
            corpus.words.set(sigs);
        }
    }
    // From here on, a text is read when it is shown, searched or exported:
    // the texts are let go before the cache is written and the index built.
    if let Some(lazy) = corpus.lazy_copy() {
        corpus = Arc::new(lazy);
        crate::entity::release_freed_memory();
    }
    if let Some(path) = beside {
        sign_when_asked(&corpus, path, key.corpus);
    }
    if let Some(path) = &cache_path {
        match cache::store(path, key, &reuse.records(&corpus), &analysis, &forms) {
            Ok(()) => {
                store_digest(path, digest);
                // The analysis is in the cache's lists now: it is let go
                // before the index is opened from there, so that the two
                // are never held together.
                drop((analysis, forms));
                crate::entity::release_freed_memory();
                if let Some(index) = reopened(path, key, &corpus) {
                    return Ok(Analysed::Cached(index));
                }
                // Not read back as it was written (a failing disk): the
                // corpus is analysed again, its texts read from their files.
                let analysis = engine.analyse(&corpus);
                let forms = Forms::of(&corpus, &analysis.mentions);
                return Ok(Analysed::Computed {
                    corpus,
                    analysis,
                    forms,
                });
            }
            Err(e) => {
                if let Some(c) = Arc::get_mut(&mut corpus) {
                    // A reader that holds the corpus already is not told: the
                    // cache is an optimisation, and the next start tries again.
                    warn(c, path, format!("index cache not written: {e}"));
                }
            }
        }
    }
    Ok(Analysed::Computed {
        corpus,
        analysis,
        forms,
    })
}

/// Puts the digest written to a scratch file beside the cache at `cache`;
/// without one (it could not be written), removes the one there, which is
/// of another analysis.
fn store_digest(cache: &Path, digest: Option<Digesting>) {
    use std::io::Seek;
    let path = cache::digest_path(cache);
    let written = digest.and_then(|d| {
        let mut file = d.finish().ok()?.into_inner().ok()?;
        file.rewind().ok()?;
        files::write_private_with(&path, |w| std::io::copy(&mut file, w).map(|_| ())).ok()
    });
    if written.is_none() {
        let _ = std::fs::remove_file(&path);
    }
}

/// The index of `corpus` from the cache just written at `path`, opened as a
/// restart opens it: its mention lists stay in the file and are read when
/// first used, so that a session that has just indexed a corpus does not
/// keep the whole analysis in memory (at 100,000 articles the reader then
/// holds about 390 MB, against 612 MB). `None` when the file cannot be read
/// back as it was written.
fn reopened(path: &Path, key: &cache::Key, corpus: &Arc<Corpus>) -> Option<Index> {
    let cached = cache::read(path).ok().filter(|c| c.is_for(key))?;
    let ready = cached.check(key, corpus).ok()?;
    Some(ready.index(Arc::clone(corpus)))
}

/// Gives a corpus opened from the cache a way to its word signatures when
/// they are first needed (not at the start, which reads none of them): read
/// from beside the cache or, when they are missing or damaged, made from
/// the texts and stored there.
fn sign_when_asked(corpus: &Arc<Corpus>, cache: &std::path::Path, fingerprint: u64) {
    let weak = Arc::downgrade(corpus);
    let path = words::path_beside(cache);
    corpus.words.load_with(Box::new(move || {
        let corpus = weak.upgrade()?;
        if let Some(sigs) = words::read(&path, fingerprint, corpus.docs.len()) {
            return Some(sigs);
        }
        let sigs = words::build(&corpus);
        let _ = words::store(&path, fingerprint, &sigs);
        Some(sigs)
    }));
}

/// Like [`open_workspace`], but reads the journal without taking the lock.
pub fn open_read_only(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Workspace, OpenError> {
    let analysed = analyse(opts, progress, &mut |_| {})?;
    let mut journal = match journal_path(opts) {
        Ok(p) => Journal::read(&p)?,
        Err(_) => Journal::read(std::path::Path::new(""))?,
    };
    journal.check_corpus(&corpus_key(opts));
    set_annotator(&mut journal, opts);
    Ok(analysed.workspace(journal))
}

/// Loads and analyses a corpus and opens its journal for writing (or
/// read-only when another instance holds it).
pub fn open_workspace(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Workspace, OpenError> {
    let path = journal_path(opts)?;
    let mut journal = Journal::open(&path, &corpus_key(opts))?;
    set_annotator(&mut journal, opts);
    Ok(analyse(opts, progress, &mut |_| {})?.workspace(journal))
}

/// Opens a corpus for the interactive reader. Like [`open_workspace`], but
/// a journal that cannot be opened for writing (no place for it, a
/// permission or format problem) does not stop the reader: its annotations
/// are read if possible, the workspace is read-only, and the reason is
/// returned for the status line. Corpus and knowledge-base errors are still
/// errors.
///
/// `listed` is given the corpus as soon as its files are read, before the
/// engine runs, so that the reader can list and show the documents at once.
pub fn open_for_reader(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
    listed: &mut dyn FnMut(&Arc<Corpus>),
) -> Result<(Workspace, Option<String>), OpenError> {
    let nowhere = || Journal::read(std::path::Path::new(""));
    let (journal, trouble) = match journal_path(opts) {
        Ok(path) => match Journal::open(&path, &corpus_key(opts)) {
            Ok(j) => (j, None),
            Err(e) => match Journal::read(&path) {
                Ok(j) => (
                    j,
                    Some(format!("annotations cannot be saved: {}", e.with_causes())),
                ),
                Err(_) => (
                    nowhere()?,
                    Some(format!("annotations are off: {}", e.with_causes())),
                ),
            },
        },
        Err(e) => (nowhere()?, Some(format!("annotations are off: {e}"))),
    };
    let mut journal = journal;
    journal.check_corpus(&corpus_key(opts));
    set_annotator(&mut journal, opts);
    Ok((analyse(opts, progress, listed)?.workspace(journal), trouble))
}

fn set_annotator(journal: &mut Journal, opts: &OpenOptions) {
    if let Some(name) = opts.annotator.as_deref() {
        journal.set_annotator(name);
    }
}

/// The engine's analysis of the corpus of `opts`, indexed, with no
/// decision applied (what the journals of several annotators are compared
/// against).
pub fn open_base(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<crate::index::Index, OpenError> {
    Ok(analyse(opts, progress, &mut |_| {})?.index())
}

/// A short display name for what `opts` opens.
pub fn display_name(opts: &OpenOptions) -> String {
    if let Some(files) = &opts.files {
        return format!(
            "{} listed under {}",
            crate::text::plural(files.len(), "file", "files"),
            crate::pathlist::root_of(files).display()
        );
    }
    match &opts.path {
        Some(p) => p.display().to_string(),
        None => BUNDLED.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_just_cached_is_opened_from_the_cache_as_a_restart_opens_it() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dev/corpus");
        let corpus = corpus::load_path(Path::new(dir)).unwrap();
        let kb = KnowledgeBase::default_kb();
        let key = cache::Key::new(&corpus, &kb);
        let analysis = Engine::new(kb).analyse(&corpus);
        let forms = Forms::of(&corpus, &analysis.mentions);
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("dossier").join("dev.index");
        cache::ready(&path).unwrap();
        let corpus = Arc::new(corpus);
        // Nothing there yet, or another key: the analysis in memory is used.
        assert!(reopened(&path, &key, &corpus).is_none());
        cache::store(&path, &key, &[], &analysis, &forms).unwrap();
        let other = cache::Key {
            docs: key.docs + 1,
            ..key.clone()
        };
        assert!(reopened(&path, &other, &corpus).is_none());
        let built = Index::with_forms(Arc::clone(&corpus), analysis, forms);
        let back = reopened(&path, &key, &corpus).expect("the cache just written");
        assert!(built.mention_count() > 500);
        assert_eq!(back.mention_count(), built.mention_count());
        assert_eq!(back.entities(), built.entities());
        for d in 0..corpus.docs.len() as u32 {
            assert_eq!(back.doc_mentions(d), built.doc_mentions(d));
        }
        // A damaged file is not read back.
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, bytes).unwrap();
        assert!(reopened(&path, &key, &corpus).is_none());
    }

    #[test]
    fn only_a_large_corpus_spills_and_its_scratch_file_goes_beside_the_cache() {
        let home = tempfile::tempdir().unwrap();
        let cache = home.path().join("dossier").join("corpus.index");
        assert!(spill_for(SPILL_FROM - 1, Some(&cache)).is_none());
        assert!(spill_for(SPILL_FROM, Some(&cache)).is_some());
        // The cache's directory is made private for it, and the scratch
        // file leaves no name behind.
        let dir = cache.parent().unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        assert_eq!(std::fs::read_dir(dir).unwrap().count(), 0);
        // No cache, or one that cannot be used: the temporary directory.
        assert!(spill_for(SPILL_FROM, None).is_some());
        let file = home.path().join("plain-file");
        std::fs::write(&file, "").unwrap();
        assert!(spill_for(SPILL_FROM, Some(&file.join("x.index"))).is_some());
    }
}
