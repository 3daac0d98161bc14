//! The self-contained HTML report. Templates are embedded from
//! `report_templates/` and named by constants; the environment is strict
//! (an undefined variable or an unknown label key is an error) and
//! auto-escapes every `.html` template, so text from the data can never
//! become markup. The only values inserted as safe are the SVG charts of
//! `svg.rs`, which escape their own text. Labels come from `i18n` through
//! the template function `t`.

mod charts;
mod colors;

use minijinja::value::Serde;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crm_core::findings::Finding;

use super::i18n::{lookup, t, Lang};
use super::privacy::Shown;
use super::sections::{kpis, overview, sections};
use super::summary::Summary;
use super::view::{Kpi, Section, Table, Val};
pub(super) use charts::{heatmap_chart, rep_target_chart, Chart};

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

/// The whole page.
#[derive(Serialize)]
struct Page {
    lang: &'static str,
    title: String,
    meta: Vec<Meta>,
    kpis: Vec<Card>,
    overview: SectionView,
    sections: Vec<SectionView>,
}

/// One line of the header (`As of: 2024-06-30`).
#[derive(Serialize)]
pub(super) struct Meta {
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
    note: Option<String>,
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
struct TableView {
    id: &'static str,
    title: &'static str,
    headers: Vec<Header>,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Header {
    label: String,
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
    /// Inline style of a colour scale or data bar.
    style: Option<String>,
}

/// What a page shows: the report's, or one rep's (`reps.rs`).
pub(super) struct PageInput {
    /// Page title and heading.
    pub title: String,
    /// Header lines.
    pub meta: Vec<Meta>,
    /// The cards.
    pub kpis: Vec<Kpi>,
    /// Shown under the cards (its `overview.kpis` table is the cards').
    pub overview: Section,
    /// The sections, each with its charts.
    pub sections: Vec<(Section, Vec<Chart>)>,
}

/// Renders the report page in `lang` from the summary as `shown` (contacts
/// and phones masked unless `--no-mask`).
pub fn render_html(shown: &Shown, findings: &[Finding], lang: Lang) -> Result<String, Error> {
    let listed = shown.findings(&findings[..findings.len().min(HTML_FINDINGS_CAP)]);
    let s = shown.summary();
    let total_findings = findings.len();
    let all = sections(s, findings, Some(&listed), lang)
        .into_iter()
        .map(|mut section| {
            if section.id == "quality" && total_findings > HTML_FINDINGS_CAP {
                section.notes.push(t(lang, "note.see_workbook").to_string());
            }
            section.cap_rows(HTML_ROWS_CAP, t(lang, "note.rows_capped"));
            let charts = charts::charts(s, lang, &section);
            (section, charts)
        })
        .collect();
    render_page(
        lang,
        PageInput {
            title: t(lang, "report.title").to_string(),
            meta: meta(s, lang),
            kpis: kpis(s, lang),
            overview: overview(s, lang),
            sections: all,
        },
    )
}

/// Rows a table of the page shows at most; long lists (overdue customers,
/// to-dos, stalled deals) are longer in the workbook and complete in
/// summary.json.
pub const HTML_ROWS_CAP: usize = 2_000;

/// Renders a page of the report's layout.
pub(super) fn render_page(lang: Lang, input: PageInput) -> Result<String, Error> {
    let env = environment(lang)?;
    let mut overview = section_view(input.overview, Vec::new());
    overview.tables.retain(|t| t.id != "overview.kpis");
    let page = Page {
        lang: lang.html_tag(),
        title: input.title,
        meta: input.meta,
        kpis: input
            .kpis
            .into_iter()
            .map(|k| Card {
                key: k.key,
                label: k.label,
                value: k.value.display(),
                definition: k.definition,
                note: k.note,
            })
            .collect(),
        overview,
        sections: input
            .sections
            .into_iter()
            .map(|(section, charts)| section_view(section, charts))
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

/// As-of date, period and tool.
pub(super) fn meta(s: &Summary, lang: Lang) -> Vec<Meta> {
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

/// A header line of the page.
pub(super) fn meta_item(label: &'static str, value: String) -> Meta {
    Meta { label, value }
}

fn section_view(section: Section, charts: Vec<Chart>) -> SectionView {
    SectionView {
        id: section.id,
        title: section.title,
        notes: section.notes,
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
    let styles = colors::styles(table);
    TableView {
        id: table.id,
        title: table.title,
        headers: table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| Header {
                label: c.label.clone(),
                definition: c.definition,
                numeric: numeric(i),
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .zip(styles)
            .enumerate()
            .map(|(i, (r, row_styles))| Row {
                marked: i < table.marked,
                cells: r
                    .iter()
                    .zip(&table.columns)
                    .zip(row_styles)
                    .map(|((v, c), style)| Cell {
                        text: v.display(),
                        sort: v.number().map(|x| x.to_string()),
                        numeric: v.number().is_some() || *v == Val::Null,
                        alert: c.emphasis == super::view::Emphasis::Alert,
                        style,
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
