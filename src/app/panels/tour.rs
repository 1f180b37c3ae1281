//! The lecture tour's caption under the views: title, text, progress and the
//! navigation buttons. The tour itself is driven by [`crate::app::execute`].

use egui::RichText;

use crate::app::actions::AppAction;
use crate::app::context::PanelContext;
use crate::session::state::tour::{TOUR, TourPhase};

/// The caption (no state of its own: the tour lives in the app's state).
#[derive(Default)]
pub struct TourCaption;

impl TourCaption {
    /// Draws the caption while the tour runs; returns the actions asked for.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &PanelContext<'_>) -> Vec<AppAction> {
        let mut actions = Vec::new();
        let Some(tour) = &cx.state.tour else {
            return actions;
        };
        let step = tour.current();
        let body = ui
            .style()
            .text_styles
            .get(&egui::TextStyle::Body)
            .map_or(16.0, |f| f.size);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "Lecture tour {}/{} · {}",
                    tour.step + 1,
                    TOUR.len(),
                    step.title
                ))
                .heading()
                .strong(),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Leave tour (Esc)").clicked() {
                    actions.push(AppAction::LeaveTour);
                }
                let last = tour.step + 1 == TOUR.len();
                if ui
                    .add_enabled(!last, egui::Button::new("Next >"))
                    .on_hover_text("Right arrow")
                    .clicked()
                {
                    actions.push(AppAction::TourNext);
                }
                if ui
                    .add_enabled(tour.step > 0, egui::Button::new("< Previous"))
                    .on_hover_text("Left arrow")
                    .clicked()
                {
                    actions.push(AppAction::TourPrevious);
                }
            });
        });
        ui.label(RichText::new(step.caption).size(body * 1.25));
        let progress = match tour.phase {
            TourPhase::Loading => Some(format!("Loading {}…", step.target.preset)),
            TourPhase::Training => {
                let at = cx.state.step_count().unwrap_or(0);
                Some(format!("Training: step {at} of {}…", step.target.steps))
            }
            TourPhase::Searching => Some("Searching for symmetries…".to_owned()),
            TourPhase::Reached => None,
        };
        if let Some(text) = progress {
            ui.horizontal(|ui| {
                ui.spinner();
                let fraction = match tour.phase {
                    TourPhase::Training => {
                        cx.state.step_count().unwrap_or(0) as f32 / step.target.steps.max(1) as f32
                    }
                    TourPhase::Searching => cx.search.map_or(0.0, |t| t.fraction() as f32),
                    _ => 0.0,
                };
                ui.add(
                    egui::ProgressBar::new(fraction.clamp(0.0, 1.0))
                        .desired_width(240.0)
                        .text(text),
                );
            });
        }
        if let Some(problem) = &tour.problem {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }
        ui.add_space(4.0);
        actions
    }
}
