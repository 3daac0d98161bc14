//! Monthly trend (metrics.md §9) and period activity: new opportunities,
//! follow-ups and won deals per calendar month, from the earliest start
//! month to the as-of month.

use chrono::{Datelike, NaiveDate};
use polars::prelude::PolarsResult;
use std::collections::HashMap;

use crm_core::dataset::Dataset;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;

use super::frames::{count_by_month, count_sum_by, yuan};
use super::period::{month_key, Period};
use crate::report::summary::{Activity, MonthRow};

/// Follow-up dates on or before the as-of date.
pub fn followup_dates(ds: &Dataset, as_of: NaiveDate) -> Vec<NaiveDate> {
    ds.followup_dates()
        .iter()
        .flatten()
        .filter(|d| **d <= as_of)
        .copied()
        .collect()
}

/// Won deals signed on or before the as-of date.
fn signed(opps: &[Opportunity], pipeline: &Pipeline, as_of: NaiveDate) -> Vec<(NaiveDate, i64)> {
    opps.iter()
        .filter(|o| o.current() == Some(pipeline.won()))
        .filter_map(|o| Some((o.signed?, o.amount.unwrap_or(0))))
        .filter(|(d, _)| *d <= as_of)
        .collect()
}

/// One row per month from the earliest start month to the as-of month.
pub fn monthly(
    ds: &Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    as_of: NaiveDate,
) -> PolarsResult<Vec<MonthRow>> {
    let Some(first) = opps.iter().filter_map(|o| o.start).min() else {
        return Ok(Vec::new());
    };
    let starts: Vec<NaiveDate> = opps.iter().filter_map(|o| o.start).collect();
    let new_by = count_by_month(&starts)?;
    let follow_by = count_by_month(&followup_dates(ds, as_of))?;
    let won = signed(opps, pipeline, as_of);
    let won_by: HashMap<String, (usize, i64)> =
        count_sum_by(won.iter().map(|(d, a)| (month_key(*d), *a)))?
            .into_iter()
            .map(|(k, n, s)| (k, (n, s)))
            .collect();
    let mut out = Vec::new();
    let (mut y, mut m) = (first.year(), first.month());
    while (y, m) <= (as_of.year(), as_of.month()) {
        let key = format!("{y:04}-{m:02}");
        let (won, amount) = won_by.get(&key).copied().unwrap_or((0, 0));
        out.push(MonthRow {
            new_opportunities: new_by.get(&key).copied().unwrap_or(0),
            followups: follow_by.get(&key).copied().unwrap_or(0),
            won,
            won_amount: yuan(amount),
            month: key,
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    Ok(out)
}

/// What happened in the period (everything up to the as-of date without one).
pub fn activity(
    ds: &Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    as_of: NaiveDate,
    period: Option<&Period>,
) -> Activity {
    let inside = |d: &NaiveDate| period.is_none_or(|p| p.contains(*d));
    let won: Vec<(NaiveDate, i64)> = signed(opps, pipeline, as_of)
        .into_iter()
        .filter(|(d, _)| inside(d))
        .collect();
    Activity {
        signed: won.len(),
        signed_amount: yuan(won.iter().map(|(_, a)| a).sum()),
        followups: followup_dates(ds, as_of)
            .iter()
            .filter(|d| inside(d))
            .count(),
    }
}
