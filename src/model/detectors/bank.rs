//! Feature-detector banks (SPEC §4): receptive fields, labels, the hidden order,
//! activities, and the neuron permutations induced by pixel permutations.
//!
//! A detector `i` has a receptive field `f_i` over the pixels (zero-mean, unit-norm)
//! and responds `a_i = φ(⟨f_i, s⟩ − θ)`, optionally followed by k-winners-take-all.
//! Neurons are stored in a hidden, seeded random order; `canonical_index` maps a
//! stored index to its place in the label-sorted order and is used only for scoring
//! and the "ground-truth order" view.

use std::collections::HashMap;

use ndarray::{Array2, ArrayView2, Axis};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::kernels::{base_kernels, normalise, rotate_patch};
use crate::model::config::{
    Activation, BankConfig, ConfigError, NeuronLabel, Space, Transformation,
};
use crate::perm::Permutation;

/// Largest number of detectors a bank may have (the weight matrix is `M × M`).
pub const MAX_NEURONS: usize = 16_384;

/// RNG stream of the bank's kernels / random fields (derived from the bank seed).
const STREAM_FIELDS: u64 = 1;
/// RNG stream of the hidden order.
const STREAM_ORDER: u64 = 2;

/// A detector bank in stored (hidden) order.
#[derive(Clone, Debug, PartialEq)]
pub struct Bank {
    /// Receptive fields, `M × pixels`, stored order; each row zero-mean and unit-norm.
    pub fields: Array2<f32>,
    /// Ground-truth labels, stored order (scoring and display only).
    pub labels: Vec<NeuronLabel>,
    /// `canonical_index[stored] = canonical`: where a stored neuron sits in the
    /// label-sorted order. This is the hidden order.
    pub canonical_index: Vec<usize>,
}

/// A neuron before the hidden order is applied.
struct Detector {
    field: Vec<f32>,
    label: NeuronLabel,
}

fn invalid(field: &'static str, reason: String) -> ConfigError {
    ConfigError::Invalid { field, reason }
}

fn rng_for(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Checks a bank configuration against a space without building it.
pub fn validate(config: &BankConfig, space: Space) -> Result<(), ConfigError> {
    space.validate()?;
    let side = space.side();
    match *config {
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            ..
        } if space.is_polar() => {
            super::polar_bank::validate_tiled(space, kernels, size, stride, MAX_NEURONS)?;
        }
        BankConfig::Random { .. } if space.is_polar() => {
            return Err(invalid(
                "bank.kind",
                "the polar retina supports tiled banks only (random fields are not yet \
                 placed on the (ring, sector) grid)"
                    .into(),
            ));
        }
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            ..
        } => {
            if kernels == 0 {
                return Err(invalid("bank.kernels", "must be at least 1".into()));
            }
            if size < 2 || size > side {
                return Err(invalid(
                    "bank.size",
                    format!("must be in 2..={side} for this space, got {size}"),
                ));
            }
            if stride == 0 || stride > side {
                return Err(invalid(
                    "bank.stride",
                    format!("must be in 1..={side}, got {stride}"),
                ));
            }
            if space.is_periodic() && side % stride != 0 {
                return Err(invalid(
                    "bank.stride",
                    format!(
                        "must divide the side {side} of a periodic space, got {stride} \
                         (otherwise the tiling is not closed under translation)"
                    ),
                ));
            }
            if !space.is_periodic() && square_offsets(side, size, stride).is_none() {
                return Err(invalid(
                    "bank.stride",
                    format!(
                        "no set of positions symmetric about the centre exists for side {side}, \
                         size {size}, stride {stride}; make side − size even or the stride odd"
                    ),
                ));
            }
            let m = tiled_count(space, kernels, size, stride);
            if m > MAX_NEURONS {
                return Err(invalid(
                    "bank.kernels",
                    format!(
                        "the bank would have {m} detectors; at most {MAX_NEURONS} are supported"
                    ),
                ));
            }
        }
        BankConfig::Learned { .. } => {
            if let Some(params) = super::learned_bank::LearnedParams::of(config) {
                super::learned_bank::validate(&params, space, MAX_NEURONS)?;
                if let Some(p) = params.kernel_size {
                    super::learned_conv::validate(&params, space, p, MAX_NEURONS)?;
                }
            }
        }
        BankConfig::Random { count, size } => {
            if count == 0 || count > MAX_NEURONS {
                return Err(invalid(
                    "bank.count",
                    format!("must be in 1..={MAX_NEURONS}, got {count}"),
                ));
            }
            if size < 2 || size > side {
                return Err(invalid(
                    "bank.size",
                    format!("must be in 2..={side} for this space, got {size}"),
                ));
            }
        }
    }
    Ok(())
}

/// Anchor coordinates (top-left of the patch) along one axis.
fn axis_anchors(space: Space, size: usize, stride: usize) -> Vec<usize> {
    let side = space.side();
    if space.is_periodic() {
        // Choose the offset so that the mirror a ↦ side − size − a maps the set onto
        // itself (then so does every element of D4); any offset works for translations.
        let offset = (0..stride)
            .find(|&a| (2 * a + size) % stride == side % stride)
            .unwrap_or(0);
        (0..side / stride).map(|k| offset + k * stride).collect()
    } else {
        match square_offsets(side, size, stride) {
            Some((first, count)) => (0..count).map(|k| first + k * stride).collect(),
            None => Vec::new(),
        }
    }
}

/// On the square: `(first anchor, number of anchors)` of the largest set of positions
/// where the patch fits that is symmetric about the centre.
fn square_offsets(side: usize, size: usize, stride: usize) -> Option<(usize, usize)> {
    if size > side || stride == 0 {
        return None;
    }
    let span = side - size;
    let max_count = span / stride + 1;
    (1..=max_count).rev().find_map(|count| {
        let rest = span - (count - 1) * stride;
        (rest % 2 == 0).then_some((rest / 2, count))
    })
}

/// The number of detectors of a tiled bank on a flat space (saturating, never wrapping).
pub(crate) fn tiled_count(space: Space, kernels: usize, size: usize, stride: usize) -> usize {
    let per_axis = axis_anchors(space, size, stride).len();
    if space.is_2d() {
        per_axis
            .saturating_mul(per_axis)
            .saturating_mul(kernels)
            .saturating_mul(4)
    } else {
        per_axis.saturating_mul(kernels)
    }
}

impl Bank {
    /// Builds the bank for `space` from `config`; `seed` fixes the kernels (or random
    /// fields) and the hidden order.
    ///
    /// A learned bank is built as it stands at step 0, before any learning: seeded random
    /// filters over the whole space, each read out by an ON and an OFF detector
    /// ([`super::learned_bank`]); the simulation then learns the fields.
    pub fn build(config: &BankConfig, space: Space, seed: u64) -> Result<Bank, ConfigError> {
        validate(config, space)?;
        if let Some(params) = super::learned_bank::LearnedParams::of(config) {
            let pixels = params.filter_pixels(space);
            let initial = super::learned_bank::initial_filters(pixels, params.filters, seed);
            return Ok(match params.kernel_size {
                Some(p) => {
                    let m = super::learned_conv::detector_count(space, &params, p);
                    let order = super::learned_bank::shuffled(m, seed);
                    super::learned_conv::assemble(space, p, &initial, &order)
                }
                None => {
                    let order = super::learned_bank::hidden_detector_order(
                        params.filters,
                        params.on_off,
                        seed,
                    );
                    super::learned_bank::assemble_bank(space, &initial, &order)
                }
            });
        }
        let detectors = match *config {
            BankConfig::Tiled {
                kernels,
                size,
                stride,
                family,
            } => {
                let mut rng = rng_for(seed, STREAM_FIELDS);
                let bases = base_kernels(family, kernels, size, space.is_2d(), &mut rng)?;
                match crate::model::world::polar::PolarGrid::of(space) {
                    Some(grid) => super::polar_bank::tiled(&grid, &bases, size, stride)
                        .into_iter()
                        .map(|(field, label)| Detector { field, label })
                        .collect(),
                    None => tiled(space, &bases, size, stride),
                }
            }
            BankConfig::Random { count, size } => {
                let mut rng = rng_for(seed, STREAM_FIELDS);
                random_fields(space, count, size, &mut rng)?
            }
            BankConfig::Learned { .. } => Vec::new(),
        };
        let m = detectors.len();
        if let Some((a, b)) = first_duplicate(&detectors) {
            return Err(ConfigError::Inconsistent(format!(
                "detectors {a} and {b} (label order) have the same receptive field; \
                 choose kernels without symmetry under a half turn"
            )));
        }
        let mut canonical_index: Vec<usize> = (0..m).collect();
        canonical_index.shuffle(&mut rng_for(seed, STREAM_ORDER));
        let pixels = space.pixels();
        let mut fields = Array2::<f32>::zeros((m, pixels));
        let mut labels = Vec::with_capacity(m);
        for (stored, &canonical) in canonical_index.iter().enumerate() {
            let d = &detectors[canonical];
            fields
                .row_mut(stored)
                .iter_mut()
                .zip(&d.field)
                .for_each(|(o, &v)| *o = v);
            labels.push(d.label);
        }
        Ok(Bank {
            fields,
            labels,
            canonical_index,
        })
    }

    /// Number of detectors `M`.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True for a bank without detectors.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of input pixels.
    pub fn pixels(&self) -> usize {
        self.fields.ncols()
    }

    /// The hidden order as a permutation from stored to canonical index.
    pub fn hidden_order(&self) -> Option<Permutation> {
        Permutation::from_images(self.canonical_index.clone()).ok()
    }

    /// Activities `B × M` for stimuli `B × pixels`: drive `⟨f_i, s⟩` by one matrix
    /// product, then `φ(drive − θ)`, then, if `k_winners = Some(k)`, k-winners-take-all per
    /// row: the `k` detectors with the largest drive keep their activity, the rest are
    /// zeroed (ties broken by lower stored index). Stimuli with the wrong number of
    /// pixels give all-zero activities; use [`Bank::try_activities`] for an error.
    pub fn activities(
        &self,
        stimuli: ArrayView2<f32>,
        activation: Activation,
        threshold: f32,
        k_winners: Option<usize>,
    ) -> Array2<f32> {
        self.try_activities(stimuli, activation, threshold, k_winners)
            .unwrap_or_else(|_| Array2::zeros((stimuli.nrows(), self.len())))
    }

    /// [`Bank::activities`], with an error if the stimuli have the wrong number of pixels.
    pub fn try_activities(
        &self,
        stimuli: ArrayView2<f32>,
        activation: Activation,
        threshold: f32,
        k_winners: Option<usize>,
    ) -> Result<Array2<f32>, ConfigError> {
        if stimuli.ncols() != self.pixels() {
            return Err(invalid(
                "stimulus",
                format!(
                    "has {} pixels, the bank expects {}",
                    stimuli.ncols(),
                    self.pixels()
                ),
            ));
        }
        let drive = stimuli.dot(&self.fields.t());
        let mut act = drive.mapv(|x| apply_activation(activation, x - threshold));
        if let Some(k) = k_winners
            && k < self.len()
        {
            let mut order: Vec<usize> = Vec::with_capacity(self.len());
            for (mut row, drow) in act.axis_iter_mut(Axis(0)).zip(drive.axis_iter(Axis(0))) {
                order.clear();
                order.extend(0..drow.len());
                let cmp = |a: &usize, b: &usize| {
                    drow[*b]
                        .partial_cmp(&drow[*a])
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then(a.cmp(b))
                };
                if k > 0 {
                    order.select_nth_unstable_by(k - 1, cmp);
                }
                for &i in &order[k..] {
                    row[i] = 0.0;
                }
            }
        }
        Ok(act)
    }

    /// The neuron permutation induced by a pixel permutation `P`: neuron `j = π(i)` iff
    /// `f_j = P f_i` (entries agreeing on a 1e-5 grid). `None` if the bank is not
    /// closed under `P`. Fields are matched by hashing, in `O(M · support)`.
    pub fn neuron_permutation(&self, pixel_perm: &Permutation) -> Option<Permutation> {
        FieldIndex::new(self).match_permutation(self, pixel_perm)
    }

    /// Every exact transformation of `space` (identity excluded) that the bank is
    /// closed under, with the neuron permutation it induces (stored order).
    ///
    /// Uses the group structure `translations ⋊ point group`: the point-group elements
    /// and the unit translations are matched directly; the rest are composed.
    pub fn ground_truth(&self, space: Space) -> Vec<(Transformation, Permutation)> {
        if space.pixels() != self.pixels() {
            return Vec::new();
        }
        let index = FieldIndex::new(self);
        let direct = |t: Transformation| {
            space
                .pixel_permutation(t)
                .and_then(|pp| index.match_permutation(self, &pp))
        };
        let m = self.len();
        let quarter_turns: &[u8] = if space.is_2d() && !space.is_polar() {
            &[0, 1, 2, 3]
        } else {
            &[0]
        };
        let mut point: HashMap<(bool, u8), Option<Permutation>> = HashMap::new();
        for reflect in [false, true] {
            for &q in quarter_turns {
                let t = space.transformation_from_parts(reflect, q, 0, 0);
                let p = if t == Transformation::Identity {
                    Some(Permutation::identity(m))
                } else {
                    direct(t)
                };
                point.insert((reflect, q), p);
            }
        }
        let (unit_x, unit_y) = match space {
            Space::Ring { .. } | Space::Polar { .. } => {
                (direct(Transformation::Shift { k: 1 }), None)
            }
            Space::Torus { .. } => (
                direct(Transformation::Translate { dx: 1, dy: 0 }),
                direct(Transformation::Translate { dx: 0, dy: 1 }),
            ),
            Space::Square { .. } | Space::Line { .. } => (None, None),
        };
        let units_closed = match space {
            Space::Ring { .. } | Space::Polar { .. } => unit_x.is_some(),
            Space::Torus { .. } => unit_x.is_some() && unit_y.is_some(),
            Space::Square { .. } | Space::Line { .. } => false,
        };
        let mut translation_cache: HashMap<(i64, i64), Option<Permutation>> = HashMap::new();
        let mut out = Vec::new();
        for t in space.exact_transformations() {
            let Some((reflect, q, dx, dy)) = space.parts(t) else {
                continue;
            };
            let translation = translation_cache
                .entry((dx, dy))
                .or_insert_with(|| {
                    if dx == 0 && dy == 0 {
                        Some(Permutation::identity(m))
                    } else if units_closed {
                        let mut p = Permutation::identity(m);
                        if let Some(ux) = &unit_x {
                            p = p.then(&ux.pow(dx));
                        }
                        if let Some(uy) = &unit_y {
                            p = p.then(&uy.pow(dy));
                        }
                        Some(p)
                    } else {
                        let tr = space.transformation_from_parts(false, 0, dx, dy);
                        direct(tr)
                    }
                })
                .clone();
            let found = match (point.get(&(reflect, q)).cloned().flatten(), translation) {
                (Some(p), Some(tr)) => Some(p.then(&tr)),
                (None, Some(_)) => None,
                (_, None) => direct(t),
            };
            if let Some(p) = found {
                out.push((t, p));
            }
        }
        out
    }

    /// The best neuron permutation for a pixel permutation when no exact one exists
    /// (random banks): greedily pairs `i` with the neuron `j` whose field overlaps most
    /// with `P f_i` (largest `⟨f_j, P f_i⟩` first); leftovers are paired in index order.
    /// Equals [`Bank::neuron_permutation`] when the bank is closed under `P`.
    pub fn best_neuron_permutation(&self, pixel_perm: &Permutation) -> Option<Permutation> {
        if let Some(exact) = self.neuron_permutation(pixel_perm) {
            return Some(exact);
        }
        if pixel_perm.len() != self.pixels() {
            return None;
        }
        let map: Vec<Option<usize>> = (0..pixel_perm.len())
            .map(|p| Some(pixel_perm.image(p)))
            .collect();
        self.best_overlap_permutation(&map)
    }

    /// [`Bank::best_neuron_permutation`] for a *partial* pixel map (`map[p] = None`: pixel
    /// `p` leaves the retina), as for the polar retina's zoom: the moved fields lose what
    /// falls off, and each neuron is paired greedily by largest overlap as before.
    pub fn best_overlap_permutation(&self, map: &[Option<usize>]) -> Option<Permutation> {
        if map.len() != self.pixels() || map.iter().flatten().any(|&q| q >= self.pixels()) {
            return None;
        }
        let m = self.len();
        let mut moved = Array2::<f32>::zeros(self.fields.dim());
        for (i, row) in self.fields.axis_iter(Axis(0)).enumerate() {
            for (p, &v) in row.iter().enumerate() {
                if let Some(q) = map[p] {
                    moved[[i, q]] = v;
                }
            }
        }
        let overlap = moved.dot(&self.fields.t());
        const CANDIDATES: usize = 16;
        let mut pairs: Vec<(f32, usize, usize)> = Vec::with_capacity(m * CANDIDATES.min(m));
        let mut js: Vec<usize> = (0..m).collect();
        for i in 0..m {
            let row = overlap.row(i);
            let top = CANDIDATES.min(m);
            js.sort_unstable_by(|a, b| {
                row[*b]
                    .partial_cmp(&row[*a])
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            pairs.extend(js[..top].iter().map(|&j| (row[j], i, j)));
            js.sort_unstable();
        }
        pairs.sort_unstable_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        let mut image = vec![usize::MAX; m];
        let mut taken = vec![false; m];
        for (_, i, j) in pairs {
            if image[i] == usize::MAX && !taken[j] {
                image[i] = j;
                taken[j] = true;
            }
        }
        let mut free = (0..m).filter(|&j| !taken[j]);
        for slot in image.iter_mut().filter(|s| **s == usize::MAX) {
            *slot = free.next()?;
        }
        Permutation::from_images(image).ok()
    }
}

/// `φ(x)`.
pub fn apply_activation(activation: Activation, x: f32) -> f32 {
    match activation {
        Activation::Relu => x.max(0.0),
        Activation::Binary => {
            if x > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
    }
}

/// Quantisation step for matching fields.
const MATCH_GRID: f32 = 1e-5;

/// Sparse, quantised field: sorted `(pixel, round(value / grid))`, zeros dropped.
type FieldKey = Vec<(u32, i32)>;

fn quantise(v: f32) -> i32 {
    (v / MATCH_GRID).round() as i32
}

/// Hash index of the bank's fields.
struct FieldIndex {
    by_key: HashMap<FieldKey, Vec<usize>>,
    sparse: Vec<Vec<(u32, i32)>>,
}

impl FieldIndex {
    fn new(bank: &Bank) -> Self {
        let sparse: Vec<Vec<(u32, i32)>> = bank
            .fields
            .axis_iter(Axis(0))
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter_map(|(p, &v)| {
                        let q = quantise(v);
                        (q != 0).then_some((p as u32, q))
                    })
                    .collect()
            })
            .collect();
        let mut by_key: HashMap<FieldKey, Vec<usize>> = HashMap::with_capacity(sparse.len());
        for (i, key) in sparse.iter().enumerate() {
            by_key.entry(key.clone()).or_default().push(i);
        }
        Self { by_key, sparse }
    }

    fn match_permutation(&self, bank: &Bank, pixel_perm: &Permutation) -> Option<Permutation> {
        if pixel_perm.len() != bank.pixels() {
            return None;
        }
        let m = self.sparse.len();
        let mut used = vec![false; m];
        let mut image = Vec::with_capacity(m);
        let mut key: FieldKey = Vec::new();
        for entries in &self.sparse {
            key.clear();
            key.extend(
                entries
                    .iter()
                    .map(|&(p, q)| (pixel_perm.image(p as usize) as u32, q)),
            );
            key.sort_unstable();
            let candidates = self.by_key.get(&key)?;
            let j = candidates.iter().copied().find(|&j| !used[j])?;
            used[j] = true;
            image.push(j);
        }
        Permutation::from_images(image).ok()
    }
}

/// The first pair of detectors with the same (quantised) receptive field.
fn first_duplicate(detectors: &[Detector]) -> Option<(usize, usize)> {
    let mut seen: HashMap<Vec<i32>, usize> = HashMap::with_capacity(detectors.len());
    for (i, d) in detectors.iter().enumerate() {
        let key: Vec<i32> = d.field.iter().map(|&v| quantise(v)).collect();
        if let Some(&j) = seen.get(&key) {
            return Some((j, i));
        }
        seen.insert(key, i);
    }
    None
}

/// Places `patch` (1-D taps or `size × size`) with its top-left at `(ax, ay)`, wrapping
/// on periodic spaces.
fn place(space: Space, patch: &[f32], size: usize, ax: usize, ay: usize) -> Vec<f32> {
    let side = space.side();
    let mut field = vec![0.0f32; space.pixels()];
    if space.is_2d() {
        for dy in 0..size {
            for dx in 0..size {
                let (x, y) = ((ax + dx) % side, (ay + dy) % side);
                field[space.pixel(x, y)] = patch[dy * size + dx];
            }
        }
    } else {
        for (d, &v) in patch.iter().enumerate() {
            field[(ax + d) % side] = v;
        }
    }
    field
}

fn wrap_coord(v: f32, side: usize, periodic: bool) -> f32 {
    if periodic {
        v.rem_euclid(side as f32)
    } else {
        v
    }
}

fn tiled(space: Space, bases: &[Vec<f32>], size: usize, stride: usize) -> Vec<Detector> {
    let anchors = axis_anchors(space, size, stride);
    let side = space.side();
    let half = (size as f32 - 1.0) / 2.0;
    let periodic = space.is_periodic();
    let mut out = Vec::new();
    let rows: Vec<usize> = if space.is_2d() {
        anchors.clone()
    } else {
        vec![0]
    };
    let rotations: u8 = if space.is_2d() { 4 } else { 1 };
    for &ay in &rows {
        for &ax in &anchors {
            for (c, base) in bases.iter().enumerate() {
                for r in 0..rotations {
                    let patch = if space.is_2d() {
                        rotate_patch(base, size, r)
                    } else {
                        base.clone()
                    };
                    let cy = if space.is_2d() {
                        wrap_coord(ay as f32 + half, side, periodic)
                    } else {
                        0.0
                    };
                    out.push(Detector {
                        field: place(space, &patch, size, ax, ay),
                        label: NeuronLabel {
                            centre: (wrap_coord(ax as f32 + half, side, periodic), cy),
                            position: space.pixel(ax, ay),
                            kernel: Some(c),
                            rotation: r,
                        },
                    });
                }
            }
        }
    }
    out
}

/// Centroid of `|f|` along one axis; circular mean on periodic spaces.
fn axis_centroid(weights: &[(f32, f32)], side: usize, periodic: bool) -> f32 {
    let total: f32 = weights.iter().map(|&(_, w)| w).sum();
    if total <= 0.0 {
        return 0.0;
    }
    if periodic {
        let tau = std::f32::consts::TAU;
        let (s, c) = weights.iter().fold((0.0f32, 0.0f32), |(s, c), &(x, w)| {
            let a = tau * x / side as f32;
            (s + w * a.sin(), c + w * a.cos())
        });
        (s.atan2(c) / tau * side as f32).rem_euclid(side as f32)
    } else {
        weights.iter().map(|&(x, w)| x * w).sum::<f32>() / total
    }
}

fn random_fields(
    space: Space,
    count: usize,
    size: usize,
    rng: &mut impl Rng,
) -> Result<Vec<Detector>, ConfigError> {
    let side = space.side();
    let periodic = space.is_periodic();
    let taps = if space.is_2d() { size * size } else { size };
    let max_anchor = if periodic { side } else { side - size + 1 };
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        let mut patch: Vec<f32> = (0..taps).map(|_| StandardNormal.sample(rng)).collect();
        normalise(&mut patch)
            .ok_or_else(|| invalid("bank.size", "random field vanished".to_string()))?;
        let ax = rng.random_range(0..max_anchor);
        let ay = if space.is_2d() {
            rng.random_range(0..max_anchor)
        } else {
            0
        };
        let field = place(space, &patch, size, ax, ay);
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for (p, &v) in field.iter().enumerate() {
            if v != 0.0 {
                let (x, y) = space.coords(p);
                xs.push((x as f32, v.abs()));
                ys.push((y as f32, v.abs()));
            }
        }
        let cx = axis_centroid(&xs, side, periodic);
        let cy = if space.is_2d() {
            axis_centroid(&ys, side, periodic)
        } else {
            0.0
        };
        let px = (cx.round() as usize).min(side - 1);
        let py = if space.is_2d() {
            (cy.round() as usize).min(side - 1)
        } else {
            0
        };
        let px = if periodic && cx.round() as usize >= side {
            0
        } else {
            px
        };
        let py = if periodic && space.is_2d() && cy.round() as usize >= side {
            0
        } else {
            py
        };
        out.push(Detector {
            field,
            label: NeuronLabel {
                centre: (cx, cy),
                position: space.pixel(px, py),
                kernel: None,
                rotation: 0,
            },
        });
    }
    out.sort_by_key(|d| d.label.position);
    Ok(out)
}
