//! Stage: the knowledge base's aliases, gathered for the matcher.
//!
//! Input: a [`KnowledgeBase`]. Output: [`KbAliases`], which the learning
//! stage completes with what the corpus defines before the matcher is built.
//! It depends on the knowledge base only, not on any document.

use super::discover::is_initialism;
use super::matcher::{MatcherBuilder, Target};
use super::normalize::key;
use super::{Entity, EntityId, KnowledgeBase, Source};
use rustc_hash::FxHashMap as HashMap;

/// The knowledge base's entities and aliases, before learning.
pub struct KbAliases {
    /// The knowledge base's entities: an entity's id is its index.
    pub entities: Vec<Entity>,
    /// The normalised key of every name and alias, to the first entity
    /// that has it.
    pub keys: HashMap<String, EntityId>,
    /// Every name and alias, ready for the matcher.
    pub builder: MatcherBuilder,
}

/// Gathers the names and aliases of every entity of `kb`.
pub fn kb_aliases(kb: &KnowledgeBase) -> KbAliases {
    let entities: Vec<Entity> = kb.entities().to_vec();
    let mut keys: HashMap<String, EntityId> = HashMap::default();
    let mut builder = MatcherBuilder::new();
    for (i, e) in entities.iter().enumerate() {
        let names = || std::iter::once(&e.name).chain(&e.aliases);
        for alias in names() {
            // "Nato" is the initials of "North Atlantic Treaty
            // Organization": "NATO" is the same name.
            let target = Target::for_alias(alias, i as EntityId, Source::Kb, 100)
                .with_acronym_cases(alias, || {
                    names().any(|other| other != alias && is_initialism(alias, other))
                });
            builder.add(alias, target);
            keys.entry(key(alias)).or_insert(i as EntityId);
        }
    }
    KbAliases {
        entities,
        keys,
        builder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn every_name_and_alias_has_a_key_to_its_first_entity() {
        let mut kb = KnowledgeBase::new();
        kb.add_toml(
            Path::new("t.toml"),
            "[[entity]]\nid = \"ttp\"\nname = \"Tehrik-i-Taliban Pakistan\"\nkind = \"group\"\naliases = [\"TTP\"]\n\n[[entity]]\nid = \"other\"\nname = \"TTP\"\nkind = \"org\"\n",
        )
        .unwrap();
        let a = kb_aliases(&kb);
        assert_eq!(a.entities.len(), 2);
        assert_eq!(a.keys.get("tehrik i taliban pakistan"), Some(&0));
        assert_eq!(a.keys.get("ttp"), Some(&0));
        let m = a.builder.build();
        assert_eq!(m.len(), 2);
    }
}
