//! Money amounts (schema.md §3) in integer cents: `30万`, `¥300,000`,
//! `$1,200.50`, `0.3亿`, `300k`, `三十万`, accounting negatives `(5000)`,
//! budget ranges `30-50万` and vague amounts such as `十几万` or `一千多万`.
//! Decimal text is read into an exact decimal and scaled with integer
//! arithmetic, never through `f64`, so `0.3亿` is exactly 30 000 000 yuan.
//! Currency words and symbols are dropped; nothing is ever converted.

use super::text::clean_text;

/// Why an amount could not be read as the one number that was required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// No accepted form reads the value (or it is out of range).
    #[error("not an amount")]
    Unparseable,
    /// A range (`30-50万`) where one number was required.
    #[error("a range where one amount was expected")]
    Range,
    /// A vague amount (`十几万`, `50万以上`) where one number was required.
    #[error("a vague amount where one amount was expected")]
    Vague,
}

/// Longest text (in characters, after cleaning) that is tried at all.
const MAX_CHARS: usize = 64;
/// Largest accepted absolute amount in cents (9e15 yuan).
const MAX_CENTS: i128 = 900_000_000_000_000_000;

/// One amount in cents: `30万`, `30万元`, `¥300,000`, `$1,200.50`,
/// `300000.00`, `30w`, `0.3亿`, `300k`, `3百万`, `1.2M`, `三十万`, `两万五`,
/// `-5000`, `(5000)` (accounting negative), `5,000元`, `RMB 5000`,
/// `USD 1,000`, `约30万` / `30万左右` (the approximate value itself).
/// Ranges → `Err(Range)`; vague amounts (`十几万`, `50多万`) and bounds
/// (`50万以上`, `50万+`) → `Err(Vague)`. Fractions of a cent are rounded half
/// away from zero.
pub fn parse_amount(s: &str) -> Result<i64, AmountError> {
    let prepared = prepare(s)?;
    if prepared.bound {
        return Err(AmountError::Vague);
    }
    if split_range(&prepared.text)?.is_some() {
        return Err(AmountError::Range);
    }
    let (neg, body) = strip_sign(&prepared.text);
    let tokens = tokenize(body)?;
    let (lo, hi, vague) = eval_both(&tokens)?;
    if vague || lo != hi {
        return Err(AmountError::Vague);
    }
    signed_cents(lo, neg)
}

/// A budget as (min_cents, max_cents). A single value gives (v, v); ranges
/// `30-50万元`, `30万-50万`, `30~50万`, `30至50万`, `30到50万`, `30—50万`
/// (a unit written only on one end applies to the other end too, unless
/// that end alone already reaches the unit: `15000-2万` is 15 000–20 000);
/// Chinese numerals; vague amounts as ranges: `十几万` → 110k–190k,
/// `三四十万` → 300k–400k, `一千多万` → 10M–20M, `50多万` → 500k–600k,
/// `几十万` → 100k–900k. Bounds (`50万以上`, `50万+`, `50万以内`,
/// `不超过50万`) give the stated number as both ends. Does NOT check
/// min <= max (the caller raises budget_min_gt_max).
pub fn parse_budget(s: &str) -> Result<(i64, i64), AmountError> {
    let prepared = prepare(s)?;
    match split_range(&prepared.text)? {
        None => {
            let (neg, body) = strip_sign(&prepared.text);
            let tokens = tokenize(body)?;
            let (lo, hi, _) = eval_both(&tokens)?;
            let (a, b) = (signed_cents(lo, neg)?, signed_cents(hi, neg)?);
            Ok(if neg { (b, a) } else { (a, b) })
        }
        Some((left, right)) => {
            let (lneg, lbody) = strip_sign(left);
            let (rneg, rbody) = strip_sign(right);
            let mut lt = tokenize(lbody)?;
            let mut rt = tokenize(rbody)?;
            share_unit(&mut lt, &rt)?;
            share_unit(&mut rt, &lt)?;
            let (llo, _, _) = eval_both(&lt)?;
            let (_, rhi, _) = eval_both(&rt)?;
            Ok((signed_cents(llo, lneg)?, signed_cents(rhi, rneg)?))
        }
    }
}

/// An amount from a numeric cell, rounded to cents; None for non-finite
/// values or beyond ±9e15.
pub fn amount_from_number(n: f64) -> Option<i64> {
    if !n.is_finite() || n.abs() > 9e15 {
        return None;
    }
    Some((n * 100.0).round() as i64)
}

/// Cleaned, lowercased text without spaces, currency and approximation
/// words; `bound` tells that a bound word (`以上`, `+`…) was removed.
struct Prepared {
    text: String,
    bound: bool,
}

/// Currency words and symbols, longest first (removed, never converted).
const CURRENCY: &[&str] = &[
    "人民币",
    "rmb",
    "cny",
    "us$",
    "usd",
    "hk$",
    "hkd",
    "euro",
    "eur",
    "美元",
    "美金",
    "港币",
    "港元",
    "欧元",
    "元整",
    "块钱",
    "yuan",
    "¥",
    "$",
    "€",
    "£",
    "元",
    "圆",
    "块",
];
/// Approximation words: the value itself is kept.
const APPROX: &[&str] = &[
    "大约", "大概", "约", "左右", "上下", "approx.", "approx", "about", "around", "≈",
];
/// Bound words: the stated number is kept as both ends of a budget.
const BOUND: &[&str] = &[
    "不超过",
    "不低于",
    "不少于",
    "至少",
    "最多",
    "最少",
    "以上",
    "以下",
    "以内",
    "之内",
    "以外",
    "起",
    "≥",
    "≤",
    ">=",
    "<=",
    ">",
    "<",
    "+",
    "upto",
    "over",
    "under",
    "max",
    "min",
];

fn prepare(s: &str) -> Result<Prepared, AmountError> {
    if s.len() > MAX_CHARS * 4 {
        return Err(AmountError::Unparseable);
    }
    let cleaned = clean_text(s);
    if cleaned.chars().count() > MAX_CHARS {
        return Err(AmountError::Unparseable);
    }
    let mut text: String = cleaned
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2212}' | '\u{2012}' | '\u{FE63}' => '-',
            '\u{301C}' => '~',
            c => c,
        })
        .collect();
    // Most amounts hold none of the words: a word is looked for only when
    // its first byte is in the text (removing words keeps that so), and a
    // copy without it is made only when it is found.
    let mut bytes_in = [false; 256];
    text.bytes().for_each(|b| bytes_in[usize::from(b)] = true);
    let holds = |text: &str, word: &str| {
        let first = word.as_bytes().first();
        first.is_some_and(|&b| bytes_in[usize::from(b)]) && text.contains(word)
    };
    for w in CURRENCY.iter().chain(APPROX) {
        if holds(&text, w) {
            text = text.replace(w, "");
        }
    }
    let mut bound = false;
    for w in BOUND {
        if holds(&text, w) {
            bound = true;
            text = text.replace(w, "");
        }
    }
    // A leading `~` means "about".
    let text = text.strip_prefix('~').map(str::to_string).unwrap_or(text);
    if text.is_empty() {
        return Err(AmountError::Unparseable);
    }
    Ok(Prepared { text, bound })
}

fn is_range_sep(c: char) -> bool {
    matches!(c, '-' | '~' | '至' | '到' | '—' | '–' | '－' | '～')
}

/// Splits `a-b` at the first run of range separators that is not a leading
/// sign. `Ok(None)` when there is no separator.
fn split_range(text: &str) -> Result<Option<(&str, &str)>, AmountError> {
    let mut iter = text.char_indices().peekable();
    // A leading `-` is a sign, not a separator.
    if let Some((_, '-')) = iter.peek() {
        iter.next();
    }
    let Some((start, _)) = iter.find(|(_, c)| is_range_sep(*c)) else {
        return Ok(None);
    };
    let left = text.get(..start).ok_or(AmountError::Unparseable)?;
    let rest = text.get(start..).ok_or(AmountError::Unparseable)?;
    let right = rest.trim_start_matches(is_range_sep);
    // `30万-50万-` or `30--` are not ranges; `-` may still start the right end
    // only as a sign after `~`/`至`, which trim_start_matches already ate.
    if left.is_empty() || left == "-" || right.is_empty() || right.contains(is_range_sep) {
        return Err(AmountError::Unparseable);
    }
    Ok(Some((left, right)))
}

/// A leading `-` or accounting parentheses `(5000)` make a negative value.
fn strip_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') {
        return (true, rest);
    }
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        return (true, inner);
    }
    (false, text)
}

/// An exact decimal: `mant / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Dec {
    mant: i128,
    scale: u32,
}

impl Dec {
    const ZERO: Dec = Dec { mant: 0, scale: 0 };

    fn int(v: i128) -> Dec {
        Dec { mant: v, scale: 0 }
    }

    /// Multiplies by 10^p, using up decimal places first.
    fn shl(self, p: u32) -> Option<Dec> {
        let (mut mant, mut scale, mut p) = (self.mant, self.scale, p);
        while p > 0 && scale > 0 {
            p -= 1;
            scale -= 1;
        }
        mant = mant.checked_mul(10i128.checked_pow(p)?)?;
        Some(Dec { mant, scale })
    }

    fn add(self, o: Dec) -> Option<Dec> {
        let scale = self.scale.max(o.scale);
        let a = self
            .mant
            .checked_mul(10i128.checked_pow(scale - self.scale)?)?;
        let b = o.mant.checked_mul(10i128.checked_pow(scale - o.scale)?)?;
        Some(Dec {
            mant: a.checked_add(b)?,
            scale,
        })
    }

    fn mul_int(self, v: i128) -> Option<Dec> {
        Some(Dec {
            mant: self.mant.checked_mul(v)?,
            scale: self.scale,
        })
    }

    /// Cents, rounded half away from zero; None beyond the accepted range.
    fn cents(self) -> Option<i128> {
        let c = if self.scale <= 2 {
            self.mant.checked_mul(10i128.checked_pow(2 - self.scale)?)?
        } else {
            let div = 10i128.checked_pow(self.scale - 2)?;
            let q = self.mant / div;
            let r = self.mant % div;
            if r.checked_mul(2)?.abs() >= div {
                q + self.mant.signum()
            } else {
                q
            }
        };
        (c.abs() <= MAX_CENTS).then_some(c)
    }

    /// True for an integer of exactly one digit.
    fn is_single_digit(self) -> bool {
        self.scale == 0 && (0..=9).contains(&self.mant)
    }
}

/// A piece of an amount.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A number.
    Num(Dec),
    /// A `零` inside a Chinese numeral (`一百零五`): no value, but it stops
    /// the `两万五` shorthand from applying to the digit after it.
    Zero,
    /// A vague digit: `几` (1..9) or a pair such as `三四` (3, 4).
    Vague(i128, i128),
    /// 十 / 百 / 千 (power of ten).
    Small(u32),
    /// 万 / 亿 / k / w / m / b (power of ten).
    Big(u32),
    /// 多 / 余: "and some more" of the last place.
    More,
}

fn cn_digit(c: char) -> Option<i128> {
    Some(match c {
        '零' | '〇' | '○' => 0,
        '一' | '壹' | '幺' => 1,
        '二' | '两' | '贰' | '貳' => 2,
        '三' | '叁' | '參' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' | '陸' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit_word(w: &str) -> Option<Tok> {
    Some(match w {
        "k" | "thousand" => Tok::Big(3),
        "w" | "wan" => Tok::Big(4),
        "m" | "mm" | "mn" | "mio" | "million" => Tok::Big(6),
        "b" | "bn" | "billion" => Tok::Big(9),
        _ => return None,
    })
}

/// Reads an ASCII number with optional `,` thousands groups and one `.`.
fn ascii_number(s: &str) -> Option<Dec> {
    let (int_part, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if frac.contains('.') || frac.contains(',') || (int_part.is_empty() && frac.is_empty()) {
        return None;
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    if groups.len() > 1
        && (groups.first().is_none_or(|g| g.is_empty() || g.len() > 3)
            || groups.iter().skip(1).any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let all = format!("{digits}{frac}");
    let mant: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
    Some(Dec {
        mant,
        scale: u32::try_from(frac.len()).ok()?,
    })
}

/// Splits a sign-free amount into tokens; `Err` on anything unknown.
fn tokenize(s: &str) -> Result<Vec<Tok>, AmountError> {
    let bad = AmountError::Unparseable;
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() || c == '.' {
            let start = i;
            while chars
                .get(i)
                .is_some_and(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            {
                i += 1;
            }
            let lit: String = chars.get(start..i).ok_or(bad)?.iter().collect();
            out.push(Tok::Num(ascii_number(&lit).ok_or(bad)?));
            continue;
        }
        if c.is_ascii_alphabetic() {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
                i += 1;
            }
            let w: String = chars.get(start..i).ok_or(bad)?.iter().collect();
            out.push(unit_word(&w).ok_or(bad)?);
            continue;
        }
        if cn_digit(c).is_some() {
            let start = i;
            while chars.get(i).copied().and_then(cn_digit).is_some() {
                i += 1;
            }
            let run: Vec<i128> = chars
                .get(start..i)
                .ok_or(bad)?
                .iter()
                .filter_map(|c| cn_digit(*c))
                .collect();
            // 三点五 = 3.5
            if chars.get(i) == Some(&'点') {
                let fstart = i + 1;
                let mut j = fstart;
                while chars.get(j).copied().and_then(cn_digit).is_some() {
                    j += 1;
                }
                let frac: Vec<i128> = chars
                    .get(fstart..j)
                    .ok_or(bad)?
                    .iter()
                    .filter_map(|c| cn_digit(*c))
                    .collect();
                if frac.is_empty() || run.len() != 1 {
                    return Err(bad);
                }
                let mut mant = run.first().copied().ok_or(bad)?;
                for d in &frac {
                    mant = mant
                        .checked_mul(10)
                        .and_then(|m| m.checked_add(*d))
                        .ok_or(bad)?;
                }
                out.push(Tok::Num(Dec {
                    mant,
                    scale: u32::try_from(frac.len()).map_err(|_| bad)?,
                }));
                i = j;
                continue;
            }
            let zeros = run.iter().take_while(|d| **d == 0).count();
            if zeros > 0 && zeros < run.len() {
                out.push(Tok::Zero);
            }
            match run
                .get(zeros.min(run.len().saturating_sub(1))..)
                .unwrap_or(&[])
            {
                [d] => out.push(Tok::Num(Dec::int(*d))),
                [a, b] if *b == a + 1 && *a >= 1 => out.push(Tok::Vague(*a, *b)),
                digits => {
                    // Positional digits such as 一〇〇.
                    let mut mant: i128 = 0;
                    for d in digits {
                        mant = mant
                            .checked_mul(10)
                            .and_then(|m| m.checked_add(*d))
                            .ok_or(bad)?;
                    }
                    out.push(Tok::Num(Dec::int(mant)));
                }
            }
            continue;
        }
        let tok = match c {
            '十' | '拾' => Tok::Small(1),
            '百' | '佰' => Tok::Small(2),
            '千' | '仟' => Tok::Small(3),
            '万' | '萬' => Tok::Big(4),
            '亿' | '億' => Tok::Big(8),
            '几' | '幾' => Tok::Vague(1, 9),
            '多' | '余' | '餘' => Tok::More,
            _ => return Err(bad),
        };
        out.push(tok);
        i += 1;
    }
    if out.is_empty() {
        return Err(bad);
    }
    Ok(out)
}

/// Evaluates tokens at their low and high readings; the bool tells that
/// something vague (几, 三四, 多) was present.
fn eval_both(tokens: &[Tok]) -> Result<(Dec, Dec, bool), AmountError> {
    let lo = eval(tokens, false).ok_or(AmountError::Unparseable)?;
    let hi = eval(tokens, true).ok_or(AmountError::Unparseable)?;
    let vague = tokens
        .iter()
        .any(|t| matches!(t, Tok::Vague(..) | Tok::More));
    Ok((lo, hi, vague))
}

/// Chinese-numeral style evaluation: small units build a section, big units
/// scale everything before them; `high` picks the upper reading of vague
/// tokens. `None` on a malformed sequence or overflow.
fn eval(tokens: &[Tok], high: bool) -> Option<Dec> {
    let mut total = Dec::ZERO;
    let mut section = Dec::ZERO;
    let mut number: Option<Dec> = None;
    let mut highest_big = 0u32;
    let mut prev: Option<Tok> = None;
    let mut seen_value = false;
    for &tok in tokens {
        match tok {
            Tok::Num(d) => {
                if number.is_some() {
                    return None;
                }
                number = Some(d);
                seen_value = true;
            }
            Tok::Vague(a, b) => {
                if number.is_some() {
                    return None;
                }
                number = Some(Dec::int(if high { b } else { a }));
                seen_value = true;
            }
            Tok::Small(p) => {
                let n = number.take().unwrap_or(Dec::int(1));
                section = section.add(n.shl(p)?)?;
                seen_value = true;
            }
            Tok::Big(p) => {
                if !seen_value {
                    return None;
                }
                let v = section.add(number.take().unwrap_or(Dec::ZERO))?;
                section = Dec::ZERO;
                if p == highest_big {
                    // `30万50万`: the same big unit twice.
                    return None;
                }
                if p > highest_big {
                    total = total.add(v)?.shl(p)?;
                    highest_big = p;
                } else {
                    total = total.add(v.shl(p)?)?;
                }
            }
            Tok::Zero => {}
            Tok::More => {
                let step = match prev? {
                    Tok::Num(d) if d.scale == 0 && d.mant > 0 => {
                        let mut step = 1i128;
                        let mut m = d.mant;
                        while m % 10 == 0 {
                            m /= 10;
                            step = step.checked_mul(10)?;
                        }
                        let n = number.take()?;
                        number = Some(if high { n.add(Dec::int(step))? } else { n });
                        prev = Some(tok);
                        continue;
                    }
                    Tok::Small(p) => (false, p),
                    Tok::Big(p) => (true, p),
                    _ => return None,
                };
                if high {
                    let add = Dec::int(1).shl(step.1)?;
                    if step.0 {
                        total = total.add(add)?;
                    } else {
                        section = section.add(add)?;
                    }
                }
            }
        }
        prev = Some(tok);
    }
    if let Some(n) = number {
        // 两万五 = 25000, 三千五 = 3500: a lone digit after a unit is one place lower.
        let place = match prev {
            Some(Tok::Num(_)) => match tokens.iter().rev().nth(1) {
                Some(Tok::Small(p)) if *p >= 2 => Some(p - 1),
                Some(Tok::Big(p)) if *p >= 1 => Some(p - 1),
                _ => None,
            },
            _ => None,
        };
        let n = match place {
            Some(p) if n.is_single_digit() => n.shl(p)?,
            _ => n,
        };
        section = section.add(n)?;
    }
    if !seen_value {
        return None;
    }
    total.add(section)
}

/// The unit tokens written after the last number of `from` (`万` in `50万`,
/// `百万` in `5百万`), for an end that has none of its own.
fn unit_suffix(from: &[Tok]) -> Vec<Tok> {
    let last_num = from
        .iter()
        .rposition(|t| matches!(t, Tok::Num(_) | Tok::Vague(..)));
    let tail = match last_num {
        Some(i) => from.get(i + 1..).unwrap_or(&[]),
        None => &[],
    };
    tail.iter()
        .copied()
        .filter(|t| matches!(t, Tok::Small(_) | Tok::Big(_)))
        .collect()
}

/// Gives `end` the unit written only on `other` (`30-50万` → `30万`): all of
/// the other's trailing units when `end` has no unit at all, else only its
/// big units when `end` has none. Skipped when `end` alone already reaches
/// the unit (`15000-2万`).
fn share_unit(end: &mut Vec<Tok>, other: &[Tok]) -> Result<(), AmountError> {
    let has_small = end.iter().any(|t| matches!(t, Tok::Small(_)));
    let has_big = end.iter().any(|t| matches!(t, Tok::Big(_)));
    if has_big {
        return Ok(());
    }
    let suffix = unit_suffix(other);
    let add: Vec<Tok> = if has_small {
        suffix
            .into_iter()
            .filter(|t| matches!(t, Tok::Big(_)))
            .collect()
    } else {
        suffix
    };
    if add.is_empty() {
        return Ok(());
    }
    let mut mult = Dec::int(1);
    for t in &add {
        if let Tok::Small(p) | Tok::Big(p) = t {
            mult = mult.shl(*p).ok_or(AmountError::Unparseable)?;
        }
    }
    let bare = eval(end, true).ok_or(AmountError::Unparseable)?;
    let bare_cents = bare.cents().ok_or(AmountError::Unparseable)?;
    let mult_cents = mult.cents().ok_or(AmountError::Unparseable)?;
    if bare_cents >= mult_cents {
        return Ok(());
    }
    end.extend(add);
    Ok(())
}

fn signed_cents(d: Dec, neg: bool) -> Result<i64, AmountError> {
    let c = d
        .mul_int(if neg { -1 } else { 1 })
        .and_then(Dec::cents)
        .ok_or(AmountError::Unparseable)?;
    i64::try_from(c).map_err(|_| AmountError::Unparseable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: i64 = 100; // one yuan in cents
    const WAN: i64 = 10_000 * Y;

    #[test]
    fn single_amounts() {
        let cases: &[(&str, i64)] = &[
            ("30万", 30 * WAN),
            ("30万元", 30 * WAN),
            ("30 万元", 30 * WAN),
            ("¥300,000", 300_000 * Y),
            ("￥300,000", 300_000 * Y),
            ("$1,200.50", 120_050),
            ("300000.00", 300_000 * Y),
            ("30w", 30 * WAN),
            ("30W", 30 * WAN),
            ("0.3亿", 30_000_000 * Y),
            ("300k", 300_000 * Y),
            ("300K", 300_000 * Y),
            ("3百万", 3_000_000 * Y),
            ("1.2M", 1_200_000 * Y),
            ("1.5 million", 1_500_000 * Y),
            ("三十万", 30 * WAN),
            ("十万", 10 * WAN),
            ("一百二十万", 120 * WAN),
            ("一千五百万", 1500 * WAN),
            ("两万五千", 25_000 * Y),
            ("两万五", 25_000 * Y),
            ("三千五", 3_500 * Y),
            ("一百零五万", 105 * WAN),
            ("一亿二千万", 120_000_000 * Y),
            ("2亿5000万", 250_000_000 * Y),
            ("壹佰万元整", 100 * WAN),
            ("三点五万", 35_000 * Y),
            ("1万2", 12_000 * Y),
            ("-5000", -5_000 * Y),
            ("−5000", -5_000 * Y),
            ("(5000)", -5_000 * Y),
            ("（5,000）", -5_000 * Y),
            ("5,000元", 5_000 * Y),
            ("RMB 5000", 5_000 * Y),
            ("USD 1,000", 1_000 * Y),
            ("人民币5000元", 5_000 * Y),
            ("约30万", 30 * WAN),
            ("30万左右", 30 * WAN),
            ("0", 0),
            (".5", 50),
            ("0.005", 1),
            ("0.004", 0),
            ("1,234,567.891", 123_456_789),
            ("9000000000000000", 900_000_000_000_000_000),
            ("１２３", 123 * Y),
            ("10万", 10 * WAN),
            ("一万零五", 10_005 * Y),
            ("一千零五十", 1_050 * Y),
            ("一百〇一万", 101 * WAN),
            ("1万亿", 1_000_000_000_000 * Y),
        ];
        for (text, want) in cases {
            assert_eq!(parse_amount(text), Ok(*want), "{text}");
        }
    }

    #[test]
    fn single_amount_failures() {
        let long = "9".repeat(200);
        let cases: &[(&str, AmountError)] = &[
            ("", AmountError::Unparseable),
            ("   ", AmountError::Unparseable),
            ("abc", AmountError::Unparseable),
            ("面议", AmountError::Unparseable),
            ("待定", AmountError::Unparseable),
            ("元", AmountError::Unparseable),
            ("万", AmountError::Unparseable),
            ("1,2", AmountError::Unparseable),
            ("1.2.3", AmountError::Unparseable),
            ("12%", AmountError::Unparseable),
            ("1e5", AmountError::Unparseable),
            ("5000-", AmountError::Unparseable),
            ("30万50万", AmountError::Unparseable),
            ("9000000000000001", AmountError::Unparseable),
            (
                "99999999999999999999999999999999999999999",
                AmountError::Unparseable,
            ),
            (&long, AmountError::Unparseable),
            ("30-50万", AmountError::Range),
            ("30万~50万", AmountError::Range),
            ("30至50万", AmountError::Range),
            ("十几万", AmountError::Vague),
            ("三四十万", AmountError::Vague),
            ("一千多万", AmountError::Vague),
            ("50万以上", AmountError::Vague),
            ("50万+", AmountError::Vague),
            ("几万", AmountError::Vague),
        ];
        for (text, want) in cases {
            assert_eq!(parse_amount(text), Err(*want), "{text}");
        }
    }

    #[test]
    fn budgets() {
        let cases: &[(&str, (i64, i64))] = &[
            ("30万", (30 * WAN, 30 * WAN)),
            ("30-50万元", (30 * WAN, 50 * WAN)),
            ("30万-50万", (30 * WAN, 50 * WAN)),
            ("30~50万", (30 * WAN, 50 * WAN)),
            ("30～50万", (30 * WAN, 50 * WAN)),
            ("30至50万", (30 * WAN, 50 * WAN)),
            ("30到50万", (30 * WAN, 50 * WAN)),
            ("30—50万", (30 * WAN, 50 * WAN)),
            ("30——50万", (30 * WAN, 50 * WAN)),
            ("30 - 50 万元", (30 * WAN, 50 * WAN)),
            ("¥30万-¥50万", (30 * WAN, 50 * WAN)),
            ("30万-50", (30 * WAN, 50 * WAN)),
            ("15000-2万", (15_000 * Y, 20_000 * Y)),
            ("5000-1万", (5_000 * WAN, WAN)),
            ("50-30万", (50 * WAN, 30 * WAN)),
            ("3-5百万", (300 * WAN, 500 * WAN)),
            ("1千-3千万", (1000 * WAN, 3000 * WAN)),
            ("三十-五十万", (30 * WAN, 50 * WAN)),
            ("1.5-2.5M", (1_500_000 * Y, 2_500_000 * Y)),
            ("100k-200k", (100_000 * Y, 200_000 * Y)),
            ("三十万", (30 * WAN, 30 * WAN)),
            ("十几万", (11 * WAN, 19 * WAN)),
            ("三四十万", (30 * WAN, 40 * WAN)),
            ("一千多万", (1000 * WAN, 2000 * WAN)),
            ("50多万", (50 * WAN, 60 * WAN)),
            ("30余万", (30 * WAN, 40 * WAN)),
            ("三十多万", (30 * WAN, 40 * WAN)),
            ("100多万", (100 * WAN, 200 * WAN)),
            ("一万多", (WAN, 2 * WAN)),
            ("几十万", (10 * WAN, 90 * WAN)),
            ("两三万", (2 * WAN, 3 * WAN)),
            ("一两百万", (100 * WAN, 200 * WAN)),
            ("十五六万", (15 * WAN, 16 * WAN)),
            ("十几-二十几万", (11 * WAN, 29 * WAN)),
            ("50万以上", (50 * WAN, 50 * WAN)),
            ("50万+", (50 * WAN, 50 * WAN)),
            ("50万以内", (50 * WAN, 50 * WAN)),
            ("不超过50万", (50 * WAN, 50 * WAN)),
            ("-5000", (-5000 * Y, -5000 * Y)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_budget(text), Ok(*want), "{text}");
        }
    }

    #[test]
    fn budget_failures() {
        let cases: &[&str] = &[
            "",
            "面议",
            "30-",
            "-",
            "--",
            "30-50-70万",
            "a-b",
            "30万-abc",
            "至50万",
            "多",
            "万-万",
            "30万50万",
        ];
        for text in cases {
            assert!(parse_budget(text).is_err(), "{text}");
        }
    }

    #[test]
    fn numbers() {
        let cases: &[(f64, Option<i64>)] = &[
            (0.0, Some(0)),
            (1200.5, Some(120_050)),
            (0.29, Some(29)),
            (300000.0, Some(30_000_000)),
            (-5000.0, Some(-500_000)),
            (0.005, Some(1)),
            (9e15, Some(900_000_000_000_000_000)),
            (-9e15, Some(-900_000_000_000_000_000)),
            (9.1e15, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
            (f64::NEG_INFINITY, None),
            (1e300, None),
            (12.34, Some(1234)),
            (1.0 / 3.0, Some(33)),
        ];
        for (n, want) in cases {
            assert_eq!(amount_from_number(*n), *want, "{n}");
        }
    }
}
