//! The configuration (`crm-report.toml`): extra synonyms, thresholds and
//! switches. Every default lives here, in one place; a missing file means
//! the defaults, and unknown keys are an error so typos are caught.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::Path;

use crate::model::TableKind;
use crate::normalize::date::DateOrder;
use crate::normalize::stage::{Pipeline, StageDef};
use crate::schema::Field;

/// The config file name looked for in the working directory.
pub const CONFIG_FILE: &str = "crm-report.toml";

/// All settings of a run.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Order tried for ambiguous day/month dates: `ymd` (then `dmy`), `dmy` or `mdy`.
    pub date_order: String,
    /// Currency of amounts (`CNY` or `USD`); nothing is converted.
    pub currency: String,
    /// Extra column synonyms: field id → header texts.
    pub columns: BTreeMap<String, Vec<String>>,
    /// Need synonyms: variant → canonical phrase.
    pub needs: BTreeMap<String, String>,
    /// Follow-up cadence thresholds.
    pub cadence: Cadence,
    /// ABC grading thresholds.
    pub grading: Grading,
    /// Privacy switches.
    pub pii: Pii,
    /// The forward view: stage probabilities of the weighted pipeline.
    pub forecast: Forecast,
    /// File profiles (`[[profile]]`): how to read files whose name matches a
    /// pattern — which sheet, which table kind, which header row, which
    /// column means which field. Every profile matching a file applies.
    #[serde(rename = "profile")]
    pub profiles: Vec<Profile>,
    /// Stall thresholds of time in stage.
    pub stall: Stall,
    /// The team's own pipeline (`[[stage]]`, metrics.md §1): funnel stages
    /// in order with the won stage last of them, and a lost stage. Empty:
    /// the default five stages and lost.
    #[serde(rename = "stage")]
    pub stages: Vec<StageConfig>,
}

/// One stage of a custom pipeline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageConfig {
    /// Language-neutral code (used by `[forecast.stage_probability]`,
    /// `[stall.by_stage]` and summary.json).
    pub code: String,
    /// Chinese label.
    pub zh: String,
    /// English label (the Chinese one when not given).
    #[serde(default)]
    pub en: Option<String>,
    /// Texts that mean this stage besides the code and the labels.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// True for the won stage: the last funnel stage.
    #[serde(default)]
    pub won: bool,
    /// True for the lost stage: outside the funnel.
    #[serde(default)]
    pub lost: bool,
}

/// When an open opportunity counts as stalled in its stage (days of the current stay).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stall {
    /// Threshold for every stage, days.
    pub days: i64,
    /// Per-stage thresholds by stage code, overriding `days`.
    pub by_stage: BTreeMap<String, i64>,
}

impl Default for Stall {
    fn default() -> Self {
        Stall {
            days: 30,
            by_stage: BTreeMap::new(),
        }
    }
}

impl Stall {
    /// The threshold of a stage.
    pub fn threshold(&self, code: &str) -> i64 {
        self.by_stage.get(code).copied().unwrap_or(self.days)
    }
}

/// Allowed days between touches (metrics.md §4).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cadence {
    /// Grade A, days.
    pub a: i64,
    /// Grade B, days.
    pub b: i64,
    /// Grade C and ungraded, days.
    pub c: i64,
    /// Customers in maintenance, days.
    pub maintenance: i64,
}

/// Annual-amount thresholds of the computed grade (metrics.md §5), in currency units.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Grading {
    /// At or above: grade A.
    pub a: f64,
    /// At or above: grade B.
    pub b: f64,
}

/// Privacy rules of the team's template.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Pii {
    /// Raise `personal_phone` for mainland mobiles.
    pub flag_mobile: bool,
}

/// Forward-view settings (metrics.md §10).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Forecast {
    /// Win probability (0–1) per stage code, used for an open deal whose row
    /// gives none. Keys given in the file replace those defaults one by one;
    /// the others stay.
    #[serde(deserialize_with = "over_default_probabilities")]
    pub stage_probability: BTreeMap<String, f64>,
}

impl Default for Forecast {
    fn default() -> Self {
        Forecast {
            stage_probability: [
                ("lead", 0.1),
                ("qualify", 0.3),
                ("proposal", 0.5),
                ("negotiation", 0.7),
            ]
            .into_iter()
            .map(|(code, p)| (code.to_string(), p))
            .collect(),
        }
    }
}

/// Reads `[forecast.stage_probability]` on top of the default table.
fn over_default_probabilities<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, f64>, D::Error> {
    let mut out = Forecast::default().stage_probability;
    out.extend(BTreeMap::<String, f64>::deserialize(d)?);
    Ok(out)
}

impl Default for Config {
    fn default() -> Self {
        Config {
            date_order: "ymd".into(),
            currency: "CNY".into(),
            columns: BTreeMap::new(),
            needs: BTreeMap::new(),
            cadence: Cadence::default(),
            grading: Grading::default(),
            pii: Pii::default(),
            forecast: Forecast::default(),
            profiles: Vec::new(),
            stall: Stall::default(),
            stages: Vec::new(),
        }
    }
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            a: 7,
            b: 14,
            c: 30,
            maintenance: 90,
        }
    }
}

impl Default for Grading {
    fn default() -> Self {
        Grading {
            a: 500_000.0,
            b: 100_000.0,
        }
    }
}

impl Default for Pii {
    fn default() -> Self {
        Pii { flag_mobile: true }
    }
}

/// One `[[profile]]`: settings for the files whose name matches `match`.
/// Command-line flags (`--kind`, `--sheet`) win over a profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// A file-name pattern: `*` any run of characters, `?` one character,
    /// case ignored (`*商机导出*.xlsx`, `hubspot-*.csv`). A pattern holding
    /// `/` is matched against the whole path as given, `/`-separated and
    /// without a leading `./`.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Only this sheet of a matching file is read (a CSV's one sheet is
    /// named after the file).
    #[serde(default)]
    pub sheet: Option<String>,
    /// The table kind, instead of classifying the sheet (`customers`,
    /// `followups`, `combined`, `opportunities`, `roster`, `targets`, `complaints`).
    #[serde(default)]
    pub kind: Option<String>,
    /// The 1-based row that holds the column names; header detection is skipped.
    #[serde(default)]
    pub header_row: Option<usize>,
    /// Header text → field id, for this file only; tried before every other synonym.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

impl Profile {
    /// True when the pattern matches the file: its name, or its whole path
    /// when the pattern holds a `/`.
    pub fn matches_file(&self, path: &Path) -> bool {
        let pattern = self.pattern.trim();
        if pattern.contains('/') {
            let shown = path.display().to_string().replace('\\', "/");
            let shown = shown.trim_start_matches("./");
            return glob_match(pattern.trim_start_matches("./"), shown);
        }
        path.file_name()
            .is_some_and(|name| glob_match(pattern, &name.to_string_lossy()))
    }

    /// True when the profile applies to this sheet (it names no sheet, or this one).
    pub fn matches_sheet(&self, sheet: &str) -> bool {
        self.sheet
            .as_deref()
            .is_none_or(|s| s.trim() == sheet.trim())
    }

    /// The forced table kind, if any (checked when the config is loaded).
    pub fn table_kind(&self) -> Option<TableKind> {
        self.kind
            .as_deref()
            .and_then(|k| TableKind::parse(k.trim()))
    }

    /// The column overrides as (header text, field) pairs.
    pub fn column_overrides(&self) -> Vec<(String, Field)> {
        self.columns
            .iter()
            .filter_map(|(header, id)| field_by_id(id).map(|f| (header.clone(), f)))
            .collect()
    }

    /// Checks the values TOML types cannot.
    fn check(&self) -> Result<(), String> {
        if self.pattern.trim().is_empty() {
            return Err(
                "`match` is empty; give a file-name pattern such as \"*商机*.xlsx\"".into(),
            );
        }
        if let Some(k) = &self.kind {
            if self.table_kind().is_none() {
                return Err(format!("kind `{k}` is not customers, followups, combined, opportunities, roster, targets or complaints"));
            }
        }
        if self.header_row == Some(0) {
            return Err("header_row counts from 1 (the first row of the sheet is 1)".into());
        }
        if let Some(s) = &self.sheet {
            if s.trim().is_empty() {
                return Err("sheet is empty; give a sheet name or leave the key out".into());
            }
        }
        for (header, id) in &self.columns {
            if field_by_id(id).is_none() {
                return Err(format!("columns: \"{header}\" names unknown field `{id}`"));
            }
        }
        Ok(())
    }
}

/// The field with this id (`deal_amount`), if any.
fn field_by_id(id: &str) -> Option<Field> {
    Field::ALL.iter().copied().find(|f| f.id() == id.trim())
}

/// Matches `text` against a file-name pattern: `*` stands for any run of
/// characters (none included), `?` for exactly one, every other character
/// for itself; case is ignored. The whole text must match.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().flat_map(char::to_lowercase).collect();
    let t: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it has taken up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == '?' || c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                // Let the last `*` take one more character, and retry.
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    pi = sp + 1;
                    ti = st + 1;
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Io {
        /// The path tried.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys.
    #[error("config {path} is invalid: {message}")]
    Invalid {
        /// The path tried.
        path: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Loads a config: the given path, else `crm-report.toml` in the working
    /// directory when it exists, else the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(CONFIG_FILE).is_file() => Path::new(CONFIG_FILE).to_path_buf(),
            None => return Ok(Config::default()),
        };
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            path: shown.clone(),
            source,
        })?;
        let config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: shown.clone(),
            message: e.to_string().replace('\n', " "),
        })?;
        config.check().map_err(|message| ConfigError::Invalid {
            path: shown,
            message,
        })?;
        Ok(config)
    }

    /// Checks values that TOML types cannot.
    fn check(&self) -> Result<(), String> {
        self.date_order()?;
        for id in self.columns.keys() {
            if !Field::ALL.iter().any(|f| f.id() == id) {
                return Err(format!("[columns] names unknown field `{id}`"));
            }
        }
        for (i, profile) in self.profiles.iter().enumerate() {
            profile.check().map_err(|e| {
                format!(
                    "[[profile]] #{} (match = \"{}\"): {e}",
                    i + 1,
                    profile.pattern
                )
            })?;
        }
        for (code, p) in &self.forecast.stage_probability {
            if !(0.0..=1.0).contains(p) {
                return Err(format!(
                    "[forecast.stage_probability] {code} = {p} is not between 0 and 1"
                ));
            }
        }
        self.check_stages()?;
        let pipeline = self.pipeline();
        let known = |code: &str| pipeline.stages.iter().any(|s| s.code == code);
        for code in self.stall.by_stage.keys() {
            if !known(code) {
                return Err(format!(
                    "[stall.by_stage] names unknown stage code `{code}`"
                ));
            }
        }
        if !self.stages.is_empty() {
            for code in self.forecast.stage_probability.keys() {
                let default = Forecast::default().stage_probability.contains_key(code);
                if !known(code) && !default {
                    return Err(format!(
                        "[forecast.stage_probability] names unknown stage code `{code}`"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks `[[stage]]`: unique codes and labels, exactly one won stage
    /// and it last of the funnel stages, at most one lost stage.
    fn check_stages(&self) -> Result<(), String> {
        if self.stages.is_empty() {
            return Ok(());
        }
        let mut seen: Vec<String> = Vec::new();
        for s in &self.stages {
            if s.code.trim().is_empty() || s.zh.trim().is_empty() {
                return Err("[[stage]] needs a code and a zh label".into());
            }
            if s.won && s.lost {
                return Err(format!("[[stage]] `{}` is both won and lost", s.code));
            }
            for name in [&s.code, &s.zh] {
                let key = name.trim().to_lowercase();
                if seen.contains(&key) {
                    return Err(format!("[[stage]] `{name}` is named twice"));
                }
                seen.push(key);
            }
        }
        let funnel: Vec<&StageConfig> = self.stages.iter().filter(|s| !s.lost).collect();
        match funnel.iter().filter(|s| s.won).count() {
            1 => {}
            n => {
                return Err(format!(
                    "[[stage]] needs exactly one stage with won = true (found {n})"
                ))
            }
        }
        if !funnel.last().is_some_and(|s| s.won) {
            return Err(
                "[[stage]]: the won stage must be the last stage of the funnel (lost stages aside)"
                    .into(),
            );
        }
        if self.stages.iter().filter(|s| s.lost).count() > 1 {
            return Err("[[stage]]: at most one stage may have lost = true".into());
        }
        Ok(())
    }

    /// The pipeline of this config: `[[stage]]` when given, else the default.
    pub fn pipeline(&self) -> Pipeline {
        if self.stages.is_empty() {
            return Pipeline::default();
        }
        let mut order = 0;
        let mut stages: Vec<StageDef> = Vec::new();
        for s in self.stages.iter().filter(|s| !s.lost) {
            order += 1;
            stages.push(stage_def(s, Some(order)));
        }
        stages.extend(
            self.stages
                .iter()
                .filter(|s| s.lost)
                .map(|s| stage_def(s, None)),
        );
        Pipeline { stages }
    }

    /// The configured order for ambiguous dates.
    pub fn date_order(&self) -> Result<DateOrder, String> {
        match self.date_order.to_ascii_lowercase().as_str() {
            "ymd" => Ok(DateOrder::Ymd),
            "dmy" => Ok(DateOrder::Dmy),
            "mdy" => Ok(DateOrder::Mdy),
            other => Err(format!("date_order `{other}` is not ymd, dmy or mdy")),
        }
    }

    /// The profiles whose pattern matches the file, in config order.
    pub fn profiles_for(&self, path: &Path) -> Vec<&Profile> {
        self.profiles
            .iter()
            .filter(|p| p.matches_file(path))
            .collect()
    }

    /// Extra column synonyms as (header text, field) pairs.
    pub fn column_synonyms(&self) -> Vec<(String, Field)> {
        let mut out = Vec::new();
        for (id, headers) in &self.columns {
            if let Some(f) = Field::ALL.iter().find(|f| f.id() == id) {
                out.extend(headers.iter().map(|h| (h.clone(), *f)));
            }
        }
        out
    }
}

/// A configured stage as the pipeline holds it.
fn stage_def(s: &StageConfig, order: Option<usize>) -> StageDef {
    StageDef {
        code: s.code.trim().to_string(),
        zh: s.zh.trim().to_string(),
        en: s
            .en
            .clone()
            .unwrap_or_else(|| s.zh.clone())
            .trim()
            .to_string(),
        synonyms: s.synonyms.clone(),
        order,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c: Config =
            toml::from_str("[cadence]\na = 5\n[columns]\nowner = [\"签单人\"]\n").unwrap();
        assert_eq!(c.cadence.a, 5);
        assert_eq!(c.cadence.b, 14);
        assert_eq!(
            c.column_synonyms(),
            vec![("签单人".to_string(), Field::Owner)]
        );
        assert!(c.check().is_ok());
    }

    #[test]
    fn stage_probabilities_override_one_by_one() {
        let c = Config::default();
        assert_eq!(c.forecast.stage_probability.get("proposal"), Some(&0.5));
        let c: Config =
            toml::from_str("[forecast.stage_probability]\nlead = 0.2\nwon_back = 0.05\n").unwrap();
        let p = &c.forecast.stage_probability;
        assert_eq!(p.get("lead"), Some(&0.2));
        assert_eq!(p.get("negotiation"), Some(&0.7));
        assert_eq!(p.get("won_back"), Some(&0.05));
        assert!(c.check().is_ok());
        let c: Config = toml::from_str("[forecast.stage_probability]\nlead = 10\n").unwrap();
        assert!(c.check().is_err());
    }

    #[test]
    fn glob_patterns() {
        assert!(glob_match("*商机导出*.xlsx", "2024年商机导出-华东.xlsx"));
        assert!(glob_match("*商机导出*.xlsx", "商机导出.XLSX"));
        assert!(!glob_match("*商机导出*.xlsx", "商机导出.xlsx.bak"));
        assert!(glob_match("hubspot-*.csv", "HubSpot-deals-2024.csv"));
        assert!(!glob_match("hubspot-*.csv", "my-hubspot-deals.csv"));
        assert!(glob_match("deals-202?.csv", "deals-2024.csv"));
        assert!(!glob_match("deals-202?.csv", "deals-20245.csv"));
        assert!(glob_match("*", ""));
        assert!(glob_match("**a*", "bab"));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("a*b*c", "aXbYcZ"));
        assert!(glob_match("客户?.csv", "客户甲.csv"));
        assert!(!glob_match("", "x"));
    }

    #[test]
    fn profiles_parse_match_and_check() {
        let text = r#"
[[profile]]
match = "*商机导出*.xlsx"
sheet = "商机"
kind = "opportunities"
header_row = 3
columns = { "签单金额" = "deal_amount", "跟单员" = "owner" }

[[profile]]
match = "exports/hubspot-*.csv"
"#;
        let c: Config = toml::from_str(text).unwrap();
        assert!(c.check().is_ok());
        assert_eq!(c.profiles.len(), 2);
        let p = &c.profiles[0];
        assert_eq!(p.table_kind(), Some(TableKind::Opportunities));
        assert_eq!(p.header_row, Some(3));
        assert_eq!(
            p.column_overrides(),
            vec![
                ("签单金额".to_string(), Field::DealAmount),
                ("跟单员".to_string(), Field::Owner)
            ]
        );
        assert!(p.matches_sheet("商机") && !p.matches_sheet("说明"));
        let path = Path::new("in/2024商机导出.xlsx");
        assert_eq!(c.profiles_for(path).len(), 1);
        assert!(c.profiles[1].matches_file(Path::new("exports/hubspot-1.csv")));
        assert!(!c.profiles[1].matches_file(Path::new("other/hubspot-1.csv")));
        assert!(c.profiles[1].matches_file(Path::new("./exports/hubspot-1.csv")));
        assert!(c.profiles[1].matches_sheet("anything"));

        for bad in [
            "[[profile]]\nmatch = \"\"",
            "[[profile]]\nmatch = \"*.csv\"\nkind = \"deals\"",
            "[[profile]]\nmatch = \"*.csv\"\nheader_row = 0",
            "[[profile]]\nmatch = \"*.csv\"\ncolumns = { \"x\" = \"nope\" }",
        ] {
            let c: Config = toml::from_str(bad).unwrap();
            assert!(c.check().is_err(), "{bad}");
        }
        assert!(toml::from_str::<Config>("[[profile]]\nsheet = \"x\"").is_err());
        assert!(toml::from_str::<Config>("[[profile]]\nmatch = \"x\"\nhedaer_row = 2").is_err());
    }

    #[test]
    fn unknown_keys_and_fields_are_errors() {
        assert!(toml::from_str::<Config>("cadnce = 1").is_err());
        let c: Config = toml::from_str("[columns]\nnope = [\"x\"]").unwrap();
        assert!(c.check().is_err());
        let c: Config = toml::from_str("date_order = \"xyz\"").unwrap();
        assert!(c.check().is_err());
    }
}
