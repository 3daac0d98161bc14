//! A tiny deterministic pseudo-random generator (splitmix64) and the few
//! sampling helpers the generator needs.
//!
//! Every stream is derived from the user's seed and a row index with
//! [`stream`], so row `i` always comes out the same whatever the table size
//! and whatever was generated before it. Nothing here reads the clock or the
//! environment: same seed, same bytes.

/// splitmix64 state; also used as a one-shot hash by [`mix`].
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

/// One splitmix64 finalisation step: a good 64-bit mixing function.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator for item `index` of the stream named by `salt` under `seed`.
pub fn stream(seed: u64, salt: u64, index: u64) -> Rng {
    Rng::new(mix(mix(seed ^ salt.rotate_left(17)) ^ index))
}

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer uniform in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Multiply-shift: bias is below 2^-32 for the sizes used here.
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An integer uniform in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A uniformly chosen element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An element of a non-empty `(item, weight)` slice, chosen by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        &items[self.weighted_index(items.iter().map(|(_, w)| f64::from(*w)))].0
    }

    /// The index chosen from non-negative weights (the last one on a
    /// rounding shortfall; `0` when all weights are zero).
    pub fn weighted_index(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        if total <= 0.0 {
            return 0;
        }
        let mut target = self.unit() * total;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            last = i;
            if target < w {
                return i;
            }
            target -= w;
        }
        last
    }

    /// A Poisson-distributed count with mean `lambda` (Knuth's method; a
    /// rounded normal approximation above 30).
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            return 0;
        }
        if lambda > 30.0 {
            let v = lambda + lambda.sqrt() * self.normal();
            return v.round().max(0.0) as u64;
        }
        let limit = (-lambda).exp();
        let mut k = 0;
        let mut p = self.unit();
        while p > limit {
            k += 1;
            p *= self.unit();
        }
        k
    }

    /// A standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// A value log-uniform between `lo` and `hi` (both positive).
    pub fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| stream(42, 1, 7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(stream(42, 1, 7).next_u64(), stream(42, 1, 8).next_u64());
        assert_ne!(stream(42, 1, 7).next_u64(), stream(42, 2, 7).next_u64());
        assert_ne!(stream(42, 1, 7).next_u64(), stream(43, 1, 7).next_u64());
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            let v = r.range(-3, 3);
            assert!((-3..=3).contains(&v));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(5, 2), 5);
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut r = Rng::new(9);
        let n = 20_000;
        let sum: u64 = (0..n).map(|_| r.poisson(4.0)).sum();
        let mean = sum as f64 / n as f64;
        assert!((mean - 4.0).abs() < 0.1, "mean {mean}");
        let big: u64 = (0..n).map(|_| r.poisson(50.0)).sum();
        assert!((big as f64 / n as f64 - 50.0).abs() < 0.5);
    }

    #[test]
    fn weighted_respects_zero_weights() {
        let mut r = Rng::new(3);
        let items = [("a", 0), ("b", 5), ("c", 0)];
        for _ in 0..100 {
            assert_eq!(*r.weighted(&items), "b");
        }
    }
}
