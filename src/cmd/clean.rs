//! `crm-report clean`: the inputs cleaned into the team's standard form — a
//! workbook (or one CSV per table) with customers, follow-ups, the issues
//! list, rejected rows, duplicates and the rules.

use std::path::Path;

use crate::cli::{CleanArgs, LangArg};
use crate::error::AppError;
use crate::export::{csv, tables::cleaned_tables, xlsx};
use crate::pipeline::{load, parse_day};
use crate::report::i18n::Lang;

/// Runs the clean command.
pub fn run(args: &CleanArgs) -> Result<(), AppError> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_day("--as-of", s))
        .transpose()?;
    let ext = args
        .output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext != "xlsx" && ext != "csv" {
        return Err(AppError::Usage(format!(
            "-o {}: the output must end in .xlsx (one workbook) or .csv (one CSV per table)",
            args.output.display()
        )));
    }
    let loaded = load(&args.input, as_of, None)?;
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    if let Some(dir) = args.output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| AppError::output(dir, e))?;
    }
    let tables = cleaned_tables(&loaded.ds, &loaded.pipeline, lang, args.mask_pii);
    let written = if ext == "csv" {
        csv::write_tables(&tables, &args.output).map_err(|e| AppError::output(&args.output, e))?
    } else {
        xlsx::write_workbook(&tables, &args.output)
            .map_err(|e| AppError::output(&args.output, e))?;
        vec![args.output.clone()]
    };
    let rows = loaded.ds.rows;
    eprintln!(
        "{} rows read: {} accepted, {} rejected (kept in 未计入的行), {} summary rows skipped; {} customers after merging {} duplicate rows; {} findings",
        rows.read,
        rows.accepted,
        rows.rejected,
        rows.skipped,
        loaded.ds.customers.len(),
        loaded.ds.customers.iter().map(|c| c.merged.len()).sum::<usize>(),
        loaded.ds.findings.len()
    );
    for p in written {
        println!("{}", Path::new(&p).display());
    }
    Ok(())
}
