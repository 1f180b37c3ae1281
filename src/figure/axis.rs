//! Axes of the figures: linear or log10 scales, their range from the data, tick
//! positions and tick labels that read back as the numbers they stand for (`300`,
//! `0.020`, `1e6`), so a reader — or a test — can recover the data from the drawing.

/// How values are laid out along an axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scale {
    /// Proportional to the value.
    #[default]
    Linear,
    /// Proportional to `log10` of the value (positive values only).
    Log10,
}

impl Scale {
    /// The axis coordinate of a data value: the value itself, or its `log10`; `None`
    /// for a value the scale cannot show (non-finite, or not positive on a log axis).
    pub fn coordinate(self, v: f64) -> Option<f64> {
        match self {
            Scale::Linear => v.is_finite().then_some(v),
            Scale::Log10 => (v.is_finite() && v > 0.0).then(|| v.log10()),
        }
    }
}

/// One tick mark: its axis coordinate (already `log10` on a log axis) and its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    /// Position in axis coordinates.
    pub at: f64,
    /// The label: the data value at the tick.
    pub label: String,
}

/// The range `[lo, hi]` (axis coordinates) that shows `coords` with a 4 % margin on
/// each side; a single value gets a unit-wide range around it.
pub fn padded_range(coords: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = coords
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    if hi - lo <= 1e-12 * hi.abs().max(1.0) {
        return Some((lo - 0.5, hi + 0.5));
    }
    let pad = 0.04 * (hi - lo);
    Some((lo - pad, hi + pad))
}

/// A "nice" step (1, 2 or 5 × 10^k) giving about `target` intervals over `span`.
pub fn nice_step(span: f64, target: f64) -> f64 {
    let raw = (span / target.max(1.0)).abs().max(f64::MIN_POSITIVE);
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.5 {
        1.0
    } else if fraction <= 3.5 {
        2.0
    } else if fraction <= 7.5 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Ticks of a linear axis over `[lo, hi]`: multiples of a nice step, about 5 of them.
pub fn linear_ticks(lo: f64, hi: f64) -> Vec<Tick> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let step = nice_step(hi - lo, 5.0);
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    let scientific = hi.abs().max(lo.abs()) >= 1e5 || step < 1e-3;
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            let label = if k == 0 {
                "0".to_string()
            } else if scientific {
                format!("{v:.prec$e}", prec = significant(v, step))
            } else {
                format!("{v:.decimals$}")
            };
            // The tick sits exactly where its label says (0.6, not 3 × 0.2).
            Tick {
                at: parse_label(&label).unwrap_or(v),
                label,
            }
        })
        .collect()
}

/// Digits after the point of `v`'s mantissa that a tick step of `step` needs
/// (`1.2e6` for steps of `2e5`, `2e5` itself with none).
fn significant(v: f64, step: f64) -> usize {
    if v == 0.0 {
        return 0;
    }
    (v.abs().log10().floor() - step.log10().floor()).max(0.0) as usize
}

/// Label of a log axis coordinate: the number itself (`300`, `0.020`) in a readable
/// range, otherwise `1e6` style (the app's log–log plots label the same way).
pub fn pow10_label(coordinate: f64) -> String {
    let x = 10f64.powf(coordinate);
    if (1e-3..1e5).contains(&x) {
        let digits = if x >= 10.0 {
            0
        } else if x >= 1.0 {
            1
        } else {
            3
        };
        format!("{x:.digits$}")
    } else {
        format!("{x:.0e}")
    }
}

/// Ticks of a log10 axis over `[lo, hi]` (in `log10` units): every decade, thinned to
/// at most 7; with less than two decades also 2× and 5× in between.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<Tick> {
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || hi - lo > 300.0 {
        return Vec::new();
    }
    let first = lo.ceil() as i64;
    let last = hi.floor() as i64;
    let decades = (last - first + 1).max(0) as usize;
    let every = decades.div_ceil(7).max(1) as i64;
    let mut ticks: Vec<Tick> = (first..=last)
        .filter(|k| (k - first) % every == 0)
        .map(|k| Tick {
            at: k as f64,
            label: pow10_label(k as f64),
        })
        .collect();
    if hi - lo < 2.0 {
        let mut k = lo.floor();
        while k <= hi {
            for f in [2.0f64, 5.0] {
                let at = k + f.log10();
                if (lo..=hi).contains(&at) {
                    ticks.push(Tick {
                        at,
                        label: pow10_label(at),
                    });
                }
            }
            k += 1.0;
        }
        ticks.sort_by(|a, b| a.at.total_cmp(&b.at));
    }
    ticks
}

/// Ticks of an axis of `scale` over `[lo, hi]` (axis coordinates).
pub fn ticks(scale: Scale, lo: f64, hi: f64) -> Vec<Tick> {
    match scale {
        Scale::Linear => linear_ticks(lo, hi),
        Scale::Log10 => log_ticks(lo, hi),
    }
}

/// Grid marks `(coordinate, step)` of a log10 axis over `[lo, hi]` (in `log10` units):
/// every decade with step 1 (labelled), and 2× and 5× in between with step 0.1. Empty
/// for a range of more than 60 decades.
pub fn log_grid_marks(lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut marks = Vec::new();
    if !(lo.is_finite() && hi.is_finite()) || hi - lo > 60.0 {
        return marks;
    }
    let mut k = lo.floor() - 1.0;
    while k <= hi + 1.0 {
        marks.push((k, 1.0));
        for f in [2.0f64, 5.0] {
            marks.push((k + f.log10(), 0.1));
        }
        k += 1.0;
    }
    marks.retain(|&(value, _)| value >= lo && value <= hi);
    marks
}

/// The smallest step of the form 1, 2 or 5 × 10^k that is at least `min_step`, and at
/// least 1: an index axis (neurons) counts whole items.
pub fn index_step(min_step: f64) -> f64 {
    if !(min_step.is_finite() && min_step > 0.0) {
        return 1.0;
    }
    let decade = 10f64.powf(min_step.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * decade)
        .find(|&s| s >= min_step * (1.0 - 1e-12))
        .unwrap_or(10.0 * decade)
        .max(1.0)
}

/// Grid marks `(value, step)` of an index axis over `[lo, hi]`: labelled integer marks
/// [`index_step`]`(min_label_step)` apart (their step is that), unlabelled lines a fifth
/// of that apart (their step is the smaller one). Empty for an empty or absurdly long
/// range.
pub fn index_marks(lo: f64, hi: f64, min_label_step: f64) -> Vec<(f64, f64)> {
    let major = index_step(min_label_step);
    let minor = (major / 5.0).max(1.0);
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo || (hi - lo) / minor > 10_000.0 {
        return Vec::new();
    }
    let mut marks = Vec::new();
    let mut k = (lo / minor).ceil();
    while k * minor <= hi {
        // `+ 0.0` turns the −0 that `ceil` gives just left of zero into 0 (labelled "-0").
        let value = k * minor + 0.0;
        let on_major = (value / major).round() * major == value;
        marks.push((value, if on_major { major } else { minor }));
        k += 1.0;
    }
    marks
}

/// A tick label for a count: `950`, `20k`, `1.5M` (counts of stimuli run to 10⁵–10⁶,
/// and "100k" fits under a plot's last tick where "100000" does not).
pub fn compact_count(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", one_decimal(v / 1e6))
    } else if a >= 1e4 {
        format!("{}k", one_decimal(v / 1e3))
    } else {
        one_decimal(v)
    }
}

/// `v` with at most one decimal, without a trailing `.0`.
fn one_decimal(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// The value a tick label stands for (the inverse of the labelling), for readers and tests.
pub fn parse_label(label: &str) -> Option<f64> {
    label.replace('−', "-").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_grid_marks_are_decades_with_two_and_five_between() {
        let marks = log_grid_marks(0.5, 2.0);
        let values: Vec<String> = marks.iter().map(|&(v, _)| pow10_label(v)).collect();
        assert_eq!(values, ["5.0", "10", "20", "50", "100"]);
        let decades: Vec<f64> = marks.iter().filter(|m| m.1 == 1.0).map(|m| m.0).collect();
        assert_eq!(decades, [1.0, 2.0]);
        assert!(log_grid_marks(0.0, 100.0).is_empty());
    }

    #[test]
    fn index_steps_are_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(index_step(7.3), 10.0);
        assert_eq!(index_step(10.0), 10.0);
        assert_eq!(index_step(11.0), 20.0);
        assert_eq!(index_step(26.0), 50.0);
        assert_eq!(index_step(0.3), 1.0, "neurons are integers");
    }

    #[test]
    fn counts_are_labelled_compactly() {
        assert_eq!(compact_count(0.0), "0");
        assert_eq!(compact_count(950.0), "950");
        assert_eq!(compact_count(20_000.0), "20k");
        assert_eq!(compact_count(100_000.0), "100k");
        assert_eq!(compact_count(1_500_000.0), "1.5M");
        assert_eq!(compact_count(2.5), "2.5");
    }

    #[test]
    fn linear_ticks_are_nice_and_inside() {
        let t = linear_ticks(-0.13, 1.07);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        for tick in &t {
            assert_eq!(parse_label(&tick.label), Some(tick.at));
        }
        let big = linear_ticks(0.0, 1.0e6);
        assert!(big.iter().any(|t| t.label == "2e5"), "{big:?}");
    }

    #[test]
    fn log_ticks_read_back_as_their_values() {
        let t = log_ticks(0.5, 6.2);
        assert_eq!(t.first().map(|t| t.label.as_str()), Some("10"));
        assert!(t.iter().any(|t| t.label == "1e6"));
        for tick in &t {
            let v = parse_label(&tick.label).unwrap();
            assert!((v.log10() - tick.at).abs() < 1e-9, "{tick:?}");
        }
        let fine = log_ticks(-1.9, -0.9);
        assert!(fine.iter().any(|t| t.label == "0.050"), "{fine:?}");
    }

    #[test]
    fn scales_drop_what_they_cannot_show() {
        assert_eq!(Scale::Log10.coordinate(0.0), None);
        assert_eq!(Scale::Log10.coordinate(100.0), Some(2.0));
        assert_eq!(Scale::Linear.coordinate(f64::NAN), None);
        assert_eq!(padded_range([1.0, 1.0]), Some((0.5, 1.5)));
        assert_eq!(padded_range([]), None);
    }
}
