//! The widgets every parameter row is made of: a labelled number, a labelled pair of
//! numbers and a labelled drop-down, each with its tooltip, one grid row each.

use egui::{DragValue, Ui};

/// A label and a number field in one grid row.
pub fn grid_row<T: egui::emath::Numeric>(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut T,
    range: std::ops::RangeInclusive<T>,
    speed: f64,
) {
    let l = ui.label(label).on_hover_text(tip);
    ui.add(DragValue::new(value).range(range).speed(speed))
        .labelled_by(l.id)
        .on_hover_text(tip);
    ui.end_row();
}

/// A label and a `from … to …` pair of number fields in one grid row.
pub fn pair_row(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut (f32, f32),
    range: std::ops::RangeInclusive<f32>,
) {
    let l = ui.label(label).on_hover_text(tip);
    ui.horizontal(|ui| {
        ui.add(
            DragValue::new(&mut value.0)
                .range(range.clone())
                .speed(0.05)
                .prefix("from "),
        )
        .labelled_by(l.id)
        .on_hover_text(tip);
        ui.add(
            DragValue::new(&mut value.1)
                .range(range)
                .speed(0.05)
                .prefix("to "),
        )
        .labelled_by(l.id)
        .on_hover_text(tip);
    });
    ui.end_row();
}

/// A label and a drop-down of `options` (value, name) in one grid row.
pub fn combo<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    tip: &str,
    value: &mut T,
    options: &[(T, &str)],
) {
    let l = ui.label(label).on_hover_text(tip);
    let current = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("?", |(_, n)| n);
    egui::ComboBox::from_id_salt(label)
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (v, name) in options {
                ui.selectable_value(value, *v, *name);
            }
        })
        .response
        .labelled_by(l.id)
        .on_hover_text(tip);
    ui.end_row();
}
