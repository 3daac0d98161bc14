//! End-to-end checks of `write_sample`: determinism, encodings, row counts
//! and that both formats and small sizes work.

use crm_sample::{write_sample, SampleFormat, SampleOptions};
use std::path::{Path, PathBuf};

/// A fresh, empty temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("crm-sample-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn opts(format: SampleFormat, customers: usize) -> SampleOptions {
    SampleOptions {
        customers,
        format,
        ..SampleOptions::default()
    }
}

fn names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

/// Number of CSV records (quote-aware: a quoted field may hold line breaks).
fn count_records(text: &str) -> usize {
    let mut records = 0;
    let mut in_quotes = false;
    let mut pending = false;
    for ch in text.chars() {
        match ch {
            '"' => {
                in_quotes = !in_quotes;
                pending = true;
            }
            '\n' if !in_quotes => {
                records += 1;
                pending = false;
            }
            '\r' => {}
            _ => pending = true,
        }
    }
    records + usize::from(pending)
}

fn decode_gbk(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
    assert!(!had_errors, "{} is not valid GBK", path.display());
    text.into_owned()
}

#[test]
fn same_options_give_identical_bytes() {
    for format in [SampleFormat::Xlsx, SampleFormat::Csv] {
        let (a, b) = (TempDir::new("det-a"), TempDir::new("det-b"));
        let o = opts(format, 300);
        let fa = write_sample(&o, &a.0).unwrap();
        let fb = write_sample(&o, &b.0).unwrap();
        assert_eq!(names(&fa), names(&fb));
        for (x, y) in fa.iter().zip(&fb) {
            assert!(
                std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
                "{} differs",
                x.display()
            );
        }
    }
}

#[test]
fn another_seed_gives_other_data() {
    let (a, b) = (TempDir::new("seed-a"), TempDir::new("seed-b"));
    let fa = write_sample(&opts(SampleFormat::Csv, 50), &a.0).unwrap();
    let other = SampleOptions {
        seed: 7,
        ..opts(SampleFormat::Csv, 50)
    };
    let fb = write_sample(&other, &b.0).unwrap();
    assert_ne!(
        std::fs::read(&fa[0]).unwrap(),
        std::fs::read(&fb[0]).unwrap()
    );
}

#[test]
fn xlsx_format_writes_three_files() {
    let dir = TempDir::new("xlsx");
    let files = write_sample(&SampleOptions::default(), &dir.0).unwrap();
    assert_eq!(
        names(&files),
        ["客户信息表.xlsx", "跟进记录.csv", "销售目标.xlsx"]
    );
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
    {
        let bytes = std::fs::read(f).unwrap();
        assert!(
            bytes.starts_with(b"PK\x03\x04"),
            "{} is not a zip",
            f.display()
        );
        assert!(
            bytes.len() > 4_000,
            "{} is only {} bytes",
            f.display(),
            bytes.len()
        );
    }
}

#[test]
fn followups_are_gbk_with_the_header_first() {
    let dir = TempDir::new("gbk");
    let files = write_sample(&SampleOptions::default(), &dir.0).unwrap();
    let followups = files.iter().find(|f| f.ends_with("跟进记录.csv")).unwrap();
    let bytes = std::fs::read(followups).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the log should not be UTF-8"
    );
    let text = decode_gbk(followups);
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("客户编号,企业名称,跟进日期"), "{header}");
    assert!(text.contains("企业名称"));
    assert!(!text.contains("&#"), "unmappable characters were escaped");
    let rows = count_records(&text) - 1;
    // About 4 per customer on average.
    assert!(
        (800..1600).contains(&rows),
        "{rows} follow-ups for 300 customers"
    );
}

#[test]
fn csv_has_one_record_per_customer() {
    let dir = TempDir::new("csv");
    let files = write_sample(&opts(SampleFormat::Csv, 300), &dir.0).unwrap();
    assert_eq!(names(&files), ["customers.csv", "跟进记录.csv"]);
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "missing BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.starts_with("客户编号,企业名称*,所属行业"));
    assert_eq!(count_records(text), 300 + 1);
    for planted in [
        "上周",
        "E10",
        "50-30万",
        "丢单",
        "约",
        "开票联系人身份证",
        "KH000001",
    ] {
        assert!(text.contains(planted), "no {planted}");
    }
    assert!(
        text.contains("在跟进") || text.contains("快成了"),
        "no nonstandard stage"
    );
}

#[test]
fn small_tables_work_in_both_formats() {
    for format in [SampleFormat::Csv, SampleFormat::Xlsx] {
        let dir = TempDir::new(&format!("small-{format:?}"));
        let files = write_sample(&opts(format, 20), &dir.0).unwrap();
        assert!(files.iter().all(|f| f.exists()));
        let log = decode_gbk(files.iter().find(|f| f.ends_with("跟进记录.csv")).unwrap());
        assert!(count_records(&log) > 1);
    }
    let dir = TempDir::new("empty");
    let files = write_sample(&opts(SampleFormat::Xlsx, 0), &dir.0).unwrap();
    assert_eq!(files.len(), 3);
}
