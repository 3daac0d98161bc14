//! Cleaned tables as CSV: one file per table, UTF-8 with a BOM so Excel
//! opens it, and spreadsheet formula injection neutralized.

use std::path::{Path, PathBuf};

use super::tables::OutTable;
use crate::output::write_atomic;

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

/// Renders one table as CSV bytes (BOM, CRLF line ends as Excel writes them).
pub fn render(table: &OutTable) -> Vec<u8> {
    let mut s = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    s.push_str(&line(table.header.iter().map(|h| field(h)).collect()));
    for row in &table.rows {
        s.push_str(&line(row.iter().map(|c| field(&c.text)).collect()));
    }
    s.into_bytes()
}

/// Writes every table next to `path` as `<stem>_<table>.csv`; returns the paths.
pub fn write_tables(tables: &[OutTable], path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "cleaned".into());
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut written = Vec::new();
    for t in tables {
        let p = dir.join(format!("{stem}_{}.csv", t.name));
        write_atomic(&p, &render(t))?;
        written.push(p);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::tables::OutCell;

    #[test]
    fn formulas_are_neutralized_and_fields_quoted() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("+86 138"), "'+86 138");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("-5000"), "'-5000");
        assert_eq!(neutralize("甲公司"), "甲公司");
        let t = OutTable {
            name: "t",
            title: "t",
            header: vec!["a".into(), "b".into()],
            rows: vec![vec![
                OutCell::plain("x,y"),
                OutCell::plain("=HYPERLINK(\"http://x\")"),
            ]],
        };
        let text = String::from_utf8(render(&t)).unwrap();
        assert_eq!(
            text,
            "\u{feff}a,b\r\n\"x,y\",\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
        );
    }
}
