//! Fixtures of the forward view (metrics.md §10), as-of 2024-05-15 unless a
//! test says otherwise: an opportunities workbook (open deals with and
//! without a row probability, won deals with collected amounts), a targets
//! workbook with a roster sheet, and follow-up logs as UTF-8 CSV. The
//! expected figures in `test_forward.rs` are worked out by hand from these
//! rows; the comments there show the arithmetic.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;

/// Header of the opportunities sheet.
pub const OPPORTUNITY_HEADER: [&str; 11] = [
    "商机编号",
    "企业名称",
    "负责销售",
    "跟进状态",
    "成交金额",
    "签约日期",
    "预计成交日期",
    "赢率",
    "回款金额",
    "回款日期",
    "首次接触时间",
];

/// Opportunity rows: id, customer, owner, stage, amount, signed date,
/// expected close date, probability, collected, collection date, first contact.
pub const OPPORTUNITIES: &[[&str; 11]] = &[
    [
        "O1",
        "甲公司",
        "王磊",
        "线索",
        "100000",
        "",
        "2024-05-20",
        "",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O2",
        "乙公司",
        "王磊",
        "需求分析",
        "200000",
        "",
        "2024-06-10",
        "50%",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O3",
        "丙公司",
        "李娜",
        "方案沟通",
        "300000",
        "",
        "2024-05-03",
        "",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O4",
        "丁公司",
        "李娜",
        "商务谈判",
        "400000",
        "",
        "2024-04-20",
        "",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O5",
        "戊公司",
        "张伟",
        "商务谈判",
        "",
        "",
        "2024-07-31",
        "0.9",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O6",
        "己公司",
        "王磊",
        "成交",
        "500000",
        "2024-04-10",
        "",
        "",
        "300000",
        "2024-05-01",
        "2024-01-05",
    ],
    [
        "O7",
        "庚公司",
        "李娜",
        "成交",
        "200000",
        "2024-05-10",
        "",
        "",
        "20万",
        "",
        "2024-01-05",
    ],
    [
        "O8",
        "辛公司",
        "王磊",
        "成交",
        "100000",
        "2024-02-01",
        "",
        "",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O9",
        "壬公司",
        "张伟",
        "丢单",
        "50000",
        "",
        "",
        "",
        "",
        "",
        "2024-01-05",
    ],
    [
        "O10",
        "癸公司",
        "张伟",
        "成交",
        "80000",
        "2024-06-01",
        "",
        "",
        "80000",
        "",
        "2024-01-05",
    ],
    [
        "O11",
        "甲公司",
        "张伟",
        "成交",
        "60000",
        "2024-05-12",
        "",
        "",
        "60000",
        "2024-05-20",
        "2024-01-05",
    ],
];

/// Writes the opportunities workbook; amounts of plain digits are number cells.
pub fn write_opportunities(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("商机").unwrap();
    for (c, h) in OPPORTUNITY_HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, row) in OPPORTUNITIES.iter().enumerate() {
        let r = (i + 1) as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let numeric = (c == 4 || c == 8) && v.chars().all(|ch| ch.is_ascii_digit());
            if numeric {
                ws.write_number(r, c as u16, v.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// Target rows: owner, team, period, amount.
pub const TARGETS: &[[&str; 4]] = &[
    ["王磊", "", "2024-Q2", "1000000"],
    ["王磊", "", "2024年5月", "300000"],
    ["李娜", "", "2024年第二季度", "400000"],
    ["", "华东一组", "2024年度", "2000000"],
    ["张伟", "华东二组", "2024 Q2", "100000"],
    ["王磊", "", "2024-Q1", "800000"],
    ["李娜", "", "上半年", "500000"],
    ["张伟", "", "2024-04", "50000"],
];

/// Roster rows: owner, team.
pub const ROSTER: &[[&str; 2]] = &[
    ["王磊", "华东一组"],
    ["李娜", "华东一组"],
    ["张伟", "华东二组"],
];

/// Writes a targets workbook with a 目标 sheet and a 花名册 (roster) sheet.
pub fn write_targets(path: &Path, targets: &[[&str; 4]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("目标").unwrap();
    for (c, h) in ["负责销售", "销售团队", "目标期间", "目标金额"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, row) in targets.iter().enumerate() {
        let r = (i + 1) as u32;
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            if c == 3 {
                ws.write_number(r, 3, v.parse::<f64>().unwrap()).unwrap();
            } else if c == 2 && v.starts_with("date:") {
                // A month typed into Excel becomes a real date cell (the 1st).
                let dt = ExcelDateTime::parse_from_str(&v["date:".len()..]).unwrap();
                let month = Format::new().set_num_format("yyyy-mm");
                ws.write_datetime_with_format(r, 2, &dt, &month).unwrap();
            } else {
                ws.write_string(r, c as u16, *v).unwrap();
            }
        }
    }
    let roster = wb.add_worksheet();
    roster.set_name("花名册").unwrap();
    roster.write_string(0, 0, "负责销售").unwrap();
    roster.write_string(0, 1, "销售团队").unwrap();
    for (i, [owner, team]) in ROSTER.iter().enumerate() {
        roster.write_string((i + 1) as u32, 0, *owner).unwrap();
        roster.write_string((i + 1) as u32, 1, *team).unwrap();
    }
    wb.save(path).unwrap();
}

/// Follow-up rows with to-dos: customer, date, method, owner, next action, due date.
pub const TODO_FOLLOWUPS: &[[&str; 6]] = &[
    [
        "甲公司",
        "2024-05-01",
        "电话",
        "王磊",
        "发送报价",
        "2024-05-08",
    ],
    ["甲公司", "2024-05-10", "拜访", "王磊", "", ""],
    [
        "乙公司",
        "2024-05-02",
        "邮件",
        "王磊",
        "安排演示",
        "2024-05-09",
    ],
    ["乙公司", "2024-05-02", "电话", "王磊", "", ""],
    [
        "丙公司",
        "2024-05-05",
        "微信",
        "李娜",
        "确认合同条款",
        "2024-05-20",
    ],
    ["丁公司", "2024-04-01", "电话", "李娜", "回访", "2024-04-10"],
    ["丁公司", "2024-05-20", "电话", "李娜", "", ""],
];

/// Writes follow-up rows as a UTF-8 CSV with the given header.
pub fn write_csv(path: &Path, header: &[&str], rows: &[&[&str]]) {
    let mut text = header.join(",");
    text.push('\n');
    for row in rows {
        text.push_str(&row.join(","));
        text.push('\n');
    }
    std::fs::write(path, text).unwrap();
}

/// Header of the to-do follow-up log.
pub const TODO_HEADER: [&str; 6] = [
    "企业名称",
    "跟进日期",
    "跟进方式",
    "跟进人",
    "下一步行动",
    "完成时限",
];

/// Writes the whole as-of 2024-05-15 fixture into `dir`.
pub fn write_forward(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    write_opportunities(&dir.join("商机.xlsx"));
    write_targets(&dir.join("销售目标.xlsx"), TARGETS);
    let rows: Vec<&[&str]> = TODO_FOLLOWUPS.iter().map(|r| r.as_slice()).collect();
    write_csv(&dir.join("跟进记录.csv"), &TODO_HEADER, &rows);
}

/// Customers of the year-end fixture: name, owner.
pub const YEAR_END_CUSTOMERS: &[[&str; 2]] = &[["甲公司", "赵敏"], ["乙公司", "王磊"]];

/// Follow-ups around the 2024/2025 year end: customer, date, method, owner.
pub const YEAR_END_FOLLOWUPS: &[[&str; 4]] = &[
    ["乙公司", "2024-12-30", "电话", "王磊"],
    ["乙公司", "2025-01-02", "电话", "王磊"],
    ["乙公司", "2024-12-29", "电话", "王磊"],
    ["乙公司", "2024-12-29", "拜访", "李娜"],
    ["乙公司", "2024-12-23", "", "李娜"],
    ["乙公司", "2024-11-11", "邮件", "张伟"],
    ["乙公司", "2024-11-10", "邮件", "张伟"],
    ["乙公司", "2025-01-03", "电话", "王磊"],
    ["甲公司", "2024-12-31", "微信", ""],
    ["丙公司", "2025-01-01", "会议", ""],
];

/// Writes the year-end fixture (customers + follow-ups CSVs) into `dir`.
pub fn write_year_end(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let customers: Vec<&[&str]> = YEAR_END_CUSTOMERS.iter().map(|r| r.as_slice()).collect();
    write_csv(&dir.join("客户.csv"), &["企业名称", "负责销售"], &customers);
    let followups: Vec<&[&str]> = YEAR_END_FOLLOWUPS.iter().map(|r| r.as_slice()).collect();
    write_csv(
        &dir.join("跟进.csv"),
        &["企业名称", "跟进日期", "跟进方式", "跟进人"],
        &followups,
    );
}
