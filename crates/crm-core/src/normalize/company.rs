//! Company names (schema.md §3): the deduplication key — the name with
//! its region or group bracket, legal form, case, spaces and punctuation
//! removed, so `阿里巴巴（中国）网络技术有限公司` and `阿里巴巴网络技术有限公司`
//! are one customer — and a lookup of 注册地 text to province and city,
//! both based on the embedded region list (regions_cn.csv).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::text::is_plain;
use unicode_normalization::UnicodeNormalization;

/// The embedded region list: code,name,short_name,level,parent.
const REGIONS_CSV: &str = include_str!("../../data/regions_cn.csv");

/// One row of the region list.
#[derive(Debug)]
struct Region {
    code: &'static str,
    name: &'static str,
    short: &'static str,
    level: &'static str,
    parent: &'static str,
}

/// The region list and its indexes, parsed once.
struct Regions {
    rows: Vec<Region>,
    by_code: HashMap<&'static str, usize>,
    /// Full and short names of provinces and prefecture-level cities.
    droppable: HashSet<&'static str>,
}

fn regions() -> &'static Regions {
    static REGIONS: OnceLock<Regions> = OnceLock::new();
    REGIONS.get_or_init(|| {
        let mut rows = Vec::new();
        for line in REGIONS_CSV.lines().skip(1) {
            let mut f = line.split(',');
            let (Some(code), Some(name), Some(short), Some(level), Some(parent)) =
                (f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            rows.push(Region {
                code,
                name,
                short,
                level,
                parent,
            });
        }
        let by_code = rows.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
        let droppable = rows
            .iter()
            .filter(|r| r.level == "province" || r.level == "city")
            .flat_map(|r| [r.name, r.short])
            .collect();
        Regions {
            rows,
            by_code,
            droppable,
        }
    })
}

/// Bracket contents that are dropped besides region names.
const DROPPED_BRACKETS: &[&str] = &["中国", "集团", "china"];

/// Chinese legal forms, longest first; one is removed from the end.
const CN_SUFFIXES: &[&str] = &[
    "集团股份有限公司",
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "公司",
];

/// English legal forms (case-folded), removed as separate words, repeatedly.
const EN_SUFFIXES: &[&str] = &[
    "co.,ltd.",
    "co.,ltd",
    "co.",
    "co",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "llc",
    "l.l.c.",
    "corp.",
    "corp",
    "corporation",
    "limited",
    "gmbh",
];

/// True for Unicode punctuation and symbols (an approximation of the
/// general categories P* and S* over the blocks that occur in names).
fn is_punct_or_symbol(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    let u = u32::from(c);
    matches!(u,
        0x00A1..=0x00A9 | 0x00AB..=0x00B1 | 0x00B4 | 0x00B6..=0x00B8 | 0x00BB | 0x00BF | 0x00D7 | 0x00F7
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x20A0..=0x20CF | 0x2100..=0x2101 | 0x2103..=0x2106 | 0x2108..=0x2109
        | 0x2116..=0x2118 | 0x211E..=0x2123 | 0x2190..=0x23FF | 0x2500..=0x2BFF | 0x2E00..=0x2E7F
        | 0x3001..=0x3004 | 0x3008..=0x3020 | 0x3030 | 0x303D..=0x303F | 0x30FB
        | 0xFE10..=0xFE19 | 0xFE30..=0xFE6B | 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65
        | 0xFFE0..=0xFFEE | 0x1F000..=0x1FAFF)
}

/// Maps the bracket kinds to `(` and `)`.
fn unify_bracket(c: char) -> char {
    match c {
        '（' | '【' | '〔' | '[' | '〖' | '［' => '(',
        '）' | '】' | '〕' | ']' | '〗' | '］' => ')',
        c => c,
    }
}

/// Removes `(…)` segments whose content is a province or prefecture-level
/// city (full or short name), 中国, 集团 or China. Unbalanced brackets are
/// left alone.
fn drop_region_brackets(s: &str) -> String {
    let regions = regions();
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('(') {
        let (head, tail) = rest.split_at(open);
        out.push_str(head);
        let inner_tail = tail.get(1..).unwrap_or("");
        match inner_tail.find(')') {
            Some(close) if !inner_tail.get(..close).unwrap_or("").contains('(') => {
                let inner = inner_tail.get(..close).unwrap_or("");
                let key = inner.trim();
                let key_lower = key.to_lowercase();
                if regions.droppable.contains(key) || DROPPED_BRACKETS.contains(&key_lower.as_str())
                {
                    // dropped
                } else {
                    out.push('(');
                    out.push_str(inner);
                    out.push(')');
                }
                rest = inner_tail.get(close + 1..).unwrap_or("");
            }
            _ => {
                out.push('(');
                rest = inner_tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes one Chinese legal-form suffix; `分公司` (a branch) is kept.
fn strip_cn_suffix(s: &str) -> &str {
    let trimmed = s.trim_end();
    // Every legal form ends in 司 (most names do too, so it is checked once).
    if !trimmed.ends_with('司') {
        return trimmed;
    }
    for suf in CN_SUFFIXES {
        if let Some(head) = trimmed.strip_suffix(suf) {
            if *suf == "公司" && head.ends_with('分') {
                return trimmed;
            }
            return if head.trim().is_empty() {
                trimmed
            } else {
                head
            };
        }
    }
    trimmed
}

/// Removes English legal-form words from the end, repeatedly.
fn strip_en_suffixes(s: &str) -> &str {
    let mut cur = s;
    loop {
        let trimmed = cur.trim_end_matches(|c: char| c.is_whitespace() || c == ',');
        // Every legal form ends in a letter or `.`: a Chinese name ends in
        // neither.
        if !trimmed.ends_with(|c: char| c.is_ascii_alphabetic() || c == '.') {
            return trimmed;
        }
        let mut changed = false;
        for suf in EN_SUFFIXES {
            if let Some(head) = trimmed.strip_suffix(suf) {
                let separated = head
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_whitespace() || c == ',' || c == '.');
                if separated
                    && !head
                        .trim_end_matches(|c: char| c.is_whitespace() || c == ',')
                        .is_empty()
                {
                    cur = head;
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            return trimmed;
        }
    }
}

/// The company-name key: NFKC; unify brackets (（）【】〔〕[] → ()); drop a
/// bracketed segment when it is the full or short name of a province or
/// prefecture-level city (from regions_cn.csv), 中国, 集团 or `China`
/// (`巴巴(中国)网络…`, `泰和生物（温州）…`; a district or branch such as
/// `(海淀)` or `(海淀分部)` stays); case-fold; drop a legal-form suffix
/// (股份有限公司, 有限责任公司, 集团有限公司, 有限公司, 公司 — but not the
/// 公司 of a branch's 分公司; and, only as separate words, Co., Ltd., Co.,
/// Ltd, Inc., LLC, Corp., Corporation, Limited, GmbH — repeatedly, so
/// `Acme Co., Ltd.` → `acme`); then drop spaces and punctuation (Unicode
/// punctuation and symbols, incl. the brackets that remain). A suffix that
/// is the whole name is kept.
pub fn company_key(name: &str) -> String {
    // Plain text (ASCII and CJK ideographs) is its own NFKC.
    let nfkc: String = if name.chars().all(is_plain) {
        name.chars().map(unify_bracket).collect()
    } else {
        name.nfkc().map(unify_bracket).collect()
    };
    let no_region = drop_region_brackets(&nfkc);
    let folded = no_region.to_lowercase();
    let base = strip_en_suffixes(strip_cn_suffix(folded.trim()));
    base.chars()
        .filter(|c| !c.is_whitespace() && !is_punct_or_symbol(*c))
        .collect()
}

/// Region lookup for 注册地 text: (province full name, city full name).
/// Reads full or short names with `省`/`市` optional (`浙江省温州市鹿城区`,
/// `浙江温州`, `温州`, `杭州市`); a county name that is unique in the list
/// also gives its province and city (`鹿城区`). The city is `None` when only
/// the province is known; for the four municipalities (北京, 天津, 上海,
/// 重庆) the city is the municipality itself. `None` when no region is found.
pub fn region_of(text: &str) -> Option<(&'static str, Option<&'static str>)> {
    if text.len() > 1024 {
        return None;
    }
    let key: String = text.nfkc().filter(|c| !c.is_whitespace()).collect();
    if key.is_empty() {
        return None;
    }
    let regs = regions();
    let is_municipality = |r: &Region| matches!(r.code, "110000" | "120000" | "310000" | "500000");
    let parent_of = |r: &Region| regs.by_code.get(r.parent).and_then(|i| regs.rows.get(*i));
    let full = |r: &'static Region| -> (&'static str, Option<&'static str>) {
        match r.level {
            "province" => (r.name, is_municipality(r).then_some(r.name)),
            "city" => (parent_of(r).map(|p| p.name).unwrap_or(""), Some(r.name)),
            _ => match parent_of(r) {
                Some(p) if p.level == "city" => {
                    (parent_of(p).map(|g| g.name).unwrap_or(""), Some(p.name))
                }
                Some(p) => (p.name, is_municipality(p).then_some(p.name)),
                None => ("", None),
            },
        }
    };
    // Exact full name first (吉林市 is the city, not the province).
    if let Some(r) = regs
        .rows
        .iter()
        .find(|r| r.level != "county" && r.name == key)
    {
        return Some(full(r));
    }
    // Longest name that starts the text, names of higher levels first.
    let prefix_match = |rows: &mut dyn Iterator<Item = &'static Region>,
                        s: &str|
     -> Option<(&'static Region, usize)> {
        let mut best: Option<(&'static Region, usize)> = None;
        for r in rows {
            for n in [r.name, r.short] {
                if n.chars().count() >= 2
                    && s.starts_with(n)
                    && best.is_none_or(|(_, l)| n.len() > l)
                {
                    best = Some((r, n.len()));
                }
            }
        }
        best
    };
    let rows: &'static [Region] = &regs.rows;
    if let Some((prov, len)) =
        prefix_match(&mut rows.iter().filter(|r| r.level == "province"), &key)
    {
        let rest = key.get(len..).unwrap_or("");
        let rest = rest
            .strip_prefix('省')
            .or_else(|| rest.strip_prefix('市'))
            .unwrap_or(rest);
        if let Some((city, _)) = prefix_match(
            &mut rows
                .iter()
                .filter(|r| r.level == "city" && r.parent == prov.code),
            rest,
        ) {
            return Some((prov.name, Some(city.name)));
        }
        return Some(full(prov));
    }
    if let Some((city, _)) = prefix_match(&mut rows.iter().filter(|r| r.level == "city"), &key) {
        return Some(full(city));
    }
    // A county name that is unique across the list.
    let counties: Vec<&'static Region> = rows
        .iter()
        .filter(|r| {
            r.level == "county"
                && (key.starts_with(r.name) || (r.short.chars().count() >= 2 && key == r.short))
        })
        .collect();
    match counties.as_slice() {
        [one] => Some(full(one)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_keys() {
        let groups: &[&[&str]] = &[
            &[
                "阿里巴巴(中国)网络技术有限公司",
                "阿里巴巴（中国）网络技术有限公司",
                "阿里巴巴网络技术有限公司",
                "阿里巴巴【中国】网络技术有限公司",
            ],
            &[
                "泰和生物科技（温州）有限公司",
                "泰和生物科技有限公司",
                "泰和生物科技(温州市)有限公司",
                "泰和生物科技(浙江)有限公司",
            ],
            &[
                "Acme Co., Ltd.",
                "ACME",
                "Acme Inc.",
                "Acme Co.,Ltd.",
                "acme ltd",
                "Acme Corporation",
                "ACME LLC",
                "Acme GmbH",
                "Acme Limited",
                "Acme (China) Co., Ltd.",
            ],
            &[
                "华为技术有限公司",
                "华为技术股份有限公司",
                "华为技术有限责任公司",
                "华为技术公司",
                "华为技术",
                " 华为 技术 有限公司 ",
            ],
            &["万达集团有限公司", "万达(集团)有限公司", "万达"],
            &[
                "ＡＢＣ科技有限公司",
                "abc科技有限公司",
                "A.B.C.科技有限公司",
            ],
        ];
        for g in groups {
            let first = company_key(g[0]);
            for name in g.iter() {
                assert_eq!(company_key(name), first, "{name} vs {}", g[0]);
            }
        }
    }

    #[test]
    fn keys() {
        let cases: &[(&str, &str)] = &[
            ("阿里巴巴(中国)网络技术有限公司", "阿里巴巴网络技术"),
            ("北京XX(海淀)科技有限公司", "北京xx海淀科技"),
            ("北京XX(海淀分部)科技有限公司", "北京xx海淀分部科技"),
            ("北京XX科技有限公司", "北京xx科技"),
            ("合计科技有限公司", "合计科技"),
            ("Acme Co., Ltd.", "acme"),
            ("有限公司", "有限公司"),
            ("公司", "公司"),
            ("Limited", "limited"),
            ("XX有限公司北京分公司", "xx有限公司北京分公司"),
            ("Cocoa Inc", "cocoa"),
            ("Tesco", "tesco"),
            ("X(未闭合有限公司", "x未闭合"),
            ("", ""),
            ("★星辰★科技有限公司", "星辰科技"),
            ("A&B Corp.", "ab"),
        ];
        for (name, want) in cases {
            assert_eq!(company_key(name), *want, "{name}");
        }
        assert_ne!(
            company_key("北京XX(海淀)科技有限公司"),
            company_key("北京XX科技有限公司")
        );
    }

    #[test]
    fn regions_lookup() {
        type Want = Option<(&'static str, Option<&'static str>)>;
        let cases: &[(&str, Want)] = &[
            ("浙江省温州市鹿城区", Some(("浙江省", Some("温州市")))),
            ("浙江温州", Some(("浙江省", Some("温州市")))),
            ("浙江省", Some(("浙江省", None))),
            ("浙江", Some(("浙江省", None))),
            ("温州", Some(("浙江省", Some("温州市")))),
            ("杭州市西湖区", Some(("浙江省", Some("杭州市")))),
            ("北京", Some(("北京市", Some("北京市")))),
            ("北京市海淀区", Some(("北京市", Some("北京市")))),
            ("上海市", Some(("上海市", Some("上海市")))),
            ("吉林市", Some(("吉林省", Some("吉林市")))),
            ("吉林", Some(("吉林省", None))),
            ("广西南宁", Some(("广西壮族自治区", Some("南宁市")))),
            ("延边", Some(("吉林省", Some("延边朝鲜族自治州")))),
            ("海淀区", Some(("北京市", Some("北京市")))),
            ("", None),
            ("火星", None),
            ("abc", None),
        ];
        for (text, want) in cases {
            assert_eq!(region_of(text), *want, "{text}");
        }
    }

    #[test]
    fn region_list_loaded() {
        let r = regions();
        assert_eq!(r.rows.iter().filter(|r| r.level == "province").count(), 34);
        assert_eq!(r.rows.iter().filter(|r| r.level == "city").count(), 333);
        assert!(
            r.droppable.contains("温州")
                && r.droppable.contains("温州市")
                && !r.droppable.contains("海淀")
        );
    }
}
