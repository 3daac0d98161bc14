//! Per team (metrics.md §6): with a roster, the per-rep figures summed per
//! team, rates recomputed from the sums; the cycle median and win rate come
//! from the team's own opportunities. Reps missing from the roster are
//! counted under `未知`.

use polars::prelude::*;
use std::collections::BTreeMap;

use crm_core::dataset::Dataset;
use crm_core::opportunity::UNKNOWN_KEY;
use crm_core::schema::Field;

use super::frames::{opp, ratio, KeyCoder, KeyColumn, OpportunityFrame};
use crate::report::summary::RepRow;

/// Column of the opportunity frame that holds the team.
const TEAM: &str = "team";

/// The team of each rep, from the roster (the first row naming the rep wins).
pub fn roster_teams(ds: &Dataset) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for r in &ds.roster {
        if let (Some(owner), Some(team)) = (r.text(Field::Owner), r.text(Field::Team)) {
            if !owner.is_empty() && !team.is_empty() {
                out.entry(owner.to_string())
                    .or_insert_with(|| team.to_string());
            }
        }
    }
    out
}

/// Team rows, by won amount descending, then team; empty without a roster.
pub fn teams(ds: &Dataset, reps: &[RepRow], frame: &OpportunityFrame) -> PolarsResult<Vec<RepRow>> {
    let team_of = roster_teams(ds);
    if team_of.is_empty() {
        return Ok(Vec::new());
    }
    let team = |owner: &str| {
        team_of
            .get(owner)
            .cloned()
            .unwrap_or_else(|| UNKNOWN_KEY.to_string())
    };
    // The team of each owner code, as a code of its own.
    let owners = frame.key(opp::OWNER);
    let mut coder = KeyCoder::new();
    let team_codes: Vec<u32> = owners
        .texts
        .iter()
        .map(|owner| coder.code(team(owner), |t| t.clone()))
        .collect();
    let teams = coder.into_texts();
    let owner_codes = frame.df.column(opp::OWNER)?.u32()?;
    let codes: Vec<Option<u32>> = owner_codes
        .iter()
        .map(|c| c.and_then(|c| team_codes.get(usize::try_from(c).ok()?).copied()))
        .collect();
    let mut with_team = frame.df.clone();
    with_team.with_column(Column::new(TEAM.into(), codes))?;
    let key = KeyColumn {
        name: TEAM,
        texts: &teams,
    };
    let funnel = super::funnel::breakdown(&with_team, key)?;
    let cycle = super::cycle::grouped(&with_team, key)?;
    let mut sums: BTreeMap<String, RepRow> = BTreeMap::new();
    // Completeness is an average over customers: carry filled shares × customers.
    let mut filled: BTreeMap<String, f64> = BTreeMap::new();
    for r in reps {
        let key = team(&r.owner);
        *filled.entry(key.clone()).or_default() +=
            r.completeness.unwrap_or(0.0) * r.customers as f64;
        let t = sums.entry(key.clone()).or_insert_with(|| empty_row(&key));
        t.customers += r.customers;
        t.opportunities += r.opportunities;
        t.won += r.won;
        t.lost += r.lost;
        t.open += r.open;
        t.won_amount += r.won_amount;
        t.followups += r.followups;
        t.tracked += r.tracked;
        t.overdue += r.overdue;
    }
    let mut out: Vec<RepRow> = sums
        .into_values()
        .map(|mut t| {
            t.win_rate = funnel
                .iter()
                .find(|f| f.key == t.owner)
                .and_then(|f| f.win_rate);
            t.followups_per_customer = ratio(t.followups as f64, t.customers as f64);
            t.cycle_median_days = cycle
                .iter()
                .find(|c| c.key == t.owner)
                .and_then(|c| c.median);
            t.cadence_compliance = ratio((t.tracked - t.overdue) as f64, t.tracked as f64);
            t.completeness = ratio(
                filled.get(&t.owner).copied().unwrap_or(0.0),
                t.customers as f64,
            );
            t
        })
        .collect();
    out.sort_by(|a, b| {
        b.won_amount
            .total_cmp(&a.won_amount)
            .then_with(|| a.owner.cmp(&b.owner))
    });
    Ok(out)
}

/// A team row with zeros.
fn empty_row(team: &str) -> RepRow {
    RepRow {
        owner: team.to_string(),
        customers: 0,
        opportunities: 0,
        won: 0,
        lost: 0,
        open: 0,
        won_amount: 0.0,
        win_rate: None,
        followups: 0,
        followups_per_customer: None,
        cycle_median_days: None,
        tracked: 0,
        overdue: 0,
        cadence_compliance: None,
        completeness: None,
    }
}
