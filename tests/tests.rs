//! Integration tests: run the `crm-report` binary on files written by real
//! writers (rust_xlsxwriter, encoding_rs) and check what it produced.

mod fixtures;
mod forward_fixtures;
mod ingest_fixtures;
mod test_forward;
mod test_inspect;
mod test_metrics;
mod test_report;
mod test_reports;
mod workdir;
