//! Horizontal bars with more than one value per category: grouped bars
//! (declared vs computed grades, open vs weighted pipeline) and target bars
//! (achieved over a target, with a tick at the pace the elapsed share of the
//! period asks for). Every text from data is escaped here.

use std::fmt::Write;

use super::{clip, esc, open, px, scale, text_units, BLUE, MAX_LABEL_UNITS, ORANGE, WIDTH};

/// One series of grouped bars: its name (legend), colour, and per category
/// the value and its display text.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// Fill colour.
    pub color: &'static str,
    /// Values, one per category.
    pub values: Vec<f64>,
    /// Displayed values, one per category.
    pub texts: Vec<String>,
}

/// The light fill of a target (or of the first series of a pair).
pub const LIGHT: &str = "#9db9d8";
const GREY: &str = "#d5dde8";
const DARK: &str = "#1f2933";

fn label_left(labels: impl Iterator<Item = usize>) -> f64 {
    let units = labels.max().unwrap_or(0).min(MAX_LABEL_UNITS);
    (px(units) + 12.0).max(48.0)
}

/// A legend row of colour swatches and names at the top.
fn legend(out: &mut String, x0: f64, items: &[(&str, &str)]) {
    let mut x = x0;
    for (name, color) in items {
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="4" width="10" height="10" fill="{color}"/><text x="{tx:.1}" y="13">{n}</text>"#,
            tx = x + 14.0,
            n = esc(name),
        );
        x += 30.0 + px(text_units(name));
    }
}

/// Grouped horizontal bars: per category one bar per series.
pub fn grouped_hbars(title: &str, labels: &[String], series: &[Series]) -> String {
    let (bar, gap, top) = (12.0, 10.0, 22.0);
    let group = bar * series.len() as f64;
    let left = label_left(labels.iter().map(|l| text_units(l)));
    let room = WIDTH - left - 100.0;
    let max = scale(series.iter().flat_map(|s| s.values.iter().copied()));
    let height = top + labels.len() as f64 * (group + gap) + 4.0;
    let mut out = String::new();
    open(&mut out, height, title);
    let items: Vec<(&str, &str)> = series.iter().map(|s| (s.name.as_str(), s.color)).collect();
    legend(&mut out, left, &items);
    for (i, label) in labels.iter().enumerate() {
        let y0 = top + i as f64 * (group + gap);
        let mut tip = label.clone();
        for s in series {
            let _ = write!(tip, "; {}: {}", s.name, s.texts.get(i).map_or("", |t| t));
        }
        let _ = write!(
            out,
            r#"<g><title>{tip}</title><text x="{lx:.1}" y="{ty:.1}" text-anchor="end">{short}</text>"#,
            tip = esc(&tip),
            lx = left - 6.0,
            ty = y0 + group / 2.0 + 4.0,
            short = esc(&clip(label, MAX_LABEL_UNITS)),
        );
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0).max(0.0);
            let w = (v / max * room).max(if v > 0.0 { 1.0 } else { 0.0 });
            let y = y0 + bar * k as f64;
            let _ = write!(
                out,
                r#"<rect x="{left:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"/><text x="{vx:.1}" y="{vy:.1}" font-size="10">{t}</text>"#,
                h = bar - 1.0,
                c = s.color,
                vx = left + w + 4.0,
                vy = y + bar - 2.5,
                t = esc(s.texts.get(i).map_or("", |t| t)),
            );
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    out
}

/// One bar of a target chart.
#[derive(Debug, Clone)]
pub struct TargetBar {
    /// Rep or team.
    pub label: String,
    /// Target amount.
    pub target: f64,
    /// Achieved amount.
    pub achieved: f64,
    /// Share of the period elapsed (the pace tick), if known.
    pub pace: Option<f64>,
    /// Text shown right of the bar (`¥590,000 / ¥3,400,000 · 17.4%`).
    pub text: String,
    /// Tooltip.
    pub tip: String,
}

/// Target bars: a grey bar for the target, the achieved amount over it
/// (orange when behind the pace), a dark tick where the pace puts it.
/// `legend` names target, achieved and pace.
pub fn target_bars(title: &str, bars: &[TargetBar], legend_names: [&str; 3]) -> String {
    let (row, top) = (26.0, 22.0);
    let left = label_left(bars.iter().map(|b| text_units(&b.label)));
    let room = WIDTH - left - 200.0;
    let max = scale(bars.iter().flat_map(|b| [b.target, b.achieved]));
    let mut out = String::new();
    open(&mut out, top + row * bars.len() as f64 + 4.0, title);
    legend(
        &mut out,
        left,
        &[
            (legend_names[0], GREY),
            (legend_names[1], BLUE),
            (legend_names[2], DARK),
        ],
    );
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let tw = b.target.max(0.0) / max * room;
        let aw = b.achieved.max(0.0) / max * room;
        let behind = b.pace.is_some_and(|p| b.achieved < b.target * p);
        let color = if behind { ORANGE } else { BLUE };
        let _ = write!(
            out,
            r#"<g><title>{tip}</title><text x="{lx:.1}" y="{ty:.1}" text-anchor="end">{short}</text><rect x="{left:.1}" y="{y:.1}" width="{tw:.1}" height="18" fill="{GREY}"/><rect x="{left:.1}" y="{ay:.1}" width="{aw:.1}" height="10" fill="{color}"/>"#,
            tip = esc(&b.tip),
            lx = left - 6.0,
            ty = y + 13.0,
            short = esc(&clip(&b.label, MAX_LABEL_UNITS)),
            ay = y + 4.0,
        );
        if let Some(p) = b.pace.filter(|p| p.is_finite()) {
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{py:.1}" width="2" height="22" fill="{DARK}"/>"#,
                x = left + tw * p.clamp(0.0, 1.0) - 1.0,
                py = y - 2.0,
            );
        }
        let _ = write!(
            out,
            r#"<text x="{vx:.1}" y="{ty:.1}" font-size="11">{t}</text></g>"#,
            vx = left + tw.max(aw) + 6.0,
            ty = y + 13.0,
            t = esc(&b.text),
        );
    }
    out.push_str("</svg>");
    out
}
