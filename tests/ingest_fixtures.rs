//! Fixtures of the ingest tests (`test_inspect.rs`): one file per kind of
//! spreadsheet a sales team really has, each made by a real writer.
//!
//! - Written here at test time: workbooks by rust_xlsxwriter (merged cells
//!   and a two-row header, a combined customer + follow-up ledger, an export
//!   that needs a config profile), and text files by encoding_rs or as
//!   UTF-8 bytes (a GBK CSV, Excel's "Unicode text" in UTF-16LE, a semicolon
//!   CSV, and Salesforce, HubSpot and Pipedrive exports with their own
//!   headers, stage names and date formats).
//! - Committed under `tests/fixtures/`, because they need LibreOffice to be
//!   made and CI has none: `customers.xls` (BIFF8) and `customers.ods`,
//!   converted by `soffice` from [`write_customer_book_source`], and
//!   `date1904.xlsx` and `date1904.xls`, a workbook in the 1904 date system
//!   made from [`write_date1904_source`]. `scripts/make_fixtures.sh` makes them again.
//!
//! The figures the tests expect are worked out by hand from these rows
//! (as of 2024-06-30); the comments in `test_inspect.rs` show how.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use std::path::{Path, PathBuf};

/// A committed fixture file of `tests/fixtures/`.
pub fn committed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Header of the customer book (row 2, under a merged title row).
pub const BOOK_HEADER: [&str; 10] = [
    "企业名称",
    "所属行业",
    "客户来源",
    "客户分级",
    "负责销售",
    "首次接触时间",
    "跟进状态",
    "成交金额",
    "签约日期",
    "联系电话",
];

/// Rows of the customer book: dates (columns 5 and 8) are written as real
/// date cells, the amount (column 7) as a number.
pub const BOOK_ROWS: [[&str; 10]; 4] = [
    [
        "甲科技有限公司",
        "软件",
        "展会",
        "A",
        "王磊",
        "2024-01-10",
        "成交",
        "100000",
        "2024-03-10",
        "0571-88886666",
    ],
    [
        "乙制造有限公司",
        "制造业",
        "转介绍",
        "B",
        "李娜",
        "2024-02-01",
        "商务谈判",
        "",
        "",
        "021-66668888",
    ],
    [
        "丙贸易有限公司",
        "零售",
        "线上咨询",
        "C",
        "王磊",
        "2024-03-15",
        "丢单",
        "",
        "",
        "",
    ],
    [
        "丁物流有限公司",
        "物流",
        "陌拜",
        "B",
        "张伟",
        "2024-04-01",
        "成交",
        "250000",
        "2024-05-20",
        "",
    ],
];

/// Parses a fixture date.
fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("fixture date")
}

/// The Excel serial of a date (and time of day) in the 1900 or 1904 system.
fn serial(s: &str, date1904: bool) -> f64 {
    let (date, time) = match s.split_once(' ') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let epoch = if date1904 {
        day("1904-01-01")
    } else {
        day("1899-12-30")
    };
    let days = (day(date) - epoch).num_days() as f64;
    let fraction = time.map_or(0.0, |t| {
        let (h, m) = t.split_once(':').expect("HH:MM");
        (h.parse::<f64>().unwrap() * 60.0 + m.parse::<f64>().unwrap()) / 1440.0
    });
    days + fraction
}

/// Writes the source of `customers.xls` and `customers.ods`: a merged title
/// row, the header on row 2, real date and number cells, a 合计 row.
pub fn write_customer_book_source(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户信息").unwrap();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, 9, "2024年客户信息登记表", &title)
        .unwrap();
    for (c, h) in BOOK_HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, row) in BOOK_ROWS.iter().enumerate() {
        let r = i as u32 + 2;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match (c, v.is_empty()) {
                (_, true) => {}
                (5 | 8, false) => {
                    ws.write_number_with_format(r, c, serial(v, false), &date)
                        .unwrap();
                }
                (7, false) => {
                    ws.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
                }
                _ => {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
    }
    ws.write_string(6, 0, "合计").unwrap();
    ws.write_number(6, 7, 350_000.0).unwrap();
    wb.save(path).unwrap();
}

/// Header of the 1904 workbook.
pub const DATE1904_HEADER: [&str; 6] = [
    "企业名称",
    "首次接触时间",
    "跟进状态",
    "成交金额",
    "签约日期",
    "建档日期",
];

/// Rows of the 1904 workbook; columns 1, 4 and 5 are date cells.
pub const DATE1904_ROWS: [[&str; 6]; 2] = [
    [
        "戊医疗有限公司",
        "2024-01-10",
        "成交",
        "80000",
        "2024-03-10",
        "2023-12-25 14:30",
    ],
    [
        "己教育有限公司",
        "2024-02-29",
        "方案沟通",
        "",
        "",
        "2024-02-28 09:00",
    ],
];

/// Writes the source of `date1904.xlsx`: date cells holding serials of the
/// 1904 system (a 1904 workbook stores 1462 days less than a 1900 one).
/// rust_xlsxwriter cannot mark a workbook as 1904, so the script sets
/// `<workbookPr date1904="1"/>` and LibreOffice saves it again.
pub fn write_date1904_source(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户").unwrap();
    for (c, h) in DATE1904_HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (i, row) in DATE1904_ROWS.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match (c, v.is_empty()) {
                (_, true) => {}
                (1 | 4, false) => {
                    ws.write_number_with_format(r, c, serial(v, true), &date)
                        .unwrap();
                }
                (5, false) => {
                    ws.write_number_with_format(r, c, serial(v, true), &stamp)
                        .unwrap();
                }
                (3, false) => {
                    ws.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
                }
                _ => {
                    ws.write_string(r, c, *v).unwrap();
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// Rows of the two-row-header sheet: company, industry, contact, title,
/// phone; the owner column is merged down over two rows at a time.
pub const TWO_ROW_ROWS: [[&str; 5]; 4] = [
    ["庚能源有限公司", "能源", "陈*", "采购经理", "0571-87654321"],
    ["辛咨询有限公司", "咨询", "刘*", "总经理", "010-12345678"],
    [
        "壬医药有限公司",
        "医药",
        "周*",
        "信息部主任",
        "020-22223333",
    ],
    ["癸食品有限公司", "食品", "吴*", "行政主管", "0755-88889999"],
];

/// Writes a customer sheet with a two-row header: the group row
/// 客户基本信息 (merged over A1:B1) and 联系人信息 (C1:E1) above
/// 企业名称 / 行业 / 姓名 / 职务 / 电话, and 负责销售 merged down over
/// F1:F2; in the data, the owner cells are merged down in pairs (F3:F4
/// 王磊, F5:F6 李娜), as a hand-kept sheet does.
pub fn write_two_row_header(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户联系人").unwrap();
    let center = Format::new().set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, 1, "客户基本信息", &center).unwrap();
    ws.merge_range(0, 2, 0, 4, "联系人信息", &center).unwrap();
    ws.merge_range(0, 5, 1, 5, "负责销售", &center).unwrap();
    for (c, h) in ["企业名称", "行业", "姓名", "职务", "电话"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, row) in TWO_ROW_ROWS.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(i as u32 + 2, c as u16, *v).unwrap();
        }
    }
    ws.merge_range(2, 5, 3, 5, "王磊", &center).unwrap();
    ws.merge_range(4, 5, 5, 5, "李娜", &center).unwrap();
    wb.save(path).unwrap();
}

/// One customer block of the combined ledger: company, industry, source,
/// grade, owner, then its follow-ups (date, method, summary, stage).
pub type LedgerBlock = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [[&'static str; 4]],
);

/// The customer blocks of the combined ledger.
pub const LEDGER: [LedgerBlock; 3] = [
    (
        "子午软件有限公司",
        "软件",
        "展会",
        "A",
        "王磊",
        &[
            ["2024-05-06", "电话", "初次沟通", "线索"],
            ["2024-05-20", "拜访", "需求调研", "需求分析"],
            ["2024-06-18", "会议", "方案演示", "方案沟通"],
        ],
    ),
    (
        "丑寅物流有限公司",
        "物流",
        "转介绍",
        "B",
        "李娜",
        &[
            ["2024-04-02", "电话", "了解需求", "需求分析"],
            ["2024-06-25", "微信", "价格谈判", "商务谈判"],
        ],
    ),
    (
        "卯辰教育有限公司",
        "教育",
        "陌拜",
        "C",
        "张伟",
        &[["2024-06-01", "邮件", "发送资料", "线索"]],
    ),
];

/// Writes the combined legacy ledger: each customer's cells (A–E) merged
/// down over its follow-up rows, follow-up columns (F–I) one per row.
pub fn write_ledger(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户跟进台账").unwrap();
    let header = [
        "企业名称",
        "所属行业",
        "客户来源",
        "客户分级",
        "负责销售",
        "跟进日期",
        "跟进方式",
        "沟通内容摘要",
        "跟进状态",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let top = Format::new().set_align(FormatAlign::Top);
    let mut r = 1u32;
    for (name, industry, source, grade, owner, followups) in LEDGER {
        let last = r + followups.len() as u32 - 1;
        for (c, v) in [name, industry, source, grade, owner].iter().enumerate() {
            if last > r {
                ws.merge_range(r, c as u16, last, c as u16, v, &top)
                    .unwrap();
            } else {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
        for (i, f) in followups.iter().enumerate() {
            for (c, v) in f.iter().enumerate() {
                ws.write_string(r + i as u32, 5 + c as u16, *v).unwrap();
            }
        }
        r = last + 1;
    }
    wb.save(path).unwrap();
}

/// The GBK customer list: a title line above the header, as a sheet saved
/// by Chinese Excel as "CSV (逗号分隔)".
pub const GBK_CSV: &str = "华东区客户名单,,,,\r\n企业名称,所属行业,客户来源,负责销售,联系电话\r\n\"杭州西湖软件有限公司\",软件,展会,王磊,0571-85550001\r\n宁波港口物流有限公司,物流,转介绍,李娜,0574-87770002\r\n温州鞋业制造有限公司,制造业,\"线上咨询\",张伟,0577-86660003\r\n";

/// Writes [`GBK_CSV`] encoded in GBK.
pub fn write_gbk_csv(path: &Path) {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(GBK_CSV);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

/// Excel's "Unicode text" (文本文件(制表符分隔) in Unicode): tab-separated,
/// dates as displayed.
pub const UTF16_TEXT: &str = "企业名称\t所属行业\t客户分级\t预算范围\t首次接触时间\r\n北京朝阳科技有限公司\t互联网\tA类\t30-50万元\t2024/3/5\r\n上海浦东金融服务有限公司\t金融\tB\t10万\t2024/4/18\r\n";

/// Writes [`UTF16_TEXT`] as UTF-16LE with a byte-order mark.
pub fn write_utf16_text(path: &Path) {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in UTF16_TEXT.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

/// A CSV as Excel writes it where the list separator is `;` (most of
/// Europe), saved as "CSV UTF-8" (with a BOM); day-first dates.
pub const SEMICOLON_CSV: &str = "\u{feff}Company Name;Industry;Lead Source;Owner;Created Date\r\nMüller Maschinenbau GmbH;Manufacturing;Trade Show;Anna Schmidt;15.03.2024\r\nDupont Logistique SARL;Logistics;Referral;Luc Martin;02.04.2024\r\nRossi Design S.r.l.;Design;Web;Giulia Rossi;28.05.2024\r\n";

/// A Salesforce opportunities report exported as CSV (details only): US
/// month-first dates, raw amounts, probabilities in percent.
pub const SALESFORCE_CSV: &str = "\"Opportunity Name\",\"Account Name\",\"Stage\",\"Amount\",\"Probability (%)\",\"Close Date\",\"Created Date\",\"Lead Source\",\"Opportunity Owner\",\"Type\",\"Next Step\"
\"Acme - 200 licenses\",\"Acme Corporation\",\"Closed Won\",\"120000\",\"100\",\"3/15/2024\",\"1/20/2024\",\"Trade Show\",\"Jane Cooper\",\"New Customer\",\"\"
\"Globex renewal\",\"Globex Inc.\",\"Negotiation/Review\",\"80000\",\"90\",\"7/30/2024\",\"2/14/2024\",\"Partner Referral\",\"Jane Cooper\",\"Existing Customer - Upgrade\",\"Send contract\"
\"Initech CRM\",\"Initech LLC\",\"Proposal/Price Quote\",\"45000.50\",\"75\",\"8/15/2024\",\"4/2/2024\",\"Web\",\"Bob Lee\",\"New Customer\",\"Demo on 6/20\"
\"Umbrella pilot\",\"Umbrella Corp.\",\"Closed Lost\",\"30000\",\"0\",\"5/31/2024\",\"3/1/2024\",\"Cold Call\",\"Bob Lee\",\"New Customer\",\"\"
\"Hooli expansion\",\"Hooli\",\"Prospecting\",\"\",\"10\",\"9/30/2024\",\"6/3/2024\",\"Employee Referral\",\"Jane Cooper\",\"Existing Customer - Upgrade\",\"Intro call\"
\"Stark Industries - platform\",\"Stark Industries\",\"Closed Won\",\"250000\",\"100\",\"6/28/2024\",\"2/1/2024\",\"Trade Show\",\"Bob Lee\",\"New Customer\",\"\"
";

/// A HubSpot deals export (CSV): sentence-case stage labels of the default
/// "Sales Pipeline", ISO date-times.
pub const HUBSPOT_CSV: &str = "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Associated Company,Pipeline
1001,Northwind - Q2 rollout,Closed won,56000,2024-04-30 17:00,2024-02-01 09:15,Alex Kim,Northwind Traders,Sales Pipeline
1002,Contoso upsell,Contract sent,32000,2024-07-15 12:00,2024-03-10 11:00,Alex Kim,Contoso Ltd,Sales Pipeline
1003,Fabrikam new logo,Presentation scheduled,18000,2024-08-01 12:00,2024-05-05 14:30,Maria Garcia,\"Fabrikam, Inc.\",Sales Pipeline
1004,Tailspin renewal,Closed lost,12000,2024-05-20 12:00,2024-01-15 10:00,Maria Garcia,Tailspin Toys,Sales Pipeline
1005,Wingtip intro,Appointment scheduled,,2024-09-30 12:00,2024-06-20 08:00,Alex Kim,Wingtip Toys,Sales Pipeline
";

/// A Pipedrive deals export (CSV): every header prefixed `Deal - `, a
/// won/lost/open status beside the stage (a won deal keeps the stage it was
/// in), time stamps, a lost reason.
pub const PIPEDRIVE_CSV: &str = "\"Deal - Title\",\"Deal - Organization\",\"Deal - Contact person\",\"Deal - Value\",\"Deal - Currency\",\"Deal - Stage\",\"Deal - Status\",\"Deal - Owner\",\"Deal - Deal created\",\"Deal - Won time\",\"Deal - Expected close date\",\"Deal - Lost reason\"
\"Globex deal\",\"Globex Corporation\",\"Hank Scorpio\",\"15000\",\"USD\",\"Negotiations Started\",\"won\",\"Sam Park\",\"2024-01-05 10:00:00\",\"2024-03-01 16:20:00\",\"2024-02-28\",\"\"
\"Soylent deal\",\"Soylent Corp\",\"\",\"22000\",\"USD\",\"Proposal Made\",\"lost\",\"Sam Park\",\"2024-02-10 09:00:00\",\"\",\"2024-04-15\",\"Price too high\"
\"Vandelay deal\",\"Vandelay Industries\",\"Art Vandelay\",\"8000\",\"USD\",\"Contact Made\",\"open\",\"Ana Ruiz\",\"2024-05-01 09:30:00\",\"\",\"2024-08-31\",\"\"
\"Kramerica deal\",\"Kramerica\",\"\",\"5000\",\"USD\",\"Qualified\",\"open\",\"Ana Ruiz\",\"2024-06-01 13:00:00\",\"\",\"2024-07-31\",\"\"
";

/// Writes a text fixture as UTF-8 bytes.
pub fn write_text(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// File name of the export read through a config profile.
pub const PROFILE_EXPORT: &str = "2024商机导出-华东.xlsx";

/// Header of the export's 商机 sheet (row 3): no cell is a known column
/// name, so no header is detected without a profile.
pub const EXPORT_HEADER: [&str; 7] = [
    "单号",
    "签约客户",
    "签单金额",
    "跟单员",
    "进展",
    "下单日期",
    "签单日期",
];

/// Rows of the export's 商机 sheet.
pub const EXPORT_ROWS: [[&str; 7]; 4] = [
    [
        "SO-001",
        "子午软件有限公司",
        "12万",
        "王磊",
        "成交",
        "2024-03-01",
        "2024-04-15",
    ],
    [
        "SO-002",
        "丑寅物流有限公司",
        "8万",
        "李娜",
        "商务谈判",
        "2024-04-10",
        "",
    ],
    [
        "SO-003",
        "卯辰教育有限公司",
        "5万",
        "张伟",
        "丢单",
        "2024-02-01",
        "",
    ],
    [
        "SO-004",
        "辰巳医疗有限公司",
        "20万",
        "王磊",
        "成交",
        "2024-05-06",
        "2024-06-20",
    ],
];

/// The profile that reads [`PROFILE_EXPORT`]: only its 商机 sheet, as
/// opportunities, header on row 3, each column named.
pub const EXPORT_PROFILE: &str = r#"
[[profile]]
match = "*商机导出*.xlsx"
sheet = "商机"
kind = "opportunities"
header_row = 3

[profile.columns]
"单号" = "opportunity_id"
"签约客户" = "customer_name"
"签单金额" = "deal_amount"
"跟单员" = "owner"
"进展" = "stage"
"下单日期" = "created_date"
"签单日期" = "signed_date"
"#;

/// Writes the CRM export of the profile test: a 说明 sheet first, whose
/// legend row names two known columns (so it would be read as a customer
/// table), then the 商机 sheet with two title rows above its header.
pub fn write_profile_export(path: &Path) {
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("说明").unwrap();
    notes.write_string(0, 0, "字段说明").unwrap();
    notes.write_string(1, 0, "企业名称").unwrap();
    notes.write_string(1, 1, "负责销售").unwrap();
    notes.write_string(2, 0, "签约客户即企业名称").unwrap();
    notes.write_string(2, 1, "跟单员即负责销售").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("商机").unwrap();
    ws.write_string(0, 0, "华东区商机导出").unwrap();
    ws.write_string(1, 0, "导出时间：2024-07-01").unwrap();
    for (c, h) in EXPORT_HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    for (i, row) in EXPORT_ROWS.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(i as u32 + 3, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// Every ingest fixture with the table kind it must be read as, by file
/// name (the committed ones are copied in by [`write_all`]).
pub const ALL: [(&str, &str); 13] = [
    ("customers.xls", "customers"),
    ("customers.ods", "customers"),
    ("date1904.xlsx", "customers"),
    ("date1904.xls", "customers"),
    ("客户联系人-两行表头.xlsx", "customers"),
    ("老客户台账.xlsx", "combined"),
    ("客户名单-gbk.csv", "customers"),
    ("客户-Unicode文本.txt", "customers"),
    ("customers-semicolon.csv", "customers"),
    ("salesforce-opportunities.csv", "opportunities"),
    ("hubspot-deals.csv", "opportunities"),
    ("pipedrive-deals.csv", "opportunities"),
    ("2024商机导出-华东.xlsx", "opportunities"),
];

/// The committed fixtures (made by `scripts/make_fixtures.sh`).
pub const COMMITTED: [&str; 4] = [
    "customers.xls",
    "customers.ods",
    "date1904.xlsx",
    "date1904.xls",
];

/// Writes (or copies) every fixture of [`ALL`] into `dir`.
pub fn write_all(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for name in COMMITTED {
        std::fs::copy(committed(name), dir.join(name)).unwrap();
    }
    write_two_row_header(&dir.join("客户联系人-两行表头.xlsx"));
    write_ledger(&dir.join("老客户台账.xlsx"));
    write_gbk_csv(&dir.join("客户名单-gbk.csv"));
    write_utf16_text(&dir.join("客户-Unicode文本.txt"));
    write_text(&dir.join("customers-semicolon.csv"), SEMICOLON_CSV);
    write_text(&dir.join("salesforce-opportunities.csv"), SALESFORCE_CSV);
    write_text(&dir.join("hubspot-deals.csv"), HUBSPOT_CSV);
    write_text(&dir.join("pipedrive-deals.csv"), PIPEDRIVE_CSV);
    write_profile_export(&dir.join(PROFILE_EXPORT));
}
