//! The forward view (metrics.md §10) in one section: the open pipeline by
//! stage with weighted amounts, expected closings, slipped deals, targets
//! (attainment beside the share of the period elapsed) and collections.

use super::{defined, plain, section, table};
use crate::report::i18n::{data_value, fill, stage_label, t, Lang};
use crate::report::summary::{SlippedDeal, Summary, TargetRow};
use crate::report::view::{head, Emphasis, Section, Table, Val};

/// Pipeline, expected closings, slipped deals, targets and collections.
pub(super) fn forecast(s: &Summary, lang: Lang) -> Section {
    let f = &s.forecast;
    let mut by_stage: Vec<Vec<Val>> = f
        .by_stage
        .iter()
        .map(|st| {
            vec![
                Val::text(stage_label(lang, &st.code, &st.label)),
                Val::int(st.open),
                Val::money(Some(st.open_amount)),
                Val::rate(st.probability),
                Val::money(Some(st.weighted_amount)),
            ]
        })
        .collect();
    if !by_stage.is_empty() {
        by_stage.push(vec![
            Val::text(t(lang, "value.all")),
            Val::int(f.open),
            Val::money(Some(f.open_amount)),
            Val::Null,
            Val::money(Some(f.weighted_amount)),
        ]);
    }
    let pipeline = table(
        "forecast.pipeline",
        t(lang, "table.pipeline"),
        vec![
            plain(lang, "col.stage"),
            defined(lang, "col.open", "open"),
            defined(lang, "col.open_amount", "open_amount"),
            defined(lang, "col.probability", "probability"),
            defined(lang, "col.weighted_amount", "weighted_amount"),
        ],
        by_stage,
    );
    let expected = table(
        "forecast.expected",
        t(lang, "table.expected"),
        vec![
            plain(lang, "col.month"),
            defined(lang, "col.deals_expected", "expected_closings"),
            defined(lang, "col.amount", "expected_closings"),
            defined(lang, "col.weighted_amount", "weighted_amount"),
        ],
        f.expected
            .iter()
            .map(|m| {
                vec![
                    Val::text(m.month.clone()),
                    Val::int(m.count),
                    Val::money(Some(m.amount)),
                    Val::money(Some(m.weighted_amount)),
                ]
            })
            .collect(),
    );
    let mut notes = Vec::new();
    if f.slipped.count > 0 {
        let args = [
            ("n", Val::int(f.slipped.count).display()),
            ("amount", Val::money(Some(f.slipped.amount)).display()),
        ];
        notes.push(fill(t(lang, "note.slipped"), &args));
    }
    if s.collections.rate.is_none() {
        notes.push(t(lang, "note.no_collections").to_string());
    }
    let tables = vec![
        pipeline,
        expected,
        targets_table(lang, &s.targets),
        slipped_table(lang, head(&f.slipped.list)).standing_for(f.slipped.list.len()),
        collections(s, lang),
    ];
    section(lang, "forecast", notes, tables)
}

/// Slipped deals: open deals whose expected close date has passed.
pub(in crate::report) fn slipped_table(lang: Lang, list: &[SlippedDeal]) -> Table {
    table(
        "forecast.slipped",
        t(lang, "table.slipped"),
        vec![
            plain(lang, "col.customer"),
            plain(lang, "col.owner"),
            plain(lang, "col.stage"),
            plain(lang, "col.amount"),
            plain(lang, "col.expected_close_date"),
            defined(lang, "col.days_slipped", "days_slipped").with(Emphasis::Alert),
        ],
        list.iter()
            .map(|d| {
                vec![
                    Val::text(d.customer.clone()),
                    Val::text(data_value(lang, &d.owner)),
                    Val::text(stage_label(lang, &d.stage, &d.stage)),
                    Val::money(d.amount),
                    Val::text(d.expected_close_date.clone()),
                    Val::Int(d.days_slipped),
                ]
            })
            .collect(),
    )
}

/// Targets: the rows of one period stay together (the chart per period
/// relies on it); attainment and elapsed share side by side.
pub(in crate::report) fn targets_table(lang: Lang, rows: &[TargetRow]) -> Table {
    table(
        "forecast.targets",
        t(lang, "table.targets"),
        vec![
            plain(lang, "col.period"),
            plain(lang, "col.name"),
            plain(lang, "col.level"),
            defined(lang, "col.target", "target"),
            defined(lang, "col.achieved", "achieved"),
            defined(lang, "col.attainment", "attainment").with(Emphasis::RateScale),
            defined(lang, "col.elapsed_share", "elapsed_share"),
        ],
        rows.iter()
            .map(|r| {
                let (name, level) = match (&r.owner, &r.team) {
                    (Some(o), _) => (data_value(lang, o), t(lang, "value.rep")),
                    (None, Some(team)) => (data_value(lang, team), t(lang, "value.team")),
                    (None, None) => (t(lang, "value.unknown").to_string(), ""),
                };
                vec![
                    Val::text(r.period.clone()),
                    Val::text(name),
                    Val::text(level),
                    Val::money(Some(r.target)),
                    Val::money(Some(r.achieved)),
                    Val::rate(r.attainment),
                    Val::rate(r.elapsed_share),
                ]
            })
            .collect(),
    )
}

/// Collections overall (first row) and per rep.
fn collections(s: &Summary, lang: Lang) -> Table {
    let c = &s.collections;
    let mut rows = Vec::new();
    if !c.by_owner.is_empty() {
        rows.push(vec![
            Val::text(t(lang, "value.all")),
            Val::int(c.by_owner.iter().map(|r| r.deals).sum()),
            Val::money(Some(c.signed_amount)),
            Val::money(Some(c.collected_amount)),
            Val::rate(c.rate),
        ]);
    }
    rows.extend(c.by_owner.iter().map(|r| {
        vec![
            Val::text(data_value(lang, &r.key)),
            Val::int(r.deals),
            Val::money(Some(r.signed_amount)),
            Val::money(Some(r.collected_amount)),
            Val::rate(r.rate),
        ]
    }));
    table(
        "forecast.collections",
        t(lang, "table.collections"),
        vec![
            plain(lang, "col.owner"),
            plain(lang, "col.deals"),
            plain(lang, "col.signed_amount"),
            defined(lang, "col.collected_amount", "collected_amount"),
            defined(lang, "col.collection_rate", "collection_rate"),
        ],
        rows,
    )
}
