//! The pipeline half of the forward view (metrics.md §10): open
//! opportunities by current stage, weighted by the row's probability or the
//! stage default of the config, the expected closings of the as-of month and
//! the next two, and the deals that slipped past their expected close date.
//! Every open opportunity as of the as-of date counts, whatever the report
//! period: this looks ahead, it is not the period's cohort.

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use std::collections::HashMap;

use crm_core::config::Forecast as ForecastConfig;
use crm_core::normalize::date::iso_date;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;

use super::frames::{day_number, float_at, int_at, ratio, str_at, yuan};
use super::order::name_key;
use super::period::month_key;
use crate::report::summary::{ExpectedMonth, Forecast, ForecastStage, Slipped, SlippedDeal};

/// Column names of the open-deal frame.
mod col_name {
    /// Stage index.
    pub const STAGE: &str = "stage";
    /// Amount in cents (0 when missing).
    pub const AMOUNT: &str = "amount";
    /// 1 when the deal has an amount above 0.
    pub const WITH_AMOUNT: &str = "with_amount";
    /// Probability used for weighting.
    pub const PROBABILITY: &str = "probability";
    /// `YYYY-MM` of the expected close date (null without one).
    pub const MONTH: &str = "month";
}

/// Number of months of `forecast.expected`: the as-of month and the next two.
const EXPECTED_MONTHS: usize = 3;

/// True for an opportunity whose current stage is neither won nor lost.
pub fn is_open(o: &Opportunity, pipeline: &Pipeline) -> bool {
    o.current()
        .is_some_and(|c| c != pipeline.won() && Some(c) != pipeline.lost())
}

/// The probability an open deal is weighted with: its own, else its stage's
/// default, else 0 (a custom stage the config gives no default for).
fn probability(o: &Opportunity, defaults: &[Option<f64>]) -> f64 {
    o.probability
        .or_else(|| o.current().and_then(|c| defaults.get(c).copied().flatten()))
        .unwrap_or(0.0)
}

/// The open-deal frame: one row per open opportunity.
fn open_frame(open: &[&Opportunity], defaults: &[Option<f64>]) -> PolarsResult<DataFrame> {
    let columns = vec![
        Column::new(
            col_name::STAGE.into(),
            open.iter()
                .map(|o| o.current().unwrap_or(0) as i64)
                .collect::<Vec<i64>>(),
        ),
        Column::new(
            col_name::AMOUNT.into(),
            open.iter()
                .map(|o| o.amount.unwrap_or(0))
                .collect::<Vec<i64>>(),
        ),
        Column::new(
            col_name::WITH_AMOUNT.into(),
            open.iter()
                .map(|o| i64::from(o.amount.is_some_and(|a| a > 0)))
                .collect::<Vec<i64>>(),
        ),
        Column::new(
            col_name::PROBABILITY.into(),
            open.iter()
                .map(|o| probability(o, defaults))
                .collect::<Vec<f64>>(),
        ),
        Column::new(
            col_name::MONTH.into(),
            open.iter()
                .map(|o| o.expected_close.map(month_key))
                .collect::<Vec<Option<String>>>(),
        ),
    ];
    DataFrame::new(open.len(), columns)
}

/// Count, amount (cents), weighted amount (cents) and deals with an amount.
fn sums() -> [Expr; 4] {
    [
        len().cast(DataType::Int64).alias("n"),
        col(col_name::AMOUNT).sum().alias("amount"),
        (col(col_name::AMOUNT).cast(DataType::Float64) * col(col_name::PROBABILITY))
            .sum()
            .alias("weighted"),
        col(col_name::WITH_AMOUNT).sum().alias("with_amount"),
    ]
}

/// Aggregated figures of one group.
#[derive(Debug, Default, Clone, Copy)]
struct Sums {
    n: usize,
    cents: i64,
    weighted_cents: f64,
    with_amount: usize,
}

/// Reads row `i` of a frame aggregated with `sums()`.
fn sums_at(df: &DataFrame, i: usize) -> PolarsResult<Sums> {
    Ok(Sums {
        n: int_at(df, "n", i)? as usize,
        cents: int_at(df, "amount", i)?,
        weighted_cents: float_at(df, "weighted", i)?.unwrap_or(0.0),
        with_amount: int_at(df, "with_amount", i)? as usize,
    })
}

/// The as-of month and the months after it, as `YYYY-MM`.
fn months_from(as_of: NaiveDate, n: usize) -> Vec<String> {
    let (mut y, mut m) = (as_of.year(), as_of.month());
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The `forecast` section.
pub fn forecast(
    opps: &[Opportunity],
    pipeline: &Pipeline,
    config: &ForecastConfig,
    as_of: NaiveDate,
) -> PolarsResult<Forecast> {
    let defaults: Vec<Option<f64>> = (0..pipeline.stages.len())
        .map(|i| config.stage_probability.get(pipeline.code(i)).copied())
        .collect();
    let open: Vec<&Opportunity> = opps.iter().filter(|o| is_open(o, pipeline)).collect();
    let df = open_frame(&open, &defaults)?;

    let totals = sums_at(&df.clone().lazy().select(sums()).collect()?, 0)?;

    let per_stage = df
        .clone()
        .lazy()
        .group_by([col(col_name::STAGE)])
        .agg(sums())
        .collect()?;
    let mut stage_sums: HashMap<usize, Sums> = HashMap::new();
    for i in 0..per_stage.height() {
        stage_sums.insert(
            int_at(&per_stage, col_name::STAGE, i)? as usize,
            sums_at(&per_stage, i)?,
        );
    }
    let by_stage = pipeline
        .funnel()
        .into_iter()
        .filter(|&s| s != pipeline.won())
        .map(|s| {
            let g = stage_sums.get(&s).copied().unwrap_or_default();
            ForecastStage {
                code: pipeline.code(s).to_string(),
                label: pipeline.label(s).to_string(),
                open: g.n,
                open_amount: yuan(g.cents),
                probability: defaults[s],
                weighted_amount: g.weighted_cents / 100.0,
            }
        })
        .collect();

    let months = months_from(as_of, EXPECTED_MONTHS);
    let per_month = df
        .lazy()
        .filter(col(col_name::MONTH).is_not_null())
        .group_by([col(col_name::MONTH)])
        .agg(sums())
        .collect()?;
    let mut month_sums: HashMap<String, Sums> = HashMap::new();
    for i in 0..per_month.height() {
        month_sums.insert(
            str_at(&per_month, col_name::MONTH, i)?,
            sums_at(&per_month, i)?,
        );
    }
    let expected = months
        .into_iter()
        .map(|month| {
            let g = month_sums.get(&month).copied().unwrap_or_default();
            ExpectedMonth {
                month,
                count: g.n,
                amount: yuan(g.cents),
                weighted_amount: g.weighted_cents / 100.0,
            }
        })
        .collect();

    Ok(Forecast {
        open: totals.n,
        open_amount: yuan(totals.cents),
        weighted_amount: totals.weighted_cents / 100.0,
        avg_open_amount: ratio(yuan(totals.cents), totals.with_amount as f64),
        by_stage,
        expected,
        slipped: slipped(&open, pipeline, as_of),
    })
}

/// Open deals whose expected close date is before the as-of date, by that
/// date, then customer.
fn slipped(open: &[&Opportunity], pipeline: &Pipeline, as_of: NaiveDate) -> Slipped {
    let mut deals: Vec<(&Opportunity, NaiveDate)> = open
        .iter()
        .filter_map(|o| Some((*o, o.expected_close.filter(|d| *d < as_of)?)))
        .collect();
    deals.sort_by_cached_key(|(o, d)| (day_number(*d), name_key(&o.customer_name)));
    let list: Vec<SlippedDeal> = deals
        .iter()
        .map(|(o, d)| SlippedDeal {
            customer: o.customer_name.to_string(),
            owner: o.owner.to_string(),
            stage: o
                .current()
                .map(|c| pipeline.code(c))
                .unwrap_or_default()
                .to_string(),
            amount: o.amount.map(yuan),
            expected_close_date: iso_date(*d),
            days_slipped: (as_of - *d).num_days(),
        })
        .collect();
    Slipped {
        count: list.len(),
        amount: yuan(deals.iter().map(|(o, _)| o.amount.unwrap_or(0)).sum()),
        list: list.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn three_months_across_a_year_end() {
        assert_eq!(
            months_from(d(2024, 11, 30), 3),
            ["2024-11", "2024-12", "2025-01"]
        );
    }

    #[test]
    fn row_probability_wins_over_the_stage_default() {
        let o = |current, probability| Opportunity {
            customer: None,
            customer_name: "".into(),
            owner: "".into(),
            source: "".into(),
            industry: "".into(),
            grade: "".into(),
            start: None,
            signed: None,
            expected_close: None,
            current,
            furthest: None,
            amount: None,
            probability,
            collected: None,
            lost_reason: None,
            lost_at: None,
            history: Box::default(),
        };
        let defaults = [Some(0.1), None];
        assert_eq!(probability(&o(Some(0), Some(0.8)), &defaults), 0.8);
        assert_eq!(probability(&o(Some(0), None), &defaults), 0.1);
        assert_eq!(probability(&o(Some(1), None), &defaults), 0.0);
    }
}
