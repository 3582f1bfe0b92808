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
