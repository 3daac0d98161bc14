//! One accepted follow-up as the linking and the metrics read it. A big
//! log has millions of follow-ups: as [`Record`]s each would cost a
//! record and an allocation of its values (about 180 bytes), while what
//! is read of them after loading fits in a fixed struct of 88 bytes with
//! no allocation of its own. The whole record is kept beside it only when
//! a run writes the cleaned tables, when the row is rejected, or when it
//! holds something the struct has no place for. When rows are not kept
//! whole, a row that fits is made a follow-up straight from its normalized
//! cells, on the normalizing thread, and no record is made at all.

use chrono::NaiveDate;
use std::borrow::Cow;

use crate::model::{date_time_text, CustomerLink, FieldMap, Origin, Record, Text, Value};
use crate::schema::Field;

/// A follow-up row: its customer's name and id, date, owner, method,
/// stage, next action and due date, its link to a customer, and the whole
/// [`Record`] when one is kept ([`Followup::record`]). It answers the
/// reads of [`Record`] by the same names.
#[derive(Debug, Clone)]
pub struct Followup {
    /// Where the row was read.
    pub origin: Origin,
    customer_name: Option<Text>,
    customer_id: Option<Text>,
    owner: Option<Text>,
    method: Option<Text>,
    next_action: Option<Text>,
    /// The follow-up date as written, when its ISO form does not show it
    /// (a kept original, or a date with a time of day).
    date_text: Option<Text>,
    record: Option<Box<Record>>,
    date: Option<NaiveDate>,
    due_date: Option<NaiveDate>,
    /// The row's customer, once linked.
    link: CustomerLink,
    /// The stage index, or [`NO_STAGE`].
    stage: u16,
    /// True when an error finding rejected this row from the metrics.
    pub rejected: bool,
}

/// [`Followup::stage`] of a row with no stage.
const NO_STAGE: u16 = u16::MAX;

// The size the module's documentation promises (64-bit targets).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Followup>() == 88);

/// The fields a follow-up holds in its own places.
const HELD: [Field; 8] = [
    Field::CustomerName,
    Field::CustomerId,
    Field::Owner,
    Field::Method,
    Field::NextAction,
    Field::FollowupDate,
    Field::DueDate,
    Field::Stage,
];

impl Followup {
    /// The follow-up of a normalized row. The whole record is kept beside
    /// it when `keep_record` says so, when the row is rejected (rejected
    /// rows are written whole), or when it holds a value, an original or
    /// an unmapped column the follow-up has no place for.
    pub fn from_record(record: Record, keep_record: bool) -> Followup {
        let date_text = record.originals().get(&Field::FollowupDate).cloned();
        let mut f = Followup::bare(record.origin.clone(), date_text);
        f.rejected = record.rejected;
        f.set_customer(record.customer());
        let fits = !record.rejected
            && record.extras().is_empty()
            && record
                .originals()
                .fields()
                .all(|o| matches!(o, Field::FollowupDate | Field::DueDate))
            && record.values.iter().all(|(field, v)| has_place(*field, v));
        if keep_record || !fits {
            for (field, value) in record.values.iter() {
                f.hold(*field, value.clone());
            }
            f.record = Some(Box::new(record));
        } else {
            for (field, value) in record.values {
                f.hold(field, value);
            }
        }
        f
    }

    /// True when a row of these normalized values and originals fits in
    /// a follow-up with nothing left over, as [`Followup::from_record`]
    /// decides for its record: each value has a place and the only
    /// originals are the follow-up and due dates as written. A field given
    /// twice (two columns of one meaning) does not fit: its record keeps
    /// the last value ([`FieldMap::from_pairs`]).
    pub(crate) fn fits(values: &[(Field, Value)], originals: &[(Field, Text)]) -> bool {
        values.iter().all(|(field, v)| has_place(*field, v))
            && originals
                .iter()
                .all(|(o, _)| matches!(o, Field::FollowupDate | Field::DueDate))
            && each_once(values)
            && each_once(originals)
    }

    /// The follow-up of a row that [`Followup::fits`], made straight from
    /// its normalized pairs (taken out, the vectors left empty for reuse):
    /// what [`Followup::from_record`] gives for the record of these pairs,
    /// without making the record. A log of millions of rows spares a
    /// record, two allocations and a copy per row.
    pub(crate) fn from_parts(
        origin: Origin,
        values: &mut Vec<(Field, Value)>,
        originals: &mut Vec<(Field, Text)>,
    ) -> Followup {
        let date_text = originals
            .drain(..)
            .find_map(|(f, t)| (f == Field::FollowupDate).then_some(t));
        let mut f = Followup::bare(origin, date_text);
        for (field, value) in values.drain(..) {
            f.hold(field, value);
        }
        f
    }

    /// A follow-up read at `origin` holding nothing yet but its date as
    /// written: what [`Followup::from_record`] and [`Followup::from_parts`]
    /// fill in.
    fn bare(origin: Origin, date_text: Option<Text>) -> Followup {
        Followup {
            origin,
            customer_name: None,
            customer_id: None,
            owner: None,
            method: None,
            next_action: None,
            date_text,
            record: None,
            date: None,
            due_date: None,
            link: CustomerLink::NONE,
            stage: NO_STAGE,
            rejected: false,
        }
    }

    /// Puts a value in its place (a value [`has_place`] denies is left out).
    fn hold(&mut self, field: Field, value: Value) {
        match (field, value) {
            (Field::CustomerName, Value::Text(t)) => self.customer_name = Some(t),
            (Field::CustomerId, Value::Text(t)) => self.customer_id = Some(t),
            (Field::Owner, Value::Text(t)) => self.owner = Some(t),
            (Field::Method, Value::Text(t)) => self.method = Some(t),
            (Field::NextAction, Value::Text(t)) => self.next_action = Some(t),
            (Field::FollowupDate, Value::Date(d)) => self.date = Some(d),
            (Field::FollowupDate, Value::DateTime(dt)) => {
                self.date = Some(dt.date());
                if self.date_text.is_none() {
                    self.date_text = Some(Text::from(date_time_text(dt)));
                }
            }
            (Field::DueDate, Value::Date(d)) => self.due_date = Some(d),
            (Field::DueDate, Value::DateTime(dt)) => self.due_date = Some(dt.date()),
            (Field::Stage, Value::Stage(i)) => {
                if let Some(i) = u16::try_from(i).ok().filter(|i| *i != NO_STAGE) {
                    self.stage = i;
                }
            }
            _ => {}
        }
    }

    /// The place of the row's customer in `Dataset::customers`, once linked.
    pub fn customer(&self) -> Option<usize> {
        self.link.get()
    }

    /// Links the row to the customer at place `customer` (`None`: to none),
    /// the kept record too (see [`CustomerLink`]).
    pub fn set_customer(&mut self, customer: Option<usize>) {
        self.link = CustomerLink::new(customer);
        if let Some(record) = self.record.as_mut() {
            record.set_customer(customer);
        }
    }

    /// The text of a field, if it holds text.
    pub fn text(&self, f: Field) -> Option<&str> {
        self.shared_text(f).map(|t| t.as_str())
    }

    /// The text of a field, if it holds text, as the shared allocation.
    pub fn shared_text(&self, f: Field) -> Option<&Text> {
        match f {
            Field::CustomerName => self.customer_name.as_ref(),
            Field::CustomerId => self.customer_id.as_ref(),
            Field::Owner => self.owner.as_ref(),
            Field::Method => self.method.as_ref(),
            Field::NextAction => self.next_action.as_ref(),
            _ => self.record.as_ref()?.shared_text(f),
        }
    }

    /// The date of a field (the date part of a date-time).
    pub fn date(&self, f: Field) -> Option<NaiveDate> {
        match f {
            Field::FollowupDate => self.date,
            Field::DueDate => self.due_date,
            _ => self.record.as_ref()?.date(f),
        }
    }

    /// The stage index of a field.
    pub fn stage(&self, f: Field) -> Option<usize> {
        match f {
            Field::Stage => (self.stage != NO_STAGE).then_some(usize::from(self.stage)),
            _ => self.record.as_ref()?.stage(f),
        }
    }

    /// True when the field is filled after normalization.
    pub fn has(&self, f: Field) -> bool {
        match f {
            Field::FollowupDate => self.date.is_some(),
            Field::DueDate => self.due_date.is_some(),
            Field::Stage => self.stage != NO_STAGE,
            _ if HELD.contains(&f) => self.shared_text(f).is_some(),
            _ => self.record.as_ref().is_some_and(|r| r.has(f)),
        }
    }

    /// The follow-up date as a finding quotes it: as written when its ISO
    /// form does not show it.
    pub fn date_as_written(&self) -> Option<Text> {
        self.date_text.clone().or_else(|| {
            self.date
                .map(|d| Text::from(crate::normalize::date::iso_date(d)))
        })
    }

    /// The whole record, when it is kept (see [`Followup::from_record`]).
    pub fn record(&self) -> Option<&Record> {
        self.record.as_deref()
    }

    /// The whole record: the kept one, else one made of what the
    /// follow-up holds (the date as written kept as its original).
    pub fn to_record(&self) -> Cow<'_, Record> {
        if let Some(record) = self.record.as_deref() {
            return Cow::Borrowed(record);
        }
        let mut record = Record::new(self.origin.clone());
        let texts = [
            (Field::CustomerName, &self.customer_name),
            (Field::CustomerId, &self.customer_id),
            (Field::Owner, &self.owner),
            (Field::Method, &self.method),
            (Field::NextAction, &self.next_action),
        ];
        let mut pairs: Vec<(Field, Value)> = texts
            .into_iter()
            .filter_map(|(f, t)| Some((f, Value::Text(t.clone()?))))
            .collect();
        pairs.extend(self.date.map(|d| (Field::FollowupDate, Value::Date(d))));
        pairs.extend(self.due_date.map(|d| (Field::DueDate, Value::Date(d))));
        pairs.extend(
            self.stage(Field::Stage)
                .map(|i| (Field::Stage, Value::Stage(i))),
        );
        record.values = FieldMap::from_pairs(&mut pairs);
        let mut originals: Vec<(Field, Text)> = self
            .date_text
            .iter()
            .map(|t| (Field::FollowupDate, t.clone()))
            .collect();
        record.set_rest(FieldMap::from_pairs(&mut originals), Box::default());
        record.set_customer(self.customer());
        record.rejected = self.rejected;
        Cow::Owned(record)
    }
}

/// True when a follow-up holds `value` of `field` in a place of its own.
fn has_place(field: Field, value: &Value) -> bool {
    match (field, value) {
        (
            Field::CustomerName
            | Field::CustomerId
            | Field::Owner
            | Field::Method
            | Field::NextAction,
            Value::Text(_),
        ) => true,
        // A follow-up date-time is kept as written (`date_text`); a due
        // date keeps only its day, so a due date-time keeps the record.
        (Field::FollowupDate, Value::Date(_) | Value::DateTime(_)) => true,
        (Field::DueDate, Value::Date(_)) => true,
        (Field::Stage, Value::Stage(i)) => *i < usize::from(NO_STAGE),
        _ => false,
    }
}

/// True when no field is given twice among `pairs` (a row has a few).
fn each_once<V>(pairs: &[(Field, V)]) -> bool {
    pairs
        .iter()
        .enumerate()
        .all(|(i, (f, _))| pairs[..i].iter().all(|(g, _)| g != f))
}

/// The whole record of each follow-up, in order: the kept ones borrowed,
/// the others made of what they hold ([`Followup::to_record`]) and held
/// in `made`. A run that keeps every value keeps every record, and then
/// nothing is made.
pub fn followup_records<'a>(
    followups: &'a [Followup],
    made: &'a mut Vec<Record>,
) -> Vec<&'a Record> {
    *made = followups
        .iter()
        .filter(|f| f.record().is_none())
        .map(|f| f.to_record().into_owned())
        .collect();
    let mut made = made.iter();
    followups
        .iter()
        .filter_map(|f| f.record().or_else(|| made.next()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;
    use chrono::NaiveDateTime;
    use std::sync::Arc;

    fn origin(row: usize) -> Origin {
        let source = Arc::new(Source {
            file: Text::from("log.csv"),
            sheet: Text::from("log"),
        });
        Origin::new(&source, row)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A follow-up record of the fields most logs have.
    fn record(row: usize) -> Record {
        let mut r = Record::new(origin(row));
        let mut pairs = vec![
            (Field::CustomerName, Value::Text(Text::from("华为技术"))),
            (Field::Owner, Value::Text(Text::from("张三"))),
            (Field::Method, Value::Text(Text::from("电话"))),
            (Field::FollowupDate, Value::Date(day("2024-03-06"))),
            (Field::DueDate, Value::Date(day("2024-03-13"))),
            (Field::Stage, Value::Stage(2)),
        ];
        r.values = FieldMap::from_pairs(&mut pairs);
        r
    }

    #[test]
    fn a_plain_row_keeps_no_record_and_answers_every_read() {
        let f = Followup::from_record(record(2), false);
        assert!(f.record().is_none());
        assert_eq!(f.text(Field::CustomerName), Some("华为技术"));
        assert_eq!(f.text(Field::Owner), Some("张三"));
        assert_eq!(f.text(Field::Method), Some("电话"));
        assert_eq!(f.text(Field::NextAction), None);
        assert_eq!(f.date(Field::FollowupDate), Some(day("2024-03-06")));
        assert_eq!(f.date(Field::DueDate), Some(day("2024-03-13")));
        assert_eq!(f.stage(Field::Stage), Some(2));
        assert!(f.has(Field::Owner) && !f.has(Field::NextAction) && !f.has(Field::Summary));
        assert_eq!(f.date_as_written().as_deref(), Some("2024-03-06"));
    }

    #[test]
    fn the_record_is_kept_when_asked_rejected_or_holding_more() {
        assert!(Followup::from_record(record(2), true).record().is_some());
        let mut rejected = record(3);
        rejected.rejected = true;
        let f = Followup::from_record(rejected, false);
        assert!(f.rejected && f.record().is_some());
        let mut content = record(4);
        content
            .values
            .insert(Field::Summary, Value::Text(Text::from("报价")));
        let f = Followup::from_record(content, false);
        assert_eq!(f.text(Field::Summary), Some("报价"));
        assert!(f.has(Field::Summary));
        let mut extra = record(5);
        extra.set_extras(Box::new([(Text::from("备注2"), Text::from("x"))]));
        assert!(Followup::from_record(extra, false).record().is_some());
        let mut written = record(6);
        written
            .originals_mut()
            .insert(Field::Owner, Text::from(" 张三 "));
        assert!(Followup::from_record(written, false).record().is_some());
        let mut due_time = record(7);
        let dt = NaiveDateTime::parse_from_str("2024-03-13 09:30", "%Y-%m-%d %H:%M").unwrap();
        due_time.values.insert(Field::DueDate, Value::DateTime(dt));
        let f = Followup::from_record(due_time, false);
        assert!(f.record().is_some());
        assert_eq!(f.date(Field::DueDate), Some(day("2024-03-13")));
    }

    /// A row's normalized values and its originals.
    type Pairs = (Vec<(Field, Value)>, Vec<(Field, Text)>);

    /// The pairs of a plain follow-up row, and its follow-up date as written.
    fn pairs(date: Value) -> Pairs {
        let values = vec![
            (Field::CustomerId, Value::Text(Text::from("C7"))),
            (Field::CustomerName, Value::Text(Text::from("华为技术"))),
            (Field::Owner, Value::Text(Text::from("张三"))),
            (Field::FollowupDate, date),
            (Field::Method, Value::Text(Text::from("电话"))),
            (Field::DueDate, Value::Date(day("2024-03-13"))),
            (Field::Stage, Value::Stage(2)),
            (Field::NextAction, Value::Text(Text::from("报价"))),
        ];
        (values, vec![(Field::FollowupDate, Text::from("2024/3/6"))])
    }

    /// A follow-up made straight from a row's pairs is the one made of
    /// their record, dates as written included; the pairs are taken.
    #[test]
    fn from_parts_is_from_record_without_the_record() {
        let dt = NaiveDateTime::parse_from_str("2024-03-06 14:30", "%Y-%m-%d %H:%M").unwrap();
        for date in [Value::Date(day("2024-03-06")), Value::DateTime(dt)] {
            for with_original in [true, false] {
                let (mut values, mut originals) = pairs(date.clone());
                if !with_original {
                    originals.clear();
                }
                assert!(Followup::fits(&values, &originals));
                let mut record = Record::new(origin(2));
                record.values = FieldMap::from_pairs(&mut values.clone());
                record.set_rest(FieldMap::from_pairs(&mut originals.clone()), Box::default());
                let made = Followup::from_record(record, false);
                let direct = Followup::from_parts(origin(2), &mut values, &mut originals);
                assert!(values.is_empty() && originals.is_empty());
                assert!(made.record().is_none());
                assert_eq!(format!("{direct:?}"), format!("{made:?}"));
            }
        }
    }

    /// A row with a value or original the follow-up has no place for, or
    /// a field given twice, does not fit.
    #[test]
    fn rows_with_more_than_a_follow_up_holds_do_not_fit() {
        let (values, originals) = pairs(Value::Date(day("2024-03-06")));
        let with = |extra: (Field, Value)| {
            let mut v = values.clone();
            v.push(extra);
            v
        };
        let summary = with((Field::Summary, Value::Text(Text::from("x"))));
        assert!(!Followup::fits(&summary, &originals));
        let owner_twice = with((Field::Owner, Value::Text(Text::from("李四"))));
        assert!(!Followup::fits(&owner_twice, &originals));
        let dt = NaiveDateTime::parse_from_str("2024-03-13 09:30", "%Y-%m-%d %H:%M").unwrap();
        let mut due_time = values.clone();
        due_time.retain(|(f, _)| *f != Field::DueDate);
        due_time.push((Field::DueDate, Value::DateTime(dt)));
        assert!(!Followup::fits(&due_time, &originals));
        let mut owner_written = originals.clone();
        owner_written.push((Field::Owner, Text::from(" 张三 ")));
        assert!(!Followup::fits(&values, &owner_written));
        let mut date_twice = originals.clone();
        date_twice.push((Field::FollowupDate, Text::from("3/6/2024")));
        assert!(!Followup::fits(&values, &date_twice));
        assert!(Followup::fits(&values, &originals));
    }

    #[test]
    fn the_date_is_quoted_as_written() {
        let mut slash = record(2);
        slash
            .originals_mut()
            .insert(Field::FollowupDate, Text::from("2024/3/6"));
        let f = Followup::from_record(slash, false);
        assert!(f.record().is_none());
        assert_eq!(f.date_as_written().as_deref(), Some("2024/3/6"));
        let mut timed = record(3);
        let dt = NaiveDateTime::parse_from_str("2024-03-06 14:30", "%Y-%m-%d %H:%M").unwrap();
        timed
            .values
            .insert(Field::FollowupDate, Value::DateTime(dt));
        let f = Followup::from_record(timed, false);
        assert!(f.record().is_none());
        assert_eq!(f.date(Field::FollowupDate), Some(day("2024-03-06")));
        assert_eq!(f.date_as_written().as_deref(), Some("2024-03-06 14:30"));
    }

    #[test]
    fn a_made_record_holds_what_the_row_held() {
        let mut r = record(9);
        r.originals_mut()
            .insert(Field::FollowupDate, Text::from("2024/3/6"));
        let mut f = Followup::from_record(r.clone(), false);
        f.set_customer(Some(41));
        let made = f.to_record();
        assert!(matches!(made, Cow::Owned(_)));
        assert_eq!(made.origin, r.origin);
        assert_eq!(made.customer(), Some(41));
        let fields = |r: &Record| r.values.fields().collect::<Vec<_>>();
        assert_eq!(fields(&made), fields(&r));
        for field in fields(&r) {
            assert_eq!(
                format!("{:?}", made.values.get(&field)),
                format!("{:?}", r.values.get(&field)),
                "{field:?}"
            );
        }
        assert_eq!(
            made.originals()
                .get(&Field::FollowupDate)
                .map(|t| t.as_str()),
            Some("2024/3/6")
        );
    }

    #[test]
    fn linking_links_the_kept_record_too() {
        let mut f = Followup::from_record(record(2), true);
        assert_eq!(f.customer(), None);
        f.set_customer(Some(7));
        assert_eq!(f.customer(), Some(7));
        assert_eq!(f.record().and_then(Record::customer), Some(7));
        f.set_customer(None);
        assert_eq!(f.record().and_then(Record::customer), None);
    }

    #[test]
    fn records_come_out_in_row_order_kept_or_made() {
        let mut rejected = record(3);
        rejected.rejected = true;
        let followups = vec![
            Followup::from_record(record(2), false),
            Followup::from_record(rejected, false),
            Followup::from_record(record(4), false),
        ];
        let mut made = Vec::new();
        let rows: Vec<usize> = followup_records(&followups, &mut made)
            .iter()
            .map(|r| r.origin.row)
            .collect();
        assert_eq!(rows, [2, 3, 4]);
        assert_eq!(made.len(), 2);
    }
}
