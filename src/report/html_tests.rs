//! Tests of the HTML report over the hand-made fixture.

use super::*;
use crate::report::fixture::{findings, fixture, EVIL};
use crate::report::i18n::LABELS;
use crate::report::privacy::{Privacy, Shown};

fn render(lang: Lang) -> String {
    render_html(&Shown::new(&fixture(), Privacy::Mask), &findings(), lang).unwrap()
}

fn assert_no_template_leftovers(html: &str) {
    assert!(!html.contains("{{") && !html.contains("{%") && !html.contains("}}"));
    for (key, _, _) in LABELS {
        assert!(
            !html.contains(&format!(">{key}<")),
            "untranslated key {key}"
        );
    }
    for prefix in ["section.", "col.", "table.", "chart.", "note.", "report."] {
        assert!(
            !html.contains(&format!(">{prefix}")),
            "untranslated {prefix}…"
        );
    }
}

#[test]
fn renders_chinese_report() {
    let html = render(Lang::Zh);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    for label in [
        "客户销售管理报告",
        "销售漏斗",
        "转化分析",
        "成交周期",
        "热门需求",
        "销售绩效",
        "跟进合规",
        "月度趋势",
        "数据质量",
        "指标说明",
        "赢单率",
    ] {
        assert!(html.contains(label), "missing {label}");
    }
    // Figures: won amount with separators and ¥, rates with one decimal, null as —.
    assert!(html.contains("¥1,234,568"));
    assert!(html.contains("50.0%"));
    assert!(html.contains("37.5%"));
    assert!(html.contains("—"));
    assert!(html.contains("2024-06-30"));
    // Definitions as tooltips, finding texts from i18n.
    assert!(html.contains(r#"title="赢单 ÷（赢单 + 输单）"#));
    assert!(html.contains("日期无法识别"));
    assert!(html.contains("改为 YYYY-MM-DD 格式"));
    assert!(html.contains("另有 1 个商机阶段未知"));
    assert_no_template_leftovers(&html);
}

#[test]
fn renders_english_report() {
    let html = render(Lang::En);
    assert!(html.contains(r#"<html lang="en">"#));
    for label in [
        "Sales management report",
        "Funnel",
        "Win rate",
        "Needs analysis",
        "Unassigned",
        "Unreadable date",
        "Definitions",
    ] {
        assert!(html.contains(label), "missing {label}");
    }
    assert!(html.contains("¥1,234,568") && html.contains("50.0%"));
    assert!(!html.contains("销售漏斗"));
    assert_no_template_leftovers(&html);
}

#[test]
fn escapes_data_everywhere() {
    for lang in [Lang::Zh, Lang::En] {
        let html = render(lang);
        assert!(
            !html.contains(EVIL) && !html.contains("<script>alert"),
            "raw markup from data"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;"));
        // Exactly one script element: the sorter.
        assert_eq!(html.matches("<script").count(), 1);
    }
}

#[test]
fn is_self_contained() {
    let html = render(Lang::Zh);
    assert!(html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">"#));
    for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
        assert!(!html.contains(external), "external reference {external}");
    }
    assert!(html.contains(
        r#""Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif"#
    ));
    assert!(html.contains("@page { size: A4"));
    // Funnel, conversion, cycle, needs, reps, grades, satisfaction,
    // pipeline, two target periods, to-dos, weekly heatmap, monthly.
    assert_eq!(html.matches("<svg").count(), 13);
}

#[test]
fn unknown_label_key_is_an_error() {
    let env = environment(Lang::Zh).unwrap();
    assert!(env.render_str("{{ t('no.such.key') }}", ()).is_err());
    assert!(env.render_str("{{ missing }}", ()).is_err());
}

#[test]
fn renders_an_empty_summary() {
    let mut s = fixture();
    s.funnel.stages.clear();
    s.funnel.by_source.clear();
    s.top_needs.clear();
    s.reps.clear();
    s.monthly.clear();
    s.cycle_days.values.clear();
    s.funnel.win_rate = None;
    s.grades = Default::default();
    s.satisfaction = Default::default();
    s.forecast = Default::default();
    s.targets.clear();
    s.todos = Default::default();
    s.weekly_activity.clear();
    let html = render_html(&Shown::new(&s, Privacy::Mask), &[], Lang::En).unwrap();
    assert!(html.contains("(no data)"));
    assert_eq!(html.matches("<svg").count(), 0);
}

/// The whole page, both languages: any change to the HTML shows up as a
/// reviewable diff (`cargo insta review`, or `INSTA_UPDATE=always`).
#[test]
fn snapshot_of_the_page() {
    insta::assert_snapshot!("report_zh", render(Lang::Zh));
    insta::assert_snapshot!("report_en", render(Lang::En));
}

/// One rep's review page of the fixture.
#[test]
fn snapshot_of_a_rep_page() {
    let s = fixture();
    let page = crate::report::reps::rep_html(&s, &s.reps[0], Lang::Zh).unwrap();
    insta::assert_snapshot!("rep_zh", page);
}

/// A long list is cut in the page, with a note giving the total.
#[test]
fn long_tables_are_capped_with_a_note() {
    let mut section = Section {
        id: "cadence",
        title: "t",
        notes: Vec::new(),
        tables: vec![Table {
            id: "cadence.overdue",
            title: "逾期客户",
            columns: Vec::new(),
            rows: vec![Vec::new(); HTML_ROWS_CAP + 5],
            total: HTML_ROWS_CAP + 5,
            marked: 0,
        }],
    };
    section.cap_rows(HTML_ROWS_CAP, t(Lang::Zh, "note.rows_capped"));
    assert_eq!(section.tables[0].rows.len(), HTML_ROWS_CAP);
    assert_eq!(section.notes.len(), 1);
    assert!(
        section.notes[0].contains("共 2,005 行"),
        "{}",
        section.notes[0]
    );
}
