//! Integration tests of the file readers: real files written to a temporary
//! directory (text in the encodings sales teams' tools produce, workbooks
//! written by rust_xlsxwriter) and read back through `read_file`, checking
//! the values read; plus malformed inputs and directory expansion.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{NaiveDate, NaiveDateTime};
use crm_core::ingest::excel::read_workbook;
use crm_core::ingest::read::{collect_inputs, read_file, ReadError, ReadOptions, TRUNCATION_MARK};
use crm_core::model::{Cell, RawSheet};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// A fresh, empty directory under the system temp dir, unique per test,
/// removed when dropped.
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn temp_dir(name: &str) -> TempDir {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("crm-ingest-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    TempDir(dir)
}

/// Writes `bytes` to `dir/name` and returns the path.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create parent");
    }
    std::fs::write(&path, bytes).expect("write file");
    path
}

/// Reads a file with default options, expecting exactly one sheet.
fn read_one(path: &Path) -> RawSheet {
    let mut sheets = read_file(path, &ReadOptions::default()).expect("read file");
    assert_eq!(sheets.len(), 1, "one sheet expected");
    sheets.remove(0)
}

/// The rows as display text.
fn texts(sheet: &RawSheet) -> Vec<Vec<String>> {
    sheet
        .rows
        .iter()
        .map(|r| r.iter().map(Cell::display).collect())
        .collect()
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|x| x.and_hms_opt(h, mi, 0))
        .expect("valid test date")
}

const CN: &str = "企业名称,所属行业\r\n杭州某某科技有限公司,软件\r\n";

fn cn_rows() -> Vec<Vec<String>> {
    vec![
        vec!["企业名称".into(), "所属行业".into()],
        vec!["杭州某某科技有限公司".into(), "软件".into()],
    ]
}

#[test]
fn utf8_csv() {
    let dir = temp_dir("utf8");
    let path = write(&dir, "客户.csv", CN.as_bytes());
    let sheet = read_one(&path);
    assert_eq!(texts(&sheet), cn_rows());
    assert_eq!(sheet.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(sheet.sheet, "客户");
    assert_eq!(sheet.file, path.display().to_string());
}

#[test]
fn utf8_bom_csv() {
    let dir = temp_dir("bom");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(CN.as_bytes());
    let sheet = read_one(&write(&dir, "a.csv", &bytes));
    assert_eq!(texts(&sheet), cn_rows());
    assert_eq!(sheet.rows[0][0], t("企业名称"));
    assert_eq!(sheet.encoding.as_deref(), Some("UTF-8-BOM"));
}

#[test]
fn gbk_csv() {
    let dir = temp_dir("gbk");
    let (bytes, _, had_errors) = encoding_rs::GBK.encode(CN);
    assert!(!had_errors);
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "GBK bytes must not be UTF-8"
    );
    let sheet = read_one(&write(&dir, "gbk.csv", &bytes));
    assert_eq!(texts(&sheet), cn_rows());
    assert_eq!(sheet.encoding.as_deref(), Some("GB18030"));
}

/// Files from `MAP_MIN_BYTES` up are mapped instead of read: a big CSV in
/// UTF-8 with a BOM, in plain UTF-8 and in GBK reads as the same bytes
/// read into memory (`read_delimited_bytes`) do, rows and encoding alike.
#[test]
fn big_mapped_csv_reads_as_its_bytes_in_memory() {
    use crm_core::ingest::file_bytes::MAP_MIN_BYTES;
    use crm_core::ingest::read::read_delimited_bytes;
    let dir = temp_dir("mapped");
    let mut text = String::from("企业名称,所属行业,备注\r\n");
    let mut i = 0;
    while (text.len() as u64) < MAP_MIN_BYTES + 1000 {
        text.push_str(&format!(
            "杭州某某科技有限公司{i},软件,\"含逗号, 与换行\n第{i}行\"\r\n"
        ));
        i += 1;
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let cases: [(&str, &[u8], &str); 3] = [
        ("bom.csv", &bom, "UTF-8-BOM"),
        ("plain.csv", text.as_bytes(), "UTF-8"),
        ("gbk.csv", &gbk, "GB18030"),
    ];
    for (name, bytes, encoding) in cases {
        let path = write(&dir, name, bytes);
        let mut mapped = read_one(&path);
        let mut in_memory = read_delimited_bytes(
            bytes,
            &ReadOptions::default(),
            false,
            &path.display().to_string(),
            "x",
        )
        .expect("read");
        assert!(
            mapped.pending.is_some(),
            "{name}: a big file has pending rows"
        );
        mapped.materialize();
        in_memory.materialize();
        assert_eq!(mapped.rows.len(), i + 1, "{name}");
        assert_eq!(
            mapped.rows[0][0],
            t("企业名称"),
            "{name}: no BOM in the header"
        );
        assert_eq!(mapped.rows[7][2], t("含逗号, 与换行\n第6行"), "{name}");
        assert!(mapped.rows == in_memory.rows, "{name}");
        assert_eq!(mapped.encoding.as_deref(), Some(encoding), "{name}");
        assert_eq!(in_memory.encoding.as_deref(), Some(encoding), "{name}");
    }
}

#[test]
fn forced_encoding_overrides_detection() {
    let dir = temp_dir("forced");
    // Latin-1 bytes that are not UTF-8; without forcing they would read as GB18030.
    let path = write(&dir, "latin.csv", b"name,city\nJos\xE9,K\xF6ln\n");
    let opts = ReadOptions {
        encoding: encoding_rs::Encoding::for_label(b"latin1"),
        ..ReadOptions::default()
    };
    let sheets = read_file(&path, &opts).expect("read");
    assert_eq!(sheets[0].rows[1], vec![t("José"), t("Köln")]);
    assert_eq!(sheets[0].encoding.as_deref(), Some("windows-1252"));
}

#[test]
fn utf16le_bom_tab_text() {
    // Excel's "Unicode Text (*.txt)": UTF-16LE with BOM, tab-separated.
    let dir = temp_dir("utf16");
    let text = "企业名称\t所属行业\r\n杭州某某科技有限公司\t软件\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let sheet = read_one(&write(&dir, "unicode.txt", &bytes));
    assert_eq!(texts(&sheet), cn_rows());
    assert_eq!(sheet.encoding.as_deref(), Some("UTF-16LE"));
}

#[test]
fn semicolon_tab_and_pipe() {
    let dir = temp_dir("delims");
    let semi = read_one(&write(
        &dir,
        "eu.csv",
        "Company;Amount;Stage\nACME GmbH;1.234,50;Won\n".as_bytes(),
    ));
    assert_eq!(semi.rows[1], vec![t("ACME GmbH"), t("1.234,50"), t("Won")]);

    let tsv = read_one(&write(
        &dir,
        "t.tsv",
        "企业名称\t预算\n某某公司\t30,50万\n".as_bytes(),
    ));
    assert_eq!(tsv.rows[1], vec![t("某某公司"), t("30,50万")]);

    let pipe = read_one(&write(&dir, "p.txt", "a|b|c\n1||3\n".as_bytes()));
    assert_eq!(pipe.rows[1], vec![t("1"), Cell::Empty, t("3")]);
}

#[test]
fn quoted_fields_commas_newlines_and_blank_lines() {
    let dir = temp_dir("quoted");
    let csv = "企业名称,沟通内容,备注\n\
               \"杭州某某科技有限公司, 滨江分部\",\"第一次拜访\n第二次电话\",\"说\"\"可以\"\"\"\n\
               \n\
               ,  ,x\n";
    let sheet = read_one(&write(&dir, "q.csv", csv.as_bytes()));
    assert_eq!(sheet.rows.len(), 4);
    assert_eq!(
        sheet.rows[1],
        vec![
            t("杭州某某科技有限公司, 滨江分部"),
            t("第一次拜访\n第二次电话"),
            t("说\"可以\"")
        ]
    );
    // The blank line stays a row, so row index 3 is spreadsheet row 4.
    assert!(sheet.rows[2].is_empty());
    // Nothing is trimmed; empty fields are Empty.
    assert_eq!(sheet.rows[3], vec![Cell::Empty, t("  "), t("x")]);
}

#[test]
fn empty_csv_is_a_sheet_without_rows() {
    let dir = temp_dir("emptycsv");
    let sheet = read_one(&write(&dir, "empty.csv", b""));
    assert!(sheet.rows.is_empty());
}

#[test]
fn long_cells_are_truncated() {
    let dir = temp_dir("long");
    let long = "长".repeat(50);
    let path = write(&dir, "long.csv", format!("a,{long}\n").as_bytes());
    let opts = ReadOptions {
        max_cell_chars: 10,
        ..ReadOptions::default()
    };
    let sheets = read_file(&path, &opts).expect("read");
    assert_eq!(
        sheets[0].rows[0][1],
        t(&format!("{}{TRUNCATION_MARK}", "长".repeat(10)))
    );
    assert_eq!(sheets[0].rows[0][0], t("a"));
}

/// Writes the test workbook: a customer sheet with a title row, a merged
/// customer block, a date, numbers, a formula with a cached result and an
/// error result; an empty sheet; a sheet whose data starts at C5.
fn write_test_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let datetime_fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm");

    let ws = wb.add_worksheet();
    ws.set_name("客户台账").expect("name");
    ws.merge_range(0, 0, 0, 5, "2024年客户台账", &title)
        .expect("merge title");
    for (c, h) in ["企业名称", "跟进日期", "预算", "翻倍", "已签约", "查找"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).expect("header");
    }
    // A customer block: the name merged over two follow-up rows.
    ws.merge_range(2, 0, 3, 0, "杭州某某科技有限公司", &Format::new())
        .expect("merge block");
    let d1 = ExcelDateTime::from_ymd(2024, 3, 15).expect("date");
    let d2 = ExcelDateTime::from_ymd(2024, 4, 2)
        .and_then(|d| d.and_hms(14, 30, 0))
        .expect("datetime");
    ws.write_datetime_with_format(2, 1, &d1, &date_fmt)
        .expect("date");
    ws.write_datetime_with_format(3, 1, &d2, &datetime_fmt)
        .expect("datetime");
    ws.write_number(2, 2, 300000).expect("number");
    ws.write_number(3, 2, 12.5).expect("number");
    ws.write_formula(2, 3, Formula::new("=C3*2").set_result("600000"))
        .expect("formula");
    ws.write_boolean(2, 4, true).expect("bool");
    ws.write_formula(2, 5, Formula::new("=NA()").set_result("#N/A"))
        .expect("error");

    wb.add_worksheet().set_name("空白").expect("name");

    let ws = wb.add_worksheet();
    ws.set_name("偏移").expect("name");
    ws.write_string(4, 2, "企业名称").expect("offset");
    ws.write_string(5, 3, "软件").expect("offset");

    wb.save(path).expect("save workbook");
}

#[test]
fn xlsx_values_merges_dates_formulas() {
    let dir = temp_dir("xlsx");
    let path = dir.join("台账.xlsx");
    write_test_workbook(&path);

    let sheets = read_file(&path, &ReadOptions::default()).expect("read xlsx");
    let names: Vec<&str> = sheets.iter().map(|s| s.sheet.as_str()).collect();
    assert_eq!(names, ["客户台账", "空白", "偏移"]);
    assert!(sheets
        .iter()
        .all(|s| s.file == path.display().to_string() && s.encoding.is_none()));

    let s = &sheets[0];
    assert_eq!(s.rows.len(), 4);
    // The merged title fills every cell of A1:F1.
    assert_eq!(s.rows[0], vec![t("2024年客户台账"); 6]);
    assert_eq!(s.rows[1][0], t("企业名称"));
    // The vertical merge A3:A4 gives both rows the customer.
    assert_eq!(s.rows[2][0], t("杭州某某科技有限公司"));
    assert_eq!(s.rows[3][0], t("杭州某某科技有限公司"));
    assert_eq!(s.rows[2][1], Cell::DateTime(dt(2024, 3, 15, 0, 0)));
    assert_eq!(s.rows[3][1], Cell::DateTime(dt(2024, 4, 2, 14, 30)));
    assert_eq!(s.rows[2][2], Cell::Number(300000.0));
    assert_eq!(s.rows[3][2], Cell::Number(12.5));
    // The formula's cached result.
    assert_eq!(s.rows[2][3], Cell::Number(600000.0));
    assert_eq!(s.rows[2][4], Cell::Bool(true));
    assert_eq!(s.rows[2][5], Cell::Error("#N/A".into()));
    // Rows are ragged: row 4 ends at its last value, C4.
    assert_eq!(s.rows[3].len(), 3);

    assert!(sheets[1].rows.is_empty());

    // Row 0 is spreadsheet row 1 and column 0 is A, though data starts at C5.
    let off = &sheets[2];
    assert_eq!(off.rows.len(), 6);
    assert!(off.rows[..4]
        .iter()
        .all(|r| r.iter().all(|c| *c == Cell::Empty)));
    assert_eq!(off.rows[4][2], t("企业名称"));
    assert_eq!(off.rows[4][..2], [Cell::Empty, Cell::Empty]);
    assert_eq!(off.rows[5][3], t("软件"));

    // read_workbook directly gives the same.
    let direct = read_workbook(&path).expect("read_workbook");
    assert_eq!(direct.len(), 3);
    assert_eq!(direct[0].rows, s.rows);
}

#[test]
fn workbook_with_wrong_extension_is_sniffed() {
    let dir = temp_dir("renamed");
    let real = dir.join("real.xlsx");
    write_test_workbook(&real);
    let bytes = std::fs::read(&real).expect("read back");
    // An xlsx saved as .xls, or renamed .csv, is still read as a workbook.
    for name in ["old.xls", "export.csv", "UPPER.XLSX"] {
        let p = write(&dir, name, &bytes);
        let sheets = read_file(&p, &ReadOptions::default()).expect(name);
        assert_eq!(sheets.len(), 3, "{name}");
        assert_eq!(sheets[0].rows[2][0], t("杭州某某科技有限公司"), "{name}");
    }
}

#[test]
fn text_export_named_xls_is_read_as_text() {
    let dir = temp_dir("txtxls");
    let (gbk, _, _) =
        encoding_rs::GBK.encode("企业名称\t所属行业\r\n杭州某某科技有限公司\t软件\r\n");
    let sheet = read_one(&write(&dir, "导出.xls", &gbk));
    assert_eq!(texts(&sheet), cn_rows());
    assert_eq!(sheet.sheet, "导出");
    assert_eq!(sheet.encoding.as_deref(), Some("GB18030"));
}

#[test]
fn malformed_inputs_are_errors_not_panics() {
    let dir = temp_dir("bad");
    let opts = ReadOptions::default();

    // Garbage bytes with a workbook name.
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for name in ["x.xlsx", "x.xlsm", "x.xlsb", "x.xls", "x.ods"] {
        let r = read_file(&write(&dir, name, &garbage), &opts);
        assert!(matches!(r, Err(ReadError::Corrupt { .. })), "{name}: {r:?}");
    }

    // A truncated real workbook.
    let real = dir.join("real.xlsx");
    write_test_workbook(&real);
    let bytes = std::fs::read(&real).expect("read back");
    for cut in [4, 30, bytes.len() / 2, bytes.len() - 10] {
        let r = read_file(&write(&dir, "cut.xlsx", &bytes[..cut]), &opts);
        assert!(r.is_err(), "cut at {cut}");
    }
    // Zip and OLE2 signatures followed by garbage.
    let mut fake_zip = b"PK\x03\x04".to_vec();
    fake_zip.extend_from_slice(&garbage);
    assert!(read_file(&write(&dir, "z.xlsx", &fake_zip), &opts).is_err());
    let mut fake_cfb = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    fake_cfb.extend_from_slice(&garbage);
    assert!(read_file(&write(&dir, "c.xls", &fake_cfb), &opts).is_err());

    // An encrypted OOXML package: an OLE2 file with an EncryptedPackage stream.
    let mut enc = fake_cfb.clone();
    enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let r = read_file(&write(&dir, "secret.xlsx", &enc), &opts);
    assert!(
        matches!(r, Err(ReadError::PasswordProtected { .. })),
        "{r:?}"
    );

    let r = read_file(&write(&dir, "empty.xlsx", b""), &opts);
    assert!(matches!(r, Err(ReadError::Empty { .. })), "{r:?}");

    let r = read_file(&write(&dir, "text.xlsx", b"a,b\n1,2\n"), &opts);
    assert!(matches!(r, Err(ReadError::Corrupt { .. })), "{r:?}");

    let r = read_file(&write(&dir, "binary.csv", &garbage), &opts);
    assert!(matches!(r, Err(ReadError::NotText { .. })), "{r:?}");

    let html = b"<html><body><table><tr><td>a</td></tr></table></body></html>";
    let r = read_file(&write(&dir, "web.xls", html), &opts);
    assert!(matches!(r, Err(ReadError::Disguised { .. })), "{r:?}");

    let r = read_file(&write(&dir, "notes.pdf", b"%PDF-1.4"), &opts);
    assert!(matches!(r, Err(ReadError::Unsupported { .. })), "{r:?}");

    let r = read_file(&dir.join("missing.csv"), &opts);
    assert!(matches!(r, Err(ReadError::NotFound { .. })), "{r:?}");

    let small = ReadOptions {
        max_file_bytes: 3,
        ..ReadOptions::default()
    };
    let r = read_file(&write(&dir, "big.csv", b"a,b,c\n"), &small);
    assert!(
        matches!(
            r,
            Err(ReadError::TooLarge {
                size: 6,
                limit: 3,
                ..
            })
        ),
        "{r:?}"
    );

    // Every message is one line and names the file.
    let e = read_file(&write(&dir, "x.xlsx", &garbage), &opts).expect_err("garbage");
    let msg = e.to_string();
    assert!(!msg.contains('\n') && msg.contains("x.xlsx"), "{msg}");
}

#[test]
fn mutated_workbooks_never_panic() {
    let dir = temp_dir("mutate");
    let real = dir.join("real.xlsx");
    write_test_workbook(&real);
    let bytes = std::fs::read(&real).expect("read back");
    let opts = ReadOptions::default();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..(1 + round % 4) {
            let i = (next() as usize) % b.len();
            b[i] = next() as u8;
        }
        // Ok or Err are both fine; a panic fails the test.
        let _ = read_file(&write(&dir, "m.xlsx", &b), &opts);
    }
    for cut in (0..bytes.len()).step_by(97) {
        let _ = read_file(&write(&dir, "t.xlsx", &bytes[..cut]), &opts);
    }
}

#[test]
fn far_away_cell_is_read_sparsely() {
    let dir = temp_dir("far");
    let path = dir.join("far.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "企业名称").expect("a1");
    ws.write_string(1_048_575, 16_383, "stray").expect("xfd");
    wb.save(&path).expect("save");
    let sheet = read_one(&path);
    assert_eq!(sheet.rows.len(), 1_048_576);
    assert_eq!(sheet.rows[0], vec![t("企业名称")]);
    assert!(sheet.rows[1].is_empty());
    assert_eq!(sheet.rows[1_048_575].len(), 16_384);
    assert_eq!(sheet.rows[1_048_575][16_383], t("stray"));
}

#[test]
fn not_a_regular_file_is_an_error() {
    let dir = temp_dir("notfile");
    std::fs::create_dir_all(dir.join("folder.csv")).expect("dir");
    let r = read_file(&dir.join("folder.csv"), &ReadOptions::default());
    assert!(matches!(r, Err(ReadError::Io { .. })), "{r:?}");
}

#[test]
fn collect_inputs_filters_sorts_and_dedups() {
    let dir = temp_dir("collect");
    for name in [
        "b.csv",
        "A.xlsx",
        "~$lock.xlsx",
        ".hidden.csv",
        ".git/config.csv",
        "notes.pdf",
        "sub/nested.tsv",
        "sub/deeper/c.XLS",
        "sub/deeper/d.ods",
        "sub/readme.md",
    ] {
        write(&dir, name, b"x");
    }
    let missing = dir.join("missing.csv");
    let pdf = dir.join("notes.pdf");
    // A link loop must not hang.
    #[cfg(unix)]
    std::os::unix::fs::symlink(&*dir, dir.join("sub/loop")).expect("symlink");

    let got = collect_inputs(&[
        dir.to_path_buf(),
        missing.clone(),
        pdf.clone(),
        dir.join("b.csv"),
    ]);
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    for entry in got {
        match entry {
            Ok(p) => ok.push(p),
            Err((p, e)) => errs.push((p, e)),
        }
    }
    let expected: Vec<PathBuf> = [
        "A.xlsx",
        "b.csv",
        "notes.pdf", // given explicitly: kept as given
        "sub/deeper/c.XLS",
        "sub/deeper/d.ods",
        "sub/nested.tsv",
    ]
    .iter()
    .map(|n| dir.join(n))
    .collect();
    assert_eq!(ok, expected);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].0, missing);
    assert!(matches!(errs[0].1, ReadError::NotFound { .. }));
}

#[test]
fn collect_inputs_caps_depth() {
    let dir = temp_dir("deep");
    let mut deep = dir.to_path_buf();
    for i in 0..34 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).expect("deep dirs");
    write(&dir, "d0/top.csv", b"x");
    write(&deep, "bottom.csv", b"x");
    let got = collect_inputs(&[dir.to_path_buf()]);
    let ok: Vec<&PathBuf> = got.iter().filter_map(|e| e.as_ref().ok()).collect();
    assert_eq!(ok, [&dir.join("d0/top.csv")]);
    assert!(got
        .iter()
        .any(|e| matches!(e, Err((_, ReadError::TooDeep { .. })))));
}

#[test]
fn gbk_csv_past_the_head_reads_as_decoded_text() {
    // Rows past the parsed head are kept as GBK bytes and decoded field by
    // field; 亅 and 晐 end in the byte of `|`, 丂 in that of `@`.
    let dir = temp_dir("gbk-long");
    let mut text = String::from("企业名称,负责销售,备注\r\n");
    for i in 0..300 {
        text.push_str(&format!("亅{i}公司,晐丂,\"多行\n备注, 含逗号\"\r\n"));
    }
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let mut sheet = read_one(&write(&dir, "long.csv", &bytes));
    assert!(sheet.pending.is_some(), "rows past the head wait unparsed");
    sheet.materialize();
    assert_eq!(sheet.encoding.as_deref(), Some("GB18030"));
    let rows = texts(&sheet);
    assert_eq!(rows.len(), 301);
    assert_eq!(rows[300], ["亅299公司", "晐丂", "多行\n备注, 含逗号"]);
}

#[test]
fn gbk_pipe_delimited_is_decoded_whole() {
    // `|` is also the second byte of 亅 (0x81 0x7C): splitting the bytes on
    // it would cut the character, so such a file is decoded first.
    let dir = temp_dir("gbk-pipe");
    let mut text = String::from("企业名称|负责销售\n");
    for i in 0..200 {
        text.push_str(&format!("亅{i}公司|晐\n"));
    }
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    assert!(bytes.windows(2).any(|w| w == [0x81, b'|']));
    let mut sheet = read_one(&write(&dir, "pipe.csv", &bytes));
    sheet.materialize();
    let rows = texts(&sheet);
    assert_eq!(rows.len(), 201);
    assert!(rows.iter().all(|r| r.len() == 2));
    assert_eq!(rows[200], ["亅199公司", "晐"]);
}
