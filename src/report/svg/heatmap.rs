//! A heatmap: rows (reps) × columns (weeks), each cell shaded from white to
//! blue by its count over the whole grid, the count written in it, and a
//! tooltip per cell. Every text from data is escaped here.

use std::fmt::Write;

use super::{clip, esc, open, px, text_units, MAX_LABEL_UNITS, WIDTH};

/// One grid to draw.
#[derive(Debug, Clone)]
pub struct Grid {
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels (short: `W23`).
    pub columns: Vec<String>,
    /// Counts, one row per label, one value per column.
    pub values: Vec<Vec<usize>>,
    /// Tooltips, the same shape as `values`.
    pub tips: Vec<Vec<String>>,
}

/// The fill of a share 0–1 of the grid's largest count: white to #2f6fb0.
pub fn heat_color(share: f64) -> String {
    let s = share.clamp(0.0, 1.0);
    let mix = |to: f64| (255.0 - (255.0 - to) * s).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(47.0), mix(111.0), mix(176.0))
}

/// Draws the grid.
pub fn heatmap(title: &str, grid: &Grid) -> String {
    let (cell_h, top) = (22.0, 20.0);
    let units = grid
        .rows
        .iter()
        .map(|l| text_units(l))
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_UNITS);
    let left = (px(units) + 12.0).max(48.0);
    let n = grid.columns.len().max(1) as f64;
    let cell_w = ((WIDTH - left - 8.0) / n).min(64.0);
    let max = grid
        .values
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut out = String::new();
    open(&mut out, top + cell_h * grid.rows.len() as f64 + 4.0, title);
    for (j, c) in grid.columns.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{x:.1}" y="14" text-anchor="middle" font-size="10">{c}</text>"#,
            x = left + cell_w * (j as f64 + 0.5),
            c = esc(c),
        );
    }
    for (i, label) in grid.rows.iter().enumerate() {
        let y = top + cell_h * i as f64;
        let _ = write!(
            out,
            r#"<text x="{lx:.1}" y="{ty:.1}" text-anchor="end">{l}</text>"#,
            lx = left - 6.0,
            ty = y + 15.0,
            l = esc(&clip(label, MAX_LABEL_UNITS)),
        );
        for (j, v) in grid.values.get(i).into_iter().flatten().enumerate() {
            let share = *v as f64 / max;
            let tip = grid
                .tips
                .get(i)
                .and_then(|r| r.get(j))
                .map_or(String::new(), |t| esc(t));
            let text_color = if share > 0.6 { "#fff" } else { "#1f2933" };
            let _ = write!(
                out,
                r##"<g><title>{tip}</title><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}" stroke="#fff"/><text x="{cx:.1}" y="{ty:.1}" text-anchor="middle" font-size="11" fill="{text_color}">{v}</text></g>"##,
                x = left + cell_w * j as f64,
                w = cell_w,
                h = cell_h,
                fill = heat_color(share),
                cx = left + cell_w * (j as f64 + 0.5),
                ty = y + 15.0,
                v = if *v == 0 {
                    String::new()
                } else {
                    v.to_string()
                },
            );
        }
    }
    out.push_str("</svg>");
    out
}
