//! `销售目标.xlsx`: one target per rep for the as-of year, quarter and
//! month and the ones before, in the period forms the reader accepts
//! (`2026`, `2026-Q4`, `2026年第三季度`, `2026年10月`, `2026-09`), plus one
//! row with an unreadable period (`上半年`) and one amount typed as `万`.
//!
//! Targets are sized from the number of customers, so attainment is
//! plausible (somewhere around 50–150 %) at any table size.

use crate::customers::Ctx;
use crate::forms::wan;
use crate::rng::stream;
use crate::sheets::properties;
use crate::vocab::REPS;
use crate::SampleError;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;

const SALT_TARGETS: u64 = 0x7A;
/// Mean won deal size the generator produces, roughly, in yuan.
const MEAN_DEAL: f64 = 600_000.0;
/// Share of customers that end up won, roughly.
const WON_SHARE: f64 = 0.2;

/// Header of the targets sheet.
pub const HEADER: [&str; 3] = ["负责销售", "目标期间", "目标金额"];

const QUARTER_CN: [&str; 4] = ["第一季度", "第二季度", "第三季度", "第四季度"];

fn previous_month(d: NaiveDate) -> (i32, u32) {
    if d.month() == 1 {
        (d.year() - 1, 12)
    } else {
        (d.year(), d.month() - 1)
    }
}

/// Write the targets workbook.
pub fn write(ctx: &Ctx, path: &Path) -> Result<(), SampleError> {
    let mut rng = stream(ctx.seed, SALT_TARGETS, 0);
    let months = (ctx.span() as f64 / 30.44).max(1.0);
    let total_weight: f64 = REPS.iter().map(|r| f64::from(r.weight)).sum();
    let (y, m) = (ctx.as_of.year(), ctx.as_of.month());
    let q = (m - 1) / 3 + 1;
    let (py, pq) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    let (pmy, pm) = previous_month(ctx.as_of);

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties("销售目标", ctx.as_of)?);
    let sheet = workbook.add_worksheet();
    sheet.set_name("目标")?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0");
    for (col, label) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *label, &bold)?;
    }
    sheet.set_column_width(1, 16)?;
    sheet.set_column_width(2, 14)?;
    let mut row = 1;
    for rep in REPS {
        let share = f64::from(rep.weight) / total_weight;
        let monthly = ctx.customers as f64 * share * WON_SHARE * MEAN_DEAL / months;
        let ambition = 1.0 + rng.unit() * 0.4;
        let round = |v: f64| ((v * ambition / 10_000.0).round().max(10.0)) * 10_000.0;
        let periods = [
            (format!("{y}"), round(monthly * 12.0)),
            (format!("{y}-Q{q}"), round(monthly * 3.0)),
            (
                format!("{py}年{}", QUARTER_CN[pq as usize - 1]),
                round(monthly * 3.0),
            ),
            (format!("{y}年{m}月"), round(monthly)),
            (format!("{pmy}-{pm:02}"), round(monthly)),
        ];
        for (period, amount) in periods {
            sheet.write_string(row, 0, rep.name)?;
            sheet.write_string(row, 1, &period)?;
            if row == 4 {
                // One amount typed as text in 万.
                sheet.write_string(row, 2, format!("{}万", wan(amount)))?;
            } else {
                sheet.write_number_with_format(row, 2, amount, &money)?;
            }
            row += 1;
        }
    }
    let last = REPS[REPS.len() - 1];
    sheet.write_string(row, 0, last.name)?;
    sheet.write_string(row, 1, "上半年")?;
    sheet.write_number_with_format(row, 2, 1_000_000.0, &money)?;
    workbook.save(path)?;
    Ok(())
}
