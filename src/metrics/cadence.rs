//! Follow-up cadence (metrics.md §4): each customer's state, allowed gap and
//! last touch; overdue customers; compliance overall, by grade, by state and
//! per rep.

use chrono::NaiveDate;
use polars::prelude::*;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use crm_core::config::Config;
use crm_core::dataset::Dataset;
use crm_core::model::Text;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::{current_stage, Opportunity, UNASSIGNED};
use crm_core::schema::Field;

use super::frames::{count_sum_by, ratio};
use super::order::name_key;
use crate::report::summary::{Cadence, Compliance, OverdueRow};

/// The name of a customer with neither name nor id.
pub(super) static NO_NAME: LazyLock<Text> = LazyLock::new(|| Text::from(""));

/// The owner of a customer without one.
pub(super) static UNASSIGNED_TEXT: LazyLock<Text> = LazyLock::new(|| Text::from(UNASSIGNED));

/// The cadence position of one tracked customer. A run holds one per
/// customer while the cadence and the per-rep rows are made, at the peak
/// of its memory: 48 bytes, where a state as text and an optional count
/// of days took 64 (16 MB more at a million customers).
#[derive(Debug, Clone)]
pub struct CustomerCadence<'a> {
    /// Customer name (its id when unnamed).
    pub customer: &'a Text,
    /// Owner (`未分配` when empty).
    pub owner: &'a Text,
    /// Allowed gap in days.
    pub gap: i64,
    /// Days past the gap; 0 when not overdue ([`Self::days_overdue`]).
    overdue_days: i64,
    /// Latest touch on or before the as-of date.
    pub last_touch: Option<NaiveDate>,
    /// Grade used (`C` when ungraded).
    pub grade: char,
    /// True in maintenance, false when active ([`Self::state`]).
    maintenance: bool,
}

// The size the type's documentation promises (64-bit targets).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<CustomerCadence>() == 48);

impl<'a> CustomerCadence<'a> {
    /// The position of a customer: `days_overdue` is counted only when
    /// positive (overdue).
    pub fn new(
        customer: &'a Text,
        owner: &'a Text,
        grade: char,
        maintenance: bool,
        last_touch: Option<NaiveDate>,
        gap: i64,
        days_overdue: Option<i64>,
    ) -> CustomerCadence<'a> {
        CustomerCadence {
            customer,
            owner,
            gap,
            overdue_days: days_overdue.filter(|d| *d > 0).unwrap_or(0),
            last_touch,
            grade,
            maintenance,
        }
    }

    /// `active` or `maintenance`.
    pub fn state(&self) -> &'static str {
        if self.maintenance {
            "maintenance"
        } else {
            "active"
        }
    }

    /// Days past the allowed gap, when overdue.
    pub fn days_overdue(&self) -> Option<i64> {
        Some(self.overdue_days).filter(|d| *d > 0)
    }
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
            if let Some(c) = o.customer() {
                add(c, o.current());
            }
        }
    } else {
        for (i, c) in ds.customers.iter().enumerate() {
            add(i, current_stage(&c.record, pipeline).0);
        }
    }
    let mut touches: Vec<Option<NaiveDate>> = vec![None; n];
    for (f, date) in ds.followups.iter().zip(ds.followup_dates().iter()) {
        if let (Some(c), Some(d)) = (f.customer(), *date) {
            if let Some(e) = touches.get_mut(c).filter(|_| d <= as_of) {
                *e = Some(e.map_or(d, |e| e.max(d)));
            }
        }
    }
    let earliest = crm_core::opportunity::earliest_followups(ds, as_of);
    // A customer with no date of its own starts when its first opportunity does.
    let mut opp_start: Vec<Option<NaiveDate>> = vec![None; n];
    for o in opps {
        if let (Some(c), Some(s)) = (o.customer(), o.start) {
            if let Some(e) = opp_start.get_mut(c) {
                *e = Some(e.map_or(s, |e| e.min(s)));
            }
        }
    }
    let mut out = Vec::with_capacity(n);
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
        out.push(CustomerCadence::new(
            r.shared_text(Field::CustomerName)
                .or_else(|| r.shared_text(Field::CustomerId))
                .unwrap_or(&NO_NAME),
            r.shared_text(Field::Owner)
                .filter(|s| !s.is_empty())
                .unwrap_or(&UNASSIGNED_TEXT),
            grade,
            maintenance,
            last_touch,
            gap,
            days_overdue,
        ));
    }
    out
}

/// Tracked / overdue / compliance per value of a key.
pub fn compliance_by<K: AsRef<str>>(
    rows: &[CustomerCadence],
    key: impl Fn(&CustomerCadence) -> K,
) -> PolarsResult<BTreeMap<String, Compliance>> {
    let overdue = |r: &CustomerCadence| i64::from(r.days_overdue().is_some());
    let groups = count_sum_by(rows.iter().map(|r| (key(r), overdue(r))))?;
    Ok(groups
        .into_iter()
        .map(|(k, tracked, overdue)| {
            let overdue = usize::try_from(overdue).unwrap_or(0);
            let compliance = ratio((tracked - overdue) as f64, tracked as f64);
            let row = Compliance {
                tracked,
                overdue,
                compliance,
            };
            (k, row)
        })
        .collect())
}

/// A character as text, held inline: a key per customer without an
/// allocation.
struct CharText {
    bytes: [u8; 4],
    len: usize,
}

impl CharText {
    fn new(c: char) -> CharText {
        let mut bytes = [0; 4];
        let len = c.encode_utf8(&mut bytes).len();
        CharText { bytes, len }
    }
}

impl AsRef<str> for CharText {
    fn as_ref(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// The cadence section of the summary.
pub fn cadence(rows: &[CustomerCadence]) -> PolarsResult<Cadence> {
    let total = compliance_by(rows, |_| "")?.remove("").unwrap_or_default();
    // Most days overdue first, then by customer.
    let mut overdue: Vec<&CustomerCadence> =
        rows.iter().filter(|r| r.days_overdue().is_some()).collect();
    overdue.sort_by_cached_key(|r| (Reverse(r.days_overdue()), name_key(r.customer)));
    // Sized once: the list can hold most of a million customers, and a
    // list grown by doubling holds up to twice the room it needs.
    let mut overdue_list: Vec<OverdueRow> = Vec::with_capacity(overdue.len());
    overdue_list.extend(overdue.into_iter().filter_map(|r| {
        Some(OverdueRow {
            customer: r.customer.clone(),
            owner: r.owner.clone(),
            grade: r.grade,
            state: r.state(),
            last_touch: r.last_touch?,
            allowed_gap: r.gap,
            days_overdue: r.days_overdue()?,
        })
    }));
    Ok(Cadence {
        tracked: total.tracked,
        overdue: total.overdue,
        compliance: ratio((total.tracked - total.overdue) as f64, total.tracked as f64),
        undated: rows.iter().filter(|r| r.last_touch.is_none()).count(),
        by_grade: compliance_by(rows, |r| CharText::new(r.grade))?,
        by_state: compliance_by(rows, |r| r.state())?,
        overdue_list: overdue_list.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A customer is overdue only past its gap; its state reads as the
    /// summary writes it.
    #[test]
    fn a_position_is_overdue_only_past_the_gap() {
        let (name, owner) = (Text::from("甲"), Text::from("王磊"));
        let day = NaiveDate::from_ymd_opt(2026, 1, 1);
        let at =
            |maintenance, days| CustomerCadence::new(&name, &owner, 'A', maintenance, day, 7, days);
        assert_eq!(at(false, Some(3)).days_overdue(), Some(3));
        assert_eq!(at(false, Some(0)).days_overdue(), None);
        assert_eq!(at(false, Some(-2)).days_overdue(), None);
        assert_eq!(at(false, None).days_overdue(), None);
        assert_eq!(at(false, None).state(), "active");
        assert_eq!(at(true, Some(1)).state(), "maintenance");
    }

    /// Most days overdue first; ties by customer name, whether the names
    /// part within their first 8 bytes or after them.
    #[test]
    fn overdue_customers_are_listed_by_days_then_name() {
        let day = NaiveDate::from_ymd_opt(2026, 1, 1);
        let owner = Text::from("王磊");
        let names: Vec<(Text, Option<i64>)> = [
            ("北京市海淀区甲", Some(5)),
            ("北京甲", Some(5)),
            ("上海", None),
            ("北京市海淀区乙", Some(5)),
            ("Zeta", Some(9)),
            ("北京乙", Some(5)),
            ("Acme", Some(5)),
        ]
        .into_iter()
        .map(|(name, days)| (Text::from(name), days))
        .collect();
        let rows: Vec<CustomerCadence> = names
            .iter()
            .map(|(customer, days_overdue)| {
                CustomerCadence::new(customer, &owner, 'B', false, day, 14, *days_overdue)
            })
            .collect();
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
