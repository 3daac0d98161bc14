//! Builds the report view (`view.rs`) from the summary and findings, in the
//! report language: the headline figures, then one section per sheet of the
//! workbook. Labels come from `i18n`, definitions from
//! `metrics::definitions`; values are copied, never computed.

mod activity;
mod quality;

use crm_core::findings::Finding;

use super::i18n::{data_value, fill, stage_label, t, Lang};
use super::summary::{FunnelBreakdown, Summary};
use super::view::{Column, Kpi, Section, Table, Val};
use crate::metrics::definitions::{definition, metric_name};
use activity::{cadence, cycle, monthly, needs, reps};
use quality::{glossary, quality};

/// How many needs the needs table lists.
pub const TOP_NEEDS: usize = 20;
/// How many needs are marked as the top ones.
const MARKED_NEEDS: usize = 3;

/// The headline figures of the Overview sheet and the HTML cards.
pub fn kpis(s: &Summary, lang: Lang) -> Vec<Kpi> {
    let f = &s.funnel;
    let figures = [
        ("rows_read", Val::int(s.rows.read)),
        ("rows_accepted", Val::int(s.rows.accepted)),
        ("rows_rejected", Val::int(s.rows.rejected)),
        ("customers", Val::int(s.customers.total)),
        ("duplicates_merged", Val::int(s.customers.duplicates_merged)),
        ("opportunities", Val::int(f.won + f.lost + f.open)),
        ("won", Val::int(f.won)),
        ("lost", Val::int(f.lost)),
        ("open", Val::int(f.open)),
        ("win_rate", Val::rate(f.win_rate)),
        ("overall_conversion", Val::rate(f.overall_conversion)),
        ("won_amount", Val::money(Some(f.won_amount))),
        ("avg_won_amount", Val::money(f.avg_won_amount)),
        ("cycle_median", Val::decimal(s.cycle_days.median)),
        ("cycle_p90", Val::decimal(s.cycle_days.p90)),
        ("cadence_compliance", Val::rate(s.cadence.compliance)),
        ("overdue_customers", Val::int(s.cadence.overdue)),
        ("issues", Val::int(s.quality.issues)),
    ];
    figures
        .into_iter()
        .map(|(key, value)| Kpi {
            key,
            label: metric_name(lang, key),
            value,
            definition: definition(lang, key),
        })
        .collect()
}

/// Every section after the overview, in sheet order, ending with the
/// definitions. At most `findings_cap` findings are listed.
pub fn sections(
    s: &Summary,
    findings: &[Finding],
    lang: Lang,
    findings_cap: usize,
) -> Vec<Section> {
    vec![
        funnel(s, lang),
        conversion(s, lang),
        cycle(s, lang),
        needs(s, lang),
        reps(s, lang),
        cadence(s, lang),
        monthly(s, lang),
        quality(s, findings, lang, findings_cap),
        glossary(lang),
    ]
}

/// The overview as a table: metric, value, definition.
pub fn overview_table(kpis: &[Kpi], lang: Lang) -> Table {
    Table {
        id: "overview.kpis",
        title: t(lang, "table.kpis"),
        columns: vec![
            plain(lang, "col.metric"),
            plain(lang, "col.value"),
            plain(lang, "col.definition"),
        ],
        rows: kpis
            .iter()
            .map(|k| vec![Val::text(k.label), k.value.clone(), Val::text(k.definition)])
            .collect(),
        marked: 0,
    }
}

/// A column with no definition.
fn plain(lang: Lang, label: &'static str) -> Column {
    Column {
        label: t(lang, label),
        definition: None,
        alert: false,
    }
}

/// A column whose header carries the definition of `metric`.
fn defined(lang: Lang, label: &'static str, metric: &str) -> Column {
    Column {
        label: t(lang, label),
        definition: Some(definition(lang, metric)),
        alert: false,
    }
}

fn table(
    id: &'static str,
    title: &'static str,
    columns: Vec<Column>,
    rows: Vec<Vec<Val>>,
) -> Table {
    Table {
        id,
        title,
        columns,
        rows,
        marked: 0,
    }
}

fn section(lang: Lang, id: &'static str, notes: Vec<String>, tables: Vec<Table>) -> Section {
    let title = match id {
        "funnel" => "section.funnel",
        "conversion" => "section.conversion",
        "cycle" => "section.cycle",
        "needs" => "section.needs",
        "reps" => "section.reps",
        "cadence" => "section.cadence",
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

fn count_note(lang: Lang, key: &'static str, n: usize) -> Option<String> {
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
            defined(lang, "col.conversion_to_next", "conversion_to_next"),
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
    section(
        lang,
        "funnel",
        notes.into_iter().flatten().collect(),
        vec![stages, outcomes],
    )
}

fn breakdown(
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
            defined(lang, "col.win_rate", "win_rate"),
            defined(lang, "col.overall_conversion", "overall_conversion"),
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
