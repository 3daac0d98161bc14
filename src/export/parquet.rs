//! Cleaned tables as Parquet (snappy): one file per table, or — for a data
//! set that outgrows one machine — a directory per table partitioned by
//! month in Hive layout (`customers/month=2024-03/part-0.parquet`), which
//! DuckDB, Spark, Trino and polars read as one table with a `month` column.
//!
//! Written with the `parquet` crate's column writer: the polars `parquet`
//! feature would pull its streaming engine and every compression codec into
//! the build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use parquet::basic::{Compression, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::typed::{ColumnData, TypedTable};
use crate::output::write_atomic;

/// Rows per row group: bounded memory in readers, parallel scans in engines.
const ROW_GROUP: usize = 256 * 1024;

/// Directory name of rows with no date in a partitioned table.
pub const NO_MONTH: &str = "unknown";

/// The Parquet type of a column.
fn column_type(name: &str, data: &ColumnData) -> Result<Type, ParquetError> {
    let (physical, logical) = match data {
        ColumnData::Text(_) => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        ColumnData::Int(_) => (Physical::INT64, None),
        ColumnData::Money(_) => (Physical::INT64, Some(LogicalType::decimal(2, 18))),
        ColumnData::Float(_) => (Physical::DOUBLE, None),
        ColumnData::Date(_) => (Physical::INT32, Some(LogicalType::Date)),
        ColumnData::Timestamp(_) => (
            Physical::INT64,
            Some(LogicalType::timestamp(false, TimeUnit::MICROS)),
        ),
        ColumnData::Bool(_) => (Physical::BOOLEAN, None),
    };
    let mut b = Type::primitive_type_builder(name, physical)
        .with_repetition(Repetition::OPTIONAL)
        .with_logical_type(logical);
    if matches!(data, ColumnData::Money(_)) {
        b = b.with_precision(18).with_scale(2);
    }
    b.build()
}

/// The present values of `rows` of a column and their definition levels.
fn gather<T: Clone, U>(
    values: &[Option<T>],
    rows: &[usize],
    f: impl Fn(&T) -> U,
) -> (Vec<U>, Vec<i16>) {
    let mut out = Vec::with_capacity(rows.len());
    let mut levels = Vec::with_capacity(rows.len());
    for &i in rows {
        match &values[i] {
            Some(v) => {
                out.push(f(v));
                levels.push(1);
            }
            None => levels.push(0),
        }
    }
    (out, levels)
}

/// Days since 1970-01-01.
fn epoch_days(d: &NaiveDate) -> i32 {
    (*d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN)).num_days() as i32
}

/// Renders `rows` of a table (all rows when `None`) as a Parquet file.
pub fn render(table: &TypedTable, rows: Option<&[usize]>) -> Result<Vec<u8>, ParquetError> {
    let all: Vec<usize>;
    let rows = match rows {
        Some(r) => r,
        None => {
            all = (0..table.rows()).collect();
            &all
        }
    };
    let fields = table
        .columns
        .iter()
        .map(|c| column_type(&c.name, &c.data).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    let schema = Arc::new(
        Type::group_type_builder("schema")
            .with_fields(fields)
            .build()?,
    );
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by("crm-report".into())
            .build(),
    );
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, props)?;
    for chunk in rows.chunks(ROW_GROUP.max(1)) {
        let mut group = writer.next_row_group()?;
        let mut columns = table.columns.iter();
        while let Some(mut out) = group.next_column()? {
            let Some(col) = columns.next() else {
                return Err(ParquetError::General("column count mismatch".into()));
            };
            match &col.data {
                ColumnData::Text(v) => {
                    let (vals, def) = gather(v, chunk, |s| ByteArray::from(s.as_str()));
                    out.typed::<ByteArrayType>()
                        .write_batch(&vals, Some(&def), None)?;
                }
                ColumnData::Int(v) | ColumnData::Money(v) => {
                    let (vals, def) = gather(v, chunk, |n| *n);
                    out.typed::<Int64Type>()
                        .write_batch(&vals, Some(&def), None)?;
                }
                ColumnData::Float(v) => {
                    let (vals, def) = gather(v, chunk, |n| *n);
                    out.typed::<DoubleType>()
                        .write_batch(&vals, Some(&def), None)?;
                }
                ColumnData::Date(v) => {
                    let (vals, def) = gather(v, chunk, epoch_days);
                    out.typed::<Int32Type>()
                        .write_batch(&vals, Some(&def), None)?;
                }
                ColumnData::Timestamp(v) => {
                    let (vals, def) = gather(v, chunk, |t| t.and_utc().timestamp_micros());
                    out.typed::<Int64Type>()
                        .write_batch(&vals, Some(&def), None)?;
                }
                ColumnData::Bool(v) => {
                    let (vals, def) = gather(v, chunk, |b| *b);
                    out.typed::<BoolType>()
                        .write_batch(&vals, Some(&def), None)?;
                }
            }
            out.close()?;
        }
        group.close()?;
    }
    writer.into_inner()
}

/// An I/O error for a Parquet failure.
fn io(e: ParquetError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Writes every table as `<dir>/<prefix><table>.parquet`; returns the paths.
pub fn write_files(
    tables: &[TypedTable],
    dir: &Path,
    prefix: &str,
) -> std::io::Result<Vec<PathBuf>> {
    super::write_each(tables, dir, prefix, "parquet", |t| {
        render(t, None).map_err(io)
    })
}

/// Writes every table under `dir`: `dir/<table>/month=YYYY-MM/part-0.parquet`
/// for dated tables (rows with no date under `month=unknown`), and
/// `dir/<table>/part-0.parquet` for the others. Returns the table directories.
pub fn write_partitioned(tables: &[TypedTable], dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for t in tables {
        let tdir = dir.join(t.name);
        if tdir.exists() {
            std::fs::remove_dir_all(&tdir)?;
        }
        std::fs::create_dir_all(&tdir)?;
        match &t.months {
            None => write_atomic(&tdir.join("part-0.parquet"), &render(t, None).map_err(io)?)?,
            Some(months) => {
                let mut parts: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
                for (i, m) in months.iter().enumerate() {
                    parts
                        .entry(m.as_deref().unwrap_or(NO_MONTH))
                        .or_default()
                        .push(i);
                }
                if parts.is_empty() {
                    // An empty table still has its schema on disk.
                    parts.insert(NO_MONTH, Vec::new());
                }
                for (month, rows) in parts {
                    let pdir = tdir.join(format!("month={month}"));
                    std::fs::create_dir_all(&pdir)?;
                    let bytes = render(t, Some(&rows)).map_err(io)?;
                    write_atomic(&pdir.join("part-0.parquet"), &bytes)?;
                }
            }
        }
        written.push(tdir);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::typed::TypedColumn;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field as PqField;

    fn table() -> TypedTable {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        TypedTable {
            name: "t",
            columns: vec![
                TypedColumn {
                    name: "customer_name".into(),
                    data: ColumnData::Text(vec![Some("甲公司".into()), None, Some("丙".into())]),
                },
                TypedColumn {
                    name: "deal_amount".into(),
                    data: ColumnData::Money(vec![Some(12_345), None, Some(-100)]),
                },
                TypedColumn {
                    name: "signed_date".into(),
                    data: ColumnData::Date(vec![Some(d), Some(d), None]),
                },
                TypedColumn {
                    name: "won".into(),
                    data: ColumnData::Bool(vec![Some(true), Some(false), None]),
                },
            ],
            months: Some(vec![Some("2024-03".into()), None, Some("2024-03".into())]),
        }
    }

    #[test]
    fn a_table_reads_back_with_types_and_nulls() {
        let file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut &file, &render(&table(), None).unwrap()).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 3);
        let rows: Vec<Vec<String>> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| {
                r.unwrap()
                    .get_column_iter()
                    .map(|(_, f)| match f {
                        PqField::Null => "null".to_string(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(rows[0][0], "\"甲公司\"");
        assert_eq!(rows[0][1], "123.45");
        assert_eq!(rows[0][2], "2024-03-05");
        assert_eq!(rows[0][3], "true");
        assert_eq!(rows[1], ["null", "null", "2024-03-05", "false"]);
        assert_eq!(rows[2][1], "-1.00");
    }

    #[test]
    fn partitions_split_rows_by_month_and_keep_undated_rows() {
        let dir = tempfile::tempdir().unwrap();
        write_partitioned(&[table()], dir.path()).unwrap();
        let count = |p: &str| {
            let f = std::fs::File::open(dir.path().join(p)).unwrap();
            SerializedFileReader::new(f)
                .unwrap()
                .metadata()
                .file_metadata()
                .num_rows()
        };
        assert_eq!(count("t/month=2024-03/part-0.parquet"), 2);
        assert_eq!(count("t/month=unknown/part-0.parquet"), 1);
    }
}
