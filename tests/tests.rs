//! Integration tests: run the `crm-report` binary on files written by real
//! writers (rust_xlsxwriter, encoding_rs) and check what it produced.

mod fixtures;
mod forward_fixtures;
mod test_forward;
mod test_report;
mod workdir;
