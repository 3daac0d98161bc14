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

/// The mapped fields that have a cell in any of the records, found in one
/// pass over their values (asking each of 60-odd fields of every record
/// was most of `clean` on a big table).
fn fields_with_cells(
    records: &[&crm_core::model::Record],
) -> crm_core::FastSet<crm_core::schema::Field> {
    let mut found = crm_core::FastSet::default();
    for r in records {
        found.extend(r.values.iter().map(|(f, _)| *f));
        found.extend(r.originals().iter().map(|(f, _)| *f));
    }
    found
}

/// The extra (unmapped) columns of records: their non-empty headers in
/// order of first appearance, a header that a sheet repeats once per
/// column under it (two `备注` columns are two columns, the second's cells
/// are not dropped), and where each column is. Looked up by header, not
/// searched: a sheet can have thousands of extra columns.
struct ExtraColumns<'a> {
    headers: Vec<&'a str>,
    /// Column by header and by how many same-named columns come before it
    /// in a row.
    index: crm_core::FastMap<(&'a str, usize), usize>,
    /// True when some row repeats a header (else every column is its
    /// header's first).
    repeats: bool,
}

impl<'a> ExtraColumns<'a> {
    /// The extra columns of `records`.
    fn of(records: &[&'a crm_core::model::Record]) -> ExtraColumns<'a> {
        let mut out = ExtraColumns {
            headers: Vec::new(),
            index: crm_core::FastMap::default(),
            repeats: false,
        };
        let mut seen = crm_core::FastMap::default();
        for r in records {
            seen.clear();
            for (h, _) in r.extras() {
                if h.is_empty() {
                    continue;
                }
                let nth: &mut usize = seen.entry(&**h).or_default();
                if !out.index.contains_key(&(&**h, *nth)) {
                    out.index.insert((h, *nth), out.headers.len());
                    out.headers.push(h);
                }
                out.repeats |= *nth > 0;
                *nth += 1;
            }
        }
        out
    }

    /// A record's text in each extra column, into `values`, which is
    /// cleared first.
    fn values_of(&self, r: &'a crm_core::model::Record, values: &mut Vec<Option<&'a str>>) {
        values.clear();
        values.resize(self.headers.len(), None);
        let mut seen: crm_core::FastMap<&str, usize> = crm_core::FastMap::default();
        for (h, v) in r.extras() {
            let nth = if self.repeats {
                let nth: &mut usize = seen.entry(&**h).or_default();
                *nth += 1;
                *nth - 1
            } else {
                0
            };
            if let Some(&c) = self.index.get(&(&**h, nth)) {
                values[c] = Some(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::model::{Origin, Record, Source, Value};
    use crm_core::schema::Field;

    fn record(extras: &[(&str, &str)]) -> Record {
        let source = std::sync::Arc::new(Source {
            file: "a.csv".into(),
            sheet: "a".into(),
        });
        let mut r = Record::new(Origin::new(&source, 2));
        r.set_extras(
            extras
                .iter()
                .map(|(h, v)| ((*h).into(), (*v).into()))
                .collect(),
        );
        r.values
            .insert(Field::CustomerName, Value::Text("甲公司".into()));
        r
    }

    /// Extra headers in order of first appearance (empty ones left out),
    /// a repeated header once per column under it; each cell lands in its
    /// own column.
    #[test]
    fn extra_columns_are_found_by_header() {
        let a = record(&[("备注", ""), ("备注", "b"), ("", "无头"), ("x", "1")]);
        let b = record(&[("y", "2"), ("备注", "c")]);
        let records = [&a, &b];
        let extras = ExtraColumns::of(&records);
        assert_eq!(extras.headers, ["备注", "备注", "x", "y"]);
        let mut values = Vec::new();
        extras.values_of(&a, &mut values);
        assert_eq!(values, [Some(""), Some("b"), Some("1"), None]);
        extras.values_of(&b, &mut values);
        assert_eq!(values, [Some("c"), None, None, Some("2")]);
        let mut c = record(&[]);
        c.originals_mut().insert(Field::Phone, "abc".into());
        let fields = fields_with_cells(&[&a, &c]);
        let mut fields: Vec<Field> = fields.into_iter().collect();
        fields.sort();
        assert_eq!(fields, [Field::CustomerName, Field::Phone]);
    }
}
