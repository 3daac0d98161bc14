//! Text cells that show what an input file held, whatever it held.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Writes `text` to the cell (`row`, `col`) as text, with `format` (none:
/// the row's or column's). rust_xlsxwriter 0.102 copies a shared string
/// that starts with `<r>` and ends with `</r>` into sharedStrings.xml
/// unescaped, taking it for rich text of its own making, so such a value
/// from a hostile file (`<r></si><si>x</r>`) would corrupt the workbook or
/// change what the cell shows. That one is written as a one-run rich
/// string instead: its text is escaped, and the cell reads the same.
pub fn write_text(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    text: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    if text.starts_with("<r>") && text.ends_with("</r>") {
        let plain = Format::default();
        let run = [(&plain, text)];
        match format {
            Some(format) => sheet.write_rich_string_with_format(row, col, &run, format)?,
            None => sheet.write_rich_string(row, col, &run)?,
        };
        return Ok(());
    }
    match format {
        Some(format) => sheet.write_string_with_format(row, col, text, format)?,
        None => sheet.write_string(row, col, text)?,
    };
    Ok(())
}
