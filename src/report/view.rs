//! The report as both writers see it: sections of titled tables whose cells
//! know how they are displayed (count, money, rate, days), built once from
//! the `Summary` in the report language by `sections.rs`. The workbook and
//! the HTML page render the same view, so they cannot disagree on a figure,
//! a label or a definition. Nothing here computes a metric.

/// One cell: a value and how it is displayed.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Text from the data or a label.
    Text(String),
    /// A count.
    Int(i64),
    /// An amount in yuan.
    Money(f64),
    /// A fraction 0–1 shown as a percentage.
    Rate(f64),
    /// A number shown with one decimal (days, ratios).
    Decimal(f64),
    /// A weight or score shown with two decimals.
    Score(f64),
    /// No value (a zero denominator, a statistic of nothing): `—`.
    Null,
}

/// What a null value looks like in every report.
pub const DASH: &str = "—";

impl Val {
    /// A count.
    pub fn int(n: usize) -> Val {
        Val::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// A rate, or `—`.
    pub fn rate(x: Option<f64>) -> Val {
        x.filter(|v| v.is_finite()).map_or(Val::Null, Val::Rate)
    }

    /// A one-decimal number, or `—`.
    pub fn decimal(x: Option<f64>) -> Val {
        x.filter(|v| v.is_finite()).map_or(Val::Null, Val::Decimal)
    }

    /// An amount, or `—`.
    pub fn money(x: Option<f64>) -> Val {
        x.filter(|v| v.is_finite()).map_or(Val::Null, Val::Money)
    }

    /// A text cell.
    pub fn text(s: impl Into<String>) -> Val {
        Val::Text(s.into())
    }

    /// The value as displayed: `1,234`, `¥1,234,568`, `12.3%`, `4.5`, `—`.
    pub fn display(&self) -> String {
        match self {
            Val::Text(s) => s.clone(),
            Val::Int(n) => group_thousands(&n.unsigned_abs().to_string(), *n < 0),
            Val::Money(x) => {
                let yuan = x.abs().round();
                let digits = format!("{yuan:.0}");
                let negative = *x < 0.0 && yuan > 0.0;
                format!(
                    "{}¥{}",
                    if negative { "-" } else { "" },
                    group_thousands(&digits, false)
                )
            }
            Val::Rate(x) => format!("{:.1}%", clean_zero(x * 100.0)),
            Val::Decimal(x) => format!("{:.1}", clean_zero(*x)),
            Val::Score(x) => format!("{x:.2}"),
            Val::Null => DASH.to_string(),
        }
    }

    /// The number a table sorts this cell by (`None` for text and nulls).
    pub fn number(&self) -> Option<f64> {
        match self {
            Val::Int(n) => Some(*n as f64),
            Val::Money(x) | Val::Rate(x) | Val::Decimal(x) | Val::Score(x) => Some(*x),
            Val::Text(_) | Val::Null => None,
        }
    }
}

/// `-0.04` rounds to `-0.0`; show it as `0.0`.
fn clean_zero(x: f64) -> f64 {
    if x.abs() < 0.05 {
        0.0
    } else {
        x
    }
}

fn group_thousands(digits: &str, negative: bool) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if negative {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a column's values stand out, the same way in both writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    /// Plain values.
    None,
    /// Values that call for action (days overdue): red.
    Alert,
    /// A data bar proportional to the value (amounts per rep).
    Bar,
    /// A red–yellow–green colour scale, low to high (conversion rates).
    RateScale,
    /// A white-to-blue colour scale (activity counts of a heatmap).
    HeatScale,
}

/// One column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    /// Header label (a week such as `2024-W23` for a pivoted table).
    pub label: String,
    /// The metric's definition, shown as a tooltip / note.
    pub definition: Option<&'static str>,
    /// How the values stand out.
    pub emphasis: Emphasis,
}

impl Column {
    /// The same column with another emphasis.
    pub fn with(mut self, emphasis: Emphasis) -> Column {
        self.emphasis = emphasis;
        self
    }
}

/// A titled table.
#[derive(Debug, Clone)]
pub struct Table {
    /// A stable id (`funnel.stages`), used to find the table for charts.
    pub id: &'static str,
    /// Title shown above the table.
    pub title: &'static str,
    /// Columns.
    pub columns: Vec<Column>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Val>>,
    /// The rows the table stands for: `rows.len()`, or more when it was
    /// built from the [`head`] of a long list.
    pub total: usize,
    /// The first rows to mark (the top 3 needs).
    pub marked: usize,
}

/// The most rows of a list a report table is built from: no output shows
/// more (the workbook [`super::xlsx::LIST_CAP`], the page
/// [`super::html::HTML_ROWS_CAP`]). At a million customers the overdue
/// and stalled lists hold a million rows in all, and building a table row
/// for each of them, to keep the first ten thousand, took half a second.
pub const MOST_LISTED: usize = 10_000;

const _: () = assert!(super::xlsx::LIST_CAP <= MOST_LISTED);
const _: () = assert!(super::html::HTML_ROWS_CAP <= MOST_LISTED);

/// The first [`MOST_LISTED`] rows of a list.
pub fn head<T>(list: &[T]) -> &[T] {
    &list[..list.len().min(MOST_LISTED)]
}

impl Table {
    /// The table, standing for `total` rows (its list's length, when it
    /// was built from the list's [`head`]).
    pub fn standing_for(mut self, total: usize) -> Table {
        self.total = total.max(self.rows.len());
        self
    }
}

/// A section of the report: one HTML section, one worksheet.
#[derive(Debug, Clone)]
pub struct Section {
    /// A stable id (`funnel`), also the HTML anchor.
    pub id: &'static str,
    /// Title (also the sheet name).
    pub title: &'static str,
    /// Notes shown under the title.
    pub notes: Vec<String>,
    /// The tables.
    pub tables: Vec<Table>,
}

impl Section {
    /// Cuts every table longer than `cap` rows to its first `cap` rows,
    /// adding the note `template` (filled with `table`, `shown` and
    /// `total`) for each one cut.
    pub fn cap_rows(&mut self, cap: usize, template: &str) {
        for table in &mut self.tables {
            let total = table.total;
            if total <= cap {
                continue;
            }
            table.rows.truncate(cap);
            self.notes.push(super::i18n::fill(
                template,
                &[
                    ("table", table.title.to_string()),
                    ("shown", Val::int(cap).display()),
                    ("total", Val::int(total).display()),
                ],
            ));
        }
    }
}

/// One headline figure.
#[derive(Debug, Clone)]
pub struct Kpi {
    /// Metric key (definitions).
    pub key: &'static str,
    /// Label.
    pub label: &'static str,
    /// Value.
    pub value: Val,
    /// Definition.
    pub definition: &'static str,
    /// A comparison shown under the value (the previous period's change, a
    /// rep's team median).
    pub note: Option<String>,
}

/// One bucket of the cycle histogram: `[low, low + width)` days.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// Label such as `0–29` (or `7` for one-day buckets).
    pub label: String,
    /// Values in the bucket.
    pub count: usize,
}

/// Bucket widths tried in order: the first that needs at most
/// `MAX_BUCKETS` buckets wins, so a histogram reads in days, weeks or months.
const WIDTHS: &[i64] = &[
    1, 2, 5, 7, 10, 14, 15, 30, 60, 90, 180, 365, 730, 1825, 3650,
];
const MAX_BUCKETS: i64 = 12;

/// Buckets cycle lengths for a histogram: contiguous buckets from the one
/// holding the shortest cycle to the one holding the longest (empty ones
/// kept). Negative values (there should be none) fall in the lowest bucket.
pub fn histogram(values: &[i64]) -> Vec<Bucket> {
    let (Some(&min), Some(&max)) = (values.iter().min(), values.iter().max()) else {
        return Vec::new();
    };
    let min = min.max(0);
    let max = max.max(0);
    let width = WIDTHS
        .iter()
        .copied()
        .find(|w| max / w - min / w < MAX_BUCKETS)
        .unwrap_or_else(|| ((max - min) / MAX_BUCKETS + 1).max(1));
    let first = min / width;
    let last = max / width;
    let mut counts = vec![0usize; (last - first + 1) as usize];
    for v in values {
        counts[(v.max(&0) / width - first) as usize] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| {
            let low = (first + i as i64) * width;
            let label = if width == 1 {
                low.to_string()
            } else {
                format!("{low}–{}", low + width - 1)
            };
            Bucket { label, count }
        })
        .collect()
}

/// Target periods charted at most.
pub const TARGET_CHARTS: usize = 3;

/// Whether a target period (`2024`, `2024-Q2`, `2024-06`) holds the day
/// (`YYYY-MM-DD`).
pub fn period_holds(period: &str, day: &str) -> bool {
    let (Some(year), Some(month)) = (day.get(..4), day.get(5..7)) else {
        return false;
    };
    match period.split_once('-') {
        None => period == year,
        Some((y, q)) if q.starts_with('Q') => {
            let quarter = month.parse::<u32>().map_or(0, |m| m.div_ceil(3));
            y == year && q[1..].parse::<u32>().ok() == Some(quarter)
        }
        Some(_) => day.get(..7) == Some(period),
    }
}

/// The target periods to chart, as (period, first row, rows) over runs of
/// equal periods in `periods` (the targets' rows, sorted by period): the
/// periods holding the as-of date, else the last ones; at most
/// `TARGET_CHARTS`.
pub fn target_chart_groups(periods: &[&str], as_of: &str) -> Vec<(String, usize, usize)> {
    let mut groups: Vec<(String, usize, usize)> = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        match groups.last_mut() {
            Some((last, _, n)) if last == p => *n += 1,
            _ => groups.push((p.to_string(), i, 1)),
        }
    }
    let holding: Vec<(String, usize, usize)> = groups
        .iter()
        .filter(|g| period_holds(&g.0, as_of))
        .take(TARGET_CHARTS)
        .cloned()
        .collect();
    if holding.is_empty() {
        let skip = groups.len().saturating_sub(TARGET_CHARTS);
        groups.into_iter().skip(skip).collect()
    } else {
        holding
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_values() {
        assert_eq!(Val::Int(1234567).display(), "1,234,567");
        assert_eq!(Val::Int(-12).display(), "-12");
        assert_eq!(Val::Money(1234567.89).display(), "¥1,234,568");
        assert_eq!(Val::Money(999.4).display(), "¥999");
        assert_eq!(Val::Money(-0.2).display(), "¥0");
        assert_eq!(Val::Rate(0.12345).display(), "12.3%");
        assert_eq!(Val::Rate(1.0).display(), "100.0%");
        assert_eq!(Val::Decimal(-0.01).display(), "0.0");
        assert_eq!(Val::Score(1.23456).display(), "1.23");
        assert_eq!(Val::rate(None).display(), "—");
        assert_eq!(Val::rate(Some(f64::NAN)), Val::Null);
    }

    #[test]
    fn target_periods_hold_the_as_of_date() {
        assert!(period_holds("2024", "2024-06-30"));
        assert!(period_holds("2024-Q2", "2024-06-30"));
        assert!(!period_holds("2024-Q3", "2024-06-30"));
        assert!(period_holds("2024-06", "2024-06-30"));
        assert!(!period_holds("2024-05", "2024-06-30"));
        assert!(!period_holds("2023", "2024-06-30"));
        let periods = ["2024", "2024", "2024-Q1", "2024-Q2", "2024-Q2", "2024-06"];
        let groups = target_chart_groups(&periods, "2024-06-30");
        assert_eq!(
            groups,
            [
                ("2024".to_string(), 0, 2),
                ("2024-Q2".to_string(), 3, 2),
                ("2024-06".to_string(), 5, 1)
            ]
        );
        let past = target_chart_groups(&periods, "2025-01-31");
        assert_eq!(past.len(), 3);
        assert_eq!(past[0].0, "2024-Q1");
    }

    #[test]
    fn histogram_picks_readable_buckets() {
        assert!(histogram(&[]).is_empty());
        let h = histogram(&[3, 3, 5]);
        assert_eq!(h.len(), 3);
        assert_eq!(
            h[0],
            Bucket {
                label: "3".into(),
                count: 2
            }
        );
        let h = histogram(&[0, 29, 30, 200]);
        assert_eq!(h[0].label, "0–29");
        assert_eq!(h[0].count, 2);
        assert_eq!(h.iter().map(|b| b.count).sum::<usize>(), 4);
        assert!(h.len() <= 12);
        let h = histogram(&[0, 100_000]);
        assert!(h.len() <= 12 && h.iter().map(|b| b.count).sum::<usize>() == 2);
    }
}
