//! Writers: the summary and findings of a run → `summary.json`, `report.xlsx`
//! and `report.html`. Writers never compute a metric; they format what
//! `metrics/` produced, with labels from `i18n`.

pub mod html;
pub mod i18n;
pub mod sections;
pub mod summary;
pub mod svg;
pub mod view;
pub mod xlsx;

#[cfg(test)]
mod fixture;
