//! To-dos (totals, per owner, the overdue list) and weekly activity: the
//! follow-ups of the last eight ISO weeks pivoted into rep × week and
//! method × week grids (a heatmap in both writers), then the rows as
//! metrics wrote them. The pivot only adds up the summary's own rows.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use crm_core::normalize::date::iso_date;

use super::{defined, plain, section, table};
use crate::report::i18n::{data_value, t, Lang};
use crate::report::summary::{Summary, TodoRow, WeekRow};
use crate::report::view::{head, Column, Emphasis, Section, Table, Val};

/// Weeks the weekly view covers (metrics.md §10).
pub const WEEKS: i64 = 8;

/// To-dos: the totals, per owner, and the overdue ones.
pub(super) fn todos(s: &Summary, lang: Lang) -> Section {
    let td = &s.todos;
    let overall = table(
        "todos.overall",
        t(lang, "table.todos"),
        vec![
            defined(lang, "col.todos", "todos"),
            defined(lang, "col.overdue_todos", "overdue_todos"),
        ],
        vec![vec![Val::int(td.total), Val::int(td.overdue)]],
    );
    let by_owner = table(
        "todos.by_owner",
        t(lang, "table.by_owner"),
        vec![
            plain(lang, "col.owner"),
            defined(lang, "col.todos", "todos"),
            defined(lang, "col.overdue_todos", "overdue_todos"),
        ],
        td.by_owner
            .iter()
            .map(|o| {
                vec![
                    Val::text(data_value(lang, &o.owner)),
                    Val::int(o.total),
                    Val::int(o.overdue),
                ]
            })
            .collect(),
    );
    let tables = vec![
        overall,
        by_owner,
        overdue_todos_table(lang, head(&td.overdue_list)).standing_for(td.overdue_list.len()),
    ];
    section(lang, "todos", Vec::new(), tables)
}

/// The overdue to-dos, most overdue first (as the summary sorts them).
pub(in crate::report) fn overdue_todos_table(lang: Lang, rows: &[TodoRow]) -> Table {
    table(
        "todos.overdue",
        t(lang, "table.overdue_todos"),
        vec![
            plain(lang, "col.customer"),
            plain(lang, "col.owner"),
            plain(lang, "col.next_action"),
            plain(lang, "col.due_date"),
            defined(lang, "col.days_overdue", "todo_days_overdue").with(Emphasis::Alert),
            plain(lang, "col.followup_date"),
        ],
        rows.iter()
            .map(|r| {
                vec![
                    Val::text(r.customer.to_string()),
                    Val::text(data_value(lang, &r.owner)),
                    Val::text(r.next_action.to_string()),
                    Val::text(iso_date(r.due_date)),
                    Val::Int(r.days_overdue),
                    r.followup_date
                        .map_or(Val::Null, |d| Val::Text(iso_date(d))),
                ]
            })
            .collect(),
    )
}

/// The ISO weeks of the view: the eight up to the as-of date's week, plus
/// any other week the rows name (there should be none), in order.
pub fn weeks(as_of: &str, rows: &[WeekRow]) -> Vec<String> {
    let mut weeks: Vec<String> = rows.iter().map(|r| r.week.clone()).collect();
    if let Ok(day) = NaiveDate::parse_from_str(as_of, "%Y-%m-%d") {
        for back in 0..WEEKS {
            let week = (day - Duration::days(7 * back)).iso_week();
            weeks.push(format!("{:04}-W{:02}", week.year(), week.week()));
        }
    }
    weeks.sort();
    weeks.dedup();
    weeks
}

/// A grid: one row per key (most follow-ups first, then key), one column
/// per week, then the row's total.
fn grid(
    lang: Lang,
    id: &'static str,
    title: &'static str,
    key_label: &'static str,
    weeks: &[String],
    rows: &[WeekRow],
    key: fn(&WeekRow) -> &str,
) -> Table {
    let mut cells: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for r in rows {
        *cells
            .entry(key(r))
            .or_default()
            .entry(r.week.as_str())
            .or_default() += r.count;
    }
    let mut keyed: Vec<(&str, usize, &BTreeMap<&str, usize>)> = cells
        .iter()
        .map(|(k, by_week)| (*k, by_week.values().sum(), by_week))
        .collect();
    keyed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let mut columns = vec![plain(lang, key_label)];
    columns.extend(weeks.iter().map(|w| Column {
        label: w.clone(),
        definition: None,
        emphasis: Emphasis::HeatScale,
    }));
    columns.push(defined(lang, "col.total", "weekly_followups"));
    table(
        id,
        t(lang, title),
        columns,
        keyed
            .into_iter()
            .map(|(k, total, by_week)| {
                let mut row = vec![Val::text(data_value(lang, k))];
                row.extend(
                    weeks
                        .iter()
                        .map(|w| Val::int(by_week.get(w.as_str()).copied().unwrap_or(0))),
                );
                row.push(Val::int(total));
                row
            })
            .collect(),
    )
}

/// The rep × week grid over `rows` (also the per-rep page's method grid).
pub(in crate::report) fn weekly_tables(
    lang: Lang,
    weeks: &[String],
    rows: &[WeekRow],
    by_owner: bool,
) -> Vec<Table> {
    let mut tables = Vec::new();
    if by_owner {
        tables.push(grid(
            lang,
            "weekly.by_owner",
            "table.weekly_by_owner",
            "col.owner",
            weeks,
            rows,
            |r| &r.owner,
        ));
    }
    tables.push(grid(
        lang,
        "weekly.by_method",
        "table.weekly_by_method",
        "col.method",
        weeks,
        rows,
        |r| &r.method,
    ));
    tables.push(table(
        "weekly.detail",
        t(lang, "table.weekly_detail"),
        vec![
            plain(lang, "col.week"),
            plain(lang, "col.owner"),
            plain(lang, "col.method"),
            defined(lang, "col.followups", "weekly_followups"),
        ],
        rows.iter()
            .map(|r| {
                vec![
                    Val::text(r.week.clone()),
                    Val::text(data_value(lang, &r.owner)),
                    Val::text(data_value(lang, &r.method)),
                    Val::int(r.count),
                ]
            })
            .collect(),
    ));
    tables
}

/// Weekly activity: rep × week, method × week, and the rows.
pub(super) fn weekly(s: &Summary, lang: Lang) -> Section {
    let weeks = weeks(&s.as_of, &s.weekly_activity);
    let tables = weekly_tables(lang, &weeks, &s.weekly_activity, true);
    section(lang, "weekly", Vec::new(), tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(week: &str, owner: &str, method: &str, count: usize) -> WeekRow {
        WeekRow {
            week: week.into(),
            owner: owner.into(),
            method: method.into(),
            count,
        }
    }

    #[test]
    fn eight_weeks_up_to_the_as_of_week() {
        let w = weeks("2024-06-30", &[]);
        assert_eq!(w.len(), 8);
        assert_eq!(w.first().unwrap(), "2024-W19");
        assert_eq!(w.last().unwrap(), "2024-W26");
        // Across a year boundary (2021-01-03 is in 2020-W53).
        let w = weeks("2021-01-03", &[]);
        assert_eq!(w.last().unwrap(), "2020-W53");
    }

    #[test]
    fn grid_sums_methods_and_orders_by_total() {
        let rows = [
            row("2024-W26", "李四", "电话", 1),
            row("2024-W26", "张三", "电话", 2),
            row("2024-W26", "张三", "微信", 1),
            row("2024-W25", "李四", "电话", 1),
        ];
        let weeks = weeks("2024-06-30", &rows);
        let tables = weekly_tables(Lang::Zh, &weeks, &rows, true);
        let by_owner = &tables[0];
        assert_eq!(by_owner.columns.len(), 1 + 8 + 1);
        assert_eq!(by_owner.rows[0][0], Val::text("张三"));
        assert_eq!(by_owner.rows[0][8], Val::Int(3));
        assert_eq!(by_owner.rows[0][9], Val::Int(3));
        assert_eq!(by_owner.rows[1][7], Val::Int(1));
    }
}
