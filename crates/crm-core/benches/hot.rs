//! Benchmarks of the per-value hot functions of a run: date and amount
//! parsing, the company dedup key, the ID-number search of free text,
//! header detection, and the count pass over a CSV. Run with `cargo bench -p crm-core`; `cargo test` does not
//! build them.

use crm_core::model::Cell;
use crm_core::normalize::amount::parse_amount;
use crm_core::normalize::company::company_key;
use crm_core::normalize::contact::find_id_number;
use crm_core::normalize::date::{parse_date_text, DateOrder};

fn main() {
    divan::main();
}

/// Date forms as the sample data writes them.
const DATES: &[&str] = &[
    "2026-09-11",
    "2026/7/22",
    "2026.07.20",
    "20260730",
    "2026年7月10日",
    "2026-1-9",
    "3月5日",
];

/// Amount forms as the sample data writes them.
const AMOUNTS: &[&str] = &["2250000", "12万", "约49万", "1,200.50", "35.5万元", "¥8000"];

/// Company names with suffixes, brackets and regions.
const NAMES: &[&str] = &[
    "众立邦保险代理有限公司",
    "峰宏数据科技股份有限公司",
    "峰宏数据科技",
    "杭州（滨江）云帆网络技术有限公司",
    "Acme Trading Co., Ltd.",
];

#[divan::bench]
fn date_text() -> usize {
    DATES
        .iter()
        .filter(|d| parse_date_text(divan::black_box(d), DateOrder::Ymd, 2026).is_ok())
        .count()
}

#[divan::bench]
fn amount() -> usize {
    AMOUNTS
        .iter()
        .filter(|a| parse_amount(divan::black_box(a)).is_ok())
        .count()
}

#[divan::bench]
fn dedup_key() -> usize {
    NAMES
        .iter()
        .map(|n| company_key(divan::black_box(n)).len())
        .sum()
}

/// Follow-up summaries and feedback as the sample data writes them (every
/// free-text cell is searched for ID numbers, kept or not), one with a
/// phone number and one with an ID number.
const NOTES: &[&str] = &[
    "电话沟通流程自动化需求，约下周详谈",
    "提交方案，讨论实施周期",
    "客户反馈预算有限，2026-03-01 前确认",
    "联系人电话 13800138000，下午回电",
    "开票联系人身份证：11010519491231002X",
    "Sent the proposal; customer asked for a 15% discount on 120 seats",
];

#[divan::bench]
fn id_number_search() -> usize {
    NOTES
        .iter()
        .filter(|n| find_id_number(divan::black_box(n)).is_some())
        .count()
}

#[divan::bench]
fn header_detection(bencher: divan::Bencher) {
    let text = |s: &str| Cell::Text(s.to_string());
    let mut rows: Vec<Vec<Cell>> = vec![
        vec![text("客户信息表"), Cell::Empty, Cell::Empty],
        vec![text("导出时间：2026-10-31"), Cell::Empty, Cell::Empty],
        [
            "客户编号",
            "企业名称*",
            "所属行业",
            "员工数",
            "注册地",
            "客户来源(展会/转介绍/线上咨询)",
            "客户分级",
            "负责销售*",
            "建档日期",
            "跟进状态*",
        ]
        .iter()
        .map(|s| text(s))
        .collect(),
    ];
    for i in 0..30 {
        rows.push(vec![
            text(&format!("KH{i:06}")),
            text("众立邦保险代理有限公司"),
            text("金融"),
            Cell::Number(275.0),
        ]);
    }
    bencher.bench(|| crm_core::ingest::header::detect_header(divan::black_box(&rows), &[]));
}

/// A follow-up CSV of 20,000 rows; every `noted`-th row's note is quoted
/// and holds a line break (0: none does).
fn followup_csv(noted: usize) -> Vec<u8> {
    let mut text = String::from("客户名称,跟进日期,跟进方式,跟进人,沟通内容摘要\n");
    for i in 0..20_000 {
        let note = if noted > 0 && i % noted == 0 {
            "\"第一行\n第二行, 含逗号\""
        } else {
            "电话沟通需求，约下周详谈"
        };
        text.push_str(&format!(
            "客户{i:05},2026-01-{:02},电话,张三,{note}\n",
            i % 28 + 1
        ));
    }
    text.into_bytes()
}

/// Reading a CSV: decoding, the head's cells, and the count pass over the
/// rest, with no quoted line break, with one every 20 rows (where the
/// count pass hands lines to the `csv` reader), and one every 3.
#[divan::bench(args = [0, 20, 3])]
fn csv_read(bencher: divan::Bencher, noted: usize) {
    let bytes = followup_csv(noted);
    let opts = crm_core::ingest::read::ReadOptions::default();
    bencher.bench(|| {
        crm_core::ingest::read::read_delimited_bytes(
            divan::black_box(&bytes),
            &opts,
            false,
            "跟进记录.csv",
            "跟进记录",
        )
        .map(|sheet| sheet.rows.len())
    });
}
