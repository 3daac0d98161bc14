//! Small statistics over sorted slices, for the few figures computed outside
//! a frame.

/// Linear-interpolation quantile (position q × (n − 1)) of sorted values;
/// `None` for no values.
pub fn quantile_linear(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    Some(sorted[lo] + (sorted[hi.min(sorted.len() - 1)] - sorted[lo]) * frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_quantiles() {
        assert_eq!(quantile_linear(&[], 0.5), None);
        assert_eq!(quantile_linear(&[3.0], 0.9), Some(3.0));
        assert_eq!(quantile_linear(&[1.0, 2.0, 3.0, 4.0], 0.5), Some(2.5));
        // 0.9 × 4 = 3.6 → 4 + 0.6 × (5 − 4)
        assert!((quantile_linear(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.9).unwrap() - 4.6).abs() < 1e-12);
    }
}
