//! `crm-report report` end to end on the hand-computed fixture of
//! `fixtures.rs`, as-of 2024-06-30.

use serde_json::Value;

use crate::fixtures::{write_customers, write_followups_gbk};
use crate::workdir::{close, Workdir};

/// Writes the fixture into `in/` and runs the report into `out/`.
fn report(wd: &Workdir, extra: &[&str]) -> Value {
    std::fs::create_dir_all(wd.join("in")).unwrap();
    write_customers(&wd.join("in/客户信息表.xlsx"));
    write_followups_gbk(&wd.join("in/跟进记录.csv"));
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

#[test]
fn rows_are_conserved_and_inputs_listed() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    // Customers sheet: 10 data rows + 合计 (skipped); one row has no name (rejected).
    // Follow-ups: 9 rows, all accepted (the orphan is a warning).
    assert_eq!(s["rows"]["read"], 20);
    assert_eq!(s["rows"]["accepted"], 18);
    assert_eq!(s["rows"]["rejected"], 1);
    assert_eq!(s["rows"]["skipped"], 1);
    let inputs = s["inputs"].as_array().unwrap();
    let gbk = inputs.iter().find(|i| i["kind"] == "followups").unwrap();
    assert_eq!(gbk["encoding"], "GB18030");
    let cust = inputs.iter().find(|i| i["kind"] == "customers").unwrap();
    assert_eq!(cust["header_row"], 2);
    // 甲科技（杭州）有限公司 merges into 甲科技有限公司.
    assert_eq!(s["customers"]["total"], 8);
    assert_eq!(s["customers"]["duplicates_merged"], 1);
    for f in ["report.xlsx", "report.html", "summary.json"] {
        assert!(wd.join("out").join(f).is_file(), "{f} written");
    }
}

#[test]
fn funnel_reached_conversion_and_win_rate() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let f = &s["funnel"];
    // Furthest orders: 甲5 乙5 辛5 丙4 丁3 己1 庚2; 戊 is lost at 方案沟通 (3) but its
    // follow-up history reached 商务谈判 (4), so its furthest is 4.
    let reached: Vec<i64> = f["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_i64().unwrap())
        .collect();
    assert_eq!(reached, vec![8, 7, 6, 5, 3]);
    let current: Vec<i64> = f["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["current"].as_i64().unwrap())
        .collect();
    assert_eq!(current, vec![1, 1, 1, 1, 3]);
    close(&f["stages"][0]["conversion_to_next"], 7.0 / 8.0);
    close(&f["stages"][1]["conversion_to_next"], 6.0 / 7.0);
    close(&f["stages"][2]["conversion_to_next"], 5.0 / 6.0);
    close(&f["stages"][3]["conversion_to_next"], 3.0 / 5.0);
    assert!(f["stages"][4]["conversion_to_next"].is_null());
    assert_eq!(
        (f["won"].as_i64(), f["lost"].as_i64(), f["open"].as_i64()),
        (Some(3), Some(1), Some(4))
    );
    close(&f["win_rate"], 3.0 / 4.0);
    close(&f["overall_conversion"], 3.0 / 8.0);
    // 100000 + 30万 + 50000
    close(&f["won_amount"], 450_000.0);
    let by_source = f["by_source"].as_array().unwrap();
    // 展会: 甲 丙 戊 庚 = 4 opportunities, 1 won, 1 lost.
    assert_eq!(by_source[0]["key"], "展会");
    assert_eq!(by_source[0]["opportunities"], 4);
    close(&by_source[0]["win_rate"], 0.5);
}

#[test]
fn cycle_median_and_p90() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let c = &s["cycle_days"];
    // 甲 2024-01-10 → 2024-03-10 = 60 days; 乙 02-01 → 02-21 = 20; 辛 05-20 → 06-10 = 21.
    assert_eq!(c["n"], 3);
    close(&c["median"], 21.0);
    // p90: position 0.9 × 2 = 1.8 → 21 + 0.8 × (60 − 21) = 52.2
    close(&c["p90"], 52.2);
    close(&c["mean"], 101.0 / 3.0);
    assert_eq!((c["min"].as_i64(), c["max"].as_i64()), (Some(20), Some(60)));
}

#[test]
fn top_needs_in_order() {
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
    // CRM系统: 甲 丙 丁 辛; 数据分析: 甲 乙 戊; 移动办公: 丁 庚. The duplicate's 报表 is
    // not used: the merge keeps 甲's own needs.
    assert_eq!(
        needs,
        vec![
            ("CRM系统".into(), 4),
            ("数据分析".into(), 3),
            ("移动办公".into(), 2)
        ]
    );
}

#[test]
fn cadence_overdue_and_compliance() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let c = &s["cadence"];
    // Tracked: all but 戊 (lost) = 7. Overdue: 己 (C, 81 days since start, gap 30 → 51),
    // 乙 (maintenance, 121 days, gap 90 → 31), 丁 (B, 20 days, gap 14 → 6).
    // 庚 (B, exactly 14 days) is not overdue.
    assert_eq!(c["tracked"], 7);
    assert_eq!(c["overdue"], 3);
    close(&c["compliance"], 4.0 / 7.0);
    let list: Vec<(String, i64)> = c["overdue_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["customer"].as_str().unwrap().to_string(),
                r["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        list,
        vec![
            ("己教育有限公司".into(), 51),
            ("乙制造有限公司".into(), 31),
            ("丁物流有限公司".into(), 6)
        ]
    );
    assert_eq!(c["by_grade"]["B"]["tracked"], 3);
    assert_eq!(c["by_grade"]["B"]["overdue"], 2);
}

#[test]
fn one_reps_row() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let reps = s["reps"].as_array().unwrap();
    assert_eq!(reps[0]["owner"], "王磊", "highest won amount first");
    let r = &reps[0];
    // Owns 甲 乙 戊; 甲 and 乙 won (100000 + 300000), 戊 lost.
    assert_eq!(
        (
            r["customers"].as_i64(),
            r["won"].as_i64(),
            r["lost"].as_i64()
        ),
        (Some(3), Some(2), Some(1))
    );
    close(&r["won_amount"], 400_000.0);
    close(&r["win_rate"], 2.0 / 3.0);
    // Follow-ups by 王磊: 甲, 乙, 戊 and the variant spelling of 甲.
    assert_eq!(r["followups"], 4);
    close(&r["followups_per_customer"], 4.0 / 3.0);
    // Cycles 60 and 20 → median 40.
    close(&r["cycle_median_days"], 40.0);
    assert_eq!(
        (r["tracked"].as_i64(), r["overdue"].as_i64()),
        (Some(2), Some(1))
    );
    // Six of the ten completeness fields are filled on each of the three customers.
    close(&r["completeness"], 0.6);
}

#[test]
fn findings_carry_their_place() {
    let wd = Workdir::new();
    let s = report(&wd, &[]);
    let q = &s["quality"]["by_code"];
    assert_eq!(q["missing_customer_name"], 1);
    assert_eq!(q["summary_row"], 1);
    assert_eq!(q["duplicate_customer"], 1);
    assert_eq!(q["orphan_followup"], 1);
}

#[test]
fn period_restricts_the_cohort() {
    let wd = Workdir::new();
    let s = report(&wd, &["--period", "2024-Q2"]);
    // Started in Q2: 戊 (04-01), 己 (04-10), 庚 (05-01), 辛 (05-20).
    assert_eq!(s["period"], "2024-Q2");
    let reached: Vec<i64> = s["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reached"].as_i64().unwrap())
        .collect();
    assert_eq!(reached, vec![4, 3, 2, 2, 1]);
    // Signed in Q2: only 辛 (06-10).
    assert_eq!(s["activity"]["signed"], 1);
    close(&s["activity"]["signed_amount"], 50_000.0);
}

#[test]
fn unreadable_input_is_listed_and_the_run_goes_on() {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.join("in")).unwrap();
    std::fs::write(wd.join("in/broken.xlsx"), b"this is not a zip").unwrap();
    let s = report(&wd, &[]);
    let broken = s["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "error")
        .unwrap();
    assert!(broken["file"].as_str().unwrap().ends_with("broken.xlsx"));
    assert!(broken["error"].as_str().is_some());
    let out = wd.run(&["report", "in", "-o", "out2", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn nothing_usable_and_usage_errors() {
    let wd = Workdir::new();
    std::fs::write(wd.join("notes.csv"), "hello,world\n1,2\n").unwrap();
    assert_eq!(
        wd.run(&["report", "notes.csv", "-o", "out"]).status.code(),
        Some(1)
    );
    assert_eq!(
        wd.run(&["report", "notes.csv", "--as-of", "June"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(wd.run(&["report"]).status.code(), Some(2));
}

/// All files of a directory, by name, with their bytes.
fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn outputs_are_deterministic_and_inputs_untouched() {
    let wd = Workdir::new();
    let first = report(&wd, &[]);
    let inputs_before = snapshot(&wd.join("in"));
    let out1 = snapshot(&wd.join("out"));
    wd.run_ok(&[
        "report",
        "in",
        "-o",
        "out2",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ]);
    let out2 = snapshot(&wd.join("out2"));
    assert_eq!(out1.len(), 3);
    for ((n1, b1), (n2, b2)) in out1.iter().zip(&out2) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs between two runs");
    }
    assert_eq!(
        inputs_before,
        snapshot(&wd.join("in")),
        "inputs are never modified"
    );
    // No temporary file is left beside the outputs.
    assert!(out1.iter().all(|(n, _)| !n.contains(".tmp")));
    assert_eq!(first["as_of"], "2024-06-30");
}

#[test]
fn cleaned_workbook_round_trips_to_the_same_figures() {
    let wd = Workdir::new();
    let raw = report(&wd, &[]);
    wd.run_ok(&[
        "clean",
        "in",
        "-o",
        "clean/cleaned.xlsx",
        "--as-of",
        "2024-06-30",
    ]);
    wd.run_ok(&[
        "report",
        "clean/cleaned.xlsx",
        "-o",
        "out_clean",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ]);
    let cleaned = wd.json("out_clean/summary.json");
    for key in ["stages", "won", "lost", "open", "win_rate", "won_amount"] {
        assert_eq!(raw["funnel"][key], cleaned["funnel"][key], "funnel.{key}");
    }
    for key in ["n", "median", "p90"] {
        assert_eq!(
            raw["cycle_days"][key], cleaned["cycle_days"][key],
            "cycle_days.{key}"
        );
    }
    assert_eq!(raw["top_needs"], cleaned["top_needs"]);
    assert_eq!(raw["reps"], cleaned["reps"]);
    for key in ["tracked", "overdue", "overdue_list"] {
        assert_eq!(
            raw["cadence"][key], cleaned["cadence"][key],
            "cadence.{key}"
        );
    }
    // The duplicate was merged by clean: nothing left to merge the second time.
    assert_eq!(cleaned["customers"]["duplicates_merged"], 0);
    assert_eq!(cleaned["customers"]["total"], raw["customers"]["total"]);
}

#[test]
fn clean_writes_the_issues_rejected_and_duplicates_sheets() {
    let wd = Workdir::new();
    report(&wd, &[]);
    wd.run_ok(&[
        "clean",
        "in",
        "-o",
        "clean/cleaned.csv",
        "--as-of",
        "2024-06-30",
    ]);
    let read = |name: &str| {
        std::fs::read_to_string(wd.join(&format!("clean/cleaned_{name}.csv"))).unwrap()
    };
    let issues = read("issues");
    assert!(
        issues.starts_with('\u{feff}'),
        "BOM so Excel opens it as UTF-8"
    );
    let rows: Vec<&str> = issues.lines().collect();
    // The row without a name (row 12 of the sheet: title, header, then 10 rows).
    assert!(
        rows.iter()
            .any(|r| r.starts_with("missing_customer_name,error,") && r.contains(",客户信息,12,")),
        "{issues}"
    );
    // The 合计 row (row 13) left out as a summary row.
    assert!(rows
        .iter()
        .any(|r| r.starts_with("summary_row,info,") && r.contains(",13,") && r.contains("合计")));
    // The orphan follow-up names its company.
    assert!(rows
        .iter()
        .any(|r| r.starts_with("orphan_followup,warning,") && r.contains("壬不存在有限公司")));
    // The rejected row is kept whole: its industry and source are still there.
    let rejected = read("rejected");
    assert_eq!(rejected.lines().count(), 2, "header + the one rejected row");
    assert!(rejected.contains("展会"));
    // The duplicate: 甲科技（杭州）有限公司 (row 10) merged into 甲科技有限公司 (row 3).
    let dups = read("duplicates");
    assert!(
        dups.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("甲科技有限公司,") && l.ends_with(",10")),
        "{dups}"
    );
    // Cleaned customers: one row per merged customer, columns named by
    // field id (schema.md), the amount in plain yuan, the date in ISO form.
    let customers = read("customers");
    let header: Vec<&str> = customers
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    assert_eq!(
        header[..4],
        [
            "customer_no",
            "customer_key",
            "customer_id",
            "customer_name"
        ]
    );
    assert!(header.contains(&"industry_section") && header.contains(&"source_row"));
    assert_eq!(customers.lines().count(), 1 + 8);
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let yi: Vec<&str> = customers
        .lines()
        .find(|l| l.contains("乙制造有限公司"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(yi[col("deal_amount")], "300000");
    assert_eq!(yi[col("signed_date")], "2024-02-21");
    assert_eq!(yi[col("stage")], "成交");
    // The deals table: one row per opportunity as the funnel counts them.
    let deals = read("deals");
    assert_eq!(deals.lines().count(), 1 + 8);
    assert!(deals
        .lines()
        .any(|l| l.starts_with("2,乙制造,乙制造有限公司,王磊,转介绍,")));
    // Empty input tables are not written: read back, an empty opportunities
    // CSV would make customers stop being opportunities.
    assert!(!wd.join("clean/cleaned_opportunities.csv").exists());
}

#[test]
fn cleaned_csv_round_trips_to_the_same_figures() {
    let wd = Workdir::new();
    let raw = report(&wd, &[]);
    wd.run_ok(&[
        "clean",
        "in",
        "-o",
        "lake",
        "--format",
        "csv",
        "--as-of",
        "2024-06-30",
    ]);
    // Only the canonical tables go back in: issues and rules are not data.
    for t in ["issues", "rules", "duplicates", "rejected", "deals", "run"] {
        std::fs::remove_file(wd.join(&format!("lake/{t}.csv"))).unwrap();
    }
    wd.run_ok(&[
        "report",
        "lake",
        "-o",
        "out_csv",
        "--as-of",
        "2024-06-30",
        "--quiet",
    ]);
    let cleaned = wd.json("out_csv/summary.json");
    assert_eq!(raw["funnel"]["stages"], cleaned["funnel"]["stages"]);
    assert_eq!(raw["funnel"]["won_amount"], cleaned["funnel"]["won_amount"]);
    assert_eq!(raw["cycle_days"], cleaned["cycle_days"]);
    assert_eq!(raw["top_needs"], cleaned["top_needs"]);
    assert_eq!(raw["reps"], cleaned["reps"]);
    assert_eq!(
        raw["cadence"]["overdue_list"],
        cleaned["cadence"]["overdue_list"]
    );
}

/// Two unmapped columns under one header (`备注` twice): `clean` keeps
/// both, the second as `x_备注` in CSV (column names are unique) and under
/// its own header in the workbook.
/// A changed cell keeps its original in a note; an original over a note's
/// limit (20,000 emoji are 40,000 UTF-16 units) is cut, not a failed
/// workbook.
#[test]
fn clean_cuts_an_overlong_original_in_its_note() {
    let wd = Workdir::new();
    let long = "😀".repeat(20_000);
    std::fs::write(
        wd.join("客户.csv"),
        format!("客户名称,负责销售,成交金额\n甲公司,王磊,{long}100万\n乙公司,王磊,5万\n"),
    )
    .unwrap();
    wd.run_ok(&["clean", "客户.csv", "-o", "out/c.xlsx"]);
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(wd.join("out/c.xlsx")).unwrap();
    let sheet = book.worksheet_range("客户信息").unwrap();
    assert!(sheet.rows().any(|row| row.iter().any(|c| *c == "乙公司")));
}

#[test]
fn clean_keeps_both_columns_of_a_repeated_header() {
    let wd = Workdir::new();
    std::fs::write(
        wd.join("客户.csv"),
        "企业名称,负责销售,备注,备注\n甲公司,王磊,第一,第二\n乙公司,李娜,,只在第二列\n",
    )
    .unwrap();
    wd.run_ok(&["clean", "客户.csv", "-o", "out/c.csv"]);
    let text = std::fs::read_to_string(wd.join("out/c_customers.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].ends_with(",备注,x_备注"), "{}", lines[0]);
    assert!(lines[1].ends_with(",第一,第二"), "{}", lines[1]);
    assert!(lines[2].ends_with(",,只在第二列"), "{}", lines[2]);
    wd.run_ok(&["clean", "客户.csv", "-o", "out/c.xlsx"]);
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(wd.join("out/c.xlsx")).unwrap();
    let sheet = book.worksheet_range("客户信息").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header.iter().filter(|h| *h == "备注").count(),
        2,
        "{header:?}"
    );
    let second_row = sheet.rows().nth(2).unwrap();
    assert!(second_row.iter().any(|c| *c == "只在第二列"));
}

#[test]
fn parquet_is_partitioned_by_month_and_typed() {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;
    let wd = Workdir::new();
    report(&wd, &[]);
    wd.run_ok(&[
        "clean",
        "in",
        "-o",
        "lake",
        "--format",
        "parquet",
        "--as-of",
        "2024-06-30",
    ]);
    // Customers by created / first-contact month: 2024-01 … 2024-05 in the fixture.
    let mut months: Vec<String> = std::fs::read_dir(wd.join("lake/customers"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    months.sort();
    assert!(months.iter().all(|m| m.starts_with("month=")), "{months:?}");
    assert!(months.contains(&"month=2024-02".to_string()), "{months:?}");
    let mut rows = Vec::new();
    for m in &months {
        let f =
            std::fs::File::open(wd.join(&format!("lake/customers/{m}/part-0.parquet"))).unwrap();
        let reader = SerializedFileReader::new(f).unwrap();
        for r in reader.get_row_iter(None).unwrap() {
            rows.push(r.unwrap());
        }
    }
    assert_eq!(rows.len(), 8, "one row per merged customer");
    let yi = rows
        .iter()
        .find(|r| {
            r.get_column_iter()
                .any(|(n, v)| n == "customer_name" && *v == Field::Str("乙制造有限公司".into()))
        })
        .unwrap();
    let get = |name: &str| {
        yi.get_column_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .unwrap()
    };
    assert_eq!(get("deal_amount"), "300000.00", "DECIMAL(18,2)");
    assert!(
        get("signed_date").starts_with("2024-02-21 00:00:00"),
        "dates are TIMESTAMP in every run: {}",
        get("signed_date")
    );
    assert_eq!(get("customer_key"), "\"乙制造\"");
    // Unpartitioned tables: the issues list in one file.
    assert!(wd.join("lake/issues/part-0.parquet").is_file());
    assert!(wd.join("lake/deals").is_dir());
}
