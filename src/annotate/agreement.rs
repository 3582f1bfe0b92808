//! Agreement between two annotators: the same corpus, two journals.
//!
//! The units are the spans either journal decided: every span whose label
//! (the kind of the entity it is linked to, or none) differs, under one
//! journal or the other, from the engine's analysis. Spans the engine
//! found and neither person touched are left out: counting them would make
//! any two people look as if they agreed.
//!
//! Over those units, with "none" as a label of its own:
//! - **Cohen's kappa**: observed agreement corrected for the agreement the
//!   two annotators' label frequencies give by chance;
//! - **F1** of the second journal's (span, kind) pairs against the first's.

use crate::entity::{DocId, Kind};
use crate::index::Index;
use std::collections::{BTreeMap, BTreeSet};

/// A span of a document.
type Span = (DocId, u32, u32);

/// How far two journals agree.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Spans either journal decided.
    pub units: usize,
    /// Of those, the spans both label alike.
    pub agreed: usize,
    pub observed: f64,
    pub chance: f64,
    /// `None` when chance agreement is total (one label only).
    pub kappa: Option<f64>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn labels(index: &Index) -> BTreeMap<Span, Kind> {
    let mut out = BTreeMap::new();
    for d in 0..index.docs().len() as DocId {
        for m in index.doc_mentions(d) {
            out.insert((d, m.start, m.end), index.entity(m.entity).kind);
        }
    }
    out
}

/// The agreement of `first` and `second` (each the engine's analysis with
/// one journal applied) over the spans either changed from `base`.
pub fn agreement(base: &Index, first: &Index, second: &Index) -> Agreement {
    let (b, x, y) = (labels(base), labels(first), labels(second));
    let spans: BTreeSet<Span> = b.keys().chain(x.keys()).chain(y.keys()).copied().collect();
    let pairs: Vec<(Option<Kind>, Option<Kind>)> = spans
        .into_iter()
        .filter_map(|s| {
            let (lb, lx, ly) = (b.get(&s), x.get(&s), y.get(&s));
            (lx != lb || ly != lb).then(|| (lx.copied(), ly.copied()))
        })
        .collect();
    from_pairs(&pairs)
}

/// Agreement over labelled units: each the first and the second
/// annotator's label (`None`: not a mention).
pub fn from_pairs(pairs: &[(Option<Kind>, Option<Kind>)]) -> Agreement {
    let n = pairs.len();
    let agreed = pairs.iter().filter(|(a, b)| a == b).count();
    let mut first: BTreeMap<Option<Kind>, usize> = BTreeMap::new();
    let mut second: BTreeMap<Option<Kind>, usize> = BTreeMap::new();
    for (a, b) in pairs {
        *first.entry(*a).or_default() += 1;
        *second.entry(*b).or_default() += 1;
    }
    let nf = n.max(1) as f64;
    let observed = agreed as f64 / nf;
    let chance: f64 = first
        .iter()
        .map(|(k, c)| (*c as f64 / nf) * (*second.get(k).unwrap_or(&0) as f64 / nf))
        .sum();
    let kappa = (n > 0 && chance < 1.0).then(|| (observed - chance) / (1.0 - chance));
    // (span, kind) pairs: the second's against the first's.
    let both = pairs.iter().filter(|(a, b)| a.is_some() && a == b).count() as f64;
    let in_first = pairs.iter().filter(|(a, _)| a.is_some()).count() as f64;
    let in_second = pairs.iter().filter(|(_, b)| b.is_some()).count() as f64;
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let (precision, recall) = (ratio(both, in_second), ratio(both, in_first));
    let f1 = ratio(2.0 * precision * recall, precision + recall);
    Agreement {
        units: n,
        agreed,
        observed,
        chance,
        kappa,
        precision,
        recall,
        f1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kappa_and_f1_on_a_worked_example() {
        use Kind::*;
        // 10 units: 6 agree as groups, 2 agree as not mentions, 1 group/
        // person, 1 group/none.
        let mut pairs = vec![(Some(Group), Some(Group)); 6];
        pairs.extend([(None, None); 2]);
        pairs.push((Some(Group), Some(Person)));
        pairs.push((Some(Group), None));
        let a = from_pairs(&pairs);
        assert_eq!((a.units, a.agreed), (10, 8));
        assert!((a.observed - 0.8).abs() < 1e-9);
        // First: group 8, none 2; second: group 6, person 1, none 3.
        let chance = 0.8 * 0.6 + 0.2 * 0.3;
        assert!((a.chance - chance).abs() < 1e-9);
        let kappa = (0.8 - chance) / (1.0 - chance);
        assert!((a.kappa.unwrap() - kappa).abs() < 1e-9);
        // (span, kind): 6 shared of 7 in the second and 8 in the first.
        assert!((a.precision - 6.0 / 7.0).abs() < 1e-9);
        assert!((a.recall - 6.0 / 8.0).abs() < 1e-9);
    }

    #[test]
    fn perfect_and_empty_agreement() {
        let same = from_pairs(&[(Some(Kind::Org), Some(Kind::Org)); 3]);
        assert_eq!(same.kappa, None, "one label only: chance is total");
        assert!((same.f1 - 1.0).abs() < 1e-9);
        let none = from_pairs(&[]);
        assert_eq!((none.units, none.kappa), (0, None));
        let two = from_pairs(&[
            (Some(Kind::Org), Some(Kind::Org)),
            (Some(Kind::Place), Some(Kind::Place)),
        ]);
        assert!((two.kappa.unwrap() - 1.0).abs() < 1e-9);
    }
}
