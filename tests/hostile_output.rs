//! Show, never obey: every headless command, every export and the reader run
//! in a pseudo-terminal on a hostile corpus, and a terminal emulator (vt100)
//! reads what they wrote. File names, document text, a corpus's own
//! knowledge base, annotation quotes and error messages all carry escape
//! sequences (OSC 52 clipboard writes, OSC 0/2 titles, screen clears, mode
//! switches), 8-bit C1 controls and bidi overrides. None may act: the title,
//! the clipboard, the modes and the screen outside the program's own drawing
//! stay as they were, and no raw control byte reaches the terminal.

mod common;

use common::Session;
use std::path::Path;

/// What was on the terminal before the program ran.
const BEFORE: &str = "MARKER-BEFORE-THE-PROGRAM\r\n";

/// The text of the hostile document.
fn hostile_text() -> String {
    [
        "Hostile \u{1b}]0;EVILTITLE\u{7}Title\n\n",
        "The TTP \u{1b}]52;c;cHduZWQK\u{7} met ISKP \u{1b}]2;TITLE\u{7} in Kabul. ",
        "\u{9b}2J \u{9d}0;C1TITLE\u{9c} \u{202e}desrever\u{202c} and \u{2066}iso\u{2069}. ",
        "The Evil Front said so. The Evil\u{1b}[2JFront said \u{1b}[?1049h\u{1b}[?1000h ",
        "\u{1b}[?25l\u{1b}c\u{7} again.\n",
    ]
    .concat()
}

struct Hostile {
    _dir: tempfile::TempDir,
    corpus: String,
    journal: String,
    home: String,
    bad_kb: String,
    out: String,
}

/// A corpus with escape sequences in its file names, its text and its own
/// `dossier.toml`, plus a journal with a hostile annotation quote.
fn hostile() -> Hostile {
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let text = hostile_text();
    std::fs::write(corpus.join("esc.txt"), &text).unwrap();
    std::fs::write(
        corpus.join("n\u{1b}]2;FILENAMETITLE\u{7}\u{202e}.txt"),
        "The TTP met in Kabul.\n",
    )
    .unwrap();
    std::fs::write(corpus.join("b\u{1b}[2J.txt"), b"bin\0\0\x01").unwrap();
    let fifo = corpus.join("p\u{1b}]52;c;RklGTw==\u{7}.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    std::fs::write(
        corpus.join("dossier.toml"),
        concat!(
            "[[entity]]\n",
            "id = \"evil-front\"\n",
            "name = \"Evil\\u001b]2;KBTITLE\\u0007 Front\\u009b2J\\u202e\"\n",
            "kind = \"group\"\n",
            "aliases = [\"Evil Front\", \"Evil\\u001b[2JFront\"]\n",
            "description = \"\\u001b]52;c;S0JDTElQ\\u0007\"\n",
        ),
    )
    .unwrap();
    // A doccano import that tags a span with a bidi override and an OSC
    // title sequence in it as a person.
    let quote = "\u{202e}desrever\u{202c} and \u{2066}iso\u{2069}";
    let start = text.find(quote).unwrap();
    let end = start + quote.len();
    let chars = |b: usize| text[..b].chars().count();
    let line = serde_json::json!({
        "doc": "esc.txt", "text": text,
        "label": [[chars(start), chars(end), "PERSON"]],
    });
    std::fs::write(dir.path().join("import.jsonl"), format!("{line}\n")).unwrap();
    let bad_kb = dir.path().join("bad\u{1b}]2;BADKB\u{7}.toml");
    std::fs::write(
        &bad_kb,
        "[[entity]]\nid = \"x\"\n\"\u{1b}]52;c;VE9NTA==\u{7}\" = 1\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("home")).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let h = Hostile {
        corpus: s(&corpus),
        journal: s(&dir.path().join("journal.jsonl")),
        home: s(&dir.path().join("home")),
        bad_kb: s(&bad_kb),
        out: s(&dir.path().join("out")),
        _dir: dir,
    };
    let (_, ok) = run(
        &h,
        &[
            "import",
            &format!("{}/../import.jsonl", h.corpus),
            &h.corpus,
            "--format",
            "doccano",
        ],
    );
    assert!(ok, "the hostile import itself must succeed");
    assert!(
        s_imported(&h),
        "the hostile import decided nothing; the test needs an annotation"
    );
    h
}

/// True when the journal holds at least one decision.
fn s_imported(h: &Hostile) -> bool {
    std::fs::read_to_string(&h.journal).is_ok_and(|j| j.lines().count() > 1)
}

fn env(h: &Hostile) -> Vec<(&str, &str)> {
    vec![
        ("HOME", h.home.as_str()),
        ("XDG_DATA_HOME", h.home.as_str()),
        ("XDG_CACHE_HOME", h.home.as_str()),
    ]
}

/// Runs `dossier ARGS… --annotations JOURNAL` in a pseudo-terminal; returns
/// the session (after exit) and whether it succeeded.
fn run(h: &Hostile, args: &[&str]) -> (Session, bool) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--annotations", h.journal.as_str()]);
    let mut s = Session::start_after(200, 200, &env(h), &all, BEFORE);
    let ok = s.wait_exit().success();
    (s, ok)
}

/// No control byte but line ends, no C1 control, no bidi control.
fn assert_no_raw_controls(what: &str, raw: &[u8]) {
    let text = String::from_utf8_lossy(raw);
    let bad: Vec<String> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\r')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(bad.is_empty(), "{what}: raw controls {bad:?} in:\n{text}");
}

/// The terminal is as it was: nothing asked of it, no mode left on, and
/// what was on the screen before is still there.
fn assert_terminal_untouched(what: &str, s: &Session) {
    let p = s.parser.lock().unwrap();
    assert!(
        p.callbacks().events.is_empty(),
        "{what}: the terminal was asked to {:?}",
        p.callbacks().events
    );
    let screen = p.screen();
    assert!(!screen.alternate_screen(), "{what}: alternate screen on");
    assert!(!screen.hide_cursor(), "{what}: cursor hidden");
    assert!(!screen.bracketed_paste(), "{what}: bracketed paste on");
    assert!(
        !screen.application_cursor(),
        "{what}: application cursor on"
    );
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "{what}: mouse captured"
    );
    // (Unless the output was long enough to scroll the marker away.)
    let lines = s
        .raw
        .lock()
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    assert!(
        lines + 2 >= usize::from(screen.size().0)
            || screen.contents().contains("MARKER-BEFORE-THE-PROGRAM"),
        "{what}: the screen was cleared:\n{}",
        screen.contents()
    );
}

#[test]
fn headless_commands_show_and_never_obey() {
    let h = hostile();
    let kb_out = format!("{}/kb.toml", h.out);
    let brat = format!("{}/brat", h.out);
    let doccano = format!("{}/doccano", h.out);
    let spacy = format!("{}/spacy", h.out);
    let conll = format!("{}/conll", h.out);
    let c = h.corpus.as_str();
    let commands: Vec<(Vec<&str>, bool)> = vec![
        (vec!["docs", c], true),
        (vec!["docs", "--json", c], true),
        (vec!["entities", c], true),
        (vec!["entities", "--json", c], true),
        (vec!["mentions", c], true),
        (vec!["mentions", "--json", c], true),
        (vec!["mentions", "--entity", "evil-front", c], true),
        (vec!["annotations", c], true),
        (vec!["annotations", "--json", c], true),
        (vec!["kb", "export", c], true),
        (vec!["kb", "export", c, "--out", &kb_out], true),
        (vec!["export", c, "--format", "brat", "--out", &brat], true),
        (
            vec!["export", c, "--format", "doccano", "--out", &doccano],
            true,
        ),
        (
            vec!["export", c, "--format", "spacy", "--out", &spacy],
            true,
        ),
        (
            vec!["export", c, "--format", "conll", "--out", &conll],
            true,
        ),
        // Errors that echo what they read.
        (vec!["docs", c, "--kb", &h.bad_kb], false),
        (
            vec!["mentions", "--entity", "\u{1b}]2;ARGTITLE\u{7}", c],
            false,
        ),
    ];
    for (args, should_succeed) in commands {
        let what = format!("dossier {}", args.join(" ").escape_debug());
        let (s, ok) = run(&h, &args);
        assert_eq!(ok, should_succeed, "{what}:\n{}", s.screen());
        let raw = s.raw.lock().unwrap().clone();
        assert!(!raw.is_empty(), "{what} printed nothing");
        assert_no_raw_controls(&what, &raw);
        assert_terminal_untouched(&what, &s);
    }
    // The hostile names are shown, as symbols, not dropped.
    let (s, _) = run(&h, &["docs", c]);
    assert!(s.screen().contains("␛]2;FILENAMETITLE␇"), "{}", s.screen());
    assert!(s.screen().contains("not a regular file (a FIFO)"));
    // The files of our own making are as safe to `cat` as the terminal
    // output. (brat's .txt and .ann and the CoNLL tokens are the document's
    // own text, byte for byte, as those formats require.)
    for file in [
        format!("{doccano}/doccano.jsonl"),
        format!("{spacy}/spacy.jsonl"),
        format!("{brat}/documents.tsv"),
    ] {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes).replace('\t', " ");
        assert_no_raw_controls(&file, text.as_bytes());
    }
    assert_no_raw_controls("kb.toml", &std::fs::read(&kb_out).unwrap());
}

#[test]
fn the_reader_shows_and_never_obeys() {
    let h = hostile();
    let mut args = vec![h.corpus.as_str(), "--annotations", h.journal.as_str()];
    args.push("--no-default-kb");
    let mut s = Session::start_after(100, 30, &env(&h), &args, BEFORE);
    s.wait_text("Documents");
    // Open each document, walk its mentions, open the cross-links.
    for keys in [
        "\r", "n", "n", "n", "\t", "x", "\u{1b}", "j", "\r", "n", "n",
    ] {
        s.send(keys);
        std::thread::sleep(std::time::Duration::from_millis(150));
    }
    s.wait_text("Evil");
    {
        let p = s.parser.lock().unwrap();
        assert!(
            p.callbacks().events.is_empty(),
            "the reader asked the terminal to {:?}",
            p.callbacks().events
        );
    }
    s.send("q");
    let status = s.wait_exit();
    // The reader draws with escape sequences of its own, but no C1 control
    // or bidi override of the document's reaches the terminal.
    let raw = String::from_utf8_lossy(&s.raw.lock().unwrap()).into_owned();
    let bad: Vec<char> = raw
        .chars()
        .filter(|&c| matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect();
    assert!(bad.is_empty(), "the reader wrote {bad:?}");
    assert!(status.success(), "{}", s.screen());
    s.assert_restored();
    assert_terminal_untouched("the reader", &s);
}
