//! The lecture tour (Help → Lecture tour): a fixed sequence of steps, each a caption and
//! the state the app must be in while it is shown. A step's state depends only on the
//! step (preset, step count, search settings, selection), never on how the tour got
//! there or on time, so `--tour-step K` and arrow-key navigation show the same thing.

use crate::figure::order::MatrixOrder;
use crate::search::{Method, SearchOptions};
use crate::session::view::View;

/// Training of `ring-shift` during the tour: 50 000 stimuli, two decades of `e_g` ∝ 1/√N.
const RING_STEPS: u64 = 1000;

/// Training of `polar-rotate` during the tour (its default length).
const POLAR_STEPS: u64 = 400;

/// What the app shows during one step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TourTarget {
    /// Preset the experiment comes from.
    pub preset: &'static str,
    /// Step counter to train to, at full speed (0: untrained).
    pub steps: u64,
    /// Whether the step shows a finished search on those weights.
    pub search: bool,
    /// The true transformation (as the results table names it) whose recovering
    /// permutation is selected; None: nothing selected.
    pub select: Option<&'static str>,
    /// Heatmap order.
    pub order: MatrixOrder,
    /// Central view.
    pub view: View,
}

/// One step: a title, the caption a lecturer talks over, and the state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TourStep {
    /// Short title.
    pub title: &'static str,
    /// What to look at, in two or three sentences.
    pub caption: &'static str,
    /// The app's state during the step.
    pub target: TourTarget,
}

/// The steps, in order.
pub const TOUR: &[TourStep] = &[
    TourStep {
        title: "A ring of detectors",
        caption: "ring-shift: 256 detectors look at a ring of 64 inputs where bumps of light appear \
                  anywhere. Their labels are hidden from the learning: the weight matrix W starts \
                  empty, stored in a scrambled order.",
        target: TourTarget {
            preset: "ring-shift",
            steps: 0,
            search: false,
            select: None,
            order: MatrixOrder::Stored,
            view: View::Overview,
        },
    },
    TourStep {
        title: "Learning",
        caption: "Hebbian learning strengthens W[i][j] whenever detectors i and j fire together. \
                  The symmetry error e_g of the true shift falls along the dashed 1/√N line: \
                  with N stimuli, W becomes invariant as fast as an average converges.",
        target: TourTarget {
            preset: "ring-shift",
            steps: RING_STEPS,
            search: false,
            select: None,
            order: MatrixOrder::Stored,
            view: View::Learning,
        },
    },
    TourStep {
        title: "Search for symmetries",
        caption: "Paused. In the stored order W looks like noise. The search looks for \
                  permutations π with W[π(i)][π(j)] ≈ W[i][j] — without the labels — and finds a \
                  whole group of them (right).",
        target: TourTarget {
            preset: "ring-shift",
            steps: RING_STEPS,
            search: true,
            select: None,
            order: MatrixOrder::Stored,
            view: View::Overview,
        },
    },
    TourStep {
        title: "The shift, recovered",
        caption: "Select the unit shift the search found and order the neurons along its cycles: \
                  W turns block-circulant. The network's own statistics hold the translation \
                  symmetry of its world.",
        target: TourTarget {
            preset: "ring-shift",
            steps: RING_STEPS,
            search: true,
            select: Some("shift +1"),
            order: MatrixOrder::Recovered,
            view: View::Weights,
        },
    },
    TourStep {
        title: "The pattern slides",
        caption: "The found permutation acts on the detectors; decoded back to the input, it moves \
                  the pattern one pixel around the ring — the shift, found from W alone.",
        target: TourTarget {
            preset: "ring-shift",
            steps: RING_STEPS,
            search: true,
            select: Some("shift +1"),
            order: MatrixOrder::Recovered,
            view: View::Transformation,
        },
    },
    TourStep {
        title: "A retina: rotation",
        caption: "polar-rotate: a log-polar retina (16 rings × 48 sectors) sees photos turned by \
                  random angles. The search again finds the symmetry; in its order W is \
                  block-circulant along the sectors.",
        target: TourTarget {
            preset: "polar-rotate",
            steps: POLAR_STEPS,
            search: true,
            select: Some("rotate 7.5°"),
            order: MatrixOrder::Recovered,
            view: View::Weights,
        },
    },
    TourStep {
        title: "The photo turns",
        caption: "Applied to a photo, the permutation found in W turns it by 7.5°, one sector: a \
                  rotation learned from co-activity alone.",
        target: TourTarget {
            preset: "polar-rotate",
            steps: POLAR_STEPS,
            search: true,
            select: Some("rotate 7.5°"),
            order: MatrixOrder::Recovered,
            view: View::Transformation,
        },
    },
];

/// The search every tour step runs: the panel's defaults with a time limit long enough
/// that the search ends by itself on these presets, so its result does not depend on
/// the machine's speed.
pub fn tour_search_settings() -> SearchOptions {
    SearchOptions {
        method: Method::Auto,
        time_limit_secs: 300.0,
        ..SearchOptions::default()
    }
}

/// How far the app has got towards the current step's state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TourPhase {
    /// The preset was sent; waiting for a new generation after this one.
    #[default]
    Loading,
    /// Training to the step's count.
    Training,
    /// The step's search is running.
    Searching,
    /// The app is in the step's state.
    Reached,
}

/// The running tour.
#[derive(Clone, Debug, PartialEq)]
pub struct Tour {
    /// Index into [`TOUR`].
    pub step: usize,
    /// Progress towards the step's state.
    pub phase: TourPhase,
    /// The generation the tour created, and from which preset (None: none yet).
    pub(crate) model: Option<(&'static str, u64)>,
    /// A preset was sent while the app showed this generation.
    pub(crate) loading_from: Option<u64>,
    /// `RunUntil` was sent for this step.
    pub(crate) training_sent: bool,
    /// The (generation, step) the tour's last search ran on.
    pub(crate) searched: Option<(u64, u64)>,
    /// Something the step needs did not work out (shown with the caption).
    pub problem: Option<String>,
}

impl Tour {
    /// A tour about to drive the app to `step` (clamped to the last one).
    pub fn at(step: usize) -> Self {
        Self {
            step: step.min(TOUR.len() - 1),
            phase: TourPhase::Loading,
            model: None,
            loading_from: None,
            training_sent: false,
            searched: None,
            problem: None,
        }
    }

    /// The current step.
    pub fn current(&self) -> &'static TourStep {
        &TOUR[self.step]
    }

    /// Moves to step `step` (clamped), keeping the model and search it can reuse.
    pub fn go_to(&mut self, step: usize) {
        self.step = step.min(TOUR.len() - 1);
        self.phase = TourPhase::Loading;
        self.loading_from = None;
        self.training_sent = false;
        self.problem = None;
    }

    /// Whether the app is in the current step's state.
    pub fn reached(&self) -> bool {
        self.phase == TourPhase::Reached
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::presets;

    #[test]
    fn every_step_names_a_real_preset_and_a_consistent_state() {
        for (k, s) in TOUR.iter().enumerate() {
            let t = &s.target;
            assert!(
                presets::by_name(t.preset).is_some(),
                "step {k}: {}",
                t.preset
            );
            // A selection needs a search; the recovered order needs a selection.
            assert!(t.select.is_none() || t.search, "step {k}");
            assert_eq!(
                t.order == MatrixOrder::Recovered,
                t.select.is_some(),
                "step {k}"
            );
            assert!(!s.caption.is_empty() && !s.title.is_empty());
        }
    }

    #[test]
    fn steps_are_clamped_to_the_tour() {
        let mut t = Tour::at(99);
        assert_eq!(t.step, TOUR.len() - 1);
        t.go_to(0);
        assert_eq!((t.step, t.phase), (0, TourPhase::Loading));
    }
}
