//! Targets (metrics.md §10): per rep and per team, for each target period
//! that overlaps the report period (without one: the periods holding the
//! as-of date, i.e. the as-of month, quarter and year), the target, what was
//! signed in that period up to the as-of date, attainment and the share of
//! the period elapsed. A team's achievement is the sum over the reps the
//! roster puts in the team; a target row with a team and no owner is a team
//! target. Duplicate target rows of one rep (or team) and period add up.
//! Rows: by period (a year, then its quarters, then its months), reps before
//! teams, then name.

use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeSet, HashMap};

use crm_core::dataset::Dataset;
use crm_core::normalize::period::{parse_target_period, TargetPeriod};
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;
use crm_core::schema::Field;

use super::frames::{day_number, int_at, ratio, sum_by_key, yuan};
use super::period::Period;
use crate::report::summary::TargetRow;

/// Who a target belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Holder {
    /// A rep, by owner name.
    Rep(String),
    /// A team, by team name.
    Team(String),
}

/// One target row of the input, read.
#[derive(Debug, Clone)]
struct TargetInput {
    period: TargetPeriod,
    holder: Holder,
    cents: i64,
}

/// The readable, accepted target rows. A row with no period, no amount (or
/// a negative one) or neither owner nor team is no target; rows with an
/// unreadable period were already left out (`unreadable_period`).
fn target_inputs(ds: &Dataset) -> Vec<TargetInput> {
    let text = |r: &crm_core::model::Record, f: Field| {
        r.text(f).filter(|s| !s.is_empty()).map(str::to_string)
    };
    ds.targets
        .iter()
        .filter(|r| !r.rejected)
        .filter_map(|r| {
            let period = parse_target_period(r.text(Field::TargetPeriod)?)?;
            let cents = r.money(Field::TargetAmount).filter(|c| *c >= 0)?;
            let holder = match (text(r, Field::Owner), text(r, Field::Team)) {
                (Some(owner), _) => Holder::Rep(owner),
                (None, Some(team)) => Holder::Team(team),
                (None, None) => return None,
            };
            Some(TargetInput {
                period,
                holder,
                cents,
            })
        })
        .collect()
}

/// True when the target period is reported: it overlaps the report period,
/// or, without one, it holds the as-of date.
fn selected(p: &TargetPeriod, report: Option<&Period>, as_of: NaiveDate) -> bool {
    match report {
        Some(r) => p.from() <= r.to && r.from <= p.to(),
        None => p.from() <= as_of && as_of <= p.to(),
    }
}

/// Days of the period up to and including the as-of date over its days, 0–1.
pub fn elapsed_share(p: &TargetPeriod, as_of: NaiveDate) -> Option<f64> {
    let days = p.days();
    let elapsed = ((as_of - p.from()).num_days() + 1).clamp(0, days);
    ratio(elapsed as f64, days as f64)
}

/// Reps of each team, from the roster (owner + team rows).
fn team_members(ds: &Dataset) -> HashMap<String, BTreeSet<String>> {
    let mut out: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (owner, team) in super::teams::roster_teams(ds) {
        out.entry(team).or_default().insert(owner);
    }
    out
}

/// The target rows of the summary.
pub fn targets(
    ds: &Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    as_of: NaiveDate,
    report: Option<&Period>,
) -> PolarsResult<Vec<TargetRow>> {
    let inputs: Vec<TargetInput> = target_inputs(ds)
        .into_iter()
        .filter(|t| selected(&t.period, report, as_of))
        .collect();
    // One target per (period, holder), duplicates adding up; the set's order
    // is the output order (period, then reps before teams, then name).
    let ids: Vec<(TargetPeriod, Holder)> = inputs
        .iter()
        .map(|t| (t.period, t.holder.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let id_of: HashMap<(TargetPeriod, Holder), i64> = ids
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), i as i64))
        .collect();
    let target_cents: HashMap<i64, i64> = sum_by_key(
        inputs
            .iter()
            .map(|t| id_of[&(t.period, t.holder.clone())])
            .collect(),
        inputs.iter().map(|t| t.cents).collect(),
    )?
    .into_iter()
    .collect();
    let achieved_cents = achieved(&ids, ds, opps, pipeline, as_of)?;
    Ok(ids
        .iter()
        .enumerate()
        .map(|(i, (period, holder))| {
            let target = target_cents.get(&(i as i64)).copied().unwrap_or(0);
            let done = achieved_cents.get(&(i as i64)).copied().unwrap_or(0);
            let (owner, team) = match holder {
                Holder::Rep(o) => (Some(o.clone()), None),
                Holder::Team(t) => (None, Some(t.clone())),
            };
            TargetRow {
                owner,
                team,
                period: period.label(),
                target: yuan(target),
                achieved: yuan(done),
                attainment: ratio(done as f64, target as f64),
                elapsed_share: elapsed_share(period, as_of),
            }
        })
        .collect())
}

/// Signed amount (cents) per target id: won deals of the target's reps
/// signed in its period, up to the as-of date. Target members (a rep, or
/// the reps of a team) are joined to the deals by owner.
fn achieved(
    ids: &[(TargetPeriod, Holder)],
    ds: &Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    as_of: NaiveDate,
) -> PolarsResult<HashMap<i64, i64>> {
    let teams = team_members(ds);
    let (mut tid, mut owner, mut from, mut to) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, (period, holder)) in ids.iter().enumerate() {
        let members: Vec<String> = match holder {
            Holder::Rep(o) => vec![o.clone()],
            Holder::Team(t) => teams
                .get(t)
                .map(|m| m.iter().cloned().collect())
                .unwrap_or_default(),
        };
        for m in members {
            tid.push(i as i64);
            owner.push(m);
            from.push(day_number(period.from()));
            to.push(day_number(period.to().min(as_of)));
        }
    }
    let members = DataFrame::new(
        tid.len(),
        vec![
            Column::new("id".into(), tid),
            Column::new("owner".into(), owner),
            Column::new("from".into(), from),
            Column::new("to".into(), to),
        ],
    )?;
    let won: Vec<&Opportunity> = opps
        .iter()
        .filter(|o| o.current() == Some(pipeline.won()) && o.signed.is_some_and(|d| d <= as_of))
        .collect();
    let deals = DataFrame::new(
        won.len(),
        vec![
            Column::new(
                "owner".into(),
                won.iter().map(|o| &*o.owner).collect::<Vec<&str>>(),
            ),
            Column::new(
                "day".into(),
                won.iter()
                    .map(|o| o.signed.map(day_number).unwrap_or(0))
                    .collect::<Vec<i64>>(),
            ),
            Column::new(
                "amount".into(),
                won.iter()
                    .map(|o| o.amount.unwrap_or(0))
                    .collect::<Vec<i64>>(),
            ),
        ],
    )?;
    let g = members
        .lazy()
        .inner_join(deals.lazy(), col("owner"), col("owner"))
        .filter(
            col("day")
                .gt_eq(col("from"))
                .and(col("day").lt_eq(col("to"))),
        )
        .group_by([col("id")])
        .agg([col("amount").sum().alias("s")])
        .collect()?;
    (0..g.height())
        .map(|i| Ok((int_at(&g, "id", i)?, int_at(&g, "s", i)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn elapsed_share_counts_the_as_of_day_and_clamps() {
        let q2 = parse_target_period("2024-Q2").unwrap();
        // 2024-04-01 … 2024-05-15: 30 + 15 = 45 of 91 days.
        assert_eq!(elapsed_share(&q2, d(2024, 5, 15)), Some(45.0 / 91.0));
        assert_eq!(elapsed_share(&q2, d(2024, 4, 1)), Some(1.0 / 91.0));
        assert_eq!(elapsed_share(&q2, d(2024, 3, 31)), Some(0.0));
        assert_eq!(elapsed_share(&q2, d(2024, 9, 1)), Some(1.0));
    }

    #[test]
    fn selection_with_and_without_a_report_period() {
        let p = |t: &str| parse_target_period(t).unwrap();
        let as_of = d(2024, 5, 15);
        for (t, want) in [
            ("2024", true),
            ("2024-Q2", true),
            ("2024-05", true),
            ("2024-04", false),
            ("2024-Q1", false),
        ] {
            assert_eq!(selected(&p(t), None, as_of), want, "{t}");
        }
        let q2 = Period::parse("2024-Q2").unwrap();
        for (t, want) in [
            ("2024", true),
            ("2024-04", true),
            ("2024-06", true),
            ("2024-07", false),
            ("2023", false),
        ] {
            assert_eq!(selected(&p(t), Some(&q2), as_of), want, "{t}");
        }
    }
}
