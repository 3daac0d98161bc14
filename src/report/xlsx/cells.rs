//! Cells of the workbook: the formats of every kind of value, writing one
//! value (numbers as numbers with their format, text always as text, nulls
//! as `—`), the header notes that carry definitions, and column widths.

use std::collections::BTreeMap;

use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use super::{MAX_WIDTH, MIN_WIDTH};
use crate::report::i18n::{t, Lang};
use crate::report::svg::text_units;
use crate::report::view::{Val, DASH};
use crate::xlsx_text::{clip, write_text};

/// Header notes: width in pixels, half-width units per line, line height.
const NOTE_WIDTH: u32 = 300;
const NOTE_UNITS_PER_LINE: usize = 44;
const NOTE_LINE_PX: u32 = 16;

/// The formats of every cell kind, made once per workbook.
pub(super) struct Formats {
    /// What an empty table shows in its one row.
    pub no_data: &'static str,
    /// A sheet's title.
    pub title: Format,
    /// A table's title.
    pub subtitle: Format,
    /// Notes and the meta line.
    pub note: Format,
    /// Table headers.
    pub header: Format,
    /// Plain text too long for its column.
    pub wrap: Format,
    /// Indexed by `KIND_*`, then plain / bold (marked row) / red (alert).
    pub values: [[Format; 3]; 7],
}

impl Formats {
    /// The formats, with the "no data" text of `lang`.
    pub fn new(lang: Lang) -> Formats {
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
            number("0.00"),
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

    /// Registers every format with `workbook` before anything else is
    /// written to it, and gives the number each format has in the saved
    /// file's styles: rust_xlsxwriter numbers formats in the order it first
    /// sees them, after its default format (0), and keeps those numbers.
    pub fn register(&self, workbook: &mut Workbook) -> XfIndex<'_> {
        let all = [
            &self.title,
            &self.subtitle,
            &self.note,
            &self.header,
            &self.wrap,
        ]
        .into_iter()
        .chain(self.values.iter().flatten());
        let mut seen: Vec<&Format> = Vec::new();
        let mut index = Vec::new();
        for format in all {
            workbook.register_format(format);
            let number = if *format == Format::default() {
                0
            } else if let Some(i) = seen.iter().position(|f| *f == format) {
                i as u32 + 1
            } else {
                seen.push(format);
                seen.len() as u32
            };
            index.push((format, number));
        }
        XfIndex(index)
    }
}

/// The number of each of the [`Formats`] in the saved workbook's styles
/// ([`Formats::register`]), for cells written straight into its XML.
pub(super) struct XfIndex<'f>(Vec<(&'f Format, u32)>);

impl XfIndex<'_> {
    /// The number of `format`, one of the registered [`Formats`].
    pub fn of(&self, format: &Format) -> Option<u32> {
        self.0
            .iter()
            .find(|(f, _)| std::ptr::eq(*f, format))
            .map(|&(_, n)| n)
    }
}

const KIND_INT: usize = 0;
const KIND_MONEY: usize = 1;
const KIND_RATE: usize = 2;
const KIND_DECIMAL: usize = 3;
pub(super) const KIND_TEXT: usize = 4;
const KIND_DASH: usize = 5;
const KIND_SCORE: usize = 6;

/// A step of a table body as the workbook lays it out.
pub(super) enum BodyEvent<'v> {
    /// A cell.
    Cell(BodyCell<'v>),
    /// The end of a row, with its most lines of wrapped text.
    RowEnd { row: u32, lines: usize },
}

/// A cell of a table body: its place, value, style (0 plain, 1 marked
/// row, 2 alert column) and display width ([`text_units`]).
pub(super) struct BodyCell<'v> {
    pub row: u32,
    pub col: u16,
    pub value: &'v Val,
    pub style: usize,
    pub units: usize,
}

/// What a body cell holds, as written.
pub(super) enum Content<'v> {
    /// Text (nulls as `—`), cut to Excel's cell limit.
    Text(&'v str),
    /// A number, formatted by the cell's format.
    Number(f64),
}

/// The format and content of a cell of a table body: numbers as numbers
/// with the format of their kind, text always as text (wrapped when plain
/// and wider than a column), nulls as `—`.
pub(super) fn body_cell<'v, 'f>(fm: &'f Formats, cell: &BodyCell<'v>) -> (&'f Format, Content<'v>) {
    let (style, units) = (cell.style, cell.units);
    let (kind, number) = match cell.value {
        Val::Text(s) => {
            let format = if style == 0 && units > MAX_WIDTH {
                &fm.wrap
            } else {
                &fm.values[KIND_TEXT][style]
            };
            return (format, Content::Text(clip(s)));
        }
        Val::Null => return (&fm.values[KIND_DASH][style], Content::Text(DASH)),
        Val::Int(n) => (KIND_INT, *n as f64),
        Val::Money(x) => (KIND_MONEY, *x),
        Val::Rate(x) => (KIND_RATE, *x),
        Val::Decimal(x) => (KIND_DECIMAL, *x),
        Val::Score(x) => (KIND_SCORE, *x),
    };
    (&fm.values[kind][style], Content::Number(number))
}

/// Writes a cell of a table body ([`body_cell`]), unformatted, and gives
/// the format it takes: [`FormatRuns`] applies it.
pub(super) fn write_value<'f>(
    sheet: &mut Worksheet,
    fm: &'f Formats,
    cell: &BodyCell,
) -> Result<&'f Format, XlsxError> {
    let (format, content) = body_cell(fm, cell);
    match content {
        Content::Text(text) => write_text(sheet, (cell.row, cell.col), text, None)?,
        Content::Number(x) => {
            sheet.write_number(cell.row, cell.col, x)?;
        }
    }
    Ok(format)
}

/// The formats of a table body's cells, given down each column in runs of
/// the same format: rust_xlsxwriter hashes the whole [`Format`] each time
/// one is given, so a run takes one hash instead of one per cell (a quarter
/// of the time of a sheet of 100,000 findings). A cell written empty gets
/// its format as a blank cell, as a formatted write would give it.
#[derive(Default)]
pub(super) struct FormatRuns<'f> {
    /// Per column: the open run's first and last row and its format.
    open: BTreeMap<u16, (u32, u32, &'f Format)>,
}

impl<'f> FormatRuns<'f> {
    /// Gives the cell (`row`, `col`) `format`; rows come in order.
    pub fn add(
        &mut self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        format: &'f Format,
    ) -> Result<(), XlsxError> {
        match self.open.get_mut(&col) {
            Some((_, last, open)) if std::ptr::eq(*open, format) && *last + 1 == row => {
                *last = row;
                return Ok(());
            }
            _ => {}
        }
        if let Some((first, last, open)) = self.open.insert(col, (row, row, format)) {
            sheet.set_range_format(first, col, last, col, open)?;
        }
        Ok(())
    }

    /// Applies the runs still open.
    pub fn finish(self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (col, (first, last, format)) in self.open {
            sheet.set_range_format(first, col, last, col, format)?;
        }
        Ok(())
    }
}

/// A header's definition as a note: the tooltip Excel shows on hover,
/// sized to its text.
pub(super) fn definition_note(text: &str) -> Note {
    let lines = text_units(text).div_ceil(NOTE_UNITS_PER_LINE).max(1) as u32;
    Note::new(text)
        .set_author("crm-report")
        .add_author_prefix(false)
        .set_width(NOTE_WIDTH)
        .set_height(NOTE_LINE_PX * lines + 12)
}

/// The widest display text seen per column, in half-width units.
#[derive(Default)]
pub(super) struct Widths(BTreeMap<u16, usize>);

impl Widths {
    pub fn see(&mut self, col: u16, text: &str) {
        self.see_units(col, text_units(text));
    }

    /// Notes a text `units` wide ([`text_units`]) in column `col`.
    pub fn see_units(&mut self, col: u16, units: usize) {
        let w = units.min(MAX_WIDTH);
        let e = self.0.entry(col).or_insert(0);
        *e = (*e).max(w);
    }

    pub fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (&col, &w) in &self.0 {
            sheet.set_column_width(col, (w + 2).clamp(MIN_WIDTH, MAX_WIDTH) as f64)?;
        }
        Ok(())
    }
}
