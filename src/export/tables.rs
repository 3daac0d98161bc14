//! The cleaned tables as plain rows: canonical Chinese labels in schema
//! order, the source place of each row, extra columns at the end, and for
//! every cell the original text when normalization changed it.

use crm_core::dataset::Dataset;
use crm_core::followup::followup_records;
use crm_core::model::{Origin, Record};
use crm_core::normalize::contact::mask_name;
use crm_core::normalize::phone::mask_phone;
use crm_core::normalize::stage::Pipeline;
use crm_core::schema::Field;

use crate::report::i18n::{code_text, Lang};

/// One output cell: its text and, when normalization changed it, the original.
#[derive(Debug, Clone, PartialEq)]
pub struct OutCell {
    /// The cleaned text.
    pub text: String,
    /// The original text when it differs.
    pub original: Option<String>,
}

impl OutCell {
    /// A cell that was not changed.
    pub fn plain(text: impl Into<String>) -> OutCell {
        OutCell {
            text: text.into(),
            original: None,
        }
    }
}

/// One cleaned table.
#[derive(Debug, Clone)]
pub struct OutTable {
    /// Sheet / file name part (`customers`, `followups`…).
    pub name: &'static str,
    /// Sheet title in the workbook.
    pub title: &'static str,
    /// Column headers.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<OutCell>>,
}

/// Headers of the three source-place columns.
const PLACE: [&str; 3] = ["来源文件", "来源工作表", "来源行"];

/// Lays out records: the mapped fields present in any of them (schema order),
/// the source place, then extra columns in order of first appearance.
fn layout(
    name: &'static str,
    title: &'static str,
    records: &[&Record],
    pipeline: &Pipeline,
    mask: bool,
) -> OutTable {
    let present = super::fields_with_cells(records);
    let fields: Vec<Field> = Field::ALL
        .iter()
        .copied()
        .filter(|f| present.contains(f))
        .collect();
    let extras = super::ExtraColumns::of(records);
    let mut header: Vec<String> = fields.iter().map(|f| f.label().to_string()).collect();
    header.extend(PLACE.iter().map(|s| s.to_string()));
    header.extend(extras.headers.iter().map(|h| h.to_string()));
    let mut values = Vec::new();
    let rows = records
        .iter()
        .map(|r| {
            let mut row: Vec<OutCell> =
                fields.iter().map(|f| cell(r, *f, pipeline, mask)).collect();
            row.extend(place(&r.origin));
            extras.values_of(r, &mut values);
            row.extend(values.iter().map(|v| OutCell::plain(v.unwrap_or_default())));
            row
        })
        .collect();
    OutTable {
        name,
        title,
        header,
        rows,
    }
}

/// The source-place cells of a row.
fn place(o: &Origin) -> [OutCell; 3] {
    [
        OutCell::plain(o.file().to_string()),
        OutCell::plain(o.sheet().to_string()),
        OutCell::plain(o.row.to_string()),
    ]
}

/// A field's text as `--mask-pii` writes it: contact names `张*`, phones
/// `138****5678`, other fields unchanged.
pub fn masked(f: Field, text: String) -> String {
    match f {
        Field::ContactName if !text.is_empty() => mask_name(&text),
        Field::Phone if !text.is_empty() => mask_phone(&text),
        _ => text,
    }
}

/// One field of a record: its normalized text (masked on request), with the
/// original when they differ.
fn cell(r: &Record, f: Field, pipeline: &Pipeline, mask: bool) -> OutCell {
    let original = r
        .original(f, pipeline)
        .map(|o| o.to_string())
        .unwrap_or_default();
    let mut text = r
        .values
        .get(&f)
        .map(|v| v.display(pipeline))
        .unwrap_or_default();
    if mask {
        text = masked(f, text);
    }
    let changed = text != original.trim();
    OutCell {
        text,
        original: changed.then_some(original).filter(|o| !o.is_empty()),
    }
}

/// Every cleaned table of a dataset, plus issues, rejected rows, duplicates
/// and the rules, in workbook order.
pub fn cleaned_tables(ds: &Dataset, pipeline: &Pipeline, lang: Lang, mask: bool) -> Vec<OutTable> {
    let mut out = Vec::new();
    let customers: Vec<&Record> = ds.customers.iter().map(|c| &c.record).collect();
    out.push(layout("customers", "客户信息", &customers, pipeline, mask));
    if !ds.followups.is_empty() {
        let mut made = Vec::new();
        out.push(layout(
            "followups",
            "跟进记录",
            &followup_records(&ds.followups, &mut made),
            pipeline,
            mask,
        ));
    }
    if !ds.opportunities.is_empty() {
        out.push(layout(
            "opportunities",
            "商机",
            &borrowed(&ds.opportunities),
            pipeline,
            mask,
        ));
    }
    if !ds.complaints.is_empty() {
        out.push(layout(
            "complaints",
            "客户问题",
            &borrowed(&ds.complaints),
            pipeline,
            mask,
        ));
    }
    let [issues, duplicates, rules] = findings_tables(ds, lang);
    out.push(issues);
    let rejected = borrowed(&ds.rejected);
    out.push(layout("rejected", "未计入的行", &rejected, pipeline, mask));
    out.extend([duplicates, rules]);
    out
}

/// The tables about the data rather than of it: issues, duplicates, rules.
pub fn findings_tables(ds: &Dataset, lang: Lang) -> [OutTable; 3] {
    [issues(ds, lang), duplicates(ds), rules(lang)]
}

/// The records of a table, borrowed.
fn borrowed(v: &[Record]) -> Vec<&Record> {
    v.iter().collect()
}

/// The issues table: one row per finding.
pub fn issues(ds: &Dataset, lang: Lang) -> OutTable {
    let header = [
        "代码",
        "级别",
        "文件",
        "工作表",
        "行",
        "列",
        "原值",
        "说明",
        "建议修改",
    ];
    let rows = ds
        .findings
        .iter()
        .map(|f| {
            let t = code_text(lang, f.code);
            let message = if f.detail.is_empty() {
                t.message.to_string()
            } else {
                format!("{} ({})", t.message, f.detail)
            };
            [
                f.code.code().to_string(),
                f.severity.code().to_string(),
                f.file().to_string(),
                f.sheet().to_string(),
                if f.row > 0 {
                    f.row.to_string()
                } else {
                    String::new()
                },
                f.column.to_string(),
                f.value.to_string(),
                message,
                t.fix.to_string(),
            ]
            .into_iter()
            .map(OutCell::plain)
            .collect()
        })
        .collect();
    OutTable {
        name: "issues",
        title: "问题清单",
        header: header.map(String::from).to_vec(),
        rows,
    }
}

/// The duplicates table: each merged row beside the customer it joined.
pub fn duplicates(ds: &Dataset) -> OutTable {
    let header = [
        "保留的客户",
        "保留行文件",
        "保留行工作表",
        "保留行",
        "合并的行文件",
        "合并的行工作表",
        "合并的行",
    ];
    let mut rows = Vec::new();
    for c in &ds.customers {
        for m in &c.merged {
            let kept = &c.record.origin;
            let mut row = vec![OutCell::plain(
                c.record.text(Field::CustomerName).unwrap_or_default(),
            )];
            row.extend(place(kept));
            row.extend(place(m));
            rows.push(row);
        }
    }
    OutTable {
        name: "duplicates",
        title: "重复客户",
        header: header.map(String::from).to_vec(),
        rows,
    }
}

/// The rules table: what each code means and how to fix it.
pub fn rules(lang: Lang) -> OutTable {
    let rows = crm_core::findings::Code::ALL
        .iter()
        .map(|c| {
            let t = code_text(lang, *c);
            [c.code(), c.severity().code(), t.title, t.message, t.fix]
                .into_iter()
                .map(OutCell::plain)
                .collect()
        })
        .collect();
    OutTable {
        name: "rules",
        title: "校验规则",
        header: ["代码", "级别", "名称", "说明", "建议修改"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}
