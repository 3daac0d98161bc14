//! The report period (metrics.md §0): `--period 2024-03`, `2024-Q1`, `2024`,
//! or `--from` / `--to`, as an inclusive date range.

use chrono::{Datelike, NaiveDate};

use crm_core::normalize::date::iso_date;

/// An inclusive date range with the label it was given as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// As written in summary.json `period`.
    pub label: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// Parses `2024-03`, `2024-Q1` (or `2024Q1`) or `2024`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let label = s.to_string();
        if let Some((y, q)) = s.split_once(['Q', 'q']) {
            let year: i32 = y.trim_end_matches('-').parse().ok()?;
            let q: u32 = q.parse().ok()?;
            if !(1..=4).contains(&q) {
                return None;
            }
            let from = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?;
            let to = month_end(year, q * 3)?;
            return Some(Period { label, from, to });
        }
        if let Some((y, m)) = s.split_once('-') {
            let (year, month): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
            let from = NaiveDate::from_ymd_opt(year, month, 1)?;
            return Some(Period {
                label,
                from,
                to: month_end(year, month)?,
            });
        }
        if s.len() == 4 {
            let year: i32 = s.parse().ok()?;
            return Some(Period {
                label,
                from: NaiveDate::from_ymd_opt(year, 1, 1)?,
                to: NaiveDate::from_ymd_opt(year, 12, 31)?,
            });
        }
        None
    }

    /// A `--from` / `--to` range; an open end is the beginning or end of time.
    pub fn range(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Period {
        let from = from.unwrap_or(NaiveDate::MIN);
        let to = to.unwrap_or(NaiveDate::MAX);
        let show = |d: NaiveDate, open: bool| {
            if open {
                String::new()
            } else {
                iso_date(d)
            }
        };
        Period {
            label: format!(
                "{}..{}",
                show(from, from == NaiveDate::MIN),
                show(to, to == NaiveDate::MAX)
            ),
            from,
            to,
        }
    }

    /// True when the date falls in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// `YYYY-MM` of a date.
pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn forms() {
        assert_eq!(
            Period::parse("2024-02").map(|p| (p.from, p.to)),
            Some((d(2024, 2, 1), d(2024, 2, 29)))
        );
        assert_eq!(
            Period::parse("2024-Q4").map(|p| (p.from, p.to)),
            Some((d(2024, 10, 1), d(2024, 12, 31)))
        );
        assert_eq!(
            Period::parse("2024Q1").map(|p| (p.from, p.to)),
            Some((d(2024, 1, 1), d(2024, 3, 31)))
        );
        assert_eq!(
            Period::parse("2024").map(|p| (p.from, p.to)),
            Some((d(2024, 1, 1), d(2024, 12, 31)))
        );
        assert_eq!(Period::parse("2024-13"), None);
        assert_eq!(Period::parse("2024-Q5"), None);
        assert_eq!(Period::parse("上半年"), None);
    }
}
