//! Customer grade (schema.md §3): reads `A`/`B`/`C` with their Chinese
//! decorations (`A类`, `A级`, `A类-高意向`, `A客户`), intent words
//! (`高意向`, `中等意向`, `低意向`), account tiers (`战略客户`, `重点客户`,
//! `潜力客户`), 甲/乙/丙 and a few English forms (`High`, `Tier 1`, `P1`).

use super::text::clean_text;

/// Words that decorate a grade without changing it, stripped from the end.
const DECORATIONS: &[&str] = &["客户", "类", "级", "等", "型"];

/// Whole values (after removing decorations, spaces and case) and their grade.
const WORDS: &[(&str, char)] = &[
    ("高意向", 'A'),
    ("意向高", 'A'),
    ("强意向", 'A'),
    ("意向强", 'A'),
    ("高", 'A'),
    ("战略", 'A'),
    ("重要", 'A'),
    ("核心", 'A'),
    ("关键", 'A'),
    ("vip", 'A'),
    ("甲", 'A'),
    ("一", 'A'),
    ("中等意向", 'B'),
    ("中意向", 'B'),
    ("意向中等", 'B'),
    ("意向一般", 'B'),
    ("中等", 'B'),
    ("中", 'B'),
    ("重点", 'B'),
    ("乙", 'B'),
    ("二", 'B'),
    ("低意向", 'C'),
    ("意向低", 'C'),
    ("弱意向", 'C'),
    ("低", 'C'),
    ("潜力", 'C'),
    ("潜在", 'C'),
    ("一般", 'C'),
    ("普通", 'C'),
    ("丙", 'C'),
    ("三", 'C'),
    ("high", 'A'),
    ("hot", 'A'),
    ("strategic", 'A'),
    ("key", 'A'),
    ("keyaccount", 'A'),
    ("tier1", 'A'),
    ("p1", 'A'),
    ("medium", 'B'),
    ("mid", 'B'),
    ("warm", 'B'),
    ("tier2", 'B'),
    ("p2", 'B'),
    ("low", 'C'),
    ("cold", 'C'),
    ("tier3", 'C'),
    ("p3", 'C'),
];

/// Reads a grade: `A`, `a`, `A类`, `A级`, `A类-高意向`, `A客户`, `A+`,
/// `高意向`, `战略客户`, `重要`, `甲类`, `一类客户`, `High`, `Tier 1`, `P1`
/// → 'A'; `B…`, `中等意向`, `中意向`, `重点客户`, `乙`, `Medium`, `Tier 2`,
/// `P2` → 'B'; `C…`, `低意向`, `潜力客户`, `一般`, `丙`, `Low`, `Tier 3`,
/// `P3` → 'C'. A leading letter wins over the words after it. Unknown
/// grades (including `D`) → None.
pub fn parse_grade(s: &str) -> Option<char> {
    if s.len() > 256 {
        return None;
    }
    let cleaned = clean_text(s).to_lowercase();
    let key: String = cleaned.chars().filter(|c| !c.is_whitespace()).collect();
    let mut chars = key.chars();
    let first = chars.next()?;
    if matches!(first, 'a' | 'b' | 'c') && !chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
    {
        return Some(first.to_ascii_uppercase());
    }
    let mut word = key.as_str();
    for _ in 0..2 {
        for d in DECORATIONS {
            if let Some(rest) = word.strip_suffix(d) {
                if !rest.is_empty() {
                    word = rest;
                }
            }
        }
    }
    WORDS.iter().find(|(w, _)| *w == word).map(|(_, g)| *g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        let cases: &[(&str, Option<char>)] = &[
            ("A", Some('A')),
            ("a", Some('A')),
            (" Ａ ", Some('A')),
            ("A类", Some('A')),
            ("A级", Some('A')),
            ("A类-高意向", Some('A')),
            ("A客户", Some('A')),
            ("A+", Some('A')),
            ("高意向", Some('A')),
            ("高意向客户", Some('A')),
            ("战略客户", Some('A')),
            ("重要", Some('A')),
            ("重要客户", Some('A')),
            ("甲类", Some('A')),
            ("一类客户", Some('A')),
            ("High", Some('A')),
            ("Tier 1", Some('A')),
            ("P1", Some('A')),
            ("B", Some('B')),
            ("b类", Some('B')),
            ("B类-中意向", Some('B')),
            ("中等意向", Some('B')),
            ("中意向", Some('B')),
            ("重点客户", Some('B')),
            ("medium", Some('B')),
            ("Tier2", Some('B')),
            ("C", Some('C')),
            ("C级", Some('C')),
            ("低意向", Some('C')),
            ("潜力客户", Some('C')),
            ("一般", Some('C')),
            ("LOW", Some('C')),
            ("P3", Some('C')),
            ("D", None),
            ("D类", None),
            ("Apple", None),
            ("abc", None),
            ("", None),
            ("   ", None),
            ("客户", None),
            ("不重要", None),
            ("tier 4", None),
            ("A1", None),
            ("未知", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_grade(text), *want, "{text}");
        }
    }
}
