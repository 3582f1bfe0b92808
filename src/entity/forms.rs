//! Other written forms of a known name: its particles written another way
//! ("Lashkar-e-Taiba", "Lashkar-i-Taiba", "Lashkar Taiba"; "Hizb-ul-
//! Mujahideen", "Hizbul Mujahideen"), its words in another order ("Front
//! for the Liberation of Baluchistan", "Baluchistan Liberation Front";
//! "Islamic Movement of Uzbekistan", "Uzbekistan Islamic Movement"), and a
//! demonym for a trailing country ("Tehrik-i-Taliban Pakistan", "Pakistani
//! Taliban").
//!
//! Each form is derived from one name alone, in time linear in its length
//! (the number of forms is capped), and is linked only where it stands in a
//! text as whole words: a form that no one writes costs nothing but a
//! pattern.

/// The most forms derived from one name.
const MAX_FORMS: usize = 8;

/// A Persian or Urdu linking particle (ezafe): "Lashkar-e-Taiba",
/// "Tehrik-i-Taliban".
fn is_ezafe(w: &str) -> bool {
    // Written in lower case: a capital "I" or "E" is an initial
    // ("D I Khan").
    matches!(w, "e" | "i")
}

/// An Arabic article, plain or assimilated to the next word: "Radd-ul-
/// Fasaad", "Jamaat-ud-Dawa", "Ansar al-Islam".
fn is_article(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "al" | "ul"
            | "el"
            | "ud"
            | "ur"
            | "us"
            | "ut"
            | "un"
            | "ad"
            | "ar"
            | "as"
            | "at"
            | "an"
            | "az"
            | "ush"
            | "ash"
    )
}

/// The words of a name, split at spaces and hyphens.
fn words(name: &str) -> Vec<&str> {
    name.split(|c: char| super::normalize::is_dash_or_space(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// What a word of a name is, for its particles.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    Word,
    /// An ezafe between two words.
    Ezafe,
    /// An Arabic article between two words.
    Article,
    /// A word with an article glued to its end ("Hizbul"): the stem's length.
    GluedArticle(usize),
}

/// What each word of `ws` is.
fn parts(ws: &[&str]) -> Vec<Part> {
    (0..ws.len())
        .map(|i| {
            let w = ws[i];
            let inner = i > 0 && i + 1 < ws.len();
            if inner && is_ezafe(w) {
                return Part::Ezafe;
            }
            if inner && is_article(w) {
                return Part::Article;
            }
            if i + 1 < ws.len() && w.is_ascii() && w.len() <= 12 {
                let lower = w.to_ascii_lowercase();
                for a in ["ul", "ud", "ur", "al"] {
                    if let Some(stem) = lower.strip_suffix(a)
                        && stem.len() >= 4
                    {
                        return Part::GluedArticle(stem.len());
                    }
                }
            }
            Part::Word
        })
        .collect()
}

/// The forms of `name` with its particles written other ways, `name`
/// itself excluded. A writer is consistent within a name, so each form
/// writes every particle of a sort one way: every ezafe as "e", as "i",
/// left out or glued to the word before; every article as "al", as "ul"
/// or glued; every glued article apart.
pub fn particle_forms(name: &str) -> Vec<String> {
    let ws = words(name);
    if ws.len() < 2 || ws.len() > 8 {
        return Vec::new();
    }
    let ps = parts(&ws);
    if ps.iter().all(|p| *p == Part::Word) {
        return Vec::new();
    }
    // How a form writes each sort of particle: `None` keeps it as it is.
    #[derive(Clone, Copy)]
    enum Way {
        As(&'static str),
        Gone,
        Glued,
        Apart,
    }
    let ways: [(Option<Way>, Option<Way>); 8] = [
        (Some(Way::As("e")), None),
        (Some(Way::As("i")), None),
        (Some(Way::Gone), None),
        (Some(Way::Glued), None),
        (None, Some(Way::As("al"))),
        (None, Some(Way::As("ul"))),
        (None, Some(Way::Glued)),
        (None, Some(Way::Apart)),
    ];
    let original = ws.join(" ");
    let mut out: Vec<String> = Vec::new();
    for (ezafe, article) in ways {
        let mut form = String::new();
        let push_word = |form: &mut String, w: &str| {
            if !form.is_empty() {
                form.push(' ');
            }
            form.push_str(w);
        };
        for (w, p) in ws.iter().zip(&ps) {
            let way = match p {
                Part::Ezafe => ezafe,
                Part::Article | Part::GluedArticle(_) => article,
                Part::Word => None,
            };
            match (p, way) {
                (Part::Ezafe | Part::Article, Some(Way::As(x))) => push_word(&mut form, x),
                (Part::Ezafe, Some(Way::Gone)) => {}
                (Part::Ezafe | Part::Article, Some(Way::Glued)) => {
                    form.push_str(&w.to_ascii_lowercase())
                }
                (Part::GluedArticle(stem), Some(Way::Apart)) => {
                    push_word(&mut form, &w[..*stem]);
                    push_word(&mut form, &w[*stem..].to_ascii_lowercase());
                }
                _ => push_word(&mut form, w),
            }
        }
        if form != original && !out.contains(&form) {
            out.push(form);
        }
    }
    out.truncate(MAX_FORMS);
    out
}

/// Head nouns of a movement's or an armed body's name: "… Liberation
/// Front" may be written "Front for the Liberation of …". A ministry or a
/// committee is left out: "Interior Ministry" is a generic name, which
/// the article's country decides (see the knowledge base's `generic`).
fn is_head_noun(w: &str) -> bool {
    matches!(
        w.to_ascii_lowercase().as_str(),
        "front"
            | "army"
            | "movement"
            | "organisation"
            | "organization"
            | "party"
            | "council"
            | "force"
            | "forces"
            | "brigade"
            | "brigades"
            | "corps"
            | "league"
            | "union"
            | "alliance"
            | "emirate"
            | "group"
    )
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// The forms of an organisation's `name` with its words in the other
/// order: "A of C" and "C A"; "A for the B of C" and "C B A". `name`
/// itself is excluded.
pub fn reordered_forms(name: &str) -> Vec<String> {
    let ws: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = Vec::new();
    if ws.len() < 2 || ws.len() > 7 || !ws.iter().all(|w| w.chars().all(char::is_alphabetic)) {
        return out;
    }
    let ofs: Vec<usize> = (0..ws.len()).filter(|&i| ws[i] == "of").collect();
    match ofs[..] {
        [of] if of >= 1 && of + 1 < ws.len() => {
            let (head, tail) = (&ws[..of], &ws[of + 1..]);
            if let ["for", "the", b @ ..] = &head[1.min(head.len())..] {
                // "Front for the Liberation of Baluchistan".
                if head.len() >= 4
                    && tail.len() <= 2
                    && tail.iter().all(|w| capitalised(w))
                    && b.iter().all(|w| capitalised(w))
                {
                    out.push(format!("{} {} {}", tail.join(" "), b.join(" "), head[0]));
                }
            } else if head.len() <= 3
                && tail.len() <= 2
                && head.iter().chain(tail).all(|w| capitalised(w))
                && head.last().is_some_and(|w| is_head_noun(w))
            {
                // "Islamic Movement of Uzbekistan", "Army of Pakistan".
                out.push(format!("{} {}", tail.join(" "), head.join(" ")));
            }
        }
        [] if ws.iter().all(|w| capitalised(w)) && ws.last().is_some_and(|w| is_head_noun(w)) => {
            // "Uzbekistan Islamic Movement", "Baluchistan Liberation Front".
            let (c, rest) = (ws[0], &ws[1..]);
            out.push(format!("{} of {c}", rest.join(" ")));
            if rest.len() == 2 {
                out.push(format!("{} for the {} of {c}", rest[1], rest[0]));
            }
        }
        _ => {}
    }
    out
}

/// The demonyms a country's name makes: "Pakistan" → "Pakistani",
/// "Afghanistan" → "Afghan", "India" → "Indian", "Syria" → "Syrian".
pub fn demonyms(country: &str) -> Vec<String> {
    let mut out = Vec::new();
    if country.chars().count() < 4 || !country.chars().all(char::is_alphabetic) {
        return out;
    }
    if let Some(stem) = country.strip_suffix("istan")
        && stem.chars().count() >= 4
    {
        out.push(stem.to_string());
    } else if country.ends_with("ia") {
        out.push(format!("{country}n"));
    } else if country.ends_with(['n', 'q', 'l']) {
        out.push(format!("{country}i"));
    }
    out
}

/// The forms of a name "X-e-Y … Country" ("Tehrik-i-Taliban Pakistan")
/// with the country as a demonym before the core of the name ("Pakistani
/// Taliban"), when `is_country` says the last word is a country. The head
/// before an ezafe ("Tehrik-i-", the movement of) goes with the reorder.
pub fn demonym_forms(name: &str, is_country: impl Fn(&str) -> bool) -> Vec<String> {
    let ws = words(name);
    let mut out = Vec::new();
    let Some((&country, rest)) = ws.split_last() else {
        return out;
    };
    if rest.is_empty() || !is_country(country) {
        return out;
    }
    // The core: after an ezafe head ("Tehrik-i-"), if there is one.
    let core: &[&str] = match rest {
        [_, e, core @ ..] if is_ezafe(e) && !core.is_empty() => core,
        _ => rest,
    };
    if core.len() > 2 || !core.iter().all(|w| capitalised(w)) {
        return out;
    }
    for d in demonyms(country) {
        out.push(format!("{d} {}", core.join(" ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn particles_are_swapped_dropped_and_glued() {
        let f = particle_forms("Lashkar-e-Taiba");
        for want in ["Lashkar i Taiba", "Lashkar Taiba", "Lashkare Taiba"] {
            assert!(f.contains(&want.to_string()), "{want}: {f:?}");
        }
        let f = particle_forms("Hizb-ul-Mujahideen");
        assert!(f.contains(&"Hizbul Mujahideen".to_string()), "{f:?}");
        assert!(f.contains(&"Hizb al Mujahideen".to_string()), "{f:?}");
        // A writer writes every particle of a name one way.
        let f = particle_forms("Lashkar-e-Jhangvi al-Alami");
        assert!(
            f.contains(&"Lashkar i Jhangvi al Alami".to_string()),
            "{f:?}"
        );
        assert!(
            f.contains(&"Lashkar e Jhangvi ul Alami".to_string()),
            "{f:?}"
        );
        let f = particle_forms("Hizbul Mujahideen Front");
        assert!(f.contains(&"Hizb ul Mujahideen Front".to_string()), "{f:?}");
        // Repeated particles vary each on its own.
        let f = particle_forms("Tehrik-e-Nafaz-e-Shariat-e-Mohammadi");
        assert!(
            f.contains(&"Tehrik i Nafaz i Shariat i Mohammadi".to_string()),
            "{f:?}"
        );
        assert!(f.len() <= MAX_FORMS);
        // No particle, or a leading article: nothing to vary.
        assert!(particle_forms("Islamic State Khorasan Province").is_empty());
        assert!(particle_forms("al-Qaeda").is_empty());
    }

    #[test]
    fn organisations_read_in_both_word_orders() {
        assert_eq!(
            reordered_forms("Front for the Liberation of Baluchistan"),
            ["Baluchistan Liberation Front"]
        );
        assert_eq!(
            reordered_forms("Islamic Movement of Uzbekistan"),
            ["Uzbekistan Islamic Movement"]
        );
        // A body's generic name is the context's to decide, not a form.
        assert!(reordered_forms("Ministry of Interior").is_empty());
        assert_eq!(
            reordered_forms("Baluchistan Liberation Front"),
            [
                "Liberation Front of Baluchistan",
                "Front for the Liberation of Baluchistan"
            ]
        );
        // Not an organisation's head, or a list: left alone.
        assert!(reordered_forms("Bank of England").is_empty());
        assert!(reordered_forms("Islamic State of Iraq and Syria").is_empty());
        assert!(reordered_forms("Army of the Pure").is_empty());
    }

    #[test]
    fn a_trailing_country_becomes_a_demonym() {
        let country = |w: &str| w == "Pakistan" || w == "Afghanistan";
        assert_eq!(
            demonym_forms("Tehrik-i-Taliban Pakistan", country),
            ["Pakistani Taliban"]
        );
        assert_eq!(
            demonym_forms("Taliban Afghanistan", country),
            ["Afghan Taliban"]
        );
        assert!(demonym_forms("Peshawar Zalmi", country).is_empty());
        assert_eq!(demonyms("India"), ["Indian"]);
    }
}
