//! Keyboard shortcuts and the "?" overlay that lists them.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::actions::AppAction;

/// Every shortcut with its description, as listed in the overlay.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Space", "run / pause"),
    ("Right arrow", "one step"),
    ("R", "reset to step 0"),
    ("Ctrl+O", "open experiment or matrix"),
    ("Ctrl+S", "save experiment"),
    ("Ctrl+Shift+S", "save experiment as"),
    ("Ctrl+F", "start the symmetry search"),
    ("F5", "presentation mode (hide parameters, bigger text)"),
    ("F11", "full screen"),
    ("Ctrl+plus / Ctrl+minus / Ctrl+0", "zoom in / out / reset"),
    ("?  or  F1", "this overlay"),
    ("Esc", "close this overlay"),
    (
        "Lecture tour: Left / Right (Page Up / Down)",
        "previous / next step",
    ),
    ("Lecture tour: Esc", "leave the tour"),
    (
        "Heatmap: scroll / drag / double-click",
        "zoom / pan / reset view",
    ),
];

/// Reads this frame's shortcuts. Single-key shortcuts are ignored while a text field
/// has keyboard focus, so typing a number never starts the simulation. During the
/// lecture tour (`touring`) the arrow keys (and a presenter's Page Up/Down) move along
/// it and Esc leaves it; they are read first so the right arrow does not also step the
/// model.
pub fn read_shortcuts(ctx: &egui::Context, touring: bool) -> Vec<AppAction> {
    let mut out = Vec::new();
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        if touring && !typing {
            if i.consume_key(Modifiers::NONE, Key::ArrowRight)
                || i.consume_key(Modifiers::NONE, Key::PageDown)
            {
                out.push(AppAction::TourNext);
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowLeft)
                || i.consume_key(Modifiers::NONE, Key::PageUp)
            {
                out.push(AppAction::TourPrevious);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                out.push(AppAction::LeaveTour);
            }
        }
        let shift_cmd = Modifiers::COMMAND | Modifiers::SHIFT;
        if i.consume_shortcut(&KeyboardShortcut::new(shift_cmd, Key::S)) {
            out.push(AppAction::SaveAs);
        }
        if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::S)) {
            out.push(AppAction::Save);
        }
        if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
            out.push(AppAction::Open);
        }
        if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)) {
            out.push(AppAction::StartSearch);
        }
        if i.consume_key(Modifiers::NONE, Key::F11) {
            out.push(AppAction::ToggleFullscreen);
        }
        if i.consume_key(Modifiers::NONE, Key::F5) {
            out.push(AppAction::TogglePresentation);
        }
        if i.consume_key(Modifiers::NONE, Key::F1) {
            out.push(AppAction::ToggleHelp);
        }
        if typing {
            return;
        }
        if i.consume_key(Modifiers::NONE, Key::Space) {
            out.push(AppAction::ToggleRun);
        }
        if i.consume_key(Modifiers::NONE, Key::ArrowRight) {
            out.push(AppAction::Step);
        }
        if i.consume_key(Modifiers::NONE, Key::R) {
            out.push(AppAction::Reset);
        }
        if i.consume_key(Modifiers::NONE, Key::Questionmark)
            || i.consume_key(Modifiers::SHIFT, Key::Questionmark)
        {
            out.push(AppAction::ToggleHelp);
        }
    });
    out
}

/// The overlay listing every shortcut.
pub fn help_overlay_ui(ctx: &egui::Context, open: &mut bool) {
    if !*open {
        return;
    }
    let response = egui::Modal::new(egui::Id::unique("shortcut-overlay")).show(ctx, |ui| {
        ui.heading("Keyboard shortcuts");
        egui::Grid::new("shortcut-grid")
            .num_columns(2)
            .spacing([24.0, 6.0])
            .striped(true)
            .show(ui, |ui| {
                for (keys, what) in SHORTCUTS {
                    ui.label(egui::RichText::new(*keys).monospace().strong());
                    ui.label(*what);
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        if ui.button("Close").clicked() {
            *open = false;
        }
    });
    if response.should_close() {
        *open = false;
    }
}
