//! Word signatures: for each document, a Bloom filter of the hashes of its
//! words, so that a search for a name reads only the documents that may
//! contain every word of it.
//!
//! A filter answers "maybe" or "no": "no" is always right, and "maybe" is
//! wrong for a few in a hundred documents per word looked up (fewer for a
//! name of several words, whose words must all be there). Each document
//! gets five bits per word it has (duplicates included, so a document that
//! repeats itself gets room to spare), at least 256; each word sets four
//! bits. At 100,000 news articles the signatures take about a tenth of the
//! corpus's bytes.
//!
//! How words are hashed is the caller's business (see
//! [`crate::index::words`]): this module only keeps the bits.

/// Bits a word sets.
const PROBES: u64 = 4;
/// Bits per word of the document.
const BITS_PER_WORD: usize = 5;
/// The fewest bits a document's filter has.
const MIN_BITS: usize = 256;
/// The most: a huge document's filter saturates rather than grows.
const MAX_BITS: usize = 1 << 22;

/// Every document's word filter, in one buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordSignatures {
    /// The filters' 64-bit words, one document after another.
    bits: Vec<u64>,
    /// Where document `d`'s filter starts in `bits`; `starts[d + 1]` is
    /// where it ends.
    starts: Vec<u64>,
}

/// The bit positions a word's hash sets in a filter of `m` bits: double
/// hashing, reduced to the range by a multiply-shift (no division).
fn probes(hash: u64, m: u64) -> impl Iterator<Item = u64> {
    let h1 = hash;
    let h2 = hash.rotate_left(32) | 1;
    (0..PROBES).map(move |i| {
        let x = h1.wrapping_add(i.wrapping_mul(h2));
        ((u128::from(x) * u128::from(m)) >> 64) as u64
    })
}

impl WordSignatures {
    /// Adds the next document's filter, from the hashes of its words (in
    /// any order, duplicates included).
    pub fn push(&mut self, hashes: &[u64]) {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        let m = (hashes.len() * BITS_PER_WORD).clamp(MIN_BITS, MAX_BITS);
        let words = m.div_ceil(64);
        let start = self.bits.len();
        self.bits.resize(start + words, 0);
        let filter = &mut self.bits[start..];
        let m = (words * 64) as u64;
        for &h in hashes {
            for bit in probes(h, m) {
                filter[(bit / 64) as usize] |= 1 << (bit % 64);
            }
        }
        self.starts.push(self.bits.len() as u64);
    }

    /// Adds the next document's filter, copied from document `doc` of
    /// `from`; `false` (and nothing added) when `from` has no such filter.
    pub fn push_copy(&mut self, from: &WordSignatures, doc: usize) -> bool {
        let (Some(&s), Some(&e)) = (from.starts.get(doc), from.starts.get(doc + 1)) else {
            return false;
        };
        let Some(filter) = from.bits.get(s as usize..e as usize) else {
            return false;
        };
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.bits.extend_from_slice(filter);
        self.starts.push(self.bits.len() as u64);
        true
    }

    /// Appends `other`'s documents after this one's.
    pub fn extend(&mut self, other: WordSignatures) {
        if other.starts.is_empty() {
            return;
        }
        if self.starts.is_empty() {
            *self = other;
            return;
        }
        let base = self.bits.len() as u64;
        self.bits.extend_from_slice(&other.bits);
        self.starts
            .extend(other.starts.iter().skip(1).map(|s| s + base));
    }

    /// How many documents have a filter.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// May document `doc` have every word hashed in `hashes`? `false` is
    /// certain; so is `true` for a document that has no filter.
    pub fn may_contain_all(&self, doc: usize, hashes: &[u64]) -> bool {
        let (Some(&s), Some(&e)) = (self.starts.get(doc), self.starts.get(doc + 1)) else {
            return true;
        };
        let Some(filter) = self.bits.get(s as usize..e as usize) else {
            return true;
        };
        let m = (filter.len() * 64) as u64;
        m == 0
            || hashes.iter().all(|&h| {
                probes(h, m).all(|bit| filter[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
            })
    }

    /// The bytes of the filters: the document count, each document's
    /// length in 64-bit words, then the words, all little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.len() * 4 + self.bits.len() * 8);
        out.extend_from_slice(&(self.len() as u64).to_le_bytes());
        for w in self.starts.windows(2) {
            out.extend_from_slice(&((w[1] - w[0]) as u32).to_le_bytes());
        }
        for b in &self.bits {
            out.extend_from_slice(&b.to_le_bytes());
        }
        out
    }

    /// Reads [`Self::to_bytes`] back; `None` when the bytes do not fit.
    pub fn from_bytes(bytes: &[u8]) -> Option<WordSignatures> {
        let (count, rest) = bytes.split_first_chunk::<8>()?;
        let count = usize::try_from(u64::from_le_bytes(*count)).ok()?;
        let lens_len = count.checked_mul(4)?;
        if rest.len() < lens_len {
            return None;
        }
        let (lens, words) = rest.split_at(lens_len);
        let mut starts = Vec::with_capacity(count + 1);
        starts.push(0u64);
        let mut total = 0u64;
        for l in lens.chunks_exact(4) {
            let l = u32::from_le_bytes(l.try_into().ok()?);
            total = total.checked_add(u64::from(l))?;
            starts.push(total);
        }
        if (words.len() as u64) != total.checked_mul(8)? {
            return None;
        }
        let bits = words
            .chunks_exact(8)
            .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()))
            .collect();
        Some(WordSignatures { bits, starts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(n: u64, salt: u64) -> Vec<u64> {
        (0..n)
            .map(|i| {
                (i ^ salt)
                    .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                    .rotate_left(17)
            })
            .collect()
    }

    #[test]
    fn a_filter_never_says_no_to_a_word_it_has() {
        let mut s = WordSignatures::default();
        let docs: Vec<Vec<u64>> = (0..50).map(|d| hashes(10 + d * 37, d)).collect();
        for d in &docs {
            s.push(d);
        }
        assert_eq!(s.len(), 50);
        for (i, d) in docs.iter().enumerate() {
            assert!(d.iter().all(|h| s.may_contain_all(i, &[*h])));
            assert!(s.may_contain_all(i, d));
        }
        // A document past the end has no filter: maybe.
        assert!(s.may_contain_all(50, &[1]));
    }

    #[test]
    fn words_it_lacks_are_mostly_refused() {
        // 800 words, each twice, as prose repeats itself.
        let mut s = WordSignatures::default();
        let words = hashes(400, 1);
        s.push(&[words.clone(), words].concat());
        let absent = hashes(10_000, 0xdead_beef);
        let maybe = absent
            .iter()
            .filter(|h| s.may_contain_all(0, &[**h]))
            .count();
        // Ten bits a distinct word and four probes: about 1.2% false
        // "maybe".
        assert!(maybe < 300, "{maybe} of 10000 absent words said maybe");
        // Two absent words together: far fewer.
        let pairs = absent
            .chunks_exact(2)
            .filter(|p| s.may_contain_all(0, p))
            .count();
        assert!(pairs < 20, "{pairs} of 5000 absent pairs said maybe");
        // A document of distinct words only still says no to most.
        let mut t = WordSignatures::default();
        t.push(&hashes(800, 1));
        let maybe = absent
            .iter()
            .filter(|h| t.may_contain_all(0, &[**h]))
            .count();
        assert!(maybe < 1500, "{maybe} of 10000");
    }

    #[test]
    fn bytes_round_trip_and_damage_is_refused() {
        let mut a = WordSignatures::default();
        a.push(&hashes(3, 1));
        a.push(&[]);
        let mut b = WordSignatures::default();
        b.push(&hashes(900, 2));
        a.extend(b);
        assert_eq!(a.len(), 3);
        let bytes = a.to_bytes();
        assert_eq!(WordSignatures::from_bytes(&bytes), Some(a.clone()));
        assert_eq!(WordSignatures::from_bytes(&bytes[..bytes.len() - 1]), None);
        assert_eq!(WordSignatures::from_bytes(&bytes[..5]), None);
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(WordSignatures::from_bytes(&longer), None);
        assert!(a.may_contain_all(2, &hashes(900, 2)));
    }
}
