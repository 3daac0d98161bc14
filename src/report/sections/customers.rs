//! The sections on customers as a whole: ABC grades (declared against
//! computed, and the customers whose two grades differ) and satisfaction
//! with complaints.

use super::{count_note, defined, plain, section, table};
use crate::report::i18n::{data_value, t, Lang};
use crate::report::summary::Summary;
use crate::report::view::{head, Section, Val};

/// Grades: declared vs computed counts per grade, the mismatch list.
pub(super) fn grades(s: &Summary, lang: Lang) -> Section {
    let g = &s.grades;
    // A, B, C first, then any other declared value, in key order.
    let mut keys: Vec<&String> = g.declared.keys().chain(g.computed.keys()).collect();
    keys.sort_by_key(|k| (!matches!(k.as_str(), "A" | "B" | "C"), *k));
    keys.dedup();
    let counts = table(
        "grades.counts",
        t(lang, "table.grade_counts"),
        vec![
            plain(lang, "col.grade"),
            defined(lang, "col.declared", "declared_grade"),
            defined(lang, "col.computed", "abc_grade"),
        ],
        keys.into_iter()
            .map(|k| {
                vec![
                    Val::text(data_value(lang, k)),
                    Val::int(g.declared.get(k).copied().unwrap_or(0)),
                    Val::int(g.computed.get(k).copied().unwrap_or(0)),
                ]
            })
            .collect(),
    );
    let mismatches = table(
        "grades.mismatches",
        t(lang, "table.grade_mismatches"),
        vec![
            plain(lang, "col.customer"),
            defined(lang, "col.declared", "declared_grade"),
            defined(lang, "col.computed", "abc_grade"),
            defined(lang, "col.annual_amount", "annual_amount"),
        ],
        head(&g.mismatch_list)
            .iter()
            .map(|m| {
                vec![
                    Val::text(m.customer.clone()),
                    Val::text(data_value(lang, &m.declared)),
                    Val::text(data_value(lang, &m.computed)),
                    Val::money(Some(m.annual_amount)),
                ]
            })
            .collect(),
    )
    .standing_for(g.mismatch_list.len());
    let notes = count_note(lang, "note.grade_mismatches", g.mismatches)
        .into_iter()
        .collect();
    section(lang, "grades", notes, vec![counts, mismatches])
}

/// Satisfaction (headline, distribution 1–5) and complaints.
pub(super) fn satisfaction(s: &Summary, lang: Lang) -> Section {
    let sat = &s.satisfaction;
    let headline = table(
        "satisfaction.overall",
        t(lang, "table.satisfaction"),
        vec![
            defined(lang, "col.scores", "satisfaction_n"),
            defined(lang, "col.mean_score", "satisfaction_mean"),
            defined(lang, "col.satisfied_share", "satisfied_share"),
            defined(lang, "col.repurchase_share", "repurchase_share"),
            defined(lang, "col.referral_share", "referral_share"),
        ],
        vec![vec![
            Val::int(sat.n),
            Val::decimal(sat.mean),
            Val::rate(sat.satisfied_share),
            Val::rate(sat.repurchase_share),
            Val::rate(sat.referral_share),
        ]],
    );
    let distribution = table(
        "satisfaction.distribution",
        t(lang, "table.score_distribution"),
        vec![plain(lang, "col.score"), plain(lang, "col.count")],
        (1..=5)
            .map(|score: i64| {
                let n = sat.distribution.get(&score.to_string()).copied();
                vec![Val::Int(score), Val::int(n.unwrap_or(0))]
            })
            .collect(),
    );
    let c = &s.complaints;
    let complaints = table(
        "satisfaction.complaints",
        t(lang, "table.complaints"),
        vec![
            defined(lang, "col.complaints", "complaints"),
            defined(lang, "col.median_response_hours", "median_response_hours"),
            defined(lang, "col.response_sla", "response_sla_share"),
            defined(lang, "col.resolution_sla", "resolution_sla_share"),
            defined(lang, "col.open_complaints", "open_complaints"),
        ],
        vec![vec![
            Val::int(c.n),
            Val::decimal(c.median_response_hours),
            Val::rate(c.response_sla_share),
            Val::rate(c.resolution_sla_share),
            Val::int(c.open),
        ]],
    );
    let mut notes = Vec::new();
    if sat.n == 0 {
        notes.push(t(lang, "note.no_satisfaction").to_string());
    }
    if c.n == 0 {
        notes.push(t(lang, "note.no_complaints").to_string());
    }
    section(
        lang,
        "satisfaction",
        notes,
        vec![headline, distribution, complaints],
    )
}
