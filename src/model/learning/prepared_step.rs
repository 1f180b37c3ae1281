//! One step of a [`super::Simulation`] in two halves: its batch drawn and encoded
//! ([`PreparedStep::draw`], which reads neither `W` nor anything `W` depends on), and the
//! graph learning from it ([`PreparedStep::learn`]). Between the two, the batch's
//! activities can feed a [`StepPreview`] on another thread while the step is applied.

use std::borrow::Cow;
use std::sync::Arc;

use ndarray::Array2;

use super::network::Network;
use super::phase::Phase;
use super::step_preview::StepPreview;
use super::training_batch::Batch;
use crate::cancel::CancelToken;
use crate::model::config::LearningRule;
use crate::model::learning::overview::{Overview, WeightSummary};
use crate::model::learning::{Cancelled, PathChoice, UpdateParams};

/// A step's batch, drawn and encoded by [`super::Simulation::prepare_step`] and not yet
/// learned from ([`super::Simulation::apply_step`]).
#[derive(Clone, Debug)]
pub struct PreparedStep {
    /// The step it is for (steps taken before it).
    step: u64,
    /// The bank it was encoded by.
    bank_version: u64,
    /// The stimuli, `B × pixels`.
    stimuli: Arc<Array2<f32>>,
    /// In the graph phase, the activities (and the temporal rule's earlier frames').
    activities: Option<StepActivities>,
}

/// A batch's activities, `B × M`, and for the temporal rule its earlier frames'.
type StepActivities = (Arc<Array2<f32>>, Option<Arc<Array2<f32>>>);

impl PreparedStep {
    /// Draws and encodes the batch of step `step` for `net` in `phase` (it depends on
    /// the seed, the step number and the bank only); `None` once `cancel` is set.
    pub(super) fn draw(
        net: &Network,
        step: u64,
        phase: Phase,
        cancel: Option<&CancelToken>,
    ) -> Option<Self> {
        let config = net.config();
        let batch = Batch::draw(config, step, config.batch, cancel)?;
        let mut prepared = Self {
            step,
            bank_version: net.bank_version(),
            stimuli: Arc::new(batch.stimuli),
            activities: None,
        };
        if let Phase::Fields { .. } = phase {
            return Some(prepared);
        }
        let current = net.activities_unless(&prepared.stimuli, cancel)?;
        let previous = match (&batch.previous, config.rule) {
            (Some(prev), LearningRule::Temporal) => {
                Some(Arc::new(net.activities_unless(prev, cancel)?))
            }
            _ => None,
        };
        prepared.activities = Some((Arc::new(current), previous));
        Some(prepared)
    }

    /// Stimuli in the batch.
    pub fn stimuli(&self) -> usize {
        self.stimuli.nrows()
    }

    /// The batch's stimuli, `B × pixels`.
    pub(super) fn stimulus_rows(&self) -> &Array2<f32> {
        &self.stimuli
    }

    /// Whether it was drawn for step `step` of `net` as it is now (same bank).
    pub(super) fn is_for(&self, net: &Network, step: u64) -> bool {
        self.step == step && self.bank_version == net.bank_version()
    }

    /// Whether it carries activities (drawn in the graph phase).
    pub(super) fn has_activities(&self) -> bool {
        self.activities.is_some()
    }

    /// Learns from the batch in `phase`: in the field phase the learner sees it and the
    /// bank is rebuilt; in the graph phase `W` (and `overview`'s block sums, if any)
    /// take the Hebbian update. Returns the activities the step showed (in the field
    /// phase, those of the rebuilt bank; `None`, and nothing learned, for a batch without
    /// activities in the graph phase), or `Err` when `cancel` stopped the kernel — which
    /// then left `W` as it was.
    pub(super) fn learn(
        &self,
        net: &mut Network,
        phase: Phase,
        overview: Option<&mut Overview>,
        cancel: Option<&CancelToken>,
    ) -> Result<Option<Cow<'_, Array2<f32>>>, Cancelled> {
        let (current, previous) = match (phase, &self.activities) {
            (Phase::Fields { .. }, _) => {
                net.learn_fields(&self.stimuli, self.step);
                return Ok(Some(Cow::Owned(net.activities(&self.stimuli))));
            }
            (Phase::Graph, Some(activities)) => activities,
            (Phase::Graph, None) => return Ok(None),
        };
        let params = UpdateParams::of(net.config());
        net.state_mut().try_update(
            &params,
            current.view(),
            previous.as_ref().map(|p| p.view()),
            PathChoice::Auto,
            cancel,
        )?;
        if let Some(overview) = overview {
            overview.record_step(&params, current.view(), previous.as_ref().map(|p| p.view()));
        }
        Ok(Some(Cow::Borrowed(current)))
    }

    /// A preview of this step ([`StepPreview`]) from the view's block sums `overview`
    /// before the step and its picture `start` (window and row), learning with
    /// `params`: built from the batch's activities and those alone, so any thread can
    /// advance it while the simulation applies the step — which then need not follow the
    /// block sums (see [`super::Simulation::take_overview`]). The overview is given back
    /// (`Err`) in the field phase, for a rule the block sums do not follow (covariance,
    /// Oja), or for a picture in another order.
    pub fn preview(
        &self,
        overview: Overview,
        start: &WeightSummary,
        params: &UpdateParams,
    ) -> Result<StepPreview, Box<Overview>> {
        let Some((current, previous)) = self.activities.as_ref() else {
            return Err(Box::new(overview));
        };
        StepPreview::new(
            overview,
            start,
            params,
            self.stimuli.clone(),
            current.clone(),
            previous.clone(),
        )
    }
}
