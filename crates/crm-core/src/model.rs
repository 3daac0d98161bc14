//! The data that flows between stages: raw cells and sheets as read from a
//! file, and the canonical records they become. Nothing here reads files or
//! normalizes values; it only names the shapes.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::ingest::delimited::PendingRows;
use crate::schema::Field;
use std::borrow::Cow;

/// One cell as a reader found it, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text (from a CSV every non-empty cell is text).
    Text(String),
    /// A number cell.
    Number(f64),
    /// A real date cell of a workbook, already in the right date system.
    DateTime(NaiveDateTime),
    /// A boolean cell.
    Bool(bool),
    /// An error cell such as `#N/A`; read as empty with a finding.
    Error(String),
}

impl Cell {
    /// True when the cell holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            Cell::Number(_) | Cell::DateTime(_) | Cell::Bool(_) | Cell::Error(_) => false,
        }
    }

    /// The cell as the text a user sees (numbers without a trailing `.0`).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format_number(*n),
            Cell::DateTime(dt) => {
                if dt.time() == chrono::NaiveTime::MIN {
                    crate::normalize::date::iso_date(dt.date())
                } else {
                    dt.format("%Y-%m-%d %H:%M:%S").to_string()
                }
            }
            Cell::Bool(b) => b.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// Formats a number as a spreadsheet shows it: integers without decimals.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A sheet as read from a file: physical rows, row 0 is spreadsheet row 1.
#[derive(Debug, Clone, Default)]
pub struct RawSheet {
    /// Path of the file as given on the command line.
    pub file: String,
    /// Sheet name (the file stem for a CSV).
    pub sheet: String,
    /// Detected text encoding (CSV only).
    pub encoding: Option<String>,
    /// The physical rows, merged ranges already filled in. For a big
    /// delimited file only the head: the rest is in `pending`.
    pub rows: Vec<Vec<Cell>>,
    /// Rows after `rows` not parsed into cells yet (delimited files past
    /// their head); `None` when `rows` holds the whole sheet.
    pub pending: Option<PendingRows>,
    /// Something about how the sheet was read that its rows do not show
    /// (a quote never closed), for the `inputs` entry.
    pub note: Option<String>,
}

impl RawSheet {
    /// Parses the pending rows into `rows`, for a pass that needs rows
    /// past the head by index (a header pinned far down, `inspect`).
    pub fn materialize(&mut self) {
        if let Some(pending) = self.pending.take() {
            self.rows.extend(pending.rows().map(|(_, row)| row));
        }
    }

    /// Every row with its 0-based index: the head borrowed, the pending
    /// rows parsed one at a time.
    pub fn all_rows(&self) -> impl Iterator<Item = (usize, Cow<'_, [Cell]>)> + '_ {
        let head = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, row)| (i, Cow::Borrowed(row.as_slice())));
        let rest = self
            .pending
            .iter()
            .flat_map(|p| p.rows())
            .map(|(i, row)| (i, Cow::Owned(row)));
        head.chain(rest)
    }
}

/// The file and sheet a row was read from, shared by every row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Source {
    /// The input file.
    pub file: Text,
    /// The sheet in that file.
    pub sheet: Text,
}

/// Where a value came from, as a spreadsheet user would find it. Millions
/// of records hold one, so the file and sheet are one shared [`Source`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The file and sheet.
    pub source: std::sync::Arc<Source>,
    /// 1-based spreadsheet row number, header counted.
    pub row: usize,
}

impl Origin {
    /// Row `row` of a sheet.
    pub fn new(source: &std::sync::Arc<Source>, row: usize) -> Origin {
        Origin {
            source: source.clone(),
            row,
        }
    }

    /// The input file.
    pub fn file(&self) -> &Text {
        &self.source.file
    }

    /// The sheet in that file.
    pub fn sheet(&self) -> &Text {
        &self.source.sheet
    }
}

impl Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Origin", 3)?;
        out.serialize_field("file", &*self.source.file)?;
        out.serialize_field("sheet", &*self.source.sheet)?;
        out.serialize_field("row", &self.row)?;
        out.end()
    }
}

/// What kind of table a sheet is (schema.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// One row per customer.
    Customers,
    /// One row per follow-up contact.
    Followups,
    /// A legacy sheet with customer blocks and their follow-up rows.
    Combined,
    /// One row per opportunity.
    Opportunities,
    /// One row per sales rep.
    Roster,
    /// Sales targets.
    Targets,
    /// Customer complaints.
    Complaints,
}

impl TableKind {
    /// The language-neutral code used in `inputs[].kind`.
    pub fn code(self) -> &'static str {
        match self {
            TableKind::Customers => "customers",
            TableKind::Followups => "followups",
            TableKind::Combined => "combined",
            TableKind::Opportunities => "opportunities",
            TableKind::Roster => "roster",
            TableKind::Targets => "targets",
            TableKind::Complaints => "complaints",
        }
    }

    /// Parses a `--kind` value.
    pub fn parse(s: &str) -> Option<TableKind> {
        [
            TableKind::Customers,
            TableKind::Followups,
            TableKind::Combined,
            TableKind::Opportunities,
            TableKind::Roster,
            TableKind::Targets,
            TableKind::Complaints,
        ]
        .into_iter()
        .find(|k| k.code() == s)
    }
}

/// Shared immutable text: a column repeats its values, and every record
/// holding the same normalized value shares one allocation.
pub type Text = arcstr::ArcStr;

/// A normalized value of a canonical field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Normalized text.
    Text(Text),
    /// A calendar date.
    Date(NaiveDate),
    /// A date with a time of day.
    DateTime(NaiveDateTime),
    /// Money in cents (0.01 of the currency unit).
    Money(i64),
    /// A money range in cents (budgets); a single value sets both ends.
    /// Shared, so that a value stays 16 bytes.
    MoneyRange(std::sync::Arc<(i64, i64)>),
    /// A plain number (probability as a 0–1 fraction, satisfaction 1–5).
    Number(f64),
    /// A canonical stage, as its index in the pipeline's stage table.
    Stage(usize),
    /// A grade `A`, `B` or `C`.
    Grade(char),
    /// An industry mapped to GB/T 4754-2017 (shared: a column repeats a few industries).
    Industry(std::sync::Arc<crate::normalize::industry::IndustryMatch>),
    /// A yes / no answer.
    YesNo(bool),
}

impl Value {
    /// The value as text for the cleaned output and the reports.
    pub fn display(&self, stages: &crate::normalize::stage::Pipeline) -> String {
        match self {
            Value::Text(s) => s.to_string(),
            Value::Date(d) => crate::normalize::date::iso_date(*d),
            Value::DateTime(dt) => date_time_text(*dt),
            Value::Money(c) => format_cents(*c),
            Value::MoneyRange(range) => match **range {
                (a, b) if a == b => format_cents(a),
                (a, b) => format!("{}-{}", format_cents(a), format_cents(b)),
            },
            Value::Number(n) => format_number(*n),
            Value::Stage(i) => stages.label(*i).to_string(),
            Value::Grade(g) => g.to_string(),
            Value::Industry(m) => m.display(),
            Value::YesNo(b) => if *b { "是" } else { "否" }.to_string(),
        }
    }
}

/// Formats cents as a plain decimal amount (`1234.5` → `1234.50`, whole amounts bare).
pub fn format_cents(c: i64) -> String {
    if c % 100 == 0 {
        format!("{}", c / 100)
    } else {
        let sign = if c < 0 { "-" } else { "" };
        format!("{sign}{}.{:02}", (c / 100).abs(), (c % 100).abs())
    }
}

/// A map from field to value: a bit per field says which fields have a
/// value, and the values follow in field order in one allocation of
/// exactly their number. Millions of rows are held, so a value costs its
/// own size only (no field beside it), and a lookup is a bit test and a
/// count of the bits below.
#[derive(Clone, PartialEq)]
pub struct FieldMap<V> {
    /// Bit `i` is set when `Field::ALL[i]` has a value.
    present: u128,
    /// The values of the set bits, lowest bit first.
    values: Box<[V]>,
}

// Every field needs a bit, and a field's bit is its place in `Field::ALL`.
const _: () = assert!(Field::ALL.len() <= u128::BITS as usize);

/// The bit of a field in [`FieldMap::present`].
fn field_bit(f: Field) -> u128 {
    1u128 << (f as u8)
}

impl<V> Default for FieldMap<V> {
    fn default() -> Self {
        FieldMap {
            present: 0,
            values: Box::default(),
        }
    }
}

impl<V: std::fmt::Debug> std::fmt::Debug for FieldMap<V> {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.debug_map().entries(self.iter()).finish()
    }
}

impl<V> FieldMap<V> {
    /// A map of the pairs, taken out of `pairs` (which is left empty for
    /// reuse); of several values for one field the last wins, as with
    /// [`FieldMap::insert`].
    pub fn from_pairs(pairs: &mut Vec<(Field, V)>) -> Self {
        pairs.sort_by_key(|(f, _)| *f);
        let mut present = 0u128;
        let mut values: Vec<V> = Vec::with_capacity(pairs.len());
        for (f, v) in pairs.drain(..) {
            let bit = field_bit(f);
            if present & bit != 0 {
                if let Some(last) = values.last_mut() {
                    *last = v;
                }
            } else {
                present |= bit;
                values.push(v);
            }
        }
        FieldMap {
            present,
            values: values.into_boxed_slice(),
        }
    }

    /// The place of a field's value in `values`: the number of fields
    /// before it that have one.
    fn slot(&self, f: Field) -> usize {
        (self.present & (field_bit(f) - 1)).count_ones() as usize
    }

    /// Changes the values as a vector, then keeps them in an allocation of
    /// exactly their number again (changes are rare: merges and splits).
    fn edit<T>(&mut self, change: impl FnOnce(&mut Vec<V>) -> T) -> T {
        let mut values = std::mem::take(&mut self.values).into_vec();
        let out = change(&mut values);
        self.values = values.into_boxed_slice();
        out
    }

    /// The value of a field.
    pub fn get(&self, f: &Field) -> Option<&V> {
        if self.present & field_bit(*f) == 0 {
            return None;
        }
        self.values.get(self.slot(*f))
    }

    /// Sets the value of a field, returning the one it replaces.
    pub fn insert(&mut self, f: Field, v: V) -> Option<V> {
        let slot = self.slot(f);
        if self.present & field_bit(f) != 0 {
            return Some(std::mem::replace(&mut self.values[slot], v));
        }
        self.present |= field_bit(f);
        self.edit(|values| values.insert(slot, v));
        None
    }

    /// True when the field has a value.
    pub fn contains_key(&self, f: &Field) -> bool {
        self.present & field_bit(*f) != 0
    }

    /// Keeps only the fields `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&Field, &mut V) -> bool) {
        let mut bits = self.present;
        let mut present = 0u128;
        self.edit(|values| {
            values.retain_mut(|v| {
                let i = bits.trailing_zeros();
                bits &= bits - 1;
                let kept = keep(&Field::ALL[i as usize], v);
                if kept {
                    present |= 1u128 << i;
                }
                kept
            })
        });
        self.present = present;
    }

    /// The number of fields with a value.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when no field has a value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Removes a field, returning its value.
    pub fn remove(&mut self, f: &Field) -> Option<V> {
        if !self.contains_key(f) {
            return None;
        }
        let slot = self.slot(*f);
        self.present &= !field_bit(*f);
        Some(self.edit(|values| values.remove(slot)))
    }

    /// Removes every field.
    pub fn clear(&mut self) {
        *self = FieldMap::default();
    }

    /// The fields with a value, in field order, read without their values.
    pub fn fields(&self) -> impl Iterator<Item = Field> {
        FieldsOf(self.present)
    }

    /// The fields and values, in field order.
    pub fn iter(&self) -> FieldMapIter<'_, V> {
        FieldMapIter {
            bits: self.present,
            values: self.values.iter(),
        }
    }
}

/// The iterator of [`FieldMap::iter`]: the set bits, lowest first, beside
/// the values.
pub struct FieldMapIter<'a, V> {
    bits: u128,
    values: std::slice::Iter<'a, V>,
}

impl<'a, V> Iterator for FieldMapIter<'a, V> {
    type Item = (&'a Field, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        let v = self.values.next()?;
        let i = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some((&Field::ALL[i], v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.values.size_hint()
    }
}

impl<'a, V> IntoIterator for &'a FieldMap<V> {
    type Item = (&'a Field, &'a V);
    type IntoIter = FieldMapIter<'a, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<V> IntoIterator for FieldMap<V> {
    type Item = (Field, V);
    type IntoIter = std::iter::Zip<FieldsOf, std::vec::IntoIter<V>>;

    /// The fields and values, in field order, moved out.
    fn into_iter(self) -> Self::IntoIter {
        FieldsOf(self.present).zip(self.values.into_vec())
    }
}

/// The fields of a set of field bits, lowest bit first.
pub struct FieldsOf(u128);

impl Iterator for FieldsOf {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        if self.0 == 0 {
            return None;
        }
        let i = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(Field::ALL[i])
    }
}

impl<V> FromIterator<(Field, V)> for FieldMap<V> {
    fn from_iter<I: IntoIterator<Item = (Field, V)>>(items: I) -> Self {
        FieldMap::from_pairs(&mut items.into_iter().collect())
    }
}

/// One canonical row: normalized values by field, plus what was not mapped.
/// Millions are held on a big input, so a record is 64 bytes: what most
/// rows lack (originals kept apart, unmapped columns) is behind one
/// pointer, and the customer link is a `u32`.
#[derive(Debug, Clone)]
pub struct Record {
    /// Normalized values of mapped fields (a value that failed to normalize is absent).
    pub values: FieldMap<Value>,
    /// Where the row was read.
    pub origin: Origin,
    /// The originals and the unmapped columns, when the row has any.
    rest: Option<Box<RecordRest>>,
    /// The place of the row's customer in `Dataset::customers`, or
    /// none; read it with [`Record::customer`].
    link: CustomerLink,
    /// True when an error finding rejected this row from the metrics.
    pub rejected: bool,
}

/// What few records hold besides their values ([`Record::originals`],
/// [`Record::extras`]).
#[derive(Debug, Clone, Default)]
struct RecordRest {
    originals: FieldMap<Text>,
    extras: Box<[(Text, Text)]>,
}

/// A row's link to its customer: the customer's place in
/// `Dataset::customers`, in 4 bytes. A table held in memory has far fewer
/// than 2^32 − 1 customers; a place past that links to none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerLink(u32);

impl CustomerLink {
    /// The link of a row linked to no customer.
    pub const NONE: CustomerLink = CustomerLink(u32::MAX);

    /// The link to the customer at place `customer` (`None`: to none).
    pub fn new(customer: Option<usize>) -> CustomerLink {
        customer
            .and_then(|c| u32::try_from(c).ok())
            .map_or(CustomerLink::NONE, CustomerLink)
    }

    /// The customer's place, when linked.
    pub fn get(self) -> Option<usize> {
        (self != CustomerLink::NONE).then_some(self.0 as usize)
    }
}

// The size the record's documentation promises (64-bit targets).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Record>() == 64);

impl Record {
    /// A record of the row read at `origin`, with no values yet.
    pub fn new(origin: Origin) -> Record {
        Record {
            values: FieldMap::default(),
            origin,
            rest: None,
            link: CustomerLink::NONE,
            rejected: false,
        }
    }

    /// The place of the row's customer in `Dataset::customers`, once linked.
    pub fn customer(&self) -> Option<usize> {
        self.link.get()
    }

    /// Links the row to the customer at place `customer` of
    /// `Dataset::customers` (`None`: to none; see [`CustomerLink`]).
    pub fn set_customer(&mut self, customer: Option<usize>) {
        self.link = CustomerLink::new(customer);
    }

    /// The original text of each mapped cell whose value does not show it
    /// as written (or that did not normalize), by field; read one with
    /// [`Record::original`]. Most cells are text or dates already written
    /// as the tool writes them.
    pub fn originals(&self) -> &FieldMap<Text> {
        static NONE: std::sync::LazyLock<FieldMap<Text>> =
            std::sync::LazyLock::new(FieldMap::default);
        self.rest.as_ref().map_or(&NONE, |rest| &rest.originals)
    }

    /// The originals, to change.
    pub fn originals_mut(&mut self) -> &mut FieldMap<Text> {
        &mut self.rest.get_or_insert_with(Box::default).originals
    }

    /// The unmapped columns: header and text, in column order.
    pub fn extras(&self) -> &[(Text, Text)] {
        self.rest.as_ref().map_or(&[], |rest| &rest.extras)
    }

    /// Sets the originals and the unmapped columns; nothing is held apart
    /// when both are empty.
    pub fn set_rest(&mut self, originals: FieldMap<Text>, extras: Box<[(Text, Text)]>) {
        self.rest = (!originals.is_empty() || !extras.is_empty())
            .then(|| Box::new(RecordRest { originals, extras }));
    }

    /// Keeps only the originals `keep` says yes to (nothing is held apart
    /// once neither originals nor unmapped columns are left).
    pub fn retain_originals(&mut self, keep: impl FnMut(&Field, &mut Text) -> bool) {
        if let Some(rest) = self.rest.as_mut() {
            rest.originals.retain(keep);
            if rest.originals.is_empty() && rest.extras.is_empty() {
                self.rest = None;
            }
        }
    }

    /// Sets the unmapped columns, keeping the originals.
    pub fn set_extras(&mut self, extras: Box<[(Text, Text)]>) {
        let originals = self
            .rest
            .take()
            .map(|rest| rest.originals)
            .unwrap_or_default();
        self.set_rest(originals, extras);
    }

    /// The text of a field, if it holds text.
    pub fn text(&self, f: Field) -> Option<&str> {
        match self.values.get(&f) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// The text of a field, if it holds text, as the shared allocation.
    pub fn shared_text(&self, f: Field) -> Option<&Text> {
        match self.values.get(&f) {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        }
    }

    /// The date of a field (the date part of a date-time).
    pub fn date(&self, f: Field) -> Option<NaiveDate> {
        match self.values.get(&f) {
            Some(Value::Date(d)) => Some(*d),
            Some(Value::DateTime(dt)) => Some(dt.date()),
            _ => None,
        }
    }

    /// The date-time of a field (a bare date counts as 00:00).
    pub fn datetime(&self, f: Field) -> Option<NaiveDateTime> {
        match self.values.get(&f) {
            Some(Value::Date(d)) => d.and_hms_opt(0, 0, 0),
            Some(Value::DateTime(dt)) => Some(*dt),
            _ => None,
        }
    }

    /// The amount of a field in cents.
    pub fn money(&self, f: Field) -> Option<i64> {
        match self.values.get(&f) {
            Some(Value::Money(c)) => Some(*c),
            _ => None,
        }
    }

    /// The stage index of a field.
    pub fn stage(&self, f: Field) -> Option<usize> {
        match self.values.get(&f) {
            Some(Value::Stage(i)) => Some(*i),
            _ => None,
        }
    }

    /// The grade of the row.
    pub fn grade(&self) -> Option<char> {
        match self.values.get(&Field::Grade) {
            Some(Value::Grade(g)) => Some(*g),
            _ => None,
        }
    }

    /// A plain number field.
    pub fn number(&self, f: Field) -> Option<f64> {
        match self.values.get(&f) {
            Some(Value::Number(n)) => Some(*n),
            _ => None,
        }
    }

    /// A yes/no field.
    pub fn yes_no(&self, f: Field) -> Option<bool> {
        match self.values.get(&f) {
            Some(Value::YesNo(b)) => Some(*b),
            _ => None,
        }
    }

    /// The industry match of the row.
    pub fn industry(&self) -> Option<&crate::normalize::industry::IndustryMatch> {
        match self.values.get(&Field::Industry) {
            Some(Value::Industry(m)) => Some(m.as_ref()),
            _ => None,
        }
    }

    /// True when the field is filled after normalization.
    pub fn has(&self, f: Field) -> bool {
        self.values.contains_key(&f)
    }

    /// True when the row had a non-blank cell for the field, whether or
    /// not it normalized.
    pub fn has_cell(&self, f: Field) -> bool {
        self.values.contains_key(&f) || self.originals().contains_key(&f)
    }

    /// The original text of the field's cell (ID numbers masked): the one
    /// kept apart, else the value as written when it shows the original
    /// (see [`shows_original`]).
    pub fn original(&self, f: Field, stages: &crate::normalize::stage::Pipeline) -> Option<Text> {
        if let Some(o) = self.originals().get(&f) {
            return Some(o.clone());
        }
        match self.values.get(&f)? {
            Value::Text(t) => Some(t.clone()),
            v @ (Value::Date(_) | Value::DateTime(_) | Value::Stage(_) | Value::Grade(_)) => {
                Some(Text::from(v.display(stages)))
            }
            _ => None,
        }
    }
}

/// How a date-time value is written.
const DATE_TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// A date-time as the tool writes it (`2024-03-15 14:30`).
pub fn date_time_text(dt: NaiveDateTime) -> String {
    dt.format(DATE_TIME_FORMAT).to_string()
}

/// True when `value` written out is exactly `original`, so the record need
/// not keep the original apart: text kept as written, a date written ISO,
/// a stage written as its label, a grade as its letter. Other kinds
/// (amounts, industries…) always keep their original.
pub fn shows_original(
    value: &Value,
    original: &str,
    stages: &crate::normalize::stage::Pipeline,
) -> bool {
    match value {
        Value::Text(t) => **t == *original,
        Value::Stage(i) => stages.label(*i) == original,
        Value::Grade(g) => original.len() == g.len_utf8() && original.starts_with(*g),
        Value::Date(d) => original.len() == 10 && crate::normalize::date::iso_date(*d) == original,
        Value::DateTime(dt) => {
            original.len() == 16 && dt.format(DATE_TIME_FORMAT).to_string() == original
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A record holds nothing apart until it has an original or an
    /// unmapped column, gives back what it was given, and drops the part
    /// held apart once both are empty again; its link reads back as set.
    #[test]
    fn a_record_holds_its_originals_and_extras_apart_only_when_it_has_some() {
        let source = std::sync::Arc::new(Source {
            file: "a.csv".into(),
            sheet: "a".into(),
        });
        let mut r = Record::new(Origin::new(&source, 2));
        assert!(r.rest.is_none() && r.originals().is_empty() && r.extras().is_empty());
        assert_eq!(r.customer(), None);
        r.originals_mut().insert(Field::Stage, Text::from("快成了"));
        r.set_extras(Box::new([(Text::from("备注"), Text::from("老客户"))]));
        assert_eq!(
            r.originals().get(&Field::Stage).map(|t| &**t),
            Some("快成了")
        );
        assert_eq!(r.extras().len(), 1);
        r.set_extras(Box::default());
        assert!(r.rest.is_some() && r.extras().is_empty());
        r.set_rest(FieldMap::default(), Box::default());
        assert!(r.rest.is_none());
        for place in [Some(0), Some(7), Some(u32::MAX as usize - 1), None] {
            r.set_customer(place);
            assert_eq!(r.customer(), place);
        }
        // The largest u32 marks "no customer": that place links to none.
        r.set_customer(Some(u32::MAX as usize));
        assert_eq!(r.customer(), None);
        // Originals filtered down to none leave nothing held apart.
        r.originals_mut().insert(Field::Stage, Text::from("快成了"));
        r.retain_originals(|f, _| *f != Field::Stage);
        assert!(r.rest.is_none());
    }

    #[test]
    fn a_field_bit_is_its_place_among_all_fields() {
        for (i, f) in Field::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i, "{f:?}");
        }
    }

    #[test]
    fn from_pairs_keeps_field_order_and_the_last_value() {
        let mut pairs = vec![
            (Field::Owner, 1),
            (Field::CustomerName, 2),
            (Field::Owner, 3),
            (Field::ResolvedAt, 4),
        ];
        let map = FieldMap::from_pairs(&mut pairs);
        assert!(pairs.is_empty());
        let got: Vec<(Field, i32)> = map.iter().map(|(f, v)| (*f, *v)).collect();
        assert_eq!(
            got,
            vec![
                (Field::CustomerName, 2),
                (Field::Owner, 3),
                (Field::ResolvedAt, 4)
            ]
        );
        assert_eq!(map.get(&Field::Owner), Some(&3));
        assert_eq!(map.get(&Field::Grade), None);
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn edits_agree_with_an_ordered_map() {
        let mut map: FieldMap<u32> = FieldMap::default();
        let mut model: BTreeMap<Field, u32> = BTreeMap::new();
        let mut seed: u64 = 7;
        for step in 0..5_000u32 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let f = Field::ALL[(seed >> 33) as usize % Field::ALL.len()];
            match (seed >> 20) % 4 {
                0 | 1 => assert_eq!(map.insert(f, step), model.insert(f, step)),
                2 => assert_eq!(map.remove(&f), model.remove(&f)),
                _ => {
                    let kept = |v: &u32| !v.is_multiple_of(3);
                    map.retain(|_, v| kept(v));
                    model.retain(|_, v| kept(v));
                }
            }
            assert_eq!(map.get(&f), model.get(&f));
            assert_eq!(map.contains_key(&f), model.contains_key(&f));
            let got: Vec<(Field, u32)> = map.iter().map(|(f, v)| (*f, *v)).collect();
            let want: Vec<(Field, u32)> = model.iter().map(|(f, v)| (*f, *v)).collect();
            assert_eq!(got, want);
            let fields: Vec<Field> = map.fields().collect();
            assert_eq!(fields, model.keys().copied().collect::<Vec<_>>());
        }
        map.clear();
        assert!(map.is_empty() && map.iter().next().is_none());
    }
}
