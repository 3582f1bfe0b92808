//! Throughput of the entity engine on a generated corpus.
//!
//! `cargo bench --bench throughput [-- DOCS]` builds DOCS articles (default
//! 5,000) by recombining the sentences of the bundled seeds with invented
//! names and spelling variants, then reports, for each stage, the time, the
//! throughput in MB/s and documents/s, and the ratio of the whole analysis to
//! a bare knowledge-base match (how much the learning costs on top).

use dossier::corpus::load_embedded;
use dossier::entity::matcher::{MatcherBuilder, Target};
use dossier::entity::{Engine, KnowledgeBase, Source};
use dossier::index::Index;
use std::time::Instant;

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn generate(n: usize) -> Vec<(String, String)> {
    let seeds = dossier::load::bundled_corpus();
    let sentences: Vec<String> = seeds
        .docs
        .iter()
        .flat_map(|d| d.text.split(". ").map(str::to_string).collect::<Vec<_>>())
        .filter(|s| s.len() > 40)
        .collect();
    let invented = [
        "Zorak Khan",
        "Harkat-ul-Zindan",
        "Qasim Durrani",
        "Operation Sabr-e-Jamil",
        "Tirah Freedom Front (TFF)",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|i| {
            let mut text = format!("Generated report {i}\n\n");
            for _ in 0..(20 + rng.next() % 30) {
                let s: &String = rng.pick(&sentences);
                text.push_str(s);
                if rng.next().is_multiple_of(5) {
                    text.push_str(", said ");
                    let name: &&str = rng.pick(&invented);
                    text.push_str(name);
                }
                text.push_str(". ");
            }
            (format!("gen/{i:06}.txt"), text)
        })
        .collect()
}

fn report(stage: &str, secs: f64, bytes: usize, docs: usize) {
    println!(
        "{stage:<22} {secs:>8.3} s {:>9.1} MB/s {:>10.0} docs/s",
        bytes as f64 / secs / 1e6,
        docs as f64 / secs
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(5_000);
    let files = generate(n);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    println!("corpus: {n} documents, {:.1} MB", bytes as f64 / 1e6);

    let t = Instant::now();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let corpus = load_embedded("bench", &borrowed);
    report("load", t.elapsed().as_secs_f64(), bytes, n);

    let kb = KnowledgeBase::default_kb();
    let t = Instant::now();
    let mut b = MatcherBuilder::new();
    for (i, e) in kb.entities().iter().enumerate() {
        for a in std::iter::once(&e.name).chain(&e.aliases) {
            b.add(a, Target::for_alias(a, i as u32, Source::Kb, 100));
        }
    }
    let matcher = b.build();
    let mut found = 0;
    for d in &corpus.docs {
        found += matcher.find_all(&d.text).len();
    }
    let kb_only = t.elapsed().as_secs_f64();
    report("kb match only", kb_only, bytes, n);

    let t = Instant::now();
    let analysis = Engine::new(kb).analyse(&corpus);
    let full = t.elapsed().as_secs_f64();
    report("full analysis", full, bytes, n);

    let t = Instant::now();
    let mentions = analysis.mentions.len();
    let entities = analysis.entities.len();
    let index = Index::new(corpus, analysis);
    report("index", t.elapsed().as_secs_f64(), bytes, n);

    println!(
        "kb matches {found}, mentions {mentions}, entities {entities}, documents indexed {}",
        index.docs().len()
    );
    println!("full analysis / kb match only = {:.2}x", full / kb_only);
}
