//! The app's views as figures, built from the same data the views plot: the learning
//! curve (log–log `e_g` with the random baseline and the 1/√N guide), the other metric
//! curves, the stimulus, the activities, a receptive field, a row of `W`, and the
//! weight matrix with its colour bar.

use ndarray::ArrayView2;

use super::Figure;
use super::image_plot::{IMAGE_SIZE, ImageAxis, ImagePlot};
use super::line_plot::{AxisSpec, Corner, LinePlot, PLOT_SIZE, Series, Style};
use super::order::{colour_range, off_diagonal_range, ordered_values};
use super::palette::Palette;
use crate::model::world::polar::PolarGrid;
use crate::model::{MetricsRecord, Space};
use crate::transform::polar_render::value_at;

/// Colour of the true-transformation error and of single-series plots (the app's blue).
pub const TRUE_RGB: [u8; 3] = [0x31, 0x68, 0x8e];
/// Colour of the random baseline (the app's orange).
pub const BASELINE_RGB: [u8; 3] = [0xe6, 0x7e, 0x22];
/// Colour of guides (the 1/√N slope).
pub const GUIDE_RGB: [u8; 3] = [0x80, 0x80, 0x80];

/// Most points drawn per series (long runs record millions of metrics; the app thins
/// its plots the same way).
pub const MAX_SERIES_POINTS: usize = 2000;

/// At most `max` points, evenly thinned, keeping both ends.
pub fn thin(points: Vec<[f64; 2]>, max: usize) -> Vec<[f64; 2]> {
    if points.len() <= max || max < 2 {
        return points;
    }
    let stride = points.len().div_ceil(max);
    let last = points.len() - 1;
    points
        .into_iter()
        .enumerate()
        .filter(|(k, _)| k % stride == 0 || *k == last)
        .map(|(_, p)| p)
        .collect()
}

/// `(stimuli, y)` of the records where both are positive and finite (what a log–log
/// plot can show).
fn positive_points(history: &[MetricsRecord], y: impl Fn(&MetricsRecord) -> f64) -> Vec<[f64; 2]> {
    history
        .iter()
        .map(|r| [r.stimuli as f64, y(r)])
        .filter(|&[x, v]| x > 0.0 && v > 0.0 && v.is_finite())
        .collect()
}

/// The learning curve: `e_g` of the true transformation and of a random permutation
/// against stimuli seen, log–log, with a 1/√N guide through the first point.
pub fn learning_curve(history: &[MetricsRecord]) -> LinePlot {
    let truth = thin(
        positive_points(history, |r| r.symmetry_error_true),
        MAX_SERIES_POINTS,
    );
    let baseline = thin(
        positive_points(history, |r| r.symmetry_error_random),
        MAX_SERIES_POINTS,
    );
    let mut series = vec![
        Series {
            name: "true transformation e_g".into(),
            points: truth.clone(),
            color: TRUE_RGB,
            style: Style::Line {
                width: 2.5,
                dashed: false,
            },
        },
        Series {
            name: "random permutation".into(),
            points: baseline,
            color: BASELINE_RGB,
            style: Style::Line {
                width: 2.0,
                dashed: false,
            },
        },
    ];
    if let (Some(&[x0, y0]), Some(&[x1, _])) = (truth.first(), truth.last())
        && x1 > x0
    {
        series.push(Series {
            name: "1/√N guide".into(),
            points: vec![[x0, y0], [x1, y0 * (x0 / x1).sqrt()]],
            color: GUIDE_RGB,
            style: Style::Line {
                width: 1.5,
                dashed: true,
            },
        });
    }
    LinePlot {
        title: "Symmetry error of the true transformation".into(),
        x: AxisSpec::log("stimuli seen"),
        y: AxisSpec::log("symmetry error e_g"),
        series,
        legend: Corner::BottomLeft,
        size: PLOT_SIZE,
    }
}

/// A metric recorded with the learning curve, plotted on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// `‖W‖_F`.
    WeightNorm,
    /// Mean detector activity over the last batch.
    MeanActivity,
}

/// One metric against stimuli seen, linear axes.
pub fn metric_curve(history: &[MetricsRecord], metric: Metric) -> LinePlot {
    let (title, y_label, value): (&str, &str, fn(&MetricsRecord) -> f64) = match metric {
        Metric::WeightNorm => ("||W|| (Frobenius norm)", "||W||", |r| r.weight_norm),
        Metric::MeanActivity => ("Mean activity", "mean activity", |r| r.mean_activity),
    };
    let points = history
        .iter()
        .map(|r| [r.stimuli as f64, value(r)])
        .filter(|p| p[1].is_finite())
        .collect();
    single_series(
        title,
        AxisSpec::linear("stimuli seen"),
        AxisSpec::linear(y_label),
        title,
        thin(points, MAX_SERIES_POINTS),
        Style::Line {
            width: 2.0,
            dashed: false,
        },
    )
}

fn single_series(
    title: &str,
    x: AxisSpec,
    y: AxisSpec,
    name: &str,
    points: Vec<[f64; 2]>,
    style: Style,
) -> LinePlot {
    LinePlot {
        title: title.into(),
        x,
        y,
        series: vec![Series {
            name: name.into(),
            points,
            color: TRUE_RGB,
            style,
        }],
        legend: Corner::TopRight,
        size: PLOT_SIZE,
    }
}

/// What a pattern on the retina is, for titles and colours.
#[derive(Clone, Debug, PartialEq)]
pub enum PatternKind {
    /// A stimulus (grey, scaled to its own range).
    Stimulus,
    /// The receptive field of a neuron (diverging, white at 0), with a description of it.
    Field {
        /// The neuron (stored order).
        neuron: usize,
        /// Where it sits and what it detects, e.g. `pixel 3` (may be empty).
        description: String,
    },
}

/// Pixels across a polar retina's round picture.
const DISC_CELLS: usize = 160;

/// A pattern on the retina as the app shows it: a line over the ring's pixels, a
/// picture of a 2-D retina, a round picture of the log-polar retina.
pub fn pattern(space: Space, values: &[f32], kind: &PatternKind) -> Figure {
    let (title, y_label, palette) = match kind {
        PatternKind::Stimulus => ("Current stimulus".to_string(), "intensity", Palette::Grey),
        PatternKind::Field {
            neuron,
            description,
        } if description.is_empty() => (
            format!("Receptive field of neuron {neuron}"),
            "weight",
            Palette::Diverging,
        ),
        PatternKind::Field {
            neuron,
            description,
        } => (
            format!("Receptive field of neuron {neuron}: {description}"),
            "weight",
            Palette::Diverging,
        ),
    };
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let data = (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
    let range = colour_range(data, palette.is_diverging());
    let name = if palette.is_diverging() {
        "field"
    } else {
        "stimulus"
    };
    match space {
        Space::Ring { .. } | Space::Line { .. } => Figure::Lines(single_series(
            &title,
            AxisSpec::linear(space.position_unit()),
            AxisSpec::linear(y_label),
            name,
            values
                .iter()
                .enumerate()
                .map(|(k, &v)| [k as f64, f64::from(v)])
                .collect(),
            Style::Line {
                width: 2.0,
                dashed: false,
            },
        )),
        Space::Torus { side } | Space::Square { side } => Figure::Image(ImagePlot {
            title,
            columns: side,
            rows: side,
            cells: (0..side * side)
                .map(|k| Some(values.get(k).copied().unwrap_or(f32::NAN)))
                .collect(),
            palette,
            range,
            x: ImageAxis {
                label: "x (pixel)".into(),
                extent: (0.0, side as f64),
            },
            y: ImageAxis {
                label: "y (pixel)".into(),
                extent: (0.0, side as f64),
            },
            colorbar_label: y_label.into(),
            size: IMAGE_SIZE,
        }),
        Space::Polar { .. } => {
            let grid = PolarGrid::of(space);
            let (cells, radius) = grid.map_or((Vec::new(), 1.0), |g| disc(&g, values));
            Figure::Image(ImagePlot {
                title,
                columns: DISC_CELLS,
                rows: DISC_CELLS,
                cells,
                palette,
                range,
                x: ImageAxis {
                    label: "x (retina units)".into(),
                    extent: (-radius, radius),
                },
                y: ImageAxis {
                    label: "y (retina units)".into(),
                    extent: (radius, -radius),
                },
                colorbar_label: y_label.into(),
                size: IMAGE_SIZE,
            })
        }
    }
}

/// The log-polar retina's samples interpolated over a disc (as the app draws it), and
/// the disc's radius in retina units.
fn disc(grid: &PolarGrid, values: &[f32]) -> (Vec<Option<f32>>, f64) {
    let radius = grid.r_max * grid.ratio().sqrt();
    let sectors = grid.sectors.max(1);
    let ring0_mean = values
        .iter()
        .take(sectors)
        .map(|&v| f64::from(v))
        .sum::<f64>()
        / sectors as f64;
    let half = DISC_CELLS as f64 / 2.0;
    let per_cell = radius / half;
    let cells = (0..DISC_CELLS * DISC_CELLS)
        .map(|i| {
            let (px, py) = (i % DISC_CELLS, i / DISC_CELLS);
            let x = (px as f64 + 0.5 - half) * per_cell;
            let y = (half - py as f64 - 0.5) * per_cell;
            value_at(grid, values, ring0_mean, x, y).map(|v| v as f32)
        })
        .collect();
    (cells, radius)
}

/// The activities of all detectors in display order (`order[r]` is the neuron shown at
/// position `r`), as dots.
pub fn activities(activity: &[f32], order: &[usize], order_name: &str) -> LinePlot {
    let points = order
        .iter()
        .enumerate()
        .filter_map(|(r, &i)| activity.get(i).map(|&a| [r as f64, f64::from(a)]))
        .collect();
    single_series(
        "Detector activities",
        AxisSpec::linear(&format!("neuron ({order_name} order)")),
        AxisSpec::linear("activity"),
        "activity",
        points,
        Style::Markers { radius: 2.5 },
    )
}

/// Row `neuron` of `W` in display order: the weights from one neuron to all others.
pub fn weight_row(
    w: ArrayView2<f32>,
    neuron: usize,
    order: &[usize],
    order_name: &str,
) -> LinePlot {
    weight_row_of(
        w.nrows().min(w.ncols()),
        |j| w[[neuron, j]],
        neuron,
        order,
        order_name,
    )
}

/// [`weight_row`] of an `neurons × neurons` matrix read through `w_neuron_j(j)`: the
/// app reads one row of a snapshot without building the whole matrix.
pub fn weight_row_of(
    neurons: usize,
    w_neuron_j: impl Fn(usize) -> f32,
    neuron: usize,
    order: &[usize],
    order_name: &str,
) -> LinePlot {
    let points = if neuron < neurons {
        order
            .iter()
            .enumerate()
            .filter(|&(_, &j)| j < neurons && j != neuron)
            .map(|(r, &j)| [r as f64, f64::from(w_neuron_j(j))])
            .collect()
    } else {
        Vec::new()
    };
    single_series(
        &format!("Row {neuron} of W"),
        AxisSpec::linear(&format!("neuron j ({order_name} order)")),
        AxisSpec::linear(&format!("w_{neuron},j")),
        &format!("w_{neuron},j"),
        points,
        Style::Markers { radius: 2.5 },
    )
}

/// Largest side of a matrix figure's cells: larger matrices are drawn as block means.
pub const MAX_MATRIX_CELLS: usize = 1024;

/// The weight matrix in display order with its colour bar. The colour range is the
/// given one, or the app's automatic one (off-diagonal `[min, max]`, symmetric about 0
/// for a diverging map). Matrices larger than [`MAX_MATRIX_CELLS`] are drawn as
/// `k × k` block means (diagonal cells left out, as in the app).
pub fn heatmap(
    w: ArrayView2<f32>,
    order: &[usize],
    order_name: &str,
    palette: Palette,
    range: Option<(f32, f32)>,
) -> ImagePlot {
    let n = order.len();
    let range =
        range.unwrap_or_else(|| colour_range(off_diagonal_range(w), palette.is_diverging()));
    let values = ordered_values(w, order);
    let k = n.div_ceil(MAX_MATRIX_CELLS).max(1);
    let side = n.div_ceil(k);
    let cells = if k == 1 {
        values.into_iter().map(Some).collect()
    } else {
        block_means(&values, n, k)
    };
    ImagePlot {
        title: format!("Weight matrix W ({order_name} order)"),
        columns: side,
        rows: side,
        cells,
        palette,
        range,
        x: ImageAxis {
            label: "neuron j (column)".into(),
            extent: (0.0, n as f64),
        },
        y: ImageAxis {
            label: "neuron i (row)".into(),
            extent: (0.0, n as f64),
        },
        colorbar_label: "w_ij".into(),
        size: IMAGE_SIZE,
    }
}

/// `k × k` block means of an `n × n` row-major matrix, leaving out the diagonal.
fn block_means(values: &[f32], n: usize, k: usize) -> Vec<Option<f32>> {
    let side = n.div_ceil(k);
    let mut sums = vec![(0.0f64, 0usize); side * side];
    for r in 0..n {
        for c in 0..n {
            if r != c {
                let cell = &mut sums[(r / k) * side + c / k];
                cell.0 += f64::from(values[r * n + c]);
                cell.1 += 1;
            }
        }
    }
    sums.into_iter()
        .map(|(s, count)| {
            Some(if count == 0 {
                f32::NAN
            } else {
                (s / count as f64) as f32
            })
        })
        .collect()
}

/// The history of one weight `w_ij` against stimuli seen (the app's pinned cells).
pub fn weight_history(i: usize, j: usize, points: Vec<[f64; 2]>) -> LinePlot {
    single_series(
        &format!("w_{i},{j} against stimuli seen"),
        AxisSpec::linear("stimuli seen"),
        AxisSpec::linear(&format!("w_{i},{j}")),
        &format!("w_{i},{j}"),
        thin(points, MAX_SERIES_POINTS),
        Style::Line {
            width: 2.0,
            dashed: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_keeps_the_ends_and_the_bound() {
        let pts: Vec<[f64; 2]> = (0..10_001).map(|k| [k as f64, 0.0]).collect();
        let out = thin(pts, 1000);
        assert!(out.len() <= 1001);
        assert_eq!(out.first().map(|p| p[0]), Some(0.0));
        assert_eq!(out.last().map(|p| p[0]), Some(10_000.0));
    }
}
