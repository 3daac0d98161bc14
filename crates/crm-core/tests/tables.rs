//! Raw sheets → canonical tables: header under titles, summary rows, row
//! conservation, rejected rows, combined legacy sheets, dedup and linking.

use crm_core::config::Config;
use crm_core::dataset::Dataset;
use crm_core::findings::Code;
use crm_core::model::{Cell, RawSheet, Value};
use crm_core::normalize::stage::Pipeline;
use crm_core::schema::Field;
use crm_core::tables::{LoadOptions, Tables};

fn sheet(name: &str, rows: &[&[&str]]) -> RawSheet {
    RawSheet {
        file: "t.xlsx".into(),
        sheet: name.into(),
        encoding: None,
        rows: rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|s| {
                        if s.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(s.to_string())
                        }
                    })
                    .collect()
            })
            .collect(),
        pending: None,
        note: None,
    }
}

/// Runs `f` with the default load options (default config and pipeline, year 2024).
fn with_default_options<R>(f: impl FnOnce(&LoadOptions) -> R) -> R {
    let config = Config::default();
    let pipeline = Pipeline::default();
    f(&LoadOptions {
        config: &config,
        pipeline: &pipeline,
        default_year: 2024,
        kind: None,
        progress: None,
    })
}

fn load(sheets: &[RawSheet]) -> Tables {
    with_default_options(|opts| {
        let mut t = Tables::default();
        for s in sheets {
            t.add_sheet(s, opts);
        }
        t
    })
}

fn codes(t: &Tables) -> Vec<&'static str> {
    t.findings.iter().map(|f| f.code.code()).collect()
}

#[test]
fn customers_under_a_title_with_summary_and_blank_rows() {
    let t = load(&[sheet(
        "客户",
        &[
            &["客户信息表", "", ""],
            &["企业名称", "所属行业", "跟进状态"],
            &["甲科技有限公司", "软件", "线索"],
            &["", "", ""],
            &["", "制造业", "成交"],
            &["合计科技有限公司", "", "成交"],
            &["合计", "", ""],
            &["注：数据截至6月", "", ""],
        ],
    )]);
    assert_eq!(t.rows.read, 5);
    assert_eq!(t.rows.blank, 1);
    assert_eq!(t.rows.skipped, 2, "合计 and 注： rows");
    assert_eq!(t.rows.rejected, 1, "row without a name");
    assert_eq!(
        t.rows.accepted, 2,
        "合计科技有限公司 is a company, not a total"
    );
    assert_eq!(
        t.rows.read,
        t.rows.accepted + t.rows.rejected + t.rows.skipped
    );
    assert_eq!(t.inputs[0].header_row, Some(2));
    assert_eq!(t.inputs[0].kind, "customers");
    let missing = t
        .findings
        .iter()
        .find(|f| f.code == Code::MissingCustomerName)
        .unwrap();
    assert_eq!((&**missing.sheet(), missing.row), ("客户", 5));
    assert_eq!(codes(&t).iter().filter(|c| **c == "summary_row").count(), 2);
}

#[test]
fn cells_are_normalized_with_findings_in_place() {
    let t = load(&[sheet(
        "客户",
        &[
            &[
                "企业名称",
                "首次接触时间",
                "成交金额",
                "客户分级",
                "跟进状态",
                "联系电话",
            ],
            &[
                "甲公司",
                "2024年3月5日",
                "30万",
                "A类-高意向",
                "方案提交-待反馈",
                "0571-88886666",
            ],
            &["乙公司", "上周", "很多", "D", "快成了", "12345"],
        ],
    )]);
    let a = &t.customers[0];
    assert_eq!(
        a.date(Field::FirstContactDate),
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5)
    );
    assert_eq!(a.money(Field::DealAmount), Some(30_000_000));
    assert_eq!(a.grade(), Some('A'));
    assert_eq!(a.values.get(&Field::Stage), Some(&Value::Stage(2)));
    let b = &t.customers[1];
    assert!(!b.has(Field::FirstContactDate) && !b.has(Field::DealAmount) && !b.has(Field::Stage));
    assert_eq!(
        b.originals().get(&Field::Stage).map(|s| &**s),
        Some("快成了")
    );
    let found: Vec<(&str, usize, &str, &str)> = t
        .findings
        .iter()
        .map(|f| (f.code.code(), f.row as usize, &*f.column, &*f.value))
        .collect();
    for expected in [
        ("unparseable_date", 3, "首次接触时间", "上周"),
        ("unparseable_amount", 3, "成交金额", "很多"),
        ("unknown_grade", 3, "客户分级", "D"),
        ("nonstandard_stage", 3, "跟进状态", "快成了"),
        ("invalid_phone", 3, "联系电话", "12345"),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
}

#[test]
fn combined_sheet_splits_into_customers_and_followups() {
    // A legacy sheet: the customer's cells are filled on the first row of its
    // block (merged cells read back filled too), then its follow-up rows.
    let t = load(&[sheet(
        "台账",
        &[
            &[
                "企业名称",
                "所属行业",
                "客户来源",
                "客户分级",
                "跟进日期",
                "跟进方式",
            ],
            &["甲公司", "软件", "展会", "A", "2024-03-01", "电话"],
            &["", "", "", "", "2024-03-08", "拜访"],
            &["乙公司", "制造业", "转介绍", "B", "2024-03-02", "微信"],
            &["乙公司", "制造业", "转介绍", "B", "2024-03-09", "电话"],
        ],
    )]);
    assert_eq!(t.inputs[0].kind, "combined");
    assert_eq!(t.customers.len(), 2);
    assert_eq!(t.followups.len(), 4);
    assert_eq!(t.followups[1].text(Field::CustomerName), Some("甲公司"));
    assert!(!t.customers[0].has(Field::FollowupDate));
    assert_eq!(t.rows.read, 4);
    assert_eq!(t.rows.accepted, 4, "a physical row counts once");
}

#[test]
fn duplicates_merge_and_followups_link_by_key() {
    let t = load(&[
        sheet(
            "客户",
            &[
                &["企业名称", "所属行业", "负责销售"],
                &["阿里巴巴（中国）网络技术有限公司", "", "王磊"],
                &["阿里巴巴网络技术有限公司", "互联网", "李娜"],
                &["泰和生物科技有限公司", "医药", ""],
                &["泰和生物科枝有限公司", "医药", ""],
            ],
        ),
        sheet(
            "跟进",
            &[
                &["企业名称", "跟进日期", "跟进方式"],
                &["阿里巴巴(中国)网络技术有限公司", "2024-03-01", "电话"],
                &["不存在的公司", "2024-03-02", "电话"],
            ],
        ),
    ]);
    let ds = Dataset::build(t);
    assert_eq!(ds.customers.len(), 3);
    let ali = &ds.customers[0];
    assert_eq!(ali.merged.len(), 1);
    // Per field the first filled value: owner from row 2, industry from row 3.
    assert_eq!(ali.record.text(Field::Owner), Some("王磊"));
    assert!(ali.record.industry().is_some());
    assert_eq!(ds.followups[0].customer(), Some(0));
    assert_eq!(ds.followups[1].customer(), None);
    let codes: Vec<&str> = ds.findings.iter().map(|f| f.code.code()).collect();
    assert!(codes.contains(&"duplicate_customer"));
    assert!(codes.contains(&"orphan_followup"));
    assert!(
        codes.contains(&"possible_duplicate"),
        "科技 vs 科枝 is one edit apart: {codes:?}"
    );
}

/// One edit apart with the same first two characters: every customer of
/// one key is reported against every customer of the other; customers
/// sharing a key are not near duplicates of each other (the dedup reports
/// them once), and a different start is never compared.
#[test]
fn near_duplicates_pair_every_customer_of_two_close_keys() {
    let t = load(&[sheet(
        "客户",
        &[
            &["客户编号", "企业名称"],
            &["C1", "杭州星河网络科技有限公司"],
            &["C2", "杭州星河网络科技有限公司"],
            &["C3", "杭州星湖网络科技有限公司"],
            &["C4", "上海星河网络科技有限公司"],
        ],
    )]);
    let ds = Dataset::build(t);
    assert_eq!(ds.customers.len(), 4);
    let near: Vec<(usize, String)> = ds
        .findings
        .iter()
        .filter(|f| f.code == Code::PossibleDuplicate && *f.column == *Field::CustomerName.label())
        .map(|f| (f.row as usize, f.detail.to_string()))
        .collect();
    assert_eq!(
        near,
        vec![
            (4, "杭州星河网络科技有限公司".to_string()),
            (4, "杭州星河网络科技有限公司".to_string()),
        ]
    );
    // C2 against C1 (same key, other id) is reported once, by the dedup.
    let same_key = ds
        .findings
        .iter()
        .filter(|f| f.code == Code::PossibleDuplicate && f.row == 3)
        .count();
    assert_eq!(same_key, 1);
    assert!(!ds.findings.iter().any(|f| f.row == 5));
}

#[test]
fn different_ids_are_not_merged() {
    let t = load(&[sheet(
        "客户",
        &[
            &["客户编号", "企业名称"],
            &["C1", "甲公司"],
            &["C2", "甲公司"],
        ],
    )]);
    let ds = Dataset::build(t);
    assert_eq!(ds.customers.len(), 2);
    assert!(ds
        .findings
        .iter()
        .any(|f| f.code == Code::PossibleDuplicate));
}

#[test]
fn a_sheet_without_a_header_is_skipped_with_a_note() {
    let t = load(&[sheet("填表说明", &[&["请按模板填写"], &["带*为必填项"]])]);
    assert_eq!(t.inputs[0].kind, "skipped");
    assert!(t.inputs[0].note.is_some());
    assert_eq!(t.rows.read, 0);
}

/// A GBK follow-up log far longer than the parsed head: the rows past it
/// are parsed on demand, yet read exactly as the head is. A day-first date
/// only near the end decides the column's order for row 2; a bad date past
/// the head is reported on its own row; by reference and owned agree.
#[test]
fn a_long_csv_reads_past_its_head_like_a_short_one() {
    use crm_core::ingest::read::{read_file, ReadOptions};
    let mut text = String::from("跟进记录\n客户名称,跟进日期,跟进方式\n");
    let n = crm_core::ingest::delimited::HEAD_NONBLANK_ROWS * 4;
    for i in 0..n {
        let date = match i {
            0 => "03/04/2024".to_string(),
            _ if i == n - 10 => "25/03/2024".to_string(),
            _ if i == n - 5 => "不是日期".to_string(),
            _ => format!("2024-05-{:02}", i % 28 + 1),
        };
        text.push_str(&format!("客户{i},{date},电话\n"));
        if i % 50 == 0 {
            text.push('\n');
        }
    }
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    let path = std::env::temp_dir().join(format!("crm-long-{}.csv", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let mut sheets = read_file(&path, &ReadOptions::default()).unwrap();
    std::fs::remove_file(&path).unwrap();
    let sheet = sheets.remove(0);
    assert!(sheet.pending.is_some(), "the tail is left unparsed");
    let by_ref = load(std::slice::from_ref(&sheet));
    let owned = with_default_options(|opts| {
        let mut t = Tables::default();
        t.add_sheet_owned(sheet, opts, &Default::default());
        t
    });
    for t in [&by_ref, &owned] {
        assert_eq!(t.followups.len(), n);
        assert_eq!(t.rows.read, n);
        let first = &t.followups[0];
        assert_eq!(first.origin.row, 3);
        assert_eq!(
            first.date(Field::FollowupDate),
            chrono::NaiveDate::from_ymd_opt(2024, 4, 3)
        );
        let last = t.followups.last().unwrap();
        assert_eq!(
            last.text(Field::CustomerName),
            Some(format!("客户{}", n - 1).as_str())
        );
        // Row of record i: 2 title/header rows, i + 1, one blank line per 50 records before it.
        let bad = n - 5;
        let row = 2 + bad + 1 + bad / 50 + 1;
        let unparseable: Vec<usize> = t
            .findings
            .iter()
            .filter(|f| f.code == Code::UnparseableDate)
            .map(|f| f.row as usize)
            .collect();
        assert_eq!(unparseable, vec![row]);
    }
    assert_eq!(by_ref.findings.len(), owned.findings.len());
}

/// A metrics-only run keeps the originals read after loading (dates, and
/// a deal's stage and amount on the customer list) and drops the rest: a
/// follow-up's stage or method written otherwise, a customer's grade.
#[test]
fn a_projected_run_keeps_only_the_originals_read_later() {
    use crm_core::tables::Projection;
    let customers = sheet(
        "客户",
        &[
            &[
                "企业名称",
                "客户分级",
                "首次接触时间",
                "跟进状态",
                "成交金额",
            ],
            &["甲公司", "a类", "2024/3/5", "已成交", "5万"],
        ],
    );
    let followups = sheet(
        "跟进记录",
        &[
            &["企业名称", "跟进日期", "跟进方式", "跟进状态"],
            &["甲公司", "2024/3/6", "打电话", "已成交"],
        ],
    );
    let load_as = |projection| {
        with_default_options(|opts| {
            let mut t = Tables {
                projection,
                ..Tables::default()
            };
            t.add_sheet(&customers, opts);
            t.add_sheet(&followups, opts);
            t
        })
    };
    const READ: &[Field] = &[
        Field::CustomerName,
        Field::Grade,
        Field::Stage,
        Field::DealAmount,
        Field::Method,
    ];
    let (full, projected) = (
        load_as(Projection::Everything),
        load_as(Projection::Only(READ)),
    );
    let kept = |t: &Tables| {
        let fields = |r: &crm_core::model::Record| -> Vec<Field> {
            r.originals().iter().map(|(f, _)| *f).collect()
        };
        (fields(&t.customers[0]), fields(&t.followups[0].to_record()))
    };
    assert_eq!(
        kept(&full),
        (
            vec![
                Field::Grade,
                Field::FirstContactDate,
                Field::Stage,
                Field::DealAmount
            ],
            vec![Field::Stage, Field::FollowupDate, Field::Method]
        )
    );
    assert_eq!(
        kept(&projected),
        (
            vec![Field::FirstContactDate, Field::Stage, Field::DealAmount],
            vec![Field::FollowupDate]
        )
    );
    // The values are the same, and so are the findings.
    assert_eq!(full.customers[0].values, projected.customers[0].values);
    assert_eq!(
        full.followups[0].to_record().values,
        projected.followups[0].to_record().values
    );
    // A projected follow-up keeps no record of its own, the full one does,
    // and both quote the date as written.
    assert!(full.followups[0].record().is_some() && projected.followups[0].record().is_none());
    for t in [&full, &projected] {
        assert_eq!(
            t.followups[0].date_as_written().as_deref(),
            Some("2024/3/6")
        );
    }
    assert_eq!(full.findings, projected.findings);
}

#[test]
fn originals_are_kept_apart_only_where_the_value_does_not_show_them() {
    let t = load(&[sheet(
        "客户",
        &[
            &["企业名称", "首次接触时间", "跟进状态"],
            &["甲公司", "2024-03-05", "成交"],
            &["乙公司", "2024/3/5", "已成交"],
            &["甲公司", "上周", ""],
        ],
    )]);
    let (a, b) = (&t.customers[0], &t.customers[1]);
    // Text and ISO dates as written: no copy kept, the value gives them back.
    assert!(!a.originals().contains_key(&Field::CustomerName));
    assert!(!a.originals().contains_key(&Field::FirstContactDate));
    assert_eq!(
        a.original(Field::CustomerName, &Pipeline::default())
            .as_deref(),
        Some("甲公司")
    );
    assert_eq!(
        a.original(Field::FirstContactDate, &Pipeline::default())
            .as_deref(),
        Some("2024-03-05")
    );
    // A stage written as its label keeps no copy; a synonym keeps its text,
    // and so does a date written otherwise.
    assert!(!a.originals().contains_key(&Field::Stage));
    assert!(b.originals().contains_key(&Field::Stage));
    assert_eq!(
        a.original(Field::Stage, &Pipeline::default()).as_deref(),
        Some("成交")
    );
    assert_eq!(
        b.original(Field::FirstContactDate, &Pipeline::default())
            .as_deref(),
        Some("2024/3/5")
    );
    assert_eq!(
        b.original(Field::Stage, &Pipeline::default()).as_deref(),
        Some("已成交")
    );
    // A cell that did not normalize keeps its text; the column still counts.
    let c = &t.customers[2];
    assert!(!c.has(Field::FirstContactDate) && c.has_cell(Field::FirstContactDate));
    assert_eq!(
        c.original(Field::FirstContactDate, &Pipeline::default())
            .as_deref(),
        Some("上周")
    );
    assert!(!c.has_cell(Field::Stage), "a blank cell is no cell");
}

#[test]
fn a_merged_field_takes_the_original_of_the_row_it_came_from() {
    let t = load(&[sheet(
        "客户",
        &[
            &["企业名称", "首次接触时间"],
            &["甲公司", "上周"],
            &["甲公司 ", "2024-03-05"],
        ],
    )]);
    let ds = Dataset::build(t);
    assert_eq!(ds.customers.len(), 1);
    let merged = &ds.customers[0].record;
    assert_eq!(
        merged.date(Field::FirstContactDate),
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5)
    );
    assert_eq!(
        merged
            .original(Field::FirstContactDate, &Pipeline::default())
            .as_deref(),
        Some("2024-03-05"),
        "not the unreadable 上周 of the first row"
    );
}

#[test]
fn a_row_merges_into_the_customer_of_its_id_among_several_of_one_key() {
    let t = load(&[sheet(
        "客户",
        &[
            &["客户编号", "企业名称", "所属行业"],
            &["C1", "甲公司", ""],
            &["C2", "甲公司", ""],
            &["C3", "甲公司", ""],
            &["C2", "甲公司", "软件"],
            &["", "甲公司", "制造业"],
        ],
    )]);
    let ds = Dataset::build(t);
    let ids: Vec<(&str, usize)> = ds
        .customers
        .iter()
        .map(|c| (c.record.text(Field::CustomerId).unwrap(), c.merged.len()))
        .collect();
    // C2's second row joins C2 (third in the key's chain is C3, not it);
    // the row without an id joins the first of the key.
    assert_eq!(ids, vec![("C1", 1), ("C2", 1), ("C3", 0)]);
    assert!(ds.customers[1].record.industry().is_some(), "C2 took 软件");
    let same_key = ds
        .findings
        .iter()
        .filter(|f| f.code == Code::PossibleDuplicate)
        .count();
    assert_eq!(same_key, 2, "C2 and C3 against C1");
}

/// A follow-up table big enough to be read on several threads: the as-of
/// date is its latest date not after today wherever that row lies, and
/// every date after the as-of date raises one `future_date`, in row order.
#[test]
fn as_of_and_future_dates_of_a_table_read_in_parts() {
    let rows = 40_000;
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let date_of = |i: usize| match i {
        100 | 39_998 => "2025-08-01".to_string(),
        39_995 => "2025-06-30".to_string(),
        _ => (first + chrono::Days::new((i % 300) as u64)).to_string(),
    };
    let mut cells = vec![vec![
        Cell::Text("企业名称".into()),
        Cell::Text("跟进日期".into()),
        Cell::Text("跟进方式".into()),
    ]];
    cells.extend((0..rows).map(|i| {
        vec![
            Cell::Text("甲公司".into()),
            Cell::Text(date_of(i)),
            Cell::Text("电话".into()),
        ]
    }));
    let mut followups = sheet("跟进", &[]);
    followups.rows = cells;
    let mut ds = Dataset::build(load(&[followups]));
    assert_eq!(ds.followups.len(), rows);
    let pipeline = Pipeline::default();
    let today = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
    let as_of = ds.infer_as_of(today, pipeline.won());
    assert_eq!(as_of, chrono::NaiveDate::from_ymd_opt(2025, 6, 30));
    ds.flag_future_dates(as_of.unwrap(), &pipeline);
    let future: Vec<(usize, &str)> = ds
        .findings
        .iter()
        .filter(|f| f.code == Code::FutureDate)
        .map(|f| (f.row as usize, &*f.value))
        .collect();
    // Data row i is spreadsheet row i + 2 (the header is row 1).
    assert_eq!(future, vec![(102, "2025-08-01"), (40_000, "2025-08-01")]);
}

/// The follow-up dates read once when the dataset is built are each kept
/// follow-up's own, in order: a rejected row (no customer) is left out of
/// both, a row without a readable date has none; a dataset whose
/// follow-ups changed after the build reads the records instead.
#[test]
fn followup_dates_are_the_kept_rows_dates_in_order() {
    let followups = sheet(
        "跟进",
        &[
            &["企业名称", "跟进日期", "跟进方式"],
            &["甲公司", "2024-03-01", "电话"],
            &["", "2024-03-02", "电话"],
            &["乙公司", "", "微信"],
            &["丙公司", "不详", "拜访"],
            &["甲公司", "2024/3/5", "电话"],
        ],
    );
    let mut ds = Dataset::build(load(&[followups]));
    let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 3, d);
    let expected = vec![day(1), None, None, day(5)];
    let own: Vec<_> = ds
        .followups
        .iter()
        .map(|f| f.date(Field::FollowupDate))
        .collect();
    assert_eq!(own, expected);
    let dates = ds.followup_dates();
    assert!(matches!(dates, std::borrow::Cow::Borrowed(_)));
    assert_eq!(dates.to_vec(), expected);
    ds.followups.remove(0);
    assert_eq!(ds.followup_dates().to_vec(), expected[1..].to_vec());
}

/// Future dates on follow-ups: its own date, read in the date column, and
/// a signed date beside it (a won row's), read in the row's values, in
/// field order within a row; an open row's signed date and a due date look
/// ahead and are not flagged.
#[test]
fn future_dates_on_follow_ups_by_column_and_by_value() {
    let followups = sheet(
        "跟进",
        &[
            &["企业名称", "跟进日期", "跟进状态", "签约日期", "完成时限"],
            &["甲公司", "2025-08-01", "", "", ""],
            &["乙公司", "2025-06-01", "成交", "2025-09-01", ""],
            &[
                "丙公司",
                "2025-06-01",
                "方案沟通",
                "2025-09-01",
                "2025-10-01",
            ],
            &["丁公司", "2025-09-01", "成交", "2025-09-02", ""],
            &["戊公司", "2025-06-02", "", "", ""],
        ],
    );
    let mut ds = Dataset::build(load(&[followups]));
    let pipeline = Pipeline::default();
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    ds.flag_future_dates(as_of, &pipeline);
    let future: Vec<(u32, &str, &str)> = ds
        .findings
        .iter()
        .filter(|f| f.code == Code::FutureDate)
        .map(|f| (f.row, &*f.column, &*f.value))
        .collect();
    assert_eq!(
        future,
        vec![
            (2, "跟进日期", "2025-08-01"),
            (3, "签约日期", "2025-09-01"),
            (5, "签约日期", "2025-09-02"),
            (5, "跟进日期", "2025-09-01"),
        ]
    );
}

/// A long CSV's rows past its head are told to `progress` as their runs
/// are normalized: every byte after the head once, in several steps.
#[test]
fn a_long_csv_tells_its_progress_run_by_run() {
    use crm_core::ingest::delimited::HEAD_NONBLANK_ROWS;
    use crm_core::ingest::read::{read_file, ReadOptions};
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::Mutex;
    let head = String::from("客户名称,跟进日期,跟进方式\n");
    let line = |i: usize| format!("客户{i},2024-05-{:02},电话\n", i % 28 + 1);
    let rows = 20_000;
    let text: String = std::iter::once(head.clone())
        .chain((0..rows).map(line))
        .collect();
    let path = std::env::temp_dir().join(format!("crm-progress-{}.csv", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let mut sheets = read_file(&path, &ReadOptions::default()).unwrap();
    std::fs::remove_file(&path).unwrap();
    let sheet = sheets.remove(0);
    assert!(sheet.pending.is_some(), "the tail is left unparsed");
    let told = AtomicU64::new(0);
    let steps = AtomicUsize::new(0);
    let largest = Mutex::new(0u64);
    let tell = |bytes: u64| {
        told.fetch_add(bytes, Ordering::Relaxed);
        steps.fetch_add(1, Ordering::Relaxed);
        let mut largest = largest.lock().unwrap();
        *largest = (*largest).max(bytes);
    };
    let t = with_default_options(|defaults| {
        let opts = LoadOptions {
            progress: Some(&tell),
            ..*defaults
        };
        let mut t = Tables::default();
        t.add_sheet_owned(sheet, &opts, &Default::default());
        t
    });
    assert_eq!(t.followups.len(), rows);
    // The head is the first HEAD_NONBLANK_ROWS rows, the header one of them.
    let head_bytes: usize = head.len()
        + (0..HEAD_NONBLANK_ROWS - 1)
            .map(|i| line(i).len())
            .sum::<usize>();
    assert_eq!(told.into_inner(), (text.len() - head_bytes) as u64);
    assert!(steps.into_inner() > 2, "several runs, each told");
    assert!(largest.into_inner().unwrap() < (text.len() / 2) as u64);
}
