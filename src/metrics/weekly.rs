//! Weekly activity (metrics.md §10): follow-ups per ISO week (`2024-W23`),
//! rep and method, for the eight ISO weeks up to and including the as-of
//! date's week. Follow-ups after the as-of date have not happened and are
//! left out; so are zero counts. Also the follow-up helpers the to-do list
//! shares: who a follow-up belongs to and which customer it is about.

use chrono::{Datelike, Duration, NaiveDate};
use polars::prelude::*;

use crm_core::dataset::Dataset;
use crm_core::dedup::{record_key, NamesCustomer};
use crm_core::followup::Followup;
use crm_core::model::Text;
use crm_core::schema::Field;
use crm_core::FastMap;

use super::cadence::{NO_NAME, UNASSIGNED_TEXT};
use super::frames::{ints, owned_column, KeyCoder};
use crate::report::summary::WeekRow;

/// ISO weeks shown, the as-of week included.
pub const WEEKS: i64 = 8;
/// Method key of a follow-up with no method.
pub const OTHER_METHOD: &str = "其他";

/// `2024-W23`: the ISO year and week of a date (2024-12-30 is `2025-W01`).
pub fn iso_week_key(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// The first day (a Monday) of the window of `WEEKS` ISO weeks ending with
/// the as-of date's week.
pub fn window_start(as_of: NaiveDate) -> NaiveDate {
    let monday = as_of - Duration::days(i64::from(as_of.weekday().num_days_from_monday()));
    monday - Duration::weeks(WEEKS - 1)
}

/// The rep of a follow-up: its own owner, else its customer's, else
/// `未分配` (the record's text, shared).
pub fn followup_owner<'a>(ds: &'a Dataset, f: &'a Followup) -> &'a Text {
    let own = f.shared_text(Field::Owner).filter(|s| !s.is_empty());
    let customer = || {
        f.customer()
            .and_then(|c| ds.customers[c].record.shared_text(Field::Owner))
            .filter(|s| !s.is_empty())
    };
    own.or_else(customer).unwrap_or(&UNASSIGNED_TEXT)
}

/// The customer name shown for a follow-up: its customer's, else its own
/// name or id ("" when there is none).
pub fn followup_customer<'a>(ds: &'a Dataset, f: &'a Followup) -> &'a Text {
    fn name(r: &impl NamesCustomer) -> Option<&Text> {
        r.customer_name().or_else(|| r.customer_id())
    }
    f.customer()
        .and_then(|c| name(&ds.customers[c].record))
        .or_else(|| name(f))
        .unwrap_or(&NO_NAME)
}

/// What groups the follow-ups of one customer: the linked customer, else
/// the dedup key of the name (or id), as a number given by
/// [`FollowupCustomers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowupCustomer {
    /// Linked to this customer.
    Linked(usize),
    /// Not linked: the number of the row's own dedup key (one for every
    /// row without a key).
    Unlinked(usize),
}

/// Gives follow-ups their [`FollowupCustomer`], computing the dedup key of
/// each distinct unlinked name and id once: a follow-up log read without
/// its customer list repeats its names on millions of rows.
#[derive(Debug, Default)]
pub struct FollowupCustomers<'a> {
    by_text: FastMap<(Option<&'a str>, Option<&'a str>), usize>,
    by_key: FastMap<String, usize>,
}

impl<'a> FollowupCustomers<'a> {
    /// The customer a follow-up groups under.
    pub fn of(&mut self, f: &'a Followup) -> FollowupCustomer {
        if let Some(c) = f.customer() {
            return FollowupCustomer::Linked(c);
        }
        let text = (f.text(Field::CustomerName), f.text(Field::CustomerId));
        if let Some(&k) = self.by_text.get(&text) {
            return FollowupCustomer::Unlinked(k);
        }
        let next = self.by_key.len();
        let key = record_key(f).unwrap_or_default();
        let k = *self.by_key.entry(key).or_insert(next);
        self.by_text.insert(text, k);
        FollowupCustomer::Unlinked(k)
    }
}

/// The `weekly_activity` rows, by week, owner, method. Each follow-up of
/// the window gives three codes (its week's place in the window, its
/// owner's and its method's): counting them in polars makes no text per
/// row (a million follow-ups in the window took a second so).
pub fn weekly_activity(ds: &Dataset, as_of: NaiveDate) -> PolarsResult<Vec<WeekRow>> {
    let start = window_start(as_of);
    let (mut owner_coder, mut method_coder) = (KeyCoder::<&str>::new(), KeyCoder::<&str>::new());
    let (mut weeks, mut owners, mut methods) = (Vec::new(), Vec::new(), Vec::new());
    for (f, date) in ds.followups.iter().zip(ds.followup_dates().iter()) {
        let Some(d) = *date else {
            continue;
        };
        if d < start || d > as_of {
            continue;
        }
        // Within the eight weeks of the window.
        weeks.push(((d - start).num_days() / 7) as u32);
        owners.push(owner_coder.code(followup_owner(ds, f).as_str(), |k| k.to_string()));
        let method = f.text(Field::Method).filter(|s| !s.is_empty());
        methods.push(method_coder.code(method.unwrap_or(OTHER_METHOD), |k| k.to_string()));
    }
    let df = DataFrame::new(
        weeks.len(),
        vec![
            owned_column("week", weeks),
            owned_column("owner", owners),
            owned_column("method", methods),
        ],
    )?;
    let g = df
        .lazy()
        .group_by([col("week"), col("owner"), col("method")])
        .agg([len().cast(DataType::Int64).alias("n")])
        .collect()?;
    let (owner_texts, method_texts) = (owner_coder.into_texts(), method_coder.into_texts());
    let text = |texts: &[String], code: i64| {
        let at = usize::try_from(code).unwrap_or(usize::MAX);
        texts.get(at).cloned().unwrap_or_default()
    };
    let (weeks, owners) = (ints(&g, "week")?, ints(&g, "owner")?);
    let (methods, counts) = (ints(&g, "method")?, ints(&g, "n")?);
    let mut out: Vec<WeekRow> = (0..g.height())
        .map(|i| WeekRow {
            week: iso_week_key(start + Duration::weeks(weeks[i])),
            owner: text(&owner_texts, owners[i]),
            method: text(&method_texts, methods[i]),
            count: usize::try_from(counts[i]).unwrap_or(0),
        })
        .collect();
    // Keys compare by code point (metrics.md §11): Rust's string order.
    out.sort_by(|a, b| (&a.week, &a.owner, &a.method).cmp(&(&b.week, &b.owner, &b.method)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_weeks_across_the_year_end() {
        assert_eq!(iso_week_key(d(2024, 12, 29)), "2024-W52");
        assert_eq!(iso_week_key(d(2024, 12, 30)), "2025-W01");
        assert_eq!(iso_week_key(d(2025, 1, 5)), "2025-W01");
        assert_eq!(iso_week_key(d(2021, 1, 3)), "2020-W53");
        assert_eq!(iso_week_key(d(2024, 6, 5)), "2024-W23");
    }

    #[test]
    fn window_is_eight_weeks_from_a_monday() {
        // 2025-01-02 is a Thursday of 2025-W01; its Monday is 2024-12-30;
        // seven weeks earlier is Monday 2024-11-11 (2024-W46).
        assert_eq!(window_start(d(2025, 1, 2)), d(2024, 11, 11));
        assert_eq!(iso_week_key(window_start(d(2025, 1, 2))), "2024-W46");
        // A Monday as-of date starts its own week.
        assert_eq!(window_start(d(2024, 6, 3)), d(2024, 4, 15));
    }
}
