//! The SVG charts of the HTML page, one list per section, drawn from the
//! summary with translated labels: the funnel, win rate by source, the
//! cycle histogram, top needs, won amount per rep and the monthly trend
//! here; the later sections' charts in `charts/forward.rs`.

mod forward;

use serde::Serialize;

use crate::report::i18n::{data_value, stage_label, t, Lang};
use crate::report::summary::Summary;
use crate::report::svg::{self, Bar};
use crate::report::view::{histogram, Section, Val};
pub(in crate::report) use forward::{heatmap_chart, rep_target_chart};

/// Bars of the top-needs chart.
const CHART_NEEDS: usize = 10;

/// One chart: its caption and the `<svg>` (escaped by `svg.rs`).
#[derive(Debug, Serialize)]
pub(in crate::report) struct Chart {
    /// Caption.
    pub title: String,
    /// The `<svg>` element.
    pub svg: String,
}

/// The charts of a section, drawn from the summary (labels translated).
pub(super) fn charts(s: &Summary, lang: Lang, section: &Section) -> Vec<Chart> {
    let f = &s.funnel;
    let chart = |title: &'static str, svg: String| Chart {
        title: t(lang, title).to_string(),
        svg,
    };
    let rate = |x: Option<f64>| Bar {
        label: String::new(),
        value: x.unwrap_or(0.0),
        text: Val::rate(x).display(),
    };
    match section.id {
        "funnel" if !f.stages.is_empty() => {
            let bars: Vec<Bar> = f
                .stages
                .iter()
                .map(|st| Bar {
                    label: stage_label(lang, &st.code, &st.label),
                    value: st.reached as f64,
                    text: Val::int(st.reached).display(),
                })
                .collect();
            let conv: Vec<String> = f
                .stages
                .iter()
                .map(|st| rate(st.conversion_to_next).text)
                .collect();
            vec![chart(
                "chart.reached",
                svg::funnel(t(lang, "chart.reached"), &bars, &conv),
            )]
        }
        "conversion" if !f.by_source.is_empty() => {
            let bars: Vec<Bar> = f
                .by_source
                .iter()
                .map(|r| Bar {
                    label: data_value(lang, &r.key),
                    ..rate(r.win_rate)
                })
                .collect();
            vec![chart(
                "chart.win_rate_by_source",
                svg::hbars(t(lang, "chart.win_rate_by_source"), &bars, 0),
            )]
        }
        "cycle" if !s.cycle_days.values.is_empty() => {
            let bars: Vec<Bar> = histogram(&s.cycle_days.values)
                .into_iter()
                .map(|b| Bar {
                    value: b.count as f64,
                    text: b.count.to_string(),
                    label: b.label,
                })
                .collect();
            vec![chart(
                "chart.cycle_histogram",
                svg::columns(t(lang, "chart.cycle_histogram"), &bars),
            )]
        }
        "needs" if !s.top_needs.is_empty() => {
            let bars: Vec<Bar> = s
                .top_needs
                .iter()
                .take(CHART_NEEDS)
                .map(|n| Bar {
                    label: n.need.clone(),
                    value: n.customers as f64,
                    text: n.customers.to_string(),
                })
                .collect();
            vec![chart(
                "chart.top_needs",
                svg::hbars(t(lang, "chart.top_needs"), &bars, 3),
            )]
        }
        "reps" if !s.reps.is_empty() => {
            let bars: Vec<Bar> = s
                .reps
                .iter()
                .map(|r| Bar {
                    label: data_value(lang, &r.owner),
                    value: r.won_amount,
                    text: Val::money(Some(r.won_amount)).display(),
                })
                .collect();
            vec![chart(
                "chart.rep_won_amount",
                svg::hbars(t(lang, "chart.rep_won_amount"), &bars, 0),
            )]
        }
        "monthly" if !s.monthly.is_empty() => {
            let amounts: Vec<Bar> = s
                .monthly
                .iter()
                .map(|m| Bar {
                    label: m.month.clone(),
                    value: m.won_amount,
                    text: Val::money(Some(m.won_amount)).display(),
                })
                .collect();
            let new: Vec<Bar> = s
                .monthly
                .iter()
                .map(|m| Bar {
                    label: m.month.clone(),
                    value: m.new_opportunities as f64,
                    text: m.new_opportunities.to_string(),
                })
                .collect();
            let legend = (t(lang, "col.won_amount"), t(lang, "col.new_opportunities"));
            vec![chart(
                "chart.monthly",
                svg::columns_line(t(lang, "chart.monthly"), &amounts, &new, legend),
            )]
        }
        _ => forward::charts(s, lang, section),
    }
}
