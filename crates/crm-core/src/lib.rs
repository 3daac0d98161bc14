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
pub mod followup;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod opportunity;
mod parallel;
mod row_reader;
pub mod schema;
pub mod tables;

/// A hash map for the hot lookups keyed by cell text, names and dedup keys:
/// foldhash is several times faster than the standard SipHash on short
/// keys, and seeded per run, so crafted inputs cannot plan collisions.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The set of [`FastMap`].
pub type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
