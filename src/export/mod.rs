//! The cleaned data (`clean`): canonical tables laid out as rows of text
//! with their original values for the standard-form workbook, and as typed
//! columns named by field id for CSV and Parquet.

pub mod csv;
pub mod parquet;
pub mod tables;
pub mod typed;
pub mod xlsx;
