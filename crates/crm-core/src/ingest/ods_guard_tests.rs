//! Tests of [`super`]: the ods pre-check's counts against calamine's, on
//! hand-written `content.xml` text.

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
    format!(r#"<table:table-row table:number-rows-repeated="{repeats}">{cells}</table:table-row>"#)
}

/// 1000 rows of 1000 values: a million cells.
fn bomb() -> String {
    row(
        1000,
        r#"<table:table-cell table:number-columns-repeated="1000" office:value="1"/>"#,
    )
}

/// [`scan_content_within`] with no cell limit and a budget of
/// `max_text` bytes for the text of the cells.
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
    // 100 spaces, one for a `text:s` without a count, and `a` and `b`,
    // built once, pushed once and laid out once: 309 bytes.
    let xml = text_cell(&format!("<text:p>a{}b<text:s/></text:p>", run("100")));
    assert_eq!(scan_text(&xml, 309), Ok(()));
    assert_eq!(scan_text(&xml, 308), Err(OdsProblem::TooMuchText(309)));
    // calamine honours `text:s` anywhere in the cell's content, in a
    // span, or outside a paragraph, written as a start tag or not.
    for (content, bytes) in [
        (
            format!("<text:p><text:span>{}</text:span></text:p>", run("100")),
            300,
        ),
        (run("100"), 300),
        (
            r#"<text:p><text:s text:c="100">x</text:s></text:p>"#.into(),
            303,
        ),
        (r#"<text:p><text:s text:c="100" /></text:p>"#.into(), 300),
    ] {
        let xml = text_cell(&content);
        assert_eq!(
            scan_text(&xml, bytes - 1),
            Err(OdsProblem::TooMuchText(bytes))
        );
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
fn many_small_cells_add_up_over_the_file() {
    // 1000 cells of `a b`, in two tables: 3 bytes, 3 copies each.
    let cells = ods_cell("<text:p>a<text:s/>b</text:p>").repeat(500);
    let one = format!(r#"<table:table-row>{cells}</table:table-row>"#);
    let xml = format!(
        r#"{}<table:table table:name="T">{one}</table:table>"#,
        table(&one)
    );
    assert_eq!(scan_text(&xml, 9000), Ok(()));
    assert_eq!(scan_text(&xml, 8999), Err(OdsProblem::TooMuchText(9000)));
}

#[test]
fn text_is_counted_per_copy_of_a_repeated_cell() {
    // `hello` in a cell repeated over 100 columns and 7 rows: built
    // once, pushed 100 times, laid out 700 times.
    let cell = r#"<table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>hello</text:p></table:table-cell>"#;
    let xml = table(&row(7, cell));
    assert_eq!(scan_text(&xml, 5 * 801), Ok(()));
    assert_eq!(
        scan_text(&xml, 5 * 801 - 1),
        Err(OdsProblem::TooMuchText(5 * 801))
    );
    // Repeated columns alone: built once, pushed and laid out 16 384
    // times each.
    let cell = r#"<table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>hello</text:p></table:table-cell>"#;
    let xml = table(&row(1, cell));
    let bytes = 5 * (1 + 2 * 16_384);
    assert_eq!(scan_text(&xml, bytes), Ok(()));
    assert_eq!(
        scan_text(&xml, bytes - 1),
        Err(OdsProblem::TooMuchText(bytes))
    );
}

#[test]
fn text_is_counted_as_calamine_joins_it() {
    // `ab\n\nc\td\n`: a newline before each paragraph but the first
    // (an empty one too), a tab, a line break; 8 bytes, 3 copies.
    let xml =
        text_cell("<text:p>ab</text:p><text:p/><text:p>c<text:tab/>d<text:line-break/></text:p>");
    assert_eq!(scan_text(&xml, 24), Ok(()));
    assert_eq!(scan_text(&xml, 23), Err(OdsProblem::TooMuchText(24)));
    // Text outside paragraphs and spans counts, and the whitespace
    // between tags (calamine does not trim it); references count as
    // written (17 bytes for the 7 of `a&b` and U+10FFFF), no shorter
    // than decoded.
    let xml = text_cell("\n <text:p>a&amp;<text:span>b&#x10FFFF;</text:span></text:p>\n");
    assert_eq!(scan_text(&xml, 3 * 20), Ok(()));
    assert_eq!(
        scan_text(&xml, 3 * 20 - 1),
        Err(OdsProblem::TooMuchText(60))
    );
    // Comments, CDATA and processing instructions are not text to
    // calamine.
    let xml = text_cell("<text:p>a<!-- long comment --><![CDATA[long data]]><?pi long?>b</text:p>");
    assert_eq!(scan_text(&xml, 6), Ok(()));
    assert_eq!(scan_text(&xml, 5), Err(OdsProblem::TooMuchText(6)));
}

#[test]
fn text_calamine_does_not_keep_is_not_counted() {
    let long = "x".repeat(10_000);
    let places = [
        // In a cell's annotation (only `v` is the value: 3 bytes).
        text_cell(&format!(
            "<office:annotation><text:p>{long}</text:p><text:p>{long}</text:p></office:annotation><text:p>v</text:p>"
        )),
        // In cells whose content calamine skips: a number, a string
        // given by its attribute (`s`, 3 bytes), a cell of no type.
        table(&format!(
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>{long}</text:p></table:table-cell><table:table-cell office:value-type="string" office:string-value="s"><text:p>{long}</text:p></table:table-cell><table:table-cell><text:p>{long}</text:p></table:table-cell></table:table-row>"#
        )),
        // Between rows and cells, outside the tables, after a cell.
        format!(
            "{long}{}",
            table(&format!(
                "{long}<table:table-row>{long}{}{long}</table:table-row>{long}",
                ods_cell("<text:p>v</text:p>")
            ))
        ),
    ];
    for xml in places {
        assert_eq!(scan_text(&xml, 3), Ok(()), "{xml}");
        assert_eq!(scan_text(&xml, 2), Err(OdsProblem::TooMuchText(3)), "{xml}");
    }
}

#[test]
fn string_values_of_attributes_are_counted_per_copy() {
    // `hello` given by its attribute, over 10 columns and 3 rows: 41
    // copies; the cell's content is not read.
    let cell = r#"<table:table-cell table:number-columns-repeated="10" office:value-type="string" office:string-value="hello"><text:p>not read</text:p></table:table-cell>"#;
    let xml = table(&row(3, cell));
    assert_eq!(scan_text(&xml, 5 * 41), Ok(()));
    assert_eq!(
        scan_text(&xml, 5 * 41 - 1),
        Err(OdsProblem::TooMuchText(5 * 41))
    );
    // What each cell's attributes make calamine keep, in bytes, raw.
    for (attributes, bytes) in [
        (
            r#"office:value-type="string" office:string-value="a&amp;b""#,
            7,
        ),
        (
            r#"office:value-type="date" office:date-value="2024-01-31""#,
            10,
        ),
        (
            r#"office:value-type="time" office:time-value="PT01H00M00S""#,
            11,
        ),
        // The first value is taken: a number, then no string.
        (r#"office:value="1" office:string-value="hello""#, 0),
        (
            r#"office:boolean-value="true" office:date-value="2024-01-31""#,
            0,
        ),
        // A formula is kept beside the value (and cloned as often).
        (r#"office:value="2" table:formula="of:=1+1""#, 7),
        (
            r#"office:value-type="string" office:string-value="x" table:formula="of:=&quot;x&quot;""#,
            1 + 17,
        ),
        // An error with an empty string: the content is the value.
        (r#"office:string-value="" calcext:value-type="error""#, 7),
    ] {
        let tag = format!("table:table-cell {attributes}");
        let xml = table(&format!(
            "<table:table-row><{tag}><text:p>content</text:p></table:table-cell></table:table-row>"
        ));
        assert_eq!(scan_text(&xml, 3 * bytes), Ok(()), "{attributes}");
        if bytes > 0 {
            assert_eq!(
                scan_text(&xml, 3 * bytes - 1),
                Err(OdsProblem::TooMuchText(3 * bytes)),
                "{attributes}"
            );
        }
    }
}

/// The files LibreOffice wrote for the fixtures: their text is
/// counted, and comes to a few KB (the smallest budget they pass is
/// found by bisection).
#[test]
fn real_files_are_far_within_the_budget() {
    for name in ["customers.ods", "merged_blocks.ods"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(name);
        let bytes = std::fs::read(&path).expect("fixture");
        let passes = |budget| check_ods(&bytes, 1_000_000, budget).is_ok();
        let (mut low, mut high) = (0u64, 16 * 1024);
        assert!(!passes(low) && passes(high), "{name}");
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if passes(mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        eprintln!("{name}: {high} bytes of text");
        assert!(high > 100, "{name}: {high}");
    }
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
