//! The entry points of crm-core's fuzz targets, one function per target.
//!
//! Each `fuzz_targets/<name>.rs` calls the function of the same name, and
//! `crates/crm-core/tests/fuzz_corpus.rs` includes this file (with
//! `#[path]`) to replay every committed corpus input and crash artifact
//! through exactly the same code as an ordinary test. A function may return
//! early on an error (that is an answer, not a bug); it must never panic,
//! hang or use unbounded memory on any input.

use std::path::PathBuf;

use crm_core::config::Config;
use crm_core::ingest::header::{detect_header, is_summary_row};
use crm_core::ingest::read::{read_delimited_bytes, read_file, ReadOptions};
use crm_core::model::{Cell, RawSheet, TableKind};
use crm_core::normalize::amount::{parse_amount, parse_budget};
use crm_core::normalize::date::{order_evidence, parse_date_number, parse_date_text, DateOrder};
use crm_core::normalize::industry::map_industry;
use crm_core::normalize::phone::{check_phone, mask_phone};
use crm_core::normalize::stage::Pipeline;
use crm_core::tables::{LoadOptions, Tables};

/// The function of a fuzz target: takes any bytes, must never panic.
pub type TargetFn = fn(&[u8]);

/// Every target: its name (the directory under `fuzz/corpus/`) and its function.
pub const TARGETS: &[(&str, TargetFn)] = &[
    ("csv_read", csv_read),
    ("xlsx_read", xlsx_read),
    ("date", date),
    ("amount", amount),
    ("phone", phone),
    ("industry", industry),
    ("header", header),
];

/// The table kind forced for an input: none (detected) or one of the seven,
/// chosen by the input's length so that every kind's row handling is reached.
fn kind_for(data: &[u8]) -> Option<TableKind> {
    const KINDS: [Option<TableKind>; 8] = [
        None,
        Some(TableKind::Customers),
        Some(TableKind::Followups),
        Some(TableKind::Combined),
        Some(TableKind::Opportunities),
        Some(TableKind::Roster),
        Some(TableKind::Targets),
        Some(TableKind::Complaints),
    ];
    KINDS[data.len() % KINDS.len()]
}

/// Loads sheets into tables with the default configuration, as a run does.
fn load(sheets: &[RawSheet], kind: Option<TableKind>) {
    let config = Config::default();
    let pipeline = Pipeline::default();
    let opts = LoadOptions {
        config: &config,
        pipeline: &pipeline,
        default_year: 2024,
        kind,
        progress: None,
    };
    let mut tables = Tables::default();
    for sheet in sheets {
        tables.add_sheet(sheet, &opts);
    }
}

/// `csv_read`: bytes as a delimited text file → encoding detection →
/// delimiter sniffing and parsing (within the default [`ReadOptions`]
/// limits) → header detection → `Tables::add_sheet`, default config.
pub fn csv_read(data: &[u8]) {
    let opts = ReadOptions::default();
    if let Ok(sheet) = read_delimited_bytes(data, &opts, data.len() % 2 == 1, "fuzz.csv", "fuzz") {
        load(&[sheet], kind_for(data));
    }
}

/// A file path for [`xlsx_read`], unique to this process (and thread), in
/// RAM when `/dev/shm` exists.
fn scratch_path() -> PathBuf {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let thread = format!("{:?}", std::thread::current().id());
    let thread: String = thread.chars().filter(char::is_ascii_digit).collect();
    dir.join(format!("crm-fuzz-{}-{thread}.xlsx", std::process::id()))
}

/// `xlsx_read`: bytes written to a file named `.xlsx` → `read_file` with
/// the default [`ReadOptions`] (so workbooks of every format, text and
/// disguised files all go through the content sniffing) → every sheet
/// through `Tables::add_sheet`.
pub fn xlsx_read(data: &[u8]) {
    let path = scratch_path();
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let result = read_file(&path, &ReadOptions::default());
    let _ = std::fs::remove_file(&path);
    if let Ok(sheets) = result {
        load(&sheets, kind_for(data));
    }
}

/// `date`: text → `parse_date_text` under every order, `order_evidence`;
/// and the first 8 bytes as an `f64` → `parse_date_number`.
pub fn date(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for order in [DateOrder::Ymd, DateOrder::Dmy, DateOrder::Mdy] {
        let _ = parse_date_text(&text, order, 2024);
    }
    let _ = order_evidence(&text);
    if let Some(b) = data.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        let _ = parse_date_number(f64::from_le_bytes(b));
    }
}

/// `amount`: text → `parse_amount` and `parse_budget`.
pub fn amount(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = parse_amount(&text);
    let _ = parse_budget(&text);
}

/// `phone`: text → `check_phone` and `mask_phone`.
pub fn phone(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = check_phone(&text);
    let _ = mask_phone(&text);
}

/// `industry`: text → `map_industry` (and the display of a match).
pub fn industry(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Some(m) = map_industry(&text) {
        let _ = m.display();
    }
}

/// Decodes bytes into a grid of cells for [`header`]: rows split on `\n`,
/// cells on `\t`; a cell starting with `#` is a number (its text parsed, or
/// its length), `!` a boolean, `~` an error value, `@` a date; empty is
/// [`Cell::Empty`]; anything else is text.
pub fn grid(data: &[u8]) -> Vec<Vec<Cell>> {
    let text = String::from_utf8_lossy(data);
    text.split('\n')
        .map(|row| {
            row.split('\t')
                .map(|c| match c.chars().next() {
                    None => Cell::Empty,
                    Some('#') => Cell::Number(c[1..].parse().unwrap_or(c.len() as f64)),
                    Some('!') => Cell::Bool(c.len() % 2 == 0),
                    Some('~') => Cell::Error(c[1..].to_owned()),
                    Some('@') => {
                        crm_core::normalize::date::from_excel_serial(c.len() as f64 * 997.0)
                            .map_or(Cell::Empty, Cell::DateTime)
                    }
                    Some(_) => Cell::Text(c.to_owned()),
                })
                .collect()
        })
        .collect()
}

/// `header`: an arbitrary grid ([`grid`]) → `detect_header` and
/// `is_summary_row` on every row.
pub fn header(data: &[u8]) {
    let rows = grid(data);
    if let Some(h) = detect_header(&rows, &[]) {
        assert!(h.row < rows.len());
        assert_eq!(h.columns.len(), h.mapping.len());
    }
    for row in &rows {
        let _ = is_summary_row(row);
    }
}
