//! Raw sheets → canonical tables. For each sheet: find the header, classify
//! the table, decide each date column's day/month order, then turn every
//! row into a `Record` (or count it as blank or a summary row), keeping
//! every finding with its place. Combined legacy sheets are split into
//! customers and follow-ups here (schema.md §1).

use std::collections::HashMap;

use serde::Serialize;

use crate::cells::raises_nothing;
use crate::config::Config;
use crate::findings::{Code, Finding};
use crate::followup::Followup;
use crate::ingest::classify::classify;
use crate::ingest::delimited::PendingRows;
use crate::ingest::header::{detect_header, Header};
use crate::model::{Cell, Origin, RawSheet, Record, Source, TableKind, Text, Value};
use crate::normalize::date::{DateOrder, OrderFlags};
use crate::normalize::stage::Pipeline;
use crate::normalize::text::{clean_text, fold_header};
use crate::parallel::worker_count;
use crate::row_reader::{normalize_rows, normalize_runs, Chunk, Row, RowContext, RowItem};
use crate::schema::{Field, FieldKind};
use crate::FastSet;

/// One entry of `summary.json` `inputs`: a sheet (or a file that failed).
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    /// The input file.
    pub file: String,
    /// The sheet; empty when the file itself failed.
    pub sheet: String,
    /// The table kind code, or `skipped` / `error`.
    pub kind: String,
    /// 1-based header row.
    pub header_row: Option<usize>,
    /// Detected encoding (text files).
    pub encoding: Option<String>,
    /// Non-blank data rows read.
    pub rows: usize,
    /// Why the file could not be read.
    pub error: Option<String>,
    /// Why a sheet was skipped.
    pub note: Option<String>,
    /// Column headers and the field each maps to (`None`: kept as extra).
    #[serde(skip)]
    pub columns: Vec<(String, Option<Field>)>,
}

/// Row counts of metrics.md §11: read = accepted + rejected + skipped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RowCounts {
    /// Non-blank data rows read.
    pub read: usize,
    /// Rows used by the metrics.
    pub accepted: usize,
    /// Rows with an error finding, kept in the issues output.
    pub rejected: usize,
    /// Summary and notes rows left out.
    pub skipped: usize,
    /// Blank rows, counted apart.
    pub blank: usize,
}

/// Every canonical table of a run, before deduplication.
#[derive(Debug, Default)]
pub struct Tables {
    /// Customer rows.
    pub customers: Vec<Record>,
    /// Follow-up rows (whole records kept beside them only as
    /// [`Followup::from_record`] says).
    pub followups: Vec<Followup>,
    /// Opportunity rows.
    pub opportunities: Vec<Record>,
    /// Sales roster rows.
    pub roster: Vec<Record>,
    /// Target rows.
    pub targets: Vec<Record>,
    /// Complaint rows.
    pub complaints: Vec<Record>,
    /// What was read, per sheet.
    pub inputs: Vec<InputInfo>,
    /// Findings so far.
    pub findings: Vec<Finding>,
    /// Row counts.
    pub rows: RowCounts,
    /// Column header per (file, sheet, field), for findings raised later.
    pub column_names: HashMap<(String, String, Field), String>,
    /// Which values the records keep (every cell is still normalized and
    /// raises its findings).
    pub projection: Projection,
}

/// Which normalized values the records of a run keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Projection {
    /// Every mapped value and every unmapped column: the cleaned outputs
    /// write them all.
    #[default]
    Everything,
    /// Only the values of these fields and of every date field (dates
    /// after the as-of date raise `future_date` whatever their field); no
    /// unmapped columns. For a run that only computes metrics: millions of
    /// rows are held, and notes and summaries are most of their text.
    Only(&'static [Field]),
}

impl Projection {
    /// True when records keep the values of field `f`.
    pub fn keeps(self, f: Field) -> bool {
        match self {
            Projection::Everything => true,
            Projection::Only(fields) => {
                fields.contains(&f) || matches!(f.kind(), FieldKind::Date | FieldKind::DateTime)
            }
        }
    }

    /// True when the records of a `kind` table keep the original text of
    /// field `f` where its value does not show it ([`Record::originals`]).
    /// With [`Projection::Only`], only the originals read after loading
    /// are kept: those of dates (`future_date` quotes them), those of the
    /// stage and the deal amount on the tables deals are made of (the deal
    /// findings quote them), and the target period's (a target row whose
    /// period did not read is left out). A follow-up's stage or method
    /// differs from its canonical form in most rows of a big log, and
    /// nothing quotes it once the row is read.
    pub fn keeps_original(self, kind: TableKind, f: Field) -> bool {
        match self {
            Projection::Everything => true,
            Projection::Only(_) => {
                let deals = matches!(
                    kind,
                    TableKind::Customers | TableKind::Combined | TableKind::Opportunities
                );
                self.keeps(f)
                    && (matches!(f.kind(), FieldKind::Date | FieldKind::DateTime)
                        || (deals && matches!(f, Field::Stage | Field::DealAmount))
                        || f == Field::TargetPeriod)
            }
        }
    }
}

/// What loading a sheet needs besides the sheet.
pub struct LoadOptions<'a> {
    /// The run's configuration.
    pub config: &'a Config,
    /// The stage table.
    pub pipeline: &'a Pipeline,
    /// Year for dates written without one.
    pub default_year: i32,
    /// A kind forced by `--kind`.
    pub kind: Option<TableKind>,
    /// Told the bytes of a big CSV's rows as each run of them is
    /// normalized (a progress bar's steps); the rows of a sheet read again,
    /// because its date orders changed, are told again.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

/// What a config profile pins for one sheet (`[[profile]]`, config.rs):
/// the header row, and what some columns mean. The forced kind travels in
/// [`LoadOptions::kind`]. The default pins nothing.
#[derive(Debug, Clone, Default)]
pub struct SheetOverrides {
    /// The 1-based row holding the column names; header detection is skipped.
    pub header_row: Option<usize>,
    /// Header text → field, tried before the config's and the built-in synonyms.
    pub columns: Vec<(String, Field)>,
}

impl SheetOverrides {
    /// The synonyms a sheet is read with: these overrides first, then the config's.
    pub fn synonyms(&self, config: &Config) -> Vec<(String, Field)> {
        let mut out = self.columns.clone();
        out.extend(config.column_synonyms());
        out
    }
}

/// Fields of a follow-up row in a combined sheet (besides the customer link).
const FOLLOWUP_FIELDS: &[Field] = &[
    Field::FollowupDate,
    Field::Method,
    Field::Summary,
    Field::CustomerFeedback,
    Field::NextAction,
    Field::DueDate,
    Field::Owner,
    Field::Stage,
];

impl Tables {
    /// Appends the tables of a later input (read and normalized apart, so
    /// that files are read and normalized side by side): its rows, sheets
    /// and findings come after these, as if read here in order.
    pub fn append(&mut self, later: Tables) {
        let Tables {
            customers,
            followups,
            opportunities,
            roster,
            targets,
            complaints,
            inputs,
            findings,
            rows,
            column_names,
            projection: _,
        } = later;
        append_all(&mut self.customers, customers);
        append_all(&mut self.followups, followups);
        append_all(&mut self.opportunities, opportunities);
        append_all(&mut self.roster, roster);
        append_all(&mut self.targets, targets);
        append_all(&mut self.complaints, complaints);
        append_all(&mut self.inputs, inputs);
        append_all(&mut self.findings, findings);
        self.rows.read += rows.read;
        self.rows.accepted += rows.accepted;
        self.rows.rejected += rows.rejected;
        self.rows.skipped += rows.skipped;
        self.rows.blank += rows.blank;
        self.column_names.extend(column_names);
    }

    /// Records a file that could not be read at all.
    pub fn add_file_error(&mut self, file: &str, error: &str) {
        self.inputs.push(InputInfo {
            file: file.to_string(),
            sheet: String::new(),
            kind: "error".into(),
            header_row: None,
            encoding: None,
            rows: 0,
            error: Some(error.to_string()),
            note: None,
            columns: Vec::new(),
        });
    }

    /// Lists a sheet that is not read (e.g. excluded by `--sheet`); its rows are not counted.
    pub fn add_skipped(&mut self, sheet: &RawSheet, note: &str) {
        let mut info = recognise_info(sheet);
        info.note = Some(note.to_string());
        self.inputs.push(info);
    }

    /// Reads one sheet into the tables.
    pub fn add_sheet(&mut self, sheet: &RawSheet, opts: &LoadOptions) {
        self.add_sheet_with(sheet, opts, &SheetOverrides::default());
    }

    /// Reads one sheet into the tables, with what a profile pins for it.
    pub fn add_sheet_with(
        &mut self,
        sheet: &RawSheet,
        opts: &LoadOptions,
        overrides: &SheetOverrides,
    ) {
        if needs_all_rows(sheet, overrides) {
            let mut whole = sheet.clone();
            whole.materialize();
            return self.add_sheet_owned(whole, opts, overrides);
        }
        let Some(prepared) = self.prepare_sheet(sheet, opts, overrides) else {
            return;
        };
        if let Some(pending) = &sheet.pending {
            return self.read_checking_orders(sheet, prepared, &sheet.rows, pending, opts);
        }
        let skip = prepared.header.row + 1;
        let head = sheet.rows.iter().map(Vec::as_slice).enumerate().skip(skip);
        self.read_head_and_pending(sheet, prepared, head, None, opts);
    }

    /// [`Tables::add_sheet_with`] taking the sheet: each raw row is freed
    /// as soon as it is read, and pending rows are parsed run by run where
    /// they are normalized, so the raw cells and the records they become
    /// are not both held whole (peak memory of big inputs).
    pub fn add_sheet_owned(
        &mut self,
        mut sheet: RawSheet,
        opts: &LoadOptions,
        overrides: &SheetOverrides,
    ) {
        if needs_all_rows(&sheet, overrides) {
            sheet.materialize();
        }
        let Some(prepared) = self.prepare_sheet(&sheet, opts, overrides) else {
            return;
        };
        let head = std::mem::take(&mut sheet.rows);
        if let Some(pending) = sheet.pending.take() {
            // The head of a sheet with pending rows is small: it is kept
            // until the sheet is read, in case it is read again.
            return self.read_checking_orders(&sheet, prepared, &head, &pending, opts);
        }
        let skip = prepared.header.row + 1;
        let head = head.into_iter().enumerate().skip(skip);
        self.read_head_and_pending(&sheet, prepared, head, None, opts);
    }

    /// Reads a sheet with pending rows (a big CSV's), whose date columns'
    /// orders were decided from its head alone ([`Tables::prepare_sheet`]):
    /// the evidence of every other row is gathered as the rows are
    /// normalized, instead of in a pass of its own over the file. Where
    /// all the evidence decides otherwise than the head's (rare: the head
    /// holds a hundred rows), what the sheet added is taken back and it is
    /// read again with the orders all its rows decide, so the outcome is
    /// always that of deciding from every row first.
    fn read_checking_orders(
        &mut self,
        sheet: &RawSheet,
        prepared: Prepared,
        head: &[Vec<Cell>],
        pending: &PendingRows,
        opts: &LoadOptions,
    ) {
        let skip = prepared.header.row + 1;
        let rows = || head.iter().map(Vec::as_slice).enumerate().skip(skip);
        let Some(check) = prepared.check.clone() else {
            // Orders decided from every row already: nothing to check.
            self.read_head_and_pending(sheet, prepared, rows(), Some(pending), opts);
            return;
        };
        let mark = self.mark(check.findings);
        let again = Prepared {
            info: prepared.info.clone(),
            header: prepared.header.clone(),
            kind: prepared.kind,
            orders: HashMap::new(),
            check: None,
        };
        let gathered = self.read_head_and_pending(sheet, prepared, rows(), Some(pending), opts);
        let mut all = check.evidence.clone();
        for (flags, more) in all.iter_mut().zip(gathered) {
            flags.join(more);
        }
        let fallback = date_fallback(opts);
        let decided = |evidence: &[OrderFlags]| -> Vec<(DateOrder, bool)> {
            evidence.iter().map(|f| f.decide(fallback)).collect()
        };
        if decided(&all) == decided(&check.evidence) {
            return;
        }
        self.roll_back(&mark);
        let orders = self.decide_orders(sheet, &again.header, &all, opts);
        let again = Prepared { orders, ..again };
        self.read_head_and_pending(sheet, again, rows(), Some(pending), opts);
    }

    /// Where the tables stand, `findings` being the length of the
    /// findings to go back to.
    fn mark(&self, findings: usize) -> Mark {
        Mark {
            tables: [
                self.customers.len(),
                self.followups.len(),
                self.opportunities.len(),
                self.roster.len(),
                self.targets.len(),
                self.complaints.len(),
            ],
            findings,
            inputs: self.inputs.len(),
            rows: self.rows,
        }
    }

    /// Takes back everything added since `mark`.
    fn roll_back(&mut self, mark: &Mark) {
        let [customers, followups, opportunities, roster, targets, complaints] = mark.tables;
        self.customers.truncate(customers);
        self.followups.truncate(followups);
        self.opportunities.truncate(opportunities);
        self.roster.truncate(roster);
        self.targets.truncate(targets);
        self.complaints.truncate(complaints);
        self.findings.truncate(mark.findings);
        self.inputs.truncate(mark.inputs);
        self.rows = mark.rows;
    }

    /// Reads the data rows of a sheet's head, then its pending rows (a big
    /// CSV's), whose runs are parsed and normalized on a thread per core.
    /// Returns the order evidence gathered per column (see [`read_rows`](Tables::read_rows)).
    fn read_head_and_pending<R: AsRef<[Cell]> + Send>(
        &mut self,
        sheet: &RawSheet,
        prepared: Prepared,
        head: impl ExactSizeIterator<Item = (usize, R)> + Send,
        pending: Option<&PendingRows>,
        opts: &LoadOptions,
    ) -> Vec<OrderFlags> {
        let head_rows = head.len();
        let expected = head_rows + pending.map_or(0, PendingRows::len);
        let runs = pending.map(PendingRows::runs).unwrap_or_default();
        self.read_rows(sheet, prepared, expected, opts, |ctx, take| {
            normalize_rows(head, head_rows, ctx, worker_count(), &mut *take);
            normalize_runs(
                &runs,
                |run, each| {
                    run.for_each_row(each);
                    if let Some(told) = opts.progress {
                        told(run.bytes() as u64);
                    }
                },
                ctx,
                worker_count(),
                take,
            );
        })
    }

    /// Recognises a sheet, raises its header findings and decides its date
    /// orders; `None` (the sheet listed as skipped) when it is no table.
    fn prepare_sheet(
        &mut self,
        sheet: &RawSheet,
        opts: &LoadOptions,
        overrides: &SheetOverrides,
    ) -> Option<Prepared> {
        let Recognised { info, table } = recognise_with(sheet, opts, overrides);
        let Some((header, kind)) = table else {
            self.inputs.push(info);
            return None;
        };
        let extra = overrides.synonyms(opts.config);
        let source = std::sync::Arc::new(Source {
            file: Text::from(sheet.file.as_str()),
            sheet: Text::from(sheet.sheet.as_str()),
        });
        let origin_of = |row: usize| Origin::new(&source, row);
        for &c in &header.duplicate_columns {
            let f = crate::schema::match_header(&header.columns[c], &extra);
            let detail = f.map(|f| f.id()).unwrap_or_default();
            self.findings.push(
                Finding::new(
                    Code::DuplicateColumn,
                    &origin_of(header.row + 1),
                    &header.columns[c],
                    "",
                )
                .with_detail(detail),
            );
        }
        for (c, f) in header.mapping.iter().enumerate() {
            if let Some(f) = f {
                self.column_names.insert(
                    (sheet.file.clone(), sheet.sheet.clone(), *f),
                    header.columns[c].clone(),
                );
            }
        }
        // A sheet with pending rows decides from its head here, and checks
        // the decision against the other rows as it reads them.
        let evidence = date_evidence(sheet, &header);
        let findings = self.findings.len();
        let orders = self.decide_orders(sheet, &header, &evidence, opts);
        let check = sheet
            .pending
            .is_some()
            .then_some(OrderCheck { evidence, findings });
        Some(Prepared {
            info,
            header,
            kind,
            orders,
            check,
        })
    }

    /// Turns the data rows of a prepared sheet into records: `normalize`
    /// normalizes the rows with the sheet's context and hands each chunk,
    /// in row order, to the function it is given. Returns the order
    /// evidence of each column's texts where the sheet's date orders are
    /// to be checked (no evidence elsewhere).
    fn read_rows(
        &mut self,
        sheet: &RawSheet,
        prepared: Prepared,
        expected_rows: usize,
        opts: &LoadOptions,
        normalize: impl FnOnce(&RowContext, &mut dyn FnMut(Chunk)),
    ) -> Vec<OrderFlags> {
        let Prepared {
            mut info,
            header,
            kind,
            orders,
            check,
        } = prepared;
        // Per column: true when its texts' order evidence is gathered.
        let gather: Vec<bool> = (0..header.mapping.len())
            .map(|c| check.is_some() && orders.contains_key(&c))
            .collect();
        let mut gathered = vec![OrderFlags::default(); header.mapping.len()];
        // Room for every row at once: growing a table of millions of
        // records by doubling copies it and touches twice the memory.
        if kind != TableKind::Combined {
            match self.table_mut(kind) {
                Some(table) => table.reserve(expected_rows),
                None => self.followups.reserve(expected_rows),
            }
        }
        let source = std::sync::Arc::new(Source {
            file: Text::from(sheet.file.as_str()),
            sheet: Text::from(sheet.sheet.as_str()),
        });
        let column_texts: Vec<Text> = header
            .columns
            .iter()
            .map(|c| Text::from(c.as_str()))
            .collect();
        let kept: Vec<bool> = header
            .mapping
            .iter()
            .map(|f| f.is_some_and(|f| self.projection.keeps(f)))
            .collect();
        let kept_originals: Vec<bool> = header
            .mapping
            .iter()
            .map(|f| f.is_some_and(|f| self.projection.keeps_original(kind, f)))
            .collect();
        let unread: Vec<bool> = header
            .mapping
            .iter()
            .map(|f| f.is_some_and(|f| !self.projection.keeps(f) && raises_nothing(f)))
            .collect();
        let ctx = RowContext {
            source: &source,
            header: &header,
            column_texts: &column_texts,
            kept: &kept,
            kept_originals: &kept_originals,
            unread: &unread,
            keep_extras: self.projection == Projection::Everything,
            compact_followups: kind == TableKind::Followups
                && self.projection != Projection::Everything,
            orders: &orders,
            gather_orders: &gather,
            opts,
        };
        let mut block: Option<Record> = None;
        normalize(&ctx, &mut |chunk| {
            for (flags, more) in gathered.iter_mut().zip(&chunk.orders) {
                flags.join(*more);
            }
            let mut findings = chunk.findings.into_iter();
            for item in chunk.items {
                let (row, raised) = match item {
                    RowItem::Blank => {
                        self.rows.blank += 1;
                        continue;
                    }
                    RowItem::Summary(finding) => {
                        self.rows.read += 1;
                        self.rows.skipped += 1;
                        info.rows += 1;
                        self.findings.push(*finding);
                        continue;
                    }
                    RowItem::Row(record, raised) => (record, raised),
                };
                self.rows.read += 1;
                info.rows += 1;
                self.findings.extend(findings.by_ref().take(raised));
                let accepted = match (kind, row) {
                    (_, Row::Followup(followup)) => self.add_followup(followup),
                    (TableKind::Combined, Row::Record(record)) => {
                        self.add_combined_row(record, &mut block)
                    }
                    (_, Row::Record(record)) => self.add_row(kind, record),
                };
                if accepted {
                    self.rows.accepted += 1;
                } else {
                    self.rows.rejected += 1;
                }
            }
        });
        self.inputs.push(info);
        gathered
    }

    /// Decides each date column's day/month order from its `evidence`
    /// ([`date_evidence`]), raising `ambiguous_date_column` on the header
    /// of a column whose texts do not decide it.
    fn decide_orders(
        &mut self,
        sheet: &RawSheet,
        header: &Header,
        evidence: &[OrderFlags],
        opts: &LoadOptions,
    ) -> HashMap<usize, DateOrder> {
        let fallback = date_fallback(opts);
        let source = std::sync::Arc::new(Source {
            file: Text::from(sheet.file.as_str()),
            sheet: Text::from(sheet.sheet.as_str()),
        });
        let mut out = HashMap::new();
        for c in date_columns(header) {
            let (order, ambiguous) = evidence[c].decide(fallback);
            if ambiguous {
                self.findings.push(
                    Finding::new(
                        Code::AmbiguousDateColumn,
                        &Origin::new(&source, header.row + 1),
                        &header.columns[c],
                        "",
                    )
                    .with_detail(format!("{fallback:?}").to_lowercase()),
                );
            }
            out.insert(c, order);
        }
        out
    }

    /// Adds a row of a single-kind table; false when it is rejected.
    fn add_row(&mut self, kind: TableKind, mut record: Record) -> bool {
        let named = record.has(Field::CustomerName) || record.has(Field::CustomerId);
        match kind {
            TableKind::Customers | TableKind::Followups if !named => {
                self.reject_unnamed(&mut record, Code::MissingCustomerName.severity());
            }
            TableKind::Opportunities if !named => {
                let severity = if record.has(Field::OpportunityId) {
                    crate::findings::Severity::Warning
                } else {
                    crate::findings::Severity::Error
                };
                self.reject_unnamed(&mut record, severity);
            }
            TableKind::Complaints if !named => {
                self.reject_unnamed(&mut record, Code::MissingCustomerName.severity());
            }
            // `unreadable_period` (a warning, raised by the cell) leaves the
            // target row out; it counts as rejected so rows still add up.
            TableKind::Targets
                if record.has_cell(Field::TargetPeriod) && !record.has(Field::TargetPeriod) =>
            {
                record.rejected = true;
            }
            _ => {}
        }
        let accepted = !record.rejected;
        match self.table_mut(kind) {
            Some(table) => table.push(record),
            None => self.push_followup(record),
        }
        accepted
    }

    /// Adds a follow-up made without its record ([`Row::Followup`]), as
    /// [`Tables::add_row`] adds one made of it; false when it is rejected.
    fn add_followup(&mut self, mut followup: Followup) -> bool {
        if !followup.has(Field::CustomerName) && !followup.has(Field::CustomerId) {
            let severity = Code::MissingCustomerName.severity();
            followup.rejected = self.raise_unnamed(&followup.origin, severity);
        }
        let accepted = !followup.rejected;
        self.followups.push(followup);
        accepted
    }

    /// Adds a follow-up row, its whole record kept when the run keeps
    /// every value (the cleaned tables write them).
    fn push_followup(&mut self, record: Record) {
        let keep_record = self.projection == Projection::Everything;
        self.followups
            .push(Followup::from_record(record, keep_record));
    }

    /// The table of records the rows of a sheet of this kind go to;
    /// `None` for follow-ups, which are no records ([`Tables::push_followup`]).
    fn table_mut(&mut self, kind: TableKind) -> Option<&mut Vec<Record>> {
        Some(match kind {
            TableKind::Customers | TableKind::Combined => &mut self.customers,
            TableKind::Followups => return None,
            TableKind::Opportunities => &mut self.opportunities,
            TableKind::Roster => &mut self.roster,
            TableKind::Targets => &mut self.targets,
            TableKind::Complaints => &mut self.complaints,
        })
    }

    /// Raises `missing_customer_name` on the row at `origin`; true when
    /// its severity is an error, which rejects the row.
    fn raise_unnamed(&mut self, origin: &Origin, severity: crate::findings::Severity) -> bool {
        let mut f = Finding::new(Code::MissingCustomerName, origin, "", "");
        f.severity = severity;
        self.findings.push(f);
        severity == crate::findings::Severity::Error
    }

    /// Raises `missing_customer_name` on a record; an error severity rejects it.
    fn reject_unnamed(&mut self, record: &mut Record, severity: crate::findings::Severity) {
        if self.raise_unnamed(&record.origin, severity) {
            record.rejected = true;
        }
    }

    /// A row of a combined sheet: the first row of a block is a customer;
    /// every row with a follow-up date is a follow-up of the block's customer.
    fn add_combined_row(&mut self, record: Record, block: &mut Option<Record>) -> bool {
        let name = record.text(Field::CustomerName).map(str::to_string);
        let id = record.text(Field::CustomerId).map(str::to_string);
        let continues = match (block.as_ref(), &name, &id) {
            (Some(_), None, None) => true,
            (Some(b), n, i) => {
                (n.is_none() || b.text(Field::CustomerName) == n.as_deref())
                    && (i.is_none() || b.text(Field::CustomerId) == i.as_deref())
            }
            (None, _, _) => false,
        };
        let mut accepted = true;
        if !continues {
            let mut customer = record.clone();
            customer.values.retain(|f, _| !is_followup_only(*f));
            customer.retain_originals(|f, _| !is_followup_only(*f));
            if name.is_none() && id.is_none() {
                self.reject_unnamed(&mut customer, Code::MissingCustomerName.severity());
                accepted = false;
            }
            *block = (!customer.rejected).then(|| customer.clone());
            self.customers.push(customer);
        }
        if record.has(Field::FollowupDate) {
            let mut followup = record.clone();
            followup.values.retain(|f, _| FOLLOWUP_FIELDS.contains(f));
            followup.set_extras(Box::default());
            followup.retain_originals(|f, _| FOLLOWUP_FIELDS.contains(f));
            if let Some(b) = block.as_ref() {
                for f in [Field::CustomerName, Field::CustomerId, Field::Owner] {
                    if let (Some(v), false) = (b.values.get(&f), followup.has(f)) {
                        followup.values.insert(f, v.clone());
                    }
                }
                self.push_followup(followup);
            } else {
                accepted = false;
            }
        }
        accepted
    }
}

/// Moves `later` to the end of `list`; an empty list takes it whole (a
/// table of millions of rows usually comes from one file: no copy).
fn append_all<T>(list: &mut Vec<T>, later: Vec<T>) {
    if list.is_empty() {
        *list = later;
    } else {
        list.extend(later);
    }
}

/// True when a sheet's pinned header row lies past the rows parsed so far
/// (the header is looked for only among `rows`): call
/// [`RawSheet::materialize`] first.
pub fn needs_all_rows(sheet: &RawSheet, overrides: &SheetOverrides) -> bool {
    sheet.pending.is_some() && overrides.header_row.is_some_and(|n| n >= sheet.rows.len())
}

/// How a sheet was recognised: its header and table kind, or why it is skipped.
#[derive(Debug)]
pub struct Recognised {
    /// The `inputs` entry (kind `skipped` with a note when not a table).
    pub info: InputInfo,
    /// The header and kind of a table sheet.
    pub table: Option<(Header, TableKind)>,
}

/// Finds a sheet's header and classifies it (a forced kind wins).
pub fn recognise(sheet: &RawSheet, opts: &LoadOptions) -> Recognised {
    recognise_with(sheet, opts, &SheetOverrides::default())
}

/// [`recognise`] with what a profile pins: a pinned header row is taken as
/// it is (no detection), and the column overrides map before any synonym.
/// This is the one place that decides a sheet's header and kind.
pub fn recognise_with(
    sheet: &RawSheet,
    opts: &LoadOptions,
    overrides: &SheetOverrides,
) -> Recognised {
    let mut info = recognise_info(sheet);
    if sheet.rows.iter().all(|r| r.iter().all(Cell::is_blank)) {
        info.note = Some("empty sheet".into());
        return Recognised { info, table: None };
    }
    let extra = overrides.synonyms(opts.config);
    let found = match overrides.header_row {
        Some(n) if n == 0 || n > sheet.rows.len() => Err(format!(
            "header row {n} (set by a profile) is not a row of the sheet (it has {} rows)",
            sheet.rows.len()
        )),
        Some(n) if sheet.rows[n - 1].iter().all(Cell::is_blank) => {
            Err(format!("header row {n} (set by a profile) is blank"))
        }
        Some(n) => Ok(header_at(&sheet.rows, n - 1, &extra)),
        None => detect_header(&sheet.rows, &extra).ok_or_else(|| {
            "no header row with at least two known column names in the first 30 rows".to_string()
        }),
    };
    let mut header = match found {
        Ok(h) => h,
        Err(note) => {
            info.note = Some(note);
            return Recognised { info, table: None };
        }
    };
    info.header_row = Some(header.row + 1);
    info.columns = columns_of(&header);
    let Some(kind) = opts.kind.or_else(|| classify(&header.fields())) else {
        info.note = Some("columns match no table kind (customers, follow-ups, …)".into());
        return Recognised { info, table: None };
    };
    if kind == TableKind::Complaints {
        remap_complaint_status(&mut header);
        info.columns = columns_of(&header);
    }
    info.kind = kind.code().into();
    Recognised {
        info,
        table: Some((header, kind)),
    }
}

/// The header at a row pinned by a profile (0-based `row`). Its cells name
/// the columns; an empty cell takes the text of the cell above when that
/// names a field (the lower row of a two-row header, under a vertical
/// merge). Mapped as a detected header is: the first column of a field
/// wins, later ones stay extra columns; `Status` beside another stage
/// column is the win/loss status.
fn header_at(rows: &[Vec<Cell>], row: usize, extra: &[(String, Field)]) -> Header {
    let text = |c: &Cell| {
        if c.is_blank() {
            String::new()
        } else {
            clean_text(&c.display()).replace('\n', " ")
        }
    };
    let mut columns: Vec<String> = rows[row].iter().map(text).collect();
    let mut group_row = None;
    if let Some(above) = row.checked_sub(1).and_then(|r| rows.get(r)) {
        for (c, cell) in above.iter().enumerate() {
            let t = text(cell);
            if t.is_empty() || crate::schema::match_header(&t, extra).is_none() {
                continue;
            }
            if columns.len() <= c {
                columns.resize(c + 1, String::new());
            }
            if columns[c].is_empty() {
                columns[c] = t;
                group_row = Some(row - 1);
            }
        }
    }
    let mut mapping: Vec<Option<Field>> = columns
        .iter()
        .map(|h| crate::schema::match_header(h, extra))
        .collect();
    if mapping.iter().filter(|m| **m == Some(Field::Stage)).count() > 1 {
        if let Some(i) = (0..columns.len())
            .find(|&i| mapping[i] == Some(Field::Stage) && fold_header(&columns[i]) == "status")
        {
            mapping[i] = Some(Field::DealStatus);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut duplicate_columns = Vec::new();
    for (i, m) in mapping.iter_mut().enumerate() {
        if let Some(f) = *m {
            if !seen.insert(f) {
                *m = None;
                duplicate_columns.push(i);
            }
        }
    }
    Header {
        row,
        group_row,
        columns,
        mapping,
        duplicate_columns,
    }
}

/// A `skipped` inputs entry for a sheet, to be filled in.
fn recognise_info(sheet: &RawSheet) -> InputInfo {
    InputInfo {
        file: sheet.file.clone(),
        sheet: sheet.sheet.clone(),
        kind: "skipped".into(),
        header_row: None,
        encoding: sheet.encoding.clone(),
        rows: 0,
        error: None,
        note: sheet.note.clone(),
        columns: Vec::new(),
    }
}

/// True for fields that belong to a follow-up row only.
fn is_followup_only(f: Field) -> bool {
    matches!(
        f,
        Field::FollowupDate
            | Field::Method
            | Field::Summary
            | Field::CustomerFeedback
            | Field::NextAction
            | Field::DueDate
    )
}

/// In a complaints table, 状态 is the complaint status, not a stage.
fn remap_complaint_status(header: &mut Header) {
    if let Some(c) = header.column_of(Field::Stage) {
        if !header.mapping.contains(&Some(Field::ComplaintStatus)) {
            header.mapping[c] = Some(Field::ComplaintStatus);
        }
    }
}

/// Header texts and their fields, for `inspect` and `inputs`.
fn columns_of(header: &Header) -> Vec<(String, Option<Field>)> {
    header
        .columns
        .iter()
        .cloned()
        .zip(header.mapping.iter().copied())
        .collect()
}

/// A recognised table sheet, ready for its rows to be read.
struct Prepared {
    info: InputInfo,
    header: Header,
    kind: TableKind,
    orders: HashMap<usize, DateOrder>,
    /// For a sheet whose orders were decided from its head alone: what to
    /// check them with ([`Tables::read_checking_orders`]).
    check: Option<OrderCheck>,
}

/// Date orders decided from a sheet's head, to be checked against its
/// other rows.
#[derive(Clone)]
struct OrderCheck {
    /// The head's evidence, per column.
    evidence: Vec<OrderFlags>,
    /// The length of the findings before the decision raised any.
    findings: usize,
}

/// Where the tables stood before a sheet was read ([`Tables::mark`]).
struct Mark {
    /// The length of each table, in field order.
    tables: [usize; 6],
    findings: usize,
    inputs: usize,
    rows: RowCounts,
}

/// The order `opts` falls back on where a column's texts do not decide.
fn date_fallback(opts: &LoadOptions) -> DateOrder {
    opts.config.date_order().unwrap_or(DateOrder::Ymd)
}

/// The columns of `header` mapped to date or date-time fields.
fn date_columns(header: &Header) -> impl Iterator<Item = usize> + '_ {
    header.mapping.iter().enumerate().filter_map(|(c, f)| {
        f.filter(|f| matches!(f.kind(), FieldKind::Date | FieldKind::DateTime))
            .map(|_| c)
    })
}

/// The day/month order evidence of each date column (indexed by column)
/// in the rows of `sheet` under its header: all its rows, but for the
/// pending rows of a big CSV, whose evidence is gathered as they are
/// normalized ([`Tables::read_checking_orders`]). Each column's distinct
/// texts are looked at once.
fn date_evidence(sheet: &RawSheet, header: &Header) -> Vec<OrderFlags> {
    let columns: Vec<usize> = date_columns(header).collect();
    let mut evidence = vec![OrderSeen::default(); header.mapping.len()];
    if !columns.is_empty() {
        for row in sheet.rows.iter().skip(header.row + 1) {
            for &c in &columns {
                if let Some(Cell::Text(t)) = row.get(c) {
                    evidence[c].see(t);
                }
            }
        }
    }
    evidence.iter().map(|e| e.flags).collect()
}

/// The day/month order evidence of one date column so far.
#[derive(Debug, Clone, Default)]
struct OrderSeen {
    flags: OrderFlags,
    /// Texts already looked at (bounded: past the cap, texts are looked at again).
    seen: FastSet<String>,
}

impl OrderSeen {
    /// Distinct texts remembered per column.
    const CAP: usize = 1 << 14;

    fn see(&mut self, text: &str) {
        if self.seen.contains(text) {
            return;
        }
        if self.seen.len() < Self::CAP {
            self.seen.insert(text.to_owned());
        }
        self.flags.see(text);
    }
}

/// True when a value counts as filled (for completeness and merges).
pub fn is_filled(v: Option<&Value>) -> bool {
    match v {
        None => false,
        Some(Value::Text(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Runs `f` with the default config and pipeline, default year 2024.
    pub(crate) fn with_default_options<R>(f: impl FnOnce(&LoadOptions) -> R) -> R {
        let config = Config::default();
        let pipeline = Pipeline::default();
        f(&LoadOptions {
            config: &config,
            pipeline: &pipeline,
            default_year: 2024,
            kind: None,
            progress: None,
        })
    }

    fn sheet(rows: &[&[&str]]) -> RawSheet {
        RawSheet {
            file: "商机导出.xlsx".into(),
            sheet: "商机".into(),
            encoding: None,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            pending: None,
            note: None,
        }
    }

    /// An export whose column names match no known synonym, under a title
    /// row: detection finds no header.
    const EXPORT: &[&[&str]] = &[
        &["商机导出", "来源：系统", "2024年3月"],
        &["客户全称X", "签单金额", "跟单员"],
        &["甲公司", "30万", "王磊"],
        &["乙公司", "12000", "李娜"],
    ];

    #[test]
    fn a_profile_pins_header_kind_and_columns() {
        let config = Config::default();
        let pipeline = Pipeline::default();
        let mut opts = LoadOptions {
            config: &config,
            pipeline: &pipeline,
            default_year: 2024,
            kind: None,
            progress: None,
        };
        let s = sheet(EXPORT);
        assert!(recognise(&s, &opts).table.is_none());
        let overrides = SheetOverrides {
            header_row: Some(2),
            columns: vec![
                ("客户全称X".into(), Field::CustomerName),
                ("签单金额".into(), Field::DealAmount),
                ("跟单员".into(), Field::Owner),
            ],
        };
        opts.kind = Some(TableKind::Opportunities);
        let r = recognise_with(&s, &opts, &overrides);
        let (header, kind) = r.table.expect("a table");
        assert_eq!(kind, TableKind::Opportunities);
        assert_eq!(r.info.header_row, Some(2));
        assert_eq!(
            header.mapping,
            vec![
                Some(Field::CustomerName),
                Some(Field::DealAmount),
                Some(Field::Owner)
            ]
        );
        let mut t = Tables::default();
        t.add_sheet_with(&s, &opts, &overrides);
        assert_eq!(t.opportunities.len(), 2);
        assert_eq!(
            t.opportunities[0].money(Field::DealAmount),
            Some(30_000_000)
        );
        assert_eq!(t.rows.read, 2);
    }

    #[test]
    fn a_pinned_header_joins_the_cell_above_and_reports_bad_rows() {
        with_default_options(|opts| {
            let s = sheet(&[
                &["客户基本信息", "", "跟进状态"],
                &["企业名称", "Status", ""],
                &["甲公司", "won", "成交"],
            ]);
            let pinned = |n| SheetOverrides {
                header_row: Some(n),
                columns: Vec::new(),
            };
            let r = recognise_with(&s, opts, &pinned(2));
            let (header, _) = r.table.expect("a table");
            assert_eq!(header.group_row, Some(0));
            assert_eq!(header.columns[2], "跟进状态");
            assert_eq!(header.column_of(Field::Stage), Some(2));
            for n in [0, 9] {
                let r = recognise_with(&s, opts, &pinned(n));
                assert!(r.table.is_none());
                assert!(r.info.note.unwrap().contains("not a row of the sheet"));
            }
        });
    }

    #[test]
    fn appended_tables_equal_sheets_read_in_order() {
        with_default_options(|opts| {
            let named = |file: &str, rows: &[&[&str]]| RawSheet {
                file: file.into(),
                ..sheet(rows)
            };
            let customers = |file: &str, rows: &[&[&str]]| {
                let mut all: Vec<&[&str]> = vec![&["客户名称", "客户等级", "联系电话", "负责人"]];
                all.extend_from_slice(rows);
                named(file, &all)
            };
            let sheets = [
                customers(
                    "a.xlsx",
                    &[
                        &["甲公司", "A", "13800138000", "王磊"],
                        &["乙公司", "Z", "12345", "李娜"],
                        &["", "", "", ""],
                        &["合计", "", "", ""],
                    ],
                ),
                named(
                    "b.csv",
                    &[
                        &["客户名称", "跟进日期", "跟进方式"],
                        &["甲公司", "2024-03-01", "电话"],
                        &["丙公司", "2024-13-45", "飞鸽"],
                    ],
                ),
                named("c.csv", &[&["说明"], &["本表无数据"]]),
                customers("d.xlsx", &[&["丁公司", "B", "021-5555 1234", ""]]),
            ];
            let mut in_order = Tables::default();
            let mut appended = Tables::default();
            for s in &sheets {
                in_order.add_sheet(s, opts);
                let mut part = Tables::default();
                part.add_sheet(s, opts);
                appended.append(part);
            }
            assert_eq!(in_order.customers.len(), 3);
            assert_eq!(in_order.followups.len(), 2);
            assert_eq!(in_order.rows.blank, 1);
            assert_eq!(in_order.rows.skipped, 1);
            assert!(in_order.findings.len() >= 3);
            let shown = |t: &Tables| {
                format!(
                    "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
                    t.customers, t.followups, t.findings, t.rows, t.inputs
                )
            };
            assert_eq!(shown(&appended), shown(&in_order));
            let names = |t: &Tables| {
                let mut v: Vec<_> = t.column_names.iter().collect();
                v.sort();
                format!("{v:?}")
            };
            assert_eq!(names(&appended), names(&in_order));
            assert_eq!(in_order.column_names.len(), 11);
        });
    }

    /// A big CSV's date orders, decided from its head and checked while
    /// its other rows are read, come out as if decided from every row
    /// first (the sheet with all its rows parsed): whether the other rows
    /// agree, decide what the head left open, or overturn it.
    #[test]
    fn date_orders_checked_while_reading_equal_orders_decided_first() {
        use crate::ingest::read::{read_delimited_bytes, ReadOptions};
        with_default_options(|opts| {
            // (date of the head's first row, of a row past it, of a summary row past it)
            let cases = [
                ("2024-03-01", "2024-03-02", ""),
                ("2024-03-01", "25/03/2024", ""),
                ("03/04/2024", "04/25/2024", ""),
                ("25/03/2024", "04/25/2024", ""),
                ("03/04/2024", "2024-03-02", ""),
                ("2024-03-01", "03/04/2024", ""),
                ("2024-03-01", "2024-03-02", "04/25/2024"),
                ("03/04/2024", "2024-03-02", "25/03/2024"),
            ];
            for (head, tail, summary) in cases {
                let mut csv = String::from("客户名称,跟进日期,下次跟进日期\n");
                for i in 0..400 {
                    let date = match i {
                        0 => head,
                        300 => tail,
                        _ => "2024-05-06",
                    };
                    csv.push_str(&format!(
                        "客户{i},{date},{}\n",
                        if i == 2 { head } else { "" }
                    ));
                    if i == 350 && !summary.is_empty() {
                        csv.push_str(&format!("合计,{summary},\n"));
                    }
                }
                let read = || {
                    read_delimited_bytes(
                        csv.as_bytes(),
                        &ReadOptions::default(),
                        false,
                        "t.csv",
                        "t",
                    )
                    .expect("a sheet")
                };
                assert!(read().pending.is_some(), "rows past the head");
                let mut whole = read();
                whole.materialize();
                assert!(whole.pending.is_none());
                let shown = |t: &Tables| {
                    format!(
                        "{:?}\n{:?}\n{:?}\n{:?}",
                        t.followups, t.findings, t.rows, t.inputs
                    )
                };
                let mut first = Tables::default();
                first.add_sheet(&whole, opts);
                let mut checked = Tables::default();
                checked.add_sheet(&read(), opts);
                let mut owned = Tables::default();
                owned.add_sheet_owned(read(), opts, &SheetOverrides::default());
                let case = format!("{head} / {tail} / {summary}");
                assert_eq!(shown(&checked), shown(&first), "{case}");
                assert_eq!(shown(&owned), shown(&first), "{case}");
                assert_eq!(first.followups.len(), 400, "{case}");
            }
            // The orders the cases decide, as the head's first date reads.
            let first_date = |head: &str, tail: &str| {
                let csv = format!(
                    "客户名称,跟进日期\n客户0,{head}\n{}客户x,{tail}\n",
                    "客户,2024-05-06\n".repeat(300)
                );
                let sheet = read_delimited_bytes(
                    csv.as_bytes(),
                    &ReadOptions::default(),
                    false,
                    "t.csv",
                    "t",
                )
                .expect("a sheet");
                let mut t = Tables::default();
                t.add_sheet_owned(sheet, opts, &SheetOverrides::default());
                let ambiguous = t
                    .findings
                    .iter()
                    .any(|f| f.code == Code::AmbiguousDateColumn);
                (t.followups[0].date(Field::FollowupDate), ambiguous)
            };
            let day = |m, d| chrono::NaiveDate::from_ymd_opt(2024, m, d);
            assert_eq!(first_date("03/04/2024", "04/25/2024"), (day(3, 4), false));
            assert_eq!(first_date("03/04/2024", "25/03/2024"), (day(4, 3), false));
            assert_eq!(first_date("03/04/2024", "2024-01-01"), (day(4, 3), true));
            assert!(first_date("2024-01-01", "03/04/2024").1);
        });
    }
}
