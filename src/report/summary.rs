//! The wire types of `summary.json` (metrics.md §11). Compatibility promise:
//! keys are stable — fields are added, never renamed or removed, and their
//! meaning never changes. Rates are fractions 0–1 with full precision, `None`
//! (JSON `null`) when the denominator is 0; amounts are in currency units.
//! Logic lives in `metrics/`; these structs only carry the results.

use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use crm_core::model::Text;
use crm_core::normalize::date::iso_date;
use crm_core::tables::{InputInfo, RowCounts};

/// Writes a day as `YYYY-MM-DD`. List rows hold their days as dates, not
/// text: the overdue lists of a big run have hundreds of thousands of rows.
fn day<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso_date(*d))
}

/// [`day`], or null.
fn maybe_day<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => day(d, s),
        None => s.serialize_none(),
    }
}

/// The whole summary of a run.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Tool name and version.
    pub tool: Tool,
    /// The as-of date, `YYYY-MM-DD`.
    pub as_of: String,
    /// The report period (`2024-03`, `2024-Q1`, `2024`, `from..to`), or null.
    pub period: Option<String>,
    /// What was read, per sheet.
    pub inputs: Vec<InputInfo>,
    /// Row counts.
    pub rows: RowCounts,
    /// Customer counts.
    pub customers: Customers,
    /// The funnel (§1).
    pub funnel: Funnel,
    /// Activity in the period.
    pub activity: Activity,
    /// Sales cycle (§2).
    pub cycle_days: Cycle,
    /// Top needs (§3).
    pub top_needs: Vec<NeedCount>,
    /// Keyword view of free-text needs (not yet computed: empty).
    pub need_keywords: Vec<NeedKeyword>,
    /// Follow-up cadence (§4).
    pub cadence: Cadence,
    /// ABC grades (§5).
    pub grades: Grades,
    /// Per sales rep (§6).
    pub reps: Vec<RepRow>,
    /// Per team (§6, with a roster).
    pub teams: Vec<RepRow>,
    /// Satisfaction (§8).
    pub satisfaction: Satisfaction,
    /// Complaints (§8).
    pub complaints: Complaints,
    /// Monthly trend (§9).
    pub monthly: Vec<MonthRow>,
    /// Forward view: pipeline and expected closings (§10).
    pub forecast: Forecast,
    /// Targets (§10).
    pub targets: Vec<TargetRow>,
    /// To-dos (§10).
    pub todos: Todos,
    /// Weekly activity (§10).
    pub weekly_activity: Vec<WeekRow>,
    /// Collections (§10).
    pub collections: Collections,
    /// Data quality.
    pub quality: Quality,
    /// Lost deals by reason, stage lost at and owner (added).
    pub lost_analysis: LostAnalysis,
    /// Time spent in each stage, from dated stage history (added).
    pub time_in_stage: TimeInStage,
    /// The previous period's headline figures (`--compare-previous`), else null (added).
    pub compare: Option<Compare>,
}

/// One group of lost deals.
#[derive(Debug, Clone, Serialize)]
pub struct LostRow {
    /// Reason, stage code or owner (`未知` when empty).
    pub key: String,
    /// Lost deals.
    pub lost: usize,
    /// Sum of their deal amounts.
    pub lost_amount: f64,
}

/// `lost_analysis`: lost deals of the funnel's opportunities.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LostAnalysis {
    /// By `lost_reason`.
    pub by_reason: Vec<LostRow>,
    /// By the stage lost at (`lost_at_stage`, stage code).
    pub by_stage: Vec<LostRow>,
    /// By owner.
    pub by_owner: Vec<LostRow>,
}

/// Stay statistics of one stage.
#[derive(Debug, Clone, Serialize)]
pub struct StageStay {
    /// Stage code.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// Opportunities with a stay in this stage.
    pub n: usize,
    /// Median of the latest stay, days.
    pub latest_median: Option<f64>,
    /// Mean of the latest stay, days.
    pub latest_mean: Option<f64>,
    /// Median of the cumulative stay (re-entries added), days.
    pub cumulative_median: Option<f64>,
    /// Mean of the cumulative stay, days.
    pub cumulative_mean: Option<f64>,
}

/// An open opportunity stalled in its current stage.
#[derive(Debug, Clone, Serialize)]
pub struct StalledRow {
    /// Customer name (shared with the opportunity).
    pub customer: Text,
    /// Owner (shared with the opportunity).
    pub owner: Text,
    /// Current stage code (shared by the rows of the stage).
    pub stage: Text,
    /// Days in the current stay up to the as-of date.
    pub days_in_stage: i64,
    /// The stage's stall threshold, days.
    pub threshold: i64,
}

/// `time_in_stage`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TimeInStage {
    /// Opportunities with a dated stage history.
    pub with_history: usize,
    /// Per stage before won, in stage order.
    pub stages: Vec<StageStay>,
    /// Stalled open opportunities, longest stay first, then customer.
    pub stalled: List<StalledRow>,
}

/// One headline figure beside its previous-period value.
#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    /// Figure key (`won`, `win_rate`, `won_amount`…).
    pub key: String,
    /// This period.
    pub current: Option<f64>,
    /// The previous period.
    pub previous: Option<f64>,
    /// current − previous.
    pub change: Option<f64>,
    /// (current − previous) / previous, for counts and amounts; null for rates.
    pub change_ratio: Option<f64>,
}

/// `compare`: month over month, quarter over quarter, year over year.
#[derive(Debug, Clone, Serialize)]
pub struct Compare {
    /// The previous period's label.
    pub previous_period: String,
    /// Its as-of date (its last day).
    pub previous_as_of: String,
    /// The headline figures.
    pub figures: Vec<CompareRow>,
}

/// `tool`.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// Always `crm-report`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// `customers`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Customers {
    /// Customers after deduplication.
    pub total: usize,
    /// Rows merged into an earlier customer.
    pub duplicates_merged: usize,
}

/// One stage of `funnel.stages`.
#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    /// Stage code.
    pub code: String,
    /// Chinese label.
    pub label: String,
    /// Opportunities currently at this stage.
    pub current: usize,
    /// Opportunities whose furthest stage is at or past this one.
    pub reached: usize,
    /// reached(k+1) / reached(k); null for the last stage or a zero denominator.
    pub conversion_to_next: Option<f64>,
}

/// One row of a funnel breakdown (`by_source`, …).
#[derive(Debug, Clone, Serialize)]
pub struct FunnelBreakdown {
    /// The group key (`未知` when empty).
    pub key: String,
    /// Known-stage opportunities.
    pub opportunities: usize,
    /// Won.
    pub won: usize,
    /// Lost.
    pub lost: usize,
    /// Open.
    pub open: usize,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// won / reached(1).
    pub overall_conversion: Option<f64>,
    /// Sum of won amounts.
    pub won_amount: f64,
}

/// `funnel`.
#[derive(Debug, Clone, Serialize)]
pub struct Funnel {
    /// Per stage, in stage order.
    pub stages: Vec<StageRow>,
    /// Won opportunities.
    pub won: usize,
    /// Lost opportunities.
    pub lost: usize,
    /// Open opportunities.
    pub open: usize,
    /// Opportunities with an unknown or non-standard stage.
    pub unknown_stage: usize,
    /// Opportunities left out of a period cohort for lack of a start date.
    pub no_start_date: usize,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// won / reached(1).
    pub overall_conversion: Option<f64>,
    /// Sum of won deal amounts.
    pub won_amount: f64,
    /// Sum of lost deal amounts.
    pub lost_amount: f64,
    /// Sum of open deal amounts.
    pub open_amount: f64,
    /// won_amount / won deals with an amount.
    pub avg_won_amount: Option<f64>,
    /// By lead source.
    pub by_source: Vec<FunnelBreakdown>,
    /// By industry section.
    pub by_industry: Vec<FunnelBreakdown>,
    /// By owner.
    pub by_owner: Vec<FunnelBreakdown>,
    /// By grade.
    pub by_grade: Vec<FunnelBreakdown>,
    /// By start month (cohort).
    pub by_start_month: Vec<FunnelBreakdown>,
}

/// `activity`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Activity {
    /// Deals signed in the period.
    pub signed: usize,
    /// Their amount.
    pub signed_amount: f64,
    /// Follow-ups dated in the period.
    pub followups: usize,
}

/// Statistics of a group of cycle lengths.
#[derive(Debug, Clone, Serialize)]
pub struct CycleGroup {
    /// Group key.
    pub key: String,
    /// Number of cycles.
    pub n: usize,
    /// Mean days.
    pub mean: Option<f64>,
    /// Median days.
    pub median: Option<f64>,
    /// 90th percentile (linear).
    pub p90: Option<f64>,
}

/// `cycle_days`.
#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    /// Number of won opportunities with a cycle.
    pub n: usize,
    /// Mean days.
    pub mean: Option<f64>,
    /// Median days.
    pub median: Option<f64>,
    /// 90th percentile (linear).
    pub p90: Option<f64>,
    /// Shortest.
    pub min: Option<i64>,
    /// Longest.
    pub max: Option<i64>,
    /// Every cycle length, for histograms (not in the spec's list; added).
    pub values: Vec<i64>,
    /// By owner.
    pub by_owner: Vec<CycleGroup>,
    /// By source.
    pub by_source: Vec<CycleGroup>,
    /// By industry section.
    pub by_industry: Vec<CycleGroup>,
    /// By grade.
    pub by_grade: Vec<CycleGroup>,
}

/// One entry of `top_needs`.
#[derive(Debug, Clone, Serialize)]
pub struct NeedCount {
    /// The need phrase as first seen.
    pub need: String,
    /// Distinct customers naming it.
    pub customers: usize,
}

/// One entry of `need_keywords`.
#[derive(Debug, Clone, Serialize)]
pub struct NeedKeyword {
    /// The keyword.
    pub keyword: String,
    /// Its weight.
    pub weight: f64,
}

/// Tracked / overdue / compliance of a group.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Compliance {
    /// Customers tracked.
    pub tracked: usize,
    /// Customers overdue.
    pub overdue: usize,
    /// (tracked − overdue) / tracked.
    pub compliance: Option<f64>,
}

/// One customer of the overdue list.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueRow {
    /// Customer name (shared with the record: the list can hold most of
    /// a million customers).
    pub customer: Text,
    /// Owner (shared with the record).
    pub owner: Text,
    /// Grade used for the gap (`C` when ungraded).
    pub grade: char,
    /// `active` or `maintenance`.
    pub state: &'static str,
    /// Last touch date.
    #[serde(serialize_with = "day")]
    pub last_touch: NaiveDate,
    /// Allowed gap in days.
    pub allowed_gap: i64,
    /// Days past the allowed gap.
    pub days_overdue: i64,
}

/// `cadence`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cadence {
    /// Customers tracked.
    pub tracked: usize,
    /// Customers overdue.
    pub overdue: usize,
    /// (tracked − overdue) / tracked.
    pub compliance: Option<f64>,
    /// Tracked customers with no date at all.
    pub undated: usize,
    /// By grade A/B/C.
    pub by_grade: BTreeMap<String, Compliance>,
    /// By state active/maintenance.
    pub by_state: BTreeMap<String, Compliance>,
    /// Overdue customers, most overdue first.
    pub overdue_list: List<OverdueRow>,
}

/// One mismatch of declared vs computed grade.
#[derive(Debug, Clone, Serialize)]
pub struct GradeMismatch {
    /// Customer name.
    pub customer: String,
    /// Declared grade.
    pub declared: String,
    /// Computed grade.
    pub computed: String,
    /// Won amount of the last 365 days.
    pub annual_amount: f64,
}

/// `grades`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Grades {
    /// Customers per declared grade.
    pub declared: BTreeMap<String, usize>,
    /// Customers per computed grade.
    pub computed: BTreeMap<String, usize>,
    /// Count of mismatches.
    pub mismatches: usize,
    /// The mismatches.
    pub mismatch_list: List<GradeMismatch>,
}

/// One row of `reps` (or `teams`, keyed by team in `owner`).
#[derive(Debug, Clone, Serialize)]
pub struct RepRow {
    /// Owner (or team) name; `未分配` when empty.
    pub owner: String,
    /// Customers owned.
    pub customers: usize,
    /// Known-stage opportunities.
    pub opportunities: usize,
    /// Won.
    pub won: usize,
    /// Lost.
    pub lost: usize,
    /// Open.
    pub open: usize,
    /// Won amount.
    pub won_amount: f64,
    /// won / (won + lost).
    pub win_rate: Option<f64>,
    /// Follow-ups.
    pub followups: usize,
    /// followups / customers.
    pub followups_per_customer: Option<f64>,
    /// Median cycle days.
    pub cycle_median_days: Option<f64>,
    /// Customers tracked for cadence.
    pub tracked: usize,
    /// Customers overdue.
    pub overdue: usize,
    /// Cadence compliance.
    pub cadence_compliance: Option<f64>,
    /// Average share of the ten key fields filled.
    pub completeness: Option<f64>,
}

/// `satisfaction`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Satisfaction {
    /// Scores given.
    pub n: usize,
    /// Mean score.
    pub mean: Option<f64>,
    /// Count per score 1–5.
    pub distribution: BTreeMap<String, usize>,
    /// Share of scores ≥ 4.
    pub satisfied_share: Option<f64>,
    /// Yes / (yes + no) of repurchase intent.
    pub repurchase_share: Option<f64>,
    /// Yes / (yes + no) of referral intent.
    pub referral_share: Option<f64>,
}

/// `complaints`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Complaints {
    /// Complaints.
    pub n: usize,
    /// Median response hours.
    pub median_response_hours: Option<f64>,
    /// Share responded within the SLA.
    pub response_sla_share: Option<f64>,
    /// Share resolved within the SLA.
    pub resolution_sla_share: Option<f64>,
    /// Complaints with no resolved time.
    pub open: usize,
}

/// One month of `monthly`.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Opportunities started.
    pub new_opportunities: usize,
    /// Follow-ups.
    pub followups: usize,
    /// Deals signed.
    pub won: usize,
    /// Their amount.
    pub won_amount: f64,
}

/// `forecast` (§10): the open pipeline, weighted, and expected closings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Forecast {
    /// Open opportunities (added).
    pub open: usize,
    /// Open amount.
    pub open_amount: f64,
    /// Σ open amount × probability (the row's, else the stage default).
    pub weighted_amount: f64,
    /// open_amount / open deals with an amount (added).
    pub avg_open_amount: Option<f64>,
    /// Per open stage, in stage order.
    pub by_stage: Vec<ForecastStage>,
    /// Expected closings: the as-of month and the next two.
    pub expected: Vec<ExpectedMonth>,
    /// Open deals whose expected close date is before the as-of date.
    pub slipped: Slipped,
}

/// One row of `forecast.by_stage`.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastStage {
    /// Stage code.
    pub code: String,
    /// Chinese label (added).
    pub label: String,
    /// Open opportunities at this stage.
    pub open: usize,
    /// Their amount.
    pub open_amount: f64,
    /// The stage's default probability; null when the config gives none.
    pub probability: Option<f64>,
    /// Σ amount × probability (row probabilities where given).
    pub weighted_amount: f64,
}

/// One month of `forecast.expected`.
#[derive(Debug, Clone, Serialize)]
pub struct ExpectedMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Open deals expected to close in the month.
    pub count: usize,
    /// Their amount.
    pub amount: f64,
    /// Their weighted amount (added).
    pub weighted_amount: f64,
}

/// `forecast.slipped`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Slipped {
    /// Count.
    pub count: usize,
    /// Amount.
    pub amount: f64,
    /// The deals, by expected close date, then customer.
    pub list: List<SlippedDeal>,
}

/// One deal of `forecast.slipped.list`.
#[derive(Debug, Clone, Serialize)]
pub struct SlippedDeal {
    /// Customer name.
    pub customer: String,
    /// Owner.
    pub owner: String,
    /// Current stage code.
    pub stage: String,
    /// Deal amount; null when none.
    pub amount: Option<f64>,
    /// Expected close date, `YYYY-MM-DD`.
    pub expected_close_date: String,
    /// as-of − expected close date, in days (added).
    pub days_slipped: i64,
}

/// One target row (§10): a rep's (`team` null) or a team's (`owner` null).
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// Rep.
    pub owner: Option<String>,
    /// Team.
    pub team: Option<String>,
    /// Period.
    pub period: String,
    /// Target amount.
    pub target: f64,
    /// Achieved amount.
    pub achieved: f64,
    /// achieved / target.
    pub attainment: Option<f64>,
    /// Share of the period elapsed.
    pub elapsed_share: Option<f64>,
}

/// `todos` (§10).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Todos {
    /// To-dos.
    pub total: usize,
    /// Overdue to-dos.
    pub overdue: usize,
    /// The overdue ones, by due date, then customer.
    pub overdue_list: List<TodoRow>,
    /// Per owner (added).
    pub by_owner: Vec<TodoOwner>,
}

/// One overdue to-do.
#[derive(Debug, Clone, Serialize)]
pub struct TodoRow {
    /// Customer name (shared with the record: the list can hold most of
    /// a million follow-ups).
    pub customer: Text,
    /// Owner (shared with the record).
    pub owner: Text,
    /// The next action (shared with the record).
    pub next_action: Text,
    /// Due date.
    #[serde(serialize_with = "day")]
    pub due_date: NaiveDate,
    /// as-of − due date, in days.
    pub days_overdue: i64,
    /// Date of the follow-up row that set the to-do (added).
    #[serde(serialize_with = "maybe_day")]
    pub followup_date: Option<NaiveDate>,
}

/// To-dos of one owner.
#[derive(Debug, Clone, Serialize)]
pub struct TodoOwner {
    /// Owner.
    pub owner: String,
    /// To-dos.
    pub total: usize,
    /// Overdue to-dos.
    pub overdue: usize,
}

/// One row of `weekly_activity` (§10).
#[derive(Debug, Clone, Serialize)]
pub struct WeekRow {
    /// ISO week.
    pub week: String,
    /// Rep.
    pub owner: String,
    /// Method.
    pub method: String,
    /// Follow-ups.
    pub count: usize,
}

/// `collections` (§10).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Collections {
    /// Signed amount.
    pub signed_amount: f64,
    /// Collected amount.
    pub collected_amount: f64,
    /// collected / signed; null when no input has a collected-amount column.
    pub rate: Option<f64>,
    /// Per rep, by signed amount descending, then key.
    pub by_owner: Vec<CollectionRow>,
}

/// One rep of `collections.by_owner`.
#[derive(Debug, Clone, Serialize)]
pub struct CollectionRow {
    /// Owner.
    pub key: String,
    /// Won deals signed up to the as-of date (added).
    pub deals: usize,
    /// Their amount.
    pub signed_amount: f64,
    /// Collected on them.
    pub collected_amount: f64,
    /// collected / signed.
    pub rate: Option<f64>,
}

/// `quality`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Number of findings.
    pub issues: usize,
    /// Findings per code.
    pub by_code: BTreeMap<String, usize>,
}

/// A long list of the summary (overdue customers, stalled and slipped
/// deals, grade mismatches, to-dos), shared by the copies of the summary
/// rather than copied: the reports' masked copy of a 1M-customer summary
/// copied 200 MB of rows it never changed. Reads as the `Vec` it holds; a
/// write to a list another copy shares copies it first. Serialized as
/// that `Vec`.
#[derive(Debug)]
pub struct List<T>(Arc<Vec<T>>);

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        List(Arc::clone(&self.0))
    }
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Arc::new(Vec::new()))
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(rows: Vec<T>) -> Self {
        List(Arc::new(rows))
    }
}

impl<T> std::ops::Deref for List<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Clone> std::ops::DerefMut for List<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        Arc::make_mut(&mut self.0)
    }
}

impl<T: Serialize> Serialize for List<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_shared_until_written_and_serializes_as_its_rows() {
        let a = List::from(vec!["x".to_string(), "y".to_string()]);
        let mut b = a.clone();
        assert_eq!(a.as_ptr(), b.as_ptr());
        b[0] = "z".into();
        assert_ne!(a.as_ptr(), b.as_ptr());
        assert_eq!(*a, ["x", "y"]);
        assert_eq!(*b, ["z", "y"]);
        assert_eq!(serde_json::to_string(&b).unwrap(), r#"["z","y"]"#);
        assert_eq!(serde_json::to_string(&List::<u8>::default()).unwrap(), "[]");
    }
}
