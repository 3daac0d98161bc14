//! ABC grading from amounts (metrics.md §5): the won amount of the 365 days
//! up to the as-of date per customer, the computed grade, and the customers
//! whose declared grade differs.

use chrono::{Duration, NaiveDate};
use polars::prelude::PolarsResult;

use crm_core::config::Grading;
use crm_core::dedup::Customer;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;
use crm_core::schema::Field;

use super::frames::{sum_by_key, yuan};
use super::order::name_key;
use crate::report::summary::{GradeMismatch, Grades};

/// Declared vs computed grades.
pub fn grades(
    customers: &[Customer],
    opps: &[Opportunity],
    pipeline: &Pipeline,
    grading: &Grading,
    as_of: NaiveDate,
) -> PolarsResult<Grades> {
    let from = as_of - Duration::days(364);
    let won = pipeline.won();
    // Per customer with a deal signed in the window: its won cents, grouped
    // by customer place (a million customers: no text key per deal).
    let (mut places, mut cents) = (Vec::new(), Vec::new());
    for o in opps
        .iter()
        .filter(|o| o.current() == Some(won) && o.signed.is_some_and(|d| from <= d && d <= as_of))
    {
        // A table held in memory has far fewer than 2^63 customers.
        if let Some(c) = o.customer().and_then(|c| i64::try_from(c).ok()) {
            places.push(c);
            cents.push(o.amount.unwrap_or(0));
        }
    }
    let annual = sum_by_key(places, cents)?;
    let mut out = Grades::default();
    for g in ["A", "B", "C"] {
        out.declared.insert(g.to_string(), 0);
        out.computed.insert(g.to_string(), 0);
    }
    for c in customers {
        if let Some(g) = c.record.grade() {
            *out.declared.entry(g.to_string()).or_default() += 1;
        }
    }
    // (customer, declared, computed, annual amount), listed by customer.
    let mut mismatches: Vec<(&str, char, char, f64)> = Vec::new();
    for (i, cents) in annual {
        let Some(c) = usize::try_from(i).ok().and_then(|i| customers.get(i)) else {
            continue;
        };
        let amount = yuan(cents);
        let computed = if amount >= grading.a {
            'A'
        } else if amount >= grading.b {
            'B'
        } else {
            'C'
        };
        *out.computed.entry(computed.to_string()).or_default() += 1;
        if let Some(declared) = c.record.grade().filter(|d| *d != computed) {
            let customer = c.record.text(Field::CustomerName).unwrap_or_default();
            mismatches.push((customer, declared, computed, amount));
        }
    }
    mismatches.sort_by_cached_key(|m| name_key(m.0));
    let mismatches: Vec<GradeMismatch> = mismatches
        .into_iter()
        .map(
            |(customer, declared, computed, annual_amount)| GradeMismatch {
                customer: customer.to_string(),
                declared: declared.to_string(),
                computed: computed.to_string(),
                annual_amount,
            },
        )
        .collect();
    out.mismatches = mismatches.len();
    out.mismatch_list = mismatches.into();
    Ok(out)
}
