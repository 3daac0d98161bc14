//! Tables other sections carry when the summary has them: the lost-deal
//! analysis (by reason, stage lost at and owner: on the funnel sheet), the
//! time spent in each stage with the stalled deals (on the cycle sheet) and
//! the keyword view of free-text needs (on the needs sheet).

use super::{defined, plain, table};
use crate::report::i18n::{data_value, stage_label, t, Lang};
use crate::report::summary::{LostRow, StalledRow, Summary};
use crate::report::view::{head, Emphasis, Table, Val};

/// How many keywords the needs sheet lists.
const KEYWORDS: usize = 20;

fn lost_table(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    key: &'static str,
    rows: &[LostRow],
    stage_codes: bool,
) -> Table {
    table(
        id,
        t(lang, title),
        vec![
            plain(lang, key),
            defined(lang, "col.lost", "lost"),
            defined(lang, "col.lost_amount", "lost_amount"),
        ],
        rows.iter()
            .map(|r| {
                let key = if stage_codes {
                    stage_label(lang, &r.key, &data_value(lang, &r.key))
                } else {
                    data_value(lang, &r.key)
                };
                vec![
                    Val::text(key),
                    Val::int(r.lost),
                    Val::money(Some(r.lost_amount)),
                ]
            })
            .collect(),
    )
}

/// Lost deals by reason, stage lost at and owner (none when no deal is lost).
pub(super) fn lost_tables(s: &Summary, lang: Lang) -> Vec<Table> {
    let l = &s.lost_analysis;
    if l.by_reason.is_empty() && l.by_stage.is_empty() && l.by_owner.is_empty() {
        return Vec::new();
    }
    vec![
        lost_table(
            lang,
            "funnel.lost_by_reason",
            "table.lost_by_reason",
            "col.lost_reason",
            &l.by_reason,
            false,
        ),
        lost_table(
            lang,
            "funnel.lost_by_stage",
            "table.lost_by_stage",
            "col.lost_at_stage",
            &l.by_stage,
            true,
        ),
        lost_table(
            lang,
            "funnel.lost_by_owner",
            "table.lost_by_owner",
            "col.owner",
            &l.by_owner,
            false,
        ),
    ]
}

/// Stalled open deals, longest stay first.
pub(in crate::report) fn stalled_table(lang: Lang, rows: &[StalledRow]) -> Table {
    table(
        "cycle.stalled",
        t(lang, "table.stalled"),
        vec![
            plain(lang, "col.customer"),
            plain(lang, "col.owner"),
            plain(lang, "col.stage"),
            defined(lang, "col.days_in_stage", "days_in_stage").with(Emphasis::Alert),
            defined(lang, "col.stall_threshold", "stall_threshold"),
        ],
        rows.iter()
            .map(|r| {
                vec![
                    Val::text(r.customer.to_string()),
                    Val::text(data_value(lang, &r.owner)),
                    Val::text(stage_label(lang, &r.stage, &r.stage)),
                    Val::Int(r.days_in_stage),
                    Val::Int(r.threshold),
                ]
            })
            .collect(),
    )
}

/// Time in stage and the stalled deals (none without dated stage history).
pub(super) fn stage_tables(s: &Summary, lang: Lang) -> Vec<Table> {
    let ts = &s.time_in_stage;
    if ts.stages.is_empty() && ts.stalled.is_empty() {
        return Vec::new();
    }
    let stays = table(
        "cycle.time_in_stage",
        t(lang, "table.time_in_stage"),
        vec![
            plain(lang, "col.stage"),
            defined(lang, "col.opportunities", "time_in_stage"),
            defined(lang, "col.latest_median", "time_in_stage"),
            defined(lang, "col.latest_mean", "time_in_stage"),
            defined(lang, "col.cumulative_median", "time_in_stage_cumulative"),
            defined(lang, "col.cumulative_mean", "time_in_stage_cumulative"),
        ],
        ts.stages
            .iter()
            .map(|st| {
                vec![
                    Val::text(stage_label(lang, &st.code, &st.label)),
                    Val::int(st.n),
                    Val::decimal(st.latest_median),
                    Val::decimal(st.latest_mean),
                    Val::decimal(st.cumulative_median),
                    Val::decimal(st.cumulative_mean),
                ]
            })
            .collect(),
    );
    let stalled = stalled_table(lang, head(&ts.stalled)).standing_for(ts.stalled.len());
    vec![stays, stalled]
}

/// The keyword view of free-text needs (none when not computed).
pub(super) fn keyword_table(s: &Summary, lang: Lang) -> Option<Table> {
    if s.need_keywords.is_empty() {
        return None;
    }
    Some(table(
        "needs.keywords",
        t(lang, "table.need_keywords"),
        vec![
            plain(lang, "col.rank"),
            plain(lang, "col.keyword"),
            defined(lang, "col.weight", "need_keyword_weight").with(Emphasis::Bar),
        ],
        s.need_keywords
            .iter()
            .take(KEYWORDS)
            .enumerate()
            .map(|(i, k)| {
                vec![
                    Val::int(i + 1),
                    Val::text(k.keyword.clone()),
                    Val::Score(k.weight),
                ]
            })
            .collect(),
    ))
}
