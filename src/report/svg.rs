//! Inline SVG charts for the HTML report: horizontal bars, a funnel, columns
//! and columns with a line; grouped and target bars (`svg/grouped.rs`) and
//! a heatmap (`svg/heatmap.rs`). Each function returns one `<svg>` element whose
//! every text from data is escaped here (the template inserts it as safe),
//! with a `<title>` per mark for a tooltip. No external reference: no
//! namespace URL, no fonts, no images. Layout is computed in a fixed
//! 640-unit-wide viewBox that scales to the page.

use std::fmt::Write;

mod grouped;
mod heatmap;

pub use grouped::{grouped_hbars, target_bars, Series, TargetBar, LIGHT};
pub use heatmap::{heat_color, heatmap, Grid};

/// One mark: a label, the value that sizes it and the text shown for it.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Category label (from data: escaped here).
    pub label: String,
    /// Value that sizes the mark (negative values draw as 0).
    pub value: f64,
    /// The value as displayed (`12.3%`, `¥1,200`).
    pub text: String,
}

/// The main colour of marks.
pub const BLUE: &str = "#2f6fb0";
/// The colour of highlighted marks (top 3) and of the line.
pub const ORANGE: &str = "#e07b39";
const WIDTH: f64 = 640.0;
const FONT: f64 = 12.0;
const MAX_LABEL_UNITS: usize = 24;

/// Escapes text for SVG/HTML content and attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Display width in half-width units: CJK and other wide characters count 2.
pub fn text_units(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Wide (full-width) characters: CJK, kana, hangul, full-width forms.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Cuts a label to `max` units, ending it with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    if text_units(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in s.chars() {
        let w = if is_wide(c) { 2 } else { 1 };
        if units + w > max.saturating_sub(1) {
            break;
        }
        units += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn px(units: usize) -> f64 {
    units as f64 * FONT * 0.55
}

fn open(out: &mut String, height: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-label="{t}" font-size="{FONT}"><title>{t}</title>"#,
        t = esc(title)
    );
}

fn scale(values: impl Iterator<Item = f64>) -> f64 {
    let max = values.fold(0.0_f64, |m, v| if v.is_finite() { m.max(v) } else { m });
    if max > 0.0 {
        max
    } else {
        1.0
    }
}

/// Horizontal bars, one per row, labels on the left and values on the right.
/// The first `highlight` bars are drawn in the highlight colour.
pub fn hbars(title: &str, bars: &[Bar], highlight: usize) -> String {
    let row = 24.0;
    let label_units = bars
        .iter()
        .map(|b| text_units(&b.label))
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_UNITS);
    let left = (px(label_units) + 12.0).max(48.0);
    let room = WIDTH - left - 90.0;
    let max = scale(bars.iter().map(|b| b.value));
    let mut out = String::new();
    open(&mut out, row * bars.len() as f64 + 8.0, title);
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let w = (b.value.max(0.0) / max * room).max(if b.value > 0.0 { 1.0 } else { 0.0 });
        let color = if i < highlight { ORANGE } else { BLUE };
        let _ = write!(
            out,
            r#"<g><title>{label}: {text}</title><text x="{lx:.1}" y="{ty:.1}" text-anchor="end">{short}</text><rect x="{left:.1}" y="{y:.1}" width="{w:.1}" height="16" rx="2" fill="{color}"/><text x="{vx:.1}" y="{ty:.1}">{text}</text></g>"#,
            label = esc(&b.label),
            short = esc(&clip(&b.label, MAX_LABEL_UNITS)),
            text = esc(&b.text),
            lx = left - 6.0,
            ty = y + 12.5,
            vx = left + w + 4.0,
        );
    }
    out.push_str("</svg>");
    out
}

/// A funnel: one centred bar per stage, its width proportional to `value`,
/// with the conversion to the next stage written between two bars.
pub fn funnel(title: &str, stages: &[Bar], conversions: &[String]) -> String {
    let (bar, gap) = (26.0, 20.0);
    let label_units = stages
        .iter()
        .map(|b| text_units(&b.label))
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_UNITS);
    let left = (px(label_units) + 12.0).max(48.0);
    let room = WIDTH - left - 8.0;
    let centre = left + room / 2.0;
    let max = scale(stages.iter().map(|b| b.value));
    let mut out = String::new();
    let height = stages.len() as f64 * (bar + gap) - gap + 8.0;
    open(&mut out, height.max(bar), title);
    for (i, b) in stages.iter().enumerate() {
        let y = 4.0 + (bar + gap) * i as f64;
        let w = (b.value.max(0.0) / max * room).max(2.0);
        let _ = write!(
            out,
            r##"<g><title>{label}: {text}</title><text x="{lx:.1}" y="{ty:.1}" text-anchor="end">{short}</text><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{bar}" rx="3" fill="{BLUE}"/><text x="{centre:.1}" y="{ty:.1}" text-anchor="middle" class="on-bar">{text}</text></g>"##,
            label = esc(&b.label),
            short = esc(&clip(&b.label, MAX_LABEL_UNITS)),
            text = esc(&b.text),
            lx = left - 6.0,
            ty = y + bar / 2.0 + 4.0,
            x = centre - w / 2.0,
        );
        if let Some(c) = conversions.get(i).filter(|_| i + 1 < stages.len()) {
            let _ = write!(
                out,
                r#"<text x="{centre:.1}" y="{cy:.1}" text-anchor="middle" class="muted">↓ {c}</text>"#,
                cy = y + bar + gap / 2.0 + 4.0,
                c = esc(c),
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Vertical columns with their values on top and labels below.
pub fn columns(title: &str, bars: &[Bar]) -> String {
    columns_line(title, bars, &[], ("", ""))
}

/// Columns (left scale) and an optional line (right scale) over the same
/// categories, with a legend naming both when the line is given. Labels
/// below are thinned to about twelve.
pub fn columns_line(title: &str, cols: &[Bar], line: &[Bar], legend: (&str, &str)) -> String {
    let (top, bottom, left, right) = (if line.is_empty() { 18.0 } else { 34.0 }, 36.0, 16.0, 16.0);
    let height = 240.0;
    let plot_h = height - top - bottom;
    let n = cols.len().max(1) as f64;
    let step = (WIDTH - left - right) / n;
    let col_w = (step * 0.7).max(1.0);
    let max = scale(cols.iter().map(|b| b.value));
    let line_max = scale(line.iter().map(|b| b.value));
    let every = cols.len().div_ceil(12).max(1);
    // Values on top only when there is room and no line to collide with.
    let show_values = line.is_empty() && cols.len() <= 16;
    let mut out = String::new();
    open(&mut out, height, title);
    let base = top + plot_h;
    let _ = write!(
        out,
        r##"<line x1="{left}" y1="{base}" x2="{x2}" y2="{base}" stroke="#999"/>"##,
        x2 = WIDTH - right
    );
    for (i, b) in cols.iter().enumerate() {
        let x = left + step * i as f64 + (step - col_w) / 2.0;
        let h = b.value.max(0.0) / max * plot_h;
        let mut tip = format!("{}: {}", b.label, b.text);
        if let Some(l) = line.get(i) {
            let _ = write!(tip, "; {}: {}", legend.1, l.text);
        }
        let _ = write!(
            out,
            r#"<g><title>{tip}</title><rect x="{x:.1}" y="{y:.1}" width="{col_w:.1}" height="{h:.1}" fill="{BLUE}"/>"#,
            tip = esc(&tip),
            y = base - h,
        );
        if show_values {
            let _ = write!(
                out,
                r#"<text x="{cx:.1}" y="{vy:.1}" text-anchor="middle" font-size="10">{v}</text>"#,
                cx = x + col_w / 2.0,
                vy = base - h - 3.0,
                v = esc(&b.text),
            );
        }
        if i.is_multiple_of(every) {
            let _ = write!(
                out,
                r#"<text x="{cx:.1}" y="{ly:.1}" text-anchor="middle" font-size="10">{l}</text>"#,
                cx = x + col_w / 2.0,
                ly = base + 14.0,
                l = esc(&clip(&b.label, 12)),
            );
        }
        out.push_str("</g>");
    }
    if !line.is_empty() {
        let points: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let x = left + step * i as f64 + step / 2.0;
                format!("{x:.1},{:.1}", base - b.value.max(0.0) / line_max * plot_h)
            })
            .collect();
        let _ = write!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{ORANGE}" stroke-width="2"/>"#,
            points.join(" ")
        );
        for p in &points {
            let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = write!(
                out,
                r#"<circle cx="{x}" cy="{y}" r="2.5" fill="{ORANGE}"/>"#
            );
        }
        let _ = write!(
            out,
            r#"<rect x="{left}" y="6" width="10" height="10" fill="{BLUE}"/><text x="{t1}" y="15">{a}</text><rect x="{x2:.1}" y="10" width="12" height="3" fill="{ORANGE}"/><text x="{t2:.1}" y="15">{b}</text>"#,
            t1 = left + 14.0,
            a = esc(legend.0),
            x2 = left + 30.0 + px(text_units(legend.0)),
            t2 = left + 46.0 + px(text_units(legend.0)),
            b = esc(legend.1),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value,
            text: format!("{value}"),
        }
    }

    #[test]
    fn escapes_every_data_text() {
        let evil = "<script>alert(1)</script>";
        for svg in [
            hbars(evil, &[bar(evil, 1.0)], 1),
            funnel("f", &[bar(evil, 2.0), bar("b", 1.0)], &[evil.to_string()]),
            columns_line("c", &[bar(evil, 1.0)], &[bar(evil, 2.0)], (evil, evil)),
        ] {
            assert!(!svg.contains("<script"), "{svg}");
            assert!(svg.contains("&lt;script&gt;"));
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            assert!(!svg.contains("http"));
        }
    }

    #[test]
    fn widths_and_clipping() {
        assert_eq!(text_units("CRM 系统"), 8);
        assert_eq!(clip("abcdef", 4), "abc…");
        assert_eq!(clip("客户关系管理", 6), "客户…");
        // All-zero data still draws (no division by zero, no NaN).
        let svg = columns("z", &[bar("a", 0.0), bar("b", 0.0)]);
        assert!(!svg.contains("NaN"));
    }
}
