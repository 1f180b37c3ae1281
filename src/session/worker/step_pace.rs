//! The pace of a large simulation's steps, which its previews follow.

/// Recent durations of a large simulation's steps, with and without metrics: a preview
/// takes in the batch's stimuli at the pace the step is expected to take.
#[derive(Default)]
pub(super) struct Pace {
    plain_secs: Option<f64>,
    with_metrics_secs: Option<f64>,
}

impl Pace {
    /// The expected duration of a step (with its metrics, if `metrics`), once one was
    /// measured: a little more than the recent ones, so the preview seldom waits for the
    /// step at its end.
    pub(super) fn expected(&self, metrics: bool) -> Option<f64> {
        let plain = self.plain_secs?;
        let secs = if metrics {
            self.with_metrics_secs.unwrap_or(plain)
        } else {
            plain
        };
        Some(1.05 * secs)
    }

    /// Remembers that a step took `secs` (a moving average over a few steps).
    pub(super) fn observe(&mut self, metrics: bool, secs: f64) {
        let slot = if metrics {
            &mut self.with_metrics_secs
        } else {
            &mut self.plain_secs
        };
        *slot = Some(slot.map_or(secs, |old| 0.5 * old + 0.5 * secs));
        if self.plain_secs.is_none() {
            self.plain_secs = Some(secs);
        }
    }
}
