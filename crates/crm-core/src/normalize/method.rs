//! Follow-up method (schema.md §3): maps how a contact was made to one of
//! 电话 / 拜访 / 邮件 / 会议 / 线上会议 / 微信 / 短信 / 展会 / 其他.
//! Keywords are checked in order, most specific first, anywhere in the
//! value (case, width and spaces ignored); short English words that occur
//! inside other words (`tel`, `im`) must equal the whole value.

use super::text::clean_text;

/// The canonical methods, in report order.
pub const METHODS: [&str; 9] = [
    "电话",
    "拜访",
    "邮件",
    "会议",
    "线上会议",
    "微信",
    "短信",
    "展会",
    "其他",
];

/// Values that must equal the whole (folded) text.
const EXACT: &[(&str, &str)] = &[
    ("tel", "电话"),
    ("mail", "邮件"),
    ("im", "微信"),
    ("vc", "线上会议"),
];

/// Keywords that may appear anywhere; first match wins.
const CONTAINS: &[(&str, &str)] = &[
    ("电话会议", "线上会议"),
    ("腾讯会议", "线上会议"),
    ("视频会议", "线上会议"),
    ("线上会议", "线上会议"),
    ("在线会议", "线上会议"),
    ("网络会议", "线上会议"),
    ("远程会议", "线上会议"),
    ("钉钉会议", "线上会议"),
    ("飞书会议", "线上会议"),
    ("视频", "线上会议"),
    ("zoom", "线上会议"),
    ("teams", "线上会议"),
    ("webex", "线上会议"),
    ("onlinemeeting", "线上会议"),
    ("virtualmeeting", "线上会议"),
    ("videocall", "线上会议"),
    ("webinar", "线上会议"),
    ("微信", "微信"),
    ("企微", "微信"),
    ("wechat", "微信"),
    ("weixin", "微信"),
    ("短信", "短信"),
    ("sms", "短信"),
    ("textmessage", "短信"),
    ("邮件", "邮件"),
    ("邮箱", "邮件"),
    ("email", "邮件"),
    ("展会", "展会"),
    ("展览", "展会"),
    ("tradeshow", "展会"),
    ("exhibition", "展会"),
    ("expo", "展会"),
    ("电话拜访", "电话"),
    ("拜访", "拜访"),
    ("面访", "拜访"),
    ("面谈", "拜访"),
    ("上门", "拜访"),
    ("走访", "拜访"),
    ("现场", "拜访"),
    ("见面", "拜访"),
    ("当面", "拜访"),
    ("实地", "拜访"),
    ("visit", "拜访"),
    ("onsite", "拜访"),
    ("inperson", "拜访"),
    ("facetoface", "拜访"),
    ("会议", "会议"),
    ("开会", "会议"),
    ("meeting", "会议"),
    ("电话", "电话"),
    ("致电", "电话"),
    ("来电", "电话"),
    ("去电", "电话"),
    ("通话", "电话"),
    ("电联", "电话"),
    ("外呼", "电话"),
    ("call", "电话"),
    ("phone", "电话"),
    ("telephone", "电话"),
];

/// Maps follow-up method text to one of [`METHODS`]: 电话沟通/致电/call/phone
/// → 电话; 上门拜访/面访/现场拜访/visit → 拜访; email/邮件/e-mail → 邮件;
/// 腾讯会议/视频会议/电话会议/zoom/teams/钉钉会议/online meeting → 线上会议;
/// 会议/meeting → 会议; 微信/wechat → 微信; 短信/sms → 短信; 展会 → 展会;
/// anything else (also empty text) → 其他.
pub fn parse_method(s: &str) -> &'static str {
    if s.len() > 1024 {
        return "其他";
    }
    let key: String = clean_text(s)
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '/' | '.'))
        .collect();
    if key.is_empty() {
        return "其他";
    }
    if let Some((_, v)) = EXACT.iter().find(|(k, _)| *k == key) {
        return v;
    }
    CONTAINS
        .iter()
        .find(|(k, _)| key.contains(k))
        .map(|(_, v)| *v)
        .unwrap_or("其他")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods() {
        let cases: &[(&str, &str)] = &[
            ("电话", "电话"),
            ("电话沟通", "电话"),
            ("致电", "电话"),
            ("Call", "电话"),
            ("Phone Call", "电话"),
            ("phone", "电话"),
            ("tel", "电话"),
            ("电话拜访", "电话"),
            ("上门拜访", "拜访"),
            ("面访", "拜访"),
            ("现场拜访", "拜访"),
            ("Visit", "拜访"),
            ("On-site", "拜访"),
            ("email", "邮件"),
            ("E-mail", "邮件"),
            ("邮件", "邮件"),
            ("发邮件", "邮件"),
            ("腾讯会议", "线上会议"),
            ("视频会议", "线上会议"),
            ("Zoom", "线上会议"),
            ("Teams", "线上会议"),
            ("钉钉会议", "线上会议"),
            ("Online Meeting", "线上会议"),
            ("电话会议", "线上会议"),
            ("会议", "会议"),
            ("Meeting", "会议"),
            ("微信", "微信"),
            ("微信语音", "微信"),
            ("WeChat", "微信"),
            ("短信", "短信"),
            ("SMS", "短信"),
            ("展会", "展会"),
            ("展会交流", "展会"),
            ("", "其他"),
            ("   ", "其他"),
            ("其他", "其他"),
            ("hotel", "其他"),
            ("不详", "其他"),
            ("xyz", "其他"),
        ];
        for (text, want) in cases {
            assert_eq!(parse_method(text), *want, "{text}");
        }
    }

    #[test]
    fn results_are_canonical() {
        for (_, v) in EXACT.iter().chain(CONTAINS) {
            assert!(METHODS.contains(v), "{v}");
        }
    }
}
