//! The funnel (metrics.md §1): current and reached per stage, conversion to
//! the next stage, won / lost / open, win rate, overall conversion, amounts,
//! and the same counts broken down by source, industry, owner, grade and
//! start month. Input is the opportunity frame of `frames`.

use polars::prelude::*;

use crm_core::normalize::stage::Pipeline;

use super::frames::{int_at, opp, ratio, yuan, KeyColumn, OpportunityFrame};
use crate::report::summary::{Funnel, FunnelBreakdown, StageRow};

/// Sum of an integer-like expression as i64.
fn isum(e: Expr) -> Expr {
    e.cast(DataType::Int64).sum()
}

/// Won amount in cents.
fn won_amount() -> Expr {
    isum(
        when(col(opp::WON))
            .then(col(opp::AMOUNT))
            .otherwise(lit(0i64)),
    )
}

/// The funnel over the known-stage opportunities of `frame`.
pub fn funnel(
    frame: &OpportunityFrame,
    pipeline: &Pipeline,
    no_start_date: usize,
) -> PolarsResult<Funnel> {
    let df = &frame.df;
    let stages = pipeline.funnel();
    let known = df.clone().lazy().filter(col(opp::KNOWN));
    let mut aggs = vec![
        len().cast(DataType::Int64).alias("n"),
        isum(col(opp::WON)).alias("won"),
        isum(col(opp::LOST)).alias("lost"),
        won_amount().alias("won_amount"),
        isum(
            when(col(opp::LOST))
                .then(col(opp::AMOUNT))
                .otherwise(lit(0i64)),
        )
        .alias("lost_amount"),
        isum(
            when(col(opp::WON).or(col(opp::LOST)))
                .then(lit(0i64))
                .otherwise(col(opp::AMOUNT)),
        )
        .alias("open_amount"),
        isum(col(opp::WON).and(col(opp::AMOUNT).gt(lit(0i64)))).alias("won_with_amount"),
    ];
    for k in 1..=stages.len() {
        aggs.push(isum(col(opp::FURTHEST).gt_eq(lit(k as i64))).alias(format!("reached_{k}")));
        aggs.push(isum(col(opp::CURRENT).eq(lit(k as i64))).alias(format!("current_{k}")));
    }
    let totals = known.select(aggs).collect()?;
    let get = |name: &str| int_at(&totals, name, 0);
    let reached: Vec<i64> = (1..=stages.len())
        .map(|k| get(&format!("reached_{k}")))
        .collect::<PolarsResult<_>>()?;
    let mut rows = Vec::new();
    for (k, &stage) in stages.iter().enumerate() {
        rows.push(StageRow {
            code: pipeline.code(stage).to_string(),
            label: pipeline.label(stage).to_string(),
            current: get(&format!("current_{}", k + 1))? as usize,
            reached: reached[k] as usize,
            conversion_to_next: reached
                .get(k + 1)
                .and_then(|next| ratio(*next as f64, reached[k] as f64)),
        });
    }
    let (n, won, lost) = (get("n")?, get("won")?, get("lost")?);
    let won_cents = get("won_amount")?;
    Ok(Funnel {
        stages: rows,
        won: won as usize,
        lost: lost as usize,
        open: (n - won - lost) as usize,
        unknown_stage: df.height().saturating_sub(n as usize),
        no_start_date,
        win_rate: ratio(won as f64, (won + lost) as f64),
        overall_conversion: ratio(won as f64, reached.first().copied().unwrap_or(0) as f64),
        won_amount: yuan(won_cents),
        lost_amount: yuan(get("lost_amount")?),
        open_amount: yuan(get("open_amount")?),
        avg_won_amount: ratio(yuan(won_cents), get("won_with_amount")? as f64),
        by_source: breakdown(df, frame.key(opp::SOURCE))?,
        by_industry: breakdown(df, frame.key(opp::INDUSTRY))?,
        by_owner: breakdown(df, frame.key(opp::OWNER))?,
        by_grade: breakdown(df, frame.key(opp::GRADE))?,
        by_start_month: breakdown(df, frame.key(opp::START_MONTH))?,
    })
}

/// Funnel counts per value of `key`, sorted by opportunities descending, then key.
pub fn breakdown(df: &DataFrame, key: KeyColumn) -> PolarsResult<Vec<FunnelBreakdown>> {
    let g = df
        .clone()
        .lazy()
        .filter(col(opp::KNOWN))
        .group_by([col(key.name)])
        .agg([
            len().cast(DataType::Int64).alias("n"),
            isum(col(opp::WON)).alias("won"),
            isum(col(opp::LOST)).alias("lost"),
            isum(col(opp::FURTHEST).gt_eq(lit(1i64))).alias("reached_1"),
            won_amount().alias("won_amount"),
        ])
        .collect()?;
    let mut out = Vec::with_capacity(g.height());
    for i in 0..g.height() {
        let (n, won, lost) = (
            int_at(&g, "n", i)?,
            int_at(&g, "won", i)?,
            int_at(&g, "lost", i)?,
        );
        out.push(FunnelBreakdown {
            key: key.text_at(&g, i)?,
            opportunities: n as usize,
            won: won as usize,
            lost: lost as usize,
            open: (n - won - lost) as usize,
            win_rate: ratio(won as f64, (won + lost) as f64),
            overall_conversion: ratio(won as f64, int_at(&g, "reached_1", i)? as f64),
            won_amount: yuan(int_at(&g, "won_amount", i)?),
        });
    }
    out.sort_by(|a, b| {
        b.opportunities
            .cmp(&a.opportunities)
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(out)
}
