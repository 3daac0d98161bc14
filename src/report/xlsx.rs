//! The report workbook: one sheet per section of the view (`view.rs`), each
//! table an Excel table (bold filled header, its own filter buttons), with
//! number formats by cell kind, `—` for nulls, CJK-aware column widths, a
//! frozen header row and a landscape, fit-to-width print setup. Charts are
//! native Excel charts over the sheet's own cells (`xlsx/charts.rs`).
//! Text is always written with `write_string`, so a value starting with `=`
//! stays text. The file is deterministic (fixed creation date: the as-of
//! date) and written atomically (`output::write_atomic`).

mod charts;

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Table as XlTable,
    TableColumn, TableStyle, Workbook, Worksheet, XlsxError,
};

use crm_core::findings::Finding;

use super::i18n::{t, Lang};
use super::sections::{kpis, overview_table, sections};
use super::summary::Summary;
use super::svg::text_units;
use super::view::{Section, Table, Val, DASH};
use crate::output::write_atomic;

/// Findings listed in the workbook; beyond this a note row says so.
pub const FINDINGS_CAP: usize = 100_000;
/// Excel's limit on the characters of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Column widths, in character units.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// Units of wrapped text per line (a little under `MAX_WIDTH`: words wrap
/// before the edge), the default row height in points, and the most lines
/// a row is grown to.
const WRAP_UNITS: usize = MAX_WIDTH - 6;
const ROW_HEIGHT: f64 = 15.0;
const MAX_LINES: usize = 20;
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;

/// Writes the report workbook to `path` atomically (a temporary file in the
/// same directory, then renamed: `output::write_atomic`). The same inputs
/// give the same bytes.
pub fn write_xlsx(
    summary: &Summary,
    findings: &[Finding],
    lang: Lang,
    path: &Path,
) -> Result<(), XlsxError> {
    let bytes = workbook_bytes(summary, findings, lang)?;
    write_atomic(path, &bytes)?;
    Ok(())
}

/// The workbook as bytes (what `write_xlsx` writes).
pub fn workbook_bytes(
    summary: &Summary,
    findings: &[Finding],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(summary, lang)?);
    let formats = Formats::new(lang);
    let overview = Section {
        id: "overview",
        title: t(lang, "section.overview"),
        notes: Vec::new(),
        tables: vec![overview_table(&kpis(summary, lang), lang)],
    };
    let meta = meta_line(summary, lang);
    for section in std::iter::once(overview).chain(sections(summary, findings, lang, FINDINGS_CAP))
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(section.title)?;
        let layout = write_section(sheet, &formats, &section, &meta)?;
        charts::add(sheet, &section, &layout, lang)?;
    }
    workbook.save_to_buffer()
}

/// Title, as-of date, creation date: nothing from the clock.
fn properties(summary: &Summary, lang: Lang) -> Result<DocProperties, XlsxError> {
    let created = ExcelDateTime::parse_from_str(&summary.as_of)
        .or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?;
    Ok(DocProperties::new()
        .set_title(t(lang, "report.title"))
        .set_author(&summary.tool.name)
        .set_comment(format!("{} {}", t(lang, "report.as_of"), summary.as_of))
        .set_creation_datetime(&created))
}

fn meta_line(s: &Summary, lang: Lang) -> String {
    let period = s
        .period
        .clone()
        .unwrap_or_else(|| t(lang, "report.period_all").to_string());
    format!(
        "{} {}    {} {}    {} {} {}",
        t(lang, "report.as_of"),
        s.as_of,
        t(lang, "report.period"),
        period,
        t(lang, "report.generated_by"),
        s.tool.name,
        s.tool.version
    )
}

/// The formats of every cell kind, made once per workbook.
struct Formats {
    /// What an empty table shows in its one row.
    no_data: &'static str,
    title: Format,
    subtitle: Format,
    note: Format,
    header: Format,
    /// Plain text too long for its column.
    wrap: Format,
    /// Indexed by `KIND_*`, then plain / bold (marked row) / red (alert).
    values: [[Format; 3]; 6],
}

impl Formats {
    fn new(lang: Lang) -> Formats {
        let base = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xD9DEE5));
        let number = |f: &str| base.clone().set_num_format(f);
        // Same order as `KIND_*`.
        let kinds = [
            number("0"),
            number("¥#,##0"),
            number("0.0%"),
            number("0.0"),
            base.clone(),
            base.clone().set_align(FormatAlign::Right),
        ];
        Formats {
            no_data: t(lang, "report.no_data"),
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_bold().set_font_size(11),
            note: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x5F6B7A)),
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xDCE6F2))
                .set_border(FormatBorder::Thin)
                .set_text_wrap(),
            wrap: base.clone().set_text_wrap(),
            values: kinds.map(|f| {
                [
                    f.clone(),
                    f.clone().set_bold(),
                    f.set_font_color(Color::RGB(0xC0392B)),
                ]
            }),
        }
    }
}

const KIND_INT: usize = 0;
const KIND_MONEY: usize = 1;
const KIND_RATE: usize = 2;
const KIND_DECIMAL: usize = 3;
const KIND_TEXT: usize = 4;
const KIND_DASH: usize = 5;

/// Where a table landed: its header row and first column, and data rows.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    /// Header row (0-based).
    pub header: u32,
    /// First column.
    pub col: u16,
    /// Data rows written (0 for an empty table).
    pub rows: u32,
}

/// What the chart code needs from a written sheet.
pub(super) struct Layout {
    /// The sheet's name, for chart ranges.
    pub sheet: String,
    /// Tables by id.
    pub tables: BTreeMap<&'static str, Placed>,
    /// First row and column free for charts (right of every table).
    pub chart_anchor: (u32, u16),
}

/// Tables placed in a column of their own to the right. The left column
/// then holds tables with the same columns (or one long table), so the one
/// header row a sheet can freeze is right for everything under it.
fn side_tables(section: &Section) -> &'static [&'static str] {
    match section.id {
        "funnel" => &["funnel.outcomes"],
        "cycle" => &["cycle.overall", "cycle.histogram"],
        "cadence" => &["cadence.by_grade", "cadence.by_state"],
        "quality" => &["quality.by_code", "quality.inputs"],
        _ => &[],
    }
}

fn write_section(
    sheet: &mut Worksheet,
    fm: &Formats,
    section: &Section,
    meta: &str,
) -> Result<Layout, XlsxError> {
    let mut widths = Widths::default();
    sheet.write_string_with_format(0, 0, section.title, &fm.title)?;
    sheet.write_string_with_format(1, 0, meta, &fm.note)?;
    let mut row = 2;
    for note in &section.notes {
        sheet.write_string_with_format(row, 0, clip(note), &fm.note)?;
        row += 1;
    }
    let top = row + 1;
    let side = side_tables(section);
    let (right_tables, left_tables): (Vec<&Table>, Vec<&Table>) =
        section.tables.iter().partition(|t| side.contains(&t.id));
    let side_col = left_tables
        .iter()
        .map(|t| t.columns.len() as u16)
        .max()
        .unwrap_or(0)
        + 1;
    let mut tables = BTreeMap::new();
    for (list, col) in [(&left_tables, 0), (&right_tables, side_col)] {
        let mut next = top;
        for table in list.iter() {
            let placed = put_table(sheet, fm, &mut widths, table, next, col)?;
            next = placed.header + placed.rows.max(1) + 3;
            tables.insert(table.id, placed);
        }
    }
    let right = section
        .tables
        .iter()
        .map(|t| tables[t.id].col + t.columns.len() as u16)
        .max()
        .unwrap_or(1);
    widths.apply(sheet)?;
    if let Some(first) = left_tables.first().map(|t| tables[t.id].header) {
        sheet.set_freeze_panes(first + 1, 0)?;
        // On paper, a repeated header is only right when one table runs on.
        if left_tables.len() == 1 {
            sheet.set_repeat_rows(first, first)?;
        }
    }
    sheet.set_landscape();
    sheet.set_paper_size(PAPER_A4);
    sheet.set_print_fit_to_pages(1, 0);
    Ok(Layout {
        sheet: section.title.to_string(),
        tables,
        chart_anchor: (top, right + 1),
    })
}

/// Writes a titled table at (`row`, `col`): title, header, rows, and an
/// Excel table over header and rows (one "no data" row when empty).
fn put_table(
    sheet: &mut Worksheet,
    fm: &Formats,
    widths: &mut Widths,
    table: &Table,
    row: u32,
    col: u16,
) -> Result<Placed, XlsxError> {
    sheet.write_string_with_format(row, col, table.title, &fm.subtitle)?;
    let header = row + 1;
    for (i, values) in table.rows.iter().enumerate() {
        let r = header + 1 + i as u32;
        let style = usize::from(i < table.marked);
        let mut lines = 1;
        for (j, (value, column)) in values.iter().zip(&table.columns).enumerate() {
            let c = col + j as u16;
            let style = if column.alert { 2 } else { style };
            write_value(sheet, fm, r, c, value, style)?;
            let text = value.display();
            widths.see(c, &text);
            let units = text_units(&text);
            if matches!(value, Val::Text(_)) && units > MAX_WIDTH {
                lines = lines.max(units.div_ceil(WRAP_UNITS));
            }
        }
        // Row heights are not computed on opening: give wrapped text room.
        if lines > 1 {
            sheet.set_row_height(r, ROW_HEIGHT * lines.min(MAX_LINES) as f64)?;
        }
    }
    if table.rows.is_empty() {
        sheet.write_string_with_format(header + 1, col, fm.no_data, &fm.values[KIND_TEXT][0])?;
    }
    let columns: Vec<TableColumn> = table
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            widths.see(col + j as u16, c.label);
            TableColumn::new()
                .set_header(c.label)
                .set_header_format(&fm.header)
        })
        .collect();
    let rows = table.rows.len() as u32;
    let xl = XlTable::new()
        .set_columns(&columns)
        .set_style(TableStyle::Light1);
    sheet.add_table(
        header,
        col,
        header + rows.max(1),
        col + table.columns.len() as u16 - 1,
        &xl,
    )?;
    Ok(Placed { header, col, rows })
}

fn write_value(
    sheet: &mut Worksheet,
    fm: &Formats,
    row: u32,
    col: u16,
    value: &Val,
    style: usize,
) -> Result<(), XlsxError> {
    let (kind, number) = match value {
        Val::Text(s) => {
            let text = clip(s);
            let format = if style == 0 && text_units(text) > MAX_WIDTH {
                &fm.wrap
            } else {
                &fm.values[KIND_TEXT][style]
            };
            sheet.write_string_with_format(row, col, text, format)?;
            return Ok(());
        }
        Val::Null => {
            sheet.write_string_with_format(row, col, DASH, &fm.values[KIND_DASH][style])?;
            return Ok(());
        }
        Val::Int(n) => (KIND_INT, *n as f64),
        Val::Money(x) => (KIND_MONEY, *x),
        Val::Rate(x) => (KIND_RATE, *x),
        Val::Decimal(x) => (KIND_DECIMAL, *x),
    };
    sheet.write_number_with_format(row, col, number, &fm.values[kind][style])?;
    Ok(())
}

/// Cuts text to Excel's cell limit (at a character boundary).
fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The widest display text seen per column, in half-width units.
#[derive(Default)]
struct Widths(BTreeMap<u16, usize>);

impl Widths {
    fn see(&mut self, col: u16, text: &str) {
        let w = text_units(text).min(MAX_WIDTH);
        let e = self.0.entry(col).or_insert(0);
        *e = (*e).max(w);
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (&col, &w) in &self.0 {
            sheet.set_column_width(col, (w + 2).clamp(MIN_WIDTH, MAX_WIDTH) as f64)?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
