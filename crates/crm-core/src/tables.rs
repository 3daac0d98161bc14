//! Raw sheets → canonical tables. For each sheet: find the header, classify
//! the table, decide each date column's day/month order, then turn every
//! row into a `Record` (or count it as blank or a summary row), keeping
//! every finding with its place. Combined legacy sheets are split into
//! customers and follow-ups here (schema.md §1).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::cells::{cell_text, normalize_cell, CellContext};
use crate::config::Config;
use crate::findings::{Code, Finding};
use crate::ingest::classify::classify;
use crate::ingest::header::{detect_header, is_summary_row, Header};
use crate::model::{Cell, Origin, RawSheet, Record, TableKind, Value};
use crate::normalize::contact::{find_id_number, mask_id_numbers};
use crate::normalize::date::{order_evidence, DateOrder, OrderEvidence};
use crate::normalize::stage::Pipeline;
use crate::normalize::text::clean_text;
use crate::schema::{Field, FieldKind};

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
    /// Follow-up rows.
    pub followups: Vec<Record>,
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
        let Recognised { mut info, table } = recognise(sheet, opts);
        let Some((header, kind)) = table else {
            self.inputs.push(info);
            return;
        };
        let extra = opts.config.column_synonyms();
        let origin_of = |row: usize| Origin {
            file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
            row,
        };
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
        let orders = self.date_orders(sheet, &header, opts, &origin_of);
        let mut block: Option<Record> = None;
        for (i, row) in sheet.rows.iter().enumerate().skip(header.row + 1) {
            if row.iter().all(Cell::is_blank) {
                self.rows.blank += 1;
                continue;
            }
            self.rows.read += 1;
            info.rows += 1;
            let origin = origin_of(i + 1);
            if is_summary_row(row) {
                self.rows.skipped += 1;
                let first = row
                    .iter()
                    .find(|c| !c.is_blank())
                    .map(cell_text)
                    .unwrap_or_default();
                self.findings
                    .push(Finding::new(Code::SummaryRow, &origin, "", &first));
                continue;
            }
            let ctx = RowContext {
                header: &header,
                orders: &orders,
                opts,
            };
            let record = self.read_row(row, origin, &ctx);
            let accepted = match kind {
                TableKind::Combined => self.add_combined_row(record, &mut block),
                _ => self.add_row(kind, record),
            };
            if accepted {
                self.rows.accepted += 1;
            } else {
                self.rows.rejected += 1;
            }
        }
        self.inputs.push(info);
    }

    /// Decides each date column's day/month order from all its values.
    fn date_orders(
        &mut self,
        sheet: &RawSheet,
        header: &Header,
        opts: &LoadOptions,
        origin_of: &dyn Fn(usize) -> Origin,
    ) -> HashMap<usize, DateOrder> {
        let fallback = opts.config.date_order().unwrap_or(DateOrder::Ymd);
        let mut out = HashMap::new();
        for (c, f) in header.mapping.iter().enumerate() {
            let Some(f) = f else { continue };
            if !matches!(f.kind(), FieldKind::Date | FieldKind::DateTime) {
                continue;
            }
            let (mut day, mut month, mut ambiguous) = (false, false, false);
            for row in sheet.rows.iter().skip(header.row + 1) {
                if let Some(Cell::Text(t)) = row.get(c) {
                    match order_evidence(t) {
                        OrderEvidence::DayFirst => day = true,
                        OrderEvidence::MonthFirst => month = true,
                        OrderEvidence::Ambiguous => ambiguous = true,
                        OrderEvidence::NoEvidence => {}
                    }
                }
            }
            let order = match (day, month) {
                (true, false) => DateOrder::Dmy,
                (false, true) => DateOrder::Mdy,
                _ => {
                    if ambiguous || (day && month) {
                        self.findings.push(
                            Finding::new(
                                Code::AmbiguousDateColumn,
                                &origin_of(header.row + 1),
                                &header.columns[c],
                                "",
                            )
                            .with_detail(format!("{fallback:?}").to_lowercase()),
                        );
                    }
                    fallback
                }
            };
            out.insert(c, order);
        }
        out
    }

    /// Normalizes every mapped cell of a row into a record.
    fn read_row(&mut self, row: &[Cell], origin: Origin, ctx: &RowContext) -> Record {
        let mut record = Record {
            origin,
            values: BTreeMap::new(),
            originals: BTreeMap::new(),
            extras: Vec::new(),
            rejected: false,
        };
        let width = ctx.header.columns.len().max(row.len());
        for c in 0..width {
            let cell = row.get(c).unwrap_or(&Cell::Empty);
            let column = ctx.header.columns.get(c).cloned().unwrap_or_default();
            let mut text = cell_text(cell);
            if find_id_number(&text).is_some() {
                text = mask_id_numbers(&text);
                self.findings
                    .push(Finding::new(Code::IdNumber, &record.origin, &column, &text));
            }
            match ctx.header.mapping.get(c).copied().flatten() {
                None => {
                    if !cell.is_blank() || c < ctx.header.columns.len() {
                        record.extras.push((column, clean_text(&text)));
                    }
                }
                Some(_) if cell.is_blank() => {}
                Some(field) => {
                    let cell_ctx = CellContext {
                        config: ctx.opts.config,
                        pipeline: ctx.opts.pipeline,
                        date_order: ctx.orders.get(&c).copied().unwrap_or(DateOrder::Ymd),
                        default_year: ctx.opts.default_year,
                    };
                    let masked;
                    let cell = if text != cell_text(cell) {
                        masked = Cell::Text(text.clone());
                        &masked
                    } else {
                        cell
                    };
                    let result = normalize_cell(field, cell, &cell_ctx);
                    for (code, detail) in result.findings {
                        self.findings.push(
                            Finding::new(code, &record.origin, &column, &text).with_detail(detail),
                        );
                    }
                    record.originals.insert(field, text);
                    if let Some(v) = result.value {
                        record.values.insert(field, v);
                    }
                }
            }
        }
        record
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
                if record.originals.contains_key(&Field::TargetPeriod)
                    && !record.has(Field::TargetPeriod) =>
            {
                record.rejected = true;
            }
            _ => {}
        }
        let accepted = !record.rejected;
        let table = match kind {
            TableKind::Customers | TableKind::Combined => &mut self.customers,
            TableKind::Followups => &mut self.followups,
            TableKind::Opportunities => &mut self.opportunities,
            TableKind::Roster => &mut self.roster,
            TableKind::Targets => &mut self.targets,
            TableKind::Complaints => &mut self.complaints,
        };
        table.push(record);
        accepted
    }

    /// Raises `missing_customer_name`; an error severity rejects the row.
    fn reject_unnamed(&mut self, record: &mut Record, severity: crate::findings::Severity) {
        let mut f = Finding::new(Code::MissingCustomerName, &record.origin, "", "");
        f.severity = severity;
        if severity == crate::findings::Severity::Error {
            record.rejected = true;
        }
        self.findings.push(f);
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
            customer.originals.retain(|f, _| !is_followup_only(*f));
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
            followup
                .originals
                .retain(|f, _| FOLLOWUP_FIELDS.contains(f));
            followup.extras.clear();
            if let Some(b) = block.as_ref() {
                for f in [Field::CustomerName, Field::CustomerId, Field::Owner] {
                    if let (Some(v), false) = (b.values.get(&f), followup.has(f)) {
                        followup.values.insert(f, v.clone());
                    }
                }
                self.followups.push(followup);
            } else {
                accepted = false;
            }
        }
        accepted
    }
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
    let mut info = recognise_info(sheet);
    if sheet.rows.iter().all(|r| r.iter().all(Cell::is_blank)) {
        info.note = Some("empty sheet".into());
        return Recognised { info, table: None };
    }
    let extra = opts.config.column_synonyms();
    let Some(mut header) = detect_header(&sheet.rows, &extra) else {
        info.note =
            Some("no header row with at least two known column names in the first 30 rows".into());
        return Recognised { info, table: None };
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
        note: None,
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

/// Per-sheet state shared by its rows.
struct RowContext<'a> {
    header: &'a Header,
    orders: &'a HashMap<usize, DateOrder>,
    opts: &'a LoadOptions<'a>,
}

/// True when a value counts as filled (for completeness and merges).
pub fn is_filled(v: Option<&Value>) -> bool {
    match v {
        None => false,
        Some(Value::Text(s)) => !s.is_empty(),
        Some(_) => true,
    }
}
