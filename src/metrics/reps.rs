//! Per sales rep (metrics.md §6): customers owned, funnel counts, won
//! amount, follow-ups, cycle median, cadence and data completeness, one row
//! per owner (roster reps with no records listed with zeros).

use chrono::NaiveDate;
use polars::prelude::PolarsResult;
use std::collections::BTreeSet;

use crm_core::dataset::Dataset;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::{Opportunity, UNASSIGNED};
use crm_core::schema::Field;
use crm_core::tables::is_filled;
use crm_core::FastMap;

use super::cadence::CustomerCadence;
use super::frames::{count_sum_by, ratio, yuan};
use super::period::Period;
use crate::report::summary::{CycleGroup, FunnelBreakdown, RepRow};

/// The ten fields whose fill rate is a rep's completeness.
pub const COMPLETENESS_FIELDS: [Field; 10] = [
    Field::CustomerName,
    Field::Industry,
    Field::Source,
    Field::ContactName,
    Field::ContactTitle,
    Field::Phone,
    Field::NeedCore,
    Field::Budget,
    Field::Grade,
    Field::Stage,
];

/// Owner key of a record's owner text.
fn owner_of(text: Option<&str>) -> &str {
    text.filter(|s| !s.is_empty()).unwrap_or(UNASSIGNED)
}

/// Everything the per-rep table is assembled from.
pub struct RepInputs<'a> {
    /// The dataset.
    pub ds: &'a Dataset,
    /// All opportunities as of the as-of date.
    pub opps: &'a [Opportunity],
    /// Stage table.
    pub pipeline: &'a Pipeline,
    /// Funnel by owner (the period's cohort).
    pub by_owner: &'a [FunnelBreakdown],
    /// Cycle by owner.
    pub cycle_by_owner: &'a [CycleGroup],
    /// Cadence of tracked customers.
    pub cadence: &'a [CustomerCadence<'a>],
    /// As-of date.
    pub as_of: NaiveDate,
    /// Report period.
    pub period: Option<&'a Period>,
}

/// The per-rep rows, by won amount descending, then owner.
pub fn reps(x: &RepInputs) -> PolarsResult<Vec<RepRow>> {
    let ds = x.ds;
    let customer_owner: Vec<&str> = ds
        .customers
        .iter()
        .map(|c| owner_of(c.record.text(Field::Owner)))
        .collect();
    // Per owner: customers (the count) and their filled completeness fields (the sum).
    let customers = count_sum_by(customer_owner.iter().zip(&ds.customers).map(|(o, c)| {
        let filled = COMPLETENESS_FIELDS
            .iter()
            .filter(|f| is_filled(c.record.values.get(f)))
            .count();
        (*o, filled as i64)
    }))?;
    let inside = |d: NaiveDate| d <= x.as_of && x.period.is_none_or(|p| p.contains(d));
    let dates = ds.followup_dates();
    let followups = count_sum_by(
        ds.followups
            .iter()
            .zip(dates.iter())
            .filter(|(_, d)| d.is_some_and(inside))
            .map(
                |(f, _)| match f.text(Field::Owner).filter(|s| !s.is_empty()) {
                    Some(o) => (o, 0),
                    None => (f.customer().map_or(UNASSIGNED, |c| customer_owner[c]), 0),
                },
            ),
    )?;
    let won = x.pipeline.won();
    let activity_won = count_sum_by(
        x.opps
            .iter()
            .filter(|o| o.current() == Some(won) && o.signed.is_some_and(inside))
            .map(|o| (&*o.owner, o.amount.unwrap_or(0))),
    )?;
    let mut owners: BTreeSet<String> = BTreeSet::new();
    owners.extend(customers.iter().map(|r| r.0.clone()));
    owners.extend(followups.iter().map(|r| r.0.clone()));
    owners.extend(x.by_owner.iter().map(|r| r.key.clone()));
    owners.extend(
        ds.roster
            .iter()
            .filter_map(|r| r.text(Field::Owner))
            .map(str::to_string),
    );
    let find = |v: &[(String, usize, i64)], o: &str| {
        v.iter()
            .find(|r| r.0 == o)
            .map(|r| (r.1, r.2))
            .unwrap_or((0, 0))
    };
    // Looked up by owner only: a hash per customer, where an ordered map
    // compares owner names at every level of its tree (0.11-0.15 s
    // against 0.17-0.18 s for 1M customers).
    let mut cadence: FastMap<&str, (usize, usize)> = FastMap::default();
    for c in x.cadence {
        let e = cadence.entry(c.owner.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(c.days_overdue().is_some());
    }
    let mut out = Vec::new();
    for owner in owners {
        let funnel = x.by_owner.iter().find(|r| r.key == owner);
        let (n_customers, filled) = find(&customers, &owner);
        let (n_followups, _) = find(&followups, &owner);
        let (won, won_cents) = if x.period.is_some() {
            let (n, s) = find(&activity_won, &owner);
            (n, yuan(s))
        } else {
            funnel.map(|f| (f.won, f.won_amount)).unwrap_or((0, 0.0))
        };
        let lost = funnel.map_or(0, |f| f.lost);
        let (tracked, overdue) = cadence.get(owner.as_str()).copied().unwrap_or((0, 0));
        out.push(RepRow {
            customers: n_customers,
            opportunities: funnel.map_or(0, |f| f.opportunities),
            won,
            lost,
            open: funnel.map_or(0, |f| f.open),
            won_amount: won_cents,
            win_rate: funnel.and_then(|f| f.win_rate),
            followups: n_followups,
            followups_per_customer: ratio(n_followups as f64, n_customers as f64),
            cycle_median_days: x
                .cycle_by_owner
                .iter()
                .find(|c| c.key == owner)
                .and_then(|c| c.median),
            tracked,
            overdue,
            cadence_compliance: ratio((tracked - overdue) as f64, tracked as f64),
            completeness: ratio(
                filled as f64,
                (n_customers * COMPLETENESS_FIELDS.len()) as f64,
            ),
            owner,
        });
    }
    out.sort_by(|a, b| {
        b.won_amount
            .total_cmp(&a.won_amount)
            .then_with(|| a.owner.cmp(&b.owner))
    });
    Ok(out)
}
