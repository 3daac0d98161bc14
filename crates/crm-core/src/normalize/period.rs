//! Target periods (schema.md §2, `target_period`): a month, a quarter or a
//! year, written as `2024-03`, `2024年3月`, `2024-Q1`, `2024Q1`, `2024 Q1`,
//! `2024年第一季度`, `2024年1季度`, `2024`, `2024年` or `2024年度` (and a few
//! close variants such as `2024/3`, `202403`, `Q1 2024`). Anything else —
//! `上半年`, `2024-13`, `2024-Q5` — is not a period; the caller raises
//! `unreadable_period`. The canonical label is `2024-03`, `2024-Q1` or `2024`.

use chrono::NaiveDate;

/// Years accepted in a period; outside this a four-digit number is not a year.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// How long a target period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    /// A whole year.
    Year,
    /// A calendar quarter.
    Quarter,
    /// A calendar month.
    Month,
}

/// A month, quarter or year. Ordered by year, then kind (a year before its
/// quarters, quarters before months), then index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TargetPeriod {
    /// The calendar year.
    pub year: i32,
    /// Month, quarter or year.
    pub kind: PeriodKind,
    /// Month 1–12 or quarter 1–4; 0 for a year.
    pub index: u32,
}

impl TargetPeriod {
    /// A month period, when `month` is 1–12 and the year is plausible.
    pub fn month(year: i32, month: u32) -> Option<TargetPeriod> {
        ((1..=12).contains(&month) && YEARS.contains(&year)).then_some(TargetPeriod {
            year,
            kind: PeriodKind::Month,
            index: month,
        })
    }

    /// A quarter period, when `quarter` is 1–4 and the year is plausible.
    pub fn quarter(year: i32, quarter: u32) -> Option<TargetPeriod> {
        ((1..=4).contains(&quarter) && YEARS.contains(&year)).then_some(TargetPeriod {
            year,
            kind: PeriodKind::Quarter,
            index: quarter,
        })
    }

    /// A year period, when the year is plausible.
    pub fn year(year: i32) -> Option<TargetPeriod> {
        YEARS.contains(&year).then_some(TargetPeriod {
            year,
            kind: PeriodKind::Year,
            index: 0,
        })
    }

    /// First and last month of the period (1-based, inclusive).
    fn months(&self) -> (u32, u32) {
        match self.kind {
            PeriodKind::Year => (1, 12),
            PeriodKind::Quarter => (self.index * 3 - 2, self.index * 3),
            PeriodKind::Month => (self.index, self.index),
        }
    }

    /// The first day of the period.
    pub fn from(&self) -> NaiveDate {
        let (first, _) = self.months();
        NaiveDate::from_ymd_opt(self.year, first, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day of the period.
    pub fn to(&self) -> NaiveDate {
        let (_, last) = self.months();
        let (y, m) = if last == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, last + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// Number of days in the period.
    pub fn days(&self) -> i64 {
        (self.to() - self.from()).num_days() + 1
    }

    /// The canonical label: `2024-03`, `2024-Q1` or `2024`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Year => format!("{:04}", self.year),
            PeriodKind::Quarter => format!("{:04}-Q{}", self.year, self.index),
            PeriodKind::Month => format!("{:04}-{:02}", self.year, self.index),
        }
    }
}

/// Reads a target period; `None` when the text is no month, quarter or year
/// in an accepted form. Spaces and ASCII case are ignored (the text is
/// expected to be NFKC-normalized already, so full-width forms read too).
pub fn parse_target_period(text: &str) -> Option<TargetPeriod> {
    let s: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if let Some(rest) = s.strip_prefix('Q') {
        return quarter_first(rest);
    }
    let (year, rest) = split_digits(&s);
    if year.len() != 4 {
        // `202403`: a year and a two-digit month written together.
        return match (year.len(), rest) {
            (6, "") => TargetPeriod::month(year[..4].parse().ok()?, year[4..].parse().ok()?),
            _ => None,
        };
    }
    let year: i32 = year.parse().ok()?;
    match rest {
        "" | "年" | "年度" => return TargetPeriod::year(year),
        _ => {}
    }
    let (after_year, chinese) = match rest.strip_prefix('年') {
        Some(r) => (r, true),
        None => (
            rest.strip_prefix(['-', '/', '.', '_'])
                .or_else(|| rest.starts_with('Q').then_some(rest))?,
            false,
        ),
    };
    if let Some(q) = quarter_of(after_year) {
        return TargetPeriod::quarter(year, q);
    }
    let (digits, unit) = split_digits(after_year);
    let unit_ok = match unit {
        "月" | "月份" => true,
        "" => !chinese,
        _ => false,
    };
    if !unit_ok || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    TargetPeriod::month(year, digits.parse().ok()?)
}

/// `Q1-2024`, `Q1/2024`, `Q12024` (the leading `Q` already removed).
fn quarter_first(rest: &str) -> Option<TargetPeriod> {
    let mut chars = rest.chars();
    let q = chars.next()?.to_digit(10)?;
    let tail = chars.as_str();
    let tail = tail.strip_prefix(['-', '/', '.', '_']).unwrap_or(tail);
    let (year, after) = split_digits(tail);
    if year.len() != 4 || !after.is_empty() {
        return None;
    }
    TargetPeriod::quarter(year.parse().ok()?, q)
}

/// The quarter number of `Q1`, `第一季度`, `1季度`, `第1季`, `一季度`.
fn quarter_of(s: &str) -> Option<u32> {
    if let Some(q) = s.strip_prefix('Q') {
        // `Q1` or `Q1季度`.
        let q = q.strip_suffix("季度").unwrap_or(q);
        return match q.len() {
            1 => q.parse().ok(),
            _ => None,
        };
    }
    let s = s.strip_prefix('第').unwrap_or(s);
    let n = s.strip_suffix("季度").or_else(|| s.strip_suffix('季'))?;
    match n {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    }
}

/// Splits the leading ASCII digits off a string.
fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn accepted_forms_and_labels() {
        let cases = [
            ("2024-03", "2024-03"),
            ("2024-3", "2024-03"),
            ("2024/03", "2024-03"),
            ("2024.3", "2024-03"),
            ("202403", "2024-03"),
            ("2024年3月", "2024-03"),
            ("2024年03月", "2024-03"),
            ("2024年12月份", "2024-12"),
            ("2024 年 3 月", "2024-03"),
            ("2024-Q1", "2024-Q1"),
            ("2024-q2", "2024-Q2"),
            ("2024Q1", "2024-Q1"),
            ("2024 Q3", "2024-Q3"),
            ("2024年Q4", "2024-Q4"),
            ("Q1 2024", "2024-Q1"),
            ("Q2-2024", "2024-Q2"),
            ("2024年第一季度", "2024-Q1"),
            ("2024年第四季度", "2024-Q4"),
            ("2024年1季度", "2024-Q1"),
            ("2024年第2季度", "2024-Q2"),
            ("2024年三季度", "2024-Q3"),
            ("2024年第二季", "2024-Q2"),
            ("2024", "2024"),
            ("2024年", "2024"),
            ("2024年度", "2024"),
            (" 2024 ", "2024"),
        ];
        for (text, label) in cases {
            let p = parse_target_period(text).unwrap_or_else(|| panic!("{text} not read"));
            assert_eq!(p.label(), label, "{text}");
        }
    }

    #[test]
    fn unreadable_forms() {
        for text in [
            "",
            "上半年",
            "2024年上半年",
            "下半年",
            "2024-13",
            "2024-00",
            "2024年13月",
            "2024-Q5",
            "2024-Q0",
            "Q5 2024",
            "2024年第五季度",
            "2024年5季度",
            "2024-Q12",
            "24-03",
            "2024-03-15",
            "2024年3",
            "1850",
            "3月",
            "全年",
            "2024H1",
            "2024年1-3月",
        ] {
            assert_eq!(parse_target_period(text), None, "{text}");
        }
    }

    #[test]
    fn first_and_last_days() {
        let q2 = parse_target_period("2024-Q2").unwrap();
        assert_eq!(
            (q2.from(), q2.to(), q2.days()),
            (d(2024, 4, 1), d(2024, 6, 30), 91)
        );
        let feb = parse_target_period("2024年2月").unwrap();
        assert_eq!(
            (feb.from(), feb.to(), feb.days()),
            (d(2024, 2, 1), d(2024, 2, 29), 29)
        );
        let dec = parse_target_period("2023-12").unwrap();
        assert_eq!((dec.from(), dec.to()), (d(2023, 12, 1), d(2023, 12, 31)));
        let y = parse_target_period("2024年度").unwrap();
        assert_eq!(
            (y.from(), y.to(), y.days()),
            (d(2024, 1, 1), d(2024, 12, 31), 366)
        );
    }

    #[test]
    fn order_is_year_then_quarters_then_months() {
        let mut v: Vec<TargetPeriod> = ["2024-04", "2024-Q2", "2025", "2024", "2024-Q1", "2024-01"]
            .iter()
            .filter_map(|t| parse_target_period(t))
            .collect();
        v.sort();
        let labels: Vec<String> = v.iter().map(TargetPeriod::label).collect();
        assert_eq!(
            labels,
            ["2024", "2024-Q1", "2024-Q2", "2024-01", "2024-04", "2025"]
        );
    }
}
