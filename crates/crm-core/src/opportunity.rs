//! Opportunities as the funnel sees them (metrics.md §0–§1): which rows are
//! opportunities, their start date, current and furthest stage, and the
//! fields they fall back to from their customer. Raises the deal-level
//! findings (`won_without_sign_date`, `sign_before_start`…). Aggregation is
//! not done here: the metrics stage does it with polars.

use chrono::NaiveDate;

use crate::dataset::Dataset;
use crate::findings::{Code, Finding};
use crate::model::{Record, Text, Value};
use crate::normalize::stage::Pipeline;
use crate::schema::Field;

/// Key used for an empty or unmapped breakdown value.
pub const UNKNOWN_KEY: &str = "未知";
/// Owner key for opportunities and customers with no owner.
pub const UNASSIGNED: &str = "未分配";

/// One opportunity, resolved. A big input has a million of them, so its
/// customer's place and its stages are held in 4 and 2 bytes (a run has
/// far fewer customers than 2^32 and stages than 2^16; a place or stage
/// past that reads as none): 144 bytes instead of 192.
#[derive(Debug, Clone)]
pub struct Opportunity {
    /// Its customer, when linked (read it with [`Opportunity::customer`]).
    pub customer: Option<u32>,
    /// Customer name for lists (shared with its record).
    pub customer_name: Text,
    /// Owner (`未分配` when empty).
    pub owner: Text,
    /// Canonical source or `未知`.
    pub source: Text,
    /// Industry section name or `未知`.
    pub industry: Text,
    /// Grade or `未知`.
    pub grade: Text,
    /// Start date (metrics.md §0).
    pub start: Option<NaiveDate>,
    /// Signed date.
    pub signed: Option<NaiveDate>,
    /// Expected close date.
    pub expected_close: Option<NaiveDate>,
    /// Current stage index; `None` when unknown or non-standard (read it
    /// with [`Opportunity::current`]).
    pub current: Option<u16>,
    /// Furthest funnel order reached (1-based); `None` when the stage is
    /// unknown ([`Opportunity::furthest`]).
    pub furthest: Option<u16>,
    /// Deal amount in cents (negative amounts dropped).
    pub amount: Option<i64>,
    /// Row probability (0–1).
    pub probability: Option<f64>,
    /// Collected amount in cents, from the same row as the deal (negative
    /// amounts and amounts collected after the as-of date left out).
    pub collected: Option<i64>,
    /// Why a lost deal was lost (shared with the row).
    pub lost_reason: Option<Text>,
    /// The stage a lost deal was lost at (index), when recorded
    /// ([`Opportunity::lost_at`]).
    pub lost_at: Option<u16>,
    /// Dated stage history (follow-up rows with a stage), oldest first;
    /// empty unless the customer has exactly one opportunity.
    pub history: Box<[(NaiveDate, usize)]>,
}

// The size the struct's documentation promises (64-bit targets).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Opportunity>() == 144);

impl Opportunity {
    /// The place of its customer in `Dataset::customers`, when linked.
    pub fn customer(&self) -> Option<usize> {
        self.customer.map(|c| c as usize)
    }

    /// The current stage index.
    pub fn current(&self) -> Option<usize> {
        self.current.map(usize::from)
    }

    /// The furthest funnel order reached (1-based).
    pub fn furthest(&self) -> Option<usize> {
        self.furthest.map(usize::from)
    }

    /// The stage a lost deal was lost at.
    pub fn lost_at(&self) -> Option<usize> {
        self.lost_at.map(usize::from)
    }
}

/// A place or stage index in the fewer bytes `T` holds; `None` past them.
fn narrow<T: TryFrom<usize>>(i: Option<usize>) -> Option<T> {
    i.and_then(|i| T::try_from(i).ok())
}

/// Builds the opportunities of a dataset as of `as_of`, raising deal findings.
pub fn build_opportunities(
    ds: &Dataset,
    pipeline: &Pipeline,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
) -> Vec<Opportunity> {
    build_in_halves(ds, pipeline, as_of, findings, PARALLEL_ROWS)
}

/// [`build_opportunities`], split in two halves built side by side when
/// there are at least `parallel_rows` rows and two cores.
fn build_in_halves(
    ds: &Dataset,
    pipeline: &Pipeline,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
    parallel_rows: usize,
) -> Vec<Opportunity> {
    // Both read every follow-up: side by side on a big input.
    let (earliest, mut history) = std::thread::scope(|scope| {
        let history = scope.spawn(|| stage_history(ds, as_of));
        let earliest = earliest_followups(ds, as_of);
        let history = history
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (earliest, history)
    });
    let rows: Vec<Row> = if ds.has_opportunity_table {
        ds.opportunities
            .iter()
            .map(|o| {
                (
                    o.customer(),
                    o,
                    o.customer().map(|i| &ds.customers[i].record),
                )
            })
            .collect()
    } else {
        ds.customers
            .iter()
            .enumerate()
            .map(|(i, c)| (Some(i), &c.record, None))
            .collect()
    };
    // Opportunities per customer, by customer index.
    let mut per_customer = vec![0u32; ds.customers.len()];
    for c in rows.iter().filter_map(|(c, _, _)| *c) {
        if let Some(n) = per_customer.get_mut(c) {
            *n += 1;
        }
    }
    // Follow-up stages are the opportunity's history only when its
    // customer has exactly one opportunity (metrics.md §1), so it is
    // taken by this one opportunity.
    let mut histories: Vec<Vec<(NaiveDate, usize)>> = rows
        .iter()
        .map(|(customer, _, _)| {
            customer
                .filter(|c| per_customer.get(*c) == Some(&1))
                .and_then(|c| history.get_mut(c))
                .map(std::mem::take)
                .unwrap_or_default()
        })
        .collect();
    drop(history);
    let build = Build {
        pipeline,
        as_of,
        earliest: &earliest,
    };
    // Two halves side by side on a big input, the second appended to the
    // first: its opportunities and findings come after the first's, as on
    // one thread.
    let half = if rows.len() >= parallel_rows && crate::parallel::worker_count() > 1 {
        rows.len() / 2
    } else {
        rows.len()
    };
    let (rows_a, rows_b) = rows.split_at(half);
    let (histories_a, histories_b) = histories.split_at_mut(half);
    let mut out = Vec::with_capacity(rows.len());
    let (out_b, findings_b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let (mut out, mut findings) = (Vec::with_capacity(rows_b.len()), Vec::new());
            build.part(rows_b, histories_b, &mut out, &mut findings);
            (out, findings)
        });
        build.part(rows_a, histories_a, &mut out, findings);
        second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    out.extend(out_b);
    findings.extend(findings_b);
    out
}

/// The fewest rows split over two threads.
const PARALLEL_ROWS: usize = 1 << 14;

/// A row that is an opportunity: its customer's place, its record, and its
/// customer's record when it is a row of an opportunities table.
type Row<'a> = (Option<usize>, &'a Record, Option<&'a Record>);

/// What every opportunity of a build reads.
struct Build<'a> {
    pipeline: &'a Pipeline,
    as_of: NaiveDate,
    /// The earliest follow-up date of each customer, by place.
    earliest: &'a [Option<NaiveDate>],
}

impl Build<'_> {
    /// Appends to `out` the opportunities of `rows` (each with its stage
    /// history, taken from `histories`) that start by the as-of date, and
    /// their deal findings to `findings`.
    fn part(
        &self,
        rows: &[Row],
        histories: &mut [Vec<(NaiveDate, usize)>],
        out: &mut Vec<Opportunity>,
        findings: &mut Vec<Finding>,
    ) {
        let (pipeline, as_of) = (self.pipeline, self.as_of);
        // Each thread's own: threads counting references to one text take
        // its cache line from each other.
        let keys = Keys::new();
        for (&(customer, own, parent), hist) in rows.iter().zip(histories) {
            let pick = |f: Field| {
                own.values
                    .get(&f)
                    .or_else(|| parent.and_then(|p| p.values.get(&f)))
            };
            let date_of = |r: &Record| {
                r.date(Field::FirstContactDate)
                    .or_else(|| r.date(Field::CreatedDate))
            };
            let start = date_of(own)
                .or_else(|| parent.and_then(date_of))
                .or_else(|| customer.and_then(|c| self.earliest.get(c).copied().flatten()));
            if start.is_some_and(|s| s > as_of) {
                continue;
            }
            let (current, lost_at) = current_stage(own, pipeline);
            let hist = std::mem::take(hist);
            let hist_max = hist.iter().filter_map(|(_, s)| pipeline.order(*s)).max();
            let furthest = furthest_order(pipeline, current, lost_at, hist_max);
            let amount = own.money(Field::DealAmount).filter(|c| *c >= 0);
            // A signed date on an open deal is its expected close date; on a lost
            // one it is the date it was lost (schema.md §2). Only won deals sign.
            let is_won = current == Some(pipeline.won());
            let is_open = current.is_some() && !is_won && current != pipeline.lost();
            let signed = own.date(Field::SignedDate).filter(|_| is_won);
            let expected_close = own
                .date(Field::ExpectedCloseDate)
                .or_else(|| own.date(Field::SignedDate).filter(|_| is_open));
            let o = Opportunity {
                customer: narrow(customer),
                customer_name: text_of(pick(Field::CustomerName))
                    .unwrap_or_else(|| keys.empty.clone()),
                owner: text_of(pick(Field::Owner)).unwrap_or_else(|| keys.unassigned.clone()),
                source: text_of(pick(Field::Source)).unwrap_or_else(|| keys.unknown.clone()),
                industry: match pick(Field::Industry) {
                    Some(Value::Industry(m)) => m.section_name.clone(),
                    _ => keys.unknown.clone(),
                },
                grade: match pick(Field::Grade) {
                    Some(Value::Grade(g)) => keys.grade(*g),
                    _ => keys.unknown.clone(),
                },
                start,
                signed,
                expected_close,
                current: narrow(current),
                furthest: narrow(furthest),
                amount,
                probability: own.number(Field::Probability),
                lost_reason: text_of(own.values.get(&Field::LostReason))
                    .filter(|_| current.is_some() && current == pipeline.lost()),
                lost_at: narrow(
                    lost_at.filter(|_| current.is_some() && current == pipeline.lost()),
                ),
                history: hist.into_boxed_slice(),
                collected: own
                    .money(Field::CollectedAmount)
                    .filter(|c| *c >= 0)
                    .filter(|_| own.date(Field::CollectionDate).is_none_or(|d| d <= as_of)),
            };
            deal_findings(&o, own, pipeline, findings);
            out.push(o);
        }
    }
}

/// The text of a value, for keys (shared, not copied); `None` when empty.
fn text_of(v: Option<&Value>) -> Option<Text> {
    match v {
        Some(Value::Text(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

/// The fixed keys opportunities fall back to, made once per build and
/// shared by every opportunity that uses them.
struct Keys {
    empty: Text,
    unassigned: Text,
    unknown: Text,
    grades: [Text; 3],
}

impl Keys {
    fn new() -> Keys {
        Keys {
            empty: Text::from(""),
            unassigned: Text::from(UNASSIGNED),
            unknown: Text::from(UNKNOWN_KEY),
            grades: ["A", "B", "C"].map(Text::from),
        }
    }

    /// The key of a grade letter.
    fn grade(&self, g: char) -> Text {
        match g {
            'A' => self.grades[0].clone(),
            'B' => self.grades[1].clone(),
            'C' => self.grades[2].clone(),
            other => Text::from(other.to_string()),
        }
    }
}

/// Current stage and lost-at stage of a row, honouring a Pipedrive-style status.
pub fn current_stage(r: &Record, pipeline: &Pipeline) -> (Option<usize>, Option<usize>) {
    let stage = r.stage(Field::Stage);
    let lost_at = r.stage(Field::LostAtStage);
    match r.values.get(&Field::DealStatus) {
        Some(Value::Text(s)) if &**s == "won" => (Some(pipeline.won()), lost_at),
        Some(Value::Text(s)) if &**s == "lost" => (pipeline.lost(), lost_at.or(stage)),
        _ => (stage, lost_at),
    }
}

/// The furthest funnel order of metrics.md §1.
fn furthest_order(
    pipeline: &Pipeline,
    current: Option<usize>,
    lost_at: Option<usize>,
    history: Option<usize>,
) -> Option<usize> {
    let current = current?;
    if let Some(order) = pipeline.order(current) {
        return Some(order);
    }
    let cap = pipeline.funnel_len().saturating_sub(1).max(1);
    let best = [lost_at.and_then(|s| pipeline.order(s)), history]
        .into_iter()
        .flatten()
        .max();
    Some(best.map_or(1, |b| b.min(cap)))
}

/// The dated stage history of each customer, by customer index: follow-up
/// rows with a stage, dated on or before the as-of date, in date order
/// (input order on a tie).
fn stage_history(ds: &Dataset, as_of: NaiveDate) -> Vec<Vec<(NaiveDate, usize)>> {
    let mut out: Vec<Vec<(NaiveDate, usize)>> = vec![Vec::new(); ds.customers.len()];
    for (f, date) in ds.followups.iter().zip(ds.followup_dates().iter()) {
        // The stage last: a row's values are read only when it counts.
        let (Some(c), Some(d)) = (f.customer(), date.filter(|d| *d <= as_of)) else {
            continue;
        };
        if let (Some(h), Some(s)) = (out.get_mut(c), f.stage(Field::Stage)) {
            h.push((d, s));
        }
    }
    for h in &mut out {
        h.sort_by_key(|(d, _)| *d);
    }
    out
}

/// Earliest follow-up date of each customer, on or before the as-of date,
/// by customer index.
pub fn earliest_followups(ds: &Dataset, as_of: NaiveDate) -> Vec<Option<NaiveDate>> {
    let mut out: Vec<Option<NaiveDate>> = vec![None; ds.customers.len()];
    for (f, date) in ds.followups.iter().zip(ds.followup_dates().iter()) {
        let (Some(c), Some(d)) = (f.customer(), *date) else {
            continue;
        };
        if d <= as_of {
            if let Some(e) = out.get_mut(c) {
                *e = Some(e.map_or(d, |e| e.min(d)));
            }
        }
    }
    out
}

/// Deal-level findings of schema.md §4.
fn deal_findings(o: &Opportunity, r: &Record, pipeline: &Pipeline, findings: &mut Vec<Finding>) {
    let won = o.current() == Some(pipeline.won());
    let stage_text = || r.original(Field::Stage, pipeline).unwrap_or_default();
    if won && o.signed.is_none() {
        findings.push(Finding::new(
            Code::WonWithoutSignDate,
            &r.origin,
            Field::SignedDate.label(),
            &stage_text(),
        ));
    }
    if won && o.amount.is_none() {
        findings.push(Finding::new(
            Code::WonWithoutAmount,
            &r.origin,
            Field::DealAmount.label(),
            &stage_text(),
        ));
    }
    if !won && o.amount.is_some_and(|a| a > 0) {
        let original = r.original(Field::DealAmount, pipeline).unwrap_or_default();
        findings.push(Finding::new(
            Code::AmountWithoutWon,
            &r.origin,
            Field::DealAmount.label(),
            &original,
        ));
    }
    if let (true, Some(s), Some(start)) = (won, o.signed, o.start) {
        if s < start {
            let original = r.original(Field::SignedDate, pipeline).unwrap_or_default();
            findings.push(
                Finding::new(
                    Code::SignBeforeStart,
                    &r.origin,
                    Field::SignedDate.label(),
                    &original,
                )
                .with_detail(crate::normalize::date::iso_date(start)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, RawSheet};
    use crate::tables::tests::with_default_options;
    use crate::tables::Tables;

    const STAGES: [&str; 7] = [
        "线索",
        "需求分析",
        "方案沟通",
        "商务谈判",
        "成交",
        "丢单",
        "",
    ];
    const DATES: [&str; 5] = ["2024-01-05", "2024-03-01", "2024-05-20", "2024-09-01", ""];

    fn sheet(name: &str, rows: Vec<Vec<String>>) -> RawSheet {
        let cell = |s: String| {
            if s.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s)
            }
        };
        RawSheet {
            file: format!("{name}.csv"),
            sheet: name.into(),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(cell).collect())
                .collect(),
            ..RawSheet::default()
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    /// Customers with every mix of stage, start and signed date (some
    /// after the as-of date, some signing before they start), follow-ups
    /// with stages (histories), and, when `with_deals`, an opportunities
    /// table naming some customers twice.
    fn dataset(with_deals: bool) -> Dataset {
        let mut customers = vec![row(&[
            "企业名称",
            "跟进状态",
            "首次接触时间",
            "签约日期",
            "成交金额",
            "负责销售",
        ])];
        let mut followups = vec![row(&["企业名称", "跟进日期", "跟进状态"])];
        let mut deals = vec![row(&[
            "商机编号",
            "企业名称",
            "跟进状态",
            "签约日期",
            "成交金额",
        ])];
        for i in 0..60 {
            let name = format!("客户{i}有限公司");
            let (stage, start, signed) = (STAGES[i % 7], DATES[i % 5], DATES[(i / 5) % 5]);
            let amount = if i % 4 == 0 {
                String::new()
            } else {
                format!("{}", i * 1000)
            };
            let owner = ["王磊", "", "李娜"][i % 3];
            customers.push(row(&[&name, stage, start, signed, &amount, owner]));
            for k in 0..(i % 3) {
                followups.push(row(&[&name, DATES[(i + k) % 4], STAGES[(i + k) % 6]]));
            }
            for d in 0..(i % 3) {
                let id = format!("D{i}-{d}");
                deals.push(row(&[&id, &name, STAGES[(i + d) % 7], signed, &amount]));
            }
        }
        let mut tables = Tables::default();
        with_default_options(|opts| {
            tables.add_sheet(&sheet("客户", customers), opts);
            tables.add_sheet(&sheet("跟进", followups), opts);
            if with_deals {
                tables.add_sheet(&sheet("商机", deals), opts);
            }
        });
        Dataset::build(tables)
    }

    /// Built in two halves side by side, the opportunities and their deal
    /// findings are what one thread builds, in the same order.
    #[test]
    fn halves_build_what_one_thread_builds() {
        let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        let pipeline = Pipeline::default();
        for with_deals in [false, true] {
            let ds = dataset(with_deals);
            let build = |parallel_rows| {
                let mut findings = Vec::new();
                let opps = build_in_halves(&ds, &pipeline, as_of, &mut findings, parallel_rows);
                (
                    format!("{opps:?}"),
                    format!("{findings:?}"),
                    opps.len(),
                    findings.len(),
                )
            };
            let (one, halves) = (build(usize::MAX), build(0));
            assert_eq!(one, halves, "with deals: {with_deals}");
            // Some rows start after the as-of date, some raise findings,
            // and some opportunities carry a stage history.
            assert!(one.2 > 20 && one.2 < 60, "{}", one.2);
            assert!(one.3 > 0);
            assert!(one.0.contains("history: [("));
        }
    }
}
