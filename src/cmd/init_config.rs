//! `crm-report init-config`: writes a commented `crm-report.toml` that lists
//! every setting of the configuration (`crm_core::config`) at its default
//! value, with commented examples of column synonyms, need synonyms and file
//! profiles, so a team edits a file instead of reading docs. The defaults
//! are taken from `Config::default()`, never repeated here; the file loads
//! back to exactly the defaults. An existing file is only replaced with
//! `--force`.

use std::io::Write;
use std::path::Path;

use crm_core::config::Config;
use crm_core::normalize::stage::Pipeline;

use crate::cli::InitConfigArgs;
use crate::error::AppError;
use crate::output::write_atomic;

/// Example extra column synonyms (`[columns]`).
const COLUMNS_EXAMPLE: &str = "owner = [\"签单人\", \"业务员\"]\ndeal_amount = [\"签单金额\"]\n";

/// Example need synonyms (`[needs]`).
const NEEDS_EXAMPLE: &str = "\"客户关系管理\" = \"CRM系统\"\n\"BI报表\" = \"报表可视化\"\n";

/// Example per-stage stall thresholds (`[stall.by_stage]`).
const STALL_EXAMPLE: &str = "proposal = 45\n";

/// Example file profiles (`[[profile]]`).
/// A three-step pipeline with won and lost, commented out unless asked for.
const STAGES_EXAMPLE: &str = r#"[[stage]]
code = "lead"
zh = "线索"
en = "Lead"
synonyms = ["潜在客户", "新线索"]

[[stage]]
code = "proposal"
zh = "方案报价"
en = "Proposal"
synonyms = ["报价", "方案沟通"]

[[stage]]
code = "contract"
zh = "合同谈判"
en = "Contract"
synonyms = ["商务谈判", "合同审批"]

[[stage]]
code = "won"
zh = "成交"
en = "Won"
won = true
synonyms = ["已签约"]

[[stage]]
code = "lost"
zh = "流失"
en = "Lost"
lost = true
synonyms = ["丢单"]
"#;

const PROFILE_EXAMPLE: &str = "[[profile]]
match = \"*商机导出*.xlsx\"
sheet = \"商机\"
kind = \"opportunities\"
header_row = 3
[profile.columns]
\"签单金额\" = \"deal_amount\"
\"跟单员\" = \"owner\"

[[profile]]
match = \"hubspot-*.csv\"
kind = \"opportunities\"
";

/// Runs the init-config command.
pub fn run(args: &InitConfigArgs) -> Result<(), AppError> {
    let path = &args.path;
    let text = config_text(false);
    if args.force {
        write_atomic(path, text.as_bytes()).map_err(|e| AppError::output(path, e))?;
    } else {
        write_new(path, text.as_bytes())?;
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "wrote {}: every setting at its default; edit it, then run a command in this directory{}",
        path.display(),
        if path == Path::new(crm_core::config::CONFIG_FILE) {
            String::new()
        } else {
            format!(" with --config {}", path.display())
        }
    );
    Ok(())
}

/// Creates `path` with `bytes`; an existing file is a usage error.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(AppError::Usage(format!(
                "{} already exists; pass --force to overwrite it, or give another path",
                path.display()
            )))
        }
        Err(e) => return Err(AppError::output(path, e)),
    };
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| AppError::output(path, e))
}

/// Prefixes every line with `# ` (blank lines get a bare `#`).
fn commented(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "#\n".to_string()
            } else {
                format!("# {l}\n")
            }
        })
        .collect()
}

/// The config file text: every setting at its default, with comments. The
/// examples are commented out, or active when `examples` is set (tests).
pub fn config_text(examples: bool) -> String {
    let d = Config::default();
    let example = |text: &str| {
        if examples {
            text.to_string()
        } else {
            commented(text)
        }
    };
    // Stage probabilities in funnel order, then any other code.
    let pipeline = Pipeline::default();
    let mut codes: Vec<String> = pipeline
        .funnel()
        .into_iter()
        .map(|i| pipeline.code(i).to_string())
        .filter(|c| d.forecast.stage_probability.contains_key(c))
        .collect();
    for code in d.forecast.stage_probability.keys() {
        if !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    let probabilities: String = codes
        .iter()
        .map(|c| format!("{c} = {:?}\n", d.forecast.stage_probability[c]))
        .collect();
    format!(
        r#"# crm-report configuration: every setting, at its default value.
# crm-report reads ./crm-report.toml in the working directory, or the file
# given with --config FILE. Change what your team needs and delete the rest;
# an unknown key is an error, so a typo is caught. Written by
# `crm-report init-config` (crm-report {version}).

# Order tried for a date column whose values do not prove the day/month
# order (03/04/2024): "ymd" (year first; day-first when the year is last),
# "dmy" or "mdy". Such a column raises one ambiguous_date_column warning.
date_order = {date_order:?}

# Currency of every amount: "CNY" (yuan, with 万 and 亿 forms) or "USD" (an
# English CRM export). Only symbols and number formats change: nothing is
# ever converted.
currency = {currency:?}

# Extra column names, on top of the built-in Chinese and English synonyms:
# field id = [header texts]. `crm-report inspect FILE` shows how each column
# maps and which field ids there are.
[columns]
{columns}
# Need synonyms of the top-needs ranking: phrase as written = phrase it
# counts as.
[needs]
{needs}
# Follow-up cadence: the most days allowed between two touches of an active
# customer, by grade (ungraded customers use c), and of a customer in
# maintenance (a won deal, nothing open).
[cadence]
a = {cadence_a}
b = {cadence_b}
c = {cadence_c}
maintenance = {maintenance}

# Computed ABC grade: the won amount signed in the 365 days up to the as-of
# date, in currency units; at or above a gives A, at or above b gives B, else C.
[grading]
a = {grading_a:?}
b = {grading_b:?}

# Privacy: raise personal_phone for a mainland mobile number in a phone
# column (the template asks for work phones).
[pii]
flag_mobile = {flag_mobile}

# Weighted pipeline: the win probability (0 to 1) of an open deal at each
# stage, used when its row gives none. Keys given here replace these one by one.
[forecast.stage_probability]
{probabilities}
# Time in stage: an open deal is stalled after this many days in its
# current stage; by_stage sets it per stage code.
[stall]
days = {stall_days}

[stall.by_stage]
{stall}
# File profiles: how to read the files whose name matches `match` (* stands
# for any characters, ? for one; case is ignored; a pattern holding / is
# matched against the whole path). Every profile matching a file applies; the
# first to set a setting wins it. --kind and --sheet on the command line win
# over a profile. Keys besides match, all optional:
#   sheet       only this sheet of the file is read
#   kind        customers, followups, combined, opportunities, roster,
#               targets or complaints (instead of classifying the sheet)
#   header_row  the row holding the column names, 1 = the first row
#               (header detection is skipped)
#   columns     header text = field id, for these files only
#
{profiles}
# Your own pipeline, replacing the default stages (线索 → 需求分析 → 方案沟通 →
# 商务谈判 → 成交, and 流失): one [[stage]] per stage, funnel stages in order,
# the won stage (won = true) last of them, then the lost stage (lost = true).
# A stage cell matches the code, zh, en or any synonym (case and spaces
# ignored). The funnel, cycle, forecast and time in stage then use these
# stages; [forecast.stage_probability] and [stall.by_stage] take their codes.
#
{stages}"#,
        version = env!("CARGO_PKG_VERSION"),
        date_order = d.date_order,
        currency = d.currency,
        columns = example(COLUMNS_EXAMPLE),
        needs = example(NEEDS_EXAMPLE),
        cadence_a = d.cadence.a,
        cadence_b = d.cadence.b,
        cadence_c = d.cadence.c,
        maintenance = d.cadence.maintenance,
        grading_a = d.grading.a,
        grading_b = d.grading.b,
        flag_mobile = d.pii.flag_mobile,
        stall_days = d.stall.days,
        stall = example(STALL_EXAMPLE),
        profiles = example(PROFILE_EXAMPLE),
        stages = example(STAGES_EXAMPLE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::schema::Field;

    /// Loads a config text through `Config::load`, as a run does.
    fn load(text: &str) -> Config {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("crm-report.toml");
        std::fs::write(&path, text).expect("write");
        Config::load(Some(&path)).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn the_written_text_loads_back_to_the_defaults() {
        let loaded = load(&config_text(false));
        assert_eq!(format!("{loaded:?}"), format!("{:?}", Config::default()));
    }

    #[test]
    fn the_examples_are_valid_settings() {
        let c = load(&config_text(true));
        assert_eq!(c.columns["owner"], vec!["签单人", "业务员"]);
        assert_eq!(c.needs["BI报表"], "报表可视化");
        assert_eq!(c.stall.threshold("proposal"), 45);
        assert_eq!(c.profiles.len(), 2);
        let pipeline = c.pipeline();
        let codes: Vec<&str> = pipeline.stages.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["lead", "proposal", "contract", "won", "lost"]);
        assert_eq!(pipeline.code(pipeline.won()), "won");
        assert_eq!(pipeline.lost().map(|i| pipeline.code(i)), Some("lost"));
        assert_eq!(
            pipeline.parse("报价"),
            crm_core::normalize::stage::StageParse::Known(1)
        );
        assert_eq!(c.profiles[0].header_row, Some(3));
        assert_eq!(
            c.profiles[0].column_overrides(),
            vec![
                ("签单金额".to_string(), Field::DealAmount),
                ("跟单员".to_string(), Field::Owner)
            ]
        );
    }

    /// Every field name of the config (read off its `Debug` form, so a
    /// setting added later is caught) is written as a key or a table.
    #[test]
    fn every_setting_is_listed() {
        let text = config_text(true);
        let shapes = format!(
            "{:?} {:?}",
            Config::default(),
            crm_core::config::Profile::default()
        );
        let mut names = Vec::new();
        let chars: Vec<char> = shapes.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_ascii_lowercase() && (i == 0 || matches!(chars[i - 1], ' ' | '{')) {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_lowercase() || chars[i] == '_') {
                    i += 1;
                }
                if chars.get(i) == Some(&':') {
                    names.push(chars[start..i].iter().collect::<String>());
                }
            }
            i += 1;
        }
        assert!(names.len() > 15, "{names:?}");
        for name in names {
            let key = match name.as_str() {
                "profiles" => "profile".to_string(),
                "stages" => "stage".to_string(),
                "pattern" => "match".to_string(),
                other => other.to_string(),
            };
            // A key, or a part of a table name (`[forecast.stage_probability]`).
            let listed = text.lines().any(|l| {
                let table = l.starts_with('[')
                    && l.trim_matches(['[', ']'])
                        .split('.')
                        .any(|part| part == key);
                table || l.starts_with(&format!("{key} ="))
            });
            assert!(listed, "setting `{name}` is not in the init-config text");
        }
    }
}
