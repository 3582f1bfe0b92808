//! The annotation workspace on its own thread: it opens the corpus with its
//! journal, then carries out decisions, undos and redos one at a time, in
//! the order they were made, and answers each with the new index and a
//! status message. The screen says "saved" only when the journal says the
//! line is on disk.
//!
//! [`execute`] is the whole of one step, so tests drive it directly.

use super::app::JournalInfo;
use crate::annotate::{JournalError, Op, Saved, Workspace};
use crate::entity::Progress;
use crate::index::Index;
use crate::load::{self, OpenOptions};

/// What the UI asks the workspace to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Decide(Op),
    Undo,
    Redo,
}

/// The corpus, opened.
#[derive(Debug)]
pub struct Opened {
    pub index: Index,
    pub journal: JournalInfo,
}

/// The answer to one [`Command`].
#[derive(Debug)]
pub struct Applied {
    /// The new index, when something changed.
    pub index: Option<Index>,
    pub journal: JournalInfo,
    pub message: String,
    pub error: bool,
}

/// The message for a journal that refuses to write.
pub const READ_ONLY: &str = "read-only: another dossier holds the journal";

/// The journal's state for the screen. `trouble` says why the journal
/// could not be opened for writing, when that is not another instance.
pub fn journal_info(ws: &Workspace, trouble: Option<String>) -> JournalInfo {
    let j = ws.journal();
    let report = ws.report();
    JournalInfo {
        path: Some(j.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()),
        read_only: ws.read_only(),
        trouble,
        warnings: j.warnings.clone(),
        unplaced: report.unplaced.clone(),
        notes: report.notes.clone(),
        merged: report.merged.keys().cloned().collect(),
        mention_notes: ws.mention_notes(),
        decisions: j.effective().len(),
        pending: ws.pending().len(),
    }
}

/// Opens the corpus for the reader: the journal for writing, read-only when
/// another instance holds it, and read-only with the reason when it cannot
/// be opened at all.
pub fn open(
    opts: &OpenOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Workspace, Option<String>), String> {
    load::open_for_reader(opts, progress).map_err(|e| format!("{e:#}"))
}

/// What a decision did, for the status line, with entities named as the
/// index knows them.
pub fn describe(op: &Op, index: Option<&crate::index::Index>) -> String {
    op.describe_with(&|id| {
        let index = index?;
        index.entity_by_id(id).map(|e| index.entity(e).name.clone())
    })
}

fn refused(e: &JournalError) -> (String, bool) {
    match e {
        JournalError::ReadOnly(_) => (READ_ONLY.to_string(), true),
        JournalError::Nothing(what) => (format!("nothing to {what}"), false),
        other => (format!("NOT SAVED ({other})"), true),
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
    let (changed, message, error) = match cmd {
        Command::Decide(op) => {
            let what = describe(&op, Some(ws.index()));
            match ws.decide(op) {
                Ok(Saved::Durable) => (true, format!("saved: {what}"), false),
                Ok(Saved::Pending(e)) => (true, format!("NOT SAVED ({e}) — will retry"), true),
                Err(e) => {
                    let (m, err) = refused(&e);
                    (false, m, err)
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
                    let (m, err) = refused(&e);
                    (false, m, err)
                }
            }
        }
        Command::Redo => match ws.redo() {
            Ok(op) => (
                true,
                format!("redone: {}", describe(&op, Some(ws.index()))),
                false,
            ),
            Err(e) => {
                let (m, err) = refused(&e);
                (false, m, err)
            }
        },
    };
    Applied {
        index: changed.then(|| ws.index().clone()),
        journal: journal_info(ws, trouble.map(str::to_string)),
        message,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::Journal;
    use crate::corpus::load_embedded;
    use crate::entity::{Engine, KnowledgeBase};
    use std::sync::Arc;

    fn workspace(dir: &std::path::Path) -> Workspace {
        let files: Vec<(&str, &[u8])> = vec![(
            "a.txt",
            "Title\n\nThe TTP or Pakistani-Talban struck.".as_bytes(),
        )];
        let corpus = load_embedded("t", &files);
        let mut kb = KnowledgeBase::new();
        let _ = kb.add_toml(
            std::path::Path::new("kb.toml"),
            "[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\nkind = \"group\"\naliases = [\"TTP\"]\n",
        );
        let analysis = Engine::new(kb).analyse(&corpus);
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
}
