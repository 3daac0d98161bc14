//! Lead source (schema.md §3): maps the many ways a sheet or a CRM export
//! names where a customer came from to the eight canonical sources.
//! Matching ignores case, width, spaces, `-`, `_` and `/`; short or
//! ambiguous words must equal the whole value, longer keywords may appear
//! anywhere in it (`2024上海工业展` does not, `2024上海展会` does).

use super::text::clean_text;

/// The canonical sources, in report order.
pub const SOURCES: [&str; 8] = [
    "展会",
    "转介绍",
    "线上咨询",
    "陌拜",
    "合作伙伴",
    "社交媒体",
    "行业网站",
    "其他",
];

/// Values that must equal the whole (folded) text.
const EXACT: &[(&str, &str)] = &[
    ("介绍", "转介绍"),
    ("推荐", "转介绍"),
    ("web", "线上咨询"),
    ("sem", "线上咨询"),
    ("seo", "线上咨询"),
    ("官网", "线上咨询"),
    ("网站", "线上咨询"),
    ("网络", "线上咨询"),
    ("搜索", "线上咨询"),
    ("百度", "线上咨询"),
    ("400", "线上咨询"),
    ("chat", "线上咨询"),
    ("代理", "合作伙伴"),
    ("渠道", "合作伙伴"),
    ("微信", "社交媒体"),
    ("抖音", "社交媒体"),
    ("other", "其他"),
    ("others", "其他"),
    ("其他", "其他"),
    ("其它", "其他"),
    ("展会", "展会"),
    ("会展", "展会"),
    ("展览", "展会"),
];

/// Keywords that may appear anywhere; checked in this order, so the more
/// specific ones (行业网站, 合作伙伴 referral) come before the general ones.
const CONTAINS: &[(&str, &str)] = &[
    ("行业网站", "行业网站"),
    ("b2b", "行业网站"),
    ("阿里巴巴", "行业网站"),
    ("1688", "行业网站"),
    ("慧聪", "行业网站"),
    ("中国制造网", "行业网站"),
    ("环球资源", "行业网站"),
    ("madeinchina", "行业网站"),
    ("alibaba", "行业网站"),
    ("社交媒体", "社交媒体"),
    ("socialmedia", "社交媒体"),
    ("social", "社交媒体"),
    ("微信", "社交媒体"),
    ("抖音", "社交媒体"),
    ("公众号", "社交媒体"),
    ("小红书", "社交媒体"),
    ("微博", "社交媒体"),
    ("视频号", "社交媒体"),
    ("快手", "社交媒体"),
    ("知乎", "社交媒体"),
    ("领英", "社交媒体"),
    ("linkedin", "社交媒体"),
    ("facebook", "社交媒体"),
    ("twitter", "社交媒体"),
    ("wechat", "社交媒体"),
    ("陌拜", "陌拜"),
    ("陌生拜访", "陌拜"),
    ("陌生电话", "陌拜"),
    ("电话陌拜", "陌拜"),
    ("电销", "陌拜"),
    ("扫街", "陌拜"),
    ("coldcall", "陌拜"),
    ("outbound", "陌拜"),
    ("purchasedlist", "陌拜"),
    ("合作伙伴", "合作伙伴"),
    ("渠道", "合作伙伴"),
    ("代理商", "合作伙伴"),
    ("经销商", "合作伙伴"),
    ("partner", "合作伙伴"),
    ("reseller", "合作伙伴"),
    ("channel", "合作伙伴"),
    ("转介绍", "转介绍"),
    ("介绍", "转介绍"),
    ("推荐", "转介绍"),
    ("口碑", "转介绍"),
    ("referral", "转介绍"),
    ("referred", "转介绍"),
    ("wordofmouth", "转介绍"),
    ("展会", "展会"),
    ("会展", "展会"),
    ("展览", "展会"),
    ("博览会", "展会"),
    ("交易会", "展会"),
    ("tradeshow", "展会"),
    ("exhibition", "展会"),
    ("expo", "展会"),
    ("seminar", "展会"),
    ("conference", "展会"),
    ("线上咨询", "线上咨询"),
    ("在线咨询", "线上咨询"),
    ("网站咨询", "线上咨询"),
    ("官网", "线上咨询"),
    ("400电话", "线上咨询"),
    ("百度", "线上咨询"),
    ("搜索", "线上咨询"),
    ("inbound", "线上咨询"),
    ("website", "线上咨询"),
    ("webdownload", "线上咨询"),
    ("webform", "线上咨询"),
    ("online", "线上咨询"),
    ("search", "线上咨询"),
];

/// Folds a value for matching: NFKC, lowercase, without spaces, `-`, `_`, `/`, `.`.
fn fold(s: &str) -> String {
    clean_text(s)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '/' | '.' | '·'))
        .collect()
}

/// Maps source text to its canonical source (one of [`SOURCES`]):
/// 展会/会展/行业展会/展览/trade show/expo, 转介绍/老客户介绍/客户推荐/
/// referral/Employee Referral/External Referral, 线上咨询/官网/网站咨询/
/// 400电话/在线咨询/百度/搜索/inbound/web/website/Web Download,
/// 陌拜/陌生拜访/电话陌拜/cold call/outbound/Purchased List,
/// 合作伙伴/渠道商/代理商/partner (also Partner Referral),
/// 社交媒体/微信/抖音/公众号/LinkedIn/social media, 行业网站/B2B平台/阿里巴巴,
/// 其他/other. Case-insensitive. None when unknown (the caller keeps the
/// text as 其他 with an info finding).
pub fn parse_source(s: &str) -> Option<&'static str> {
    if s.len() > 1024 {
        return None;
    }
    let key = fold(s);
    if key.is_empty() {
        return None;
    }
    if let Some((_, v)) = EXACT.iter().find(|(k, _)| *k == key) {
        return Some(v);
    }
    if let Some(v) = SOURCES.iter().find(|v| **v == key) {
        return Some(v);
    }
    CONTAINS
        .iter()
        .find(|(k, _)| key.contains(k))
        .map(|(_, v)| *v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources() {
        let cases: &[(&str, Option<&str>)] = &[
            ("展会", Some("展会")),
            ("会展", Some("展会")),
            ("行业展会", Some("展会")),
            ("展览", Some("展会")),
            ("2024上海工博会展会", Some("展会")),
            ("Trade Show", Some("展会")),
            ("tradeshow", Some("展会")),
            ("Seminar - Partner", Some("合作伙伴")),
            ("Seminar - Internal", Some("展会")),
            ("转介绍", Some("转介绍")),
            ("老客户介绍", Some("转介绍")),
            ("客户推荐", Some("转介绍")),
            ("介绍", Some("转介绍")),
            ("Referral", Some("转介绍")),
            ("Employee Referral", Some("转介绍")),
            ("External Referral", Some("转介绍")),
            ("Partner Referral", Some("合作伙伴")),
            ("线上咨询", Some("线上咨询")),
            ("官网", Some("线上咨询")),
            ("网站咨询", Some("线上咨询")),
            ("400电话", Some("线上咨询")),
            ("在线咨询", Some("线上咨询")),
            ("百度推广", Some("线上咨询")),
            ("搜索引擎", Some("线上咨询")),
            ("Inbound", Some("线上咨询")),
            ("web", Some("线上咨询")),
            ("Website", Some("线上咨询")),
            ("Web Download", Some("线上咨询")),
            ("陌拜", Some("陌拜")),
            ("陌生拜访", Some("陌拜")),
            ("电话陌拜", Some("陌拜")),
            ("Cold Call", Some("陌拜")),
            ("cold-call", Some("陌拜")),
            ("Outbound", Some("陌拜")),
            ("Purchased List", Some("陌拜")),
            ("合作伙伴", Some("合作伙伴")),
            ("渠道商", Some("合作伙伴")),
            ("代理商", Some("合作伙伴")),
            ("Partner", Some("合作伙伴")),
            ("社交媒体", Some("社交媒体")),
            ("微信", Some("社交媒体")),
            ("抖音", Some("社交媒体")),
            ("微信公众号", Some("社交媒体")),
            ("LinkedIn", Some("社交媒体")),
            ("Social Media", Some("社交媒体")),
            ("行业网站", Some("行业网站")),
            ("B2B平台", Some("行业网站")),
            ("阿里巴巴", Some("行业网站")),
            ("其他", Some("其他")),
            ("Other", Some("其他")),
            ("", None),
            ("   ", None),
            ("随便", None),
            ("xyz", None),
            ("电话", None),
            ("Advertisement", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse_source(text), *want, "{text}");
        }
    }

    #[test]
    fn results_are_canonical() {
        for (_, v) in EXACT.iter().chain(CONTAINS) {
            assert!(SOURCES.contains(v), "{v}");
        }
    }
}
