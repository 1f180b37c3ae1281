//! Exported figures: every SVG parses as XML, carries its title, axis labels
//! and legend, and its drawn points read back as the data through the axis mapping that
//! its own tick labels state — the test recovers that mapping from the ticks, not from
//! the figure code.

use base64::Engine;
use invariance_lab::figure::axis::parse_label;
use invariance_lab::figure::palette::Palette;
use invariance_lab::figure::{Figure, Format, views};
use invariance_lab::model::{MetricsRecord, Space};
use ndarray::Array2;

fn record(stimuli: u64, e_true: f64, e_random: f64) -> MetricsRecord {
    MetricsRecord {
        step: stimuli,
        stimuli,
        weight_norm: 0.5 + stimuli as f64 * 1e-3,
        sparsity: 0.0,
        max_weight: 1.0,
        mean_activity: 0.1,
        symmetry_error_true: e_true,
        symmetry_error_random: e_random,
    }
}

/// Texts of elements of `class`, with their `x` and `y` attributes.
fn texts(doc: &roxmltree::Document, class: &str) -> Vec<(f64, f64, String)> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("class") == Some(class))
        .map(|n| {
            (
                n.attribute("x").unwrap().parse().unwrap(),
                n.attribute("y").unwrap().parse().unwrap(),
                n.text().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The map `axis coordinate → page position` stated by an axis's tick labels, fitted
/// through its first and last tick (`log` turns the label values into decades).
fn tick_map(
    ticks: &[(f64, f64, String)],
    horizontal: bool,
    log: bool,
) -> impl Fn(f64) -> f64 + use<> {
    assert!(ticks.len() >= 2, "an axis needs two ticks: {ticks:?}");
    let coord = |t: &(f64, f64, String)| {
        let v = parse_label(&t.2).unwrap_or_else(|| panic!("tick label {:?}", t.2));
        let c = if log { v.log10() } else { v };
        // Tick labels sit 4 units below the tick line on the y axis (the text baseline).
        let page = if horizontal { t.0 } else { t.1 - 4.0 };
        (c, page)
    };
    let (c0, p0) = coord(&ticks[0]);
    let (c1, p1) = coord(&ticks[ticks.len() - 1]);
    move |c| p0 + (c - c0) * (p1 - p0) / (c1 - c0)
}

fn polyline_points(doc: &roxmltree::Document, series: &str) -> Vec<(f64, f64)> {
    let line = doc
        .descendants()
        .find(|n| n.has_tag_name("polyline") && n.attribute("data-series") == Some(series))
        .unwrap_or_else(|| panic!("no polyline for {series}"));
    line.attribute("points")
        .unwrap()
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

fn assert_close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: {a} vs {b}");
}

#[test]
fn learning_curve_svg_holds_the_data_on_its_log_axes() {
    // e_g = 1/√N exactly, a flat baseline; 0 stimuli has no logarithm and is left out.
    let history: Vec<MetricsRecord> = [0u64, 10, 40, 100, 400, 1000, 4000, 10_000]
        .iter()
        .map(|&n| record(n, 1.0 / (n.max(1) as f64).sqrt(), 1.3))
        .collect();
    let svg = Figure::from(views::learning_curve(&history))
        .to_svg()
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let title: Vec<_> = texts(&doc, "title");
    assert_eq!(title[0].2, "Symmetry error of the true transformation");
    assert_eq!(texts(&doc, "axis-label-x")[0].2, "stimuli seen");
    assert_eq!(texts(&doc, "axis-label-y")[0].2, "symmetry error e_g");
    let legend: Vec<String> = texts_by_class(&doc, "legend-entry");
    assert_eq!(
        legend,
        [
            "true transformation e_g",
            "random permutation",
            "1/√N guide"
        ]
    );

    let x_of = tick_map(&texts(&doc, "tick-x"), true, true);
    let y_of = tick_map(&texts(&doc, "tick-y"), false, true);
    let drawn = polyline_points(&doc, "true transformation e_g");
    let data: Vec<&MetricsRecord> = history.iter().filter(|r| r.stimuli > 0).collect();
    assert_eq!(drawn.len(), data.len());
    for (&(px, py), r) in drawn.iter().zip(&data) {
        // Coordinates are written with two decimals; ticks are fitted from rounded labels.
        assert_close(px, x_of((r.stimuli as f64).log10()), 0.05, "x");
        assert_close(py, y_of(r.symmetry_error_true.log10()), 0.05, "y");
    }
    // The guide has slope −½ in decades, from the first point of e_g to the last stimulus.
    let guide = polyline_points(&doc, "1/√N guide");
    assert_eq!(guide.len(), 2);
    assert_close(guide[0].0, drawn[0].0, 0.01, "guide start x");
    assert_close(guide[1].1, y_of(-2.0), 0.05, "guide end at 1/√10000");
}

fn texts_by_class(doc: &roxmltree::Document, class: &str) -> Vec<String> {
    texts(doc, class).into_iter().map(|t| t.2).collect()
}

#[test]
fn activities_are_dots_in_display_order() {
    let activity = [0.0f32, 0.5, 1.0, 0.25];
    let order = [2usize, 0, 3, 1];
    let svg = Figure::from(views::activities(&activity, &order, "recovered"))
        .to_svg()
        .unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(texts(&doc, "axis-label-x")[0].2, "neuron (recovered order)");
    assert_eq!(texts(&doc, "axis-label-y")[0].2, "activity");
    let x_of = tick_map(&texts(&doc, "tick-x"), true, false);
    let y_of = tick_map(&texts(&doc, "tick-y"), false, false);
    let group = doc
        .descendants()
        .find(|n| n.attribute("data-series") == Some("activity"))
        .unwrap();
    let dots: Vec<(f64, f64)> = group
        .children()
        .filter(|n| n.has_tag_name("circle"))
        .map(|n| {
            (
                n.attribute("cx").unwrap().parse().unwrap(),
                n.attribute("cy").unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(dots.len(), 4);
    for (r, (&i, &(cx, cy))) in order.iter().zip(&dots).enumerate() {
        assert_close(cx, x_of(r as f64), 0.05, "x");
        assert_close(cy, y_of(f64::from(activity[i])), 0.05, "y");
    }
}

#[test]
fn ring_patterns_are_line_plots_of_their_pixels() {
    let field: Vec<f32> = (0..16).map(|k| ((k as f32) * 0.4).sin()).collect();
    let fig = views::pattern(
        Space::Ring { n: 16 },
        &field,
        &views::PatternKind::Field {
            neuron: 7,
            description: "pixel 3".into(),
        },
    );
    let svg = fig.to_svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(
        texts(&doc, "title")[0].2,
        "Receptive field of neuron 7: pixel 3"
    );
    assert_eq!(texts(&doc, "axis-label-x")[0].2, "pixel");
    let x_of = tick_map(&texts(&doc, "tick-x"), true, false);
    let y_of = tick_map(&texts(&doc, "tick-y"), false, false);
    let drawn = polyline_points(&doc, "field");
    assert_eq!(drawn.len(), 16);
    for (k, &(px, py)) in drawn.iter().enumerate() {
        assert_close(px, x_of(k as f64), 0.05, "x");
        assert_close(py, y_of(f64::from(field[k])), 0.05, "y");
    }
}

/// The embedded PNG of a picture figure, decoded, and the `<image>` element's box.
fn embedded(doc: &roxmltree::Document) -> (image::RgbaImage, [f64; 4]) {
    let node = doc
        .descendants()
        .find(|n| n.has_tag_name("image"))
        .expect("an <image>");
    let href = node.attribute("href").unwrap();
    let b64 = href.strip_prefix("data:image/png;base64,").unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let img = image::load_from_memory(&bytes).unwrap().to_rgba8();
    let f = |a: &str| node.attribute(a).unwrap().parse::<f64>().unwrap();
    (img, [f("x"), f("y"), f("width"), f("height")])
}

#[test]
fn heatmap_svg_embeds_the_ordered_matrix_with_its_colour_bar() {
    let n = 6;
    let w = Array2::from_shape_fn(
        (n, n),
        |(i, j)| if i == j { 0.0 } else { (i * n + j) as f32 },
    );
    let order = [5usize, 4, 3, 2, 1, 0];
    let plot = views::heatmap(w.view(), &order, "reversed", Palette::Viridis, None);
    let svg = Figure::from(plot.clone()).to_svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(
        texts(&doc, "title")[0].2,
        "Weight matrix W (reversed order)"
    );
    assert_eq!(texts(&doc, "axis-label-x")[0].2, "neuron j (column)");
    assert_eq!(texts(&doc, "axis-label-y")[0].2, "neuron i (row)");
    assert_eq!(texts(&doc, "axis-label-c")[0].2, "w_ij");
    // The automatic range is the off-diagonal [min, max] = [1, 34].
    assert_eq!(plot.range, (1.0, 34.0));
    let (img, [x, y, width, height]) = embedded(&doc);
    let cell = img.width() as usize / n;
    assert_eq!(img.width() as usize, cell * n);
    for r in 0..n {
        for c in 0..n {
            let v = w[[order[r], order[c]]];
            let expected = Palette::Viridis.rgb((v - 1.0) / 33.0);
            let p = img.get_pixel((c * cell + cell / 2) as u32, (r * cell + cell / 2) as u32);
            assert_eq!([p[0], p[1], p[2]], expected, "cell ({r}, {c})");
        }
    }
    // The picture spans the axes: column 0 at the tick "0", column n at the tick "6".
    let x_of = tick_map(&texts(&doc, "tick-x"), true, false);
    assert_close(x, x_of(0.0), 0.05, "left edge");
    assert_close(x + width, x_of(n as f64), 0.05, "right edge");
    let y_of = tick_map(&texts(&doc, "tick-y"), false, false);
    assert_close(y, y_of(0.0), 0.05, "top edge is row 0");
    assert_close(y + height, y_of(n as f64), 0.05, "bottom edge is row n");
    // The colour bar's ticks cover the range and the gradient runs through the palette.
    let bar: Vec<f64> = texts_by_class(&doc, "tick-c")
        .iter()
        .map(|t| parse_label(t).unwrap())
        .collect();
    assert!(
        bar.len() >= 3 && bar.iter().all(|&v| (1.0..=34.0).contains(&v)),
        "{bar:?}"
    );
    let stops: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("stop"))
        .map(|n| n.attribute("stop-color").unwrap())
        .collect();
    assert_eq!(
        stops.first().copied(),
        Some(hex(Palette::Viridis.rgb(0.0)).as_str())
    );
    assert_eq!(
        stops.last().copied(),
        Some(hex(Palette::Viridis.rgb(1.0)).as_str())
    );
}

fn hex(c: [u8; 3]) -> String {
    invariance_lab::figure::palette::hex(c)
}

#[test]
fn large_matrices_are_drawn_as_block_means() {
    let n = 2050;
    let w = Array2::from_shape_fn((n, n), |(i, j)| if i == j { 100.0 } else { (i / 3) as f32 });
    let order: Vec<usize> = (0..n).collect();
    let plot = views::heatmap(w.view(), &order, "stored", Palette::Viridis, None);
    // k = ⌈2050 / 1024⌉ = 3: blocks of 3 rows share one value (the diagonal left out).
    assert_eq!(plot.columns, 684);
    assert_eq!(plot.cells[0], Some(0.0));
    assert_eq!(plot.cells[684 * 5 + 9], Some(5.0));
}

#[test]
fn two_d_stimuli_are_grey_pictures() {
    let side = 4;
    let values: Vec<f32> = (0..16).map(|k| k as f32).collect();
    let fig = views::pattern(
        Space::Square { side },
        &values,
        &views::PatternKind::Stimulus,
    );
    let svg = fig.to_svg().unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(texts(&doc, "axis-label-x")[0].2, "x (pixel)");
    let (img, _) = embedded(&doc);
    let cell = img.width() / side as u32;
    let px = |x: u32, y: u32| img.get_pixel(x * cell + cell / 2, y * cell + cell / 2)[0];
    assert_eq!(px(0, 0), 0, "the smallest value is black");
    assert_eq!(px(3, 3), 255, "the largest value is white");
    assert_eq!(
        px(1, 0),
        Palette::Grey.rgb(1.0 / 15.0)[0],
        "row-major, row 0 on top"
    );
}

#[test]
fn png_is_twice_the_svg_and_shows_its_text() {
    let history: Vec<MetricsRecord> = (1..50u64)
        .map(|n| record(n * 10, 1.0 / n as f64, 1.0))
        .collect();
    let fig = Figure::from(views::learning_curve(&history));
    let png = fig.encode(Format::Png).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgba8();
    assert_eq!((img.width(), img.height()), (1280, 840));
    // The title is drawn with the embedded font: dark pixels in its band, at the centre.
    let dark = (500..780)
        .flat_map(|x| (30..60).map(move |y| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y)[0] < 100)
        .count();
    assert!(dark > 200, "only {dark} dark pixels where the title is");
}

#[test]
fn nothing_to_plot_is_an_error_not_an_empty_figure() {
    let err = Figure::from(views::learning_curve(&[]))
        .to_svg()
        .unwrap_err();
    assert!(err.to_string().contains("nothing to plot"), "{err}");
    assert!(Format::from_path("a.pdf".as_ref()).is_err());
    assert_eq!(Format::from_path("A.SVG".as_ref()).unwrap(), Format::Svg);
}
