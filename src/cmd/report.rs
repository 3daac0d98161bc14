//! `crm-report report`: read, clean, compute, and write report.xlsx,
//! report.html and summary.json, then print a short summary.

use std::io::Write;
use std::path::Path;
use std::thread::ScopedJoinHandle;
use std::time::Instant;

use crate::cli::{LangArg, ReportArgs};
use crate::error::AppError;
use crate::metrics::compare::{compare, previous};
use crate::metrics::period::Period;
use crate::metrics::{compute, MetricsInput};
use crate::output::{write_atomic, write_atomic_with};
use crate::pipeline::{keep_until_exit, load_with, parse_day, Loaded};
use crate::report::i18n::Lang;
use crate::report::privacy::{Privacy, Shown};
use crate::report::summary::{Compare, Summary};
use crate::report::{html, json, reps, xlsx};
use crm_core::opportunity::build_opportunities;
use crm_core::tables::Projection;

/// File names written into the output directory.
pub const SUMMARY_FILE: &str = "summary.json";
/// The workbook.
pub const XLSX_FILE: &str = "report.xlsx";
/// The HTML report.
pub const HTML_FILE: &str = "report.html";

/// Runs the report command.
pub fn run(args: &ReportArgs) -> Result<(), AppError> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_day("--as-of", s))
        .transpose()?;
    let period = match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => Some(Period::parse(p).ok_or_else(|| {
            AppError::Usage(format!(
                "--period expects a month (2026-03), quarter (2026-Q1) or year (2026), got `{p}`"
            ))
        })?),
        (None, None, None) => None,
        (None, from, to) => Some(Period::range(
            from.as_deref()
                .map(|s| parse_day("--from", s))
                .transpose()?,
            to.as_deref().map(|s| parse_day("--to", s)).transpose()?,
        )),
    };
    // Only metrics are computed: the records keep only the values they read.
    let projection = Projection::Only(crate::metrics::FIELDS_READ);
    // The keyword dictionaries load on a core that has no file left to read.
    let mut loaded = load_with(
        &args.input,
        as_of,
        period.as_ref(),
        !args.quiet,
        projection,
        Some(crate::metrics::keywords::warm_up),
    )?;
    let mut timings = loaded.timings;
    let started = Instant::now();
    if args.compare_previous && period.is_none() {
        return Err(AppError::Usage(
            "--compare-previous needs a period: --period 2026-10 (or a quarter, a year, --from/--to)".into(),
        ));
    }
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let privacy = if args.no_mask {
        Privacy::Show
    } else {
        Privacy::Mask
    };
    // The findings are final once the data is linked: the workbook's
    // findings sheet is made beside the metrics, on a core they leave idle.
    let (summary, list) = std::thread::scope(|scope| {
        let list = scope.spawn(|| {
            let ds = &loaded.ds;
            xlsx::findings_sheet(&ds.findings, &ds.inputs, privacy, lang)
        });
        let summary = compute(&MetricsInput {
            ds: &loaded.ds,
            opps: &loaded.opps,
            pipeline: &loaded.pipeline,
            config: &loaded.config,
            as_of: loaded.as_of,
            period: period.as_ref(),
        });
        let list = list
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (summary, list)
    });
    let mut summary = summary?;
    if let Some(p) = period.as_ref().filter(|_| args.compare_previous) {
        summary.compare = compare_previous(&loaded, p, &summary)?;
    }
    timings.metrics = started.elapsed();
    timings.peak_mb[3] = crate::pipeline::peak_rss_mb();
    let started = Instant::now();
    let dir = &args.output;
    std::fs::create_dir_all(dir).map_err(|e| AppError::output(dir, e))?;
    // Only the summary and the findings are written: the records are freed
    // first, so the writers reuse their memory instead of growing the
    // process (on big inputs, fresh pages cost more than freeing).
    let all_findings = std::mem::take(&mut loaded.ds.findings);
    loaded.free();
    let findings = &all_findings;
    // The outputs are independent: the JSON (unmasked) is written beside
    // the masking of the summary, then the workbook (the longest of the
    // rest) beside the page and the reps' reviews.
    std::thread::scope(|scope| {
        let json = scope.spawn(|| {
            let path = dir.join(SUMMARY_FILE);
            write_atomic_with(&path, |w| write_summary_json(&summary, w))
                .map_err(|e| AppError::output(&path, e))
        });
        let shown = Shown::new(&summary, privacy);
        let reports = std::thread::scope(|scope| {
            let book = scope.spawn(|| {
                let path = dir.join(XLSX_FILE);
                xlsx::write_xlsx(&shown, findings, list, lang, &path)
                    .map_err(|e| AppError::output(&path, e))
            });
            let path = dir.join(HTML_FILE);
            let page = html::render_html(&shown, findings, lang)
                .map_err(|e| AppError::output(&path, e))
                .and_then(|page| {
                    write_atomic(&path, page.as_bytes()).map_err(|e| AppError::output(&path, e))
                })
                .and_then(|()| {
                    if !args.by_owner {
                        return Ok(());
                    }
                    reps::write_rep_reports(&shown, lang, &dir.join(reps::REPS_DIR))
                        .map(drop)
                        .map_err(|e| AppError::output(&e.path, e.message))
                });
            page.and(joined(
                book,
                &dir.join(XLSX_FILE),
                "the workbook writer failed",
            ))
        });
        drop(shown);
        reports.and(joined(
            json,
            &dir.join(SUMMARY_FILE),
            "the JSON writer failed",
        ))
    })?;
    timings.write = started.elapsed();
    timings.peak_mb[4] = crate::pipeline::peak_rss_mb();
    if args.timings {
        eprint!("{}", timings.render());
    }
    let mut out = std::io::stdout().lock();
    let printed = if args.json {
        write_summary_json(&summary, &mut out).and_then(|()| out.flush())
    } else if args.quiet {
        Ok(())
    } else {
        print_summary(&mut out, &summary, dir)
    };
    keep_until_exit((summary, all_findings));
    match printed {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| AppError::output(Path::new("<stdout>"), e)),
    }
}

/// The previous period's headline figures beside this period's: the same
/// metrics computed as of the previous period's last day.
fn compare_previous(
    loaded: &Loaded,
    period: &Period,
    current: &Summary,
) -> Result<Option<Compare>, AppError> {
    let Some(prev) = previous(period) else {
        return Ok(None);
    };
    // Deal findings were raised for the real as-of date already.
    let mut ignored = Vec::new();
    let opps = build_opportunities(&loaded.ds, &loaded.pipeline, prev.to, &mut ignored);
    let before = compute(&MetricsInput {
        ds: &loaded.ds,
        opps: &opps,
        pipeline: &loaded.pipeline,
        config: &loaded.config,
        as_of: prev.to,
        period: Some(&prev),
    })?;
    Ok(Some(compare(current, &before, &prev)))
}

/// What a writer thread returned; its panic reads as `failed` on `path`.
fn joined(
    writer: ScopedJoinHandle<'_, Result<(), AppError>>,
    path: &Path,
    failed: &str,
) -> Result<(), AppError> {
    writer
        .join()
        .unwrap_or_else(|_| Err(AppError::output(path, failed)))
}

/// The summary as JSON (each list element on one line, [`json`]) with a
/// trailing newline.
pub fn write_summary_json(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    // serde_json writes a few bytes at a time: buffered here, each write is
    // a copy, not a call through `dyn Write` (the JSON of a 1M-customer run
    // is 310 MB).
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    json::to_writer(&mut out, summary).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// A percentage for the terminal, `—` for null.
fn pct(r: Option<f64>) -> String {
    r.map_or("—".into(), |r| format!("{:.1}%", r * 100.0))
}

/// The short terminal summary.
fn print_summary(out: &mut impl Write, s: &Summary, dir: &Path) -> std::io::Result<()> {
    let r = &s.rows;
    writeln!(
        out,
        "crm-report {} — as of {}{}",
        s.tool.version,
        s.as_of,
        s.period
            .as_ref()
            .map(|p| format!(", period {p}"))
            .unwrap_or_default()
    )?;
    let sheets = s
        .inputs
        .iter()
        .filter(|i| i.kind != "skipped" && i.kind != "error")
        .count();
    let skipped = s.inputs.len() - sheets;
    writeln!(
        out,
        "  inputs      {sheets} table(s) read, {skipped} sheet(s)/file(s) skipped"
    )?;
    writeln!(
        out,
        "  rows        {} read: {} accepted, {} rejected, {} summary rows skipped ({} blank)",
        r.read, r.accepted, r.rejected, r.skipped, r.blank
    )?;
    writeln!(
        out,
        "  customers   {} ({} duplicate rows merged)",
        s.customers.total, s.customers.duplicates_merged
    )?;
    let f = &s.funnel;
    writeln!(
        out,
        "  funnel      {} won, {} lost, {} open; win rate {} (won / (won + lost)); won amount {:.2}",
        f.won, f.lost, f.open, pct(f.win_rate), f.won_amount
    )?;
    let needs: Vec<String> = s
        .top_needs
        .iter()
        .take(3)
        .map(|n| format!("{} ({})", n.need, n.customers))
        .collect();
    writeln!(
        out,
        "  top needs   {}",
        if needs.is_empty() {
            "—".into()
        } else {
            needs.join(", ")
        }
    )?;
    writeln!(
        out,
        "  cadence     {} of {} tracked customers overdue; compliance {}",
        s.cadence.overdue,
        s.cadence.tracked,
        pct(s.cadence.compliance)
    )?;
    writeln!(
        out,
        "  issues      {} found (counts on the 数据质量 sheet, each on 问题明细)",
        s.quality.issues
    )?;
    writeln!(
        out,
        "  written     {}",
        [SUMMARY_FILE, XLSX_FILE, HTML_FILE]
            .map(|f| dir.join(f).display().to_string())
            .join(", ")
    )?;
    Ok(())
}
