//! Small-cell suppression for counts that leave the vault.
//!
//! The rule (the CTDC's): no count below k is shown; it reads "<k". Where a panel's rows add up to
//! a published total, one hidden count could be worked out by subtraction, so others are withheld
//! too (complementary suppression): the smallest shown counts, one at a time, until no hidden
//! count can be pinned to a single value by someone who knows the total, which counts read "<k"
//! (each is 0 to k-1) and which are withheld (each is k or more, or it would read "<k"). A total
//! below k is itself "<k", and then every count under it is hidden.
//!
//! Counts in panels whose rows do not add up to the total (a person can have several forms of
//! exploitation) are only suppressed below k: no sum relates them.

use serde::{Deserialize, Serialize};

/// A count as a report shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "ReportCount.ts"))]
pub enum Count {
    /// The count (a number in TypeScript: no count comes near 2^53).
    Exact(#[cfg_attr(feature = "ts", ts(type = "number"))] u64),
    /// Hidden because it is below k: "<k".
    Below(u32),
    /// Hidden because it would give away a count below k (it is k or more).
    Withheld,
}

impl Count {
    /// As a CSV cell: the number, "<k", or "withheld".
    pub fn cell(&self) -> String {
        match self {
            Count::Exact(count) => count.to_string(),
            Count::Below(k) => format!("<{k}"),
            Count::Withheld => "withheld".to_owned(),
        }
    }
}

/// The suppressed form of one panel: its counts, and its total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    /// Each row's count, in the rows' order.
    pub counts: Vec<Count>,
    /// The total.
    pub total: Count,
}

/// Counts that need not add up to anything: each below k is hidden.
pub fn primary_only(counts: &[u64], total: u64, k: u32) -> Suppressed {
    let below = |count: u64| {
        if count < u64::from(k) {
            Count::Below(k)
        } else {
            Count::Exact(count)
        }
    };
    Suppressed {
        counts: counts.iter().map(|count| below(*count)).collect(),
        total: below(total),
    }
}

/// Counts that add up to `total`: primary and complementary suppression (see the module).
pub fn additive(counts: &[u64], k: u32) -> Suppressed {
    let total: u64 = counts.iter().sum();
    let k64 = u64::from(k);
    if total < k64 {
        return Suppressed {
            counts: vec![Count::Below(k); counts.len()],
            total: Count::Below(k),
        };
    }
    let mut hidden: Vec<bool> = counts.iter().map(|count| *count < k64).collect();
    while hidden.iter().any(|h| *h) && any_pinned(counts, &hidden, total, k64) {
        // The smallest count still shown (the first of equals): the least information lost.
        let next = (0..counts.len())
            .filter(|i| !hidden[*i])
            .min_by_key(|i| (counts[*i], *i));
        match next {
            Some(i) => hidden[i] = true,
            // Everything hidden and still pinned: cannot happen while the total is k or more
            // (the hidden counts then add up to it), but a report errs towards showing less.
            None => {
                return Suppressed {
                    counts: vec![Count::Below(k); counts.len()],
                    total: Count::Below(k),
                }
            }
        }
    }
    Suppressed {
        counts: counts
            .iter()
            .zip(&hidden)
            .map(|(count, hidden)| match (*hidden, *count < k64) {
                (false, _) => Count::Exact(*count),
                (true, true) => Count::Below(k),
                (true, false) => Count::Withheld,
            })
            .collect(),
        total: Count::Exact(total),
    }
}

/// Whether some hidden count has only one value consistent with what is shown: the hidden counts
/// add up to the total less the shown ones, each "<k" count lies in 0..=k-1 and each withheld one
/// in k..=total.
fn any_pinned(counts: &[u64], hidden: &[bool], total: u64, k: u64) -> bool {
    let shown: u64 = counts
        .iter()
        .zip(hidden)
        .filter(|(_, h)| !**h)
        .map(|(c, _)| *c)
        .sum();
    let rest = total - shown;
    let bounds: Vec<(u64, u64)> = counts
        .iter()
        .zip(hidden)
        .filter(|(_, h)| **h)
        .map(|(count, _)| if *count < k { (0, k - 1) } else { (k, total) })
        .collect();
    let low_sum: u64 = bounds.iter().map(|(low, _)| low).sum();
    let high_sum: u64 = bounds.iter().map(|(_, high)| high).sum();
    bounds.iter().any(|(low, high)| {
        let least = (*low).max(rest.saturating_sub(high_sum - high));
        let most = (*high).min(rest.saturating_sub(low_sum - low));
        least >= most
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(suppressed: &Suppressed) -> Vec<String> {
        suppressed.counts.iter().map(Count::cell).collect()
    }

    #[test]
    fn nothing_is_hidden_when_every_count_is_k_or_more() {
        let s = additive(&[11, 20, 35], 11);
        assert_eq!(cells(&s), ["11", "20", "35"]);
        assert_eq!(s.total, Count::Exact(66));
    }

    #[test]
    fn one_small_count_takes_the_smallest_other_with_it() {
        let s = additive(&[3, 40, 12, 50], 11);
        assert_eq!(cells(&s), ["<11", "40", "withheld", "50"]);
    }

    #[test]
    fn two_small_counts_that_would_give_each_other_away_take_a_third() {
        // 10 and 10 hidden, total known: the two must add to 20, and each is at most 10: both 10.
        let s = additive(&[10, 10, 30], 11);
        assert_eq!(cells(&s), ["<11", "<11", "withheld"]);
        // Zeros: both hidden counts add to 0, so both are 0.
        let s = additive(&[0, 0, 30, 40], 11);
        assert_eq!(cells(&s), ["<11", "<11", "withheld", "40"]);
    }

    #[test]
    fn a_total_below_k_hides_everything() {
        let s = additive(&[3, 4], 11);
        assert_eq!(cells(&s), ["<11", "<11"]);
        assert_eq!(s.total, Count::Below(11));
    }

    #[test]
    fn k_is_the_one_given() {
        let s = additive(&[12, 30, 40], 20);
        assert_eq!(cells(&s), ["<20", "withheld", "40"]);
    }

    #[test]
    fn counts_that_need_not_add_up_are_only_hidden_below_k() {
        let s = primary_only(&[3, 40, 0], 45, 11);
        assert_eq!(cells(&s), ["<11", "40", "<11"]);
        assert_eq!(s.total, Count::Exact(45));
    }
}
