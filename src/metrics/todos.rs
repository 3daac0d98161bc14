//! To-dos (metrics.md §10): follow-up rows that set a next action with a due
//! date. One is overdue when its due date is before the as-of date and no
//! follow-up of the same customer is dated after the to-do's own row and on
//! or before the as-of date (a later contact closes it). Follow-up rows dated
//! after the as-of date have not happened and set no to-do; an undated to-do
//! row has nothing provably after it, so only its due date decides.

use chrono::NaiveDate;
use polars::prelude::*;

use crm_core::dataset::Dataset;
use crm_core::model::Text;
use crm_core::schema::Field;
use crm_core::FastMap;

use super::frames::CountSumBy;
use super::order::name_key;
use super::weekly::{followup_customer, followup_owner, FollowupCustomer, FollowupCustomers};
use crate::report::summary::{TodoOwner, TodoRow, Todos};

/// The latest follow-up date per customer: linked customers by index,
/// unlinked ones by the number of their key.
struct Latest {
    linked: Vec<Option<NaiveDate>>,
    unlinked: FastMap<usize, NaiveDate>,
}

impl Latest {
    fn new(customers: usize) -> Latest {
        Latest {
            linked: vec![None; customers],
            unlinked: FastMap::default(),
        }
    }

    /// Takes in a follow-up of `c` dated `d`.
    fn see(&mut self, c: FollowupCustomer, d: NaiveDate) {
        match c {
            FollowupCustomer::Linked(i) => {
                if let Some(slot) = self.linked.get_mut(i) {
                    *slot = Some(slot.map_or(d, |l| l.max(d)));
                }
            }
            FollowupCustomer::Unlinked(k) => {
                let e = self.unlinked.entry(k).or_insert(d);
                *e = (*e).max(d);
            }
        }
    }

    /// The latest follow-up date of `c`.
    fn get(&self, c: FollowupCustomer) -> Option<NaiveDate> {
        match c {
            FollowupCustomer::Linked(i) => self.linked.get(i).copied().flatten(),
            FollowupCustomer::Unlinked(k) => self.unlinked.get(&k).copied(),
        }
    }
}

/// The `todos` section as of the as-of date.
pub fn todos(ds: &Dataset, as_of: NaiveDate) -> PolarsResult<Todos> {
    // Latest follow-up per customer on or before the as-of date.
    let mut customers = FollowupCustomers::default();
    let mut latest = Latest::new(ds.customers.len());
    let dates = ds.followup_dates();
    for (f, date) in ds.followups.iter().zip(dates.iter()) {
        if let Some(d) = date.filter(|d| *d <= as_of) {
            latest.see(customers.of(f), d);
        }
    }
    // Each to-do's owner and whether it is overdue, grouped as they come;
    // the overdue ones apart (millions of to-dos on a big input).
    let mut per_owner = CountSumBy::with_capacity(0);
    let mut late: Vec<Late> = Vec::new();
    for (f, &row_date) in ds.followups.iter().zip(dates.iter()) {
        let (Some(action), Some(due)) = (
            f.shared_text(Field::NextAction).filter(|s| !s.is_empty()),
            f.date(Field::DueDate),
        ) else {
            continue;
        };
        if row_date.is_some_and(|d| d > as_of) {
            continue;
        }
        let closed = row_date.is_some_and(|rd| latest.get(customers.of(f)).is_some_and(|l| l > rd));
        let owner = followup_owner(ds, f);
        let is_overdue = due < as_of && !closed;
        per_owner.add(owner, i64::from(is_overdue));
        if is_overdue {
            late.push(Late {
                due,
                customer: followup_customer(ds, f),
                owner,
                action,
                row_date,
            });
        }
    }
    let by_owner = by_owner(per_owner)?;
    // By due date, then customer. A date orders as its text `YYYY-MM-DD`
    // (every date read has a four-digit year).
    late.sort_by_cached_key(|l| (l.due, name_key(l.customer)));
    let overdue_list: Vec<TodoRow> = late
        .into_iter()
        .map(|l| TodoRow {
            customer: l.customer.clone(),
            owner: l.owner.clone(),
            next_action: l.action.clone(),
            due_date: l.due,
            days_overdue: (as_of - l.due).num_days(),
            followup_date: l.row_date,
        })
        .collect();
    Ok(Todos {
        total: by_owner.iter().map(|o| o.total).sum(),
        overdue: overdue_list.len(),
        overdue_list: overdue_list.into(),
        by_owner,
    })
}

/// An overdue to-do, before it is listed.
struct Late<'a> {
    due: NaiveDate,
    customer: &'a Text,
    owner: &'a Text,
    action: &'a Text,
    row_date: Option<NaiveDate>,
}

/// To-dos and overdue ones per owner (each to-do's owner, and 1 when it
/// is overdue): most overdue first, then most to-dos, then owner.
fn by_owner(per_owner: CountSumBy) -> PolarsResult<Vec<TodoOwner>> {
    let mut out: Vec<TodoOwner> = per_owner
        .finish()?
        .into_iter()
        .map(|(owner, total, overdue)| TodoOwner {
            owner,
            total,
            overdue: usize::try_from(overdue).unwrap_or(0),
        })
        .collect();
    out.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then(b.total.cmp(&a.total))
            .then_with(|| a.owner.cmp(&b.owner))
    });
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::followup::Followup;
    use crm_core::model::{FieldMap, Origin, Record, Source, Text, Value};
    use std::sync::Arc;

    /// A follow-up row of `customer` that sets `action` due `due`.
    fn todo(customer: &str, due: NaiveDate, row: usize) -> Followup {
        let source = Arc::new(Source {
            file: Text::from("f.csv"),
            sheet: Text::from("f"),
        });
        let mut values = vec![
            (Field::CustomerName, Value::Text(Text::from(customer))),
            (Field::NextAction, Value::Text(Text::from("回访"))),
            (Field::DueDate, Value::Date(due)),
        ];
        let mut r = Record::new(Origin::new(&source, row));
        r.values = FieldMap::from_pairs(&mut values);
        Followup::from_record(r, false)
    }

    /// Overdue to-dos are listed by due date, then customer name (names
    /// that part within their first 8 bytes and after them).
    #[test]
    fn overdue_todos_are_listed_by_due_date_then_customer() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let ds = Dataset {
            followups: vec![
                todo("北京市海淀区甲", day(2), 2),
                todo("北京乙", day(2), 3),
                todo("Zeta", day(1), 4),
                todo("北京市海淀区乙", day(2), 5),
                todo("Acme", day(2), 6),
                todo("later", day(20), 7),
            ],
            ..Dataset::default()
        };
        let t = todos(&ds, day(10)).unwrap();
        let listed: Vec<String> = t
            .overdue_list
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    crm_core::normalize::date::iso_date(r.due_date),
                    r.customer
                )
            })
            .collect();
        let mut tied = ["北京市海淀区乙", "北京乙", "北京市海淀区甲", "Acme"];
        tied.sort();
        let mut want = vec!["2026-03-01 Zeta".to_string()];
        want.extend(tied.iter().map(|c| format!("2026-03-02 {c}")));
        assert_eq!(listed, want);
        assert_eq!((t.total, t.overdue), (6, 5));
    }
}
