//! Industry text → GB/T 4754-2017 (schema.md §3). The classification is
//! embedded from `data/gbt4754_2017.csv` and parsed once. A value maps when
//! it equals a code (`I65`, `65`, `I`, `6511`), a name (also without its
//! final 业, and with `,`/`/` read as `、`) or an alias (colloquial and
//! English names such as 互联网, SaaS, Technology); failing that, when it
//! contains a division or section name; failing that, when one of its
//! parts separated by `、`, `/` or `|` equals a name or alias (`IT/互联网`).

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// An industry mapped to GB/T 4754-2017: always the section, the division when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndustryMatch {
    /// The most specific code matched (`I`, `65`, `651`, `6511`).
    pub code: String,
    /// Its Chinese name.
    pub name: String,
    /// Section letter (门类), e.g. `I`.
    pub section: String,
    /// Section name, e.g. 信息传输、软件和信息技术服务业.
    pub section_name: crate::model::Text,
    /// Division code (大类) when known, e.g. `65`.
    pub division: Option<String>,
    /// Division name when known.
    pub division_name: Option<String>,
}

impl IndustryMatch {
    /// `code name` as shown in the cleaned output, e.g. `65 软件和信息技术服务业`.
    pub fn display(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

/// The embedded classification: code,level,name,parent.
const GBT_CSV: &str = include_str!("../../data/gbt4754_2017.csv");

/// One entry of the classification.
#[derive(Debug)]
struct Entry {
    code: &'static str,
    /// 0 section, 1 division, 2 group, 3 class.
    level: u8,
    name: &'static str,
    parent: &'static str,
    /// The name in compare form ([`fold`]).
    key: String,
}

/// The classification and its indexes, parsed once.
struct Table {
    entries: Vec<Entry>,
    by_code: HashMap<&'static str, usize>,
    by_key: HashMap<String, Vec<usize>>,
    aliases: HashMap<String, usize>,
}

/// Colloquial and English industry names and their GB/T code.
const ALIASES: &[(&str, &str)] = &[
    // I: information
    ("互联网", "64"),
    ("互联网服务", "64"),
    ("移动互联网", "64"),
    ("internet", "64"),
    ("互联网平台", "643"),
    ("网络安全", "644"),
    ("信息安全", "644"),
    ("cybersecurity", "644"),
    ("IT", "65"),
    ("IT服务", "65"),
    ("软件", "65"),
    ("软件服务", "65"),
    ("SaaS", "65"),
    ("信息技术", "65"),
    ("人工智能", "65"),
    ("AI", "65"),
    ("大数据", "65"),
    ("云计算", "65"),
    ("云服务", "65"),
    ("software", "65"),
    ("information technology", "65"),
    ("游戏", "6572"),
    ("gaming", "6572"),
    ("芯片设计", "6520"),
    ("科技", "I"),
    ("高科技", "I"),
    ("technology", "I"),
    ("tech", "I"),
    ("high tech", "I"),
    ("通信", "63"),
    ("通讯", "63"),
    ("电信", "63"),
    ("telecommunications", "63"),
    ("telecom", "63"),
    ("communications", "63"),
    // F: trade
    ("电商", "52"),
    ("电子商务", "52"),
    ("e-commerce", "52"),
    ("ecommerce", "52"),
    ("新零售", "52"),
    ("零售", "52"),
    ("retail", "52"),
    ("批发", "51"),
    ("wholesale", "51"),
    ("贸易", "51"),
    ("商贸", "51"),
    ("外贸", "51"),
    ("进出口", "51"),
    ("trade", "51"),
    ("trading", "51"),
    ("distribution", "51"),
    // K, J: property and finance
    ("房地产", "70"),
    ("地产", "70"),
    ("物业", "702"),
    ("real estate", "70"),
    ("property", "70"),
    ("金融", "J"),
    ("金融服务", "J"),
    ("金融科技", "J"),
    ("finance", "J"),
    ("financial services", "J"),
    ("financial", "J"),
    ("fintech", "J"),
    ("银行", "66"),
    ("banking", "66"),
    ("bank", "66"),
    ("保险", "68"),
    ("insurance", "68"),
    ("证券", "67"),
    ("基金", "67"),
    ("securities", "67"),
    ("投资", "J"),
    ("investment", "J"),
    // Q, C27: health
    ("医疗", "84"),
    ("医疗健康", "84"),
    ("大健康", "84"),
    ("医疗服务", "84"),
    ("medical", "84"),
    ("healthcare", "84"),
    ("health care", "84"),
    ("hospital", "841"),
    ("医疗器械", "358"),
    ("medical devices", "358"),
    ("医药", "27"),
    ("制药", "27"),
    ("生物医药", "27"),
    ("生物科技", "27"),
    ("pharma", "27"),
    ("pharmaceutical", "27"),
    ("pharmaceuticals", "27"),
    ("biotech", "27"),
    ("biotechnology", "27"),
    // P: education
    ("教育培训", "83"),
    ("培训", "839"),
    ("education", "83"),
    ("training", "839"),
    // C: manufacturing
    ("制造", "C"),
    ("工业", "C"),
    ("manufacturing", "C"),
    ("industrial", "C"),
    ("汽车", "36"),
    ("汽车零部件", "367"),
    ("新能源汽车", "3612"),
    ("automotive", "36"),
    ("auto", "36"),
    ("电子", "39"),
    ("电子制造", "39"),
    ("electronics", "39"),
    ("半导体", "397"),
    ("芯片", "397"),
    ("semiconductor", "397"),
    ("semiconductors", "397"),
    ("通信设备", "392"),
    ("家电", "385"),
    ("化工", "26"),
    ("化学", "26"),
    ("chemicals", "26"),
    ("chemical", "26"),
    ("纺织", "17"),
    ("textile", "17"),
    ("textiles", "17"),
    ("服装", "18"),
    ("服饰", "18"),
    ("apparel", "18"),
    ("食品", "14"),
    ("food", "14"),
    ("food & beverage", "14"),
    ("food and beverage", "14"),
    ("饮料", "15"),
    ("酒", "151"),
    ("beverage", "15"),
    ("beverages", "15"),
    ("机械", "34"),
    ("machinery", "34"),
    ("设备制造", "C"),
    ("钢铁", "31"),
    ("steel", "31"),
    ("家具", "21"),
    ("furniture", "21"),
    ("塑料", "29"),
    ("印刷", "23"),
    ("光伏", "3825"),
    // A, B, D, E
    ("农业", "01"),
    ("agriculture", "A"),
    ("farming", "A"),
    ("养殖", "03"),
    ("矿业", "B"),
    ("采矿", "B"),
    ("mining", "B"),
    ("石油", "07"),
    ("oil & gas", "07"),
    ("oil and gas", "07"),
    ("能源", "D"),
    ("新能源", "D"),
    ("energy", "D"),
    ("utilities", "D"),
    ("电力", "44"),
    ("power", "44"),
    ("electricity", "44"),
    ("燃气", "45"),
    ("水务", "46"),
    ("建筑", "E"),
    ("建筑工程", "E"),
    ("construction", "E"),
    ("装修", "50"),
    ("装饰", "50"),
    // G, H
    ("物流", "G"),
    ("快递", "602"),
    ("运输", "G"),
    ("交通", "G"),
    ("仓储", "59"),
    ("logistics", "G"),
    ("transportation", "G"),
    ("shipping", "G"),
    ("餐饮", "62"),
    ("restaurant", "62"),
    ("restaurants", "62"),
    ("酒店", "61"),
    ("hotel", "61"),
    ("hotels", "61"),
    ("hospitality", "H"),
    ("旅游", "7291"),
    ("travel", "7291"),
    ("tourism", "7291"),
    // L, M: business and technical services
    ("咨询", "724"),
    ("管理咨询", "724"),
    ("consulting", "724"),
    ("广告", "725"),
    ("营销", "725"),
    ("marketing", "725"),
    ("advertising", "725"),
    ("法律", "723"),
    ("律师", "7231"),
    ("legal", "723"),
    ("law", "723"),
    ("人力资源", "726"),
    ("招聘", "726"),
    ("human resources", "726"),
    ("hr", "726"),
    ("staffing", "726"),
    ("会计", "7241"),
    ("审计", "7241"),
    ("accounting", "7241"),
    ("会展", "728"),
    ("events", "728"),
    ("科研", "73"),
    ("研发", "73"),
    ("research", "73"),
    ("engineering", "748"),
    ("环保", "77"),
    ("环境", "77"),
    ("environmental", "77"),
    // R, S
    ("传媒", "R"),
    ("媒体", "R"),
    ("文化传媒", "R"),
    ("文化", "R"),
    ("media", "R"),
    ("影视", "87"),
    ("电影", "87"),
    ("film", "87"),
    ("出版", "862"),
    ("publishing", "862"),
    ("新闻", "861"),
    ("娱乐", "90"),
    ("entertainment", "90"),
    ("recreation", "90"),
    ("sports", "89"),
    ("政府", "S"),
    ("政府机关", "92"),
    ("government", "S"),
    ("public sector", "S"),
    ("非营利", "95"),
    ("非营利组织", "95"),
    ("nonprofit", "95"),
    ("non-profit", "95"),
    ("not for profit", "95"),
    ("ngo", "95"),
];

/// Compare form of a name or value: NFKC, lowercase, no whitespace, and
/// `,` `;` `/` `|` read as `、`.
fn fold(s: &str) -> String {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, ',' | ';' | '/' | '|') {
                '、'
            } else {
                c
            }
        })
        .collect()
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut entries = Vec::new();
        for line in GBT_CSV.lines().skip(1) {
            let mut f = line.split(',');
            let (Some(code), Some(level), Some(name), Some(parent)) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let level = match level {
                "section" => 0,
                "division" => 1,
                "group" => 2,
                "class" => 3,
                _ => continue,
            };
            entries.push(Entry {
                code,
                level,
                name,
                parent,
                key: fold(name),
            });
        }
        let by_code: HashMap<&'static str, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code, i))
            .collect();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_key.entry(e.key.clone()).or_default().push(i);
        }
        let aliases = ALIASES
            .iter()
            .filter_map(|(a, code)| by_code.get(code).map(|i| (fold(a), *i)))
            .collect();
        Table {
            entries,
            by_code,
            by_key,
            aliases,
        }
    })
}

/// A candidate: entry index and the length of what matched.
type Candidate = (usize, usize);

/// The most specific candidate (class over group over division over
/// section), then the longest match, then the first in table order.
fn best(t: &Table, cands: &[Candidate]) -> Option<usize> {
    cands
        .iter()
        .filter_map(|&(i, len)| t.entries.get(i).map(|e| (i, e.level, len)))
        .max_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)).then(b.0.cmp(&a.0)))
        .map(|(i, _, _)| i)
}

/// Looks up a code: `I`, `65`, `651`, `6511`, or `I65` / `I6511` when the
/// letter is the code's own section.
fn code_lookup(t: &Table, key: &str) -> Option<usize> {
    let upper = key.to_ascii_uppercase();
    if let Some(&i) = t.by_code.get(upper.as_str()) {
        return Some(i);
    }
    let mut chars = upper.chars();
    let letter = chars.next()?;
    let rest = chars.as_str();
    if !letter.is_ascii_uppercase() || rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let i = *t.by_code.get(rest)?;
    let section = section_of(t, i)?;
    (t.entries.get(section)?.code.starts_with(letter)).then_some(i)
}

/// Entries whose code, name (or name + 业) or alias equals the value;
/// `codes` allows the value to be a code.
fn exact_candidates(t: &Table, raw: &str, key: &str, codes: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    if let Some(i) = code_lookup(t, key).filter(|_| codes) {
        out.push((i, key.len()));
    }
    for k in [key.to_string(), format!("{key}业")] {
        if let Some(v) = t.by_key.get(&k) {
            out.extend(v.iter().map(|&i| (i, k.len())));
        }
    }
    if let Some(&i) = t.aliases.get(key) {
        out.push((i, key.len()));
    }
    // `65 软件和信息技术服务业`, as written by IndustryMatch::display.
    if let Some((code, name)) = raw.trim().split_once(char::is_whitespace) {
        if let Some(i) = code_lookup(t, &fold(code)) {
            let name_key = fold(name);
            if t.entries.get(i).is_some_and(|e| e.key == name_key) {
                out.push((i, key.len()));
            }
        }
    }
    out
}

/// Section and division entries (of 2+ characters) whose name the value contains.
fn contained_candidates(t: &Table, key: &str) -> Vec<Candidate> {
    t.entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.level <= 1 && e.key.chars().count() >= 2 && key.contains(e.key.as_str()))
        .map(|(i, e)| (i, e.key.len()))
        .collect()
}

fn parent_index(t: &Table, i: usize) -> Option<usize> {
    let e = t.entries.get(i)?;
    if e.parent.is_empty() {
        return None;
    }
    t.by_code.get(e.parent).copied()
}

/// The entry's ancestor at `level` (itself when it is at that level).
fn ancestor_at(t: &Table, i: usize, level: u8) -> Option<usize> {
    let mut cur = i;
    for _ in 0..4 {
        let e = t.entries.get(cur)?;
        if e.level == level {
            return Some(cur);
        }
        if e.level < level {
            return None;
        }
        cur = parent_index(t, cur)?;
    }
    None
}

fn section_of(t: &Table, i: usize) -> Option<usize> {
    ancestor_at(t, i, 0)
}

fn to_match(t: &Table, i: usize) -> Option<IndustryMatch> {
    let e = t.entries.get(i)?;
    let sec = t.entries.get(section_of(t, i)?)?;
    let div = ancestor_at(t, i, 1).and_then(|d| t.entries.get(d));
    Some(IndustryMatch {
        code: e.code.to_string(),
        name: e.name.to_string(),
        section: sec.code.to_string(),
        section_name: sec.name.into(),
        division: div.map(|d| d.code.to_string()),
        division_name: div.map(|d| d.name.to_string()),
    })
}

/// Map industry text to GB/T 4754-2017 per schema.md §3: equals a name or a
/// code (`I65`, `65`, `I`, `6511`, also `65 软件和信息技术服务业` as shown by
/// [`IndustryMatch::display`]), or contains a division or section name, or
/// equals an alias (case-insensitive, after NFKC and trimming); several
/// matches → the most specific wins (class over group over division over
/// section; then the longest matched name). Exact matches (code, name,
/// alias) are preferred to contained names, so the section name
/// 批发和零售业 is F, not the 零售业 it contains; when neither matches, the
/// parts of a list such as `IT/互联网` are tried one by one. Always fills
/// the section; the division when the match is at division level or below.
pub fn map_industry(text: &str) -> Option<IndustryMatch> {
    if text.len() > 512 {
        return None;
    }
    let t = table();
    let key = fold(text);
    if key.is_empty() {
        return None;
    }
    let exact = exact_candidates(t, text, &key, true);
    let pick = best(t, &exact)
        .or_else(|| best(t, &contained_candidates(t, &key)))
        .or_else(|| {
            let parts: Vec<Candidate> = key
                .split('、')
                .filter(|p| !p.is_empty() && *p != key)
                .flat_map(|p| exact_candidates(t, p, p, false))
                .collect();
            best(t, &parts)
        })?;
    to_match(t, pick)
}

/// All 20 sections (letter, name) in order, for reports.
pub fn sections() -> Vec<(&'static str, &'static str)> {
    table()
        .entries
        .iter()
        .filter(|e| e.level == 0)
        .map(|e| (e.code, e.name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, code, section, division)
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    );

    #[test]
    fn mapped() {
        let cases: &[Case] = &[
            ("I65", "65", "I", Some("65")),
            ("65", "65", "I", Some("65")),
            ("i65", "65", "I", Some("65")),
            ("I", "I", "I", None),
            ("6511", "6511", "I", Some("65")),
            ("651", "651", "I", Some("65")),
            ("I6511", "6511", "I", Some("65")),
            ("01", "01", "A", Some("01")),
            ("软件和信息技术服务业", "65", "I", Some("65")),
            ("软件和信息技术服务", "65", "I", Some("65")),
            ("信息传输、软件和信息技术服务业", "I", "I", None),
            ("信息传输,软件和信息技术服务业", "I", "I", None),
            ("批发和零售业", "F", "F", None),
            ("住宿和餐饮业", "H", "H", None),
            ("教育", "83", "P", Some("83")),
            ("房地产业", "70", "K", Some("70")),
            ("软件开发", "651", "I", Some("65")),
            ("电信", "631", "I", Some("63")),
            ("互联网零售", "5292", "F", Some("52")),
            ("65 软件和信息技术服务业", "65", "I", Some("65")),
            ("I 信息传输、软件和信息技术服务业", "I", "I", None),
            ("某某汽车制造业", "36", "C", Some("36")),
            ("某某制造业", "C", "C", None),
            ("医疗卫生", "84", "Q", Some("84")),
            ("互联网", "64", "I", Some("64")),
            ("IT", "65", "I", Some("65")),
            ("it", "65", "I", Some("65")),
            ("软件", "65", "I", Some("65")),
            ("SaaS", "65", "I", Some("65")),
            ("信息技术", "65", "I", Some("65")),
            ("电商", "52", "F", Some("52")),
            ("房地产", "70", "K", Some("70")),
            ("医疗", "84", "Q", Some("84")),
            ("医药", "27", "C", Some("27")),
            ("金融", "J", "J", None),
            ("银行", "66", "J", Some("66")),
            ("保险", "68", "J", Some("68")),
            ("证券", "67", "J", Some("67")),
            ("制造业", "C", "C", None),
            ("汽车", "36", "C", Some("36")),
            ("物流", "G", "G", None),
            ("餐饮", "62", "H", Some("62")),
            ("咨询", "724", "L", Some("72")),
            ("游戏", "6572", "I", Some("65")),
            ("Technology", "I", "I", None),
            ("Medical", "84", "Q", Some("84")),
            ("Retail", "52", "F", Some("52")),
            ("Finance", "J", "J", None),
            ("Telecommunications", "63", "I", Some("63")),
            ("Marketing", "725", "L", Some("72")),
            ("Entertainment", "90", "R", Some("90")),
            ("Software", "65", "I", Some("65")),
            ("  ＳＯＦＴＷＡＲＥ ", "65", "I", Some("65")),
            ("Financial Services", "J", "J", None),
            ("Real Estate", "70", "K", Some("70")),
            ("Food & Beverage", "14", "C", Some("14")),
            ("IT/互联网", "64", "I", Some("64")),
        ];
        for (text, code, section, division) in cases {
            let m = map_industry(text).unwrap_or_else(|| panic!("{text} not mapped"));
            assert_eq!(m.code, *code, "{text}");
            assert_eq!(m.section, *section, "{text}");
            assert_eq!(m.division.as_deref(), *division, "{text}");
        }
    }

    #[test]
    fn names_filled() {
        let m = map_industry("I65").unwrap();
        assert_eq!(m.name, "软件和信息技术服务业");
        assert_eq!(&*m.section_name, "信息传输、软件和信息技术服务业");
        assert_eq!(m.division_name.as_deref(), Some("软件和信息技术服务业"));
        assert_eq!(m.display(), "65 软件和信息技术服务业");
        let s = map_industry("金融").unwrap();
        assert_eq!(s.division_name, None);
        assert_eq!(s.display(), "J 金融业");
        let c = map_industry("6520").unwrap();
        assert_eq!(c.name, "集成电路设计");
        assert_eq!(c.division.as_deref(), Some("65"));
    }

    #[test]
    fn unmapped() {
        let cases: &[&str] = &[
            "",
            "   ",
            "火星开发",
            "X",
            "U",
            "A65",
            "99",
            "9999",
            "I6",
            "未知",
            "其他",
            "n/a",
            "业",
            "、",
            "I 软件",
        ];
        for text in cases {
            assert_eq!(map_industry(text), None, "{text}");
        }
    }

    #[test]
    fn sections_and_aliases() {
        let s = sections();
        assert_eq!(s.len(), 20);
        assert_eq!(s.first(), Some(&("A", "农、林、牧、渔业")));
        assert_eq!(s.last(), Some(&("T", "国际组织")));
        let t = table();
        assert_eq!(t.entries.len(), 1972);
        for (alias, code) in ALIASES {
            assert!(
                t.by_code.contains_key(code),
                "alias {alias} → unknown code {code}"
            );
        }
    }
}
