//! The canonical fields of schema.md §2: ids, Chinese labels, synonyms and the
//! kind of value each holds. This is the one table of them; the column
//! mapper, the normalizers and every writer read it and never repeat it.

use crate::normalize::text::fold_header;

/// What kind of value a field holds, which decides its normalizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Free text, NFKC-normalized and trimmed.
    Text,
    /// A person's name (owner, manager, contact): text, no further merging.
    Person,
    /// A calendar date (time kept when present).
    Date,
    /// A date-time (complaint timestamps).
    DateTime,
    /// A single amount of money.
    Amount,
    /// An amount or a range (budgets).
    Budget,
    /// An integer count (employees).
    Count,
    /// GB/T 4754-2017 industry.
    Industry,
    /// Pipeline stage (metrics.md §1).
    Stage,
    /// Win/loss status (Pipedrive style).
    DealStatus,
    /// A/B/C grade.
    Grade,
    /// Lead source.
    Source,
    /// Follow-up method.
    Method,
    /// Phone number.
    Phone,
    /// E-mail address.
    Email,
    /// Satisfaction score 1–5.
    Satisfaction,
    /// Probability 0–1.
    Probability,
    /// Yes / no answer.
    YesNo,
    /// Multi-line need phrases.
    Needs,
    /// A target period (month, quarter, year).
    Period,
}

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident => $id:literal, $label:literal, $kind:ident, [$($syn:literal),* $(,)?]; )*) => {
        /// A canonical field of schema.md §2.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $( $(#[$doc])* $variant ),* }

        impl Field {
            /// Every field, in the canonical column order of the cleaned output.
            pub const ALL: &'static [Field] = &[$(Field::$variant),*];

            /// The snake_case id used in code, JSON and cleaned CSV headers.
            pub fn id(self) -> &'static str { match self { $(Field::$variant => $id),* } }

            /// The Chinese column label of the team's standard form.
            pub fn label(self) -> &'static str { match self { $(Field::$variant => $label),* } }

            /// The kind of value, which picks the normalizer.
            pub fn kind(self) -> FieldKind { match self { $(Field::$variant => FieldKind::$kind),* } }

            /// Built-in header synonyms besides the label and the id.
            pub fn synonyms(self) -> &'static [&'static str] { match self { $(Field::$variant => &[$($syn),*]),* } }
        }
    };
}

fields! {
    CustomerId => "customer_id", "客户编号", Text, ["客户ID", "客户代码", "account_id", "Account ID", "customer id"];
    CustomerName => "customer_name", "企业名称", Text, ["客户名称", "客户单位全称", "公司名称", "单位名称", "客户", "account", "Account Name", "company", "Company Name", "Associated Company", "客户全称", "企业全称", "Organization", "Organization Name", "Deal - Organization", "Organization - Name"];
    ShortName => "short_name", "简称", Text, ["客户简称", "企业简称"];
    Industry => "industry", "所属行业", Industry, ["行业", "行业分类", "行业类别", "industry", "sector"];
    Employees => "employees", "员工数", Text, ["员工人数", "企业规模", "规模", "employees", "Number of Employees"];
    Revenue => "revenue", "营收", Text, ["年营收", "营业收入", "revenue", "Annual Revenue"];
    FoundedDate => "founded_date", "成立时间", Date, ["成立日期", "成立年份", "year_established"];
    Region => "region", "注册地", Text, ["注册地址", "所在地区", "省市", "地区", "城市", "office_location", "region", "Billing City", "City"];
    Website => "website", "官网", Text, ["网址", "website"];
    Source => "source", "客户来源", Source, ["来源", "渠道", "线索来源", "获客渠道", "lead source", "source"];
    Grade => "grade", "客户分级", Grade, ["客户等级", "客户级别", "优先级", "分级", "客户类别", "grade", "priority", "tier"];
    Owner => "owner", "负责销售", Person, ["销售人员", "负责人", "跟进人", "销售代表", "客户经理", "归属销售", "owner", "sales rep", "sales_agent", "Opportunity Owner", "Account Owner", "Deal owner", "Contact owner", "销售", "Deal - Owner", "Owner Name", "Sales Person", "Salesperson"];
    Team => "team", "销售团队", Text, ["团队", "部门", "区域", "regional_office", "region office"];
    Manager => "manager", "销售主管", Person, ["主管", "经理", "manager", "sales manager"];
    CreatedDate => "created_date", "建档日期", Date, ["建档时间", "录入时间", "创建时间", "创建日期", "created", "Created Date", "Create Date", "Deal - Deal created", "Deal created", "Created Time", "Date Created"];
    FirstContactDate => "first_contact_date", "首次接触时间", Date, ["首次接触日期", "首次联系时间", "初次接触时间", "engage_date", "first contact"];
    LastFollowupDate => "last_followup_date", "最近跟进时间", Date, ["最近跟进日期", "最后跟进时间", "上次跟进", "last activity", "Last Activity Date", "Deal - Last activity date"];
    Stage => "stage", "跟进状态", Stage, ["当前阶段", "阶段", "状态", "客户状态", "销售阶段", "商机阶段", "stage", "deal_stage", "Deal Stage", "status", "Deal - Stage", "Opportunity Stage"];
    LostAtStage => "lost_at_stage", "流失前阶段", Stage, ["流失阶段", "lost stage"];
    LostReason => "lost_reason", "流失原因", Text, ["丢单原因", "lost reason", "Deal - Lost reason", "Closed Lost Reason", "Loss Reason"];
    DealStatus => "deal_status", "赢单状态", DealStatus, ["赢输状态", "Deal - Status"];
    ContactName => "contact_name", "关键对接人", Person, ["联系人", "联系人姓名", "对接人", "姓名", "contact", "contact name", "Contact person", "Deal - Contact person"];
    ContactTitle => "contact_title", "职位", Text, ["职务", "联系人职务", "title"];
    Phone => "phone", "联系电话", Phone, ["电话", "联系方式", "工作电话", "手机", "phone", "tel", "Phone Number", "Business Phone"];
    Email => "email", "邮箱", Email, ["电子邮箱", "企业邮箱", "email", "e-mail", "Email Address"];
    PreferredChannel => "preferred_channel", "首选沟通渠道", Text, ["沟通渠道"];
    BusinessGoal => "business_goal", "客户业务目标", Text, ["业务目标"];
    NeedCore => "need_core", "核心需求", Needs, ["需求描述", "初步需求描述", "客户当前明确需求", "需求", "主要需求"];
    NeedSecondary => "need_secondary", "次要需求", Needs, ["潜在需求"];
    NeedTags => "need_tags", "需求标签", Needs, ["需求分类", "需求类型"];
    PainPoints => "pain_points", "核心痛点", Text, ["痛点"];
    NeedPriority => "need_priority", "需求优先级", Text, [];
    Budget => "budget", "预算范围", Budget, ["预算", "年采购预算", "采购预算", "budget"];
    Timeline => "timeline", "时间节点", Text, ["预计采购时间", "采购时间"];
    OpportunityId => "opportunity_id", "商机编号", Text, ["机会编号", "opportunity_id", "Opportunity ID", "Deal ID", "Record ID", "Deal - ID"];
    OpportunityName => "opportunity_name", "商机名称", Text, ["机会名称", "Opportunity Name", "Deal Name", "Deal - Title", "Deal Title"];
    Product => "product", "产品", Text, ["产品/服务", "方案", "product"];
    DealAmount => "deal_amount", "成交金额", Amount, ["合同金额", "签约金额", "预计成交金额", "预计金额", "商机金额", "close_value", "amount", "deal amount", "Deal - Value", "Deal Value", "Value", "Opportunity Amount"];
    SignedDate => "signed_date", "签约日期", Date, ["成交日期", "签约时间", "close_date", "close date", "Deal - Won time", "Won time", "Closed Date"];
    ContractNo => "contract_no", "合同编号", Text, ["合同号"];
    DeliveryCycle => "delivery_cycle", "交付周期", Text, [];
    ExpectedCloseDate => "expected_close_date", "预计成交日期", Date, ["预计签约日期", "预计关闭日期", "Expected Close Date", "Deal - Expected close date"];
    Probability => "probability", "赢率", Probability, ["成交概率", "赢单概率", "Probability", "Probability (%)"];
    CollectedAmount => "collected_amount", "回款金额", Amount, ["已回款", "回款", "collected"];
    CollectionDate => "collection_date", "回款日期", Date, ["到账日期"];
    PaymentTerms => "payment_terms", "付款方式", Text, [];
    Satisfaction => "satisfaction", "满意度评分", Satisfaction, ["满意度", "satisfaction"];
    Suggestions => "suggestions", "意见建议", Text, ["意见", "建议"];
    RepurchaseIntent => "repurchase_intent", "复购/增购需求", YesNo, ["复购需求", "增购需求"];
    ReferralIntent => "referral_intent", "转介绍意向", YesNo, ["转介绍"];
    FollowupDate => "followup_date", "跟进日期", Date, ["日期", "跟进时间", "沟通时间", "拜访日期"];
    Method => "method", "跟进方式", Method, ["沟通方式", "方式"];
    Summary => "summary", "沟通内容摘要", Text, ["沟通要点", "沟通内容", "跟进内容", "内容"];
    CustomerFeedback => "customer_feedback", "客户反馈", Text, ["反馈"];
    NextAction => "next_action", "下一步行动", Text, ["下一步", "待办事项", "Next Step", "next action"];
    DueDate => "due_date", "完成时限", Date, ["截止日期"];
    TargetPeriod => "target_period", "目标期间", Period, ["月份", "期间", "季度", "年度", "period", "month", "quarter"];
    TargetAmount => "target_amount", "目标金额", Amount, ["销售目标", "业绩目标", "目标", "quota", "target"];
    ComplaintType => "complaint_type", "问题类型", Text, ["类型"];
    ComplaintStatus => "complaint_status", "处理状态", Text, [];
    Description => "description", "问题描述", Text, [];
    Urgency => "urgency", "紧急程度", Text, [];
    ReportedAt => "reported_at", "登记时间", DateTime, ["发生时间", "反馈时间"];
    RespondedAt => "responded_at", "响应时间", DateTime, ["首次响应时间"];
    ResolvedAt => "resolved_at", "解决时间", DateTime, ["关闭时间"];
}

/// Maps one header cell to a field, ignoring case, width, spaces, a trailing
/// `*` and bracketed notes (schema.md §2). Extra synonyms come from the config.
pub fn match_header(header: &str, extra: &[(String, Field)]) -> Option<Field> {
    let key = fold_header(header);
    if key.is_empty() {
        return None;
    }
    for (syn, field) in extra {
        if fold_header(syn) == key {
            return Some(*field);
        }
    }
    builtin_headers().get(&key).copied()
}

/// Every built-in header (label, id and synonyms of each field) in folded
/// form → its field; the first field in [`Field::ALL`] order wins a shared
/// key, as a scan in that order would. Built once: folding the ~400 texts
/// again for every header cell made a sheet with a very wide row take
/// minutes (hostile input `wide_rows_load_quickly_within_a_raised_limit`).
fn builtin_headers() -> &'static std::collections::HashMap<String, Field> {
    static MAP: std::sync::OnceLock<std::collections::HashMap<String, Field>> =
        std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = std::collections::HashMap::new();
        for &f in Field::ALL {
            let texts = [f.label(), f.id()]
                .into_iter()
                .chain(f.synonyms().iter().copied());
            for t in texts {
                map.entry(fold_header(t)).or_insert(f);
            }
        }
        map
    })
}

/// The fields shown in the cleaned customers sheet, in canonical order.
pub fn customer_fields() -> impl Iterator<Item = Field> {
    Field::ALL
        .iter()
        .copied()
        .take_while(|f| *f != Field::FollowupDate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_ids_and_synonyms_map() {
        assert_eq!(match_header("企业名称", &[]), Some(Field::CustomerName));
        assert_eq!(match_header(" 客户名称* ", &[]), Some(Field::CustomerName));
        assert_eq!(
            match_header("客户来源(如/展会/转介绍)", &[]),
            Some(Field::Source)
        );
        assert_eq!(match_header("客户来源（如展会）", &[]), Some(Field::Source));
        assert_eq!(match_header("Account Name", &[]), Some(Field::CustomerName));
        assert_eq!(match_header("ACCOUNT NAME", &[]), Some(Field::CustomerName));
        assert_eq!(match_header("deal_stage", &[]), Some(Field::Stage));
        assert_eq!(
            match_header("Probability (%)", &[]),
            Some(Field::Probability)
        );
        assert_eq!(match_header("ｅｍａｉｌ", &[]), Some(Field::Email));
        assert_eq!(match_header("备注", &[]), None);
        assert_eq!(match_header("", &[]), None);
    }

    /// Headers of the Salesforce, HubSpot and Pipedrive exports of the
    /// ingest tests (tests/ingest_fixtures.rs); `Deal - Contact person`
    /// (Pipedrive) was the one missing.
    #[test]
    fn crm_export_headers_map() {
        let cases = [
            ("Opportunity Name", Field::OpportunityName),
            ("Opportunity Owner", Field::Owner),
            ("Probability (%)", Field::Probability),
            ("Next Step", Field::NextAction),
            ("Deal Stage", Field::Stage),
            ("Create Date", Field::CreatedDate),
            ("Associated Company", Field::CustomerName),
            ("Deal - Organization", Field::CustomerName),
            ("Deal - Contact person", Field::ContactName),
            ("Contact person", Field::ContactName),
            ("Deal - Won time", Field::SignedDate),
            ("Deal - Expected close date", Field::ExpectedCloseDate),
            ("Deal - Lost reason", Field::LostReason),
        ];
        for (header, field) in cases {
            assert_eq!(match_header(header, &[]), Some(field), "{header}");
        }
        for extra in ["Type", "Pipeline", "Deal - Currency"] {
            assert_eq!(match_header(extra, &[]), None, "{extra}");
        }
    }

    #[test]
    fn config_synonyms_win() {
        let extra = vec![("签单人".to_string(), Field::Owner)];
        assert_eq!(match_header("签单人", &extra), Some(Field::Owner));
    }

    #[test]
    fn every_synonym_maps_to_its_own_field() {
        for f in Field::ALL {
            for s in f.synonyms() {
                let got = match_header(s, &[]);
                // A synonym shared with an earlier field is a spec ambiguity; none exist.
                assert_eq!(got, Some(*f), "synonym {s} of {}", f.id());
            }
        }
    }
}
