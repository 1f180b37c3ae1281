//! Learning curves as the app's log–log plots draw them — the live run's `e_g` and
//! baseline, and the runs overlaid in the comparison view —: points in `log10`
//! coordinates, the 1/√N guide, the legend names that tell runs apart and the label of
//! a fitted slope. No GUI types: the views only draw what these return.

use std::collections::BTreeMap;

use crate::model::MetricsRecord;
use crate::sweep::runs::{CurvePoint, RunCurve, SlopeFit, differing_keys, legend_name};

/// Points `(log10 stimuli, log10 y)` of the records with positive stimuli and a
/// positive, finite `y` (what a log–log plot can show).
pub fn log_log_points(
    history: &[MetricsRecord],
    y: impl Fn(&MetricsRecord) -> f64,
) -> Vec<[f64; 2]> {
    history
        .iter()
        .filter_map(|r| {
            let x = r.stimuli as f64;
            let v = y(r);
            (x > 0.0 && v > 0.0 && v.is_finite()).then(|| [x.log10(), v.log10()])
        })
        .collect()
}

/// `(log10 stimuli, log10 e_g)` of a run's positive points.
pub fn log_curve_points(points: &[CurvePoint]) -> Vec<[f64; 2]> {
    points
        .iter()
        .filter(|p| p.stimuli > 0 && p.e_g > 0.0 && p.e_g.is_finite())
        .map(|p| [(p.stimuli as f64).log10(), p.e_g.log10()])
        .collect()
}

/// The 1/√N guide in log–log coordinates: a line of slope −½ from `start` to `end_x`
/// (empty when there is no start or the line would not go right).
pub fn sqrt_guide(start: Option<[f64; 2]>, end_x: f64) -> Vec<[f64; 2]> {
    match start {
        Some(a) if end_x > a[0] => vec![a, [end_x, a[1] - 0.5 * (end_x - a[0])]],
        _ => Vec::new(),
    }
}

/// "slope −0.49" (or "no slope"), with a proper minus sign.
pub fn slope_text(fit: Option<&SlopeFit>) -> String {
    match fit {
        Some(f) => format!("slope {:.2}", f.slope).replace('-', "−"),
        None => "no slope (too few points)".to_owned(),
    }
}

/// A legend name for every overlaid run (the parameters that differ, or the file
/// name) and one for the live run (whose flattened parameters are `live`); duplicates
/// get a counter so the legend keeps them apart.
pub fn legend_names(
    runs: &[&RunCurve],
    live: Option<&BTreeMap<String, String>>,
) -> (Vec<String>, String) {
    let maps: Vec<&BTreeMap<String, String>> = runs.iter().map(|r| &r.params).collect();
    let keys = differing_keys(&maps, live);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let names = runs
        .iter()
        .map(|r| {
            let name = legend_name(&r.params, &keys, &r.name);
            let count = seen.entry(name.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                format!("{name} ({count})")
            } else {
                name
            }
        })
        .collect();
    let live_name = match live.map(|l| legend_name(l, &keys, "")) {
        Some(own) if !own.is_empty() && !runs.is_empty() => format!("live run: {own}"),
        _ => "live run".to_owned(),
    };
    (names, live_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn record(stimuli: u64, e: f64) -> MetricsRecord {
        MetricsRecord {
            step: stimuli,
            stimuli,
            weight_norm: 1.0,
            sparsity: 0.0,
            max_weight: 1.0,
            mean_activity: 0.1,
            symmetry_error_true: e,
            symmetry_error_random: 1.0,
        }
    }

    #[test]
    fn log_log_points_turn_a_power_law_into_a_line_of_that_slope() {
        let history: Vec<MetricsRecord> = [0u64, 100, 400, 1600]
            .iter()
            .map(|&n| record(n, if n == 0 { 1.0 } else { 1.0 / (n as f64).sqrt() }))
            .collect();
        let pts = log_log_points(&history, |r| r.symmetry_error_true);
        assert_eq!(pts.len(), 3, "step 0 has no logarithm and is skipped");
        let slope = (pts[2][1] - pts[0][1]) / (pts[2][0] - pts[0][0]);
        assert!((slope + 0.5).abs() < 1e-9, "slope {slope}");
        let curve: Vec<CurvePoint> = history
            .iter()
            .map(|r| CurvePoint {
                stimuli: r.stimuli,
                e_g: r.symmetry_error_true,
            })
            .collect();
        assert_eq!(log_curve_points(&curve), pts);
    }

    #[test]
    fn the_guide_falls_half_a_decade_per_decade() {
        assert_eq!(
            sqrt_guide(Some([1.0, 0.0]), 3.0),
            vec![[1.0, 0.0], [3.0, -1.0]]
        );
        assert!(sqrt_guide(Some([1.0, 0.0]), 1.0).is_empty());
        assert!(sqrt_guide(None, 3.0).is_empty());
    }

    #[test]
    fn slopes_read_with_a_minus_sign() {
        let fit = SlopeFit {
            slope: -0.4937,
            intercept: 0.0,
            used: 5,
            skipped: 0,
            first_stimuli: 10,
            last_stimuli: 1000,
        };
        assert_eq!(slope_text(Some(&fit)), "slope −0.49");
        assert_eq!(slope_text(None), "no slope (too few points)");
    }

    #[test]
    fn runs_are_named_by_what_differs() {
        let run = |name: &str, decay: &str| RunCurve {
            path: PathBuf::from(format!("{name}.json")),
            name: name.into(),
            params: BTreeMap::from([
                ("decay".to_owned(), decay.to_owned()),
                ("bank.kernels".to_owned(), "4".to_owned()),
            ]),
            points: Vec::new(),
        };
        let (a, b, c) = (run("a", "0.001"), run("b", "0.01"), run("c", "0.01"));
        let live = BTreeMap::from([("decay".to_owned(), "0".to_owned())]);
        let (names, live_name) = legend_names(&[&a, &b, &c], Some(&live));
        assert_eq!(names, ["decay=0.001", "decay=0.01", "decay=0.01 (2)"]);
        assert_eq!(live_name, "live run: decay=0");
        let (names, live_name) = legend_names(&[&a], None);
        assert_eq!(names, ["a"]);
        assert_eq!(live_name, "live run");
    }
}
