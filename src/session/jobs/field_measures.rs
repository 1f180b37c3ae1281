//! The field gallery's measures, computed off the UI thread: on a 16 × 16 torus with
//! 2,048 fields the closure defects (one `M × M × pixels` product per transformation)
//! and the orientation tuning take a good part of a second, and during a field phase the
//! fields change every step. One background computation at a time, for the newest
//! fields (latest wins); the gallery keeps showing the last result meanwhile.

use std::sync::Arc;

use ndarray::Array2;

use crate::model::detectors::field_measures::{self, DEFAULT_WINDOW, FieldMeasures};
use crate::model::detectors::field_shapes::{self, Shape};
use crate::model::{Space, Transformation};
use crate::session::Waker;
use crate::session::jobs::Job;

/// What identifies a set of fields: (model generation, bank version).
pub type Key = (u64, u64);

/// The measures of one set of fields, and the gallery's "by centre" order of them.
#[derive(Clone, Debug)]
pub struct Measured {
    /// The fields' key.
    pub key: Key,
    /// Localisation, tiling, closure, orientation.
    pub measures: Arc<FieldMeasures>,
    /// Stored indices sorted by field centre (row, then column on 2-D spaces).
    pub by_centre: Arc<Vec<usize>>,
    /// The distinct shapes up to translation, when there are few (shared kernels).
    pub shapes: Option<Arc<Vec<Shape>>>,
}

/// Most distinct shapes the gallery shows in its own row.
pub const MAX_SHAPES: usize = 32;

/// The background computation and its latest result.
#[derive(Default)]
pub struct MeasuresJob {
    latest: Option<Measured>,
    running: Option<Job<Measured>>,
}

impl MeasuresJob {
    /// Collects a finished computation and starts one for `key` if the latest result is
    /// older and nothing is running; `repaint` is called when it is done. `fields` are
    /// copied only when a computation starts.
    pub fn poll(
        &mut self,
        repaint: &Waker,
        key: Key,
        space: Space,
        true_transformation: Transformation,
        fields: &Array2<f32>,
    ) {
        if let Some(job) = &self.running {
            match job.take() {
                Some(m) => {
                    self.latest = Some(m);
                    self.running = None;
                }
                None => return,
            }
        }
        if self.latest.as_ref().is_some_and(|m| m.key == key) {
            return;
        }
        let fields = fields.clone();
        // A failed thread start leaves the gallery on its last result; the next frame
        // tries again.
        self.running = Job::spawn("field-measures", repaint.clone(), move || {
            crate::session::background::lower_current_thread_priority();
            compute(key, space, true_transformation, &fields)
        })
        .ok();
    }

    /// The latest measures (possibly of older fields than the ones shown).
    pub fn latest(&self) -> Option<&Measured> {
        self.latest.as_ref()
    }

    /// True while a computation runs.
    pub fn is_computing(&self) -> bool {
        self.running.is_some()
    }
}

/// The measures of `fields`, labelled by their own energy centroids (learned fields
/// change, so the bank's labels may lag behind).
fn compute(
    key: Key,
    space: Space,
    true_transformation: Transformation,
    fields: &Array2<f32>,
) -> Measured {
    let labels: Vec<_> = fields
        .outer_iter()
        .map(|f| crate::model::detectors::learned_bank::field_label(space, &f.to_vec()))
        .collect();
    let measures = field_measures::measure_under(
        space,
        fields,
        &labels,
        &field_measures::tracked_transformations(space, true_transformation),
        DEFAULT_WINDOW,
    );
    let width = space.side().max(1) as f32;
    let rank = |i: usize| {
        let c = labels[i].centre;
        c.1.round() * width + c.0
    };
    let mut by_centre: Vec<usize> = (0..fields.nrows()).collect();
    by_centre.sort_by(|&a, &b| rank(a).total_cmp(&rank(b)).then(a.cmp(&b)));
    let shapes = if space.is_2d() {
        field_shapes::distinct_shapes(space, fields, MAX_SHAPES).map(Arc::new)
    } else {
        None
    };
    Measured {
        key,
        measures: Arc::new(measures),
        by_centre: Arc::new(by_centre),
        shapes,
    }
}
