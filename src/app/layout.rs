//! The frame: panels laid out around the central view, then the queued actions, the
//! heatmap update and the screenshot bookkeeping.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::ViewportCommand;

use crate::app::actions::AppAction;
use crate::app::app_state::InvarianceApp;
use crate::app::import_flow::Shown;
use crate::app::panels::params::ParamsAction;
use crate::app::panels::shortcuts::{help_overlay_ui, read_shortcuts};
use crate::app::views::theme::apply_theme;
use crate::app::worker::WorkerCommand;

impl eframe::App for InvarianceApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let now = Instant::now();
        let ctx = ui.ctx().clone();
        apply_theme(&ctx, self.theme, self.presentation);
        self.poll();
        self.drive_tour();
        self.read_tour_keys(&ctx);
        self.queued.extend(read_shortcuts(&ctx));
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        self.on_dropped(dropped);
        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_dirty() {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.prompt = Some(AppAction::Quit);
        }
        egui::Panel::top("menu-and-toolbar").show(ui, |ui| {
            self.menu_bar_ui(ui);
            self.toolbar_ui(ui);
            self.notices_ui(ui);
        });
        egui::Panel::bottom("status-bar").show(ui, |ui| {
            let right = match &self.latest {
                Some(p) if p.running => format!(
                    "running · {:.0} steps/s · frame {:.1} ms",
                    p.steps_per_second, self.frame_ms
                ),
                Some(_) => format!("paused · frame {:.1} ms", self.frame_ms),
                None => String::new(),
            };
            self.status.ui(ui, &right);
        });
        if self.tour.is_some() {
            egui::Panel::bottom("tour-caption").show(ui, |ui| self.tour_caption_ui(ui));
        }
        if !self.presentation {
            let config = self.latest.as_ref().map(|p| p.model.config.clone());
            let shown = egui::Panel::left("parameters")
                .resizable(true)
                .default_size(self.panel_widths.left.unwrap_or(360.0))
                .show(ui, |ui| {
                    if self.imported().is_some() {
                        self.facts_panel_ui(ui);
                    } else if let Some(ParamsAction::Apply(config)) =
                        self.params.ui(ui, config.as_ref())
                    {
                        self.worker.send(WorkerCommand::Configure(config));
                        self.status.info("Applying the new settings (step 0)…");
                    }
                });
            self.panel_widths.left = Some(shown.response.rect.width());
        }
        let search_panel = egui::Panel::right("search")
            .resizable(true)
            .default_size(self.panel_widths.right.unwrap_or(420.0))
            // Presentation text is 40 % larger; so may the panel be, or its widest
            // lines are cut off at the left.
            .max_size(if self.presentation {
                560.0 * 1.4
            } else {
                560.0
            })
            .show(ui, |ui| {
                let shown = self.shown();
                let can_start = shown.is_some();
                let space = shown.as_ref().and_then(|s| s.space);
                let neurons = shown.as_ref().map(Shown::neurons);
                for action in self.search.ui(ui, can_start, space.as_ref(), neurons) {
                    self.handle_search(action);
                }
            });
        self.panel_widths.right = Some(search_panel.response.rect.width());
        let clicked_neuron = egui::CentralPanel::default()
            .show(ui, |ui| self.central_ui(ui))
            .inner;
        self.take_inspect_clicks(clicked_neuron);
        self.inspect_window_ui(&ctx);

        self.unsaved_prompt_ui();
        let chosen = self.files.typed_dialog_ui(&ctx);
        for (purpose, path) in chosen.into_iter().chain(self.files.take_picked()) {
            self.on_path_chosen(purpose, path);
        }
        self.poll_data_folder();
        if let Some(shot) = self.compare.poll_export(&ctx) {
            shot.capture(&ctx, self.files.figure_saver());
        }
        help_overlay_ui(&ctx, &mut self.show_help);

        for action in std::mem::take(&mut self.queued) {
            self.handle(action);
        }
        // After the actions, so a changed order or colour map is requested in this frame.
        self.update_heatmap();
        self.screenshot_logic();
        if self.search.is_running() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.files.pending > 0 || self.files.native_dialog_open {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        let ms = now.elapsed().as_secs_f64() * 1e3;
        self.frame_ms = if self.last_frame.is_some() {
            0.9 * self.frame_ms + 0.1 * ms
        } else {
            ms
        };
        self.last_frame = Some(now);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.save_settings(storage);
    }

    /// The settings hold everything worth keeping; egui's memory (open menus, scroll
    /// positions) would only make a start depend on the last session's leftovers.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}
