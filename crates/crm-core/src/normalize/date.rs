//! Dates (schema.md §3): reads the many ways a sales sheet writes a date —
//! ISO and slash/dot forms, `2024年3月15日` with Arabic or Chinese numerals,
//! compact `20240315`, day-first and month-first numeric forms, English
//! month names, an optional time of day — plus Excel serial numbers. It also
//! tells what one value proves about the day/month order of its column, so
//! the caller can decide an ambiguous column from all of its values.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::text::clean_text;

/// A date as `YYYY-MM-DD`, exactly as chrono's `%Y-%m-%d` writes it, without
/// reading a format string for each date: reports and cleaned data write
/// millions of them.
pub fn iso_date(d: NaiveDate) -> String {
    let year = d.year();
    if !(0..=9999).contains(&year) {
        return d.format("%Y-%m-%d").to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let (y, m, day) = (year.unsigned_abs(), d.month(), d.day());
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .into_iter()
    .collect()
}

/// Order of day and month in a numeric date whose year comes last
/// (`03/04/2024`). Year-first forms (`2024-03-04`) never depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Year, month, day. For a year-last form this reads as [`DateOrder::Dmy`]
    /// (the config default is "`ymd`, then `dmy`").
    Ymd,
    /// Day, month, year (`15/03/2024`).
    Dmy,
    /// Month, day, year (`03/15/2024`).
    Mdy,
}

/// A date read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The calendar date.
    pub date: NaiveDate,
    /// The time of day, when the value carries one.
    pub time: Option<NaiveTime>,
    /// True when the text had no year (`3月5日`) and the as-of year was used.
    pub without_year: bool,
}

/// Why a date could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// No accepted form reads the value (or it is not a real calendar date).
    #[error("not a date in any accepted form")]
    Unparseable,
}

/// What one value proves about the day/month order of its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderEvidence {
    /// The first part is over 12: day first (`15/03/2024`).
    DayFirst,
    /// The second part is over 12: month first (`03/15/2024`).
    MonthFirst,
    /// Both parts are 12 or less and differ, so the order matters (`03/04/2024`).
    Ambiguous,
    /// Not a year-last numeric form, or its reading does not depend on the order.
    NoEvidence,
}

/// What the texts of a date column have shown of its day/month order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderFlags {
    /// A text reads only day first.
    pub day: bool,
    /// A text reads only month first.
    pub month: bool,
    /// A text reads both ways, differently.
    pub ambiguous: bool,
}

impl OrderFlags {
    /// Adds what `text` shows ([`order_evidence`]).
    pub fn see(&mut self, text: &str) {
        match order_evidence(text) {
            OrderEvidence::DayFirst => self.day = true,
            OrderEvidence::MonthFirst => self.month = true,
            OrderEvidence::Ambiguous => self.ambiguous = true,
            OrderEvidence::NoEvidence => {}
        }
    }

    /// Adds what `other` showed (other texts of the same column).
    pub fn join(&mut self, other: OrderFlags) {
        self.day |= other.day;
        self.month |= other.month;
        self.ambiguous |= other.ambiguous;
    }

    /// The column's order, `fallback` where its texts do not decide it,
    /// and whether it is then reported ambiguous (texts that read both
    /// ways, or texts of both orders).
    pub fn decide(self, fallback: DateOrder) -> (DateOrder, bool) {
        match (self.day, self.month) {
            (true, false) => (DateOrder::Dmy, false),
            (false, true) => (DateOrder::Mdy, false),
            (day, month) => (fallback, self.ambiguous || (day && month)),
        }
    }
}

/// Longest text (in characters, after cleaning) that is tried at all.
const MAX_CHARS: usize = 64;
/// Accepted years; anything else is a typo rather than a sales date.
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2999;

/// Parse a date from text. `order` decides ambiguous numeric forms like
/// `03/04/2024` (first two parts ≤ 12); year-first forms ignore it, and
/// [`DateOrder::Ymd`] reads a year-last form as day-first. When only one
/// order gives a real date (`15/03/2024` under `Mdy`) that reading is used.
/// `as_of_year` fills a missing year (`3月5日` → `without_year = true`).
/// A time of day (`14:30`, `14:30:05`, `T14:30:00`, `2:30 PM`) is kept.
pub fn parse_date_text(
    s: &str,
    order: DateOrder,
    as_of_year: i32,
) -> Result<ParsedDate, DateError> {
    if s.len() > MAX_CHARS * 4 {
        return Err(DateError::Unparseable);
    }
    let text = clean_text(s);
    if text.is_empty() || text.chars().count() > MAX_CHARS {
        return Err(DateError::Unparseable);
    }
    let (date_part, time_part) = split_time(&text).ok_or(DateError::Unparseable)?;
    let time = match time_part {
        Some(t) => Some(parse_time(t).ok_or(DateError::Unparseable)?),
        None => None,
    };
    let (date, without_year) =
        parse_date_only(date_part, order, as_of_year).ok_or(DateError::Unparseable)?;
    Ok(ParsedDate {
        date,
        time,
        without_year,
    })
}

/// A date written exactly as the tool writes one (`2024-03-01`: four,
/// two and two ASCII digits, years 1900–2999): the date
/// [`parse_date_text`] reads in it, whatever the order and year, found
/// without cleaning or tokens. Most date cells of an export are written so.
pub fn read_iso_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let y = i32::try_from(digits(0..4)?).ok()?;
    ymd(y, digits(5..7)?, digits(8..10)?)
}

/// Excel serial (1900 system, with Excel's fake 1900-02-29: serial 60;
/// serial 61 = 1900-03-01; 1 = 1900-01-01) to date+time; None when out of
/// range [1, 2958465] (fractions of the last day included) and for serial 60
/// itself, which is a day that never existed. The time is rounded to the
/// nearest second.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDateTime> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let whole = serial.floor();
    let days = whole as i64; // in range 1..=2958465, exact
    if days == 60 {
        return None;
    }
    let base = if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    let date = base.checked_add_signed(Duration::days(days))?;
    let secs = ((serial - whole) * 86_400.0).round() as i64; // 0..=86400
    date.and_hms_opt(0, 0, 0)?
        .checked_add_signed(Duration::seconds(secs))
}

/// Read a numeric cell in a date column: an Excel serial (e.g. 45366 →
/// 2024-03-15; a fractional part becomes the time) or a yyyymmdd integer
/// 19000101..=29991231 (20240315). None for anything else.
pub fn parse_date_number(n: f64) -> Option<ParsedDate> {
    if !n.is_finite() {
        return None;
    }
    if (19_000_101.0..=29_991_231.0).contains(&n) {
        if n.fract() != 0.0 {
            return None;
        }
        let v = n as i64;
        let y = i32::try_from(v / 10_000).ok()?;
        let m = u32::try_from((v / 100) % 100).ok()?;
        let d = u32::try_from(v % 100).ok()?;
        let date = NaiveDate::from_ymd_opt(y, m, d)?;
        return Some(ParsedDate {
            date,
            time: None,
            without_year: false,
        });
    }
    let dt = from_excel_serial(n)?;
    let time = if n.fract() != 0.0 {
        Some(dt.time())
    } else {
        None
    };
    Some(ParsedDate {
        date: dt.date(),
        time,
        without_year: false,
    })
}

/// Look at one value and tell what it proves about day/month order for
/// numeric d/m/y or m/d/y forms (`15/03/2024` → DayFirst, `03/15/2024` →
/// MonthFirst, `03/04/2024` → Ambiguous, `2024-03-15` or `2024年3月5日` →
/// NoEvidence because year-first forms are never ambiguous). A value whose
/// two parts are equal (`05/05/2024`) or that is no real date either way
/// proves nothing.
pub fn order_evidence(s: &str) -> OrderEvidence {
    // Three digits first (`2024-03-01`, `20240301`) make a first part too
    // long for a year-last form, whatever follows; cleaning keeps them.
    let year_first = s
        .as_bytes()
        .get(..3)
        .is_some_and(|b| b.iter().all(u8::is_ascii_digit));
    if year_first || s.len() > MAX_CHARS * 4 {
        return OrderEvidence::NoEvidence;
    }
    let text = clean_text(s);
    if text.chars().count() > MAX_CHARS {
        return OrderEvidence::NoEvidence;
    }
    let Some((date_part, _)) = split_time(&text) else {
        return OrderEvidence::NoEvidence;
    };
    let Some(tokens) = tokenize(date_part) else {
        return OrderEvidence::NoEvidence;
    };
    let [Tok::Num(p), Tok::Num(q), Tok::Num(r)] = tokens.as_slice() else {
        return OrderEvidence::NoEvidence;
    };
    if !is_year_last(&[p.as_str(), q.as_str(), r.as_str()]) {
        return OrderEvidence::NoEvidence;
    }
    let (Some(a), Some(b), Some(y)) = (num(p), num(q), year_of(r)) else {
        return OrderEvidence::NoEvidence;
    };
    let dmy_ok = ymd(y, b, a).is_some();
    let mdy_ok = ymd(y, a, b).is_some();
    match (dmy_ok, mdy_ok) {
        (true, true) if a == b => OrderEvidence::NoEvidence,
        (true, true) => OrderEvidence::Ambiguous,
        (true, false) => OrderEvidence::DayFirst,
        (false, true) => OrderEvidence::MonthFirst,
        (false, false) => OrderEvidence::NoEvidence,
    }
}

/// Splits off a trailing time of day: the digits before the first `:`,
/// preceded by a space, `T`, or the `日`/`号` that ends a Chinese date.
/// `None` when a `:` is present but is not placed like a time.
fn split_time(text: &str) -> Option<(&str, Option<&str>)> {
    let Some(colon) = text.find(':') else {
        return Some((text.trim(), None));
    };
    let before = text.get(..colon)?;
    let digits = before.bytes().rev().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let start = colon - digits;
    let head = text.get(..start)?;
    let time = text.get(start..)?;
    let last = head.chars().next_back()?;
    let date = match last {
        ' ' | 'T' | 't' => head.get(..head.len() - 1)?,
        '日' | '号' => head,
        _ => return None,
    };
    Some((date.trim(), Some(time.trim())))
}

/// `H:MM`, `H:MM:SS`, `H:MM:SS.fff`, optionally followed by `AM`/`PM`, or by
/// `Z` or a UTC offset, which is ignored.
fn parse_time(t: &str) -> Option<NaiveTime> {
    let lower = t.to_ascii_lowercase();
    let mut body = lower.trim();
    let mut meridiem = None;
    for (suffix, pm) in [("am", false), ("pm", true), ("a.m.", false), ("p.m.", true)] {
        if let Some(rest) = body.strip_suffix(suffix) {
            meridiem = Some(pm);
            body = rest.trim_end();
            break;
        }
    }
    if meridiem.is_none() {
        body = body.strip_suffix('z').unwrap_or(body).trim_end();
        // A UTC offset (`+08:00`, `-0500`) is dropped: the time is kept as written.
        if let Some(pos) = body.find(['+', '-']) {
            let offset = body.get(pos + 1..).unwrap_or("");
            let digits: String = offset.chars().filter(|c| *c != ':').collect();
            if !(digits.len() == 2 || digits.len() == 4)
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            body = body.get(..pos)?.trim_end();
        }
    }
    let parts: Vec<&str> = body.split(':').collect();
    if parts.len() < 2 || parts.len() > 3 {
        return None;
    }
    let h = small_int(parts.first()?, 1, 2)?;
    let m = small_int(parts.get(1)?, 2, 2)?;
    let (sec, nano) = match parts.get(2) {
        None => (0, 0),
        Some(p) => {
            let (whole, frac) = match p.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (*p, None),
            };
            let sec = small_int(whole, 2, 2)?;
            let nano = match frac {
                None => 0,
                Some(f)
                    if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    let padded = format!("{f:0<9}");
                    padded.parse::<u32>().ok()?
                }
                Some(_) => return None,
            };
            (sec, nano)
        }
    };
    let hour = match meridiem {
        None => h,
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            match (pm, h) {
                (false, 12) => 0,
                (false, h) => h,
                (true, 12) => 12,
                (true, h) => h + 12,
            }
        }
    };
    NaiveTime::from_hms_nano_opt(hour, m, sec, nano)
}

/// An unsigned integer of `min..=max` ASCII digits.
fn small_int(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A token of a non-Chinese date.
#[derive(Debug, PartialEq)]
enum Tok {
    Num(String),
    Month(u32),
}

/// Splits on `-`, `/`, `.`, `,` and spaces into numbers and month names;
/// drops weekday names and ordinal suffixes (`15th`). `None` on anything else.
fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    for raw in s.split(['-', '/', '.', ',', ' ']) {
        if raw.is_empty() {
            continue;
        }
        if raw.bytes().all(|b| b.is_ascii_digit()) {
            out.push(Tok::Num(raw.to_string()));
            continue;
        }
        let lower = raw.to_ascii_lowercase();
        if let Some(d) = strip_ordinal(&lower) {
            out.push(Tok::Num(d.to_string()));
            continue;
        }
        if !lower.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        if is_weekday(&lower) {
            continue;
        }
        out.push(Tok::Month(month_name(&lower)?));
    }
    Some(out)
}

fn strip_ordinal(s: &str) -> Option<&str> {
    for suf in ["st", "nd", "rd", "th"] {
        if let Some(d) = s.strip_suffix(suf) {
            if !d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit()) {
                return Some(d);
            }
        }
    }
    None
}

fn is_weekday(s: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.iter()
        .any(|d| *d == s || (s.len() >= 3 && d.starts_with(s)))
}

/// `jan`, `january`, `sept`… → 1..=12.
fn month_name(s: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if s.len() < 3 {
        return None;
    }
    if s == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == s || (s.len() == 3 && m.starts_with(s)))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Day/month parts of 1–2 digits and a year of 2 or 4 digits last.
fn is_year_last(nums: &[&str]) -> bool {
    matches!(nums, [a, b, y] if (1..=2).contains(&a.len()) && (1..=2).contains(&b.len()) && (y.len() == 2 || y.len() == 4))
}

fn num(s: &str) -> Option<u32> {
    small_int(s, 1, 2)
}

/// A 4-digit year in range, or a 2-digit year by Excel's rule (00–29 → 20xx).
fn year_of(s: &str) -> Option<i32> {
    let v: i32 = match s.len() {
        2 | 4 if s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok()?,
        _ => return None,
    };
    let y = if s.len() == 2 {
        if v < 30 {
            2000 + v
        } else {
            1900 + v
        }
    } else {
        v
    };
    (MIN_YEAR..=MAX_YEAR).contains(&y).then_some(y)
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The date part alone; the bool tells that the year was missing.
fn parse_date_only(s: &str, order: DateOrder, as_of_year: i32) -> Option<(NaiveDate, bool)> {
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .any(|c| matches!(c, '年' | '月' | '日' | '号') || cn_digit(c).is_some())
    {
        return parse_chinese(s, as_of_year);
    }
    let tokens = tokenize(s)?;
    match tokens.as_slice() {
        [Tok::Num(n)] if n.len() == 8 => {
            let y = year_of(n.get(..4)?)?;
            ymd(y, num(n.get(4..6)?)?, num(n.get(6..8)?)?).map(|d| (d, false))
        }
        [Tok::Num(a), Tok::Num(b), Tok::Num(c)] => {
            if a.len() == 4 {
                let y = year_of(a)?;
                return ymd(y, num(b)?, num(c)?).map(|d| (d, false));
            }
            let parts = [a.as_str(), b.as_str(), c.as_str()];
            if !is_year_last(&parts) {
                return None;
            }
            let (p, q, y) = (num(a)?, num(b)?, year_of(c)?);
            let dmy = ymd(y, q, p);
            let mdy = ymd(y, p, q);
            let chosen = match order {
                DateOrder::Ymd | DateOrder::Dmy => dmy.or(mdy),
                DateOrder::Mdy => mdy.or(dmy),
            };
            chosen.map(|d| (d, false))
        }
        [Tok::Num(a), Tok::Month(m), Tok::Num(c)] => if a.len() == 4 {
            ymd(year_of(a)?, *m, num(c)?)
        } else {
            ymd(year_of(c)?, *m, num(a)?)
        }
        .map(|d| (d, false)),
        [Tok::Month(m), Tok::Num(d), Tok::Num(y)] => {
            ymd(year_of(y)?, *m, num(d)?).map(|d| (d, false))
        }
        _ => None,
    }
}

/// Chinese numeral digit (`〇`/`零`…`九`, also `两`).
fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A month or day: ASCII digits, or Chinese `五`, `十`, `十二`, `二十`, `三十一`.
fn cn_small(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return small_int(s, 1, 2);
    }
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => cn_digit(*d),
        ['十', d] => Some(10 + cn_digit(*d)?),
        [t, '十'] => Some(cn_digit(*t)? * 10),
        [t, '十', d] => Some(cn_digit(*t)? * 10 + cn_digit(*d)?),
        _ => None,
    }
}

/// A year written with ASCII digits or digit by digit in Chinese (`二〇二四`).
fn cn_year(s: &str) -> Option<i32> {
    let s = s.trim();
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return year_of(s);
    }
    let mut digits = String::new();
    for c in s.chars() {
        let d = cn_digit(c)?;
        digits.push(char::from_digit(d, 10)?);
    }
    year_of(&digits)
}

/// `[Y年]M月D[日|号]`; month-only text is rejected.
fn parse_chinese(s: &str, as_of_year: i32) -> Option<(NaiveDate, bool)> {
    let (year, rest) = match s.split_once('年') {
        Some((y, rest)) => (Some(cn_year(y)?), rest),
        None => (None, s),
    };
    let (m, d) = rest.split_once('月')?;
    let d = d.trim();
    let d = d
        .strip_suffix('日')
        .or_else(|| d.strip_suffix('号'))
        .unwrap_or(d);
    let month = cn_small(m)?;
    let day = cn_small(d)?;
    match year {
        Some(y) => ymd(y, month, day).map(|dt| (dt, false)),
        None => NaiveDate::from_ymd_opt(as_of_year, month, day).map(|dt| (dt, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(-30, 1, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(10_050, 12, 31).unwrap();
        let mut seen = 0;
        while d <= end {
            assert_eq!(iso_date(d), d.format("%Y-%m-%d").to_string());
            d += Duration::days(1 + seen % 53);
            seen += 1;
        }
        assert!(seen > 50_000);
        assert_eq!(
            iso_date(NaiveDate::from_ymd_opt(987, 6, 5).unwrap()),
            "0987-06-05"
        );
        assert_eq!(
            iso_date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            "2026-12-31"
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32, s: u32) -> Option<NaiveTime> {
        NaiveTime::from_hms_opt(h, m, s)
    }

    #[test]
    fn accepted_forms() {
        let cases: &[(&str, DateOrder, NaiveDate, Option<NaiveTime>, bool)] = &[
            ("2024-03-15", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("2024/3/15", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("2024.3.15", DateOrder::Mdy, d(2024, 3, 15), None, false),
            ("2024年3月15日", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("2024年3月15号", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("2024年03月15", DateOrder::Ymd, d(2024, 3, 15), None, false),
            (
                "２０２４年３月１５日",
                DateOrder::Ymd,
                d(2024, 3, 15),
                None,
                false,
            ),
            ("20240315", DateOrder::Dmy, d(2024, 3, 15), None, false),
            (
                "2024-03-15 14:30",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(14, 30, 0),
                false,
            ),
            (
                "2024-03-15 14:30:05",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(14, 30, 5),
                false,
            ),
            (
                "2024-03-15T14:30:00",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(14, 30, 0),
                false,
            ),
            (
                "2024-03-15T14:30:00Z",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(14, 30, 0),
                false,
            ),
            (
                "2024-03-15T14:30:00+08:00",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(14, 30, 0),
                false,
            ),
            (
                "2024-03-15T14:30:00.250-0500",
                DateOrder::Ymd,
                d(2024, 3, 15),
                NaiveTime::from_hms_milli_opt(14, 30, 0, 250),
                false,
            ),
            (
                "2024/3/15 9:05",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(9, 5, 0),
                false,
            ),
            (
                "2024年3月15日 9:05",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(9, 5, 0),
                false,
            ),
            (
                "2024年3月15日9:05",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(9, 5, 0),
                false,
            ),
            ("15/03/2024", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("15/03/2024", DateOrder::Mdy, d(2024, 3, 15), None, false),
            ("03/15/2024", DateOrder::Dmy, d(2024, 3, 15), None, false),
            ("03-15-24", DateOrder::Mdy, d(2024, 3, 15), None, false),
            ("15.03.2024", DateOrder::Dmy, d(2024, 3, 15), None, false),
            ("03/04/2024", DateOrder::Ymd, d(2024, 4, 3), None, false),
            ("03/04/2024", DateOrder::Dmy, d(2024, 4, 3), None, false),
            ("03/04/2024", DateOrder::Mdy, d(2024, 3, 4), None, false),
            ("1/2/29", DateOrder::Dmy, d(2029, 2, 1), None, false),
            ("1/2/30", DateOrder::Dmy, d(1930, 2, 1), None, false),
            ("15/3/99", DateOrder::Dmy, d(1999, 3, 15), None, false),
            ("24年3月5日", DateOrder::Ymd, d(2024, 3, 5), None, false),
            (
                "二〇二四年三月五日",
                DateOrder::Ymd,
                d(2024, 3, 5),
                None,
                false,
            ),
            (
                "二零二四年三月五日",
                DateOrder::Ymd,
                d(2024, 3, 5),
                None,
                false,
            ),
            (
                "二〇二四年十二月三十一日",
                DateOrder::Ymd,
                d(2024, 12, 31),
                None,
                false,
            ),
            (
                "二〇二四年十月十日",
                DateOrder::Ymd,
                d(2024, 10, 10),
                None,
                false,
            ),
            (
                "二〇二四年二月二十日",
                DateOrder::Ymd,
                d(2024, 2, 20),
                None,
                false,
            ),
            ("3月5日", DateOrder::Ymd, d(2023, 3, 5), None, true),
            ("12月31号", DateOrder::Ymd, d(2023, 12, 31), None, true),
            ("15 Mar 2024", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("Mar 15, 2024", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("March 15 2024", DateOrder::Dmy, d(2024, 3, 15), None, false),
            ("2024-Mar-15", DateOrder::Ymd, d(2024, 3, 15), None, false),
            ("15-Mar-24", DateOrder::Ymd, d(2024, 3, 15), None, false),
            (
                "Fri, 15 March 2024",
                DateOrder::Ymd,
                d(2024, 3, 15),
                None,
                false,
            ),
            (
                "March 15th, 2024",
                DateOrder::Ymd,
                d(2024, 3, 15),
                None,
                false,
            ),
            ("Sept 1 2024", DateOrder::Ymd, d(2024, 9, 1), None, false),
            (
                "Mar 15, 2024 2:30 PM",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(14, 30, 0),
                false,
            ),
            (
                "Mar 15, 2024 12:05 am",
                DateOrder::Ymd,
                d(2024, 3, 15),
                t(0, 5, 0),
                false,
            ),
            (
                "  2024-02-29  ",
                DateOrder::Ymd,
                d(2024, 2, 29),
                None,
                false,
            ),
        ];
        for (text, order, date, time, no_year) in cases {
            let got =
                parse_date_text(text, *order, 2023).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(got.date, *date, "{text}");
            assert_eq!(got.time, *time, "{text}");
            assert_eq!(got.without_year, *no_year, "{text}");
        }
    }

    #[test]
    fn rejected_forms() {
        let long = "2024-03-15 ".repeat(100);
        let cases: &[&str] = &[
            "",
            "   ",
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024年3月",
            "2024年",
            "3-5",
            "Mar 15",
            "abc",
            "2024-03-15 25:00",
            "2024-03-15 14:61",
            "2024-03-15x14:30",
            "13/13/2024",
            "32/01/2024",
            "2024031",
            "202403150",
            "1899-12-31",
            "0024-03-15",
            "二〇二四年十三月五日",
            "2024年3月32日",
            "Foo 15, 2024",
            "2024/3/15/1",
            "15 Mar",
            "12:30",
            "2024-03-15 13:00 PM",
            "2024-03-15T14:30:00+8",
            "2024-03-15 14:30-",
            "2024-03-15T14:30:00+8",
            "2024-03-15 14:30-",
            "－",
            &long,
        ];
        for text in cases {
            assert_eq!(
                parse_date_text(text, DateOrder::Ymd, 2024),
                Err(DateError::Unparseable),
                "{text}"
            );
        }
    }

    #[test]
    fn excel_serials() {
        let dt = |y, m, day, h, mi, s| d(y, m, day).and_hms_opt(h, mi, s).unwrap();
        let cases: &[(f64, Option<NaiveDateTime>)] = &[
            (1.0, Some(dt(1900, 1, 1, 0, 0, 0))),
            (59.0, Some(dt(1900, 2, 28, 0, 0, 0))),
            (60.0, None),
            (61.0, Some(dt(1900, 3, 1, 0, 0, 0))),
            (45366.0, Some(dt(2024, 3, 15, 0, 0, 0))),
            (45366.5, Some(dt(2024, 3, 15, 12, 0, 0))),
            (45366.604166666664, Some(dt(2024, 3, 15, 14, 30, 0))),
            (45366.99999999, Some(dt(2024, 3, 16, 0, 0, 0))),
            (2958465.0, Some(dt(9999, 12, 31, 0, 0, 0))),
            (2958466.0, None),
            (0.0, None),
            (0.5, None),
            (-1.0, None),
            (f64::NAN, None),
            (f64::INFINITY, None),
            (f64::NEG_INFINITY, None),
        ];
        for (n, want) in cases {
            assert_eq!(from_excel_serial(*n), *want, "{n}");
        }
    }

    #[test]
    fn date_numbers() {
        type Want = Option<(NaiveDate, Option<NaiveTime>)>;
        let cases: &[(f64, Want)] = &[
            (45366.0, Some((d(2024, 3, 15), None))),
            (45366.75, Some((d(2024, 3, 15), t(18, 0, 0)))),
            (20240315.0, Some((d(2024, 3, 15), None))),
            (19000101.0, Some((d(1900, 1, 1), None))),
            (29991231.0, Some((d(2999, 12, 31), None))),
            (20240230.0, None),
            (20240315.5, None),
            (30000101.0, None),
            (10000000.0, None),
            (60.0, None),
            (-45366.0, None),
            (f64::NAN, None),
            (1e300, None),
            (61.0, Some((d(1900, 3, 1), None))),
            (1.0, Some((d(1900, 1, 1), None))),
        ];
        for (n, want) in cases {
            let got = parse_date_number(*n).map(|p| (p.date, p.time));
            assert_eq!(got, *want, "{n}");
            if let Some(p) = parse_date_number(*n) {
                assert!(!p.without_year);
            }
        }
    }

    /// `read_iso_date` reads what `parse_date_text` reads, and only in the
    /// form it claims.
    #[test]
    fn iso_dates_read_as_the_full_parser_reads_them() {
        let mut texts: Vec<String> = [
            "2024-03-01",
            "1900-01-01",
            "2999-12-31",
            "1899-12-31",
            "3000-01-01",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-3-01",
            "2024/03/01",
            " 2024-03-01",
            "2024-03-01 ",
            "２０24-03-01",
            "2024-03-0a",
            "202a-03-01",
            "2024-03-01T",
            "2024--3-01",
            "24-03-2024",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for y in [1900, 1999, 2024, 2999] {
            for m in 0..=13 {
                for d in [0, 1, 9, 10, 28, 29, 30, 31, 32] {
                    texts.push(format!("{y:04}-{m:02}-{d:02}"));
                }
            }
        }
        let mut read = 0;
        for t in &texts {
            let full = parse_date_text(t, DateOrder::Mdy, 2020).ok();
            match read_iso_date(t) {
                Some(date) => {
                    read += 1;
                    for order in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
                        let p = parse_date_text(t, order, 1999).expect(t);
                        assert_eq!((p.date, p.time, p.without_year), (date, None, false), "{t}");
                    }
                    assert_eq!(date.format("%Y-%m-%d").to_string(), *t);
                }
                None => {
                    let iso = t.len() == 10
                        && full.is_some_and(|p| p.date.format("%Y-%m-%d").to_string() == *t);
                    assert!(!iso, "{t} is read by the full parser as written");
                }
            }
        }
        assert!(read > 100, "{read}");
    }

    #[test]
    fn evidence() {
        let cases: &[(&str, OrderEvidence)] = &[
            ("15/03/2024", OrderEvidence::DayFirst),
            ("03/15/2024", OrderEvidence::MonthFirst),
            ("03/04/2024", OrderEvidence::Ambiguous),
            ("3-4-24", OrderEvidence::Ambiguous),
            ("03-15-24", OrderEvidence::MonthFirst),
            ("15.03.2024 10:00", OrderEvidence::DayFirst),
            ("05/05/2024", OrderEvidence::NoEvidence),
            ("2024-03-15", OrderEvidence::NoEvidence),
            ("2024/03/04", OrderEvidence::NoEvidence),
            ("2024年3月5日", OrderEvidence::NoEvidence),
            ("20240304", OrderEvidence::NoEvidence),
            ("150/3/2024", OrderEvidence::NoEvidence),
            ("12/03/2024", OrderEvidence::Ambiguous),
            (" 15/03/2024", OrderEvidence::DayFirst),
            ("１５/03/2024", OrderEvidence::DayFirst),
            ("15 Mar 2024", OrderEvidence::NoEvidence),
            ("31/02/2024", OrderEvidence::NoEvidence),
            ("13/13/2024", OrderEvidence::NoEvidence),
            ("", OrderEvidence::NoEvidence),
            ("garbage", OrderEvidence::NoEvidence),
        ];
        for (text, want) in cases {
            assert_eq!(order_evidence(text), *want, "{text}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "日",
            "月日",
            "年月日",
            ":",
            "1:",
            "日1:00",
            "é:12",
            "１２:３０",
            "2024-03-15 1:2:3:4",
            "年年",
            "\u{0}",
            "🙂2024-03-15",
        ];
        for s in odd {
            let _ = parse_date_text(s, DateOrder::Dmy, 2024);
            let _ = order_evidence(s);
        }
        let p = parse_date_text("2024-1-2", DateOrder::Ymd, 2000).unwrap();
        assert_eq!(p.date, d(2024, 1, 2));
    }
}
