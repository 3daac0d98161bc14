//! Tests of [`super`]: the fast worksheet reader against calamine, the
//! reference. A workbook inside the fast reader's subset must come out of
//! [`fast_read`] exactly as [`calamine_read`] reads it (sheet names and
//! every cell); a workbook outside it must be left to calamine (`None`).
//!
//! Workbooks are written with rust_xlsxwriter, as a spreadsheet program
//! writes them, and by hand (see [`package`]) for the XML rust_xlsxwriter
//! never writes. Every test also checks some values outright, so that the
//! two readers being wrong the same way (both empty, say) cannot pass.

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use rust_xlsxwriter::{Chart, ChartType, ExcelDateTime, Format, Formula, Workbook};
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use crate::ingest::excel::{calamine_read, fast_read};
use crate::ingest::read::{ReadError, ReadOptions};
use crate::model::{Cell, RawSheet};

/// The name the workbooks are read under.
const FILE: &str = "book.xlsx";

/// Reads `bytes` with both readers under the default limits: the fast
/// reader must take the workbook and read the same sheets, in the same
/// order, with the same cells as calamine. Returns the fast reader's sheets.
fn same(bytes: &[u8]) -> Vec<RawSheet> {
    let reference = calamine_sheets(bytes);
    let fast = match fast_read(bytes, FILE, &ReadOptions::default()) {
        Some(Ok(sheets)) => sheets,
        Some(Err(e)) => panic!("the fast reader failed where calamine did not: {e}"),
        None => panic!("the fast reader left the workbook to calamine"),
    };
    assert_same_sheets(&fast, &reference);
    fast
}

/// Asserts that the fast reader leaves `bytes` to calamine, and that
/// calamine still answers them (with sheets or an error) without panicking.
fn bails(bytes: &[u8]) {
    let opts = ReadOptions::default();
    match fast_read(bytes, FILE, &opts) {
        None => {}
        Some(Ok(sheets)) => panic!(
            "the fast reader read {} sheet(s) instead of leaving the workbook to calamine",
            sheets.len()
        ),
        Some(Err(e)) => {
            panic!("the fast reader failed instead of leaving the workbook to calamine: {e}")
        }
    }
    let _ = calamine_read(bytes, FILE, &opts);
}

/// For XML where the edge of the subset is the fast reader's choice: it
/// may leave `bytes` to calamine, but if it reads them it must read them as
/// calamine does. Returns calamine's sheets.
fn agrees(bytes: &[u8]) -> Vec<RawSheet> {
    let reference = calamine_sheets(bytes);
    match fast_read(bytes, FILE, &ReadOptions::default()) {
        None => {}
        Some(Ok(fast)) => assert_same_sheets(&fast, &reference),
        Some(Err(e)) => panic!("the fast reader failed where calamine did not: {e}"),
    }
    reference
}

/// calamine's sheets of `bytes`, which it must be able to read.
fn calamine_sheets(bytes: &[u8]) -> Vec<RawSheet> {
    match calamine_read(bytes, FILE, &ReadOptions::default()) {
        Ok(sheets) => sheets,
        Err(e) => panic!("calamine cannot read the test workbook: {e}"),
    }
}

/// Asserts that `fast` holds the sheets of `reference`: names, order, file
/// and every row. A difference is reported at its first row, not as the
/// whole sheet (some have a million rows).
fn assert_same_sheets(fast: &[RawSheet], reference: &[RawSheet]) {
    let names =
        |sheets: &[RawSheet]| -> Vec<String> { sheets.iter().map(|s| s.sheet.clone()).collect() };
    assert_eq!(names(fast), names(reference), "sheet names");
    for (f, r) in fast.iter().zip(reference) {
        assert_eq!(f.file, r.file, "file of sheet '{}'", r.sheet);
        let height = f.rows.len().max(r.rows.len());
        if let Some(i) = (0..height).find(|&i| f.rows.get(i) != r.rows.get(i)) {
            panic!(
                "sheet '{}' row {} ({} rows fast, {} calamine):\n fast:     {:?}\n calamine: {:?}",
                r.sheet,
                i + 1,
                f.rows.len(),
                r.rows.len(),
                f.rows.get(i),
                r.rows.get(i)
            );
        }
    }
}

/// A text cell.
fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

/// A number cell.
fn num(n: f64) -> Cell {
    Cell::Number(n)
}

/// A date cell at midnight.
fn date(y: i32, m: u32, d: u32) -> Cell {
    datetime(y, m, d, 0, 0, 0)
}

/// A date and time cell.
fn datetime(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> Cell {
    let value = NaiveDate::from_ymd_opt(y, m, d).and_then(|day| day.and_hms_opt(h, mi, s));
    Cell::DateTime(value.expect("a valid test date"))
}

/// A date and time for rust_xlsxwriter.
fn excel_datetime(y: u16, m: u8, d: u8, h: u16, mi: u8, s: f64) -> ExcelDateTime {
    ExcelDateTime::from_ymd(y, m, d)
        .and_then(|day| day.and_hms(h, mi, s))
        .expect("a valid test date")
}

// ---------------------------------------------------------------------
// Workbooks written by rust_xlsxwriter.
// ---------------------------------------------------------------------

/// Shared strings (Chinese, markup characters, quotes, spaces kept at
/// either end, a line break, a tab; an empty string writes no cell) and
/// numbers of every size and sign are read alike.
#[test]
fn written_strings_and_numbers() {
    let strings = [
        "客户名称",
        "A & B",
        "<tag>",
        "x > y",
        "\"quoted\" 'single'",
        "  leading",
        "trailing  ",
        "line 1\nline 2",
        "",
        "中文 & <混合> \"引号\"",
        "\ttabbed",
    ];
    let numbers = [
        0.0,
        42.0,
        -17.0,
        3.25,
        -0.5,
        1e15,
        1e-7,
        123_456_789.123,
        -1e-300,
        f64::MAX,
        0.1 + 0.2,
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, s) in (0u16..).zip(strings) {
        sheet.write_string(0, col, s).expect("a string cell");
    }
    for (col, n) in (0u16..).zip(numbers) {
        sheet.write_number(1, col, n).expect("a number cell");
    }
    // The same strings again, in reverse: shared, not written twice.
    for (col, s) in (0u16..).zip(strings.iter().rev()) {
        sheet.write_string(2, col, *s).expect("a string cell");
    }
    let bytes = book.save_to_buffer().expect("a workbook");

    let sheets = same(&bytes);
    let rows = &sheets[0].rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], text("客户名称"));
    assert_eq!(rows[0][1], text("A & B"));
    assert_eq!(rows[0][5], text("  leading"));
    assert_eq!(rows[0][7], text("line 1\nline 2"));
    assert_eq!(rows[0][8], Cell::Empty);
    assert_eq!(rows[0][9], text("中文 & <混合> \"引号\""));
    assert_eq!(rows[1][2], num(-17.0));
    assert_eq!(rows[1][5], num(1e15));
    assert_eq!(rows[1][6], num(1e-7));
    assert_eq!(rows[1][9], num(f64::MAX));
    assert_eq!(rows[2][0], text("\ttabbed"));
    assert_eq!(rows[2][10], text("客户名称"));
}

/// Dates and number formats: date formats (custom, Chinese, locale-tagged,
/// built-in) give dates, `[h]:mm:ss` a duration, clock formats a time of
/// day; percent, thousands, a quoted `d` and a red negative stay numbers.
#[test]
fn written_dates_and_number_formats() {
    let format = |code: &str| Format::new().set_num_format(code);
    let when = excel_datetime(2024, 3, 15, 8, 30, 0.0);
    let day = ExcelDateTime::from_ymd(2024, 3, 15).expect("a valid test date");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let dates = [
        (0, when.clone(), "yyyy-mm-dd"),
        (1, day.clone(), r#"yyyy"年"m"月"d"日""#),
        (7, day, "[$-804]yyyy/m/d"),
        (
            11,
            excel_datetime(1999, 12, 31, 23, 59, 59.0),
            "yyyy-mm-dd hh:mm:ss",
        ),
        (
            12,
            excel_datetime(2024, 3, 15, 12, 0, 0.5),
            "yyyy-mm-dd hh:mm:ss.000",
        ),
    ];
    for (col, value, code) in dates {
        sheet
            .write_datetime_with_format(0, col, &value, &format(code))
            .expect("a date cell");
    }
    let numbers = [
        (2, 1.5, "[h]:mm:ss"),
        (3, 0.5625, "h:mm AM/PM"),
        (4, 0.125, "0.00%"),
        (5, 1_234_567.0, "#,##0"),
        (6, 0.25, "mm:ss"),
        (8, 5.0, r#""d"0"#),
        (9, -3.0, "0_);[Red](0)"),
        // Excel's phantom 1900-02-29.
        (14, 60.0, "yyyy-mm-dd"),
        // A time of day that rounds up to midnight.
        (15, 0.999_999_999, "hh:mm:ss"),
        (16, 45_366.999_999, "yyyy-mm-dd hh:mm"),
    ];
    for (col, value, code) in numbers {
        sheet
            .write_number_with_format(0, col, value, &format(code))
            .expect("a number cell");
    }
    // Without a format a date is a plain number; built-in format 14 a date.
    sheet.write_datetime(0, 10, &when).expect("a date cell");
    sheet
        .write_number_with_format(0, 13, 45366.0, &Format::new().set_num_format_index(14))
        .expect("a date cell");
    let bytes = book.save_to_buffer().expect("a workbook");

    let sheets = same(&bytes);
    let row = &sheets[0].rows[0];
    assert_eq!(row[0], datetime(2024, 3, 15, 8, 30, 0));
    assert_eq!(row[1], date(2024, 3, 15));
    assert_eq!(row[2], text("36:00:00"));
    assert_eq!(row[3], text("13:30"));
    assert_eq!(row[4], num(0.125));
    assert_eq!(row[5], num(1_234_567.0));
    assert_eq!(row[6], text("06:00"));
    assert_eq!(row[7], date(2024, 3, 15));
    assert_eq!(row[8], num(5.0));
    assert_eq!(row[9], num(-3.0));
    assert!(
        matches!(row[10], Cell::Number(n) if (n - 45_366.354_166).abs() < 1e-5),
        "{:?}",
        row[10]
    );
    assert_eq!(row[11], datetime(1999, 12, 31, 23, 59, 59));
    let half_second = NaiveDate::from_ymd_opt(2024, 3, 15)
        .and_then(|d| d.and_hms_milli_opt(12, 0, 0, 500))
        .expect("a valid test date");
    assert_eq!(row[12], Cell::DateTime(half_second));
    assert_eq!(row[13], date(2024, 3, 15));
    assert_eq!(row[14], text("1900-02-29"));
}

/// Booleans, and formulas with their cached results: number, text (with
/// markup characters, spaces, Chinese), error, boolean, a date-formatted
/// number, and rust_xlsxwriter's default result 0.
#[test]
fn written_booleans_and_formula_results() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_boolean(0, 0, true).expect("a boolean cell");
    sheet.write_boolean(0, 1, false).expect("a boolean cell");
    sheet.write_number(0, 2, 2.0).expect("a number cell");
    let formulas = [
        Formula::new("=C1+1").set_result("3"),
        Formula::new(r#"=C1&" & <x>""#).set_result("2 & <x>"),
        Formula::new("=1/0").set_result("#DIV/0!"),
        Formula::new("=NA()").set_result("#N/A"),
        Formula::new("=C1>1").set_result("TRUE"),
        Formula::new("=SUM(C1:C1)"),
        Formula::new(r#"="  padded  ""#).set_result("  padded  "),
        Formula::new(r#"="中文""#).set_result("中文"),
    ];
    for (col, formula) in (0u16..).zip(formulas) {
        sheet
            .write_formula(1, col, formula)
            .expect("a formula cell");
    }
    sheet
        .write_formula_with_format(
            1,
            8,
            Formula::new("=DATE(2024,3,15)").set_result("45366"),
            &Format::new().set_num_format("yyyy-mm-dd"),
        )
        .expect("a formula cell");
    sheet
        .write_formula(1, 9, "=C1*10")
        .expect("a formula cell")
        .set_formula_result(1, 9, "20");
    let bytes = book.save_to_buffer().expect("a workbook");

    let sheets = same(&bytes);
    let rows = &sheets[0].rows;
    assert_eq!(rows[0], [Cell::Bool(true), Cell::Bool(false), num(2.0)]);
    assert_eq!(
        rows[1],
        [
            num(3.0),
            text("2 & <x>"),
            Cell::Error("#DIV/0!".to_owned()),
            Cell::Error("#N/A".to_owned()),
            Cell::Bool(true),
            num(0.0),
            text("  padded  "),
            text("中文"),
            date(2024, 3, 15),
            num(20.0),
        ]
    );
}

/// Merged ranges are filled with their top-left value: a title across a
/// row, a block down a column, a label across two cells of a total row.
#[test]
fn written_merged_ranges() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .merge_range(0, 0, 0, 3, "销售报表 & 汇总", &Format::new().set_bold())
        .expect("a merged title");
    for (col, header) in (0u16..).zip(["区域", "产品", "数量", "金额"]) {
        sheet.write_string(1, col, header).expect("a header cell");
    }
    sheet
        .merge_range(2, 0, 4, 0, "华东", &Format::new())
        .expect("a merged block");
    for (row, (product, count)) in (2u32..).zip([("甲", 1.0), ("乙", 2.0), ("丙", 3.0)]) {
        sheet.write_string(row, 1, product).expect("a text cell");
        sheet.write_number(row, 2, count).expect("a number cell");
        sheet
            .write_number(row, 3, count * 9.5)
            .expect("a number cell");
    }
    sheet
        .merge_range(5, 0, 5, 1, "合计", &Format::new())
        .expect("a merged label");
    sheet.write_number(5, 3, 57.0).expect("a number cell");
    let bytes = book.save_to_buffer().expect("a workbook");

    let sheets = same(&bytes);
    let rows = &sheets[0].rows;
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0], vec![text("销售报表 & 汇总"); 4]);
    assert_eq!(rows[1][3], text("金额"));
    for row in &rows[2..5] {
        assert_eq!(row[0], text("华东"));
    }
    assert_eq!(rows[4][..3], [text("华东"), text("丙"), num(3.0)]);
    assert_eq!(
        rows[5],
        [text("合计"), text("合计"), Cell::Empty, num(57.0)]
    );
}

/// Worksheets come in workbook order, hidden and empty ones included, a
/// name with `&` and Chinese intact; the chart sheet is skipped.
#[test]
fn written_sheets_in_workbook_order() {
    let mut book = Workbook::new();
    let first = book.add_worksheet();
    first.write_string(0, 0, "first").expect("a text cell");
    for row in 1..4u32 {
        first
            .write_number(row, 0, f64::from(row))
            .expect("a number cell");
    }
    let mut chart = Chart::new(ChartType::Column);
    chart.add_series().set_values(("Sheet1", 1, 0, 3, 0));
    book.add_chartsheet()
        .insert_chart(0, 0, &chart)
        .expect("a chart");
    let named = book.add_worksheet();
    named.set_name("R&D 研发").expect("a sheet name");
    named
        .write_string(0, 0, "研发 & first")
        .expect("a text cell");
    named.write_string(1, 1, "first").expect("a text cell");
    let hidden = book.add_worksheet();
    hidden.set_name("Hidden").expect("a sheet name");
    hidden.set_hidden(true);
    hidden.write_number(0, 0, 7.0).expect("a number cell");
    book.add_worksheet().set_name("空表").expect("a sheet name");
    let last = book.add_worksheet();
    last.set_name("Last").expect("a sheet name");
    last.write_string(0, 0, "last").expect("a text cell");
    let bytes = book.save_to_buffer().expect("a workbook");

    let sheets = same(&bytes);
    let names: Vec<&str> = sheets.iter().map(|s| s.sheet.as_str()).collect();
    assert_eq!(names, ["Sheet1", "R&D 研发", "Hidden", "空表", "Last"]);
    assert_eq!(sheets[0].rows[3], [num(3.0)]);
    assert_eq!(sheets[1].rows[0], [text("研发 & first")]);
    assert_eq!(sheets[1].rows[1], [Cell::Empty, text("first")]);
    assert_eq!(sheets[2].rows, [vec![num(7.0)]]);
    assert!(sheets[3].rows.is_empty());
    assert_eq!(sheets[4].rows, [vec![text("last")]]);
}

/// Cells far right and far down keep their places: column 200 (`GS`),
/// row 5001, the last column (`XFD`) and the last row (1048576).
#[test]
fn written_far_cells() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "origin").expect("a text cell");
    sheet.write_number(0, 200, 1.0).expect("a far cell");
    sheet.write_number(5000, 0, 2.0).expect("a far cell");
    sheet.write_string(5000, 200, "far").expect("a far cell");
    sheet.write_string(2, 16_383, "XFD").expect("a far cell");
    sheet.write_number(1_048_575, 1, 3.0).expect("a far cell");
    let bytes = book.save_to_buffer().expect("a workbook");

    let sheets = same(&bytes);
    let rows = &sheets[0].rows;
    assert_eq!(rows.len(), 1_048_576);
    assert_eq!(rows[0].len(), 201);
    assert_eq!(rows[0][0], text("origin"));
    assert_eq!(rows[0][200], num(1.0));
    assert!(rows[1].is_empty());
    assert_eq!(rows[2].len(), 16_384);
    assert_eq!(rows[2][16_383], text("XFD"));
    assert_eq!(rows[5000][0], num(2.0));
    assert_eq!(rows[5000][200], text("far"));
    assert_eq!(rows[1_048_575], [Cell::Empty, num(3.0)]);
}

// ---------------------------------------------------------------------
// Workbooks written by hand.
// ---------------------------------------------------------------------

/// The XML declaration every part starts with.
const XML_DECL: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;
/// SpreadsheetML's main namespace.
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
/// The namespace of relationship ids (`r:id`).
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The start of a content type of a SpreadsheetML part.
const TYPE_PREFIX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";

/// An xlsx package: `sheets` are (name, whole worksheet document) in
/// workbook order, stored as `xl/worksheets/sheet1.xml`, `sheet2.xml`...;
/// a name is written into an attribute as given, so it must be escaped.
/// `shared_strings` and `styles` are whole documents too; `workbook_pr` is
/// put in `xl/workbook.xml` where Excel writes `<workbookPr>` (may be empty).
fn package(
    sheets: &[(&str, &str)],
    shared_strings: Option<&str>,
    styles: Option<&str>,
    workbook_pr: &str,
) -> Vec<u8> {
    let mut types = format!(
        r#"{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="{TYPE_PREFIX}.sheet.main+xml"/>"#
    );
    let mut sheet_list = String::new();
    let mut rels = format!(
        r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    );
    let mut parts = Vec::new();
    for (n, (name, xml)) in (1..).zip(sheets) {
        types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{TYPE_PREFIX}.worksheet+xml"/>"#
        ));
        sheet_list.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        parts.push((format!("xl/worksheets/sheet{n}.xml"), (*xml).to_owned()));
    }
    let others = [("sharedStrings", shared_strings), ("styles", styles)];
    for (n, (kind, xml)) in (sheets.len() + 1..).zip(others) {
        let Some(xml) = xml else {
            continue;
        };
        types.push_str(&format!(
            r#"<Override PartName="/xl/{kind}.xml" ContentType="{TYPE_PREFIX}.{kind}+xml"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{REL_NS}/{kind}" Target="{kind}.xml"/>"#
        ));
        parts.push((format!("xl/{kind}.xml"), xml.to_owned()));
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    let workbook = format!(
        r#"{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><fileVersion appName="xl" lastEdited="7"/>{workbook_pr}<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews><sheets>{sheet_list}</sheets><calcPr calcId="191029"/></workbook>"#
    );
    let package_rels = format!(
        r#"{XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let mut all = vec![
        ("[Content_Types].xml".to_owned(), types),
        ("_rels/.rels".to_owned(), package_rels),
        ("xl/workbook.xml".to_owned(), workbook),
        ("xl/_rels/workbook.xml.rels".to_owned(), rels),
    ];
    all.extend(parts);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, xml) in &all {
        zip.start_file(path.as_str(), SimpleFileOptions::default())
            .expect("a zip entry");
        zip.write_all(xml.as_bytes()).expect("zip entry data");
    }
    zip.finish().expect("a finished zip").into_inner()
}

/// A worksheet document whose `<sheetData>` holds `rows`, with what Excel
/// writes around it; `after` goes right after `</sheetData>` (merged cells).
fn worksheet(rows: &str, after: &str) -> String {
    format!(
        r#"{XML_DECL}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>{rows}</sheetData>{after}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
    )
}

/// A shared strings document of the `<si>` items `items`.
fn shared_strings(items: &str) -> String {
    let count = items.matches("<si").count();
    format!(
        r#"{XML_DECL}<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{count}">{items}</sst>"#
    )
}

/// A styles document with two custom number formats and these cell
/// formats (`cellXfs`, the `s` of a cell): 0 General, 1 built-in 14 (a
/// date), 2 custom 164 `yyyy/mm/dd` (a date), 3 custom 165 `0.00` (a
/// number), 4 built-in 46 `[h]:mm:ss` (a duration), 5 built-in 22 (a date
/// and time), 6 without a number format (General). The cell style formats
/// (`cellStyleXfs`) before them are dates: they must not shift the count.
fn styles() -> String {
    let xf = |num_fmt: &str| {
        format!(
            r#"<xf {num_fmt} fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        )
    };
    let cell_xfs = [
        xf(r#"numFmtId="0""#),
        r#"<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left"/></xf>"#.to_owned(),
        xf(r#"numFmtId="164""#),
        xf(r#"numFmtId="165""#),
        xf(r#"numFmtId="46""#),
        xf(r#"numFmtId="22""#),
        xf(""),
    ]
    .concat();
    format!(
        concat!(
            r#"{decl}<styleSheet xmlns="{ns}">"#,
            r#"<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy/mm/dd"/><numFmt numFmtId="165" formatCode="0.00"/></numFmts>"#,
            r#"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"#,
            r#"<fills count="1"><fill><patternFill patternType="none"/></fill></fills>"#,
            r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
            r#"<cellStyleXfs count="2"><xf numFmtId="14" fontId="0" fillId="0" borderId="0"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
            r#"<cellXfs count="7">{cell_xfs}</cellXfs>"#,
            r#"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
            r#"</styleSheet>"#
        ),
        decl = XML_DECL,
        ns = MAIN_NS,
        cell_xfs = cell_xfs
    )
}

/// A workbook of one sheet `S` holding `rows`, with shared strings `sst`.
fn one_sheet(rows: &str, sst: Option<&str>) -> Vec<u8> {
    let sst = sst.map(shared_strings);
    package(&[("S", &worksheet(rows, ""))], sst.as_deref(), None, "")
}

/// Inline strings (`t="inlineStr"`): plain, rich text runs, spaces trimmed
/// or kept by `xml:space`, entities; a `<v>` before the `<is>` is ignored.
#[test]
fn inline_strings() {
    let rows = concat!(
        r#"<row r="1">"#,
        r#"<c r="A1" t="inlineStr"><is><t>x</t></is></c>"#,
        r#"<c r="B1" t="inlineStr"><v>ignored</v><is><t>y</t></is></c>"#,
        r#"<c r="C1" t="inlineStr"><is><r><t>rich</t></r><r><rPr><b/></rPr><t xml:space="preserve"> text</t></r></is></c>"#,
        r#"<c r="D1" t="inlineStr"><is><t>  padded  </t></is></c>"#,
        r#"<c r="E1" t="inlineStr"><is><t xml:space="preserve">  kept  </t></is></c>"#,
        r#"<c r="F1" t="inlineStr"><is><t>&amp;&lt;&#20013;&#x4E2D;&quot;</t></is></c>"#,
        r#"<c r="G1" t="inlineStr"><is><t/></is></c>"#,
        r#"<c r="H1" t="inlineStr" s="0"><is><t></t></is></c>"#,
        r#"<c r="I1"><v>1</v></c>"#,
        r#"</row>"#
    );
    let sheets = same(&one_sheet(rows, None));
    assert_eq!(
        sheets[0].rows,
        [vec![
            text("x"),
            text("y"),
            text("rich text"),
            text("padded"),
            text("  kept  "),
            text("&<中中\""),
            Cell::Empty,
            Cell::Empty,
            num(1.0),
        ]]
    );
}

/// Shared strings: rich text runs concatenated (each run's text trimmed or
/// kept on its own), phonetic runs and properties skipped, ASCII white
/// space at the ends trimmed without `xml:space="preserve"` and kept with
/// it, entities and character references decoded, empty items empty.
#[test]
fn shared_strings_are_decoded() {
    let items = [
        "<si><t>plain</t></si>",
        r#"<si><r><rPr><b/><sz val="11"/></rPr><t>ab</t></r><r><t xml:space="preserve"> cd</t></r><r><rPr><i/></rPr><t> e </t></r></si>"#,
        r#"<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>"#,
        "<si><t>  trimmed  </t></si>",
        r#"<si><t xml:space="preserve">  kept  </t></si>"#,
        "<si><t>&amp; &lt; &#20013; &#x4E2D;</t></si>",
        "<si/>",
        "<si><t/></si>",
        "<si><t>line1\nline2</t></si>",
        "<si><t>&quot;q&quot; &apos;a&apos; &gt;</t></si>",
        "<si><t>\n\tx \n</t></si>",
    ]
    .concat();
    let first: String = (0..11)
        .map(|i| {
            let col = char::from(b'A' + i);
            format!(r#"<c r="{col}1" t="s"><v>{i}</v></c>"#)
        })
        .collect();
    let rows = format!(
        r#"<row r="1">{first}</row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2" t="s" s="0"><v>0</v></c></row>"#
    );
    let sheets = same(&one_sheet(&rows, Some(&items)));
    assert_eq!(
        sheets[0].rows,
        [
            vec![
                text("plain"),
                text("ab cde"),
                text("漢字"),
                text("trimmed"),
                text("  kept  "),
                text("& < 中 中"),
                Cell::Empty,
                Cell::Empty,
                text("line1\nline2"),
                text("\"q\" 'a' >"),
                text("x"),
            ],
            vec![text("ab cde"), Cell::Empty, text("plain")],
        ]
    );
}

/// Cell types and formula results: `t="str"` with entities, `t="b"` as
/// 0/1/true/false, `t="e"`, `t="n"` and no type, `t="d"`; a self-closing
/// cell, an empty `<v/>`, a style with no styles part; `<f>` before `<v>`,
/// shared formulas with and without a body.
#[test]
fn cell_types_and_formula_results() {
    let rows = concat!(
        r#"<row r="1">"#,
        r#"<c r="A1" t="str"><f>"a &amp; b &lt;c&gt; "&amp;CHAR(20013)</f><v>a &amp; b &lt;c&gt; &#x4E2D;</v></c>"#,
        r#"<c r="B1" t="b"><v>0</v></c>"#,
        r#"<c r="C1" t="b"><v>1</v></c>"#,
        r#"<c r="D1" t="b"><v>true</v></c>"#,
        r#"<c r="E1" t="b"><v>false</v></c>"#,
        r#"<c r="F1" t="e"><v>#N/A</v></c>"#,
        r#"<c r="G1" t="e"><v>#DIV/0!</v></c>"#,
        r#"<c r="H1" t="n"><v>2.5</v></c>"#,
        r#"<c r="I1"><v>-7</v></c>"#,
        r#"<c r="J1" t="d"><v>2024-03-15T08:30:00</v></c>"#,
        r#"</row>"#,
        r#"<row r="2">"#,
        r#"<c r="A2" s="1"><v>5</v></c>"#,
        r#"<c r="B2" s="1"/>"#,
        r#"<c r="C2"><v/></c>"#,
        r#"<c r="D2" t="str"><v/></c>"#,
        r#"<c r="E2"><f>1+1</f><v>2</v></c>"#,
        r#"<c r="F2" t="e"><f>1/0</f><v>#DIV/0!</v></c>"#,
        r#"<c r="G2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>"#,
        r#"<c r="H2" t="d"><v>2024-03-15</v></c>"#,
        r#"<c r="I2" t="b"><f>TRUE()</f><v>1</v></c>"#,
        r#"</row>"#,
        r#"<row r="3">"#,
        r#"<c r="A3"><f t="shared" ref="A3:A5" si="0">E2*2</f><v>4</v></c>"#,
        r#"<c r="B3"><f t="shared" ref="B3:B4" si="1"/><v>1</v></c>"#,
        r#"<c r="C3" t="n"><v>1.5E-3</v></c>"#,
        r#"</row>"#,
        r#"<row r="4"><c r="A4"><f t="shared" si="0"/><v>6</v></c></row>"#,
        r#"<row r="5"><c r="A5"><f t="shared" si="0"/><v>8</v></c></row>"#
    );
    let sheets = same(&one_sheet(rows, None));
    let error = |e: &str| Cell::Error(e.to_owned());
    assert_eq!(
        sheets[0].rows,
        [
            vec![
                text("a & b <c> 中"),
                Cell::Bool(false),
                Cell::Bool(true),
                Cell::Bool(true),
                Cell::Bool(false),
                error("#N/A"),
                error("#DIV/0!"),
                num(2.5),
                num(-7.0),
                datetime(2024, 3, 15, 8, 30, 0),
            ],
            vec![
                num(5.0),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                num(2.0),
                error("#DIV/0!"),
                text("ab"),
                date(2024, 3, 15),
                Cell::Bool(true),
            ],
            vec![num(4.0), num(1.0), num(0.0015)],
            vec![num(6.0)],
            vec![num(8.0)],
        ]
    );
}

/// Number formats from a styles part: built-in and custom date formats
/// give dates, `[h]:mm:ss` a duration, a time of day alone a time; custom
/// `0.00`, an xf without a number format and a style index past the list
/// stay numbers; the phantom 1900-02-29 and a negative date are kept.
#[test]
fn number_formats_from_styles() {
    let rows = concat!(
        r#"<row r="1">"#,
        r#"<c r="A1" s="0"><v>45366</v></c>"#,
        r#"<c r="B1" s="1"><v>45366</v></c>"#,
        r#"<c r="C1" s="2"><v>45366.5</v></c>"#,
        r#"<c r="D1" s="3"><v>1.2345</v></c>"#,
        r#"<c r="E1" s="4"><v>1.5</v></c>"#,
        r#"<c r="F1" s="5"><v>45366.75</v></c>"#,
        r#"<c r="G1" s="6"><v>45366</v></c>"#,
        r#"<c r="H1" s="9"><v>45366</v></c>"#,
        r#"<c r="I1" s="1"><v>0.5</v></c>"#,
        r#"<c r="J1" s="1"><v>60</v></c>"#,
        r#"<c r="K1" s="1"><v>-1</v></c>"#,
        r#"<c r="L1" s="1" t="n"><v>45366.25</v></c>"#,
        r#"</row>"#,
        r#"<row r="2">"#,
        r#"<c r="A2" s="2"><v>1</v></c>"#,
        r#"<c r="B2" s="5"><v>45366.999999</v></c>"#,
        r#"<c r="C2" s="4"><v>0.0416666666666667</v></c>"#,
        r#"<c r="D2" s="2" t="n"><v>4.5366E4</v></c>"#,
        r#"</row>"#
    );
    let styles = styles();
    let bytes = package(
        &[("Formats", &worksheet(rows, ""))],
        None,
        Some(styles.as_str()),
        "",
    );
    let sheets = same(&bytes);
    let rows = &sheets[0].rows;
    assert_eq!(
        rows[0],
        [
            num(45366.0),
            date(2024, 3, 15),
            datetime(2024, 3, 15, 12, 0, 0),
            num(1.2345),
            text("36:00:00"),
            datetime(2024, 3, 15, 18, 0, 0),
            num(45366.0),
            num(45366.0),
            text("12:00"),
            text("1900-02-29"),
            num(-1.0),
            datetime(2024, 3, 15, 6, 0, 0),
        ]
    );
    assert_eq!(rows[1][0], date(1900, 1, 1));
    assert_eq!(rows[1][2], text("1:00:00"));
    assert_eq!(rows[1][3], date(2024, 3, 15));
}

/// The 1904 date system (`date1904="1"` or `"true"`) moves date-formatted
/// numbers by 1462 days; durations, plain numbers and `t="d"` dates do not
/// move; `date1904="0"` and no `date1904` keep the 1900 system.
#[test]
fn dates_in_the_1904_system() {
    let rows = concat!(
        r#"<row r="1">"#,
        r#"<c r="A1" s="1"><v>43904</v></c>"#,
        r#"<c r="B1" s="5"><v>43904.5</v></c>"#,
        r#"<c r="C1"><v>43904</v></c>"#,
        r#"<c r="D1" s="4"><v>1.5</v></c>"#,
        r#"<c r="E1" t="d"><v>2024-03-15</v></c>"#,
        r#"</row>"#
    );
    let sheet = worksheet(rows, "");
    let styles = styles();
    for (workbook_pr, (y, m, d)) in [
        (r#"<workbookPr date1904="1"/>"#, (2024, 3, 15)),
        (r#"<workbookPr date1904="true"/>"#, (2024, 3, 15)),
        (r#"<workbookPr date1904="0"/>"#, (2020, 3, 14)),
        (
            r#"<workbookPr defaultThemeVersion="166925"/>"#,
            (2020, 3, 14),
        ),
        ("", (2020, 3, 14)),
    ] {
        let bytes = package(&[("S", &sheet)], None, Some(styles.as_str()), workbook_pr);
        let sheets = same(&bytes);
        assert_eq!(
            sheets[0].rows[0],
            [
                date(y, m, d),
                datetime(y, m, d, 12, 0, 0),
                num(43904.0),
                text("36:00:00"),
                date(2024, 3, 15),
            ],
            "{workbook_pr}"
        );
    }
}

/// Merged regions listed after `sheetData` are filled with their top-left
/// value, clipped to the rows read; a single-cell region is itself; a
/// region whose top-left is empty is ignored.
#[test]
fn merged_regions_are_filled() {
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c><c r="B1" s="0"/><c r="C1" s="0"/></row>"#,
        r#"<row r="2"><c r="A2" t="inlineStr"><is><t>Region</t></is></c><c r="B2"><v>1</v></c><c r="C2"><v>2</v></c></row>"#,
        r#"<row r="3"><c r="A3" t="inlineStr"><is><t>North</t></is></c><c r="B3"><v>3</v></c><c r="C3"><v>4</v></c></row>"#,
        r#"<row r="4"><c r="B4"><v>5</v></c><c r="C4"><v>6</v></c></row>"#,
        r#"<row r="5"><c r="D5" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let merges = r#"<mergeCells count="4"><mergeCell ref="A1:C1"/><mergeCell ref="A3:A9"/><mergeCell ref="D5"/><mergeCell ref="E7:F8"/></mergeCells>"#;
    let bytes = package(&[("Merged", &worksheet(rows, merges))], None, None, "");
    let sheets = same(&bytes);
    assert_eq!(
        sheets[0].rows,
        [
            vec![text("Title"); 3],
            vec![text("Region"), num(1.0), num(2.0)],
            vec![text("North"), num(3.0), num(4.0)],
            vec![text("North"), num(5.0), num(6.0)],
            vec![text("North"), Cell::Empty, Cell::Empty, text("x")],
        ]
    );
}

/// Rows and cells keep their places: a gap between rows 1 and 7, empty
/// and self-closing rows, row attributes as Excel writes them (`spans`,
/// `ht`, `x14ac:dyDescent`), a sheet starting at D5, sheets without cells.
#[test]
fn rows_keep_their_places() {
    let gaps = format!(
        concat!(
            r#"{decl}<worksheet xmlns="{ns}" xmlns:r="{rel}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac">"#,
            r#"<dimension ref="A1:C7"/><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><sheetData>"#,
            r#"<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1"><v>1</v></c></row>"#,
            r#"<row r="3" spans="1:3"/>"#,
            r#"<row r="4" spans="1:3"></row>"#,
            r#"<row r="7" spans="1:3" ht="20" customHeight="1" x14ac:dyDescent="0.25"><c r="C7"><v>7</v></c></row>"#,
            r#"<row r="10"><c r="B10" s="0"/></row>"#,
            r#"</sheetData></worksheet>"#
        ),
        decl = XML_DECL,
        ns = MAIN_NS,
        rel = REL_NS
    );
    let offset = worksheet(
        concat!(
            r#"<row r="5"><c r="D5"><v>5</v></c><c r="F5"><v>6</v></c></row>"#,
            r#"<row r="6"><c r="E6" t="inlineStr"><is><t>e</t></is></c></row>"#
        ),
        "",
    );
    let blank = worksheet(r#"<row r="2"><c r="B2"/></row>"#, "");
    let no_data = format!(r#"{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>"#);
    let bytes = package(
        &[
            ("Gaps", &gaps),
            ("Offset", &offset),
            ("Blank", &blank),
            ("NoData", &no_data),
        ],
        None,
        None,
        "",
    );
    let sheets = same(&bytes);
    let mut expected = vec![Vec::new(); 7];
    expected[0] = vec![num(1.0)];
    expected[6] = vec![Cell::Empty, Cell::Empty, num(7.0)];
    assert_eq!(sheets[0].rows, expected);
    let mut expected = vec![Vec::new(); 6];
    expected[4] = vec![
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        num(5.0),
        Cell::Empty,
        num(6.0),
    ];
    expected[5] = vec![
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        text("e"),
    ];
    assert_eq!(sheets[1].rows, expected);
    assert!(sheets[2].rows.is_empty());
    assert!(sheets[3].rows.is_empty());
}

/// XML outside the fast reader's subset is left to calamine. Each case
/// comes with the same sheet without the construct, which the fast reader
/// does read, so a bail caused by something else in the package is caught.
#[test]
fn xml_outside_the_subset_is_left_to_calamine() {
    let number = r#"<row r="1"><c r="A1"><v>12</v></c></row>"#;
    let prefixed = format!(
        r#"{XML_DECL}<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>12</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
    );
    let string = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    // (what, the sheet read, its expected A1, the sheet left to calamine)
    let cases = [
        (
            "a cell without r",
            one_sheet(
                r#"<row r="1"><c r="A1"><v>12</v></c><c r="B1"><v>13</v></c></row>"#,
                None,
            ),
            num(12.0),
            one_sheet(
                r#"<row r="1"><c r="A1"><v>12</v></c><c><v>13</v></c></row>"#,
                None,
            ),
        ),
        (
            "a comment in sheetData",
            one_sheet(
                &format!(r#"{number}<row r="2"><c r="A2"><v>2</v></c></row>"#),
                None,
            ),
            num(12.0),
            one_sheet(
                &format!(r#"{number}<!-- x --><row r="2"><c r="A2"><v>2</v></c></row>"#),
                None,
            ),
        ),
        (
            "a CDATA section in a value",
            one_sheet(
                r#"<row r="1"><c r="A1" t="str"><v>a&lt;b</v></c></row>"#,
                None,
            ),
            text("a<b"),
            one_sheet(
                r#"<row r="1"><c r="A1" t="str"><v><![CDATA[a<b]]></v></c></row>"#,
                None,
            ),
        ),
        (
            "namespace-prefixed elements",
            one_sheet(number, None),
            num(12.0),
            package(&[("S", &prefixed)], None, None, ""),
        ),
        (
            "a carriage return in a shared string",
            one_sheet(string, Some("<si><t>a b</t></si>")),
            text("a b"),
            one_sheet(string, Some("<si><t>a\rb</t></si>")),
        ),
        (
            "a carriage return in a formula's text",
            one_sheet(
                "<row r=\"1\"><c r=\"A1\" t=\"str\"><f>X</f><v>a\nb</v></c></row>",
                None,
            ),
            text("a\nb"),
            one_sheet(
                "<row r=\"1\"><c r=\"A1\" t=\"str\"><f>X</f><v>a\rb</v></c></row>",
                None,
            ),
        ),
        (
            "spaces around a number",
            one_sheet(number, None),
            num(12.0),
            one_sheet(r#"<row r="1"><c r="A1"><v> 12 </v></c></row>"#, None),
        ),
        (
            "an unknown element in a cell",
            one_sheet(number, None),
            num(12.0),
            one_sheet(
                r#"<row r="1"><c r="A1"><extLst><ext uri="urn:x"/></extLst><v>12</v></c></row>"#,
                None,
            ),
        ),
    ];
    for (what, read, first, left) in cases {
        eprintln!("case: {what}");
        let sheets = same(&read);
        assert_eq!(sheets[0].rows[0][0], first, "{what}");
        bails(&left);
    }
}

/// Text that calamine rewrites (Excel's `_xHHHH_` escapes outside shared
/// strings, a carriage return in a shared string, a `<v>` after an inline
/// string, which empties the cell: the last child wins) is either read as
/// calamine reads it or left to calamine.
#[test]
fn text_calamine_rewrites_is_read_alike_or_left() {
    let string = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let cases = [
        (
            "an _x000D_ escape in an inline string",
            one_sheet(
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a_x000D_b</t></is></c></row>"#,
                None,
            ),
            text("a\rb"),
        ),
        (
            "an _x000D_ escape in a formula's text",
            one_sheet(
                r#"<row r="1"><c r="A1" t="str"><v>a_x000D_b</v></c></row>"#,
                None,
            ),
            text("a\rb"),
        ),
        (
            "a carriage return in a shared string",
            one_sheet(string, Some("<si><t>a\r\nb\rc</t></si>")),
            text("a\nb\nc"),
        ),
        (
            "a character reference to a carriage return in a shared string",
            one_sheet(string, Some("<si><t>a&#13;b</t></si>")),
            text("a\rb"),
        ),
        (
            "a <v> after an inline string",
            one_sheet(
                r#"<row r="1"><c r="A1" t="inlineStr"><is><t>z</t></is><v>z</v></c><c r="B1"><v>1</v></c></row>"#,
                None,
            ),
            Cell::Empty,
        ),
    ];
    for (what, bytes, first) in cases {
        eprintln!("case: {what}");
        let sheets = agrees(&bytes);
        assert_eq!(sheets[0].rows[0][0], first, "{what}");
    }
}

/// The cell budget of [`ReadOptions::max_cells`] holds as in calamine: 10
/// rows of 10 values take 110 cells (row slots counted), so a budget of 10
/// or 109 refuses the sheet with `SheetTooLarge` and 110 reads it.
#[test]
fn the_cell_budget_holds_as_in_calamine() {
    let rows: String = (1..=10u32)
        .map(|r| {
            let cells: String = (0..10u8)
                .map(|c| {
                    let col = char::from(b'A' + c);
                    format!(r#"<c r="{col}{r}"><v>{}</v></c>"#, r * 10 + u32::from(c))
                })
                .collect();
            format!(r#"<row r="{r}">{cells}</row>"#)
        })
        .collect();
    let bytes = package(&[("Big", &worksheet(&rows, ""))], None, None, "");
    for limit in [10, 109] {
        let opts = ReadOptions {
            max_cells: limit,
            ..ReadOptions::default()
        };
        let too_large = |e: &ReadError| matches!(e, ReadError::SheetTooLarge { sheet, limit: l, .. } if sheet == "Big" && *l == limit);
        let reference = calamine_read(&bytes, FILE, &opts);
        assert!(
            reference.as_ref().is_err_and(too_large),
            "calamine, limit {limit}: {reference:?}"
        );
        let fast = fast_read(&bytes, FILE, &opts);
        assert!(
            matches!(&fast, Some(Err(e)) if too_large(e)),
            "fast reader, limit {limit}: {fast:?}"
        );
    }
    let opts = ReadOptions {
        max_cells: 110,
        ..ReadOptions::default()
    };
    let reference = calamine_read(&bytes, FILE, &opts).expect("calamine reads 110 cells");
    let fast = match fast_read(&bytes, FILE, &opts) {
        Some(Ok(sheets)) => sheets,
        other => panic!("the fast reader did not read 110 cells: {other:?}"),
    };
    assert_same_sheets(&fast, &reference);
    assert_eq!(fast[0].rows[9][9], num(109.0));
    assert_eq!(same(&bytes)[0].rows[0][0], num(10.0));
}

/// The workbooks the repository ships (the samples, the fixtures and the
/// hostile files) are read alike by both readers or left to calamine; the
/// samples, as a spreadsheet program wrote them, are read by the fast
/// reader.
#[test]
fn shipped_workbooks_are_read_alike() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut read_fast = Vec::new();
    for dir in ["sample_data", "tests/fixtures", "tests/hostile"] {
        let entries = std::fs::read_dir(root.join(dir)).expect("a shipped folder");
        for path in entries.map(|e| e.expect("an entry").path()) {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "xlsx" | "xlsm") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("a shipped workbook");
            let opts = ReadOptions::default();
            match (
                fast_read(&bytes, FILE, &opts),
                calamine_read(&bytes, FILE, &opts),
            ) {
                (None, _) => {}
                (Some(Ok(fast)), Ok(reference)) => {
                    assert_same_sheets(&fast, &reference);
                    read_fast.push(path.file_name().map(|n| n.to_string_lossy().into_owned()));
                }
                (Some(fast), reference) => panic!(
                    "{}: fast {:?} against calamine {:?}",
                    path.display(),
                    fast.map(|s| s.len()),
                    reference.map(|s| s.len())
                ),
            }
        }
    }
    read_fast.sort();
    let name = |s: &str| Some(s.to_owned());
    assert!(
        read_fast.contains(&name("客户信息表.xlsx")),
        "{read_fast:?}"
    );
    assert!(read_fast.contains(&name("销售目标.xlsx")), "{read_fast:?}");
    assert!(read_fast.contains(&name("date1904.xlsx")), "{read_fast:?}");
}

/// Damaged sheets and shared strings (bytes cut out, markup characters put
/// in, pieces repeated, at random places with a fixed seed) never make the
/// fast reader panic, and whatever it reads of them is what calamine reads;
/// where calamine fails, the fast reader leaves the workbook to it.
#[test]
fn damaged_parts_are_read_alike_or_left() {
    let rows = concat!(
        r#"<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>45366.5</v></c>"#,
        r#"<c r="C1" t="str"><f>A1&amp;"x"</f><v>a &amp; b</v></c><c r="D1" t="b"><v>1</v></c></row>"#,
        r#"<row r="2"><c r="A2" t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve"> line</t></r></is></c>"#,
        r#"<c r="B2" s="4"><v>1.25</v></c><c r="C2" t="e"><v>#N/A</v></c><c r="D2" t="s"><v>1</v></c></row>"#,
        r#"<row r="4"><c r="A4" s="2"><v>-3E-2</v></c><c r="B4"/><c r="C4" t="d"><v>2024-03-15T08:30:00</v></c></row>"#,
    );
    let after = r#"<mergeCells count="1"><mergeCell ref="A4:B5"/></mergeCells>"#;
    let sst = r#"<si><t> pad </t></si><si><r><rPr><b/></rPr><t>ri</t></r><r><t>ch</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>"#;
    let base = (worksheet(rows, after), shared_strings(sst));
    let inserts = [
        "<", ">", "\"", "/", "&", "<c>", "</row>", "<v>", " ", "_x000D_", "\r",
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut read_fast = 0;
    for round in 0..2000 {
        let (mut sheet, mut strings) = base.clone();
        let target = if round % 3 == 0 {
            &mut strings
        } else {
            &mut sheet
        };
        let mut damage = Vec::new();
        for _ in 0..1 + next(3) {
            // The documents are ASCII: every byte is a character boundary.
            let at = next(target.len());
            match next(3) {
                0 => {
                    let len = next(12).min(target.len() - at);
                    damage.push(format!("cut {:?} at {at}", &target[at..at + len]));
                    target.replace_range(at..at + len, "");
                }
                1 => {
                    let insert = inserts[next(inserts.len())];
                    damage.push(format!("put {insert:?} at {at}"));
                    target.insert_str(at, insert);
                }
                _ => {
                    let len = next(40).min(target.len() - at);
                    let piece = target[at..at + len].to_owned();
                    damage.push(format!("repeat {piece:?} at {at}"));
                    target.insert_str(at, &piece);
                }
            }
        }
        let bytes = package(&[("S", &sheet)], Some(&strings), Some(&styles()), "");
        let opts = ReadOptions::default();
        match (
            fast_read(&bytes, FILE, &opts),
            calamine_read(&bytes, FILE, &opts),
        ) {
            (None, _) => {}
            (Some(Ok(fast)), Ok(reference)) => {
                let alike = std::panic::catch_unwind(|| assert_same_sheets(&fast, &reference));
                assert!(alike.is_ok(), "round {round} ({damage:?}): read otherwise");
                read_fast += 1;
            }
            (fast, reference) => panic!(
                "round {round} ({damage:?}): fast {:?} against calamine {:?}",
                fast.map(|r| r.map(|s| s.len())),
                reference.map(|s| s.len())
            ),
        }
    }
    // Most damage is outside the subset, but some (a repeated cell, a
    // space) is read.
    assert!(read_fast > 100, "{read_fast}");
}

/// `bytes` with the part `from` renamed `to` (its data copied as it is).
fn renamed(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a package");
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).expect("a part");
        let name = part.name().expect("a part name").into_owned();
        if name == from {
            out.raw_copy_file_rename(part, to).expect("renamed");
        } else {
            out.raw_copy_file(part).expect("copied");
        }
    }
    out.finish().expect("a package").into_inner()
}

/// Excel's escapes of characters (`_x000D_`, a surrogate pair, a lone
/// surrogate, an escaped escape) are decoded as calamine decodes them in
/// shared strings, inline strings and formula text; and a sheet whose part
/// name differs in case from its relationship's target is found, as
/// calamine finds it.
#[test]
fn excel_escapes_and_part_names_in_another_case() {
    let sst = "<si><t>a_x000D_b _xD83D__xDCF7_ _xD83D_ _x005F_x000D_</t></si>";
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c>"#,
        r#"<c r="B1" t="inlineStr"><is><t>c_x000A_d</t></is></c>"#,
        r#"<c r="C1" t="str"><v>e_x0009_f</v></c></row>"#
    );
    let book = one_sheet(rows, Some(sst));
    let expected = vec![
        text("a\rb \u{1F4F7} \u{FFFD} _x000D_"),
        text("c\nd"),
        text("e\tf"),
    ];
    assert_eq!(same(&book)[0].rows[0], expected);
    let moved = renamed(
        &book,
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/Sheet1.XML",
    );
    assert_eq!(same(&moved)[0].rows[0], expected);
}
