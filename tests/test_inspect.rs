//! What `crm-report inspect` and `report` understand of every kind of
//! spreadsheet a sales team has, each file made by a real writer (see
//! `ingest_fixtures.rs`): the table kind, header row, encoding, column →
//! field mapping and sample values (`inspect --json`), and the values as
//! read, through `report`'s summary.json figures worked out by hand from
//! the fixture rows, as of 2024-06-30. Also the config: `init-config` and
//! file profiles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::ingest_fixtures::*;
use crate::workdir::{close, Workdir};

/// Runs `inspect --json` on the arguments and returns its sheets.
fn inspect(wd: &Workdir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["inspect", "--json"];
    all.extend_from_slice(args);
    let out = wd.run_ok(&all);
    let v: Value = serde_json::from_slice(&out.stdout).expect("inspect --json output");
    v.as_array().expect("an array of sheets").clone()
}

/// The one sheet of an `inspect` answer that has this sheet name.
fn sheet<'a>(sheets: &'a [Value], name: &str) -> &'a Value {
    let found: Vec<&Value> = sheets.iter().filter(|s| s["sheet"] == name).collect();
    assert_eq!(found.len(), 1, "one sheet named {name} in {sheets:#?}");
    found[0]
}

/// The (header, field id) pairs of a sheet.
fn mapping(sheet: &Value) -> Vec<(String, Option<String>)> {
    sheet["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| {
            (
                c["header"].as_str().unwrap().to_string(),
                c["field"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// Expected (header, field id) pairs; `""` for an extra column.
fn expect_mapping(pairs: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    pairs
        .iter()
        .map(|(h, f)| (h.to_string(), (!f.is_empty()).then(|| f.to_string())))
        .collect()
}

/// The sample values of the column mapped to `field`.
fn samples(sheet: &Value, field: &str) -> Vec<String> {
    let col = sheet["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no column mapped to {field}"));
    col["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// Runs `report` on the inputs as of 2024-06-30 and returns summary.json.
fn report(wd: &Workdir, inputs: &[&str]) -> Value {
    let mut args = vec!["report"];
    args.extend_from_slice(inputs);
    args.extend_from_slice(&["-o", "out", "--as-of", "2024-06-30", "--quiet"]);
    wd.run_ok(&args);
    wd.json("out/summary.json")
}

/// Finding counts by code.
fn codes(s: &Value) -> BTreeMap<String, i64> {
    s["quality"]["by_code"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_i64().unwrap()))
        .collect()
}

/// Asserts that none of these findings were raised.
fn assert_no_findings(s: &Value, unwanted: &[&str]) {
    let found = codes(s);
    for code in unwanted {
        assert!(!found.contains_key(*code), "{code} raised: {found:?}");
    }
}

/// (won, lost, open) of the funnel.
fn won_lost_open(s: &Value) -> (i64, i64, i64) {
    let f = &s["funnel"];
    (
        f["won"].as_i64().unwrap(),
        f["lost"].as_i64().unwrap(),
        f["open"].as_i64().unwrap(),
    )
}

/// Current opportunities per funnel stage code.
fn current_by_stage(s: &Value) -> BTreeMap<String, i64> {
    s["funnel"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| {
            (
                st["code"].as_str().unwrap().to_string(),
                st["current"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// The keys of a breakdown list (`by_source`, `by_start_month`…).
fn keys(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

/// New opportunities per month (`monthly`), months with none left out.
fn new_by_month(s: &Value) -> BTreeMap<String, i64> {
    s["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["month"].as_str().unwrap().to_string(),
                m["new_opportunities"].as_i64().unwrap(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Month → count pairs as a map.
fn months(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(m, n)| (m.to_string(), *n)).collect()
}

/// The row of `reps` for an owner.
fn rep<'a>(s: &'a Value, owner: &str) -> &'a Value {
    s["reps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["owner"] == owner)
        .unwrap_or_else(|| panic!("no rep {owner}"))
}

/// The amount expected to close in a month (forward view).
fn expected_in<'a>(s: &'a Value, month: &str) -> &'a Value {
    s["forecast"]["expected"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == month)
        .map(|m| &m["amount"])
        .unwrap_or_else(|| panic!("no expected closings in {month}"))
}

/// Writes the sources of the committed fixtures into the directory named by
/// `CRM_FIXTURE_SOURCES`; run by `scripts/make_fixtures.sh`, not by CI.
#[test]
#[ignore = "run by scripts/make_fixtures.sh"]
fn write_fixture_sources() {
    let dir = std::env::var("CRM_FIXTURE_SOURCES").expect("CRM_FIXTURE_SOURCES");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    write_customer_book_source(&dir.join("customers.xlsx"));
    write_date1904_source(&dir.join("date1904.xlsx"));
}

/// Writes every fixture into `$CRM_FIXTURE_ALL` (to look at them by hand).
#[test]
#[ignore = "a helper to look at the fixtures"]
fn write_all_fixtures() {
    let dir = std::env::var("CRM_FIXTURE_ALL").expect("CRM_FIXTURE_ALL");
    write_all(Path::new(&dir));
}

#[test]
fn xls_and_ods_read_like_the_workbook_they_were_saved_from() {
    for name in ["customers.xls", "customers.ods"] {
        let wd = Workdir::new();
        std::fs::copy(committed(name), wd.join(name)).unwrap();
        let sheets = inspect(&wd, &[name]);
        assert_eq!(sheets.len(), 1, "{name}");
        let s = &sheets[0];
        assert_eq!(s["sheet"], "客户信息", "{name}");
        assert_eq!(s["kind"], "customers", "{name}");
        // The merged title is row 1; 4 customers and the 合计 row follow the header.
        assert_eq!(s["header_row"], 2, "{name}");
        assert_eq!(s["rows"], 5, "{name}");
        let ids = [
            "customer_name",
            "industry",
            "source",
            "grade",
            "owner",
            "first_contact_date",
            "stage",
            "deal_amount",
            "signed_date",
            "phone",
        ];
        let pairs: Vec<(&str, &str)> = BOOK_HEADER.iter().copied().zip(ids).collect();
        assert_eq!(mapping(s), expect_mapping(&pairs), "{name}");
        // Real date cells, number cells, a phone with its leading zero.
        assert_eq!(
            samples(s, "first_contact_date"),
            ["2024-01-10", "2024-02-01", "2024-03-15", "2024-04-01"],
            "{name}"
        );
        assert_eq!(
            samples(s, "signed_date"),
            ["2024-03-10", "2024-05-20"],
            "{name}"
        );
        assert_eq!(samples(s, "deal_amount"), ["100000", "250000"], "{name}");
        assert_eq!(
            samples(s, "phone"),
            ["0571-88886666", "021-66668888"],
            "{name}"
        );
        assert_eq!(
            samples(s, "customer_name"),
            BOOK_ROWS.map(|r| r[0]).to_vec(),
            "{name}: the 合计 row is no sample"
        );

        let r = report(&wd, &[name]);
        assert_eq!(r["rows"]["read"], 5, "{name}");
        assert_eq!(r["rows"]["accepted"], 4, "{name}");
        assert_eq!(r["rows"]["skipped"], 1, "{name}: 合计");
        // 甲 成交, 乙 商务谈判, 丙 丢单, 丁 成交.
        assert_eq!(won_lost_open(&r), (2, 1, 1), "{name}");
        close(&r["funnel"]["won_amount"], 350_000.0);
        // 甲 2024-01-10 → 03-10 = 60 days; 丁 04-01 → 05-20 = 49 days.
        let c = &r["cycle_days"];
        assert_eq!(c["n"], 2, "{name}");
        assert_eq!((c["min"].as_i64(), c["max"].as_i64()), (Some(49), Some(60)));
        assert_eq!(r["inputs"][0]["kind"], "customers");
    }
}

#[test]
fn dates_of_a_1904_workbook_are_not_four_years_off() {
    for name in ["date1904.xlsx", "date1904.xls"] {
        let wd = Workdir::new();
        std::fs::copy(committed(name), wd.join(name)).unwrap();
        let sheets = inspect(&wd, &[name]);
        let s = sheet(&sheets, "客户");
        assert_eq!(s["kind"], "customers", "{name}");
        assert_eq!(s["header_row"], 1, "{name}");
        // Read in the 1900 system these would be 2028-01-11 and 2028-03-01.
        assert_eq!(
            samples(s, "first_contact_date"),
            ["2024-01-10", "2024-02-29"],
            "{name}"
        );
        assert_eq!(samples(s, "signed_date"), ["2024-03-10"], "{name}");
        assert_eq!(
            samples(s, "created_date"),
            ["2023-12-25 14:30:00", "2024-02-28 09:00:00"],
            "{name}"
        );
        let r = report(&wd, &[name]);
        assert_eq!(won_lost_open(&r), (1, 0, 1), "{name}");
        close(&r["funnel"]["won_amount"], 80_000.0);
        // 戊 2024-01-10 → 2024-03-10 = 60 days.
        let c = &r["cycle_days"];
        assert_eq!((c["n"].as_i64(), c["min"].as_i64()), (Some(1), Some(60)));
        assert_no_findings(&r, &["future_date", "unparseable_date"]);
    }
}

#[test]
fn merged_cells_and_a_two_row_header() {
    let wd = Workdir::new();
    let name = "客户联系人-两行表头.xlsx";
    write_two_row_header(&wd.join(name));
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "客户联系人");
    assert_eq!(s["kind"], "customers");
    // Row 1 holds the groups 客户基本信息 / 联系人信息; 负责销售 is merged
    // down over rows 1–2, so row 2 names every column.
    assert_eq!(s["header_row"], 2);
    assert_eq!(s["rows"], 4);
    assert_eq!(
        mapping(s),
        expect_mapping(&[
            ("企业名称", "customer_name"),
            ("行业", "industry"),
            ("姓名", "contact_name"),
            ("职务", "contact_title"),
            ("电话", "phone"),
            ("负责销售", "owner"),
        ])
    );
    assert_eq!(samples(s, "owner"), ["王磊", "李娜"]);
    assert_eq!(samples(s, "contact_title")[0], "采购经理");
    // The owner cells merged down over two rows each give every row its owner.
    let r = report(&wd, &[name]);
    assert_eq!(r["rows"]["accepted"], 4);
    assert_eq!(r["customers"]["total"], 4);
    assert_eq!(rep(&r, "王磊")["customers"], 2);
    assert_eq!(rep(&r, "李娜")["customers"], 2);
    assert!(r["reps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["owner"] != "未分配"));
}

#[test]
fn a_combined_ledger_splits_into_customers_and_followups() {
    let wd = Workdir::new();
    let name = "老客户台账.xlsx";
    write_ledger(&wd.join(name));
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "客户跟进台账");
    assert_eq!(s["kind"], "combined");
    assert_eq!(s["rows"], 6);
    assert_eq!(
        mapping(s)
            .into_iter()
            .filter_map(|(_, f)| f)
            .collect::<Vec<_>>(),
        [
            "customer_name",
            "industry",
            "source",
            "grade",
            "owner",
            "followup_date",
            "method",
            "summary",
            "stage"
        ]
    );
    let r = report(&wd, &[name]);
    // 6 physical rows: 3 customers (the first row of each merged block), 6 follow-ups.
    assert_eq!(r["rows"]["read"], 6);
    assert_eq!(r["rows"]["accepted"], 6);
    assert_eq!(r["customers"]["total"], 3);
    assert_eq!(r["customers"]["duplicates_merged"], 0);
    assert_eq!(r["activity"]["followups"], 6);
    // Each follow-up row belongs to the customer merged over it.
    assert_eq!(rep(&r, "王磊")["followups"], 3);
    assert_eq!(rep(&r, "李娜")["followups"], 2);
    assert_eq!(rep(&r, "张伟")["followups"], 1);
    let declared = &r["grades"]["declared"];
    assert_eq!(
        (&declared["A"], &declared["B"], &declared["C"]),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    assert_no_findings(&r, &["orphan_followup", "missing_customer_name"]);
}

#[test]
fn a_gbk_csv_under_a_title_line() {
    let wd = Workdir::new();
    let name = "客户名单-gbk.csv";
    write_gbk_csv(&wd.join(name));
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "客户名单-gbk");
    assert_eq!(s["encoding"], "GB18030");
    assert_eq!(s["kind"], "customers");
    assert_eq!(s["header_row"], 2);
    assert_eq!(
        samples(s, "customer_name"),
        [
            "杭州西湖软件有限公司",
            "宁波港口物流有限公司",
            "温州鞋业制造有限公司"
        ]
    );
    assert_eq!(samples(s, "source"), ["展会", "转介绍", "线上咨询"]);
    assert_eq!(samples(s, "phone")[2], "0577-86660003");
    let r = report(&wd, &[name]);
    assert_eq!(r["customers"]["total"], 3);
    assert_eq!(r["rows"]["read"], 3);
    for owner in ["王磊", "李娜", "张伟"] {
        assert_eq!(rep(&r, owner)["customers"], 1, "{owner}");
    }
    assert_no_findings(&r, &["unknown_source", "invalid_phone"]);
}

/// Rows of a GBK export pasted under a UTF-8 one (the header in UTF-8):
/// every line is read in its own encoding, and `inspect` says the file
/// mixes them.
#[test]
fn gbk_rows_pasted_under_a_utf8_header() {
    let wd = Workdir::new();
    let name = "客户-混合编码.csv";
    let utf8 = "企业名称,所属行业,负责销售\n杭州西湖软件有限公司,软件,王磊\n";
    let (gbk, _, _) = encoding_rs::GBK.encode("宁波港口物流有限公司,物流,李娜\n");
    std::fs::write(wd.join(name), [utf8.as_bytes(), &gbk].concat()).unwrap();
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "客户-混合编码");
    assert_eq!(s["encoding"], "UTF-8+GB18030");
    assert_eq!(
        samples(s, "customer_name"),
        ["杭州西湖软件有限公司", "宁波港口物流有限公司"]
    );
    let r = report(&wd, &[name]);
    assert_eq!(r["customers"]["total"], 2);
    assert_eq!(rep(&r, "李娜")["customers"], 1);
}

#[test]
fn excel_unicode_text_is_utf16_with_tabs() {
    let wd = Workdir::new();
    let name = "客户-Unicode文本.txt";
    write_utf16_text(&wd.join(name));
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "客户-Unicode文本");
    assert_eq!(s["encoding"], "UTF-16LE");
    assert_eq!(s["kind"], "customers");
    assert_eq!(s["header_row"], 1);
    assert_eq!(s["rows"], 2);
    assert_eq!(
        mapping(s),
        expect_mapping(&[
            ("企业名称", "customer_name"),
            ("所属行业", "industry"),
            ("客户分级", "grade"),
            ("预算范围", "budget"),
            ("首次接触时间", "first_contact_date"),
        ])
    );
    assert_eq!(samples(s, "budget"), ["30-50万元", "10万"]);
    let r = report(&wd, &[name]);
    let declared = &r["grades"]["declared"];
    assert_eq!((&declared["A"], &declared["B"]), (&1.into(), &1.into()));
    // 2024/3/5 and 2024/4/18 start the two (customer) opportunities.
    assert_eq!(new_by_month(&r), months(&[("2024-03", 1), ("2024-04", 1)]));
    assert_no_findings(&r, &["unparseable_amount", "unknown_grade"]);
}

#[test]
fn a_semicolon_csv_with_day_first_dates() {
    let wd = Workdir::new();
    let name = "customers-semicolon.csv";
    write_text(&wd.join(name), SEMICOLON_CSV);
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "customers-semicolon");
    assert_eq!(s["kind"], "customers");
    assert_eq!(s["rows"], 3);
    assert_eq!(
        mapping(s),
        expect_mapping(&[
            ("Company Name", "customer_name"),
            ("Industry", "industry"),
            ("Lead Source", "source"),
            ("Owner", "owner"),
            ("Created Date", "created_date"),
        ])
    );
    assert_eq!(samples(s, "customer_name")[0], "Müller Maschinenbau GmbH");
    let r = report(&wd, &[name]);
    // 15.03.2024 proves the column day-first, so 02.04.2024 is 2 April.
    assert_eq!(
        new_by_month(&r),
        months(&[("2024-03", 1), ("2024-04", 1), ("2024-05", 1)])
    );
    // Trade Show, Referral and Web are known sources.
    assert_no_findings(
        &r,
        &[
            "ambiguous_date_column",
            "unparseable_date",
            "unknown_source",
        ],
    );
}

#[test]
fn a_salesforce_opportunities_export() {
    let wd = Workdir::new();
    let name = "salesforce-opportunities.csv";
    write_text(&wd.join(name), SALESFORCE_CSV);
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "salesforce-opportunities");
    assert_eq!(s["kind"], "opportunities");
    assert_eq!(s["encoding"], "UTF-8");
    assert_eq!(s["rows"], 6);
    assert_eq!(
        mapping(s),
        expect_mapping(&[
            ("Opportunity Name", "opportunity_name"),
            ("Account Name", "customer_name"),
            ("Stage", "stage"),
            ("Amount", "deal_amount"),
            ("Probability (%)", "probability"),
            ("Close Date", "signed_date"),
            ("Created Date", "created_date"),
            ("Lead Source", "source"),
            ("Opportunity Owner", "owner"),
            ("Type", ""),
            ("Next Step", "next_action"),
        ])
    );
    let r = report(&wd, &[name]);
    // Closed Won: Acme 120000, Stark 250000; Closed Lost: Umbrella; open: Globex,
    // Initech, Hooli.
    assert_eq!(won_lost_open(&r), (2, 1, 3));
    close(&r["funnel"]["won_amount"], 370_000.0);
    close(&r["funnel"]["win_rate"], 2.0 / 3.0);
    let current = current_by_stage(&r);
    assert_eq!(
        (current["lead"], current["proposal"], current["negotiation"]),
        (1, 1, 1)
    );
    // Month-first dates: Acme 1/20 → 3/15 = 55 days, Stark 2/1 → 6/28 = 148.
    let c = &r["cycle_days"];
    assert_eq!(
        (c["min"].as_i64(), c["max"].as_i64()),
        (Some(55), Some(148))
    );
    close(&c["median"], 101.5);
    // The rows' own probabilities (90 %, 75 %) weight the open amounts, and an
    // open deal's Close Date is its expected close date.
    close(&r["forecast"]["open_amount"], 125_000.5);
    close(
        &r["forecast"]["weighted_amount"],
        80_000.0 * 0.9 + 45_000.5 * 0.75,
    );
    close(expected_in(&r, "2024-07"), 80_000.0);
    close(expected_in(&r, "2024-08"), 45_000.5);
    let by_source = &r["funnel"]["by_source"];
    assert_eq!(
        keys(by_source),
        ["展会", "合作伙伴", "线上咨询", "陌拜", "转介绍"]
            .map(String::from)
            .into()
    );
    assert_eq!(by_source[0]["key"], "展会");
    assert_eq!(by_source[0]["won"], 2);
    assert_eq!(rep(&r, "Bob Lee")["opportunities"], 3);
    assert_eq!(rep(&r, "Jane Cooper")["won"], 1);
    assert_no_findings(
        &r,
        &[
            "unparseable_date",
            "ambiguous_date_column",
            "nonstandard_stage",
            "unknown_source",
            "unparseable_amount",
        ],
    );
}

#[test]
fn a_hubspot_deals_export() {
    let wd = Workdir::new();
    let name = "hubspot-deals.csv";
    write_text(&wd.join(name), HUBSPOT_CSV);
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "hubspot-deals");
    assert_eq!(s["kind"], "opportunities");
    assert_eq!(
        mapping(s),
        expect_mapping(&[
            ("Record ID", "opportunity_id"),
            ("Deal Name", "opportunity_name"),
            ("Deal Stage", "stage"),
            ("Amount", "deal_amount"),
            ("Close Date", "signed_date"),
            ("Create Date", "created_date"),
            ("Deal owner", "owner"),
            ("Associated Company", "customer_name"),
            ("Pipeline", ""),
        ])
    );
    assert_eq!(samples(s, "customer_name")[2], "Fabrikam, Inc.");
    let r = report(&wd, &[name]);
    assert_eq!(won_lost_open(&r), (1, 1, 3));
    close(&r["funnel"]["won_amount"], 56_000.0);
    // Contract sent → negotiation, Presentation scheduled → proposal,
    // Appointment scheduled → lead (sentence-case labels of HubSpot).
    let current = current_by_stage(&r);
    assert_eq!(
        (current["lead"], current["proposal"], current["negotiation"]),
        (1, 1, 1)
    );
    // Northwind: created 2024-02-01 09:15, closed won 2024-04-30 17:00.
    let c = &r["cycle_days"];
    assert_eq!((c["n"].as_i64(), c["min"].as_i64()), (Some(1), Some(89)));
    close(&r["forecast"]["open_amount"], 50_000.0);
    assert_eq!(rep(&r, "Alex Kim")["opportunities"], 3);
    assert_no_findings(&r, &["unparseable_date", "nonstandard_stage"]);
}

#[test]
fn a_pipedrive_deals_export() {
    let wd = Workdir::new();
    let name = "pipedrive-deals.csv";
    write_text(&wd.join(name), PIPEDRIVE_CSV);
    let sheets = inspect(&wd, &[name]);
    let s = sheet(&sheets, "pipedrive-deals");
    assert_eq!(s["kind"], "opportunities");
    assert_eq!(
        mapping(s),
        expect_mapping(&[
            ("Deal - Title", "opportunity_name"),
            ("Deal - Organization", "customer_name"),
            ("Deal - Contact person", "contact_name"),
            ("Deal - Value", "deal_amount"),
            ("Deal - Currency", ""),
            ("Deal - Stage", "stage"),
            ("Deal - Status", "deal_status"),
            ("Deal - Owner", "owner"),
            ("Deal - Deal created", "created_date"),
            ("Deal - Won time", "signed_date"),
            ("Deal - Expected close date", "expected_close_date"),
            ("Deal - Lost reason", "lost_reason"),
        ])
    );
    assert_eq!(samples(s, "lost_reason"), ["Price too high"]);
    let r = report(&wd, &[name]);
    // The status decides: Globex is won although its stage column still says
    // Negotiations Started; Soylent is lost.
    assert_eq!(won_lost_open(&r), (1, 1, 2));
    close(&r["funnel"]["won_amount"], 15_000.0);
    // Contact Made and Qualified are both needs analysis.
    assert_eq!(current_by_stage(&r)["qualify"], 2);
    // Created 2024-01-05, won 2024-03-01: 56 days.
    let c = &r["cycle_days"];
    assert_eq!((c["n"].as_i64(), c["min"].as_i64()), (Some(1), Some(56)));
    close(expected_in(&r, "2024-07"), 5_000.0);
    close(expected_in(&r, "2024-08"), 8_000.0);
    assert_no_findings(&r, &["unparseable_date", "nonstandard_stage"]);
}

/// Without a profile the export is misread: its 说明 sheet looks like a
/// customer table and its 商机 sheet has no header that can be found.
#[test]
fn without_a_profile_the_export_is_misread() {
    let wd = Workdir::new();
    write_profile_export(&wd.join(PROFILE_EXPORT));
    let sheets = inspect(&wd, &[PROFILE_EXPORT]);
    assert_eq!(sheet(&sheets, "说明")["kind"], "customers");
    let s = sheet(&sheets, "商机");
    assert_eq!(s["kind"], "skipped");
    assert!(s["note"].as_str().unwrap().contains("no header row"));
}

#[test]
fn a_profile_pins_sheet_kind_header_row_and_columns() {
    let wd = Workdir::new();
    write_profile_export(&wd.join(PROFILE_EXPORT));
    write_text(&wd.join("team.toml"), EXPORT_PROFILE);
    let sheets = inspect(&wd, &[PROFILE_EXPORT, "--config", "team.toml"]);
    let notes = sheet(&sheets, "说明");
    assert_eq!(notes["kind"], "skipped");
    assert!(notes["note"]
        .as_str()
        .unwrap()
        .contains("excluded by profile `*商机导出*.xlsx`"));
    let s = sheet(&sheets, "商机");
    assert_eq!(s["kind"], "opportunities");
    assert_eq!(s["header_row"], 3);
    assert_eq!(s["rows"], 4);
    assert_eq!(s["profiles"], serde_json::json!(["*商机导出*.xlsx"]));
    let ids = [
        "opportunity_id",
        "customer_name",
        "deal_amount",
        "owner",
        "stage",
        "created_date",
        "signed_date",
    ];
    let pairs: Vec<(&str, &str)> = EXPORT_HEADER.iter().copied().zip(ids).collect();
    assert_eq!(mapping(s), expect_mapping(&pairs));
    assert_eq!(samples(s, "deal_amount"), ["12万", "8万", "5万", "20万"]);

    // The report reads the same: 说明 is listed as skipped, 商机 gives 4 opportunities.
    let r = report(&wd, &[PROFILE_EXPORT, "--config", "team.toml"]);
    let inputs = r["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["kind"], "skipped");
    assert_eq!(inputs[1]["kind"], "opportunities");
    assert_eq!(inputs[1]["header_row"], 3);
    assert_eq!(r["rows"]["read"], 4);
    assert_eq!(won_lost_open(&r), (2, 1, 1));
    // 12万 + 20万; both cycles are 45 days (03-01 → 04-15, 05-06 → 06-20).
    close(&r["funnel"]["won_amount"], 320_000.0);
    let c = &r["cycle_days"];
    assert_eq!((c["min"].as_i64(), c["max"].as_i64()), (Some(45), Some(45)));
    assert_eq!(rep(&r, "王磊")["won"], 2);
}

#[test]
fn command_line_flags_win_over_a_profile() {
    let wd = Workdir::new();
    write_profile_export(&wd.join(PROFILE_EXPORT));
    // crm-report.toml in the working directory is read without --config.
    write_text(&wd.join("crm-report.toml"), EXPORT_PROFILE);
    let kind = format!("{PROFILE_EXPORT}=customers");
    let sheets = inspect(&wd, &[PROFILE_EXPORT, "--kind", &kind]);
    let s = sheet(&sheets, "商机");
    assert_eq!(
        s["kind"], "customers",
        "--kind wins over the profile's kind"
    );
    assert_eq!(s["header_row"], 3, "the rest of the profile still applies");
    // --sheet picks the sheets: the profile naming 商机 does not apply to 说明.
    let sheets = inspect(&wd, &[PROFILE_EXPORT, "--sheet", "说明"]);
    assert_eq!(sheets.len(), 2);
    let notes = sheet(&sheets, "说明");
    assert_eq!(notes["kind"], "customers");
    assert_eq!(notes["profiles"], serde_json::json!([]));
    assert_eq!(sheet(&sheets, "商机")["note"], "excluded by --sheet");
}

#[test]
fn one_directory_of_every_kind_gives_one_consistent_report() {
    let wd = Workdir::new();
    write_all(&wd.join("in"));
    write_text(&wd.join("crm-report.toml"), EXPORT_PROFILE);
    let r = report(&wd, &["in"]);
    // Every file is listed once per sheet, with the kind it was read as.
    let inputs = r["inputs"].as_array().unwrap();
    for (name, kind) in ALL {
        let read: Vec<&Value> = inputs
            .iter()
            .filter(|i| i["file"].as_str().unwrap().ends_with(name) && i["kind"] != "skipped")
            .collect();
        assert_eq!(read.len(), 1, "{name} read once: {inputs:#?}");
        assert_eq!(read[0]["kind"], kind, "{name}");
    }
    let skipped: Vec<&Value> = inputs.iter().filter(|i| i["kind"] == "skipped").collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["sheet"], "说明");
    assert!(inputs.iter().all(|i| i["error"].is_null()));
    // Rows are conserved: every row read is accepted, rejected or skipped,
    // and the per-sheet counts add up to the total.
    let rows = &r["rows"];
    let n = |k: &str| rows[k].as_i64().unwrap();
    assert_eq!(n("read"), n("accepted") + n("rejected") + n("skipped"));
    let per_sheet: i64 = inputs.iter().map(|i| i["rows"].as_i64().unwrap()).sum();
    assert_eq!(per_sheet, n("read"));
    // xls 5 + ods 5 + 1904 2 + 2 + two-row header 4 + ledger 6 + GBK 3 +
    // UTF-16 2 + semicolon 3 + Salesforce 6 + HubSpot 5 + Pipedrive 4 + export 4.
    assert_eq!(n("read"), 51);
    assert_eq!(n("skipped"), 2, "the 合计 rows of the xls and the ods");
    assert_eq!(n("rejected"), 0);
    // The opportunity tables (Salesforce, HubSpot, Pipedrive, the export)
    // make the funnel: won 2 + 1 + 1 + 2, lost 1 + 1 + 1 + 1, open 3 + 3 + 2 + 1.
    assert_eq!(won_lost_open(&r), (6, 4, 9));
    close(
        &r["funnel"]["won_amount"],
        370_000.0 + 56_000.0 + 15_000.0 + 320_000.0,
    );
    // Customer rows: xls 4 + ods 4 + 1904 2 + 2 + 4 + ledger 3 + GBK 3 +
    // UTF-16 2 + semicolon 3 = 27; the ods repeats the xls and the two 1904
    // workbooks each other: 6 merged, 21 customers.
    assert_eq!(r["customers"]["duplicates_merged"], 6);
    assert_eq!(r["customers"]["total"], 21);
    assert_eq!(r["activity"]["followups"], 6);
}

#[test]
fn init_config_writes_the_defaults_and_refuses_to_overwrite() {
    let wd = Workdir::new();
    wd.run_ok(&["init-config"]);
    let path = wd.join("crm-report.toml");
    let loaded = crm_core::config::Config::load(Some(&path)).expect("loads");
    assert_eq!(
        format!("{loaded:?}"),
        format!("{:?}", crm_core::config::Config::default())
    );
    let text = std::fs::read_to_string(&path).unwrap();
    for section in [
        "date_order = ",
        "currency = ",
        "[columns]",
        "[needs]",
        "[cadence]",
        "[grading]",
        "[pii]",
        "[forecast.stage_probability]",
        "# [[profile]]",
    ] {
        assert!(text.contains(section), "{section} missing");
    }
    // A second run refuses (usage error) and leaves the file alone.
    std::fs::write(&path, "currency = \"USD\"\n").unwrap();
    let out = wd.run(&["init-config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "currency = \"USD\"\n"
    );
    wd.run_ok(&["init-config", "--force"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // Another path; the written file is what a run then reads.
    wd.run_ok(&["init-config", "team.toml"]);
    write_profile_export(&wd.join(PROFILE_EXPORT));
    let sheets = inspect(&wd, &[PROFILE_EXPORT, "--config", "team.toml"]);
    assert_eq!(sheet(&sheets, "商机")["kind"], "skipped");
}

#[test]
fn help_texts_open_with_examples() {
    let wd = Workdir::new();
    for command in ["inspect", "report", "init-config"] {
        let out = wd.run_ok(&[command, "--help"]);
        let help = String::from_utf8_lossy(&out.stdout);
        let examples = help.find("Examples:").expect("examples");
        let usage = help.find("Usage:").expect("usage");
        assert!(examples < usage, "{command}: examples come first\n{help}");
        assert!(
            help[examples..usage].contains(&format!("crm-report {command}")),
            "{command}"
        );
    }
}
