//! Writers: the summary and findings of a run → `summary.json`, `report.xlsx`
//! and `report.html`, and with `--by-owner` one review per rep (`reps.rs`).
//! Writers never compute a metric; they format what `metrics/` produced,
//! with labels from `i18n`, contacts and phones masked by `privacy`.

pub mod html;
pub mod i18n;
pub mod json;
pub mod privacy;
pub mod reps;
pub mod sections;
pub mod summary;
pub mod svg;
pub mod view;
pub mod xlsx;

#[cfg(test)]
mod fixture;
