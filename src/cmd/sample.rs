//! `crm-report sample`: write a deterministic, realistically messy data set.

use crate::cli::{SampleArgs, SampleFormatArg};
use crate::error::AppError;
use crate::pipeline::parse_day;

/// Runs the sample command.
pub fn run(args: &SampleArgs) -> Result<(), AppError> {
    let opts = crm_sample::SampleOptions {
        customers: args.customers,
        followups_per_customer: args.followups_per_customer,
        format: match args.format {
            SampleFormatArg::Csv => crm_sample::SampleFormat::Csv,
            SampleFormatArg::Xlsx => crm_sample::SampleFormat::Xlsx,
        },
        seed: args.seed,
        as_of: parse_day("--as-of", &args.as_of)?,
    };
    let files = crm_sample::write_sample(&opts, &args.output)
        .map_err(|e| AppError::Sample(e.to_string()))?;
    for f in files {
        println!("{}", f.display());
    }
    Ok(())
}
