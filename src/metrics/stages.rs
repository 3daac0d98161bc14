//! Time in stage (issue 5): from the dated stage history of an opportunity
//! (follow-up rows that carry a stage), the stays in each stage — the latest
//! stay and the cumulative stay with re-entries added — and the open
//! opportunities stalled longer than their stage's threshold.
//!
//! A stay starts on the date of the first history entry of a run of the
//! same stage and ends on the date of the next entry with another stage, or
//! on the as-of date for the last run. Stays in won and lost are not counted.

use chrono::NaiveDate;
use polars::prelude::*;
use std::cmp::Reverse;
use std::collections::BTreeMap;

use crm_core::config::Stall;
use crm_core::model::Text;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;

use super::frames::{float_at, int_at, owned_column};
use super::order::name_key;
use crate::report::summary::{StageStay, StalledRow, TimeInStage};

/// The runs of one history: (stage, first date, days until the next run or the as-of date).
pub fn stays(history: &[(NaiveDate, usize)], as_of: NaiveDate) -> Vec<(usize, NaiveDate, i64)> {
    let mut runs: Vec<(usize, NaiveDate)> = Vec::new();
    for &(d, s) in history {
        if runs.last().is_none_or(|(last, _)| *last != s) {
            runs.push((s, d));
        }
    }
    runs.iter()
        .enumerate()
        .map(|(i, &(s, start))| {
            let end = runs.get(i + 1).map_or(as_of, |(_, next)| *next);
            (s, start, (end - start).num_days().max(0))
        })
        .collect()
}

/// Time in stage over every opportunity with a dated history.
pub fn time_in_stage(
    opps: &[Opportunity],
    pipeline: &Pipeline,
    stall: &Stall,
    as_of: NaiveDate,
) -> PolarsResult<TimeInStage> {
    let won = pipeline.won();
    let counted = |s: usize| s != won && pipeline.order(s).is_some();
    // Per (opportunity, stage): the stage's place in the stage table (a
    // number per row: millions of rows, a dozen stages), its latest and
    // its cumulative stay.
    let (mut stage_of, mut latest, mut cumulative) = (Vec::new(), Vec::new(), Vec::new());
    let mut stalled = Vec::new();
    let mut with_history = 0;
    let mut per_stage: BTreeMap<usize, (i64, i64)> = BTreeMap::new();
    for o in opps.iter().filter(|o| !o.history.is_empty()) {
        with_history += 1;
        let runs = stays(&o.history, as_of);
        per_stage.clear();
        for &(s, _, days) in runs.iter().filter(|(s, _, _)| counted(*s)) {
            let e = per_stage.entry(s).or_default();
            e.0 = days;
            e.1 += days;
        }
        for (&s, &(last, total)) in &per_stage {
            // A stage table has far fewer than 2^32 stages.
            stage_of.push(s as u32);
            latest.push(last);
            cumulative.push(total);
        }
        let open = o.current().is_some_and(counted);
        if let (true, Some(&(s, _, days))) = (open, runs.last()) {
            let threshold = stall.threshold(pipeline.code(s));
            if Some(s) == o.current() && days > threshold {
                stalled.push((o, s, days, threshold));
            }
        }
    }
    // Longest stays first, then by customer.
    stalled.sort_by_cached_key(|(o, _, days, _)| (Reverse(*days), name_key(&o.customer_name)));
    // Each stage's code made once: most stalled rows share a few stages.
    let mut codes: BTreeMap<usize, Text> = BTreeMap::new();
    let stalled: Vec<StalledRow> = stalled
        .into_iter()
        .map(|(o, s, days, threshold)| StalledRow {
            customer: o.customer_name.clone(),
            owner: o.owner.clone(),
            stage: codes
                .entry(s)
                .or_insert_with(|| Text::from(pipeline.code(s)))
                .clone(),
            days_in_stage: days,
            threshold,
        })
        .collect();
    let n = stage_of.len();
    let df = DataFrame::new(
        n,
        vec![
            owned_column("stage", stage_of),
            owned_column("latest", latest),
            owned_column("cumulative", cumulative),
        ],
    )?;
    let f = |name: &str| col(name).cast(DataType::Float64);
    let g = df
        .lazy()
        .group_by([col("stage")])
        .agg([
            len().cast(DataType::Int64).alias("n"),
            f("latest")
                .quantile(lit(0.5), QuantileMethod::Linear)
                .alias("latest_median"),
            f("latest").mean().alias("latest_mean"),
            f("cumulative")
                .quantile(lit(0.5), QuantileMethod::Linear)
                .alias("cumulative_median"),
            f("cumulative").mean().alias("cumulative_mean"),
        ])
        .collect()?;
    let mut stages = Vec::new();
    for s in pipeline.funnel().into_iter().filter(|s| counted(*s)) {
        let code = pipeline.code(s);
        let mut row = StageStay {
            code: code.to_string(),
            label: pipeline.label(s).to_string(),
            n: 0,
            latest_median: None,
            latest_mean: None,
            cumulative_median: None,
            cumulative_mean: None,
        };
        for i in 0..g.height() {
            if usize::try_from(int_at(&g, "stage", i)?) == Ok(s) {
                row.n = int_at(&g, "n", i)? as usize;
                row.latest_median = float_at(&g, "latest_median", i)?;
                row.latest_mean = float_at(&g, "latest_mean", i)?;
                row.cumulative_median = float_at(&g, "cumulative_median", i)?;
                row.cumulative_mean = float_at(&g, "cumulative_mean", i)?;
            }
        }
        stages.push(row);
    }
    Ok(TimeInStage {
        with_history,
        stages,
        stalled: stalled.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, m, day).unwrap()
    }

    #[test]
    fn runs_collapse_and_end_at_the_next_change() {
        // lead 03-01, lead 03-05, qualify 03-11, lead 03-20 (re-entry), as-of 03-31
        let h = [(d(3, 1), 0), (d(3, 5), 0), (d(3, 11), 1), (d(3, 20), 0)];
        assert_eq!(
            stays(&h, d(3, 31)),
            vec![(0, d(3, 1), 10), (1, d(3, 11), 9), (0, d(3, 20), 11)]
        );
        assert_eq!(stays(&[], d(3, 31)), vec![]);
    }
}
