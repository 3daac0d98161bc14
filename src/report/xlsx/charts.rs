//! Native Excel charts of the workbook, each over cells the sheet itself
//! holds (so a user who edits a number sees the chart follow): reached per
//! stage, win rate by source, the cycle histogram, the top 10 needs, won
//! amount per rep, declared vs computed grades, the satisfaction scores,
//! open vs weighted pipeline, target vs achieved (one chart per target
//! period, its rows being contiguous) and the monthly trend (columns of won
//! amount, a line of new opportunities). Charts sit to the right of the
//! sheet's tables, one below the other.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartLegendPosition, ChartType, Worksheet, XlsxError,
};

use super::{Layout, Placed};
use crate::report::i18n::{fill, t, Lang};
use crate::report::view::{target_chart_groups, Section, Val};

/// Default chart height in pixels and the rows it takes (20 px a row).
const HEIGHT: u32 = 288;
const ROW_PX: u32 = 20;
const WIDTH: u32 = 560;

/// What one chart plots: a table's category column against value columns.
struct Spec {
    kind: ChartType,
    title: String,
    table: &'static str,
    category: u16,
    values: &'static [u16],
    /// The first data row plotted (a period's rows of the targets table).
    skip: u32,
    /// At most this many rows (top 10 needs).
    limit: Option<u32>,
    /// The table's last row is a total, left out of the chart.
    total_row: bool,
    /// Number format of the value axis and labels.
    num_format: &'static str,
    /// A line over the same categories on a secondary axis (monthly).
    line: Option<u16>,
    /// Columns that touch, as a histogram's do.
    touching: bool,
}

fn specs(section_id: &str, lang: Lang) -> Vec<Spec> {
    let spec = |kind, title, table, category, values, num_format| Spec {
        kind,
        title: t(lang, title).to_string(),
        table,
        category,
        values,
        skip: 0,
        limit: None,
        total_row: false,
        num_format,
        line: None,
        touching: false,
    };
    match section_id {
        "funnel" => vec![spec(
            ChartType::Bar,
            "chart.reached",
            "funnel.stages",
            0,
            &[2],
            "0",
        )],
        "conversion" => vec![spec(
            ChartType::Column,
            "chart.win_rate_by_source",
            "conversion.by_source",
            0,
            &[5],
            "0%",
        )],
        "cycle" => vec![spec(
            ChartType::Column,
            "chart.cycle_histogram",
            "cycle.histogram",
            0,
            &[1],
            "0",
        )],
        "needs" => vec![Spec {
            limit: Some(10),
            ..spec(ChartType::Bar, "chart.top_needs", "needs.top", 1, &[2], "0")
        }],
        "reps" => vec![spec(
            ChartType::Bar,
            "chart.rep_won_amount",
            "reps.reps",
            0,
            &[6],
            "¥#,##0",
        )],
        "monthly" => vec![Spec {
            line: Some(1),
            ..spec(
                ChartType::Column,
                "chart.monthly",
                "monthly.months",
                0,
                &[4],
                "¥#,##0",
            )
        }],
        "grades" => vec![spec(
            ChartType::Column,
            "chart.grades",
            "grades.counts",
            0,
            &[1, 2],
            "0",
        )],
        "satisfaction" => vec![spec(
            ChartType::Column,
            "chart.score_distribution",
            "satisfaction.distribution",
            0,
            &[1],
            "0",
        )],
        "forecast" => vec![Spec {
            total_row: true,
            ..spec(
                ChartType::Bar,
                "chart.pipeline",
                "forecast.pipeline",
                0,
                &[2, 4],
                "¥#,##0",
            )
        }],
        _ => Vec::new(),
    }
}

/// Adds the section's charts to its sheet.
pub(super) fn add(
    sheet: &mut Worksheet,
    section: &Section,
    layout: &Layout,
    as_of: &str,
    lang: Lang,
) -> Result<(), XlsxError> {
    let (mut row, col) = layout.chart_anchor;
    let mut all = specs(section.id, lang);
    all.extend(target_specs(section, as_of, lang));
    for spec in all {
        let Some(placed) = layout.tables.get(spec.table) else {
            continue;
        };
        let available = placed
            .rows
            .saturating_sub(spec.skip)
            .saturating_sub(u32::from(spec.total_row));
        let n = spec.limit.map_or(available, |l| l.min(available));
        if n == 0 {
            continue;
        }
        let mut chart = chart(&spec, &layout.sheet, placed, n);
        // Bars get taller with more categories so labels stay readable.
        let height = if spec.kind == ChartType::Bar {
            HEIGHT.max(n * 24 * spec.values.len() as u32 + 80)
        } else {
            HEIGHT
        };
        chart.set_width(WIDTH).set_height(height);
        sheet.insert_chart(row, col, &chart)?;
        row += height / ROW_PX + 2;
    }
    Ok(())
}

/// Target vs achieved, one chart per period over its contiguous rows: the
/// periods holding the as-of date, else the last ones, at most three.
fn target_specs(section: &Section, as_of: &str, lang: Lang) -> Vec<Spec> {
    let Some(table) = section.tables.iter().find(|t| t.id == "forecast.targets") else {
        return Vec::new();
    };
    let periods: Vec<&str> = table
        .rows
        .iter()
        .map(|row| match row.first() {
            Some(Val::Text(p)) => p.as_str(),
            _ => "",
        })
        .collect();
    let chosen = target_chart_groups(&periods, as_of);
    chosen
        .into_iter()
        .map(|(period, skip, n)| Spec {
            kind: ChartType::Bar,
            title: fill(t(lang, "chart.targets"), &[("period", period)]),
            table: "forecast.targets",
            category: 1,
            values: &[3, 4],
            skip: skip as u32,
            limit: Some(n as u32),
            total_row: false,
            num_format: "¥#,##0",
            line: None,
            touching: false,
        })
        .collect()
}

fn chart(spec: &Spec, sheet: &str, p: &Placed, n: u32) -> Chart {
    let first = p.header + 1 + spec.skip;
    let last = first + n - 1;
    let categories = (
        sheet,
        first,
        p.col + spec.category,
        last,
        p.col + spec.category,
    );
    let mut chart = Chart::new(spec.kind);
    chart.title().set_name(&spec.title);
    let single = spec.values.len() == 1;
    for &value in spec.values {
        let series = chart
            .add_series()
            .set_categories(categories)
            .set_values((sheet, first, p.col + value, last, p.col + value))
            .set_name((sheet, p.header, p.col + value));
        if spec.touching {
            series.set_gap(5);
        }
        if spec.line.is_none() && single {
            series.set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format(spec.num_format),
            );
        }
    }
    if spec.kind == ChartType::Bar {
        // Bars read top-down in table order (the value axis, x, then moves
        // to the top unless it crosses at the last category).
        chart
            .y_axis()
            .set_reverse()
            .set_crossing(ChartAxisCrossing::Max);
        chart.x_axis().set_num_format(spec.num_format);
    } else {
        chart.y_axis().set_num_format(spec.num_format);
    }
    match spec.line {
        Some(line_col) => {
            let mut line = Chart::new(ChartType::Line);
            line.add_series()
                .set_categories(categories)
                .set_values((sheet, first, p.col + line_col, last, p.col + line_col))
                .set_name((sheet, p.header, p.col + line_col))
                .set_secondary_axis(true);
            chart.combine(&line);
            chart.y2_axis().set_num_format("0");
        }
        None if single => {
            chart.legend().set_hidden();
        }
        None => {
            chart.legend().set_position(ChartLegendPosition::Bottom);
        }
    }
    chart
}
