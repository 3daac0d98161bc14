//! Collections (metrics.md §10): collected amount against signed amount
//! (回款率), overall and per rep, for won deals signed up to the as-of date,
//! whatever the report period. The collected amount is read from the same
//! row as the deal (the opportunity row, or the customer row without an
//! opportunities table); see `Opportunity::collected`. When no input sheet
//! has a collected-amount column at all, nothing is known about collections:
//! the rates are null (shown as —) rather than a misleading 0 %.

use chrono::NaiveDate;
use polars::prelude::*;

use crm_core::dataset::Dataset;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;
use crm_core::schema::Field;

use super::frames::{int_at, ratio, str_at, yuan};
use crate::report::summary::{CollectionRow, Collections};

/// The `collections` section.
pub fn collections(
    ds: &Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    as_of: NaiveDate,
) -> PolarsResult<Collections> {
    let won: Vec<&Opportunity> = opps
        .iter()
        .filter(|o| o.current() == Some(pipeline.won()) && o.signed.is_some_and(|d| d <= as_of))
        .collect();
    let df = DataFrame::new(
        won.len(),
        vec![
            Column::new(
                "owner".into(),
                won.iter().map(|o| &*o.owner).collect::<Vec<&str>>(),
            ),
            Column::new(
                "signed".into(),
                won.iter()
                    .map(|o| o.amount.unwrap_or(0))
                    .collect::<Vec<i64>>(),
            ),
            Column::new(
                "collected".into(),
                won.iter()
                    .map(|o| o.collected.unwrap_or(0))
                    .collect::<Vec<i64>>(),
            ),
        ],
    )?;
    let g = df
        .lazy()
        .group_by([col("owner")])
        .agg([
            len().cast(DataType::Int64).alias("n"),
            col("signed").sum().alias("signed"),
            col("collected").sum().alias("collected"),
        ])
        .collect()?;
    let tracked = ds
        .column_names
        .keys()
        .any(|(_, _, f)| *f == Field::CollectedAmount);
    let rate =
        |collected: i64, signed: i64| ratio(collected as f64, signed as f64).filter(|_| tracked);
    let mut by_owner = Vec::with_capacity(g.height());
    let (mut signed_total, mut collected_total) = (0i64, 0i64);
    for i in 0..g.height() {
        let (signed, collected) = (int_at(&g, "signed", i)?, int_at(&g, "collected", i)?);
        signed_total += signed;
        collected_total += collected;
        by_owner.push(CollectionRow {
            key: str_at(&g, "owner", i)?,
            deals: int_at(&g, "n", i)? as usize,
            signed_amount: yuan(signed),
            collected_amount: yuan(collected),
            rate: rate(collected, signed),
        });
    }
    by_owner.sort_by(|a, b| {
        b.signed_amount
            .total_cmp(&a.signed_amount)
            .then_with(|| a.key.cmp(&b.key))
    });
    Ok(Collections {
        signed_amount: yuan(signed_total),
        collected_amount: yuan(collected_total),
        rate: rate(collected_total, signed_total),
        by_owner,
    })
}
