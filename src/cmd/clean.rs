//! `crm-report clean`: the inputs cleaned into the team's standard form — a
//! workbook, one CSV or Parquet file per table, or a month-partitioned
//! Parquet directory — with customers, follow-ups, the issues list, rejected
//! rows, duplicates and the rules.

use std::path::{Path, PathBuf};

use crate::cli::{CleanArgs, CleanFormat, LangArg};
use crate::error::AppError;
use crate::export::tables::cleaned_tables;
use crate::export::typed::{each_typed_table, Source};
use crate::export::{csv, parquet, xlsx};
use crate::pipeline::{keep_until_exit, load, parse_day};
use crate::report::i18n::Lang;

/// Where and how the cleaned data is written.
#[derive(Debug, PartialEq)]
enum Target {
    /// One workbook at this path.
    Workbook(PathBuf),
    /// One file per table: directory, file-name prefix, format.
    Files(PathBuf, String, CleanFormat),
    /// Month-partitioned Parquet under this directory.
    Partitioned(PathBuf),
}

/// The format of an output path's extension, if it names one.
fn format_of(path: &Path) -> Option<CleanFormat> {
    match path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("xlsx") => Some(CleanFormat::Xlsx),
        Some("csv") => Some(CleanFormat::Csv),
        Some("parquet") => Some(CleanFormat::Parquet),
        _ => None,
    }
}

/// Decides the target from `-o` and `--format`.
fn target(output: &Path, format: Option<CleanFormat>) -> Result<Target, AppError> {
    let by_ext = format_of(output);
    let dir_of = |p: &Path| {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf()
    };
    let stem = output
        .file_stem()
        .map(|s| format!("{}_", s.to_string_lossy()))
        .unwrap_or_default();
    match (by_ext, format) {
        (Some(e), Some(f)) if e != f => Err(AppError::Usage(format!(
            "-o {} names a {e:?} file but --format is {f:?}; drop one of them",
            output.display()
        ))),
        (Some(CleanFormat::Xlsx), _) => Ok(Target::Workbook(output.to_path_buf())),
        (Some(f), _) => Ok(Target::Files(dir_of(output), stem, f)),
        (None, Some(CleanFormat::Xlsx)) => Ok(Target::Workbook(output.join("cleaned.xlsx"))),
        (None, Some(CleanFormat::Csv)) => Ok(Target::Files(
            output.to_path_buf(),
            String::new(),
            CleanFormat::Csv,
        )),
        (None, Some(CleanFormat::Parquet)) => Ok(Target::Partitioned(output.to_path_buf())),
        (None, None) => Err(AppError::Usage(format!(
            "-o {}: the output must end in .xlsx (one workbook), .csv or .parquet (one file per table), or be a directory with --format csv|parquet|xlsx",
            output.display()
        ))),
    }
}

/// True for the tables that hold input rows of one kind.
fn is_input_table(name: &str) -> bool {
    matches!(name, "followups" | "opportunities" | "complaints")
}

/// Runs the clean command.
pub fn run(args: &CleanArgs) -> Result<(), AppError> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_day("--as-of", s))
        .transpose()?;
    let target = target(&args.output, args.format)?;
    let loaded = load(&args.input, as_of, None)?;
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let dir = match &target {
        Target::Workbook(p) => p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf),
        Target::Files(d, ..) | Target::Partitioned(d) => Some(d.clone()),
    };
    if let Some(dir) = dir {
        std::fs::create_dir_all(&dir).map_err(|e| AppError::output(&dir, e))?;
    }
    let source = Source {
        ds: &loaded.ds,
        opps: &loaded.opps,
        pipeline: &loaded.pipeline,
        as_of: loaded.as_of,
        config: &loaded.config,
    };
    let written = match &target {
        Target::Workbook(p) => {
            let tables = cleaned_tables(&loaded.ds, &loaded.pipeline, lang, args.mask_pii);
            xlsx::write_workbook(&tables, p).map_err(|e| AppError::output(p, e))?;
            vec![p.clone()]
        }
        // One table at a time: each is written, then dropped.
        Target::Files(dir, prefix, format) => {
            let mut written = Vec::new();
            each_typed_table(&source, lang, args.mask_pii, |t| {
                let one = std::slice::from_ref(&t);
                match format {
                    CleanFormat::Parquet => written.extend(parquet::write_files(one, dir, prefix)?),
                    // An empty opportunities CSV read back would be an
                    // opportunities table, and customers would stop being
                    // opportunities (metrics.md §1): leave empty inputs out.
                    _ if t.rows() == 0 && is_input_table(t.name) => {}
                    _ => written.extend(csv::write_tables(one, dir, prefix)?),
                }
                Ok(())
            })
            .map_err(|e| AppError::output(dir, e))?;
            written
        }
        Target::Partitioned(dir) => {
            let mut written = Vec::new();
            each_typed_table(&source, lang, args.mask_pii, |t| {
                written.extend(parquet::write_partitioned(std::slice::from_ref(&t), dir)?);
                Ok(())
            })
            .map_err(|e| AppError::output(dir, e))?;
            written
        }
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
    keep_until_exit(loaded);
    for p in written {
        println!("{}", p.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_follows_the_extension_or_the_format() {
        let t = |o: &str, f| target(Path::new(o), f);
        assert_eq!(
            t("out/c.xlsx", None).unwrap(),
            Target::Workbook("out/c.xlsx".into())
        );
        assert_eq!(
            t("out/c.csv", None).unwrap(),
            Target::Files("out".into(), "c_".into(), CleanFormat::Csv)
        );
        assert_eq!(
            t("c.parquet", Some(CleanFormat::Parquet)).unwrap(),
            Target::Files(".".into(), "c_".into(), CleanFormat::Parquet)
        );
        assert_eq!(
            t("lake", Some(CleanFormat::Parquet)).unwrap(),
            Target::Partitioned("lake".into())
        );
        assert_eq!(
            t("out", Some(CleanFormat::Csv)).unwrap(),
            Target::Files("out".into(), String::new(), CleanFormat::Csv)
        );
        assert!(t("out", None).is_err());
        assert!(t("c.csv", Some(CleanFormat::Parquet)).is_err());
    }
}
