//! The charts of the later sections: declared vs computed grades, the
//! satisfaction scores, open vs weighted pipeline, target vs achieved with
//! the pace tick (one chart per target period, as the workbook), overdue
//! to-dos per owner and the weekly activity heatmap.

use super::Chart;
use crate::report::i18n::{data_value, fill, stage_label, t, Lang};
use crate::report::summary::{Summary, TargetRow, WeekRow};
use crate::report::svg::{self, Bar, Grid, Series, TargetBar, BLUE, LIGHT};
use crate::report::view::{target_chart_groups, Emphasis, Section, Table, Val};

fn chart(lang: Lang, title: &'static str, svg: String) -> Chart {
    Chart {
        title: t(lang, title).to_string(),
        svg,
    }
}

/// The charts of the grades, satisfaction, forecast, to-do and weekly
/// sections.
pub(super) fn charts(s: &Summary, lang: Lang, section: &Section) -> Vec<Chart> {
    match section.id {
        "grades" => {
            let Some(table) = section.tables.iter().find(|t| t.id == "grades.counts") else {
                return Vec::new();
            };
            if table.rows.is_empty() {
                return Vec::new();
            }
            let labels: Vec<String> = table.rows.iter().map(|r| r[0].display()).collect();
            let series = |name: &'static str, color, col: usize| Series {
                name: t(lang, name).to_string(),
                color,
                values: table
                    .rows
                    .iter()
                    .map(|r| r[col].number().unwrap_or(0.0))
                    .collect(),
                texts: table.rows.iter().map(|r| r[col].display()).collect(),
            };
            let all = [
                series("col.declared", LIGHT, 1),
                series("col.computed", BLUE, 2),
            ];
            let title = t(lang, "chart.grades");
            vec![chart(
                lang,
                "chart.grades",
                svg::grouped_hbars(title, &labels, &all),
            )]
        }
        "satisfaction" if s.satisfaction.n > 0 => {
            let bars: Vec<Bar> = (1..=5)
                .map(|score: u32| {
                    let n = s
                        .satisfaction
                        .distribution
                        .get(&score.to_string())
                        .copied()
                        .unwrap_or(0);
                    Bar {
                        label: score.to_string(),
                        value: n as f64,
                        text: Val::int(n).display(),
                    }
                })
                .collect();
            let title = t(lang, "chart.score_distribution");
            vec![chart(
                lang,
                "chart.score_distribution",
                svg::columns(title, &bars),
            )]
        }
        "forecast" => {
            let f = &s.forecast;
            let mut out = Vec::new();
            if !f.by_stage.is_empty() {
                let labels: Vec<String> = f
                    .by_stage
                    .iter()
                    .map(|st| stage_label(lang, &st.code, &st.label))
                    .collect();
                let money = |x: f64| Val::money(Some(x)).display();
                let all = [
                    Series {
                        name: t(lang, "col.open_amount").to_string(),
                        color: LIGHT,
                        values: f.by_stage.iter().map(|st| st.open_amount).collect(),
                        texts: f.by_stage.iter().map(|st| money(st.open_amount)).collect(),
                    },
                    Series {
                        name: t(lang, "col.weighted_amount").to_string(),
                        color: BLUE,
                        values: f.by_stage.iter().map(|st| st.weighted_amount).collect(),
                        texts: f
                            .by_stage
                            .iter()
                            .map(|st| money(st.weighted_amount))
                            .collect(),
                    },
                ];
                let title = t(lang, "chart.pipeline");
                out.push(chart(
                    lang,
                    "chart.pipeline",
                    svg::grouped_hbars(title, &labels, &all),
                ));
            }
            out.extend(target_charts(lang, &s.targets, &s.as_of));
            out
        }
        "todos" => {
            let bars: Vec<Bar> = s
                .todos
                .by_owner
                .iter()
                .filter(|o| o.overdue > 0)
                .map(|o| Bar {
                    label: data_value(lang, &o.owner),
                    value: o.overdue as f64,
                    text: Val::int(o.overdue).display(),
                })
                .collect();
            if bars.is_empty() {
                return Vec::new();
            }
            let title = t(lang, "chart.overdue_todos");
            vec![chart(
                lang,
                "chart.overdue_todos",
                svg::hbars(title, &bars, 0),
            )]
        }
        "weekly" => section
            .tables
            .iter()
            .find(|t| t.id == "weekly.by_owner")
            .and_then(|table| heatmap_chart(lang, "chart.weekly", table, &s.weekly_activity, true))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// One bar of a target chart, labelled by the rep or team, or by the
/// period (`by_period`, a rep's own chart).
fn target_bar(lang: Lang, r: &TargetRow, by_period: bool) -> TargetBar {
    let name = data_value(lang, r.owner.as_deref().or(r.team.as_deref()).unwrap_or(""));
    let args = [
        ("name", name.clone()),
        ("period", r.period.clone()),
        ("achieved", Val::money(Some(r.achieved)).display()),
        ("target", Val::money(Some(r.target)).display()),
        ("attainment", Val::rate(r.attainment).display()),
        ("elapsed", Val::rate(r.elapsed_share).display()),
    ];
    TargetBar {
        label: if by_period { r.period.clone() } else { name },
        target: r.target,
        achieved: r.achieved,
        pace: r.elapsed_share,
        text: fill(t(lang, "chart.target_text"), &args),
        tip: fill(t(lang, "chart.target_tip"), &args),
    }
}

fn target_legend(lang: Lang) -> [&'static str; 3] {
    [
        t(lang, "col.target"),
        t(lang, "col.achieved"),
        t(lang, "col.elapsed_share"),
    ]
}

/// Target vs achieved per period (the periods the workbook charts too).
fn target_charts(lang: Lang, rows: &[TargetRow], as_of: &str) -> Vec<Chart> {
    let periods: Vec<&str> = rows.iter().map(|r| r.period.as_str()).collect();
    target_chart_groups(&periods, as_of)
        .into_iter()
        .map(|(period, first, n)| {
            let bars: Vec<TargetBar> = rows[first..first + n]
                .iter()
                .map(|r| target_bar(lang, r, false))
                .collect();
            let title = fill(t(lang, "chart.targets"), &[("period", period)]);
            Chart {
                svg: svg::target_bars(&title, &bars, target_legend(lang)),
                title,
            }
        })
        .collect()
}

/// One rep's targets in one chart, a bar per period.
pub(in crate::report) fn rep_target_chart(lang: Lang, rows: &[TargetRow]) -> Option<Chart> {
    if rows.is_empty() {
        return None;
    }
    let bars: Vec<TargetBar> = rows.iter().map(|r| target_bar(lang, r, true)).collect();
    let title = t(lang, "chart.rep_targets").to_string();
    Some(Chart {
        svg: svg::target_bars(&title, &bars, target_legend(lang)),
        title,
    })
}

/// A heatmap of a pivoted weekly table (`weekly.by_owner` or
/// `weekly.by_method`): its heat columns as cells; the tooltip of a rep's
/// cell breaks the count down by method.
pub(in crate::report) fn heatmap_chart(
    lang: Lang,
    title: &'static str,
    table: &Table,
    rows: &[WeekRow],
    by_owner: bool,
) -> Option<Chart> {
    let heat: Vec<usize> = (0..table.columns.len())
        .filter(|&j| table.columns[j].emphasis == Emphasis::HeatScale)
        .collect();
    if table.rows.is_empty() || heat.is_empty() {
        return None;
    }
    let weeks: Vec<&str> = heat
        .iter()
        .map(|&j| table.columns[j].label.as_str())
        .collect();
    let labels: Vec<String> = table.rows.iter().map(|r| r[0].display()).collect();
    let values: Vec<Vec<usize>> = table
        .rows
        .iter()
        .map(|r| {
            heat.iter()
                .map(|&j| r.get(j).and_then(Val::number).map_or(0, |x| x as usize))
                .collect()
        })
        .collect();
    let tips = labels
        .iter()
        .zip(&values)
        .map(|(label, counts)| {
            weeks
                .iter()
                .zip(counts)
                .map(|(week, n)| {
                    let mut tip = format!("{label} · {week}: {n}");
                    if by_owner {
                        let parts: Vec<String> = rows
                            .iter()
                            .filter(|r| r.week == *week && data_value(lang, &r.owner) == *label)
                            .map(|r| format!("{} {}", data_value(lang, &r.method), r.count))
                            .collect();
                        if !parts.is_empty() {
                            tip.push_str(&match lang {
                                Lang::Zh => format!("（{}）", parts.join("、")),
                                Lang::En => format!(" ({})", parts.join(", ")),
                            });
                        }
                    }
                    tip
                })
                .collect()
        })
        .collect();
    let grid = Grid {
        rows: labels,
        // `2024-W23` → `W23`: the year is in the tooltip.
        columns: weeks
            .iter()
            .map(|w| w.split_once('-').map_or(*w, |(_, wk)| wk).to_string())
            .collect(),
        values,
        tips,
    };
    Some(Chart {
        title: t(lang, title).to_string(),
        svg: svg::heatmap(t(lang, title), &grid),
    })
}
