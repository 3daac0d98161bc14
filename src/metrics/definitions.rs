//! The short definition (口径) of every metric the reports show, in Chinese
//! and English, condensed from metrics.md. The reports print them next to
//! the figures (tooltips, the Definitions sheet and section); changing a
//! metric means changing its line here in the same commit.

use crate::report::i18n::Lang;

/// key, 中文名, English name, 中文口径, English definition.
type Entry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// Every metric, in the order the Definitions sheet lists them.
#[rustfmt::skip]
const DEFINITIONS: &[Entry] = &[
    ("rows_read", "读取行数", "Rows read",
     "读取的非空数据行（不含表头和空行）= 有效 + 拒绝 + 跳过（合计/备注行）",
     "Non-blank data rows read (headers and blank rows excluded) = accepted + rejected + skipped (total/notes rows)"),
    ("rows_accepted", "有效行数", "Rows accepted",
     "计入指标的数据行",
     "Rows used by the metrics"),
    ("rows_rejected", "拒绝行数", "Rows rejected",
     "含错误级问题的行：不计入指标，保留在问题明细中",
     "Rows with an error finding: left out of the metrics, kept in the findings"),
    ("customers", "客户数", "Customers",
     "按公司名称去重合并后的客户数",
     "Customers after merging duplicates by company name"),
    ("duplicates_merged", "合并重复", "Duplicates merged",
     "合并到前面同一客户的行数",
     "Rows merged into an earlier row of the same customer"),
    ("opportunities", "商机数", "Opportunities",
     "阶段可识别的商机 = 赢单 + 输单 + 进行中；阶段未知的另计",
     "Opportunities with a known stage = won + lost + open; unknown stages are counted apart"),
    ("won", "赢单", "Won",
     "当前阶段为成交的商机数",
     "Opportunities whose current stage is won"),
    ("lost", "输单", "Lost",
     "当前阶段为流失的商机数",
     "Opportunities whose current stage is lost"),
    ("open", "进行中", "Open",
     "阶段可识别的商机 − 赢单 − 输单",
     "Known-stage opportunities − won − lost"),
    ("unknown_stage", "阶段未知", "Unknown stage",
     "阶段为空或无法对应标准阶段的商机，不计入漏斗",
     "Opportunities with an empty or non-standard stage, left out of the funnel"),
    ("win_rate", "赢单率", "Win rate",
     "赢单 ÷（赢单 + 输单）；分母为 0 时为 —",
     "won ÷ (won + lost); — when the denominator is 0"),
    ("overall_conversion", "整体转化率", "Overall conversion",
     "赢单 ÷ 到达第一阶段的商机数",
     "won ÷ reached(first stage)"),
    ("current", "当前数量", "Current",
     "当前正处于该阶段的商机数",
     "Opportunities whose current stage is this one"),
    ("reached", "到达数量", "Reached",
     "最远阶段达到或超过该阶段的商机数；输单按丢单前到达的最远阶段计",
     "Opportunities whose furthest stage is this one or later; a lost deal counts up to the stage it was lost at"),
    ("conversion_to_next", "阶段转化率", "Stage conversion",
     "到达(下一阶段) ÷ 到达(本阶段)；最后一个阶段为 —",
     "reached(next stage) ÷ reached(this stage); — for the last stage"),
    ("won_amount", "成交金额", "Won amount",
     "赢单商机的成交金额合计（元，负数不计）",
     "Sum of deal amounts of won opportunities (CNY; negative amounts left out)"),
    ("lost_amount", "输单金额", "Lost amount",
     "输单商机的金额合计（元）",
     "Sum of deal amounts of lost opportunities (CNY)"),
    ("open_amount", "在谈金额", "Open amount",
     "进行中商机的金额合计（元）",
     "Sum of deal amounts of open opportunities (CNY)"),
    ("avg_won_amount", "平均成交额", "Average deal",
     "成交金额 ÷ 有金额的赢单数",
     "Won amount ÷ won deals with an amount"),
    ("cycle_days", "成交周期", "Sales cycle",
     "签约日期 − 开始日期（首次接触日期，否则创建日期），按自然日计；负值剔除",
     "Signed date − start date (first contact, else created), in calendar days; negative cycles left out"),
    ("cycle_median", "周期中位数", "Median cycle",
     "成交周期的中位数（天）",
     "Median of the cycle days"),
    ("cycle_p90", "周期 P90", "Cycle P90",
     "成交周期的第 90 百分位（线性插值，天）",
     "90th percentile of the cycle days (linear interpolation)"),
    ("need_customers", "需求客户数", "Customers naming a need",
     "提到该需求的不同客户数；需求按 、，；/| 和换行拆分，英文不区分大小写",
     "Distinct customers naming the need; needs split on 、 , ; / | and line breaks, ASCII case ignored"),
    ("followups", "跟进次数", "Follow-ups",
     "跟进记录数（记录有负责人按记录计，否则按客户负责人计）",
     "Follow-up rows (by the row's own owner, else the customer's)"),
    ("followups_per_customer", "人均跟进", "Follow-ups per customer",
     "跟进次数 ÷ 负责的客户数",
     "Follow-ups ÷ customers owned"),
    ("completeness", "资料完整度", "Completeness",
     "客户十个关键字段（名称、行业、来源、联系人、职务、电话、核心需求、预算、等级、阶段）的平均填写率",
     "Average share of ten key customer fields filled (name, industry, source, contact, title, phone, core need, budget, grade, stage)"),
    ("cadence_compliance", "跟进合规率", "Cadence compliance",
     "（纳入考核 − 逾期）÷ 纳入考核；跟进中客户 A/B/C 级允许间隔 7/14/30 天，维护期 90 天，流失客户不考核",
     "(tracked − overdue) ÷ tracked; allowed gap 7/14/30 days for active A/B/C customers, 90 in maintenance, lost customers not tracked"),
    ("overdue_customers", "逾期客户", "Overdue customers",
     "距最近接触的天数超过允许间隔的客户数",
     "Customers whose days since last touch exceed the allowed gap"),
    ("last_touch", "最近接触", "Last touch",
     "基准日及之前最近的跟进日期、最后跟进日期和开始日期中最晚的一个",
     "The latest of the follow-up dates up to the as-of date, the last follow-up date and the start date"),
    ("allowed_gap", "允许间隔", "Allowed gap",
     "按等级和状态允许的最长不跟进天数",
     "Days allowed without a touch, by grade and state"),
    ("days_overdue", "逾期天数", "Days overdue",
     "（基准日 − 最近接触）− 允许间隔",
     "(as-of − last touch) − allowed gap"),
    ("abc_grade", "ABC 等级", "ABC grade",
     "近 365 天赢单金额：≥ 50 万为 A，≥ 10 万为 B，其余为 C",
     "Won amount of the last 365 days: A from 500,000, B from 100,000, else C"),
    ("satisfied_share", "满意率", "Satisfied share",
     "评分 ≥ 4 的占比",
     "Share of scores of 4 or 5"),
    ("repurchase_share", "复购意向率", "Repurchase intent",
     "有复购意向 ÷（有 + 无）",
     "yes ÷ (yes + no) of repurchase intent"),
    ("referral_share", "转介绍意向率", "Referral intent",
     "有转介绍意向 ÷（有 + 无）",
     "yes ÷ (yes + no) of referral intent"),
    ("response_sla_share", "响应达标率", "Response within SLA",
     "在时限内响应的投诉占比（投诉、其他 2 小时；合作异常 1 小时）",
     "Share of complaints answered in time (2 h; 1 h for partnership issues)"),
    ("resolution_sla_share", "解决达标率", "Resolution within SLA",
     "在时限内解决的投诉占比（投诉、其他 24 小时；合作异常 4 小时）",
     "Share of complaints resolved in time (24 h; 4 h for partnership issues)"),
    ("new_opportunities", "新增商机", "New opportunities",
     "开始日期在该月的商机数",
     "Opportunities whose start date is in the month"),
    ("monthly_won", "月度签约", "Deals signed",
     "签约日期在该月的赢单数及金额",
     "Won deals signed in the month, and their amount"),
    ("issues", "发现问题", "Issues found",
     "数据检查发现的问题条数（错误、警告、提示）",
     "Findings of the data checks (errors, warnings, infos)"),
];

/// Every metric as (name, definition) in `lang`, in a stable order.
pub fn definitions(lang: Lang) -> Vec<(&'static str, &'static str)> {
    DEFINITIONS
        .iter()
        .map(|&(_, zh, en, dzh, den)| (lang.pick(zh, en), lang.pick(dzh, den)))
        .collect()
}

/// The definition of the metric `key` in `lang`. An unknown key is a bug:
/// it fails a debug assertion and, in release builds, gives an empty text.
pub fn definition(lang: Lang, key: &str) -> &'static str {
    entry(key).map_or_else(
        || {
            debug_assert!(false, "unknown metric {key}");
            ""
        },
        |&(_, _, _, zh, en)| lang.pick(zh, en),
    )
}

/// The display name of the metric `key` in `lang` (the key itself when
/// unknown, after a debug assertion).
pub fn metric_name(lang: Lang, key: &'static str) -> &'static str {
    entry(key).map_or_else(
        || {
            debug_assert!(false, "unknown metric {key}");
            key
        },
        |&(_, zh, en, _, _)| lang.pick(zh, en),
    )
}

fn entry(key: &str) -> Option<&'static Entry> {
    DEFINITIONS.iter().find(|e| e.0 == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn keys_unique_and_texts_filled() {
        let mut seen = BTreeSet::new();
        for e in DEFINITIONS {
            assert!(seen.insert(e.0), "duplicate metric {}", e.0);
            assert!(!e.1.is_empty() && !e.2.is_empty() && !e.3.is_empty() && !e.4.is_empty());
        }
        assert_eq!(definitions(Lang::En).len(), DEFINITIONS.len());
    }

    #[test]
    fn win_rate_and_conversion_follow_the_spec() {
        assert!(definition(Lang::Zh, "win_rate").contains("赢单 ÷（赢单 + 输单）"));
        assert!(definition(Lang::En, "win_rate").contains("won ÷ (won + lost)"));
        assert!(definition(Lang::En, "conversion_to_next").contains("reached(next stage)"));
        assert_eq!(metric_name(Lang::Zh, "cadence_compliance"), "跟进合规率");
    }
}
