//! The dataset of a run after deduplication and linking: customers merged,
//! follow-ups, opportunities and complaints attached to their customer, the
//! as-of date decided (metrics.md §0), and the cross-row findings raised
//! (`orphan_followup`, `future_date`).

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::dedup::{
    merge_duplicates, near_candidates, near_duplicates, Customer, CustomerIndex, FirstOfKey,
    LinkMemo, NamesCustomer,
};
use crate::findings::{empty_text, label_text, Code, Finding};
use crate::followup::Followup;
use crate::model::{Origin, Record, Text, Value};
use crate::normalize::stage::Pipeline;
use crate::parallel::{map_parts, map_ranges};
use crate::schema::{Field, FieldKind};
use crate::tables::{InputInfo, RowCounts, Tables};

/// Everything the metrics need, cleaned and linked.
#[derive(Debug, Default)]
pub struct Dataset {
    /// Deduplicated customers, in input order of their first row.
    pub customers: Vec<Customer>,
    /// Accepted follow-ups, linked to their customers ([`Followup::customer`]).
    pub followups: Vec<Followup>,
    /// Accepted opportunity rows, linked to their customers.
    pub opportunities: Vec<Record>,
    /// Accepted complaints, linked to their customers.
    pub complaints: Vec<Record>,
    /// Roster rows.
    pub roster: Vec<Record>,
    /// Target rows.
    pub targets: Vec<Record>,
    /// True when an opportunities table was read.
    pub has_opportunity_table: bool,
    /// Rejected rows, kept whole for the issues output.
    pub rejected: Vec<Record>,
    /// What was read.
    pub inputs: Vec<InputInfo>,
    /// Row counts.
    pub rows: RowCounts,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Column headers per (file, sheet, field).
    pub column_names: std::collections::HashMap<(String, String, Field), String>,
    /// The follow-ups' dates, read once; use [`Dataset::followup_dates`].
    pub followup_dates: DateColumn,
}

/// The follow-up date of each of [`Dataset::followups`], in order, read
/// once when the dataset is built. The as-of date, the opportunities and
/// half a dozen metrics pass over millions of follow-ups for their dates
/// alone, and reading a record's values is a cache miss each time (at 5M
/// follow-ups, a tenth of a second per pass). A dataset put together by
/// hand leaves it empty, and [`Dataset::followup_dates`] reads the records.
#[derive(Debug, Default)]
pub struct DateColumn(Vec<Option<NaiveDate>>);

impl DateColumn {
    /// The follow-up date of each of `followups`, read on a thread per core.
    fn of(followups: &[Followup]) -> DateColumn {
        DateColumn(map_parts(followups, |part| {
            part.iter().map(|f| f.date(Field::FollowupDate)).collect()
        }))
    }
}

/// The near-duplicate search of a dataset's customers, on its own thread.
/// Its findings go where they would have been had it run in line: after
/// the merge's, before the linking's and any added later.
pub struct NearSearch {
    handle: std::thread::JoinHandle<Vec<Finding>>,
    at: usize,
}

impl NearSearch {
    /// Starts the search over `customers`, which the merge that gave
    /// `first_of_key` made; `at` is the number of findings
    /// so far, where its findings are to go. Its list is given room for
    /// the others (those so far, and a quarter more for those added while
    /// it runs): on a big table it is the longest, and the others are
    /// moved into it instead of all of them into a new list. Room never
    /// written costs no memory; more findings than that only grow the list.
    fn start(customers: &[Customer], first_of_key: &FirstOfKey, at: usize) -> NearSearch {
        let candidates = near_candidates(customers, first_of_key);
        let room = at.saturating_add(at / 4).saturating_add(1 << 16);
        NearSearch {
            handle: std::thread::spawn(move || near_duplicates(&candidates, room)),
            at,
        }
    }

    /// Waits for the search and puts its findings in their place.
    pub fn join_into(self, ds: &mut Dataset) {
        let near = self
            .handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        insert_at(&mut ds.findings, self.at, near);
    }
}

/// Puts the items of `part` into `list` before its item `at` (at its end
/// when shorter), in order. A longer `part` takes the list's items into
/// its own allocation instead (its spare room, if it has some, is used).
fn insert_at<T>(list: &mut Vec<T>, at: usize, mut part: Vec<T>) {
    let at = at.min(list.len());
    if part.len() > list.len() {
        let after = list.split_off(at);
        part.splice(0..0, std::mem::take(list));
        part.extend(after);
        *list = part;
    } else {
        list.splice(at..at, part);
    }
}

/// Follow-ups, opportunities and complaints linked to the merged customers
/// (rejected rows left out), with the `orphan_followup` findings of rows
/// whose customer is in no customer table (raised only when one was read).
type LinkedTables = (Vec<Followup>, Vec<Record>, Vec<Record>, Vec<Finding>);

/// A row linked to a customer: a record or a follow-up.
trait LinkedRow: NamesCustomer + Sync {
    /// Where the row was read.
    fn origin(&self) -> &Origin;
    /// True when the row is rejected from the metrics.
    fn is_rejected(&self) -> bool;
    /// The place of its customer, once linked.
    fn customer(&self) -> Option<usize>;
    /// Links it to the customer at `customer`.
    fn set_customer(&mut self, customer: Option<usize>);
}

impl LinkedRow for Record {
    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn is_rejected(&self) -> bool {
        self.rejected
    }

    fn customer(&self) -> Option<usize> {
        Record::customer(self)
    }

    fn set_customer(&mut self, customer: Option<usize>) {
        Record::set_customer(self, customer);
    }
}

impl LinkedRow for Followup {
    fn origin(&self) -> &Origin {
        &self.origin
    }

    fn is_rejected(&self) -> bool {
        self.rejected
    }

    fn customer(&self) -> Option<usize> {
        Followup::customer(self)
    }

    fn set_customer(&mut self, customer: Option<usize>) {
        Followup::set_customer(self, customer);
    }
}

/// The customer of each row (`None` for a rejected one), found on a
/// thread per core, each remembering its last id and the names it has keyed.
fn customers_of<R: LinkedRow>(index: &CustomerIndex, rows: &[R]) -> Vec<Option<u32>> {
    map_parts(rows, |part| {
        let mut memo = LinkMemo::default();
        let mut find = |r: &R| (!r.is_rejected()).then(|| index.find_memo(r, &mut memo));
        // A run holds far fewer than 2^32 customers: memory runs out first.
        let place = |i: usize| u32::try_from(i).ok();
        part.iter()
            .map(&mut find)
            .map(|found| found.flatten().and_then(place))
            .collect()
    })
}

/// Links the accepted rows of the follow-ups, opportunities and complaints
/// to their customers in place ([`LinkedTables`]).
fn link_tables(
    customers: &[Customer],
    first_of_key: FirstOfKey,
    has_customer_table: bool,
    followups: Vec<Followup>,
    opportunities: Vec<Record>,
    complaints: Vec<Record>,
) -> LinkedTables {
    let index = CustomerIndex::new(customers, first_of_key);
    let mut findings = Vec::new();
    let followups = link_rows(&index, has_customer_table, followups, &mut findings);
    let opportunities = link_rows(&index, has_customer_table, opportunities, &mut findings);
    let complaints = link_rows(&index, has_customer_table, complaints, &mut findings);
    (followups, opportunities, complaints, findings)
}

/// Links the rows to their customers in place, leaves the rejected ones
/// out, and raises `orphan_followup` for a row whose customer is in no
/// customer table (when one was read).
fn link_rows<R: LinkedRow>(
    index: &CustomerIndex,
    has_customer_table: bool,
    mut rows: Vec<R>,
    findings: &mut Vec<Finding>,
) -> Vec<R> {
    let found = customers_of(index, &rows);
    for (row, customer) in rows.iter_mut().zip(found) {
        row.set_customer(customer.map(|c| c as usize));
    }
    rows.retain(|row| !row.is_rejected());
    let orphans = rows
        .iter()
        .filter(|r| has_customer_table && r.customer().is_none());
    for row in orphans {
        let name = row
            .customer_name()
            .or_else(|| row.customer_id())
            .cloned()
            .unwrap_or_else(empty_text);
        findings.push(Finding::shared(
            Code::OrphanFollowup,
            row.origin(),
            label_text(Field::CustomerName),
            name,
        ));
    }
    rows
}

/// The latest of the dates `date_of` gives `items`, found on a thread per core.
fn latest_over<T: Sync>(
    items: &[T],
    date_of: impl Fn(&T) -> Option<NaiveDate> + Sync,
) -> Option<NaiveDate> {
    map_parts(items, |part| vec![part.iter().filter_map(&date_of).max()])
        .into_iter()
        .flatten()
        .max()
}

/// The findings `each` raises for `items`, gathered on a thread per core,
/// in item order.
fn findings_over<T: Sync>(
    items: &[T],
    each: impl Fn(&T, &mut Vec<Finding>) + Sync,
) -> Vec<Finding> {
    map_parts(items, |part| {
        let mut found = Vec::new();
        part.iter().for_each(|item| each(item, &mut found));
        found
    })
}

impl Dataset {
    /// Deduplicates customers and links the other tables to them, the
    /// near-duplicate findings included.
    pub fn build(tables: Tables) -> Dataset {
        let (mut ds, near) = Dataset::build_deferred(tables);
        near.join_into(&mut ds);
        ds
    }

    /// [`Dataset::build`] with the near-duplicate search still running on
    /// its own thread: the caller goes on with the dataset (as-of date,
    /// opportunities) and adds its findings with [`NearSearch::join_into`].
    pub fn build_deferred(tables: Tables) -> (Dataset, NearSearch) {
        let Tables {
            customers,
            followups,
            opportunities,
            roster,
            targets,
            complaints,
            inputs,
            mut findings,
            rows,
            column_names,
            projection: _,
        } = tables;
        let rejected_of = |t: &[Record]| t.iter().filter(|r| r.rejected).cloned().collect();
        let mut rejected: Vec<Record> = rejected_of(&customers);
        let rejected_followups = followups.iter().filter(|f| f.rejected);
        rejected.extend(rejected_followups.map(|f| f.to_record().into_owned()));
        for t in [&opportunities, &complaints, &targets] {
            rejected.extend(rejected_of(t));
        }
        let has_customer_table = !customers.is_empty();
        let (merged, first_of_key) = merge_duplicates(customers, &mut findings);
        let near = NearSearch::start(&merged, &first_of_key, findings.len());
        let has_opportunity_table = !opportunities.is_empty();
        let (followups, opportunities, complaints, link_findings) = link_tables(
            &merged,
            first_of_key,
            has_customer_table,
            followups,
            opportunities,
            complaints,
        );
        findings.extend(link_findings);
        let followup_dates = DateColumn::of(&followups);
        let ds = Dataset {
            customers: merged,
            followups,
            followup_dates,
            opportunities,
            complaints,
            roster,
            targets: targets.into_iter().filter(|r| !r.rejected).collect(),
            has_opportunity_table,
            rejected,
            inputs,
            rows,
            findings,
            column_names,
        };
        (ds, near)
    }

    /// The follow-up date of each of [`Dataset::followups`], in order
    /// (`None` where it has none): the column read when the dataset was
    /// built, or, for a dataset put together by hand, the records' dates.
    pub fn followup_dates(&self) -> Cow<'_, [Option<NaiveDate>]> {
        if self.followup_dates.0.len() == self.followups.len() {
            Cow::Borrowed(&self.followup_dates.0)
        } else {
            Cow::Owned(DateColumn::of(&self.followups).0)
        }
    }

    /// The as-of date when none is given: the latest follow-up date, signed
    /// date of a won deal, first-contact, created or last-follow-up date that
    /// is not after `today` (metrics.md §0). Each table is read on a thread
    /// per core.
    pub fn infer_as_of(&self, today: NaiveDate, won_stage: usize) -> Option<NaiveDate> {
        let customer_fields = [
            Field::FirstContactDate,
            Field::CreatedDate,
            Field::LastFollowupDate,
        ];
        let latest_of = |r: &Record, fields: &[Field]| {
            let won = r.stage(Field::Stage) == Some(won_stage)
                || matches!(r.values.get(&Field::DealStatus), Some(Value::Text(s)) if &**s == "won");
            let signed = won.then(|| r.date(Field::SignedDate)).flatten();
            fields
                .iter()
                .map(|f| r.date(*f))
                .chain([signed])
                .flatten()
                .filter(|d| *d <= today)
                .max()
        };
        // A follow-up's own date is in the date column, and only a row
        // with a signed date can add one: the others' values are not read.
        let followup_dates = self.followup_dates();
        [
            latest_over(&self.customers, |c| latest_of(&c.record, &customer_fields)),
            latest_over(&self.opportunities, |o| latest_of(o, &customer_fields)),
            latest_over(&followup_dates, |d| d.filter(|d| *d <= today)),
            latest_over(&self.followups, |f| {
                let record = f.record().filter(|r| r.has(Field::SignedDate))?;
                latest_of(record, &[])
            }),
        ]
        .into_iter()
        .flatten()
        .max()
    }

    /// Raises `future_date` for dates after the as-of date, except expected
    /// close dates (open deals look ahead, and so does the signed date of a
    /// deal that is not won) and due dates. Each table is read on a thread
    /// per core (millions of records, each value looked at, but for a
    /// follow-up with no date besides its own).
    pub fn flag_future_dates(&mut self, as_of: NaiveDate, stages: &Pipeline) {
        let won_stage = stages.won();
        let exempt = [Field::ExpectedCloseDate, Field::DueDate];
        let finding = |origin: &Origin, f: Field, original: Option<Text>| {
            let column = self
                .column_names
                .get(&(origin.file().to_string(), origin.sheet().to_string(), f))
                .cloned()
                .unwrap_or_else(|| f.label().to_string());
            Finding::new(
                Code::FutureDate,
                origin,
                &column,
                &original.unwrap_or_default(),
            )
        };
        let future_of = |r: &Record, found: &mut Vec<Finding>| {
            // A signed date on a deal that is not won is its expected (or lost) date.
            let won = r.stage(Field::Stage) == Some(won_stage)
                || matches!(r.values.get(&Field::DealStatus), Some(Value::Text(s)) if &**s == "won");
            for (f, v) in r.values.iter() {
                if exempt.contains(f) || (*f == Field::SignedDate && !won) {
                    continue;
                }
                let date = match v {
                    Value::Date(d) => Some(*d),
                    Value::DateTime(dt) => Some(dt.date()),
                    _ => None,
                };
                if date.is_some_and(|d| d > as_of) {
                    found.push(finding(&r.origin, *f, r.original(*f, stages)));
                }
            }
        };
        let mut found = findings_over(&self.customers, |c, found| future_of(&c.record, found));
        // Only fields of the date kinds hold dates. A follow-up whose only
        // such field, but for those exempt, is its follow-up date is
        // checked in the date column, without reading its record.
        let dates = self.followup_dates();
        let own_date_only = |r: &Record| {
            r.values.fields().all(|f| {
                f == Field::FollowupDate
                    || exempt.contains(&f)
                    || !matches!(f.kind(), FieldKind::Date | FieldKind::DateTime)
            })
        };
        found.extend(map_ranges(self.followups.len(), |range| {
            let mut found = Vec::new();
            for (f, date) in self.followups[range.clone()].iter().zip(&dates[range]) {
                match f.record() {
                    Some(r) if !own_date_only(r) => future_of(r, &mut found),
                    _ if date.is_some_and(|d| d > as_of) => {
                        found.push(finding(&f.origin, Field::FollowupDate, f.date_as_written()))
                    }
                    _ => {}
                }
            }
            found
        }));
        drop(dates);
        for table in [&self.opportunities, &self.complaints] {
            found.extend(findings_over(table, future_of));
        }
        found.sort_by(Finding::place_order);
        found.dedup();
        self.findings.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use super::insert_at;

    /// Inserting puts the part before item `at`, or at the end past it,
    /// whichever list is longer and whatever room the part has.
    #[test]
    fn insert_at_puts_the_part_in_place() {
        for (list_len, part_len) in [(0, 0), (0, 3), (3, 0), (2, 5), (5, 2), (4, 4)] {
            for at in 0..=list_len + 1 {
                for room in [0, 10] {
                    let list: Vec<u32> = (0..list_len).collect();
                    let mut part = Vec::with_capacity(part_len as usize + room);
                    part.extend(100..100 + part_len);
                    let cut = (at as usize).min(list.len());
                    let mut want = list[..cut].to_vec();
                    want.extend(&part);
                    want.extend(&list[cut..]);
                    let mut got = list;
                    insert_at(&mut got, at as usize, part);
                    assert_eq!(got, want, "list {list_len}, part {part_len}, at {at}");
                }
            }
        }
    }
}
