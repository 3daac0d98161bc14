//! Raw rows into records: every mapped cell masked and normalized (each
//! distinct text of a column once, through a per-thread cache), blank and
//! summary rows told apart, findings raised in row order. Big sheets are
//! normalized in chunks on worker threads and handed back in row order, so
//! the tables and findings come out exactly as one thread would make them.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

use crate::cells::{cell_text, normalize_cell, CellContext, CellResult};
use crate::findings::{Code, Finding};
use crate::followup::Followup;
use crate::ingest::header::{is_summary_row, Header};
use crate::model::{shows_original, Cell, FieldMap, Origin, Record, Source, Text, Value};
use crate::normalize::contact::{find_id_number, mask_id_numbers};
use crate::normalize::date::{read_iso_date, DateOrder, OrderFlags};
use crate::normalize::text::clean_text_cow;
use crate::parallel::wait_for_core;
use crate::schema::{Field, FieldKind};
use crate::tables::LoadOptions;
use crate::FastMap;

/// Rows normalized per chunk (and per hand-over between threads).
pub(crate) const CHUNK_ROWS: usize = 4096;

/// One raw row, normalized.
pub(crate) enum RowItem {
    /// A row with no value in any cell.
    Blank,
    /// A subtotal or notes row, left out: its `summary_row` finding (boxed:
    /// such rows are rare, and every item is as big as the biggest kind).
    Summary(Box<Finding>),
    /// A row, and how many findings its cells raised (the next ones in
    /// [`Chunk::findings`]).
    Row(Row, usize),
}

/// A normalized row: its record, or, in a follow-up table whose rows are
/// not kept whole ([`RowContext::compact_followups`]), the follow-up made
/// straight from its cells when it fits in one ([`Followup::fits`]).
#[derive(Debug)]
pub(crate) enum Row {
    /// The row's record.
    Record(Record),
    /// The row's follow-up, no record made.
    Followup(Followup),
}

/// Consecutive rows of a sheet, normalized.
pub(crate) struct Chunk {
    /// One item per row, in row order.
    pub(crate) items: Vec<RowItem>,
    /// The findings of the rows' cells, in row order.
    pub(crate) findings: Vec<Finding>,
    /// The day/month order evidence of the texts of each column whose
    /// evidence is gathered ([`RowContext::gather_orders`]) that the
    /// thread has normalized so far (empty when none is).
    pub(crate) orders: Vec<OrderFlags>,
}

/// The state one thread normalizes rows with.
struct Normalizer<'a> {
    ctx: &'a RowContext<'a>,
    /// The sheet's names, in this thread's own allocation: every record
    /// holds them, and threads counting references to one allocation
    /// take its cache line from each other at every row.
    source: Arc<Source>,
    caches: Vec<ColumnCache>,
    buffers: RowBuffers,
    /// The order evidence gathered so far, per column (see [`Chunk::orders`]).
    orders: Vec<OrderFlags>,
    /// The rows and findings of the last chunk: the next one is given room
    /// for as many at once (chunks are alike), instead of growing.
    last: (usize, usize),
}

impl<'a> Normalizer<'a> {
    fn new(ctx: &'a RowContext<'a>) -> Normalizer<'a> {
        Normalizer {
            ctx,
            source: Arc::new(Source::clone(ctx.source)),
            caches: (0..ctx.header.columns.len())
                .map(|_| ColumnCache::default())
                .collect(),
            buffers: RowBuffers::default(),
            orders: if ctx.gather_orders.contains(&true) {
                vec![OrderFlags::default(); ctx.gather_orders.len()]
            } else {
                Vec::new()
            },
            last: (0, 0),
        }
    }

    /// Normalizes rows given with their 0-based index in the sheet.
    fn chunk<R: AsRef<[Cell]>>(&mut self, rows: impl IntoIterator<Item = (usize, R)>) -> Chunk {
        self.chunk_of(|each| {
            for (i, row) in rows {
                each(i, row.as_ref());
            }
        })
    }

    /// Normalizes the rows `feed` hands to the function it is given (0-based
    /// index in the sheet, cells).
    fn chunk_of(&mut self, feed: impl FnOnce(&mut dyn FnMut(usize, &[Cell]))) -> Chunk {
        let mut chunk = Chunk {
            items: Vec::with_capacity(self.last.0),
            findings: Vec::with_capacity(self.last.1),
            orders: Vec::new(),
        };
        feed(&mut |i, row| self.add_row(&mut chunk, i, row));
        self.last = (chunk.items.len(), chunk.findings.len());
        chunk.orders.clone_from(&self.orders);
        chunk
    }

    /// Normalizes one row into `chunk`.
    fn add_row(&mut self, chunk: &mut Chunk, i: usize, row: &[Cell]) {
        if row.iter().all(Cell::is_blank) {
            chunk.items.push(RowItem::Blank);
            return;
        }
        let origin = Origin::new(&self.source, i + 1);
        if is_summary_row(row) {
            // Left out, but its dates count toward its columns' order.
            let columns = self.orders.iter_mut().zip(self.ctx.gather_orders).zip(row);
            for ((flags, gather), cell) in columns {
                if let (true, Cell::Text(text)) = (*gather, cell) {
                    flags.see(text);
                }
            }
            let first = row
                .iter()
                .find(|c| !c.is_blank())
                .map(cell_text)
                .unwrap_or_default();
            let finding = Finding::new(Code::SummaryRow, &origin, "", &first);
            chunk.items.push(RowItem::Summary(Box::new(finding)));
            return;
        }
        let before = chunk.findings.len();
        let row = read_row(
            row,
            origin,
            self.ctx,
            Caches {
                columns: &mut self.caches,
                orders: &mut self.orders,
            },
            &mut self.buffers,
            &mut chunk.findings,
        );
        let raised = chunk.findings.len() - before;
        chunk.items.push(RowItem::Row(row, raised));
    }
}

/// Normalizes `rows` (0-based index, cells) and hands each chunk to `take`
/// in row order. More than a chunk of rows (`expected`) are normalized by
/// `workers` threads while this thread takes the chunks: a feeding thread
/// batches the rows, and at most a few chunks are in flight, so memory
/// stays bounded whatever the sheet's size.
pub(crate) fn normalize_rows<R, I>(
    rows: I,
    expected: usize,
    ctx: &RowContext,
    workers: usize,
    mut take: impl FnMut(Chunk),
) where
    R: AsRef<[Cell]> + Send,
    I: Iterator<Item = (usize, R)> + Send,
{
    if expected <= CHUNK_ROWS || workers < 2 {
        let mut normalizer = Normalizer::new(ctx);
        let mut rows = rows.peekable();
        while rows.peek().is_some() {
            take(normalizer.chunk(rows.by_ref().take(CHUNK_ROWS)));
        }
        return;
    }
    let (send_rows, rows_in) = sync_channel::<(usize, Vec<(usize, R)>)>(workers * 2);
    // Shared by the workers alone: once they are all gone (a panic taking
    // chunks), the feeder's sends fail instead of blocking.
    let rows_in = Arc::new(Mutex::new(rows_in));
    let (send_done, done) = sync_channel::<(usize, Chunk)>(workers * 2);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut rows = rows.peekable();
            let mut seq = 0;
            while rows.peek().is_some() {
                let batch: Vec<(usize, R)> = rows.by_ref().take(CHUNK_ROWS).collect();
                if send_rows.send((seq, batch)).is_err() {
                    return;
                }
                seq += 1;
            }
        });
        for worker in 0..workers {
            let (rows_in, send_done) = (rows_in.clone(), send_done.clone());
            scope.spawn(move || {
                let mut normalizer = Normalizer::new(ctx);
                while let Some((seq, batch)) = {
                    wait_for_core(worker);
                    next_batch(&rows_in)
                } {
                    if send_done.send((seq, normalizer.chunk(batch))).is_err() {
                        return;
                    }
                }
            });
        }
        drop((rows_in, send_done));
        take_in_order(done, take);
    });
}

/// Normalizes runs of rows that each parse on their own (the pending runs
/// of a big CSV, [`crate::ingest::delimited::PendingRows::runs`]): a worker
/// per core takes the next run and parses and normalizes it on its own
/// thread, so the raw cells are made and freed where they are used and the
/// parsing is shared out too. `take` gets one chunk per run, in run order.
pub(crate) fn normalize_runs<U: Sync>(
    runs: &[U],
    rows_of: impl Fn(&U, &mut dyn FnMut(usize, &[Cell])) + Sync,
    ctx: &RowContext,
    workers: usize,
    mut take: impl FnMut(Chunk),
) {
    if runs.len() < 2 || workers < 2 {
        let mut normalizer = Normalizer::new(ctx);
        for run in runs {
            take(normalizer.chunk_of(|each| rows_of(run, each)));
        }
        return;
    }
    let next_run = AtomicUsize::new(0);
    let (send_done, done) = sync_channel::<(usize, Chunk)>(workers * 2);
    std::thread::scope(|scope| {
        for worker in 0..workers.min(runs.len()) {
            let send_done = send_done.clone();
            let (next_run, rows_of) = (&next_run, &rows_of);
            scope.spawn(move || {
                let mut normalizer = Normalizer::new(ctx);
                loop {
                    wait_for_core(worker);
                    let seq = next_run.fetch_add(1, Ordering::Relaxed);
                    let Some(run) = runs.get(seq) else {
                        return;
                    };
                    let chunk = normalizer.chunk_of(|each| rows_of(run, each));
                    if send_done.send((seq, chunk)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(send_done);
        take_in_order(done, take);
    });
}

/// Hands the chunks numbered from 0 to `take` in their order, whatever the
/// order they arrive in, until every sender is gone.
fn take_in_order(done: Receiver<(usize, Chunk)>, mut take: impl FnMut(Chunk)) {
    let mut waiting: FastMap<usize, Chunk> = FastMap::default();
    let mut next = 0;
    for (seq, chunk) in done {
        waiting.insert(seq, chunk);
        while let Some(chunk) = waiting.remove(&next) {
            take(chunk);
            next += 1;
        }
    }
}

/// The next batch of rows for a worker; `None` once every row is fed.
fn next_batch<T>(rows_in: &Mutex<Receiver<T>>) -> Option<T> {
    // The lock is only poisoned by a worker's panic, which fails the run.
    rows_in.lock().ok()?.recv().ok()
}

/// What a thread keeps per column while it reads rows: the column
/// caches, and the order evidence gathered ([`Normalizer::orders`]).
struct Caches<'c> {
    columns: &'c mut [ColumnCache],
    orders: &'c mut [OrderFlags],
}

/// A row's values, originals and unmapped columns as they are gathered,
/// reused from row to row: each record then gets allocations of exactly
/// their number (millions of rows are held, most with blank cells).
#[derive(Default)]
struct RowBuffers {
    values: Vec<(Field, Value)>,
    originals: Vec<(Field, Text)>,
    extras: Vec<(Text, Text)>,
}

/// Per-sheet state shared by its rows.
pub(crate) struct RowContext<'a> {
    /// The sheet's file and sheet names, shared by every record.
    pub(crate) source: &'a Arc<Source>,
    /// The sheet's header.
    pub(crate) header: &'a Header,
    /// The header's column names, shared by the extras of every row.
    pub(crate) column_texts: &'a [Text],
    /// Per column: true when its field's values are kept ([`Projection`]).
    pub(crate) kept: &'a [bool],
    /// Per column: true when its field's original text is kept where the
    /// value does not show it ([`Projection::keeps_original`]).
    pub(crate) kept_originals: &'a [bool],
    /// Per column: true when its field is not kept and its text cells
    /// raise nothing ([`raises_nothing`]): they are not normalized.
    pub(crate) unread: &'a [bool],
    /// True when records keep their unmapped columns ([`Projection::Everything`]).
    pub(crate) keep_extras: bool,
    /// True when the rows are follow-ups made without their records
    /// where they fit: a follow-up table, its rows not kept whole (the
    /// projection is not [`Projection::Everything`]).
    pub(crate) compact_followups: bool,
    /// The day/month order of each date column.
    pub(crate) orders: &'a HashMap<usize, DateOrder>,
    /// Per column: true when the order evidence of its texts is gathered
    /// as they are normalized ([`Chunk::orders`]); empty when none is.
    pub(crate) gather_orders: &'a [bool],
    /// The run's options.
    pub(crate) opts: &'a LoadOptions<'a>,
}

/// Normalizes every mapped cell of a row into a record. A text cell is
/// looked up in its column's cache first: columns repeat their values
/// (dates, owners, stages, methods, names), and each distinct text is
/// masked and normalized once.
fn read_row(
    row: &[Cell],
    origin: Origin,
    ctx: &RowContext,
    caches: Caches,
    buffers: &mut RowBuffers,
    findings: &mut Vec<Finding>,
) -> Row {
    let Caches {
        columns: caches,
        orders,
    } = caches;

    let width = ctx.header.columns.len().max(row.len());
    for c in 0..width {
        let cell = row.get(c).unwrap_or(&Cell::Empty);
        let column = ctx.header.columns.get(c).map(String::as_str).unwrap_or("");
        let mapping = ctx.header.mapping.get(c).copied().flatten();
        // Free text the run does not keep raises nothing when
        // normalized: only its ID numbers are looked for.
        if let (Cell::Text(raw), Some(true)) = (cell, ctx.unread.get(c)) {
            if find_id_number(raw).is_some() {
                // `unread` is only true for a mapped column, which has a name.
                let column = ctx.column_texts.get(c).cloned();
                findings.push(Finding::shared(
                    Code::IdNumber,
                    &origin,
                    column.unwrap_or_else(crate::findings::empty_text),
                    Text::from(mask_id_numbers(raw)),
                ));
            }
            continue;
        }
        // A date written as the tool writes it needs no cache: reading it
        // is cheaper than a look in a map of thousands of dates, and it
        // gives a value alone (no original, no finding, no order evidence).
        if let (Cell::Text(raw), Some(field)) = (cell, mapping) {
            if field.kind() == FieldKind::Date {
                if let Some(date) = read_iso_date(raw) {
                    if ctx.kept.get(c).copied().unwrap_or(false) {
                        buffers.values.push((field, Value::Date(date)));
                    }
                    continue;
                }
            }
        }
        let cache = match cell {
            Cell::Text(_) => caches.get_mut(c),
            _ => None,
        };
        let fresh;
        let done = match (cell, cache) {
            (Cell::Text(raw), Some(cache)) => match cache.lookup(raw) {
                Some(hit) => hit,
                None => {
                    // A text the cache holds was seen when it was put there.
                    if ctx.gather_orders.get(c) == Some(&true) {
                        if let Some(flags) = orders.get_mut(c) {
                            flags.see(raw);
                        }
                    }
                    let d = normalize_one(c, cell, mapping, ctx);
                    cache.insert(raw, d)
                }
            },
            _ => {
                fresh = normalize_one(c, cell, mapping, ctx);
                &fresh
            }
        };
        let column_text = || {
            ctx.column_texts
                .get(c)
                .cloned()
                .unwrap_or_else(|| Text::from(column))
        };
        if done.masked {
            findings.push(Finding::shared(
                Code::IdNumber,
                &origin,
                column_text(),
                done.text.clone(),
            ));
        }
        match (&done.outcome, mapping) {
            (Outcome::Extra(clean), _) => {
                if ctx.keep_extras && (!cell.is_blank() || c < ctx.header.columns.len()) {
                    buffers.extras.push((column_text(), clean.clone()));
                }
            }
            (Outcome::Blank, _) | (Outcome::Mapped(_), None) => {}
            (Outcome::Mapped(result), Some(field)) => {
                for (code, detail) in &result.findings {
                    findings.push(
                        Finding::shared(*code, &origin, column_text(), done.text.clone())
                            .with_detail(detail),
                    );
                }
                if ctx.kept.get(c).copied().unwrap_or(false) {
                    if !done.shown_by_value && ctx.kept_originals.get(c).copied().unwrap_or(false) {
                        buffers.originals.push((field, done.text.clone()));
                    }
                    if let Some(v) = &result.value {
                        buffers.values.push((field, v.clone()));
                    }
                }
            }
        }
    }
    if ctx.compact_followups
        && buffers.extras.is_empty()
        && Followup::fits(&buffers.values, &buffers.originals)
    {
        return Row::Followup(Followup::from_parts(
            origin,
            &mut buffers.values,
            &mut buffers.originals,
        ));
    }
    let mut record = Record::new(origin);
    record.values = FieldMap::from_pairs(&mut buffers.values);
    record.set_rest(
        FieldMap::from_pairs(&mut buffers.originals),
        buffers.extras.drain(..).collect(),
    );
    Row::Record(record)
}

/// Masks and normalizes one cell of column `c`, raising nothing: the
/// caller raises the findings the result carries, once per row.
fn normalize_one(c: usize, cell: &Cell, mapping: Option<Field>, ctx: &RowContext) -> Normalized {
    // One allocation for the shared text: a text cell is not copied
    // into a String first.
    let written = match cell {
        Cell::Text(s) => std::borrow::Cow::Borrowed(s.as_str()),
        _ => std::borrow::Cow::Owned(cell_text(cell)),
    };
    let masked = find_id_number(&written).is_some();
    let text = if masked {
        Text::from(mask_id_numbers(&written))
    } else {
        Text::from(&*written)
    };
    let outcome = match mapping {
        None => Outcome::Extra(match clean_text_cow(&text) {
            std::borrow::Cow::Borrowed(_) => text.clone(),
            std::borrow::Cow::Owned(clean) => Text::from(clean),
        }),
        Some(_) if cell.is_blank() => Outcome::Blank,
        Some(field) => {
            let cell_ctx = CellContext {
                config: ctx.opts.config,
                pipeline: ctx.opts.pipeline,
                date_order: ctx.orders.get(&c).copied().unwrap_or(DateOrder::Ymd),
                default_year: ctx.opts.default_year,
            };
            let masked_cell;
            let cell = if masked {
                masked_cell = Cell::Text(text.to_string());
                &masked_cell
            } else {
                cell
            };
            Outcome::Mapped(normalize_cell(field, cell, &text, &cell_ctx))
        }
    };
    let shown_by_value = match &outcome {
        Outcome::Mapped(CellResult {
            value: Some(value), ..
        }) => shows_original(value, &text, ctx.opts.pipeline),
        _ => false,
    };
    Normalized {
        text,
        masked,
        outcome,
        shown_by_value,
    }
}

/// One cell masked and normalized: the same text always gives the same
/// result within a column, which is what makes [`ColumnCache`] sound.
#[derive(Debug, Clone)]
struct Normalized {
    /// The cell text, ID numbers masked (shared by every record that has it).
    text: Text,
    /// True when an ID number was masked (an `id_number` finding).
    masked: bool,
    /// What the cell gives the record.
    outcome: Outcome,
    /// True when the value written out is the text itself, so the record
    /// keeps no original apart ([`shows_original`]).
    shown_by_value: bool,
}

/// What a cell gives its record.
#[derive(Debug, Clone)]
enum Outcome {
    /// An unmapped column: its cleaned text.
    Extra(Text),
    /// A mapped column left blank.
    Blank,
    /// A mapped column: its value and findings.
    Mapped(CellResult),
}

/// Distinct text values of one column and their normalized form. Bounded:
/// when it holds [`ColumnCache::CAP`] entries it starts over (rows near
/// each other repeat values: a customer's follow-ups, a month's dates), and
/// a column whose values hardly repeat (notes) stops being cached at all.
/// The last value is kept apart as well: a column often repeats one value
/// row after row (a customer's id, name and owner over its follow-ups),
/// and a look in a map of thousands of values misses the processor's cache.
#[derive(Debug, Default)]
struct ColumnCache {
    map: FastMap<String, Rc<Normalized>>,
    lookups: usize,
    hits: usize,
    off: bool,
    /// The text last looked up or kept, and its result.
    last_raw: String,
    last: Option<Rc<Normalized>>,
}

impl ColumnCache {
    /// Most distinct values kept per column. Each look is a few misses of
    /// the processor's cache (the map's control bytes, its slot, the key,
    /// the result): a map that fits in its second-level cache is looked
    /// in faster than a bigger one misses. On 1M customers / 5M follow-ups
    /// (L csv) normalizing took 12.4–12.5 s with 2^14 against 13.4–14.1 s
    /// with 2^16, at the same peak memory; 100k customers from xlsx
    /// 3.98–4.12 s against 4.11–4.60 s.
    const CAP: usize = 1 << 14;
    /// Looks in the map after which a column whose values come back too
    /// rarely stops keeping them.
    const TRIAL: usize = 20_000;

    fn lookup(&mut self, raw: &str) -> Option<&Normalized> {
        // A repeat is not a look in the map: the map is kept for the
        // values that come back after others, and stops when they do not.
        if self.last.is_some() && self.last_raw == raw {
            return self.last.as_deref();
        }
        if self.off {
            return None;
        }
        self.lookups += 1;
        if self.lookups == Self::TRIAL && self.hits * 4 < self.lookups {
            self.off = true;
            self.map = FastMap::default();
            return None;
        }
        let hit = Rc::clone(self.map.get(raw)?);
        self.hits += 1;
        Some(self.remember(raw, hit))
    }

    /// Keeps `d` for `raw` (starting over when full), and returns it.
    fn insert(&mut self, raw: &str, d: Normalized) -> &Normalized {
        let d = Rc::new(d);
        if !self.off {
            if self.map.len() >= Self::CAP {
                self.map.clear();
            }
            self.map.insert(raw.to_string(), Rc::clone(&d));
        }
        self.remember(raw, d)
    }

    /// Makes `d` the result of the last text, `raw`, and returns it.
    fn remember(&mut self, raw: &str, d: Rc<Normalized>) -> &Normalized {
        self.last_raw.clear();
        self.last_raw.push_str(raw);
        self.last.insert(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::header::detect_header;
    use crate::normalize::stage::Pipeline;

    /// A column cache gives each text the result kept for that text: on a
    /// repeat, from the map, after the map starts over, and once a column
    /// whose values never come back has stopped keeping them (its repeats
    /// are still found).
    #[test]
    fn a_column_cache_gives_each_text_its_own_result() {
        // Looks `raw` up, normalizing it on a miss; true on a miss.
        fn look(cache: &mut ColumnCache, raw: &str) -> bool {
            let (text, missed) = match cache.lookup(raw) {
                Some(hit) => (hit.text.to_string(), false),
                None => {
                    let result = Normalized {
                        text: Text::from(raw),
                        masked: false,
                        outcome: Outcome::Blank,
                        shown_by_value: true,
                    };
                    (cache.insert(raw, result).text.to_string(), true)
                }
            };
            assert_eq!(text, raw);
            missed
        }
        // Values that come back: each is normalized once, repeats or not.
        let mut cache = ColumnCache::default();
        let misses = (0..3 * ColumnCache::TRIAL)
            .filter(|i| look(&mut cache, &format!("d{}", i / 3 % 50)))
            .count();
        assert!(!cache.off);
        assert_eq!(misses, 50);
        // More distinct values than the map holds: it starts over.
        let mut cache = ColumnCache::default();
        for round in 0..2 {
            for i in 0..ColumnCache::CAP + 10 {
                look(&mut cache, &format!("v{}", i % 7 + 7 * (i / 7) * round));
            }
        }
        assert!(cache.map.len() <= ColumnCache::CAP);
        // Values that never come back, each three times in a row: the map
        // stops, and the repeats are still not normalized again.
        let mut cache = ColumnCache::default();
        let misses = (0..3 * (ColumnCache::TRIAL + 100))
            .filter(|i| look(&mut cache, &format!("id{}", i / 3)))
            .count();
        assert!(cache.off);
        assert!(cache.map.is_empty());
        assert_eq!(misses, ColumnCache::TRIAL + 100);
    }

    /// `n` data rows under a header: names, e-mails (every 7th invalid, raising a
    /// finding), dates, blank rows and subtotal rows.
    fn rows(n: usize) -> Vec<Vec<Cell>> {
        let text = |s: String| Cell::Text(s);
        let mut rows = vec![["企业名称", "邮箱", "跟进日期", "备注"]
            .map(|h| text(h.into()))
            .to_vec()];
        for i in 0..n {
            rows.push(match i % 101 {
                0 => Vec::new(),
                50 => vec![text("合计".into()), text(i.to_string())],
                _ => vec![
                    text(format!("公司{}", i % 977)),
                    text(if i % 7 == 0 {
                        format!("bad{i}")
                    } else {
                        format!("a{}@b.cn", i % 13)
                    }),
                    text(format!("2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1)),
                    Cell::Empty,
                ],
            });
        }
        rows
    }

    /// How the rows are handed to the normalizer.
    #[derive(Clone, Copy, Debug)]
    enum Feed {
        /// One iterator of rows ([`normalize_rows`]).
        Rows,
        /// Runs of this many rows ([`normalize_runs`]).
        Runs(usize),
    }

    /// Normalizes `n` [`rows`] with `workers`, handing each chunk to `take`.
    fn normalize_with(n: usize, workers: usize, feed: Feed, take: impl FnMut(Chunk)) {
        let rows = rows(n);
        let header = detect_header(&rows, &[]).expect("a header");
        let (config, pipeline) = (Config::default(), Pipeline::default());
        let opts = LoadOptions {
            config: &config,
            pipeline: &pipeline,
            default_year: 2024,
            kind: None,
            progress: None,
        };
        let column_texts: Vec<Text> = header
            .columns
            .iter()
            .map(|c| Text::from(c.as_str()))
            .collect();
        let kept = vec![true; header.columns.len()];
        let unread = vec![false; header.columns.len()];
        let orders = HashMap::new();
        let source = Arc::new(Source {
            file: "f.csv".into(),
            sheet: "f".into(),
        });
        let ctx = RowContext {
            source: &source,
            header: &header,
            column_texts: &column_texts,
            kept: &kept,
            kept_originals: &kept,
            unread: &unread,
            keep_extras: true,
            compact_followups: false,
            orders: &orders,
            gather_orders: &[],
            opts: &opts,
        };
        match feed {
            Feed::Rows => {
                let data = rows.iter().enumerate().skip(1);
                normalize_rows(data, rows.len(), &ctx, workers, take);
            }
            Feed::Runs(size) => {
                let starts = (1..rows.len()).step_by(size);
                let runs: Vec<_> = starts.map(|i| i..(i + size).min(rows.len())).collect();
                let rows_of = |run: &std::ops::Range<usize>,
                               each: &mut dyn FnMut(usize, &[Cell])| {
                    run.clone().for_each(|i| each(i, &rows[i]));
                };
                normalize_runs(&runs, rows_of, &ctx, workers, take);
            }
        }
    }

    /// Every chunk's items and findings, as text, normalized by `workers`.
    fn normalized(workers: usize, feed: Feed) -> (Vec<String>, Vec<String>) {
        let (mut items, mut findings) = (Vec::new(), Vec::new());
        normalize_with(CHUNK_ROWS * 3 + 17, workers, feed, |chunk| {
            for item in chunk.items {
                items.push(match item {
                    RowItem::Blank => "blank".to_string(),
                    RowItem::Summary(f) => format!("summary {f:?}"),
                    RowItem::Row(r, n) => format!("{n} {r:?}"),
                });
            }
            findings.extend(chunk.findings.iter().map(|f| format!("{f:?}")));
        });
        (items, findings)
    }

    #[test]
    fn a_panic_taking_chunks_ends_the_threads() {
        // The feeder and the workers must not wait forever for a taker
        // that is gone: the panic comes back instead of a hang. (More
        // chunks than the channels hold, so the feeder would block.)
        for feed in [Feed::Rows, Feed::Runs(100)] {
            let (send, receive) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let result = std::panic::catch_unwind(|| {
                    normalize_with(CHUNK_ROWS * 12, 2, feed, |_| panic!("taken"))
                });
                let _ = send.send(result.is_err());
            });
            let panicked = receive.recv_timeout(std::time::Duration::from_secs(20));
            assert_eq!(panicked, Ok(true), "{feed:?}");
        }
    }

    #[test]
    fn workers_give_what_one_thread_gives() {
        let (items, findings) = normalized(1, Feed::Rows);
        assert_eq!(items.len(), CHUNK_ROWS * 3 + 17);
        assert!(items.iter().any(|i| i == "blank"));
        assert!(items.iter().any(|i| i.starts_with("summary")));
        assert!(findings.len() > CHUNK_ROWS / 7 * 2);
        for workers in [1, 2, 3] {
            for feed in [Feed::Rows, Feed::Runs(999), Feed::Runs(CHUNK_ROWS * 5)] {
                let (i, f) = normalized(workers, feed);
                assert!(i == items, "{workers} workers, {feed:?}: rows changed");
                assert!(
                    f == findings,
                    "{workers} workers, {feed:?}: findings changed"
                );
            }
        }
    }
}
