//! Embeds the bundled seed corpus (`seeds/`) so that `dossier` works from any
//! directory after `cargo install`.

use std::fmt::Write as _;
use std::path::Path;

/// The package's directory, as cargo gives it to this run (not as it was
/// when this script was compiled: a script built in another checkout, or
/// before the checkout moved, would read that one's files).
fn root() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR")
        .into()
}

fn main() {
    let dir = root().join("seeds");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from(
        "/// The bundled seed corpus: (file name, bytes).\npub const SEEDS: &[(&str, &[u8])] = &[\n",
    );
    for name in names {
        let path = dir.join(&name);
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            out,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("seeds.rs"), out).expect("write seeds.rs");
    engine_hash();
}

/// A fingerprint of the engine's source (the corpus loaders and the entity
/// engine), so that the index cache of one build is never taken for
/// another's: `DOSSIER_ENGINE_HASH`.
fn engine_hash() {
    let root = &root();
    let mut files = Vec::new();
    // Every file under these, at any depth: a stage moved into a folder
    // still counts.
    let mut dirs: Vec<std::path::PathBuf> = ["src/corpus", "src/entity", "src/text"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        println!("cargo:rerun-if-changed={}", dir.display());
        if let Ok(rd) = std::fs::read_dir(&dir) {
            for e in rd.filter_map(|e| e.ok()) {
                let p = e.path();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    files.push(p);
                }
            }
        }
    }
    files.sort();
    // FNV-1a, 64 bits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f.strip_prefix(root).unwrap_or(&f).display().to_string();
        let bytes = std::fs::read(&f).unwrap_or_default();
        for b in name.bytes().chain([0]).chain(bytes) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=DOSSIER_ENGINE_HASH={h:016x}");
}
