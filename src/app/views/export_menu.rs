//! The plots of the app that export as figures for papers and slides, and their menus:
//! the right-click menu of each view and File → Export figure ask for a path; the
//! figure is then built and written by [`crate::app::execute`].

use crate::app::actions::AppAction;
use crate::figure::Format;
use crate::session::figure_kind::FigureKind;

/// The two entries "Export as SVG… / PNG…" of a view's right-click menu (naming the
/// plot when `named`, for views that hold several).
pub fn context_items_ui(
    ui: &mut egui::Ui,
    kind: FigureKind,
    named: bool,
    queued: &mut Vec<AppAction>,
) {
    for (format, what) in [(Format::Svg, "SVG"), (Format::Png, "PNG (2×)")] {
        let label = if named {
            format!("Export {} as {what}…", kind.name())
        } else {
            format!("Export as {what}…")
        };
        if ui
            .button(label)
            .on_hover_text(format!("Write the {} as a figure file.", kind.name()))
            .clicked()
        {
            queued.push(AppAction::ExportFigureAs(kind, format));
            ui.close();
        }
    }
}

/// File → Export figure: every plot, as SVG or PNG.
pub fn file_menu_ui(ui: &mut egui::Ui, queued: &mut Vec<AppAction>) {
    ui.menu_button("Export figure", |ui| {
        for &kind in FigureKind::all() {
            ui.menu_button(kind.name(), |ui| context_items_ui(ui, kind, false, queued));
        }
    });
}

/// Shows `add_contents` with the export menu of `kinds` (the plots it draws) on a
/// right-click anywhere inside it.
pub fn with_export_menu<R>(
    ui: &mut egui::Ui,
    kinds: &[FigureKind],
    queued: &mut Vec<AppAction>,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let inner = ui.scope(add_contents);
    inner.response.container_context_menu(|ui| {
        for &kind in kinds {
            context_items_ui(ui, kind, kinds.len() > 1, queued);
        }
    });
    inner.inner
}
