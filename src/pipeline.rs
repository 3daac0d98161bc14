//! The shared front half of every command: expand the inputs, read each
//! file, build the canonical tables, deduplicate and link, decide the as-of
//! date, and resolve opportunities. Returns data; never prints except the
//! one-line warning for an input that could not be read.

use chrono::{Local, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use crm_core::config::{Config, Profile};
use crm_core::dataset::Dataset;
use crm_core::findings::Finding;
use crm_core::ingest::read::{collect_inputs, read_file, ReadOptions};
use crm_core::model::TableKind;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::{build_opportunities, Opportunity};
use crm_core::tables::{LoadOptions, Projection, SheetOverrides, Tables};

use crate::cli::InputArgs;
use crate::error::AppError;
use crate::metrics::period::Period;

/// The allocator of the whole binary. A run builds and frees millions of
/// small strings and maps; mimalloc does that several times faster than
/// the system allocator, and returns freed memory to the OS more readily.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for the process (Linux; elsewhere
/// nothing). mimalloc asks the kernel for huge pages on its arenas, and a
/// run touches most of its memory once: each first touch of a huge page
/// zeroes 2 MB in the fault, which on the 2-core benchmark machine cost
/// more than the fewer TLB misses gave back (100k customers from xlsx:
/// 3.9–4.1 s → 3.7 s, system time 1.0 → 0.45 s, 70 MB less peak memory;
/// 1M customers: the same time, 50 MB less). A failure changes nothing
/// but speed, so it is ignored.
pub fn use_small_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory
    // of the process; it only sets a flag the kernel reads at page faults.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc's option `purge_delay` (its place in `mi_option_t`, mimalloc 3).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// mimalloc's `mi_option_set`, in the library the allocator links.
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Tells the allocator to keep the memory freed during a run instead of
/// returning it to the OS a second later. A run frees and allocates again
/// at every stage (raw cells, then records, then frames), and each page
/// given back is zeroed by the kernel again when it is touched next, which
/// on the benchmark machine costs half a second to two seconds per GB.
/// Measured (M xlsx, two interleaved rounds of four settings): 2.94–3.17 s
/// keeping it against 3.35–3.47 s with the default delay of 1 s, a fifth
/// fewer page faults, 30–50 MB more peak memory; L csv 20.1–22.5 s
/// against 21.0–23.9 s, 2.3 s less system time, 50–190 MB more peak. A
/// big input returns it at once instead ([`return_freed_memory`]): there
/// the bound on memory comes first.
pub fn keep_freed_memory() {
    set_purge_delay(-1);
}

/// Inputs of at least this many bytes in all are big: their run returns
/// freed memory at once ([`return_freed_memory`]).
const BIG_INPUT_BYTES: u64 = 256 << 20;

/// Tells the allocator to return memory to the OS as soon as it is freed,
/// for a big input, whose peak memory must stay bounded. Memory kept
/// after each stage (the linking's keys and maps, the metrics' frames) is
/// not all reused by the next one: on 1M customers / 5M follow-ups (L
/// csv, two interleaved rounds) keeping it peaked at 2150–2198 MiB in
/// 30.4–31.8 s, returning it at once at 1982–2001 MiB in 33.9–34.3 s
/// (a delay of 100 ms: 2020–2037 MiB, no faster).
fn return_freed_memory() {
    set_purge_delay(0);
}

/// Sets mimalloc's purge delay: milliseconds before freed memory goes
/// back to the OS, −1 for never.
fn set_purge_delay(ms: std::ffi::c_long) {
    // SAFETY: mi_option_set takes plain integers and only stores the value
    // in mimalloc's option table, which it reads atomically.
    unsafe {
        mi_option_set(MI_OPTION_PURGE_DELAY, ms);
    }
}

/// Wall time spent in each stage of a run, for `--timings`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading the first file into raw sheets (later files are read while
    /// earlier ones are normalized).
    pub read: Duration,
    /// From then until every file is normalized: header detection, cell
    /// normalization and row building.
    pub normalize: Duration,
    /// Deduplication, linking, as-of date and opportunities.
    pub link: Duration,
    /// Computing the metrics.
    pub metrics: Duration,
    /// Writing the reports.
    pub write: Duration,
    /// Peak resident memory (MB) at the end of each stage, where the OS tells it.
    pub peak_mb: [Option<u64>; 5],
}

/// The process's peak resident set so far in MB (`VmHWM`, Linux only).
pub fn peak_rss_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

impl Timings {
    /// One line per stage and the total, as printed by `--timings`.
    pub fn render(&self) -> String {
        let stages = [
            ("read", self.read),
            ("normalize", self.normalize),
            ("link", self.link),
            ("metrics", self.metrics),
            ("write", self.write),
        ];
        let total: Duration = stages.iter().map(|(_, d)| *d).sum();
        let mut out = String::from("timings:                 (peak RSS so far)\n");
        for (i, (name, d)) in stages.iter().chain([("total", total)].iter()).enumerate() {
            let peak = self
                .peak_mb
                .get(i)
                .copied()
                .flatten()
                .map(|mb| format!("  {mb:>6} MB"))
                .unwrap_or_default();
            out.push_str(&format!("  {name:<10} {:>8.3} s{peak}\n", d.as_secs_f64()));
        }
        out
    }
}

/// Everything a command needs after reading.
pub struct Loaded {
    /// The linked dataset, findings included.
    pub ds: Dataset,
    /// Opportunities as of the as-of date.
    pub opps: Vec<Opportunity>,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The configuration used.
    pub config: Config,
    /// The stage table.
    pub pipeline: Pipeline,
    /// Time spent reading, normalizing and linking.
    pub timings: Timings,
}

impl Loaded {
    /// Frees everything loaded on two threads: the follow-ups and the
    /// later half of the customers on a second one, the rest on this one.
    /// On 1M customers / 5M follow-ups one thread took 0.48 s for the
    /// follow-ups, 1.22 s for the customers and 0.21 s for the
    /// opportunities: 1.06–1.26 s so, against 1.4 s with only the
    /// follow-ups on the second thread.
    pub fn free(mut self) {
        let followups = std::mem::take(&mut self.ds.followups);
        let later_customers = self.ds.customers.split_off(self.ds.customers.len() / 2);
        std::thread::scope(|scope| {
            scope.spawn(move || drop((followups, later_customers)));
            drop(self);
        });
    }
}

/// Leaves `value` to the operating system, which takes back all of a
/// process's memory at once when it exits, instead of freeing it piece by
/// piece. Only for what a command still holds when nothing is left to do
/// but return to `main`: freeing the findings and summary of a report on
/// 1M customers took 0.5 s after the last file was written.
pub fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Parses a `YYYY-MM-DD` flag.
pub fn parse_day(flag: &str, s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::Usage(format!("{flag} expects a date as YYYY-MM-DD, got `{s}`")))
}

/// True when `--sheet` is not given or names the sheet.
pub fn sheet_selected(wanted: &[String], sheet: &str) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| w.trim() == sheet.trim())
}

/// Parses an `--encoding` label.
pub fn parse_encoding(
    label: Option<&str>,
) -> Result<Option<&'static encoding_rs::Encoding>, AppError> {
    label
        .map(|l| {
            encoding_rs::Encoding::for_label(l.trim().as_bytes())
                .ok_or_else(|| AppError::Usage(format!("--encoding: unknown encoding `{l}`")))
        })
        .transpose()
}

/// Parses `--kind FILE=KIND` values.
pub fn kind_overrides(values: &[String]) -> Result<Vec<(String, TableKind)>, AppError> {
    values
        .iter()
        .map(|v| {
            let (file, kind) = v
                .rsplit_once('=')
                .ok_or_else(|| AppError::Usage(format!("--kind expects FILE=KIND, got `{v}`")))?;
            let kind = TableKind::parse(kind.trim())
                .ok_or_else(|| AppError::Usage(format!("--kind: unknown kind `{kind}` (customers, followups, combined, opportunities, roster, targets, complaints)")))?;
            Ok((file.to_string(), kind))
        })
        .collect()
}

/// The kind forced for a file: by its path as given or by its file name.
pub fn forced_kind(overrides: &[(String, TableKind)], path: &Path) -> Option<TableKind> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    overrides
        .iter()
        .find(|(f, _)| Path::new(f) == path || *f == name)
        .map(|(_, k)| *k)
}

/// How one sheet is read, as the command line and the config's profiles decide.
#[derive(Debug, Clone, Default)]
pub struct SheetPlan {
    /// Why the sheet is not read; `None` when it is.
    pub excluded: Option<String>,
    /// The forced table kind (`--kind` wins over a profile's).
    pub kind: Option<TableKind>,
    /// The header row and column overrides of the profiles.
    pub overrides: SheetOverrides,
    /// The `match` patterns of the profiles that apply to the sheet.
    pub profiles: Vec<String>,
}

/// Decides how one sheet of a file is read. `profiles` are the config's
/// profiles matching the file ([`Config::profiles_for`]), `forced` its
/// `--kind`. Which sheets: those named by `--sheet` when it is given, else
/// those named by the file's profiles when any names one, else all. Every
/// profile that matches the file and names no sheet or this one applies:
/// the first to set the kind or the header row sets it, and the column
/// overrides of all of them are tried in config order. `--kind` wins.
pub fn plan_sheet(
    profiles: &[&Profile],
    wanted: &[String],
    forced: Option<TableKind>,
    sheet: &str,
) -> SheetPlan {
    let mut plan = SheetPlan::default();
    if !wanted.is_empty() {
        if !sheet_selected(wanted, sheet) {
            plan.excluded = Some("excluded by --sheet".into());
        }
    } else {
        let naming: Vec<&str> = profiles
            .iter()
            .filter(|p| p.sheet.is_some())
            .map(|p| p.pattern.as_str())
            .collect();
        if !naming.is_empty()
            && !profiles
                .iter()
                .any(|p| p.sheet.is_some() && p.matches_sheet(sheet))
        {
            plan.excluded = Some(format!(
                "excluded by profile `{}`, which reads another sheet of this file",
                naming.join("`, `")
            ));
        }
    }
    let applying: Vec<&Profile> = profiles
        .iter()
        .copied()
        .filter(|p| p.matches_sheet(sheet))
        .collect();
    plan.kind = forced.or_else(|| applying.iter().find_map(|p| p.table_kind()));
    plan.overrides.header_row = applying.iter().find_map(|p| p.header_row);
    plan.overrides.columns = applying.iter().flat_map(|p| p.column_overrides()).collect();
    plan.profiles = applying.iter().map(|p| p.pattern.clone()).collect();
    plan
}

/// How many input files are read and normalized at once.
const FILES_AT_ONCE: usize = 2;

/// What reading and normalizing one file needs from the run.
struct FileOptions<'a> {
    args: &'a InputArgs,
    config: &'a Config,
    pipeline: &'a Pipeline,
    overrides: &'a [(String, TableKind)],
    read_opts: &'a ReadOptions,
    default_year: i32,
    projection: Projection,
    bar: &'a indicatif::ProgressBar,
}

/// One input file, read and normalized into tables of its own.
struct LoadedFile {
    /// The input as given (or found in a folder).
    path: std::path::PathBuf,
    /// Its tables, or why it could not be read.
    tables: Result<Tables, crm_core::ingest::read::ReadError>,
    /// When its reading ended (the normalizing began).
    read_done: Instant,
    /// Peak resident memory then (MB).
    read_peak_mb: Option<u64>,
}

/// Reads one input and normalizes each of its sheets as the config, the
/// profiles and `--sheet` / `--kind` say.
fn load_file(entry: crm_core::ingest::read::InputEntry, opts: &FileOptions) -> LoadedFile {
    let (path, read) = match entry {
        Ok(path) => {
            opts.bar.set_message(format!("reading {}", path.display()));
            let read = read_file(&path, opts.read_opts);
            (path, read)
        }
        Err((path, e)) => (path, Err(e)),
    };
    let read_done = Instant::now();
    let read_peak_mb = peak_rss_mb();
    // The bar moves as a big CSV's rows are normalized, and by the rest of
    // the file's size when it is done (not when its turn to be appended
    // comes: a big first file would hold the bar still). Rows read again
    // are not counted twice.
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let told = AtomicU64::new(0);
    let tell = |bytes: u64| {
        let before = told.fetch_add(bytes, Ordering::Relaxed);
        opts.bar.inc(bytes.min(size.saturating_sub(before)));
    };
    let tables = read.map(|sheets| {
        opts.bar
            .set_message(format!("normalizing {}", path.display()));
        let mut tables = Tables {
            projection: opts.projection,
            ..Tables::default()
        };
        let profiles = opts.config.profiles_for(&path);
        let forced = forced_kind(opts.overrides, &path);
        for sheet in sheets {
            let plan = plan_sheet(&profiles, &opts.args.sheet, forced, &sheet.sheet);
            if let Some(why) = &plan.excluded {
                tables.add_skipped(&sheet, why);
                continue;
            }
            let load = LoadOptions {
                config: opts.config,
                pipeline: opts.pipeline,
                default_year: opts.default_year,
                kind: plan.kind,
                progress: Some(&tell),
            };
            tables.add_sheet_owned(sheet, &load, &plan.overrides);
        }
        tables
    });
    tell(size.saturating_sub(told.load(Ordering::Relaxed)));
    LoadedFile {
        path,
        tables,
        read_done,
        read_peak_mb,
    }
}

/// Appends one loaded file's tables to the run's; a file that could not
/// be read is a warning and a row of its own in the inputs (an error with
/// `--strict`).
fn append_file(
    tables: &mut Tables,
    file: LoadedFile,
    strict: bool,
    bar: &indicatif::ProgressBar,
) -> Result<(), AppError> {
    let shown = file.path.display().to_string();
    match file.tables {
        Ok(part) => tables.append(part),
        Err(e) => {
            if strict {
                return Err(AppError::Strict(format!("{shown}: {e}")));
            }
            bar.suspend(|| eprintln!("warning: skipped {shown}: {e}"));
            tables.add_file_error(&shown, &e.to_string());
        }
    }
    Ok(())
}

/// Inputs smaller than this (bytes, all files) get no progress bar.
const PROGRESS_MIN_BYTES: u64 = 8 << 20;

/// Reads and links every input.
pub fn load(
    args: &InputArgs,
    as_of: Option<NaiveDate>,
    period: Option<&Period>,
) -> Result<Loaded, AppError> {
    load_with(args, as_of, period, false, Projection::Everything, None)
}

/// A progress bar over the input bytes on stderr, for inputs of more than a
/// few MB; hidden when stderr is not a terminal (indicatif's own check).
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    if total < PROGRESS_MIN_BYTES {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} {wide_msg}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// The size of the input files in all (those that can be read).
fn input_bytes(entries: &[crm_core::ingest::read::InputEntry]) -> u64 {
    entries
        .iter()
        .filter_map(|e| e.as_ref().ok())
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// [`load`], with a progress bar for reading and normalizing when
/// `progress` is true (the input is big and stderr is a terminal), keeping
/// the values `projection` asks for. `idle` is called once by each reading
/// thread that finds no file left to read: work for a core that would
/// otherwise wait for the last file (it should start a thread and return).
pub fn load_with(
    args: &InputArgs,
    as_of: Option<NaiveDate>,
    period: Option<&Period>,
    progress: bool,
    projection: Projection,
    idle: Option<fn()>,
) -> Result<Loaded, AppError> {
    let config = Config::load(args.config.as_deref())?;
    let pipeline = config.pipeline();
    let encoding = parse_encoding(args.encoding.as_deref())?;
    let overrides = kind_overrides(&args.kind)?;
    let today = Local::now().date_naive();
    let fixed_as_of = as_of.or(period.map(|p| p.to));
    let default_year = chrono::Datelike::year(&fixed_as_of.unwrap_or(today));
    let read_opts = ReadOptions {
        encoding,
        ..ReadOptions::default()
    };
    let mut tables = Tables {
        projection,
        ..Tables::default()
    };
    let mut timings = Timings::default();
    let entries = collect_inputs(&args.inputs);
    let total_bytes = input_bytes(&entries);
    if total_bytes >= BIG_INPUT_BYTES {
        return_freed_memory();
    }
    let bar = if progress {
        progress_bar(total_bytes)
    } else {
        indicatif::ProgressBar::hidden()
    };
    // Files are read and normalized side by side by two threads, each file
    // into tables of its own, appended in input order: the outputs are
    // those of reading them one after another. While a workbook is parsed
    // (on one thread), the next files are read and normalized on the other
    // core. At most two files' raw sheets are held at once.
    let file_opts = FileOptions {
        args,
        config: &config,
        pipeline: &pipeline,
        overrides: &overrides,
        read_opts: &read_opts,
        default_year,
        projection,
        bar: &bar,
    };
    let started = Instant::now();
    let mut first_read: Option<Instant> = None;
    let files = entries.len();
    let queue = Mutex::new(entries.into_iter().enumerate());
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| -> Result<(), AppError> {
        let (done, finished) = mpsc::channel::<(usize, LoadedFile)>();
        let workers: Vec<_> = (0..FILES_AT_ONCE.min(files))
            .map(|_| {
                let done = done.clone();
                let (queue, stop, file_opts) = (&queue, &stop, &file_opts);
                scope.spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        let next = queue.lock().map_or(None, |mut q| q.next());
                        let Some((i, entry)) = next else { break };
                        if done.send((i, load_file(entry, file_opts))).is_err() {
                            break;
                        }
                    }
                    // Nothing left to read: this core is free while the
                    // other file is still being read.
                    if let Some(idle) = idle {
                        idle();
                    }
                })
            })
            .collect();
        drop(done);
        // Files finish out of order; they are appended in input order.
        let mut waiting = BTreeMap::new();
        let mut next = 0;
        let appended = finished.iter().try_for_each(|(i, file)| {
            waiting.insert(i, file);
            while let Some(file) = waiting.remove(&next) {
                next += 1;
                if first_read.is_none() {
                    first_read = Some(file.read_done);
                    timings.peak_mb[0] = file.read_peak_mb;
                }
                append_file(&mut tables, file, args.strict, &bar)?;
            }
            Ok(())
        });
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        appended
    })?;
    let first_read = first_read.unwrap_or(started);
    timings.read = first_read - started;
    timings.normalize = first_read.elapsed();
    timings.peak_mb[1] = peak_rss_mb();
    bar.finish_and_clear();
    let rows = tables.rows;
    if rows.read != rows.accepted + rows.rejected + rows.skipped {
        return Err(AppError::NothingRead(format!(
            "internal error: rows read {} ≠ accepted {} + rejected {} + skipped {}; please report this bug",
            rows.read, rows.accepted, rows.rejected, rows.skipped
        )));
    }
    let started = Instant::now();
    let (mut ds, near) = Dataset::build_deferred(tables);
    if ds.customers.is_empty() && ds.followups.is_empty() && ds.opportunities.is_empty() {
        let sheets = ds.inputs.len();
        return Err(AppError::NothingRead(format!(
            "{sheets} sheet(s) looked at, none held a customer, follow-up or opportunity table; run `crm-report inspect` on the files to see what was recognised"
        )));
    }
    let as_of = fixed_as_of
        .or_else(|| ds.infer_as_of(today, pipeline.won()))
        .unwrap_or(today);
    ds.flag_future_dates(as_of, &pipeline);
    let mut deal_findings = Vec::new();
    let opps = build_opportunities(&ds, &pipeline, as_of, &mut deal_findings);
    ds.findings.extend(deal_findings);
    near.join_into(&mut ds);
    ds.findings.sort_by(Finding::place_order);
    timings.link = started.elapsed();
    timings.peak_mb[2] = peak_rss_mb();
    Ok(Loaded {
        ds,
        opps,
        as_of,
        config,
        pipeline,
        timings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{compute, MetricsInput, FIELDS_READ};
    use crm_core::schema::Field;

    extern "C" {
        /// mimalloc's `mi_option_get`.
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    }

    #[test]
    fn the_freed_memory_option_is_mimallocs_purge_delay() {
        // SAFETY: mi_option_get only reads mimalloc's option table.
        let get = || unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        // The option at this place is the purge delay: its default (1000
        // ms in mimalloc 3) or what the environment sets it to. Another
        // option there (another mimalloc's numbering) would not read so.
        let expected = std::env::var("MIMALLOC_PURGE_DELAY")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        let before = get();
        assert!(before == expected || before == -1, "{before}");
        return_freed_memory();
        assert_eq!(get(), 0);
        keep_freed_memory();
        assert_eq!(get(), -1);
    }

    /// Loads `sample_data/` (real workbooks and a GBK CSV, with notes,
    /// e-mails, regions and unmapped columns) keeping `projection`.
    fn load_sample(projection: Projection) -> Loaded {
        let args = InputArgs {
            inputs: vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data")],
            config: None,
            encoding: None,
            kind: Vec::new(),
            sheet: Vec::new(),
            strict: true,
        };
        let as_of = NaiveDate::from_ymd_opt(2026, 10, 31);
        load_with(&args, as_of, None, false, projection, None).expect("sample_data loads")
    }

    /// How often the `idle` hook of the test below was called.
    static IDLE_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    fn count_idle() {
        IDLE_CALLS.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn files_finishing_out_of_order_are_appended_in_input_order() {
        // The first file is big (read last of all), the rest are small and
        // finish first on the other thread; one of them cannot be read.
        let dir = tempfile::tempdir().expect("temp dir");
        let header = "客户名称,联系人,电话,所属行业,客户等级,负责人\n";
        let row = |i: usize| {
            format!(
                "公司{i}有限公司,张三,1380013{:04},制造业,A,李四\n",
                i % 10_000
            )
        };
        let mut big = String::from(header);
        (0..60_000).for_each(|i| big.push_str(&row(i)));
        std::fs::write(dir.path().join("a_big.csv"), big).expect("write");
        for (name, first) in [("b.csv", 70_000), ("c.csv", 80_000), ("e.csv", 90_000)] {
            std::fs::write(dir.path().join(name), format!("{header}{}", row(first)))
                .expect("write");
        }
        std::fs::write(dir.path().join("d.xlsx"), b"not a workbook").expect("write");
        let args = InputArgs {
            inputs: vec![dir.path().to_path_buf()],
            config: None,
            encoding: None,
            kind: Vec::new(),
            sheet: Vec::new(),
            strict: false,
        };
        let as_of = NaiveDate::from_ymd_opt(2026, 10, 31);
        let loaded = load_with(
            &args,
            as_of,
            None,
            false,
            Projection::Everything,
            Some(count_idle),
        )
        .expect("loads");
        let files: Vec<String> = loaded
            .ds
            .inputs
            .iter()
            .map(|i| {
                let name = Path::new(&i.file).file_name().expect("a file name");
                format!("{} {}", name.to_string_lossy(), i.kind)
            })
            .collect();
        assert_eq!(
            files,
            [
                "a_big.csv customers",
                "b.csv customers",
                "c.csv customers",
                "d.xlsx error",
                "e.csv customers"
            ]
        );
        // Customers keep the input order: the big file's first.
        let names: Vec<&str> = loaded
            .ds
            .customers
            .iter()
            .filter_map(|c| c.record.text(Field::CustomerName))
            .collect();
        assert_eq!(names[0], "公司0有限公司");
        assert_eq!(names.len(), 60_003);
        assert_eq!(
            names[60_000..],
            [
                "公司70000有限公司",
                "公司80000有限公司",
                "公司90000有限公司"
            ]
        );
        // Each reading thread found no file left once.
        assert_eq!(IDLE_CALLS.load(Ordering::SeqCst), FILES_AT_ONCE);
        // With --strict, the unreadable file ends the run.
        let strict = InputArgs {
            strict: true,
            ..args
        };
        assert!(matches!(
            load_with(&strict, as_of, None, false, Projection::Everything, None),
            Err(AppError::Strict(_))
        ));
    }

    fn summary_json(loaded: &Loaded) -> serde_json::Value {
        let summary = compute(&MetricsInput {
            ds: &loaded.ds,
            opps: &loaded.opps,
            pipeline: &loaded.pipeline,
            config: &loaded.config,
            as_of: loaded.as_of,
            period: None,
        })
        .expect("metrics compute");
        serde_json::to_value(&summary).expect("summary serializes")
    }

    #[test]
    fn projection_keeps_every_figure() {
        let full = load_sample(Projection::Everything);
        let projected = load_sample(Projection::Only(FIELDS_READ));
        // The projection drops something real: e-mails and notes are read...
        let has = |l: &Loaded, f: Field| l.ds.customers.iter().any(|c| c.record.has(f));
        assert!(has(&full, Field::Email) && !has(&projected, Field::Email));
        assert!(full.ds.followups.iter().any(|l| l.has(Field::Summary)));
        assert!(!projected.ds.followups.iter().any(|l| l.has(Field::Summary)));
        assert!(full
            .ds
            .customers
            .iter()
            .any(|c| !c.record.extras().is_empty()));
        assert!(projected
            .ds
            .customers
            .iter()
            .all(|c| c.record.extras().is_empty()));
        // ...and every figure and finding stays the same.
        assert_eq!(summary_json(&full), summary_json(&projected));
        assert_eq!(full.ds.findings.len(), projected.ds.findings.len());
    }
}
