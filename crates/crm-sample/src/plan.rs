//! Where the planted problems go: which rows carry a quirk (a bad grade,
//! a future date…), which rows are duplicates of an earlier customer and
//! which are near-duplicates.
//!
//! Rare quirks are placed by slot rather than by chance, so even a small
//! table holds each of them: rows are numbered in cycles of `period`
//! (150, or the table size when smaller) and each quirk owns one slot of
//! the cycle. A 300-row table therefore has every quirk twice, a 1M-row
//! table about 6,700 times, and a 20-row table once.

use crate::names::identity;
use crate::rng::stream;

const SALT_ROLE: u64 = 0x2E;
const MAX_PERIOD: u64 = 150;
const DUP_SHARE: f64 = 0.03;
const DUP_LOOKBACK: u64 = 200;
const NEAR_LOOKBACK: u64 = 500;

/// A rare, planted problem on one customer row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// 最近跟进时间 a year ahead (typed the wrong year): `future_date`.
    FutureDate,
    /// 首次接触时间 written as `上周`: `unparseable_date`.
    UnparseableDate,
    /// 客户分级 `D`: `unknown_grade`.
    BadGrade,
    /// A won customer scoring `6`: `invalid_satisfaction`.
    BadSatisfaction,
    /// A mobile that Excel turned into `1.3812345678E10`.
    FloatPhone,
    /// Another company named one character away from an earlier one.
    NearDuplicate,
    /// An ID card number in 备注: `id_number`.
    IdNumber,
    /// 最近跟进时间 as `3月5日`: `date_without_year`.
    DateWithoutYear,
    /// Won, signed before the first contact: `sign_before_start`.
    SignBeforeStart,
    /// Won with no 成交金额: `won_without_amount`.
    WonWithoutAmount,
    /// Won with no 签约日期: `won_without_sign_date`.
    WonWithoutSignDate,
    /// Won with a negative amount (a credit note): `negative_amount`.
    NegativeAmount,
    /// Won with `约30万` as its amount: `unparseable_amount`.
    VagueDealAmount,
    /// Budget `50-30万`: `budget_min_gt_max`.
    BudgetMinGtMax,
    /// A half-filled row with neither name nor id: `missing_customer_name`.
    MissingName,
    /// Follow-ups for a company that is in no customer list: `orphan_followup`.
    Orphan,
}

/// Every quirk, in slot order.
pub const QUIRKS: [Quirk; 16] = [
    Quirk::FutureDate,
    Quirk::UnparseableDate,
    Quirk::BadGrade,
    Quirk::BadSatisfaction,
    Quirk::FloatPhone,
    Quirk::NearDuplicate,
    Quirk::IdNumber,
    Quirk::DateWithoutYear,
    Quirk::SignBeforeStart,
    Quirk::WonWithoutAmount,
    Quirk::WonWithoutSignDate,
    Quirk::NegativeAmount,
    Quirk::VagueDealAmount,
    Quirk::BudgetMinGtMax,
    Quirk::MissingName,
    Quirk::Orphan,
];

/// The placement of quirks and duplicates for one table.
#[derive(Debug, Clone)]
pub struct Plan {
    seed: u64,
    period: u64,
    offset: u64,
}

impl Plan {
    /// The plan for a table of `rows` customers under `seed`.
    pub fn new(seed: u64, rows: usize) -> Self {
        let period = (rows as u64).clamp(1, MAX_PERIOD);
        Plan {
            seed,
            period,
            offset: seed % period,
        }
    }

    /// The quirk planted on row `i`, if any.
    pub fn quirk(&self, i: u64) -> Option<Quirk> {
        let slot = (i + self.offset) % self.period;
        let k = QUIRKS.len() as u64;
        // Quirk q owns slot floor(q * period / k); with fewer slots than
        // quirks some quirks share a slot and the first one wins.
        QUIRKS
            .iter()
            .enumerate()
            .find(|(q, _)| (*q as u64) * self.period / k == slot)
            .map(|(_, quirk)| *quirk)
    }

    /// Whether row `i` is a plain row: no quirk and not a duplicate.
    fn is_plain(&self, i: u64) -> bool {
        self.quirk(i).is_none() && !self.draws_duplicate(i)
    }

    fn draws_duplicate(&self, i: u64) -> bool {
        i >= 3 && self.quirk(i).is_none() && stream(self.seed, SALT_ROLE, i).chance(DUP_SHARE)
    }

    /// For a duplicate row, the earlier plain row it repeats.
    pub fn duplicate_of(&self, i: u64) -> Option<u64> {
        if !self.draws_duplicate(i) {
            return None;
        }
        let mut rng = stream(self.seed, SALT_ROLE, i);
        rng.next_u64();
        let back = 1 + rng.below(i.min(DUP_LOOKBACK));
        (0..=i - back)
            .rev()
            .take(DUP_LOOKBACK as usize)
            .find(|&j| self.is_plain(j))
    }

    /// For a near-duplicate row, the earlier plain row with a city prefix
    /// whose name it misspells.
    pub fn near_duplicate_of(&self, i: u64) -> Option<u64> {
        if self.quirk(i) != Some(Quirk::NearDuplicate) {
            return None;
        }
        (0..i)
            .rev()
            .take(NEAR_LOOKBACK as usize)
            .find(|&j| self.is_plain(j) && identity(self.seed, j).prefix.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quirk_appears_in_a_period() {
        for rows in [20usize, 300] {
            let plan = Plan::new(42, rows);
            for q in QUIRKS {
                assert!(
                    (0..rows as u64).any(|i| plan.quirk(i) == Some(q)),
                    "{q:?} missing at {rows}"
                );
            }
        }
    }

    #[test]
    fn duplicates_point_back_to_plain_rows() {
        let plan = Plan::new(42, 10_000);
        let mut dups = 0;
        for i in 0..10_000 {
            if let Some(j) = plan.duplicate_of(i) {
                assert!(j < i);
                assert!(plan.is_plain(j));
                dups += 1;
            }
        }
        assert!((200..400).contains(&dups), "{dups} duplicates");
    }
}
