//! The cleaned data (`clean`): canonical tables laid out as rows of text
//! with their original values, then written as a standard-form workbook or
//! as one CSV per table.

pub mod csv;
pub mod tables;
pub mod xlsx;
