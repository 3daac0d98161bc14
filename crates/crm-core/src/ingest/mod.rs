//! Ingest: files → raw sheets (cells, no interpretation). Encoding detection,
//! delimited text, workbooks, header-row detection and table classification.

mod cfb_guard;
pub mod classify;
pub mod delimited;
pub mod encoding;
pub mod excel;
pub mod file_bytes;
mod gb_pairs;
pub mod header;
mod ods_guard;
mod ods_merges;
mod ods_xml;
pub mod read;
mod xlsx_fast;
mod xlsx_skeleton;
