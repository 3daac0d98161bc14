//! Fixture files made by real writers: a customer workbook (rust_xlsxwriter,
//! title row above the header, a duplicate in a variant spelling, a total
//! row) and a GBK follow-up log (encoding_rs). The expected figures in the
//! tests are computed by hand from these rows; the comments there show how.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// Customer rows: name, industry, source, grade, owner, first contact,
/// stage, lost-at stage, amount, signed date, core needs.
pub const CUSTOMERS: &[[&str; 11]] = &[
    [
        "甲科技有限公司",
        "软件",
        "展会",
        "A",
        "王磊",
        "2024-01-10",
        "成交",
        "",
        "100000",
        "2024-03-10",
        "CRM系统、数据分析",
    ],
    [
        "乙制造有限公司",
        "制造业",
        "转介绍",
        "B",
        "王磊",
        "2024-02-01",
        "已签约",
        "",
        "30万",
        "2024/2/21",
        "数据分析",
    ],
    [
        "丙贸易有限公司",
        "零售",
        "展会",
        "C",
        "李娜",
        "2024-03-01",
        "商务谈判",
        "",
        "",
        "",
        "CRM系统",
    ],
    [
        "丁物流有限公司",
        "物流",
        "线上咨询",
        "B类",
        "李娜",
        "2024-03-15",
        "方案沟通",
        "",
        "",
        "",
        "移动办公，CRM系统",
    ],
    [
        "戊医疗有限公司",
        "医疗",
        "展会",
        "A",
        "王磊",
        "2024-04-01",
        "丢单",
        "方案沟通",
        "",
        "",
        "数据分析",
    ],
    [
        "己教育有限公司",
        "教育",
        "陌拜",
        "C",
        "李娜",
        "2024-04-10",
        "线索",
        "",
        "",
        "",
        "",
    ],
    [
        "庚能源有限公司",
        "能源",
        "展会",
        "B",
        "张伟",
        "2024-05-01",
        "需求分析",
        "",
        "",
        "",
        "移动办公",
    ],
    [
        "甲科技（杭州）有限公司",
        "",
        "",
        "",
        "王磊",
        "",
        "成交",
        "",
        "",
        "",
        "报表",
    ],
    [
        "辛咨询有限公司",
        "咨询",
        "其他",
        "A",
        "张伟",
        "2024-05-20",
        "成交",
        "",
        "50000",
        "2024-06-10",
        "CRM系统",
    ],
    ["", "软件", "展会", "", "", "", "", "", "", "", ""],
];

/// Column headers of the customer sheet (standard Chinese form, with a `*`).
pub const CUSTOMER_HEADER: [&str; 11] = [
    "企业名称*",
    "所属行业",
    "客户来源",
    "客户分级",
    "负责销售",
    "首次接触时间",
    "跟进状态",
    "流失前阶段",
    "成交金额",
    "签约日期",
    "核心需求",
];

/// Writes the customer workbook: a merged title row, the header on row 2,
/// real date cells for the first-contact dates, a 合计 row at the end.
pub fn write_customers(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户信息").unwrap();
    let title = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 10, "2024年客户信息登记表", &title)
        .unwrap();
    for (c, h) in CUSTOMER_HEADER.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (i, row) in CUSTOMERS.iter().enumerate() {
        let r = (i + 2) as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            if c == 5 {
                let dt = ExcelDateTime::parse_from_str(v).unwrap();
                ws.write_datetime_with_format(r, c as u16, &dt, &date_format)
                    .unwrap();
            } else if c == 8 && v.chars().all(|ch| ch.is_ascii_digit()) {
                ws.write_number(r, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    let total_row = (CUSTOMERS.len() + 2) as u32;
    ws.write_string(total_row, 0, "合计").unwrap();
    ws.write_number(total_row, 8, 150000.0).unwrap();
    wb.save(path).unwrap();
}

/// Follow-up rows: company, date, method, owner, stage after the contact.
pub const FOLLOWUPS: &[[&str; 5]] = &[
    ["甲科技有限公司", "2024-06-28", "电话", "王磊", ""],
    ["乙制造有限公司", "2024-03-01", "拜访", "王磊", ""],
    ["丙贸易有限公司", "2024-06-25", "电话", "李娜", ""],
    ["丁物流有限公司", "2024-06-10", "微信", "李娜", ""],
    [
        "戊医疗有限公司",
        "2024-05-01",
        "上门拜访",
        "王磊",
        "商务谈判",
    ],
    ["庚能源有限公司", "2024-06-16", "电话", "张伟", ""],
    ["辛咨询有限公司", "2024-06-20", "邮件", "张伟", ""],
    ["甲科技(杭州)有限公司", "2024-06-29", "微信", "王磊", ""],
    ["壬不存在有限公司", "2024-06-01", "电话", "张伟", ""],
];

/// Writes the follow-up log as a GBK-encoded CSV, as Chinese Excel saves it.
pub fn write_followups_gbk(path: &Path) {
    let mut text = String::from("企业名称,跟进日期,跟进方式,跟进人,跟进状态\r\n");
    for row in FOLLOWUPS {
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}
