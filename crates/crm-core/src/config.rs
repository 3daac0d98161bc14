//! The configuration (`crm-report.toml`): extra synonyms, thresholds and
//! switches. Every default lives here, in one place; a missing file means
//! the defaults, and unknown keys are an error so typos are caught.

use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::Path;

use crate::normalize::date::DateOrder;
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
        for (code, p) in &self.forecast.stage_probability {
            if !(0.0..=1.0).contains(p) {
                return Err(format!(
                    "[forecast.stage_probability] {code} = {p} is not between 0 and 1"
                ));
            }
        }
        Ok(())
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
    fn unknown_keys_and_fields_are_errors() {
        assert!(toml::from_str::<Config>("cadnce = 1").is_err());
        let c: Config = toml::from_str("[columns]\nnope = [\"x\"]").unwrap();
        assert!(c.check().is_err());
        let c: Config = toml::from_str("date_order = \"xyz\"").unwrap();
        assert!(c.check().is_err());
    }
}
