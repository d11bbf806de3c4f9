//! Bounded-memory aggregates for the audit: an exact distribution kept as counts per
//! value (memory grows with the number of distinct values, not of skills) and a top-N
//! list. Both merge, so rayon can fold per thread and combine at the end.

use std::collections::BTreeMap;

use serde::Serialize;

/// Exact distribution of non-negative integers (token counts), as counts per value.
#[derive(Debug, Clone, Default)]
pub struct Distribution {
    counts: BTreeMap<u64, u64>,
    n: u64,
    total: u64,
}

impl Distribution {
    pub fn add(&mut self, value: u64) {
        *self.counts.entry(value).or_insert(0) += 1;
        self.n += 1;
        self.total += value;
    }

    pub fn merge(&mut self, other: Distribution) {
        for (v, c) in other.counts {
            *self.counts.entry(v).or_insert(0) += c;
        }
        self.n += other.n;
        self.total += other.total;
    }

    pub fn len(&self) -> u64 {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The nearest-rank quantile: the smallest value with at least `q * n` values at or
    /// below it (0 for an empty distribution).
    pub fn quantile(&self, q: f64) -> u64 {
        if self.n == 0 {
            return 0;
        }
        let rank = ((q * self.n as f64).ceil() as u64).clamp(1, self.n);
        let mut seen = 0;
        for (&v, &c) in &self.counts {
            seen += c;
            if seen >= rank {
                return v;
            }
        }
        self.max()
    }

    pub fn max(&self) -> u64 {
        self.counts.keys().next_back().copied().unwrap_or(0)
    }

    /// Counts in log buckets: `[0, 1)`, then powers of two `[1, 2)`, `[2, 4)`, ... up to
    /// the bucket holding the maximum. Empty buckets in the middle are kept so a chart's
    /// x axis is even.
    pub fn histogram(&self) -> Vec<Bucket> {
        let mut buckets: Vec<Bucket> = Vec::new();
        if self.n == 0 {
            return buckets;
        }
        let index = |v: u64| {
            if v == 0 {
                0
            } else {
                64 - v.leading_zeros() as usize
            }
        };
        let last = index(self.max());
        for i in 0..=last {
            let (lo, hi) = if i == 0 {
                (0, 1)
            } else {
                (1u64 << (i - 1), 1u64 << i)
            };
            buckets.push(Bucket { lo, hi, count: 0 });
        }
        for (&v, &c) in &self.counts {
            buckets[index(v)].count += c;
        }
        buckets
    }

    pub fn summary(&self) -> Summary {
        Summary {
            skills: self.n,
            total: self.total,
            mean: if self.n == 0 {
                0.0
            } else {
                self.total as f64 / self.n as f64
            },
            median: self.quantile(0.5),
            p90: self.quantile(0.9),
            p99: self.quantile(0.99),
            max: self.max(),
            histogram: self.histogram(),
        }
    }
}

/// A histogram bucket: values `lo <= v < hi`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub lo: u64,
    pub hi: u64,
    pub count: u64,
}

/// What the report shows of a distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many skills the distribution covers.
    pub skills: u64,
    pub total: u64,
    pub mean: f64,
    pub median: u64,
    pub p90: u64,
    pub p99: u64,
    pub max: u64,
    pub histogram: Vec<Bucket>,
}

/// The `n` largest items by `key`, ties broken by the item's own order so the result does
/// not depend on how the work was split across threads.
#[derive(Debug, Clone)]
pub struct Top<T> {
    n: usize,
    items: Vec<(u64, T)>,
}

impl<T: Ord> Top<T> {
    pub fn new(n: usize) -> Top<T> {
        Top {
            n,
            items: Vec::new(),
        }
    }

    pub fn push(&mut self, key: u64, item: T) {
        if self.n == 0 {
            return;
        }
        self.items.push((key, item));
        // Trim in batches: amortised O(1) per push, at most 2n items held.
        if self.items.len() > 2 * self.n {
            self.trim();
        }
    }

    pub fn merge(&mut self, other: Top<T>) {
        self.items.extend(other.items);
        self.trim();
    }

    fn trim(&mut self) {
        self.items
            .sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        self.items.truncate(self.n);
    }

    /// The items, largest first.
    pub fn into_sorted(mut self) -> Vec<(u64, T)> {
        self.trim();
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_exact_nearest_rank() {
        let mut d = Distribution::default();
        for v in 1..=100 {
            d.add(v);
        }
        assert_eq!(d.quantile(0.5), 50);
        assert_eq!(d.quantile(0.9), 90);
        assert_eq!(d.quantile(0.99), 99);
        assert_eq!(d.max(), 100);
        assert_eq!(d.summary().total, 5050);
        let mut e = Distribution::default();
        e.add(7);
        assert_eq!(e.quantile(0.5), 7);
        assert_eq!(Distribution::default().quantile(0.5), 0);
    }

    #[test]
    fn merged_distributions_equal_one_built_whole() {
        let (mut a, mut b, mut whole) = (
            Distribution::default(),
            Distribution::default(),
            Distribution::default(),
        );
        for v in [0, 3, 3, 17, 900, 4096] {
            a.add(v);
            whole.add(v);
        }
        for v in [1, 3, 64, 65] {
            b.add(v);
            whole.add(v);
        }
        a.merge(b);
        assert_eq!(a.summary(), whole.summary());
        let h = whole.histogram();
        assert_eq!(h.iter().map(|b| b.count).sum::<u64>(), 10);
        assert_eq!((h[0].lo, h[0].hi, h[0].count), (0, 1, 1));
        // 4096 sits in [4096, 8192), the last bucket.
        assert_eq!(h.last().map(|b| (b.lo, b.count)), Some((4096, 1)));
    }

    #[test]
    fn top_keeps_the_largest_whatever_the_split() {
        let mut a = Top::new(3);
        let mut b = Top::new(3);
        for (k, s) in [(5, "e"), (1, "a"), (9, "i"), (5, "d")] {
            a.push(k, s);
        }
        for (k, s) in [(7, "g"), (2, "b"), (9, "h")] {
            b.push(k, s);
        }
        a.merge(b);
        assert_eq!(a.into_sorted(), vec![(9, "h"), (9, "i"), (7, "g")]);
    }
}
