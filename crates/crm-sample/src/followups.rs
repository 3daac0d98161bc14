//! The follow-up log (`跟进记录.csv`, GBK): the contacts of each customer,
//! dated between its first contact and its last touch, with the stage
//! reached after each one, to-dos, and a few rows for companies that are
//! in no customer list.
//!
//! A customer's rows are computed from the seed, its index and its facts,
//! so they agree with the customer row (the last follow-up falls on the
//! customer's last touch, a won deal's last pre-sale contact on its signed
//! date) without keeping anything in memory between customers.

use crate::cell::iso;
use crate::customers::{Ctx, Customer, Stage};
use crate::delimited::DelimitedWriter;
use crate::forms::date_text;
use crate::names::{identity, Variant};
use crate::rng::{stream, Rng};
use crate::row::{owner_text, stage_label};
use crate::vocab::{FEEDBACK, METHODS, NEXT_ACTIONS, REPS, SUMMARIES};
use chrono::{Datelike, Days, NaiveDate};
use std::io;

const SALT_FOLLOWUP: u64 = 0x51;

/// Header of the follow-up log.
pub const HEADER: [&str; 10] = [
    "客户编号",
    "企业名称",
    "跟进日期",
    "跟进方式",
    "跟进人",
    "沟通内容摘要",
    "客户反馈",
    "跟进状态",
    "下一步行动",
    "完成时限",
];

/// The dated contacts of `c`, in date order, each with the stage it left
/// the deal in.
fn schedule(rng: &mut Rng, c: &Customer) -> Vec<(NaiveDate, Stage)> {
    let k = c.followups;
    if k == 0 {
        return Vec::new();
    }
    let first = c.first_contact;
    let maintenance = match c.signed {
        Some(s) if c.stage == Stage::Won && c.last_touch > s && k >= 2 => Some(c.last_touch),
        _ => None,
    };
    let pre_end = match maintenance {
        Some(_) => c.signed.unwrap_or(c.last_touch),
        None => c.last_touch,
    };
    let pre = k - usize::from(maintenance.is_some());
    let width = (pre_end - first).num_days().max(0);
    let mut dates: Vec<NaiveDate> = (0..pre)
        .map(|j| match j {
            0 if pre >= 2 => first,
            j if j == pre - 1 => pre_end,
            _ => first + Days::new(rng.range(0, width) as u64),
        })
        .collect();
    dates.sort();

    let (terminal, peak) = match c.stage {
        Stage::Won => (Some(Stage::Won), Stage::Negotiation),
        Stage::Lost => (Some(Stage::Lost), c.lost_at),
        open => (None, open),
    };
    let climbing = pre - usize::from(terminal.is_some());
    let peak = peak as usize;
    let mut out: Vec<(NaiveDate, Stage)> = dates
        .into_iter()
        .enumerate()
        .map(|(j, d)| match terminal {
            Some(t) if j == pre - 1 => (d, t),
            _ => (
                d,
                Stage::open((1 + ((j + 1) * peak - 1) / climbing.max(1)) as u8),
            ),
        })
        .collect();
    if let Some(d) = maintenance {
        out.push((d, Stage::Won));
    }
    out
}

/// A follow-up date as typed: ISO mostly, other forms now and then, rarely
/// unreadable or with the year mistyped.
fn date_field(rng: &mut Rng, ctx: &Ctx, d: NaiveDate) -> String {
    let roll = rng.unit();
    if roll < 0.001 {
        rng.pick(&["上周五", "月底"]).to_string()
    } else if roll < 0.0025 {
        let typo = d.with_year(d.year() + 1).unwrap_or(d);
        iso(typo.max(ctx.as_of + Days::new(1)))
    } else if roll < 0.85 {
        iso(d)
    } else {
        date_text(rng, d)
    }
}

fn summary(rng: &mut Rng, stage: Stage, c: &Customer) -> String {
    let template = *rng.pick(SUMMARIES[stage as usize - 1]);
    let need = c.needs.first().map_or("产品", |_| *rng.pick(&c.needs));
    template.replace("{need}", need)
}

/// Write the follow-ups of customer `c`, then its orphan rows, if any.
pub fn write_for(ctx: &Ctx, c: &Customer, out: &mut DelimitedWriter) -> io::Result<()> {
    let mut rng = stream(ctx.seed, SALT_FOLLOWUP, c.index);
    let plan = schedule(&mut rng, c);
    for (date, stage) in plan {
        let id = if rng.chance(0.88) { c.id.as_str() } else { "" };
        let name = if c.name.is_empty() || c.duplicate || rng.chance(0.92) {
            c.name.clone()
        } else {
            let variants = c.identity.variants();
            let v = *rng.pick(&variants);
            c.identity.render(if v == Variant::InnerSpace {
                Variant::DropLegal
            } else {
                v
            })
        };
        let name = if id.is_empty() && name.is_empty() {
            c.name.clone()
        } else {
            name
        };
        let rep = match rng.below(100) {
            0..=2 => None,
            3..=5 => Some(rng.weighted_index(REPS.iter().map(|r| f64::from(r.weight)))),
            _ => c.rep,
        };
        write_row(
            ctx,
            &mut rng,
            out,
            [id.to_string(), name],
            date,
            stage,
            rep,
            c,
        )?;
    }
    for _ in 0..c.orphans {
        let stranger = identity(ctx.seed, ctx.customers as u64 + c.index);
        let date = ctx.start + Days::new(rng.range(0, ctx.span()) as u64);
        let rep = Some(rng.weighted_index(REPS.iter().map(|r| f64::from(r.weight))));
        let stage = Stage::open(rng.range(1, 2) as u8);
        write_row(
            ctx,
            &mut rng,
            out,
            [String::new(), stranger.name()],
            date,
            stage,
            rep,
            c,
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn write_row(
    ctx: &Ctx,
    rng: &mut Rng,
    out: &mut DelimitedWriter,
    [id, name]: [String; 2],
    date: NaiveDate,
    stage: Stage,
    rep: Option<usize>,
    c: &Customer,
) -> io::Result<()> {
    let date_cell = date_field(rng, ctx, date);
    let method = *rng.weighted(&METHODS);
    let owner = owner_text(rng, rep);
    let text = summary(rng, stage, c);
    let feedback = if rng.chance(0.85) {
        *rng.pick(&FEEDBACK)
    } else {
        ""
    };
    let stage_cell = if rng.chance(0.6) {
        stage_label(rng, stage)
    } else {
        ""
    };
    let (action, due) = if rng.chance(0.4) {
        let need = c.needs.first().copied().unwrap_or("产品");
        let action = rng
            .pick(NEXT_ACTIONS[stage as usize - 1])
            .replace("{need}", need);
        let due = date + Days::new(rng.range(2, 21) as u64);
        let due = if rng.chance(0.9) {
            iso(due)
        } else {
            date_text(rng, due)
        };
        (action, due)
    } else {
        (String::new(), String::new())
    };
    out.record([
        id.as_str(),
        name.as_str(),
        date_cell.as_str(),
        method,
        owner.as_str(),
        text.as_str(),
        feedback,
        stage_cell,
        action.as_str(),
        due.as_str(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::generate;
    use crate::vocab::{
        STAGE_LEAD, STAGE_LOST, STAGE_NEGOTIATION, STAGE_PROPOSAL, STAGE_QUALIFY, STAGE_WON,
    };

    #[test]
    fn follow_up_vocabulary_is_gbk() {
        let mut texts: Vec<&str> = Vec::new();
        texts.extend(HEADER);
        texts.extend(METHODS.iter().map(|m| m.0));
        texts.extend(FEEDBACK);
        texts.extend(NEXT_ACTIONS.iter().flat_map(|s| s.iter().copied()));
        texts.extend(SUMMARIES.iter().flat_map(|s| s.iter().copied()));
        texts.extend(REPS.iter().map(|r| r.name));
        for list in [
            &STAGE_LEAD[..],
            &STAGE_QUALIFY[..],
            &STAGE_PROPOSAL[..],
            &STAGE_WON[..],
        ] {
            texts.extend(list.iter().map(|s| s.0));
        }
        texts.extend(STAGE_NEGOTIATION.iter().map(|s| s.0));
        texts.extend(STAGE_LOST.iter().map(|s| s.0));
        texts.push("\u{3000}（）");
        for t in texts {
            let (_, _, bad) = encoding_rs::GBK.encode(t);
            assert!(!bad, "{t} is not GBK");
        }
    }

    #[test]
    fn schedule_matches_the_customer() {
        let as_of = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        let ctx = Ctx::new(42, as_of, 500, 4);
        for i in 0..500 {
            let c = generate(&ctx, i);
            let plan = schedule(&mut Rng::new(i), &c);
            assert_eq!(plan.len(), c.followups);
            assert!(
                plan.windows(2).all(|w| w[0].0 <= w[1].0),
                "row {i} out of order"
            );
            if let Some((last, _)) = plan.last() {
                assert_eq!(*last, c.last_touch, "row {i}");
                assert!(plan[0].0 >= c.first_contact);
            }
            if let (Stage::Won, Some(s)) = (c.stage, c.signed) {
                let pre: Vec<_> = plan.iter().filter(|(d, _)| *d <= s).collect();
                assert!(pre.iter().all(|(_, st)| *st <= Stage::Won));
            }
            if c.stage == Stage::Lost && !plan.is_empty() {
                assert_eq!(plan.last().unwrap().1, Stage::Lost);
                assert!(plan
                    .iter()
                    .all(|(_, st)| *st == Stage::Lost || *st <= c.lost_at));
            }
        }
    }
}
