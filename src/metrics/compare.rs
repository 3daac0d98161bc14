//! `--compare-previous`: the headline figures of the report's period beside
//! those of the period before it (month over month, quarter over quarter,
//! year over year; a `--from/--to` range against the same number of days
//! just before it). Both sides come from `compute`, so a figure means the
//! same thing in both columns.

use chrono::{Datelike, Duration};

use super::period::{month_end, Period};
use crate::report::summary::{Compare, CompareRow, Summary};

/// The period just before `p`, of the same kind.
pub fn previous(p: &Period) -> Option<Period> {
    let label = p.label.as_str();
    if let Some(parsed) = Period::parse(label) {
        let from = parsed.from;
        let months = (parsed.to.year() - from.year()) * 12 + parsed.to.month() as i32
            - from.month() as i32
            + 1;
        let start_index = from.year() * 12 + from.month() as i32 - 1 - months;
        let (y, m) = (
            start_index.div_euclid(12),
            start_index.rem_euclid(12) as u32 + 1,
        );
        let end_index = start_index + months - 1;
        let (ey, em) = (
            end_index.div_euclid(12),
            end_index.rem_euclid(12) as u32 + 1,
        );
        let prev_label = match months {
            1 => format!("{y:04}-{m:02}"),
            3 => format!("{y:04}-Q{}", (m - 1) / 3 + 1),
            _ => format!("{y:04}"),
        };
        return Some(Period {
            label: prev_label,
            from: chrono::NaiveDate::from_ymd_opt(y, m, 1)?,
            to: month_end(ey, em)?,
        });
    }
    let days = (p.to - p.from).num_days() + 1;
    let to = p.from.checked_sub_signed(Duration::days(1))?;
    let from = to.checked_sub_signed(Duration::days(days - 1))?;
    Some(Period::range(Some(from), Some(to)))
}

/// One figure: a value from each summary.
fn row(key: &str, current: Option<f64>, previous: Option<f64>, is_rate: bool) -> CompareRow {
    let change = match (current, previous) {
        (Some(c), Some(p)) => Some(c - p),
        _ => None,
    };
    let change_ratio = match (current, previous, is_rate) {
        (Some(c), Some(p), false) if p != 0.0 => Some((c - p) / p),
        _ => None,
    };
    CompareRow {
        key: key.to_string(),
        current,
        previous,
        change,
        change_ratio,
    }
}

/// The headline figures of both summaries side by side.
pub fn compare(current: &Summary, previous: &Summary, previous_period: &Period) -> Compare {
    type Pick = fn(&Summary) -> Option<f64>;
    let figures: [(&str, Pick, bool); 11] = [
        (
            "opportunities",
            |s| Some((s.funnel.won + s.funnel.lost + s.funnel.open) as f64),
            false,
        ),
        ("won", |s| Some(s.funnel.won as f64), false),
        ("lost", |s| Some(s.funnel.lost as f64), false),
        ("win_rate", |s| s.funnel.win_rate, true),
        ("overall_conversion", |s| s.funnel.overall_conversion, true),
        ("signed", |s| Some(s.activity.signed as f64), false),
        ("signed_amount", |s| Some(s.activity.signed_amount), false),
        ("followups", |s| Some(s.activity.followups as f64), false),
        ("cycle_median_days", |s| s.cycle_days.median, false),
        ("cadence_compliance", |s| s.cadence.compliance, true),
        ("overdue", |s| Some(s.cadence.overdue as f64), false),
    ];
    Compare {
        previous_period: previous_period.label.clone(),
        previous_as_of: previous.as_of.clone(),
        figures: figures
            .iter()
            .map(|(k, f, rate)| row(k, f(current), f(previous), *rate))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn prev(label: &str) -> (String, NaiveDate, NaiveDate) {
        let p = previous(&Period::parse(label).unwrap()).unwrap();
        (p.label, p.from, p.to)
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn previous_periods() {
        assert_eq!(
            prev("2024-03"),
            ("2024-02".into(), d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(
            prev("2024-01"),
            ("2023-12".into(), d(2023, 12, 1), d(2023, 12, 31))
        );
        assert_eq!(
            prev("2024-Q1"),
            ("2023-Q4".into(), d(2023, 10, 1), d(2023, 12, 31))
        );
        assert_eq!(
            prev("2024-Q3"),
            ("2024-Q2".into(), d(2024, 4, 1), d(2024, 6, 30))
        );
        assert_eq!(
            prev("2024"),
            ("2023".into(), d(2023, 1, 1), d(2023, 12, 31))
        );
        let r = previous(&Period::range(Some(d(2024, 3, 11)), Some(d(2024, 3, 20)))).unwrap();
        assert_eq!((r.from, r.to), (d(2024, 3, 1), d(2024, 3, 10)));
    }

    #[test]
    fn change_and_ratio() {
        let r = row("won", Some(12.0), Some(8.0), false);
        assert_eq!((r.change, r.change_ratio), (Some(4.0), Some(0.5)));
        let r = row("win_rate", Some(0.5), Some(0.4), true);
        assert!(r.change_ratio.is_none());
        assert!((r.change.unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(row("won", Some(3.0), Some(0.0), false).change_ratio, None);
        assert_eq!(row("x", None, Some(1.0), false).change, None);
    }
}
