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
//! calamine builds the text of a cell once and then copies it: one clone
//! per repeated column pushed by `read_row` (ods.rs:662–665), and one per
//! repeated row of each of those when `get_range` lays the table out
//! (ods.rs:581–593). A megabyte of text repeated over 16 384 columns made
//! 16 GB from a few KB zipped, under the cell limit (see the
//! `ods_repeated_text_is_refused` test); and in a text cell, `get_datatype`
//! (ods.rs:770–778) turns each `text:s` into `text:c` spaces with no bound
//! (see `ods_space_run_bomb_is_refused`). The scan adds up the bytes of
//! every text value calamine builds for a cell ([`CellKind`], and
//! [`Scan::text`] for a cell's content), times those copies, over the whole
//! file, and refuses the file once they pass a byte budget,
//! `ReadOptions::max_decompressed_bytes`: the text calamine builds must be
//! no larger than the content accepted.
//!
//! The text of `content.xml` is counted as its raw bytes, escaped: what
//! calamine makes of it is never longer. Text is strict UTF-8 to quick-xml
//! and `xml10_content` only folds `\r\n` and `\r` into `\n`; every reference
//! calamine resolves, in text (`unescape_entity_to_buffer`) or in a value
//! (`decode_attr`, quick-xml's `unescape`, without its `escape-html`
//! feature), is one of the five predefined entities (4 to 6 bytes for 1)
//! or a character reference, of at least 4 bytes for a 1-byte character,
//! 6 for 2 (`&#128;`), 7 for 3 (`&#2048;`) and 8 for 4 (`&#65536;`;
//! `&#x10FFFF;` is 10).
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
const PARAGRAPH: &[u8] = b"text:p";
const TAB: &[u8] = b"text:tab";
const LINE_BREAK: &[u8] = b"text:line-break";

/// Why [`check_ods`] refused a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OdsProblem {
    /// Content calamine would fail on or never finish reading, or a tag
    /// too long to hold; the reason.
    Corrupt(&'static str),
    /// The tables would lay out more than the cell limit.
    TooManyCells,
    /// The text calamine would build for the cells, counted once per copy,
    /// would pass the byte budget; the bytes counted when the scan stopped.
    TooMuchText(u64),
}

/// Checks the `content.xml` of a zip, if it has one (see the module docs),
/// against the cell limit and, for the text calamine builds for its cells,
/// a budget of `max_text_bytes`, and returns its merged cells. A zip
/// without it, or one the unzipper cannot read, is left to calamine (and
/// has no merged cells).
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
/// text of its cells (what the merged-cell tests need).
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
        let mut rest = chunk;
        while let Some((&b, after)) = rest.split_first() {
            let text = lexer.text(rest);
            if text > 0 {
                scan.text(text as u64)?;
                rest = &rest[text..];
                continue;
            }
            if let Some(markup) = lexer.byte(b)? {
                scan.markup(markup, lexer.tag())?;
            }
            rest = after;
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
    /// The budget for the text calamine builds for the cells, in bytes.
    max_text_bytes: u64,
    /// Bytes of the text values calamine builds for the cells so far,
    /// counted once per copy it makes of each.
    text_bytes: u64,
    /// How many copies calamine makes of the current cell's values (see
    /// [`text_copies`]).
    text_copies: u64,
    /// A paragraph began in the current text cell: the next one adds a
    /// newline.
    in_paragraphs: bool,
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
    /// Bytes of the strings calamine decodes from its attributes and
    /// keeps: the value it takes (the first of them) when a string, a date
    /// or a time (`Data::String`, `DateTimeIso`, `DurationIso`), and the
    /// formula (the last `table:formula` is kept; all are counted). Raw,
    /// escaped lengths: no shorter than decoded (see the module docs).
    string_bytes: u64,
}

impl CellKind {
    /// Reads a cell's start tag as `get_datatype` does.
    fn of(tag: &[u8]) -> CellKind {
        let (mut value_set, mut string, mut error, mut empty_string) = (false, false, false, false);
        let mut formula = false;
        let mut string_bytes = 0u64;
        for (key, value) in attrs(tag) {
            let len = value.len() as u64;
            match key {
                b"office:value" | b"office:boolean-value" if !value_set => value_set = true,
                b"office:date-value" | b"office:time-value" if !value_set => {
                    value_set = true;
                    string_bytes = string_bytes.saturating_add(len);
                }
                b"office:string-value" if !value_set => {
                    value_set = true;
                    empty_string = value.is_empty();
                    string_bytes = string_bytes.saturating_add(len);
                }
                b"office:value-type" if !value_set => string = value == b"string",
                b"calcext:value-type" => error = value == b"error",
                b"table:formula" => {
                    formula = true;
                    string_bytes = string_bytes.saturating_add(len);
                }
                _ => {}
            }
        }
        let text = (!value_set && string) || (error && empty_string);
        CellKind {
            holds_value: text || value_set || formula,
            formula,
            text,
            string_bytes,
        }
    }
}

/// How many copies of a cell's value (and of its formula) calamine makes:
/// the one `get_datatype` builds, the clone `read_row` pushes for each of
/// its `columns` repeats after the cap (ods.rs:662–665), and the clone of
/// each of those that `get_range` lays out for each of the row's `rows`
/// repeats (ods.rs:581–593; an over-count for cells outside the value
/// range).
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
    fn new(max: u64, max_text_bytes: u64) -> Scan {
        Scan {
            max,
            max_text_bytes,
            text_bytes: 0,
            text_copies: 0,
            in_paragraphs: false,
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
                let rows = self.row.as_ref().map_or(0, |r| r.repeats);
                self.text_copies = text_copies(count, rows);
                self.charge_text(kind.string_bytes)?;
                self.place = if kind.text {
                    self.in_paragraphs = false;
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
            // What `get_datatype` adds for tags (ods.rs:763–780): spaces, a
            // newline before each paragraph but the first, a tab, a newline.
            Place::Text if name == SPACES => self.charge_text(spaces(tag)?)?,
            Place::Text if name == PARAGRAPH => {
                let newline = std::mem::replace(&mut self.in_paragraphs, true);
                self.charge_text(u64::from(newline))?;
            }
            Place::Text if name == TAB || name == LINE_BREAK => self.charge_text(1)?,
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

    /// `n` bytes of text between tags: `get_datatype` appends them to the
    /// value of a text cell (`Text` and `GeneralRef` events, ods.rs:742–747,
    /// decoded, so no longer; see the module docs) and skips them anywhere
    /// else.
    fn text(&mut self, n: u64) -> Result<(), OdsProblem> {
        if self.place == Place::Text {
            self.charge_text(n)?;
        }
        Ok(())
    }

    /// Charges `n` bytes of the current cell's values to the text budget,
    /// once per copy calamine makes of them.
    fn charge_text(&mut self, n: u64) -> Result<(), OdsProblem> {
        let bytes = n.saturating_mul(self.text_copies);
        self.text_bytes = self.text_bytes.saturating_add(bytes);
        if self.text_bytes > self.max_text_bytes {
            return Err(OdsProblem::TooMuchText(self.text_bytes));
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
#[path = "ods_guard_tests.rs"]
mod tests;
