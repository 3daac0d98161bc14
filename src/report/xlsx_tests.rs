//! Tests of the workbook writer over the hand-made fixture. Reading the
//! cells back (calamine) is left to the integration tests; here: the file
//! is a zip, deterministic, atomic, and holds what the sheets promise.

use super::*;
use crate::output::temp_path;
use crate::report::fixture::{findings, fixture};
use crate::report::privacy::{Privacy, Shown};
use crate::report::view::MOST_LISTED;

/// The findings sheet of `findings`, masked, over the fixture's inputs.
fn list(findings: &[Finding], lang: Lang) -> Section {
    findings_sheet(findings, &fixture().inputs, Privacy::Mask, lang)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("crm-report-xlsx-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn writes_identical_bytes_twice() {
    let dir = temp_dir("determinism");
    let (a, b) = (dir.join("a.xlsx"), dir.join("b.xlsx"));
    write_xlsx(
        &Shown::new(&fixture(), Privacy::Mask),
        &findings(),
        list(&findings(), Lang::Zh),
        Lang::Zh,
        &a,
    )
    .unwrap();
    write_xlsx(
        &Shown::new(&fixture(), Privacy::Mask),
        &findings(),
        list(&findings(), Lang::Zh),
        Lang::Zh,
        &b,
    )
    .unwrap();
    let (x, y) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(&x[..4], b"PK\x03\x04");
    assert!(x == y, "two runs differ");
    assert!(!temp_path(&a).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn writes_every_sheet_and_chart() {
    for lang in [Lang::Zh, Lang::En] {
        let summary = fixture();
        let shown = Shown::new(&summary, Privacy::Mask);
        let bytes = workbook_bytes(&shown, &findings(), list(&findings(), lang), lang).unwrap();
        let entries = zip_names(&bytes);
        // Overview + 14 sections, the findings on a sheet of their own.
        assert_eq!(
            entries
                .iter()
                .filter(|n| n.starts_with("xl/worksheets/sheet"))
                .count(),
            16
        );
        // Funnel, conversion, cycle, needs, reps, grades, satisfaction,
        // pipeline, two target periods, monthly.
        assert_eq!(
            entries
                .iter()
                .filter(|n| n.starts_with("xl/charts/chart"))
                .count(),
            11
        );
        assert!(entries.iter().any(|n| n.starts_with("xl/tables/table")));
    }
}

#[test]
fn empty_tables_still_write() {
    let mut s = fixture();
    s.reps.clear();
    s.top_needs.clear();
    s.monthly.clear();
    s.cadence.overdue_list.clear();
    let shown = Shown::new(&s, Privacy::Mask);
    let bytes = workbook_bytes(&shown, &[], list(&[], Lang::En), Lang::En).unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn caps_the_findings_list() {
    let one = findings().remove(0);
    let many = vec![one; FINDINGS_CAP + 3];
    let sheet = list(&many, Lang::Zh);
    assert_eq!(sheet.id, long_table::LONG_SECTION);
    assert_eq!(sheet.tables.len(), 1);
    assert_eq!(sheet.tables[0].rows.len(), FINDINGS_CAP);
    assert!(sheet
        .notes
        .iter()
        .any(|n| n.contains("100,000") && n.contains("100,003")));
    // Under the cap, no note.
    assert!(list(&many[..3], Lang::Zh).notes.is_empty());
}

#[test]
fn caps_other_lists_but_not_the_findings() {
    let mut s = fixture();
    let row = s.cadence.overdue_list[0].clone();
    s.cadence.overdue_list = vec![row; LIST_CAP + 2].into();
    let one = findings().remove(0);
    let many = vec![one; LIST_CAP + 2];
    let all = book_sections(&s, &many, list(&many, Lang::Zh), Lang::Zh);
    let rows = |section: &str, table: &str| {
        let section = all.iter().find(|s| s.id == section).unwrap();
        let table = section.tables.iter().find(|t| t.id == table).unwrap();
        (table.rows.len(), section.notes.clone())
    };
    let (overdue, notes) = rows("cadence", "cadence.overdue");
    assert_eq!(overdue, LIST_CAP);
    assert!(notes
        .iter()
        .any(|n| n.contains("10,000") && n.contains("10,002")));
    assert_eq!(rows("findings", "quality.findings").0, LIST_CAP + 2);
    // The findings sheet follows the quality sheet, which lists none.
    let ids: Vec<&str> = all.iter().map(|s| s.id).collect();
    let at = ids.iter().position(|&id| id == "quality").unwrap();
    assert_eq!(ids[at + 1], "findings");
    assert!(all[at].tables.iter().all(|t| t.id != "quality.findings"));
}

/// Long lists are built into tables from their head only; the note under
/// each gives the list's full length.
#[test]
fn long_lists_are_built_from_their_head() {
    fn longer<T: Clone>(list: &mut Vec<T>) {
        let row = list.first().expect("a fixture row").clone();
        *list = vec![row; MOST_LISTED + 7];
    }
    let mut s = fixture();
    longer(&mut s.cadence.overdue_list);
    longer(&mut s.todos.overdue_list);
    longer(&mut s.grades.mismatch_list);
    longer(&mut s.time_in_stage.stalled);
    longer(&mut s.forecast.slipped.list);
    let ids = [
        "cadence.overdue",
        "todos.overdue",
        "grades.mismatches",
        "cycle.stalled",
        "forecast.slipped",
    ];
    let built = crate::report::sections::sections(&s, &[], None, Lang::Zh);
    let tables: Vec<_> = built.iter().flat_map(|s| &s.tables).collect();
    for id in ids {
        let table = tables.iter().find(|t| t.id == id).expect(id);
        assert_eq!(
            (table.rows.len(), table.total),
            (MOST_LISTED, MOST_LISTED + 7),
            "{id}"
        );
    }
    let book = book_sections(&s, &[], list(&[], Lang::Zh), Lang::Zh);
    let notes: Vec<&String> = book.iter().flat_map(|s| &s.notes).collect();
    let full = notes.iter().filter(|n| n.contains("10,007")).count();
    assert_eq!(full, ids.len(), "{notes:?}");
}

/// A table of every kind of cell: numbers of each kind, nulls, empty and
/// long (wrapped) text, text rust_xlsxwriter would take for its own markup
/// or escapes, control characters, blanks at the ends, repeated texts, a
/// marked row and an alert column.
fn every_kind_of_cell() -> Table {
    let column = |label: &str| crate::report::view::Column {
        label: label.to_string(),
        definition: Some("定义 & <b>"),
        emphasis: Emphasis::None,
    };
    let texts = [
        "甲公司",
        "",
        "<r>x</r>",
        "<r></si><si>y</r>",
        "a & <b> _x0041_ _x00",
        "tab\tnew\nline\r\u{1}end",
        " 前后有空格 ",
        "\u{FFFE}",
        "=1+1",
        "长名字😀",
    ];
    let long = "很长的说明文字".repeat(20);
    let over = "😀".repeat(20_000);
    let rows: Vec<Vec<Val>> = (0..40)
        .map(|i| {
            vec![
                Val::text(texts[i % texts.len()]),
                if i % 7 == 0 {
                    Val::Null
                } else {
                    Val::Int(i as i64 * 1000)
                },
                Val::Money(1234.5 * i as f64),
                Val::Rate(i as f64 / 40.0),
                Val::Decimal(i as f64 / 3.0),
                Val::Score(0.125 * i as f64),
                match i % 5 {
                    0 => Val::text(long.clone()),
                    1 => Val::text(over.clone()),
                    _ => Val::text("甲公司"),
                },
                Val::Int(i as i64 - 20),
            ]
        })
        .collect();
    let mut columns: Vec<_> = ["名称", "数", "金额", "比率", "天数", "分", "说明", "逾期"]
        .into_iter()
        .map(column)
        .collect();
    columns[7].emphasis = Emphasis::Alert;
    Table {
        id: "test.cells",
        title: "清单",
        columns,
        total: rows.len(),
        rows,
        marked: 3,
    }
}

/// A part of a workbook, as text.
fn part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Every `<row>` start tag and every cell's reference and style, in order.
fn layout_of(sheet: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in sheet.split('<').skip(1) {
        if piece.starts_with("row ") {
            out.push(piece.split('>').next().unwrap().to_string());
        } else if let Some(cell) = piece.strip_prefix("c ") {
            let attr = |name: &str| {
                cell.split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .unwrap_or("")
                    .to_string()
            };
            out.push(format!("{} {}", attr("r"), attr("s")));
        }
    }
    out
}

/// The findings sheet's rows are written straight into the package
/// (`long_table`): read back, its cells, their formats, the row heights,
/// the Excel table and the column widths are those the ordinary path
/// writes for the same table.
#[test]
fn a_long_table_reads_back_as_the_ordinary_path_writes_it() {
    use calamine::Reader;
    let summary = fixture();
    let book = Book {
        title: "t".into(),
        meta: "m".into(),
        summary: &summary,
    };
    let table = every_kind_of_cell();
    let section = |id| Section {
        id,
        title: "清单",
        notes: vec!["共 40 条".into()],
        tables: vec![table.clone()],
    };
    let long = book_bytes(&book, &[section(long_table::LONG_SECTION)], Lang::Zh).unwrap();
    let plain = book_bytes(&book, &[section("plain")], Lang::Zh).unwrap();
    assert_ne!(long, plain);
    let read = |bytes: &[u8]| {
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        book.worksheet_range("清单").unwrap()
    };
    let (a, b) = (read(&long), read(&plain));
    assert_eq!(a.start(), b.start());
    assert_eq!(a.end(), b.end());
    assert!(a.cells().eq(b.cells()), "the cells differ");
    let texts: Vec<String> = a.cells().map(|(_, _, v)| v.to_string()).collect();
    for text in [
        "<r>x</r>",
        "<r></si><si>y</r>",
        "a & <b> _x0041_ _x00",
        " 前后有空格 ",
    ] {
        assert!(texts.iter().any(|t| t == text), "{text:?} not read back");
    }
    let sheet = "xl/worksheets/sheet1.xml";
    let (sa, sb) = (part(&long, sheet), part(&plain, sheet));
    assert_eq!(layout_of(&sa), layout_of(&sb));
    assert!(layout_of(&sa).iter().any(|r| r.contains("ht=")));
    let cols = |s: &str| {
        s.split("<cols>")
            .nth(1)
            .unwrap()
            .split("</cols>")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(cols(&sa), cols(&sb));
    let dimension = |s: &str| {
        s.split("<dimension")
            .nth(1)
            .unwrap()
            .split("/>")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(dimension(&sa), dimension(&sb));
    for name in ["xl/styles.xml", "xl/tables/table1.xml"] {
        assert_eq!(part(&long, name), part(&plain, name), "{name}");
    }
    let count = |bytes: &[u8]| {
        let sst = part(bytes, "xl/sharedStrings.xml");
        let attr = |name: &str| -> usize {
            sst.split(&format!(" {name}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        (attr("count"), attr("uniqueCount"))
    };
    assert_eq!(count(&long), count(&plain));
    // The same bytes each time.
    assert!(long == book_bytes(&book, &[section(long_table::LONG_SECTION)], Lang::Zh).unwrap());
}

/// File names of the zip's central directory (stored by rust_xlsxwriter
/// uncompressed in the directory records).
fn zip_names(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut i = 0;
    while i + 46 <= bytes.len() {
        if bytes[i..i + 4] == *b"PK\x01\x02" {
            let len = u16::from_le_bytes([bytes[i + 28], bytes[i + 29]]) as usize;
            names.push(String::from_utf8_lossy(&bytes[i + 46..i + 46 + len]).into_owned());
            i += 46 + len;
        } else {
            i += 1;
        }
    }
    names
}

/// Sheets are built on two threads, shared out by cell count, and come
/// back in section order.
#[test]
fn sheets_are_built_beside_each_other_in_section_order() {
    use crate::report::view::{Column, Emphasis};
    let titles = ["a", "b", "c", "d", "e"];
    let sections: Vec<Section> = titles
        .iter()
        .zip([1usize, 50, 3, 40, 2])
        .map(|(title, rows)| Section {
            id: "s",
            title,
            notes: Vec::new(),
            tables: vec![Table {
                id: "s.t",
                title: "t",
                columns: vec![
                    Column {
                        label: "c".into(),
                        definition: None,
                        emphasis: Emphasis::None,
                    };
                    2
                ],
                rows: vec![vec![Val::Null, Val::Null]; rows],
                total: rows,
                marked: 0,
            }],
        })
        .collect();
    let threads = std::sync::Mutex::new(BTreeMap::new());
    let sheets = build_sheets(&sections, |section| {
        let id = std::thread::current().id();
        threads.lock().unwrap().insert(section.title, id);
        let mut sheet = Worksheet::new();
        sheet.set_name(section.title)?;
        Ok(sheet)
    })
    .unwrap();
    let names: Vec<String> = sheets.iter().map(|s| s.name()).collect();
    assert_eq!(names, titles);
    // The two largest sections (50 and 40 rows) are built apart.
    let threads = threads.into_inner().unwrap();
    assert_ne!(threads["b"], threads["d"]);
    // A failed sheet fails the workbook.
    let failed = build_sheets(&sections, |section| {
        let mut sheet = Worksheet::new();
        sheet.set_name(if section.title == "c" {
            "bad["
        } else {
            section.title
        })?;
        Ok(sheet)
    });
    assert!(failed.is_err());
}

/// The body of a table gets the same format in every cell as when each
/// cell is written with its format (what [`cells::FormatRuns`] replaces):
/// runs that change down a column, bold marked rows, an alert column,
/// wrapped long text, and empty text still formatted as a blank cell.
#[test]
fn cells_keep_their_formats_when_given_by_runs() {
    use crate::report::view::{Column, Emphasis, DASH};
    let column = |label: &str, emphasis| Column {
        label: label.into(),
        definition: None,
        emphasis,
    };
    let long = "长".repeat(MAX_WIDTH);
    let rows: Vec<Vec<Val>> = (0..12)
        .map(|i| {
            vec![
                match i % 4 {
                    0 => Val::text(long.clone()),
                    1 => Val::text(""),
                    2 => Val::Null,
                    _ => Val::text(format!("t{i}")),
                },
                if i < 5 {
                    Val::int(i)
                } else {
                    Val::Money(i as f64)
                },
                Val::Rate(0.5),
            ]
        })
        .collect();
    let table = Table {
        id: "t",
        title: "t",
        columns: vec![
            column("a", Emphasis::None),
            column("b", Emphasis::None),
            column("c", Emphasis::Alert),
        ],
        total: rows.len(),
        rows,
        marked: 3,
    };
    let fm = Formats::new(Lang::En);
    let by_runs = {
        let mut sheet = Worksheet::new();
        put_table(&mut sheet, &fm, &mut Widths::default(), &table, 0, 1).unwrap();
        sheet
    };
    let by_cell = {
        let mut sheet = Worksheet::new();
        for (i, values) in table.rows.iter().enumerate() {
            for (j, value) in values.iter().enumerate() {
                let style = if j == 2 {
                    2
                } else {
                    usize::from(i < table.marked)
                };
                let (row, col) = (2 + i as u32, 1 + j as u16);
                let units = text_units(&value.display());
                let cell = BodyCell {
                    row,
                    col,
                    value,
                    style,
                    units,
                };
                let format = write_value(&mut sheet, &fm, &cell).unwrap();
                match value {
                    Val::Text(s) => {
                        sheet.write_string_with_format(row, col, crate::xlsx_text::clip(s), format)
                    }
                    Val::Null => sheet.write_string_with_format(row, col, DASH, format),
                    _ => sheet.write_number_with_format(row, col, value.number().unwrap(), format),
                }
                .unwrap();
            }
        }
        sheet
    };
    let formats = |sheet: Worksheet| {
        let mut book = Workbook::new();
        book.push_worksheet(sheet);
        cell_formats(&book.save_to_buffer().unwrap())
    };
    let (runs, cells) = (formats(by_runs), formats(by_cell));
    // The body: rows 3 to 14, columns B to D.
    for row in 3..15 {
        for col in ["B", "C", "D"] {
            let at = format!("{col}{row}");
            assert!(cells.contains_key(&at), "{at} written");
            assert_eq!(runs.get(&at), cells.get(&at), "cell {at}");
        }
    }
    // Empty text is a formatted blank cell, as before; marked rows are
    // bold, and the alert column red.
    assert!(
        runs["B4"].contains("<left style=\"thin\">"),
        "{}",
        runs["B4"]
    );
    assert!(runs["C3"].contains("<b/>") && !runs["C6"].contains("<b/>"));
    assert!(runs["D9"].contains("C0392B"), "{}", runs["D9"]);
}

/// Each cell of the first sheet of a workbook and its format: the number
/// format, font, fill and border of the `<xf>` of styles.xml it points at,
/// resolved (their ids depend on the order formats were first used).
fn cell_formats(bytes: &[u8]) -> BTreeMap<String, String> {
    let styles = part(bytes, "xl/styles.xml");
    let sheet = part(bytes, "xl/worksheets/sheet1.xml");
    // The elements `<tag` inside `<list>…</list>`, each up to the next.
    let elements = |list: &str, tag: &str| -> Vec<String> {
        let Some(at) = styles.find(&format!("<{list}")) else {
            return Vec::new();
        };
        let end = styles[at..].find(&format!("</{list}>")).unwrap() + at;
        let open = format!("<{tag}");
        styles[at..end]
            .split(open.as_str())
            .skip(1)
            .filter(|e| e.starts_with([' ', '>', '/']))
            .map(|e| e.split(&format!("</{tag}>")).next().unwrap().to_string())
            .collect()
    };
    let attr = |element: &str, name: &str| {
        let at = element.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(element[at..].split('"').next()?.to_string())
    };
    let num_fmts: BTreeMap<String, String> = elements("numFmts", "numFmt")
        .iter()
        .map(|e| (attr(e, "numFmtId").unwrap(), attr(e, "formatCode").unwrap()))
        .collect();
    let (fonts, fills, borders) = (
        elements("fonts", "font"),
        elements("fills", "fill"),
        elements("borders", "border"),
    );
    let xfs: Vec<String> = elements("cellXfs", "xf")
        .iter()
        .map(|xf| {
            let id = |name| attr(xf, name).unwrap().parse::<usize>().unwrap();
            let num = attr(xf, "numFmtId").unwrap();
            let alignment = xf.split('>').nth(1).unwrap_or_default();
            format!(
                "{} | {} | {} | {} | {alignment}",
                num_fmts.get(&num).unwrap_or(&num),
                fonts[id("fontId")],
                fills[id("fillId")],
                borders[id("borderId")],
            )
        })
        .collect();
    sheet
        .split("<c ")
        .skip(1)
        .map(|cell| {
            let cell = format!(" {}", cell.split('>').next().unwrap());
            let xf = attr(&cell, "s").map_or(0, |s| s.parse::<usize>().unwrap());
            (attr(&cell, "r").unwrap(), xfs[xf].clone())
        })
        .collect()
}
