//! Follow-up cadence (metrics.md §4): each customer's state, allowed gap and
//! last touch; overdue customers; compliance overall, by grade, by state and
//! per rep.

use chrono::NaiveDate;
use polars::prelude::*;
use std::cmp::Reverse;
use std::collections::BTreeMap;

use crm_core::config::Config;
use crm_core::dataset::Dataset;
use crm_core::normalize::date::iso_date;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::{current_stage, Opportunity, UNASSIGNED};
use crm_core::schema::Field;

use super::frames::{int_at, ratio, str_at};
use super::order::name_key;
use crate::report::summary::{Cadence, Compliance, OverdueRow};

/// The cadence position of one tracked customer.
#[derive(Debug, Clone)]
pub struct CustomerCadence<'a> {
    /// Customer name.
    pub customer: &'a str,
    /// Owner (`未分配` when empty).
    pub owner: &'a str,
    /// Grade used (`C` when ungraded).
    pub grade: char,
    /// `active` or `maintenance`.
    pub state: &'static str,
    /// Latest touch on or before the as-of date.
    pub last_touch: Option<NaiveDate>,
    /// Allowed gap in days.
    pub gap: i64,
    /// Days past the gap when overdue.
    pub days_overdue: Option<i64>,
}

/// Cadence of every tracked (not lost) customer, in customer order.
pub fn customer_cadence<'a>(
    ds: &'a Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    config: &Config,
    as_of: NaiveDate,
) -> Vec<CustomerCadence<'a>> {
    let won = pipeline.won();
    let lost = pipeline.lost();
    // Per customer: (all lost, any won, any open), from its opportunities —
    // or, without an opportunities table, from its own stage, even when its
    // opportunity starts after the as-of date and is not counted (§4).
    let n = ds.customers.len();
    let mut state: Vec<Option<(bool, bool, bool)>> = vec![None; n];
    let mut add = |c: usize, current: Option<usize>| {
        let Some(e) = state.get_mut(c) else { return };
        let e = e.get_or_insert((true, false, false));
        let is_lost = current.is_some() && current == lost;
        let is_won = current == Some(won);
        e.0 &= is_lost;
        e.1 |= is_won;
        e.2 |= !is_lost && !is_won;
    };
    if ds.has_opportunity_table {
        for o in opps {
            if let Some(c) = o.customer {
                add(c, o.current);
            }
        }
    } else {
        for (i, c) in ds.customers.iter().enumerate() {
            add(i, current_stage(&c.record, pipeline).0);
        }
    }
    let mut touches: Vec<Option<NaiveDate>> = vec![None; n];
    for f in &ds.followups {
        if let (Some(c), Some(d)) = (f.customer(), f.date(Field::FollowupDate)) {
            if let Some(e) = touches.get_mut(c).filter(|_| d <= as_of) {
                *e = Some(e.map_or(d, |e| e.max(d)));
            }
        }
    }
    let earliest = crm_core::opportunity::earliest_followups(ds, as_of);
    // A customer with no date of its own starts when its first opportunity does.
    let mut opp_start: Vec<Option<NaiveDate>> = vec![None; n];
    for o in opps {
        if let (Some(c), Some(s)) = (o.customer, o.start) {
            if let Some(e) = opp_start.get_mut(c) {
                *e = Some(e.map_or(s, |e| e.min(s)));
            }
        }
    }
    let mut out = Vec::new();
    for (i, c) in ds.customers.iter().enumerate() {
        let (all_lost, any_won, any_open) = state[i].unwrap_or((false, false, true));
        if all_lost {
            continue;
        }
        let maintenance = any_won && !any_open;
        let grade = c.record.grade().unwrap_or('C');
        let gap = if maintenance {
            config.cadence.maintenance
        } else {
            match grade {
                'A' => config.cadence.a,
                'B' => config.cadence.b,
                _ => config.cadence.c,
            }
        };
        let r = &c.record;
        let start = r
            .date(Field::FirstContactDate)
            .or_else(|| r.date(Field::CreatedDate))
            .or(earliest[i])
            .or(opp_start[i]);
        let last_touch = [touches[i], r.date(Field::LastFollowupDate), start]
            .into_iter()
            .flatten()
            .filter(|d| *d <= as_of)
            .max();
        let days_overdue = last_touch
            .map(|d| (as_of - d).num_days() - gap)
            .filter(|d| *d > 0);
        out.push(CustomerCadence {
            customer: r
                .text(Field::CustomerName)
                .or_else(|| r.text(Field::CustomerId))
                .unwrap_or_default(),
            owner: r
                .text(Field::Owner)
                .filter(|s| !s.is_empty())
                .unwrap_or(UNASSIGNED),
            grade,
            state: if maintenance { "maintenance" } else { "active" },
            last_touch,
            gap,
            days_overdue,
        });
    }
    out
}

/// Tracked / overdue / compliance per value of a key.
pub fn compliance_by(
    rows: &[CustomerCadence],
    key: fn(&CustomerCadence) -> String,
) -> PolarsResult<BTreeMap<String, Compliance>> {
    let df = DataFrame::new(
        rows.len(),
        vec![
            Column::new("k".into(), rows.iter().map(key).collect::<Vec<String>>()),
            Column::new(
                "overdue".into(),
                rows.iter()
                    .map(|r| r.days_overdue.is_some())
                    .collect::<Vec<bool>>(),
            ),
        ],
    )?;
    let g = df
        .lazy()
        .group_by([col("k")])
        .agg([
            len().cast(DataType::Int64).alias("tracked"),
            col("overdue").cast(DataType::Int64).sum().alias("overdue"),
        ])
        .collect()?;
    let mut out = BTreeMap::new();
    for i in 0..g.height() {
        let (tracked, overdue) = (int_at(&g, "tracked", i)?, int_at(&g, "overdue", i)?);
        out.insert(
            str_at(&g, "k", i)?,
            Compliance {
                tracked: tracked as usize,
                overdue: overdue as usize,
                compliance: ratio((tracked - overdue) as f64, tracked as f64),
            },
        );
    }
    Ok(out)
}

/// The cadence section of the summary.
pub fn cadence(rows: &[CustomerCadence]) -> PolarsResult<Cadence> {
    let total = compliance_by(rows, |_| String::new())?
        .remove("")
        .unwrap_or_default();
    // Most days overdue first, then by customer.
    let mut overdue: Vec<&CustomerCadence> =
        rows.iter().filter(|r| r.days_overdue.is_some()).collect();
    overdue.sort_by_cached_key(|r| (Reverse(r.days_overdue), name_key(r.customer)));
    let overdue_list: Vec<OverdueRow> = overdue
        .into_iter()
        .filter_map(|r| {
            Some(OverdueRow {
                customer: r.customer.to_string(),
                owner: r.owner.to_string(),
                grade: r.grade.to_string(),
                state: r.state.to_string(),
                last_touch: iso_date(r.last_touch?),
                allowed_gap: r.gap,
                days_overdue: r.days_overdue?,
            })
        })
        .collect();
    Ok(Cadence {
        tracked: total.tracked,
        overdue: total.overdue,
        compliance: ratio((total.tracked - total.overdue) as f64, total.tracked as f64),
        undated: rows.iter().filter(|r| r.last_touch.is_none()).count(),
        by_grade: compliance_by(rows, |r| r.grade.to_string())?,
        by_state: compliance_by(rows, |r| r.state.to_string())?,
        overdue_list: overdue_list.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Most days overdue first; ties by customer name, whether the names
    /// part within their first 8 bytes or after them.
    #[test]
    fn overdue_customers_are_listed_by_days_then_name() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1);
        let row = |customer: &'static str, days_overdue: Option<i64>| CustomerCadence {
            customer,
            owner: "王磊",
            grade: 'B',
            state: "active",
            last_touch: day,
            gap: 14,
            days_overdue,
        };
        let rows = [
            row("北京市海淀区甲", Some(5)),
            row("北京甲", Some(5)),
            row("上海", None),
            row("北京市海淀区乙", Some(5)),
            row("Zeta", Some(9)),
            row("北京乙", Some(5)),
            row("Acme", Some(5)),
        ];
        let listed: Vec<String> = cadence(&rows)
            .unwrap()
            .overdue_list
            .iter()
            .map(|r| format!("{} {}", r.customer, r.days_overdue))
            .collect();
        let mut tied = [
            "北京市海淀区乙",
            "北京甲",
            "北京市海淀区甲",
            "北京乙",
            "Acme",
        ];
        tied.sort();
        let mut want = vec!["Zeta 9".to_string()];
        want.extend(tied.iter().map(|c| format!("{c} 5")));
        assert_eq!(listed, want);
    }
}
