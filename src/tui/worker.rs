//! The annotation workspace on its own thread: it opens the corpus with its
//! journal, then carries out decisions, undos and redos one at a time, in
//! the order they were made, and answers each with the new index and a
//! status message. The screen says "saved" only when the journal says the
//! line is on disk.
//!
//! [`execute`] is the whole of one step, so tests drive it directly.

pub use super::answer::Applied;
use super::answer::{Hit, JournalInfo};
use crate::annotate::{Journal, JournalError, Op, Saved, Workspace};
use crate::corpus::Corpus;
use crate::entity::{DocId, Progress};
use crate::index::Index;
use crate::load::{self, OpenOptions};
use crate::text;
use std::path::Path;

/// What the UI asks the workspace to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Decide(Op),
    Undo,
    Redo,
    /// Try again to open the journal for writing (see [`take_over`]).
    TakeOver,
    /// Try again to write the decisions that are not on disk yet.
    Flush,
}

/// Decisions that could not be written when the reader quit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsaved {
    pub ops: Vec<Op>,
    /// Why the last write failed.
    pub reason: String,
}

impl Unsaved {
    /// The line on standard error before the decisions.
    pub fn heading(&self) -> String {
        format!(
            "dossier: {} NOT SAVED ({}); {}:",
            text::plural(
                self.ops.len(),
                "annotation decision was",
                "annotation decisions were"
            ),
            self.reason,
            if self.ops.len() == 1 {
                "here it is as a line of JSON"
            } else {
                "here they are as JSON, one per line"
            },
        )
    }

    /// Each decision as one line of JSON: the journal's line for it, less
    /// its sequence number and time.
    pub fn json_lines(&self) -> Vec<String> {
        self.ops
            .iter()
            .map(|op| {
                serde_json::to_string(op).unwrap_or_else(|e| format!("{{\"unprintable\":\"{e}\"}}"))
            })
            .collect()
    }

    /// The error the reader exits with.
    pub fn summary(&self) -> String {
        format!(
            "{} not saved ({}); printed above as JSON lines",
            text::plural(
                self.ops.len(),
                "annotation decision",
                "annotation decisions"
            ),
            self.reason
        )
    }
}

/// What went wrong in a few words, for the status line: the innermost
/// cause ("File too large (os error 27)"); the journal view and the
/// question on quitting give the whole of [`JournalError::with_causes`].
pub fn short_error(e: &JournalError) -> String {
    let mut last = None;
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        last = Some(cause.to_string());
        source = cause.source();
    }
    last.unwrap_or_else(|| e.to_string())
}

/// Writes the decisions still pending, when the reader quits; what cannot
/// be written is returned, with the reason.
pub fn flush_at_exit(ws: &mut Workspace) -> Option<Unsaved> {
    if ws.pending().is_empty() {
        return None;
    }
    match ws.flush() {
        Ok(()) => None,
        Err(e) => Some(Unsaved {
            ops: ws.pending().to_vec(),
            reason: e.with_causes(),
        }),
    }
}

/// The corpus, opened.
#[derive(Debug)]
pub struct Opened {
    pub index: Index,
    pub journal: JournalInfo,
}

/// The message for a journal that refuses to write.
pub const READ_ONLY: &str = "read-only: another dossier holds the journal (W retries)";

/// The message for a journal taken over.
pub const WRITABLE_NOW: &str = "journal is writable now";

/// The journal's state for the screen. `trouble` says why the journal
/// could not be opened for writing, when that is not another instance.
pub fn journal_info(ws: &Workspace, trouble: Option<String>) -> JournalInfo {
    let j = ws.journal();
    let report = ws.report();
    let in_force = j.effective();
    JournalInfo {
        path: Some(j.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()),
        read_only: ws.read_only(),
        trouble,
        warnings: j.warnings.clone(),
        unplaced: report.unplaced.clone(),
        notes: report.notes.clone(),
        merged: report.merged.keys().cloned().collect(),
        mention_notes: ws.mention_notes(),
        decisions: in_force.len(),
        recent: in_force
            .iter()
            .rev()
            .take(crate::tui::app::RECENT_DECISIONS)
            .map(|&(seq, op)| (seq, op.describe_in(ws.index())))
            .collect(),
        not_applied: report
            .not_applied
            .iter()
            .map(|(op, why)| (op.describe_in(ws.index()), why.clone()))
            .collect(),
        pending: ws.pending().len(),
        save_error: None,
    }
}

/// Opens the corpus for the reader: the journal for writing, read-only when
/// another instance holds it, and read-only with the reason when it cannot
/// be opened at all.
pub fn open(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
    listed: &mut dyn FnMut(&std::sync::Arc<crate::corpus::Corpus>),
) -> Result<(Workspace, Option<String>), String> {
    load::open_for_reader(opts, progress, listed).map_err(|e| format!("{e:#}"))
}

/// What a decision did, for the status line, with entities named as the
/// index knows them.
pub fn describe(op: &Op, index: Option<&crate::index::Index>) -> String {
    match index {
        Some(index) => op.describe_in(index),
        None => op.describe(),
    }
}

fn refused(e: &JournalError) -> (String, bool) {
    match e {
        JournalError::ReadOnly(_) => (READ_ONLY.to_string(), true),
        JournalError::Nothing(what) => (format!("nothing to {what}"), false),
        other => (format!("NOT SAVED ({})", short_error(other)), true),
    }
}

/// Carries out one command.
pub fn execute(ws: &mut Workspace, cmd: Command, trouble: Option<&str>) -> Applied {
    if ws.read_only() {
        let message = match trouble {
            Some(t) => format!("read-only: {t}"),
            None => READ_ONLY.to_string(),
        };
        return Applied {
            index: None,
            journal: journal_info(ws, trouble.map(str::to_string)),
            message,
            error: true,
        };
    }
    // Why a write failed in this command, for the question on quitting.
    let mut save_error: Option<String> = None;
    let (changed, message, error) = match cmd {
        Command::Decide(op) => {
            let what = describe(&op, Some(ws.index()));
            match ws.decide(op) {
                Ok(Saved::Durable) => (true, format!("saved: {what}"), false),
                Ok(Saved::Pending(full)) => {
                    // The innermost cause is the last part ("File too large
                    // (os error 27)").
                    let why = full.rsplit(": ").next().unwrap_or(&full).to_string();
                    save_error = Some(full);
                    (true, format!("NOT SAVED ({why}) — will retry"), true)
                }
                Err(e) => {
                    if matches!(e, JournalError::Io { .. }) {
                        save_error = Some(e.with_causes());
                    }
                    let (m, err) = refused(&e);
                    (false, m, err)
                }
            }
        }
        Command::Flush => {
            let n = ws.pending().len();
            if n == 0 {
                (false, "every decision is on disk".to_string(), false)
            } else {
                match ws.flush() {
                    Ok(()) => (
                        false,
                        format!("saved {}", text::plural(n, "decision", "decisions")),
                        false,
                    ),
                    Err(e) => {
                        save_error = Some(e.with_causes());
                        let why = short_error(&e);
                        let left = ws.pending().len();
                        (
                            false,
                            format!(
                                "still NOT SAVED ({why}): {} waiting",
                                text::plural(left, "decision", "decisions")
                            ),
                            true,
                        )
                    }
                }
            }
        }
        Command::Undo => {
            let was_pending = !ws.pending().is_empty();
            match ws.undo() {
                Ok(op) if was_pending => (
                    true,
                    format!(
                        "undone (it was not saved): {}",
                        describe(&op, Some(ws.index()))
                    ),
                    false,
                ),
                Ok(op) => (
                    true,
                    format!("undone: {}", describe(&op, Some(ws.index()))),
                    false,
                ),
                Err(e) => {
                    if matches!(e, JournalError::Io { .. }) {
                        save_error = Some(e.with_causes());
                    }
                    let (m, err) = refused(&e);
                    (false, m, err)
                }
            }
        }
        // Without the corpus's options there is nothing to reopen (the
        // workspace thread calls [`take_over`] instead).
        Command::TakeOver => (false, "the journal is writable".to_string(), false),
        Command::Redo => match ws.redo() {
            Ok(op) => (
                true,
                format!("redone: {}", describe(&op, Some(ws.index()))),
                false,
            ),
            Err(e) => {
                if matches!(e, JournalError::Io { .. }) {
                    save_error = Some(e.with_causes());
                }
                let (m, err) = refused(&e);
                (false, m, err)
            }
        },
    };
    let mut journal = journal_info(ws, trouble.map(str::to_string));
    if journal.pending > 0 {
        journal.save_error = save_error;
    }
    Applied {
        index: changed.then(|| ws.index().clone()),
        journal,
        message,
        error,
    }
}

/// Tries again to open the journal for writing, for a workspace that
/// opened it read-only: another instance held it, and may have quit since.
/// When the journal can be had now, the workspace is rebuilt around it,
/// with everything the other instance decided meanwhile (the corpus's
/// analysis is made again from `kb`, on the same documents), and `trouble`
/// is cleared. Otherwise nothing changes and the message says why.
pub fn take_over(
    ws: &mut Workspace,
    journal: &Path,
    corpus_key: &str,
    trouble: &mut Option<String>,
) -> Applied {
    let refused = |ws: &Workspace, trouble: &Option<String>, why: String| Applied {
        index: None,
        journal: journal_info(ws, trouble.clone()),
        message: format!("still read-only: {why}"),
        error: true,
    };
    if !ws.read_only() {
        return Applied {
            index: None,
            journal: journal_info(ws, trouble.clone()),
            message: "the journal is writable".to_string(),
            error: false,
        };
    }
    let mut opened = match Journal::open(journal, corpus_key) {
        Ok(j) => j,
        Err(e) => return refused(ws, trouble, e.to_string()),
    };
    // The same annotator as before (`--annotator`).
    opened.set_annotator(ws.journal().annotator());
    if opened.is_read_only() {
        return refused(ws, trouble, "another dossier holds the journal".to_string());
    }
    ws.replace_journal(opened);
    *trouble = None;
    Applied {
        index: Some(ws.index().clone()),
        journal: journal_info(ws, None),
        message: WRITABLE_NOW.to_string(),
        error: false,
    }
}

/// [`take_over`] for the corpus and journal that `opts` name.
pub fn take_over_opened(
    ws: &mut Workspace,
    opts: &OpenOptions,
    trouble: &mut Option<String>,
) -> Applied {
    match load::journal_path(opts) {
        Ok(path) => take_over(ws, &path, &load::corpus_key(opts), trouble),
        Err(e) => Applied {
            index: None,
            journal: journal_info(ws, trouble.clone()),
            message: format!("still read-only: {e}"),
            error: true,
        },
    }
}

/// Finds `query` in the full text of every document, ignoring case, in
/// corpus order, and hands each document's hits (byte ranges into its text)
/// to `found` as soon as they are known. Stops after `limit` hits in all.
/// `stop` is asked before each document; when it says so the search gives
/// up and returns `None`. Otherwise returns true when it stopped at `limit`.
pub fn search(
    corpus: &Corpus,
    query: &str,
    limit: usize,
    stop: impl Fn() -> bool,
    mut found: impl FnMut(&[Hit]),
) -> Option<bool> {
    let mut total = 0;
    let mut hits = Vec::new();
    for (d, doc) in corpus.docs.iter().enumerate() {
        if total >= limit {
            return Some(true);
        }
        if stop() {
            return None;
        }
        hits.clear();
        hits.extend(
            // Streamed: a text not in memory is read for this search only.
            text::find_all_ignore_case(&doc.text.fetch(), query, limit - total)
                .into_iter()
                .map(|r| Hit {
                    doc: d as DocId,
                    start: r.start,
                    end: r.end,
                }),
        );
        if !hits.is_empty() {
            total += hits.len();
            found(&hits);
        }
    }
    Some(total >= limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::load_embedded;
    use crate::entity::{Engine, KnowledgeBase};
    use std::sync::Arc;

    fn kb() -> KnowledgeBase {
        let mut kb = KnowledgeBase::new();
        let _ = kb.add_toml(
            std::path::Path::new("kb.toml"),
            "[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\nkind = \"group\"\naliases = [\"TTP\"]\n",
        );
        kb
    }

    fn workspace(dir: &std::path::Path) -> Workspace {
        let files: Vec<(&str, &[u8])> = vec![(
            "a.txt",
            "Title\n\nThe TTP or Pakistani-Talban struck.".as_bytes(),
        )];
        let corpus = load_embedded("t", &files);
        let analysis = Engine::new(kb()).analyse(&corpus);
        let journal = match Journal::open(&dir.join("j.jsonl"), "t") {
            Ok(j) => j,
            Err(e) => panic!("{e}"),
        };
        Workspace::new(Arc::new(corpus), analysis, journal)
    }

    #[test]
    fn saved_only_when_durable_and_undo_says_what() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let mut ws = workspace(dir.path());
        let op = Op::LinkText {
            text: "Pakistani-Talban".into(),
            entity: "ttp".into(),
            new: None,
        };
        let a = execute(&mut ws, Command::Decide(op), None);
        assert!(!a.error, "{}", a.message);
        assert!(
            a.message.starts_with("saved: linked every"),
            "{}",
            a.message
        );
        assert_eq!(a.journal.decisions, 1);
        assert!(a.index.is_some());
        let a = execute(&mut ws, Command::Undo, None);
        assert!(
            a.message.starts_with("undone: linked every"),
            "{}",
            a.message
        );
        assert_eq!(a.journal.decisions, 0);
        let a = execute(&mut ws, Command::Undo, None);
        assert_eq!(a.message, "nothing to undo");
        assert!(a.index.is_none());
        let a = execute(&mut ws, Command::Redo, None);
        assert!(a.message.starts_with("redone:"), "{}", a.message);
        assert_eq!(a.journal.decisions, 1);
    }

    #[test]
    fn search_finds_hits_at_their_byte_offsets() {
        let files: Vec<(&str, &[u8])> = vec![
            ("a.txt", "Title\n\nISIS-K and isis-k.".as_bytes()),
            ("b.txt", "Nothing here.".as_bytes()),
            ("c.txt", "Ünïcode first: Straße, then ISIS-K.".as_bytes()),
        ];
        let corpus = load_embedded("t", &files);
        let text = |h: &Hit| corpus.docs[h.doc as usize].text[h.start..h.end].to_string();
        let mut batches = Vec::new();
        let done = search(
            &corpus,
            "Isis-k",
            100,
            || false,
            |h| batches.push(h.to_vec()),
        );
        assert_eq!(done, Some(false));
        // One batch per document with hits, in corpus order.
        assert_eq!(batches.len(), 2);
        let hits: Vec<Hit> = batches.concat();
        let c = &corpus.docs[2].text;
        let at = c.find("ISIS-K").unwrap_or(usize::MAX);
        assert!(
            at > "Ünïcode first: Straße, then ".chars().count(),
            "bytes, not chars"
        );
        assert_eq!(
            hits,
            vec![
                Hit {
                    doc: 0,
                    start: 7,
                    end: 13
                },
                Hit {
                    doc: 0,
                    start: 18,
                    end: 24
                },
                Hit {
                    doc: 2,
                    start: at,
                    end: at + 6
                },
            ]
        );
        assert_eq!(
            hits.iter().map(text).collect::<Vec<_>>(),
            ["ISIS-K", "isis-k", "ISIS-K"]
        );
        // Non-ASCII queries fold case too, and give byte offsets.
        let mut hits = Vec::new();
        search(
            &corpus,
            "STRASSE",
            100,
            || false,
            |h| hits.extend_from_slice(h),
        );
        assert!(hits.is_empty(), "ß is not folded to ss");
        search(
            &corpus,
            "ÜNÏCODE",
            100,
            || false,
            |h| hits.extend_from_slice(h),
        );
        assert_eq!(
            hits,
            vec![Hit {
                doc: 2,
                start: 0,
                end: "Ünïcode".len()
            }]
        );
        // The limit and stopping.
        let mut hits = Vec::new();
        assert_eq!(
            search(
                &corpus,
                "isis-k",
                2,
                || false,
                |h| hits.extend_from_slice(h)
            ),
            Some(true)
        );
        assert_eq!(hits.len(), 2);
        assert_eq!(
            search(&corpus, "isis-k", 100, || true, |_| panic!("stopped")),
            None
        );
    }

    #[test]
    fn a_second_instance_is_read_only() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let _first = workspace(dir.path());
        let mut second = workspace(dir.path());
        assert!(second.read_only());
        let a = execute(&mut second, Command::Undo, None);
        assert_eq!(a.message, READ_ONLY);
        let a = execute(
            &mut second,
            Command::Decide(Op::Rename {
                entity: "ttp".into(),
                name: "TTP".into(),
            }),
            None,
        );
        assert!(a.error);
        assert_eq!(a.message, READ_ONLY);
        assert!(a.journal.read_only);
    }

    #[test]
    fn a_read_only_instance_takes_the_journal_over_when_the_first_quits() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("tempdir")
        };
        let path = dir.path().join("j.jsonl");
        let mut first = workspace(dir.path());
        let mut second = workspace(dir.path());
        assert!(!first.read_only());
        assert!(second.read_only());
        let rename = Op::Rename {
            entity: "ttp".into(),
            name: "Pakistani Taliban".into(),
        };
        let a = execute(&mut first, Command::Decide(rename), None);
        assert!(!a.error, "{}", a.message);
        let name = |ws: &Workspace| {
            let i = ws.index();
            i.entity_by_id("ttp").map(|e| i.entity(e).name.clone())
        };
        assert_eq!(name(&second).as_deref(), Some("Tehrik-i-Taliban Pakistan"));

        // While the first holds the journal, the second stays read-only.
        let mut trouble = None;
        let a = take_over(&mut second, &path, "t", &mut trouble);
        assert!(a.error);
        assert_eq!(
            a.message,
            "still read-only: another dossier holds the journal"
        );
        assert!(a.index.is_none());
        assert!(a.journal.read_only);
        assert!(second.read_only());

        // The first quits: the second takes over, with its decision.
        drop(first);
        let mut trouble = Some("an old reason".to_string());
        let a = take_over(&mut second, &path, "t", &mut trouble);
        assert!(!a.error, "{}", a.message);
        assert_eq!(a.message, WRITABLE_NOW);
        assert_eq!(trouble, None);
        assert!(!second.read_only());
        assert!(!a.journal.read_only);
        assert_eq!(a.journal.decisions, 1);
        let index = a.index.expect("a new index");
        let ttp = index.entity_by_id("ttp").expect("ttp");
        assert_eq!(index.entity(ttp).name, "Pakistani Taliban");
        assert_eq!(name(&second).as_deref(), Some("Pakistani Taliban"));

        // It writes now, and undoes what the first decided.
        let a = execute(&mut second, Command::Undo, None);
        assert!(!a.error, "{}", a.message);
        assert_eq!(a.journal.decisions, 0);
        // And holds the lock: a third instance is read-only.
        let third = workspace(dir.path());
        assert!(third.read_only());
        let a = take_over(&mut second, &path, "t", &mut None);
        assert_eq!(a.message, "the journal is writable");
    }
}
