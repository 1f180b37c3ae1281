//! The parameter rows of the learned bank: how many filters, ON and OFF read-out,
//! shared kernels (weight sharing) and their size, the field phase's length.

use egui::Ui;

use super::widgets::grid_row;

/// The learned bank's rows under "Detector bank".
pub fn learned_rows(
    ui: &mut Ui,
    filters: &mut usize,
    on_off: &mut bool,
    kernel_size: &mut Option<usize>,
    field_steps: &mut u64,
) {
    grid_row(
        ui,
        "    learned filters",
        "Filters learned by the Hebbian ICA rule (each read out by ON and OFF detectors, \
         or by one); with shared kernels, kernels copied to every position.",
        filters,
        1..=4096,
        1.0,
    );
    let l = ui.label("    ON and OFF").on_hover_text(
        "Read each filter out by two detectors of opposite sign (M doubles); otherwise \
         by one.",
    );
    ui.checkbox(on_off, "").labelled_by(l.id);
    ui.end_row();
    let mut shared = kernel_size.is_some();
    let l = ui.label("    shared kernels").on_hover_text(
        "Weight sharing: each filter is a small kernel, learned from windows of the \
         stimuli at random positions and copied to every position, so the bank is \
         closed under translations. Off: each filter is a field over the whole retina.",
    );
    ui.checkbox(&mut shared, "").labelled_by(l.id);
    ui.end_row();
    match (shared, kernel_size.as_mut()) {
        (true, Some(p)) => grid_row(
            ui,
            "    kernel size",
            "Kernel length (1-D) or side (2-D) in pixels.",
            p,
            2..=64,
            0.1,
        ),
        (true, None) => *kernel_size = Some(8),
        (false, Some(_)) => *kernel_size = None,
        (false, None) => {}
    }
    grid_row(
        ui,
        "    field steps",
        "Steps of the field phase, before the recurrent graph learns.",
        field_steps,
        1..=1_000_000,
        1.0,
    );
}
