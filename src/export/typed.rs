//! The cleaned tables as typed columns named by field id (schema.md: the ids
//! are the column names of the cleaned CSV and Parquet outputs): dates as
//! dates, amounts as exact cents, budgets split into `budget_min` /
//! `budget_max`, industries with their GB/T 4754 section and division codes,
//! and `customer_key` (the dedup key) on every row so the tables join. One
//! `deals` table gives the opportunities as the metrics count them
//! (metrics.md §1), for SQL engines (`docs/metrics.sql`).

use chrono::{NaiveDate, NaiveDateTime};

use crm_core::config::Config;
use crm_core::dataset::Dataset;
use crm_core::dedup::Customer;
use crm_core::followup::followup_records;
use crm_core::model::{format_cents, format_number, Record, Value};
use crm_core::normalize::date::iso_date;
use crm_core::normalize::stage::Pipeline;
use crm_core::opportunity::Opportunity;
use crm_core::schema::{Field, FieldKind};

use super::tables::{duplicates, issues, masked, rules, OutTable};
use crate::report::i18n::Lang;

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
            ColumnData::Date(v) => v[i].map(iso_date).unwrap_or_default(),
            ColumnData::Timestamp(v) => v[i]
                .map(|d| {
                    if d.time() == chrono::NaiveTime::MIN {
                        iso_date(d.date())
                    } else {
                        d.format("%Y-%m-%d %H:%M").to_string()
                    }
                })
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
    Timestamp,
    Industry,
}

/// How a field is stored, fixed by its kind in the schema (not by the
/// values of one run) so a table has the same column types in every run:
/// dates are timestamps (a time of day is kept where written), amounts exact
/// decimals, scores and probabilities numbers, industries a text column plus
/// their codes, everything else text.
fn field_kind(f: Field) -> Kind {
    match f.kind() {
        FieldKind::Date | FieldKind::DateTime => Kind::Timestamp,
        FieldKind::Amount => Kind::Money,
        FieldKind::Budget => Kind::Range,
        FieldKind::Satisfaction | FieldKind::Probability => Kind::Float,
        FieldKind::Industry => Kind::Industry,
        _ => Kind::Text,
    }
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
    match field_kind(f) {
        Kind::Text => {
            let text = values()
                .map(|v| {
                    v.map(|v| v.display(pipeline))
                        .map(|t| if mask { masked(f, t) } else { t })
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
                        Some(Value::MoneyRange(range)) => Some(if low { range.0 } else { range.1 }),
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
            // Industry text that maps to no GB/T 4754 entry is kept as written.
            let text = values()
                .map(|v| match v {
                    Some(Value::Industry(m)) => Some(m.display()),
                    Some(Value::Text(t)) => Some(t.to_string()),
                    _ => None,
                })
                .collect();
            vec![
                col(id.clone(), ColumnData::Text(text)),
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

/// The two columns that join a table to its customers: `customer_no`, the
/// customer's 1-based number in the customers table (input order, unique),
/// and `customer_key`, its dedup key (schema.md §3; two customers with
/// different ids can share one). Null when the row links to no customer.
fn customer_columns(customers: &[Customer], links: &[Option<usize>]) -> [TypedColumn; 2] {
    [
        TypedColumn {
            name: "customer_no".into(),
            data: ColumnData::Int(links.iter().map(|l| l.map(|i| i as i64 + 1)).collect()),
        },
        TypedColumn {
            name: "customer_key".into(),
            data: ColumnData::Text(
                links
                    .iter()
                    .map(|l| l.map(|i| customers[i].key.to_string()))
                    .collect(),
            ),
        },
    ]
}

/// What one record table holds and how it is laid out.
struct Layout {
    /// File name part.
    name: &'static str,
    /// Fields that are columns even when no row has them, so the table has
    /// the same columns in every run (those the metrics read).
    always: &'static [Field],
    /// Fields whose first date gives the row's month partition.
    month: Option<&'static [Field]>,
}

/// Lays out records as typed columns: `customer_no` and `customer_key`, the
/// mapped fields present in any of them or always present (schema order),
/// the source place, then extra columns in order of first appearance
/// (renamed `x_<header>` if they would clash with a column already there).
fn record_table(
    layout: &Layout,
    customers: &[Customer],
    rows: &[(&Record, Option<usize>)],
    pipeline: &Pipeline,
    mask: bool,
) -> TypedTable {
    let records: Vec<&Record> = rows.iter().map(|(r, _)| *r).collect();
    let links: Vec<Option<usize>> = rows.iter().map(|(_, l)| *l).collect();
    let mut columns = customer_columns(customers, &links).to_vec();
    let present = super::fields_with_cells(&records);
    for f in Field::ALL
        .iter()
        .copied()
        .filter(|f| layout.always.contains(f) || present.contains(f))
    {
        columns.extend(field_columns(&records, f, pipeline, mask));
    }
    let text =
        |f: fn(&Record) -> String| ColumnData::Text(records.iter().map(|r| Some(f(r))).collect());
    columns.push(TypedColumn {
        name: "source_file".into(),
        data: text(|r| r.origin.file().to_string()),
    });
    columns.push(TypedColumn {
        name: "source_sheet".into(),
        data: text(|r| r.origin.sheet().to_string()),
    });
    columns.push(TypedColumn {
        name: "source_row".into(),
        data: ColumnData::Int(records.iter().map(|r| Some(r.origin.row as i64)).collect()),
    });
    let extras = super::ExtraColumns::of(&records);
    let mut data: Vec<Vec<Option<String>>> = (0..extras.headers.len())
        .map(|_| Vec::with_capacity(records.len()))
        .collect();
    let mut values = Vec::new();
    for r in &records {
        extras.values_of(r, &mut values);
        for (column, v) in data.iter_mut().zip(&values) {
            column.push(v.filter(|v| !v.is_empty()).map(str::to_string));
        }
    }
    // Field ids and earlier extras taken, an extra column is `x_<header>`.
    let mut names: crm_core::FastSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    for (h, data) in extras.headers.iter().zip(data) {
        let mut name = h.to_string();
        while names.contains(&name) {
            name = format!("x_{name}");
        }
        names.insert(name.clone());
        columns.push(TypedColumn {
            name,
            data: ColumnData::Text(data),
        });
    }
    let months = layout
        .month
        .map(|fs| records.iter().map(|r| row_month(r, fs)).collect());
    TypedTable {
        name: layout.name,
        columns,
        months,
    }
}

/// The linked rows of a table with their customer.
fn linked(rows: &[Record]) -> Vec<(&Record, Option<usize>)> {
    rows.iter().map(|r| (r, r.customer())).collect()
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
                .map(|o| Some(o.current().is_some() && o.current() == stage))
                .collect(),
        ),
    };
    let known = |s: &str| (s != "未知" && s != "未分配").then(|| s.to_string());
    let links: Vec<Option<usize>> = opps.iter().map(|o| o.customer()).collect();
    let mut columns = customer_columns(&ds.customers, &links).to_vec();
    columns.extend([
        text("customer_name", &|o| Some(o.customer_name.to_string())),
        text("owner", &|o| Some(o.owner.to_string())),
        text("source", &|o| known(&o.source)),
        text("industry_section", &|o| known(&o.industry)),
        text("grade", &|o| known(&o.grade)),
        date("start_date", |o| o.start),
        date("signed_date", |o| o.signed),
        date("expected_close_date", |o| o.expected_close),
        text("stage", &|o| {
            o.current().map(|i| pipeline.code(i).to_string())
        }),
        int("stage_order", &|o| {
            o.current()
                .and_then(|i| pipeline.order(i))
                .map(|n| n as i64)
        }),
        int("furthest_order", &|o| o.furthest().map(|n| n as i64)),
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
            o.lost_at().map(|i| pipeline.code(i).to_string())
        }),
        text("lost_reason", &|o| {
            o.lost_reason.as_deref().map(str::to_string)
        }),
    ]);
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
fn from_text(mut t: OutTable, ids: &[&str]) -> TypedTable {
    // The texts are moved, not copied: the issues table of a big run has
    // millions of rows.
    let columns = ids
        .iter()
        .enumerate()
        .map(|(j, id)| TypedColumn {
            name: id.to_string(),
            data: ColumnData::Text(
                t.rows
                    .iter_mut()
                    .map(|r| {
                        r.get_mut(j)
                            .map(|c| std::mem::take(&mut c.text))
                            .filter(|s| !s.is_empty())
                    })
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

/// The record tables: customers, follow-ups, opportunities and complaints
/// as read (each written even when empty, so a lake always has them), and
/// the rejected rows.
const LAYOUTS: [Layout; 5] = {
    use Field::*;
    [
        Layout {
            name: "customers",
            always: &[
                CustomerId,
                CustomerName,
                Industry,
                Source,
                Grade,
                Owner,
                CreatedDate,
                FirstContactDate,
                LastFollowupDate,
                Stage,
                ContactName,
                ContactTitle,
                Phone,
                NeedCore,
                NeedSecondary,
                NeedTags,
                Budget,
            ],
            month: Some(&[CreatedDate, FirstContactDate, LastFollowupDate]),
        },
        Layout {
            name: "followups",
            always: &[CustomerId, CustomerName, Owner, FollowupDate, Method, Stage],
            month: Some(&[FollowupDate]),
        },
        Layout {
            name: "opportunities",
            always: &[
                OpportunityId,
                CustomerId,
                CustomerName,
                Owner,
                Stage,
                DealAmount,
                SignedDate,
            ],
            month: Some(&[FirstContactDate, CreatedDate, SignedDate, ExpectedCloseDate]),
        },
        Layout {
            name: "complaints",
            always: &[CustomerName, ComplaintType, ComplaintStatus, ReportedAt],
            month: Some(&[ReportedAt]),
        },
        Layout {
            name: "rejected",
            always: &[],
            month: None,
        },
    ]
};

/// The one-row `run` table: what the tables were cut at and the settings
/// the metrics used, so SQL over a lake needs no parameters.
fn run_table(as_of: NaiveDate, ds: &Dataset, config: &Config) -> TypedTable {
    let int = |name: &str, n: i64| TypedColumn {
        name: name.into(),
        data: ColumnData::Int(vec![Some(n)]),
    };
    TypedTable {
        name: "run",
        columns: vec![
            TypedColumn {
                name: "as_of".into(),
                data: ColumnData::Date(vec![Some(as_of)]),
            },
            TypedColumn {
                name: "tool_version".into(),
                data: ColumnData::Text(vec![Some(env!("CARGO_PKG_VERSION").into())]),
            },
            TypedColumn {
                name: "opportunity_table".into(),
                data: ColumnData::Bool(vec![Some(ds.has_opportunity_table)]),
            },
            int("allowed_gap_a", config.cadence.a),
            int("allowed_gap_b", config.cadence.b),
            int("allowed_gap_c", config.cadence.c),
            int("allowed_gap_maintenance", config.cadence.maintenance),
        ],
        months: None,
    }
}

/// The `stages` table: the pipeline the run used (metrics.md §1), so SQL
/// over a lake maps stage labels and orders without knowing the config.
fn stages_table(pipeline: &Pipeline) -> TypedTable {
    let text = |name: &str, f: &dyn Fn(usize) -> Option<String>| TypedColumn {
        name: name.into(),
        data: ColumnData::Text((0..pipeline.stages.len()).map(f).collect()),
    };
    TypedTable {
        name: "stages",
        columns: vec![
            TypedColumn {
                name: "stage_order".into(),
                data: ColumnData::Int(
                    (0..pipeline.stages.len())
                        .map(|i| pipeline.order(i).map(|n| n as i64))
                        .collect(),
                ),
            },
            text("code", &|i| Some(pipeline.stages[i].code.clone())),
            text("label", &|i| Some(pipeline.stages[i].zh.clone())),
            text("label_en", &|i| Some(pipeline.stages[i].en.clone())),
            text("outcome", &|i| {
                if i == pipeline.won() {
                    Some("won".into())
                } else if Some(i) == pipeline.lost() {
                    Some("lost".into())
                } else {
                    None
                }
            }),
        ],
        months: None,
    }
}

/// What a run's typed tables are made from.
pub struct Source<'a> {
    /// The cleaned, linked data.
    pub ds: &'a Dataset,
    /// Opportunities as of the as-of date.
    pub opps: &'a [Opportunity],
    /// The stage table.
    pub pipeline: &'a Pipeline,
    /// The as-of date the opportunities were cut at.
    pub as_of: NaiveDate,
    /// The settings used.
    pub config: &'a Config,
}

/// Every cleaned table of a run in typed form, in output order: customers,
/// follow-ups, opportunities and complaints (as read), rejected rows, deals
/// (as counted), the run and its stages, then issues, duplicates and rules
/// (the workbook's tables, so the two outputs say the same). Each table is
/// built when `each` takes it and dropped before the next is built: at a
/// million customers, the follow-ups or the issues alone hold gigabytes of
/// cells, and all of them at once held 13 GB.
pub fn each_typed_table(
    src: &Source,
    lang: Lang,
    mask: bool,
    mut each: impl FnMut(TypedTable) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let ds = src.ds;
    for (k, layout) in LAYOUTS.iter().enumerate() {
        let mut made = Vec::new();
        let rows: Vec<(&Record, Option<usize>)> = match k {
            0 => ds
                .customers
                .iter()
                .enumerate()
                .map(|(i, c)| (&c.record, Some(i)))
                .collect(),
            1 => followup_records(&ds.followups, &mut made)
                .into_iter()
                .map(|r| (r, r.customer()))
                .collect(),
            2 => linked(&ds.opportunities),
            3 => linked(&ds.complaints),
            _ => ds.rejected.iter().map(|r| (r, None)).collect(),
        };
        each(record_table(
            layout,
            &ds.customers,
            &rows,
            src.pipeline,
            mask,
        ))?;
    }
    each(deals(ds, src.opps, src.pipeline))?;
    each(run_table(src.as_of, ds, src.config))?;
    each(stages_table(src.pipeline))?;
    each(from_text(issues(ds, lang), ISSUE_IDS))?;
    each(from_text(duplicates(ds), DUPLICATE_IDS))?;
    each(from_text(rules(lang), RULE_IDS))
}

/// Column ids of the issues table, in its column order.
const ISSUE_IDS: &[&str] = &[
    "code", "severity", "file", "sheet", "row", "column", "value", "message", "fix",
];

/// Column ids of the duplicates table.
const DUPLICATE_IDS: &[&str] = &[
    "kept_customer",
    "kept_file",
    "kept_sheet",
    "kept_row",
    "merged_file",
    "merged_sheet",
    "merged_row",
];

/// Column ids of the rules table.
const RULE_IDS: &[&str] = &["code", "severity", "title", "message", "fix"];

#[cfg(test)]
mod tests {
    use super::*;
    use crm_core::model::{Origin, Source};

    fn record(row: usize, values: Vec<(Field, Value)>) -> Record {
        let mut r = Record::new(Origin::new(
            &std::sync::Arc::new(Source {
                file: "a.xlsx".into(),
                sheet: "客户".into(),
            }),
            row,
        ));
        for (f, v) in values {
            r.originals_mut()
                .insert(f, v.display(&Pipeline::default()).into());
            r.values.insert(f, v);
        }
        r
    }

    const LAYOUT: Layout = Layout {
        name: "customers",
        always: &[Field::Owner],
        month: Some(&[Field::CreatedDate]),
    };

    #[test]
    fn fields_become_typed_columns_named_by_id() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        let a = record(
            2,
            vec![
                (Field::CustomerName, Value::Text("甲公司".into())),
                (
                    Field::Budget,
                    Value::MoneyRange(std::sync::Arc::new((30_000_000, 50_000_000))),
                ),
                (Field::CreatedDate, Value::Date(d)),
                (Field::ContactName, Value::Text("张三".into())),
            ],
        );
        let mut b = record(3, vec![(Field::CustomerName, Value::Text("乙公司".into()))]);
        b.set_extras(Box::new([
            ("备注".into(), "老客户".into()),
            ("owner".into(), "clashes with the field id".into()),
        ]));
        let rows = [(&a, None), (&b, None)];
        let t = record_table(&LAYOUT, &[], &rows, &Pipeline::default(), true);
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "customer_no",
                "customer_key",
                "customer_name",
                "owner",
                "created_date",
                "contact_name",
                "budget",
                "budget_min",
                "budget_max",
                "source_file",
                "source_sheet",
                "source_row",
                "备注",
                "x_owner",
            ]
        );
        let col = |n: &str| &t.columns.iter().find(|c| c.name == n).unwrap().data;
        assert_eq!(
            col("budget_min"),
            &ColumnData::Money(vec![Some(30_000_000), None])
        );
        assert_eq!(col("budget").text_at(0), "300000-500000");
        assert_eq!(
            col("created_date"),
            &ColumnData::Timestamp(vec![Some(d.and_time(chrono::NaiveTime::MIN)), None])
        );
        assert_eq!(col("created_date").text_at(0), "2024-03-05");
        assert_eq!(
            col("owner"),
            &ColumnData::Text(vec![None, None]),
            "always present"
        );
        assert_eq!(col("contact_name").text_at(0), "张*");
        assert_eq!(col("source_row"), &ColumnData::Int(vec![Some(2), Some(3)]));
        assert_eq!(col("备注").text_at(1), "老客户");
        assert_eq!(col("customer_no"), &ColumnData::Int(vec![None, None]));
        assert_eq!(t.months, Some(vec![Some("2024-03".into()), None]));
    }

    #[test]
    fn column_types_follow_the_schema_not_the_values() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
        let t = d.and_hms_opt(14, 30, 0).unwrap();
        let a = record(2, vec![(Field::FollowupDate, Value::DateTime(t))]);
        let b = record(3, vec![(Field::FollowupDate, Value::Date(d))]);
        let cols = field_columns(&[&a, &b], Field::FollowupDate, &Pipeline::default(), false);
        assert_eq!(
            cols[0].data.text_at(0),
            "2024-03-05 14:30",
            "the time is kept"
        );
        assert_eq!(cols[0].data.text_at(1), "2024-03-05");
        // An industry that maps to nothing keeps its text; the codes stay columns.
        let m = crm_core::normalize::industry::map_industry("软件").unwrap();
        let c = record(
            4,
            vec![(Field::Industry, Value::Industry(std::sync::Arc::new(m)))],
        );
        let e = record(5, vec![(Field::Industry, Value::Text("元宇宙".into()))]);
        let cols = field_columns(&[&c, &e], Field::Industry, &Pipeline::default(), false);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["industry", "industry_section", "industry_division"]);
        assert_eq!(cols[0].data.text_at(1), "元宇宙");
        assert_eq!(cols[1].data.text_at(0), "I");
        assert_eq!(cols[1].data.text_at(1), "");
        assert_eq!(cols[2].data.text_at(0), "65");
    }
}
