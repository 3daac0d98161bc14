//! One raw cell of a mapped column → a canonical value plus the findings it
//! raises. This is where the normalizers of `normalize/` meet the validation
//! codes of schema.md §4; it knows cells and fields, not rows or tables.

use crate::config::Config;
use crate::findings::Code;
use crate::model::{format_number, Cell, Text, Value};
use crate::normalize::amount::{amount_from_number, parse_amount, parse_budget, AmountError};
use crate::normalize::contact::{check_email, is_unmasked_chinese_name, EmailCheck};
use crate::normalize::date::{parse_date_number, parse_date_text, DateOrder, ParsedDate};
use crate::normalize::grade::parse_grade;
use crate::normalize::industry::map_industry;
use crate::normalize::method::parse_method;
use crate::normalize::period::{parse_target_period, TargetPeriod};
use crate::normalize::phone::{check_phone, PhoneCheck};
use crate::normalize::satisfaction::{parse_satisfaction, parse_yes_no};
use crate::normalize::source::parse_source;
use crate::normalize::stage::{Pipeline, StageParse};
use crate::normalize::text::{clean_text, clean_text_cow};
use crate::schema::{Field, FieldKind};

/// What the cell normalizer needs besides the cell.
pub struct CellContext<'a> {
    /// The run's configuration.
    pub config: &'a Config,
    /// The stage table.
    pub pipeline: &'a Pipeline,
    /// Day/month order decided for this column.
    pub date_order: DateOrder,
    /// Year used for dates written without one.
    pub default_year: i32,
}

/// The outcome of normalizing one cell.
#[derive(Debug, Default, Clone)]
pub struct CellResult {
    /// The canonical value; `None` when empty or not readable.
    pub value: Option<Value>,
    /// Findings raised, with an optional detail text each.
    pub findings: Vec<(Code, String)>,
}

impl CellResult {
    fn value(v: Value) -> CellResult {
        CellResult {
            value: Some(v),
            findings: Vec::new(),
        }
    }

    fn finding(code: Code) -> CellResult {
        CellResult {
            value: None,
            findings: vec![(code, String::new())],
        }
    }

    fn and(mut self, code: Code) -> CellResult {
        self.findings.push((code, String::new()));
        self
    }
}

/// True when a text cell of `field` never raises a finding: free text,
/// which normalization only cleans. A run that does not keep such a field
/// ([`crate::tables::Projection`]) need not normalize it at all.
pub fn raises_nothing(field: Field) -> bool {
    match field.kind() {
        FieldKind::Text | FieldKind::Needs | FieldKind::Count => true,
        FieldKind::Person => field != Field::ContactName,
        _ => false,
    }
}

/// Normalizes one non-blank cell of a column mapped to `field`. `written`
/// is the cell's text as the record keeps it (what [`cell_text`] shows, ID
/// numbers masked, as in `cell` when it is a text cell): a text value equal
/// to it shares its allocation.
pub fn normalize_cell(field: Field, cell: &Cell, written: &Text, ctx: &CellContext) -> CellResult {
    if let Cell::Error(_) = cell {
        return CellResult::finding(Code::ErrorCell);
    }
    match field.kind() {
        FieldKind::Date | FieldKind::DateTime => date_cell(field, cell, ctx),
        FieldKind::Amount => amount_cell(cell),
        FieldKind::Budget => budget_cell(cell),
        FieldKind::Period => period_cell(cell),
        _ => {
            let text = clean_text_cow(written);
            if text.is_empty() {
                return CellResult::default();
            }
            text_cell(field, &text, written, ctx)
        }
    }
}

/// Dates: real date cells, serials and yyyymmdd numbers, and text forms.
fn date_cell(field: Field, cell: &Cell, ctx: &CellContext) -> CellResult {
    let parsed = match cell {
        Cell::DateTime(dt) => Some(ParsedDate {
            date: dt.date(),
            time: (dt.time() != chrono::NaiveTime::MIN).then(|| dt.time()),
            without_year: false,
        }),
        Cell::Number(n) => parse_date_number(*n),
        Cell::Text(t) => {
            let t = clean_text_cow(t);
            // A CSV keeps an Excel serial or yyyymmdd number as text.
            parse_date_text(&t, ctx.date_order, ctx.default_year)
                .ok()
                .or_else(|| t.parse::<f64>().ok().and_then(parse_date_number))
        }
        Cell::Bool(_) | Cell::Empty | Cell::Error(_) => None,
    };
    let Some(p) = parsed else {
        return CellResult::finding(Code::UnparseableDate);
    };
    let value = match p.time {
        Some(t) => Value::DateTime(p.date.and_time(t)),
        None if field.kind() == FieldKind::DateTime => {
            Value::DateTime(p.date.and_time(chrono::NaiveTime::MIN))
        }
        None => Value::Date(p.date),
    };
    let r = CellResult::value(value);
    if p.without_year {
        r.and(Code::DateWithoutYear)
    } else {
        r
    }
}

/// A single amount; ranges and vague amounts are unreadable here (metrics.md §7).
fn amount_cell(cell: &Cell) -> CellResult {
    let cents = match cell {
        Cell::Number(n) => amount_from_number(*n).ok_or(AmountError::Unparseable),
        Cell::Text(t) => parse_amount(&clean_text_cow(t)),
        Cell::Bool(_) | Cell::DateTime(_) | Cell::Empty | Cell::Error(_) => {
            Err(AmountError::Unparseable)
        }
    };
    match cents {
        Ok(c) if c < 0 => CellResult::value(Value::Money(c)).and(Code::NegativeAmount),
        Ok(c) => CellResult::value(Value::Money(c)),
        Err(_) => CellResult::finding(Code::UnparseableAmount),
    }
}

/// A budget: one amount or a range.
fn budget_cell(cell: &Cell) -> CellResult {
    let range = match cell {
        Cell::Number(n) => amount_from_number(*n)
            .map(|c| (c, c))
            .ok_or(AmountError::Unparseable),
        Cell::Text(t) => parse_budget(&clean_text_cow(t)),
        Cell::Bool(_) | Cell::DateTime(_) | Cell::Empty | Cell::Error(_) => {
            Err(AmountError::Unparseable)
        }
    };
    match range {
        Ok((lo, hi)) => {
            let mut r = CellResult::value(Value::MoneyRange(std::sync::Arc::new((lo, hi))));
            if lo < 0 || hi < 0 {
                r = r.and(Code::NegativeAmount);
            }
            if lo > hi {
                r = r.and(Code::BudgetMinGtMax);
            }
            r
        }
        Err(_) => CellResult::finding(Code::UnparseableAmount),
    }
}

/// A target period: its canonical label (`2024-03`, `2024-Q1`, `2024`), or
/// `unreadable_period`. A real date cell is its month: Excel turns a typed
/// `2024-03` into the date 2024-03-01.
fn period_cell(cell: &Cell) -> CellResult {
    let period = match cell {
        Cell::DateTime(dt) => {
            let d = dt.date();
            TargetPeriod::month(chrono::Datelike::year(&d), chrono::Datelike::month(&d))
        }
        other => parse_target_period(&clean_text(&other.display())),
    };
    match period {
        Some(p) => CellResult::value(Value::Text(Text::from(p.label()))),
        None => CellResult::finding(Code::UnreadablePeriod),
    }
}

/// Every text-based kind.
fn text_cell(field: Field, text: &str, written: &Text, ctx: &CellContext) -> CellResult {
    // A value that is the text as written shares its allocation.
    let text_value = |s: &str| {
        Value::Text(if s == written.as_str() {
            written.clone()
        } else {
            Text::from(s)
        })
    };
    match field.kind() {
        FieldKind::Stage => match ctx.pipeline.parse(text) {
            StageParse::Known(i) => CellResult::value(Value::Stage(i)),
            StageParse::Nonstandard => CellResult::finding(Code::NonstandardStage),
        },
        FieldKind::DealStatus => match deal_status(text) {
            Some(s) => CellResult::value(text_value(s)),
            None => CellResult::default(),
        },
        FieldKind::Grade => match parse_grade(text) {
            Some(g) => CellResult::value(Value::Grade(g)),
            None => CellResult::finding(Code::UnknownGrade),
        },
        FieldKind::Source => match parse_source(text) {
            Some(s) => CellResult::value(text_value(s)),
            None => CellResult::value(text_value("其他")).and(Code::UnknownSource),
        },
        FieldKind::Method => CellResult::value(text_value(parse_method(text))),
        FieldKind::Industry => match map_industry(text) {
            Some(m) => CellResult::value(Value::Industry(std::sync::Arc::new(m))),
            None => CellResult::value(text_value(text)).and(Code::UnknownIndustry),
        },
        FieldKind::Phone => match check_phone(text) {
            PhoneCheck::Mobile(n) if ctx.config.pii.flag_mobile => {
                CellResult::value(text_value(&n)).and(Code::PersonalPhone)
            }
            PhoneCheck::Mobile(n) | PhoneCheck::Landline(n) | PhoneCheck::Service(n) => {
                CellResult::value(text_value(&n))
            }
            PhoneCheck::Invalid => CellResult::finding(Code::InvalidPhone),
        },
        FieldKind::Email => match check_email(text) {
            EmailCheck::Valid { personal: true } => {
                CellResult::value(text_value(text)).and(Code::PersonalEmail)
            }
            EmailCheck::Valid { personal: false } => CellResult::value(text_value(text)),
            EmailCheck::Invalid => CellResult::finding(Code::InvalidEmail),
        },
        FieldKind::Satisfaction => match parse_satisfaction(text) {
            Some(s) if (1.0..=5.0).contains(&s) => CellResult::value(Value::Number(s)),
            _ => CellResult::finding(Code::InvalidSatisfaction),
        },
        FieldKind::Probability => match parse_probability(text) {
            Some(p) => CellResult::value(Value::Number(p)),
            None => CellResult::default(),
        },
        FieldKind::YesNo => match parse_yes_no(text) {
            Some(b) => CellResult::value(Value::YesNo(b)),
            None => CellResult::value(text_value(text)),
        },
        FieldKind::Person if field == Field::ContactName && is_unmasked_chinese_name(text) => {
            CellResult::value(text_value(text)).and(Code::UnmaskedContactName)
        }
        FieldKind::Person
        | FieldKind::Text
        | FieldKind::Needs
        | FieldKind::Count
        | FieldKind::Period
        | FieldKind::Date
        | FieldKind::DateTime
        | FieldKind::Amount
        | FieldKind::Budget => CellResult::value(text_value(text)),
    }
}

/// Pipedrive-style status: open / won / lost and their Chinese forms.
fn deal_status(text: &str) -> Option<&'static str> {
    match text.to_lowercase().as_str() {
        "open" | "进行中" | "跟进中" => Some("open"),
        "won" | "赢单" | "赢" | "成交" => Some("won"),
        "lost" | "输单" | "输" | "丢单" => Some("lost"),
        _ => None,
    }
}

/// A probability as a fraction: `60%`, `0.6` and `60` all give 0.6.
pub fn parse_probability(text: &str) -> Option<f64> {
    let t = text.trim();
    let (num, percent) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() {
        return None;
    }
    let p = if percent || v > 1.0 { v / 100.0 } else { v };
    (0.0..=1.0).contains(&p).then_some(p)
}

/// The text a user sees for a cell that holds a number, for finding values.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Number(n) => format_number(*n),
        other => other.display(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_that_raise_nothing_raise_nothing() {
        let config = Config::default();
        let pipeline = crate::normalize::stage::Pipeline::default();
        let ctx = CellContext {
            config: &config,
            pipeline: &pipeline,
            date_order: DateOrder::Ymd,
            default_year: 2024,
        };
        let texts = [
            "张三",
            "王经理",
            "13800138000",
            "a@qq.com",
            "30-50万",
            "2024-13-45",
            "在跟进",
            "D",
            "★★★★★★",
            "abc",
            "-5",
            "110101199003074514",
            "上半年",
            " ",
        ];
        let silent: Vec<Field> = Field::ALL
            .iter()
            .copied()
            .filter(|f| raises_nothing(*f))
            .collect();
        assert!(silent.contains(&Field::Summary) && !silent.contains(&Field::ContactName));
        for f in silent {
            for t in texts {
                let r = normalize_cell(f, &Cell::Text(t.into()), &Text::from(t), &ctx);
                assert!(
                    r.findings.is_empty(),
                    "{f:?} raised {:?} on {t}",
                    r.findings
                );
            }
        }
    }

    #[test]
    fn probability_forms() {
        assert_eq!(parse_probability("60%"), Some(0.6));
        assert_eq!(parse_probability("0.6"), Some(0.6));
        assert_eq!(parse_probability("60"), Some(0.6));
        assert_eq!(parse_probability("1"), Some(1.0));
        assert_eq!(parse_probability("150%"), None);
        assert_eq!(parse_probability("高"), None);
        assert_eq!(parse_probability("NaN"), None);
    }

    #[test]
    fn period_cells_give_labels_or_unreadable_period() {
        let text = |t: &str| period_cell(&Cell::Text(t.into()));
        assert_eq!(
            text("2024年第二季度").value,
            Some(Value::Text("2024-Q2".into()))
        );
        assert_eq!(
            period_cell(&Cell::Number(2024.0)).value,
            Some(Value::Text("2024".into()))
        );
        let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let cell = Cell::DateTime(date.and_time(chrono::NaiveTime::MIN));
        assert_eq!(
            period_cell(&cell).value,
            Some(Value::Text("2024-03".into()))
        );
        let bad = text("上半年");
        assert_eq!(bad.value, None);
        assert_eq!(bad.findings, vec![(Code::UnreadablePeriod, String::new())]);
    }

    #[test]
    fn deal_status_forms() {
        assert_eq!(deal_status("Won"), Some("won"));
        assert_eq!(deal_status("输单"), Some("lost"));
        assert_eq!(deal_status("open"), Some("open"));
        assert_eq!(deal_status("?"), None);
    }
}
