//! What the learned graph says about harmonics: the mean weight between detectors `d`
//! bins apart (by their ground-truth positions), for every `d`. In the heatmap in
//! ground-truth order these are the off-diagonal stripes; a harmonic tone co-activates
//! bins `12·log2(h'/h)` apart (at 12 bins per octave), so the profile has local maxima at
//! the octave (12 bins: harmonics 1–2, 2–4, 3–6, 4–8), the fifth (7 ≈ 12·log2(3/2):
//! 2–3, 4–6), the twelfth (19: 1–3, 2–6), the fourth (5: 3–4, 6–8) and so on.

use crate::model::Simulation;

/// `profile[d]` = mean of `W[i][j]` over the detector pairs whose receptive fields
/// start `d` samples apart (any kernels), for `d` in `0..n`; NaN where no pair is.
/// Labels are used, so this is scoring, never search.
pub fn offset_profile(sim: &Simulation) -> Vec<f64> {
    let n = sim.config().space.side();
    let w = sim.weights();
    let labels = sim.labels();
    let mut sum = vec![0.0f64; n];
    let mut count = vec![0usize; n];
    for (i, a) in labels.iter().enumerate() {
        for (j, b) in labels.iter().enumerate() {
            if i == j {
                continue;
            }
            let d = a.position.abs_diff(b.position);
            if d < n {
                sum[d] += f64::from(w[[i, j]]);
                count[d] += 1;
            }
        }
    }
    sum.iter()
        .zip(&count)
        .map(|(&s, &c)| if c == 0 { f64::NAN } else { s / c as f64 })
        .collect()
}

/// How far `profile[d]` stands above the mean of its two neighbours, relative to that
/// mean: positive at a stripe, negative in a trough; NaN at the ends.
pub fn stripe_contrast(profile: &[f64], d: usize) -> f64 {
    if d == 0 || d + 1 >= profile.len() {
        return f64::NAN;
    }
    let around = 0.5 * (profile[d - 1] + profile[d + 1]);
    (profile[d] - around) / around.abs().max(f64::MIN_POSITIVE)
}
