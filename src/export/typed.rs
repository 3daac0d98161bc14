//! The cleaned tables as typed columns named by field id (schema.md: the ids
//! are the column names of the cleaned CSV and Parquet outputs): dates as
//! dates, amounts as exact cents, budgets split into `budget_min` /
//! `budget_max`, industries with their GB/T 4754 section and division codes,
//! and `customer_key` (the dedup key) on every row so the tables join. One
//! `deals` table gives the opportunities as the metrics count them
//! (metrics.md §1), for SQL engines (`docs/metrics.sql`).

use chrono::{NaiveDate, NaiveDateTime};

use crm_core::dataset::{Dataset, Linked};
use crm_core::model::{format_cents, format_number, Record, Value};
use crm_core::normalize::contact::mask_name;
use crm_core::normalize::phone::mask_phone;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;
use crm_core::schema::Field;

use super::tables::OutTable;

/// The values of one column, null where a row has none.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Text.
    Text(Vec<Option<String>>),
    /// Whole numbers (row numbers, stage orders).
    Int(Vec<Option<i64>>),
    /// Money in cents (Parquet DECIMAL(18,2)).
    Money(Vec<Option<i64>>),
    /// Plain numbers (probability, satisfaction).
    Float(Vec<Option<f64>>),
    /// Calendar dates.
    Date(Vec<Option<NaiveDate>>),
    /// Dates with a time of day.
    Timestamp(Vec<Option<NaiveDateTime>>),
    /// Yes / no answers.
    Bool(Vec<Option<bool>>),
}

impl ColumnData {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Text(v) => v.len(),
            ColumnData::Int(v) | ColumnData::Money(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::Timestamp(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
        }
    }

    /// Row `i` as CSV text (empty for null; the forms the reader accepts back).
    pub fn text_at(&self, i: usize) -> String {
        match self {
            ColumnData::Text(v) => v[i].clone().unwrap_or_default(),
            ColumnData::Int(v) => v[i].map(|n| n.to_string()).unwrap_or_default(),
            ColumnData::Money(v) => v[i].map(format_cents).unwrap_or_default(),
            ColumnData::Float(v) => v[i].map(format_number).unwrap_or_default(),
            ColumnData::Date(v) => v[i]
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            ColumnData::Timestamp(v) => v[i]
                .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default(),
            ColumnData::Bool(v) => v[i]
                .map(|b| if b { "是" } else { "否" }.to_string())
                .unwrap_or_default(),
        }
    }
}

/// One named column.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedColumn {
    /// Column name: a field id, a derived id (`budget_min`) or an extra header.
    pub name: String,
    /// Its values.
    pub data: ColumnData,
}

/// One cleaned table in typed form.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedTable {
    /// File name part (`customers`, `followups`, `deals`…).
    pub name: &'static str,
    /// The columns, all of one length.
    pub columns: Vec<TypedColumn>,
    /// The month (`YYYY-MM`) of each row's main date, for partitioned
    /// output; `None` for tables that are not partitioned (issues, rules…).
    pub months: Option<Vec<Option<String>>>,
}

impl TypedTable {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.data.len())
    }
}

/// How a field's values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Money,
    Range,
    Float,
    Date,
    Timestamp,
    Bool,
    Industry,
}

/// The storage kind of one value.
fn kind_of(v: &Value) -> Kind {
    match v {
        Value::Text(_) | Value::Stage(_) | Value::Grade(_) => Kind::Text,
        Value::Money(_) => Kind::Money,
        Value::MoneyRange(..) => Kind::Range,
        Value::Number(_) => Kind::Float,
        Value::Date(_) => Kind::Date,
        Value::DateTime(_) => Kind::Timestamp,
        Value::YesNo(_) => Kind::Bool,
        Value::Industry(_) => Kind::Industry,
    }
}

/// The kind of a field over all rows: the one kind its values share (dates
/// widen to timestamps when any value has a time), else text.
fn field_kind(records: &[&Record], f: Field) -> Kind {
    let mut kind: Option<Kind> = None;
    for v in records.iter().filter_map(|r| r.values.get(&f)) {
        let k = kind_of(v);
        kind = Some(match (kind, k) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (Some(Kind::Date), Kind::Timestamp) | (Some(Kind::Timestamp), Kind::Date) => {
                Kind::Timestamp
            }
            _ => return Kind::Text,
        });
    }
    kind.unwrap_or(Kind::Text)
}

/// Builds the column(s) of one field.
fn field_columns(
    records: &[&Record],
    f: Field,
    pipeline: &Pipeline,
    mask: bool,
) -> Vec<TypedColumn> {
    let values = || records.iter().map(|r| r.values.get(&f));
    let col = |name: String, data: ColumnData| TypedColumn { name, data };
    let id = f.id().to_string();
    match field_kind(records, f) {
        Kind::Text => {
            let text = values()
                .map(|v| {
                    v.map(|v| v.display(pipeline)).map(|t| match f {
                        Field::ContactName if mask => mask_name(&t),
                        Field::Phone if mask => mask_phone(&t),
                        _ => t,
                    })
                })
                .collect();
            vec![col(id, ColumnData::Text(text))]
        }
        Kind::Money => vec![col(
            id,
            ColumnData::Money(
                values()
                    .map(|v| match v {
                        Some(Value::Money(c)) => Some(*c),
                        _ => None,
                    })
                    .collect(),
            ),
        )],
        Kind::Range => {
            let end = |low: bool| {
                values()
                    .map(|v| match v {
                        Some(Value::MoneyRange(a, b)) => Some(if low { *a } else { *b }),
                        _ => None,
                    })
                    .collect()
            };
            vec![
                col(
                    id.clone(),
                    ColumnData::Text(values().map(|v| v.map(|v| v.display(pipeline))).collect()),
                ),
                col(format!("{id}_min"), ColumnData::Money(end(true))),
                col(format!("{id}_max"), ColumnData::Money(end(false))),
            ]
        }
        Kind::Float => vec![col(
            id,
            ColumnData::Float(
                values()
                    .map(|v| match v {
                        Some(Value::Number(n)) => Some(*n),
                        _ => None,
                    })
                    .collect(),
            ),
        )],
        Kind::Date => vec![col(
            id,
            ColumnData::Date(
                values()
                    .map(|v| match v {
                        Some(Value::Date(d)) => Some(*d),
                        _ => None,
                    })
                    .collect(),
            ),
        )],
        Kind::Timestamp => vec![col(
            id,
            ColumnData::Timestamp(
                values()
                    .map(|v| match v {
                        Some(Value::Date(d)) => Some(d.and_time(chrono::NaiveTime::MIN)),
                        Some(Value::DateTime(t)) => Some(*t),
                        _ => None,
                    })
                    .collect(),
            ),
        )],
        Kind::Bool => vec![col(
            id,
            ColumnData::Bool(
                values()
                    .map(|v| match v {
                        Some(Value::YesNo(b)) => Some(*b),
                        _ => None,
                    })
                    .collect(),
            ),
        )],
        Kind::Industry => {
            let part =
                |get: fn(&crm_core::normalize::industry::IndustryMatch) -> Option<String>| {
                    values()
                        .map(|v| match v {
                            Some(Value::Industry(m)) => get(m),
                            _ => None,
                        })
                        .collect()
                };
            vec![
                col(id.clone(), ColumnData::Text(part(|m| Some(m.display())))),
                col(
                    format!("{id}_section"),
                    ColumnData::Text(part(|m| Some(m.section.clone()))),
                ),
                col(
                    format!("{id}_division"),
                    ColumnData::Text(part(|m| m.division.clone())),
                ),
            ]
        }
    }
}

/// The month of a row: the first of `fields` that holds a date.
fn row_month(r: &Record, fields: &[Field]) -> Option<String> {
    fields
        .iter()
        .find_map(|f| r.date(*f))
        .map(|d| d.format("%Y-%m").to_string())
}

/// Lays out records as typed columns: `customer_key`, the mapped fields
/// present in any of them (schema order), the source place, then extra
/// columns in order of first appearance (renamed `x_<header>` if they would
/// clash with a column already there).
fn record_table(
    name: &'static str,
    rows: &[(&Record, Option<&str>)],
    month_fields: Option<&[Field]>,
    pipeline: &Pipeline,
    mask: bool,
) -> TypedTable {
    let records: Vec<&Record> = rows.iter().map(|(r, _)| *r).collect();
    let mut columns = vec![TypedColumn {
        name: "customer_key".into(),
        data: ColumnData::Text(rows.iter().map(|(_, k)| k.map(str::to_string)).collect()),
    }];
    for f in Field::ALL
        .iter()
        .copied()
        .filter(|f| records.iter().any(|r| r.originals.contains_key(f)))
    {
        columns.extend(field_columns(&records, f, pipeline, mask));
    }
    let text =
        |f: fn(&Record) -> String| ColumnData::Text(records.iter().map(|r| Some(f(r))).collect());
    columns.push(TypedColumn {
        name: "source_file".into(),
        data: text(|r| r.origin.file.clone()),
    });
    columns.push(TypedColumn {
        name: "source_sheet".into(),
        data: text(|r| r.origin.sheet.clone()),
    });
    columns.push(TypedColumn {
        name: "source_row".into(),
        data: ColumnData::Int(records.iter().map(|r| Some(r.origin.row as i64)).collect()),
    });
    let mut extras: Vec<&str> = Vec::new();
    for r in &records {
        for (h, _) in &r.extras {
            if !h.is_empty() && !extras.contains(&h.as_str()) {
                extras.push(h);
            }
        }
    }
    for h in extras {
        let mut name = h.to_string();
        while columns.iter().any(|c| c.name == name) {
            name = format!("x_{name}");
        }
        let data = records
            .iter()
            .map(|r| {
                r.extras
                    .iter()
                    .find(|(k, _)| k == h)
                    .map(|(_, v)| v.clone())
                    .filter(|v| !v.is_empty())
            })
            .collect();
        columns.push(TypedColumn {
            name,
            data: ColumnData::Text(data),
        });
    }
    let months = month_fields.map(|fs| records.iter().map(|r| row_month(r, fs)).collect());
    TypedTable {
        name,
        columns,
        months,
    }
}

/// The linked rows of a table with their customer's key.
fn linked<'a>(ds: &'a Dataset, rows: &'a [Linked]) -> Vec<(&'a Record, Option<&'a str>)> {
    rows.iter()
        .map(|l| (&l.record, l.customer.map(|i| ds.customers[i].key.as_str())))
        .collect()
}

/// The opportunities as the metrics count them (metrics.md §1): one row per
/// opportunity with its start date, stage, funnel orders and amounts.
fn deals(ds: &Dataset, opps: &[Opportunity], pipeline: &Pipeline) -> TypedTable {
    let text = |name: &str, f: &dyn Fn(&Opportunity) -> Option<String>| TypedColumn {
        name: name.into(),
        data: ColumnData::Text(opps.iter().map(f).collect()),
    };
    let date = |name: &str, f: fn(&Opportunity) -> Option<NaiveDate>| TypedColumn {
        name: name.into(),
        data: ColumnData::Date(opps.iter().map(f).collect()),
    };
    let int = |name: &str, f: &dyn Fn(&Opportunity) -> Option<i64>| TypedColumn {
        name: name.into(),
        data: ColumnData::Int(opps.iter().map(f).collect()),
    };
    let flag = |name: &str, stage: Option<usize>| TypedColumn {
        name: name.into(),
        data: ColumnData::Bool(
            opps.iter()
                .map(|o| Some(o.current.is_some() && o.current == stage))
                .collect(),
        ),
    };
    let known = |s: &str| (s != "未知" && s != "未分配").then(|| s.to_string());
    let columns = vec![
        text("customer_key", &|o| {
            o.customer.map(|i| ds.customers[i].key.clone())
        }),
        text("customer_name", &|o| Some(o.customer_name.clone())),
        text("owner", &|o| Some(o.owner.clone())),
        text("source", &|o| known(&o.source)),
        text("industry_section", &|o| known(&o.industry)),
        text("grade", &|o| known(&o.grade)),
        date("start_date", |o| o.start),
        date("signed_date", |o| o.signed),
        date("expected_close_date", |o| o.expected_close),
        text("stage", &|o| {
            o.current.map(|i| pipeline.code(i).to_string())
        }),
        int("stage_order", &|o| {
            o.current.and_then(|i| pipeline.order(i)).map(|n| n as i64)
        }),
        int("furthest_order", &|o| o.furthest.map(|n| n as i64)),
        flag("won", Some(pipeline.won())),
        flag("lost", pipeline.lost()),
        TypedColumn {
            name: "deal_amount".into(),
            data: ColumnData::Money(opps.iter().map(|o| o.amount).collect()),
        },
        TypedColumn {
            name: "probability".into(),
            data: ColumnData::Float(opps.iter().map(|o| o.probability).collect()),
        },
        TypedColumn {
            name: "collected_amount".into(),
            data: ColumnData::Money(opps.iter().map(|o| o.collected).collect()),
        },
        text("lost_at_stage", &|o| {
            o.lost_at.map(|i| pipeline.code(i).to_string())
        }),
        text("lost_reason", &|o| o.lost_reason.clone()),
    ];
    TypedTable {
        name: "deals",
        columns,
        months: Some(
            opps.iter()
                .map(|o| o.start.map(|d| d.format("%Y-%m").to_string()))
                .collect(),
        ),
    }
}

/// A text table (issues, duplicates, rules) under English column ids.
fn from_text(t: &OutTable, ids: &[&str]) -> TypedTable {
    let columns = ids
        .iter()
        .enumerate()
        .map(|(j, id)| TypedColumn {
            name: id.to_string(),
            data: ColumnData::Text(
                t.rows
                    .iter()
                    .map(|r| r.get(j).map(|c| c.text.clone()).filter(|s| !s.is_empty()))
                    .collect(),
            ),
        })
        .collect();
    TypedTable {
        name: t.name,
        columns,
        months: None,
    }
}

/// Every cleaned table of a run in typed form, in output order: customers,
/// follow-ups, opportunities and complaints (as read), deals (as counted),
/// rejected rows, then issues, duplicates and rules from `text` (the
/// workbook's tables, so the two outputs say the same).
pub fn typed_tables(
    ds: &Dataset,
    opps: &[Opportunity],
    pipeline: &Pipeline,
    text: &[OutTable],
    mask: bool,
) -> Vec<TypedTable> {
    use Field::*;
    let customers: Vec<(&Record, Option<&str>)> = ds
        .customers
        .iter()
        .map(|c| (&c.record, Some(c.key.as_str())))
        .collect();
    let mut out = vec![record_table(
        "customers",
        &customers,
        Some(&[CreatedDate, FirstContactDate, LastFollowupDate]),
        pipeline,
        mask,
    )];
    if !ds.followups.is_empty() {
        out.push(record_table(
            "followups",
            &linked(ds, &ds.followups),
            Some(&[FollowupDate]),
            pipeline,
            mask,
        ));
    }
    if !ds.opportunities.is_empty() {
        out.push(record_table(
            "opportunities",
            &linked(ds, &ds.opportunities),
            Some(&[FirstContactDate, CreatedDate, SignedDate, ExpectedCloseDate]),
            pipeline,
            mask,
        ));
    }
    if !ds.complaints.is_empty() {
        out.push(record_table(
            "complaints",
            &linked(ds, &ds.complaints),
            Some(&[ReportedAt]),
            pipeline,
            mask,
        ));
    }
    out.push(deals(ds, opps, pipeline));
    let rejected: Vec<(&Record, Option<&str>)> = ds.rejected.iter().map(|r| (r, None)).collect();
    out.push(record_table("rejected", &rejected, None, pipeline, mask));
    for t in text {
        let ids: &[&str] = match t.name {
            "issues" => &[
                "code", "severity", "file", "sheet", "row", "column", "value", "message", "fix",
            ],
            "duplicates" => &[
                "kept_customer",
                "kept_file",
                "kept_sheet",
                "kept_row",
                "merged_file",
                "merged_sheet",
                "merged_row",
            ],
            "rules" => &["code", "severity", "title", "message", "fix"],
            _ => continue,
        };
        out.push(from_text(t, ids));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::model::Origin;

    fn record(row: usize, values: Vec<(Field, Value)>) -> Record {
        let mut r = Record {
            origin: Origin {
                file: "a.xlsx".into(),
                sheet: "客户".into(),
                row,
            },
            values: Default::default(),
            originals: Default::default(),
            extras: Vec::new(),
            rejected: false,
        };
        for (f, v) in values {
            r.originals.insert(f, v.display(&Pipeline::default()));
            r.values.insert(f, v);
        }
        r
    }

    #[test]
    fn fields_become_typed_columns_named_by_id() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        let a = record(
            2,
            vec![
                (Field::CustomerName, Value::Text("甲公司".into())),
                (Field::Budget, Value::MoneyRange(30_000_000, 50_000_000)),
                (Field::CreatedDate, Value::Date(d)),
                (Field::ContactName, Value::Text("张三".into())),
            ],
        );
        let mut b = record(3, vec![(Field::CustomerName, Value::Text("乙公司".into()))]);
        b.extras.push(("备注".into(), "老客户".into()));
        let rows = [(&a, Some("甲")), (&b, Some("乙"))];
        let t = record_table(
            "customers",
            &rows,
            Some(&[Field::CreatedDate]),
            &Pipeline::default(),
            true,
        );
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "customer_key",
                "customer_name",
                "created_date",
                "contact_name",
                "budget",
                "budget_min",
                "budget_max",
                "source_file",
                "source_sheet",
                "source_row",
                "备注"
            ]
        );
        let col = |n: &str| &t.columns.iter().find(|c| c.name == n).unwrap().data;
        assert_eq!(
            col("budget_min"),
            &ColumnData::Money(vec![Some(30_000_000), None])
        );
        assert_eq!(col("budget").text_at(0), "300000-500000");
        assert_eq!(col("created_date"), &ColumnData::Date(vec![Some(d), None]));
        assert_eq!(col("contact_name").text_at(0), "张*");
        assert_eq!(col("source_row"), &ColumnData::Int(vec![Some(2), Some(3)]));
        assert_eq!(col("备注").text_at(1), "老客户");
        assert_eq!(t.months, Some(vec![Some("2024-03".into()), None]));
    }

    #[test]
    fn mixed_kinds_fall_back_to_text_and_dates_widen_to_timestamps() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        let t = d.and_hms_opt(14, 30, 0).unwrap();
        let a = record(2, vec![(Field::FollowupDate, Value::Date(d))]);
        let b = record(3, vec![(Field::FollowupDate, Value::DateTime(t))]);
        let c = record(4, vec![(Field::Summary, Value::Text("x".into()))]);
        let d2 = record(5, vec![(Field::Summary, Value::Number(1.0))]);
        let refs = [&a, &b];
        assert_eq!(field_kind(&refs, Field::FollowupDate), Kind::Timestamp);
        assert_eq!(field_kind(&[&c, &d2], Field::Summary), Kind::Text);
        let cols = field_columns(&refs, Field::FollowupDate, &Pipeline::default(), false);
        assert_eq!(cols[0].data.text_at(0), "2024-03-05 00:00");
        assert_eq!(cols[0].data.text_at(1), "2024-03-05 14:30");
    }
}
