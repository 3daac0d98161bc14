//! The customers table: what each customer is (owner, stage, dates,
//! amounts) and the follow-up schedule the follow-ups file must match.
//!
//! Customer `i` is computed from the seed and `i` alone, so the table can
//! be streamed row by row at any size and a duplicate row can recompute the
//! earlier customer it repeats. How the row is *written* (labels, forms,
//! blanks) is `row.rs`; this module decides the facts.

use crate::cell::Cell;
use crate::names::{identity, Identity};
use crate::plan::{Plan, Quirk};
use crate::rng::{stream, Rng};
use crate::row;
use crate::vocab::{NEEDS, REPS, SOURCES};
use chrono::{Days, NaiveDate};

const SALT_ROW: u64 = 0x3F;
const SALT_DUP: u64 = 0x40;
/// Follow-up counts have their own stream, so the customers table is the
/// same whatever `followups_per_customer` is.
const SALT_COUNT: u64 = 0x41;

/// Canonical stages (metrics.md §1); the discriminant is the stage order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// 线索.
    Lead = 1,
    /// 需求分析.
    Qualify = 2,
    /// 方案沟通.
    Proposal = 3,
    /// 商务谈判.
    Negotiation = 4,
    /// 成交.
    Won = 5,
    /// 流失.
    Lost = 6,
}

impl Stage {
    /// The open stage of a given order (1–4).
    pub fn open(order: u8) -> Stage {
        match order {
            0 | 1 => Stage::Lead,
            2 => Stage::Qualify,
            3 => Stage::Proposal,
            _ => Stage::Negotiation,
        }
    }
}

/// Grade classes; `None` on a customer means ungraded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grade {
    /// A: key account.
    A,
    /// B.
    B,
    /// C.
    C,
}

impl Grade {
    /// Allowed follow-up gap in days (metrics.md §4).
    pub fn allowed_gap(grade: Option<Grade>) -> i64 {
        match grade {
            Some(Grade::A) => 7,
            Some(Grade::B) => 14,
            Some(Grade::C) | None => 30,
        }
    }
}

/// Everything shared by all rows of one generated table.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The user's seed.
    pub seed: u64,
    /// Last day of the data.
    pub as_of: NaiveDate,
    /// First possible date of the data.
    pub start: NaiveDate,
    /// Mean follow-ups per customer.
    pub followups_per_customer: f64,
    /// Number of customer rows written.
    pub customers: usize,
    /// Where the planted problems go.
    pub plan: Plan,
}

impl Ctx {
    /// The context for `customers` rows; data starts on 2025-01-01 or a
    /// year before `as_of`, whichever is earlier.
    pub fn new(
        seed: u64,
        as_of: NaiveDate,
        customers: usize,
        followups_per_customer: usize,
    ) -> Self {
        let floor = NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
        let start = floor.min(as_of - Days::new(365));
        Ctx {
            seed,
            as_of,
            start,
            followups_per_customer: followups_per_customer as f64,
            customers,
            plan: Plan::new(seed, customers),
        }
    }

    /// Days from the first possible date to `as_of`.
    pub fn span(&self) -> i64 {
        (self.as_of - self.start).num_days()
    }
}

/// One customer: the facts, and its row as written.
#[derive(Debug, Clone)]
pub struct Customer {
    /// Row number in the table, 0-based.
    pub index: u64,
    /// 客户编号 as written (may be empty).
    pub id: String,
    /// 企业名称 as written (may be empty).
    pub name: String,
    /// The company behind the name.
    pub identity: Identity,
    /// Index into [`REPS`] of the owner, `None` when unassigned.
    pub rep: Option<usize>,
    /// Index into [`SOURCES`].
    pub source: usize,
    /// Declared grade.
    pub grade: Option<Grade>,
    /// Current stage (for a nonstandard label, the stage it really is).
    pub stage: Stage,
    /// Furthest stage before a loss.
    pub lost_at: Stage,
    /// 建档日期.
    pub created: NaiveDate,
    /// 首次接触时间.
    pub first_contact: NaiveDate,
    /// 签约日期 of a won deal.
    pub signed: Option<NaiveDate>,
    /// Date a lost deal was lost.
    pub closed: Option<NaiveDate>,
    /// Date of the last follow-up.
    pub last_touch: NaiveDate,
    /// Deal amount (won), expected amount (open) or potential, in yuan.
    pub value: f64,
    /// Whether an open deal's amount is written in 成交金额.
    pub shows_expected: bool,
    /// Core needs.
    pub needs: Vec<&'static str>,
    /// Secondary needs.
    pub secondary: Vec<&'static str>,
    /// Number of follow-ups to write.
    pub followups: usize,
    /// Number of orphan follow-ups to write after them.
    pub orphans: usize,
    /// The planted problem, if any.
    pub quirk: Option<Quirk>,
    /// Whether this row repeats an earlier customer.
    pub duplicate: bool,
    /// The row's cells in [`row::HEADER`] order.
    pub cells: Vec<Cell>,
}

/// Customer `i` of the table.
pub fn generate(ctx: &Ctx, i: u64) -> Customer {
    match ctx.plan.duplicate_of(i) {
        Some(j) => duplicate(ctx, i, j),
        None => original(ctx, i),
    }
}

fn days(n: i64) -> Days {
    Days::new(n.max(0) as u64)
}

fn pick_needs(rng: &mut Rng, count: usize, taken: &[&'static str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::with_capacity(count);
    for _ in 0..count * 3 {
        if out.len() == count {
            break;
        }
        let need = *rng.weighted(&NEEDS);
        if !out.contains(&need) && !taken.contains(&need) {
            out.push(need);
        }
    }
    out
}

/// A customer entered once (possibly with a planted quirk).
fn original(ctx: &Ctx, i: u64) -> Customer {
    let mut rng = stream(ctx.seed, SALT_ROW, i);
    let quirk = ctx.plan.quirk(i);
    let mut company = identity(ctx.seed, i);
    if let Some(j) = ctx.plan.near_duplicate_of(i) {
        company = identity(ctx.seed, j).misspelt(&mut rng);
    }
    let rep = if rng.chance(0.025) {
        None
    } else {
        Some(rng.weighted_index(REPS.iter().map(|r| f64::from(r.weight))))
    };
    let source = rng.weighted_index(SOURCES.iter().map(|s| f64::from(s.1)));
    let grade = *rng.weighted(&[
        (Some(Grade::A), 25),
        (Some(Grade::B), 35),
        (Some(Grade::C), 32),
        (None, 6),
    ]);

    let win = rep.map_or(1.0, |r| REPS[r].win_factor) * SOURCES[source].2;
    let forced_won = matches!(
        quirk,
        Some(
            Quirk::BadSatisfaction
                | Quirk::SignBeforeStart
                | Quirk::WonWithoutAmount
                | Quirk::WonWithoutSignDate
                | Quirk::NegativeAmount
                | Quirk::VagueDealAmount
        )
    );
    let weights = [25.0, 20.0, 15.0, 10.0, 20.0 * win, 10.0];
    let stage = if forced_won {
        Stage::Won
    } else {
        match rng.weighted_index(weights.iter().copied()) {
            0 => Stage::Lead,
            1 => Stage::Qualify,
            2 => Stage::Proposal,
            3 => Stage::Negotiation,
            4 => Stage::Won,
            _ => Stage::Lost,
        }
    };
    let lost_at = *rng.weighted(&[
        (Stage::Qualify, 40),
        (Stage::Proposal, 35),
        (Stage::Negotiation, 25),
    ]);

    // Dates: pick the length of what happened first, then fit it before as_of.
    let span = ctx.span();
    let (first_contact, signed, closed) = match stage {
        Stage::Won => {
            let cycle = (rng.log_uniform(12.0, 300.0).round() as i64).min(span - 1);
            let first = ctx.start + days(rng.range(0, span - cycle));
            (first, Some(first + days(cycle)), None)
        }
        Stage::Lost => {
            let after = rng.range(10, 200).min(span - 1);
            let first = ctx.start + days(rng.range(0, span - after));
            (first, None, Some(first + days(after)))
        }
        open => {
            let (min_age, max_age) = match open {
                Stage::Lead => (0, if rng.chance(0.2) { span } else { 240 }),
                Stage::Qualify => (10, 360),
                Stage::Proposal => (20, 450),
                _ => (30, span),
            };
            let age = rng.range(min_age, max_age.min(span));
            (ctx.as_of - days(age), None, None)
        }
    };
    let created = (first_contact - days(rng.range(0, 10)))
        .max(ctx.start)
        .min(first_contact);
    let gap = Grade::allowed_gap(grade);
    let last_touch = match stage {
        Stage::Won => {
            let s = signed.unwrap_or(first_contact);
            if rng.chance(0.55) {
                (ctx.as_of - days(rng.range(0, 150))).max(s)
            } else {
                s
            }
        }
        Stage::Lost => closed.unwrap_or(first_contact),
        _ if rng.chance(0.12) => (ctx.as_of - days(rng.range(61, 200))).max(first_contact),
        _ => (ctx.as_of - days(rng.range(0, gap * 7 / 5))).max(first_contact),
    };

    let value = match (stage, grade) {
        (_, Some(Grade::A)) => rng.log_uniform(300_000.0, 3_000_000.0),
        (_, Some(Grade::B)) => rng.log_uniform(100_000.0, 1_000_000.0),
        (_, Some(Grade::C)) => rng.log_uniform(50_000.0, 400_000.0),
        (_, None) => rng.log_uniform(50_000.0, 1_000_000.0),
    };
    let step = if rng.chance(0.7) { 10_000.0 } else { 1_000.0 };
    let value = (value / step).round().max(1.0) * step;
    let shows_expected = match stage {
        Stage::Proposal | Stage::Negotiation => rng.chance(0.25),
        Stage::Qualify => rng.chance(0.05),
        Stage::Lost => rng.chance(0.05),
        _ => false,
    };
    let core_count = *rng.weighted(&[(1usize, 45), (2, 40), (3, 15)]);
    let needs = pick_needs(&mut rng, core_count, &[]);
    let secondary = if rng.chance(0.4) {
        let n = *rng.weighted(&[(1usize, 70), (2, 30)]);
        pick_needs(&mut rng, n, &needs)
    } else {
        Vec::new()
    };

    let factor = match grade {
        Some(Grade::A) => 1.55,
        Some(Grade::B) => 0.97,
        Some(Grade::C) => 0.68,
        None => 0.78,
    };
    let mut counts = stream(ctx.seed, SALT_COUNT, i);
    let followups = match quirk {
        Some(Quirk::MissingName) => 0,
        _ => counts.poisson(ctx.followups_per_customer * factor) as usize,
    };
    let orphans = if quirk == Some(Quirk::Orphan) || counts.chance(0.008) {
        1 + counts.below(2) as usize
    } else {
        0
    };

    let mut customer = Customer {
        index: i,
        id: format!("KH{:06}", i + 1),
        name: company.name(),
        identity: company,
        rep,
        source,
        grade,
        stage,
        lost_at,
        created,
        first_contact,
        signed,
        closed,
        last_touch,
        value,
        shows_expected,
        needs,
        secondary,
        followups,
        orphans,
        quirk,
        duplicate: false,
        cells: Vec::new(),
    };
    row::write(ctx, &mut customer, &mut rng);
    customer
}

/// Row `i` repeating the earlier customer `j`: a variant of the name, the
/// same or no id, another owner now and then, entered again later, with a
/// follow-up or two under the variant name.
fn duplicate(ctx: &Ctx, i: u64, j: u64) -> Customer {
    let mut base = original(ctx, j);
    let mut rng = stream(ctx.seed, SALT_DUP, i);
    let variants = base.identity.variants();
    let variant = *rng.pick(&variants);
    base.index = i;
    base.duplicate = true;
    base.name = base.identity.render(variant);
    base.id = match rng.below(100) {
        0..=49 => base.id,
        50..=84 => String::new(),
        _ => format!("KH{:06}", i + 1),
    };
    if rng.chance(0.3) {
        base.rep = Some(rng.weighted_index(REPS.iter().map(|r| f64::from(r.weight))));
    }
    base.created = (base.created + days(rng.range(20, 200))).min(ctx.as_of);
    base.followups = (rng.poisson(0.8) as usize).clamp(1, 2);
    base.orphans = 0;
    base.quirk = None;
    row::write(ctx, &mut base, &mut rng);
    // A second entry is sketchier: some fields left out.
    for col in [
        row::CONTACT,
        row::TITLE,
        row::PHONE,
        row::EMAIL,
        row::NEED_SECONDARY,
        row::REMARK,
    ] {
        if rng.chance(0.4) {
            base.cells[col] = Cell::Empty;
        }
    }
    base
}
