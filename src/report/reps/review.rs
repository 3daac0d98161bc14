//! One sales rep's review, built from the summary's per-owner rows: the
//! rep's figures beside the team median (the median of that figure over
//! every rep of `reps`, `未分配` left out, empty values left out), the
//! rep's funnel and cycle, cadence with the rep's overdue customers and
//! stalled deals, targets, slipped deals and collections, to-dos, and the
//! weekly activity by method. Only filtering and the median happen here.

use crate::metrics::definitions::{find_definition, find_metric_name};
use crate::report::i18n::{data_value, fill, t, Lang};
use crate::report::sections::{
    breakdown, cycle_groups, defined, overdue_table, overdue_todos_table, plain, section,
    slipped_table, stalled_table, table, targets_table, weekly_tables, weeks,
};
use crate::report::summary::{RepRow, Summary};
use crate::report::view::{Column, Kpi, Section, Table, Val};

/// The owner placeholder of records with no owner: not a rep.
pub const UNASSIGNED: &str = "未分配";

/// How a figure is shown.
#[derive(Clone, Copy)]
enum Kind {
    Count,
    Money,
    Rate,
    Decimal,
}

/// The figures of a rep row: definitions key, kind, value.
fn figures(r: &RepRow) -> [(&'static str, Kind, Option<f64>); 14] {
    let n = |x: usize| Some(x as f64);
    [
        ("customers", Kind::Count, n(r.customers)),
        ("opportunities", Kind::Count, n(r.opportunities)),
        ("won", Kind::Count, n(r.won)),
        ("lost", Kind::Count, n(r.lost)),
        ("open", Kind::Count, n(r.open)),
        ("won_amount", Kind::Money, Some(r.won_amount)),
        ("win_rate", Kind::Rate, r.win_rate),
        ("followups", Kind::Count, n(r.followups)),
        (
            "followups_per_customer",
            Kind::Decimal,
            r.followups_per_customer,
        ),
        ("cycle_median", Kind::Decimal, r.cycle_median_days),
        ("tracked", Kind::Count, n(r.tracked)),
        ("overdue_customers", Kind::Count, n(r.overdue)),
        ("cadence_compliance", Kind::Rate, r.cadence_compliance),
        ("completeness", Kind::Rate, r.completeness),
    ]
}

/// Figures shown as cards (the rest are in the table).
const CARDS: &[&str] = &[
    "won_amount",
    "won",
    "win_rate",
    "cycle_median",
    "followups",
    "cadence_compliance",
    "overdue_customers",
    "completeness",
];

fn val(kind: Kind, x: Option<f64>) -> Val {
    match kind {
        // A median of counts may fall between two.
        Kind::Count => x.map_or(Val::Null, |v| {
            if v.fract() == 0.0 {
                Val::Int(v as i64)
            } else {
                Val::Decimal(v)
            }
        }),
        Kind::Money => Val::money(x),
        Kind::Rate => Val::rate(x),
        Kind::Decimal => Val::decimal(x),
    }
}

/// The median of the values present (linear between the two middle ones).
pub fn median(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let mut v: Vec<f64> = values.flatten().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// The reps that get a review: every row of `reps` but `未分配`.
pub fn reviewed(s: &Summary) -> Vec<&RepRow> {
    s.reps.iter().filter(|r| r.owner != UNASSIGNED).collect()
}

/// The team median of each figure, in `figures` order.
fn team_medians(s: &Summary) -> Vec<Option<f64>> {
    let reps = reviewed(s);
    (0..14)
        .map(|i| median(reps.iter().map(|r| figures(r)[i].2)))
        .collect()
}

/// The cards: the rep's value with the team median under it.
pub fn rep_kpis(s: &Summary, rep: &RepRow, lang: Lang) -> Vec<Kpi> {
    let medians = team_medians(s);
    figures(rep)
        .into_iter()
        .zip(medians)
        .filter(|((key, _, _), _)| CARDS.contains(key))
        .map(|((key, kind, x), m)| Kpi {
            key,
            label: find_metric_name(lang, key).unwrap_or(key),
            value: val(kind, x),
            definition: find_definition(lang, key).unwrap_or(""),
            note: Some(fill(
                t(lang, "kpi.team_median"),
                &[("value", val(kind, m).display())],
            )),
        })
        .collect()
}

/// The overview: every figure, the rep's value beside the team median.
pub fn rep_overview(s: &Summary, rep: &RepRow, lang: Lang) -> Section {
    let medians = team_medians(s);
    let rows = figures(rep)
        .into_iter()
        .zip(medians)
        .map(|((key, kind, x), m)| {
            vec![
                Val::text(find_metric_name(lang, key).unwrap_or(key)),
                val(kind, x),
                val(kind, m),
                Val::text(find_definition(lang, key).unwrap_or("")),
            ]
        })
        .collect();
    let figures = table(
        "rep.figures",
        t(lang, "table.rep_figures"),
        vec![
            plain(lang, "col.metric"),
            plain(lang, "col.rep_value"),
            defined(lang, "col.team_median", "team_median"),
            plain(lang, "col.definition"),
        ],
        rows,
    );
    let note = fill(
        t(lang, "note.team_median"),
        &[("n", reviewed(s).len().to_string())],
    );
    section(lang, "overview", vec![note], vec![figures])
}

fn mine<'a, T>(rows: &'a [T], rep: &str, owner: impl Fn(&T) -> &str) -> Vec<T>
where
    T: Clone + 'a,
{
    rows.iter().filter(|r| owner(r) == rep).cloned().collect()
}

/// A one-row table of the rep's own figures.
fn one_row(id: &'static str, title: &'static str, columns: Vec<Column>, row: Vec<Val>) -> Table {
    table(id, title, columns, vec![row])
}

/// Every section of the rep's review after the overview, in sheet order.
pub fn rep_sections(s: &Summary, rep: &RepRow, lang: Lang) -> Vec<Section> {
    let name = rep.owner.as_str();
    // Funnel and cycle.
    let funnel_rows = mine(&s.funnel.by_owner, name, |r| &r.key);
    let mut funnel = breakdown(
        lang,
        "rep.funnel",
        "table.rep_funnel",
        "col.owner",
        &funnel_rows,
    );
    funnel
        .rows
        .iter_mut()
        .for_each(|r| r[0] = Val::text(data_value(lang, name)));
    let cycle_rows = mine(&s.cycle_days.by_owner, name, |r| &r.key);
    let cycle = cycle_groups(
        lang,
        "rep.cycle",
        "table.rep_cycle",
        "col.owner",
        &cycle_rows,
    );
    let stalled = stalled_table(lang, &mine(&s.time_in_stage.stalled, name, |r| &r.owner));
    // Cadence.
    let cadence = one_row(
        "rep.cadence",
        t(lang, "table.rep_cadence"),
        vec![
            defined(lang, "col.tracked", "tracked"),
            defined(lang, "col.overdue", "overdue_customers"),
            defined(lang, "col.cadence_compliance", "cadence_compliance"),
        ],
        vec![
            Val::int(rep.tracked),
            Val::int(rep.overdue),
            Val::rate(rep.cadence_compliance),
        ],
    );
    let overdue = overdue_table(lang, &mine(&s.cadence.overdue_list, name, |r| &r.owner));
    // Targets, slipped deals, collections.
    let targets = targets_table(
        lang,
        &mine(&s.targets, name, |r| r.owner.as_deref().unwrap_or("")),
    );
    let slipped = slipped_table(lang, &mine(&s.forecast.slipped.list, name, |r| &r.owner));
    let collections = mine(&s.collections.by_owner, name, |r| &r.key);
    let collections = table(
        "forecast.collections",
        t(lang, "table.collections"),
        vec![
            plain(lang, "col.deals"),
            plain(lang, "col.signed_amount"),
            defined(lang, "col.collected_amount", "collected_amount"),
            defined(lang, "col.collection_rate", "collection_rate"),
        ],
        collections
            .iter()
            .map(|c| {
                vec![
                    Val::int(c.deals),
                    Val::money(Some(c.signed_amount)),
                    Val::money(Some(c.collected_amount)),
                    Val::rate(c.rate),
                ]
            })
            .collect(),
    );
    // To-dos.
    let todo = s.todos.by_owner.iter().find(|o| o.owner == name);
    let todos = one_row(
        "todos.overall",
        t(lang, "table.todos"),
        vec![
            defined(lang, "col.todos", "todos"),
            defined(lang, "col.overdue_todos", "overdue_todos"),
        ],
        vec![
            Val::int(todo.map_or(0, |o| o.total)),
            Val::int(todo.map_or(0, |o| o.overdue)),
        ],
    );
    let overdue_todos = overdue_todos_table(lang, &mine(&s.todos.overdue_list, name, |r| &r.owner));
    // Weekly activity by method.
    let week_rows = mine(&s.weekly_activity, name, |r| &r.owner);
    let weekly = weekly_tables(lang, &weeks(&s.as_of, &week_rows), &week_rows, false);
    vec![
        section(lang, "funnel", Vec::new(), vec![funnel, cycle, stalled]),
        section(lang, "cadence", Vec::new(), vec![cadence, overdue]),
        section(
            lang,
            "forecast",
            Vec::new(),
            vec![targets, slipped, collections],
        ),
        section(lang, "todos", Vec::new(), vec![todos, overdue_todos]),
        section(lang, "weekly", Vec::new(), weekly),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::fixture;

    #[test]
    fn median_of_present_values() {
        assert_eq!(
            median([Some(3.0), None, Some(1.0), Some(2.0)].into_iter()),
            Some(2.0)
        );
        assert_eq!(median([Some(4.0), Some(1.0)].into_iter()), Some(2.5));
        assert_eq!(median([None, None].into_iter()), None);
    }

    #[test]
    fn unassigned_is_no_rep_and_not_in_the_median() {
        let mut s = fixture();
        s.reps.push(s.reps[0].clone());
        s.reps[2].owner = "李娜".into();
        s.reps[2].won_amount = 3_000_000.0;
        assert_eq!(reviewed(&s).len(), 2);
        let kpis = rep_kpis(&s, &s.reps[0], Lang::En);
        let won = kpis.iter().find(|k| k.key == "won_amount").unwrap();
        assert_eq!(won.value.display(), "¥1,000,000");
        assert_eq!(won.note.as_deref(), Some("Team median ¥2,000,000"));
    }

    #[test]
    fn sections_keep_only_the_reps_rows() {
        let s = fixture();
        let sections = rep_sections(&s, &s.reps[0], Lang::Zh);
        let cadence = sections.iter().find(|x| x.id == "cadence").unwrap();
        let overdue = cadence
            .tables
            .iter()
            .find(|t| t.id == "cadence.overdue")
            .unwrap();
        assert_eq!(overdue.rows.len(), 1);
        let funnel = &sections[0].tables[0];
        assert_eq!(funnel.rows.len(), 1);
        assert_eq!(funnel.rows[0][1], Val::Int(5));
    }
}
