//! The rows of the detector bank: tiled kernels, random fields or learned fields.

use egui::Ui;

use super::widgets::{combo, grid_row};
use crate::model::{BankConfig, KernelFamily};

/// The detector bank's kind and its parameters.
pub fn bank_rows(ui: &mut Ui, bank: &mut BankConfig) {
    // 0 tiled, 1 random, 2 learned.
    let mut kind: u8 = match bank {
        BankConfig::Tiled { .. } => 0,
        BankConfig::Random { .. } => 1,
        BankConfig::Learned { .. } => 2,
    };
    let before = kind;
    combo(
        ui,
        "Detector bank",
        "Tiled: every kernel at every position (closed under the symmetries); random: random \
         local fields; learned: fields learned from the stimuli, then the graph.",
        &mut kind,
        &[
            (0, "tiled kernels"),
            (1, "random fields"),
            (2, "learned fields"),
        ],
    );
    if kind != before {
        *bank = match kind {
            0 => BankConfig::Tiled {
                kernels: 4,
                size: 7,
                stride: 1,
                family: KernelFamily::Random,
            },
            1 => BankConfig::Random {
                count: 256,
                size: 7,
            },
            _ => BankConfig::Learned {
                filters: 64,
                on_off: true,
                field_steps: 600,
                rate: 0.2,
                kernel_size: None,
            },
        };
    }
    match bank {
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            family,
        } => {
            grid_row(
                ui,
                "    kernels",
                "Number of distinct base kernels copied to every position.",
                kernels,
                1..=64,
                0.1,
            );
            grid_row(
                ui,
                "    kernel size",
                "Kernel length (1-D) or side (2-D) in pixels.",
                size,
                1..=64,
                0.1,
            );
            grid_row(
                ui,
                "    stride",
                "Distance between neighbouring kernel positions in pixels.",
                stride,
                1..=64,
                0.1,
            );
            combo(
                ui,
                "    kernel family",
                "How the base kernels are made.",
                family,
                &[
                    (KernelFamily::Random, "seeded random"),
                    (KernelFamily::Gabor, "Gabor-like"),
                    (KernelFamily::DerivativeOfGaussian, "derivative of Gaussian"),
                ],
            );
        }
        BankConfig::Learned {
            filters,
            field_steps,
            on_off,
            kernel_size,
            ..
        } => super::learned_rows::learned_rows(ui, filters, on_off, kernel_size, field_steps),
        BankConfig::Random { count, size } => {
            grid_row(
                ui,
                "    detectors",
                "Number of random local detectors.",
                count,
                1..=8192,
                1.0,
            );
            grid_row(
                ui,
                "    field size",
                "Field length (1-D) or side (2-D) in pixels.",
                size,
                1..=64,
                0.1,
            );
        }
    }
}
