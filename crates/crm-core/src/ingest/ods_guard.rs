//! A pre-check of OpenDocument spreadsheets (`.ods`) before calamine opens
//! them.
//!
//! calamine reads every table of `content.xml` while opening the file and
//! expands `table:number-columns-repeated` into one value per column (up to
//! 16 384 per row element) and `table:number-rows-repeated` into dense rows.
//! Its cap of 100 million cells applies only to the second step, so a file
//! of 7 KB holding ten thousand rows of one value repeated 16 384 times made
//! it allocate gigabytes and abort the process (found while fuzzing, see the
//! `ods_repeat_bomb_is_refused` test).
//!
//! [`check_ods`] streams `content.xml` (its size is already bounded by
//! `ReadOptions::max_decompressed_bytes`) through a tokenizer that cuts it
//! where calamine's XML reader does ([`super::ods_xml`]), follows which of
//! calamine 0.38's loops would read each tag ([`Place`]: `parse_content`,
//! `read_table`, `read_row`, `get_datatype`, all in calamine's `ods.rs`),
//! and mirrors their `read_row` / `get_range` counting there, over-counting
//! where unsure. It refuses files that would lay out more than the cell
//! limit, and files calamine would never finish reading: one whose
//! `content.xml` ends inside a table, where `read_table` (ods.rs:448–481)
//! and the annotation loop of `get_datatype` (ods.rs:754–762) take the end
//! of the file for one more event to skip, forever. A repeat count calamine
//! would fail to parse is refused where calamine parses it and skipped where
//! calamine skips the element; the check never stops early.
//!
//! In a text cell, `get_datatype` (ods.rs:770–778) turns each `text:s` into
//! `text:c` spaces (one without it) with no bound: a few tags asking for
//! 100 million spaces each exhausted memory in seconds, well under the cell
//! limit (see the `ods_space_run_bomb_is_refused` test). The scan adds up
//! those spaces over the whole file, times the copies calamine makes of the
//! cell's value (the value built, one clone per repeated column, and each
//! clone again per repeated row when the table is laid out), and refuses
//! the file once they pass a byte budget, `ReadOptions::max_decompressed_bytes`:
//! the text calamine builds must be no larger than the content accepted.
//!
//! The same pass finds the merged cells, which calamine does not report for
//! ods: the scanner hands each spanning cell, at the row and column it
//! counted, to an [`ods_merges::Collector`](super::ods_merges::Collector).

use std::io::{BufRead, BufReader, Cursor};

use super::ods_merges::{Collector, OdsMerges};
use super::ods_xml::{attr, attrs, decode_attr, name_of, Lexer, Markup};

/// calamine's column cap per row element.
const MAX_COLUMNS: u64 = 16_384;
/// calamine's row cap per table.
const MAX_ROWS: u64 = 1_048_576;

const TABLE: &[u8] = b"table:table";
const ROW: &[u8] = b"table:table-row";
const CELL: &[u8] = b"table:table-cell";
const COVERED: &[u8] = b"table:covered-table-cell";
const ANNOTATION: &[u8] = b"office:annotation";
const SPACES: &[u8] = b"text:s";

/// Why [`check_ods`] refused a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OdsProblem {
    /// Content calamine would fail on or never finish reading, or a tag
    /// too long to hold; the reason.
    Corrupt(&'static str),
    /// The tables would lay out more than the cell limit.
    TooManyCells,
    /// The `text:s` runs of spaces in text cells would expand past the byte
    /// budget; the bytes counted when the scan stopped.
    TooMuchText(u64),
}

/// Checks the `content.xml` of a zip, if it has one (see the module docs),
/// against the cell limit and, for the spaces of `text:s` runs, a budget of
/// `max_text_bytes`, and returns its merged cells. A zip without it, or one
/// the unzipper cannot read, is left to calamine (and has no merged cells).
pub(crate) fn check_ods(
    bytes: &[u8],
    max_cells: usize,
    max_text_bytes: u64,
) -> Result<OdsMerges, OdsProblem> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(OdsMerges::default());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(OdsMerges::default());
    };
    scan_content_within(
        BufReader::with_capacity(64 * 1024, content),
        max_cells,
        max_text_bytes,
    )
}

/// [`check_ods`] on the text of a `content.xml`, with no budget for the
/// spaces of `text:s` runs (what the merged-cell tests need).
#[cfg(test)]
pub(super) fn scan_content(
    reader: impl BufRead,
    max_cells: usize,
) -> Result<OdsMerges, OdsProblem> {
    scan_content_within(reader, max_cells, u64::MAX)
}

/// [`check_ods`] on the text of a `content.xml`.
pub(super) fn scan_content_within(
    mut reader: impl BufRead,
    max_cells: usize,
    max_text_bytes: u64,
) -> Result<OdsMerges, OdsProblem> {
    let mut lexer = Lexer::new();
    let mut scan = Scan::new(max_cells as u64, max_text_bytes);
    loop {
        let chunk = match reader.fill_buf() {
            Ok([]) => break,
            Ok(c) => c,
            // calamine fails at the same place, after laying out only what
            // came before, which the scan has checked.
            Err(_) => return Ok(OdsMerges::default()),
        };
        for &b in chunk {
            if let Some(markup) = lexer.byte(b)? {
                scan.markup(markup, lexer.tag())?;
            }
        }
        let n = chunk.len();
        reader.consume(n);
    }
    if scan.place != Place::Top {
        // calamine would loop (between rows, in an annotation) or fail.
        return Err(OdsProblem::Corrupt(
            "its content.xml is cut off inside a table",
        ));
    }
    Ok(scan.merges.finish())
}

/// Which loop of calamine's ods reader takes the next tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// `parse_content`: outside the tables calamine reads (a table without
    /// a `table:name` is not read, nor is anything in it).
    Top,
    /// `read_table`, between rows: only row starts and the table's end count.
    Table,
    /// `read_row`, between cells (calamine fails on anything but a cell or
    /// the row's end; the scan just goes on).
    Row,
    /// The content of a cell holding no text, skipped by `read_to_end_into`
    /// up to the end tag of the cell's name (`covered`), nested `depth` deep
    /// in elements of that name.
    Skip { covered: bool, depth: u64 },
    /// The content of a text cell, read by `get_datatype` up to the first
    /// end of any cell.
    Text,
    /// An annotation in a text cell, skipped up to the first end of one.
    Annotation,
}

/// The counting state of [`check_ods`].
struct Scan {
    /// The cell limit.
    max: u64,
    /// Which of calamine's loops reads the next tag.
    place: Place,
    /// Values pushed by calamine's `read_row` in all tables so far.
    pushed: u64,
    /// Dense cells laid out by the tables already ended.
    laid_out: u64,
    /// The current table.
    table: Table,
    /// The current row, while inside one.
    row: Option<Row>,
    /// The merged cells found so far.
    merges: Collector,
    /// The budget for the spaces of `text:s` runs, in bytes.
    max_text: u64,
    /// Spaces of `text:s` runs laid out so far, counted per copy.
    text: u64,
    /// How many copies calamine makes of the current text cell's value
    /// (see [`text_copies`]).
    text_copies: u64,
}

/// Counts for one table (calamine's `get_range`).
#[derive(Default)]
struct Table {
    /// Rows so far after the row-repeat cap.
    total_rows: u64,
    /// Repeats of the rows from the first one holding a value to the last one.
    spanned_rows: u64,
    /// Repeats of empty rows since the last row holding a value.
    pending_rows: u64,
    /// First and last column holding a value, over all rows.
    cols: Option<(u64, u64)>,
    /// A formula was seen (calamine then lays out a second range).
    formulas: bool,
}

/// Counts for one row element (calamine's `read_row`).
struct Row {
    /// The table row of its first repeat.
    start: u64,
    /// Repeats after the cap.
    repeats: u64,
    /// Values pushed for this row.
    len: u64,
    /// Empty cells not pushed yet (calamine drops them at the end of a row).
    pending_empty: u64,
    /// First and last position holding a value.
    cols: Option<(u64, u64)>,
}

/// What calamine's `get_datatype` (ods.rs:700–732) makes of a cell's
/// attributes, in their order.
struct CellKind {
    /// It holds a value or a formula, so calamine pushes it.
    holds_value: bool,
    /// It has a `table:formula`.
    formula: bool,
    /// calamine reads its content as text (a string without
    /// `office:string-value`, or an error with an empty one).
    text: bool,
}

impl CellKind {
    fn of(tag: &[u8]) -> CellKind {
        let (mut value_set, mut string, mut error, mut empty_string) = (false, false, false, false);
        let mut formula = false;
        for (key, value) in attrs(tag) {
            match key {
                b"office:value"
                | b"office:date-value"
                | b"office:time-value"
                | b"office:boolean-value"
                    if !value_set =>
                {
                    value_set = true;
                }
                b"office:string-value" if !value_set => {
                    value_set = true;
                    empty_string = value.is_empty();
                }
                b"office:value-type" if !value_set => string = value == b"string",
                b"calcext:value-type" => error = value == b"error",
                b"table:formula" => formula = true,
                _ => {}
            }
        }
        let text = (!value_set && string) || (error && empty_string);
        CellKind {
            holds_value: text || value_set || formula,
            formula,
            text,
        }
    }
}

/// How many copies of a text cell's value calamine makes: the one
/// `get_datatype` builds, the clone `read_row` pushes for each of its
/// `columns` repeats after the cap (ods.rs:662–665), and the clone of each
/// of those that `get_range` lays out for each of the row's `rows` repeats
/// (ods.rs:581–593; an over-count for cells outside the value range).
fn text_copies(columns: u64, rows: u64) -> u64 {
    columns
        .saturating_mul(rows.saturating_add(1))
        .saturating_add(1)
}

/// The spaces `get_datatype` lays out for a `text:s` tag (ods.rs:770–778):
/// its `text:c` decoded and parsed as an `i32` (the type calamine's
/// `0..count` falls back to), none when negative (an empty range), one
/// when absent; refused where calamine would fail (a value that does not
/// decode, or is not an `i32`: a sign alone, a space, a fraction,
/// 2 147 483 648 or more).
fn spaces(tag: &[u8]) -> Result<u64, OdsProblem> {
    let Some(raw) = attr(tag, b"text:c") else {
        return Ok(1);
    };
    decode_attr(raw)
        .and_then(|t| t.parse::<i32>().ok())
        .map(|n| u64::try_from(n).unwrap_or(0))
        .ok_or(OdsProblem::Corrupt(
            "its content.xml holds a count of spaces that is not a number",
        ))
}

/// A repeat count as calamine parses it (`usize`), after decoding the
/// value when `decoded` (rows are, ods.rs:452; cells are not, ods.rs:627);
/// 1 when absent; refused where calamine would fail.
fn repeats(tag: &[u8], key: &[u8], decoded: bool) -> Result<u64, OdsProblem> {
    let Some(raw) = attr(tag, key) else {
        return Ok(1);
    };
    let text = if decoded {
        decode_attr(raw)
    } else {
        std::str::from_utf8(raw).ok().map(str::to_owned)
    };
    text.and_then(|t| t.parse::<u64>().ok())
        .ok_or(OdsProblem::Corrupt(
            "its content.xml holds a repeat count that is not a number",
        ))
}

impl Scan {
    fn new(max: u64, max_text: u64) -> Scan {
        Scan {
            max,
            max_text,
            text: 0,
            text_copies: 0,
            place: Place::Top,
            pushed: 0,
            laid_out: 0,
            table: Table::default(),
            row: None,
            merges: Collector::new(usize::try_from(max).unwrap_or(usize::MAX)),
        }
    }

    /// A whole tag; `tag` is its text (see [`Lexer::tag`]).
    fn markup(&mut self, markup: Markup, tag: &[u8]) -> Result<(), OdsProblem> {
        match markup {
            Markup::Start => self.start(tag),
            Markup::Empty => {
                self.start(tag)?;
                self.end(name_of(tag))
            }
            Markup::End => self.end(tag),
        }
    }

    /// A start tag, in calamine's loop at `self.place`.
    fn start(&mut self, tag: &[u8]) -> Result<(), OdsProblem> {
        let name = name_of(tag);
        match self.place {
            Place::Top if name == TABLE => {
                // A table without a name is not read (ods.rs:408).
                if let Some(raw_name) = attr(tag, b"table:name") {
                    self.merges.table_start(Some(raw_name));
                    self.place = Place::Table;
                }
            }
            Place::Table if name == ROW => {
                let repeats = repeats(tag, b"table:number-rows-repeated", true)?;
                let start = self.table.total_rows;
                let capped = repeats.min(MAX_ROWS.saturating_sub(start));
                self.table.total_rows += capped;
                self.row = Some(Row {
                    start,
                    repeats: capped,
                    len: 0,
                    pending_empty: 0,
                    cols: None,
                });
                self.place = Place::Row;
            }
            Place::Row if name == CELL || name == COVERED => {
                let repeats = repeats(tag, b"table:number-columns-repeated", false)?;
                let kind = CellKind::of(tag);
                self.table.formulas |= kind.formula;
                let (col, count) = self.cell(repeats, kind.holds_value)?;
                // A covered cell only takes its place; an empty spanning
                // cell has nothing to fill the region with.
                if kind.holds_value && name == CELL {
                    self.merges.cell(
                        col,
                        count,
                        attr(tag, b"table:number-rows-spanned"),
                        attr(tag, b"table:number-columns-spanned"),
                    );
                }
                self.place = if kind.text {
                    let rows = self.row.as_ref().map_or(0, |r| r.repeats);
                    self.text_copies = text_copies(count, rows);
                    Place::Text
                } else {
                    Place::Skip {
                        covered: name == COVERED,
                        depth: 0,
                    }
                };
            }
            Place::Skip { covered, depth } if name == cell_name(covered) => {
                self.place = Place::Skip {
                    covered,
                    depth: depth + 1,
                };
            }
            Place::Text if name == ANNOTATION => self.place = Place::Annotation,
            Place::Text if name == SPACES => self.charge_spaces(tag)?,
            _ => {}
        }
        Ok(())
    }

    /// An end tag named `name`, in calamine's loop at `self.place`.
    fn end(&mut self, name: &[u8]) -> Result<(), OdsProblem> {
        match self.place {
            Place::Table if name == TABLE => {
                self.table_end()?;
                self.place = Place::Top;
            }
            Place::Row if name == ROW => {
                self.row_end()?;
                self.place = Place::Table;
            }
            Place::Skip { covered, depth } if name == cell_name(covered) => {
                self.place = match depth.checked_sub(1) {
                    Some(depth) => Place::Skip { covered, depth },
                    None => Place::Row,
                };
            }
            Place::Text if name == CELL || name == COVERED => self.place = Place::Row,
            Place::Annotation if name == ANNOTATION => self.place = Place::Text,
            _ => {}
        }
        Ok(())
    }

    /// A `text:s` tag read by `get_datatype`: charges its spaces, once per
    /// copy of the cell's value, to the text budget.
    fn charge_spaces(&mut self, tag: &[u8]) -> Result<(), OdsProblem> {
        let bytes = spaces(tag)?.saturating_mul(self.text_copies);
        self.text = self.text.saturating_add(bytes);
        if self.text > self.max_text {
            return Err(OdsProblem::TooMuchText(self.text));
        }
        Ok(())
    }

    /// Charges `n` pushed values.
    fn push(&mut self, n: u64) -> Result<(), OdsProblem> {
        self.pushed = self.pushed.saturating_add(n);
        self.check()
    }

    fn check(&self) -> Result<(), OdsProblem> {
        if self.pushed.saturating_add(self.laid_out) > self.max {
            Err(OdsProblem::TooManyCells)
        } else {
            Ok(())
        }
    }

    /// One cell element repeated `repeats` times (calamine's `read_row`);
    /// returns the column of its first repeat and how many repeats are
    /// laid out (none outside a row or past the column cap).
    fn cell(&mut self, repeats: u64, holds_value: bool) -> Result<(u64, u64), OdsProblem> {
        let Some(row) = self.row.as_mut() else {
            return Ok((0, 0));
        };
        let empties = row.pending_empty.min(MAX_COLUMNS.saturating_sub(row.len));
        row.len += empties;
        row.pending_empty = 0;
        let col = row.len;
        let capped = repeats.min(MAX_COLUMNS.saturating_sub(row.len));
        let mut pushed = empties;
        if holds_value {
            if capped > 0 {
                let first = row.cols.map_or(row.len, |(f, _)| f);
                row.cols = Some((first, row.len + capped - 1));
            }
            row.len += capped;
            pushed += capped;
        } else {
            row.pending_empty = capped;
        }
        self.push(pushed)?;
        Ok((col, capped))
    }

    /// The end of a row element (calamine's `get_range` bookkeeping).
    fn row_end(&mut self) -> Result<(), OdsProblem> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        let t = &mut self.table;
        match row.cols {
            None => {
                if t.cols.is_some() {
                    t.pending_rows = t.pending_rows.saturating_add(row.repeats);
                }
            }
            Some((first, last)) => {
                t.spanned_rows = t
                    .spanned_rows
                    .saturating_add(t.pending_rows)
                    .saturating_add(row.repeats);
                t.pending_rows = 0;
                t.cols = Some(match t.cols {
                    None => (first, last),
                    Some((f, l)) => (f.min(first), l.max(last)),
                });
            }
        }
        // The dense range so far must fit too: the limit is checked as the
        // table grows, not only at its end.
        let area = Self::area(t);
        if self
            .pushed
            .saturating_add(self.laid_out)
            .saturating_add(area)
            > self.max
        {
            return Err(OdsProblem::TooManyCells);
        }
        // Only now, the rows being within the limit, are the row's merged
        // regions expanded by its repeats.
        self.merges.row_end(row.start, row.repeats);
        Ok(())
    }

    /// The dense cells of a table's value range (and as many again for its
    /// formula range when it has formulas).
    fn area(t: &Table) -> u64 {
        let width = t.cols.map_or(0, |(f, l)| l - f + 1);
        let cells = width.saturating_mul(t.spanned_rows);
        if t.formulas {
            cells.saturating_mul(2)
        } else {
            cells
        }
    }

    /// The end of a table: its ranges are laid out.
    fn table_end(&mut self) -> Result<(), OdsProblem> {
        self.row_end()?;
        let t = std::mem::take(&mut self.table);
        self.laid_out = self.laid_out.saturating_add(Self::area(&t));
        self.check()?;
        self.merges.table_end();
        Ok(())
    }
}

/// The name of a cell element: covered or not.
fn cell_name(covered: bool) -> &'static [u8] {
    if covered {
        COVERED
    } else {
        CELL
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, max: u64) -> Result<(), OdsProblem> {
        scan_content(xml.as_bytes(), max as usize).map(|_| ())
    }

    const CELL: &str = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
    const CUT_OFF: OdsProblem = OdsProblem::Corrupt("its content.xml is cut off inside a table");

    /// A table named `S` of `rows`.
    fn table(rows: &str) -> String {
        format!(r#"<table:table table:name="S">{rows}</table:table>"#)
    }

    /// A row of `cells` repeated `repeats` times.
    fn row(repeats: u64, cells: &str) -> String {
        format!(
            r#"<table:table-row table:number-rows-repeated="{repeats}">{cells}</table:table-row>"#
        )
    }

    /// 1000 rows of 1000 values: a million cells.
    fn bomb() -> String {
        row(
            1000,
            r#"<table:table-cell table:number-columns-repeated="1000" office:value="1"/>"#,
        )
    }

    /// [`scan_content_within`] with no cell limit and a budget of
    /// `max_text` bytes for the spaces of `text:s` runs.
    fn scan_text(xml: &str, max_text: u64) -> Result<(), OdsProblem> {
        scan_content_within(xml.as_bytes(), usize::MAX, max_text).map(|_| ())
    }

    /// A table of one row holding a text cell whose content is `content`.
    fn text_cell(content: &str) -> String {
        table(&format!(
            r#"<table:table-row><table:table-cell office:value-type="string">{content}</table:table-cell></table:table-row>"#
        ))
    }

    /// A `text:s` asking for `c` spaces.
    fn run(c: &str) -> String {
        format!(r#"<text:s text:c="{c}"/>"#)
    }

    #[test]
    fn space_counts_are_parsed_like_calamine() {
        assert_eq!(spaces(b"text:s"), Ok(1));
        assert_eq!(spaces(br#"text:s text:c="5""#), Ok(5));
        assert_eq!(spaces(br#"text:s text:c='+7' text:c="9""#), Ok(7));
        // Decoded first, as calamine does: `&#49;0` is 10.
        assert_eq!(spaces(br#"text:s text:c="&#49;0""#), Ok(10));
        assert_eq!(spaces(br#"text:s text:c="2147483647""#), Ok(2_147_483_647));
        // A negative count is an empty range: no space.
        assert_eq!(spaces(br#"text:s text:c="-5""#), Ok(0));
        assert_eq!(spaces(br#"text:s text:c="-2147483648""#), Ok(0));
        // What calamine fails to parse as an i32.
        for bad in [
            "",
            "x",
            "+",
            " 1",
            "1 ",
            "1.5",
            "1e3",
            "0x10",
            "2147483648",
            "&#49",
            "&bad;",
        ] {
            let tag = format!(r#"text:s text:c="{bad}""#);
            assert!(
                matches!(spaces(tag.as_bytes()), Err(OdsProblem::Corrupt(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn spaces_of_a_text_cell_are_counted() {
        // 100 spaces, and one for a `text:s` without a count, built once,
        // pushed once and laid out once: 303 bytes.
        let xml = text_cell(&format!("<text:p>a{}b<text:s/></text:p>", run("100")));
        assert_eq!(scan_text(&xml, 303), Ok(()));
        assert_eq!(scan_text(&xml, 302), Err(OdsProblem::TooMuchText(303)));
        // calamine honours `text:s` anywhere in the cell's content, in a
        // span, or outside a paragraph, written as a start tag or not.
        for content in [
            format!("<text:p><text:span>{}</text:span></text:p>", run("100")),
            run("100"),
            r#"<text:p><text:s text:c="100">x</text:s></text:p>"#.into(),
            r#"<text:p><text:s text:c="100" /></text:p>"#.into(),
        ] {
            let xml = text_cell(&content);
            assert_eq!(scan_text(&xml, 299), Err(OdsProblem::TooMuchText(300)));
        }
        // An error cell with an empty string value is read as text too.
        let xml = table(&format!(
            r#"<table:table-row><table:table-cell office:string-value="" calcext:value-type="error"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
            run("100")
        ));
        assert_eq!(scan_text(&xml, 299), Err(OdsProblem::TooMuchText(300)));
    }

    #[test]
    fn spaces_calamine_does_not_lay_out_are_not_counted() {
        let big = run("100000000");
        let places = [
            // Outside the tables calamine reads.
            format!("<text:p>{big}</text:p>{}", text_cell("<text:p>x</text:p>")),
            format!(
                "<table:table><table:table-row>{}</table:table-row></table:table>",
                ods_cell(&big)
            ),
            // In a table, between rows, and in a row between cells.
            table(&format!("{big}<table:table-row>{big}</table:table-row>")),
            // In cells calamine does not read as text: a number, a string
            // given by its attribute, a cell of no type.
            table(&format!(
                r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>{big}</text:p></table:table-cell><table:table-cell office:value-type="string" office:string-value="s"><text:p>{big}</text:p></table:table-cell><table:table-cell office:string-value="s" office:value-type="string"><text:p>{big}</text:p></table:table-cell><table:table-cell><text:p>{big}</text:p></table:table-cell></table:table-row>"#
            )),
            // In a cell's annotation, and after the first end of any cell.
            text_cell(&format!(
                "<office:annotation><text:p>{big}</text:p></office:annotation><text:p>x</text:p>"
            )),
            text_cell(&format!("<table:table-cell/>{big}")),
            // Not `text:s` to quick-xml, or an end tag.
            text_cell(
                r#"<text:p><text:s/ text:c="100000000"/><text:sx text:c="100000000"/></text:s></text:p>"#,
            ),
        ];
        for xml in places {
            assert_eq!(scan_text(&xml, 10), Ok(()), "{xml}");
        }
        // Nor are negative counts.
        assert_eq!(scan_text(&text_cell(&run("-100000000")), 0), Ok(()));
    }

    /// A text cell of no type holding `content`.
    fn ods_cell(content: &str) -> String {
        format!(r#"<table:table-cell office:value-type="string">{content}</table:table-cell>"#)
    }

    #[test]
    fn many_small_runs_add_up_over_the_file() {
        // 1000 cells of one space, in two tables: 3 bytes each.
        let cells = ods_cell("<text:p>a<text:s/>b</text:p>").repeat(500);
        let one = format!(r#"<table:table-row>{cells}</table:table-row>"#);
        let xml = format!(
            r#"{}<table:table table:name="T">{one}</table:table>"#,
            table(&one)
        );
        assert_eq!(scan_text(&xml, 3000), Ok(()));
        assert_eq!(scan_text(&xml, 2999), Err(OdsProblem::TooMuchText(3000)));
    }

    #[test]
    fn spaces_are_counted_per_copy_of_a_repeated_cell() {
        // 10 spaces in a cell repeated over 100 columns and 7 rows: built
        // once, pushed 100 times, laid out 700 times.
        let cell = r#"<table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p><text:s text:c="10"/></text:p></table:table-cell>"#;
        let xml = table(&row(7, cell));
        assert_eq!(scan_text(&xml, 8010), Ok(()));
        assert_eq!(scan_text(&xml, 8009), Err(OdsProblem::TooMuchText(8010)));
        // Past the column cap, the value is still built once.
        let far = format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16384"/>{}</table:table-row>"#,
            ods_cell(&run("10"))
        );
        assert_eq!(scan_text(&table(&far), 9), Err(OdsProblem::TooMuchText(10)));
    }

    #[test]
    fn bad_space_counts_are_refused_only_where_calamine_reads_them() {
        assert!(matches!(
            scan_text(&text_cell(&run("x")), u64::MAX),
            Err(OdsProblem::Corrupt(_))
        ));
        assert!(matches!(
            scan_text(&text_cell(&run("2147483648")), u64::MAX),
            Err(OdsProblem::Corrupt(_))
        ));
        // In an annotation, calamine skips it; the check goes on and
        // counts the run after it.
        let xml = text_cell(&format!(
            "<office:annotation>{}</office:annotation>{}",
            run("x"),
            run("100")
        ));
        assert_eq!(scan_text(&xml, 299), Err(OdsProblem::TooMuchText(300)));
    }

    #[test]
    fn repeat_counts_are_parsed_like_calamine() {
        let tag = br#"table:table-cell a="x>y" table:number-columns-repeated='7' b="""#;
        let cols = b"table:number-columns-repeated";
        assert_eq!(repeats(tag, cols, false), Ok(7));
        assert_eq!(repeats(tag, b"table:number-rows-repeated", true), Ok(1));
        assert!(repeats(br#"x k="-1""#, b"k", true).is_err());
        // Row counts are decoded first, cell counts are not.
        assert_eq!(repeats(br#"x k="&#49;0""#, b"k", true), Ok(10));
        assert!(repeats(br#"x k="&#49;0""#, b"k", false).is_err());
    }

    #[test]
    fn repeated_columns_count_per_row_element() {
        let row = format!(
            r#"<table:table-row>{}</table:table-row>"#,
            CELL.replace(
                "<table:table-cell ",
                r#"<table:table-cell table:number-columns-repeated="16384" "#
            )
        );
        let xml = table(&row.repeat(10));
        // 10 rows × 16 384 values pushed, and as many laid out.
        assert_eq!(scan(&xml, 10 * 16_384 * 2), Ok(()));
        assert_eq!(scan(&xml, 10 * 16_384), Err(OdsProblem::TooManyCells));
    }

    #[test]
    fn trailing_empty_cells_and_rows_are_not_counted() {
        // What LibreOffice writes after the data: empty cells and rows repeated to the edge.
        let xml = table(&format!(
            r#"<table:table-row>{CELL}<table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        ));
        assert_eq!(scan(&xml, 10), Ok(()));
        // Nor are cells with no value whose content calamine skips.
        let xml = table(&format!(
            r#"<table:table-row>{CELL}</table:table-row>{}"#,
            row(
                1_000_000,
                r#"<table:table-cell table:number-columns-repeated="9"><office:annotation/></table:table-cell><table:table-cell><text:p>x</text:p></table:table-cell>"#
            )
        ));
        // Values pushed: 1, then the 9 empty cells before the last one.
        assert_eq!(scan(&xml, 11), Ok(()));
    }

    #[test]
    fn repeated_rows_between_values_are_laid_out() {
        let xml = table(&format!(
            r#"<table:table-row>{CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row>{CELL}</table:table-row>"#
        ));
        assert_eq!(scan(&xml, 2_000_000), Ok(()));
        assert_eq!(scan(&xml, 500_000), Err(OdsProblem::TooManyCells));
    }

    #[test]
    fn comments_and_quotes_do_not_hide_tags() {
        let xml = format!(
            r#"<!-- <table:table-row> -->{}"#,
            table(&format!(
                r#"<table:table-row>{}</table:table-row>"#,
                CELL.replace(
                    "<table:table-cell ",
                    r#"<table:table-cell x="a>b" table:number-columns-repeated="100" "#
                )
            ))
        );
        assert_eq!(scan(&xml, 99), Err(OdsProblem::TooManyCells));
        assert_eq!(scan(&xml, 200), Ok(()));
    }

    /// calamine's `read_table` loops forever on the end of the file between
    /// rows, and its annotation loop inside a text cell; elsewhere in a
    /// table it fails. The check refuses every file cut inside a table.
    #[test]
    fn files_cut_off_inside_a_table_are_refused() {
        let xml = table(&format!(
            r#"<table:table-column/><table:table-row>{CELL}<table:table-cell office:value-type="string"><office:annotation><text:p>n</text:p></office:annotation><text:p>t</text:p></table:table-cell></table:table-row><table:table-row/>"#
        ));
        for cut_before in [
            "<table:table-column/>",
            "<table:table-row>",
            "<text:p>1",
            "</table:table-cell><table:table-cell office",
            "<text:p>n",
            "</office:annotation>",
            "<text:p>t",
            "<table:table-row/>",
            "</table:table>",
        ] {
            let cut = xml.find(cut_before).expect("in the table");
            assert_eq!(scan(&xml[..cut], 100), Err(CUT_OFF), "{cut_before}");
        }
        // calamine reads a file cut after its tables, or in a table it skips.
        let unnamed = "<table:table><table:table-row><table:table-cell/>";
        assert_eq!(scan(&format!("<a>{xml}<b>"), 100), Ok(()));
        assert_eq!(scan(&format!("{xml}{unnamed}"), 100), Ok(()));
    }

    #[test]
    fn bad_repeat_counts_calamine_reads_are_refused() {
        let bad = [
            row(1, "").replace("\"1\"", "\"x\""),
            row(1, "").replace("\"1\"", "\"\""),
            r#"<table:table-row><table:table-cell table:number-columns-repeated="&#49;0"/></table:table-row>"#.into(),
            r#"<table:table-row><table:covered-table-cell table:number-columns-repeated="1e3"/></table:table-row>"#.into(),
        ];
        for rows in bad {
            assert!(
                matches!(scan(&table(&rows), 100), Err(OdsProblem::Corrupt(_))),
                "{rows}"
            );
        }
    }

    /// calamine skips the elements around these bad counts (no error), then
    /// lays out the table after them: the check goes on to refuse it.
    #[test]
    fn bad_repeat_counts_calamine_skips_do_not_end_the_check() {
        let bad_row = r#"<table:table-row table:number-rows-repeated="x"/>"#;
        let bad_cell = r#"<table:table-cell table:number-columns-repeated="x"/>"#;
        let cases = [
            // Outside the tables calamine reads.
            format!("{bad_row}{bad_cell}{}", table(&bomb())),
            format!("<table:table>{bad_row}</table:table>{}", table(&bomb())),
            // In a table, outside its rows.
            table(&format!("{bad_cell}{}", bomb())),
            // In the content of a cell holding no text, which calamine skips…
            table(&format!(
                "<table:table-row><table:table-cell><text:p>{bad_row}</text:p></table:table-cell></table:table-row>{}",
                bomb()
            )),
            // …of a text cell, where it only reads the text…
            table(&format!(
                r#"<table:table-row><table:table-cell office:value-type="string">{bad_row}<text:p>t</text:p></table:table-cell></table:table-row>{}"#,
                bomb()
            )),
            // …and of an annotation in it.
            table(&format!(
                r#"<table:table-row><table:table-cell office:value-type="string"><office:annotation>{bad_cell}</office:annotation></table:table-cell></table:table-row>{}"#,
                bomb()
            )),
        ];
        for xml in cases {
            assert_eq!(scan(&xml, 100), Err(OdsProblem::TooManyCells), "{xml}");
        }
    }

    #[test]
    fn row_counts_written_as_character_references_are_counted() {
        // `&#49;&#48;00` is 1000 to calamine.
        let xml = table(&bomb().replace("\"1000\">", "\"&#49;&#48;00\">"));
        assert!(xml.contains("&#49;&#48;00"));
        // 1000 values pushed, 1000 × 1000 laid out.
        assert_eq!(scan(&xml, 1_001_000), Ok(()));
        assert_eq!(scan(&xml, 1_000_999), Err(OdsProblem::TooManyCells));
    }

    /// Rows and tables nested in a cell's content are skipped with it, and
    /// a table nested in a table does not end it: calamine counts what
    /// follows in the outer row and table.
    #[test]
    fn rows_and_tables_nested_in_content_do_not_split_the_counts() {
        let cells = r#"<table:table-cell><table:table-row/><table:table-cell/></table:table-cell><table:table-cell office:value="1" table:number-columns-repeated="100"/>"#;
        let xml = table(&row(1000, cells));
        // 101 values pushed (an empty cell, then 100), 1000 × 100 laid out.
        assert_eq!(scan(&xml, 100_101), Ok(()));
        assert_eq!(scan(&xml, 100_100), Err(OdsProblem::TooManyCells));
        // One value at A1, then a "table" of one value at XFD1001: one
        // range of 1001 × 16 384 cells (and 1 + 16 384 values pushed).
        let far = r#"<table:table-cell table:number-columns-repeated="16383"/><table:table-cell office:value="1"/>"#;
        let xml = table(&format!(
            r#"<table:table-row>{CELL}</table:table-row><table:table table:name="T">{}"#,
            row(1000, far)
        ));
        let cells = 1 + 16_384 + 1001 * 16_384;
        assert_eq!(scan(&xml, cells), Ok(()));
        assert_eq!(scan(&xml, cells - 1), Err(OdsProblem::TooManyCells));
    }

    #[test]
    fn tags_calamine_does_not_see_are_not_counted() {
        // Not a row to quick-xml: its name is `table:table-row/`.
        let xml = table(&format!(
            r#"<table:table-row/ table:number-rows-repeated="9">{CELL}</table:table-row><table:table-row>{CELL}</table:table-row>"#
        ));
        // One value pushed and laid out.
        assert_eq!(scan(&xml, 2), Ok(()));
        // An end tag with attributes does not end the table for calamine.
        let xml = table(&format!(
            r#"<table:table-row>{CELL}</table:table-row></table:table x="">{}"#,
            bomb()
        ));
        assert_eq!(scan(&xml, 100), Err(OdsProblem::TooManyCells));
    }
}
