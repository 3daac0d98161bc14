//! The forward view (metrics.md §10) end to end: pipeline and weighted
//! amount, expected closings and slipped deals, targets of reps and teams,
//! target period forms, to-dos, weekly activity across a year end, and
//! collections — on the hand-computed fixtures of `forward_fixtures.rs`.

use serde_json::Value;

use crate::forward_fixtures::{
    write_csv, write_forward, write_opportunities, write_targets, write_year_end,
};
use crate::workdir::{close, Workdir};

/// Writes the as-of 2024-05-15 fixture into `in/` and runs the report.
fn report(wd: &Workdir, extra: &[&str]) -> Value {
    write_forward(&wd.join("in"));
    let mut args = Vec::new();
    if !extra.contains(&"--as-of") {
        args.extend_from_slice(&["--as-of", "2024-05-15"]);
    }
    args.extend_from_slice(extra);
    summary_of(wd, &args)
}

/// Runs `report in -o out --quiet` with `extra` flags on what is in `in/`
/// and returns summary.json.
fn summary_of(wd: &Workdir, extra: &[&str]) -> Value {
    let mut args = vec!["report", "in", "-o", "out", "--quiet"];
    args.extend_from_slice(extra);
    wd.run_ok(&args);
    wd.json("out/summary.json")
}

/// The `(owner or team, period)` keys of `targets`, in order.
fn target_keys(s: &Value) -> Vec<(String, String)> {
    s["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let who = t["owner"].as_str().or(t["team"].as_str()).unwrap();
            (who.to_string(), t["period"].as_str().unwrap().to_string())
        })
        .collect()
}

/// The target row of one rep or team and period.
fn target<'a>(s: &'a Value, who: &str, period: &str) -> &'a Value {
    s["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| (t["owner"] == who || t["team"] == who) && t["period"] == period)
        .unwrap_or_else(|| panic!("no target {who} {period}"))
}

#[test]
fn weighted_pipeline_with_and_without_row_probabilities() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let f = &s["forecast"];
    // Open: O1 线索 100000, O2 需求分析 200000, O3 方案沟通 300000,
    // O4 商务谈判 400000, O5 商务谈判 (no amount).
    assert_eq!(f["open"], 5);
    close(&f["open_amount"], 1_000_000.0);
    // O1 100000 × 0.1 (default) + O2 200000 × 0.5 (row 50%, not the 0.3 default)
    // + O3 300000 × 0.5 + O4 400000 × 0.7 + O5 0 × 0.9 (row)
    // = 10000 + 100000 + 150000 + 280000 + 0 = 540000.
    close(&f["weighted_amount"], 540_000.0);
    // 1000000 over the 4 open deals with an amount.
    close(&f["avg_open_amount"], 250_000.0);
    let stages: Vec<&str> = f["by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["lead", "qualify", "proposal", "negotiation"]);
    let qualify = &f["by_stage"][1];
    // The stage's probability is its default even when a row gives its own.
    close(&qualify["probability"], 0.3);
    close(&qualify["weighted_amount"], 100_000.0);
    let negotiation = &f["by_stage"][3];
    assert_eq!(negotiation["open"], 2);
    assert_eq!(negotiation["label"], "商务谈判");
    close(&negotiation["open_amount"], 400_000.0);
    close(&negotiation["weighted_amount"], 280_000.0);
}

#[test]
fn stage_probabilities_come_from_the_config() {
    let wd = Workdir::new();
    std::fs::write(
        wd.join("crm-report.toml"),
        "[forecast.stage_probability]\nlead = 0.2\n",
    )
    .unwrap();
    let s = report(&wd, &[]);
    // O1 now weighs 100000 × 0.2 = 20000: 540000 + 10000.
    close(&s["forecast"]["weighted_amount"], 550_000.0);
    close(&s["forecast"]["by_stage"][0]["probability"], 0.2);
    // The other defaults stay.
    close(&s["forecast"]["by_stage"][2]["probability"], 0.5);
}

#[test]
fn expected_closings_and_slipped_deals() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let f = &s["forecast"];
    let expected: Vec<(String, i64, f64)> = f["expected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["count"].as_i64().unwrap(),
                m["amount"].as_f64().unwrap(),
            )
        })
        .collect();
    // May: O1 (05-20) and O3 (05-03, earlier in the as-of month, also slipped)
    // = 100000 + 300000; June: O2; July: O5 (no amount). O4 (April) is only slipped.
    assert_eq!(
        expected,
        vec![
            ("2024-05".into(), 2, 400_000.0),
            ("2024-06".into(), 1, 200_000.0),
            ("2024-07".into(), 1, 0.0),
        ]
    );
    // May weighted: 100000 × 0.1 + 300000 × 0.5 = 160000.
    close(&f["expected"][0]["weighted_amount"], 160_000.0);
    let slipped = &f["slipped"];
    // O4 (expected 04-20) and O3 (05-03) are before 2024-05-15: 400000 + 300000.
    assert_eq!(slipped["count"], 2);
    close(&slipped["amount"], 700_000.0);
    let list = slipped["list"].as_array().unwrap();
    assert_eq!(list[0]["customer"], "丁公司");
    assert_eq!(list[0]["owner"], "李娜");
    assert_eq!(list[0]["stage"], "negotiation");
    close(&list[0]["amount"], 400_000.0);
    assert_eq!(list[0]["expected_close_date"], "2024-04-20");
    // 2024-04-20 → 2024-05-15: 10 + 15 = 25 days.
    assert_eq!(list[0]["days_slipped"], 25);
    assert_eq!(list[1]["customer"], "丙公司");
    assert_eq!(list[1]["stage"], "proposal");
    assert_eq!(list[1]["days_slipped"], 12);
}

#[test]
fn rep_and_team_targets_with_elapsed_share() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    // Without a report period: the periods holding 2024-05-15 (2024, 2024-Q2,
    // 2024-05). 王磊 2024-Q1 and 张伟 2024-04 are left out; so is 上半年.
    // Order: the year, then the quarter, then the month; reps before teams.
    assert_eq!(
        target_keys(&s),
        vec![
            ("华东一组".into(), "2024".into()),
            ("张伟".into(), "2024-Q2".into()),
            ("李娜".into(), "2024-Q2".into()),
            ("王磊".into(), "2024-Q2".into()),
            ("王磊".into(), "2024-05".into()),
        ]
    );
    let q2 = target(&s, "王磊", "2024-Q2");
    assert!(q2["team"].is_null());
    close(&q2["target"], 1_000_000.0);
    // 王磊 signed in Q2 up to 05-15: O6 500000 (04-10).
    close(&q2["achieved"], 500_000.0);
    close(&q2["attainment"], 0.5);
    // 2024-04-01 … 2024-05-15 = 30 + 15 = 45 of 91 days.
    close(&q2["elapsed_share"], 45.0 / 91.0);
    let may = target(&s, "王磊", "2024-05");
    // Nothing signed by 王磊 in May; 15 of 31 days gone.
    close(&may["achieved"], 0.0);
    close(&may["attainment"], 0.0);
    close(&may["elapsed_share"], 15.0 / 31.0);
    // 李娜 Q2: O7 200000 (05-10) of 400000.
    close(&target(&s, "李娜", "2024-Q2")["attainment"], 0.5);
    // 张伟 Q2: O11 60000 (05-12); O10 is signed 06-01, after the as-of date.
    let zw = target(&s, "张伟", "2024-Q2");
    close(&zw["achieved"], 60_000.0);
    close(&zw["attainment"], 0.6);
    // Team 华东一组 = 王磊 + 李娜 per the roster; 2024 up to 05-15:
    // O6 500000 + O8 100000 (王磊) + O7 200000 (李娜) = 800000 of 2000000.
    let team = target(&s, "华东一组", "2024");
    assert!(team["owner"].is_null());
    assert_eq!(team["team"], "华东一组");
    close(&team["achieved"], 800_000.0);
    close(&team["attainment"], 0.4);
    // 2024-01-01 … 05-15 = 31 + 29 + 31 + 30 + 15 = 136 of 366 days.
    close(&team["elapsed_share"], 136.0 / 366.0);
}

#[test]
fn targets_overlapping_a_report_period() {
    let wd = Workdir::new();
    let s = report(&wd, &["--period", "2024-Q2", "--as-of", "2024-05-15"]);
    // Every target period overlapping April–June: now 张伟 2024-04 too; 王磊 Q1 still not.
    assert_eq!(
        target_keys(&s),
        vec![
            ("华东一组".into(), "2024".into()),
            ("张伟".into(), "2024-Q2".into()),
            ("李娜".into(), "2024-Q2".into()),
            ("王磊".into(), "2024-Q2".into()),
            ("张伟".into(), "2024-04".into()),
            ("王磊".into(), "2024-05".into()),
        ]
    );
    // 张伟 signed nothing in April; the month is over.
    let april = target(&s, "张伟", "2024-04");
    close(&april["achieved"], 0.0);
    close(&april["elapsed_share"], 1.0);
}

#[test]
fn unreadable_period_is_a_warning_and_the_row_is_left_out() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    // 11 opportunities + 8 targets + 3 roster + 7 follow-ups = 29 rows read;
    // the 上半年 target row counts as rejected.
    let rows = &s["rows"];
    assert_eq!(rows["read"], 29);
    assert_eq!(rows["rejected"], 1);
    assert_eq!(rows["accepted"], 28);
    assert_eq!(s["quality"]["by_code"]["unreadable_period"], 1);
    // No target row carries the 上半年 row's 500000.
    let targets = s["targets"].as_array().unwrap();
    assert!(targets
        .iter()
        .all(|t| t["target"].as_f64() != Some(500_000.0)));
    let out = wd.run(&["validate", "in", "--json", "--as-of", "2024-05-15"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "unreadable_period")
        .unwrap();
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["value"], "上半年");
    assert_eq!(f["column"], "目标期间");
    // Header on row 1, 上半年 is the 7th target: row 8.
    assert_eq!(f["row"], 8);
}

#[test]
fn every_accepted_target_period_form() {
    let wd = Workdir::new();
    let dir = wd.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    write_opportunities(&dir.join("商机.xlsx"));
    let forms: &[[&str; 4]] = &[
        ["r01", "", "2024-03", "1"],
        ["r02", "", "2024年3月", "1"],
        ["r03", "", "2024-Q1", "1"],
        ["r04", "", "2024Q1", "1"],
        ["r05", "", "2024年第一季度", "1"],
        ["r06", "", "2024年1季度", "1"],
        ["r07", "", "2024 Q1", "1"],
        ["r08", "", "2024", "1"],
        ["r09", "", "2024年", "1"],
        ["r10", "", "2024年度", "1"],
        ["r11", "", "date:2024-03-01", "1"],
        ["r12", "", "上半年", "1"],
    ];
    write_targets(&dir.join("目标.xlsx"), forms);
    let s = summary_of(&wd, &["--period", "2024", "--as-of", "2024-05-15"]);
    let keys: Vec<(String, String)> = target_keys(&s);
    let want: Vec<(String, String)> = [
        ("r08", "2024"),
        ("r09", "2024"),
        ("r10", "2024"),
        ("r03", "2024-Q1"),
        ("r04", "2024-Q1"),
        ("r05", "2024-Q1"),
        ("r06", "2024-Q1"),
        ("r07", "2024-Q1"),
        ("r01", "2024-03"),
        ("r02", "2024-03"),
        ("r11", "2024-03"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(keys, want);
    assert_eq!(s["quality"]["by_code"]["unreadable_period"], 1);
    assert_eq!(s["rows"]["rejected"], 1);
}

#[test]
fn todos_closed_by_a_later_followup_or_overdue() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let t = &s["todos"];
    // To-dos: 甲 发送报价, 乙 安排演示, 丙 确认合同条款, 丁 回访.
    assert_eq!(t["total"], 4);
    // 甲: due 05-08, closed by 甲's 05-10 follow-up. 丙: due 05-20, not yet due.
    // 乙: due 05-09; its only other follow-up is the same day → overdue 6 days.
    // 丁: due 04-10; its next follow-up (05-20) is after the as-of date → overdue 35 days.
    assert_eq!(t["overdue"], 2);
    let list: Vec<(String, String, String, i64)> = t["overdue_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["customer"].as_str().unwrap().to_string(),
                r["next_action"].as_str().unwrap().to_string(),
                r["due_date"].as_str().unwrap().to_string(),
                r["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        list,
        vec![
            ("丁公司".into(), "回访".into(), "2024-04-10".into(), 35),
            ("乙公司".into(), "安排演示".into(), "2024-05-09".into(), 6),
        ]
    );
    assert_eq!(t["overdue_list"][0]["owner"], "李娜");
    // Per owner: 李娜 (丙, 丁; 1 overdue) and 王磊 (甲, 乙; 1 overdue); ties by owner.
    let by_owner: Vec<(String, i64, i64)> = t["by_owner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["owner"].as_str().unwrap().to_string(),
                r["total"].as_i64().unwrap(),
                r["overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_owner, vec![("李娜".into(), 2, 1), ("王磊".into(), 2, 1)]);
}

#[test]
fn weekly_activity_across_the_year_end() {
    let wd = Workdir::new();
    write_year_end(&wd.join("in"));
    let s = summary_of(&wd, &["--as-of", "2025-01-02"]);
    let rows: Vec<(String, String, String, i64)> = s["weekly_activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["week"].as_str().unwrap().to_string(),
                r["owner"].as_str().unwrap().to_string(),
                r["method"].as_str().unwrap().to_string(),
                r["count"].as_i64().unwrap(),
            )
        })
        .collect();
    let row = |w: &str, o: &str, m: &str, n: i64| (w.to_string(), o.to_string(), m.to_string(), n);
    // The as-of date 2025-01-02 is in 2025-W01 (Mon 2024-12-30); eight weeks
    // start on Mon 2024-11-11 (2024-W46), so 11-10 (W45) is out, and so is
    // 2025-01-03 (after the as-of date). 12-30 and 01-02 are both 2025-W01;
    // 12-29 is a Sunday of 2024-W52, 12-23 its Monday. 甲公司's follow-up has
    // no owner: its customer's (赵敏); 丙公司 is in no customer table: 未分配.
    assert_eq!(
        rows,
        vec![
            row("2024-W46", "张伟", "邮件", 1),
            row("2024-W52", "李娜", "其他", 1),
            row("2024-W52", "李娜", "拜访", 1),
            row("2024-W52", "王磊", "电话", 1),
            row("2025-W01", "未分配", "会议", 1),
            row("2025-W01", "王磊", "电话", 2),
            row("2025-W01", "赵敏", "微信", 1),
        ]
    );
}

#[test]
fn collections_overall_and_per_rep() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let c = &s["collections"];
    // Won and signed by 05-15: O6 王磊 500000 (collected 300000 on 05-01),
    // O7 李娜 200000 (collected 20万), O8 王磊 100000 (nothing collected),
    // O11 张伟 60000 (collected on 05-20, after the as-of date: not yet).
    // O10 is signed 06-01: left out.
    close(&c["signed_amount"], 860_000.0);
    close(&c["collected_amount"], 500_000.0);
    close(&c["rate"], 500_000.0 / 860_000.0);
    let by_owner: Vec<(String, f64, f64)> = c["by_owner"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r["signed_amount"].as_f64().unwrap(),
                r["collected_amount"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_owner,
        vec![
            ("王磊".into(), 600_000.0, 300_000.0),
            ("李娜".into(), 200_000.0, 200_000.0),
            ("张伟".into(), 60_000.0, 0.0),
        ]
    );
    close(&c["by_owner"][0]["rate"], 0.5);
    assert_eq!(c["by_owner"][0]["deals"], 2);
    close(&c["by_owner"][1]["rate"], 1.0);
    close(&c["by_owner"][2]["rate"], 0.0);
}

#[test]
fn collections_without_a_collected_column_have_no_rate() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    crate::fixtures::write_customers(&wd.join("in/客户信息表.xlsx"));
    let c = &summary_of(&wd, &["--as-of", "2024-06-30"])["collections"];
    // Customer rows are the deals: 甲 100000 + 乙 30万 (王磊) + 辛 50000 (张伟).
    close(&c["signed_amount"], 450_000.0);
    close(&c["collected_amount"], 0.0);
    // No sheet has a 回款金额 column: nothing is known, so no rate (not 0 %).
    assert!(c["rate"].is_null());
    assert_eq!(c["by_owner"][0]["key"], "王磊");
    close(&c["by_owner"][0]["signed_amount"], 400_000.0);
    assert!(c["by_owner"][0]["rate"].is_null());
}

/// A follow-up log read without its customer list: no row links to a
/// customer, so to-dos group by the dedup key of the name, and a later
/// follow-up under another spelling of the same company still closes one.
#[test]
fn todos_of_an_unlinked_log_group_by_the_name_key() {
    let wd = Workdir::new();
    let dir = wd.join("in");
    std::fs::create_dir_all(&dir).unwrap();
    write_csv(
        &dir.join("跟进.csv"),
        &["企业名称", "跟进日期", "跟进人", "下一步行动", "完成时限"],
        &[
            &[
                "甲科技有限公司",
                "2024-05-01",
                "王磊",
                "发送报价",
                "2024-05-05",
            ],
            &["甲科技", "2024-05-10", "王磊", "", ""],
            &[
                "乙科技有限公司",
                "2024-05-02",
                "李娜",
                "安排演示",
                "2024-05-06",
            ],
            &["乙贸易有限公司", "2024-05-12", "李娜", "", ""],
        ],
    );
    let t = &summary_of(&wd, &["--as-of", "2024-05-15"])["todos"];
    assert_eq!(t["total"], 2);
    // 甲科技 (same key as 甲科技有限公司) closed 甲's to-do; 乙贸易 is
    // another company, so 乙科技's to-do is 9 days overdue.
    assert_eq!(t["overdue"], 1);
    assert_eq!(t["overdue_list"][0]["customer"], "乙科技有限公司");
    assert_eq!(t["overdue_list"][0]["days_overdue"], 9);
}
