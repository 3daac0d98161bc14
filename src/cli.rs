//! The command line: global flags and one subcommand per job (clap derive).
//! Help texts open with examples, so `--help` teaches.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turns a sales team's customer spreadsheets into management reports.
#[derive(Debug, Parser)]
#[command(
    name = "crm-report",
    version,
    about = "Turns a sales team's customer spreadsheets (xlsx/xls/ods/csv, Chinese or English) into trustworthy management reports.",
    after_help = "Examples:\n  crm-report report sample_data/ -o out/\n  crm-report report 客户信息表.xlsx 跟进记录.csv -o out/ --period 2026-Q3\n  crm-report clean 老客户台账.xlsx -o cleaned.xlsx\n  crm-report inspect sample_data/\n  crm-report init-config\n  crm-report validate sample_data/ --fail-on warning\n  crm-report sample -o sample_data/ --customers 300\n\nExit codes: 0 reports written; 1 nothing usable read or an output not written; 2 usage error; 3 validation errors found (validate)."
)]
pub struct Cli {
    /// The job to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the inputs, clean them, compute every metric, write report.xlsx, report.html and summary.json.
    #[command(long_about = REPORT_HELP)]
    Report(ReportArgs),
    /// Write the inputs cleaned into the team's standard form (xlsx, CSV or Parquet) with the issues list.
    #[command(long_about = CLEAN_HELP)]
    Clean(CleanArgs),
    /// Show what was understood of each file and sheet: encoding, kind, header row, column mapping, samples.
    #[command(long_about = INSPECT_HELP)]
    Inspect(InspectArgs),
    /// Check the inputs against the team's standard form: findings by code; exit 3 when errors are found.
    Validate(ValidateArgs),
    /// Write a realistic, messy sample data set (deterministic) for demos and benchmarks.
    Sample(SampleArgs),
    /// Write a commented crm-report.toml with every setting at its default, to edit.
    #[command(long_about = INIT_CONFIG_HELP)]
    InitConfig(InitConfigArgs),
}

/// `report --help`: what it does, then examples.
const REPORT_HELP: &str = "Read the inputs, clean them, compute every metric, write report.xlsx, report.html and summary.json.

Examples:
  crm-report report sample_data/ -o out/
  crm-report report 客户信息表.xlsx 跟进记录.csv -o out/ --period 2026-Q3
  crm-report report data/ -o out/ --as-of 2026-10-31 --lang en
  crm-report report data/ -o out/ --from 2026-01-01 --to 2026-06-30
  crm-report report exports/ -o out/ --config team.toml --kind deals.csv=opportunities
  crm-report report data/ -o out/ --json | jq .funnel.win_rate";

/// `inspect --help`: what it does, then examples.
const INSPECT_HELP: &str = "Show what was understood of each file and sheet: encoding, table kind, header row, column → field mapping, sample values, and the config profiles applied. Run it first when a figure looks wrong, and before writing a profile.

Examples:
  crm-report inspect sample_data/
  crm-report inspect 客户信息表.xlsx --json
  crm-report inspect 商机导出.xlsx --sheet 商机 --kind 商机导出.xlsx=opportunities
  crm-report inspect exports/ --config team.toml      (shows which [[profile]] applied)";

/// `init-config --help`: what it does, then examples.
const INIT_CONFIG_HELP: &str = "Write a config file that lists every setting at its default value, with comments and commented examples of column synonyms, need synonyms and file profiles ([[profile]]: sheet, kind, header row and columns by file-name pattern). Edit it, then run any command: ./crm-report.toml is read by default, another path with --config.

Examples:
  crm-report init-config                        (writes ./crm-report.toml)
  crm-report init-config team.toml --force      (overwrites team.toml)
  crm-report report data/ -o out/ --config team.toml";

/// What `report --help` and `inspect --help` end with (the examples open them).
const INPUT_NOTES: &str = "Inputs: files or directories (read recursively). Settings: ./crm-report.toml or --config FILE (write one with `crm-report init-config`); its [[profile]] tables set the sheet, table kind, header row and column names per file-name pattern; --kind and --sheet win over a profile.";

/// Flags shared by every command that reads inputs.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files or directories (xlsx, xlsm, xlsb, xls, ods, csv, tsv, txt); directories are read recursively.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Config file (default: ./crm-report.toml when it exists).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Force the text encoding of CSV inputs (utf-8, gbk, gb18030, utf-16le…); detected by default.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Force the table kind of a file: FILE=KIND (customers, followups, combined, opportunities, roster, targets, complaints).
    #[arg(long, value_name = "FILE=KIND")]
    pub kind: Vec<String>,
    /// Read only sheets with this name (repeatable); CSV files are one sheet named after the file.
    #[arg(long, value_name = "NAME")]
    pub sheet: Vec<String>,
    /// Fail (exit 1) when any input cannot be read, instead of skipping it.
    #[arg(long)]
    pub strict: bool,
}

/// Language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 中文 (default).
    Zh,
    /// English.
    En,
}

/// `report`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  crm-report report sample_data/ -o out/\n  crm-report report data/ -o out/ --as-of 2026-10-31 --lang en\n  crm-report report data/ -o out/ --period 2026-10      (month; also 2026-Q4, 2026)\n  crm-report report data/ -o out/ --period 2026-Q3 --compare-previous\n  crm-report report data/ -o out/ --from 2026-01-01 --to 2026-06-30\n  crm-report report data/ -o out/ --json | jq .funnel.win_rate",
    after_long_help = INPUT_NOTES
)]
pub struct ReportArgs {
    /// Inputs and reading flags.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory (created if missing).
    #[arg(short, long, default_value = "out")]
    pub output: PathBuf,
    /// The as-of date (YYYY-MM-DD); default: the period's last day, else the latest date in the data not after today.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Report period: a month (2026-03), quarter (2026-Q1) or year (2026).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// Period start (inclusive, YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Period end (inclusive, YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Report language.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Add the previous period's headline figures and the change (month over month, quarter over quarter…); needs a period.
    #[arg(long)]
    pub compare_previous: bool,
    /// Print summary.json to stdout instead of the terminal summary.
    #[arg(long)]
    pub json: bool,
    /// No terminal summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the time and peak memory of each stage (read, normalize, link,
    /// metrics, write) on stderr.
    #[arg(long)]
    pub timings: bool,
    /// Also write one HTML and one xlsx review per sales rep into OUT/reps/.
    #[arg(long)]
    pub by_owner: bool,
    /// Show contact names and phones as written (reports mask them by default: 张*, 138****5678).
    #[arg(long)]
    pub no_mask: bool,
}

/// Output format of `clean`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CleanFormat {
    /// The standard-form workbook (Chinese column labels, changed cells highlighted).
    Xlsx,
    /// One CSV per table (UTF-8 with BOM, columns named by field id).
    Csv,
    /// Parquet, columns typed and named by field id.
    Parquet,
}

/// `clean --help`: what it does, then examples.
const CLEAN_HELP: &str = "Clean the inputs into the team's standard form: customers (duplicates merged), follow-ups, opportunities and complaints, the rows left out, the issues to fix by hand, the merged duplicates and the rules.

The format follows -o's extension, or --format:
  -o cleaned.xlsx        one workbook (Chinese labels, changed cells highlighted, original in a note)
  -o cleaned.csv         cleaned_customers.csv, cleaned_followups.csv, … (columns named by field id)
  -o cleaned.parquet     cleaned_customers.parquet, … (typed: dates, DECIMAL(18,2) amounts)
  -o DIR --format csv    DIR/customers.csv, …
  -o DIR --format parquet
                         DIR/customers/month=2024-03/part-0.parquet, … partitioned by month
                         (rows with no date under month=unknown), for DuckDB, Spark or
                         polars once the data outgrows one machine; docs/metrics.sql
                         has the core metrics as SQL over these files.
CSV and Parquet add a `deals` table: one row per opportunity as the metrics count it.

Examples:
  crm-report clean 老客户台账.xlsx -o cleaned.xlsx
  crm-report clean data/ -o out/cleaned.csv
  crm-report clean data/ -o lake/ --format parquet
  crm-report clean data/ -o cleaned.xlsx --mask-pii";

/// `clean`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  crm-report clean 老客户台账.xlsx -o cleaned.xlsx\n  crm-report clean data/ -o out/cleaned.csv        (writes out/cleaned_customers.csv, …)\n  crm-report clean data/ -o lake/ --format parquet (partitioned by month)\n  crm-report clean data/ -o cleaned.xlsx --mask-pii"
)]
pub struct CleanArgs {
    /// Inputs and reading flags.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output: a .xlsx workbook, a .csv or .parquet name whose stem prefixes one file per table, or a directory with --format.
    #[arg(short, long, default_value = "cleaned.xlsx")]
    pub output: PathBuf,
    /// Output format when -o is a directory (csv: one file per table; parquet: partitioned by month).
    #[arg(long, value_enum)]
    pub format: Option<CleanFormat>,
    /// The as-of date for future-date checks (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Mask contact names (张*) and phones (138****5678) in the output.
    #[arg(long)]
    pub mask_pii: bool,
    /// Language of messages in the issues sheet.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
}

/// `inspect`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  crm-report inspect sample_data/\n  crm-report inspect 客户信息表.xlsx --json",
    after_long_help = INPUT_NOTES
)]
pub struct InspectArgs {
    /// Inputs and reading flags.
    #[command(flatten)]
    pub input: InputArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// What makes `validate` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Only error findings (rows rejected from the metrics).
    Error,
    /// Errors and warnings.
    Warning,
}

/// `validate`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  crm-report validate sample_data/\n  crm-report validate 客户信息表.xlsx --fail-on warning --json > findings.json\n\nExit codes: 0 no errors; 3 errors found (or warnings, with --fail-on warning); 1 nothing readable; 2 usage."
)]
pub struct ValidateArgs {
    /// Inputs and reading flags.
    #[command(flatten)]
    pub input: InputArgs,
    /// The as-of date for future-date checks (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Which severity fails the run.
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Language of messages.
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,
    /// Print every finding as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Format of generated sample tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SampleFormatArg {
    /// Customers as xlsx with title rows, follow-ups as a GBK CSV.
    Xlsx,
    /// Every table as CSV.
    Csv,
}

/// `sample`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  crm-report sample -o sample_data/\n  crm-report sample -o /tmp/bench --customers 100000 --followups-per-customer 5 --format csv"
)]
pub struct SampleArgs {
    /// Output directory.
    #[arg(short, long, default_value = "sample_data")]
    pub output: PathBuf,
    /// Number of customers.
    #[arg(long, default_value_t = 300)]
    pub customers: usize,
    /// Average follow-ups per customer.
    #[arg(long, default_value_t = 4)]
    pub followups_per_customer: usize,
    /// File format.
    #[arg(long, value_enum, default_value = "xlsx")]
    pub format: SampleFormatArg,
    /// Random seed (the same seed gives the same files).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The date the data runs up to (YYYY-MM-DD).
    #[arg(long, default_value = "2026-10-31")]
    pub as_of: String,
}

/// `init-config`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  crm-report init-config\n  crm-report init-config team.toml --force",
    after_long_help = "Exit codes: 0 written; 1 the file could not be written; 2 the file exists (pass --force)."
)]
pub struct InitConfigArgs {
    /// Where to write the config.
    #[arg(default_value = "crm-report.toml", value_name = "PATH")]
    pub path: PathBuf,
    /// Overwrite the file when it exists.
    #[arg(long)]
    pub force: bool,
}
