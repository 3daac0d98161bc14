//! Every label of every report, in one table: key → (中文, English). Writers
//! never spell a label themselves; they ask `t`. Finding codes have their own
//! title, message and fix (`code_text`, in `i18n/codes.rs`). Metric
//! definitions (口径) live in `metrics::definitions`, beside the metrics.
//! Data values (customer names, keys) are never translated here, except the
//! two placeholders the metrics write in Chinese whatever the language
//! (`未知`, `未分配`) and the canonical stage, state and severity codes.

mod codes;
mod labels;

/// Every label: key, 中文, English.
pub(crate) use labels::LABELS;

/// The title, message and fix of a finding code.
pub use codes::code_text;

/// The texts shown for a finding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeText {
    /// A short title (a few words).
    pub title: &'static str,
    /// What is wrong, one sentence.
    pub message: &'static str,
    /// What to change in the spreadsheet.
    pub fix: &'static str,
}

/// The report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// 简体中文 (default).
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads `zh` or `en` (case-insensitive; `zh-CN`, `en-US` and the like too).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let base = s.split(['-', '_']).next().unwrap_or("");
        match base {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The value of the HTML `lang` attribute.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks the text of this language from a pair.
    pub fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// As `Lang::parse`, with an error naming the accepted values.
    fn from_str(s: &str) -> Result<Lang, String> {
        Lang::parse(s).ok_or_else(|| format!("unknown language `{s}` (expected zh or en)"))
    }
}

/// The label of `key` in `lang`. An unknown key is a bug: it fails a debug
/// assertion and, in release builds, shows as the key itself.
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    match lookup(lang, key) {
        Some(label) => label,
        None => {
            debug_assert!(false, "unknown i18n key {key}");
            key
        }
    }
}

/// The label of `key` in `lang`, or `None` for an unknown key (templates turn
/// that into a render error).
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    LABELS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|&(_, zh, en)| lang.pick(zh, en))
}

/// The label of a canonical stage code; a stage of a custom pipeline keeps
/// the (Chinese) label the summary carries.
pub fn stage_label(lang: Lang, code: &str, label: &str) -> String {
    if lang == Lang::Zh && !label.is_empty() && label != code {
        // A custom pipeline may give a canonical code its own label.
        return label.to_string();
    }
    let key = match code {
        "lead" => "stage.lead",
        "qualify" => "stage.qualify",
        "proposal" => "stage.proposal",
        "negotiation" => "stage.negotiation",
        "won" => "stage.won",
        "lost" => "stage.lost",
        _ => return label.to_string(),
    };
    t(lang, key).to_string()
}

/// The label of a customer state code (`active`, `maintenance`, `lost`);
/// anything else is shown as it is.
pub fn state_label(lang: Lang, code: &str) -> String {
    match code {
        "active" => t(lang, "state.active").to_string(),
        "maintenance" => t(lang, "state.maintenance").to_string(),
        "lost" => t(lang, "state.lost").to_string(),
        other => other.to_string(),
    }
}

/// A data value as shown: the metrics' Chinese placeholders `未知` and
/// `未分配` are translated, everything else is kept as written.
pub fn data_value(lang: Lang, value: &str) -> String {
    match value {
        "未知" => t(lang, "value.unknown").to_string(),
        "未分配" => t(lang, "value.unassigned").to_string(),
        other => other.to_string(),
    }
}

/// Replaces `{name}` placeholders of a label.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn keys_are_unique_and_labels_filled() {
        let mut seen = BTreeSet::new();
        for (key, zh, en) in LABELS {
            assert!(seen.insert(*key), "duplicate key {key}");
            assert!(!zh.is_empty() && !en.is_empty(), "empty label for {key}");
        }
    }

    #[test]
    fn parses_languages() {
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn translates_labels_and_placeholders() {
        assert_eq!(t(Lang::Zh, "section.funnel"), "销售漏斗");
        assert_eq!(t(Lang::En, "section.funnel"), "Funnel");
        assert_eq!(data_value(Lang::En, "未分配"), "Unassigned");
        assert_eq!(data_value(Lang::En, "张三"), "张三");
        assert_eq!(
            stage_label(Lang::En, "qualify", "需求分析"),
            "Needs analysis"
        );
        assert_eq!(stage_label(Lang::En, "custom", "自定义"), "自定义");
        assert_eq!(fill("a {n} b", &[("n", "3".into())]), "a 3 b");
    }
}
