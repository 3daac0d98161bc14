//! `crm-report validate`: read and clean the inputs, print the findings by
//! code with the first few of each, and exit 3 when there are errors (or
//! warnings with `--fail-on warning`), so it can gate a pipeline.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crm_core::findings::{Code, Finding, Severity};

use crate::cli::{FailOn, LangArg, ValidateArgs};
use crate::error::AppError;
use crate::pipeline::{keep_until_exit, load, parse_day};
use crate::report::i18n::{code_text, Lang};
use crate::report::json;

/// Findings shown per code in the text output.
const FIRST_PER_CODE: usize = 3;

/// A finding with its texts, as `--json` prints it.
#[derive(Debug, Serialize)]
struct FindingOut<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    message: &'static str,
    fix: &'static str,
}

/// Runs the validate command.
pub fn run(args: &ValidateArgs) -> Result<(), AppError> {
    let as_of = args
        .as_of
        .as_deref()
        .map(|s| parse_day("--as-of", s))
        .transpose()?;
    let loaded = load(&args.input, as_of, None)?;
    let lang = match args.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    let findings = &loaded.ds.findings;
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        let all: Vec<FindingOut> = findings
            .iter()
            .map(|f| {
                let t = code_text(lang, f.code);
                FindingOut {
                    finding: f,
                    message: t.message,
                    fix: t.fix,
                }
            })
            .collect();
        // Streamed, one finding a line: a big run has millions.
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut out);
        json::to_writer(&mut buffered, &all)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(buffered))
            .and_then(|()| buffered.flush())
    } else {
        print_findings(&mut out, findings, lang, &loaded.ds.rows)
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.map_err(|e| AppError::output(Path::new("<stdout>"), e))?,
    }
    let failing = findings
        .iter()
        .filter(|f| {
            f.severity == Severity::Error
                || (args.fail_on == FailOn::Warning && f.severity == Severity::Warning)
        })
        .count();
    keep_until_exit(loaded);
    if failing > 0 {
        return Err(AppError::Invalid(failing));
    }
    Ok(())
}

/// The text report: one block per code, most severe first.
fn print_findings(
    out: &mut impl Write,
    findings: &[Finding],
    lang: Lang,
    rows: &crm_core::tables::RowCounts,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{} rows read: {} accepted, {} rejected, {} summary rows skipped; {} findings",
        rows.read,
        rows.accepted,
        rows.rejected,
        rows.skipped,
        findings.len()
    )?;
    let mut by_code: BTreeMap<(Severity, Code), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        by_code.entry((f.severity, f.code)).or_default().push(f);
    }
    for ((severity, code), list) in &by_code {
        let t = code_text(lang, *code);
        writeln!(
            out,
            "\n{:<7} {} ({}) × {} — {}",
            severity.code(),
            code.code(),
            t.title,
            list.len(),
            t.fix
        )?;
        for f in list.iter().take(FIRST_PER_CODE) {
            let place = if f.row > 0 {
                format!("{} › {} row {}", f.file(), f.sheet(), f.row)
            } else {
                format!("{} › {}", f.file(), f.sheet())
            };
            let column = if f.column.is_empty() {
                String::new()
            } else {
                format!(" [{}]", f.column)
            };
            let detail = if f.detail.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.detail)
            };
            writeln!(out, "        {place}{column}: {:?}{detail}", f.value)?;
        }
        if list.len() > FIRST_PER_CODE {
            writeln!(
                out,
                "        … {} more (use --json for all)",
                list.len() - FIRST_PER_CODE
            )?;
        }
    }
    Ok(())
}
