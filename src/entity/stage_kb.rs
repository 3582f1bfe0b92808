//! Stage: the knowledge base's aliases, gathered for the matcher.
//!
//! Input: a [`KnowledgeBase`]. Output: [`KbAliases`], which the learning
//! stage completes with what the corpus defines before the matcher is built.
//! It depends on the knowledge base only, not on any document.

use super::discover::{is_demonym, is_initialism};
use super::forms::{demonym_forms, demonyms, particle_forms, reordered_forms};
use super::matcher::{MatcherBuilder, Target, too_short};
use super::normalize::key;
use super::stage_context::Context;
use super::{Entity, EntityId, Kind, KnowledgeBase, Source};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The confidence of a mention found by a form derived from a known name
/// (its particles, word order or branch written another way).
pub(crate) const DERIVED_CONFIDENCE: u8 = 95;

/// The knowledge base's entities and aliases, before learning.
pub struct KbAliases {
    /// The knowledge base's entities: an entity's id is its index.
    pub entities: Vec<Entity>,
    /// The normalised key of every name and alias, to the first entity
    /// that has it.
    pub keys: HashMap<String, EntityId>,
    /// Every name and alias, ready for the matcher.
    pub builder: MatcherBuilder,
    /// The normalised keys of the forms derived from the names (see
    /// `derived_forms`), to their entity: no name's key is among them.
    pub derived: HashMap<String, EntityId>,
    /// The normalised names of the countries: places that some entity
    /// belongs to, by its `country` fact.
    pub countries: HashSet<String>,
    /// What context decisions need of the knowledge base.
    pub context: Context,
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
    let countries = country_names(&entities);
    let is_country = |w: &str| is_country_word(w, &countries);
    let mut derived: HashMap<String, EntityId> = HashMap::default();
    let mut add = |form: &str, e: EntityId, builder: &mut MatcherBuilder| {
        let k = key(form);
        if keys.contains_key(&k) || derived.contains_key(&k) || too_short(form) {
            return;
        }
        derived.insert(k, e);
        builder.add(
            form,
            Target::for_alias(form, e, Source::Rule, DERIVED_CONFIDENCE),
        );
    };
    for (i, e) in entities.iter().enumerate() {
        for alias in std::iter::once(&e.name).chain(&e.aliases) {
            for form in derived_forms(alias, e.kind, &is_country) {
                add(&form, i as EntityId, &mut builder);
            }
        }
    }
    for (form, e) in branch_forms(&entities, &keys) {
        add(&form, e, &mut builder);
    }
    // Names that context decides: shared ones, and generic names of bodies.
    let context = Context::new(&entities);
    for (i, e) in entities.iter().enumerate() {
        for alias in &e.facts.ambiguous {
            builder.add(
                alias,
                Target::for_alias(alias, i as EntityId, Source::Context, 100),
            );
        }
        for generic in &e.facts.generic {
            if context
                .generic_bodies(&key(generic))
                .contains(&(i as EntityId))
            {
                let mut target = Target::for_alias(generic, i as EntityId, Source::Context, 100);
                target.needs_capital = true;
                builder.add(generic, target);
            }
        }
    }
    for e in &entities {
        for alias in names_of(e)
            .chain(&e.facts.ambiguous)
            .chain(&e.facts.generic)
        {
            if context.decides(&key(alias)) {
                builder.set_source(alias, Source::Context);
            }
        }
    }
    KbAliases {
        entities,
        keys,
        builder,
        derived,
        countries,
        context,
    }
}

/// The name and aliases of an entity.
fn names_of(e: &Entity) -> impl Iterator<Item = &String> {
    std::iter::once(&e.name).chain(&e.aliases)
}

/// The forms of a name of an entity of `kind` written another way: its
/// particles, its word order (organisations and groups), a demonym for a
/// trailing country.
pub(crate) fn derived_forms(
    name: &str,
    kind: Kind,
    is_country: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut out = particle_forms(name);
    if matches!(kind, Kind::Group | Kind::Org) {
        out.extend(reordered_forms(name));
        out.extend(demonym_forms(name, is_country));
    }
    out
}

/// Is `w` a country's name: a country of the knowledge base, or a name
/// whose demonym is a known one ("Pakistan", "Afghanistan")?
pub(crate) fn is_country_word(w: &str, countries: &HashSet<String>) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && (countries.contains(&key(w)) || demonyms(w).iter().any(|d| is_demonym(d)))
}

/// The normalised names and aliases of the places that are some entity's
/// country.
fn country_names(entities: &[Entity]) -> HashSet<String> {
    let ids: HashSet<&str> = entities
        .iter()
        .filter_map(|e| e.facts.country.as_deref())
        .collect();
    entities
        .iter()
        .filter(|e| e.kind == Kind::Place && ids.contains(e.id.as_str()))
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(|a| key(a))
        .collect()
}

/// The branches of known groups written with another name of their parent:
/// where a group's name is another group's name and a region ("Islamic
/// State Khorasan Province" after "Islamic State"), every name of the
/// parent with that region ("Daesh Khorasan", "ISIL Khorasan Province",
/// "ISIL-K") is the branch.
fn branch_forms(entities: &[Entity], keys: &HashMap<String, EntityId>) -> Vec<(String, EntityId)> {
    let mut out = Vec::new();
    for (b, e) in entities.iter().enumerate() {
        if e.kind != Kind::Group {
            continue;
        }
        let mut regions: Vec<(EntityId, String)> = Vec::new();
        for alias in std::iter::once(&e.name).chain(&e.aliases) {
            let k = key(alias);
            // Each split of the name into a parent and a region of one or
            // two words, the parent a group of its own.
            for (cut, _) in k.match_indices(' ') {
                let (parent, region) = (&k[..cut], &k[cut + 1..]);
                let region_words = region.split(' ').count();
                let Some(&p) = keys.get(parent) else { continue };
                let region_ok = region_words <= 2
                    && region.chars().next().is_some_and(char::is_alphabetic)
                    && (region_words == 1 || region.ends_with(" province"));
                if p as usize != b && entities[p as usize].kind == Kind::Group && region_ok {
                    // The region as written in the alias: a name.
                    let written = alias
                        .split(|c: char| super::normalize::is_dash_or_space(c))
                        .filter(|w| !w.is_empty())
                        .skip(parent.split(' ').count())
                        .collect::<Vec<_>>()
                        .join(" ");
                    if written.chars().next().is_some_and(char::is_uppercase)
                        && !regions.iter().any(|(q, r)| *q == p && *r == written)
                    {
                        regions.push((p, written));
                    }
                }
            }
        }
        // The branch is written "IS-K": its parent's acronyms may be too.
        let initial_form = |initial: char| {
            names_of(e).any(|a| {
                let k = key(a);
                k.rsplit_once(' ').is_some_and(|(_, last)| {
                    last.chars().count() == 1 && last.starts_with(initial.to_ascii_lowercase())
                })
            })
        };
        for (p, region) in regions {
            let bare = region
                .strip_suffix(" Province")
                .unwrap_or(&region)
                .to_string();
            let parent = &entities[p as usize];
            for name in std::iter::once(&parent.name).chain(&parent.aliases) {
                // A short name of the parent ("Daesh", "ISIL"): a long one
                // with a region is no one's way of writing the branch.
                if name.chars().filter(|c| c.is_alphabetic()).count() < 2
                    || name.split(' ').count() > 2
                {
                    continue;
                }
                out.push((format!("{name} {bare}"), b as EntityId));
                out.push((format!("{name} {bare} Province"), b as EntityId));
                let acronym = name.chars().all(|c| c.is_ascii_uppercase());
                if acronym
                    && let Some(initial) = bare.chars().next()
                    && initial_form(initial)
                {
                    out.push((format!("{name}-{initial}"), b as EntityId));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn kb(toml: &str) -> KnowledgeBase {
        let mut kb = KnowledgeBase::new();
        kb.add_toml(Path::new("t.toml"), toml).unwrap();
        kb
    }

    #[test]
    fn every_name_of_a_parent_group_with_a_branch_region_is_the_branch() {
        let a = kb_aliases(&kb(
            "[[entity]]\nid = \"is\"\nname = \"Islamic State\"\nkind = \"group\"\naliases = [\"ISIL\", \"Daesh\"]\n\n[[entity]]\nid = \"isk\"\nname = \"Islamic State Khorasan Province\"\nkind = \"group\"\naliases = [\"IS-K\"]\n\n[[entity]]\nid = \"isp\"\nname = \"Islamic State Pakistan Province\"\nkind = \"group\"\n\n[[entity]]\nid = \"tb\"\nname = \"Taliban\"\nkind = \"group\"\n\n[[entity]]\nid = \"tg\"\nname = \"Taliban government\"\nkind = \"org\"\n",
        ));
        for form in [
            "daesh khorasan",
            "isil khorasan province",
            "isil k",
            "islamic state khorasan",
        ] {
            assert_eq!(a.derived.get(form), Some(&1), "{form}: {:?}", a.derived);
        }
        // Only a branch written with an initial gets its parent's
        // acronyms with one.
        assert_eq!(a.derived.get("isil p"), None);
        assert_eq!(a.derived.get("isil pakistan"), Some(&2));
        // A lower-case word after a group's name is no region.
        assert!(
            !a.derived
                .keys()
                .any(|k| k.starts_with("taliban government"))
        );
    }

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
        // Its other forms are derived, none with a name's key.
        assert_eq!(a.derived.get("pakistani taliban"), Some(&0));
        assert_eq!(a.derived.get("tehrik e taliban pakistan"), Some(&0));
        assert!(a.derived.keys().all(|k| !a.keys.contains_key(k)));
        let derived = a.derived.len();
        let m = a.builder.build();
        assert_eq!(m.len(), 2 + derived);
    }
}
