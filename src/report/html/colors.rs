//! The colour scales and data bars of the HTML tables, cell by cell, as
//! inline styles: the same rules Excel applies to the workbook
//! (`xlsx/conditional.rs`), so both look alike. Rates: red at the lowest,
//! yellow at the median, green at the highest. Heatmaps: white at the
//! lowest count of the block to blue at the highest. Bars: a fill
//! proportional to value ÷ the column's largest value.

use crate::report::svg::heat_color;
use crate::report::view::{Emphasis, Table};

const LOW: (f64, f64, f64) = (248.0, 105.0, 107.0);
const MID: (f64, f64, f64) = (255.0, 235.0, 132.0);
const HIGH: (f64, f64, f64) = (99.0, 190.0, 123.0);
const BAR: &str = "#b7cde8";

fn mix(a: (f64, f64, f64), b: (f64, f64, f64), t: f64) -> String {
    let t = t.clamp(0.0, 1.0);
    let c = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", c(a.0, b.0), c(a.1, b.1), c(a.2, b.2))
}

/// The median (linear between the two middle values), as Excel's 50th
/// percentile; `values` come back sorted.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let pos = (values.len() - 1) as f64 / 2.0;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    values[lo] + (values[hi] - values[lo]) * (pos - pos.floor())
}

fn share(v: f64, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        (v - lo) / (hi - lo)
    } else {
        0.5
    }
}

/// The colour of a rate between the column's lowest, median and highest.
fn rate_color(v: f64, lo: f64, mid: f64, hi: f64) -> String {
    if v <= mid {
        mix(LOW, MID, share(v, lo, mid))
    } else {
        mix(MID, HIGH, share(v, mid, hi))
    }
}

/// The inline style of every cell of `table` (row by row), `None` where
/// nothing applies.
pub(super) fn styles(table: &Table) -> Vec<Vec<Option<String>>> {
    let mut out = vec![vec![None; table.columns.len()]; table.rows.len()];
    let column = |j: usize| -> Vec<(usize, f64)> {
        table
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.get(j).and_then(|v| v.number()).map(|x| (i, x)))
            .filter(|(_, x)| x.is_finite())
            .collect()
    };
    // The heat block: every heat column together.
    let heat: Vec<(usize, usize, f64)> = (0..table.columns.len())
        .filter(|&j| table.columns[j].emphasis == Emphasis::HeatScale)
        .flat_map(|j| column(j).into_iter().map(move |(i, x)| (i, j, x)))
        .collect();
    let lo = heat.iter().map(|h| h.2).fold(f64::INFINITY, f64::min);
    let hi = heat.iter().map(|h| h.2).fold(f64::NEG_INFINITY, f64::max);
    for &(i, j, x) in &heat {
        let s = if hi > lo { share(x, lo, hi) } else { 0.0 };
        let text = if s > 0.6 { ";color:#fff" } else { "" };
        out[i][j] = Some(format!("background:{}{text}", heat_color(s)));
    }
    for (j, c) in table.columns.iter().enumerate() {
        let values = column(j);
        match c.emphasis {
            Emphasis::RateScale if values.len() > 1 => {
                let mut xs: Vec<f64> = values.iter().map(|v| v.1).collect();
                let mid = median(&mut xs);
                let (lo, hi) = (xs[0], xs[xs.len() - 1]);
                for (i, x) in values {
                    out[i][j] = Some(format!("background:{}", rate_color(x, lo, mid, hi)));
                }
            }
            Emphasis::Bar => {
                let max = values.iter().map(|v| v.1).fold(0.0_f64, f64::max);
                for (i, x) in values.into_iter().filter(|_| max > 0.0) {
                    let p = (x.max(0.0) / max * 100.0).round();
                    out[i][j] = Some(format!(
                        "background:linear-gradient(90deg,{BAR} {p}%,transparent {p}%)"
                    ));
                }
            }
            Emphasis::RateScale | Emphasis::HeatScale | Emphasis::Alert | Emphasis::None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::view::{Column, Val};

    fn col(emphasis: Emphasis) -> Column {
        Column {
            label: "x".into(),
            definition: None,
            emphasis,
        }
    }

    #[test]
    fn scales_follow_excel() {
        assert_eq!(rate_color(0.0, 0.0, 0.5, 1.0), "#f8696b");
        assert_eq!(rate_color(0.5, 0.0, 0.5, 1.0), "#ffeb84");
        assert_eq!(rate_color(1.0, 0.0, 0.5, 1.0), "#63be7b");
        let table = Table {
            id: "t",
            title: "t",
            columns: vec![
                col(Emphasis::RateScale),
                col(Emphasis::Bar),
                col(Emphasis::HeatScale),
                col(Emphasis::HeatScale),
            ],
            rows: vec![
                vec![Val::Rate(0.2), Val::Money(50.0), Val::Int(0), Val::Int(1)],
                vec![Val::Null, Val::Money(100.0), Val::Int(2), Val::Int(4)],
                vec![Val::Rate(0.8), Val::Money(0.0), Val::Int(3), Val::Int(0)],
            ],
            total: 3,
            marked: 0,
        };
        let s = styles(&table);
        assert_eq!(s[0][0].as_deref(), Some("background:#f8696b"));
        assert_eq!(s[1][0], None);
        assert_eq!(s[2][0].as_deref(), Some("background:#63be7b"));
        assert!(s[0][1].as_deref().unwrap().contains("50%"));
        assert!(s[1][1].as_deref().unwrap().contains("100%"));
        // One scale over both heat columns: 0 white, 4 full blue.
        assert_eq!(s[0][2].as_deref(), Some("background:#ffffff"));
        assert_eq!(s[1][3].as_deref(), Some("background:#2f6fb0;color:#fff"));
    }
}
