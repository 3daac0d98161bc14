//! crm-core: everything between a spreadsheet file and canonical records —
//! reading (ingest), the field table (schema), normalization, validation
//! findings and deduplication. It never depends on polars, so it builds and
//! tests in seconds and can be fuzzed; metrics and reports live in the
//! `crm-report` crate.

pub mod cells;
pub mod config;
pub mod dataset;
pub mod dedup;
pub mod findings;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod opportunity;
pub mod schema;
pub mod tables;
