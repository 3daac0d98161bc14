//! One spreadsheet cell as the generator decides it, independent of the
//! output format: text, a number, a real date, or a date that lost its
//! format and shows as an Excel serial number.
//!
//! The CSV writers render every variant as text; the xlsx writer keeps
//! numbers and dates typed. Both read the same `Cell`s, so the CSV and
//! xlsx samples of one seed hold the same data.

use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// A cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing in the cell.
    Empty,
    /// Text, written as is.
    Text(String),
    /// A number (an xlsx number cell; plain digits in CSV).
    Number(f64),
    /// A real date cell in xlsx; ISO `YYYY-MM-DD` text in CSV.
    Date(NaiveDate),
    /// A date whose cell format was lost: its Excel serial number.
    Serial(NaiveDate),
}

impl Cell {
    /// A text cell, or an empty one for empty text.
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// The cell as CSV text (before quoting).
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Number(v) => Cow::Owned(format_number(*v)),
            Cell::Date(d) => Cow::Owned(iso(*d)),
            Cell::Serial(d) => Cow::Owned(excel_serial(*d).to_string()),
        }
    }
}

/// A number as a spreadsheet shows it in General format: no exponent, no
/// trailing `.0` on whole numbers.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A date as ISO `YYYY-MM-DD` (cheaper than chrono's `format`, which
/// parses its pattern on every call).
pub fn iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The Excel (1900 system) serial number of a date.
pub fn excel_serial(d: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid epoch");
    (d - epoch).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_as_text() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(Cell::Date(d).to_text(), "2026-03-05");
        assert_eq!(Cell::Serial(d).to_text(), "46086");
        assert_eq!(Cell::Number(128000.0).to_text(), "128000");
        assert_eq!(Cell::Number(12.5).to_text(), "12.5");
        assert_eq!(Cell::Number(13812345678.0).to_text(), "13812345678");
        assert_eq!(Cell::Empty.to_text(), "");
    }
}
