//! Title, message and suggested fix of every finding code (schema.md §4), in
//! both languages. The match has no catch-all arm: a new code does not
//! compile until it has its texts.

use super::{CodeText, Lang};
use crm_core::findings::Code;

/// (中文, English) pairs of title, message, fix.
type Texts = [(&'static str, &'static str); 3];

/// The title, message and fix of `code` in `lang`.
pub fn code_text(lang: Lang, code: Code) -> CodeText {
    let [title, message, fix] = texts(code);
    CodeText {
        title: lang.pick(title.0, title.1),
        message: lang.pick(message.0, message.1),
        fix: lang.pick(fix.0, fix.1),
    }
}

fn texts(code: Code) -> Texts {
    match code {
        Code::MissingCustomerName => [
            ("缺少客户名称", "Missing customer name"),
            (
                "该行既没有客户名称也没有客户编号，未计入指标。",
                "The row has neither a customer name nor an id and is left out of the metrics.",
            ),
            (
                "补上客户全称或客户编号",
                "Fill in the customer's full name or id",
            ),
        ],
        Code::UnparseableDate => [
            ("日期无法识别", "Unreadable date"),
            (
                "无法识别该日期，已按空值处理。",
                "The date could not be read and is treated as empty.",
            ),
            ("改为 YYYY-MM-DD 格式", "Write it as YYYY-MM-DD"),
        ],
        Code::FutureDate => [
            ("日期晚于基准日", "Date after the as-of date"),
            (
                "该日期晚于基准日，相关记录暂不计入。",
                "The date is after the as-of date; the record does not count yet.",
            ),
            ("核对年份或月份是否写错", "Check the year and month"),
        ],
        Code::AmbiguousDateColumn => [
            ("日月顺序不明", "Ambiguous day/month order"),
            (
                "该列日期无法判断是“日/月”还是“月/日”。",
                "The column's dates could be day/month or month/day.",
            ),
            (
                "整列改为 YYYY-MM-DD 格式",
                "Write the whole column as YYYY-MM-DD",
            ),
        ],
        Code::UnparseableAmount => [
            ("金额无法识别", "Unreadable amount"),
            (
                "无法识别该金额，已按空值处理。",
                "The amount could not be read and is treated as empty.",
            ),
            (
                "填写一个数字，如 120000 或 12万",
                "Write one number, e.g. 120000 or 12万",
            ),
        ],
        Code::NegativeAmount => [
            ("金额为负数", "Negative amount"),
            (
                "负数金额不计入任何合计。",
                "Negative amounts are left out of every sum.",
            ),
            (
                "退款或冲销请单独记录",
                "Record refunds and reversals separately",
            ),
        ],
        Code::BudgetMinGtMax => [
            ("预算区间颠倒", "Budget range reversed"),
            (
                "预算区间的下限高于上限。",
                "The low end of the budget range is above its high end.",
            ),
            ("按“下限-上限”填写", "Write the range as low-high"),
        ],
        Code::InvalidPhone => [
            ("电话号码无效", "Invalid phone number"),
            (
                "该值不是有效的电话号码。",
                "The value is not a phone number.",
            ),
            (
                "填写区号-号码，如 0571-88886666",
                "Write area code and number, e.g. 0571-88886666",
            ),
        ],
        Code::PersonalPhone => [
            ("个人手机号", "Personal mobile number"),
            (
                "电话字段中填写了个人手机号。",
                "A personal mobile number is in a phone field.",
            ),
            (
                "改填公司座机，手机号另行保管",
                "Use the company landline; keep mobiles elsewhere",
            ),
        ],
        Code::InvalidEmail => [
            ("邮箱无效", "Invalid e-mail"),
            (
                "该值不是有效的邮箱地址。",
                "The value is not an e-mail address.",
            ),
            (
                "填写完整邮箱，如 name@company.com",
                "Write a full address, e.g. name@company.com",
            ),
        ],
        Code::PersonalEmail => [
            ("个人邮箱", "Personal e-mail"),
            (
                "这是个人邮箱（如 qq.com、163.com）。",
                "The address is at a personal mail provider (qq.com, gmail.com…).",
            ),
            ("改填企业邮箱", "Use the company e-mail address"),
        ],
        Code::UnmaskedContactName => [
            ("联系人全名未脱敏", "Unmasked contact name"),
            (
                "联系人写了完整姓名。",
                "The contact's full name is written out.",
            ),
            (
                "改为“姓+职务”，如 王经理",
                "Write surname and title, e.g. Mr. Wang",
            ),
        ],
        Code::UnknownIndustry => [
            ("行业无法识别", "Unknown industry"),
            (
                "行业无法对应国标 GB/T 4754 分类。",
                "The industry maps to no GB/T 4754 entry.",
            ),
            (
                "使用国标行业名称，如 制造业",
                "Use a GB/T 4754 name, e.g. Manufacturing",
            ),
        ],
        Code::NonstandardStage => [
            ("阶段不规范", "Non-standard stage"),
            (
                "阶段无法对应标准销售阶段，未计入漏斗。",
                "The stage maps to no canonical stage; left out of the funnel.",
            ),
            (
                "改为 线索/需求分析/方案沟通/商务谈判/成交/流失",
                "Use Lead / Needs analysis / Proposal / Negotiation / Won / Lost",
            ),
        ],
        Code::UnknownGrade => [
            ("等级无法识别", "Unknown grade"),
            (
                "客户等级不是 A/B/C。",
                "The customer grade is not A, B or C.",
            ),
            ("填写 A、B 或 C", "Write A, B or C"),
        ],
        Code::UnknownSource => [
            ("来源不在标准列表", "Source not in the list"),
            (
                "来源不在标准列表中，已归为“其他”。",
                "The source is not in the canonical list and counts as Other.",
            ),
            (
                "使用标准来源，如 展会、官网、转介绍",
                "Use a standard source, e.g. Trade show, Website, Referral",
            ),
        ],
        Code::InvalidSatisfaction => [
            ("满意度无效", "Invalid satisfaction score"),
            (
                "满意度评分不在 1–5 之间或无法识别。",
                "The score is outside 1–5 or unreadable.",
            ),
            ("填写 1 到 5 的整数", "Write a whole number from 1 to 5"),
        ],
        Code::DuplicateCustomer => [
            ("重复客户已合并", "Duplicate customer merged"),
            (
                "该行与前面的同一客户合并。",
                "The row was merged into the same customer above.",
            ),
            (
                "删除重复行，或保留一行完整信息",
                "Delete the duplicate or keep one complete row",
            ),
        ],
        Code::PossibleDuplicate => [
            ("疑似重复客户", "Possible duplicate"),
            (
                "客户名称与另一客户非常接近，未合并。",
                "The name is very close to another customer's; not merged.",
            ),
            (
                "确认是否同一客户，统一写法",
                "Check whether they are one customer and spell it one way",
            ),
        ],
        Code::OrphanFollowup => [
            ("找不到对应客户", "Customer not found"),
            (
                "该记录的客户不在任何客户表中。",
                "The record's customer is in no customer table.",
            ),
            (
                "在客户表中补上该客户，或改正客户名称",
                "Add the customer to the customer table or correct the name",
            ),
        ],
        Code::SignBeforeStart => [
            ("签约早于开始日期", "Signed before start"),
            (
                "签约日期早于商机开始日期，周期未计入。",
                "The signed date is before the start date; no cycle is counted.",
            ),
            (
                "核对签约日期和首次接触日期",
                "Check the signed and first-contact dates",
            ),
        ],
        Code::WonWithoutSignDate => [
            ("成交缺少签约日期", "Won without signed date"),
            (
                "已成交但没有签约日期。",
                "The deal is won but has no signed date.",
            ),
            ("补上签约日期", "Fill in the signed date"),
        ],
        Code::WonWithoutAmount => [
            ("成交缺少金额", "Won without amount"),
            (
                "已成交但没有成交金额。",
                "The deal is won but has no amount.",
            ),
            ("补上成交金额", "Fill in the deal amount"),
        ],
        Code::AmountWithoutWon => [
            ("未成交却有金额", "Amount on an open deal"),
            (
                "商机未成交，但填写了成交金额。",
                "A deal amount is filled in on a deal that is not won.",
            ),
            (
                "预计金额请填在预算列",
                "Put expected amounts in the budget column",
            ),
        ],
        Code::IdNumber => [
            ("含身份证号", "ID card number"),
            (
                "单元格含身份证号，报表中已脱敏。",
                "The cell holds an ID card number; every output masks it.",
            ),
            (
                "从销售表中删除身份证号",
                "Remove ID numbers from the sales sheet",
            ),
        ],
        Code::DateWithoutYear => [
            ("日期缺少年份", "Date without a year"),
            (
                "日期没有年份，已按基准日所在年份补全。",
                "The date has no year; the as-of year was used.",
            ),
            ("写明年份，如 2024-03-05", "Write the year, e.g. 2024-03-05"),
        ],
        Code::SummaryRow => [
            ("合计/备注行", "Total or notes row"),
            (
                "合计、小计或备注行，未作为数据读取。",
                "A total, subtotal or notes row, not read as data.",
            ),
            (
                "合计行可保留；如是数据请改写",
                "Nothing to do unless it is data",
            ),
        ],
        Code::UnreadablePeriod => [
            ("目标期间无法识别", "Unreadable target period"),
            (
                "目标期间不是月、季度或年，该目标未计入。",
                "The period is not a month, quarter or year; the target is left out.",
            ),
            (
                "写成 2024-03、2024-Q1 或 2024",
                "Write 2024-03, 2024-Q1 or 2024",
            ),
        ],
        Code::ErrorCell => [
            ("公式错误值", "Excel error value"),
            (
                "单元格是 Excel 错误值（如 #N/A），按空值处理。",
                "The cell is an Excel error such as #N/A and is read as empty.",
            ),
            ("修正公式或改填数值", "Fix the formula or type the value"),
        ],
        Code::DuplicateColumn => [
            ("重复列", "Duplicate column"),
            (
                "该列与前面的列对应同一字段，未使用。",
                "The column maps to a field an earlier column already has; not used.",
            ),
            ("删除或重命名多余的列", "Delete or rename the extra column"),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_texts_in_both_languages() {
        // One code of each severity, plus the example of the brief.
        let t = code_text(Lang::Zh, Code::UnparseableDate);
        assert_eq!(t.title, "日期无法识别");
        assert_eq!(t.fix, "改为 YYYY-MM-DD 格式");
        let t = code_text(Lang::En, Code::UnparseableDate);
        assert_eq!(t.title, "Unreadable date");
        assert_eq!(t.fix, "Write it as YYYY-MM-DD");
        for code in [
            Code::MissingCustomerName,
            Code::SummaryRow,
            Code::DuplicateColumn,
        ] {
            for lang in [Lang::Zh, Lang::En] {
                let t = code_text(lang, code);
                assert!(!t.title.is_empty() && !t.message.is_empty() && !t.fix.is_empty());
            }
        }
    }
}
