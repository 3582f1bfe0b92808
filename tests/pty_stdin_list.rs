//! The reader on a list of files given on standard input: it reads the
//! list, then takes its keys from the terminal.

mod common;
use common::Session;

#[test]
fn the_reader_reads_a_list_then_keys_from_the_terminal() {
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let script = format!(
        "cd '{seeds}' && printf '%s\\0' 003_5b508ec0a4167b81.txt 001_7227ac1b26ab0799.txt | \"$DOSSIER\" -0 -"
    );
    let mut s = Session::start_script(100, 30, &script);
    s.wait_text("Documents 2");
    let screen = s.screen();
    assert!(screen.contains("Pakistan and US Unite Ag"), "{screen}");
    assert!(!screen.contains("Kicking Terrorist Ass"), "{screen}");
    // Keys reach it from the terminal: open the selected document, quit.
    s.send("j");
    s.send("\r");
    s.wait_status("2/2");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{}", s.screen());
    s.assert_restored();
}
