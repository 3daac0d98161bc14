//! Write a sample or benchmark data set from the command line.
//!
//! ```text
//! cargo run --release -p crm-sample --example generate -- csv 1000000 /tmp/bench 5
//! cargo run -p crm-sample --example generate -- xlsx 300 sample_data
//! ```
//!
//! Arguments, all optional: format (`csv` or `xlsx`), customers, output
//! directory, follow-ups per customer, seed.

use crm_sample::{write_sample, SampleFormat, SampleOptions};
use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let defaults = SampleOptions::default();
    let format = match args.first().map(String::as_str) {
        Some("csv") => SampleFormat::Csv,
        _ => SampleFormat::Xlsx,
    };
    let opts = SampleOptions {
        format,
        customers: args.get(1).map_or(Ok(defaults.customers), |s| s.parse())?,
        followups_per_customer: args
            .get(3)
            .map_or(Ok(defaults.followups_per_customer), |s| s.parse())?,
        seed: args.get(4).map_or(Ok(defaults.seed), |s| s.parse())?,
        ..defaults
    };
    let dir = args.get(2).map_or("sample_data", String::as_str);
    let started = std::time::Instant::now();
    for path in write_sample(&opts, Path::new(dir))? {
        println!("{}", path.display());
    }
    eprintln!("done in {:.1?}", started.elapsed());
    Ok(())
}
