//! Order statistics over timing samples. Medians and percentiles rather than means: timing noise
//! (a context switch, a page-cache miss) only ever adds time, so a few outliers drag a mean up
//! while the median stays on the typical run.

use std::time::Duration;

/// The figures the benchmark table reports for one set of samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub median: Duration,
    pub p90: Duration,
    pub min: Duration,
    pub runs: usize,
}

impl Summary {
    /// `None` for no samples: there is no median of nothing, and a zero would look like a
    /// (suspiciously good) measurement.
    pub fn of(samples: &[Duration]) -> Option<Summary> {
        let mut sorted = samples.to_vec();
        sorted.sort_unstable();
        let min = *sorted.first()?;
        Some(Summary {
            median: median(&sorted),
            p90: percentile(&sorted, 90),
            min,
            runs: sorted.len(),
        })
    }
}

/// The median of sorted, non-empty samples: the middle one, or the mean of the two middle ones
/// for an even count.
fn median(sorted: &[Duration]) -> Duration {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2
    }
}

/// The nearest-rank percentile of sorted, non-empty samples: the smallest sample that at least
/// `pct` percent of the samples are less than or equal to. Always an observed value.
pub fn percentile(sorted: &[Duration], pct: usize) -> Duration {
    let rank = (pct * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn no_samples_no_summary() {
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn odd_count_median_is_the_middle_sample() {
        let s = Summary::of(&ms(&[5, 1, 3])).unwrap();
        assert_eq!(s.median, Duration::from_millis(3));
        assert_eq!(s.min, Duration::from_millis(1));
        assert_eq!(s.runs, 3);
    }

    #[test]
    fn even_count_median_is_the_mean_of_the_middle_two() {
        let s = Summary::of(&ms(&[4, 1, 2, 3])).unwrap();
        assert_eq!(s.median, Duration::from_micros(2500));
    }

    #[test]
    fn p90_is_nearest_rank() {
        // 1..=10: 90% of 10 samples is rank 9.
        let s = Summary::of(&ms(&[10, 9, 8, 7, 6, 5, 4, 3, 2, 1])).unwrap();
        assert_eq!(s.p90, Duration::from_millis(9));
        // 1..=30: rank 27.
        let thirty: Vec<u64> = (1..=30).collect();
        assert_eq!(
            Summary::of(&ms(&thirty)).unwrap().p90,
            Duration::from_millis(27)
        );
        // One sample: it is every percentile.
        assert_eq!(
            Summary::of(&ms(&[7])).unwrap().p90,
            Duration::from_millis(7)
        );
    }
}
