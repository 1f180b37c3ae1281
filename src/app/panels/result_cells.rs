//! Cells the search panel's tables share: the closest true transformation, and the
//! cycle type.

use egui::{RichText, Ui};

use crate::model::Space;
use crate::report::labels::{describe_cycle_type, describe_transformation};
use crate::report::outcome::RECOVERED;
use crate::report::rows::TruthMatch;

/// The "true match" cell: the closest true transformation and its consistency, strong
/// when recovered.
pub fn truth_cell_ui(ui: &mut Ui, truth: Option<&TruthMatch>, space: Option<&Space>) {
    match truth {
        Some(t) => {
            let text = format!(
                "{} {:.0} %",
                describe_transformation(&t.transformation, space),
                t.consistency * 100.0
            );
            if t.consistency >= RECOVERED {
                ui.label(
                    RichText::new(text)
                        .strong()
                        .color(ui.visuals().strong_text_color()),
                )
                .on_hover_text(
                    "Recovered: agrees with this true transformation on ≥ 95 % of neurons.",
                );
            } else {
                ui.label(text).on_hover_text(
                    "Closest true transformation and the fraction of neurons on which it agrees.",
                );
            }
        }
        None => {
            ui.label("—");
        }
    }
}

/// The cycle type, shortened with the full text in the tooltip.
pub fn cycles_cell_ui(ui: &mut Ui, cycle_type: &[(usize, usize)]) {
    let cycles = describe_cycle_type(cycle_type);
    if cycles.chars().count() > 14 {
        let short: String = cycles.chars().take(12).collect();
        ui.label(format!("{short}…")).on_hover_text(cycles);
    } else {
        ui.label(cycles);
    }
}
