//! Text cells that show what an input file held, whatever it held.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// Excel's limit on the text of one cell, in UTF-16 code units (a
/// character outside the Basic Multilingual Plane, an emoji, takes two).
pub const MAX_CELL_UNITS: usize = 32_767;

/// The most UTF-16 units of a note's text: the cell limit less the 54
/// rust_xlsxwriter keeps for the author's name.
pub const MAX_NOTE_UNITS: usize = MAX_CELL_UNITS - 54;

/// `text` cut to what one cell holds ([`MAX_CELL_UNITS`]), at a character
/// boundary. rust_xlsxwriter refuses a longer text, and with it the whole
/// workbook.
pub fn clip(text: &str) -> &str {
    clip_to(text, MAX_CELL_UNITS)
}

/// `text` cut to at most `max` UTF-16 units, at a character boundary (a
/// note's text: [`MAX_NOTE_UNITS`]).
pub fn clip_to(text: &str, max: usize) -> &str {
    // A UTF-16 unit takes at least one byte of UTF-8.
    if text.len() <= max {
        return text;
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &text[..i];
        }
    }
    text
}

/// Writes `text` to the cell (`row`, `col`) as text, cut to what a cell
/// holds ([`clip`]), with `format` (none: the row's or column's).
/// rust_xlsxwriter 0.102 copies a shared string
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
    let text = clip(text);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_to_the_cell_limit_in_utf16_units() {
        let wide = "长".repeat(MAX_CELL_UNITS + 5);
        assert_eq!(clip(&wide).chars().count(), MAX_CELL_UNITS);
        // An emoji is two units: 20,000 of them are 40,000.
        let emoji = "😀".repeat(20_000);
        let cut = clip(&emoji);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UNITS - 1);
        assert!(emoji.starts_with(cut));
        assert_eq!(clip("=1+1"), "=1+1");
        let mixed = format!("{}😀", "a".repeat(MAX_CELL_UNITS - 1));
        assert_eq!(clip(&mixed).len(), MAX_CELL_UNITS - 1);
        assert_eq!(
            clip_to(&emoji, MAX_NOTE_UNITS).encode_utf16().count(),
            MAX_NOTE_UNITS - 1
        );
    }
}
