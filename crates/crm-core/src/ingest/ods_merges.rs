//! Merged cells of OpenDocument spreadsheets (`.ods`), which calamine does
//! not report.
//!
//! In `content.xml` a merged region is a `<table:table-cell>` carrying
//! `table:number-columns-spanned` and/or `table:number-rows-spanned`; the
//! cells it hides are `<table:covered-table-cell>` elements, which take
//! their places in the row like any other cell. The scanner of
//! [`super::ods_guard`] already walks `content.xml` counting rows and
//! columns the way calamine 0.38 does; it hands every spanning cell to a
//! [`Collector`], so the regions come out in the coordinates calamine's
//! `worksheet_range` uses, made absolute by `Range::start` (row 0 is
//! spreadsheet row 1, column 0 is column A), at no extra unzipping.
//!
//! Only spanning cells that may hold a value are kept (a region whose
//! top-left is empty fills nothing), and no more regions than the cell limit
//! in all: a row element repeated many times is expanded only once the
//! scanner has checked that the rows it lays out fit the limit. This module
//! does no I/O and never fails: what it cannot make sense of yields no region.

use std::collections::HashMap;

use calamine::Dimensions;

use super::ods_xml::decode_attr;

/// calamine's column cap per row element.
const MAX_COLUMNS: u64 = 16_384;
/// calamine's row cap per table.
const MAX_ROWS: u64 = 1_048_576;

/// The merged regions of an ods file, by table (sheet) name.
#[derive(Debug, Default)]
pub(crate) struct OdsMerges {
    /// The regions of each table that has any, in absolute 0-based
    /// `(row, col)` coordinates, inclusive.
    by_table: HashMap<String, Vec<Dimensions>>,
}

impl OdsMerges {
    /// The merged regions of the sheet `name`, for `Grid::fill_merges`;
    /// empty when it has none or is unknown. Tables sharing a name keep the
    /// regions of the last one, as calamine keeps its cells.
    pub(crate) fn regions(&self, name: &str) -> Vec<Dimensions> {
        self.by_table.get(name).cloned().unwrap_or_default()
    }
}

/// A spanning cell element of the current row element, not yet expanded
/// by the row's repeats.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// The column of its first repeat.
    col: u64,
    /// Its repeats (after calamine's column cap).
    count: u64,
    /// `table:number-rows-spanned`.
    rows: u64,
    /// `table:number-columns-spanned`.
    cols: u64,
}

/// Gathers the merged regions while the scanner walks `content.xml`.
///
/// The scanner calls [`Collector::table_start`] and [`Collector::table_end`]
/// around each table, [`Collector::cell`] for each cell element that may
/// hold a value, and [`Collector::row_end`] once a row element has passed
/// the cell-limit check.
#[derive(Debug)]
pub(super) struct Collector {
    /// The tables ended so far.
    done: HashMap<String, Vec<Dimensions>>,
    /// The current table: its decoded name and regions; `None` outside a
    /// table and in a table calamine skips (no readable `table:name`).
    table: Option<(String, Vec<Dimensions>)>,
    /// The spanning cells of the current row element.
    row: Vec<Span>,
    /// Regions kept so far, over all tables.
    kept: usize,
    /// The most regions kept.
    max: usize,
}

impl Collector {
    /// A collector keeping at most `max` regions.
    pub(super) fn new(max: usize) -> Collector {
        Collector {
            done: HashMap::new(),
            table: None,
            row: Vec::new(),
            kept: 0,
            max,
        }
    }

    /// A `<table:table>` starts, with the raw value of its `table:name`.
    pub(super) fn table_start(&mut self, raw_name: Option<&[u8]>) {
        self.table_end();
        self.table = raw_name.and_then(decode_attr).map(|n| (n, Vec::new()));
    }

    /// The current table ends (a no-op outside a table).
    pub(super) fn table_end(&mut self) {
        self.row.clear();
        if let Some((name, regions)) = self.table.take() {
            // calamine keeps the last table of a name.
            if regions.is_empty() {
                self.done.remove(&name);
            } else {
                self.done.insert(name, regions);
            }
        }
    }

    /// A `<table:table-cell>` that may hold a value, repeated `count` times
    /// from column `col`, with the raw values of its span attributes.
    pub(super) fn cell(
        &mut self,
        col: u64,
        count: u64,
        rows_spanned: Option<&[u8]>,
        cols_spanned: Option<&[u8]>,
    ) {
        let (rows, cols) = (span(rows_spanned), span(cols_spanned));
        if self.table.is_none() || count == 0 || (rows == 1 && cols == 1) {
            return;
        }
        // At most one entry per column pushed, so at most MAX_COLUMNS.
        self.row.push(Span {
            col,
            count,
            rows,
            cols,
        });
    }

    /// The current row element ends: it starts at row `start` and is
    /// repeated `repeats` times (after calamine's row cap), each repeat
    /// starting its own copy of the row's regions.
    pub(super) fn row_end(&mut self, start: u64, repeats: u64) {
        let spans = std::mem::take(&mut self.row);
        let Some((_, regions)) = self.table.as_mut() else {
            return;
        };
        if spans.is_empty() {
            return;
        }
        // Every pass of the loops keeps a region, so they end by `max`.
        for r in 0..repeats {
            let row = start.saturating_add(r);
            for s in &spans {
                for k in 0..s.count {
                    if self.kept >= self.max {
                        return;
                    }
                    let col = s.col.saturating_add(k);
                    regions.push(region(row, col, s.rows, s.cols));
                    self.kept += 1;
                }
            }
        }
    }

    /// The regions found, once the whole `content.xml` was read.
    pub(super) fn finish(mut self) -> OdsMerges {
        self.table_end();
        OdsMerges {
            by_table: self.done,
        }
    }
}

/// A span attribute: 1 when absent, zero or unreadable (calamine ignores
/// these attributes, so a bad one is no error).
fn span(raw: Option<&[u8]>) -> u64 {
    raw.and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(1)
}

/// The region of `rows` × `cols` cells from `(row, col)`, clipped to the
/// sheet calamine can lay out.
fn region(row: u64, col: u64, rows: u64, cols: u64) -> Dimensions {
    let last_row = row.saturating_add(rows - 1).min(MAX_ROWS - 1);
    let last_col = col.saturating_add(cols - 1).min(MAX_COLUMNS - 1);
    let at = |v: u64, max: u64| u32::try_from(v.min(max - 1)).unwrap_or(u32::MAX);
    Dimensions::new(
        (at(row, MAX_ROWS), at(col, MAX_COLUMNS)),
        (at(last_row, MAX_ROWS), at(last_col, MAX_COLUMNS)),
    )
}

#[cfg(test)]
mod tests {
    use super::super::ods_guard::{scan_content, OdsProblem};
    use super::*;

    /// The regions of every table of a `content.xml` text, sorted by name.
    fn merges(xml: &str, max: usize) -> Vec<(String, Vec<Dimensions>)> {
        let found = scan_content(xml.as_bytes(), max).expect("within the limit");
        let mut tables: Vec<_> = found.by_table.into_iter().collect();
        tables.sort();
        tables
    }

    fn d(start: (u32, u32), end: (u32, u32)) -> Dimensions {
        Dimensions::new(start, end)
    }

    /// A table of `rows` (row elements' XML) named `name`.
    fn table(name: &str, rows: &str) -> String {
        format!(
            r#"<table:table table:name="{name}" table:style-name="ta1"><table:table-column table:number-columns-repeated="16384"/>{rows}</table:table>"#
        )
    }

    /// A string cell with extra attributes.
    fn cell(attrs: &str, text: &str) -> String {
        format!(
            r#"<table:table-cell {attrs} office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    }

    fn row(cells: &str) -> String {
        format!(r#"<table:table-row table:style-name="ro1">{cells}</table:table-row>"#)
    }

    #[test]
    fn column_span() {
        // What LibreOffice writes for a title merged over A1:J1.
        let xml = table(
            "S",
            &row(&format!(
                r#"{}<table:covered-table-cell table:number-columns-repeated="9"/><table:table-cell table:number-columns-repeated="16374"/>"#,
                cell(
                    r#"table:number-columns-spanned="10" table:number-rows-spanned="1""#,
                    "title"
                )
            )),
        );
        assert_eq!(merges(&xml, 100), [("S".into(), vec![d((0, 0), (0, 9))])]);
    }

    #[test]
    fn row_span_after_repeated_rows_and_cells() {
        // Two empty rows, then B..C empty, the merge in D3:D5, covered below.
        let covered_row = row(
            r#"<table:table-cell table:number-columns-repeated="3"/><table:covered-table-cell/><table:table-cell office:value-type="float" office:value="2"/>"#,
        );
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>{}{}"#,
            row(&format!(
                r#"<table:table-cell/><table:table-cell table:number-columns-repeated="2"/>{}<table:table-cell office:value-type="float" office:value="1"/>"#,
                cell(r#"table:number-rows-spanned="3""#, "block")
            )),
            covered_row.repeat(2)
        );
        assert_eq!(
            merges(&table("S", &rows), 100),
            [("S".into(), vec![d((2, 3), (4, 3))])]
        );
    }

    #[test]
    fn both_spans_and_covered_cells_take_their_places() {
        // B1:C2 merged; a second merge E1:F1 after a covered cell repeated.
        let rows = format!(
            "{}{}",
            row(&format!(
                r#"<table:table-cell/>{}<table:covered-table-cell/><table:table-cell/>{}<table:covered-table-cell/>"#,
                cell(
                    r#"table:number-columns-spanned="2" table:number-rows-spanned="2""#,
                    "a"
                ),
                cell(r#"table:number-columns-spanned="2""#, "b"),
            )),
            row(
                r#"<table:table-cell/><table:covered-table-cell table:number-columns-repeated="2"/>"#
            )
        );
        assert_eq!(
            merges(&table("S", &rows), 100),
            [("S".into(), vec![d((0, 1), (1, 2)), d((0, 4), (0, 5))])]
        );
    }

    #[test]
    fn repeated_rows_and_cells_each_start_a_region() {
        // LibreOffice writes identical rows once, repeated.
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="2">{}<table:covered-table-cell/></table:table-row>"#,
            cell(r#"table:number-columns-spanned="2""#, "x")
        );
        assert_eq!(
            merges(&table("S", &rows), 100),
            [("S".into(), vec![d((0, 0), (0, 1)), d((1, 0), (1, 1))])]
        );
    }

    #[test]
    fn several_tables_by_name() {
        let merged = row(&format!(
            "{}<table:covered-table-cell/>",
            cell(r#"table:number-columns-spanned="2""#, "m")
        ));
        let xml = format!(
            r#"<office:spreadsheet>{}{}{}<table:table><table:table-row>{}</table:table-row></table:table>{}</office:spreadsheet>"#,
            table("一 &amp; 二", &merged),
            table("plain", &row(&cell("", "v"))),
            table("B", &format!("{}{merged}", row(&cell("", "v")))),
            // A table without a name is skipped, as calamine skips it.
            cell(r#"table:number-columns-spanned="3""#, "n"),
            // A self-closing table holds nothing.
            r#"<table:table table:name="empty"/>"#,
        );
        assert_eq!(
            merges(&xml, 100),
            [
                ("B".into(), vec![d((1, 0), (1, 1))]),
                ("一 & 二".into(), vec![d((0, 0), (0, 1))]),
            ]
        );
    }

    #[test]
    fn duplicate_names_keep_the_last_table() {
        let merged = row(&cell(r#"table:number-columns-spanned="2""#, "m"));
        let xml = format!(
            "{}{}",
            table("S", &merged),
            table("S", &row(&cell("", "v")))
        );
        assert_eq!(merges(&xml, 100), []);
        let xml = format!(
            "{}{}",
            table("S", &row(&cell("", "v"))),
            table("S", &merged)
        );
        assert_eq!(merges(&xml, 100), [("S".into(), vec![d((0, 0), (0, 1))])]);
    }

    #[test]
    fn empty_spanning_cells_and_bad_spans_are_ignored() {
        let rows = row(concat!(
            // Empty top-left: nothing to fill.
            r#"<table:table-cell table:number-columns-spanned="3"/>"#,
            r#"<table:table-cell table:number-columns-spanned="x" office:value-type="float" office:value="1"/>"#,
            r#"<table:table-cell table:number-rows-spanned="0" office:value-type="float" office:value="1"/>"#,
            r#"<table:table-cell table:number-rows-spanned="-2" office:value-type="float" office:value="1"/>"#,
        ));
        assert_eq!(merges(&table("S", &rows), 100), []);
    }

    #[test]
    fn regions_are_clipped_to_the_sheet() {
        let rows = row(&format!(
            r#"<table:table-cell table:number-columns-repeated="16383"/>{}"#,
            cell(
                r#"table:number-columns-spanned="99" table:number-rows-spanned="99999999999""#,
                "edge"
            )
        ));
        assert_eq!(
            merges(&table("S", &rows), 20_000),
            [("S".into(), vec![d((0, 16_383), (1_048_575, 16_383))])]
        );
    }

    #[test]
    fn regions_are_capped() {
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="1000">{}</table:table-row>"#,
            cell(r#"table:number-columns-spanned="2""#, "m")
        );
        let found = merges(&table("S", &rows), 10_000);
        assert_eq!(found[0].1.len(), 1000);
        assert_eq!(found[0].1[999], d((999, 0), (999, 1)));
        // Past the cell limit the rows themselves are refused, before their
        // regions are expanded…
        assert!(scan_content(table("S", &rows).as_bytes(), 999).is_err());
        // …and the collector holds no more regions than it is given.
        let mut c = Collector::new(10);
        c.table_start(Some(b"S"));
        c.cell(0, 3, None, Some(b"2"));
        c.row_end(0, 1_000_000);
        let found = c.finish().regions("S");
        assert_eq!(found.len(), 10);
        assert_eq!(found[9], d((3, 0), (3, 1)));
    }

    #[test]
    fn malformed_content_yields_no_regions() {
        let merged = row(&cell(r#"table:number-columns-spanned="2""#, "m"));
        // Unreadable names.
        for xml in [
            table("a &bogus; b", &merged),
            table("a & b", &merged),
            table("&#0;", &merged),
        ] {
            assert_eq!(merges(&xml, 100), [], "{xml}");
        }
        // calamine fails on a repeat it cannot parse: the file is refused.
        let xml = table(
            "S",
            &format!(r#"{merged}<table:table-row table:number-rows-repeated="x"/>"#),
        );
        assert!(matches!(
            scan_content(xml.as_bytes(), 100),
            Err(OdsProblem::Corrupt(_))
        ));
        // Cut anywhere, the scanner does not panic; cut once the table has
        // started, it refuses the file.
        let xml = table("S", &merged);
        let open = xml.find('>').expect("table start") + 1;
        for end in 0..xml.len() {
            let found = scan_content(&xml.as_bytes()[..end], 100);
            assert_eq!(found.is_ok(), end < open, "cut at {end}");
        }
    }
}
