//! Cleaned tables as CSV: one file per table, UTF-8 with a BOM so Excel
//! opens it, and spreadsheet formula injection neutralized.

use std::path::{Path, PathBuf};

use super::typed::TypedTable;

/// Prefixes a cell that a spreadsheet would run as a formula with `'`.
pub fn neutralize(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// Quotes a CSV field when needed.
fn field(text: &str) -> String {
    let t = neutralize(text);
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

/// Renders one table as CSV bytes (BOM, CRLF line ends as Excel writes
/// them), the header row giving the column ids.
pub fn render(table: &TypedTable) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    s.push_str(&line(
        table.columns.iter().map(|c| field(&c.name)).collect(),
    ));
    for i in 0..table.rows() {
        s.push_str(&line(
            table
                .columns
                .iter()
                .map(|c| field(&c.data.text_at(i)))
                .collect(),
        ));
    }
    s.into_bytes()
}

/// Writes every table as `<dir>/<prefix><table>.csv`; returns the paths.
pub fn write_tables(
    tables: &[TypedTable],
    dir: &Path,
    prefix: &str,
) -> std::io::Result<Vec<PathBuf>> {
    super::write_each(tables, dir, prefix, "csv", |t| Ok(render(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::typed::{ColumnData, TypedColumn};

    #[test]
    fn formulas_are_neutralized_and_fields_quoted() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("+86 138"), "'+86 138");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("-5000"), "'-5000");
        assert_eq!(neutralize("甲公司"), "甲公司");
        let t = TypedTable {
            name: "t",
            columns: vec![
                TypedColumn {
                    name: "a".into(),
                    data: ColumnData::Text(vec![Some("x,y".into())]),
                },
                TypedColumn {
                    name: "b".into(),
                    data: ColumnData::Text(vec![Some("=HYPERLINK(\"http://x\")".into())]),
                },
            ],
            months: None,
        };
        let text = String::from_utf8(render(&t)).unwrap();
        assert_eq!(
            text,
            "\u{feff}a,b\r\n\"x,y\",\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
        );
    }
}
