//! The cleaned data (`clean`): canonical tables laid out as rows of text
//! with their original values for the standard-form workbook, and as typed
//! columns named by field id for CSV and Parquet.

pub mod csv;
pub mod parquet;
pub mod tables;
pub mod typed;
pub mod xlsx;

/// Writes each table as `<dir>/<prefix><table>.<ext>` with `render`; returns the paths.
fn write_each(
    tables: &[typed::TypedTable],
    dir: &std::path::Path,
    prefix: &str,
    ext: &str,
    render: impl Fn(&typed::TypedTable) -> std::io::Result<Vec<u8>>,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    for t in tables {
        let p = dir.join(format!("{prefix}{}.{ext}", t.name));
        crate::output::write_atomic(&p, &render(t)?)?;
        written.push(p);
    }
    Ok(written)
}
