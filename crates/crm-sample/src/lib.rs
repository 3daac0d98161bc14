//! Deterministic, realistically messy sample and benchmark data for
//! crm-report: a customers table (the team's xlsx form, or a UTF-8 CSV), a
//! follow-up log in GBK, and a small targets workbook.
//!
//! Every value comes from a splitmix64 stream keyed by the seed and the row
//! index, so the same options always give byte-identical files, any row can
//! be recomputed on its own, and one code path serves 20 rows and a million
//! (rows are streamed; nothing holds the whole table). Data runs from
//! 2025-01-01 (or a year before the as-of date) to the as-of date.
//!
//! ```no_run
//! let opts = crm_sample::SampleOptions::default();
//! let files = crm_sample::write_sample(&opts, std::path::Path::new("sample_data"))?;
//! # Ok::<(), crm_sample::SampleError>(())
//! ```

mod cell;
mod customers;
mod delimited;
mod followups;
mod forms;
mod names;
mod plan;
mod rng;
mod row;
mod sheets;
mod targets;
mod vocab;

use chrono::NaiveDate;
use customers::Ctx;
use delimited::{Charset, DelimitedWriter};
use sheets::{CsvCustomers, CustomerSink, XlsxCustomers, XLSX_MAX_CUSTOMERS};
use std::fmt;
use std::path::{Path, PathBuf};

/// File name of the customers workbook.
pub const CUSTOMERS_XLSX: &str = "客户信息表.xlsx";
/// File name of the customers CSV.
pub const CUSTOMERS_CSV: &str = "customers.csv";
/// File name of the follow-up log (GBK).
pub const FOLLOWUPS_CSV: &str = "跟进记录.csv";
/// File name of the targets workbook.
pub const TARGETS_XLSX: &str = "销售目标.xlsx";

/// Output format of the generated tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    /// `customers.csv` (UTF-8 with BOM) and the follow-up log.
    Csv,
    /// `客户信息表.xlsx`, `销售目标.xlsx` and the follow-up log.
    Xlsx,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct SampleOptions {
    /// Customer rows (duplicates included). The xlsx form holds at most
    /// 1,048,571 of them (Excel's row limit less title, notes, header,
    /// total and closing notes); beyond that it is capped.
    pub customers: usize,
    /// Mean follow-ups per customer (A-grade customers get more).
    pub followups_per_customer: usize,
    /// Output format of the customers table.
    pub format: SampleFormat,
    /// Seed of every random choice.
    pub seed: u64,
    /// Last day of the data; also the "data as of" note and the fixed
    /// creation date of the workbooks.
    pub as_of: NaiveDate,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            customers: 300,
            followups_per_customer: 4,
            format: SampleFormat::Xlsx,
            seed: 42,
            as_of: NaiveDate::from_ymd_opt(2026, 10, 31).expect("valid date"),
        }
    }
}

/// Why writing the sample failed.
#[derive(Debug)]
pub enum SampleError {
    /// Creating or writing a file failed.
    Io(std::io::Error),
    /// The xlsx writer failed.
    Xlsx(String),
}

impl fmt::Display for SampleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SampleError::Io(e) => write!(f, "cannot write sample file: {e}"),
            SampleError::Xlsx(e) => write!(f, "cannot write sample workbook: {e}"),
        }
    }
}

impl std::error::Error for SampleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SampleError::Io(e) => Some(e),
            SampleError::Xlsx(_) => None,
        }
    }
}

impl From<std::io::Error> for SampleError {
    fn from(e: std::io::Error) -> Self {
        SampleError::Io(e)
    }
}

impl From<rust_xlsxwriter::XlsxError> for SampleError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        match e {
            rust_xlsxwriter::XlsxError::IoError(io) => SampleError::Io(io),
            other => SampleError::Xlsx(other.to_string()),
        }
    }
}

/// Write the sample files into `dir` (created if missing) and return their paths, sorted.
pub fn write_sample(opts: &SampleOptions, dir: &Path) -> Result<Vec<PathBuf>, SampleError> {
    std::fs::create_dir_all(dir)?;
    let rows = match opts.format {
        SampleFormat::Csv => opts.customers,
        SampleFormat::Xlsx => opts.customers.min(XLSX_MAX_CUSTOMERS),
    };
    let ctx = Ctx::new(opts.seed, opts.as_of, rows, opts.followups_per_customer);
    let followups_path = dir.join(FOLLOWUPS_CSV);
    let mut followups = DelimitedWriter::create(&followups_path, Charset::Gbk)?;
    followups.record(followups::HEADER)?;
    let mut paths = vec![followups_path];
    match opts.format {
        SampleFormat::Csv => {
            let path = dir.join(CUSTOMERS_CSV);
            let mut sink = CsvCustomers::create(&path)?;
            generate(&ctx, &mut sink, &mut followups)?;
            sink.finish()?;
            paths.push(path);
        }
        SampleFormat::Xlsx => {
            let path = dir.join(CUSTOMERS_XLSX);
            let mut sink = XlsxCustomers::new(&ctx)?;
            generate(&ctx, &mut sink, &mut followups)?;
            sink.finish(&path)?;
            paths.push(path);
            let path = dir.join(TARGETS_XLSX);
            targets::write(&ctx, &path)?;
            paths.push(path);
        }
    }
    followups.finish()?;
    paths.sort();
    Ok(paths)
}

/// The one generation loop: each customer row, then its follow-ups.
fn generate(
    ctx: &Ctx,
    sink: &mut dyn CustomerSink,
    followups: &mut DelimitedWriter,
) -> Result<(), SampleError> {
    for i in 0..ctx.customers as u64 {
        let customer = customers::generate(ctx, i);
        sink.row(&customer.cells)?;
        followups::write_for(ctx, &customer, followups)?;
    }
    Ok(())
}
