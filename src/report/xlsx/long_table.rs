//! The body of a long table, written straight into the workbook's XML.
//!
//! rust_xlsxwriter keeps every cell in maps (the cell, its format, its place
//! in an Excel table, its shared string) and turns them into XML when the
//! workbook is saved: about a microsecond a cell in all, so the 100,000
//! findings of a big run (900,000 cells) took over a second, on one thread,
//! at the end of the run. The findings sheet ([`LONG_SECTION`]) holds one
//! table and nothing under or beside it, so rust_xlsxwriter writes the
//! sheet without the table's rows (title, notes, header, an Excel table over
//! the header and one row, column widths, header notes), the rows are
//! rendered here while the sheet is built, into the XML rust_xlsxwriter
//! would write for them, and [`splice`] puts them into the saved package:
//! appended to the sheet's data, with the table's range and the sheet's
//! dimension grown to hold them and the shared-string count raised. Their
//! texts are the workbook's first shared strings ([`LongBody::strings`]),
//! so their numbers are known before the other sheets' strings are
//! counted. The rows are deflated beside the saving ([`LongBody::pack`])
//! and the package is assembled from the pieces (`package.rs`). The cells
//! and formats are the ones the ordinary path writes: the tests compare
//! the two, and are what to run after upgrading rust_xlsxwriter, since
//! this leans on two of its hidden functions (`register_format`,
//! `populate_string_table`) and on the shape of the XML it writes.

use std::borrow::Cow;
use std::io::{Cursor, Read, Write};

use crm_core::FastMap;
use flate2::{Compress, Compression, FlushCompress, Status};
use rust_xlsxwriter::XlsxError;
use zip::{CompressionMethod, ZipArchive};

use super::cells::{body_cell, BodyEvent, Content, Formats, XfIndex};
use super::package::{Package, PartInfo, DEFLATED, STORED};
use super::{row_height, Placed};
use crate::report::view::Table;

/// The section whose one table is written this way.
pub(super) const LONG_SECTION: &str = crate::report::sections::FINDINGS_SECTION;

/// A table's rows as sheet XML, waiting for the saved package.
pub(super) struct LongBody<'v> {
    /// The sheet's number in the package (`xl/worksheets/sheetN.xml`).
    sheet: usize,
    /// Where the table is: its header row, first column and rows.
    placed: Placed,
    /// Its columns.
    columns: u16,
    /// The `<row>` elements of the body.
    xml: Vec<u8>,
    /// The body's shared strings, numbered from 0 in this order.
    strings: Vec<Cow<'v, str>>,
    /// The body's references to shared strings.
    references: u64,
}

impl<'v> LongBody<'v> {
    /// The rows of `table` (header at `placed.header`, first column
    /// `placed.col`) as XML, with the formats of `fm` numbered by `xf`.
    /// `walk` gives each cell and each row's end as the ordinary path
    /// writes them ([`BodyEvent`]).
    pub fn render(
        table: &'v Table,
        placed: Placed,
        fm: &Formats,
        xf: &XfIndex,
        walk: impl FnOnce(
            &mut dyn FnMut(BodyEvent<'v>) -> Result<(), XlsxError>,
        ) -> Result<(), XlsxError>,
    ) -> Result<LongBody<'v>, XlsxError> {
        let columns = table.columns.len() as u16;
        let letters: Vec<String> = (0..columns)
            .map(|j| column_letters(placed.col + j))
            .collect();
        let spans = format!("{}:{}", placed.col + 1, placed.col + columns);
        let mut numbers: FastMap<&'v str, u32> = FastMap::default();
        let mut strings = Vec::new();
        let mut references = 0;
        let mut xml = Vec::new();
        let mut cells: Vec<u8> = Vec::new();
        walk(&mut |event| {
            match event {
                BodyEvent::Cell(cell) => {
                    let (format, content) = body_cell(fm, &cell);
                    let (row, col) = (cell.row, cell.col);
                    let s = xf.of(format).ok_or_else(|| {
                        XlsxError::ParameterError("a table cell's format is not registered".into())
                    })?;
                    cells.extend_from_slice(br#"<c r=""#);
                    cells.extend_from_slice(letters[usize::from(col - placed.col)].as_bytes());
                    push_number(&mut cells, row + 1);
                    if s != 0 {
                        cells.extend_from_slice(br#"" s=""#);
                        push_number(&mut cells, s);
                    }
                    cells.push(b'"');
                    match content {
                        Content::Number(x) => write!(cells, "><v>{x}</v></c>")?,
                        // rust_xlsxwriter writes no empty text: the cell is
                        // blank, with its format.
                        Content::Text("") => cells.extend_from_slice(b"/>"),
                        Content::Text(text) => {
                            let next = strings.len() as u32;
                            let n = *numbers.entry(text).or_insert(next);
                            if n == next {
                                strings.push(shared_string(text));
                            }
                            references += 1;
                            cells.extend_from_slice(br#" t="s"><v>"#);
                            push_number(&mut cells, n);
                            cells.extend_from_slice(b"</v></c>");
                        }
                    }
                }
                BodyEvent::RowEnd { row, lines } => {
                    // Every row has a cell in every column: its span is
                    // the table's, as rust_xlsxwriter gives it.
                    xml.extend_from_slice(br#"<row r=""#);
                    push_number(&mut xml, row + 1);
                    xml.extend_from_slice(br#"" spans=""#);
                    xml.extend_from_slice(spans.as_bytes());
                    xml.push(b'"');
                    if lines > 1 {
                        write!(xml, r#" ht="{}" customHeight="1""#, row_height(lines))?;
                    }
                    xml.push(b'>');
                    xml.append(&mut cells);
                    xml.extend_from_slice(b"</row>");
                }
            }
            Ok(())
        })?;
        Ok(LongBody {
            sheet: 0,
            placed,
            columns,
            xml,
            strings,
            references,
        })
    }

    /// The body's texts, to be the workbook's first shared strings, in order.
    pub fn strings(&self) -> &[Cow<'v, str>] {
        &self.strings
    }

    /// The rows deflated at `level`, for [`splice`]: done beside the
    /// saving of the rest of the workbook.
    pub fn pack(&self, level: u32) -> Result<PackedRows, XlsxError> {
        let mut crc = crc32fast::Hasher::new();
        crc.update(&self.xml);
        Ok(PackedRows {
            deflated: deflate(&self.xml, level, false)?,
            crc,
        })
    }

    /// Says which sheet of the package (1-based) the body belongs to.
    pub fn set_sheet(&mut self, sheet: usize) {
        self.sheet = sheet;
    }
}

/// A text as the shared string rust_xlsxwriter keeps for it. Text that
/// starts with `<r>` and ends with `</r>` is written as a one-run rich
/// string (`xlsx_text::write_text`): its shared string is that run's
/// markup, escaped as rust_xlsxwriter escapes a rich string's text.
fn shared_string(text: &str) -> Cow<'_, str> {
    if !(text.starts_with("<r>") && text.ends_with("</r>")) {
        return Cow::Borrowed(text);
    }
    let mut run = b"<r>".to_vec();
    let blank = ['\t', '\n', ' '];
    if text.starts_with(blank) || text.ends_with(blank) {
        run.extend_from_slice(br#"<t xml:space="preserve">"#);
    } else {
        run.extend_from_slice(b"<t>");
    }
    escape_text(&mut run, text);
    run.extend_from_slice(b"</t></r>");
    Cow::Owned(String::from_utf8_lossy(&run).into_owned())
}

/// Appends `text` escaped for an XML text node as rust_xlsxwriter escapes
/// a rich string's text: `&`, `<` and `>` as entities, control characters
/// and the non-characters U+FFFE and U+FFFF as `_xHHHH_`.
fn escape_text(out: &mut Vec<u8>, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '\t' | '\n' => out.push(c as u8),
            '\0'..='\x1f' | '\u{FFFE}' | '\u{FFFF}' => {
                // Infallible: writing to a Vec.
                let _ = write!(out, "_x{:04X}_", c as u32);
            }
            _ => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Appends `n` in decimal.
fn push_number(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// A column's letters: 0 is `A`, 26 is `AA`.
fn column_letters(col: u16) -> String {
    let mut n = u32::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A range as Excel writes it: `A6:I7`.
fn range(first: (u32, u16), last: (u32, u16)) -> String {
    format!(
        "{}{}:{}{}",
        column_letters(first.1),
        first.0 + 1,
        column_letters(last.1),
        last.0 + 1
    )
}

/// The range rust_xlsxwriter's Excel table covers (the header and one
/// row) and the one the whole body does.
fn table_ranges(body: &LongBody) -> (String, String) {
    let p = body.placed;
    let last_col = p.col + body.columns - 1;
    (
        range((p.header, p.col), (p.header + 1, last_col)),
        range((p.header, p.col), (p.header + p.rows.max(1), last_col)),
    )
}

/// The saved package `bytes` with `body` spliced in (see the module
/// notes): the parts it changes deflated at `level`, the body's rows as
/// `rows` ([`LongBody::pack`]), every other part copied as it is.
pub(super) fn splice(
    bytes: &[u8],
    body: &LongBody,
    rows: &PackedRows,
    level: u32,
) -> Result<Vec<u8>, XlsxError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))?;
    let sheet = format!("xl/worksheets/sheet{}.xml", body.sheet);
    let rels = format!("xl/worksheets/_rels/sheet{}.xml.rels", body.sheet);
    let table = table_part(&read_part(&mut archive, &rels)?)?;
    let (written, full) = table_ranges(body);
    let mut package = Package::with_capacity(bytes.len() + rows.deflated.len());
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i)?.name()?.to_string();
        if name == sheet {
            let xml = read_part(&mut archive, &name)?;
            let (head, tail) = sheet_halves(&xml, body)?;
            let mut crc = crc32fast::Hasher::new();
            crc.update(head.as_bytes());
            crc.combine(&rows.crc);
            crc.update(tail.as_bytes());
            let part = PartInfo {
                name: &name,
                method: DEFLATED,
                crc: crc.finalize(),
                size: (head.len() + body.xml.len() + tail.len()) as u64,
            };
            let (head, tail) = (
                deflate(head.as_bytes(), level, false)?,
                deflate(tail.as_bytes(), level, true)?,
            );
            package.add(&part, &[&head, &rows.deflated, &tail])?;
        } else if name == table {
            let xml = read_part(&mut archive, &name)?;
            let was = format!(r#"ref="{written}""#);
            if !xml.contains(&was) {
                return Err(unexpected("the table part has no range"));
            }
            let xml = xml.replace(&was, &format!(r#"ref="{full}""#));
            add_deflated(&mut package, &name, xml.as_bytes(), level)?;
        } else if name == "xl/sharedStrings.xml" {
            let xml = read_part(&mut archive, &name)?;
            let xml = more_references(&xml, body.references)?;
            add_deflated(&mut package, &name, xml.as_bytes(), level)?;
        } else {
            let mut file = archive.by_index_raw(i)?;
            let method = match file.compression() {
                CompressionMethod::Stored => STORED,
                CompressionMethod::Deflated => DEFLATED,
                _ => return Err(unexpected("a part is compressed in another way")),
            };
            let part = PartInfo {
                name: &name,
                method,
                crc: file.crc32(),
                size: file.size(),
            };
            let mut raw = Vec::with_capacity(file.compressed_size() as usize);
            file.read_to_end(&mut raw)?;
            package.add(&part, &[&raw])?;
        }
    }
    package.finish()
}

/// The body's rows deflated ([`LongBody::pack`]): to be followed by more
/// deflated bytes, and their CRC-32, to be combined with the rest's.
pub(super) struct PackedRows {
    deflated: Vec<u8>,
    crc: crc32fast::Hasher,
}

/// Adds the part `name` holding `bytes`, deflated at `level`.
fn add_deflated(
    package: &mut Package,
    name: &str,
    bytes: &[u8],
    level: u32,
) -> Result<(), XlsxError> {
    let part = PartInfo {
        name,
        method: DEFLATED,
        crc: crc32fast::hash(bytes),
        size: bytes.len() as u64,
    };
    package.add(&part, &[&deflate(bytes, level, true)?])
}

/// `input` deflated at `level` (raw deflate, no zlib wrapper). Unless
/// `last`, it ends with a sync flush (on a byte boundary, no final block),
/// so more deflated bytes can follow it in the same part.
fn deflate(input: &[u8], level: u32, last: bool) -> Result<Vec<u8>, XlsxError> {
    let mut stream = Compress::new(Compression::new(level), false);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::with_capacity(input.len() / 4 + 64);
    loop {
        let consumed = stream.total_in() as usize;
        let status = stream
            .compress_vec(&input[consumed..], &mut out, flush)
            .map_err(|e| XlsxError::IoError(std::io::Error::other(e)))?;
        let all_in = stream.total_in() as usize == input.len();
        let room_left = out.len() < out.capacity();
        if all_in && (status == Status::StreamEnd || (!last && room_left)) {
            return Ok(out);
        }
        if !room_left {
            out.reserve(out.capacity().max(64));
        }
    }
}

/// The text of the part `name`.
fn read_part(archive: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<String, XlsxError> {
    let mut text = String::new();
    archive.by_name(name)?.read_to_string(&mut text)?;
    Ok(text)
}

/// The table part a sheet's relationships name (the sheet has one).
fn table_part(rels: &str) -> Result<String, XlsxError> {
    let mut tables = rels
        .split(r#"Target="../tables/"#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next());
    match (tables.next(), tables.next()) {
        (Some(file), None) => Ok(format!("xl/tables/{file}")),
        _ => Err(unexpected("the sheet has not exactly one table")),
    }
}

/// The sheet's XML before and after where the body's rows go (the end of
/// its data), its dimension grown to the body's last cell.
fn sheet_halves(xml: &str, body: &LongBody) -> Result<(String, String), XlsxError> {
    let end = xml
        .find("</sheetData>")
        .ok_or_else(|| unexpected("the sheet has no data"))?;
    let first_body_row = body.placed.header + 2;
    let last_row_written = xml[..end]
        .rfind(r#"<row r=""#)
        .and_then(|i| xml[i + 8..].split('"').next())
        .and_then(|n| n.parse::<u32>().ok())
        .unwrap_or(0);
    if last_row_written >= first_body_row {
        return Err(unexpected("the sheet has rows where the body goes"));
    }
    let head = &xml[..end];
    let dim_start = head
        .find(r#"<dimension ref=""#)
        .map(|i| i + 16)
        .ok_or_else(|| unexpected("the sheet has no dimension"))?;
    let dim_len = head[dim_start..]
        .find('"')
        .ok_or_else(|| unexpected("the sheet's dimension is cut"))?;
    let p = body.placed;
    let last = (p.header + p.rows, p.col + body.columns - 1);
    let grown = grown_dimension(&head[dim_start..dim_start + dim_len], last)
        .ok_or_else(|| unexpected("the sheet's dimension is not a range"))?;
    let mut new_head = String::with_capacity(head.len() + 8);
    new_head.push_str(&head[..dim_start]);
    new_head.push_str(&grown);
    new_head.push_str(&head[dim_start + dim_len..]);
    Ok((new_head, xml[end..].to_string()))
}

/// A dimension (`A1:D6`, or `A1`) grown to hold the cell `last`.
fn grown_dimension(dim: &str, last: (u32, u16)) -> Option<String> {
    let (first, end) = dim.split_once(':').unwrap_or((dim, dim));
    let (end_row, end_col) = cell_of(end)?;
    cell_of(first)?;
    let row = end_row.max(last.0);
    let col = end_col.max(last.1);
    Some(format!("{first}:{}{}", column_letters(col), row + 1))
}

/// A cell reference (`I7`) as its row and column, from 0.
fn cell_of(reference: &str) -> Option<(u32, u16)> {
    let digits = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, row) = reference.split_at(digits);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters.bytes().try_fold(0u32, |n, b| {
        n.checked_mul(26)?.checked_add(u32::from(b - b'A') + 1)
    })?;
    let row: u32 = row.parse().ok()?;
    Some((
        row.checked_sub(1)?,
        u16::try_from(col.checked_sub(1)?).ok()?,
    ))
}

/// The shared strings part with its reference count raised by `more`.
fn more_references(xml: &str, more: u64) -> Result<String, XlsxError> {
    let start = xml
        .find(r#" count=""#)
        .map(|i| i + 8)
        .ok_or_else(|| unexpected("the shared strings have no count"))?;
    let len = xml[start..]
        .find('"')
        .ok_or_else(|| unexpected("the shared strings' count is cut"))?;
    let count: u64 = xml[start..start + len]
        .parse()
        .map_err(|_| unexpected("the shared strings' count is not a number"))?;
    Ok(format!(
        "{}{}{}",
        &xml[..start],
        count + more,
        &xml[start + len..]
    ))
}

/// rust_xlsxwriter's package was not as this module expects.
fn unexpected(what: &str) -> XlsxError {
    XlsxError::ParameterError(format!("splicing the findings into the workbook: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_ranges_and_dimensions() {
        for n in [0, 7, 10, 99, 100_006, u32::MAX] {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(8), "I");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16_383), "XFD");
        assert_eq!(range((5, 0), (6, 8)), "A6:I7");
        assert_eq!(cell_of("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_of("A0"), None);
        assert_eq!(cell_of("a1"), None);
        assert_eq!(
            grown_dimension("A1:D6", (100, 8)).as_deref(),
            Some("A1:I101")
        );
        assert_eq!(
            grown_dimension("A1:K6", (100, 8)).as_deref(),
            Some("A1:K101")
        );
        assert_eq!(grown_dimension("A1", (9, 2)).as_deref(), Some("A1:C10"));
        assert_eq!(grown_dimension("A1:", (9, 2)), None);
    }

    #[test]
    fn rich_text_is_escaped_as_rust_xlsxwriter_escapes_it() {
        let escaped = |s: &str| {
            let mut out = Vec::new();
            escape_text(&mut out, s);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(escaped("a<b>&c"), "a&lt;b&gt;&amp;c");
        assert_eq!(escaped("x\u{1}y\rz\t\n"), "x_x0001_y_x000D_z\t\n");
        assert_eq!(escaped("_x0041_ 客户"), "_x0041_ 客户");
        assert_eq!(escaped("\u{FFFE}"), "_xFFFE_");
        assert_eq!(shared_string(" 前后 "), " 前后 ");
        assert_eq!(
            shared_string("<r>_x0041_ & </si></r>"),
            "<r><t>&lt;r&gt;_x0041_ &amp; &lt;/si&gt;&lt;/r&gt;</t></r>"
        );
    }

    /// Pieces deflated apart, the first ones sync-flushed, inflate as one.
    #[test]
    fn deflated_pieces_join() {
        let pieces: Vec<Vec<u8>> = (0..3)
            .map(|i| format!("<row r=\"{i}\">{}</row>", "客户".repeat(5000 * i + 1)).into_bytes())
            .collect();
        let mut joined = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            joined.extend(deflate(piece, 2, i == 2).unwrap());
        }
        let mut inflated = Vec::new();
        flate2::read::DeflateDecoder::new(&joined[..])
            .read_to_end(&mut inflated)
            .unwrap();
        assert_eq!(inflated, pieces.concat());
        assert!(deflate(b"", 2, true).is_ok());
    }

    #[test]
    fn the_reference_count_grows() {
        let xml = r#"<sst xmlns="x" count="12" uniqueCount="5"><si><t>a</t></si></sst>"#;
        assert_eq!(
            more_references(xml, 30).unwrap(),
            r#"<sst xmlns="x" count="42" uniqueCount="5"><si><t>a</t></si></sst>"#
        );
        assert!(more_references("<sst>", 1).is_err());
    }

    #[test]
    fn the_table_part_is_the_one_named() {
        let rels = r#"<Relationship Id="rId1" Type="…/table" Target="../tables/table3.xml"/><Relationship Id="rId2" Target="../drawings/vmlDrawing1.vml"/>"#;
        assert_eq!(table_part(rels).unwrap(), "xl/tables/table3.xml");
        assert!(table_part("<Relationships/>").is_err());
    }
}
