//! Findings: every problem found in the input, with its place, as data.
//! A bad cell becomes a `Finding`, never a panic or a silent drop.

use serde::Serialize;

use std::sync::Arc;

use crate::model::{Source, Text};

/// How serious a finding is (schema.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row is rejected from the metrics.
    Error,
    /// The value is suspicious or was dropped; the row counts.
    Warning,
    /// Worth knowing; nothing wrong with the numbers.
    Info,
}

impl Severity {
    /// The lowercase code used in outputs.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The validation codes of schema.md §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// Customer or follow-up row with neither name nor id.
    MissingCustomerName,
    /// A date cell no accepted form reads.
    UnparseableDate,
    /// A date after the as-of date.
    FutureDate,
    /// A date column whose day/month order could not be proved.
    AmbiguousDateColumn,
    /// Amount text that cannot be read.
    UnparseableAmount,
    /// A negative amount.
    NegativeAmount,
    /// A budget range whose low end is above its high end.
    BudgetMinGtMax,
    /// Not a phone number.
    InvalidPhone,
    /// A mainland mobile in a phone field.
    PersonalPhone,
    /// Not an e-mail address.
    InvalidEmail,
    /// An address at a personal mail provider.
    PersonalEmail,
    /// A full Chinese contact name.
    UnmaskedContactName,
    /// Industry text that maps to no GB/T 4754 entry.
    UnknownIndustry,
    /// A stage that maps to no canonical stage.
    NonstandardStage,
    /// A grade that is not A/B/C.
    UnknownGrade,
    /// A source outside the canonical list.
    UnknownSource,
    /// A satisfaction score outside 1–5.
    InvalidSatisfaction,
    /// Rows merged into one customer.
    DuplicateCustomer,
    /// Close names that were not merged.
    PossibleDuplicate,
    /// A follow-up whose customer is in no customer table.
    OrphanFollowup,
    /// Signed before the opportunity started.
    SignBeforeStart,
    /// Won with no signed date.
    WonWithoutSignDate,
    /// Won with no amount.
    WonWithoutAmount,
    /// An amount on an opportunity that is not won.
    AmountWithoutWon,
    /// A mainland ID card number.
    IdNumber,
    /// A date without a year.
    DateWithoutYear,
    /// A subtotal / total / notes row left out.
    SummaryRow,
    /// A target period in no accepted form.
    UnreadablePeriod,
    /// An Excel error cell such as `#N/A` (read as empty).
    ErrorCell,
    /// A second column mapped to an already mapped field.
    DuplicateColumn,
}

impl Code {
    /// Every code, in the order of schema.md §4 (then the tool's own).
    pub const ALL: &'static [Code] = &[
        Code::MissingCustomerName,
        Code::UnparseableDate,
        Code::FutureDate,
        Code::AmbiguousDateColumn,
        Code::UnparseableAmount,
        Code::NegativeAmount,
        Code::BudgetMinGtMax,
        Code::InvalidPhone,
        Code::PersonalPhone,
        Code::InvalidEmail,
        Code::PersonalEmail,
        Code::UnmaskedContactName,
        Code::UnknownIndustry,
        Code::NonstandardStage,
        Code::UnknownGrade,
        Code::UnknownSource,
        Code::InvalidSatisfaction,
        Code::DuplicateCustomer,
        Code::PossibleDuplicate,
        Code::OrphanFollowup,
        Code::SignBeforeStart,
        Code::WonWithoutSignDate,
        Code::WonWithoutAmount,
        Code::AmountWithoutWon,
        Code::IdNumber,
        Code::DateWithoutYear,
        Code::SummaryRow,
        Code::UnreadablePeriod,
        Code::ErrorCell,
        Code::DuplicateColumn,
    ];

    /// The snake_case code as written in outputs.
    pub fn code(self) -> &'static str {
        match self {
            Code::MissingCustomerName => "missing_customer_name",
            Code::UnparseableDate => "unparseable_date",
            Code::FutureDate => "future_date",
            Code::AmbiguousDateColumn => "ambiguous_date_column",
            Code::UnparseableAmount => "unparseable_amount",
            Code::NegativeAmount => "negative_amount",
            Code::BudgetMinGtMax => "budget_min_gt_max",
            Code::InvalidPhone => "invalid_phone",
            Code::PersonalPhone => "personal_phone",
            Code::InvalidEmail => "invalid_email",
            Code::PersonalEmail => "personal_email",
            Code::UnmaskedContactName => "unmasked_contact_name",
            Code::UnknownIndustry => "unknown_industry",
            Code::NonstandardStage => "nonstandard_stage",
            Code::UnknownGrade => "unknown_grade",
            Code::UnknownSource => "unknown_source",
            Code::InvalidSatisfaction => "invalid_satisfaction",
            Code::DuplicateCustomer => "duplicate_customer",
            Code::PossibleDuplicate => "possible_duplicate",
            Code::OrphanFollowup => "orphan_followup",
            Code::SignBeforeStart => "sign_before_start",
            Code::WonWithoutSignDate => "won_without_sign_date",
            Code::WonWithoutAmount => "won_without_amount",
            Code::AmountWithoutWon => "amount_without_won",
            Code::IdNumber => "id_number",
            Code::DateWithoutYear => "date_without_year",
            Code::SummaryRow => "summary_row",
            Code::UnreadablePeriod => "unreadable_period",
            Code::ErrorCell => "error_cell",
            Code::DuplicateColumn => "duplicate_column",
        }
    }

    /// The severity schema.md §4 gives the code.
    pub fn severity(self) -> Severity {
        match self {
            Code::MissingCustomerName => Severity::Error,
            Code::UnmaskedContactName
            | Code::UnknownSource
            | Code::DuplicateCustomer
            | Code::PossibleDuplicate
            | Code::AmountWithoutWon
            | Code::DateWithoutYear
            | Code::SummaryRow
            | Code::DuplicateColumn => Severity::Info,
            _ => Severity::Warning,
        }
    }
}

/// One problem found in the input, with its place and a suggested fix.
/// Millions are held on a big input, so a finding is 40 bytes: the file
/// and sheet are the sheet's one shared [`Source`], and the row a `u32`.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The validation code.
    pub code: Code,
    /// Its severity (usually `code.severity()`).
    pub severity: Severity,
    /// 1-based spreadsheet row; 0 for a finding about a whole column or
    /// sheet. A sheet held in memory has far fewer than 2^32 rows.
    pub row: u32,
    /// The input file and sheet (shared by the sheet's rows and findings);
    /// read them with [`Finding::file`] and [`Finding::sheet`].
    pub source: Arc<Source>,
    /// Column header as written in the file (shared by the findings of
    /// the column).
    pub column: Text,
    /// The original value (shared with the record that holds it).
    pub value: Text,
    /// Detail for the message (e.g. the other name of a possible duplicate).
    pub detail: Text,
}

// The size the finding's documentation promises (64-bit targets).
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Finding>() == 40);

/// Written as an object of code, severity, file, sheet, row, column, value
/// and detail, in that order.
impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Finding", 8)?;
        out.serialize_field("code", &self.code)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("file", &**self.file())?;
        out.serialize_field("sheet", &**self.sheet())?;
        out.serialize_field("row", &self.row)?;
        out.serialize_field("column", &*self.column)?;
        out.serialize_field("value", &*self.value)?;
        out.serialize_field("detail", &*self.detail)?;
        out.end()
    }
}

/// One empty text for every finding without a detail: millions of
/// findings are held on big inputs.
pub fn empty_text() -> Text {
    static EMPTY: std::sync::LazyLock<Text> = std::sync::LazyLock::new(|| Text::from(""));
    EMPTY.clone()
}

/// A field's Chinese label as shared text, made once per run.
pub fn label_text(f: crate::schema::Field) -> Text {
    static LABELS: std::sync::LazyLock<Vec<Text>> = std::sync::LazyLock::new(|| {
        crate::schema::Field::ALL
            .iter()
            .map(|f| Text::from(f.label()))
            .collect()
    });
    LABELS[f as usize].clone()
}

/// Shared text for `s`: the empty text without an allocation.
fn text_of(s: &str) -> Text {
    if s.is_empty() {
        empty_text()
    } else {
        Text::from(s)
    }
}

impl Finding {
    /// A finding with the code's own severity.
    pub fn new(code: Code, origin: &crate::model::Origin, column: &str, value: &str) -> Finding {
        Finding::shared(code, origin, text_of(column), text_of(value))
    }

    /// [`Finding::new`] with a column and value already shared (no copy).
    pub fn shared(code: Code, origin: &crate::model::Origin, column: Text, value: Text) -> Finding {
        Finding {
            code,
            severity: code.severity(),
            row: u32::try_from(origin.row).unwrap_or(u32::MAX),
            source: origin.source.clone(),
            column,
            value,
            detail: empty_text(),
        }
    }

    /// The input file.
    pub fn file(&self) -> &Text {
        &self.source.file
    }

    /// The sheet of the file.
    pub fn sheet(&self) -> &Text {
        &self.source.sheet
    }

    /// Adds a detail text.
    pub fn with_detail(mut self, detail: impl AsRef<str>) -> Finding {
        self.detail = text_of(detail.as_ref());
        self
    }

    /// Adds a detail text already shared (no copy).
    pub fn with_shared_detail(mut self, detail: Text) -> Finding {
        self.detail = detail;
        self
    }

    /// The order findings are listed in: by file, sheet and row. Findings
    /// of one sheet share its names, which then compare without reading them.
    pub fn place_order(&self, other: &Finding) -> std::cmp::Ordering {
        let text = |a: &Text, b: &Text| {
            if Text::ptr_eq(a, b) {
                std::cmp::Ordering::Equal
            } else {
                a.cmp(b)
            }
        };
        let place = if Arc::ptr_eq(&self.source, &other.source) {
            std::cmp::Ordering::Equal
        } else {
            text(self.file(), other.file()).then_with(|| text(self.sheet(), other.sheet()))
        };
        place.then(self.row.cmp(&other.row))
    }
}
