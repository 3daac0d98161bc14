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
//! `ReadOptions::max_decompressed_bytes`) through a small tag scanner that
//! mirrors calamine 0.38's `read_table` / `read_row` / `get_range` counting,
//! over-counting where unsure (a cell counts as holding a value unless it is
//! a self-closing element with no value or formula attribute), and refuses
//! files that would lay out more than the cell limit.
//!
//! The same pass finds the merged cells, which calamine does not report for
//! ods: the scanner hands each spanning cell, at the row and column it
//! counted, to an [`ods_merges::Collector`](super::ods_merges::Collector).

use std::io::{BufRead, BufReader, Cursor};

use super::ods_merges::{Collector, OdsMerges};

/// calamine's column cap per row element.
const MAX_COLUMNS: u64 = 16_384;
/// calamine's row cap per table.
const MAX_ROWS: u64 = 1_048_576;
/// Longest tag the scanner holds (no real file comes near it).
const MAX_TAG: usize = 16 * 1024 * 1024;

/// Why [`check_ods`] refused a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OdsProblem {
    /// A tag longer than [`MAX_TAG`].
    Corrupt(&'static str),
    /// The tables would lay out more than the cell limit.
    TooManyCells,
}

/// Checks the `content.xml` of a zip, if it has one (see the module docs),
/// and returns its merged cells. A zip without it, or one the unzipper
/// cannot read, is left to calamine (and has no merged cells).
pub(crate) fn check_ods(bytes: &[u8], max_cells: usize) -> Result<OdsMerges, OdsProblem> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(OdsMerges::default());
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(OdsMerges::default());
    };
    scan_content(BufReader::with_capacity(64 * 1024, content), max_cells)
}

/// [`check_ods`] on the text of a `content.xml`. Where calamine would fail
/// to open the file, the check stops and no merged cells are returned.
pub(super) fn scan_content(
    mut reader: impl BufRead,
    max_cells: usize,
) -> Result<OdsMerges, OdsProblem> {
    let mut scan = Scan::new(max_cells as u64);
    loop {
        let chunk = match reader.fill_buf() {
            Ok([]) => break,
            Ok(c) => c,
            // calamine fails at the same place, after laying out only what
            // came before, which the scan has checked.
            Err(_) => return Ok(OdsMerges::default()),
        };
        for &b in chunk {
            if !scan.byte(b)? {
                return Ok(OdsMerges::default());
            }
        }
        let n = chunk.len();
        reader.consume(n);
    }
    Ok(scan.merges.finish())
}

/// Where the scanner is in the XML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tags.
    Text,
    /// Inside `<…>`, in a quoted attribute value when `Some(quote)`.
    Tag(Option<u8>),
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside `<![CDATA[ … ]]>`.
    Cdata,
}

/// The counting state of [`check_ods`].
struct Scan {
    /// The cell limit.
    max: u64,
    /// Where the scanner is.
    state: State,
    /// The current tag, without `<`.
    tag: Vec<u8>,
    /// The last bytes seen, to find the end of a comment or CDATA section.
    tail: [u8; 2],
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

impl Scan {
    fn new(max: u64) -> Scan {
        Scan {
            max,
            state: State::Text,
            tag: Vec::new(),
            tail: [0; 2],
            pushed: 0,
            laid_out: 0,
            table: Table::default(),
            row: None,
            merges: Collector::new(usize::try_from(max).unwrap_or(usize::MAX)),
        }
    }

    /// Takes one byte; `Ok(false)` when calamine would stop with an error here.
    fn byte(&mut self, b: u8) -> Result<bool, OdsProblem> {
        match self.state {
            State::Text => {
                if b == b'<' {
                    self.tag.clear();
                    self.state = State::Tag(None);
                }
            }
            State::Comment | State::Cdata => {
                let end = if self.state == State::Comment {
                    b'-'
                } else {
                    b']'
                };
                if b == b'>' && self.tail == [end, end] {
                    self.state = State::Text;
                }
                self.tail = [self.tail[1], b];
            }
            State::Tag(quote) => {
                match (quote, b) {
                    (Some(q), _) if b == q => self.state = State::Tag(None),
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => self.state = State::Tag(Some(b)),
                    (None, b'>') => {
                        self.state = State::Text;
                        return self.tag_done();
                    }
                    (None, _) => {}
                }
                if self.tag.len() >= MAX_TAG {
                    return Err(OdsProblem::Corrupt(
                        "its content.xml holds a tag over 16 MB long",
                    ));
                }
                self.tag.push(b);
                if self.tag == b"!--" {
                    self.state = State::Comment;
                    self.tail = [0; 2];
                } else if self.tag == b"![CDATA[" {
                    self.state = State::Cdata;
                    self.tail = [0; 2];
                }
            }
        }
        Ok(true)
    }

    /// A whole tag was read into `self.tag`.
    fn tag_done(&mut self) -> Result<bool, OdsProblem> {
        let tag = std::mem::take(&mut self.tag);
        let result = self.handle(&tag);
        self.tag = tag;
        result
    }

    fn handle(&mut self, tag: &[u8]) -> Result<bool, OdsProblem> {
        if let Some(end) = tag.strip_prefix(b"/") {
            match name_of(end) {
                b"table:table-row" => self.row_end()?,
                b"table:table" => self.table_end()?,
                _ => {}
            }
            return Ok(true);
        }
        let self_closing = tag.ends_with(b"/");
        let body = if self_closing {
            &tag[..tag.len() - 1]
        } else {
            tag
        };
        match name_of(body) {
            b"table:table" => {
                self.table_end()?;
                self.merges.table_start(attr(body, b"table:name"));
                if self_closing {
                    self.table_end()?;
                }
            }
            b"table:table-row" => {
                // An unclosed row ends where the next one starts.
                self.row_end()?;
                let Some(repeats) = repeats(body, b"table:number-rows-repeated") else {
                    return Ok(false);
                };
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
                if self_closing {
                    self.row_end()?;
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let Some(repeats) = repeats(body, b"table:number-columns-repeated") else {
                    return Ok(false);
                };
                let formula = attr(body, b"table:formula").is_some();
                self.table.formulas |= formula;
                let holds_value = !self_closing
                    || formula
                    || [
                        &b"office:value"[..],
                        b"office:string-value",
                        b"office:date-value",
                        b"office:time-value",
                        b"office:boolean-value",
                    ]
                    .iter()
                    .any(|k| attr(body, k).is_some())
                    || attr(body, b"office:value-type") == Some(b"string");
                let (col, count) = self.cell(repeats, holds_value)?;
                // A covered cell only takes its place; an empty spanning
                // cell has nothing to fill the region with.
                if holds_value && name_of(body) == b"table:table-cell" {
                    self.merges.cell(
                        col,
                        count,
                        attr(body, b"table:number-rows-spanned"),
                        attr(body, b"table:number-columns-spanned"),
                    );
                }
            }
            _ => {}
        }
        Ok(true)
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

/// The element name at the start of a tag body.
fn name_of(tag: &[u8]) -> &[u8] {
    let end = tag
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/')
        .unwrap_or(tag.len());
    &tag[..end]
}

/// The raw value of attribute `key` (the first one), if present.
fn attr<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut rest = &tag[name_of(tag).len()..];
    loop {
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        rest = &rest[start..];
        let eq = rest.iter().position(|b| *b == b'=')?;
        let name = rest[..eq].trim_ascii();
        let after = rest[eq + 1..].trim_ascii_start();
        let quote = *after.first()?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let len = after[1..].iter().position(|b| *b == quote)?;
        let value = &after[1..1 + len];
        if name == key {
            return Some(value);
        }
        rest = &after[len + 2..];
    }
}

/// The repeat count of a row or cell: 1 when absent, `None` when calamine
/// would fail to parse it.
fn repeats(tag: &[u8], key: &[u8]) -> Option<u64> {
    match attr(tag, key) {
        None => Some(1),
        Some(v) => std::str::from_utf8(v).ok()?.parse::<u64>().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(xml: &str, max: u64) -> Result<bool, OdsProblem> {
        let mut s = Scan::new(max);
        for &b in xml.as_bytes() {
            if !s.byte(b)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    const CELL: &str = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;

    #[test]
    fn attributes_are_parsed() {
        let tag = br#"table:table-cell a="x>y" table:number-columns-repeated='7' b="""#;
        assert_eq!(attr(tag, b"table:number-columns-repeated"), Some(&b"7"[..]));
        assert_eq!(repeats(tag, b"table:number-columns-repeated"), Some(7));
        assert_eq!(repeats(tag, b"table:number-rows-repeated"), Some(1));
        assert_eq!(repeats(br#"x k="-1""#, b"k"), None);
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
        let xml = format!(
            r#"<table:table table:name="S">{}</table:table>"#,
            row.repeat(10)
        );
        // 10 rows × 16 384 values pushed, and as many laid out.
        assert_eq!(scan(&xml, 10 * 16_384 * 2), Ok(true));
        assert_eq!(scan(&xml, 10 * 16_384), Err(OdsProblem::TooManyCells));
    }

    #[test]
    fn trailing_empty_cells_and_rows_are_not_counted() {
        // What LibreOffice writes after the data: empty cells and rows repeated to the edge.
        let xml = format!(
            r#"<table:table table:name="S"><table:table-row>{CELL}<table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#
        );
        assert_eq!(scan(&xml, 10), Ok(true));
    }

    #[test]
    fn repeated_rows_between_values_are_laid_out() {
        let xml = format!(
            r#"<table:table table:name="S"><table:table-row>{CELL}</table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row>{CELL}</table:table-row></table:table>"#
        );
        assert_eq!(scan(&xml, 2_000_000), Ok(true));
        assert_eq!(scan(&xml, 500_000), Err(OdsProblem::TooManyCells));
    }

    #[test]
    fn comments_and_quotes_do_not_hide_tags() {
        let xml = format!(
            r#"<!-- <table:table-row> --><table:table table:name="S"><table:table-row>{}</table:table-row></table:table>"#,
            CELL.replace(
                "<table:table-cell ",
                r#"<table:table-cell x="a>b" table:number-columns-repeated="100" "#
            )
        );
        assert_eq!(scan(&xml, 99), Err(OdsProblem::TooManyCells));
        assert_eq!(scan(&xml, 200), Ok(true));
    }
}
