//! The report workbook: one sheet per section of the view (`view.rs`), each
//! table an Excel table (bold filled header, its own filter buttons), with
//! number formats by cell kind, `—` for nulls, CJK-aware column widths, a
//! frozen header row and a landscape, fit-to-width print setup. Charts are
//! native Excel charts over the sheet's own cells (`xlsx/charts.rs`).
//! Text is always written with `write_string`, so a value starting with `=`
//! stays text. Definitions ride on the header cells as notes (Excel's hover
//! tooltip); conditional formats follow each column's emphasis
//! (`xlsx/conditional.rs`). The file is deterministic (fixed creation date:
//! the as-of date) and written atomically (`output::write_atomic`). The
//! per-rep workbooks (`reps.rs`) go through the same `book_bytes`.

mod cells;
mod charts;
mod conditional;
mod long_table;
mod package;

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Table as XlTable, TableColumn, TableStyle, Workbook, Worksheet,
    XlsxError,
};

use crm_core::findings::Finding;
use crm_core::tables::InputInfo;

use super::i18n::{t, Lang};
use super::privacy::{shown_findings, Privacy, Shown};
use super::sections::{findings_section, overview, sections};
use super::summary::Summary;
use super::svg::text_units;
use super::view::{Emphasis, Section, Table, Val};
use crate::output::write_atomic;
use crate::xlsx_text::write_text;
use cells::{
    definition_note, write_value, BodyCell, BodyEvent, FormatRuns, Formats, Widths, XfIndex,
    KIND_TEXT,
};
use long_table::{splice, LongBody, LONG_SECTION};

/// Findings listed in the workbook; beyond this a note row says so.
pub const FINDINGS_CAP: usize = 100_000;
/// Rows of any other table in the workbook (overdue customers, to-dos,
/// stalled deals, grade mismatches): the most urgent first, as each list
/// is sorted; a note gives the total. summary.json keeps every row.
pub const LIST_CAP: usize = 10_000;
/// Column widths, in character units.
pub(super) const MIN_WIDTH: usize = 6;
pub(super) const MAX_WIDTH: usize = 60;
/// Units of wrapped text per line (a little under `MAX_WIDTH`: words wrap
/// before the edge), the default row height in points, and the most lines
/// a row is grown to.
const WRAP_UNITS: usize = MAX_WIDTH - 6;
const ROW_HEIGHT: f64 = 15.0;
const MAX_LINES: usize = 20;
/// A4 in Excel's paper codes.
const PAPER_A4: u8 = 9;

/// Writes the report workbook to `path` atomically (a temporary file in the
/// same directory, then renamed: `output::write_atomic`), `list` being its
/// findings sheet ([`findings_sheet`]). The same inputs give the same bytes.
pub fn write_xlsx(
    shown: &Shown,
    findings: &[Finding],
    list: Section,
    lang: Lang,
    path: &Path,
) -> Result<(), XlsxError> {
    let bytes = workbook_bytes(shown, findings, list, lang)?;
    write_atomic(path, &bytes)?;
    Ok(())
}

/// The workbook as bytes (what `write_xlsx` writes).
pub fn workbook_bytes(
    shown: &Shown,
    findings: &[Finding],
    list: Section,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let summary = shown.summary();
    let all = book_sections(summary, findings, list, lang);
    let book = Book {
        title: t(lang, "report.title").to_string(),
        meta: meta_line(summary, lang),
        summary,
    };
    book_bytes(&book, &all, lang)
}

/// The workbook's findings sheet: the first [`FINDINGS_CAP`] of all
/// `findings`, shown as `privacy` lets them be (`inputs` say which columns
/// hold contacts and phones). It needs nothing the metrics compute, so a
/// run makes it beside them: masking and laying out 100,000 findings is a
/// fifth of a second.
pub fn findings_sheet(
    findings: &[Finding],
    inputs: &[InputInfo],
    privacy: Privacy,
    lang: Lang,
) -> Section {
    let listed = shown_findings(
        &findings[..findings.len().min(FINDINGS_CAP)],
        inputs,
        privacy,
    );
    findings_section(findings, &listed, lang)
}

/// The sheets of the report workbook: the overview, then every section,
/// with at most [`LIST_CAP`] rows of any list, and the findings sheet
/// `list` after the quality section.
fn book_sections(
    summary: &Summary,
    findings: &[Finding],
    list: Section,
    lang: Lang,
) -> Vec<Section> {
    let mut all = vec![overview(summary, lang)];
    let mut list = Some(list);
    for mut section in sections(summary, findings, None, lang) {
        section.cap_rows(LIST_CAP, t(lang, "note.rows_capped_book"));
        let quality = section.id == "quality";
        all.push(section);
        if quality {
            all.extend(list.take());
        }
    }
    all.extend(list);
    all
}

/// What a workbook says about itself besides its sections.
pub(super) struct Book<'a> {
    /// Document title.
    pub title: String,
    /// The line under every sheet's title (as-of date, period, tool).
    pub meta: String,
    /// The run (as-of date, tool), for the properties and charts.
    pub summary: &'a Summary,
}

/// A workbook of `sections`, one sheet each, in order.
pub(super) fn book_bytes(
    book: &Book,
    sections: &[Section],
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(book)?);
    let level = crate::output::WORKBOOK_ZIP_LEVEL;
    workbook.set_zip_compression_level(level);
    let formats = Formats::new(lang);
    let xf = formats.register(&mut workbook);
    let sheets = build_sheets(sections, |section| {
        let mut sheet = Worksheet::new();
        sheet.set_name(section.title)?;
        let (layout, long) = write_section(&mut sheet, &formats, &xf, section, &book.meta)?;
        conditional::add(&mut sheet, section, &layout)?;
        charts::add(&mut sheet, section, &layout, &book.summary.as_of, lang)?;
        Ok((sheet, long))
    })?;
    let mut long_body = None;
    for (i, (sheet, long)) in sheets.into_iter().enumerate() {
        workbook.push_worksheet(sheet);
        if let Some(mut body) = long {
            body.set_sheet(i + 1);
            long_body = Some(body);
        }
    }
    let Some(body) = long_body else {
        return workbook.save_to_buffer();
    };
    // The body's texts are the first shared strings, in its numbering.
    for (n, text) in body.strings().iter().enumerate() {
        workbook.populate_string_table(text, n as u32);
    }
    // Its rows are deflated while the rest is saved.
    let level = u32::from(level);
    let (saved, rows) = std::thread::scope(|scope| {
        let packing = scope.spawn(|| body.pack(level));
        let saved = workbook.save_to_buffer();
        let rows = packing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (saved, rows)
    });
    splice(&saved?, &body, &rows?, level)
}

/// Builds the sheet of every section, in section order, on two threads:
/// the sheets are independent until the workbook is saved. The sections
/// are shared out by cell count (the largest first, each to the thread
/// with fewer cells so far); the findings sheet of a big run holds most of
/// the cells (80% at 100k customers), so it gets a thread to itself.
fn build_sheets<'s, T: Send>(
    sections: &'s [Section],
    build: impl Fn(&'s Section) -> Result<T, XlsxError> + Sync,
) -> Result<Vec<T>, XlsxError> {
    let cells: Vec<usize> = sections
        .iter()
        .map(|s| {
            s.tables
                .iter()
                .map(|t| (t.rows.len() + 1) * t.columns.len())
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = (0..sections.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(cells[i]), i));
    let mut shares: [(usize, Vec<usize>); 2] = Default::default();
    for i in order {
        let lighter = usize::from(shares[1].0 < shares[0].0);
        shares[lighter].0 += cells[i];
        shares[lighter].1.push(i);
    }
    let [(_, mine), (_, beside)] = shares;
    let build_all = |share: Vec<usize>| -> Vec<(usize, Result<T, XlsxError>)> {
        share
            .into_iter()
            .map(|i| (i, build(&sections[i])))
            .collect()
    };
    let mut built = std::thread::scope(|scope| {
        let other = scope.spawn(|| build_all(beside));
        let mut built = build_all(mine);
        built.extend(
            other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        built
    });
    built.sort_by_key(|(i, _)| *i);
    built.into_iter().map(|(_, sheet)| sheet).collect()
}

/// Title, as-of date, creation date: nothing from the clock.
fn properties(book: &Book) -> Result<DocProperties, XlsxError> {
    let s = book.summary;
    let created =
        ExcelDateTime::parse_from_str(&s.as_of).or_else(|_| ExcelDateTime::from_ymd(2000, 1, 1))?;
    Ok(DocProperties::new()
        .set_title(&book.title)
        .set_author(&s.tool.name)
        .set_comment(&book.meta)
        .set_creation_datetime(&created))
}

/// As-of date, period and tool, on one line.
pub(super) fn meta_line(s: &Summary, lang: Lang) -> String {
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
        "overview" => &["overview.compare"],
        "funnel" => &[
            "funnel.outcomes",
            "funnel.lost_by_reason",
            "funnel.lost_by_stage",
            "funnel.lost_by_owner",
        ],
        "cycle" => &[
            "cycle.overall",
            "cycle.histogram",
            "cycle.time_in_stage",
            "cycle.stalled",
        ],
        "needs" => &["needs.keywords"],
        "cadence" => &["cadence.by_grade", "cadence.by_state"],
        "grades" => &["grades.counts"],
        "satisfaction" => &["satisfaction.distribution"],
        "forecast" => &[
            "forecast.pipeline",
            "forecast.expected",
            "forecast.collections",
        ],
        "todos" => &["todos.overall", "todos.by_owner"],
        "weekly" => &["weekly.detail"],
        "quality" => &["quality.by_code", "quality.inputs"],
        _ => &[],
    }
}

/// Writes `section` to `sheet`; the body of the [`LONG_SECTION`]'s table
/// comes back as XML, to be spliced in when the workbook is saved.
fn write_section<'s>(
    sheet: &mut Worksheet,
    fm: &Formats,
    xf: &XfIndex,
    section: &'s Section,
    meta: &str,
) -> Result<(Layout, Option<LongBody<'s>>), XlsxError> {
    let mut widths = Widths::default();
    write_text(sheet, (0, 0), section.title, Some(&fm.title))?;
    write_text(sheet, (1, 0), meta, Some(&fm.note))?;
    let mut row = 2;
    for note in &section.notes {
        write_text(sheet, (row, 0), note, Some(&fm.note))?;
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
    let mut long = None;
    for (list, col) in [(&left_tables, 0), (&right_tables, side_col)] {
        let mut next = top;
        for &table in list.iter() {
            let placed = if section.id == LONG_SECTION && !table.rows.is_empty() {
                let (placed, body) = put_long_table(sheet, fm, xf, &mut widths, table, next)?;
                long = Some(body);
                placed
            } else {
                put_table(sheet, fm, &mut widths, table, next, col)?
            };
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
    // One frozen header row is only right when every table under it has
    // the same columns; on paper, only when one table runs on.
    let same_columns = left_tables.windows(2).all(|w| {
        w[0].columns
            .iter()
            .map(|c| &c.label)
            .eq(w[1].columns.iter().map(|c| &c.label))
    });
    if let Some(first) = left_tables.first().map(|t| tables[t.id].header) {
        if same_columns {
            sheet.set_freeze_panes(first + 1, 0)?;
        }
        if left_tables.len() == 1 {
            sheet.set_repeat_rows(first, first)?;
        }
    }
    sheet.set_landscape();
    sheet.set_paper_size(PAPER_A4);
    sheet.set_print_fit_to_pages(1, 0);
    let layout = Layout {
        sheet: section.title.to_string(),
        tables,
        chart_anchor: (top, right + 1),
    };
    Ok((layout, long))
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
    write_text(sheet, (row, col), table.title, Some(&fm.subtitle))?;
    let header = row + 1;
    let mut formats = FormatRuns::default();
    walk_body(table, header, col, widths, &mut |event| match event {
        BodyEvent::Cell(cell) => {
            let format = write_value(sheet, fm, &cell)?;
            formats.add(sheet, cell.row, cell.col, format)
        }
        // Row heights are not computed on opening: give wrapped text room.
        BodyEvent::RowEnd { row, lines } if lines > 1 => {
            sheet.set_row_height(row, row_height(lines))?;
            Ok(())
        }
        BodyEvent::RowEnd { .. } => Ok(()),
    })?;
    formats.finish(sheet)?;
    if table.rows.is_empty() {
        sheet.write_string_with_format(header + 1, col, fm.no_data, &fm.values[KIND_TEXT][0])?;
    }
    let rows = table.rows.len() as u32;
    put_header(sheet, fm, widths, table, header, col, header + rows.max(1))?;
    Ok(Placed { header, col, rows })
}

/// Writes a titled table at (`row`, column A) whose body, rendered as XML,
/// is spliced into the saved workbook (`long_table`): here only its title,
/// header, and an Excel table over the header and one row, which the
/// splice grows to the body.
fn put_long_table<'t>(
    sheet: &mut Worksheet,
    fm: &Formats,
    xf: &XfIndex,
    widths: &mut Widths,
    table: &'t Table,
    row: u32,
) -> Result<(Placed, LongBody<'t>), XlsxError> {
    write_text(sheet, (row, 0), table.title, Some(&fm.subtitle))?;
    let header = row + 1;
    let placed = Placed {
        header,
        col: 0,
        rows: table.rows.len() as u32,
    };
    let body = LongBody::render(table, placed, fm, xf, |each| {
        walk_body(table, header, 0, widths, each)
    })?;
    put_header(sheet, fm, widths, table, header, 0, header + 1)?;
    Ok((placed, body))
}

/// The header of a table at (`header`, `col`), its definitions as notes,
/// and an Excel table from it down to `last_row`.
fn put_header(
    sheet: &mut Worksheet,
    fm: &Formats,
    widths: &mut Widths,
    table: &Table,
    header: u32,
    col: u16,
    last_row: u32,
) -> Result<(), XlsxError> {
    let columns: Vec<TableColumn> = table
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            widths.see(col + j as u16, &c.label);
            TableColumn::new()
                .set_header(&c.label)
                .set_header_format(&fm.header)
        })
        .collect();
    for (j, c) in table.columns.iter().enumerate() {
        if let Some(def) = c.definition.filter(|d| !d.is_empty()) {
            sheet.insert_note(header, col + j as u16, &definition_note(def))?;
        }
    }
    let xl = XlTable::new()
        .set_columns(&columns)
        .set_style(TableStyle::Light1);
    sheet.add_table(
        header,
        col,
        last_row,
        col + table.columns.len() as u16 - 1,
        &xl,
    )?;
    Ok(())
}

/// Walks the body of `table` (header at `header`, first column `col`) as
/// the workbook lays it out: every cell with its style (a marked row is
/// bold, an alert column red) and display width, and every row's end with
/// its lines of wrapped text. Column widths are noted on the way.
fn walk_body<'t>(
    table: &'t Table,
    header: u32,
    col: u16,
    widths: &mut Widths,
    each: &mut dyn FnMut(BodyEvent<'t>) -> Result<(), XlsxError>,
) -> Result<(), XlsxError> {
    for (i, values) in table.rows.iter().enumerate() {
        let r = header + 1 + i as u32;
        let marked = usize::from(i < table.marked);
        let mut lines = 1;
        for (j, (value, column)) in values.iter().zip(&table.columns).enumerate() {
            let c = col + j as u16;
            let style = if column.emphasis == Emphasis::Alert {
                2
            } else {
                marked
            };
            let units = match value {
                Val::Text(s) => text_units(s),
                _ => text_units(&value.display()),
            };
            widths.see_units(c, units);
            if matches!(value, Val::Text(_)) && units > MAX_WIDTH {
                lines = lines.max(units.div_ceil(WRAP_UNITS));
            }
            each(BodyEvent::Cell(BodyCell {
                row: r,
                col: c,
                value,
                style,
                units,
            }))?;
        }
        each(BodyEvent::RowEnd { row: r, lines })?;
    }
    Ok(())
}

/// The height, in points, of a row with `lines` lines of wrapped text
/// (at most [`MAX_LINES`]).
fn row_height(lines: usize) -> f64 {
    ROW_HEIGHT * lines.min(MAX_LINES) as f64
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
