//! Pipeline stages (metrics.md §1): the canonical five plus lost, their
//! labels and synonyms, and the mapping of stage text to a stage.

use super::text::fold_header;

/// One stage of a pipeline.
#[derive(Debug, Clone)]
pub struct StageDef {
    /// Language-neutral code (`lead`, `won`…).
    pub code: String,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
    /// Synonyms besides the two labels and the code.
    pub synonyms: Vec<String>,
    /// Position in the funnel, 1-based; `None` for the lost stage.
    pub order: Option<usize>,
}

/// The stages a team uses; the default is metrics.md §1.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// Stages: funnel stages in order, the won stage last of them, then lost.
    pub stages: Vec<StageDef>,
}

/// The result of reading a stage cell.
#[derive(Debug, Clone, PartialEq)]
pub enum StageParse {
    /// A canonical stage (index into `Pipeline::stages`).
    Known(usize),
    /// Text that maps to no stage.
    Nonstandard,
}

const DEFAULT_STAGES: &[(&str, &str, &str, &[&str])] = &[
    (
        "lead",
        "线索",
        "Lead",
        &[
            "潜在客户",
            "初次接洽",
            "新线索",
            "待跟进",
            "Prospecting",
            "Prospect",
            "New",
            "Appointment Scheduled",
            "Lead In",
        ],
    ),
    (
        "qualify",
        "需求分析",
        "Needs analysis",
        &[
            "需求分析中",
            "需求调研",
            "初次接洽-需求调研",
            "意向客户",
            "需求确认",
            "Engaging",
            "Qualification",
            "Qualified",
            "Qualified To Buy",
            "Needs Analysis",
            "Contact Made",
        ],
    ),
    (
        "proposal",
        "方案沟通",
        "Proposal",
        &[
            "方案沟通中",
            "方案提交",
            "方案提交-待反馈",
            "方案制定",
            "报价",
            "Quote",
            "Value Proposition",
            "Id. Decision Makers",
            "Perception Analysis",
            "Proposal/Price Quote",
            "Presentation Scheduled",
            "Demo Scheduled",
            "Proposal Made",
        ],
    ),
    (
        "negotiation",
        "商务谈判",
        "Negotiation",
        &[
            "谈判",
            "商务谈判中",
            "合同审批",
            "合同拟定",
            "Contract",
            "Negotiation/Review",
            "Decision Maker Bought-In",
            "Contract Sent",
            "Negotiations Started",
        ],
    ),
    (
        "won",
        "成交",
        "Won",
        &[
            "已成交",
            "签约",
            "已签约",
            "成交-维护中",
            "维护中",
            "潜在复购",
            "维护中/潜在复购",
            "Closed Won",
        ],
    ),
    (
        "lost",
        "流失",
        "Lost",
        &["丢单", "输单", "已流失", "失败", "Closed Lost"],
    ),
];

impl Default for Pipeline {
    fn default() -> Self {
        let n = DEFAULT_STAGES.len();
        Pipeline {
            stages: DEFAULT_STAGES
                .iter()
                .enumerate()
                .map(|(i, (code, zh, en, syn))| StageDef {
                    code: code.to_string(),
                    zh: zh.to_string(),
                    en: en.to_string(),
                    synonyms: syn.iter().map(|s| s.to_string()).collect(),
                    order: if i + 1 < n { Some(i + 1) } else { None },
                })
                .collect(),
        }
    }
}

impl Pipeline {
    /// Reads stage text: labels, codes and synonyms, compared like headers
    /// (case, width and spaces ignored). Empty text is not a stage at all.
    pub fn parse(&self, text: &str) -> StageParse {
        let key = fold_stage(text);
        for (i, s) in self.stages.iter().enumerate() {
            let names = [s.code.as_str(), s.zh.as_str(), s.en.as_str()];
            if names.iter().any(|n| fold_stage(n) == key)
                || s.synonyms.iter().any(|n| fold_stage(n) == key)
            {
                return StageParse::Known(i);
            }
        }
        StageParse::Nonstandard
    }

    /// The Chinese label of a stage.
    pub fn label(&self, i: usize) -> &str {
        self.stages.get(i).map(|s| s.zh.as_str()).unwrap_or("")
    }

    /// The code of a stage.
    pub fn code(&self, i: usize) -> &str {
        self.stages.get(i).map(|s| s.code.as_str()).unwrap_or("")
    }

    /// The funnel order of a stage (1-based), `None` for lost.
    pub fn order(&self, i: usize) -> Option<usize> {
        self.stages.get(i).and_then(|s| s.order)
    }

    /// Funnel stages (lead … won) in order, as indices.
    pub fn funnel(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.stages.len())
            .filter(|&i| self.stages[i].order.is_some())
            .collect();
        v.sort_by_key(|&i| self.stages[i].order);
        v
    }

    /// Index of the won stage: the last funnel stage (of stages with the
    /// same order, the last one, as in [`Pipeline::funnel`]). Found without
    /// building the funnel: it is asked once per opportunity.
    pub fn won(&self) -> usize {
        self.stages
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.order.map(|order| (order, i)))
            .max()
            .map_or(0, |(_, i)| i)
    }

    /// Index of the lost stage, if the pipeline has one.
    pub fn lost(&self) -> Option<usize> {
        self.stages.iter().position(|s| s.order.is_none())
    }

    /// Number of funnel stages (won included).
    pub fn funnel_len(&self) -> usize {
        self.stages.iter().filter(|s| s.order.is_some()).count()
    }
}

/// Stage text compares like a header, and also without inner spaces.
fn fold_stage(s: &str) -> String {
    fold_header(s).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_stage_synonyms() {
        let p = Pipeline::default();
        let cases = [
            ("线索", "lead"),
            ("潜在客户", "lead"),
            ("Prospecting", "lead"),
            ("需求分析中", "qualify"),
            ("Qualified To Buy", "qualify"),
            ("方案提交-待反馈", "proposal"),
            ("Proposal/Price Quote", "proposal"),
            ("商务谈判", "negotiation"),
            ("Negotiation/Review", "negotiation"),
            ("成交-维护中", "won"),
            ("Closed Won", "won"),
            ("closed won", "won"),
            ("丢单", "lost"),
            ("Closed Lost", "lost"),
            (" 报价 ", "proposal"),
        ];
        for (text, code) in cases {
            match p.parse(text) {
                StageParse::Known(i) => assert_eq!(p.code(i), code, "{text}"),
                StageParse::Nonstandard => panic!("{text} not mapped"),
            }
        }
        assert_eq!(p.parse("在跟进"), StageParse::Nonstandard);
        assert_eq!(p.parse("快成了"), StageParse::Nonstandard);
    }

    #[test]
    fn orders() {
        let p = Pipeline::default();
        assert_eq!(p.funnel_len(), 5);
        assert_eq!(p.code(p.won()), "won");
        assert_eq!(p.lost().map(|i| p.code(i)), Some("lost"));
        assert_eq!(p.order(0), Some(1));
        assert_eq!(p.order(5), None);
    }

    /// The won stage and the funnel's length follow the stages' orders,
    /// not their places: the last of the funnel (of two with the highest
    /// order, the later), whatever the order they are listed in.
    #[test]
    fn won_is_the_last_funnel_stage_whatever_the_listing() {
        let stage = |code: &str, order: Option<usize>| StageDef {
            code: code.into(),
            zh: code.into(),
            en: code.into(),
            synonyms: Vec::new(),
            order,
        };
        let p = Pipeline {
            stages: vec![
                stage("lead", Some(1)),
                stage("lost", None),
                stage("signed", Some(3)),
                stage("qualify", Some(2)),
                stage("won", Some(3)),
                stage("talk", Some(2)),
            ],
        };
        assert_eq!(p.funnel(), vec![0, 3, 5, 2, 4]);
        assert_eq!(p.code(p.won()), "won");
        assert_eq!(p.funnel_len(), 5);
        assert_eq!(p.lost(), Some(1));
        let none = Pipeline {
            stages: vec![stage("lost", None)],
        };
        assert_eq!((none.won(), none.funnel_len()), (0, 0));
    }
}
