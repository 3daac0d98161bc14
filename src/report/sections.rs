//! Builds the report view (`view.rs`) from the summary and findings, in the
//! report language: the headline figures, then one section per sheet of the
//! workbook. Labels come from `i18n`, definitions from
//! `metrics::definitions`; values are copied, never computed.

mod activity;
mod customers;
mod forward;
mod lost;
mod overview;
mod quality;
mod weekly;

use crm_core::findings::Finding;

use super::i18n::{data_value, fill, stage_label, t, Lang};
use super::summary::{FunnelBreakdown, Summary};
use super::view::{Column, Emphasis, Section, Table, Val};
use crate::metrics::definitions::definition;
use activity::{cadence, cycle, monthly, needs, reps};
use customers::{grades, satisfaction};
use forward::forecast;
pub use overview::{kpis, overview};
pub use quality::{findings_section, FINDINGS_SECTION};
use quality::{glossary, quality};
use weekly::{todos, weekly};

pub(in crate::report) use activity::{cycle_groups, overdue_table};
pub(in crate::report) use forward::{slipped_table, targets_table};
pub(in crate::report) use lost::stalled_table;
pub(in crate::report) use weekly::{overdue_todos_table, weekly_tables, weeks};

/// How many needs the needs table lists.
pub const TOP_NEEDS: usize = 20;
/// How many needs are marked as the top ones.
const MARKED_NEEDS: usize = 3;

/// Every section after the overview, in sheet order, ending with the
/// definitions. `findings` are all of them (counted), `listed` the first
/// ones as the report lists them (masked by `privacy`) in the quality
/// section; `None` leaves the list out of it (the workbook lists them on a
/// sheet of their own, [`findings_section`]).
pub fn sections(
    s: &Summary,
    findings: &[Finding],
    listed: Option<&[Finding]>,
    lang: Lang,
) -> Vec<Section> {
    vec![
        funnel(s, lang),
        conversion(s, lang),
        cycle(s, lang),
        needs(s, lang),
        reps(s, lang),
        cadence(s, lang),
        grades(s, lang),
        satisfaction(s, lang),
        forecast(s, lang),
        todos(s, lang),
        weekly(s, lang),
        monthly(s, lang),
        quality(s, findings, listed, lang),
        glossary(lang),
    ]
}

/// A column with no definition.
pub(super) fn plain(lang: Lang, label: &'static str) -> Column {
    Column {
        label: t(lang, label).to_string(),
        definition: None,
        emphasis: Emphasis::None,
    }
}

/// A column whose header carries the definition of `metric`.
pub(super) fn defined(lang: Lang, label: &'static str, metric: &str) -> Column {
    Column {
        label: t(lang, label).to_string(),
        definition: Some(definition(lang, metric)),
        emphasis: Emphasis::None,
    }
}

pub(super) fn table(
    id: &'static str,
    title: &'static str,
    columns: Vec<Column>,
    rows: Vec<Vec<Val>>,
) -> Table {
    Table {
        id,
        title,
        columns,
        total: rows.len(),
        rows,
        marked: 0,
    }
}

/// A section titled by its id (one title, one sheet name per id).
pub(super) fn section(
    lang: Lang,
    id: &'static str,
    notes: Vec<String>,
    tables: Vec<Table>,
) -> Section {
    let title = match id {
        "overview" => "section.overview",
        "funnel" => "section.funnel",
        "conversion" => "section.conversion",
        "cycle" => "section.cycle",
        "needs" => "section.needs",
        "reps" => "section.reps",
        "cadence" => "section.cadence",
        "grades" => "section.grades",
        "satisfaction" => "section.satisfaction",
        "forecast" => "section.forecast",
        "todos" => "section.todos",
        "weekly" => "section.weekly",
        "monthly" => "section.monthly",
        "quality" => "section.quality",
        _ => "section.definitions",
    };
    Section {
        id,
        title: t(lang, title),
        notes,
        tables,
    }
}

pub(super) fn count_note(lang: Lang, key: &'static str, n: usize) -> Option<String> {
    (n > 0).then(|| fill(t(lang, key), &[("n", n.to_string())]))
}

fn funnel(s: &Summary, lang: Lang) -> Section {
    let f = &s.funnel;
    let stages = table(
        "funnel.stages",
        t(lang, "table.stages"),
        vec![
            plain(lang, "col.stage"),
            defined(lang, "col.current", "current"),
            defined(lang, "col.reached", "reached"),
            defined(lang, "col.conversion_to_next", "conversion_to_next").with(Emphasis::RateScale),
        ],
        f.stages
            .iter()
            .map(|st| {
                vec![
                    Val::text(stage_label(lang, &st.code, &st.label)),
                    Val::int(st.current),
                    Val::int(st.reached),
                    Val::rate(st.conversion_to_next),
                ]
            })
            .collect(),
    );
    let outcome = |key: &'static str, n: usize, amount: f64| {
        vec![
            Val::text(t(lang, key)),
            Val::int(n),
            Val::money(Some(amount)),
        ]
    };
    let outcomes = table(
        "funnel.outcomes",
        t(lang, "table.outcomes"),
        vec![
            plain(lang, "col.outcome"),
            plain(lang, "col.count"),
            plain(lang, "col.amount"),
        ],
        vec![
            outcome("col.won", f.won, f.won_amount),
            outcome("col.lost", f.lost, f.lost_amount),
            outcome("col.open", f.open, f.open_amount),
        ],
    );
    let notes = [
        count_note(lang, "note.unknown_stage", f.unknown_stage),
        count_note(lang, "note.no_start_date", f.no_start_date),
    ];
    let mut tables = vec![stages, outcomes];
    tables.extend(lost::lost_tables(s, lang));
    section(
        lang,
        "funnel",
        notes.into_iter().flatten().collect(),
        tables,
    )
}

/// A funnel breakdown table (by source, industry, grade, owner, month).
pub(super) fn breakdown(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    key: &'static str,
    rows: &[FunnelBreakdown],
) -> Table {
    table(
        id,
        t(lang, title),
        vec![
            plain(lang, key),
            defined(lang, "col.opportunities", "opportunities"),
            defined(lang, "col.won", "won"),
            defined(lang, "col.lost", "lost"),
            defined(lang, "col.open", "open"),
            defined(lang, "col.win_rate", "win_rate").with(Emphasis::RateScale),
            defined(lang, "col.overall_conversion", "overall_conversion").with(Emphasis::RateScale),
            defined(lang, "col.won_amount", "won_amount"),
        ],
        rows.iter()
            .map(|r| {
                vec![
                    Val::text(data_value(lang, &r.key)),
                    Val::int(r.opportunities),
                    Val::int(r.won),
                    Val::int(r.lost),
                    Val::int(r.open),
                    Val::rate(r.win_rate),
                    Val::rate(r.overall_conversion),
                    Val::money(Some(r.won_amount)),
                ]
            })
            .collect(),
    )
}

fn conversion(s: &Summary, lang: Lang) -> Section {
    let f = &s.funnel;
    let tables = vec![
        breakdown(
            lang,
            "conversion.by_source",
            "table.by_source",
            "col.source",
            &f.by_source,
        ),
        breakdown(
            lang,
            "conversion.by_industry",
            "table.by_industry",
            "col.industry",
            &f.by_industry,
        ),
        breakdown(
            lang,
            "conversion.by_grade",
            "table.by_grade",
            "col.grade",
            &f.by_grade,
        ),
        breakdown(
            lang,
            "conversion.by_owner",
            "table.by_owner",
            "col.owner",
            &f.by_owner,
        ),
        breakdown(
            lang,
            "conversion.by_start_month",
            "table.by_start_month",
            "col.start_month",
            &f.by_start_month,
        ),
    ];
    section(lang, "conversion", Vec::new(), tables)
}
