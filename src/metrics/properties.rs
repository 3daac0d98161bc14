//! Property tests (proptest) of metric invariants over random customer and
//! follow-up sheets: reached is non-increasing by stage, won + lost + open is
//! the known-stage total, rows read = accepted + rejected + skipped, and
//! every rate is within [0, 1].

use chrono::NaiveDate;
use proptest::prelude::*;

use crm_core::config::Config;
use crm_core::dataset::Dataset;
use crm_core::model::{Cell, RawSheet};
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::build_opportunities;
use crm_core::tables::{LoadOptions, Tables};

use super::{compute, MetricsInput};
use crate::report::summary::Summary;

/// Stage cells drawn from canonical labels, synonyms, junk and blanks.
const STAGES: &[&str] = &[
    "线索",
    "需求分析",
    "方案沟通",
    "商务谈判",
    "成交",
    "丢单",
    "在跟进",
    "",
    "Closed Won",
];
/// Grade cells.
const GRADES: &[&str] = &["A", "B类", "C", "", "D"];
/// Date cells, some unreadable.
const DATES: &[&str] = &[
    "2024-01-05",
    "2024/2/10",
    "2024年3月1日",
    "20240401",
    "",
    "上周",
    "2024-06-20",
];
/// Company names, with duplicates and a blank.
const NAMES: &[&str] = &[
    "甲公司",
    "乙有限公司",
    "乙公司",
    "丙科技",
    "",
    "合计",
    "丁集团",
];

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

/// A customers sheet from index rows.
fn customers(rows: &[(usize, usize, usize, usize, usize, u32)]) -> RawSheet {
    let mut out = vec![[
        "企业名称",
        "跟进状态",
        "客户分级",
        "首次接触时间",
        "签约日期",
        "成交金额",
    ]
    .map(text)
    .to_vec()];
    for &(n, s, g, d1, d2, amount) in rows {
        out.push(vec![
            text(NAMES[n % NAMES.len()]),
            text(STAGES[s % STAGES.len()]),
            text(GRADES[g % GRADES.len()]),
            text(DATES[d1 % DATES.len()]),
            text(DATES[d2 % DATES.len()]),
            text(&amount.to_string()),
        ]);
    }
    RawSheet {
        file: "p.csv".into(),
        sheet: "c".into(),
        encoding: None,
        rows: out,
        pending: None,
        note: None,
    }
}

/// A follow-ups sheet from index rows.
fn followups(rows: &[(usize, usize, usize)]) -> RawSheet {
    let mut out = vec![["企业名称", "跟进日期", "跟进状态"].map(text).to_vec()];
    for &(n, d, s) in rows {
        out.push(vec![
            text(NAMES[n % NAMES.len()]),
            text(DATES[d % DATES.len()]),
            text(STAGES[s % STAGES.len()]),
        ]);
    }
    RawSheet {
        file: "q.csv".into(),
        sheet: "f".into(),
        encoding: None,
        rows: out,
        pending: None,
        note: None,
    }
}

/// Runs the pipeline in process.
fn run(c: &RawSheet, f: &RawSheet) -> Summary {
    let config = Config::default();
    let pipeline = Pipeline::default();
    let opts = LoadOptions {
        config: &config,
        pipeline: &pipeline,
        default_year: 2024,
        kind: None,
        progress: None,
    };
    let mut tables = Tables::default();
    tables.add_sheet(c, &opts);
    tables.add_sheet(f, &opts);
    let ds = Dataset::build(tables);
    let as_of = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap_or_default();
    let opps = build_opportunities(&ds, &pipeline, as_of, &mut Vec::new());
    compute(&MetricsInput {
        ds: &ds,
        opps: &opps,
        pipeline: &pipeline,
        config: &config,
        as_of,
        period: None,
    })
    .expect("metrics compute")
}

fn rate_ok(r: Option<f64>) -> bool {
    r.is_none_or(|r| (0.0..=1.0).contains(&r))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn invariants_hold(
        cust in prop::collection::vec((0usize..20, 0usize..20, 0usize..10, 0usize..10, 0usize..10, 0u32..500_000), 0..25),
        fol in prop::collection::vec((0usize..20, 0usize..10, 0usize..20), 0..25),
    ) {
        let s = run(&customers(&cust), &followups(&fol));
        let r = s.rows;
        prop_assert_eq!(r.read, r.accepted + r.rejected + r.skipped);
        let reached: Vec<usize> = s.funnel.stages.iter().map(|st| st.reached).collect();
        prop_assert!(reached.windows(2).all(|w| w[0] >= w[1]), "reached {:?}", reached);
        let known = reached.first().copied().unwrap_or(0);
        prop_assert_eq!(s.funnel.won + s.funnel.lost + s.funnel.open, known);
        prop_assert!(rate_ok(s.funnel.win_rate) && rate_ok(s.funnel.overall_conversion));
        prop_assert!(s.funnel.stages.iter().all(|st| rate_ok(st.conversion_to_next)));
        prop_assert!(rate_ok(s.cadence.compliance));
        prop_assert!(s.cadence.overdue <= s.cadence.tracked);
        prop_assert!(s.reps.iter().all(|p| rate_ok(p.cadence_compliance) && rate_ok(p.completeness) && rate_ok(p.win_rate)));
        prop_assert!(s.top_needs.windows(2).all(|w| w[0].customers >= w[1].customers));
    }
}
