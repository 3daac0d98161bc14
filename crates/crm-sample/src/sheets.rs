//! Where customer rows go: a UTF-8 CSV, or the team's xlsx form with its
//! title, notes, header, total row and instructions sheet.
//!
//! Both sinks receive the same `Cell`s. The xlsx keeps dates as real date
//! cells (a serial-number cell keeps no format, as when the format got
//! lost) and sums the numeric 成交金额 cells in a `SUM` formula whose cached
//! result is written too, so readers that do not calculate see the total.

use crate::cell::{excel_serial, Cell};
use crate::customers::Ctx;
use crate::delimited::{Charset, DelimitedWriter};
use crate::row::{AMOUNT, HEADER, SIGNED};
use crate::SampleError;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet, XlsxError,
};
use std::path::Path;

/// Rows above the data in the xlsx form: title, notes, header.
const TOP_ROWS: u32 = 3;
/// Rows below the data: total and notes.
const BOTTOM_ROWS: u32 = 2;
/// Excel's row limit.
const EXCEL_MAX_ROWS: u32 = 1_048_576;
/// The most customer rows an xlsx form can hold.
pub const XLSX_MAX_CUSTOMERS: usize = (EXCEL_MAX_ROWS - TOP_ROWS - BOTTOM_ROWS) as usize;

/// Lines of the instructions sheet.
const INSTRUCTIONS: [&str; 7] = [
    "填表说明",
    "1. 带*为必填项，企业名称请填写营业执照上的全称。",
    "2. 日期统一填写为 YYYY-MM-DD 格式。",
    "3. 客户分级：A类（重点）、B类、C类。",
    "4. 跟进状态请从以下选项中选择：线索、需求分析、方案沟通、商务谈判、成交、流失；流失客户请填写流失前阶段。",
    "5. 联系电话请填写工作电话，不要填写个人手机；联系人姓名请脱敏（如 张*）。",
    "6. 成交金额单位为元，合计行由公式自动计算。",
];

/// A destination for customer rows.
pub trait CustomerSink {
    /// Append one customer row.
    fn row(&mut self, cells: &[Cell]) -> Result<(), SampleError>;
}

/// Customers as `customers.csv`, UTF-8 with BOM, header on line 1.
pub struct CsvCustomers {
    out: DelimitedWriter,
}

impl CsvCustomers {
    /// Create the file and write the header.
    pub fn create(path: &Path) -> Result<Self, SampleError> {
        let mut out = DelimitedWriter::create(path, Charset::Utf8Bom)?;
        out.record(HEADER)?;
        Ok(CsvCustomers { out })
    }

    /// Flush the file.
    pub fn finish(self) -> Result<(), SampleError> {
        Ok(self.out.finish()?)
    }
}

impl CustomerSink for CsvCustomers {
    fn row(&mut self, cells: &[Cell]) -> Result<(), SampleError> {
        Ok(self.out.record(cells.iter().map(Cell::to_text))?)
    }
}

/// Customers as the xlsx form `客户信息表.xlsx`.
pub struct XlsxCustomers {
    sheet: Worksheet,
    next_row: u32,
    total: f64,
    date: Format,
    date_cn: Format,
    money: Format,
    as_of: NaiveDate,
}

/// Fixed document properties, so two runs give the same bytes.
pub fn properties(title: &str, as_of: NaiveDate) -> Result<DocProperties, XlsxError> {
    let created =
        ExcelDateTime::from_ymd(as_of.year() as u16, as_of.month() as u8, as_of.day() as u8)?
            .and_hms(9, 0, 0)?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author("销售部")
        .set_company("销售管理部")
        .set_creation_datetime(&created))
}

/// A date as an `ExcelDateTime`.
pub fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(
        d.year().clamp(1900, 9999) as u16,
        d.month() as u8,
        d.day() as u8,
    )
}

/// The column letters of a 0-based column (`20` → `U`).
fn column_letters(mut col: u16) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl XlsxCustomers {
    /// Start the sheet: merged title, notes row, header.
    pub fn new(ctx: &Ctx) -> Result<Self, SampleError> {
        let mut sheet = Worksheet::new();
        sheet.set_name("客户信息")?;
        let title = Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center);
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center);
        let last_col = (HEADER.len() - 1) as u16;
        sheet.merge_range(
            0,
            0,
            0,
            last_col,
            &format!("{}年客户信息登记表", ctx.as_of.year()),
            &title,
        )?;
        sheet.write_string(1, 0, "填表说明：带*为必填项")?;
        for (col, label) in HEADER.iter().enumerate() {
            sheet.write_string_with_format(2, col as u16, *label, &header)?;
        }
        sheet.set_column_width(1, 30)?;
        sheet.set_column_range_width(8, 10, 13)?;
        sheet.set_column_range_width(17, 19, 22)?;
        sheet.set_freeze_panes(TOP_ROWS, 2)?;
        Ok(XlsxCustomers {
            sheet,
            next_row: TOP_ROWS,
            total: 0.0,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            date_cn: Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
            money: Format::new().set_num_format("#,##0"),
            as_of: ctx.as_of,
        })
    }

    /// Write the total and notes rows and the instructions sheet, and save.
    pub fn finish(mut self, path: &Path) -> Result<(), SampleError> {
        let row = self.next_row;
        let bold = Format::new().set_bold();
        self.sheet.write_string_with_format(row, 0, "合计", &bold)?;
        let col = AMOUNT as u16;
        let letters = column_letters(col);
        let total = crate::cell::format_number((self.total * 100.0).round() / 100.0);
        let formula = if row > TOP_ROWS {
            Formula::new(format!("=SUM({letters}{}:{letters}{row})", TOP_ROWS + 1))
                .set_result(total)
        } else {
            Formula::new("=0").set_result("0")
        };
        self.sheet
            .write_formula_with_format(row, col, formula, &self.money.clone().set_bold())?;
        let note = format!(
            "注：数据截至{}年{}月{}日",
            self.as_of.year(),
            self.as_of.month(),
            self.as_of.day()
        );
        self.sheet.write_string(row + 1, 0, note)?;

        let mut notes = Worksheet::new();
        notes.set_name("填表说明")?;
        notes.set_column_width(0, 90)?;
        for (i, line) in INSTRUCTIONS.iter().enumerate() {
            notes.write_string(i as u32, 0, *line)?;
        }

        let mut workbook = Workbook::new();
        workbook.set_properties(&properties("客户信息登记表", self.as_of)?);
        workbook.push_worksheet(self.sheet);
        workbook.push_worksheet(notes);
        workbook.save(path)?;
        Ok(())
    }
}

impl CustomerSink for XlsxCustomers {
    fn row(&mut self, cells: &[Cell]) -> Result<(), SampleError> {
        let row = self.next_row;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    self.sheet.write_string(row, c, s)?;
                }
                Cell::Number(v) if col == AMOUNT => {
                    self.total += v;
                    self.sheet
                        .write_number_with_format(row, c, *v, &self.money)?;
                }
                Cell::Number(v) => {
                    self.sheet.write_number(row, c, *v)?;
                }
                Cell::Date(d) => {
                    let format = if col == SIGNED {
                        &self.date_cn
                    } else {
                        &self.date
                    };
                    self.sheet
                        .write_datetime_with_format(row, c, excel_date(*d)?, format)?;
                }
                Cell::Serial(d) => {
                    self.sheet.write_number(row, c, excel_serial(*d) as f64)?;
                }
            }
        }
        self.next_row += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::column_letters;

    #[test]
    fn letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(20), "U");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }
}
