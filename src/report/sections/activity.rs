//! The sections on how the team works: sales cycle, top needs, reps,
//! follow-up cadence and the monthly trend.

use crm_core::normalize::date::iso_date;

use super::lost::{keyword_table, stage_tables};
use super::{count_note, defined, plain, section, table, MARKED_NEEDS, TOP_NEEDS};
use crate::report::i18n::{data_value, state_label, t, Lang};
use crate::report::summary::{CycleGroup, OverdueRow, RepRow, Summary};
use crate::report::view::{head, histogram, Emphasis, Section, Table, Val};

/// A cycle statistics table by group.
pub(in crate::report) fn cycle_groups(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    key: &'static str,
    rows: &[CycleGroup],
) -> Table {
    table(
        id,
        t(lang, title),
        vec![
            plain(lang, key),
            plain(lang, "col.deals"),
            defined(lang, "col.mean_days", "cycle_days"),
            defined(lang, "col.median_days", "cycle_median"),
            defined(lang, "col.p90_days", "cycle_p90"),
        ],
        rows.iter()
            .map(|g| {
                vec![
                    Val::text(data_value(lang, &g.key)),
                    Val::int(g.n),
                    Val::decimal(g.mean),
                    Val::decimal(g.median),
                    Val::decimal(g.p90),
                ]
            })
            .collect(),
    )
}

/// Sales cycle: overall statistics, the histogram buckets, by group.
pub(super) fn cycle(s: &Summary, lang: Lang) -> Section {
    let c = &s.cycle_days;
    let days = |x: Option<i64>| x.map_or(Val::Null, Val::Int);
    let overall = table(
        "cycle.overall",
        t(lang, "table.cycle_overall"),
        vec![
            defined(lang, "col.deals", "cycle_days"),
            defined(lang, "col.mean_days", "cycle_days"),
            defined(lang, "col.median_days", "cycle_median"),
            defined(lang, "col.p90_days", "cycle_p90"),
            plain(lang, "col.min_days"),
            plain(lang, "col.max_days"),
        ],
        vec![vec![
            Val::int(c.n),
            Val::decimal(c.mean),
            Val::decimal(c.median),
            Val::decimal(c.p90),
            days(c.min),
            days(c.max),
        ]],
    );
    let buckets = table(
        "cycle.histogram",
        t(lang, "table.cycle_histogram"),
        vec![plain(lang, "col.cycle_bucket"), plain(lang, "col.deals")],
        histogram(&c.values)
            .into_iter()
            .map(|b| vec![Val::text(b.label), Val::int(b.count)])
            .collect(),
    );
    let mut tables = vec![
        overall,
        buckets,
        cycle_groups(
            lang,
            "cycle.by_owner",
            "table.by_owner",
            "col.owner",
            &c.by_owner,
        ),
        cycle_groups(
            lang,
            "cycle.by_source",
            "table.by_source",
            "col.source",
            &c.by_source,
        ),
        cycle_groups(
            lang,
            "cycle.by_industry",
            "table.by_industry",
            "col.industry",
            &c.by_industry,
        ),
        cycle_groups(
            lang,
            "cycle.by_grade",
            "table.by_grade",
            "col.grade",
            &c.by_grade,
        ),
    ];
    tables.extend(stage_tables(s, lang));
    section(lang, "cycle", Vec::new(), tables)
}

/// Top needs: the first 20, the top 3 marked.
pub(super) fn needs(s: &Summary, lang: Lang) -> Section {
    let mut top = table(
        "needs.top",
        t(lang, "table.top_needs"),
        vec![
            plain(lang, "col.rank"),
            plain(lang, "col.need"),
            defined(lang, "col.customers", "need_customers"),
        ],
        s.top_needs
            .iter()
            .take(TOP_NEEDS)
            .enumerate()
            .map(|(i, n)| {
                vec![
                    Val::int(i + 1),
                    Val::text(n.need.clone()),
                    Val::int(n.customers),
                ]
            })
            .collect(),
    );
    top.marked = MARKED_NEEDS.min(top.rows.len());
    let mut tables = vec![top];
    tables.extend(keyword_table(s, lang));
    section(lang, "needs", Vec::new(), tables)
}

/// The reps (or teams) table.
pub(in crate::report) fn rep_table(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    key: &'static str,
    rows: &[RepRow],
) -> Table {
    table(
        id,
        t(lang, title),
        vec![
            plain(lang, key),
            defined(lang, "col.customers", "customers"),
            defined(lang, "col.opportunities", "opportunities"),
            defined(lang, "col.won", "won"),
            defined(lang, "col.lost", "lost"),
            defined(lang, "col.open", "open"),
            defined(lang, "col.won_amount", "won_amount").with(Emphasis::Bar),
            defined(lang, "col.win_rate", "win_rate").with(Emphasis::RateScale),
            defined(lang, "col.followups", "followups"),
            defined(lang, "col.followups_per_customer", "followups_per_customer"),
            defined(lang, "col.cycle_median_days", "cycle_median"),
            defined(lang, "col.tracked", "cadence_compliance"),
            defined(lang, "col.overdue", "overdue_customers"),
            defined(lang, "col.cadence_compliance", "cadence_compliance").with(Emphasis::RateScale),
            defined(lang, "col.completeness", "completeness"),
        ],
        rows.iter()
            .map(|r| {
                vec![
                    Val::text(data_value(lang, &r.owner)),
                    Val::int(r.customers),
                    Val::int(r.opportunities),
                    Val::int(r.won),
                    Val::int(r.lost),
                    Val::int(r.open),
                    Val::money(Some(r.won_amount)),
                    Val::rate(r.win_rate),
                    Val::int(r.followups),
                    Val::decimal(r.followups_per_customer),
                    Val::decimal(r.cycle_median_days),
                    Val::int(r.tracked),
                    Val::int(r.overdue),
                    Val::rate(r.cadence_compliance),
                    Val::rate(r.completeness),
                ]
            })
            .collect(),
    )
}

/// Reps, and teams when a roster gave them.
pub(super) fn reps(s: &Summary, lang: Lang) -> Section {
    let mut tables = vec![rep_table(
        lang,
        "reps.reps",
        "table.reps",
        "col.owner",
        &s.reps,
    )];
    if !s.teams.is_empty() {
        tables.push(rep_table(
            lang,
            "reps.teams",
            "table.teams",
            "col.team",
            &s.teams,
        ));
    }
    section(lang, "reps", Vec::new(), tables)
}

/// Cadence by grade and state (each with an "all" row) and the overdue list.
pub(super) fn cadence(s: &Summary, lang: Lang) -> Section {
    let c = &s.cadence;
    let compliance_columns = |key: &'static str| {
        vec![
            plain(lang, key),
            defined(lang, "col.tracked", "cadence_compliance"),
            defined(lang, "col.overdue", "overdue_customers"),
            defined(lang, "col.compliance", "cadence_compliance"),
        ]
    };
    let row = |label: String, tracked: usize, overdue: usize, rate: Option<f64>| {
        vec![
            Val::text(label),
            Val::int(tracked),
            Val::int(overdue),
            Val::rate(rate),
        ]
    };
    let all = row(
        t(lang, "value.all").to_string(),
        c.tracked,
        c.overdue,
        c.compliance,
    );
    let mut by_grade = vec![all.clone()];
    by_grade.extend(
        c.by_grade
            .iter()
            .map(|(k, g)| row(data_value(lang, k), g.tracked, g.overdue, g.compliance)),
    );
    let mut by_state = vec![all];
    by_state.extend(
        c.by_state
            .iter()
            .map(|(k, g)| row(state_label(lang, k), g.tracked, g.overdue, g.compliance)),
    );
    let tables = vec![
        table(
            "cadence.by_grade",
            t(lang, "table.by_grade"),
            compliance_columns("col.grade"),
            by_grade,
        ),
        table(
            "cadence.by_state",
            t(lang, "table.by_state"),
            compliance_columns("col.state"),
            by_state,
        ),
        overdue_table(lang, head(&c.overdue_list)).standing_for(c.overdue_list.len()),
    ];
    let notes = count_note(lang, "note.undated", c.undated)
        .into_iter()
        .collect();
    section(lang, "cadence", notes, tables)
}

/// The overdue customers, most overdue first.
pub(in crate::report) fn overdue_table(lang: Lang, rows: &[OverdueRow]) -> Table {
    table(
        "cadence.overdue",
        t(lang, "table.overdue"),
        vec![
            plain(lang, "col.customer"),
            plain(lang, "col.owner"),
            plain(lang, "col.grade"),
            plain(lang, "col.state"),
            defined(lang, "col.last_touch", "last_touch"),
            defined(lang, "col.allowed_gap", "allowed_gap"),
            defined(lang, "col.days_overdue", "days_overdue").with(Emphasis::Alert),
        ],
        rows.iter()
            .map(|o| {
                vec![
                    Val::text(o.customer.to_string()),
                    Val::text(data_value(lang, &o.owner)),
                    Val::text(o.grade.to_string()),
                    Val::text(state_label(lang, o.state)),
                    Val::text(iso_date(o.last_touch)),
                    Val::Int(o.allowed_gap),
                    Val::Int(o.days_overdue),
                ]
            })
            .collect(),
    )
}

/// The monthly trend.
pub(super) fn monthly(s: &Summary, lang: Lang) -> Section {
    let months = table(
        "monthly.months",
        t(lang, "table.monthly"),
        vec![
            plain(lang, "col.month"),
            defined(lang, "col.new_opportunities", "new_opportunities"),
            defined(lang, "col.followups", "followups"),
            defined(lang, "col.signed", "monthly_won"),
            defined(lang, "col.won_amount", "monthly_won"),
        ],
        s.monthly
            .iter()
            .map(|m| {
                vec![
                    Val::text(m.month.clone()),
                    Val::int(m.new_opportunities),
                    Val::int(m.followups),
                    Val::int(m.won),
                    Val::money(Some(m.won_amount)),
                ]
            })
            .collect(),
    );
    section(lang, "monthly", Vec::new(), vec![months])
}
