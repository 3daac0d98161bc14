//! Phone numbers (schema.md §3): recognises mainland mobiles, landlines
//! with an area code (and an optional extension) and 400/800 service
//! numbers; repairs numbers that Excel turned into floats (`1.38E10`,
//! `13800138000.0`) or that lost their leading zero (`1012345678`); and
//! masks numbers for reports. Only mainland numbers are recognised: a
//! foreign number is `Invalid`.

use super::text::clean_text;

/// What a phone cell holds, with the normalized number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneCheck {
    /// A mainland mobile, as 11 digits (`13800138000`).
    Mobile(String),
    /// A landline as `area-local` (`0571-88888888`), with `-ext` when given.
    Landline(String),
    /// A 400/800 service number as `400-123-4567`.
    Service(String),
    /// Not a phone number.
    Invalid,
}

/// Longest text (in characters, after cleaning) that is tried at all.
const MAX_CHARS: usize = 64;

/// Checks and normalizes a phone value. Keeps digits, `+` and `-` (spaces,
/// dots, parentheses and labels such as `Tel:` are dropped); recognises
/// mainland mobiles (`1[3-9]` + 9 digits, optional `+86`/`86`/`0086`
/// prefix), landlines with area code (`010-12345678`, `0571-8888888`, with
/// or without dash, `+86 571 …`, optional extension `-123`, `转123`,
/// `ext 123`, `x123`, `#123`), 400/800 numbers (`400-123-4567`). Repairs
/// Excel float forms (`1.3800138E10`, `13800138000.0`; the digits are read
/// exactly from the text, and digits after the decimal point beyond the
/// exponent are dropped) and landlines that lost their leading zero when
/// the digits allow only that reading (10 digits starting `10`/`2x`, or
/// 10–11 digits starting with a 3-digit area code `3xx`–`9xx`).
pub fn check_phone(s: &str) -> PhoneCheck {
    // Most phones are ASCII digits and dashes alone (`13800138000`,
    // `0571-88888888`): cleaning keeps them, they hold no float form and
    // no extension marker, and every character is kept.
    let plain =
        !s.is_empty() && s.len() <= MAX_CHARS && s.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    if plain {
        return check_kept(s, None);
    }
    check_written(s)
}

/// [`check_phone`] on any text: cleaned, float forms and extensions found.
fn check_written(s: &str) -> PhoneCheck {
    if s.len() > MAX_CHARS * 4 {
        return PhoneCheck::Invalid;
    }
    let text = clean_text(s);
    if text.is_empty() || text.chars().count() > MAX_CHARS {
        return PhoneCheck::Invalid;
    }
    match excel_float_digits(&text) {
        Some(Some(digits)) => return classify(&digits, None, None),
        Some(None) => return PhoneCheck::Invalid,
        None => {}
    }
    let (main, ext) = split_extension(&text);
    if ext.as_deref().is_some_and(|e| e.is_empty() || e.len() > 6) {
        return PhoneCheck::Invalid;
    }
    // Keep digits, `+` and `-`; other separators are noise.
    let kept: String = main
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '+' | '-'))
        .collect();
    check_kept(&kept, ext)
}

/// [`check_phone`] on the digits, `+` and `-` kept of a phone's main part,
/// with the extension found after it.
fn check_kept(kept: &str, ext: Option<String>) -> PhoneCheck {
    let plus = kept.starts_with('+');
    if kept.chars().skip(1).any(|c| c == '+') {
        return PhoneCheck::Invalid;
    }
    let groups: Vec<&str> = kept
        .trim_start_matches('+')
        .split('-')
        .filter(|g| !g.is_empty())
        .collect();
    let mut digits: String = groups.concat();
    let mut first_group = groups.first().map(|g| g.len());
    // Country code.
    if let Some(rest) = digits.strip_prefix("0086").map(str::to_string) {
        first_group = first_group
            .and_then(|l| l.checked_sub(4))
            .filter(|l| *l > 0);
        digits = rest;
    } else if digits.starts_with("86")
        && (plus || digits.len() == 13 || (digits.len() >= 12 && !digits.starts_with("860")))
    {
        first_group = first_group
            .and_then(|l| l.checked_sub(2))
            .filter(|l| *l > 0);
        digits = digits.get(2..).unwrap_or("").to_string();
        // After the country code a landline drops its leading zero.
        if !digits.starts_with('0') && !is_mobile(&digits) && !is_service(&digits) {
            digits.insert(0, '0');
            first_group = first_group.map(|l| l + 1);
        }
    } else if plus {
        return PhoneCheck::Invalid;
    }
    // A trailing short group after a full landline is an extension: 010-12345678-123.
    let mut ext = ext;
    if ext.is_none() && groups.len() >= 2 {
        if let Some(last) = groups.last() {
            let without = digits.len().saturating_sub(last.len());
            if (1..=5).contains(&last.len())
                && digits
                    .get(..without)
                    .is_some_and(|d| landline_split(d, None).is_some())
            {
                ext = Some((*last).to_string());
                digits.truncate(without);
            }
        }
    }
    let area_hint = if groups.len() >= 2 { first_group } else { None };
    classify(&digits, area_hint, ext.as_deref())
}

/// Mask a phone for reports: `138****5678` for mobiles; landlines keep the
/// area code and the last 4 digits (`0571-****8888`); service numbers keep
/// their prefix and last 4 (`400-***-4567`). Anything else has every digit
/// but the last 4 replaced by `*`.
pub fn mask_phone(s: &str) -> String {
    match check_phone(s) {
        PhoneCheck::Mobile(n) => {
            let head = n.get(..3).unwrap_or("");
            let tail = n.get(n.len().saturating_sub(4)..).unwrap_or("");
            format!("{head}****{tail}")
        }
        PhoneCheck::Landline(n) => {
            let mut parts = n.split('-');
            let area = parts.next().unwrap_or("");
            let local = parts.next().unwrap_or("");
            let tail = local.get(local.len().saturating_sub(4)..).unwrap_or("");
            let stars = "*".repeat(local.len().saturating_sub(4));
            format!("{area}-{stars}{tail}")
        }
        PhoneCheck::Service(n) => {
            let head = n.get(..3).unwrap_or("");
            let tail = n.get(n.len().saturating_sub(4)..).unwrap_or("");
            format!("{head}-***-{tail}")
        }
        PhoneCheck::Invalid => {
            let text = clean_text(s);
            let total = text.chars().filter(char::is_ascii_digit).count();
            let mut seen = 0usize;
            text.chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        seen += 1;
                        if seen + 4 <= total {
                            return '*';
                        }
                    }
                    c
                })
                .collect()
        }
    }
}

fn is_mobile(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b.first() == Some(&b'1')
        && b.get(1).is_some_and(|c| (b'3'..=b'9').contains(c))
}

fn is_service(d: &str) -> bool {
    d.len() == 10
        && (d.starts_with("400") || d.starts_with("800"))
        && d.bytes().all(|b| b.is_ascii_digit())
}

/// A plausible area code including its leading zero: `010`, `02x`, or
/// `0` + a 3-digit code starting 3–9.
fn is_area_code(a: &str) -> bool {
    let b = a.as_bytes();
    if !b.iter().all(u8::is_ascii_digit) || b.first() != Some(&b'0') {
        return false;
    }
    match b.len() {
        3 => a == "010" || b.get(1) == Some(&b'2'),
        4 => b.get(1).is_some_and(|c| (b'3'..=b'9').contains(c)),
        _ => false,
    }
}

/// A local number: 7 or 8 digits not starting with 0; 8 digits after a
/// 3-digit area code.
fn is_local(area: &str, local: &str) -> bool {
    let ok_len = if area.len() == 3 {
        local.len() == 8
    } else {
        local.len() == 7 || local.len() == 8
    };
    ok_len && local.bytes().all(|b| b.is_ascii_digit()) && !local.starts_with('0')
}

/// Splits a full landline (leading zero included) into area code and local
/// number; `hint` is the length of the first dash group when there was one.
fn landline_split(d: &str, hint: Option<usize>) -> Option<(String, String)> {
    let try_at = |n: usize| -> Option<(String, String)> {
        let area = d.get(..n)?;
        let local = d.get(n..)?;
        (is_area_code(area) && is_local(area, local)).then(|| (area.to_string(), local.to_string()))
    };
    if let Some(h) = hint {
        if h == 3 || h == 4 {
            return try_at(h);
        }
    }
    try_at(3).or_else(|| try_at(4))
}

/// Classifies a digit string (no `+`, no dashes).
fn classify(digits: &str, area_hint: Option<usize>, ext: Option<&str>) -> PhoneCheck {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return PhoneCheck::Invalid;
    }
    if is_mobile(digits) {
        return PhoneCheck::Mobile(digits.to_string());
    }
    if is_service(digits) {
        let (a, b, c) = (
            digits.get(..3).unwrap_or(""),
            digits.get(3..6).unwrap_or(""),
            digits.get(6..).unwrap_or(""),
        );
        return PhoneCheck::Service(format!("{a}-{b}-{c}"));
    }
    let landline = if digits.starts_with('0') {
        landline_split(digits, area_hint)
    } else {
        // Lost leading zero: only readings that cannot be anything else.
        let with_zero = format!("0{digits}");
        let hint = area_hint.map(|h| h + 1);
        match digits.len() {
            10 if digits.starts_with("10") || digits.starts_with('2') => {
                landline_split(&with_zero, hint)
            }
            10 | 11
                if digits
                    .as_bytes()
                    .first()
                    .is_some_and(|c| (b'3'..=b'9').contains(c)) =>
            {
                landline_split(&with_zero, hint).filter(|(a, _)| a.len() == 4)
            }
            _ => None,
        }
    };
    match landline {
        Some((area, local)) => match ext {
            Some(e) if !e.is_empty() => PhoneCheck::Landline(format!("{area}-{local}-{e}")),
            _ => PhoneCheck::Landline(format!("{area}-{local}")),
        },
        None => PhoneCheck::Invalid,
    }
}

/// Splits off an extension written `转123`, `分机123`, `ext 123`, `ext.123`,
/// `x123` or `#123`; the extension keeps only its digits.
fn split_extension(text: &str) -> (String, Option<String>) {
    let lower = text.to_lowercase();
    for marker in ["分机号", "分机", "转", "ext.", "ext", "x", "#"] {
        if let Some(pos) = lower.find(marker) {
            let (Some(head), Some(tail)) = (lower.get(..pos), lower.get(pos + marker.len()..))
            else {
                continue;
            };
            if !head.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let tail = tail.trim_start_matches([':', '：', ' ', '.']);
            if tail.chars().all(|c| c.is_ascii_digit()) {
                return (head.to_string(), Some(tail.to_string()));
            }
        }
    }
    (text.to_string(), None)
}

/// The integer digits of a float form: `1.3800138E10`, `1.3800138E+10`,
/// `13800138000.0`. Digits after the point that the exponent does not reach
/// are dropped. `None` when the text is not such a form; `Some(None)` when
/// it is one but the digits are lost: zeros would have to be added to a
/// mantissa of fewer than 7 significant digits, as in Excel's display
/// `1.38001E+10`.
fn excel_float_digits(text: &str) -> Option<Option<String>> {
    let lower = text.to_ascii_lowercase();
    let (mantissa, exp) = match lower.split_once('e') {
        Some((m, e)) => {
            let e = e.strip_prefix('+').unwrap_or(e);
            if e.is_empty() || e.len() > 2 || !e.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (m, e.parse::<usize>().ok()?)
        }
        None => (lower.as_str(), 0),
    };
    let (int_part, frac) = mantissa.split_once('.')?;
    if int_part.is_empty()
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let has_exp = lower.contains('e');
    if !has_exp && !frac.bytes().all(|b| b == b'0') {
        // `010.12345678` is a dotted number, not a float.
        return None;
    }
    let significant = format!("{int_part}{frac}")
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len();
    if frac.len() < exp && significant < 7 {
        return Some(None);
    }
    let mut digits = int_part.to_string();
    for i in 0..exp {
        digits.push(
            frac.as_bytes()
                .get(i)
                .map(|b| char::from(*b))
                .unwrap_or('0'),
        );
    }
    Some(Some(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Digits and dashes alone take the short way; it gives what the
    /// whole check gives, on every such shape a sheet holds and more.
    #[test]
    fn plain_phones_check_as_written_ones() {
        let mut texts: Vec<String> = [
            "13800138000",
            "138-0013-8000",
            "0571-88888888",
            "010-12345678-123",
            "021-5555-1234",
            "400-123-4567",
            "8613800138000",
            "008613800138000",
            "86-571-88888888",
            "0086-10-12345678",
            "5718888888",
            "1088888888",
            "2112345678",
            "-",
            "---",
            "-13800138000-",
            "0",
            "1",
            "12345",
            "1234567",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "00000000000000000000000000000000000000000000000000000000000000000",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = 1 + (seed >> 59) as usize;
            let text: String = (0..len)
                .map(|i| {
                    let r = (seed >> (i % 50)) % 13;
                    if r >= 10 {
                        '-'
                    } else {
                        char::from(b'0' + r as u8)
                    }
                })
                .collect();
            texts.push(format!("1{text}"));
            texts.push(format!("0{text}"));
            texts.push(format!("86{text}"));
            texts.push(text);
        }
        let mut valid = 0;
        for t in &texts {
            let fast = check_phone(t);
            assert_eq!(fast, check_written(t), "{t}");
            valid += usize::from(fast != PhoneCheck::Invalid);
        }
        assert!(valid > 1000, "{valid}");
    }

    fn m(s: &str) -> PhoneCheck {
        PhoneCheck::Mobile(s.to_string())
    }
    fn l(s: &str) -> PhoneCheck {
        PhoneCheck::Landline(s.to_string())
    }
    fn sv(s: &str) -> PhoneCheck {
        PhoneCheck::Service(s.to_string())
    }

    #[test]
    fn phones() {
        let cases: Vec<(&str, PhoneCheck)> = vec![
            ("13800138000", m("13800138000")),
            ("138-0013-8000", m("13800138000")),
            ("138 0013 8000", m("13800138000")),
            ("+86 138 0013 8000", m("13800138000")),
            ("+8613800138000", m("13800138000")),
            ("8613800138000", m("13800138000")),
            ("008613800138000", m("13800138000")),
            ("１３８００１３８０００", m("13800138000")),
            ("Tel: 13800138000", m("13800138000")),
            ("1.3800138E10", m("13800138000")),
            ("1.3800138E+10", m("13800138000")),
            ("1.38001380001E10", m("13800138000")),
            ("13800138000.0", m("13800138000")),
            ("010-12345678", l("010-12345678")),
            ("01012345678", l("010-12345678")),
            ("(010)12345678", l("010-12345678")),
            ("0571-8888888", l("0571-8888888")),
            ("0571-88888888", l("0571-88888888")),
            ("057188888888", l("0571-88888888")),
            ("0571-8888-8888", l("0571-88888888")),
            ("010-12345678-123", l("010-12345678-123")),
            ("010-12345678转123", l("010-12345678-123")),
            ("021-62345678 ext 88", l("021-62345678-88")),
            ("+86 571 8888 8888", l("0571-88888888")),
            ("+86-10-62345678", l("010-62345678")),
            ("1012345678", l("010-12345678")),
            ("2162345678", l("021-62345678")),
            ("57188888888", l("0571-88888888")),
            ("5718888888", l("0571-8888888")),
            ("571-88888888", l("0571-88888888")),
            ("400-123-4567", sv("400-123-4567")),
            ("4001234567", sv("400-123-4567")),
            ("800 123 4567", sv("800-123-4567")),
            ("4.001234567E9", sv("400-123-4567")),
            ("", PhoneCheck::Invalid),
            ("无", PhoneCheck::Invalid),
            ("abc", PhoneCheck::Invalid),
            ("12345", PhoneCheck::Invalid),
            ("88888888", PhoneCheck::Invalid),
            ("12800138000", PhoneCheck::Invalid),
            ("1380013800", PhoneCheck::Invalid),
            ("138001380001", PhoneCheck::Invalid),
            ("+1 415 555 0100", PhoneCheck::Invalid),
            ("010-0123456", PhoneCheck::Invalid),
            ("0571-123456", PhoneCheck::Invalid),
            ("1.38E10", PhoneCheck::Invalid),
            ("1.38001E+10", PhoneCheck::Invalid),
            ("1.2E5", PhoneCheck::Invalid),
            ("010.12345678", l("010-12345678")),
            ("13800138000 / 13900139000", PhoneCheck::Invalid),
            ("13800138000.5", PhoneCheck::Invalid),
            ("010-12345678转", PhoneCheck::Invalid),
        ];
        for (text, want) in cases {
            assert_eq!(check_phone(text), want, "{text}");
        }
        let long = "1".repeat(1000);
        assert_eq!(check_phone(&long), PhoneCheck::Invalid);
    }

    #[test]
    fn masks() {
        let cases: &[(&str, &str)] = &[
            ("13800138000", "138****8000"),
            ("+86 138 1234 5678", "138****5678"),
            ("010-12345678", "010-****5678"),
            ("0571-8888888", "0571-***8888"),
            ("010-12345678-123", "010-****5678"),
            ("400-123-4567", "400-***-4567"),
            ("12345678901234", "**********1234"),
            ("abc", "abc"),
            ("", ""),
            ("电话123", "电话123"),
            ("tel 987654321", "tel *****4321"),
            ("1.3800138E10", "138****8000"),
            ("1012345678", "010-****5678"),
            ("88888888", "****8888"),
            ("１２", "12"),
        ];
        for (text, want) in cases {
            assert_eq!(mask_phone(text), *want, "{text}");
        }
    }
}
