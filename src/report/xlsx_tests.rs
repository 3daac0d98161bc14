//! Tests of the workbook writer over the hand-made fixture. Reading the
//! cells back (calamine) is left to the integration tests; here: the file
//! is a zip, deterministic, atomic, and holds what the sheets promise.

use super::*;
use crate::output::temp_path;
use crate::report::fixture::{findings, fixture};
use crate::report::privacy::{Privacy, Shown};
use crate::report::view::MOST_LISTED;

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
        Lang::Zh,
        &a,
    )
    .unwrap();
    write_xlsx(
        &Shown::new(&fixture(), Privacy::Mask),
        &findings(),
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
        let bytes =
            workbook_bytes(&Shown::new(&fixture(), Privacy::Mask), &findings(), lang).unwrap();
        let entries = zip_names(&bytes);
        // Overview + 14 sections.
        assert_eq!(
            entries
                .iter()
                .filter(|n| n.starts_with("xl/worksheets/sheet"))
                .count(),
            15
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
    let bytes = workbook_bytes(&Shown::new(&s, Privacy::Mask), &[], Lang::En).unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn caps_the_findings_list() {
    let one = findings().remove(0);
    let many = vec![one; FINDINGS_CAP + 3];
    let listed = &many[..FINDINGS_CAP];
    let sections = crate::report::sections::sections(&fixture(), &many, listed, Lang::Zh);
    let quality = sections.iter().find(|s| s.id == "quality").unwrap();
    assert_eq!(
        quality
            .tables
            .iter()
            .find(|t| t.id == "quality.findings")
            .unwrap()
            .rows
            .len(),
        FINDINGS_CAP
    );
    assert!(quality
        .notes
        .iter()
        .any(|n| n.contains("100,000") && n.contains("100,003")));
}

#[test]
fn caps_other_lists_but_not_the_findings() {
    let mut s = fixture();
    let row = s.cadence.overdue_list[0].clone();
    s.cadence.overdue_list = vec![row; LIST_CAP + 2].into();
    let one = findings().remove(0);
    let many = vec![one; LIST_CAP + 2];
    let all = book_sections(&s, &many, &many, Lang::Zh);
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
    assert_eq!(rows("quality", "quality.findings").0, LIST_CAP + 2);
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
    let built = crate::report::sections::sections(&s, &[], &[], Lang::Zh);
    let tables: Vec<_> = built.iter().flat_map(|s| &s.tables).collect();
    for id in ids {
        let table = tables.iter().find(|t| t.id == id).expect(id);
        assert_eq!(
            (table.rows.len(), table.total),
            (MOST_LISTED, MOST_LISTED + 7),
            "{id}"
        );
    }
    let book = book_sections(&s, &[], &[], Lang::Zh);
    let notes: Vec<&String> = book.iter().flat_map(|s| &s.notes).collect();
    let full = notes.iter().filter(|n| n.contains("10,007")).count();
    assert_eq!(full, ids.len(), "{notes:?}");
}

#[test]
fn clips_text_to_the_cell_limit() {
    let long = "长".repeat(MAX_CELL_CHARS + 5);
    assert_eq!(clip(&long).chars().count(), MAX_CELL_CHARS);
    assert_eq!(clip("=1+1"), "=1+1");
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
