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
    ("tracked", "纳入考核", "Tracked",
     "按跟进间隔考核的客户数：跟进中与维护期客户，流失客户不考核",
     "Customers tracked for cadence: active and maintenance ones; lost customers are not tracked"),
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
    ("declared_grade", "填报等级", "Declared grade",
     "表格中填写的客户等级（A/B/C）",
     "The customer grade written in the spreadsheet (A/B/C)"),
    ("annual_amount", "年度成交额", "Annual amount",
     "基准日前 364 天至基准日（含）签约的赢单金额合计",
     "Won deal amounts signed from as-of − 364 days to the as-of date, inclusive"),
    ("grade_mismatches", "等级不符", "Grade mismatches",
     "填报等级与按金额计算的等级不同的客户数（仅限有近一年赢单的客户）",
     "Customers whose declared grade differs from the computed one (only customers with a won deal in the last year)"),
    ("satisfaction_n", "评分数", "Scores",
     "填写了 1–5 分满意度评分的记录数",
     "Records with a satisfaction score of 1–5"),
    ("satisfaction_mean", "满意度均分", "Mean satisfaction",
     "满意度评分（1–5）的平均值",
     "Mean of the satisfaction scores (1–5)"),
    ("satisfied_share", "满意率", "Satisfied share",
     "评分 ≥ 4 的占比",
     "Share of scores of 4 or 5"),
    ("repurchase_share", "复购意向率", "Repurchase intent",
     "有复购意向 ÷（有 + 无）",
     "yes ÷ (yes + no) of repurchase intent"),
    ("referral_share", "转介绍意向率", "Referral intent",
     "有转介绍意向 ÷（有 + 无）",
     "yes ÷ (yes + no) of referral intent"),
    ("complaints", "投诉数", "Complaints",
     "投诉与问题记录数",
     "Complaint and issue records"),
    ("median_response_hours", "响应时长中位数", "Median response hours",
     "响应时间 − 登记时间（小时）的中位数；只有日期时按 00:00 计",
     "Median of responded − reported, in hours; a date without a time counts as 00:00"),
    ("response_sla_share", "响应达标率", "Response within SLA",
     "在时限内响应的投诉占比（投诉、其他 2 小时；合作异常 1 小时）",
     "Share of complaints answered in time (2 h; 1 h for partnership issues)"),
    ("resolution_sla_share", "解决达标率", "Resolution within SLA",
     "在时限内解决的投诉占比（投诉、其他 24 小时；合作异常 4 小时）",
     "Share of complaints resolved in time (24 h; 4 h for partnership issues)"),
    ("open_complaints", "未解决投诉", "Open complaints",
     "没有解决时间的投诉数",
     "Complaints with no resolved time"),
    ("probability", "赢率", "Probability",
     "阶段默认赢率：线索 10%、需求分析 30%、方案沟通 50%、商务谈判 70%（可配置）",
     "Stage default probability: lead 10%, needs analysis 30%, proposal 50%, negotiation 70% (config)"),
    ("weighted_amount", "加权管道金额", "Weighted pipeline",
     "Σ 进行中商机金额 × 赢率（商机自带赢率优先，否则用阶段默认赢率）",
     "Σ open amount × probability (the deal's own probability, else the stage default)"),
    ("expected_closings", "预计成交", "Expected closings",
     "进行中商机按预计成交日期所在月份统计，覆盖基准月及之后两个月；基准月内已过期的也计入基准月",
     "Open deals by the month of their expected close date, for the as-of month and the next two; earlier dates in the as-of month count there"),
    ("slipped", "已延期商机", "Slipped deals",
     "预计成交日期早于基准日的进行中商机",
     "Open deals whose expected close date is before the as-of date"),
    ("days_slipped", "延期天数", "Days slipped",
     "基准日 − 预计成交日期",
     "as-of − expected close date"),
    ("target", "目标", "Target",
     "目标表中该销售或团队在该期间的目标金额",
     "The target amount of the rep or team for the period"),
    ("achieved", "已达成", "Achieved",
     "该期间内截至基准日签约的赢单金额",
     "Amount of won deals signed in the period up to the as-of date"),
    ("attainment", "达成率", "Attainment",
     "已达成 ÷ 目标",
     "achieved ÷ target"),
    ("elapsed_share", "时间进度", "Elapsed share",
     "期间内截至基准日（含）的天数 ÷ 期间总天数；达成率低于时间进度即落后",
     "Days of the period up to and including the as-of date ÷ days in the period; attainment below it is behind pace"),
    ("signed", "签约数", "Deals signed",
     "期间内签约的赢单数",
     "Won deals signed in the period"),
    ("signed_amount", "签约金额", "Signed amount",
     "期间内签约的赢单金额合计（无期间时为截至基准日的全部）",
     "Amount of won deals signed in the period (without one: up to the as-of date)"),
    ("collected_amount", "回款金额", "Collected",
     "截至基准日签约的赢单上已回款的金额合计",
     "Amount collected on the won deals signed up to the as-of date"),
    ("collection_rate", "回款率", "Collection rate",
     "回款金额 ÷ 签约金额；数据中没有回款列时为 —",
     "collected ÷ signed; — when no input has a collected-amount column"),
    ("todos", "待办数", "To-dos",
     "有下一步行动和完成时限的跟进记录数",
     "Follow-up rows with a next action and a due date"),
    ("overdue_todos", "逾期待办", "Overdue to-dos",
     "完成时限早于基准日，且此后到基准日之间该客户没有新的跟进",
     "Due before the as-of date with no later follow-up of that customer up to the as-of date"),
    ("todo_days_overdue", "待办逾期天数", "To-do days overdue",
     "基准日 − 完成时限",
     "as-of − due date"),
    ("weekly_followups", "周跟进次数", "Weekly follow-ups",
     "截至基准日所在周的最近 8 个 ISO 周内的跟进记录数，按销售和跟进方式",
     "Follow-ups in the 8 ISO weeks up to the as-of date's week, per rep and method"),
    ("lost_reason", "流失原因", "Lost reason",
     "输单商机按流失原因、流失前阶段和负责人统计的数量与金额",
     "Lost deals counted and summed by reason, stage lost at and owner"),
    ("time_in_stage", "阶段停留天数", "Days in stage",
     "按带日期的阶段记录：一段停留从该阶段首条记录起，到下一个不同阶段的记录或基准日止；取最近一段",
     "From dated stage history: a stay runs from the first entry of a stage to the next entry of another stage, or the as-of date; the latest stay"),
    ("time_in_stage_cumulative", "累计停留天数", "Cumulative days in stage",
     "同一阶段多次进入时各段停留天数之和",
     "Days of every stay in the stage added up, re-entries included"),
    ("days_in_stage", "当前停留天数", "Days in current stage",
     "进行中商机在当前阶段已停留的天数（截至基准日）",
     "Days an open deal has been in its current stage, up to the as-of date"),
    ("stall_threshold", "停滞阈值", "Stall threshold",
     "当前停留天数超过该值即视为停滞（默认 30 天，可按阶段配置）",
     "A deal whose current stay is longer is stalled (30 days by default; per stage in the config)"),
    ("need_keyword_weight", "关键词权重", "Keyword weight",
     "从需求描述中分词提取的 TF-IDF 权重；只作参考，不替代需求计数",
     "TF-IDF weight from segmented need descriptions; a hint only, never a replacement for need counts"),
    ("team_median", "团队中位数", "Team median",
     "所有销售（不含未分配）该项指标的中位数；空值不计",
     "Median of the figure over every sales rep (unassigned left out); empty values left out"),
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

/// The definition of `key`, or `None` for a key with no entry (figures
/// named by data, such as a comparison's keys).
pub fn find_definition(lang: Lang, key: &str) -> Option<&'static str> {
    entry(key).map(|&(_, _, _, zh, en)| lang.pick(zh, en))
}

/// The display name of `key`, or `None` for a key with no entry.
pub fn find_metric_name(lang: Lang, key: &str) -> Option<&'static str> {
    entry(key).map(|&(_, zh, en, _, _)| lang.pick(zh, en))
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
        assert_eq!(
            find_metric_name(Lang::Zh, "cadence_compliance"),
            Some("跟进合规率")
        );
        assert_eq!(find_definition(Lang::En, "no_such_metric"), None);
    }
}
