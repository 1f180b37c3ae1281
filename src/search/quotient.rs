//! Near-symmetries that commute with a found one, grown on the quotient by its cycles.
//!
//! Let `t` be an accepted generator whose cycles all have one length `L` (a
//! translation of a torus, say). A permutation `h` that commutes with `t` maps each
//! cycle onto a cycle, and is fixed by one number per cycle:
//! `h(tᵃ vᵢ) = t^(a + oᵢ) v_π(i)` for a representative `vᵢ` of cycle `i`, its image
//! cycle `π(i)` and an offset `oᵢ`. Where `W` is nearly `t`-invariant, `W` is
//! summarised by the `t`-averaged profiles
//! `F[i][j][δ] = (1/L) Σ_a W[tᵃ vᵢ][t^(a+δ) vⱼ]`, and `h` is a near-symmetry when
//! `F[π(i)][π(j)][δ + oⱼ − oᵢ] ≈ F[i][j][δ]` for all cycles and shifts. That is a
//! matching problem on `n/L` nodes instead of `n`, and the averaging removes most of the
//! noise.
//!
//! Why: on `torus-large` (16,384 detectors, 512 cycles of the vertical translation)
//! the node-level growth never found the horizontal translation. Its wrong growths ran
//! at nearly the mismatch of right ones and ended with whole columns slipped by one
//! position — mistakes no node-level polish undoes. On the quotient the horizontal
//! translation grows exactly from its seed (quotient error 0.0147 against 0.030 with a
//! single column slipped; wrong seeds end at 0.13 or more), and so do the mirror
//! reflections, which commute with the vertical translation too.

use rayon::prelude::*;

use super::objective::Objective;
use super::progress::Stop;
use crate::perm::Permutation;

/// Shortest cycles worth a quotient: the profiles take `4n²/L` bytes (an eighth of the
/// dense matrix at `L = 8`), and short cycles leave little to average.
const MIN_CYCLE: usize = 8;

/// Fewest cycles worth a quotient (a single cycle leaves nothing to match).
const MIN_CYCLES: usize = 2;

/// Assigned cycles a growth step compares a new cycle with: its strongest ones. Eight
/// grow `torus-large`'s horizontal translation and mirrors as exactly as sixteen.
const COMPARED: usize = 8;

/// Strongest connections of a cycle in its profile ([`Quotient::candidates`]).
const PROFILE_LEN: usize = 32;

/// How a map grown on the quotient treats `t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sense {
    /// `h·t = t·h`: `h(tᵃ vᵢ) = t^(a + oᵢ) v_π(i)` (the other translation of a torus,
    /// mirrors across `t`'s direction).
    Along,
    /// `h·t = t⁻¹·h`: `h(tᵃ vᵢ) = t^(oᵢ − a) v_π(i)` (a half turn of a torus, mirrors
    /// along `t`'s direction), comparing `F[π i][π j][oⱼ − oᵢ − δ]` with `F[i][j][δ]`.
    Against,
}

/// The quotient of a graph by the cycles of one permutation `t` of a single cycle
/// length.
pub(crate) struct Quotient {
    /// Cycle length `L`.
    len: usize,
    /// Number of cycles `q = n / L`.
    count: usize,
    /// `members[i·L + a] = tᵃ(vᵢ)`, `vᵢ` the smallest node of cycle `i`.
    members: Vec<usize>,
    /// `F[i][j][δ]` at `(i·q + j)·L + δ`.
    f: Vec<f32>,
    /// `Σ_δ F[i][j][δ]² + F[j][i][δ]²` at `i·q + j`: how strongly two cycles are joined.
    strength: Vec<f64>,
    /// `W` is symmetric, so `F[j][i][δ] = F[i][j][−δ]` and the reverse terms of a
    /// growth step repeat the forward ones.
    symmetric: bool,
}

impl Quotient {
    /// The quotient by `t`'s cycles, if they all have one length of at least
    /// [`MIN_CYCLE`] and there are at least [`MIN_CYCLES`] of them.
    pub fn new(obj: &Objective, t: &Permutation) -> Option<Self> {
        let n = obj.n;
        let cycles = t.cycles();
        let len = cycles.first()?.len();
        if len < MIN_CYCLE || cycles.len() < MIN_CYCLES || cycles.iter().any(|c| c.len() != len) {
            return None;
        }
        let count = cycles.len();
        let members: Vec<usize> = cycles.concat();
        debug_assert_eq!(members.len(), n);
        let mut f = vec![0.0f32; count * count * len];
        let scale = 1.0 / len as f64;
        f.par_chunks_mut(count * len)
            .enumerate()
            .for_each(|(i, out)| {
                let mut acc = vec![0.0f64; count * len];
                for a in 0..len {
                    let row = obj.row(members[i * len + a]);
                    for (j, cell) in acc.chunks_exact_mut(len).enumerate() {
                        let cycle = &members[j * len..(j + 1) * len];
                        for (d, c) in cell.iter_mut().enumerate() {
                            *c += row[cycle[(a + d) % len]] as f64;
                        }
                    }
                }
                out.iter_mut()
                    .zip(&acc)
                    .for_each(|(o, &x)| *o = (x * scale) as f32);
            });
        // Each profile's squared norm once, then both directions summed.
        let norm2: Vec<f64> = f
            .chunks_exact(len)
            .map(|p| p.iter().map(|&x| (x as f64).powi(2)).sum())
            .collect();
        let strength: Vec<f64> = (0..count * count)
            .map(|ij| {
                let (i, j) = (ij / count, ij % count);
                norm2[ij] + norm2[j * count + i]
            })
            .collect();
        Some(Self {
            len,
            count,
            members,
            f,
            strength,
            symmetric: obj.symmetric,
        })
    }

    /// `F[i][j]`, the profile of cycle `j` seen from cycle `i`.
    fn profile(&self, i: usize, j: usize) -> &[f32] {
        let at = (i * self.count + j) * self.len;
        &self.f[at..at + self.len]
    }

    /// The representative `vᵢ` of cycle `i` (a node).
    pub fn representative(&self, i: usize) -> usize {
        self.members[i * self.len]
    }

    /// The pivot cycle: the most strongly connected one (ties: lowest index).
    pub fn pivot(&self) -> usize {
        let total = |i: usize| -> f64 {
            self.strength[i * self.count..(i + 1) * self.count]
                .iter()
                .sum()
        };
        (0..self.count).fold(0, |best, i| if total(i) > total(best) { i } else { best })
    }

    /// Candidate image cycles of `i0`, nearest profile first (ties by index), `i0`
    /// itself included (its image under an element that fixes it as a set). A cycle's
    /// profile: its own `F[i][i]` (which every commuting symmetry preserves as it is)
    /// and its [`PROFILE_LEN`] strongest connections, strongest first.
    pub fn candidates(&self, i0: usize) -> Vec<usize> {
        let key = |i: usize| -> Vec<f64> {
            let mut s: Vec<f64> = self.strength[i * self.count..(i + 1) * self.count].to_vec();
            s.sort_by(|a, b| b.total_cmp(a));
            s.truncate(PROFILE_LEN);
            let own = self.profile(i, i).iter().map(|&x| x as f64);
            own.chain(s.into_iter().map(f64::sqrt)).collect()
        };
        let k0 = key(i0);
        let mut c: Vec<(f64, usize)> = (0..self.count)
            .map(|j| {
                let d = key(j).iter().zip(&k0).map(|(a, b)| (a - b).powi(2)).sum();
                (d, j)
            })
            .collect();
        c.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        c.into_iter().map(|x| x.1).collect()
    }

    /// Grows a map that commutes with `t` (or inverts it, by `sense`) from cycle
    /// `i0 → j0` (offset 0: `t` is known, so any other offset gives the same coset) and
    /// lifts it to the nodes; `None` if stopped.
    /// Greedy, as the node-level growth: the unassigned cycle most strongly joined to
    /// the assigned ones goes to the free cycle and offset whose profiles from the
    /// images of its [`COMPARED`] strongest assigned cycles match best.
    pub fn grow(&self, i0: usize, j0: usize, sense: Sense, stop: &Stop) -> Option<Vec<usize>> {
        let (q, len) = (self.count, self.len);
        let mut image = vec![usize::MAX; q];
        let mut offset = vec![0usize; q];
        let mut used = vec![false; q];
        let mut assigned = vec![i0];
        image[i0] = j0;
        used[j0] = true;
        let mut joined: Vec<f64> = self.strength[i0 * q..(i0 + 1) * q].to_vec();
        for _ in 1..q {
            if stop.now() {
                return None;
            }
            let j = (0..q).filter(|&x| image[x] == usize::MAX).fold(
                None,
                |best: Option<usize>, x| match best {
                    Some(b) if joined[b] >= joined[x] => Some(b),
                    _ => Some(x),
                },
            )?;
            let mut near = assigned.clone();
            near.sort_by(|&a, &b| {
                self.strength[b * q + j]
                    .total_cmp(&self.strength[a * q + j])
                    .then(a.cmp(&b))
            });
            near.truncate(COMPARED);
            let free: Vec<usize> = (0..q).filter(|&c| !used[c]).collect();
            let (c, o) = free
                .par_iter()
                .map(|&c| {
                    let (cost, o) = self.best_offset(j, c, &near, (&image, &offset), sense);
                    (cost, c, o)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .map(|x| (x.1, x.2))?;
            image[j] = c;
            offset[j] = o;
            used[c] = true;
            assigned.push(j);
            joined
                .iter_mut()
                .zip(&self.strength[j * q..(j + 1) * q])
                .for_each(|(a, &s)| *a += s);
        }
        let mut p = vec![0usize; q * len];
        for i in 0..q {
            for a in 0..len {
                let at = match sense {
                    Sense::Along => (a + offset[i]) % len,
                    Sense::Against => (offset[i] + len - a) % len,
                };
                p[self.members[i * len + a]] = self.members[image[i] * len + at];
            }
        }
        Some(p)
    }

    /// The cost of sending cycle `j` to cycle `c` at its best offset, and that offset
    /// (the lowest of equal costs), for `(image, offset)` of the cycles assigned so far.
    /// [`Sense::Along`]: `Σ_δ (F[c][c][δ] − F[j][j][δ])²` plus, over the assigned cycles
    /// `i` in `near`, `Σ_δ (F[π i][c][δ + o − oᵢ] − F[i][j][δ])²` and, when `W` is not
    /// symmetric, the reverse `Σ_δ (F[c][π i][δ + oᵢ − o] − F[j][i][δ])²`.
    /// [`Sense::Against`]: the same with the compared profiles of the images reversed
    /// (`R[δ] = F[·][·][−δ]`), at the opposite shifts.
    fn best_offset(
        &self,
        j: usize,
        c: usize,
        near: &[usize],
        (image, offset): (&[usize], &[usize]),
        sense: Sense,
    ) -> (f64, usize) {
        let len = self.len;
        // The shift at which offset `o` compares (`o − oᵢ` forward along `t`).
        let at = |o: usize, oi: usize, forward: bool| match (sense == Sense::Along) == forward {
            true => (o + len - oi) % len,
            false => (oi + len - o) % len,
        };
        // An image's profile, oriented by `sense`, twice over (so every cyclic shift of
        // it is a contiguous slice), and its squared differences by shift.
        let mut doubled = vec![0.0f32; 2 * len];
        let mut by_shift = vec![0.0f32; len];
        oriented_twice(self.profile(c, c), sense, &mut doubled);
        let own: f64 = doubled[..len]
            .iter()
            .zip(self.profile(j, j))
            .map(|(&a, &b)| ((a - b) as f64).powi(2))
            .sum();
        let mut cost = vec![own; len];
        // The error sums over ordered pairs: with `W` symmetric the reverse terms equal
        // the forward ones, which then count twice against the cycle's own once.
        let weight = if self.symmetric { 2.0 } else { 1.0 };
        for &i in near {
            let oi = offset[i];
            oriented_twice(self.profile(image[i], c), sense, &mut doubled);
            costs_by_shift(&doubled, self.profile(i, j), &mut by_shift);
            for (o, total) in cost.iter_mut().enumerate() {
                *total += weight * by_shift[at(o, oi, true)] as f64;
            }
            if !self.symmetric {
                oriented_twice(self.profile(c, image[i]), sense, &mut doubled);
                costs_by_shift(&doubled, self.profile(j, i), &mut by_shift);
                for (o, total) in cost.iter_mut().enumerate() {
                    *total += by_shift[at(o, oi, false)] as f64;
                }
            }
        }
        cost.iter().enumerate().fold(
            (f64::INFINITY, 0),
            |best, (o, &x)| {
                if x < best.0 { (x, o) } else { best }
            },
        )
    }
}

/// Writes `prof` twice over into `doubled` (`2L` long), reversed
/// (`R[δ] = prof[−δ]`) for [`Sense::Against`].
fn oriented_twice(prof: &[f32], sense: Sense, doubled: &mut [f32]) {
    let len = prof.len();
    for (d, x) in doubled[..len].iter_mut().enumerate() {
        *x = match sense {
            Sense::Along => prof[d],
            Sense::Against => prof[(len - d) % len],
        };
    }
    doubled.copy_within(..len, len);
}

/// `out[s] = Σ_δ (doubled[δ + s] − to[δ])²` for every cyclic shift `s`, summed with the
/// shifts innermost (independent sums, which vectorise).
fn costs_by_shift(doubled: &[f32], to: &[f32], out: &mut [f32]) {
    let len = to.len();
    out.fill(0.0);
    for (d, &b) in to.iter().enumerate() {
        for (c, &a) in out.iter_mut().zip(&doubled[d..d + len]) {
            *c += (a - b) * (a - b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cancel::CancelToken;
    use crate::graph::WeightedGraph;
    use crate::search::progress::Ctx;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use std::time::{Duration, Instant};

    /// A noisy torus of `side × side` cells, two kinds of node per cell, weights
    /// decaying with torus distance (and a per-kind pattern), with a shuffled labelling:
    /// its translations are near-symmetries. Returns the graph and `node(x, y, kind)`.
    fn torus(side: usize, noise: f32, seed: u64) -> (Objective, Vec<usize>) {
        let n = side * side * 2;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut label: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            label.swap(i, rng.random_range(0..=i));
        }
        let d = |a: usize, b: usize| a.abs_diff(b).min(side - a.abs_diff(b)) as f32;
        let mut w = Array2::<f32>::zeros((n, n));
        for u in 0..n {
            for v in u..n {
                let (cu, cv) = (u / 2, v / 2);
                let (xu, yu, xv, yv) = (cu % side, cu / side, cv % side, cv / side);
                // Anisotropic, so no quarter turn; kinds differ, so no kind swap.
                let r2 = d(xu, xv).powi(2) + 2.0 * d(yu, yv).powi(2);
                let kind = [1.0, 0.6][u % 2] * [1.0, 0.3][v % 2];
                let x = kind * (-r2 / 6.0).exp() + noise * (rng.random::<f32>() - 0.5);
                w[[label[u], label[v]]] = x;
                w[[label[v], label[u]]] = x;
            }
        }
        let graph = WeightedGraph::new(w, None).unwrap();
        (Objective::new(&graph, 0.0), label)
    }

    /// [`Quotient::grow`] without a deadline.
    fn grow(q: &Quotient, i0: usize, j0: usize, sense: Sense) -> Vec<usize> {
        let cancel = CancelToken::new();
        let mut on_progress = |_| {};
        let deadline = Instant::now() + Duration::from_secs(600);
        let ctx = Ctx::new(&cancel, deadline, &mut on_progress);
        q.grow(i0, j0, sense, &ctx.stop()).expect("not stopped")
    }

    /// The translation by `(dx, dy)` as a permutation of the shuffled nodes.
    fn translation(side: usize, label: &[usize], dx: usize, dy: usize) -> Permutation {
        let mut p = vec![0; label.len()];
        for u in 0..label.len() {
            let c = u / 2;
            let (x, y) = ((c % side + dx) % side, (c / side + dy) % side);
            p[label[u]] = label[(y * side + x) * 2 + u % 2];
        }
        Permutation::from_images(p).unwrap()
    }

    /// From the quotient by the vertical translation, the growth seeded with the true
    /// image of the pivot's cycle gives the horizontal translation exactly (up to a
    /// power of the vertical one), on a noisy graph where it is not exact.
    #[test]
    fn grows_the_other_translation_on_a_noisy_torus() {
        let side = 12;
        let (obj, label) = torus(side, 0.05, 3);
        let t = translation(side, &label, 0, 1);
        let h = translation(side, &label, 1, 0);
        let q = Quotient::new(&obj, &t).expect("one cycle length of 12");
        assert_eq!((q.len, q.count), (12, 24));
        let i0 = q.pivot();
        let v0 = q.representative(i0);
        let target = (0..q.count)
            .find(|&j| (0..q.len).any(|a| q.members[j * q.len + a] == h.image(v0)))
            .unwrap();
        assert!(q.candidates(i0).contains(&target));
        let p = Permutation::from_images(grow(&q, i0, target, Sense::Along)).unwrap();
        // p = h·tᵏ for the k that sends v0 where p does.
        let k = (0..side).find(|&k| h.then(&t.pow(k as i64)).image(v0) == p.image(v0));
        let k = k.expect("p sends the pivot into h's image cycle");
        assert_eq!(p, h.then(&t.pow(k as i64)));
        assert!(obj.relative_error(p.images()) < 0.2 * obj.relative_error(&shuffled(obj.n)));
    }

    /// The glide `(x, y) → (x + 1, −y)` inverts the vertical translation. Grown against
    /// `t` from its image of the pivot's cycle, the result inverts `t` exactly and is as
    /// good a symmetry (on this torus the point reflections that send the pivot's column
    /// to the next one are near-symmetries just as good, so it need not be the glide).
    #[test]
    fn grows_a_map_that_inverts_the_translation() {
        let side = 12;
        let (obj, label) = torus(side, 0.05, 6);
        let t = translation(side, &label, 0, 1);
        let mut glide = vec![0; obj.n];
        for u in 0..obj.n {
            let c = u / 2;
            let (x, y) = ((c % side + 1) % side, (side - c / side) % side);
            glide[label[u]] = label[(y * side + x) * 2 + u % 2];
        }
        let g = Permutation::from_images(glide).unwrap();
        let q = Quotient::new(&obj, &t).unwrap();
        let i0 = q.pivot();
        let v0 = q.representative(i0);
        let target = (0..q.count)
            .find(|&j| (0..q.len).any(|a| q.members[j * q.len + a] == g.image(v0)))
            .unwrap();
        assert_ne!(target, i0);
        let grown = grow(&q, i0, target, Sense::Against);
        let p = Permutation::from_images(grown).unwrap();
        assert_eq!(t.then(&p), p.then(&t.inverse()));
        let (e, truth) = (
            obj.relative_error(p.images()),
            obj.relative_error(g.images()),
        );
        assert!(e < 1.2 * truth, "{e} vs {truth}");
        // Grown along `t` instead, the map commutes with it.
        let along = Permutation::from_images(grow(&q, i0, target, Sense::Along));
        let along = along.unwrap();
        assert_eq!(t.then(&along), along.then(&t));
    }

    /// A wrong seed (a cycle of the other kind) grows into something far worse than a
    /// translation.
    #[test]
    fn a_wrong_seed_grows_into_a_poor_map() {
        let side = 12;
        let (obj, label) = torus(side, 0.05, 4);
        let t = translation(side, &label, 0, 1);
        let h = translation(side, &label, 1, 0);
        let q = Quotient::new(&obj, &t).unwrap();
        let i0 = q.pivot();
        let kind_of = |v: usize| label.iter().position(|&l| l == v).unwrap() % 2;
        let wrong = (0..q.count)
            .find(|&j| kind_of(q.representative(j)) != kind_of(q.representative(i0)))
            .unwrap();
        let p = grow(&q, i0, wrong, Sense::Along);
        let (wrong, right) = (obj.relative_error(&p), obj.relative_error(h.images()));
        assert!(wrong > 2.0 * right, "{wrong} vs {right}");
    }

    /// No quotient by a permutation with cycles of different lengths, or too short.
    #[test]
    fn needs_one_cycle_length_of_at_least_eight() {
        let (obj, label) = torus(8, 0.0, 5);
        assert!(Quotient::new(&obj, &translation(8, &label, 0, 1)).is_some());
        assert!(Quotient::new(&obj, &translation(8, &label, 0, 2)).is_none());
        let mut mixed: Vec<usize> = (0..obj.n).collect();
        mixed[..8].rotate_left(1);
        mixed[8..20].rotate_left(1);
        assert!(Quotient::new(&obj, &Permutation::from_images(mixed).unwrap()).is_none());
    }

    fn shuffled(n: usize) -> Vec<usize> {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            p.swap(i, rng.random_range(0..=i));
        }
        p
    }
}
