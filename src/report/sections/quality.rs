//! The data quality section (issue counts, sheets read, the findings with
//! their texts in the report language) and the definitions section.

use crm_core::findings::Finding;

use super::{plain, section, table};
use crate::metrics::definitions::definitions;
use crate::report::i18n::{code_text, fill, t, Lang};
use crate::report::summary::Summary;
use crate::report::view::{Section, Table, Val};

/// The id of the workbook's findings sheet ([`findings_section`]).
pub const FINDINGS_SECTION: &str = "findings";

/// Issue counts by code, the sheets read, and, when given, the `listed`
/// findings (the first of all `findings`, as shown).
pub(super) fn quality(
    s: &Summary,
    findings: &[Finding],
    listed: Option<&[Finding]>,
    lang: Lang,
) -> Section {
    let mut by_code: Vec<(&String, &usize)> = s.quality.by_code.iter().collect();
    by_code.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let counts = table(
        "quality.by_code",
        t(lang, "table.quality_by_code"),
        vec![
            plain(lang, "col.code"),
            plain(lang, "col.issue"),
            plain(lang, "col.severity"),
            plain(lang, "col.count"),
        ],
        by_code
            .into_iter()
            .map(|(code, &n)| {
                let sample = findings.iter().find(|f| f.code.code() == code.as_str());
                let title = sample.map_or("", |f| code_text(lang, f.code).title);
                let severity =
                    sample.map_or(String::new(), |f| severity_label(lang, f.severity.code()));
                vec![
                    Val::text(code.clone()),
                    Val::text(title),
                    Val::text(severity),
                    Val::int(n),
                ]
            })
            .collect(),
    );
    let inputs = table(
        "quality.inputs",
        t(lang, "table.inputs"),
        [
            "col.file",
            "col.sheet",
            "col.kind",
            "col.header_row",
            "col.encoding",
            "col.rows",
            "col.note",
        ]
        .into_iter()
        .map(|k| plain(lang, k))
        .collect(),
        s.inputs
            .iter()
            .map(|i| {
                let note = i
                    .error
                    .clone()
                    .or_else(|| i.note.clone())
                    .unwrap_or_default();
                vec![
                    Val::text(i.file.clone()),
                    Val::text(i.sheet.clone()),
                    Val::text(i.kind.clone()),
                    i.header_row.map_or(Val::Null, Val::int),
                    Val::text(i.encoding.clone().unwrap_or_default()),
                    Val::int(i.rows),
                    Val::text(note),
                ]
            })
            .collect(),
    );
    let mut tables = vec![counts, inputs];
    let mut notes = Vec::new();
    if let Some(listed) = listed {
        let (list, note) = findings_list(findings, listed, lang);
        tables.push(list);
        notes.extend(note);
    }
    section(lang, "quality", notes, tables)
}

/// The workbook's sheet of findings: the `listed` ones (the first of all
/// `findings`, as shown), with a note when that is not all of them.
pub fn findings_section(findings: &[Finding], listed: &[Finding], lang: Lang) -> Section {
    let (list, note) = findings_list(findings, listed, lang);
    Section {
        id: FINDINGS_SECTION,
        title: list.title,
        notes: note.into_iter().collect(),
        tables: vec![list],
    }
}

/// The table of the `listed` findings, and the note that says how many of
/// all `findings` it leaves out, if any.
fn findings_list(findings: &[Finding], listed: &[Finding], lang: Lang) -> (Table, Option<String>) {
    let list = table(
        "quality.findings",
        t(lang, "table.findings"),
        [
            "col.code",
            "col.severity",
            "col.file",
            "col.sheet",
            "col.row",
            "col.column",
            "col.original",
            "col.message",
            "col.fix",
        ]
        .into_iter()
        .map(|k| plain(lang, k))
        .collect(),
        listed.iter().map(|f| finding_row(lang, f)).collect(),
    );
    let note = (findings.len() > listed.len()).then(|| {
        let args = [
            ("shown", Val::int(listed.len()).display()),
            ("total", Val::int(findings.len()).display()),
        ];
        fill(t(lang, "note.findings_capped"), &args)
    });
    (list, note)
}

fn severity_label(lang: Lang, code: &str) -> String {
    match code {
        "error" => t(lang, "severity.error"),
        "warning" => t(lang, "severity.warning"),
        _ => t(lang, "severity.info"),
    }
    .to_string()
}

fn finding_row(lang: Lang, f: &Finding) -> Vec<Val> {
    let text = code_text(lang, f.code);
    // The detail goes inside the sentence: "… not merged (other name)."
    let message = if f.detail.is_empty() {
        text.message.to_string()
    } else {
        let stem = text.message.trim_end_matches(['。', '.']);
        match lang {
            Lang::Zh => format!("{stem}（{}）。", f.detail),
            Lang::En => format!("{stem} ({}).", f.detail),
        }
    };
    vec![
        Val::text(f.code.code()),
        Val::text(severity_label(lang, f.severity.code())),
        Val::text(f.file().to_string()),
        Val::text(f.sheet().to_string()),
        if f.row == 0 {
            Val::Null
        } else {
            Val::int(f.row as usize)
        },
        Val::text(f.column.to_string()),
        Val::text(f.value.to_string()),
        Val::text(message),
        Val::text(text.fix),
    ]
}

/// Every metric with its definition.
pub(super) fn glossary(lang: Lang) -> Section {
    let defs = table(
        "definitions.all",
        t(lang, "table.definitions"),
        vec![plain(lang, "col.metric"), plain(lang, "col.definition")],
        definitions(lang)
            .into_iter()
            .map(|(name, def)| vec![Val::text(name), Val::text(def)])
            .collect(),
    );
    section(lang, "definitions", Vec::new(), vec![defs])
}
