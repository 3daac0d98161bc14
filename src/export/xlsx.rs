//! The standardized workbook of `clean`: one sheet per cleaned table, with
//! a bold frozen header and autofilter; cells that normalization changed are
//! highlighted and carry the original value in a cell note. Every value is
//! written as a string, never as a formula. The file is deterministic.

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Note, Workbook, XlsxError};
use std::path::Path;

use super::tables::OutTable;
use crate::output::write_atomic;
use crate::report::svg::text_units;
use crate::xlsx_text::{clip_to, write_text, MAX_NOTE_UNITS};

/// Notes beyond this many per sheet are left out (Excel slows down badly).
pub const MAX_NOTES_PER_SHEET: usize = 20_000;

/// Builds the workbook in memory.
pub fn workbook_bytes(tables: &[OutTable]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("crm-report cleaned data")
            .set_author("crm-report")
            .set_creation_datetime(&created),
    );
    wb.set_zip_compression_level(crate::output::WORKBOOK_ZIP_LEVEL);
    let header_format = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7));
    let changed_format = Format::new().set_background_color(Color::RGB(0xFFF2CC));
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.title)?;
        let mut widths: Vec<usize> = t.header.iter().map(|h| text_units(h)).collect();
        for (c, h) in t.header.iter().enumerate() {
            write_text(ws, (0, c as u16), h, Some(&header_format))?;
        }
        let mut notes = 0usize;
        for (r, row) in t.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match &cell.original {
                    Some(original) => {
                        write_text(ws, (r, col), &cell.text, Some(&changed_format))?;
                        if notes < MAX_NOTES_PER_SHEET {
                            ws.insert_note(
                                r,
                                col,
                                &Note::new(clip_to(
                                    &format!("原值 / original: {original}"),
                                    MAX_NOTE_UNITS,
                                ))
                                .set_author("crm-report"),
                            )?;
                            notes += 1;
                        }
                    }
                    None if cell.text.is_empty() => {}
                    None => {
                        write_text(ws, (r, col), &cell.text, None)?;
                    }
                }
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(text_units(&cell.text).min(60));
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w as f64 + 2.0).min(62.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
        if !t.header.is_empty() {
            ws.autofilter(0, 0, t.rows.len() as u32, (t.header.len() - 1) as u16)?;
        }
    }
    wb.save_to_buffer()
}

/// Writes the workbook atomically.
pub fn write_workbook(tables: &[OutTable], path: &Path) -> Result<(), String> {
    let bytes = workbook_bytes(tables).map_err(|e| e.to_string())?;
    write_atomic(path, &bytes).map_err(|e| e.to_string())
}
