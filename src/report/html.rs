//! The self-contained HTML report. Templates are embedded from
//! `report_templates/` and named by constants; the environment is strict
//! (an undefined variable or an unknown label key is an error) and
//! auto-escapes every `.html` template, so text from the data can never
//! become markup. The only values inserted as safe are the SVG charts of
//! `svg.rs`, which escape their own text. Labels come from `i18n` through
//! the template function `t`.

use minijinja::value::Serde;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crm_core::findings::Finding;

use super::i18n::{data_value, lookup, stage_label, t, Lang};
use super::sections::{kpis, sections};
use super::summary::Summary;
use super::svg::{self, Bar};
use super::view::{histogram, Section, Table, Val};

/// Name of the page skeleton template.
pub const BASE: &str = "base.html";
/// Name of the report template.
pub const REPORT: &str = "report.html";
/// Name of the table macro template.
pub const TABLE: &str = "partials/table.html";
/// Name of the KPI cards template.
pub const KPIS: &str = "partials/kpis.html";
/// Name of the section template.
pub const SECTION: &str = "partials/section.html";

const TEMPLATES: &[(&str, &str)] = &[
    (BASE, include_str!("../../report_templates/base.html")),
    (REPORT, include_str!("../../report_templates/report.html")),
    (
        TABLE,
        include_str!("../../report_templates/partials/table.html"),
    ),
    (
        KPIS,
        include_str!("../../report_templates/partials/kpis.html"),
    ),
    (
        SECTION,
        include_str!("../../report_templates/partials/section.html"),
    ),
];

/// Findings listed in the page (the workbook lists up to 100,000).
pub const HTML_FINDINGS_CAP: usize = 1_000;
/// Bars of the top-needs chart.
const CHART_NEEDS: usize = 10;

/// The whole page.
#[derive(Serialize)]
struct Page {
    lang: &'static str,
    title: &'static str,
    meta: Vec<Meta>,
    kpis: Vec<Card>,
    sections: Vec<SectionView>,
}

/// One line of the header (`As of: 2024-06-30`).
#[derive(Serialize)]
struct Meta {
    label: &'static str,
    value: String,
}

/// One KPI card.
#[derive(Serialize)]
struct Card {
    key: &'static str,
    label: &'static str,
    value: String,
    definition: &'static str,
}

#[derive(Serialize)]
struct SectionView {
    id: &'static str,
    title: &'static str,
    notes: Vec<String>,
    charts: Vec<Chart>,
    tables: Vec<TableView>,
}

#[derive(Serialize)]
struct Chart {
    title: &'static str,
    svg: String,
}

#[derive(Serialize)]
struct TableView {
    id: &'static str,
    title: &'static str,
    headers: Vec<Header>,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Header {
    label: &'static str,
    definition: Option<&'static str>,
    numeric: bool,
}

#[derive(Serialize)]
struct Row {
    marked: bool,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    text: String,
    /// The number to sort by, for numeric cells.
    sort: Option<String>,
    numeric: bool,
    alert: bool,
}

/// Renders the report page in `lang`.
pub fn render_html(summary: &Summary, findings: &[Finding], lang: Lang) -> Result<String, Error> {
    let env = environment(lang)?;
    let page = Page {
        lang: lang.html_tag(),
        title: t(lang, "report.title"),
        meta: meta(summary, lang),
        kpis: kpis(summary, lang)
            .into_iter()
            .map(|k| Card {
                key: k.key,
                label: k.label,
                value: k.value.display(),
                definition: k.definition,
            })
            .collect(),
        sections: sections(summary, findings, lang, HTML_FINDINGS_CAP)
            .into_iter()
            .map(|s| section_view(summary, findings.len(), lang, s))
            .collect(),
    };
    env.get_template(REPORT)?.render(Serde(&page))
}

/// A strict, auto-escaping environment with every template and `t(key)`.
fn environment(lang: Lang) -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    env.add_function("t", move |key: &str| {
        lookup(lang, key).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("unknown label key {key}"),
            )
        })
    });
    Ok(env)
}

fn meta(s: &Summary, lang: Lang) -> Vec<Meta> {
    vec![
        Meta {
            label: t(lang, "report.as_of"),
            value: s.as_of.clone(),
        },
        Meta {
            label: t(lang, "report.period"),
            value: s
                .period
                .clone()
                .unwrap_or_else(|| t(lang, "report.period_all").to_string()),
        },
        Meta {
            label: t(lang, "report.generated_by"),
            value: format!("{} {}", s.tool.name, s.tool.version),
        },
    ]
}

fn section_view(s: &Summary, total_findings: usize, lang: Lang, section: Section) -> SectionView {
    let charts = charts(s, lang, &section);
    let mut notes = section.notes;
    if section.id == "quality" && total_findings > HTML_FINDINGS_CAP {
        notes.push(t(lang, "note.see_workbook").to_string());
    }
    SectionView {
        id: section.id,
        title: section.title,
        notes,
        charts,
        tables: section.tables.iter().map(table_view).collect(),
    }
}

fn table_view(table: &Table) -> TableView {
    let numeric = |c: usize| {
        let mut values = table
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .filter(|v| **v != Val::Null)
            .peekable();
        values.peek().is_some() && values.all(|v| v.number().is_some())
    };
    TableView {
        id: table.id,
        title: table.title,
        headers: table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| Header {
                label: c.label,
                definition: c.definition,
                numeric: numeric(i),
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                marked: i < table.marked,
                cells: r
                    .iter()
                    .zip(&table.columns)
                    .map(|(v, c)| Cell {
                        text: v.display(),
                        sort: v.number().map(|x| x.to_string()),
                        numeric: v.number().is_some() || *v == Val::Null,
                        alert: c.alert,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The charts of a section, drawn from the summary (labels translated).
fn charts(s: &Summary, lang: Lang, section: &Section) -> Vec<Chart> {
    let f = &s.funnel;
    let chart = |title: &'static str, svg: String| Chart {
        title: t(lang, title),
        svg,
    };
    let rate = |x: Option<f64>| Bar {
        label: String::new(),
        value: x.unwrap_or(0.0),
        text: Val::rate(x).display(),
    };
    match section.id {
        "funnel" if !f.stages.is_empty() => {
            let bars: Vec<Bar> = f
                .stages
                .iter()
                .map(|st| Bar {
                    label: stage_label(lang, &st.code, &st.label),
                    value: st.reached as f64,
                    text: Val::int(st.reached).display(),
                })
                .collect();
            let conv: Vec<String> = f
                .stages
                .iter()
                .map(|st| rate(st.conversion_to_next).text)
                .collect();
            vec![chart(
                "chart.reached",
                svg::funnel(t(lang, "chart.reached"), &bars, &conv),
            )]
        }
        "conversion" if !f.by_source.is_empty() => {
            let bars: Vec<Bar> = f
                .by_source
                .iter()
                .map(|r| Bar {
                    label: data_value(lang, &r.key),
                    ..rate(r.win_rate)
                })
                .collect();
            vec![chart(
                "chart.win_rate_by_source",
                svg::hbars(t(lang, "chart.win_rate_by_source"), &bars, 0),
            )]
        }
        "cycle" if !s.cycle_days.values.is_empty() => {
            let bars: Vec<Bar> = histogram(&s.cycle_days.values)
                .into_iter()
                .map(|b| Bar {
                    value: b.count as f64,
                    text: b.count.to_string(),
                    label: b.label,
                })
                .collect();
            vec![chart(
                "chart.cycle_histogram",
                svg::columns(t(lang, "chart.cycle_histogram"), &bars),
            )]
        }
        "needs" if !s.top_needs.is_empty() => {
            let bars: Vec<Bar> = s
                .top_needs
                .iter()
                .take(CHART_NEEDS)
                .map(|n| Bar {
                    label: n.need.clone(),
                    value: n.customers as f64,
                    text: n.customers.to_string(),
                })
                .collect();
            vec![chart(
                "chart.top_needs",
                svg::hbars(t(lang, "chart.top_needs"), &bars, 3),
            )]
        }
        "reps" if !s.reps.is_empty() => {
            let bars: Vec<Bar> = s
                .reps
                .iter()
                .map(|r| Bar {
                    label: data_value(lang, &r.owner),
                    value: r.won_amount,
                    text: Val::money(Some(r.won_amount)).display(),
                })
                .collect();
            vec![chart(
                "chart.rep_won_amount",
                svg::hbars(t(lang, "chart.rep_won_amount"), &bars, 0),
            )]
        }
        "monthly" if !s.monthly.is_empty() => {
            let amounts: Vec<Bar> = s
                .monthly
                .iter()
                .map(|m| Bar {
                    label: m.month.clone(),
                    value: m.won_amount,
                    text: Val::money(Some(m.won_amount)).display(),
                })
                .collect();
            let new: Vec<Bar> = s
                .monthly
                .iter()
                .map(|m| Bar {
                    label: m.month.clone(),
                    value: m.new_opportunities as f64,
                    text: m.new_opportunities.to_string(),
                })
                .collect();
            let legend = (t(lang, "col.won_amount"), t(lang, "col.new_opportunities"));
            vec![chart(
                "chart.monthly",
                svg::columns_line(t(lang, "chart.monthly"), &amounts, &new, legend),
            )]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
