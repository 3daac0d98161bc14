//! What the reports may show of people outside the company. By default a
//! contact name is shown as `张*` and a phone as `138****5678` wherever one
//! appears: the original value of a finding on a contact or phone column
//! (or of a phone or contact-name finding), and phone numbers inside free
//! text (a finding's value, a to-do's next action, a lost reason).
//! `--no-mask` shows them as written. Customer and owner names are never
//! masked; ID numbers were masked when the data was read. The writers call
//! `apply` first and never see an unmasked value unless asked to.

use std::borrow::Cow;

use crm_core::findings::{Code, Finding};
use crm_core::model::Text;
use crm_core::normalize::contact::mask_name;
use crm_core::normalize::phone::mask_phone;
use crm_core::schema::Field;
use crm_core::tables::InputInfo;
use crm_core::FastMap;

use super::summary::Summary;

/// Whether reports mask contact names and phones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Privacy {
    /// Mask them (the default).
    #[default]
    Mask,
    /// Show them as written (`--no-mask`).
    Show,
}

/// The summary as the reports show it, made once per run and shared by
/// every writer: with [`Privacy::Mask`], a copy whose free text has its
/// phones masked; with [`Privacy::Show`], the summary itself. The writers
/// take only this, and mask the findings they list with [`Shown::findings`].
pub struct Shown<'a> {
    summary: Cow<'a, Summary>,
    privacy: Privacy,
}

impl<'a> Shown<'a> {
    /// The summary as `privacy` lets the reports show it.
    pub fn new(summary: &'a Summary, privacy: Privacy) -> Self {
        if privacy == Privacy::Show {
            return Shown {
                summary: Cow::Borrowed(summary),
                privacy,
            };
        }
        // The long lists are shared with `summary`, not copied; the to-dos
        // are copied only if one of them holds a phone.
        let mut s = summary.clone();
        for (i, todo) in summary.todos.overdue_list.iter().enumerate() {
            if let Cow::Owned(masked) = mask_phones_in_text(&todo.next_action) {
                s.todos.overdue_list[i].next_action = masked.into();
            }
        }
        for row in &mut s.lost_analysis.by_reason {
            if let Cow::Owned(masked) = mask_phones_in_text(&row.key) {
                row.key = masked;
            }
        }
        Shown {
            summary: Cow::Owned(s),
            privacy,
        }
    }

    /// The summary to show.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The findings a writer lists (the first ones: the rest are only
    /// counted, by code, so they need no masked copy), masked as the
    /// summary is.
    pub fn findings<'f>(&self, listed: &'f [Finding]) -> Cow<'f, [Finding]> {
        shown_findings(listed, &self.summary.inputs, self.privacy)
    }
}

/// The `listed` findings as `privacy` lets the reports show them, `inputs`
/// telling the field each column of each input sheet was mapped to (what
/// [`Shown::findings`] does, for a writer that starts before the summary
/// is made).
pub fn shown_findings<'f>(
    listed: &'f [Finding],
    inputs: &[InputInfo],
    privacy: Privacy,
) -> Cow<'f, [Finding]> {
    if privacy == Privacy::Show {
        return Cow::Borrowed(listed);
    }
    let fields = ColumnFields::of(inputs);
    Cow::Owned(listed.iter().map(|f| mask_finding(f, &fields)).collect())
}

/// The field each column of each input sheet was mapped to, by file, sheet
/// and header (of two columns with one header, the first). Looked up once
/// per finding listed: 100,000 findings over thousands of input files (or
/// thousands of columns) must not compare every input or column.
struct ColumnFields<'a>(FastMap<(&'a str, &'a str, &'a str), Option<Field>>);

impl<'a> ColumnFields<'a> {
    /// The columns of the inputs, in input order.
    fn of(inputs: &'a [InputInfo]) -> Self {
        let mut fields = FastMap::default();
        for input in inputs {
            for (header, field) in &input.columns {
                let key = (input.file.as_str(), input.sheet.as_str(), header.as_str());
                fields.entry(key).or_insert(*field);
            }
        }
        ColumnFields(fields)
    }

    /// The field a finding's column was mapped to, from its sheet's mapping.
    fn field_of(&self, f: &Finding) -> Option<Field> {
        let key = (&**f.file(), &**f.sheet(), &*f.column);
        self.0.get(&key).copied().flatten()
    }
}

/// One finding with its value (and detail) masked.
fn mask_finding(f: &Finding, fields: &ColumnFields) -> Finding {
    let mut out = f.clone();
    let field = fields.field_of(f);
    // These codes carry something else than the cell's person value.
    let not_a_value = matches!(
        f.code,
        Code::ErrorCell | Code::SummaryRow | Code::DuplicateColumn
    );
    out.value = if f.value.trim().is_empty() {
        f.value.clone()
    } else if matches!(f.code, Code::InvalidPhone | Code::PersonalPhone)
        || (field == Some(Field::Phone) && !not_a_value)
    {
        mask_phone(&f.value).into()
    } else if f.code == Code::UnmaskedContactName
        || (field == Some(Field::ContactName) && !not_a_value)
    {
        mask_name(&f.value).into()
    } else {
        masked_text(&f.value)
    };
    out.detail = masked_text(&f.detail);
    out
}

/// Shared text with its phones masked: the same text (not a copy) when it
/// holds none.
fn masked_text(text: &Text) -> Text {
    match mask_phones_in_text(text) {
        Cow::Owned(masked) => masked.into(),
        Cow::Borrowed(_) => text.clone(),
    }
}

/// Whether a run of digits reads as a phone: a mainland mobile (11 digits,
/// `1[3-9]…`) or a landline with its area code (10–12 digits from `0`).
fn is_phone_digits(digits: &str) -> bool {
    let b = digits.as_bytes();
    match b.first() {
        Some(b'1') => b.len() == 11 && matches!(b.get(1), Some(b'3'..=b'9')),
        Some(b'0') => (10..=12).contains(&b.len()),
        _ => false,
    }
}

/// Masks the phone numbers found in free text (`联系王工 13812345678` →
/// `联系王工 138****5678`). A number is a run of digits, possibly in groups
/// joined by one `-` or space, not inside a longer run of letters or digits.
/// Text with fewer digits than the shortest phone is returned as it is.
pub fn mask_phones_in_text(text: &str) -> Cow<'_, str> {
    if text.bytes().filter(u8::is_ascii_digit).count() < SHORTEST_PHONE_DIGITS {
        return Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric());
        if !starts {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits, with single separators between digit groups.
        let mut end = i;
        while end < chars.len() {
            let joins_groups = matches!(chars[end], '-' | ' ')
                && chars.get(end + 1).is_some_and(char::is_ascii_digit);
            if !(chars[end].is_ascii_digit() || joins_groups) {
                break;
            }
            end += 1;
        }
        let run: String = chars[i..end].iter().collect();
        let digits: String = run.chars().filter(char::is_ascii_digit).collect();
        let bounded = !chars.get(end).is_some_and(char::is_ascii_alphanumeric);
        if bounded && is_phone_digits(&digits) {
            out.push_str(&mask_phone(&run));
        } else {
            out.push_str(&run);
        }
        i = end;
    }
    Cow::Owned(out)
}

/// The fewest digits [`is_phone_digits`] takes (a landline with its area
/// code).
const SHORTEST_PHONE_DIGITS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::fixture;

    #[test]
    fn masks_phones_in_free_text() {
        assert_eq!(
            mask_phones_in_text("联系王工 13812345678 确认"),
            "联系王工 138****5678 确认"
        );
        assert_eq!(mask_phones_in_text("138-1234-5678"), "138****5678");
        assert_eq!(
            mask_phones_in_text("电话0571-88889999"),
            "电话0571-****9999"
        );
        // Dates, amounts, ids and longer runs are left alone.
        for keep in [
            "2024-06-30",
            "合同 12000000000 元",
            "A13812345678",
            "138123456789",
        ] {
            assert_eq!(mask_phones_in_text(keep), keep);
        }
        // Nine digits cannot hold a phone: the text is not copied.
        assert!(matches!(
            mask_phones_in_text("订单 123-456-789 已发"),
            Cow::Borrowed(_)
        ));
        // Ten digits can (a landline is 10 to 12 from `0`); this one is a
        // digit short for Beijing, so all but its last four are hidden.
        assert_eq!(mask_phones_in_text("010-8888999"), "***-***8999");
    }

    fn finding(code: Code, column: &str, value: &str) -> Finding {
        finding_in("客户", code, column, value)
    }

    fn finding_in(sheet: &str, code: Code, column: &str, value: &str) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            row: 3,
            source: std::sync::Arc::new(crm_core::model::Source {
                file: "客户台账.xlsx".into(),
                sheet: sheet.into(),
            }),
            column: column.into(),
            value: value.into(),
            detail: "".into(),
        }
    }

    #[test]
    fn masks_findings_by_code_and_column() {
        let mut s = fixture();
        s.inputs[0].columns = vec![
            ("联系人".into(), Some(Field::ContactName)),
            ("手机".into(), Some(Field::Phone)),
        ];
        let findings = vec![
            finding(Code::UnmaskedContactName, "联系人", "张三"),
            finding(Code::PersonalPhone, "手机", "13812345678"),
            finding(Code::UnparseableDate, "联系人", "王小明"),
            finding(Code::ErrorCell, "联系人", "#N/A"),
            finding(Code::UnparseableDate, "备注", "回电 13912345678"),
        ];
        let shown = Shown::new(&s, Privacy::Mask)
            .findings(&findings)
            .into_owned();
        let values: Vec<&str> = shown.iter().map(|f| &*f.value).collect();
        assert_eq!(
            values,
            ["张*", "138****5678", "王**", "#N/A", "回电 139****5678"]
        );
        let shown = Shown::new(&s, Privacy::Show)
            .findings(&findings)
            .into_owned();
        assert_eq!(&*shown[0].value, "张三");
        // A column is looked up in its own sheet: another sheet of the same
        // file where `联系人` is not mapped leaves the value as written.
        let mut other = s.inputs[0].clone();
        other.sheet = "跟进".into();
        other.columns = vec![("联系人".into(), None)];
        s.inputs.insert(0, other);
        let in_other = finding_in("跟进", Code::UnparseableDate, "联系人", "王小明");
        let both = [in_other, findings[2].clone()];
        let shown = Shown::new(&s, Privacy::Mask).findings(&both).into_owned();
        let values: Vec<&str> = shown.iter().map(|f| &*f.value).collect();
        assert_eq!(values, ["王小明", "王**"]);
    }

    #[test]
    fn masks_free_text_of_the_summary() {
        let s = fixture();
        assert_eq!(s.todos.overdue_list[0].next_action, "致电王工 13812345678");
        let shown = Shown::new(&s, Privacy::Mask);
        let todo = &shown.summary().todos.overdue_list[0];
        assert_eq!(todo.next_action, "致电王工 138****5678");
        assert_eq!(todo.customer, "杭州某某科技有限公司");
        // The summary itself is left as it was; the lists masking does not
        // touch are shared, not copied.
        assert_eq!(s.todos.overdue_list[0].next_action, "致电王工 13812345678");
        let lists = |s: &Summary| {
            [
                s.cadence.overdue_list.as_ptr() as usize,
                s.time_in_stage.stalled.as_ptr() as usize,
                s.grades.mismatch_list.as_ptr() as usize,
                s.forecast.slipped.list.as_ptr() as usize,
                s.todos.overdue_list.as_ptr() as usize,
            ]
        };
        let (before, after) = (lists(&s), lists(shown.summary()));
        assert_eq!(before[..4], after[..4]);
        assert_ne!(before[4], after[4]);
        let mut quiet = s.clone();
        for todo in quiet.todos.overdue_list.iter_mut() {
            todo.next_action = "回访".into();
        }
        let unchanged = Shown::new(&quiet, Privacy::Mask);
        assert_eq!(lists(&quiet), lists(unchanged.summary()));
        let shown = Shown::new(&s, Privacy::Show);
        assert_eq!(
            shown.summary().todos.overdue_list[0].next_action,
            "致电王工 13812345678"
        );
    }
}
