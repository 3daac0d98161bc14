//! The overview: the headline figures (cards in HTML, a table in the
//! workbook), each with the previous period's change when the run compared
//! periods (`compare`), and the comparison table itself. Values are copied
//! from the summary; the only arithmetic is turning a change into its
//! display (`+12.5%`, `+3.0 pp`).

use super::{plain, section, table};
use crate::metrics::definitions::{find_definition, find_metric_name};
use crate::report::i18n::{fill, t, Lang};
use crate::report::summary::{CompareRow, Summary};
use crate::report::view::{Kpi, Section, Table, Val};

/// How a figure of the comparison is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Count,
    Money,
    Rate,
    Days,
}

/// The display kind of a comparison key (`win_rate` is a rate, …).
fn kind(key: &str) -> Kind {
    if key.ends_with("rate")
        || key.ends_with("share")
        || key.ends_with("conversion")
        || key.ends_with("compliance")
    {
        Kind::Rate
    } else if key.contains("amount") {
        Kind::Money
    } else if key.contains("days") || key.contains("cycle") {
        Kind::Days
    } else {
        Kind::Count
    }
}

/// The definitions key of a comparison key (they differ for two figures).
fn metric_key(compare_key: &str) -> &str {
    match compare_key {
        "cycle_median_days" => "cycle_median",
        "overdue" => "overdue_customers",
        other => other,
    }
}

fn value(kind: Kind, x: Option<f64>) -> Val {
    match kind {
        Kind::Count => x.filter(|v| v.is_finite()).map_or(Val::Null, |v| {
            if v.fract() == 0.0 {
                Val::Int(v as i64)
            } else {
                Val::Decimal(v)
            }
        }),
        Kind::Money => Val::money(x),
        Kind::Rate => Val::rate(x),
        Kind::Days => Val::decimal(x),
    }
}

/// A change with its sign: `+12.5%` of the previous value, or `+3.0 pp`
/// for a rate; `None` when there is nothing to compare.
fn change_text(lang: Lang, row: &CompareRow) -> Option<String> {
    let kind = kind(&row.key);
    let signed = |text: String, x: f64| {
        if x > 0.0 && !text.starts_with('-') {
            format!("+{text}")
        } else {
            text
        }
    };
    let text = if kind == Kind::Rate {
        let pp = row.change.filter(|c| c.is_finite())? * 100.0;
        let args = [("n", signed(format!("{pp:.1}"), pp))];
        fill(t(lang, "kpi.points"), &args)
    } else if let Some(r) = row.change_ratio.filter(|r| r.is_finite()) {
        signed(Val::Rate(r).display(), r)
    } else {
        let c = row.change.filter(|c| c.is_finite())?;
        signed(value(kind, Some(c)).display(), c)
    };
    Some(fill(t(lang, "kpi.vs_previous"), &[("change", text)]))
}

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
        (
            "weighted_amount",
            Val::money(Some(s.forecast.weighted_amount)),
        ),
        ("slipped", Val::int(s.forecast.slipped.count)),
        ("overdue_todos", Val::int(s.todos.overdue)),
        ("grade_mismatches", Val::int(s.grades.mismatches)),
        ("satisfaction_mean", Val::decimal(s.satisfaction.mean)),
        ("collection_rate", Val::rate(s.collections.rate)),
        ("issues", Val::int(s.quality.issues)),
    ];
    figures
        .into_iter()
        .map(|(key, value)| Kpi {
            key,
            label: find_metric_name(lang, key).unwrap_or(key),
            value,
            definition: find_definition(lang, key).unwrap_or(""),
            note: s.compare.as_ref().and_then(|c| {
                c.figures
                    .iter()
                    .find(|r| metric_key(&r.key) == key)
                    .and_then(|r| change_text(lang, r))
            }),
        })
        .collect()
}

/// The overview as a table: metric, value, definition.
pub fn overview_table(kpis: &[Kpi], lang: Lang) -> Table {
    table(
        "overview.kpis",
        t(lang, "table.kpis"),
        vec![
            plain(lang, "col.metric"),
            plain(lang, "col.value"),
            plain(lang, "col.definition"),
        ],
        kpis.iter()
            .map(|k| vec![Val::text(k.label), k.value.clone(), Val::text(k.definition)])
            .collect(),
    )
}

/// The comparison with the previous period, when the run made one.
fn compare_table(s: &Summary, lang: Lang) -> Option<Table> {
    let c = s.compare.as_ref()?;
    let rows = c
        .figures
        .iter()
        .map(|r| {
            let kind = kind(&r.key);
            let key = metric_key(&r.key);
            let change = if kind == Kind::Rate {
                // A change of a rate is in percentage points, said so.
                r.change.filter(|c| c.is_finite()).map_or(Val::Null, |c| {
                    let pp = format!("{:.1}", c * 100.0);
                    Val::Text(fill(t(lang, "kpi.points"), &[("n", pp)]))
                })
            } else {
                value(kind, r.change)
            };
            vec![
                Val::text(find_metric_name(lang, key).unwrap_or(key)),
                value(kind, r.current),
                value(kind, r.previous),
                change,
                Val::rate(r.change_ratio),
            ]
        })
        .collect();
    let mut previous = plain(lang, "col.previous");
    previous.label = format!("{}（{}）", previous.label, c.previous_period);
    Some(table(
        "overview.compare",
        t(lang, "table.compare"),
        vec![
            plain(lang, "col.metric"),
            plain(lang, "col.current_period"),
            previous,
            plain(lang, "col.change"),
            plain(lang, "col.change_ratio"),
        ],
        rows,
    ))
}

/// The overview section: the headline figures, then the comparison.
pub fn overview(s: &Summary, lang: Lang) -> Section {
    let mut tables = vec![overview_table(&kpis(s, lang), lang)];
    let mut notes = Vec::new();
    if let Some(c) = &s.compare {
        let args = [
            ("period", c.previous_period.clone()),
            ("as_of", c.previous_as_of.clone()),
        ];
        notes.push(fill(t(lang, "note.compare"), &args));
    }
    tables.extend(compare_table(s, lang));
    section(lang, "overview", notes, tables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::summary::Compare;

    fn row(key: &str, current: f64, previous: f64, ratio: Option<f64>) -> CompareRow {
        CompareRow {
            key: key.into(),
            current: Some(current),
            previous: Some(previous),
            change: Some(current - previous),
            change_ratio: ratio,
        }
    }

    #[test]
    fn changes_carry_their_sign_and_unit() {
        let won = row("won", 12.0, 10.0, Some(0.2));
        assert_eq!(change_text(Lang::En, &won).unwrap(), "+20.0% vs previous");
        let rate = row("win_rate", 0.5, 0.55, None);
        assert_eq!(change_text(Lang::En, &rate).unwrap(), "-5.0 pp vs previous");
        let from_zero = row("signed_amount", 1000.0, 0.0, None);
        assert_eq!(change_text(Lang::Zh, &from_zero).unwrap(), "较上期 +¥1,000");
        assert_eq!(kind("cycle_median_days"), Kind::Days);
        assert_eq!(metric_key("overdue"), "overdue_customers");
    }

    #[test]
    fn overview_shows_the_comparison_when_made() {
        let mut s = crate::report::fixture::fixture();
        assert_eq!(overview(&s, Lang::Zh).tables.len(), 1);
        s.compare = Some(Compare {
            previous_period: "2024-Q1".into(),
            previous_as_of: "2024-03-31".into(),
            figures: vec![
                row("won", 3.0, 2.0, Some(0.5)),
                row("win_rate", 0.5, 0.4, None),
            ],
        });
        let section = overview(&s, Lang::Zh);
        let table = &section.tables[1];
        assert_eq!(table.columns[2].label, "上期（2024-Q1）");
        assert_eq!(table.rows[0][3], Val::Int(1));
        assert_eq!(table.rows[1][3].display(), "10.0 个百分点");
        assert!(section.notes[0].contains("2024-03-31"));
        let won = kpis(&s, Lang::Zh)
            .into_iter()
            .find(|k| k.key == "won")
            .unwrap();
        assert_eq!(won.note.as_deref(), Some("较上期 +50.0%"));
    }
}
