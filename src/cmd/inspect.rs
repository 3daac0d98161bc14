//! `crm-report inspect`: what the tool understood of each file and sheet —
//! encoding, table kind, header row, each column's mapping, row count and
//! sample values. The first thing to run when a number looks wrong.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

use crm_core::config::Config;
use crm_core::ingest::header::is_summary_row;
use crm_core::ingest::read::{collect_inputs, read_file, ReadOptions};
use crm_core::model::{Cell, RawSheet};
use crm_core::normalize::contact::mask_id_numbers;
use crm_core::tables::{needs_all_rows, recognise_with, LoadOptions, SheetOverrides};

use crate::cli::InspectArgs;
use crate::error::AppError;
use crate::pipeline::{forced_kind, kind_overrides, parse_encoding, plan_sheet};

/// How many sample values are shown per column.
const SAMPLES: usize = 5;

/// One column of a sheet as understood.
#[derive(Debug, Serialize)]
pub struct ColumnReport {
    /// Header text as written.
    pub header: String,
    /// Canonical field id, or null for an extra column.
    pub field: Option<String>,
    /// The field's Chinese label.
    pub label: Option<String>,
    /// Up to five distinct sample values.
    pub samples: Vec<String>,
}

/// One sheet (or a file that failed).
#[derive(Debug, Serialize)]
pub struct SheetReport {
    /// File path.
    pub file: String,
    /// Sheet name (empty when the file failed).
    pub sheet: String,
    /// Detected encoding (text files).
    pub encoding: Option<String>,
    /// Table kind, `skipped` or `error`.
    pub kind: String,
    /// 1-based header row.
    pub header_row: Option<usize>,
    /// Non-blank rows under the header.
    pub rows: usize,
    /// Why skipped, or the read error.
    pub note: Option<String>,
    /// The `match` patterns of the config profiles applied to the sheet.
    pub profiles: Vec<String>,
    /// The columns.
    pub columns: Vec<ColumnReport>,
}

/// Runs the inspect command.
pub fn run(args: &InspectArgs) -> Result<(), AppError> {
    let config = Config::load(args.input.config.as_deref())?;
    let pipeline = config.pipeline();
    let overrides = kind_overrides(&args.input.kind)?;
    let read_opts = ReadOptions {
        encoding: parse_encoding(args.input.encoding.as_deref())?,
        ..ReadOptions::default()
    };
    let mut reports = Vec::new();
    for entry in collect_inputs(&args.input.inputs) {
        let (path, result) = match entry {
            Ok(path) => {
                let r = read_file(&path, &read_opts);
                (path, r)
            }
            Err((path, e)) => (path, Err(e)),
        };
        match result {
            Ok(sheets) => {
                let profiles = config.profiles_for(&path);
                let forced = forced_kind(&overrides, &path);
                for mut sheet in sheets {
                    let plan = plan_sheet(&profiles, &args.input.sheet, forced, &sheet.sheet);
                    if let Some(why) = plan.excluded {
                        reports.push(SheetReport {
                            file: sheet.file.clone(),
                            sheet: sheet.sheet.clone(),
                            encoding: sheet.encoding.clone(),
                            kind: "skipped".into(),
                            header_row: None,
                            rows: 0,
                            note: Some(why),
                            profiles: plan.profiles,
                            columns: Vec::new(),
                        });
                        continue;
                    }
                    let opts = LoadOptions {
                        config: &config,
                        pipeline: &pipeline,
                        default_year: 2000,
                        kind: plan.kind,
                        progress: None,
                    };
                    if needs_all_rows(&sheet, &plan.overrides) {
                        sheet.materialize();
                    }
                    let mut report = describe(&sheet, &opts, &plan.overrides);
                    report.profiles = plan.profiles;
                    reports.push(report);
                }
            }
            Err(e) => {
                if args.input.strict {
                    return Err(AppError::Strict(format!("{}: {e}", path.display())));
                }
                reports.push(SheetReport {
                    file: path.display().to_string(),
                    sheet: String::new(),
                    encoding: None,
                    kind: "error".into(),
                    header_row: None,
                    rows: 0,
                    note: Some(e.to_string()),
                    profiles: Vec::new(),
                    columns: Vec::new(),
                })
            }
        }
    }
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_string_pretty(&reports)
            .map_err(std::io::Error::other)
            .and_then(|s| writeln!(out, "{s}"))
    } else {
        print_reports(&mut out, &reports)
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| AppError::output(Path::new("<stdout>"), e)),
    }
}

/// Describes one sheet.
fn describe(sheet: &RawSheet, opts: &LoadOptions, overrides: &SheetOverrides) -> SheetReport {
    let r = recognise_with(sheet, opts, overrides);
    let data_start = r.info.header_row.unwrap_or(0);
    // One pass over the rows (pending rows of a big file are parsed as
    // they come): the data rows are counted, the first distinct values of
    // each column kept as samples.
    let mut samples: Vec<Vec<String>> = vec![Vec::new(); r.info.columns.len()];
    let mut data_rows = 0;
    for (_, row) in sheet.all_rows().skip(data_start) {
        if row.iter().all(Cell::is_blank) {
            continue;
        }
        data_rows += 1;
        // Subtotal and notes rows are left out of the table: not samples.
        if is_summary_row(&row) {
            continue;
        }
        for (c, kept) in samples.iter_mut().enumerate() {
            let Some(cell) = row.get(c).filter(|cell| !cell.is_blank()) else {
                continue;
            };
            if kept.len() == SAMPLES {
                continue;
            }
            // ID card numbers are masked in every output.
            let v = mask_id_numbers(&cell.display());
            if !kept.contains(&v) {
                kept.push(v);
            }
        }
    }
    let columns = r
        .info
        .columns
        .iter()
        .zip(samples)
        .map(|((header, field), samples)| ColumnReport {
            header: header.clone(),
            field: field.map(|f| f.id().to_string()),
            label: field.map(|f| f.label().to_string()),
            samples,
        })
        .collect();
    SheetReport {
        file: r.info.file,
        sheet: r.info.sheet,
        encoding: r.info.encoding,
        kind: r.info.kind,
        header_row: r.info.header_row,
        rows: if r.table.is_some() { data_rows } else { 0 },
        note: r.info.note,
        profiles: Vec::new(),
        columns,
    }
}

/// Shortens a sample for the terminal.
fn short(s: &str) -> String {
    let one_line = s.replace('\n', " ⏎ ");
    if one_line.chars().count() > 24 {
        format!("{}…", one_line.chars().take(23).collect::<String>())
    } else {
        one_line
    }
}

/// Pads text to a display width (CJK characters are two columns wide).
fn pad(s: &str, width: usize) -> String {
    let w = crate::report::svg::text_units(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// The text form of the reports.
fn print_reports(out: &mut impl Write, reports: &[SheetReport]) -> std::io::Result<()> {
    for r in reports {
        let enc = r
            .encoding
            .as_ref()
            .map(|e| format!(" [{e}]"))
            .unwrap_or_default();
        if r.kind == "error" {
            writeln!(
                out,
                "{}{enc}: cannot read — {}",
                r.file,
                r.note.as_deref().unwrap_or("")
            )?;
            continue;
        }
        write!(out, "{}{enc} › {}: {}", r.file, r.sheet, r.kind)?;
        match r.header_row {
            Some(h) => writeln!(out, ", header row {h}, {} data rows", r.rows)?,
            None => writeln!(out)?,
        }
        if !r.profiles.is_empty() {
            writeln!(out, "    profile: {}", r.profiles.join(", "))?;
        }
        if let Some(note) = &r.note {
            let label = if r.kind == "skipped" {
                "skipped"
            } else {
                "note"
            };
            writeln!(out, "    {label}: {note}")?;
        }
        for c in &r.columns {
            let target = match (&c.field, &c.label) {
                (Some(f), Some(l)) => format!("{f} ({l})"),
                _ => "(extra column, kept as is)".into(),
            };
            let samples: Vec<String> = c.samples.iter().map(|s| short(s)).collect();
            writeln!(
                out,
                "    {} → {} {}",
                pad(&short(&c.header), 20),
                pad(&target, 36),
                samples.join(" | ")
            )?;
        }
    }
    Ok(())
}
