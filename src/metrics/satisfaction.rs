//! Satisfaction and complaints (metrics.md §8): scores, the satisfied share,
//! repurchase and referral intent, complaint response times and SLAs.

use std::collections::BTreeMap;

use crm_core::dataset::Dataset;
use crm_core::schema::Field;

use super::frames::ratio;
use crate::report::summary::{Complaints, Satisfaction};

/// Satisfaction over deduplicated customers.
pub fn satisfaction(ds: &Dataset) -> Satisfaction {
    let scores: Vec<f64> = ds
        .customers
        .iter()
        .filter_map(|c| c.record.number(Field::Satisfaction))
        .collect();
    let mut distribution: BTreeMap<String, usize> = (1..=5).map(|s| (s.to_string(), 0)).collect();
    for s in &scores {
        *distribution
            .entry(format!("{}", s.round() as i64))
            .or_default() += 1;
    }
    let share = |f: Field| {
        let answers: Vec<bool> = ds
            .customers
            .iter()
            .filter_map(|c| c.record.yes_no(f))
            .collect();
        ratio(
            answers.iter().filter(|b| **b).count() as f64,
            answers.len() as f64,
        )
    };
    Satisfaction {
        n: scores.len(),
        mean: ratio(scores.iter().sum(), scores.len() as f64),
        distribution,
        satisfied_share: ratio(
            scores.iter().filter(|s| **s >= 4.0).count() as f64,
            scores.len() as f64,
        ),
        repurchase_share: share(Field::RepurchaseIntent),
        referral_share: share(Field::ReferralIntent),
    }
}

/// Complaint SLAs: respond within 2 h and resolve within 24 h, or 1 h / 4 h for 合作异常.
pub fn complaints(ds: &Dataset) -> Complaints {
    let mut hours: Vec<f64> = Vec::new();
    let (mut both, mut resp_ok, mut resolve_ok) = (0usize, 0usize, 0usize);
    let mut open = 0;
    for r in &ds.complaints {
        let (reported, responded, resolved) = (
            r.datetime(Field::ReportedAt),
            r.datetime(Field::RespondedAt),
            r.datetime(Field::ResolvedAt),
        );
        if resolved.is_none() {
            open += 1;
        }
        let (resp_limit, resolve_limit) = match r.text(Field::ComplaintType) {
            Some("合作异常") => (1.0, 4.0),
            _ => (2.0, 24.0),
        };
        if let (Some(a), Some(b)) = (reported, responded) {
            let h = (b - a).num_seconds() as f64 / 3600.0;
            hours.push(h);
            if let Some(z) = resolved {
                both += 1;
                resp_ok += usize::from(h <= resp_limit);
                resolve_ok += usize::from((z - a).num_seconds() as f64 / 3600.0 <= resolve_limit);
            }
        }
    }
    hours.sort_by(f64::total_cmp);
    Complaints {
        n: ds.complaints.len(),
        median_response_hours: super::stats::quantile_linear(&hours, 0.5),
        response_sla_share: ratio(resp_ok as f64, both as f64),
        resolution_sla_share: ratio(resolve_ok as f64, both as f64),
        open,
    }
}
