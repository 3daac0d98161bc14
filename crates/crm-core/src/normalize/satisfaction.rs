//! Satisfaction scores and yes/no cells (schema.md §3). A score is read
//! from `4`, `4分`, `4.5`, `4/5`, `8/10` (scaled to five), `80%`, stars
//! `★★★★`, or a satisfaction word (`满意`); the caller checks the 1–5
//! range. Yes/no cells read 有/是/yes/✓ and 无/否/no/✗ and their kin.

use super::text::clean_text;

/// Satisfaction words and their score; longest first so `非常不满意` is not
/// read as `满意`.
const WORDS: &[(&str, f64)] = &[
    ("非常不满意", 1.0),
    ("极不满意", 1.0),
    ("很不满意", 1.0),
    ("verydissatisfied", 1.0),
    ("不太满意", 2.0),
    ("不满意", 2.0),
    ("dissatisfied", 2.0),
    ("unsatisfied", 2.0),
    ("非常满意", 5.0),
    ("十分满意", 5.0),
    ("很满意", 5.0),
    ("verysatisfied", 5.0),
    ("比较满意", 4.0),
    ("较满意", 4.0),
    ("满意", 4.0),
    ("satisfied", 4.0),
    ("基本满意", 3.0),
    ("一般", 3.0),
    ("还行", 3.0),
    ("中等", 3.0),
    ("neutral", 3.0),
    ("较差", 2.0),
    ("很差", 1.0),
    ("非常差", 1.0),
    ("差", 2.0),
    ("好", 4.0),
    ("很好", 5.0),
    ("非常好", 5.0),
];

/// Reads a satisfaction score: `4`, `4分`, `4.5`, `4星`, `四分`, `4/5` → 4;
/// `x/y` is scaled to a 5-point scale (`8/10` → 4, `90/100` → 4.5); `80%`
/// → 4; `★★★★` → 4 (only `★`/`⭐` count, `☆` is an empty star, so `★★☆☆☆`
/// → 2); words: 非常满意 5, 满意 4, 一般 3, 不满意 2, 非常不满意 1. The
/// score is returned even when outside 1–5 (`0`, `8`): the caller checks the
/// range. None when unreadable.
pub fn parse_satisfaction(s: &str) -> Option<f64> {
    if s.len() > 256 {
        return None;
    }
    let spaced = clean_text(s).to_lowercase();
    let text: String = spaced.chars().filter(|c| !c.is_whitespace()).collect();
    if text.is_empty() {
        return None;
    }
    if text
        .chars()
        .all(|c| matches!(c, '★' | '☆' | '⭐' | '✩' | '✰'))
    {
        let full = text.chars().filter(|c| matches!(c, '★' | '⭐')).count();
        return u32::try_from(full).ok().map(f64::from);
    }
    if let Some((_, v)) = WORDS.iter().find(|(w, _)| *w == text) {
        return Some(*v);
    }
    let body = ["分", "星", "points", "point", "pts", "stars", "star"]
        .iter()
        .fold(spaced.as_str(), |t, suf| {
            t.strip_suffix(suf).unwrap_or(t).trim_end()
        });
    if let Some(p) = body.strip_suffix('%') {
        return number(p).map(|v| v / 20.0);
    }
    if let Some((a, b)) = body.split_once('/') {
        let (x, y) = (number(a)?, number(b.trim_end_matches(['分', '星']))?);
        if y <= 0.0 || y > 100.0 {
            return None;
        }
        return Some(x * 5.0 / y);
    }
    number(body)
}

/// A plain decimal (`4`, `4.5`, `-1`) or a Chinese digit `一`…`十`.
fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 24 {
        return None;
    }
    let cn = match s {
        "零" | "〇" => Some(0.0),
        "一" => Some(1.0),
        "二" | "两" => Some(2.0),
        "三" => Some(3.0),
        "四" => Some(4.0),
        "五" => Some(5.0),
        "六" => Some(6.0),
        "七" => Some(7.0),
        "八" => Some(8.0),
        "九" => Some(9.0),
        "十" => Some(10.0),
        _ => None,
    };
    if cn.is_some() {
        return cn;
    }
    let body = s.strip_prefix('-').unwrap_or(s);
    let ok = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|b| *b == b'.').count() <= 1
        && body != ".";
    if !ok {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a yes/no cell: 有/是/yes/y/✓/√/✔/true/1/有意向/需要/对/是的 → true;
/// 无/否/no/n/✗/×/✘/false/0/没有/暂无/不需要/无意向/不是 → false; anything
/// else (including empty text) → None. Case-insensitive.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    if s.len() > 256 {
        return None;
    }
    let text: String = clean_text(s)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    const YES: &[&str] = &[
        "有",
        "是",
        "是的",
        "对",
        "yes",
        "y",
        "✓",
        "√",
        "✔",
        "☑",
        "true",
        "t",
        "1",
        "有意向",
        "需要",
        "要",
        "已",
    ];
    const NO: &[&str] = &[
        "无",
        "否",
        "不是",
        "no",
        "n",
        "✗",
        "×",
        "✘",
        "☒",
        "false",
        "f",
        "0",
        "没有",
        "暂无",
        "不需要",
        "无意向",
        "不要",
        "未",
    ];
    if YES.contains(&text.as_str()) {
        Some(true)
    } else if NO.contains(&text.as_str()) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        let cases: &[(&str, Option<f64>)] = &[
            ("4", Some(4.0)),
            (" 4 ", Some(4.0)),
            ("４", Some(4.0)),
            ("4分", Some(4.0)),
            ("4 分", Some(4.0)),
            ("四分", Some(4.0)),
            ("4星", Some(4.0)),
            ("4.5", Some(4.5)),
            ("4/5", Some(4.0)),
            ("4/5分", Some(4.0)),
            ("8/10", Some(4.0)),
            ("90/100", Some(4.5)),
            ("80%", Some(4.0)),
            ("★★★★", Some(4.0)),
            ("★★★★☆", Some(4.0)),
            ("★★☆☆☆", Some(2.0)),
            ("☆☆☆", Some(0.0)),
            ("⭐⭐⭐", Some(3.0)),
            ("非常满意", Some(5.0)),
            ("满意", Some(4.0)),
            ("一般", Some(3.0)),
            ("不满意", Some(2.0)),
            ("非常不满意", Some(1.0)),
            ("Satisfied", Some(4.0)),
            ("8", Some(8.0)),
            ("0", Some(0.0)),
            ("-1", Some(-1.0)),
            ("", None),
            ("   ", None),
            ("abc", None),
            ("4/0", None),
            ("4/", None),
            ("/5", None),
            ("4..5", None),
            (".", None),
            ("4 5", None),
            ("1e400", None),
            ("满意度高", None),
            ("4/1000", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_satisfaction(text), *want, "{text}");
        }
    }

    #[test]
    fn yes_no() {
        let cases: &[(&str, Option<bool>)] = &[
            ("有", Some(true)),
            ("是", Some(true)),
            ("Yes", Some(true)),
            ("Y", Some(true)),
            ("✓", Some(true)),
            ("√", Some(true)),
            ("TRUE", Some(true)),
            ("1", Some(true)),
            ("有意向", Some(true)),
            ("需要", Some(true)),
            ("无", Some(false)),
            ("否", Some(false)),
            ("no", Some(false)),
            ("N", Some(false)),
            ("✗", Some(false)),
            ("×", Some(false)),
            ("false", Some(false)),
            ("0", Some(false)),
            ("没有", Some(false)),
            ("暂无", Some(false)),
            ("", None),
            ("maybe", None),
            ("待定", None),
            ("x", None),
            ("2", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_yes_no(text), *want, "{text}");
        }
    }
}
