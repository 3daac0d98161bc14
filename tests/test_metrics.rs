//! Every section of metrics.md on a second hand-computed fixture: an
//! opportunities table (so customers are not opportunities), a roster, and
//! follow-ups that carry a dated stage history. As-of 2024-06-30. The
//! expected figures are written out with their arithmetic; one test also
//! recomputes the funnel and cycle independently, in plain Rust over the
//! fixture rows, without the production code.

use serde_json::Value;

use crate::workdir::{close, Workdir};

/// Opportunities: id, company, stage, lost reason, lost at, amount, signed, owner, created.
const OPPS: &[[&str; 9]] = &[
    [
        "O1",
        "甲公司",
        "成交",
        "",
        "",
        "100000",
        "2024-03-01",
        "王磊",
        "2024-01-01",
    ],
    [
        "O2",
        "乙公司",
        "丢单",
        "价格",
        "商务谈判",
        "50000",
        "",
        "王磊",
        "2024-01-15",
    ],
    ["O3", "丙公司", "丢单", "", "", "", "", "李娜", "2024-02-01"],
    [
        "O4",
        "丁公司",
        "方案沟通",
        "",
        "",
        "80000",
        "2024-07-31",
        "李娜",
        "2024-02-10",
    ],
    ["O5", "戊公司", "线索", "", "", "", "", "张伟", "2024-03-01"],
];

fn write_fixture(wd: &Workdir) {
    std::fs::create_dir_all(wd.join("in")).unwrap();
    let mut opps = String::from(
        "商机编号,企业名称,销售阶段,流失原因,流失前阶段,预计金额,签约日期,负责销售,创建日期\n",
    );
    for r in OPPS {
        opps.push_str(&r.join(","));
        opps.push('\n');
    }
    std::fs::write(wd.join("in/opportunities.csv"), opps).unwrap();
    std::fs::write(
        wd.join("in/customers.csv"),
        "企业名称,客户分级,负责销售,核心需求\n甲公司,A,王磊,数据分析、CRM\n乙公司,B,王磊,CRM、报表\n丙公司,C,李娜,报表、数据分析\n丁公司,B,李娜,CRM\n戊公司,,张伟,\n",
    )
    .unwrap();
    std::fs::write(
        wd.join("in/followups.csv"),
        "企业名称,跟进日期,跟进方式,跟进人,跟进状态\n丁公司,2024-02-10,电话,李娜,需求分析\n丁公司,2024-03-01,拜访,李娜,方案沟通\n丁公司,2024-03-20,电话,李娜,需求分析\n丁公司,2024-04-01,电话,李娜,方案沟通\n戊公司,2024-03-05,电话,张伟,线索\n",
    )
    .unwrap();
    std::fs::write(
        wd.join("in/roster.csv"),
        "负责销售,销售团队\n王磊,华东\n李娜,华东\n张伟,华南\n",
    )
    .unwrap();
}

fn report(wd: &Workdir, extra: &[&str]) -> Value {
    write_fixture(wd);
    let mut args = vec![
        "report",
        "in",
        "-o",
        "out",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ];
    args.extend_from_slice(extra);
    wd.run_ok(&args);
    wd.json("out/summary.json")
}

fn keys(v: &Value, field: &str) -> Vec<(String, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap().to_string(),
                r[field].as_i64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn tables_are_classified() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let kinds: Vec<&str> = s["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    // Sorted path order: customers, followups, opportunities, roster.
    assert_eq!(
        kinds,
        vec!["customers", "followups", "opportunities", "roster"]
    );
}

#[test]
fn funnel_with_lost_at_stage_and_lost_without_history() {
    let wd = Workdir::new();
    let f = report(&wd, &[])["funnel"].clone();
    // Furthest: O1 won (5); O2 lost at 商务谈判 (4); O3 lost with neither a lost-at
    // stage nor history (1); O4 方案沟通 (3); O5 线索 (1).
    let reached: Vec<i64> = f["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_i64().unwrap())
        .collect();
    assert_eq!(reached, vec![5, 3, 3, 2, 1]);
    assert_eq!(
        (f["won"].as_i64(), f["lost"].as_i64(), f["open"].as_i64()),
        (Some(1), Some(2), Some(2))
    );
    close(&f["win_rate"], 1.0 / 3.0);
    close(&f["overall_conversion"], 1.0 / 5.0);
    close(&f["lost_amount"], 50_000.0);
    // O4's 80000 is an open deal's expected value.
    close(&f["open_amount"], 80_000.0);
    // By owner: 张伟 has only an open deal, so his win rate has a zero denominator.
    let zhang = f["by_owner"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "张伟")
        .unwrap()
        .clone();
    assert!(zhang["win_rate"].is_null());
}

#[test]
fn lost_analysis_by_reason_stage_and_owner() {
    let wd = Workdir::new();
    let l = report(&wd, &[])["lost_analysis"].clone();
    // Ties by count break on the key in code-point order: 价 (U+4EF7) < 未 (U+672A).
    assert_eq!(
        keys(&l["by_reason"], "lost"),
        vec![("价格".into(), 1), ("未知".into(), 1)]
    );
    close(&l["by_reason"][0]["lost_amount"], 50_000.0);
    assert_eq!(
        keys(&l["by_stage"], "lost"),
        vec![("negotiation".into(), 1), ("未知".into(), 1)]
    );
    assert_eq!(
        keys(&l["by_owner"], "lost"),
        vec![("李娜".into(), 1), ("王磊".into(), 1)]
    );
}

#[test]
fn time_in_stage_latest_cumulative_and_stalled() {
    let wd = Workdir::new();
    let t = report(&wd, &[])["time_in_stage"].clone();
    // 丁: 需求分析 02-10 → 方案沟通 03-01 (20 days) → 需求分析 03-20 (19) → 方案沟通 04-01 (12)
    // → as-of 06-30 (90). Qualify: latest 12, cumulative 20 + 12 = 32. Proposal: latest 90,
    // cumulative 19 + 90 = 109. 戊: 线索 from 03-05 to 06-30 = 26 + 30 + 31 + 30 = 117 days.
    assert_eq!(t["with_history"], 2);
    let stage = |code: &str| {
        t["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()
            .clone()
    };
    close(&stage("qualify")["latest_median"], 12.0);
    close(&stage("qualify")["cumulative_median"], 32.0);
    close(&stage("proposal")["latest_mean"], 90.0);
    close(&stage("proposal")["cumulative_mean"], 109.0);
    close(&stage("lead")["latest_median"], 117.0);
    assert_eq!(stage("negotiation")["n"], 0);
    assert!(stage("negotiation")["latest_median"].is_null());
    let stalled: Vec<(String, i64)> = t["stalled"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["customer"].as_str().unwrap().to_string(),
                r["days_in_stage"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(stalled, vec![("戊公司".into(), 117), ("丁公司".into(), 90)]);
}

#[test]
fn top_needs_tie_breaks_on_code_point() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let needs: Vec<(String, i64)> = s["top_needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["need"].as_str().unwrap().to_string(),
                n["customers"].as_i64().unwrap(),
            )
        })
        .collect();
    // CRM: 甲 乙 丁; 报表: 乙 丙; 数据分析: 甲 丙 — 报 (U+62A5) before 数 (U+6570).
    assert_eq!(
        needs,
        vec![
            ("CRM".into(), 3),
            ("报表".into(), 2),
            ("数据分析".into(), 2)
        ]
    );
}

#[test]
fn cadence_uses_opportunity_states_and_starts() {
    let wd = Workdir::new();
    let c = report(&wd, &[])["cadence"].clone();
    // 乙 and 丙 are lost (all their opportunities lost): not tracked.
    // 甲: won, no open deal → maintenance (90 days); no follow-up, starts with O1 on
    // 01-01 → 181 days → 91 overdue. 丁: B, active, last touch 04-01 → 90 − 14 = 76.
    // 戊: ungraded → C (30), last touch 03-05 → 117 − 30 = 87.
    assert_eq!(
        (c["tracked"].as_i64(), c["overdue"].as_i64()),
        (Some(3), Some(3))
    );
    close(&c["compliance"], 0.0);
    let list: Vec<i64> = c["overdue_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["days_overdue"].as_i64().unwrap())
        .collect();
    assert_eq!(list, vec![91, 87, 76]);
    assert_eq!(c["by_state"]["maintenance"]["tracked"], 1);
    assert_eq!(c["by_grade"]["C"]["tracked"], 1);
}

#[test]
fn grades_declared_computed_and_mismatch() {
    let wd = Workdir::new();
    let g = report(&wd, &[])["grades"].clone();
    // 甲 signed 100000 on 2024-03-01, inside 2023-07-03..2024-06-30 → B (≥ 100 000, < 500 000);
    // declared A → one mismatch.
    assert_eq!(g["declared"]["A"], 1);
    assert_eq!(g["declared"]["B"], 2);
    assert_eq!(g["computed"]["B"], 1);
    assert_eq!(g["mismatches"], 1);
    assert_eq!(g["mismatch_list"][0]["customer"], "甲公司");
    assert_eq!(g["mismatch_list"][0]["computed"], "B");
}

#[test]
fn teams_sum_their_reps_and_rates_can_be_null() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let teams = s["teams"].as_array().unwrap();
    let east = teams.iter().find(|t| t["owner"] == "华东").unwrap();
    // 华东 = 王磊 (O1 won, O2 lost) + 李娜 (O3 lost, O4 open).
    assert_eq!(
        (
            east["opportunities"].as_i64(),
            east["won"].as_i64(),
            east["lost"].as_i64()
        ),
        (Some(4), Some(1), Some(2))
    );
    close(&east["win_rate"], 1.0 / 3.0);
    close(&east["won_amount"], 100_000.0);
    // Customers 甲 乙 丙 丁, follow-ups 4 (all 丁's, by 李娜).
    assert_eq!(
        (east["customers"].as_i64(), east["followups"].as_i64()),
        (Some(4), Some(4))
    );
    close(&east["followups_per_customer"], 1.0);
    let south = teams.iter().find(|t| t["owner"] == "华南").unwrap();
    assert!(south["win_rate"].is_null(), "no won or lost deal");
    assert!(south["cycle_median_days"].is_null());
}

#[test]
fn compare_previous_quarter() {
    let wd = Workdir::new();
    let s = report(&wd, &["--period", "2024-Q1", "--compare-previous"]);
    let c = &s["compare"];
    assert_eq!(c["previous_period"], "2023-Q4");
    assert_eq!(c["previous_as_of"], "2023-12-31");
    let fig = |k: &str| {
        c["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == k)
            .unwrap()
            .clone()
    };
    // All five opportunities started in Q1 2024; none in Q4 2023.
    assert_eq!(fig("opportunities")["current"], 5.0);
    assert_eq!(fig("opportunities")["previous"], 0.0);
    assert!(
        fig("opportunities")["change_ratio"].is_null(),
        "previous is 0"
    );
    close(&fig("win_rate")["current"], 1.0 / 3.0);
    assert!(fig("win_rate")["previous"].is_null());
    let out = wd.run(&["report", "in", "-o", "out2", "--compare-previous"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "--compare-previous needs a period"
    );
}

/// The funnel and cycle recomputed from the fixture rows alone: its own
/// stage table and date arithmetic, none of the production code.
#[test]
fn independent_computation_agrees() {
    let order = |stage: &str| match stage {
        "线索" => Some(1),
        "需求分析" => Some(2),
        "方案沟通" => Some(3),
        "商务谈判" => Some(4),
        "成交" => Some(5),
        _ => None,
    };
    let days = |a: &str, b: &str| {
        let p = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        (p(b) - p(a)).num_days()
    };
    let mut furthest = Vec::new();
    let (mut won, mut lost, mut cycles) = (0, 0, Vec::new());
    for r in OPPS {
        let (stage, lost_at) = (r[2], r[4]);
        if stage == "丢单" {
            lost += 1;
            // No follow-up history for 乙 or 丙 in the fixture.
            furthest.push(order(lost_at).unwrap_or(1).min(4));
        } else {
            furthest.push(order(stage).unwrap());
        }
        if stage == "成交" {
            won += 1;
            cycles.push(days(r[8], r[6]));
        }
    }
    let reached: Vec<i64> = (1..=5)
        .map(|k| furthest.iter().filter(|f| **f >= k).count() as i64)
        .collect();
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let got: Vec<i64> = s["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_i64().unwrap())
        .collect();
    assert_eq!(got, reached);
    close(&s["funnel"]["win_rate"], won as f64 / (won + lost) as f64);
    assert_eq!(cycles, vec![60]);
    close(&s["cycle_days"]["median"], 60.0);
}

#[test]
fn satisfaction_complaints_and_monthly() {
    let wd = Workdir::new();
    write_fixture(&wd);
    std::fs::write(
        wd.join("in/customers.csv"),
        "企业名称,客户分级,负责销售,核心需求,满意度评分,复购/增购需求,转介绍意向\n甲公司,A,王磊,数据分析、CRM,5分,有,是\n乙公司,B,王磊,CRM、报表,★★★,无,\n丙公司,C,李娜,报表、数据分析,4/5,是,否\n丁公司,B,李娜,CRM,7,待定,否\n戊公司,,张伟,,,,\n",
    )
    .unwrap();
    std::fs::write(
        wd.join("in/complaints.csv"),
        "企业名称,问题类型,问题描述,登记时间,响应时间,解决时间\n甲公司,投诉,发票错误,2024-05-01 09:00,2024-05-01 10:30,2024-05-02 08:00\n乙公司,合作异常,接口中断,2024-05-03 14:00,2024-05-03 15:30,2024-05-03 17:00\n丙公司,其他,咨询,2024-05-04 09:00,2024-05-04 09:30,\n",
    )
    .unwrap();
    wd.run_ok(&[
        "report",
        "in",
        "-o",
        "out",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ]);
    let s = wd.json("out/summary.json");
    let sat = &s["satisfaction"];
    // Scores 5, 3, 4 (丁's 7 is out of range): mean 4, two of three ≥ 4.
    assert_eq!(sat["n"], 3);
    close(&sat["mean"], 4.0);
    close(&sat["satisfied_share"], 2.0 / 3.0);
    assert_eq!(sat["distribution"]["3"], 1);
    // Repurchase: 有, 无, 是 → 2 yes of 3 (待定 is unknown). Referral: 是, 否, 否 → 1 of 3.
    close(&sat["repurchase_share"], 2.0 / 3.0);
    close(&sat["referral_share"], 1.0 / 3.0);
    let c = &s["complaints"];
    // Response hours 1.5, 1.5, 0.5 → median 1.5. With both timestamps: 甲 (投诉: 1.5 h ≤ 2,
    // resolved in 23 h ≤ 24) and 乙 (合作异常: 1.5 h > 1, 3 h ≤ 4). 丙 is open.
    assert_eq!((c["n"].as_i64(), c["open"].as_i64()), (Some(3), Some(1)));
    close(&c["median_response_hours"], 1.5);
    close(&c["response_sla_share"], 0.5);
    close(&c["resolution_sla_share"], 1.0);
    let months: Vec<(String, i64, i64, i64)> = s["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["new_opportunities"].as_i64().unwrap(),
                m["followups"].as_i64().unwrap(),
                m["won"].as_i64().unwrap(),
            )
        })
        .collect();
    // Starts: O1 01-01, O2 01-15, O3 02-01, O4 02-10, O5 03-01. Follow-ups: 02-10, 03-01,
    // 03-05, 03-20, 04-01. Won: O1 signed 03-01. Months run to the as-of month.
    assert_eq!(
        months,
        vec![
            ("2024-01".into(), 2, 0, 0),
            ("2024-02".into(), 2, 1, 0),
            ("2024-03".into(), 1, 3, 1),
            ("2024-04".into(), 0, 1, 0),
            ("2024-05".into(), 0, 0, 0),
            ("2024-06".into(), 0, 0, 0),
        ]
    );
    close(&s["monthly"][2]["won_amount"], 100_000.0);
}

#[test]
fn need_keywords_are_mined_apart_from_phrase_counts() {
    let wd = Workdir::new();
    std::fs::write(
        wd.join("c.csv"),
        "企业名称,核心需求,核心痛点\n甲公司,希望上线CRM系统做客户管理,销售数据分散在表格里\n乙公司,需要数据分析和报表,数据分散，报表靠手工\n丙公司,CRM系统,客户跟进无记录\n",
    )
    .unwrap();
    wd.run_ok(&[
        "report",
        "c.csv",
        "-o",
        "out",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ]);
    let s = wd.json("out/summary.json");
    let kw: Vec<(String, f64)> = s["need_keywords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["keyword"].as_str().unwrap().to_string(),
                k["weight"].as_f64().unwrap(),
            )
        })
        .collect();
    // CRM is the only term written twice: the heaviest keyword. Weights descend.
    assert_eq!(kw[0].0, "CRM");
    assert!(kw.windows(2).all(|w| w[0].1 >= w[1].1));
    assert!(kw.iter().any(|(k, _)| k == "报表"));
    // The phrase counts are the cells' phrases, untouched by segmentation.
    let needs: Vec<&str> = s["top_needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["need"].as_str().unwrap())
        .collect();
    assert_eq!(
        needs,
        vec!["CRM系统", "希望上线CRM系统做客户管理", "需要数据分析和报表"]
    );
}

#[test]
fn without_an_opportunities_table_a_lost_customer_is_not_tracked_even_if_it_starts_later() {
    // metrics.md §4: without an opportunities table the customer's own stage
    // gives its state. 乙 is lost but first contacted after the as-of date,
    // so its opportunity is not counted (§0); it is still lost, not tracked.
    // 甲 (A, last touch 06-01, 29 days before the as-of date) is tracked and
    // overdue; 丙 (C, 06-20) is tracked and on time.
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    std::fs::write(
        wd.join("in/customers.csv"),
        "企业名称,客户分级,负责销售,跟进状态,首次接触时间\n甲公司,A,王磊,需求分析,2024-06-01\n乙公司,B,王磊,流失,2024-08-01\n丙公司,C,李娜,线索,2024-06-20\n",
    )
    .unwrap();
    wd.run_ok(&[
        "report",
        "in",
        "-o",
        "out",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ]);
    let s = wd.json("out/summary.json");
    assert_eq!(s["cadence"]["tracked"], 2);
    assert_eq!(s["cadence"]["overdue"], 1);
    assert_eq!(s["cadence"]["overdue_list"][0]["customer"], "甲公司");
    assert_eq!(
        s["funnel"]["lost"], 0,
        "乙's opportunity starts after the as-of date"
    );
}

#[test]
fn a_custom_pipeline_from_the_config_drives_the_funnel() {
    // Three funnel stages (线索 → 报价 → 签约) and 丢单. Furthest orders:
    // 甲 3 (won), 乙 2, 丙 1, 丁 lost at 报价 → 2. Known: 4; 戊's 在跟进 is
    // no stage of this pipeline (nor is 需求分析, a default stage).
    // reached = [4, 3, 1]; current = [1, 1, 1]; won 1, lost 1, open 2.
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    std::fs::write(
        wd.join("crm.toml"),
        r#"
[[stage]]
code = "new"
zh = "线索"
[[stage]]
code = "quote"
zh = "报价"
en = "Quote"
synonyms = ["方案报价"]
[[stage]]
code = "signed"
zh = "签约"
won = true
[[stage]]
code = "dropped"
zh = "丢单"
lost = true

[forecast.stage_probability]
quote = 0.4
"#,
    )
    .unwrap();
    std::fs::write(
        wd.join("in/customers.csv"),
        "企业名称,负责销售,跟进状态,流失前阶段,首次接触时间,签约日期,成交金额\n甲公司,王磊,签约,,2024-01-01,2024-02-01,100000\n乙公司,王磊,方案报价,,2024-01-05,,\n丙公司,李娜,线索,,2024-01-07,,\n丁公司,李娜,丢单,报价,2024-01-09,,\n戊公司,李娜,需求分析,,2024-01-10,,\n",
    )
    .unwrap();
    wd.run_ok(&[
        "report",
        "in",
        "-o",
        "out",
        "--as-of",
        "2024-06-30",
        "--quiet",
        "--config",
        "crm.toml",
    ]);
    let s = wd.json("out/summary.json");
    let f = &s["funnel"];
    let codes: Vec<&str> = f["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["new", "quote", "signed"]);
    let col = |k: &str| -> Vec<i64> {
        f["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s[k].as_i64().unwrap())
            .collect()
    };
    assert_eq!(col("reached"), [4, 3, 1]);
    assert_eq!(col("current"), [1, 1, 1]);
    assert_eq!(f["stages"][1]["label"], "报价");
    assert_eq!(
        (f["won"].as_i64(), f["lost"].as_i64(), f["open"].as_i64()),
        (Some(1), Some(1), Some(2))
    );
    assert_eq!(f["unknown_stage"], 1);
    assert_eq!(s["cycle_days"]["median"], 31.0);
    // The workbook and the page carry the team's labels.
    let html = std::fs::read_to_string(wd.join("out/report.html")).unwrap();
    assert!(html.contains("报价") && html.contains("签约"));
    // A pipeline whose won stage is not last is refused with the reason.
    std::fs::write(
        wd.join("bad.toml"),
        "[[stage]]\ncode = \"won\"\nzh = \"成交\"\nwon = true\n[[stage]]\ncode = \"after\"\nzh = \"之后\"\n",
    )
    .unwrap();
    let out = wd.run(&["report", "in", "-o", "out2", "--config", "bad.toml"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a config error is a usage error"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("won stage must be the last"), "{err}");
}
