//! The pictures of a large step under way. While the helper thread applies the step,
//! the simulation thread follows it from the batch's activities alone ([`StepPreview`]):
//! whenever a picture is due it takes in the stimuli the step has presumably got through
//! (at the pace the step is expected to take) and publishes the view of `W` after them —
//! block means, window and row; when no picture can be due before the step ends, it
//! takes in the whole batch at once, and at its next look works out the block means of
//! the step's own picture, so that they are ready when the step ends. It holds the simulation's block sums meanwhile
//! ([`Simulation::take_overview`]): after the whole batch they are what the step would
//! have made of them, so the step itself need not follow them, and they go back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::published::Published;
use super::publisher::Publisher;
use crate::model::learning::snapshot::PartialStep;
use crate::model::learning::step_preview::StepPreview;
use crate::model::learning::{PreparedStep, UpdateParams};
use crate::model::{Simulation, SnapshotWeights};

/// A step's preview and the publication of the step before it, which it is shown on.
pub(super) struct PreviewFeed {
    preview: StepPreview,
    /// The newest completed step's publication (everything but the view of `W`).
    base: Arc<Published>,
    /// Stimuli taken in as of the newest published preview.
    shown: usize,
}

impl PreviewFeed {
    /// The preview of `prepared`, built on `base` (the publication of `sim` before the
    /// step), holding `sim`'s block sums until [`PreviewFeed::finish`]; `None` — the
    /// sums left with `sim` — when there is none to be had (no view, a rule or phase the
    /// block sums do not follow, a picture of another step or order).
    pub(super) fn start(
        sim: &mut Simulation,
        prepared: &PreparedStep,
        base: Option<&Arc<Published>>,
    ) -> Option<Self> {
        let base = base?;
        let start = base.snapshot.summary.as_ref()?;
        if base.snapshot.step != sim.step_count() || base.model.neurons != sim.neurons() {
            return None;
        }
        let overview = sim.take_overview()?;
        let params = UpdateParams::of(sim.config());
        match prepared.preview(overview, start, &params) {
            Ok(preview) => Some(Self {
                preview,
                base: base.clone(),
                shown: 0,
            }),
            Err(overview) => {
                sim.put_overview(*overview);
                None
            }
        }
    }

    /// Follows the step after the share `progress` of its expected duration, with
    /// `left` expected to go: publishes a preview of the stimuli it has got through if
    /// one is due; takes in the whole batch at once if no preview can be due before the
    /// step ends (its block sums are then ready when it ends; should the step overrun,
    /// a preview then shows the whole batch), and once it has, the block means of the
    /// step's picture ([`StepPreview::prepare_means`]).
    pub(super) fn follow(
        &mut self,
        progress: f64,
        left: Duration,
        publisher: &mut Publisher,
        target: Option<u64>,
    ) {
        let batch = self.preview.batch();
        if publisher.preview_due(left) {
            // At most all but the last stimulus — the step's own picture shows that —
            // unless the whole batch was taken in already (the step overran its pace).
            let k = ((progress * batch as f64) as usize).min(batch.saturating_sub(1));
            self.preview.advance_to(k);
            self.publish(publisher, target);
        } else if self.preview.taken() < batch && !publisher.preview_possible(left) {
            self.preview.advance_to(batch);
        } else if self.preview.taken() == batch {
            // At the next look, not in the same one: a command waiting is read first.
            self.preview.prepare_means();
        }
    }

    /// Publishes the view after the stimuli taken in so far, if it shows something new.
    fn publish(&mut self, publisher: &mut Publisher, target: Option<u64>) {
        let k = self.preview.taken();
        if k <= self.shown {
            return;
        }
        let base = &self.base;
        let summary = Arc::new(self.preview.summary());
        let mut snapshot = (*base.snapshot).clone();
        snapshot.weights = Arc::new(SnapshotWeights::Summary(summary.clone()));
        snapshot.summary = Some(summary);
        snapshot.partial = Some(PartialStep {
            stimuli: k,
            of: self.preview.batch(),
        });
        // The stimulus and activities stay those of the completed step: panels that
        // follow them (the most active neuron's field and row) would otherwise redo their
        // work at every preview, on the UI thread.
        let published = Arc::new(Published {
            id: publisher.next_id(),
            snapshot: Arc::new(snapshot),
            model: base.model.clone(),
            running: true,
            target,
            steps_per_second: base.steps_per_second,
            taken_at: Instant::now(),
        });
        publisher.publish_preview(published);
        self.shown = k;
    }

    /// Gives `sim` its block sums back: after the whole batch when the step was taken
    /// (`stepped`), otherwise marked stale (summed again from `W` when next asked for).
    pub(super) fn finish(self, sim: &mut Simulation, stepped: bool) {
        let overview = if stepped {
            self.preview.finish()
        } else {
            self.preview.abandon()
        };
        sim.put_overview(overview);
    }
}
