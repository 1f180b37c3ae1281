//! Metrics of the learned graph (SPEC §5) and the schedule on which they are recorded.
//!
//! All of them are computed from the raw weight buffer and the lazy decay scale, without
//! materialising `W`: norms and the maximum scale with it, the relative symmetry errors and
//! the sparsity do not depend on it.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::cancel::CancelToken;
use crate::model::learning::MAX_WEIGHT_MAGNITUDE;
use crate::model::learning::step_cancel::is_cancelled;
use crate::perm::{Permutation, squared_difference_rows};

/// Metrics at one recorded step.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsRecord {
    /// Steps taken.
    pub step: u64,
    /// Stimuli seen (`step · batch`).
    pub stimuli: u64,
    /// `‖W‖_F`.
    pub weight_norm: f64,
    /// Fraction of off-diagonal weights with `|w| ≤ 1e-6 · max|w|`.
    pub sparsity: f64,
    /// `max |w|`.
    pub max_weight: f64,
    /// Mean detector activity over the last batch.
    pub mean_activity: f64,
    /// `e_g` of the true transformation.
    pub symmetry_error_true: f64,
    /// The same for a fixed random permutation (baseline).
    pub symmetry_error_random: f64,
}

impl MetricsRecord {
    /// Why this record cannot be kept, if it cannot: a value is not finite (a weight
    /// overflowed) or the weights exceed [`MAX_WEIGHT_MAGNITUDE`] — the run has diverged.
    pub fn unusable(&self) -> Option<String> {
        let values = [
            self.weight_norm,
            self.sparsity,
            self.max_weight,
            self.mean_activity,
            self.symmetry_error_true,
            self.symmetry_error_random,
        ];
        if values.iter().any(|v| !v.is_finite()) {
            Some("the metrics are not finite (a weight overflowed)".into())
        } else if self.max_weight > MAX_WEIGHT_MAGNITUDE {
            Some(format!(
                "max |w| = {:e} exceeds {:e}",
                self.max_weight, MAX_WEIGHT_MAGNITUDE
            ))
        } else {
            None
        }
    }
}

/// Steps up to which every step is recorded (small graphs).
const RECORD_EVERY_STEP_UNTIL: u64 = 20;

/// Recorded points per decade of steps: 40 up to 512 neurons, 20 up to 1024, 10 above.
/// `e_g` costs `O(M²)` with scattered memory access, so for large graphs it is sampled
/// more sparsely to keep it from dominating training time.
pub fn points_per_decade(neurons: usize) -> f64 {
    match neurons {
        0..=512 => 40.0,
        513..=1024 => 20.0,
        _ => 10.0,
    }
}

/// Whether step `step` (1-based count of steps taken) is on the recording schedule of a
/// graph with `neurons` detectors: every step up to 20 for up to 512 neurons, then (and
/// for larger graphs from the start) [`points_per_decade`] log-spaced points per decade.
pub fn on_schedule(step: u64, neurons: usize) -> bool {
    if step == 0 {
        return false;
    }
    let per_decade = points_per_decade(neurons);
    if step <= RECORD_EVERY_STEP_UNTIL && per_decade >= 40.0 {
        return true;
    }
    if step == 1 {
        return true;
    }
    let bucket = |s: u64| ((s as f64).log10() * per_decade).floor() as i64;
    bucket(step) != bucket(step - 1)
}

/// Everything the metrics need besides the weights.
#[derive(Clone, Copy, Debug)]
pub struct MetricsInput<'a> {
    /// Steps taken.
    pub step: u64,
    /// Stimuli seen.
    pub stimuli: u64,
    /// Lazy decay scale (`W = scale · W_raw`).
    pub scale: f64,
    /// Mean detector activity over the last batch.
    pub mean_activity: f64,
    /// The true transformation as a neuron permutation.
    pub true_permutation: &'a Permutation,
    /// The fixed random baseline permutation.
    pub random_permutation: &'a Permutation,
    /// The neurons both symmetry errors are measured over (`None`: all); on an open line,
    /// the interior (`crate::model::detectors::line_space`).
    pub scored: Option<&'a [bool]>,
}

/// Computes a [`MetricsRecord`] for `W = scale · w_raw`.
pub fn compute(w_raw: ArrayView2<f32>, input: MetricsInput<'_>) -> MetricsRecord {
    // Without a token nothing can cancel.
    compute_unless(w_raw, input, None).expect("only a cancel token stops the metrics")
}

/// Rows of `W` between two looks at the cancel token (at M = 16,384 a few milliseconds
/// of reading).
const ROWS_PER_LOOK: usize = 64;

/// [`compute`] with a look at `cancel` every [`ROWS_PER_LOOK`] rows of each pass over
/// `W`: `None` once it is set (at M = 16,384 the metrics read the 1 GiB `W` about three
/// times, seconds on a loaded machine, and a pause must not wait for them). The result
/// does not depend on the token: the sums run over the rows in the same order, in the
/// same accumulators, as one pass would.
pub fn compute_unless(
    w_raw: ArrayView2<f32>,
    input: MetricsInput<'_>,
    cancel: Option<&CancelToken>,
) -> Option<MetricsRecord> {
    let m = w_raw.nrows();
    let stopped = || is_cancelled(cancel);
    // The statistics first, on all cores: `‖W‖²` is also the denominator of both
    // symmetry errors, so the whole matrix is not summed again for each of them.
    let WeightStats {
        sum_sq,
        max_abs,
        small,
    } = WeightStats::of(w_raw, &stopped)?;
    // `‖W − πW‖²` of both permutations (`None`: cancelled).
    let squared_difference = |p: &Permutation| -> Option<f64> {
        if p.len() != m || input.scored.is_some() {
            return Some(f64::NAN);
        }
        let mut acc = [0.0f64; 4];
        for r0 in (0..m).step_by(ROWS_PER_LOOK) {
            if stopped() {
                return None;
            }
            squared_difference_rows(w_raw, p, r0..(r0 + ROWS_PER_LOOK).min(m), &mut acc);
        }
        Some(acc.iter().sum())
    };
    // An open line measures over its interior (not cancellable: lines are small).
    let masked = |p: &Permutation| match input.scored {
        Some(mask) if p.len() == m => {
            crate::model::detectors::line_space::masked_relative_error(w_raw, p, mask)
        }
        _ => f64::NAN,
    };
    // The two O(M²) permutation sums run on two threads.
    let (true_sq, random_sq) = std::thread::scope(|scope| {
        let random = scope.spawn(|| squared_difference(input.random_permutation));
        let true_sq = squared_difference(input.true_permutation);
        (true_sq, random.join().unwrap_or(Some(f64::NAN)))
    });
    if stopped() {
        return None;
    }
    let error = |sq: Option<f64>, p: &Permutation| -> Option<f64> {
        Some(match input.scored {
            Some(_) => masked(p),
            None if p.len() != m => f64::NAN,
            None if sum_sq == 0.0 => 0.0,
            None => (sq? / sum_sq).sqrt(),
        })
    };
    let symmetry_error_true = error(true_sq, input.true_permutation)?;
    let symmetry_error_random = error(random_sq, input.random_permutation)?;
    let off_diagonal = (m * m).saturating_sub(m);
    let diagonal_small = (0..m)
        .filter(|&i| w_raw[[i, i]].abs() <= 1e-6 * max_abs)
        .count();
    let sparsity = if off_diagonal == 0 || max_abs == 0.0 {
        1.0
    } else {
        (small.saturating_sub(diagonal_small)) as f64 / off_diagonal as f64
    };
    Some(MetricsRecord {
        step: input.step,
        stimuli: input.stimuli,
        weight_norm: sum_sq.sqrt() * input.scale,
        sparsity,
        max_weight: f64::from(max_abs) * input.scale,
        mean_activity: input.mean_activity,
        symmetry_error_true,
        symmetry_error_random,
    })
}

/// `Σ w²`, `max |w|` and the count of `|w| ≤ 10⁻⁶·max |w|` over a whole matrix.
struct WeightStats {
    sum_sq: f64,
    max_abs: f32,
    small: usize,
}

/// Entries per parallel chunk of [`WeightStats::of`]: fixed, so the sum is added up in
/// the same order on any number of threads (the metrics are reproducible from the seed).
const STATS_CHUNK: usize = 1 << 16;
/// Independent accumulators per chunk: one running sum would wait on each addition,
/// eight let the compiler keep the pass at memory speed.
const LANES: usize = 8;

impl WeightStats {
    /// Two passes over `w` (the threshold needs the maximum first), each split into
    /// fixed chunks over all cores and combined in chunk order. At `M = 16,384` (1 GiB)
    /// the serial single-accumulator loops were about a tenth of a training run.
    /// `None` if `stopped` says so between chunks (the figures do not depend on it).
    fn of(w: ArrayView2<f32>, stopped: &(dyn Fn() -> bool + Sync)) -> Option<Self> {
        use rayon::prelude::*;
        let owned;
        let flat: &[f32] = match w.as_slice() {
            Some(flat) => flat,
            None => {
                owned = w.iter().copied().collect::<Vec<f32>>();
                &owned
            }
        };
        let partials: Option<Vec<(f64, f32)>> = flat
            .par_chunks(STATS_CHUNK)
            .map(|chunk| {
                if stopped() {
                    return None;
                }
                let mut sq = [0.0f64; LANES];
                let mut mx = [0.0f32; LANES];
                let mut lanes = chunk.chunks_exact(LANES);
                for xs in &mut lanes {
                    for l in 0..LANES {
                        sq[l] += f64::from(xs[l]) * f64::from(xs[l]);
                        mx[l] = mx[l].max(xs[l].abs());
                    }
                }
                for (l, &x) in lanes.remainder().iter().enumerate() {
                    sq[l] += f64::from(x) * f64::from(x);
                    mx[l] = mx[l].max(x.abs());
                }
                Some((sq.iter().sum(), mx.iter().fold(0.0f32, |a, &b| a.max(b))))
            })
            .collect();
        let partials = partials?;
        let sum_sq = partials.iter().map(|p| p.0).sum();
        // `max` ignores NaN; a NaN weight makes `sum_sq` NaN, which `unusable` reports.
        let max_abs = partials.iter().fold(0.0f32, |a, p| a.max(p.1));
        let tol = 1e-6 * max_abs;
        let small: Option<usize> = flat
            .par_chunks(STATS_CHUNK)
            .map(|chunk| {
                (!stopped()).then(|| {
                    chunk
                        .iter()
                        .map(|x| usize::from(x.abs() <= tol))
                        .sum::<usize>()
                })
            })
            .sum();
        Some(WeightStats {
            sum_sq,
            max_abs,
            small: small?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn schedule_is_dense_early_and_log_spaced_later() {
        assert!((1..=20).all(|s| on_schedule(s, 256)));
        let decade = (1000..10000).filter(|&s| on_schedule(s, 256)).count();
        assert!((38..=42).contains(&decade), "{decade} points in a decade");
        let large = (1..=100).filter(|&s| on_schedule(s, 2048)).count();
        assert!(
            (15..=22).contains(&large),
            "{large} points up to step 100 for M = 2048"
        );
    }

    #[test]
    fn metrics_in_blocks_of_rows_agree_with_whole_passes_and_stop_when_cancelled() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        // More rows than one look covers, and not a multiple of 4 columns.
        let m = 2 * ROWS_PER_LOOK + 7;
        let w = ndarray::Array2::from_shape_fn((m, m), |(i, j)| {
            if i == j || rng.random_bool(0.3) {
                0.0
            } else {
                rng.random_range(-1.0f32..1.0)
            }
        });
        let shift = Permutation::from_images((0..m).map(|i| (i + 1) % m).collect()).unwrap();
        let reversal = Permutation::from_images((0..m).rev().collect()).unwrap();
        let input = MetricsInput {
            step: 3,
            stimuli: 30,
            scale: 0.5,
            mean_activity: 0.1,
            true_permutation: &shift,
            random_permutation: &reversal,
            scored: None,
        };
        let r = compute(w.view(), input);
        // ‖W‖² is summed in parallel chunks, so the figures agree with the whole-matrix
        // helpers to rounding; with and without a token they agree bit for bit.
        let whole = |p: &Permutation| crate::perm::relative_error(w.view(), p);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
        assert!(close(r.symmetry_error_true, whole(&shift)));
        assert!(close(r.symmetry_error_random, whole(&reversal)));
        let norm = crate::perm::frobenius_norm(w.view());
        assert!(close(r.weight_norm, norm * 0.5));
        let token = CancelToken::new();
        assert_eq!(compute_unless(w.view(), input, Some(&token)), Some(r));
        token.cancel();
        assert_eq!(compute_unless(w.view(), input, Some(&token)), None);
    }

    #[test]
    fn weight_stats_agree_with_the_plain_sums_across_chunks() {
        // 300 × 300 = 90,000 entries: more than one chunk, and not a multiple of the
        // lanes; a spread of magnitudes so that some entries fall under the threshold.
        let n = 300;
        let w = ndarray::Array2::from_shape_fn((n, n), |(i, j)| {
            let x = ((i * 7919 + j * 104_729) % 10_007) as f32 / 10_007.0 - 0.5;
            if (i + j) % 5 == 0 { x * 1e-9 } else { x }
        });
        let stats = WeightStats::of(w.view(), &|| false).unwrap();
        let sum_sq: f64 = w.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
        let max_abs = w.iter().fold(0.0f32, |a, &x| a.max(x.abs()));
        let small = w.iter().filter(|x| x.abs() <= 1e-6 * max_abs).count();
        assert!((stats.sum_sq - sum_sq).abs() <= 1e-12 * sum_sq);
        assert_eq!(stats.max_abs, max_abs);
        assert_eq!(stats.small, small);
        assert!(small > n * n / 6, "{small} small entries");
        // A transposed view (not contiguous) gives the same figures.
        let t = WeightStats::of(w.t(), &|| false).unwrap();
        assert_eq!((t.max_abs, t.small), (max_abs, small));
    }

    #[test]
    fn metrics_of_a_small_matrix() {
        let w = array![[0.0f32, 1.0, 0.0], [1.0, 0.0, 2.0], [0.0, 2.0, 0.0]];
        let id = Permutation::identity(3);
        let swap = Permutation::from_images(vec![2, 1, 0]).unwrap();
        let r = compute(
            w.view(),
            MetricsInput {
                step: 1,
                stimuli: 1,
                scale: 0.5,
                mean_activity: 0.0,
                true_permutation: &id,
                random_permutation: &swap,
                scored: None,
            },
        );
        assert!((r.weight_norm - 0.5 * 10f64.sqrt()).abs() < 1e-12);
        assert_eq!(r.max_weight, 1.0);
        assert!((r.sparsity - 2.0 / 6.0).abs() < 1e-12);
        assert_eq!(r.symmetry_error_true, 0.0);
        // swap maps the 1-edge onto the 2-edge: ‖W − πW‖² = 4·1 = 4, ‖W‖² = 10.
        assert!((r.symmetry_error_random - (4.0f64 / 10.0).sqrt()).abs() < 1e-9);
    }
}
