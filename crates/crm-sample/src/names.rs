//! Company identities: the name parts of customer `i`, how its name is
//! written, and the variant and misspelt forms used for duplicates.
//!
//! Names are unique by construction: index `i` is sent through a keyed
//! permutation of a name space of 2,040,000 (city slot × two trade-name
//! characters × business word), so no two indices share a dedup key
//! (schema.md §3) unless the generator plants it on purpose. Past the name
//! space a branch marker (`（2分部）`) keeps them apart.

use crate::rng::{mix, stream, Rng};
use crate::vocab::{CITIES, INDUSTRIES, LEGAL_FORMS, ZIHAO, ZIHAO_THIRD};

const SALT_IDENTITY: u64 = 0x1D;
/// City slots: 30 city prefixes, one plain two-character name, twenty
/// three-character names (which gives names without a city ~40%).
const SLOTS: u64 = CITIES.len() as u64 + 1 + ZIHAO_THIRD.len() as u64;
/// Size of the name space.
pub const NAME_SPACE: u64 = SLOTS * (ZIHAO.len() as u64) * (ZIHAO.len() as u64) * 4;
const HALF_BITS: u32 = 11;

/// A city written in brackets inside a name: `华信（杭州）网络科技有限公司`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    /// Index into [`CITIES`].
    pub city: usize,
    /// After the business word (`华信网络科技（杭州）…`) or before it.
    pub after_word: bool,
    /// Full-width `（）` or half-width `()`.
    pub full_width: bool,
}

/// The parts a company name is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// City written in front of the name, an index into [`CITIES`].
    pub prefix: Option<usize>,
    /// Indices into [`ZIHAO`] of the two trade-name characters.
    pub chars: [usize; 2],
    /// Index into [`ZIHAO_THIRD`] of an optional third character.
    pub third: Option<usize>,
    /// Index into [`INDUSTRIES`].
    pub industry: usize,
    /// The business word (`网络`).
    pub word: &'static str,
    /// Whether `科技` follows the word.
    pub tech: bool,
    /// Legal-form suffix (`有限公司`).
    pub legal: &'static str,
    /// A bracketed city (only on names without a prefix).
    pub bracket: Option<Bracket>,
    /// Branch number past the name space (0 inside it).
    pub branch: u64,
    /// The city the company is registered in, an index into [`CITIES`].
    pub city: usize,
}

/// How a name is written, for duplicates entered twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// As in the customer list.
    Exact,
    /// Full-width brackets made half-width or the reverse.
    SwapBracketWidth,
    /// The bracketed city left out.
    DropBracket,
    /// No legal-form suffix (`华信网络科技`).
    DropLegal,
    /// `有限公司` written as `有限责任公司` or the reverse, or just `公司`.
    OtherLegal,
    /// A space typed inside the name.
    InnerSpace,
}

/// A bijection on `0..NAME_SPACE` keyed by the seed: a four-round Feistel
/// network on 22 bits with cycle walking.
fn permute(seed: u64, value: u64) -> u64 {
    let mask = (1u64 << HALF_BITS) - 1;
    let mut x = value;
    loop {
        let (mut left, mut right) = (x >> HALF_BITS, x & mask);
        for round in 0..4u64 {
            let f = mix(right ^ mix(seed ^ round)) & mask;
            (left, right) = (right, left ^ f);
        }
        x = (left << HALF_BITS) | right;
        if x < NAME_SPACE {
            return x;
        }
    }
}

/// The identity of company `index` under `seed`.
pub fn identity(seed: u64, index: u64) -> Identity {
    let mut x = permute(seed, index % NAME_SPACE);
    let word_ix = (x % 4) as usize;
    x /= 4;
    let c2 = (x % ZIHAO.len() as u64) as usize;
    x /= ZIHAO.len() as u64;
    let c1 = (x % ZIHAO.len() as u64) as usize;
    let slot = (x / ZIHAO.len() as u64) as usize;
    let (prefix, third) = match slot {
        s if s < CITIES.len() => (Some(s), None),
        s if s == CITIES.len() => (None, None),
        s => (None, Some(s - CITIES.len() - 1)),
    };
    let mut rng = stream(seed, SALT_IDENTITY, index);
    let industry = rng.weighted_index(INDUSTRIES.iter().map(|f| f64::from(f.weight)));
    let family = &INDUSTRIES[industry];
    let tech = family.tech && rng.chance(0.45);
    let legal = *rng.weighted(&LEGAL_FORMS);
    let bracket = if prefix.is_none() && rng.chance(0.3) {
        Some(Bracket {
            city: rng.below(CITIES.len() as u64) as usize,
            after_word: rng.chance(0.5),
            full_width: rng.chance(0.8),
        })
    } else {
        None
    };
    let city = prefix
        .or(bracket.map(|b| b.city))
        .unwrap_or_else(|| rng.below(CITIES.len() as u64) as usize);
    Identity {
        prefix,
        chars: [c1, c2],
        third,
        industry,
        word: family.words[word_ix],
        tech,
        legal,
        bracket,
        branch: index / NAME_SPACE,
        city,
    }
}

fn bracketed(text: &str, full_width: bool) -> String {
    if full_width {
        format!("（{text}）")
    } else {
        format!("({text})")
    }
}

impl Identity {
    /// The trade name (`华信`, `华信达`).
    pub fn zihao(&self) -> String {
        let mut s = String::new();
        s.push_str(ZIHAO[self.chars[0]].0);
        s.push_str(ZIHAO[self.chars[1]].0);
        if let Some(t) = self.third {
            s.push_str(ZIHAO_THIRD[t].0);
        }
        s
    }

    /// Pinyin of the trade name, for a mail domain (`huaxin`).
    pub fn pinyin(&self) -> String {
        let mut s = String::new();
        s.push_str(ZIHAO[self.chars[0]].1);
        s.push_str(ZIHAO[self.chars[1]].1);
        if let Some(t) = self.third {
            s.push_str(ZIHAO_THIRD[t].1);
        }
        s
    }

    /// The name as normally written.
    pub fn name(&self) -> String {
        self.render(Variant::Exact)
    }

    /// The name written in `variant` form (same dedup key as [`Self::name`]).
    pub fn render(&self, variant: Variant) -> String {
        let bracket = self.bracket.and_then(|b| match variant {
            Variant::DropBracket => None,
            Variant::SwapBracketWidth => Some(Bracket {
                full_width: !b.full_width,
                ..b
            }),
            _ => Some(b),
        });
        let mut s = String::new();
        if let Some(p) = self.prefix {
            s.push_str(CITIES[p].name);
        }
        s.push_str(&self.zihao());
        if variant == Variant::InnerSpace {
            s.push(' ');
        }
        let city_note =
            bracket.map(|b| (b.after_word, bracketed(CITIES[b.city].name, b.full_width)));
        if let Some((false, note)) = &city_note {
            s.push_str(note);
        }
        s.push_str(self.word);
        if self.tech {
            s.push_str("科技");
        }
        if let Some((true, note)) = &city_note {
            s.push_str(note);
        }
        if self.branch > 0 {
            s.push_str(&bracketed(&format!("{}分部", self.branch), true));
        }
        match variant {
            Variant::DropLegal => {}
            Variant::OtherLegal => s.push_str(match self.legal {
                "有限公司" => "有限责任公司",
                "有限责任公司" => "有限公司",
                _ => "公司",
            }),
            _ => s.push_str(self.legal),
        }
        s
    }

    /// The variants that make sense for this name.
    pub fn variants(&self) -> Vec<Variant> {
        let mut v = vec![Variant::DropLegal, Variant::OtherLegal, Variant::InnerSpace];
        if self.bracket.is_some() {
            v.extend([
                Variant::SwapBracketWidth,
                Variant::SwapBracketWidth,
                Variant::DropBracket,
            ]);
        }
        v
    }

    /// A different company whose name differs by one character: the
    /// second trade-name character changes. Only names with a city prefix
    /// are misspelt, so the two keys share their first two characters and
    /// land in the same comparison block.
    pub fn misspelt(&self, rng: &mut Rng) -> Identity {
        let n = ZIHAO.len() as u64;
        let shift = 1 + rng.below(n - 1) as usize;
        let mut other = self.clone();
        other.chars[1] = (self.chars[1] + shift) % ZIHAO.len();
        other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn permutation_is_a_bijection_on_a_sample() {
        let mut seen = HashSet::new();
        for i in 0..50_000 {
            let x = permute(42, i);
            assert!(x < NAME_SPACE);
            assert!(seen.insert(x), "collision at {i}");
        }
    }

    #[test]
    fn names_are_unique_for_distinct_indices() {
        let mut seen = HashSet::new();
        for i in 0..20_000u64 {
            let id = identity(7, i);
            // The dedup key drops the legal form and a bracketed city.
            let key = id.render(Variant::DropBracket).replace(id.legal, "");
            assert!(seen.insert(key.clone()), "duplicate key {key} at {i}");
        }
    }

    #[test]
    fn trade_name_chars_never_start_a_city() {
        let mut chars = HashSet::new();
        for (c, _) in ZIHAO {
            assert!(chars.insert(c), "{c} listed twice");
            assert!(
                CITIES.iter().all(|city| !city.name.starts_with(c)),
                "{c} starts a city"
            );
        }
    }

    #[test]
    fn variants_and_misspellings() {
        let id = Identity {
            prefix: None,
            chars: [0, 1],
            third: None,
            industry: 0,
            word: "网络",
            tech: true,
            legal: "有限公司",
            bracket: Some(Bracket {
                city: 0,
                after_word: false,
                full_width: true,
            }),
            branch: 0,
            city: 0,
        };
        assert_eq!(id.name(), "华信（杭州）网络科技有限公司");
        assert_eq!(
            id.render(Variant::SwapBracketWidth),
            "华信(杭州)网络科技有限公司"
        );
        assert_eq!(id.render(Variant::DropBracket), "华信网络科技有限公司");
        assert_eq!(id.render(Variant::DropLegal), "华信（杭州）网络科技");
        assert_eq!(
            id.render(Variant::OtherLegal),
            "华信（杭州）网络科技有限责任公司"
        );
        let typo = id.misspelt(&mut Rng::new(1));
        assert_eq!(typo.chars[0], id.chars[0]);
        assert_ne!(typo.chars[1], id.chars[1]);
    }
}
