//! `report --by-owner`: one review per sales rep, as `reps/<owner>.html`
//! and `reps/<owner>.xlsx` beside the team report. Each page and workbook
//! has the team report's look (the same templates, cells and charts) and
//! shows only that rep's rows of the summary, every figure beside the team
//! median (`reps/review.rs`). File names are made safe and unique from the
//! owner names (`reps/file_names.rs`). Contacts and phones are masked as in
//! the team report.

mod file_names;
mod review;

use std::path::{Path, PathBuf};

use super::html::{self, heatmap_chart, rep_target_chart, PageInput};
use super::i18n::{fill, t, Lang};
use super::privacy::Shown;
use super::sections::section;
use super::summary::{RepRow, Summary};
use super::view::Section;
use super::xlsx::{self, Book};
use crate::output::write_atomic;
use file_names::safe_file_stems;
use review::{rep_kpis, rep_overview, rep_sections, reviewed};

/// The folder of the per-rep reports, inside the output directory.
pub const REPS_DIR: &str = "reps";

/// A per-rep report that could not be written.
#[derive(Debug)]
pub struct RepReportError {
    /// The file (or folder).
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl RepReportError {
    fn new(path: &Path, e: impl std::fmt::Display) -> RepReportError {
        RepReportError {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }
}

/// Writes the HTML and workbook of every rep (not `未分配`) into `dir`,
/// created if missing; returns the files written, in rep order.
pub fn write_rep_reports(
    shown: &Shown,
    lang: Lang,
    dir: &Path,
) -> Result<Vec<PathBuf>, RepReportError> {
    let s = shown.summary();
    let reps = reviewed(s);
    let names: Vec<&str> = reps.iter().map(|r| r.owner.as_str()).collect();
    let stems = safe_file_stems(&names);
    std::fs::create_dir_all(dir).map_err(|e| RepReportError::new(dir, e))?;
    let mut written = Vec::new();
    for (rep, stem) in reps.iter().zip(stems) {
        let path = dir.join(format!("{stem}.html"));
        let page = rep_html(s, rep, lang).map_err(|e| RepReportError::new(&path, e))?;
        write_atomic(&path, page.as_bytes()).map_err(|e| RepReportError::new(&path, e))?;
        written.push(path);
        let path = dir.join(format!("{stem}.xlsx"));
        let bytes = rep_xlsx(s, rep, lang).map_err(|e| RepReportError::new(&path, e))?;
        write_atomic(&path, &bytes).map_err(|e| RepReportError::new(&path, e))?;
        written.push(path);
    }
    Ok(written)
}

fn title(rep: &RepRow, lang: Lang) -> String {
    fill(t(lang, "report.rep_title"), &[("owner", rep.owner.clone())])
}

/// Every sheet of a rep's review: overview first, definitions last.
fn all_sections(s: &Summary, rep: &RepRow, lang: Lang) -> Vec<Section> {
    let mut all = vec![rep_overview(s, rep, lang)];
    all.extend(rep_sections(s, rep, lang));
    let defs = super::sections::sections(s, &[], None, lang)
        .into_iter()
        .find(|x| x.id == "definitions")
        .unwrap_or_else(|| section(lang, "definitions", Vec::new(), Vec::new()));
    all.push(defs);
    all
}

/// The rep's HTML page.
pub fn rep_html(s: &Summary, rep: &RepRow, lang: Lang) -> Result<String, minijinja::Error> {
    let mut all = all_sections(s, rep, lang);
    let overview = all.remove(0);
    let mut meta = html::meta(s, lang);
    meta.insert(0, html::meta_item(t(lang, "col.owner"), rep.owner.clone()));
    let sections = all
        .into_iter()
        .map(|section| {
            let charts = match section.id {
                "forecast" => {
                    let mine: Vec<_> = s
                        .targets
                        .iter()
                        .filter(|r| r.owner.as_deref() == Some(rep.owner.as_str()))
                        .cloned()
                        .collect();
                    rep_target_chart(lang, &mine).into_iter().collect()
                }
                "weekly" => section
                    .tables
                    .iter()
                    .find(|t| t.id == "weekly.by_method")
                    .and_then(|t| heatmap_chart(lang, "chart.weekly_methods", t, &[], false))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
            (section, charts)
        })
        .collect();
    html::render_page(
        lang,
        PageInput {
            title: title(rep, lang),
            meta,
            kpis: rep_kpis(s, rep, lang),
            overview,
            sections,
        },
    )
}

/// The rep's workbook.
pub fn rep_xlsx(
    s: &Summary,
    rep: &RepRow,
    lang: Lang,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let book = Book {
        title: title(rep, lang),
        meta: format!(
            "{}    {} {}",
            xlsx::meta_line(s, lang),
            t(lang, "col.owner"),
            rep.owner
        ),
        summary: s,
    };
    xlsx::book_bytes(&book, &all_sections(s, rep, lang), lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::fixture;
    use crate::report::privacy::Privacy;

    #[test]
    fn writes_one_page_and_workbook_per_rep() {
        let dir = std::env::temp_dir().join(format!("crm-report-reps-{}", std::process::id()));
        let mut s = fixture();
        s.reps.push(s.reps[0].clone());
        s.reps[2].owner = "../李娜".into();
        let written = write_rep_reports(&Shown::new(&s, Privacy::Mask), Lang::Zh, &dir).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["张伟.html", "张伟.xlsx", "_._李娜.html", "_._李娜.xlsx"]
        );
        assert!(written.iter().all(|p| p.parent() == Some(dir.as_path())));
        let page = std::fs::read_to_string(&written[0]).unwrap();
        assert!(page.contains("张伟") && page.contains("团队中位数"));
        // Only this rep's rows: not the unassigned to-do, a phone masked.
        assert!(!page.contains("乙公司"));
        assert!(page.contains("致电王工 138****5678"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
