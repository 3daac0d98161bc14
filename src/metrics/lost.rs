//! Lost analysis (issue 5, beside metrics.md §1): lost deals of the funnel's
//! opportunities counted and summed by reason, by the stage they were lost
//! at, and by owner.

use polars::prelude::PolarsResult;

use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::{Opportunity, UNKNOWN_KEY};

use super::frames::{count_sum_by, yuan};
use super::period::Period;
use crate::report::summary::{LostAnalysis, LostRow};

/// Lost deals per key, by count descending, then key.
fn rows(keys: Vec<String>, amounts: Vec<i64>) -> PolarsResult<Vec<LostRow>> {
    let mut out: Vec<LostRow> = count_sum_by(keys.into_iter().zip(amounts))?
        .into_iter()
        .map(|(key, lost, cents)| LostRow {
            key,
            lost,
            lost_amount: yuan(cents),
        })
        .collect();
    out.sort_by(|a, b| b.lost.cmp(&a.lost).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}

/// The lost analysis over the opportunities of the period's cohort.
pub fn lost_analysis(
    opps: &[Opportunity],
    pipeline: &Pipeline,
    period: Option<&Period>,
) -> PolarsResult<LostAnalysis> {
    let lost: Vec<&Opportunity> = opps
        .iter()
        .filter(|o| o.current().is_some() && o.current() == pipeline.lost())
        .filter(|o| period.is_none_or(|p| o.start.is_some_and(|s| p.contains(s))))
        .collect();
    let amounts: Vec<i64> = lost.iter().map(|o| o.amount.unwrap_or(0)).collect();
    let key = |v: Option<String>| {
        v.filter(|s| !s.is_empty())
            .unwrap_or_else(|| UNKNOWN_KEY.to_string())
    };
    Ok(LostAnalysis {
        by_reason: rows(
            lost.iter()
                .map(|o| key(o.lost_reason.as_deref().map(str::to_string)))
                .collect(),
            amounts.clone(),
        )?,
        by_stage: rows(
            lost.iter()
                .map(|o| key(o.lost_at().map(|s| pipeline.code(s).to_string())))
                .collect(),
            amounts.clone(),
        )?,
        by_owner: rows(lost.iter().map(|o| o.owner.to_string()).collect(), amounts)?,
    })
}
