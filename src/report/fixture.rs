//! A small hand-made summary and findings for the writers' tests, with the
//! awkward cases on purpose: a null rate, a zero-denominator breakdown,
//! markup and a formula-like text in data, the `未分配` placeholder.

use std::collections::BTreeMap;

use crm_core::findings::{Code, Finding, Severity};
use crm_core::tables::{InputInfo, RowCounts};

use super::summary::*;
use forward::{forecast, grades, targets, todos};

mod forward;

/// Text that must come out escaped in HTML and as plain text in Excel.
pub const EVIL: &str = "<script>alert(1)</script>";

fn breakdown(
    key: &str,
    opportunities: usize,
    won: usize,
    lost: usize,
    amount: f64,
) -> FunnelBreakdown {
    let closed = won + lost;
    FunnelBreakdown {
        key: key.into(),
        opportunities,
        won,
        lost,
        open: opportunities - closed,
        win_rate: (closed > 0).then(|| won as f64 / closed as f64),
        overall_conversion: (opportunities > 0).then(|| won as f64 / opportunities as f64),
        won_amount: amount,
    }
}

fn stage(code: &str, label: &str, current: usize, reached: usize, conv: Option<f64>) -> StageRow {
    StageRow {
        code: code.into(),
        label: label.into(),
        current,
        reached,
        conversion_to_next: conv,
    }
}

fn rep(owner: &str, won: usize, amount: f64, rate: Option<f64>) -> RepRow {
    RepRow {
        owner: owner.into(),
        customers: 4,
        opportunities: 4,
        won,
        lost: 1,
        open: 3 - won.min(3),
        won_amount: amount,
        win_rate: rate,
        followups: 9,
        followups_per_customer: Some(2.25),
        cycle_median_days: Some(41.5),
        tracked: 3,
        overdue: 1,
        cadence_compliance: Some(2.0 / 3.0),
        completeness: Some(0.85),
    }
}

/// The test summary: 8 opportunities, 3 won for ¥1,234,567.89 in all.
pub fn fixture() -> Summary {
    let compliance = |tracked, overdue| Compliance {
        tracked,
        overdue,
        compliance: (tracked > 0).then(|| (tracked - overdue) as f64 / tracked as f64),
    };
    Summary {
        tool: Tool {
            name: "crm-report".into(),
            version: "0.1.0".into(),
        },
        as_of: "2024-06-30".into(),
        period: None,
        inputs: vec![InputInfo {
            file: "客户台账.xlsx".into(),
            sheet: "客户".into(),
            kind: "customers".into(),
            header_row: Some(3),
            encoding: None,
            rows: 12,
            error: None,
            note: None,
            columns: Vec::new(),
        }],
        rows: RowCounts {
            read: 12,
            accepted: 11,
            rejected: 1,
            skipped: 0,
            blank: 2,
        },
        customers: Customers {
            total: 8,
            duplicates_merged: 2,
        },
        funnel: Funnel {
            stages: vec![
                stage("lead", "线索", 1, 8, Some(0.75)),
                stage("qualify", "需求分析", 1, 6, Some(4.0 / 6.0)),
                stage("proposal", "方案沟通", 0, 4, Some(0.75)),
                stage("negotiation", "商务谈判", 0, 3, Some(1.0)),
                stage("won", "成交", 3, 3, None),
            ],
            won: 3,
            lost: 3,
            open: 2,
            unknown_stage: 1,
            no_start_date: 0,
            win_rate: Some(0.5),
            overall_conversion: Some(0.375),
            won_amount: 1_234_567.89,
            lost_amount: 50_000.0,
            open_amount: 80_000.0,
            avg_won_amount: Some(411_522.63),
            by_source: vec![
                breakdown("展会", 5, 2, 1, 1_000_000.0),
                breakdown(EVIL, 3, 1, 2, 234_567.89),
            ],
            by_industry: vec![breakdown("制造业", 8, 3, 3, 1_234_567.89)],
            by_owner: vec![
                breakdown("张伟", 5, 2, 2, 1_000_000.0),
                breakdown("未分配", 3, 1, 1, 234_567.89),
            ],
            by_grade: vec![
                breakdown("A", 6, 3, 1, 1_234_567.89),
                breakdown("未知", 2, 0, 0, 0.0),
            ],
            by_start_month: vec![breakdown("2024-05", 8, 3, 3, 1_234_567.89)],
        },
        activity: Activity {
            signed: 3,
            signed_amount: 1_234_567.89,
            followups: 20,
        },
        cycle_days: Cycle {
            n: 3,
            mean: Some(40.0),
            median: Some(38.0),
            p90: Some(52.4),
            min: Some(26),
            max: Some(56),
            values: vec![26, 38, 56],
            by_owner: vec![CycleGroup {
                key: "张伟".into(),
                n: 2,
                mean: Some(32.0),
                median: Some(32.0),
                p90: Some(36.8),
            }],
            by_source: vec![CycleGroup {
                key: "展会".into(),
                n: 0,
                mean: None,
                median: None,
                p90: None,
            }],
            by_industry: Vec::new(),
            by_grade: Vec::new(),
        },
        top_needs: vec![
            NeedCount {
                need: "CRM 系统".into(),
                customers: 5,
            },
            NeedCount {
                need: EVIL.into(),
                customers: 3,
            },
            NeedCount {
                need: "=1+1".into(),
                customers: 2,
            },
            NeedCount {
                need: "数据分析".into(),
                customers: 1,
            },
        ],
        need_keywords: Vec::new(),
        cadence: Cadence {
            tracked: 6,
            overdue: 2,
            compliance: Some(4.0 / 6.0),
            undated: 1,
            by_grade: BTreeMap::from([
                ("A".to_string(), compliance(2, 1)),
                ("C".to_string(), compliance(4, 1)),
            ]),
            by_state: BTreeMap::from([
                ("active".to_string(), compliance(5, 2)),
                ("maintenance".to_string(), compliance(1, 0)),
            ]),
            overdue_list: List::from(vec![OverdueRow {
                customer: "杭州某某科技有限公司".into(),
                owner: "张伟".into(),
                grade: 'A',
                state: "active",
                last_touch: day(2024, 6, 1),
                allowed_gap: 7,
                days_overdue: 22,
            }]),
        },
        grades: grades(),
        reps: vec![
            rep("张伟", 2, 1_000_000.0, Some(0.5)),
            rep("未分配", 0, 0.0, None),
        ],
        teams: Vec::new(),
        satisfaction: Satisfaction {
            n: 10,
            mean: Some(4.2),
            distribution: (1..=5)
                .map(|k: usize| (k.to_string(), [0, 1, 1, 3, 5][k - 1]))
                .collect(),
            satisfied_share: Some(0.8),
            repurchase_share: Some(0.5),
            referral_share: None,
        },
        complaints: Complaints {
            n: 2,
            median_response_hours: Some(1.5),
            response_sla_share: Some(0.5),
            resolution_sla_share: Some(1.0),
            open: 0,
        },
        monthly: vec![
            MonthRow {
                month: "2024-05".into(),
                new_opportunities: 8,
                followups: 12,
                won: 1,
                won_amount: 234_567.89,
            },
            MonthRow {
                month: "2024-06".into(),
                new_opportunities: 0,
                followups: 8,
                won: 2,
                won_amount: 1_000_000.0,
            },
        ],
        forecast: forecast(),
        targets: targets(),
        todos: todos(),
        weekly_activity: vec![
            week("2024-W25", "张伟", "电话", 3),
            week("2024-W26", "张伟", "微信", 1),
            week("2024-W26", "未分配", "拜访", 2),
        ],
        collections: Collections {
            signed_amount: 1_234_567.89,
            collected_amount: 1_000_000.0,
            rate: Some(1_000_000.0 / 1_234_567.89),
            by_owner: vec![CollectionRow {
                key: "张伟".into(),
                deals: 2,
                signed_amount: 1_000_000.0,
                collected_amount: 1_000_000.0,
                rate: Some(1.0),
            }],
        },
        quality: Quality {
            issues: 2,
            by_code: BTreeMap::from([
                ("unparseable_date".to_string(), 1),
                ("missing_customer_name".to_string(), 1),
            ]),
        },
        lost_analysis: LostAnalysis {
            by_reason: vec![lost("价格", 2, 50_000.0), lost(EVIL, 1, 0.0)],
            by_stage: vec![lost("proposal", 2, 50_000.0), lost("未知", 1, 0.0)],
            by_owner: vec![lost("张伟", 3, 50_000.0)],
        },
        time_in_stage: TimeInStage {
            with_history: 4,
            stages: vec![StageStay {
                code: "qualify".into(),
                label: "需求分析".into(),
                n: 4,
                latest_median: Some(12.0),
                latest_mean: Some(15.5),
                cumulative_median: Some(14.0),
                cumulative_mean: None,
            }],
            stalled: List::from(vec![StalledRow {
                customer: "杭州某某科技有限公司".into(),
                owner: "张伟".into(),
                stage: "qualify".into(),
                days_in_stage: 45,
                threshold: 30,
            }]),
        },
        compare: None,
    }
}

fn lost(key: &str, n: usize, amount: f64) -> LostRow {
    LostRow {
        key: key.into(),
        lost: n,
        lost_amount: amount,
    }
}

fn week(week: &str, owner: &str, method: &str, count: usize) -> WeekRow {
    WeekRow {
        week: week.into(),
        owner: owner.into(),
        method: method.into(),
        count,
    }
}

/// A day of the fixtures.
fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Two findings, one carrying markup and a formula-like value.
pub fn findings() -> Vec<Finding> {
    let source = std::sync::Arc::new(crm_core::model::Source {
        file: "客户台账.xlsx".into(),
        sheet: "客户".into(),
    });
    let finding = |code: Code, severity: Severity, row: u32, column: &str, value: &str| Finding {
        code,
        severity,
        row,
        source: source.clone(),
        column: column.into(),
        value: value.into(),
        detail: "".into(),
    };
    vec![
        finding(
            Code::UnparseableDate,
            Severity::Warning,
            5,
            "首次接触",
            "=HYPERLINK(\"x\")",
        ),
        finding(
            Code::MissingCustomerName,
            Severity::Error,
            7,
            "客户名称",
            EVIL,
        ),
    ]
}
