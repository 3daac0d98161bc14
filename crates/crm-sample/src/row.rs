//! How a customer row is written: the header labels of the team's form and
//! each cell's label, form or blank, including the planted quirks.
//!
//! Facts come from `customers.rs`; here they only get dressed the way a
//! busy sales rep types them. A sloppier rep leaves more cells empty.

use crate::cell::Cell;
use crate::customers::{Ctx, Customer, Grade, Stage};
use crate::forms::{
    amount_cell, budget_text, contact_name, date_cell, email_cell, float_mobile, id_card_number,
    phone_cell,
};
use crate::plan::Quirk;
use crate::rng::Rng;
use crate::vocab::{
    CITIES, EMPLOYEE_FORMS, GRADE_A, GRADE_B, GRADE_C, INDUSTRIES, JOB_TITLES, NEED_SEPARATORS,
    REMARKS, REPS, SOURCES, STAGE_LEAD, STAGE_LOST, STAGE_NEGOTIATION, STAGE_NONSTANDARD,
    STAGE_PROPOSAL, STAGE_QUALIFY, STAGE_WON,
};
use chrono::{Datelike, Days};

/// Header of the customers table: the team's labels, with required marks
/// and one bracketed note; `备注` maps to no field.
pub const HEADER: [&str; 26] = [
    "客户编号",
    "企业名称*",
    "所属行业",
    "员工数",
    "注册地",
    "客户来源(展会/转介绍/线上咨询)",
    "客户分级",
    "负责销售*",
    "建档日期",
    "首次接触时间",
    "最近跟进时间",
    "跟进状态*",
    "流失前阶段",
    "关键对接人",
    "职位",
    "联系电话",
    "邮箱",
    "核心需求",
    "次要需求",
    "预算范围",
    "成交金额",
    "签约日期",
    "满意度评分",
    "复购/增购需求",
    "转介绍意向",
    "备注",
];

/// Column of 客户编号.
pub const ID: usize = 0;
/// Column of 企业名称.
pub const NAME: usize = 1;
/// Column of 建档日期.
pub const CREATED: usize = 8;
/// Column of 签约日期.
pub const SIGNED: usize = 21;
/// Column of 关键对接人.
pub const CONTACT: usize = 13;
/// Column of 职位.
pub const TITLE: usize = 14;
/// Column of 联系电话.
pub const PHONE: usize = 15;
/// Column of 邮箱.
pub const EMAIL: usize = 16;
/// Column of 次要需求.
pub const NEED_SECONDARY: usize = 18;
/// Column of 成交金额.
pub const AMOUNT: usize = 20;
/// Column of 备注.
pub const REMARK: usize = 25;

/// The label of a stage as some rep writes it.
pub fn stage_label(rng: &mut Rng, stage: Stage) -> &'static str {
    let labels: &[(&'static str, u32)] = match stage {
        Stage::Lead => &STAGE_LEAD[..],
        Stage::Qualify => &STAGE_QUALIFY[..],
        Stage::Proposal => &STAGE_PROPOSAL[..],
        Stage::Negotiation => &STAGE_NEGOTIATION[..],
        Stage::Won => &STAGE_WON[..],
        Stage::Lost => &STAGE_LOST[..],
    };
    labels[rng.weighted_index(labels.iter().map(|l| f64::from(l.1)))].0
}

/// An owner name as typed: now and then with stray spaces.
pub fn owner_text(rng: &mut Rng, rep: Option<usize>) -> String {
    let Some(r) = rep else { return String::new() };
    let name = REPS[r].name;
    match rng.below(100) {
        0 => format!(" {name} "),
        1 => format!("{name} "),
        2 => format!("{name}\u{3000}"),
        _ => name.to_string(),
    }
}

fn join_needs(rng: &mut Rng, needs: &[&str]) -> String {
    let sep = if rng.chance(0.01) {
        "\n"
    } else {
        rng.weighted(&NEED_SEPARATORS)
    };
    needs.join(sep)
}

fn region_text(rng: &mut Rng, city: usize) -> String {
    let c = &CITIES[city];
    let municipality = c.province.starts_with(c.name);
    match rng.below(100) {
        0..=34 if municipality => c.province.to_string(),
        0..=34 => format!("{}{}市", c.province, c.name),
        35..=59 => c.name.to_string(),
        60..=79 => format!("{}市", c.name),
        80..=89 if !municipality => format!("{}{}", c.province.trim_end_matches('省'), c.name),
        _ => c.name.to_string(),
    }
}

fn grade_text(rng: &mut Rng, grade: Option<Grade>) -> String {
    match grade {
        Some(Grade::A) => rng.weighted(&GRADE_A).to_string(),
        Some(Grade::B) => rng.weighted(&GRADE_B).to_string(),
        Some(Grade::C) => rng.weighted(&GRADE_C).to_string(),
        None => String::new(),
    }
}

fn satisfaction(rng: &mut Rng) -> Cell {
    let forms: [(&str, u32); 10] = [
        ("5", 30),
        ("4", 30),
        ("3", 8),
        ("5分", 8),
        ("4分", 8),
        ("★★★★", 5),
        ("★★★★★", 4),
        ("4/5", 4),
        ("2", 2),
        ("很满意", 1),
    ];
    let s = *rng.weighted(&forms);
    match s.parse::<f64>() {
        Ok(v) => Cell::Number(v),
        Err(_) => Cell::text(s),
    }
}

fn yes_no(rng: &mut Rng) -> Cell {
    Cell::text(*rng.weighted(&[("有", 35), ("无", 25), ("是", 20), ("否", 15), ("待定", 5)]))
}

/// Fill `c.cells` from the facts of `c`.
pub fn write(ctx: &Ctx, c: &mut Customer, rng: &mut Rng) {
    let sloppy = c.rep.map_or(0.1, |r| REPS[r].sloppiness);
    // `filled(p)`: the cell is filled with probability p, less for a sloppy rep.
    let filled = |rng: &mut Rng, p: f64| rng.chance(p - sloppy);
    let quirk = c.quirk;
    let mut cells = vec![Cell::Empty; HEADER.len()];

    if filled(rng, 0.99) {
        cells[ID] = Cell::text(c.id.clone());
    }
    if quirk != Some(Quirk::MissingName) {
        cells[NAME] = Cell::text(c.name.clone());
    } else {
        cells[ID] = Cell::Empty;
        c.id.clear();
        c.name.clear();
    }
    if let Cell::Empty = cells[ID] {
        c.id.clear();
    }
    if filled(rng, 0.97) {
        cells[2] = Cell::text(*rng.weighted(INDUSTRIES[c.identity.industry].labels));
    }
    if filled(rng, 0.72) {
        cells[3] = if rng.chance(0.5) {
            Cell::Number(rng.log_uniform(8.0, 5000.0).round())
        } else {
            Cell::text(*rng.pick(&EMPLOYEE_FORMS))
        };
    }
    if filled(rng, 0.92) {
        cells[4] = Cell::text(region_text(rng, c.identity.city));
    }
    cells[5] = Cell::text(SOURCES[c.source].0);
    cells[6] = match quirk {
        Some(Quirk::BadGrade) => Cell::text("D"),
        _ => Cell::text(grade_text(rng, c.grade)),
    };
    cells[7] = Cell::text(owner_text(rng, c.rep));
    if filled(rng, 0.98) {
        cells[CREATED] = date_cell(rng, c.created);
    }
    cells[9] = match quirk {
        Some(Quirk::UnparseableDate) => Cell::text(*rng.pick(&["上周", "待补充"])),
        _ if filled(rng, 0.99) => date_cell(rng, c.first_contact),
        _ => Cell::Empty,
    };
    cells[10] = match quirk {
        Some(Quirk::FutureDate) => {
            let typo = c.last_touch.with_year(c.last_touch.year() + 1);
            Cell::Date(typo.unwrap_or(c.last_touch).max(ctx.as_of + Days::new(1)))
        }
        Some(Quirk::DateWithoutYear) => Cell::text(format!(
            "{}月{}日",
            c.last_touch.month(),
            c.last_touch.day()
        )),
        _ if rng.chance(0.05) => Cell::Empty,
        _ if rng.chance(0.05) => {
            date_cell(rng, (c.last_touch - Days::new(14)).max(c.first_contact))
        }
        _ => date_cell(rng, c.last_touch),
    };
    let nonstandard = c.stage < Stage::Won && rng.chance(0.025);
    cells[11] = if nonstandard {
        Cell::text(*rng.pick(&STAGE_NONSTANDARD))
    } else if rng.chance(0.01) {
        Cell::Empty
    } else {
        Cell::text(stage_label(rng, c.stage))
    };
    if c.stage == Stage::Lost && rng.chance(0.9) {
        cells[12] = Cell::text(stage_label(rng, c.lost_at));
    }
    if filled(rng, 0.93) {
        cells[CONTACT] = Cell::text(contact_name(rng));
    }
    if filled(rng, 0.86) {
        cells[TITLE] = Cell::text(*rng.weighted(&JOB_TITLES));
    }
    cells[PHONE] = match quirk {
        Some(Quirk::FloatPhone) => Cell::text(float_mobile(rng)),
        _ => phone_cell(rng, c.identity.city),
    };
    cells[EMAIL] = email_cell(rng, &c.identity);
    if filled(rng, 0.95) {
        cells[17] = Cell::text(join_needs(rng, &c.needs));
    }
    if !c.secondary.is_empty() {
        cells[NEED_SECONDARY] = Cell::text(join_needs(rng, &c.secondary));
    }
    cells[19] = match quirk {
        Some(Quirk::BudgetMinGtMax) => Cell::text("50-30万"),
        _ if filled(rng, 0.76) => Cell::text(budget_text(rng, c.value)),
        _ => Cell::Empty,
    };
    write_deal(ctx, c, rng, &mut cells);
    if rng.chance(0.2) {
        cells[REMARK] = Cell::text(*rng.pick(&REMARKS));
    }
    if quirk == Some(Quirk::IdNumber) {
        cells[REMARK] = Cell::text(format!("开票联系人身份证：{}", id_card_number(rng)));
    }
    c.cells = cells;
}

/// 成交金额, 签约日期 and the after-sale columns.
fn write_deal(ctx: &Ctx, c: &Customer, rng: &mut Rng, cells: &mut [Cell]) {
    match c.stage {
        Stage::Won => {
            cells[AMOUNT] = match c.quirk {
                Some(Quirk::WonWithoutAmount) => Cell::Empty,
                Some(Quirk::NegativeAmount) => Cell::Number(-c.value.min(50_000.0)),
                Some(Quirk::VagueDealAmount) => {
                    Cell::text(format!("约{}万", crate::forms::wan(c.value)))
                }
                _ => amount_cell(rng, c.value),
            };
            let signed = c.signed.unwrap_or(c.first_contact);
            cells[SIGNED] = match c.quirk {
                Some(Quirk::WonWithoutSignDate) => Cell::Empty,
                Some(Quirk::SignBeforeStart) => {
                    Cell::Date(c.first_contact - Days::new(rng.range(5, 40) as u64))
                }
                _ => date_cell(rng, signed),
            };
            if c.quirk == Some(Quirk::BadSatisfaction) {
                cells[22] = Cell::Number(6.0);
            } else if rng.chance(0.75) {
                cells[22] = satisfaction(rng);
            }
            if rng.chance(0.7) {
                cells[23] = yes_no(rng);
            }
            if rng.chance(0.6) {
                cells[24] = yes_no(rng);
            }
        }
        Stage::Lost => {
            if c.shows_expected {
                cells[AMOUNT] = amount_cell(rng, c.value);
            }
            if rng.chance(0.15) {
                cells[SIGNED] = date_cell(rng, c.closed.unwrap_or(c.last_touch));
            }
        }
        _ => {
            if c.shows_expected {
                cells[AMOUNT] = amount_cell(rng, c.value);
                if rng.chance(0.6) {
                    // Read as the expected close date of an open deal; some slipped.
                    let close = ctx.as_of - Days::new(30) + Days::new(rng.range(0, 120) as u64);
                    cells[SIGNED] = date_cell(rng, close);
                }
            }
            if rng.chance(0.05) {
                cells[23] = yes_no(rng);
            }
        }
    }
}
