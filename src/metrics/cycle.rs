//! Sales cycle (metrics.md §2): calendar days from start to signing of won
//! opportunities; n, mean, median, p90 (linear interpolation), min, max,
//! overall and per owner, source, industry section and grade.

use polars::prelude::*;

use super::frames::{float_at, int_at, opp, KeyColumn, OpportunityFrame};
use crate::report::summary::{Cycle, CycleGroup};

/// The statistics expressions over the cycle column.
fn stats() -> Vec<Expr> {
    let c = || col(opp::CYCLE).cast(DataType::Float64);
    vec![
        col(opp::CYCLE).count().cast(DataType::Int64).alias("n"),
        c().mean().alias("mean"),
        c().quantile(lit(0.5), QuantileMethod::Linear)
            .alias("median"),
        c().quantile(lit(0.9), QuantileMethod::Linear).alias("p90"),
        col(opp::CYCLE).min().alias("min"),
        col(opp::CYCLE).max().alias("max"),
    ]
}

/// Cycle statistics over the opportunity frame (cycles are null where not computable).
pub fn cycle(frame: &OpportunityFrame) -> PolarsResult<Cycle> {
    let df = &frame.df;
    let with_cycle = df.clone().lazy().filter(col(opp::CYCLE).is_not_null());
    let t = with_cycle.clone().select(stats()).collect()?;
    let n = int_at(&t, "n", 0)? as usize;
    let values = with_cycle
        .select([col(opp::CYCLE)])
        .sort([opp::CYCLE], SortMultipleOptions::default())
        .collect()?;
    let ca = values.column(opp::CYCLE)?.i64()?;
    let values: Vec<i64> = (0..ca.len()).filter_map(|i| ca.get(i)).collect();
    let opt_int = |name: &str| -> PolarsResult<Option<i64>> {
        Ok(if n == 0 {
            None
        } else {
            Some(int_at(&t, name, 0)?)
        })
    };
    Ok(Cycle {
        n,
        mean: float_at(&t, "mean", 0)?,
        median: float_at(&t, "median", 0)?,
        p90: float_at(&t, "p90", 0)?,
        min: opt_int("min")?,
        max: opt_int("max")?,
        values,
        by_owner: grouped(df, frame.key(opp::OWNER))?,
        by_source: grouped(df, frame.key(opp::SOURCE))?,
        by_industry: grouped(df, frame.key(opp::INDUSTRY))?,
        by_grade: grouped(df, frame.key(opp::GRADE))?,
    })
}

/// Cycle statistics per value of `key`, by n descending, then key.
pub fn grouped(df: &DataFrame, key: KeyColumn) -> PolarsResult<Vec<CycleGroup>> {
    let g = df
        .clone()
        .lazy()
        .filter(col(opp::CYCLE).is_not_null())
        .group_by([col(key.name)])
        .agg(stats())
        .collect()?;
    let mut out = Vec::with_capacity(g.height());
    for i in 0..g.height() {
        out.push(CycleGroup {
            key: key.text_at(&g, i)?,
            n: int_at(&g, "n", i)? as usize,
            mean: float_at(&g, "mean", i)?,
            median: float_at(&g, "median", i)?,
            p90: float_at(&g, "p90", i)?,
        });
    }
    out.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}
