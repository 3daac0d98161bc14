//! Native Excel charts of the workbook, each over cells the sheet itself
//! holds (so a user who edits a number sees the chart follow): reached per
//! stage, win rate by source, the cycle histogram, the top 10 needs, won
//! amount per rep (plus data bars in its column) and the monthly trend
//! (columns of won amount, a line of new opportunities). Charts sit to the
//! right of the sheet's tables, one below the other.

use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartType, ConditionalFormatDataBar, Worksheet,
    XlsxError,
};

use super::{Layout, Placed};
use crate::report::i18n::{t, Lang};
use crate::report::view::Section;

/// Default chart height in pixels and the rows it takes (20 px a row).
const HEIGHT: u32 = 288;
const ROW_PX: u32 = 20;
const WIDTH: u32 = 560;

/// What one chart plots: a table's category column against a value column.
struct Spec {
    kind: ChartType,
    title: &'static str,
    table: &'static str,
    category: u16,
    value: u16,
    /// At most this many rows (top 10 needs).
    limit: Option<u32>,
    /// Number format of the value axis and labels.
    num_format: &'static str,
    /// A line over the same categories on a secondary axis (monthly).
    line: Option<u16>,
    /// Columns that touch, as a histogram's do.
    touching: bool,
}

fn specs(section_id: &str) -> Vec<Spec> {
    let spec = |kind, title, table, category, value, num_format| Spec {
        kind,
        title,
        table,
        category,
        value,
        limit: None,
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
            2,
            "0",
        )],
        "conversion" => vec![spec(
            ChartType::Column,
            "chart.win_rate_by_source",
            "conversion.by_source",
            0,
            5,
            "0%",
        )],
        "cycle" => vec![spec(
            ChartType::Column,
            "chart.cycle_histogram",
            "cycle.histogram",
            0,
            1,
            "0",
        )],
        "needs" => vec![Spec {
            limit: Some(10),
            ..spec(ChartType::Bar, "chart.top_needs", "needs.top", 1, 2, "0")
        }],
        "reps" => vec![spec(
            ChartType::Bar,
            "chart.rep_won_amount",
            "reps.reps",
            0,
            6,
            "¥#,##0",
        )],
        "monthly" => vec![Spec {
            line: Some(1),
            ..spec(
                ChartType::Column,
                "chart.monthly",
                "monthly.months",
                0,
                4,
                "¥#,##0",
            )
        }],
        _ => Vec::new(),
    }
}

/// Adds the section's charts (and the reps' data bars) to its sheet.
pub(super) fn add(
    sheet: &mut Worksheet,
    section: &Section,
    layout: &Layout,
    lang: Lang,
) -> Result<(), XlsxError> {
    if let Some(p) = layout.tables.get("reps.reps").filter(|p| p.rows > 0) {
        let col = p.col + 6;
        sheet.add_conditional_format(
            p.header + 1,
            col,
            p.header + p.rows,
            col,
            &ConditionalFormatDataBar::new(),
        )?;
    }
    let (mut row, col) = layout.chart_anchor;
    for spec in specs(section.id) {
        let Some(placed) = layout.tables.get(spec.table).filter(|p| p.rows > 0) else {
            continue;
        };
        let n = spec.limit.map_or(placed.rows, |l| l.min(placed.rows));
        let mut chart = chart(&spec, &layout.sheet, placed, n, lang);
        // Bars get taller with more categories so labels stay readable.
        let height = if spec.kind == ChartType::Bar {
            HEIGHT.max(n * 24 + 80)
        } else {
            HEIGHT
        };
        chart.set_width(WIDTH).set_height(height);
        sheet.insert_chart(row, col, &chart)?;
        row += height / ROW_PX + 2;
    }
    Ok(())
}

fn chart(spec: &Spec, sheet: &str, p: &Placed, n: u32, lang: Lang) -> Chart {
    let first = p.header + 1;
    let last = p.header + n;
    let categories = (
        sheet,
        first,
        p.col + spec.category,
        last,
        p.col + spec.category,
    );
    let values = (sheet, first, p.col + spec.value, last, p.col + spec.value);
    let mut chart = Chart::new(spec.kind);
    chart.title().set_name(t(lang, spec.title));
    let series = chart
        .add_series()
        .set_categories(categories)
        .set_values(values)
        .set_name((sheet, p.header, p.col + spec.value));
    if spec.touching {
        series.set_gap(5);
    }
    if spec.line.is_none() {
        series.set_data_label(
            ChartDataLabel::new()
                .show_value()
                .set_num_format(spec.num_format),
        );
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
        None => {
            chart.legend().set_hidden();
        }
    }
    chart
}
