//! Normalizers: one file per kind of value (schema.md §3). Each is a small
//! pure function from cell text to a canonical value or a reason it failed;
//! none of them reads files, knows rows, or raises findings by itself.

pub mod amount;
pub mod company;
pub mod contact;
pub mod date;
pub mod grade;
pub mod industry;
pub mod method;
pub mod period;
pub mod phone;
pub mod satisfaction;
pub mod source;
pub mod stage;
pub mod text;
