//! Starting the reader with bad settings: clear messages, a non-zero exit,
//! and the terminal never touched.

use std::process::{Command, Output};

fn run_reader(config: Option<&str>, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    if let Some(text) = config {
        let d = dir.path().join("dossier");
        std::fs::create_dir_all(&d).expect("config dir");
        std::fs::write(d.join("config.toml"), text).expect("config file");
    }
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env("XDG_CONFIG_HOME", dir.path())
        .env("HOME", dir.path())
        .output()
        .expect("run dossier")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn unknown_action_in_the_config_is_named() {
    let o = run_reader(Some("[keys.article]\nnext_mentoin = \"w\"\n"), &[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("config.toml"), "{e}");
    assert!(e.contains("unknown action \"next_mentoin\""), "{e}");
    assert!(e.contains("next_mention"), "lists the known actions: {e}");
    // Nothing was drawn.
    assert!(o.stdout.is_empty());
}

#[test]
fn unknown_key_and_field_in_the_config_are_named() {
    let o = run_reader(Some("[keys.global]\nquit = \"<Hyper-q>\"\n"), &[]);
    assert!(
        stderr(&o).contains("unknown key <Hyper-q>"),
        "{}",
        stderr(&o)
    );
    let o = run_reader(Some("colour = \"red\"\n"), &[]);
    let e = stderr(&o);
    assert!(e.contains("unknown field") && e.contains("colour"), "{e}");
}

#[test]
fn unknown_theme_is_named_with_the_choices() {
    let o = run_reader(None, &["--theme", "solarized"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("unknown theme \"solarized\""), "{e}");
    for name in ["dark", "light", "high-contrast", "mono"] {
        assert!(e.contains(name), "{e}");
    }
    // The config file can choose the theme too.
    let o = run_reader(Some("theme = \"nope\"\n"), &[]);
    assert!(
        stderr(&o).contains("unknown theme \"nope\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_reader_needs_a_terminal() {
    let o = run_reader(Some("theme = \"light\"\nmouse = false\n"), &[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("needs a terminal") && e.contains("dossier docs"),
        "{e}"
    );
    assert!(o.stdout.is_empty(), "no escape sequences written to a pipe");
}

/// stderr's lines, for checking that an error is one line.
fn error_lines(o: &Output) -> Vec<String> {
    stderr(o).lines().map(str::to_string).collect()
}

#[test]
fn config_syntax_and_type_errors_are_one_line_naming_file_and_line() {
    for (text, line, reason) in [
        (
            "mouse = \"yes\"\n",
            1,
            "invalid type: string \"yes\", expected a boolean",
        ),
        ("theme = \"light\"\ntheme =\n", 2, ""),
        ("[keys.global]\nquit = 3\n", 2, "a key such as"),
    ] {
        let o = run_reader(Some(text), &[]);
        assert!(!o.status.success());
        let lines = error_lines(&o);
        assert_eq!(lines.len(), 1, "{text:?}: {lines:?}");
        let want = format!("/dossier/config.toml:{line}: ");
        assert!(
            lines[0].starts_with("dossier: /") && lines[0].contains(&want),
            "{text:?}: {lines:?}"
        );
        assert!(lines[0].contains(reason), "{text:?}: {lines:?}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn a_key_bound_to_two_actions_stops_the_reader_naming_both() {
    let o = run_reader(Some("[keys.global]\nquit = \"j\"\n"), &[]);
    assert!(!o.status.success());
    let lines = error_lines(&o);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains("config.toml:2: [keys.global]: j is bound to both quit and down"),
        "{lines:?}"
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn theme_file_errors_are_one_line_and_name_the_cause_once() {
    let o = run_reader(None, &["--theme", "/nonexistent"]);
    assert!(!o.status.success());
    let lines = error_lines(&o);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("dossier: /nonexistent: cannot read the theme file: "),
        "{lines:?}"
    );
    assert_eq!(lines[0].matches("os error").count(), 1, "{lines:?}");

    let dir = tempfile::tempdir().expect("tempdir");
    let theme = dir.path().join("mine.toml");
    std::fs::write(&theme, "[styles]\nbase = { fg = 3 }\n").expect("theme file");
    let theme = theme.to_string_lossy().into_owned();
    let o = run_reader(None, &["--theme", &theme]);
    let lines = error_lines(&o);
    assert_eq!(
        lines,
        vec![format!(
            "dossier: {theme}:2: invalid type: integer `3`, expected a string"
        )]
    );
}
