//! Merged cells of an OpenDocument spreadsheet written by LibreOffice are
//! filled like those of the xlsx it was converted from.
//!
//! The fixture `tests/fixtures/merged_blocks.ods` (at the workspace root) is
//! LibreOffice's "calc8" conversion of the workbook [`write_source`] writes:
//! a follow-up log whose customer name and owner are merged down each
//! customer's block of follow-up rows, under a merged title, starting at B2;
//! and a second sheet with a merged note. To make it again:
//!
//! ```sh
//! CRM_FIXTURE_SOURCES=/tmp/src cargo test --release -p crm-core --test ods_merged \
//!     -- --ignored --exact write_merged_blocks_source
//! soffice --headless --convert-to ods --outdir tests/fixtures /tmp/src/merged_blocks.xlsx
//! ```

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use crm_core::config::Config;
use crm_core::findings::Code;
use crm_core::ingest::excel::read_workbook;
use crm_core::ingest::read::{read_file, ReadOptions};
use crm_core::model::{Cell, RawSheet};
use crm_core::normalize::stage::Pipeline;
use crm_core::schema::Field;
use crm_core::tables::{LoadOptions, Tables};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

/// The header of the follow-up log (row 3, from column B).
const HEADER: [&str; 5] = [
    "企业名称",
    "负责销售",
    "跟进日期",
    "跟进方式",
    "沟通内容摘要",
];

/// A customer, its owner and its follow-ups (date, method, summary).
type Block = (&'static str, &'static str, &'static [[&'static str; 3]]);

/// The customer blocks, from row 4.
const BLOCKS: [Block; 3] = [
    (
        "甲科技有限公司",
        "王磊",
        &[
            ["2024-03-01", "电话", "初次沟通需求"],
            ["2024-03-08", "拜访", "现场演示产品"],
            ["2024-03-15", "微信", "发送报价单"],
        ],
    ),
    (
        "乙制造有限公司",
        "李娜",
        &[
            ["2024-03-02", "电话", "确认预算"],
            ["2024-03-09", "邮件", "补充技术方案"],
        ],
    ),
    (
        "丙物流有限公司",
        "张伟",
        &[["2024-03-05", "拜访", "了解仓储流程"]],
    ),
];

/// The title, merged over B2:F2.
const TITLE: &str = "2024年客户跟进记录";
/// The note of the second sheet, merged over A1:C1.
const NOTE: &str = "填表说明";
/// The row under it (as wide as the merge: a merge is filled only as far
/// as the widest row read).
const NOTE_ROW: [&str; 3] = ["企业名称", "填写全称", "同一客户的跟进写在一起"];

/// The committed fixture.
fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/merged_blocks.ods")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
}

/// Writes the source workbook of the fixture.
fn write_source(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("跟进记录").unwrap();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    ws.merge_range(1, 1, 1, 5, TITLE, &title).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, 1 + c as u16, *h).unwrap();
    }
    let top = Format::new().set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut r = 3u32;
    for (name, owner, followups) in BLOCKS {
        let last = r + followups.len() as u32 - 1;
        for (c, v) in [(1u16, name), (2, owner)] {
            if last > r {
                ws.merge_range(r, c, last, c, v, &top).unwrap();
            } else {
                ws.write_string(r, c, v).unwrap();
            }
        }
        for (i, [d, method, summary]) in followups.iter().enumerate() {
            let row = r + i as u32;
            let value = ExcelDateTime::parse_from_str(d).unwrap();
            ws.write_datetime_with_format(row, 3, &value, &date)
                .unwrap();
            ws.write_string(row, 4, *method).unwrap();
            ws.write_string(row, 5, *summary).unwrap();
        }
        r = last + 1;
    }
    let notes = wb.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.merge_range(0, 0, 0, 2, NOTE, &Format::new()).unwrap();
    for (c, v) in NOTE_ROW.iter().enumerate() {
        notes.write_string(1, c as u16, *v).unwrap();
    }
    wb.save(path).unwrap();
}

/// Writes [`write_source`]'s workbook into `$CRM_FIXTURE_SOURCES` (see the
/// module docs); not run by CI.
#[test]
#[ignore = "makes the source of tests/fixtures/merged_blocks.ods"]
fn write_merged_blocks_source() {
    let dir = std::env::var("CRM_FIXTURE_SOURCES").expect("CRM_FIXTURE_SOURCES");
    std::fs::create_dir_all(&dir).unwrap();
    write_source(&Path::new(&dir).join("merged_blocks.xlsx"));
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

/// The rows every reader must give for the follow-up log: the merged
/// values in every cell they cover, row 0 and column A empty.
fn expected_log() -> Vec<Vec<Cell>> {
    let mut rows = vec![
        vec![],
        [vec![Cell::Empty], vec![t(TITLE); 5]].concat(),
        [vec![Cell::Empty], HEADER.map(t).to_vec()].concat(),
    ];
    for (name, owner, followups) in BLOCKS {
        for [d, method, summary] in followups {
            let date = day(d).and_hms_opt(0, 0, 0).unwrap();
            rows.push(vec![
                Cell::Empty,
                t(name),
                t(owner),
                Cell::DateTime(date),
                t(method),
                t(summary),
            ]);
        }
    }
    rows
}

fn read(path: &Path) -> Vec<RawSheet> {
    let sheets = read_file(path, &ReadOptions::default()).expect("read file");
    let names: Vec<&str> = sheets.iter().map(|s| s.sheet.as_str()).collect();
    assert_eq!(names, ["跟进记录", "说明"], "{}", path.display());
    sheets
}

#[test]
fn libreoffice_ods_merges_are_filled() {
    let sheets = read(&fixture());
    assert_eq!(sheets[0].rows, expected_log());
    // The second table has its own merge, and only it.
    assert_eq!(sheets[1].rows, [vec![t(NOTE); 3], NOTE_ROW.map(t).to_vec()]);
    // read_workbook directly gives the same.
    let direct = read_workbook(&fixture()).expect("read_workbook");
    assert_eq!(direct.len(), 2);
    assert_eq!(direct[0].rows, sheets[0].rows);
    assert_eq!(direct[1].rows, sheets[1].rows);
}

#[test]
fn ods_reads_like_the_xlsx_it_was_converted_from() {
    let dir = std::env::temp_dir().join(format!("crm-ods-merged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xlsx = dir.join("merged_blocks.xlsx");
    write_source(&xlsx);
    let from_xlsx = read(&xlsx);
    let _ = std::fs::remove_dir_all(&dir);
    let from_ods = read(&fixture());
    for (x, o) in from_xlsx.iter().zip(&from_ods) {
        assert_eq!(x.rows, o.rows, "sheet {}", x.sheet);
    }
}

#[test]
fn every_followup_of_a_merged_block_is_kept_with_its_customer() {
    let sheets = read(&fixture());
    let config = Config::default();
    let pipeline = Pipeline::default();
    let opts = LoadOptions {
        config: &config,
        pipeline: &pipeline,
        default_year: 2024,
        kind: None,
        progress: None,
    };
    let mut tables = Tables::default();
    tables.add_sheet(&sheets[0], &opts);
    assert_eq!(tables.inputs[0].kind, "followups");
    assert!(
        !tables
            .findings
            .iter()
            .any(|f| f.code == Code::MissingCustomerName),
        "no follow-up row lost its customer"
    );
    for (name, owner, followups) in BLOCKS {
        let of: Vec<_> = tables
            .followups
            .iter()
            .filter(|f| f.text(Field::CustomerName) == Some(name))
            .collect();
        assert_eq!(of.len(), followups.len(), "{name}");
        for (f, [d, _, _]) in of.iter().zip(followups) {
            assert_eq!(f.text(Field::Owner), Some(owner), "{name}");
            assert_eq!(f.date(Field::FollowupDate), Some(day(d)), "{name}");
        }
    }
    assert_eq!(tables.followups.len(), 6);
}
